"""Parse and validate content/ Markdown files (the format is documented in content/README.md).

Parsing walks markdown-it-py's block tokens; raw Markdown for stems, choices and explanations
is sliced from the source by the tokens' line maps so the reader renders exactly what the
author wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gquiz.syllabus import Syllabus, normalize
from gquiz.text.errors import SourceError
from gquiz.text.source import FrontMatter, YamlError, load_front_matter

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
AS_OF = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$")
QUESTIONS_HEADING = "問題"
EXPLANATION_HEADING = "解説"
META_KEYS = {"difficulty", "keywords", "type"}
MAX_CHOICES = 9
# A choice written with this mark at its end stays last whatever order the choices are shown in
# (「いずれも当てはまらない」-style choices read wrongly anywhere else).
PIN_MARK = "{last}"
# Blanks of a passage, in the order an exam labels them, and the id suffix of each.
BLANK_LABELS = ("ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ")
BLANK_SUFFIX = dict(
    zip(BLANK_LABELS, ("a", "i", "u", "e", "o", "ka", "ki", "ku", "ke", "ko"), strict=True)
)
BLANK_HEADING = re.compile(r"^（([ア-ン])）$")
BLANK_IN_TEXT = re.compile(r"（([ア-コ])）")
PASSAGE_PROMPT = "（{label}）に入る最も適切な語句を選べ。"
# Limits that keep `bank check` fast and safe on any file: the largest real topic file is
# ~32 KB, so 1 MB is generous; markdown-it stops nesting at MAX_NESTING and would silently
# drop the rest of the file, so reaching it is an error.
MAX_FILE_BYTES = 1_000_000
MAX_FRONT_MATTER_CHARS = 20_000
MAX_NESTING = 20
# Front matter keys a topic file may have (anything else is most likely a typo).
FRONT_MATTER_KEYS = {"section", "topic", "title", "keywords", "drills", "order", "as_of", "sources"}


ContentError = SourceError
"""A problem in a content file: the shared `path:line: message` type (gquiz.text.errors)."""


@dataclass
class ChoiceDoc:
    """A choice as written: Markdown text, `- [x]` marks it right, `pinned` (written with {last})
    keeps it last in whatever order the choices are shown."""

    text: str
    correct: bool
    pinned: bool = False


@dataclass(frozen=True)
class PassageRef:
    """Where a blank question comes from: its passage (shown once, above every blank)."""

    id: str
    text: str
    label: str


@dataclass
class QuestionDoc:
    """A parsed question (or one blank of a passage, then `passage` is set); `line` is the line of
    its heading, where a warning about the question as a whole points."""

    id: str
    line: int
    stem: str
    choices: list[ChoiceDoc]
    explanation: str
    difficulty: int = 2
    keywords: list[str] = field(default_factory=list)
    passage: PassageRef | None = None

    @property
    def n_correct(self) -> int:
        """How many choices are marked right; the build stores it so a screen knows a pick-two
        question."""
        return sum(c.correct for c in self.choices)


@dataclass
class TopicDoc:
    """One parsed topic file: the front matter, the note and its questions. `path` is the display
    path (relative to the working directory when possible) used in `path:line` errors."""

    path: str
    section_id: str
    slug: str
    title: str
    note: str
    keywords: list[str]
    drills: list[str]
    order: int | None
    questions: list[QuestionDoc]
    # For notes on law, guidelines, standards or market figures: the month the note was last
    # checked against its sources (YYYY-MM) and those sources (document names, articles, versions).
    as_of: str | None = None
    sources: list[str] = field(default_factory=list)


@dataclass
class ParseResult:
    """Everything parsed and every problem found: the build writes nothing unless `errors` is empty,
    and `bank check` prints all of them at once."""

    topics: list[TopicDoc]
    errors: list[ContentError]


def _markdown() -> MarkdownIt:
    # Imported here: opening the bank (which only hashes the content) must not pay for the parser.
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    # Only block structure is read (inline tokens keep their raw .content), so the inline
    # parse, the slowest part of markdown-it, is switched off.
    return (
        MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING})
        .enable("table")
        .use(front_matter_plugin)
        .disable("inline")
    )


def _heading_text(tokens: list[Token], i: int) -> str:
    return tokens[i + 1].content.strip() if i + 1 < len(tokens) else ""


def _span(token: Token) -> list[int]:
    """[first, end) source lines of a block token (markdown-it maps every opening block token)."""
    if token.map is None:
        raise AssertionError(f"{token.type} token without a source map")
    return token.map


def _slice(lines: list[str], start: int, end: int) -> str:
    return "\n".join(lines[start:end]).strip("\n").strip()


def mentions(note: str, keyword: str) -> bool:
    """Whether a note mentions a keyword; names like `MSE・RMSE・MAE` need every part."""
    text = normalize(note)
    name = normalize(keyword)
    if name in text:
        return True
    parts = [p.strip() for p in re.split(r"[・/／]", name) if p.strip()]
    return len(parts) > 1 and all(p in text for p in parts)


def read_content_file(path: Path, display: str) -> tuple[str | None, ContentError | None]:
    """The file's text, or the one error that makes it unreadable (size, UTF-8, I/O)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, ContentError(
                display, 0, f"ファイルが大きすぎます ({size:,} バイト、上限 {MAX_FILE_BYTES:,})"
            )
        data = path.read_bytes()
    except OSError as exc:
        return None, ContentError(display, 0, f"読めません ({exc.strerror or exc})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, ContentError(display, 0, f"UTF-8 ではありません ({line} 行目)")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, ContentError(
            display, 0, f"NUL 文字があります ({line} 行目、テキストファイルではありません)"
        )
    # One newline convention and no byte-order mark, so slices and line numbers agree.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), None


class _FileParser:
    def __init__(self, text: str, display: str, syllabus: Syllabus, families: set[str] | None):
        self.display = display
        self.syllabus = syllabus
        self.families = families
        self.errors: list[ContentError] = []
        self.text = text
        self.lines = self.text.split("\n")

    def error(self, line: int, message: str) -> None:
        self.errors.append(ContentError(self.display, line, message))

    def parse(self) -> TopicDoc | None:
        tokens = _markdown().parse(self.text)
        if not tokens or tokens[0].type != "front_matter":
            self.error(1, "フロントマター (--- で囲んだ YAML) がありません")
            return None
        deepest = next((t for t in tokens if t.nesting == 1 and t.level >= MAX_NESTING - 1), None)
        if deepest is not None:
            # markdown-it ignores everything after this point: refuse rather than drop it.
            at = deepest.map[0] + 1 if deepest.map else 1
            self.error(at, f"引用やリストの入れ子が深すぎます (上限 {MAX_NESTING - 2} 段)")
            return None
        meta = self._front_matter(tokens[0])
        if meta is None:
            return None
        body_start = tokens[0].map[1] if tokens[0].map else 0
        split = self._find_questions_heading(tokens)
        note_end = _span(tokens[split])[0] if split is not None else len(self.lines)
        note = _slice(self.lines, body_start, note_end)
        for kw in meta["keywords"]:
            if not mentions(note, kw):
                self.error(meta["line"], f"キーワード「{kw}」がノート本文に出てきません")
        self._check_headings(tokens)
        self._check_note(tokens, split if split is not None else len(tokens))
        self._check_tables(tokens)
        questions = self._questions(tokens, split) if split is not None else []
        return TopicDoc(
            path=self.display,
            section_id=meta["section"],
            slug=meta["topic"],
            title=meta["title"],
            note=note,
            keywords=meta["keywords"],
            drills=meta["drills"],
            order=meta["order"],
            questions=questions,
            as_of=meta["as_of"],
            sources=meta["sources"],
        )

    def _check_headings(self, tokens: list[Token]) -> None:
        """`##id` or `#問題` (no space) is a paragraph to Markdown: its question would vanish
        into the text above it, so a line that looks like a heading but is not is an error."""
        for i, tok in enumerate(tokens):
            if tok.type != "inline" or tokens[i - 1].type != "paragraph_open":
                continue
            first = m[0] if (m := tokens[i - 1].map) else 0
            for n, raw in enumerate(tok.content.split("\n")):
                if _NEAR_HEADING.match(raw):
                    self.error(
                        first + n + 1,
                        f"見出しの # の後に空白がありません (見出しにするなら「{_fix_heading(raw)}」): {raw[:40]}",
                    )

    def _check_tables(self, tokens: list[Token]) -> None:
        """A row with more cells than its header loses the extra ones without a word from
        Markdown: a `|` inside a formula such as `P(Y|X)` splits a cell and cuts the row."""
        for tok in tokens:
            if tok.type != "table_open" or not tok.map:
                continue
            start, end = tok.map
            width = _cell_count(self.lines[start])
            for n in range(start + 2, end):
                cells = _cell_count(self.lines[n])
                if cells > width:
                    self.error(
                        n + 1,
                        f"表の行のセルが {cells} 個あり、見出しの {width} 個より多いため、"
                        "はみ出した部分が表示されません (セルの中の | は \\| と書きます)",
                    )

    def _check_note(self, tokens: list[Token], end: int) -> None:
        """Choices in the note mean a question written above `# 問題` (or without it)."""
        for i in range(1, end):
            tok = tokens[i]
            if tok.type == "bullet_list_open" and tok.level == 0 and self._is_task_list(tokens, i):
                self.error(
                    tok.map[0] + 1 if tok.map else 1,
                    "選択肢 (- [x] / - [ ] のリスト) が # 問題 の前にあります "
                    "(問題は # 問題 の下に ## <問題id> で書きます)",
                )
                return

    def _front_matter(self, token: Token) -> dict[str, Any] | None:
        """The topic's front matter, validated; None (with errors reported) when unusable.

        Every message names the line of the opening ``---`` except a YAML error, which names
        the line of the mistake (gquiz.text.source places it)."""
        line = (token.map[0] if token.map else 0) + 1
        front = FrontMatter(token.content, line, token.map[1] if token.map else line)
        try:
            data = load_front_matter(front, MAX_FRONT_MATTER_CHARS)
        except YamlError as exc:
            self.error(exc.line, exc.message)
            return None
        if not self._required_keys(data, line):
            return None
        section = data["section"].strip()
        slug = data["topic"].strip()
        ok = self._check_ids(section, slug, line)
        keywords = self._str_list(data.get("keywords"), "keywords", line)
        drills = self._drills(data.get("drills"), line)
        as_of, sources, dated_ok = self._dated(data.get("as_of"), data.get("sources"), line)
        if sources is None:
            return None
        order = data.get("order")
        if order is not None and not isinstance(order, int):
            self.error(line, "order は整数で書いてください")
            ok = False
        if keywords is None or drills is None or not (ok and dated_ok):
            return None
        return {
            "section": section,
            "topic": slug,
            "title": data["title"].strip(),
            "keywords": keywords,
            "drills": drills,
            "order": order,
            "as_of": as_of,
            "sources": sources,
            "line": line,
        }

    def _required_keys(self, data: dict[str, Any], line: int) -> bool:
        """No unknown key (most likely a typo), and section, topic and title are there."""
        ok = True
        for key in sorted(map(str, set(data) - FRONT_MATTER_KEYS)):
            self.error(
                line,
                f"フロントマターの不明なキー: {key} (使えるのは {', '.join(sorted(FRONT_MATTER_KEYS))})",
            )
            ok = False
        for key in ("section", "topic", "title"):
            if not isinstance(data.get(key), str) or not data[key].strip():
                self.error(line, f"フロントマターに {key} がありません")
                ok = False
        return ok

    def _check_ids(self, section: str, slug: str, line: int) -> bool:
        ok = True
        if section not in self.syllabus.by_id():
            self.error(line, f"不明な section id: {section} (syllabus/keywords.tsv にありません)")
            ok = False
        if not SLUG.match(slug):
            self.error(line, f"topic は英小文字・数字・ハイフンで書いてください: {slug}")
            ok = False
        return ok

    def _drills(self, value: object, line: int) -> list[str] | None:
        """The drill families a note links to (each must exist when the families are known)."""
        drills = self._str_list(value, "drills", line)
        if drills is not None and self.families is not None:
            for drill in drills:
                if drill not in self.families:
                    self.error(line, f"不明な計算ドリル: {drill} (problems/ にありません)")
        return drills

    def _dated(
        self, as_of: object, sources_value: object, line: int
    ) -> tuple[str | None, list[str] | None, bool]:
        """(as_of, sources, ok): a dated note (law, guidelines) must say what it rests on."""
        ok = True
        stamp = None if as_of is None else str(as_of).strip()
        if stamp is not None and not AS_OF.match(stamp):
            self.error(line, f"as_of は YYYY-MM の形で書いてください: {stamp}")
            ok = False
        sources = self._str_list(sources_value, "sources", line)
        if stamp is not None and not sources:
            self.error(
                line, "as_of を書いたノートには sources (根拠の文書名・条文・版) も書いてください"
            )
            ok = False
        return stamp, sources, ok

    def _str_list(self, value: object, key: str, line: int) -> list[str] | None:
        if value is None:
            return []
        if isinstance(value, str):
            value = [v for v in value.split(",")]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            self.error(line, f"{key} は文字列のリストで書いてください")
            return None
        return [str(v).strip() for v in value if str(v).strip()]

    def _find_questions_heading(self, tokens: list[Token]) -> int | None:
        for i, tok in enumerate(tokens):
            if tok.type == "heading_open" and tok.tag == "h1" and tok.level == 0:
                if _heading_text(tokens, i) == QUESTIONS_HEADING:
                    return i
        return None

    def _questions(self, tokens: list[Token], split: int) -> list[QuestionDoc]:
        starts = [
            i
            for i in range(split + 1, len(tokens))
            if tokens[i].type == "heading_open"
            and tokens[i].level == 0
            and tokens[i].tag in ("h1", "h2")
        ]
        questions = []
        blocks = _top_level_blocks(tokens, split + 3, len(tokens))
        if blocks and blocks[0][0] not in starts:
            tok = tokens[blocks[0][0]]
            self.error(
                tok.map[0] + 1 if tok.map else 1, "# 問題 の後は ## <問題id> で始めてください"
            )
        for n, i in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else len(tokens)
            if tokens[i].tag == "h1":
                line = m[0] + 1 if (m := tokens[i].map) else 1
                self.error(line, "# 問題 の後に別の # 見出しがあります (問題は ## で書きます)")
                continue
            if self._is_passage(tokens, i, end):
                questions.extend(self._passage(tokens, i, end))
                continue
            q = self._question(tokens, i, end)
            if q is not None:
                questions.append(q)
        return questions

    def _leading_meta(
        self, tokens: list[Token], start: int, end: int
    ) -> tuple[dict[str, str] | None, list[tuple[int, int]]]:
        """The metadata paragraph right under a heading (if any) and the blocks after it."""
        blocks = _top_level_blocks(tokens, start + 3, end)
        if blocks and tokens[blocks[0][0]].type == "paragraph_open":
            first = tokens[blocks[0][0]]
            meta = self._meta(
                tokens[blocks[0][0] + 1].content, first.map[0] + 1 if first.map else 1
            )
            if meta is not None:
                return meta, blocks[1:]
        return None, blocks

    def _is_passage(self, tokens: list[Token], start: int, end: int) -> bool:
        blocks = _top_level_blocks(tokens, start + 3, end)
        if not blocks or tokens[blocks[0][0]].type != "paragraph_open":
            return False
        for raw in tokens[blocks[0][0] + 1].content.split("\n"):
            key, sep, value = raw.partition(":")
            if sep and key.strip() == "type" and value.strip() == "passage":
                return True
        return False

    def _passage(self, tokens: list[Token], start: int, end: int) -> list[QuestionDoc]:
        """A passage with blanks: one four-choice question per blank (format in content/README.md)."""
        head = tokens[start]
        line = head.map[0] + 1 if head.map else 1
        pid = _heading_text(tokens, start)
        if not SLUG.match(pid):
            self.error(line, f"穴埋め問題の id は英小文字・数字・ハイフンで書いてください: {pid}")
            return []
        meta, blocks = self._leading_meta(tokens, start, end)
        assert meta is not None  # _is_passage saw the metadata paragraph
        difficulty, keywords = self._meta_values(meta, line)
        blank_heads = self._blank_heads(pid, tokens, blocks, line)
        if not blank_heads:
            self.error(line, f"{pid}: 空欄 (### （ア） と選択肢) がありません")
            return []
        first = blocks[blank_heads[0]][0]
        body_start = m[0] if blocks and (m := tokens[blocks[0][0]].map) else line
        passage = (
            _slice(self.lines, body_start, _span(tokens[first])[0]) if blocks[0][0] != first else ""
        )
        if not passage:
            self.error(line, f"{pid}: 本文 (空欄を含む文章) がありません")
            return []
        labels = [
            hit.group(1)
            for k in blank_heads
            if (hit := BLANK_HEADING.match(_heading_text(tokens, blocks[k][0])))  # all of them
        ]
        if not self._check_labels(pid, passage, labels, line):
            return []
        passage_end = m[0] if end < len(tokens) and (m := tokens[end].map) else len(self.lines)
        out: list[QuestionDoc] = []
        for n, k in enumerate(blank_heads):
            last = blank_heads[n + 1] if n + 1 < len(blank_heads) else len(blocks)
            stop_line = _span(tokens[blocks[last][0]])[0] if last < len(blocks) else passage_end
            q = self._blank(
                pid, passage, labels[n], tokens, blocks[k:last], stop_line, difficulty, keywords
            )
            if q is not None:
                out.append(q)
        if len(out) == len(blank_heads):
            self._check_passage_keywords(pid, out, keywords, line)
        return out

    def _blank_heads(
        self, pid: str, tokens: list[Token], blocks: list[tuple[int, int]], line: int
    ) -> list[int]:
        """The blocks that open a blank (``### （ア）``); any other ``###`` is an error."""
        heads = [
            k
            for k, (b, _) in enumerate(blocks)
            if tokens[b].type == "heading_open" and tokens[b].tag in ("h3", "h4")
        ]
        blank_heads = [
            k
            for k in heads
            if tokens[blocks[k][0]].tag == "h3"
            and BLANK_HEADING.match(_heading_text(tokens, blocks[k][0]))
        ]
        for k in heads:
            b = blocks[k][0]
            if tokens[b].tag == "h3" and k not in blank_heads:
                self.error(
                    m[0] + 1 if (m := tokens[b].map) else line,
                    f"{pid}: 穴埋め問題の ### 見出しは空欄のラベル (例: ### （ア）) です: "
                    f"{_heading_text(tokens, b)}",
                )
        return blank_heads

    def _check_labels(self, pid: str, passage: str, labels: list[str], line: int) -> bool:
        """Labels in the order （ア）（イ）…, each used in the text, and every blank of the text
        with its heading; False when the order is wrong (nothing can be matched then)."""
        expected = list(BLANK_LABELS[: len(labels)])
        if labels != expected:
            self.error(
                line,
                f"{pid}: 空欄のラベルは {'・'.join(expected)} の順に並べてください "
                f"(書かれた順: {'・'.join(labels)})",
            )
            return False
        in_text = BLANK_IN_TEXT.findall(passage)
        for label in labels:
            if label not in in_text:
                self.error(line, f"{pid}: 本文に （{label}） がありません")
        for label in sorted(set(in_text) - set(labels), key=BLANK_LABELS.index):
            self.error(line, f"{pid}: 本文の （{label}） に対応する ### （{label}） がありません")
        return True

    def _check_passage_keywords(
        self, pid: str, out: list[QuestionDoc], keywords: list[str], line: int
    ) -> None:
        """Each keyword of the passage shows up in the text or in some blank."""
        named = {kw for q in out for kw in q.keywords}
        for kw in keywords:
            if kw not in named:
                self.error(
                    line,
                    f"{pid}: キーワード「{kw}」が本文にもどの空欄の選択肢・解説にも出てきません",
                )

    def _blank(
        self,
        pid: str,
        passage: str,
        label: str,
        tokens: list[Token],
        blocks: list[tuple[int, int]],
        stop_line: int,
        difficulty: int,
        keywords: list[str],
    ) -> QuestionDoc | None:
        head = tokens[blocks[0][0]]
        line = head.map[0] + 1 if head.map else 1
        qid = f"{pid}-{BLANK_SUFFIX[label]}"
        rest = blocks[1:]
        if not rest or not (
            tokens[rest[0][0]].type == "bullet_list_open" and self._is_task_list(tokens, rest[0][0])
        ):
            self.error(
                line, f"{qid}: （{label}） の直後に選択肢 (- [x] / - [ ] のリスト) がありません"
            )
            return None
        lb, le = rest[0]
        choices = self._choices(tokens, lb, le)
        after = rest[1:]
        if not after or not (
            tokens[after[0][0]].type == "heading_open"
            and tokens[after[0][0]].tag == "h4"
            and _heading_text(tokens, after[0][0]) == EXPLANATION_HEADING
        ):
            at = tokens[after[0][0]] if after else head
            self.error(
                at.map[0] + 1 if at.map else line,
                f"{qid}: 選択肢の後に #### 解説 がありません",
            )
            return None
        eb = tokens[after[0][0]]
        explanation = _slice(self.lines, _span(eb)[1], stop_line)
        if not explanation:
            self.error(_span(eb)[0] + 1, f"{qid}: 解説が空です")
        lb_line = m[0] + 1 if (m := tokens[lb].map) else line
        n_correct = sum(c.correct for c in choices)
        if n_correct != 1:
            self.error(
                lb_line, f"{qid}: 空欄の正解 (- [x]) はちょうど1つにしてください ({n_correct} 個)"
            )
        stem = passage + "\n\n" + PASSAGE_PROMPT.format(label=label)
        self._check_choices(qid, line, stem, choices, lb_line)
        # A passage's keywords are shared by its blanks, but the passage leaves out each
        # blank's answer: a blank is tagged only with the keywords that it (the passage as
        # shown, its choices or its explanation) names, not with its neighbours' answers.
        own = "\n".join([stem, explanation, *(c.text for c in choices)])
        return QuestionDoc(
            qid,
            line,
            stem,
            choices,
            explanation,
            difficulty,
            [kw for kw in keywords if mentions(own, kw)],
            PassageRef(pid, passage, label),
        )

    def _question(self, tokens: list[Token], start: int, end: int) -> QuestionDoc | None:
        head = tokens[start]
        line = head.map[0] + 1 if head.map else 1
        qid = _heading_text(tokens, start)
        if not SLUG.match(qid):
            self.error(line, f"問題 id は英小文字・数字・ハイフンで書いてください: {qid}")
            return None
        block_end_line = m[0] if end < len(tokens) and (m := tokens[end].map) else len(self.lines)
        all_blocks = _top_level_blocks(tokens, start + 3, end)
        meta, blocks = self._leading_meta(tokens, start, end)
        difficulty = 2
        keywords: list[str] = []
        stem_start = head.map[1] if head.map else line
        if meta is not None:
            if "type" in meta:
                self.error(line, f"{qid}: type に書けるのは passage だけです: {meta['type']}")
            difficulty, keywords = self._meta_values(meta, line)
            stem_start = _span(tokens[all_blocks[0][0]])[1]
        list_idx = next(
            (
                k
                for k, (b, _) in enumerate(blocks)
                if tokens[b].type == "bullet_list_open" and self._is_task_list(tokens, b)
            ),
            None,
        )
        if list_idx is None:
            self.error(line, f"{qid}: 選択肢 (- [x] / - [ ] のリスト) がありません")
            return None
        lb, le = blocks[list_idx]
        list_start = _span(tokens[lb])[0]
        stem = _slice(self.lines, stem_start, list_start)
        if not stem:
            self.error(line, f"{qid}: 問題文がありません")
        choices = self._choices(tokens, lb, le)
        rest = blocks[list_idx + 1 :]
        expl_idx = next(
            (
                k
                for k, (b, _) in enumerate(rest)
                if tokens[b].type == "heading_open"
                and tokens[b].tag == "h3"
                and _heading_text(tokens, b) == EXPLANATION_HEADING
            ),
            None,
        )
        explanation = ""
        if expl_idx is None:
            self.error(line, f"{qid}: ### 解説 がありません")
        else:
            if expl_idx > 0:
                extra = tokens[rest[0][0]]
                self.error(
                    extra.map[0] + 1 if extra.map else line,
                    f"{qid}: 選択肢と ### 解説 の間に余計な内容があります",
                )
            eb = tokens[rest[expl_idx][0]]
            explanation = _slice(self.lines, _span(eb)[1], block_end_line)
            if not explanation:
                self.error(_span(eb)[0] + 1, f"{qid}: 解説が空です")
            self._check_explanation(qid, tokens, rest[expl_idx + 1 :])
        self._check_choices(qid, line, stem, choices, _span(tokens[lb])[0] + 1)
        return QuestionDoc(qid, line, stem, choices, explanation, difficulty, keywords)

    def _check_explanation(
        self, qid: str, tokens: list[Token], blocks: list[tuple[int, int]]
    ) -> None:
        """Choices or a second 解説 inside an explanation are a question whose ## heading is
        missing or mistyped; it would silently become part of this explanation."""
        for b, _ in blocks:
            tok = tokens[b]
            at = tok.map[0] + 1 if tok.map else 1
            if tok.type == "bullet_list_open" and self._is_task_list(tokens, b):
                self.error(
                    at,
                    f"{qid}: 解説の中に選択肢のリストがあります (次の問題の ## <問題id> がありませんか)",
                )
                return
            if tok.type == "heading_open" and _heading_text(tokens, b) == EXPLANATION_HEADING:
                self.error(at, f"{qid}: 解説が2つあります (次の問題の ## <問題id> がありませんか)")
                return

    def _meta(self, content: str, line: int) -> dict[str, str] | None:
        """`key: value` lines of a metadata paragraph, or None when the paragraph is prose."""
        pairs: dict[str, str] = {}
        rows = content.split("\n")
        for n, raw in enumerate(rows):
            key, sep, value = raw.replace("：", ":").partition(":")
            if not sep or key.strip() not in META_KEYS:
                looks_like_meta = _META_LIKE.match(raw)
                if n > 0 and pairs:
                    self.error(
                        line + n,
                        "メタデータ (difficulty: など) と問題文の間に空行を入れてください"
                        if not looks_like_meta
                        else f"不明なメタデータ: {raw.split(':')[0].strip()} "
                        f"(使えるのは {', '.join(sorted(META_KEYS))})",
                    )
                elif n == 0 and looks_like_meta and all(_META_LIKE.match(r) for r in rows):
                    self.error(
                        line,
                        f"不明なメタデータ: {looks_like_meta.group(1)} "
                        f"(使えるのは {', '.join(sorted(META_KEYS))})",
                    )
                return None
            if "：" in raw:
                self.error(
                    line + n, f"メタデータのコロンは半角 (:) で書いてください: {raw.strip()}"
                )
            pairs[key.strip()] = value.strip()
        pairs["_line"] = str(line)
        return pairs

    def _meta_values(self, meta: dict[str, str], line: int) -> tuple[int, list[str]]:
        at = int(meta.get("_line", line))
        difficulty = 2
        value = meta.get("difficulty")
        if value is not None:
            if value not in ("1", "2", "3"):
                self.error(at, f"difficulty は 1, 2, 3 のいずれかです: {value}")
            else:
                difficulty = int(value)
        keywords = [k.strip() for k in meta.get("keywords", "").split(",") if k.strip()]
        return difficulty, keywords

    @staticmethod
    def _is_task_list(tokens: list[Token], start: int) -> bool:
        # Walks forward from start without slicing: a copy of the rest of the token list per
        # question made `bank check` quadratic (52 s on 16,000 questions).
        for i in range(start, len(tokens)):
            if tokens[i].type == "inline":
                return tokens[i].content[:3].lower() in ("[x]", "[ ]")
        return False

    def _choices(self, tokens: list[Token], start: int, end: int) -> list[ChoiceDoc]:
        choices = []
        item_level = tokens[start].level + 1
        for i in range(start, end):
            tok = tokens[i]
            if tok.type != "list_item_open" or tok.level != item_level:
                continue
            inline = next((t for t in tokens[i:end] if t.type == "inline"), None)
            item_line = tok.map[0] + 1 if tok.map else 0
            content = inline.content if inline else ""
            mark = content[:3].lower()
            if mark not in ("[x]", "[ ]"):
                self.error(item_line, "選択肢は - [x] (正解) か - [ ] (不正解) で始めてください")
                continue
            close = next(
                (
                    k
                    for k in range(i + 1, end)
                    if tokens[k].type == "list_item_close" and tokens[k].level == tok.level
                ),
                end,
            )
            inner = [
                t
                for t in tokens[i + 1 : close]
                if t.level == tok.level + 1 and t.nesting != -1 and t.type != "inline"
            ]
            if len(inner) > 1 or (inner and inner[0].type != "paragraph_open"):
                # Only the first paragraph would be kept: a sub-list or a second paragraph
                # (often a question pasted into the choices) would vanish.
                self.error(
                    item_line, "選択肢は1つの段落で書いてください (中にリストや段落があります)"
                )
                continue
            text = content[3:].strip()
            pinned = text.endswith(PIN_MARK)
            if pinned:
                text = text[: -len(PIN_MARK)].rstrip()
            if not text:
                self.error(item_line, "選択肢の本文が空です")
                continue
            choices.append(ChoiceDoc(text=text, correct=mark == "[x]", pinned=pinned))
        return choices

    def _check_choices(
        self, qid: str, line: int, stem: str, choices: list[ChoiceDoc], list_line: int
    ) -> None:
        n_correct = sum(c.correct for c in choices)
        if len(choices) < 2:
            self.error(list_line, f"{qid}: 選択肢が2つ未満です")
        if len(choices) > MAX_CHOICES:
            self.error(list_line, f"{qid}: 選択肢は {MAX_CHOICES} 個までです")
        if n_correct == 0:
            self.error(list_line, f"{qid}: 正解の選択肢 (- [x]) がありません")
        elif n_correct > 2:
            self.error(list_line, f"{qid}: 正解が {n_correct} 個あります (1つか2つにしてください)")
        elif n_correct == 2 and "2つ" not in normalize(stem) and "二つ" not in stem:
            self.error(line, f"{qid}: 正解が2つあるのに問題文に「2つ選べ」とありません")
        elif n_correct == 1 and re.search(r"(2|二)つ選", normalize(stem)):
            self.error(list_line, f"{qid}: 問題文は「2つ選べ」なのに正解 (- [x]) が1つです")
        texts = [normalize(c.text) for c in choices]
        if len(set(texts)) != len(texts):
            self.error(list_line, f"{qid}: 同じ選択肢が2回あります")


_META_LIKE = re.compile(r"^\s*([a-z_]+)\s*[:：]")
_NEAR_HEADING = re.compile(r"^ {0,3}#{1,6}[^#\s]")


def _cell_count(line: str) -> int:
    """Cells of a table row as markdown-it splits it: at every `|` not escaped by a backslash."""
    row = line.strip()
    cells = re.split(r"(?<!\\)\|", row)
    if row.startswith("|"):
        cells = cells[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        cells = cells[:-1]
    return len(cells)


def _fix_heading(raw: str) -> str:
    stripped = raw.lstrip()
    hashes = len(stripped) - len(stripped.lstrip("#"))
    return stripped[:hashes] + " " + stripped[hashes:].strip()[:30]


def _top_level_blocks(tokens: list[Token], start: int, end: int) -> list[tuple[int, int]]:
    """(open, close) indices of the level-0 blocks in tokens[start:end]."""
    blocks: list[tuple[int, int]] = []
    i = start
    while i < end:
        tok = tokens[i]
        if tok.level == 0 and tok.nesting == 1:
            j = next(
                k for k in range(i + 1, end) if tokens[k].level == 0 and tokens[k].nesting == -1
            )
            blocks.append((i, j))
            i = j + 1
        else:
            if tok.level == 0 and tok.nesting == 0:
                blocks.append((i, i))
            i += 1
    return blocks


def content_files(root: Path) -> list[Path]:
    """Topic files under a content root (README.md files are documentation, not topics)."""
    if root.is_file():
        return [root]
    return sorted(
        p
        for p in root.rglob("*.md")
        if p.name.lower() != "readme.md" and not p.name.startswith("exam-")
    )


def stray_files(root: Path) -> list[ContentError]:
    """Files that look like topics but would be skipped: `.markdown`, `.MD`, `exam-*.md`.

    A topic saved under another extension (or named like the blueprint) would silently
    take its questions out of the bank.
    """
    if not root.is_dir():
        return []
    errors = []
    for p in sorted(root.rglob("*")):
        if not p.is_file():
            continue
        rel = _display(p, None)
        if p.suffix.lower() in (".md", ".markdown", ".mdown", ".mkd") and p.suffix != ".md":
            errors.append(
                ContentError(rel, 0, f"拡張子は .md にしてください ({p.suffix} は読みません)")
            )
        elif p.suffix == ".md" and p.name.startswith("exam-") and p.name != "exam-blueprint.md":
            errors.append(
                ContentError(
                    rel,
                    0,
                    "exam- で始まる名前は模擬試験の設定用です (トピックなら名前を変えてください)",
                )
            )
    return errors


def parse_files(
    files: Iterable[Path],
    syllabus: Syllabus,
    families: set[str] | None = None,
    base: Path | None = None,
) -> ParseResult:
    """Parse and validate files; cross-file checks (duplicate ids) included."""
    topics: list[TopicDoc] = []
    errors: list[ContentError] = []
    topic_seen: dict[str, str] = {}
    question_seen: dict[str, str] = {}
    for path in files:
        display = _display(path, base)
        text, unreadable = read_content_file(path, display)
        if text is None:
            assert unreadable is not None
            errors.append(unreadable)
            continue
        parser = _FileParser(text, display, syllabus, families)
        topic = parser.parse()
        errors.extend(parser.errors)
        if topic is None:
            continue
        if topic.slug in topic_seen:
            errors.append(
                ContentError(
                    display, 2, f"topic {topic.slug} は {topic_seen[topic.slug]} と重複しています"
                )
            )
            continue
        topic_seen[topic.slug] = display
        for q in topic.questions:
            where = f"{display}:{q.line}"
            if q.id in question_seen:
                errors.append(
                    ContentError(
                        display, q.line, f"問題 id {q.id} は {question_seen[q.id]} と重複しています"
                    )
                )
            else:
                question_seen[q.id] = where
        topics.append(topic)
    errors.sort(key=lambda e: (e.path, e.line))
    return ParseResult(topics, errors)


def _display(path: Path, base: Path | None) -> str:
    try:
        return str(path.resolve().relative_to((base or Path.cwd()).resolve()))
    except ValueError:
        return str(path)
