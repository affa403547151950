"""Renderers for :mod:`gquiz.engine.conv` steps."""

from __future__ import annotations

from collections.abc import Callable

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_array
from gquiz.render.fmt import fmt_num as f
from gquiz.render.fmt import fmt_term as ft


def _idx(index: list[int]) -> str:
    return ",".join(str(i) for i in index)


def conv_cell(step: Step) -> str:
    a = step.args
    terms = " + ".join(f"{ft(x)}×{ft(w)}" for x, w in a["terms"])
    return (
        f"{a['label']}[{_idx(a['index'])}] = {terms} + (バイアス {f(a['bias'])}) = {f(a['value'])}"
    )


def conv_size(step: Step) -> str:
    a = step.args
    head = f"出力サイズ（{a['axis']}）" if a.get("axis") else "出力サイズ"
    if a["d"] == 1:
        formula = "(N + 2P − K) / S + 1"
        subst = f"({a['n']} + 2×{a['p']} − {a['k']}) / {a['s']} + 1"
    else:
        formula = "(N + 2P − D×(K − 1) − 1) / S + 1"
        subst = f"({a['n']} + 2×{a['p']} − {a['d']}×({a['k']} − 1) − 1) / {a['s']} + 1"
    tail = (
        ""
        if a["exact"]
        else f"（割り切れないので切り捨て: {a['numerator']} ÷ {a['s']} → {a['numerator'] // a['s']}）"
    )
    return f"{head} = {formula} = {subst} = {a['result']}{tail}"


def conv_formula(step: Step) -> str:
    a = step.args
    sh, sw = a["stride"]
    dh, dw = a["dilation"]
    row = "i" if sh == 1 else f"{sh}i"
    col = "j" if sw == 1 else f"{sw}j"
    ra = "a" if dh == 1 else f"{dh}a"
    cb = "b" if dw == 1 else f"{dw}b"
    if a["channels"] == 1:
        body = f"Σ_a Σ_b 入力[{row}+{ra}, {col}+{cb}] × カーネル[a, b]"
    else:
        body = f"Σ_c Σ_a Σ_b 入力[c, {row}+{ra}, {col}+{cb}] × カーネル[c, a, b]"
    head = "出力[i,j]" if a["out_channels"] == 1 else "出力[o,i,j]"
    return f"{head} = {body} + バイアス（カーネルは反転しない: 相互相関）"


def padded_input(step: Step) -> str:
    a = step.args
    return f"ゼロパディング (縦 {a['padding'][0]}, 横 {a['padding'][1]}) 後の入力:\n{fmt_array(a['array'])}"


def cells_truncated(step: Step) -> str:
    return f"（以下省略: 全 {step.args['total']} セルのうち {step.args['shown']} セルを表示）"


def stage(step: Step) -> str:
    return {
        "depthwise": "【1】Depthwise 畳み込み（チャネルごと）",
        "pointwise": "【2】Pointwise 畳み込み（1×1）",
    }[step.args["name"]]


def conv_params(step: Step) -> str:
    a = step.args
    lines = [
        "重み数 = 出力チャネル × (入力チャネル / groups) × kh × kw"
        f" = {a['cout']} × ({a['cin']} / {a['groups']}) × {a['kh']} × {a['kw']} = {a['weights']}",
        f"バイアス数 = {a['biases']}",
        f"パラメータ数 = {a['weights']} + {a['biases']} = {a['params']}",
    ]
    return "\n".join(lines)


def conv_macs(step: Step) -> str:
    a = step.args
    return f"積和回数 = 重み数 × 出力の縦 × 出力の横 = {a['weights']} × {a['oh']} × {a['ow']} = {a['macs']}"


# Per quantity: its name, and the standard / depthwise / pointwise formulas with their factors.
_SEPARABLE = {
    "params": ("重み", ("Dk×Dk×M×N", "Dk×Dk×M", "M×N"), ("dk dk m n", "dk dk m", "m n")),
    "macs": (
        "積和演算",
        ("Dk×Dk×M×N×Df×Df", "Dk×Dk×M×Df×Df", "M×N×Df×Df"),
        ("dk dk m n df df", "dk dk m df df", "m n df df"),
    ),
}


def _separable(step: Step, what: str) -> str:
    """Standard (for reference), depthwise, pointwise, then the asked sum of the two."""
    a = step.args
    name, formulas, factors = _SEPARABLE[what]
    values = [a["standard"], a["depthwise"], a["pointwise"]]
    heads = [f"（参考）標準畳み込みの{name}", f"Depthwise の{name}", f"Pointwise の{name}"]
    lines = [
        f"{head} = {formula} = {'×'.join(str(a[k]) for k in keys.split())} = {value}"
        for head, formula, keys, value in zip(heads, formulas, factors, values, strict=True)
    ]
    lines.append(
        f"置き換え後の{name} = Depthwise + Pointwise = {a['depthwise']} + {a['pointwise']} = {a['total']}"
    )
    return "\n".join(lines)


def separable_params(step: Step) -> str:
    return _separable(step, "params")


def separable_macs(step: Step) -> str:
    return _separable(step, "macs")


def separable_ratio(step: Step) -> str:
    a = step.args
    n, dk = a["n"], a["dk"]
    return (
        f"比 = 置き換え後 / 標準 = {a['separable']} / {a['standard']}"
        f"（= 1/N + 1/Dk² = 1/{n} + 1/{dk * dk}） = {f(a['ratio'])}"
    )


RENDERERS: dict[str, Callable[[Step], str]] = {
    "conv_cell": conv_cell,
    "conv_size": conv_size,
    "padded_input": padded_input,
    "conv_formula": conv_formula,
    "cells_truncated": cells_truncated,
    "stage": stage,
    "conv_params": conv_params,
    "conv_macs": conv_macs,
    "separable_params": separable_params,
    "separable_macs": separable_macs,
    "separable_ratio": separable_ratio,
}
