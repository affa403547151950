"""The labs' synthetic image set: one circle, square or triangle per 32×32 grayscale image.

Generated on the fly with a NumPy ``Generator`` (nothing is downloaded): the same seed gives
the same images, labels and bounding boxes, byte for byte. Each shape has a random centre,
size and brightness over a random background level with Gaussian noise, and its bounding
box is recorded so a test can check where a heatmap points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["CLASS_NAMES", "IMAGE_SIZE", "ShapeSet", "make_shapes", "make_splits", "preprocess"]

IMAGE_SIZE = 32
CLASS_NAMES: tuple[str, ...] = ("円", "正方形", "三角形")
"""Class index → Japanese name (0 circle, 1 square, 2 triangle)."""


@dataclass(frozen=True)
class ShapeSet:
    """Images, labels and bounding boxes of one split."""

    images: np.ndarray
    """float32, (N, 32, 32), values in [0, 1]."""
    labels: np.ndarray
    """int64, (N,): index into :data:`CLASS_NAMES`."""
    bboxes: np.ndarray
    """int64, (N, 4): ``(x0, y0, x1, y1)`` of the shape's pixels, inclusive."""

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    def subset(self, n: int) -> ShapeSet:
        """The first ``n`` examples (the classes are shuffled, so still balanced on average)."""
        return ShapeSet(self.images[:n], self.labels[:n], self.bboxes[:n])


def _shape_mask(kind: int, cx: float, cy: float, r: float) -> np.ndarray:
    """Boolean mask of a shape of half-extent ``r`` centred at ``(cx, cy)`` (pixel centres)."""
    yy, xx = np.mgrid[0:IMAGE_SIZE, 0:IMAGE_SIZE].astype(np.float64)
    dx, dy = xx - cx, yy - cy
    if kind == 0:  # circle
        return dx * dx + dy * dy <= r * r
    if kind == 1:  # axis-aligned square
        return (np.abs(dx) <= r) & (np.abs(dy) <= r)
    # upright isosceles triangle: apex at the top, base at the bottom, as wide as tall
    t = (dy + r) / (2 * r)  # 0 at the apex row, 1 at the base row
    return (t >= 0) & (t <= 1) & (np.abs(dx) <= r * t)


def make_shapes(n: int, rng: np.random.Generator) -> ShapeSet:
    """Draw ``n`` images from ``rng`` (balanced classes in random order)."""
    labels = rng.permutation(np.arange(n) % len(CLASS_NAMES)).astype(np.int64)
    images = np.empty((n, IMAGE_SIZE, IMAGE_SIZE), dtype=np.float32)
    bboxes = np.empty((n, 4), dtype=np.int64)
    for i, kind in enumerate(labels):
        r = rng.uniform(3.5, 9.0)
        lo, hi = r + 0.5, IMAGE_SIZE - 1.5 - r
        cx, cy = rng.uniform(lo, hi), rng.uniform(lo, hi)
        mask = _shape_mask(int(kind), cx, cy, r)
        background = rng.uniform(0.0, 0.25)
        brightness = rng.uniform(0.35, 0.75)
        noise = rng.normal(0.0, rng.uniform(0.03, 0.12), size=mask.shape)
        img = background + brightness * mask + noise
        images[i] = np.clip(img, 0.0, 1.0)
        ys, xs = np.nonzero(mask)
        bboxes[i] = (xs.min(), ys.min(), xs.max(), ys.max())
    return ShapeSet(images, labels, bboxes)


def make_splits(seed: int, n_train: int = 3000, n_test: int = 600) -> tuple[ShapeSet, ShapeSet]:
    """Train and test splits for ``seed``, drawn from two independent streams.

    The test split depends only on ``seed`` (not on ``n_train``), so models trained on
    subsets are always scored on the same images.
    """
    train = make_shapes(n_train, np.random.default_rng([seed, 0]))
    test = make_shapes(n_test, np.random.default_rng([seed, 1]))
    return train, test


def preprocess(images: np.ndarray) -> np.ndarray:
    """The models' input: each image minus its median (its background level), float32.

    The shape covers well under half of the pixels, so the median is the background. Without
    this step the convolutions' zero padding draws a dark frame around a brighter background,
    the network learns to use that artificial edge, and Grad-CAM peaks at the image border
    instead of on the shape (measured: 90 % of peaks inside the bounding box instead of 99 %).
    """
    images = np.asarray(images, dtype=np.float32)
    return (images - np.median(images, axis=(-2, -1), keepdims=True)).astype(np.float32)
