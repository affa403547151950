"""The G検定 syllabus as data: 大項目, 中項目 and detailed keywords from keywords.tsv."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

_SUFFIX = re.compile(r"\s*(\([^()]*\)|\[[^\[\]]*\])\s*$")


def canonical_keyword(raw: str) -> str:
    """Strip the English gloss ` (…)` and editorial notes ` […]` from a syllabus keyword."""
    name = raw.strip()
    while True:
        stripped = _SUFFIX.sub("", name)
        if stripped == name:
            return name
        name = stripped


def normalize(text: str) -> str:
    """NFKC and casefold: how keywords and learner input are compared."""
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True)
class MinorSection:
    """A 中項目, e.g. S5.2 畳み込み層."""

    id: str
    major: int
    minor: int
    major_title: str
    title: str
    keywords: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Syllabus:
    sections: tuple[MinorSection, ...]

    def by_id(self) -> dict[str, MinorSection]:
        return {s.id: s for s in self.sections}

    def majors(self) -> list[tuple[int, str]]:
        seen: dict[int, str] = {}
        for s in self.sections:
            seen.setdefault(s.major, s.major_title)
        return sorted(seen.items())


def _parse_id(section_id: str) -> tuple[int, int]:
    major, minor = section_id.removeprefix("S").split(".")
    return int(major), int(minor)


@lru_cache(maxsize=4)
def load_syllabus(path: Path) -> Syllabus:
    """Read keywords.tsv (columns section_id, 大項目, 中項目, keyword)."""
    rows: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        for row in reader:
            sid = row["section_id"].strip()
            entry = rows.setdefault(
                sid,
                {"major_title": row["大項目"].strip(), "title": row["中項目"].strip(), "kw": []},
            )
            entry["kw"].append(canonical_keyword(row["keyword"]))
    sections = []
    for sid, entry in rows.items():
        major, minor = _parse_id(sid)
        sections.append(
            MinorSection(
                sid, major, minor, entry["major_title"], entry["title"], tuple(entry["kw"])
            )
        )
    sections.sort(key=lambda s: (s.major, s.minor))
    return Syllabus(tuple(sections))
