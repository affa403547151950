"""Readiness: the expected real-exam score with its range, on scripted histories."""

from __future__ import annotations

import math
from datetime import datetime

import pytest

from gquiz.bank.repo import AttemptRecord, Bank
from gquiz.study.readiness import beta_binomial, calibration, predict
from gquiz.study.stats import learner_stats

NOW = datetime(2026, 12, 1, 12, 0)
QUOTAS = {
    f"S{m}": q for m, q in zip(range(1, 11), (6, 12, 17, 17, 22, 25, 9, 6, 14, 17), strict=True)
}


@pytest.fixture
def study_bank(study_settings):  # type: ignore[no-untyped-def]
    bank = study_settings.open_bank()
    bank.build()
    yield bank
    bank.close()


def _majors(record: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """The evidence predict() reads: 大項目 → (weighted right answers, weighted answers)."""
    return {m: record.get(m, (0.0, 0.0)) for m in QUOTAS}


def test_beta_binomial_is_a_law_and_matches_its_moments() -> None:
    pmf = beta_binomial(20, 3.0, 2.0)
    assert math.isclose(sum(pmf), 1.0)
    mean = sum(k * p for k, p in enumerate(pmf))
    assert math.isclose(mean, 20 * 3 / 5)
    var = sum((k - mean) ** 2 * p for k, p in enumerate(pmf))
    assert math.isclose(var, 20 * 3 * 2 * (3 + 2 + 20) / (5**2 * 6))


def test_no_evidence_is_an_honest_wide_range() -> None:
    r = predict(_majors({}), QUOTAS)
    assert r.n == 145
    assert r.expected == pytest.approx(72.5)
    assert r.low < 50
    assert r.high > 95


def test_all_right_and_all_wrong() -> None:
    right = predict(_majors({m: (40.0, 40.0) for m in QUOTAS}), QUOTAS)
    wrong = predict(_majors({m: (0.0, 40.0) for m in QUOTAS}), QUOTAS)
    assert right.share > 0.9
    assert right.high == 145
    assert right.low > 125
    assert wrong.share < 0.1
    assert wrong.low == 0
    assert wrong.high < 20


def test_one_weak_major_pulls_the_estimate_by_its_quota() -> None:
    strong = {m: (36.0, 40.0) for m in QUOTAS}
    weak = {**strong, "S6": (8.0, 40.0)}
    a, b = predict(_majors(strong), QUOTAS), predict(_majors(weak), QUOTAS)
    drop = a.expected - b.expected
    assert drop == pytest.approx(25 * (37 / 42 - 9 / 42), rel=1e-6)
    assert b.per_major["S6"][1] < 0.25 < 0.8 < b.per_major["S5"][1]
    # Little evidence about S1 widens the range more than the same share from lots of evidence.
    thin = predict(_majors({**strong, "S1": (0.9, 1.0)}), QUOTAS)
    thick = predict(_majors({**strong, "S1": (36.0, 40.0)}), QUOTAS)
    assert (thin.high - thin.low) > (thick.high - thick.low)


def test_calibration_compares_predictions_with_results() -> None:
    states = [
        (
            "2026-11-01",
            {
                "score": 100,
                "total": 145,
                "prediction": {"expected_share": 0.7, "low": 90, "high": 112},
            },
        ),
        (
            "2026-11-08",
            {
                "score": 80,
                "total": 145,
                "prediction": {"expected_share": 0.65, "low": 85, "high": 104},
            },
        ),
        ("2026-11-09", {"discarded": True}),
    ]
    cal = calibration(states)
    assert cal.exams == 2
    assert cal.inside == 1
    assert cal.mean_abs_error == pytest.approx((abs(100 / 145 - 0.7) + abs(80 / 145 - 0.65)) / 2)
    assert "1/2 回" in cal.label()


def test_stats_report_readiness_and_exams_store_their_prediction(study_bank: Bank) -> None:
    from gquiz.study.exam import ExamSession

    lid = study_bank.learner_id("tester")
    for q in study_bank.questions(section="S1"):
        study_bank.record_attempt(
            lid, AttemptRecord(q.id, q.section_id, True, "1", topic_slug=q.topic_slug, at=NOW)
        )
    stats = learner_stats(study_bank, lid, NOW)
    r = stats.to_json()["readiness"]  # as `gquiz stats --json` prints it
    assert r["questions"] == 145
    assert r["low"] <= r["expected"] <= r["high"]
    assert r["per_major"]["S1"]["expected_share"] > 0.85
    assert "予想得点" in r["label"]
    assert r["calibration"]["exams"] == 0
    exam = ExamSession.start(study_bank, lid, 10, 14, seed=1)
    for pos, q in enumerate(exam.questions):
        exam.answer(pos, sorted(q.correct_positions), save=False)
    exam.submit(now=NOW)
    cal = learner_stats(study_bank, lid, NOW).to_json()["readiness"]["calibration"]
    assert cal["exams"] == 1
    (row,) = cal["history"]
    assert row["score"] == 10
    assert row["questions"] == 10
    assert 0 <= row["low"] <= row["high"] <= 10
