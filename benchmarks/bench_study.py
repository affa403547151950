"""Study-engine figures, run by hand: python benchmarks/bench_study.py

Fills a bank built from the real content with 100,000 attempts spread over 120 days, then
times `learner_stats` (what `gquiz stats` computes), a weak drill selection, and assembling a
145-question exam. Targets: stats and exam assembly under 200 ms each.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from _history import attempt_rows
from sqlalchemy import insert

from gquiz.bank.models import Attempt
from gquiz.config import Settings
from gquiz.study.drill import select_drill
from gquiz.study.exam import assemble
from gquiz.study.stats import learner_stats

N_ATTEMPTS = 100_000


def timed(fn, repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_url=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", learner="bench")
        bank = settings.open_bank()
        bank.build()
        learner = bank.learner_id("bench")
        questions = bank.questions()
        rng = random.Random(0)
        now = datetime(2026, 11, 24, 12)
        rows = attempt_rows(rng, learner, questions, N_ATTEMPTS, now, days=120)
        with bank.sessions() as session:
            session.execute(insert(Attempt), rows)
            session.commit()
        start = time.perf_counter()
        bank.rebuild_rollups()  # a bulk insert bypasses record_attempt, which keeps them in step
        rollup_s = time.perf_counter() - start
        stats_s = timed(lambda: learner_stats(bank, learner, now))
        exam_s = timed(lambda: assemble(bank, 145, seed=1))
        drill_s = timed(lambda: select_drill(bank, learner, "weak", 20, seed=1, now=now))
        print(f"bank: {len(questions)} questions, {N_ATTEMPTS:,} attempts")
        print(f"rebuild_rollups (once)        {rollup_s * 1000:7.1f} ms")
        print(f"learner_stats (gquiz stats)   {stats_s * 1000:7.1f} ms   (target < 200 ms)")
        print(f"assemble 145-question exam    {exam_s * 1000:7.1f} ms   (target < 200 ms)")
        print(f"weak drill selection (20)     {drill_s * 1000:7.1f} ms")
        bank.close()


if __name__ == "__main__":
    main()
