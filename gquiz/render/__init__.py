"""Render engine steps as Japanese text lines.

Each module of this package (one per engine module) exposes ``RENDERERS``, a mapping
from step kind to a function ``Step -> str``. :func:`render_steps` discovers them with
:mod:`pkgutil` on first use. Unknown kinds fall back to a generic ``kind: key=value``
line so a new step never crashes the UI.

Formulas are written for the terminal (plain text / Unicode, no LaTeX). ``×`` appears in
formulas, which are free text; table columns should avoid East-Asian-ambiguous symbols.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

from gquiz.render.fmt import fmt, fmt_array

__all__ = ["fmt", "fmt_array", "render_answer", "render_step", "render_steps"]

_RENDERERS: dict[str, Callable[[Any], str]] | None = None


def _renderers() -> dict[str, Callable[[Any], str]]:
    global _RENDERERS
    if _RENDERERS is None:
        import gquiz.render as pkg

        table: dict[str, Callable[[Any], str]] = {}
        for info in pkgutil.iter_modules(pkg.__path__):
            if info.name in {"fmt"} or info.name.startswith("_"):
                continue
            mod = importlib.import_module(f"gquiz.render.{info.name}")
            table.update(getattr(mod, "RENDERERS", {}))
        _RENDERERS = table
    return _RENDERERS


def render_step(step: Any) -> str:
    """One step as one (possibly multi-line) Japanese string."""
    func = _renderers().get(step.kind)
    if func is None:
        args = ", ".join(f"{k}={fmt(v)}" for k, v in step.args.items())
        return f"{step.kind}: {args}"
    return func(step)


def render_steps(solution: Any) -> list[str]:
    """All steps of ``solution`` as text lines (multi-line steps are split)."""
    lines: list[str] = []
    for step in solution.steps:
        lines.extend(render_step(step).split("\n"))
    return lines


def render_answer(answer: Any) -> list[str]:
    """The answer as text lines: arrays as rows, dicts as ``key = value`` lines."""
    if isinstance(answer, dict):
        out = []
        for k, v in answer.items():
            text = fmt(v)
            if "\n" in text:
                out.append(f"{k} =")
                out.extend("  " + line for line in text.split("\n"))
            else:
                out.append(f"{k} = {text}")
        return out
    return fmt(answer).split("\n")
