"""An Input that keeps the ideographic space.

Textual's Input inserts only keys whose character is ``str.isprintable()``, and Python counts
U+3000 (全角スペース, what a Japanese IME types for space) as not printable, so it vanished
from answers like 「1　2　3」. Here it is inserted like any character; the answer parsers
normalise it (NFKC) to a separator.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

IDEOGRAPHIC_SPACE = "\u3000"


class JaInput(Input):
    """Input that accepts U+3000 and other space separators a Japanese keyboard produces."""

    async def _on_key(self, event: events.Key) -> None:
        ch = event.character
        if (
            ch is not None
            and len(ch) == 1
            and not ch.isprintable()
            and ch.isspace()
            and ch not in "\t\n\r\x0b\x0c"
        ):
            event.stop()
            event.prevent_default()
            self._restart_blink()
            if self.selection.is_empty:
                self.insert_text_at_cursor(ch)
            else:
                self.replace(ch, *self.selection)
            return
        await super()._on_key(event)


class AnswerInput(JaInput):
    """The drill's answer box: while it is empty, ``n`` and ``c`` are the screen's commands.

    Answers are numbers, vectors and matrices, never starting with these letters, so the
    learner can press n (next problem) or c (four choices) without leaving the box and
    without the letter landing in it.
    """

    COMMAND_KEYS = frozenset("nc")

    async def _on_key(self, event: events.Key) -> None:
        if not self.value and event.character in self.COMMAND_KEYS:
            return  # not handled here: the key goes on to the screen's bindings
        await super()._on_key(event)
