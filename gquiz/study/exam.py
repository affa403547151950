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

from gquiz.bank.blueprint import Blueprint, load_blueprint
from gquiz.bank.blueprint import major_no as _major_no
from gquiz.bank.models import utcnow
from gquiz.bank.repo import AttemptRecord, Bank, CardState, ChoiceView, QuestionView
from gquiz.study.answers import format_choice_answer
from gquiz.study.formats import REAL
from gquiz.study.passages import together
from gquiz.study.presentation import keys_of, order_rng, present, shown_order, with_order
from gquiz.study.quiz import attempt_record, is_correct, next_card
from gquiz.study.readiness import predict
from gquiz.study.review import usual_time_ms

BUDGET_S = REAL.budget_s  # ≈ 41 s a question
COMPUTATION_MAJORS = ("S4", "S5", "S6", "S8")


def assemble(
    bank: Bank, n: int, seed: int, blueprint: Blueprint | None = None
) -> list[dict[str, Any]]:
    """The exam's items, by the blueprint; the same seed gives the same exam."""
    blueprint = blueprint or load_blueprint(bank.sources.content, bank.sources.syllabus())
    rng = random.Random(seed)
    rows = bank.exam_pool()
    by_major: dict[str, list[str]] = defaultdict(list)
    passage_of: dict[str, str] = {}
    for qid, section, passage_id in rows:
        by_major[section.split(".")[0]].append(qid)
        if passage_id:
            passage_of[qid] = passage_id
    families_by_major: dict[str, list[str]] = defaultdict(list)
    section_of: dict[str, str] = {}
    for f in sorted(bank.families(), key=lambda f: f["id"]):
        families_by_major[f["section"].split(".")[0]].append(f["id"])
        section_of[f["id"]] = f["section"]
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
                    # Kept so the item still counts in its 大項目 if the family is deleted later.
                    "section": section_of[fams[i % len(fams)]],
                    "difficulty": rng.choice((1, 2, 2, 3)),
                    "seed": rng.randrange(10**6),
                }
            )
    rng.shuffle(items)
    return _passages_together(items, passage_of)


def _passages_together(
    items: list[dict[str, Any]], passage_of: dict[str, str]
) -> list[dict[str, Any]]:
    """Blanks of one passage follow each other (in label order) where the first one drawn
    stands, as on the real exam: the learner reads the passage once."""
    return together(
        items,
        lambda it: passage_of.get(it.get("id", "")) if it["kind"] == "question" else None,
        lambda it: str(it.get("id", "")),
    )


def draw_orders(
    items: list[dict[str, Any]], questions: list[QuestionView], seed: int
) -> list[QuestionView]:
    """Draw each item's choice order from the exam seed and store it in the item, so the same
    seed gives the same exam in the same orders and a resumed exam shows what was shown."""
    shown = []
    for pos, (item, q) in enumerate(zip(items, questions, strict=True)):
        view = present(q, order_rng(seed, f"{pos}:{q.id}"))
        item["order"] = list(shown_order(view))
        shown.append(view)
    return shown


GONE_FAMILY_NOTE = (
    "この問題の出題元 (family {family}) は削除されたため表示できません。採点は受験時のままです。"
)


def item_views(bank: Bank, items: list[dict[str, Any]]) -> list[QuestionView]:
    """QuestionViews for stored items. A generated problem is shown as it was drawn when the
    exam kept it (`keep_shown`); an older exam's item (a seed only) is regenerated from its
    family as the family is now.

    Such an older item whose family has been deleted (or renamed) since cannot be rebuilt: it
    becomes a view without choices that says so (`is_gone`), so the exam can still be resumed
    and its results reread instead of failing on the missing family.
    """
    ids = [it["id"] for it in items if it["kind"] == "question"]
    views = {q.id: q for q in bank.questions(ids=ids, include_inactive=True)}
    families = None
    out: list[QuestionView] = []
    for it in items:
        if it["kind"] == "question":
            out.append(with_order(views[it["id"]], it.get("order")))
            continue
        from gquiz.problems import generate, load_families
        from gquiz.study.generated import as_question

        families = families if families is not None else load_families(bank.sources.problems)
        if isinstance(it.get("shown"), dict):
            out.append(with_order(_shown_view(it), it.get("order")))
            continue
        family = families.get(it["family"])
        if family is None:
            out.append(_gone_view(it))
            continue
        problem = as_question(generate(family, it["difficulty"], it["seed"]))
        out.append(with_order(problem, it.get("order")))
    return out


def keep_shown(items: list[dict[str, Any]], questions: list[QuestionView]) -> None:
    """Store each generated problem as it was drawn (statement, choices, explanation) in its
    item: a resumed exam and its history then show, and grade, exactly what the learner saw,
    even after the family's file is edited or deleted (a seed alone regenerates the problem
    from the family as it is now)."""
    for it, q in zip(items, questions, strict=True):
        if it["kind"] != "question":
            it["shown"] = {
                "id": q.id,
                "topic": q.topic_slug,
                "stem": q.stem,
                "choices": [[c.text, c.correct] for c in sorted(q.choices, key=lambda c: c.key)],
                "explanation": q.explanation,
                "keywords": list(q.keywords),
            }


def _shown_view(item: dict[str, Any]) -> QuestionView:
    shown = item["shown"]
    return QuestionView(
        id=str(shown["id"]),
        topic_slug=str(shown.get("topic", "")),
        section_id=str(item.get("section", "")),
        stem=str(shown["stem"]),
        choices=tuple(
            ChoiceView(str(text), bool(correct), key)
            for key, (text, correct) in enumerate(shown["choices"])
        ),
        explanation=str(shown["explanation"]),
        difficulty=int(item["difficulty"]),
        keywords=tuple(str(k) for k in shown.get("keywords", ())),
        kind="family",
        family=str(item["family"]),
    )


def _gone_view(item: dict[str, Any]) -> QuestionView:
    note = GONE_FAMILY_NOTE.format(family=item["family"])
    return QuestionView(
        id=f"{item['family']}#{item['difficulty']}-{item['seed']}",
        topic_slug="",
        section_id=str(item.get("section", "")),
        stem=note,
        choices=(),
        explanation=note,
        difficulty=int(item["difficulty"]),
        keywords=(),
        kind="family",
        family=str(item["family"]),
    )


def is_gone(question: QuestionView) -> bool:
    """A generated item whose family no longer exists (see `item_views`): it cannot be answered
    or graded now, so submitting leaves it out of the attempts and the 大項目 figures."""
    return question.kind == "family" and not question.choices


@dataclass(frozen=True)
class ResultItem:
    """One question of a graded exam, for a results list that opens questions one by one."""

    pos: int
    question: QuestionView
    picks: tuple[int, ...]
    status: str  # "correct", "wrong" or "unanswered"

    @property
    def label(self) -> str:
        """The status in Japanese (正解 / 不正解 / 未回答) for a results list; an unanswered
        question is its own status, never a wrong one."""
        return {"correct": "正解", "wrong": "不正解", "unanswered": "未回答"}[self.status]


@dataclass
class ExamResult:
    """A graded exam. `wrong` lists every question not answered right, unanswered ones with
    empty picks (`unanswered` has their positions); `items` has every question in order."""

    score: int
    total: int
    per_major: dict[str, tuple[int, int]]
    wrong: list[tuple[int, QuestionView, tuple[int, ...]]]
    times_ms: list[int]
    mastery_before: dict[str, float | None]  # None: nothing answered before this exam
    mastery_after: dict[str, float | None]
    unanswered: list[int] = field(default_factory=list)
    items: list[ResultItem] = field(default_factory=list)
    recorded: bool = True  # False: the exam had already been submitted (another window)

    @property
    def answered(self) -> int:
        """Questions with an answer: what became attempts (unanswered ones are not recorded)."""
        return self.total - len(self.unanswered)


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
        cls,
        bank: Bank,
        learner_id: int,
        n: int,
        minutes: int,
        seed: int | None = None,
        group_exam_id: int | None = None,
    ) -> ExamSession:
        """Draw a new exam by the blueprint (a random seed unless given), fix its choice orders and
        store it before returning, so it can be resumed from the first answer on."""
        seed = seed if seed is not None else random.randrange(10**9)
        items = assemble(bank, n, seed)
        written = item_views(bank, items)
        keep_shown(items, written)
        questions = draw_orders(items, written, seed)
        exam_id = bank.create_exam(learner_id, seed, items, minutes, group_exam_id)
        return cls(bank, learner_id, exam_id, items, questions, minutes, minutes * 60.0)

    @classmethod
    def unfinished(
        cls, bank: Bank, learner_id: int, exam_id: int | None = None
    ) -> ExamSession | None:
        """The latest exam not yet submitted, with the time that was left. With `exam_id`, that
        exam if it is the learner's and still unfinished: a shared exam's sitting need not be the
        latest (a personal exam may have been begun since), and resuming the latest instead
        would leave the sitting orphaned."""
        exam = bank.unfinished_exam(learner_id) if exam_id is None else bank.exam(exam_id)
        if exam is None or exam.learner_id != learner_id or exam.submitted_at is not None:
            return None
        state = exam.state
        return cls(
            bank,
            learner_id,
            exam.id,
            exam.items,
            item_views(bank, exam.items),
            exam.minutes,
            exam.remaining_s,
            answers={int(k): list(v) for k, v in state.get("answers", {}).items()},
            flags={int(x) for x in state.get("flags", [])},
            times_ms={int(k): int(v) for k, v in state.get("times", {}).items()},
            current=int(state.get("current", 0)),
        )

    def discard(self) -> None:
        """Give up an unfinished exam (it stays in the database, marked submitted with no answers graded)."""
        self.bank.discard_exam(self.exam_id, self._state())

    # -- answering ------------------------------------------------------------------------------
    @property
    def total(self) -> int:
        """Questions in the exam: fewer than asked when the bank has too few for the blueprint."""
        return len(self.questions)

    def answer(self, pos: int, picks: list[int], save: bool = True) -> None:
        """Set the picks (positions in the shown order) for question `pos`; empty picks clear it, as
        unanswered. `save=False` leaves the write to the caller (the TUI saves from a worker)."""
        with self.lock:
            if picks:
                self.answers[pos] = sorted(picks)
            else:
                self.answers.pop(pos, None)
        if save:
            self.save()

    def toggle_flag(self, pos: int, save: bool = True) -> bool:
        """Flag or unflag question `pos` for a second look; returns whether it is now flagged.
        `save=False` leaves the write to the caller, as in `answer`."""
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
        """Positions (0-based) still without an answer, for the jump dialog and the submit
        warning."""
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
        """Write the current state (whatever it is when this runs, so the newest always wins).

        An exam already submitted (say in another window) is left as graded.
        """
        # Under the lock: the state written is the newest, and saves from workers never
        # interleave with an answer being changed.
        with self.lock:
            self.bank.save_exam_state(self.exam_id, self._state(), self.remaining_s)

    # -- submission -----------------------------------------------------------------------------
    def submit(self, now: datetime | None = None) -> ExamResult:
        """Grade and close the exam in one transaction; also what a time-out calls.

        Only answered questions become attempts and move their FSRS cards; a question the
        learner never answered is recorded as 未回答 in the exam (never a wrong attempt, never
        an Again rating), so stopping after 12 of 145 answers stores 12 attempts. A generated
        item whose family was deleted while the exam was unfinished (`is_gone`) is 未回答 too,
        and left out of the 大項目 figures.
        """
        from gquiz.study.stats import evidence, learner_stats

        now = now or utcnow()
        with self.lock:
            # A pick on an item whose family was deleted since cannot be graded: dropped, so the
            # item is stored as 未回答 rather than as a wrong answer.
            for pos, q in enumerate(self.questions):
                if is_gone(q):
                    self.answers.pop(pos, None)
            answers = {pos: tuple(p) for pos, p in self.answers.items() if p}
            state = self._state()
            remaining = self.remaining_s
        stats_before = learner_stats(self.bank, self.learner_id, now)
        before = {
            m.id: m.record.mastery if m.record.attempts else None for m in stats_before.majors
        }
        # The readiness estimate for this very exam (its own mix of 大項目), made from the record
        # as it stood before it: kept with the exam so estimates can be checked against results.
        mix: dict[str, int] = defaultdict(int)
        for q in self.questions:
            if not is_gone(q):
                mix[q.section_id.split(".")[0]] += 1
        prediction = predict(evidence(stats_before.majors), mix).as_json()
        prediction.pop("per_major", None)
        prediction.pop("model", None)
        usual = usual_time_ms(self.bank.usual_time_ms(self.learner_id))
        cards = self.bank.cards_for(
            self.learner_id,
            [(q.kind, q.item_id) for pos, q in enumerate(self.questions) if pos in answers],
        )
        per_major: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        wrong: list[tuple[int, QuestionView, tuple[int, ...]]] = []
        items: list[ResultItem] = []
        unanswered: list[int] = []
        records: list[tuple[AttemptRecord, CardState | None]] = []
        score = 0
        for pos, q in enumerate(self.questions):
            major = q.section_id.split(".")[0]
            if not is_gone(q):  # an item that cannot be graded is no evidence about its 大項目
                per_major[major][1] += 1
            picks = answers.get(pos, ())
            if not picks:
                unanswered.append(pos)
                wrong.append((pos, q, ()))
                items.append(ResultItem(pos, q, (), "unanswered"))
                continue
            ok = is_correct(q, picks)
            if ok:
                per_major[major][0] += 1
                score += 1
            else:
                wrong.append((pos, q, picks))
            items.append(ResultItem(pos, q, picks, "correct" if ok else "wrong"))
            elapsed = self.times_ms.get(pos)
            key = (q.kind, q.item_id)
            # Two problems of one family in an exam review the same card twice, in order.
            cards[key] = next_card(cards.get(key), ok, elapsed, usual, now)
            record = attempt_record(
                q,
                correct=ok,
                answer=format_choice_answer(keys_of(q, picks)),
                choice_order=shown_order(q),
                elapsed_ms=elapsed,
                mode="exam",
                exam_id=self.exam_id,
                at=now,
            )
            records.append((record, cards[key]))
        recorded = self.bank.submit_exam(
            self.learner_id,
            self.exam_id,
            records,
            {
                **state,
                "score": score,
                "total": self.total,
                "answered": len(answers),
                "unanswered": unanswered,
                "prediction": prediction,
            },
            remaining,
            now,
        )
        self.submitted = True
        after: dict[str, float | None] = {
            m.id: m.record.mastery for m in learner_stats(self.bank, self.learner_id, now).majors
        }
        return ExamResult(
            score,
            self.total,
            {m: (c, t) for m, (c, t) in sorted(per_major.items(), key=lambda kv: _major_no(kv[0]))},
            wrong,
            [self.times_ms.get(i, 0) for i in range(self.total)],
            before,
            after,
            unanswered=unanswered,
            items=items,
            recorded=recorded,
        )
