"""The order a question's choices are shown in, drawn for each presentation.

A learner who has seen a question before must not recognise its answer by where it stands, and
the order in which authors happen to write choices must not leak the key (in the first bank,
79 of 97 choose-two keys were written as choices 1 and 3). So every presentation draws its own
order, seeded where the presentation must be reproducible (an exam seed, `--seed`), and records
it with the attempt. Answers are stored by choice key (the written position), never by the
position shown, so grading and history do not depend on the order.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

from gquiz.bank.repo import ChoiceView, QuestionView


def _keyed(question: QuestionView) -> tuple[ChoiceView, ...]:
    # Choices from older callers may carry no key yet: their written order is their key.
    if all(c.key >= 0 for c in question.choices):
        return question.choices
    return tuple(replace(c, key=i) for i, c in enumerate(question.choices))


def order_rng(seed: int | str | None, question_id: str) -> random.Random:
    """The generator of one question's order: fixed by (seed, question id), fresh when unseeded."""
    if seed is None:
        return random.Random()
    return random.Random(f"choices:{seed}:{question_id}")


def present(question: QuestionView, rng: random.Random) -> QuestionView:
    """The question with its choices in an order drawn from `rng`; pinned choices stay last."""
    choices = _keyed(question)
    movable = [c for c in choices if not c.pinned]
    rng.shuffle(movable)
    return replace(question, choices=tuple(movable + [c for c in choices if c.pinned]))


def present_all(questions: Sequence[QuestionView], seed: int | str | None) -> list[QuestionView]:
    """Each question in an order of its own (see `order_rng`)."""
    return [present(q, order_rng(seed, q.id)) for q in questions]


def shown_order(question: QuestionView) -> tuple[int, ...]:
    """The keys of the choices in the order they are shown (what an attempt records)."""
    return tuple(c.key for c in _keyed(question))


def with_order(question: QuestionView, order: Sequence[int] | None) -> QuestionView:
    """The question shown in a recorded order (an exam being resumed, an attempt reread).

    No order recorded (history from before choices were shuffled) means the written order.
    If content changed since (a choice added or removed), choices the order does not name
    follow in written order, so nothing the learner can answer disappears.
    """
    choices = _keyed(question)
    if not order:
        return replace(question, choices=choices)
    by_key = {c.key: c for c in choices}
    picked = [by_key[k] for k in dict.fromkeys(order) if k in by_key]
    named = {c.key for c in picked}
    picked += [c for c in choices if c.key not in named]
    return replace(question, choices=tuple(picked))


def keys_of(question: QuestionView, picks: Sequence[int]) -> tuple[int, ...]:
    """Shown positions (0-based) → the chosen choices' keys, sorted."""
    choices = _keyed(question)
    return tuple(sorted(choices[p].key for p in picks))


def positions_of(question: QuestionView, keys: Sequence[int]) -> tuple[int, ...]:
    """Choice keys → the positions (0-based) they are shown at, sorted."""
    where = {c.key: i for i, c in enumerate(_keyed(question))}
    return tuple(sorted(where[k] for k in keys if k in where))
