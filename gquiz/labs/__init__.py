"""gquiz's labs: train a small CNN on the CPU and look inside it.

* the Grad-CAM lab (:mod:`gquiz.labs.gradcam_lab`): where does the model look? Grad-CAM from
  autograd's gradients through the engine's ``gradcam``, and CAM beside it;
* the compression lab (:mod:`gquiz.labs.compression`): int8 quantization, magnitude pruning
  and knowledge distillation, measured, with questions generated from the numbers.

torch is an optional extra (``pip install 'gquiz[torch]'``). Importing this package never
imports torch: every module imports it inside the functions that need it, so the rest of
gquiz (and the labs menu, which only says how to install torch) works without it.
"""

from __future__ import annotations

import importlib.util
import os

# torch's OpenMP threads busy-wait between parallel regions by default. On a 2-core machine
# with anything else running, the spinning thread and the other work starve each other:
# one training epoch took a median 48.8 s instead of 4.5 s (benchmarks/bench_lab_threads.py).
# PASSIVE makes idle threads sleep. It must be in the environment before torch's OpenMP
# runtime loads, i.e. before the first `import torch`, and every lab module imports torch
# only after this package; a value the user set is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__all__ = ["INSTALL_HINT", "LAB_NAMES", "torch_available"]

LAB_NAMES = ("gradcam", "compression")

INSTALL_HINT = (
    "ラボには PyTorch が必要です (任意の追加機能)。次のどちらかでインストールしてください:\n"
    "  pip install 'gquiz[torch]'\n"
    "  pip install torch==2.13.0   (CPU 版の wheel)\n"
    "PyTorch がなくても、ノート・問題演習など gquiz のほかの機能はそのまま使えます。"
)


def torch_available() -> bool:
    """Whether torch can be imported (checked without importing it)."""
    try:
        return importlib.util.find_spec("torch") is not None
    except (ImportError, ValueError):
        return False
