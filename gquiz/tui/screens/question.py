"""One answered question read again: stem, every choice marked, the learner's answer and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Header

from gquiz.study.answers import format_choice_answer
from gquiz.tui.screens.base import GQuizScreen
from gquiz.tui.widgets.choice import ChoiceItem
from gquiz.tui.widgets.prose import JaMarkdown, Prose

if TYPE_CHECKING:
    from gquiz.study.history import ReviewItem


class QuestionScreen(GQuizScreen[None]):
    """Opened from a results row; ←/→ (p/n) step through the same list."""

    BINDINGS = [
        Binding("q,escape", "app.pop_screen", "戻る"),
        Binding("left,p", "step(-1)", "前の問題"),
        Binding("right,n", "step(1)", "次の問題"),
    ]

    def __init__(self, items: list[ReviewItem], index: int, title: str = "問題の振り返り") -> None:
        super().__init__()
        self.items = items
        self.index = index
        self.view_title = title

    def compose(self) -> ComposeResult:
        yield Header()
        yield Prose("", id="review-status")
        with VerticalScroll(id="review-body"):
            yield JaMarkdown("", id="review-stem")
            yield Vertical(id="review-choices")
            yield Prose("", id="review-verdict")
            yield JaMarkdown("", id="review-explanation")
        yield Footer(show_command_palette=False)

    async def on_mount(self) -> None:
        self.sub_title = self.view_title
        await self.show()

    async def show(self) -> None:
        item = self.items[self.index]
        q = item.question
        verdict = "正解" if item.correct else ("未回答" if not item.picks else "不正解")
        self.query_one("#review-status", Prose).update(
            f"問{item.number}  ({q.section_id})  {self.index + 1}/{len(self.items)}"
        )
        # A blank's stem already holds its passage (the bank stores it so), as in the quiz.
        await self.query_one("#review-stem", JaMarkdown).update(q.stem)
        box = self.query_one("#review-choices", Vertical)
        await box.remove_children()
        items = [ChoiceItem(i, c.text) for i, c in enumerate(q.choices)]
        await box.mount_all(items)
        for choice in items:
            choice.show(
                selected=choice.index in item.picks,
                correct=choice.index in q.correct_positions,
            )
        mine = format_choice_answer(item.picks) if item.picks else "未回答"
        right = format_choice_answer(q.correct_positions)
        line = self.query_one("#review-verdict", Prose)
        line.update(f"{verdict}   あなたの答え: {mine}   正解: {right}")
        line.set_class(item.correct, "right")
        line.set_class(not item.correct, "wrong")
        await self.query_one("#review-explanation", JaMarkdown).update(
            "### 解説\n\n" + q.explanation
        )
        self.query_one("#review-body", VerticalScroll).scroll_home(animate=False)

    async def action_step(self, delta: int) -> None:
        new = self.index + delta
        if 0 <= new < len(self.items):
            self.index = new
            await self.show()
