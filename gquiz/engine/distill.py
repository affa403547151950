"""Knowledge distillation (Hinton, Vinyals & Dean 2015): soft targets and the distillation loss.

Loss convention::

    L = α · T² · KL(p_teacher^(T) ‖ p_student^(T)) + (1 − α) · CE(softmax(z_student), y)

where ``p^(T) = softmax(z / T)``. The soft term is multiplied by ``T²`` because its
gradients scale as ``1 / T²``; the factor keeps the two terms' relative weight unchanged
when the temperature changes. The KL term equals the soft cross-entropy
``H(p_teacher, p_student)`` minus the teacher's entropy (a constant for the student), so
both are reported. Batches are averaged over samples (``kl_div(..., "batchmean")``).
Without ``labels`` only the soft term is used (``α`` is ignored).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gquiz.engine.core import EngineError, Solution, Step, as_array, as_float
from gquiz.engine.losses import softmax_rows, softmax_steps
from gquiz.engine.registry import solver


@solver(
    "soft_targets",
    "蒸留のソフトターゲット (温度 T で教師のロジットをソフトマックス)",
    {"teacher_logits": "教師モデルのロジット", "temperature": "温度 T"},
)
def soft_targets(teacher_logits: Any, temperature: Any) -> Solution:
    """Soft targets ``softmax(z_teacher / T)`` (the same computation as :func:`softmax`)."""
    z = as_array(teacher_logits, "teacher_logits", ndim=(1, 2))
    t = as_float(temperature, "temperature", positive=True)
    return Solution(softmax_rows(z, t), tuple(softmax_steps(z, t, "教師")))


@solver(
    "distillation_loss",
    "蒸留損失 α·T²·KL(教師 ‖ 生徒) + (1 − α)·CE(生徒, 正解)",
    {
        "student_logits": "生徒モデルのロジット (ベクトルか N×C)",
        "teacher_logits": "教師モデルのロジット (同じ形)",
        "temperature": "温度 T (既定 1)",
        "labels": "正解クラス番号 (省略時はソフトターゲットの項のみ)",
        "alpha": "ソフトターゲット項の重み α (既定 0.5)",
    },
)
def distillation_loss(
    student_logits: Any,
    teacher_logits: Any,
    temperature: Any = 1.0,
    labels: Any = None,
    alpha: Any = 0.5,
) -> Solution:
    """Hinton's distillation loss; see the module docstring for the convention and the T² factor."""
    zs = as_array(student_logits, "student_logits", ndim=(1, 2))
    zt = as_array(teacher_logits, "teacher_logits", ndim=(1, 2))
    if zs.shape != zt.shape:
        raise EngineError(
            f"teacher_logits の形 {zt.shape} が student_logits の形 {zs.shape} と一致しない"
        )
    t = as_float(temperature, "temperature", positive=True)
    a = as_float(alpha, "alpha", min_value=0, max_value=1)
    zs2, zt2 = zs.reshape(-1, zs.shape[-1]), zt.reshape(-1, zt.shape[-1])
    pt = softmax_rows(zt2, t)
    ps = softmax_rows(zs2, t)
    log_ps = np.log(ps)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_terms = np.where(pt > 0, pt * (np.log(pt) - log_ps), 0.0)
    kl = float(kl_terms.sum(axis=1).mean())
    soft_ce = float(-(pt * log_ps).sum(axis=1).mean())
    steps = softmax_steps(zt2, t, "教師") + softmax_steps(zs2, t, "生徒")
    steps.append(Step("kl", {"pt": pt, "ps": ps, "terms": kl_terms, "kl": kl, "soft_ce": soft_ce}))
    soft = t * t * kl
    steps.append(Step("t2", {"t": t, "kl": kl, "value": soft}))
    answer: dict[str, Any] = {
        "soft_targets": pt if zt.ndim == 2 else pt[0],
        "kl": kl,
        "soft_cross_entropy": soft_ce,
        "soft_loss": soft,
    }
    if labels is None:
        answer["loss"] = soft
        return Solution(answer, tuple(steps))
    from gquiz.engine.losses import cross_entropy

    ce_sol = cross_entropy(zs2, labels if np.ndim(labels) else [labels])
    hard = float(ce_sol.answer)
    total = a * soft + (1 - a) * hard
    steps.append(Step("hard_ce", {"value": hard}))
    steps.append(Step("distill_total", {"alpha": a, "soft": soft, "hard": hard, "value": total}))
    answer.update({"hard_loss": hard, "loss": total})
    return Solution(answer, tuple(steps))
