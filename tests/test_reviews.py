"""「今日の復習」 (gquiz.study.reviews.due_items): which cards come back today, in which order,
and what a family card asks (a fresh problem of the family, not the one answered before)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gquiz.bank.repo import AttemptRecord, Bank, CardState
from gquiz.config import Settings
from gquiz.problems import parse_problem_id
from gquiz.study.reviews import due_items
from tests.conftest import REPO

NOW = datetime(2026, 11, 20, 1, 0)  # 10:00 JST
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def review_bank(tmp_path: Path, fixture_content: Path):
    from gquiz.bank.build import Sources

    settings = Settings(
        db_url=f"sqlite:///{tmp_path / 'reviews.sqlite3'}",
        learner="tester",
        content=fixture_content,
        problems=REPO / "problems",
    )
    bank = Bank(settings.db_url, Sources(settings.content, settings.problems), zone=TOKYO)
    bank.build()
    yield bank
    bank.close()


def _review(bank: Bank, lid: int, kind: str, item_id: str, due: datetime) -> None:
    """One reviewed answer whose card is due at ``due``."""
    rec = AttemptRecord(item_id, "S5.2", True, "1", item_kind=kind, at=NOW - timedelta(days=3))
    bank.record_attempt(lid, rec, CardState({"card_id": 1, "state": 2}, due))


def test_due_today_most_overdue_first(review_bank: Bank) -> None:
    lid = review_bank.learner_id("tester")
    _review(review_bank, lid, "question", "fx-ai-01", NOW - timedelta(hours=2))
    _review(review_bank, lid, "question", "fx-conv-01", NOW - timedelta(days=2))
    _review(review_bank, lid, "question", "fx-ai-02", datetime(2026, 11, 20, 15, 1))  # tomorrow JST
    assert [q.id for q in due_items(review_bank, lid, NOW)] == ["fx-conv-01", "fx-ai-01"]


def test_later_today_is_due_but_tomorrow_is_not(review_bank: Bank) -> None:
    lid = review_bank.learner_id("tester")
    _review(review_bank, lid, "question", "fx-ai-01", datetime(2026, 11, 20, 14, 59))  # 23:59 JST
    _review(review_bank, lid, "question", "fx-ai-02", datetime(2026, 11, 20, 15, 0))  # 00:00 JST
    assert [q.id for q in due_items(review_bank, lid, NOW)] == ["fx-ai-01"]


def test_a_flag_alone_is_not_a_review(review_bank: Bank) -> None:
    lid = review_bank.learner_id("tester")
    review_bank.set_flag(lid, "question", "fx-ai-01", True)
    assert due_items(review_bank, lid, NOW) == []


def test_a_family_card_asks_a_fresh_problem_of_the_family(review_bank: Bank) -> None:
    lid = review_bank.learner_id("tester")
    _review(review_bank, lid, "family", "iou", NOW - timedelta(days=1))
    _review(review_bank, lid, "question", "fx-ai-01", NOW - timedelta(hours=1))
    items = due_items(review_bank, lid, NOW)
    assert [q.kind for q in items] == ["family", "question"]
    problem = items[0]
    assert problem.family == "iou"
    assert parse_problem_id(problem.id)[0] == "iou"
    assert len(problem.choices) == 4
    assert sum(c.correct for c in problem.choices) == 1
    assert problem.section_id == "S6.1"
    # The problem drawn depends on the moment asked: the same moment, the same problem.
    assert due_items(review_bank, lid, NOW)[0].id == problem.id
    later = [due_items(review_bank, lid, NOW + timedelta(minutes=m))[0].id for m in range(1, 6)]
    assert any(pid != problem.id for pid in later)


def test_cards_of_what_is_gone_are_skipped(review_bank: Bank) -> None:
    """A card whose question or family left the bank (content edited) asks nothing."""
    lid = review_bank.learner_id("tester")
    _review(review_bank, lid, "question", "no-such-question", NOW - timedelta(days=1))
    _review(review_bank, lid, "family", "no-such-family", NOW - timedelta(days=1))
    _review(review_bank, lid, "question", "fx-ai-02", NOW - timedelta(hours=1))
    assert [q.id for q in due_items(review_bank, lid, NOW)] == ["fx-ai-02"]


def test_another_learners_cards_are_not_mine(review_bank: Bank) -> None:
    me, other = review_bank.learner_id("tester"), review_bank.learner_id("other")
    _review(review_bank, other, "question", "fx-ai-01", NOW - timedelta(days=1))
    assert due_items(review_bank, me, NOW) == []
    assert [q.id for q in due_items(review_bank, other, NOW)] == ["fx-ai-01"]
