"""The exam blueprint (content/exam-blueprint.md): read and fully validated in one place.

``bank check`` and ``bank build`` run :func:`check_blueprint`, and the exam reads the file
through :func:`load_blueprint`, which runs the same checks. So a blueprint that passes
``bank check`` is one the exam can use, and a broken one is reported as ``path:line``
instead of crashing the exam setup (a missing ``---``, a YAML typo, a weight that is text,
an unknown 大項目 or weights that do not add up to 100).

A content folder of one's own (``GQUIZ_CONTENT``) without a blueprint uses the shipped one,
as it does for the syllabus.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gquiz.bank.content import ContentError
from gquiz.syllabus import Syllabus
from gquiz.text.errors import InvalidSources
from gquiz.text.source import LineDict, YamlError, line_of, load_yaml, split_front_matter

__all__ = [
    "BLUEPRINT_FILE",
    "Blueprint",
    "BlueprintError",
    "blueprint_path",
    "check_blueprint",
    "load_blueprint",
    "major_no",
]

BLUEPRINT_FILE = "exam-blueprint.md"
MAX_BLUEPRINT_BYTES = 256 * 1024
KNOWN_KEYS = {"weights", "generated_share"}
_SUM_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Blueprint:
    """Each 大項目's share of a practice exam (weights sum to 100) and the generated share."""

    weights: dict[str, float]
    generated_share: float = 0.0

    def quotas(self, n: int) -> dict[str, int]:
        """Largest-remainder apportionment of n questions over the 大項目."""
        total = sum(self.weights.values())
        exact = {m: n * w / total for m, w in self.weights.items()}
        counts = {m: math.floor(q) for m, q in exact.items()}
        left = n - sum(counts.values())
        for m in sorted(exact, key=lambda m: (-(exact[m] - counts[m]), major_no(m)))[:left]:
            counts[m] += 1
        return counts


BlueprintError = InvalidSources
"""Raised by load_blueprint: the shared error of invalid author files (gquiz.text.errors)."""


def major_no(major: str) -> int:
    """The number of a 大項目 id: S10 → 10 (for sorting S2 before S10)."""
    return int(major.removeprefix("S").split(".")[0])


def blueprint_path(content: Path) -> Path:
    """content/exam-blueprint.md, or the shipped one when a content folder has none."""
    own = content / BLUEPRINT_FILE
    if own.exists() or not content.is_dir():
        return own
    from gquiz.locations import shipped_syllabus

    return shipped_syllabus().parents[1] / BLUEPRINT_FILE


def _read(path: Path) -> LineDict:
    """The blueprint's front matter, keys with their file lines; YamlError at line 1 when the
    file cannot be read as one (missing, too large, not UTF-8, no or unclosed ``---``)."""
    try:
        size = path.stat().st_size
    except OSError:
        raise YamlError(1, "模擬試験の出題配分ファイルがありません") from None
    if size > MAX_BLUEPRINT_BYTES:
        raise YamlError(
            1, f"ファイルが大きすぎます ({size:,} バイト、上限 {MAX_BLUEPRINT_BYTES:,})"
        )
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise YamlError(1, "UTF-8 ではありません") from None
    except OSError as exc:
        raise YamlError(1, f"読めません ({exc.strerror or exc})") from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    front = split_front_matter(text)
    if front is None:
        opened = text.split("\n", 1)[0].strip() == "---"
        raise YamlError(
            1,
            "フロントマターを閉じる --- がありません"
            if opened
            else "フロントマター (--- で囲んだ YAML) がありません",
        )
    data = load_yaml(front.text, front.line + 1, lines=True, subject="フロントマターの")
    if not isinstance(data, LineDict):
        raise YamlError(1, "フロントマターは key: value の形で書いてください")
    return data


def _at(data: LineDict, key: str) -> int:
    """The file line of a top-level key; line 1 when the key is missing."""
    return line_of(data, key) if key in data else 1


def _weights(
    data: LineDict, syllabus: Syllabus, error: Callable[[int, str], None]
) -> dict[str, float] | None:
    """The 大項目 weights (bad entries reported and left out); None when there are none."""
    raw = data.get("weights")
    if not isinstance(raw, dict) or not raw:
        error(_at(data, "weights"), "weights に 大項目ごとの配分 (S1: 4 など) がありません")
        return None
    majors = {f"S{m}" for m, _title in syllabus.majors()}
    weights: dict[str, float] = {}
    for key, value in raw.items():
        name = str(key)
        line = line_of(raw, key)
        if name not in majors:
            error(line, f"不明な大項目: {name} (S1〜S{len(majors)} のいずれか)")
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            error(line, f"{name} の配分は数値で書いてください: {value!r}")
        elif not math.isfinite(value) or value < 0:
            error(line, f"{name} の配分は 0 以上の数値です: {value}")
        else:
            weights[name] = float(value)
    return weights


def _share(data: LineDict, error: Callable[[int, str], None]) -> float:
    """generated_share: the part of the computation 大項目 drawn from problem families."""
    share = data.get("generated_share", 0)
    line = _at(data, "generated_share")
    if isinstance(share, bool) or not isinstance(share, (int, float)):
        error(line, f"generated_share は 0〜1 の数値で書いてください: {share!r}")
    elif not (math.isfinite(share) and 0 <= share <= 1):
        error(line, f"generated_share は 0〜1 の数値です: {share}")
    else:
        return float(share)
    return 0.0


def check_blueprint(
    path: Path, syllabus: Syllabus, display: str | None = None
) -> tuple[Blueprint | None, list[ContentError]]:
    """Parse and validate a blueprint file; the Blueprint is None when there are errors."""
    where = display or str(path)
    errors: list[ContentError] = []

    def error(line: int, message: str) -> None:
        errors.append(ContentError(where, line, message))

    try:
        data = _read(path)
    except YamlError as exc:
        error(exc.line, exc.message)
        return None, errors
    for key in sorted(set(map(str, data)) - KNOWN_KEYS):
        error(line_of(data, key), f"不明なキー: {key} (使えるのは weights, generated_share)")
    weights = _weights(data, syllabus, error)
    if weights is None:
        return None, errors
    total = sum(weights.values())
    if not errors and abs(total - 100) > _SUM_TOLERANCE:
        error(_at(data, "weights"), f"weights の合計が 100 ではありません ({total:g})")
    share = _share(data, error)
    if errors:
        return None, errors
    return Blueprint(weights, share), errors


def load_blueprint(content: Path, syllabus: Syllabus | None = None) -> Blueprint:
    """The blueprint the exam uses; raises BlueprintError with `path:line` messages."""
    if syllabus is None:
        from gquiz.bank.build import Sources

        syllabus = Sources(content, content).syllabus()
    blueprint, errors = check_blueprint(blueprint_path(content), syllabus)
    if blueprint is None:
        raise BlueprintError(errors)
    return blueprint
