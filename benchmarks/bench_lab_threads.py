"""Lab training time by torch thread count and OpenMP wait policy, idle and under load.

Run by hand (never a timed test): python benchmarks/bench_lab_threads.py [EPOCHS] [REPEATS]

Each configuration trains the lab's CNN (3000 images, EPOCHS epochs, default 1) in a fresh
interpreter, because OMP_WAIT_POLICY is read once, when torch's OpenMP runtime loads. "loaded"
adds two busy-looping processes (a 2-core machine with something else running). Printed per
configuration: the median training time over REPEATS runs (default 3) and the range.

The issue's finding was 2 threads with OpenMP busy-waiting (torch's default): a loaded
2-core machine took 97-141 s instead of ~10 s for the first Grad-CAM run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

CHILD = """
import json, sys, time
threads = int(sys.argv[1]); epochs = int(sys.argv[2])
import torch
from gquiz.labs.data import make_splits
from gquiz.labs.nets import build_teacher
from gquiz.labs.train import torch_settings, train_classifier
train, _ = make_splits(0, 3000, 10)
with torch_settings(threads=threads):
    torch.manual_seed(0)
    model = build_teacher()
    start = time.perf_counter()
    train_classifier(model, train, seed=0, epochs=epochs)
    print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def run(threads: int, policy: str | None, epochs: int) -> float:
    env = dict(os.environ)
    env.pop("OMP_WAIT_POLICY", None)
    env["GQUIZ_LAB_OMP_WAIT_POLICY"] = policy or "torch-default"
    if policy:
        env["OMP_WAIT_POLICY"] = policy
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(threads), str(epochs)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])["seconds"]


def main() -> None:
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; {epochs} epoch(s)")
    configs = [(2, "ACTIVE"), (2, "PASSIVE"), (1, "PASSIVE")]
    for label, n_busy in (("as is", 0), ("+2 busy processes", 2)):
        busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n_busy)]
        try:
            time.sleep(0.5)
            for threads, policy in configs:
                times = [run(threads, policy, epochs) for _ in range(repeats)]
                print(
                    f"{label:18} threads={threads} OMP_WAIT_POLICY={policy:7}  "
                    f"median {statistics.median(times):6.1f} s  range {min(times):.1f}-{max(times):.1f} s  "
                    f"(load {os.getloadavg()[0]:.1f})"
                )
        finally:
            for p in busy:
                p.kill()
                p.wait()


if __name__ == "__main__":
    main()
