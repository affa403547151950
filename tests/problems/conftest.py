"""Fixtures for the 計算ドリル tests: the real problems/ folder, a bank that knows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from gquiz.config import Settings
from gquiz.problems import Family, load_families

REPO = Path(__file__).resolve().parents[2]
PROBLEMS = REPO / "problems"


@pytest.fixture(scope="session")
def families() -> dict[str, Family]:
    return load_families(PROBLEMS)


@pytest.fixture
def drill_settings(tmp_path: Path, fixture_content: Path) -> Settings:
    """The small fixture content with the real problem families."""
    return Settings(
        db_url=f"sqlite:///{tmp_path / 'drill.sqlite3'}",
        learner="tester",
        content=fixture_content,
        problems=PROBLEMS,
    )


@pytest.fixture
def drill_bank(drill_settings: Settings):
    b = drill_settings.open_bank()
    b.build()
    yield b
    b.close()
