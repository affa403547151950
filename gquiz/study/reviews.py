"""What is due for review today, as questions ready to ask."""

from __future__ import annotations

import random
from datetime import datetime

from gquiz.bank.models import utcnow
from gquiz.bank.repo import Bank, QuestionView
from gquiz.study.drill import generated_problems
from gquiz.study.review import is_due_today, review_horizon


def due_items(bank: Bank, learner_id: int, now: datetime | None = None) -> list[QuestionView]:
    """「今日の復習」: reviewed cards due before the end of the local day, most overdue first.

    A question card asks that question; a family card asks a fresh problem of that family,
    since the skill, not the instance, is what is reviewed.
    """
    now = now or utcnow()
    horizon = review_horizon(now, bank.zone)
    due = sorted(
        (
            (d, k, i)
            for k, i, d, _f, reviewed in bank.cards(learner_id)
            if is_due_today(d, reviewed, horizon)
        ),
        key=lambda t: t[0],
    )
    ids = [i for _d, k, i in due if k == "question"]
    views = {q.id: q for q in bank.questions(ids=ids)}
    out: list[QuestionView] = []
    rng = random.Random(int(now.timestamp()))
    for _d, kind, item_id in due:
        if kind == "question" and item_id in views:
            out.append(views[item_id])
        elif kind == "family":
            out.extend(generated_problems(bank, [item_id], 1, rng))
    return out
