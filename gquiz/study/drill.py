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
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    drill = _Drill(random.Random(seed))
    now = now or utcnow()
    questions = bank.questions()
    last = bank.last_results(learner_id)
    if mode == "weak":
        return _weak_drill(bank, learner_id, drill, questions, last, count, now)
    drill.take(_candidates(bank, learner_id, mode, questions, last), count)
    return drill.chosen


_LastResults = Mapping[tuple[str, str], bool]


@dataclass
class _Drill:
    """The items chosen so far (none twice) and the drill's one random generator, which is
    drawn from in a fixed order so that a seed gives the same drill."""

    rng: random.Random
    chosen: list[QuestionView] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def add(self, q: QuestionView) -> None:
        self.seen.add(q.id)
        self.chosen.append(q)

    def take(self, candidates: list[QuestionView], limit: int) -> None:
        """Up to ``limit`` of the candidates not chosen yet, in a random order."""
        pool = [q for q in candidates if q.id not in self.seen]
        self.rng.shuffle(pool)
        for q in pool[: max(0, limit)]:
            self.add(q)


def _candidates(
    bank: Bank, learner_id: int, mode: str, questions: list[QuestionView], last: _LastResults
) -> list[QuestionView]:
    """What a wrong / new / flagged drill draws from."""
    by_id = {q.id: q for q in questions}
    if mode == "wrong":
        return [
            by_id[i] for (k, i), ok in last.items() if k == "question" and not ok and i in by_id
        ]
    if mode == "new":
        return [q for q in questions if ("question", q.id) not in last]
    flagged = [
        i for k, i, _d, f, _r in bank.cards(learner_id) if f and k == "question" and i in by_id
    ]
    return [by_id[i] for i in flagged]


def _weak_drill(
    bank: Bank,
    learner_id: int,
    drill: _Drill,
    questions: list[QuestionView],
    last: _LastResults,
    count: int,
    now: datetime,
) -> list[QuestionView]:
    """弱点克服: due cards, the weakest topics' questions, their families' problems, top-ups."""
    stats = learner_stats(bank, learner_id, now)
    weak = stats.weakest_topics
    weak_slugs = [t.slug for t in weak]
    by_id = {q.id: q for q in questions}
    due_ids = _due_question_ids(bank, learner_id, now, by_id, weak_slugs)
    n_due = min(len(due_ids), math.floor(count * DUE_SHARE))
    for i in due_ids[:n_due]:
        drill.add(by_id[i])
    topics = {t.slug: t for t in stats.topics}
    drill_families = _families_of(bank, [topics[s] for s in weak_slugs if s in topics])
    n_family = (
        min(math.ceil(count * FAMILY_SHARE), count - len(drill.chosen)) if drill_families else 0
    )
    _weak_topic_questions(drill, weak[:WEAK_TOPICS], questions, last, count, n_family)
    drill.chosen.extend(generated_problems(bank, drill_families, n_family, drill.rng))
    _top_up(drill, weak, questions, last, count)
    drill.rng.shuffle(drill.chosen)
    return drill.chosen[:count]


def _due_question_ids(
    bank: Bank,
    learner_id: int,
    now: datetime,
    by_id: Mapping[str, QuestionView],
    weak_slugs: list[str],
) -> list[str]:
    """Questions due today; those of weak topics first, since they serve both purposes."""
    horizon = review_horizon(now, bank.zone)
    due_ids = [
        i
        for k, i, d, _f, reviewed in bank.cards(learner_id)
        if k == "question" and is_due_today(d, reviewed, horizon) and i in by_id
    ]
    due_ids.sort(
        key=lambda i: (
            weak_slugs.index(by_id[i].topic_slug)
            if by_id[i].topic_slug in weak_slugs
            else len(weak_slugs)
        )
    )
    return due_ids


def _weak_topic_questions(
    drill: _Drill,
    targets: list[TopicStats],
    questions: list[QuestionView],
    last: _LastResults,
    count: int,
    n_family: int,
) -> None:
    """The weakest topics share what is left (less the family problems) by 1 − mastery."""
    remaining = count - len(drill.chosen) - n_family
    need = [1.0 - t.record.mastery for t in targets]
    for t, w in zip(targets, need, strict=False):
        share = w / sum(need) if sum(need) else 0.0
        want = math.ceil(remaining * share)
        topic_qs = [q for q in questions if q.topic_slug == t.slug]
        # Questions answered wrong last time and never-answered ones come before known ones.
        topic_qs.sort(key=lambda q: last.get(("question", q.id), False))
        pool = [q for q in topic_qs if q.id not in drill.seen]
        for q in pool[: max(0, min(want, count - len(drill.chosen) - n_family))]:
            drill.add(q)


def _top_up(
    drill: _Drill,
    weak: list[TopicStats],
    questions: list[QuestionView],
    last: _LastResults,
    count: int,
) -> None:
    """Fill a short drill: never-answered questions of weak sections, then any never
    answered, then any."""
    if len(drill.chosen) < count:
        weak_sections = {t.section for t in weak}
        drill.take(
            [
                q
                for q in questions
                if q.section_id in weak_sections and ("question", q.id) not in last
            ],
            count - len(drill.chosen),
        )
    if len(drill.chosen) < count:
        drill.take(
            [q for q in questions if ("question", q.id) not in last], count - len(drill.chosen)
        )
    if len(drill.chosen) < count:
        drill.take(questions, count - len(drill.chosen))


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
