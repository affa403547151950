"""Exact Shapley values for a 12-feature numpy MLP: gquiz's engine vs shap.ExactExplainer.

Run by hand (never timed in CI)::

    /work/venv/bin/python benchmarks/bench_shapley.py [--background 100] [--repeat 3]

Both explain the same prediction against the same background set with the
interventional value function ``v(S) = mean_b f(x_S, b_{N∖S})`` (shap's Independent
masker with ``max_samples`` = the whole background, so shap does not subsample).
The script asserts that the largest difference is at most 1e-9 and prints it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

try:
    from gquiz.engine.shapley import shapley_model
except ImportError:  # run from a checkout without installing the package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from gquiz.engine.shapley import shapley_model

N_FEATURES = 12


def make_mlp(n: int, hidden: int = 32, seed: int = 0):
    """A small two-layer tanh MLP in numpy, ``(m, n) -> (m,)``."""
    rng = np.random.default_rng(seed)
    w1 = rng.normal(size=(n, hidden)) / np.sqrt(n)
    b1 = rng.normal(size=hidden)
    w2 = rng.normal(size=hidden) / np.sqrt(hidden)
    b2 = 0.1

    def f(x: np.ndarray) -> np.ndarray:
        return np.tanh(x @ w1 + b1) @ w2 + b2

    return f


class TimedModel:
    """Wrap a model to count the rows it is asked for and the time spent inside it."""

    def __init__(self, f):
        self.f = f
        self.rows = 0
        self.seconds = 0.0

    def __call__(self, z: np.ndarray) -> np.ndarray:
        t0 = time.perf_counter()
        out = self.f(z)
        self.seconds += time.perf_counter() - t0
        self.rows += z.shape[0]
        return out


def best_of(repeat: int, run):
    """Run ``run()`` (returning (result, TimedModel)) ``repeat`` times; keep the fastest."""
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result, model = run()
        elapsed = time.perf_counter() - t0
        if best is None or elapsed < best[0]:
            best = (elapsed, result, model)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--background", type=int, default=100, help="background rows (default 100)")
    ap.add_argument("--repeat", type=int, default=5, help="timing repeats (the best is reported)")
    args = ap.parse_args()

    rng = np.random.default_rng(42)
    f = make_mlp(N_FEATURES)
    x = rng.normal(size=N_FEATURES)
    bg = rng.normal(size=(args.background, N_FEATURES))

    def run_ours():
        model = TimedModel(f)
        return shapley_model(model, x, background=bg).answer["values"], model

    t0 = time.perf_counter()
    import shap  # imported here so its import cost is reported separately

    t_import = time.perf_counter() - t0
    masker = shap.maskers.Independent(bg, max_samples=len(bg))

    def run_shap():
        model = TimedModel(f)
        return shap.explainers.Exact(model, masker)(x[None], silent=True).values[0], model

    # shap's first call JIT-compiles its numba helpers: time it apart from the warm runs
    t0 = time.perf_counter()
    run_shap()
    t_shap_cold = time.perf_counter() - t0

    t_ours, ours, m_ours = best_of(args.repeat, run_ours)
    t_shap, ref, m_shap = best_of(args.repeat, run_shap)

    diff = float(np.max(np.abs(ours - ref)))
    efficiency = abs(ours.sum() - (f(x[None])[0] - f(bg).mean()))
    print(f"features={N_FEATURES} coalitions={2**N_FEATURES} background={len(bg)}")
    print(
        f"gquiz exact (vectorised): {t_ours * 1e3:8.1f} ms total, {m_ours.seconds * 1e3:8.1f} ms in the model "
        f"({m_ours.rows} rows), overhead {(t_ours - m_ours.seconds) * 1e3:.1f} ms"
    )
    print(
        f"shap.ExactExplainer:      {t_shap * 1e3:8.1f} ms total, {m_shap.seconds * 1e3:8.1f} ms in the model "
        f"({m_shap.rows} rows), overhead {(t_shap - m_shap.seconds) * 1e3:.1f} ms"
    )
    print(
        f"(best of {args.repeat}; shap cold first call {t_shap_cold:.1f} s incl. numba JIT, import {t_import:.1f} s)"
    )
    print(f"max |gquiz - shap| = {diff:.3e}")
    print(f"efficiency |sum(phi) - (f(x) - E f(bg))| = {efficiency:.3e}")
    assert diff <= 1e-9, f"difference {diff} exceeds 1e-9"


if __name__ == "__main__":
    main()
