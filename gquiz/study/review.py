"""Spaced repetition with FSRS (the `fsrs` package, the scheduler Anki uses).

Every question and every drill family has a card per learner. The rating comes from the
answer: wrong → Again; right → Good, or Hard when it took much longer than the learner
usually needs (HARD_FACTOR × their median time on right answers). Fuzzing is off so the same
history always gives the same schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from gquiz.config import end_of_local_day

if TYPE_CHECKING:
    from fsrs import Scheduler
    from fsrs.card import CardDict

HARD_FACTOR = 2.0
MIN_TIMES_FOR_USUAL = 5


@dataclass(frozen=True)
class CardUpdate:
    """A card after one review: FSRS's card as a JSON-able dict (stored as is), its next due time as
    naive UTC, and the rating applied (again / hard / good)."""

    card: dict[str, Any]
    due: datetime  # naive UTC, as stored
    rating: str


@lru_cache(maxsize=1)
def _scheduler() -> Scheduler:
    from fsrs import Scheduler

    return Scheduler(enable_fuzzing=False)


def rating_for(correct: bool, elapsed_ms: int | None, usual_ms: float | None) -> str:
    """Again / Hard / Good from the answer and the time it took."""
    if not correct:
        return "again"
    if elapsed_ms is not None and usual_ms and elapsed_ms > HARD_FACTOR * usual_ms:
        return "hard"
    return "good"


def usual_time_ms(times: list[int]) -> float | None:
    """Median time of the learner's right answers; None until there are enough of them."""
    if len(times) < MIN_TIMES_FOR_USUAL:
        return None
    ordered = sorted(times)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def schedule(
    card: dict[str, Any] | None, rating: str, at: datetime, card_id: int = 1
) -> CardUpdate:
    """Apply one review to a stored card (None for a new one) and return the new state."""
    from fsrs import Card, Rating

    # The stored card is the JSON of an earlier Card.to_dict().
    current = (
        Card.from_dict(cast("CardDict", card)) if card else Card(card_id=card_id, due=_aware(at))
    )
    updated, _log = _scheduler().review_card(current, Rating[rating.capitalize()], _aware(at))
    due = updated.due.astimezone(timezone.utc).replace(tzinfo=None)
    return CardUpdate(dict(updated.to_dict()), due, rating)


def review_horizon(now: datetime, zone: tzinfo) -> datetime:
    """The one definition of 「今日の復習」 (home, review and stats share it).

    A reviewed card is due today when its due time (naive UTC) falls before the end of the
    learner's local day: for a learner in Japan, before the next midnight JST.
    """
    return end_of_local_day(now, zone)


def is_due_today(due: datetime, reviewed: bool, horizon: datetime) -> bool:
    """Whether a card belongs to 「今日の復習」; a flag alone (never reviewed) does not."""
    return reviewed and due < horizon
