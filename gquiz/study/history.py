"""Past quizzes and exams, and an exam's results rebuilt from what was stored.

The 履歴 screen and the exam results screen ask here; nothing is graded twice: an exam's
per-question verdicts come from the attempts recorded when it was submitted, so a results
screen opened later shows exactly what was scored then.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

from gquiz.config import local_zone
from gquiz.study.quiz import is_correct

if TYPE_CHECKING:
    from gquiz.bank.repo import AnswerRow, Bank, QuestionView
    from gquiz.study.exam import ExamResult, ExamSession

# Answers of one mode less than this far apart are one sitting (attempts carry no session id).
SITTING_GAP = timedelta(minutes=30)
MODE_NAMES = {"quiz": "問題演習", "drill": "ドリル", "review": "復習", "exam": "模擬試験"}


@dataclass(frozen=True)
class ReviewItem:
    """One question as the learner answered it; ``picks`` empty means not answered."""

    number: int
    question: QuestionView
    picks: tuple[int, ...]
    correct: bool
    time_ms: int = 0


@dataclass
class ExamReview:
    """Everything an exam results screen lists, question by question."""

    exam_id: int
    started_at: datetime
    minutes: int
    score: int
    total: int
    per_major: dict[str, tuple[int, int]]
    items: list[ReviewItem]

    @property
    def unanswered(self) -> int:
        """Questions left without an answer (empty picks): shown apart from the wrong ones, as they
        were never recorded as attempts."""
        return sum(1 for it in self.items if not it.picks)


@dataclass(frozen=True)
class Sitting:
    """A row of the 履歴 screen."""

    kind: str  # "exam" or an attempt mode ("quiz", "drill", "review")
    started_at: datetime  # UTC
    total: int
    correct: int
    exam_id: int | None = None
    question_ids: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """The sitting's kind in Japanese for the 履歴 list (an unknown mode is shown as stored)."""
        return MODE_NAMES.get(self.kind, self.kind)


def local_time(utc: datetime, zone: tzinfo | None = None) -> datetime:
    """A stored (naive UTC) time in the learner's time zone (GQUIZ_TZ, else the system's), for
    display: the same zone that decides the learner's days, so a 23:30 exam is not listed as
    the next morning's."""
    return utc.replace(tzinfo=timezone.utc).astimezone(zone if zone is not None else local_zone())


def _major_key(major: str) -> int:
    return int(major.removeprefix("S") or 0)


def exam_review(bank: Bank, exam_id: int) -> ExamReview | None:
    """A submitted exam's results rebuilt from its stored items and answers (None: no such exam)."""
    from gquiz.study.exam import is_gone, item_views

    exam = bank.exam(exam_id)
    if exam is None or exam.submitted_at is None:
        return None
    items, state = exam.items, exam.state
    started, minutes = exam.created_at, exam.minutes
    answers = {int(k): tuple(v) for k, v in state.get("answers", {}).items()}
    times = {int(k): int(v) for k, v in state.get("times", {}).items()}
    questions = item_views(bank, items)
    graded: dict[int, tuple[str, bool]] = {}
    if any(is_gone(q) for q in questions):
        graded = _graded_family_items(bank.exam_attempts(exam_id), questions, answers)
    return _review(exam_id, started, minutes, questions, answers, times, state.get("score"), graded)


def _graded_family_items(
    attempts: list[tuple[str, str, str, bool]],
    questions: list[QuestionView],
    answers: dict[int, tuple[int, ...]],
) -> dict[int, tuple[str, bool]]:
    """Position → (section, right) of the answered generated items, as the submission recorded
    them: its attempts of one family follow the question order, so the n-th attempt of a family
    is its n-th answered item. What a deleted family's items are shown with."""
    recorded: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for kind, item_id, section, ok in attempts:
        if kind == "family":
            recorded[item_id].append((section, ok))
    out: dict[int, tuple[str, bool]] = {}
    for pos, q in enumerate(questions):
        if q.kind == "family" and q.family and answers.get(pos) and recorded[q.family]:
            out[pos] = recorded[q.family].pop(0)
    return out


def _review(
    exam_id: int,
    started: datetime,
    minutes: int,
    questions: list[QuestionView],
    answers: dict[int, tuple[int, ...]],
    times: dict[int, int],
    stored_score: int | None,
    graded: dict[int, tuple[str, bool]] | None = None,
) -> ExamReview:
    from gquiz.study.exam import is_gone

    review_items: list[ReviewItem] = []
    per_major: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pos, q in enumerate(questions):
        picks = answers.get(pos, ())
        if is_gone(q):
            # Not gradable now: the verdict recorded at submission, else unanswered.
            section, ok = (graded or {}).get(pos, (q.section_id, False))
            q = replace(q, section_id=section or q.section_id)
        else:
            ok = bool(picks) and is_correct(q, picks)
        major = q.section_id.split(".")[0]
        if major:
            per_major[major][1] += 1
            per_major[major][0] += ok
        review_items.append(ReviewItem(pos + 1, q, picks, ok, times.get(pos, 0)))
    score = sum(it.correct for it in review_items)
    return ExamReview(
        exam_id,
        started,
        minutes,
        score if stored_score is None else int(stored_score),
        len(review_items),
        {m: (c, t) for m, (c, t) in sorted(per_major.items(), key=lambda kv: _major_key(kv[0]))},
        review_items,
    )


def review_of_result(session: ExamSession, result: ExamResult) -> ExamReview:
    """The review of an exam just submitted, from what ``submit`` graded (no database read)."""
    items = [
        ReviewItem(
            it.pos + 1,
            it.question,
            tuple(it.picks),
            it.status == "correct",
            session.times_ms.get(it.pos, 0),
        )
        for it in result.items
    ]
    return ExamReview(
        session.exam_id,
        datetime.now(timezone.utc).replace(tzinfo=None),
        session.minutes,
        result.score,
        result.total,
        dict(result.per_major),
        items,
    )


def sittings(bank: Bank, learner_id: int, limit: int = 100) -> list[Sitting]:
    """Past exams (submitted, not discarded) and quiz/drill/review sittings, newest first."""
    out: list[Sitting] = []
    for exam in bank.recent_exams(learner_id, limit):
        if exam.state.get("discarded"):
            continue
        out.append(
            Sitting(
                "exam", exam.created_at, exam.n_questions, int(exam.state.get("score", 0)), exam.id
            )
        )
    rows = bank.recent_answers(learner_id, limit * 50)
    group: list[AnswerRow] = []  # one sitting, newest first

    def close() -> None:
        if group:
            ids = tuple(
                dict.fromkeys(r.item_id for r in reversed(group) if r.item_kind == "question")
            )
            out.append(
                Sitting(
                    group[0].mode,
                    group[-1].created_at,
                    len(group),
                    sum(r.correct for r in group),
                    None,
                    ids,
                )
            )

    for row in rows:  # newest first
        if group and (
            row.mode != group[-1].mode or group[-1].created_at - row.created_at > SITTING_GAP
        ):
            close()
            group = []
        group.append(row)
    close()
    out.sort(key=lambda s: s.started_at, reverse=True)
    return out[:limit]
