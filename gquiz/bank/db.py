"""Opening a bank database safely: engine, schema migrations, backups, locks and retries.

- **Schema**: Alembic owns it (gquiz/bank/migrations). `open_engine` brings any database to
  the head revision: a new one is created, one made by gquiz 0.1.0 (no `alembic_version`) is
  adopted by the baseline revision and upgraded, a current one is left alone after one cheap
  query. Migrations run in one transaction under a lock (SQLite: BEGIN IMMEDIATE; PostgreSQL:
  an advisory lock), so twenty processes starting at once on an empty database make it once.
- **Backups**: before migrating a database that holds history (and before `bank build
  --force`), SQLite's online backup API copies it into `<data dir>/backups/`, keeping the
  last KEEP_BACKUPS; `restore` brings one back.
- **Damage**: a 0-byte, foreign or corrupt file raises DatabaseProblem with one Japanese
  sentence naming the file and `gquiz db restore`; it is never replaced by an empty bank.
- **Concurrency**: SQLite waits up to BUSY_TIMEOUT_S for a lock; write units of work begin
  with BEGIN IMMEDIATE (`write_engine`), so a reader never has to upgrade to a writer and
  fail at once with `database is locked`; `retry_locked` retries a short write on the rare
  lock error that still gets through.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from gquiz.bank.dbfile import (
    BUSY_TIMEOUT_S,
    KEEP_BACKUPS,
    DatabaseProblem,
    backup,
    backups,
    check_file,
    create_if_missing,
    damaged_message,
    integrity,
    looks_like_gquiz,
    restore,
)

if TYPE_CHECKING:
    from alembic.config import Config

# The newest revision in migrations/versions. tests/test_migrations.py checks that it is
# Alembic's head, so a new revision cannot be forgotten here.
HEAD_REVISION = "0006"
# pg_advisory_xact_lock key for migrations and bank builds ("gquiz" in ASCII).
PG_LOCK_KEY = 0x6771756978
WRITE_OPTION = "gquiz_write"
T = TypeVar("T")
__all__ = [
    "BUSY_TIMEOUT_S",
    "KEEP_BACKUPS",
    "DatabaseProblem",
    "backup",
    "backups",
    "integrity",
    "restore",
]


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (None for PostgreSQL or an in-memory database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    db = parsed.database
    if not db or db == ":memory:" or db.startswith("file:"):
        return None
    return Path(db)


def explain(exc: BaseException, url: str) -> str | None:
    """The learner's sentence for a database error, or None when it is not about the file."""
    if isinstance(exc, DatabaseProblem):
        return str(exc)
    orig = getattr(exc, "orig", exc)
    path = sqlite_path(url)
    if isinstance(orig, sqlite3.DatabaseError) and not isinstance(orig, sqlite3.OperationalError):
        return damaged_message(path or url)
    if isinstance(orig, sqlite3.OperationalError):
        msg = str(orig)
        if "unable to open" in msg:
            return f"データベース {path or url} を開けません (フォルダの場所と書き込み権限を確認してください)。"
        if "locked" in msg:
            return f"データベース {path or url} は他の gquiz が使用中です。しばらく待ってからやり直してください。"
        if "disk" in msg and "full" in msg:
            return f"ディスクがいっぱいでデータベース {path or url} に書き込めません (それまでの回答は保存済みです)。"
        if "readonly" in msg:
            return (
                f"データベース {path or url} は読み取り専用です (書き込み権限を確認してください)。"
            )
    return None


# -- engine -------------------------------------------------------------------------------------
def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # The driver's own transaction handling is off: SQLAlchemy's "begin" below issues
        # BEGIN itself, so DDL is transactional and a write can begin IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        # WAL: readers never block the writer; synchronous=NORMAL is durable against a
        # process crash (kill -9), which is what "every answer is kept" needs.
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def open_engine(url: str, backup_dir: Path | None = None) -> Engine:
    """An engine whose database is at the head revision (created, adopted or upgraded)."""
    path = sqlite_path(url)
    if path is not None:
        check_file(path)
        create_if_missing(path)
        engine = _sqlite_engine(url)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    try:
        upgrade(engine, backup_dir)
    except DatabaseProblem:
        engine.dispose()
        raise
    except DBAPIError as exc:
        engine.dispose()
        message = explain(exc, url)
        if message:
            raise DatabaseProblem(message) from exc
        raise
    return engine


def write_engine(engine: Engine) -> Engine:
    """The same engine, but each transaction takes the write lock at BEGIN (SQLite)."""
    return engine.execution_options(**{WRITE_OPTION: True})


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def retry_locked(fn: Callable[[], T], attempts: int = 8) -> T:
    """Run a short write transaction, again on `database is locked` (after the busy timeout)."""
    for n in range(attempts):
        try:
            return fn()
        except OperationalError as exc:
            if "locked" not in str(exc.orig) or n == attempts - 1:
                raise
            time.sleep(min(2.0, 0.05 * 2**n) * (0.5 + random.random()))
    raise AssertionError("unreachable")


# -- schema -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SchemaState:
    tables: frozenset[str]
    revision: str | None

    @property
    def empty(self) -> bool:
        return not self.tables

    @property
    def is_gquiz(self) -> bool:
        return looks_like_gquiz(self.tables)

    @property
    def has_history(self) -> bool:
        return "attempts" in self.tables


def schema_state(conn: Connection) -> SchemaState:
    from sqlalchemy import inspect

    tables = frozenset(inspect(conn).get_table_names())
    revision = None
    if "alembic_version" in tables:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return SchemaState(tables, revision)


def _known_revisions() -> set[str]:
    versions = Path(__file__).parent / "migrations" / "versions"
    return {p.name.split("_", 1)[0] for p in versions.glob("[0-9]*_*.py")}


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _driver_pragma(conn: Connection, sql: str) -> None:
    """A PRAGMA sent to the driver itself, outside any transaction SQLAlchemy begins."""
    raw = conn.connection.driver_connection
    if raw is None:  # only a closed or invalidated connection has none
        raise RuntimeError("the database connection is closed")
    raw.execute(sql)


def upgrade(engine: Engine, backup_dir: Path | None = None) -> bool:
    """Bring the database to HEAD_REVISION; True when a migration ran."""
    with engine.connect() as conn:
        state = schema_state(conn)
    if state.revision == HEAD_REVISION:
        return False
    _refuse(engine, state)
    from alembic import command

    with write_engine(engine).connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Table rebuilds in a migration must not cascade deletes. The pragma only works
            # outside a transaction, so it goes to the driver before SQLAlchemy begins one.
            _driver_pragma(conn, "PRAGMA foreign_keys=OFF")
        try:
            # The lock: the first statement begins IMMEDIATE (SQLite), or an advisory lock.
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})
            state = schema_state(conn)  # again, under the lock: another process may be done
            if state.revision == HEAD_REVISION:
                conn.rollback()
                return False
            _refuse(engine, state)
            path = sqlite_path(str(engine.url))
            if state.has_history and path is not None and backup_dir is not None:
                backup(path, backup_dir, reason=f"before-{HEAD_REVISION}")
            command.upgrade(alembic_config(conn), "head")
            conn.commit()
        finally:
            if sqlite:
                conn.rollback()
                _driver_pragma(conn, "PRAGMA foreign_keys=ON")
    return True


def _refuse(engine: Engine, state: SchemaState) -> None:
    where = sqlite_path(str(engine.url)) or engine.url.render_as_string(hide_password=True)
    if not state.empty and not state.is_gquiz:
        raise DatabaseProblem(damaged_message(where, "gquiz のデータベースではないので"))
    if state.revision is not None and state.revision not in _known_revisions():
        raise DatabaseProblem(
            f"データベース {where} はこの gquiz より新しい版で作られています "
            f"(スキーマ {state.revision})。gquiz を更新してください。"
        )
