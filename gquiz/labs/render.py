"""Pictures for the terminal: images and heatmaps as coloured half-block cells.

One character cell shows two pixels stacked vertically: ``▀`` drawn with the upper pixel as
foreground colour and the lower pixel as background colour, so a 32×32 image takes 32
columns × 16 rows. The result is a Rich ``Text`` that a Textual ``Static`` or a Rich
``Console`` prints as is. Without colour (``NO_COLOR``) :func:`ascii_lines` draws the same
picture with a ten-step character ramp.

Only NumPy and Rich are used (Rich comes with Textual); nothing here imports torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from rich.text import Text

__all__ = [
    "HALF_BLOCK",
    "ascii_lines",
    "gray_rgb",
    "half_blocks",
    "heat_rgb",
    "overlay_rgb",
    "side_by_side",
]

HALF_BLOCK = "▀"  # U+2580: neutral East-Asian width, always one cell
_RAMP = " .:-=+*#%@"

# A "jet"-like colour ramp: dark blue (cold, 0) → cyan → yellow → red (hot, 1).
_HEAT_STOPS = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
_HEAT_COLOURS = np.array(
    [[0, 0, 110], [0, 110, 255], [40, 220, 140], [255, 220, 0], [220, 20, 0]], dtype=np.float64
)


def gray_rgb(image: np.ndarray) -> np.ndarray:
    """A grayscale image (any range) → uint8 RGB (H, W, 3), stretched to its own min..max."""
    img = np.asarray(image, dtype=np.float64)
    lo, hi = float(img.min()), float(img.max())
    scaled = (img - lo) / (hi - lo) if hi > lo else np.zeros_like(img)
    g = np.round(scaled * 255).astype(np.uint8)
    return np.repeat(g[..., None], 3, axis=-1)


def heat_rgb(heatmap: np.ndarray) -> np.ndarray:
    """A map with values in [0, 1] → uint8 RGB (H, W, 3) on the blue-to-red ramp."""
    h = np.clip(np.asarray(heatmap, dtype=np.float64), 0.0, 1.0)
    channels = [np.interp(h, _HEAT_STOPS, _HEAT_COLOURS[:, c]) for c in range(3)]
    return np.round(np.stack(channels, axis=-1)).astype(np.uint8)


def overlay_rgb(image: np.ndarray, heatmap: np.ndarray, alpha: float = 0.6) -> np.ndarray:
    """The heatmap blended over the grayscale image (both the same H×W)."""
    mixed = (1 - alpha) * gray_rgb(image).astype(np.float64) + alpha * heat_rgb(heatmap)
    return np.round(mixed).astype(np.uint8)


def half_blocks(rgb: np.ndarray) -> Text:
    """RGB pixels (H, W, 3), H even → Rich Text of H/2 lines of ``▀`` cells."""
    from rich.color import Color
    from rich.style import Style
    from rich.text import Text

    rgb = np.asarray(rgb, dtype=np.uint8)
    if rgb.shape[0] % 2:
        rgb = np.concatenate([rgb, np.zeros_like(rgb[:1])], axis=0)
    text = Text(no_wrap=True, overflow="crop", end="")
    styles: dict[tuple[int, ...], Style] = {}
    for r in range(0, rgb.shape[0], 2):
        if r:
            text.append("\n")
        for c in range(rgb.shape[1]):
            key = (*rgb[r, c].tolist(), *rgb[r + 1, c].tolist())
            style = styles.get(key)
            if style is None:
                style = Style(color=Color.from_rgb(*key[:3]), bgcolor=Color.from_rgb(*key[3:]))
                styles[key] = style
            text.append(HALF_BLOCK, style)
    return text


def ascii_lines(values: np.ndarray) -> list[str]:
    """A map (any range) as text without colour: one character per 1×2 pixels."""
    v = np.asarray(values, dtype=np.float64)
    lo, hi = float(v.min()), float(v.max())
    v = (v - lo) / (hi - lo) if hi > lo else np.zeros_like(v)
    if v.shape[0] % 2:
        v = np.concatenate([v, v[-1:]], axis=0)
    pairs = (v[0::2] + v[1::2]) / 2
    idx = np.minimum((pairs * len(_RAMP)).astype(int), len(_RAMP) - 1)
    return ["".join(_RAMP[i] for i in row) for row in idx]


def side_by_side(panels: Sequence[tuple[str, Text | list[str]]], gap: int = 3) -> Text:
    """Join pictures (Rich Text or lists of str) left to right, each under its title.

    Titles are padded by terminal cells (``rich.cells.cell_len``), so Japanese titles keep
    the columns aligned; a title longer than its picture is cut to the picture's width.
    """
    from rich.cells import cell_len, set_cell_size
    from rich.text import Text

    blocks: list[list[Text]] = []
    widths: list[int] = []
    for _title, pic in panels:
        lines = pic.split("\n") if isinstance(pic, Text) else [Text(s) for s in pic]
        blocks.append(list(lines))
        widths.append(max((ln.cell_len for ln in lines), default=0))
    height = max(len(b) for b in blocks)
    out = Text(no_wrap=True, overflow="crop", end="")
    title_line = Text()
    for i, (title, _pic) in enumerate(panels):
        t = title if cell_len(title) <= widths[i] else set_cell_size(title, widths[i])
        title_line.append(set_cell_size(t, widths[i]), style="bold")
        if i < len(panels) - 1:
            title_line.append(" " * gap)
    out.append_text(title_line)
    for row in range(height):
        out.append("\n")
        for i, block in enumerate(blocks):
            line = block[row] if row < len(block) else Text(" " * widths[i])
            out.append_text(line)
            pad = widths[i] - line.cell_len
            if pad > 0:
                out.append(" " * pad)
            if i < len(blocks) - 1:
                out.append(" " * gap)
    return out
