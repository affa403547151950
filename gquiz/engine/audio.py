"""The mel scale (HTK / O'Shaughnessy form): ``m = 2595 log10(1 + f / 700)``.

``2595 log10(·)`` equals ``1127 ln(·)``; both are stated in the steps. The inverse is
``f = 700 (10^(m / 2595) − 1)``. 1000 Hz is about 1000 mel (999.99) by construction.
"""

from __future__ import annotations

import math
from typing import Any

from gquiz.engine.core import EngineError, Solution, Step, as_float
from gquiz.engine.registry import solver

__all__ = ["mel_scale"]


@solver(
    "mel_scale",
    "メル尺度 m = 2595 log10(1 + f / 700) とその逆変換",
    {
        "hz": "周波数 f [Hz] (mel と同時には指定しない)",
        "mel": "メル値 m (Hz に戻すとき)",
    },
)
def mel_scale(hz: Any = None, mel: Any = None) -> Solution:
    """Hz → mel, or mel → Hz with ``mel``.

    Examples
    --------
    >>> round(mel_scale(hz=1000).answer["mel"], 3)
    999.986
    >>> round(mel_scale(mel=1000).answer["hz"], 3)
    1000.022
    """
    if (hz is None) == (mel is None):
        raise EngineError("hz と mel のどちらか一方を指定してください")
    if hz is not None:
        f = as_float(hz, "hz", min_value=0)
        ratio = 1 + f / 700
        m = 2595 * math.log10(ratio)
        step = Step(
            "mel_forward", {"hz": f, "ratio": ratio, "log10": math.log10(ratio), "value": m}
        )
        return Solution({"mel": m, "hz": f}, (step,))
    m = as_float(mel, "mel", min_value=0)
    power = 10 ** (m / 2595)
    f = 700 * (power - 1)
    step = Step("mel_inverse", {"mel": m, "power": power, "value": f})
    return Solution({"mel": m, "hz": f}, (step,))
