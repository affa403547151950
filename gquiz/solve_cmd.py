"""``gquiz solve``: run an engine solver from the command line and print the worked solution.

Heavy imports (NumPy via the engine) happen inside the command so that ``gquiz --help``
stays instant; this module imports only click and the standard library at top level.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any, NoReturn

import click

from gquiz.clihelp import JaCommand

__all__ = ["solve"]


def _fail(message: str) -> NoReturn:
    """Print one line to stderr and exit with status 2 (bad usage / bad parameters)."""
    line = " ".join(str(message).split())  # one line, whatever the message contained
    click.echo(f"エラー: {line}", err=True)
    raise SystemExit(2)


# Checked on the raw text before json.loads, whose recursive parser would otherwise end a
# 1,100-deep document with a RecursionError, and whose int() refuses 4,300+ digit numbers.
MAX_PARAMS_CHARS = 2_000_000
MAX_JSON_DEPTH = 16


def _json_depth(text: str) -> int:
    """The deepest bracket nesting of a JSON text (brackets inside strings do not count)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _parse_params(text: str) -> Any:
    """--params as a JSON object, or one line on stderr and exit status 2."""
    if len(text) > MAX_PARAMS_CHARS:
        _fail(f"--params が長すぎる（{len(text):,} 文字、上限 {MAX_PARAMS_CHARS:,} 文字）")
    depth = _json_depth(text)
    if depth > MAX_JSON_DEPTH:
        _fail(f"--params の入れ子が深すぎる（{depth} 段、上限 {MAX_JSON_DEPTH} 段）")
    try:
        params: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(f"--params の JSON が不正（{exc.msg}、{exc.lineno} 行 {exc.colno} 列）")
    except ValueError:  # an integer with more digits than Python converts (4,300)
        _fail("--params に桁数が多すぎる数値がある（4,300 桁まで）")
    if not isinstance(params, dict):
        _fail('--params は JSON オブジェクト（{"名前": 値, ...}）で指定してください')
    return params


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


@click.command("solve", cls=JaCommand)
@click.argument("name", required=False)
@click.option(
    "--params",
    "params_json",
    default="{}",
    metavar="JSON",
    help='ソルバーのパラメータ (JSON オブジェクト)。例: \'{"in_size": 32, "kernel_size": 5}\'',
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='{"answer": ..., "steps": [...]} の形の JSON で出力します。',
)
@click.option("--list", "list_", is_flag=True, help="ソルバーの一覧とパラメータを表示します。")
def solve(name: str | None, params_json: str, as_json: bool, list_: bool) -> None:
    """計算問題を解き、途中式とともに表示します。

    例 (ソルバーの一覧は --list):

    \b
    gquiz solve conv_output_size --params '{"in_size": 7, "kernel_size": 3}'
    """
    if list_:
        _list_solvers()
        return
    if not name:
        _fail("ソルバー名を指定してください（一覧は gquiz solve --list）")
    from gquiz.engine.core import EngineError
    from gquiz.engine.registry import run

    # Full-width digits, minus signs and brackets typed with a Japanese IME become ASCII.
    text = unicodedata.normalize("NFKC", params_json).replace("−", "-")
    params = _parse_params(text)
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
