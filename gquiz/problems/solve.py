"""Calling the solver a family names: a name of the engine's registry, nothing else.

A family file is data (a study group may share a folder through ``GQUIZ_PROBLEMS``), so it can
only name solvers the engine registers (``gquiz solve --list``); a dotted path such as
``os:system`` is refused when the file is checked and is never imported here either.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from gquiz.engine.core import EngineError, Solution

__all__ = ["run_solver", "solver_func"]


@cache
def solver_func(name: str) -> Callable[..., Solution]:
    """The registered function behind a solver name (EngineError for anything else)."""
    from gquiz.engine.registry import get_solver

    if not isinstance(name, str) or ":" in name or "." in name:
        raise EngineError(f"ソルバー {name!r} はエンジンのソルバー名ではありません")
    return get_solver(name).func


def run_solver(name: str, args: Mapping[str, Any]) -> Solution:
    """Run solver ``name`` with keyword ``args``."""
    return solver_func(name)(**args)
