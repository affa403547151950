"""Error types shared by every layer: what a learner typed, and what an author wrote.

They live at the bottom of the layers (gquiz.text imports nothing of gquiz) so that the
problem generator, the bank and the study layer raise and catch the same classes without
importing each other.
"""

from __future__ import annotations

__all__ = ["AnswerError"]


class AnswerError(ValueError):
    """The input is not a valid answer; the message says how to fix it (in Japanese).

    Raised by the choice parser (gquiz.study.answers) and the free-answer parser
    (gquiz.problems.answers) alike, so a prompt loop re-asks on one exception type.
    """
