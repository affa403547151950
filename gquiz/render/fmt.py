"""Compact number formatting for worked solutions.

Integers (and integral floats) print without ``.0``; other floats print exactly when
they have at most 4 significant digits and are otherwise rounded to 4 significant
digits. Scientific notation is used only for very small or very large magnitudes.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def fmt_num(x: Any) -> str:
    """Format one number compactly.

    Integers (and integral floats) print without ``.0``. A float that is exactly a
    decimal of at most 6 significant digits prints exactly (``0.015625``, ``123.456``:
    what the learner typed comes back unchanged); any other float is rounded to 4
    significant digits (``1/3`` → ``0.3333``). Exponent notation only below 1e-4.

    Examples
    --------
    >>> [fmt_num(v) for v in (3, 3.0, -0.0, 0.5, 1/3, 2/3*100, 1/64, 123456.7, 1e-7, True)]
    ['3', '3', '0', '0.5', '0.3333', '66.67', '0.015625', '123457', '1e-07', 'true']
    """
    if isinstance(x, (bool, np.bool_)):
        return "true" if x else "false"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    v = float(x)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"  # ASCII: ∞ is East-Asian-ambiguous width
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    exact = float(f"{v:.6g}") == v
    return _plain(v, 6 if exact else 4)


def _plain(v: float, sig: int) -> str:
    a = abs(v)
    if 1e-4 <= a < 1e15:
        digits = max(0, sig - 1 - math.floor(math.log10(a)))
        s = f"{v:.{digits}f}"
        if "." in s:
            s = s.rstrip("0").rstrip(".")
        return "0" if s in ("-0", "") else s
    return f"{v:.{sig}g}"


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
