"""Click command classes whose own ``-h/--help`` option is described in Japanese.

Every help text a learner reads is Japanese; click writes the help option's line itself, so
the commands of `gquiz` are built from these classes (click and the standard library only:
``gquiz --help`` must stay instant).
"""

from __future__ import annotations

import click

__all__ = ["HELP_OPTION_HELP", "JaCommand", "JaGroup"]

HELP_OPTION_HELP = "このヘルプを表示して終了します。"


class JaCommand(click.Command):
    """A command whose help option reads in Japanese."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION_HELP
        return option


class JaGroup(JaCommand, click.Group):
    """A group whose help option, subcommands and subgroups all read in Japanese."""

    command_class: type[click.Command] | None = JaCommand
    # `type`: a subgroup is of the same class as its parent.
    group_class: type[click.Group | type] | None = type
