"""Convolution: 2-D cross-correlation, output sizes, depthwise(-separable) convolution, costs.

Conventions follow PyTorch's ``torch.nn.functional.conv2d``: the operation is a
cross-correlation (the kernel is not flipped), zero padding, output size
``floor((N + 2P − D(K − 1) − 1) / S) + 1``.
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
    as_bool,
    as_int,
    as_pair,
    check_size,
    shape_str,
)
from gquiz.engine.registry import solver

# Per-cell steps beyond this many output cells are summarised (a drill never gets there;
# a property test with random shapes might, and a million-line solution helps nobody).
MAX_CELL_STEPS = 2000

_CONV_DOC = {
    "input": "入力 (H×W または C×H×W)",
    "kernel": "カーネル (kh×kw、C×kh×kw または OUT×C/groups×kh×kw)",
    "stride": "ストライド (整数か [縦, 横])",
    "padding": "ゼロパディング (整数か [縦, 横])",
    "dilation": "ダイレーション (整数か [縦, 横])",
    "bias": "バイアス (スカラーか長さ OUT の配列、null なら 0)",
    "groups": "グループ数 (既定 1、C なら depthwise)",
}


def _out_len(n: int, k: int, s: int, p: int, d: int) -> int:
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def _conv_core(
    x: np.ndarray,
    w: np.ndarray,
    stride: tuple[int, int],
    padding: tuple[int, int],
    dilation: tuple[int, int],
    bias: np.ndarray,
    groups: int,
    *,
    name_in: str = "入力 input",
    name_k: str = "カーネル kernel",
) -> tuple[np.ndarray, np.ndarray]:
    """Grouped conv of x (C,H,W) with w (OUT, C/groups, kh, kw). Returns (out, padded input)."""
    c, h, wd = x.shape
    out_c, cg, kh, kw = w.shape
    if c % groups or out_c % groups:
        raise EngineError(
            f"groups ({groups}) は入力チャネル数 ({c}) と出力チャネル数 ({out_c}) の両方を割り切らなければならない"
        )
    if cg != c // groups:
        raise EngineError(
            f"{name_k} のチャネル数 ({cg}) が {name_in} のチャネル数 / groups ({c}/{groups}={c // groups}) と一致しない"
        )
    ph, pw = padding
    # Sizes first: padding 2000 or a huge stride product must fail before np.pad allocates.
    check_size(c * (h + 2 * ph) * (wd + 2 * pw), "パディング後の入力")
    oh_, ow_ = (
        max(_out_len(h, kh, stride[0], ph, dilation[0]), 0),
        max(_out_len(wd, kw, stride[1], pw, dilation[1]), 0),
    )
    check_size(out_c * oh_ * ow_, "出力")
    check_size(out_c * oh_ * ow_ * cg * kh * kw, "積和の回数", MAX_WORK)
    xp = np.pad(x, ((0, 0), (ph, ph), (pw, pw)))
    ekh, ekw = dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1
    if ekh > xp.shape[1] or ekw > xp.shape[2]:
        what = (
            f"{name_k} ({kh}×{kw})"
            if (ekh, ekw) == (kh, kw)
            else f"ダイレーション後の {name_k} ({ekh}×{ekw})"
        )
        raise EngineError(
            f"{what} がパディング後の{name_in} ({xp.shape[1]}×{xp.shape[2]}) より大きい"
        )
    win = sliding_window_view(xp, (ekh, ekw), axis=(1, 2))[
        :, :: stride[0], :: stride[1], :: dilation[0], :: dilation[1]
    ]
    # win: (C, H', W', kh, kw)
    oh, ow = win.shape[1], win.shape[2]
    out = np.empty((out_c, oh, ow))
    opg = out_c // groups
    for g in range(groups):
        xs = win[g * cg : (g + 1) * cg]
        ws = w[g * opg : (g + 1) * opg]
        out[g * opg : (g + 1) * opg] = np.einsum("chwij,ocij->ohw", xs, ws)
    out += bias[:, None, None]
    return out, xp


def _cell_steps(
    xp: np.ndarray,
    w: np.ndarray,
    out: np.ndarray,
    stride: tuple[int, int],
    dilation: tuple[int, int],
    bias: np.ndarray,
    groups: int,
    squeeze_out: bool,
    label: str = "出力",
) -> list[Step]:
    out_c, cg, kh, kw = w.shape
    opg = out_c // groups
    steps: list[Step] = []
    n_cells = out.size
    for o in range(out_c):
        g = o // opg
        for i in range(out.shape[1]):
            for j in range(out.shape[2]):
                if len(steps) >= MAX_CELL_STEPS:
                    steps.append(
                        Step("cells_truncated", {"shown": MAX_CELL_STEPS, "total": n_cells})
                    )
                    return steps
                terms = []
                for c in range(cg):
                    for a in range(kh):
                        for b in range(kw):
                            xv = xp[
                                g * cg + c,
                                i * stride[0] + a * dilation[0],
                                j * stride[1] + b * dilation[1],
                            ]
                            terms.append([xv, w[o, c, a, b]])
                index = [i, j] if squeeze_out else [o, i, j]
                steps.append(
                    Step(
                        "conv_cell",
                        {
                            "label": label,
                            "index": index,
                            "terms": terms,
                            "bias": bias[o],
                            "value": out[o, i, j],
                        },
                    )
                )
    return steps


def _size_steps(
    hw: tuple[int, int],
    k: tuple[int, int],
    s: tuple[int, int],
    p: tuple[int, int],
    d: tuple[int, int],
) -> list[Step]:
    steps = []
    for axis, n, kk, ss, pp, dd in zip(("縦", "横"), hw, k, s, p, d, strict=False):
        num = n + 2 * pp - dd * (kk - 1) - 1
        steps.append(
            Step(
                "conv_size",
                {
                    "axis": axis,
                    "n": n,
                    "k": kk,
                    "s": ss,
                    "p": pp,
                    "d": dd,
                    "numerator": num,
                    "result": num // ss + 1,
                    "exact": num % ss == 0,
                },
            )
        )
    return steps


@solver("conv2d", "2次元畳み込み (相互相関) の各出力セルの積和", _CONV_DOC)
def conv2d(
    input: Any,
    kernel: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    bias: Any = None,
    groups: Any = 1,
) -> Solution:
    """2-D cross-correlation as in ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    input : array_like, H×W or C×H×W
    kernel : array_like, kh×kw (single channel), C×kh×kw (one output map summed over
        channels) or OUT×(C/groups)×kh×kw
    stride, padding, dilation : int or pair of int
    bias : scalar or array of length OUT, optional
    groups : int
        Channel groups (``groups = C`` is a depthwise convolution).

    Returns
    -------
    Solution
        ``answer`` is H'×W' (2-D input with 2-D/3-D kernel) or OUT×H'×W'.

    Examples
    --------
    >>> conv2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, 1]]).answer
    array([[ 6.,  8.],
           [12., 14.]])
    """
    x = as_array(input, "input", ndim=(2, 3))
    k = as_array(kernel, "kernel", ndim=(2, 3, 4))
    s = as_pair(stride, "stride", min_value=1)
    p = as_pair(padding, "padding", min_value=0)
    d = as_pair(dilation, "dilation", min_value=1)
    g = as_int(groups, "groups", min_value=1)
    squeeze = k.ndim in (2, 3)
    x3 = x[None] if x.ndim == 2 else x
    if k.ndim == 2:
        if x3.shape[0] != 1:
            raise EngineError(
                f"kernel ({shape_str(k.shape)}) は 1 チャネル用だが input は {x3.shape[0]} チャネル（C×kh×kw のカーネルを指定）"
            )
        w = k[None, None]
    elif k.ndim == 3:
        w = k[None]
    else:
        w = k
    out_c = w.shape[0]
    b = _bias(bias, out_c)
    out, xp = _conv_core(x3, w, s, p, d, b, g)
    steps = _size_steps(x3.shape[1:], w.shape[2:], s, p, d)
    if p != (0, 0):
        steps.append(
            Step("padded_input", {"padding": list(p), "array": xp[0] if x.ndim == 2 else xp})
        )
    steps.append(
        Step(
            "conv_formula",
            {
                "channels": w.shape[1],
                "out_channels": 1 if squeeze else out_c,
                "stride": list(s),
                "dilation": list(d),
            },
        )
    )
    steps += _cell_steps(xp, w, out, s, d, b, g, squeeze)
    answer = out[0] if squeeze else out
    return Solution(answer, tuple(steps))


def _bias(bias: Any, out_c: int, name: str = "bias") -> np.ndarray:
    if bias is None:
        return np.zeros(out_c)
    b = as_array(bias, name, ndim=(0, 1))
    if b.ndim == 0:
        return np.full(out_c, float(b))
    if b.shape[0] != out_c:
        raise EngineError(f"{name} の長さ ({b.shape[0]}) が出力チャネル数 ({out_c}) と一致しない")
    return b


@solver(
    "conv_output_size",
    "畳み込み・プーリングの出力サイズ (N + 2P − D(K−1) − 1) / S + 1",
    {
        "in_size": "入力サイズ N",
        "kernel_size": "カーネルサイズ K",
        "stride": "ストライド S",
        "padding": "パディング P",
        "dilation": "ダイレーション D",
    },
)
def conv_output_size(
    in_size: Any, kernel_size: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1
) -> Solution:
    """Output length of a convolution along one axis, ``floor((N + 2P − D(K−1) − 1)/S) + 1``.

    With ``dilation = 1`` this is the textbook ``(N + 2P − K)/S + 1``.

    Examples
    --------
    >>> conv_output_size(32, 5, stride=1, padding=2).answer
    32
    >>> conv_output_size(7, 3, stride=2).answer
    3
    """
    n = as_int(in_size, "in_size", min_value=1)
    k = as_int(kernel_size, "kernel_size", min_value=1)
    s = as_int(stride, "stride", min_value=1)
    p = as_int(padding, "padding", min_value=0)
    d = as_int(dilation, "dilation", min_value=1)
    ek = d * (k - 1) + 1
    if ek > n + 2 * p:
        raise EngineError(
            f"カーネル kernel_size ({ek}) がパディング後の入力 in_size ({n + 2 * p}) より大きい"
        )
    num = n + 2 * p - d * (k - 1) - 1
    res = num // s + 1
    step = Step(
        "conv_size",
        {
            "axis": None,
            "n": n,
            "k": k,
            "s": s,
            "p": p,
            "d": d,
            "numerator": num,
            "result": res,
            "exact": num % s == 0,
        },
    )
    return Solution(res, (step,))


@solver(
    "depthwise_conv2d",
    "Depthwise 畳み込み (チャネルごとに独立なカーネル)",
    {
        "input": "入力 (C×H×W)",
        "kernel": "カーネル (C×kh×kw)",
        "stride": _CONV_DOC["stride"],
        "padding": _CONV_DOC["padding"],
        "dilation": _CONV_DOC["dilation"],
        "bias": "バイアス (長さ C)",
    },
)
def depthwise_conv2d(
    input: Any, kernel: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1, bias: Any = None
) -> Solution:
    """Depthwise convolution: channel ``c`` of the output is ``input[c] ⋆ kernel[c]``.

    Equal to ``conv2d`` with ``groups = C`` and kernel ``C×1×kh×kw``.
    """
    x = as_array(input, "input", ndim=3)
    k = as_array(kernel, "kernel", ndim=3)
    if k.shape[0] != x.shape[0]:
        raise EngineError(
            f"kernel のチャネル数 ({k.shape[0]}) が input のチャネル数 ({x.shape[0]}) と一致しない"
        )
    return conv2d(x, k[:, None], stride, padding, dilation, bias, groups=x.shape[0])


@solver(
    "separable_conv2d",
    "Depthwise Separable 畳み込み (depthwise の後に 1×1 pointwise)",
    {
        "input": "入力 (C×H×W)",
        "depthwise_kernel": "depthwise カーネル (C×kh×kw)",
        "pointwise_kernel": "pointwise カーネル (OUT×C)",
        "stride": _CONV_DOC["stride"],
        "padding": _CONV_DOC["padding"],
        "dilation": _CONV_DOC["dilation"],
    },
)
def separable_conv2d(
    input: Any,
    depthwise_kernel: Any,
    pointwise_kernel: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
) -> Solution:
    """Depthwise-separable convolution (MobileNet): depthwise kh×kw, then pointwise 1×1.

    Returns OUT×H'×W'. No biases and no activation between the two stages.
    """
    x = as_array(input, "input", ndim=3)
    dk = as_array(depthwise_kernel, "depthwise_kernel", ndim=3)
    pk = as_array(pointwise_kernel, "pointwise_kernel", ndim=2)
    c = x.shape[0]
    if dk.shape[0] != c:
        raise EngineError(
            f"depthwise_kernel のチャネル数 ({dk.shape[0]}) が input のチャネル数 ({c}) と一致しない"
        )
    if pk.shape[1] != c:
        raise EngineError(
            f"pointwise_kernel の列数 ({pk.shape[1]}) が input のチャネル数 ({c}) と一致しない"
        )
    s = as_pair(stride, "stride", min_value=1)
    p = as_pair(padding, "padding", min_value=0)
    d = as_pair(dilation, "dilation", min_value=1)
    w1 = dk[:, None]
    mid, xp = _conv_core(x, w1, s, p, d, np.zeros(c), c, name_k="カーネル depthwise_kernel")
    w2 = pk[:, :, None, None]
    out, _ = _conv_core(
        mid,
        w2,
        (1, 1),
        (0, 0),
        (1, 1),
        np.zeros(pk.shape[0]),
        1,
        name_in="depthwise 出力",
        name_k="カーネル pointwise_kernel",
    )
    steps = [Step("stage", {"name": "depthwise"})]
    steps += _size_steps(x.shape[1:], dk.shape[1:], s, p, d)
    steps += _cell_steps(xp, w1, mid, s, d, np.zeros(c), c, False, label="depthwise")
    steps.append(Step("stage", {"name": "pointwise"}))
    steps += _cell_steps(
        mid, w2, out, (1, 1), (1, 1), np.zeros(pk.shape[0]), 1, False, label="出力"
    )
    return Solution(out, tuple(steps))


@solver(
    "conv_params",
    "畳み込み層のパラメータ数と積和回数",
    {
        "in_channels": "入力チャネル数",
        "out_channels": "出力チャネル数",
        "kernel_size": "カーネルサイズ (整数か [縦, 横])",
        "bias": "バイアスの有無 (既定 true)",
        "groups": "グループ数 (既定 1)",
        "output_size": "出力サイズ (整数か [縦, 横]、積和回数の計算用、省略可)",
    },
)
def conv_params(
    in_channels: Any,
    out_channels: Any,
    kernel_size: Any,
    bias: Any = True,
    groups: Any = 1,
    output_size: Any = None,
) -> Solution:
    """Parameter count of a conv layer, and its multiply-adds when ``output_size`` is given.

    ``params = OUT × (C / groups) × kh × kw (+ OUT biases)``;
    ``MACs = OUT × (C / groups) × kh × kw × H' × W'`` (biases are additions, not counted).

    Examples
    --------
    >>> conv_params(3, 64, 3).answer
    {'params': 1792, 'weights': 1728, 'biases': 64}
    """
    cin = as_int(in_channels, "in_channels", min_value=1)
    cout = as_int(out_channels, "out_channels", min_value=1)
    kh, kw = as_pair(kernel_size, "kernel_size", min_value=1)
    g = as_int(groups, "groups", min_value=1)
    use_bias = as_bool(bias, "bias")
    if cin % g or cout % g:
        raise EngineError(
            f"groups ({g}) は in_channels ({cin}) と out_channels ({cout}) の両方を割り切らなければならない"
        )
    weights = cout * (cin // g) * kh * kw
    biases = cout if use_bias else 0
    answer: dict[str, Any] = {"params": weights + biases, "weights": weights, "biases": biases}
    steps = [
        Step(
            "conv_params",
            {
                "cin": cin,
                "cout": cout,
                "kh": kh,
                "kw": kw,
                "groups": g,
                "weights": weights,
                "biases": biases,
                "params": weights + biases,
            },
        )
    ]
    if output_size is not None:
        oh, ow = as_pair(output_size, "output_size", min_value=1)
        macs = weights * oh * ow
        answer["macs"] = macs
        steps.append(Step("conv_macs", {"weights": weights, "oh": oh, "ow": ow, "macs": macs}))
    return Solution(answer, tuple(steps))


@solver(
    "separable_cost",
    "標準畳み込みと Depthwise Separable 畳み込みの重みの数と計算量の比較 (MobileNet)",
    {
        "in_channels": "入力チャネル数 M",
        "out_channels": "出力チャネル数 N",
        "kernel_size": "カーネルサイズ Dk",
        "output_size": "出力特徴マップのサイズ Df",
        "ask": '途中式に出すもの: "all"（既定）、"params"（重みの数）、"macs"（積和演算の回数）、"ratio"（計算量の比）',
    },
)
def separable_cost(
    in_channels: Any,
    out_channels: Any,
    kernel_size: Any,
    output_size: Any,
    ask: str = "all",
) -> Solution:
    """Weights and multiply-adds of a standard vs a depthwise-separable convolution (MobileNet §3.1).

    standard ``Dk·Dk·M·N·Df·Df``; separable ``Dk·Dk·M·Df·Df + M·N·Df·Df``;
    ratio ``1/N + 1/Dk²``. Parameter counts (no biases) ``Dk·Dk·M + M·N``. ``ask`` chooses
    which computation the worked steps show, so a question about the weights is solved with
    weights (ending in their sum), not with multiply-adds.

    Examples
    --------
    >>> separable_cost(32, 64, 3, 56).answer["ratio"]  # 1/64 + 1/9
    0.126736...
    >>> separable_cost(3, 8, 3, 7).answer["separable_params"]  # 3·3·3 + 3·8
    51
    """
    m = as_int(in_channels, "in_channels", min_value=1)
    n = as_int(out_channels, "out_channels", min_value=1)
    dk = as_int(kernel_size, "kernel_size", min_value=1)
    df = as_int(output_size, "output_size", min_value=1)
    if ask not in ("all", "params", "macs", "ratio"):
        raise EngineError(f'ask は "all"、"params"、"macs"、"ratio" のどれかです（{ask!r}）')
    std = dk * dk * m * n * df * df
    dw = dk * dk * m * df * df
    pw = m * n * df * df
    ratio = (dw + pw) / std
    answer = {
        "standard_macs": std,
        "depthwise_macs": dw,
        "pointwise_macs": pw,
        "separable_macs": dw + pw,
        "ratio": ratio,
        "standard_params": dk * dk * m * n,
        "separable_params": dk * dk * m + m * n,
    }
    sizes = {"m": m, "n": n, "dk": dk, "df": df}
    steps: list[Step] = []
    if ask in ("all", "params"):
        steps.append(
            Step(
                "separable_params",
                {
                    **sizes,
                    "standard": dk * dk * m * n,
                    "depthwise": dk * dk * m,
                    "pointwise": m * n,
                    "total": dk * dk * m + m * n,
                },
            )
        )
    if ask in ("all", "macs", "ratio"):
        steps.append(
            Step(
                "separable_macs",
                {**sizes, "standard": std, "depthwise": dw, "pointwise": pw, "total": dw + pw},
            )
        )
    if ask in ("all", "ratio"):
        steps.append(
            Step(
                "separable_ratio",
                {**sizes, "standard": std, "separable": dw + pw, "ratio": ratio},
            )
        )
    return Solution(answer, tuple(steps))
