"""The exam presets (本番形式 and the pace drill) in one place, for the CLI, the TUI and stats.

Standard library only: ``gquiz/cli.py`` reads these at import time for its option defaults,
and ``gquiz --help`` must not load the bank.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["EXPORT_FORMATS", "PACE", "REAL", "ExamFormat"]


class ExamFormat(NamedTuple):
    """How many questions in how many minutes."""

    questions: int
    minutes: int

    @property
    def budget_s(self) -> float:
        """Seconds a question may take on average (the real exam: 6000 s / 145 ≈ 41 s)."""
        return self.minutes * 60 / self.questions if self.questions else 0.0

    @property
    def key(self) -> str:
        """``145:100``: how the TUI's preset list names it."""
        return f"{self.questions}:{self.minutes}"


REAL = ExamFormat(questions=145, minutes=100)
"""The real G検定: 145 questions in 100 minutes (what readiness estimates are made for)."""
PACE = ExamFormat(questions=20, minutes=14)
"""The pace drill: the real exam's time per question, on 20 questions."""

EXPORT_FORMATS = ("md", "html", "json")
"""What `gquiz exam export --format` offers and `study.export.render` writes (study.export re-exports
it as FORMATS): here, so the CLI can name the choices without importing the bank."""
