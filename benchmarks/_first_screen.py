"""Start an app headless and report when its first screen has been painted (for bench_startup).

The parent puts its launch time in BENCH_T0; the child prints the seconds from launch to the
moment after the first refresh, then exits (the exit itself is not timed: a background
worker may still be finishing its imports then).
"""

from __future__ import annotations

import os
import sys
import time


def _report() -> None:
    print(f"{time.time() - float(os.environ['BENCH_T0']):.6f}", flush=True)


def bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

        def on_mount(self) -> None:
            self.call_after_refresh(self.done)

        def done(self) -> None:
            _report()
            self.exit()

    Bare().run(headless=True)


def gquiz(until: str) -> None:
    from gquiz.config import Settings
    from gquiz.tui.app import GQuizApp
    from gquiz.tui.messages import OverviewLoaded
    from gquiz.tui.screens.home import HomeScreen

    class TimedHome(HomeScreen):
        def on_mount(self) -> None:
            super().on_mount()
            if until == "first":
                self.call_after_refresh(self.done)

        def on_overview_loaded(self, message: OverviewLoaded) -> None:
            super().on_overview_loaded(message)
            if until == "ready":
                self.call_after_refresh(self.done)

        def done(self) -> None:
            _report()
            self.app.exit()

    import gquiz.tui.screens.home as home

    home.HomeScreen = TimedHome  # type: ignore[misc]
    GQuizApp(Settings.resolve()).run(headless=True)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        gquiz(sys.argv[2] if len(sys.argv) > 2 else "first")
