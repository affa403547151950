"""One trained model and one compression report per test session (training takes seconds)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def trained():
    pytest.importorskip("torch")
    from gquiz.labs.train import get_trained

    # No disk cache: the session measures a real training run, not a file from a former one.
    return get_trained(0, disk_cache=False)


@pytest.fixture(scope="session")
def report(trained):
    from gquiz.labs.compression import get_report

    return get_report(trained)  # kept in trained.extras: the CLI and TUI tests reuse it
