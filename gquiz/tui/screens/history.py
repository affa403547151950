"""履歴: past exams and quiz sittings; an exam reopens its results, a quiz its questions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Header

from gquiz.tui.format import percent
from gquiz.tui.messages import StartQuiz
from gquiz.tui.screens.base import GQuizScreen
from gquiz.tui.start import QuizFilters
from gquiz.tui.widgets.prose import Prose

if TYPE_CHECKING:
    from gquiz.study.history import Sitting


@dataclass
class HistoryLoaded(Message):
    sittings: list[Sitting]


class HistoryScreen(GQuizScreen[None]):
    """Newest first. Enter: an exam's results, or the same questions of a quiz again."""

    BINDINGS = [Binding("q,escape", "app.pop_screen", "戻る")]

    def __init__(self) -> None:
        super().__init__()
        self.sittings: list[Sitting] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Prose("履歴を読み込んでいます...", id="history-help")
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "履歴"
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, description="履歴を読み込む")
    def load(self) -> None:
        from gquiz.study.history import sittings

        bank, learner_id = self.app.bank_and_learner()
        self.post_message(HistoryLoaded(sittings(bank, learner_id)))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        from gquiz.study.history import local_time

        self.sittings = message.sittings
        table = self.query_one("#history", DataTable)
        table.clear(columns=True)
        table.add_columns("日時", "種類", "問題数", "正解", "正答率")
        for s in self.sittings:
            table.add_row(
                local_time(s.started_at, self.app.bank_and_learner()[0].zone).strftime(
                    "%Y-%m-%d %H:%M"
                ),
                s.title,
                str(s.total),
                str(s.correct),
                percent(s.correct, s.total),
            )
        self.query_one("#history-help", Prose).update(
            "Enter: 模擬試験は結果を開く、演習はその問題をもう一度   q / Esc: 戻る"
            if self.sittings
            else "まだ履歴がありません。問題演習や模擬試験をするとここに並びます。"
        )
        table.focus()

    @on(DataTable.RowSelected, "#history")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.cursor_row >= len(self.sittings):
            return
        s = self.sittings[event.cursor_row]
        if s.exam_id is not None:
            from gquiz.tui.screens.exam import ExamResultsScreen

            self.app.push_screen(ExamResultsScreen(None, s.exam_id))
        elif s.question_ids:
            self.post_message(StartQuiz(QuizFilters(ids=s.question_ids), f"{s.title}をもう一度"))
        else:
            self.notify("この回には選択問題がありません (計算ドリル)。", severity="warning")
