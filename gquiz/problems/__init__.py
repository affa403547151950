"""計算ドリル: problem families (problems/*.yaml) and the problems generated from them.

Nothing here imports Textual: the TUI, the plain line mode and the benchmarks share it.

>>> fams = load_families("problems")                      # doctest: +SKIP
>>> p = generate(fams["conv-output-size"], 1, seed=0)     # doctest: +SKIP
>>> check_answer(p, p.answer_text).correct                # doctest: +SKIP
True
"""

from __future__ import annotations

from gquiz.problems.answers import AnswerError, Verdict
from gquiz.problems.generate import (
    Choice,
    GenerationError,
    Problem,
    check_answer,
    generate,
    parse_problem_id,
)
from gquiz.problems.question import explanation_md
from gquiz.problems.spec import Family, FamilyError, FamilyFileError, check_families, load_families

__all__ = [
    "AnswerError",
    "Choice",
    "Family",
    "FamilyError",
    "FamilyFileError",
    "GenerationError",
    "Problem",
    "Verdict",
    "check_answer",
    "check_families",
    "explanation_md",
    "generate",
    "load_families",
    "parse_problem_id",
]
