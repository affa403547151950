"""Screen preferences kept between runs (for now: the theme chosen in the command palette).

A small JSON file in the data directory, next to the database; a damaged or unreadable file
is ignored (the default theme), never an error at start-up.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FILE = "tui.json"


def prefs_path() -> Path:
    from gquiz.locations import data_dir

    return data_dir() / FILE


def load_prefs() -> dict[str, Any]:
    try:
        data = json.loads(prefs_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_pref(key: str, value: Any) -> None:
    """Store one preference; a read-only data directory just means it is not remembered."""
    data = load_prefs()
    data[key] = value
    try:
        path = prefs_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
