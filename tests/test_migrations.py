"""Schema migrations, backups and damaged files (issue 17, item 2).

The previous release's database (tests/fixtures/release-0.1.0.sqlite3, made by
tests/fixtures/make_release_db.py from gquiz 0.1.0) is upgraded on open with all its history.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from gquiz.bank import db
from gquiz.config import Settings
from tests.conftest import FIXTURES, REPO
from tests.helpers import cli_env, write_content

RELEASE_DB = FIXTURES / "release-0.1.0.sqlite3"
HISTORY = ("learners", "attempts", "review_cards", "exams")


# The 0.1.0 columns of each history table: later revisions add columns (nullable, additive),
# and the rows must keep every value they had in these.
RELEASE_COLUMNS = {
    "learners": "id, name, created_at",
    "attempts": "id, learner_id, item_kind, item_id, section_id, topic_slug, correct, score, "
    "answer, elapsed_ms, mode, exam_id, created_at",
    "review_cards": "learner_id, item_kind, item_id, card, due, flagged",
    "exams": "id, learner_id, seed, n_questions, minutes, created_at, remaining_s, "
    "submitted_at, items, state",
}


def _rows(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        order = "1" if table != "review_cards" else "learner_id, item_kind, item_id"
        cols = RELEASE_COLUMNS.get(table, "*")
        return conn.execute(f"SELECT {cols} FROM {table} ORDER BY {order}").fetchall()  # noqa: S608
    finally:
        conn.close()


@pytest.fixture
def release_settings(tmp_path: Path) -> Settings:
    """A copy of the 0.1.0 database, with the content it was built from."""
    content = write_content(tmp_path / "content")
    shutil.copy(REPO / "content" / "exam-blueprint.md", content / "exam-blueprint.md")
    path = tmp_path / "old.sqlite3"
    shutil.copy(RELEASE_DB, path)
    return Settings(
        db_url=f"sqlite:///{path}",
        learner="tester",
        content=content,
        problems=tmp_path / "none",
        backups=tmp_path / "backups",
    )


def test_head_revision_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(db.alembic_config())
    assert script.get_heads() == [db.HEAD_REVISION]


def test_previous_release_upgrades_keeping_every_row(release_settings: Settings) -> None:
    path = db.sqlite_path(release_settings.db_url)
    assert path is not None
    before = {t: _rows(path, t) for t in HISTORY}
    assert len(before["attempts"]) == 66
    assert len(before["exams"]) == 2
    flagged = [r for r in before["review_cards"] if r[5]]
    assert len(flagged) == 2

    bank = release_settings.open_bank()
    try:
        # The build changed since 0.1.0 (revision 0004 added passage and pin columns), so the
        # bank is rebuilt from the same content; the history below must come through untouched.
        bank.ensure_built()
        learner = bank.learner_id("tester")
        after = {t: _rows(path, t) for t in HISTORY}
        assert after == before
        with bank.engine.connect() as conn:
            assert db.schema_state(conn).revision == db.HEAD_REVISION
        # The rollup was recounted and still sums to the attempts.
        summary = bank.attempt_summary(learner)
        assert sum(n for *_x, n, _c in summary) == sum(1 for a in before["attempts"] if a[1] == 1)
        from gquiz.study.exam import ExamSession

        # last_results (revision 0003) was filled from the history: the latest answer per item.
        latest: dict[tuple[str, str], bool] = {}
        for row in before["attempts"]:  # id order
            if row[1] == learner:
                latest[(row[2], row[3])] = bool(row[6])
        assert bank.last_results(learner) == latest
        resumed = ExamSession.unfinished(bank, learner)
        assert resumed is not None
        assert resumed.answers == {0: [0]}
        assert bank.card(learner, "question", bank.questions()[39].id).flagged
    finally:
        bank.close()
    # A backup of the old file was written before migrating, and it is the old file.
    (copy,) = db.backups(release_settings.backup_dir(), path)
    assert "before-" in copy.name
    assert _rows(copy, "attempts") == before["attempts"]
    conn = sqlite3.connect(copy)
    assert "alembic_version" not in {
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    conn.close()


def test_upgrade_recounts_rollups_in_local_days(
    release_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 0.1.0 counted UTC days; its first attempt is 2026-11-20 15:30 UTC, 00:30 on the 21st in Japan.
    path = db.sqlite_path(release_settings.db_url)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT min(day) FROM attempt_days").fetchone() == ("2026-11-20",)
    conn.close()
    monkeypatch.setenv("GQUIZ_TZ", "Asia/Tokyo")
    bank = release_settings.open_bank()
    try:
        days = {d for _k, _s, _t, d, _n, _c in bank.attempt_summary(bank.learner_id("tester"))}
        assert min(days) == "2026-11-21"
    finally:
        bank.close()


def test_new_database_is_at_head_and_second_open_does_not_migrate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    engine = db.open_engine(url, tmp_path / "backups")
    with engine.connect() as conn:
        state = db.schema_state(conn)
    engine.dispose()
    assert state.revision == db.HEAD_REVISION
    assert {"attempts", "review_cards", "exams", "attempt_days"} <= state.tables
    engine = db.open_engine(url, tmp_path / "backups")
    assert not db.upgrade(engine, tmp_path / "backups")
    engine.dispose()
    assert not (tmp_path / "backups").exists()  # nothing to back up in a new database


@pytest.mark.parametrize(
    ("content", "why"),
    [(b"", "0 バイト"), (b"not a database at all\n" * 50, "SQLite のデータベースではない")],
)
def test_zero_byte_or_foreign_file_is_refused_not_replaced(
    tmp_path: Path, content: bytes, why: str
) -> None:
    path = tmp_path / "bank.sqlite3"
    path.write_bytes(content)
    with pytest.raises(db.DatabaseProblem) as err:
        db.open_engine(f"sqlite:///{path}")
    message = str(err.value)
    assert str(path) in message
    assert "gquiz db restore" in message
    assert why in message
    assert message.count("。") == 1
    assert path.read_bytes() == content  # never silently replaced by an empty bank


def test_sqlite_file_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(db.DatabaseProblem, match="gquiz のデータベースではない"):
        db.open_engine(f"sqlite:///{path}")
    assert _rows(path, "photos") == []


def _corrupt(path: Path) -> None:
    """Overwrite pages after the header, as a failing disk or a bad copy would."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    for start in range(page, len(data), page):
        data[start : start + 200] = b"\xa5" * 200
    path.write_bytes(bytes(data))


def _checkpointed(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def test_cli_corrupt_database_one_line_then_restore(
    study_settings: Settings, tmp_path: Path
) -> None:
    settings = study_settings
    env = {**cli_env(settings), "GQUIZ_DATA_DIR": str(tmp_path / "data")}
    run = lambda *args, **kw: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "gquiz", *args],
        env={**_base_env(), **env},
        capture_output=True,
        text=True,
        timeout=120,
        **kw,
    )
    out = run("quiz", "--plain", "--count", "2", "--seed", "1", input="1\n1\n")
    assert out.returncode == 0, out.stderr
    assert run("db", "backup").returncode == 0
    path = db.sqlite_path(settings.db_url)
    _checkpointed(path)
    check = run("db", "check")
    assert check.returncode == 0
    assert "ok" in check.stdout.lower()

    _corrupt(path)
    for args in (("stats",), ("db", "check")):
        bad = run(*args)
        assert bad.returncode != 0
        assert "Traceback" not in bad.stderr
        lines = [line for line in bad.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, bad.stderr
        assert str(path) in lines[0]
        assert "gquiz db restore" in lines[0]

    restored = run("db", "restore")
    assert restored.returncode == 0, restored.stderr
    assert "Traceback" not in restored.stderr
    stats = run("stats", "--json")
    assert stats.returncode == 0, stats.stderr
    import json

    assert json.loads(stats.stdout)["total"]["attempts"] == 2
    assert list(path.parent.glob("*.damaged-*")), "the damaged file is kept aside"


def test_zero_byte_file_restore_brings_back_last_backup(settings: Settings) -> None:
    bank = settings.open_bank()
    bank.build()
    learner = bank.learner_id("tester")
    from gquiz.study.quiz import QuizSession

    session = QuizSession(bank, learner, bank.questions()[:3])
    for _ in range(3):
        session.answer((0,))
    copy = bank.backup("manual")
    bank.close()
    assert copy is not None
    path = db.sqlite_path(settings.db_url)
    for suffix in ("", "-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.write_bytes(b"") if not suffix else side.unlink()
    with pytest.raises(db.DatabaseProblem, match="0 バイト"):
        settings.open_bank()
    db.restore(path, db.backups(settings.backup_dir(), path)[-1], settings.backup_dir())
    bank = settings.open_bank()
    try:
        assert sum(n for *_x, n, _c in bank.attempt_summary(learner)) == 3
    finally:
        bank.close()


def test_backups_keep_the_last_n(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite3"
    engine = db.open_engine(f"sqlite:///{path}")
    engine.dispose()
    for _ in range(db.KEEP_BACKUPS + 3):
        db.backup(path, tmp_path / "backups")
    kept = db.backups(tmp_path / "backups", path)
    assert len(kept) == db.KEEP_BACKUPS
    assert db.integrity(kept[-1]) == []


def test_forced_rebuild_backs_up_first(tmp_path: Path, settings: Settings) -> None:
    env = {**_base_env(), **cli_env(settings), "GQUIZ_DATA_DIR": str(tmp_path / "data")}
    cmd = [sys.executable, "-m", "gquiz", "bank", "build", "--force"]
    for _ in range(2):
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
    path = db.sqlite_path(settings.db_url)
    # Each forced rebuild copied the file first (the first one: the new, empty bank).
    assert len(db.backups(tmp_path / "data" / "backups", path)) == 2


def _base_env() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("GQUIZ_")}
    env["PYTHONPATH"] = str(REPO)
    return env


def test_release_attempts_still_grade_and_display_by_choice_key(release_settings: Settings) -> None:
    """0.1.0 stored answers as written positions and showed choices in written order: after
    choices are shuffled per presentation those positions are the keys, so every old answer
    still grades as it did, and rereading it shows the written order (what was seen)."""
    from gquiz.study.presentation import shown_order, with_order

    path = db.sqlite_path(release_settings.db_url)
    assert path is not None
    bank = release_settings.open_bank()
    try:
        bank.ensure_built()
        views = {q.id: q for q in bank.questions(include_inactive=True)}
        conn = sqlite3.connect(path)
        rows = conn.execute(
            "SELECT item_id, answer, correct, choice_order FROM attempts "
            "WHERE item_kind = 'question' AND answer != ''"
        ).fetchall()
        conn.close()
        assert len(rows) > 20
        for item_id, answer, correct, order in rows:
            assert order is None
            q = with_order(views[item_id], None)
            assert shown_order(q) == tuple(range(len(q.choices)))
            keys = {int(k) - 1 for k in answer.split(",")}
            assert (keys == {c.key for c in q.choices if c.correct}) == bool(correct)
    finally:
        bank.close()
