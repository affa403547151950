"""Statistics solvers against numpy / scipy / scikit-learn / brute force, and their errors."""

from __future__ import annotations

import math
import statistics
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gquiz.engine.core import EngineError
from gquiz.engine.stats import (
    bayes,
    descriptive_stats,
    discrete_expectation,
    eigen_2x2,
    regression_errors,
)
from gquiz.render import render_steps

pytestmark = pytest.mark.filterwarnings("ignore:Precision loss:RuntimeWarning")
scipy_stats = pytest.importorskip("scipy.stats")
sk_metrics = pytest.importorskip("sklearn.metrics")

values = st.lists(st.integers(-50, 50), min_size=2, max_size=12)


@settings(max_examples=60, deadline=None)
@given(values)
def test_descriptive_against_numpy_scipy_statistics(xs):
    a = descriptive_stats(xs).answer
    assert a["mean"] == pytest.approx(scipy_stats.tmean(xs))
    assert a["sample_var"] == pytest.approx(scipy_stats.tvar(xs))  # scipy: ddof = 1
    assert a["var"] == pytest.approx(np.var(xs, ddof=0))
    assert a["std"] == pytest.approx(statistics.pstdev(xs))
    assert a["sample_std"] == pytest.approx(statistics.stdev(xs))
    assert a["median"] == pytest.approx(statistics.median(xs))


@pytest.mark.parametrize("ask", ["mean", "median", "var", "sample_var", "std", "sample_std"])
def test_descriptive_last_step_is_the_asked_value(ask):
    sol = descriptive_stats([3, 1, 4, 1, 5, 9], ask=ask)
    last = render_steps(sol)[-1]
    assert last.endswith(f"= {_short(sol.answer[ask])}"), last
    if ask == "sample_var":
        assert "n − 1" in last


def _short(v: float) -> str:
    from gquiz.render.stats import fv

    return fv(v)


def test_descriptive_errors():
    with pytest.raises(EngineError, match="ask"):
        descriptive_stats([1, 2], ask="mode")
    with pytest.raises(EngineError, match="不偏分散"):
        descriptive_stats([1], ask="sample_var")


probs = st.lists(st.integers(1, 9), min_size=2, max_size=5).map(
    lambda c: [Fraction(x, sum(c)) for x in c]
)


@settings(max_examples=60, deadline=None)
@given(probs, st.integers(-3, 3), st.integers(-5, 5))
def test_discrete_expectation_against_scipy_rv_discrete(ps, a, b):
    xs = list(range(len(ps)))
    p = [float(x) for x in ps]
    p[-1] = 1 - sum(p[:-1])
    rv = scipy_stats.rv_discrete(values=(xs, p))
    sol = discrete_expectation(xs, p, ask="var", a=a, b=b).answer
    assert sol["mean_x"] == pytest.approx(rv.mean())
    assert sol["var_x"] == pytest.approx(rv.var(), abs=1e-12)
    # Y = aX + b by brute force over the support
    ey = sum(pi * (a * x + b) for x, pi in zip(xs, p, strict=True))
    vy = sum(pi * (a * x + b - ey) ** 2 for x, pi in zip(xs, p, strict=True))
    assert sol["mean"] == pytest.approx(ey)
    assert sol["var"] == pytest.approx(vy, abs=1e-12)


def test_discrete_expectation_refuses_bad_probabilities():
    with pytest.raises(EngineError, match="合計が 1"):
        discrete_expectation([1, 2], [0.5, 0.6])
    with pytest.raises(EngineError, match="負"):
        discrete_expectation([1, 2], [1.5, -0.5])
    with pytest.raises(EngineError, match="個数"):
        discrete_expectation([1, 2, 3], [0.5, 0.5])


@pytest.mark.parametrize(
    ("prior", "se", "fp"),
    [
        (Fraction(1, 100), Fraction(9, 10), Fraction(1, 20)),
        (Fraction(3, 10), Fraction(4, 5), Fraction(1, 5)),
    ],
)
def test_bayes_by_counting_a_population(prior, se, fp):
    """Count a population of 1 000 000 people through two independent tests (integer counts)."""
    n = 1_000_000
    sick = n * prior
    assert sick.denominator == 1
    # (sick?, first test positive?, second test positive?) -> number of people
    groups = {**_tests(True, int(sick), se), **_tests(False, n - int(sick), fp)}
    pos = sum(c for (_, t1, _), c in groups.items() if t1)
    sick_pos = sum(c for (d, t1, _), c in groups.items() if d and t1)
    neg = n - pos
    sick_neg = sum(c for (d, t1, _), c in groups.items() if d and not t1)
    both = sum(c for (_, t1, t2), c in groups.items() if t1 and t2)
    sick_both = sum(c for (d, t1, t2), c in groups.items() if d and t1 and t2)
    ans = {
        k: bayes(float(prior), float(se), float(fp), ask=k).answer[k]
        for k in ("p_pos", "posterior", "neg_posterior", "twice")
    }
    assert ans["p_pos"] == pytest.approx(pos / n)
    assert ans["posterior"] == pytest.approx(sick_pos / pos)
    assert ans["neg_posterior"] == pytest.approx(sick_neg / neg)
    assert ans["twice"] == pytest.approx(sick_both / both)


def _tests(sick: bool, count: int, rate: Fraction) -> dict[tuple[bool, bool, bool], int]:
    """``count`` people of whom a fraction ``rate`` test positive, on each of two tests."""
    out = {}
    k1 = count * rate
    assert k1.denominator == 1
    for first, size in ((True, int(k1)), (False, count - int(k1))):
        k2 = size * rate  # independence: the same fraction again within each group
        assert k2.denominator == 1
        out[(sick, first, True)] = int(k2)
        out[(sick, first, False)] = size - int(k2)
    return out


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(-6, 6), min_size=4, max_size=4))
def test_eigen_against_numpy_linalg(cells):
    m = np.array(cells, dtype=float).reshape(2, 2)
    (a, b), (c, d) = cells[:2], cells[2:]
    tr, det = a + d, a * d - b * c  # exact integers (np.linalg.det rounds)
    if tr * tr - 4 * det < 0:
        with pytest.raises(EngineError, match="実数"):
            eigen_2x2(m)
        return
    a = eigen_2x2(m, ask="vector").answer
    ref = np.sort(np.linalg.eigvals(m).real)[::-1]
    np.testing.assert_allclose(a["values"], ref, atol=1e-6)
    v = np.array(a["vector"])
    np.testing.assert_allclose(m @ v, a["largest"] * v, atol=1e-6)  # A v = λ v
    assert np.linalg.norm(v) > 0


def test_eigen_vector_is_parallel_to_numpy():
    m = np.array([[4.0, 1.0], [2.0, 3.0]])
    a = eigen_2x2(m, ask="vector").answer
    w, vecs = np.linalg.eig(m)
    ref = vecs[:, np.argmax(w)]
    assert a["t"] == pytest.approx(ref[1] / ref[0])


def test_eigen_errors():
    with pytest.raises(EngineError, match="2×2"):
        eigen_2x2(np.eye(3))
    with pytest.raises(EngineError, match="実数"):
        eigen_2x2([[0, -1], [1, 0]])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-20, 20), st.integers(-20, 20)), min_size=1, max_size=10))
def test_regression_errors_against_sklearn(pairs):
    yt = [a for a, _ in pairs]
    yp = [b for _, b in pairs]
    a = regression_errors(yt, yp).answer
    assert a["mse"] == pytest.approx(sk_metrics.mean_squared_error(yt, yp))
    assert a["mae"] == pytest.approx(sk_metrics.mean_absolute_error(yt, yp))
    assert a["rmse"] == pytest.approx(sk_metrics.root_mean_squared_error(yt, yp))


def test_regression_errors_against_torch():
    torch = pytest.importorskip("torch")
    yt, yp = [3.0, -1.0, 2.5, 7.0], [2.5, 0.0, 2.0, 8.0]
    a = regression_errors(yt, yp).answer
    t, p = torch.tensor(yt, dtype=torch.float64), torch.tensor(yp, dtype=torch.float64)
    assert a["mse"] == pytest.approx(torch.nn.functional.mse_loss(p, t).item())
    assert a["mae"] == pytest.approx(torch.nn.functional.l1_loss(p, t).item())
    with pytest.raises(EngineError, match="個数"):
        regression_errors([1, 2], [1])


def test_every_bayes_ask_ends_with_its_value():
    from gquiz.render.stats import fv

    for ask in ("p_pos", "posterior", "neg_posterior", "twice"):
        sol = bayes(0.02, 0.95, 0.1, ask=ask)
        assert render_steps(sol)[-1].endswith(f"= {fv(sol.answer[ask])}")
    assert math.isclose(bayes(0.5, 1.0, 0.0).answer["posterior"], 1.0)
