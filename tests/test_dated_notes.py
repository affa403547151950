"""Notes on law and guidelines say as of when they are true, in the reader and the export."""

from __future__ import annotations

import json

from click.testing import CliRunner
from textual.widgets import MarkdownViewer

from gquiz.cli import main
from gquiz.config import Settings
from gquiz.tui.app import make_app
from gquiz.tui.screens.note import NoteScreen
from tests.helpers import cli_env, settle


def _date_the_ai_note(settings: Settings) -> None:
    path = settings.content / "s01" / "ai.md"
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n---\n")
    dated = head + "\nas_of: 2026-12\nsources: [AI事業者ガイドライン 第1.1版]" + sep + rest
    path.write_text(dated, encoding="utf-8")


async def test_note_reader_shows_as_of_and_sources(settings: Settings) -> None:
    _date_the_ai_note(settings)
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        bank = app.bank  # type: ignore[attr-defined]
        slug = next(
            t.slug
            for m in bank.overview()
            for s in m.sections
            for t in s.topics
            if t.section_id == "S1.1"
        )
        app.push_screen(NoteScreen(slug))
        await settle(app, pilot)
        source = app.screen.query_one(MarkdownViewer).document.source
        assert "2026年12月時点" in source
        assert "AI事業者ガイドライン 第1.1版" in source


def test_bank_export_carries_as_of(settings: Settings) -> None:
    _date_the_ai_note(settings)
    result = CliRunner().invoke(main, ["bank", "export", "--json"], env=cli_env(settings))
    assert result.exit_code == 0, result.output
    topics = json.loads(result.stdout)["topics"]
    dated = [t for t in topics if t["as_of"]]
    assert [(t["as_of"], t["sources"]) for t in dated] == [
        ("2026-12", ["AI事業者ガイドライン 第1.1版"])
    ]
