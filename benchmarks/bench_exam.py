"""Exam grading figures, run by hand: python benchmarks/bench_exam.py [N]

On a bank built from the real content, starts a 145-question exam, answers 12 or all 145
questions, and times `ExamSession.submit` (grading, FSRS, the writes and the two mastery
snapshots; no screen), median of N exams each. Also prints how many attempts and review
cards one exam stopped after 12 answers leaves behind.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from gquiz.bank.models import Attempt, ReviewCard
from gquiz.config import Settings
from gquiz.study.exam import ExamSession


def main(n: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_url=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", learner="bench")
        bank = settings.open_bank()
        bank.build()
        for answered in (12, 145):
            runs = []
            for i in range(n):
                learner = bank.learner_id(f"bench-{answered}-{i}")
                exam = ExamSession.start(bank, learner, 145, 100, seed=i)
                for pos in range(answered):
                    exam.answer(pos, [0], save=False)
                    exam.spend(pos, 20_000)
                exam.save()
                start = time.perf_counter()
                exam.submit()
                runs.append(time.perf_counter() - start)
                with bank.sessions() as session:
                    attempts = session.scalar(
                        select(func.count()).where(Attempt.learner_id == learner)
                    )
                    cards = session.scalar(
                        select(func.count()).where(ReviewCard.learner_id == learner)
                    )
            print(
                f"submit after {answered:3d}/145 answers: {statistics.median(runs) * 1000:7.0f} ms"
                f"  (min {min(runs) * 1000:.0f}, max {max(runs) * 1000:.0f});"
                f" stores {attempts} attempts, {cards} review cards"
            )
        bank.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
