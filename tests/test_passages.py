"""The passage-with-blanks (穴埋め) format: one question per blank, errors with path:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_content_parser import GOOD_Q, HEADER, messages, parse_text

PASSAGE = """
## t-conv-p01
type: passage
difficulty: 3
keywords: パディング, ストライド

畳み込みでは入力の周囲を（ア）で埋めることがある。カーネルをずらす幅を（イ）という。

### （ア）

- [x] ゼロ
- [ ] 平均値
- [ ] 最大値
- [ ] 乱数

#### 解説

ゼロパディングが基本。

### （イ）

- [ ] パディング
- [x] ストライド
- [ ] ダイレーション
- [ ] チャネル

#### 解説

ずらす幅はストライド。

二段落目。
"""


def test_a_passage_gives_one_question_per_blank(tmp_path: Path) -> None:
    result = parse_text(tmp_path, HEADER + GOOD_Q + PASSAGE + GOOD_Q.replace("-01", "-02"))
    assert result.errors == []
    ids = [q.id for q in result.topics[0].questions]
    assert ids == ["t-conv-01", "t-conv-p01-a", "t-conv-p01-i", "t-conv-02"]
    a, i = result.topics[0].questions[1:3]
    assert a.passage is not None
    assert a.passage.id == "t-conv-p01"
    assert a.passage.label == "ア"
    assert a.passage.text.startswith("畳み込みでは")
    assert a.passage.text.endswith("という。")
    assert a.stem == a.passage.text + "\n\n（ア）に入る最も適切な語句を選べ。"
    assert [c.text for c in a.choices if c.correct] == ["ゼロ"]
    assert a.explanation == "ゼロパディングが基本。"
    assert i.explanation == "ずらす幅はストライド。\n\n二段落目。"
    assert (a.difficulty, a.keywords) == (3, ["パディング", "ストライド"])
    assert a.line == 34
    assert i.line == 45


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (("（イ）という。", "という。"), "本文に （イ） がありません"),
        (("という。", "という。（ウ）も。"), "（ウ） に対応する ### （ウ） がありません"),
        (("### （イ）", "### （ウ）"), "ア・イ の順に"),
        (("- [ ] 平均値", "- [x] 平均値"), "ちょうど1つ"),
        (("#### 解説\n\nゼロパディングが基本。", ""), "#### 解説 がありません"),
        (("#### 解説\n\nゼロパディングが基本。", "#### 解説\n"), "解説が空です"),
        (("- [x] ゼロ\n- [ ] 平均値\n- [ ] 最大値\n- [ ] 乱数\n", "本文だけ。\n"), "選択肢"),
        (("### （ア）", "### 空欄ア"), "空欄のラベル"),
        (("## t-conv-p01", "## Bad P"), "id は英小文字"),
    ],
)
def test_passage_errors_name_their_line(
    tmp_path: Path, change: tuple[str, str], fragment: str
) -> None:
    result = parse_text(tmp_path, HEADER + PASSAGE.replace(*change, 1))
    found = messages(result)
    assert any(m.startswith("t.md:") and fragment in m for m in found), found


def test_no_silent_drop_when_a_blank_is_broken(tmp_path: Path) -> None:
    result = parse_text(tmp_path, HEADER + PASSAGE.replace("- [x] ストライド", "- [ ] ストライド"))
    assert result.errors  # the broken blank is an error, never just missing


def test_passage_blank_ids_are_unique_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(HEADER + PASSAGE, encoding="utf-8")
    other = HEADER.replace("t-conv", "t-other") + PASSAGE.replace("t-conv-p01", "t-conv-p01")
    (tmp_path / "b.md").write_text(other, encoding="utf-8")
    from gquiz.bank.content import parse_files
    from tests.test_content_parser import SYLLABUS

    result = parse_files([tmp_path / "a.md", tmp_path / "b.md"], SYLLABUS, None, base=tmp_path)
    assert any("t-conv-p01-a" in str(e) and "重複" in str(e) for e in result.errors)


def test_pinned_choice_is_parsed(tmp_path: Path) -> None:
    result = parse_text(tmp_path, HEADER + GOOD_Q.replace("- [ ] c", "- [ ] いずれでもない {last}"))
    assert result.errors == []
    choice = result.topics[0].questions[0].choices[-1]
    assert (choice.text, choice.pinned) == ("いずれでもない", True)
