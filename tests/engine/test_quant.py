"""Quantization against torch observers and torch.quantize_per_tensor / per_channel."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from gquiz.engine.core import EngineError
from gquiz.engine.quant import (
    dequantize,
    quant_error,
    quant_params,
    quant_params_per_channel,
    quantize,
    quantize_per_channel,
)
from gquiz.render import render_steps

torch = pytest.importorskip("torch")
from torch.ao.quantization import MinMaxObserver, PerChannelMinMaxObserver  # noqa: E402

TDTYPE = {"int8": torch.qint8, "uint8": torch.quint8}
pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated:UserWarning")


def _observer(lo, hi, dtype, symmetric, cls=MinMaxObserver, **kw):
    scheme = {
        MinMaxObserver: (torch.per_tensor_affine, torch.per_tensor_symmetric),
        PerChannelMinMaxObserver: (torch.per_channel_affine, torch.per_channel_symmetric),
    }[cls][symmetric]
    return cls(dtype=TDTYPE[dtype], qscheme=scheme, **kw)


@settings(max_examples=200, deadline=None)
@given(
    lo=st.floats(-100, 100, width=32),
    hi=st.floats(-100, 100, width=32),
    dtype=st.sampled_from(["int8", "uint8"]),
    symmetric=st.booleans(),
)
def test_quant_params_match_minmax_observer(lo, hi, dtype, symmetric):
    lo, hi = min(lo, hi), max(lo, hi)
    obs = _observer(lo, hi, dtype, symmetric)
    obs(torch.tensor([lo, hi], dtype=torch.float32))
    ts, tz = obs.calculate_qparams()
    ans = quant_params(lo, hi, dtype, symmetric).answer
    assert_allclose(ans["scale"], float(ts), rtol=1e-6)
    if not symmetric:  # torch computes in float32; skip values sitting on a rounding tie
        ratio = min(lo, 0) / ans["scale"]
        assume(abs(ratio - np.floor(ratio) - 0.5) > 1e-4)
    assert ans["zero_point"] == int(tz)


def test_quant_params_textbook_and_steps():
    sol = quant_params(-1.0, 3.0, "uint8")
    assert sol.answer == {"scale": 4 / 255, "zero_point": 64}
    text = "\n".join(render_steps(sol))
    assert "scale = (max − min) / (qmax − qmin)" in text
    assert "zero_point = qmin − round(min / scale)" in text
    # the range is extended to include 0
    assert quant_params(2.0, 4.0, "uint8").answer == {"scale": 4 / 255, "zero_point": 0}
    assert quant_params(-1.0, 3.0, "int8", symmetric=True).answer == {
        "scale": 3 / 127.5,
        "zero_point": 0,
    }
    assert quant_params(-1.0, 3.0, "uint8", symmetric=True).answer["zero_point"] == 128
    assert quant_params(0.0, 0.0).answer["scale"] == np.finfo(np.float32).eps


def test_per_channel_params_match_observer():
    rng = np.random.default_rng(3)
    w = rng.normal(size=(4, 3, 2)).astype(np.float32)
    for dtype in ("int8", "uint8"):
        for sym in (False, True):
            obs = _observer(None, None, dtype, sym, PerChannelMinMaxObserver, ch_axis=1)
            obs(torch.tensor(w))
            ts, tz = obs.calculate_qparams()
            ans = quant_params_per_channel(w, axis=1, dtype=dtype, symmetric=sym).answer
            assert_allclose(ans["scales"], ts.numpy(), rtol=1e-6)
            assert_array_equal(ans["zero_points"], tz.numpy())


def _torch_q(x, scale, zp, dtype):
    return (
        torch.quantize_per_tensor(torch.tensor(x, dtype=torch.float32), scale, zp, TDTYPE[dtype])
        .int_repr()
        .numpy()
    )


# dyadic scales and values on a grid of scale/4 make x/scale exact in float32 and float64,
# so exact .5 ties are really ties on both sides
@settings(max_examples=200, deadline=None)
@given(
    k=st.lists(st.integers(-700, 700), min_size=1, max_size=20),
    e=st.integers(-4, 3),
    dtype=st.sampled_from(["int8", "uint8"]),
    data=st.data(),
)
def test_quantize_half_even_matches_torch_exactly(k, e, dtype, data):
    scale = 2.0**e
    qmin, qmax = (-128, 127) if dtype == "int8" else (0, 255)
    zp = data.draw(st.integers(qmin, qmax))
    x = np.array(k, dtype=float) * scale / 4
    got = quantize(x, scale, zp, dtype).answer
    assert_array_equal(got, _torch_q(x, scale, zp, dtype))


@settings(max_examples=100, deadline=None)
@given(
    x=st.lists(st.floats(-50, 50, width=32), min_size=1, max_size=20),
    scale=st.floats(0.015625, 2, width=32),
    dtype=st.sampled_from(["int8", "uint8"]),
    zp=st.integers(0, 127),
)
def test_quantize_random_values_match_torch(x, scale, zp, dtype):
    x = np.array(x, dtype=np.float64)
    t = x / scale + zp
    assume(np.all(np.abs(t - np.floor(t) - 0.5) > 1e-3))  # float32 vs float64 only differ near ties
    assert_array_equal(quantize(x, scale, zp, dtype).answer, _torch_q(x, scale, zp, dtype))


def test_ties_half_even_vs_half_up():
    x = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5])
    even = quantize(x, 1.0, 0).answer
    up = quantize(x, 1.0, 0, rounding="half_up").answer
    assert_array_equal(even, _torch_q(x, 1.0, 0, "int8"))
    assert_array_equal(even, [0, 2, 2, 0, -2, -2])
    assert_array_equal(up, [1, 2, 3, -1, -2, -3])
    assert np.any(up != _torch_q(x, 1.0, 0, "int8"))
    # zero point is added before rounding, like torch: 0.5 + 1 = 1.5 → 2
    assert_array_equal(
        quantize([0.5, 2.5], 1.0, 1).answer, _torch_q(np.array([0.5, 2.5]), 1.0, 1, "int8")
    )
    assert any("偶数丸め" in line for line in render_steps(quantize([2.5], 1.0, 0)))


def test_clamp():
    assert_array_equal(quantize([1000, -1000], 1.0, 0, "int8").answer, [127, -128])
    assert_array_equal(quantize([1000, -1000], 1.0, 3, "uint8").answer, [255, 0])
    assert any("クランプ" in line for line in render_steps(quantize([1000], 1.0, 0)))


@settings(max_examples=60, deadline=None)
@given(
    k=st.lists(st.integers(-600, 600), min_size=6, max_size=6),
    dtype=st.sampled_from(["int8", "uint8"]),
    e=st.lists(st.integers(-3, 2), min_size=3, max_size=3),
    zps=st.lists(st.integers(0, 100), min_size=3, max_size=3),
)
def test_per_channel_matches_torch(k, dtype, e, zps):
    x = (np.array(k, dtype=float) / 4).reshape(2, 3)
    scales = 2.0 ** np.array(e)
    ref = (
        torch.quantize_per_channel(
            torch.tensor(x, dtype=torch.float32),
            torch.tensor(scales),
            torch.tensor(zps),
            1,
            TDTYPE[dtype],
        )
        .int_repr()
        .numpy()
    )
    got = quantize_per_channel(x, scales, zps, axis=1, dtype=dtype).answer
    assert_array_equal(got, ref)
    deq = dequantize(got, scales, zps, axis=1).answer
    tq = torch.quantize_per_channel(
        torch.tensor(x, dtype=torch.float32),
        torch.tensor(scales),
        torch.tensor(zps),
        1,
        TDTYPE[dtype],
    )
    assert_allclose(deq, tq.dequantize().numpy(), rtol=1e-6)


def test_dequantize_and_error():
    x = np.array([-1.0, 0.0, 0.3, 2.0, 5.0])
    sol = quant_error(x, 0.1, 0, "int8")
    tq = torch.quantize_per_tensor(torch.tensor(x, dtype=torch.float32), 0.1, 0, torch.qint8)
    assert_allclose(sol.answer["dequantized"], tq.dequantize().numpy(), rtol=1e-6)
    assert sol.answer["max_abs_error"] <= 0.05 + 1e-12
    assert_allclose(dequantize(64, 1 / 64, 64).answer, 0.0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: quant_params(3, 1), "min"),
        (lambda: quant_params(0, 1, dtype="int4"), "dtype"),
        (lambda: quantize([1.0], 0, 0), "scale"),
        (lambda: quantize([1.0], 1, 300, "uint8"), "zero_point"),
        (lambda: quantize([1.0], 1, 0, rounding="up"), "rounding"),
        (lambda: quantize(["a"], 1, 0), "values"),
        (lambda: quantize_per_channel(np.ones((2, 3)), [1, 1], [0, 0], axis=1), "scales"),
        (lambda: dequantize([1, 2], [1.0, 2.0], 0), "axis"),
    ],
)
def test_errors(call, match):
    with pytest.raises(EngineError, match=match):
        call()


@settings(max_examples=100, deadline=None)
@given(
    lo=st.floats(-50, 0),
    hi=st.floats(0.01, 50),
    dtype=st.sampled_from(["int8", "uint8"]),
    xs=st.lists(st.floats(0, 1), min_size=1, max_size=10),
)
def test_affine_properties_zero_exact_and_half_scale_error(lo, hi, dtype, xs):
    p = quant_params(lo, hi, dtype).answer
    s, z = p["scale"], p["zero_point"]
    assert quantize([0.0], s, z, dtype).answer[0] == z  # 0.0 is exactly representable
    x = lo + np.array(xs) * (hi - lo)  # values inside the observed range
    err = quant_error(x, s, z, dtype).answer
    assert err["max_abs_error"] <= s / 2 * (1 + 1e-9) + 1e-12
