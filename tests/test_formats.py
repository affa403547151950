"""The exam presets are named once (gquiz.study.formats) and read by the CLI, the TUI and stats."""

from __future__ import annotations

from click.testing import CliRunner

from gquiz.cli import main
from gquiz.study.formats import PACE, REAL, ExamFormat
from tests.helpers import modules_after


def test_the_presets() -> None:
    assert (REAL.questions, REAL.minutes) == (145, 100)
    assert (PACE.questions, PACE.minutes) == (20, 14)
    assert round(REAL.budget_s) == 41
    assert PACE.key == "20:14"
    assert ExamFormat(0, 10).budget_s == 0.0


def test_the_cli_defaults_come_from_the_presets() -> None:
    out = CliRunner().invoke(main, ["exam", "--help"]).output
    assert f"default: {REAL.questions}" in out
    assert f"default: {REAL.minutes}" in out
    assert f"{PACE.questions} questions in {PACE.minutes} minutes" in out
    export = CliRunner().invoke(main, ["exam", "export", "--help"]).output
    assert f"default: {REAL.questions}" in export


def test_the_presets_module_is_standard_library_only() -> None:
    loaded = modules_after("import gquiz.study.formats")
    assert not {"sqlalchemy", "numpy", "textual"} & loaded
