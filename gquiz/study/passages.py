"""Blanks of one passage are asked one after another, in the order of their labels.

A learner reads a passage once and fills （ア）（イ）（ウ）… in turn, as on the real exam; asked
apart or out of order, the explanation of one blank would give away a blank still to come.
The order is the labels' (ア, イ, ウ, エ, オ …), not the alphabetical order of the ids'
suffixes (a, e, i, o, u), which would put （エ） before （イ）.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import TypeVar

from gquiz.bank.content import BLANK_SUFFIX

T = TypeVar("T")

_RANK_OF_SUFFIX = {suffix: rank for rank, suffix in enumerate(BLANK_SUFFIX.values())}


def blank_rank(question_id: str) -> int:
    """The position of a blank in its passage, read from its id (`<passage>-<suffix>`)."""
    return _RANK_OF_SUFFIX.get(question_id.rsplit("-", 1)[-1], len(_RANK_OF_SUFFIX))


def together(
    items: Sequence[T], passage_of: Callable[[T], str | None], id_of: Callable[[T], str]
) -> list[T]:
    """The items in their order, except that the blanks of a passage follow each other in
    label order where the first of them stands."""
    groups: dict[str, list[T]] = defaultdict(list)
    for it in items:
        if (pid := passage_of(it)) is not None:
            groups[pid].append(it)
    out: list[T] = []
    placed: set[str] = set()
    for it in items:
        pid = passage_of(it)
        if pid is None:
            out.append(it)
        elif pid not in placed:
            placed.add(pid)
            out.extend(sorted(groups[pid], key=lambda x: blank_rank(id_of(x))))
    return out
