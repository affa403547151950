"""``gquiz lab NAME``: the labs from the command line (``--plain``) or in the TUI.

Top-level imports are click and the standard library only: ``gquiz --help`` must stay
instant, and torch (≈ 1–2 s to import) or Textual are loaded only by the command that runs.
The lead registers the command with ``main.add_command(lab)``.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

import click

__all__ = ["lab"]


def _stderr_progress():  # -> gquiz.labs.train.Progress
    """Progress on stderr, on one rewritten line, only when stderr is a terminal."""
    tty = sys.stderr.isatty()

    def report(done: int, total: int, what: str) -> None:
        if tty:
            pct = 100 * done // max(total, 1)
            click.echo(f"\r\x1b[2K{what} {pct:3d}%", nl=False, err=True)

    def finish() -> None:
        if tty:
            click.echo("\r\x1b[2K", nl=False, err=True)

    report.finish = finish  # type: ignore[attr-defined]
    return report


def _console():  # -> rich.console.Console
    from rich.console import Console

    width = shutil.get_terminal_size((80, 24)).columns
    if os.environ.get("NO_COLOR"):
        return Console(no_color=True, width=width, highlight=False)
    # --plain exists to show the pictures: keep the colours even when piped (use NO_COLOR
    # to get the ASCII rendering instead).
    return Console(force_terminal=True, color_system="truecolor", width=width, highlight=False)


def _parse_class(value: str | None) -> int | None:
    from gquiz.labs.data import CLASS_NAMES

    if value is None:
        return None
    aliases = {"circle": 0, "square": 1, "triangle": 2}
    v = value.strip().lower()
    if v in aliases:
        return aliases[v]
    if value.strip() in CLASS_NAMES:
        return CLASS_NAMES.index(value.strip())
    if v.isdigit() and int(v) < len(CLASS_NAMES):
        return int(v)
    raise click.BadParameter(
        f"{value!r}: 0〜{len(CLASS_NAMES) - 1}, circle/square/triangle, " + "/".join(CLASS_NAMES),
        param_hint="--class",
    )


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
    progress.finish()  # type: ignore[attr-defined]
    view = analyse(trained, index)
    pred = view.predicted
    other = view.runner_up if target is None or target == pred else target
    names = view.class_name
    probs = " / ".join(f"{names(k)} {p * 100:.1f}%" for k, p in enumerate(view.probabilities))
    how = "ディスクから読み込み" if trained.from_disk else f"学習 {trained.train_seconds:.1f} 秒"
    console.print(
        f"Grad-CAM ラボ  seed {seed}  テスト画像 #{view.index} / {len(trained.test)}  "
        f"(テスト精度 {trained.test_accuracy * 100:.1f}%、{how})",
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
    progress.finish()  # type: ignore[attr-defined]
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


@click.command("lab")
@click.argument("name", type=click.Choice(["gradcam", "compression"]))
@click.option("--plain", is_flag=True, help="Print to stdout instead of opening the TUI.")
@click.option(
    "--index",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Test image (gradcam).",
)
@click.option(
    "--class",
    "class_",
    metavar="CLASS",
    help="Class to compare with the prediction (gradcam): 0-2 or circle/square/triangle.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed of the data and the model."
)
@click.pass_context
def lab(
    ctx: click.Context, name: str, plain: bool, index: int, class_: str | None, seed: int
) -> None:
    """Labs: Grad-CAM on a small CNN, or compression (int8, pruning, distillation). Needs torch."""
    from gquiz.labs import INSTALL_HINT, torch_available

    target = _parse_class(class_)
    if not plain:
        from gquiz.tui.app import run_tui

        obj = ctx.find_root().obj
        if obj is not None and hasattr(obj, "settings"):
            settings = obj.settings()
        else:
            from gquiz.config import Settings

            settings = Settings.resolve()
        run_tui(
            settings, start=("lab", {"name": name, "index": index, "seed": seed, "target": target})
        )
        return
    if not torch_available():
        click.echo(INSTALL_HINT, err=True)
        sys.exit(1)
    if name == "gradcam":
        plain_gradcam(seed, index, target)
    else:
        plain_compression(seed)
