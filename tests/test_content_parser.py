"""The content parser and validator: each error names path:line and says what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from gquiz.bank.content import content_files, mentions, parse_files
from gquiz.locations import shipped_syllabus
from gquiz.syllabus import canonical_keyword, load_syllabus

SYLLABUS = load_syllabus(shipped_syllabus())

HEADER = """---
section: S5.2
topic: t-conv
title: 畳み込み層
---

# 畳み込み層

ノート。

# 問題
"""

GOOD_Q = """
## t-conv-01
difficulty: 2
keywords: パディング

問題文。最も適切なものを選べ。

- [ ] a
- [x] b
- [ ] c

### 解説

b が正しい。
"""


def parse_text(tmp_path: Path, text: str, name: str = "t.md", families: set[str] | None = None):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_files([path], SYLLABUS, families, base=tmp_path)


def messages(result) -> list[str]:
    return [str(e) for e in result.errors]


def test_good_file_parses_everything(tmp_path: Path) -> None:
    result = parse_text(tmp_path, HEADER + GOOD_Q)
    assert result.errors == []
    (topic,) = result.topics
    assert (topic.section_id, topic.slug, topic.title) == ("S5.2", "t-conv", "畳み込み層")
    assert topic.note.startswith("# 畳み込み層")
    (q,) = topic.questions
    assert q.id == "t-conv-01"
    assert q.difficulty == 2
    assert q.keywords == ["パディング"]
    assert q.stem == "問題文。最も適切なものを選べ。"
    assert [(c.text, c.correct) for c in q.choices] == [("a", False), ("b", True), ("c", False)]
    assert q.explanation == "b が正しい。"
    assert q.line == 13


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        (GOOD_Q.replace("- [x] b", "- [ ] b"), 19, "正解の選択肢 (- [x]) がありません"),
        (GOOD_Q.replace("- [ ] a\n", "").replace("- [ ] c\n", ""), 19, "選択肢が2つ未満です"),
        (GOOD_Q.replace("b が正しい。", ""), 23, "解説が空です"),
        (GOOD_Q.replace("### 解説\n\nb が正しい。", ""), 13, "### 解説 がありません"),
        (GOOD_Q.replace("difficulty: 2", "difficulty: 5"), 14, "difficulty は 1, 2, 3"),
        (GOOD_Q.replace("- [ ] a", "- [x] a"), 13, "2つ選べ"),
        (GOOD_Q.replace("- [ ] a", "- [x] a").replace("- [ ] c", "- [x] c"), 19, "正解が 3 個"),
        (GOOD_Q.replace("- [ ] c", "- [ ] a"), 19, "同じ選択肢"),
        (GOOD_Q.replace("## t-conv-01", "## Bad Id"), 13, "問題 id は英小文字"),
        (
            GOOD_Q.replace("- [ ] a\n- [x] b\n- [ ] c\n", "1. a\n2. b\n"),
            13,
            "選択肢 (- [x] / - [ ] のリスト) がありません",
        ),
    ],
)
def test_each_question_error_names_its_line(
    tmp_path: Path, body: str, line: int, fragment: str
) -> None:
    result = parse_text(tmp_path, HEADER + body)
    found = messages(result)
    assert any(m.startswith(f"t.md:{line}: ") and fragment in m for m in found), found


def test_choose_two_needs_two_correct_and_says_so(tmp_path: Path) -> None:
    body = GOOD_Q.replace("最も適切なものを選べ", "適切なものを２つ選べ").replace(
        "- [ ] a", "- [x] a"
    )
    result = parse_text(tmp_path, HEADER + body)
    assert result.errors == []
    assert result.topics[0].questions[0].n_correct == 2


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        (HEADER.replace("section: S5.2", "section: S99.1"), "不明な section id: S99.1"),
        (HEADER.replace("topic: t-conv\n", ""), "フロントマターに topic がありません"),
        (HEADER.replace("title: 畳み込み層", "title: [unclosed"), "YAML が読めません"),
        (
            HEADER.replace("---\nsection", "section", 1).replace("---\n\n# 畳", "\n# 畳"),
            "フロントマター",
        ),
        (HEADER.replace("topic: t-conv", "topic: T Conv"), "topic は英小文字"),
    ],
)
def test_front_matter_errors(tmp_path: Path, header: str, fragment: str) -> None:
    result = parse_text(tmp_path, header + GOOD_Q)
    found = messages(result)
    assert any(fragment in m and m.startswith("t.md:") for m in found), found


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(HEADER + GOOD_Q, encoding="utf-8")
    (tmp_path / "b.md").write_text(
        HEADER.replace("t-conv\n", "t-other\n") + GOOD_Q, encoding="utf-8"
    )
    (tmp_path / "c.md").write_text(HEADER + "", encoding="utf-8")
    result = parse_files(content_files(tmp_path), SYLLABUS, base=tmp_path)
    found = messages(result)
    assert any(m.startswith("b.md:13: ") and "t-conv-01" in m and "重複" in m for m in found), found
    assert any(m.startswith("c.md:") and "topic t-conv" in m and "重複" in m for m in found), found


def test_unknown_drill_family(tmp_path: Path) -> None:
    header = HEADER.replace("title: 畳み込み層\n", "title: 畳み込み層\ndrills: [conv2d, nope]\n")
    result = parse_text(tmp_path, header + GOOD_Q, families={"conv2d"})
    found = messages(result)
    assert len(found) == 1
    assert "不明な計算ドリル: nope" in found[0]


def test_note_keyword_must_be_mentioned(tmp_path: Path) -> None:
    header = HEADER.replace("title: 畳み込み層\n", "title: 畳み込み層\nkeywords: [ストライド]\n")
    found = messages(parse_text(tmp_path, header + GOOD_Q))
    assert any("ストライド" in m for m in found), found


def test_keyword_helpers() -> None:
    assert canonical_keyword("AI効果 (AI effect)") == "AI効果"
    assert canonical_keyword("SARSA [v1.3追加とされる]") == "SARSA"
    assert canonical_keyword("MSE・RMSE・MAE") == "MSE・RMSE・MAE"
    assert mentions("MSE と RMSE と MAE を比べる", "MSE・RMSE・MAE")
    assert not mentions("MSE と RMSE", "MSE・RMSE・MAE")
    assert mentions("ＡＩ効果", "AI効果")


def test_shipped_content_passes_check() -> None:
    """The real content/ must always validate (what `gquiz bank check` runs)."""
    from gquiz.bank.build import Sources, check
    from gquiz.locations import content_dir, problems_dir

    result = check(Sources(content_dir(), problems_dir()))
    assert [str(e) for e in result.errors] == []
    assert sum(len(t.questions) for t in result.topics) > 0


def test_a_table_row_wider_than_its_header_names_its_line(tmp_path: Path) -> None:
    """A `|` inside a formula splits the cell, and Markdown drops the overflow silently."""
    table = (
        "\n| 手法 | 目的関数 |\n|---|---|\n"
        "| VAE | `E[log p(x\\|z)]` を最大化 |\n"
        "| β-VAE | `E[log p(x|z)] − β·KL` |\n"
    )
    result = parse_text(tmp_path, HEADER.replace("ノート。", "ノート。\n" + table) + GOOD_Q)
    assert messages(result) == [
        "t.md:14: 表の行のセルが 3 個あり、見出しの 2 個より多いため、はみ出した部分が"
        "表示されません (セルの中の | は \\| と書きます)"
    ]
