"""Answer cues a test-wise learner could score on, measured over the parsed content.

A question should be answered by knowing the subject, not by reading its form. These figures
say how far the bank lets form stand in for knowledge: how often the longest choice is the key,
what a learner who always picks the longest choice would score, whether absolute words
(必ず, すべて, のみ ...) mark a wrong choice and hedges (場合がある, 一般に ...) a right one, and how
the keys of choose-two questions are spread over the written positions. `bank check` fails when
the whole bank crosses a threshold, so a content change cannot bring the cues back.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from gquiz.bank.content import ContentError, QuestionDoc, TopicDoc, mentions
from gquiz.text.numbers import pct

# Words that make a statement absolute, and words that hedge it. Both lists are what a
# test-wise reader keys on in Japanese exam questions.
ABSOLUTE = re.compile(
    r"必ず|すべて|全て|常に|のみ|だけ|絶対|決して|一切|完全に|100\s*%|どんな|いかなる"
)
HEDGE = re.compile(
    r"場合がある|場合もある|ことがある|こともある|ことが多い|場合が多い|一般に|一般的に|"
    r"可能性がある|傾向がある|傾向にある|得る|うる|しばしば|多くの場合|主に|など"
)
# A stem asking for the appropriate statement (not 不適切).
APPROPRIATE = re.compile(r"(?<!不)適切な(もの|記述|説明|組み合わせ)")


@dataclass(frozen=True)
class Thresholds:
    """Limits over the whole bank; crossing one fails `bank check`."""

    longest_correct_max: float = 0.30
    always_longest_max: float = 0.32
    absolute_correct_min: float = 0.18
    hedge_correct_max: float = 0.45


THRESHOLDS = Thresholds()


@dataclass
class CueStats:
    """Cue figures for one group of questions (a 大項目 or the whole bank)."""

    questions: int = 0
    single: int = 0
    longest_correct: int = 0
    always_longest: float = 0.0
    absolute_total: int = 0
    absolute_correct: int = 0
    hedge_total: int = 0
    hedge_correct: int = 0
    two_keys: Counter[str] = field(default_factory=Counter)

    @property
    def longest_correct_rate(self) -> float | None:
        """Share of single-answer questions whose one longest choice is the key (a tie for longest
        never counts); None when the group has no single-answer question."""
        return self.longest_correct / self.single if self.single else None

    @property
    def always_longest_score(self) -> float | None:
        """Expected score, over every question, of a learner who picks the n longest choices (n =
        the number of keys), ties drawn at random; None for an empty group."""
        return self.always_longest / self.questions if self.questions else None

    @property
    def absolute_correct_rate(self) -> float | None:
        """Share of absolute-worded choices (必ず, すべて ...) that are right, in single-answer
        「適切な」 stems only; too low means 「absolute = wrong」 is a reliable cue. None when there
        are none."""
        return self.absolute_correct / self.absolute_total if self.absolute_total else None

    @property
    def hedge_correct_rate(self) -> float | None:
        """Share of hedged choices (場合がある, 一般に ...) that are right, in single-answer
        「適切な」 stems only; too high means 「hedge = right」 is a reliable cue. None when there
        are none."""
        return self.hedge_correct / self.hedge_total if self.hedge_total else None

    def add(self, q: QuestionDoc, stem: str) -> None:
        """Count one question into these figures; `stem` must already be NFKC-normalised (the caller
        normalises it once for the overall and the 大項目 figures)."""
        lengths = [choice_length(c.text) for c in q.choices]
        correct = [c.correct for c in q.choices]
        self.questions += 1
        n_correct = sum(correct)
        if n_correct == 1:
            self.single += 1
            top = max(lengths)
            if lengths.count(top) == 1 and correct[lengths.index(top)]:
                self.longest_correct += 1
        self.always_longest += _expected_longest_score(lengths, correct, n_correct)
        if n_correct == 2:
            self.two_keys[",".join(str(i + 1) for i, c in enumerate(correct) if c)] += 1
        if APPROPRIATE.search(stem) and n_correct == 1:
            for c in q.choices:
                text = unicodedata.normalize("NFKC", c.text)
                if ABSOLUTE.search(text):
                    self.absolute_total += 1
                    self.absolute_correct += c.correct
                if HEDGE.search(text):
                    self.hedge_total += 1
                    self.hedge_correct += c.correct

    def as_dict(self) -> dict[str, object]:
        """The figures under stable JSON keys for `bank check --quality --json` (rates stay None,
        not 0, when nothing was counted)."""
        return {
            "questions": self.questions,
            "single_answer": self.single,
            "longest_correct_rate": self.longest_correct_rate,
            "always_longest_score": self.always_longest_score,
            "absolute_choices": self.absolute_total,
            "absolute_correct_rate": self.absolute_correct_rate,
            "hedge_choices": self.hedge_total,
            "hedge_correct_rate": self.hedge_correct_rate,
            "choose_two_keys": dict(sorted(self.two_keys.items())),
        }


def choice_length(text: str) -> int:
    """Length as a reader sees it: NFKC, without Markdown marks and spaces."""
    norm = unicodedata.normalize("NFKC", text)
    norm = re.sub(r"[`*_\s]", "", norm)
    return len(norm)


def _expected_longest_score(lengths: list[int], correct: list[bool], n_pick: int) -> float:
    """Expected score of picking the n longest choices, ties broken at random.

    All-or-nothing, as gquiz grades: the picked set must equal the key. The picked set is
    every choice longer than the n-th longest length, plus a random draw from those of that
    length; the score is the chance that the draw completes the key.
    """
    if n_pick == 0 or n_pick > len(lengths):
        return 0.0
    cut = sorted(lengths, reverse=True)[n_pick - 1]
    sure = {i for i, n in enumerate(lengths) if n > cut}
    group = {i for i, n in enumerate(lengths) if n == cut}
    key = {i for i, c in enumerate(correct) if c}
    need = n_pick - len(sure)
    rest = key - sure
    if not sure <= key or not rest <= group or len(rest) != need:
        return 0.0
    from math import comb

    return 1 / comb(len(group), need)


@dataclass
class QualityReport:
    """What `measure` finds: the cue figures overall and per 大項目, the thresholds crossed (these
    fail a whole-bank `bank check`) and keyword warnings (which do not)."""

    overall: CueStats
    by_major: dict[int, CueStats]
    failures: list[str]
    warnings: list[ContentError]

    def as_dict(self) -> dict[str, object]:
        """The report as `bank check --quality --json` prints it, thresholds included, so a reader
        of the JSON sees the limits the figures were held to."""
        return {
            "overall": self.overall.as_dict(),
            "by_major": {f"S{m}": s.as_dict() for m, s in sorted(self.by_major.items())},
            "thresholds": THRESHOLDS.__dict__,
            "failures": self.failures,
            "warnings": [str(w) for w in self.warnings],
        }


def _major(section_id: str) -> int:
    return int(section_id[1:].split(".")[0])


def measure(topics: Iterable[TopicDoc], thresholds: Thresholds = THRESHOLDS) -> QualityReport:
    """Cue statistics per 大項目 and overall, the threshold failures and keyword warnings."""
    overall = CueStats()
    by_major: dict[int, CueStats] = {}
    warnings: list[ContentError] = []
    for topic in topics:
        stats = by_major.setdefault(_major(topic.section_id), CueStats())
        for q in topic.questions:
            stem = unicodedata.normalize("NFKC", q.stem)
            overall.add(q, stem)
            stats.add(q, stem)
            text = "\n".join([q.stem, q.explanation, *(c.text for c in q.choices)])
            for kw in q.keywords:
                if not mentions(text, kw):
                    warnings.append(
                        ContentError(
                            topic.path,
                            q.line,
                            f"{q.id}: キーワード「{kw}」が問題文・選択肢・解説のどこにもありません",
                        )
                    )
    return QualityReport(overall, by_major, check(overall, thresholds), warnings)


STALE_MONTHS = 12


def stale_notes(topics: Iterable[TopicDoc], today: date | None = None) -> list[ContentError]:
    """Notes whose `as_of` is 12 months old or more: law and guidelines move, so such a note
    must be checked against its sources again."""
    today = today or date.today()
    now = today.year * 12 + today.month - 1
    out = []
    for topic in topics:
        if not topic.as_of:
            continue
        year, month = (int(x) for x in topic.as_of.split("-"))
        age = now - (year * 12 + month - 1)
        if age >= STALE_MONTHS:
            out.append(
                ContentError(
                    topic.path,
                    2,
                    f"ノート {topic.slug} は {year}年{month:02d}月時点の内容です ({age}か月前)。"
                    "sources を確かめて as_of を更新してください",
                )
            )
    return out


def check(stats: CueStats, t: Thresholds = THRESHOLDS) -> list[str]:
    """The thresholds the figures cross, as Japanese sentences."""
    failures = []
    rate = stats.longest_correct_rate
    if rate is not None and rate > t.longest_correct_max:
        failures.append(
            f"最も長い選択肢が正解の割合 {pct(rate, 1)} が上限 {pct(t.longest_correct_max)} を超えています"
        )
    score = stats.always_longest_score
    if score is not None and score > t.always_longest_max:
        failures.append(
            f"常に最長の選択肢を選ぶ受験者の得点 {pct(score, 1)} が上限 {pct(t.always_longest_max)} を超えています"
        )
    rate = stats.absolute_correct_rate
    if rate is not None and rate < t.absolute_correct_min:
        failures.append(
            f"断定語 (必ず・すべて・のみ など) を含む選択肢の正解率 {pct(rate, 1)} が下限 "
            f"{pct(t.absolute_correct_min)} を下回っています"
        )
    rate = stats.hedge_correct_rate
    if rate is not None and rate > t.hedge_correct_max:
        failures.append(
            f"ぼかし語 (場合がある・一般に など) を含む選択肢の正解率 {pct(rate, 1)} が上限 "
            f"{pct(t.hedge_correct_max)} を超えています"
        )
    return failures


def _pct(value: float | None) -> str:
    return "  -  " if value is None else f"{pct(value, 1):>6}"


def format_report(report: QualityReport) -> str:
    """A table a maintainer reads in the terminal."""
    lines = [
        "大項目  問題数  最長=正解  常に最長  断定語の正解率  ぼかし語の正解率",
    ]
    rows = [(f"S{m}", s) for m, s in sorted(report.by_major.items())] + [("全体", report.overall)]
    for label, s in rows:
        lines.append(
            f"{label:<6}{s.questions:>6}  {_pct(s.longest_correct_rate):>8}  "
            f"{_pct(s.always_longest_score):>8}  "
            f"{_pct(s.absolute_correct_rate):>8} ({s.absolute_total:>3})  "
            f"{_pct(s.hedge_correct_rate):>8} ({s.hedge_total:>3})"
        )
    keys = report.overall.two_keys
    if keys:
        spread = ", ".join(f"{k}: {n}" for k, n in keys.most_common())
        lines.append(f"2つ選ぶ問題の正解の位置 (書かれた順): {spread}")
    t = THRESHOLDS
    lines.append(
        f"上限: 最長=正解 ≤ {pct(t.longest_correct_max)}、常に最長 ≤ {pct(t.always_longest_max)}、"
        f"断定語 ≥ {pct(t.absolute_correct_min)}、ぼかし語 ≤ {pct(t.hedge_correct_max)}"
    )
    return "\n".join(lines)
