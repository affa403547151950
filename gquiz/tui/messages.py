"""Messages of the app: what happened, posted up from workers and screens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from gquiz.bank.repo import Bank, MajorView
    from gquiz.study.stats import LearnerStats
    from gquiz.tui.start import QuizFilters


@dataclass
class BankProgress(Message, bubble=False):
    """The bank build advanced (posted from the loading worker)."""

    done: int
    total: int
    what: str


@dataclass
class BankReady(Message, bubble=False):
    """The bank is open and up to date."""

    bank: Bank
    learner_id: int
    built: bool


@dataclass
class BankFailed(Message, bubble=False):
    """The bank could not be opened or built; `lines` say why (path:line: message)."""

    lines: list[str]


@dataclass
class OverviewLoaded(Message, bubble=False):
    majors: list[MajorView]
    stats: LearnerStats
    """learner_stats(): mastery with its range and due reviews per major/section/topic."""


@dataclass
class StartQuiz(Message):
    """A screen asks the app to start a quiz over a topic, a section or everything."""

    filters: QuizFilters
    title: str
