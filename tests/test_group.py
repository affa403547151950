"""A study group on a real PostgreSQL server: privacy by the database, the organiser's report.

Skipped (with the reason) when no PostgreSQL server programs are installed; `.ci/run`
installs them.
"""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from gquiz.bank.group import add_member, enable_security, remove_member
from gquiz.bank.repo import AttemptRecord
from gquiz.config import Settings
from gquiz.study.group_report import item_analysis, point_biserial, report


def test_point_biserial_and_flags() -> None:
    assert point_biserial([True, True, False, False], [0.9, 0.8, 0.3, 0.2]) == pytest.approx(
        0.98, abs=0.02
    )
    assert point_biserial([True, True], [0.1, 0.9]) is None  # no variation in the item
    # Strong members miss q-bad, weak members get it: negative discrimination, flagged.
    latest = []
    for lid, skill in enumerate([0.9, 0.85, 0.8, 0.3, 0.25, 0.2]):
        for k in range(10):
            latest.append((lid, f"q-{k}", k / 10 < skill))
        latest.append((lid, "q-bad", skill < 0.5))
    stats = {s.question_id: s for s in item_analysis(latest)}
    assert stats["q-bad"].discrimination < 0
    assert stats["q-bad"].flagged
    assert stats["q-5"].discrimination > 0.5
    assert not stats["q-5"].flagged


@pytest.fixture
def group(study_settings: Settings, pg_url: str):  # type: ignore[no-untyped-def]
    organiser = replace(study_settings, db_url=pg_url)
    bank = organiser.open_bank()
    bank.ensure_built()
    with bank.engine.begin() as conn:
        enable_security(conn)
    members = {n: add_member(bank.engine, n, f"pw-{n}") for n in ("alice", "bob", "carol")}
    yield organiser, bank, members
    bank.close()
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        for n in members:
            conn.execute(text(f"DROP OWNED BY {n}"))
            conn.execute(text(f"DROP ROLE IF EXISTS {n}"))
    engine.dispose()


def _member_bank(organiser: Settings, url: str):  # type: ignore[no-untyped-def]
    bank = replace(organiser, db_url=url, learner="someone-else").open_bank()
    assert bank.member_role is not None
    assert not bank.ensure_built()  # a member never rebuilds the shared bank
    return bank


def test_members_study_concurrently_and_see_only_their_own(group) -> None:  # type: ignore[no-untyped-def]
    organiser, owner_bank, members = group
    questions = owner_bank.questions()
    errors: list[BaseException] = []

    def study(name: str, right: bool) -> None:
        try:
            bank = _member_bank(organiser, members[name].url)
            lid = bank.learner_id("ignored")  # a member's learner is their role
            for q in questions[:20]:
                ok = right or q.id.endswith("1")
                bank.record_attempt(
                    lid, AttemptRecord(q.id, q.section_id, ok, "1", topic_slug=q.topic_slug)
                )
            bank.close()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=study, args=(n, n != "carol")) for n in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    alice = _member_bank(organiser, members["alice"].url)
    try:
        with alice.engine.connect() as conn:
            names = conn.execute(text("SELECT name FROM learners")).scalars().all()
            assert names == ["alice"]
            assert conn.execute(text("SELECT count(*) FROM attempts")).scalar() == 20
            # Plain SQL at another member's rows: invisible, unchangeable, undeletable.
            bob_id = owner_bank.learner_id("bob")
            assert (
                conn.execute(
                    text("SELECT count(*) FROM attempts WHERE learner_id = :b"), {"b": bob_id}
                ).scalar()
                == 0
            )
            assert (
                conn.execute(
                    text("UPDATE attempts SET correct = false WHERE learner_id = :b"), {"b": bob_id}
                ).rowcount
                == 0
            )
            assert (
                conn.execute(
                    text("DELETE FROM attempts WHERE learner_id = :b"), {"b": bob_id}
                ).rowcount
                == 0
            )
            conn.commit()
        with alice.engine.connect() as conn, pytest.raises(DBAPIError):
            # Writing a row in bob's name is refused by the policy's WITH CHECK.
            conn.execute(
                text(
                    "INSERT INTO attempts (learner_id, item_kind, item_id, section_id, correct, "
                    "score, answer, mode, created_at) VALUES (:b, 'question', 'x', 'S1.1', true, "
                    "1, '1', 'quiz', now())"
                ),
                {"b": bob_id},
            )
        with alice.engine.connect() as conn, pytest.raises(DBAPIError):
            conn.execute(text("DELETE FROM questions"))  # content is read-only to members
        with alice.engine.connect() as conn, pytest.raises(DBAPIError):
            conn.execute(text("SELECT * FROM gquiz_member_scores"))  # the report is the organiser's
    finally:
        alice.close()
    with owner_bank.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM attempts")).scalar() == 60
        data = report(conn)
    assert data["members"] == 3
    assert data["active_this_week"] == 3
    assert set(data["majors"])
    assert all(m["members"] == 3 for m in data["majors"].values())
    assert len(data["items"]) == 20
    # Removing a member keeps their record unless asked.
    assert remove_member(owner_bank.engine, "carol", delete_data=False) == 0
    with owner_bank.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM attempts")).scalar() == 60
    members.pop("carol")
