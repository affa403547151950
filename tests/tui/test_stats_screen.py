"""The stats screen (t on home) as a learner sees it: the summary line, the mastery table by
大項目, the weak topics, and what Enter / s / w / k do from there."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, TabbedContent

from gquiz.bank.repo import AttemptRecord
from gquiz.config import Settings
from gquiz.tui.app import make_app
from gquiz.tui.screens.home import HomeScreen
from gquiz.tui.screens.note import NoteScreen
from gquiz.tui.screens.quiz import QuizScreen
from gquiz.tui.screens.stats import StatsScreen
from gquiz.tui.widgets.prose import Prose
from tests.helpers import settle


def _answer(settings: Settings) -> None:
    """Four answers: the AI topic right three times, the convolution question wrong once."""
    bank = settings.open_bank()
    bank.build()
    lid = bank.learner_id(settings.learner)
    at = datetime.now() - timedelta(hours=1)
    for item, section, slug, ok in (
        ("fx-ai-01", "S1.1", "fx-ai", True),
        ("fx-ai-02", "S1.1", "fx-ai", True),
        ("fx-ai-01", "S1.1", "fx-ai", True),
        ("fx-conv-01", "S5.2", "fx-conv", False),
    ):
        bank.record_attempt(lid, AttemptRecord(item, section, ok, "x", topic_slug=slug, at=at))
    bank.close()


def _rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def _open_stats(app, pilot) -> StatsScreen:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    assert isinstance(app.screen, HomeScreen)
    await pilot.press("t")
    await settle(app, pilot)
    assert isinstance(app.screen, StatsScreen)
    return app.screen


async def test_what_the_stats_screen_shows(settings: Settings) -> None:
    _answer(settings)
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_stats(app, pilot)
        summary = str(screen.query_one("#stats-summary", Prose).visual)
        assert summary.startswith("回答 4 回  正答率 75%  定着度 ")
        assert re.search(r"定着度 \d+% \(\d+\D{1,3}\d+%\)  今日の復習 0 問", summary), summary
        mastery = {r[0].split()[0]: r for r in _rows(screen.query_one("#table-mastery", DataTable))}
        assert len(mastery) == 10  # every 大項目, answered or not
        assert mastery["S1"][1:3] == ["3", "100%"]
        assert mastery["S5"][1:3] == ["1", "0%"]
        assert mastery["S2"][1] == "0"
        assert mastery["S2"][3] == "-"  # no estimate without answers
        weak = _rows(screen.query_one("#table-weak", DataTable))
        assert [r[:3] for r in weak] == [
            ["畳み込み層", "S5.2", "1"],
            ["人工知能の定義", "S1.1", "3"],
        ]
        assert screen.weak_slugs == [("fx-conv", "畳み込み層"), ("fx-ai", "人工知能の定義")]


async def test_before_any_answer(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_stats(app, pilot)
        summary = str(screen.query_one("#stats-summary", Prose).visual)
        assert summary == "まだ回答がありません。問題を解くとここに成績が表示されます。"
        assert screen.query_one("#table-weak", DataTable).row_count == 0


async def test_weak_topics_open_their_note_and_their_questions(settings: Settings) -> None:
    _answer(settings)
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_stats(app, pilot)
        notes: list[tuple[str, str]] = []
        app.notify = lambda message, **kw: notes.append((message, kw.get("severity", "")))  # type: ignore[method-assign]
        await pilot.press("s")  # the table does not have the focus yet
        assert notes == [("苦手トピックの表でトピックを選んでください。", "warning")]
        screen.query_one("#stats-tabs", TabbedContent).active = "tab-weak"
        table = screen.query_one("#table-weak", DataTable)
        table.focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, NoteScreen)
        assert app.screen.slug == "fx-conv"
        app.pop_screen()
        await settle(app, pilot)
        assert app.screen is screen
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("s")
        await settle(app, pilot)
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        assert quiz.mode == "quiz"
        assert quiz.quiz_title == "人工知能の定義"
        assert quiz.session is not None
        assert {q.topic_slug for q in quiz.session.questions} == {"fx-ai"}


async def test_w_starts_the_weak_drill(settings: Settings) -> None:
    _answer(settings)
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_stats(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        assert (quiz.mode, quiz.quiz_title) == ("drill", "弱点克服")
        assert quiz.session is not None
        # Twenty asked for, three there are: the weakest topic's question among them.
        assert {q.id for q in quiz.session.questions} == {"fx-ai-01", "fx-ai-02", "fx-conv-01"}


async def test_k_writes_the_kanpe_of_the_weak_topics(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(settings)
    out = tmp_path / "kanpe-out"
    out.mkdir()
    monkeypatch.setattr("gquiz.locations.data_dir", lambda: out)
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_stats(app, pilot)
        notes: list[tuple[str, str]] = []
        app.notify = lambda message, **kw: notes.append((message, kw.get("severity", "")))  # type: ignore[method-assign]
        await pilot.press("k")
        await settle(app, pilot)
        (sheet,) = out.glob("kanpe-*.html")
        assert "畳み込み層" in sheet.read_text(encoding="utf-8")
        assert notes[-1][0].startswith("苦手 ")
        assert str(sheet) in notes[-1][0]
        # A folder that cannot be written: one line saying why, no traceback.
        monkeypatch.setattr("gquiz.locations.data_dir", lambda: out / "missing")
        await pilot.press("k")
        await settle(app, pilot)
        assert notes[-1][0].startswith("カンペを書き出せません: ")
        assert notes[-1][1] == "error"
