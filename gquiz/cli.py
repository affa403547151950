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
from gquiz.clihelp import JaGroup
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

# Option help shared by several commands.
_JSON_HELP = "JSON で出力します。"
_PLAIN_HELP = "行モード: 問題を標準出力に出し、解答を標準入力から読みます。"
_OUT_HELP = "出力先ファイル (- で標準出力)。"
_SECTIONS_HELP = "項目 ID (S5.2 や S5)。くり返し指定できます。"

# The size of a practice exam (the real exam's by default): exam, exam export, group publish.
_QUESTIONS = click.option(
    "--questions",
    "n",
    type=click.IntRange(min=1),
    default=REAL.questions,
    show_default=True,
    help="問題数。",
)
_MINUTES = click.option(
    "--minutes",
    type=click.IntRange(min=1),
    default=REAL.minutes,
    show_default=True,
    help="制限時間 (分)。",
)


class _Main(JaGroup):
    """The command group; a database that cannot be used ends in one sentence, not a traceback."""

    # Subgroups are plain JaGroups: the database errors are caught once, here at the root.
    group_class = JaGroup

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
    help="問題バンクの SQLAlchemy URL (既定: ユーザーデータフォルダの SQLite)。",
)
@click.option("--learner", envvar="GQUIZ_LEARNER", help="解答を記録する学習者の名前。")
@click.version_option(__version__, prog_name="gquiz", help="バージョンを表示して終了します。")
@click.pass_context
def main(ctx: click.Context, db: str | None, learner: str | None) -> None:
    """ターミナルで学ぶ G検定の学習・問題演習アプリ。

    コマンドなしで起動すると TUI が開きます。
    """
    ctx.obj = _Ctx(db, learner)
    if ctx.invoked_subcommand is None:
        _run_tui(ctx.obj.settings())


@main.command()
@pass_ctx
def locate(obj: _Ctx) -> None:
    """データの保存先と、コンテンツを読み込む場所を表示します。"""
    s = obj.settings()
    click.echo(f"database: {s.db_url}")
    click.echo(f"content:  {s.content}")
    click.echo(f"problems: {s.problems}")
    click.echo(f"learner:  {s.learner}")


@main.group()
def bank() -> None:
    """問題バンクの構築・検査・書き出し。"""


@bank.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=None))
@click.option("--quality", is_flag=True, help="答えの手がかりの統計も表示します。")
@click.option(
    "--json", "as_json", is_flag=True, help="--quality と併用: 統計を JSON で出力します。"
)
@pass_ctx
def bank_check(obj: _Ctx, paths: tuple[str, ...], quality: bool, as_json: bool) -> None:
    """コンテンツファイルを検査します。

    content/ 全体 (または PATHS) を検査し、問題を「パス:行: 内容」の形で報告します。答えの手がかりのしきい値はバンク全体で判定します (いくつかの PATHS だけでは数が少なすぎて判断できないため)。--quality で大項目ごとの数値を表示します。
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
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
@click.pass_context
def bank_quality(ctx: click.Context, as_json: bool) -> None:
    """答えの手がかりの統計を表示します。

    大項目ごとと全体の数値です (gquiz bank check --quality と同じ)。
    """
    ctx.invoke(bank_check, paths=(), quality=True, as_json=as_json)


@bank.command("build")
@click.option("--force", is_flag=True, help="コンテンツに変更がなくても構築し直します。")
@pass_ctx
def bank_build(obj: _Ctx, force: bool) -> None:
    """content/ と problems/ から問題バンクを構築します。

    変更があったときだけ構築します (--force なら常に)。
    """
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
@click.option(
    "--json", "as_json", is_flag=True, required=True, help="JSON を標準出力に出力します。"
)
@pass_ctx
def bank_export(obj: _Ctx, as_json: bool) -> None:
    """すべての項目・トピック・ノート・問題を JSON で出力します。"""
    data = obj.bank().export()
    click.echo(json.dumps(data, ensure_ascii=False, indent=1))


@bank.command("coverage")
@click.argument("sections", nargs=-1)
def bank_coverage(sections: tuple[str, ...]) -> None:
    """SECTIONS (例: S3.1 や S3。省略時は全範囲) に足りないものを一覧にします。

    基準は、中項目ごとに 15 問、キーワードごとにそれに触れるノートとそれを含む 3 問、全体で 1,400 問です。
    """
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
@click.option("--plain", is_flag=True, help=_PLAIN_HELP)
@click.option("--topic", help="トピックのスラッグ (一覧は gquiz bank export --json)。")
@click.option("--section", help="項目 ID: S5.2 (中項目) または S5 (大項目)。")
@click.option("--count", type=click.IntRange(min=1), help="出題数。")
@click.option("--seed", type=int, help="出題する問題と順番を決めるシード。")
@pass_ctx
def quiz(
    obj: _Ctx,
    plain: bool,
    topic: str | None,
    section: str | None,
    count: int | None,
    seed: int | None,
) -> None:
    """選択式の問題に答えます (TUI、または --plain で行モード)。"""
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
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
@click.option("--limit", type=click.IntRange(1, 200), default=20, help="表示する件数の上限。")
@pass_ctx
def search(obj: _Ctx, term: tuple[str, ...], as_json: bool, limit: int) -> None:
    """ノート (見出し)、問題、シラバスのキーワードを検索します。

    全角と半角、ひらがなとカタカナ、略記の書き方 (grad-cam と GradCAM など) の違いは区別しません。
    """
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
    """トピックのノートを開きます。

    TOPIC はスラッグで指定します (一覧は gquiz bank export --json)。
    """
    b = obj.bank()
    if b.topic(topic) is None:
        raise click.ClickException(f"トピック「{topic}」はありません。")
    b.close()
    from gquiz.tui.app import run_tui

    run_tui(obj.settings(), start=NoteStart(topic))


@main.command()
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
@pass_ctx
def stats(obj: _Ctx, as_json: bool) -> None:
    """学習の進み具合と苦手なトピックを表示します。

    大項目・中項目・トピックごとの習熟度、正答率、復習予定と、苦手なトピックの一覧です。
    """
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
    help="弱点克服: 期限の来た復習、苦手なトピック、自動生成の計算問題。",
)
@click.option("--wrong", "mode", flag_value="wrong", help="最後の解答が不正解だった問題。")
@click.option("--new", "mode", flag_value="new", help="まだ解いていない問題。")
@click.option("--flagged", "mode", flag_value="flagged", help="フラグを付けた問題。")
@click.option(
    "--count",
    type=click.IntRange(min=1),
    default=None,
    help="出題数 (既定 20、計算ドリルは 5)。",
)
@click.option(
    "--difficulty",
    type=click.IntRange(1, 3),
    default=2,
    show_default=True,
    help="計算ドリルの難易度。",
)
@click.option("--seed", type=int, help="シード: 同じシードなら同じ問題になります。")
@click.option("--plain", is_flag=True, help=_PLAIN_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json"]),
    default=None,
    help="drill export の出力形式: md、html、json。",
)
@click.option("--out", default=None, help="drill export の出力先ファイル (- で標準出力)。")
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
    """計算ドリル、または弱点・誤答・未回答・フラグ付きの問題を解きます。

    FAMILY を指定すると計算ドリル (問題は自動生成)、--weak / --wrong / --new / --flagged でそれぞれの問題を選びます (既定は --weak)。

    次の形で、印刷用の問題を別紙の解答と解き方つきで書き出します:

    \b
    gquiz drill export [FAMILY ...] [--difficulty D] [--count N] [--seed S]
        --format md|html|json --out FILE|-
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
@click.option("--plain", is_flag=True, help=_PLAIN_HELP)
@click.option(
    "--count",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="出題数の上限。",
)
@pass_ctx
def review(obj: _Ctx, plain: bool, count: int) -> None:
    """今日が期限の復習 (FSRS) に取り組みます。"""
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
@_QUESTIONS
@_MINUTES
@click.option("--seed", type=int, help="シード: 同じシードなら同じ試験になります。")
@click.option(
    "--pace",
    is_flag=True,
    help=f"時間配分の練習用: {PACE.questions} 問を {PACE.minutes} 分で解きます。",
)
@click.pass_context
def exam(ctx: click.Context, n: int, minutes: int, seed: int | None, pace: bool) -> None:
    """時間を計って模擬試験を受けます (本番形式: 145 問・100 分)。"""
    if ctx.invoked_subcommand is not None:
        return
    if pace:
        n, minutes = PACE
    _run_tui(ctx.obj.settings(), start=ExamStart(n, minutes, seed))


@exam.command("export")
@_QUESTIONS
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="シード: 同じシードなら同じ試験になります。",
)
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="出力形式。"
)
@click.option("--out", "out_path", required=True, help=_OUT_HELP)
@pass_ctx
def exam_export(obj: _Ctx, n: int, seed: int, fmt: str, out_path: str) -> None:
    """印刷用の模擬試験を、別紙の解答と解説つきで書き出します。"""
    from gquiz.study.export import exam_data, render

    data = exam_data(obj.bank(), n, seed)
    _write_out(out_path, render(data, fmt))
    if out_path != "-":
        click.echo(f"{out_path}: {data['n_questions']} 問 (seed {seed})", err=True)


@main.group("kanpe")
def kanpe() -> None:
    """自分用のカンペ (印刷用のまとめシート)。

    重要用語・公式・自分のまちがいを 1 枚にまとめます。
    """


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
@click.option("--weak", is_flag=True, help="苦手なトピックだけ (gquiz stats の苦手順)。")
@click.option("--section", "sections", multiple=True, help=_SECTIONS_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html"]),
    default="md",
    show_default=True,
    help="出力形式。",
)
@click.option("--out", "out_path", required=True, help=_OUT_HELP)
@pass_ctx
def kanpe_export(obj: _Ctx, weak: bool, sections: tuple[str, ...], fmt: str, out_path: str) -> None:
    """カンペをシラバスの順に書き出します。

    苦手なトピック (--weak)、指定した項目 (--section)、または全範囲が対象です。
    """
    from gquiz.study.kanpe import build_sheet, render

    b, learner_id = obj.bank_and_learner()
    sheets = build_sheet(b, learner_id, weak=weak, sections=list(sections) or None)
    what = "苦手トピック" if weak else (" ".join(sections) if sections else "全範囲")
    _write_out(out_path, render(sheets, fmt, f"G検定 カンペ ({what})"))
    if out_path != "-":
        click.echo(f"{out_path}: {len(sheets)} トピック", err=True)


@main.group("export")
def export_group() -> None:
    """ほかの学習ツール向けにカードを書き出します。"""


@export_group.command("anki")
@click.option("--weak", is_flag=True, help="苦手なトピックだけ。")
@click.option("--section", "sections", multiple=True, help=_SECTIONS_HELP)
@click.option("--out", "out_path", required=True, help="書き出す .apkg ファイル。")
@pass_ctx
def export_anki(obj: _Ctx, weak: bool, sections: tuple[str, ...], out_path: str) -> None:
    """Anki のデッキ (.apkg) を書き出します。

    選択式の問題と計算ドリルの公式をカードにします。カードの ID は毎回同じで、項目ごとのタグが付きます。
    """
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
    """勉強会: 共有の PostgreSQL データベースで学びます。

    メンバーごとのロールと行レベルセキュリティを使います。
    """


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


# The same option as `gquiz --db`; organisers pass the organiser's URL, members their own.
_db_option = click.option("--db", "db", help="勉強会の PostgreSQL の URL (主催者のロール)。")
_member_db_option = click.option(
    "--db", "db", help="勉強会の PostgreSQL の URL (主催者から渡された自分の URL)。"
)


@group.command("init")
@_db_option
@pass_ctx
def group_init(obj: _Ctx, db: str | None) -> None:
    """勉強会のデータベースを準備します (主催者)。

    マイグレーションを適用し、問題バンクを構築して、行レベルセキュリティを有効にします。
    """
    from gquiz.bank.group import enable_security

    b = _group_bank(obj, db)
    with b.engine.begin() as conn:
        enable_security(conn)
    click.echo(
        "勉強会のデータベースを準備しました。gquiz group add NAME でメンバーを加えてください。"
    )


@group.command("add")
@click.argument("name")
@click.option("--password", help="メンバーのパスワード (既定: 自動生成して 1 回だけ表示)。")
@_db_option
@pass_ctx
def group_add(obj: _Ctx, name: str, password: str | None, db: str | None) -> None:
    """メンバーのログインロールを作り、接続 URL を表示します (表示は 1 回だけ)。"""
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
@click.option("--delete-data", is_flag=True, help="メンバーの解答とカードも削除します。")
@_db_option
@pass_ctx
def group_remove(obj: _Ctx, name: str, delete_data: bool, db: str | None) -> None:
    """メンバーのログインを取り消します。

    記録は残します (--delete-data なら削除します)。
    """
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
@click.option("--title", default="勉強会の模擬試験", show_default=True, help="試験の名前。")
@_QUESTIONS
@_MINUTES
@click.option("--seed", type=int, help="試験のシード (既定: ランダム)。")
@click.option(
    "--opens",
    required=True,
    help="受験できる期間の開始 (ローカル時刻。例: 2026-12-05T09:00、時差つきなら ...T09:00+09:00)。",
)
@click.option("--closes", required=True, help="受験できる期間の終了 (ローカル時刻)。")
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
    """メンバー全員が受けられる共通の模擬試験を公開します (主催者)。"""
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
@_member_db_option
@pass_ctx
def group_exams(obj: _Ctx, db: str | None) -> None:
    """勉強会の共通模擬試験を一覧にします (受験できるものが先)。"""
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
@_member_db_option
@pass_ctx
def group_sit(obj: _Ctx, exam_id: int, db: str | None) -> None:
    """共通の模擬試験を TUI で受けます (中断したものは続きから)。"""
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
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
@click.option(
    "--share/--no-share", default=None, help="ランキングに自分の点数を載せる (載せない)。"
)
@_member_db_option
@pass_ctx
def group_results(
    obj: _Ctx, exam_id: int, as_json: bool, share: bool | None, db: str | None
) -> None:
    """共通模擬試験の自分の結果を表示します。

    勉強会全体の分布と比べ、希望者だけのランキングも表示します。
    """
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
@click.option("--json", "as_json", is_flag=True, help=_JSON_HELP)
@_db_option
@pass_ctx
def group_report(obj: _Ctx, as_json: bool, db: str | None) -> None:
    """勉強会の苦手な分野と問題の分析を表示します (主催者)。

    苦手な大項目とトピック、問題ごとの項目分析です。
    """
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
    """データベースの検査・バックアップ・復元 (SQLite)。"""


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
    """PRAGMA integrity_check で検査し、スキーマのリビジョンを表示します。"""
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
    """データベースをバックアップフォルダにコピーします。

    SQLite のオンラインバックアップを使い、直近のいくつかを残します。
    """
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
@click.option("--list", "list_only", is_flag=True, help="バックアップを一覧にして終了します。")
@pass_ctx
def db_restore(obj: _Ctx, file: str | None, list_only: bool) -> None:
    """バックアップ (FILE、省略時は最新のもの) でデータベースを置き換えます。

    今のデータベースは、正常なら先にバックアップし、壊れていれば <name>.damaged-<time> として同じ場所に残します。復元の前に、ほかの gquiz のウィンドウを閉じてください。
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
@click.option("--plain", is_flag=True, help="TUI を開かずに標準出力に表示します。")
@click.option(
    "--index",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="テスト画像の番号 (gradcam)。",
)
@click.option(
    "--class",
    "class_",
    metavar="CLASS",
    help="予測と比べるクラス (gradcam): 0-2、circle/square/triangle、または 円/正方形/三角形。",
)
@click.option("--seed", type=int, default=0, show_default=True, help="データとモデルのシード。")
@click.pass_context
def lab(
    ctx: click.Context, name: str, plain: bool, index: int, class_: str | None, seed: int
) -> None:
    """実験: Grad-CAM とモデル圧縮 (torch が必要です)。

    gradcam は小さな CNN での Grad-CAM、compression はモデル圧縮 (int8 量子化・枝刈り・蒸留) です。
    """
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
