"""Renderers for :mod:`gquiz.engine.sequence` steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gquiz.engine.core import Step


def _seq(tokens: list[Any]) -> str:
    if all(isinstance(t, str) and len(t) == 1 for t in tokens):
        return '"' + "".join(tokens) + '"'
    return "[" + ", ".join(map(str, tokens)) + "]"


def ctc_merge(step: Step) -> str:
    a = step.args
    return f"① 連続する同じ記号をまとめる: {_seq(a['path'])} → {_seq(a['merged'])}"


def ctc_blank(step: Step) -> str:
    a = step.args
    return f"② ブランク「{a['blank']}」を除く: {_seq(a['merged'])} → {_seq(a['result'])}"


RENDERERS: dict[str, Callable[[Step], str]] = {"ctc_merge": ctc_merge, "ctc_blank": ctc_blank}
