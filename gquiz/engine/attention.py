"""Scaled dot-product attention, cosine similarity and word-vector analogies.

Mask convention (as ``torch.nn.functional.scaled_dot_product_attention`` with a boolean
``attn_mask``): ``true`` / ``1`` = **keep** (may attend), ``false`` / ``0`` = masked out
(its score becomes −∞ before the softmax). A query row with every key masked has no
defined softmax and is rejected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from gquiz.engine.core import EngineError, Solution, Step, as_array, as_int, check_size
from gquiz.engine.losses import softmax_rows
from gquiz.engine.registry import solver


@solver(
    "attention",
    "Scaled Dot-Product Attention softmax(QKᵀ/√d)V (mask: true/1 = 使う)",
    {
        "q": "クエリ Q (Lq×d、先頭にバッチ次元可)",
        "k": "キー K (Lk×d)",
        "v": "バリュー V (Lk×dv)",
        "mask": "マスク (Lq×Lk、true/1 = 注意を向けてよい、false/0 = 隠す、省略可)",
    },
)
def attention(q: Any, k: Any, v: Any, mask: Any = None) -> Solution:
    """``softmax(Q Kᵀ / √d_k + M) V`` with ``M = −∞`` where ``mask`` is false.

    Examples
    --------
    >>> attention([[1.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]], [[1.0], [3.0]]).answer["output"].round(4)
    array([[1.6605]])
    """
    qa = as_array(q, "q", ndim=(2, 3))
    ka = as_array(k, "k", ndim=(2, 3))
    va = as_array(v, "v", ndim=(2, 3))
    if qa.shape[-1] != ka.shape[-1]:
        raise EngineError(f"q の次元 d ({qa.shape[-1]}) と k の次元 ({ka.shape[-1]}) が一致しない")
    if ka.shape[-2] != va.shape[-2]:
        raise EngineError(f"v の行数 ({va.shape[-2]}) が k の行数 ({ka.shape[-2]}) と一致しない")
    if not (qa.ndim == ka.ndim == va.ndim):
        raise EngineError("q, k, v の次元数（バッチ次元の有無）をそろえてください")
    if qa.ndim == 3 and not (qa.shape[0] == ka.shape[0] == va.shape[0]):
        raise EngineError("q, k, v のバッチサイズが一致しない")
    d = qa.shape[-1]
    batch = qa.shape[0] if qa.ndim == 3 else 1
    check_size(batch * qa.shape[-2] * ka.shape[-2], "スコア行列 (Lq×Lk)")
    scores = qa @ np.swapaxes(ka, -1, -2) / np.sqrt(d)
    keep = None
    if mask is not None:
        keep = np.asarray(as_array(mask, "mask", ndim=(2, 3))) != 0
        try:
            keep = np.broadcast_to(keep, scores.shape)
        except ValueError:
            raise EngineError(
                f"mask の形 {keep.shape} がスコア行列の形 {scores.shape} (Lq×Lk) と合わない"
            ) from None
        if np.any(~keep.any(axis=-1)):
            raise EngineError(
                "mask ですべてのキーが隠された行がある（ソフトマックスが定義できない）"
            )
        masked = np.where(keep, scores, -np.inf)
    else:
        masked = scores
    weights = softmax_rows(masked)
    out = weights @ va
    steps = [Step("attn_scores", {"d": d, "q": qa, "k": ka, "scores": scores})]
    if keep is not None:
        steps.append(
            Step(
                "attn_mask",
                {"keep": keep.astype(np.int64), "masked": np.where(keep, scores, np.nan)},
            )
        )
    steps.append(Step("attn_weights", {"weights": weights}))
    flat_w = weights.reshape(-1, weights.shape[-1])
    flat_o = out.reshape(-1, out.shape[-1])
    vs = va if va.ndim == 2 else None
    for r, (wrow, orow) in enumerate(zip(flat_w, flat_o, strict=False)):
        if len(steps) > 500:
            break
        vv = vs if vs is not None else va[r // weights.shape[-2]]
        steps.append(Step("attn_output", {"row": r, "weights": wrow, "values": vv, "output": orow}))
    return Solution({"output": out, "weights": weights}, tuple(steps))


def _vec(x: Any, name: str) -> np.ndarray:
    a = as_array(x, name, ndim=1)
    if not np.any(a):
        raise EngineError(f"{name} がゼロベクトルなのでコサイン類似度が定義できない")
    return a


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    # scale first so that tiny (or huge) vectors do not underflow (overflow) in the norms
    a = a / np.max(np.abs(a))
    b = b / np.max(np.abs(b))
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


@solver(
    "cosine_similarity",
    "コサイン類似度 a·b / (|a| |b|)",
    {"a": "ベクトル a", "b": "ベクトル b (a と同じ長さ)"},
)
def cosine_similarity(a: Any, b: Any) -> Solution:
    """Cosine similarity ``a·b / (‖a‖ ‖b‖)``; a zero vector is rejected.

    Examples
    --------
    >>> cosine_similarity([1, 0], [1, 1]).answer
    0.7071067811865475
    """
    x, y = _vec(a, "a"), _vec(b, "b")
    if x.shape != y.shape:
        raise EngineError(f"b の長さ ({y.shape[0]}) が a の長さ ({x.shape[0]}) と一致しない")
    val = _cos(x, y)
    step = Step(
        "cosine",
        {
            "a": x,
            "b": y,
            "dot": float(x @ y),
            "norm_a": float(np.linalg.norm(x)),
            "norm_b": float(np.linalg.norm(y)),
            "value": val,
        },
    )
    return Solution(val, (step,))


def _word_table(vectors: Any, a: str, b: str, c: str) -> dict[str, np.ndarray]:
    """The word vectors, all of one length, with the three words of the analogy among them."""
    if not isinstance(vectors, Mapping) or not vectors:
        raise EngineError('vectors は {"単語": [数値, ...]} の表で指定してください')
    table = {str(w): as_array(vec, f"vectors[{w!r}]", ndim=1) for w, vec in vectors.items()}
    dims = {v.shape[0] for v in table.values()}
    if len(dims) != 1:
        raise EngineError("vectors のベクトルの長さがそろっていない")
    for name, word in (("a", a), ("b", b), ("c", c)):
        if word not in table:
            raise EngineError(f"{name} の単語 {word!r} が vectors にない")
    return table


@solver(
    "analogy",
    "単語ベクトルの類推 a − b + c に最も近い単語 (例: king − man + woman)",
    {
        "vectors": '単語 → ベクトルの表 ({"king": [...], ...})',
        "a": "足す単語 (king)",
        "b": "引く単語 (man)",
        "c": "足す単語 (woman)",
        "topk": "候補の数 (既定 1)",
    },
)
def analogy(vectors: Any, a: str, b: str, c: str, topk: Any = 1) -> Solution:
    """Nearest word (by cosine similarity) to ``vec(a) − vec(b) + vec(c)``, excluding a, b and c.

    Ties keep the table's order.
    """
    table = _word_table(vectors, a, b, c)
    k = as_int(topk, "topk", min_value=1)
    target = table[a] - table[b] + table[c]
    if not np.any(target):
        raise EngineError("a − b + c がゼロベクトルになり類似度が定義できない")
    candidates = [(w, v) for w, v in table.items() if w not in (a, b, c)]
    if not candidates:
        raise EngineError("a, b, c 以外の単語が vectors にない")
    sims = []
    for w, vec in candidates:
        sims.append((w, _cos(target, vec) if np.any(vec) else float("nan")))
    ranked = sorted((s for s in sims if s[1] == s[1]), key=lambda t: -t[1])
    steps = [
        Step(
            "analogy_target",
            {
                "a": a,
                "b": b,
                "c": c,
                "va": table[a],
                "vb": table[b],
                "vc": table[c],
                "target": target,
            },
        )
    ]
    steps += [Step("analogy_candidate", {"word": w, "similarity": s}) for w, s in sims]
    best = ranked[:k]
    steps.append(
        Step("analogy_best", {"words": [w for w, _ in best], "similarities": [s for _, s in best]})
    )
    answer = best[0][0] if k == 1 else [w for w, _ in best]
    return Solution(answer, tuple(steps))
