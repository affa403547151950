"""The synthetic shapes: deterministic per seed, balanced, with exact bounding boxes (no torch)."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_array_equal

from gquiz.labs.data import CLASS_NAMES, make_shapes, make_splits, preprocess


def test_same_seed_gives_identical_data() -> None:
    a_train, a_test = make_splits(7, n_train=60, n_test=30)
    b_train, b_test = make_splits(7, n_train=60, n_test=30)
    for a, b in ((a_train, b_train), (a_test, b_test)):
        assert_array_equal(a.images, b.images)
        assert_array_equal(a.labels, b.labels)
        assert_array_equal(a.bboxes, b.bboxes)


def test_other_seed_gives_other_data() -> None:
    a, _ = make_splits(1, n_train=30, n_test=3)
    b, _ = make_splits(2, n_train=30, n_test=3)
    assert not np.array_equal(a.images, b.images)


def test_test_split_does_not_depend_on_train_size() -> None:
    assert_array_equal(make_splits(3, 10, 20)[1].images, make_splits(3, 50, 20)[1].images)


def test_images_labels_and_boxes() -> None:
    s = make_shapes(300, np.random.default_rng(0))
    assert s.images.shape == (300, 32, 32)
    assert s.images.dtype == np.float32
    assert s.images.min() >= 0.0
    assert s.images.max() <= 1.0
    assert np.bincount(s.labels, minlength=3).tolist() == [100, 100, 100]
    x0, y0, x1, y1 = s.bboxes.T
    assert np.all((0 <= x0) & (x0 <= x1) & (x1 < 32) & (0 <= y0) & (y0 <= y1) & (y1 < 32))
    sides = np.minimum(x1 - x0, y1 - y0) + 1
    assert sides.min() >= 5, "every shape is big enough to be seen"
    assert len(CLASS_NAMES) == 3


def test_bounding_box_holds_the_bright_shape() -> None:
    # The shape is brighter than the background by at least 0.35; the noise (sigma <= 0.12)
    # rarely crosses half of that. So pixels well above the background lie in the box, and
    # the box is much brighter than the rest of the image.
    s = make_shapes(60, np.random.default_rng(5))
    inside_count = total = 0
    for img, (x0, y0, x1, y1) in zip(s.images, s.bboxes, strict=False):
        flat = preprocess(img)
        ys, xs = np.nonzero(flat > 0.3)
        inside_count += int(np.sum((xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)))
        total += len(xs)
        box = np.zeros_like(flat, dtype=bool)
        box[y0 : y1 + 1, x0 : x1 + 1] = True
        assert flat[box].mean() - flat[~box].mean() > 0.15
    assert inside_count / total > 0.97


def test_preprocess_removes_the_background_level() -> None:
    s = make_shapes(20, np.random.default_rng(1))
    out = preprocess(s.images)
    assert out.dtype == np.float32
    assert np.allclose(np.median(out, axis=(1, 2)), 0.0, atol=1e-6)
