"""Answers of generated problems against an independent computation (PyTorch or brute force)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from gquiz.problems import generate

SEEDS = range(5)
LEVELS = (1, 2, 3)


def problems(families, fid: str):
    return [generate(families[fid], d, s) for d in LEVELS for s in SEEDS]


def assert_close(a, b, tol: float = 1e-6) -> None:
    np.testing.assert_allclose(
        np.asarray(a, dtype=float), np.asarray(b, dtype=float), atol=tol, rtol=0
    )


# -- brute force (no torch) ------------------------------------------------------------------


def test_shapley_by_permutations(families) -> None:
    for p in problems(families, "shapley"):
        players, v = p.params["players"], p.params["v"]
        value = {frozenset(k.split(",")) - {""}: x for k, x in v.items()}
        target = p.params["target"]
        total = 0.0
        perms = list(itertools.permutations(players))
        for order in perms:
            before = frozenset(order[: order.index(target)])
            total += value[before | {target}] - value[before]
        assert p.answer == pytest.approx(total / len(perms))


def test_iou_by_counting_unit_cells(families) -> None:
    for p in problems(families, "iou"):
        a, b = p.params["a"], p.params["b"]
        cells_a = {(x, y) for x in range(a[0], a[2]) for y in range(a[1], a[3])}
        cells_b = {(x, y) for x in range(b[0], b[2]) for y in range(b[1], b[3])}
        assert p.answer == pytest.approx(len(cells_a & cells_b) / len(cells_a | cells_b))


def test_metrics_by_counting_labels(families) -> None:
    for p in problems(families, "metrics"):
        c = p.params["c"]
        y_true = [1] * (c["tp"] + c["fn"]) + [0] * (c["fp"] + c["tn"])
        y_pred = [1] * c["tp"] + [0] * c["fn"] + [1] * c["fp"] + [0] * c["tn"]
        tp = sum(t == 1 and q == 1 for t, q in zip(y_true, y_pred, strict=False))
        pred_pos, pos = sum(y_pred), sum(y_true)
        neg = len(y_true) - pos
        tn = sum(t == 0 and q == 0 for t, q in zip(y_true, y_pred, strict=False))
        ref = {
            "accuracy": (tp + tn) / len(y_true),
            "precision": tp / pred_pos,
            "recall": tp / pos,
            "f1": 2 * tp / (pred_pos + pos),
            "specificity": tn / neg,
        }
        assert p.answer == pytest.approx(ref[p.params["ask"][0]])


def test_ctc_with_groupby(families) -> None:
    for p in problems(families, "ctc"):
        merged = [k for k, _ in itertools.groupby(p.params["path"])]
        assert p.answer == "".join(ch for ch in merged if ch != "-") == p.params["word"]


def test_conv_output_size_by_sliding(families) -> None:
    for p in problems(families, "conv-output-size"):
        n, k, s, pad = (p.params[x] for x in ("n", "k", "s", "p"))
        starts = [i for i in range(0, n + 2 * pad, s) if i + k <= n + 2 * pad]
        assert p.answer == len(starts)


def test_nms_greedy_reference(families) -> None:
    def iou(a, b):
        iw = max(0, min(a[2], b[2]) - max(a[0], b[0]))
        ih = max(0, min(a[3], b[3]) - max(a[1], b[1]))
        inter = iw * ih
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)

    for p in problems(families, "nms"):
        boxes, scores, thr = p.params["boxes"], p.params["scores"], p.params["thr"]
        remaining = sorted(range(len(boxes)), key=lambda i: -scores[i])
        keep = []
        while remaining:
            i = remaining.pop(0)
            keep.append(i)
            remaining = [j for j in remaining if iou(boxes[i], boxes[j]) <= thr]
        assert list(p.answer) == sorted(keep)


# -- PyTorch ----------------------------------------------------------------------------------

torch = pytest.importorskip("torch")
F = torch.nn.functional


def t(x) -> torch.Tensor:
    return torch.tensor(np.asarray(x, dtype=float), dtype=torch.float64)


def test_conv2d_against_torch(families) -> None:
    for p in problems(families, "conv2d"):
        x, w = t(p.params["x"])[None, None], t(p.params["w"])[None, None]
        out = F.conv2d(x, w, bias=t([p.params["b"]]), stride=p.params["s"], padding=p.params["p"])
        assert_close(p.answer, out[0, 0].numpy())


def test_pooling_against_torch(families) -> None:
    for p in problems(families, "pooling"):
        x = t(p.params["x"])[None, None]
        pool = F.max_pool2d if p.params["mode"] == "max" else F.avg_pool2d
        assert_close(p.answer, pool(x, p.params["k"], p.params["s"])[0, 0].numpy())


def test_conv_params_against_torch(families) -> None:
    for p in problems(families, "conv-params"):
        cin, cout, k = p.params["cin"], p.params["cout"], p.params["k"]
        layer = torch.nn.Conv2d(cin, cout, k)
        n_params = sum(q.numel() for q in layer.parameters())
        if p.difficulty < 3:
            assert p.answer == n_params
        else:
            o = p.params["o"]
            assert p.answer == layer.weight.numel() * o * o


def test_fc_params_against_torch(families) -> None:
    for p in problems(families, "fc-params"):
        sizes = p.params["layers"]
        net = torch.nn.Sequential(
            *[torch.nn.Linear(a, b) for a, b in zip(sizes, sizes[1:], strict=False)]
        )
        assert p.answer == sum(q.numel() for q in net.parameters())


def test_receptive_field_by_autograd(families) -> None:
    """The receptive field is where one output's gradient reaches the input."""
    for p in [generate(families["receptive-field"], d, s) for d in (1, 2) for s in SEEDS]:
        ks, ss = [int(k) for k in p.params["ks"]], [int(s) for s in p.params["ss"]]
        size = 2 * p.answer + 40
        x = torch.ones(1, 1, size, requires_grad=True)
        y = x
        for k, s in zip(ks, ss, strict=False):
            y = F.conv1d(y, torch.ones(1, 1, k, dtype=x.dtype), stride=s)
        y[0, 0, y.shape[-1] // 2].backward()
        assert int((x.grad[0, 0] != 0).sum()) == p.answer


def test_softmax_cross_entropy_against_torch(families) -> None:
    for p in problems(families, "softmax-cross-entropy"):
        z = t(p.params["z"])
        if p.difficulty == 1:
            ref = F.softmax(z, dim=-1)[p.params["t"]].item()
        else:
            z2 = z if z.ndim == 2 else z[None]
            target = torch.tensor(np.atleast_1d(p.params["t"]).astype(int))
            ref = F.cross_entropy(z2, target).item()
        assert p.answer == pytest.approx(ref, abs=1e-9)


def test_distillation_against_torch(families) -> None:
    for p in problems(families, "distillation"):
        T = p.params["T"]
        if p.difficulty < 3:
            ref = F.softmax(t(p.params["z"]) / T, dim=-1)[p.params["target"]].item()
        else:
            log_s = F.log_softmax(t(p.params["zs"])[None] / T, dim=-1)
            p_t = F.softmax(t(p.params["zt"])[None] / T, dim=-1)
            ref = (T * T * F.kl_div(log_s, p_t, reduction="batchmean")).item()
        assert p.answer == pytest.approx(ref, abs=1e-9)


def test_attention_against_torch(families) -> None:
    for p in problems(families, "attention"):
        q = t(p.params["q2"] if p.difficulty == 3 else [p.params["q"]])
        k, v = t(p.params["k"]), t(p.params["v"])
        out = F.scaled_dot_product_attention(q[None], k[None], v[None])[0]
        if p.params["what"] == "weights":
            ref = F.softmax(q @ k.T / math.sqrt(k.shape[1]), dim=-1)[0]
        else:
            ref = out if p.difficulty == 3 else out[0]
        assert_close(p.answer, ref.numpy(), 1e-9)


def test_cosine_against_torch(families) -> None:
    for p in problems(families, "cosine-similarity"):
        ref = F.cosine_similarity(t(p.params["a"]), t(p.params["b"]), dim=0).item()
        assert p.answer == pytest.approx(ref, abs=1e-9)


def test_batchnorm_against_torch(families) -> None:
    for p in problems(families, "batchnorm"):
        x = t(p.params["x"])[:, None]
        g, b = t([p.params["g"]]), t([p.params["b"]])
        y = F.batch_norm(x, None, None, weight=g, bias=b, training=True, eps=1e-12)[:, 0]
        if p.difficulty == 1:
            assert p.answer == pytest.approx(x.var(unbiased=False).item())
        elif p.difficulty == 2:
            assert p.answer == pytest.approx(y[p.params["i"]].item(), abs=1e-6)
        else:
            assert_close(p.answer, y.numpy(), 1e-6)


def test_backprop_and_activations_by_autograd(families) -> None:
    for p in problems(families, "backprop"):
        vals = {
            k: torch.tensor(float(p.params[k]), dtype=torch.float64, requires_grad=True)
            for k in ("x", "y", "z", "w", "b")
            if k in p.params
        }
        if p.difficulty == 1:
            f = (vals["x"] + vals["y"]) * vals["z"]
        elif p.difficulty == 2:
            f = (vals["x"] * vals["y"] + vals["z"]) ** 2
        else:
            f = torch.sigmoid(vals["w"] * float(p.params["x"]) + vals["b"])
        f.backward()
        assert p.answer == pytest.approx(vals[p.params["wrt"]].grad.item())
    funcs = {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda x: F.leaky_relu(x, 0.01),
    }
    for p in problems(families, "activation-derivative"):
        x = torch.tensor(float(p.params["x"]), dtype=torch.float64, requires_grad=True)
        funcs[p.params["f"]](x).backward()
        assert p.answer == pytest.approx(x.grad.item())


def test_optimizer_against_torch_optim(families) -> None:
    for p in problems(families, "optimizer-step"):
        w = torch.nn.Parameter(t(p.params["w"]))
        opt_name = p.params["opt"]
        lr = p.params["lr"]
        if opt_name == "sgd":
            opt = torch.optim.SGD([w], lr=lr)
        elif opt_name == "momentum":
            opt = torch.optim.SGD([w], lr=lr, momentum=p.params["mu"])
            opt.state[w]["momentum_buffer"] = t(p.params["buf"])
        elif opt_name == "adagrad":
            opt = torch.optim.Adagrad([w], lr=lr, eps=1e-10)
        elif opt_name == "rmsprop":
            opt = torch.optim.RMSprop([w], lr=lr, alpha=0.9, eps=1e-8)
        else:
            opt = torch.optim.Adam([w], lr=lr)
        w.grad = t(p.params["g"])
        opt.step()
        assert_close(p.answer, w.detach().numpy(), 1e-6)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_quantization_against_torch(families) -> None:
    for p in problems(families, "quantization"):
        if p.difficulty < 3:
            q = torch.quantize_per_tensor(
                torch.tensor([p.params["x"]]), p.params["scale"], p.params["zp"], torch.qint8
            )
            assert p.answer == int(q.int_repr()[0])
        else:
            obs = torch.ao.quantization.MinMaxObserver(dtype=torch.quint8)
            obs(torch.tensor([p.params["lo"], p.params["hi"]]))
            _, zp = obs.calculate_qparams()
            assert p.answer == int(zp)


def test_pruning_against_torch(families) -> None:
    import torch.nn.utils.prune as prune

    for p in [generate(families["pruning"], d, s) for d in (1, 2) for s in SEEDS]:
        layer = torch.nn.Linear(1, len(p.params["w"]), bias=False)
        with torch.no_grad():
            layer.weight.copy_(t(p.params["w"])[:, None])
        prune.l1_unstructured(layer, "weight", amount=p.params["sp"])
        assert_close(p.answer, layer.weight[:, 0].detach().numpy(), 1e-6)


def test_gradcam_by_einsum(families) -> None:
    for p in problems(families, "gradcam"):
        a, g = np.asarray(p.params["A"], float), np.asarray(p.params["G"], float)
        cam = np.maximum(np.einsum("k,kij->ij", g.mean(axis=(1, 2)), a), 0)
        if p.difficulty == 3:
            cam = cam / cam.max()
        assert_close(p.answer, cam, 1e-9)
