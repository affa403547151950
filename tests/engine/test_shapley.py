"""Shapley values against brute force over all n! orderings and shap.ExactExplainer."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from gquiz.engine.core import EngineError
from gquiz.engine.shapley import shapley, shapley_model
from gquiz.render import render_steps


def brute_force(n, v):
    """Average marginal contribution over all n! orderings; v maps frozenset -> value."""
    phi = np.zeros(n)
    for order in itertools.permutations(range(n)):
        seen = frozenset()
        for p in order:
            phi[p] += v[seen | {p}] - v[seen]
            seen = seen | {p}
    return phi / math.factorial(n)


def _table(names, v):
    n = len(names)
    return {",".join(names[j] for j in range(n) if j in s): val for s, val in v.items()}


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 6), data=st.data())
def test_table_matches_all_orderings(n, data):
    names = [f"P{i}" for i in range(n)]
    subsets = [frozenset(c) for r in range(n + 1) for c in itertools.combinations(range(n), r)]
    vals = data.draw(st.lists(st.floats(-100, 100), min_size=len(subsets), max_size=len(subsets)))
    v = dict(zip(subsets, vals, strict=False))
    sol = shapley(names, _table(names, v))
    assert_allclose([sol.answer[p] for p in names], brute_force(n, v), rtol=1e-9, atol=1e-9)
    eff = [s for s in sol.steps if s.kind == "efficiency"][0]
    assert eff.args["holds"]


def test_textbook_game_and_lines():
    sol = shapley(
        ["A", "B", "C"],
        {"": 0, "A": 10, "B": 20, "C": 30, "A,B": 50, "A,C": 60, "B,C": 70, "A,B,C": 120},
    )
    assert sol.answer == {"A": 30.0, "B": 40.0, "C": 50.0}
    lines = render_steps(sol)
    assert "  A: S = {B}: 限界貢献 v({A, B}) − v({B}) = 50 − 20 = 30、重み 1/6 → 5" in lines
    assert lines[-1].startswith("効率性: Σφ = 120")
    assert lines[-1].endswith("成り立つ")
    terms = [s for s in sol.steps if s.kind == "shapley_term"]
    assert len(terms) == 3 * 4


def test_key_order_is_free_and_errors():
    base = {"": 0, "A": 1, "B": 2, "B,A": 4}
    assert shapley(["A", "B"], base).answer == {"A": 1.5, "B": 2.5}
    with pytest.raises(EngineError, match='"A,B"'):
        shapley(["A", "B"], {"": 0, "A": 1, "B": 2})
    with pytest.raises(EngineError, match="'C'"):
        shapley(["A", "B"], {**base, "C": 3})
    with pytest.raises(EngineError, match="数値"):
        shapley(["A", "B"], {**base, "A": "x"})
    with pytest.raises(EngineError, match="重複"):
        shapley(["A", "A"], base)


@pytest.mark.parametrize(
    ("players", "values", "message"),
    [
        ([], {}, "players はプレイヤー名のリストで指定してください"),
        ("AB", {}, "players はプレイヤー名のリストで指定してください"),
        (["A", "B,C"], {}, "players の名前は空でなく、カンマや前後の空白を含まないこと"),
        (["A", " B"], {}, "players の名前は空でなく"),
        ([f"p{i}" for i in range(17)], {}, "players が多すぎる（17 人、最大 16 人）"),
        (["A"], [0, 1], 'values は {"提携": 値} の JSON オブジェクトで指定してください'),
        (
            ["A", "B"],
            {"": 0, "A": 1, "B": 2, "A,B": 3, "B,A": 4},
            "values に同じ提携が 2 回ある（'B,A'）",
        ),
        (["A"], {"": 0, "A": float("inf")}, "values['A'] には有限の数値を指定してください（inf）"),
        (["A"], {"": 0, "A": True}, "values['A'] には有限の数値を指定してください（True）"),
        (
            ["A", "B", "C"],
            {"": 0},
            'values に提携 "A", "B", "A,B", "C", "A,C" ほか 2 個 の値がない（全 8 個の提携が必要）',
        ),
    ],
)
def test_game_messages(players, values, message: str) -> None:
    with pytest.raises(EngineError) as err:
        shapley(players, values)
    assert str(err.value).startswith(message)


def _mlp(n, seed=0, hidden=8):
    rng = np.random.default_rng(seed)
    w1, b1, w2 = rng.normal(size=(n, hidden)), rng.normal(size=hidden), rng.normal(size=hidden)

    def f(x):
        return np.tanh(x @ w1 + b1) @ w2

    return f


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 6), seed=st.integers(0, 1000), rows=st.integers(1, 5))
def test_model_form_matches_brute_force(n, seed, rows):
    rng = np.random.default_rng(seed)
    f = _mlp(n, seed)
    x, bg = rng.normal(size=n), rng.normal(size=(rows, n))

    def value(s):
        z = bg.copy()
        z[:, list(s)] = x[list(s)]
        return f(z).mean()

    v = {frozenset(c): value(c) for r in range(n + 1) for c in itertools.combinations(range(n), r)}
    sol = shapley_model(f, x, background=bg)
    assert_allclose(sol.answer["values"], brute_force(n, v), rtol=1e-9, atol=1e-12)
    assert_allclose(sol.answer["values"].sum(), f(x[None])[0] - f(bg).mean(), atol=1e-9)


def test_linear_model_baseline_closed_form():
    w = np.array([1.0, -2.0, 3.0, 0.5])
    x, b = np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.5, 0.5, 0.5, 0.5])
    sol = shapley_model(lambda z: z @ w + 7, x, baseline=b)
    assert_allclose(sol.answer["values"], w * (x - b), atol=1e-12)


def test_eight_features_against_shap_exact():
    """12 features are compared in benchmarks/bench_shapley.py (shap needs ~10 s there)."""
    shap = pytest.importorskip("shap")
    n = 8
    rng = np.random.default_rng(7)
    f = _mlp(n, 7, hidden=16)
    x, bg = rng.normal(size=n), rng.normal(size=(20, n))
    ours = shapley_model(f, x, background=bg).answer["values"]
    masker = shap.maskers.Independent(bg, max_samples=len(bg))
    ref = shap.explainers.Exact(f, masker)(x[None]).values[0]
    assert np.max(np.abs(ours - ref)) <= 1e-9
    assert (
        len(shapley_model(f, x, background=bg).steps) == 1 + 1 + n + 1
    )  # per-coalition steps only up to 6 features


def test_model_form_errors():
    with pytest.raises(EngineError, match="baseline"):
        shapley_model(lambda z: z.sum(1), [1.0, 2.0])
    with pytest.raises(EngineError, match="特徴量の数"):
        shapley_model(lambda z: z.sum(1), [1.0, 2.0], baseline=[0.0])
    with pytest.raises(EngineError, match="model"):
        shapley_model(lambda z: z, [1.0, 2.0], baseline=[0.0, 0.0])


def test_shapley_mlp_json_model_matches_callable_and_linear_closed_form():
    from gquiz.engine.shapley import shapley_mlp

    rng = np.random.default_rng(5)
    w1, b1, w2 = rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=(3, 1))
    x, bg = rng.normal(size=4), rng.normal(size=(6, 4))
    layers = [
        {"weights": w1.tolist(), "bias": b1.tolist(), "activation": "tanh"},
        {"weights": w2.tolist(), "bias": 0.3},
    ]
    got = shapley_mlp(layers, x, background=bg).answer["values"]
    ref = shapley_model(lambda z: (np.tanh(z @ w1 + b1) @ w2)[:, 0] + 0.3, x, background=bg).answer[
        "values"
    ]
    assert_allclose(got, ref, rtol=1e-12, atol=1e-12)
    lin = shapley_mlp(
        [{"weights": [2.0, -1.0, 0.5]}], [1.0, 2.0, 3.0], background=bg[:, :3]
    ).answer["values"]
    assert_allclose(
        lin,
        np.array([2.0, -1.0, 0.5]) * (np.array([1.0, 2.0, 3.0]) - bg[:, :3].mean(0)),
        atol=1e-12,
    )
    with pytest.raises(EngineError, match="最後の層"):
        shapley_mlp([{"weights": [[1.0, 2.0]]}], [1.0], baseline=[0.0])
    with pytest.raises(EngineError, match="activation"):
        shapley_mlp([{"weights": [1.0], "activation": "swish"}], [1.0], baseline=[0.0])
