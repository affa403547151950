"""The shipped content covers the whole syllabus: every keyword explained and tested three times."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gquiz.bank.build import Sources, check
from gquiz.bank.coverage import coverage_gaps
from gquiz.bank.coverage import tested_keywords as questions_naming
from gquiz.locations import content_dir, problems_dir

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "syllabus" / "keywords.tsv"


@pytest.fixture(scope="module")
def parsed():
    sources = Sources(content_dir(), problems_dir())
    result = check(sources)
    return sources, result


def test_coverage_reports_no_gap(parsed) -> None:
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


def test_every_section_has_a_note(parsed) -> None:
    sources, result = parsed
    per_section: Counter[str] = Counter()
    noted: set[str] = set()
    for t in result.topics:
        per_section[t.section_id] += len(t.questions)
        if t.note.strip():
            noted.add(t.section_id)
    for sec in sources.syllabus().sections:
        assert sec.id in noted, sec.id


@pytest.mark.skipif(not SHARED.is_file(), reason="shared/ syllabus not beside this checkout")
def test_syllabus_copy_is_up_to_date() -> None:
    assert (REPO / "content" / "syllabus" / "keywords.tsv").read_text(
        encoding="utf-8"
    ) == SHARED.read_text(encoding="utf-8")


# Issue 11 (content III): the whole bank holds at least 1,400 questions, at least 15 per 中項目,
# and tests every keyword with at least three questions that name it. coverage_gaps (above)
# enforces these numbers; the tests below state them on their own so a change of the constants
# in gquiz.bank.coverage cannot loosen them unnoticed.


def test_bank_reaches_1400_questions_and_15_per_section(parsed) -> None:
    sources, result = parsed
    per_section: Counter[str] = Counter()
    for t in result.topics:
        per_section[t.section_id] += len(t.questions)
    assert sum(per_section.values()) >= 1400
    thin = {s.id: per_section[s.id] for s in sources.syllabus().sections if per_section[s.id] < 15}
    assert thin == {}


def test_every_keyword_is_asked_by_three_questions_that_name_it(parsed) -> None:
    sources, result = parsed
    tested = questions_naming(result.topics)
    thin = {
        kw: tested[kw]
        for sec in sources.syllabus().sections
        for kw in sec.keywords
        if tested[kw] < 3
    }
    assert thin == {}


def test_a_padded_tag_does_not_count(tmp_path: Path) -> None:
    """A keyword tagged on a question that never names it is still a gap."""
    from tests.helpers import write_content

    root = write_content(tmp_path / "content", per_topic=15, topics=[("S1.1", "st-def")])
    path = root / "s01" / "st-def.md"
    text = path.read_text(encoding="utf-8").replace(
        "difficulty: 2\n", "difficulty: 2\nkeywords: AI効果\n"
    )
    path.write_text(text.replace("ノート。", "ノート。AI効果の説明。"), encoding="utf-8")
    sources = Sources(root, problems_dir())
    result = check(sources)
    assert sum("AI効果" in q.keywords for t in result.topics for q in t.questions) >= 3
    assert questions_naming(result.topics)["AI効果"] == 0
    gaps = coverage_gaps(result.topics, sources.syllabus(), ["S1.1"])
    assert "S1.1 AI効果: この語を問う問題が 0 問しかありません (3問以上)" in gaps
    assert not any("AI効果: どのノート" in g for g in gaps)


def test_law_and_ethics_notes_are_dated(parsed) -> None:
    _sources, result = parsed
    for t in result.topics:
        if t.section_id.split(".")[0] in ("S9", "S10"):
            assert t.as_of, t.path
            assert t.sources, t.path
