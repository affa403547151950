"""The learner's progress: attempts, accuracy, mastery with its range, due reviews, weakest topics.

`gquiz stats --json`, the home screen and the stats screen all read this one structure,
`LearnerStats`. Its figures are the rounded ones `stats --json` prints, so a screen shows
exactly what the JSON says; `to_json()` is the public interface and keeps its keys and order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from gquiz.bank.models import utcnow
from gquiz.bank.repo import Bank
from gquiz.config import day_start_utc, local_day
from gquiz.study.mastery import Mastery, MasteryAccumulator, recency_weight
from gquiz.study.review import is_due_today, review_horizon

if TYPE_CHECKING:
    from gquiz.study.readiness import Calibration, Readiness

WEAKEST = 5
DUE_DAYS = 14


@dataclass(frozen=True)
class Record:
    """A record's figures as shown and exported: rounded to 4 places (`Mastery.to_json`)."""

    attempts: int
    correct: int
    accuracy: float | None
    mastery: float
    mastery_low: float
    mastery_high: float
    level: str
    """未学習 / 要復習 / 学習中 / 定着."""
    weighted_n: float
    """The recency-weighted count behind the estimate (for the readiness model)."""
    weighted_correct: float

    @classmethod
    def of(cls, m: Mastery) -> Record:
        """Round once, here, so the screens and `stats --json` show the same figures."""
        return cls(
            attempts=m.attempts,
            correct=m.correct,
            accuracy=None if m.accuracy is None else round(m.accuracy, 4),
            mastery=round(m.estimate, 4),
            mastery_low=round(m.low, 4),
            mastery_high=round(m.high, 4),
            level=m.level,
            weighted_n=round(m.weighted_n, 4),
            weighted_correct=round(m.weighted_correct, 4),
        )

    def to_json(self) -> dict[str, Any]:
        """The record's keys in field order, merged into every area's JSON entry."""
        return asdict(self)


@dataclass(frozen=True)
class AreaStats:
    """A 大項目 (S5) or a 中項目 (S5.2)."""

    id: str
    title: str
    questions: int
    due: int
    record: Record

    def to_json(self) -> dict[str, Any]:
        """The area's `stats --json` entry: its own keys, then the record's."""
        head = {"id": self.id, "title": self.title, "questions": self.questions, "due": self.due}
        return {**head, **self.record.to_json()}


@dataclass(frozen=True)
class TopicStats:
    """A topic's figures. `questions` counts its active bank questions; its record counts bank
    questions only (generated problems count in their section and family)."""

    slug: str
    section: str
    title: str
    questions: int
    due: int
    record: Record

    def to_json(self) -> dict[str, Any]:
        """The topic's `stats --json` entry: its own keys, then the record's."""
        head = {
            "slug": self.slug,
            "section": self.section,
            "title": self.title,
            "questions": self.questions,
            "due": self.due,
        }
        return {**head, **self.record.to_json()}

    def weak_json(self) -> dict[str, Any]:
        """The entry of `weakest_topics` (fewer keys than a topic)."""
        r = self.record
        return {
            "slug": self.slug,
            "section": self.section,
            "title": self.title,
            "attempts": r.attempts,
            "accuracy": r.accuracy,
            "mastery": r.mastery,
            "mastery_low": r.mastery_low,
            "mastery_high": r.mastery_high,
        }


@dataclass(frozen=True)
class FamilyStats:
    """A drill family's generated problems."""

    id: str
    section: str | None
    record: Record

    def to_json(self) -> dict[str, Any]:
        """The family's `stats --json` entry; `section` is None for a family no longer in the
        bank."""
        return {"id": self.id, "section": self.section, **self.record.to_json()}


@dataclass(frozen=True)
class TotalStats:
    """The learner's figures over everything answered (bank questions and generated problems)."""

    due: int
    """「今日の復習」: the review cards due today."""
    record: Record

    def to_json(self) -> dict[str, Any]:
        """The `total` entry of `stats --json`."""
        return {"due": self.due, **self.record.to_json()}


@dataclass(frozen=True)
class DayAccuracy:
    """The answers of one local day that has any (days without answers are left out, not 0 %)."""

    day: str
    """The local day, YYYY-MM-DD."""
    attempts: int
    correct: int

    @property
    def accuracy(self) -> float:
        """Rounded to 4 places like every figure of `stats --json`; never divides by zero, as a day
        is listed only when it has answers."""
        return round(self.correct / self.attempts, 4)

    def to_json(self) -> dict[str, Any]:
        """One entry of `accuracy_by_day` in `stats --json`."""
        return {
            "day": self.day,
            "attempts": self.attempts,
            "correct": self.correct,
            "accuracy": self.accuracy,
        }


@dataclass(frozen=True)
class DayDue:
    """Review cards falling due on a local day; cards overdue already count on today."""

    day: date
    due: int

    def to_json(self) -> dict[str, Any]:
        """One entry of `due_by_day` in `stats --json` (the day as YYYY-MM-DD)."""
        return {"day": self.day.isoformat(), "due": self.due}


@dataclass(frozen=True)
class ReadinessStats:
    """The real-format estimate and how well past estimates matched exam results."""

    estimate: Readiness
    calibration: Calibration

    def to_json(self) -> dict[str, Any]:
        """The `readiness` entry of `stats --json`: the estimate and its calibration, each with the
        Japanese label the screens show."""
        cal = self.calibration
        return {
            **self.estimate.as_json(),
            "label": self.estimate.label(),
            "calibration": {**cal.as_json(), "label": cal.label()},
        }


@dataclass(frozen=True)
class LearnerStats:
    """Every figure of a learner (see `learner_stats`)."""

    generated_at: datetime
    majors: list[AreaStats]
    sections: list[AreaStats]
    topics: list[TopicStats]
    families: list[FamilyStats]
    total: TotalStats
    weakest_topics: list[TopicStats]
    """Attempted topics not yet 定着, weakest first (at most WEAKEST)."""
    accuracy_by_day: list[DayAccuracy]
    due_by_day: list[DayDue]
    """The next DUE_DAYS local days, today first."""
    readiness: ReadinessStats

    def to_json(self) -> dict[str, Any]:
        """`gquiz stats --json` (a public interface: keys and their order stay)."""
        return {
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "majors": [m.to_json() for m in self.majors],
            "sections": [s.to_json() for s in self.sections],
            "topics": [t.to_json() for t in self.topics],
            "families": [f.to_json() for f in self.families],
            "total": self.total.to_json(),
            "weakest_topics": [t.weak_json() for t in self.weakest_topics],
            "accuracy_by_day": [d.to_json() for d in self.accuracy_by_day],
            "due_by_day": [d.to_json() for d in self.due_by_day],
            "readiness": self.readiness.to_json(),
        }


def _day_middle(day: str, zone: tzinfo) -> datetime:
    """Local noon of a rollup day, as naive UTC (the age of that day's attempts)."""
    return day_start_utc(date.fromisoformat(day[:10]), zone) + timedelta(hours=12)


def learner_stats(bank: Bank, learner_id: int, now: datetime | None = None) -> LearnerStats:
    """Every figure of the learner, by local day (`bank.zone`); `total.due` is 「今日の復習」."""
    now = now or utcnow()
    zone = bank.zone
    majors = bank.overview(None)
    topics: dict[str, MasteryAccumulator] = defaultdict(MasteryAccumulator)
    sections: dict[str, MasteryAccumulator] = defaultdict(MasteryAccumulator)
    families: dict[str, MasteryAccumulator] = defaultdict(MasteryAccumulator)
    by_day: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    weight_cache: dict[str, float] = {}
    for kind, section_id, topic_slug, day, n, correct in bank.attempt_summary(learner_id):
        w = weight_cache.get(day)
        if w is None:
            w = weight_cache[day] = recency_weight(_day_middle(day, zone), now)
        parts = []
        if kind == "question" and topic_slug:
            parts.append(topics[topic_slug])
        parts.append(sections[section_id])
        if kind == "family" and topic_slug:
            parts.append(families[topic_slug])
        for acc in parts:
            acc.attempts += n
            acc.correct += correct
            acc.wn += w * n
            acc.wc += w * correct
        by_day[day[:10]][0] += n
        by_day[day[:10]][1] += correct

    # Review cards: due now, and due per day for the next two weeks.
    qindex = bank.question_index()
    family_sections = {f["id"]: f["section"] for f in bank.families()}
    due_topic: dict[str, int] = defaultdict(int)
    due_section: dict[str, int] = defaultdict(int)
    today = local_day(now, zone)
    horizon = review_horizon(now, zone)
    due_by_day = {today + timedelta(days=i): 0 for i in range(DUE_DAYS)}
    due_now = 0
    for kind, item_id, due, _flagged, reviewed in bank.cards(learner_id):
        if not reviewed:
            continue
        if is_due_today(due, reviewed, horizon):
            due_now += 1
            if kind == "question" and item_id in qindex:
                topic_slug, section_id = qindex[item_id]
                due_topic[topic_slug] += 1
                due_section[section_id] += 1
            elif kind == "family" and item_id in family_sections:
                due_section[family_sections[item_id]] += 1
        due_day = max(local_day(due, zone), today)
        if due_day in due_by_day:
            due_by_day[due_day] += 1

    area_sections: list[AreaStats] = []
    area_topics: list[TopicStats] = []
    area_majors: list[AreaStats] = []
    total = MasteryAccumulator()
    for m in majors:
        macc = MasteryAccumulator()
        for s in m.sections:
            sacc = sections.get(s.id, MasteryAccumulator())
            macc.merge(sacc)
            area_sections.append(
                AreaStats(
                    s.id, s.title, s.n_questions, due_section.get(s.id, 0), Record.of(sacc.result())
                )
            )
            for t in s.topics:
                tacc = topics.get(t.slug, MasteryAccumulator())
                area_topics.append(
                    TopicStats(
                        t.slug,
                        s.id,
                        t.title,
                        t.n_questions,
                        due_topic.get(t.slug, 0),
                        Record.of(tacc.result()),
                    )
                )
        total.merge(macc)
        area_majors.append(
            AreaStats(
                m.id,
                m.title,
                m.n_questions,
                sum(due_section.get(s.id, 0) for s in m.sections),
                Record.of(macc.result()),
            )
        )
    # Drop the mastered topics before cutting to WEAKEST, or a 定着 topic with a lower estimate
    # than a short perfect streak would take one of the five places and leave it empty.
    weak = [t for t in area_topics if t.record.attempts and t.record.level != "定着"]
    weak.sort(key=lambda t: (t.record.mastery, t.record.mastery_high, -t.record.attempts))
    return LearnerStats(
        generated_at=now,
        majors=area_majors,
        sections=area_sections,
        topics=area_topics,
        families=[
            FamilyStats(fid, family_sections.get(fid), Record.of(acc.result()))
            for fid, acc in sorted(families.items())
        ],
        total=TotalStats(due_now, Record.of(total.result())),
        weakest_topics=weak[:WEAKEST],
        accuracy_by_day=[DayAccuracy(d, n, c) for d, (n, c) in sorted(by_day.items())],
        due_by_day=[DayDue(d, n) for d, n in due_by_day.items()],
        readiness=readiness(bank, learner_id, area_majors),
    )


def readiness(bank: Bank, learner_id: int, majors: list[AreaStats]) -> ReadinessStats:
    """The estimate for a real-format exam (145 questions by the blueprint) and how well past
    estimates matched practice-exam results (see study.readiness for the model)."""
    from gquiz.bank.blueprint import load_blueprint
    from gquiz.study.formats import REAL
    from gquiz.study.readiness import calibration, predict

    if (bank.sources.content / "exam-blueprint.md").is_file():
        quotas = load_blueprint(bank.sources.content).quotas(REAL.questions)
    else:  # a content folder of one's own without a blueprint: no estimate
        quotas = {}
    estimate = predict(evidence(majors), quotas)
    return ReadinessStats(estimate, calibration(bank.submitted_exams(learner_id)))


def evidence(majors: list[AreaStats]) -> dict[str, tuple[float, float]]:
    """大項目 → (weighted right answers, weighted answers): what the readiness model reads."""
    return {m.id: (m.record.weighted_correct, m.record.weighted_n) for m in majors}
