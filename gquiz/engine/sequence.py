"""Sequence models: CTC decoding of an alignment path (collapse)."""

from __future__ import annotations

from typing import Any

import numpy as np

from gquiz.engine.core import EngineError, Solution, Step
from gquiz.engine.registry import solver


@solver(
    "ctc_collapse",
    "CTC の縮約 (連続する同じ記号をまとめ、ブランクを除く)",
    {"path": '整列パス (文字列 "aa-b-bb" か記号のリスト)', "blank": 'ブランク記号 (既定 "-")'},
)
def ctc_collapse(path: Any, blank: Any = "-") -> Solution:
    """CTC's many-to-one map B: first merge repeated symbols, then remove blanks.

    The order matters: ``"a-a"`` → ``"aa"`` (the blank separates two a's), while
    ``"aa"`` → ``"a"``.

    Examples
    --------
    >>> ctc_collapse("hh-e-ll-llo").answer
    'hello'
    """
    as_text = isinstance(path, str)
    if isinstance(path, np.ndarray):
        path = path.tolist()
    if not as_text and not isinstance(path, (list, tuple)):
        raise EngineError("path は文字列か記号のリストで指定してください")
    tokens = list(path)
    if not tokens:
        raise EngineError("path が空である")
    for t in tokens:
        if not isinstance(t, (str, int, float)) or isinstance(t, bool):
            raise EngineError(f"path の記号は文字列か整数でなければならない（{t!r}）")
    tokens = [int(t) if isinstance(t, float) and t.is_integer() else t for t in tokens]
    b = int(blank) if isinstance(blank, float) and blank.is_integer() else blank
    merged = [t for i, t in enumerate(tokens) if i == 0 or t != tokens[i - 1]]
    out = [t for t in merged if t != b]
    steps = (
        Step("ctc_merge", {"path": tokens, "merged": merged}),
        Step("ctc_blank", {"blank": b, "merged": merged, "result": out}),
    )
    return Solution("".join(map(str, out)) if as_text else out, steps)
