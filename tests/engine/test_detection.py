"""IoU, NMS and AP against brute force (RoI pooling tests: test_detection_torch.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from gquiz.engine.core import EngineError
from gquiz.engine.detection import average_precision, iou, nms
from gquiz.render import render_steps

coord = st.integers(0, 12)


@st.composite
def int_box(draw):
    x1, x2 = sorted((draw(coord), draw(coord)))
    y1, y2 = sorted((draw(coord), draw(coord)))
    return [x1, y1, x2 + 1, y2 + 1]


def raster(b):
    g = np.zeros((14, 14), dtype=bool)
    g[b[1] : b[3], b[0] : b[2]] = True
    return g


@given(a=int_box(), b=int_box())
def test_iou_matches_pixel_count(a, b):
    ra, rb = raster(a), raster(b)
    assert_allclose(iou(a, b).answer, (ra & rb).sum() / (ra | rb).sum())
    assert iou(a, b).answer == iou(b, a).answer


def test_iou_lines_and_errors():
    lines = render_steps(iou([0, 0, 2, 2], [1, 1, 3, 3]))
    assert lines[-1] == "IoU = 共通部分 / 和集合 = 1 / 7 = 0.1429"
    with pytest.raises(EngineError, match="box_a"):
        iou([2, 0, 0, 2], [0, 0, 1, 1])
    with pytest.raises(EngineError, match="box_b"):
        iou([0, 0, 1, 1], [0, 0, 1])


def nms_brute(boxes, scores, thr):
    """Keep a box iff no higher-ranked *kept* box overlaps it by more than thr."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    kept = []
    for i in order:
        if all(iou(boxes[i], boxes[k]).answer <= thr for k in kept):
            kept.append(i)
    return kept


@settings(max_examples=100, deadline=None)
@given(
    boxes=st.lists(int_box(), min_size=1, max_size=8),
    data=st.data(),
    thr=st.sampled_from([0.0, 0.3, 0.5, 0.7, 1.0]),
)
def test_nms_matches_brute_force(boxes, data, thr):
    scores = data.draw(st.lists(st.integers(0, 5), min_size=len(boxes), max_size=len(boxes)))
    assert nms(boxes, scores, thr).answer == nms_brute(boxes, scores, thr)


def ap_brute(pred, scores, gt, thr):
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    used, tps = set(), []
    for i in order:
        ious = [iou(pred[i], g).answer for g in gt]
        j = int(np.argmax(ious))
        ok = ious[j] >= thr and j not in used
        if ok:
            used.add(j)
        tps.append(ok)
    tp = np.cumsum(tps)
    prec = tp / np.arange(1, len(tps) + 1)
    rec = tp / len(gt)
    # VOC2010 code: pad, make precision monotone, sum where recall changes
    mrec = np.concatenate([[0.0], rec, [1.0]])
    mpre = np.concatenate([[0.0], prec, [0.0]])
    for k in range(len(mpre) - 2, -1, -1):
        mpre[k] = max(mpre[k], mpre[k + 1])
    idx = np.where(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[idx + 1] - mrec[idx]) * mpre[idx + 1])), prec, rec


@settings(max_examples=100, deadline=None)
@given(
    pred=st.lists(int_box(), min_size=1, max_size=7),
    gt=st.lists(int_box(), min_size=1, max_size=4),
    data=st.data(),
    thr=st.sampled_from([0.3, 0.5, 0.75]),
)
def test_ap_matches_voc_code(pred, gt, data, thr):
    scores = data.draw(st.lists(st.floats(0, 1), min_size=len(pred), max_size=len(pred)))
    ans = average_precision(pred, scores, gt, thr).answer
    ap, prec, rec = ap_brute(pred, scores, gt, thr)
    assert_allclose(ans["ap"], ap, atol=1e-12)
    assert_allclose(ans["precision"], prec)
    assert_allclose(ans["recall"], rec)


def test_ap_worked_example():
    sol = average_precision(
        [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [50, 50, 60, 60]],
        [0.9, 0.8, 0.7, 0.6],
        [[0, 0, 10, 10], [20, 20, 30, 31], [70, 70, 80, 80]],
    )
    assert_allclose(sol.answer["ap"], 1 / 3 * 1 + 1 / 3 * 2 / 3)
    assert sol.answer["tp"] == [True, False, True, False]
    assert any("全点補間" in line for line in render_steps(sol))
    with pytest.raises(EngineError, match="gt_boxes"):
        average_precision([[0, 0, 1, 1]], [0.5], [])
