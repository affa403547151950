"""Labs figures, run by hand (never a timed test): python benchmarks/bench_labs.py [SEEDS]

- training time of the lab's CNN (fresh, no disk cache) for SEEDS seeds (default 2), with its
  test accuracy — target: under 20 s on two cores;
- the full compression table (sizes, accuracy, latency) of seed 0, as `gquiz lab compression`
  shows it, and how long measuring it took;
- Grad-CAM: time per image (3 classes) and how often the heatmap's peak lies in the shape's
  bounding box, over all test images;
- distillation vs hard labels for student seeds 0-4 (same teacher): the spread behind the
  table's single comparison.

Timings depend on what else runs: the load average is printed first. torch spins its two
intra-op threads, so a busy machine slows training far more than it slows one-thread code.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np


def main() -> None:
    n_seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    import torch

    from gquiz.labs.compression import CompressionConfig, get_report, train_students
    from gquiz.labs.gradcam_lab import analyse, upsample
    from gquiz.labs.texts import format_table, table_notes
    from gquiz.labs.train import accuracy, get_trained, torch_settings

    load = os.getloadavg()
    print(
        f"torch {torch.__version__}, {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print()
    print("== training (3000 images, 6 epochs, 2 threads, no disk cache)")
    for seed in range(n_seeds):
        start = time.perf_counter()
        t = get_trained(seed, disk_cache=False)
        wall = time.perf_counter() - start
        print(
            f"seed {seed}: train {t.train_seconds:5.1f} s (with data and evaluation {wall:5.1f} s), test accuracy {t.test_accuracy * 100:.1f}%"
        )
    trained = get_trained(0, disk_cache=False)
    print()

    print("== compression table (seed 0)")
    report = get_report(trained)
    for line in format_table(report):
        print(line)
    for line in table_notes(report):
        print(line)
    print(
        f"measured in {report.seconds:.1f} s; weights fp32 {report.weight_bytes_fp32} B, int8 {report.weight_bytes_int8} B"
    )
    print()

    print("== Grad-CAM (seed 0, all test images)")
    start = time.perf_counter()
    hits = []
    for i in range(len(trained.test)):
        v = analyse(trained, i)
        heat = upsample(v.maps[v.predicted].gradcam)
        y, x = np.unravel_index(np.argmax(heat), heat.shape)
        x0, y0, x1, y1 = v.bbox
        hits.append(x0 <= x <= x1 and y0 <= y <= y1)
    per = (time.perf_counter() - start) / len(trained.test)
    print(
        f"{per * 1000:.1f} ms per image (Grad-CAM + CAM for 3 classes); peak inside the box: "
        f"{np.mean(hits) * 100:.1f}% ({sum(hits)}/{len(hits)}), first 50: {np.mean(hits[:50]) * 100:.0f}%"
    )
    print()

    print("== distillation vs hard labels, student seeds 0-4 (teacher seed 0)")
    cfg = CompressionConfig()
    kd_acc, hard_acc = [], []
    with torch_settings():
        for s in range(5):
            students = train_students(trained, cfg, seed=s)
            kd_acc.append(accuracy(students["student_kd"], trained.test))
            hard_acc.append(accuracy(students["student_hard"], trained.test))
            print(
                f"student seed {s}: distilled {kd_acc[-1] * 100:5.1f}%  hard labels {hard_acc[-1] * 100:5.1f}%  "
                f"difference {(kd_acc[-1] - hard_acc[-1]) * 100:+5.1f}"
            )
    print(
        f"mean: distilled {np.mean(kd_acc) * 100:.1f}%  hard labels {np.mean(hard_acc) * 100:.1f}%  "
        f"(distilled ahead in {sum(k > h for k, h in zip(kd_acc, hard_acc, strict=False))}/5)"
    )


if __name__ == "__main__":
    main()
