"""Readiness for the sitting: the score the learner can expect on a real-format exam, with a range.

The model, stated so a learner can judge it:

- Each 大項目 m has a chance p_m of being answered right, unknown. What the learner did is its
  evidence: the recency-weighted right and wrong answers of mastery (see study.mastery) give
  p_m ~ Beta(1 + right_m, 1 + wrong_m) — a 大項目 never practised is Beta(1, 1), anything
  from 0 to 100 %, which is what we know about it.
- The exam asks q_m questions of 大項目 m (the blueprint's quotas for 145 questions, or a given
  exam's own counts), each right with chance p_m, so the right answers of m follow a
  beta-binomial law; the 大項目 are taken as independent.
- The score is the sum over the 大項目: its law is the convolution of the ten beta-binomials,
  computed exactly. The estimate is its mean; the range, its 5th to 95th percentile.

After each practice exam the prediction made just before it (from the learner's record then,
for that exam's own mix of 大項目) is stored with the exam, so `calibration` can say how far off
the estimates have been and how often the result fell inside the 90 % range.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gquiz.text.numbers import pct, pct_range, pct_value

LOW_Q, HIGH_Q = 0.05, 0.95


def beta_binomial(n: int, a: float, b: float) -> list[float]:
    """P(k right of n) when the chance of a right answer is Beta(a, b)."""

    def log_beta(x: float, y: float) -> float:
        return math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y)

    base = log_beta(a, b)
    return [
        math.exp(
            math.lgamma(n + 1)
            - math.lgamma(k + 1)
            - math.lgamma(n - k + 1)
            + log_beta(k + a, n - k + b)
            - base
        )
        for k in range(n + 1)
    ]


def _convolve(p: list[float], q: list[float]) -> list[float]:
    out = [0.0] * (len(p) + len(q) - 1)
    for i, x in enumerate(p):
        if x:
            for j, y in enumerate(q):
                out[i + j] += x * y
    return out


def _quantile(pmf: list[float], q: float) -> int:
    acc = 0.0
    for k, p in enumerate(pmf):
        acc += p
        if acc >= q - 1e-12:
            return k
    return len(pmf) - 1


@dataclass(frozen=True)
class Readiness:
    """The predicted score of a real-format exam: expected right answers and the 5th–95th percentile
    range (counts of questions, not shares), with the expected share per 大項目."""

    n: int
    expected: float  # expected number of right answers
    low: int  # 5th percentile
    high: int  # 95th percentile
    per_major: dict[str, tuple[int, float]]  # 大項目 → (questions, expected share right)

    @property
    def share(self) -> float:
        """Expected share right (0–1); 0.0 for an empty exam rather than a division by zero."""
        return self.expected / self.n if self.n else 0.0

    def as_json(self) -> dict[str, Any]:
        """The estimate for `stats --json` and for storing with an exam (`calibration` later reads
        `expected_share`, `low` and `high` back), rounded, with the model named in Japanese."""
        return {
            "questions": self.n,
            "expected": round(self.expected, 2),
            "expected_share": round(self.share, 4),
            "low": self.low,
            "high": self.high,
            "low_share": round(self.low / self.n, 4) if self.n else 0.0,
            "high_share": round(self.high / self.n, 4) if self.n else 0.0,
            "per_major": {
                m: {"questions": q, "expected_share": round(p, 4)}
                for m, (q, p) in self.per_major.items()
            },
            "model": "大項目ごとに Beta(1+正答, 1+誤答) (直近ほど重い重み付き) × 出題数の beta-二項分布を合計 (90% 範囲)",
        }

    def label(self) -> str:
        """「予想得点 62% (90% の範囲 48〜75%)」"""
        if not self.n:
            return "予想得点: -"
        return (
            f"予想得点 {pct(self.share)} "
            f"(90% の範囲 {pct_range(self.low / self.n, self.high / self.n)})"
        )


def predict(evidence: Mapping[str, tuple[float, float]], counts: Mapping[str, int]) -> Readiness:
    """The score law for `counts` questions per 大項目, from each 大項目's weighted record.

    `evidence` maps a 大項目 to its recency-weighted (right answers, answers), as
    gquiz.study.stats.evidence() reads them from the learner's stats; a 大項目 without any
    counts as no evidence (the uniform prior).
    """
    pmf = [1.0]
    per_major: dict[str, tuple[int, float]] = {}
    expected = 0.0
    for major, q in counts.items():
        if q <= 0:
            continue
        right, n = evidence.get(major, (0.0, 0.0))
        a, b = 1.0 + right, 1.0 + max(0.0, n - right)
        mean = a / (a + b)
        per_major[major] = (q, mean)
        expected += q * mean
        pmf = _convolve(pmf, beta_binomial(q, a, b))
    total = sum(counts.get(m, 0) for m in per_major)
    return Readiness(total, expected, _quantile(pmf, LOW_Q), _quantile(pmf, HIGH_Q), per_major)


@dataclass(frozen=True)
class Calibration:
    """How past estimates matched the exams that followed: mean absolute error (share of the
    questions) and how many results fell inside their 90 % range. Shown so a learner can judge the
    estimate."""

    exams: int
    mean_abs_error: float | None  # in share of the exam's questions
    inside: int  # results inside their 90 % range
    rows: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        """The calibration for `stats --json`, each past exam's row included (`history`)."""
        return {
            "exams": self.exams,
            "mean_abs_error": None
            if self.mean_abs_error is None
            else round(self.mean_abs_error, 4),
            "inside_range": self.inside,
            "history": self.rows,
        }

    def label(self) -> str:
        """One Japanese sentence for the stats screen: the mean error in points and the hits of the
        range, or an invitation to sit an exam when none has a stored prediction."""
        if not self.exams:
            return "模擬試験を受けると、予想と結果のずれをここに示します。"
        return (
            f"これまでの模擬試験 {self.exams} 回: 予想と結果のずれ 平均 {pct_value(self.mean_abs_error or 0)} ポイント、"
            f"結果が 90% の範囲に入ったのは {self.inside}/{self.exams} 回"
        )


def calibration(exams: Iterable[tuple[str, Mapping[str, Any]]]) -> Calibration:
    """From (submitted date, exam state) of past exams whose state holds a prediction."""
    rows = []
    for when, state in exams:
        pred = state.get("prediction")
        total = int(state.get("total") or (pred or {}).get("questions") or 0)
        if not pred or not total or "score" not in state:
            continue
        score = int(state["score"])
        rows.append(
            {
                "date": when,
                "questions": total,
                "predicted_share": pred["expected_share"],
                "low": pred["low"],
                "high": pred["high"],
                "score": score,
                "score_share": round(score / total, 4),
                "inside": pred["low"] <= score <= pred["high"],
            }
        )
    if not rows:
        return Calibration(0, None, 0, [])
    mae = sum(abs(r["score"] / r["questions"] - r["predicted_share"]) for r in rows) / len(rows)
    return Calibration(len(rows), mae, sum(r["inside"] for r in rows), rows)
