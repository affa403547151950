"""Grad-CAM (Selvaraju et al. 2017) from a layer's feature maps and the gradients of a class score.

``α_c = mean_{i,j} ∂y/∂A_c[i,j]`` (global average pooling of the gradients),
``L = ReLU(Σ_c α_c A_c)``, then normalised by its maximum so the map lies in [0, 1]
(an all-zero map stays all zero: nothing to highlight).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gquiz.engine.core import EngineError, Solution, Step, as_array
from gquiz.engine.registry import solver


@solver(
    "gradcam",
    "Grad-CAM (勾配の GAP で重み → 特徴マップの重み付き和 → ReLU → [0,1] に正規化)",
    {"feature_maps": "特徴マップ A (C×H×W)", "gradients": "クラススコアの A に関する勾配 (C×H×W)"},
)
def gradcam(feature_maps: Any, gradients: Any) -> Solution:
    """Grad-CAM heat map (H×W) from feature maps and gradients of the same shape (C×H×W).

    Examples
    --------
    >>> a = [[[1, 0], [0, 1]], [[0, 2], [2, 0]]]
    >>> g = [[[1, 1], [1, 1]], [[-1, -1], [-1, -1]]]
    >>> gradcam(a, g).answer["cam"]
    array([[1., 0.],
           [0., 1.]])
    """
    a = as_array(feature_maps, "feature_maps", ndim=3)
    g = as_array(gradients, "gradients", ndim=3)
    if a.shape != g.shape:
        raise EngineError(f"gradients の形 {g.shape} が feature_maps の形 {a.shape} と一致しない")
    alpha = g.mean(axis=(1, 2))
    raw = np.tensordot(alpha, a, axes=1)
    relu = np.maximum(raw, 0.0)
    peak = float(relu.max())
    cam = relu / peak if peak > 0 else np.zeros_like(relu)
    steps = [
        Step(
            "gradcam_weight",
            {"channel": c, "sum": g[c].sum(), "count": g[c].size, "alpha": alpha[c]},
        )
        for c in range(a.shape[0])
    ]
    steps.append(Step("gradcam_sum", {"alpha": alpha, "raw": raw}))
    steps.append(Step("gradcam_relu", {"relu": relu}))
    steps.append(Step("gradcam_normalize", {"max": peak, "cam": cam}))
    return Solution({"cam": cam, "weights": alpha, "raw": raw}, tuple(steps))
