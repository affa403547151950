"""Metrics and confusion matrices against brute-force counting."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from gquiz.engine.core import EngineError
from gquiz.engine.metrics import confusion_matrix, metrics
from gquiz.render import render_steps


@given(y=st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=40))
def test_metrics_from_labels_brute_force(y):
    truth = [a for a, _ in y]
    pred = [b for _, b in y]
    cm = confusion_matrix([int(v) for v in truth], [int(v) for v in pred], labels=[0, 1]).answer
    ans = metrics(cm["tp"], cm["fp"], cm["fn"], cm["tn"]).answer
    tp = sum(a and b for a, b in y)
    fp = sum((not a) and b for a, b in y)
    fn = sum(a and not b for a, b in y)
    tn = sum((not a) and not b for a, b in y)
    assert (cm["tp"], cm["fp"], cm["fn"], cm["tn"]) == (tp, fp, fn, tn)
    assert ans["accuracy"] == pytest.approx(np.mean([a == b for a, b in y]))
    assert ans["precision"] == (tp / (tp + fp) if tp + fp else 0)
    assert ans["recall"] == (tp / (tp + fn) if tp + fn else 0)
    assert ans["specificity"] == (tn / (tn + fp) if tn + fp else 0)
    assert ans["f1"] == pytest.approx(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0)


def test_zero_denominator_follows_zero_division_0_and_says_so():
    sol = metrics(0, 0, 5, 5)
    assert sol.answer["precision"] == 0
    assert sol.answer["f1"] == 0
    text = "\n".join(render_steps(sol))
    assert "zero_division=0" in text
    assert "適合率 = 0" in text
    assert sol.to_json()["answer"]["precision"] == 0


def test_f1_is_zero_when_tp_is_zero_with_the_convention_in_the_steps():
    """issue 13: F1 was shown as 「未定義」 for tp = 0, fp > 0, fn > 0 (it is 0)."""
    sol = metrics(0, 15, 13, 0)
    assert sol.answer["f1"] == 0
    lines = render_steps(sol)
    f1_line = next(line for line in lines if line.startswith("F1"))
    assert "0 / 28 = 0" in f1_line
    assert "zero_division=0" in f1_line


def test_metrics_agree_with_scikit_learn_zero_division_0():
    sklearn = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    for _ in range(200):
        y_true = rng.integers(0, 2, size=int(rng.integers(1, 12)))
        y_pred = rng.integers(0, 2, size=y_true.size)
        cm = confusion_matrix(y_true.tolist(), y_pred.tolist(), labels=[0, 1]).answer
        ans = metrics(cm["tp"], cm["fp"], cm["fn"], cm["tn"]).answer
        kw = {"zero_division": 0, "labels": [0, 1]}
        assert ans["precision"] == pytest.approx(sklearn.precision_score(y_true, y_pred, **kw))
        assert ans["recall"] == pytest.approx(sklearn.recall_score(y_true, y_pred, **kw))
        assert ans["f1"] == pytest.approx(sklearn.f1_score(y_true, y_pred, **kw))


def test_textbook_lines():
    lines = render_steps(metrics(40, 10, 20, 30))
    assert "適合率 = (TP) / (TP + FP) = (40) / (40 + 10) = 40 / 50 = 0.8" in lines
    assert (
        "F1 = 2 × 適合率 × 再現率 / (適合率 + 再現率) = 2 × 0.8 × 0.6667 / (0.8 + 0.6667) = 0.7273"
        in lines
    )


@given(
    y=st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), min_size=1, max_size=30)
)
def test_multiclass_confusion(y):
    t, p = [a for a, _ in y], [b for _, b in y]
    ans = confusion_matrix(t, p, labels=["a", "b", "c"]).answer
    for i, a in enumerate("abc"):
        for j, b in enumerate("abc"):
            assert ans["matrix"][i, j] == sum(1 for u, v in y if u == a and v == b)


def test_confusion_errors_and_default_labels():
    assert_array_equal(confusion_matrix([1, 0, 1], [1, 1, 0]).answer["matrix"], [[0, 1], [1, 1]])
    with pytest.raises(EngineError, match="y_pred"):
        confusion_matrix([1, 0], [1])
    with pytest.raises(EngineError, match="tp"):
        metrics(-1, 0, 0, 0)
    with pytest.raises(EngineError, match="labels"):
        confusion_matrix([1, 2], [1, 1], labels=[1])
