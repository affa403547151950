"""電卓: run any engine solver on your own numbers and read the worked solution.

Parameters are typed in the same friendly syntax as drill answers (``3``, ``0.75``,
``1, 2, 3``, ``1 2; 3 4``, full-width digits) or as JSON (``[[1, 2], [3, 4]]``,
``{"": 0, "A": 10}``); a bare word such as ``max`` is taken as text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from gquiz.tui.screens.base import GQuizScreen
from gquiz.tui.widgets.inputs import JaInput

if TYPE_CHECKING:
    from gquiz.engine.registry import SolverSpec


class ParamError(ValueError):
    """A parameter could not be read; the message is Japanese."""


def parse_param(name: str, text: str) -> Any:
    """One parameter from what the learner typed (JSON first, then the drill answer syntax)."""
    from gquiz.problems.answers import (
        AnswerError,
        normalize,
        parse_matrix,
        parse_number,
        parse_vector,
    )

    s = normalize(text)
    if not s:
        raise ParamError(f"{name} が空です")
    low = s.lower()
    if low in ("true", "false", "null", "none"):
        return {"true": True, "false": False}.get(low)
    try:
        value = json.loads(s)
    except json.JSONDecodeError:
        pass
    else:
        return value
    try:
        if ";" in s or "\n" in s or "],[" in s.replace(" ", ""):
            return parse_matrix(s).tolist()
        if re.search(r"[,\s]", s.strip("[]() ")):
            return parse_vector(s).tolist()
        v = parse_number(s)
        return int(v) if v.is_integer() and not re.search(r"[.eE/%]", s) else v
    except AnswerError:
        if re.fullmatch(r"[\w\-]+", s):
            return s  # a word: a mode or a name such as "max", "sigmoid", "int8"
        raise ParamError(
            f"{name} の値「{text.strip()}」が読めません（数値、1, 2, 3、1 2; 3 4、JSON のどれか）"
        ) from None


@dataclass
class SolversLoaded(Message):
    solvers: list[SolverSpec]


@dataclass
class Solved(Message):
    """A solver ran: the answer and step lines, or an error message."""

    name: str
    answer_lines: list[str]
    steps: list[str]
    error: str | None = None


class CalculatorScreen(GQuizScreen[None]):
    """Solver list → parameter form → answer and worked solution."""

    CSS_PATH = "drill.tcss"
    BINDINGS = [
        Binding("q,escape", "back", "戻る"),
        Binding("ctrl+r", "solve", "計算する"),
        Binding("slash", "filter", "絞り込み", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.solvers: dict[str, SolverSpec] = {}
        self.current: SolverSpec | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("読み込み中...", id="calc-status")
        with ContentSwitcher(initial="calc-pick", id="calc-switcher"):
            with Vertical(id="calc-pick"):
                yield Static(
                    "計算の種類を選んで Enter (文字を入力すると絞り込み)", id="calc-pick-help"
                )
                yield JaInput(
                    placeholder="絞り込み: 名前や説明の一部 (例: 畳み込み、iou)",
                    id="calc-filter",
                    select_on_focus=False,
                )
                yield OptionList(id="calc-solvers")
            with VerticalScroll(id="calc-body"):
                yield Static("", id="calc-title")
                yield Vertical(id="calc-form")
                yield Static("", id="calc-error")
                yield Static("", id="calc-result")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "電卓"
        self.load_solvers()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="calc",
        description="ソルバーの一覧を読み込む",
    )
    def load_solvers(self) -> None:
        from gquiz.engine.registry import list_solvers

        self.post_message(SolversLoaded(list_solvers()))

    def on_solvers_loaded(self, message: SolversLoaded) -> None:
        self.solvers = {s.name: s for s in message.solvers}
        self._list_solvers("")
        self.query_one("#calc-status", Static).update(f"電卓  {len(self.solvers)} 種類の計算")
        self.query_one("#calc-solvers", OptionList).focus()

    def _list_solvers(self, query: str) -> None:
        """Show the solvers whose name or Japanese summary contains every word of ``query``."""
        import unicodedata

        words = unicodedata.normalize("NFKC", query).lower().split()
        options = self.query_one("#calc-solvers", OptionList)
        options.clear_options()
        for spec in self.solvers.values():
            hay = unicodedata.normalize("NFKC", f"{spec.name} {spec.summary_ja}").lower()
            if all(w in hay for w in words):
                options.add_option(
                    Option(Text.assemble((spec.summary_ja, "bold"), f"  {spec.name}"), id=spec.name)
                )
        if words and not options.option_count:
            options.add_option(Option("当てはまる計算がありません", disabled=True))
        elif options.option_count:
            options.highlighted = 0

    @on(JaInput.Changed, "#calc-filter")
    def _filter(self, event: JaInput.Changed) -> None:
        self._list_solvers(event.value)

    @on(JaInput.Submitted, "#calc-filter")
    def _filter_done(self) -> None:
        options = self.query_one("#calc-solvers", OptionList)
        options.focus()
        if options.option_count and options.highlighted is not None:
            options.action_select()

    def action_filter(self) -> None:
        if self.current is None:
            self.query_one("#calc-filter", JaInput).focus()

    def on_key(self, event: events.Key) -> None:
        """Typing a letter on the list goes to the filter box (type-to-filter)."""
        options = self.query_one("#calc-solvers", OptionList)
        if (
            self.current is None
            and options.has_focus
            and event.is_printable
            and event.character is not None
            and event.character not in "q/"
        ):
            box = self.query_one("#calc-filter", JaInput)
            box.value += event.character or ""
            box.cursor_position = len(box.value)
            box.focus()
            event.stop()

    @on(OptionList.OptionSelected, "#calc-solvers")
    async def _chosen(self, event: OptionList.OptionSelected) -> None:
        spec = self.solvers.get(event.option.id or "")
        if spec is not None:
            await self.show_form(spec)

    async def show_form(self, spec: SolverSpec) -> None:
        self.current = spec
        self.query_one("#calc-switcher", ContentSwitcher).current = "calc-body"
        self.query_one("#calc-status", Static).update(f"{spec.name}  Enter で計算、escape で一覧へ")
        self.query_one("#calc-title", Static).update(spec.summary_ja)
        form = self.query_one("#calc-form", Vertical)
        # Awaited: the next solver's inputs reuse ids like calc-param-x, and mounting them
        # while the old ones are still being removed raised DuplicateIds (a crash).
        await form.remove_children()
        widgets: list[Widget] = []
        for p in spec.parameters:
            flag = (
                "必須"
                if p["required"]
                else f"省略可、既定 {json.dumps(p['default'], ensure_ascii=False)}"
            )
            widgets.append(Static(f"{p['name']}（{flag}）: {p['doc']}", classes="calc-label"))
            widgets.append(
                JaInput(placeholder=p["name"], id=f"calc-param-{p['name']}", classes="calc-param")
            )
        await form.mount_all(widgets)
        self.query_one("#calc-error", Static).update("")
        self.query_one("#calc-result", Static).update("")
        if widgets:
            self.call_after_refresh(widgets[1].focus)

    def collect(self) -> dict[str, Any]:
        """The typed parameters (empty optional ones left out); raises ParamError."""
        assert self.current is not None
        params: dict[str, Any] = {}
        for p in self.current.parameters:
            text = self.query_one(f"#calc-param-{p['name']}", Input).value
            if not text.strip():
                if p["required"]:
                    raise ParamError(f"{p['name']} を入力してください（{p['doc']}）")
                continue
            params[p["name"]] = parse_param(p["name"], text)
        return params

    @on(Input.Submitted, ".calc-param")
    def _submitted(self) -> None:
        self.action_solve()

    def action_solve(self) -> None:
        if self.current is None:
            return
        error = self.query_one("#calc-error", Static)
        try:
            params = self.collect()
        except ParamError as exc:
            error.update(Text(str(exc), style="bold yellow"))
            return
        error.update("計算中...")
        self.solve(self.current.name, params)

    @work(thread=True, exclusive=True, exit_on_error=False, group="calc-solve", description="計算")
    def solve(self, name: str, params: dict[str, Any]) -> None:
        from gquiz.engine.core import EngineError
        from gquiz.engine.registry import run
        from gquiz.render import render_answer, render_steps

        try:
            solution = run(name, params)
        except EngineError as exc:
            self.post_message(Solved(name, [], [], str(exc)))
            return
        except (ValueError, TypeError, ArithmeticError, IndexError, KeyError) as exc:
            self.post_message(
                Solved(name, [], [], f"パラメータを処理できません（{type(exc).__name__}: {exc}）")
            )
            return
        self.post_message(Solved(name, render_answer(solution.answer), render_steps(solution)))

    def on_solved(self, message: Solved) -> None:
        error = self.query_one("#calc-error", Static)
        result = self.query_one("#calc-result", Static)
        if message.error:
            error.update(Text("エラー: " + message.error, style="bold yellow"))
            result.update("")
            self.call_after_refresh(error.scroll_visible, animate=False)
            return
        error.update("")
        text = Text()
        text.append("答え\n", style="bold")
        text.append("\n".join("  " + line for line in message.answer_lines) + "\n\n")
        text.append("解き方\n", style="bold")
        text.append("\n".join(message.steps))
        result.update(text)
        self.call_after_refresh(result.scroll_visible, animate=False)

    def action_back(self) -> None:
        switcher = self.query_one("#calc-switcher", ContentSwitcher)
        if switcher.current == "calc-body":
            self.current = None
            switcher.current = "calc-pick"
            self.query_one("#calc-status", Static).update(f"電卓  {len(self.solvers)} 種類の計算")
            self.query_one("#calc-solvers", OptionList).focus()
            return
        self.app.pop_screen()
