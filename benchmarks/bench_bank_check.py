"""`bank check` time on a large generated bank:
python benchmarks/bench_bank_check.py [N] [REPEATS] [TOPICS]

Writes N questions (default 16,000) in TOPICS topic files (default 80) under a temporary content folder,
each question like a real one (metadata, stem, four choices, explanation), then times
gquiz.bank.build.check over it REPEATS times (default 3) and prints the median and range.
Run it with PYTHONPATH pointing at the tree to measure (e.g. /work/main for "before").
Wall time and the process's CPU time are both printed: on a shared, loaded machine the CPU
time is the figure to compare.

The issue's figure: 52 s on 16,000 questions, because the token list was copied for every
question (``tokens[start:]`` in the task-list test).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

SECTIONS = ["S1.1", "S3.1", "S4.2", "S5.2", "S6.1", "S7.1", "S8.1", "S9.2", "S10.3", "S2.1"]


def write_bank(root: Path, n_questions: int, n_topics: int = 80) -> None:
    per = n_questions // n_topics
    for t in range(n_topics):
        section = SECTIONS[t % len(SECTIONS)]
        slug = f"bench-{t:03d}"
        folder = root / f"s{int(section[1:].split('.')[0]):02d}"
        folder.mkdir(parents=True, exist_ok=True)
        parts = [
            f"---\nsection: {section}\ntopic: {slug}\ntitle: 計測用トピック {t}\n---\n\n"
            f"# 計測用トピック {t}\n\nノート本文。**強調**と `コード` を含む段落。\n\n# 問題\n"
        ]
        for i in range(per):
            parts.append(
                f"\n## {slug}-{i:04d}\ndifficulty: {1 + i % 3}\nkeywords: 語{i % 7}, 語{i % 5}\n\n"
                f"問題 {i} の問題文。次のうち最も適切なものを選べ。\n\n"
                f"- [x] 正しい記述 {i}\n- [ ] 誤った記述 A{i}\n- [ ] 誤った記述 B{i}\n"
                f"- [ ] 誤った記述 C{i}\n\n### 解説\n\n正しい記述 {i} が正解。A{i} は…、B{i} は…。\n"
            )
        (folder / f"{slug}.md").write_text("".join(parts), encoding="utf-8")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 16_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    n_topics = int(sys.argv[3]) if len(sys.argv) > 3 else 80
    import gquiz
    from gquiz.bank.build import Sources, check

    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        write_bank(content, n, n_topics)
        sources = Sources(content, Path(tmp) / "no-problems")
        times, cpu = [], []
        for _ in range(repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            result = check(sources)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        n_q = sum(len(t.questions) for t in result.topics)
        print(
            f"{gquiz.__file__}: bank check of {n_q} questions in {n_topics} files "
            f"({len(result.errors)} errors): wall median {statistics.median(times):.2f} s "
            f"(range {min(times):.2f}-{max(times):.2f}), CPU median {statistics.median(cpu):.2f} s "
            f"over {repeats} runs; load average {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
