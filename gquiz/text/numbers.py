"""Numbers and percentages as every screen, plain mode and the CLI show them.

One rule each, in the bottom layer so the engine's messages, the worked solutions, the
problem statements, the screens and ``gquiz stats`` all print a number the same way:

* **Numbers** (:func:`fmt_num`): integers without ``.0``; a float exact when it is a decimal
  of at most 6 significant digits, else 4 significant digits; exponent only below 1e-4.
* **Percentages** (:func:`pct`, :func:`percent`, :func:`pct_range`): rounded half up
  (四捨五入) on the decimal the fraction prints as, so 6/9 is 67 % on home, stats, results and
  in the CLI alike, and 0.285 is 29 % (Python's ``:.0%`` gives 28 % there: binary half-even).

Screens used three roundings before (floor, Python's half-to-even ``:.0f`` / ``:.0%`` and
``round()``, and none), so the same score read 66 % on one screen and 67 % on the next.
Importing this module imports nothing heavy: numpy values are recognised only when numpy is
already loaded (a numpy value cannot exist otherwise).
"""

from __future__ import annotations

import math
import sys
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = ["fmt_num", "pct", "pct_done", "pct_range", "pct_value", "percent"]


def _numpy_kind(x: Any) -> str | None:
    """``"bool"`` / ``"int"`` for a numpy bool or integer scalar, else None."""
    np = sys.modules.get("numpy")
    if np is None:
        return None
    if isinstance(x, np.bool_):
        return "bool"
    if isinstance(x, np.integer):
        return "int"
    return None


def fmt_num(x: Any, digits: int | None = None) -> str:
    """Format one number compactly.

    Integers (and integral floats) print without ``.0``. A float that is exactly a
    decimal of at most 6 significant digits prints exactly (``0.015625``, ``123.456``:
    what the learner typed comes back unchanged); any other float is rounded to 4
    significant digits (``1/3`` → ``0.3333``). Exponent notation only below 1e-4.
    With ``digits``, a float is rounded to that many decimals instead (trailing zeros
    dropped): a problem's precision rule decides how many.

    Examples
    --------
    >>> [fmt_num(v) for v in (3, 3.0, -0.0, 0.5, 1/3, 2/3*100, 1/64, 123456.7, 1e-7, True)]
    ['3', '3', '0', '0.5', '0.3333', '66.67', '0.015625', '123457', '1e-07', 'true']
    >>> fmt_num(2.50, digits=2), fmt_num(-0.001, digits=2)
    ('2.5', '0')
    """
    kind = _numpy_kind(x)
    if isinstance(x, bool) or kind == "bool":
        return "true" if x else "false"
    if isinstance(x, int) or kind == "int":
        return str(int(x))
    v = float(x)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"  # ASCII: ∞ is East-Asian-ambiguous width
    if digits is not None:
        return _strip(f"{v:.{digits}f}")
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    exact = float(f"{v:.6g}") == v
    return _plain(v, 6 if exact else 4)


def _strip(s: str) -> str:
    """``2.500`` → ``2.5``, ``-0.00`` → ``0``."""
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _plain(v: float, sig: int) -> str:
    a = abs(v)
    if 1e-4 <= a < 1e15:
        digits = max(0, sig - 1 - math.floor(math.log10(a)))
        return _strip(f"{v:.{digits}f}")
    return f"{v:.{sig}g}"


def pct_value(fraction: float, digits: int = 0) -> Decimal:
    """A fraction as a percentage, rounded half up to ``digits`` decimals.

    Rounds the decimal the float prints as (``repr``), not its binary value: 0.285 is
    28.5 % and rounds to 29, as a learner doing it by hand would.

    >>> str(pct_value(6 / 9)), str(pct_value(0.285)), str(pct_value(0.12345, 1))
    ('67', '29', '12.3')
    """
    scaled = Decimal(repr(float(fraction))) * 100
    return scaled.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP) + 0


def pct(fraction: float | None, digits: int = 0) -> str:
    """``0.675`` → ``68%``; ``None`` (nothing answered yet) → ``-``; ``digits=1``: ``67.5%``."""
    return "-" if fraction is None else f"{pct_value(fraction, digits)}%"


def percent(correct: int, total: int) -> str:
    """``2, 3`` → ``67%``; ``-`` when nothing was answered."""
    return pct(correct / total) if total else "-"


def pct_range(low: float, high: float) -> str:
    """A range of percentages (a 90 % interval, the middle half of a group): ``45〜80%``.

    The wave dash, as Japanese writes ranges: a hyphen reads as a minus next to numbers, and
    〜 is always two cells wide (never East-Asian-ambiguous).
    """
    return f"{pct_value(low)}〜{pct_value(high)}%"


def pct_done(done: int, total: int) -> str:
    """Progress of a long task (training, measuring): floored, so 100% only once it is done.

    A score rounds half up (:func:`pct`); progress must never claim to be finished early.
    """
    return f"{100 * done // max(total, 1)}%"
