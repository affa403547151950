"""Start-up figures, run by hand (never a timed test): python benchmarks/bench_startup.py [N]

- `gquiz --help` wall time (target: under 0.3 s);
- time to the TUI's first painted screen vs a bare Textual app showing one static line
  (target: within 1.5x), both headless, in the same run;
- time until the home tree is filled from an up-to-date bank (no rebuild).
Each figure is the median of N runs, in fresh processes.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def median(cmd: list[str], env: dict[str, str], n: int) -> float:
    timed(cmd, env)  # warm the OS file cache
    return statistics.median(timed(cmd, env) for _ in range(n))


def reported(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds from launch to the moment the child reports (its first paint)."""
    env = {**env, "BENCH_T0": repr(time.time())}
    out = subprocess.run(cmd, check=True, env=env, capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def median_reported(cmd: list[str], env: dict[str, str], n: int) -> float:
    reported(cmd, env)
    return statistics.median(reported(cmd, env) for _ in range(n))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "GQUIZ_DATA_DIR": tmp, "GQUIZ_DB": f"sqlite:///{tmp}/bench.sqlite3"}
        gquiz = [sys.executable, "-m", "gquiz"]
        subprocess.run([*gquiz, "bank", "build"], check=True, env=env, capture_output=True)
        helper = [sys.executable, str(HERE / "_first_screen.py")]
        help_s = median([*gquiz, "--help"], env, n)
        bare_s = median_reported([*helper, "bare"], env, n)
        first_s = median_reported([*helper, "gquiz", "first"], env, n)
        ready_s = median_reported([*helper, "gquiz", "ready"], env, n)
        rebuild = timed([*gquiz, "bank", "build", "--force"], env)
    print(f"runs per figure: {n} (median)")
    print(f"gquiz --help                  {help_s * 1000:7.0f} ms   (target < 300 ms)")
    print(f"bare Textual app, first paint {bare_s * 1000:7.0f} ms")
    print(
        f"gquiz TUI, first paint        {first_s * 1000:7.0f} ms   ratio {first_s / bare_s:.2f} (target <= 1.5)"
    )
    print(f"gquiz TUI, home tree filled   {ready_s * 1000:7.0f} ms   ratio {ready_s / bare_s:.2f}")
    print(f"gquiz bank build --force      {rebuild * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
