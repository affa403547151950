"""The quiz: one question at a time, the explanation right after each answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, ProgressBar, Static
from textual.worker import Worker, WorkerState

from gquiz.study.answers import format_choice_answer, toggle_pick
from gquiz.tui.screens.base import GQuizScreen
from gquiz.tui.widgets.choice import ChoiceItem
from gquiz.tui.widgets.prose import JaMarkdown, Prose

if TYPE_CHECKING:
    from gquiz.bank.repo import Bank, QuestionView
    from gquiz.study.quiz import Graded, QuizSession
    from gquiz.tui.start import QuizFilters


@dataclass
class QuizLoaded(Message):
    session: QuizSession


@dataclass
class AnswerGraded(Message):
    """An answer was graded and committed to the bank."""

    graded: Graded


class QuizScreen(GQuizScreen[None]):
    BINDINGS = [
        *[Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 10)],
        Binding("enter", "submit", "回答 / 次へ"),
        Binding("f", "flag", "フラグ"),
        Binding("q,escape", "leave", "終了 (回答は保存済み)"),
    ]

    def __init__(self, bank: Bank, learner_id: int, filters: QuizFilters, title: str) -> None:
        super().__init__()
        self.mode = filters.mode
        self.bank = bank
        self.learner_id = learner_id
        self.filters = filters
        self.quiz_title = title
        self.session: QuizSession | None = None
        self.picks: list[int] = []
        self.answered: Graded | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="quiz-top"):
            yield Static("読み込み中...", id="quiz-status")
            yield ProgressBar(id="quiz-progress", show_eta=False)
        with VerticalScroll(id="quiz-body"):
            yield JaMarkdown("", id="stem")
            yield Vertical(id="choices")
            yield Prose("", id="verdict")
            yield JaMarkdown("", id="explanation")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = self.quiz_title
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, description="問題を読み込む")
    def load(self) -> None:
        from gquiz.study.quiz import QuizSession

        f = self.filters
        if f.drill is not None:
            from gquiz.study.drill import select_drill

            questions = select_drill(self.bank, self.learner_id, f.drill, f.count or 20, f.seed)
        elif f.review:
            from gquiz.study.reviews import due_items

            questions = due_items(self.bank, self.learner_id)[: f.count or 50]
        elif f.ids is not None:
            questions = self.bank.questions(ids=f.ids)
        else:
            questions = self.bank.pick_questions(
                topic=f.topic, section=f.section, count=f.count, seed=f.seed
            )
        self.post_message(
            QuizLoaded(
                QuizSession(self.bank, self.learner_id, questions, mode=self.mode, seed=f.seed)
            )
        )

    async def on_quiz_loaded(self, message: QuizLoaded) -> None:
        self.session = message.session
        if not message.session.questions:
            self.query_one("#quiz-status", Static).update(
                "出題できる問題がありません。q で戻ります。"
            )
            return
        self.query_one("#quiz-progress", ProgressBar).update(
            total=len(message.session.questions), progress=0
        )
        await self.show_question()

    async def show_question(self) -> None:
        session = self.session
        assert session is not None
        q = session.current
        if q is None:
            self.finish()
            return
        self.picks = []
        self.answered = None
        total = len(session.questions)
        multi = "  (2つ選ぶ問題)" if q.n_correct == 2 else ""
        self.query_one("#quiz-status", Static).update(
            f"問 {session.index + 1}/{total}   正解 {session.n_correct}/{session.index}   難易度 {q.difficulty}{multi}"
        )
        await self.query_one("#stem", JaMarkdown).update(q.stem)
        box = self.query_one("#choices", Vertical)
        await box.remove_children()
        await box.mount_all(ChoiceItem(i, c.text) for i, c in enumerate(q.choices))
        self.query_one("#verdict", Static).update("")
        self.query_one("#verdict").remove_class("right", "wrong")
        explanation = self.query_one("#explanation", JaMarkdown)
        await explanation.update("")
        explanation.display = False
        self.query_one("#quiz-body", VerticalScroll).scroll_home(animate=False)
        session.shown()

    def _refresh_choices(self) -> None:
        graded = self.answered
        for item in self.query(ChoiceItem):
            if graded is None:
                item.show(selected=item.index in self.picks)
            else:
                item.show(
                    selected=item.index in graded.picks,
                    correct=item.index in graded.question.correct_positions,
                )

    def action_pick(self, index: int) -> None:
        q = self.session.current if self.session else None
        if q is None or self.answered is not None or self.busy or index >= len(q.choices):
            return
        self.picks = toggle_pick(self.picks, index, q.n_correct)
        self._refresh_choices()

    @on(ChoiceItem.Clicked)
    def _clicked(self, message: ChoiceItem.Clicked) -> None:
        self.action_pick(message.index)

    async def action_submit(self) -> None:
        session = self.session
        if session is None or self.busy:
            return
        if self.answered is not None:
            self.query_one("#quiz-progress", ProgressBar).update(progress=session.index)
            await self.show_question()
            return
        q = session.current
        if q is None:
            return
        if len(self.picks) != q.n_correct:
            need = (
                "選択肢を1つ選んでください (1〜9 キー)。"
                if q.n_correct == 1
                else "選択肢を2つ選んでください。"
            )
            self.notify(need, severity="warning", timeout=3)
            return
        self.busy = True
        self.record(tuple(sorted(self.picks)))

    @work(
        thread=True, exclusive=True, group="answer", exit_on_error=False, description="回答を保存"
    )
    def record(self, picks: tuple[int, ...]) -> None:
        # The attempt is committed before the learner sees the verdict: quitting or a crash
        # right after cannot lose it.
        assert self.session is not None
        self.post_message(AnswerGraded(self.session.answer(picks)))

    @on(Worker.StateChanged)
    def _save_failed(self, event: Worker.StateChanged) -> None:
        # The base class shows the error; here the screen lets the learner answer again
        # (the picks are kept, nothing was recorded, Enter saves once the database takes it).
        if event.worker.group == "answer" and event.state == WorkerState.ERROR:
            self.busy = False

    async def on_answer_graded(self, message: AnswerGraded) -> None:
        self.busy = False
        self.answered = graded = message.graded
        q: QuestionView = graded.question
        self._refresh_choices()
        verdict = self.query_one("#verdict", Static)
        if graded.correct:
            verdict.update("正解！")
            verdict.set_classes("right")
        else:
            verdict.update(f"不正解  正解は {format_choice_answer(q.correct_positions)}")
            verdict.set_classes("wrong")
        explanation = self.query_one("#explanation", JaMarkdown)
        explanation.display = True
        await explanation.update("### 解説\n\n" + q.explanation)
        session = self.session
        assert session is not None
        self.query_one("#quiz-progress", ProgressBar).update(progress=session.index)
        self.query_one("#quiz-status", Static).update(
            f"問 {session.index}/{len(session.questions)}   正解 {session.n_correct}/{session.index}   "
            + ("Enter: 結果へ" if session.finished else "Enter: 次の問題")
        )
        verdict.scroll_visible(animate=False)

    def action_flag(self) -> None:
        q = self.session.current if self.session else None
        if self.answered is not None:
            q = self.answered.question
        if q is None:
            return
        self.flag(q.kind, q.item_id)

    @work(thread=True, group="flag", exit_on_error=False, description="フラグを保存")
    def flag(self, kind: str, item_id: str) -> None:
        card = self.bank.card(self.learner_id, kind, item_id)
        flagged = not (card.flagged if card else False)
        self.bank.set_flag(self.learner_id, kind, item_id, flagged)
        self.app.call_from_thread(
            self.notify,
            "フラグを付けました (フラグ付きの問題ドリルで出題)"
            if flagged
            else "フラグを外しました",
            timeout=2,
        )

    def finish(self) -> None:
        from gquiz.tui.screens.results import ResultsScreen

        assert self.session is not None
        self.app.switch_screen(ResultsScreen(self.session.results, self.quiz_title))

    def action_leave(self) -> None:
        if self.session is not None and self.session.results:
            self.finish()
        else:
            self.app.pop_screen()
