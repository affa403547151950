"""Shared fixtures: every test gets its own data dir, database and (optionally) content copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gquiz.config import Settings
from tests.pg import pg_server, pg_url  # noqa: F401  (PostgreSQL fixtures)

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the learner's real data directory."""
    monkeypatch.setenv("GQUIZ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("GQUIZ_DB", raising=False)
    monkeypatch.delenv("GQUIZ_LEARNER", raising=False)
    monkeypatch.delenv("GQUIZ_CONTENT", raising=False)
    monkeypatch.delenv("GQUIZ_PROBLEMS", raising=False)


@pytest.fixture
def fixture_content(tmp_path: Path) -> Path:
    """A small, editable copy of tests/fixtures/content."""
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "content", dest)
    return dest


@pytest.fixture
def settings(tmp_path: Path, fixture_content: Path) -> Settings:
    return Settings(
        db_url=f"sqlite:///{tmp_path / 'bank.sqlite3'}",
        learner="tester",
        content=fixture_content,
        problems=tmp_path / "no-problems",
    )


@pytest.fixture
def study_settings(tmp_path: Path) -> Settings:
    """Five generated topics of eight questions each, plus the real exam blueprint."""
    from tests.helpers import write_content

    content = write_content(tmp_path / "study-content")
    shutil.copy(REPO / "content" / "exam-blueprint.md", content / "exam-blueprint.md")
    return Settings(
        db_url=f"sqlite:///{tmp_path / 'study.sqlite3'}",
        learner="tester",
        content=content,
        problems=tmp_path / "no-problems",
    )


@pytest.fixture
def bank(settings: Settings):
    b = settings.open_bank()
    b.build()
    yield b
    b.close()
