"""Object detection: IoU, NMS, precision / recall / AP, RoI pooling and RoIAlign.

Conventions:

* boxes are ``[x1, y1, x2, y2]`` in continuous coordinates; area ``(x2 − x1)(y2 − y1)``
  (no "+1" pixel convention), as ``torchvision.ops.box_iou``.
* NMS: boxes are visited by descending score (equal scores: lower index first); a box is
  suppressed when its IoU with a kept box is **greater than** the threshold
  (``torchvision.ops.nms``). The kept indices come back in score order.
* AP (single class, single image): detections sorted by descending score; each is
  matched to the ground-truth box with the highest IoU; it is a true positive when that
  IoU ≥ the threshold and the box is not already matched (VOC rule), otherwise a false
  positive. AP uses **all-point interpolation** (PASCAL VOC 2010+): the precision
  envelope ``p_interp(r) = max_{r' ≥ r} p(r')`` integrated over every recall step,
  ``AP = Σ (r_k − r_{k−1}) · p_interp(r_k)``. (COCO averages 101 recall points instead.)
* RoI pooling and RoIAlign follow torchvision's CPU kernels (``roi_pool``: RoI corners
  rounded to pixels, inclusive, bins ``floor``/``ceil``; ``roi_align``: bilinear samples,
  ``sampling_ratio`` points per bin side, ``aligned`` shifts by −0.5).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gquiz.engine.core import (
    EngineError,
    Solution,
    Step,
    as_array,
    as_bool,
    as_float,
    as_int,
    as_pair,
    check_size,
)
from gquiz.engine.registry import solver

# Every bin is a worked step and every sample a bilinear interpolation done in Python.
MAX_ROI_BINS = 4096
MAX_ROI_SAMPLES = 200_000
# NMS and AP compare boxes pairwise in Python, one worked step per comparison.
MAX_BOX_PAIRS = 250_000


def _box(b: Any, name: str) -> np.ndarray:
    a = as_array(b, name, ndim=1)
    if a.shape[0] != 4:
        raise EngineError(
            f"{name} は [x1, y1, x2, y2] の 4 要素で指定してください（{a.shape[0]} 要素）"
        )
    if a[2] < a[0] or a[3] < a[1]:
        raise EngineError(f"{name} は x1 ≤ x2 かつ y1 ≤ y2 でなければならない")
    return a


def _boxes(b: Any, name: str) -> np.ndarray:
    if (isinstance(b, (list, tuple)) and len(b) == 0) or (
        isinstance(b, np.ndarray) and b.size == 0
    ):
        return np.zeros((0, 4))
    a = as_array(b, name, ndim=2)
    if a.shape[1] != 4:
        raise EngineError(f"{name} の各行は [x1, y1, x2, y2] の 4 要素で指定してください")
    if np.any(a[:, 2] < a[:, 0]) or np.any(a[:, 3] < a[:, 1]):
        raise EngineError(f"{name} の各行は x1 ≤ x2 かつ y1 ≤ y2 でなければならない")
    return a


def _iou(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float, float]:
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    area_a = (a[2] - a[0]) * (a[3] - a[1])
    area_b = (b[2] - b[0]) * (b[3] - b[1])
    union = area_a + area_b - inter
    return (inter / union if union > 0 else 0.0), inter, area_a, area_b


@solver(
    "iou",
    "2つの矩形の IoU (共通部分の面積 / 和集合の面積)",
    {"box_a": "矩形 A [x1, y1, x2, y2]", "box_b": "矩形 B [x1, y1, x2, y2]"},
)
def iou(box_a: Any, box_b: Any) -> Solution:
    """Intersection over union of two boxes ``[x1, y1, x2, y2]``.

    Examples
    --------
    >>> iou([0, 0, 2, 2], [1, 1, 3, 3]).answer   # 1 / (4 + 4 − 1)
    0.14285714285714285
    """
    a, b = _box(box_a, "box_a"), _box(box_b, "box_b")
    value, inter, area_a, area_b = _iou(a, b)
    steps = (
        Step(
            "iou",
            {
                "a": a,
                "b": b,
                "iw": max(0.0, min(a[2], b[2]) - max(a[0], b[0])),
                "ih": max(0.0, min(a[3], b[3]) - max(a[1], b[1])),
                "inter": inter,
                "area_a": area_a,
                "area_b": area_b,
                "union": area_a + area_b - inter,
                "iou": value,
            },
        ),
    )
    return Solution(float(value), steps)


def _score_order(scores: np.ndarray) -> np.ndarray:
    return np.argsort(-scores, kind="stable")


@solver(
    "nms",
    "Non-Maximum Suppression (スコアの高い順に残し、IoU がしきい値を超える矩形を除く)",
    {"boxes": "矩形のリスト (N×4)", "scores": "スコア (長さ N)", "threshold": "IoU のしきい値"},
)
def nms(boxes: Any, scores: Any, threshold: Any) -> Solution:
    """Greedy NMS; returns kept indices in descending score order (``torchvision.ops.nms``).

    Examples
    --------
    >>> nms([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], [0.9, 0.8, 0.7], 0.5).answer
    [0, 2]
    """
    bx = _boxes(boxes, "boxes")
    sc = as_array(scores, "scores", ndim=1)
    if sc.shape[0] != bx.shape[0]:
        raise EngineError(
            f"scores の長さ ({sc.shape[0]}) が boxes の数 ({bx.shape[0]}) と一致しない"
        )
    thr = as_float(threshold, "threshold", min_value=0, max_value=1)
    check_size(len(sc) ** 2, "IoU を比べる矩形の組", MAX_BOX_PAIRS)
    order = _score_order(sc)
    steps: list[Step] = [Step("nms_order", {"order": order, "scores": sc[order]})]
    suppressed = np.zeros(len(sc), dtype=bool)
    keep: list[int] = []
    for i in order:
        if suppressed[i]:
            continue
        keep.append(int(i))
        checks = []
        for j in order:
            if j == i or suppressed[j] or j in keep:
                continue
            v = _iou(bx[i], bx[j])[0]
            if v > thr:
                suppressed[j] = True
            checks.append({"index": int(j), "iou": v, "suppressed": bool(v > thr)})
        steps.append(
            Step("nms_keep", {"index": int(i), "score": sc[i], "threshold": thr, "checks": checks})
        )
    return Solution(keep, tuple(steps))


@solver(
    "average_precision",
    "物体検出の Precision・Recall・AP (全点補間)",
    {
        "pred_boxes": "予測矩形 (N×4)",
        "scores": "予測スコア (長さ N)",
        "gt_boxes": "正解矩形 (M×4)",
        "iou_threshold": "正解とみなす IoU のしきい値 (既定 0.5)",
        "ask": '途中式に出すもの: "all"（既定: 対応づけの表と AP）、"ap"、"precision"、"recall"（最後の Precision / Recall）',
    },
)
def average_precision(
    pred_boxes: Any, scores: Any, gt_boxes: Any, iou_threshold: Any = 0.5, ask: str = "all"
) -> Solution:
    """Precision, recall and all-point-interpolated AP for one class in one image.

    See the module docstring for the matching rule and the interpolation. ``ask`` chooses the
    steps after the matching table: the AP interpolation (``all``, ``ap``), or the final
    precision / recall over all predictions — so a question about the final precision is not
    answered with an AP computation.
    """
    if ask not in ("all", "ap", "precision", "recall"):
        raise EngineError(f'ask は "all"、"ap"、"precision"、"recall" のどれかです（{ask!r}）')
    pb = _boxes(pred_boxes, "pred_boxes")
    sc = as_array(scores, "scores", ndim=1, nonempty=False) if len(pb) else np.zeros(0)
    gb = _boxes(gt_boxes, "gt_boxes")
    if sc.shape[0] != pb.shape[0]:
        raise EngineError(
            f"scores の長さ ({sc.shape[0]}) が pred_boxes の数 ({pb.shape[0]}) と一致しない"
        )
    if len(gb) == 0:
        raise EngineError("gt_boxes が空なので Recall と AP が定義できない")
    thr = as_float(iou_threshold, "iou_threshold", min_value=0, max_value=1)
    check_size(len(pb) * len(gb), "IoU を比べる矩形の組", MAX_BOX_PAIRS)
    order = _score_order(sc)
    matched = np.zeros(len(gb), dtype=bool)
    rows = []
    tp_cum = fp_cum = 0
    precision, recall, is_tp = [], [], []
    for rank, i in enumerate(order):
        ious = np.array([_iou(pb[i], g)[0] for g in gb])
        best = int(np.argmax(ious))
        ok = bool(ious[best] >= thr and not matched[best])
        reason = "tp" if ok else ("low_iou" if ious[best] < thr else "duplicate")
        if ok:
            matched[best] = True
            tp_cum += 1
        else:
            fp_cum += 1
        p, r = tp_cum / (tp_cum + fp_cum), tp_cum / len(gb)
        precision.append(p)
        recall.append(r)
        is_tp.append(ok)
        rows.append(
            {
                "rank": rank + 1,
                "index": int(i),
                "score": sc[i],
                "gt": best,
                "iou": ious[best],
                "result": reason,
                "tp": tp_cum,
                "fp": fp_cum,
                "precision": p,
                "recall": r,
            }
        )
    # all-point interpolation
    envelope = list(precision)
    for k in range(len(envelope) - 2, -1, -1):
        envelope[k] = max(envelope[k], envelope[k + 1])
    terms = []
    prev_r = 0.0
    ap = 0.0
    for k, r in enumerate(recall):
        if r > prev_r:
            terms.append(
                {
                    "r_prev": prev_r,
                    "r": r,
                    "p_interp": envelope[k],
                    "area": (r - prev_r) * envelope[k],
                }
            )
            ap += (r - prev_r) * envelope[k]
            prev_r = r
    steps = [Step("ap_table", {"threshold": thr, "n_gt": len(gb), "rows": rows})]
    if ask in ("all", "ap"):
        steps.append(Step("ap_interp", {"terms": terms, "ap": ap}))
    else:
        steps.append(
            Step(
                "ap_final",
                {
                    "what": ask,
                    "tp": tp_cum,
                    "fp": fp_cum,
                    "n_gt": len(gb),
                    "value": (precision[-1] if precision else 0.0)
                    if ask == "precision"
                    else (recall[-1] if recall else 0.0),
                },
            )
        )
    answer = {
        "ap": ap,
        "precision": precision,
        "recall": recall,
        "tp": is_tp,
        "final_precision": precision[-1] if precision else None,
        "final_recall": recall[-1] if recall else 0.0,
    }
    return Solution(answer, tuple(steps))


def _feature_map(x: Any) -> np.ndarray:
    return as_array(x, "feature_map", ndim=2)


def _c_round(v: float) -> int:
    return int(math.floor(v + 0.5)) if v >= 0 else -int(math.floor(-v + 0.5))


@solver(
    "roi_pool",
    "RoI プーリング (RoI を格子に分けて各ビンの最大値)",
    {
        "feature_map": "特徴マップ (H×W)",
        "roi": "RoI [x1, y1, x2, y2] (特徴マップの座標、端を含む)",
        "output_size": "出力サイズ (整数か [縦, 横])",
        "spatial_scale": "座標の倍率 (既定 1)",
    },
)
def roi_pool(feature_map: Any, roi: Any, output_size: Any, spatial_scale: Any = 1.0) -> Solution:
    """RoI max pooling as torchvision's ``roi_pool``.

    Corners are scaled and rounded to pixels (inclusive), the RoI of ``h × w`` pixels is
    split into bins ``[floor(i·h/ph), ceil((i+1)·h/ph))``; empty bins give 0.
    """
    fm = _feature_map(feature_map)
    r = _box(roi, "roi")
    ph, pw = as_pair(output_size, "output_size", min_value=1)
    check_size(ph * pw, "出力 output_size", MAX_ROI_BINS)
    s = as_float(spatial_scale, "spatial_scale", positive=True)
    h, w = fm.shape
    x1, y1, x2, y2 = (_c_round(v * s) for v in r)
    rh, rw = max(y2 - y1 + 1, 1), max(x2 - x1 + 1, 1)
    bh, bw = rh / ph, rw / pw
    out = np.zeros((ph, pw))
    steps = [
        Step(
            "roi_grid",
            {
                "x1": x1,
                "y1": y1,
                "x2": x2,
                "y2": y2,
                "rh": rh,
                "rw": rw,
                "ph": ph,
                "pw": pw,
                "bh": bh,
                "bw": bw,
            },
        )
    ]
    for i in range(ph):
        for j in range(pw):
            hs = min(max(math.floor(i * bh) + y1, 0), h)
            he = min(max(math.ceil((i + 1) * bh) + y1, 0), h)
            ws = min(max(math.floor(j * bw) + x1, 0), w)
            we = min(max(math.ceil((j + 1) * bw) + x1, 0), w)
            region = fm[hs:he, ws:we]
            out[i, j] = region.max() if region.size else 0.0
            steps.append(
                Step(
                    "roi_bin",
                    {
                        "index": [i, j],
                        "rows": [hs, he - 1],
                        "cols": [ws, we - 1],
                        "values": region.ravel(),
                        "value": out[i, j],
                    },
                )
            )
    return Solution(out, tuple(steps))


def _bilinear(fm: np.ndarray, y: float, x: float) -> tuple[float, dict[str, Any]]:
    """torchvision's ``bilinear_interpolate`` (zero outside [−1, size], edge clamp inside)."""
    h, w = fm.shape
    if y < -1.0 or y > h or x < -1.0 or x > w:
        return 0.0, {"y": y, "x": x, "outside": True, "value": 0.0}
    y0, x0 = y, x
    y = max(y, 0.0)
    x = max(x, 0.0)
    yl, xl = int(y), int(x)
    if yl >= h - 1:
        yh = yl = h - 1
        y = float(yl)
    else:
        yh = yl + 1
    if xl >= w - 1:
        xh = xl = w - 1
        x = float(xl)
    else:
        xh = xl + 1
    ly, lx = y - yl, x - xl
    hy, hx = 1 - ly, 1 - lx
    pts = [((yl, xl), hy * hx), ((yl, xh), hy * lx), ((yh, xl), ly * hx), ((yh, xh), ly * lx)]
    val = sum(wt * fm[p] for p, wt in pts)
    return float(val), {
        "y": y0,
        "x": x0,
        "outside": False,
        "ly": ly,
        "lx": lx,
        "points": [[p[0], p[1], fm[p], wt] for p, wt in pts],
        "value": float(val),
    }


@solver(
    "bilinear",
    "双線形補間 (周囲 4 画素の重み付き平均)",
    {"feature_map": "特徴マップ (H×W)", "x": "横方向の座標", "y": "縦方向の座標"},
)
def bilinear(feature_map: Any, x: Any, y: Any) -> Solution:
    """Bilinear interpolation at ``(y, x)`` (pixel centres at integer coordinates), as in RoIAlign."""
    fm = _feature_map(feature_map)
    val, info = _bilinear(fm, as_float(y, "y"), as_float(x, "x"))
    return Solution(val, (Step("bilinear", info),))


@solver(
    "roi_align",
    "RoIAlign (各ビンの標本点を双線形補間して平均)",
    {
        "feature_map": "特徴マップ (H×W)",
        "roi": "RoI [x1, y1, x2, y2] (連続座標)",
        "output_size": "出力サイズ (整数か [縦, 横])",
        "sampling_ratio": "ビンの一辺あたりの標本点数 (既定 2、0 なら自動)",
        "aligned": "true なら座標を −0.5 ずらす (既定 false)",
        "spatial_scale": "座標の倍率 (既定 1)",
    },
)
def roi_align(
    feature_map: Any,
    roi: Any,
    output_size: Any,
    sampling_ratio: Any = 2,
    aligned: Any = False,
    spatial_scale: Any = 1.0,
) -> Solution:
    """RoIAlign as torchvision's ``roi_align``: no rounding; each bin averages
    ``sampling_ratio²`` bilinear samples at evenly spaced points inside it."""
    fm = _feature_map(feature_map)
    r = _box(roi, "roi")
    ph, pw = as_pair(output_size, "output_size", min_value=1)
    check_size(ph * pw, "出力 output_size", MAX_ROI_BINS)
    sr = as_int(sampling_ratio, "sampling_ratio", min_value=0)
    al = as_bool(aligned, "aligned")
    s = as_float(spatial_scale, "spatial_scale", positive=True)
    off = 0.5 if al else 0.0
    x1, y1, x2, y2 = r[0] * s - off, r[1] * s - off, r[2] * s - off, r[3] * s - off
    rw, rh = x2 - x1, y2 - y1
    if not al:
        rw, rh = max(rw, 1.0), max(rh, 1.0)
    bh, bw = rh / ph, rw / pw
    gh = sr if sr > 0 else math.ceil(rh / ph)
    gw = sr if sr > 0 else math.ceil(rw / pw)
    count = max(gh * gw, 1)
    check_size(ph * pw * count, "双線形補間の標本点", MAX_ROI_SAMPLES)
    out = np.zeros((ph, pw))
    steps = [
        Step(
            "roi_align_grid",
            {"x1": x1, "y1": y1, "rw": rw, "rh": rh, "bh": bh, "bw": bw, "gh": gh, "gw": gw},
        )
    ]
    for i in range(ph):
        for j in range(pw):
            samples = []
            total = 0.0
            for iy in range(gh):
                yy = y1 + i * bh + (iy + 0.5) * bh / gh
                for ix in range(gw):
                    xx = x1 + j * bw + (ix + 0.5) * bw / gw
                    v, info = _bilinear(fm, yy, xx)
                    samples.append(info)
                    total += v
            out[i, j] = total / count
            steps.append(
                Step("roi_align_bin", {"index": [i, j], "samples": samples, "value": out[i, j]})
            )
    return Solution(out, tuple(steps))
