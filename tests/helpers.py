"""Test helpers: generated content (choice 1 always right), CLI environment, Pilot settling."""

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


def cli_env(settings) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Environment that points the `gquiz` CLI at a test's settings."""
    return {
        "GQUIZ_DB": settings.db_url,
        "GQUIZ_CONTENT": str(settings.content),
        "GQUIZ_PROBLEMS": str(settings.problems),
        "GQUIZ_LEARNER": "tester",
    }


async def settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish and their messages land (they may start more workers)."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running `code` (import-hygiene tests)."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def shown_as(settings, qid: str, seed: int):  # type: ignore[no-untyped-def]
    """The question `qid` as a session seeded with `seed` shows it (choices in shown order)."""
    from gquiz.study.presentation import present_all

    bank = settings.open_bank()
    bank.ensure_built()
    (written,) = bank.questions(ids=[qid])
    bank.close()
    return present_all([written], seed)[0]


def typed(question, written_keys: tuple[int, ...]) -> str:  # type: ignore[no-untyped-def]
    """What a learner types to pick the choices written at `written_keys` (1-based) as shown."""
    from gquiz.study.presentation import positions_of

    return ",".join(str(p + 1) for p in positions_of(question, [k - 1 for k in written_keys]))


def with_one_family(settings, tmp_path: Path, family: str = "conv-output-size"):  # type: ignore[no-untyped-def]
    """`settings` with a problems folder of one real drill family (conv-output-size is S5.2,
    which exams draw generated items for), and that family's file, to delete in a test."""
    import shutil
    from dataclasses import replace

    problems = tmp_path / "problems"
    problems.mkdir()
    shutil.copy(Path(__file__).resolve().parent.parent / "problems" / f"{family}.yaml", problems)
    return replace(settings, problems=problems), problems / f"{family}.yaml"


def as_stored_before_snapshots(settings, exam_id: int) -> None:  # type: ignore[no-untyped-def]
    """Make an exam look as exams were stored before generated problems were kept as shown
    (a seed only): such an exam must still resume when its family is gone."""
    import json

    from sqlalchemy import create_engine, text

    engine = create_engine(settings.db_url)
    with engine.begin() as conn:
        raw = conn.execute(text("select items from exams where id = :i"), {"i": exam_id}).scalar()
        items = json.loads(raw) if isinstance(raw, str) else raw
        for it in items:
            it.pop("shown", None)
        conn.execute(
            text("update exams set items = :items where id = :i"),
            {"items": json.dumps(items, ensure_ascii=False), "i": exam_id},
        )
    engine.dispose()
