"""Attention against F.scaled_dot_product_attention, cosine similarity, analogies."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from gquiz.engine.attention import analogy, attention, cosine_similarity
from gquiz.engine.core import EngineError
from gquiz.render import render_steps

torch = pytest.importorskip("torch")
F = torch.nn.functional


@settings(max_examples=60, deadline=None)
@given(
    lq=st.integers(1, 4),
    lk=st.integers(1, 5),
    d=st.integers(1, 4),
    dv=st.integers(1, 3),
    batch=st.sampled_from([None, 2]),
    use_mask=st.booleans(),
    seed=st.integers(0, 9999),
)
def test_attention_matches_torch(lq, lk, d, dv, batch, use_mask, seed):
    rng = np.random.default_rng(seed)
    pre = () if batch is None else (batch,)
    q, k, v = (
        rng.normal(size=pre + (lq, d)),
        rng.normal(size=pre + (lk, d)),
        rng.normal(size=pre + (lk, dv)),
    )
    mask = None
    if use_mask:
        mask = rng.random(size=(lq, lk)) < 0.6
        mask[np.arange(lq), rng.integers(0, lk, size=lq)] = True  # every row keeps one key
    got = attention(q, k, v, mask).answer["output"]
    ref = F.scaled_dot_product_attention(
        torch.tensor(q),
        torch.tensor(k),
        torch.tensor(v),
        attn_mask=None if mask is None else torch.tensor(mask),
    ).numpy()
    assert_allclose(got, ref, rtol=1e-10, atol=1e-12)


def test_attention_mask_as_ints_and_errors():
    q = k = np.eye(2)
    v = np.array([[1.0], [3.0]])
    causal = [[1, 0], [1, 1]]
    ans = attention(q, k, v, causal).answer
    assert_allclose(ans["output"][0], [1.0])
    assert any(
        line.startswith("マスク（1 = 使う") for line in render_steps(attention(q, k, v, causal))
    )
    with pytest.raises(EngineError, match="すべてのキー"):
        attention(q, k, v, [[0, 0], [1, 1]])
    with pytest.raises(EngineError, match="mask"):
        attention(q, k, v, [[1, 0, 1]])
    with pytest.raises(EngineError, match="v の行数"):
        attention(q, k, np.ones((3, 1)))


@given(
    a=st.lists(st.floats(-10, 10), min_size=3, max_size=3),
    b=st.lists(st.floats(-10, 10), min_size=3, max_size=3),
)
def test_cosine_matches_torch(a, b):
    if not any(a) or not any(b):
        with pytest.raises(EngineError, match="ゼロベクトル"):
            cosine_similarity(a, b)
        return
    got = cosine_similarity(a, b).answer
    assert -1 - 1e-12 <= got <= 1 + 1e-12
    ta, tb = torch.tensor(a, dtype=torch.float64), torch.tensor(b, dtype=torch.float64)
    if (
        np.linalg.norm(a) > 1e-100 and np.linalg.norm(b) > 1e-100
    ):  # the naive oracle underflows below
        ref = (
            ta @ tb / (ta.norm() * tb.norm())
        ).item()  # F.cosine_similarity clamps tiny norms with eps
        assert_allclose(got, ref, rtol=1e-12, atol=1e-12)
    if np.linalg.norm(a) > 1e-3 and np.linalg.norm(b) > 1e-3:
        assert_allclose(
            cosine_similarity(a, b).answer,
            F.cosine_similarity(ta, tb, dim=0).item(),
            rtol=1e-9,
            atol=1e-12,
        )


def test_analogy_king_queen():
    vectors = {
        "king": [0.9, 0.8, 0.1],
        "man": [0.5, 0.1, 0.1],
        "woman": [0.5, 0.1, 0.9],
        "queen": [0.9, 0.8, 0.9],
        "apple": [0.1, 0.9, 0.2],
        "prince": [0.7, 0.6, 0.1],
    }
    sol = analogy(vectors, "king", "man", "woman")
    assert sol.answer == "queen"
    # brute force over the table, excluding the query words
    t = np.array(vectors["king"]) - np.array(vectors["man"]) + np.array(vectors["woman"])
    sims = {
        w: t @ np.array(v) / np.linalg.norm(t) / np.linalg.norm(v)
        for w, v in vectors.items()
        if w not in ("king", "man", "woman")
    }
    assert (
        analogy(vectors, "king", "man", "woman", topk=3).answer
        == sorted(sims, key=lambda w: -sims[w])[:3]
    )
    with pytest.raises(EngineError, match="'emperor'"):
        analogy(vectors, "emperor", "man", "woman")


@pytest.mark.parametrize(
    ("vectors", "words", "message"),
    [
        ({}, ("a", "b", "c"), 'vectors は {"単語": [数値, ...]} の表で指定してください'),
        ([[1, 2]], ("a", "b", "c"), 'vectors は {"単語": [数値, ...]} の表で指定してください'),
        (
            {"a": [1, 0], "b": [1, 0, 0]},
            ("a", "b", "a"),
            "vectors のベクトルの長さがそろっていない",
        ),
        ({"a": [1, 0], "b": [0, 1]}, ("a", "b", "z"), "c の単語 'z' が vectors にない"),
        (
            {"a": [1, 0], "b": [1, 0], "c": [0, 0], "d": [1, 1]},
            ("a", "b", "c"),
            "a − b + c がゼロベクトルになり",
        ),
        (
            {"a": [1, 0], "b": [0, 1], "c": [1, 1]},
            ("a", "b", "c"),
            "a, b, c 以外の単語が vectors にない",
        ),
    ],
)
def test_analogy_messages(vectors, words, message: str) -> None:
    with pytest.raises(EngineError) as err:
        analogy(vectors, *words)
    assert str(err.value).startswith(message)
