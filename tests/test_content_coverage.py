"""The shipped content covers the whole syllabus: every keyword explained and tested twice."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gquiz.bank.build import Sources, check
from gquiz.bank.coverage import coverage_gaps
from gquiz.locations import content_dir, problems_dir

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "syllabus" / "keywords.tsv"


@pytest.fixture(scope="module")
def parsed():
    sources = Sources(content_dir(), problems_dir())
    result = check(sources)
    return sources, result


def test_every_keyword_has_a_note_and_two_questions(parsed) -> None:
    sources, result = parsed
    assert coverage_gaps(result.topics, sources.syllabus()) == []


def test_question_counts_per_issue_scope(parsed) -> None:
    _sources, result = parsed
    per_major: Counter[int] = Counter()
    for t in result.topics:
        per_major[int(t.section_id[1:].split(".")[0])] += len(t.questions)
    assert sum(per_major[m] for m in (1, 2, 3, 4, 7, 8, 9, 10)) >= 350
    assert per_major[5] + per_major[6] >= 300
    assert all(per_major[m] >= 10 for m in range(1, 11))


def test_every_section_has_a_note_and_eight_questions(parsed) -> None:
    sources, result = parsed
    per_section: Counter[str] = Counter()
    noted: set[str] = set()
    for t in result.topics:
        per_section[t.section_id] += len(t.questions)
        if t.note.strip():
            noted.add(t.section_id)
    for sec in sources.syllabus().sections:
        assert sec.id in noted, sec.id
        assert per_section[sec.id] >= 8, sec.id


@pytest.mark.skipif(not SHARED.is_file(), reason="shared/ syllabus not beside this checkout")
def test_syllabus_copy_is_up_to_date() -> None:
    assert (REPO / "content" / "syllabus" / "keywords.tsv").read_text(
        encoding="utf-8"
    ) == SHARED.read_text(encoding="utf-8")


# Issue 11 (content III), as far as it has been written: 大項目 7–10 hold at least 15 questions
# per 中項目 and tag every keyword with at least three questions. The other 大項目 are still
# below those numbers (see the issue); extend DONE as they get there.
DONE = ("S7", "S8", "S9", "S10")


def test_finished_majors_have_15_per_section_and_3_per_keyword(parsed) -> None:
    sources, result = parsed
    per_section: Counter[str] = Counter()
    tagged: Counter[str] = Counter()
    for t in result.topics:
        per_section[t.section_id] += len(t.questions)
        for q in t.questions:
            tagged.update(set(q.keywords))
    for sec in sources.syllabus().sections:
        if sec.id.split(".")[0] not in DONE:
            continue
        assert per_section[sec.id] >= 15, sec.id
        thin = [kw for kw in sec.keywords if tagged[kw] < 3]
        assert thin == [], (sec.id, thin)


def test_law_and_ethics_notes_are_dated(parsed) -> None:
    _sources, result = parsed
    for t in result.topics:
        if t.section_id.split(".")[0] in ("S9", "S10"):
            assert t.as_of, t.path
            assert t.sources, t.path
