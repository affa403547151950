"""`gquiz group ...` as the organiser and a member type it (PostgreSQL; skipped without it),
and the text of a member's result."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from gquiz.cli import main
from gquiz.config import Settings
from gquiz.study.group_exam import format_results
from gquiz.tui.start import ExamStart
from tests.helpers import cli_env

MEMBER = "kc_dora"


def _local(delta: timedelta) -> str:
    return (datetime.now() + delta).isoformat(timespec="minutes")


def test_group_commands_need_postgresql(study_settings: Settings) -> None:
    result = CliRunner().invoke(main, ["group", "init"], env=cli_env(study_settings))
    assert result.exit_code == 2
    assert "勉強会 (gquiz group) は PostgreSQL のデータベースでだけ使えます。" in result.stderr


@pytest.fixture
def organiser(study_settings: Settings, pg_url: str):  # type: ignore[no-untyped-def]
    settings = replace(study_settings, db_url=pg_url)
    yield settings
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": MEMBER})
        if exists.first():
            conn.execute(text(f"DROP OWNED BY {MEMBER}"))
            conn.execute(text(f"DROP ROLE {MEMBER}"))
    engine.dispose()


def test_an_organiser_and_a_member_at_the_command_line(
    organiser: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    env = cli_env(organiser)

    def gquiz(*args: str, db: str | None = None) -> tuple[int, str]:
        prefix = ["--db", db] if db else []
        result = runner.invoke(main, [*prefix, *args], env=env)
        # What a command prints, or on failure its one-line reason (stderr).
        return result.exit_code, result.stdout if result.exit_code == 0 else result.stderr

    assert gquiz("group", "init") == (
        0,
        "勉強会のデータベースを準備しました。gquiz group add NAME でメンバーを加えてください。\n",
    )
    code, out = gquiz("group", "add", MEMBER, "--password", "pw-dora")
    assert code == 0
    assert out.startswith(f"メンバー {MEMBER} を加えました。")
    member_url = re.search(r"gquiz --db '([^']+)'", out).group(1)  # type: ignore[union-attr]
    assert gquiz("group", "add", MEMBER)[0] == 1
    assert "もういます" in gquiz("group", "add", MEMBER)[1]
    assert gquiz("group", "exams") == (0, "公開された模擬試験はまだありません。\n")

    code, out = gquiz("group", "publish", "--opens", "tomorrow", "--closes", "later")
    assert code == 2
    assert "日時は 2026-12-05 か 2026-12-05T09:00 の形で書いてください: tomorrow" in out
    code, out = gquiz(
        "group", "publish", "--opens", "2026-12-05T10:00", "--closes", "2026-12-05T09:00"
    )
    assert (code, out.strip()) == (2, "--closes は --opens より後にしてください。")
    week = ["--opens", _local(-timedelta(hours=1)), "--closes", _local(timedelta(days=7))]
    code, out = gquiz(
        "group", "publish", "--title", "第1回", "--questions", "5", "--seed", "3", *week
    )
    assert (code, out.strip()) == (
        0,
        "模擬試験 #1 を公開しました: メンバーは gquiz group sit 1 で受けられます。",
    )
    past = ["--opens", _local(-timedelta(days=3)), "--closes", _local(-timedelta(days=2))]
    assert gquiz("group", "publish", "--title", "第0回", "--questions", "5", *past)[0] == 0
    code, out = gquiz("group", "exams")
    lines = out.splitlines()
    assert lines[0].startswith("受験できます  #1 第1回 (5 問 / 100 分、")
    assert lines[1].startswith("期間外        #2 第0回 (5 問 / 100 分、")

    # The member: a closed exam and an unknown one are refused; an open one opens the TUI.
    window = "〜".join(f"{datetime.fromisoformat(t):%m/%d %H:%M}" for t in past[1::2])
    assert gquiz("group", "sit", "2", db=member_url) == (
        1,
        f"模擬試験 #2 は受験期間外です (受験期間 {window})。\n",
    )
    assert gquiz("group", "sit", "9", db=member_url) == (1, "勉強会の模擬試験 #9 はありません。\n")
    opened: list[tuple[Settings, Any]] = []
    monkeypatch.setattr(
        "gquiz.tui.app.run_tui", lambda settings, **kw: opened.append((settings, kw["start"]))
    )
    assert gquiz("group", "sit", "1", db=member_url)[0] == 0
    # The app opens that very sitting (a newer personal exam must not be offered instead).
    ((settings, start),) = opened
    assert settings.db_url == member_url
    assert isinstance(start, ExamStart)
    assert start.resume is not None
    code, out = gquiz("group", "results", "1", db=member_url)
    assert out.splitlines() == [
        "この模擬試験はまだ提出していません。",
        "グループの分布は 3 人以上が提出すると表示します (現在 0 人)。",
    ]
    code, out = gquiz("group", "results", "1", "--json", "--share", db=member_url)
    data = json.loads(out)
    assert (data["exam"], data["mine"], data["group"]["members"]) == (1, None, 0)

    code, out = gquiz("group", "report")
    assert code == 0
    assert out.startswith("メンバー 1 人 (今週 回答したのは 0 人)")
    code, out = gquiz("group", "report", "--json")
    assert json.loads(out)["members"] == 1

    assert gquiz("group", "remove", MEMBER) == (
        0,
        f"メンバー {MEMBER} のログインを取り消しました (記録は残しています)。\n",
    )
    assert gquiz("group", "remove", MEMBER) == (1, f"メンバー「{MEMBER}」はいません。\n")


def test_a_result_beside_the_group() -> None:
    data = {
        "exam": 1,
        "mine": {"score": 110, "total": 145, "majors": {"S1": 0.8}},
        "group": {
            "members": 4,
            "min_members": 3,
            "median": 101.5,
            "q1": 90,
            "q3": 120,
            "majors": [
                {"major": "S1", "median": 0.7, "q1": 0.6, "q3": 0.9},
                {"major": "S5", "median": 0.5, "q1": 0.25, "q3": 0.75},
            ],
        },
        "leaderboard": [{"name": "alice", "score": 130}, {"name": "bob", "score": 110}],
    }
    assert format_results(data).splitlines() == [
        "あなたの得点: 110 / 145 問",
        "グループ (4 人): 中央値 101.5 問 (四分位 90〜120)",  # fmt_num: the one number rule
        "  S1   あなた 80%、グループの中央値 70% (60〜90%)",
        "  S5   グループの中央値 50% (25〜75%)",
        "順位 (公開を選んだメンバーのみ):",
        "  1. alice 130 問",
        "  2. bob 110 問",
    ]


def test_shared_exam_times_are_typed_and_shown_in_the_learners_zone(organiser: Settings) -> None:
    # An organiser in Berlin publishes one exam in their local time and one with the Tokyo
    # offset typed out; a member in Tokyo must see both at the Tokyo hours meant, not UTC.
    runner = CliRunner()

    def gquiz(tz: str, *args: str) -> str:
        result = runner.invoke(main, list(args), env={**cli_env(organiser), "GQUIZ_TZ": tz})
        assert result.exit_code == 0, result.output
        return result.stdout

    gquiz("Europe/Berlin", "group", "init")
    # 2026-12-05 02:00 CET is 01:00 UTC is 10:00 JST.
    gquiz("Europe/Berlin", "group", "publish", "--title", "ベルリン時刻",
          "--opens", "2026-12-05T02:00", "--closes", "2026-12-05T04:00")  # fmt: skip
    gquiz("Europe/Berlin", "group", "publish", "--title", "東京時刻",
          "--opens", "2026-12-05T10:00+09:00", "--closes", "2026-12-05T12:00+09:00")  # fmt: skip
    engine = create_engine(organiser.db_url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT opens_at, closes_at FROM group_exams ORDER BY id"))
        windows = [tuple(row) for row in stored]
    engine.dispose()
    utc = (datetime(2026, 12, 5, 1, 0), datetime(2026, 12, 5, 3, 0))
    assert windows == [utc, utc]
    listed = gquiz("Asia/Tokyo", "group", "exams").splitlines()
    assert [line.split("分、")[1] for line in listed] == ["12/05 10:00〜12/05 12:00)"] * 2
    in_berlin = gquiz("Europe/Berlin", "group", "exams").splitlines()
    assert in_berlin[0].endswith("12/05 02:00〜12/05 04:00)")
