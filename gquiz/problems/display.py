"""Showing numbers to the learner: statement templates, answers and choices.

Statements are Markdown for the terminal: vectors inline (``[1, 2, 3]``), matrices as code
blocks with aligned columns, numbers without a trailing ``.0``. Answers and choices use the
syntax the learner types back (``1, 2, 3``; ``5 20 3; 10 23 10``), so a choice's text always
checks as what it says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from gquiz.problems.expr import evaluate
from gquiz.text.numbers import fmt_num

__all__ = ["format_answer", "matrix_block", "render_template", "template_fields"]

_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]+)\}")


def template_fields(template: str) -> Iterator[tuple[str, str | None]]:
    """The ``{expression}`` / ``{expression|format}`` fields of a statement template."""
    for m in _FIELD.finditer(template):
        if m.group(1) is None:
            continue
        body = m.group(1)
        expr, _, fmt = body.partition("|")
        if fmt and fmt.strip() not in FORMATS:
            raise ValueError(
                f"書式 {fmt.strip()!r} はありません（使えるもの: {', '.join(FORMATS)}）"
            )
        yield expr.strip(), (fmt.strip() or None)


def _cells(arr: np.ndarray, digits: int | None) -> list[list[str]]:
    return [[fmt_num(v, digits) for v in row] for row in arr.tolist()]


def matrix_block(value: Any, digits: int | None = None) -> str:
    """A 2-D array as right-aligned rows in a fenced code block."""
    arr = np.asarray(value)
    if arr.ndim == 1:
        arr = arr[None]
    cells = _cells(arr, digits)
    width = max((len(c) for row in cells for c in row), default=1)
    rows = [" ".join(c.rjust(width) for c in row) for row in cells]
    return "\n```text\n" + "\n".join(rows) + "\n```\n"


def _vector(value: Any, digits: int | None) -> str:
    return "[" + ", ".join(fmt_num(v, digits) for v in np.asarray(value).ravel().tolist()) + "]"


def _auto(value: Any, digits: int | None = None) -> str:
    if isinstance(value, np.ndarray):
        if value.ndim == 2:
            return matrix_block(value, digits)
        if value.ndim == 1:
            return _vector(value, digits)
        return fmt_num(value.item(), digits)
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(r, (list, tuple, np.ndarray)) for r in value):
            return matrix_block(np.asarray(value), digits)
        if all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in value):
            return _vector(value, digits)
        return ", ".join(str(v) for v in value)
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return fmt_num(value, digits)
    return str(value)


def _inline(value: Any) -> str:
    """Any value on one line: nested lists as ``[[1, 2], [3, 4]]``."""
    if isinstance(value, (np.ndarray, list, tuple)) and np.ndim(value) >= 1:
        arr = np.asarray(value)
        if arr.dtype.kind in "iuf":
            return "[" + ", ".join(_inline(v) for v in arr) + "]"
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return fmt_num(value)
    return str(value).replace("`", "'")


def _fmt_digits(n: int) -> Callable[[Any], str]:
    return lambda v: _auto(v, n)


def _set_name(key: str) -> str:
    return "∅" if not key else "{" + ", ".join(key.split(",")) + "}"


def game_table(values: Mapping[str, Any]) -> str:
    """Coalition values ``{"A,B": 30, ...}`` as a Markdown table, smallest coalitions first."""
    keys = sorted(values, key=lambda k: (len([p for p in k.split(",") if p]), k))
    rows = ["| 提携 S | v(S) |", "|---|---:|"]
    rows += [f"| {_set_name(k)} | {_auto(values[k])} |" for k in keys]
    return "\n" + "\n".join(rows) + "\n"


def box_table(value: Any) -> str:
    """``boxes`` or ``(boxes, scores)`` as a Markdown table numbered from 0."""
    if isinstance(value, tuple) and len(value) == 2:
        boxes, scores = value
    else:
        boxes, scores = value, None
    head = "| 番号 | [x1, y1, x2, y2] |" + (" スコア |" if scores is not None else "")
    sep = "|---:|---|" + ("---:|" if scores is not None else "")
    rows = [head, sep]
    for i, b in enumerate(np.asarray(boxes).tolist()):
        cells = f"| {i} | {_vector(b, None)} |"
        if scores is not None:
            cells += f" {fmt_num(np.asarray(scores)[i])} |"
        rows.append(cells)
    return "\n" + "\n".join(rows) + "\n"


FORMATS = {
    "game": game_table,
    "boxes": box_table,
    "matrix": lambda v: matrix_block(v),
    "vec": lambda v: _vector(v, None),
    "code": lambda v: "`" + _inline(v) + "`",
    # A percentage given in a statement is exact (12.5%), not rounded like a score: the
    # problem is about that very number.
    "pct": lambda v: fmt_num(float(v) * 100) + "%",
    "list": lambda v: "、".join(str(x) for x in v),
    **{f"d{n}": _fmt_digits(n) for n in range(0, 7)},
}


def render_template(template: str, names: Mapping[str, Any]) -> str:
    """Fill ``{expr}`` fields (``{{``/``}}`` are literal braces)."""

    def repl(m: re.Match[str]) -> str:
        if m.group(0) == "{{":
            return "{"
        if m.group(0) == "}}":
            return "}"
        expr, _, fmt = m.group(1).partition("|")
        value = evaluate(expr.strip(), names)
        fmt = fmt.strip()
        return FORMATS[fmt](value) if fmt else _auto(value)

    return re.sub(r"\n{3,}", "\n\n", _FIELD.sub(repl, template)).strip()


def format_answer(value: Any, kind: str, digits: int | None = None) -> str:
    """An answer in the syntax the learner types: ``3``, ``0.75``, ``1, 2, 3``, ``1 2; 3 4``."""
    if kind == "choice":
        return str(value)
    if kind in ("integer", "float"):
        return fmt_num(value, digits if kind == "float" else None)
    arr = np.asarray(value)
    if kind == "vector":
        return ", ".join(fmt_num(v, digits) for v in arr.ravel().tolist())
    return "; ".join(
        " ".join(fmt_num(v, digits) for v in row) for row in np.atleast_2d(arr).tolist()
    )
