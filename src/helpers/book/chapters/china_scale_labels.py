"""Source lines and small page helpers shared by the sections of the "<focus>'s scale" chapter."""

from __future__ import annotations

from helpers.claims.checks import china_scale as checks
from helpers.text import pct

CHN = "CHN"
SRC_X = "World Bank, WDI: service exports and imports, balance of payments, current US$ (data/wdi.csv)"
SRC_FT = (
    "World Bank, WDI: service exports and imports, merchandise trade and trade in goods and services "
    "(% of GDP), GDP (data/wdi.csv)"
)
SRC_UNCTAD, SRC_WTO, SRC_WDI = checks.SRC_UNCTAD, checks.SRC_WTO, checks.SRC_WDI
SRC_SEEDS = "the study and the third policy article, as transcribed in data/seed_values.csv"


def world_share(x: float) -> str:
    """A share of the world: two decimals, three for the smallest economies."""
    return pct(x, 2 if abs(x) >= 0.1 else 3)


def no_figure(page, name: str, reason: str) -> None:
    """Say on the page why a figure cannot be drawn, and let the prose's link to it say so too."""
    page.note(reason, kind="warning", title="No chart")
    page.glue_md(f"fig-{name}", f"no chart: {reason[0].lower()}{reason[1:].rstrip('.')}")
