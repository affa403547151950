"""Renderers for :mod:`gquiz.engine.shapley` steps."""

from __future__ import annotations

from collections.abc import Callable

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_num as f
from gquiz.render.fmt import fmt_term as ft


def _set(members: list[str]) -> str:
    return "{" + ", ".join(members) + "}" if members else "∅"


def shapley_formula(step: Step) -> str:
    return f"φ_i = Σ_S |S|! (n − |S| − 1)! / n! × (v(S ∪ {{i}}) − v(S))（n = {step.args['n']}、S は i を含まない提携）"


def shapley_term(step: Step) -> str:
    a = step.args
    s = _set(a["coalition"])
    with_i = _set(a["with"])
    return (
        f"  {a['player']}: S = {s}: 限界貢献 v({with_i}) − v({s}) = {f(a['v_with'])} − {ft(a['v_without'])} = "
        f"{f(a['marginal'])}、重み {a['weight']} → {f(a['contribution'])}"
    )


def shapley_value(step: Step) -> str:
    return f"φ({step.args['player']}) = {f(step.args['value'])}"


def efficiency(step: Step) -> str:
    a = step.args
    mark = "成り立つ" if a["holds"] else "成り立たない"
    return (
        f"効率性: Σφ = {f(a['sum'])}、v(全員) − v(∅) = {f(a['v_all'])} − {ft(a['v_empty'])} = "
        f"{f(a['difference'])} → {mark}"
    )


def coalition_value_rule(step: Step) -> str:
    return (
        f"提携 S の値 v(S) = S の特徴量は説明対象の値、それ以外は背景データの値にしたときの予測の平均"
        f"（背景 {step.args['background_rows']} 行）"
    )


RENDERERS: dict[str, Callable[[Step], str]] = {
    "shapley_formula": shapley_formula,
    "shapley_term": shapley_term,
    "shapley_value": shapley_value,
    "efficiency": efficiency,
    "coalition_value_rule": coalition_value_rule,
}
