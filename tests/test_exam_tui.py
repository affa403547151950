"""A whole practice exam through the real screens: start, answer, flag, quit, resume, submit."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text
from textual.widgets import DataTable, Static

from gquiz.config import Settings
from gquiz.tui.app import make_app
from gquiz.tui.screens.exam import ExamResultsScreen, ExamScreen, ExamSetupScreen, ResumeDialog
from gquiz.tui.screens.home import HomeScreen
from gquiz.tui.start import ExamStart
from tests.helpers import settle

REPO = Path(__file__).resolve().parent.parent


def status(app) -> str:
    return str(app.screen.query_one("#exam-status", Static).render())


def pick(app, right: bool) -> str:  # type: ignore[no-untyped-def]
    """The key that picks a right (or a wrong) choice of the current question, as shown."""
    session = app.screen.session
    q = session.questions[session.current]
    return str(next(i for i, c in enumerate(q.choices) if c.correct == right) + 1)


def db_rows(settings: Settings, sql: str) -> list[tuple]:
    engine = create_engine(settings.db_url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(sql)).all()]
    engine.dispose()
    return rows


async def test_whole_exam_with_quit_and_resume(study_settings: Settings) -> None:
    # 1. Start a 10-question, 14-minute exam; answer two, flag one, quit mid-exam.
    app = make_app(study_settings, start=ExamStart(n=10, minutes=14, seed=4))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ExamSetupScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        assert "問 1/10" in status(app)
        assert "残り 1" in status(app)  # 14:00 or 13:59
        await pilot.press(pick(app, True))
        await pilot.press("right")
        await pilot.press(pick(app, False))  # a wrong answer on question 2
        await pilot.press("f")
        await pilot.press("right")
        await settle(app, pilot)
        assert "問 3/10" in status(app)
        assert "回答済 2" in status(app)
        assert "フラグ 1" in status(app)
        screen.session.spend(2, 120_000)  # pretend two minutes went by on question 3
        await pilot.press("q")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    (remaining,) = db_rows(study_settings, "select remaining_s from exams")[0]
    assert 14 * 60 - 130 < remaining <= 14 * 60 - 120
    assert db_rows(study_settings, "select count(*) from attempts") == [(0,)]  # nothing graded yet

    # 2. Restart: gquiz offers to resume with the time that was left.
    app = make_app(study_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ResumeDialog)
        await pilot.press("y")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        assert "問 3/10" in status(app)
        assert "回答済 2" in status(app)
        assert "フラグ 1" in status(app)
        assert "残り 11:" in status(app) or "残り 12:0" in status(app)
        # Change an answer before submitting, jump to question 2 and fix it.
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("2", "enter")
        await settle(app, pilot)
        assert "問 2/10" in status(app)
        await pilot.press(pick(app, True))
        # Answer the rest right except the last, then submit.
        for _ in range(7):
            await pilot.press("right")
            await settle(app, pilot)
            await pilot.press(pick(app, True))
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        score = str(results.query_one("#exam-score", Static).render())
        assert "10 問中 9 問正解" in score
        table = results.query_one("#exam-majors", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert sum(int(r[1].split("/")[1]) for r in rows) == 10
        assert {r[0] for r in rows} <= {"S1", "S3", "S5", "S9", "S10"}
    # The last question was never answered: 未回答, not an attempt.
    assert "未回答 1 問" in score
    attempts = db_rows(study_settings, "select mode, correct from attempts")
    assert len(attempts) == 9
    assert {m for m, _c in attempts} == {"exam"}
    assert sum(c for _m, c in attempts) == 9
    assert db_rows(study_settings, "select count(*) from exams where submitted_at is null") == [
        (0,)
    ]


async def test_the_command_line_can_open_an_older_unfinished_exam(study_settings: Settings) -> None:
    # `gquiz group sit` opens the shared exam's sitting even when a newer personal exam is
    # unfinished too (the app would otherwise offer only the latest one).
    from gquiz.study.exam import ExamSession

    bank = study_settings.open_bank()
    bank.ensure_built()
    lid = bank.learner_id("tester")
    older = ExamSession.start(bank, lid, 6, 14, seed=1)
    older.answer(0, [0])
    newer = ExamSession.start(bank, lid, 5, 10, seed=2)
    bank.close()
    app = make_app(study_settings, start=ExamStart(resume=older.exam_id))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        assert screen.session is not None
        assert screen.session.exam_id == older.exam_id != newer.exam_id
        assert screen.session.answers == {0: [0]}


async def test_an_exam_whose_family_was_deleted_resumes_and_reopens_from_history(
    study_settings: Settings, tmp_path: Path
) -> None:
    # A learner leaves an exam with a generated (drill-family) question answered; the author
    # deletes the family and the bank is rebuilt. The exam must still resume, submit and reopen
    # from 履歴, the item showing why it cannot be shown, never a traceback.
    from gquiz.study.exam import ExamSession
    from gquiz.tui.screens.history import HistoryScreen
    from gquiz.tui.screens.question import QuestionScreen
    from tests.helpers import as_stored_before_snapshots, with_one_family

    settings, family_file = with_one_family(study_settings, tmp_path)
    bank = settings.open_bank()
    bank.build()
    session = ExamSession.start(bank, bank.learner_id("tester"), 145, 100, seed=5)
    gen = next(p for p, it in enumerate(session.items) if it["kind"] == "family")
    session.answer(
        gen, [next(i for i, c in enumerate(session.questions[gen].choices) if c.correct)]
    )
    session.current = gen
    session.save()
    bank.close()
    as_stored_before_snapshots(settings, session.exam_id)  # an exam kept as a seed only
    family_file.unlink()
    note = "この問題の出題元 (family conv-output-size) は削除されたため表示できません。"

    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ResumeDialog)
        await pilot.press("y")
        await settle(app, pilot)
        exam = app.screen
        assert isinstance(exam, ExamScreen)
        assert f"問 {gen + 1}/" in status(app)
        assert note in exam.session.questions[gen].stem  # type: ignore[union-attr]
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, ExamResultsScreen)
        await pilot.press("q")
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        reopened = app.screen
        assert isinstance(reopened, ExamResultsScreen)
        assert reopened.review is not None
        assert reopened.review.items[gen].question.stem.startswith(note)
        reopened.query_one("#exam-items", DataTable).move_cursor(row=gen)
        await pilot.press("enter")
        await settle(app, pilot)
        question = app.screen
        assert isinstance(question, QuestionScreen)
        assert question.items[question.index].number == gen + 1
        assert note in question.query_one("#review-stem").source  # type: ignore[attr-defined]
