"""Renderers for :mod:`gquiz.engine.explain` steps."""

from __future__ import annotations

from collections.abc import Callable

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_array
from gquiz.render.fmt import fmt_num as f
from gquiz.render.fmt import fmt_term as ft


def gradcam_weight(step: Step) -> str:
    a = step.args
    return f"α_{a['channel']} = 勾配の平均 (GAP) = {f(a['sum'])} / {a['count']} = {f(a['alpha'])}"


def gradcam_sum(step: Step) -> str:
    a = step.args
    terms = " + ".join(f"{ft(al)}×A_{c}" for c, al in enumerate(a["alpha"]))
    return f"Σ α_c A_c = {terms} =\n{fmt_array(a['raw'])}"


def gradcam_relu(step: Step) -> str:
    return f"ReLU（負の値を 0 に）:\n{fmt_array(step.args['relu'])}"


def gradcam_normalize(step: Step) -> str:
    a = step.args
    if a["max"] == 0:
        return "最大値が 0 なので正規化せず、すべて 0 のまま"
    return f"最大値 {f(a['max'])} で割って [0, 1] に正規化:\n{fmt_array(a['cam'])}"


RENDERERS: dict[str, Callable[[Step], str]] = {
    "gradcam_weight": gradcam_weight,
    "gradcam_sum": gradcam_sum,
    "gradcam_relu": gradcam_relu,
    "gradcam_normalize": gradcam_normalize,
}
