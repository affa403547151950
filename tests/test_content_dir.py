"""A missing or empty content folder (a mistyped GQUIZ_CONTENT) is an error and never
marks the bank's questions inactive: the learner's bank stays as it was."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from gquiz.bank.build import BuildError
from gquiz.bank.models import Question
from gquiz.cli import main
from gquiz.config import Settings
from tests.helpers import cli_env


def _active(settings: Settings) -> int:
    bank = settings.open_bank()
    try:
        with bank.sessions() as s:
            return s.scalar(select(func.count()).select_from(Question).where(Question.active))
    finally:
        bank.close()


@pytest.fixture
def built(settings: Settings) -> Settings:
    bank = settings.open_bank()
    bank.build()
    bank.close()
    assert _active(settings) == 3
    return settings


@pytest.mark.parametrize("kind", ["missing", "empty", "a file", "only a README"])
def test_bad_content_folder_deactivates_nothing(built: Settings, tmp_path: Path, kind: str) -> None:
    target = tmp_path / "nope"
    if kind == "empty":
        target.mkdir()
    elif kind == "a file":
        target.write_text("not a folder", encoding="utf-8")
        target = tmp_path / "nope"
    elif kind == "only a README":
        target.mkdir()
        (target / "README.md").write_text("# docs\n", encoding="utf-8")
    bad = replace(built, content=target)
    if kind != "a file":  # a file is parsed as a topic file and fails on its own
        bank = bad.open_bank()
        try:
            with pytest.raises(BuildError) as info:
                bank.build()
        finally:
            bank.close()
        assert "GQUIZ_CONTENT を確かめてください" in info.value.errors[0].message
    for args in (["bank", "build", "--force"], ["quiz", "--plain"], ["bank", "check"]):
        result = CliRunner().invoke(main, args, env=cli_env(bad), input="1\n")
        assert result.exit_code == 1, (args, result.output)
        assert "Traceback" not in result.output
    assert _active(built) == 3


def test_nope_message_names_the_folder(built: Settings) -> None:
    result = CliRunner().invoke(
        main, ["bank", "build"], env={**cli_env(built), "GQUIZ_CONTENT": "/nope"}
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("/nope")
    assert "コンテンツのフォルダがありません" in result.stderr
    assert _active(built) == 3
