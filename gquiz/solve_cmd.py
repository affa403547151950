"""``gquiz solve``: run an engine solver from the command line and print the worked solution.

Heavy imports (NumPy via the engine) happen inside the command so that ``gquiz --help``
stays instant; this module imports only click and the standard library at top level.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import click

__all__ = ["solve"]


def _fail(message: str) -> None:
    """Print one line to stderr and exit with status 2 (bad usage / bad parameters)."""
    line = " ".join(str(message).split())  # one line, whatever the message contained
    click.echo(f"エラー: {line}", err=True)
    raise SystemExit(2)


def _list_solvers() -> None:
    from gquiz.engine.registry import list_solvers

    for spec in list_solvers():
        click.echo(f"{spec.name}: {spec.summary_ja}")
        for p in spec.parameters:
            if p["required"]:
                flag = "必須"
            else:
                flag = "既定 " + json.dumps(p["default"], ensure_ascii=False)
            click.echo(f"    {p['name']} ({flag}): {p['doc']}")


@click.command("solve")
@click.argument("name", required=False)
@click.option(
    "--params",
    "params_json",
    default="{}",
    metavar="JSON",
    help='ソルバーのパラメータ (JSON オブジェクト)。例: \'{"in_size": 32, "kernel_size": 5}\'',
)
@click.option(
    "--json", "as_json", is_flag=True, help='{"answer": ..., "steps": [...]} を JSON で出力する'
)
@click.option("--list", "list_", is_flag=True, help="ソルバーの一覧とパラメータを表示する")
def solve(name: str | None, params_json: str, as_json: bool, list_: bool) -> None:
    """計算問題を解き、途中式とともに表示する (例: gquiz solve conv_output_size --params '{"in_size": 7, "kernel_size": 3}')."""
    if list_:
        _list_solvers()
        return
    if not name:
        _fail("ソルバー名を指定してください（一覧は gquiz solve --list）")
    from gquiz.engine.core import EngineError
    from gquiz.engine.registry import run

    # Full-width digits, minus signs and brackets typed with a Japanese IME become ASCII.
    text = unicodedata.normalize("NFKC", params_json).replace("−", "-")
    try:
        params: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(f"--params の JSON が不正（{exc.msg}、{exc.lineno} 行 {exc.colno} 列）")
    if not isinstance(params, dict):
        _fail('--params は JSON オブジェクト（{"名前": 値, ...}）で指定してください')
    try:
        solution = run(unicodedata.normalize("NFKC", name), params)
    except EngineError as exc:
        _fail(str(exc))
    except (ValueError, TypeError, ArithmeticError, IndexError, KeyError) as exc:
        # A parameter slipped past validation; still one line, no traceback.
        _fail(f"パラメータを処理できない（{type(exc).__name__}: {exc}）")
    if as_json:
        click.echo(json.dumps(solution.to_json(), ensure_ascii=False))
        return
    from gquiz.render import render_answer, render_steps

    answer_lines = render_answer(solution.answer)
    if len(answer_lines) == 1:
        click.echo(f"答え: {answer_lines[0]}")
    else:
        click.echo("答え:")
        for line in answer_lines:
            click.echo(f"  {line}")
    click.echo("途中式:")
    for line in render_steps(solution):
        click.echo(f"  {line}")
