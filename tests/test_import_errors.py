"""ImportError is never swallowed: a broken module is a bug to see, not a feature that
quietly says 「まだ使えません」. The one exception is the torch probe, an optional extra."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

from click.testing import CliRunner

import gquiz
from gquiz.labs import INSTALL_HINT, torch_available

ALLOWED = {("gquiz/labs/__init__.py", "torch_available")}
IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}
# Goes with the family-file change (solvers from the engine's registry only, issue 17).
PENDING = {("gquiz/problems/spec.py", "_solver_exists")}


def _caught(handler: ast.ExceptHandler) -> set[str]:
    if handler.type is None:
        return {"<bare>"}
    nodes = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return {n.id for n in nodes if isinstance(n, ast.Name)}


def _handlers_catching_import_error() -> set[tuple[str, str]]:
    """(file, innermost enclosing function) of every `except` that catches ImportError."""
    root = Path(gquiz.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and _caught(node) & IMPORT_ERRORS:
                owner: ast.AST | None = node
                while owner is not None and not isinstance(
                    owner, (ast.FunctionDef, ast.AsyncFunctionDef)
                ):
                    owner = parents.get(owner)
                name = owner.name if owner is not None else "<module>"
                found.add((path.relative_to(root.parent).as_posix(), name))
    return found


def test_only_the_torch_probe_catches_import_error() -> None:
    assert _handlers_catching_import_error() - PENDING == ALLOWED


def test_torch_probe_reports_a_broken_finder_as_missing(monkeypatch) -> None:
    def broken(name: str, *args: object) -> None:
        raise ImportError(f"no finder for {name}")

    monkeypatch.setattr(importlib.util, "find_spec", broken)
    assert torch_available() is False


def test_lab_without_torch_prints_the_install_hint(monkeypatch) -> None:
    from gquiz.cli import lab

    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    res = CliRunner().invoke(lab, ["gradcam", "--plain"])
    assert res.exit_code == 1
    assert res.stderr.strip() == INSTALL_HINT.strip()
    assert "pip install 'gquiz[torch]'" in res.stderr
    assert "PyTorch がなくても" in res.stderr
