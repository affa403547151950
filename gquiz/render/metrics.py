"""Renderers for :mod:`gquiz.engine.metrics` steps."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_num as f

ZERO_DIVISION = "分母が 0 のときは scikit-learn の zero_division=0 と同じく 0 とする"


def ratio(step: Step) -> str:
    a = step.args
    num_t, den_t = " + ".join(a["num_terms"]), " + ".join(a["den_terms"])
    num_v, den_v = " + ".join(map(str, a["num_values"])), " + ".join(map(str, a["den_values"]))
    head = f"{a['ja']} = ({num_t}) / ({den_t}) = ({num_v}) / ({den_v})"
    if a.get("zero_division") or a["value"] is None:
        return f"{head} = {a['num']} / 0 → {ZERO_DIVISION}: {a['ja']} = 0"
    return f"{head} = {a['num']} / {a['den']} = {f(a['value'])}"


def f1(step: Step) -> str:
    a = step.args
    p, r = a["precision"], a["recall"]
    case = a.get("zero_case")
    if case is None:
        return f"F1 = 2 × 適合率 × 再現率 / (適合率 + 再現率) = 2 × {f(p)} × {f(r)} / ({f(p)} + {f(r)}) = {f(a['value'])}"
    counts = f"2TP / (2TP + FP + FN) = 2×{a['tp']} / (2×{a['tp']} + {a['fp']} + {a['fn']})"
    if case == "all-zero":
        return f"F1 = {counts} = 0 / 0 → {ZERO_DIVISION}: F1 = 0"
    den = 2 * a["tp"] + a["fp"] + a["fn"]
    return (
        f"F1 = 2 × 適合率 × 再現率 / (適合率 + 再現率) は TP = 0 で 0 / 0 になるので、"
        f"同じ値の式 F1 = {counts} = 0 / {den} = 0 を使う（scikit-learn の zero_division=0 と同じ）"
    )


def _width(text: str) -> int:
    """Terminal cells of ``text``: wide (W/F) characters such as kanji count as 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _rjust(text: str, width: int) -> str:
    return " " * max(0, width - _width(text)) + text


def confusion(step: Step) -> str:
    a = step.args
    labels, m = a["labels"], a["matrix"]
    corner = "正解＼予測"  # full-width backslash: unambiguous width
    width = max([_width(x) for x in labels] + [len(str(v)) for row in m for v in row] + [4])
    first = max(_width(corner), *(_width(x) for x in labels))
    lines = [
        "混同行列（行 = 正解、列 = 予測）",
        _rjust(corner, first) + " " + " ".join(_rjust(x, width) for x in labels),
    ]
    for lab, row in zip(labels, m, strict=True):
        lines.append(_rjust(lab, first) + " " + " ".join(_rjust(str(v), width) for v in row))
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[Step], str]] = {"ratio": ratio, "f1": f1, "confusion": confusion}
