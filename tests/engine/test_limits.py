"""Hostile `gquiz solve` parameters are refused with one line before anything is computed.

Each case would otherwise allocate hundreds of megabytes or more (roi_align with output_size
1000 grew past 4 GB), build a 160 MB answer, or end in a RecursionError traceback. The
subprocess cases run under an address-space limit, so a regression fails instead of
swapping the machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from gquiz.engine.core import MAX_ELEMENTS, EngineError
from gquiz.engine.registry import MAX_INPUT_DEPTH, MAX_INPUT_VALUES, run
from gquiz.solve_cmd import MAX_JSON_DEPTH, solve

FM = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]

HOSTILE = [
    ("roi_align", {"feature_map": FM, "roi": [0, 0, 2, 2], "output_size": 1000}, "output_size"),
    (
        "roi_align",
        {"feature_map": FM, "roi": [0, 0, 2, 2], "output_size": 4, "sampling_ratio": 10**6},
        "標本点",
    ),
    (
        "roi_align",
        {"feature_map": FM, "roi": [0, 0, 1e12, 1e12], "output_size": 2, "sampling_ratio": 0},
        "標本点",
    ),
    (
        "roi_pool",
        {"feature_map": FM, "roi": [0, 0, 2, 2], "output_size": [5000, 5000]},
        "output_size",
    ),
    ("conv2d", {"input": FM, "kernel": [[1.0]], "padding": 2000}, "パディング後の入力"),
    (
        "depthwise_conv2d",
        {"input": [FM], "kernel": [[[1.0]]], "padding": [10**6, 1]},
        "パディング後の入力",
    ),
    ("conv2d", {"input": [[0.0] * 200] * 200, "kernel": [[0.0] * 150] * 150}, "積和の回数"),
    ("pool", {"input": [[0.0] * 300] * 300, "size": 150, "stride": 1}, "比較の回数"),
    ("attention", {"q": [[0.0]] * 15000, "k": [[0.0]] * 15000, "v": [[0.0]] * 15000}, "スコア行列"),
    ("nms", {"boxes": [[0, 0, 1, 1]] * 2000, "scores": [0.5] * 2000, "threshold": 0.5}, "矩形の組"),
    ("confusion_matrix", {"y_true": list(range(30000)), "y_pred": list(range(30000))}, "混同行列"),
    ("softmax", {"logits": [0.0] * (MAX_INPUT_VALUES + 1)}, "値が多すぎる"),
]


@pytest.mark.parametrize(("name", "params", "fragment"), HOSTILE, ids=lambda v: str(v)[:24])
def test_refused_before_computing(name: str, params: dict, fragment: str) -> None:
    with pytest.raises(EngineError, match=fragment):
        run(name, params)


def test_limits_leave_room_for_real_problems() -> None:
    side = int(MAX_ELEMENTS**0.5) - 4
    big = [[1.0] * side for _ in range(side)]
    assert run("conv2d", {"input": big, "kernel": [[1.0]], "padding": 2}).answer.shape == (
        side + 4,
        side + 4,
    )
    out = run("roi_align", {"feature_map": FM, "roi": [0, 0, 2, 2], "output_size": 7})
    assert out.answer.shape == (7, 7)


def test_deep_python_params_are_refused_without_recursion_error() -> None:
    deep: list = [1.0]
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(EngineError, match="入れ子が深すぎる"):
        run("softmax", {"logits": deep})
    ok: list = [[1.0, 2.0]]
    for _ in range(MAX_INPUT_DEPTH - 3):
        ok = [ok]
    with pytest.raises(EngineError, match="次元"):  # deep enough to reach the solver's own check
        run("softmax", {"logits": ok})


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ('{"input": ' + "[" * 1100 + "1" + "]" * 1100 + "}", "入れ子が深すぎる"),
        ('{"x": "' + "[" * 1100 + '"}', "input"),  # brackets inside a string do not nest
        ('{"input": [' + "7" * 5000 + "]}", "桁数が多すぎる"),
        ('{"input": [' + "1," * 1_000_000 + "1]}", "長すぎる"),
    ],
    ids=["deep", "brackets-in-string", "5000-digits", "4MB"],
)
def test_cli_refuses_with_one_line(params: str, fragment: str) -> None:
    res = CliRunner().invoke(solve, ["conv2d", "--params", params])
    assert res.exit_code == 2
    assert res.stdout == ""
    assert fragment in res.stderr
    assert res.stderr.count("\n") == 1
    assert "Traceback" not in res.stderr


def test_json_depth_limit_is_what_the_message_says() -> None:
    at_limit = "[" * (MAX_JSON_DEPTH - 1) + "1" + "]" * (MAX_JSON_DEPTH - 1)
    res = CliRunner().invoke(solve, ["softmax", "--params", '{"logits": ' + at_limit + "}"])
    assert "入れ子が深すぎる" not in res.stderr


def _solve_limited(name: str, params: dict) -> subprocess.CompletedProcess[str]:
    """Run `gquiz solve` in a child limited to 1 GB of address space and 60 s."""
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from gquiz.cli import main\n"
        "sys.exit(main())\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, "solve", name, "--params", json.dumps(params)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "GQUIZ_DATA_DIR": os.devnull + "-unused"},
    )


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is Linux-only")
@pytest.mark.parametrize("case", [0, 4], ids=["roi_align-1000", "conv2d-padding-2000"])
def test_issue_cases_stay_small(case: int) -> None:
    name, params, fragment = HOSTILE[case]
    res = _solve_limited(name, params)
    assert res.returncode == 2, res.stderr[-500:]
    assert fragment in res.stderr
    assert "Traceback" not in res.stderr
