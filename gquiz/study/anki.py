"""Anki export: gquiz's questions and drill formulas as an .apkg deck (genanki).

Learners coming from Anki keep their reviews there. Every note has a stable guid derived from
gquiz's stable ids, and the note types and deck have fixed ids, so exporting again updates
the cards already imported instead of adding duplicates. Tags carry the syllabus section
(`gquiz::S5.2`) so a learner can filter by 中項目 inside Anki.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from gquiz.bank.repo import Bank, QuestionView

if TYPE_CHECKING:
    import genanki

DECK_ID = 1_723_550_101
CHOICE_MODEL_ID = 1_723_550_102
FORMULA_MODEL_ID = 1_723_550_103
CSS = ".card { font-family: sans-serif; font-size: 18px; text-align: left; } ol { padding-left: 1.4em; }"


def _md(text: str) -> str:
    from markdown_it import MarkdownIt

    html_text: str = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    return html_text


def _models() -> tuple[genanki.Model, genanki.Model]:
    import genanki

    choice = genanki.Model(
        CHOICE_MODEL_ID,
        "gquiz 多肢選択",
        fields=[{"name": n} for n in ("Id", "Stem", "Choices", "Answer", "Explanation", "Section")],
        templates=[
            {
                "name": "問題",
                "qfmt": "{{Stem}}{{Choices}}",
                "afmt": "{{FrontSide}}<hr id=answer><b>正解: {{Answer}}</b>{{Explanation}}",
            }
        ],
        css=CSS,
    )
    formula = genanki.Model(
        FORMULA_MODEL_ID,
        "gquiz 計算ドリル",
        fields=[{"name": n} for n in ("Id", "Statement", "Answer", "Steps", "Section")],
        templates=[
            {
                "name": "計算",
                "qfmt": "{{Statement}}",
                "afmt": "{{FrontSide}}<hr id=answer><b>答え: {{Answer}}</b>{{Steps}}",
            }
        ],
        css=CSS,
    )
    return choice, formula


def _tags(section_id: str) -> list[str]:
    return ["gquiz", f"gquiz::{section_id.split('.')[0]}", f"gquiz::{section_id}"]


def choice_fields(q: QuestionView) -> list[str]:
    """Choices in written order: Anki shows a card many times, in the same order each time, so
    the answer is given by its text, never by a number a learner could learn instead."""
    choices = "<ol>" + "".join(f"<li>{html.escape(c.text)}</li>" for c in q.choices) + "</ol>"
    answer = html.escape(" / ".join(c.text for c in q.choices if c.correct))
    return [q.id, _md(q.stem), choices, answer, _md(q.explanation), q.section_id]


def select_questions(
    bank: Bank, learner_id: int, weak: bool, sections: list[str] | None
) -> tuple[list[QuestionView], list[str]]:
    """The questions and drill families of the chosen topics."""
    from gquiz.study.stats import learner_stats

    if weak:
        slugs = {t.slug for t in learner_stats(bank, learner_id).weakest_topics}
    else:
        slugs = {
            t.slug
            for m in bank.overview()
            for s in m.sections
            for t in s.topics
            if not sections or any(s.id == w or s.id.startswith(w + ".") for w in sections)
        }
    questions = [q for q in bank.questions() if q.topic_slug in slugs]
    families = sorted(
        {
            d
            for m in bank.overview()
            for s in m.sections
            for t in s.topics
            if t.slug in slugs
            for d in t.drills
        }
    )
    return questions, families


def write_deck(
    bank: Bank,
    learner_id: int,
    out: str | Path,
    *,
    weak: bool = False,
    sections: list[str] | None = None,
) -> int:
    """Write the deck; returns the number of notes in it."""
    import genanki

    choice_model, formula_model = _models()
    deck = genanki.Deck(DECK_ID, "gquiz G検定")
    questions, families = select_questions(bank, learner_id, weak, sections)
    for q in questions:
        deck.add_note(
            genanki.Note(
                model=choice_model,
                fields=choice_fields(q),
                guid=genanki.guid_for("gquiz-question", q.id),
                tags=_tags(q.section_id),
            )
        )
    if families:
        from gquiz.problems import generate, load_families
        from gquiz.study.generated import as_question

        specs = load_families(bank.sources.problems)
        for fid in families:
            if fid not in specs:
                continue
            # One worked example per family (difficulty 2, seed 0): the formula and its steps.
            problem = as_question(generate(specs[fid], 2, 0))
            answer = " / ".join(c.text for c in problem.choices if c.correct)
            deck.add_note(
                genanki.Note(
                    model=formula_model,
                    fields=[
                        fid,
                        _md(problem.stem),
                        html.escape(answer),
                        _md(problem.explanation),
                        problem.section_id,
                    ],
                    guid=genanki.guid_for("gquiz-family", fid),
                    tags=_tags(problem.section_id),
                )
            )
    genanki.Package(deck).write_to_file(str(out))
    return len(deck.notes)
