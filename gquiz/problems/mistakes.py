"""Declared mistake functions: common wrong ways to solve a problem, computed, never random.

A family's distractor may name one of these with ``mistake: <name>``. Each function gets a
:class:`MistakeContext` (the generated parameters, the solver arguments, the correct answer
and a way to re-run the solver with changed arguments) and returns the value the mistaken
learner would get, or ``None`` when the mistake does not apply to this problem.
Most distractors need no function: ``args:`` (re-run the solver with changed arguments) or
``value:`` (a formula over the parameters) in the family file are enough.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["MISTAKES", "MistakeContext", "mistake"]


@dataclass(frozen=True)
class MistakeContext:
    """What a mistake function may look at."""

    params: Mapping[str, Any]
    args: Mapping[str, Any]
    answer: Any
    raw_answer: Any
    run: Callable[..., Any]
    """``run(**changed_args)`` re-runs the family's solver and returns the raw answer."""


MISTAKES: dict[str, Callable[[MistakeContext], Any]] = {}


def mistake(
    name: str,
) -> Callable[[Callable[[MistakeContext], Any]], Callable[[MistakeContext], Any]]:
    """Register a mistake function under ``name``."""

    def deco(func: Callable[[MistakeContext], Any]) -> Callable[[MistakeContext], Any]:
        MISTAKES[name] = func
        return func

    return deco


# -- convolution / pooling ------------------------------------------------------------------


@mistake("conv_size_ceil")
def conv_size_ceil(ctx: MistakeContext) -> Any:
    """Rounded the division up instead of down (only differs when it is not exact)."""
    a = ctx.args
    n, k, s = int(a["in_size"]), int(a["kernel_size"]), int(a.get("stride", 1))
    p, d = int(a.get("padding", 0)), int(a.get("dilation", 1))
    return math.ceil((n + 2 * p - d * (k - 1) - 1) / s) + 1


@mistake("pool_min")
def pool_min(ctx: MistakeContext) -> Any:
    """Took the minimum of each window instead of the maximum."""
    x = np.asarray(ctx.args["input"], dtype=float)
    k = int(ctx.args["size"])
    s = int(ctx.args.get("stride") or k)
    oh, ow = (x.shape[0] - k) // s + 1, (x.shape[1] - k) // s + 1
    return np.array(
        [[x[i * s : i * s + k, j * s : j * s + k].min() for j in range(ow)] for i in range(oh)]
    )


@mistake("pool_sum")
def pool_sum(ctx: MistakeContext) -> Any:
    """Summed each window and forgot to divide by the number of elements."""
    k = int(ctx.args["size"])
    return np.asarray(ctx.run(mode="avg")) * k * k


@mistake("roi_pool_avg")
def roi_pool_avg(ctx: MistakeContext) -> Any:
    """Averaged each bin (average pooling) instead of taking its maximum."""
    from gquiz.engine.registry import get_solver

    sol = get_solver("roi_pool").func(**ctx.args)
    vals = [
        np.mean(s.args["values"]) if len(s.args["values"]) else 0.0
        for s in sol.steps
        if s.kind == "roi_bin"
    ]
    return np.array(vals).reshape(np.shape(sol.answer))


@mistake("roi_pool_no_round")
def roi_pool_floor_bins(ctx: MistakeContext) -> Any:
    """Split the RoI into equal bins by integer division, dropping the remainder rows/columns."""
    fm = np.asarray(ctx.args["feature_map"], dtype=float)
    x1, y1, x2, y2 = (int(round(v)) for v in ctx.args["roi"])
    out = ctx.args["output_size"]
    ph, pw = (out, out) if np.ndim(out) == 0 else out
    rh, rw = y2 - y1 + 1, x2 - x1 + 1
    bh, bw = max(rh // ph, 1), max(rw // pw, 1)
    res = np.zeros((ph, pw))
    for i in range(ph):
        for j in range(pw):
            region = fm[y1 + i * bh : y1 + (i + 1) * bh, x1 + j * bw : x1 + (j + 1) * bw]
            res[i, j] = region.max() if region.size else 0.0
    return res


# -- receptive field ------------------------------------------------------------------------


@mistake("rf_sum_kernels")
def rf_sum_kernels(ctx: MistakeContext) -> Any:
    """Added the kernel sizes together (forgot that neighbouring windows overlap)."""
    return int(sum(int(k) for k in ctx.args["kernel_sizes"]))


@mistake("rf_own_stride")
def rf_own_stride(ctx: MistakeContext) -> Any:
    """Multiplied (K − 1) by the product of the strides up to and including the layer itself."""
    ks = [int(k) for k in ctx.args["kernel_sizes"]]
    strides = ctx.args.get("strides")
    ss = [int(s) for s in (strides if strides is not None else [1] * len(ks))]
    r, jump = 1, 1
    for k, s in zip(ks, ss, strict=False):
        jump *= s
        r += (k - 1) * jump
    return r


# -- quantization ---------------------------------------------------------------------------


@mistake("quant_no_clamp")
def quant_no_clamp(ctx: MistakeContext) -> Any:
    """Did not clamp to [qmin, qmax]."""
    a = ctx.args
    t = np.asarray(a["values"], dtype=float) / float(a["scale"]) + int(a["zero_point"])
    r = (
        np.round(t)
        if a.get("rounding", "half_even") == "half_even"
        else np.sign(t) * np.floor(np.abs(t) + 0.5)
    )
    r = r.astype(np.int64)
    return int(r) if r.ndim == 0 else r


@mistake("quant_sub_zero_point")
def quant_sub_zero_point(ctx: MistakeContext) -> Any:
    """Subtracted the zero point instead of adding it."""
    a = ctx.args
    z = int(a["zero_point"])
    return ctx.run(zero_point=-z) if -128 <= -z <= 255 else None


@mistake("quant_round_after_zp")
def quant_round_then_add(ctx: MistakeContext) -> Any:
    """Used round(x / scale) + zero_point with half-up rounding (textbook order, 四捨五入)."""
    a = ctx.args
    t = np.asarray(a["values"], dtype=float) / float(a["scale"])
    r = np.sign(t) * np.floor(np.abs(t) + 0.5) + int(a["zero_point"])
    r = r.astype(np.int64)
    return int(r) if r.ndim == 0 else r


# -- pruning ---------------------------------------------------------------------------------


@mistake("prune_largest")
def prune_largest(ctx: MistakeContext) -> Any:
    """Zeroed the weights with the largest magnitude instead of the smallest."""
    w = np.asarray(ctx.args["weights"], dtype=float)
    k = int(round(float(ctx.args["sparsity"]) * w.size))
    order = np.argsort(-np.abs(w).ravel(), kind="stable")
    flat = w.ravel().copy()
    flat[order[:k]] = 0.0
    return flat.reshape(w.shape)


@mistake("prune_signed")
def prune_signed(ctx: MistakeContext) -> Any:
    """Ranked by signed value (zeroed the most negative weights) instead of by |w|."""
    w = np.asarray(ctx.args["weights"], dtype=float)
    k = int(round(float(ctx.args["sparsity"]) * w.size))
    order = np.argsort(w.ravel(), kind="stable")
    flat = w.ravel().copy()
    flat[order[:k]] = 0.0
    return flat.reshape(w.shape)


@mistake("prune_keep_count")
def prune_keep_count(ctx: MistakeContext) -> Any:
    """Read the sparsity as the fraction to keep: zeroed (1 − sparsity) of the weights."""
    s = 1.0 - float(ctx.args["sparsity"])
    return ctx.run(sparsity=s)


@mistake("channel_prune_largest")
def channel_prune_largest(ctx: MistakeContext) -> Any:
    """Removed the channels with the largest L1 norm."""
    w = np.asarray(ctx.args["weights"], dtype=float)
    c = w.shape[0]
    k = int(ctx.args["n_remove"])
    norms = np.abs(w).reshape(c, -1).sum(axis=1)
    order = np.argsort(-norms, kind="stable")
    return sorted(int(i) for i in order[:k])


@mistake("channel_prune_signed_sum")
def channel_prune_signed_sum(ctx: MistakeContext) -> Any:
    """Ranked channels by the plain sum of weights instead of the sum of absolute values."""
    w = np.asarray(ctx.args["weights"], dtype=float)
    c = w.shape[0]
    k = int(ctx.args["n_remove"])
    sums = w.reshape(c, -1).sum(axis=1)
    order = np.argsort(sums, kind="stable")
    return sorted(int(i) for i in order[:k])


@mistake("channel_prune_max_abs")
def channel_prune_max_abs(ctx: MistakeContext) -> Any:
    """Ranked channels by their largest |w| (L∞) instead of the L1 norm."""
    w = np.asarray(ctx.args["weights"], dtype=float)
    c = w.shape[0]
    k = int(ctx.args["n_remove"])
    m = np.abs(w).reshape(c, -1).max(axis=1)
    order = np.argsort(m, kind="stable")
    return sorted(int(i) for i in order[:k])


# -- Shapley ---------------------------------------------------------------------------------


def _game(ctx: MistakeContext) -> tuple[list[str], dict[frozenset[str], float]]:
    players = [str(p) for p in ctx.args["players"]]
    values = {
        frozenset(p for p in k.split(",") if p): float(v) for k, v in ctx.args["values"].items()
    }
    return players, values


@mistake("shapley_alone")
def shapley_alone(ctx: MistakeContext) -> Any:
    """Used only the player's value alone, v({i}) − v(∅)."""
    players, v = _game(ctx)
    i = str(ctx.params["target"])
    return v[frozenset([i])] - v[frozenset()]


@mistake("shapley_last")
def shapley_last(ctx: MistakeContext) -> Any:
    """Used only the contribution when joining everyone else, v(N) − v(N∖{i})."""
    players, v = _game(ctx)
    i = str(ctx.params["target"])
    full = frozenset(players)
    return v[full] - v[full - {i}]


@mistake("shapley_equal_split")
def shapley_equal_split(ctx: MistakeContext) -> Any:
    """Split the grand coalition's value equally, v(N) / n."""
    players, v = _game(ctx)
    return v[frozenset(players)] / len(players)


@mistake("shapley_unweighted")
def shapley_unweighted(ctx: MistakeContext) -> Any:
    """Averaged the marginal contributions over coalitions without the |S|!(n−|S|−1)!/n! weights."""
    players, v = _game(ctx)
    i = str(ctx.params["target"])
    others = [p for p in players if p != i]
    margs = []
    for size in range(len(others) + 1):
        for combo in itertools.combinations(others, size):
            s = frozenset(combo)
            margs.append(v[s | {i}] - v[s])
    return float(np.mean(margs))


# -- detection -------------------------------------------------------------------------------


def _inter_areas(ctx: MistakeContext) -> tuple[float, float, float]:
    a, b = np.asarray(ctx.args["box_a"], float), np.asarray(ctx.args["box_b"], float)
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    return iw * ih, (a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])


@mistake("iou_sum_areas")
def iou_sum_areas(ctx: MistakeContext) -> Any:
    """Divided by the sum of the two areas (forgot to subtract the overlap once)."""
    inter, aa, ab = _inter_areas(ctx)
    return inter / (aa + ab)


@mistake("iou_over_a")
def iou_over_a(ctx: MistakeContext) -> Any:
    """Divided the overlap by the area of box A only."""
    inter, aa, _ = _inter_areas(ctx)
    return inter / aa


@mistake("iou_pixel_plus_one")
def iou_pixel_plus_one(ctx: MistakeContext) -> Any:
    """Counted pixels inclusively (width = x2 − x1 + 1), the old VOC convention."""
    a, b = np.asarray(ctx.args["box_a"], float), np.asarray(ctx.args["box_b"], float)
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]) + 1)
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]) + 1)
    inter = iw * ih
    aa = (a[2] - a[0] + 1) * (a[3] - a[1] + 1)
    ab = (b[2] - b[0] + 1) * (b[3] - b[1] + 1)
    return inter / (aa + ab - inter)


@mistake("iou_over_min")
def iou_over_min(ctx: MistakeContext) -> Any:
    """Divided the overlap by the smaller area."""
    inter, aa, ab = _inter_areas(ctx)
    return inter / min(aa, ab)


@mistake("nms_keep_below")
def nms_keep_below(ctx: MistakeContext) -> Any:
    """Suppressed boxes whose IoU is below the threshold (the rule turned around)."""
    from gquiz.engine.detection import _iou  # the same IoU as the engine

    boxes = np.asarray(ctx.args["boxes"], float)
    scores = np.asarray(ctx.args["scores"], float)
    thr = float(ctx.args["threshold"])
    order = np.argsort(-scores, kind="stable")
    keep: list[int] = []
    removed: set[int] = set()
    for i in order:
        if int(i) in removed:
            continue
        keep.append(int(i))
        for j in order:
            if (
                int(j) != int(i)
                and int(j) not in removed
                and int(j) not in keep
                and _iou(boxes[i], boxes[j])[0] <= thr
            ):
                removed.add(int(j))
    return sorted(keep)


@mistake("nms_top_only")
def nms_top_only(ctx: MistakeContext) -> Any:
    """Kept only the single highest-scoring box."""
    scores = np.asarray(ctx.args["scores"], float)
    return [int(np.argmax(scores))]


@mistake("nms_one_pass")
def nms_one_pass(ctx: MistakeContext) -> Any:
    """Compared every box only with the top-scoring box (no greedy repetition)."""
    from gquiz.engine.detection import _iou

    boxes = np.asarray(ctx.args["boxes"], float)
    scores = np.asarray(ctx.args["scores"], float)
    thr = float(ctx.args["threshold"])
    top = int(np.argmax(scores))
    return sorted(
        [top] + [j for j in range(len(boxes)) if j != top and _iou(boxes[top], boxes[j])[0] <= thr]
    )


@mistake("ap_no_interp")
def ap_no_interp(ctx: MistakeContext) -> Any:
    """Summed recall steps × the raw precision at that rank (no precision envelope)."""
    ans = ctx.raw_answer
    prev, total = 0.0, 0.0
    for p, r in zip(ans["precision"], ans["recall"], strict=False):
        if r > prev:
            total += (r - prev) * p
            prev = r
    return total


@mistake("ap_mean_precision")
def ap_mean_precision(ctx: MistakeContext) -> Any:
    """Averaged the precision over all ranks."""
    return float(np.mean(ctx.raw_answer["precision"]))


@mistake("ap_11_point")
def ap_11_point(ctx: MistakeContext) -> Any:
    """Used the 11-point interpolation of VOC2007 instead of all points."""
    p = np.asarray(ctx.raw_answer["precision"])
    r = np.asarray(ctx.raw_answer["recall"])
    total = 0.0
    for t in np.linspace(0, 1, 11):
        sel = p[r >= t - 1e-12]
        total += sel.max() if sel.size else 0.0
    return total / 11


# -- distillation ----------------------------------------------------------------------------


@mistake("softmax_no_exp")
def softmax_no_exp(ctx: MistakeContext) -> Any:
    """Normalised the logits by their sum, without the exponential."""
    z = np.asarray(ctx.args.get("teacher_logits", ctx.args.get("logits")), dtype=float)
    if np.any(z <= 0):
        return None
    idx = int(ctx.params.get("target", int(np.argmax(z))))
    return float(z[idx] / z.sum())


# -- attention ---------------------------------------------------------------------------------


def _attn(
    q: Any, k: Any, v: Any, scale: float | None, use_softmax: bool = True, values: Any = None
) -> np.ndarray:
    qa, ka = np.atleast_2d(np.asarray(q, float)), np.atleast_2d(np.asarray(k, float))
    va = np.atleast_2d(np.asarray(v if values is None else values, float))
    s = qa @ ka.T
    if scale is not None:
        s = s / scale
    if use_softmax:
        e = np.exp(s - s.max(axis=1, keepdims=True))
        w = e / e.sum(axis=1, keepdims=True)
    else:
        w = s
    out: np.ndarray = w @ va
    return out


def _attn_pick(ctx: MistakeContext, out: np.ndarray, weights: bool = False) -> Any:
    what = str(ctx.params.get("what", "output"))
    if what == "weights" and not weights:
        return None
    return out[0] if np.ndim(ctx.answer) == 1 else out


@mistake("attention_no_scale")
def attention_no_scale(ctx: MistakeContext) -> Any:
    """Forgot to divide the scores by √d_k."""
    a = ctx.args
    if str(ctx.params.get("what", "output")) == "weights":
        w = _attn(a["q"], a["k"], np.eye(len(np.atleast_2d(a["k"]))), None)
        return w[0] if np.ndim(ctx.answer) == 1 else w
    return _attn_pick(ctx, _attn(a["q"], a["k"], a["v"], None))


@mistake("attention_scale_by_d")
def attention_scale_by_d(ctx: MistakeContext) -> Any:
    """Divided the scores by d_k instead of √d_k."""
    a = ctx.args
    d = np.atleast_2d(a["k"]).shape[1]
    if str(ctx.params.get("what", "output")) == "weights":
        w = _attn(a["q"], a["k"], np.eye(len(np.atleast_2d(a["k"]))), float(d))
        return w[0] if np.ndim(ctx.answer) == 1 else w
    return _attn_pick(ctx, _attn(a["q"], a["k"], a["v"], float(d)))


@mistake("attention_no_softmax")
def attention_no_softmax(ctx: MistakeContext) -> Any:
    """Used the scaled scores as weights without the softmax."""
    a = ctx.args
    d = np.atleast_2d(a["k"]).shape[1]
    if str(ctx.params.get("what", "output")) == "weights":
        w = _attn(
            a["q"], a["k"], np.eye(len(np.atleast_2d(a["k"]))), float(np.sqrt(d)), use_softmax=False
        )
        return w[0] if np.ndim(ctx.answer) == 1 else w
    return _attn_pick(ctx, _attn(a["q"], a["k"], a["v"], float(np.sqrt(d)), use_softmax=False))


@mistake("attention_weights_on_keys")
def attention_weights_on_keys(ctx: MistakeContext) -> Any:
    """Took the weighted sum of the keys instead of the values."""
    a = ctx.args
    d = np.atleast_2d(a["k"]).shape[1]
    if np.atleast_2d(a["k"]).shape != np.atleast_2d(a["v"]).shape:
        return None
    return _attn_pick(ctx, _attn(a["q"], a["k"], a["v"], float(np.sqrt(d)), values=a["k"]))


# -- Grad-CAM ----------------------------------------------------------------------------------


def _gradcam_parts(ctx: MistakeContext) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(ctx.args["feature_maps"], float), np.asarray(ctx.args["gradients"], float)


def _gradcam_finish(ctx: MistakeContext, raw: np.ndarray) -> Any:
    relu = np.maximum(raw, 0)
    if str(ctx.params.get("what", "relu")) == "cam":
        peak = relu.max()
        return relu / peak if peak > 0 else np.zeros_like(relu)
    return relu


@mistake("gradcam_sum_weights")
def gradcam_sum_weights(ctx: MistakeContext) -> Any:
    """Summed the gradients over the positions instead of averaging them (GAP)."""
    a, g = _gradcam_parts(ctx)
    return _gradcam_finish(ctx, np.tensordot(g.sum(axis=(1, 2)), a, axes=1))


@mistake("gradcam_unweighted")
def gradcam_unweighted(ctx: MistakeContext) -> Any:
    """Added the feature maps without weighting them by the gradients."""
    a, _ = _gradcam_parts(ctx)
    return _gradcam_finish(ctx, a.sum(axis=0))


@mistake("gradcam_elementwise")
def gradcam_elementwise(ctx: MistakeContext) -> Any:
    """Multiplied feature maps and gradients position by position (no GAP of the gradients)."""
    a, g = _gradcam_parts(ctx)
    return _gradcam_finish(ctx, (a * g).sum(axis=0))


# -- CTC -----------------------------------------------------------------------------------------


@mistake("ctc_no_merge")
def ctc_no_merge(ctx: MistakeContext) -> Any:
    """Removed the blanks but did not merge repeated symbols."""
    blank = str(ctx.args.get("blank", "-"))
    return "".join(ch for ch in str(ctx.args["path"]) if ch != blank)


@mistake("ctc_blank_first")
def ctc_blank_first(ctx: MistakeContext) -> Any:
    """Removed the blanks first, then merged repeats (so double letters are lost).

    Only a mistake when the word has a double letter; otherwise None (it cannot show).
    """
    blank = str(ctx.args.get("blank", "-"))
    word = str(ctx.answer)
    if not any(a == b for a, b in zip(word, word[1:], strict=False)):
        return None
    s = [ch for ch in str(ctx.args["path"]) if ch != blank]
    return "".join(ch for i, ch in enumerate(s) if i == 0 or s[i - 1] != ch)


@mistake("ctc_keep_blanks")
def ctc_keep_blanks(ctx: MistakeContext) -> Any:
    """Merged repeats but left the blank symbols in."""
    s = str(ctx.args["path"])
    return "".join(ch for i, ch in enumerate(s) if i == 0 or s[i - 1] != ch)


@mistake("ctc_unique")
def ctc_unique(ctx: MistakeContext) -> Any:
    """Kept each letter only once (its first appearance); None when no letter repeats."""
    blank = str(ctx.args.get("blank", "-"))
    if len(set(str(ctx.answer))) == len(str(ctx.answer)):
        return None
    seen: list[str] = []
    for ch in str(ctx.args["path"]):
        if ch != blank and ch not in seen:
            seen.append(ch)
    return "".join(seen)
