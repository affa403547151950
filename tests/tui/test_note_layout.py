"""Every real note as the note reader lays it out, at 80×24 and 100×30, contents panel on and off.

Mounting all 86 notes four times through Textual takes minutes, so the widths each kind of block
gets on screen (top level, each list depth, a quote, a table) are measured once per size and
panel state with Pilot on a sample note, then every note is laid out at those widths with the
very functions the widgets draw with. A Pilot check on real notes ties the two together.
Reads as the issue asks: no line starts with 。、）」, no table cell loses text, no line
overflows, and no line breaks at an ASCII space while the next word had room on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.content import Content
from textual.widgets._markdown import MarkdownBlock

from gquiz.config import Settings
from gquiz.text.markdown import note_parser
from gquiz.text.wrap import break_opportunities
from gquiz.tui.app import make_app
from gquiz.tui.screens.note import NoteScreen
from gquiz.tui.widgets.prose import JaMarkdownViewer, JaText, TableView, TableVisual, wrap_content
from tests.helpers import settle

REPO = Path(__file__).resolve().parents[2]
BAD_START = tuple("。、）」")
SAMPLE = "段落。\n\n- 一\n  - 二\n1. 番号\n\n> 引用。\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"


def _inline(token) -> Content:  # type: ignore[no-untyped-def]
    # The widget's own inline conversion (it uses nothing of the block it is called on).
    return MarkdownBlock._token_to_content(None, token)  # type: ignore[arg-type]


def _space_break_problems(text: str, width: int) -> list[str]:
    """Breaks at an ASCII space where the next word would have fitted on the line before."""
    out = []
    from gquiz.text.wrap import line_breaks

    cuts = line_breaks(text, width)
    ops = (*break_opportunities(text), len(text))
    for start, cut in zip((0, *cuts), cuts, strict=False):
        if text[cut - 1] != " ":
            continue
        nxt = next(o for o in ops if o > cut)
        if cell_len(text[start:nxt].rstrip()) <= width:
            out.append(f"'{text[cut:nxt]}' had room after '{text[start:cut]}'")
    return out


def _check(where: str, lines: list[str], width: int, problems: list[str]) -> None:
    for i, line in enumerate(lines):
        if cell_len(line) > width:
            problems.append(f"{where}: too wide ({cell_len(line)} > {width}): {line}")
        if i and line.lstrip().startswith(BAD_START):
            problems.append(f"{where}: starts with a closing mark: {line}")


def layout_problems(note: str, widths: dict[str, int], where: str) -> list[str]:
    """Lay a note out like JaMarkdown does, at the measured widths."""
    problems: list[str] = []
    tokens = note_parser().parse(note)
    stack: list[tuple[str, int]] = []  # open containers and their list sizes
    table: list[list[Content]] | None = None
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            items = sum(
                1 for t in tokens[i:] if t.type == "list_item_open" and t.level == tok.level + 1
            )
            stack.append((tok.type, items))
        elif tok.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            stack.pop()
        elif tok.type == "table_open":
            table = []
        elif tok.type == "tr_open" and table is not None:
            table.append([])
        elif tok.type == "table_close" and table is not None:
            visual = TableVisual(table[0], table[1:])
            width = widths["base"] - sum(widths[k] for k, _ in stack)
            lines = [c.plain for c in visual.lines(width)]
            _check(f"{where} table", lines, width, problems)
            shown = set("".join(lines))
            for cell in [c for row in table for c in row]:
                lost = set(cell.plain) - shown - {" "}
                if lost:
                    problems.append(f"{where} table: lost {lost!r} of {cell.plain}")
            table = None
        elif tok.type == "inline":
            content = _inline(tok)
            if table is not None:
                table[-1].append(content)
                continue
            width = widths["base"]
            for kind, items in stack:
                width -= widths[kind]
                if kind == "ordered_list_open":
                    width -= len(str(items)) - 1
            lines = [c.plain for c in wrap_content(content, width)]
            _check(where, lines, width, problems)
            for part in content.plain.split("\n"):
                problems += [f"{where}: {p}" for p in _space_break_problems(part, width)]
    return problems


async def measured_widths(app, pilot, viewer: JaMarkdownViewer) -> dict[str, int]:  # type: ignore[no-untyped-def]
    await viewer.document.update(SAMPLE)
    await pilot.pause()
    got: dict[str, int] = {}
    for block in viewer.document.query("*"):
        text = str(block._render()) if isinstance(block._render(), JaText) else ""
        w = block.content_region.width
        key = {"段落。": "base", "一": "b1", "二": "b2", "番号": "o1", "引用。": "q"}.get(text)
        if key:
            got[key] = w
        if isinstance(block, TableView):
            assert w == got.get("base", w), "tables get the paragraph width"
    return {
        "base": got["base"],
        "bullet_list_open": got["base"] - got["b1"],
        "ordered_list_open": got["base"] - got["o1"],
        "blockquote_open": got["base"] - got["q"],
    }


def real_settings(tmp_path: Path) -> Settings:
    return Settings(
        db_url=f"sqlite:///{tmp_path / 'bank.sqlite3'}",
        learner="tester",
        content=REPO / "content",
        problems=REPO / "problems",
    )


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_every_note_reads_cleanly(tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(real_settings(tmp_path))
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        topics = [t for m in app.bank.overview() for s in m.sections for t in s.topics]
        assert len(topics) > 50
        notes = {t.slug: app.bank.topic(t.slug).note for t in topics}
        app.push_screen(NoteScreen(topics[0].slug))
        await settle(app, pilot)
        viewer = app.screen.query_one(JaMarkdownViewer)
        problems: list[str] = []
        for toc in (False, True):
            viewer.show_table_of_contents = toc
            widths = await measured_widths(app, pilot, viewer)
            assert widths["base"] >= (44 if size[0] == 80 else 64), "the text keeps its width"
            for slug, note in notes.items():
                problems += layout_problems(note, widths, f"{slug} toc={toc}")
            # The widgets draw what the model above predicts: compare on two real notes.
            for slug in ("s2-1-search-inference", topics[-1].slug):
                await viewer.document.update(notes[slug])
                await pilot.pause()
                para = next(
                    b
                    for b in viewer.document.query("JaMarkdownParagraph")
                    if b.parent is viewer.document
                )
                visual = para._render()
                assert isinstance(visual, JaText)
                assert para.content_region.width == widths["base"]
        assert not problems, "\n".join(problems[:30])
