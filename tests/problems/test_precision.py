"""The stated precision rule and the hostile-input limits of the drill answer parser.

Regression tests for the cases of issue 13 (a wrong 「正解」) and issue 17 (input that crashed or
hung the drill).
"""

from __future__ import annotations

import time
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gquiz.problems import AnswerError, check_answer, generate, load_families
from gquiz.problems.answers import MAX_INPUT, compare, parse_exact
from gquiz.problems.precision import Precision, PrecisionSpecError, parse_precision

from .conftest import PROBLEMS

DEC3 = Precision("decimals", 3)
DEC2 = Precision("decimals", 2)
SIG3 = Precision("significant", 3)
EXACT = Precision("exact")
INT = Precision()


def ok(kind: str, expected, text: str, prec: Precision | None = None, **kw) -> bool:
    return compare(kind, expected, text, prec, **kw).correct


# -- the rule -------------------------------------------------------------------------


def test_decimals_accept_the_rounded_value_and_the_exact_value_only() -> None:
    t = 0.123456
    assert ok("float", t, "0.123", DEC3)
    assert ok("float", t, "0.1230", DEC3)
    assert ok("float", t, "0.12346", DEC3)  # longer, rounds to 0.123, within half a unit
    assert not ok("float", t, "0.124", DEC3)  # one unit of the last stated digit off
    assert not ok("float", t, "0.122", DEC3)
    assert not ok("float", t, "0.12", DEC3)
    assert ok("float", 1 / 3, "1/3", DEC3)  # the exact value as a fraction
    assert ok("float", 1 / 3, "0.333", DEC3)
    assert not ok("float", 1 / 3, "0.334", DEC3)


def test_shikisha_gonyu_is_ties_away_from_zero_even_through_float_noise() -> None:
    # 0.1235 is stored as 0.12349999999999999...; the rule rounds the meant value.
    assert DEC3.text(0.1235) == "0.124"
    assert DEC3.text(-0.1235) == "-0.124"
    assert ok("float", 0.1235, "0.124", DEC3)
    assert not ok("float", 0.1235, "0.123", DEC3)  # half a unit away, but not the rule's value
    even = Precision("decimals", 3, "half-even")
    assert even.text(0.1235) == "0.124"
    assert even.text(0.1245) == "0.124"
    assert "偶数丸め" in even.rule_ja()
    assert DEC3.rule_ja() == "小数第3位まで（第4位を四捨五入）"


def test_significant_figures() -> None:
    assert SIG3.text(12345.0) == "12300"
    assert SIG3.text(0.0012345) == "0.00123"
    assert SIG3.text(9.996) == "10.0"
    assert ok("float", 12345.0, "12300", SIG3)
    assert ok("float", 12345.0, "1.23e4", SIG3)
    assert not ok("float", 12345.0, "12400", SIG3)
    assert SIG3.rule_ja().startswith("有効数字3桁")


def test_exact_rule_shows_a_fraction_and_accepts_only_the_value() -> None:
    assert EXACT.text(1 / 3) == "1/3"
    assert EXACT.text(2.0) == "2"
    assert ok("float", 1 / 3, "2/6", EXACT)
    assert not ok("float", 1 / 3, "0.333", EXACT)


def test_integer_answers_are_exact() -> None:
    assert ok("integer", 321126400, "321126400")
    assert ok("integer", 321126400, "321126400.0")
    assert ok("integer", 24, "48/2")
    assert not ok("integer", 321126400, "321126400.3")  # issue 13: passed through a slack
    assert not ok("integer", 321126400, "321126401")


def test_vector_and_matrix_cells_follow_the_rule() -> None:
    assert ok("vector", [0.25, 1.5], "0.25, 1.50", DEC2)
    assert not ok("vector", [0.25, 1.5], "0.26, 1.50", DEC2)
    v = compare("matrix", np.array([[0.254, 1.0], [2.0, 3.0]]), "0.25 1; 2 3.01", DEC2)
    assert not v.correct
    assert v.wrong_cells == ((1, 1),)


def test_percent_only_where_the_rule_allows_it() -> None:
    ratio = Precision("decimals", 3, percent=True)
    assert ok("float", 0.75, "75%", ratio)
    assert ok("float", 0.123, "12.3 %", ratio)
    with pytest.raises(AnswerError, match="%"):
        compare("float", 0.75, "75%", DEC3)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"decimals": 9}, "0〜8"),
        ({"decimals": 2, "significant": 2}, "どちらか 1 つ"),
        ({"decimals": 2, "rounding": "up"}, "half-up"),
        ("tenths", "integer、exact"),
        ({"decimals": 2, "tol": 1}, "不明なキー"),
    ],
)
def test_bad_precision_specs_are_explained(spec, message: str) -> None:
    with pytest.raises(PrecisionSpecError, match=message):
        parse_precision(spec)


# -- spaces separate values -----------------------------------------------------------


@pytest.mark.parametrize("text", ["2 4", "2\u30004", "0.75 4", "1 000"])
def test_a_space_inside_a_number_is_a_format_message_not_a_verdict(text: str) -> None:
    with pytest.raises(AnswerError, match="空白"):
        compare("integer", 24, text)
    with pytest.raises(AnswerError, match="空白"):
        compare("float", 0.75, text, DEC2)


def test_a_space_separates_the_values_of_a_vector() -> None:
    assert ok("vector", [2, 4], "2 4")
    assert not ok("vector", [24], "2 4", unordered=True)
    assert ok("float", 0.75, "3 / 4", DEC2)  # spaces around the fraction bar are fine


# -- hostile input (issue 17) ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "፫",
        "➀",
        "Ⅳ",
        "1" * 5000,
        "1e999999999/3",
        "1/1e-999999999",
        "9" * 60 + "/7",
        "1e400/1e-400",
        "x" * (MAX_INPUT + 1),
        "1," * 3000,
    ],
)
def test_hostile_input_is_refused_quickly_with_a_message(text: str) -> None:
    for kind, expected, prec in (
        ("integer", 3, None),
        ("float", 0.5, DEC2),
        ("vector", [1, 2], None),
        ("matrix", [[1, 2], [3, 4]], DEC2),
        ("choice", "cat", None),
    ):
        start = time.perf_counter()
        try:
            v = compare(kind, expected, text, prec, options=("cat", "dog"))
        except AnswerError as exc:
            assert str(exc)  # noqa: PT017
        else:
            assert not v.correct
        assert time.perf_counter() - start < 0.5, (kind, text[:20])


def test_decimal_digits_of_any_script_are_read() -> None:
    assert parse_exact("٣") == 3
    assert parse_exact("३.५") == Fraction(7, 2)
    assert ok("integer", 12, "１２")
    assert ok("float", 0.5, "½", DEC2)


def test_the_choice_number_of_a_text_answer_is_ascii_only() -> None:
    assert ok("choice", "dog", "2", options=("cat", "dog"))
    assert not ok("choice", "dog", "፫", options=("cat", "dog"))


RULES = st.sampled_from([INT, DEC2, DEC3, SIG3, EXACT, Precision("decimals", 1, percent=True)])
NUMBERISH = st.text(alphabet="0123456789.-+eE/%, ;\n[]()　٣፫➀½−ー１", max_size=60)


@settings(max_examples=400, deadline=500)
@given(st.one_of(st.text(max_size=80), NUMBERISH), RULES, st.booleans())
def test_property_no_input_raises_anything_but_answer_error(text: str, rule, unordered) -> None:
    for kind, expected in (
        ("integer", 3),
        ("float", 0.5),
        ("vector", [1, 2]),
        ("matrix", [[1, 2], [3, 4]]),
        ("choice", "cat"),
    ):
        prec = INT if kind == "integer" else rule
        try:
            v = compare(kind, expected, text, prec, unordered=unordered, options=("cat", "dog"))
        except AnswerError as exc:
            assert str(exc)  # noqa: PT017 - any message, never a traceback
        else:
            assert 0.0 <= v.score <= 1.0


@settings(max_examples=300, deadline=None)
@given(
    # Not subnormal: below 2.2e-308 a float cannot hold "one unit of the 3rd significant
    # digit" (5e-324 + 1e-326 == 5e-324), so the value one unit off would not exist.
    st.floats(
        min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False, allow_subnormal=False
    ),
    st.sampled_from([DEC2, DEC3, SIG3]),
)
def test_property_the_shown_value_is_accepted_and_one_unit_off_is_not(x: float, rule) -> None:
    shown = rule.text(x)
    assert ok("float", x, shown, rule)
    r = rule.rounded(x)
    unit = rule.unit(r)
    for off in (r + unit, r - unit):
        assert not ok("float", x, format(off, "e" if abs(x) < 1e-5 else "f"), rule), (x, shown)


# -- regressions named in issue 13 ----------------------------------------------------


@pytest.fixture(scope="module")
def fams():
    return load_families(PROBLEMS)


def test_batchnorm_2_10_no_longer_accepts_the_unbiased_variance(fams) -> None:
    p = generate(fams["batchnorm"], 2, 10)
    assert list(p.params["x"]) == [8, 6, 7, 2]
    assert p.answer_text == "0.11"
    assert not check_answer(p, "0.1").correct  # the m − 1 mistake, rounded as the app rounds
    assert not check_answer(p, "0.10").correct
    assert check_answer(p, "0.11").correct


def test_nms_input_errors_never_tell_how_many_boxes_survive(fams) -> None:
    for seed in range(20):
        p = generate(fams["nms"], 2, seed)
        n = len(p.answer)
        with pytest.raises(AnswerError) as exc:
            check_answer(p, "0, x")
        assert f"{n} 個" not in str(exc.value)


def test_every_vector_or_matrix_statement_states_its_rule(fams) -> None:
    for fam in fams.values():
        for d, level in fam.levels.items():
            if level.kind in ("vector", "matrix"):
                p = generate(fam, d, 0)
                assert "各要素" in p.statement or "順序は問いません" in p.statement, p.id
            if level.kind == "float":
                p = generate(fam, d, 0)
                assert p.precision.rule_ja() in p.statement, p.id


def test_box_area_convention_is_stated_for_iou_nms_and_ap(fams) -> None:
    for fid in ("iou", "nms", "detection-ap"):
        for d in (1, 2, 3):
            st_ = generate(fams[fid], d, 0).statement
            assert "(x2 − x1) × (y2 − y1)" in st_, (fid, d)
            assert "+1 はしない" in st_, (fid, d)


def test_roi_boxes_stay_inside_the_feature_map(fams) -> None:
    for d in (1, 2, 3):
        for seed in range(300):
            p = generate(fams["roi-pooling"], d, seed)
            x1, y1, x2, y2 = p.params["roi"]
            h, w = np.shape(p.params["fm"])
            assert 0 <= x1 < x2 <= w - 1, (p.id, p.params["roi"])
            assert 0 <= y1 < y2 <= h - 1, (p.id, p.params["roi"])


def test_quantization_half_up_label_matches_its_value(fams) -> None:
    """issue 13: 「.5 を常に大きい側へ」 labelled a value rounded away from zero."""
    from gquiz.problems.generate import named_mistakes

    negative_ties = 0
    for d in (1, 2):
        for seed in range(200):
            p = generate(fams["quantization"], d, seed)
            t = p.params["x"] / p.params["scale"] + p.params["zp"]
            for mid, label, value in named_mistakes(p):
                if mid != "half-up":
                    continue
                assert "0 から遠い" in label
                away = np.sign(t) * np.floor(abs(t) + 0.5)
                assert value == max(-128, min(127, away)), (p.id, t, value)
                negative_ties += t < 0
    assert negative_ties > 0  # the case where "away from zero" and "up" differ was tested


def test_depthwise_separable_steps_solve_what_is_asked(fams) -> None:
    for d, word in ((1, "重み"), (2, "積和演算"), (3, "比")):
        for seed in range(20):
            p = generate(fams["depthwise-separable"], d, seed)
            last = p.steps[-2]  # the solver's last step, before 答え: …
            if d < 3:
                assert last.startswith(f"置き換え後の{word} = Depthwise + Pointwise = ")
                assert last.endswith(f"= {p.answer_text}")
            else:
                assert last.startswith("比 = 置き換え後 / 標準 = ")
                assert check_answer(p, last.rsplit("= ", 1)[1]).correct
            if d == 1:
                assert not any("積和" in s for s in p.steps), p.steps
