"""The generated-problem part of a 弱点克服 drill: problems of the drill families of weak
topics (linked from the notes first, then those filed under the topic's section)."""

from __future__ import annotations

import math
import random
from datetime import datetime
from pathlib import Path

import pytest

from gquiz.bank.repo import AttemptRecord, Bank
from gquiz.config import Settings
from gquiz.problems import load_families, parse_problem_id
from gquiz.study.drill import FAMILY_SHARE, generated_problems, select_drill
from tests.conftest import REPO

NOW = datetime(2026, 11, 20, 3, 0)
S52_FAMILIES = {fid for fid, f in load_families(REPO / "problems").items() if f.section == "S5.2"}


@pytest.fixture
def drill_bank(tmp_path: Path, fixture_content: Path):
    """The fixture content with the real families; the conv notes link the IoU drill."""
    conv = fixture_content / "s05" / "conv.md"
    conv.write_text(
        conv.read_text(encoding="utf-8").replace(
            "title: 畳み込み層\n", "title: 畳み込み層\ndrills: [iou]\n", 1
        ),
        encoding="utf-8",
    )
    settings = Settings(
        db_url=f"sqlite:///{tmp_path / 'drill.sqlite3'}",
        learner="tester",
        content=fixture_content,
        problems=REPO / "problems",
    )
    bank = settings.open_bank()
    bank.build()
    yield bank
    bank.close()


def _wrong_on_conv(bank: Bank) -> int:
    """A learner whose weakest topic is the convolution one (S5.2)."""
    lid = bank.learner_id("tester")
    for at in (datetime(2026, 11, 19, 3), datetime(2026, 11, 19, 4)):
        bank.record_attempt(
            lid, AttemptRecord("fx-conv-01", "S5.2", False, "28", topic_slug="fx-conv", at=at)
        )
    bank.record_attempt(
        lid, AttemptRecord("fx-ai-01", "S1.1", True, "1", topic_slug="fx-ai", at=NOW)
    )
    return lid


def test_a_weak_drill_mixes_in_problems_of_the_weak_topics_families(drill_bank: Bank) -> None:
    lid = _wrong_on_conv(drill_bank)
    items = select_drill(drill_bank, lid, "weak", count=10, seed=3, now=NOW)
    generated = [q for q in items if q.kind == "family"]
    assert len(generated) == math.ceil(10 * FAMILY_SHARE) == 2
    # The families are taken in turn: the one linked from the notes, then the section's.
    assert {q.family for q in generated} <= {"iou"} | S52_FAMILIES
    assert "iou" in {q.family for q in generated}
    for q in generated:
        fid, difficulty, _seed = parse_problem_id(q.id)
        assert fid == q.family
        assert difficulty in (1, 2, 3)
        assert len(q.choices) == 4
        assert sum(c.correct for c in q.choices) == 1
        assert "選択肢の誤り" in q.explanation
    assert len({q.id for q in items}) == len(items)


def test_the_same_seed_gives_the_same_drill(drill_bank: Bank) -> None:
    lid = _wrong_on_conv(drill_bank)
    first = [q.id for q in select_drill(drill_bank, lid, "weak", count=10, seed=5, now=NOW)]
    again = [q.id for q in select_drill(drill_bank, lid, "weak", count=10, seed=5, now=NOW)]
    assert first == again


def test_no_weak_topic_no_generated_problem(drill_bank: Bank) -> None:
    lid = drill_bank.learner_id("tester")
    items = select_drill(drill_bank, lid, "weak", count=10, seed=1, now=NOW)
    assert items
    assert all(q.kind != "family" for q in items)


def test_generated_problems_take_the_families_in_turn(drill_bank: Bank) -> None:
    out = generated_problems(drill_bank, ["iou", "conv2d"], 5, random.Random(0))
    assert [q.family for q in out] == ["iou", "conv2d", "iou", "conv2d", "iou"]
    assert len({q.id for q in out}) == 5


def test_generated_problems_of_nothing(drill_bank: Bank) -> None:
    rng = random.Random(0)
    assert generated_problems(drill_bank, [], 3, rng) == []
    assert generated_problems(drill_bank, ["iou"], 0, rng) == []
    assert generated_problems(drill_bank, ["no-such-family"], 3, rng) == []


def test_a_family_that_fails_is_left_out_and_the_drill_goes_on(
    drill_bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gquiz.problems as problems

    real = problems.generate

    def generate(family, difficulty, seed):  # type: ignore[no-untyped-def]
        if family.id == "iou":
            raise RuntimeError("broken family")
        return real(family, difficulty, seed)

    monkeypatch.setattr(problems, "generate", generate)
    out = generated_problems(drill_bank, ["iou", "conv2d"], 4, random.Random(0))
    # The failing draw is skipped; later turns all go to the family that works.
    assert [q.family for q in out] == ["conv2d", "conv2d", "conv2d"]
