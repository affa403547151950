"""A passage's blanks are asked one after another in label order (ア, イ, ウ, エ, オ), in quizzes,
drills and exams alike: not apart, and not in the alphabetical order of the ids' suffixes
(a, e, i, o, u), which would ask （エ） before （イ） and let the 解説 of one blank give away
a blank still to come."""

from __future__ import annotations

import random
from dataclasses import replace

from gquiz.config import Settings
from gquiz.study.exam import _passages_together
from gquiz.study.passages import blank_rank, together
from gquiz.study.quiz import QuizSession

SUFFIXES = ["a", "i", "u", "e", "o"]


def test_blank_rank_follows_the_labels_not_the_alphabet() -> None:
    ids = [f"t-p01-{s}" for s in ["ka", "o", "e", "u", "i", "a"]]
    assert sorted(ids, key=blank_rank) == [f"t-p01-{s}" for s in ["a", "i", "u", "e", "o", "ka"]]


def test_together_keeps_other_items_in_place() -> None:
    items = ["q1", "p-e", "q2", "p-a", "q3", "p-i"]
    got = together(items, lambda x: "p" if x.startswith("p-") else None, lambda x: x)
    assert got == ["q1", "p-a", "p-i", "p-e", "q2", "q3"]


def test_an_exam_orders_five_blanks_by_label() -> None:
    items = [{"kind": "question", "id": f"t-p01-{s}"} for s in SUFFIXES]
    items += [{"kind": "question", "id": "t-01"}, {"kind": "problem", "family": "f"}]
    random.Random(4).shuffle(items)
    passage_of = {f"t-p01-{s}": "t-p01" for s in SUFFIXES}
    got = [it.get("id") for it in _passages_together(items, passage_of)]
    blanks = [i for i in got if i and i.startswith("t-p01-")]
    assert blanks == [f"t-p01-{s}" for s in SUFFIXES]
    first = got.index("t-p01-a")
    assert got[first : first + 5] == blanks


def test_a_quiz_asks_a_passage_in_label_order_wherever_it_was_drawn(settings: Settings) -> None:
    bank = settings.open_bank()
    bank.ensure_built()
    try:
        plain = bank.questions()[:3]
        blanks = [
            replace(plain[0], id=f"t-p01-{s}", passage_id="t-p01", blank_label=label)
            for s, label in zip(SUFFIXES, "アイウエオ", strict=True)
        ]
        for seed in range(5):
            drawn = plain + blanks
            random.Random(seed).shuffle(drawn)
            session = QuizSession(bank, bank.learner_id("tester"), drawn, seed=seed)
            ids = [q.id for q in session.questions]
            first = ids.index("t-p01-a")
            assert ids[first : first + 5] == [f"t-p01-{s}" for s in SUFFIXES]
            assert sorted(ids) == sorted(q.id for q in drawn)
    finally:
        bank.close()
