"""Alembic environment: gquiz runs migrations itself, on a connection it already holds.

gquiz.bank.db opens the connection, takes the migration lock (BEGIN IMMEDIATE on SQLite, an
advisory lock on PostgreSQL) and hands it over in `config.attributes["connection"]`, so the
version check and every step run inside that one locked transaction. The `alembic` command
line works too, for writing new revisions: a URL in `sqlalchemy.url`, or offline SQL of the
baseline (`alembic upgrade 0001 --sql`; the later revisions move data and need a database).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from gquiz.bank.models import Base

config = context.config
target_metadata = Base.metadata


def run_offline() -> None:
    """`alembic upgrade --sql`: print the SQL for a URL without connecting (useful for the baseline
    only; the later revisions read data and need a database)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run on the connection gquiz.bank.db hands over (already locked, one transaction for every
    step); without one, on `sqlalchemy.url` for a bare `alembic` command. RuntimeError when neither
    is given."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            transactional_ddl=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    if url is None:  # gquiz passes a connection; a bare `alembic upgrade` needs the URL
        raise RuntimeError("alembic: set sqlalchemy.url or pass a connection")
    engine = create_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
