"""Names, units and source lines shared by the sections of the Global trends chapter."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.trends import SERIES
from helpers.text import listing, year_ranges

LABELS = {"goods": "Goods", "services": "Services", "dds": "Digitally delivered services"}
VERSION_LABELS = {
    "stated": "Table 1 as stated",
    "rate_implied": "Table 1, rate-implied levels",
    "independent": "Independent (World Bank; WTO)",
}
VERSION_PHRASES = {
    "stated": "Table 1's levels as stated",
    "rate_implied": "the rate-implied levels",
    "independent": "the independent series",
}
# display unit -> (label, factor from US$ billion)
UNITS = {"usd_bn": ("US$ billion", 1.0), "usd_100m": ("US$ 100 million", 10.0)}

SOURCE_T1 = "Main study, Table 1, transcribed in data/seed_values.csv"
SOURCE_WDI = "World Bank, WDI (data/wdi.csv)"
SOURCE_WTO_DDS = "WTO, Digitally Delivered Services dataset (data/wto_dds_exports.csv)"
SOURCE_HEAD = "WTO Global Trade Outlook and Statistics / Annual Reports, as quoted in data/wto_headlines.csv"
SOURCE_UNCTAD = "UNCTAD, digitally deliverable services (data/unctad_dds.csv)"
SOURCE_PRICES = "US Bureau of Labor Statistics, CPI-U annual averages; World Bank, US GDP deflator (data/prices.csv)"


def unit_label(unit: str) -> str:
    return UNITS[unit][0]


def to_unit(values_bn, unit: str):
    """US$ billion -> the display unit."""
    return values_bn * UNITS[unit][1]


def change(a: float, b: float, fmt) -> str:
    """'rose from 45 % to 60 %' / 'fell from …' / 'stayed at 54 %', judged on the values as printed by ``fmt``."""
    if fmt(a) == fmt(b):
        return f"stayed at {fmt(b)}"
    return f"{'rose' if b > a else 'fell'} from {fmt(a)} to {fmt(b)}"


def cells(df: pd.DataFrame) -> str:
    """'goods 2024–2025 and services 2025' for the rows (series, year) of ``df``, in series order."""
    return listing(
        [
            f"{LABELS[s].lower()} {year_ranges(df.loc[df['series'] == s, 'year'])}"
            for s in SERIES
            if (df["series"] == s).any()
        ]
    )
