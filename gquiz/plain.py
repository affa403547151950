"""Plain line mode: questions on stdout, answers from stdin, one line each.

For scripts, pipes and screen readers. Attempts are recorded exactly as in the TUI (through
QuizSession). Bad input gets a message and a re-prompt; end of input ends the quiz cleanly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from gquiz.bank.repo import QuestionView
from gquiz.study.answers import AnswerError, format_choice_answer, parse_choice_answer
from gquiz.study.quiz import QuizSession


def format_question(n: int, total: int, q: QuestionView) -> str:
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
    total = len(session.questions)
    if not total:
        out("問題がありません。--topic / --section の指定を確かめてください。")
        return 0
    while not session.finished:
        q = session.current
        assert q is not None
        out(format_question(session.index + 1, total, q))
        session.shown()
        while True:
            out("回答> ")
            line = stdin.readline()
            if not line:
                out("")
                out(f"入力が終わりました。{session.index} 問の回答を保存しました。")
                _summary(session, out)
                return session.index
            try:
                picks = parse_choice_answer(line, len(q.choices), q.n_correct)
            except AnswerError as exc:
                out(str(exc))
                continue
            break
        graded = session.answer(picks)
        right = format_choice_answer(q.correct_positions)
        out("正解" if graded.correct else f"不正解 (正解は {right})")
        out("解説: " + q.explanation)
        out("")
    _summary(session, out)
    return session.index


def _summary(session: QuizSession, out: Callable[[str], None]) -> None:
    if session.results:
        n = len(session.results)
        out(f"結果: {session.n_correct}/{n} 問正解 ({session.n_correct * 100 // n}%)")
