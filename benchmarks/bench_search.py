"""Search latency over 100 queries and the index build time, on the shipped content.

Run by hand: `python benchmarks/bench_search.py` (figures go in closing notes, never in tests).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gquiz.bank import search  # noqa: E402
from gquiz.bank.build import Sources, check  # noqa: E402
from gquiz.bank.repo import Bank  # noqa: E402
from gquiz.locations import content_dir, problems_dir  # noqa: E402


def main() -> None:
    sources = Sources(content_dir(), problems_dir())
    with tempfile.TemporaryDirectory() as tmp:
        bank = Bank(f"sqlite:///{tmp}/bench.sqlite3", sources)
        bank.ensure_built()
        result = check(sources)
        docs = search.documents(result.topics, sources.syllabus())
        syn = search.synonyms_from(t.note for t in result.topics)
        t0 = time.perf_counter()
        with bank.engine.begin() as conn:
            search.rebuild(conn, docs, syn)
        build_s = time.perf_counter() - t0
        # Queries: every syllabus keyword's first 100, as a learner would type them, plus variants.
        keywords = [kw for sec in sources.syllabus().sections for kw in sec.keywords]
        queries = (keywords[::3] + ["grad-cam", "GradCAM", "ｒｅｌｕ", "どろっぷあうと", "AI"])[
            :100
        ]
        times = []
        for q in queries:
            t = time.perf_counter()
            bank.search(q, 30)
            times.append((time.perf_counter() - t) * 1000)
        bank.close()
    print(f"index: {len(docs)} documents, {sum(len(v) for v in syn.values())} synonym links")
    print(f"index rebuild: {build_s * 1000:.0f} ms")
    print(
        f"{len(times)} queries: median {statistics.median(times):.1f} ms, "
        f"worst {max(times):.1f} ms, mean {statistics.mean(times):.1f} ms"
    )


if __name__ == "__main__":
    main()
