"""The learner's progress: attempts, accuracy, mastery with its range, due reviews, weakest topics.

`gquiz stats --json`, the home screen and the stats screen all read this one structure.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from gquiz.bank.models import utcnow
from gquiz.bank.repo import Bank
from gquiz.config import day_start_utc, local_day
from gquiz.study.mastery import MasteryAccumulator, recency_weight
from gquiz.study.review import is_due_today, review_horizon

WEAKEST = 5
DUE_DAYS = 14


def _day_middle(day: str, zone: tzinfo) -> datetime:
    """Local noon of a rollup day, as naive UTC (the age of that day's attempts)."""
    return day_start_utc(date.fromisoformat(day[:10]), zone) + timedelta(hours=12)


def learner_stats(bank: Bank, learner_id: int, now: datetime | None = None) -> dict[str, Any]:
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

    out: dict[str, Any] = {
        "generated_at": now.isoformat(timespec="seconds"),
        "majors": [],
        "sections": [],
        "topics": [],
    }
    total = MasteryAccumulator()
    for m in majors:
        macc = MasteryAccumulator()
        for s in m.sections:
            sacc = sections.get(s.id, MasteryAccumulator())
            macc.merge(sacc)
            out["sections"].append(
                {
                    "id": s.id,
                    "title": s.title,
                    "questions": s.n_questions,
                    "due": due_section.get(s.id, 0),
                    **sacc.result().to_json(),
                }
            )
            for t in s.topics:
                tacc = topics.get(t.slug, MasteryAccumulator())
                out["topics"].append(
                    {
                        "slug": t.slug,
                        "section": s.id,
                        "title": t.title,
                        "questions": t.n_questions,
                        "due": due_topic.get(t.slug, 0),
                        **tacc.result().to_json(),
                    }
                )
        total.merge(macc)
        out["majors"].append(
            {
                "id": m.id,
                "title": m.title,
                "questions": m.n_questions,
                "due": sum(due_section.get(s.id, 0) for s in m.sections),
                **macc.result().to_json(),
            }
        )
    out["families"] = [
        {"id": fid, "section": family_sections.get(fid), **acc.result().to_json()}
        for fid, acc in sorted(families.items())
    ]
    out["total"] = {"due": due_now, **total.result().to_json()}
    attempted = [t for t in out["topics"] if t["attempts"]]
    attempted.sort(key=lambda t: (t["mastery"], t["mastery_high"], -t["attempts"]))
    out["weakest_topics"] = [
        {
            k: t[k]
            for k in (
                "slug",
                "section",
                "title",
                "attempts",
                "accuracy",
                "mastery",
                "mastery_low",
                "mastery_high",
            )
        }
        for t in attempted[:WEAKEST]
        if t["level"] != "定着"
    ]
    out["accuracy_by_day"] = [
        {"day": d, "attempts": n, "correct": c, "accuracy": round(c / n, 4)}
        for d, (n, c) in sorted(by_day.items())
    ]
    out["due_by_day"] = [{"day": d.isoformat(), "due": n} for d, n in due_by_day.items()]
    out["readiness"] = readiness(bank, learner_id, out["majors"])
    return out


def readiness(bank: Bank, learner_id: int, majors: list[dict[str, Any]]) -> dict[str, Any]:
    """The estimate for a real-format exam (145 questions by the blueprint) and how well past
    estimates matched practice-exam results (see study.readiness for the model)."""
    from gquiz.bank.blueprint import load_blueprint
    from gquiz.study.formats import REAL
    from gquiz.study.readiness import calibration, predict

    if (bank.sources.content / "exam-blueprint.md").is_file():
        quotas = load_blueprint(bank.sources.content).quotas(REAL.questions)
    else:  # a content folder of one's own without a blueprint: no estimate
        quotas = {}
    estimate = predict(majors, quotas)
    cal = calibration(bank.submitted_exams(learner_id))
    return {
        **estimate.as_json(),
        "label": estimate.label(),
        "calibration": {**cal.as_json(), "label": cal.label()},
    }
