"""The labs in the TUI: a menu, the Grad-CAM lab and the compression lab.

Training, Grad-CAM and the compression measurements run in thread workers that post typed
messages back (progress, results); the screens only lay the results out. torch is imported by
those workers (through :mod:`gquiz.labs`), never when this module is imported, so the menu
works — and says how to install torch — when torch is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from gquiz.labs import INSTALL_HINT, torch_available
from gquiz.tui.format import pct
from gquiz.tui.widgets.prose import Prose

if TYPE_CHECKING:
    from gquiz.labs.compression import CompressionReport
    from gquiz.labs.gradcam_lab import GradCamView
    from gquiz.labs.texts import LabQuestion
    from gquiz.labs.train import Progress, Trained

__all__ = ["CompressionScreen", "GradCamScreen", "LabsScreen", "lab_screen"]


# -- messages ----------------------------------------------------------------------------------


@dataclass
class LabProgress(Message, bubble=False):
    """A lab worker advanced (training, measuring)."""

    done: int
    total: int
    what: str

    def can_replace(self, message: Message) -> bool:
        # Only the newest progress matters: a queue of stale ones would lag the bar.
        return isinstance(message, LabProgress)


@dataclass
class ModelReady(Message, bubble=False):
    trained: Trained


@dataclass
class GradCamComputed(Message, bubble=False):
    view: GradCamView


@dataclass
class CompressionMeasured(Message, bubble=False):
    report: CompressionReport


def lab_screen(name: str, seed: int = 0, index: int = 0, target: int | None = None) -> Screen[None]:
    """The screen for ``gquiz lab NAME`` (the app's ``start=LabStart(...)``)."""
    if not torch_available():
        return LabsScreen()
    if name == "gradcam":
        return GradCamScreen(seed=seed, index=index, target=target)
    if name == "compression":
        return CompressionScreen(seed=seed)
    return LabsScreen()


class _LabBase(Screen[None]):
    """Status line + progress bar while a worker runs; errors shown in place."""

    BINDINGS = [Binding("q,escape", "app.pop_screen", "戻る")]

    def status_widgets(self) -> ComposeResult:
        with Vertical(classes="lab-status"):
            yield Label("準備しています...", markup=False, classes="lab-status-label")
            yield ProgressBar(classes="lab-status-bar", show_eta=False)

    def on_lab_progress(self, message: LabProgress) -> None:
        self.query_one(".lab-status-label", Label).update(message.what)
        self.query_one(".lab-status-bar", ProgressBar).update(
            total=max(message.total, 1), progress=message.done
        )

    def hide_status(self) -> None:
        self.query_one(".lab-status").display = False

    def progress_callback(self) -> Progress:
        def report(done: int, total: int, what: str) -> None:
            self.post_message(LabProgress(done, total, what))

        return report

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        # The app also notifies; here the status line says it where the learner is looking.
        if event.state == WorkerState.ERROR:
            self.query_one(".lab-status").display = True
            self.query_one(".lab-status-bar").display = False
            self.query_one(".lab-status-label", Label).update(
                f"エラー: {event.worker.error}  (Esc で戻る)"
            )


# -- menu --------------------------------------------------------------------------------------


class LabsScreen(Screen[None]):
    """The labs menu (or, without torch, how to install it)."""

    CSS_PATH = "labs.tcss"
    BINDINGS = [Binding("q,escape", "app.pop_screen", "戻る")]

    def __init__(
        self,
        name: str | None = None,
        *,
        seed: int | None = None,
        index: int | None = None,
        target: int | None = None,
    ) -> None:
        """``name`` (``gradcam`` / ``compression``) opens that lab at once, with the options
        passed to :func:`lab_screen` (None: the lab's default)."""
        super().__init__()
        self.open_first = name if name in ("gradcam", "compression") else None
        self.seed = 0 if seed is None else seed
        self.index = 0 if index is None else index
        self.target = target

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="labs-menu-body"):
            yield Prose("ラボ", markup=False, classes="lab-title")
            yield Prose(
                markup=False,
                content="小さなCNNをこのコンピュータのCPUで実際に学習させ（2スレッドで十数秒）、"
                "説明可能性（Grad-CAM／CAM）とモデル圧縮（量子化・枝刈り・蒸留）を試します。"
                "データは円・正方形・三角形の合成画像で、その場で生成します（ダウンロードなし）。",
                id="labs-intro",
            )
            if torch_available():
                yield OptionList(
                    Option("Grad-CAM ラボ: モデルは画像のどこを見て判断したか", id="gradcam"),
                    Option("圧縮ラボ: int8 量子化・枝刈り・蒸留を測って比べる", id="compression"),
                    id="labs-menu",
                )
            else:
                yield Prose(INSTALL_HINT, markup=False, id="labs-install")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "ラボ"
        if torch_available():
            menu = self.query_one("#labs-menu", OptionList)
            menu.highlighted = 0
            menu.focus()
            if self.open_first is not None:
                # `gquiz lab NAME` opens the lab over this menu, so Esc comes back here.
                self.app.push_screen(
                    lab_screen(self.open_first, self.seed, self.index, self.target)
                )

    @on(OptionList.OptionSelected, "#labs-menu")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.app.push_screen(lab_screen(event.option.id or ""))


# -- Grad-CAM ----------------------------------------------------------------------------------


class GradCamScreen(_LabBase):
    """One test image, its Grad-CAM for the predicted class and for another class, and CAM."""

    CSS_PATH = "labs.tcss"
    BINDINGS = [
        *_LabBase.BINDINGS,
        Binding("right,n", "move(1)", "次の画像"),
        Binding("left,p", "move(-1)", "前の画像"),
        Binding("r", "random", "ランダム"),
        # The info line above the pictures names these keys; the footer has no room for them.
        Binding("1", "pick_class(0)", "円", show=False),
        Binding("2", "pick_class(1)", "正方形", show=False),
        Binding("3", "pick_class(2)", "三角形", show=False),
    ]

    def __init__(self, seed: int = 0, index: int = 0, target: int | None = None) -> None:
        super().__init__()
        self.seed = seed
        self.index = index
        self.target = target
        """The class compared with the prediction (None: the most probable wrong class)."""
        self.trained: Trained | None = None
        self.view: GradCamView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.status_widgets()
        with VerticalScroll(id="gradcam-body"):
            yield Prose("", markup=False, id="gradcam-info")
            yield Static("", markup=False, id="gradcam-row1", classes="lab-picture")
            yield Static("", markup=False, id="gradcam-row2", classes="lab-picture")
            yield Prose("", markup=False, id="gradcam-text")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Grad-CAM ラボ"
        self.query_one("#gradcam-body").display = False
        self.load_model()

    @work(
        thread=True,
        exclusive=True,
        group="lab-train",
        exit_on_error=False,
        description="CNN の学習",
    )
    def load_model(self) -> None:
        from gquiz.labs.train import get_trained

        self.post_message(ModelReady(get_trained(self.seed, progress=self.progress_callback())))

    def on_model_ready(self, message: ModelReady) -> None:
        self.trained = message.trained
        self.hide_status()
        self.query_one("#gradcam-body").display = True
        self.compute()

    @work(
        thread=True,
        exclusive=True,
        group="lab-gradcam",
        exit_on_error=False,
        description="Grad-CAM",
    )
    def compute(self) -> None:
        from gquiz.labs.gradcam_lab import analyse

        assert self.trained is not None
        self.post_message(GradCamComputed(analyse(self.trained, self.index)))

    def on_grad_cam_computed(self, message: GradCamComputed) -> None:
        self.view = message.view
        self.redraw()

    def redraw(self) -> None:
        import numpy as np

        from gquiz.labs.gradcam_lab import upsample
        from gquiz.labs.render import gray_rgb, half_blocks, overlay_rgb, side_by_side
        from gquiz.labs.texts import gradcam_relation_text

        view, trained = self.view, self.trained
        if view is None or trained is None:
            return
        names = view.class_name
        pred = view.predicted
        other = view.runner_up if self.target is None or self.target == pred else self.target
        probs = "  ".join(f"{names(k)} {pct(p, 1)}" for k, p in enumerate(view.probabilities))
        verdict = "正解" if pred == view.label else "不正解"
        self.query_one("#gradcam-info", Static).update(
            f"テスト画像 #{view.index}/{len(trained.test)}  正解 {names(view.label)}  "
            f"予測 {names(pred)} ({verdict})\n確率: {probs}\n"
            f"比較するクラス: {names(other)}  (1 円 / 2 正方形 / 3 三角形 で選ぶ)"
        )
        mp, mo = view.maps[pred], view.maps[other]
        img = half_blocks(gray_rgb(view.image))
        self.query_one("#gradcam-row1", Static).update(
            side_by_side(
                [
                    ("画像", img),
                    (
                        f"Grad-CAM: {names(pred)} (予測)",
                        half_blocks(overlay_rgb(view.image, upsample(mp.gradcam))),
                    ),
                ]
            )
        )
        self.query_one("#gradcam-row2", Static).update(
            side_by_side(
                [
                    (
                        f"Grad-CAM: {names(other)}",
                        half_blocks(overlay_rgb(view.image, upsample(mo.gradcam))),
                    ),
                    (
                        f"CAM: {names(other)}",
                        half_blocks(overlay_rgb(view.image, upsample(mo.cam))),
                    ),
                ]
            )
        )
        hw = int(np.prod(mo.gradcam.shape))
        self.query_one("#gradcam-text", Static).update(
            "色: 青 (低い) → 緑 → 黄 → 赤 (高い)。8×8 のマップを 32×32 に補間して画像に重ねている。\n\n"
            + gradcam_relation_text(mo.max_difference, mo.gradcam_raw_ratio, hw)
        )

    def action_move(self, step: int) -> None:
        if self.trained is None:
            return
        self.index = (self.index + step) % len(self.trained.test)
        self.compute()

    def action_random(self) -> None:
        import random

        if self.trained is None:
            return
        self.index = random.randrange(len(self.trained.test))
        self.compute()

    def action_pick_class(self, k: int) -> None:
        self.target = k
        if self.view is not None and k == self.view.predicted:
            self.notify(
                "予測クラスは上の段に表示しています。別のクラスを選ぶと比べられます。", timeout=3
            )
        self.redraw()


# -- compression -------------------------------------------------------------------------------


class CompressionScreen(_LabBase):
    """The measured table, then questions generated from it."""

    CSS_PATH = "labs.tcss"
    BINDINGS = [
        *_LabBase.BINDINGS,
        *[Binding(str(n), f"answer({n - 1})", show=False) for n in range(1, 5)],
        Binding("n", "next_question", "次の問題"),
    ]

    def __init__(self, seed: int = 0) -> None:
        super().__init__()
        self.seed = seed
        self.report: CompressionReport | None = None
        self.questions: list[LabQuestion] = []
        self.current = 0
        self.answered: int | None = None
        self.score = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.status_widgets()
        with VerticalScroll(id="compression-body"):
            yield Prose("", markup=False, id="compression-title", classes="lab-title")
            yield DataTable(id="compression-table", cursor_type="none", zebra_stripes=True)
            yield Prose("", markup=False, id="compression-notes")
            yield Prose("", markup=False, id="question")
            yield Prose("", markup=False, id="question-verdict")
            yield Prose("", markup=False, id="question-explanation")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "圧縮ラボ"
        self.query_one("#compression-body").display = False
        self.measure()

    @work(
        thread=True,
        exclusive=True,
        group="lab-compress",
        exit_on_error=False,
        description="圧縮の測定",
    )
    def measure(self) -> None:
        from gquiz.labs.compression import get_report
        from gquiz.labs.train import get_trained

        progress = self.progress_callback()
        trained = get_trained(self.seed, progress=progress)
        self.post_message(CompressionMeasured(get_report(trained, progress=progress)))

    def on_compression_measured(self, message: CompressionMeasured) -> None:
        from gquiz.labs.texts import TABLE_HEADERS, compression_questions, table_cells, table_notes

        self.report = report = message.report
        self.hide_status()
        self.query_one("#compression-body").display = True
        self.query_one("#compression-title", Static).update(
            f"測定結果 (seed {report.seed}、測定 {report.seconds:.1f} 秒)"
        )
        table = self.query_one("#compression-table", DataTable)
        table.clear(columns=True)
        table.add_columns(*TABLE_HEADERS)
        for row in report.rows:
            name, *numbers = table_cells(row)
            table.add_row(name, *(Text(n, justify="right") for n in numbers))
        self.query_one("#compression-notes", Static).update("\n".join(table_notes(report)))
        self.questions = compression_questions(report)
        self.current = 0
        self.show_question()

    def show_question(self) -> None:
        q = self.questions[self.current]
        self.answered = None
        lines = [f"問 {self.current + 1}/{len(self.questions)}  {q.stem}", ""]
        lines += [f"  {i + 1}. {c}" for i, c in enumerate(q.choices)]
        lines += ["", "1〜4 キーで回答"]
        self.query_one("#question", Static).update("\n".join(lines))
        self.query_one("#question-verdict", Static).update("")
        self.query_one("#question-verdict").remove_class("right", "wrong")
        self.query_one("#question-explanation", Static).update("")

    def action_answer(self, choice: int) -> None:
        if not self.questions or self.answered is not None:
            return
        q = self.questions[self.current]
        if choice >= len(q.choices):
            return
        self.answered = choice
        right = choice == q.answer
        self.score += right
        verdict = self.query_one("#question-verdict", Static)
        if right:
            verdict.update("正解！")
            verdict.set_classes("right")
        else:
            verdict.update(f"不正解  正解は {q.answer + 1}. {q.choices[q.answer]}")
            verdict.set_classes("wrong")
        last = self.current == len(self.questions) - 1
        tail = (
            f"\n\n{len(self.questions)} 問中 {self.score} 問正解。Esc で戻る。"
            if last
            else "\n\nn: 次の問題"
        )
        self.query_one("#question-explanation", Static).update("解説: " + q.explanation + tail)
        self.query_one("#question-explanation").scroll_visible(animate=False)

    def action_next_question(self) -> None:
        if self.answered is None or self.current >= len(self.questions) - 1:
            return
        self.current += 1
        self.show_question()
        self.query_one("#question").scroll_visible(animate=False)
