"""Generate and check 10,000 problems across all families (round robin, seeds 0..).

Run by hand: ``python benchmarks/bench_problems.py [--count N] [--difficulty D]``. Prints the
total and the per-family time (generation + checking the correct answer and every choice).
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from gquiz.problems import AnswerError, check_answer, generate, load_families

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument(
        "--difficulty",
        type=int,
        choices=(1, 2, 3),
        default=None,
        help="one difficulty (default: cycle 1, 2, 3)",
    )
    args = parser.parse_args()
    t0 = time.perf_counter()
    families = load_families(ROOT / "problems")
    t_load = time.perf_counter() - t0
    ids = sorted(families)
    per: dict[str, list[float]] = defaultdict(list)
    bad = 0
    start = time.perf_counter()
    for n in range(args.count):
        fid = ids[n % len(ids)]
        seed = n // len(ids)
        difficulty = args.difficulty or (seed % 3) + 1
        t = time.perf_counter()
        p = generate(families[fid], difficulty, seed)
        ok = check_answer(p, p.answer_text).correct
        for c in p.choices:
            try:
                ok &= check_answer(p, c.text).correct == c.correct
            except AnswerError:
                ok &= not c.correct
        per[fid].append(time.perf_counter() - t)
        bad += not ok
    total = time.perf_counter() - start
    print(f"families loaded in {t_load * 1000:.0f} ms ({len(ids)} families)")
    print(
        f"{args.count} problems generated and checked in {total:.2f} s "
        f"({total / args.count * 1000:.2f} ms each), {bad} inconsistent"
    )
    print(f"{'family':<24}{'n':>6}{'mean ms':>10}{'max ms':>10}{'total s':>10}")
    for fid in sorted(per, key=lambda f: -sum(per[f])):
        times = per[fid]
        print(
            f"{fid:<24}{len(times):>6}{sum(times) / len(times) * 1000:>10.2f}{max(times) * 1000:>10.2f}"
            f"{sum(times):>10.2f}"
        )


if __name__ == "__main__":
    main()
