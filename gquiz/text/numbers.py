"""Percentages shown to learners, rounded one way everywhere (half up: 12.5 % → 13 %).

Screens, plain mode and `gquiz stats` used three roundings (floor, Python's half-to-even
``:.0f``, and none), so the same score read 66 % on one screen and 67 % on the next.
"""

from __future__ import annotations

import math


def pct_value(fraction: float) -> int:
    """A fraction as a whole percentage, rounded half up."""
    return math.floor(fraction * 100 + 0.5)


def pct(fraction: float | None) -> str:
    """``0.675`` → ``68%``; ``None`` (nothing answered yet) → ``-``."""
    return "-" if fraction is None else f"{pct_value(fraction)}%"


def percent(correct: int, total: int) -> str:
    """``2, 3`` → ``67%``; ``-`` when nothing was answered."""
    return pct(correct / total) if total else "-"


def pct_range(low: float, high: float) -> str:
    """A mastery range: ``45-80%``."""
    return f"{pct_value(low)}-{pct_value(high)}%"
