"""The gquiz Textual app, built by a factory from explicit settings (never at import time)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.worker import Worker, WorkerState

from gquiz.tui.messages import BankFailed, BankProgress, BankReady, StartQuiz

if TYPE_CHECKING:
    from gquiz.bank.repo import Bank
    from gquiz.config import Settings


class GQuizApp(App[None]):
    """Home → note → quiz → results, over a bank opened in a worker."""

    CSS_PATH = "app.tcss"
    TITLE = "gquiz"
    SUB_TITLE = "G検定 学習・問題演習"
    BINDINGS = [Binding("ctrl+q", "quit", "終了", priority=True)]

    def __init__(self, settings: Settings, start: tuple[str, dict[str, Any]] | None = None):
        super().__init__()
        self.settings = settings
        self.start = start
        self.bank: Bank | None = None
        self.learner_id: int | None = None

    def on_mount(self) -> None:
        from gquiz.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        self.open_bank()

    @work(
        thread=True,
        exclusive=True,
        group="bank",
        exit_on_error=False,
        description="問題バンクを開く",
    )
    def open_bank(self) -> None:
        # SQLAlchemy and the content parser load here, off the UI thread, so the first
        # screen appears before any of that work is done.
        from gquiz.bank.build import BuildError

        bank = self.settings.open_bank()
        try:
            built = bank.ensure_built(lambda d, t, w: self.post_message(BankProgress(d, t, w)))
        except BuildError as exc:
            self.post_message(BankFailed([str(e) for e in exc.errors]))
            return
        learner_id = bank.learner_id(self.settings.learner)
        self.post_message(BankReady(bank, learner_id, built))

    def on_bank_ready(self, message: BankReady) -> None:
        self.bank = message.bank
        self.learner_id = message.learner_id
        if message.built:
            self.notify("コンテンツから問題バンクを構築しました。", timeout=3)
        self._forward(BankReady(message.bank, message.learner_id, message.built))
        if self.start and self.start[0] == "quiz":
            filters = {k: v for k, v in self.start[1].items() if v is not None}
            self.start = None
            self.post_message(StartQuiz(filters, "問題演習"))

    def on_bank_progress(self, message: BankProgress) -> None:
        self._forward(BankProgress(message.done, message.total, message.what))

    def on_bank_failed(self, message: BankFailed) -> None:
        self._forward(BankFailed(message.lines))

    def _forward(self, message: Message) -> None:
        """Hand a worker's news to the screen on top (messages do not bubble back up)."""
        if self.screen_stack:
            self.screen.post_message(message)

    def on_start_quiz(self, message: StartQuiz) -> None:
        from gquiz.tui.screens.quiz import QuizScreen

        if self.bank is None or self.learner_id is None:
            self.notify("問題バンクを準備中です。", severity="warning")
            return
        self.push_screen(QuizScreen(self.bank, self.learner_id, message.filters, message.title))

    @on(Worker.StateChanged)
    def report_worker_error(self, event: Worker.StateChanged) -> None:
        """Every worker failure ends here: a message to the learner instead of a crash."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(
                f"エラー: {error}",
                title=event.worker.description or "処理に失敗しました",
                severity="error",
                timeout=10,
            )

    def on_unmount(self) -> None:
        if self.bank is not None:
            self.bank.close()


def make_app(settings: Settings, start: tuple[str, dict[str, Any]] | None = None) -> GQuizApp:
    """The factory the CLI and the tests share."""
    return GQuizApp(settings, start)


def run_tui(settings: Settings, start: tuple[str, dict[str, Any]] | None = None) -> None:
    make_app(settings, start).run()
