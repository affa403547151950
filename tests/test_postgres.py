"""The same schema and writes on PostgreSQL (issue 17, items 2 and 3); skipped without a server."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import create_engine, text

from gquiz.bank import db
from gquiz.bank.repo import AttemptRecord
from gquiz.config import Settings


def test_new_postgresql_database_migrates_and_upserts(
    study_settings: Settings, pg_url: str
) -> None:
    settings = replace(study_settings, db_url=pg_url)
    bank = settings.open_bank()
    try:
        assert bank.ensure_built()
        with bank.engine.connect() as conn:
            assert db.schema_state(conn).revision == db.HEAD_REVISION
        lid = bank.learner_id("tester")
        assert bank.learner_id("tester") == lid
        q = bank.questions()[0]
        for ok in (False, True):
            bank.record_attempt(
                lid, AttemptRecord(q.id, q.section_id, ok, "1", topic_slug=q.topic_slug)
            )
        bank.set_flag(lid, "question", q.id, True)
        bank.set_flag(lid, "question", q.id, True)  # two windows flagging: an upsert
        assert bank.last_results(lid) == {("question", q.id): True}
        assert sum(n for *_x, n, _c in bank.attempt_summary(lid)) == 2
        assert bank.card(lid, "question", q.id).flagged
    finally:
        bank.close()


def test_unversioned_postgresql_database_is_adopted(study_settings: Settings, pg_url: str) -> None:
    """A database made before Alembic (0.1.0's create_all) keeps its rows and gets stamped."""
    from alembic import command

    engine = create_engine(pg_url)
    with engine.begin() as conn:
        command.upgrade(db.alembic_config(conn), "0001")
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(
            text("INSERT INTO learners (name, created_at) VALUES ('old', '2026-11-01 10:00')")
        )
    engine.dispose()
    bank = replace(study_settings, db_url=pg_url).open_bank()
    try:
        with bank.engine.connect() as conn:
            assert db.schema_state(conn).revision == db.HEAD_REVISION
            assert conn.execute(text("SELECT name FROM learners")).scalars().all() == ["old"]
    finally:
        bank.close()
