"""Choices shown in an order drawn per presentation; passages with blanks; dated notes.

- `attempts.choice_order`: the choice keys in the order the learner saw them. Attempts from
  before have none: they were shown in written order, and their `answer` already holds written
  positions (1-based), which are the keys, so no history needs rewriting.
- `choices.pinned`: a choice that stays last whatever the order.
- `questions.passage_id / passage_md / blank_label`: a blank of a passage-with-blanks.
- `topics.as_of / sources`: when a note on law or guidelines was last checked, and against what.

Content columns are filled by the next build (BUILD_VERSION changed).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import NoReturn

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add only nullable or defaulted columns, so every 0003 row stays valid and no history is
    rewritten; the next build fills the content columns."""
    op.add_column("attempts", sa.Column("choice_order", sa.JSON, nullable=True))
    op.add_column(
        "choices", sa.Column("pinned", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.add_column("questions", sa.Column("passage_id", sa.String(100), nullable=True))
    op.add_column("questions", sa.Column("passage_md", sa.Text, nullable=True))
    op.add_column("questions", sa.Column("blank_label", sa.String(8), nullable=True))
    op.add_column("topics", sa.Column("as_of", sa.String(7), nullable=True))
    op.add_column("topics", sa.Column("sources", sa.JSON, nullable=True))


def downgrade() -> NoReturn:
    """Not supported: dropping `choice_order` would lose the shown order of every answer since.
    Raises NotImplementedError; restore a backup instead."""
    raise NotImplementedError("gquiz migrations are additive; restore a backup instead")
