"""A full disk or a read-only data folder: one Japanese message, the answers already given
kept, never a traceback.

A full disk is SQLite's SQLITE_FULL, produced here for real by capping the database with
`PRAGMA max_page_count` (the same error a full file system gives). A read-only database is
opened through SQLite's own `mode=ro` URI (root ignores file permissions).
"""

from __future__ import annotations

import errno
import io
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from gquiz.bank.models import Attempt
from gquiz.cli import main
from gquiz.config import Settings
from gquiz.plain import StorageFailed, run_plain_quiz
from gquiz.storage import storage_problem
from gquiz.study.quiz import QuizSession
from tests.helpers import cli_env


def _attempts(settings: Settings) -> int:
    bank = settings.open_bank()
    try:
        with bank.sessions() as s:
            return s.scalar(select(func.count()).select_from(Attempt))
    finally:
        bank.close()


def test_full_disk_mid_session_keeps_every_answer_given(study_settings: Settings) -> None:
    bank = study_settings.open_bank()
    bank.build()
    learner = bank.learner_id("tester")
    questions = bank.questions() * 40  # enough answers to need a new page
    session = QuizSession(bank, learner, questions, mode="quiz")
    with bank.engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar()

    @event.listens_for(bank.engine, "connect")
    def _cap(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    bank.engine.dispose()
    lines: list[str] = []
    with pytest.raises(StorageFailed):
        run_plain_quiz(session, io.StringIO("1\n" * len(questions)), lines.append)
    bank.close()
    graded = sum(1 for line in lines if line == "正解" or line.startswith("不正解"))
    assert 0 < graded < len(questions)
    assert "この回答は保存できませんでした: ディスクの空きがありません" in "\n".join(lines)
    assert f"それまでの {graded} 問の回答は保存済みです。" in lines
    assert _attempts(study_settings) == graded


def test_read_only_database_is_one_line(study_settings: Settings) -> None:
    bank = study_settings.open_bank()
    bank.build()
    bank.close()
    path = study_settings.db_url.removeprefix("sqlite:///")
    before = _attempts(study_settings)
    env = {**cli_env(study_settings), "GQUIZ_DB": f"sqlite:///file:{path}?mode=ro&uri=true"}
    result = CliRunner().invoke(main, ["quiz", "--plain", "--count", "3"], env=env, input="1\n1\n")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "書き込めません" in result.output
    assert _attempts(study_settings) == before


def test_unwritable_data_folder_is_one_line(tmp_path: Path, study_settings: Settings) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    env = {**cli_env(study_settings), "GQUIZ_DB": "", "GQUIZ_DATA_DIR": str(blocker / "data")}
    result = CliRunner().invoke(main, ["quiz", "--plain"], env=env, input="1\n")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.startswith("問題バンクを開けません")


@pytest.mark.parametrize(
    ("exc", "fragment"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "ディスクの空き"),
        (OSError(errno.EROFS, "Read-only file system"), "書き込めません"),
        (PermissionError(errno.EACCES, "Permission denied"), "書き込めません"),
        (sqlite3.OperationalError("database or disk is full"), "ディスクの空き"),
        (
            OperationalError(
                "INSERT", {}, sqlite3.OperationalError("attempt to write a readonly database")
            ),
            "書き込めません",
        ),
    ],
)
def test_storage_problem_recognises(exc: BaseException, fragment: str) -> None:
    problem = storage_problem(exc)
    assert problem is not None
    assert fragment in problem


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("database or disk is full"),
        OSError(errno.ENOENT, "x"),
        sqlite3.OperationalError("no such table: x"),
    ],
)
def test_other_errors_are_not_storage_problems(exc: BaseException) -> None:
    assert storage_problem(exc) is None
