"""Arrays and answer values in worked solutions.

Single numbers are :func:`gquiz.text.numbers.fmt_num` (the one number rule of the app,
re-exported here for the renderers): integers without ``.0``, exact decimals up to 6
significant digits, else 4; exponent only for very small or very large magnitudes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gquiz.text.numbers import fmt_num

__all__ = ["fmt", "fmt_array", "fmt_num", "fmt_term"]


def fmt_array(a: Any) -> str:
    """Format an array: 1-D as ``[a, b]``, 2-D as aligned rows, higher as nested blocks."""
    arr = np.asarray(a)
    if arr.ndim == 0:
        return fmt_num(arr.item())
    if arr.ndim == 1:
        return "[" + ", ".join(fmt_num(v) for v in arr.tolist()) + "]"
    if arr.ndim == 2:
        cells = [[fmt_num(v) for v in row] for row in arr.tolist()]
        width = max((len(c) for row in cells for c in row), default=1)
        return "\n".join("[" + " ".join(c.rjust(width) for c in row) + "]" for row in cells)
    blocks = []
    for i, sub in enumerate(arr):
        blocks.append(f"[{i}]")
        blocks.extend("  " + line for line in fmt_array(sub).split("\n"))
    return "\n".join(blocks)


def fmt(x: Any) -> str:
    """Format any answer value: numbers, arrays, lists, dicts, ``None`` (→ 未定義)."""
    if x is None:
        return "未定義"
    if isinstance(x, str):
        return x
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k}: {fmt(v)}" for k, v in x.items()) + "}"
    if isinstance(x, np.ndarray):
        return fmt_array(x)
    if isinstance(x, (list, tuple)):
        if all(isinstance(v, (int, float, np.number, bool)) for v in x):
            return fmt_array(np.asarray(x)) if x else "[]"
        return "[" + ", ".join(fmt(v) for v in x) + "]"
    if isinstance(x, (int, float, np.number, np.bool_, bool)):
        return fmt_num(x)
    return str(x)


def fmt_term(x: Any) -> str:
    """Format a number for use inside a formula: negatives get parentheses, ``2 × (-3)``.

    Examples
    --------
    >>> fmt_term(-3), fmt_term(0.5)
    ('(-3)', '0.5')
    """
    s = fmt_num(x)
    return f"({s})" if s.startswith("-") else s
