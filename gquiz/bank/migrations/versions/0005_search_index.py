"""The search index: note sections, questions and syllabus keywords (derived, rebuilt with the bank).

`search_docs` holds the documents with their normalised text (any database); on SQLite an FTS5
table with the trigram tokenizer indexes it (external content), so substring queries in
Japanese are answered from the index. `search_synonyms` joins names written in two scripts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import NoReturn

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the empty search tables (and on SQLite the FTS5 trigram index over them); the next
    build fills them, as they are derived from content only."""
    op.create_table(
        "search_docs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref", sa.String(100), nullable=False),
        sa.Column("anchor", sa.Text, nullable=False, server_default=""),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("topic_title", sa.Text, nullable=False, server_default=""),
        sa.Column("section_id", sa.String(16), nullable=False, server_default=""),
        sa.Column("title_norm", sa.Text, nullable=False),
        sa.Column("body_norm", sa.Text, nullable=False),
    )
    op.create_table(
        "search_synonyms",
        sa.Column("term", sa.String(200), primary_key=True),
        sa.Column("other", sa.String(200), primary_key=True),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title_norm, body_norm, "
            "content='search_docs', content_rowid='id', tokenize='trigram')"
        )


def downgrade() -> NoReturn:
    """Not supported (gquiz migrations only add): raises NotImplementedError; restore a backup
    instead."""
    raise NotImplementedError("gquiz migrations are additive; restore a backup instead")
