"""The note reader: a topic's note in Textual's Markdown viewer with its table of contents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Footer, Header

from gquiz.tui.messages import StartQuiz
from gquiz.tui.screens.base import GQuizScreen
from gquiz.tui.start import QuizFilters
from gquiz.tui.widgets.prose import JaMarkdownViewer

if TYPE_CHECKING:
    from gquiz.bank.repo import TopicView


@dataclass
class NoteLoaded(Message):
    topic: TopicView | None


class NoteScreen(GQuizScreen[None]):
    BINDINGS = [
        Binding("q,escape", "app.pop_screen", "戻る"),
        Binding("s", "quiz", "このトピックを出題"),
        Binding("t", "toggle_toc", "目次"),
    ]

    def __init__(self, slug: str, anchor: str | None = None) -> None:
        super().__init__()
        self.slug = slug
        # A heading to scroll to once the note is shown (a search hit opens its section).
        self.open_at = anchor
        self.topic: TopicView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        # In a narrow terminal the contents panel would take half the text's width: `t` shows it.
        wide = self.app.size.width >= 100
        yield JaMarkdownViewer("読み込み中...", show_table_of_contents=wide, id="note")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, description="ノートを読み込む")
    def load(self) -> None:
        self.post_message(NoteLoaded(self.app.bank_and_learner()[0].topic(self.slug)))

    async def on_note_loaded(self, message: NoteLoaded) -> None:
        self.topic = message.topic
        viewer = self.query_one("#note", JaMarkdownViewer)
        if message.topic is None:
            await viewer.document.update("ノートが見つかりません。")
            return
        self.sub_title = message.topic.title
        text = message.topic.note
        if message.topic.as_of_label:
            # Law and guidelines change: say up front as of when the note is true, and on what.
            dated = f"> **{message.topic.as_of_label}**の内容です。"
            if message.topic.sources:
                dated += " 根拠: " + "、".join(message.topic.sources)
            text = dated + "\n\n" + text
        if message.topic.drills:
            text += "\n\n---\n\n**計算ドリル**: " + "、".join(
                f"`{d}`" for d in message.topic.drills
            )
        text += f"\n\n---\n\nこのトピックの問題: {message.topic.n_questions} 問 (s キーで出題)"
        await viewer.document.update(text)
        viewer.document.focus() if viewer.document.can_focus else viewer.focus()
        if self.open_at:
            self.call_after_refresh(self.goto_heading, self.open_at)

    def goto_heading(self, heading: str) -> bool:
        """Scroll the note to a heading (by its text, as the contents list shows it)."""
        from textual._slug import slug

        return self.query_one("#note", JaMarkdownViewer).document.goto_anchor(slug(heading))

    def action_quiz(self) -> None:
        if self.topic is not None:
            self.post_message(StartQuiz(QuizFilters(topic=self.slug), self.topic.title))

    def action_toggle_toc(self) -> None:
        viewer = self.query_one("#note", JaMarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents
