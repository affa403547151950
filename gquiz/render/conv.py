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


def separable_cost(step: Step) -> str:
    a = step.args
    m, n, dk, df = a["m"], a["n"], a["dk"], a["df"]
    return "\n".join(
        [
            f"標準畳み込み = Dk×Dk×M×N×Df×Df = {dk}×{dk}×{m}×{n}×{df}×{df} = {a['standard']}",
            f"Depthwise = Dk×Dk×M×Df×Df = {dk}×{dk}×{m}×{df}×{df} = {a['depthwise']}",
            f"Pointwise = M×N×Df×Df = {m}×{n}×{df}×{df} = {a['pointwise']}",
            f"比 = (Depthwise + Pointwise) / 標準 = 1/N + 1/Dk² = 1/{n} + 1/{dk * dk} = {f(a['ratio'])}",
        ]
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
    "separable_cost": separable_cost,
}
