"""RoI pooling / RoIAlign against torch's adaptive max pooling and grid_sample."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from gquiz.engine.detection import bilinear, roi_align, roi_pool
from gquiz.render import render_steps

torch = pytest.importorskip("torch")
F = torch.nn.functional


@settings(max_examples=60, deadline=None)
@given(
    h=st.integers(2, 9),
    w=st.integers(2, 9),
    data=st.data(),
    ph=st.integers(1, 4),
    pw=st.integers(1, 4),
    seed=st.integers(0, 999),
)
def test_roi_pool_matches_adaptive_max_pool_of_crop(h, w, data, ph, pw, seed):
    fm = np.random.default_rng(seed).normal(size=(h, w))
    x1, x2 = sorted(data.draw(st.lists(st.integers(0, w - 1), min_size=2, max_size=2)))
    y1, y2 = sorted(data.draw(st.lists(st.integers(0, h - 1), min_size=2, max_size=2)))
    crop = torch.tensor(fm[y1 : y2 + 1, x1 : x2 + 1])[None, None]
    # the crop must have at least one pixel per bin for adaptive pooling to equal roi_pool
    if crop.shape[-2] < ph or crop.shape[-1] < pw:
        return
    ref = F.adaptive_max_pool2d(crop, (ph, pw))[0, 0].numpy()
    assert_allclose(roi_pool(fm, [x1, y1, x2, y2], (ph, pw)).answer, ref)


def _grid_sample(fm, ys, xs):
    h, w = fm.shape
    grid = torch.tensor(
        np.stack([2 * np.asarray(xs) / (w - 1) - 1, 2 * np.asarray(ys) / (h - 1) - 1], -1)
    )[None, None]
    return F.grid_sample(torch.tensor(fm)[None, None], grid, mode="bilinear", align_corners=True)[
        0, 0, 0
    ].numpy()


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 999), y=st.floats(0, 5), x=st.floats(0, 6))
def test_bilinear_matches_grid_sample(seed, y, x):
    fm = np.random.default_rng(seed).normal(size=(6, 7))
    assert_allclose(bilinear(fm, x, y).answer, _grid_sample(fm, [y], [x])[0], rtol=1e-9, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 999),
    x1=st.floats(0, 3),
    y1=st.floats(0, 3),
    bw=st.floats(1, 3),
    bh=st.floats(1, 3),
    ph=st.integers(1, 3),
    pw=st.integers(1, 3),
    sr=st.integers(1, 3),
    aligned=st.booleans(),
)
def test_roi_align_is_mean_of_bilinear_samples(seed, x1, y1, bw, bh, ph, pw, sr, aligned):
    fm = np.random.default_rng(seed).normal(size=(8, 8))
    roi = [x1 + 0.5, y1 + 0.5, x1 + 0.5 + bw, y1 + 0.5 + bh]
    got = roi_align(fm, roi, (ph, pw), sampling_ratio=sr, aligned=aligned).answer
    off = 0.5 if aligned else 0.0
    sx, sy = roi[0] - off, roi[1] - off
    for i in range(ph):
        for j in range(pw):
            ys = [sy + i * bh / ph + (a + 0.5) * bh / ph / sr for a in range(sr) for _ in range(sr)]
            xs = [sx + j * bw / pw + (b + 0.5) * bw / pw / sr for _ in range(sr) for b in range(sr)]
            assert_allclose(got[i, j], _grid_sample(fm, ys, xs).mean(), rtol=1e-9, atol=1e-12)


def test_roi_align_edge_and_lines():
    fm = np.arange(16.0).reshape(4, 4)
    assert bilinear(fm, -2, 0).answer == 0.0  # outside [-1, size] → 0 (torchvision)
    assert bilinear(fm, -0.5, 0).answer == fm[0, 0]  # (−1, 0] clamps to the edge
    sol = roi_align(fm, [0.5, 0.5, 2.5, 2.5], 1)
    assert sol.answer[0, 0] == 7.5
    assert render_steps(sol)[1] == "出力[0,0] = 標本点の平均 = 7.5"
