"""The bank's API for the study layer, the CLI and the TUI.

Callers get plain frozen dataclasses, never ORM rows, so nothing outside this package holds a
session. Each method is one unit of work with its own session; every write commits at once.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from gquiz.bank import build as builder
from gquiz.bank.db import make_engine, make_sessionmaker
from gquiz.bank.models import Attempt, Learner, ProblemFamily, Question, Section, Topic, utcnow


@dataclass(frozen=True)
class ChoiceView:
    text: str
    correct: bool


@dataclass(frozen=True)
class QuestionView:
    id: str
    topic_slug: str
    section_id: str
    stem: str
    choices: tuple[ChoiceView, ...]
    explanation: str
    difficulty: int
    keywords: tuple[str, ...]

    @property
    def n_correct(self) -> int:
        return sum(c.correct for c in self.choices)

    @property
    def correct_positions(self) -> frozenset[int]:
        return frozenset(i for i, c in enumerate(self.choices) if c.correct)


@dataclass(frozen=True)
class TopicView:
    slug: str
    section_id: str
    title: str
    note: str
    keywords: tuple[str, ...]
    drills: tuple[str, ...]
    n_questions: int
    attempts: int = 0
    correct: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.attempts if self.attempts else None


@dataclass(frozen=True)
class SectionView:
    id: str
    major: int
    minor: int
    major_title: str
    title: str
    topics: tuple[TopicView, ...]

    @property
    def n_questions(self) -> int:
        return sum(t.n_questions for t in self.topics)

    @property
    def attempts(self) -> int:
        return sum(t.attempts for t in self.topics)

    @property
    def correct(self) -> int:
        return sum(t.correct for t in self.topics)


@dataclass(frozen=True)
class MajorView:
    major: int
    title: str
    sections: tuple[SectionView, ...]

    @property
    def id(self) -> str:
        return f"S{self.major}"

    @property
    def n_questions(self) -> int:
        return sum(s.n_questions for s in self.sections)

    @property
    def attempts(self) -> int:
        return sum(s.attempts for s in self.sections)

    @property
    def correct(self) -> int:
        return sum(s.correct for s in self.sections)

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.attempts if self.attempts else None


@dataclass(frozen=True)
class AttemptRecord:
    """What the study layer hands the bank when an answer is given."""

    item_id: str
    section_id: str
    correct: bool
    answer: str
    item_kind: str = "question"
    topic_slug: str | None = None
    score: float | None = None
    elapsed_ms: int | None = None
    mode: str = "quiz"
    exam_id: int | None = None
    at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Bank:
    """The question bank and the learner's history behind one SQLAlchemy URL."""

    def __init__(self, url: str, sources: builder.Sources):
        self.url = url
        self.sources = sources
        self.engine: Engine = make_engine(url)
        self.sessions: sessionmaker[Session] = make_sessionmaker(self.engine)

    # -- building ---------------------------------------------------------------------------
    def needs_build(self) -> bool:
        return builder.needs_build(self.sessions, self.sources)

    def build(self, progress: builder.Progress | None = None) -> int:
        return builder.build(self.sessions, self.sources, progress)

    def ensure_built(self, progress: builder.Progress | None = None) -> bool:
        """Build if the content changed since the last build; True when it built."""
        if not self.needs_build():
            return False
        self.build(progress)
        return True

    # -- learners ---------------------------------------------------------------------------
    def learner_id(self, name: str) -> int:
        with self.sessions() as session:
            found = session.scalar(select(Learner.id).where(Learner.name == name))
            if found is not None:
                return found
            learner = Learner(name=name)
            session.add(learner)
            try:
                session.commit()
            except IntegrityError:  # another process created it first
                session.rollback()
                return session.scalar(select(Learner.id).where(Learner.name == name))  # type: ignore[return-value]
            return learner.id

    # -- reading content --------------------------------------------------------------------
    def overview(self, learner_id: int | None = None) -> list[MajorView]:
        """The ten 大項目 with their 中項目 and topics, question counts and the learner's accuracy."""
        with self.sessions() as session:
            sections = session.scalars(select(Section).order_by(Section.major, Section.minor)).all()
            topics = session.scalars(
                select(Topic).where(Topic.active).order_by(Topic.sort_order)
            ).all()
            counts = dict(
                session.execute(
                    select(Question.topic_slug, func.count())
                    .where(Question.active)
                    .group_by(Question.topic_slug)
                ).all()
            )
            per_topic: dict[str, tuple[int, int]] = {}
            if learner_id is not None:
                rows = session.execute(
                    select(
                        Attempt.topic_slug,
                        func.count(),
                        func.sum(case((Attempt.correct, 1), else_=0)),
                    )
                    .where(Attempt.learner_id == learner_id, Attempt.item_kind == "question")
                    .group_by(Attempt.topic_slug)
                ).all()
                per_topic = {slug: (n, int(c or 0)) for slug, n, c in rows if slug}
        by_section: dict[str, list[TopicView]] = defaultdict(list)
        for t in topics:
            n, c = per_topic.get(t.slug, (0, 0))
            by_section[t.section_id].append(
                TopicView(
                    t.slug,
                    t.section_id,
                    t.title,
                    "",
                    tuple(t.keywords),
                    tuple(t.drills),
                    counts.get(t.slug, 0),
                    n,
                    c,
                )
            )
        majors: dict[int, list[SectionView]] = defaultdict(list)
        titles: dict[int, str] = {}
        for s in sections:
            titles[s.major] = s.major_title
            majors[s.major].append(
                SectionView(
                    s.id, s.major, s.minor, s.major_title, s.title, tuple(by_section.get(s.id, ()))
                )
            )
        return [MajorView(m, titles[m], tuple(secs)) for m, secs in sorted(majors.items())]

    def topic(self, slug: str) -> TopicView | None:
        with self.sessions() as session:
            t = session.get(Topic, slug)
            if t is None:
                return None
            n = (
                session.scalar(
                    select(func.count()).where(Question.topic_slug == slug, Question.active)
                )
                or 0
            )
            return TopicView(
                t.slug, t.section_id, t.title, t.note_md, tuple(t.keywords), tuple(t.drills), n
            )

    def section_title(self, section_id: str) -> str:
        with self.sessions() as session:
            s = session.get(Section, section_id)
            return f"{s.id} {s.title}" if s else section_id

    def questions(
        self,
        *,
        topic: str | None = None,
        section: str | None = None,
        ids: Sequence[str] | None = None,
        include_inactive: bool = False,
    ) -> list[QuestionView]:
        """Questions filtered by topic slug, by section id (`S5.2`, or a 大項目 `S5`), or by ids."""
        stmt = (
            select(Question).options(selectinload(Question.choices)).order_by(Question.sort_order)
        )
        if not include_inactive:
            stmt = stmt.where(Question.active)
        if topic:
            stmt = stmt.where(Question.topic_slug == topic)
        if section:
            if "." in section:
                stmt = stmt.where(Question.section_id == section)
            else:
                stmt = stmt.where(Question.section_id.like(f"{section}.%"))
        if ids is not None:
            stmt = stmt.where(Question.id.in_(list(ids)))
        with self.sessions() as session:
            rows = session.scalars(stmt).all()
            views = [_question_view(q) for q in rows]
        if ids is not None:
            order = {qid: i for i, qid in enumerate(ids)}
            views.sort(key=lambda v: order.get(v.id, len(order)))
        return views

    def pick_questions(
        self,
        *,
        topic: str | None = None,
        section: str | None = None,
        count: int | None = None,
        seed: int | None = None,
    ) -> list[QuestionView]:
        """A shuffled selection for a quiz: same seed, same questions in the same order."""
        pool = self.questions(topic=topic, section=section)
        random.Random(seed).shuffle(pool)
        return pool[:count] if count else pool

    def families(self) -> list[dict[str, Any]]:
        with self.sessions() as session:
            return [
                dict(f.spec)
                for f in session.scalars(select(ProblemFamily).where(ProblemFamily.active))
            ]

    # -- writing history --------------------------------------------------------------------
    def record_attempt(self, learner_id: int, rec: AttemptRecord) -> int:
        """Commit one answer immediately; returns the attempt id."""
        with self.sessions() as session:
            attempt = Attempt(
                learner_id=learner_id,
                item_kind=rec.item_kind,
                item_id=rec.item_id,
                section_id=rec.section_id,
                topic_slug=rec.topic_slug,
                correct=rec.correct,
                score=rec.score if rec.score is not None else float(rec.correct),
                answer=rec.answer,
                elapsed_ms=rec.elapsed_ms,
                mode=rec.mode,
                exam_id=rec.exam_id,
                created_at=rec.at or utcnow(),
            )
            session.add(attempt)
            session.commit()
            return attempt.id

    def attempt_rows(
        self, learner_id: int
    ) -> list[tuple[str, str, str, str | None, bool, datetime, int | None]]:
        """(item_kind, item_id, section_id, topic_slug, correct, created_at, elapsed_ms), oldest first."""
        with self.sessions() as session:
            rows = session.execute(
                select(
                    Attempt.item_kind,
                    Attempt.item_id,
                    Attempt.section_id,
                    Attempt.topic_slug,
                    Attempt.correct,
                    Attempt.created_at,
                    Attempt.elapsed_ms,
                )
                .where(Attempt.learner_id == learner_id)
                .order_by(Attempt.created_at, Attempt.id)
            ).all()
            return [tuple(r) for r in rows]  # type: ignore[misc]

    # -- export -----------------------------------------------------------------------------
    def export(self) -> dict[str, Any]:
        """Everything a learner reads, as JSON-able data (for `gquiz bank export --json`)."""
        with self.sessions() as session:
            sections = session.scalars(select(Section).order_by(Section.major, Section.minor)).all()
            topics = session.scalars(
                select(Topic).where(Topic.active).order_by(Topic.sort_order)
            ).all()
            questions = session.scalars(
                select(Question)
                .where(Question.active)
                .options(selectinload(Question.choices))
                .order_by(Question.sort_order)
            ).all()
            return {
                "sections": [
                    {
                        "id": s.id,
                        "major": s.major,
                        "major_title": s.major_title,
                        "title": s.title,
                        "keywords": s.keywords,
                    }
                    for s in sections
                ],
                "topics": [
                    {
                        "slug": t.slug,
                        "section": t.section_id,
                        "title": t.title,
                        "keywords": t.keywords,
                        "drills": t.drills,
                        "note": t.note_md,
                    }
                    for t in topics
                ],
                "questions": [
                    {
                        "id": q.id,
                        "topic": q.topic_slug,
                        "section": q.section_id,
                        "difficulty": q.difficulty,
                        "keywords": q.keywords,
                        "stem": q.stem_md,
                        "choices": [{"text": c.text_md, "correct": c.correct} for c in q.choices],
                        "explanation": q.explanation_md,
                    }
                    for q in questions
                ],
            }

    def close(self) -> None:
        self.engine.dispose()


def _question_view(q: Question) -> QuestionView:
    return QuestionView(
        id=q.id,
        topic_slug=q.topic_slug,
        section_id=q.section_id,
        stem=q.stem_md,
        choices=tuple(ChoiceView(c.text_md, c.correct) for c in q.choices),
        explanation=q.explanation_md,
        difficulty=q.difficulty,
        keywords=tuple(q.keywords),
    )
