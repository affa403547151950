"""Line breaking for Japanese prose in fixed-width cells.

Terminals (Rich, Textual) break lines at ASCII spaces and fold a long run of kana and kanji
at any character, so lines start with 。 or ）, an English term jumps to the next line leaving
half a line empty, and 「33.1 KB」 splits between number and unit. Here a line may break only:

* between phrases (文節), as BudouX's bundled model segments Japanese, or after a space;
* never inside a run of ASCII letters, digits and identifier marks (``ReLU``, ``3.14``,
  ``max_pool2d``), never between a number and its unit (``33.1 KB``, ``10 %``);
* never before a closing mark, 。、, ー, ・ or small kana, never after an opening bracket
  (kinsoku shori, JIS X 4051's 行頭禁則 / 行末禁則).

A phrase longer than the line is folded by characters, still honouring kinsoku. Widths are
terminal cells (Rich's table, so the result agrees with what Textual draws).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.cells import cell_len, get_character_cell_size

if TYPE_CHECKING:
    import budoux

# 行頭禁則: characters that must not start a line.
NO_LINE_START = frozenset(
    "。、，．,.)）]］}｝〕〉》」』】〙〗〟’”»"
    "!?！？‼⁇⁈⁉:;：；・ー―‐–〜～…‥%％°′″℃"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "々〻ゝゞヽヾ゛゜"
)
# 行末禁則: characters that must not end a line.
NO_LINE_END = frozenset("(（[［{｛〔〈《「『【〘〖〝‘“«")

# An unbreakable Latin run: words, numbers with decimal points, identifiers, paths.
_ATOM = re.compile(r"[A-Za-z0-9_@#$&+\-*/=.'^~<>|\\]+(?:[.,:][A-Za-z0-9_]+)*")
# A unit after a number and a space: keep "33.1 KB", "10 %", "3 x 3" together.
_UNIT = re.compile(r"(?:[A-Za-z]{1,3}|%|％|°C?|x|×)(?![A-Za-z])")


@lru_cache(maxsize=1)
def _parser() -> budoux.Parser:
    # The model ships inside the package (a JSON file), so this works offline. Loading it
    # takes ~10 ms, hence lazily and once.
    import budoux

    return budoux.load_default_japanese_parser()


def _has_japanese(text: str) -> bool:
    return any(
        "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"
        for ch in text
    )


@lru_cache(maxsize=4096)
def break_opportunities(text: str) -> tuple[int, ...]:
    """Offsets (0 < i < len(text)) where a line may break, for a text without newlines.

    >>> text = "ReLUは勾配消失を防ぐ。"
    >>> [text[i:j] for i, j in zip((0, *break_opportunities(text)), (*break_opportunities(text), len(text)))]
    ['ReLUは', '勾配消失を', '防ぐ。']
    """
    n = len(text)
    allowed: set[int] = set()
    if _has_japanese(text):
        pos = 0
        for phrase in _parser().parse(text):
            pos += len(phrase)
            allowed.add(pos)
    # After every run of spaces, except before hiragana that follows a Latin term: in
    # 「AI とは」 or 「ReLU を」 the particle belongs to the term before it.
    for m in re.finditer(r"\s+", text):
        after = text[m.end() : m.end() + 1]
        before = text[m.start() - 1 : m.start()]
        if after and "\u3041" <= after <= "\u309f" and before.isascii() and before.isalnum():
            continue
        allowed.add(m.end())
    # Around an ASCII atom that touches Japanese text with no space, BudouX decides; inside an
    # atom, never.
    for m in _ATOM.finditer(text):
        for i in range(m.start() + 1, m.end()):
            allowed.discard(i)
    # A number, a space, a unit: one unit of reading.
    for m in re.finditer(r"\d(\s+)", text):
        if _UNIT.match(text, m.end()):
            allowed.discard(m.end())
    out = []
    for i in sorted(allowed):
        if i <= 0 or i >= n:
            continue
        if text[i] in NO_LINE_START or text[i - 1] in NO_LINE_END:
            continue
        # A break right after a space whose next character must not start a line is covered
        # above; a break before a space is never needed (the space hangs at the line end).
        if text[i].isspace():
            continue
        out.append(i)
    return tuple(out)


def _fold(text: str, start: int, end: int, width: int) -> list[int]:
    """Cut text[start:end] (longer than the line) by characters, keeping kinsoku."""
    cuts: list[int] = []
    used = 0
    line_start = start
    i = start
    while i < end:
        w = get_character_cell_size(text[i])
        if used + w > width and i > line_start:
            cut = i
            # Pull characters that may not start a line back onto this one... by moving the
            # cut earlier (追い出し), as long as the line keeps at least one character.
            while cut - 1 > line_start and (
                text[cut] in NO_LINE_START or text[cut - 1] in NO_LINE_END
            ):
                cut -= 1
            cuts.append(cut)
            line_start = cut
            used = cell_len(text[cut:i])
        used += w
        i += 1
    return cuts


def line_breaks(text: str, width: int) -> list[int]:
    """Offsets at which to break ``text`` (no newlines) so each line fits ``width`` cells.

    Spaces at a break stay at the end of the line before (callers strip them when drawing).
    """
    if width <= 0 or cell_len(text) <= width:
        return []
    bounds = (0, *break_opportunities(text), len(text))
    breaks: list[int] = []
    used = 0
    line_start = 0
    for a, b in zip(bounds, bounds[1:], strict=False):
        piece = text[a:b]
        solid = cell_len(piece.rstrip())
        if used + solid <= width:
            used += cell_len(piece)
            continue
        if a > line_start:
            breaks.append(a)
            line_start = a
            used = 0
        if solid > width:
            cuts = _fold(text, a, a + len(piece.rstrip()), width)
            breaks.extend(cuts)
            if cuts:
                line_start = cuts[-1]
            used = cell_len(text[line_start:b])
        else:
            used = cell_len(piece)
    return breaks


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` cells (hard newlines kept, break spaces dropped).

    >>> wrap("損失関数の値が小さくなる方向へ、重みを少しずつ動かす。", 20)
    ['損失関数の値が', '小さくなる方向へ、', '重みを少しずつ', '動かす。']
    """
    lines: list[str] = []
    for para in text.split("\n"):
        cuts = line_breaks(para, width)
        for a, b in zip((0, *cuts), (*cuts, len(para)), strict=False):
            lines.append(para[a:b].rstrip())
    return lines


def min_width(text: str) -> int:
    """The widest unbreakable piece: the narrowest column that shows ``text`` without folding."""
    best = 0
    for para in text.split("\n"):
        bounds = (0, *break_opportunities(para), len(para))
        for a, b in zip(bounds, bounds[1:], strict=False):
            best = max(best, cell_len(para[a:b].rstrip()))
    return best
