"""Baseline: the schema of the released gquiz 0.1.0.

A database made by 0.1.0 (before Alembic) already has these tables: it is adopted as it is
(each table is created only when missing, which also covers a pre-release file made before
`attempt_days` existed) and stamped with this revision. A new database gets them all here.
Frozen: never edit this file, add a revision instead.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import NoReturn

import sqlalchemy as sa
from alembic import context, op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> dict[str, tuple[list[sa.schema.SchemaItem], list[tuple[str, list[str]]]]]:
    """Table name → (columns and constraints, indexes as (name, columns))."""
    return {
        "meta": (
            [
                sa.Column("key", sa.String(64), primary_key=True),
                sa.Column("value", sa.Text, nullable=False),
            ],
            [],
        ),
        "sections": (
            [
                sa.Column("id", sa.String(16), primary_key=True),
                sa.Column("major", sa.Integer, nullable=False),
                sa.Column("minor", sa.Integer, nullable=False),
                sa.Column("major_title", sa.String(200), nullable=False),
                sa.Column("title", sa.String(200), nullable=False),
                sa.Column("keywords", sa.JSON, nullable=False),
            ],
            [("ix_sections_major", ["major"])],
        ),
        "questions": (
            [
                sa.Column("id", sa.String(100), primary_key=True),
                sa.Column("topic_slug", sa.String(100), nullable=False),
                sa.Column("section_id", sa.String(16), nullable=False),
                sa.Column("stem_md", sa.Text, nullable=False),
                sa.Column("explanation_md", sa.Text, nullable=False),
                sa.Column("difficulty", sa.Integer, nullable=False),
                sa.Column("n_correct", sa.Integer, nullable=False),
                sa.Column("keywords", sa.JSON, nullable=False),
                sa.Column("sort_order", sa.Integer, nullable=False),
                sa.Column("source_path", sa.String(300), nullable=False),
                sa.Column("source_line", sa.Integer, nullable=False),
                sa.Column("active", sa.Boolean, nullable=False),
            ],
            [
                ("ix_questions_active", ["active"]),
                ("ix_questions_section_id", ["section_id"]),
                ("ix_questions_topic_slug", ["topic_slug"]),
            ],
        ),
        "problem_families": (
            [
                sa.Column("id", sa.String(100), primary_key=True),
                sa.Column("section_id", sa.String(16), nullable=False),
                sa.Column("title", sa.String(200), nullable=False),
                sa.Column("spec", sa.JSON, nullable=False),
                sa.Column("active", sa.Boolean, nullable=False),
            ],
            [("ix_problem_families_section_id", ["section_id"])],
        ),
        "learners": (
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("name", sa.String(100), nullable=False, unique=True),
                sa.Column("created_at", sa.DateTime, nullable=False),
            ],
            [],
        ),
        "topics": (
            [
                sa.Column("slug", sa.String(100), primary_key=True),
                sa.Column(
                    "section_id", sa.String(16), sa.ForeignKey("sections.id"), nullable=False
                ),
                sa.Column("title", sa.String(200), nullable=False),
                sa.Column("note_md", sa.Text, nullable=False),
                sa.Column("keywords", sa.JSON, nullable=False),
                sa.Column("drills", sa.JSON, nullable=False),
                sa.Column("sort_order", sa.Integer, nullable=False),
                sa.Column("source_path", sa.String(300), nullable=False),
                sa.Column("active", sa.Boolean, nullable=False),
            ],
            [("ix_topics_section_id", ["section_id"])],
        ),
        "choices": (
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column(
                    "question_id",
                    sa.String(100),
                    sa.ForeignKey("questions.id", ondelete="CASCADE"),
                    nullable=False,
                ),
                sa.Column("position", sa.Integer, nullable=False),
                sa.Column("text_md", sa.Text, nullable=False),
                sa.Column("correct", sa.Boolean, nullable=False),
            ],
            [("ix_choices_question_id", ["question_id"])],
        ),
        "attempts": (
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("learner_id", sa.Integer, sa.ForeignKey("learners.id"), nullable=False),
                sa.Column("item_kind", sa.String(16), nullable=False),
                sa.Column("item_id", sa.String(100), nullable=False),
                sa.Column("section_id", sa.String(16), nullable=False),
                sa.Column("topic_slug", sa.String(100), nullable=True),
                sa.Column("correct", sa.Boolean, nullable=False),
                sa.Column("score", sa.Float, nullable=False),
                sa.Column("answer", sa.Text, nullable=False),
                sa.Column("elapsed_ms", sa.Integer, nullable=True),
                sa.Column("mode", sa.String(16), nullable=False),
                sa.Column("exam_id", sa.Integer, nullable=True),
                sa.Column("created_at", sa.DateTime, nullable=False),
            ],
            [
                ("ix_attempts_learner_id", ["learner_id"]),
                ("ix_attempts_learner_item", ["learner_id", "item_kind", "item_id"]),
                ("ix_attempts_learner_section", ["learner_id", "section_id"]),
                ("ix_attempts_created_at", ["created_at"]),
                ("ix_attempts_exam_id", ["exam_id"]),
            ],
        ),
        "attempt_days": (
            [
                sa.Column("learner_id", sa.Integer, sa.ForeignKey("learners.id"), primary_key=True),
                sa.Column("item_kind", sa.String(16), primary_key=True),
                sa.Column("section_id", sa.String(16), primary_key=True),
                sa.Column("topic_slug", sa.String(100), primary_key=True),
                sa.Column("day", sa.String(10), primary_key=True),
                sa.Column("attempts", sa.Integer, nullable=False),
                sa.Column("correct", sa.Integer, nullable=False),
            ],
            [],
        ),
        "review_cards": (
            [
                sa.Column("learner_id", sa.Integer, sa.ForeignKey("learners.id"), primary_key=True),
                sa.Column("item_kind", sa.String(16), primary_key=True),
                sa.Column("item_id", sa.String(100), primary_key=True),
                sa.Column("card", sa.JSON, nullable=False),
                sa.Column("due", sa.DateTime, nullable=False),
                sa.Column("flagged", sa.Boolean, nullable=False),
            ],
            [("ix_review_cards_due", ["due"])],
        ),
        "exams": (
            [
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("learner_id", sa.Integer, sa.ForeignKey("learners.id"), nullable=False),
                sa.Column("seed", sa.Integer, nullable=False),
                sa.Column("n_questions", sa.Integer, nullable=False),
                sa.Column("minutes", sa.Integer, nullable=False),
                sa.Column("created_at", sa.DateTime, nullable=False),
                sa.Column("remaining_s", sa.Float, nullable=False),
                sa.Column("submitted_at", sa.DateTime, nullable=True),
                sa.Column("items", sa.JSON, nullable=False),
                sa.Column("state", sa.JSON, nullable=False),
            ],
            [("ix_exams_learner_id", ["learner_id"])],
        ),
    }


def upgrade() -> None:
    """Create each 0.1.0 table that is missing, so a 0.1.0 file is adopted as it is and a new one is
    made whole; existing tables are never altered (that is a later revision's job)."""
    # Offline (`alembic upgrade --sql`) there is no database to look at: every table is new.
    existing = (
        set() if context.is_offline_mode() else set(sa.inspect(op.get_bind()).get_table_names())
    )
    for name, (columns, indexes) in _tables().items():
        if name in existing:
            continue
        op.create_table(name, *columns)
        for index_name, cols in indexes:
            op.create_index(index_name, name, cols)


def downgrade() -> NoReturn:
    """Never: there is nothing before the baseline. Raises NotImplementedError; a learner goes back
    with `gquiz db restore` (a backup)."""
    raise NotImplementedError("gquiz migrations are additive; restore a backup instead")
