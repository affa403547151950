"""problems/family.schema.json: the shape of a family file for an author's editor.

Every shipped family satisfies it, a structurally broken one does not, and its lists of keys
and names follow the validator's (so the schema cannot drift from what `bank check` reads).
"""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from gquiz.problems.generators import HELPERS, KINDS
from gquiz.problems.spec import _DISTRACTOR_KEYS, _LEVEL_KEYS, _TOP_KEYS, ANSWER_KINDS

from .conftest import PROBLEMS
from .test_family_messages import CASES

SCHEMA = json.loads((PROBLEMS / "family.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def as_json(text: str) -> object:
    """A YAML document as an editor's YAML language server sees it (keys become strings)."""
    return json.loads(json.dumps(yaml.safe_load(text)))


def schema_errors(text: str) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in VALIDATOR.iter_errors(as_json(text))
    ]


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", sorted(PROBLEMS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_family_satisfies_the_schema(path) -> None:
    assert schema_errors(path.read_text(encoding="utf-8")) == []


def test_the_valid_example_satisfies_it() -> None:
    assert schema_errors(CASES["ok"]) == []
    assert schema_errors(CASES["note-level"]) == []


# Broken files whose mistake is one of shape (a key, a type, a pattern): the schema catches
# them in the editor. The others (an expression that does not parse, an unknown solver or
# section, a float without precision) need the validator: `gquiz bank check`.
SHAPE_MISTAKES = {
    "not-a-mapping": "is not of type 'object'",
    "unknown-and-retired-keys": "'tolerance' were unexpected",
    "missing-keys": "'title' is a required property",
    "bad-id": "id: 'Bad_ID' does not match",
    "bad-section": "section: '6.1' does not match",
    "empty-title": "title: ",
    "params-not-mapping": "params: [1, 2] is not of type 'object'",
    "params-kinds": "params: '1x' does not match",
    "where-not-list": "where: 's < a' is not of type 'array'",
    "distractors-not-list": "distractors: {'a': 1} is not of type 'array'",
    "distractor-items": "distractors/2: 'just text' is not of type 'object'",
    "levels-not-mapping": "levels: [1, 2, 3] is not of type 'object'",
    "levels-empty": "levels: '1' is a required property",
    "level-keys": "('4', 'x' were unexpected)",
    "level-not-mapping-and-null": "levels/3: [1] is not of type 'object', 'null'",
    "level-unknown-and-retired": "levels/1: Additional properties are not allowed",
    "kind-bad-top": "kind: 'text' is not one of",
    "kind-bad-level": "levels/2/kind: 'words' is not one of",
    "precision-bad": "precision: {'decimals': -1} is not valid",
    "precision-bad-level": "levels/2/precision: 'loose' is not valid",
    "solver-dotted-top": "solver: 'os:system' does not match",
    "solver-level": "levels/2/solver: 'subprocess.run' does not match",
    "solver-not-text": "solver: 3 is not of type 'string'",
    "args-not-mapping": "args: ['a', 's'] is not of type 'object'",
    "statement-empty": "statement: '' should be non-empty",
    "statement-empty-level": "levels/1/statement: ' ' does not match",
    "final-not-text": "final: [1] is not of type 'string'",
    "level-params-not-mapping": "levels/1/params: ['a'] is not of type 'object'",
    "missing-level-3": "levels: '3' is a required property",
    "options-keywords-topic": "topic: 'Not_A_Slug' does not match",
    "topic-not-text": "topic: 3 is not of type 'string'",
}


@pytest.mark.parametrize("name", sorted(SHAPE_MISTAKES))
def test_a_broken_family_does_not_satisfy_it(name: str) -> None:
    errors = schema_errors(CASES[name])
    assert any(SHAPE_MISTAKES[name] in e for e in errors), errors


@pytest.mark.parametrize(
    ("item", "fragment"),
    [
        ({"id": "a", "label": "x"}, "is not valid under any of the given schemas"),
        ({"id": "a", "label": "x", "value": "1", "mistake": "m"}, "should not be valid"),
        ({"id": "a", "label": "x", "value": "1", "colour": 1}, "'colour' was unexpected"),
        ({"id": "a", "value": "1"}, "'label' is a required property"),
    ],
)
def test_a_broken_distractor_does_not_satisfy_it(item: dict, fragment: str) -> None:
    doc = as_json(CASES["ok"])
    doc["distractors"] = [item]  # type: ignore[index]
    errors = [e.message for e in VALIDATOR.iter_errors(doc)]
    assert any(fragment in e for e in errors), errors


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ({"int": [1, 2], "choice": [1]}, "is not valid under any of the given schemas"),
        ({"float": [0, 1]}, "is not valid under any of the given schemas"),
        ({"gen": "no_such_helper"}, "is not valid under any of the given schemas"),
        ({"int": [1, 2], "stpe": 2}, "is not valid under any of the given schemas"),
    ],
)
def test_a_broken_draw_does_not_satisfy_it(rule: dict, fragment: str) -> None:
    doc = as_json(CASES["ok"])
    doc["params"] = {"x": rule}  # type: ignore[index]
    errors = [e.message for e in VALIDATOR.iter_errors(doc)]
    assert any(fragment in e for e in errors), errors


def test_the_schema_lists_what_the_validator_reads() -> None:
    defs = SCHEMA["$defs"]
    assert set(SCHEMA["properties"]) == _TOP_KEYS
    assert set(defs["level"]["properties"]) == _LEVEL_KEYS
    assert set(defs["distractor"]["properties"]) == _DISTRACTOR_KEYS
    assert defs["kind"]["enum"] == list(ANSWER_KINDS)
    draws = [next(iter(rule["properties"])) for rule in defs["draw"]["oneOf"]]
    assert draws == list(KINDS)
    (gen,) = (r for r in defs["draw"]["oneOf"] if "gen" in r["properties"])
    assert gen["properties"]["gen"]["enum"] == sorted(HELPERS)
    assert set(SCHEMA["required"]) == {
        "id",
        "section",
        "title",
        "solver",
        "kind",
        "statement",
        "levels",
    }
