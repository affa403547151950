"""The `gquiz` command. Bare `gquiz` opens the TUI; subcommands serve scripts and pipes.

Heavy modules (textual, sqlalchemy, numpy) are imported inside the commands that need them:
`gquiz --help` must stay instant, and torch is never imported here at all.
"""

from __future__ import annotations

import errno
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from gquiz import __version__
from gquiz.study.formats import EXPORT_FORMATS, PACE, REAL
from gquiz.tui.start import (
    ExamStart,
    FamilyStart,
    LabStart,
    NoteStart,
    QuizFilters,
    QuizStart,
    Start,
)

if TYPE_CHECKING:
    from gquiz.bank.build import Progress
    from gquiz.bank.repo import Bank, QuestionView
    from gquiz.config import Settings


class _Ctx:
    def __init__(self, db: str | None, learner: str | None):
        self.db = db
        self.learner = learner

    def settings(self) -> Settings:
        from gquiz.config import Settings

        return Settings.resolve(self.db, self.learner)

    def bank_and_learner(self) -> tuple[Bank, int]:
        bank = self.bank()
        return bank, bank.learner_id(self.settings().learner)

    def bank(self, build: bool = True) -> Bank:
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


def _stderr_progress() -> Progress:
    def report(done: int, total: int, what: str) -> None:
        if sys.stderr.isatty():
            click.echo(f"\r問題バンクを構築中 {done}/{total} {what[:20]:<20}", nl=False, err=True)
            if done >= total:
                click.echo("", err=True)

    return report


pass_ctx = click.make_pass_decorator(_Ctx)


class _Main(click.Group):
    """The command group; a database that cannot be used ends in one sentence, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            message = _database_message(exc, ctx)
            if message is None:
                raise
            click.echo(message, err=True)
            ctx.exit(1)


_UNWRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.ENOSPC}


def _database_message(exc: Exception, ctx: click.Context) -> str | None:
    if isinstance(exc, OSError) and exc.errno in _UNWRITABLE and exc.filename:
        # The data folder (or a file in it) cannot be created or written: read-only, full
        # or a file where a folder should be.
        return f"{exc.filename} に書き込めません ({exc.strerror})。GQUIZ_DATA_DIR の場所と空きを確認してください。"
    # Only errors from the database layer; its modules are loaded by then if they raised them.
    if "gquiz.bank.dbfile" in sys.modules:
        from gquiz.bank.dbfile import DatabaseProblem

        if isinstance(exc, DatabaseProblem):
            return str(exc)
    if "gquiz.bank.db" not in sys.modules or not type(exc).__module__.startswith("sqlalchemy"):
        return None
    from gquiz.bank.db import explain

    url = ctx.obj.settings().db_url if isinstance(ctx.obj, _Ctx) else ""
    return explain(exc, url)


def _run_tui(settings: Settings, start: Start | None = None) -> None:
    """Open the TUI, after a cheap look at the database file (stdlib only, no first-paint cost)."""
    from gquiz.bank.dbfile import DatabaseProblem, probe, sqlite_file
    from gquiz.tui.app import run_tui

    path = sqlite_file(settings.db_url)
    if path is not None:
        try:
            probe(path)
        except DatabaseProblem as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
    run_tui(settings, start=start)


@click.group(
    cls=_Main,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
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
        _run_tui(ctx.obj.settings())


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
@click.option("--quality", is_flag=True, help="Also print the answer-cue statistics.")
@click.option("--json", "as_json", is_flag=True, help="With --quality: the statistics as JSON.")
@pass_ctx
def bank_check(obj: _Ctx, paths: tuple[str, ...], quality: bool, as_json: bool) -> None:
    """Validate content files (all of content/, or PATHS); report `path:line: message`.

    The answer-cue thresholds are checked over the whole bank (not over a few PATHS, whose
    figures are too small to judge); `--quality` prints the figures per 大項目.
    """
    from pathlib import Path

    from gquiz.bank.build import Sources, check
    from gquiz.bank.quality import format_report, measure, stale_notes

    s = obj.settings()
    result = check(Sources(s.content, s.problems), [Path(p) for p in paths] or None)
    for err in result.errors:
        click.echo(str(err))
    report = measure(result.topics)
    failures = [] if paths else report.failures
    if quality:
        if as_json:
            click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        else:
            click.echo(format_report(report))
            for warning in report.warnings:
                click.echo(f"{warning} (警告)")
    for failure in failures:
        click.echo(f"答えの手がかり: {failure}", err=as_json)
    for stale in stale_notes(result.topics):
        click.echo(f"{stale} (警告)", err=as_json)
    n_q = sum(len(t.questions) for t in result.topics)
    if result.errors or failures:
        click.echo(
            f"{len(result.errors) + len(failures)} 件の問題があります "
            f"({len(result.topics)} トピック, {n_q} 問)。",
            err=True,
        )
        sys.exit(1)
    if report.warnings and not quality:
        click.echo(f"警告 {len(report.warnings)} 件 (gquiz bank check --quality で表示)", err=True)
    click.echo(f"OK: {len(result.topics)} トピック, {n_q} 問", err=True)


@bank.command("quality")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def bank_quality(ctx: click.Context, as_json: bool) -> None:
    """Answer-cue statistics per 大項目 and overall (same as `bank check --quality`)."""
    ctx.invoke(bank_check, paths=(), quality=True, as_json=as_json)


@bank.command("build")
@click.option("--force", is_flag=True, help="Rebuild even if the content did not change.")
@pass_ctx
def bank_build(obj: _Ctx, force: bool) -> None:
    """Build the bank from content/ and problems/ (only when they changed, unless --force)."""
    from gquiz.bank.build import BuildError

    b = obj.bank(build=False)
    try:
        if force or b.needs_build():
            # A forced rebuild rewrites every content row: keep a copy of the file first.
            n = b.build(_stderr_progress(), backup=force)
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
    """List what SECTIONS (e.g. S3.1 or S3; all if none) lack: 15 questions per 中項目, a note
    mentioning each keyword, 3 questions naming it (and 1,400 questions in all)."""
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
        _run_tui(
            obj.settings(),
            start=QuizStart(QuizFilters(topic=topic, section=section, count=count, seed=seed)),
        )
        return
    b, learner_id = obj.bank_and_learner()
    questions = b.pick_questions(topic=topic, section=section, count=count, seed=seed)
    _plain_session(b, learner_id, questions, "quiz", seed)


@main.command()
@click.argument("term", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--limit", type=click.IntRange(1, 200), default=20, help="Most hits shown.")
@pass_ctx
def search(obj: _Ctx, term: tuple[str, ...], as_json: bool, limit: int) -> None:
    """Search notes (by heading), questions and syllabus keywords: full-/half-width, kana and
    abbreviations (grad-cam, GradCAM) are matched alike."""
    query = " ".join(term)
    b = obj.bank()
    hits = b.search(query, limit)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "kind": h.kind,
                        "ref": h.ref,
                        "anchor": h.anchor,
                        "title": h.title,
                        "topic_title": h.topic_title,
                        "section": h.section_id,
                        "lines": list(h.lines),
                    }
                    for h in hits
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    if not hits:
        click.echo(f"「{query}」は見つかりませんでした。")
        return
    for h in hits:
        click.echo(h.label)
        for line in h.lines:
            click.echo(f"    {line}")


@main.command()
@click.argument("topic")
@pass_ctx
def note(obj: _Ctx, topic: str) -> None:
    """Open the note reader at a topic (slug, as `gquiz bank export --json` lists them)."""
    b = obj.bank()
    if b.topic(topic) is None:
        raise click.ClickException(f"トピック「{topic}」はありません。")
    b.close()
    from gquiz.tui.app import run_tui

    run_tui(obj.settings(), start=NoteStart(topic))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def stats(obj: _Ctx, as_json: bool) -> None:
    """Mastery, accuracy and due reviews per 大項目, 中項目 and topic; the weakest topics."""
    from gquiz.study.stats import learner_stats

    b = obj.bank()
    data = learner_stats(b, b.learner_id(obj.settings().learner))
    if as_json:
        click.echo(json.dumps(data.to_json(), ensure_ascii=False, indent=1))
        return
    import shutil

    from gquiz.study.stats_report import stats_lines

    for line in stats_lines(data, shutil.get_terminal_size((100, 24)).columns):
        click.echo(line)


def _echo_line(text: str) -> None:
    """Print a line; at a terminal a prompt (ending in "> ") stays on its line for the answer.

    With piped input nothing is echoed, so the prompt gets its own line in the transcript.
    """
    click.echo(text, nl=not text.endswith("> ") or not sys.stdin.isatty())


def _plain_session(
    bank: Bank, learner_id: int, questions: list[QuestionView], mode: str, seed: int | None = None
) -> None:
    """Run a list of questions in line mode, recording attempts under `mode`."""
    from gquiz.plain import run_plain_quiz
    from gquiz.study.quiz import QuizSession

    session = QuizSession(bank, learner_id, questions, mode=mode, seed=seed)
    try:
        run_plain_quiz(session, sys.stdin, _echo_line)
    except KeyboardInterrupt:
        click.echo(f"\n中断しました。{session.index} 問の回答を保存しました。", err=True)
        sys.exit(130)


@main.command()
@click.argument("family", nargs=-1)
@click.option(
    "--weak",
    "mode",
    flag_value="weak",
    help="弱点克服: due reviews, weakest topics, generated problems.",
)
@click.option("--wrong", "mode", flag_value="wrong", help="Questions whose last answer was wrong.")
@click.option("--new", "mode", flag_value="new", help="Questions never answered.")
@click.option("--flagged", "mode", flag_value="flagged", help="Flagged questions.")
@click.option(
    "--count",
    type=click.IntRange(min=1),
    default=None,
    help="Number of items (default 20, or 5 for a family).",
)
@click.option(
    "--difficulty",
    type=click.IntRange(1, 3),
    default=2,
    show_default=True,
    help="Difficulty of a family's problems.",
)
@click.option("--seed", type=int, help="Seed: the same seed gives the same problems.")
@click.option("--plain", is_flag=True, help="Line mode: questions on stdout, answers from stdin.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json"]),
    default=None,
    help="drill export: md, html or json.",
)
@click.option("--out", default=None, help="drill export: output file, or - for stdout.")
@pass_ctx
def drill(
    obj: _Ctx,
    family: tuple[str, ...],
    mode: str | None,
    count: int | None,
    difficulty: int,
    seed: int | None,
    plain: bool,
    fmt: str | None,
    out: str | None,
) -> None:
    """Drills: a 計算ドリル FAMILY (generated problems), or --weak / --wrong / --new / --flagged.

    `gquiz drill export [FAMILY ...] [--difficulty D] [--count N] [--seed S] --format md|html|json
    --out FILE|-` writes printable problems with a separate answer key and worked solutions.
    """
    if family[:1] == ("export",):
        _drill_export(obj, family[1:], difficulty, count or 5, seed or 0, fmt, out)
        return
    if fmt is not None or out is not None:
        raise click.UsageError("--format と --out は gquiz drill export で使います。")
    if len(family) > 1:
        raise click.UsageError("計算ドリルのファミリーは 1 つだけ指定してください。")
    one = family[0] if family else None
    if one and mode:
        raise click.UsageError("FAMILY と --weak などは同時に指定できません。")
    if one:
        _family_drill(obj, one, difficulty, seed, count or 5, plain)
        return
    mode = mode or "weak"
    count = count or 20
    if not plain:
        _run_tui(obj.settings(), start=QuizStart(QuizFilters(drill=mode, count=count, seed=seed)))
        return
    from gquiz.study.drill import select_drill

    b, learner_id = obj.bank_and_learner()
    questions = select_drill(b, learner_id, mode, count, seed)
    if not questions:
        click.echo("該当する問題がありません。")
        return
    _plain_session(b, learner_id, questions, "drill", seed)


def _drill_export(
    obj: _Ctx,
    families: tuple[str, ...],
    difficulty: int,
    count: int,
    seed: int,
    fmt: str | None,
    out: str | None,
) -> None:

    from gquiz.problems import load_families
    from gquiz.problems.export import ExportError, export_problems, render_export

    if fmt is None or out is None:
        raise click.UsageError(
            "gquiz drill export には --format md|html|json と --out FILE|- が必要です。"
        )
    try:
        problems = export_problems(
            load_families(obj.settings().problems),
            families,
            difficulty=difficulty,
            count=count,
            seed=seed,
        )
    except ExportError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    _write_out(out, render_export(problems, fmt), nl=False, fail_code=2)
    if out == "-":
        return
    click.echo(
        f"{len(problems)} 問を {out} に書き出しました（{fmt}、解答と解き方つき）。", err=True
    )


def _family_drill(
    obj: _Ctx, family: str, difficulty: int, seed: int | None, count: int, plain: bool
) -> None:
    from gquiz.plain import run_plain_drill
    from gquiz.problems import load_families

    b, learner_id = obj.bank_and_learner()
    families = load_families(b.sources.problems)
    if family not in families:
        click.echo(
            f"計算ドリル {family} はありません。候補: {', '.join(sorted(families))}", err=True
        )
        sys.exit(2)
    if not plain:
        _run_tui(obj.settings(), start=FamilyStart(family, difficulty, seed))
        return

    run_plain_drill(b, learner_id, family, difficulty, seed, count, sys.stdin, _echo_line)


@main.command()
@click.option("--plain", is_flag=True, help="Line mode: questions on stdout, answers from stdin.")
@click.option(
    "--count",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="At most this many items.",
)
@pass_ctx
def review(obj: _Ctx, plain: bool, count: int) -> None:
    """Work through the reviews due today (FSRS)."""
    if not plain:
        _run_tui(obj.settings(), start=QuizStart(QuizFilters(review=True, count=count)))
        return
    from gquiz.study.reviews import due_items

    b, learner_id = obj.bank_and_learner()
    items = due_items(b, learner_id)[:count]
    if not items:
        click.echo("今日の復習はありません。")
        return
    click.echo(f"今日の復習: {len(items)} 問")
    _plain_session(b, learner_id, items, "review")


@main.group(invoke_without_command=True)
@click.option(
    "--questions",
    "n",
    type=click.IntRange(min=1),
    default=REAL.questions,
    show_default=True,
    help="Number of questions.",
)
@click.option(
    "--minutes",
    type=click.IntRange(min=1),
    default=REAL.minutes,
    show_default=True,
    help="Time limit.",
)
@click.option("--seed", type=int, help="Seed: the same seed gives the same exam.")
@click.option(
    "--pace",
    is_flag=True,
    help=f"Pace drill preset: {PACE.questions} questions in {PACE.minutes} minutes.",
)
@click.pass_context
def exam(ctx: click.Context, n: int, minutes: int, seed: int | None, pace: bool) -> None:
    """Timed practice exam in the TUI (real format: 145 questions, 100 minutes)."""
    if ctx.invoked_subcommand is not None:
        return
    if pace:
        n, minutes = PACE
    _run_tui(ctx.obj.settings(), start=ExamStart(n, minutes, seed))


@exam.command("export")
@click.option(
    "--questions", "n", type=click.IntRange(min=1), default=REAL.questions, show_default=True
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option("--out", "out_path", required=True, help="Output file, or - for stdout.")
@pass_ctx
def exam_export(obj: _Ctx, n: int, seed: int, fmt: str, out_path: str) -> None:
    """Write a printable exam with a separate answer key and explanations."""
    from gquiz.study.export import exam_data, render

    data = exam_data(obj.bank(), n, seed)
    _write_out(out_path, render(data, fmt))
    if out_path != "-":
        click.echo(f"{out_path}: {data['n_questions']} 問 (seed {seed})", err=True)


@main.group("kanpe")
def kanpe() -> None:
    """The personal カンペ: a printable sheet of key terms, formulas and one's mistakes."""


def _write_out(out_path: str, text: str, *, nl: bool = True, fail_code: int = 1) -> None:
    """Write an export to a file, or to stdout for `-`; a write failure is one line."""
    if out_path == "-":
        click.echo(text, nl=nl)
        return
    from pathlib import Path

    try:
        Path(out_path).write_text(text, encoding="utf-8")
    except OSError as exc:
        click.echo(f"{out_path} に書き込めません: {exc.strerror or exc}", err=True)
        sys.exit(fail_code)


@kanpe.command("export")
@click.option(
    "--weak", is_flag=True, help="Only the learner's weak topics (as `gquiz stats` ranks them)."
)
@click.option("--section", "sections", multiple=True, help="Section ids (S5.2 or S5); repeatable.")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("--out", "out_path", required=True, help="Output file, or - for stdout.")
@pass_ctx
def kanpe_export(obj: _Ctx, weak: bool, sections: tuple[str, ...], fmt: str, out_path: str) -> None:
    """Write the カンペ for the weak topics, some sections, or everything (syllabus order)."""
    from gquiz.study.kanpe import build_sheet, render

    b, learner_id = obj.bank_and_learner()
    sheets = build_sheet(b, learner_id, weak=weak, sections=list(sections) or None)
    what = "苦手トピック" if weak else (" ".join(sections) if sections else "全範囲")
    _write_out(out_path, render(sheets, fmt, f"G検定 カンペ ({what})"))
    if out_path != "-":
        click.echo(f"{out_path}: {len(sheets)} トピック", err=True)


@main.group("export")
def export_group() -> None:
    """Export cards to other study tools."""


@export_group.command("anki")
@click.option("--weak", is_flag=True, help="Only the learner's weak topics.")
@click.option("--section", "sections", multiple=True, help="Section ids (S5.2 or S5); repeatable.")
@click.option("--out", "out_path", required=True, help="The .apkg file to write.")
@pass_ctx
def export_anki(obj: _Ctx, weak: bool, sections: tuple[str, ...], out_path: str) -> None:
    """Write an Anki deck (.apkg): choice questions and drill formulas, stable ids, tags by section."""
    from gquiz.study.anki import write_deck

    b, learner_id = obj.bank_and_learner()
    try:
        n = write_deck(b, learner_id, out_path, weak=weak, sections=list(sections) or None)
    except OSError as exc:
        click.echo(f"{out_path} に書き込めません: {exc.strerror or exc}", err=True)
        sys.exit(1)
    click.echo(f"{out_path}: {n} 枚のカード", err=True)


@main.group("group")
def group() -> None:
    """A study group on a shared PostgreSQL database (roles and row-level security)."""


def _group_bank(obj: _Ctx, db: str | None) -> Bank:
    from gquiz.bank.group import GroupError, require_postgres

    if db:
        obj.db = db
    b = obj.bank()
    try:
        require_postgres(b.engine)
    except GroupError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    return b


_db_option = click.option("--db", "db", help="The group's PostgreSQL URL (the organiser's role).")


@group.command("init")
@_db_option
@pass_ctx
def group_init(obj: _Ctx, db: str | None) -> None:
    """Apply the migrations, build the bank, and turn on row-level security (organiser)."""
    from gquiz.bank.group import enable_security

    b = _group_bank(obj, db)
    with b.engine.begin() as conn:
        enable_security(conn)
    click.echo(
        "勉強会のデータベースを準備しました。gquiz group add NAME でメンバーを加えてください。"
    )


@group.command("add")
@click.argument("name")
@click.option("--password", help="The member's password (default: generated, printed once).")
@_db_option
@pass_ctx
def group_add(obj: _Ctx, name: str, password: str | None, db: str | None) -> None:
    """Create a member's login role and print the member's connection URL (once)."""
    from gquiz.bank.group import GroupError, add_member

    b = _group_bank(obj, db)
    try:
        member = add_member(b.engine, name, password)
    except GroupError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(
        f"メンバー {member.name} を加えました。この URL を本人だけに渡してください (再表示はできません):"
    )
    click.echo(f"  gquiz --db '{member.url}'")


@group.command("remove")
@click.argument("name")
@click.option("--delete-data", is_flag=True, help="Also delete the member's answers and cards.")
@_db_option
@pass_ctx
def group_remove(obj: _Ctx, name: str, delete_data: bool, db: str | None) -> None:
    """Revoke a member's login (their record is kept unless --delete-data)."""
    from gquiz.bank.group import GroupError, remove_member

    b = _group_bank(obj, db)
    try:
        n = remove_member(b.engine, name, delete_data)
    except GroupError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    kept = f"記録 {n} 行を削除しました" if delete_data else "記録は残しています"
    click.echo(f"メンバー {name} のログインを取り消しました ({kept})。")


def _when(text_: str) -> datetime:
    from datetime import datetime as dt

    try:
        return dt.fromisoformat(text_)
    except ValueError:
        click.echo(f"日時は 2026-12-05 か 2026-12-05T09:00 の形で書いてください: {text_}", err=True)
        sys.exit(2)


@group.command("publish")
@click.option("--title", default="勉強会の模擬試験", show_default=True)
@click.option(
    "--questions", "n", type=click.IntRange(min=1), default=REAL.questions, show_default=True
)
@click.option("--minutes", type=click.IntRange(min=1), default=REAL.minutes, show_default=True)
@click.option("--seed", type=int, help="Seed of the exam (default: drawn).")
@click.option(
    "--opens",
    required=True,
    help="Open from (local time, e.g. 2026-12-05T09:00, or with an offset: ...T09:00+09:00).",
)
@click.option("--closes", required=True, help="Closed from (local time).")
@_db_option
@pass_ctx
def group_publish(
    obj: _Ctx,
    title: str,
    n: int,
    minutes: int,
    seed: int | None,
    opens: str,
    closes: str,
    db: str | None,
) -> None:
    """Publish a shared mock exam for every member (organiser)."""
    import random

    from gquiz.study.group_exam import stored_time

    b = _group_bank(obj, db)
    start, end = (stored_time(_when(t), b.zone) for t in (opens, closes))
    if end <= start:
        click.echo("--closes は --opens より後にしてください。", err=True)
        sys.exit(2)
    seed = seed if seed is not None else random.randrange(10**9)
    gid = b.publish_group_exam(title, seed, n, minutes, start, end)
    click.echo(f"模擬試験 #{gid} を公開しました: メンバーは gquiz group sit {gid} で受けられます。")


@group.command("exams")
@_db_option
@pass_ctx
def group_exams(obj: _Ctx, db: str | None) -> None:
    """List the group's shared mock exams (open ones first)."""
    from gquiz.bank.models import utcnow
    from gquiz.study.group_exam import SharedExam

    b = _group_bank(obj, db)
    now = utcnow()
    exams = [SharedExam(**e) for e in b.group_exams()]
    if not exams:
        click.echo("公開された模擬試験はまだありません。")
    for e in sorted(exams, key=lambda e: not e.is_open(now)):
        click.echo(("受験できます  " if e.is_open(now) else "期間外        ") + e.label(b.zone))


@group.command("sit")
@click.argument("exam_id", type=int)
@_db_option
@pass_ctx
def group_sit(obj: _Ctx, exam_id: int, db: str | None) -> None:
    """Sit (or resume) a shared mock exam in the TUI."""
    from gquiz.study.group_exam import GroupExamError, sit

    b = _group_bank(obj, db)
    try:
        session = sit(b, b.learner_id(obj.settings().learner), exam_id)
    except GroupExamError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    session.save()
    b.close()
    from gquiz.tui.app import run_tui

    # The sitting is stored, unsubmitted: the app opens that very exam (not the latest one).
    run_tui(obj.settings(), start=ExamStart(resume=session.exam_id))


@group.command("results")
@click.argument("exam_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--share/--no-share", default=None, help="Show (or hide) my score on the leaderboard."
)
@_db_option
@pass_ctx
def group_results(
    obj: _Ctx, exam_id: int, as_json: bool, share: bool | None, db: str | None
) -> None:
    """My result of a shared exam against the group's distribution, and the opt-in leaderboard."""
    from gquiz.study.group_exam import format_results, results

    b = _group_bank(obj, db)
    lid = b.learner_id(obj.settings().learner)
    if share is not None:
        b.set_share_score(lid, share)
    data = results(b, lid, exam_id)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=1, default=str))
    else:
        click.echo(format_results(data))


@group.command("report")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_db_option
@pass_ctx
def group_report(obj: _Ctx, as_json: bool, db: str | None) -> None:
    """The group's weak 大項目 and topics, and item analysis of the questions (organiser)."""
    from gquiz.study.group_report import format_report, report

    b = _group_bank(obj, db)
    with b.engine.connect() as conn:
        data = report(conn)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        click.echo(format_report(data))


@main.group("db")
def db_group() -> None:
    """Check, back up and restore the database (SQLite)."""


def _sqlite_only(obj: _Ctx) -> Path:
    from gquiz.bank.dbfile import sqlite_file

    url = obj.settings().db_url
    path = sqlite_file(url)
    if path is None:
        click.echo(
            "このコマンドは SQLite のデータベース専用です (PostgreSQL は pg_dump などをお使いください)。",
            err=True,
        )
        sys.exit(2)
    return path


@db_group.command("check")
@pass_ctx
def db_check(obj: _Ctx) -> None:
    """Run PRAGMA integrity_check and show the schema revision."""
    from gquiz.bank.dbfile import damaged_message, integrity

    path = _sqlite_only(obj)
    if not path.exists():
        click.echo(f"データベース {path} はまだありません (最初の起動で作られます)。")
        return
    problems = integrity(path)
    if problems:
        click.echo(damaged_message(path), err=True)
        sys.exit(1)
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        revision = None
    finally:
        conn.close()
    schema = revision[0] if revision else "0.1.0 (移行前)"
    click.echo(f"ok: {path} (integrity_check ok, スキーマ {schema})")


@db_group.command("backup")
@pass_ctx
def db_backup(obj: _Ctx) -> None:
    """Copy the database into the backup folder (SQLite online backup; the last few are kept)."""
    from gquiz.bank.dbfile import backup, probe

    path = _sqlite_only(obj)
    if not path.exists():
        click.echo(f"データベース {path} はまだありません。", err=True)
        sys.exit(1)
    probe(path)
    dest = backup(path, obj.settings().backup_dir())
    click.echo(f"バックアップしました: {dest}")


@db_group.command("restore")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--list", "list_only", is_flag=True, help="List the backups and exit.")
@pass_ctx
def db_restore(obj: _Ctx, file: str | None, list_only: bool) -> None:
    """Put a backup (FILE, or the newest one) in place of the database.

    A sound current database is backed up first; a damaged one is kept beside it as
    `<name>.damaged-<time>`. Quit other gquiz windows before restoring.
    """
    from pathlib import Path

    from gquiz.bank.dbfile import backups, restore

    path = _sqlite_only(obj)
    folder = obj.settings().backup_dir()
    found = backups(folder, path)
    if list_only:
        for b in found:
            click.echo(str(b))
        return
    source = Path(file) if file else (found[-1] if found else None)
    if source is None:
        click.echo(f"{folder} にバックアップがありません。", err=True)
        sys.exit(1)
    aside = restore(path, source, folder)
    click.echo(f"{source} から {path} を復元しました。")
    if aside is not None:
        click.echo(f"元のファイルは {aside} に残しています。", err=True)


def _parse_class(value: str | None) -> int | None:
    """``--class`` of ``gquiz lab gradcam``: a class number, an English alias or its Japanese name."""
    from gquiz.labs.data import CLASS_NAMES

    if value is None:
        return None
    aliases = {"circle": 0, "square": 1, "triangle": 2}
    v = value.strip().lower()
    if v in aliases:
        return aliases[v]
    if value.strip() in CLASS_NAMES:
        return CLASS_NAMES.index(value.strip())
    if v.isdigit() and int(v) < len(CLASS_NAMES):
        return int(v)
    raise click.BadParameter(
        f"{value!r}: 0〜{len(CLASS_NAMES) - 1}, circle/square/triangle, " + "/".join(CLASS_NAMES),
        param_hint="--class",
    )


@main.command("lab")
@click.argument("name", type=click.Choice(["gradcam", "compression"]))
@click.option("--plain", is_flag=True, help="Print to stdout instead of opening the TUI.")
@click.option(
    "--index",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Test image (gradcam).",
)
@click.option(
    "--class",
    "class_",
    metavar="CLASS",
    help="Class to compare with the prediction (gradcam): 0-2 or circle/square/triangle.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed of the data and the model."
)
@click.pass_context
def lab(
    ctx: click.Context, name: str, plain: bool, index: int, class_: str | None, seed: int
) -> None:
    """Labs: Grad-CAM on a small CNN, or compression (int8, pruning, distillation). Needs torch."""
    from gquiz.labs import INSTALL_HINT, torch_available

    target = _parse_class(class_)
    if not plain:
        from gquiz.tui.app import run_tui

        # Invoked on its own (tests, `lab.main()`), there is no root _Ctx: default settings.
        obj = ctx.find_root().obj
        settings = obj.settings() if isinstance(obj, _Ctx) else _Ctx(None, None).settings()
        run_tui(settings, start=LabStart(name, index, seed, target))
        return
    if not torch_available():
        click.echo(INSTALL_HINT, err=True)
        sys.exit(1)
    from gquiz.labs.plain import plain_compression, plain_gradcam

    if name == "gradcam":
        plain_gradcam(seed, index, target)
    else:
        plain_compression(seed)


def _register_commands() -> None:
    # Commands written in their own modules (click and the standard library only at import
    # time); registered here so `gquiz --help` lists them. A failing import is a bug to see.
    from gquiz.solve_cmd import solve

    main.add_command(solve)


_register_commands()
