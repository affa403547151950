"""Information theory of discrete distributions and the generative models' objectives:
entropy, cross-entropy and KL divergence, the KL term of a VAE with a Gaussian encoder,
the GAN value function V(D, G) and a language model's perplexity.

Conventions:

* ``base`` is ``"e"`` (nats, natural log) or ``2`` (bits); ``0 · log 0 = 0``. A ``q_i = 0``
  where ``p_i > 0`` makes the cross-entropy and the KL divergence infinite, which is refused.
* VAE: ``KL(N(μ, σ²) ‖ N(0, 1)) = ½ Σ_j (μ_j² + σ_j² − log σ_j² − 1)`` summed over the latent
  dimensions (Kingma & Welling 2014, appendix B, with the sign of a loss: ≥ 0).
* GAN: ``V(D, G) = (1/m) Σ log D(x_i) + (1/m) Σ log(1 − D(G(z_i)))`` (Goodfellow et al. 2014),
  natural log; the discriminator maximises it, the generator minimises it. The
  non-saturating generator loss is ``−(1/m) Σ log D(G(z_i))``.
* Perplexity: ``exp(−(1/N) Σ log p_i)`` = the geometric mean of ``1/p_i`` over the N tokens.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gquiz.engine.core import EngineError, Solution, Step, as_array
from gquiz.engine.registry import solver

__all__ = ["discrete_information", "gan_value", "perplexity", "vae_kl"]


def _base(base: Any) -> tuple[float, str]:
    if base in ("e", "E", "nat", "nats") or (isinstance(base, (int, float)) and base == math.e):
        return math.e, "e"
    if isinstance(base, (int, float)) and not isinstance(base, bool) and base in (2, 10):
        return float(base), str(int(base))
    if base in ("2", "10"):
        return float(base), str(base)
    raise EngineError(f"base は 'e'（自然対数）か 2 か 10 で指定してください（{base!r}）")


def _log(x: np.ndarray | float, b: float) -> Any:
    return np.log(x) / math.log(b)


def _distribution(x: Any, name: str) -> np.ndarray:
    p = as_array(x, name, ndim=1)
    if np.any(p < 0):
        raise EngineError(f"{name} に負の確率がある")
    if abs(float(p.sum()) - 1) > 1e-9:
        raise EngineError(f"{name} の合計が 1 ではない（{float(p.sum()):g}）")
    return p


def _entropy(p: np.ndarray, b: float) -> tuple[np.ndarray, float]:
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * _log(np.where(p > 0, p, 1.0), b), 0.0)
    return terms, float(terms.sum())


def _cross(p: np.ndarray, q: np.ndarray, b: float, name: str) -> tuple[np.ndarray, float]:
    if np.any((p > 0) & (q == 0)):
        raise EngineError(f"p_i > 0 なのに {name}_i = 0 の成分がある（log 0 で無限大になる）")
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * _log(np.where(q > 0, q, 1.0), b), 0.0)
    return terms, float(terms.sum())


@solver(
    "discrete_information",
    "離散分布のエントロピー H(p)・交差エントロピー H(p, q)・KL ダイバージェンス KL(p ‖ q)",
    {
        "p": "分布 p (正解・データの分布) の確率のリスト",
        "q": "分布 q (モデルの分布) の確率のリスト (エントロピーだけなら省略可)",
        "base": "対数の底 'e' (自然対数、既定) か 2 (ビット)",
        "ask": "求める量 entropy / cross_entropy / kl (既定 entropy)",
    },
)
def discrete_information(p: Any, q: Any = None, base: Any = "e", ask: Any = "entropy") -> Solution:
    """H(p) = −Σ p log p, H(p, q) = −Σ p log q, KL(p ‖ q) = Σ p log(p / q) = H(p, q) − H(p).

    Examples
    --------
    >>> discrete_information([0.5, 0.25, 0.25], base=2).answer["entropy"]
    1.5
    >>> round(discrete_information([0.5, 0.5], [0.9, 0.1], ask="kl").answer["kl"], 6)
    0.510826
    """
    b, bname = _base(base)
    pp = _distribution(p, "p")
    if ask not in ("entropy", "cross_entropy", "kl"):
        raise EngineError(
            f"ask は entropy, cross_entropy, kl のどれかで指定してください（{ask!r}）"
        )
    hp_terms, hp = _entropy(pp, b)
    answer: dict[str, Any] = {
        "entropy": hp,
        "cross_entropy": None,
        "kl": None,
        "kl_reverse": None,
        "cross_entropy_reverse": None,
        # −Σ log p_i without the weights p_i (a named mistake of the entropy drill)
        "unweighted": float(-_log(pp[pp > 0], b).sum()),
    }
    if ask == "entropy":
        return Solution(
            answer,
            (Step("info_entropy", {"p": pp, "base": bname, "terms": hp_terms, "value": hp}),),
        )
    if q is None:
        raise EngineError("交差エントロピーと KL ダイバージェンスには q が必要")
    qq = _distribution(q, "q")
    if qq.shape != pp.shape:
        raise EngineError(f"q の個数 ({qq.size}) が p の個数 ({pp.size}) と一致しない")
    ce_terms, ce = _cross(pp, qq, b, "q")
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_terms = np.where(
            pp > 0, pp * _log(np.where(pp > 0, pp, 1.0) / np.where(qq > 0, qq, 1.0), b), 0.0
        )
    kl = float(kl_terms.sum())
    answer.update({"cross_entropy": ce, "kl": kl, "entropy_q": _entropy(qq, b)[1]})
    if not np.any((qq > 0) & (pp == 0)):
        answer["cross_entropy_reverse"] = _cross(qq, pp, b, "p")[1]
        answer["kl_reverse"] = float(
            np.where(
                qq > 0, qq * _log(np.where(qq > 0, qq, 1.0) / np.where(pp > 0, pp, 1.0), b), 0.0
            ).sum()
        )
    if ask == "cross_entropy":
        step = Step(
            "info_cross_entropy", {"p": pp, "q": qq, "base": bname, "terms": ce_terms, "value": ce}
        )
        return Solution(answer, (step,))
    step = Step("info_kl", {"p": pp, "q": qq, "base": bname, "terms": kl_terms, "value": kl})
    return Solution(answer, (step,))


@solver(
    "vae_kl",
    "VAE の KL 項 KL(N(μ, σ²) ‖ N(0, 1)) (ガウス分布のエンコーダ)",
    {
        "mu": "エンコーダが出力した平均 μ (潜在次元ごと)",
        "sigma": "標準偏差 σ (潜在次元ごと、正の値)。log_var と同時には指定しない",
        "log_var": "対数分散 log σ² (sigma の代わりに指定)",
    },
)
def vae_kl(mu: Any, sigma: Any = None, log_var: Any = None) -> Solution:
    """½ Σ (μ² + σ² − log σ² − 1): the closed-form KL of a diagonal Gaussian to N(0, I).

    Examples
    --------
    >>> vae_kl([0.0], sigma=[1.0]).answer["kl"]
    0.0
    >>> round(vae_kl([1.0, 0.0], log_var=[0.0, 0.0]).answer["kl"], 6)
    0.5
    """
    m = as_array(mu, "mu", ndim=1)
    if (sigma is None) == (log_var is None):
        raise EngineError("sigma と log_var のどちらか一方を指定してください")
    if sigma is not None:
        s = as_array(sigma, "sigma", ndim=1)
        if np.any(s <= 0):
            raise EngineError("sigma は正の値でなければならない")
        var = s**2
        lv = np.log(var)
        given = "sigma"
    else:
        lv = as_array(log_var, "log_var", ndim=1)
        var = np.exp(lv)
        given = "log_var"
    if var.shape != m.shape:
        raise EngineError(f"{given} の個数 ({var.size}) が mu の個数 ({m.size}) と一致しない")
    terms = 0.5 * (m**2 + var - lv - 1)
    kl = float(terms.sum())
    steps = (
        Step(
            "vae_kl_terms",
            {"mu": m, "var": var, "log_var": lv, "given": given, "terms": terms, "value": kl},
        ),
    )
    answer = {
        "kl": kl,
        "terms": terms,
        "var": var,
        "log_var": lv,
        # the sums a learner adds up, for the named mistakes of the problem families
        "sum_mu2": float((m**2).sum()),
        "sum_var": float(var.sum()),
        "sum_log_var": float(lv.sum()),
        "dims": int(m.size),
    }
    return Solution(answer, steps)


@solver(
    "gan_value",
    "GAN の価値関数 V(D, G) と識別器・生成器の損失 (識別器の出力から)",
    {
        "d_real": "本物のデータ x_i に対する識別器の出力 D(x_i) (0〜1)",
        "d_fake": "生成データ G(z_i) に対する識別器の出力 D(G(z_i)) (0〜1)",
        "ask": "求める量 value (V(D, G)) / d_loss (識別器の損失 −V) / g_loss (生成器の非飽和損失 −mean log D(G(z)))",
    },
)
def gan_value(d_real: Any, d_fake: Any, ask: Any = "value") -> Solution:
    """V(D, G) = mean log D(x) + mean log(1 − D(G(z))), natural log.

    Examples
    --------
    >>> round(gan_value([0.8], [0.2]).answer["value"], 6)
    -0.446287
    """
    dr = as_array(d_real, "d_real", ndim=(0, 1)).reshape(-1)
    df = as_array(d_fake, "d_fake", ndim=(0, 1)).reshape(-1)
    for arr, name in ((dr, "d_real"), (df, "d_fake")):
        if np.any((arr <= 0) | (arr >= 1)):
            raise EngineError(
                f"{name} は 0 より大きく 1 より小さい値でなければならない（log 0 になる）"
            )
    if ask not in ("value", "d_loss", "g_loss"):
        raise EngineError(f"ask は value, d_loss, g_loss のどれかで指定してください（{ask!r}）")
    real_terms = np.log(dr)
    fake_terms = np.log(1 - df)
    real_mean, fake_mean = float(real_terms.mean()), float(fake_terms.mean())
    v = real_mean + fake_mean
    g_loss = float(-np.log(df).mean())
    answer = {
        "value": v,
        "d_loss": -v,
        "g_loss": g_loss,
        "g_saturating": fake_mean,
        "real_term": real_mean,
        "fake_term": fake_mean,
        "mean_log_d_fake": float(np.log(df).mean()),
        "mean_log_one_minus_real": float(np.log(1 - dr).mean()),
        "m_real": int(dr.size),
        "m_fake": int(df.size),
    }
    if ask == "g_loss":
        step = Step("gan_g_loss", {"d_fake": df, "terms": -np.log(df), "value": g_loss})
        return Solution(answer, (step,))
    steps = [
        Step("gan_real", {"d_real": dr, "terms": real_terms, "value": real_mean}),
        Step("gan_fake", {"d_fake": df, "terms": fake_terms, "value": fake_mean}),
        Step("gan_v", {"real": real_mean, "fake": fake_mean, "value": v}),
    ]
    if ask == "d_loss":
        steps.append(Step("gan_d_loss", {"v": v, "value": -v}))
    return Solution(answer, tuple(steps))


@solver(
    "perplexity",
    "言語モデルのパープレキシティ exp(−(1/N) Σ log p_i) (正解トークンの確率から)",
    {
        "probs": "モデルが各位置の正解トークンに与えた確率 p_i のリスト",
        "cross_entropy": "(probs の代わりに) 1 トークンあたりの交差エントロピー",
        "base": "cross_entropy の対数の底 'e' (既定) か 2",
    },
)
def perplexity(probs: Any = None, cross_entropy: Any = None, base: Any = "e") -> Solution:
    """Perplexity = exp(mean negative log-likelihood) = base ** (cross-entropy in that base).

    Examples
    --------
    >>> perplexity([0.25, 0.25]).answer["perplexity"]
    4.0
    >>> perplexity(cross_entropy=3, base=2).answer["perplexity"]
    8.0
    """
    if (probs is None) == (cross_entropy is None):
        raise EngineError("probs と cross_entropy のどちらか一方を指定してください")
    b, bname = _base(base)
    if cross_entropy is not None:
        from gquiz.engine.core import as_float

        h = as_float(cross_entropy, "cross_entropy", min_value=0)
        ppl = b**h
        step = Step("ppl_from_ce", {"h": h, "base": bname, "value": ppl})
        return Solution({"perplexity": ppl, "nll": h * math.log(b)}, (step,))
    p = as_array(probs, "probs", ndim=1)
    if np.any((p <= 0) | (p > 1)):
        raise EngineError("probs は 0 より大きく 1 以下の確率でなければならない")
    nll_terms = -np.log(p)
    nll = float(nll_terms.mean())
    ppl = math.exp(nll)
    steps = (
        Step("ppl_nll", {"probs": p, "terms": nll_terms, "value": nll}),
        Step("ppl_exp", {"nll": nll, "n": p.size, "value": ppl}),
    )
    return Solution(
        {
            "perplexity": ppl,
            "nll": nll,
            "nll_sum": float(nll_terms.sum()),
            "product": float(np.prod(p)),
        },
        steps,
    )
