"""gquiz drill export: printable sheets with a separate answer key, the same problems as the drill."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gquiz.cli import main
from gquiz.problems import generate, load_families
from gquiz.problems.export import ExportError, export_problems, render_export

from .conftest import PROBLEMS


@pytest.fixture
def env(tmp_path: Path, monkeypatch) -> dict[str, str]:
    monkeypatch.setenv("GQUIZ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("GQUIZ_PROBLEMS", str(PROBLEMS))
    return {}


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_json_gives_everything_a_study_group_needs(env) -> None:
    code, out, _ = run(
        "drill", "export", "metrics", "iou", "--count", "2", "--seed", "5",
        "--difficulty", "3", "--format", "json", "--out", "-",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    probs = doc["problems"]
    assert [p["id"] for p in probs] == ["metrics#3-5", "metrics#3-6", "iou#3-5", "iou#3-6"]
    fams = load_families(PROBLEMS)
    for rec in probs:
        p = generate(fams[rec["family"]], rec["difficulty"], rec["seed"])
        assert rec["statement"] == p.statement
        assert rec["answer_text"] == p.answer_text
        assert rec["precision"] == {"rule": p.precision.spec, "text": p.precision.rule_ja()}
        assert len(rec["choices"]) == 4
        assert [c["text"] for c in rec["choices"]] == [c.text for c in p.choices]
        keys = {c["key"] for c in rec["choices"]}
        assert "answer" in keys
        assert len(keys) == 4
        for c in rec["choices"]:
            assert c["correct"] == (c["key"] == "answer")
            assert c["label"]
        assert rec["steps"] == list(p.steps)


def test_the_same_problem_as_the_plain_drill(env, tmp_path: Path) -> None:
    code, out, _ = run(
        "drill", "export", "conv-params", "--seed", "11", "--difficulty", "3",
        "--count", "1", "--format", "json", "--out", "-",
    )  # fmt: skip
    assert code == 0
    rec = json.loads(out)["problems"][0]
    r = CliRunner().invoke(
        main,
        ["drill", "conv-params", "--plain", "--seed", "11", "--difficulty", "3", "--count", "1"],
        input="",
    )
    assert rec["id"] in r.stdout
    assert rec["statement"].splitlines()[0] in r.stdout


def test_markdown_has_the_answer_key_after_all_problems(env, tmp_path: Path) -> None:
    target = tmp_path / "sheet.md"
    code, _, err = run(
        "drill", "export", "nms", "--count", "3", "--format", "md", "--out", str(target)
    )
    assert code == 0
    assert "3 問" in err
    text = target.read_text(encoding="utf-8")
    key = text.index("# 解答と解き方")
    assert text.count("## 問 ") == 6
    assert text.rindex("選択肢（記述で答えてもよい）") < key
    assert text.index("**正解:") > key


def test_html_escapes_everything(tmp_path: Path) -> None:
    (tmp_path / "xss.yaml").write_text(
        """\
id: xss
section: S5.2
title: "<script>alert('t')</script>"
solver: conv_output_size
kind: integer
args: {in_size: n, kernel_size: 3, stride: 1, padding: 0}
statement: "<img src=x onerror=alert(1)> 入力 {n} <b>太字</b> [x](javascript:alert(1))"
levels:
  1: {params: {n: {int: [5, 9]}}}
  2: {params: {n: {int: [5, 9]}}}
  3: {params: {n: {int: [5, 9]}}}
distractors:
  - {id: a, label: "<i>1 少ない</i>", value: "n - 3"}
  - {id: b, label: "&lt;script&gt; 2 多い", value: "n"}
  - {id: c, label: 3 多い, value: "n + 1"}
""",
        encoding="utf-8",
    )
    fams = load_families(tmp_path)
    page = render_export(export_problems(fams, ["xss"], count=2), "html")
    for raw in ("<script>", "<img", "<b>", "<i>", 'href="javascript', "&lt;script&gt; 2"):
        assert raw not in page, raw
    assert "&lt;script&gt;alert" in page
    assert "&lt;i&gt;1 少ない&lt;/i&gt;" in page
    assert "&amp;lt;script&amp;gt; 2 多い" in page


def test_bad_requests_are_one_line_messages(env) -> None:
    code, _, err = run("drill", "export", "nope", "--format", "md", "--out", "-")
    assert code == 2
    assert "nope はありません" in err
    code, _, err = run("drill", "export", "iou", "--out", "-")
    assert code == 2
    assert "--format" in err
    code, _, err = run("drill", "iou", "--format", "md")
    assert code == 2
    with pytest.raises(ExportError, match="2000"):
        export_problems(load_families(PROBLEMS), count=100)
