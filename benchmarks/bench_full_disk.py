"""A disk that fills up during a plain-mode quiz, for real: python benchmarks/bench_full_disk.py

Needs root (it mounts a 40 MB tmpfs as the data folder; prints why not otherwise). Run with
PYTHONPATH pointing at the tree to measure (/work/main for "before"). It builds the bank on
the tmpfs, starts `gquiz quiz --plain`, answers 3 questions, fills the disk, answers 3 more,
then frees the disk and counts the attempts stored. Printed: whether a traceback appeared,
the last lines the learner saw, and answers acknowledged vs stored (must be equal).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def main() -> None:
    if os.geteuid() != 0:
        print("needs root (mounts a tmpfs)")
        return
    mnt = Path(tempfile.mkdtemp())
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mnt)], check=True)
    try:
        run(mnt)
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def run(mnt: Path) -> None:
    cwd = tempfile.mkdtemp()  # `-m gquiz` must not pick up a gquiz from the current folder
    env = {**os.environ, "GQUIZ_DATA_DIR": str(mnt), "GQUIZ_LEARNER": "disk"}
    subprocess.run([sys.executable, "-m", "gquiz", "bank", "build"], env=env, cwd=cwd, check=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gquiz", "quiz", "--plain", "--count", "10"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=cwd,
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()

    def verdicts() -> int:
        return sum(1 for ln in list(lines) if ln.startswith(("正解", "不正解")))

    def answer(n: int) -> None:
        for _ in range(n):
            want = verdicts() + 1
            proc.stdin.write("1\n")  # type: ignore[union-attr]
            proc.stdin.flush()  # type: ignore[union-attr]
            deadline = time.time() + 600  # a loaded machine starts slowly
            while verdicts() < want and proc.poll() is None and time.time() < deadline:
                time.sleep(0.05)

    answer(3)
    filler = mnt / "filler"
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * (1 << 20))
        except OSError:
            pass
    try:
        answer(3)
        proc.stdin.close()
    except BrokenPipeError:
        pass
    proc.wait(timeout=120)
    reader.join(timeout=5)
    filler.unlink()
    with contextlib.closing(sqlite3.connect(mnt / "gquiz.sqlite3")) as conn:
        stored = conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
    text = "".join(lines)
    print(f"exit status {proc.returncode}; traceback: {'Traceback' in text}")
    print("last lines: " + " | ".join(ln.strip() for ln in lines[-3:]))
    print(f"answers acknowledged (正解/不正解 shown): {verdicts()}, attempts stored: {stored}")


if __name__ == "__main__":
    main()
