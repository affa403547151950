"""Labs timing: OpenMP threads sleep instead of spinning, and latency comes with its spread."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gquiz.labs.compression import timing_summary


@pytest.mark.parametrize(("preset", "expected"), [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")])
def test_labs_set_a_passive_wait_policy_unless_the_user_chose(preset, expected) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if preset:
        env["OMP_WAIT_POLICY"] = preset
    code = "import os, gquiz.labs; print(os.environ['OMP_WAIT_POLICY'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == expected, out.stderr


def test_timing_summary_is_median_and_half_the_iqr() -> None:
    median, spread = timing_summary([1.0, 2.0, 3.0, 4.0, 100.0])
    assert median == 3.0
    assert spread == pytest.approx((4.0 - 2.0) / 2)  # the outlier moves neither
    assert timing_summary([5.0, 7.0]) == (6.0, 1.0)  # few timings: half the range
