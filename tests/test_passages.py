"""The passage-with-blanks (穴埋め) format: one question per blank, errors with path:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_content_parser import GOOD_Q, HEADER, messages, parse_text

PASSAGE = """
## t-conv-p01
type: passage
difficulty: 3
keywords: パディング, ストライド

畳み込みでは入力の周囲を（ア）で埋めることがある。カーネルをずらす幅を（イ）という。

### （ア）

- [x] ゼロ
- [ ] 平均値
- [ ] 最大値
- [ ] 乱数

#### 解説

ゼロパディングが基本。

### （イ）

- [ ] パディング
- [x] ストライド
- [ ] ダイレーション
- [ ] チャネル

#### 解説

ずらす幅はストライド。

二段落目。
"""


def test_a_passage_gives_one_question_per_blank(tmp_path: Path) -> None:
    result = parse_text(tmp_path, HEADER + GOOD_Q + PASSAGE + GOOD_Q.replace("-01", "-02"))
    assert result.errors == []
    ids = [q.id for q in result.topics[0].questions]
    assert ids == ["t-conv-01", "t-conv-p01-a", "t-conv-p01-i", "t-conv-02"]
    a, i = result.topics[0].questions[1:3]
    assert a.passage is not None
    assert a.passage.id == "t-conv-p01"
    assert a.passage.label == "ア"
    assert a.passage.text.startswith("畳み込みでは")
    assert a.passage.text.endswith("という。")
    assert a.stem == a.passage.text + "\n\n（ア）に入る最も適切な語句を選べ。"
    assert [c.text for c in a.choices if c.correct] == ["ゼロ"]
    assert a.explanation == "ゼロパディングが基本。"
    assert i.explanation == "ずらす幅はストライド。\n\n二段落目。"
    # Each blank keeps the passage's keywords it names itself, not its neighbour's answer.
    assert (a.difficulty, a.keywords) == (3, ["パディング"])
    assert (i.difficulty, i.keywords) == (3, ["パディング", "ストライド"])
    assert a.line == 34
    assert i.line == 45


def test_a_passage_keyword_no_blank_names_is_an_error(tmp_path: Path) -> None:
    text = HEADER + PASSAGE.replace(
        "keywords: パディング, ストライド", "keywords: パディング, プーリング"
    )
    result = parse_text(tmp_path, text)
    assert any(
        "t-conv-p01: キーワード「プーリング」が本文にもどの空欄の選択肢・解説にも出てきません" in m
        for m in messages(result)
    ), messages(result)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (("（イ）という。", "という。"), "本文に （イ） がありません"),
        (("という。", "という。（ウ）も。"), "（ウ） に対応する ### （ウ） がありません"),
        (("### （イ）", "### （ウ）"), "ア・イ の順に"),
        (("- [ ] 平均値", "- [x] 平均値"), "ちょうど1つ"),
        (("#### 解説\n\nゼロパディングが基本。", ""), "#### 解説 がありません"),
        (("#### 解説\n\nゼロパディングが基本。", "#### 解説\n"), "解説が空です"),
        (("- [x] ゼロ\n- [ ] 平均値\n- [ ] 最大値\n- [ ] 乱数\n", "本文だけ。\n"), "選択肢"),
        (("### （ア）", "### 空欄ア"), "空欄のラベル"),
        (("## t-conv-p01", "## Bad P"), "id は英小文字"),
    ],
)
def test_passage_errors_name_their_line(
    tmp_path: Path, change: tuple[str, str], fragment: str
) -> None:
    result = parse_text(tmp_path, HEADER + PASSAGE.replace(*change, 1))
    found = messages(result)
    assert any(m.startswith("t.md:") and fragment in m for m in found), found


def test_no_silent_drop_when_a_blank_is_broken(tmp_path: Path) -> None:
    result = parse_text(tmp_path, HEADER + PASSAGE.replace("- [x] ストライド", "- [ ] ストライド"))
    assert result.errors  # the broken blank is an error, never just missing


def test_passage_blank_ids_are_unique_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(HEADER + PASSAGE, encoding="utf-8")
    other = HEADER.replace("t-conv", "t-other") + PASSAGE.replace("t-conv-p01", "t-conv-p01")
    (tmp_path / "b.md").write_text(other, encoding="utf-8")
    from gquiz.bank.content import parse_files
    from tests.test_content_parser import SYLLABUS

    result = parse_files([tmp_path / "a.md", tmp_path / "b.md"], SYLLABUS, None, base=tmp_path)
    assert any("t-conv-p01-a" in str(e) and "重複" in str(e) for e in result.errors)


def test_pinned_choice_is_parsed(tmp_path: Path) -> None:
    result = parse_text(tmp_path, HEADER + GOOD_Q.replace("- [ ] c", "- [ ] いずれでもない {last}"))
    assert result.errors == []
    choice = result.topics[0].questions[0].choices[-1]
    assert (choice.text, choice.pinned) == ("いずれでもない", True)


def _passage_topic(settings) -> None:  # type: ignore[no-untyped-def]
    header = HEADER.replace("t-conv", "fx-passage")
    (settings.content / "s05" / "passage.md").write_text(
        header + PASSAGE.replace("t-conv", "fx-passage"), encoding="utf-8"
    )


async def test_a_blank_is_answered_in_the_tui_with_its_passage(settings) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Markdown, Static

    from gquiz.tui.app import make_app
    from gquiz.tui.screens.quiz import QuizScreen
    from gquiz.tui.start import QuizFilters, QuizStart
    from tests.helpers import settle
    from tests.test_tui import attempts, static_text

    _passage_topic(settings)
    app = make_app(settings, start=QuizStart(QuizFilters(topic="fx-passage", seed=3)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        q = quiz.session.current
        assert q.passage_id == "fx-passage-p01"
        stem = quiz.query_one("#stem", Markdown).source
        assert "カーネルをずらす幅を（イ）という。" in stem
        assert f"（{q.blank_label}）に入る最も適切な語句を選べ。" in stem
        right = next(i for i, c in enumerate(q.choices) if c.correct)
        await pilot.press(str(right + 1), "enter")
        await settle(app, pilot)
        assert "正解" in static_text(quiz.query_one("#verdict", Static))

        # Read again from the results list: the passage is shown once, above the blank.
        from gquiz.tui.screens.question import QuestionScreen
        from gquiz.tui.screens.results import ResultsScreen

        await pilot.press("q")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        review = app.screen
        assert isinstance(review, QuestionScreen)
        shown = review.query_one("#review-stem", Markdown).source
        assert shown.count("カーネルをずらす幅を") == 1, shown
        assert f"（{q.blank_label}）に入る最も適切な語句を選べ。" in shown
    assert attempts(settings) == [(q.id, 1)]


def test_blanks_in_plain_mode_exams_and_exports(settings) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from click.testing import CliRunner

    from gquiz.cli import main
    from gquiz.study.export import exam_data, to_html, to_markdown
    from tests.conftest import REPO
    from tests.helpers import cli_env, shown_as, typed

    _passage_topic(settings)
    shutil.copy(REPO / "content" / "exam-blueprint.md", settings.content / "exam-blueprint.md")
    shown = shown_as(settings, "fx-passage-p01-a", 1)
    result = CliRunner().invoke(
        main,
        ["quiz", "--plain", "--topic", "fx-passage", "--seed", "1", "--count", "1"],
        input=typed(shown, (1,)) + "\n",
        env=cli_env(settings),
    )
    assert result.exit_code == 0, result.output
    assert "畳み込みでは入力の周囲を（ア）で埋める" in result.output
    assert "に入る最も適切な語句を選べ。" in result.output
    bank = settings.open_bank()
    bank.ensure_built()
    data = exam_data(bank, 5, 2)
    bank.close()
    ids = [q["id"] for q in data["questions"]]
    a, i = ids.index("fx-passage-p01-a"), ids.index("fx-passage-p01-i")
    assert abs(a - i) == 1  # a passage's blanks stay together
    md = to_markdown(data)
    assert md.count("畳み込みでは入力の周囲を") == 1  # the passage is printed once
    assert "次の文章を読み、問" in md
    html = to_html(data)
    assert html.count("畳み込みでは入力の周囲を") == 1
