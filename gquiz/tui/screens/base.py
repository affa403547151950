"""The base class of the screens that run inside the gquiz app.

Textual types ``self.app`` as a plain ``App``; a screen that reads the bank, the learner or
the settings would need a ``type: ignore`` on every such line. ``GQuizScreen`` redeclares it
with Textual's own typed accessor (``textual.getters.app``), which also checks at run time
that the screen really is in a GQuizApp. It also reports the failures of the screen's workers
(their state changes reach only the screen). The labs screens do not use it: their tests run
them in a small app of their own, and they report their own failures.
"""

from __future__ import annotations

from typing import TypeVar

from textual import getters, on
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from gquiz.tui.app import GQuizApp

ResultT = TypeVar("ResultT")


class GQuizScreen(Screen[ResultT]):
    """A screen of the gquiz app: ``self.app`` is the GQuizApp."""

    app = getters.app(GQuizApp)

    @on(Worker.StateChanged)
    def _forward_worker_error(self, event: Worker.StateChanged) -> None:
        # Worker.StateChanged does not bubble: without this a failed save or load in a
        # screen's worker would leave the learner with no word of it.
        if event.state == WorkerState.ERROR:
            self.app.show_worker_error(event.worker)
