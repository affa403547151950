"""Renderers for :mod:`gquiz.engine.rl` steps."""

from __future__ import annotations

from collections.abc import Callable

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_num as f
from gquiz.render.fmt import fmt_term as ft
from gquiz.render.stats import fv, fvt

_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _pow(k: int, base: str = "γ") -> str:
    return "" if k == 0 else base if k == 1 else base + str(k).translate(_SUP)


def rl_return(step: Step) -> str:
    a = step.args
    g = a["gamma"]
    sym = " + ".join(f"{_pow(k)}r{k + 1}" for k in range(len(a["rewards"])))
    nums = " + ".join(
        (ft(r) if k == 0 else f"{_pow(k, f(g))}×{ft(r)}") for k, r in enumerate(a["rewards"])
    )
    n = len(a["rewards"])
    lines = [
        f"割引収益 G = {sym}" + (f" + {_pow(n)} V(s{n})" if a["bootstrap"] is not None else "")
    ]
    tail = f" + {_pow(n, f(g))}×{ft(a['bootstrap'])}" if a["bootstrap"] is not None else ""
    lines.append(f"  = {nums}{tail}（最初の報酬は割り引かない）")
    terms = [fvt(t) for t in a["terms"]]
    if a["boot_term"] is not None:
        terms.append(fvt(a["boot_term"]))
    lines.append(f"  = {' + '.join(terms)} = {fv(a['value'])}")
    return "\n".join(lines)


def rl_td_target(step: Step) -> str:
    a = step.args
    nxt = "max_a' Q(s', a')" if a.get("q") == "max" else ("Q(s', a')" if a.get("q") else "V(s')")
    if a["terminal"]:
        return f"s' は終端なので {nxt} = 0: ターゲット = r = {fv(a['value'])}"
    return f"ターゲット = r + γ × {nxt} = {ft(a['reward'])} + {f(a['gamma'])} × {fvt(a['v_next'])} = {fv(a['value'])}"


def rl_td_error(step: Step) -> str:
    a = step.args
    cur = "Q(s, a)" if a.get("q") else "V(s)"
    return f"TD 誤差 δ = ターゲット − {cur} = {fv(a['target'])} − {fvt(a['v'])} = {fv(a['value'])}"


def rl_td_new(step: Step) -> str:
    a = step.args
    return f"{a['what']} ← {a['what']} + α δ = {fv(a['v'])} + {f(a['alpha'])} × {fvt(a['delta'])} = {fv(a['value'])}"


def rl_q_next(step: Step) -> str:
    a = step.args
    row = ", ".join(f"Q(s{a['next_state']}, a{j}) = {f(v)}" for j, v in enumerate(a["row"]))
    if a["terminal"]:
        return f"次の状態 s{a['next_state']} は終端: 次の状態の価値は 0"
    if a["method"] == "q_learning":
        return (
            f"Q 学習（方策オフ）: 次の状態の行動価値 {row} の最大値を使う"
            f"（実際に次にとる行動は関係ない） → max = Q(s{a['next_state']}, a{a['argmax']}) = {fv(a['value'])}"
        )
    return (
        f"SARSA（方策オン）: 次に実際にとる行動 a' = a{a['next_action']} の値を使う（最大値ではない）: {row}"
        f" → Q(s{a['next_state']}, a{a['next_action']}) = {fv(a['value'])}"
    )


RENDERERS: dict[str, Callable[[Step], str]] = {
    "rl_return": rl_return,
    "rl_td_target": rl_td_target,
    "rl_td_error": rl_td_error,
    "rl_td_new": rl_td_new,
    "rl_q_next": rl_q_next,
}
