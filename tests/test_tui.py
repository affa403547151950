"""Pilot tests: drive the real screens as a learner would and check what is shown and stored."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from textual.widgets import MarkdownViewer, Static, Tree

from gquiz.config import Settings
from gquiz.tui.app import make_app
from gquiz.tui.screens.home import HomeScreen
from gquiz.tui.screens.note import NoteScreen
from gquiz.tui.screens.quiz import QuizScreen
from gquiz.tui.screens.results import ResultsScreen
from gquiz.tui.start import QuizFilters, QuizStart
from tests.helpers import settle


def attempts(settings: Settings) -> list[tuple[str, int]]:
    engine = create_engine(settings.db_url)
    with engine.connect() as conn:
        rows = conn.execute(text("select item_id, correct from attempts order by id")).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def static_text(widget: Static) -> str:
    return str(widget.render())


async def test_home_note_quiz_results(settings: Settings) -> None:
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        tree = home.query_one("#syllabus", Tree)
        labels = [str(n.label) for n in tree.root.children]
        assert len(labels) == 10
        assert labels[4].startswith("5. ディープラーニングの要素技術")
        assert "1問" in labels[4]
        # Open 大項目5 → S5.2 → the convolution topic, read its note.
        tree.move_cursor(tree.root.children[4])
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "down", "enter", "down")
        await pilot.pause()
        assert home.selected is not None
        assert home.selected.key == "fx-conv"
        await pilot.press("enter")
        await settle(app, pilot)
        note = app.screen
        assert isinstance(note, NoteScreen)
        viewer = note.query_one(MarkdownViewer)
        assert "出力サイズは" in viewer.document.source
        # Start the topic's quiz from the note, answer wrong, read the explanation.
        await pilot.press("s")
        await settle(app, pilot)
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        assert "問 1/1" in static_text(quiz.query_one("#quiz-status", Static))
        await pilot.press("enter")  # nothing chosen: a warning, no attempt
        await pilot.pause()
        assert attempts(settings) == []
        shown = quiz.session.current
        wrong = next(i for i, c in enumerate(shown.choices) if not c.correct)
        await pilot.press(str(wrong + 1), "enter")
        await settle(app, pilot)
        assert "不正解" in static_text(quiz.query_one("#verdict", Static))
        assert attempts(settings) == [("fx-conv-01", 0)]
        assert quiz.query_one("#explanation").display
        await pilot.press("enter")
        await settle(app, pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        assert "1 問中 0 問正解" in static_text(results.query_one("#score", Static))
        assert "S5.2" in static_text(results.query_one("#per-section", Static))
        # Back home: the mastery range (one wrong answer: 0-73 %, not a bare 0 %) shows in the tree.
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "1問 0〜73%" in str(app.screen.query_one("#syllabus", Tree).root.children[4].label)


async def test_choose_two_and_leaving_keeps_answers(settings: Settings) -> None:
    app = make_app(settings, start=QuizStart(QuizFilters(topic="fx-ai", seed=1)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        q = quiz.session.current
        keys = [str(p + 1) for p in sorted(q.correct_positions)]
        await pilot.press(*keys, "enter")
        await settle(app, pilot)
        assert "正解！" in static_text(quiz.query_one("#verdict", Static))
        await pilot.press("q")  # leave mid-quiz
        await settle(app, pilot)
        assert isinstance(app.screen, ResultsScreen)
    assert attempts(settings) == [(q.id, 1)]


async def test_broken_content_shows_errors_not_a_crash(settings: Settings) -> None:
    bad = settings.content / "s05" / "conv.md"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("- [x] 32", "- [ ] 32"), encoding="utf-8"
    )
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        label = static_text(app.screen.query_one("#loading-label", Static))
        assert "conv.md:18" in label
        assert "gquiz bank check" in label
