"""`gquiz stats` as text: what README promises (大項目, 中項目, topics, mastery, due, weakest).

Columns are padded by terminal cells, not characters, so Japanese titles line up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len

from gquiz.text.numbers import pct, pct_range

if TYPE_CHECKING:
    from gquiz.study.stats import AreaStats, LearnerStats, TopicStats


def _cells(text: str, width: int) -> str:
    """``text`` padded to ``width`` cells; a longer title is kept whole (the row runs longer)."""
    return (
        text + " " * max(1, width - cell_len(text))
        if cell_len(text) >= width
        else (text + " " * (width - cell_len(text)))
    )


def _row(name: str, item: AreaStats | TopicStats, name_width: int) -> str:
    r = item.record
    mastery = (
        f"{pct(r.mastery)} ({pct_range(r.mastery_low, r.mastery_high)})" if r.attempts else "未学習"
    )
    return (
        f"{_cells(name, name_width)} {r.attempts:>5} {pct(r.accuracy):>6}  "
        f"{_cells(mastery, 16)} {item.due:>4}"
    )


def stats_lines(data: LearnerStats, width: int = 80, topics: bool = True) -> list[str]:
    """The report, one string per line, at most ``width`` cells wide (from 60)."""
    width = max(60, width)
    name_width = width - 36
    total = data.total.record
    lines = []
    if total.attempts:
        lines.append(
            f"回答 {total.attempts} 回  正答率 {pct(total.accuracy)}  "
            f"定着度 {pct(total.mastery)} (90%の範囲 {pct_range(total.mastery_low, total.mastery_high)})  "
            f"今日の復習 {data.total.due} 問"
        )
    else:
        lines.append("まだ回答がありません。`gquiz quiz` などで問題を解くと成績が表示されます。")
    lines.append("")
    lines.append(
        f"{_cells('大項目 / 中項目 / トピック', name_width)}  回答 正答率  定着度           復習"
    )
    sections_of: dict[str, list[AreaStats]] = {}
    for s in data.sections:
        sections_of.setdefault(s.id.split(".")[0], []).append(s)
    topics_of: dict[str, list[TopicStats]] = {}
    for t in data.topics:
        topics_of.setdefault(t.section, []).append(t)
    for m in data.majors:
        lines.append(_row(f"{m.id} {m.title}", m, name_width))
        for s in sections_of.get(m.id, []):
            lines.append(_row(f"  {s.id} {s.title}", s, name_width))
            if topics:
                for t in topics_of.get(s.id, []):
                    if t.record.attempts or t.due:
                        lines.append(_row(f"    {t.title}", t, name_width))
    weakest = data.weakest_topics
    lines.append("")
    if weakest:
        lines.append("苦手トピック (定着度の低い順、gquiz note トピック で読めます):")
        for i, t in enumerate(weakest, start=1):
            r = t.record
            lines.append(
                f"  {i}. {t.title} ({t.section}, {t.slug})  "
                f"定着度 {pct(r.mastery)} ({pct_range(r.mastery_low, r.mastery_high)})  "
                f"回答 {r.attempts} 回"
            )
    else:
        lines.append("苦手トピック: まだありません (回答すると定着度の低いトピックが並びます)。")
    return lines
