"""A markdown-it-py rule that joins soft line breaks inside Japanese text.

Notes are written with hard-wrapped source lines. CommonMark turns each source newline into a
soft break, which renderers draw as a space: in Japanese that is a stray gap in the middle of a
word (「各ブームの中心技術と 代表的な」). Between two Japanese characters the break is dropped;
next to Latin text it stays a space, as in English.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token


def is_wide_script(ch: str) -> bool:
    """Kana, kanji, CJK punctuation and full-width forms: scripts written without spaces."""
    o = ord(ch)
    return (
        0x3000 <= o <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFF60  # full-width forms
        or 0x31F0 <= o <= 0x31FF
    )


def _edge_char(tokens: Sequence[Token], index: int, step: int) -> str:
    """The nearest visible character before (step -1) or after (step 1) tokens[index]."""
    i = index + step
    while 0 <= i < len(tokens):
        tok = tokens[i]
        if tok.type in ("text", "code_inline") and tok.content:
            return tok.content[-1] if step < 0 else tok.content[0]
        if tok.type in ("softbreak", "hardbreak", "image"):
            return ""
        i += step  # *_open / *_close markers have no text: look through them
    return ""


def join_softbreaks(state: StateCore) -> None:
    """Core rule: a soft break between two wide-script characters becomes nothing."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = block.children
        kept = []
        for i, tok in enumerate(children):
            if tok.type == "softbreak":
                before = _edge_char(children, i, -1)
                after = _edge_char(children, i, 1)
                if before and after and is_wide_script(before) and is_wide_script(after):
                    continue
            kept.append(tok)
        block.children = kept


def use_japanese(md: MarkdownIt) -> MarkdownIt:
    """Install the rule on a parser (after inline parsing, so children exist)."""
    md.core.ruler.push("join_japanese_softbreaks", join_softbreaks)
    return md


def note_parser() -> MarkdownIt:
    """The parser every gquiz screen uses for notes, stems and explanations (GFM-like tables)."""
    from markdown_it import MarkdownIt

    return use_japanese(MarkdownIt("gfm-like"))
