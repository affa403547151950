"""Compression lab: int8 quantization, magnitude pruning and distillation, measured.

Every row of the table is measured on this machine, on the lab's test images:

* **size**: bytes of the serialized ``state_dict`` (``torch.save`` into memory), and the same
  bytes compressed with zlib (zeros left by pruning only pay off once compressed or stored
  sparsely: a dense tensor keeps its size whatever its values);
* **accuracy** on the test split;
* **latency**: median wall time of one forward pass on one image (and on a batch), 2 threads,
  after warm-up runs, with the spread (half the interquartile range) shown beside it: on a
  busy machine a single timing is noise, and the spread says how much to trust the median.

Quantization is eager-mode static post-training quantization (``torch.ao.quantization``):
conv+ReLU fused, observers calibrated on training images, fbgemm (x86) or qnnpack (ARM).
Pruning is global L1 unstructured (``torch.nn.utils.prune.global_unstructured``) over the
conv and linear weights, with and without a short fine-tune that keeps the masks.
Distillation trains the same small student twice from the same initial weights, batches and
epochs: once on hard labels only, once with ``α·T²·KL(p_teacher^T ‖ p_student^T) + (1−α)·CE``.
"""

from __future__ import annotations

import copy
import io
import statistics
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from gquiz.labs.train import Progress, Trained
from gquiz.text.numbers import pct

if TYPE_CHECKING:
    import torch
    from torch import nn

__all__ = [
    "CompressionConfig",
    "CompressionReport",
    "Row",
    "get_report",
    "run_compression",
    "train_students",
]


@dataclass(frozen=True)
class CompressionConfig:
    sparsities: tuple[float, ...] = (0.5, 0.8, 0.95)
    finetune_epochs: int = 1
    finetune_lr: float = 1e-3
    calibration_images: int = 512
    temperature: float = 2.0
    alpha: float = 0.5
    student_train: int = 150
    """Images the students learn from (a subset of the teacher's training set): distillation
    has the most to give when labelled examples are few. Measured over student seeds 0-4
    (benchmarks/bench_labs.py): with 150 images the distilled student is ahead or level in
    all five; with 300 or 3000 the two are level on average and the sign flips with the seed."""
    student_epochs: int = 60
    student_lr: float = 1e-2
    student_cosine: bool = True
    """Cosine-annealed learning rate: without it, short runs at this rate end wherever the last
    batches left them and the comparison is mostly noise (seen: 68 % vs 95 %)."""
    student_batch: int = 16
    latency_repeats: int = 30
    batch: int = 256
    batch_repeats: int = 7
    warmup: int = 3
    """Untimed runs before timing (first calls allocate buffers and pick kernels)."""


@dataclass(frozen=True)
class Row:
    """One model of the table."""

    key: str
    """Stable id: ``fp32``, ``int8``, ``prune50``, ``prune50_ft``, ``student_kd``, ..."""
    name: str
    """Japanese label."""
    size_bytes: int
    zlib_bytes: int
    parameters: int
    """Weights and biases of the model (conv + linear)."""
    nonzero: int
    """Of the conv/linear weights (biases excluded), how many are not zero."""
    weights: int
    """Number of conv/linear weights (biases excluded)."""
    accuracy: float
    latency_ms: float
    """Median time of one forward pass on one image."""
    batch_ms: float
    """Median time of one forward pass on a batch of ``CompressionConfig.batch`` images."""
    latency_spread_ms: float = 0.0
    """Half the interquartile range of the one-image timings (the ± shown in the table)."""
    batch_spread_ms: float = 0.0
    """The same for the batch timings."""

    @property
    def sparsity(self) -> float:
        """Fraction of conv/linear weights that are exactly zero."""
        return 1.0 - self.nonzero / self.weights if self.weights else 0.0


@dataclass
class CompressionReport:
    seed: int
    config: CompressionConfig
    rows: list[Row]
    backend: str
    weight_bytes_fp32: int
    """Bytes of the conv/linear weight tensors in float32 (4 bytes each)."""
    weight_bytes_int8: int
    """Bytes of the same weights once quantized (1 byte each)."""
    teacher_parameters: int
    student_parameters: int
    seconds: float
    threads: int
    n_test: int

    def row(self, key: str) -> Row:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)


def state_dict_bytes(model: nn.Module) -> bytes:
    """The model's ``state_dict`` as ``torch.save`` writes it."""
    import torch

    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.getvalue()


def _weight_tensors(model: nn.Module) -> list[torch.Tensor]:
    """Float weights of conv/linear layers, or the int8 weights of quantized layers."""
    from torch import nn

    out = []
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            out.append(m.weight.detach())
        elif callable(packed := getattr(m, "weight", None)):
            # Quantized conv/linear modules (ConvReLU2d, Linear, ...) keep packed int8
            # weights behind a `weight()` method instead of a Parameter.
            out.append(packed().int_repr())
    return out


def _packed_bias(m: nn.Module) -> torch.Tensor | None:
    """The bias of a quantized layer, kept behind a `bias()` method (None for other layers)."""
    packed = getattr(m, "bias", None)
    return packed() if callable(packed) else None


def timing_summary(times: list[float]) -> tuple[float, float]:
    """(median, half the interquartile range) of timings; with under 4 timings the half range."""
    if len(times) >= 4:
        q1, _, q3 = statistics.quantiles(times, n=4, method="inclusive")
    else:
        q1, q3 = min(times), max(times)
    return statistics.median(times), (q3 - q1) / 2


def _latency(
    model: nn.Module, x: torch.Tensor, repeats: int, warmup: int = 3
) -> tuple[float, float]:
    """(median, spread) in milliseconds of ``model(x)`` over ``repeats`` timed runs, after
    ``warmup`` untimed ones (see :func:`timing_summary`)."""
    import torch

    times = []
    with torch.no_grad():
        for i in range(repeats + warmup):
            start = time.perf_counter()
            model(x)
            if i >= warmup:
                times.append((time.perf_counter() - start) * 1000)
    return timing_summary(times)


def _measure(
    key: str, name: str, model: nn.Module, trained: Trained, cfg: CompressionConfig
) -> Row:
    from gquiz.labs.train import accuracy, as_tensor

    model.eval()
    raw = state_dict_bytes(model)
    weights = _weight_tensors(model)
    n_weights = sum(int(w.numel()) for w in weights)
    nonzero = sum(int((w != 0).sum()) for w in weights)
    params = sum(p.numel() for p in model.parameters())
    if params == 0:  # a quantized model keeps its weights in packed params, not parameters()
        params = n_weights + sum(
            int(b.numel()) for m in model.modules() if (b := _packed_bias(m)) is not None
        )
    one = as_tensor(trained.test.images[:1])
    batch = as_tensor(trained.test.images[: cfg.batch])
    latency, latency_spread = _latency(model, one, cfg.latency_repeats, cfg.warmup)
    batch_ms, batch_spread = _latency(model, batch, cfg.batch_repeats, cfg.warmup)
    return Row(
        key=key,
        name=name,
        size_bytes=len(raw),
        zlib_bytes=len(zlib.compress(raw, 9)),
        parameters=int(params),
        nonzero=nonzero,
        weights=n_weights,
        accuracy=accuracy(model, trained.test),
        latency_ms=latency,
        batch_ms=batch_ms,
        latency_spread_ms=latency_spread,
        batch_spread_ms=batch_spread,
    )


def quantize_static(model: nn.Module, calibration: np.ndarray) -> tuple[nn.Module, str]:
    """Eager-mode static PTQ of a copy of ``model``: fuse, observe, convert. → (model, backend)."""
    import warnings

    import torch
    from torch.ao import quantization as tq

    from gquiz.labs.nets import FUSE_GROUPS
    from gquiz.labs.train import as_tensor

    engines = torch.backends.quantized.supported_engines
    backend = "fbgemm" if "fbgemm" in engines else "qnnpack"
    torch.backends.quantized.engine = backend
    q = copy.deepcopy(model).eval()
    tq.fuse_modules(q, FUSE_GROUPS, inplace=True)
    # torch 2.13 warns that eager-mode quantization (reduce_range, quantize_per_channel) is
    # deprecated in favour of torchao; it still works, and torchao is not a dependency here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        q.qconfig = tq.get_default_qconfig(backend)
        tq.prepare(q, inplace=True)
        with torch.no_grad():
            x = as_tensor(calibration)
            for i in range(0, x.shape[0], 128):
                q(x[i : i + 128])
        tq.convert(q, inplace=True)
    return q, backend


def prune_global(model: nn.Module, sparsity: float) -> nn.Module:
    """A copy of ``model`` with the smallest ``sparsity`` of all conv/linear weights masked."""
    import torch.nn.utils.prune as prune

    from gquiz.labs.nets import prunable

    pruned = copy.deepcopy(model)
    prune.global_unstructured(
        prunable(pruned), pruning_method=prune.L1Unstructured, amount=sparsity
    )
    return pruned


def make_permanent(model: nn.Module) -> nn.Module:
    """Fold the pruning masks into the weights (``prune.remove``): plain tensors with zeros."""
    import torch.nn.utils.prune as prune

    from gquiz.labs.nets import prunable

    for module, name in prunable(model):
        if prune.is_pruned(module):
            prune.remove(module, name)
    return model


def train_students(
    trained: Trained,
    config: CompressionConfig | None = None,
    seed: int | None = None,
    progress: Callable[[str], Progress] | None = None,
) -> dict[str, nn.Module]:
    """The two students, ``student_kd`` and ``student_hard``: same initial weights (from
    ``seed``, default the teacher's), same batches, same epochs; only the loss differs.
    Call inside :func:`gquiz.labs.train.torch_settings`."""
    import torch

    from gquiz.labs.nets import build_student
    from gquiz.labs.train import logits, train_classifier

    cfg = config or CompressionConfig()
    seed = trained.seed if seed is None else seed
    subset = trained.train.subset(cfg.student_train)
    teacher_logits = logits(trained.model, subset.images)
    torch.manual_seed(seed)
    initial = build_student().state_dict()
    students: dict[str, nn.Module] = {}
    for key, use_teacher in (("student_kd", True), ("student_hard", False)):
        student = build_student()
        student.load_state_dict(initial)
        train_classifier(
            student,
            subset,
            seed=seed,
            epochs=cfg.student_epochs,
            lr=cfg.student_lr,
            batch_size=cfg.student_batch,
            cosine=cfg.student_cosine,
            teacher_logits=teacher_logits if use_teacher else None,
            temperature=cfg.temperature,
            alpha=cfg.alpha,
            progress=progress("生徒を蒸留" if use_teacher else "生徒を正解ラベルで学習")
            if progress
            else None,
        )
        students[key] = student
    return students


def run_compression(
    trained: Trained, config: CompressionConfig | None = None, progress: Progress | None = None
) -> CompressionReport:
    """Build and measure every row of the table (≈ 10 s on two idle cores)."""
    from gquiz.labs.nets import count_parameters
    from gquiz.labs.train import THREADS, torch_settings, train_classifier

    cfg = config or CompressionConfig()
    teacher = trained.model
    seed = trained.seed
    n_ft = len(cfg.sparsities)
    total = 3 + 2 * n_ft + 1
    done = 0

    def step(what: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, what)

    def sub(what: str) -> Progress:
        # Fine-grained progress of a training run, shown within the current step.
        def report(d: int, t: int, _w: str) -> None:
            if progress:
                progress(done, total, f"{what} {d}/{t}")

        return report

    start = time.perf_counter()
    rows: list[Row] = []
    with torch_settings():
        if progress:
            progress(0, total, "元のモデルを測定")
        rows.append(_measure("fp32", "元のモデル (FP32)", teacher, trained, cfg))
        step("int8 量子化 (キャリブレーション)")
        qmodel, backend = quantize_static(teacher, trained.train.images[: cfg.calibration_images])
        with torch_settings(deterministic=False):
            rows.append(_measure("int8", "int8 量子化 (静的)", qmodel, trained, cfg))
        w32 = sum(int(w.numel()) * 4 for w in _weight_tensors(teacher))
        w8 = sum(int(w.numel()) * w.element_size() for w in _weight_tensors(qmodel))
        step("プルーニング")
        for s in cfg.sparsities:
            level = round(s * 100)  # the row id: prune50, prune95
            # A module pruned with masks cannot be deep-copied (its `weight` is computed), so
            # the same masks are computed twice: once kept as they are, once fine-tuned.
            rows.append(
                _measure(
                    f"prune{level}",
                    f"枝刈り {pct(s)}",
                    make_permanent(prune_global(teacher, s)),
                    trained,
                    cfg,
                )
            )
            pruned = prune_global(teacher, s)
            step(f"枝刈り {pct(s)} の再学習")
            train_classifier(
                pruned,
                trained.train,
                seed=seed,
                epochs=cfg.finetune_epochs,
                lr=cfg.finetune_lr,
                progress=sub(f"枝刈り {pct(s)} の再学習"),
            )
            rows.append(
                _measure(
                    f"prune{level}_ft",
                    f"枝刈り {pct(s)}+再学習",
                    make_permanent(pruned),
                    trained,
                    cfg,
                )
            )
            step("枝刈り")
        students = train_students(trained, cfg, seed, progress=sub)
        step("生徒モデル")
        t = f"{cfg.temperature:g}"
        rows.append(
            _measure("student_kd", f"生徒: 蒸留 T={t}", students["student_kd"], trained, cfg)
        )
        rows.append(
            _measure("student_hard", "生徒: 正解ラベルのみ", students["student_hard"], trained, cfg)
        )
        step("完了")
    return CompressionReport(
        seed=seed,
        config=cfg,
        rows=rows,
        backend=backend,
        weight_bytes_fp32=w32,
        weight_bytes_int8=w8,
        teacher_parameters=count_parameters(teacher),
        student_parameters=count_parameters(students["student_kd"]),
        seconds=time.perf_counter() - start,
        threads=THREADS,
        n_test=len(trained.test),
    )


_REPORT_LOCK = threading.Lock()


def get_report(trained: Trained, progress: Progress | None = None) -> CompressionReport:
    """The compression report of ``trained``, measured once and then kept with the model."""
    with _REPORT_LOCK:
        report = trained.extras.get("compression")
        if report is None:
            report = run_compression(trained, progress=progress)
            trained.extras["compression"] = report
        elif progress:
            progress(1, 1, "測定済み")
        return report
