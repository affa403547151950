"""Which syllabus keywords the content explains in a note and tests with questions.

The numbers are the bank's promise to a learner who studies with gquiz alone (issue 11): every
中項目 holds enough questions to practise it, and every keyword is tested from at least three
angles. A tag counts only when the term also appears in the question itself, so a tag added to
pad the count does not hide a gap (a passage's blank shows the passage without its answers, so
it does not count for the terms of the other blanks).
"""

from __future__ import annotations

from collections import Counter

from gquiz.bank.content import QuestionDoc, TopicDoc, mentions
from gquiz.syllabus import Syllabus

MIN_QUESTIONS_PER_KEYWORD = 3
MIN_QUESTIONS_PER_SECTION = 15
MIN_QUESTIONS_IN_BANK = 1400


def _selected(section_id: str, wanted: list[str] | None) -> bool:
    if not wanted:
        return True
    return any(section_id == w or section_id.startswith(w + ".") for w in wanted)


def _question_text(q: QuestionDoc) -> str:
    return "\n".join([q.stem, q.explanation, *(c.text for c in q.choices)])


def tested_keywords(topics: list[TopicDoc]) -> Counter[str]:
    """Questions per keyword, counting a tag only where the question names the term."""
    tested: Counter[str] = Counter()
    for t in topics:
        for q in t.questions:
            text = _question_text(q)
            tested.update(kw for kw in set(q.keywords) if mentions(text, kw))
    return tested


def coverage_gaps(
    topics: list[TopicDoc], syllabus: Syllabus, sections: list[str] | None = None
) -> list[str]:
    """One line per gap: a thin 中項目, a keyword no note explains, or one tested too rarely."""
    tested = tested_keywords(topics)
    gaps: list[str] = []
    if not sections:
        total = sum(len(t.questions) for t in topics)
        if total < MIN_QUESTIONS_IN_BANK:
            gaps.append(
                f"問題バンク全体: 問題が {total} 問しかありません ({MIN_QUESTIONS_IN_BANK}問以上)"
            )
    for sec in syllabus.sections:
        if not _selected(sec.id, sections):
            continue
        major_notes = [t.note for t in topics if t.section_id.split(".")[0] == sec.id.split(".")[0]]
        n_questions = sum(len(t.questions) for t in topics if t.section_id == sec.id)
        if n_questions < MIN_QUESTIONS_PER_SECTION:
            gaps.append(
                f"{sec.id} {sec.title}: 問題が {n_questions} 問しかありません"
                f" ({MIN_QUESTIONS_PER_SECTION}問以上)"
            )
        for kw in sec.keywords:
            if not any(mentions(note, kw) for note in major_notes):
                gaps.append(f"{sec.id} {kw}: どのノートにも説明がありません")
            if tested[kw] < MIN_QUESTIONS_PER_KEYWORD:
                gaps.append(
                    f"{sec.id} {kw}: この語を問う問題が {tested[kw]} 問しかありません"
                    f" ({MIN_QUESTIONS_PER_KEYWORD}問以上)"
                )
    return gaps
