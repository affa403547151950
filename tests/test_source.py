"""One reader for what authors write (gquiz.text.source) and one error type for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from gquiz.bank.blueprint import BlueprintError
from gquiz.bank.build import BuildError
from gquiz.bank.content import ContentError
from gquiz.problems.spec import FamilyError, FamilyFileError, read_family_file
from gquiz.text.errors import InvalidSources, SourceError
from gquiz.text.source import (
    MAX_YAML_DEPTH,
    LineDict,
    YamlError,
    line_of,
    load_front_matter,
    load_yaml,
    split_front_matter,
)
from tests.helpers import modules_after


def test_one_error_type_for_every_author_file() -> None:
    assert ContentError is FamilyFileError is SourceError
    assert BlueprintError is FamilyError is InvalidSources
    assert issubclass(BuildError, InvalidSources)
    errors = [SourceError("a.md", 3, "だめ"), SourceError("b.yaml", 0, "読めません")]
    assert [str(e) for e in errors] == ["a.md:3: だめ", "b.yaml: 読めません"]
    raised = InvalidSources(errors)
    assert str(raised) == "a.md:3: だめ\nb.yaml: 読めません"
    assert raised.errors == errors


def test_front_matter_is_found_by_the_topic_parsers_rule() -> None:
    front = split_front_matter("---\nsection: S1.1\ntopic: x\n---\n# 本文\n")
    assert front is not None
    assert (front.text, front.line, front.end) == ("section: S1.1\ntopic: x", 1, 4)
    assert split_front_matter("# 本文\n---\na: 1\n---\n") is None
    assert split_front_matter("---\na: 1\n") is None  # never closed


def test_yaml_errors_name_the_file_line() -> None:
    front = split_front_matter("---\nsection: S1.1\ntopic: [x\ntitle: t\n---\n")
    assert front is not None
    with pytest.raises(YamlError) as info:
        load_front_matter(front, 1000)
    assert info.value.line == 4
    assert info.value.message.startswith("フロントマターの YAML が読めません: ")
    with pytest.raises(YamlError) as info:
        load_yaml("id: a\nlevels:\n  1: {a: [1\n", 1)
    assert info.value.message.startswith("YAML が読めません: ")
    assert info.value.line == 4


def test_a_line_tracking_read_gives_file_lines() -> None:
    data = load_yaml("weights:\n  S1: 4\n  S2: 8\nshare: 1\n", 2, lines=True)
    assert isinstance(data, LineDict)
    assert line_of(data, "weights") == 2
    assert line_of(data["weights"], "S2") == 4
    assert line_of(data, "share") == 5
    assert line_of([1, 2]) == 1


def test_limits_and_shape_of_front_matter() -> None:
    front = split_front_matter("---\n" + "a: " + "x" * 50 + "\n---\n")
    assert front is not None
    with pytest.raises(YamlError, match="長すぎます"):
        load_front_matter(front, 20)
    listed = split_front_matter("---\n- 1\n---\n")
    assert listed is not None
    with pytest.raises(YamlError, match="key: value") as info:
        load_front_matter(listed, 1000)
    assert info.value.line == 1


def test_hostile_nesting_is_refused_in_every_kind_of_file(tmp_path: Path) -> None:
    deep = "[" * (MAX_YAML_DEPTH + 1) + "]" * (MAX_YAML_DEPTH + 1)
    front = split_front_matter(f"\n---\na: {deep}\n---\n".lstrip("\n"))
    assert front is not None
    with pytest.raises(YamlError, match="フロントマターの入れ子が深すぎます") as info:
        load_front_matter(front, 10_000)
    assert info.value.line == 1
    family = tmp_path / "deep.yaml"
    family.write_text(f"id: deep\nparams: {'[' * 5000}\n", encoding="utf-8")
    fam, errors = read_family_file(family)
    assert fam is None
    assert [str(e) for e in errors] == [f"{family}:1: YAML の入れ子が深すぎます (上限 8 段)"]


def test_reading_a_file_does_not_load_its_parsers_at_import() -> None:
    loaded = modules_after("import gquiz.text.source, gquiz.text.errors")
    assert not {"yaml", "markdown_it", "numpy", "sqlalchemy"} & loaded
