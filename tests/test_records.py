"""Honest records (issue 17, item 5): local days, one 「今日の復習」, unanswered exam questions."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gquiz.bank.repo import AttemptRecord, Bank, CardState
from gquiz.config import Settings, end_of_local_day, local_day, local_zone
from gquiz.study.exam import ExamSession
from gquiz.study.reviews import due_items
from gquiz.study.stats import learner_stats
from tests.conftest import REPO
from tests.helpers import write_content

TOKYO = ZoneInfo("Asia/Tokyo")


def _bank(settings: Settings, zone=TOKYO) -> Bank:  # type: ignore[no-untyped-def]
    from gquiz.bank.build import Sources

    bank = Bank(settings.db_url, Sources(settings.content, settings.problems), zone=zone)
    bank.build()
    return bank


def test_gquiz_tz_names_the_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GQUIZ_TZ", "Asia/Tokyo")
    assert local_zone() == TOKYO
    monkeypatch.setenv("GQUIZ_TZ", "Not/AZone")
    monkeypatch.setenv("TZ", "Europe/Berlin")
    assert local_zone() == ZoneInfo("Europe/Berlin")  # an unknown name falls back


def test_local_day_around_midnight_jst() -> None:
    assert local_day(datetime(2026, 11, 20, 14, 59), TOKYO).isoformat() == "2026-11-20"
    assert local_day(datetime(2026, 11, 20, 15, 0), TOKYO).isoformat() == "2026-11-21"
    # 08:59 JST on the 21st is still the 21st; UTC days would have ended it at 09:00.
    assert end_of_local_day(datetime(2026, 11, 20, 23, 59), TOKYO) == datetime(2026, 11, 21, 15)


def test_rollup_and_charts_count_local_days(study_settings: Settings) -> None:
    bank = _bank(study_settings)
    lid = bank.learner_id("tester")
    q = bank.questions()[0]
    for at in (datetime(2026, 11, 20, 14, 50), datetime(2026, 11, 20, 15, 10)):  # 23:50, 00:10 JST
        bank.record_attempt(lid, AttemptRecord(q.id, q.section_id, True, "1", at=at))
    stats = learner_stats(bank, lid, datetime(2026, 11, 20, 16))
    assert [(d.day, d.attempts) for d in stats.accuracy_by_day] == [
        ("2026-11-20", 1),
        ("2026-11-21", 1),
    ]
    bank.close()
    # The same database opened in UTC: the rollup is recounted in UTC days.
    utc = _bank(study_settings, zone=ZoneInfo("UTC"))
    stats = learner_stats(utc, lid, datetime(2026, 11, 20, 16))
    assert [(d.day, d.attempts) for d in stats.accuracy_by_day] == [("2026-11-20", 2)]
    utc.close()


def test_one_definition_of_todays_reviews(study_settings: Settings) -> None:
    """Home (stats total.due), the review queue and the stats agree, up to local midnight."""
    bank = _bank(study_settings)
    lid = bank.learner_id("tester")
    qs = bank.questions()
    now = datetime(2026, 11, 20, 1, 0)  # 10:00 JST
    dues = [
        now - timedelta(hours=1),  # overdue
        datetime(2026, 11, 20, 14, 59),  # 23:59 JST today: due today
        datetime(2026, 11, 20, 15, 1),  # 00:01 JST tomorrow: not today
    ]
    for q, due in zip(qs, dues, strict=False):
        rec = AttemptRecord(q.id, q.section_id, True, "1", topic_slug=q.topic_slug, at=now)
        bank.record_attempt(lid, rec, CardState({"card_id": 1, "state": 2}, due))
    bank.set_flag(lid, "question", qs[5].id, True)  # flagged, never reviewed: not a review
    stats = learner_stats(bank, lid, now)
    queue = due_items(bank, lid, now)
    assert stats.total.due == len(queue) == 2
    assert {q.id for q in queue} == {qs[0].id, qs[1].id}
    assert sum(t.due for t in stats.topics) == 2
    # As `gquiz stats --json` prints them.
    assert stats.to_json()["due_by_day"][0] == {"day": "2026-11-20", "due": 2}
    assert stats.to_json()["due_by_day"][1] == {"day": "2026-11-21", "due": 1}
    bank.close()


@pytest.fixture
def big_settings(tmp_path: Path) -> Settings:
    content = write_content(tmp_path / "content", per_topic=30)
    shutil.copy(REPO / "content" / "exam-blueprint.md", content / "exam-blueprint.md")
    return Settings(
        db_url=f"sqlite:///{tmp_path / 'big.sqlite3'}",
        learner="tester",
        content=content,
        problems=tmp_path / "none",
    )


def test_exam_stopped_after_12_of_145_stores_12_attempts(big_settings: Settings) -> None:
    bank = _bank(big_settings)
    lid = bank.learner_id("tester")
    exam = ExamSession.start(bank, lid, 145, 100, seed=11)
    assert exam.total == 145
    for pos in range(12):
        # Choices are shown in an order drawn per exam: pick by what is shown. 9 right, 3 wrong.
        q = exam.questions[pos]
        right = next(i for i, c in enumerate(q.choices) if c.correct)
        wrong = next(i for i, c in enumerate(q.choices) if not c.correct)
        exam.answer(pos, [right] if pos % 4 else [wrong])
        exam.spend(pos, 30_000)
    result = exam.submit(now=datetime(2026, 11, 20, 3))
    assert result.recorded
    assert result.answered == 12
    assert len(result.unanswered) == 133
    assert result.score == 9
    with bank.sessions() as session:
        from sqlalchemy import func, select

        from gquiz.bank.models import Attempt, Exam, ReviewCard

        assert session.scalar(select(func.count()).select_from(Attempt)) == 12
        assert session.scalar(select(func.count()).select_from(ReviewCard)) == 12
        state = session.get(Exam, exam.exam_id).state
    assert state["answered"] == 12
    assert len(state["unanswered"]) == 133
    stats = learner_stats(bank, lid, datetime(2026, 11, 20, 3))
    assert stats.total.record.attempts == 12
    assert stats.total.record.correct == 9
    # Submitting again (another window) records nothing more.
    again = exam.submit(now=datetime(2026, 11, 20, 4))
    assert not again.recorded
    assert learner_stats(bank, lid).total.record.attempts == 12
    bank.close()


def test_timed_out_exam_records_only_answers(study_settings: Settings) -> None:
    bank = _bank(study_settings)
    lid = bank.learner_id("tester")
    exam = ExamSession.start(bank, lid, 10, 1, seed=2)
    exam.answer(0, [0])
    exam.spend(0, 60_000)  # the whole minute: the clock ran out
    assert exam.remaining_s == 0
    result = exam.submit()
    assert result.answered == 1
    assert len(bank.cards(lid)) == 1
    bank.close()


def test_wrong_drill_follows_the_latest_answer(study_settings: Settings) -> None:
    from gquiz.study.drill import select_drill

    bank = _bank(study_settings)
    lid = bank.learner_id("tester")
    q = bank.questions()[0]
    for ok in (False, True, False):
        bank.record_attempt(
            lid, AttemptRecord(q.id, q.section_id, ok, "1", topic_slug=q.topic_slug)
        )
    assert [x.id for x in select_drill(bank, lid, "wrong", 5)] == [q.id]
    bank.record_attempt(lid, AttemptRecord(q.id, q.section_id, True, "1", topic_slug=q.topic_slug))
    assert select_drill(bank, lid, "wrong", 5) == []
    assert q.id not in {x.id for x in select_drill(bank, lid, "new", 100)}
    bank.close()


def test_rollup_rebuild_in_a_half_hour_zone(study_settings: Settings) -> None:
    """+05:30: the minute decides the day, in the rebuild as in the live count."""
    kolkata = ZoneInfo("Asia/Kolkata")
    bank = _bank(study_settings, zone=kolkata)
    lid = bank.learner_id("tester")
    q = bank.questions()[0]
    for at in (datetime(2026, 11, 20, 18, 29), datetime(2026, 11, 20, 18, 31)):
        bank.record_attempt(lid, AttemptRecord(q.id, q.section_id, True, "1", at=at))
    live = sorted(bank.attempt_summary(lid))
    bank.rebuild_rollups()
    assert sorted(bank.attempt_summary(lid)) == live
    assert [d for _k, _s, _t, d, _n, _c in live] == ["2026-11-20", "2026-11-21"]
    bank.close()


def test_history_times_are_shown_in_the_learners_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The history lists a sitting at the learner's local time (GQUIZ_TZ), not the machine's."""
    from datetime import datetime

    from gquiz.study.history import local_time

    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("GQUIZ_TZ", "Asia/Tokyo")
    stored = datetime(2026, 12, 1, 14, 30)  # naive UTC, as the bank stores it
    assert local_time(stored).strftime("%Y-%m-%d %H:%M") == "2026-12-01 23:30"
    monkeypatch.setenv("GQUIZ_TZ", "Europe/Berlin")
    assert local_time(stored).strftime("%Y-%m-%d %H:%M") == "2026-12-01 15:30"
