"""Shapley values: of a cooperative game given by a table of coalition values, and of one
prediction of a small model (SHAP's interventional / "independent masker" form).

``φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S))``

Coalitions are bitmasks (bit ``i`` = player ``i``), so all ``2^n`` values live in one
NumPy vector and every player's sum is a single vectorised expression; 12 features
(4096 coalitions) take milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from gquiz.engine.core import EngineError, Solution, Step, as_array
from gquiz.engine.registry import solver

MAX_PLAYERS_TABLE = 16
MAX_FEATURES_MODEL = 16
# Above this many players the per-coalition steps (n·2^(n−1) of them) are left out.
MAX_DETAILED_PLAYERS = 6
# The table form uses exact fractions up to this many players (then NumPy floats).
MAX_EXACT_PLAYERS = 10


def _popcount(masks: np.ndarray, n: int) -> np.ndarray:
    counts: np.ndarray = ((masks[:, None] >> np.arange(n)) & 1).sum(axis=1)
    return counts


def shapley_from_values(v: np.ndarray, n: int) -> np.ndarray:
    """Exact Shapley values from ``v`` (length ``2^n``, indexed by coalition bitmask)."""
    masks = np.arange(1 << n)
    sizes = _popcount(masks, n)
    fact = np.array([math.factorial(k) for k in range(n + 1)], dtype=float)
    w = fact[:n] * fact[n - 1 :: -1] / fact[n]  # w[s] = s!(n-s-1)!/n!
    phi = np.empty(n)
    for i in range(n):
        bit = 1 << i
        s = masks[(masks & bit) == 0]
        phi[i] = np.dot(w[sizes[s]], v[s | bit] - v[s])
    return phi


def _weight(s: int, n: int) -> Fraction:
    return Fraction(math.factorial(s) * math.factorial(n - s - 1), math.factorial(n))


def _steps(names: list[str], v: np.ndarray, phi: np.ndarray, detailed: bool) -> list[Step]:
    n = len(names)
    steps: list[Step] = [Step("shapley_formula", {"n": n})]
    for i in range(n):
        bit = 1 << i
        if detailed:
            for m in range(1 << n):
                if m & bit:
                    continue
                members = [names[j] for j in range(n) if m >> j & 1]
                members_with = [names[j] for j in range(n) if (m | bit) >> j & 1]
                wt = _weight(len(members), n)
                marg = v[m | bit] - v[m]
                steps.append(
                    Step(
                        "shapley_term",
                        {
                            "player": names[i],
                            "coalition": members,
                            "with": members_with,
                            "v_without": v[m],
                            "v_with": v[m | bit],
                            "marginal": marg,
                            "weight": f"{wt.numerator}/{wt.denominator}"
                            if wt.denominator != 1
                            else "1",
                            "weight_value": float(wt),
                            "contribution": float(wt) * marg,
                        },
                    )
                )
        steps.append(Step("shapley_value", {"player": names[i], "value": phi[i]}))
    total = float(phi.sum())
    gap = float(v[-1] - v[0])
    steps.append(
        Step(
            "efficiency",
            {
                "sum": total,
                "v_all": float(v[-1]),
                "v_empty": float(v[0]),
                "difference": gap,
                "holds": bool(np.isclose(total, gap, rtol=1e-9, atol=1e-9)),
            },
        )
    )
    return steps


def _parse_coalition(key: str, index: Mapping[str, int]) -> int:
    if not isinstance(key, str):
        raise EngineError(f"values のキーは提携を表す文字列でなければならない（{key!r}）")
    mask = 0
    for part in key.split(","):
        name = part.strip()
        if name == "" and key.strip() == "":
            return 0
        if name not in index:
            raise EngineError(f"values のキー {key!r} に players にないプレイヤー {name!r} がある")
        bit = 1 << index[name]
        if mask & bit:
            raise EngineError(f"values のキー {key!r} でプレイヤー {name!r} が重複している")
        mask |= bit
    return mask


@solver(
    "shapley",
    "協力ゲームの Shapley 値 (全提携の限界貢献と重み)",
    {
        "players": "プレイヤー名のリスト",
        "values": '提携の値: players の順にカンマでつないだ名前 → 値 ("" は空の提携)',
    },
)
def shapley(players: Any, values: Any) -> Solution:
    """Exact Shapley values of the game ``v`` given as ``{"A,B": v({A, B}), ..., "": v(∅)}``.

    Every one of the ``2^n`` coalitions must be present; a missing one raises
    :class:`EngineError` naming it. Names inside a key may come in any order.

    Examples
    --------
    >>> sol = shapley(["A", "B"], {"": 0, "A": 10, "B": 20, "A,B": 50})
    >>> sol.answer
    {'A': 20.0, 'B': 30.0}
    """
    names = _player_names(players)
    n = len(names)
    v = _game_values(values, names)
    phi = _exact_shapley(v, n) if n <= MAX_EXACT_PLAYERS else shapley_from_values(v, n)
    steps = _steps(names, v, phi, n <= MAX_DETAILED_PLAYERS)
    return Solution({p: float(x) for p, x in zip(names, phi, strict=False)}, tuple(steps))


def _player_names(players: Any) -> list[str]:
    """The players as distinct names without commas (a coalition key joins them by commas)."""
    if isinstance(players, np.ndarray):
        players = players.tolist()
    if not isinstance(players, (list, tuple)) or not players:
        raise EngineError("players はプレイヤー名のリストで指定してください")
    names = [str(p) for p in players]
    if any("," in p or p.strip() != p or p == "" for p in names):
        raise EngineError("players の名前は空でなく、カンマや前後の空白を含まないこと")
    if len(set(names)) != len(names):
        raise EngineError("players に同じ名前が重複している")
    if len(names) > MAX_PLAYERS_TABLE:
        raise EngineError(f"players が多すぎる（{len(names)} 人、最大 {MAX_PLAYERS_TABLE} 人）")
    return names


def _game_values(values: Any, names: list[str]) -> np.ndarray:
    """``v`` by coalition bitmask (bit j = ``names[j]``); every coalition once, finite."""
    if not isinstance(values, Mapping):
        raise EngineError('values は {"提携": 値} の JSON オブジェクトで指定してください')
    n = len(names)
    index = {p: i for i, p in enumerate(names)}
    v = np.full(1 << n, np.nan)
    for key, val in values.items():
        m = _parse_coalition(key, index)
        if not np.isnan(v[m]):
            raise EngineError(f"values に同じ提携が 2 回ある（{key!r}）")
        if (
            isinstance(val, bool)
            or not isinstance(val, (int, float, np.integer, np.floating))
            or not math.isfinite(val)
        ):
            raise EngineError(f"values[{key!r}] には有限の数値を指定してください（{val!r}）")
        v[m] = float(val)
    missing = [m for m in range(1 << n) if np.isnan(v[m])]
    if missing:

        def label(m: int) -> str:
            return ",".join(names[j] for j in range(n) if m >> j & 1)

        shown = ", ".join(f'"{label(m)}"' for m in missing[:5])
        more = f" ほか {len(missing) - 5} 個" if len(missing) > 5 else ""
        raise EngineError(f"values に提携 {shown}{more} の値がない（全 {1 << n} 個の提携が必要）")
    return v


def _exact_shapley(v: np.ndarray, n: int) -> np.ndarray:
    """Shapley values in exact rational arithmetic, rounded once (so 30 prints as 30, not 29.999...)."""
    vf = [Fraction(float(x)) for x in v]
    out = []
    for i in range(n):
        bit = 1 << i
        total = Fraction(0)
        for m in range(1 << n):
            if not m & bit:
                total += _weight(bin(m).count("1"), n) * (vf[m | bit] - vf[m])
        out.append(float(total))
    return np.array(out)


def coalition_values(
    model: Callable[[np.ndarray], Any],
    x: np.ndarray,
    background: np.ndarray,
    chunk_rows: int = 1 << 20,
) -> np.ndarray:
    """``v(S) = mean_b model(x_S, b_{N∖S})`` for every coalition bitmask ``S`` (interventional)."""
    n = x.shape[0]
    masks = np.arange(1 << n)
    onoff = ((masks[:, None] >> np.arange(n)) & 1).astype(bool)  # (2^n, n)
    nb = background.shape[0]
    v = np.empty(1 << n)
    per_chunk = max(1, chunk_rows // nb)
    for start in range(0, 1 << n, per_chunk):
        sel = onoff[start : start + per_chunk]
        z = np.where(sel[:, None, :], x[None, None, :], background[None, :, :])  # (k, B, n)
        out = np.asarray(model(z.reshape(-1, n)), dtype=float)
        if out.size != z.shape[0] * nb:
            raise EngineError(
                f"model の出力は入力 1 行につき 1 つの数値でなければならない（形 {out.shape}）"
            )
        v[start : start + len(sel)] = out.reshape(len(sel), nb).mean(axis=1)
    return v


def shapley_model(
    model: Callable[[np.ndarray], Any],
    x: Any,
    baseline: Any = None,
    background: Any = None,
    feature_names: Any = None,
) -> Solution:
    """Exact Shapley values of one prediction ``model(x)`` against a baseline or background set.

    The value of a coalition ``S`` is the model's mean output when the features in ``S``
    take their values from ``x`` and the others from each background row (SHAP's
    interventional form, ``shap.maskers.Independent``; with one ``baseline`` row this is
    "baseline Shapley"). ``model`` maps an ``(m, n)`` array to ``m`` outputs.
    Efficiency: ``Σ φ_i = model(x) − mean(model(background))``, reported as a step.

    Not registered as a CLI solver (it takes a Python callable); see :func:`shapley_mlp`.
    """
    xa = as_array(x, "x", ndim=1)
    n = xa.shape[0]
    if n > MAX_FEATURES_MODEL:
        raise EngineError(f"x の特徴量が多すぎる（{n} 個、最大 {MAX_FEATURES_MODEL} 個）")
    if (baseline is None) == (background is None):
        raise EngineError("baseline か background のどちらか一方を指定してください")
    if baseline is not None:
        bg = as_array(baseline, "baseline", ndim=1)[None]
    else:
        bg = as_array(background, "background", ndim=2)
    if bg.shape[1] != n:
        raise EngineError(
            f"baseline / background の特徴量の数 ({bg.shape[1]}) が x の特徴量の数 ({n}) と一致しない"
        )
    names = (
        [f"x{i}" for i in range(n)] if feature_names is None else [str(s) for s in feature_names]
    )
    if len(names) != n:
        raise EngineError(f"feature_names の長さ ({len(names)}) が特徴量の数 ({n}) と一致しない")
    if not callable(model):
        raise EngineError("model は NumPy 配列を受け取る関数でなければならない")
    v = coalition_values(model, xa, bg)
    phi = shapley_from_values(v, n)
    steps = [Step("coalition_value_rule", {"background_rows": bg.shape[0]})]
    steps += _steps(names, v, phi, n <= MAX_DETAILED_PLAYERS)
    return Solution(
        {"values": phi, "names": names, "prediction": float(v[-1]), "base_value": float(v[0])},
        tuple(steps),
    )


_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda z: 0.5 * (1 + np.tanh(z / 2)),
}


def _mlp_from_spec(layers: Any, n: int) -> Callable[[np.ndarray], np.ndarray]:
    if not isinstance(layers, (list, tuple)) or not layers:
        raise EngineError(
            'layers は [{"weights": 入力×出力, "bias": [...], "activation": "relu"}, ...] で指定してください'
        )
    parsed: list[tuple[np.ndarray, np.ndarray, Callable[[np.ndarray], np.ndarray]]] = []
    width = n
    for i, layer in enumerate(layers):
        if not isinstance(layer, Mapping):
            raise EngineError(f"layers[{i}] がオブジェクトでない")
        extra = set(layer) - {"weights", "bias", "activation"}
        if extra:
            raise EngineError(f"layers[{i}] に未知のキー {sorted(extra)}")
        w = as_array(layer.get("weights"), f"layers[{i}].weights", ndim=(1, 2))
        if w.ndim == 1:
            w = w[:, None]
        if w.shape[0] != width:
            raise EngineError(
                f"layers[{i}].weights の行数 ({w.shape[0]}) が前の層の出力数 ({width}) と一致しない"
            )
        b = layer.get("bias", 0.0)
        b = as_array(b, f"layers[{i}].bias", ndim=(0, 1))
        if b.ndim == 1 and b.shape[0] != w.shape[1]:
            raise EngineError(
                f"layers[{i}].bias の長さ ({b.shape[0]}) が出力数 ({w.shape[1]}) と一致しない"
            )
        act = layer.get("activation", "linear")
        if act not in _ACTIVATIONS:
            raise EngineError(
                f"layers[{i}].activation は {', '.join(_ACTIVATIONS)} のいずれか（{act!r}）"
            )
        parsed.append((w, b, _ACTIVATIONS[act]))
        width = w.shape[1]
    if width != 1:
        raise EngineError(f"最後の層の出力数は 1 でなければならない（{width}）")

    def model(z: np.ndarray) -> np.ndarray:
        for w, b, act in parsed:
            z = act(z @ w + b)
        return z[:, 0]

    return model


@solver(
    "shapley_mlp",
    "小さなモデル (線形・多層パーセプトロン) の 1 つの予測の Shapley 値 (SHAP、背景データとの比較)",
    {
        "layers": '層のリスト [{"weights": 入力×出力, "bias": [...], "activation": "linear|relu|tanh|sigmoid"}]',
        "x": "説明する入力 (長さ n)",
        "baseline": "基準となる入力 1 行 (background の代わり)",
        "background": "背景データ (行 × n)",
        "feature_names": "特徴量の名前 (省略時 x0, x1, ...)",
    },
)
def shapley_mlp(
    layers: Any, x: Any, baseline: Any = None, background: Any = None, feature_names: Any = None
) -> Solution:
    """:func:`shapley_model` for a model written as JSON: dense layers with activations.

    A single linear layer gives the closed form ``φ_i = w_i (x_i − E[b_i])``.

    Examples
    --------
    >>> shapley_mlp([{"weights": [2.0, -1.0], "bias": 0.5}], [1.0, 3.0], baseline=[0.0, 1.0]).answer["values"]
    array([ 2., -2.])
    """
    xa = as_array(x, "x", ndim=1)
    return shapley_model(
        _mlp_from_spec(layers, xa.shape[0]), xa, baseline, background, feature_names
    )
