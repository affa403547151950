"""Storage failures a learner can fix (full disk, read-only data folder), told in Japanese.

A full disk or a data folder that cannot be written is not a bug in gquiz, so it must not
end in a SQLAlchemy traceback. Every answer is committed before the next question is
shown, so when a write fails the answers already given are safe; the message says so.

:func:`storage_problem` recognises the failure from an ``OSError`` errno or from SQLite's
result text (``sqlite3`` reports SQLITE_FULL, SQLITE_READONLY, SQLITE_CANTOPEN and
SQLITE_IOERR only as messages), also when SQLAlchemy wraps it.
"""

from __future__ import annotations

import errno

__all__ = ["storage_problem"]

_FULL = "ディスクの空きがありません。空きを作ってからもう一度始めてください"
_READONLY = (
    "データの保存先に書き込めません (読み取り専用か、権限がありません)。"
    "GQUIZ_DATA_DIR か GQUIZ_DB の場所を確かめてください"
)
_IO = "データの保存先で入出力エラーが起きました。ディスクの空きと接続を確かめてください"

_SQLITE_MESSAGES = (
    ("database or disk is full", _FULL),
    ("attempt to write a readonly database", _READONLY),
    ("readonly database", _READONLY),
    ("unable to open database file", _READONLY),
    ("disk i/o error", _IO),
)
_ERRNOS = {
    errno.ENOSPC: _FULL,
    errno.EDQUOT: _FULL,
    errno.EROFS: _READONLY,
    errno.EACCES: _READONLY,
    errno.EPERM: _READONLY,
    errno.ENOTDIR: _READONLY,
    errno.EIO: _IO,
}


def storage_problem(exc: BaseException) -> str | None:
    """The Japanese cause of a storage failure, or None if ``exc`` is something else."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _ERRNOS:
            return _ERRNOS[current.errno]
        text = str(current).lower()
        for fragment, message in _SQLITE_MESSAGES:
            if fragment in text and _is_database_error(current):
                return message
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return None


def _is_database_error(exc: BaseException) -> bool:
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    return isinstance(exc, (sqlite3.Error, DBAPIError))
