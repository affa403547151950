"""Renderers for :mod:`gquiz.engine.info` steps."""

from __future__ import annotations

from collections.abc import Callable

from gquiz.engine.core import Step
from gquiz.render.fmt import fmt_num as f
from gquiz.render.fmt import fmt_term as ft
from gquiz.render.stats import fv, fvt


def _log(base: str) -> str:
    return {"e": "ln", "2": "log₂", "10": "log₁₀"}[base]


def _unit(base: str) -> str:
    return {"e": "自然対数、単位 nat", "2": "底 2、単位 bit", "10": "底 10"}[base]


def info_entropy(step: Step) -> str:
    a = step.args
    lg = _log(a["base"])
    parts = " − ".join(f"{f(p)}×{lg} {f(p)}" for p in a["p"] if p > 0)
    return f"エントロピー H(p) = −Σ p {lg} p（{_unit(a['base'])}） = −({parts.replace(' − ', ' + ')}) = {fv(a['value'])}"


def info_cross_entropy(step: Step) -> str:
    a = step.args
    lg = _log(a["base"])
    parts = " + ".join(f"{f(p)}×{lg} {f(q)}" for p, q in zip(a["p"], a["q"], strict=True) if p > 0)
    terms = " + ".join(fv(t) for t, p in zip(a["terms"], a["p"], strict=True) if p > 0)
    return (
        f"交差エントロピー H(p, q) = −Σ p {lg} q（{_unit(a['base'])}） = −({parts})\n"
        f"  = {terms} = {fv(a['value'])}"
    )


def info_kl(step: Step) -> str:
    a = step.args
    lg = _log(a["base"])
    parts = " + ".join(
        f"{f(p)}×{lg}({f(p)} / {f(q)})" for p, q in zip(a["p"], a["q"], strict=True) if p > 0
    )
    terms = " + ".join(fvt(t) for t, p in zip(a["terms"], a["p"], strict=True) if p > 0)
    return (
        f"KL(p ‖ q) = Σ p {lg}(p / q)（{_unit(a['base'])}） = {parts}\n"
        f"  = {terms} = {fv(a['value'])}"
    )


def vae_kl_terms(step: Step) -> str:
    a = step.args
    lines = [
        "KL(N(μ, σ²) ‖ N(0, 1)) = ½ Σ_j (μ_j² + σ_j² − log σ_j² − 1)（自然対数、潜在次元で和）"
    ]
    for j, (m, v, lv, t) in enumerate(
        zip(a["mu"], a["var"], a["log_var"], a["terms"], strict=True), start=1
    ):
        if a["given"] == "sigma":
            src = f"σ² = {fv(v)}、log σ² = {fv(lv)}"
        else:
            src = f"log σ² = {f(lv)}、σ² = exp({f(lv)}) = {fv(v)}"
        lines.append(f"  次元{j}: {src} → ½({ft(m)}² + {fv(v)} − {fvt(lv)} − 1) = {fv(t)}")
    lines.append(f"合計 = {' + '.join(fvt(t) for t in a['terms'])} = {fv(a['value'])}")
    return "\n".join(lines)


def gan_real(step: Step) -> str:
    a = step.args
    logs = " + ".join(f"log {f(d)}" for d in a["d_real"])
    n = len(a["d_real"])
    head = f"本物の項 (1/m) Σ log D(x) = ({logs}) / {n}" if n > 1 else f"本物の項 log D(x) = {logs}"
    return f"{head} = {fv(a['value'])}"


def gan_fake(step: Step) -> str:
    a = step.args
    logs = " + ".join(f"log(1 − {f(d)})" for d in a["d_fake"])
    n = len(a["d_fake"])
    head = (
        f"生成の項 (1/m) Σ log(1 − D(G(z))) = ({logs}) / {n}"
        if n > 1
        else f"生成の項 log(1 − D(G(z))) = {logs}"
    )
    return f"{head} = {fv(a['value'])}"


def gan_v(step: Step) -> str:
    a = step.args
    return f"V(D, G) = 本物の項 + 生成の項 = {fv(a['real'])} + {fvt(a['fake'])} = {fv(a['value'])}（自然対数）"


def gan_d_loss(step: Step) -> str:
    a = step.args
    return f"識別器は V を最大化するので、その損失は −V(D, G) = −({fv(a['v'])}) = {fv(a['value'])}"


def gan_g_loss(step: Step) -> str:
    a = step.args
    logs = " + ".join(f"log {f(d)}" for d in a["d_fake"])
    n = len(a["d_fake"])
    return (
        "生成器の非飽和損失 = −(1/m) Σ log D(G(z))（log(1 − D(G(z))) の最小化は学習初期に勾配が消えるため）\n"
        f"  = −({logs}) / {n} = {fv(a['value'])}"
    )


def ppl_nll(step: Step) -> str:
    a = step.args
    logs = " + ".join(f"log {f(p)}" for p in a["probs"])
    n = len(a["probs"])
    return f"平均負の対数尤度 = −(1/N) Σ log p_i = −({logs}) / {n} = {fv(a['value'])}（自然対数）"


def ppl_exp(step: Step) -> str:
    a = step.args
    return f"パープレキシティ = exp(平均負の対数尤度) = exp({fv(a['nll'])}) = {fv(a['value'])}"


def ppl_from_ce(step: Step) -> str:
    a = step.args
    b = "e" if a["base"] == "e" else a["base"]
    unit = "nat" if a["base"] == "e" else "bit" if a["base"] == "2" else f"底 {a['base']}"
    return f"パープレキシティ = {b}^(交差エントロピー)（{unit} の場合） = {b}^{f(a['h'])} = {fv(a['value'])}"


RENDERERS: dict[str, Callable[[Step], str]] = {
    "info_entropy": info_entropy,
    "info_cross_entropy": info_cross_entropy,
    "info_kl": info_kl,
    "vae_kl_terms": vae_kl_terms,
    "gan_real": gan_real,
    "gan_fake": gan_fake,
    "gan_v": gan_v,
    "gan_d_loss": gan_d_loss,
    "gan_g_loss": gan_g_loss,
    "ppl_nll": ppl_nll,
    "ppl_exp": ppl_exp,
    "ppl_from_ce": ppl_from_ce,
}
