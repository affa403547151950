"""Pooling (max / average, global average) and receptive fields of stacked convolutions.

Pooling follows ``torch.nn.functional.max_pool2d`` / ``avg_pool2d`` without padding:
windows that do not fit are dropped (floor), the stride defaults to the window size.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from gquiz.engine.core import (
    MAX_WORK,
    EngineError,
    Solution,
    Step,
    as_array,
    as_int,
    as_pair,
    check_size,
)
from gquiz.engine.registry import solver

MAX_CELL_STEPS = 2000
MAX_CAUSAL_LAYERS = 64


@solver(
    "pool",
    "最大値プーリング・平均値プーリング",
    {
        "input": "入力 (H×W または C×H×W)",
        "size": "ウィンドウサイズ (整数か [縦, 横])",
        "stride": "ストライド (省略時はウィンドウサイズ)",
        "mode": '"max" か "avg"',
    },
)
def pool(input: Any, size: Any, stride: Any = None, mode: str = "max") -> Solution:
    """Max or average pooling over ``size`` windows moved by ``stride`` (default: ``size``).

    Examples
    --------
    >>> pool([[1, 3, 2, 4], [5, 6, 1, 2], [7, 2, 3, 0], [1, 2, 9, 4]], 2).answer
    array([[6., 4.],
           [7., 9.]])
    """
    x = as_array(input, "input", ndim=(2, 3))
    kh, kw = as_pair(size, "size", min_value=1)
    sh, sw = (kh, kw) if stride is None else as_pair(stride, "stride", min_value=1)
    if mode not in ("max", "avg"):
        raise EngineError(f'mode は "max" か "avg"（{mode!r}）')
    x3 = x[None] if x.ndim == 2 else x
    if kh > x3.shape[1] or kw > x3.shape[2]:
        raise EngineError(
            f"ウィンドウ size ({kh}×{kw}) が入力 input ({x3.shape[1]}×{x3.shape[2]}) より大きい"
        )
    cells = x3.shape[0] * ((x3.shape[1] - kh) // sh + 1) * ((x3.shape[2] - kw) // sw + 1)
    check_size(cells * kh * kw, "ウィンドウ内の比較の回数", MAX_WORK)
    win = sliding_window_view(x3, (kh, kw), axis=(1, 2))[:, ::sh, ::sw]
    out = win.max(axis=(3, 4)) if mode == "max" else win.mean(axis=(3, 4))
    steps: list[Step] = []
    for axis, n, k, s in (("縦", x3.shape[1], kh, sh), ("横", x3.shape[2], kw, sw)):
        steps.append(
            Step(
                "pool_size",
                {
                    "axis": axis,
                    "n": n,
                    "k": k,
                    "s": s,
                    "result": (n - k) // s + 1,
                    "exact": (n - k) % s == 0,
                },
            )
        )
    for c in range(out.shape[0]):
        for i in range(out.shape[1]):
            for j in range(out.shape[2]):
                if len(steps) >= MAX_CELL_STEPS:
                    steps.append(
                        Step("cells_truncated", {"shown": MAX_CELL_STEPS, "total": out.size})
                    )
                    break
                index = [i, j] if x.ndim == 2 else [c, i, j]
                steps.append(
                    Step(
                        "pool_cell",
                        {
                            "mode": mode,
                            "index": index,
                            "window": win[c, i, j].ravel(),
                            "value": out[c, i, j],
                        },
                    )
                )
    return Solution(out[0] if x.ndim == 2 else out, tuple(steps))


@solver("global_avg_pool", "Global Average Pooling (チャネルごとの平均)", {"input": "入力 (C×H×W)"})
def global_avg_pool(input: Any) -> Solution:
    """Global average pooling: the mean of each channel, C×H×W → C."""
    x = as_array(input, "input", ndim=3)
    out = x.mean(axis=(1, 2))
    steps = tuple(
        Step("gap_channel", {"channel": c, "sum": x[c].sum(), "count": x[c].size, "value": out[c]})
        for c in range(x.shape[0])
    )
    return Solution(out, steps)


def _int_list(x: Any, name: str, min_value: int = 1) -> list[int]:
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if not isinstance(x, (list, tuple)) or not x:
        raise EngineError(f"{name} は整数のリストで指定してください")
    return [as_int(v, name, min_value=min_value) for v in x]


@solver(
    "receptive_field",
    "積み重ねた畳み込み・プーリング層の受容野",
    {
        "kernel_sizes": "各層のカーネルサイズのリスト",
        "strides": "各層のストライドのリスト (省略時 1)",
        "dilations": "各層のダイレーションのリスト (省略時 1)",
    },
)
def receptive_field(kernel_sizes: Any, strides: Any = None, dilations: Any = None) -> Solution:
    """Receptive field of stacked layers: ``R = 1 + Σ_l (K_l − 1)·D_l·Π_{j<l} S_j``.

    Examples
    --------
    >>> receptive_field([3, 3, 3]).answer   # three 3×3 convs see 7×7
    7
    >>> receptive_field([3, 2, 3], strides=[1, 2, 1]).answer
    8
    """
    ks = _int_list(kernel_sizes, "kernel_sizes")
    ss = [1] * len(ks) if strides is None else _int_list(strides, "strides")
    ds = [1] * len(ks) if dilations is None else _int_list(dilations, "dilations")
    for name, lst in (("strides", ss), ("dilations", ds)):
        if len(lst) != len(ks):
            raise EngineError(
                f"{name} の長さ ({len(lst)}) が kernel_sizes の長さ ({len(ks)}) と一致しない"
            )
    r, jump = 1, 1
    steps = []
    for i, (k, s, d) in enumerate(zip(ks, ss, ds, strict=False)):
        add = (k - 1) * d * jump
        steps.append(
            Step(
                "rf_layer",
                {"layer": i + 1, "k": k, "d": d, "jump": jump, "before": r, "after": r + add},
            )
        )
        r += add
        jump *= s
    return Solution(r, tuple(steps))


@solver(
    "causal_receptive_field",
    "Dilated Causal Convolution (WaveNet) の受容野",
    {
        "kernel_size": "カーネルサイズ (既定 2)",
        "dilations": "各層のダイレーション (省略時 1, 2, 4, ...)",
        "layers": "層数 (dilations を省略したとき 2^0..2^(layers−1))",
        "stacks": "同じ構成の繰り返し回数 (既定 1)",
    },
)
def causal_receptive_field(
    kernel_size: Any = 2, dilations: Any = None, layers: Any = None, stacks: Any = 1
) -> Solution:
    """Receptive field of dilated causal convolutions, ``R = (K − 1)·Σ D_l + 1``.

    WaveNet: kernel 2, dilations 1, 2, 4, ..., 512 → 1024 samples per stack.

    Examples
    --------
    >>> causal_receptive_field(2, layers=4).answer   # dilations 1, 2, 4, 8
    16
    """
    k = as_int(kernel_size, "kernel_size", min_value=1)
    n_stacks = as_int(stacks, "stacks", min_value=1)
    if dilations is None:
        if layers is None:
            raise EngineError("dilations か layers のどちらかを指定してください")
        n_layers = as_int(layers, "layers", min_value=1)
        if n_layers > MAX_CAUSAL_LAYERS:
            raise EngineError(f"layers が大きすぎる（{n_layers}、最大 {MAX_CAUSAL_LAYERS}）")
        ds = [2**i for i in range(n_layers)]
    else:
        if layers is not None:
            raise EngineError("dilations と layers は同時に指定できない")
        ds = _int_list(dilations, "dilations")
    total = sum(ds) * n_stacks
    r = (k - 1) * total + 1
    step = Step(
        "causal_rf", {"k": k, "dilations": ds, "stacks": n_stacks, "sum": total, "result": r}
    )
    return Solution(r, (step,))
