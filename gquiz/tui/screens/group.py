"""The organiser's view of a study group: the group's weak 大項目 and topics, broken questions.

Only aggregates are shown (see study.group_report); opened with `o` on the home screen when
the database is a study group's PostgreSQL and the connection is the organiser's.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header

from gquiz.tui.screens.base import GQuizScreen
from gquiz.tui.widgets.prose import Prose


class GroupReportScreen(GQuizScreen[None]):
    BINDINGS = [Binding("q,escape", "app.pop_screen", "戻る"), Binding("r", "reload", "更新")]

    class Loaded(Message):
        def __init__(self, data: dict[str, Any] | None, error: str | None = None) -> None:
            super().__init__()
            self.data = data
            self.error = error

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Prose("集計しています...", id="group-report")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "勉強会の集計"
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, description="勉強会を集計")
    def load(self) -> None:
        from gquiz.study.group_report import report

        bank = self.app.bank
        if bank is None or bank.engine.dialect.name != "postgresql" or bank.member_role:
            self.post_message(
                self.Loaded(
                    None,
                    "勉強会の集計は、共有 PostgreSQL に主催者のロールでつないだときだけ見られます。",
                )
            )
            return
        with bank.engine.connect() as conn:
            self.post_message(self.Loaded(report(conn)))

    def on_group_report_screen_loaded(self, message: Loaded) -> None:
        from gquiz.study.group_report import format_report

        text = message.error or format_report(message.data or {})
        self.query_one("#group-report", Prose).update(text)
