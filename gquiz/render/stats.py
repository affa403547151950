"""Renderers for :mod:`gquiz.engine.stats` steps (and the shared ``fv`` result formatter).

A step's result is printed with :func:`fv` (at least 4 decimals, 6 significant digits) so
that the last line shows the answer to any precision a family states (小数第3位, 有効数字3桁).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_num as f
from gquiz.render.fmt import fmt_term as ft


def fv(x: Any) -> str:
    """A result: exact when it is a short decimal, else at least 4 decimals / 6 significant digits.

    Examples
    --------
    >>> fv(0.5), fv(1 / 3), fv(2595 * math.log10(1 + 440 / 700)), fv(-2.0)
    ('0.5', '0.333333', '549.6387', '-2')
    """
    v = float(x)
    if not math.isfinite(v):
        return f(v)
    r = round(v, 10)  # 2.1000000000000005 is 2.1
    if r.is_integer() or float(f"{r:.6g}") == r:
        return f(r)
    mag = math.floor(math.log10(abs(v))) if v else 0
    decimals = max(4, 5 - mag) if abs(v) < 1000 else max(3, 5 - mag)
    return f"{v:.{decimals}f}"


def fvt(x: Any) -> str:
    """:func:`fv` with parentheses around negatives, for use inside a formula."""
    s = fv(x)
    return f"({s})" if s.startswith("-") else s


def vec(xs: Any) -> str:
    return "[" + ", ".join(fv(v) for v in xs) + "]"


def stat_mean(step: Step) -> str:
    a = step.args
    vals = " + ".join(ft(v) for v in a["values"])
    return f"平均 μ = ({vals}) / {a['n']} = {f(a['sum'])} / {a['n']} = {fv(a['value'])}"


def stat_median(step: Step) -> str:
    a = step.args
    s = ", ".join(f(v) for v in a["sorted"])
    pos = a["positions"]
    if len(pos) == 1:
        return (
            f"小さい順に並べる: {s}（{a['n']} 個）\n中央値 = {pos[0]} 番目の値 = {fv(a['value'])}"
        )
    x, y = a["sorted"][pos[0] - 1], a["sorted"][pos[1] - 1]
    return (
        f"小さい順に並べる: {s}（{a['n']} 個、偶数）\n"
        f"中央値 = {pos[0]} 番目と {pos[1]} 番目の平均 = ({f(x)} + {ft(y)}) / 2 = {fv(a['value'])}"
    )


def stat_deviations(step: Step) -> str:
    a = step.args
    mu = a["mean"]
    terms = " + ".join(f"({f(x)} − {f(mu)})²" for x in a["values"])
    squares = " + ".join(fv(v) for v in a["squares"])
    return f"偏差の二乗和 Σ(x − μ)² = {terms}\n  = {squares} = {fv(a['ss'])}"


def stat_variance(step: Step) -> str:
    a = step.args
    if a["sample"]:
        return f"不偏分散 s² = Σ(x − μ)² / (n − 1)（n − 1 で割る） = {fv(a['ss'])} / {a['n'] - 1} = {fv(a['value'])}"
    return f"分散 σ² = Σ(x − μ)² / n（n で割る） = {fv(a['ss'])} / {a['n']} = {fv(a['value'])}"


def stat_std(step: Step) -> str:
    a = step.args
    name = "不偏分散の平方根 s" if a["sample"] else "標準偏差 σ"
    return f"{name} = √{fvt(a['var'])} = {fv(a['value'])}"


def ev_mean(step: Step) -> str:
    a = step.args
    terms = " + ".join(f"{ft(x)}×{f(p)}" for x, p in zip(a["values"], a["probs"], strict=True))
    return f"期待値 E[X] = Σ x P(X = x) = {terms} = {fv(a['value'])}"


def ev_second_moment(step: Step) -> str:
    a = step.args
    terms = " + ".join(f"{ft(x)}²×{f(p)}" for x, p in zip(a["values"], a["probs"], strict=True))
    return f"E[X²] = Σ x² P(X = x) = {terms} = {fv(a['value'])}"


def ev_variance(step: Step) -> str:
    a = step.args
    return f"分散 Var[X] = E[X²] − (E[X])² = {fv(a['e_x2'])} − {fvt(a['mean'])}² = {fv(a['value'])}"


def ev_linear_mean(step: Step) -> str:
    a = step.args
    return f"E[{f(a['a'])}X + {ft(a['b'])}] = {f(a['a'])} × E[X] + {ft(a['b'])} = {f(a['a'])} × {fvt(a['mean_x'])} + {ft(a['b'])} = {fv(a['value'])}"


def ev_linear_var(step: Step) -> str:
    a = step.args
    return (
        f"Var[{f(a['a'])}X + {ft(a['b'])}] = {ft(a['a'])}² × Var[X]（定数 {ft(a['b'])} を足しても分散は変わらない）"
        f" = {fv(a['a'] ** 2)} × {fvt(a['var_x'])} = {fv(a['value'])}"
    )


def bayes_total(step: Step) -> str:
    a = step.args
    pd = a["prior"]
    if a["neg"]:
        return (
            f"全確率の公式: P(−) = P(D)P(−|D) + P(¬D)P(−|¬D) = {f(pd)}×{fv(a['se'])} + {fv(1 - pd)}×{fv(a['fp'])}"
            f" = {fv(a['value'])}"
        )
    return (
        f"全確率の公式: P(+) = P(D)P(+|D) + P(¬D)P(+|¬D) = {f(pd)}×{f(a['se'])} + {fv(1 - pd)}×{f(a['fp'])}"
        f" = {fv(a['value'])}"
    )


def bayes_posterior(step: Step) -> str:
    a = step.args
    s = "−" if a["neg"] else "+"
    return (
        f"ベイズの定理: P(D|{s}) = P(D)P({s}|D) / P({s}) = {fv(a['joint'])} / {fv(a['evidence'])}"
        f" = {fv(a['value'])}"
    )


def bayes_update(step: Step) -> str:
    a = step.args
    return (
        f"2 回目の検査では 1 回目の事後確率 {fv(a['prior'])} を事前確率にする:\n"
        f"  P(D|+,+) = {fv(a['prior'])}×{f(a['se'])} / ({fv(a['prior'])}×{f(a['se'])} + {fv(1 - a['prior'])}×{f(a['fp'])})"
        f" = {fv(a['joint'])} / {fv(a['evidence'])} = {fv(a['value'])}"
    )


def eig_char(step: Step) -> str:
    a = step.args
    (p, q), (r, s) = a["matrix"]
    return (
        f"特性方程式 det(A − λI) = ({f(p)} − λ)({f(s)} − λ) − {ft(q)}×{ft(r)} = 0\n"
        f"  → λ² − (tr A) λ + det A = 0、tr A = {f(p)} + {ft(s)} = {f(a['trace'])}、"
        f"det A = {ft(p)}×{ft(s)} − {ft(q)}×{ft(r)} = {f(a['det'])}"
    )


def eig_roots(step: Step) -> str:
    a = step.args
    tr, det = a["trace"], a["det"]
    l1, l2 = a["values"]
    head = f"λ² − {ft(tr)}λ + {ft(det)} = 0 → λ = (tr ± √(tr² − 4 det)) / 2 = ({f(tr)} ± √{ft(a['disc'])}) / 2"
    if a["ask"] == "largest":
        return f"{head}\n大きいほうの固有値 λ₁ = {fv(l1)}（もう一つは λ₂ = {fv(l2)}）"
    if a["ask"] == "vector":
        return f"{head}\nλ₁ = {fv(l1)}、λ₂ = {fv(l2)}"
    return f"{head}\n固有値（大きい順） = [{fv(l1)}, {fv(l2)}]"


def eig_vector(step: Step) -> str:
    a = step.args
    (p, q), (r, s) = a["matrix"]
    lam = a["value"]
    if a["row"] == "first":
        return (
            f"(A − λ₁I)v = 0 の 1 行目: ({f(p)} − {fv(lam)}) v₁ + {ft(q)} v₂ = 0\n"
            f"  v₁ = 1 とすると v₂ = t = (λ₁ − {ft(p)}) / {ft(q)} = {fv(a['t'])}"
        )
    if a["row"] in ("first_zero", "second_zero"):
        which = "1" if a["row"] == "first_zero" else "2"
        return f"(A − λ₁I)v = 0 の {which} 行目から v₁ = 0: 固有ベクトルは (0, 1) の定数倍"
    if a["row"] == "scalar":
        return "A = λI なので、すべてのベクトルが固有ベクトル（例えば (1, 0)、t = 0）"
    return (
        f"(A − λ₁I)v = 0 の 2 行目: {ft(r)} v₁ + ({f(s)} − {fv(lam)}) v₂ = 0\n"
        f"  v₁ = 1 とすると v₂ = t = {fv(a['t'])}"
    )


_ERR_NAMES = {"mse": ("平均二乗誤差 MSE", "e²"), "mae": ("平均絶対誤差 MAE", "|e|")}


def err_residuals(step: Step) -> str:
    a = step.args
    es = ", ".join(
        f"{f(p)} − {ft(t)} = {f(e)}"
        for t, p, e in zip(a["y_true"], a["y_pred"], a["errors"], strict=True)
    )
    return f"誤差 e = 予測 − 正解: {es}"


def err_mean(step: Step) -> str:
    a = step.args
    name, sym = _ERR_NAMES[a["what"]]
    terms = " + ".join(f(v) for v in a["terms"])
    return f"{name} = Σ{sym} / n = ({terms}) / {a['n']} = {fv(a['value'])}"


def err_rmse(step: Step) -> str:
    a = step.args
    return f"RMSE = √MSE = √{fvt(a['mse'])} = {fv(a['value'])}"


RENDERERS: dict[str, Callable[[Step], str]] = {
    "stat_mean": stat_mean,
    "stat_median": stat_median,
    "stat_deviations": stat_deviations,
    "stat_variance": stat_variance,
    "stat_std": stat_std,
    "ev_mean": ev_mean,
    "ev_second_moment": ev_second_moment,
    "ev_variance": ev_variance,
    "ev_linear_mean": ev_linear_mean,
    "ev_linear_var": ev_linear_var,
    "bayes_total": bayes_total,
    "bayes_posterior": bayes_posterior,
    "bayes_update": bayes_update,
    "eig_char": eig_char,
    "eig_roots": eig_roots,
    "eig_vector": eig_vector,
    "err_residuals": err_residuals,
    "err_mean": err_mean,
    "err_rmse": err_rmse,
}
