"""Generated content for study-engine tests: several topics whose right answer is always choice 1."""

from __future__ import annotations

from pathlib import Path

TOPICS = [
    ("S1.1", "st-def"),
    ("S3.1", "st-sup"),
    ("S5.2", "st-conv"),
    ("S9.2", "st-copy"),
    ("S10.3", "st-fair"),
]


def write_content(
    root: Path, per_topic: int = 8, topics: list[tuple[str, str]] | None = None
) -> Path:
    for section, slug in topics or TOPICS:
        folder = root / f"s{int(section[1:].split('.')[0]):02d}"
        folder.mkdir(parents=True, exist_ok=True)
        parts = [
            f"---\nsection: {section}\ntopic: {slug}\ntitle: トピック {slug}\n---\n\n# {slug}\n\nノート。\n\n# 問題\n"
        ]
        for i in range(1, per_topic + 1):
            parts.append(
                f"\n## {slug}-{i:02d}\ndifficulty: {1 + i % 3}\n\n{slug} の問題 {i}。最も適切なものを選べ。\n\n"
                f"- [x] 正しい {i}\n- [ ] 誤り A{i}\n- [ ] 誤り B{i}\n- [ ] 誤り C{i}\n\n### 解説\n\n正しい {i} が正解。\n"
            )
        (folder / f"{slug}.md").write_text("".join(parts), encoding="utf-8")
    return root
