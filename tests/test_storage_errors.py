"""A full disk or a read-only data folder: one Japanese message, the answers already given
kept, never a traceback.

A full disk is SQLite's SQLITE_FULL, produced here for real by capping the database with
`PRAGMA max_page_count` (the same error a full file system gives; benchmarks/
bench_full_disk.py does it with a real 40 MB tmpfs). A read-only database is opened through
SQLite's own `mode=ro` URI (root ignores file permissions). The sentences come from the
CLI's database handler (gquiz.bank.db.explain).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from gquiz.bank.db import explain
from gquiz.bank.models import Attempt
from gquiz.cli import main
from gquiz.config import Settings
from gquiz.plain import run_plain_quiz
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
    with pytest.raises(OperationalError) as info:
        run_plain_quiz(session, io.StringIO("1\n" * len(questions)), lines.append)
    bank.close()
    graded = sum(1 for line in lines if line == "正解" or line.startswith("不正解"))
    assert 0 < graded < len(questions)
    message = explain(info.value, study_settings.db_url)
    assert message is not None
    assert "ディスクがいっぱい" in message
    assert "それまでの回答は保存済み" in message
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
    assert "読み取り専用" in result.output
    assert result.output.count("\n") == 1
    assert _attempts(study_settings) == before


def test_unwritable_data_folder_is_one_line(tmp_path: Path, study_settings: Settings) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    env = {**cli_env(study_settings), "GQUIZ_DB": "", "GQUIZ_DATA_DIR": str(blocker / "data")}
    result = CliRunner().invoke(main, ["quiz", "--plain"], env=env, input="1\n")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "に書き込めません" in result.stderr
    assert result.stderr.count("\n") == 1
