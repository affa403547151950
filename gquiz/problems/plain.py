"""Plain line drill: generated problems on stdout, free answers from stdin, one line each.

Works like ``gquiz quiz --plain``: bad input gets a Japanese message and a re-prompt, end of
input ends the drill cleanly, and every answer is committed (``record_answer(mode="drill")``)
before the worked solution is shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from gquiz.problems.answers import AnswerError
from gquiz.problems.generate import Problem, check_answer, generate
from gquiz.problems.question import as_question
from gquiz.problems.spec import Family, load_families

if TYPE_CHECKING:
    from gquiz.bank.repo import Bank

__all__ = ["format_problem", "record_drill_attempt", "run_plain_drill"]


def format_problem(n: int, total: int, problem: Problem) -> str:
    """The problem as plain text (the statement's Markdown is readable as it is)."""
    head = f"[{n}/{total}] {problem.title}（難易度 {problem.difficulty}）  {problem.id}"
    return f"{head}\n{problem.statement}"


def record_drill_attempt(
    bank: Bank,
    learner_id: int,
    problem: Problem,
    *,
    correct: bool,
    answer: str,
    score: float | None,
    elapsed_ms: int | None,
) -> None:
    """Commit one drill attempt (item_kind "family", item_id = the family id) and its FSRS card."""
    from gquiz.bank.models import utcnow
    from gquiz.study.quiz import record_answer

    record_answer(
        bank,
        learner_id,
        as_question(problem),
        correct=correct,
        answer=answer,
        elapsed_ms=elapsed_ms,
        mode="drill",
        at=utcnow(),
        usual_ms=None,
        score=score,
    )


def _family(bank: Bank, family_id: str, problems_dir: Path | None) -> Family | None:
    root = Path(problems_dir) if problems_dir is not None else Path(bank.sources.problems)
    return load_families(root, strict=False).get(family_id)


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

    ``seed=None`` picks a random starting seed (shown in each problem's id, so the same
    problems can be asked again). Families are read from ``problems_dir`` (default: the
    bank's problems folder).
    """
    import random
    import sys

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
        while True:
            out("回答> ")
            line = stdin.readline()
            if not line:
                out("")
                out(f"入力が終わりました。{answered} 問の回答を保存しました。")
                _summary(answered, right, out)
                return answered
            if not line.strip():
                out("答えを入力してください（やめるときは Ctrl+D）。")
                continue
            try:
                verdict = check_answer(problem, line)
            except AnswerError as exc:
                out(str(exc))
                continue
            break
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
            partial = (
                f"（{verdict.score:.0%} のセルが正解。違うセル: {verdict.wrong_cells_text}）"
                if verdict.wrong_cells
                else ""
            )
            if verdict.note:
                partial = f"（{verdict.note}）"
            out(f"不正解{partial}\n正解は {problem.answer_text}")
        out("解き方:")
        for step in problem.steps:
            out("  " + step)
        out("")
    _summary(answered, right, out)
    return answered


def _summary(answered: int, right: int, out: Callable[[str], None]) -> None:
    if answered:
        out(f"結果: {right}/{answered} 問正解 ({right * 100 // answered}%)")
