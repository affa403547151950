"""A quiz session: the questions, the answers given, and recording each one as it comes.

Shared by the TUI quiz screen and `gquiz quiz --plain`, so both record attempts the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from gquiz.bank.repo import AttemptRecord, Bank, QuestionView
from gquiz.study.answers import format_choice_answer


@dataclass(frozen=True)
class Graded:
    question: QuestionView
    picks: tuple[int, ...]
    correct: bool
    elapsed_ms: int


def is_correct(question: QuestionView, picks: tuple[int, ...] | frozenset[int]) -> bool:
    """All-or-nothing: the chosen set must equal the set of correct choices."""
    return frozenset(picks) == question.correct_positions


@dataclass
class QuizSession:
    bank: Bank
    learner_id: int
    questions: list[QuestionView]
    mode: str = "quiz"
    clock: Callable[[], float] = time.monotonic
    results: list[Graded] = field(default_factory=list)
    _shown_at: float | None = None

    @property
    def index(self) -> int:
        return len(self.results)

    @property
    def finished(self) -> bool:
        return self.index >= len(self.questions)

    @property
    def current(self) -> QuestionView | None:
        return None if self.finished else self.questions[self.index]

    @property
    def n_correct(self) -> int:
        return sum(r.correct for r in self.results)

    def shown(self) -> None:
        """Start the clock for the current question."""
        self._shown_at = self.clock()

    def answer(self, picks: tuple[int, ...]) -> Graded:
        """Grade the current question and commit the attempt before returning."""
        question = self.current
        if question is None:
            raise RuntimeError("quiz already finished")
        started = self._shown_at if self._shown_at is not None else self.clock()
        elapsed = int((self.clock() - started) * 1000)
        graded = Graded(question, tuple(sorted(picks)), is_correct(question, picks), elapsed)
        self.bank.record_attempt(
            self.learner_id,
            AttemptRecord(
                item_id=question.id,
                section_id=question.section_id,
                topic_slug=question.topic_slug,
                correct=graded.correct,
                answer=format_choice_answer(graded.picks),
                elapsed_ms=elapsed,
                mode=self.mode,
            ),
        )
        self.results.append(graded)
        self._shown_at = None
        return graded
