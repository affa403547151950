"""Generated problems (計算ドリル) in the study layer: as bank-style questions, and their attempts.

The problem generator (gquiz.problems) sits below the bank and knows nothing of its views or
of recording; this module joins the two, so the drill screen, the plain drill, exams and the
Anki export all turn a Problem into a QuestionView and record it the same way.
"""

from __future__ import annotations

from gquiz.bank.models import utcnow
from gquiz.bank.repo import Bank, ChoiceView, QuestionView
from gquiz.problems.generate import Problem
from gquiz.problems.question import explanation_md
from gquiz.study.quiz import attempt_record, record_answer

__all__ = ["as_question", "record_drill_attempt"]


def as_question(problem: Problem) -> QuestionView:
    """``QuestionView(kind="family", family=<family id>, id=<problem id>)`` with the four choices.

    Attempts recorded through it are keyed by the family id (``item_id``), so FSRS schedules
    the family as one card whatever the seed.
    """
    fam = problem.family
    return QuestionView(
        id=problem.id,
        topic_slug=fam.topic or "",
        section_id=fam.section,
        stem=problem.statement,
        choices=tuple(ChoiceView(c.text, c.correct, i) for i, c in enumerate(problem.choices)),
        explanation=explanation_md(problem),
        difficulty=problem.difficulty,
        keywords=fam.keywords,
        kind="family",
        family=fam.id,
    )


def record_drill_attempt(
    bank: Bank,
    learner_id: int,
    problem: Problem,
    *,
    correct: bool,
    answer: str,
    score: float | None,
    elapsed_ms: int | None,
) -> None:
    """Commit one drill attempt (item_kind "family", item_id = the family id) and its FSRS card."""
    record = attempt_record(
        as_question(problem),
        correct=correct,
        answer=answer,
        score=score,
        elapsed_ms=elapsed_ms,
        mode="drill",
        at=utcnow(),
    )
    record_answer(bank, learner_id, record, usual_ms=None)
