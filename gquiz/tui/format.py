"""Small text helpers shared by screens (plain functions, easy to test)."""

from __future__ import annotations


def percent(correct: int, attempts: int) -> str:
    """`75%`, or `-` when nothing was answered yet."""
    return f"{correct * 100 // attempts}%" if attempts else "-"
