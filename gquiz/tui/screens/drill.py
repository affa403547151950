"""計算ドリル: pick a problem family and a difficulty, answer generated problems freely or
in exam style, and read the worked solution step by step.

The screen holds no grading logic: :mod:`gquiz.problems` generates and checks, the study
layer records (``record_drill_attempt`` in a thread worker, committed before the
verdict is shown).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import ContentSwitcher, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from gquiz.tui.format import pct
from gquiz.tui.screens.base import GQuizScreen
from gquiz.tui.widgets.choice import ChoiceItem
from gquiz.tui.widgets.inputs import AnswerInput
from gquiz.tui.widgets.prose import JaMarkdown, Prose

if TYPE_CHECKING:
    from gquiz.problems import Family, Problem, Verdict
    from gquiz.tui.app import GQuizApp


@dataclass
class FamiliesLoaded(Message):
    """The problem families were read (posted from a worker)."""

    families: dict[str, Family]
    error: str | None = None


@dataclass
class DrillRecorded(Message):
    """An answer was checked and committed."""

    problem: Problem
    verdict: Verdict | None
    picked: int | None
    error: str | None = None


def problems_dir_of(app: GQuizApp) -> Path:
    """Where the family files are: the open bank's sources, else the app settings."""
    if app.bank is not None:
        return Path(app.bank.sources.problems)
    return Path(app.settings.problems)


def marks_text(verdict: Verdict) -> Text:
    """The learner's matrix with each cell coloured right (green) or wrong (red, with a ✗)."""
    rows = [r.split() for r in verdict.given.split(";")]
    width = max((len(c) for r in rows for c in r), default=1)
    out = Text()
    for i, (row, marks) in enumerate(zip(rows, verdict.marks, strict=False)):
        for j, (cell, ok) in enumerate(zip(row, marks, strict=False)):
            if j:
                out.append(" ")
            out.append(cell.rjust(width), style="bold green" if ok else "bold red reverse")
        out.append("\n" if i < len(rows) - 1 else "")
    return out


class DrillScreen(GQuizScreen[None]):
    """Family list → problem → verdict and worked solution."""

    CSS_PATH = "drill.tcss"
    BINDINGS = [
        Binding("q,escape", "back", "戻る"),
        Binding("n", "next", "次の問題"),
        Binding("c", "choices", "4択にする"),
        *[Binding(str(d), f"difficulty({d})", f"難易度{d}", show=False) for d in (1, 2, 3)],
        Binding("4", "pick(3)", show=False),
    ]

    def __init__(
        self, family_id: str | None = None, *, difficulty: int = 1, seed: int | None = None
    ) -> None:
        super().__init__()
        self.start_family = family_id
        self.difficulty = difficulty
        self.next_seed = seed
        self.families: dict[str, Family] = {}
        self.family: Family | None = None
        self.problem: Problem | None = None
        self.choice_mode = False
        self.answered = False
        self.busy = False
        self.shown_at = 0.0
        self.rng = random.Random()

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("読み込み中...", id="drill-status")
        with ContentSwitcher(initial="drill-pick", id="drill-switcher"):
            with Vertical(id="drill-pick"):
                yield Static("", id="drill-pick-help")
                yield OptionList(id="drill-families")
            with VerticalScroll(id="drill-body"):
                yield JaMarkdown("", id="drill-statement")
                yield AnswerInput(
                    placeholder="答えを入力して Enter（例: 12、0.75、1, 2, 3、1 2; 3 4）",
                    id="drill-answer",
                )
                yield Static(
                    "Enter: 答え合わせ   c: 4択 (入力欄が空のとき)   n: 次の問題   q / Esc: 戻る",
                    id="drill-hint",
                )
                yield Prose("", id="drill-error")
                yield Vertical(id="drill-choices")
                yield Prose("", id="drill-verdict")
                yield Static("", id="drill-marks")
                yield JaMarkdown("", id="drill-solution")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "計算ドリル"
        self.load_families()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="drill",
        description="問題ファミリーを読み込む",
    )
    def load_families(self) -> None:
        from gquiz.problems import FamilyError, load_families

        root = problems_dir_of(self.app)
        try:
            families = load_families(root)
        except FamilyError as exc:
            self.post_message(FamiliesLoaded(load_families(root, strict=False), str(exc)))
            return
        self.post_message(FamiliesLoaded(families))

    def on_families_loaded(self, message: FamiliesLoaded) -> None:
        self.families = message.families
        if message.error:
            self.notify(message.error, title="問題ファミリーの誤り", severity="error", timeout=10)
        option_list = self.query_one("#drill-families", OptionList)
        option_list.clear_options()
        by_section: dict[str, list[Family]] = {}
        for fam in self.families.values():
            by_section.setdefault(fam.section, []).append(fam)

        def key(section: str) -> tuple[int, int]:
            major, _, minor = section[1:].partition(".")
            return int(major), int(minor or 0)

        for section in sorted(by_section, key=key):
            option_list.add_option(Option(Text(section, style="bold"), disabled=True))
            for fam in sorted(by_section[section], key=lambda f: f.title):
                option_list.add_option(Option(f"  {fam.title}", id=fam.id))
        if not self.families:
            self._status("問題ファミリーがありません（problems/*.yaml）。")
            return
        if self.start_family:
            if self.start_family in self.families:
                self.start(self.families[self.start_family])
                return
            self.notify(f"問題ファミリー「{self.start_family}」はありません。", severity="warning")
            self.start_family = None
        self._show_pick()

    def _status(self, text: str) -> None:
        self.query_one("#drill-status", Static).update(text)

    def _show_pick(self) -> None:
        self.query_one("#drill-switcher", ContentSwitcher).current = "drill-pick"
        self.query_one("#drill-pick-help", Static).update(
            f"ファミリーを選んで Enter。難易度: {self.difficulty}（1〜3 キーで変更）"
        )
        self._status(f"計算ドリル  {len(self.families)} ファミリー  難易度 {self.difficulty}")
        self.query_one("#drill-families", OptionList).focus()

    # -- choosing -----------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#drill-families")
    def _family_chosen(self, event: OptionList.OptionSelected) -> None:
        fam = self.families.get(event.option.id or "")
        if fam is not None:
            self.start(fam)

    def action_difficulty(self, d: int) -> None:
        if self.query_one("#drill-switcher", ContentSwitcher).current != "drill-pick":
            if self.choice_mode and not self.answered and d <= 3:
                self.action_pick(d - 1)
            return
        self.difficulty = d
        self._show_pick()

    def start(self, family: Family) -> None:
        self.family = family
        self.new_problem()

    def _seed(self) -> int:
        if self.next_seed is not None:
            seed, self.next_seed = self.next_seed, self.next_seed + 1
            return seed
        return self.rng.randrange(1_000_000)

    def new_problem(self) -> None:
        from gquiz.problems import GenerationError, generate

        assert self.family is not None
        try:
            problem = generate(self.family, self.difficulty, self._seed())
        except GenerationError as exc:
            self.notify(str(exc), title="問題を作れません", severity="error", timeout=10)
            return
        self.show_problem(problem)

    def show_problem(self, problem: Problem) -> None:
        self.problem = problem
        self.answered = False
        self.busy = False
        self.choice_mode = False
        self.query_one("#drill-switcher", ContentSwitcher).current = "drill-body"
        self._status(f"{problem.title}  難易度 {problem.difficulty}  {problem.id}")
        self.query_one("#drill-statement", JaMarkdown).update(problem.statement)
        answer = self.query_one("#drill-answer", Input)
        answer.value = ""
        answer.disabled = False
        answer.display = True
        self.query_one("#drill-error", Static).update("")
        box = self.query_one("#drill-choices", Vertical)
        box.remove_children()
        box.display = False
        self.query_one("#drill-verdict", Static).update("")
        self.query_one("#drill-verdict").remove_class("right", "wrong")
        self.query_one("#drill-marks", Static).update("")
        solution = self.query_one("#drill-solution", JaMarkdown)
        solution.update("")
        solution.display = False
        self.query_one("#drill-body", VerticalScroll).scroll_home(animate=False)
        answer.focus()
        self.shown_at = time.monotonic()

    # -- answering ----------------------------------------------------------------------------
    @on(Input.Submitted, "#drill-answer")
    def _submitted(self, event: Input.Submitted) -> None:
        from gquiz.problems import AnswerError, check_answer

        problem = self.problem
        if problem is None or self.answered or self.busy:
            return
        error = self.query_one("#drill-error", Static)
        try:
            verdict = check_answer(problem, event.value)
        except AnswerError as exc:
            error.update(Text(str(exc), style="bold yellow"))
            self.call_after_refresh(error.scroll_visible, animate=False)
            return  # the text stays in the Input for the learner to fix
        error.update("")
        self.busy = True
        self.record(problem, verdict, None)

    def action_choices(self) -> None:
        """Switch the current (unanswered) problem to exam style: four choices."""
        problem = self.problem
        if problem is None or self.answered or self.choice_mode:
            return
        self.choice_mode = True
        answer = self.query_one("#drill-answer", Input)
        answer.display = False
        self.query_one("#drill-error", Static).update("1〜4 キーか クリックで選んでください。")
        box = self.query_one("#drill-choices", Vertical)
        box.display = True
        box.mount_all(ChoiceItem(i, c.text) for i, c in enumerate(problem.choices))
        self.query_one("#drill-body", VerticalScroll).focus()

    def action_pick(self, index: int) -> None:
        problem = self.problem
        if (
            problem is None
            or not self.choice_mode
            or self.answered
            or self.busy
            or index >= len(problem.choices)
        ):
            return
        self.busy = True
        self.record(problem, None, index)

    @on(ChoiceItem.Clicked)
    def _clicked(self, message: ChoiceItem.Clicked) -> None:
        self.action_pick(message.index)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="drill-answer",
        description="回答を保存",
    )
    def record(self, problem: Problem, verdict: Verdict | None, picked: int | None) -> None:
        from gquiz.study.generated import record_drill_attempt

        bank, learner_id = self.app.bank, self.app.learner_id
        elapsed = int((time.monotonic() - self.shown_at) * 1000)
        error = None
        if bank is None or learner_id is None:
            error = "問題バンクを準備中のため、この回答は記録されませんでした。"
        else:
            if picked is not None:
                choice = problem.choices[picked]
                correct, answer, score = choice.correct, choice.text, float(choice.correct)
            else:
                assert verdict is not None
                correct, answer, score = verdict.correct, verdict.given, verdict.score
            record_drill_attempt(
                bank,
                learner_id,
                problem,
                correct=correct,
                answer=answer,
                score=score,
                elapsed_ms=elapsed,
            )
        self.post_message(DrillRecorded(problem, verdict, picked, error))

    async def on_drill_recorded(self, message: DrillRecorded) -> None:
        self.busy = False
        if message.problem is not self.problem:
            return
        self.answered = True
        if message.error:
            self.notify(message.error, severity="warning")
        problem = message.problem
        verdict_w = self.query_one("#drill-verdict", Static)
        marks = self.query_one("#drill-marks", Static)
        answer = self.query_one("#drill-answer", Input)
        answer.disabled = True
        if message.picked is not None:
            chosen = problem.choices[message.picked]
            for item in self.query(ChoiceItem):
                item.show(
                    selected=item.index == message.picked,
                    correct=problem.choices[item.index].correct,
                )
            if chosen.correct:
                verdict_w.update("正解！")
                verdict_w.set_classes("right")
            else:
                verdict_w.update(
                    f"不正解  正解は {problem.correct_index + 1}. {problem.answer_text}\n"
                    f"選んだ {chosen.text}: {chosen.label}"
                )
                verdict_w.set_classes("wrong")
        else:
            v = message.verdict
            assert v is not None
            if v.correct:
                verdict_w.update("正解！")
                verdict_w.set_classes("right")
            else:
                partial = ""
                if v.wrong_cells and v.score > 0:
                    partial = f"  {pct(v.score)} の要素が正解。違う要素: {v.wrong_cells_text}"
                elif v.wrong_cells:
                    partial = f"  違う要素: {v.wrong_cells_text}"
                if v.note:
                    partial = f"  {v.note}"
                verdict_w.update(Text(f"不正解{partial}\n正解は {problem.answer_text}"))
                verdict_w.set_classes("wrong")
            if v.marks:
                marks.update(Text("あなたの答え（赤が違うセル）:\n").append_text(marks_text(v)))
        solution = self.query_one("#drill-solution", JaMarkdown)
        md = problem.solution_md
        if message.picked is not None:
            md += "\n" + problem.mistakes_md
        solution.display = True
        await solution.update(md)  # laid out before scrolling to the verdict
        self._status(f"{problem.title}  難易度 {problem.difficulty}  {problem.id}  （解答済み）")
        body = self.query_one("#drill-body", VerticalScroll)
        body.focus()
        self.call_after_refresh(body.scroll_to_widget, verdict_w, animate=False, top=True)

    # -- navigation ---------------------------------------------------------------------------
    def action_next(self) -> None:
        if self.family is not None and not self.busy and self.problem is not None:
            self.new_problem()

    def action_back(self) -> None:
        switcher = self.query_one("#drill-switcher", ContentSwitcher)
        if switcher.current == "drill-body" and self.start_family is None and self.families:
            self.problem = None
            self._show_pick()
            return
        self.app.pop_screen()
