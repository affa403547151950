"""Parsing a learner's multiple-choice answer: normalised, strict, and always a clear message."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gquiz.study.answers import AnswerError, format_choice_answer, parse_choice_answer


@pytest.mark.parametrize(
    ("text", "n_correct", "expected"),
    [
        ("2", 1, (1,)),
        (" 4 \n", 1, (3,)),
        ("２", 1, (1,)),
        ("1,3", 2, (0, 2)),
        ("3,1", 2, (0, 2)),
        ("１，３", 2, (0, 2)),
        ("1、3", 2, (0, 2)),
        ("1 3", 2, (0, 2)),
    ],
)
def test_accepts(text: str, n_correct: int, expected: tuple[int, ...]) -> None:
    assert parse_choice_answer(text, 4, n_correct) == expected


@pytest.mark.parametrize(
    ("text", "n_correct", "fragment"),
    [
        ("", 1, "回答が空です"),
        ("x", 1, "「x」は選択肢の番号ではありません"),
        ("9", 1, "9 は範囲外です"),
        ("0", 1, "0 は範囲外です"),
        (",", 1, "番号がありません"),
        ("1,2", 1, "1つだけ"),
        ("2", 2, "2つ選びます"),
        ("2,2", 2, "同じ番号"),
        ("-1", 1, "選択肢の番号ではありません"),
    ],
)
def test_rejects_with_a_message(text: str, n_correct: int, fragment: str) -> None:
    with pytest.raises(AnswerError) as info:
        parse_choice_answer(text, 4, n_correct)
    assert fragment in str(info.value)


@given(st.text(max_size=12))
def test_never_raises_anything_but_answer_error(text: str) -> None:
    try:
        picks = parse_choice_answer(text, 4, 1)
    except AnswerError:
        return
    assert len(picks) == 1
    assert 0 <= picks[0] < 4


def test_format_round_trips() -> None:
    assert format_choice_answer((0, 2)) == "1,3"
    assert parse_choice_answer(format_choice_answer((0, 2)), 4, 2) == (0, 2)


def test_toggle_pick_keeps_one_or_the_newest_two() -> None:
    from gquiz.study.answers import toggle_pick

    assert toggle_pick([], 2, 1) == [2]
    assert toggle_pick([2], 0, 1) == [0]
    assert toggle_pick([2], 2, 1) == []
    assert toggle_pick([0, 1], 3, 2) == [1, 3]
    assert toggle_pick([0, 1], 0, 2) == [1]
