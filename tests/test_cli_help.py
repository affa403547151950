"""Every help text a learner reads in `gquiz ... --help` is Japanese (names and values aside)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
from click.testing import CliRunner

from gquiz.cli import main
from gquiz.clihelp import HELP_OPTION_HELP

_KANA_OR_KANJI = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _commands(cmd: click.Command, path: list[str]) -> Iterator[tuple[list[str], click.Command]]:
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            yield from _commands(sub, [*path, name])


def test_every_command_and_option_is_described_in_japanese() -> None:
    english = []
    for path, cmd in _commands(main, []):
        where = " ".join(["gquiz", *path])
        if not _KANA_OR_KANJI.search(cmd.help or ""):
            english.append(f"{where}: {cmd.help!r}")
        for param in cmd.params:
            if isinstance(param, click.Option) and not _KANA_OR_KANJI.search(param.help or ""):
                english.append(f"{where} {param.opts[0]}: {param.help!r}")
    assert not english, "\n".join(english)


def test_the_help_option_itself_reads_in_japanese() -> None:
    runner = CliRunner()
    for path, _ in _commands(main, []):
        out = runner.invoke(main, [*path, "-h"]).output
        assert HELP_OPTION_HELP in out, path
        assert "Show this message and exit." not in out, path
    assert "バージョンを表示して終了します。" in runner.invoke(main, ["--help"]).output


def test_help_lines_fit_an_80_column_terminal() -> None:
    from gquiz.clihelp import columns

    runner = CliRunner()
    for path, _ in _commands(main, []):
        out = runner.invoke(main, [*path, "--help"], terminal_width=80).output
        wide = [line for line in out.splitlines() if columns(line) > 80]
        assert not wide, (path, wide)


def test_wrap_breaks_japanese_by_screen_columns_and_keeps_names_whole() -> None:
    from gquiz.clihelp import columns, wrap

    text = "問題を「パス:行: 内容」の形で報告します。--quality で大項目ごとの数値を表示します。"
    lines = wrap(text, 30, "  ").splitlines()
    assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")
    assert all(columns(line) <= 30 for line in lines)
    assert not any(line.strip()[0] in "、。」" for line in lines)  # no closing mark starts a line
    assert any("--quality" in line for line in lines)  # an option name is never split
    # Lines of one Japanese paragraph join without a space; \b blocks stay as written.
    assert wrap("長い文を\n続けます。", 78) == "長い文を続けます。"
    assert wrap("\b\nA  B\n  C", 78) == "A  B\n  C"


def test_a_command_run_on_its_own_first_still_takes_dash_h_under_gquiz() -> None:
    """Click caches a command's help option with the names of the first context it saw."""
    from gquiz.cli import lab

    lab._help_option = None  # as in a fresh process: nothing cached yet
    runner = CliRunner()
    assert runner.invoke(lab, ["--help"]).exit_code == 0  # on its own: only --help
    out = runner.invoke(main, ["lab", "-h"]).output
    assert HELP_OPTION_HELP in out, out
