"""Click classes for `gquiz`'s help: the ``-h/--help`` line in Japanese, and wrapping that
measures Japanese text by the columns it takes on screen.

Every help text a learner reads is Japanese. Click writes the help option's own line, and
wraps text only at spaces counting every character as one column, so a Japanese sentence
(two columns a character, no spaces) ran past the terminal's edge. These classes fix both,
breaking lines with the TUI's own breaker (gquiz.text.wrap), imported only when help is
printed (``gquiz`` itself must stay instant).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import click

__all__ = ["HELP_OPTION_HELP", "JaCommand", "JaContext", "JaGroup", "JaHelpFormatter", "wrap"]

HELP_OPTION_HELP = "このヘルプを表示して終了します。"


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def columns(text: str) -> int:
    """The width of `text` on a terminal, in cells (as the TUI's wrapping counts them)."""
    from rich.cells import cell_len

    return cell_len(text)


def _fill(text: str, width: int, indent: str) -> list[str]:
    # The TUI's line breaker (phrases, kinsoku, names and numbers kept whole), imported only
    # when help is printed: the other commands do not pay for it.
    from gquiz.text.wrap import wrap as wrap_prose

    return [indent + line for line in wrap_prose(text, max(width - columns(indent), 10))]


def _join(lines: list[str]) -> str:
    """One paragraph from its lines: a space between them, none between two Japanese ones."""
    text = ""
    for line in (line.strip() for line in lines):
        if text and not (_is_wide(text[-1]) and _is_wide(line[0])):
            text += " "
        text += line
    return text


def wrap(text: str, width: int, indent: str = "") -> str:
    """Wrap help text like click does (paragraphs, ``\\b`` blocks kept as written), but by
    screen columns, breaking Japanese between characters."""
    paragraphs: list[list[str]] = [[]]
    for line in text.expandtabs().splitlines():
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    out = []
    for par in (p for p in paragraphs if p):
        extra = " " * (len(par[0]) - len(par[0].lstrip()))
        if par[0].strip() == "\b":
            out.append("\n".join(indent + extra + line for line in par[1:]))
        else:
            out.append("\n".join(_fill(_join(par), width, indent + extra)))
    return "\n\n".join(out)


class JaHelpFormatter(click.HelpFormatter):
    """Click's help layout, with text and option descriptions wrapped by :func:`wrap`."""

    def write_text(self, text: str) -> None:
        self.write(wrap(text, self.width, " " * self.current_indent))
        self.write("\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        first_col = min(max((columns(first) for first, _ in rows), default=0), col_max)
        first_col += col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if columns(first) <= first_col - col_spacing:
                self.write(" " * (first_col - columns(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - self.current_indent, 10)
            lines = wrap(second, text_width).splitlines() or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


class JaContext(click.Context):
    formatter_class = JaHelpFormatter


class JaCommand(click.Command):
    """A command whose help reads in Japanese and fits the terminal."""

    context_class = JaContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        # Click caches the help option on the command the first time it is asked for, with the
        # names of that context: a command first run on its own (`lab.main()`, a test) would
        # then refuse `-h` under `gquiz` for the rest of the process. Rebuild it when the
        # names differ.
        cached = self._help_option
        if cached is not None and set(cached.opts) != set(self.get_help_option_names(ctx)):
            self._help_option = None
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION_HELP
        return option


class JaGroup(JaCommand, click.Group):
    """A group whose help option, subcommands and subgroups all read in Japanese."""

    command_class: type[click.Command] | None = JaCommand
    # `type`: a subgroup is of the same class as its parent.
    group_class: type[click.Group | type] | None = type
