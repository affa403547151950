"""Timed practice exams: setup, the exam itself, resume after a crash, and the results."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Markdown,
    OptionList,
    Static,
)
from textual.widgets.option_list import Option

from gquiz.study.answers import toggle_pick
from gquiz.tui.format import percent
from gquiz.tui.widgets.choice import ChoiceItem

if TYPE_CHECKING:
    from gquiz.study.exam import ExamResult, ExamSession

SAVE_EVERY_S = 5


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def clock(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 60:02d}:{s % 60:02d}"


@dataclass
class ExamReady(Message):
    session: ExamSession


@dataclass
class ExamSubmitted(Message):
    result: ExamResult


class ExamSetupScreen(Screen[None]):
    """Choose the real format, the pace drill, or what the command line asked for."""

    BINDINGS = [Binding("escape,q", "app.pop_screen", "戻る")]

    def __init__(self, args: dict[str, Any]) -> None:
        super().__init__()
        self.args = args

    def compose(self) -> ComposeResult:
        from gquiz.study.exam import PACE, REAL

        yield Header()
        presets = [
            Option(
                f"本番形式  {REAL[0]} 問 / {REAL[1]} 分 (1問あたり約41秒)",
                id=f"{REAL[0]}:{REAL[1]}",
            ),
            Option(f"ペース練習  {PACE[0]} 問 / {PACE[1]} 分", id=f"{PACE[0]}:{PACE[1]}"),
        ]
        n, m = self.args.get("n"), self.args.get("minutes")
        if n and m and (n, m) not in (REAL, PACE):
            presets.insert(0, Option(f"指定の形式  {n} 問 / {m} 分", id=f"{n}:{m}"))
        with Vertical(id="exam-setup"):
            yield Label(
                "模擬試験を始めます。形式を選んで Enter を押してください。", id="exam-setup-title"
            )
            yield OptionList(*presets, id="exam-presets")
            yield Static(
                "試験中: 1〜9 で選択 (何度でも変更可)、←→ で前後、f でフラグ、g で問題へジャンプ、"
                "s で提出、q で中断 (次回起動時に残り時間から再開できます)。",
                id="exam-help",
            )
        yield Footer()

    def on_mount(self) -> None:
        opts = self.query_one(OptionList)
        wanted = f"{self.args.get('n')}:{self.args.get('minutes')}"
        opts.highlighted = next(
            (i for i in range(opts.option_count) if opts.get_option_at_index(i).id == wanted), 0
        )
        opts.focus()

    @on(OptionList.OptionSelected, "#exam-presets")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        n, m = (int(x) for x in (event.option.id or "20:14").split(":"))
        self.app.switch_screen(ExamScreen(None, n=n, minutes=m, seed=self.args.get("seed")))


class ExamScreen(Screen[None]):
    """One question at a time, a countdown, flags, jumps; answers saved as they change."""

    BINDINGS = [
        *[Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 10)],
        Binding("right,n", "move(1)", "次"),
        Binding("left,p", "move(-1)", "前"),
        Binding("f", "flag", "フラグ"),
        Binding("g", "jump", "ジャンプ"),
        Binding("s", "submit", "提出"),
        Binding("q", "leave", "中断"),
    ]

    def __init__(
        self, session: ExamSession | None, *, n: int = 0, minutes: int = 0, seed: int | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.spec = (n, minutes, seed)
        self._last_tick = time.monotonic()
        self._since_save = 0.0
        self._done = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("模擬試験を準備しています...", id="exam-status")
        with VerticalScroll(id="exam-body"):
            yield Markdown("", id="exam-stem")
            yield Vertical(id="exam-choices")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "模擬試験"
        if self.session is None:
            self.prepare()
        else:
            self.post_message(ExamReady(self.session))

    @work(thread=True, exclusive=True, exit_on_error=False, description="模擬試験を組み立てる")
    def prepare(self) -> None:
        from gquiz.study.exam import ExamSession

        n, minutes, seed = self.spec
        app = self.app
        self.post_message(ExamReady(ExamSession.start(app.bank, app.learner_id, n, minutes, seed)))  # type: ignore[attr-defined]

    async def on_exam_ready(self, message: ExamReady) -> None:
        self.session = message.session
        self._last_tick = time.monotonic()
        self.set_interval(1.0, self.tick)
        await self.show_current()

    # -- display ------------------------------------------------------------------------------
    async def show_current(self) -> None:
        s = self.session
        assert s is not None
        q = s.questions[s.current]
        await self.query_one("#exam-stem", Markdown).update(q.stem)
        box = self.query_one("#exam-choices", Vertical)
        await box.remove_children()
        await box.mount_all(ChoiceItem(i, c.text) for i, c in enumerate(q.choices))
        self._refresh_choices()
        self.query_one("#exam-body", VerticalScroll).scroll_home(animate=False)
        self.update_status()

    def _refresh_choices(self) -> None:
        s = self.session
        assert s is not None
        picks = s.answers.get(s.current, [])
        for item in self.query(ChoiceItem):
            item.show(selected=item.index in picks)

    def update_status(self) -> None:
        s = self.session
        if s is None:
            return
        from gquiz.study.exam import BUDGET_S

        q = s.questions[s.current]
        pace = s.pace()
        pace_text = (
            f"ペース {pace:.0f}秒/問 (目安{BUDGET_S:.0f}秒)"
            if pace is not None
            else f"目安 {BUDGET_S:.0f}秒/問"
        )
        flag = " [フラグ]" if s.current in s.flags else ""
        two = " 2つ選ぶ" if q.n_correct == 2 else ""
        self.query_one("#exam-status", Static).update(
            f"問 {s.current + 1}/{s.total}{flag}{two}  残り {clock(s.remaining_s)}  {pace_text}  "
            f"回答済 {len(s.answers)}  フラグ {len(s.flags)}"
        )

    # -- the clock ----------------------------------------------------------------------------
    def tick(self) -> None:
        s = self.session
        if s is None or self._done:
            return
        now = time.monotonic()
        spent = now - self._last_tick
        self._last_tick = now
        s.spend(s.current, int(spent * 1000))
        self._since_save += spent
        if s.remaining_s <= 0:
            self.notify("時間切れです。提出します。", timeout=4)
            self.do_submit()
            return
        if self._since_save >= SAVE_EVERY_S:
            self._since_save = 0.0
            self.persist()
        self.update_status()

    @work(thread=True, group="exam-save", exit_on_error=False, description="模擬試験を保存")
    def persist(self) -> None:
        if self.session is not None:
            self.session.save()

    # -- actions ------------------------------------------------------------------------------
    def action_pick(self, index: int) -> None:
        s = self.session
        if s is None or self._done:
            return
        q = s.questions[s.current]
        if index >= len(q.choices):
            return
        picks = toggle_pick(list(s.answers.get(s.current, [])), index, q.n_correct)
        s.answer(s.current, picks, save=False)
        self.persist()
        self._refresh_choices()
        self.update_status()

    @on(ChoiceItem.Clicked)
    def _clicked(self, message: ChoiceItem.Clicked) -> None:
        self.action_pick(message.index)

    async def go(self, pos: int) -> None:
        s = self.session
        if s is None or self._done:
            return
        self.tick()
        s.current = max(0, min(s.total - 1, pos))
        self.persist()
        await self.show_current()

    async def action_move(self, delta: int) -> None:
        if self.session is not None:
            await self.go(self.session.current + delta)

    def action_flag(self) -> None:
        s = self.session
        if s is None or self._done:
            return
        s.toggle_flag(s.current, save=False)
        self.persist()
        self.update_status()

    def action_jump(self) -> None:
        s = self.session
        if s is None:
            return

        async def chosen(pos: int | None) -> None:
            if pos is not None:
                await self.go(pos)

        self.app.push_screen(JumpDialog(s.total, sorted(s.flags), s.unanswered()), chosen)

    def action_submit(self) -> None:
        s = self.session
        if s is None or self._done:
            return
        missing = len(s.unanswered())
        text = (
            f"提出しますか？ 未回答 {missing} 問、フラグ {len(s.flags)} 問。"
            if missing or s.flags
            else "提出しますか？"
        )

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.do_submit()

        self.app.push_screen(ConfirmDialog(text), confirmed)

    def do_submit(self) -> None:
        if self._done:
            return
        self._done = True
        self.query_one("#exam-status", Static).update("採点しています...")
        self.grade()

    @work(thread=True, exclusive=True, exit_on_error=False, description="採点")
    def grade(self) -> None:
        assert self.session is not None
        self.post_message(ExamSubmitted(self.session.submit()))

    def on_exam_submitted(self, message: ExamSubmitted) -> None:
        self.app.switch_screen(ExamResultsScreen(message.result))

    def action_leave(self) -> None:
        s = self.session
        if s is not None and not self._done:
            self.tick()
            self._done = True
            s.save()
            self.app.notify(
                f"中断しました (残り {clock(s.remaining_s)})。次回の起動時に再開できます。",
                timeout=5,
            )
        self.app.pop_screen()


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "dismiss(False)", "キャンセル"),
        Binding("y", "dismiss(True)", "はい"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.text)
            with Horizontal(classes="dialog-buttons"):
                yield Button("はい (y)", id="yes", variant="primary")
                yield Button("いいえ (Esc)", id="no")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ResumeDialog(ModalScreen[bool | None]):
    """Offered at start-up when an exam was left unfinished (quit or crash)."""

    BINDINGS = [
        Binding("y", "dismiss(True)", "再開"),
        Binding("d", "dismiss(False)", "破棄"),
        Binding("escape", "dismiss(None)", "あとで"),
    ]

    def __init__(self, session: ExamSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        s = self.session
        with Vertical(classes="dialog"):
            yield Label(
                f"中断した模擬試験があります: {s.total} 問中 {len(s.answers)} 問回答済み、残り {clock(s.remaining_s)}。\n再開しますか？"
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("再開 (y)", id="resume", variant="primary")
                yield Button("破棄 (d)", id="discard", variant="error")
                yield Button("あとで (Esc)", id="later")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss({"resume": True, "discard": False}.get(event.button.id or "", None))


class JumpDialog(ModalScreen[int | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "キャンセル")]

    def __init__(self, total: int, flagged: list[int], unanswered: list[int]) -> None:
        super().__init__()
        self.total = total
        self.flagged = flagged
        self.unanswered = unanswered

    def compose(self) -> ComposeResult:
        def nums(xs: list[int]) -> str:
            shown = ", ".join(str(x + 1) for x in xs[:20])
            return (shown + (" ..." if len(xs) > 20 else "")) or "なし"

        with Vertical(classes="dialog"):
            yield Label(f"何問目へ移動しますか？ (1〜{self.total})")
            yield Static(f"フラグ: {nums(self.flagged)}\n未回答: {nums(self.unanswered)}")
            yield Input(placeholder="番号", id="jump-to")

    @on(Input.Submitted, "#jump-to")
    def _submitted(self, event: Input.Submitted) -> None:
        import unicodedata

        text = unicodedata.normalize("NFKC", event.value).strip()
        if text.isdigit() and 1 <= int(text) <= self.total:
            self.dismiss(int(text) - 1)
        else:
            self.notify(f"1〜{self.total} の番号を入力してください。", severity="warning")


class ExamResultsScreen(Screen[None]):
    """Score per 大項目 as a chart, time per question, wrong answers and the effect on mastery."""

    BINDINGS = [Binding("escape,q,h", "app.pop_screen", "ホームへ")]

    def __init__(self, result: ExamResult) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        r = self.result
        yield Header()
        with VerticalScroll(id="exam-results"):
            yield Static(
                f"得点: {r.total} 問中 {r.score} 問正解 ({percent(r.score, r.total)})"
                + (f"  未回答 {len(r.unanswered)} 問" if r.unanswered else ""),
                id="exam-score",
            )
            yield PlotextPlot(id="exam-chart")
            table: DataTable[str] = DataTable(
                id="exam-majors", cursor_type="none", zebra_stripes=True
            )
            table.add_columns("大項目", "正解", "正答率", "定着度 前", "後")
            for major, (c, t) in r.per_major.items():
                table.add_row(
                    major,
                    f"{c}/{t}",
                    percent(c, t),
                    _pct(r.mastery_before.get(major)),
                    _pct(r.mastery_after.get(major)),
                )
            yield table
            times = [t for t in r.times_ms if t]
            if times:
                slow = sorted(range(len(r.times_ms)), key=lambda i: -r.times_ms[i])[:5]
                yield Static(
                    f"1問あたり平均 {sum(times) / len(times) / 1000:.0f} 秒 (目安 41 秒)。"
                    f"時間のかかった問題: "
                    + ", ".join(f"問{i + 1} ({r.times_ms[i] / 1000:.0f}秒)" for i in slow),
                    id="exam-times",
                )
            yield Label(f"間違えた問題 ({len(r.wrong)} 問)", id="exam-wrong-title")
            parts = []
            for pos, q, picks in r.wrong:
                mine = ",".join(str(p + 1) for p in picks) or "未回答"
                right = ",".join(str(p + 1) for p in sorted(q.correct_positions))
                parts.append(
                    f"### 問{pos + 1} ({q.section_id})  あなた: {mine} / 正解: {right}\n\n{q.stem}\n\n"
                    + "\n".join(f"{i}. {c.text}" for i, c in enumerate(q.choices, start=1))
                    + f"\n\n**解説** {q.explanation}\n"
                )
            yield Markdown("\n\n".join(parts) or "全問正解です。", id="exam-wrong")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "模擬試験の結果"
        r = self.result
        chart = self.query_one("#exam-chart")
        plt = chart.plt  # type: ignore[attr-defined]
        labels = [m.removeprefix("S") for m in r.per_major]
        values = [c * 100 / t if t else 0 for c, t in r.per_major.values()]
        plt.bar(labels, values, width=0.5)
        plt.ylim(0, 100)
        plt.title("大項目ごとの正答率 (%)")
