"""The expression language of family files (problems/README.md, Expressions): what each
allowed construct computes and the Japanese message for everything refused."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gquiz.problems.expr import ExprError, compile_expr, evaluate

NAMES = {"a": 3, "b": 4, "v": [1, 2, 3, 4], "m": [[1, 2], [3, 4]], "z": 0, "s": "max"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a + b * 2", 11),
        ("(a - b) / 2", -0.5),
        ("7 // 2 + 7 % 2", 4),
        ("2 ** a", 8),
        ("-a + +b", 1),
        ("not z", True),
        ("a if b > a else b", 3),
        ("a < b <= 4", True),
        ("a < b < 4", False),
        ("a in v and 5 not in v", True),
        ("z and undefined_name", 0),  # short-circuit: the right side is never looked at
        ("a or undefined_name", 3),
        ("z or ''", ""),
        ("a and b", 4),
        ("v[1:3]", [2, 3]),
        ("v[::-2]", [4, 2]),
        ("m[1][0]", 3),
        ("(a, b)", (3, 4)),
        ("[a, [b]]", [3, [4]]),
        ("{'x': a, 'y': b}", {"x": 3, "y": 4}),
        ("round(1.23456, ndigits=2)", 1.23),
        ("max(v) + min(v) + len(v) + sum(v)", 19),
        ("pi", math.pi),
        ("s", "max"),
        ("asum(transpose(m)) + amax(flip(m)[0])", 14),
        ("tolist(array(m) * 2)", [[2, 4], [6, 8]]),
        ("dot(v, v)", 30),
        ("dot(m, [1, 1])", [3, 7]),
        ("index(m, 3)", 2),
        ("all_distinct(v) and not all_distinct([1, 1])", True),
        ("frac(1, 4) + sigmoid(0)", 0.75),
        ("range(3)", [0, 1, 2]),
    ],
)
def test_values(text: str, value: object) -> None:
    assert evaluate(text, NAMES) == value


def test_a_comparison_of_arrays_is_element_wise() -> None:
    out = evaluate("array(v) > 2", NAMES)
    assert out.tolist() == [False, False, True, True]


def test_non_strings_are_constants() -> None:
    assert evaluate(5, {}) == 5
    assert evaluate(0.5, {}) == 0.5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("q + 1", "式 'q + 1' の名前 'q' が定義されていません"),
        ("a @ b", "式 'a @ b' の演算子は使えません"),
        ("~a", "式 '~a' の演算子は使えません"),
        ("2 ** 100", "式 '2 ** 100' の指数が大きすぎます"),
        ("a / z", "式 'a / z' で 0 による割り算が起きました"),
        ("v + a", "式 'v + a' を計算できません（TypeError: "),
        ("v[10]", "式 'v[10]' を計算できません（IndexError: "),
        ("{1, 2}", "式 '{1, 2}' に使えない構文があります（Set）"),
    ],
)
def test_evaluation_errors(text: str, message: str) -> None:
    with pytest.raises(ExprError) as err:
        evaluate(text, NAMES)
    assert str(err.value).startswith(message)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a +", "式が読めません: 'a +'（invalid syntax）"),
        ("a.real", "式 'a.real' に使えない構文があります（Attribute）"),
        ("lambda: 1", "式 'lambda: 1' に使えない構文があります（Lambda）"),
        ("[x for x in v]", "式 '[x for x in v]' に使えない構文があります（ListComp）"),
        ("f'{a}'", "式 \"f'{a}'\" に使えない構文があります（JoinedStr）"),
        ("__import__('os')", "式 \"__import__('os')\" の関数 '__import__' は使えません"),
        ("v[0](1)", "式 'v[0](1)' の関数 '?' は使えません"),
    ],
)
def test_refused_when_loaded(text: str, message: str) -> None:
    with pytest.raises(ExprError) as err:
        compile_expr(text)
    assert str(err.value).startswith(message)


def test_results_are_plain_numbers() -> None:
    assert isinstance(evaluate("asum(m)", NAMES), int)
    assert isinstance(evaluate("mean(v)", NAMES), float)
    assert isinstance(evaluate("argmax(v)", NAMES), int)
    assert np.asarray(evaluate("zeros(2, 3)", {})).shape == (2, 3)
