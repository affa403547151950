"""Printable drill sheets: generated problems, then a separate answer key with worked solutions.

``gquiz drill export [FAMILY ...] --format md|html|json`` writes ``count`` problems per family
with seeds ``seed, seed + 1, ...`` — the same problems as ``gquiz drill FAMILY --plain --seed S
--difficulty D`` and the drill screen, because all three call :func:`generate` with the same
family, difficulty and seed. The answer key comes after every problem (a study group can print
the sheet and hand out the key later). The four choices are identified by what they are (the
answer or a named mistake id), never only by their position.

HTML output escapes every text that comes from a family file or a generated value: statements
are rendered from Markdown with raw HTML disabled, everything else goes through
:func:`html.escape`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from typing import Any

from gquiz.problems.generate import Problem, _escape, generate, steps_markdown
from gquiz.problems.spec import Family

__all__ = ["FORMATS", "ExportError", "export_problems", "render_export"]

FORMATS = ("md", "html", "json")
MAX_PROBLEMS = 2000
"""At most this many problems in one sheet (count × families)."""
_MARKS = "①②③④"


class ExportError(ValueError):
    """The request cannot be exported (unknown family, too many problems); Japanese message."""


def export_problems(
    families: Mapping[str, Family],
    family_ids: Iterable[str] = (),
    *,
    difficulty: int = 2,
    count: int = 5,
    seed: int = 0,
) -> list[Problem]:
    """``count`` problems of each family (all families when none is named), seeds from ``seed``."""
    ids = list(family_ids) or sorted(families)
    unknown = [f for f in ids if f not in families]
    if unknown:
        raise ExportError(
            f"計算ドリル {', '.join(unknown)} はありません。候補: {', '.join(sorted(families))}"
        )
    if difficulty not in (1, 2, 3):
        raise ExportError(f"難易度は 1〜3 で指定してください（{difficulty}）。")
    if count < 1 or seed < 0:
        raise ExportError("--count は 1 以上、--seed は 0 以上で指定してください。")
    if count * len(ids) > MAX_PROBLEMS:
        raise ExportError(
            f"一度に書き出せるのは {MAX_PROBLEMS} 問までです（{count * len(ids)} 問）。"
        )
    return [generate(families[f], difficulty, seed + i) for f in ids for i in range(count)]


def _record(n: int, p: Problem) -> dict[str, Any]:
    return {
        "number": n,
        "id": p.id,
        "family": p.family_id,
        "title": p.title,
        "section": p.family.section,
        "difficulty": p.difficulty,
        "seed": p.seed,
        "statement": p.statement,
        "answer_text": p.answer_text,
        "precision": {"rule": p.precision.spec, "text": p.precision.rule_ja()},
        "choices": [
            {
                "number": i + 1,
                "text": c.text,
                "correct": c.correct,
                "key": c.key,
                "mistake": c.mistake,
                "label": c.label,
            }
            for i, c in enumerate(p.choices)
        ],
        "correct_choice": p.correct_index + 1,
        "steps": list(p.steps),
    }


def _json(problems: list[Problem]) -> str:
    doc = {
        "format": "gquiz-drill-sheet",
        "version": 1,
        "problems": [_record(n, p) for n, p in enumerate(problems, start=1)],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _md(problems: list[Problem]) -> str:
    out = ["# 計算ドリル", ""]
    for n, p in enumerate(problems, start=1):
        out += [f"## 問 {n}　{p.title}（難易度 {p.difficulty}、`{p.id}`）", "", p.statement, ""]
        out += ["選択肢（記述で答えてもよい）:", ""]
        out += [f"{_MARKS[i]} `{c.text}`" + "  " for i, c in enumerate(p.choices)]
        out.append("")
    out += ["---", "", "# 解答と解き方", ""]
    for n, p in enumerate(problems, start=1):
        out += [
            f"## 問 {n}（`{p.id}`）",
            "",
            f"**正解: `{p.answer_text}`**（{_MARKS[p.correct_index]}、{p.precision.rule_ja()}）",
            "",
            "#### 解き方",
            "",
            steps_markdown(p.steps),
            "#### 選択肢の誤り",
            "",
            *(
                f"- {_MARKS[i]} `{c.text}`: {_escape(c.label)}"
                for i, c in enumerate(p.choices)
                if not c.correct
            ),
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


_CSS = """
body { font-family: sans-serif; max-width: 46em; margin: 2em auto; line-height: 1.6; }
h2 { border-bottom: 1px solid #888; margin-top: 2em; }
pre, code { font-family: monospace; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 0 .5em; }
ol.choices { list-style: none; padding-left: 0; }
.key { page-break-before: always; break-before: page; }
.problem, .answer { page-break-inside: avoid; break-inside: avoid; }
"""


def _markdown_html(text: str) -> str:
    """Markdown (tables, code) to HTML with raw HTML disabled: every ``<`` is escaped."""
    from markdown_it import MarkdownIt

    html: str = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    return html


def _html(problems: list[Problem]) -> str:
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="ja"><head><meta charset="utf-8">',
        "<title>計算ドリル</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>計算ドリル</h1>",
    ]
    for n, p in enumerate(problems, start=1):
        out.append('<section class="problem">')
        out.append(
            f"<h2>問 {n}　{e(p.title)}（難易度 {p.difficulty}、<code>{e(p.id)}</code>）</h2>"
        )
        out.append(_markdown_html(p.statement))
        out.append('<ol class="choices">')
        out += [f"<li>{_MARKS[i]} <code>{e(c.text)}</code></li>" for i, c in enumerate(p.choices)]
        out.append("</ol></section>")
    out.append('<div class="key"><h1>解答と解き方</h1>')
    for n, p in enumerate(problems, start=1):
        out.append('<section class="answer">')
        out.append(f"<h2>問 {n}（<code>{e(p.id)}</code>）</h2>")
        out.append(
            f"<p><strong>正解: <code>{e(p.answer_text)}</code></strong>"
            f"（{_MARKS[p.correct_index]}、{e(p.precision.rule_ja())}）</p>"
        )
        out.append("<h3>解き方</h3>")
        out.append(_markdown_html(steps_markdown(p.steps)))
        out.append("<h3>選択肢の誤り</h3><ul>")
        out += [
            f"<li>{_MARKS[i]} <code>{e(c.text)}</code>: {e(c.label)}</li>"
            for i, c in enumerate(p.choices)
            if not c.correct
        ]
        out.append("</ul></section>")
    out.append("</div></body></html>")
    return "\n".join(out) + "\n"


def render_export(problems: list[Problem], fmt: str) -> str:
    """The sheet in ``fmt`` (``md``, ``html`` or ``json``)."""
    if fmt == "json":
        return _json(problems)
    if fmt == "md":
        return _md(problems)
    if fmt == "html":
        return _html(problems)
    raise ExportError(f"形式は {', '.join(FORMATS)} のどれかです（{fmt!r}）。")
