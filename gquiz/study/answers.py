"""Parse what a learner types as a multiple-choice answer.

Input is NFKC-normalised first, so full-width digits (２), Japanese commas (，、) and
ideographic spaces are accepted. After that, a number is a run of decimal digits of any
script (Unicode category Nd: ３, ٣, ३ are read as 3); other characters that Python calls
"digits" but int() cannot read (፫, ➀, ⑴) are rejected like any other text. Every failure is
an AnswerError with a message to show the learner, never an exception they would see as
a traceback, and the input is bounded (MAX_ANSWER_CHARS) so a pasted megabyte costs nothing.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NoReturn

from gquiz.text.errors import AnswerError

__all__ = [
    "MAX_ANSWER_CHARS",
    "AnswerError",
    "format_choice_answer",
    "parse_choice_answer",
    "toggle_pick",
]

_SEPARATORS = re.compile(r"[,、\s]+")
MAX_ANSWER_CHARS = 64
"""Longer input is refused before it is normalised (a choose-two answer needs 3 characters)."""
_MAX_DIGITS = 3
"""A number with more digits than this is out of range for any question (at most 9 choices)."""


def parse_choice_answer(text: str, n_choices: int, n_correct: int = 1) -> tuple[int, ...]:
    """Return the chosen choices as sorted 0-based positions.

    `2` picks the second choice; `1,3` (or `1 3`, `１，３`, `1、3`) picks two for a choose-two
    question. The count must match the question: one choice, or exactly two.
    """
    if len(text) > MAX_ANSWER_CHARS:
        _fail(n_choices, n_correct, "回答が長すぎます。")
    norm = unicodedata.normalize("NFKC", text).strip()
    if not norm:
        _fail(n_choices, n_correct, "回答が空です。")
    parts = [p for p in _SEPARATORS.split(norm) if p]
    if not parts:
        _fail(n_choices, n_correct, "番号がありません。")
    picks: list[int] = []
    for part in parts:
        if not part.isdecimal():
            shown = part if len(part) <= 12 else part[:12] + "…"
            _fail(n_choices, n_correct, f"「{shown}」は選択肢の番号ではありません。")
        if len(part) > _MAX_DIGITS:
            _fail(n_choices, n_correct, f"{part[:_MAX_DIGITS]}… は範囲外です。")
        value = int(part)
        if not 1 <= value <= n_choices:
            _fail(n_choices, n_correct, f"{value} は範囲外です。")
        picks.append(value - 1)
    if len(set(picks)) != len(picks):
        _fail(n_choices, n_correct, "同じ番号が2回あります。")
    if len(picks) != n_correct:
        if n_correct == 1:
            raise AnswerError(f"選択肢は1つだけ選んでください (1〜{n_choices} の番号を1つ)。")
        raise AnswerError(f"この問題は{n_correct}つ選びます (番号をカンマで区切って入力)。")
    return tuple(sorted(picks))


def _fail(n_choices: int, n_correct: int, reason: str) -> NoReturn:
    if n_correct == 1:
        hint = f"1〜{n_choices} の番号で答えてください。"
    else:
        hint = f"1〜{n_choices} の番号を{n_correct}つ、カンマで区切って答えてください。"
    raise AnswerError(f"{reason}{hint}")


def format_choice_answer(picks: tuple[int, ...] | frozenset[int]) -> str:
    """The stored form of an answer: 1-based numbers joined by commas."""
    return ",".join(str(p + 1) for p in sorted(picks))


def toggle_pick(picks: list[int], index: int, n_correct: int) -> list[int]:
    """The selection after pressing a choice's key: toggles it; a single-answer question keeps
    only the newest pick, a choose-two question the newest two."""
    if index in picks:
        return [p for p in picks if p != index]
    if n_correct == 1:
        return [index]
    return (picks + [index])[-n_correct:]
