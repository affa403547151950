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

import yaml

from gquiz.problems.expr import ExprError, compile_expr
from gquiz.problems.precision import Precision, PrecisionSpecError, parse_precision

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


@dataclass(frozen=True)
class FamilyFileError:
    """One problem in a family file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class FamilyError(ValueError):
    """One or more family files are invalid; ``errors`` lists them."""

    def __init__(self, errors: list[FamilyFileError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


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


class _LineDict(dict[Any, Any]):
    """A mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 1
    key_lines: dict[Any, int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    out = _LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line(d: Any, key: Any = None) -> int:
    if isinstance(d, _LineDict):
        if key is not None and key in d.key_lines:
            return d.key_lines[key]
        return d.line
    return 1


def _plain(obj: Any) -> Any:
    """Line-tracking dicts back to plain dicts (for storing the spec)."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


# ---------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------


class _Collector:
    def __init__(self, path: str):
        self.path = path
        self.errors: list[FamilyFileError] = []

    def add(self, line: int, message: str) -> None:
        self.errors.append(FamilyFileError(self.path, line, message))


def _check_expr(text: Any, where: str, line: int, c: _Collector) -> None:
    if isinstance(text, str):
        try:
            compile_expr(text)
        except ExprError as exc:
            c.add(line, f"{where}: {exc}")


def _check_params(params: Any, where: str, line: int, c: _Collector) -> list[tuple[str, Any]]:
    from gquiz.problems.generators import HELPERS, KINDS

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
        if isinstance(spec, dict):
            kinds = [k for k in KINDS if k in spec]
            if len(kinds) != 1:
                c.add(ln, f"{where}.{name}: 生成方法を 1 つ指定してください（{', '.join(KINDS)}）")
                continue
            kind = kinds[0]
            if kind in ("int", "float") and not (
                isinstance(spec[kind], list) and len(spec[kind]) == 2
            ):
                c.add(ln, f"{where}.{name}: {kind}: には [最小, 最大] を指定してください")
            if kind == "float" and "step" not in spec:
                c.add(ln, f"{where}.{name}: float: には step（刻み）が必要です")
            if kind in ("vector", "matrix") and "range" not in spec:
                c.add(ln, f"{where}.{name}: {kind}: には range: [最小, 最大] が必要です")
            if kind == "gen" and spec["gen"] not in HELPERS:
                c.add(
                    ln,
                    f"{where}.{name}: 生成ヘルパー {spec['gen']!r} はありません（使えるもの: {', '.join(sorted(HELPERS))}）",
                )
            if kind == "expr":
                _check_expr(spec["expr"], f"{where}.{name}", ln, c)
        elif isinstance(spec, str):
            _check_expr(spec, f"{where}.{name}", ln, c)
        out.append((name, spec))
    return out


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


def _distractors(items: Any, where: str, line: int, c: _Collector) -> tuple[Distractor, ...]:
    from gquiz.problems.mistakes import MISTAKES

    if items is None:
        return ()
    if not isinstance(items, list):
        c.add(line, f"{where} は誤答のリストで書いてください")
        return ()
    out = []
    seen: set[str] = set()
    for item in items:
        ln = _line(item)
        if not isinstance(item, dict):
            c.add(ln, f"{where} の各項目は id, label を持つマッピングにしてください")
            continue
        unknown = set(item) - _DISTRACTOR_KEYS
        if unknown:
            c.add(
                ln,
                f"{where}: 不明なキー {', '.join(sorted(map(str, unknown)))}（使えるのは {', '.join(sorted(_DISTRACTOR_KEYS))}）",
            )
        did, label = item.get("id"), item.get("label")
        if not isinstance(did, str) or not _ID_RE.match(did):
            c.add(ln, f"{where}: 誤答の id {did!r} は英小文字・数字・- で書いてください")
            continue
        if did in seen:
            c.add(ln, f"{where}: 誤答の id {did!r} が重複しています")
        seen.add(did)
        if not isinstance(label, str) or not label.strip():
            c.add(
                _line(item, "label") if "label" in item else ln,
                f"{where}.{did}: label（どんな間違いかの日本語の説明）が必要です",
            )
            continue
        ways = [k for k in ("args", "mistake", "value") if k in item]
        if not ways and "solver" not in item and "pick" not in item:
            c.add(
                ln,
                f"{where}.{did}: 誤答の求め方（args / solver / pick / mistake / value）がありません",
            )
        if "mistake" in item and item["mistake"] not in MISTAKES:
            c.add(
                _line(item, "mistake"),
                f"{where}.{did}: 誤答関数 {item['mistake']!r} は gquiz/problems/mistakes.py にありません",
            )
        if "value" in item and "mistake" in item:
            c.add(ln, f"{where}.{did}: value と mistake は同時に指定できません")
        args = item.get("args") or {}
        if not isinstance(args, dict):
            c.add(_line(item, "args"), f"{where}.{did}: args はマッピングで書いてください")
            args = {}
        for k, v in args.items():
            _check_expr(v, f"{where}.{did}.args.{k}", _line(args, k), c)
        for key in ("pick", "value", "when"):
            _check_expr(item.get(key), f"{where}.{did}.{key}", _line(item, key), c)
        if item.get("solver") is not None:
            why = _solver_error(item["solver"])
            if why:
                c.add(_line(item, "solver"), f"{where}.{did}: {why}")
        out.append(
            Distractor(
                did,
                label.strip(),
                _plain(args),
                item.get("solver"),
                item.get("pick"),
                item.get("mistake"),
                item.get("value"),
                item.get("when"),
            )
        )
    return tuple(out)


def parse_family(
    data: Any, path: str, known_sections: set[str] | None = None
) -> tuple[Family | None, list[FamilyFileError]]:
    """Validate one parsed YAML document; returns the family (or None) and the errors."""
    c = _Collector(path)
    if not isinstance(data, dict):
        c.add(1, "ファミリーのファイルは YAML のマッピング（id: ..., section: ... ）にしてください")
        return None, c.errors
    for key in data:
        if key in _RETIRED_KEYS:
            c.add(_line(data, key), _RETIRED_KEYS[key])
        elif key not in _TOP_KEYS:
            c.add(
                _line(data, key), f"不明なキー {key!r}（使えるのは {', '.join(sorted(_TOP_KEYS))}）"
            )
    for key in ("id", "section", "title", "solver", "kind", "statement", "levels"):
        if key not in data:
            c.add(1, f"{key} がありません")
    if c.errors:
        return None, c.errors
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
    if not isinstance(data["title"], str) or not data["title"].strip():
        c.add(_line(data, "title"), "title（日本語の題名）が空です")
    base_params = _check_params(data.get("params"), "params", _line(data, "params"), c)
    base_where = data.get("where") or []
    if not isinstance(base_where, list):
        c.add(_line(data, "where"), "where は条件式のリストで書いてください")
        base_where = []
    for w in base_where:
        _check_expr(w, "where", _line(data, "where"), c)
    base_distractors = _distractors(
        data.get("distractors"), "distractors", _line(data, "distractors"), c
    )
    levels_raw = data["levels"]
    levels: dict[int, Level] = {}
    if not isinstance(levels_raw, dict) or not levels_raw:
        c.add(_line(data, "levels"), "levels には難易度 1〜3 ごとの設定を書いてください")
        levels_raw = {}
    for key, lv in levels_raw.items():
        ln = _line(levels_raw, key)
        if key not in (1, 2, 3):
            c.add(ln, f"levels のキーは 1, 2, 3 のどれかです（{key!r}）")
            continue
        if lv is None:
            lv = {}
        if not isinstance(lv, dict):
            c.add(ln, f"levels.{key} はマッピングで書いてください")
            continue
        for k in lv:
            if k in _RETIRED_KEYS:
                c.add(_line(lv, k), f"levels.{key}: {_RETIRED_KEYS[k]}")
            elif k not in _LEVEL_KEYS:
                c.add(
                    _line(lv, k),
                    f"levels.{key}: 不明なキー {k!r}（使えるのは {', '.join(sorted(_LEVEL_KEYS))}）",
                )
        merged = {
            k: data.get(k)
            for k in (
                "statement",
                "args",
                "answer",
                "solver",
                "kind",
                "precision",
                "final",
                "note",
            )
        }
        merged.update({k: v for k, v in lv.items() if k in merged})
        params = list(base_params)
        own = _check_params(lv.get("params"), f"levels.{key}.params", _line(lv, "params"), c)
        names = [n for n, _ in params]
        for name, spec in own:
            if name in names:
                params[names.index(name)] = (name, spec)
            else:
                params.append((name, spec))
                names.append(name)
        where = list(base_where) + list(lv.get("where") or [])
        require = list(data.get("require") or []) + list(lv.get("require") or [])
        for r in require:
            _check_expr(r, f"levels.{key}.require", _line(lv, "require"), c)
        for w in lv.get("where") or []:
            _check_expr(w, f"levels.{key}.where", _line(lv, "where"), c)
        kind = merged["kind"]
        if kind not in ANSWER_KINDS:
            c.add(
                _line(lv, "kind") if "kind" in lv else _line(data, "kind"),
                f"kind {kind!r} は {', '.join(ANSWER_KINDS)} のどれかです",
            )
            continue
        pline = _line(lv, "precision") if "precision" in lv else _line(data, "precision")
        try:
            prec = parse_precision(merged["precision"])
        except PrecisionSpecError as exc:
            c.add(pline, f"levels.{key}: {exc}")
            continue
        if kind == "float" and prec.mode == "integer" and merged["precision"] is None:
            c.add(
                _line(data, "kind"),
                f"levels.{key}: 小数の答え (kind: float) には precision（答え方: "
                "{decimals: 3} = 小数第3位まで、{significant: 3} = 有効数字3桁、exact = 正確な値）が必要です",
            )
            continue
        if kind == "integer" and prec.mode != "integer":
            c.add(
                pline, f"levels.{key}: 整数の答え (kind: integer) の precision は integer だけです"
            )
            continue
        if kind == "choice" and merged["precision"] is not None:
            c.add(pline, f"levels.{key}: 文字の答え (kind: choice) に precision は書けません")
            continue
        solver = merged["solver"]
        why = _solver_error(solver)
        if why and not any(e.message == why for e in c.errors):
            c.add(_line(lv, "solver") if "solver" in lv else _line(data, "solver"), why)
        args = merged["args"] or {}
        if not isinstance(args, dict):
            c.add(_line(data, "args"), "args はソルバーの引数名: 式 のマッピングで書いてください")
            args = {}
        for k, v in args.items():
            _check_expr(v, f"args.{k}", _line(args, k), c)
        answer = merged["answer"] or "answer"
        _check_expr(answer, "answer", _line(data, "answer"), c)
        statement = merged["statement"]
        if not isinstance(statement, str) or not statement.strip():
            c.add(_line(data, "statement"), "statement（問題文のテンプレート）が空です")
            continue
        from gquiz.problems.display import template_fields

        final = merged.get("final")
        if final is not None and not isinstance(final, str):
            c.add(
                _line(data, "final"),
                "final（最後の途中式で答えを何と呼ぶか）は文字列で書いてください",
            )
        try:
            for expr_text, _ in template_fields(str(final or "")):
                _check_expr(expr_text, "final", _line(data, "final"), c)
        except ValueError as exc:
            c.add(_line(data, "final"), f"final: {exc}")
        try:
            for expr_text, _ in template_fields(statement):
                _check_expr(
                    expr_text,
                    "statement",
                    _line(lv, "statement") if "statement" in lv else _line(data, "statement"),
                    c,
                )
        except ValueError as exc:
            c.add(_line(data, "statement"), f"statement: {exc}")
        dis = (
            _distractors(
                lv["distractors"], f"levels.{key}.distractors", _line(lv, "distractors"), c
            )
            if "distractors" in lv
            else base_distractors
        )
        levels[key] = Level(
            key,
            tuple(params),
            tuple(str(w) for w in where),
            statement,
            _plain(args),
            str(answer),
            solver if isinstance(solver, str) else "",  # a missing solver is an error in c
            kind,
            prec,
            dis,
            str(merged.get("note") or ""),
            tuple(str(r) for r in require),
            str(merged.get("final") or ""),
        )
    for d in (1, 2, 3):
        if d not in levels and not any(e.message.startswith(f"levels.{d}") for e in c.errors):
            c.add(_line(data, "levels"), f"levels に難易度 {d} がありません")
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
    if c.errors:
        return None, c.errors
    fam = Family(
        fid,
        section,
        data["title"].strip(),
        path,
        levels,
        topic,
        tuple(str(k) for k in keywords),
        tuple(str(o) for o in options),
        bool(data.get("unordered", False)),
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
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            quick = yaml.load(text, Loader=fast)  # noqa: S506 - the safe loader
        except yaml.YAMLError:
            quick = None
        if quick is not None:
            fam, errors = parse_family(quick, str(path), known_sections)
            if not errors:
                return fam, errors
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [
            FamilyFileError(
                str(path), (mark.line + 1) if mark else 1, f"YAML が読めません: {problem}"
            )
        ]
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
