"""A throwaway PostgreSQL server for the tests that must hold for PostgreSQL too.

Started once per test session when the PostgreSQL server programs (initdb, pg_ctl) and the
psycopg driver are installed; the tests that use it are skipped otherwise. The cluster lives
in a temporary folder, listens only on a Unix socket there, and trusts local connections.
PostgreSQL refuses to run as root, so as root the server runs as `nobody`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for root in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (root / name).exists():
            return str(root / name)
    return None


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("PostgreSQL needs a non-root user and runuser is missing")
    return [runuser, "-u", "nobody", "--", *cmd]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Path]:
    """The socket folder of a running server (superuser `gquiz`, trust authentication)."""
    initdb, pg_ctl = _tool("initdb"), _tool("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server programs not installed")
    pytest.importorskip("psycopg")
    root = Path(tempfile.mkdtemp(prefix="gquiz-pg-"))
    os.chmod(root, 0o777)
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "nobody")
    run = lambda cmd: subprocess.run(  # noqa: E731
        _as_server_user(cmd), check=True, capture_output=True, text=True, timeout=120
    )
    try:
        run([initdb, "-D", str(data), "-A", "trust", "-U", "gquiz", "--no-sync", "-E", "UTF8"])
        _start(run, pg_ctl, data, root)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"PostgreSQL did not start: {getattr(exc, 'stderr', '')!s:.300}")
    try:
        yield root
    finally:
        subprocess.run(
            _as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


def _start(run, pg_ctl: str, data: Path, root: Path) -> None:  # type: ignore[no-untyped-def]
    run(
        [
            pg_ctl,
            "-D",
            str(data),
            "-l",
            str(root / "log.txt"),
            "-w",
            "-o",
            f"-k {root} -c listen_addresses='' -c fsync=off -c max_connections=120",
            "start",
        ]
    )


@pytest.fixture
def pg_url(pg_server: Path, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database on the test server for one test."""
    import psycopg

    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name)[:50].lower()
    with psycopg.connect(f"host={pg_server} user=gquiz dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://gquiz@/{name}?host={pg_server}"
