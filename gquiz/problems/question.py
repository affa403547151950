"""A generated problem as a bank-style question (for recording, the quiz screen and exams)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gquiz.problems.generate import Problem

if TYPE_CHECKING:
    from gquiz.bank.repo import QuestionView

__all__ = ["as_question", "explanation_md"]


def explanation_md(problem: Problem) -> str:
    """The worked solution plus which mistake each wrong choice represents."""
    return problem.solution_md + "\n" + problem.mistakes_md + "\n"


def as_question(problem: Problem) -> QuestionView:
    """``QuestionView(kind="family", family=<family id>, id=<problem id>)`` with the four choices.

    Attempts recorded through it are keyed by the family id (``item_id``), so FSRS schedules
    the family as one card whatever the seed.
    """
    from gquiz.bank.repo import ChoiceView, QuestionView

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
