"""Parse and check a free answer to a generated problem.

The learner's text is NFKC-normalised first (full-width digits, ``．``, ``，``, ``／`` and the
ideographic space become ASCII), Unicode minus signs become ``-``, decimal digits of any script
(``٣``, ``३``) become ASCII digits, and then read as:

* a number: ``3``, ``3.0``, ``-1.5``, ``−1.5``, ``1e-3``, ``3/4``, ``75%`` (= 0.75, where the
  problem allows it);
* a vector: numbers separated by commas, ``、`` or spaces, with or without brackets
  (``1, 2, 3``, ``[1 2 3]``);
* a matrix: rows separated by ``;`` or new lines (``5 20 3; 10 23 10``), or nested
  brackets (``[[1, 2], [3, 4]]``); all the cells in one line are read row by row too.

A space (ASCII or U+3000) separates values and is never deleted from inside a number: ``2 4``
is two numbers, and for a one-number answer a format message. Numbers are read exactly (as
:class:`~fractions.Fraction`), so the precision rule of the problem
(:mod:`gquiz.problems.precision`) decides on the value typed, not on a float near it.

Hostile input is bounded: at most :data:`MAX_INPUT` characters, :data:`MAX_NUMBER` characters
per number and exponents up to ±:data:`MAX_EXPONENT` (``1e999999999/3`` once hung the drill
computing a 10⁹-digit integer). Other numeric characters (``፫``, ``➀``, ``Ⅳ``) are not read
as digits. A text that cannot be read raises :class:`AnswerError` whose Japanese message says
what to type; checking never raises anything else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from gquiz.problems.precision import INTEGER, Precision
from gquiz.text.errors import AnswerError

__all__ = [
    "MAX_EXPONENT",
    "MAX_INPUT",
    "MAX_NUMBER",
    "AnswerError",
    "Verdict",
    "compare",
    "normalize",
    "parse_exact",
    "parse_matrix",
    "parse_number",
    "parse_vector",
]

MAX_INPUT = 2000
"""Characters of one answer (a 6×6 matrix of decimals needs about 300)."""
MAX_NUMBER = 40
"""Characters of one number."""
MAX_EXPONENT = 400
"""Largest ``|e|`` of ``1e-3``-style numbers."""
MAX_MAGNITUDE = Fraction(10) ** 300
"""Largest absolute value (beyond it a float overflows)."""
MAX_CELLS = 400

# Minus-like characters a Japanese IME or a copy from a PDF may produce.
_MINUS = dict.fromkeys(
    map(ord, "\u2212\u2010\u2011\u2012\u2013\u2014\u2015\u30fc\uff70\ufe63"), "-"
)
_SLASH = dict.fromkeys(map(ord, "\u2044\u2215"), "/")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE]([+-]?[0-9]+))?", re.ASCII)
_CELL_SEP = re.compile(r"[,、\s]+")
_ROW_SEP = re.compile(r"[;\n]+")
_SPACED_OPS = re.compile(r"\s*/\s*")
_SPACED_PERCENT = re.compile(r"\s+%")


def _ascii_digits(s: str) -> str:
    """Decimal digits of any script (category Nd) → ASCII; everything else unchanged."""
    if s.isascii():
        return s
    out = []
    for ch in s:
        if not ch.isascii() and unicodedata.category(ch) == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        else:
            out.append(ch)
    return "".join(out)


def normalize(text: str) -> str:
    """NFKC, minus signs to ``-``, any script's digits to ASCII, Japanese punctuation, trimmed."""
    if len(text) > MAX_INPUT:
        raise AnswerError(f"入力が長すぎます（{MAX_INPUT} 文字まで）。")
    s = unicodedata.normalize("NFKC", text).translate(_MINUS).translate(_SLASH)
    s = _ascii_digits(s)
    s = s.replace("、", ",").replace("。", ".").replace("；", ";").replace("\r", "")
    return s.strip()


def _short(text: str) -> str:
    t = text.strip()
    return t if len(t) <= 24 else t[:20] + "…"


def _decimal(t: str, original: str) -> Fraction:
    if len(t) > MAX_NUMBER:
        raise AnswerError(f"「{_short(original)}」は長すぎる数値です（{MAX_NUMBER} 文字まで）。")
    m = _NUMBER.fullmatch(t)
    if not m:
        raise AnswerError(
            f"「{_short(original)}」は数値として読めません（例: 3、-1.5、0.75、3/4、1e-3）。"
        )
    if m.group(1) is not None and abs(int(m.group(1))) > MAX_EXPONENT:
        raise AnswerError(f"「{_short(original)}」は指数が大きすぎます（e±{MAX_EXPONENT} まで）。")
    return _bounded(Fraction(t), original)


def _bounded(value: Fraction, original: str) -> Fraction:
    if abs(value) > MAX_MAGNITUDE:
        raise AnswerError(f"「{_short(original)}」は大きすぎる数値です。")
    return value


def parse_exact(text: str, *, percent: bool = True) -> Fraction:
    """One number read exactly (decimal, exponent, ``a/b`` fraction or ``n%``), from normalised text.

    Spaces around ``/`` and before ``%`` are allowed; any other space inside the text means
    two values and is an :class:`AnswerError`.
    """
    t = _SPACED_PERCENT.sub("%", _SPACED_OPS.sub("/", _ascii_digits(text.strip())))
    if not t:
        raise AnswerError("数値が空です。")
    if len(t) > 2 * MAX_NUMBER + 2:
        raise AnswerError(f"「{_short(text)}」は長すぎる数値です（{MAX_NUMBER} 文字まで）。")
    if any(ch.isspace() for ch in t):
        parts = t.split()
        raise AnswerError(
            f"「{_short(text)}」は空白で区切られた {len(parts)} つの値として読まれます。"
            "数値の中に空白を入れず、1 つの数値で答えてください。"
        )
    is_percent = t.endswith("%")
    if is_percent:
        if not percent:
            raise AnswerError("この問題では % は使えません。小数か分数で答えてください。")
        t = t[:-1]
    if "/" in t:
        num, _, den = t.partition("/")
        if not num or not den or "/" in den:
            raise AnswerError(f"「{_short(text)}」は分数として読めません（例: 3/4）。")
        n, d = _decimal(num, text), _decimal(den, text)
        if d == 0:
            raise AnswerError("分母が 0 です。")
        value = _bounded(n / d, text)
    else:
        value = _decimal(t, text)
    return value / 100 if is_percent else value


def parse_number(text: str, *, percent: bool = True) -> float:
    """One number (decimal, exponent, ``a/b`` fraction or ``n%``) from already-normalised text."""
    return float(parse_exact(text, percent=percent))


def _strip_brackets(s: str) -> str:
    return s.replace("[", " ").replace("]", " ").replace("(", " ").replace(")", " ")


def _cells(parts: list[str], percent: bool) -> list[Fraction]:
    if len(parts) > MAX_CELLS:
        raise AnswerError(f"数値が多すぎます（{MAX_CELLS} 個まで）。")
    return [parse_exact(p, percent=percent) for p in parts]


def _vector_exact(text: str, percent: bool = True) -> list[Fraction]:
    s = _strip_brackets(normalize(text)).replace(";", ",")
    s = _SPACED_PERCENT.sub("%", _SPACED_OPS.sub("/", s))
    parts = [p for p in _CELL_SEP.split(s) if p]
    if not parts:
        raise AnswerError(
            "答えが空です。数値をカンマか空白で区切って入力してください（例: 1, 2, 3）。"
        )
    return _cells(parts, percent)


def _matrix_exact(text: str, percent: bool = True) -> list[list[Fraction]]:
    s = normalize(text)
    s = re.sub(r"\]\s*,?\s*\[", ";", s)
    s = _strip_brackets(s)
    s = _SPACED_PERCENT.sub("%", _SPACED_OPS.sub("/", s))
    rows = [r for r in (_CELL_SEP.split(row.strip()) for row in _ROW_SEP.split(s)) if any(r)]
    rows = [[c for c in r if c] for r in rows]
    if not rows:
        raise AnswerError(
            "答えが空です。行列は行を ; か改行で区切って入力してください（例: 1 2; 3 4）。"
        )
    if sum(len(r) for r in rows) > MAX_CELLS:
        raise AnswerError(f"数値が多すぎます（{MAX_CELLS} 個まで）。")
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        raise AnswerError(
            "行ごとの要素の数がそろっていません（"
            + "、".join(f"{i + 1}行目 {len(r)} 個" for i, r in enumerate(rows[:12]))
            + ("、…" if len(rows) > 12 else "")
            + "）。"
        )
    return [_cells(r, percent) for r in rows]


def parse_vector(text: str) -> np.ndarray:
    """Numbers separated by commas, ``、``, ``;`` or spaces (brackets allowed)."""
    return np.array([float(v) for v in _vector_exact(text)], dtype=float)


def parse_matrix(text: str) -> np.ndarray:
    """Rows separated by ``;``, new lines or ``],[``; cells by commas or spaces."""
    return np.array([[float(v) for v in r] for r in _matrix_exact(text)], dtype=float)


@dataclass(frozen=True)
class Verdict:
    """The result of checking one free answer."""

    correct: bool
    score: float
    given: str
    """The learner's answer in normal form (stored with the attempt)."""
    expected: str
    wrong_cells: tuple[tuple[int, ...], ...] = ()
    """0-based indices of wrong elements (vector) or cells (matrix)."""
    marks: tuple[tuple[bool, ...], ...] = field(default=())
    """For a matrix answer: True/False per cell, row by row."""
    note: str = ""
    """Why a readable answer is wrong as a whole (e.g. the matrix has another shape)."""

    @property
    def wrong_cells_text(self) -> str:
        """Wrong cells 1-based, ``(1,2)、(3,1)`` or ``2番目、4番目``."""
        if not self.wrong_cells:
            return ""
        if len(self.wrong_cells[0]) == 1:
            return "、".join(f"{i[0] + 1}番目" for i in self.wrong_cells)
        return "、".join("(" + ",".join(str(v + 1) for v in i) + ")" for i in self.wrong_cells)


def _shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(map(str, shape))


def _accept_cells(prec: Precision, got: list[Fraction], exp: np.ndarray) -> np.ndarray:
    return np.array(
        [prec.accepts(g, float(e)) for g, e in zip(got, exp.ravel().tolist(), strict=True)],
        dtype=bool,
    ).reshape(exp.shape)


def compare(
    kind: str,
    expected: Any,
    text: str,
    precision: Precision | None = None,
    *,
    expected_text: str = "",
    options: tuple[str, ...] = (),
    unordered: bool = False,
) -> Verdict:
    """Check ``text`` against ``expected`` under ``precision`` (default: exact integers).

    Raises :class:`AnswerError` for unreadable input; its message never tells the answer's
    size (how many boxes NMS keeps, the shape of an output matrix).
    """
    if not isinstance(text, str):
        raise AnswerError("答えを文字で入力してください。")
    prec = precision if precision is not None else INTEGER
    try:
        norm = normalize(text)
    except AnswerError as exc:
        raise AnswerError(_hint(kind, str(exc), prec, unordered)) from None
    if not norm:
        raise AnswerError(_hint(kind, "答えが空です。", prec, unordered))
    if kind == "choice":
        return _compare_choice(expected, norm, expected_text, options)
    if kind in ("integer", "float"):
        return _compare_number(kind, expected, norm, prec, expected_text)
    exp = np.asarray(expected, dtype=float)
    try:
        if kind == "vector":
            cells = _vector_exact(norm, prec.percent)
            rows = [cells]
        else:
            rows = _matrix_exact(norm, prec.percent)
            cells = [c for r in rows for c in r]
    except AnswerError as exc:
        raise AnswerError(_hint(kind, str(exc), prec, unordered)) from None
    if kind == "vector":
        return _compare_vector(exp.ravel(), cells, prec, expected_text, unordered)
    return _compare_matrix(np.atleast_2d(exp), rows, prec, expected_text)


def _compare_choice(
    expected: Any, norm: str, expected_text: str, options: tuple[str, ...]
) -> Verdict:
    """A text answer (spaces and case ignored); a number picks one of ``options``."""
    given = re.sub(r"\s+", "", norm).lower()
    if re.fullmatch(r"[1-9][0-9]?", given) and options and 1 <= int(given) <= len(options):
        given = re.sub(r"\s+", "", options[int(given) - 1]).lower()
    ok = given == re.sub(r"\s+", "", normalize(str(expected))).lower()
    return Verdict(ok, float(ok), norm, expected_text or str(expected))


def _compare_number(
    kind: str, expected: Any, norm: str, prec: Precision, expected_text: str
) -> Verdict:
    try:
        value = parse_exact(norm, percent=prec.percent)
    except AnswerError as exc:
        raise AnswerError(_hint(kind, str(exc), prec)) from None
    ok = prec.accepts(value, float(expected))
    return Verdict(ok, float(ok), norm, expected_text)


def _compare_vector(
    exp: np.ndarray, cells: list[Fraction], prec: Precision, expected_text: str, unordered: bool
) -> Verdict:
    got = np.array([float(c) for c in cells], dtype=float)
    given = ", ".join(_n(v) for v in got)
    if unordered:
        # A set (e.g. the boxes NMS keeps): its size is part of the answer, so a wrong
        # count is a wrong answer, not an input error.
        if got.shape != exp.shape:
            return Verdict(False, 0.0, given, expected_text)
        order = sorted(range(len(cells)), key=lambda i: cells[i])
        ok_set = bool(_accept_cells(prec, [cells[i] for i in order], np.sort(exp)).all())
        return Verdict(ok_set, float(ok_set), given, expected_text)
    if got.shape != exp.shape:
        raise AnswerError(
            f"要素が {exp.size} 個のベクトルで答えてください（入力は {got.size} 個）。例: 1, 2, 3"
        )
    ok_cells = _accept_cells(prec, cells, exp)
    wrong: tuple[tuple[int, ...], ...] = tuple((int(i),) for i in np.flatnonzero(~ok_cells))
    return Verdict(bool(ok_cells.all()), float(ok_cells.mean()), given, expected_text, wrong)


def _compare_matrix(
    exp: np.ndarray, rows: list[list[Fraction]], prec: Precision, expected_text: str
) -> Verdict:
    cells = [c for r in rows for c in r]
    got = np.array([float(c) for c in cells], dtype=float)
    shape = (len(rows), len(rows[0]))
    if shape != exp.shape:
        if got.size == exp.size and shape[0] == 1:
            shape = exp.shape  # all cells typed in one line: read row by row
        elif shape[0] > 1 or exp.shape[0] == 1:
            # A well-formed matrix of another shape is an answer (the output size is part of
            # the problem, e.g. forgetting the padding), graded wrong rather than refused.
            given = _matrix_text(got.reshape(shape))
            note = f"形が違います（正解は {_shape_text(exp.shape)}、入力は {_shape_text(shape)}）"
            return Verdict(False, 0.0, given, expected_text, note=note)
        else:
            raise AnswerError(
                f"行列は行を ; か改行で区切って答えてください（例: 1 2; 3 4）。入力は 1 行 {got.size} 個でした。"
            )
    ok_cells = _accept_cells(prec, cells, exp)
    wrong = tuple(tuple(int(v) for v in idx) for idx in np.argwhere(~ok_cells))
    marks = tuple(tuple(bool(v) for v in row) for row in ok_cells)
    given = _matrix_text(got.reshape(exp.shape))
    return Verdict(bool(ok_cells.all()), float(ok_cells.mean()), given, expected_text, wrong, marks)


def _matrix_text(m: np.ndarray) -> str:
    """A matrix in the syntax the learner types (``1 2; 3 4``)."""
    return "; ".join(" ".join(_n(v) for v in row) for row in m)


def _n(v: float) -> str:
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))


def _hint(kind: str, reason: str, prec: Precision, unordered: bool = False) -> str:
    """The reason plus how to type this kind of answer (never its size or shape)."""
    rule = prec.rule_ja()
    if kind in ("integer", "float"):
        how = f"{rule}で、1 つの数値を答えてください（例: 12、0.75、3/4）。"
        if prec.mode == "integer":
            how = "整数で答えてください（例: 12）。"
    elif kind == "vector":
        what = "数値" if prec.mode == "integer" else f"数値（各要素を{rule}）"
        how = f"{what}をカンマか空白で区切って答えてください（例: 1, 2, 3）。"
    elif kind == "matrix":
        how = "行列を、行は ; か改行、要素は空白かカンマで区切って答えてください（例: 1 2; 3 4）。"
    else:
        how = "答えを入力してください。"
    return f"{reason}{how}" if how not in reason else reason
