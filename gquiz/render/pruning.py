"""Renderers for :mod:`gquiz.engine.pruning` steps."""

from __future__ import annotations

from collections.abc import Callable

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_array
from gquiz.render.fmt import fmt_num as f


def prune_count(step: Step) -> str:
    a = step.args
    return f"ゼロにする個数 = round(スパース率 × 要素数) = round({f(a['amount'])} × {a['n']}) = round({f(a['product'])}) = {a['k']}"


def prune_order(step: Step) -> str:
    a = step.args
    mags = ", ".join(f(m) for m in a["magnitudes"])
    lines = [f"絶対値の小さい順: {mags}"]
    if a["k"]:
        lines.append(f"小さい方から {a['k']} 個（しきい値 |w| ≤ {f(a['threshold'])}）をゼロにする")
        if a["tie"]:
            lines.append("同じ絶対値が境界をまたぐので、添字の小さい方を先にゼロにする")
    else:
        lines.append("ゼロにする重みはない")
    return "\n".join(lines)


def prune_result(step: Step) -> str:
    a = step.args
    return f"プルーニング後:\n{fmt_array(a['pruned'])}\nスパース率 = ゼロの数 / 要素数 = {a['zeros']} / {a['n']} = {f(a['sparsity'])}"


def channel_norm(step: Step) -> str:
    a = step.args
    return f"チャネル {a['channel']}: L1 ノルム = {' + '.join(f(v) for v in a['abs_values'])} = {f(a['norm'])}"


def channel_choice(step: Step) -> str:
    a = step.args
    removed = ", ".join(map(str, a["removed"])) or "なし"
    return f"L1 ノルムの小さい {a['k']} チャネルを除去: {removed}（残り: {', '.join(map(str, a['kept'])) or 'なし'}）"


RENDERERS: dict[str, Callable[[Step], str]] = {
    "prune_count": prune_count,
    "prune_order": prune_order,
    "prune_result": prune_result,
    "channel_norm": channel_norm,
    "channel_choice": channel_choice,
}
