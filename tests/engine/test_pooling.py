"""Pooling against torch, receptive fields against autograd."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from gquiz.engine.core import EngineError
from gquiz.engine.pooling import causal_receptive_field, global_avg_pool, pool, receptive_field
from gquiz.render import render_steps

torch = pytest.importorskip("torch")
F = torch.nn.functional


@settings(max_examples=60, deadline=None)
@given(
    c=st.integers(1, 3),
    h=st.integers(1, 8),
    w=st.integers(1, 8),
    kh=st.integers(1, 4),
    kw=st.integers(1, 4),
    stride=st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))),
    mode=st.sampled_from(["max", "avg"]),
    seed=st.integers(0, 1000),
)
def test_pool_matches_torch(c, h, w, kh, kw, stride, mode, seed):
    x = np.random.default_rng(seed).normal(size=(c, h, w))
    if kh > h or kw > w:
        with pytest.raises(EngineError, match="size"):
            pool(x, (kh, kw), stride, mode)
        return
    got = pool(x, (kh, kw), stride, mode).answer
    fn = F.max_pool2d if mode == "max" else F.avg_pool2d
    ref = fn(torch.tensor(x[None]), (kh, kw), stride=stride)[0].numpy()
    assert_allclose(got, ref, atol=1e-12)


def test_pool_2d_and_lines():
    sol = pool([[1, 3, 2, 4], [5, 6, 1, 2], [7, 2, 3, 0], [1, 2, 9, 4]], 2, mode="avg")
    assert_allclose(sol.answer, [[3.75, 2.25], [3, 4]])
    assert "出力[0,0] = (1 + 3 + 5 + 6) / 4 = 3.75" in render_steps(sol)


def test_global_avg_pool():
    x = np.random.default_rng(0).normal(size=(4, 3, 5))
    ref = F.adaptive_avg_pool2d(torch.tensor(x), 1).numpy().ravel()
    assert_allclose(global_avg_pool(x).answer, ref)


def _rf_by_autograd(ks, ss, ds):
    n = 200
    x = torch.zeros(1, 1, n, requires_grad=True)
    y = x
    for k, s, d in zip(ks, ss, ds, strict=False):
        y = F.conv1d(y, torch.ones(1, 1, k, dtype=torch.float32), stride=s, dilation=d)
    y[0, 0, y.shape[-1] // 2].backward()
    nz = torch.nonzero(x.grad[0, 0]).ravel()
    return int(nz.max() - nz.min() + 1)


@settings(max_examples=30, deadline=None)
@given(
    layers=st.lists(
        st.tuples(st.integers(1, 4), st.integers(1, 2), st.integers(1, 3)), min_size=1, max_size=4
    )
)
def test_receptive_field_matches_autograd(layers):
    ks, ss, ds = map(list, zip(*layers, strict=False))
    assert receptive_field(ks, ss, ds).answer == _rf_by_autograd(ks, ss, ds)


def test_causal_receptive_field_wavenet():
    assert causal_receptive_field(2, layers=10).answer == 1024
    assert causal_receptive_field(2, dilations=[1, 2, 4, 8]).answer == _rf_by_autograd(
        [2] * 4, [1] * 4, [1, 2, 4, 8]
    )
    assert causal_receptive_field(2, layers=10, stacks=3).answer == 3 * 1023 + 1
    assert "(2 − 1) × (1 + 2 + 4 + 8) + 1" in render_steps(causal_receptive_field(2, layers=4))[0]
    with pytest.raises(EngineError, match="dilations"):
        causal_receptive_field(2)
