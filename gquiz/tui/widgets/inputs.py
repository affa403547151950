"""Inputs that keep the ideographic space, and a drill answer box that leaves n / c to the screen.

Textual's Input inserts only keys whose character is ``str.isprintable()``, and Python counts
U+3000 (全角スペース, what a Japanese IME types for space) as not printable, so it vanished
from answers like 「1　2　3」. Here it is inserted like any character; the answer parsers
normalise it (NFKC) to a separator.

Key handlers run class by class along the MRO until one calls ``prevent_default``; so this
one handler either handles the key itself (and prevents the rest), or returns and lets
Input's own handler run next.
"""

from __future__ import annotations

import unicodedata
from typing import ClassVar

from textual import events
from textual.widgets import Input


def _space_character(event: events.Key) -> str | None:
    """The space separator a key stands for (U+3000 and kin), or None."""
    ch = event.character
    if ch is None and event.key.endswith("_space"):
        # Some drivers (and Pilot) name the key but give no character.
        try:
            ch = unicodedata.lookup(event.key.replace("_", " "))
        except KeyError:
            return None
    if ch is not None and len(ch) == 1 and ch.isspace() and not ch.isprintable():
        return None if ch in "\t\n\r\x0b\x0c" else ch
    return None


class JaInput(Input):
    """Input that accepts U+3000 and the other space separators a Japanese keyboard produces."""

    COMMAND_KEYS: ClassVar[frozenset[str]] = frozenset()
    """Keys left to the screen while the box is empty (none here)."""

    async def _on_key(self, event: events.Key) -> None:
        if not self.value and event.character in self.COMMAND_KEYS:
            # Not ours: nothing is inserted, the screen's binding for the key runs instead
            # (a prevented key would not reach the binding check on its way up).
            event.stop()
            event.prevent_default()
            for binding in self.screen._bindings.key_to_bindings.get(event.key, []):
                await self.screen.run_action(binding.action)
                break
            return
        ch = _space_character(event)
        if ch is None:
            return  # Input's own handler runs next
        event.stop()
        event.prevent_default()
        self._restart_blink()
        if self.selection.is_empty:
            self.insert_text_at_cursor(ch)
        else:
            self.replace(ch, *self.selection)


class AnswerInput(JaInput):
    """The drill's answer box: while it is empty, ``n`` and ``c`` are the screen's commands.

    Answers are numbers, vectors and matrices, never starting with these letters, so the
    learner can press n (next problem) or c (four choices) without leaving the box and
    without the letter landing in it.
    """

    COMMAND_KEYS: ClassVar[frozenset[str]] = frozenset("nc")
