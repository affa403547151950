"""Error types shared by every layer: what a learner typed, and what an author wrote.

They live at the bottom of the layers (gquiz.text imports nothing of gquiz) so that the
problem generator, the bank and the study layer raise and catch the same classes without
importing each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["AnswerError", "InvalidSources", "SourceError"]


class AnswerError(ValueError):
    """The input is not a valid answer; the message says how to fix it (in Japanese).

    Raised by the choice parser (gquiz.study.answers) and the free-answer parser
    (gquiz.problems.answers) alike, so a prompt loop re-asks on one exception type.
    """


@dataclass(frozen=True)
class SourceError:
    """One problem in a file an author wrote, printed as `path:line: message`.

    The one type for topic files, the exam blueprint and problem families (bank.content
    calls it ContentError, problems.spec FamilyFileError: the same class). Line 0 is a
    problem with the whole file (invalid UTF-8, too large), printed `path: message`.
    """

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class InvalidSources(ValueError):
    """Some files an author wrote are invalid; ``errors`` lists every problem found.

    Raised when a reader must stop (the exam's blueprint, the drills' families); the
    message is the `path:line: message` lines, so even a traceback reads right.
    """

    def __init__(self, errors: Sequence[SourceError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = list(errors)
