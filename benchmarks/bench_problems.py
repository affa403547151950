"""Generate and check 10,000 problems across all families (round robin, seeds 0..).

Run by hand: ``python benchmarks/bench_problems.py [--count N] [--difficulty D]``. Prints the
total and the per-family time (generation + checking the correct answer and every choice, and
— since the re-draw rule — that no named mistake typed as shown passes), and how often the
re-draw rule threw a draw away because a named mistake would have been accepted.

Figures (2-core CI machine, issue 13): before the re-draw rule (main at 3ca5e81)
10,000 problems in 9.68 s (0.97 ms each); see the closing note of issue 13 for "after".
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from gquiz.problems import AnswerError, check_answer, generate, load_families

ROOT = Path(__file__).resolve().parent.parent


def _mistake_texts(p) -> list[str]:
    """Every named mistake of ``p`` typed as the choices show it.

    Works on this version (``named_mistakes``) and on the version before the re-draw rule
    (its ``_Draw`` helper), so the "before" figure counts the same thing.
    """
    import importlib

    import numpy as np

    g = importlib.import_module("gquiz.problems.generate")

    if hasattr(g, "named_mistakes"):
        out = []
        for _mid, _label, value in g.named_mistakes(p):
            try:
                out.append(g.format_value(value, p.kind, p.precision))
            except ValueError:
                pass
        return out
    level = p.family.level(p.difficulty)
    draw = g._Draw(p.family, level, np.random.default_rng(0))
    out = []
    for d in level.distractors:
        try:
            value = draw.distractor(d, dict(p.params), dict(p.args), p.solution.answer, p.answer)
            if value is not None:
                out.append(draw.text(value))
        except Exception:  # noqa: BLE001 - a mistake that does not apply, as the generator skips it
            pass
    return out


def _mistakes_pass(p) -> int:
    """How many named mistakes of ``p``, typed as shown, the checker accepts (must be 0)."""
    bad = 0
    for text in _mistake_texts(p):
        try:
            bad += check_answer(p, text).correct
        except AnswerError:
            pass
    return bad


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
    parser.add_argument(
        "--no-mistake-check",
        action="store_true",
        help="skip checking the named mistakes (time generation + choices only, as before)",
    )
    args = parser.parse_args()
    t0 = time.perf_counter()
    families = load_families(ROOT / "problems")
    t_load = time.perf_counter() - t0
    ids = sorted(families)
    per: dict[str, list[float]] = defaultdict(list)
    redraws: dict[str, int] = defaultdict(int)
    bad = passing = 0
    start = time.perf_counter()
    cpu = time.process_time()
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
        if not args.no_mistake_check:
            passing += _mistakes_pass(p)
        per[fid].append(time.perf_counter() - t)
        redraws[fid] += getattr(p, "redraws", 0)
        bad += not ok
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print(f"families loaded in {t_load * 1000:.0f} ms ({len(ids)} families)")
    print(
        f"{args.count} problems generated and checked in {total:.2f} s wall, {cpu:.2f} s CPU "
        f"({total / args.count * 1000:.2f} ms each), {bad} inconsistent, "
        f"{passing} named mistakes accepted, {sum(redraws.values())} draws re-drawn"
    )
    print(f"{'family':<24}{'n':>6}{'mean ms':>10}{'max ms':>10}{'total s':>10}{'redraws':>9}")
    for fid in sorted(per, key=lambda f: -sum(per[f])):
        times = per[fid]
        print(
            f"{fid:<24}{len(times):>6}{sum(times) / len(times) * 1000:>10.2f}{max(times) * 1000:>10.2f}"
            f"{sum(times):>10.2f}{redraws[fid]:>9}"
        )


if __name__ == "__main__":
    main()
