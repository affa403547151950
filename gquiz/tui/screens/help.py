"""The `?` help screen: every key of the screen underneath, generated from its bindings.

Generated, not written: a key added to a screen shows up here by itself, including the ones
the footer hides to fit 80 columns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen

from gquiz.tui.widgets.prose import Prose

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

# Bindings without a description (digit keys bound one by one) are named by their action.
ACTION_NAMES = {
    "pick": "選択肢を選ぶ / 選び直す",
    "answer": "選択肢を選ぶ",
    "difficulty": "難易度を選ぶ",
    "pick_class": "クラスを選ぶ",
    "app.quit": "終了",
    "quit": "終了",
    "command_palette": "コマンド (テーマの変更など)",
}
# Textual's own screen bindings come with English descriptions.
BUILTIN = {
    "app.focus_next": "次の項目へ",
    "app.focus_previous": "前の項目へ",
    "focus_next": "次の項目へ",
    "focus_previous": "前の項目へ",
    "screen.copy_text": "選択した文字をコピー",
    "copy_text": "選択した文字をコピー",
    "app.copy_text": "選択した文字をコピー",
}
KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "question_mark": "?",
    "slash": "/",
    "tab": "Tab",
}


def key_name(key: str) -> str:
    """How a key is written in the help: ``Esc``, ``Ctrl+Q``, ``?``, ``n``."""
    if key.startswith("ctrl+"):
        return "Ctrl+" + key_name(key[5:]).upper()
    return KEY_NAMES.get(key, key)


def help_rows(app: App[object], screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, what they do): the screen's own keys first, then the app's, then Textual's."""
    rows: dict[str, tuple[list[str], str]] = {}
    builtin: dict[str, tuple[list[str], str]] = {}
    for node in (screen, app):
        for key, binding in node._bindings:
            if key.startswith("super+"):
                continue  # the macOS twin of a Ctrl key
            action = binding.action
            base = action.split("(", 1)[0]
            target = builtin if action in BUILTIN else rows
            desc = BUILTIN.get(action) or (
                binding.description or ACTION_NAMES.get(base) or ACTION_NAMES.get(action)
            )
            if not desc or (desc.isascii() and target is rows):
                continue
            name = base if not binding.description else f"{action}:{desc}"
            keys, _ = target.setdefault(name, ([], desc))
            label = key_name(key)
            if label not in keys:
                keys.append(label)
    out = []
    for keys, desc in [*rows.values(), *builtin.values()]:
        if len(keys) > 3 and all(k.isdigit() for k in keys):
            shown = f"{keys[0]}〜{keys[-1]}"
        else:
            shown = " / ".join(keys)
        out.append((shown, desc))
    out.append(("Ctrl+P", "コマンド (テーマの変更など。選んだテーマは次回も使われます)"))
    return out


class HelpScreen(ModalScreen[None]):
    """Keys of the screen underneath; closes with ?, q or Esc."""

    BINDINGS = [Binding("q,escape,question_mark", "dismiss", "閉じる")]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.under = screen

    def compose(self) -> ComposeResult:
        rows = help_rows(self.app, self.under)
        width = max((cell_len(k) for k, _ in rows), default=4) + 2
        lines = [k + " " * (width - cell_len(k)) + d for k, d in rows]
        title = getattr(self.under, "sub_title", "") or "gquiz"
        with Vertical(classes="dialog", id="help"):
            yield Prose(f"キー操作: {title}", id="help-title")
            with VerticalScroll(id="help-body"):
                yield Prose("\n".join(lines), id="help-keys")
            yield Prose("q / Esc / ? で閉じる", id="help-close")
