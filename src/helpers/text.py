"""Formatting numbers for prose, and verdict labels: the same wording on every page."""

from __future__ import annotations

import html
import math

# Verdicts on the seeds' claims (checker) and on the study's hypotheses (model).
CLAIM_STATUSES = ("consistent", "inconsistent", "not checkable")
# "conflicting": two tests of the same hypothesis point in opposite directions (RCEP pathways chapter).
HYPOTHESIS_VERDICTS = ("supported", "not supported", "inconclusive", "conflicting")
_BADGE_CLASS = {
    "consistent": "good",
    "supported": "good",
    "inconsistent": "bad",
    "not supported": "bad",
    "not checkable": "neutral",
    "inconclusive": "neutral",
    "conflicting": "neutral",
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
    """Percent value (already in %): 7.84 -> '7.8 %'; with sign -> '+7.8 %'. A value that is not zero is
    never printed as zero: up to two more decimals are shown (0.018 -> '0.02 %'), then a bound
    ('less than 0.001 %')."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    extra = decimals
    while x != 0 and round(abs(x), extra) == 0 and extra < decimals + 2:
        extra += 1
    if x != 0 and round(abs(x), extra) == 0:
        bound = f"{10**-extra:.{extra}f} %"
        return f"less than {bound}" if x > 0 else f"less than {bound} below zero"
    s = f"{x:+,.{extra}f}" if sign else f"{x:,.{extra}f}"
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


def usd_bn(x: float) -> str:
    """An amount given in US$ billion, with digits enough for small economies: 'US$ 1,234.5 billion',
    'US$ 2.35 billion', 'US$ 412 million', 'US$ 3.4 million'; NaN -> 'n/a'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    a = abs(x)
    if a >= 10:
        s = f"{a:,.1f} billion"
    elif a >= 1:
        s = f"{a:,.2f} billion"
    elif a >= 0.01:
        s = f"{a * 1000:,.0f} million"
    else:
        s = f"{a * 1000:,.1f} million"
    negative = x < 0 and any(c in "123456789" for c in s)  # no "−US$ 0.0 million"
    return ("−" if negative else "") + "US$ " + s


# The five source texts, as a reader knows them (never by file number).
_SEED_NAMES = {
    "000": "the study",
    "001": "the first policy article",
    "002": "the second policy article",
    "003": "the third policy article",
    "004": "the fourth policy article",
}


def seed_name(seed: str) -> str:
    """'003' or '003_7ed7….txt' -> 'the third policy article'; '000' -> 'the study'."""
    key = str(seed)[:3]
    if key not in _SEED_NAMES:
        raise ValueError(f"unknown seed {seed!r}; seeds are {', '.join(_SEED_NAMES)}")
    return _SEED_NAMES[key]


def highest_lowest(values: list[tuple[str, float]], fmt, *, high: str = "highest", low: str = "lowest") -> str:
    """'A highest (3.1), B and C lowest (1.0)' from (name, value) pairs, compared as formatted by ``fmt``.

    Degenerate cases get their own wording: no value, a single economy, all values equal."""
    vals = [(n, v) for n, v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not vals:
        return "no economy has a value"
    shown = [(n, fmt(v), v) for n, v in vals]
    if len(shown) == 1:
        return f"only {shown[0][0]} has a value ({shown[0][1]})"
    if len({s for _, s, _ in shown}) == 1:
        return f"all {len(shown)} have the same value ({shown[0][1]})"
    top = max(v for _, _, v in shown)
    bottom = min(v for _, _, v in shown)
    top_s, bottom_s = fmt(top), fmt(bottom)
    tops = [n for n, s, _ in shown if s == top_s]
    bottoms = [n for n, s, _ in shown if s == bottom_s]
    return f"{listing(tops)} {high} ({top_s}), {listing(bottoms)} {low} ({bottom_s})"


def rank_phrase(rank: float, n: int, ties: int = 1) -> str:
    """'3rd of 10', 'the only one of 1', '2nd of 5 (tied)'."""
    if n <= 1:
        return "the only one with data"
    r = int(rank)
    suffix = "th" if 10 <= r % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(r % 10, "th")
    return f"{r}{suffix} of {n}" + (" (tied)" if ties > 1 else "")
