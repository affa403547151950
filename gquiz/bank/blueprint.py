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
import re
from dataclasses import dataclass
from pathlib import Path

from gquiz.bank.content import ContentError
from gquiz.syllabus import Syllabus

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


class BlueprintError(Exception):
    """The blueprint is broken; ``errors`` are the `path:line: message` lines."""

    def __init__(self, errors: list[ContentError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


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


def _key_lines(front: str, first_line: int) -> dict[str, int]:
    """Line numbers (1-based, in the file) of every `key:` in the front matter."""
    lines: dict[str, int] = {}
    for n, raw in enumerate(front.split("\n")):
        m = re.match(r"^\s*([^\s:#][^:#]*?)\s*:", raw)
        if m:
            lines.setdefault(m.group(1).strip().strip("'\""), first_line + n)
    return lines


def check_blueprint(
    path: Path, syllabus: Syllabus, display: str | None = None
) -> tuple[Blueprint | None, list[ContentError]]:
    """Parse and validate a blueprint file; the Blueprint is None when there are errors."""
    import yaml

    where = display or str(path)
    errors: list[ContentError] = []

    def error(line: int, message: str) -> tuple[None, list[ContentError]]:
        errors.append(ContentError(where, line, message))
        return None, errors

    try:
        size = path.stat().st_size
    except OSError:
        return error(1, "模擬試験の出題配分ファイルがありません")
    if size > MAX_BLUEPRINT_BYTES:
        return error(1, f"ファイルが大きすぎます ({size:,} バイト、上限 {MAX_BLUEPRINT_BYTES:,})")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return error(1, "UTF-8 ではありません")
    except OSError as exc:
        return error(1, f"読めません ({exc.strerror or exc})")
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        return error(1, "フロントマター (--- で囲んだ YAML) がありません")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return error(1, "フロントマターを閉じる --- がありません")
    front = "\n".join(lines[1:end])
    try:
        data = yaml.load(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = 2 + mark.line if mark is not None else 1
        return error(at, f"フロントマターの YAML が読めません: {getattr(exc, 'problem', exc)}")
    if not isinstance(data, dict):
        return error(1, "フロントマターは key: value の形で書いてください")
    at = _key_lines(front, 2)
    for key in sorted(set(map(str, data)) - KNOWN_KEYS):
        error(at.get(key, 1), f"不明なキー: {key} (使えるのは weights, generated_share)")
    weights_raw = data.get("weights")
    if not isinstance(weights_raw, dict) or not weights_raw:
        return error(at.get("weights", 1), "weights に 大項目ごとの配分 (S1: 4 など) がありません")
    majors = {f"S{m}" for m, _title in syllabus.majors()}
    weights: dict[str, float] = {}
    for key, value in weights_raw.items():
        name = str(key)
        line = at.get(name, at.get("weights", 1))
        if name not in majors:
            error(line, f"不明な大項目: {name} (S1〜S{len(majors)} のいずれか)")
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            error(line, f"{name} の配分は数値で書いてください: {value!r}")
            continue
        if not math.isfinite(value) or value < 0:
            error(line, f"{name} の配分は 0 以上の数値です: {value}")
            continue
        weights[name] = float(value)
    if not errors:
        total = sum(weights.values())
        if abs(total - 100) > _SUM_TOLERANCE:
            error(at.get("weights", 1), f"weights の合計が 100 ではありません ({total:g})")
    share = data.get("generated_share", 0)
    share_line = at.get("generated_share", 1)
    if isinstance(share, bool) or not isinstance(share, (int, float)):
        error(share_line, f"generated_share は 0〜1 の数値で書いてください: {share!r}")
    elif not (math.isfinite(share) and 0 <= share <= 1):
        error(share_line, f"generated_share は 0〜1 の数値です: {share}")
    if errors:
        return None, errors
    return Blueprint(weights, float(share)), errors


def load_blueprint(content: Path, syllabus: Syllabus | None = None) -> Blueprint:
    """The blueprint the exam uses; raises BlueprintError with `path:line` messages."""
    if syllabus is None:
        from gquiz.bank.build import Sources

        syllabus = Sources(content, content).syllabus()
    blueprint, errors = check_blueprint(blueprint_path(content), syllabus)
    if blueprint is None:
        raise BlueprintError(errors)
    return blueprint
