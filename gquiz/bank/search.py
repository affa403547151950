"""Full-text search of notes (by heading section), questions and syllabus keywords.

The G検定 is open-book and leaves about 41 seconds a question, so finding a term fast is part of
preparing. Japanese has no spaces between words, so the index uses SQLite FTS5's trigram
tokenizer, which matches any substring of three characters or more (kanji and kana included);
shorter queries fall back to a substring scan of the same normalised text. Both the indexed text
and the query are normalised the same way (NFKC, case folded, katakana → hiragana, separators
such as `-`, `・` and spaces removed), so `grad-cam`, `GradCAM`, `ＧＲＡＤ－ＣＡＭ` and
`ぐらっどかむ` meet `Grad-CAM`; a synonym table built from the notes' own 「A (B)」 pairs (plus a few
readings) joins names written in two scripts. On other databases (PostgreSQL) the same table is
searched with LIKE over the normalised text.

The index is derived data: rebuilt with the bank in the same transaction, never history.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from gquiz.syllabus import Syllabus

if TYPE_CHECKING:
    from gquiz.bank.content import TopicDoc

FTS_TABLE = "search_fts"
SNIPPET_BEFORE, SNIPPET_AFTER = 30, 50
DOCS_TABLE = "search_docs"

# Katakana readings learners type for names written in Latin letters in the notes.
READINGS = {
    "ぐらっどかむ": "gradcam",
    "ぐらどかむ": "gradcam",
    "れずねっと": "resnet",
    "とらんすふぉーまー": "transformer",
    "ばーと": "bert",
    "じーぴーてぃー": "gpt",
    "えるえすてぃーえむ": "lstm",
    "しーえぬえぬ": "cnn",
    "あーるえぬえぬ": "rnn",
    "ぎゃん": "gan",
    "さぽーとべくたーましん": "svm",
    "どろっぷあうと": "dropout",
    "けいみーんず": "kmeans",
    # English names learners type for terms the notes write in Japanese.
    "batchnormalization": "ばっち正規化",
    "randomforest": "らんだむふぉれすと",
    "qlearning": "q学習",
    "overfitting": "過学習",
    "underfitting": "未学習",
    "crossvalidation": "交差検証",
    "transferlearning": "転移学習",
    "reinforcementlearning": "強化学習",
    "gradientdescent": "勾配降下法",
    "backpropagation": "誤差逆伝播法",
    "vanishinggradient": "勾配消失問題",
    "convolution": "畳み込み",
    "attention": "注意機構",
    "singularity": "しんぎゅらりてぃ",
    "frameproblem": "ふれーむ問題",
    "symbolgrounding": "しんぼるぐらうんでぃんぐ問題",
    "differentialprivacy": "差分ぷらいばしー",
    "federatedlearning": "連合学習",
}

# A term and its other name in brackets: kanji, katakana, Latin letters and digits only, so a
# phrase with particles (を, は, の ...) is never taken for a name.
_TERM = "[\u4e00-\u9fff々ァ-ヶーA-Za-z0-9\\-.]"
_PAIR = re.compile(
    f"({_TERM}{{2,25}})\\s*[(（]({_TERM}[\u4e00-\u9fff々ァ-ヶーA-Za-z0-9\\-. ]{{1,39}})[)）]"
)
_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")


def _to_hiragana(s: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in s)


def normalize(text_: str) -> str:
    """The form both the index and the query are compared in (see the module docstring).

    The long-vowel mark ー is a separator only between Latin letters or digits (a dash typed as
    ー); inside kana it is kept, so パーセプトロン and パセプトロン stay different words.
    """
    s = unicodedata.normalize("NFKC", text_).casefold()
    s = re.sub(r"(?<=[0-9a-z])ー(?=[0-9a-z])", "-", s)
    s = _to_hiragana(s)
    return re.sub(r"[\s\-‐‑‒–—―_・･/／.,、，。:：]+", "", s)


@dataclass(frozen=True)
class SearchDoc:
    """One searchable piece: a note section, a question, or a syllabus keyword."""

    kind: str  # "note", "question" or "keyword"
    ref: str  # topic slug (note, keyword) or question id
    anchor: str  # the heading a note section or keyword sits under ("" for the top)
    title: str  # heading text, question id, or keyword
    body: str  # the section's Markdown, the question's text, or where the keyword is explained
    topic_title: str = ""
    section_id: str = ""


@dataclass(frozen=True)
class SearchHit:
    """One ranked search result with the matching lines marked 【…】; `title_hit` says whether the
    query was found in the title or heading, which ranks it above a mention in the text."""

    kind: str
    ref: str
    anchor: str
    title: str
    topic_title: str
    section_id: str
    lines: tuple[str, ...]  # the matching lines, with the match marked 【…】
    title_hit: bool

    @property
    def label(self) -> str:
        """The result's one-line heading for the search screen and `gquiz search`: its kind in
        Japanese, title, section and where in the topic it sits."""
        kinds = {"note": "ノート", "question": "問題", "keyword": "キーワード"}
        where = self.topic_title + (f" › {self.anchor}" if self.anchor else "")
        return f"[{kinds.get(self.kind, self.kind)}] {self.title}  ({self.section_id} {where})"


def note_sections(note: str) -> list[tuple[str, str]]:
    """(heading, text) for each heading section of a note; text before the first heading has
    the heading "". Headings inside code blocks are not headings."""
    out: list[tuple[str, list[str]]] = [("", [])]
    fence = False
    for line in note.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        m = None if fence else _HEADING.match(line)
        if m:
            out.append((m.group(2).strip(), []))
        else:
            out[-1][1].append(line)
    return [(h, "\n".join(lines).strip()) for h, lines in out if h or "\n".join(lines).strip()]


def synonyms_from(notes: Iterable[str]) -> dict[str, set[str]]:
    """Pairs written 「A (B)」 in the notes, both ways, normalised: 勾配消失問題 (vanishing
    gradient), Grad-CAM (勾配加重クラス活性化マップ) and so on. Readings are added."""
    table: dict[str, set[str]] = {}

    def add(a: str, b: str) -> None:
        na, nb = normalize(a), normalize(b)
        if len(na) >= 2 and len(nb) >= 2 and na != nb:
            table.setdefault(na, set()).add(nb)
            table.setdefault(nb, set()).add(na)

    for note in notes:
        for a, b in _PAIR.findall(note.replace("**", "")):
            # Only name pairs: one side has Latin letters, the other does not (or vice versa).
            latin_a = bool(re.search(r"[A-Za-z]", a))
            latin_b = bool(re.search(r"[A-Za-z]", b))
            if latin_a != latin_b and not re.search(
                r"[0-9]{3,}|[=<>→、,]|など|例|参照|また", a + b
            ):
                add(a, b)
    for reading, name in READINGS.items():
        table.setdefault(reading, set()).add(name)
        table.setdefault(name, set()).add(reading)
    return table


def documents(topics: Sequence[TopicDoc], syllabus: Syllabus) -> list[SearchDoc]:
    """The index's documents from parsed content (TopicDoc / QuestionDoc, see bank.content)."""
    docs: list[SearchDoc] = []
    by_section: dict[str, list[TopicDoc]] = {}
    for t in topics:
        by_section.setdefault(t.section_id, []).append(t)
        for heading, body in note_sections(t.note):
            docs.append(
                SearchDoc(
                    "note",
                    t.slug,
                    heading,
                    heading or t.title,
                    body,
                    t.title,
                    t.section_id,
                )
            )
        for q in t.questions:
            body = "\n".join([q.stem, *(c.text for c in q.choices), q.explanation])
            docs.append(SearchDoc("question", q.id, "", q.id, body, t.title, t.section_id))
    for sec in syllabus.sections:
        for kw in sec.keywords:
            slug, anchor, title = _where_explained(kw, by_section.get(sec.id, []))
            docs.append(
                SearchDoc("keyword", slug, anchor, kw, f"{sec.id} {sec.title}: {kw}", title, sec.id)
            )
    return docs


def _where_explained(keyword: str, topics: list[TopicDoc]) -> tuple[str, str, str]:
    """The note section that explains a keyword: one headed by it, else the first that
    mentions it, else the section's first note."""
    target = normalize(keyword)
    sections = [(t, heading, body) for t in topics for heading, body in note_sections(t.note)]
    for t, heading, _body in sections:
        if heading and target in normalize(heading):
            return t.slug, heading, t.title
    for t, heading, body in sections:
        if target in normalize(body):
            return t.slug, heading, t.title
    if topics:
        t = topics[0]
        return t.slug, "", t.title
    return "", "", ""


def rebuild(conn: Connection, docs: Sequence[SearchDoc], synonyms: dict[str, set[str]]) -> None:
    """Replace the index (inside the caller's transaction)."""
    conn.execute(text(f"DELETE FROM {DOCS_TABLE}"))
    conn.execute(text("DELETE FROM search_synonyms"))
    rows = [
        {
            "kind": d.kind,
            "ref": d.ref,
            "anchor": d.anchor,
            "title": d.title,
            "body": d.body,
            "topic_title": d.topic_title,
            "section_id": d.section_id,
            "title_norm": normalize(d.title),
            "body_norm": normalize(d.body),
        }
        for d in docs
    ]
    if rows:
        conn.execute(
            text(
                f"INSERT INTO {DOCS_TABLE} (kind, ref, anchor, title, body, topic_title, "
                "section_id, title_norm, body_norm) VALUES (:kind, :ref, :anchor, :title, :body, "
                ":topic_title, :section_id, :title_norm, :body_norm)"
            ),
            rows,
        )
    pairs = [{"term": a, "other": b} for a, others in synonyms.items() for b in sorted(others)]
    if pairs:
        conn.execute(
            text("INSERT INTO search_synonyms (term, other) VALUES (:term, :other)"), pairs
        )
    if conn.dialect.name == "sqlite":
        conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))


def _variants(conn: Connection, query: str) -> list[str]:
    q = normalize(query)
    if not q:
        return []
    found = [q]
    for (other,) in conn.execute(
        text("SELECT other FROM search_synonyms WHERE term = :t"), {"t": q}
    ):
        if other not in found:
            found.append(other)
    return found


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def search(conn: Connection, query: str, limit: int = 30) -> list[SearchHit]:
    """Ranked hits: a match in a heading or keyword first, then by FTS5's bm25 (title weighted
    ten times the body), then keywords and notes before questions."""
    variants = _variants(conn, query)
    if not variants:
        return []
    scored: dict[int, tuple[tuple[int, bool, float, int], tuple[Any, ...]]] = {}
    kind_rank = {"keyword": 0, "note": 1, "question": 2}
    cols = (
        "d.id, d.kind, d.ref, d.anchor, d.title, d.body, d.topic_title, d.section_id, d.title_norm"
    )
    for n, v in enumerate(variants):
        if conn.dialect.name == "sqlite" and len(v) >= 3:
            rows = conn.execute(
                text(
                    f"SELECT {cols}, bm25({FTS_TABLE}, 10.0, 1.0) FROM {FTS_TABLE} "
                    f"JOIN {DOCS_TABLE} d ON d.id = {FTS_TABLE}.rowid "
                    f"WHERE {FTS_TABLE} MATCH :q ORDER BY bm25({FTS_TABLE}, 10.0, 1.0) LIMIT 200"
                ),
                {"q": _fts_phrase(v)},
            ).all()
        else:
            like = "%" + v.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = conn.execute(
                text(
                    f"SELECT {cols}, 0.0 FROM {DOCS_TABLE} d WHERE d.title_norm LIKE :q "
                    "ESCAPE '\\' OR d.body_norm LIKE :q ESCAPE '\\' LIMIT 200"
                ),
                {"q": like},
            ).all()
        for row in rows:
            title_hit = v in row[8]
            exact = row[8] == v
            # What was typed ranks above its synonyms; a heading or keyword above a mention.
            key = (
                0 if exact else 1 if title_hit else 2,
                n > 0,
                float(row[9]),
                kind_rank.get(row[1], 3),
            )
            if row[0] not in scored or key < scored[row[0]][0]:
                scored[row[0]] = (key, tuple(row) + (title_hit,))
    ordered = sorted(scored.values(), key=lambda kv: kv[0])[:limit]
    return [_hit(row, variants) for _key, row in ordered]


def _hit(row: tuple[object, ...], variants: list[str]) -> SearchHit:
    _id, kind, ref, anchor, title, body, topic_title, section_id, _tn, _score, title_hit = row
    lines = tuple(matching_lines(str(body), variants))
    return SearchHit(
        str(kind),
        str(ref),
        str(anchor),
        str(title),
        str(topic_title),
        str(section_id),
        lines,
        bool(title_hit),
    )


def matching_lines(body: str, variants: list[str], most: int = 3) -> list[str]:
    """Lines of `body` that contain a variant, the match marked 【…】 in the original text."""
    out = []
    for raw in body.split("\n"):
        # Shown as plain text: Markdown emphasis, code marks and list/table marks removed.
        line = re.sub(r"\*\*|__|`", "", raw).strip().lstrip("-*> ").strip("| ")
        marked = _mark(line, variants)
        if marked is not None:
            out.append(marked.strip())
            if len(out) >= most:
                break
    return out


def _mark(line: str, variants: list[str]) -> str | None:
    whole = normalize(line)
    if not any(v in whole for v in variants):
        return None
    # Map each normalised character back to its place in the original line.
    norm_chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(line):
        for n in normalize(ch):
            norm_chars.append(n)
            origin.append(i)
    joined = "".join(norm_chars)
    for v in variants:
        at = joined.find(v)
        if at >= 0:
            start, end = origin[at], origin[at + len(v) - 1] + 1
            # A long line is cut around the match, so a hit reads at a glance.
            left = max(0, start - SNIPPET_BEFORE)
            right = min(len(line), end + SNIPPET_AFTER)
            head = "…" if left else ""
            tail = "…" if right < len(line) else ""
            return head + line[left:start] + "【" + line[start:end] + "】" + line[end:right] + tail
    return None
