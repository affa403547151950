"""`gquiz lab ... --plain` output, and the lab screens driven by Pilot at 80×24."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

pytest.importorskip("torch")

from textual.app import App  # noqa: E402
from textual.widgets import DataTable, Static  # noqa: E402

from gquiz.cli import lab  # noqa: E402
from gquiz.tui.screens import labs as labs_screens  # noqa: E402
from gquiz.tui.screens.labs import CompressionScreen, GradCamScreen, LabsScreen  # noqa: E402


def test_plain_gradcam_ascii(trained, monkeypatch) -> None:
    # The session's model is in the memory cache under the same key, so nothing trains here.
    monkeypatch.setenv("NO_COLOR", "1")
    result = CliRunner().invoke(lab, ["gradcam", "--plain", "--index", "3", "--class", "circle"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "テスト画像 #3" in out
    assert "Grad-CAM:" in out
    assert "CAM: 円" in out
    assert "一致する" in out
    assert "@" in out  # the ASCII ramp's brightest step: the heatmap peak


def test_plain_gradcam_colour_half_blocks(trained, monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = CliRunner().invoke(lab, ["gradcam", "--plain"])
    assert result.exit_code == 0, result.output
    assert "▀" in result.output
    assert "\x1b[38;2;" in result.output  # truecolor foreground (and background) per cell


def test_plain_compression_prints_table_and_questions(report, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    result = CliRunner().invoke(lab, ["compression", "--plain"])
    assert result.exit_code == 0, result.output
    out = result.output
    for name in ("元のモデル (FP32)", "int8 量子化 (静的)", "枝刈り 95%+再学習", "生徒: 蒸留 T="):
        assert name in out
    assert "問1." in out
    assert "問4." in out
    assert "解答と解説" in out


def test_bad_class_is_a_usage_error() -> None:
    result = CliRunner().invoke(lab, ["gradcam", "--plain", "--class", "hexagon"])
    assert result.exit_code == 2


class LabApp(App[None]):
    def __init__(self, screen) -> None:
        super().__init__()
        self.first = screen

    def on_mount(self) -> None:
        self.push_screen(self.first)


async def _settle(app, pilot) -> None:
    for _ in range(200):
        await pilot.pause(0.05)
        if not any(w.is_running for w in app.screen.workers):
            await pilot.pause(0.05)
            if not any(w.is_running for w in app.screen.workers):
                return


async def test_menu_lists_both_labs() -> None:
    app = LabApp(LabsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = " ".join(str(o.prompt) for o in app.screen.query_one("#labs-menu").options)
        assert "Grad-CAM" in text
        assert "圧縮" in text


async def test_menu_without_torch_says_how_to_install(monkeypatch) -> None:
    monkeypatch.setattr(labs_screens, "torch_available", lambda: False)
    app = LabApp(LabsScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hint = str(app.screen.query_one("#labs-install", Static).render())
        assert "pip install 'gquiz[torch]'" in hint
        assert not app.screen.query("#labs-menu")


async def test_gradcam_screen_shows_pictures_and_moves(trained) -> None:
    app = LabApp(GradCamScreen(seed=0, index=0))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        assert screen.view is not None
        assert screen.view.index == 0
        row1 = screen.query_one("#gradcam-row1", Static).render()
        assert "▀" in str(row1)
        await pilot.press("n")
        await _settle(app, pilot)
        assert screen.view.index == 1
        await pilot.press("1")
        assert screen.target == 0


async def test_compression_screen_table_and_a_question(report) -> None:
    app = LabApp(CompressionScreen(seed=0))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        table = screen.query_one("#compression-table", DataTable)
        assert table.row_count == len(report.rows)
        assert table.virtual_size.width <= 78, "the table fits 80 columns"
        right = screen.questions[0].answer
        await pilot.press(str(right + 1))
        assert "正解" in str(screen.query_one("#question-verdict", Static).render())
        await pilot.press("n")
        assert screen.current == 1


async def test_start_tuple_opens_the_lab_over_the_menu(trained) -> None:
    # The app's start=LabStart(name, ...) pushes LabsScreen(name): the lab opens at once,
    # and Esc comes back to the menu.
    app = LabApp(LabsScreen("gradcam", index=5))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        assert isinstance(app.screen, GradCamScreen)
        assert app.screen.index == 5
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LabsScreen)
