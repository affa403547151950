"""What the app opens first, and which questions a quiz asks, as typed values.

The command line (`gquiz quiz / note / drill / review / exam / lab`) says what the app opens
once the bank is ready; screens ask the app to start a quiz. Both used to be string-keyed
dicts, where a misspelt key was a filter silently ignored; here it is a type error. This module
imports no Textual, so the CLI builds a start before the app (and Textual) is imported.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuizFilters:
    """Which questions a quiz asks: a drill, the due reviews, given ids, or a pick (in that
    order of precedence); ``count`` and ``seed`` apply to all of them."""

    drill: str | None = None
    """A drill mode of gquiz.study.drill.MODES (weak / wrong / new / flagged)."""
    review: bool = False
    """Today's due reviews (「今日の復習」)."""
    ids: tuple[str, ...] | None = None
    """These questions, in this order (e.g. the ones answered wrong)."""
    topic: str | None = None
    section: str | None = None
    count: int | None = None
    seed: int | None = None

    @property
    def mode(self) -> str:
        """The mode recorded with each answer: drill, review or quiz."""
        if self.drill is not None:
            return "drill"
        return "review" if self.review else "quiz"


@dataclass(frozen=True)
class QuizStart:
    """Start a quiz; without a title the app names it after the drill / review / 問題演習."""

    filters: QuizFilters
    title: str | None = None


@dataclass(frozen=True)
class NoteStart:
    """Open the note of a topic."""

    topic: str


@dataclass(frozen=True)
class FamilyStart:
    """Open the 計算ドリル of a problem family (None: the list of families)."""

    family: str | None = None
    difficulty: int | None = None
    seed: int | None = None


@dataclass(frozen=True)
class ExamStart:
    """Open the mock-exam setup, with the format the command line asked for (if any)."""

    n: int | None = None
    minutes: int | None = None
    seed: int | None = None
    resume: int | None = None
    """A stored unfinished exam to open at once instead (`gquiz group sit`: the shared exam's
    sitting, which need not be the latest unfinished exam the app would offer)."""


@dataclass(frozen=True)
class LabStart:
    """Open a lab (``gradcam`` / ``compression``) with its options."""

    name: str
    index: int | None = None
    seed: int | None = None
    target: int | None = None


Start = QuizStart | NoteStart | FamilyStart | ExamStart | LabStart
