"""Fixtures for the screen tests: a small content folder of our own, so snapshots do not move
when the real questions are rewritten, and no cursor blink (snapshots must be stable)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gquiz.config import Settings

HERE = Path(__file__).parent
REPO = HERE.parent.parent


@pytest.fixture
def tui_settings(tmp_path: Path) -> Settings:
    content = tmp_path / "content"
    shutil.copytree(HERE / "fixtures" / "content", content)
    shutil.copy(REPO / "content" / "exam-blueprint.md", content / "exam-blueprint.md")
    return Settings(
        db_url=f"sqlite:///{tmp_path / 'bank.sqlite3'}",
        learner="tester",
        content=content,
        problems=HERE / "fixtures" / "problems",
    )


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Input

    # The cursor stays drawn: a blink timer firing mid-screenshot would flip a cell.
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
