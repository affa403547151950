"""Progress you can look at: accuracy over time, mastery by 大項目, reviews due, weakest topics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot


@dataclass
class StatsLoaded(Message):
    stats: dict[str, Any]


class StatsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "戻る"),
        Binding("w", "weak", "弱点克服"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("集計しています...", id="stats-summary")
        with TabbedContent(id="stats-tabs"):
            with TabPane("定着度", id="tab-mastery"):
                yield PlotextPlot(id="chart-mastery")
                yield DataTable(id="table-mastery", cursor_type="none", zebra_stripes=True)
            with TabPane("正答率の推移", id="tab-accuracy"):
                yield PlotextPlot(id="chart-accuracy")
            with TabPane("復習予定", id="tab-due"):
                yield PlotextPlot(id="chart-due")
            with TabPane("苦手トピック", id="tab-weak"):
                yield DataTable(id="table-weak", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "成績"
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, description="成績を集計")
    def load(self) -> None:
        from gquiz.study.stats import learner_stats

        app = self.app
        self.post_message(StatsLoaded(learner_stats(app.bank, app.learner_id)))  # type: ignore[attr-defined]

    def on_stats_loaded(self, message: StatsLoaded) -> None:
        st = message.stats
        total = st["total"]
        if total["attempts"]:
            summary = (
                f"回答 {total['attempts']} 回  正答率 {total['accuracy'] * 100:.0f}%  "
                f"定着度 {total['mastery'] * 100:.0f}% ({total['mastery_low'] * 100:.0f}〜{total['mastery_high'] * 100:.0f}%)  "
                f"今日の復習 {total['due']} 問"
            )
        else:
            summary = "まだ回答がありません。問題を解くとここに成績が表示されます。"
        self.query_one("#stats-summary", Static).update(summary)

        majors = st["majors"]
        plt = self.query_one("#chart-mastery", PlotextPlot).plt
        plt.clear_data()
        plt.bar(
            [m["id"].removeprefix("S") for m in majors],
            [m["mastery"] * 100 if m["attempts"] else 0 for m in majors],
            width=0.5,
        )
        plt.ylim(0, 100)
        plt.title("大項目ごとの定着度 (%)")
        table = self.query_one("#table-mastery", DataTable)
        table.clear(columns=True)
        table.add_columns("大項目", "回答", "正答率", "定着度 (90%の範囲)", "復習")
        for m in majors:
            rng = (
                f"{m['mastery'] * 100:.0f}% ({m['mastery_low'] * 100:.0f}-{m['mastery_high'] * 100:.0f})"
                if m["attempts"]
                else "-"
            )
            acc = f"{m['accuracy'] * 100:.0f}%" if m["accuracy"] is not None else "-"
            table.add_row(
                f"{m['id']} {m['title'][:10]}", str(m["attempts"]), acc, rng, str(m["due"])
            )

        days = st["accuracy_by_day"][-30:]
        plt = self.query_one("#chart-accuracy", PlotextPlot).plt
        plt.clear_data()
        if days:
            plt.plot(list(range(len(days))), [d["accuracy"] * 100 for d in days], marker="braille")
            plt.xticks(list(range(len(days))), [d["day"][5:] for d in days])
        plt.ylim(0, 100)
        plt.title("日ごとの正答率 (%) 直近30日")

        due = st["due_by_day"]
        plt = self.query_one("#chart-due", PlotextPlot).plt
        plt.clear_data()
        plt.bar([d["day"][8:] for d in due], [d["due"] for d in due], width=0.5)
        plt.title("今後2週間の復習予定 (問, 日付)")

        weak = self.query_one("#table-weak", DataTable)
        weak.clear(columns=True)
        weak.add_columns("トピック", "中項目", "回答", "定着度 (90%の範囲)")
        for t in st["weakest_topics"]:
            weak.add_row(
                t["title"][:18],
                t["section"],
                str(t["attempts"]),
                f"{t['mastery'] * 100:.0f}% ({t['mastery_low'] * 100:.0f}-{t['mastery_high'] * 100:.0f})",
            )
        for chart in self.query(PlotextPlot):
            chart.refresh()

    def action_weak(self) -> None:
        from gquiz.tui.messages import StartQuiz

        self.app.pop_screen()
        self.app.post_message(StartQuiz({"drill": "weak", "count": 20}, "弱点克服"))
