"""Property test of the re-draw rule: no named mistake is ever graded correct.

Every family file in problems/ (found by glob, so new families are covered without
registering them) × difficulty 1, 2, 3 × SEEDS seeds. For each generated problem, every named
mistake that applies is computed again and typed as a learner would type it — as the precision
rule shows it, and at full precision — and must be refused by the public checker. The answer
text must be accepted. The seeds are split over two worker processes (CI has two cores) so the
whole test stays around a minute.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from gquiz.problems import AnswerError, check_answer, generate, load_families
from gquiz.problems.generate import format_value, full_text, named_mistakes

from .conftest import PROBLEMS

SEEDS = 500
FAMILY_IDS = sorted(p.stem for p in PROBLEMS.glob("*.yaml"))


def _typed_forms(value, kind: str, precision) -> list[str]:
    forms = [full_text(value, kind)]
    try:
        forms.append(format_value(value, kind, precision))
    except ValueError:
        pass  # not writable under the rule; the full form is still tried
    return forms


def _check_family(fid: str) -> tuple[str, list[str], int, float]:
    """All difficulties × SEEDS of one family; returns (id, failures, mistakes checked, s)."""
    families = load_families(PROBLEMS)
    fam = families[fid]
    failures: list[str] = []
    checked = 0
    start = time.perf_counter()
    for d in (1, 2, 3):
        for seed in range(SEEDS):
            p = generate(fam, d, seed)
            if not check_answer(p, p.answer_text).correct:
                failures.append(f"{p.id}: the answer text {p.answer_text!r} is refused")
            for mid, _label, value in named_mistakes(p):
                for text in _typed_forms(value, p.kind, p.precision):
                    checked += 1
                    try:
                        ok = check_answer(p, text).correct
                    except AnswerError:
                        ok = False
                    if ok:
                        failures.append(
                            f"{p.id}: named mistake {mid} typed {text!r} is accepted "
                            f"(answer {p.answer_text})"
                        )
    return fid, failures, checked, time.perf_counter() - start


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[list[str], int, float]]:
    workers = max(1, min(2, os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        out = {fid: (f, n, t) for fid, f, n, t in pool.map(_check_family, FAMILY_IDS)}
    return out


@pytest.mark.parametrize("fid", FAMILY_IDS)
def test_no_named_mistake_is_accepted(results, fid: str) -> None:
    failures, checked, _ = results[fid]
    assert not failures, failures[:10]
    assert checked > 0, f"{fid}: no named mistake was checked"
