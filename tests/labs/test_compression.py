"""Compression lab: what each row claims is what the models are."""

from __future__ import annotations

import pytest

pytest.importorskip("torch")

from gquiz.labs.texts import compression_questions, format_table  # noqa: E402

KEYS = [
    "fp32",
    "int8",
    "prune50",
    "prune50_ft",
    "prune80",
    "prune80_ft",
    "prune95",
    "prune95_ft",
    "student_kd",
    "student_hard",
]


def test_table_has_every_model(report) -> None:
    assert [r.key for r in report.rows] == KEYS
    for r in report.rows:
        assert r.size_bytes > 0
        assert 0.0 <= r.accuracy <= 1.0
        assert r.latency_ms > 0
        assert r.batch_ms > 0
    lines = format_table(report)
    assert len(lines) == 2 + len(KEYS)


def test_int8_weights_are_four_times_smaller(report) -> None:
    # The conv/linear weights themselves: exactly 4 bytes -> 1 byte each.
    assert report.weight_bytes_fp32 / report.weight_bytes_int8 == pytest.approx(4.0)
    fp32, int8 = report.row("fp32"), report.row("int8")
    ratio = fp32.size_bytes / int8.size_bytes
    # The whole serialized state_dict shrinks less than 4x on a model this small (23 k
    # weights, ~92 KB in float32): the int8 file also holds the float32 biases, per-channel
    # scales (float64) and zero points (int64) for 115 output channels, one scale/zero point
    # per activation, and torch.save's per-tensor zip entries and pickled metadata — together
    # ~10 KB next to ~23 KB of int8 weights. Measured here: about 2.9x.
    assert 2.5 <= ratio <= 4.5
    overhead_int8 = int8.size_bytes - report.weight_bytes_int8
    overhead_fp32 = fp32.size_bytes - report.weight_bytes_fp32
    assert overhead_int8 > overhead_fp32, "quantization adds scales and zero points"
    assert int8.parameters == fp32.parameters
    assert int8.accuracy >= fp32.accuracy - 0.02, "int8 keeps the accuracy"


@pytest.mark.parametrize("level", [50, 80, 95])
def test_pruned_sparsity_is_what_was_asked(report, level: int) -> None:
    for key in (f"prune{level}", f"prune{level}_ft"):
        row = report.row(key)
        assert abs(row.sparsity - level / 100) <= 0.005, (key, row.sparsity)
        # Dense storage: zeros cost as much as any other float...
        assert abs(row.size_bytes - report.row("fp32").size_bytes) < 512
    # ...until the bytes are compressed.
    assert report.row(f"prune{level}").zlib_bytes < report.row("fp32").zlib_bytes


def test_fine_tuning_recovers_heavy_pruning(report) -> None:
    fp32 = report.row("fp32").accuracy
    assert report.row("prune95").accuracy < fp32 - 0.1
    assert report.row("prune95_ft").accuracy > report.row("prune95").accuracy
    assert report.row("prune80_ft").accuracy >= report.row("prune80").accuracy


def test_students_are_small_and_share_everything_but_the_loss(report) -> None:
    kd, hard = report.row("student_kd"), report.row("student_hard")
    assert kd.parameters == hard.parameters == report.student_parameters
    assert report.student_parameters * 3 < report.teacher_parameters
    assert kd.size_bytes == hard.size_bytes


def test_distilled_student_beats_the_hard_label_student(report) -> None:
    # Seed 0 (the lab's default), torch 2.13 CPU, 2 threads: 94.5 % vs 90.7 %. With only 150
    # labelled images the distilled student was ahead or level for all of student seeds 0-4
    # (benchmarks/bench_labs.py prints them); the margin is a few points, because with three
    # classes the soft targets carry only two "how similar" numbers per image.
    kd, hard = report.row("student_kd"), report.row("student_hard")
    assert kd.accuracy > hard.accuracy
    assert kd.accuracy < report.row("fp32").accuracy


def test_questions_follow_from_the_numbers(report) -> None:
    questions = compression_questions(report)
    assert 3 <= len(questions) <= 4
    for q in questions:
        assert 0 <= q.answer < len(q.choices)
        assert q.explanation
    smallest, prune95, int8, distill = questions
    sizes = {r.name: r.size_bytes for r in report.rows}
    assert sizes[smallest.choices[smallest.answer]] == min(sizes[c] for c in smallest.choices)
    drop = report.row("fp32").accuracy - report.row("prune95").accuracy
    assert prune95.answer == (2 if drop > 0.10 else 1 if drop >= 0.01 else 0)
    assert int8.choices[int8.answer] in ("約 1/2", "約 1/4")
    kd, hard = report.row("student_kd").accuracy, report.row("student_hard").accuracy
    assert distill.answer == (0 if kd > hard else 1 if kd < hard else 2)
