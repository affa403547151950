"""Reinforcement learning by hand: the discounted return, the TD(0) update of a state value
and the Q-learning and SARSA updates of an action value.

Conventions (Sutton & Barto, 2nd ed.):

* ``G_t = r_{t+1} + γ r_{t+2} + γ² r_{t+3} + …``: the first reward is not discounted. With
  ``bootstrap`` (the value of the state reached after the last reward), ``γ^n V(s_n)`` is added
  (the n-step return).
* TD(0): ``V(s) ← V(s) + α [r + γ V(s') − V(s)]``; a terminal ``s'`` has ``V(s') = 0``.
* Q-learning (off-policy): target ``r + γ max_a' Q(s', a')``.
  SARSA (on-policy): target ``r + γ Q(s', a')`` with the action ``a'`` actually taken next.
  Both then ``Q(s, a) ← Q(s, a) + α (target − Q(s, a))``; a terminal ``s'`` contributes 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gquiz.engine.core import EngineError, Solution, Step, as_array, as_bool, as_float, as_int
from gquiz.engine.registry import solver

__all__ = ["discounted_return", "q_update", "td0_update"]


@solver(
    "discounted_return",
    "割引収益 G = r₁ + γ r₂ + γ² r₃ + … (+ γⁿ V(sₙ))",
    {
        "rewards": "受け取る報酬 r₁, r₂, … の順のリスト",
        "gamma": "割引率 γ (0〜1)",
        "bootstrap": "最後の報酬の後の状態の価値 V(sₙ) (省略時はなし: エピソード終了)",
    },
)
def discounted_return(rewards: Any, gamma: Any, bootstrap: Any = None) -> Solution:
    """The discounted return of a reward sequence (first reward undiscounted).

    Examples
    --------
    >>> discounted_return([1, 0, 2], 0.5).answer["return"]
    1.5
    >>> discounted_return([1, 1], 0.5, bootstrap=4).answer["return"]
    2.5
    """
    r = as_array(rewards, "rewards", ndim=1)
    g = as_float(gamma, "gamma", min_value=0, max_value=1)
    powers = g ** np.arange(r.size)
    terms = powers * r
    total = float(terms.sum())
    boot_term = None
    if bootstrap is not None:
        v = as_float(bootstrap, "bootstrap")
        boot_term = g**r.size * v
        total += boot_term
    steps = (
        Step(
            "rl_return",
            {
                "rewards": r,
                "gamma": g,
                "powers": powers,
                "terms": terms,
                "bootstrap": None if bootstrap is None else float(bootstrap),
                "boot_term": boot_term,
                "value": total,
            },
        ),
    )
    return Solution({"return": total, "terms": terms}, steps)


@solver(
    "td0_update",
    "TD(0) による状態価値の更新 V(s) ← V(s) + α [r + γ V(s') − V(s)]",
    {
        "v_s": "更新前の状態価値 V(s)",
        "reward": "受け取った報酬 r",
        "v_next": "次の状態の価値 V(s')",
        "alpha": "学習率 α",
        "gamma": "割引率 γ",
        "terminal": "次の状態が終端なら true (V(s') = 0 として扱う)",
        "ask": "求める量 new_value (更新後の V(s)、既定) / td_error (TD 誤差 δ) / target (TD ターゲット)",
    },
)
def td0_update(
    v_s: Any,
    reward: Any,
    v_next: Any,
    alpha: Any,
    gamma: Any,
    terminal: Any = False,
    ask: Any = "new_value",
) -> Solution:
    """One TD(0) update; the answer has the TD target, the TD error δ and the new value.

    Examples
    --------
    >>> td0_update(2.0, 1.0, 4.0, 0.5, 0.9).answer["new_value"]
    3.3
    """
    v = as_float(v_s, "v_s")
    r = as_float(reward, "reward")
    vn = as_float(v_next, "v_next")
    a = as_float(alpha, "alpha", min_value=0, max_value=1)
    g = as_float(gamma, "gamma", min_value=0, max_value=1)
    term = as_bool(terminal, "terminal")
    q = _ask(ask)
    target = r + (0.0 if term else g * vn)
    delta = target - v
    new = v + a * delta
    steps = (
        Step(
            "rl_td_target",
            {"reward": r, "gamma": g, "v_next": vn, "terminal": term, "value": target},
        ),
        Step("rl_td_error", {"target": target, "v": v, "value": delta}),
        Step("rl_td_new", {"v": v, "alpha": a, "delta": delta, "value": new, "what": "V(s)"}),
    )
    return Solution({"target": target, "td_error": delta, "new_value": new}, steps[: _STOP[q]])


_STOP = {"target": 1, "td_error": 2, "new_value": 3}


def _ask(ask: Any) -> str:
    if ask not in _STOP:
        raise EngineError(
            f"ask は new_value, td_error, target のどれかで指定してください（{ask!r}）"
        )
    return str(ask)


@solver(
    "q_update",
    "Q 学習 / SARSA による行動価値の更新 (Q テーブルから)",
    {
        "q": "Q テーブル (行 = 状態、列 = 行動)",
        "state": "いまの状態 s (行番号、0 始まり)",
        "action": "とった行動 a (列番号、0 始まり)",
        "reward": "受け取った報酬 r",
        "next_state": "次の状態 s' (行番号)",
        "alpha": "学習率 α",
        "gamma": "割引率 γ",
        "method": "'q_learning' (max を使う) か 'sarsa' (次に実際にとる行動 a' を使う)",
        "next_action": "SARSA で次にとる行動 a' (列番号)",
        "terminal": "次の状態が終端なら true (目標は r だけ)",
        "ask": "求める量 new_value (更新後の Q(s, a)、既定) / td_error / target",
    },
)
def q_update(
    q: Any,
    state: Any,
    action: Any,
    reward: Any,
    next_state: Any,
    alpha: Any,
    gamma: Any,
    method: Any = "q_learning",
    next_action: Any = None,
    terminal: Any = False,
    ask: Any = "new_value",
) -> Solution:
    """One Q-learning or SARSA update of ``Q(s, a)``; the answer has the target and new table.

    Examples
    --------
    >>> tbl = [[1.0, 2.0], [3.0, 5.0]]
    >>> q_update(tbl, 0, 1, 1.0, 1, 0.5, 0.9).answer["new_value"]
    3.75
    >>> q_update(tbl, 0, 1, 1.0, 1, 0.5, 0.9, method="sarsa", next_action=0).answer["new_value"]
    2.85
    """
    table = as_array(q, "q", ndim=2)
    ns, na = table.shape
    s = as_int(state, "state", min_value=0)
    a = as_int(action, "action", min_value=0)
    s2 = as_int(next_state, "next_state", min_value=0)
    for val, name, top in ((s, "state", ns), (s2, "next_state", ns), (a, "action", na)):
        if val >= top:
            raise EngineError(f"{name} は 0〜{top - 1} でなければならない（{val}）")
    r = as_float(reward, "reward")
    al = as_float(alpha, "alpha", min_value=0, max_value=1)
    g = as_float(gamma, "gamma", min_value=0, max_value=1)
    term = as_bool(terminal, "terminal")
    stop = _STOP[_ask(ask)] + 1
    if method not in ("q_learning", "sarsa"):
        raise EngineError(f"method は 'q_learning' か 'sarsa' で指定してください（{method!r}）")
    a2: int | None = None
    if method == "sarsa":
        if next_action is None:
            raise EngineError("SARSA には次にとる行動 next_action が必要")
        a2 = as_int(next_action, "next_action", min_value=0)
        if a2 >= na:
            raise EngineError(f"next_action は 0〜{na - 1} でなければならない（{a2}）")
    row = table[s2]
    if term:
        nxt = 0.0
    elif method == "q_learning":
        nxt = float(row.max())
    else:
        nxt = float(row[a2])
    target = r + g * nxt
    old = float(table[s, a])
    delta = target - old
    new = old + al * delta
    out = table.copy()
    out[s, a] = new
    steps = (
        Step(
            "rl_q_next",
            {
                "method": method,
                "next_state": s2,
                "row": row,
                "next_action": a2,
                "argmax": int(row.argmax()),
                "terminal": term,
                "value": nxt,
            },
        ),
        Step(
            "rl_td_target",
            {
                "reward": r,
                "gamma": g,
                "v_next": nxt,
                "terminal": term,
                "value": target,
                "q": "max" if method == "q_learning" else "sarsa",
            },
        ),
        Step("rl_td_error", {"target": target, "v": old, "value": delta, "q": True}),
        Step(
            "rl_td_new",
            {"v": old, "alpha": al, "delta": delta, "value": new, "what": f"Q(s{s}, a{a})"},
        ),
    )
    return Solution(
        {"target": target, "td_error": delta, "new_value": new, "next_value": nxt, "table": out},
        steps[:stop],
    )
