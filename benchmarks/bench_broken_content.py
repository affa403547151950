"""How `bank check` treats the broken-file corpus: python benchmarks/bench_broken_content.py

Runs gquiz.bank.build.check on a content folder holding one broken file at a time (the
corpus is tests/broken_content.py, taken from this script's tree) with whatever gquiz is on
PYTHONPATH, so the same corpus measures before (PYTHONPATH=/work/main) and after.
Counts per outcome: reported (an error), passed (exit 0: the mistake is not noticed),
passed with questions silently dropped, raised (a traceback for the learner), and the
slowest file. The issue's figure: 23 of 100 targeted broken files pass, 20 of them
silently dropping questions, and every non-UTF-8 file raises.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def _corpus():  # -> module; this tree's corpus, whatever tree gquiz comes from
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "tests" / "broken_content.py"
    spec = importlib.util.spec_from_file_location("broken_content", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_one(corpus, content: Path, name: str, data: str | bytes) -> tuple[str, float, int, str]:  # type: ignore[no-untyped-def]
    from gquiz.bank.build import Sources, check

    corpus.write_case(content, name, data)
    start = time.perf_counter()
    try:
        result = check(Sources(content, content.parent / "no-problems"))
    except Exception as exc:  # what the learner would see as a traceback
        return "raised", time.perf_counter() - start, 0, f"{type(exc).__name__}: {exc}"[:100]
    seconds = time.perf_counter() - start
    n = sum(len(t.questions) for t in result.topics)
    if result.errors:
        return "reported", seconds, n, str(result.errors[0])[:100]
    return "passed", seconds, n, ""


def main() -> None:
    import gquiz

    corpus = _corpus()
    BASE, MUTATIONS, STRAY_NAMES = corpus.BASE, corpus.MUTATIONS, corpus.STRAY_NAMES  # noqa: N806
    verbose = "-v" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        outcome, seconds, n_base, first = run_one(corpus, content, "t-conv.md", BASE)
        assert outcome == "passed", (outcome, first)
        cases = [(k, "t-conv.md", f(BASE)) for k, f in MUTATIONS.items()]
        cases += [(k, name, BASE) for k, name in STRAY_NAMES.items()]
        counts: dict[str, int] = {}
        dropped = 0
        slowest = (0.0, "")
        for key, name, data in cases:
            outcome, seconds, n, detail = run_one(corpus, content, name, data)
            if outcome == "passed" and n < n_base:
                dropped += 1
            counts[outcome] = counts.get(outcome, 0) + 1
            slowest = max(slowest, (seconds, key))
            if verbose or outcome != "reported":
                print(f"  {outcome:8} {seconds:5.2f} s  {n} 問  {key}  {detail}")
    print(
        f"{gquiz.__file__}: {len(cases)} broken files: reported {counts.get('reported', 0)}, "
        f"passed {counts.get('passed', 0)} (of which {dropped} dropped questions silently), "
        f"raised {counts.get('raised', 0)}; slowest {slowest[0]:.2f} s ({slowest[1]})"
    )


if __name__ == "__main__":
    main()
