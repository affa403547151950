"""A write that fails while answering in the TUI (a full disk, a database that became
read-only): one Japanese line, the screen stays, the answer can be given again once the
database takes writes, and nothing answered before is lost.

The failure is SQLite's own: connections are opened with `PRAGMA query_only`, so the attempt's
INSERT fails inside SQLite exactly as it would on a read-only file. (A full disk goes through
the same worker and the same sentence table, gquiz.bank.db.explain; the plain-mode test in
test_storage_errors.py makes a disk full for real.)
"""

from __future__ import annotations

from sqlalchemy import event
from textual.widgets import Static

from gquiz.config import Settings
from gquiz.tui.app import make_app
from gquiz.tui.screens.quiz import QuizScreen
from gquiz.tui.start import QuizFilters, QuizStart
from tests.helpers import settle
from tests.test_tui import attempts, static_text


def _query_only(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_conn.execute("PRAGMA query_only=ON")


async def test_a_failed_save_is_one_line_and_the_answer_can_be_given_again(
    settings: Settings,
) -> None:
    app = make_app(settings, start=QuizStart(QuizFilters(topic="fx-ai", seed=1)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        first = quiz.session.current
        await pilot.press(*[str(p + 1) for p in sorted(first.correct_positions)], "enter")
        await settle(app, pilot)
        await pilot.press("enter")  # next question
        await settle(app, pilot)

        engine = app.bank.engine
        event.listen(engine, "connect", _query_only)
        engine.dispose()
        q = quiz.session.current
        assert q.id != first.id
        keys = [str(p + 1) for p in sorted(q.correct_positions)]
        await pilot.press(*keys, "enter")
        await settle(app, pilot)
        texts = [str(n.message) for n in app._notifications]
        assert any("読み取り専用" in t for t in texts), texts
        assert not any("OperationalError" in t or "INSERT" in t for t in texts), texts
        assert app.screen is quiz
        assert "正解" not in static_text(quiz.query_one("#verdict", Static))
        assert attempts(settings) == [(first.id, 1)]

        # The database takes writes again: the same answer is taken and shown.
        event.remove(engine, "connect", _query_only)
        engine.dispose()
        await pilot.press("enter")
        await settle(app, pilot)
        assert "正解！" in static_text(quiz.query_one("#verdict", Static))
    assert attempts(settings) == [(first.id, 1), (q.id, 1)]
