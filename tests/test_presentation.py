"""Choices are shown in an order drawn per presentation; answers are stored by choice key."""

from __future__ import annotations

import random
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import create_engine, text

from gquiz.bank.repo import ChoiceView, QuestionView
from gquiz.cli import main
from gquiz.config import Settings
from gquiz.study.presentation import (
    keys_of,
    order_rng,
    positions_of,
    present,
    present_all,
    shown_order,
    with_order,
)
from gquiz.study.quiz import QuizSession
from tests.helpers import cli_env


def _q(n: int = 4, correct: tuple[int, ...] = (1,), pinned: int | None = None) -> QuestionView:
    return QuestionView(
        id="q-01",
        topic_slug="t",
        section_id="S1.1",
        stem="stem",
        choices=tuple(ChoiceView(f"choice {i}", i in correct, i, pinned == i) for i in range(n)),
        explanation="",
        difficulty=2,
        keywords=(),
    )


def test_two_seeds_give_different_orders_and_the_key_follows() -> None:
    q = _q(6)
    orders = {shown_order(present(q, order_rng(seed, q.id))) for seed in range(20)}
    assert len(orders) > 10
    a = present(q, order_rng(1, q.id))
    assert present(q, order_rng(1, q.id)) == a  # the same seed, the same order
    shown_at = a.correct_positions
    assert [a.choices[p].text for p in shown_at] == ["choice 1"]
    assert keys_of(a, tuple(shown_at)) == (1,)
    assert positions_of(a, (1,)) == tuple(shown_at)


def test_every_order_is_reachable_and_roughly_uniform() -> None:
    q = _q(4)
    rng = random.Random(0)
    counts = [0] * 4
    for _ in range(4000):
        counts[present(q, rng).correct_positions.__iter__().__next__()] += 1
    assert all(800 < c < 1200 for c in counts), counts


def test_pinned_choice_stays_last() -> None:
    q = _q(4, pinned=3)
    for seed in range(30):
        assert present(q, order_rng(seed, q.id)).choices[-1].text == "choice 3"


def test_recorded_order_survives_content_changes() -> None:
    q = _q(4)
    assert shown_order(with_order(q, None)) == (0, 1, 2, 3)  # history from before shuffling
    assert shown_order(with_order(q, [2, 0, 3, 1])) == (2, 0, 3, 1)
    # A choice removed from content is skipped; a new one follows in written order.
    five = _q(5)
    assert shown_order(with_order(five, [2, 9, 0, 3, 1])) == (2, 0, 3, 1, 4)


def test_quiz_session_stores_keys_and_order(bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    learner = bank.learner_id("tester")
    questions = bank.questions()
    session = QuizSession(bank, learner, questions, seed=7)
    again = QuizSession(bank, learner, questions, seed=7)
    assert [shown_order(q) for q in session.questions] == [shown_order(q) for q in again.questions]
    stored = []
    while not session.finished:
        q = session.current
        assert q is not None
        right = tuple(sorted(q.correct_positions))
        graded = session.answer(right)
        assert graded.correct
        stored.append((q.id, ",".join(str(k + 1) for k in graded.keys), list(shown_order(q))))
    engine = create_engine(bank.url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("select item_id, answer, choice_order from attempts order by id")
        ).all()
    engine.dispose()
    import json

    assert [(r[0], r[1], json.loads(r[2])) for r in rows] == stored
    # The stored answer names the written positions of the right choices, whatever was shown.
    written = {q.id: q for q in bank.questions()}
    for qid, answer, _order in stored:
        keys = {int(k) - 1 for k in answer.split(",")}
        assert keys == set(written[qid].correct_positions)


def test_plain_mode_shows_the_shuffled_order_and_grades_by_it(settings: Settings) -> None:
    bank = settings.open_bank()
    bank.ensure_built()
    written = bank.questions(topic="fx-conv")[0]
    bank.close()
    seeds_positions = {}
    for seed in range(12):
        shown = present_all([written], seed)[0]
        seeds_positions[seed] = next(iter(shown.correct_positions))
    # Two seeds that put the right choice at different places.
    s1 = 0
    s2 = next(s for s, p in seeds_positions.items() if p != seeds_positions[s1])
    for seed in (s1, s2):
        right = seeds_positions[seed] + 1
        wrong = 1 if right != 1 else 2
        result = CliRunner().invoke(
            main,
            ["quiz", "--plain", "--topic", "fx-conv", "--seed", str(seed)],
            input=f"{wrong}\n",
            env=cli_env(settings),
        )
        assert result.exit_code == 0, result.output
        assert f"不正解 (正解は {right})" in result.output
        shown = present_all([written], seed)[0]
        for i, c in enumerate(shown.choices, start=1):
            assert f"  {i}. {c.text}" in result.output
    engine = create_engine(settings.db_url)
    with engine.connect() as conn:
        answers = [r[0] for r in conn.execute(text("select answer from attempts order by id"))]
    engine.dispose()
    # Each stored answer is the written key of the choice picked on screen.
    for seed, answer in zip((s1, s2), answers, strict=True):
        shown = present_all([written], seed)[0]
        right = seeds_positions[seed] + 1
        wrong = 1 if right != 1 else 2
        assert answer == str(shown.choices[wrong - 1].key + 1)
