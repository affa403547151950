"""One numbered answer choice: selectable by its number key or by a click."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from gquiz.tui.widgets.prose import JaText


def inline_markdown(text: str) -> Text:
    """Render the inline Markdown that choices use (code spans, bold) as Rich text."""
    out = Text()
    for i, part in enumerate(text.split("`")):
        if i % 2:
            out.append(part, style="bold cyan")
        else:
            bold = part.split("**")
            for j, chunk in enumerate(bold):
                out.append(chunk, style="bold" if j % 2 else "")
    return out


class ChoiceItem(Static):
    """A choice `1. text` with a hanging indent; its CSS classes show selected / correct / wrong."""

    DEFAULT_CSS = """
    ChoiceItem { padding: 0 1; margin: 0 0 1 0; }
    ChoiceItem:hover { background: $boost; }
    ChoiceItem.selected { background: $accent 30%; text-style: bold; }
    ChoiceItem.correct { background: $success 30%; }
    ChoiceItem.wrong { background: $error 30%; }
    """

    @dataclass
    class Clicked(Message):
        index: int

    def __init__(self, index: int, text: str) -> None:
        super().__init__(id=f"choice-{index + 1}")
        self.index = index
        self.text = text

    def render_label(self, mark: str = " ") -> JaText:
        """`✓ 1. text`, wrapped lines hanging under the text (never under the number)."""
        return JaText(inline_markdown(self.text), Text(f"{mark} {self.index + 1}. "))

    def on_mount(self) -> None:
        self.update(self.render_label())

    def show(self, *, selected: bool, correct: bool | None = None) -> None:
        """Show the state: before grading only `selected`; after, `correct` says if it is a right choice."""
        self.set_class(selected and correct is None, "selected")
        self.set_class(correct is True, "correct")
        self.set_class(bool(correct is False and selected), "wrong")
        if correct is None:
            mark = ">" if selected else " "
        elif correct:
            mark = "✓"
        else:
            mark = "✗" if selected else " "
        self.update(self.render_label(mark))

    def on_click(self) -> None:
        self.post_message(self.Clicked(self.index))
