"""The one wrapping component every screen uses for Japanese prose.

`JaText` is a Textual Visual: it lays out a `Content` with gquiz.text.wrap (phrase breaks,
kinsoku, numbers with units) at whatever width the widget gets, with an optional hanging
indent, and hands the already-fitting lines to Content's own renderer. `Prose` is a Static
that draws its text through it; `JaMarkdown` / `JaMarkdownViewer` are Textual's Markdown
widgets with paragraphs, headings and tables drawn through it and the soft-break join
installed in the parser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.strip import Strip
from textual.visual import RenderOptions, Visual
from textual.widget import Widget
from textual.widgets import Markdown, MarkdownViewer, Static
from textual.widgets._markdown import (
    MarkdownBlock,
    MarkdownH1,
    MarkdownH2,
    MarkdownH3,
    MarkdownH4,
    MarkdownH5,
    MarkdownH6,
    MarkdownParagraph,
    MarkdownTable,
    MarkdownTableOfContents,
)

from gquiz.text.markdown import note_parser
from gquiz.text.wrap import line_breaks, min_width

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.style import Style


def as_content(text: str | Text | Content) -> Content:
    """Content from a plain string, Rich Text, or Content (markup is not interpreted)."""
    if isinstance(text, Content):
        return text
    if isinstance(text, Text):
        return Content.from_rich_text(text)
    return Content(text)


def wrap_content(content: Content, width: int) -> list[Content]:
    """Content's lines at ``width`` cells, broken by gquiz.text.wrap (break spaces dropped)."""
    out: list[Content] = []
    for line in content.split("\n", allow_blank=True):
        cuts = line_breaks(line.plain, width)
        pieces = line.divide(cuts) if cuts else [line]
        out.extend(p.rstrip() for p in pieces)
    return out


class JaText(Visual):
    """Japanese-aware wrapping of a Content, with an optional hanging indent.

    ``prefix`` starts the first line (a choice number, a bullet); later lines are indented by
    its width, so wrapped text lines up under the text and never under the number.
    """

    def __init__(self, content: str | Text | Content, prefix: str | Text | Content = "") -> None:
        self.content = as_content(content)
        self.prefix = as_content(prefix)
        self._cache: tuple[int, list[Content]] | None = None

    def __str__(self) -> str:
        return self.prefix.plain + self.content.plain

    def lines(self, width: int) -> list[Content]:
        """The laid-out lines for a width (cached for the last width asked)."""
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        indent = self.prefix.cell_length
        body = max(1, width - indent)
        lines = wrap_content(self.content, body)
        if indent:
            pad = Content(" " * indent)
            lines = [(self.prefix if i == 0 else pad) + line for i, line in enumerate(lines)]
        self._cache = (width, lines)
        return lines

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if not width:
            return []
        pad = options.rules.get("line_pad", 0) * 2
        joined = Content("\n").join(self.lines(max(1, width - pad)))
        return joined.render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.prefix.cell_length + self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.prefix.cell_length + min_width(self.content.plain)

    def get_height(self, rules: RulesMap, width: int) -> int:
        pad = rules.get("line_pad", 0) * 2
        return len(self.lines(max(1, width - pad)))


class Prose(Static):
    """A Static whose text is laid out by JaText (use it for any Japanese sentence on screen)."""

    def render(self) -> Visual:
        visual = self.visual
        if isinstance(visual, Content):
            cached = getattr(self, "_ja_cache", None)
            if cached is None or cached[0] is not visual:
                cached = (visual, JaText(visual))
                self._ja_cache = cached
            return cached[1]
        return visual


# -- Markdown ------------------------------------------------------------------------------------


# The mixin is typed as a MarkdownBlock but is a plain class at run time, so the CSS type
# names and default styles of the block it is mixed into stay exactly Textual's.
if TYPE_CHECKING:
    _BlockBase = MarkdownBlock
else:
    _BlockBase = object


class _JaBlockMixin(_BlockBase):
    """Draw a block's inline content through JaText instead of Content's space-only wrapping."""

    def set_content(self, content: Content) -> None:
        self._content = content
        self.update(JaText(content))


def _ja(cls: type[MarkdownBlock]) -> type[MarkdownBlock]:
    # Same CSS type names through the MRO, so Textual's default styles keep applying.
    return type(f"Ja{cls.__name__}", (_JaBlockMixin, cls), {"__doc__": cls.__doc__})


class TableVisual(Visual):
    """A Markdown table that never loses a cell: wrapped columns, or rows as 「列名: 値」 lists.

    Columns get their natural width when the table fits; otherwise every column keeps at least
    its widest unbreakable piece (capped, so one long identifier cannot starve the rest) and
    the spare width goes to the columns that need it most. When even that does not fit, each
    row becomes a small list of 「列名: 値」 lines. ASCII separators only: box-drawing
    characters are ambiguous-width and shift in many Japanese terminals.
    """

    SEP = " | "
    MIN_COL = 6
    MAX_MIN_COL = 16

    def __init__(self, headers: list[Content], rows: list[list[Content]]) -> None:
        self.headers = headers
        n = len(headers)
        self.rows = [(r + [Content("")] * n)[:n] for r in rows]
        self._cache: tuple[int, list[Content]] | None = None

    def __str__(self) -> str:
        return "\n".join(c.plain for c in self.lines(80))

    def column_widths(self, width: int) -> list[int] | None:
        """Widths that fit ``width`` with every cell wrapped, or None when nothing fits."""
        n = len(self.headers)
        if not n:
            return None
        cols = [[self.headers[i], *(r[i] for r in self.rows)] for i in range(n)]
        natural = [max(c.cell_length for c in col) for col in cols]
        seps = len(self.SEP) * (n - 1)
        if sum(natural) + seps <= width:
            return natural
        floor = [
            min(max(max(min_width(c.plain) for c in col), self.MIN_COL), self.MAX_MIN_COL)
            for col in cols
        ]
        floor = [min(f, nat) for f, nat in zip(floor, natural, strict=False)]
        room = width - seps - sum(floor)
        if room < 0:
            return None
        widths = list(floor)
        # Hand out the spare cells one at a time to the column whose text is the most
        # squeezed (natural width per allotted cell): long prose columns grow first.
        want = [nat - f for nat, f in zip(natural, floor, strict=False)]
        while room > 0 and any(w > 0 for w in want):
            i = max(range(n), key=lambda k: (want[k] > 0, natural[k] / widths[k]))
            widths[i] += 1
            want[i] -= 1
            room -= 1
        return widths

    def lines(self, width: int) -> list[Content]:
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        widths = self.column_widths(width)
        lines = self._grid(widths) if widths else self._stacked(width)
        self._cache = (width, lines)
        return lines

    def _grid(self, widths: list[int]) -> list[Content]:
        sep = Content.styled(self.SEP, "dim")
        out: list[Content] = []

        def emit(cells: list[Content], bold: bool) -> None:
            wrapped = [wrap_content(c, w) for c, w in zip(cells, widths, strict=False)]
            for y in range(max(len(w) for w in wrapped)):
                parts: list[Content] = []
                for i, (lines, w) in enumerate(zip(wrapped, widths, strict=False)):
                    cell = lines[y] if y < len(lines) else Content("")
                    if bold:
                        cell = cell.stylize("bold")
                    if i < len(widths) - 1:
                        cell = cell + Content(" " * (w - cell.cell_length)) + sep
                    parts.append(cell)
                out.append(Content("").join(parts))

        emit(self.headers, True)
        out.append(Content.styled("-" * (sum(widths) + len(self.SEP) * (len(widths) - 1)), "dim"))
        for row in self.rows:
            emit(row, False)
        return out

    def _stacked(self, width: int) -> list[Content]:
        out: list[Content] = []
        for n, row in enumerate(self.rows):
            if n:
                out.append(Content.styled("-" * min(width, 20), "dim"))
            for i, (head, cell) in enumerate(zip(self.headers, row, strict=False)):
                indent = "" if i == 0 else "  "
                label = Content(indent) + head.stylize("bold") + Content(": ")
                value = cell.stylize("bold") if i == 0 else cell
                if label.cell_length > width // 3:
                    # A long column name: the name on its own line, the value under it, so
                    # the value keeps most of the width.
                    out.extend(JaText(label.rstrip()).lines(width))
                    out.extend(JaText(value, Content(indent + "  ")).lines(width))
                else:
                    out.extend(JaText(value, label).lines(width))
        return out

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if not width:
            return []
        joined = Content("\n").join(self.lines(width))
        return joined.render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((c.cell_length for c in self.lines(container_width)), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))


class TableView(Widget):
    """Draws a TableVisual at the width the widget gets."""

    DEFAULT_CSS = """
    TableView { height: auto; width: 1fr; }
    """

    def __init__(self, headers: list[Content], rows: list[list[Content]]) -> None:
        super().__init__()
        self.table = TableVisual(headers, rows)

    def render(self) -> Visual:
        return self.table


class JaMarkdownTable(MarkdownTable):
    """A Markdown table drawn by TableVisual instead of Textual's ellipsis-cutting grid."""

    def compose(self) -> ComposeResult:
        headers, rows = self._get_headers_and_rows()
        self._headers = headers
        self._rows = rows
        yield TableView(headers, rows)

    async def _update_from_block(self, block: MarkdownBlock) -> None:
        await MarkdownBlock._update_from_block(self, block)


class JaMarkdown(Markdown):
    """Textual's Markdown with Japanese line breaking, joined soft breaks and safe tables."""

    BLOCKS = {
        **Markdown.BLOCKS,
        "h1": _ja(MarkdownH1),
        "h2": _ja(MarkdownH2),
        "h3": _ja(MarkdownH3),
        "h4": _ja(MarkdownH4),
        "h5": _ja(MarkdownH5),
        "h6": _ja(MarkdownH6),
        "paragraph_open": _ja(MarkdownParagraph),
        "table_open": JaMarkdownTable,
    }

    def __init__(self, markdown: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("parser_factory", note_parser)
        super().__init__(markdown, **kwargs)


class JaMarkdownViewer(MarkdownViewer):
    """MarkdownViewer over JaMarkdown (the note reader)."""

    def __init__(self, markdown: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("parser_factory", note_parser)
        super().__init__(markdown, **kwargs)

    def compose(self) -> ComposeResult:
        markdown = JaMarkdown(parser_factory=self._parser_factory, open_links=self._open_links)
        markdown.can_focus = True
        yield markdown
        yield MarkdownTableOfContents(markdown)


__all__ = ["JaMarkdown", "JaMarkdownViewer", "JaText", "Prose", "TableVisual", "cell_len"]
