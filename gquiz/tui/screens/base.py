"""The base class of the screens that run inside the gquiz app.

Textual types ``self.app`` as a plain ``App``; a screen that reads the bank, the learner or
the settings would need a ``type: ignore`` on every such line. ``GQuizScreen`` redeclares it
with Textual's own typed accessor (``textual.getters.app``), which also checks at run time
that the screen really is in a GQuizApp. The labs screens do not use it: their tests run them
in a small app of their own.
"""

from __future__ import annotations

from typing import TypeVar

from textual import getters
from textual.screen import Screen

from gquiz.tui.app import GQuizApp

ResultT = TypeVar("ResultT")


class GQuizScreen(Screen[ResultT]):
    """A screen of the gquiz app: ``self.app`` is the GQuizApp."""

    app = getters.app(GQuizApp)
