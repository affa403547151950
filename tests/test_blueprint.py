"""The exam blueprint: one validator for `bank check`, `bank build` and the exam itself.

A blueprint that passes `bank check` is one the exam can use; a broken one is reported
`path:line` and never reaches the exam setup (which used to crash on it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gquiz.bank.blueprint import BlueprintError, check_blueprint, load_blueprint
from gquiz.bank.build import BuildError
from gquiz.cli import main
from gquiz.config import Settings
from gquiz.syllabus import load_syllabus
from tests.conftest import REPO
from tests.helpers import cli_env

GOOD = (REPO / "content" / "exam-blueprint.md").read_text(encoding="utf-8")
SYLLABUS = load_syllabus(REPO / "content" / "syllabus" / "keywords.tsv")

BROKEN = [
    # (what, text, line, fragment)
    ("no front matter", "# 配分\n", 1, "フロントマター"),
    (
        "unclosed",
        GOOD.replace("generated_share: 0.15\n---", "generated_share: 0.15\n"),
        1,
        "閉じる ---",
    ),
    ("yaml typo", GOOD.replace("  S3: 12", "  S3: [12"), 7, "YAML が読めません"),
    ("text weight", GOOD.replace("  S5: 15", "  S5: 十五"), 8, "S5 の配分は数値"),
    (
        "negative weight",
        GOOD.replace("  S1: 4", "  S1: -4").replace("  S2: 8", "  S2: 16"),
        4,
        "0 以上",
    ),
    ("unknown major", GOOD.replace("  S10: 12", "  S10: 6\n  S11: 6"), 14, "不明な大項目: S11"),
    ("sum not 100", GOOD.replace("  S9: 10", "  S9: 11"), 3, "合計が 100 ではありません (101)"),
    ("no weights", "---\ngenerated_share: 0.1\n---\n", 1, "weights に"),
    ("weights a list", "---\nweights: [1, 2]\n---\n", 2, "weights に"),
    ("share too big", GOOD.replace("generated_share: 0.15", "generated_share: 15"), 15, "0〜1"),
    ("share text", GOOD.replace("generated_share: 0.15", "generated_share: yes"), 15, "0〜1"),
    (
        "unknown key",
        GOOD.replace("generated_share: 0.15", "generated_share: 0.15\nminutes: 90"),
        16,
        "不明なキー: minutes",
    ),
    ("front matter a list", "---\n- 1\n---\n", 1, "key: value"),
]


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "exam-blueprint.md"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_shipped_blueprint_is_valid() -> None:
    bp, errors = check_blueprint(REPO / "content" / "exam-blueprint.md", SYLLABUS)
    assert errors == []
    assert bp is not None
    assert sum(bp.weights.values()) == 100
    assert sum(bp.quotas(145).values()) == 145


@pytest.mark.parametrize(("what", "text", "line", "fragment"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_blueprint_is_path_line(
    tmp_path: Path, what: str, text: str, line: int, fragment: str
) -> None:
    path = _write(tmp_path, text)
    bp, errors = check_blueprint(path, SYLLABUS)
    assert bp is None
    assert errors, what
    assert any(e.line == line and fragment in e.message for e in errors), [str(e) for e in errors]
    assert all(str(e).startswith(f"{path}:") for e in errors)
    with pytest.raises(BlueprintError) as info:
        load_blueprint(tmp_path, SYLLABUS)
    assert fragment in str(info.value)


def test_not_utf8_and_oversized(tmp_path: Path) -> None:
    _, errors = check_blueprint(_write(tmp_path, b"---\nweights:\n  S1: \xff\n---\n"), SYLLABUS)
    assert [e.message for e in errors] == ["UTF-8 ではありません"]
    _, errors = check_blueprint(_write(tmp_path, "#" * 300_000), SYLLABUS)
    assert "大きすぎます" in errors[0].message


def test_folder_without_a_blueprint_uses_the_shipped_one(tmp_path: Path) -> None:
    assert load_blueprint(tmp_path, SYLLABUS).weights["S6"] == 17


def test_bank_check_and_build_refuse_a_broken_blueprint(study_settings: Settings) -> None:
    path = study_settings.content / "exam-blueprint.md"
    path.write_text(GOOD.replace("  S5: 15", "  S5: 十五"), encoding="utf-8")
    result = CliRunner().invoke(main, ["bank", "check"], env=cli_env(study_settings))
    assert result.exit_code == 1
    assert "exam-blueprint.md:8: S5 の配分は数値で書いてください" in result.output
    bank = study_settings.open_bank()
    try:
        with pytest.raises(BuildError) as info:
            bank.build()
        assert any("S5 の配分" in e.message for e in info.value.errors)
    finally:
        bank.close()


def test_bank_check_of_single_files_skips_the_blueprint(study_settings: Settings) -> None:
    (study_settings.content / "exam-blueprint.md").write_text("broken", encoding="utf-8")
    topic = next(study_settings.content.rglob("st-def.md"))
    result = CliRunner().invoke(main, ["bank", "check", str(topic)], env=cli_env(study_settings))
    assert result.exit_code == 0, result.output
