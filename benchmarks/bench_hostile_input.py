"""The issue's hostile-input experiments, each as a subprocess of `gquiz`:
python benchmarks/bench_hostile_input.py

Run with PYTHONPATH pointing at the tree to measure (/work/main for "before"). Every case
runs in a fresh interpreter limited to 2 GB of address space and 120 s, and prints its exit
status, wall time, peak memory (max RSS), output size and the last line of stderr, so a
traceback, a MemoryError or a hang shows as what it is.

Cases: `gquiz solve` with roi_align output_size 1000, conv2d padding 2000, 1,100-deep JSON
and a 5,000-digit number; plain-mode answers ፫, ➀ and a 5,000-digit number;
GQUIZ_CONTENT=/nope after a build (how many questions stay active).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIMIT = 2 << 30


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def gquiz(args: list[str], env: dict[str, str], stdin: str = "") -> dict[str, object]:
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    try:
        out = subprocess.run(
            [sys.executable, "-m", "gquiz", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            preexec_fn=_limit,
            cwd=env["GQUIZ_DATA_DIR"] + "-cwd",  # `-m` would put the current folder's gquiz first
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": 120.0}
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    err = out.stderr.strip().splitlines()
    return {
        "status": out.returncode,
        "seconds": round(time.perf_counter() - start, 2),
        "peak_mb": round(max(peak, before) / 1024) if peak > before else "≤ earlier",
        "stdout_bytes": len(out.stdout.encode()),
        "traceback": "Traceback" in out.stderr,
        "last": (err[-1] if err else out.stdout.strip().splitlines()[-1:] or [""])[:110],
    }


def main() -> None:
    import gquiz as g

    print(f"gquiz from {g.__file__}")
    tmp = Path(tempfile.mkdtemp())
    env = {**os.environ, "GQUIZ_DATA_DIR": str(tmp / "data")}
    (tmp / "data-cwd").mkdir()
    fm = [[1.0, 2.0], [3.0, 4.0]]
    solve = {
        "roi_align output_size 1000": {"feature_map": fm, "roi": [0, 0, 1, 1], "output_size": 1000},
        "conv2d padding 2000": {"input": fm, "kernel": [[1.0]], "padding": 2000},
    }
    for name, params in solve.items():
        args = ["solve", name.split()[0], "--json", "--params", json.dumps(params)]
        print(f"{name}: {gquiz(args, env)}")
    deep = '{"input": ' + "[" * 1100 + "1" + "]" * 1100 + ', "kernel": [[1]]}'
    print(f"conv2d 1,100-deep JSON: {gquiz(['solve', 'conv2d', '--params', deep], env)}")
    digits = '{"input": [[' + "7" * 5000 + ']], "kernel": [[1]]}'
    print(f"conv2d 5,000-digit number: {gquiz(['solve', 'conv2d', '--params', digits], env)}")
    build = gquiz(["bank", "build"], env)
    print(f"bank build: {build['status']} in {build['seconds']} s")
    for name, answer in (("፫", "፫"), ("➀", "➀"), ("5,000 digits", "9" * 5000)):
        res = gquiz(["quiz", "--plain", "--count", "1"], env, stdin=answer + "\n")
        print(f"plain answer {name}: {res}")
    nope = {**env, "GQUIZ_CONTENT": "/nope"}
    print(f"GQUIZ_CONTENT=/nope bank build: {gquiz(['bank', 'build'], nope)}")
    code = (
        "from gquiz.config import Settings; from sqlalchemy import select, func;"
        "from gquiz.bank.models import Question; b = Settings.resolve().open_bank();"
        "s = b.sessions(); print(s.scalar(select(func.count()).select_from(Question)"
        ".where(Question.active)))"
    )
    active = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp / "data-cwd",
    )
    print(
        f"active questions after GQUIZ_CONTENT=/nope: {active.stdout.strip() or active.stderr[-200:]}"
    )


if __name__ == "__main__":
    main()
