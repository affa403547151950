"""A learner's history made up for the benchmarks: attempts spread over past days, 70 % right.

Shared by bench_study.py and bench_drills.py (run as scripts, so this folder is on sys.path).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any


def attempt_rows(
    rng: random.Random,
    learner: int,
    questions: Sequence[Any],
    n: int,
    now: datetime,
    days: int,
) -> list[dict[str, Any]]:
    """`n` rows for a bulk insert into attempts, each on a question drawn from `questions`,
    answered at a random minute of the `days` before `now`."""
    rows = []
    for _i in range(n):
        q = rng.choice(questions)
        rows.append(
            {
                "learner_id": learner,
                "item_kind": "question",
                "item_id": q.id,
                "section_id": q.section_id,
                "topic_slug": q.topic_slug,
                "correct": rng.random() < 0.7,
                "score": 1.0,
                "answer": "1",
                "elapsed_ms": rng.randint(5_000, 60_000),
                "mode": "quiz",
                "created_at": now - timedelta(minutes=rng.randint(0, days * 24 * 60)),
            }
        )
    return rows
