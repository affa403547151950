"""Count the daily rollups in the learner's local days (0.1.0 counted UTC days).

Data only, no schema change: attempt_days is recounted from attempts in the zone gquiz runs
in (GQUIZ_TZ or the system's), and the zone is written to meta so a later change of zone
triggers a recount on open (gquiz.bank.repo.Bank._ensure_rollups).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import NoReturn

from alembic import op
from sqlalchemy.orm import Session

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Recount attempt_days in the local zone gquiz runs in now (inside the migration's transaction;
    the session is only flushed, the caller commits)."""
    from gquiz.bank.repo import rebuild_rollups
    from gquiz.config import local_zone

    session = Session(bind=op.get_bind())
    rebuild_rollups(session, local_zone())
    session.flush()


def downgrade() -> NoReturn:
    """Not supported: the recount replaced the UTC-day rows. Raises NotImplementedError; restore
    the backup taken before the upgrade instead."""
    raise NotImplementedError("gquiz migrations are additive; restore a backup instead")
