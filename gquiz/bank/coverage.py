"""Which syllabus keywords the content explains in a note and tests with questions."""

from __future__ import annotations

from collections import Counter

from gquiz.bank.content import TopicDoc, mentions
from gquiz.syllabus import Syllabus

MIN_QUESTIONS_PER_KEYWORD = 2


def _selected(section_id: str, wanted: list[str] | None) -> bool:
    if not wanted:
        return True
    return any(section_id == w or section_id.startswith(w + ".") for w in wanted)


def coverage_gaps(
    topics: list[TopicDoc], syllabus: Syllabus, sections: list[str] | None = None
) -> list[str]:
    """One line per gap: a keyword no note of its 大項目 explains, or tagged by fewer than two questions."""
    tagged: Counter[str] = Counter()
    for t in topics:
        for q in t.questions:
            for kw in set(q.keywords):
                tagged[kw] += 1
    gaps: list[str] = []
    for sec in syllabus.sections:
        if not _selected(sec.id, sections):
            continue
        major_notes = [t.note for t in topics if t.section_id.split(".")[0] == sec.id.split(".")[0]]
        n_questions = sum(len(t.questions) for t in topics if t.section_id == sec.id)
        if n_questions < 8:
            gaps.append(f"{sec.id} {sec.title}: 問題が {n_questions} 問しかありません (8問以上)")
        for kw in sec.keywords:
            if not any(mentions(note, kw) for note in major_notes):
                gaps.append(f"{sec.id} {kw}: どのノートにも説明がありません")
            if tagged[kw] < MIN_QUESTIONS_PER_KEYWORD:
                gaps.append(
                    f"{sec.id} {kw}: タグ付きの問題が {tagged[kw]} 問しかありません (2問以上)"
                )
    return gaps
