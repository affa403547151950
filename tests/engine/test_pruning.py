"""Pruning against torch.nn.utils.prune (tie-free cases) and brute force (ties)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from gquiz.engine.core import EngineError
from gquiz.engine.pruning import channel_prune, magnitude_prune
from gquiz.render import render_steps

torch = pytest.importorskip("torch")
import torch.nn.utils.prune as prune  # noqa: E402


@settings(max_examples=80, deadline=None)
@given(n=st.integers(1, 30), amount=st.floats(0, 1), seed=st.integers(0, 10_000))
def test_magnitude_prune_matches_torch(n, amount, seed):
    w = (
        np.random.default_rng(seed).permutation(np.arange(1, n + 1))
        * np.random.default_rng(seed).choice([-1, 1], n)
        / 7
    )
    lin = torch.nn.Linear(n, 1, bias=False)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor(w[None]))
    prune.l1_unstructured(lin, "weight", amount=amount)
    sol = magnitude_prune(w, amount)
    assert_array_equal(sol.answer["mask"], lin.weight_mask.numpy()[0].astype(int))
    assert sol.answer["pruned_count"] == int(n - lin.weight_mask.sum())
    assert sol.answer["sparsity"] == pytest.approx(sol.answer["pruned_count"] / n)


@settings(max_examples=80, deadline=None)
@given(w=st.lists(st.integers(-3, 3), min_size=1, max_size=12), amount=st.floats(0, 1))
def test_magnitude_prune_ties_brute_force(w, amount):
    w = np.array(w, dtype=float)
    sol = magnitude_prune(w, amount)
    k = round(amount * len(w))
    # brute force: the pruned set is the lexicographically first (|w|, index) k entries
    ranked = sorted(range(len(w)), key=lambda i: (abs(w[i]), i))
    expect = np.ones(len(w), dtype=int)
    expect[ranked[:k]] = 0
    assert_array_equal(sol.answer["mask"], expect)
    assert sol.answer["sparsity"] == pytest.approx(np.mean(w * expect == 0))


def test_tie_is_reported():
    sol = magnitude_prune([1.0, -1.0, 2.0], 1 / 3)
    assert_array_equal(sol.answer["pruned"], [0.0, -1.0, 2.0])
    assert any("添字の小さい方" in line for line in render_steps(sol))


def test_channel_prune_matches_torch():
    rng = np.random.default_rng(0)
    w = rng.normal(size=(6, 3, 3, 3))
    conv = torch.nn.Conv2d(3, 6, 3, bias=False)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor(w))
    prune.ln_structured(conv, "weight", amount=0.5, n=1, dim=0)
    sol = channel_prune(w, amount=0.5)
    assert_array_equal(sol.answer["pruned"] != 0, conv.weight.detach().numpy() != 0)
    assert len(sol.answer["removed"]) == 3
    assert channel_prune(w, n_remove=2).answer["removed"] == sorted(
        np.argsort(np.abs(w).sum(axis=(1, 2, 3)))[:2].tolist()
    )


def test_errors():
    with pytest.raises(EngineError, match="sparsity"):
        magnitude_prune([1, 2], 1.5)
    with pytest.raises(EngineError, match="amount"):
        channel_prune(np.ones((2, 2)))
    with pytest.raises(EngineError, match="n_remove"):
        channel_prune(np.ones((2, 2)), n_remove=3)
