"""The `gquiz` command. Bare `gquiz` opens the TUI; subcommands serve scripts and pipes.

Heavy modules (textual, sqlalchemy, numpy) are imported inside the commands that need them:
`gquiz --help` must stay instant, and torch is never imported here at all.
"""

from __future__ import annotations

import json
import sys

import click

from gquiz import __version__


class _Ctx:
    def __init__(self, db: str | None, learner: str | None):
        self.db = db
        self.learner = learner

    def settings(self):  # -> gquiz.config.Settings
        from gquiz.config import Settings

        return Settings.resolve(self.db, self.learner)

    def bank(self, build: bool = True):
        """Open the bank, building it first when the content changed (with a clear error if invalid)."""
        from gquiz.bank.build import BuildError

        bank = self.settings().open_bank()
        if build:
            try:
                if bank.ensure_built(_stderr_progress()):
                    click.echo("問題バンクを更新しました。", err=True)
            except BuildError as exc:
                for err in exc.errors:
                    click.echo(str(err), err=True)
                click.echo(
                    f"コンテンツに {len(exc.errors)} 件の問題があります (gquiz bank check)。",
                    err=True,
                )
                sys.exit(1)
        return bank


def _stderr_progress():
    def report(done: int, total: int, what: str) -> None:
        if sys.stderr.isatty():
            click.echo(f"\r問題バンクを構築中 {done}/{total} {what[:20]:<20}", nl=False, err=True)
            if done >= total:
                click.echo("", err=True)

    return report


pass_ctx = click.make_pass_decorator(_Ctx)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar="GQUIZ_DB",
    help="SQLAlchemy URL of the bank (default: SQLite in the user data dir).",
)
@click.option("--learner", envvar="GQUIZ_LEARNER", help="Learner name whose answers are recorded.")
@click.version_option(__version__, prog_name="gquiz")
@click.pass_context
def main(ctx: click.Context, db: str | None, learner: str | None) -> None:
    """G検定 study and quiz app. Run without a command to open the terminal UI."""
    ctx.obj = _Ctx(db, learner)
    if ctx.invoked_subcommand is None:
        from gquiz.tui.app import run_tui

        run_tui(ctx.obj.settings())


@main.command()
@pass_ctx
def locate(obj: _Ctx) -> None:
    """Print where gquiz keeps its data and finds its content."""
    s = obj.settings()
    click.echo(f"database: {s.db_url}")
    click.echo(f"content:  {s.content}")
    click.echo(f"problems: {s.problems}")
    click.echo(f"learner:  {s.learner}")


@main.group()
def bank() -> None:
    """Build, check and export the question bank."""


@bank.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=None))
@pass_ctx
def bank_check(obj: _Ctx, paths: tuple[str, ...]) -> None:
    """Validate content files (all of content/, or PATHS); report `path:line: message`."""
    from pathlib import Path

    from gquiz.bank.build import Sources, check

    s = obj.settings()
    result = check(Sources(s.content, s.problems), [Path(p) for p in paths] or None)
    for err in result.errors:
        click.echo(str(err))
    n_q = sum(len(t.questions) for t in result.topics)
    if result.errors:
        click.echo(
            f"{len(result.errors)} 件の問題があります ({len(result.topics)} トピック, {n_q} 問)。",
            err=True,
        )
        sys.exit(1)
    click.echo(f"OK: {len(result.topics)} トピック, {n_q} 問", err=True)


@bank.command("build")
@click.option("--force", is_flag=True, help="Rebuild even if the content did not change.")
@pass_ctx
def bank_build(obj: _Ctx, force: bool) -> None:
    """Build the bank from content/ and problems/ (only when they changed, unless --force)."""
    from gquiz.bank.build import BuildError

    b = obj.bank(build=False)
    try:
        if force or b.needs_build():
            n = b.build(_stderr_progress())
            click.echo(f"問題バンクを構築しました: {n} 問")
        else:
            click.echo("問題バンクは最新です。")
    except BuildError as exc:
        for err in exc.errors:
            click.echo(str(err), err=True)
        sys.exit(1)


@bank.command("export")
@click.option("--json", "as_json", is_flag=True, required=True, help="Print JSON to stdout.")
@pass_ctx
def bank_export(obj: _Ctx, as_json: bool) -> None:
    """Print every section, topic, note and question as JSON."""
    data = obj.bank().export()
    click.echo(json.dumps(data, ensure_ascii=False, indent=1))


@bank.command("coverage")
@click.argument("sections", nargs=-1)
def bank_coverage(sections: tuple[str, ...]) -> None:
    """List syllabus keywords of SECTIONS (e.g. S3.1 or S3) lacking a note mention or two questions."""
    from gquiz.bank.build import Sources, check
    from gquiz.bank.coverage import coverage_gaps
    from gquiz.config import Settings

    s = Settings.resolve()
    sources = Sources(s.content, s.problems)
    result = check(sources)
    gaps = coverage_gaps(result.topics, sources.syllabus(), list(sections) or None)
    for gap in gaps:
        click.echo(gap)
    if gaps:
        sys.exit(1)
    click.echo("OK", err=True)


@main.command()
@click.option("--plain", is_flag=True, help="Line mode: questions on stdout, answers from stdin.")
@click.option("--topic", help="Topic slug.")
@click.option("--section", help="Section id: S5.2 (中項目) or S5 (大項目).")
@click.option("--count", type=click.IntRange(min=1), help="Number of questions.")
@click.option("--seed", type=int, help="Seed for the selection and order.")
@pass_ctx
def quiz(
    obj: _Ctx,
    plain: bool,
    topic: str | None,
    section: str | None,
    count: int | None,
    seed: int | None,
) -> None:
    """Answer multiple-choice questions (TUI, or --plain)."""
    if not plain:
        from gquiz.tui.app import run_tui

        run_tui(
            obj.settings(),
            start=("quiz", {"topic": topic, "section": section, "count": count, "seed": seed}),
        )
        return
    from gquiz.plain import run_plain_quiz
    from gquiz.study.quiz import QuizSession

    b = obj.bank()
    learner_id = b.learner_id(obj.settings().learner)
    questions = b.pick_questions(topic=topic, section=section, count=count, seed=seed)
    session = QuizSession(b, learner_id, questions)

    def out(text: str) -> None:
        click.echo(text, nl=not text.endswith("> "))

    try:
        run_plain_quiz(session, sys.stdin, out)
    except KeyboardInterrupt:
        click.echo(f"\n中断しました。{session.index} 問の回答を保存しました。", err=True)
        sys.exit(130)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def stats(obj: _Ctx, as_json: bool) -> None:
    """Attempts and accuracy per section and per topic."""
    from gquiz.study.stats import basic_stats

    b = obj.bank()
    data = basic_stats(b, b.learner_id(obj.settings().learner))
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    for m in data["majors"]:
        acc = "-" if m["accuracy"] is None else f"{m['accuracy'] * 100:.0f}%"
        click.echo(f"{m['id']:>4} {m['title']}  {m['attempts']} 回答  正答率 {acc}")


def _register_optional() -> None:
    # Commands written in their own modules; registered here so `gquiz --help` lists them.
    try:
        from gquiz.solve_cmd import solve
    except ImportError:  # the engine is optional while it is being written
        return
    main.add_command(solve)


_register_optional()
