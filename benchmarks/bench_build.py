"""`gquiz bank build --force` figures, run by hand: python benchmarks/bench_build.py [N]

Builds a bank from the real content once, then times N forced rebuilds in-process (median
and spread) and counts the SQL statements one rebuild sends, SELECTs apart: a rebuild that
loads choices lazily sends one SELECT per question. Validation (what `bank check` does) is
timed apart, so rebuild minus validation is the write phase.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from gquiz.config import Settings


def main(n: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_url=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", learner="bench")
        bank = settings.open_bank()
        start = time.perf_counter()
        count = bank.build()
        first = time.perf_counter() - start
        statements: list[str] = []

        @event.listens_for(bank.engine, "before_cursor_execute")
        def _count(conn, cursor, statement, *_args):  # type: ignore[no-untyped-def]
            statements.append(statement.lstrip().split(None, 1)[0].upper())

        runs = []
        for _ in range(n):
            statements.clear()
            start = time.perf_counter()
            bank.build()
            runs.append(time.perf_counter() - start)
        selects = statements.count("SELECT")
        from gquiz.bank.build import check

        checks = []
        for _ in range(n):
            start = time.perf_counter()
            check(bank.sources)
            checks.append(time.perf_counter() - start)
        print(f"bank: {count} questions")
        print(f"first build                 {first * 1000:8.0f} ms")
        print(
            f"forced rebuild (median of {n}) {statistics.median(runs) * 1000:7.0f} ms"
            f"   (min {min(runs) * 1000:.0f}, max {max(runs) * 1000:.0f})"
        )
        print(
            f"  of which validation       {statistics.median(checks) * 1000:8.0f} ms (bank check)"
        )
        print(f"statements per rebuild      {len(statements):8d}   of which SELECT {selects}")
        bank.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
