"""Deterministic CPU training of the labs' models, with a progress callback and a cache.

Determinism: ``torch.manual_seed``, ``torch.use_deterministic_algorithms(True)``, two
intra-op threads, and mini-batch order drawn from a NumPy ``Generator`` seeded with the same
seed. The global torch settings are restored afterwards (:func:`torch_settings`), so the
labs do not change how the rest of the process (e.g. the engine's torch oracles) runs.

Trained teachers are cached in memory per ``(seed, config)`` and, optionally, on disk under
``gquiz.locations.data_dir() / "labs"`` (a ``state_dict`` file keyed by seed, config,
gquiz's model version and torch's version).
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from gquiz.labs.data import ShapeSet, make_splits, preprocess

if TYPE_CHECKING:
    import torch
    from torch import nn

__all__ = [
    "Progress",
    "TrainConfig",
    "Trained",
    "accuracy",
    "clear_cache",
    "get_trained",
    "logits",
    "torch_settings",
    "train_classifier",
]

Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)``: the same shape as the bank's build progress."""

THREADS = 2
# Part of the disk cache key: bump when the data, preprocessing, architecture or recipe change.
MODEL_VERSION = 2


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides the trained weights (with the seed)."""

    n_train: int = 3000
    n_test: int = 600
    epochs: int = 6
    batch_size: int = 64
    lr: float = 3e-3


@dataclass
class Trained:
    """A trained teacher with its data, as returned by :func:`get_trained`."""

    seed: int
    config: TrainConfig
    model: nn.Sequential
    train: ShapeSet
    test: ShapeSet
    train_seconds: float
    test_accuracy: float
    from_disk: bool = False
    extras: dict[str, Any] = field(default_factory=dict)
    """Per-model memo (e.g. the compression report), filled by the labs."""


def _noop(_done: int, _total: int, _what: str) -> None:
    pass


@contextlib.contextmanager
def torch_settings(threads: int = THREADS, deterministic: bool = True) -> Iterator[None]:
    """Two threads and (by default) deterministic algorithms for the duration of the block.

    Quantized int8 kernels have no "deterministic" flavour registered (``quantized::linear``
    raises under ``use_deterministic_algorithms(True)``), so the int8 model is evaluated
    inside ``torch_settings(deterministic=False)``; its inference is fixed-point arithmetic
    and gives the same result on every run anyway.
    """
    import torch

    old_threads = torch.get_num_threads()
    old_det = torch.are_deterministic_algorithms_enabled()
    old_warn = torch.is_deterministic_algorithms_warn_only_enabled()
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(deterministic)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(old_det, warn_only=old_warn)
        torch.set_num_threads(old_threads)


def as_tensor(images: np.ndarray) -> torch.Tensor:
    """(N, 32, 32) raw NumPy images → the models' (N, 1, 32, 32) input (see :func:`preprocess`)."""
    import torch

    return torch.from_numpy(np.ascontiguousarray(preprocess(images))).unsqueeze(1)


def logits(model: nn.Module, images: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """Logits of ``model`` (eval mode, no grad) on NumPy images, as a NumPy array."""
    import torch

    model.eval()
    x = as_tensor(images)
    out = []
    with torch.no_grad():
        for i in range(0, x.shape[0], batch_size):
            out.append(model(x[i : i + batch_size]))
    return torch.cat(out).numpy()


def accuracy(model: nn.Module, data: ShapeSet) -> float:
    """Fraction of ``data`` classified correctly."""
    return float(np.mean(logits(model, data.images).argmax(1) == data.labels))


def train_classifier(
    model: nn.Module,
    data: ShapeSet,
    *,
    seed: int,
    epochs: int,
    batch_size: int = 64,
    lr: float = 3e-3,
    teacher_logits: np.ndarray | None = None,
    temperature: float = 4.0,
    alpha: float = 0.7,
    progress: Progress | None = None,
    what: str = "学習",
    cosine: bool = False,
) -> nn.Module:
    """Train ``model`` in place with Adam on ``data`` (call inside :func:`torch_settings`).

    Without ``teacher_logits`` the loss is cross-entropy on the hard labels. With them it is
    Hinton's distillation loss ``α·T²·KL(p_teacher^T ‖ p_student^T) + (1 − α)·CE`` (the same
    convention as :func:`gquiz.engine.distill.distillation_loss`). Pruned models (with
    ``torch.nn.utils.prune`` masks) keep their zeros: the mask is applied in every forward.
    ``cosine`` decays the learning rate to zero over the run (cosine annealing), which makes
    the final weights of short, high-learning-rate runs far less dependent on the last batches.
    """
    import torch
    import torch.nn.functional as F

    progress = progress or _noop
    torch.manual_seed(seed)
    rng = np.random.default_rng([seed, 2])
    x_all = as_tensor(data.images)
    y_all = torch.from_numpy(data.labels)
    t_all = None if teacher_logits is None else torch.from_numpy(teacher_logits.astype(np.float32))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    n = len(data)
    steps_per_epoch = (n + batch_size - 1) // batch_size
    total = epochs * steps_per_epoch
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total) if cosine else None
    done = 0
    model.train()
    for epoch in range(epochs):
        order = torch.from_numpy(rng.permutation(n))
        for b in range(steps_per_epoch):
            idx = order[b * batch_size : (b + 1) * batch_size]
            out = model(x_all[idx])
            loss = F.cross_entropy(out, y_all[idx])
            if t_all is not None:
                t = temperature
                soft = F.kl_div(
                    F.log_softmax(out / t, dim=1),
                    F.softmax(t_all[idx] / t, dim=1),
                    reduction="batchmean",
                )
                loss = alpha * t * t * soft + (1 - alpha) * loss
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            done += 1
            if done % 5 == 0 or done == total:
                progress(done, total, f"{what} エポック {epoch + 1}/{epochs}")
    model.eval()
    return model


# -- the cached teacher ------------------------------------------------------------------------

_CACHE: dict[tuple[int, TrainConfig], Trained] = {}
_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget the in-memory models (tests use it to train again)."""
    with _LOCK:
        _CACHE.clear()


def _disk_path(seed: int, config: TrainConfig) -> Path:
    import torch

    from gquiz import locations

    key = repr((MODEL_VERSION, seed, sorted(asdict(config).items()), torch.__version__))
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return locations.data_dir() / "labs" / f"cnn-seed{seed}-{digest}.pt"


def get_trained(
    seed: int = 0,
    config: TrainConfig | None = None,
    *,
    progress: Progress | None = None,
    disk_cache: bool = True,
) -> Trained:
    """The lab's teacher for ``seed``: from memory, else from disk, else trained now.

    Thread-safe: two workers asking for the same seed train it once.
    """
    import torch

    from gquiz.labs.nets import build_teacher

    config = config or TrainConfig()
    progress = progress or _noop
    with _LOCK:
        hit = _CACHE.get((seed, config))
        if hit is not None:
            progress(1, 1, "学習済みモデル (メモリ)")
            return hit
        progress(0, 1, "データを生成しています")
        train, test = make_splits(seed, config.n_train, config.n_test)
        with torch_settings():
            torch.manual_seed(seed)
            model = build_teacher()
            path = _disk_path(seed, config) if disk_cache else None
            from_disk = False
            seconds = 0.0
            if path is not None and path.is_file():
                try:
                    model.load_state_dict(torch.load(path, weights_only=True))
                    from_disk = True
                    progress(1, 1, "学習済みモデル (ディスク)")
                except (RuntimeError, OSError, ValueError):
                    from_disk = False  # stale or damaged file: train again below
            if not from_disk:
                start = time.perf_counter()
                train_classifier(
                    model,
                    train,
                    seed=seed,
                    epochs=config.epochs,
                    batch_size=config.batch_size,
                    lr=config.lr,
                    progress=progress,
                    what="CNN を学習",
                )
                seconds = time.perf_counter() - start
                if path is not None:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    tmp = path.with_suffix(".tmp")
                    torch.save(model.state_dict(), tmp)
                    tmp.replace(path)
            model.eval()
            acc = accuracy(model, test)
        trained = Trained(seed, config, model, train, test, seconds, acc, from_disk)
        _CACHE[(seed, config)] = trained
        return trained
