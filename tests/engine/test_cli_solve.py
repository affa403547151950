"""`gquiz solve` through click's CliRunner: examples, --json, --list and bad parameters."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from gquiz.engine.registry import list_solvers
from gquiz.solve_cmd import solve

from .examples import EXAMPLES


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_every_solver_has_an_example():
    assert {s.name for s in list_solvers()} == set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_text_output(runner, name):
    res = runner.invoke(solve, [name, "--params", json.dumps(EXAMPLES[name], ensure_ascii=False)])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("答え")
    assert "途中式:" in res.stdout
    assert res.stderr == ""


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_json_output(runner, name):
    res = runner.invoke(solve, [name, "--json", "--params", json.dumps(EXAMPLES[name])])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data) == {"answer", "steps"}
    assert data["steps"]
    assert all(set(s) == {"kind", "args"} and isinstance(s["kind"], str) for s in data["steps"])


def test_known_answers(runner):
    def answer(name, params):
        res = runner.invoke(solve, [name, "--json", "--params", json.dumps(params)])
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)["answer"]

    assert answer("conv_output_size", EXAMPLES["conv_output_size"]) == 14
    assert answer("shapley", EXAMPLES["shapley"]) == {"A": 30.0, "B": 40.0, "C": 50.0}
    assert answer("quantize", EXAMPLES["quantize"]) == [0, 2, 2, 0]
    assert (
        answer("metrics", {"tp": 0, "fp": 0, "fn": 3, "tn": 2})["precision"] == 0
    )  # zero_division=0
    assert answer("metrics", {"tp": 0, "fp": 15, "fn": 13, "tn": 0})["f1"] == 0
    assert answer("nms", EXAMPLES["nms"]) == [0, 2]
    assert answer("ctc_collapse", EXAMPLES["ctc_collapse"]) == "hello"


def test_conv_text_line(runner):
    res = runner.invoke(
        solve,
        [
            "conv2d",
            "--params",
            '{"input": [[1,1,1,0],[0,1,1,1],[0,0,1,1]], "kernel": [[1,0],[0,1]]}',
        ],
    )
    assert "  出力[0,1] = 1×1 + 1×0 + 1×0 + 1×1 + (バイアス 0) = 2" in res.stdout.splitlines()


def test_full_width_digits_are_normalised(runner):
    res = runner.invoke(
        solve,
        [
            "conv_output_size",
            "--json",
            "--params",
            '｛"in_size": ３２, "kernel_size": ５, "padding": ２｝',
        ],
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["answer"] == 32


def test_list(runner):
    res = runner.invoke(solve, ["--list"])
    assert res.exit_code == 0
    assert "conv2d: 2次元畳み込み" in res.stdout
    assert "    stride (既定 1): ストライド" in res.stdout
    assert "    players (必須):" in res.stdout


BAD = [
    ("conv2d", '{"input": [[1,2],[3,4]], "kernel": [[1,2],[3]]}', "kernel"),
    ("conv2d", '{"input": [[1,2],[3,4]], "kernel": [[1]], "stride": -1}', "stride"),
    (
        "conv2d",
        '{"input": [[1,2],[3,4]], "kernel": [[1,1,1],[1,1,1],[1,1,1]]}',
        "カーネル kernel (3×3) がパディング後の入力 input (2×2) より大きい",
    ),
    (
        "conv2d",
        '{"input": [[[1,2],[3,4]]], "kernel": [[[[1]]], [[[1]]]], "bias": [1, 2, 3]}',
        "bias",
    ),
    ("conv2d", '{"input": [[1,2],[3,4]], "kernel": [[1]], "padding": "a"}', "padding"),
    ("conv2d", '{"input": [[1,2],[3,4]]}', "'kernel'"),
    ("conv2d", '{"input": [[1]], "kernel": [[1]], "strides": 2}', "'strides'"),
    ("conv2d", '{"input": [[1,2],[3,4]], "kernel": ', "JSON"),
    ("conv2d", "[1, 2]", "JSON オブジェクト"),
    ("shapley", '{"players": ["A","B"], "values": {"": 0, "A": 1, "B": 2}}', '"A,B"'),
    ("quantize", '{"values": [1.0], "scale": "x", "zero_point": 0}', "scale"),
    ("quantize", '{"values": [1.0], "scale": 1, "zero_point": 0, "rounding": "up"}', "rounding"),
    ("pool", '{"input": [[1,2],[3,4]], "size": 3}', "size"),
    ("attention", '{"q": [[1,0]], "k": [[1,0,0]], "v": [[1]]}', "k"),
    ("no_such_solver", "{}", "no_such_solver"),
    ("metrics", '{"tp": 1.5, "fp": 0, "fn": 0, "tn": 0}', "tp"),
    ("iou", '{"box_a": [0,0,1], "box_b": [0,0,1,1]}', "box_a"),
    ("backprop", '{"nodes": [{"name": "x", "op": "input", "value": NaN}]}', "value"),
]


@pytest.mark.parametrize(("name", "params", "needle"), BAD)
def test_bad_parameters_exit_2_with_one_line(runner, name, params, needle):
    res = runner.invoke(solve, [name, "--params", params])
    assert res.exit_code == 2, res.output
    assert res.stdout == ""
    lines = res.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("エラー: ")
    assert needle in lines[0]
    assert "Traceback" not in res.stderr


def test_missing_name_exits_2(runner):
    res = runner.invoke(solve, [])
    assert res.exit_code == 2
    assert len(res.stderr.splitlines()) == 1
