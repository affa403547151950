"""Engine and session factory for any SQLAlchemy URL (SQLite by default)."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from gquiz.bank.models import Base


def make_engine(url: str) -> Engine:
    """Create the engine and the schema; SQLite gets WAL so a killed process loses nothing committed."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            # WAL: readers never block the writer; synchronous=NORMAL is durable against a
            # process crash (kill -9), which is what "every answer is kept" needs.
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=5000")
            cur.close()

    # create_all only adds missing tables: schema changes stay additive (see models.py).
    Base.metadata.create_all(engine)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
