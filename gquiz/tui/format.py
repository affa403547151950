"""Small text helpers shared by screens (plain functions, easy to test)."""

from __future__ import annotations

from gquiz.text.numbers import pct, pct_range, pct_value, percent

__all__ = ["excerpt", "pct", "pct_range", "pct_value", "percent"]


def excerpt(text: str, cells: int) -> str:
    """One line of at most ``cells`` terminal cells, ``...`` when cut (a list row that opens the whole text)."""
    from rich.cells import cell_len, get_character_cell_size

    flat = " ".join(text.split())
    if cell_len(flat) <= cells:
        return flat
    used = 0
    for i, ch in enumerate(flat):
        used += get_character_cell_size(ch)
        if used > cells - 3:
            return flat[:i] + "..."
    return flat
