"""Calling the solver a family names: an engine registry name or a dotted path."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from gquiz.engine.core import Solution

__all__ = ["resolve_dotted", "solver_func", "run_solver"]


@cache
def resolve_dotted(path: str) -> Callable[..., Solution]:
    """``package.module:function`` or ``package.module.function`` → the function."""
    if ":" in path:
        mod_name, _, attr = path.partition(":")
    else:
        mod_name, _, attr = path.rpartition(".")
    if not mod_name or not attr:
        raise ValueError(f"ソルバーのパス {path!r} は モジュール:関数 の形で書いてください")
    func = getattr(importlib.import_module(mod_name), attr)
    if not callable(func):
        raise ValueError(f"{path!r} は関数ではありません")
    return func


@cache
def solver_func(name: str) -> Callable[..., Solution]:
    """The function behind a solver name (registry first, then a dotted path)."""
    if ":" in name or "." in name:
        return resolve_dotted(name)
    from gquiz.engine.registry import get_solver

    return get_solver(name).func


def run_solver(name: str, args: Mapping[str, Any]) -> Solution:
    """Run solver ``name`` with keyword ``args``."""
    return solver_func(name)(**args)
