"""The gquiz Textual app, built by a factory from explicit settings (never at import time)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.worker import Worker, WorkerState

from gquiz.tui.messages import BankFailed, BankProgress, BankReady, StartQuiz
from gquiz.tui.start import ExamStart, FamilyStart, LabStart, NoteStart, QuizStart, Start

if TYPE_CHECKING:
    from textual.theme import Theme

    from gquiz.bank.repo import Bank
    from gquiz.config import Settings
    from gquiz.study.exam import ExamSession


class GQuizApp(App[None]):
    """Home → note → quiz → results, over a bank opened in a worker."""

    CSS_PATH = "app.tcss"
    TITLE = "gquiz"
    SUB_TITLE = "G検定 学習・問題演習"
    BINDINGS = [
        Binding("question_mark", "help", "ヘルプ"),
        Binding("slash", "search", "検索"),
        # In every footer the screen's own q does this; Ctrl+Q works even inside inputs.
        Binding("ctrl+q", "quit", "終了", priority=True, show=False),
    ]

    def __init__(self, settings: Settings, start: Start | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.start = start
        self.bank: Bank | None = None
        self.learner_id: int | None = None

    def action_help(self) -> None:
        """The keys of the screen on top, generated from its bindings."""
        from gquiz.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def _apply_saved_theme(self) -> None:
        from gquiz.tui.prefs import load_prefs

        theme = load_prefs().get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._save_theme)

    def _save_theme(self, theme: Theme) -> None:
        """The theme picked in the command palette (Ctrl+P) is kept for the next run."""
        from gquiz.tui.prefs import save_pref

        save_pref("theme", theme.name)

    def action_search(self) -> None:
        """Open the search screen from anywhere (an open-book exam is searched under time)."""
        from gquiz.tui.screens.search import SearchScreen

        if self.bank is not None and not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    def on_mount(self) -> None:
        from gquiz.tui.screens.home import HomeScreen

        self._apply_saved_theme()
        self.push_screen(HomeScreen())
        # Open the bank only once the first screen is on the terminal: its imports and file
        # hashing would otherwise compete with the first paint for the GIL.
        self.call_after_refresh(self.open_bank)

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
            built = bank.ensure_built(self._report_progress)
        except BuildError as exc:
            self.post_message(BankFailed([str(e) for e in exc.errors]))
            return
        learner_id = bank.learner_id(self.settings.learner)
        self.post_message(BankReady(bank, learner_id, built))

    def bank_and_learner(self) -> tuple[Bank, int]:
        """The open bank and the learner. Screens that use them are pushed only once the bank
        is open (BankReady), so before that this is a bug, not a state to handle."""
        if self.bank is None or self.learner_id is None:
            raise RuntimeError("the question bank is not open yet")
        return self.bank, self.learner_id

    def _report_progress(self, done: int, total: int, what: str) -> None:
        self.post_message(BankProgress(done, total, what))

    def on_bank_ready(self, message: BankReady) -> None:
        self.bank = message.bank
        self.learner_id = message.learner_id
        if message.built:
            self.notify("コンテンツから問題バンクを構築しました。", timeout=3)
        self._forward(BankReady(message.bank, message.learner_id, message.built))
        if self.start:
            start, self.start = self.start, None
            self.open_start(start)
        else:
            self.offer_resume()
        if message.bank.member_role is not None:
            self.announce_group_exams()

    @work(thread=True, exclusive=True, group="group", exit_on_error=False, description="勉強会")
    def announce_group_exams(self) -> None:
        """A study group's member is told of the shared mock exams open now."""
        from gquiz.bank.models import utcnow
        from gquiz.study.group_exam import SharedExam

        if self.bank is None or self.learner_id is None:
            return
        now = utcnow()
        for shared in (SharedExam(**e) for e in self.bank.group_exams()):
            sitting = self.bank.group_exam_sitting(self.learner_id, shared.id)
            if shared.is_open(now) and not (sitting and sitting[1]):
                self.call_from_thread(
                    self.notify,
                    f"勉強会の模擬試験を受けられます: {shared.label(self.bank.zone)}\ngquiz group sit {shared.id}",
                    timeout=12,
                )

    def open_start(self, start: Start) -> None:
        """Open the screen a CLI command asked for (gquiz quiz / drill / review / exam / lab)."""
        if isinstance(start, QuizStart):
            self.post_message(StartQuiz(start.filters, start.title or _quiz_title(start)))
        elif isinstance(start, ExamStart) and start.resume is not None:
            self.resume_exam(start.resume)
        elif isinstance(start, ExamStart):
            self.action_exam(start)
        elif isinstance(start, FamilyStart):
            self.push_optional(
                "gquiz.tui.screens.drill",
                "DrillScreen",
                start.family,
                difficulty=start.difficulty or 1,
                seed=start.seed,
            )
        elif isinstance(start, NoteStart):
            from gquiz.tui.screens.note import NoteScreen

            self.push_screen(NoteScreen(start.topic))
        elif isinstance(start, LabStart):
            self.push_optional(
                "gquiz.tui.screens.labs",
                "LabsScreen",
                start.name,
                index=start.index,
                seed=start.seed,
                target=start.target,
            )

    def push_optional(self, module: str, name: str, *args: Any, **kwargs: Any) -> None:
        """Push a screen whose module is imported only when it is first opened (start-up time)."""
        import importlib

        screen_cls = getattr(importlib.import_module(module), name)
        self.push_screen(screen_cls(*args, **kwargs))

    def action_exam(self, start: ExamStart | None = None) -> None:
        from gquiz.tui.screens.exam import ExamSetupScreen

        if self.bank is None or self.learner_id is None:
            self.notify("問題バンクを準備中です。", severity="warning")
            return
        self.push_screen(ExamSetupScreen(start or ExamStart()))

    @work(
        thread=True,
        exclusive=True,
        group="resume",
        exit_on_error=False,
        description="中断した模擬試験を探す",
    )
    def offer_resume(self) -> None:
        from gquiz.study.exam import ExamSession

        assert self.bank is not None
        assert self.learner_id is not None
        session = ExamSession.unfinished(self.bank, self.learner_id)
        if session is not None:
            self.call_from_thread(self._ask_resume, session)

    @work(thread=True, group="resume", exit_on_error=False, description="模擬試験を開く")
    def resume_exam(self, exam_id: int) -> None:
        """Open the unfinished exam `exam_id` without asking (the command line asked for it)."""
        from gquiz.study.exam import ExamSession
        from gquiz.tui.screens.exam import ExamScreen

        bank, learner_id = self.bank_and_learner()
        session = ExamSession.unfinished(bank, learner_id, exam_id)
        if session is None:
            self.call_from_thread(
                self.notify, "その模擬試験はもう提出済みです。", severity="warning"
            )
        else:
            self.call_from_thread(self.push_screen, ExamScreen(session))

    def _ask_resume(self, session: ExamSession) -> None:
        from gquiz.tui.screens.exam import ExamScreen, ResumeDialog

        def answer(resume: bool | None) -> None:
            if resume:
                self.push_screen(ExamScreen(session))
            elif resume is False:
                self.discard_exam(session)

        self.push_screen(ResumeDialog(session), answer)

    @work(thread=True, group="resume", exit_on_error=False, description="模擬試験を破棄")
    def discard_exam(self, session: ExamSession) -> None:
        session.discard()

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
        """The app's own workers: a failure is a message to the learner instead of a crash.

        Worker.StateChanged does not bubble, so screens forward theirs to `show_worker_error`
        (GQuizScreen does it for every screen built on it).
        """
        if event.state == WorkerState.ERROR:
            self.show_worker_error(event.worker)

    def show_worker_error(self, worker: Worker[Any]) -> None:
        """One line for the learner: a database problem in words (full disk, read-only file,
        locked), anything else as its message; never a traceback or an SQL statement."""
        from gquiz.bank.db import explain

        error = worker.error
        message = explain(error, self.settings.db_url) if error is not None else None
        if message is None:
            message = (
                f"エラー: {str(error).splitlines()[0] if str(error) else type(error).__name__}"
            )
        self.notify(
            message,
            title=worker.description or "処理に失敗しました",
            severity="error",
            timeout=10,
        )

    def on_unmount(self) -> None:
        if self.bank is not None:
            self.bank.close()


def _quiz_title(start: QuizStart) -> str:
    from gquiz.study.drill import MODES

    f = start.filters
    if f.drill is not None:
        return MODES[f.drill]
    return "今日の復習" if f.review else "問題演習"


def make_app(settings: Settings, start: Start | None = None) -> GQuizApp:
    """The factory the CLI and the tests share."""
    return GQuizApp(settings, start)


def run_tui(settings: Settings, start: Start | None = None) -> None:
    make_app(settings, start).run()
