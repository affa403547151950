"""SQLAlchemy 2.0 models of the question bank and the learner's history.

Two kinds of tables live here. Content tables (sections, topics, questions, choices, problem
families) are rebuilt from content/ and problems/; they are keyed by the stable ids written in
the Markdown, so a rebuild updates rows in place and a question removed from content is only
marked inactive. History tables (learners, attempts, review cards, exams) are never touched by a
rebuild and refer to content by those stable string ids, never by row ids. Schema changes are
additive (new tables or nullable columns) and made only by an Alembic revision in
gquiz/bank/migrations/versions (see gquiz/bank/db.py).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

SCHEMA_VERSION = 1


def utcnow() -> datetime:
    """Naive UTC now: every DateTime column stores naive UTC (SQLite keeps no zone), and local days
    are computed from it with gquiz.config.local_day."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    """The declarative base; JSON columns for the dict and list annotations, so specs, cards and
    exam items are stored as JSON on SQLite and PostgreSQL alike."""

    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Meta(Base):
    """Key/value facts about the bank itself (content hash, schema version)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Section(Base):
    """A 中項目 of the syllabus, e.g. S5.2 畳み込み層 in 大項目 5."""

    __tablename__ = "sections"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    major: Mapped[int] = mapped_column(Integer, index=True)
    minor: Mapped[int] = mapped_column(Integer)
    major_title: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    keywords: Mapped[list[Any]] = mapped_column(JSON, default=list)


class Topic(Base):
    """One content file: a note and its questions."""

    __tablename__ = "topics"
    slug: Mapped[str] = mapped_column(String(100), primary_key=True)
    section_id: Mapped[str] = mapped_column(ForeignKey("sections.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    note_md: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[Any]] = mapped_column(JSON, default=list)
    drills: Mapped[list[Any]] = mapped_column(JSON, default=list)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    source_path: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Notes on law, guidelines or markets: the month last checked (YYYY-MM) and the sources.
    as_of: Mapped[str | None] = mapped_column(String(7), nullable=True)
    sources: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)


class Question(Base):
    """A multiple-choice question; `id` is the stable id from its `## <id>` heading."""

    __tablename__ = "questions"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    topic_slug: Mapped[str] = mapped_column(String(100), index=True)
    section_id: Mapped[str] = mapped_column(String(16), index=True)
    stem_md: Mapped[str] = mapped_column(Text)
    explanation_md: Mapped[str] = mapped_column(Text)
    difficulty: Mapped[int] = mapped_column(Integer, default=2)
    n_correct: Mapped[int] = mapped_column(Integer, default=1)
    keywords: Mapped[list[Any]] = mapped_column(JSON, default=list)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    source_path: Mapped[str] = mapped_column(String(300), default="")
    source_line: Mapped[int] = mapped_column(Integer, default=0)
    # False once the question disappeared from content: its history stays valid.
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    # A blank of a passage-with-blanks (穴埋め): the passage id, its text and the blank's label.
    # The stem already holds the passage and the blank's prompt, so every reader shows it whole;
    # these let exports and exams print a passage once and keep its blanks together.
    passage_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    passage_md: Mapped[str | None] = mapped_column(Text, nullable=True)
    blank_label: Mapped[str | None] = mapped_column(String(8), nullable=True)
    choices: Mapped[list[Choice]] = relationship(
        back_populates="question", order_by="Choice.position", cascade="all, delete-orphan"
    )


class Choice(Base):
    """A choice of a question; `position` (written order) is its stable key across every
    presentation order, so answers stored by it stay valid."""

    __tablename__ = "choices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question_id: Mapped[str] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    # The written position (0-based) is the choice's stable key: answers are stored by it and
    # choices are shown in an order drawn per presentation.
    position: Mapped[int] = mapped_column(Integer)
    text_md: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(Boolean)
    # Stays last in every presentation (「いずれも当てはまらない」-style choices).
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    question: Mapped[Question] = relationship(back_populates="choices")


class ProblemFamily(Base):
    """A generated-problem family from problems/ (its spec is kept as JSON)."""

    __tablename__ = "problem_families"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    section_id: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(200))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Learner(Base):
    """A learner by name (`Bank.learner_id` creates one on first use); a study group member's
    learner is always named after their PostgreSQL role."""

    __tablename__ = "learners"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # In a study group: shown on the shared exams' leaderboard (opt-in).
    share_score: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Attempt(Base):
    """One answer, committed the moment it is given.

    `item_kind` is "question" or "family"; `item_id` the stable question or family id.
    Section and topic are copied in so stats survive content edits that move a question.
    """

    __tablename__ = "attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"), index=True)
    item_kind: Mapped[str] = mapped_column(String(16), default="question")
    item_id: Mapped[str] = mapped_column(String(100))
    section_id: Mapped[str] = mapped_column(String(16))
    topic_slug: Mapped[str | None] = mapped_column(String(100), nullable=True)
    correct: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    # Choice answers: the chosen keys (1-based written positions), whatever order was shown.
    answer: Mapped[str] = mapped_column(Text, default="")
    # The keys (0-based written positions) in the order the learner saw them; None for attempts
    # from before choices were shuffled (shown in written order) and for free-form answers.
    choice_order: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    elapsed_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    mode: Mapped[str] = mapped_column(String(16), default="quiz")
    exam_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    __table_args__ = (
        Index("ix_attempts_learner_item", "learner_id", "item_kind", "item_id"),
        Index("ix_attempts_learner_section", "learner_id", "section_id"),
    )


class AttemptDay(Base):
    """Attempts and right answers per learner, item kind, section, topic and day.

    A rollup kept in step with `attempts` (same transaction) so stats over 100,000 attempts
    read a few thousand rows instead of grouping the whole history every time.
    """

    __tablename__ = "attempt_days"
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"), primary_key=True)
    item_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    section_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    topic_slug: Mapped[str] = mapped_column(String(100), primary_key=True)  # "" when none
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD (UTC)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)


class LastResult(Base):
    """The latest attempt at each item per learner, kept in step with `attempts`.

    The wrong and new drills need "was the last answer right?" for every item; reading it
    here costs one row per item instead of grouping the whole history on every start.
    """

    __tablename__ = "last_results"
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"), primary_key=True)
    item_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    attempt_id: Mapped[int] = mapped_column(Integer)
    correct: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime)


class ReviewCard(Base):
    """FSRS card state of one item for one learner (JSON from fsrs.Card.to_dict)."""

    __tablename__ = "review_cards"
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"), primary_key=True)
    item_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    card: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    due: Mapped[datetime] = mapped_column(DateTime, index=True)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)


class Exam(Base):
    """A practice exam; its items and answers are saved as they change so it can resume."""

    __tablename__ = "exams"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"), index=True)
    seed: Mapped[int] = mapped_column(Integer)
    n_questions: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    remaining_s: Mapped[float] = mapped_column(Float)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    items: Mapped[list[Any]] = mapped_column(JSON, default=list)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # A sitting of a study group's shared exam (GroupExam.id), else None.
    group_exam_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class GroupExam(Base):
    """A mock exam a study group's organiser published: the same exam for every member."""

    __tablename__ = "group_exams"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    seed: Mapped[int] = mapped_column(Integer)
    n_questions: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    opens_at: Mapped[datetime] = mapped_column(DateTime)
    closes_at: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
