"""Statistics the G検定 asks by hand: descriptive statistics, a discrete distribution's
expected value and variance, Bayes' theorem, the eigenvalues of a 2×2 matrix and the
regression errors MSE / MAE / RMSE.

Conventions (each stated in the steps, since they change the answer):

* 分散 (population variance) divides the sum of squared deviations by ``n``; 不偏分散
  (sample variance) by ``n − 1``. 標準偏差 is the square root of the matching variance.
* The median of an even number of values is the mean of the two middle ones.
* ``Var[aX + b] = a² Var[X]`` (the shift ``b`` changes nothing).
* Eigenvalues are real and listed largest first; an eigenvector is written with its first
  component 1, ``(1, t)`` (or ``(0, 1)`` when that is impossible).

Every solver takes an ``ask`` argument naming the quantity asked; the steps stop at it, so
the last step is the answer of the question (all quantities stay in the answer mapping).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gquiz.engine.core import EngineError, Solution, Step, as_array, as_float
from gquiz.engine.registry import solver

__all__ = [
    "bayes",
    "descriptive_stats",
    "discrete_expectation",
    "eigen_2x2",
    "regression_errors",
]

_DESCRIPTIVE = ("mean", "median", "var", "sample_var", "std", "sample_std")


def _ask(ask: Any, allowed: tuple[str, ...]) -> str:
    if not isinstance(ask, str) or ask not in allowed:
        raise EngineError(f"ask は {', '.join(allowed)} のどれかで指定してください（{ask!r}）")
    return ask


@solver(
    "descriptive_stats",
    "記述統計: 平均・中央値・分散 (n で割る)・不偏分散 (n − 1 で割る)・標準偏差",
    {
        "values": "データの値のリスト",
        "ask": "求める量 mean / median / var / sample_var / std / sample_std (既定 var)",
    },
)
def descriptive_stats(values: Any, ask: Any = "var") -> Solution:
    """Mean, median, population and sample variance and their standard deviations.

    Examples
    --------
    >>> a = descriptive_stats([2, 4, 4, 4, 5, 5, 7, 9]).answer
    >>> a["mean"], a["median"], a["var"], a["std"], round(a["sample_var"], 4)
    (5.0, 4.5, 4.0, 2.0, 4.5714)
    """
    x = as_array(values, "values", ndim=1)
    q = _ask(ask, _DESCRIPTIVE)
    n = x.size
    if n < 2 and q in ("sample_var", "sample_std"):
        raise EngineError("不偏分散には 2 個以上の値が必要（n − 1 = 0 で割れない）")
    mean = float(x.sum() / n)
    srt = np.sort(x)
    if n % 2:
        median = float(srt[n // 2])
        middle = [n // 2 + 1]
    else:
        median = float((srt[n // 2 - 1] + srt[n // 2]) / 2)
        middle = [n // 2, n // 2 + 1]
    dev = x - mean
    ss = float((dev**2).sum())
    var = ss / n
    svar = ss / (n - 1) if n > 1 else None
    answer = {
        "n": n,
        "mean": mean,
        "median": median,
        "sum_squares": ss,
        "var": var,
        "sample_var": svar,
        "std": math.sqrt(var),
        "sample_std": math.sqrt(svar) if svar is not None else None,
    }
    if q == "median":
        step = Step(
            "stat_median",
            {"sorted": srt, "n": n, "positions": middle, "value": median},
        )
        return Solution(answer, (step,))
    steps = [Step("stat_mean", {"values": x, "sum": float(x.sum()), "n": n, "value": mean})]
    if q == "mean":
        return Solution(answer, tuple(steps))
    steps.append(Step("stat_deviations", {"values": x, "mean": mean, "squares": dev**2, "ss": ss}))
    sample = q.startswith("sample")
    v = svar if sample else var
    assert v is not None  # a sample statistic was refused above for n < 2
    steps.append(Step("stat_variance", {"ss": ss, "n": n, "sample": sample, "value": v}))
    if q in ("std", "sample_std"):
        steps.append(Step("stat_std", {"var": v, "sample": sample, "value": math.sqrt(v)}))
    return Solution(answer, tuple(steps))


@solver(
    "discrete_expectation",
    "離散確率分布の期待値 E[X]・分散 Var[X] (と aX + b の期待値・分散)",
    {
        "values": "確率変数のとる値 x_i のリスト",
        "probs": "それぞれの確率 P(X = x_i) のリスト (合計 1)",
        "ask": "求める量 mean / var / std (既定 mean)",
        "a": "Y = aX + b の a (既定 1)",
        "b": "Y = aX + b の b (既定 0)",
    },
)
def discrete_expectation(
    values: Any, probs: Any, ask: Any = "mean", a: Any = 1, b: Any = 0
) -> Solution:
    """E[X] = Σ x p, Var[X] = E[X²] − E[X]²; for ``Y = aX + b``: E[Y] = aE[X] + b, Var[Y] = a²Var[X].

    Examples
    --------
    >>> s = discrete_expectation([1, 2, 3], [0.2, 0.5, 0.3], ask="var").answer
    >>> round(s["mean"], 10), round(s["var"], 10)
    (2.1, 0.49)
    """
    x = as_array(values, "values", ndim=1)
    p = as_array(probs, "probs", ndim=1)
    q = _ask(ask, ("mean", "var", "std"))
    if p.shape != x.shape:
        raise EngineError(f"probs の個数 ({p.size}) が values の個数 ({x.size}) と一致しない")
    if np.any(p < 0):
        raise EngineError("probs に負の確率がある")
    if abs(float(p.sum()) - 1) > 1e-9:
        raise EngineError(f"probs の合計が 1 ではない（{float(p.sum()):g}）")
    ka, kb = as_float(a, "a"), as_float(b, "b")
    mean_x = float((x * p).sum())
    ex2 = float((x**2 * p).sum())
    var_x = max(0.0, ex2 - mean_x**2)
    mean_y, var_y = ka * mean_x + kb, ka * ka * var_x
    linear = ka != 1 or kb != 0
    answer = {
        "mean_x": mean_x,
        "e_x2": ex2,
        "var_x": var_x,
        "mean": mean_y,
        "var": var_y,
        "std": math.sqrt(var_y),
    }
    steps = [Step("ev_mean", {"values": x, "probs": p, "value": mean_x})]
    if q == "mean":
        if linear:
            steps.append(
                Step("ev_linear_mean", {"a": ka, "b": kb, "mean_x": mean_x, "value": mean_y})
            )
        return Solution(answer, tuple(steps))
    steps.append(Step("ev_second_moment", {"values": x, "probs": p, "value": ex2}))
    steps.append(Step("ev_variance", {"e_x2": ex2, "mean": mean_x, "value": var_x}))
    if linear:
        steps.append(Step("ev_linear_var", {"a": ka, "b": kb, "var_x": var_x, "value": var_y}))
    if q == "std":
        steps.append(Step("stat_std", {"var": var_y, "sample": False, "value": math.sqrt(var_y)}))
    return Solution(answer, tuple(steps))


@solver(
    "bayes",
    "条件付き確率とベイズの定理 (検査の陽性・陰性と病気の有無)",
    {
        "prior": "事前確率 P(D) (病気である確率)",
        "sensitivity": "感度 P(+ | D)",
        "false_positive": "偽陽性率 P(+ | ¬D)",
        "ask": "求める量 p_pos (P(+)) / posterior (P(D | +)) / neg_posterior (P(D | −)) / twice (2 回続けて陽性のときの P(D | +, +))",
    },
)
def bayes(prior: Any, sensitivity: Any, false_positive: Any, ask: Any = "posterior") -> Solution:
    """Law of total probability and Bayes' theorem for a diagnostic test.

    ``twice``: two independent tests (same sensitivity and false-positive rate) both positive;
    the first posterior becomes the prior of the second.

    Examples
    --------
    >>> round(bayes(0.01, 0.9, 0.05).answer["posterior"], 6)
    0.153846
    """
    pd = as_float(prior, "prior", min_value=0, max_value=1)
    se = as_float(sensitivity, "sensitivity", min_value=0, max_value=1)
    fp = as_float(false_positive, "false_positive", min_value=0, max_value=1)
    q = _ask(ask, ("p_pos", "posterior", "neg_posterior", "twice"))
    joint = pd * se
    joint_n = (1 - pd) * fp
    p_pos = joint + joint_n
    p_neg = 1 - p_pos
    post = joint / p_pos if p_pos > 0 else None
    neg_post = pd * (1 - se) / p_neg if p_neg > 0 else None
    answer: dict[str, Any] = {
        "joint": joint,
        "p_pos": p_pos,
        "posterior": post,
        "p_neg": p_neg,
        "neg_posterior": neg_post,
        "twice": None,
    }
    steps = []
    if q == "neg_posterior":
        steps.append(
            Step(
                "bayes_total",
                {"prior": pd, "se": 1 - se, "fp": 1 - fp, "neg": True, "value": p_neg},
            )
        )
        if neg_post is None:
            raise EngineError("P(−) = 0 なので P(D | −) は定義されない")
        steps.append(
            Step(
                "bayes_posterior",
                {"joint": pd * (1 - se), "evidence": p_neg, "neg": True, "value": neg_post},
            )
        )
        return Solution(answer, tuple(steps))
    steps.append(
        Step("bayes_total", {"prior": pd, "se": se, "fp": fp, "neg": False, "value": p_pos})
    )
    if q == "p_pos":
        return Solution(answer, tuple(steps))
    if post is None:
        raise EngineError("P(+) = 0 なので P(D | +) は定義されない")
    steps.append(
        Step("bayes_posterior", {"joint": joint, "evidence": p_pos, "neg": False, "value": post})
    )
    if q == "twice":
        j2 = post * se
        e2 = j2 + (1 - post) * fp
        answer["twice"] = j2 / e2
        steps.append(
            Step(
                "bayes_update",
                {"prior": post, "se": se, "fp": fp, "joint": j2, "evidence": e2, "value": j2 / e2},
            )
        )
    return Solution(answer, tuple(steps))


@solver(
    "eigen_2x2",
    "2×2 行列の固有値 (特性方程式) と固有ベクトル",
    {
        "matrix": "2×2 の行列",
        "ask": "求める量 values (固有値を大きい順に) / largest (大きいほうの固有値) / vector (大きいほうの固有値の固有ベクトル (1, t) の t)",
    },
)
def eigen_2x2(matrix: Any, ask: Any = "values") -> Solution:
    """Eigenvalues from ``λ² − tr(A) λ + det(A) = 0`` and eigenvectors from ``(A − λI) v = 0``.

    Complex eigenvalues are refused (the exam's matrices have real ones).

    Examples
    --------
    >>> eigen_2x2([[2, 1], [1, 2]]).answer["values"]
    [3.0, 1.0]
    >>> eigen_2x2([[2, 1], [1, 2]], ask="vector").answer["t"]
    1.0
    """
    m = as_array(matrix, "matrix", ndim=2)
    if m.shape != (2, 2):
        raise EngineError(f"matrix は 2×2 でなければならない（{m.shape[0]}×{m.shape[1]}）")
    q = _ask(ask, ("values", "largest", "vector"))
    (a, b), (c, d) = m.tolist()
    tr, det = a + d, a * d - b * c
    disc = tr * tr - 4 * det
    if disc < -1e-12:
        raise EngineError(f"固有値が実数にならない（判別式 tr² − 4det = {disc:g} < 0）")
    root = math.sqrt(max(0.0, disc))
    l1, l2 = (tr + root) / 2, (tr - root) / 2
    # (A − λI) v = 0: the first row (a − λ) v1 + b v2 = 0 gives v = (1, (λ − a) / b).
    if abs(b) > 1e-12:
        t: float | None = (l1 - a) / b
        row = "first"
    elif abs(l1 - a) > 1e-12:
        t = None  # v1 must be 0: v = (0, 1)
        row = "first_zero"
    elif abs(l1 - d) > 1e-12:
        # b = 0 and λ = a: the second row c v1 + (d − λ) v2 = 0 fixes t.
        t = c / (l1 - d)
        row = "second"
    elif abs(c) > 1e-12:
        t = None  # b = 0, λ = a = d, c ≠ 0: the second row forces v1 = 0
        row = "second_zero"
    else:
        t = 0.0  # A = λI: every vector is an eigenvector; (1, 0) is one
        row = "scalar"
    answer = {
        "trace": tr,
        "det": det,
        "values": [l1, l2],
        "largest": l1,
        "smallest": l2,
        "t": t,
        "vector": [1.0, t] if t is not None else [0.0, 1.0],
    }
    steps = [
        Step("eig_char", {"matrix": m, "trace": tr, "det": det}),
        Step("eig_roots", {"trace": tr, "det": det, "disc": disc, "values": [l1, l2], "ask": q}),
    ]
    if q == "vector":
        steps.append(Step("eig_vector", {"matrix": m, "value": l1, "t": t, "row": row}))
    return Solution(answer, tuple(steps))


@solver(
    "regression_errors",
    "回帰の誤差指標 MSE・MAE・RMSE",
    {
        "y_true": "正解値のリスト",
        "y_pred": "予測値のリスト (同じ長さ)",
        "ask": "求める量 mse / mae / rmse (既定 mse)",
    },
)
def regression_errors(y_true: Any, y_pred: Any, ask: Any = "mse") -> Solution:
    """MSE = mean(e²), MAE = mean(|e|), RMSE = √MSE with e = y_pred − y_true.

    Examples
    --------
    >>> regression_errors([3, 5, 2], [2, 5, 4]).answer["mse"]
    1.6666666666666667
    """
    yt = as_array(y_true, "y_true", ndim=1)
    yp = as_array(y_pred, "y_pred", ndim=1)
    if yt.shape != yp.shape:
        raise EngineError(f"y_pred の個数 ({yp.size}) が y_true の個数 ({yt.size}) と一致しない")
    q = _ask(ask, ("mse", "mae", "rmse"))
    e = yp - yt
    n = e.size
    mse = float((e**2).sum() / n)
    mae = float(np.abs(e).sum() / n)
    answer = {
        "mse": mse,
        "mae": mae,
        "rmse": math.sqrt(mse),
        "sse": float((e**2).sum()),
        "mean_error": float(e.sum() / n),
    }
    steps = [Step("err_residuals", {"y_true": yt, "y_pred": yp, "errors": e})]
    if q == "mae":
        steps.append(Step("err_mean", {"what": "mae", "terms": np.abs(e), "n": n, "value": mae}))
    else:
        steps.append(Step("err_mean", {"what": "mse", "terms": e**2, "n": n, "value": mse}))
        if q == "rmse":
            steps.append(Step("err_rmse", {"mse": mse, "value": math.sqrt(mse)}))
    return Solution(answer, tuple(steps))
