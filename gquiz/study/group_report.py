"""The organiser's report of a study group: where the group is weak, and which questions are broken.

Everything is an aggregate over members. A 大項目 or topic is reported only when at least
`MIN_MEMBERS` members answered it, so no figure is one member's record in disguise.

Item analysis, per question, over each member's latest answer to it: the proportion correct
(p) and the point-biserial correlation between being right on it and the member's score on
the rest of the bank (their share right over every other question answered; a member who
answered only this question has no such score and is left out of its correlation). A
question that good members miss and weak members get right (a negative or near-zero
correlation), with enough answers, most often has a wrong key or two defensible answers: it
goes back to content review.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text

from gquiz.bank.group import MEMBER_ROLE, MIN_MEMBERS
from gquiz.text.numbers import pct, pct_range

MIN_ANSWERS = 5
FLAG_BELOW = 0.1


def point_biserial(right: list[bool], rest: list[float]) -> float | None:
    """Correlation of a 0/1 item with a continuous score (None when either does not vary)."""
    n = len(right)
    if n < 2:
        return None
    ones = [s for r, s in zip(right, rest, strict=True) if r]
    zeros = [s for r, s in zip(right, rest, strict=True) if not r]
    if not ones or not zeros:
        return None
    sd = statistics.pstdev(rest)
    if sd == 0:
        return None
    p = len(ones) / n
    spread: float = (p * (1 - p)) ** 0.5
    return (statistics.fmean(ones) - statistics.fmean(zeros)) / sd * spread


@dataclass(frozen=True)
class ItemStat:
    """One question's item analysis over the members' latest answers: share right and the
    point-biserial discrimination (None when the answers or the rest scores do not vary)."""

    question_id: str
    answers: int
    p_correct: float
    discrimination: float | None
    correlated: int
    """The members behind `discrimination`: those who answered something else too (a member
    whose only answer is this one has no rest score to rank them by)."""

    @property
    def flagged(self) -> bool:
        """Worth a content review: enough answers (MIN_ANSWERS) behind a discrimination below
        FLAG_BELOW, the sign of a wrong key or two defensible answers. Too few answers, or too
        few members with a rest score, never flag."""
        return (
            min(self.answers, self.correlated) >= MIN_ANSWERS
            and self.discrimination is not None
            and self.discrimination < FLAG_BELOW
        )


def item_analysis(latest: list[tuple[int, str, bool]]) -> list[ItemStat]:
    """From (learner id, question id, right) latest answers."""
    by_learner: dict[int, dict[str, bool]] = {}
    for lid, qid, ok in latest:
        by_learner.setdefault(lid, {})[qid] = ok
    totals = {lid: (sum(v.values()), len(v)) for lid, v in by_learner.items()}
    by_item: dict[str, list[tuple[int, bool]]] = {}
    for lid, qid, ok in latest:
        by_item.setdefault(qid, []).append((lid, ok))
    out = []
    for qid, rows in sorted(by_item.items()):
        right, rest = [], []
        for lid, ok in rows:
            s, n = totals[lid]
            if n > 1:  # a rest score needs at least one other answer; 0.0 would rank them last
                right.append(ok)
                rest.append((s - ok) / (n - 1))
        p_correct = sum(ok for _lid, ok in rows) / len(rows)
        out.append(ItemStat(qid, len(rows), p_correct, point_biserial(right, rest), len(right)))
    return out


def report(conn: Connection, now: datetime | None = None) -> dict[str, Any]:
    """The group report (organiser's connection: the tables' owner reads through RLS)."""
    now = now or datetime.now()
    week_ago = now - timedelta(days=7)
    # Members are the login roles in the group role (the organiser may study too, but is not
    # counted as a member).
    members = conn.execute(
        text(
            "SELECT r.rolname AS name, s.attempts, s.accuracy, s.last_day FROM pg_roles r "
            "JOIN pg_auth_members m ON m.member = r.oid "
            "JOIN pg_roles g ON g.oid = m.roleid AND g.rolname = :group "
            "LEFT JOIN learners l ON l.name = r.rolname "
            "LEFT JOIN gquiz_member_scores s ON s.learner_id = l.id ORDER BY r.rolname"
        ),
        {"group": MEMBER_ROLE},
    ).all()
    since = week_ago.date().isoformat()
    active = [m for m in members if m.last_day is not None and m.last_day >= since]
    majors: dict[str, list[float]] = {}
    for row in conn.execute(text("SELECT learner_id, major, accuracy FROM gquiz_member_majors")):
        majors.setdefault(row.major, []).append(float(row.accuracy))
    topics: dict[str, list[float]] = {}
    for row in conn.execute(
        text("SELECT learner_id, topic_slug, accuracy FROM gquiz_member_topics")
    ):
        topics.setdefault(row.topic_slug, []).append(float(row.accuracy))

    def spread(values: list[float]) -> dict[str, Any]:
        qs = statistics.quantiles(values, n=4) if len(values) >= 2 else [values[0]] * 3
        return {
            "members": len(values),
            "median": round(statistics.median(values), 4),
            "q1": round(qs[0], 4),
            "q3": round(qs[2], 4),
        }

    major_rows = {
        m: spread(v)
        for m, v in sorted(majors.items(), key=lambda kv: int(kv[0][1:]))
        if len(v) >= MIN_MEMBERS
    }
    topic_rows = {t: spread(v) for t, v in topics.items() if len(v) >= MIN_MEMBERS}
    weakest = sorted(topic_rows.items(), key=lambda kv: kv[1]["median"])[:10]
    latest = [
        (int(r[0]), str(r[1]), bool(r[2]))
        for r in conn.execute(
            text(
                "SELECT learner_id, item_id, correct FROM last_results WHERE item_kind = 'question'"
            )
        )
    ]
    items = [i for i in item_analysis(latest) if i.answers >= MIN_MEMBERS]
    return {
        "members": len(members),
        "active_this_week": len(active),
        "majors": major_rows,
        "weakest_topics": [{"topic": t, **s} for t, s in weakest],
        "items": [
            {
                "id": i.question_id,
                "answers": i.answers,
                "p_correct": round(i.p_correct, 4),
                "discrimination": None if i.discrimination is None else round(i.discrimination, 4),
                "flagged": i.flagged,
            }
            for i in items
        ],
        "flagged_items": [i.question_id for i in items if i.flagged],
        "min_members": MIN_MEMBERS,
    }


def format_report(data: dict[str, Any]) -> str:
    """The organiser's report (`gquiz group report`) as text: per-大項目 medians, the group's weak
    topics and the questions flagged for review."""
    lines = [
        f"メンバー {data['members']} 人 (今週 回答したのは {data['active_this_week']} 人)",
        "",
        f"大項目ごとの正答率 (メンバーの中央値と四分位範囲、{data['min_members']} 人以上が回答した大項目のみ):",
    ]
    for m, s in data["majors"].items():
        lines.append(
            f"  {m:<4} 中央値 {pct(s['median'])}  ({pct_range(s['q1'], s['q3'])}, {s['members']} 人)"
        )
    lines += ["", "グループの苦手トピック:"]
    lines += [
        f"  {t['topic']}: 中央値 {pct(t['median'])} ({t['members']} 人)"
        for t in data["weakest_topics"]
    ] or ["  (まだありません)"]
    lines += ["", "見直しが必要な問題 (識別力が負かほぼ 0、回答 5 件以上):"]
    flagged = [i for i in data["items"] if i["flagged"]]
    lines += [
        f"  {i['id']}: 正答率 {pct(i['p_correct'])}、識別力 {i['discrimination']:+.2f} ({i['answers']} 人)"
        for i in flagged
    ] or ["  (ありません)"]
    return "\n".join(lines)
