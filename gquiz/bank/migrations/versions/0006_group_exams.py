"""Shared mock exams of a study group, and the leaderboard opt-in.

`group_exams`: an exam the organiser publishes (seed, size, minutes, open and close times);
every member who sits it gets the same questions in the same orders. `exams.group_exam_id`
ties a member's sitting to it. `learners.share_score`: a member's opt-in to the leaderboard.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import NoReturn

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the shared exams table and two columns that default to "not in a group" (no
    group_exam_id, share_score false), so existing rows mean what they meant."""
    op.create_table(
        "group_exams",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("n_questions", sa.Integer, nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("opens_at", sa.DateTime, nullable=False),
        sa.Column("closes_at", sa.DateTime, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.add_column("exams", sa.Column("group_exam_id", sa.Integer, nullable=True))
    op.add_column(
        "learners",
        sa.Column("share_score", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> NoReturn:
    """Not supported: a member's sittings would lose their shared exam. Raises NotImplementedError;
    restore a backup instead."""
    raise NotImplementedError("gquiz migrations are additive; restore a backup instead")
