"""Renderers for :mod:`gquiz.engine.distill` steps."""

from __future__ import annotations

from collections.abc import Callable

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_num as f
from gquiz.render.fmt import fmt_term as ft


def kl(step: Step) -> str:
    a = step.args
    lines = ["KL(教師 ‖ 生徒) = Σ p_教師 × (log p_教師 − log p_生徒)"]
    for pt_row, ps_row, terms in zip(a["pt"], a["ps"], a["terms"], strict=False):
        parts = " + ".join(
            f"{ft(p)}×(log {ft(p)} − log {ft(q)})" for p, q in zip(pt_row, ps_row, strict=False)
        )
        lines.append(f"  = {parts} = {f(sum(terms))}")
    lines.append(f"KL（平均） = {f(a['kl'])}（ソフトな交差エントロピーでは {f(a['soft_ce'])}）")
    return "\n".join(lines)


def t2(step: Step) -> str:
    a = step.args
    return f"ソフトターゲットの項 = T² × KL = {f(a['t'])}² × {f(a['kl'])} = {f(a['value'])}（勾配が 1/T² 倍になるのを補う）"


def hard_ce(step: Step) -> str:
    return f"正解ラベルとの交差エントロピー（T = 1） = {f(step.args['value'])}"


def distill_total(step: Step) -> str:
    a = step.args
    return (
        f"蒸留損失 = α × ソフト + (1 − α) × ハード = {f(a['alpha'])} × {ft(a['soft'])} + "
        f"(1 − {ft(a['alpha'])}) × {ft(a['hard'])} = {f(a['value'])}"
    )


RENDERERS: dict[str, Callable[[Step], str]] = {
    "kl": kl,
    "t2": t2,
    "hard_ce": hard_ce,
    "distill_total": distill_total,
}
