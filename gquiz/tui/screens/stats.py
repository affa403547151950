"""Progress you can look at: accuracy over time, mastery by 大項目, reviews due, weakest topics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from gquiz.tui.format import pct, pct_range
from gquiz.tui.screens.base import GQuizScreen
from gquiz.tui.widgets.prose import Prose

if TYPE_CHECKING:
    from gquiz.study.stats import LearnerStats


@dataclass
class StatsLoaded(Message):
    stats: LearnerStats


class StatsScreen(GQuizScreen[None]):
    BINDINGS = [
        Binding("q,escape", "app.pop_screen", "戻る"),
        Binding("w", "weak", "弱点克服"),
        Binding("s", "quiz_topic", "トピックを出題", show=False),
        Binding("k", "kanpe", "カンペ"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.weak_slugs: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Prose("集計しています...", id="stats-summary")
        with TabbedContent(id="stats-tabs"):
            with TabPane("定着度", id="tab-mastery"):
                yield PlotextPlot(id="chart-mastery")
                yield DataTable(id="table-mastery", cursor_type="none", zebra_stripes=True)
            with TabPane("正答率の推移", id="tab-accuracy"):
                yield PlotextPlot(id="chart-accuracy")
            with TabPane("復習予定", id="tab-due"):
                yield PlotextPlot(id="chart-due")
            with TabPane("苦手トピック", id="tab-weak"):
                yield Static("Enter: ノートを読む   s: このトピックを出題", id="weak-help")
                yield DataTable(id="table-weak", cursor_type="row", zebra_stripes=True)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "成績"
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, description="成績を集計")
    def load(self) -> None:
        from gquiz.study.stats import learner_stats

        bank, learner_id = self.app.bank_and_learner()
        self.post_message(StatsLoaded(learner_stats(bank, learner_id)))

    def on_stats_loaded(self, message: StatsLoaded) -> None:
        st = message.stats
        total = st.total.record
        if total.attempts:
            summary = (
                f"回答 {total.attempts} 回  正答率 {pct(total.accuracy)}  "
                f"定着度 {pct(total.mastery)} ({pct_range(total.mastery_low, total.mastery_high)})  "
                f"今日の復習 {st.total.due} 問"
            )
            readiness = st.readiness
            if readiness.estimate.n:
                summary += (
                    f"\n本番形式 {readiness.estimate.n} 問の{readiness.estimate.label()}  "
                    f"{readiness.calibration.label()}"
                )
        else:
            summary = "まだ回答がありません。問題を解くとここに成績が表示されます。"
        self.query_one("#stats-summary", Prose).update(summary)

        majors = st.majors
        plt = self.query_one("#chart-mastery", PlotextPlot).plt
        plt.clear_data()
        plt.bar(
            [m.id.removeprefix("S") for m in majors],
            [m.record.mastery * 100 if m.record.attempts else 0 for m in majors],
            width=0.5,
        )
        plt.ylim(0, 100)
        plt.title("大項目ごとの定着度 (%)")
        table = self.query_one("#table-mastery", DataTable)
        table.clear(columns=True)
        table.add_columns("大項目", "回答", "正答率", "定着度 (90%の範囲)", "復習")
        for m in majors:
            r = m.record
            rng = (
                f"{pct(r.mastery)} ({pct_range(r.mastery_low, r.mastery_high)})"
                if r.attempts
                else "-"
            )
            # The full 大項目 title: the table scrolls sideways rather than cut it.
            table.add_row(f"{m.id} {m.title}", str(r.attempts), pct(r.accuracy), rng, str(m.due))

        days = st.accuracy_by_day[-30:]
        plt = self.query_one("#chart-accuracy", PlotextPlot).plt
        plt.clear_data()
        if days:
            plt.plot(list(range(len(days))), [d.accuracy * 100 for d in days], marker="braille")
            plt.xticks(list(range(len(days))), [d.day[5:] for d in days])
        plt.ylim(0, 100)
        plt.title("日ごとの正答率 (%) 直近30日")

        due = st.due_by_day
        plt = self.query_one("#chart-due", PlotextPlot).plt
        plt.clear_data()
        plt.bar([d.day.isoformat()[8:] for d in due], [d.due for d in due], width=0.5)
        plt.title("今後2週間の復習予定 (問, 日付)")

        weak = self.query_one("#table-weak", DataTable)
        weak.clear(columns=True)
        weak.add_columns("トピック", "中項目", "回答", "定着度 (90%の範囲)")
        self.weak_slugs = [(t.slug, t.title) for t in st.weakest_topics]
        for t in st.weakest_topics:
            r = t.record
            weak.add_row(
                t.title,
                t.section,
                str(r.attempts),
                f"{pct(r.mastery)} ({pct_range(r.mastery_low, r.mastery_high)})",
            )
        for chart in self.query(PlotextPlot):
            chart.refresh()

    @on(DataTable.RowSelected, "#table-weak")
    def _open_note(self, event: DataTable.RowSelected) -> None:
        """Enter on a weak topic: its note (s from there, or here, starts its questions)."""
        from gquiz.tui.screens.note import NoteScreen

        if event.cursor_row < len(self.weak_slugs):
            self.app.push_screen(NoteScreen(self.weak_slugs[event.cursor_row][0]))

    def action_quiz_topic(self) -> None:
        from gquiz.tui.messages import StartQuiz
        from gquiz.tui.start import QuizFilters

        table = self.query_one("#table-weak", DataTable)
        if not self.weak_slugs or not table.has_focus:
            self.notify("苦手トピックの表でトピックを選んでください。", severity="warning")
            return
        slug, title = self.weak_slugs[min(table.cursor_row, len(self.weak_slugs) - 1)]
        self.app.post_message(StartQuiz(QuizFilters(topic=slug), title))

    @work(thread=True, exclusive=True, exit_on_error=False, description="カンペを書き出す")
    def action_kanpe(self) -> None:
        """Write the personal カンペ of the weak topics (HTML, to print) into the data folder."""
        from datetime import date

        from gquiz.locations import data_dir
        from gquiz.study.kanpe import build_sheet, render

        bank, learner_id = self.app.bank_and_learner()
        sheets = build_sheet(bank, learner_id, weak=True)
        path = data_dir() / f"kanpe-{date.today().isoformat()}.html"
        try:
            path.write_text(render(sheets, "html", "G検定 カンペ (苦手トピック)"), encoding="utf-8")
        except OSError as exc:
            self.app.call_from_thread(
                self.notify, f"カンペを書き出せません: {exc.strerror or exc}", severity="error"
            )
            return
        self.app.call_from_thread(
            self.notify, f"苦手 {len(sheets)} トピックのカンペを書き出しました: {path}", timeout=10
        )

    def action_weak(self) -> None:
        from gquiz.tui.messages import StartQuiz
        from gquiz.tui.start import QuizFilters

        self.app.pop_screen()
        self.app.post_message(StartQuiz(QuizFilters(drill="weak", count=20), "弱点克服"))
