"""Backprop against autograd; optimizer steps against torch.optim; FC parameter counts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from gquiz.engine.backprop import activation_grad, backprop, fc_params, optimizer_step
from gquiz.engine.core import EngineError
from gquiz.render import render_steps

torch = pytest.importorskip("torch")

UNARY = ["neg", "exp", "log", "sigmoid", "relu", "tanh", "square"]
BINARY = ["add", "mul", "sub", "div"]
TORCH_OPS = {
    "add": lambda xs: sum(xs[1:], xs[0]),
    "mul": lambda xs: xs[0] * xs[1],
    "sub": lambda xs: xs[0] - xs[1],
    "div": lambda xs: xs[0] / xs[1],
    "neg": lambda xs: -xs[0],
    "exp": lambda xs: torch.exp(xs[0]),
    "log": lambda xs: torch.log(xs[0]),
    "sigmoid": lambda xs: torch.sigmoid(xs[0]),
    "relu": lambda xs: torch.relu(xs[0]),
    "tanh": lambda xs: torch.tanh(xs[0]),
    "square": lambda xs: xs[0] ** 2,
}


@st.composite
def graphs(draw):
    n_in = draw(st.integers(1, 3))
    nodes = [
        {"name": f"x{i}", "op": "input", "value": draw(st.floats(0.2, 2.0))} for i in range(n_in)
    ]
    for j in range(draw(st.integers(1, 6))):
        names = [n["name"] for n in nodes]
        op = draw(st.sampled_from(UNARY + BINARY))
        if op in BINARY:
            ins = [draw(st.sampled_from(names)), draw(st.sampled_from(names))]
        else:
            ins = [draw(st.sampled_from(names))]
        nodes.append({"name": f"n{j}", "op": op, "inputs": ins})
    return nodes


def autograd(nodes):
    vals = {}
    for nd in nodes:
        if nd["op"] == "input":
            vals[nd["name"]] = torch.tensor(
                float(nd["value"]), dtype=torch.float64, requires_grad=True
            )
        else:
            v = TORCH_OPS[nd["op"]]([vals[s] for s in nd["inputs"]])
            v.retain_grad()
            vals[nd["name"]] = v
    out = vals[nodes[-1]["name"]]
    out.backward()
    return out.item(), {k: (0.0 if t.grad is None else t.grad.item()) for k, t in vals.items()}


@settings(max_examples=150, deadline=None)
@given(nodes=graphs())
def test_backprop_matches_autograd(nodes):
    try:
        sol = backprop(nodes)
    except EngineError:  # log of a non-positive value, division by zero, overflow
        return
    value, grads = autograd(nodes)
    if not np.isfinite(value) or not all(np.isfinite(list(grads.values()))):
        return
    assert_allclose(sol.answer["value"], value, rtol=1e-12)
    for k, g in grads.items():
        assert_allclose(sol.answer["grads"][k], g, rtol=1e-9, atol=1e-12, err_msg=k)


def test_textbook_apple_example():
    # ゼロから作るDeep Learning 5章: apple 100円 × 2個 × 消費税 1.1
    nodes = [
        {"name": "apple", "op": "input", "value": 100},
        {"name": "n", "op": "input", "value": 2},
        {"name": "tax", "op": "input", "value": 1.1},
        {"name": "price", "op": "mul", "inputs": ["apple", "n"]},
        {"name": "total", "op": "mul", "inputs": ["price", "tax"]},
    ]
    sol = backprop(nodes)
    assert_allclose(sol.answer["value"], 220)
    assert_allclose([sol.answer["grads"][k] for k in ("apple", "n", "tax")], [2.2, 110, 200])
    lines = render_steps(sol)
    assert "[順伝播] price = apple × n = 100 × 2 = 200" in lines
    assert any(
        "∂L/∂apple += 上流 × 局所勾配 (もう一方の入力) = 1.1 × 2 = 2.2" in line for line in lines
    )


def test_graph_errors():
    with pytest.raises(EngineError, match="'y'"):
        backprop(
            [
                {"name": "x", "op": "input", "value": 1},
                {"name": "z", "op": "add", "inputs": ["x", "y"]},
            ]
        )
    with pytest.raises(EngineError, match="未知の演算"):
        backprop(
            [{"name": "x", "op": "input", "value": 1}, {"name": "z", "op": "pow", "inputs": ["x"]}]
        )
    with pytest.raises(EngineError, match="log"):
        backprop(
            [{"name": "x", "op": "input", "value": -1}, {"name": "z", "op": "log", "inputs": ["x"]}]
        )
    with pytest.raises(EngineError, match="value"):
        backprop([{"name": "x", "op": "input", "value": "a"}])


_X = {"name": "x", "op": "input", "value": 1}


@pytest.mark.parametrize(
    ("nodes", "message"),
    [
        ([], "nodes はノードのリスト"),
        ("x", "nodes はノードのリスト"),
        ([3], "nodes[0] がオブジェクトでない"),
        ([{"op": "input", "value": 1}], "nodes[0] に name（文字列）がない"),
        ([_X, _X], "ノード名 'x' が重複している"),
        ([{**_X, "inputs": ["x"]}], "ノード 'x': 未知のキー ['inputs']"),
        (
            [_X, {"name": "z", "op": "neg", "inputs": ["x"], "value": 2}],
            "ノード 'z': 未知のキー ['value']",
        ),
        ([_X, {"name": "z", "op": "neg"}], "ノード 'z': inputs（入力ノード名のリスト）がない"),
        (
            [_X, {"name": "z", "op": "add", "inputs": "x"}],
            "ノード 'z': add には 2 つ以上の入力が必要",
        ),
        (
            [_X, {"name": "z", "op": "sub", "inputs": ["x"]}],
            "ノード 'z': sub の入力は 2 個（1 個ある）",
        ),
        (
            [_X, {"name": "z", "op": "neg", "inputs": ["y"]}],
            "ノード 'z': 入力 'y' がそれより前に定義されていない",
        ),
    ],
)
def test_graph_messages(nodes, message: str) -> None:
    with pytest.raises(EngineError) as err:
        backprop(nodes)
    assert str(err.value).startswith(message)


def test_a_single_input_name_is_a_list_of_one() -> None:
    sol = backprop([_X, {"name": "z", "op": "square", "inputs": "x"}])
    assert sol.answer["value"] == 1.0


ACTS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda x: torch.nn.functional.leaky_relu(x, 0.01),
    "softplus": torch.nn.functional.softplus,
    "silu": torch.nn.functional.silu,
    "gelu": torch.nn.functional.gelu,
    "elu": torch.nn.functional.elu,
}


@pytest.mark.parametrize("name", sorted(ACTS))
def test_activation_grad_matches_autograd(name):
    x = np.array([-3.0, -0.5, 0.0, 0.7, 4.0])
    t = torch.tensor(x, requires_grad=True)
    y = ACTS[name](t)
    y.sum().backward()
    ans = activation_grad(name, x).answer
    assert_allclose(ans["value"], y.detach().numpy(), rtol=1e-12, atol=1e-15)
    assert_allclose(ans["grad"], t.grad.numpy(), rtol=1e-12, atol=1e-15)


def _torch_opt(name, p, **kw):
    if name == "sgd":
        return torch.optim.SGD([p], lr=kw["lr"], weight_decay=kw.get("weight_decay", 0))
    if name == "momentum":
        return torch.optim.SGD(
            [p], lr=kw["lr"], momentum=kw["momentum"], weight_decay=kw.get("weight_decay", 0)
        )
    if name == "adagrad":
        return torch.optim.Adagrad([p], lr=kw["lr"], weight_decay=kw.get("weight_decay", 0))
    if name == "rmsprop":
        return torch.optim.RMSprop(
            [p], lr=kw["lr"], alpha=kw["alpha"], weight_decay=kw.get("weight_decay", 0)
        )
    return torch.optim.Adam(
        [p], lr=kw["lr"], betas=(kw["beta1"], kw["beta2"]), weight_decay=kw.get("weight_decay", 0)
    )


@settings(max_examples=50, deadline=None)
@given(
    name=st.sampled_from(["sgd", "momentum", "adagrad", "rmsprop", "adam"]),
    seed=st.integers(0, 9999),
    lr=st.sampled_from([0.001, 0.01, 0.1, 0.5]),
    wd=st.sampled_from([0.0, 0.01]),
    n_steps=st.integers(1, 5),
    foreach=st.booleans(),
)
def test_optimizer_matches_torch_over_several_steps(name, seed, lr, wd, n_steps, foreach):
    rng = np.random.default_rng(seed)
    p0 = rng.normal(size=4)
    grads = rng.normal(size=(n_steps, 4))
    kw = {
        "lr": lr,
        "momentum": 0.9,
        "alpha": 0.99,
        "beta1": 0.9,
        "beta2": 0.999,
        "weight_decay": wd,
    }
    tp = torch.tensor(p0, requires_grad=True)
    opt = _torch_opt(name, tp, **kw)
    for group in opt.param_groups:
        group["foreach"] = foreach
    p, state = p0, None
    for g in grads:
        tp.grad = torch.tensor(g)
        opt.step()
        ans = optimizer_step(name, p, g, state=state, **kw).answer
        p, state = ans["params"], ans["state"]
        assert_allclose(p, tp.detach().numpy(), rtol=1e-14, atol=1e-15)


def test_optimizer_state_roundtrips_through_json_and_lines():
    s1 = optimizer_step("adam", [1.0], [0.5], lr=0.1)
    state_json = s1.to_json()["answer"]["state"]
    s2 = optimizer_step("adam", s1.answer["params"], [0.5], lr=0.1, state=state_json)
    assert s2.answer["state"]["step"] == 2
    lines = render_steps(s1)
    assert any(line.startswith("バイアス補正") for line in lines)
    with pytest.raises(EngineError, match="optimizer"):
        optimizer_step("lion", [1.0], [1.0], lr=0.1)
    with pytest.raises(EngineError, match="grads"):
        optimizer_step("sgd", [1.0, 2.0], [1.0], lr=0.1)


def test_fc_params_match_torch():
    layers = [784, 256, 128, 10]
    net = torch.nn.Sequential(
        *[torch.nn.Linear(a, b) for a, b in zip(layers, layers[1:], strict=False)]
    )
    assert fc_params(layers).answer["total"] == sum(p.numel() for p in net.parameters())
    assert fc_params(layers, bias=False).answer["total"] == 784 * 256 + 256 * 128 + 128 * 10
    assert render_steps(fc_params([784, 256, 10]))[-1] == "合計 = 200960 + 2570 = 203530"
