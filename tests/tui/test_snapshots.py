"""Snapshots of every screen at 80×24 and 100×30, over tests/tui/fixtures (reviewed by eye).

Update after looking at the report: `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from gquiz.config import Settings
from gquiz.tui.app import GQuizApp, make_app
from gquiz.tui.start import ExamStart, FamilyStart, NoteStart, QuizFilters, QuizStart, Start
from tests.helpers import settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((100, 30), id="100x30")]


def app_for(settings: Settings, start: Start | None = None) -> GQuizApp:
    return make_app(settings, start)


async def ready(pilot: Pilot) -> None:
    """Workers done, their messages handled, and no toast left over the screen."""
    await settle(pilot.app, pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


def freeze_exam(pilot: Pilot) -> None:
    """Stop the exam clock and show a fixed time left (the screenshot must not tick)."""
    screen = pilot.app.screen
    for timer in list(screen._timers):
        timer.stop()
    if getattr(screen, "session", None) is not None:
        screen.session.remaining_s = 100.0
        screen.session.times_ms = {}
        screen.update_status()


class TestHome:
    @pytest.mark.parametrize("size", SIZES)
    def test_syllabus_and_detail(self, snap_compare, tui_settings: Settings, size) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(app_for(tui_settings), terminal_size=size, run_before=ready)

    @pytest.mark.parametrize("size", SIZES)
    def test_help_is_generated_from_bindings(self, snap_compare, tui_settings, size) -> None:  # type: ignore[no-untyped-def]
        async def run(pilot: Pilot) -> None:
            await ready(pilot)
            await pilot.press("question_mark")
            await pilot.pause()

        assert snap_compare(app_for(tui_settings), terminal_size=size, run_before=run)


class TestNote:
    @pytest.mark.parametrize("size", SIZES)
    def test_japanese_lines_and_table(self, snap_compare, tui_settings, size) -> None:  # type: ignore[no-untyped-def]
        async def run(pilot: Pilot) -> None:
            await ready(pilot)
            pilot.app.screen.query_one("#note").scroll_to(y=6, animate=False)
            await pilot.pause()

        app = app_for(tui_settings, NoteStart("snap-conv"))
        assert snap_compare(app, terminal_size=size, run_before=run)


class TestQuiz:
    START = QuizStart(QuizFilters(topic="snap-conv", seed=1))

    @pytest.mark.parametrize("size", SIZES)
    def test_question_with_hanging_choices(self, snap_compare, tui_settings, size) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(app_for(tui_settings, self.START), terminal_size=size, run_before=ready)

    @pytest.mark.parametrize("size", SIZES)
    def test_wrong_answer_shows_verdict_and_explanation(
        self, snap_compare, tui_settings, size
    ) -> None:  # type: ignore[no-untyped-def]
        async def run(pilot: Pilot) -> None:
            await ready(pilot)
            await pilot.press("4", "enter")
            await ready(pilot)

        assert snap_compare(app_for(tui_settings, self.START), terminal_size=size, run_before=run)

    @pytest.mark.parametrize("size", SIZES)
    def test_results_and_a_reopened_question(self, snap_compare, tui_settings, size) -> None:  # type: ignore[no-untyped-def]
        async def run(pilot: Pilot) -> None:
            await ready(pilot)
            for _ in range(2):
                await pilot.press("4", "enter")
                await ready(pilot)
                await pilot.press("enter")
                await ready(pilot)
            await pilot.press("enter")  # the first results row
            await ready(pilot)

        assert snap_compare(app_for(tui_settings, self.START), terminal_size=size, run_before=run)


class TestExam:
    START = ExamStart(n=2, minutes=2, seed=1)

    @pytest.mark.parametrize("size", SIZES)
    def test_setup_shows_each_budget(self, snap_compare, tui_settings, size) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(app_for(tui_settings, self.START), terminal_size=size, run_before=ready)

    @pytest.mark.parametrize("size", SIZES)
    def test_question(self, snap_compare, tui_settings, size) -> None:  # type: ignore[no-untyped-def]
        async def run(pilot: Pilot) -> None:
            await ready(pilot)
            await pilot.press("enter")
            await ready(pilot)
            freeze_exam(pilot)
            await pilot.press("1")
            await pilot.pause()

        assert snap_compare(app_for(tui_settings, self.START), terminal_size=size, run_before=run)

    @pytest.mark.parametrize("size", SIZES)
    def test_results_list(self, snap_compare, tui_settings, size) -> None:  # type: ignore[no-untyped-def]
        async def run(pilot: Pilot) -> None:
            await ready(pilot)
            await pilot.press("enter")
            await ready(pilot)
            freeze_exam(pilot)
            await pilot.press("2", "s")
            await pilot.pause()
            await pilot.press("y")
            await ready(pilot)

        assert snap_compare(app_for(tui_settings, self.START), terminal_size=size, run_before=run)

    @pytest.mark.parametrize("size", SIZES)
    def test_resume_dialog_shows_time_left(self, snap_compare, tui_settings, size) -> None:  # type: ignore[no-untyped-def]
        from gquiz.study.exam import ExamSession

        bank = tui_settings.open_bank()
        bank.ensure_built(lambda *_: None)
        session = ExamSession.start(bank, bank.learner_id("tester"), 2, 2, 1)
        session.answer(0, [1])
        session.remaining_s = 83.0
        session.save()
        bank.close()
        assert snap_compare(app_for(tui_settings), terminal_size=size, run_before=ready)


class TestOtherScreens:
    @pytest.mark.parametrize("size", SIZES)
    def test_stats_before_any_answer(self, snap_compare, tui_settings, size) -> None:  # type: ignore[no-untyped-def]
        async def run(pilot: Pilot) -> None:
            await ready(pilot)
            await pilot.press("t")
            await ready(pilot)

        assert snap_compare(app_for(tui_settings), terminal_size=size, run_before=run)

    @pytest.mark.parametrize("size", SIZES)
    def test_history_empty(self, snap_compare, tui_settings, size) -> None:  # type: ignore[no-untyped-def]
        async def run(pilot: Pilot) -> None:
            await ready(pilot)
            await pilot.press("h")
            await ready(pilot)

        assert snap_compare(app_for(tui_settings), terminal_size=size, run_before=run)

    @pytest.mark.parametrize("size", SIZES)
    def test_drill_family_list(self, snap_compare, tui_settings, size) -> None:  # type: ignore[no-untyped-def]
        app = app_for(tui_settings, FamilyStart())
        assert snap_compare(app, terminal_size=size, run_before=ready)

    @pytest.mark.parametrize("size", SIZES)
    def test_calculator_filtered(  # type: ignore[no-untyped-def]
        self, snap_compare, tui_settings, size, monkeypatch
    ) -> None:
        from gquiz.engine import registry

        # Three solvers only: the engine keeps gaining solvers, the snapshot must not move.
        every = registry.list_solvers
        keep = {"pool", "global_avg_pool", "iou"}
        monkeypatch.setattr(
            registry, "list_solvers", lambda: [s for s in every() if s.name in keep]
        )

        async def run(pilot: Pilot) -> None:
            await ready(pilot)
            await pilot.press("c")
            await ready(pilot)
            await pilot.press(*"pool")
            await pilot.pause()

        assert snap_compare(app_for(tui_settings), terminal_size=size, run_before=run)

    @pytest.mark.parametrize("size", SIZES)
    def test_labs_menu(self, snap_compare, tui_settings, size) -> None:  # type: ignore[no-untyped-def]
        async def run(pilot: Pilot) -> None:
            await ready(pilot)
            await pilot.press("l")
            await ready(pilot)

        assert snap_compare(app_for(tui_settings), terminal_size=size, run_before=run)
