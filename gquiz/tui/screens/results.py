"""Results of a quiz: the score, each question's verdict, and accuracy per 中項目."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from gquiz.study.answers import format_choice_answer
from gquiz.tui.format import excerpt, percent
from gquiz.tui.messages import StartQuiz
from gquiz.tui.screens.base import GQuizScreen
from gquiz.tui.start import QuizFilters

if TYPE_CHECKING:
    from gquiz.study.quiz import Graded


class ResultsScreen(GQuizScreen[None]):
    BINDINGS = [
        Binding("q,escape", "app.pop_screen", "戻る"),
        Binding("r", "retry", "間違えた問題をもう一度"),
    ]

    def __init__(self, results: list[Graded], title: str) -> None:
        super().__init__()
        self.results = list(results)
        self.quiz_title = title

    def compose(self) -> ComposeResult:
        yield Header()
        n = len(self.results)
        right = sum(r.correct for r in self.results)
        with VerticalScroll(id="results-body"):
            yield Static(
                f"結果: {n} 問中 {right} 問正解 ({percent(right, n)})   Enter: 問題を開く",
                id="score",
            )
            table: DataTable[str] = DataTable(
                id="per-question", cursor_type="row", zebra_stripes=True
            )
            table.add_columns("#", "判定", "あなた", "正解", "問題")
            for i, r in enumerate(self.results, start=1):
                table.add_row(
                    str(i),
                    "正解" if r.correct else "不正解",
                    format_choice_answer(r.picks),
                    format_choice_answer(r.question.correct_positions),
                    excerpt(r.question.stem, 36),
                )
            yield table
            per: dict[str, list[bool]] = defaultdict(list)
            for r in self.results:
                per[r.question.section_id].append(r.correct)
            lines = ["中項目ごとの正答率:"]
            for sid in sorted(per, key=lambda s: tuple(int(x) for x in s[1:].split("."))):
                got = per[sid]
                lines.append(f"  {sid:<6} {sum(got)}/{len(got)}  {percent(sum(got), len(got))}")
            yield Static("\n".join(lines), id="per-section")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = self.quiz_title
        self.query_one("#per-question", DataTable).focus()

    @on(DataTable.RowSelected, "#per-question")
    def _open(self, event: DataTable.RowSelected) -> None:
        """Enter on a row: that question again, with the answer given, the right one and why."""
        from gquiz.study.history import ReviewItem
        from gquiz.tui.screens.question import QuestionScreen

        items = [
            ReviewItem(i, r.question, r.picks, r.correct, r.elapsed_ms)
            for i, r in enumerate(self.results, start=1)
        ]
        self.app.push_screen(QuestionScreen(items, event.cursor_row, self.quiz_title))

    def action_retry(self) -> None:
        wrong = [r.question.id for r in self.results if not r.correct]
        if not wrong:
            self.notify("間違えた問題はありません。", timeout=3)
            return
        self.app.pop_screen()
        self.app.post_message(StartQuiz(QuizFilters(ids=tuple(wrong)), "間違えた問題"))
