"""Classification metrics from a confusion matrix.

One documented convention for a denominator of 0, scikit-learn's ``zero_division=0``: a
ratio whose denominator is 0 (precision with no positive prediction, recall with no positive
sample, ...) is 0, and F1 = 2TP / (2TP + FP + FN) is 0 when TP = 0 (also when precision +
recall = 0, e.g. TP = 0, FP > 0, FN > 0). Every such case is said in the worked steps, so the
answer never silently depends on a convention the learner was not told.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gquiz.engine.core import EngineError, Solution, Step, as_int, check_size
from gquiz.engine.registry import solver

# The convention for a 0 denominator, named in the steps (and in the JSON of `gquiz solve`).
ZERO_DIVISION = (
    "zero_division=0 (scikit-learn): a ratio with denominator 0 is 0; F1 = 2TP/(2TP+FP+FN)"
)

_DEFS = [
    # name, Japanese name, numerator terms, denominator terms
    ("accuracy", "正解率", ("tp", "tn"), ("tp", "fp", "fn", "tn")),
    ("precision", "適合率", ("tp",), ("tp", "fp")),
    ("recall", "再現率", ("tp",), ("tp", "fn")),
    ("specificity", "特異度", ("tn",), ("tn", "fp")),
]


@solver(
    "metrics",
    "混同行列から正解率・適合率・再現率・F1・特異度",
    {"tp": "真陽性 TP", "fp": "偽陽性 FP", "fn": "偽陰性 FN", "tn": "真陰性 TN"},
)
def metrics(tp: Any, fp: Any, fn: Any, tn: Any) -> Solution:
    """Accuracy, precision, recall, F1 and specificity from the four counts.

    Examples
    --------
    >>> metrics(40, 10, 20, 30).answer
    {'accuracy': 0.7, 'precision': 0.8, 'recall': 0.6666666666666666, 'f1': 0.7272727272727273, 'specificity': 0.75}
    >>> metrics(0, 15, 13, 0).answer["f1"]  # zero_division=0, as scikit-learn
    0.0
    """
    c = {
        "tp": as_int(tp, "tp", min_value=0),
        "fp": as_int(fp, "fp", min_value=0),
        "fn": as_int(fn, "fn", min_value=0),
        "tn": as_int(tn, "tn", min_value=0),
    }
    ans: dict[str, float] = {}
    steps: list[Step] = []
    for name, ja, num_t, den_t in _DEFS:
        num = sum(c[t] for t in num_t)
        den = sum(c[t] for t in den_t)
        ans[name] = num / den if den else 0.0
        steps.append(
            Step(
                "ratio",
                {
                    "name": name,
                    "ja": ja,
                    "num_terms": [t.upper() for t in num_t],
                    "den_terms": [t.upper() for t in den_t],
                    "num_values": [c[t] for t in num_t],
                    "den_values": [c[t] for t in den_t],
                    "num": num,
                    "den": den,
                    "value": ans[name],
                    "zero_division": den == 0,
                },
            )
        )
    p, r = ans["precision"], ans["recall"]
    den = 2 * c["tp"] + c["fp"] + c["fn"]
    # = 2pr / (p + r) when both are defined and p + r > 0; computed from the counts, which
    # also gives scikit-learn's value (0) when TP = 0.
    f1 = 2 * c["tp"] / den if den else 0.0
    if den == 0:
        reason = "all-zero"  # TP = FP = FN = 0
    elif c["tp"] == 0:
        reason = "tp-zero"  # precision + recall = 0 (or one of them has a 0 denominator)
    else:
        reason = None
    steps.insert(
        3,
        Step(
            "f1",
            {
                "precision": p,
                "recall": r,
                "tp": c["tp"],
                "fp": c["fp"],
                "fn": c["fn"],
                "value": f1,
                "zero_case": reason,
                "convention": ZERO_DIVISION,
            },
        ),
    )
    ans = {
        "accuracy": ans["accuracy"],
        "precision": p,
        "recall": r,
        "f1": f1,
        "specificity": ans["specificity"],
    }
    return Solution(ans, tuple(steps))


@solver(
    "confusion_matrix",
    "正解ラベルと予測ラベルから混同行列 (行 = 正解、列 = 予測)",
    {
        "y_true": "正解ラベルのリスト",
        "y_pred": "予測ラベルのリスト",
        "labels": "ラベルの並び順 (省略時は出現したラベルを整列)",
    },
)
def confusion_matrix(y_true: Any, y_pred: Any, labels: Any = None) -> Solution:
    """Confusion matrix ``M[i, j]`` = number of samples with true label ``labels[i]``
    predicted as ``labels[j]`` (scikit-learn's orientation). For two labels the TP/FP/FN/TN
    counts treat the last label as positive.
    """
    yt, yp = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if len(yt) != len(yp):
        raise EngineError(f"y_pred の長さ ({len(yp)}) が y_true の長さ ({len(yt)}) と一致しない")
    if not yt:
        raise EngineError("y_true が空である")
    if labels is None:
        labs = sorted(set(yt) | set(yp), key=lambda v: (isinstance(v, str), v))
    else:
        labs = _labels(labels, "labels")
        if len(set(labs)) != len(labs):
            raise EngineError("labels に重複がある")
        unknown = (set(yt) | set(yp)) - set(labs)
        if unknown:
            raise EngineError(
                f"labels にないラベル {sorted(map(str, unknown))} が y_true / y_pred にある"
            )
    check_size(len(labs) ** 2, "混同行列 (ラベル数²)")
    idx = {v: i for i, v in enumerate(labs)}
    m = np.zeros((len(labs), len(labs)), dtype=np.int64)
    for a, b in zip(yt, yp, strict=False):
        m[idx[a], idx[b]] += 1
    answer: dict[str, Any] = {"labels": labs, "matrix": m}
    if len(labs) == 2:
        answer.update(
            {"tp": int(m[1, 1]), "fp": int(m[0, 1]), "fn": int(m[1, 0]), "tn": int(m[0, 0])}
        )
    return Solution(answer, (Step("confusion", {"labels": [str(v) for v in labs], "matrix": m}),))


def _labels(x: Any, name: str) -> list[Any]:
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if isinstance(x, str):
        x = list(x)  # "aabb" → ["a", "a", "b", "b"]
    if not isinstance(x, (list, tuple)):
        raise EngineError(f"{name} はラベルのリストで指定してください")
    out = []
    for v in x:
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if not isinstance(v, (int, str)) or isinstance(v, bool):
            raise EngineError(f"{name} のラベルは整数か文字列でなければならない（{v!r}）")
        out.append(v)
    return out
