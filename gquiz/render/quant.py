"""Renderers for :mod:`gquiz.engine.quant` steps."""

from __future__ import annotations

from collections.abc import Callable

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_num as f
from gquiz.render.fmt import fmt_term as ft


def quant_params(step: Step) -> str:
    a = step.args
    head = f"チャネル {a['channel']}: " if "channel" in a else ""
    rng = f"{a['dtype']} の範囲 [qmin, qmax] = [{a['qmin']}, {a['qmax']}]"
    if a["symmetric"]:
        zp_rule = "0 (int8)" if a["dtype"] == "int8" else "128 (uint8)"
        return "\n".join(
            [
                f"{head}{rng}、対称量子化",
                f"scale = max(|min|, |max|) / ((qmax − qmin) / 2) = max(|{f(a['min'])}|, |{f(a['max'])}|) / "
                f"{f(a['half_range'])} = {f(a['absmax'])} / {f(a['half_range'])} = {f(a['scale'])}",
                f"zero_point = {zp_rule} = {a['zero_point']}",
            ]
        )
    return "\n".join(
        [
            f"{head}{rng}、アフィン量子化（範囲を 0 を含むように広げる: min = {f(a['min_ext'])}, max = {f(a['max_ext'])}）",
            f"scale = (max − min) / (qmax − qmin) = ({f(a['max_ext'])} − ({f(a['min_ext'])})) / "
            f"({a['qmax']} − ({a['qmin']})) = {f(a['scale'])}",
            f"zero_point = qmin − round(min / scale) = {a['qmin']} − round({f(a['min_over_scale'])}) = {a['zero_point']}"
            "（[qmin, qmax] にクランプ）",
        ]
    )


def quantize_value(step: Step) -> str:
    a = step.args
    rule = "偶数丸め" if a["rounding"] == "half_even" else "四捨五入"
    tie = f"（ちょうど .5 なので{rule}）" if a["tie"] else ""
    clamp = f" → クランプして {a['q']}" if a["clamped"] else ""
    return (
        f"q = round(x / scale + zero_point) = round({ft(a['x'])} / {ft(a['scale'])} + {ft(a['zero_point'])}) = "
        f"round({f(a['scaled'])}) = {f(a['rounded'])}{tie}{clamp}"
    )


def dequantize_value(step: Step) -> str:
    a = step.args
    return f"x̂ = scale × (q − zero_point) = {f(a['scale'])} × ({ft(a['q'])} − {ft(a['zero_point'])}) = {f(a['x'])}"


def quant_error(step: Step) -> str:
    a = step.args
    lines = [
        f"誤差 x̂ − x: {ft(xh)} − {ft(x)} = {f(e)}"
        for x, xh, e in zip(a["x"], a["dequantized"], a["error"], strict=False)
    ]
    lines.append(
        f"最大絶対誤差 = {f(a['max_abs_error'])}（範囲内なら scale / 2 = {f(a['half_scale'])} 以下）"
    )
    lines.append(f"平均二乗誤差 = {f(a['mse'])}")
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[Step], str]] = {
    "quant_params": quant_params,
    "quantize_value": quantize_value,
    "dequantize_value": dequantize_value,
    "quant_error": quant_error,
}
