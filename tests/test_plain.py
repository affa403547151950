"""`gquiz quiz --plain`: bad input gets a message and a re-prompt; answers are saved as given."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import create_engine, text

from gquiz.cli import main
from gquiz.config import Settings
from tests.helpers import cli_env, shown_as, typed


def _attempts(settings: Settings) -> list[tuple[str, int, str]]:
    engine = create_engine(settings.db_url)
    with engine.connect() as conn:
        rows = conn.execute(text("select item_id, correct, answer from attempts order by id")).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def _order(settings: Settings, topic: str, seed: int) -> list[str]:
    bank = settings.open_bank()
    bank.ensure_built()
    order = [q.id for q in bank.pick_questions(topic=topic, seed=seed)]
    bank.close()
    return order


def test_bad_inputs_reprompt_and_full_width_is_accepted(settings: Settings) -> None:
    runner = CliRunner()
    # fx-conv-01 (one answer: written second) only; typed full-width.
    right = typed(shown_as(settings, "fx-conv-01", 4), (2,))
    full = chr(ord("０") + int(right))
    result = runner.invoke(
        main,
        ["quiz", "--plain", "--topic", "fx-conv", "--seed", "4"],
        input=f"\nx\n9\n,\n{full}\n",
        env=cli_env(settings),
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Traceback" not in out
    assert "回答が空です" in out
    assert "「x」は選択肢の番号ではありません" in out
    assert "9 は範囲外です" in out
    assert "番号がありません" in out
    assert "正解" in out
    assert "結果: 1/1 問正解" in out
    assert _attempts(settings) == [("fx-conv-01", 1, "2")]


def test_choose_two_with_japanese_comma(settings: Settings) -> None:
    runner = CliRunner()
    order = _order(settings, "fx-ai", seed=3)
    two = typed(shown_as(settings, "fx-ai-02", 3), (1, 3)).replace(",", "，")
    two = "".join(chr(ord("０") + int(c)) if c.isdigit() else c for c in two)
    answers = {
        "fx-ai-01": typed(shown_as(settings, "fx-ai-01", 3), (2,)) + "\n",
        "fx-ai-02": "1\n" + two + "\n",
    }
    result = runner.invoke(
        main,
        ["quiz", "--plain", "--topic", "fx-ai", "--seed", "3"],
        input="".join(answers[q] for q in order),
        env=cli_env(settings),
    )
    assert result.exit_code == 0, result.output
    assert "この問題は2つ選びます" in result.output
    expected = {"fx-ai-01": ("fx-ai-01", 1, "2"), "fx-ai-02": ("fx-ai-02", 1, "1,3")}
    assert _attempts(settings) == [expected[q] for q in order]


def test_end_of_input_ends_cleanly_with_answers_saved(settings: Settings) -> None:
    runner = CliRunner()
    first = _order(settings, "fx-ai", seed=5)[0]
    # A wrong answer; stored as the written keys of what was picked.
    wrong_keys = (1,) if first == "fx-ai-01" else (1, 2)
    wrong = typed(shown_as(settings, first, 5), wrong_keys) + "\n"
    result = runner.invoke(
        main,
        ["quiz", "--plain", "--topic", "fx-ai", "--seed", "5"],
        input=wrong,
        env=cli_env(settings),
    )
    assert result.exit_code == 0, result.output
    assert "入力が終わりました。1 問の回答を保存しました。" in result.output
    assert _attempts(settings) == [(first, 0, ",".join(map(str, wrong_keys)))]


def test_wrong_answer_shows_the_right_one_and_the_explanation(settings: Settings) -> None:
    shown = shown_as(settings, "fx-conv-01", 2)
    right = typed(shown, (2,))
    wrong = typed(shown, (1,))
    result = CliRunner().invoke(
        main,
        ["quiz", "--plain", "--topic", "fx-conv", "--seed", "2"],
        input=f"{wrong}\n",
        env=cli_env(settings),
    )
    assert f"不正解 (正解は {right})" in result.output
    assert "28 はパディングを忘れた値" in result.output


def test_kill_9_keeps_answers_already_given(settings: Settings, tmp_path: Path) -> None:
    env = {**os.environ, **cli_env(settings)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gquiz", "quiz", "--plain", "--topic", "fx-conv", "--seed", "6"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
        bufsize=1,
    )
    assert proc.stdin
    assert proc.stdout
    proc.stdin.write(typed(shown_as(settings, "fx-conv-01", 6), (2,)) + "\n")  # right
    proc.stdin.flush()
    # Wait until the verdict of the first answer is printed, then kill without warning.
    deadline = time.monotonic() + 60
    seen = ""
    while "正解" not in seen and time.monotonic() < deadline:
        seen += proc.stdout.readline()
    assert "正解" in seen
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _attempts(settings) == [("fx-conv-01", 1, "2")]


def test_stats_json_counts_attempts(settings: Settings) -> None:
    import json

    runner = CliRunner()
    order = _order(settings, "fx-ai", seed=1)
    answers = {
        "fx-ai-01": typed(shown_as(settings, "fx-ai-01", 1), (2,)) + "\n",
        "fx-ai-02": typed(shown_as(settings, "fx-ai-02", 1), (1, 2)) + "\n",
    }
    runner.invoke(
        main,
        ["quiz", "--plain", "--topic", "fx-ai", "--seed", "1"],
        input="".join(answers[q] for q in order),
        env=cli_env(settings),
    )
    result = runner.invoke(main, ["stats", "--json"], env=cli_env(settings))
    data = json.loads(result.stdout)
    s11 = next(s for s in data["sections"] if s["id"] == "S1.1")
    assert (s11["attempts"], s11["correct"], s11["accuracy"]) == (2, 1, 0.5)
    topic = next(t for t in data["topics"] if t["slug"] == "fx-ai")
    assert topic["attempts"] == 2


def test_bank_check_reports_path_line_and_exits_1(settings: Settings) -> None:
    bad = settings.content / "s05" / "conv.md"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("- [x] 32", "- [ ] 32"), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["bank", "check"], env=cli_env(settings))
    assert result.exit_code == 1
    assert "conv.md:18: fx-conv-01: 正解の選択肢 (- [x]) がありません" in result.output


def test_bank_export_json_lists_every_question(settings: Settings) -> None:
    import json

    result = CliRunner().invoke(main, ["bank", "export", "--json"], env=cli_env(settings))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert sorted(q["id"] for q in data["questions"]) == ["fx-ai-01", "fx-ai-02", "fx-conv-01"]
