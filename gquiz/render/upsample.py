"""Renderers for :mod:`gquiz.engine.upsample` steps."""

from __future__ import annotations

from collections.abc import Callable

from gquiz.engine.core import Step


def tconv_size(step: Step) -> str:
    a = step.args
    n, k, s, p, op, d = (a[x] for x in ("n", "k", "s", "p", "op", "d"))
    dk = f"{d}×({k} − 1)" if d != 1 else f"({k} − 1)"
    dsym = "D(K − 1)" if d != 1 else "(K − 1)"
    extra_sym = " + output_padding" if op else ""
    extra = f" + {op}" if op else ""
    return (
        f"転置畳み込みの出力サイズ = (N − 1)×S − 2P + {dsym}{extra_sym} + 1\n"
        f"  = ({n} − 1)×{s} − 2×{p} + {dk}{extra} + 1 = {a['value']}"
    )


RENDERERS: dict[str, Callable[[Step], str]] = {"tconv_size": tconv_size}
