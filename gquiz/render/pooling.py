"""Renderers for :mod:`gquiz.engine.pooling` steps."""

from __future__ import annotations

from collections.abc import Callable

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_num as f


def pool_size(step: Step) -> str:
    a = step.args
    tail = "" if a["exact"] else "（端の余りは使わない: 切り捨て）"
    return f"出力サイズ（{a['axis']}） = (N − K) / S + 1 = ({a['n']} − {a['k']}) / {a['s']} + 1 = {a['result']}{tail}"


def pool_cell(step: Step) -> str:
    a = step.args
    idx = ",".join(map(str, a["index"]))
    vals = ", ".join(f(v) for v in a["window"])
    if a["mode"] == "max":
        return f"出力[{idx}] = max({vals}) = {f(a['value'])}"
    return f"出力[{idx}] = ({' + '.join(f(v) for v in a['window'])}) / {len(a['window'])} = {f(a['value'])}"


def gap_channel(step: Step) -> str:
    a = step.args
    return f"チャネル {a['channel']}: 平均 = 合計 / 要素数 = {f(a['sum'])} / {a['count']} = {f(a['value'])}"


def rf_layer(step: Step) -> str:
    a = step.args
    return (
        f"第{a['layer']}層: R ← R + (K − 1)×D×(それまでのストライドの積) = {a['before']} + "
        f"({a['k']} − 1)×{a['d']}×{a['jump']} = {a['after']}"
    )


def causal_rf(step: Step) -> str:
    a = step.args
    ds = " + ".join(map(str, a["dilations"]))
    if a["stacks"] > 1:
        return (
            f"受容野 = (K − 1) × (1 ブロックのダイレーションの和 × ブロック数) + 1 = "
            f"({a['k']} − 1) × ({ds}) × {a['stacks']} + 1 = ({a['k']} − 1) × {a['sum']} + 1 = {a['result']}"
        )
    return (
        f"受容野 = (K − 1) × ΣD + 1 = ({a['k']} − 1) × ({ds}) + 1 = "
        f"({a['k']} − 1) × {a['sum']} + 1 = {a['result']}"
    )


RENDERERS: dict[str, Callable[[Step], str]] = {
    "pool_size": pool_size,
    "pool_cell": pool_cell,
    "gap_channel": gap_channel,
    "rf_layer": rf_layer,
    "causal_rf": causal_rf,
}
