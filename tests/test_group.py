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


def test_shared_exam_sat_by_members_resumed_after_kill_9(group, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys
    from datetime import timedelta

    from gquiz.bank.models import utcnow
    from gquiz.study.group_exam import GroupExamError, results, sit

    organiser, owner_bank, members = group
    now = utcnow()
    gid = owner_bank.publish_group_exam(
        "第1回", 7, 10, 14, now - timedelta(hours=1), now + timedelta(days=1)
    )
    # alice answers two questions and is killed without warning mid-exam.
    code = (
        "import os, signal\n"
        "from dataclasses import replace\n"
        "from gquiz.config import Settings\n"
        "from gquiz.study.group_exam import sit\n"
        f"s = Settings(db_url={members['alice'].url!r}, learner='alice', content=__import__('pathlib').Path({str(organiser.content)!r}), problems=__import__('pathlib').Path({str(organiser.problems)!r}))\n"
        "bank = s.open_bank()\n"
        f"e = sit(bank, bank.learner_id('alice'), {gid})\n"
        "for pos in (0, 1):\n"
        "    q = e.questions[pos]\n"
        "    e.answer(pos, [next(i for i, c in enumerate(q.choices) if c.correct)])\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], env={**os.environ}, timeout=120)
    assert proc.returncode == -9
    scores = {}
    for name in ("alice", "bob", "carol"):
        bank = _member_bank(organiser, members[name].url)
        lid = bank.learner_id(name)
        session = sit(bank, lid, gid)
        if name == "alice":
            assert len(session.answers) == 2  # resumed with what was answered before the kill
        for pos, q in enumerate(session.questions):
            right = name != "carol" or pos < 3
            pick = next(i for i, c in enumerate(q.choices) if c.correct == right)
            session.answer(pos, [pick], save=False)
        scores[name] = session.submit().score
        with pytest.raises(GroupExamError):
            sit(bank, lid, gid)  # submitted: not again
        if name != "carol":
            bank.set_share_score(lid, True)
        bank.close()
    assert scores == {"alice": 10, "bob": 10, "carol": 3}
    bob = _member_bank(organiser, members["bob"].url)
    try:
        data = results(bob, bob.learner_id("bob"), gid)
    finally:
        bob.close()
    assert data["mine"]["score"] == 10
    assert data["group"]["members"] == 3
    assert data["group"]["median"] == 10
    assert data["group"]["majors"]
    assert [r["name"] for r in data["leaderboard"]] == ["alice", "bob"]  # carol did not opt in
    # The same seed gave everyone the same exam in the same orders.
    with owner_bank.engine.connect() as conn:
        items = (
            conn.execute(text("SELECT items FROM exams WHERE group_exam_id = :g"), {"g": gid})
            .scalars()
            .all()
        )
    assert len(items) == 3
    assert items[0] == items[1] == items[2]


async def test_member_is_told_of_open_shared_exams(group, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta, timezone
    from zoneinfo import ZoneInfo

    from gquiz.bank.models import utcnow
    from gquiz.tui.app import make_app
    from tests.helpers import settle

    organiser, owner_bank, members = group
    monkeypatch.setenv("GQUIZ_TZ", "Asia/Tokyo")  # the member lives in Japan
    now = utcnow().replace(second=0, microsecond=0)
    gid = owner_bank.publish_group_exam(
        "第2回", 3, 10, 14, now - timedelta(hours=1), now + timedelta(hours=5)
    )
    app = make_app(replace(organiser, db_url=members["bob"].url, learner="bob"))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        texts = [str(n.message) for n in app._notifications]
        assert any(f"gquiz group sit {gid}" in t for t in texts), texts
        # The window in Japanese time, not the stored UTC.
        opens = (now - timedelta(hours=1)).replace(tzinfo=timezone.utc)
        tokyo = opens.astimezone(ZoneInfo("Asia/Tokyo"))
        assert any(f"{tokyo:%m/%d %H:%M}〜" in t for t in texts), texts


async def test_organiser_screen_shows_the_group_report(group) -> None:  # type: ignore[no-untyped-def]
    from gquiz.tui.app import make_app
    from gquiz.tui.screens.group import GroupReportScreen
    from gquiz.tui.widgets.prose import Prose
    from tests.helpers import settle

    organiser, owner_bank, members = group
    for name in members:
        bank = _member_bank(organiser, members[name].url)
        lid = bank.learner_id(name)
        for q in owner_bank.questions()[:6]:
            bank.record_attempt(
                lid,
                AttemptRecord(q.id, q.section_id, name != "carol", "1", topic_slug=q.topic_slug),
            )
        bank.close()
    app = make_app(organiser)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, GroupReportScreen)
        text = str(app.screen.query_one("#group-report", Prose).render())
        assert "メンバー 3 人" in text
        assert "大項目ごとの正答率" in text


def test_a_begun_sitting_is_resumed_past_a_newer_exam_and_the_closing_time(group) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from gquiz.bank.models import utcnow
    from gquiz.study.exam import ExamSession
    from gquiz.study.group_exam import GroupExamError, sit

    organiser, owner_bank, members = group
    now = utcnow()
    # The window closes five minutes after alice begins; the sitting has 100 minutes.
    gid = owner_bank.publish_group_exam(
        "第3回", 11, 6, 100, now - timedelta(hours=1), now + timedelta(minutes=5)
    )
    bank = _member_bank(organiser, members["alice"].url)
    lid = bank.learner_id("alice")
    first = sit(bank, lid, gid)
    for pos in (0, 1):
        first.answer(pos, [0])
    # Between two sessions alice begins a personal exam of her own and leaves it unfinished.
    personal = ExamSession.start(bank, lid, 5, 10, seed=4)
    personal.answer(0, [1])
    assert ExamSession.unfinished(bank, lid).exam_id == personal.exam_id  # type: ignore[union-attr]
    again = sit(bank, lid, gid)
    assert again.exam_id == first.exam_id  # her sitting, not a second one
    assert again.answers == {0: [0], 1: [0]}
    # Ten minutes on the window has closed, but her 100 minutes have not run out.
    later = sit(bank, lid, gid, now=now + timedelta(minutes=10))
    assert later.exam_id == first.exam_id
    with bank.engine.connect() as conn:
        sittings = conn.execute(
            text("SELECT count(*) FROM exams WHERE group_exam_id = :g"), {"g": gid}
        ).scalar()
    assert sittings == 1
    # Past her time limit too: graded with what she answered, never restarted.
    with pytest.raises(GroupExamError, match="回答済みの分で提出しました"):
        sit(bank, lid, gid, now=now + timedelta(hours=3))
    with pytest.raises(GroupExamError, match="提出済み"):
        sit(bank, lid, gid, now=now + timedelta(hours=3))
    assert ExamSession.unfinished(bank, lid).exam_id == personal.exam_id  # type: ignore[union-attr]
    bank.close()


def test_members_with_a_single_answer_do_not_skew_the_discrimination() -> None:
    # Six regulars answered eleven questions; strong ones get q-good right, weak ones miss it.
    # Three newcomers answered q-good only (right): they have no "rest of the bank" to rank them
    # by, so counting them as scoring 0 there would make q-good look like a broken question.
    regulars = []
    for lid, skill in enumerate([0.9, 0.85, 0.8, 0.3, 0.25, 0.2]):
        for k in range(10):
            regulars.append((lid, f"q-{k}", k / 10 < skill))
        regulars.append((lid, "q-good", skill > 0.5))
    newcomers = [(lid, "q-good", True) for lid in (10, 11, 12)]
    alone = {s.question_id: s for s in item_analysis(regulars)}["q-good"]
    mixed = {s.question_id: s for s in item_analysis(regulars + newcomers)}["q-good"]
    assert alone.discrimination is not None
    assert alone.discrimination > 0.5
    assert mixed.discrimination == pytest.approx(alone.discrimination)
    assert not mixed.flagged
    # They did answer: the share right and the count include them.
    assert (mixed.answers, mixed.p_correct) == (9, pytest.approx(6 / 9))
    # Five answers but only two members with a rest score behind the figure: a correlation of two
    # proves nothing, so it never flags (as with too few answers), however low it is.
    two = [(lid, q, ok) for lid, q, ok in regulars if lid in (0, 5) and q != "q-good"]
    two += [(0, "q-good", False), (5, "q-good", True), *newcomers]
    thin = {s.question_id: s for s in item_analysis(two)}["q-good"]
    assert thin.answers == 5
    assert thin.discrimination is not None
    assert thin.discrimination < 0
    assert not thin.flagged
