"""The SQLite file itself, with the standard library only: checks, backups, restore, probe.

Nothing here imports SQLAlchemy, so the CLI can look at the file before the TUI starts
without slowing its first paint. gquiz.bank.db builds on these for engines and migrations.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

BUSY_TIMEOUT_S = 30.0
KEEP_BACKUPS = 10
SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseProblem(Exception):
    """The database cannot be used; str() is one Japanese sentence for the learner."""


def looks_like_gquiz(tables: Iterable[str]) -> bool:
    """Whether a file's tables are gquiz's (an `alembic_version`, or 0.1.0's questions and
    attempts): callers refuse a foreign database rather than migrate or overwrite it."""
    names = set(tables)
    return "alembic_version" in names or {"questions", "attempts"} <= names


def sqlite_file(url: str) -> Path | None:
    """The file behind a `sqlite:///path` URL (None for other databases or in-memory ones)."""
    if not url.startswith("sqlite:///"):
        return None
    db = url[len("sqlite:///") :].split("?", 1)[0]
    if not db or db == ":memory:" or db.startswith("file:"):
        return None
    return Path(db)


def create_if_missing(path: Path) -> None:
    """Make a new, empty SQLite file in one step (so no process ever sees it half-made).

    SQLite itself creates a 0-byte file at connect and writes the header later; a second
    process starting at that moment would take the 0-byte file for a damaged database.
    Instead the file is prepared under a temporary name and hard-linked into place, which
    fails harmlessly when another process got there first.
    """
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("PRAGMA journal_mode=WAL")  # writes the header; WAL is kept in the file
    finally:
        conn.close()
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    except OSError:  # no hard links here (some network or FAT file systems)
        if not path.exists():
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def probe(path: Path) -> None:
    """Cheap check before opening: a 0-byte, foreign or unreadable file raises DatabaseProblem."""
    check_file(path)
    if not path.exists():
        return
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return  # locked or unreadable: the real open reports it with its own message
    except sqlite3.DatabaseError as exc:
        raise DatabaseProblem(damaged_message(path)) from exc
    if tables and not looks_like_gquiz(tables):
        raise DatabaseProblem(damaged_message(path, "gquiz のデータベースではないので"))


def damaged_message(path: Path | str, why: str = "壊れているので") -> str:
    """One sentence: which file, what is wrong, and the command that brings the data back."""
    return f"データベース {path} は{why}開けません: `gquiz db restore` で最後のバックアップに戻せます。"


def check_file(path: Path) -> None:
    """Refuse a file that cannot be a gquiz database before SQLite touches it."""
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseProblem(
            f"データベース {path} はフォルダです。ファイルの場所を指定してください。"
        )
    size = path.stat().st_size
    if size == 0:
        raise DatabaseProblem(damaged_message(path, "空 (0 バイト) なので"))
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_HEADER))
    if head != SQLITE_HEADER:
        raise DatabaseProblem(damaged_message(path, "SQLite のデータベースではないので"))


# -- backups ------------------------------------------------------------------------------------
def backups(backup_dir: Path, db_path: Path) -> list[Path]:
    """Backups of this database file, oldest first."""
    if not backup_dir.is_dir():
        return []
    return sorted(backup_dir.glob(f"{db_path.stem}-*.sqlite3"))


def backup(
    db_path: Path, backup_dir: Path, reason: str = "manual", keep: int = KEEP_BACKUPS
) -> Path:
    """Copy a live database with SQLite's online backup API; keep the newest `keep` copies."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = backup_dir / f"{db_path.stem}-{stamp}-{reason}.sqlite3"
    part = dest.with_suffix(".part")
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        dst = sqlite3.connect(part)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(part, dest)
    for old in backups(backup_dir, db_path)[:-keep]:
        old.unlink(missing_ok=True)
    return dest


def integrity(db_path: Path) -> list[str]:
    """PRAGMA integrity_check of a SQLite file: [] when it is sound, else SQLite's findings."""
    check_file(db_path)
    if not db_path.exists():
        raise DatabaseProblem(f"データベース {db_path} はありません。")
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    if rows == ["ok"]:
        if tables and not looks_like_gquiz(tables):
            return ["gquiz のテーブルがありません"]
        return []
    return rows


def restore(db_path: Path, source: Path, backup_dir: Path) -> Path | None:
    """Put `source` (a backup) in place of the database; returns where the old file went.

    A sound current database is itself backed up first; a damaged one is moved aside as
    `<name>.damaged-<time>` (with its -wal/-shm), never deleted.
    """
    problems = integrity(source)
    if problems:
        raise DatabaseProblem(f"バックアップ {source} も壊れています: {problems[0]}")
    aside: Path | None = None
    if db_path.exists():
        try:
            sound = not integrity(db_path)
        except DatabaseProblem:
            sound = False
        if sound:
            aside = backup(db_path, backup_dir, reason="before-restore")
        else:
            aside = db_path.with_name(f"{db_path.name}.damaged-{datetime.now():%Y%m%d-%H%M%S}")
            os.replace(db_path, aside)
            for suffix in ("-wal", "-shm"):
                side = db_path.with_name(db_path.name + suffix)
                if side.exists():
                    os.replace(side, aside.with_name(aside.name + suffix))
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return aside
