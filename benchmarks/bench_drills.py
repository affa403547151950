"""Drill start figures at a large history, run by hand: python benchmarks/bench_drills.py [N]

Fills a bank built from the real content with N attempts (default 1,000,000) spread over a
year, then times how long the weak, wrong and new drills take to choose their questions
(median of 5, spread shown). The wrong and new drills need each item's latest result; the
question is whether that costs a pass over the whole history on every start.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from _history import attempt_rows
from sqlalchemy import insert

from gquiz.bank.models import Attempt
from gquiz.config import Settings
from gquiz.study.drill import select_drill


def timed(fn, repeat: int = 5) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    fn()  # warm-up: caches, SQLite pages
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), min(runs), max(runs)


def main(n_attempts: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_url=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", learner="bench")
        bank = settings.open_bank()
        bank.build()
        learner = bank.learner_id("bench")
        questions = bank.questions()
        rng = random.Random(0)
        now = datetime(2026, 11, 24, 12)
        start = time.perf_counter()
        chunk = 100_000
        answered = questions[: len(questions) * 9 // 10]  # a tenth never answered
        for first in range(0, n_attempts, chunk):
            size = min(chunk, n_attempts - first)
            rows = attempt_rows(rng, learner, answered, size, now, days=365)
            with bank.sessions() as session:
                session.execute(insert(Attempt), rows)
                session.commit()
        fill_s = time.perf_counter() - start
        start = time.perf_counter()
        bank.rebuild_rollups()  # a bulk insert bypasses record_attempt's bookkeeping
        rollup_s = time.perf_counter() - start
        print(f"bank: {len(questions)} questions, {n_attempts:,} attempts")
        print(f"fill {fill_s:.1f} s, rebuild_rollups {rollup_s:.1f} s (once)")
        for mode in ("wrong", "new", "weak"):
            med, lo, hi = timed(lambda m=mode: select_drill(bank, learner, m, 20, seed=1, now=now))
            print(
                f"{mode:>5} drill selection (20)   {med * 1000:7.1f} ms"
                f"   (min {lo * 1000:.1f}, max {hi * 1000:.1f})"
            )
        bank.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
