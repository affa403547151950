"""Small text helpers shared by screens (plain functions, easy to test)."""

from __future__ import annotations


def percent(correct: int, attempts: int) -> str:
    """`75%`, or `-` when nothing was answered yet."""
    return f"{correct * 100 // attempts}%" if attempts else "-"


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
