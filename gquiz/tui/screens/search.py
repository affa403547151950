"""The search screen (カンペ検索): type a term, see ranked hits, Enter opens the note at its heading.

Opened with `/` from any screen. The G検定 is open-book with about 41 seconds a question, so
results follow each keystroke; the query runs in a thread worker and only the newest one's
results are shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from gquiz.tui.screens.base import GQuizScreen

if TYPE_CHECKING:
    from gquiz.bank.search import SearchHit


class SearchScreen(GQuizScreen[None]):
    """Search notes, questions and keywords; results ranked, matches highlighted."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "戻る"),
        Binding("down", "focus_results", "結果へ", show=False),
    ]

    DEFAULT_CSS = """
    SearchScreen #search-input { margin: 0 1; }
    SearchScreen #search-count { margin: 0 2; color: $text-muted; height: 1; }
    SearchScreen #search-results { height: 1fr; margin: 0 1; }
    """

    class Results(Message):
        def __init__(self, query: str, hits: list[SearchHit]) -> None:
            super().__init__()
            self.query = query
            self.hits = hits

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self.hits: list[SearchHit] = []
        self.latest = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Input(
                self.initial,
                placeholder="用語を入力 (例: grad-cam, ドロップアウト, 個人情報)",
                id="search-input",
            )
            yield Static("", id="search-count")
            yield OptionList(id="search-results")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "検索 (ノート・問題・キーワード)"
        self.query_one("#search-input", Input).focus()
        if self.initial:
            self.run_search(self.initial)

    @on(Input.Changed, "#search-input")
    def changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#search-input")
    def submitted(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            results.highlighted = 0
            self.open_hit(0)

    def action_focus_results(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0

    def run_search(self, query: str) -> None:
        self.latest = query
        if not query.strip():
            self.show(query, [])
            return
        self.search(query)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search", description="検索")
    def search(self, query: str) -> None:
        bank = self.app.bank
        if bank is None:
            return
        self.post_message(self.Results(query, bank.search(query, 30)))

    def on_search_screen_results(self, message: Results) -> None:
        if message.query == self.latest:
            self.show(message.query, message.hits)

    def show(self, query: str, hits: list[SearchHit]) -> None:
        self.hits = hits
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        count = self.query_one("#search-count", Static)
        if not query.strip():
            count.update("")
            return
        if not hits:
            count.update(f"「{query}」は見つかりませんでした。")
            return
        count.update(f"{len(hits)} 件 (Enter でノートを開く)")
        results.add_options([Option(_render(h), id=str(i)) for i, h in enumerate(hits)])

    @on(OptionList.OptionSelected, "#search-results")
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.open_hit(event.option_index)

    def open_hit(self, index: int) -> None:
        from gquiz.tui.screens.note import NoteScreen

        hit = self.hits[index]
        if not hit.ref:
            return
        if hit.kind == "question":
            # A question opens the note of its topic: where the facts it tests are explained.
            bank, _learner = self.app.bank_and_learner()
            slug = bank.question_index().get(hit.ref, ("", ""))[0]
            self.app.push_screen(NoteScreen(slug)) if slug else None
            return
        self.app.push_screen(NoteScreen(hit.ref, anchor=hit.anchor or None))


def _render(hit: SearchHit) -> Text:
    text = Text()
    text.append(hit.label, style="bold")
    for line in hit.lines:
        text.append("\n  ")
        _append_marked(text, line)
    return text


def _append_marked(text: Text, line: str) -> None:
    """Matches come back marked 【…】: show them highlighted instead of bracketed."""
    rest = line
    while "【" in rest and "】" in rest:
        before, _, after = rest.partition("【")
        match, _, rest = after.partition("】")
        text.append(before)
        text.append(match, style="reverse")
    text.append(rest)
