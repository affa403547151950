"""Renderers for :mod:`gquiz.engine.attention` steps."""

from __future__ import annotations

from collections.abc import Callable

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_array
from gquiz.render.fmt import fmt_num as f
from gquiz.render.fmt import fmt_term as ft


def attn_scores(step: Step) -> str:
    a = step.args
    return f"スコア = Q Kᵀ / √d = Q Kᵀ / √{a['d']}:\n{fmt_array(a['scores'])}"


def attn_mask(step: Step) -> str:
    a = step.args
    return f"マスク（1 = 使う、0 = 隠して −∞ にする）:\n{fmt_array(a['keep'])}"


def attn_weights(step: Step) -> str:
    return f"注意の重み = 行ごとのソフトマックス:\n{fmt_array(step.args['weights'])}"


def attn_output(step: Step) -> str:
    a = step.args
    parts = " + ".join(
        f"{ft(w)}×{fmt_array(v)}" for w, v in zip(a["weights"], a["values"], strict=False)
    )
    return f"出力[{a['row']}] = Σ 重み × V の行 = {parts} = {fmt_array(a['output'])}"


def cosine(step: Step) -> str:
    a = step.args
    dot = " + ".join(f"{ft(x)}×{ft(y)}" for x, y in zip(a["a"], a["b"], strict=False))
    return "\n".join(
        [
            "コサイン類似度 = a·b / (|a| |b|)",
            f"  a·b = {dot} = {f(a['dot'])}",
            f"  |a| = {f(a['norm_a'])}、|b| = {f(a['norm_b'])}",
            f"  = {f(a['dot'])} / ({ft(a['norm_a'])} × {ft(a['norm_b'])}) = {f(a['value'])}",
        ]
    )


def analogy_target(step: Step) -> str:
    a = step.args
    return (
        f"{a['a']} − {a['b']} + {a['c']} = {fmt_array(a['va'])} − {fmt_array(a['vb'])} + {fmt_array(a['vc'])} = "
        f"{fmt_array(a['target'])}"
    )


def analogy_candidate(step: Step) -> str:
    a = step.args
    return f"  {a['word']}: コサイン類似度 {f(a['similarity'])}"


def analogy_best(step: Step) -> str:
    a = step.args
    return "最も近い単語（問いの 3 語を除く）: " + ", ".join(
        f"{w}（{f(s)}）" for w, s in zip(a["words"], a["similarities"], strict=False)
    )


RENDERERS: dict[str, Callable[[Step], str]] = {
    "attn_scores": attn_scores,
    "attn_mask": attn_mask,
    "attn_weights": attn_weights,
    "attn_output": attn_output,
    "cosine": cosine,
    "analogy_target": analogy_target,
    "analogy_candidate": analogy_candidate,
    "analogy_best": analogy_best,
}
