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
    assert f"{PACE.questions} 問を {PACE.minutes} 分で" in out
    export = CliRunner().invoke(main, ["exam", "export", "--help"]).output
    assert f"default: {REAL.questions}" in export


def test_the_presets_module_is_standard_library_only() -> None:
    loaded = modules_after("import gquiz.study.formats")
    assert not {"sqlalchemy", "numpy", "textual"} & loaded


def test_exam_export_offers_exactly_the_formats_the_export_module_renders(study_settings) -> None:  # type: ignore[no-untyped-def]
    # One list: a format added to (or dropped from) the export module must reach the CLI without
    # a second edit, so the option's choices are that very tuple, and each one renders.
    from gquiz.cli import exam_export
    from gquiz.study import export
    from tests.helpers import cli_env

    (fmt_option,) = [p for p in exam_export.params if p.name == "fmt"]
    assert fmt_option.type.choices is export.FORMATS  # type: ignore[attr-defined]
    runner = CliRunner()
    args = ["exam", "export", "--questions", "3", "--out", "-", "--format"]
    for fmt in export.FORMATS:
        result = runner.invoke(main, [*args, fmt], env=cli_env(study_settings))
        assert result.exit_code == 0, result.output
    wrong = runner.invoke(main, [*args, "pdf"], env=cli_env(study_settings))
    assert wrong.exit_code == 2
    assert all(repr(fmt) in wrong.output or fmt in wrong.output for fmt in export.FORMATS)
