"""Registry validation, JSON conversion and renderer coverage for every solver."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gquiz.engine.core import EngineError, Solution, Step, to_jsonable
from gquiz.engine.registry import get_solver, list_solvers, run
from gquiz.render import render_answer, render_step, render_steps
from gquiz.render.fmt import fmt, fmt_num

from .examples import EXAMPLES


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_step_kind_has_a_japanese_renderer(name):
    from gquiz.render import _renderers

    sol = run(name, EXAMPLES[name])
    kinds = {s.kind for s in sol.steps}
    missing = kinds - set(_renderers())
    assert not missing, f"{name}: no renderer for {missing}"
    for line in render_steps(sol):
        assert isinstance(line, str)
    assert render_answer(sol.answer)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_to_json_is_plain_json(name):
    data = run(name, EXAMPLES[name]).to_json()
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text) == data


def test_every_parameter_is_documented_and_summary_is_japanese():
    for spec in list_solvers():
        assert spec.summary_ja
        for p in spec.parameters:
            assert p["doc"], (spec.name, p["name"])


def test_unknown_missing_and_bad_types():
    with pytest.raises(EngineError, match="未知のパラメータ 'foo'"):
        run("iou", {"box_a": [0, 0, 1, 1], "box_b": [0, 0, 1, 1], "foo": 1})
    with pytest.raises(EngineError, match="必須のパラメータ 'box_b'"):
        run("iou", {"box_a": [0, 0, 1, 1]})
    with pytest.raises(EngineError, match="ソルバー 'nope'"):
        get_solver("nope")
    with pytest.raises(EngineError, match="JSON オブジェクト"):
        run("iou", [1, 2])  # type: ignore[arg-type]


def test_to_jsonable_converts_numpy():
    sol = Solution(
        {"a": np.arange(3), "b": np.float32(0.5), "c": np.int64(2), "d": (1, np.nan)},
        (Step("x", {"m": np.eye(2), "flag": np.bool_(True)}),),
    )
    assert sol.to_json() == {
        "answer": {"a": [0, 1, 2], "b": 0.5, "c": 2, "d": [1, None]},
        "steps": [{"kind": "x", "args": {"m": [[1.0, 0.0], [0.0, 1.0]], "flag": True}}],
    }
    assert to_jsonable([np.int8(3)]) == [3]
    assert type(to_jsonable(np.int8(3))) is int


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3, "3"),
        (3.0, "3"),
        (-2.0, "-2"),
        (0.5, "0.5"),
        (1 / 3, "0.3333"),
        (2 / 3, "0.6667"),
        (123.456, "123.456"),
        (123.45678, "123.5"),
        (0.000123456, "0.000123456"),
        (0.00012345678, "0.0001235"),
        (1 / 64, "0.015625"),
        (1e-7, "1e-07"),
        (np.float64(2.5), "2.5"),
        (np.int64(7), "7"),
        (True, "true"),
        (float("nan"), "NaN"),
        (0.1 + 0.2, "0.3"),
    ],
)
def test_fmt_num(value, text):
    assert fmt_num(value) == text


def test_fmt_arrays_and_unknown_kind_fallback():
    assert fmt(np.array([[1.0, 2.5], [3, 4]])) == "[  1 2.5]\n[  3   4]"
    assert fmt(None) == "未定義"
    assert render_step(Step("no_such_kind", {"a": 1})) == "no_such_kind: a=1"


def test_doctests_in_engine_modules():
    import doctest
    import importlib
    import pkgutil

    import gquiz.engine as pkg

    failures = 0
    for info in pkgutil.iter_modules(pkg.__path__):
        mod = importlib.import_module(f"gquiz.engine.{info.name}")
        res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        failures += res.failed
    failures += doctest.testmod(importlib.import_module("gquiz.render.fmt")).failed
    assert failures == 0
