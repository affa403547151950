"""Renderers for :mod:`gquiz.engine.detection` steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_num as f


def iou(step: Step) -> str:
    a = step.args
    return "\n".join(
        [
            f"共通部分 = 幅 {f(a['iw'])} × 高さ {f(a['ih'])} = {f(a['inter'])}",
            f"和集合 = 面積A + 面積B − 共通部分 = {f(a['area_a'])} + {f(a['area_b'])} − {f(a['inter'])} = {f(a['union'])}",
            f"IoU = 共通部分 / 和集合 = {f(a['inter'])} / {f(a['union'])} = {f(a['iou'])}",
        ]
    )


def nms_order(step: Step) -> str:
    a = step.args
    pairs = ", ".join(f"{i}({f(s)})" for i, s in zip(a["order"], a["scores"], strict=False))
    return f"スコアの高い順: {pairs}"


def nms_keep(step: Step) -> str:
    a = step.args
    lines = [f"矩形 {a['index']}（スコア {f(a['score'])}）を残す"]
    for c in a["checks"]:
        verdict = (
            f"> {f(a['threshold'])} なので除去"
            if c["suppressed"]
            else f"≤ {f(a['threshold'])} なので残る"
        )
        lines.append(f"  矩形 {c['index']} との IoU = {f(c['iou'])} {verdict}")
    return "\n".join(lines)


_RESULT = {"tp": "TP", "low_iou": "FP（IoU 不足）", "duplicate": "FP（正解は検出済み）"}


def ap_table(step: Step) -> str:
    a = step.args
    lines = [
        f"IoU ≥ {f(a['threshold'])} で正解と対応づけ（正解 {a['n_gt']} 個）。Precision = TP/(TP+FP)、Recall = TP/正解数"
    ]
    for r in a["rows"]:
        lines.append(
            f"  {r['rank']}位 予測 {r['index']}（スコア {f(r['score'])}）: 正解 {r['gt']} との IoU {f(r['iou'])} → "
            f"{_RESULT[r['result']]}、累積 TP {r['tp']} FP {r['fp']}、Precision {f(r['precision'])}、"
            f"Recall {f(r['recall'])}"
        )
    return "\n".join(lines)


def ap_interp(step: Step) -> str:
    a = step.args
    lines = [
        "AP = Σ (r_k − r_{k−1}) × p_interp(r_k)、p_interp(r) = r 以上の Recall での Precision の最大値（全点補間）"
    ]
    parts = []
    for t in a["terms"]:
        parts.append(f"({f(t['r'])} − {f(t['r_prev'])}) × {f(t['p_interp'])}")
    lines.append(f"AP = {' + '.join(parts) if parts else '0'} = {f(a['ap'])}")
    return "\n".join(lines)


def ap_final(step: Step) -> str:
    a = step.args
    if a["what"] == "precision":
        return (
            f"すべての予測を使ったときの Precision = TP / (TP + FP) = {a['tp']} / ({a['tp']} + {a['fp']}) "
            f"= {f(a['value'])}"
        )
    return f"すべての予測を使ったときの Recall = TP / 正解数 = {a['tp']} / {a['n_gt']} = {f(a['value'])}"


def roi_grid(step: Step) -> str:
    a = step.args
    return (
        f"RoI を画素に丸める: x {a['x1']}〜{a['x2']}, y {a['y1']}〜{a['y2']}（{a['rh']}×{a['rw']} 画素）、"
        f"{a['ph']}×{a['pw']} のビンに分割（ビンの大きさ {f(a['bh'])}×{f(a['bw'])}、端は切り捨て・切り上げ）"
    )


def roi_bin(step: Step) -> str:
    a = step.args
    i, j = a["index"]
    vals = ", ".join(f(v) for v in a["values"])
    if not len(a["values"]):
        return f"出力[{i},{j}] = 空のビン → 0"
    return f"出力[{i},{j}] = max(行 {a['rows'][0]}〜{a['rows'][1]}, 列 {a['cols'][0]}〜{a['cols'][1]}: {vals}) = {f(a['value'])}"


def _bilinear_line(info: dict[str, Any]) -> str:
    if info["outside"]:
        return f"(y={f(info['y'])}, x={f(info['x'])}) は特徴マップの外 → 0"
    terms = " + ".join(f"{f(v)}×{f(wt)}" for _, _, v, wt in info["points"])
    return f"(y={f(info['y'])}, x={f(info['x'])}): {terms} = {f(info['value'])}"


def bilinear(step: Step) -> str:
    a = step.args
    if a["outside"]:
        return _bilinear_line(a)
    pts = ", ".join(f"[{y},{x}]={f(v)}（重み {f(wt)}）" for y, x, v, wt in a["points"])
    return "\n".join(
        [
            f"周囲の 4 画素: {pts}",
            "値 = Σ 画素値 × 重み（重みは (1 − 縦の距離) × (1 − 横の距離)）",
            f"  {_bilinear_line(a)}",
        ]
    )


def roi_align_grid(step: Step) -> str:
    a = step.args
    return (
        f"RoI の始点 (x={f(a['x1'])}, y={f(a['y1'])})、大きさ {f(a['rh'])}×{f(a['rw'])}（丸めない）、"
        f"ビン {f(a['bh'])}×{f(a['bw'])}、ビンごとに {a['gh']}×{a['gw']} 点を双線形補間して平均"
    )


def roi_align_bin(step: Step) -> str:
    a = step.args
    i, j = a["index"]
    lines = [f"出力[{i},{j}] = 標本点の平均 = {f(a['value'])}"]
    lines += ["  " + _bilinear_line(s) for s in a["samples"]]
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[Step], str]] = {
    "iou": iou,
    "nms_order": nms_order,
    "nms_keep": nms_keep,
    "ap_table": ap_table,
    "ap_interp": ap_interp,
    "ap_final": ap_final,
    "roi_grid": roi_grid,
    "roi_bin": roi_bin,
    "bilinear": bilinear,
    "roi_align_grid": roi_align_grid,
    "roi_align_bin": roi_align_bin,
}
