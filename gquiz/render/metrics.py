"""Renderers for :mod:`gquiz.engine.metrics` steps."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_num as f


def ratio(step: Step) -> str:
    a = step.args
    num_t, den_t = " + ".join(a["num_terms"]), " + ".join(a["den_terms"])
    num_v, den_v = " + ".join(map(str, a["num_values"])), " + ".join(map(str, a["den_values"]))
    head = f"{a['ja']} = ({num_t}) / ({den_t}) = ({num_v}) / ({den_v})"
    if a["value"] is None:
        return f"{head} = {a['num']} / 0 → 分母が 0 なので{a['ja']}は定義されない"
    return f"{head} = {a['num']} / {a['den']} = {f(a['value'])}"


def f1(step: Step) -> str:
    a = step.args
    if a["value"] is None:
        why = {
            "precision": "適合率が定義されない",
            "recall": "再現率が定義されない",
            "zero": "適合率 + 再現率 = 0",
        }[a["undefined_because"]]
        return f"F1 = 2 × 適合率 × 再現率 / (適合率 + 再現率) → {why}ので F1 は定義されない"
    p, r = a["precision"], a["recall"]
    return f"F1 = 2 × 適合率 × 再現率 / (適合率 + 再現率) = 2 × {f(p)} × {f(r)} / ({f(p)} + {f(r)}) = {f(a['value'])}"


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
