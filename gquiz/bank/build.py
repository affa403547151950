"""Build the bank from content/ and problems/: validate everything, then write in one transaction.

The bank is rebuilt only when the content hash changes. Content rows are upserted by their
stable ids; rows whose id vanished from content are marked inactive, never deleted, so the
learner's history (attempts, review cards, exams) always points at something.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from gquiz.bank.blueprint import blueprint_path, check_blueprint
from gquiz.bank.content import (
    ChoiceDoc,
    ContentError,
    ParseResult,
    QuestionDoc,
    TopicDoc,
    _display,
    content_files,
    parse_files,
    stray_files,
)
from gquiz.bank.models import SCHEMA_VERSION, Choice, Meta, ProblemFamily, Question, Section, Topic
from gquiz.syllabus import Syllabus, load_syllabus
from gquiz.text.errors import InvalidSources

Progress = Callable[[int, int, str], None]
# Bump when the parser or the build changes what ends up in the bank.
BUILD_VERSION = "3"


class BuildError(InvalidSources):
    """Content failed validation; nothing was written (``errors``: every `path:line` problem)."""


@dataclass(frozen=True)
class Sources:
    """Where the bank is built from: the content folder (topics, syllabus, blueprint) and the
    problems folder (drill families). Both are hashed to decide whether a rebuild is due."""

    content: Path
    problems: Path

    @property
    def syllabus_path(self) -> Path:
        """The content folder's own syllabus/keywords.tsv, or the shipped one when a learner's own
        content folder (GQUIZ_CONTENT) has none."""
        own = self.content / "syllabus" / "keywords.tsv"
        if own.is_file():
            return own
        # A content folder of one's own (GQUIZ_CONTENT) may rely on the shipped syllabus.
        from gquiz.locations import shipped_syllabus

        return shipped_syllabus()

    def syllabus(self) -> Syllabus:
        """The syllabus every section id and keyword is checked against, read afresh on each
        call."""
        return load_syllabus(self.syllabus_path)


def _hashed_files(sources: Sources) -> list[tuple[str, Path]]:
    files = []
    for label, root in (("content", sources.content), ("problems", sources.problems)):
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and path.suffix in (".md", ".tsv", ".yaml", ".yml"):
                    files.append((f"{label}/{path.relative_to(root).as_posix()}", path))
    return files


def content_hash(sources: Sources) -> str:
    """A hash of every content and problem file plus the schema and build versions."""
    digest = hashlib.sha256(f"schema={SCHEMA_VERSION};build={BUILD_VERSION}".encode())
    for name, path in _hashed_files(sources):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def load_family_specs(problems: Path) -> tuple[list[dict[str, Any]], list[ContentError]]:
    """Read and fully validate problems/*.yaml (the one family validator, also used by the
    drill), each family generated once per difficulty, so nothing that passes `bank check`
    crashes the app later. Solvers are looked up by registry name only, never imported."""
    from gquiz.problems.spec import check_family_file

    specs: list[dict[str, Any]] = []
    errors: list[ContentError] = []
    if not problems.is_dir():
        return specs, errors
    for path in sorted(problems.glob("*.y*ml")):
        fam, errs = check_family_file(path)
        errors.extend(errs)
        if fam is not None and not errs:
            specs.append(dict(fam.spec))
    return specs, errors


def _no_content_error(root: Path) -> ContentError:
    where = _display(root, None)
    if not root.exists():
        message = "コンテンツのフォルダがありません (GQUIZ_CONTENT を確かめてください)"
    elif not root.is_dir():
        message = "コンテンツのフォルダではありません (GQUIZ_CONTENT を確かめてください)"
    else:
        message = "トピックのファイル (*.md) が1つもありません (GQUIZ_CONTENT を確かめてください)"
    return ContentError(where, 0, message)


def check(sources: Sources, paths: list[Path] | None = None) -> ParseResult:
    """Validate content (all of it, or the given files/folders) without touching any database."""
    syllabus = sources.syllabus()
    specs, family_errors = load_family_specs(sources.problems)
    # With no family files at all there is nothing to check drill links against.
    families = {s["id"] for s in specs} if specs else None
    files: list[Path] = []
    for root in paths or [sources.content]:
        files.extend(content_files(root))
    if paths is None and not files:
        # A mistyped GQUIZ_CONTENT must fail the build, not mark every question inactive.
        return ParseResult([], [_no_content_error(sources.content), *stray_files(sources.content)])
    result = parse_files(files, syllabus, families)
    for root in paths or [sources.content]:
        result.errors.extend(stray_files(root))
    for spec in specs:
        if spec["section"] not in syllabus.by_id():
            family_errors.append(
                ContentError(
                    f"problems/{spec['id']}.yaml", 1, f"不明な section id: {spec['section']}"
                )
            )
    result.errors.extend(family_errors)
    if paths is None:  # the blueprint belongs to the whole content folder, not to a file
        bp_path = blueprint_path(sources.content)
        _, blueprint_errors = check_blueprint(bp_path, syllabus, _display(bp_path, None))
        result.errors.extend(blueprint_errors)
    return result


def stored_hash(session: Session) -> str | None:
    """The content hash the last build stored; None for a database never built. Compared with
    `content_hash` to decide a rebuild and to key the bank's cache of questions."""
    row = session.get(Meta, "content_hash")
    return row.value if row else None


def needs_build(sessions: sessionmaker[Session], sources: Sources) -> bool:
    """True when the files' hash differs from the stored one. Hashes every content and problem file,
    so callers ask once per start, not per screen."""
    with sessions() as session:
        return stored_hash(session) != content_hash(sources)


def _lock(session: Session) -> None:
    """Serialise bank builds: several processes starting at once on an empty database.

    SQLite: the session's engine begins IMMEDIATE (db.write_engine), which already holds the
    write lock. PostgreSQL: a transaction-scoped advisory lock, released at commit.
    """
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        from gquiz.bank.db import PG_LOCK_KEY

        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK_KEY})


def build(
    sessions: sessionmaker[Session],
    sources: Sources,
    progress: Progress | None = None,
    *,
    only_if_stale: bool = False,
) -> int:
    """Validate and write the bank; returns the number of active questions. Raises BuildError.

    `sessions` must begin write transactions (Bank.writes). The build holds the write lock
    from its first statement to its commit; with `only_if_stale`, a process that waited for
    another one's build finds the content hash already stored and writes nothing.
    Rows are loaded up front (choices eagerly) and changed in place, so an unchanged
    question costs no statement at all.
    """
    report = progress or (lambda done, total, what: None)
    report(0, 1, "検証中")
    digest = content_hash(sources)
    result = check(sources)
    if result.errors:
        raise BuildError(result.errors)
    syllabus = sources.syllabus()
    specs, _ = load_family_specs(sources.problems)
    total = len(result.topics) + 2
    count = sum(len(t.questions) for t in result.topics)
    with sessions() as session, session.begin():
        _lock(session)
        if only_if_stale and stored_hash(session) == digest:
            report(total, total, "完了")
            return count
        # Everything into the identity map at once: merge() and lookups then need no SELECT.
        # The identity map holds rows weakly, so `loaded` keeps them alive until the commit.
        loaded = [
            *session.scalars(select(Section)),
            *session.scalars(select(Topic)),
            *session.scalars(select(ProblemFamily)),
        ]
        existing = {
            q.id: q
            for q in session.scalars(select(Question).options(selectinload(Question.choices)))
        }
        _write_sections(session, syllabus)
        report(1, total, "中項目")
        topics = sorted(
            result.topics,
            key=lambda t: (t.section_id, t.order if t.order is not None else 0, t.title),
        )
        _retire_removed(loaded, existing, topics)
        for n, doc in enumerate(topics):
            _write_topic(session, existing, n, doc)
            report(n + 2, total, doc.title)
        _write_families(session, loaded, specs)
        from gquiz.bank import search

        session.flush()
        search.rebuild(
            session.connection(),
            search.documents(result.topics, syllabus),
            search.synonyms_from(t.note for t in result.topics),
        )
        session.merge(Meta(key="content_hash", value=digest))
        report(total, total, "完了")
    return count


def _write_sections(session: Session, syllabus: Syllabus) -> None:
    for sec in syllabus.sections:
        session.merge(
            Section(
                id=sec.id,
                major=sec.major,
                minor=sec.minor,
                major_title=sec.major_title,
                title=sec.title,
                keywords=list(sec.keywords),
            )
        )


def _retire_removed(
    loaded: list[Any], existing: dict[str, Question], topics: list[TopicDoc]
) -> None:
    """Topics and questions no longer in the content stay (attempts point at them), inactive."""
    live_topics = {doc.slug for doc in topics}
    live_questions = {qdoc.id for doc in topics for qdoc in doc.questions}
    for topic in loaded:
        if isinstance(topic, Topic) and topic.slug not in live_topics:
            topic.active = False
    for qid, q in existing.items():
        if qid not in live_questions:
            q.active = False


def _write_topic(session: Session, existing: dict[str, Question], n: int, doc: TopicDoc) -> None:
    """The ``n``-th topic and its questions, changed in place where they exist."""
    session.merge(
        Topic(
            slug=doc.slug,
            section_id=doc.section_id,
            title=doc.title,
            note_md=doc.note,
            keywords=doc.keywords,
            drills=doc.drills,
            sort_order=n,
            source_path=doc.path,
            active=True,
            as_of=doc.as_of,
            sources=doc.sources or None,
        )
    )
    for pos, qdoc in enumerate(doc.questions):
        q = existing.get(qdoc.id)
        if q is None:
            q = Question(id=qdoc.id, choices=[])
            session.add(q)
        _set_question(q, doc, qdoc, n * 1000 + pos)


def _set_question(q: Question, doc: TopicDoc, qdoc: QuestionDoc, sort_order: int) -> None:
    q.topic_slug = doc.slug
    q.section_id = doc.section_id
    q.stem_md = qdoc.stem
    q.explanation_md = qdoc.explanation
    q.difficulty = qdoc.difficulty
    q.n_correct = qdoc.n_correct
    q.keywords = qdoc.keywords
    q.sort_order = sort_order
    q.source_path = doc.path
    q.source_line = qdoc.line
    q.active = True
    ref = qdoc.passage
    q.passage_id = ref.id if ref else None
    q.passage_md = ref.text if ref else None
    q.blank_label = ref.label if ref else None
    _set_choices(q, qdoc.choices)


def _write_families(session: Session, loaded: list[Any], specs: list[dict[str, Any]]) -> None:
    """The problem families; one whose file is gone stays, inactive."""
    live_families = {spec["id"] for spec in specs}
    for fam in loaded:
        if isinstance(fam, ProblemFamily) and fam.id not in live_families:
            fam.active = False
    for spec in specs:
        session.merge(
            ProblemFamily(
                id=spec["id"],
                section_id=spec["section"],
                title=spec["title"],
                spec=spec,
                active=True,
            )
        )


def _set_choices(q: Question, choices: list[ChoiceDoc]) -> None:
    """Update the question's choices in place by position (no statement when unchanged)."""
    rows = list(q.choices)
    for i, c in enumerate(choices):
        if i < len(rows):
            row = rows[i]
            if row.position != i:
                row.position = i
            if row.text_md != c.text:
                row.text_md = c.text
            if row.correct != c.correct:
                row.correct = c.correct
            if row.pinned != c.pinned:
                row.pinned = c.pinned
        else:
            q.choices.append(Choice(position=i, text_md=c.text, correct=c.correct, pinned=c.pinned))
    for row in rows[len(choices) :]:
        q.choices.remove(row)
