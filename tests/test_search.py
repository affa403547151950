"""Search finds a term however the learner writes it, and ranks a heading above a mention."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gquiz.bank import search
from gquiz.bank.build import Sources
from gquiz.bank.repo import Bank
from gquiz.locations import content_dir, problems_dir

# query → a heading (or keyword) that must be among the first three hits.
EXPECTED = [
    ("grad-cam", "Grad-CAM"),
    ("GradCAM", "Grad-CAM"),
    ("グラッドカム", "Grad-CAM"),
    ("ｇｒａｄ－ｃａｍ", "Grad-CAM"),
    ("ｒｅｌｕ", "ReLU関数"),
    ("ドロップアウト", "ドロップアウト"),
    ("どろっぷあうと", "ドロップアウト"),
    ("dropout", "ドロップアウト"),
    ("batch normalization", "バッチ正規化"),
    ("ＬＳＴＭ", "LSTM と GRU"),
    ("トランスフォーマー", "Transformer"),
    ("self-attention", "Self-Attention"),
    ("自己注意", "Self-Attention"),
    ("k-means", "k-means法"),
    ("ケイミーンズ", "k-means法"),
    ("SVM", "サポートベクターマシン"),
    ("random forest", "ランダムフォレスト"),
    ("q-learning", "Q学習"),
    ("GAN", "敵対的生成ネットワーク"),
    ("VAE", "変分オートエンコーダ"),
    ("fine-tuning", "ファインチューニング"),
    ("GDPR", "GDPR"),
    ("overfitting", "過学習"),
    ("ROC曲線", "ROC曲線・AUC"),
    ("レズネット", "ResNet"),
    ("ばーと", "BERT"),
    ("word2vec", "word2vec"),
    ("CRISP-DM", "CRISP-DM"),
    ("イライザ", "イライザ"),
    ("ELIZA", "イライザ"),
    ("knowledge distillation", "蒸留"),
    ("SHAP", "SHAP"),
    ("max pooling", "最大値プーリング"),
    ("パディング", "パディング"),
    ("シンギュラリティ", "シンギュラリティ"),
]


@pytest.fixture(scope="module")
def shipped_bank(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("search") / "bank.sqlite3"
    bank = Bank(f"sqlite:///{path}", Sources(content_dir(), problems_dir()))
    bank.ensure_built()
    yield bank
    bank.close()


@pytest.mark.parametrize(("query", "expected"), EXPECTED)
def test_variants_find_the_heading(shipped_bank: Bank, query: str, expected: str) -> None:
    hits = shipped_bank.search(query, 3)
    assert any(expected in (h.title, h.anchor) for h in hits), [h.label for h in hits]


def test_normalize_joins_notations() -> None:
    forms = {search.normalize(s) for s in ("Grad-CAM", "gradcam", "ＧＲＡＤ－ＣＡＭ", "grad cam")}
    assert forms == {"gradcam"}
    assert search.normalize("ドロップアウト") == search.normalize("どろっぷあうと")
    assert search.normalize("パーセプトロン") != search.normalize("パセプトロン")


def _content(root: Path) -> Path:
    folder = root / "s05"
    folder.mkdir(parents=True)
    (folder / "t.md").write_text(
        "---\nsection: S5.2\ntopic: t-conv\ntitle: 畳み込み\n---\n\n# 畳み込み\n\n"
        "## 概要\n\nここでは畳み込みを扱う。なお、ストライドについては次の節で述べる。\n\n"
        "## ストライド\n\nカーネルをずらす幅をストライドという。\n",
        encoding="utf-8",
    )
    return root


def test_a_heading_ranks_above_a_passing_mention(tmp_path: Path) -> None:
    bank = Bank(
        f"sqlite:///{tmp_path / 'b.sqlite3'}", Sources(_content(tmp_path / "c"), tmp_path / "none")
    )
    bank.ensure_built()
    hits = [h for h in bank.search("ストライド") if h.kind == "note"]
    bank.close()
    assert [h.anchor for h in hits][:2] == ["ストライド", "概要"]
    assert hits[0].lines == ("カーネルをずらす幅を【ストライド】という。",)
    assert hits[1].lines == (
        "ここでは畳み込みを扱う。なお、【ストライド】については次の節で述べる。",
    )


def test_short_queries_and_nothing_found(tmp_path: Path) -> None:
    bank = Bank(
        f"sqlite:///{tmp_path / 'b.sqlite3'}", Sources(_content(tmp_path / "c"), tmp_path / "none")
    )
    bank.ensure_built()
    short = [h for h in bank.search("幅") if h.kind == "note"]  # below 3 characters: LIKE
    assert [h.anchor for h in short] == ["ストライド"]
    assert bank.search("量子コンピュータ") == []
    assert bank.search("   ") == []
    assert bank.search('"; DROP TABLE search_docs; --') == []
    bank.close()


def test_cli_search(tmp_path: Path) -> None:
    import json

    from gquiz.cli import main

    env = {
        "GQUIZ_CONTENT": str(_content(tmp_path / "c")),
        "GQUIZ_PROBLEMS": str(tmp_path / "none"),
        "GQUIZ_DB": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }
    result = CliRunner().invoke(main, ["search", "ストライド", "--json"], env=env)
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits[0]["anchor"] == "ストライド"
    out = CliRunner().invoke(main, ["search", "存在しない語"], env=env)
    assert "見つかりませんでした" in out.output


async def test_tui_search_opens_the_note_at_the_heading(tmp_path: Path) -> None:
    from textual.widgets import Input, MarkdownViewer, OptionList

    from gquiz.config import Settings
    from gquiz.tui.app import make_app
    from gquiz.tui.screens.note import NoteScreen
    from gquiz.tui.screens.search import SearchScreen
    from tests.helpers import settle

    settings = Settings(
        db_url=f"sqlite:///{tmp_path / 'tui.sqlite3'}",
        learner="tester",
        content=_content(tmp_path / "c"),
        problems=tmp_path / "none",
    )
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.query_one("#search-input", Input).value = "ｽﾄﾗｲﾄﾞ"  # half-width katakana
        await settle(app, pilot)
        results = screen.query_one("#search-results", OptionList)
        assert results.option_count >= 2
        first = str(results.get_option_at_index(0).prompt)
        assert "ストライド" in first
        await pilot.press("enter")
        await settle(app, pilot)
        note = app.screen
        assert isinstance(note, NoteScreen)
        assert note.open_at == "ストライド"
        assert "カーネルをずらす幅" in note.query_one(MarkdownViewer).document.source
        assert note.goto_heading("ストライド")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, SearchScreen)


def test_snippets_are_plain_and_cut_around_the_match() -> None:
    body = (
        "- **Grad-CAM** "
        + "あ" * 80
        + "\n| 表 | `relu` の行 |\n"
        + "い" * 60
        + "ドロップアウト"
        + "う" * 90
    )
    (first,) = search.matching_lines(body, [search.normalize("grad-cam")])
    assert first.startswith("【Grad-CAM】")
    assert first.endswith("…")
    assert "**" not in first
    (table,) = search.matching_lines(body, ["relu"])
    assert table == "表 | 【relu】 の行"
    (long,) = search.matching_lines(body, [search.normalize("ドロップアウト")])
    assert long.startswith("…")
    assert long.endswith("…")
    assert len(long) < 100
