"""Renderers for :mod:`gquiz.engine.backprop` steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_num as f
from gquiz.render.fmt import fmt_term as ft

_SYM = {"add": " + ", "mul": " × ", "sub": " − ", "div": " / "}
_FN = {
    "neg": "−",
    "exp": "exp",
    "log": "log",
    "sigmoid": "σ",
    "relu": "ReLU",
    "tanh": "tanh",
    "square": "square",
}


def graph_input(step: Step) -> str:
    return f"[順伝播] {step.args['name']} = {f(step.args['value'])}"


def _expr(op: str, parts: list[str]) -> str:
    if op in _SYM:
        return _SYM[op].join(parts)
    if op == "square":
        return f"({parts[0]})²"
    return f"{_FN[op]}({parts[0]})"


def graph_forward(step: Step) -> str:
    a = step.args
    sym = _expr(a["op"], a["inputs"])
    fmt_in = ft if a["op"] in _SYM else f  # parentheses around negatives only between operators
    num = _expr(a["op"], [fmt_in(v) for v in a["input_values"]])
    return f"[順伝播] {a['name']} = {sym} = {num} = {f(a['value'])}"


def graph_seed(step: Step) -> str:
    return f"[逆伝播] ∂L/∂{step.args['name']} = {f(step.args['grad'])}（出力から流す勾配）"


def graph_backward(step: Step) -> str:
    a = step.args
    lines = [f"[逆伝播] ノード {a['name']} ({a['op']})、上流の勾配 {f(a['upstream'])}"]
    for c in a["contributions"]:
        lines.append(
            f"  ∂L/∂{c['input']} += 上流 × 局所勾配 ({c['formula']}) = {f(a['upstream'])} × {ft(c['local'])} = "
            f"{f(c['grad'])}（累計 {f(c['total'])}）"
        )
    return "\n".join(lines)


def graph_grads(step: Step) -> str:
    return "勾配: " + ", ".join(f"∂L/∂{k} = {f(v)}" for k, v in step.args["grads"].items())


def activation_formula(step: Step) -> str:
    return f"{step.args['function']}\n{step.args['derivative']}"


def activation_value(step: Step) -> str:
    a = step.args
    return f"x = {f(a['x'])}: 値 {f(a['value'])}、微分 {f(a['grad'])}"


def _each(*arrays: Any) -> list[tuple[Any, ...]]:
    arrs = [np.asarray(x, dtype=float).ravel() for x in arrays]
    return list(zip(*arrs, strict=False))[:50]


def opt_weight_decay(step: Step) -> str:
    a = step.args
    return "\n".join(
        [f"荷重減衰: g ← g + λp（λ = {f(a['wd'])}）"]
        + [
            f"  {ft(g)} + {ft(a['wd'])}×{ft(p)} = {f(ge)}"
            for p, g, ge in _each(a["p"], a["g"], a["g_eff"])
        ]
    )


def opt_momentum(step: Step) -> str:
    a = step.args
    if a["first"]:
        return "速度 b = g（初回はそのまま勾配）= " + ", ".join(
            f(v) for v in np.ravel(a["new_buf"])
        )
    lines = [f"速度 b ← μb + g（μ = {f(a['mu'])}）"]
    lines += [
        f"  {ft(a['mu'])}×{ft(b)} + {ft(g)} = {f(nb)}"
        for b, g, nb in _each(a["buf"], a["g"], a["new_buf"])
    ]
    return "\n".join(lines)


def opt_accumulate(step: Step) -> str:
    a = step.args
    if a["kind"] == "adagrad":
        lines = ["h ← h + g²"] + [
            f"  {ft(h)} + {ft(g)}² = {f(nh)}" for h, g, nh in _each(a["h"], a["g"], a["new_h"])
        ]
    else:
        al = f(a["alpha"])
        lines = [f"h ← αh + (1 − α)g²（α = {al}）"]
        lines += [
            f"  {al}×{ft(h)} + (1 − {al})×{ft(g)}² = {f(nh)}"
            for h, g, nh in _each(a["h"], a["g"], a["new_h"])
        ]
    return "\n".join(lines)


def opt_adam(step: Step) -> str:
    a = step.args
    b1, b2, t = f(a["b1"]), f(a["b2"]), a["t"]
    lines = [f"m ← β₁m + (1 − β₁)g、v ← β₂v + (1 − β₂)g²（β₁ = {b1}, β₂ = {b2}, t = {t}）"]
    for m, v, g, nm, nv in _each(a["m"], a["v"], a["g"], a["new_m"], a["new_v"]):
        lines.append(
            f"  m = {b1}×{ft(m)} + (1 − {b1})×{ft(g)} = {f(nm)}、v = {b2}×{ft(v)} + (1 − {b2})×{ft(g)}² = {f(nv)}"
        )
    lines.append(
        f"バイアス補正: m̂ = m / (1 − β₁^t) = m / {f(a['bc1'])}、v̂ = v / (1 − β₂^t) = v / {f(a['bc2'])}"
    )
    for mh, vh in _each(a["m_hat"], a["v_hat"]):
        lines.append(f"  m̂ = {f(mh)}、v̂ = {f(vh)}")
    return "\n".join(lines)


def opt_update(step: Step) -> str:
    a = step.args
    lr = f(a["lr"])
    k = a["kind"]
    if k in ("sgd", "momentum"):
        sym = "g" if k == "sgd" else "b"
        lines = [f"p ← p − η{sym}（η = {lr}）"]
        lines += [
            f"  {ft(p)} − {lr}×{ft(g)} = {f(n)}" for p, g, n in _each(a["p"], a["g"], a["new"])
        ]
    elif k in ("adagrad", "rmsprop"):
        lines = [f"p ← p − η g / (√h + ε)（η = {lr}, ε = {f(a['eps'])}）"]
        lines += [
            f"  {ft(p)} − {lr}×{ft(g)} / (√{ft(h)} + ε) = {f(n)}"
            for p, g, h, n in _each(a["p"], a["g"], a["h"], a["new"])
        ]
    else:
        lines = [f"p ← p − η m̂ / (√v̂ + ε)（η = {lr}, ε = {f(a['eps'])}）"]
        lines += [
            f"  {ft(p)} − {lr}×{ft(mh)} / (√{ft(vh)} + ε) = {f(n)}"
            for p, mh, vh, n in _each(a["p"], a["m_hat"], a["v_hat"], a["new"])
        ]
    return "\n".join(lines)


def fc_layer(step: Step) -> str:
    a = step.args
    return (
        f"第{a['layer']}層 ({a['n_in']} → {a['n_out']}): 重み {a['n_in']}×{a['n_out']} = {a['weights']}、"
        f"バイアス {a['biases']}、計 {a['params']}"
    )


def fc_total(step: Step) -> str:
    a = step.args
    return f"合計 = {' + '.join(map(str, a['per_layer']))} = {a['total']}"


RENDERERS: dict[str, Callable[[Step], str]] = {
    "graph_input": graph_input,
    "graph_forward": graph_forward,
    "graph_seed": graph_seed,
    "graph_backward": graph_backward,
    "graph_grads": graph_grads,
    "activation_formula": activation_formula,
    "activation_value": activation_value,
    "opt_weight_decay": opt_weight_decay,
    "opt_momentum": opt_momentum,
    "opt_accumulate": opt_accumulate,
    "opt_adam": opt_adam,
    "opt_update": opt_update,
    "fc_layer": fc_layer,
    "fc_total": fc_total,
}
