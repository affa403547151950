"""Parse and check a free answer to a generated problem.

The learner's text is NFKC-normalised first (full-width digits, ``．``, ``，``, ``／`` and the
ideographic space become ASCII), Unicode minus signs become ``-``, and then read as:

* a number: ``3``, ``3.0``, ``-1.5``, ``−1.5``, ``1e-3``, ``3/4``, ``75%`` (= 0.75);
* a vector: numbers separated by commas, ``、`` or spaces, with or without brackets
  (``1, 2, 3``, ``[1 2 3]``);
* a matrix: rows separated by ``;`` or new lines (``5 20 3; 10 23 10``), or nested
  brackets (``[[1, 2], [3, 4]]``); all the cells in one line are read row by row too.

A text that cannot be read raises :class:`AnswerError` whose Japanese message says what
to type; checking never raises anything else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from gquiz.study.answers import AnswerError

__all__ = [
    "AnswerError",
    "Verdict",
    "compare",
    "normalize",
    "parse_matrix",
    "parse_number",
    "parse_vector",
]

# Minus-like characters a Japanese IME or a copy from a PDF may produce.
_MINUS = dict.fromkeys(
    map(ord, "\u2212\u2010\u2011\u2012\u2013\u2014\u2015\u30fc\uff70\ufe63"), "-"
)
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_CELL_SEP = re.compile(r"[,、\s]+")
_ROW_SEP = re.compile(r"[;\n]+")


def normalize(text: str) -> str:
    """NFKC, minus signs to ``-``, Japanese punctuation to ASCII, trimmed."""
    s = unicodedata.normalize("NFKC", text).translate(_MINUS)
    s = s.replace("、", ",").replace("。", ".").replace("；", ";").replace("\r", "")
    return s.strip()


def parse_number(text: str) -> float:
    """One number (decimal, exponent, ``a/b`` fraction or ``n%``) from already-normalised text."""
    t = text.strip().replace(" ", "")
    if not t:
        raise AnswerError("数値が空です。")
    percent = t.endswith("%")
    if percent:
        t = t[:-1]
    if "/" in t:
        num, _, den = t.partition("/")
        if not (_NUMBER.match(num) and _NUMBER.match(den)):
            raise AnswerError(f"「{text.strip()}」は分数として読めません（例: 3/4）。")
        if float(den) == 0:
            raise AnswerError("分母が 0 です。")
        value = float(Fraction(num) / Fraction(den))
    elif _NUMBER.match(t):
        value = float(t)
    else:
        raise AnswerError(
            f"「{text.strip()}」は数値として読めません（例: 3、-1.5、0.75、3/4、1e-3）。"
        )
    if not np.isfinite(value):
        raise AnswerError(f"「{text.strip()}」は有限の数値ではありません。")
    return value / 100 if percent else value


def _strip_brackets(s: str) -> str:
    return s.replace("[", " ").replace("]", " ").replace("(", " ").replace(")", " ")


def parse_vector(text: str) -> np.ndarray:
    """Numbers separated by commas, ``、``, ``;`` or spaces (brackets allowed)."""
    s = _strip_brackets(normalize(text)).replace(";", ",")
    parts = [p for p in _CELL_SEP.split(s) if p]
    if not parts:
        raise AnswerError(
            "答えが空です。数値をカンマか空白で区切って入力してください（例: 1, 2, 3）。"
        )
    return np.array([parse_number(p) for p in parts], dtype=float)


def parse_matrix(text: str) -> np.ndarray:
    """Rows separated by ``;``, new lines or ``],[``; cells by commas or spaces."""
    s = normalize(text)
    s = re.sub(r"\]\s*,?\s*\[", ";", s)
    s = _strip_brackets(s)
    rows = [r for r in (_CELL_SEP.split(row.strip()) for row in _ROW_SEP.split(s)) if any(r)]
    rows = [[c for c in r if c] for r in rows]
    if not rows:
        raise AnswerError(
            "答えが空です。行列は行を ; か改行で区切って入力してください（例: 1 2; 3 4）。"
        )
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        raise AnswerError(
            "行ごとの要素の数がそろっていません（"
            + "、".join(f"{i + 1}行目 {len(r)} 個" for i, r in enumerate(rows))
            + "）。"
        )
    return np.array([[parse_number(c) for c in r] for r in rows], dtype=float)


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


def _close(a: np.ndarray, b: np.ndarray, tol: float) -> np.ndarray:
    return np.abs(a - b) <= tol + 1e-9 * np.maximum(1.0, np.abs(b))


def _shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(map(str, shape))


def compare(
    kind: str,
    expected: Any,
    text: str,
    tolerance: float = 0.0,
    *,
    expected_text: str = "",
    options: tuple[str, ...] = (),
    unordered: bool = False,
) -> Verdict:
    """Check ``text`` against ``expected``; raises :class:`AnswerError` for unreadable input."""
    if not isinstance(text, str):
        raise AnswerError("答えを文字で入力してください。")
    norm = normalize(text)
    if not norm:
        raise AnswerError(_hint(kind, "答えが空です。", expected))
    if kind == "choice":
        given = norm.replace(" ", "").lower()
        if given.isdigit() and options and 1 <= int(given) <= len(options):
            given = options[int(given) - 1].replace(" ", "").lower()
        ok = given == normalize(str(expected)).replace(" ", "").lower()
        return Verdict(ok, float(ok), norm, expected_text or str(expected))
    if kind in ("integer", "float"):
        try:
            value = parse_number(norm)
        except AnswerError as exc:
            raise AnswerError(_hint(kind, str(exc), expected)) from None
        ok = bool(_close(np.array(value), np.array(float(expected)), tolerance))
        return Verdict(ok, float(ok), norm, expected_text)
    exp = np.asarray(expected, dtype=float)
    try:
        got = parse_vector(norm) if kind == "vector" else parse_matrix(norm)
    except AnswerError as exc:
        raise AnswerError(_hint(kind, str(exc), expected)) from None
    if kind == "vector":
        exp = exp.ravel()
        if unordered:
            # A set (e.g. the boxes NMS keeps): its size is part of the answer, so a wrong
            # count is a wrong answer, not an input error.
            given = ", ".join(_n(v) for v in got)
            if got.shape != exp.shape:
                return Verdict(False, 0.0, given, expected_text)
            ok_set = bool(np.all(_close(np.sort(got), np.sort(exp), tolerance)))
            return Verdict(ok_set, float(ok_set), given, expected_text)
        if got.shape != exp.shape:
            raise AnswerError(
                f"要素が {exp.size} 個のベクトルで答えてください（入力は {got.size} 個）。例: 1, 2, 3"
            )
        ok_cells = _close(got, exp, tolerance)
        wrong = tuple((int(i),) for i in np.flatnonzero(~ok_cells))
        score = float(ok_cells.mean())
        return Verdict(
            bool(ok_cells.all()), score, ", ".join(_n(v) for v in got), expected_text, wrong
        )
    exp = np.atleast_2d(exp)
    if got.shape != exp.shape:
        if got.size == exp.size:
            got = got.reshape(exp.shape)  # all cells typed in one line: read row by row
        elif got.shape[0] > 1:
            # A well-formed matrix of another shape is an answer (the output size is part of
            # the problem, e.g. forgetting the padding), graded wrong rather than refused.
            given = "; ".join(" ".join(_n(v) for v in row) for row in got)
            note = (
                f"形が違います（正解は {_shape_text(exp.shape)}、入力は {_shape_text(got.shape)}）"
            )
            return Verdict(False, 0.0, given, expected_text, note=note)
        else:
            raise AnswerError(
                f"{_shape_text(exp.shape)} の行列で答えてください（入力は {_shape_text(got.shape)}）。"
                "行は ; か改行で区切ります（例: 1 2; 3 4）。"
            )
    ok_cells = _close(got, exp, tolerance)
    wrong = tuple(tuple(int(v) for v in idx) for idx in np.argwhere(~ok_cells))
    marks = tuple(tuple(bool(v) for v in row) for row in ok_cells)
    given = "; ".join(" ".join(_n(v) for v in row) for row in got)
    return Verdict(bool(ok_cells.all()), float(ok_cells.mean()), given, expected_text, wrong, marks)


def _n(v: float) -> str:
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))


def _hint(kind: str, reason: str, expected: Any) -> str:
    if kind == "integer":
        how = "整数で答えてください（例: 12）。"
    elif kind == "float":
        how = "数値で答えてください（例: 0.75、3/4、-1.5）。"
    elif kind == "vector":
        how = f"{np.size(expected)} 個の数値をカンマか空白で区切って答えてください（例: 1, 2, 3）。"
    elif kind == "matrix":
        shape = _shape_text(np.shape(np.atleast_2d(expected)))
        how = f"{shape} の行列を、行は ; か改行、要素は空白かカンマで区切って答えてください（例: 1 2; 3 4）。"
    else:
        how = "答えを入力してください。"
    return f"{reason}{how}" if how not in reason else reason
