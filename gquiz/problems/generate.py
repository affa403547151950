"""Generate a problem of a family: parameters, statement, answer, worked solution, choices.

Generation is seeded: the parameters are drawn from ``numpy.random.Generator(PCG64(...))``
seeded by a :class:`numpy.random.SeedSequence` of ``(seed, difficulty, crc32(family id))`` —
never Python's ``hash()`` — so the same family, difficulty and seed give the same problem on
every machine and in every process.

No named mistake passes, by construction: every distractor whose ``when`` holds is computed for
each draw, and if one of them equals the answer or would be accepted under the stated
precision rule (typed as shown, or at full precision), the parameters are drawn again from the
same seeded generator. So a learner who made a mistake the family names is never told 「正解」.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from gquiz.engine.core import EngineError, Solution
from gquiz.problems.answers import AnswerError, Verdict, compare
from gquiz.problems.display import render_template
from gquiz.problems.expr import ExprError, evaluate
from gquiz.problems.generators import GenError, draw_param
from gquiz.problems.mistakes import MISTAKES, MistakeContext
from gquiz.problems.precision import Precision
from gquiz.problems.solve import run_solver
from gquiz.problems.spec import Distractor, Family, Level

__all__ = [
    "Choice",
    "GenerationError",
    "Problem",
    "check_answer",
    "generate",
    "named_mistakes",
    "parse_problem_id",
]

# Draws allowed before a family is declared broken (a `where:` that is almost never true,
# or a named mistake that nearly always passes under the stated rule).
MAX_DRAWS = 200
# Extra draws spent looking for a problem where three *named* mistakes give distinct values.
NAMED_RETRIES = 12
_SOLVER_ERRORS = (
    EngineError,
    ExprError,
    GenError,
    ValueError,
    TypeError,
    ArithmeticError,
    IndexError,
    KeyError,
)


class GenerationError(RuntimeError):
    """A family could not produce a problem (a bug in its file: the message says where)."""


@dataclass(frozen=True)
class Choice:
    """One of the four exam-style choices."""

    text: str
    value: Any
    correct: bool
    mistake: str | None
    """The distractor id (``None`` for the correct choice)."""
    label: str
    """Which mistake gives this value, in Japanese (``正解`` for the correct one)."""

    @property
    def key(self) -> str:
        """What the choice is, independent of its position: ``answer`` or the mistake id."""
        return "answer" if self.correct else str(self.mistake)


@dataclass(frozen=True)
class Problem:
    """A generated problem with everything needed to ask, check and explain it."""

    id: str
    family: Family
    difficulty: int
    seed: int
    params: Mapping[str, Any]
    args: Mapping[str, Any]
    statement: str
    answer: Any
    answer_text: str
    kind: str
    precision: Precision
    """The stated rule (how to answer; what the checker accepts)."""
    solution: Solution
    steps: tuple[str, ...]
    choices: tuple[Choice, ...]
    redraws: int = 0
    """Parameter draws thrown away because a named mistake would have passed (benchmarks)."""

    @property
    def family_id(self) -> str:
        return self.family.id

    @property
    def title(self) -> str:
        return self.family.title

    @property
    def correct_index(self) -> int:
        return next(i for i, c in enumerate(self.choices) if c.correct)

    @property
    def solution_md(self) -> str:
        """The worked solution as Markdown (steps, answer)."""
        return f"**正解: `{self.answer_text}`**\n\n#### 解き方\n\n" + steps_markdown(self.steps)

    @property
    def mistakes_md(self) -> str:
        """Which mistake each wrong choice represents, as a Markdown list.

        Each choice is named by its text, not its number: the study layer may show the
        choices in another order.
        """
        lines = ["#### 選択肢の誤り", ""]
        for c in self.choices:
            if not c.correct:
                lines.append(f"- `{c.text}`: {_escape(c.label)}")
        return "\n".join(lines)


def parse_problem_id(problem_id: str) -> tuple[str, int, int]:
    """``conv2d#2-17`` → ``("conv2d", 2, 17)``."""
    m = re.fullmatch(r"([a-z0-9-]+)#([123])-(\d+)", problem_id.strip())
    if not m:
        raise ValueError(
            f"問題 id {problem_id!r} は <ファミリー>#<難易度>-<シード> の形ではありません"
        )
    return m.group(1), int(m.group(2)), int(m.group(3))


def _rng(family_id: str, difficulty: int, seed: int) -> np.random.Generator:
    ss = np.random.SeedSequence([int(seed), int(difficulty), zlib.crc32(family_id.encode("utf-8"))])
    return np.random.Generator(np.random.PCG64(ss))


def format_value(value: Any, kind: str, precision: Precision) -> str:
    """A value as the rule says to write it, in the syntax the learner types back.

    ``24``; ``0.750``; ``0.25, 1.50``; ``1 2; 3 4``. Raises ValueError when the value does not
    fit the rule (a non-integer under an integer rule).
    """
    if kind == "choice":
        return str(value)
    if kind in ("integer", "float"):
        return precision.text(value)
    arr = np.asarray(value, dtype=float)
    if kind == "vector":
        return ", ".join(precision.text(v) for v in arr.ravel().tolist())
    return "; ".join(
        " ".join(precision.text(v) for v in row) for row in np.atleast_2d(arr).tolist()
    )


def full_text(value: Any, kind: str) -> str:
    """A value at full precision (how a learner who computed it exactly might type it)."""
    if kind == "choice":
        return str(value)
    if kind in ("integer", "float"):
        return f"{float(value):.15g}"
    arr = np.asarray(value, dtype=float)
    if kind == "vector":
        return ", ".join(f"{v:.15g}" for v in arr.ravel().tolist())
    return "; ".join(" ".join(f"{v:.15g}" for v in row) for row in np.atleast_2d(arr).tolist())


def _normalise(value: Any, kind: str) -> Any:
    """Bring a computed value into the answer kind's form (or raise ValueError)."""
    if value is None:
        raise ValueError("値がない")
    if kind == "choice":
        return str(value)
    if kind == "integer":
        v = float(np.asarray(value).item()) if np.ndim(value) == 0 else None
        if v is None or not math.isfinite(v) or abs(v - round(v)) > 1e-9:
            raise ValueError(f"整数の答えのはずが {value!r}")
        return int(round(v))
    if kind == "float":
        if np.ndim(value) != 0:
            raise ValueError(f"スカラーの答えのはずが {value!r}")
        v = float(np.asarray(value).item())
        if not math.isfinite(v):
            raise ValueError("有限でない")
        return v
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError("有限でない")
    if kind == "vector":
        return arr.ravel()
    if arr.ndim != 2:
        raise ValueError(f"行列の答えのはずが形 {arr.shape}")
    return arr


def _cells_pass(
    value: Any, expected: Any, kind: str, precision: Precision, full: bool, unordered: bool
) -> bool:
    """Whether ``value`` (every cell) would be accepted as ``expected`` under the rule."""
    if kind == "choice":
        return str(value).replace(" ", "").lower() == str(expected).replace(" ", "").lower()
    x = np.asarray(value, dtype=float)
    y = np.asarray(expected, dtype=float)
    if kind == "vector":
        x, y = x.ravel(), y.ravel()
        if unordered:
            x, y = np.sort(x), np.sort(y)
    elif kind == "matrix":
        x, y = np.atleast_2d(x), np.atleast_2d(y)
    if x.shape != y.shape:
        return False
    return all(
        precision.passes(a, b, full=full)
        for a, b in zip(x.ravel().tolist(), y.ravel().tolist(), strict=True)
    )


def _same(
    a: Any,
    b: Any,
    kind: str,
    precision: Precision,
    text_a: str,
    text_b: str,
    unordered: bool = False,
) -> bool:
    """Whether two choices could be confused: the same text, or one's shown text checks as
    the other."""
    if text_a == text_b:
        return True
    return _cells_pass(a, b, kind, precision, False, unordered) or _cells_pass(
        b, a, kind, precision, False, unordered
    )


def passes_as_answer(
    value: Any, answer: Any, kind: str, precision: Precision, unordered: bool = False
) -> bool:
    """Whether a mistaken value would be graded correct: equal to the answer, or accepted
    typed as the rule shows it or at full precision."""
    return _cells_pass(value, answer, kind, precision, True, unordered)


@dataclass
class _Candidate:
    value: Any
    text: str
    mistake: str
    label: str


class _Draw:
    """One attempt at a problem: parameters, answer and distractor values."""

    def __init__(self, family: Family, level: Level, rng: np.random.Generator):
        self.family = family
        self.level = level
        self.rng = rng
        self.precision = level.precision

    def params(self) -> dict[str, Any] | None:
        names: dict[str, Any] = {}
        for name, spec in self.level.params:
            names[name] = draw_param(spec, self.rng, names)
        for cond in self.level.where:
            if not evaluate(cond, names):
                return None
        return names

    def args(self, params: Mapping[str, Any]) -> dict[str, Any]:
        return {k: evaluate(v, params) for k, v in self.level.args.items()}

    def pick(self, expr: str, params: Mapping[str, Any], args: Mapping[str, Any], raw: Any) -> Any:
        names = {**args, **params, "args": args, "answer": raw}
        return _normalise(evaluate(expr, names), self.level.kind)

    def text(self, value: Any) -> str:
        return format_value(value, self.level.kind, self.precision)

    def distractor(
        self, d: Distractor, params: dict[str, Any], args: dict[str, Any], raw: Any, answer: Any
    ) -> Any:
        level = self.level
        names = {**args, **params, "args": args, "answer": raw, "correct": answer}
        if d.when is not None and not evaluate(d.when, names):
            return None
        solver = d.solver or level.solver
        new_args = dict(args)
        for k, v in d.args.items():
            new_args[k] = evaluate(v, names)
        if d.mistake is not None:
            pick = d.pick or level.answer

            def run(**changed: Any) -> Any:
                raw2 = run_solver(solver, {**new_args, **changed}).answer
                return self.pick(pick, params, new_args, raw2)

            ctx = MistakeContext(params, new_args, answer, raw, run)
            return _normalise(MISTAKES[d.mistake](ctx), level.kind)
        if d.value is not None:
            return _normalise(evaluate(d.value, {**names, "args": new_args}), level.kind)
        raw2 = run_solver(solver, new_args).answer if (d.args or d.solver) else raw
        return self.pick(d.pick or level.answer, params, new_args, raw2)


def _fill(
    picked: list[_Candidate],
    answer: Any,
    answer_text: str,
    level: Level,
    family: Family,
    draw: _Draw,
) -> list[_Candidate]:
    """Top up the named mistakes with explained perturbations until there are three."""
    picked = list(picked)
    for fid, label, value in _fallbacks(answer, level.kind, family.options):
        try:
            value = _normalise(value, level.kind)
            text = draw.text(value)
        except ValueError:
            continue
        u = family.unordered
        if _same(value, answer, level.kind, level.precision, text, answer_text, u):
            continue
        if any(_same(value, c.value, level.kind, level.precision, text, c.text, u) for c in picked):
            continue
        picked.append(_Candidate(value, text, fid, label))
        if len(picked) == 3:
            break
    return picked


def _fallbacks(answer: Any, kind: str, options: tuple[str, ...]) -> list[tuple[str, str, Any]]:
    """Explained perturbations used only when fewer than three named mistakes differ."""
    out: list[tuple[str, str, Any]] = []
    if kind == "integer":
        a = int(answer)
        out += [
            ("off-by-one-up", "1 多く数えた（端の数え間違い）", a + 1),
            ("off-by-one-down", "1 少なく数えた（端の数え間違い）", a - 1),
            ("doubled", "2 倍してしまった（片側だけのはずが両側分）", a * 2),
            ("halved", "半分にしてしまった（両側のはずが片側分）", a // 2 if a % 2 == 0 else None),
            ("off-by-two", "2 多く数えた", a + 2),
        ]
    elif kind == "float":
        x = float(answer)
        out += [
            ("times-ten", "桁を 1 つ取り違えた（10 倍）", x * 10),
            ("div-ten", "桁を 1 つ取り違えた（1/10）", x / 10),
            ("complement", "補数を取った（1 − 答え）", 1 - x),
            ("doubled", "2 倍してしまった", x * 2),
            ("halved", "半分にしてしまった", x / 2),
            ("negated", "符号を取り違えた", -x),
        ]
    elif kind == "vector":
        arr = np.asarray(answer, dtype=float)
        out += [
            ("reversed", "順序を逆にした", arr[::-1]),
            ("plus-one", "各要素を 1 ずつ多く数えた（0 始まりと 1 始まりの取り違え）", arr + 1),
            ("minus-one", "各要素を 1 ずつ少なく数えた", arr - 1),
            ("sorted", "大きさの順に並べ替えてしまった", np.sort(arr)[::-1]),
            ("negated", "符号を取り違えた", -arr),
            ("doubled", "2 倍してしまった", arr * 2),
        ]
    elif kind == "matrix":
        arr = np.asarray(answer, dtype=float)
        out += [
            ("transposed", "行と列を取り違えた（転置）", arr.T),
            ("flipped", "上下を逆に並べた", arr[::-1]),
            ("mirrored", "左右を逆に並べた", arr[:, ::-1]),
            ("plus-one", "各要素を 1 ずつ多く計算した", arr + 1),
            ("doubled", "2 倍してしまった", arr * 2),
        ]
    else:
        out += [
            (f"option-{i + 1}", "別の選択肢（よくある取り違え）", o) for i, o in enumerate(options)
        ]
        text = str(answer)
        out += [
            ("reversed", "逆の順に読んだ", text[::-1]),
            ("doubled-last", "最後の記号を重ねて数えた", text + text[-1:]),
        ]
    return [(i, label, v) for i, label, v in out if v is not None]


@dataclass
class _Solved:
    """A draw whose parameters hold and whose answer the solver computed."""

    params: dict[str, Any]
    args: dict[str, Any]
    solution: Solution
    answer: Any
    answer_text: str


@dataclass
class _Attempt:
    """A solved draw with its three wrong choices; ``named`` counts its named mistakes."""

    solved: _Solved
    picked: list[_Candidate]
    named: int


def _solve(draw: _Draw) -> _Solved | None:
    """Draw the parameters and solve; None when a ``where`` or ``require`` does not hold."""
    level = draw.level
    params = draw.params()
    if params is None:
        return None
    args = draw.args(params)
    solution = run_solver(level.solver, args)
    answer = draw.pick(level.answer, params, args, solution.answer)
    if level.require:
        names = {**args, **params, "args": args, "answer": solution.answer, "correct": answer}
        if not all(evaluate(r, names) for r in level.require):
            return None
    return _Solved(params, args, solution, answer, draw.text(answer))


def _named_choices(draw: _Draw, s: _Solved) -> tuple[list[_Candidate], Distractor | None]:
    """The distinct, showable named mistakes of a draw, or the first one that would pass as
    the answer (then the draw is of no use)."""
    level, unordered = draw.level, draw.family.unordered
    named: list[_Candidate] = []
    for d, value in _mistake_values(draw, s.params, s.args, s.solution.answer, s.answer):
        if passes_as_answer(value, s.answer, level.kind, level.precision, unordered):
            return named, d
        try:
            text = draw.text(value)
        except ValueError:
            continue  # cannot be shown under the rule, so not a choice (and it never passes)
        if any(
            _same(value, c.value, level.kind, level.precision, text, c.text, unordered)
            for c in named
        ):
            continue
        named.append(_Candidate(value, text, d.id, d.label))
    return named, None


def generate(family: Family, difficulty: int, seed: int) -> Problem:
    """The problem ``f"{family.id}#{difficulty}-{seed}"``; same inputs, same problem.

    Draws until one draw shows three named mistakes (or :data:`NAMED_RETRIES` draws have
    been tried, keeping the draw with the most); the random generator is used in the same
    order on every machine, so stored problem ids keep naming the same problem.
    """
    level = family.level(difficulty)
    seed = int(seed)
    if seed < 0:
        raise ValueError("シードは 0 以上の整数です")
    rng = _rng(family.id, level.difficulty, seed)
    draw = _Draw(family, level, rng)
    best: _Attempt | None = None
    last_error = ""
    draws = redraws = 0
    while draws < MAX_DRAWS:
        draws += 1
        try:
            solved = _solve(draw)
        except _SOLVER_ERRORS as exc:
            last_error = f"{type(exc).__name__}: {exc}"
            continue
        if solved is None:
            continue
        named, passing = _named_choices(draw, solved)
        if passing is not None:
            # A learner making this named mistake would be told 「正解」: draw again.
            last_error = f"誤答 {passing.id}（{passing.label}）が正解として通ってしまう"
            redraws += 1
            continue
        # Which three named mistakes appear varies with the seed (all of them are explained).
        picked = [named[i] for i in sorted(rng.permutation(len(named))[:3])] if named else []
        if len(picked) < 3:
            picked = _fill(picked, solved.answer, solved.answer_text, level, family, draw)
        if len(picked) < 3:
            last_error = "選択肢が 4 つそろわない"
            continue  # not even the explained perturbations give three distinct choices
        if best is None or len(named) > best.named:
            best = _Attempt(solved, picked, len(named))
        if len(named) >= 3 or draws > NAMED_RETRIES:
            break
    if best is None:
        raise GenerationError(
            f"{family.path}: 難易度 {difficulty} の問題を {MAX_DRAWS} 回試しても作れません"
            f"（where の条件か引数・誤答を見直してください。最後の理由: {last_error or 'where が成り立たない'}）"
        )
    return _problem(draw, seed, best, redraws)


def _problem(draw: _Draw, seed: int, best: _Attempt, redraws: int) -> Problem:
    """The chosen draw as a problem: the four choices shuffled, the statement, the steps."""
    family, level, s = draw.family, draw.level, best.solved
    choices = [Choice(s.answer_text, s.answer, True, None, "正解")]
    choices += [Choice(c.text, c.value, False, c.mistake, c.label) for c in best.picked]
    order = draw.rng.permutation(4)
    choices = [choices[i] for i in order]
    names = {**s.args, **s.params}
    statement = render_template(level.statement, names)
    hint = answer_hint(level.kind, level.precision, family.unordered)
    if hint:
        statement = f"{statement}\n\n{hint}"
    from gquiz.render import render_steps

    steps = tuple(render_steps(s.solution)) + (
        final_step(level, names, s.answer, s.answer_text, family.unordered),
    )
    return Problem(
        id=f"{family.id}#{level.difficulty}-{seed}",
        family=family,
        difficulty=level.difficulty,
        seed=seed,
        params=s.params,
        args=s.args,
        statement=statement,
        answer=s.answer,
        answer_text=s.answer_text,
        kind=level.kind,
        precision=level.precision,
        solution=s.solution,
        steps=steps,
        choices=tuple(choices),
        redraws=redraws,
    )


def final_step(
    level: Level, names: Mapping[str, Any], answer: Any, answer_text: str, unordered: bool
) -> str:
    """The last worked step: the asked quantity, its value, and the stated rule applied.

    ``答え: 正解率 = 0.636364 → 小数第3位まで（第4位を四捨五入）で 0.636``. The solver's steps
    before it compute the value; this line says which of them was asked and how it is written.
    """
    label = render_template(level.final, names) if level.final else "求める値"
    kind, prec = level.kind, level.precision
    if kind == "choice":
        return f"答え: {label} = {answer_text}"
    if kind in ("integer", "float"):
        full = f"{float(answer) + 0.0:.6g}"
    elif kind == "vector":
        arr = np.asarray(answer, dtype=float) + 0.0  # no "-0"
        full = ", ".join(f"{v:.6g}" for v in arr.ravel().tolist())
    else:
        rows = (np.atleast_2d(np.asarray(answer, dtype=float)) + 0.0).tolist()
        full = "; ".join(" ".join(f"{v:.6g}" for v in row) for row in rows)
    order = "（順序は問わない）" if unordered else ""
    if prec.mode == "integer" or full == answer_text:
        return f"答え: {label} = {answer_text}{order}"
    each = "各要素を" if kind in ("vector", "matrix") else ""
    return f"答え: {label} = {full} → {each}{prec.rule_ja()}で {answer_text}"


def _mistake_values(
    draw: _Draw, params: dict[str, Any], args: dict[str, Any], raw: Any, answer: Any
) -> list[tuple[Distractor, Any]]:
    """Every named mistake of this draw that applies (``when``) and computes a value."""
    out = []
    for d in draw.level.distractors:
        try:
            value = draw.distractor(d, params, args, raw, answer)
        except _SOLVER_ERRORS:
            continue
        if value is not None:
            out.append((d, value))
    return out


def named_mistakes(problem: Problem) -> list[tuple[str, str, Any]]:
    """``(id, label, value)`` of every named mistake of a generated problem (for tests)."""
    level = problem.family.level(problem.difficulty)
    draw = _Draw(problem.family, level, np.random.default_rng(0))
    params, args = dict(problem.params), dict(problem.args)
    return [
        (d.id, d.label, v)
        for d, v in _mistake_values(draw, params, args, problem.solution.answer, problem.answer)
    ]


def answer_hint(kind: str, precision: Precision, unordered: bool = False) -> str:
    """The line the statement ends with: how to type the answer, and the precision rule."""
    rule = precision.rule_ja()
    extras = []
    if precision.mode != "integer":
        extras.append("`3/4` のような分数も可")
    if precision.percent:
        extras.append("`75%` のような百分率も可")
    extra = "".join(f"{e}。" for e in extras)
    if kind == "integer":
        return "**答え方**: 整数で。"
    if kind == "float":
        return f"**答え方**: {rule}。{extra}"
    if kind == "vector":
        each = "各要素は整数で、" if precision.mode == "integer" else f"各要素を{rule}で、"
        example = "`1, 2, 3`" if precision.mode == "integer" else "`0.25, 1.50`"
        order = "順序は問いません。" if unordered else ""
        return f"**答え方**: {each}数値をカンマか空白で区切って（例: {example}）。{order}{extra}"
    if kind == "matrix":
        each = "各要素は整数" if precision.mode == "integer" else f"各要素を{rule}"
        return (
            "**答え方**: 行列は行を `;` か改行、要素を空白で区切って（例: `1 2; 3 4`）。"
            f"{each}。{extra}"
        )
    return ""


def check_answer(problem: Problem, text: str) -> Verdict:
    """Check a free answer; raises :class:`AnswerError` (Japanese message) for unreadable text."""
    return compare(
        problem.kind,
        problem.answer,
        text,
        problem.precision,
        expected_text=problem.answer_text,
        options=problem.family.options,
        unordered=problem.family.unordered,
    )


# ---------------------------------------------------------------------------
# Markdown of the worked steps
# ---------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_MATRIX_LINE = re.compile(r"^\s*\[[\s\d.,eE+\-−]*\]\s*$")


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def steps_markdown(lines: tuple[str, ...] | list[str]) -> str:
    """Step lines as Markdown: prose as list items (wraps), matrix rows as code blocks (aligned)."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if block:
            out.append("")
            out.append("```text")
            out.extend(block)
            out.append("```")
            out.append("")
            block.clear()

    for line in lines:
        if _MATRIX_LINE.match(line):
            block.append(line.rstrip())
            continue
        flush()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        prefix = "    - " if indent >= 2 else "- "
        out.append(prefix + _escape(line.strip()))
    flush()
    return "\n".join(out).strip() + "\n"


__all__ += ["AnswerError", "steps_markdown"]
