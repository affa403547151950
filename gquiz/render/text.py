"""Renderers for :mod:`gquiz.engine.text` steps."""

from __future__ import annotations

from collections.abc import Callable

from gquiz.engine.core import Step
from gquiz.render.stats import fv


def tfidf_tf(step: Step) -> str:
    a = step.args
    return (
        f"tf = 文書{a['doc'] + 1} での「{a['term']}」の出現回数 / 文書{a['doc'] + 1} の単語数"
        f" = {a['count']} / {a['length']} = {fv(a['value'])}"
    )


def tfidf_idf(step: Step) -> str:
    a = step.args
    which = "、".join(f"文書{i + 1}" for i, c in enumerate(a["contains"]) if c)
    lg = {"e": "ln", "10": "log₁₀", "2": "log₂"}[a["base"]]
    return (
        f"df = 「{a['term']}」を含む文書の数 = {a['df']}（{which}）、文書数 N = {a['n']}\n"
        f"idf = {lg}(N / df) = {lg}({a['n']} / {a['df']}) = {fv(a['value'])}"
    )


def tfidf_value(step: Step) -> str:
    a = step.args
    return f"TF-IDF = tf × idf = {fv(a['tf'])} × {fv(a['idf'])} = {fv(a['value'])}"


RENDERERS: dict[str, Callable[[Step], str]] = {
    "tfidf_tf": tfidf_tf,
    "tfidf_idf": tfidf_idf,
    "tfidf_value": tfidf_value,
}
