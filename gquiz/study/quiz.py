"""A quiz session: the questions, the answers given, and recording each one as it comes.

Shared by the TUI quiz screen and `gquiz quiz --plain`, so both record attempts the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from gquiz.bank.models import utcnow
from gquiz.bank.repo import AttemptRecord, Bank, CardState, QuestionView
from gquiz.study.answers import format_choice_answer
from gquiz.study.passages import together
from gquiz.study.presentation import keys_of, present_all, shown_order
from gquiz.study.review import rating_for, schedule, usual_time_ms


@dataclass(frozen=True)
class Graded:
    """One graded answer. `question` is as it was shown (its choices in the shown order) and
    `picks` are positions in that order; `keys` are what was stored."""

    question: QuestionView
    picks: tuple[int, ...]
    correct: bool
    elapsed_ms: int

    @property
    def keys(self) -> tuple[int, ...]:
        """The picks as choice keys (written positions), what the attempt stores, so a later
        presentation order never changes what an old answer meant."""
        return keys_of(self.question, self.picks)


def is_correct(question: QuestionView, picks: tuple[int, ...] | frozenset[int]) -> bool:
    """All-or-nothing: the chosen set must equal the set of correct choices."""
    return frozenset(picks) == question.correct_positions


@dataclass
class QuizSession:
    """Questions shown one after another. Each question's choices are shown in an order drawn
    for this session (`seed` makes it reproducible), and every answer is stored by choice key."""

    bank: Bank
    learner_id: int
    questions: list[QuestionView]
    mode: str = "quiz"
    clock: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = utcnow
    results: list[Graded] = field(default_factory=list)
    seed: int | str | None = None
    _shown_at: float | None = None
    _usual_ms: float | None = None
    _usual_loaded: bool = False

    def __post_init__(self) -> None:
        ordered = together(self.questions, lambda q: q.passage_id, lambda q: q.id)
        self.questions = present_all(ordered, self.seed)

    @property
    def index(self) -> int:
        """How many questions are answered: the 0-based index of the current one, and the count the
        CLI reports when a quiz is interrupted."""
        return len(self.results)

    @property
    def finished(self) -> bool:
        """True once every question has an answer; `answer()` raises RuntimeError after that."""
        return self.index >= len(self.questions)

    @property
    def current(self) -> QuestionView | None:
        """The question to show now (choices in this session's order), None once finished."""
        return None if self.finished else self.questions[self.index]

    @property
    def n_correct(self) -> int:
        """Right answers so far (for the progress line and the end of the quiz)."""
        return sum(r.correct for r in self.results)

    def _usual(self) -> float | None:
        if not self._usual_loaded:
            self._usual_ms = usual_time_ms(self.bank.usual_time_ms(self.learner_id))
            self._usual_loaded = True
        return self._usual_ms

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
        record = attempt_record(
            question,
            correct=graded.correct,
            answer=format_choice_answer(graded.keys),
            choice_order=shown_order(question),
            elapsed_ms=elapsed,
            mode=self.mode,
            at=self.now(),
        )
        record_answer(self.bank, self.learner_id, record, self._usual())
        self.results.append(graded)
        self._shown_at = None
        return graded


def record_answer(
    bank: Bank, learner_id: int, record: AttemptRecord, usual_ms: float | None
) -> None:
    """Commit an attempt and move the item's FSRS card in the same transaction.

    ``usual_ms`` is the learner's usual answering time (a slow right answer rates Hard).
    """
    at = record.at or utcnow()
    previous = bank.card(learner_id, record.item_kind, record.item_id)
    card = next_card(previous, record.correct, record.elapsed_ms, usual_ms, at)
    bank.record_attempt(learner_id, record, card)


def attempt_record(
    question: QuestionView,
    *,
    correct: bool,
    answer: str,
    mode: str,
    at: datetime,
    elapsed_ms: int | None = None,
    score: float | None = None,
    exam_id: int | None = None,
    choice_order: tuple[int, ...] | None = None,
) -> AttemptRecord:
    """What the bank stores for one answer to ``question``: its item (a question, or a
    family for a generated problem), section and topic, and how it was answered. The quiz,
    drills, reviews and exams all record through this."""
    return AttemptRecord(
        item_id=question.item_id,
        item_kind=question.kind,
        section_id=question.section_id,
        topic_slug=question.topic_slug or None,
        correct=correct,
        answer=answer,
        score=score,
        elapsed_ms=elapsed_ms,
        mode=mode,
        exam_id=exam_id,
        at=at,
        choice_order=choice_order,
    )


def next_card(
    previous: CardState | None,
    correct: bool,
    elapsed_ms: int | None,
    usual_ms: float | None,
    at: datetime,
) -> CardState:
    """The item's FSRS card after this answer (a new card for a first answer)."""
    update = schedule(
        previous.card if previous and previous.card else None,
        rating_for(correct, elapsed_ms, usual_ms),
        at,
    )
    return CardState(update.card, update.due)
