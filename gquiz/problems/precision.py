"""The precision rule a problem states, and what it accepts.

A strict examiner's rule, not a tolerance band: the statement says how to answer
(「小数第3位まで（第4位を四捨五入）」, 「有効数字3桁」, 「整数で」 or the exact value), and the checker
accepts exactly what that rule makes of the true value, the exact value itself (a fraction such
as ``1/3``, or an equal decimal), and a longer decimal only when it rounds to the same value and
lies within half a unit of the last stated digit of the true value. So an answer off by one in
the last stated digit is never accepted, and integer answers are exact.

The true value arrives as a float from the engine. Before rounding it is cut to 12 significant
digits, so ``0.1235`` computed as ``0.12349999999999999`` rounds as the learner's hand
computation does (``0.124`` under 四捨五入).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any

__all__ = ["MODES", "Precision", "PrecisionSpecError", "parse_precision"]

MODES = ("integer", "decimals", "significant", "exact")
ROUNDINGS = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN}
# How close a typed value must be to the true value to count as "the exact value".
EXACT_REL = 1e-12
# The largest denominator an exact answer is shown with.
MAX_DENOMINATOR = 1000


class PrecisionSpecError(ValueError):
    """A ``precision:`` entry of a family file is malformed (the message is Japanese)."""


def _denoise(x: float) -> Decimal:
    """The float as the decimal the computation meant (12 significant digits)."""
    return Decimal(f"{float(x):.12g}")


def _to_decimal(x: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        return Decimal(x.numerator) / Decimal(x.denominator)


@dataclass(frozen=True)
class Precision:
    """How an answer must be given: ``integer``, ``decimals`` n, ``significant`` n or ``exact``."""

    mode: str = "integer"
    n: int = 0
    rounding: str = "half-up"
    percent: bool = False
    """Whether ``75%`` may be typed (ratios only; the statement says so)."""

    # -- rounding -----------------------------------------------------------------

    def _round_dec(self, d: Decimal) -> Decimal:
        mode = ROUNDINGS[self.rounding]
        with localcontext() as ctx:
            ctx.prec = 60
            if self.mode == "decimals":
                r = d.quantize(Decimal(1).scaleb(-self.n), rounding=mode)
            elif self.mode == "significant":
                if d == 0:
                    return Decimal(0).quantize(Decimal(1).scaleb(-(self.n - 1)))
                e = d.adjusted()
                r = d.quantize(Decimal(1).scaleb(e - self.n + 1), rounding=mode)
                if r.adjusted() > e:  # 9.996 → 10.0: one digit fewer after the point
                    r = d.quantize(Decimal(1).scaleb(e - self.n + 2), rounding=mode)
            elif self.mode == "integer":
                r = d.quantize(Decimal(1), rounding=mode)
            else:
                return d
        return r.copy_abs() if r == 0 else r

    def rounded(self, value: float) -> Decimal:
        """What the rule makes of ``value`` (as the learner should type it)."""
        return self._round_dec(_denoise(value))

    def unit(self, rounded: Decimal) -> Decimal:
        """One unit of the last stated digit of ``rounded``."""
        if self.mode == "decimals":
            return Decimal(1).scaleb(-self.n)
        if self.mode == "significant":
            if rounded == 0:
                return Decimal(1).scaleb(-(self.n - 1))
            return Decimal(1).scaleb(rounded.adjusted() - self.n + 1)
        return Decimal(1)

    # -- showing ------------------------------------------------------------------

    def text(self, value: Any) -> str:
        """The value as the rule says to write it: ``24``, ``0.750``, ``1/3``."""
        v = float(value)
        if self.mode == "integer":
            r = round(v)
            if abs(v - r) > 1e-9 * max(1.0, abs(v)):
                raise ValueError(f"整数の答えのはずが {value!r}")
            return str(int(r))
        if self.mode == "exact":
            f = Fraction(v).limit_denominator(MAX_DENOMINATOR)
            if abs(float(f) - v) > EXACT_REL * max(1.0, abs(v)):
                raise ValueError(f"{value!r} は分母 {MAX_DENOMINATOR} 以下の分数で表せません")
            return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"
        d = self.rounded(v)
        if self.mode == "significant" and d != 0 and not -5 <= d.adjusted() < 15:
            return format(d, "e").replace("e+", "e")  # 1.68e-197, not 197 zeros
        return format(d, "f")

    # -- checking -----------------------------------------------------------------

    def _exact_tol(self, t: float) -> float:
        """How far a typed value may be from ``t`` and still be "the exact value".

        Relative to ``t`` for significant figures (a tiny value is not 0), and always far
        below half a unit of the last stated digit.
        """
        if self.mode == "significant":
            return EXACT_REL * abs(t)
        tol = EXACT_REL * max(1.0, abs(t))
        if self.mode == "decimals":
            tol = min(tol, 1e-3 * 10.0 ** (-self.n))
        return tol

    def accepts(self, given: Fraction, true: float) -> bool:
        """Whether the typed (exact) value ``given`` is correct for the true value ``true``."""
        t = float(true)
        if self.mode == "integer":
            return given == Fraction(round(t)) and abs(t - round(t)) <= 1e-9 * max(1.0, abs(t))
        g = float(given)
        if math.isfinite(g) and abs(g - t) <= self._exact_tol(t):
            return True  # the exact value (a fraction, or a decimal equal to it)
        if self.mode == "exact":
            return False
        r = self.rounded(t)
        if abs(g - t) > 1.5 * float(self.unit(r)):
            return False  # cannot round to r, nor lie within half a unit of t
        if given == Fraction(r):
            return True
        d = _to_decimal(given)
        if self._round_dec(d) != r:
            return False
        half = self.unit(r) / 2
        return abs(d - _denoise(t)) <= half

    def passes(self, mistaken: float, true: float, *, full: bool = True) -> bool:
        """Whether a (mistaken) value would be accepted for ``true``: typed as the rule shows
        it, or (``full``) at full precision. Works on values, without parsing text, so the
        generator can check every named mistake of every draw cheaply."""
        m, t = float(mistaken), float(true)
        if not (math.isfinite(m) and math.isfinite(t)):
            return False
        if abs(m - t) <= self._exact_tol(t):
            return True
        if self.mode == "integer":
            return False  # shown or typed in full, a different number is refused
        if self.mode == "exact":
            f = Fraction(m).limit_denominator(MAX_DENOMINATOR)
            return abs(float(f) - t) <= EXACT_REL * max(1.0, abs(t))
        r = self.rounded(t)
        unit = float(self.unit(r))
        if abs(m - t) > 1.5 * unit:
            return False  # too far to round to the same value or be within half a unit
        rm = self.rounded(m)
        if rm == r or abs(float(rm) - t) <= self._exact_tol(t):
            return True
        return full and self.accepts(Fraction(m), t)

    # -- wording ------------------------------------------------------------------

    def rule_ja(self) -> str:
        """The rule as the statement says it (without 「で答えてください」)."""
        if self.mode == "integer":
            return "整数"
        if self.mode == "exact":
            return "正確な値（分数も可）"
        how = (
            "四捨五入"
            if self.rounding == "half-up"
            else "偶数丸め（ちょうど 5 のときは偶数の側へ）"
        )
        if self.mode == "decimals":
            if self.n == 0:
                return f"整数（小数第1位を{how}）"
            return f"小数第{self.n}位まで（第{self.n + 1}位を{how}）"
        return f"有効数字{self.n}桁（{self.n + 1}桁目を{how}）"

    @property
    def spec(self) -> Any:
        """The YAML form (for the JSON export)."""
        if self.mode in ("integer", "exact"):
            return self.mode
        out: dict[str, Any] = {self.mode: self.n}
        if self.rounding != "half-up":
            out["rounding"] = self.rounding
        if self.percent:
            out["percent"] = True
        return out


INTEGER = Precision()


def parse_precision(spec: Any) -> Precision:
    """A ``precision:`` value of a family file → :class:`Precision` (or PrecisionSpecError)."""
    if spec is None or spec == "integer":
        return INTEGER
    if spec == "exact":
        return Precision("exact")
    if isinstance(spec, dict):
        modes = [m for m in ("decimals", "significant") if m in spec]
        unknown = set(spec) - {"decimals", "significant", "rounding", "percent"}
        if unknown:
            raise PrecisionSpecError(
                f"precision: 不明なキー {', '.join(sorted(map(str, unknown)))}"
                "（使えるのは decimals, significant, rounding, percent）"
            )
        if len(modes) != 1:
            raise PrecisionSpecError(
                "precision: には decimals か significant のどちらか 1 つを指定してください"
            )
        mode = modes[0]
        n = spec[mode]
        lo = 0 if mode == "decimals" else 1
        if isinstance(n, bool) or not isinstance(n, int) or not lo <= n <= 8:
            raise PrecisionSpecError(f"precision.{mode} は {lo}〜8 の整数にしてください（{n!r}）")
        rounding = spec.get("rounding", "half-up")
        if rounding not in ROUNDINGS:
            raise PrecisionSpecError(
                f"precision.rounding は half-up（四捨五入）か half-even（偶数丸め）です（{rounding!r}）"
            )
        percent = spec.get("percent", False)
        if not isinstance(percent, bool):
            raise PrecisionSpecError("precision.percent は true か false です")
        return Precision(mode, n, rounding, percent)
    raise PrecisionSpecError(
        f"precision {spec!r} は integer、exact、{{decimals: N}}、{{significant: N}} のどれかで書いてください"
    )
