"""A personal カンペ: a compact, printable sheet of key terms, formulas and one's own mistakes.

The G検定 is taken at home and is open-book; candidates keep a sheet to look things up in the
41 seconds a question allows. This one is drawn from gquiz's own notes, for the topics the
learner chooses (their weak topics, or some sections), in syllabus order: each topic's key
terms with a one-line definition (headings, bold terms and table rows of the note), its
formulas (code spans with `=`), and the facts the learner got wrong (the right choice of each
question last answered wrongly). Lines are cut to stay readable under time pressure, aiming at
one or two A4 pages per 大項目.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gquiz.bank.repo import Bank, TopicView

MAX_TERMS = 12
MAX_FORMULAS = 6
MAX_MISTAKES = 8
DEF_CHARS = 70

_BOLD = re.compile(r"\*\*([^*\n]{1,40})\*\*")
_CODE = re.compile(r"`([^`\n]{3,80})`")
_HEADING = re.compile(r"^#{2,3}\s+(.+?)\s*$")
_SENTENCE_END = re.compile(r"(?<=[。．!?！？])")


@dataclass
class TopicSheet:
    """One topic's part of the sheet, already cut to size (at most MAX_TERMS terms, MAX_FORMULAS
    formulas, MAX_MISTAKES mistakes) so the renderers only lay it out."""

    section_id: str
    section_title: str
    slug: str
    title: str
    as_of: str | None
    terms: list[tuple[str, str]] = field(default_factory=list)
    formulas: list[str] = field(default_factory=list)
    mistakes: list[tuple[str, str]] = field(default_factory=list)


def _plain(text: str) -> str:
    text = re.sub(r"\*\*|__|`", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def _cut(text: str, n: int = DEF_CHARS) -> str:
    text = _plain(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _first_sentence(text: str) -> str:
    parts = [p for p in _SENTENCE_END.split(_plain(text)) if p.strip()]
    return parts[0].strip() if parts else ""


def terms_of(note: str) -> list[tuple[str, str]]:
    """(term, one-line definition): headings with their first sentence, bold terms with the
    sentence they stand in, and table rows (first cell, the other cells)."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(term: str, definition: str) -> None:
        key = _plain(term)
        if key and definition and key not in seen and len(out) < MAX_TERMS:
            seen.add(key)
            out.append((key, _cut(definition)))

    lines = note.split("\n")
    header: list[str] | None = None
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        if m:
            follow = next(
                (
                    ln
                    for ln in lines[i + 1 : i + 6]
                    if ln.strip() and not ln.startswith(("#", "|", "```", "-", "*"))
                ),
                "",
            )
            add(m.group(1), _first_sentence(follow))
            header = None
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                continue
            if header is None:
                header = cells
                continue
            if cells and cells[0]:
                rest = [
                    f"{h}: {c}" if h else c
                    for h, c in zip(header[1:], cells[1:], strict=False)
                    if c
                ]
                add(cells[0], " / ".join(rest))
            continue
        header = None
        for term in _BOLD.findall(line):
            sentence = next(
                (s for s in _SENTENCE_END.split(_plain(line)) if _plain(term) in s), line
            )
            add(term, sentence)
    return out


def formulas_of(note: str) -> list[str]:
    """The note's code spans that contain `=`, first MAX_FORMULAS, duplicates dropped: the formulas
    worth having at hand, in the note's order."""
    found: list[str] = []
    for code in _CODE.findall(note):
        if "=" in code and code not in found:
            found.append(code)
        if len(found) >= MAX_FORMULAS:
            break
    return found


def build_sheet(
    bank: Bank,
    learner_id: int,
    *,
    weak: bool = False,
    sections: list[str] | None = None,
    now: datetime | None = None,
) -> list[TopicSheet]:
    """The sheet's topics in syllabus order (weak topics exactly as `gquiz stats` ranks them)."""
    from gquiz.study.stats import learner_stats

    overview = bank.overview()
    order = [(s.id, s.title, t) for m in overview for s in m.sections for t in s.topics]
    if weak:
        wanted = {t.slug for t in learner_stats(bank, learner_id, now).weakest_topics}
        chosen = [(sid, stitle, t) for sid, stitle, t in order if t.slug in wanted]
    elif sections:
        chosen = [
            (sid, stitle, t)
            for sid, stitle, t in order
            if any(sid == s or sid.startswith(s + ".") for s in sections)
        ]
    else:
        chosen = order
    wrong = _wrong_facts(bank, learner_id)
    sheets = []
    for sid, stitle, t in chosen:
        full: TopicView | None = bank.topic(t.slug)
        note = full.note if full else ""
        sheets.append(
            TopicSheet(
                sid,
                stitle,
                t.slug,
                t.title,
                full.as_of if full else None,
                terms_of(note),
                formulas_of(note),
                wrong.get(t.slug, [])[:MAX_MISTAKES],
            )
        )
    return sheets


def _wrong_facts(bank: Bank, learner_id: int) -> dict[str, list[tuple[str, str]]]:
    """Per topic: (what was asked, what is right) for questions last answered wrongly."""
    last = bank.last_results(learner_id)
    ids = [item for (kind, item), ok in last.items() if kind == "question" and not ok]
    out: dict[str, list[tuple[str, str]]] = {}
    for q in bank.questions(ids=ids):
        right = "、".join(_plain(c.text) for c in q.choices if c.correct)
        asked = q.stem.split("\n\n")[-1] if q.passage_id else q.stem
        out.setdefault(q.topic_slug, []).append((_cut(asked, 60), _cut(right, 90)))
    return out


def to_markdown(sheets: list[TopicSheet], title: str) -> str:
    """The sheet as Markdown: one heading per 中項目 and per topic (with its 時点 date when the note
    has one), a line saying so when no topic was chosen."""
    out = [f"# {title}", ""]
    section = None
    for s in sheets:
        if s.section_id != section:
            section = s.section_id
            out += [f"## {s.section_id} {s.section_title}", ""]
        dated = f" ({s.as_of[:4]}年{s.as_of[5:]}月時点)" if s.as_of else ""
        out += [f"### {s.title}{dated}", ""]
        out += [f"- **{t}**: {d}" for t, d in s.terms]
        if s.formulas:
            out += ["", "式: " + " ／ ".join(f"`{f}`" for f in s.formulas)]
        if s.mistakes:
            out += ["", "間違えたこと:"]
            out += [f"- {a} → **{r}**" for a, r in s.mistakes]
        out.append("")
    if not sheets:
        out.append("対象のトピックがありません。")
    return "\n".join(out)


_CSS = """
body { font-family: "Noto Sans CJK JP", "Hiragino Sans", sans-serif; font-size: 9pt;
       line-height: 1.35; margin: 1.2em; columns: 2; column-gap: 1.5em; }
h1 { font-size: 13pt; column-span: all; } h2 { font-size: 11pt; break-after: avoid; }
h3 { font-size: 10pt; margin: 0.6em 0 0.2em; break-after: avoid; }
ul { margin: 0.2em 0; padding-left: 1.2em; } li { margin: 0; }
code { background: #f2f2f2; } .mistakes { color: #8a1f11; }
"""


def to_html(sheets: list[TopicSheet], title: str) -> str:
    """The sheet as one printable page in two columns, every piece of text escaped (a term from a
    note never becomes a tag)."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ja"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
    ]
    section = None
    for s in sheets:
        if s.section_id != section:
            section = s.section_id
            parts.append(f"<h2>{esc(s.section_id)} {esc(s.section_title)}</h2>")
        dated = f" ({s.as_of[:4]}年{s.as_of[5:]}月時点)" if s.as_of else ""
        parts.append(f"<h3>{esc(s.title + dated)}</h3><ul>")
        parts += [f"<li><b>{esc(t)}</b>: {esc(d)}</li>" for t, d in s.terms]
        parts.append("</ul>")
        if s.formulas:
            parts.append(
                "<p>式: " + " ／ ".join(f"<code>{esc(f)}</code>" for f in s.formulas) + "</p>"
            )
        if s.mistakes:
            parts.append('<ul class="mistakes">')
            parts += [f"<li>{esc(a)} → <b>{esc(r)}</b></li>" for a, r in s.mistakes]
            parts.append("</ul>")
    if not sheets:
        parts.append("<p>対象のトピックがありません。</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def render(sheets: list[TopicSheet], fmt: str, title: str = "G検定 カンペ") -> str:
    """The sheet in `fmt` ("md" or "html"); raises ValueError for any other, which the CLI's choice
    of formats never passes."""
    if fmt == "md":
        return to_markdown(sheets, title)
    if fmt == "html":
        return to_html(sheets, title)
    raise ValueError(f"unknown format: {fmt}")


def as_json(sheets: list[TopicSheet]) -> list[dict[str, Any]]:
    """The sheets as plain dicts (field names as keys), ready for `json.dumps`; `kanpe export`
    itself offers md and html only."""
    return [s.__dict__ for s in sheets]
