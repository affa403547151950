"""The open-book companion: the personal カンペ and the Anki deck."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from gquiz.bank.repo import AttemptRecord, Bank
from gquiz.cli import main
from gquiz.config import Settings
from gquiz.study.kanpe import build_sheet, formulas_of, terms_of, to_html
from gquiz.study.stats import learner_stats
from tests.helpers import cli_env


@pytest.fixture
def study_bank(study_settings: Settings):  # type: ignore[no-untyped-def]
    bank = study_settings.open_bank()
    bank.build()
    yield bank
    bank.close()


def _make_weak(bank: Bank, weak: str) -> int:
    """Every topic mastered (three right answers to each question) except `weak` (all wrong)."""
    lid = bank.learner_id("tester")
    for q in bank.questions():
        ok = q.topic_slug != weak
        for _ in range(3 if ok else 1):
            rec = AttemptRecord(q.id, q.section_id, ok, "1" if ok else "2", topic_slug=q.topic_slug)
            bank.record_attempt(lid, rec)
    return lid


def test_terms_and_formulas_from_a_note() -> None:
    note = (
        "# 畳み込み\n\n## ストライド\n\nカーネルをずらす幅。大きいと出力が小さくなる。\n\n"
        "**パディング**は入力の周囲を埋める操作である。別の文。\n\n"
        "| 手法 | 特徴 |\n|---|---|\n| 最大値プーリング | 最大値をとる |\n\n"
        "出力は `O = (N + 2P − F) / S + 1` で求まる。`relu` は式ではない。\n"
    )
    terms = dict(terms_of(note))
    assert terms["ストライド"] == "カーネルをずらす幅。"
    assert terms["パディング"] == "パディングは入力の周囲を埋める操作である。"
    assert terms["最大値プーリング"] == "特徴: 最大値をとる"
    assert formulas_of(note) == ["O = (N + 2P − F) / S + 1"]


def test_kanpe_weak_holds_exactly_the_weak_topics(
    study_bank: Bank, study_settings: Settings, tmp_path: Path
) -> None:
    lid = _make_weak(study_bank, "st-fair")
    weak = {t.slug for t in learner_stats(study_bank, lid).weakest_topics}
    assert weak == {"st-fair"}
    sheets = build_sheet(study_bank, lid, weak=True)
    assert [s.slug for s in sheets] == ["st-fair"]
    assert len(sheets[0].mistakes) == 8  # every question of it was answered wrongly
    out = tmp_path / "kanpe.md"
    result = CliRunner().invoke(
        main, ["kanpe", "export", "--weak", "--out", str(out)], env=cli_env(study_settings)
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "トピック st-fair" in text
    assert "トピック st-def" not in text
    assert "間違えたこと" in text
    sections = build_sheet(study_bank, lid, sections=["S1", "S5.2"])
    assert [s.slug for s in sections] == ["st-def", "st-conv"]


def test_kanpe_html_escapes(study_bank: Bank) -> None:
    lid = study_bank.learner_id("tester")
    sheets = build_sheet(study_bank, lid)
    sheets[0].terms.append(("<script>x</script>", "a & b"))
    page = to_html(sheets, "t")
    assert "<script>x" not in page
    assert "&lt;script&gt;x" in page


def _apkg_notes(path: Path) -> list[tuple[str, str, str]]:
    with zipfile.ZipFile(path) as z:
        z.extract("collection.anki2", path.parent)
    conn = sqlite3.connect(path.parent / "collection.anki2")
    rows = conn.execute("select guid, flds, tags from notes order by guid").fetchall()
    conn.close()
    (path.parent / "collection.anki2").unlink()
    return rows


def test_anki_export_stable_ids_and_tags(
    study_bank: Bank, study_settings: Settings, tmp_path: Path
) -> None:
    _make_weak(study_bank, "st-conv")
    env = cli_env(study_settings)
    first = tmp_path / "a" / "deck.apkg"
    first.parent.mkdir()
    result = CliRunner().invoke(main, ["export", "anki", "--weak", "--out", str(first)], env=env)
    assert result.exit_code == 0, result.output
    notes = _apkg_notes(first)
    assert len(notes) == 8
    assert all("st-conv-" in flds.split("\x1f")[0] for _g, flds, _t in notes)
    assert all("gquiz::S5.2" in tags for _g, _f, tags in notes)
    # Exporting again gives the same guids: Anki updates the notes instead of duplicating them.
    second = tmp_path / "b" / "deck.apkg"
    second.parent.mkdir()
    CliRunner().invoke(main, ["export", "anki", "--weak", "--out", str(second)], env=env)
    assert [g for g, _f, _t in _apkg_notes(second)] == [g for g, _f, _t in notes]
    everything = tmp_path / "c" / "deck.apkg"
    everything.parent.mkdir()
    CliRunner().invoke(
        main, ["export", "anki", "--section", "S1", "--out", str(everything)], env=env
    )
    assert {f.split("\x1f")[0][:6] for _g, f, _t in _apkg_notes(everything)} == {"st-def"}


async def test_home_shows_readiness_and_stats_writes_the_kanpe(study_settings: Settings) -> None:
    from textual.widgets import Static

    from gquiz.tui.app import make_app
    from gquiz.tui.screens.stats import StatsScreen
    from tests.helpers import settle

    bank = study_settings.open_bank()
    bank.build()
    _make_weak(bank, "st-fair")
    bank.close()
    app = make_app(study_settings)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot)
        modes = str(app.screen.query_one("#modes", Static).render())
        assert "本番形式 145 問の予想得点" in modes
        assert "90% の範囲" in modes
        app.push_screen(StatsScreen())
        await settle(app, pilot)
        await pilot.press("k")
        await settle(app, pilot)
        texts = [str(n.message) for n in app._notifications]
        assert any("苦手 1 トピックのカンペを書き出しました" in t for t in texts), texts
    import os

    (written,) = Path(os.environ["GQUIZ_DATA_DIR"]).glob("kanpe-*.html")
    assert "トピック st-fair" in written.read_text(encoding="utf-8")
