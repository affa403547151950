"""Answers of the statistics / information / RL / text / audio families against independent
computations: numpy.linalg, scipy, scikit-learn, torch, python_speech_features, brute force."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from gquiz.problems import generate

SEEDS = range(8)
LEVELS = (1, 2, 3)

scipy_stats = pytest.importorskip("scipy.stats")
scipy_signal = pytest.importorskip("scipy.signal")
sk_metrics = pytest.importorskip("sklearn.metrics")
sk_text = pytest.importorskip("sklearn.feature_extraction.text")
torch = pytest.importorskip("torch")
F = torch.nn.functional


def problems(families, fid: str, levels=LEVELS):
    return [generate(families[fid], d, s) for d in levels for s in SEEDS]


def t64(x) -> torch.Tensor:
    return torch.tensor(np.asarray(x, dtype=float), dtype=torch.float64)


def test_descriptive_stats_against_statistics_and_scipy(families) -> None:
    for p in problems(families, "descriptive-stats"):
        x = [float(v) for v in p.params["x"]]
        ref = {
            "mean": statistics.fmean(x),
            "median": statistics.median(x),
            "var": statistics.pvariance(x),
            "sample_var": float(scipy_stats.tvar(x)),
            "std": float(np.std(x, ddof=0)),
            "sample_std": statistics.stdev(x),
        }[p.params["ask"][0]]
        assert p.answer == pytest.approx(ref), p.id


def test_discrete_expectation_against_scipy_rv_discrete(families) -> None:
    for p in problems(families, "discrete-expectation"):
        x, pr = list(p.params["x"]), list(p.params["p"])
        rv = scipy_stats.rv_discrete(values=(x, pr))
        if p.difficulty == 1:
            assert p.answer == pytest.approx(rv.mean()), p.id
        elif p.difficulty == 2:
            assert p.answer == pytest.approx(rv.var()), p.id
        else:  # Var[aX + b] by enumerating Y's distribution
            a, b = p.params["a"], p.params["b"]
            ry = scipy_stats.rv_discrete(values=([a * v + b for v in x], pr))
            assert p.answer == pytest.approx(ry.var()), p.id


def test_bayes_by_counting_a_population(families) -> None:
    """10^8 people split by exact integer counts (every rate in the families is a multiple of 1%)."""
    n = 100_000_000
    for p in problems(families, "bayes"):
        prior, se, fp = (p.params[k] for k in ("prior", "se", "fp"))
        sick = round(n * prior)
        well = n - sick
        pos1_sick, pos1_well = round(sick * se), round(well * fp)
        if p.difficulty == 1:
            assert p.answer == pytest.approx((pos1_sick + pos1_well) / n), p.id
        elif p.difficulty == 2:
            assert p.answer == pytest.approx(pos1_sick / (pos1_sick + pos1_well)), p.id
        else:  # the positives of the first test take the test again
            both_sick, both_well = pos1_sick * se, pos1_well * fp
            assert p.answer == pytest.approx(both_sick / (both_sick + both_well)), p.id


def test_eigen_against_numpy_linalg(families) -> None:
    for p in problems(families, "eigen-2x2"):
        a = np.asarray(p.params["A"], dtype=float)
        w, v = np.linalg.eig(a)
        order = np.argsort(-w.real)
        if p.difficulty == 1:
            assert p.answer == pytest.approx(np.linalg.eigvalsh(a).max()), p.id
        elif p.difficulty == 2:
            np.testing.assert_allclose(p.answer, w.real[order], atol=1e-9)
        else:
            vec = v[:, order[0]].real
            assert p.answer == pytest.approx(vec[1] / vec[0]), p.id


def test_regression_errors_against_sklearn_and_torch(families) -> None:
    for p in problems(families, "regression-errors"):
        y, yhat = list(p.params["y"]), list(p.params["yhat"])
        ask = p.params["ask"][0]
        ref = {
            "mse": sk_metrics.mean_squared_error(y, yhat),
            "mae": sk_metrics.mean_absolute_error(y, yhat),
            "rmse": sk_metrics.root_mean_squared_error(y, yhat),
        }[ask]
        assert p.answer == pytest.approx(ref), p.id
        if ask == "mse":
            assert p.answer == pytest.approx(F.mse_loss(t64(yhat), t64(y)).item())


def test_entropy_kl_against_scipy_and_torch(families) -> None:
    for p in problems(families, "entropy-kl"):
        pr = list(p.params["p"])
        if p.difficulty == 1:
            assert p.answer == pytest.approx(scipy_stats.entropy(pr, base=2)), p.id
            continue
        q = list(p.params["q"])
        if p.difficulty == 2:  # soft-label cross-entropy of the logits log q
            ref = F.cross_entropy(torch.log(t64([q])), t64([pr])).item()
        else:
            ref = scipy_stats.entropy(pr, q)
        assert p.answer == pytest.approx(ref), p.id


def test_vae_kl_against_torch_distributions(families) -> None:
    normal, kl = torch.distributions.Normal, torch.distributions.kl_divergence
    for p in problems(families, "vae-kl"):
        mu = t64(p.params["mu"])
        if p.difficulty < 3:
            sigma = t64(p.params["s"])
        else:
            sigma = torch.exp(t64(p.params["lv"]) / 2)
        ref = kl(normal(mu, sigma), normal(torch.zeros_like(mu), torch.ones_like(mu))).sum()
        assert p.answer == pytest.approx(ref.item()), p.id


def test_gan_value_against_torch_bce(families) -> None:
    for p in problems(families, "gan-value"):
        dr, df = t64(p.params["dr"]), t64(p.params["df"])
        if p.difficulty < 3:
            ref = -F.binary_cross_entropy(dr, torch.ones_like(dr)) - F.binary_cross_entropy(
                df, torch.zeros_like(df)
            )
        else:
            ref = F.binary_cross_entropy(df, torch.ones_like(df))
        assert p.answer == pytest.approx(ref.item()), p.id


def test_discounted_return_against_lfilter(families) -> None:
    for p in problems(families, "discounted-return"):
        r, g = [float(v) for v in p.params["r"]], p.params["g"]
        if p.difficulty == 3:
            r = [*r, float(p.params["v"])]  # the bootstrap value arrives one step later
        ref = scipy_signal.lfilter([1], [1, -g], r[::-1])[::-1][0]
        assert p.answer == pytest.approx(ref), p.id


def _sgd(v: float, target: float, alpha: float) -> float:
    """One SGD step on ½(target − v)² with the target held fixed (the tabular TD update)."""
    w = torch.tensor(v, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=alpha)
    (0.5 * (torch.tensor(target, dtype=torch.float64) - w) ** 2).backward()
    opt.step()
    return w.item()


def test_td_zero_is_one_sgd_step(families) -> None:
    for p in problems(families, "td-zero"):
        v, vn, r, al, g = (p.params[k] for k in ("v", "vn", "r", "al", "g"))
        target = r + (0 if p.difficulty == 3 else g * vn)
        if p.difficulty == 2:
            assert p.answer == pytest.approx(target - v), p.id
        else:
            assert p.answer == pytest.approx(_sgd(v, target, al)), p.id


@pytest.mark.parametrize("fid", ["q-learning", "sarsa"])
def test_q_learning_and_sarsa_are_one_sgd_step(families, fid: str) -> None:
    for p in problems(families, fid):
        q = np.asarray(p.params["Q"], dtype=float)
        s, a, s2, a2 = (int(p.params[k]) for k in ("s", "a", "s2", "a2"))
        r, al, g = p.params["r"], p.params["al"], p.params["g"]
        nxt = q[s2].max() if fid == "q-learning" else q[s2, a2]
        target = r + g * nxt
        if fid == "q-learning" and p.difficulty == 3:
            assert p.answer == pytest.approx(target - q[s, a]), p.id
        else:
            assert p.answer == pytest.approx(_sgd(q[s, a], target, al)), p.id


def test_mel_scale_against_python_speech_features(families) -> None:
    psf = pytest.importorskip("python_speech_features.base")
    for p in problems(families, "mel-scale"):
        if p.difficulty == 2:
            assert p.answer == pytest.approx(psf.mel2hz(p.params["m2"])), p.id
        else:
            assert p.answer == pytest.approx(psf.hz2mel(p.params["f2"])), p.id


def test_transposed_conv_size_against_torch(families) -> None:
    for p in problems(families, "transposed-conv-size"):
        n, k, s, pad = (int(p.params[x]) for x in ("n", "k", "s", "p"))
        op = int(p.params.get("op", 0))
        layer = torch.nn.ConvTranspose2d(1, 1, k, stride=s, padding=pad, output_padding=op)
        assert p.answer == layer(torch.zeros(1, 1, n, n)).shape[-1], p.id


def test_tf_idf_against_sklearn(families) -> None:
    for p in problems(families, "tf-idf"):
        t = p.params["t"]
        docs, term, d = t["docs"], t["term"], t["doc"]
        vec = sk_text.TfidfVectorizer(
            tokenizer=str.split, token_pattern=None, lowercase=False, smooth_idf=False, norm=None
        ).fit(docs)
        idf = vec.idf_[vec.vocabulary_[term]] - 1  # scikit-learn adds 1 to ln(N / df)
        counts = sk_text.CountVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False)
        c = counts.fit_transform(docs).toarray()[d, counts.vocabulary_[term]]
        ref = idf if p.difficulty == 1 else c / len(docs[d].split()) * idf
        assert p.answer == pytest.approx(ref), p.id


def test_perplexity_against_torch_cross_entropy(families) -> None:
    for p in problems(families, "perplexity"):
        if p.difficulty == 3:
            assert p.answer == pytest.approx(2 ** p.params["h"]), p.id
            continue
        pr = t64(p.params["p"])
        logits = torch.log(torch.stack([pr, 1 - pr], dim=1))  # token 0 is the correct one
        ref = torch.exp(F.cross_entropy(logits, torch.zeros(len(pr), dtype=torch.long)))
        assert p.answer == pytest.approx(ref.item()), p.id
        assert p.answer == pytest.approx(math.prod(1 / v for v in p.params["p"]) ** (1 / len(pr)))
