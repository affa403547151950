"""Concurrent use of one SQLite file (issue 17, item 3): many processes, one learner.

Twenty processes answer at once, and twenty first starts race on an empty database. Every
child runs in its own process (fork: no re-import cost) with its own engine and connections,
as separate gquiz windows would; a child that raises writes its traceback to a file.
"""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
import traceback
from pathlib import Path

import pytest

from gquiz.config import Settings

N_PROCESSES = 20
ANSWERS_EACH = 8

pytestmark = pytest.mark.skipif(
    "fork" not in mp.get_all_start_methods(), reason="needs fork (POSIX)"
)


def _child(settings: Settings, seed: int, out: str, start: mp.synchronize.Event) -> None:
    try:
        from gquiz.study.quiz import QuizSession

        start.wait(30)
        bank = settings.open_bank()
        bank.ensure_built()
        learner = bank.learner_id(settings.learner)
        questions = bank.pick_questions(count=ANSWERS_EACH, seed=seed)
        session = QuizSession(bank, learner, questions)
        for i, _q in enumerate(questions):
            session.shown()
            session.answer((0,) if (i + seed) % 2 else (1,))
        bank.set_flag(learner, "question", questions[0].id, True)
        bank.close()
    except BaseException:  # noqa: BLE001 - the test asserts there was none
        Path(out).write_text(traceback.format_exc(), encoding="utf-8")
        raise SystemExit(1) from None


def _race(settings: Settings, tmp_path: Path) -> list[str]:
    ctx = mp.get_context("fork")
    start = ctx.Event()
    procs = []
    for i in range(N_PROCESSES):
        p = ctx.Process(target=_child, args=(settings, i, str(tmp_path / f"err-{i}.txt"), start))
        p.start()
        procs.append(p)
    start.set()
    for p in procs:
        p.join(300)
        if p.is_alive():
            p.kill()
    return [f.read_text(encoding="utf-8") for f in sorted(tmp_path.glob("err-*.txt"))]


def _count(where: Path | str, sql: str) -> int:
    """One number from the database: a SQLite file, or any SQLAlchemy URL."""
    if isinstance(where, str):
        from sqlalchemy import create_engine, text

        engine = create_engine(where)
        try:
            with engine.connect() as conn:
                return conn.execute(text(sql)).scalar()
        finally:
            engine.dispose()
    conn = sqlite3.connect(where)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def _check_history(path: Path | str) -> None:
    total = N_PROCESSES * ANSWERS_EACH
    assert _count(path, "SELECT count(*) FROM attempts") == total
    assert _count(path, "SELECT sum(attempts) FROM attempt_days") == total
    assert _count(path, "SELECT count(*) FROM learners") == 1
    # No attempt twice: each (question, time) pair is distinct per process, so duplicates
    # would show as repeated rows with the same id-independent content.
    assert (
        _count(
            path,
            "SELECT count(*) FROM (SELECT item_id, created_at, answer FROM attempts "
            "GROUP BY item_id, created_at, answer HAVING count(*) > 1) AS d",
        )
        == 0
    )


def test_twenty_processes_answering_on_one_file(study_settings: Settings, tmp_path: Path) -> None:
    bank = study_settings.open_bank()
    bank.build()
    bank.close()
    errors = _race(study_settings, tmp_path)
    assert errors == []
    path = Path(study_settings.db_url.removeprefix("sqlite:///"))
    _check_history(path)


def test_twenty_first_starts_at_once_on_an_empty_database(
    study_settings: Settings, tmp_path: Path
) -> None:
    errors = _race(study_settings, tmp_path)
    assert errors == []
    path = Path(study_settings.db_url.removeprefix("sqlite:///"))
    _check_history(path)
    assert _count(path, "SELECT count(*) FROM questions WHERE active") == 40
    assert _count(path, "SELECT count(*) FROM alembic_version") == 1


def test_twenty_first_starts_at_once_on_postgresql(
    study_settings: Settings, tmp_path: Path, pg_url: str
) -> None:
    from dataclasses import replace

    settings = replace(study_settings, db_url=pg_url)
    errors = _race(settings, tmp_path)
    assert errors == []
    _check_history(pg_url)
    assert _count(pg_url, "SELECT count(*) FROM questions WHERE active") == 40
    assert _count(pg_url, "SELECT count(*) FROM sections") > 0
