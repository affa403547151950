"""Where gquiz keeps its data and finds its content.

Every location can be overridden by an environment variable so tests and study groups can
point gquiz anywhere; directories are created on access, never at import time.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "gquiz"
_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The per-user data directory (created on access); `GQUIZ_DATA_DIR` overrides it."""
    override = os.environ.get("GQUIZ_DATA_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_url() -> str:
    """`GQUIZ_DB` if set, else an embedded SQLite file in the data directory."""
    url = os.environ.get("GQUIZ_DB")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'gquiz.sqlite3'}"


def _bundled(name: str) -> Path:
    # An installed wheel carries content/ and problems/ under gquiz/_data (see pyproject's
    # force-include); a source checkout or editable install has them beside the package.
    shipped = _PACKAGE_DIR / "_data" / name
    if shipped.is_dir():
        return shipped
    return _PACKAGE_DIR.parent / name


def content_dir() -> Path:
    """The content/ directory: `GQUIZ_CONTENT` overrides it."""
    override = os.environ.get("GQUIZ_CONTENT")
    return Path(override) if override else _bundled("content")


def shipped_syllabus() -> Path:
    """keywords.tsv as shipped with gquiz, whatever GQUIZ_CONTENT says."""
    return _bundled("content") / "syllabus" / "keywords.tsv"


def problems_dir() -> Path:
    """The problems/ directory: `GQUIZ_PROBLEMS` overrides it."""
    override = os.environ.get("GQUIZ_PROBLEMS")
    return Path(override) if override else _bundled("problems")


def default_learner() -> str:
    """The learner whose attempts are recorded: `GQUIZ_LEARNER`, else the local user."""
    name = os.environ.get("GQUIZ_LEARNER")
    if name:
        return name
    return "local"
