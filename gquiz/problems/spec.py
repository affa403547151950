"""Problem-family files (problems/*.yaml): loading and validation.

Errors are reported as :class:`FamilyFileError` lines ``path:line: message`` (Japanese), the
same shape as ``gquiz bank check`` uses for content. See problems/README.md for the format.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gquiz.problems.expr import ExprError, compile_expr
from gquiz.problems.precision import Precision, PrecisionSpecError, parse_precision
from gquiz.text.errors import InvalidSources, SourceError
from gquiz.text.source import LineDict, YamlError, line_of, load_yaml, plain

__all__ = [
    "ANSWER_KINDS",
    "Distractor",
    "Family",
    "FamilyError",
    "FamilyFileError",
    "Level",
    "check_family_file",
    "load_families",
    "parse_family",
]

ANSWER_KINDS = ("integer", "float", "vector", "matrix", "choice")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SECTION_RE = re.compile(r"^S\d+\.\d+$")
_LEVEL_KEYS = {
    "params",
    "where",
    "require",
    "statement",
    "args",
    "answer",
    "solver",
    "distractors",
    "kind",
    "precision",
    "final",
    "note",
}
_TOP_KEYS = {
    "id",
    "section",
    "title",
    "topic",
    "keywords",
    "solver",
    "params",
    "where",
    "require",
    "args",
    "answer",
    "kind",
    "precision",
    "final",
    "statement",
    "levels",
    "distractors",
    "note",
    "options",
    "unordered",
}
# Keys of the old tolerance band, refused with a pointer to the precision rule.
_RETIRED_KEYS = {
    "tolerance": "tolerance は使えません。precision: {decimals: N}（小数第N位まで）などで答え方を書いてください（problems/README.md）",
    "digits": "digits は使えません。表示の桁は precision: {decimals: N} で決まります（problems/README.md）",
}
_DISTRACTOR_KEYS = {"id", "label", "args", "solver", "pick", "mistake", "value", "when"}


FamilyFileError = SourceError
"""A problem in a family file: the shared `path:line: message` type (gquiz.text.errors)."""
FamilyError = InvalidSources
"""Raised by load_families(strict=True): the shared error of invalid author files."""


@dataclass(frozen=True)
class Distractor:
    """A named common mistake and how to compute its (wrong) answer."""

    id: str
    label: str
    args: Mapping[str, Any] = field(default_factory=dict)
    solver: str | None = None
    pick: str | None = None
    mistake: str | None = None
    value: str | None = None
    when: str | None = None


@dataclass(frozen=True)
class Level:
    """Everything that may differ between difficulties (merged over the family's defaults)."""

    difficulty: int
    params: tuple[tuple[str, Any], ...]
    where: tuple[str, ...]
    statement: str
    args: Mapping[str, Any]
    answer: str
    solver: str
    kind: str
    precision: Precision
    """The stated rule: how to answer and what the checker accepts."""
    distractors: tuple[Distractor, ...]
    note: str = ""
    require: tuple[str, ...] = ()
    """Conditions on the solved problem (names: the parameters, ``answer``, ``correct``)."""
    final: str = ""
    """Template naming the asked quantity in the last worked step (``求める値`` by default)."""


@dataclass(frozen=True)
class Family:
    """A problem family read from ``problems/<id>.yaml``."""

    id: str
    section: str
    title: str
    path: str
    levels: Mapping[int, Level]
    topic: str | None = None
    keywords: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    unordered: bool = False
    spec: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def level(self, difficulty: int) -> Level:
        try:
            return self.levels[int(difficulty)]
        except (KeyError, ValueError):
            raise ValueError(
                f"難易度は {', '.join(map(str, sorted(self.levels)))} のどれかです（{difficulty!r}）"
            ) from None


# ---------------------------------------------------------------------------
# YAML with line numbers
# ---------------------------------------------------------------------------


# gquiz.text.source reads every author file (topic front matter, the blueprint, families);
# these are its line-tracking mapping and helpers under the names the readers below use.
_LineDict = LineDict
_line = line_of
_plain = plain


# ---------------------------------------------------------------------------
# validation: one spec object per part of a family file
# ---------------------------------------------------------------------------
#
# A family file has four parts, read in the order their messages come out: the identity (id,
# section, title), the defaults every level starts from (params, where, distractors and the
# keys a level may override), the levels, and the catalogue (options, keywords, topic,
# unordered). Each reader reports what is wrong to the collector and returns what it could
# read; parse_family builds a Family only when nothing was reported.

_Mapping = dict[Any, Any]
"""A mapping read from YAML (a :class:`_LineDict` when read with the line-tracking loader)."""

_LEVEL_DEFAULTS = ("statement", "args", "answer", "solver", "kind", "precision", "final", "note")
"""The keys a level inherits from the top of the file unless it sets them itself."""

_REQUIRED_KEYS = ("id", "section", "title", "solver", "kind", "statement", "levels")


class _Collector:
    """The problems found in one file, in the order they were found."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[FamilyFileError] = []

    def add(self, line: int, message: str) -> None:
        self.errors.append(FamilyFileError(self.path, line, message))

    def reported(self, message: str) -> bool:
        """Whether ``message`` is already listed (a top-level mistake is told once, not per level)."""
        return any(e.message == message for e in self.errors)


def _check_expr(text: Any, where: str, line: int, c: _Collector) -> None:
    if isinstance(text, str):
        try:
            compile_expr(text)
        except ExprError as exc:
            c.add(line, f"{where}: {exc}")


def _check_template(template: str, where: str, line: int, error_line: int, c: _Collector) -> None:
    """Check the ``{expression|format}`` fields of a template (an unknown format stops the scan)."""
    from gquiz.problems.display import template_fields

    try:
        for expr_text, _ in template_fields(template):
            _check_expr(expr_text, where, line, c)
    except ValueError as exc:
        c.add(error_line, f"{where}: {exc}")


def _check_top_keys(data: _Mapping, c: _Collector) -> None:
    for key in data:
        if key in _RETIRED_KEYS:
            c.add(_line(data, key), _RETIRED_KEYS[key])
        elif key not in _TOP_KEYS:
            c.add(
                _line(data, key), f"不明なキー {key!r}（使えるのは {', '.join(sorted(_TOP_KEYS))}）"
            )
    for key in _REQUIRED_KEYS:
        if key not in data:
            c.add(1, f"{key} がありません")


# -- params ------------------------------------------------------------------


def _check_params(params: Any, where: str, line: int, c: _Collector) -> list[tuple[str, Any]]:
    """The ``name: rule`` pairs of a params mapping, in order; a bad name or rule is left out."""
    if params is None:
        return []
    if not isinstance(params, dict):
        c.add(line, f"{where} は 名前: 生成方法 のマッピングで書いてください")
        return []
    out = []
    for name, spec in params.items():
        ln = _line(params, name)
        if not isinstance(name, str) or not name.isidentifier():
            c.add(ln, f"{where} のパラメータ名 {name!r} は英字で始まる識別子にしてください")
            continue
        if _check_param(spec, f"{where}.{name}", ln, c):
            out.append((name, spec))
    return out


def _check_param(spec: Any, where: str, line: int, c: _Collector) -> bool:
    """Check one parameter's rule; False when a mapping names no single way to draw."""
    from gquiz.problems.generators import KINDS

    if isinstance(spec, str):
        _check_expr(spec, where, line, c)
    if not isinstance(spec, dict):
        return True
    kinds = [k for k in KINDS if k in spec]
    if len(kinds) != 1:
        c.add(line, f"{where}: 生成方法を 1 つ指定してください（{', '.join(KINDS)}）")
        return False
    _check_draw(kinds[0], spec, where, line, c)
    return True


def _check_draw(kind: str, spec: _Mapping, where: str, line: int, c: _Collector) -> None:
    """The options one way of drawing needs (a range, a step, a known helper)."""
    from gquiz.problems.generators import HELPERS

    if kind in ("int", "float") and not (isinstance(spec[kind], list) and len(spec[kind]) == 2):
        c.add(line, f"{where}: {kind}: には [最小, 最大] を指定してください")
    if kind == "float" and "step" not in spec:
        c.add(line, f"{where}: float: には step（刻み）が必要です")
    if kind in ("vector", "matrix") and "range" not in spec:
        c.add(line, f"{where}: {kind}: には range: [最小, 最大] が必要です")
    if kind == "gen" and spec["gen"] not in HELPERS:
        c.add(
            line,
            f"{where}: 生成ヘルパー {spec['gen']!r} はありません（使えるもの: {', '.join(sorted(HELPERS))}）",
        )
    if kind == "expr":
        _check_expr(spec["expr"], where, line, c)


def _merge_params(
    base: tuple[tuple[str, Any], ...], own: list[tuple[str, Any]]
) -> list[tuple[str, Any]]:
    """A level's params over the top ones: a known name is replaced in place, a new one added."""
    params = list(base)
    names = [n for n, _ in params]
    for name, spec in own:
        if name in names:
            params[names.index(name)] = (name, spec)
        else:
            params.append((name, spec))
            names.append(name)
    return params


# -- solvers -----------------------------------------------------------------


def _solver_error(name: Any) -> str | None:
    """Why ``name`` is not a solver a family may use (None if it is one).

    Only names of the engine's registry: a family file is data, and a dotted path
    (``os:system``) would make loading it run code. The name is looked up, never imported.
    """
    if not isinstance(name, str) or not name:
        return f"ソルバー {name!r} がありません（gquiz solve --list の名前を書いてください）"
    if not _SOLVER_NAME_RE.match(name):
        return (
            f"ソルバー {name!r} は使えません: ファミリーのファイルにはエンジンのソルバー名"
            "（gquiz solve --list）だけを書けます。モジュールのパスは読み込みません"
        )
    if not _solver_exists(name):
        return f"ソルバー {name!r} がありません（gquiz solve --list の名前を書いてください）"
    return None


_SOLVER_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def _solver_exists(name: str) -> bool:
    from gquiz.engine.core import EngineError
    from gquiz.engine.registry import get_solver

    try:
        get_solver(name)
    except EngineError:
        return False
    return True


# -- distractors -------------------------------------------------------------


def _distractors(items: Any, where: str, line: int, c: _Collector) -> tuple[Distractor, ...]:
    """A ``distractors`` list; an item with no usable id or label is left out."""
    if items is None:
        return ()
    if not isinstance(items, list):
        c.add(line, f"{where} は誤答のリストで書いてください")
        return ()
    seen: set[str] = set()
    found = (_distractor(item, where, seen, c) for item in items)
    return tuple(d for d in found if d is not None)


def _distractor(item: Any, where: str, seen: set[str], c: _Collector) -> Distractor | None:
    ln = _line(item)
    if not isinstance(item, dict):
        c.add(ln, f"{where} の各項目は id, label を持つマッピングにしてください")
        return None
    unknown = set(item) - _DISTRACTOR_KEYS
    if unknown:
        c.add(
            ln,
            f"{where}: 不明なキー {', '.join(sorted(map(str, unknown)))}（使えるのは {', '.join(sorted(_DISTRACTOR_KEYS))}）",
        )
    did, label = item.get("id"), item.get("label")
    if not isinstance(did, str) or not _ID_RE.match(did):
        c.add(ln, f"{where}: 誤答の id {did!r} は英小文字・数字・- で書いてください")
        return None
    if did in seen:
        c.add(ln, f"{where}: 誤答の id {did!r} が重複しています")
    seen.add(did)
    if not isinstance(label, str) or not label.strip():
        c.add(
            _line(item, "label") if "label" in item else ln,
            f"{where}.{did}: label（どんな間違いかの日本語の説明）が必要です",
        )
        return None
    args = _check_wrong_answer(item, f"{where}.{did}", ln, c)
    return Distractor(
        did,
        label.strip(),
        _plain(args),
        item.get("solver"),
        item.get("pick"),
        item.get("mistake"),
        item.get("value"),
        item.get("when"),
    )


def _check_wrong_answer(item: _Mapping, where: str, line: int, c: _Collector) -> _Mapping:
    """Check how a distractor computes its wrong answer; returns its ``args`` ({} if unusable)."""
    from gquiz.problems.mistakes import MISTAKES

    if not any(k in item for k in ("args", "mistake", "value", "solver", "pick")):
        c.add(line, f"{where}: 誤答の求め方（args / solver / pick / mistake / value）がありません")
    if "mistake" in item and item["mistake"] not in MISTAKES:
        c.add(
            _line(item, "mistake"),
            f"{where}: 誤答関数 {item['mistake']!r} は gquiz/problems/mistakes.py にありません",
        )
    if "value" in item and "mistake" in item:
        c.add(line, f"{where}: value と mistake は同時に指定できません")
    args = item.get("args") or {}
    if not isinstance(args, dict):
        c.add(_line(item, "args"), f"{where}: args はマッピングで書いてください")
        args = {}
    for k, v in args.items():
        _check_expr(v, f"{where}.args.{k}", _line(args, k), c)
    for key in ("pick", "value", "when"):
        _check_expr(item.get(key), f"{where}.{key}", _line(item, key), c)
    if item.get("solver") is not None:
        why = _solver_error(item["solver"])
        if why:
            c.add(_line(item, "solver"), f"{where}: {why}")
    return args


# -- the parts of a family file ----------------------------------------------


@dataclass(frozen=True)
class _Identity:
    """What names a family: ``id`` (the file name), ``section`` (a 中項目 id), ``title``."""

    id: str
    section: str
    title: str

    @classmethod
    def parse(
        cls, data: _Mapping, path: str, known_sections: set[str] | None, c: _Collector
    ) -> _Identity:
        fid = data["id"]
        if not isinstance(fid, str) or not _ID_RE.match(fid):
            c.add(_line(data, "id"), f"id {fid!r} は英小文字・数字・- で書いてください")
        elif Path(path).stem != fid:
            c.add(
                _line(data, "id"),
                f"id {fid!r} がファイル名 {Path(path).name} と一致しません（{fid}.yaml にしてください）",
            )
        section = data["section"]
        if not isinstance(section, str) or not _SECTION_RE.match(section):
            c.add(_line(data, "section"), f"section {section!r} は S5.2 の形で書いてください")
        elif known_sections is not None and section not in known_sections:
            c.add(_line(data, "section"), f"不明な section id: {section}")
        title = data["title"]
        if not isinstance(title, str) or not title.strip():
            c.add(_line(data, "title"), "title（日本語の題名）が空です")
            title = ""
        return cls(str(fid), str(section), title.strip())


@dataclass(frozen=True)
class _Defaults:
    """What every level starts from: the top-level params, where and distractors, and the
    top mapping itself for the keys a level may override (and for their lines)."""

    top: _Mapping
    params: tuple[tuple[str, Any], ...]
    where: tuple[Any, ...]
    distractors: tuple[Distractor, ...]

    @classmethod
    def parse(cls, data: _Mapping, c: _Collector) -> _Defaults:
        params = _check_params(data.get("params"), "params", _line(data, "params"), c)
        where = data.get("where") or []
        if not isinstance(where, list):
            c.add(_line(data, "where"), "where は条件式のリストで書いてください")
            where = []
        for w in where:
            _check_expr(w, "where", _line(data, "where"), c)
        distractors = _distractors(
            data.get("distractors"), "distractors", _line(data, "distractors"), c
        )
        return cls(data, tuple(params), tuple(where), distractors)


@dataclass(frozen=True)
class _Catalogue:
    """How a family is filed and offered: ``topic``, ``keywords``, ``options``, ``unordered``."""

    topic: str | None
    keywords: tuple[str, ...]
    options: tuple[str, ...]
    unordered: bool

    @classmethod
    def parse(cls, data: _Mapping, c: _Collector) -> _Catalogue:
        options = data.get("options") or []
        if not isinstance(options, list):
            c.add(_line(data, "options"), "options は選択肢の文字列のリストで書いてください")
            options = []
        keywords = data.get("keywords") or []
        if not isinstance(keywords, list):
            c.add(_line(data, "keywords"), "keywords はリストで書いてください")
            keywords = []
        topic = data.get("topic")
        if topic is not None and (not isinstance(topic, str) or not _ID_RE.match(topic)):
            c.add(
                _line(data, "topic"),
                f"topic {topic!r} はトピックの slug（英小文字・数字・-）にしてください",
            )
            topic = None
        return cls(
            topic,
            tuple(str(k) for k in keywords),
            tuple(str(o) for o in options),
            bool(data.get("unordered", False)),
        )


class _LevelReader:
    """Reads one ``levels.N`` mapping over the defaults into a :class:`Level`.

    The steps run in a fixed order (so the messages do); a step that returns None ends the
    level, because what follows would only repeat the same mistake.
    """

    def __init__(self, key: int, own: _Mapping, defaults: _Defaults, c: _Collector) -> None:
        self.key = key
        self.own = own
        self.defaults = defaults
        self.top = defaults.top
        self.c = c
        self.merged = {k: self.top.get(k) for k in _LEVEL_DEFAULTS}
        self.merged.update({k: v for k, v in own.items() if k in self.merged})

    def line(self, key: str) -> int:
        """The line of ``key`` in the level when it is set there, else at the top."""
        return _line(self.own, key) if key in self.own else _line(self.top, key)

    def read(self) -> Level | None:
        self._check_keys()
        own_params = _check_params(
            self.own.get("params"), f"levels.{self.key}.params", _line(self.own, "params"), self.c
        )
        params = _merge_params(self.defaults.params, own_params)
        where, require = self._conditions()
        kind = self._kind()
        prec = None if kind is None else self._precision(kind)
        if kind is None or prec is None:
            return None
        solver = self._solver()
        args = self._args()
        answer = self.merged["answer"] or "answer"
        _check_expr(answer, "answer", _line(self.top, "answer"), self.c)
        statement = self._statement()
        if statement is None:
            return None
        return Level(
            self.key,
            tuple(params),
            tuple(str(w) for w in where),
            statement,
            _plain(args),
            str(answer),
            solver,
            kind,
            prec,
            self._distractors(),
            str(self.merged.get("note") or ""),
            tuple(str(r) for r in require),
            str(self.merged.get("final") or ""),
        )

    def _check_keys(self) -> None:
        for k in self.own:
            if k in _RETIRED_KEYS:
                self.c.add(_line(self.own, k), f"levels.{self.key}: {_RETIRED_KEYS[k]}")
            elif k not in _LEVEL_KEYS:
                self.c.add(
                    _line(self.own, k),
                    f"levels.{self.key}: 不明なキー {k!r}（使えるのは {', '.join(sorted(_LEVEL_KEYS))}）",
                )

    def _conditions(self) -> tuple[list[Any], list[Any]]:
        """The level's ``where`` (draws) and ``require`` (solved problems), each after the top's."""
        own_where = list(self.own.get("where") or [])
        require = list(self.top.get("require") or []) + list(self.own.get("require") or [])
        for r in require:
            _check_expr(r, f"levels.{self.key}.require", _line(self.own, "require"), self.c)
        for w in own_where:
            _check_expr(w, f"levels.{self.key}.where", _line(self.own, "where"), self.c)
        return list(self.defaults.where) + own_where, require

    def _kind(self) -> str | None:
        kind = self.merged["kind"]
        if kind not in ANSWER_KINDS:
            self.c.add(
                self.line("kind"), f"kind {kind!r} は {', '.join(ANSWER_KINDS)} のどれかです"
            )
            return None
        return str(kind)

    def _precision(self, kind: str) -> Precision | None:
        """The stated rule of the answer, which must fit its kind."""
        raw, pline, where = self.merged["precision"], self.line("precision"), f"levels.{self.key}"
        try:
            prec = parse_precision(raw)
        except PrecisionSpecError as exc:
            self.c.add(pline, f"{where}: {exc}")
            return None
        if kind == "float" and prec.mode == "integer" and raw is None:
            self.c.add(
                _line(self.top, "kind"),
                f"{where}: 小数の答え (kind: float) には precision（答え方: "
                "{decimals: 3} = 小数第3位まで、{significant: 3} = 有効数字3桁、exact = 正確な値）が必要です",
            )
            return None
        if kind == "integer" and prec.mode != "integer":
            self.c.add(
                pline, f"{where}: 整数の答え (kind: integer) の precision は integer だけです"
            )
            return None
        if kind == "choice" and raw is not None:
            self.c.add(pline, f"{where}: 文字の答え (kind: choice) に precision は書けません")
            return None
        return prec

    def _solver(self) -> str:
        solver = self.merged["solver"]
        why = _solver_error(solver)
        if why and not self.c.reported(why):
            self.c.add(self.line("solver"), why)
        return solver if isinstance(solver, str) else ""  # a missing solver is reported above

    def _args(self) -> _Mapping:
        args = self.merged["args"] or {}
        if not isinstance(args, dict):
            self.c.add(
                _line(self.top, "args"), "args はソルバーの引数名: 式 のマッピングで書いてください"
            )
            args = {}
        for k, v in args.items():
            _check_expr(v, f"args.{k}", _line(args, k), self.c)
        return args

    def _statement(self) -> str | None:
        """The statement template, with its fields and the ``final`` template checked."""
        statement = self.merged["statement"]
        if not isinstance(statement, str) or not statement.strip():
            self.c.add(_line(self.top, "statement"), "statement（問題文のテンプレート）が空です")
            return None
        final, final_line = self.merged.get("final"), _line(self.top, "final")
        if final is not None and not isinstance(final, str):
            self.c.add(
                final_line, "final（最後の途中式で答えを何と呼ぶか）は文字列で書いてください"
            )
        _check_template(str(final or ""), "final", final_line, final_line, self.c)
        _check_template(
            statement, "statement", self.line("statement"), _line(self.top, "statement"), self.c
        )
        return statement

    def _distractors(self) -> tuple[Distractor, ...]:
        """The level's own list replaces the top one."""
        if "distractors" not in self.own:
            return self.defaults.distractors
        return _distractors(
            self.own["distractors"],
            f"levels.{self.key}.distractors",
            _line(self.own, "distractors"),
            self.c,
        )


def _level_mapping(key: Any, lv: Any, line: int, c: _Collector) -> _Mapping | None:
    """The mapping of ``levels.<key>`` (an empty level is an empty mapping), or None."""
    if key not in (1, 2, 3):
        c.add(line, f"levels のキーは 1, 2, 3 のどれかです（{key!r}）")
        return None
    if lv is None:
        return {}
    if not isinstance(lv, dict):
        c.add(line, f"levels.{key} はマッピングで書いてください")
        return None
    return lv


def _levels(data: _Mapping, defaults: _Defaults, c: _Collector) -> dict[int, Level]:
    """Difficulties 1, 2 and 3, each read over the defaults; a missing one is reported."""
    raw = data["levels"]
    if not isinstance(raw, dict) or not raw:
        c.add(_line(data, "levels"), "levels には難易度 1〜3 ごとの設定を書いてください")
        raw = {}
    levels: dict[int, Level] = {}
    for key, lv in raw.items():
        own = _level_mapping(key, lv, _line(raw, key), c)
        level = None if own is None else _LevelReader(key, own, defaults, c).read()
        if level is not None:
            levels[key] = level
    for d in (1, 2, 3):
        if d not in levels and not any(e.message.startswith(f"levels.{d}") for e in c.errors):
            c.add(_line(data, "levels"), f"levels に難易度 {d} がありません")
    return levels


def parse_family(
    data: Any, path: str, known_sections: set[str] | None = None
) -> tuple[Family | None, list[FamilyFileError]]:
    """Validate one parsed YAML document; returns the family (or None) and the errors."""
    c = _Collector(path)
    if not isinstance(data, dict):
        c.add(1, "ファミリーのファイルは YAML のマッピング（id: ..., section: ... ）にしてください")
        return None, c.errors
    _check_top_keys(data, c)
    if c.errors:
        return None, c.errors
    identity = _Identity.parse(data, path, known_sections, c)
    defaults = _Defaults.parse(data, c)
    levels = _levels(data, defaults, c)
    catalogue = _Catalogue.parse(data, c)
    if c.errors:
        return None, c.errors
    fam = Family(
        identity.id,
        identity.section,
        identity.title,
        path,
        levels,
        catalogue.topic,
        catalogue.keywords,
        catalogue.options,
        catalogue.unordered,
        _plain(data),
    )
    return fam, []


def read_family_file(
    path: Path, known_sections: set[str] | None = None
) -> tuple[Family | None, list[FamilyFileError]]:
    """Read and validate one family file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return None, [FamilyFileError(str(path), 1, f"読めません: {exc}")]
    # Fast path: libyaml's C loader. Only a file with problems is read again with the
    # (pure-Python) line-tracking loader, so that its errors can name their lines.
    try:
        quick = load_yaml(text)
    except YamlError:
        quick = None
    if quick is not None:
        fam, errors = parse_family(quick, str(path), known_sections)
        if not errors:
            return fam, errors
    try:
        data = load_yaml(text, lines=True)
    except YamlError as exc:
        return None, [FamilyFileError(str(path), exc.line, exc.message)]
    return parse_family(data, str(path), known_sections)


def load_families(
    problems_dir: Path | str, *, strict: bool = True, known_sections: set[str] | None = None
) -> dict[str, Family]:
    """All families of ``problems_dir`` (``*.yaml``), by id.

    With ``strict`` (the default) any invalid file raises :class:`FamilyError` listing every
    problem; otherwise invalid files are skipped.
    """
    root = Path(problems_dir)
    if not root.is_dir():
        return {}
    paths = sorted(root.glob("*.y*ml"))
    # Drills and exams ask for the families often; re-read only when a file changed.
    key = (
        str(root.resolve()),
        strict,
        frozenset(known_sections or ()),
        tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in paths),
    )
    cached = _FAMILY_CACHE.get(key)
    if cached is not None:
        return dict(cached)
    families: dict[str, Family] = {}
    errors: list[FamilyFileError] = []
    for path in paths:
        fam, errs = read_family_file(path, known_sections)
        errors.extend(errs)
        if fam is not None:
            if fam.id in families:
                errors.append(
                    FamilyFileError(
                        str(path), 1, f"id {fam.id!r} が {families[fam.id].path} と重複しています"
                    )
                )
                continue
            families[fam.id] = fam
    if errors and strict:
        raise FamilyError(errors)
    _FAMILY_CACHE.clear()
    _FAMILY_CACHE[key] = dict(families)
    return families


_FAMILY_CACHE: dict[tuple[Any, ...], dict[str, Family]] = {}


def check_family_file(
    path: Path, known_sections: set[str] | None = None
) -> tuple[Family | None, list[FamilyFileError]]:
    """Validate one family file fully: its keys and expressions, then one generated problem
    per difficulty (a `where` that never holds, a solver that fails on the drawn numbers or a
    named mistake that always passes is an error here, not a crash in the drill)."""
    fam, errors = read_family_file(path, known_sections)
    if fam is None or errors:
        return fam, errors
    from gquiz.problems.generate import GenerationError, generate

    for d in sorted(fam.levels):
        try:
            generate(fam, d, 0)
        except GenerationError as exc:
            errors.append(FamilyFileError(str(path), 1, str(exc).removeprefix(f"{path}: ")))
        except Exception as exc:  # noqa: BLE001 - any failure caused by the file is reported
            errors.append(
                FamilyFileError(
                    str(path), 1, f"難易度 {d} の問題が作れません: {type(exc).__name__}: {exc}"
                )
            )
    return fam, errors


def check_families(
    problems_dir: Path | str, known_sections: set[str] | None = None
) -> list[FamilyFileError]:
    """Every problem of every family file (for a `check` command or a test)."""
    root = Path(problems_dir)
    errors: list[FamilyFileError] = []
    for path in sorted(root.glob("*.y*ml")):
        errors.extend(check_family_file(path, known_sections)[1])
    return errors
