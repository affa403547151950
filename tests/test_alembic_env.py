"""The migration environment outside gquiz: the `alembic` command line a contributor uses to
write a revision (offline SQL, or a database named by URL), and `python -m gquiz`."""

from __future__ import annotations

import io
import runpy
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from gquiz.bank.db import alembic_config


def _head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def test_offline_sql_of_the_baseline() -> None:
    """`alembic upgrade 0001 --sql`: the schema as SQL. (The later revisions move data with a
    session, so they need a database: a URL, below.)"""
    out = io.StringIO()
    cfg = alembic_config()
    cfg.output_buffer = out
    cfg.set_main_option("sqlalchemy.url", "postgresql://")
    command.upgrade(cfg, "0001", sql=True)
    sql = out.getvalue()
    assert "CREATE TABLE attempts" in sql
    assert "CREATE TABLE review_cards" in sql
    assert "INSERT INTO alembic_version (version_num) VALUES ('0001')" in sql


def test_alembic_upgrade_by_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    cfg = alembic_config()
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "head")
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == _head()
        assert "attempts" in inspect(conn).get_table_names()
    engine.dispose()


def test_alembic_without_a_url_says_what_is_missing() -> None:
    with pytest.raises(RuntimeError, match="set sqlalchemy.url or pass a connection"):
        command.upgrade(alembic_config(), "head")


def test_python_m_gquiz(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["gquiz", "--version"])
    with pytest.raises(SystemExit) as done:
        runpy.run_module("gquiz", run_name="__main__")
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("gquiz, version ")
