"""Convolution against torch.nn.functional.conv2d, plus sizes, costs and errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from gquiz.engine.conv import (
    conv2d,
    conv_output_size,
    conv_params,
    depthwise_conv2d,
    separable_conv2d,
    separable_cost,
)
from gquiz.engine.core import EngineError
from gquiz.render import render_steps

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _torch_conv(x, w, b=None, **kw):
    t = F.conv2d(
        torch.tensor(x[None], dtype=torch.float64),
        torch.tensor(w, dtype=torch.float64),
        None if b is None else torch.tensor(b, dtype=torch.float64),
        **kw,
    )
    return t[0].numpy()


def test_textbook_example_and_rendered_line():
    x = [[1, 1, 1, 0], [0, 1, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1]]
    k = [[1, 0], [0, 1]]
    sol = conv2d(x, k)
    assert_allclose(sol.answer, [[2, 2, 2], [0, 2, 2], [0, 1, 2]])
    lines = render_steps(sol)
    assert "出力[0,1] = 1×1 + 1×0 + 1×0 + 1×1 + (バイアス 0) = 2" in lines


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    c_per_group=st.integers(1, 2),
    groups=st.integers(1, 3),
    out_per_group=st.integers(1, 2),
    h=st.integers(1, 7),
    w=st.integers(1, 7),
    kh=st.integers(1, 3),
    kw=st.integers(1, 3),
    sh=st.integers(1, 3),
    sw=st.integers(1, 3),
    ph=st.integers(0, 2),
    pw=st.integers(0, 2),
    dh=st.integers(1, 2),
    dw=st.integers(1, 2),
    use_bias=st.booleans(),
)
def test_matches_torch(
    data, c_per_group, groups, out_per_group, h, w, kh, kw, sh, sw, ph, pw, dh, dw, use_bias
):
    c, out = c_per_group * groups, out_per_group * groups
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(-3, 4, size=(c, h, w)).astype(float)
    k = rng.integers(-2, 3, size=(out, c_per_group, kh, kw)).astype(float)
    b = rng.normal(size=out) if use_bias else None
    kwargs = dict(stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw))
    if dh * (kh - 1) + 1 > h + 2 * ph or dw * (kw - 1) + 1 > w + 2 * pw:
        with pytest.raises(EngineError, match="パディング後"):
            conv2d(x, k, bias=b, groups=groups, **kwargs)
        return
    sol = conv2d(x, k, bias=b, groups=groups, **kwargs)
    assert_allclose(sol.answer, _torch_conv(x, k, b, groups=groups, **kwargs), atol=1e-12)
    cells = [s for s in sol.steps if s.kind == "conv_cell"]
    assert len(cells) == sol.answer.size
    for s in cells:  # every rendered multiply-add adds up to its value
        a = s.args
        assert_allclose(sum(xv * wv for xv, wv in a["terms"]) + a["bias"], a["value"], atol=1e-12)


def test_2d_input_and_3d_kernel_squeeze():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 5, 5))
    k = rng.normal(size=(3, 3, 3))
    sol = conv2d(x, k, padding=1, bias=0.5)
    assert sol.answer.shape == (5, 5)
    assert_allclose(sol.answer, _torch_conv(x, k[None], np.array([0.5]), padding=1)[0], atol=1e-12)


def test_depthwise_and_separable_match_torch():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 6, 6))
    dk = rng.normal(size=(3, 3, 3))
    pk = rng.normal(size=(4, 3))
    dw = depthwise_conv2d(x, dk, stride=2, padding=1).answer
    ref = _torch_conv(x, dk[:, None], groups=3, stride=2, padding=1)
    assert_allclose(dw, ref, atol=1e-12)
    sep = separable_conv2d(x, dk, pk, stride=2, padding=1).answer
    ref2 = _torch_conv(ref, pk[:, :, None, None])
    assert_allclose(sep, ref2, atol=1e-12)


@given(
    n=st.integers(1, 300),
    k=st.integers(1, 11),
    s=st.integers(1, 5),
    p=st.integers(0, 5),
    d=st.integers(1, 4),
)
def test_output_size_matches_torch_formula(n, k, s, p, d):
    if d * (k - 1) + 1 > n + 2 * p:
        with pytest.raises(EngineError):
            conv_output_size(n, k, s, p, d)
        return
    got = conv_output_size(n, k, s, p, d).answer
    conv = torch.nn.Conv2d(1, 1, (1, k), stride=(1, s), padding=(0, p), dilation=(1, d))
    with torch.no_grad():
        assert got == conv(torch.zeros(1, 1, 1, n)).shape[-1]


def test_output_size_textbook():
    assert conv_output_size(32, 5, padding=2).answer == 32
    assert conv_output_size(28, 3, stride=2, padding=1).answer == 14
    assert "(28 + 2×1 − 3) / 2 + 1" in render_steps(conv_output_size(28, 3, stride=2, padding=1))[0]


@pytest.mark.parametrize(
    ("cin", "cout", "k", "bias", "groups"),
    [(3, 64, 3, True, 1), (16, 32, (3, 5), False, 1), (8, 8, 3, True, 8), (12, 6, 1, True, 3)],
)
def test_conv_params_match_torch(cin, cout, k, bias, groups):
    layer = torch.nn.Conv2d(cin, cout, k, bias=bias, groups=groups)
    ans = conv_params(cin, cout, k, bias=bias, groups=groups, output_size=(7, 9)).answer
    assert ans["params"] == sum(p.numel() for p in layer.parameters())
    assert ans["macs"] == layer.weight.numel() * 7 * 9


def test_separable_cost_ratio():
    ans = separable_cost(32, 64, 3, 56).answer
    assert ans["standard_macs"] == 3 * 3 * 32 * 64 * 56 * 56
    assert ans["separable_macs"] == 3 * 3 * 32 * 56 * 56 + 32 * 64 * 56 * 56
    assert_allclose(ans["ratio"], 1 / 64 + 1 / 9)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            dict(input=[[1, 2], [3, 4]], kernel=np.ones((5, 5))),
            r"カーネル kernel \(5×5\) がパディング後の入力 input \(2×2\) より大きい",
        ),
        (dict(input=np.ones((4, 4)), kernel=np.ones((3, 3)), stride=-1), "stride"),
        (dict(input=np.ones((4, 4)), kernel=np.ones((3, 3)), stride=0), "stride"),
        (dict(input=np.ones((4, 4)), kernel=np.ones((3, 3)), padding=-1), "padding"),
        (dict(input=np.ones((4, 4)), kernel=np.ones((3, 3)), dilation=[1, 2, 3]), "dilation"),
        (dict(input=np.ones((2, 4, 4)), kernel=np.ones((3, 3))), "kernel"),
        (dict(input=np.ones((2, 4, 4)), kernel=np.ones((1, 3, 3, 3))), "kernel"),
        (dict(input=np.ones((2, 4, 4)), kernel=np.ones((3, 2, 3, 3)), bias=[1, 2]), "bias"),
        (dict(input=[[1, 2], [3]], kernel=np.ones((1, 1))), "input"),
        (dict(input="abc", kernel=np.ones((1, 1))), "input"),
        (dict(input=np.ones((4,)), kernel=np.ones((1, 1))), "input"),
    ],
)
def test_errors(kwargs, match):
    with pytest.raises(EngineError, match=match):
        conv2d(**kwargs)
