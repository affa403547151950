"""The bank: builds from content, rebuilds only on change, and never loses history."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from gquiz.bank.build import BuildError
from gquiz.bank.models import Attempt, Question, Topic
from gquiz.bank.repo import AttemptRecord, Bank
from gquiz.config import Settings


def test_build_loads_sections_topics_and_questions(bank: Bank) -> None:
    majors = bank.overview()
    assert [m.major for m in majors] == list(range(1, 11))
    assert sum(len(m.sections) for m in majors) == 55
    qs = bank.questions(topic="fx-ai")
    assert [q.id for q in qs] == ["fx-ai-01", "fx-ai-02"]
    assert qs[1].n_correct == 2
    assert bank.questions(section="S5")[0].id == "fx-conv-01"
    assert bank.topic("fx-conv").title == "畳み込み層"


def test_rebuild_only_when_content_changes(settings: Settings, fixture_content: Path) -> None:
    bank = settings.open_bank()
    assert bank.ensure_built() is True
    assert bank.ensure_built() is False
    note = fixture_content / "s05" / "conv.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n追記。\n", encoding="utf-8")
    assert bank.ensure_built() is True
    bank.close()


def test_history_survives_rebuild_edit_and_removal(
    settings: Settings, fixture_content: Path
) -> None:
    bank = settings.open_bank()
    bank.build()
    learner = bank.learner_id("tester")
    bank.record_attempt(
        learner, AttemptRecord("fx-conv-01", "S5.2", True, "2", topic_slug="fx-conv")
    )
    bank.record_attempt(learner, AttemptRecord("fx-ai-01", "S1.1", False, "1", topic_slug="fx-ai"))
    # Edit a question's text and remove the other file entirely.
    conv = fixture_content / "s05" / "conv.md"
    conv.write_text(
        conv.read_text(encoding="utf-8").replace("28 はパディング", "28 は P を"), encoding="utf-8"
    )
    (fixture_content / "s01" / "ai.md").unlink()
    bank.build()
    with bank.sessions() as session:
        attempts = session.scalars(select(Attempt).order_by(Attempt.id)).all()
        assert [(a.item_id, a.correct) for a in attempts] == [
            ("fx-conv-01", True),
            ("fx-ai-01", False),
        ]
        removed = session.get(Question, "fx-ai-01")
        assert removed is not None
        assert removed.active is False
        kept = session.get(Question, "fx-conv-01")
        assert kept.active is True
        assert "P を" in kept.explanation_md
        # The removed file's topic is inactive too (every row is updated in place).
        assert session.get(Topic, "fx-ai").active is False
        assert session.get(Topic, "fx-conv").active is True
    assert [q.id for q in bank.questions()] == ["fx-conv-01"]
    # The removed question keeps its history and is back, with it, when restored.
    stats = {m.id: (m.attempts, m.correct) for m in bank.overview(learner)}
    assert stats["S5"] == (1, 1)
    bank.close()


def test_invalid_content_writes_nothing(settings: Settings, fixture_content: Path) -> None:
    bank = settings.open_bank()
    bank.build()
    conv = fixture_content / "s05" / "conv.md"
    conv.write_text(
        conv.read_text(encoding="utf-8")
        .replace("- [x] 32", "- [ ] 32")
        .replace("出力サイズは", "出力は"),
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as info:
        bank.build()
    assert any("s05/conv.md:" in str(e) and "正解" in str(e) for e in info.value.errors)
    assert bank.topic("fx-conv").note.count("出力サイズは") == 1  # old text still there
    assert bank.needs_build()
    bank.close()


def test_learners_are_separate(bank: Bank) -> None:
    a, b = bank.learner_id("a"), bank.learner_id("b")
    assert a != b
    assert bank.learner_id("a") == a
    bank.record_attempt(a, AttemptRecord("fx-conv-01", "S5.2", True, "2", topic_slug="fx-conv"))
    assert sum(m.attempts for m in bank.overview(a)) == 1
    assert sum(m.attempts for m in bank.overview(b)) == 0


def test_export_lists_every_question(bank: Bank) -> None:
    data = bank.export()
    assert {q["id"] for q in data["questions"]} == {"fx-ai-01", "fx-ai-02", "fx-conv-01"}
    q = next(q for q in data["questions"] if q["id"] == "fx-conv-01")
    assert q["choices"][1] == {"key": 1, "text": "32", "correct": True}
    assert q["explanation"].startswith("`(32 + 4")
    assert len(data["sections"]) == 55


def test_daily_rollup_matches_attempts_and_rebuilds(bank: Bank) -> None:
    from datetime import datetime

    lid = bank.learner_id("tester")
    days = [datetime(2026, 11, 1, 9), datetime(2026, 11, 1, 23), datetime(2026, 11, 3, 8)]
    for i, at in enumerate(days):
        bank.record_attempt(
            lid, AttemptRecord("fx-conv-01", "S5.2", i != 1, "2", topic_slug="fx-conv", at=at)
        )
    bank.record_attempt(
        lid, AttemptRecord("conv2d", "S5.2", True, "3", item_kind="family", at=days[0])
    )
    summary = sorted(bank.attempt_summary(lid))
    assert summary == [
        ("family", "S5.2", None, "2026-11-01", 1, 1),
        ("question", "S5.2", "fx-conv", "2026-11-01", 2, 1),
        ("question", "S5.2", "fx-conv", "2026-11-03", 1, 1),
    ]
    bank.rebuild_rollups()
    assert sorted(bank.attempt_summary(lid)) == summary
