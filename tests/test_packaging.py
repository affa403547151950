"""`pip install .` must ship content/ and problems/ inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_wheel_ships_content_and_problems(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("gquiz-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "gquiz/_data/content/syllabus/keywords.tsv" in names
    assert "gquiz/_data/content/README.md" in names
    shipped_md = {n for n in names if n.startswith("gquiz/_data/content/s") and n.endswith(".md")}
    repo_md = {
        f"gquiz/_data/content/{p.relative_to(REPO / 'content').as_posix()}"
        for p in (REPO / "content").glob("s*/*.md")
    }
    assert repo_md
    assert repo_md <= shipped_md
    assert any(n.startswith("gquiz/_data/problems/") for n in names)
    assert "gquiz/tui/app.tcss" in names
