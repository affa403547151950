"""The study engine: mastery, FSRS, weak-topic drills, exam blueprint, assembly and export."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from gquiz.bank.repo import AttemptRecord, Bank
from gquiz.cli import main
from gquiz.config import Settings
from gquiz.study.exam import Blueprint, ExamSession, assemble, load_blueprint
from gquiz.study.export import exam_data, render
from gquiz.study.mastery import mastery_of, wilson
from gquiz.study.review import rating_for, schedule, usual_time_ms
from gquiz.study.stats import learner_stats
from tests.helpers import TOPICS, as_stored_before_snapshots, cli_env, shown_as, typed

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 24, 12, 0, 0)


@pytest.fixture
def study_bank(study_settings: Settings):
    bank = study_settings.open_bank()
    bank.build()
    yield bank
    bank.close()


# -- mastery ----------------------------------------------------------------------------------
def test_two_right_answers_are_not_mastery() -> None:
    m = mastery_of([(True, NOW), (True, NOW)], NOW)
    assert m.accuracy == 1.0
    assert m.low < 0.5 < m.estimate < 1.0
    assert m.high == 1.0
    assert not m.mastered
    many = mastery_of([(True, NOW)] * 30, NOW)
    assert many.mastered
    assert many.low > 0.9


def test_recent_answers_weigh_more() -> None:
    old_wrong_new_right = [(False, NOW - timedelta(days=90))] * 5 + [(True, NOW)] * 5
    old_right_new_wrong = [(True, NOW - timedelta(days=90))] * 5 + [(False, NOW)] * 5
    assert (
        mastery_of(old_wrong_new_right, NOW).estimate
        > 0.7
        > 0.3
        > mastery_of(old_right_new_wrong, NOW).estimate
    )


def test_wilson_matches_known_values() -> None:
    low, high = wilson(0, 0)
    assert (low, high) == (0.0, 1.0)
    low, high = wilson(8, 10)
    assert low == pytest.approx(0.5408, abs=1e-3)
    assert high == pytest.approx(0.9315, abs=1e-3)


# -- FSRS -------------------------------------------------------------------------------------
def test_ratings_from_answers_and_time() -> None:
    assert rating_for(False, 1000, 5000) == "again"
    assert rating_for(True, 4000, 5000) == "good"
    assert rating_for(True, 20000, 5000) == "hard"
    assert rating_for(True, 20000, None) == "good"
    assert usual_time_ms([1, 2, 3]) is None
    assert usual_time_ms([1000, 2000, 3000, 4000, 5000]) == 3000


def test_fsrs_schedules_wrong_sooner_than_right_and_keeps_growing() -> None:
    again = schedule(None, "again", NOW)
    good = schedule(None, "good", NOW)
    assert again.due < good.due
    card, at = None, NOW
    intervals = []
    for _ in range(5):
        upd = schedule(card, "good", at)
        intervals.append(upd.due - at)
        card, at = upd.card, upd.due
    assert intervals[-1] > intervals[2] > timedelta(days=1)


def test_answers_move_cards_and_cards_survive_a_rebuild(
    study_bank: Bank, study_settings: Settings
) -> None:
    runner = CliRunner()
    runner.invoke(
        main,
        ["quiz", "--plain", "--topic", "st-def", "--count", "2", "--seed", "1"],
        input="1\n2\n",
        env=cli_env(study_settings),
    )
    cards = study_bank.cards(study_bank.learner_id("tester"))
    assert len(cards) == 2
    assert all(reviewed for *_x, reviewed in cards)
    study_bank.build()  # rebuild: cards are history, untouched
    assert len(study_bank.cards(study_bank.learner_id("tester"))) == 2


# -- the weak-topic scenario of the issue --------------------------------------------------------
def test_scripted_plain_session_finds_the_weak_topic_and_drills_it(
    study_settings: Settings,
) -> None:
    runner = CliRunner()
    weak = "st-fair"
    bank = study_settings.open_bank()
    bank.ensure_built()
    for n, (_section, slug) in enumerate(TOPICS):
        order = [q.id for q in bank.pick_questions(topic=slug, seed=n)]
        # Written choice 1 is always right in the fixture; the weak topic is answered with 2.
        key = (2,) if slug == weak else (1,)
        answers = "".join(typed(shown_as(study_settings, qid, n), key) + "\n" for qid in order)
        result = runner.invoke(
            main,
            ["quiz", "--plain", "--topic", slug, "--seed", str(n)],
            input=answers,
            env=cli_env(study_settings),
        )
        assert result.exit_code == 0, result.output
    stats = json.loads(runner.invoke(main, ["stats", "--json"], env=cli_env(study_settings)).stdout)
    assert stats["weakest_topics"][0]["slug"] == weak
    fair = next(t for t in stats["topics"] if t["slug"] == weak)
    assert (fair["attempts"], fair["correct"]) == (8, 0)
    assert fair["mastery_high"] < 0.3
    for key in ("mastery", "mastery_low", "mastery_high", "due", "attempts", "accuracy"):
        assert key in stats["sections"][0]
    drill = runner.invoke(
        main,
        ["drill", "--weak", "--plain", "--count", "10", "--seed", "2"],
        input="1\n" * 10,
        env=cli_env(study_settings),
    )
    assert drill.exit_code == 0, drill.output
    asked = [line.split("] ", 1)[1] for line in drill.stdout.splitlines() if line.startswith("[")]
    assert len(asked) == len(set(asked)) == 10
    assert sum(q.startswith(weak) for q in asked) >= 5


def test_wrong_new_and_flagged_modes(study_bank: Bank) -> None:
    from gquiz.study.drill import select_drill

    lid = study_bank.learner_id("tester")
    study_bank.record_attempt(
        lid, AttemptRecord("st-def-01", "S1.1", False, "2", topic_slug="st-def")
    )
    study_bank.record_attempt(
        lid, AttemptRecord("st-def-02", "S1.1", True, "1", topic_slug="st-def")
    )
    study_bank.set_flag(lid, "question", "st-conv-03", True)
    assert [q.id for q in select_drill(study_bank, lid, "wrong", 10)] == ["st-def-01"]
    assert [q.id for q in select_drill(study_bank, lid, "flagged", 10)] == ["st-conv-03"]
    new = {q.id for q in select_drill(study_bank, lid, "new", 100)}
    assert "st-def-01" not in new
    assert "st-def-02" not in new
    assert len(new) == 38


# -- blueprint, exam, export ----------------------------------------------------------------------
def test_blueprint_quotas_are_within_one_of_the_weights() -> None:
    bp = load_blueprint(REPO / "content")
    assert sum(bp.weights.values()) == 100
    for n in (1, 20, 145, 333):
        quotas = bp.quotas(n)
        assert sum(quotas.values()) == n
        for major, count in quotas.items():
            assert abs(count - n * bp.weights[major] / 100) < 1


def test_assemble_is_deterministic_and_follows_the_blueprint(study_bank: Bank) -> None:
    bp = Blueprint({"S1": 20, "S3": 20, "S5": 20, "S9": 20, "S10": 20})
    a = assemble(study_bank, 20, seed=7, blueprint=bp)
    assert a == assemble(study_bank, 20, seed=7, blueprint=bp)
    assert a != assemble(study_bank, 20, seed=8, blueprint=bp)
    ids = [it["id"] for it in a]
    assert len(ids) == len(set(ids)) == 20
    per_major: dict[str, int] = {}
    for qid in ids:
        per_major[qid.split("-")[1]] = per_major.get(qid.split("-")[1], 0) + 1
    assert sorted(per_major.values()) == [4, 4, 4, 4, 4]


def test_exam_session_saves_resumes_and_submits(study_bank: Bank) -> None:
    lid = study_bank.learner_id("tester")
    exam = ExamSession.start(study_bank, lid, 10, 14, seed=3)
    # Choices are shown in an order drawn from the exam seed: answer by what is shown.
    right = sorted(exam.questions[0].correct_positions)
    wrong = [next(i for i, c in enumerate(exam.questions[1].choices) if not c.correct)]
    exam.answer(0, right)
    exam.answer(1, wrong)
    exam.toggle_flag(2)
    exam.spend(0, 90_000)
    exam.current = 2
    exam.save()
    again = ExamSession.unfinished(study_bank, lid)
    assert again is not None
    assert again.exam_id == exam.exam_id
    assert again.answers == {0: right, 1: wrong}
    # Resumed, every question shows the order that was drawn at the start.
    assert [[c.key for c in q.choices] for q in again.questions] == [
        [c.key for c in q.choices] for q in exam.questions
    ]
    assert again.flags == {2}
    assert again.current == 2
    assert again.remaining_s == pytest.approx(14 * 60 - 90)
    assert [q.id for q in again.questions] == [q.id for q in exam.questions]
    result = again.submit(now=NOW)
    assert result.total == 10
    assert result.score == 1
    assert sum(t for _c, t in result.per_major.values()) == 10
    assert len(result.wrong) == 9  # one wrong answer and eight never answered
    assert result.unanswered == list(range(2, 10))
    assert [i.label for i in result.items[:3]] == ["正解", "不正解", "未回答"]
    assert ExamSession.unfinished(study_bank, lid) is None
    stats = learner_stats(study_bank, lid, NOW)
    assert stats.total.record.attempts == 2  # unanswered questions are not attempts


def test_stats_json_keeps_its_keys_and_their_order(study_bank: Bank) -> None:
    """`gquiz stats --json` is a public interface: LearnerStats.to_json() keeps every key, in
    the order scripts have seen since the dict version (JSON objects are printed in order)."""
    lid = study_bank.learner_id("tester")
    q = study_bank.questions()[0]
    study_bank.record_attempt(
        lid, AttemptRecord(q.id, q.section_id, True, "1", topic_slug=q.topic_slug, at=NOW)
    )
    data = learner_stats(study_bank, lid, NOW).to_json()
    record = ["attempts", "correct", "accuracy", "mastery", "mastery_low", "mastery_high"]
    record += ["level", "weighted_n", "weighted_correct"]
    assert list(data) == [
        "generated_at",
        "majors",
        "sections",
        "topics",
        "families",
        "total",
        "weakest_topics",
        "accuracy_by_day",
        "due_by_day",
        "readiness",
    ]
    assert data["generated_at"] == "2026-11-24T12:00:00"
    assert list(data["majors"][0]) == ["id", "title", "questions", "due", *record]
    assert list(data["sections"][0]) == ["id", "title", "questions", "due", *record]
    assert list(data["topics"][0]) == ["slug", "section", "title", "questions", "due", *record]
    assert list(data["total"]) == ["due", *record]
    weak = ["slug", "section", "title", "attempts", "accuracy", "mastery", "mastery_low"]
    assert list(data["weakest_topics"][0]) == [*weak, "mastery_high"]
    assert data["accuracy_by_day"] == [
        {"day": "2026-11-24", "attempts": 1, "correct": 1, "accuracy": 1.0}
    ]
    assert list(data["due_by_day"][0]) == ["day", "due"]
    assert list(data["readiness"])[-2:] == ["label", "calibration"]
    assert list(data["readiness"]["calibration"])[-1] == "label"


def test_exam_rows_live_in_the_bank(study_bank: Bank) -> None:
    """The study layer asks the bank to store exams: a graded or discarded exam is never
    rewritten by a late save (say from another window), and history reads it back."""
    lid = study_bank.learner_id("tester")
    exam = ExamSession.start(study_bank, lid, 5, 7, seed=11)
    stored = study_bank.exam(exam.exam_id)
    assert stored is not None
    assert (stored.seed, stored.n_questions, stored.minutes, stored.remaining_s) == (11, 5, 7, 420)
    assert stored.items == exam.items
    assert stored.submitted_at is None
    assert study_bank.save_exam_state(exam.exam_id, {"current": 3}, 400.0) is True
    assert study_bank.unfinished_exam(lid).state == {"current": 3}
    exam.current = 2
    exam.discard()
    assert study_bank.unfinished_exam(lid) is None
    gone = study_bank.exam(exam.exam_id)
    assert gone.submitted_at is not None
    assert gone.state["discarded"] is True
    assert study_bank.save_exam_state(exam.exam_id, {"current": 4}, 1.0) is False
    assert study_bank.exam(exam.exam_id).state["current"] == 2
    assert [e.id for e in study_bank.recent_exams(lid, 10)] == [exam.exam_id]
    assert study_bank.exam(exam.exam_id + 99) is None


def test_export_formats(study_bank: Bank, study_settings: Settings, tmp_path: Path) -> None:
    # A question carrying markup must come out escaped in HTML.
    path = study_settings.content / "s01" / "st-def.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "st-def の問題 1。", "<script>alert(1)</script> & <b>x</b>"
        ),
        encoding="utf-8",
    )
    study_bank.build()
    runner = CliRunner()
    out = {}
    for fmt in ("md", "html", "json"):
        target = tmp_path / f"exam.{fmt}"
        result = runner.invoke(
            main,
            [
                "exam",
                "export",
                "--questions",
                "40",
                "--seed",
                "5",
                "--format",
                fmt,
                "--out",
                str(target),
            ],
            env=cli_env(study_settings),
        )
        assert result.exit_code == 0, result.output
        out[fmt] = target.read_text(encoding="utf-8")
    data = json.loads(out["json"])
    assert data["n_questions"] == 40 == len(data["questions"])
    assert data == exam_data(study_bank, 40, 5)  # same seed, same exam
    views = {q.id: q for q in study_bank.questions()}
    orders = set()
    for q in data["questions"]:
        # Choices are printed in the order drawn for this exam; the key follows that order.
        shown = [views[q["id"]].choices[k] for k in q["choice_keys"]]
        assert sorted(q["choice_keys"]) == list(range(len(views[q["id"]].choices)))
        assert q["choices"] == [c.text for c in shown]
        assert q["answer"] == [i + 1 for i, c in enumerate(shown) if c.correct]
        orders.add(tuple(q["choice_keys"]))
    assert len(orders) > 5  # not the written order everywhere
    assert out["md"].index("# 解答と解説") > out["md"].index("## 問40\n")
    assert "<script>" not in out["html"]
    assert "&lt;script&gt;" in out["html"]
    assert "<b>x</b>" not in out["html"]

    class Checker(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []
            self.sections = 0

        def handle_starttag(self, tag: str, attrs) -> None:  # type: ignore[no-untyped-def]
            if tag not in ("meta", "br", "hr", "img", "input"):
                self.stack.append(tag)
            self.sections += tag == "section"

        def handle_endtag(self, tag: str) -> None:
            assert self.stack, tag
            assert self.stack[-1] == tag, (tag, self.stack[-5:])
            self.stack.pop()

    checker = Checker()
    checker.feed(out["html"])
    assert checker.stack == []
    assert checker.sections == 80  # 40 questions + 40 answers
    assert render(data, "md") == out["md"]


def test_exam_export_write_failure_is_one_line_and_dash_is_stdout(
    study_bank: Bank, study_settings: Settings, tmp_path: Path
) -> None:
    """Like the drill and カンペ exports: `-` prints, an unwritable --out is one sentence."""
    runner = CliRunner()
    args = ["exam", "export", "--questions", "10", "--format", "md", "--out"]
    env = cli_env(study_settings)
    printed = runner.invoke(main, [*args, "-"], env=env)
    assert printed.exit_code == 0, printed.output
    assert printed.stdout.startswith("# G検定 模擬試験 (10 問, seed 0)")
    missing = tmp_path / "no-such-folder" / "exam.md"
    failed = runner.invoke(main, [*args, str(missing)], env=env)
    assert failed.exit_code == 1
    assert "Traceback" not in failed.output
    assert failed.stderr.strip() == f"{missing} に書き込めません: No such file or directory"


def test_weakest_topics_fills_up_with_weak_topics_past_the_mastered_ones(tmp_path: Path) -> None:
    # Two topics answered long and well (定着, estimate ~0.89) sort before five topics with a
    # short perfect streak (estimate ~0.91, not yet 定着): the learner must still see five
    # weak topics, not the three left after the mastered ones are dropped from the first five.
    from tests.helpers import write_content

    topics = [*TOPICS, ("S3.1", "st-sup2"), ("S5.2", "st-conv2")]
    content = write_content(tmp_path / "seven", topics=topics)
    settings = Settings(
        db_url=f"sqlite:///{tmp_path / 'seven.sqlite3'}",
        learner="tester",
        content=content,
        problems=tmp_path / "no-problems",
    )
    bank = settings.open_bank()
    bank.build()
    lid = bank.learner_id("tester")
    mastered = {"st-def", "st-sup"}
    for section, slug in topics:
        answers = [True] * 40 + [False] * 4 if slug in mastered else [True] * 9
        for i, correct in enumerate(answers):
            bank.record_attempt(
                lid,
                AttemptRecord(
                    f"{slug}-{1 + i % 8:02d}", section, correct, "1", topic_slug=slug, at=NOW
                ),
            )
    stats = learner_stats(bank, lid, NOW)
    bank.close()
    levels = {t.slug: t.record.level for t in stats.topics}
    assert {s for s, level in levels.items() if level == "定着"} == mastered
    weakest = [t.slug for t in stats.weakest_topics]
    assert len(weakest) == 5
    assert set(weakest) == {slug for _s, slug in topics} - mastered


# -- an exam whose drill family was deleted since -------------------------------------------------
# Exams now keep each generated problem as shown (see the tests after these two); the two below
# are exams stored before that, with a seed only, which cannot be regenerated without the family.
def _exam_with_a_family(tmp_path: Path, study_settings: Settings):  # type: ignore[no-untyped-def]
    """The study bank with one real drill family (S5.2), and where its file lives."""
    from tests.helpers import with_one_family

    settings, family_file = with_one_family(study_settings, tmp_path)
    bank = settings.open_bank()
    bank.build()
    return settings, bank, family_file


def _answer_right(session: ExamSession, positions: list[int]) -> None:
    for pos in positions:
        q = session.questions[pos]
        session.answer(pos, [next(i for i, c in enumerate(q.choices) if c.correct)])


def test_a_submitted_exam_keeps_its_results_when_its_family_is_deleted(
    tmp_path: Path, study_settings: Settings
) -> None:
    from gquiz.study.history import exam_review

    settings, bank, family_file = _exam_with_a_family(tmp_path, study_settings)
    lid = bank.learner_id("tester")
    session = ExamSession.start(bank, lid, 145, 100, seed=5)
    generated = [p for p, it in enumerate(session.items) if it["kind"] == "family"]
    assert len(generated) >= 2
    answered = [*generated[:1], *range(4)]
    _answer_right(session, answered)
    result = session.submit(NOW)
    assert result.score == len(set(answered))
    bank.close()
    as_stored_before_snapshots(settings, session.exam_id)

    family_file.unlink()  # the author deletes (or renames) the family, then the bank is rebuilt
    bank = settings.open_bank()
    bank.build()
    review = exam_review(bank, session.exam_id)
    bank.close()
    assert review is not None
    assert review.score == result.score  # as graded
    first = review.items[generated[0]]
    assert first.question.stem == (
        "この問題の出題元 (family conv-output-size) は削除されたため表示できません。"
        "採点は受験時のままです。"
    )
    assert first.correct  # the verdict recorded when it was submitted
    assert first.question.section_id == "S5.2"
    never = review.items[generated[1]]
    assert not never.picks
    assert not never.correct
    assert sum(it.correct for it in review.items) == result.score
    assert review.per_major["S5"] == result.per_major["S5"]


def test_an_unfinished_exam_resumes_when_its_family_is_deleted(
    tmp_path: Path, study_settings: Settings
) -> None:
    from gquiz.study.history import exam_review

    settings, bank, family_file = _exam_with_a_family(tmp_path, study_settings)
    lid = bank.learner_id("tester")
    session = ExamSession.start(bank, lid, 145, 100, seed=6)
    generated = [p for p, it in enumerate(session.items) if it["kind"] == "family"]
    plain = [p for p, it in enumerate(session.items) if it["kind"] == "question"][:3]
    _answer_right(session, [generated[0], *plain])
    session.save()
    bank.close()
    as_stored_before_snapshots(settings, session.exam_id)

    family_file.unlink()
    bank = settings.open_bank()
    bank.build()
    resumed = ExamSession.unfinished(bank, lid)
    assert resumed is not None
    assert resumed.exam_id == session.exam_id
    gone = resumed.questions[generated[0]]
    assert "family conv-output-size" in gone.stem
    assert gone.choices == ()
    result = resumed.submit(NOW)
    # The pick on the deleted family's item cannot be graded: 未回答, no attempt recorded.
    assert result.score == len(plain)
    assert generated[0] in result.unanswered
    assert [k for k, *_rest in bank.exam_attempts(session.exam_id)] == ["question"] * len(plain)
    review = exam_review(bank, session.exam_id)
    bank.close()
    assert review is not None
    assert review.score == len(plain)
    assert not review.items[generated[0]].picks


def test_an_exam_shows_and_grades_its_generated_problems_as_drawn_after_the_family_changes(
    tmp_path: Path, study_settings: Settings
) -> None:
    """The author edits the family (another statement, other numbers) or deletes it: a resumed
    exam and its history still show the problem the learner saw, graded by its own choices."""
    from gquiz.study.history import exam_review

    settings, bank, family_file = _exam_with_a_family(tmp_path, study_settings)
    lid = bank.learner_id("tester")
    session = ExamSession.start(bank, lid, 145, 100, seed=7)
    generated = [p for p, it in enumerate(session.items) if it["kind"] == "family"]
    shown = {p: session.questions[p] for p in generated}
    _answer_right(session, generated[:1])
    session.save()
    bank.close()

    text = family_file.read_text(encoding="utf-8")
    edited = re.sub(r"(?m)^statement: \|\n", "statement: |\n  書き換えた問題文。\n", text, count=1)
    assert edited != text
    family_file.write_text(edited, encoding="utf-8")
    bank = settings.open_bank()
    bank.build()
    resumed = ExamSession.unfinished(bank, lid)
    assert resumed is not None
    for p, q in shown.items():
        again = resumed.questions[p]
        assert again.stem == q.stem
        assert "書き換えた" not in again.stem
        assert [(c.text, c.correct) for c in again.choices] == [
            (c.text, c.correct) for c in q.choices
        ]
    bank.close()

    family_file.unlink()
    bank = settings.open_bank()
    bank.build()
    resumed = ExamSession.unfinished(bank, lid)
    assert resumed is not None
    _answer_right(resumed, generated[1:2])
    result = resumed.submit(NOW)
    assert result.score == 2
    review = exam_review(bank, session.exam_id)
    bank.close()
    assert review is not None
    assert review.items[generated[0]].question.stem == shown[generated[0]].stem
    assert review.items[generated[0]].correct
    assert review.items[generated[1]].correct
