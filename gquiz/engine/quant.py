"""Quantization: affine / symmetric parameters, quantize, dequantize, error, per-channel.

Conventions (checked against ``torch.ao.quantization`` observers and
``torch.quantize_per_tensor`` / ``torch.quantize_per_channel`` in the tests):

* ranges: int8 is [−128, 127], uint8 is [0, 255] (no ``reduce_range``).
* affine (``symmetric=False``): the observed range is first extended to include 0
  (``min ← min(min, 0)``, ``max ← max(max, 0)``) so that 0.0 is exactly representable;
  ``scale = (max − min) / (qmax − qmin)``, ``zero_point = qmin − round(min / scale)``
  clamped to [qmin, qmax] (``MinMaxObserver`` with ``per_tensor_affine``).
* symmetric: ``scale = max(|min|, |max|) / ((qmax − qmin) / 2)`` (i.e. ÷127.5), zero point
  0 for int8 and 128 for uint8 (``per_tensor_symmetric``).
* a zero range gives ``scale = float32 eps`` like PyTorch (never divide by zero).
* quantize: ``q = clamp(round(x / scale + zero_point), qmin, qmax)``. The zero point is
  added *before* rounding, as PyTorch's kernels do, so ties are decided on
  ``x / scale + zero_point`` (with an odd zero point this differs from the textbook
  ``round(x / scale) + zero_point`` on exact ties). ``rounding="half_even"`` (default,
  PyTorch's rule) or ``"half_up"`` (四捨五入: ties away from zero).
* dequantize: ``x̂ = scale × (q − zero_point)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gquiz.engine.core import EngineError, Solution, Step, as_array, as_bool, as_float, as_int
from gquiz.engine.registry import solver

MAX_ELEMENT_STEPS = 2000
FLOAT32_EPS = float(np.finfo(np.float32).eps)
_RANGES = {"int8": (-128, 127), "uint8": (0, 255)}


def qrange(dtype: str) -> tuple[int, int]:
    """``(qmin, qmax)`` of ``dtype`` ("int8" or "uint8")."""
    try:
        return _RANGES[dtype]
    except (KeyError, TypeError):
        raise EngineError(f'dtype は "int8" か "uint8"（{dtype!r}）') from None


def round_values(v: np.ndarray, rounding: str) -> np.ndarray:
    """Round with the named rule: "half_even" (banker's, PyTorch) or "half_up" (ties away from zero)."""
    if rounding == "half_even":
        return np.round(v)
    if rounding == "half_up":
        rounded: np.ndarray = np.sign(v) * np.floor(np.abs(v) + 0.5)
        return rounded
    raise EngineError(f'rounding は "half_even" か "half_up"（{rounding!r}）')


def _qparams(
    lo: float, hi: float, dtype: str, symmetric: bool
) -> tuple[float, int, dict[str, Any]]:
    qmin, qmax = qrange(dtype)
    lo_n, hi_p = min(lo, 0.0), max(hi, 0.0)
    if symmetric:
        m = max(-lo_n, hi_p)
        scale = max(m / ((qmax - qmin) / 2), FLOAT32_EPS)
        zp = 0 if dtype == "int8" else 128
        info = {"absmax": m, "half_range": (qmax - qmin) / 2}
    else:
        scale = max((hi_p - lo_n) / (qmax - qmin), FLOAT32_EPS)
        raw = qmin - float(np.round(lo_n / scale))
        zp = int(np.clip(raw, qmin, qmax))
        info = {"min_ext": lo_n, "max_ext": hi_p, "min_over_scale": lo_n / scale}
    return scale, zp, info


@solver(
    "quant_params",
    "量子化パラメータ (scale と zero point) を最小値・最大値から求める",
    {
        "min": "観測した最小値",
        "max": "観測した最大値",
        "dtype": '"int8" か "uint8"',
        "symmetric": "対称量子化なら true (既定 false = アフィン)",
    },
)
def quant_params(min: Any, max: Any, dtype: str = "int8", symmetric: Any = False) -> Solution:
    """Scale and zero point from an observed range (PyTorch ``MinMaxObserver`` conventions).

    Examples
    --------
    >>> quant_params(-1.0, 3.0, "uint8").answer
    {'scale': 0.01568627450980392, 'zero_point': 64}
    >>> quant_params(-1.0, 3.0, "int8", symmetric=True).answer
    {'scale': 0.023529411764705882, 'zero_point': 0}
    """
    lo = as_float(min, "min")
    hi = as_float(max, "max")
    if lo > hi:
        raise EngineError(f"min ({lo:g}) が max ({hi:g}) より大きい")
    sym = as_bool(symmetric, "symmetric")
    qmin, qmax = qrange(dtype)
    scale, zp, info = _qparams(lo, hi, dtype, sym)
    step = Step(
        "quant_params",
        {
            "symmetric": sym,
            "dtype": dtype,
            "qmin": qmin,
            "qmax": qmax,
            "min": lo,
            "max": hi,
            "scale": scale,
            "zero_point": zp,
            **info,
        },
    )
    return Solution({"scale": scale, "zero_point": zp}, (step,))


@solver(
    "quant_params_per_channel",
    "チャネルごとの量子化パラメータ",
    {
        "values": "重みなどの配列",
        "axis": "チャネルの軸 (既定 0)",
        "dtype": '"int8" か "uint8"',
        "symmetric": "対称量子化なら true",
    },
)
def quant_params_per_channel(
    values: Any, axis: Any = 0, dtype: str = "int8", symmetric: Any = False
) -> Solution:
    """Per-channel scale and zero point (``PerChannelMinMaxObserver``): one range per slice along ``axis``."""
    x = as_array(values, "values")
    ax = _axis(axis, x)
    sym = as_bool(symmetric, "symmetric")
    qmin, qmax = qrange(dtype)
    moved = np.moveaxis(x, ax, 0).reshape(x.shape[ax], -1)
    scales, zps, steps = [], [], []
    for c, row in enumerate(moved):
        s, z, info = _qparams(float(row.min()), float(row.max()), dtype, sym)
        scales.append(s)
        zps.append(z)
        steps.append(
            Step(
                "quant_params",
                {
                    "channel": c,
                    "symmetric": sym,
                    "dtype": dtype,
                    "qmin": qmin,
                    "qmax": qmax,
                    "min": float(row.min()),
                    "max": float(row.max()),
                    "scale": s,
                    "zero_point": z,
                    **info,
                },
            )
        )
    return Solution(
        {"scales": np.array(scales), "zero_points": np.array(zps, dtype=np.int64)}, tuple(steps)
    )


def _axis(axis: Any, x: np.ndarray) -> int:
    ax = as_int(axis, "axis")
    if not -x.ndim <= ax < x.ndim:
        raise EngineError(f"axis ({ax}) が values の次元数 ({x.ndim}) の範囲外")
    return ax % x.ndim


def _quantize(
    x: np.ndarray,
    scale: np.ndarray | np.float64,
    zp: np.ndarray | np.int64,
    dtype: str,
    rounding: str,
) -> tuple[np.ndarray, list[Step]]:
    qmin, qmax = qrange(dtype)
    t = x / scale + zp
    r = round_values(t, rounding)
    q = np.clip(r, qmin, qmax).astype(np.int64)
    steps = []
    flat = [a.ravel() for a in np.broadcast_arrays(x, scale, zp, t, r, q)]
    for i in range(min(x.size, MAX_ELEMENT_STEPS)):
        xv, sv, zv, tv, rv, qv = (a[i] for a in flat)
        steps.append(
            Step(
                "quantize_value",
                {
                    "x": xv,
                    "scale": sv,
                    "zero_point": int(zv),
                    "scaled": tv,
                    "rounded": rv,
                    "q": qv,
                    "clamped": rv != qv,
                    "qmin": qmin,
                    "qmax": qmax,
                    "tie": bool(tv - np.floor(tv) == 0.5),
                    "rounding": rounding,
                },
            )
        )
    if x.size > MAX_ELEMENT_STEPS:
        steps.append(Step("cells_truncated", {"shown": MAX_ELEMENT_STEPS, "total": x.size}))
    return q, steps


def _check_zp(zp: Any, dtype: str, name: str = "zero_point") -> int:
    z = as_int(zp, name)
    qmin, qmax = qrange(dtype)
    if not qmin <= z <= qmax:
        raise EngineError(f"{name} ({z}) が {dtype} の範囲 [{qmin}, {qmax}] の外")
    return z


@solver(
    "quantize",
    "実数を整数に量子化する q = clamp(round(x / scale + zero_point))",
    {
        "values": "実数の値 (スカラーか配列)",
        "scale": "scale (正の数)",
        "zero_point": "zero point (整数)",
        "dtype": '"int8" か "uint8"',
        "rounding": '"half_even" (既定、PyTorch) か "half_up" (四捨五入)',
    },
)
def quantize(
    values: Any, scale: Any, zero_point: Any, dtype: str = "int8", rounding: str = "half_even"
) -> Solution:
    """Affine quantization ``q = clamp(round(x / scale + zero_point), qmin, qmax)``.

    Examples
    --------
    >>> quantize([0.5, 1.5, 2.5, 300.0], 1.0, 0).answer   # ties to even, clamp to 127
    array([  0,   2,   2, 127])
    >>> quantize([0.5, 1.5, 2.5], 1.0, 0, rounding="half_up").answer
    array([1, 2, 3])
    """
    x = as_array(values, "values")
    s = as_float(scale, "scale", positive=True)
    z = _check_zp(zero_point, dtype)
    round_values(np.zeros(1), rounding)  # validate the name before any work
    q, steps = _quantize(x, np.float64(s), np.int64(z), dtype, rounding)
    return Solution(q if q.ndim else int(q), tuple(steps))


@solver(
    "quantize_per_channel",
    "チャネルごとの scale / zero point で量子化する",
    {
        "values": "実数の配列",
        "scales": "チャネルごとの scale",
        "zero_points": "チャネルごとの zero point",
        "axis": "チャネルの軸 (既定 0)",
        "dtype": '"int8" か "uint8"',
        "rounding": '"half_even" か "half_up"',
    },
)
def quantize_per_channel(
    values: Any,
    scales: Any,
    zero_points: Any,
    axis: Any = 0,
    dtype: str = "int8",
    rounding: str = "half_even",
) -> Solution:
    """Per-channel quantization (``torch.quantize_per_channel``): channel ``c`` along ``axis`` uses ``scales[c]``."""
    x = as_array(values, "values")
    ax = _axis(axis, x)
    s = as_array(scales, "scales", ndim=1)
    zf = as_array(zero_points, "zero_points", ndim=1, dtype=int)
    n = x.shape[ax]
    for name, arr in (("scales", s), ("zero_points", zf)):
        if arr.shape[0] != n:
            raise EngineError(
                f"{name} の長さ ({arr.shape[0]}) が axis {ax} のチャネル数 ({n}) と一致しない"
            )
    if np.any(s <= 0):
        raise EngineError("scales はすべて正の数でなければならない")
    for z in zf:
        _check_zp(int(z), dtype, "zero_points")
    round_values(np.zeros(1), rounding)
    shape = [1] * x.ndim
    shape[ax] = n
    q, steps = _quantize(x, s.reshape(shape), zf.reshape(shape), dtype, rounding)
    return Solution(q, tuple(steps))


def _dequant_args(
    q: Any, scale: Any, zero_point: Any, axis: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    qa = as_array(q, "q", dtype=int)
    s = as_array(scale, "scale", ndim=(0, 1))
    z = as_array(zero_point, "zero_point", ndim=(0, 1), dtype=int)
    if np.any(s <= 0):
        raise EngineError("scale は正の数でなければならない")
    if s.ndim == 1 or z.ndim == 1:
        if axis is None:
            raise EngineError("チャネルごとの scale / zero_point には axis を指定してください")
        ax = _axis(axis, qa)
        shape = [1] * qa.ndim
        shape[ax] = qa.shape[ax]
        n = qa.shape[ax]
        for name, arr in (("scale", s), ("zero_point", z)):
            if arr.ndim == 1 and arr.shape[0] != n:
                raise EngineError(
                    f"{name} の長さ ({arr.shape[0]}) が axis {ax} のチャネル数 ({n}) と一致しない"
                )
        s = np.broadcast_to(s, (n,)).reshape(shape)
        z = np.broadcast_to(z, (n,)).reshape(shape)
    return qa, s, z


@solver(
    "dequantize",
    "量子化値を実数に戻す x̂ = scale × (q − zero_point)",
    {
        "q": "量子化された整数 (スカラーか配列)",
        "scale": "scale (チャネルごとなら配列)",
        "zero_point": "zero point (チャネルごとなら配列)",
        "axis": "チャネルごとのときの軸",
    },
)
def dequantize(q: Any, scale: Any, zero_point: Any, axis: Any = None) -> Solution:
    """Dequantize ``x̂ = scale × (q − zero_point)``; array ``scale`` / ``zero_point`` need ``axis``.

    Examples
    --------
    >>> dequantize([0, 64, 255], 1 / 64, 64).answer
    array([-1.      ,  0.      ,  2.984375])
    """
    qa, s, z = _dequant_args(q, scale, zero_point, axis)
    x = s * (qa - z)
    steps = []
    flat = [a.ravel() for a in np.broadcast_arrays(qa, s, z, x)]
    for i in range(min(qa.size, MAX_ELEMENT_STEPS)):
        qv, sv, zv, xv = (a[i] for a in flat)
        steps.append(Step("dequantize_value", {"q": qv, "scale": sv, "zero_point": zv, "x": xv}))
    return Solution(x if x.ndim else float(x), tuple(steps))


@solver(
    "quant_error",
    "量子化誤差 (量子化して戻したときのずれ)",
    {
        "values": "実数の値",
        "scale": "scale",
        "zero_point": "zero point",
        "dtype": '"int8" か "uint8"',
        "rounding": '"half_even" か "half_up"',
    },
)
def quant_error(
    values: Any, scale: Any, zero_point: Any, dtype: str = "int8", rounding: str = "half_even"
) -> Solution:
    """Quantize then dequantize; report ``x̂``, the error ``x̂ − x``, max |error| and MSE.

    Inside the range the error is at most ``scale / 2``; clamped values can be off by more.
    """
    x = as_array(values, "values")
    qsol = quantize(x, scale, zero_point, dtype, rounding)
    q = np.asarray(qsol.answer)
    s = float(scale)
    xh = s * (q - int(zero_point))
    err = xh - x
    answer = {
        "q": q,
        "dequantized": xh,
        "error": err,
        "max_abs_error": float(np.max(np.abs(err))),
        "mse": float(np.mean(err**2)),
    }
    steps = list(qsol.steps)
    steps.append(
        Step(
            "quant_error",
            {
                "x": x.ravel(),
                "dequantized": xh.ravel(),
                "error": err.ravel(),
                "max_abs_error": answer["max_abs_error"],
                "mse": answer["mse"],
                "half_scale": s / 2,
            },
        )
    )
    return Solution(answer, tuple(steps))
