"""Information, generative-model, RL, text, audio and transposed-conv solvers against
scipy, scikit-learn, torch, python_speech_features and brute force."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gquiz.engine.audio import mel_scale
from gquiz.engine.core import EngineError
from gquiz.engine.info import discrete_information, gan_value, perplexity, vae_kl
from gquiz.engine.rl import discounted_return, q_update, td0_update
from gquiz.engine.text import tf_idf
from gquiz.engine.upsample import transposed_conv_size
from gquiz.render import render_steps
from gquiz.render.stats import fv

scipy_stats = pytest.importorskip("scipy.stats")
scipy_signal = pytest.importorskip("scipy.signal")
torch = pytest.importorskip("torch")
F = torch.nn.functional


def dist(n_min: int = 2, n_max: int = 5):
    return st.lists(st.integers(1, 9), min_size=n_min, max_size=n_max).map(
        lambda c: (np.array(c, dtype=float) / sum(c)).tolist()
    )


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_information_against_scipy_and_torch(data):
    p = data.draw(dist())
    q = data.draw(dist(len(p), len(p)))
    for base in ("e", 2):
        b = math.e if base == "e" else 2
        h = discrete_information(p, base=base).answer["entropy"]
        assert h == pytest.approx(scipy_stats.entropy(p, base=b))
        a = discrete_information(p, q, base=base, ask="kl").answer
        assert a["kl"] == pytest.approx(scipy_stats.entropy(p, q, base=b))
        assert a["kl_reverse"] == pytest.approx(scipy_stats.entropy(q, p, base=b))
        assert a["cross_entropy"] == pytest.approx(
            scipy_stats.entropy(p, base=b) + scipy_stats.entropy(p, q, base=b)
        )
    # torch: soft-label cross-entropy of logits log q is H(p, q) in nats
    ce = F.cross_entropy(
        torch.log(torch.tensor([q], dtype=torch.float64)), torch.tensor([p], dtype=torch.float64)
    )
    assert discrete_information(p, q, ask="cross_entropy").answer["cross_entropy"] == pytest.approx(
        ce.item()
    )
    kl = F.kl_div(
        torch.log(torch.tensor(q, dtype=torch.float64)),
        torch.tensor(p, dtype=torch.float64),
        reduction="sum",
    )
    assert discrete_information(p, q, ask="kl").answer["kl"] == pytest.approx(kl.item())


def test_information_zero_probabilities_and_errors():
    assert discrete_information([1.0, 0.0]).answer["entropy"] == 0
    assert discrete_information([0.5, 0.5, 0.0], [0.25, 0.25, 0.5], ask="kl").answer[
        "kl"
    ] == pytest.approx(math.log(2))
    with pytest.raises(EngineError, match="無限大"):
        discrete_information([0.5, 0.5], [1.0, 0.0], ask="kl")
    with pytest.raises(EngineError, match="q が必要"):
        discrete_information([0.5, 0.5], ask="kl")
    with pytest.raises(EngineError, match="base"):
        discrete_information([0.5, 0.5], base=3)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(-20, 20), st.integers(-15, 15)), min_size=1, max_size=4))
def test_vae_kl_against_torch_distributions(pairs):
    mu = [m / 10 for m, _ in pairs]
    log_var = [v / 10 for _, v in pairs]
    sigma = np.exp(np.array(log_var) / 2)
    Normal = torch.distributions.Normal
    ref = torch.distributions.kl_divergence(
        Normal(torch.tensor(mu, dtype=torch.float64), torch.tensor(sigma, dtype=torch.float64)),
        Normal(torch.zeros(len(mu), dtype=torch.float64), torch.ones(len(mu), dtype=torch.float64)),
    ).sum()
    assert vae_kl(mu, log_var=log_var).answer["kl"] == pytest.approx(ref.item(), abs=1e-12)
    assert vae_kl(mu, sigma=sigma).answer["kl"] == pytest.approx(ref.item(), abs=1e-12)


def test_vae_kl_errors():
    with pytest.raises(EngineError, match="どちらか一方"):
        vae_kl([0.0], sigma=[1.0], log_var=[0.0])
    with pytest.raises(EngineError, match="正の値"):
        vae_kl([0.0], sigma=[0.0])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(1, 99), min_size=1, max_size=4),
    st.lists(st.integers(1, 99), min_size=1, max_size=4),
)
def test_gan_value_against_torch_bce(real, fake):
    dr = torch.tensor([r / 100 for r in real], dtype=torch.float64)
    df = torch.tensor([f / 100 for f in fake], dtype=torch.float64)
    a = gan_value(dr.tolist(), df.tolist()).answer
    # V = −BCE(D(x), 1) − BCE(D(G(z)), 0); the non-saturating G loss is BCE(D(G(z)), 1)
    v = -F.binary_cross_entropy(dr, torch.ones_like(dr)) - F.binary_cross_entropy(
        df, torch.zeros_like(df)
    )
    assert a["value"] == pytest.approx(v.item())
    assert a["d_loss"] == pytest.approx(-v.item())
    assert a["g_loss"] == pytest.approx(F.binary_cross_entropy(df, torch.ones_like(df)).item())
    with pytest.raises(EngineError, match="0 より大きく"):
        gan_value([1.0], [0.5])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 100), min_size=1, max_size=6))
def test_perplexity_against_torch_cross_entropy(ps):
    p = torch.tensor([x / 100 for x in ps], dtype=torch.float64)
    # A vocabulary of 2 where the correct token (0) has probability p_i at position i.
    logits = torch.log(torch.stack([p, (1 - p).clamp_min(1e-300)], dim=1))
    ref = torch.exp(F.cross_entropy(logits, torch.zeros(len(ps), dtype=torch.long)))
    assert perplexity(p.tolist()).answer["perplexity"] == pytest.approx(ref.item())
    h2 = float(-(torch.log2(p)).mean())
    assert perplexity(cross_entropy=h2, base=2).answer["perplexity"] == pytest.approx(ref.item())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-5, 5), min_size=1, max_size=8),
    st.sampled_from([0.0, 0.5, 0.8, 0.9, 0.99, 1.0]),
)
def test_discounted_return_against_lfilter_and_recursion(rewards, gamma):
    # scipy's classic RL trick: G_t = r_t + γ G_{t+1} is a first-order IIR filter run backwards.
    ref = scipy_signal.lfilter([1], [1, -gamma], rewards[::-1])[::-1][0]
    assert discounted_return(rewards, gamma).answer["return"] == pytest.approx(ref)
    g = 7.0  # bootstrap value, by backward recursion
    for r in reversed(rewards):
        g = r + gamma * g
    assert discounted_return(rewards, gamma, bootstrap=7).answer["return"] == pytest.approx(g)


def _sgd_step(table, s, a, target, alpha):
    """One SGD step on ½(target − Q[s, a])² with the target held fixed: the tabular update."""
    q = torch.tensor(table, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([q], lr=alpha)
    loss = 0.5 * (torch.tensor(target, dtype=torch.float64) - q[s, a]) ** 2
    loss.backward()
    opt.step()
    return q.detach().numpy()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-9, 9), min_size=6, max_size=6),
    st.integers(0, 2),
    st.integers(0, 1),
    st.integers(0, 2),
    st.integers(0, 1),
    st.integers(-3, 3),
    st.sampled_from([0.1, 0.5, 1.0]),
    st.sampled_from([0.0, 0.9, 1.0]),
    st.booleans(),
)
def test_q_learning_and_sarsa_are_one_sgd_step(cells, s, a, s2, a2, r, alpha, gamma, term):
    table = np.array(cells, dtype=float).reshape(3, 2)
    for method in ("q_learning", "sarsa"):
        nxt = 0.0 if term else (table[s2].max() if method == "q_learning" else table[s2, a2])
        ref = _sgd_step(table, s, a, r + gamma * nxt, alpha)
        sol = q_update(
            table, s, a, r, s2, alpha, gamma, method=method, next_action=a2, terminal=term
        )
        np.testing.assert_allclose(sol.answer["table"], ref, atol=1e-12)
        assert sol.answer["new_value"] == pytest.approx(ref[s, a])
        assert render_steps(sol)[-1].endswith(f"= {fv(ref[s, a])}")


def test_td0_is_one_sgd_step_and_asks_stop_early():
    v = _sgd_step([[2.0]], 0, 0, 1.0 + 0.9 * 4.0, 0.5)
    assert td0_update(2.0, 1.0, 4.0, 0.5, 0.9).answer["new_value"] == pytest.approx(v[0, 0])
    assert td0_update(2.0, 1.0, 4.0, 0.5, 0.9, terminal=True).answer["target"] == 1.0
    sol = td0_update(2.0, 1.0, 4.0, 0.5, 0.9, ask="td_error")
    assert len(sol.steps) == 2
    assert render_steps(sol)[-1].endswith("= 2.6")
    with pytest.raises(EngineError, match="next_action"):
        q_update([[0, 1]], 0, 0, 1, 0, 0.5, 0.9, method="sarsa")
    with pytest.raises(EngineError, match="state"):
        q_update([[0, 1]], 2, 0, 1, 0, 0.5, 0.9)


def test_mel_against_python_speech_features():
    psf = pytest.importorskip("python_speech_features.base")
    for hz in (0, 100, 440, 700, 1000, 4000, 8000, 16000):
        m = mel_scale(hz=hz).answer["mel"]
        assert m == pytest.approx(psf.hz2mel(hz))
        assert mel_scale(mel=m).answer["hz"] == pytest.approx(psf.mel2hz(m))
    with pytest.raises(EngineError, match="どちらか一方"):
        mel_scale()


@pytest.mark.parametrize(
    ("n", "k", "s", "p", "op", "d"),
    [
        (4, 4, 2, 1, 0, 1),
        (7, 3, 2, 1, 1, 1),
        (5, 3, 1, 0, 0, 1),
        (3, 5, 3, 2, 2, 1),
        (6, 3, 2, 2, 1, 2),
    ],
)
def test_transposed_conv_size_against_torch(n, k, s, p, op, d):
    layer = torch.nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, output_padding=op, dilation=d)
    out = layer(torch.zeros(1, 1, n, n)).shape[-1]
    sol = transposed_conv_size(n, k, s, p, op, d)
    assert sol.answer == out
    assert render_steps(sol)[-1].endswith(f"= {out}")


def test_transposed_conv_size_errors():
    with pytest.raises(EngineError, match="output_padding"):
        transposed_conv_size(4, 3, stride=2, output_padding=2)
    with pytest.raises(EngineError, match="1 未満"):
        transposed_conv_size(1, 1, padding=1)


def test_tf_idf_against_sklearn():
    text = pytest.importorskip("sklearn.feature_extraction.text")
    docs = ["犬 猫 犬 鳥", "猫 鳥", "鳥 魚 魚", "犬 魚"]
    vec = text.TfidfVectorizer(
        tokenizer=str.split, token_pattern=None, lowercase=False, smooth_idf=False, norm=None
    )
    vec.fit(docs)
    counts = text.CountVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False)
    c = counts.fit_transform(docs).toarray()
    vocab = counts.vocabulary_
    for term, j in vec.vocabulary_.items():
        for d, doc in enumerate(docs):
            a = tf_idf(docs, term, d).answer
            # scikit-learn (smooth_idf=False): idf = ln(N / df) + 1; tf = the raw count
            assert a["idf"] == pytest.approx(vec.idf_[j] - 1)
            assert a["tf"] == pytest.approx(c[d, vocab[term]] / len(doc.split()))
            assert a["tfidf"] == pytest.approx(a["tf"] * (vec.idf_[j] - 1))
    with pytest.raises(EngineError, match="df = 0"):
        tf_idf(docs, "象", 0)
