"""One number rule and one percent rule (gquiz.text.numbers), used by every screen and the CLI."""

from __future__ import annotations

import doctest
import importlib
from fractions import Fraction

import numpy as np
import pytest

import gquiz.text.numbers as numbers
from gquiz.text.numbers import fmt_num, pct, pct_done, pct_range, pct_value, percent
from tests.helpers import modules_after


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [
        (6 / 9, "67%"),  # home used to floor this to 66 %
        (2 / 3, "67%"),
        (1 / 8, "13%"),  # half up, not half to even (Python's :.0% gives 12 %)
        (0.285, "29%"),  # the decimal it prints as, not its binary value (28.4999...)
        (0.005, "1%"),
        (0.0, "0%"),
        (1.0, "100%"),
        (0.999, "100%"),
    ],
)
def test_a_percent_rounds_half_up_on_the_printed_decimal(fraction: float, shown: str) -> None:
    assert pct(fraction) == shown


def test_percent_edges_and_decimals() -> None:
    assert pct(None) == "-"
    assert percent(0, 0) == "-"
    assert percent(6, 9) == "67%"
    assert percent(1, 3) == "33%"
    assert pct(0.12345, 1) == "12.3%"
    assert pct(0.12355, 1) == "12.4%"
    assert pct(0.5, 1) == "50.0%"  # fixed decimals keep table columns aligned
    assert pct(-0.001) == "0%"  # never "-0%"
    assert pct_range(0.455, 0.8) == "46〜80%"
    assert str(pct_value(6 / 9)) == "67"


def test_progress_is_floored_so_it_never_reads_done_early() -> None:
    assert pct_done(199, 200) == "99%"
    assert pct_done(200, 200) == "100%"
    assert pct_done(0, 0) == "0%"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (3, "3"),
        (3.0, "3"),
        (-0.0, "0"),
        (1 / 3, "0.3333"),
        (1 / 64, "0.015625"),
        (float("nan"), "NaN"),
        (float("-inf"), "-inf"),
        (True, "true"),
        (np.int64(7), "7"),
        (np.float32(0.5), "0.5"),
        (np.bool_(False), "false"),
        (1e20, "1e+20"),
    ],
)
def test_one_number_rule(value: object, shown: str) -> None:
    assert fmt_num(value) == shown


def test_number_with_fixed_decimals() -> None:
    assert fmt_num(2.5, digits=2) == "2.5"
    assert fmt_num(-0.001, digits=2) == "0"
    assert fmt_num(7, digits=2) == "7"
    assert fmt_num(Fraction(1, 4)) == "0.25"


def test_the_examples_in_the_docstrings_hold() -> None:
    failed, tried = doctest.testmod(numbers)
    assert tried > 0
    assert failed == 0


def test_every_formatter_is_the_shared_one() -> None:
    """Screens, plain mode, the stats report, the renderers and problem statements do not
    carry their own rounding: they call these functions."""
    from gquiz import plain
    from gquiz.problems import display
    from gquiz.study import stats_report
    from gquiz.tui import format as tui_format
    from gquiz.tui.screens import exam, home, results, stats

    assert home.pct is stats.pct is exam.pct is stats_report.pct is pct
    assert home.percent is results.percent is exam.percent is plain.percent is percent
    assert home.pct_range is stats.pct_range is stats_report.pct_range is pct_range
    assert tui_format.pct is pct
    # gquiz.render re-exports a function named fmt, which hides the module of that name.
    render_fmt = importlib.import_module("gquiz.render.fmt")
    assert render_fmt.fmt_num is display.fmt_num is fmt_num


def test_plain_mode_shows_six_of_nine_as_67() -> None:
    from gquiz.plain import _summary

    lines: list[str] = []
    _summary(9, 6, lines.append)
    assert lines == ["結果: 6/9 問正解 (67%)"]


def test_readiness_label_uses_the_same_percent_and_range() -> None:
    from gquiz.study.readiness import Readiness

    r = Readiness(n=9, expected=6.0, low=4, high=8, per_major={})
    assert r.label() == "予想得点 67% (90% の範囲 44〜89%)"


def test_importing_the_formatters_is_light() -> None:
    loaded = modules_after("import gquiz.text.numbers")
    assert not {"numpy", "textual", "sqlalchemy"} & loaded
