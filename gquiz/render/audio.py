"""Renderers for :mod:`gquiz.engine.audio` steps."""

from __future__ import annotations

from collections.abc import Callable

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_num as f
from gquiz.render.stats import fv


def mel_forward(step: Step) -> str:
    a = step.args
    return (
        f"m = 2595 log₁₀(1 + f / 700)（= 1127 ln(1 + f / 700)） = 2595 log₁₀(1 + {f(a['hz'])} / 700)\n"
        f"  = 2595 × log₁₀ {fv(a['ratio'])} = 2595 × {fv(a['log10'])} = {fv(a['value'])}"
    )


def mel_inverse(step: Step) -> str:
    a = step.args
    return (
        f"f = 700 (10^(m / 2595) − 1) = 700 × (10^({f(a['mel'])} / 2595) − 1)\n"
        f"  = 700 × ({fv(a['power'])} − 1) = {fv(a['value'])}"
    )


RENDERERS: dict[str, Callable[[Step], str]] = {
    "mel_forward": mel_forward,
    "mel_inverse": mel_inverse,
}
