"""Worked steps solve the question asked: the last step is the answer, computed before it.

For every family file × difficulty × 10 seeds: the last step names the asked quantity and ends
with the answer as the precision rule writes it, and every value of the answer (each element of
a vector or matrix) appears, to the 4 significant digits the steps show, in the steps before it
— so the answer is computed by the steps, not only restated at the end.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from gquiz.problems import check_answer, generate

from .conftest import PROBLEMS

FAMILY_IDS = sorted(p.stem for p in PROBLEMS.glob("*.yaml"))
_NUM = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def _numbers(lines) -> np.ndarray:
    found: list[float] = []
    for line in lines:
        found += [float(x) for x in _NUM.findall(line.replace("−", "-"))]
    return np.array(found)


@pytest.mark.parametrize("fid", FAMILY_IDS)
def test_the_last_step_is_the_answer_and_the_steps_compute_it(families, fid: str) -> None:
    for d in (1, 2, 3):
        for seed in range(10):
            p = generate(families[fid], d, seed)
            last = p.steps[-1]
            assert last.startswith("答え: "), (p.id, last)
            shown = last.removesuffix("（順序は問わない）")
            assert shown.endswith(" " + p.answer_text), (p.id, last)
            assert check_answer(p, p.answer_text).correct
            body = p.steps[:-1]
            assert body, p.id
            if p.kind == "choice":
                assert any(p.answer in line for line in body), (p.id, body)
                continue
            values = _numbers(body)
            for a in np.asarray(p.answer, dtype=float).ravel():
                assert np.any(np.abs(values - a) <= 5e-4 * abs(a) + 1e-9), (p.id, a, body[-3:])


def test_the_asked_quantity_is_named(families) -> None:
    p = generate(families["metrics"], 1, 0)
    assert p.steps[-1].startswith(f"答え: {p.params['ask'][1]} = ")
    p = generate(families["backprop"], 1, 0)
    assert p.steps[-1].startswith(f"答え: ∂f/∂{p.params['wrt']} = ")
