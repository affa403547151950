"""The core stays free of Textual and torch; start-up imports stay light."""

from __future__ import annotations

import pytest

from tests.helpers import modules_after


@pytest.mark.parametrize(
    "module",
    ["gquiz.bank.repo", "gquiz.bank.build", "gquiz.study.quiz", "gquiz.study.stats", "gquiz.plain"],
)
def test_core_does_not_import_textual_or_torch(module: str) -> None:
    loaded = modules_after(f"import {module}")
    assert "textual" not in loaded
    assert "torch" not in loaded


def test_cli_help_imports_neither_torch_nor_textual_nor_sqlalchemy() -> None:
    loaded = modules_after(
        "import sys\nfrom gquiz.cli import main\nsys.argv=['gquiz','--help']\ntry:\n main()\nexcept SystemExit:\n pass"
    )
    assert "torch" not in loaded
    assert "textual" not in loaded
    assert "sqlalchemy" not in loaded


def test_tui_start_does_not_import_torch() -> None:
    loaded = modules_after("import gquiz.tui.app, gquiz.tui.screens.home, gquiz.tui.screens.quiz")
    assert "torch" not in loaded
