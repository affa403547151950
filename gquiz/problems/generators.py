"""Parameter generators of problem families: the declarative kinds and named helpers.

A family's ``params`` maps names to one of (see problems/README.md):

* a number, bool or list: a constant;
* a string: an expression over the values defined above it (:mod:`gquiz.problems.expr`);
* ``{int: [lo, hi]}`` (inclusive, optional ``step``, ``not: [values]``);
* ``{float: [lo, hi], step: 0.1}`` (a value on the grid ``lo + k·step``);
* ``{choice: [a, b, ...]}``;
* ``{vector: n, range: [lo, hi]}`` / ``{matrix: [rows, cols], range: [lo, hi]}`` with optional
  ``step`` (decimal grid), ``distinct: true`` (no repeated values) and ``nonzero: true``;
* ``{gen: helper, ...}``: a helper of :data:`HELPERS` with keyword arguments (expressions).

Every random draw goes through the one ``numpy.random.Generator`` handed in, so a family,
difficulty and seed always give the same numbers on every machine.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from gquiz.problems.expr import ExprError, evaluate

__all__ = ["HELPERS", "GenError", "draw_param", "helper"]


class GenError(ValueError):
    """A parameter spec is malformed (raised while loading or generating)."""


HELPERS: dict[str, Callable[..., Any]] = {}


def helper(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a named generator helper usable as ``{gen: name, ...}`` in family files."""

    def deco(func: Callable[..., Any]) -> Callable[..., Any]:
        HELPERS[name] = func
        return func

    return deco


KINDS = ("int", "float", "choice", "vector", "matrix", "gen", "expr", "const")


def _ev(value: Any, names: Mapping[str, Any]) -> Any:
    return evaluate(value, names) if isinstance(value, str) else value


def _grid(lo: float, hi: float, step: float | None) -> tuple[float, float, float | None]:
    return float(lo), float(hi), (None if step is None else float(step))


def _draw_values(
    rng: np.random.Generator, size: int, lo: Any, hi: Any, step: Any, distinct: bool, nonzero: bool
) -> np.ndarray:
    if step is None:
        pool = np.arange(int(lo), int(hi) + 1)
    else:
        n = int(round((float(hi) - float(lo)) / float(step)))
        pool = np.round(float(lo) + float(step) * np.arange(n + 1), 10)
    if nonzero:
        pool = pool[pool != 0]
    if distinct:
        if size > len(pool):
            raise GenError(f"distinct: 範囲 [{lo}, {hi}] に異なる値が {size} 個ありません")
        return rng.choice(pool, size=size, replace=False)
    return pool[rng.integers(0, len(pool), size=size)]


def draw_param(spec: Any, rng: np.random.Generator, names: Mapping[str, Any]) -> Any:
    """Draw one parameter value from ``spec`` given the values defined before it."""
    if isinstance(spec, str):
        return evaluate(spec, names)
    if not isinstance(spec, dict):
        return spec
    kinds = [k for k in KINDS if k in spec]
    if len(kinds) != 1:
        raise GenError(
            f"パラメータの種類を 1 つ指定してください（{', '.join(KINDS)} のどれか）: {spec!r}"
        )
    return _DRAWERS[kinds[0]](spec, rng, names)


_Spec = Mapping[str, Any]


def _draw_const(spec: _Spec, rng: np.random.Generator, names: Mapping[str, Any]) -> Any:
    return spec["const"]


def _draw_expr(spec: _Spec, rng: np.random.Generator, names: Mapping[str, Any]) -> Any:
    return evaluate(spec["expr"], names)


def _draw_int(spec: _Spec, rng: np.random.Generator, names: Mapping[str, Any]) -> int:
    lo, hi = (_ev(v, names) for v in spec["int"])
    step = int(_ev(spec.get("step", 1), names))
    pool = [v for v in range(int(lo), int(hi) + 1, step) if v not in (spec.get("not") or [])]
    if not pool:
        raise GenError(f"int: 範囲 [{lo}, {hi}] に選べる値がありません")
    return int(pool[int(rng.integers(0, len(pool)))])


def _draw_float(spec: _Spec, rng: np.random.Generator, names: Mapping[str, Any]) -> float:
    lo, hi = (_ev(v, names) for v in spec["float"])
    step = _ev(spec.get("step"), names)
    if step is None:
        raise GenError("float: には step（刻み）が必要です（例: step: 0.1）")
    return float(_draw_values(rng, 1, lo, hi, step, False, bool(spec.get("nonzero")))[0])


def _draw_choice(spec: _Spec, rng: np.random.Generator, names: Mapping[str, Any]) -> Any:
    options = _ev(spec["choice"], names)
    if not isinstance(options, list) or not options:
        raise GenError("choice: には値のリストを指定してください")
    return options[int(rng.integers(0, len(options)))]


def _draw_vector(spec: _Spec, rng: np.random.Generator, names: Mapping[str, Any]) -> np.ndarray:
    return _draw_array("vector", (int(_ev(spec["vector"], names)),), spec, rng, names)


def _draw_matrix(spec: _Spec, rng: np.random.Generator, names: Mapping[str, Any]) -> np.ndarray:
    shape_spec = spec["matrix"]
    if not isinstance(shape_spec, list):
        raise GenError("matrix: には形 [行数, 列数] を指定してください")
    shape = tuple(int(_ev(s, names)) for s in shape_spec)
    return _draw_array("matrix", shape, spec, rng, names)


def _draw_array(
    kind: str,
    shape: tuple[int, ...],
    spec: _Spec,
    rng: np.random.Generator,
    names: Mapping[str, Any],
) -> np.ndarray:
    """Values on the integer grid of ``range`` (or the ``step`` grid, as floats)."""
    rng_spec = spec.get("range")
    if not isinstance(rng_spec, list) or len(rng_spec) != 2:
        raise GenError(f"{kind}: には range: [最小, 最大] が必要です")
    lo, hi = (_ev(v, names) for v in rng_spec)
    step = _ev(spec.get("step"), names)
    size = int(np.prod(shape))
    values = _draw_values(
        rng, size, lo, hi, step, bool(spec.get("distinct")), bool(spec.get("nonzero"))
    )
    arr = values.reshape(shape)
    return arr.astype(np.int64) if step is None else arr.astype(float)


def _draw_gen(spec: _Spec, rng: np.random.Generator, names: Mapping[str, Any]) -> Any:
    name = spec["gen"]
    func = HELPERS.get(name)
    if func is None:
        raise GenError(
            f"生成ヘルパー {name!r} はありません（使えるもの: {', '.join(sorted(HELPERS))}）"
        )
    kwargs = {k: _ev(v, names) for k, v in spec.items() if k != "gen"}
    try:
        return func(rng, **kwargs)
    except TypeError as exc:
        raise GenError(f"生成ヘルパー {name!r} の引数が正しくありません: {exc}") from None


_DRAWERS: dict[str, Callable[[_Spec, np.random.Generator, Mapping[str, Any]], Any]] = {
    "int": _draw_int,
    "float": _draw_float,
    "choice": _draw_choice,
    "vector": _draw_vector,
    "matrix": _draw_matrix,
    "gen": _draw_gen,
    "expr": _draw_expr,
    "const": _draw_const,
}
"""How each kind of :data:`KINDS` draws (one entry per kind)."""


# ---------------------------------------------------------------------------
# named helpers
# ---------------------------------------------------------------------------


@helper("int_tensor")
def gen_int_tensor(
    rng: np.random.Generator, shape: list[int], lo: int = 0, hi: int = 9
) -> np.ndarray:
    """An integer array of any shape with values in ``[lo, hi]``."""
    return rng.integers(int(lo), int(hi) + 1, size=tuple(int(s) for s in shape)).astype(np.int64)


@helper("box")
def gen_box(
    rng: np.random.Generator, size: int = 10, min_side: int = 2, max_side: int = 6
) -> list[int]:
    """One box ``[x1, y1, x2, y2]`` with integer corners inside ``[0, size]``."""
    w = int(rng.integers(min_side, max_side + 1))
    h = int(rng.integers(min_side, max_side + 1))
    x1 = int(rng.integers(0, size - w + 1))
    y1 = int(rng.integers(0, size - h + 1))
    return [x1, y1, x1 + w, y1 + h]


@helper("overlapping_box")
def gen_overlapping_box(
    rng: np.random.Generator,
    box: list[int],
    min_side: int = 2,
    max_side: int = 6,
    max_shift: int = 3,
) -> list[int]:
    """A box that overlaps ``box`` (shifted corner, new size) and is not identical to it."""
    for _ in range(100):
        w = int(rng.integers(min_side, max_side + 1))
        h = int(rng.integers(min_side, max_side + 1))
        x1 = int(box[0]) + int(rng.integers(-max_shift, max_shift + 1))
        y1 = int(box[1]) + int(rng.integers(-max_shift, max_shift + 1))
        cand = [x1, y1, x1 + w, y1 + h]
        iw = min(cand[2], box[2]) - max(cand[0], box[0])
        ih = min(cand[3], box[3]) - max(cand[1], box[1])
        if iw > 0 and ih > 0 and cand != list(box) and x1 >= 0 and y1 >= 0:
            return cand
    return [int(box[0]) + 1, int(box[1]) + 1, int(box[2]) + 1, int(box[3]) + 1]


@helper("box_cluster")
def gen_box_cluster(
    rng: np.random.Generator, n: int = 4, clusters: int = 2, spread: int = 3, side: int = 6
) -> list[list[int]]:
    """``n`` boxes around ``clusters`` centres (so that NMS has something to suppress)."""
    centres = [
        (int(rng.integers(0, 4)) * 12 + 2, int(rng.integers(0, 3)) * 12 + 2)
        for _ in range(clusters)
    ]
    out = []
    for i in range(n):
        cx, cy = centres[i % clusters]
        x1 = cx + int(rng.integers(0, spread + 1))
        y1 = cy + int(rng.integers(0, spread + 1))
        w = side + int(rng.integers(-1, 2))
        h = side + int(rng.integers(-1, 2))
        out.append([x1, y1, x1 + w, y1 + h])
    return out


@helper("scores")
def gen_scores(
    rng: np.random.Generator, n: int = 4, lo: float = 0.3, hi: float = 0.95
) -> list[float]:
    """``n`` distinct scores on the 0.05 grid, in random order."""
    pool = np.round(np.arange(lo, hi + 1e-9, 0.05), 2)
    if n > len(pool):
        raise GenError(f"scores: 異なるスコアが {n} 個とれません")
    return [float(v) for v in rng.choice(pool, size=n, replace=False)]


@helper("game")
def gen_game(
    rng: np.random.Generator,
    players: list[str],
    lo: int = 0,
    hi: int = 10,
    synergy: int = 10,
    step: int = 1,
) -> dict[str, int]:
    """Coalition values ``{"A,B": v, ..., "": 0}`` of a game: singles plus random synergies.

    v(S) = Σ singles + Σ over pairs/larger subsets of a non-negative bonus, multiplied by
    ``step`` — monotone and superadditive, like the games in textbooks.
    """
    n = len(players)
    single = rng.integers(lo, hi + 1, size=n) * step
    bonus = {}
    for size in range(2, n + 1):
        for combo in itertools.combinations(range(n), size):
            bonus[combo] = int(rng.integers(0, synergy + 1)) * step
    values: dict[str, int] = {"": 0}
    for size in range(1, n + 1):
        for combo in itertools.combinations(range(n), size):
            v = int(sum(single[i] for i in combo))
            for k in range(2, size + 1):
                for sub in itertools.combinations(combo, k):
                    v += bonus[sub]
            values[",".join(players[i] for i in combo)] = v
    return values


@helper("quant_tie")
def gen_quant_tie(
    rng: np.random.Generator, scale: float, zero_point: int, lo: int = -20, hi: int = 20
) -> float:
    """A real value x with ``x / scale + zero_point`` exactly halfway between two integers."""
    k = int(rng.integers(lo, hi + 1))
    return float((k + 0.5 - zero_point) * scale)


@helper("ctc_path")
def gen_ctc_path(rng: np.random.Generator, word: str, length: int = 10, blank: str = "-") -> str:
    """A CTC frame sequence that collapses to ``word`` (repeats, blanks between equal letters)."""
    frames = _ctc_frames(rng, word, blank)
    while len(frames) < length:
        _ctc_insert(rng, frames, blank)
    _ctc_show_both_rules(rng, frames, blank)
    return "".join(frames)


def _ctc_frames(rng: np.random.Generator, word: str, blank: str) -> list[str]:
    """Each letter once or twice, a blank between equal letters and sometimes before others."""
    frames: list[str] = []
    for i, ch in enumerate(word):
        if i and word[i - 1] == ch:
            frames.append(blank)
        elif rng.integers(0, 3) == 0:
            frames.append(blank)
        frames.extend([ch] * int(rng.integers(1, 3)))
    return frames


def _ctc_insert(rng: np.random.Generator, frames: list[str], blank: str) -> None:
    """One more frame (or none, when the drawn spot allows nothing) that keeps the word."""
    pos = int(rng.integers(0, len(frames) + 1))
    prev = frames[pos - 1] if pos else None
    nxt = frames[pos] if pos < len(frames) else None
    # Duplicating a neighbour never changes the collapsed word; a blank does not either,
    # unless it would split a run of one letter (that would add a letter).
    if prev not in (None, blank) and rng.integers(0, 2):
        frames.insert(pos, prev)
    elif nxt not in (None, blank) and (rng.integers(0, 2) or prev == nxt):
        frames.insert(pos, nxt)
    elif prev != nxt or prev in (None, blank):
        frames.insert(pos, blank)


def _ctc_show_both_rules(rng: np.random.Generator, frames: list[str], blank: str) -> None:
    """At least one blank and one repeated frame, so that both rules of the collapse matter."""
    if blank not in frames:
        pos = int(rng.integers(1, len(frames)))
        if frames[pos - 1] == frames[pos]:
            pos = len(frames)
        frames.insert(pos, blank)
    if not any(a == b and a != blank for a, b in zip(frames, frames[1:], strict=False)):
        letters = [i for i, f in enumerate(frames) if f != blank]
        i = letters[int(rng.integers(0, len(letters)))]
        frames.insert(i, frames[i])


@helper("pick_word")
def gen_pick_word(rng: np.random.Generator, words: list[str]) -> str:
    """One of ``words``."""
    return str(words[int(rng.integers(0, len(words)))])


@helper("distribution")
def gen_distribution(
    rng: np.random.Generator, n: int, total: int = 10, distinct: bool = False
) -> list[float]:
    """``n`` positive probabilities on the grid ``1/total`` that add up to exactly 1.

    A random composition of ``total`` into ``n`` parts (cut points drawn without replacement),
    so every probability is ``k / total`` with ``k ≥ 1``; ``distinct`` redraws until the parts
    differ. The values are rounded to 10 decimals so that they print as the learner reads them.
    """
    n, total = int(n), int(total)
    if not 1 <= n <= total:
        raise GenError(f"distribution: n = {n} 個の正の確率を 1/{total} 刻みで作れません")
    for _ in range(100):
        cuts = np.sort(rng.choice(np.arange(1, total), size=n - 1, replace=False))
        parts = np.diff(np.concatenate(([0], cuts, [total])))
        if not distinct or len(set(parts.tolist())) == n:
            return [round(int(k) / total, 10) for k in parts]
    raise GenError(f"distribution: 異なる {n} 個の確率を 1/{total} 刻みで作れません")


@helper("documents")
def gen_documents(
    rng: np.random.Generator,
    vocab: list[str],
    n_docs: int = 3,
    lo: int = 3,
    hi: int = 5,
    repeat: bool = False,
) -> dict[str, Any]:
    """Short documents from ``vocab`` and a term to ask the TF-IDF of.

    Returns ``{"docs": [...], "doc": d, "term": w, "lines": "- 文書1: ...\n..."}``: ``w`` occurs
    in document ``d`` (at least twice with ``repeat``) and is missing from some other document,
    so that its idf is neither 0 nor undefined.
    """
    for _ in range(200):
        docs = []
        for _ in range(int(n_docs)):
            length = int(rng.integers(int(lo), int(hi) + 1))
            docs.append([str(vocab[int(i)]) for i in rng.integers(0, len(vocab), size=length)])
        d = int(rng.integers(0, len(docs)))
        need = 2 if repeat else 1
        terms = sorted(
            {w for w in docs[d] if docs[d].count(w) >= need and any(w not in x for x in docs)}
        )
        if terms:
            w = terms[int(rng.integers(0, len(terms)))]
            texts = [" ".join(x) for x in docs]
            lines = "\n".join(f"- 文書{i + 1}: {t}" for i, t in enumerate(texts))
            return {"docs": texts, "doc": d, "term": w, "lines": lines}
    raise GenError(
        "documents: 条件に合う文書と単語が作れません（語彙か文書の長さを見直してください）"
    )


@helper("detections")
def gen_detections(
    rng: np.random.Generator, n_gt: int = 2, n_fp: int = 1, n_dup: int = 1, side: int = 6
) -> dict[str, Any]:
    """A single-class detection result: ``{"gt": [...], "pred": [...], "scores": [...]}``.

    Every ground-truth box gets a close prediction (IoU > 0.5) unless it is missed; ``n_dup``
    extra predictions duplicate a ground truth (IoU > 0.5, so they become false positives
    once it is matched); ``n_fp`` predictions lie far from every ground truth.
    """
    gt = []
    for i in range(n_gt):
        x = 2 + 14 * i + int(rng.integers(0, 3))
        y = 2 + int(rng.integers(0, 6))
        gt.append([x, y, x + side, y + side])
    preds: list[list[int]] = []
    for g in gt:
        dx, dy = (int(v) for v in rng.integers(0, 2, size=2))
        preds.append([g[0] + dx, g[1] + dy, g[2] + dx, g[3] + dy])
    for _ in range(n_dup):
        g = gt[int(rng.integers(0, n_gt))]
        dx = int(rng.integers(-1, 2))
        preds.append([g[0] + dx, g[1] + 1, g[2] + dx, g[3] + 1])
    for _ in range(n_fp):
        x = int(rng.integers(0, 14 * n_gt))
        y = 20 + int(rng.integers(0, 8))
        preds.append([x, y, x + side, y + side])
    order = rng.permutation(len(preds))
    preds = [preds[i] for i in order]
    scores = gen_scores(rng, len(preds), 0.3, 0.95)
    return {"gt": gt, "pred": preds, "scores": scores}


@helper("confusion")
def gen_confusion(
    rng: np.random.Generator, lo: int = 5, hi: int = 60, step: int = 5
) -> dict[str, int]:
    """A binary confusion matrix ``{tp, fp, fn, tn}`` with all four cells different."""
    pool = np.arange(lo, hi + 1, step)
    vals = rng.choice(pool, size=4, replace=False)
    return {"tp": int(vals[0]), "fp": int(vals[1]), "fn": int(vals[2]), "tn": int(vals[3])}


def _check_helpers() -> None:  # pragma: no cover - sanity hook for debugging
    for name, func in HELPERS.items():
        if not callable(func):
            raise ExprError(name)
