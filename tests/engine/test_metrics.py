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
    assert ans["precision"] == (tp / (tp + fp) if tp + fp else None)
    assert ans["recall"] == (tp / (tp + fn) if tp + fn else None)
    assert ans["specificity"] == (tn / (tn + fp) if tn + fp else None)
    p, r = ans["precision"], ans["recall"]
    if p is None or r is None or p + r == 0:
        assert ans["f1"] is None
    else:
        assert ans["f1"] == pytest.approx(2 * tp / (2 * tp + fp + fn))


def test_undefined_precision_is_a_step():
    sol = metrics(0, 0, 5, 5)
    assert sol.answer["precision"] is None
    assert sol.answer["f1"] is None
    text = "\n".join(render_steps(sol))
    assert "分母が 0 なので適合率は定義されない" in text
    assert sol.to_json()["answer"]["precision"] is None


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
