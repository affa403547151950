"""Home: the ten 大項目, their 中項目 and topics, with question counts and accuracy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, ProgressBar, Static, Tree

from gquiz.tui.format import accuracy_label, percent
from gquiz.tui.messages import BankFailed, BankProgress, BankReady, OverviewLoaded, StartQuiz

if TYPE_CHECKING:
    from gquiz.bank.repo import MajorView, SectionView, TopicView


@dataclass(frozen=True)
class NodeRef:
    kind: str  # "major" | "section" | "topic"
    key: str
    title: str


class HomeScreen(Screen[None]):
    """The syllabus tree on the left, details of the selection on the right."""

    BINDINGS = [
        Binding("n", "note", "ノート"),
        Binding("s", "quiz", "出題"),
        Binding("m", "mixed", "ランダム10問"),
        Binding("q", "app.quit", "終了"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.majors: list[MajorView] = []
        self.selected: NodeRef | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="loading"):
            yield Label("問題バンクを準備しています...", id="loading-label")
            yield ProgressBar(id="loading-bar", show_eta=False)
        with Horizontal(id="home-body"):
            tree: Tree[NodeRef] = Tree("G検定 シラバス", id="syllabus")
            tree.show_root = False
            yield tree
            with VerticalScroll(id="detail"):
                yield Static("", id="detail-title")
                yield Static("左の一覧から項目を選んでください。", id="detail-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#home-body").display = False
        if getattr(self.app, "bank", None) is not None:
            self._show_ready()

    # -- bank loading ------------------------------------------------------------------------
    def on_bank_progress(self, message: BankProgress) -> None:
        self.query_one("#loading-label", Label).update(
            f"問題バンクを構築しています: {message.what}"
        )
        self.query_one("#loading-bar", ProgressBar).update(
            total=message.total, progress=message.done
        )

    def on_bank_ready(self, _message: BankReady) -> None:
        self._show_ready()

    def on_bank_failed(self, message: BankFailed) -> None:
        self.query_one("#loading-bar").display = False
        shown = "\n".join(message.lines[:15])
        more = f"\n... ほか {len(message.lines) - 15} 件" if len(message.lines) > 15 else ""
        self.query_one("#loading-label", Label).update(
            f"コンテンツに誤りがあるため問題バンクを構築できません:\n{shown}{more}\n\n`gquiz bank check` で確認できます。"
        )

    def _show_ready(self) -> None:
        self.query_one("#loading").display = False
        self.query_one("#home-body").display = True
        self.load_overview()

    def on_screen_resume(self) -> None:
        if getattr(self.app, "bank", None) is not None:
            self.load_overview()

    @work(
        thread=True,
        exclusive=True,
        group="overview",
        exit_on_error=False,
        description="一覧を読み込む",
    )
    def load_overview(self) -> None:
        app = self.app
        majors = app.bank.overview(app.learner_id)  # type: ignore[attr-defined]
        self.post_message(OverviewLoaded(majors))

    def on_overview_loaded(self, message: OverviewLoaded) -> None:
        self.majors = message.majors
        tree = self.query_one("#syllabus", Tree)
        expanded = {n.data.key for n in _walk(tree.root) if n.data and n.is_expanded}
        cursor = tree.cursor_node.data.key if tree.cursor_node and tree.cursor_node.data else None
        tree.clear()
        for m in message.majors:
            label = (
                f"{m.major}. {m.title}  [dim]{m.n_questions}問 {percent(m.correct, m.attempts)}[/]"
            )
            mnode = tree.root.add(label, NodeRef("major", m.id, m.title), expand=m.id in expanded)
            for s in m.sections:
                slabel = f"{s.id} {s.title}  [dim]{s.n_questions}問[/]"
                snode = mnode.add(
                    slabel, NodeRef("section", s.id, s.title), expand=s.id in expanded
                )
                for t in s.topics:
                    snode.add_leaf(
                        f"{t.title}  [dim]{t.n_questions}問[/]", NodeRef("topic", t.slug, t.title)
                    )
        if cursor:
            for node in _walk(tree.root):
                if node.data and node.data.key == cursor:
                    tree.move_cursor(node)
                    break
        tree.focus()
        self._update_detail()

    # -- selection ---------------------------------------------------------------------------
    @on(Tree.NodeHighlighted, "#syllabus")
    def _highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        self.selected = event.node.data
        self._update_detail()

    @on(Tree.NodeSelected, "#syllabus")
    def _selected(self, event: Tree.NodeSelected[NodeRef]) -> None:
        if event.node.data and event.node.data.kind == "topic":
            self.action_note()

    def _find(self, ref: NodeRef) -> MajorView | SectionView | TopicView | None:
        for m in self.majors:
            if ref.kind == "major" and m.id == ref.key:
                return m
            for s in m.sections:
                if ref.kind == "section" and s.id == ref.key:
                    return s
                for t in s.topics:
                    if ref.kind == "topic" and t.slug == ref.key:
                        return t
        return None

    def _update_detail(self) -> None:
        ref = self.selected
        title = self.query_one("#detail-title", Static)
        body = self.query_one("#detail-body", Static)
        if ref is None:
            return
        item = self._find(ref)
        if item is None:
            return
        lines: list[str] = []
        if ref.kind == "major":
            title.update(f"大項目 {item.major}. {item.title}")  # type: ignore[union-attr]
            lines.append(f"{len(item.sections)} 中項目 / {item.n_questions} 問")  # type: ignore[union-attr]
            lines.append(accuracy_label(item.correct, item.attempts))  # type: ignore[union-attr]
            lines.append("")
            for s in item.sections:  # type: ignore[union-attr]
                lines.append(
                    f"  {s.id} {s.title}  {s.n_questions}問  {percent(s.correct, s.attempts)}"
                )
            lines.append("")
            lines.append("s: この大項目から出題")
        elif ref.kind == "section":
            title.update(f"中項目 {item.id} {item.title}")  # type: ignore[union-attr]
            lines.append(f"{item.n_questions} 問  {accuracy_label(item.correct, item.attempts)}")  # type: ignore[union-attr]
            lines.append("")
            for t in item.topics:  # type: ignore[union-attr]
                lines.append(f"  {t.title}  {t.n_questions}問  {percent(t.correct, t.attempts)}")
            lines.append("")
            lines.append("s: この中項目から出題")
        else:
            topic: TopicView = item  # type: ignore[assignment]
            title.update(topic.title)
            lines.append(f"{topic.n_questions} 問  {accuracy_label(topic.correct, topic.attempts)}")
            if topic.keywords:
                lines.append("")
                lines.append("キーワード: " + "、".join(topic.keywords))
            if topic.drills:
                lines.append("計算ドリル: " + "、".join(topic.drills))
            lines.append("")
            lines.append("Enter / n: ノートを読む   s: このトピックから出題")
        body.update("\n".join(lines))

    # -- actions -----------------------------------------------------------------------------
    def action_note(self) -> None:
        from gquiz.tui.screens.note import NoteScreen

        ref = self.selected
        if ref is None or ref.kind != "topic":
            self.notify("トピックを選ぶとノートを読めます。", severity="warning")
            return
        self.app.push_screen(NoteScreen(ref.key))

    def action_quiz(self) -> None:
        ref = self.selected
        if ref is None:
            return
        key = "topic" if ref.kind == "topic" else "section"
        self.post_message(StartQuiz({key: ref.key}, ref.title))

    def action_mixed(self) -> None:
        self.post_message(StartQuiz({"count": 10}, "ランダム10問"))


def _walk(node):  # type: ignore[no-untyped-def]
    yield node
    for child in node.children:
        yield from _walk(child)
