"""Attempts and accuracy per section and per topic (the study-engine layer extends this)."""

from __future__ import annotations

from typing import Any

from gquiz.bank.repo import Bank


def _acc(correct: int, attempts: int) -> float | None:
    return round(correct / attempts, 4) if attempts else None


def basic_stats(bank: Bank, learner_id: int) -> dict[str, Any]:
    """Per 大項目, per 中項目 and per topic: questions, attempts, correct, accuracy."""
    majors = bank.overview(learner_id)
    out: dict[str, Any] = {"majors": [], "sections": [], "topics": []}
    for m in majors:
        out["majors"].append(
            {
                "id": m.id,
                "title": m.title,
                "questions": m.n_questions,
                "attempts": m.attempts,
                "correct": m.correct,
                "accuracy": _acc(m.correct, m.attempts),
            }
        )
        for s in m.sections:
            out["sections"].append(
                {
                    "id": s.id,
                    "title": s.title,
                    "questions": s.n_questions,
                    "attempts": s.attempts,
                    "correct": s.correct,
                    "accuracy": _acc(s.correct, s.attempts),
                }
            )
            for t in s.topics:
                out["topics"].append(
                    {
                        "slug": t.slug,
                        "section": s.id,
                        "title": t.title,
                        "questions": t.n_questions,
                        "attempts": t.attempts,
                        "correct": t.correct,
                        "accuracy": _acc(t.correct, t.attempts),
                    }
                )
    total_attempts = sum(m["attempts"] for m in out["majors"])
    total_correct = sum(m["correct"] for m in out["majors"])
    out["total"] = {
        "attempts": total_attempts,
        "correct": total_correct,
        "accuracy": _acc(total_correct, total_attempts),
    }
    return out
