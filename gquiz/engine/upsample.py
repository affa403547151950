"""Output size of a transposed convolution (PyTorch's ``ConvTranspose2d``):

``O = (N − 1) S − 2P + D (K − 1) + output_padding + 1``

It is the input size of the ordinary convolution with the same K, S, P, D that would map
``O`` back to ``N`` (``output_padding`` picks among the sizes that do, when S > 1).
"""

from __future__ import annotations

from typing import Any

from gquiz.engine.core import EngineError, Solution, Step, as_int
from gquiz.engine.registry import solver

__all__ = ["transposed_conv_size"]


@solver(
    "transposed_conv_size",
    "転置畳み込みの出力サイズ (N − 1)S − 2P + D(K − 1) + output_padding + 1",
    {
        "in_size": "入力の一辺 N",
        "kernel_size": "カーネルの一辺 K",
        "stride": "ストライド S (既定 1)",
        "padding": "パディング P (既定 0)",
        "output_padding": "出力側の追加 output_padding (既定 0、S 未満)",
        "dilation": "ダイレーション D (既定 1)",
    },
)
def transposed_conv_size(
    in_size: Any,
    kernel_size: Any,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    dilation: Any = 1,
) -> Solution:
    """One side of a transposed convolution's output.

    Examples
    --------
    >>> transposed_conv_size(4, 4, stride=2, padding=1).answer
    8
    """
    n = as_int(in_size, "in_size", min_value=1)
    k = as_int(kernel_size, "kernel_size", min_value=1)
    s = as_int(stride, "stride", min_value=1)
    p = as_int(padding, "padding", min_value=0)
    op = as_int(output_padding, "output_padding", min_value=0)
    d = as_int(dilation, "dilation", min_value=1)
    if op >= max(s, d):
        raise EngineError(
            f"output_padding ({op}) はストライドかダイレーションより小さくなければならない"
        )
    out = (n - 1) * s - 2 * p + d * (k - 1) + op + 1
    if out < 1:
        raise EngineError(f"出力サイズが 1 未満になる（{out}）: パディングが大きすぎる")
    step = Step(
        "tconv_size",
        {"n": n, "k": k, "s": s, "p": p, "op": op, "d": d, "value": out},
    )
    return Solution(out, (step,))
