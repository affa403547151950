"""Every broken construct is an error, never a silent drop, and no file raises.

The corpus is tests/broken_content.py (101 files, each one mistake). Before this test,
31 of them passed `bank check` (14 silently dropping questions) and 4 raised
(benchmarks/bench_broken_content.py gives the before/after counts). A Hypothesis property
test feeds the parser arbitrary Markdown-ish text: it returns errors, it never raises.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gquiz.bank.build import Sources, check
from gquiz.bank.content import ContentError, parse_files
from gquiz.locations import shipped_syllabus
from gquiz.syllabus import load_syllabus
from tests.broken_content import BASE, MUTATIONS, STRAY_NAMES, write_case

SYLLABUS = load_syllabus(shipped_syllabus())


def _check_one(tmp_path: Path, name: str, data: str | bytes):
    content = tmp_path / "content"
    write_case(content, name, data)
    return check(Sources(content, tmp_path / "no-problems"))


def test_base_is_valid(tmp_path: Path) -> None:
    result = _check_one(tmp_path, "t-conv.md", BASE)
    assert result.errors == []
    assert [q.id for q in result.topics[0].questions] == [
        "t-conv-01",
        "t-conv-02",
        "t-conv-03",
        "t-conv-p01-a",
        "t-conv-p01-i",
    ]


@pytest.mark.parametrize("key", sorted(MUTATIONS))
def test_broken_file_is_reported(tmp_path: Path, key: str) -> None:
    result = _check_one(tmp_path, "t-conv.md", MUTATIONS[key](BASE))
    assert result.errors, f"{key}: passed bank check"
    for err in result.errors:
        assert str(err).startswith("s05/t-conv.md:") or "t-conv.md" in str(err)
        assert "\n" not in err.message


@pytest.mark.parametrize("key", sorted(STRAY_NAMES))
def test_file_that_would_be_skipped_is_reported(tmp_path: Path, key: str) -> None:
    result = _check_one(tmp_path, STRAY_NAMES[key], BASE)
    assert any(STRAY_NAMES[key] in str(e) for e in result.errors), key


def test_invalid_utf8_is_path_colon_message(tmp_path: Path) -> None:
    data = MUTATIONS["invalid UTF-8 byte"](BASE)
    assert isinstance(data, bytes)
    result = _check_one(tmp_path, "t-conv.md", data)
    (err,) = result.errors
    assert err.line == 0
    bad_line = data[: data.index(b"\xff")].count(b"\n") + 1
    assert str(err) == f"{err.path}: UTF-8 ではありません ({bad_line} 行目)"
    assert ":0:" not in str(err)


def test_a_broken_question_never_hides_the_others(tmp_path: Path) -> None:
    """The questions that do parse are still returned (with the error), none skipped silently."""
    result = _check_one(tmp_path, "t-conv.md", MUTATIONS["choice with a sub-list"](BASE))
    assert len(result.errors) == 1
    assert "1つの段落" in result.errors[0].message


FRAGMENTS = [
    "---\n",
    "section: S5.2\n",
    "topic: t-x\n",
    "title: x\n",
    "keywords: [a, {b: c}]\n",
    "# 問題\n",
    "## t-x-01\n",
    "## T X\n",
    "### 解説\n",
    "### （ア）\n",
    "#### 解説\n",
    "type: passage\n",
    "difficulty: 2\n",
    "difficulty：9\n",
    "- [x] a\n",
    "- [ ] b\n",
    "  - c\n",
    "1. [x] d\n",
    "> q\n",
    "```\n",
    "    code\n",
    "（ア）と（イ）\n",
    "{last}\n",
    "\n",
    "本文。\n",
    "---\n",
    "|a|b|\n|-|-|\n",
    "\r\n",
    "\ufeff",
]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join)
)
def test_parser_never_raises(tmp_path: Path, text: str) -> None:
    path = tmp_path / "t.md"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = parse_files([path], SYLLABUS, None, base=tmp_path)
    assert all(isinstance(e, ContentError) for e in result.errors)
    for topic in result.topics:
        for q in topic.questions:
            assert q.choices, "a question without choices is an error, not a question"


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=200))
def test_parser_never_raises_on_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "t.md"
    path.write_bytes(
        b"---\nsection: S5.2\ntopic: t-x\ntitle: x\n---\n# \xe5\x95\x8f\xe9\xa1\x8c\n" + data
    )
    result = parse_files([path], SYLLABUS, None, base=tmp_path)
    assert all(isinstance(e, ContentError) for e in result.errors)
