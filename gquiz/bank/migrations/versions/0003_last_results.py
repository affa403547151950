"""last_results: each item's latest attempt per learner, for the wrong and new drills.

Filled here from the history (one pass, once); then kept in step by every recorded answer.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import NoReturn

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create last_results and fill it from the history once, inside the migration's transaction
    (flushed here, committed by the caller); afterwards every recorded answer keeps it in step."""
    op.create_table(
        "last_results",
        sa.Column("learner_id", sa.Integer, sa.ForeignKey("learners.id"), primary_key=True),
        sa.Column("item_kind", sa.String(16), primary_key=True),
        sa.Column("item_id", sa.String(100), primary_key=True),
        sa.Column("attempt_id", sa.Integer, nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    from sqlalchemy.orm import Session

    from gquiz.bank.repo import rebuild_last_results

    session = Session(bind=op.get_bind())
    rebuild_last_results(session)
    session.flush()


def downgrade() -> NoReturn:
    """Not supported (gquiz migrations only add): raises NotImplementedError; restore a backup taken
    before the upgrade instead."""
    raise NotImplementedError("gquiz migrations are additive; restore a backup instead")
