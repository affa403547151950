"""Small text helpers shared by screens (plain functions, easy to test)."""

from __future__ import annotations


def percent(correct: int, attempts: int) -> str:
    """`75%`, or `-` when nothing was answered yet."""
    return f"{correct * 100 // attempts}%" if attempts else "-"


def accuracy_label(correct: int, attempts: int) -> str:
    if not attempts:
        return "未回答"
    return f"正答率 {percent(correct, attempts)} ({correct}/{attempts})"
