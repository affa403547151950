"""Grad-CAM lab: feature maps and gradients from torch autograd, the heatmap from the engine.

A forward hook on the last convolution layer's output (:data:`gquiz.labs.nets.LAST_CONV_OUTPUT`,
the ReLU'd maps that feed global average pooling) keeps the activations ``A`` and registers a
tensor hook that receives ``∂y_c/∂A`` during ``backward``. Both go to the engine's
:func:`gquiz.engine.explain.gradcam`, which does the Grad-CAM arithmetic.

CAM is computed here too, directly from the last layer's weights: ``CAM_c = Σ_k w_ck A_k``.
Because the model ends in GAP + one linear layer, ``y_c = Σ_k w_ck · mean(A_k) + b_c``, so
``∂y_c/∂A_k[i, j] = w_ck / (H·W)`` and Grad-CAM's weights are ``α_k = w_ck / (H·W)``:
the Grad-CAM map is the CAM map divided by ``H·W``, identical once both are ReLU'd and
normalised by their maximum. :class:`ClassMaps` records the measured difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from gquiz.labs.data import CLASS_NAMES

if TYPE_CHECKING:
    from torch import nn

    from gquiz.labs.train import Trained

__all__ = [
    "ClassMaps",
    "GradCamView",
    "analyse",
    "engine_gradcam",
    "feature_maps_and_gradients",
    "normalise",
    "upsample",
]


def engine_gradcam(feature_maps: np.ndarray, gradients: np.ndarray) -> np.ndarray:
    """The engine's Grad-CAM map (H×W, in [0, 1]) for ``(C, H, W)`` maps and gradients."""
    from gquiz.engine.explain import gradcam

    answer: Any = gradcam(feature_maps, gradients).answer
    # The engine returns {"cam", "weights", "raw"}; accept a bare array as well.
    return np.asarray(answer["cam"] if isinstance(answer, dict) else answer, dtype=np.float64)


def normalise(raw: np.ndarray) -> np.ndarray:
    """ReLU, then divide by the maximum (an all-zero map stays zero): the engine's convention."""
    relu = np.maximum(np.asarray(raw, dtype=np.float64), 0.0)
    peak = float(relu.max())
    return relu / peak if peak > 0 else np.zeros_like(relu)


def upsample(heatmap: np.ndarray, size: int = 32) -> np.ndarray:
    """Bilinear upsampling of an H×W map to ``size``×``size`` (``align_corners=False``).

    The same sampling as ``F.interpolate(..., mode="bilinear", align_corners=False)``: output
    pixel ``o`` reads input position ``(o + 0.5)·H/size − 0.5``, clamped at the borders.
    """
    h = np.asarray(heatmap, dtype=np.float64)

    def axis_weights(n_in: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        pos = np.clip((np.arange(size) + 0.5) * n_in / size - 0.5, 0.0, n_in - 1)
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, n_in - 1)
        return lo, hi, pos - lo

    y0, y1, fy = axis_weights(h.shape[0])
    x0, x1, fx = axis_weights(h.shape[1])
    rows = h[y0] * (1 - fy)[:, None] + h[y1] * fy[:, None]
    return rows[:, x0] * (1 - fx)[None, :] + rows[:, x1] * fx[None, :]


def feature_maps_and_gradients(
    model: nn.Module, image: np.ndarray, target: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(A, ∂y_target/∂A, logits)`` for one raw 32×32 image; ``A`` is (C, H, W).

    ``A`` is the output of the last conv layer (after its ReLU), caught by a forward hook; its
    gradient arrives through a tensor hook registered on it. Hooks are removed afterwards.
    """
    import torch

    from gquiz.labs.nets import LAST_CONV_OUTPUT
    from gquiz.labs.train import as_tensor

    caught: dict[str, torch.Tensor] = {}

    def keep_gradient(grad: torch.Tensor) -> None:
        caught["gradients"] = grad.detach()

    def on_forward(_module: nn.Module, _inputs: Any, output: torch.Tensor) -> None:
        caught["feature_maps"] = output.detach()
        output.register_hook(keep_gradient)

    layer = getattr(model, LAST_CONV_OUTPUT)
    handle = layer.register_forward_hook(on_forward)
    try:
        model.eval()
        x = as_tensor(np.asarray(image)[None])
        with torch.enable_grad():
            out = model(x)
            model.zero_grad(set_to_none=True)
            out[0, target].backward()
    finally:
        handle.remove()
    return (
        caught["feature_maps"][0].numpy(),
        caught["gradients"][0].numpy(),
        out.detach()[0].numpy(),
    )


@dataclass(frozen=True)
class ClassMaps:
    """Grad-CAM and CAM of one image for one class."""

    target: int
    feature_maps: np.ndarray
    """A: (C, H, W) activations of the last conv layer (after ReLU)."""
    gradients: np.ndarray
    """∂y_target/∂A: (C, H, W), from autograd."""
    gradcam: np.ndarray
    """H×W Grad-CAM map in [0, 1], computed by the engine."""
    cam: np.ndarray
    """H×W CAM map ``Σ_k w_ck A_k``, ReLU'd and normalised the same way."""
    cam_raw: np.ndarray
    """Σ_k w_ck A_k before ReLU and normalisation."""
    gradcam_raw_ratio: float
    """(Σ_k α_k A_k) / (Σ_k w_ck A_k): 1/(H·W) in theory (nan if CAM is all zero)."""

    @property
    def max_difference(self) -> float:
        """max |Grad-CAM − CAM| after normalisation (0 up to rounding for a GAP model)."""
        return float(np.max(np.abs(self.gradcam - self.cam)))


@dataclass(frozen=True)
class GradCamView:
    """Everything the Grad-CAM lab shows for one test image."""

    index: int
    image: np.ndarray
    label: int
    bbox: tuple[int, int, int, int]
    probabilities: np.ndarray
    maps: tuple[ClassMaps, ...]
    """One per class, in class order."""

    @property
    def predicted(self) -> int:
        return int(np.argmax(self.probabilities))

    @property
    def runner_up(self) -> int:
        """The most probable wrong class: the default "other" class to compare."""
        order = np.argsort(-self.probabilities, kind="stable")
        return int(order[1])

    def class_name(self, k: int) -> str:
        return CLASS_NAMES[k]


def analyse(trained: Trained, index: int) -> GradCamView:
    """Grad-CAM and CAM for every class of test image ``index`` (call from a worker thread)."""
    from gquiz.labs.train import torch_settings

    data = trained.test
    index = int(index) % len(data)
    image = data.images[index]
    model = trained.model
    fc = model.get_parameter("fc.weight").detach().numpy().astype(np.float64)
    maps = []
    logits = None
    with torch_settings():
        for target in range(len(CLASS_NAMES)):
            a, g, logits = feature_maps_and_gradients(model, image, target)
            heat = engine_gradcam(a, g)
            cam_raw = np.tensordot(fc[target], a.astype(np.float64), axes=1)
            grad_raw = np.tensordot(g.astype(np.float64).mean(axis=(1, 2)), a, axes=1)
            denom = float(np.sum(cam_raw * cam_raw))
            ratio = float(np.sum(grad_raw * cam_raw) / denom) if denom > 0 else float("nan")
            maps.append(ClassMaps(target, a, g, heat, normalise(cam_raw), cam_raw, ratio))
    assert logits is not None
    z = logits.astype(np.float64) - logits.max()
    probs = np.exp(z) / np.exp(z).sum()
    x0, y0, x1, y1 = (int(v) for v in data.bboxes[index])
    return GradCamView(index, image, int(data.labels[index]), (x0, y0, x1, y1), probs, tuple(maps))
