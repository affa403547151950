"""Printable practice exams: the questions, then a separate answer key with explanations.

The same seed assembles the same exam (see exam.assemble). HTML is produced by markdown-it
with raw HTML disabled, so anything in the bank that looks like a tag is escaped, and every
other piece of text is passed through html.escape.
"""

from __future__ import annotations

import html
import json
from typing import Any

from markdown_it import MarkdownIt

from gquiz.bank.content import PASSAGE_PROMPT
from gquiz.bank.repo import Bank, QuestionView
from gquiz.study.exam import assemble, draw_orders, item_views
from gquiz.study.formats import EXPORT_FORMATS

FORMATS = EXPORT_FORMATS


def exam_data(bank: Bank, n: int, seed: int) -> dict[str, Any]:
    """The exam `(n, seed)` gives (the same questions and choice orders a timed exam of that seed
    shows) as plain data, answers as 1-based shown positions. Nothing is stored: printing an exam
    records no sitting. The JSON export is exactly this."""
    items = assemble(bank, n, seed)
    questions = draw_orders(items, item_views(bank, items), seed)
    titles = {s.id: f"{s.id} {s.title}" for m in bank.overview() for s in m.sections}
    return {
        "seed": seed,
        "n_questions": len(questions),
        "questions": [
            {
                "number": i,
                "id": q.id,
                "kind": q.kind,
                "section": q.section_id,
                "section_title": titles.get(q.section_id, q.section_id),
                "stem": q.stem,
                "passage": {"id": q.passage_id, "text": q.passage} if q.passage_id else None,
                "prompt": _prompt(q),
                "choices": [c.text for c in q.choices],
                "choice_keys": [c.key for c in q.choices],
                "choose": q.n_correct,
                "answer": [p + 1 for p in sorted(q.correct_positions)],
                "explanation": q.explanation,
            }
            for i, q in enumerate(questions, start=1)
        ],
    }


def _prompt(q: QuestionView) -> str:
    """What is asked, without the passage (printed once above its blanks)."""
    if q.passage_id and q.blank_label:
        return PASSAGE_PROMPT.format(label=q.blank_label)
    return q.stem


def _passage_lead(data: dict[str, Any], i: int) -> tuple[str, str] | None:
    """(heading, passage) when question i opens a passage: its blanks follow it in the exam."""
    q = data["questions"][i]
    if not q["passage"]:
        return None
    pid = q["passage"]["id"]
    if i > 0 and (data["questions"][i - 1]["passage"] or {}).get("id") == pid:
        return None
    last = i
    while (
        last + 1 < len(data["questions"])
        and (data["questions"][last + 1]["passage"] or {}).get("id") == pid
    ):
        last += 1
    span = (
        f"問{q['number']}"
        if last == i
        else f"問{q['number']}〜問{data['questions'][last]['number']}"
    )
    return f"次の文章を読み、{span}に答えよ。", q["passage"]["text"]


def _choose_note(q: dict[str, Any]) -> str:
    return f" ({q['choose']}つ選ぶ)" if q["choose"] > 1 else ""


def to_markdown(data: dict[str, Any]) -> str:
    """Questions first, each passage once above its blanks, then the answer key with the
    explanations on its own, so the key can be held back from the sheet."""
    out = [f"# G検定 模擬試験 ({data['n_questions']} 問, seed {data['seed']})", ""]
    for i, q in enumerate(data["questions"]):
        lead = _passage_lead(data, i)
        if lead:
            out += [f"### {lead[0]}", "", lead[1], ""]
        out += [f"## 問{q['number']}{_choose_note(q)}", "", q["prompt"], ""]
        out += [f"{i}. {c}" for i, c in enumerate(q["choices"], start=1)]
        out.append("")
    out += ["---", "", "# 解答と解説", ""]
    for q in data["questions"]:
        out += [
            f"## 問{q['number']}: 正解 {','.join(map(str, q['answer']))}",
            "",
            f"({q['section_title']} / {q['id']})",
            "",
            q["explanation"],
            "",
        ]
    return "\n".join(out)


_CSS = """
body { font-family: "Noto Sans CJK JP", "Hiragino Sans", sans-serif; max-width: 48em; margin: 2em auto; line-height: 1.7; }
section.question { break-inside: avoid; margin-bottom: 1.5em; }
section.passage { border-left: 3px solid #999; padding-left: 1em; }
ol.choices li { margin: 0.2em 0; }
.key { break-before: page; }
code, pre { background: #f4f4f4; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 0.2em 0.5em; }
"""


def to_html(data: dict[str, Any]) -> str:
    """The same layout as `to_markdown` as one printable page; the answer key starts on a new page.
    Bank text goes through markdown-it with raw HTML off, so nothing in it becomes a tag."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")

    def block(text: str) -> str:
        out: str = md.render(text)
        return out

    def inline(text: str) -> str:
        out: str = md.renderInline(text)
        return out

    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ja"><head><meta charset="utf-8">',
        f"<title>G検定 模擬試験 (seed {esc(str(data['seed']))})</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>G検定 模擬試験 ({data['n_questions']} 問)</h1>",
    ]
    for i, q in enumerate(data["questions"]):
        lead = _passage_lead(data, i)
        if lead:
            parts.append(f'<section class="passage"><h3>{esc(lead[0])}</h3>')
            parts.append(block(lead[1]))
            parts.append("</section>")
        parts.append(f'<section class="question" id="q{q["number"]}">')
        parts.append(f"<h2>問{q['number']}{esc(_choose_note(q))}</h2>")
        parts.append(block(q["prompt"]))
        parts.append('<ol class="choices">')
        parts.extend(f"<li>{inline(c)}</li>" for c in q["choices"])
        parts.append("</ol></section>")
    parts.append('<div class="key"><h1>解答と解説</h1>')
    for q in data["questions"]:
        parts.append(f'<section class="answer" id="a{q["number"]}">')
        parts.append(f"<h2>問{q['number']}: 正解 {esc(','.join(map(str, q['answer'])))}</h2>")
        parts.append(f"<p>{esc(q['section_title'])} / {esc(q['id'])}</p>")
        parts.append(block(q["explanation"]))
        parts.append("</section>")
    parts.append("</div></body></html>")
    return "\n".join(parts)


def render(data: dict[str, Any], fmt: str) -> str:
    """The export in `fmt` (one of FORMATS); raises ValueError for any other, which the CLI's choice
    of formats never passes."""
    if fmt == "md":
        return to_markdown(data)
    if fmt == "html":
        return to_html(data)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1)
    raise ValueError(f"unknown format: {fmt} (not one of {FORMATS})")
