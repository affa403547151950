"""gquiz.text: phrase line breaking with kinsoku, and soft-break joining, on real sentences."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from gquiz.text.markdown import note_parser
from gquiz.text.wrap import NO_LINE_END, NO_LINE_START, break_opportunities, min_width, wrap

# Sentences taken from content/ (notes and explanations).
REAL = [
    "人工知能の研究は、期待が高まる「ブーム」と停滞する「冬の時代」を繰り返してきた。"
    "各ブームの中心技術と代表的なキーワードを順に押さえる。",
    "隠れ層に非線形の活性化関数 (シグモイド、ReLU など) を使うことで非線形な決定境界を表現でき、"
    "XOR も解ける。",
    "線形カーネル、多項式カーネル、RBF カーネルは SVM で広く使われる。"
    "ReLU はニューラルネットワークの活性化関数であり、",
    "全円盤を別の棒に移す最小手数は、円盤 n 枚で 2^n − 1 手 (3枚なら7手、4枚なら15手)。",
    "STRIPS (Stanford Research Institute Problem Solver) は、1971年にスタンフォード研究所の"
    "ファイクスとニルソンが開発した自動計画の手法である。",
    "モデル並列はモデルそのものを複数の GPU に分けて載せる方法で、1枚の GPU のメモリにモデルが"
    "収まらないときに必要になる。",
]


@pytest.mark.parametrize("width", [12, 20, 31, 40, 57, 76])
@pytest.mark.parametrize("text", REAL)
def test_lines_fit_keep_every_character_and_respect_kinsoku(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(cell_len(line) <= width for line in lines)
    # Nothing is lost: only the spaces at a break are dropped.
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines[1:]:
        assert line[0] not in NO_LINE_START, (width, lines)
    for line in lines[:-1]:
        assert line[-1] not in NO_LINE_END, (width, lines)


@pytest.mark.parametrize("text", REAL)
def test_latin_words_are_never_split(text: str) -> None:
    import re

    words = set(re.findall(r"[A-Za-z0-9_^]+", text))
    for width in (12, 20, 40):
        for line in wrap(text, width):
            for word in re.findall(r"[A-Za-z0-9_^]+", line):
                assert word in words, (word, width)


def test_greedy_fill_no_break_at_a_space_that_had_room() -> None:
    # The old wrapping moved a whole space-free run to the next line, leaving half a line
    # empty: here each line is full, the next line's first phrase did not fit on it.
    text = REAL[1]
    for width in (14, 20, 30, 40):
        lines = wrap(text, width)
        for a, b in zip(lines, lines[1:], strict=False):
            ops = break_opportunities(b)
            head = (b[: ops[0]] if ops else b).rstrip()
            assert cell_len(a) + 1 + cell_len(head) > width, (width, a, b)


def test_numbers_stay_with_units_and_particles_with_terms() -> None:
    assert wrap("サイズは 33.1 KB です", 12) == ["サイズは", "33.1 KB です"]
    assert wrap("正答率は 10 % を超えた", 12)[1].startswith("10 %")
    lines = wrap("これは強い AI とはまだ言えない", 12)
    assert not any(line.startswith("とは") for line in lines)


def test_small_kana_long_vowel_and_closing_marks_never_start_a_line() -> None:
    # A run with no phrase break at all is folded by characters, still with kinsoku.
    text = "アーキテクチャー」。ショッピング"
    # 「ャー」。」 is four characters that may not start a line: from 10 cells it always fits.
    for width in range(10, 20):
        for line in wrap(text, width)[1:]:
            assert line[0] not in NO_LINE_START, (width, line)


def test_min_width_is_the_widest_unbreakable_piece() -> None:
    assert min_width("max_pool2d を使う") == cell_len("max_pool2d を")
    assert min_width("") == 0


def test_soft_breaks_between_japanese_characters_are_joined() -> None:
    tokens = note_parser().parse(
        "各ブームの中心技術と\n代表的な **キーワード**\nを押さえる。\nSee\nalso"
    )
    children = tokens[1].children
    assert children is not None
    kinds = [t.type for t in children]
    # Two Japanese joins dropped, the one before / between Latin text kept (a space).
    assert kinds.count("softbreak") == 2
    text = "".join(t.content for t in children if t.type == "text")
    assert "中心技術と代表的な" in text
