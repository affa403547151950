"""Renderers for :mod:`gquiz.engine.losses` steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_array
from gquiz.render.fmt import fmt_num as f
from gquiz.render.fmt import fmt_term as ft


def _row(a: dict[str, Any], prefix: str = "") -> str:
    label = a.get("label") or ""
    row = f"{a['row']}行目 " if a.get("row") is not None else ""
    return f"{label}{' ' if label else ''}{row}{prefix}"


def softmax(step: Step) -> str:
    a = step.args
    t = a["t"]
    zi, zj = ("z_i / T", "z_j / T") if t != 1 else ("z_i", "z_j")
    exps = ", ".join(
        f"exp({ft(z) + ' / ' + f(t) if t != 1 else f(z)}) = {f(e)}"
        for z, e in zip(a["logits"], a["exps"], strict=False)
    )
    return "\n".join(
        [
            f"{_row(a)}ソフトマックス p_i = exp({zi}) / Σ_j exp({zj})"
            + (f"（T = {f(t)}）" if t != 1 else ""),
            f"  {exps}",
            f"  合計 = {f(a['sum'])}",
            f"  p = {fmt_array(a['probs'])}",
        ]
    )


def ce_term(step: Step) -> str:
    a = step.args
    return f"{_row(a)}交差エントロピー = −log p[正解 {a['target']}] = −log {f(a['p'])} = {f(a['loss'])}"


def mean(step: Step) -> str:
    a = step.args
    vals = " + ".join(ft(v) for v in a["values"])
    return f"{a['what']}（平均） = ({vals}) / {len(a['values'])} = {f(a['value'])}"


def sigmoid(step: Step) -> str:
    a = step.args
    return f"σ({ft(a['x'])}) = 1 / (1 + e^(−x)) = 1 / (1 + {ft(a['exp'])}) = {f(a['value'])}"


def bce_term(step: Step) -> str:
    a = step.args
    return (
        f"−[y log p + (1 − y) log(1 − p)] = −[{ft(a['y'])}×log {ft(a['p'])} + (1 − {ft(a['y'])})×log(1 − {ft(a['p'])})]"
        f" = {f(a['loss'])}"
    )


def contrastive_term(step: Step) -> str:
    a = step.args
    if a["y"] == 1:
        return f"類似ペア (y=1): ½ d² = ½ × {ft(a['d'])}² = {f(a['loss'])}"
    return f"非類似ペア (y=0): ½ max(m − d, 0)² = ½ × max({ft(a['m'])} − {ft(a['d'])}, 0)² = {f(a['loss'])}"


def triplet_term(step: Step) -> str:
    a = step.args
    return f"max(d(a, p) − d(a, n) + m, 0) = max({ft(a['dp'])} − {ft(a['dn'])} + {ft(a['m'])}, 0) = {f(a['loss'])}"


def bn_channel(step: Step) -> str:
    a = step.args
    head = f"チャネル {a['channel']}: " if a["channel"] is not None else ""
    vals = a["values"]
    return "\n".join(
        [
            f"{head}平均 μ = ({' + '.join(ft(v) for v in vals)}) / {len(vals)} = {f(a['mean'])}",
            f"  分散 σ² = Σ(x − μ)² / {len(vals)} = {f(a['var'])}（N で割る）",
            f"  x̂ = (x − μ) / √(σ² + ε) = (x − {ft(a['mean'])}) / √({ft(a['var'])} + {ft(a['eps'])}) → {fmt_array(a['normalized'])}",
            f"  y = γ x̂ + β = {f(a['gamma'])} x̂ + {ft(a['beta'])} → {fmt_array(a['output'])}",
        ]
    )


RENDERERS: dict[str, Callable[[Step], str]] = {
    "softmax": softmax,
    "ce_term": ce_term,
    "mean": mean,
    "sigmoid": sigmoid,
    "bce_term": bce_term,
    "contrastive_term": contrastive_term,
    "triplet_term": triplet_term,
    "bn_channel": bn_channel,
}
