"""Start an app headless and exit once its first screen has been painted (used by bench_startup)."""

from __future__ import annotations

import sys


def bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

        def on_mount(self) -> None:
            self.call_after_refresh(self.exit)

    Bare().run(headless=True)


def gquiz(until: str) -> None:
    from gquiz.config import Settings
    from gquiz.tui.app import GQuizApp
    from gquiz.tui.messages import OverviewLoaded
    from gquiz.tui.screens.home import HomeScreen

    class Timed(GQuizApp):
        def on_mount(self) -> None:
            super().on_mount()
            if until == "first":
                self.call_after_refresh(self.exit)

    class TimedHome(HomeScreen):
        def on_overview_loaded(self, message: OverviewLoaded) -> None:
            super().on_overview_loaded(message)
            if until == "ready":
                self.app.call_after_refresh(self.app.exit)

    import gquiz.tui.screens.home as home

    home.HomeScreen = TimedHome  # type: ignore[misc]
    Timed(Settings.resolve()).run(headless=True)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        gquiz(sys.argv[2] if len(sys.argv) > 2 else "first")
