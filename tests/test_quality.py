"""Answer-cue statistics: what a test-wise learner could score without knowing anything."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from gquiz.bank.content import content_files, parse_files
from gquiz.bank.quality import _expected_longest_score, choice_length, measure
from gquiz.cli import main
from gquiz.locations import shipped_syllabus
from gquiz.syllabus import load_syllabus

SYLLABUS = load_syllabus(shipped_syllabus())


def _write(root: Path, questions: list[tuple[str, list[tuple[str, bool]]]]) -> Path:
    folder = root / "s01"
    folder.mkdir(parents=True, exist_ok=True)
    parts = [
        "---\nsection: S1.1\ntopic: cue\ntitle: 手がかり\n---\n\n# 手がかり\n\nノート。\n\n# 問題\n"
    ]
    for n, (stem, choices) in enumerate(questions, start=1):
        body = "\n".join(f"- [{'x' if ok else ' '}] {text}" for text, ok in choices)
        parts.append(
            f"\n## cue-{n:02d}\nkeywords: 人工知能\n\n{stem}\n\n{body}\n\n### 解説\n\n人工知能の説明。\n"
        )
    (folder / "cue.md").write_text("".join(parts), encoding="utf-8")
    return root


def _stats(root: Path):  # type: ignore[no-untyped-def]
    return measure(parse_files(content_files(root), SYLLABUS).topics)


def test_longest_choice_cue_is_measured(tmp_path: Path) -> None:
    leaky = [
        (
            "最も適切なものを選べ。",
            [("短い", False), ("とても長くて詳しい正解の文", True), ("短め", False)],
        )
        for _ in range(10)
    ]
    report = _stats(_write(tmp_path / "a", leaky))
    assert report.overall.longest_correct_rate == 1.0
    assert report.overall.always_longest_score == 1.0
    assert any("最も長い選択肢" in f for f in report.failures)
    fair = [
        (
            "最も適切なものを選べ。",
            [("とても長くて詳しい誤りの文", False), ("正解の文", True), ("短め", False)],
        )
        for _ in range(10)
    ]
    report = _stats(_write(tmp_path / "b", fair))
    assert report.overall.longest_correct_rate == 0.0
    assert report.failures == []


def test_absolute_and_hedge_words(tmp_path: Path) -> None:
    questions = [
        (
            "適切なものを選べ。",
            [("必ず収束する方法", False), ("収束する場合がある方法", True), ("別の方法", False)],
        )
        for _ in range(5)
    ]
    report = _stats(_write(tmp_path, questions))
    assert report.overall.absolute_correct_rate == 0.0
    assert report.overall.hedge_correct_rate == 1.0
    assert any("断定語" in f for f in report.failures)
    assert any("ぼかし語" in f for f in report.failures)


def test_expected_score_breaks_ties_at_random() -> None:
    assert _expected_longest_score([5, 5, 1, 1], [True, False, False, False], 1) == 0.5
    assert _expected_longest_score([9, 5, 5, 1], [True, True, False, False], 2) == 0.5
    assert _expected_longest_score([9, 8, 1, 1], [True, False, True, False], 2) == 0.0
    assert _expected_longest_score([3, 3, 3, 3], [False, True, False, False], 1) == 0.25
    assert choice_length("`ReLU` を **使う**") == len("ReLUを使う")


def test_keyword_missing_from_question_is_warned(tmp_path: Path) -> None:
    root = _write(tmp_path, [("最も適切なものを選べ。", [("a", True), ("b", False)])])
    text = (root / "s01" / "cue.md").read_text(encoding="utf-8")
    (root / "s01" / "cue.md").write_text(
        text.replace("人工知能の説明。", "説明。"), encoding="utf-8"
    )
    report = _stats(root)
    assert [w.message for w in report.warnings] == [
        "cue-01: キーワード「人工知能」が問題文・選択肢・解説のどこにもありません"
    ]
    assert str(report.warnings[0]).startswith("s01/cue.md:") or "cue.md:" in str(report.warnings[0])


def test_bank_check_fails_a_bank_with_cues(tmp_path: Path) -> None:
    leaky = [
        (
            "最も適切なものを選べ。",
            [("短い", False), ("とても長くて詳しい正解の文", True), ("短め", False)],
        )
        for _ in range(10)
    ]
    root = _write(tmp_path / "content", leaky)
    env = {"GQUIZ_CONTENT": str(root), "GQUIZ_PROBLEMS": str(tmp_path / "none")}
    result = CliRunner().invoke(main, ["bank", "check"], env=env)
    assert result.exit_code == 1
    assert "答えの手がかり: 最も長い選択肢が正解の割合 100.0%" in result.output
    result = CliRunner().invoke(main, ["bank", "quality", "--json"], env=env)
    data = json.loads(result.stdout)
    assert data["overall"]["longest_correct_rate"] == 1.0
    assert data["by_major"]["S1"]["questions"] == 10


def test_as_of_and_sources_and_stale_warning(tmp_path: Path) -> None:
    from datetime import date

    from gquiz.bank.quality import stale_notes

    root = _write(tmp_path / "c", [("最も適切なものを選べ。", [("a", True), ("b", False)])])
    path = root / "s01" / "cue.md"
    text = path.read_text(encoding="utf-8")
    dated = text.replace(
        "title: 手がかり\n",
        "title: 手がかり\nas_of: 2025-06\nsources: [個人情報保護法 (令和2年改正)]\n",
    )
    path.write_text(dated, encoding="utf-8")
    topics = parse_files(content_files(root), SYLLABUS).topics
    (topic,) = topics
    assert (topic.as_of, topic.sources) == ("2025-06", ["個人情報保護法 (令和2年改正)"])
    assert stale_notes(topics, date(2026, 5, 31)) == []
    (warning,) = stale_notes(topics, date(2026, 6, 1))
    assert "2025年06月時点" in warning.message
    assert "12か月前" in warning.message
    # as_of without sources, or a malformed month, is an error.
    path.write_text(
        text.replace("title: 手がかり\n", "title: 手がかり\nas_of: 2025-13\n"), encoding="utf-8"
    )
    errors = [str(e) for e in parse_files(content_files(root), SYLLABUS).errors]
    assert any("as_of は YYYY-MM" in e for e in errors)
    assert any("sources" in e for e in errors)


def test_shipped_bank_gives_no_answer_cues() -> None:
    """The whole shipped bank stays within every cue limit (bank check fails otherwise)."""
    from gquiz.locations import content_dir

    report = _stats(content_dir())
    assert report.failures == []
    assert report.overall.questions >= 900
