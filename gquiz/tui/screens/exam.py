"""Timed practice exams: setup, the exam itself, resume after a crash, and the results."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from gquiz.study.answers import format_choice_answer, toggle_pick
from gquiz.study.formats import PACE, REAL, ExamFormat
from gquiz.tui.format import excerpt, pct, percent
from gquiz.tui.screens.base import GQuizScreen
from gquiz.tui.widgets.choice import ChoiceItem
from gquiz.tui.widgets.inputs import JaInput
from gquiz.tui.widgets.prose import JaMarkdown, Prose

if TYPE_CHECKING:
    from gquiz.study.exam import ExamResult, ExamSession
    from gquiz.study.history import ExamReview, ReviewItem
    from gquiz.tui.start import ExamStart

SAVE_EVERY_S = 5


def clock(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 60:02d}:{s % 60:02d}"


@dataclass
class ExamReady(Message):
    session: ExamSession


@dataclass
class ExamSubmitted(Message):
    result: ExamResult
    review: ExamReview


class ExamSetupScreen(GQuizScreen[None]):
    """Choose the real format, the pace drill, or what the command line asked for."""

    BINDINGS = [Binding("q,escape", "app.pop_screen", "戻る")]

    def __init__(self, start: ExamStart) -> None:
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:

        yield Header()
        presets = [
            Option(
                f"本番形式  {REAL.questions} 問 / {REAL.minutes} 分 (1問あたり約{REAL.budget_s:.0f}秒)",
                id=REAL.key,
            ),
            Option(
                f"ペース練習  {PACE.questions} 問 / {PACE.minutes} 分 (1問あたり約{PACE.budget_s:.0f}秒)",
                id=PACE.key,
            ),
        ]
        n, m = self.start.n, self.start.minutes
        if n and m and (n, m) not in (REAL, PACE):
            presets.insert(
                0,
                Option(
                    f"指定の形式  {n} 問 / {m} 分 (1問あたり約{ExamFormat(n, m).budget_s:.0f}秒)",
                    id=f"{n}:{m}",
                ),
            )
        with Vertical(id="exam-setup"):
            yield Prose(
                "模擬試験を始めます。形式を選んで Enter を押してください。", id="exam-setup-title"
            )
            yield OptionList(*presets, id="exam-presets")
            yield Prose(
                "試験中: 1〜9 で選択 (何度でも変更可)、←→ で前後、f でフラグ、g で問題へジャンプ、"
                "s で提出、q / Esc で中断 (次回起動時に残り時間から再開できます)。",
                id="exam-help",
            )
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        opts = self.query_one(OptionList)
        wanted = f"{self.start.n}:{self.start.minutes}"
        opts.highlighted = next(
            (i for i in range(opts.option_count) if opts.get_option_at_index(i).id == wanted), 0
        )
        opts.focus()

    @on(OptionList.OptionSelected, "#exam-presets")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        n, m = (int(x) for x in (event.option.id or PACE.key).split(":"))
        self.app.switch_screen(ExamScreen(None, n=n, minutes=m, seed=self.start.seed))


class ExamScreen(GQuizScreen[None]):
    """One question at a time, a countdown, flags, jumps; answers saved as they change."""

    BINDINGS = [
        *[Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 10)],
        Binding("right,n", "move(1)", "次"),
        Binding("left,p", "move(-1)", "前"),
        Binding("f", "flag", "フラグ"),
        Binding("g", "jump", "ジャンプ"),
        Binding("s", "submit", "提出"),
        Binding("q,escape", "leave", "中断 (保存)"),
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
            yield JaMarkdown("", id="exam-stem")
            yield Vertical(id="exam-choices")
        yield Footer(show_command_palette=False)

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
        bank, learner_id = self.app.bank_and_learner()
        self.post_message(ExamReady(ExamSession.start(bank, learner_id, n, minutes, seed)))

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
        await self.query_one("#exam-stem", JaMarkdown).update(q.stem)
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
        q = s.questions[s.current]
        budget = ExamFormat(s.total, s.minutes).budget_s
        pace = s.pace()
        pace_text = (
            f"ペース {pace:.0f}秒/問 (目安{budget:.0f}秒)"
            if pace is not None
            else f"目安 {budget:.0f}秒/問"
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
        from gquiz.study.history import review_of_result

        assert self.session is not None
        result = self.session.submit()
        self.post_message(ExamSubmitted(result, review_of_result(self.session, result)))

    def on_exam_submitted(self, message: ExamSubmitted) -> None:
        assert self.session is not None
        self.app.switch_screen(
            ExamResultsScreen(message.result, self.session.exam_id, message.review)
        )

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
        Binding("q,escape,n", "dismiss(False)", "キャンセル"),
        Binding("y", "dismiss(True)", "はい"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Prose(self.text)
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
        Binding("q,escape", "dismiss(None)", "あとで"),
    ]

    def __init__(self, session: ExamSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        s = self.session
        with Vertical(classes="dialog"):
            # Prose wraps (a Label cut the line before the time left at 80 columns).
            yield Prose(
                f"中断した模擬試験があります: {s.total} 問中 {len(s.answers)} 問回答済み、"
                f"残り時間 {clock(s.remaining_s)}。\n再開しますか？",
                id="resume-text",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("再開 (y)", id="resume", variant="primary")
                yield Button("破棄 (d)", id="discard", variant="error")
                yield Button("あとで (q)", id="later")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss({"resume": True, "discard": False}.get(event.button.id or "", None))


class JumpDialog(ModalScreen[int | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "キャンセル")]
    """Only Esc: q, digits and letters go into the number box."""

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
            yield Prose(f"何問目へ移動しますか？ (1〜{self.total}、Esc でキャンセル)")
            yield Prose(f"フラグ: {nums(self.flagged)}\n未回答: {nums(self.unanswered)}")
            yield JaInput(placeholder="番号", id="jump-to")

    @on(Input.Submitted, "#jump-to")
    def _submitted(self, event: Input.Submitted) -> None:
        import unicodedata

        text = unicodedata.normalize("NFKC", event.value).strip()
        if text.isdigit() and 1 <= int(text) <= self.total:
            self.dismiss(int(text) - 1)
        else:
            self.notify(f"1〜{self.total} の番号を入力してください。", severity="warning")


@dataclass
class ReviewLoaded(Message):
    review: ExamReview | None


class ExamResultsScreen(GQuizScreen[None]):
    """Score, then every question as a list row that opens it; 大項目 and mastery on a tab.

    The list is a DataTable, which draws only the rows on screen: a 145-question exam used to
    be one Markdown document of every wrong question (60,000 characters, thousands of
    widgets, seconds to lay out); a question's full text is laid out only when it is opened.
    """

    BINDINGS = [
        Binding("q,escape", "app.pop_screen", "戻る"),
        Binding("w", "toggle_wrong", "間違いのみ/全問"),
    ]

    def __init__(
        self, result: ExamResult | None, exam_id: int, review: ExamReview | None = None
    ) -> None:
        super().__init__()
        self.result = result
        self.exam_id = exam_id
        self.review: ExamReview | None = review
        self.only_wrong = False
        self.shown: list[ReviewItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        # Kept as attributes: the second tab's widgets are mounted later than this screen, and
        # a DataTable takes its rows before it is mounted.
        self._score = Prose("採点結果を読み込んでいます...", id="exam-score")
        self._items: DataTable[str] = DataTable(
            id="exam-items", cursor_type="row", zebra_stripes=True
        )
        self._majors: DataTable[str] = DataTable(
            id="exam-majors", cursor_type="none", zebra_stripes=True
        )
        self._times = Prose("", id="exam-times")
        yield self._score
        with TabbedContent(id="exam-tabs"):
            with TabPane("問題一覧", id="exam-tab-items"):
                yield self._items
            with TabPane("大項目別", id="exam-tab-majors"):
                with VerticalScroll():
                    yield self._majors
                    yield self._times
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "模擬試験の結果"
        if self.review is not None:  # just submitted: the session's own answers
            self.post_message(ReviewLoaded(self.review))
        else:  # reopened from 履歴: rebuilt from the database
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, description="採点結果を読み込む")
    def load(self) -> None:
        from gquiz.study.history import exam_review

        self.post_message(ReviewLoaded(exam_review(self.app.bank_and_learner()[0], self.exam_id)))

    def on_review_loaded(self, message: ReviewLoaded) -> None:
        review = self.review = message.review
        if review is None:
            self._score.update("この模擬試験の結果は見つかりません。")
            return
        missing = f"  未回答 {review.unanswered} 問" if review.unanswered else ""
        self._score.update(
            f"得点: {review.total} 問中 {review.score} 問正解 ({percent(review.score, review.total)})"
            f"{missing}   Enter: 問題を開く"
        )
        majors = self._majors
        r = self.result
        if r is not None:
            majors.add_columns("大項目", "正解", "正答率", "定着度 前", "後")
        else:
            majors.add_columns("大項目", "正解", "正答率")
        for major, (c, t) in review.per_major.items():
            row = [major, f"{c}/{t}", percent(c, t)]
            if r is not None:
                row += [pct(r.mastery_before.get(major)), pct(r.mastery_after.get(major))]
            majors.add_row(*row)
        times = [it.time_ms for it in review.items if it.time_ms]
        if times:
            slow = sorted(review.items, key=lambda it: -it.time_ms)[:5]
            self._times.update(
                f"1問あたり平均 {sum(times) / len(times) / 1000:.0f} 秒 (目安 41 秒)。"
                "時間のかかった問題: "
                + "、".join(f"問{it.number} ({it.time_ms / 1000:.0f}秒)" for it in slow)
            )
        self._items.add_columns("問", "判定", "あなた", "正解", "中項目", "問題")
        self._fill()
        self._items.focus()

    def _fill(self) -> None:
        assert self.review is not None
        table = self._items
        table.clear()
        self.shown = [it for it in self.review.items if not (self.only_wrong and it.correct)]
        for it in self.shown:
            q = it.question
            table.add_row(
                str(it.number),
                "正解" if it.correct else ("未回答" if not it.picks else "不正解"),
                format_choice_answer(it.picks) if it.picks else "-",
                format_choice_answer(q.correct_positions),
                q.section_id,
                excerpt(q.stem, 40),
            )
        label = "間違えた問題" if self.only_wrong else "問題一覧"
        for tabs in self.query("#exam-tabs").results(TabbedContent):
            tabs.get_tab("exam-tab-items").label = f"{label} ({len(self.shown)})"

    def action_toggle_wrong(self) -> None:
        if self.review is not None:
            self.only_wrong = not self.only_wrong
            self._fill()

    @on(DataTable.RowSelected, "#exam-items")
    def _open(self, event: DataTable.RowSelected) -> None:
        from gquiz.tui.screens.question import QuestionScreen

        if self.shown:
            self.app.push_screen(QuestionScreen(self.shown, event.cursor_row, "模擬試験の振り返り"))
