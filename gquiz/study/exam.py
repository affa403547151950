"""Practice exams shaped like the real G検定: a blueprint over the ten 大項目, a clock, resume.

The blueprint (content/exam-blueprint.md) gives each 大項目 a share; the number of questions
per 大項目 is the share's quota rounded by the largest-remainder method, so every count is
within one of its quota. Part of the computation-heavy 大項目 are generated problems asked
in four-choice form. Items are stored as ids (and family/difficulty/seed for generated ones)
so an exam can be rebuilt exactly, resumed after a crash, or exported again.
"""

from __future__ import annotations

import random
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from gquiz.bank.blueprint import Blueprint, load_blueprint
from gquiz.bank.blueprint import major_no as _major_no
from gquiz.bank.models import Exam, Question, utcnow
from gquiz.bank.repo import Bank, QuestionView
from gquiz.study.answers import format_choice_answer
from gquiz.study.quiz import is_correct, record_answer
from gquiz.study.review import usual_time_ms

REAL = (145, 100)
PACE = (20, 14)
BUDGET_S = REAL[1] * 60 / REAL[0]  # ≈ 41 s a question
COMPUTATION_MAJORS = ("S4", "S5", "S6", "S8")


def assemble(
    bank: Bank, n: int, seed: int, blueprint: Blueprint | None = None
) -> list[dict[str, Any]]:
    """The exam's items, by the blueprint; the same seed gives the same exam."""
    blueprint = blueprint or load_blueprint(bank.sources.content, bank.sources.syllabus())
    rng = random.Random(seed)
    with bank.sessions() as session:
        rows = session.execute(
            select(Question.id, Question.section_id)
            .where(Question.active)
            .order_by(Question.sort_order)
        ).all()
    by_major: dict[str, list[str]] = defaultdict(list)
    for qid, section in rows:
        by_major[section.split(".")[0]].append(qid)
    families_by_major: dict[str, list[str]] = defaultdict(list)
    for f in sorted(bank.families(), key=lambda f: f["id"]):
        families_by_major[f["section"].split(".")[0]].append(f["id"])
    quotas = blueprint.quotas(n)
    plan: dict[str, tuple[int, int]] = {}
    shortfall = 0
    for major, quota in quotas.items():
        gen = 0
        if major in COMPUTATION_MAJORS and families_by_major.get(major):
            gen = round(quota * blueprint.generated_share)
        from_bank = min(quota - gen, len(by_major.get(major, ())))
        shortfall += quota - gen - from_bank
        plan[major] = (from_bank, gen)
    # Too few questions in some 大項目: give the rest to those with questions to spare.
    while shortfall > 0:
        spare = [m for m, (b, _g) in plan.items() if len(by_major.get(m, ())) > b]
        if not spare:
            break
        for m in sorted(spare, key=lambda m: -blueprint.weights.get(m, 0)):
            if shortfall == 0:
                break
            b, g = plan[m]
            plan[m] = (b + 1, g)
            shortfall -= 1
    items: list[dict[str, Any]] = []
    for major in sorted(plan, key=_major_no):
        from_bank, gen = plan[major]
        items.extend(
            {"kind": "question", "id": qid}
            for qid in rng.sample(by_major.get(major, []), from_bank)
        )
        fams = families_by_major.get(major, [])
        for i in range(gen):
            items.append(
                {
                    "kind": "family",
                    "family": fams[i % len(fams)],
                    "difficulty": rng.choice((1, 2, 2, 3)),
                    "seed": rng.randrange(10**6),
                }
            )
    rng.shuffle(items)
    return items


def item_views(bank: Bank, items: list[dict[str, Any]]) -> list[QuestionView]:
    """QuestionViews for stored items; generated problems are regenerated from their seeds."""
    ids = [it["id"] for it in items if it["kind"] == "question"]
    views = {q.id: q for q in bank.questions(ids=ids, include_inactive=True)}
    families = None
    out: list[QuestionView] = []
    for it in items:
        if it["kind"] == "question":
            out.append(views[it["id"]])
            continue
        from gquiz.problems import as_question, generate, load_families

        families = families or load_families(bank.sources.problems)
        out.append(as_question(generate(families[it["family"]], it["difficulty"], it["seed"])))
    return out


@dataclass
class ExamResult:
    score: int
    total: int
    per_major: dict[str, tuple[int, int]]
    wrong: list[tuple[int, QuestionView, tuple[int, ...]]]
    times_ms: list[int]
    mastery_before: dict[str, float | None]  # None: nothing answered before this exam
    mastery_after: dict[str, float | None]


@dataclass
class ExamSession:
    """An exam in progress. Every change is saved at once, so it survives quitting and crashes."""

    bank: Bank
    learner_id: int
    exam_id: int
    items: list[dict[str, Any]]
    questions: list[QuestionView]
    minutes: int
    remaining_s: float
    answers: dict[int, list[int]] = field(default_factory=dict)
    flags: set[int] = field(default_factory=set)
    times_ms: dict[int, int] = field(default_factory=dict)
    current: int = 0
    submitted: bool = False
    # The TUI saves from worker threads while the learner keeps answering.
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    # -- lifecycle ------------------------------------------------------------------------------
    @classmethod
    def start(
        cls, bank: Bank, learner_id: int, n: int, minutes: int, seed: int | None = None
    ) -> ExamSession:
        seed = seed if seed is not None else random.randrange(10**9)
        items = assemble(bank, n, seed)
        questions = item_views(bank, items)
        with bank.sessions() as session:
            exam = Exam(
                learner_id=learner_id,
                seed=seed,
                n_questions=len(items),
                minutes=minutes,
                remaining_s=minutes * 60.0,
                items=items,
                state={},
            )
            session.add(exam)
            session.commit()
            exam_id = exam.id
        return cls(bank, learner_id, exam_id, items, questions, minutes, minutes * 60.0)

    @classmethod
    def unfinished(cls, bank: Bank, learner_id: int) -> ExamSession | None:
        """The latest exam not yet submitted, with the time that was left."""
        with bank.sessions() as session:
            exam = session.scalars(
                select(Exam)
                .where(Exam.learner_id == learner_id, Exam.submitted_at.is_(None))
                .order_by(Exam.id.desc())
            ).first()
            if exam is None:
                return None
            state = dict(exam.state or {})
            items = list(exam.items)
            data = (exam.id, exam.minutes, exam.remaining_s)
        sess = cls(
            bank,
            learner_id,
            data[0],
            items,
            item_views(bank, items),
            data[1],
            data[2],
            answers={int(k): list(v) for k, v in state.get("answers", {}).items()},
            flags={int(x) for x in state.get("flags", [])},
            times_ms={int(k): int(v) for k, v in state.get("times", {}).items()},
            current=int(state.get("current", 0)),
        )
        return sess

    def discard(self) -> None:
        """Give up an unfinished exam (it stays in the database, marked submitted with no answers graded)."""
        with self.bank.sessions() as session:
            exam = session.get(Exam, self.exam_id)
            if exam is not None:
                exam.submitted_at = utcnow()
                exam.state = {**self._state(), "discarded": True}
                session.commit()

    # -- answering ------------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return len(self.questions)

    def answer(self, pos: int, picks: list[int], save: bool = True) -> None:
        with self.lock:
            if picks:
                self.answers[pos] = sorted(picks)
            else:
                self.answers.pop(pos, None)
        if save:
            self.save()

    def toggle_flag(self, pos: int, save: bool = True) -> bool:
        with self.lock:
            self.flags.symmetric_difference_update({pos})
            flagged = pos in self.flags
        if save:
            self.save()
        return flagged

    def spend(self, pos: int, ms: int) -> None:
        """Account time spent on a question (and on the clock)."""
        with self.lock:
            self.times_ms[pos] = self.times_ms.get(pos, 0) + ms
            self.remaining_s = max(0.0, self.remaining_s - ms / 1000)

    def unanswered(self) -> list[int]:
        return [i for i in range(self.total) if i not in self.answers]

    def pace(self) -> float | None:
        """Average seconds per answered question so far (vs BUDGET_S)."""
        used = self.minutes * 60 - self.remaining_s
        answered = len(self.answers)
        return used / answered if answered else None

    def _state(self) -> dict[str, Any]:
        return {
            "answers": {str(k): v for k, v in self.answers.items()},
            "flags": sorted(self.flags),
            "times": {str(k): v for k, v in self.times_ms.items()},
            "current": self.current,
        }

    def save(self) -> None:
        """Write the current state (whatever it is when this runs, so the newest always wins)."""
        with self.lock:
            with self.bank.sessions() as session:
                exam = session.get(Exam, self.exam_id)
                if exam is None:
                    return
                exam.state = self._state()
                exam.remaining_s = self.remaining_s
                session.commit()

    # -- submission -----------------------------------------------------------------------------
    def submit(self, now: datetime | None = None) -> ExamResult:
        """Grade everything, record one attempt per question (FSRS and mastery follow), close the exam."""
        from gquiz.study.stats import learner_stats

        now = now or utcnow()
        before = {
            m["id"]: m["mastery"] if m["attempts"] else None
            for m in learner_stats(self.bank, self.learner_id, now)["majors"]
        }
        usual = usual_time_ms(self.bank.usual_time_ms(self.learner_id))
        per_major: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        wrong: list[tuple[int, QuestionView, tuple[int, ...]]] = []
        score = 0
        for pos, q in enumerate(self.questions):
            picks = tuple(self.answers.get(pos, ()))
            ok = bool(picks) and is_correct(q, picks)
            major = q.section_id.split(".")[0]
            per_major[major][1] += 1
            if ok:
                per_major[major][0] += 1
                score += 1
            else:
                wrong.append((pos, q, picks))
            record_answer(
                self.bank,
                self.learner_id,
                q,
                correct=ok,
                answer=format_choice_answer(picks) if picks else "",
                elapsed_ms=self.times_ms.get(pos),
                mode="exam",
                at=now,
                usual_ms=usual,
                exam_id=self.exam_id,
            )
        with self.bank.sessions() as session:
            exam = session.get(Exam, self.exam_id)
            if exam is not None:
                exam.submitted_at = now
                exam.state = {**self._state(), "score": score}
                exam.remaining_s = self.remaining_s
                session.commit()
        self.submitted = True
        after = {
            m["id"]: m["mastery"] for m in learner_stats(self.bank, self.learner_id, now)["majors"]
        }
        return ExamResult(
            score,
            self.total,
            {m: (c, t) for m, (c, t) in sorted(per_major.items(), key=lambda kv: _major_no(kv[0]))},
            wrong,
            [self.times_ms.get(i, 0) for i in range(self.total)],
            before,
            after,
        )
