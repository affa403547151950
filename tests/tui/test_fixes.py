"""Pilot tests for the fixes of issue 12: each drives the real screens as a learner would."""

from __future__ import annotations

import importlib
import inspect
import json

import pytest
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input

from gquiz.config import Settings
from gquiz.tui.app import make_app
from gquiz.tui.start import ExamStart, FamilyStart, NoteStart, QuizFilters, QuizStart
from gquiz.tui.widgets.choice import ChoiceItem
from gquiz.tui.widgets.inputs import JaInput
from tests.helpers import settle

SCREEN_MODULES = [
    "calculator",
    "drill",
    "exam",
    "help",
    "history",
    "home",
    "labs",
    "note",
    "question",
    "quiz",
    "results",
    "stats",
]


def _screen_classes() -> list[type[Screen]]:
    out = []
    for name in SCREEN_MODULES:
        module = importlib.import_module(f"gquiz.tui.screens.{name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                out.append(cls)
    return out


def _keys(cls: type[Screen]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for b in cls.BINDINGS:
        assert isinstance(b, Binding)
        for k in b.key.split(","):
            keys[k.strip()] = b.action
    return keys


@pytest.mark.parametrize("cls", _screen_classes(), ids=lambda c: c.__name__)
def test_q_and_escape_mean_the_same(cls: type[Screen]) -> None:
    keys = _keys(cls)
    if cls.__name__ == "JumpDialog":
        # Its only field is a number box: q would be typed into it, Esc cancels.
        assert keys.get("escape") == "dismiss(None)"
        return
    assert "q" in keys, f"{cls.__name__}: no q"
    assert keys.get("q") == keys.get("escape"), cls.__name__


async def test_calculator_opens_three_solvers_in_a_row_and_filters(tui_settings: Settings) -> None:
    app = make_app(tui_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        screen = app.screen
        for query in ("pool", "iou", "softmax"):
            box = screen.query_one("#calc-filter", JaInput)
            box.value = ""
            await pilot.press(*query)
            await pilot.pause()
            assert box.value == query
            options = screen.query_one("#calc-solvers")
            assert 0 < options.option_count < len(screen.solvers)
            await pilot.press("enter")  # the first match
            await settle(app, pilot)
            assert screen.current is not None
            assert screen.query(".calc-param")  # its form, no DuplicateIds crash
            await pilot.press("escape")  # back to the list (the form is kept no longer)
            await settle(app, pilot)
            assert screen.current is None


async def test_ideographic_space_is_kept_in_inputs(tui_settings: Settings) -> None:
    app = make_app(tui_settings, FamilyStart("conv-output-size"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        box = app.screen.query_one("#drill-answer", Input)
        assert isinstance(box, JaInput)
        box.focus()
        await pilot.press("1", "\u3000", "2")
        await pilot.pause()
        assert box.value == "1\u30002"
        # n and c are commands while the box is empty, never typed into it.
        box.value = ""
        await pilot.press("c")
        await settle(app, pilot)
        assert box.value == ""
        assert app.screen.choice_mode


async def test_results_rows_open_their_question(tui_settings: Settings) -> None:
    from gquiz.tui.screens.question import QuestionScreen
    from gquiz.tui.screens.results import ResultsScreen

    app = make_app(tui_settings, QuizStart(QuizFilters(topic="snap-conv", seed=1)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for _ in range(2):
            await pilot.press("4", "enter")
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("down", "enter")  # the second row
        await settle(app, pilot)
        review = app.screen
        assert isinstance(review, QuestionScreen)
        assert review.index == 1
        verdict = str(review.query_one("#review-verdict").render())
        assert "あなたの答え: 4" in verdict
        assert "正解:" in verdict
        assert "解説" in review.query_one("#review-explanation").source
        await pilot.press("left")
        await settle(app, pilot)
        assert review.index == 0
        await pilot.press("q")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultsScreen)


async def test_past_exam_reopens_from_history(tui_settings: Settings) -> None:
    from gquiz.tui.screens.exam import ExamResultsScreen
    from gquiz.tui.screens.history import HistoryScreen
    from gquiz.tui.screens.home import HomeScreen
    from gquiz.tui.screens.question import QuestionScreen

    app = make_app(tui_settings, ExamStart(n=2, minutes=2, seed=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # the preset asked for
        await settle(app, pilot)
        await pilot.press("2", "s")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        assert results.review is not None
        assert results.review.unanswered == 1
        await pilot.press("q")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("h")
        await settle(app, pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        assert [s.kind for s in history.sittings] == ["exam"]
        await pilot.press("enter")
        await settle(app, pilot)
        reopened = app.screen
        assert isinstance(reopened, ExamResultsScreen)
        assert reopened.result is None
        assert reopened.review is not None
        assert reopened.review.score == results.review.score
        # Rebuilt from the database in the order the exam showed (choices are shuffled).
        assert [(i.picks, i.correct) for i in reopened.review.items] == [
            (i.picks, i.correct) for i in results.review.items
        ]
        assert [i.question.choices for i in reopened.review.items] == [
            i.question.choices for i in results.review.items
        ]
        assert reopened.query_one("#exam-items", DataTable).row_count == 2
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, QuestionScreen)


async def test_no_choice_number_alone_on_a_line(tui_settings: Settings) -> None:
    app = make_app(tui_settings, QuizStart(QuizFilters(topic="snap-conv", seed=1)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for item in app.screen.query(ChoiceItem):
            lines = [c.plain for c in item._render().lines(item.content_region.width)]
            assert lines[0].strip().split(". ", 1)[1], lines
            # Wrapped lines hang under the text, not under the number.
            indent = len(lines[0]) - len(lines[0].split(". ", 1)[1])
            assert all(line.startswith(" " * indent) for line in lines[1:]), lines


async def test_help_lists_the_screens_keys_including_hidden_ones(tui_settings: Settings) -> None:
    from gquiz.tui.screens.help import HelpScreen

    app = make_app(tui_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-keys").render())
        assert "電卓" in text  # hidden from the footer, listed here
        assert "q / Esc" in text
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_theme_is_saved_for_the_next_run(tui_settings: Settings) -> None:
    from gquiz.tui.prefs import prefs_path

    app = make_app(tui_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.theme = "nord"
        await pilot.pause()
    assert json.loads(prefs_path().read_text(encoding="utf-8"))["theme"] == "nord"
    again = make_app(tui_settings)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(again, pilot)
        assert again.theme == "nord"


async def test_note_entry_point_opens_the_reader(tui_settings: Settings) -> None:
    from gquiz.tui.screens.note import NoteScreen
    from gquiz.tui.widgets.prose import TableView

    app = make_app(tui_settings, NoteStart("snap-conv"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, NoteScreen)
        tables = list(app.screen.query(TableView))
        assert len(tables) == 2
        # At 80 columns the five-column table still shows every cell.
        shown = "".join(c.plain for c in tables[0].table.lines(tables[0].content_region.width))
        assert "狙われ方" in shown
        assert "…" not in shown


def test_stats_command_text(tui_settings: Settings) -> None:
    from click.testing import CliRunner

    from gquiz.cli import main
    from tests.helpers import cli_env

    result = CliRunner().invoke(main, ["stats"], env=cli_env(tui_settings))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "S5 ディープラーニングの要素技術" in out
    assert "S5.2 畳み込み層" in out
    assert "苦手トピック" in out
    result = CliRunner().invoke(main, ["note", "no-such-topic"], env=cli_env(tui_settings))
    assert result.exit_code != 0
    assert "トピック「no-such-topic」はありません" in result.output
