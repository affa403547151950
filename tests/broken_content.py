"""A corpus of broken topic files: every entry is an author's mistake that must be an error.

Each mutation starts from BASE (a valid topic file: three questions and a passage) and
breaks one construct. `bank check` must report every one of them (never exit 0), and never
raise: a question that does not parse is an error, not skipped. Used by
tests/test_broken_content.py and benchmarks/bench_broken_content.py (before/after counts).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

BASE = """---
section: S5.2
topic: t-conv
title: 畳み込み層
keywords: パディング, ストライド
---

# 畳み込み層

パディングは入力の周囲を埋める。ストライドはカーネルをずらす幅。

```python
out = (n + 2 * p - k) // s + 1
```

# 問題

## t-conv-01
difficulty: 2
keywords: パディング

入力 32、カーネル 5、パディング 2、ストライド 1 の出力サイズとして最も適切なものを選べ。

- [ ] 28
- [x] 32
- [ ] 30
- [ ] 16

### 解説

`(32 + 4 − 5) / 1 + 1 = 32`。28 はパディングを忘れた値である。

## t-conv-02
difficulty: 1

畳み込み層の説明として適切なものを2つ選べ。

- [x] カーネルを入力上でずらしながら積和をとる
- [x] 同じカーネルを入力全体で共有する
- [ ] 出力の大きさは入力と常に同じである
- [ ] 学習するパラメータを持たない

### 解説

重み共有と積和が畳み込みの特徴。出力の大きさはパディングとストライドで変わる。

## t-conv-03

次のコードの出力として最も適切なものを選べ。

```python
print((7 - 3) // 2 + 1)
```

- [ ] 2
- [x] 3
- [ ] 4

### 解説

`(7 − 3) / 2 + 1 = 3`。

## t-conv-p01
type: passage
difficulty: 2

畳み込みでは入力の周囲を（ア）で埋めることがある。カーネルをずらす幅を（イ）という。

### （ア）

- [x] ゼロ
- [ ] 平均値
- [ ] 最大値
- [ ] 乱数

#### 解説

ゼロパディングが基本。平均値・最大値・乱数で埋めるのは一般的ではない。

### （イ）

- [ ] パディング
- [x] ストライド
- [ ] ダイレーション
- [ ] チャネル

#### 解説

ずらす幅はストライド。パディングは埋めること、ダイレーションは間隔、チャネルは枚数。
"""

Mutation = Callable[[str], "str | bytes"]


def _sub(old: str, new: str, count: int = 1) -> Mutation:
    def apply(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)

    return apply


def _front(key_line: str, new: str) -> Mutation:
    return _sub(key_line, new)


Q1_CHOICES = "- [ ] 28\n- [x] 32\n- [ ] 30\n- [ ] 16\n"
Q1_EXPL = "### 解説\n\n`(32 + 4 − 5) / 1 + 1 = 32`。"
Q3 = BASE[BASE.index("## t-conv-03") : BASE.index("## t-conv-p01")]

MUTATIONS: dict[str, Mutation] = {
    # front matter
    "no front matter": lambda t: t[t.index("# 畳み込み層") :],
    "front matter not closed": _sub(
        "keywords: パディング, ストライド\n---\n", "keywords: パディング, ストライド\n\n"
    ),
    "front matter yaml error": _sub("title: 畳み込み層", "title: [畳み込み層"),
    "front matter a list": _sub(
        "section: S5.2\ntopic: t-conv\ntitle: 畳み込み層\nkeywords: パディング, ストライド",
        "- S5.2\n- t-conv",
    ),
    "front matter tab": _sub("title: 畳み込み層", "title:\t畳み込み層\n\tx: 1"),
    "no section": _front("section: S5.2\n", ""),
    "no topic": _front("topic: t-conv\n", ""),
    "no title": _front("title: 畳み込み層\n", ""),
    "empty title": _front("title: 畳み込み層", "title: ''"),
    "unknown section": _front("section: S5.2", "section: S5.99"),
    "section zero-padded": _front("section: S5.2", "section: S05.2"),
    "topic uppercase": _front("topic: t-conv", "topic: T-Conv"),
    "topic underscore": _front("topic: t-conv", "topic: t_conv"),
    "keyword typo key": _front("keywords: パディング", "keyword: パディング"),
    "Keywords capitalised": _front("keywords: パディング", "Keywords: パディング"),
    "unknown front matter key": _front("title: 畳み込み層", "title: 畳み込み層\nauthor: someone"),
    "order not an integer": _front("title: 畳み込み層", "title: 畳み込み層\norder: 一"),
    "order a float": _front("title: 畳み込み層", "title: 畳み込み層\norder: 1.5"),
    "keywords a mapping": _front("keywords: パディング, ストライド", "keywords: {a: 1}"),
    "drills a mapping": _front("title: 畳み込み層", "title: 畳み込み層\ndrills: {a: 1}"),
    "keyword not in note": _front(
        "keywords: パディング, ストライド", "keywords: パディング, ストライド, プーリング"
    ),
    "deep yaml": _front("keywords: パディング, ストライド", "keywords: " + "[" * 60 + "]" * 60),
    "huge front matter": _front("title: 畳み込み層", "title: " + "あ" * 30_000),
    # the questions heading
    "questions heading without space": _sub("# 問題\n", "#問題\n"),
    "questions heading in English": _sub("# 問題\n", "# Questions\n"),
    "questions heading at level 2": _sub("# 問題\n", "## 問題\n"),
    "no questions heading": _sub("# 問題\n\n", ""),
    "second questions heading": _sub("## t-conv-03", "# 問題\n\n## t-conv-03"),
    "text before the first question": _sub("# 問題\n\n", "# 問題\n\n問題は次のとおり。\n\n"),
    "question above the questions heading": _sub(
        "# 問題\n", "## t-conv-00\n\n問。\n\n- [x] a\n- [ ] b\n\n### 解説\n\nz。\n\n# 問題\n"
    ),
    # question headings
    "question id uppercase": _sub("## t-conv-01", "## T-conv-01"),
    "question id underscore": _sub("## t-conv-01", "## t_conv_01"),
    "question id with a title": _sub("## t-conv-01", "## t-conv-01 出力サイズ"),
    "question heading without space": _sub("## t-conv-02", "##t-conv-02"),
    "question heading at level 3": _sub("## t-conv-02", "### t-conv-02"),
    "question heading at level 4": _sub("## t-conv-03", "#### t-conv-03"),
    "question heading indented as code": _sub("## t-conv-03", "    ## t-conv-03"),
    "question heading in bold": _sub("## t-conv-02", "**t-conv-02**"),
    "duplicate question id": _sub("## t-conv-02", "## t-conv-01"),
    "setext heading in an explanation": _sub(
        "28 はパディングを忘れた値である。", "28 はパディングを忘れた値である。\n---"
    ),
    # metadata
    "difficulty 5": _sub(
        "difficulty: 2\nkeywords: パディング", "difficulty: 5\nkeywords: パディング"
    ),
    "difficulty text": _sub(
        "difficulty: 2\nkeywords: パディング", "difficulty: easy\nkeywords: パディング"
    ),
    "difficulty full-width colon": _sub("difficulty: 1\n", "difficulty：1\n"),
    "difficulty typo": _sub("difficulty: 1\n", "dificulty: 1\n"),
    "metadata then stem without blank line": _sub("difficulty: 1\n\n", "difficulty: 1\n"),
    "unknown metadata after a known one": _sub(
        "difficulty: 2\nkeywords: パディング", "difficulty: 2\nkeyword: パディング"
    ),
    "type of a question": _sub("difficulty: 1\n", "difficulty: 1\ntype: quiz\n"),
    # stem and choices
    "no stem": _sub(
        "入力 32、カーネル 5、パディング 2、ストライド 1 の出力サイズとして最も適切なものを選べ。\n\n",
        "",
    ),
    "no choices": _sub(Q1_CHOICES + "\n", ""),
    "choices as an ordered list": _sub(Q1_CHOICES, "1. [ ] 28\n2. [x] 32\n3. [ ] 30\n"),
    "choices without marks": _sub(Q1_CHOICES, "- 28\n- 32\n- 30\n"),
    "one choice without a mark": _sub("- [ ] 30\n", "- 30\n"),
    "choice with an empty mark": _sub("- [ ] 30\n", "- [] 30\n"),
    "choice with a v mark": _sub("- [ ] 30\n", "- [v] 30\n"),
    "first choice with a bad mark": _sub("- [ ] 28\n", "- [-] 28\n"),
    "empty choice": _sub("- [ ] 30\n", "- [ ]\n"),
    "no correct choice": _sub("- [x] 32\n", "- [ ] 32\n"),
    "three correct choices": _sub(
        "- [ ] 出力の大きさは入力と常に同じである", "- [x] 出力の大きさは入力と常に同じである"
    ),
    "two correct without saying so": _sub("- [ ] 28\n", "- [x] 28\n"),
    "choose-two stem with one correct": _sub("- [x] 同じカーネル", "- [ ] 同じカーネル"),
    "duplicate choice": _sub("- [ ] 30\n", "- [ ] 28\n"),
    "duplicate choice up to width": _sub("- [ ] 30\n", "- [ ] ２８\n"),
    "a single choice": _sub(Q1_CHOICES, "- [x] 32\n"),
    "ten choices": _sub(Q1_CHOICES, "- [x] 32\n" + "".join(f"- [ ] {n}\n" for n in range(40, 49))),
    "choice with a sub-list": _sub("- [ ] 30\n", "- [ ] 30\n  - 補足\n"),
    "choice with a second paragraph": _sub("- [ ] 30\n", "- [ ] 30\n\n  補足の段落。\n"),
    "choice with a code block": _sub("- [ ] 30\n", "- [ ] 30\n\n  ```\n  code\n  ```\n"),
    "choices split by a paragraph": _sub("- [ ] 30\n", "\n注意。\n\n- [ ] 30\n"),
    # explanation
    "no explanation heading": _sub(Q1_EXPL, "`(32 + 4 − 5) / 1 + 1 = 32`。"),
    "explanation heading with a colon": _sub(Q1_EXPL, "### 解説:\n\n`(32 + 4 − 5) / 1 + 1 = 32`。"),
    "explanation heading at level 2": _sub(Q1_EXPL, "## 解説\n\n`(32 + 4 − 5) / 1 + 1 = 32`。"),
    "explanation heading at level 4": _sub(Q1_EXPL, "#### 解説\n\n`(32 + 4 − 5) / 1 + 1 = 32`。"),
    "explanation heading in English": _sub(
        Q1_EXPL, "### Explanation\n\n`(32 + 4 − 5) / 1 + 1 = 32`。"
    ),
    "empty explanation": _sub(
        "### 解説\n\n重み共有と積和が畳み込みの特徴。出力の大きさはパディングとストライドで変わる。\n",
        "### 解説\n",
    ),
    "explanation before the choices": _sub(
        "- [ ] 2\n- [x] 3\n- [ ] 4\n\n### 解説\n\n", "### 解説\n\n- [ ] 2\n- [x] 3\n- [ ] 4\n\n"
    ),
    "question pasted into an explanation": _sub("## t-conv-02\ndifficulty: 1\n\n", ""),
    "two explanations": _sub(
        "28 はパディングを忘れた値である。",
        "28 はパディングを忘れた値である。\n\n### 解説\n\n追記。",
    ),
    "unclosed code fence": _sub("print((7 - 3) // 2 + 1)\n```", "print((7 - 3) // 2 + 1)"),
    # passage
    "passage id uppercase": _sub("## t-conv-p01", "## T-conv-p01"),
    "passage without text": _sub(
        "畳み込みでは入力の周囲を（ア）で埋めることがある。カーネルをずらす幅を（イ）という。\n\n",
        "",
    ),
    "passage blank missing in text": _sub(
        "カーネルをずらす幅を（イ）という。", "カーネルをずらす幅をストライドという。"
    ),
    "passage extra blank in text": _sub(
        "（イ）という。", "（イ）という。パディングの幅を（ウ）という。"
    ),
    "passage blank headings out of order": _sub("### （ア）", "### （ウ）"),
    "passage blank heading half-width": _sub("### （イ）", "### (イ)"),
    "passage blank without choices": _sub(
        "- [ ] パディング\n- [x] ストライド\n- [ ] ダイレーション\n- [ ] チャネル\n\n", ""
    ),
    "passage blank without explanation": _sub(
        "#### 解説\n\nずらす幅はストライド。", "ずらす幅はストライド。"
    ),
    "passage blank with two correct": _sub("- [ ] 平均値", "- [x] 平均値"),
    "passage blank with no correct": _sub("- [x] ゼロ", "- [ ] ゼロ"),
    "passage with no blanks": lambda t: t[: t.index("### （ア）")],
    # encodings and sizes
    "invalid UTF-8 byte": lambda t: t.encode("utf-8").replace("ゼロ".encode(), b"\xff\xfe"),
    "Shift_JIS file": lambda t: t.encode("shift_jis", errors="replace"),
    "UTF-16 file": lambda t: t.encode("utf-16"),
    "truncated UTF-8 sequence": lambda t: t.rstrip("\n").encode("utf-8")[:-1],
    "NUL byte": _sub("ゼロパディングが基本。", "ゼロパディング\x00が基本。"),
    "2 MB file": lambda t: t + ("\n長い追記。" * 200_000),
    "deep blockquote": _sub("28 はパディングを忘れた値である。", "\n\n" + ">" * 40 + " 深い引用"),
    "deep list": _sub(
        "28 はパディングを忘れた値である。",
        "\n\n" + "".join("  " * i + "- 項目\n" for i in range(40)),
    ),
    "empty file": lambda t: "",
}

# Files that are not read as topics at all (checked through `bank check` of a folder).
STRAY_NAMES = {
    "wrong extension .markdown": "t-conv.markdown",
    "upper-case .MD": "t-conv.MD",
    "exam- prefix": "exam-notes.md",
}


def write_case(content: Path, name: str, data: str | bytes) -> Path:
    """Make `content` hold exactly one topic file, s05/<name>, with `data`."""
    for old in content.rglob("*"):
        if old.is_file():
            old.unlink()
    path = content / "s05" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path
