"""Training is deterministic per seed, restores torch's global settings, and is cached."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from gquiz.labs.train import TrainConfig, clear_cache, get_trained  # noqa: E402

SMALL = TrainConfig(n_train=240, n_test=60, epochs=1, batch_size=32)


def _weights(trained) -> dict:
    return {k: v.clone() for k, v in trained.model.state_dict().items()}


def test_same_seed_gives_identical_data_and_weights() -> None:
    clear_cache()
    first = get_trained(11, SMALL, disk_cache=False)
    w1 = _weights(first)
    clear_cache()
    second = get_trained(11, SMALL, disk_cache=False)
    assert first is not second
    assert (first.train.images == second.train.images).all()
    assert (first.test.labels == second.test.labels).all()
    w2 = _weights(second)
    assert w1.keys() == w2.keys()
    for k in w1:
        assert torch.equal(w1[k], w2[k]), k


def test_other_seed_gives_other_weights() -> None:
    a = _weights(get_trained(11, SMALL, disk_cache=False))
    b = _weights(get_trained(12, SMALL, disk_cache=False))
    assert not torch.equal(a["conv1.weight"], b["conv1.weight"])


def test_memory_cache_returns_the_same_model() -> None:
    assert get_trained(11, SMALL, disk_cache=False) is get_trained(11, SMALL, disk_cache=False)


def test_disk_cache_round_trip(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GQUIZ_DATA_DIR", str(tmp_path))
    clear_cache()
    trained = get_trained(13, SMALL, disk_cache=True)
    assert not trained.from_disk
    assert list((tmp_path / "labs").glob("cnn-seed13-*.pt"))
    clear_cache()
    again = get_trained(13, SMALL, disk_cache=True)
    assert again.from_disk
    for k, v in trained.model.state_dict().items():
        assert torch.equal(v, again.model.state_dict()[k])
    assert again.test_accuracy == trained.test_accuracy


def test_torch_global_settings_are_restored() -> None:
    threads = torch.get_num_threads()
    det = torch.are_deterministic_algorithms_enabled()
    clear_cache()
    get_trained(14, SMALL, disk_cache=False)
    assert torch.get_num_threads() == threads
    assert torch.are_deterministic_algorithms_enabled() == det


def test_progress_callback_reaches_the_end() -> None:
    seen: list[tuple[int, int, str]] = []
    clear_cache()
    get_trained(15, SMALL, disk_cache=False, progress=lambda d, t, w: seen.append((d, t, w)))
    done, total, _ = seen[-1]
    assert done == total
    assert total > 1
    assert any("エポック" in w for _, _, w in seen)


def test_the_lab_model_learns_the_shapes(trained) -> None:
    assert trained.test_accuracy >= 0.95
    assert trained.train_seconds > 0  # trained in this session, not read from a file
    # GAP then one linear layer: what makes CAM possible.
    names = list(dict(trained.model.named_children()))
    assert names[-4:] == ["gap", "flatten", "fc", "dequant"]
