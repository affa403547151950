"""Grad-CAM against autograd on a small CNN; CTC collapse against a brute-force definition."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from gquiz.engine.core import EngineError
from gquiz.engine.explain import gradcam
from gquiz.engine.sequence import ctc_collapse
from gquiz.render import render_steps


def test_gradcam_on_small_cnn_matches_autograd():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    features = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.Conv2d(4, 5, 3, padding=1),
        torch.nn.ReLU(),
    ).double()
    head = torch.nn.Linear(5, 3).double()
    x = torch.randn(1, 3, 6, 6, dtype=torch.float64)
    for cls in range(3):
        acts = features(x)
        acts.retain_grad()
        score = head(acts.mean(dim=(2, 3)))[0, cls]
        score.backward()
        a, g = acts[0].detach(), acts.grad[0]
        weights = g.mean(dim=(1, 2))
        cam = torch.relu((weights[:, None, None] * a).sum(0))
        ref = cam / cam.max() if cam.max() > 0 else cam
        ans = gradcam(a.numpy(), g.numpy()).answer
        assert_allclose(ans["weights"], weights.numpy(), rtol=1e-12)
        assert_allclose(ans["cam"], ref.numpy(), rtol=1e-10, atol=1e-14)
        assert ans["cam"].min() >= 0
        assert ans["cam"].max() <= 1


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 9999), c=st.integers(1, 4), h=st.integers(1, 5), w=st.integers(1, 5))
def test_gradcam_properties(seed, c, h, w):
    rng = np.random.default_rng(seed)
    a, g = rng.normal(size=(c, h, w)), rng.normal(size=(c, h, w))
    cam = gradcam(a, g).answer["cam"]
    assert cam.shape == (h, w)
    assert cam.min() >= 0
    assert cam.max() <= 1
    assert cam.max() in (0.0, 1.0)
    # scaling the gradients by a positive factor does not change the normalised map
    assert_allclose(gradcam(a, 3 * g).answer["cam"], cam, atol=1e-12)


def test_gradcam_zero_map_and_errors():
    sol = gradcam(np.ones((2, 2, 2)), -np.ones((2, 2, 2)))
    assert not sol.answer["cam"].any()
    assert render_steps(sol)[-1] == "最大値が 0 なので正規化せず、すべて 0 のまま"
    with pytest.raises(EngineError, match="gradients"):
        gradcam(np.ones((2, 2, 2)), np.ones((1, 2, 2)))


def ctc_brute(path, blank):
    return [k for k, _ in itertools.groupby(path) if k != blank]


@given(path=st.text(alphabet="ab-", min_size=1, max_size=20))
def test_ctc_matches_groupby(path):
    assert ctc_collapse(path).answer == "".join(ctc_brute(path, "-"))


def test_ctc_examples():
    assert ctc_collapse("hh-e-ll-llo").answer == "hello"
    assert ctc_collapse("a-a").answer == "aa"
    assert ctc_collapse([0, 1, 1, 0, 2, 2], blank=0).answer == [1, 2]
    lines = render_steps(ctc_collapse("aa-b"))
    assert lines == [
        '① 連続する同じ記号をまとめる: "aa-b" → "a-b"',
        '② ブランク「-」を除く: "a-b" → "ab"',
    ]
    with pytest.raises(EngineError, match="path"):
        ctc_collapse("")
