"""Parsing and checking free answers: the syntaxes learners type, and no traceback ever."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gquiz.problems.answers import (
    AnswerError,
    compare,
    normalize,
    parse_matrix,
    parse_number,
    parse_vector,
)
from gquiz.problems.precision import Precision

DEC3 = Precision("decimals", 3)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", 3.0),
        ("3.0", 3.0),
        ("０．７５", 0.75),
        ("3/4", 0.75),
        ("-1.5", -1.5),
        ("−1.5", -1.5),
        ("1e-3", 0.001),
        ("１２", 12.0),
        ("75%", 0.75),
        (" 2 ", 2.0),
        ("ー２", -2.0),
        (".5", 0.5),
    ],
)
def test_numbers(text: str, value: float) -> None:
    assert parse_number(normalize(text)) == pytest.approx(value)


@pytest.mark.parametrize("text", ["abc", "1/0", "3/", "--2", "1e", "", "1.2.3", "nan", "inf"])
def test_bad_numbers_raise_japanese_errors(text: str) -> None:
    with pytest.raises(AnswerError) as exc:
        parse_number(normalize(text))
    assert any(ord(ch) > 0x3000 for ch in str(exc.value))


@pytest.mark.parametrize(
    "text", ["1, 2, 3", "１，２，３", "1 2 3", "[1, 2, 3]", "1、2、3", "1,2,3"]
)
def test_vectors(text: str) -> None:
    assert parse_vector(text).tolist() == [1, 2, 3]


@pytest.mark.parametrize(
    "text",
    [
        "5 20 3; 10 23 10; 6 23 12",
        "5 20 3\n10 23 10\n6 23 12",
        "[[5, 20, 3], [10, 23, 10], [6, 23, 12]]",
        "５ ２０ ３；１０ ２３ １０；６ ２３ １２",
        "5,20,3; 10,23,10; 6,23,12\n",
    ],
)
def test_matrices(text: str) -> None:
    assert parse_matrix(text).tolist() == [[5, 20, 3], [10, 23, 10], [6, 23, 12]]


def test_ragged_matrix_is_an_error_naming_the_rows() -> None:
    with pytest.raises(AnswerError, match="1行目 2 個"):
        parse_matrix("1 2; 3")


def test_matrix_partial_credit_lists_wrong_cells() -> None:
    expected = np.array([[5, 20, 3], [10, 23, 10], [6, 23, 12]])
    v = compare("matrix", expected, "5 20 3; 10 0 10; 6 23 1")
    assert not v.correct
    assert v.score == pytest.approx(7 / 9)
    assert v.wrong_cells == ((1, 1), (2, 2))
    assert v.wrong_cells_text == "(2,2)、(3,3)"
    assert v.marks[1] == (True, False, True)


def test_matrix_typed_flat_is_read_row_by_row() -> None:
    assert compare("matrix", np.array([[1, 2], [3, 4]]), "1 2 3 4").correct


def test_one_row_of_the_wrong_size_is_an_input_error_that_hides_the_shape() -> None:
    with pytest.raises(AnswerError, match="行を ; か改行") as exc:
        compare("matrix", np.array([[1, 2], [3, 4]]), "1 2 3")
    assert "2×2" not in str(exc.value)


def test_a_matrix_of_another_shape_is_graded_wrong() -> None:
    v = compare("matrix", np.zeros((3, 3)), "0 0; 0 0")
    assert not v.correct
    assert v.score == 0
    assert "3×3" in v.note


def test_float_precision_rule() -> None:
    assert compare("float", 0.142, "0.142", DEC3).correct
    assert compare("float", 0.142, "0.1420", DEC3).correct
    assert compare("float", 0.75, "3/4", DEC3).correct
    assert not compare("float", 0.142, "0.15", DEC3).correct
    # one unit of the last stated digit is never accepted
    assert not compare("float", 0.142, "0.143", DEC3).correct
    assert not compare("float", 0.142, "0.141", DEC3).correct


def test_integer_answers() -> None:
    assert compare("integer", 3, "3.0").correct
    assert compare("integer", -3, "−3").correct
    assert not compare("integer", 3, "3.5").correct


def test_unordered_vector_is_a_set_and_a_wrong_count_is_just_wrong() -> None:
    assert compare("vector", [0, 2], "2, 0", unordered=True).correct
    v = compare("vector", [0, 2], "0, 1, 2", unordered=True)
    assert not v.correct
    assert v.score == 0


def test_choice_kind_compares_text() -> None:
    assert compare("choice", "book", " Ｂｏｏｋ ").correct
    assert not compare("choice", "book", "bok").correct


def test_empty_answer_is_an_error() -> None:
    with pytest.raises(AnswerError, match="空"):
        compare("integer", 3, "   ")


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(finite)
def test_property_repr_of_a_float_parses_back(x: float) -> None:
    assert parse_number(repr(x)) == pytest.approx(x)


@settings(max_examples=200, deadline=None)
@given(st.integers(-(10**6), 10**6), st.sampled_from(["-", "−", "－", "ー"]))
def test_property_any_minus_sign(n: int, minus: str) -> None:
    text = (minus + str(abs(n))) if n < 0 else str(n)
    assert parse_number(normalize(text)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(-(10**6), 10**6))
def test_property_full_width_digits(n: int) -> None:
    full = str(n).translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    assert parse_number(normalize(full)) == n


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5),
    st.integers(1, 5),
    st.data(),
    st.sampled_from(["; ", "\n", "；"]),
    st.sampled_from([" ", ", ", "，", "  "]),
)
def test_property_matrix_roundtrip(
    rows: int, cols: int, data: st.DataObject, row_sep: str, cell_sep: str
) -> None:
    m = data.draw(
        st.lists(
            st.lists(st.integers(-999, 999), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
    text = row_sep.join(cell_sep.join(str(v) for v in row) for row in m)
    assert parse_matrix(text).tolist() == m
    assert compare("matrix", np.array(m), text).correct


# The any-text property test lives in test_precision.py (with the precision rules).
