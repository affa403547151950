"""The worked solution of a generated problem as Markdown (its explanation as a question).

Turning a Problem into the bank's QuestionView is gquiz.study.generated.as_question: the
bank's views sit above this package.
"""

from __future__ import annotations

from gquiz.problems.generate import Problem

__all__ = ["explanation_md"]


def explanation_md(problem: Problem) -> str:
    """The worked solution plus which mistake each wrong choice represents."""
    return problem.solution_md + "\n" + problem.mistakes_md + "\n"
