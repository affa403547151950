"""Every message of a passage with blanks, exactly, with its line (recorded before
_FileParser._passage was split into named checks; an author keeps getting the same ones)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_content_parser import HEADER, messages, parse_text
from tests.test_passages import PASSAGE

PASSAGE_CASES = {
    "good": (),
    "bad-id": (("## t-conv-p01", "## Bad P"),),
    "no-blank": (("### （ア）", "### 空欄ア"), ("### （イ）", "### 空欄イ")),
    "no-text": (
        (
            "畳み込みでは入力の周囲を（ア）で埋めることがある。カーネルをずらす幅を（イ）という。\n",
            "",
        ),
    ),
    "order": (("### （イ）", "### （ウ）"),),
    "missing-in-text": (("（イ）という。", "という。"),),
    "extra-in-text": (("という。", "という。（ウ）も（エ）も。"),),
    "other-h3": (
        ("#### 解説\n\nゼロパディングが基本。", "#### 解説\n\nゼロパディングが基本。\n\n### 補足"),
    ),
    "keyword": (("keywords: パディング, ストライド", "keywords: パディング, プーリング"),),
    "broken-blank": (
        ("- [x] ストライド", "- [ ] ストライド"),
        ("keywords: パディング, ストライド", "keywords: パディング, プーリング"),
    ),
}


EXPECTED: dict[str, list[str]] = {
    "good": [],
    "bad-id": [
        "t.md:13: 穴埋め問題の id は英小文字・数字・ハイフンで書いてください: Bad P",
    ],
    "no-blank": [
        "t.md:13: t-conv-p01: 空欄 (### （ア） と選択肢) がありません",
        "t.md:20: t-conv-p01: 穴埋め問題の ### 見出しは空欄のラベル (例: ### （ア）) です: 空欄ア",
        "t.md:31: t-conv-p01: 穴埋め問題の ### 見出しは空欄のラベル (例: ### （ア）) です: 空欄イ",
    ],
    "no-text": [
        "t.md:13: t-conv-p01: 本文 (空欄を含む文章) がありません",
    ],
    "order": [
        "t.md:13: t-conv-p01: 空欄のラベルは ア・イ の順に並べてください (書かれた順: ア・ウ)",
    ],
    "missing-in-text": [
        "t.md:13: t-conv-p01: 本文に （イ） がありません",
    ],
    "extra-in-text": [
        "t.md:13: t-conv-p01: 本文の （ウ） に対応する ### （ウ） がありません",
        "t.md:13: t-conv-p01: 本文の （エ） に対応する ### （エ） がありません",
    ],
    "other-h3": [
        "t.md:31: t-conv-p01: 穴埋め問題の ### 見出しは空欄のラベル (例: ### （ア）) です: 補足",
    ],
    "keyword": [
        "t.md:13: t-conv-p01: キーワード「プーリング」が本文にもどの空欄の選択肢・解説にも出てきません",
    ],
    "broken-blank": [
        "t.md:13: t-conv-p01: キーワード「プーリング」が本文にもどの空欄の選択肢・解説にも出てきません",
        "t.md:33: t-conv-p01-i: 空欄の正解 (- [x]) はちょうど1つにしてください (0 個)",
        "t.md:33: t-conv-p01-i: 正解の選択肢 (- [x]) がありません",
    ],
}


@pytest.mark.parametrize("name", sorted(PASSAGE_CASES))
def test_passage_messages(tmp_path: Path, name: str) -> None:
    text = PASSAGE
    for old, new in PASSAGE_CASES[name]:
        assert old in text
        text = text.replace(old, new, 1)
    found = [m.replace(f"{tmp_path}/", "") for m in messages(parse_text(tmp_path, HEADER + text))]
    assert found == EXPECTED[name]
