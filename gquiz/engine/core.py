"""Core data types of the engine: :class:`Step`, :class:`Solution`, :class:`EngineError`.

Every public engine function returns a :class:`Solution` whose ``steps`` are plain
structured data (a ``kind`` plus an ``args`` mapping). Rendering to Japanese text lives
in :mod:`gquiz.render`; the engine itself never formats prose, so the same steps can be
shown in the TUI, printed by ``gquiz solve`` or serialised to JSON.

The module also holds the small validation helpers shared by all engine modules. Each
raises one :class:`EngineError` whose (Japanese) message names the offending parameter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gquiz.text.numbers import fmt_num

__all__ = [
    "EngineError",
    "Solution",
    "Step",
    "as_array",
    "as_bool",
    "as_float",
    "as_int",
    "as_pair",
    "check_size",
    "to_jsonable",
]

# Limits checked before a solver computes anything, so a typo such as padding 2000 or
# output_size 1000 is one clear message instead of gigabytes of arrays and worked steps.
MAX_ELEMENTS = 100_000
"""Largest array a solver builds (answer, padded input, score matrix): a 316×316 map."""
MAX_WORK = 20_000_000
"""Most multiply-adds (or bilinear samples × 1000) one solve may perform."""


class EngineError(ValueError):
    """Invalid argument to an engine function; the message is Japanese and names the parameter."""


def check_size(count: int, what: str, limit: int = MAX_ELEMENTS) -> None:
    """Refuse work before it starts: ``count`` items of ``what`` must stay within ``limit``."""
    if count > limit:
        sep = " " if what[-1:].isascii() else ""
        raise EngineError(
            f"{what}{sep}が大きすぎる（{count:,} 個、上限 {limit:,} 個）。もっと小さな値で試してください"
        )


def to_jsonable(obj: Any) -> Any:
    """Convert ``obj`` to plain JSON-able Python data.

    NumPy arrays become nested lists, NumPy scalars Python numbers, tuples lists and
    mapping keys strings. Non-finite floats (NaN, ±inf) become ``None`` because JSON has
    no spelling for them.

    Examples
    --------
    >>> to_jsonable({"a": np.array([[1, 2]]), "b": np.float64(0.5), "c": (1, float("nan"))})
    {'a': [[1, 2]], 'b': 0.5, 'c': [1, None]}
    """
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return to_jsonable(obj.item())
    if isinstance(obj, bool) or obj is None or isinstance(obj, (int, str)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, Step):
        return obj.to_json()
    raise TypeError(f"cannot convert {type(obj).__name__} to JSON")


@dataclass(frozen=True)
class Step:
    """One worked step: ``kind`` selects the renderer, ``args`` holds the numbers."""

    kind: str
    args: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return ``{"kind": ..., "args": {...}}`` with only JSON-able values."""
        return {"kind": self.kind, "args": to_jsonable(self.args)}


@dataclass(frozen=True)
class Solution:
    """The answer of an engine function and the steps that lead to it."""

    answer: Any
    steps: tuple[Step, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return ``{"answer": ..., "steps": [...]}`` with only JSON-able values."""
        return {"answer": to_jsonable(self.answer), "steps": [s.to_json() for s in self.steps]}


# ---------------------------------------------------------------------------
# validation helpers
# ---------------------------------------------------------------------------


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)


def as_float(
    x: Any,
    name: str,
    *,
    min_value: float | None = None,
    positive: bool = False,
    max_value: float | None = None,
) -> float:
    """Validate a real scalar parameter and return it as ``float``."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x.item()
    if not _is_number(x):
        raise EngineError(f"{name} には数値を指定してください（{x!r} は数値ではない）")
    v = float(x)
    if not math.isfinite(v):
        raise EngineError(f"{name} が有限の数値ではない（{v}）")
    if positive and v <= 0:
        raise EngineError(f"{name} は正の数でなければならない（{fmt_num(v)}）")
    if min_value is not None and v < min_value:
        raise EngineError(f"{name} は {fmt_num(min_value)} 以上でなければならない（{fmt_num(v)}）")
    if max_value is not None and v > max_value:
        raise EngineError(f"{name} は {fmt_num(max_value)} 以下でなければならない（{fmt_num(v)}）")
    return v


def as_int(x: Any, name: str, *, min_value: int | None = None) -> int:
    """Validate an integer parameter (integral floats such as ``2.0`` are accepted)."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x.item()
    if not _is_number(x) or not math.isfinite(float(x)) or float(x) != int(x):
        raise EngineError(f"{name} には整数を指定してください（{x!r}）")
    v = int(x)
    if min_value is not None and v < min_value:
        if min_value == 1:
            raise EngineError(f"{name} は 1 以上の整数でなければならない（{v}）")
        if min_value == 0:
            raise EngineError(f"{name} は 0 以上の整数でなければならない（{v}）")
        raise EngineError(f"{name} は {min_value} 以上でなければならない（{v}）")
    return v


def as_bool(x: Any, name: str) -> bool:
    """Validate a boolean parameter (``true``/``false`` or 0/1)."""
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if _is_number(x) and float(x) in (0.0, 1.0):
        return bool(x)
    raise EngineError(f"{name} には true か false を指定してください（{x!r}）")


def as_pair(x: Any, name: str, *, min_value: int = 0) -> tuple[int, int]:
    """Validate an ``int`` or ``(int, int)`` parameter such as stride or padding."""
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if isinstance(x, (list, tuple)):
        if len(x) != 2:
            raise EngineError(f"{name} は整数か 2 要素の組で指定してください（{len(x)} 要素）")
        return (as_int(x[0], name, min_value=min_value), as_int(x[1], name, min_value=min_value))
    v = as_int(x, name, min_value=min_value)
    return (v, v)


def as_array(
    x: Any,
    name: str,
    *,
    ndim: int | Iterable[int] | None = None,
    dtype: type = float,
    nonempty: bool = True,
) -> np.ndarray:
    """Validate a numeric array parameter (nested lists accepted) and return a copy.

    Raises :class:`EngineError` for ragged lists, text where numbers belong, non-finite
    values or a wrong number of dimensions.
    """
    if x is None:
        raise EngineError(f"{name} が指定されていない（null）")
    if isinstance(x, str):
        raise EngineError(f"{name} には数値の配列を指定してください（文字列 {x!r}）")
    try:
        arr = np.array(x, dtype=float)
    except (ValueError, TypeError):
        raise EngineError(
            f"{name} は数値の配列でなければならない（形がそろっていないか、数値でない要素がある）"
        ) from None
    if arr.dtype == object:
        raise EngineError(f"{name} は数値の配列でなければならない")
    if nonempty and arr.size == 0:
        raise EngineError(f"{name} が空である")
    if not np.all(np.isfinite(arr)):
        raise EngineError(f"{name} に有限でない値（NaN や無限大）が含まれている")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " または ".join(f"{d} 次元" for d in allowed)
            raise EngineError(
                f"{name} は {want} の配列でなければならない（{arr.ndim} 次元、形 {shape_str(arr.shape)}）"
            )
    if dtype is int:
        if not np.all(arr == np.round(arr)):
            raise EngineError(f"{name} の要素は整数でなければならない")
        return arr.astype(np.int64)
    return arr


def shape_str(shape: Sequence[int]) -> str:
    """Format a shape as ``4×4`` (the engine's messages use this spelling)."""
    return "×".join(str(int(s)) for s in shape) if len(shape) else "スカラー"
