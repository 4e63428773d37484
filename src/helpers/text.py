"""Formatting numbers for prose, and verdict labels: the same wording on every page."""

from __future__ import annotations

import html
import math

# Verdicts on the seeds' claims (checker) and on the study's hypotheses (model).
CLAIM_STATUSES = ("consistent", "inconsistent", "not checkable")
# "conflicting": two tests of the same hypothesis point in opposite directions (RCEP pathways chapter).
HYPOTHESIS_VERDICTS = ("supported", "not supported", "inconclusive", "conflicting")
_BADGE_CLASS = {
    "consistent": "good", "supported": "good",
    "inconsistent": "bad", "not supported": "bad",
    "not checkable": "neutral", "inconclusive": "neutral", "conflicting": "neutral",
}


def badge(status: str) -> str:
    """HTML badge for a verdict (colour plus the word, so it never relies on colour alone)."""
    if status not in _BADGE_CLASS:
        raise ValueError(f"unknown verdict {status!r}; expected one of {sorted(_BADGE_CLASS)}")
    return f'<span class="verdict verdict-{_BADGE_CLASS[status]}">{html.escape(status)}</span>'


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def md_escape(sentence: str) -> str:
    """Escape the characters CommonMark would interpret, so a computed sentence prints as written."""
    return sentence.translate(_MD_SPECIAL)


def num(x: float, decimals: int = 1) -> str:
    """1234.5 -> '1,234.5'; NaN -> 'n/a'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:,.{decimals}f}"


def pct(x: float, decimals: int = 1, sign: bool = False) -> str:
    """Percent value (already in %): 7.84 -> '7.8 %'; with sign -> '+7.8 %'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    s = f"{x:+,.{decimals}f}" if sign else f"{x:,.{decimals}f}"
    return s.replace("-", "−") + " %"


def pp(x: float, decimals: int = 1) -> str:
    """Percentage points with sign."""
    return f"{x:+,.{decimals}f}".replace("-", "−") + " pp"


def usd(x: float, unit: str = "bn", decimals: int = 1) -> str:
    """Dollar amount from a value in US$: usd(9.33e11) -> 'US$ 933.0 bn'."""
    scale = {"mn": 1e6, "bn": 1e9, "trn": 1e12}[unit]
    return f"US$ {num(x / scale, decimals)} {unit}"


def multiple(x: float, decimals: int = 2) -> str:
    return f"{x:.{decimals}f}×"


def year_span(a: int, b: int) -> str:
    return f"{a}–{b}"


def year_ranges(years) -> str:
    """Years as ranges: [2003, 2004, 2005, 2010] -> '2003–2005, 2010'; no years -> ''."""
    ys = sorted({int(y) for y in years})
    out: list[str] = []
    for y in ys:
        if out and y == out[-1][1] + 1:
            out[-1][1] = y
        else:
            out.append([y, y])
    return ", ".join(f"{a}–{b}" if b > a else f"{a}" for a, b in out)


def listing(items: list[str], conj: str = "and") -> str:
    items = [str(i) for i in items]
    if not items:
        return "none"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def cagr(first: float, last: float, years: float) -> float:
    """Compound annual growth rate in % between two levels ``years`` apart."""
    if years <= 0:
        raise ValueError("years must be positive")
    if first <= 0 or last <= 0:
        raise ValueError("CAGR needs positive levels")
    return (math.pow(last / first, 1 / years) - 1) * 100


def growth(prev: float, cur: float) -> float:
    """Growth in % from prev to cur."""
    if prev == 0:
        raise ValueError("growth from zero is undefined")
    return (cur / prev - 1) * 100
