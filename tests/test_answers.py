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
        ("٣", 1, (2,)),  # Arabic-Indic three: a decimal digit, read as 3
        ("३,१", 2, (0, 2)),  # Devanagari
        ("𝟑", 1, (2,)),  # mathematical bold three (NFKC)
        ("①", 1, (0,)),  # circled one (NFKC gives 1)
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
        # isdigit() is true for these but int() cannot read them: rejected, never a crash
        ("፫", 1, "「፫」は選択肢の番号ではありません"),
        ("➀", 1, "「➀」は選択肢の番号ではありません"),
        ("1,➀", 2, "「➀」は選択肢の番号ではありません"),
        ("⑴", 1, "選択肢の番号ではありません"),
        ("三", 1, "「三」は選択肢の番号ではありません"),
        ("0002", 1, "範囲外"),
        ("9" * 5000, 1, "回答が長すぎます"),
        ("9" * 40, 1, "範囲外"),
        (" " * 65, 1, "回答が長すぎます"),
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


_DIGIT_LIKE = st.characters(categories=("Nd", "No", "Nl"))


@given(
    st.lists(
        st.one_of(_DIGIT_LIKE, st.sampled_from(",、， 　\t"), st.characters()), max_size=80
    ).map("".join),
    st.integers(2, 9),
    st.integers(1, 2),
)
def test_digit_like_text_never_crashes(text: str, n_choices: int, n_correct: int) -> None:
    """Every Unicode digit class (Nd, No such as ➀, Nl such as Ⅲ) is read or refused."""
    try:
        picks = parse_choice_answer(text, n_choices, n_correct)
    except AnswerError as exc:
        message = str(exc)
    else:
        message = ""
    if message:  # the usual message: it always says how to answer
        assert "番号" in message
        return
    assert len(picks) == n_correct == len(set(picks))
    assert all(0 <= p < n_choices for p in picks)


def test_long_input_is_refused_before_normalising() -> None:
    with pytest.raises(AnswerError, match="長すぎます"):
        parse_choice_answer("﷽" * 1_000_000, 4, 1)  # NFKC would expand it 18-fold


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
