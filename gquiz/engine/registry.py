"""Registry of named solvers, the entry point of ``gquiz solve`` and the problem families.

A solver is an engine function decorated with :func:`solver`. Modules are discovered
lazily with :mod:`pkgutil` the first time :func:`list_solvers` or :func:`run` is called,
so ``import gquiz.engine`` stays cheap.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gquiz.engine.core import EngineError, Solution

MAX_INPUT_VALUES = 100_000
"""Most values (numbers, strings, lists, objects) all parameters of one solve may hold."""
MAX_INPUT_DEPTH = 16
"""Deepest nesting of lists and objects in the parameters (a C×H×W array is 3)."""

__all__ = ["SolverSpec", "get_solver", "list_solvers", "run", "solver"]

_SOLVERS: dict[str, SolverSpec] = {}
_DISCOVERED = False
# Modules of this package that hold no solvers.
_NOT_SOLVER_MODULES = {"core", "registry"}


@dataclass(frozen=True)
class SolverSpec:
    """A registered solver: its name, function, Japanese summary and parameter docs."""

    name: str
    func: Callable[..., Solution]
    summary_ja: str
    params_doc: Mapping[str, str]

    @property
    def parameters(self) -> list[dict[str, Any]]:
        """Parameters in signature order: ``{"name", "required", "default", "doc"}``."""
        out = []
        for p in inspect.signature(self.func).parameters.values():
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            required = p.default is inspect.Parameter.empty
            out.append(
                {
                    "name": p.name,
                    "required": required,
                    "default": None if required else p.default,
                    "doc": self.params_doc.get(p.name, ""),
                }
            )
        return out


def solver(
    name: str, summary_ja: str, params_doc: Mapping[str, str]
) -> Callable[[Callable[..., Solution]], Callable[..., Solution]]:
    """Register the decorated engine function as solver ``name``.

    ``params_doc`` maps every parameter name to a short Japanese description; a
    parameter missing from it is a programming error caught at import time.
    """

    def decorate(func: Callable[..., Solution]) -> Callable[..., Solution]:
        sig_names = {p.name for p in inspect.signature(func).parameters.values()}
        undocumented = sig_names - set(params_doc)
        if undocumented:
            raise RuntimeError(f"solver {name!r}: undocumented parameters {sorted(undocumented)}")
        if name in _SOLVERS and _SOLVERS[name].func is not func:
            raise RuntimeError(f"solver {name!r} registered twice")
        _SOLVERS[name] = SolverSpec(name, func, summary_ja, dict(params_doc))
        return func

    return decorate


def _discover() -> None:
    global _DISCOVERED
    if _DISCOVERED:
        return
    import gquiz.engine as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name in _NOT_SOLVER_MODULES or info.name.startswith("_"):
            continue
        importlib.import_module(f"gquiz.engine.{info.name}")
    _DISCOVERED = True


def list_solvers() -> list[SolverSpec]:
    """All registered solvers, sorted by name."""
    _discover()
    return [_SOLVERS[k] for k in sorted(_SOLVERS)]


def get_solver(name: str) -> SolverSpec:
    """The solver registered as ``name`` (:class:`EngineError` if there is none)."""
    _discover()
    try:
        return _SOLVERS[name]
    except KeyError:
        raise EngineError(f"ソルバー '{name}' は存在しない（一覧は gquiz solve --list）") from None


def _convert(value: Any) -> Any:
    """JSON value -> engine argument: numeric nested lists become float arrays."""
    import numpy as np

    if isinstance(value, list) and value:
        try:
            arr = np.array(value)
        except ValueError:
            return value  # ragged; the solver reports it with the parameter's name
        if arr.dtype.kind in "iuf" and arr.dtype != object:
            return arr.astype(float)
        if arr.dtype.kind == "b":
            return arr
    return value


def _check_input(params: Mapping[str, Any]) -> None:
    """Refuse oversized or deeply nested parameters before anything is converted or computed.

    Iterative, so a 100,000-deep list from Python is refused instead of raising RecursionError.
    """
    count = 0
    stack: list[tuple[Any, int]] = [(v, 1) for v in params.values()]
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > MAX_INPUT_VALUES:
            raise EngineError(
                f"パラメータの値が多すぎる（上限 {MAX_INPUT_VALUES:,} 個）。もっと小さな例で試してください"
            )
        if isinstance(value, Mapping):
            children: Any = value.values()
        elif isinstance(value, (list, tuple)):
            children = value
        else:
            continue
        if depth > MAX_INPUT_DEPTH:
            raise EngineError(f"パラメータの入れ子が深すぎる（上限 {MAX_INPUT_DEPTH} 段）")
        stack.extend((c, depth + 1) for c in children)


def run(name: str, params: Mapping[str, Any]) -> Solution:
    """Run solver ``name`` with JSON-style ``params`` (nested lists are converted to arrays).

    Unknown and missing parameters raise :class:`EngineError` naming them.
    """
    spec = get_solver(name)
    if not isinstance(params, Mapping):
        raise EngineError('パラメータは JSON オブジェクト（{"名前": 値, ...}）で指定してください')
    known = {p["name"]: p for p in spec.parameters}
    unknown = [k for k in params if k not in known]
    if unknown:
        raise EngineError(
            f"{name} に未知のパラメータ {', '.join(map(repr, unknown))}（指定できるのは {', '.join(known)}）"
        )
    missing = [k for k, p in known.items() if p["required"] and k not in params]
    if missing:
        raise EngineError(f"{name} に必須のパラメータ {', '.join(map(repr, missing))} がない")
    _check_input(params)
    kwargs = {k: _convert(v) for k, v in params.items()}
    return spec.func(**kwargs)
