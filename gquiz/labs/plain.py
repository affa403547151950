"""``gquiz lab NAME --plain``: a lab printed to the terminal (the command is in gquiz/cli.py).

Top-level imports are click and the standard library only: ``gquiz --help`` must stay
instant, and torch (≈ 1–2 s to import) is loaded only by the lab that runs. The TUI side of
the labs is gquiz/tui/screens/labs.py; this module never imports it (labs sit below tui).
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TYPE_CHECKING, Any

import click

from gquiz.text.numbers import pct, pct_done

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

__all__ = ["plain_compression", "plain_gradcam"]


class _StderrProgress:
    """Progress on stderr, on one rewritten line, only when stderr is a terminal.

    Called as a gquiz.labs.train.Progress; ``finish()`` clears the line.
    """

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int, what: str) -> None:
        if self.tty:
            click.echo(f"\r\x1b[2K{what} {pct_done(done, total):>4}", nl=False, err=True)

    def finish(self) -> None:
        if self.tty:
            click.echo("\r\x1b[2K", nl=False, err=True)


def _stderr_progress() -> _StderrProgress:
    return _StderrProgress()


def _console() -> Console:
    from rich.console import Console

    width = shutil.get_terminal_size((80, 24)).columns
    if os.environ.get("NO_COLOR"):
        return Console(no_color=True, width=width, highlight=False)
    # --plain exists to show the pictures: keep the colours even when piped (use NO_COLOR
    # to get the ASCII rendering instead).
    return Console(force_terminal=True, color_system="truecolor", width=width, highlight=False)


def plain_gradcam(seed: int, index: int, target: int | None, out: Any = None) -> None:
    """Print the image, Grad-CAM (predicted and another class) and CAM of one test image."""
    import numpy as np
    from rich.text import Text

    from gquiz.labs.gradcam_lab import analyse, upsample
    from gquiz.labs.render import ascii_lines, gray_rgb, half_blocks, overlay_rgb, side_by_side
    from gquiz.labs.texts import gradcam_relation_text
    from gquiz.labs.train import get_trained

    console = out or _console()
    progress = _stderr_progress()
    trained = get_trained(seed, progress=progress)
    progress.finish()
    view = analyse(trained, index)
    pred = view.predicted
    other = view.runner_up if target is None or target == pred else target
    names = view.class_name
    probs = " / ".join(f"{names(k)} {pct(p, 1)}" for k, p in enumerate(view.probabilities))
    how = "ディスクから読み込み" if trained.from_disk else f"学習 {trained.train_seconds:.1f} 秒"
    console.print(
        f"Grad-CAM ラボ  seed {seed}  テスト画像 #{view.index} / {len(trained.test)}  "
        f"(テスト精度 {pct(trained.test_accuracy, 1)}、{how})",
        markup=False,
        soft_wrap=True,
    )
    console.print(
        f"正解: {names(view.label)}   予測: {names(pred)}   確率: {probs}",
        markup=False,
        soft_wrap=True,
    )
    x0, y0, x1, y1 = view.bbox
    console.print(f"図形の外接矩形: x {x0}〜{x1}, y {y0}〜{y1} (32×32 画素)", markup=False)
    mp, mo = view.maps[pred], view.maps[other]
    panels_data = [
        ("画像", view.image, None),
        (f"Grad-CAM: {names(pred)} (予測)", view.image, upsample(mp.gradcam)),
        (f"Grad-CAM: {names(other)}", view.image, upsample(mo.gradcam)),
        (f"CAM: {names(other)}", view.image, upsample(mo.cam)),
    ]
    panels: list[tuple[str, Text | list[str]]]
    if console.no_color:
        panels = [(t, ascii_lines(img if h is None else h)) for t, img, h in panels_data]
    else:
        panels = [
            (t, half_blocks(gray_rgb(img) if h is None else overlay_rgb(img, h)))
            for t, img, h in panels_data
        ]
    per_row = 4 if console.width >= 4 * 32 + 3 * 3 else 2
    for i in range(0, len(panels), per_row):
        console.print(side_by_side(panels[i : i + per_row]), crop=False, soft_wrap=True)
        console.print()
    hw = int(np.prod(mo.gradcam.shape))
    # Paragraphs are soft-wrapped: the terminal folds them, Rich does not insert newlines
    # at spaces (which leaves ragged Japanese lines and breaks copy-paste).
    console.print(
        Text(gradcam_relation_text(mo.max_difference, mo.gradcam_raw_ratio, hw)), soft_wrap=True
    )
    if not console.no_color:
        console.print(
            Text(
                "色: 青 (低い) → 緑 → 黄 → 赤 (高い)。ヒートマップは 8×8 を 32×32 に双線形補間して画像に重ねたもの。"
            ),
            soft_wrap=True,
        )


def plain_compression(seed: int, out: Any = None) -> None:
    """Print the measured compression table, then questions, then answers and explanations."""
    from rich.text import Text

    from gquiz.labs.compression import get_report
    from gquiz.labs.texts import compression_questions, format_question, format_table, table_notes
    from gquiz.labs.train import get_trained

    console = out or _console()
    progress = _stderr_progress()
    trained = get_trained(seed, progress=progress)
    report = get_report(trained, progress=progress)
    progress.finish()
    console.print(f"圧縮ラボ  seed {seed}  (測定 {report.seconds:.1f} 秒)", markup=False)
    console.print()
    for line in format_table(report):
        console.print(Text(line), crop=False, soft_wrap=True)
    console.print()
    for line in table_notes(report):
        console.print(Text(line), soft_wrap=True)
    questions = compression_questions(report)
    console.print()
    for n, q in enumerate(questions, start=1):
        for line in format_question(q, n):
            console.print(Text(line), soft_wrap=True)
        console.print()
    console.print(Text("解答と解説"))
    for n, q in enumerate(questions, start=1):
        console.print(
            Text(f"問{n}. 正解 {q.answer + 1} ({q.choices[q.answer]})  {q.explanation}"),
            soft_wrap=True,
        )
