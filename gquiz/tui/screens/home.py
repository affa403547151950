"""Home: the ten 大項目, their 中項目 and topics, with question counts and accuracy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Footer, Header, Label, ProgressBar, Static, Tree

from gquiz.tui.format import pct, pct_range, percent
from gquiz.tui.messages import BankFailed, BankProgress, BankReady, OverviewLoaded, StartQuiz
from gquiz.tui.screens.base import GQuizScreen
from gquiz.tui.start import QuizFilters
from gquiz.tui.widgets.prose import Prose

if TYPE_CHECKING:
    from collections.abc import Iterator

    from textual.widgets.tree import TreeNode

    from gquiz.bank.repo import MajorView, SectionView, TopicView
    from gquiz.study.stats import AreaStats, TopicStats


@dataclass(frozen=True)
class NodeRef:
    kind: str  # "major" | "section" | "topic"
    key: str
    title: str


class HomeScreen(GQuizScreen[None]):
    """The syllabus tree on the left, details of the selection on the right."""

    BINDINGS = [
        Binding("n", "note", "ノート"),
        Binding("s", "quiz", "出題"),
        Binding("w", "drill('weak')", "弱点"),
        Binding("r", "review", "復習"),
        Binding("e", "app.exam", "模擬試験"),
        Binding("t", "stats", "成績"),
        Binding("h", "history", "履歴"),
        Binding("d", "family_drill", "計算ドリル", show=False),
        Binding("c", "calculator", "電卓", show=False),
        Binding("l", "labs", "ラボ", show=False),
        Binding("m", "mixed", "ランダム10問", show=False),
        Binding("x", "drill('wrong')", "間違えた問題", show=False),
        Binding("u", "drill('new')", "未回答", show=False),
        Binding("g", "drill('flagged')", "フラグ付き", show=False),
        Binding("o", "group_report", "勉強会の集計", show=False),
        Binding("q,escape", "app.quit", "終了"),
    ]
    MODES_HELP = (
        "w 弱点克服 r 復習{due} e 模擬試験 t 成績 h 履歴 d 計算ドリル c 電卓 l ラボ\n"
        "s 出題 n ノート m ランダム10問 x 間違えた問題 u 未回答 g フラグ付き ? ヘルプ"
    )

    def __init__(self) -> None:
        super().__init__()
        self.majors: list[MajorView] = []
        self.stats: dict[tuple[str, str], AreaStats | TopicStats] = {}
        self.selected: NodeRef | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="loading"):
            yield Label("問題バンクを準備しています...", id="loading-label")
            yield ProgressBar(id="loading-bar", show_eta=False)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        if self.app.bank is not None:
            self._show_ready()

    def _body(self) -> list[Widget]:
        # Mounted once the bank is open, not composed up front: the first paint then only
        # draws the header, a label and the footer (start-up speed is a feature).
        tree: Tree[NodeRef] = Tree("G検定 シラバス", id="syllabus")
        tree.show_root = False
        return [
            Static(self.MODES_HELP.format(due=""), id="modes"),
            Horizontal(
                tree,
                VerticalScroll(
                    Prose("", id="detail-title"),
                    Prose("左の一覧から項目を選んでください。", id="detail-body"),
                    id="detail",
                ),
                id="home-body",
            ),
        ]

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
        if not self.query("#home-body"):
            self.query_one("#loading").remove()
            self.mount_all(self._body(), before=self.query_one(Footer))
        self.load_overview()

    def on_screen_resume(self) -> None:
        if self.app.bank is not None:
            self.load_overview()

    @work(
        thread=True,
        exclusive=True,
        group="overview",
        exit_on_error=False,
        description="一覧を読み込む",
    )
    def load_overview(self) -> None:
        from gquiz.study.stats import learner_stats

        bank, learner_id = self.app.bank_and_learner()
        # The learner's numbers come from learner_stats (from the daily rollup); overview only
        # supplies the structure, so it need not group the whole attempt history again.
        majors = bank.overview()
        stats = learner_stats(bank, learner_id)
        self.post_message(OverviewLoaded(majors, stats))

    def on_overview_loaded(self, message: OverviewLoaded) -> None:
        self.majors = message.majors
        st = message.stats
        self.stats = {
            **{("major", m.id): m for m in st.majors},
            **{("section", x.id): x for x in st.sections},
            **{("topic", t.slug): t for t in st.topics},
        }
        due = st.total.due
        modes = self.MODES_HELP.format(due=f" ({due})" if due else "")
        estimate = st.readiness.estimate
        if st.total.record.attempts and estimate.n:
            # Readiness for the sitting: the estimate and its range (model in study/readiness).
            modes += f"\n本番形式 {estimate.n} 問の{estimate.label()}"
        self.query_one("#modes", Static).update(modes)
        tree = self.query_one("#syllabus", Tree)
        expanded = {n.data.key for n in _walk(tree.root) if n.data and n.is_expanded}
        cursor = tree.cursor_node.data.key if tree.cursor_node and tree.cursor_node.data else None
        tree.clear()
        for m in message.majors:
            label = (
                f"{m.major}. {m.title}  [dim]{m.n_questions}問 {self._range(('major', m.id))}[/]"
            )
            mnode = tree.root.add(label, NodeRef("major", m.id, m.title), expand=m.id in expanded)
            for s in m.sections:
                slabel = f"{s.id} {s.title}  [dim]{s.n_questions}問[/]"
                snode = mnode.add(
                    slabel, NodeRef("section", s.id, s.title), expand=s.id in expanded
                )
                for t in s.topics:
                    snode.add_leaf(
                        f"{t.title}  [dim]{t.n_questions}問 {self._range(('topic', t.slug))}[/]",
                        NodeRef("topic", t.slug, t.title),
                    )
        if cursor:
            for node in _walk(tree.root):
                if node.data and node.data.key == cursor:
                    tree.move_cursor(node)
                    break
        elif tree.root.children:
            tree.move_cursor(tree.root.children[0])
        tree.focus()
        if tree.cursor_node is not None and tree.cursor_node.data is not None:
            self.selected = tree.cursor_node.data
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

    def _range(self, key: tuple[str, str]) -> str:
        """`定着 45〜80%` (the 90 % range of the mastery estimate), or `-` before any answer."""
        st = self.stats.get(key)
        if st is None or not st.record.attempts:
            return "-"
        return pct_range(st.record.mastery_low, st.record.mastery_high)

    def _mastery_lines(self, key: tuple[str, str]) -> list[str]:
        st = self.stats.get(key)
        if st is None or not st.record.attempts:
            return ["定着度: 未学習"]
        r = st.record
        lines = [
            f"定着度: {pct(r.mastery)}  (90%の範囲 {pct_range(r.mastery_low, r.mastery_high)})  {r.level}",
            f"回答 {r.attempts} 回  正答率 {percent(r.correct, r.attempts)}",
        ]
        if st.due:
            lines.append(f"今日の復習: {st.due} 問")
        return lines

    def _major(self, key: str) -> MajorView | None:
        return next((m for m in self.majors if m.id == key), None)

    def _section(self, key: str) -> SectionView | None:
        return next((s for m in self.majors for s in m.sections if s.id == key), None)

    def _topic(self, key: str) -> TopicView | None:
        return next(
            (t for m in self.majors for s in m.sections for t in s.topics if t.slug == key), None
        )

    def _update_detail(self) -> None:
        ref = self.selected
        title = self.query_one("#detail-title", Prose)
        body = self.query_one("#detail-body", Prose)
        if ref is None:
            return
        lines: list[str] = []
        if ref.kind == "major":
            major = self._major(ref.key)
            if major is None:
                return
            title.update(f"大項目 {major.major}. {major.title}")
            lines.append(f"{len(major.sections)} 中項目 / {major.n_questions} 問")
            lines.extend(self._mastery_lines(("major", ref.key)))
            lines.append("")
            for s in major.sections:
                lines.append(
                    f"  {s.id} {s.title}  {s.n_questions}問  {self._range(('section', s.id))}"
                )
            lines.append("")
            lines.append("s: この大項目から出題")
        elif ref.kind == "section":
            section = self._section(ref.key)
            if section is None:
                return
            title.update(f"中項目 {section.id} {section.title}")
            lines.append(f"{section.n_questions} 問")
            lines.extend(self._mastery_lines(("section", ref.key)))
            lines.append("")
            for t in section.topics:
                lines.append(f"  {t.title}  {t.n_questions}問  {self._range(('topic', t.slug))}")
            lines.append("")
            lines.append("s: この中項目から出題")
        else:
            topic = self._topic(ref.key)
            if topic is None:
                return
            title.update(topic.title)
            lines.append(f"{topic.n_questions} 問")
            lines.extend(self._mastery_lines(("topic", ref.key)))
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
        if ref.kind == "topic":
            filters = QuizFilters(topic=ref.key)
        else:
            filters = QuizFilters(section=ref.key)
        self.post_message(StartQuiz(filters, ref.title))

    def action_mixed(self) -> None:
        import random

        self.post_message(
            StartQuiz(QuizFilters(count=10, seed=random.randrange(10**9)), "ランダム10問")
        )

    def action_drill(self, mode: str) -> None:
        from gquiz.study.drill import MODES

        self.post_message(StartQuiz(QuizFilters(drill=mode, count=20), MODES[mode]))

    def action_review(self) -> None:
        self.post_message(StartQuiz(QuizFilters(review=True, count=50), "今日の復習"))

    def action_stats(self) -> None:
        from gquiz.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen())

    def action_history(self) -> None:
        from gquiz.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen())

    def action_family_drill(self) -> None:
        family = None
        if self.selected is not None and self.selected.kind == "topic":
            topic = self._topic(self.selected.key)
            family = topic.drills[0] if topic is not None and topic.drills else None
        self.app.push_optional("gquiz.tui.screens.drill", "DrillScreen", family)

    def action_group_report(self) -> None:
        from gquiz.tui.screens.group import GroupReportScreen

        self.app.push_screen(GroupReportScreen())

    def action_calculator(self) -> None:
        self.app.push_optional("gquiz.tui.screens.calculator", "CalculatorScreen")

    def action_labs(self) -> None:
        self.app.push_optional("gquiz.tui.screens.labs", "LabsScreen")


def _walk(node: TreeNode[NodeRef]) -> Iterator[TreeNode[NodeRef]]:
    yield node
    for child in node.children:
        yield from _walk(child)
