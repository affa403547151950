"""Shared mock exams of a study group: published once, sat by every member, compared after.

The organiser publishes an exam (size, minutes, seed, open and close times). A member sits it
as any timed exam — the same seed gives every member the same questions in the same orders,
and it resumes after a crash like any exam. Afterwards a member sees their result against the
group's distribution (per 大項目, only once at least three members have submitted), and the
leaderboard lists only the members who opted in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from gquiz.bank.models import utcnow
from gquiz.bank.repo import Bank
from gquiz.study.exam import ExamSession
from gquiz.text.numbers import fmt_num, pct, pct_range


@dataclass(frozen=True)
class SharedExam:
    """A published shared exam (the columns of `Bank.group_exams`). The seed makes every member's
    sitting the same questions in the same orders; the times are naive UTC (`group publish`
    converts the organiser's local times with `stored_time`, `label` converts them back into the
    reader's zone: members of one group may live in different zones)."""

    id: int
    title: str
    seed: int
    n_questions: int
    minutes: int
    opens_at: datetime
    closes_at: datetime

    def is_open(self, now: datetime) -> bool:
        """Whether members may start it at `now` (closing time excluded). `now` must be naive UTC
        like the stored times; the CLI and the TUI pass `utcnow()`."""
        return self.opens_at <= now < self.closes_at

    def label(self, zone: tzinfo) -> str:
        """One line for `gquiz group exams`, `gquiz group sit` and the TUI's notice: id, title,
        size, minutes and the window in `zone` (the reader's, `Bank.zone`), since a learner in
        Japan reading UTC would turn up nine hours off."""
        return (
            f"#{self.id} {self.title} ({self.n_questions} 問 / {self.minutes} 分、"
            f"{self.window(zone)})"
        )

    def window(self, zone: tzinfo) -> str:
        """「12/05 10:00〜12/12 10:00」 in `zone`: the label's window, also what a member outside it
        is told."""
        opens, closes = (local_time(t, zone) for t in (self.opens_at, self.closes_at))
        return f"{opens:%m/%d %H:%M}〜{closes:%m/%d %H:%M}"


def local_time(stored: datetime, zone: tzinfo) -> datetime:
    """A stored (naive UTC) time as the wall-clock time of `zone`, for showing it."""
    return stored.replace(tzinfo=timezone.utc).astimezone(zone)


def stored_time(typed: datetime, zone: tzinfo) -> datetime:
    """A time the organiser typed, as stored (naive UTC). A naive time is the organiser's local
    time in `zone`; one with an explicit offset (2026-12-05T10:00+09:00) already says which
    instant it means and is only converted, never reinterpreted."""
    aware = typed if typed.tzinfo is not None else typed.replace(tzinfo=zone)
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


class GroupExamError(Exception):
    """Not open, unknown, or already sat; str() is one Japanese sentence."""


def sit(bank: Bank, learner_id: int, exam_id: int, now: datetime | None = None) -> ExamSession:
    """The member's sitting of a shared exam: resumed if begun, new if open, else an error.

    The rule for a sitting already begun: it is resumed while the window is open, and after the
    window has closed until its own time limit has run out on the wall clock (begun + minutes),
    so a member who started at 17:50 in a window closing at 18:00 may still finish. Past both,
    it is graded with what was answered, as a time-out in the exam screen would, and the member
    is told so; it is never left unfinished to be resumed later or restarted.
    """
    now = now or utcnow()
    found = bank.group_exam(exam_id)
    if found is None:
        raise GroupExamError(f"勉強会の模擬試験 #{exam_id} はありません。")
    shared = SharedExam(**found)
    mine = bank.group_exam_sitting(learner_id, exam_id)
    if mine is not None:
        sitting_id, submitted = mine
        if submitted:
            raise GroupExamError(
                f"模擬試験 #{exam_id} は提出済みです (結果: gquiz group results {exam_id})。"
            )
        sitting = bank.exam(sitting_id)
        session = ExamSession.unfinished(bank, learner_id, sitting_id)
        if sitting is not None and session is not None:
            ends = max(shared.closes_at, sitting.created_at + timedelta(minutes=sitting.minutes))
            if now < ends:
                return session
            session.submit(now)
            raise GroupExamError(
                f"模擬試験 #{exam_id} は受験期間が終わり、この受験の制限時間"
                f" ({local_time(ends, bank.zone):%m/%d %H:%M} まで) も過ぎたため、"
                f"回答済みの分で提出しました (結果: gquiz group results {exam_id})。"
            )
    if not shared.is_open(now):
        raise GroupExamError(
            f"模擬試験 #{exam_id} は受験期間外です (受験期間 {shared.window(bank.zone)})。"
        )
    return ExamSession.start(
        bank,
        learner_id,
        shared.n_questions,
        shared.minutes,
        shared.seed,
        group_exam_id=exam_id,
    )


def results(bank: Bank, learner_id: int, exam_id: int) -> dict[str, Any]:
    """The member's score and per-大項目 shares beside the group's distribution."""
    return {
        "exam": exam_id,
        "mine": bank.group_exam_own_result(learner_id, exam_id),
        "group": bank.group_exam_distribution(exam_id),
        "leaderboard": bank.group_exam_leaderboard(exam_id),
    }


def format_results(data: dict[str, Any]) -> str:
    """`results()` as the text `gquiz group results` prints: the member's score, the group's median
    and quartiles (only once MIN_MEMBERS have submitted) and the opt-in leaderboard."""
    mine, group = data["mine"], data["group"]
    lines = []
    if mine:
        lines.append(f"あなたの得点: {mine['score']} / {mine['total']} 問")
    else:
        lines.append("この模擬試験はまだ提出していません。")
    if group["members"] < group["min_members"]:
        lines.append(
            f"グループの分布は {group['min_members']} 人以上が提出すると表示します (現在 {group['members']} 人)。"
        )
    else:
        lines.append(
            f"グループ ({group['members']} 人): 中央値 {fmt_num(group['median'])} 問 (四分位 {fmt_num(group['q1'])}〜{fmt_num(group['q3'])})"
        )
        for m in group["majors"]:
            own = (mine or {}).get("majors", {}).get(m["major"])
            own_txt = f"あなた {pct(own)}、" if own is not None else ""
            lines.append(
                f"  {m['major']:<4} {own_txt}グループの中央値 {pct(m['median'])} ({pct_range(m['q1'], m['q3'])})"
            )
    if data["leaderboard"]:
        lines.append("順位 (公開を選んだメンバーのみ):")
        lines += [
            f"  {i}. {r['name']} {r['score']} 問"
            for i, r in enumerate(data["leaderboard"], start=1)
        ]
    return "\n".join(lines)
