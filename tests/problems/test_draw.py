"""Drawing parameters (problems/README.md, Drawing parameters): each way of drawing, seeded,
and the Japanese message of each malformed rule."""

from __future__ import annotations

import numpy as np
import pytest

from gquiz.problems.generators import _DRAWERS, HELPERS, KINDS, GenError, draw_param


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def test_every_kind_has_a_drawer() -> None:
    assert set(_DRAWERS) == set(KINDS)


def test_constants_and_expressions() -> None:
    assert draw_param(3, rng(), {}) == 3
    assert draw_param([1, 2], rng(), {}) == [1, 2]
    assert draw_param("n + 1", rng(), {"n": 4}) == 5
    assert draw_param({"expr": "n * 2"}, rng(), {"n": 4}) == 8
    assert draw_param({"const": "n"}, rng(), {"n": 4}) == "n"  # a const is never evaluated


def test_int_respects_range_step_and_not() -> None:
    seen = {
        draw_param({"int": [0, "n"], "step": 2, "not": [4]}, rng(s), {"n": 8}) for s in range(60)
    }
    assert seen == {0, 2, 6, 8}
    assert all(isinstance(v, int) for v in seen)


def test_float_is_on_the_step_grid() -> None:
    values = {
        draw_param({"float": [0.5, 1.5], "step": 0.5, "nonzero": True}, rng(s), {})
        for s in range(40)
    }
    assert values == {0.5, 1.0, 1.5}
    assert all(isinstance(v, float) for v in values)


def test_choice_picks_a_listed_value() -> None:
    assert {draw_param({"choice": ["a", "b"]}, rng(s), {}) for s in range(20)} == {"a", "b"}


def test_vector_and_matrix() -> None:
    v = draw_param({"vector": "n", "range": [1, 3], "distinct": True}, rng(), {"n": 3})
    assert v.dtype == np.int64
    assert sorted(v.tolist()) == [1, 2, 3]
    m = draw_param({"matrix": [2, "n"], "range": [-1, 1], "step": 0.5}, rng(), {"n": 3})
    assert m.shape == (2, 3)
    assert m.dtype == float
    assert set(np.ravel(m).tolist()) <= {-1.0, -0.5, 0.0, 0.5, 1.0}
    nz = draw_param({"vector": 50, "range": [-1, 1], "nonzero": True}, rng(), {})
    assert 0 not in nz.tolist()


def test_same_seed_same_value() -> None:
    spec = {"matrix": [3, 3], "range": [0, 9]}
    assert draw_param(spec, rng(5), {}).tolist() == draw_param(spec, rng(5), {}).tolist()


def test_gen_calls_the_named_helper_with_evaluated_arguments() -> None:
    box = draw_param({"gen": "box", "size": "s"}, rng(), {"s": 12})
    assert len(box) == 4
    assert 0 <= box[0] < box[2] <= 12
    assert "box" in HELPERS


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"int": [1, 2], "choice": [1]}, "パラメータの種類を 1 つ指定してください（int, float"),
        ({}, "パラメータの種類を 1 つ指定してください"),
        ({"int": [5, 4]}, "int: 範囲 [5, 4] に選べる値がありません"),
        ({"float": [0, 1]}, "float: には step（刻み）が必要です（例: step: 0.1）"),
        ({"choice": []}, "choice: には値のリストを指定してください"),
        ({"choice": "x"}, "choice: には値のリストを指定してください"),
        ({"matrix": 3, "range": [0, 1]}, "matrix: には形 [行数, 列数] を指定してください"),
        ({"vector": 3}, "vector: には range: [最小, 最大] が必要です"),
        (
            {"vector": 3, "range": [1, 2], "distinct": True},
            "distinct: 範囲 [1, 2] に異なる値が 3 個ありません",
        ),
        ({"gen": "nope"}, "生成ヘルパー 'nope' はありません（使えるもの: box, "),
        ({"gen": "box", "colour": 1}, "生成ヘルパー 'box' の引数が正しくありません: "),
    ],
)
def test_malformed_rules(spec: dict, message: str) -> None:
    with pytest.raises(GenError) as err:
        draw_param(spec, rng(), {"x": "x"})
    assert str(err.value).startswith(message)
