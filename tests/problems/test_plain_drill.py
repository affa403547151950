"""The plain line drill: prompts, re-prompts on bad input, records every answer, ends on EOF."""

from __future__ import annotations

import io
import subprocess
import sys

from sqlalchemy import create_engine, text

from gquiz.plain import run_plain_drill
from gquiz.problems import generate


def attempts(url: str) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "select item_kind, item_id, section_id, correct, score, mode, answer from attempts order by id"
            )
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_plain_drill_records_and_reprompts(drill_bank, drill_settings, families) -> None:
    learner = drill_bank.learner_id("tester")
    first = generate(families["conv2d"], 1, 10)
    second = generate(families["conv2d"], 1, 11)
    wrong = "; ".join(" ".join("0" for _ in row) for row in second.answer)
    lines: list[str] = []
    stdin = io.StringIO(f"abc\n1 2; 3\n{first.answer_text}\n{wrong}\n")
    n = run_plain_drill(drill_bank, learner, "conv2d", 1, 10, 3, stdin, lines.append)
    out = "\n".join(lines)
    assert n == 2
    assert "「abc」は数値として読めません" in out
    assert "行ごとの要素の数がそろっていません" in out
    assert "正解\n解き方:" in out
    assert "不正解" in out
    assert second.answer_text in out
    assert "出力[0,0] = " in out  # the worked solution, window by window
    assert "入力が終わりました。2 問の回答を保存しました。" in out
    rows = attempts(drill_settings.db_url)
    assert [r[:4] for r in rows] == [
        ("family", "conv2d", "S5.2", 1),
        ("family", "conv2d", "S5.2", 0),
    ]
    assert all(r[5] == "drill" for r in rows)
    assert rows[1][4] < 1.0
    assert drill_bank.card(learner, "family", "conv2d") is not None


def test_unknown_family(drill_bank) -> None:
    lines: list[str] = []
    assert run_plain_drill(drill_bank, 1, "nope", 1, 0, 1, io.StringIO(""), lines.append) == 0
    assert "ありません" in lines[0]


def test_problems_package_does_not_import_textual() -> None:
    code = (
        "import gquiz.problems, gquiz.plain, gquiz.problems.generators\n"
        "from gquiz.problems import load_families, generate\n"
        "import sys\nprint('textual' in sys.modules, 'torch' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False"]
