"""Source lines, prose formats and small page helpers shared by the sections of the structure chapter."""

from __future__ import annotations

from helpers import text
from helpers.claims.checks import structure as checks

CHN = "CHN"
WDI_SRC, UNCTAD_SRC, WTO_SRC = checks.WDI_SRC, checks.UNCTAD_SRC, checks.WTO_SRC


def period(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}–{b}"


def prose_pct(x: float, decimals: int = 1) -> str:
    """Percent for prose; a rounding remainder like −0.00001 prints as 0.0 %, not −0.0 %."""
    return text.pct(0.0 if abs(x) < 0.5 * 10 ** (-decimals) else x, decimals)


def year_list(years) -> str:
    """[2001, 2002, 2003, 2007] -> '2001–2003 and 2007'; [] -> 'no year'."""
    ranges = text.year_ranges(years)
    return text.listing(ranges.split(", ")) if ranges else "no year"


def net_words(x: float) -> str:
    """'net debit of US$ 3.10 billion' / 'net credit of …' (the sign in words)."""
    return f"net {'debit' if x < 0 else 'credit'} of {text.usd_bn(abs(x) / 1e9)}"


def no_figure(page, name: str, reason: str) -> None:
    """Say on the page why a figure cannot be drawn, and let the prose's link to it say so too."""
    page.note(reason, kind="warning", title="No chart")
    page.glue_md(f"fig-{name}", f"no chart: {reason[0].lower()}{reason[1:].rstrip('.')}")
