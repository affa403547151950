"""Softmax, losses, batch norm and distillation against torch.nn.functional."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from gquiz.engine.core import EngineError
from gquiz.engine.distill import distillation_loss, soft_targets
from gquiz.engine.losses import (
    batch_norm,
    binary_cross_entropy,
    contrastive_loss,
    cross_entropy,
    sigmoid,
    softmax,
    triplet_loss,
)
from gquiz.render import render_steps

torch = pytest.importorskip("torch")
F = torch.nn.functional

finite = st.floats(-20, 20, allow_nan=False)


def T(a):
    return torch.tensor(np.asarray(a, dtype=float))


@settings(max_examples=60, deadline=None)
@given(
    z=arrays(float, st.tuples(st.integers(1, 4), st.integers(2, 6)), elements=finite),
    t=st.floats(0.2, 10),
)
def test_softmax_matches_torch(z, t):
    assert_allclose(
        softmax(z, t).answer, F.softmax(T(z) / t, dim=-1).numpy(), rtol=1e-12, atol=1e-15
    )
    assert_allclose(soft_targets(z, t).answer.sum(axis=1), 1.0)


@settings(max_examples=60, deadline=None)
@given(
    z=arrays(float, st.tuples(st.integers(1, 5), st.integers(2, 6)), elements=finite),
    data=st.data(),
)
def test_cross_entropy_matches_torch(z, data):
    y = data.draw(
        st.lists(st.integers(0, z.shape[1] - 1), min_size=z.shape[0], max_size=z.shape[0])
    )
    ref = F.cross_entropy(T(z), torch.tensor(y)).item()
    assert_allclose(cross_entropy(z, y).answer, ref, rtol=1e-10)


def test_cross_entropy_single_and_lines():
    sol = cross_entropy([2.0, 1.0, 0.1], 0)
    assert_allclose(sol.answer, F.cross_entropy(T([[2.0, 1.0, 0.1]]), torch.tensor([0])).item())
    assert any(line.startswith("交差エントロピー = −log p[正解 0]") for line in render_steps(sol))
    with pytest.raises(EngineError, match="target"):
        cross_entropy([1.0, 2.0], 2)


def test_sigmoid_and_bce():
    x = np.array([-50.0, -1.0, 0.0, 2.0, 50.0])
    assert_allclose(sigmoid(x).answer, torch.sigmoid(T(x)).numpy(), rtol=1e-12)
    p = np.array([0.0, 0.2, 0.7, 1.0, 0.5])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    assert_allclose(
        binary_cross_entropy(p, y).answer, F.binary_cross_entropy(T(p), T(y)).item(), rtol=1e-12
    )
    with pytest.raises(EngineError, match="p"):
        binary_cross_entropy([1.5], [1])


@settings(max_examples=40, deadline=None)
@given(
    a=arrays(float, (3, 4), elements=finite),
    p=arrays(float, (3, 4), elements=finite),
    n=arrays(float, (3, 4), elements=finite),
    m=st.floats(0.01, 5),
)
def test_triplet_matches_torch(a, p, n, m):
    ref = F.triplet_margin_loss(T(a), T(p), T(n), margin=m, p=2, eps=0.0).item()
    assert_allclose(triplet_loss(a, p, n, m).answer, ref, rtol=1e-9, atol=1e-12)


def test_contrastive_brute_force():
    x1 = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    x2 = np.array([[3.0, 4.0], [1.0, 1.5], [0.3, 0.4]])
    y = [1, 0, 0]
    # d = 5, 0.5, 0.5 -> 0.5*25, 0.5*(2-0.5)^2, 0.5*(1.5)^2
    assert_allclose(contrastive_loss(x1, x2, y, margin=2).answer, np.mean([12.5, 1.125, 1.125]))
    with pytest.raises(EngineError, match="label"):
        contrastive_loss(x1, x2, [1, 0])


@settings(max_examples=40, deadline=None)
@given(
    shape=st.sampled_from([(5,), (4, 3), (2, 3, 2, 2)]),
    seed=st.integers(0, 1000),
    eps=st.floats(1e-8, 1e-2),
)
def test_batch_norm_matches_torch(shape, seed, eps):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape)
    c = 1 if len(shape) == 1 else shape[1]
    g, b = rng.normal(size=c), rng.normal(size=c)
    xt = T(x)[:, None] if len(shape) == 1 else T(x)
    ref = F.batch_norm(xt, None, None, T(g), T(b), training=True, eps=eps).numpy()
    if len(shape) == 1:
        ref = ref[:, 0]
        g, b = g[0], b[0]
    assert_allclose(batch_norm(x, g, b, eps).answer["output"], ref, rtol=1e-9, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    zs=arrays(float, (3, 4), elements=finite),
    zt=arrays(float, (3, 4), elements=finite),
    t=st.floats(0.5, 8),
    alpha=st.floats(0, 1),
    y=st.lists(st.integers(0, 3), min_size=3, max_size=3),
)
def test_distillation_matches_torch(zs, zt, t, alpha, y):
    s, te = T(zs), T(zt)
    soft = (
        F.kl_div(
            F.log_softmax(s / t, dim=1), F.softmax(te / t, dim=1), reduction="batchmean"
        ).item()
        * t
        * t
    )
    hard = F.cross_entropy(s, torch.tensor(y)).item()
    ans = distillation_loss(zs, zt, t, y, alpha).answer
    assert_allclose(ans["soft_loss"], soft, rtol=1e-7, atol=1e-9)
    assert_allclose(ans["loss"], alpha * soft + (1 - alpha) * hard, rtol=1e-7, atol=1e-9)
    assert distillation_loss(zs, zt, t).answer["loss"] == ans["soft_loss"]


def test_distillation_lines_mention_t2():
    sol = distillation_loss([1.0, 2.0, 3.0], [3.0, 1.0, 0.0], temperature=2, labels=0, alpha=0.7)
    text = "\n".join(render_steps(sol))
    assert "T² × KL" in text
    assert "蒸留損失 = α × ソフト" in text
