"""Activations and losses: softmax, cross-entropy, sigmoid, binary cross-entropy,
contrastive and triplet losses, and batch normalisation (training mode).

Batch losses are averaged over the batch (PyTorch's ``reduction="mean"``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gquiz.engine.core import EngineError, Solution, Step, as_array, as_float
from gquiz.engine.registry import solver

# torch.nn.functional.binary_cross_entropy clamps log(p) at −100 so that p = 0 or 1
# give a large finite loss instead of infinity; we do the same.
LOG_CLAMP = -100.0


def softmax_rows(z: np.ndarray, t: float = 1.0) -> np.ndarray:
    """Numerically stable softmax along the last axis of ``z / t``."""
    s = z / t
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    p: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return p


def softmax_steps(z: np.ndarray, t: float, label: str = "") -> list[Step]:
    rows = z.reshape(-1, z.shape[-1])
    steps = []
    for i, row in enumerate(rows):
        s = row / t
        e = np.exp(s)
        steps.append(
            Step(
                "softmax",
                {
                    "label": label,
                    "row": i if rows.shape[0] > 1 else None,
                    "logits": row,
                    "t": t,
                    "exps": e,
                    "sum": e.sum(),
                    "probs": softmax_rows(row, t),
                },
            )
        )
    return steps


@solver(
    "softmax",
    "ソフトマックス (温度つき) p_i = exp(z_i / T) / Σ_j exp(z_j / T)",
    {"logits": "ロジット (ベクトルか N×C の行列)", "temperature": "温度 T (既定 1)"},
)
def softmax(logits: Any, temperature: Any = 1) -> Solution:
    """Softmax with temperature along the last axis.

    A higher ``T`` flattens the distribution (knowledge distillation's soft targets).

    Examples
    --------
    >>> softmax([1.0, 2.0, 3.0]).answer.round(4)
    array([0.09  , 0.2447, 0.6652])
    """
    z = as_array(logits, "logits", ndim=(1, 2))
    t = as_float(temperature, "temperature", positive=True)
    return Solution(softmax_rows(z, t), tuple(softmax_steps(z, t)))


def _targets(target: Any, n: int, c: int, name: str = "target") -> np.ndarray:
    y = as_array(target, name, ndim=(0, 1), dtype=int).reshape(-1)
    if y.shape[0] != n:
        raise EngineError(f"{name} の個数 ({y.shape[0]}) がロジットの行数 ({n}) と一致しない")
    if np.any((y < 0) | (y >= c)):
        raise EngineError(f"{name} のクラス番号は 0〜{c - 1} でなければならない")
    return y


@solver(
    "cross_entropy",
    "ソフトマックス交差エントロピー誤差 −log p[正解]",
    {"logits": "ロジット (ベクトルか N×C)", "target": "正解クラスの番号 (整数か長さ N のリスト)"},
)
def cross_entropy(logits: Any, target: Any) -> Solution:
    """Softmax cross-entropy ``−log softmax(z)[y]``, averaged over the batch (``F.cross_entropy``).

    Examples
    --------
    >>> round(cross_entropy([2.0, 1.0, 0.1], 0).answer, 4)
    0.417
    """
    z = as_array(logits, "logits", ndim=(1, 2))
    z2 = z.reshape(-1, z.shape[-1])
    y = _targets(target, z2.shape[0], z2.shape[1])
    logp = z2 - z2.max(axis=1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(axis=1, keepdims=True))
    losses = -logp[np.arange(len(y)), y]
    steps = softmax_steps(z2, 1.0)
    for i, (yi, li) in enumerate(zip(y, losses, strict=False)):
        steps.append(
            Step(
                "ce_term",
                {"row": i if len(y) > 1 else None, "target": yi, "p": np.exp(-li), "loss": li},
            )
        )
    loss = float(losses.mean())
    if len(y) > 1:
        steps.append(Step("mean", {"what": "交差エントロピー", "values": losses, "value": loss}))
    return Solution(loss, tuple(steps))


@solver("sigmoid", "シグモイド関数 σ(x) = 1 / (1 + e^(−x))", {"x": "入力 (スカラーか配列)"})
def sigmoid(x: Any) -> Solution:
    """Logistic sigmoid ``1 / (1 + exp(−x))`` element-wise."""
    a = as_array(x, "x")
    e = np.exp(-np.abs(a))  # never overflows; both branches equal 1/(1+e^-x)
    out = np.where(a >= 0, 1 / (1 + e), e / (1 + e))
    steps = tuple(
        Step("sigmoid", {"x": xv, "exp": np.exp(-xv), "value": v})
        for xv, v in zip(a.ravel()[:200], out.ravel(), strict=False)
    )
    return Solution(out if out.ndim else float(out), steps)


@solver(
    "binary_cross_entropy",
    "2値交差エントロピー −[y log p + (1 − y) log(1 − p)]",
    {"p": "予測確率 (0〜1、スカラーか配列)", "y": "正解 (0 か 1、p と同じ形)"},
)
def binary_cross_entropy(p: Any, y: Any) -> Solution:
    """Binary cross-entropy averaged over elements (``F.binary_cross_entropy``; log clamped at −100)."""
    pa = as_array(p, "p")
    ya = as_array(y, "y")
    if pa.shape != ya.shape:
        raise EngineError(f"y の形 {ya.shape} が p の形 {pa.shape} と一致しない")
    if np.any((pa < 0) | (pa > 1)):
        raise EngineError("p は 0 以上 1 以下の確率でなければならない")
    if np.any((ya < 0) | (ya > 1)):
        raise EngineError("y は 0 以上 1 以下でなければならない")
    with np.errstate(divide="ignore"):
        lp = np.maximum(np.log(pa), LOG_CLAMP)
        l1p = np.maximum(np.log1p(-pa), LOG_CLAMP)
    terms = -(ya * lp + (1 - ya) * l1p)
    steps = [
        Step("bce_term", {"p": pv, "y": yv, "loss": tv})
        for pv, yv, tv in zip(pa.ravel(), ya.ravel(), terms.ravel(), strict=False)
    ]
    loss = float(terms.mean())
    if terms.size > 1:
        steps.append(
            Step("mean", {"what": "2値交差エントロピー", "values": terms.ravel(), "value": loss})
        )
    return Solution(loss, tuple(steps))


def _pairs(a: Any, b: Any, na: str, nb: str) -> tuple[np.ndarray, np.ndarray]:
    x = as_array(a, na, ndim=(1, 2))
    y = as_array(b, nb, ndim=(1, 2))
    if x.shape != y.shape:
        raise EngineError(f"{nb} の形 {y.shape} が {na} の形 {x.shape} と一致しない")
    return x.reshape(-1, x.shape[-1]), y.reshape(-1, y.shape[-1])


@solver(
    "contrastive_loss",
    "Contrastive Loss ½[y d² + (1 − y) max(m − d, 0)²] (y=1 が類似ペア)",
    {
        "x1": "1 つ目の埋め込み (ベクトルか N×D)",
        "x2": "2 つ目の埋め込み",
        "label": "1 = 類似ペア、0 = 非類似ペア",
        "margin": "マージン m (既定 1)",
    },
)
def contrastive_loss(x1: Any, x2: Any, label: Any, margin: Any = 1.0) -> Solution:
    """Contrastive loss (Hadsell, Chopra & LeCun 2006) with the ½ factor, Euclidean distance.

    ``label = 1`` marks a similar pair (pulled together, loss ½d²), ``label = 0`` a
    dissimilar one (pushed beyond the margin, loss ½max(m − d, 0)²). Mean over pairs.
    """
    a, b = _pairs(x1, x2, "x1", "x2")
    y = as_array(label, "label", ndim=(0, 1)).reshape(-1)
    if y.shape[0] != a.shape[0]:
        raise EngineError(f"label の個数 ({y.shape[0]}) がペアの数 ({a.shape[0]}) と一致しない")
    if not np.all((y == 0) | (y == 1)):
        raise EngineError("label は 0 か 1 でなければならない")
    m = as_float(margin, "margin", min_value=0)
    d = np.sqrt(((a - b) ** 2).sum(axis=1))
    losses = 0.5 * (y * d**2 + (1 - y) * np.maximum(m - d, 0) ** 2)
    steps = [
        Step("contrastive_term", {"d": dv, "y": int(yv), "m": m, "loss": lv})
        for dv, yv, lv in zip(d, y, losses, strict=False)
    ]
    loss = float(losses.mean())
    if len(losses) > 1:
        steps.append(Step("mean", {"what": "Contrastive Loss", "values": losses, "value": loss}))
    return Solution(loss, tuple(steps))


@solver(
    "triplet_loss",
    "Triplet Loss max(d(a, p) − d(a, n) + m, 0)",
    {
        "anchor": "アンカー (ベクトルか N×D)",
        "positive": "同じクラスの例",
        "negative": "異なるクラスの例",
        "margin": "マージン m (既定 1)",
    },
)
def triplet_loss(anchor: Any, positive: Any, negative: Any, margin: Any = 1.0) -> Solution:
    """Triplet loss with Euclidean distances (``F.triplet_margin_loss`` with ``p=2``, ``eps=0``), mean over triplets."""
    a, p = _pairs(anchor, positive, "anchor", "positive")
    _, n = _pairs(anchor, negative, "anchor", "negative")
    m = as_float(margin, "margin", min_value=0)
    dp = np.sqrt(((a - p) ** 2).sum(axis=1))
    dn = np.sqrt(((a - n) ** 2).sum(axis=1))
    losses = np.maximum(dp - dn + m, 0)
    steps = [
        Step("triplet_term", {"dp": x, "dn": y, "m": m, "loss": z})
        for x, y, z in zip(dp, dn, losses, strict=False)
    ]
    loss = float(losses.mean())
    if len(losses) > 1:
        steps.append(Step("mean", {"what": "Triplet Loss", "values": losses, "value": loss}))
    return Solution(loss, tuple(steps))


@solver(
    "batch_norm",
    "バッチ正規化 (学習時、バッチ統計量・不偏でない分散)",
    {
        "x": "入力 (N, N×C または N×C×H×W)",
        "gamma": "スケール γ (スカラーか長さ C、既定 1)",
        "beta": "シフト β (スカラーか長さ C、既定 0)",
        "eps": "ε (既定 1e-5)",
    },
)
def batch_norm(x: Any, gamma: Any = 1.0, beta: Any = 0.0, eps: Any = 1e-5) -> Solution:
    """Batch normalisation in training mode: ``y = γ (x − μ_B) / √(σ²_B + ε) + β``.

    ``μ_B`` and the biased variance ``σ²_B`` (divide by the count, not count − 1) are
    taken per channel over the batch (and spatial) axes, as ``F.batch_norm(training=True)``.
    """
    a = as_array(x, "x", ndim=(1, 2, 4))
    e = as_float(eps, "eps", min_value=0)
    a2 = a[:, None] if a.ndim == 1 else a
    if a2.shape[0] * int(np.prod(a2.shape[2:])) < 2:
        raise EngineError("バッチ x の要素数がチャネルあたり 1 個しかなく分散が求められない")
    c = a2.shape[1]
    g = _per_channel(gamma, c, "gamma")
    b = _per_channel(beta, c, "beta")
    axes = (0,) + tuple(range(2, a2.ndim))
    mu = a2.mean(axis=axes)
    var = a2.var(axis=axes)
    shape = (1, c) + (1,) * (a2.ndim - 2)
    xhat = (a2 - mu.reshape(shape)) / np.sqrt(var.reshape(shape) + e)
    y = g.reshape(shape) * xhat + b.reshape(shape)
    steps = []
    for ch in range(c):
        vals = np.moveaxis(a2, 1, 0)[ch].ravel()
        steps.append(
            Step(
                "bn_channel",
                {
                    "channel": ch if c > 1 else None,
                    "values": vals,
                    "mean": mu[ch],
                    "var": var[ch],
                    "eps": e,
                    "gamma": g[ch],
                    "beta": b[ch],
                    "normalized": np.moveaxis(xhat, 1, 0)[ch].ravel(),
                    "output": np.moveaxis(y, 1, 0)[ch].ravel(),
                },
            )
        )
    out = y[:, 0] if a.ndim == 1 else y
    return Solution(
        {
            "output": out,
            "mean": mu if a.ndim > 1 else float(mu[0]),
            "var": var if a.ndim > 1 else float(var[0]),
        },
        tuple(steps),
    )


def _per_channel(v: Any, c: int, name: str) -> np.ndarray:
    arr = as_array(v, name, ndim=(0, 1))
    if arr.ndim == 0:
        return np.full(c, float(arr))
    if arr.shape[0] != c:
        raise EngineError(f"{name} の長さ ({arr.shape[0]}) がチャネル数 ({c}) と一致しない")
    return arr


__all__ = [
    "batch_norm",
    "binary_cross_entropy",
    "contrastive_loss",
    "cross_entropy",
    "sigmoid",
    "softmax",
    "softmax_rows",
    "triplet_loss",
]
