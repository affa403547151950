"""Drills that steer the learner to what they do not know yet.

弱点克服 (`weak`): about a third from review cards that are due, most of the rest from the
weakest topics (the weakest gets the largest share), and a few generated problems from the
drill families of weak computation topics; topped up with never-answered questions. Other
modes: `wrong` (last answer was wrong), `new` (never answered), `flagged`. No item appears
twice in one drill.
"""

from __future__ import annotations

import math
import random
from datetime import datetime

from gquiz.bank.models import utcnow
from gquiz.bank.repo import Bank, QuestionView
from gquiz.study.review import is_due_today, review_horizon
from gquiz.study.stats import TopicStats, learner_stats

MODES = {
    "weak": "弱点克服",
    "wrong": "間違えた問題",
    "new": "未回答の問題",
    "flagged": "フラグ付きの問題",
}
# The non-due part is shared by up to this many weakest topics, in proportion to 1 − mastery.
WEAK_TOPICS = 3
DUE_SHARE = 1 / 3
FAMILY_SHARE = 0.2


def generated_problems(
    bank: Bank, family_ids: list[str], count: int, rng: random.Random
) -> list[QuestionView]:
    """Exam-style generated problems from drill families (empty if none of them is loaded)."""
    if not family_ids or count <= 0:
        return []
    from gquiz.problems import generate, load_families
    from gquiz.study.generated import as_question

    families = load_families(bank.sources.problems)
    out: list[QuestionView] = []
    usable = [f for f in family_ids if f in families]
    for i in range(count):
        if not usable:
            break
        fid = usable[i % len(usable)]
        try:
            problem = generate(families[fid], rng.choice((1, 2, 2, 3)), rng.randrange(1_000_000))
        except Exception:  # a broken family must not break the drill; it is reported by its tests
            usable.remove(fid)
            continue
        out.append(as_question(problem))
    return out


def select_drill(
    bank: Bank,
    learner_id: int,
    mode: str = "weak",
    count: int = 20,
    seed: int | None = None,
    now: datetime | None = None,
) -> list[QuestionView]:
    """The items of one drill, in the order they are asked."""
    if mode not in MODES:
        raise ValueError(f"unknown drill mode: {mode}")
    rng = random.Random(seed)
    now = now or utcnow()
    questions = bank.questions()
    by_id = {q.id: q for q in questions}
    last = bank.last_results(learner_id)
    chosen: list[QuestionView] = []
    seen: set[str] = set()

    def take(candidates: list[QuestionView], limit: int) -> None:
        pool = [q for q in candidates if q.id not in seen]
        rng.shuffle(pool)
        for q in pool[: max(0, limit)]:
            seen.add(q.id)
            chosen.append(q)

    if mode == "wrong":
        take(
            [by_id[i] for (k, i), ok in last.items() if k == "question" and not ok and i in by_id],
            count,
        )
        return chosen
    if mode == "new":
        take([q for q in questions if ("question", q.id) not in last], count)
        return chosen
    if mode == "flagged":
        flagged = [
            i for k, i, _d, f, _r in bank.cards(learner_id) if f and k == "question" and i in by_id
        ]
        take([by_id[i] for i in flagged], count)
        return chosen

    stats = learner_stats(bank, learner_id, now)
    weak = stats.weakest_topics
    horizon = review_horizon(now, bank.zone)
    due_ids = [
        i
        for k, i, d, _f, reviewed in bank.cards(learner_id)
        if k == "question" and is_due_today(d, reviewed, horizon) and i in by_id
    ]
    # Due cards of weak topics first: they serve both purposes.
    weak_slugs = [t.slug for t in weak]
    due_ids.sort(
        key=lambda i: (
            weak_slugs.index(by_id[i].topic_slug)
            if by_id[i].topic_slug in weak_slugs
            else len(weak_slugs)
        )
    )
    n_due = min(len(due_ids), math.floor(count * DUE_SHARE))
    for i in due_ids[:n_due]:
        seen.add(i)
        chosen.append(by_id[i])

    topics = {t.slug: t for t in stats.topics}
    drill_families = _families_of(bank, [topics[s] for s in weak_slugs if s in topics])
    n_family = min(math.ceil(count * FAMILY_SHARE), count - len(chosen)) if drill_families else 0
    remaining = count - len(chosen) - n_family
    targets = weak[:WEAK_TOPICS]
    need = [1.0 - t.record.mastery for t in targets]
    for t, w in zip(targets, need, strict=False):
        share = w / sum(need) if sum(need) else 0.0
        want = math.ceil(remaining * share)
        topic_qs = [q for q in questions if q.topic_slug == t.slug]
        # Questions answered wrong last time and never-answered ones come before known ones.
        topic_qs.sort(key=lambda q: last.get(("question", q.id), False))
        pool = [q for q in topic_qs if q.id not in seen]
        for q in pool[: max(0, min(want, count - len(chosen) - n_family))]:
            seen.add(q.id)
            chosen.append(q)
    chosen.extend(generated_problems(bank, drill_families, n_family, rng))
    if len(chosen) < count:
        weak_sections = {t.section for t in weak}
        take(
            [
                q
                for q in questions
                if q.section_id in weak_sections and ("question", q.id) not in last
            ],
            count - len(chosen),
        )
    if len(chosen) < count:
        take([q for q in questions if ("question", q.id) not in last], count - len(chosen))
    if len(chosen) < count:
        take(questions, count - len(chosen))
    rng.shuffle(chosen)
    return chosen[:count]


def _families_of(bank: Bank, weak_topics: list[TopicStats]) -> list[str]:
    """Drill families linked from weak topics' notes, or filed under their sections."""
    if not weak_topics:
        return []
    known = {f["id"]: f.get("section") for f in bank.families()}
    out: list[str] = []
    for t in weak_topics:
        topic = bank.topic(t.slug)
        for fid in topic.drills if topic else ():
            if fid in known and fid not in out:
                out.append(fid)
        for fid, section in known.items():
            if section == t.section and fid not in out:
                out.append(fid)
    return out
