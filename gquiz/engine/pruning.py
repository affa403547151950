"""Pruning: unstructured magnitude pruning and structured (channel) pruning by L1 norm.

Conventions (those of ``torch.nn.utils.prune``):

* the number of weights (or channels) removed is ``round(amount × n)`` with Python's
  round-half-to-even, as ``prune._compute_nparams_toprune`` does;
* ties are broken deterministically: among equal magnitudes (or equal channel norms)
  the one with the **lower flat index is pruned first** (stable sort). PyTorch's
  ``topk`` leaves tie order unspecified, so only tie-free cases are comparable with it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gquiz.engine.core import EngineError, Solution, Step, as_array, as_float, as_int
from gquiz.engine.registry import solver

MAX_LIST = 200


def _count(amount: float, n: int) -> int:
    return int(round(amount * n))  # Python round: half to even, like torch.nn.utils.prune


@solver(
    "magnitude_prune",
    "絶対値の小さい重みから目標スパース率までゼロにする (非構造化プルーニング)",
    {"weights": "重み (任意の形の配列)", "sparsity": "目標スパース率 (0〜1、ゼロにする割合)"},
)
def magnitude_prune(weights: Any, sparsity: Any) -> Solution:
    """Zero the ``round(sparsity × n)`` weights of smallest magnitude (``l1_unstructured``).

    Returns the pruned weights, the 0/1 mask, how many were pruned, the magnitude
    threshold and the resulting sparsity (fraction of zeros, counting weights that were
    already zero).

    Examples
    --------
    >>> magnitude_prune([0.5, -0.1, 0.3, -0.8], 0.5).answer["pruned"]
    array([ 0.5,  0. ,  0. , -0.8])
    """
    w = as_array(weights, "weights")
    amount = as_float(sparsity, "sparsity", min_value=0.0, max_value=1.0)
    n = w.size
    k = _count(amount, n)
    mags = np.abs(w).ravel()
    order = np.argsort(mags, kind="stable")
    flat = np.ones(n)
    flat[order[:k]] = 0.0
    mask = flat.reshape(w.shape)
    pruned = np.where(mask == 1, w, 0.0)  # not w * mask: that leaves -0.0 in the answer
    result_sparsity = float(np.mean(pruned == 0))
    threshold = float(mags[order[k - 1]]) if k else None
    steps = [
        Step("prune_count", {"n": n, "amount": amount, "product": amount * n, "k": k}),
        Step(
            "prune_order",
            {
                "magnitudes": mags[order][:MAX_LIST],
                "indices": [np.unravel_index(i, w.shape) for i in order[:MAX_LIST]],
                "k": k,
                "threshold": threshold,
                "tie": bool(k and k < n and mags[order[k]] == mags[order[k - 1]]),
            },
        ),
        Step(
            "prune_result",
            {
                "pruned": pruned,
                "zeros": int(np.sum(pruned == 0)),
                "n": n,
                "sparsity": result_sparsity,
            },
        ),
    ]
    answer = {
        "pruned": pruned,
        "mask": mask.astype(np.int64),
        "pruned_count": k,
        "threshold": threshold,
        "sparsity": result_sparsity,
    }
    return Solution(answer, tuple(steps))


@solver(
    "channel_prune",
    "L1 ノルムの小さい出力チャネルを取り除く (構造化プルーニング)",
    {
        "weights": "重み (OUT×... の配列、軸 0 が出力チャネル)",
        "amount": "取り除くチャネルの割合 (0〜1)",
        "n_remove": "取り除くチャネル数 (amount の代わりに指定)",
    },
)
def channel_prune(weights: Any, amount: Any = None, n_remove: Any = None) -> Solution:
    """Structured pruning: zero whole output channels (axis 0) with the smallest L1 norm.

    Same as ``torch.nn.utils.prune.ln_structured(module, "weight", amount, n=1, dim=0)``.
    Give either ``amount`` (a fraction, ``round(amount × C)`` channels) or ``n_remove``.
    """
    w = as_array(weights, "weights", ndim=(1, 2, 3, 4))
    c = w.shape[0]
    if (amount is None) == (n_remove is None):
        raise EngineError("amount か n_remove のどちらか一方を指定してください")
    if amount is not None:
        frac = as_float(amount, "amount", min_value=0.0, max_value=1.0)
        k = _count(frac, c)
    else:
        k = as_int(n_remove, "n_remove", min_value=0)
        if k > c:
            raise EngineError(f"n_remove ({k}) が出力チャネル数 ({c}) より大きい")
    norms = np.abs(w).reshape(c, -1).sum(axis=1)
    order = np.argsort(norms, kind="stable")
    removed = sorted(int(i) for i in order[:k])
    kept = [i for i in range(c) if i not in removed]
    pruned = w.copy()
    pruned[removed] = 0.0
    steps = [
        Step(
            "channel_norm",
            {"channel": i, "abs_values": np.abs(w[i]).ravel()[:MAX_LIST], "norm": norms[i]},
        )
        for i in range(c)
    ]
    steps.append(Step("channel_choice", {"k": k, "c": c, "removed": removed, "kept": kept}))
    answer = {"pruned": pruned, "removed": removed, "kept": kept, "norms": norms}
    return Solution(answer, tuple(steps))
