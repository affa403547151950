"""Mastery estimates: recency-weighted, and honest about how little a few answers prove.

Each attempt counts with weight `0.5 ** (age / HALF_LIFE_DAYS)`, so what the learner did last
week matters more than what they did two months ago. The estimate is the mean of a Beta
posterior with a uniform prior (Laplace's rule: `(s + 1) / (n + 2)` on weighted counts), and
the range is a 90 % Wilson score interval on the weighted count — two right answers give
about 0.42–1.0, not "100 %". A topic is *mastered* only when the lower end of its range
clears MASTERED_LOWER.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

HALF_LIFE_DAYS = 30.0
Z90 = 1.6448536269514722
MASTERED_LOWER = 0.8


@dataclass(frozen=True)
class Mastery:
    """One area's evidence and what it supports: raw counts, the recency-weighted counts, the
    Laplace estimate and its 90 % range. Screens show the range, not only the estimate."""

    attempts: int
    correct: int
    weighted_n: float
    weighted_correct: float
    estimate: float
    low: float
    high: float

    @property
    def accuracy(self) -> float | None:
        """The plain share of right answers (unweighted); None before the first attempt, so nothing
        pretends a learner with no answers scored 0 %."""
        return self.correct / self.attempts if self.attempts else None

    @property
    def mastered(self) -> bool:
        """定着 only when the low end of the 90 % range clears MASTERED_LOWER: a lucky streak of a
        few answers is not enough."""
        return self.low >= MASTERED_LOWER

    @property
    def level(self) -> str:
        """A word for the learner: 未学習 / 要復習 / 学習中 / 定着."""
        if not self.attempts:
            return "未学習"
        if self.mastered:
            return "定着"
        if self.high < 0.6:
            return "要復習"
        return "学習中"

    def to_json(self) -> dict[str, float | int | str | None]:
        """Rounded to 4 places, keys in the order `stats --json` prints; `stats.Record` holds the
        same figures, so the two must stay in step."""
        return {
            "attempts": self.attempts,
            "correct": self.correct,
            "accuracy": None if self.accuracy is None else round(self.accuracy, 4),
            "mastery": round(self.estimate, 4),
            "mastery_low": round(self.low, 4),
            "mastery_high": round(self.high, 4),
            "level": self.level,
            # The evidence behind the estimate (recency-weighted counts), for the readiness model.
            "weighted_n": round(self.weighted_n, 4),
            "weighted_correct": round(self.weighted_correct, 4),
        }


def wilson(successes: float, n: float, z: float = Z90) -> tuple[float, float]:
    """Wilson score interval; (0, 1) when there is no evidence at all."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def recency_weight(at: datetime, now: datetime) -> float:
    """How much an attempt at `at` counts at `now` (1 today, ½ after HALF_LIFE_DAYS); both naive
    UTC. A time after `now` (clock skew) counts 1, never more."""
    age_days = max(0.0, (now - at).total_seconds() / 86400)
    weight: float = 0.5 ** (age_days / HALF_LIFE_DAYS)
    return weight


class MasteryAccumulator:
    """Fold attempts one by one (cheap enough for 100,000 of them)."""

    __slots__ = ("attempts", "correct", "wn", "wc")

    def __init__(self) -> None:
        self.attempts = 0
        self.correct = 0
        self.wn = 0.0
        self.wc = 0.0

    def add(self, correct: bool, weight: float) -> None:
        """Count one answer with its recency weight (from `recency_weight`)."""
        self.attempts += 1
        self.correct += int(correct)
        self.wn += weight
        self.wc += weight * correct

    def merge(self, other: MasteryAccumulator) -> None:
        """Add another accumulator's counts, so a 大項目 and the total are folded from their parts
        without walking the attempts again."""
        self.attempts += other.attempts
        self.correct += other.correct
        self.wn += other.wn
        self.wc += other.wc

    def result(self) -> Mastery:
        """The figures so far; an empty accumulator gives estimate ½ and range 0–1 (no evidence)."""
        low, high = wilson(self.wc, self.wn)
        estimate = (self.wc + 1) / (self.wn + 2)
        return Mastery(self.attempts, self.correct, self.wn, self.wc, estimate, low, high)


def mastery_of(attempts: Iterable[tuple[bool, datetime]], now: datetime) -> Mastery:
    """Mastery of (correct, when) pairs at `now`: the one-call form of MasteryAccumulator for a
    short list; `learner_stats` folds rollup counts instead."""
    acc = MasteryAccumulator()
    for correct, at in attempts:
        acc.add(correct, recency_weight(at, now))
    return acc.result()
