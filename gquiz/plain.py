"""Plain line mode: questions on stdout, answers from stdin, one line each.

For scripts, pipes and screen readers: ``gquiz quiz --plain`` (bank questions, recorded
through QuizSession exactly as in the TUI) and ``gquiz drill --plain`` (generated problems,
recorded as drill attempts). Both ask through one prompt loop (:func:`ask`): bad input gets
the parser's Japanese message and a re-prompt, end of input ends the run cleanly with what
was saved, and the closing line is the same ``結果: right/n 問正解 (percent)``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from gquiz.text.errors import AnswerError
from gquiz.text.numbers import pct, percent

if TYPE_CHECKING:
    from gquiz.bank.repo import Bank, QuestionView
    from gquiz.problems.answers import Verdict
    from gquiz.problems.generate import Problem
    from gquiz.problems.spec import Family
    from gquiz.study.quiz import QuizSession

__all__ = ["ask", "format_problem", "format_question", "run_plain_drill", "run_plain_quiz"]

PROMPT = "回答> "
T = TypeVar("T")


def ask(stdin: TextIO, out: Callable[[str], None], parse: Callable[[str], T]) -> T | None:
    """Prompt until ``parse`` accepts a line (it raises AnswerError to re-ask); None at end of input."""
    while True:
        out(PROMPT)
        line = stdin.readline()
        if not line:
            out("")
            return None
        try:
            return parse(line)
        except AnswerError as exc:
            out(str(exc))


def _ended(answered: int, right: int, out: Callable[[str], None]) -> int:
    """What end of input prints: how many answers were saved, then the summary."""
    out(f"入力が終わりました。{answered} 問の回答を保存しました。")
    _summary(answered, right, out)
    return answered


def _summary(answered: int, right: int, out: Callable[[str], None]) -> None:
    if answered:
        out(f"結果: {right}/{answered} 問正解 ({percent(right, answered)})")


# -- bank questions ---------------------------------------------------------------------------


def format_question(n: int, total: int, q: QuestionView) -> str:
    """A bank question as numbered lines (choices 1..n, and how many to pick when two)."""
    lines = [f"[{n}/{total}] {q.id}", q.stem, ""]
    if q.n_correct > 1:
        lines.append(f"({q.n_correct}つ選んでください。番号をカンマで区切って入力)")
    for i, choice in enumerate(q.choices, start=1):
        lines.append(f"  {i}. {choice.text}")
    return "\n".join(lines)


def run_plain_quiz(
    session: QuizSession,
    stdin: TextIO,
    out: Callable[[str], None],
) -> int:
    """Ask every question; returns the number answered."""
    from gquiz.study.answers import format_choice_answer, parse_choice_answer

    total = len(session.questions)
    if not total:
        out("問題がありません。--topic / --section の指定を確かめてください。")
        return 0
    while not session.finished:
        q = session.current
        assert q is not None
        out(format_question(session.index + 1, total, q))
        session.shown()
        parse = partial(parse_choice_answer, n_choices=len(q.choices), n_correct=q.n_correct)
        picks = ask(stdin, out, parse)
        if picks is None:
            return _ended(session.index, session.n_correct, out)
        graded = session.answer(picks)
        right = format_choice_answer(q.correct_positions)
        out("正解" if graded.correct else f"不正解 (正解は {right})")
        out("解説: " + q.explanation)
        out("")
    _summary(len(session.results), session.n_correct, out)
    return session.index


# -- generated problems -----------------------------------------------------------------------


def format_problem(n: int, total: int, problem: Problem) -> str:
    """The problem as plain text (the statement's Markdown is readable as it is)."""
    head = f"[{n}/{total}] {problem.title}（難易度 {problem.difficulty}）  {problem.id}"
    return f"{head}\n{problem.statement}"


def _family(bank: Bank, family_id: str, problems_dir: Path | None) -> Family | None:
    from gquiz.problems.spec import load_families

    root = Path(problems_dir) if problems_dir is not None else Path(bank.sources.problems)
    return load_families(root, strict=False).get(family_id)


def _check_free_answer(problem: Problem, line: str) -> Verdict:
    from gquiz.problems.generate import check_answer

    if not line.strip():
        raise AnswerError("答えを入力してください（やめるときは Ctrl+D）。")
    return check_answer(problem, line)


def run_plain_drill(
    bank: Bank,
    learner_id: int,
    family_id: str,
    difficulty: int = 1,
    seed: int | None = 0,
    count: int = 5,
    stdin: TextIO | None = None,
    out: Callable[[str], None] = print,
    *,
    problems_dir: Path | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Ask ``count`` problems of ``family_id`` (seeds ``seed``, ``seed + 1``, ...); returns how many were answered.

    Every answer is committed (``record_drill_attempt``) before the worked solution is
    shown. ``seed=None`` picks a random starting seed (shown in each problem's id, so the same
    problems can be asked again). Families are read from ``problems_dir`` (default: the
    bank's problems folder).
    """
    import random
    import sys

    from gquiz.problems.generate import generate
    from gquiz.study.generated import record_drill_attempt

    if seed is None:
        seed = random.SystemRandom().randrange(1_000_000)
    stdin = stdin if stdin is not None else sys.stdin
    family = _family(bank, family_id, problems_dir)
    if family is None:
        out(f"問題ファミリー「{family_id}」がありません。")
        return 0
    if difficulty not in family.levels:
        out(f"難易度は 1〜3 で指定してください（{difficulty}）。")
        return 0
    answered = right = 0
    for i in range(count):
        problem = generate(family, difficulty, seed + i)
        out(format_problem(i + 1, count, problem))
        started = clock()
        verdict = ask(stdin, out, partial(_check_free_answer, problem))
        if verdict is None:
            return _ended(answered, right, out)
        elapsed = int((clock() - started) * 1000)
        record_drill_attempt(
            bank,
            learner_id,
            problem,
            correct=verdict.correct,
            answer=verdict.given,
            score=verdict.score,
            elapsed_ms=elapsed,
        )
        answered += 1
        right += verdict.correct
        if verdict.correct:
            out("正解")
        else:
            detail = (
                f"（{pct(verdict.score)} のセルが正解。違うセル: {verdict.wrong_cells_text}）"
                if verdict.wrong_cells
                else ""
            )
            if verdict.note:
                detail = f"（{verdict.note}）"
            out(f"不正解{detail}\n正解は {problem.answer_text}")
        out("解き方:")
        for step in problem.steps:
            out("  " + step)
        out("")
    _summary(answered, right, out)
    return answered
