"""Wording shared by the sections of the "AI infrastructure" page: source lines, economies' names, spans,
months, shares and counts, and the note left where a figure cannot be drawn."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from helpers import text
from helpers.book import charts
from helpers.data import datastore as ds

WDI_SRC = "World Bank, World Development Indicators (data/wdi.csv)"
TOP500_SRC = "TOP500.org, TOP500 lists (data/top500_country.csv)"
EPOCH_GPU_SRC = "Epoch AI, GPU Clusters, CC BY 4.0 (data/epoch_gpu_clusters.csv)"
EPOCH_MODELS_SRC = "Epoch AI, Notable AI Models, CC BY 4.0 (data/epoch_ai_models.csv)"
CCP_SRC = "official statements as reported (data/china_computing_power.csv)"
UNCTAD_SRC = "UNCTAD, digitally deliverable services trade (data/unctad_dds.csv)"
NO_FIGURE = "no figure for this selection"


def lower_first(s: str) -> str:
    """'Internet users' -> 'internet users', but 'R&D expenditure' stays (acronyms keep their case)."""
    first = s.split(" ", 1)[0]
    return s if sum(c.isupper() for c in first) >= 2 else s[:1].lower() + s[1:]


WITH_ARTICLE = {"PHL", "USA", "GBR"}  # display names read with "the" inside a sentence


def the(iso3: str) -> str:
    """An economy's name as it reads inside a sentence: 'the Philippines', 'Korea'."""
    return ("the " if iso3 in WITH_ARTICLE else "") + ds.display_name(iso3)


def signed(x: float, decimals: int = 2) -> str:
    """A correlation with a true minus sign: -0.5 -> '−0.50'."""
    return text.num(x, decimals).replace("-", "−")


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def names(codes: Sequence[str]) -> str:
    return text.listing([the(c) for c in codes])


def span(a: int, b: int) -> str:
    return str(a) if a == b else text.year_span(a, b)


def month_label(ym: str | None) -> str:
    """'2024-11' -> 'November 2024'."""
    return pd.Timestamp(f"{ym}-01").strftime("%B %Y") if ym else "date not stated"


def share_text(x: float) -> str:
    """A share in %, rounded once for titles, sentences and chart labels: 1 decimal, 2 below 0.1 %."""
    return text.pct(x, 1 if x >= 0.1 or x == 0 else 2)


def count(n: int, what: str) -> str:
    return f"no {what}" if n == 0 else f"{n} {what}" + ("" if n == 1 else "s")


def _no_figure(page, name: str, reason: str) -> None:
    """A figure that cannot be drawn for this selection: a note, and its link key says so."""
    page.note(reason, kind="warning", title="No figure")
    page.glue_md(f"fig-{charts.slug(name)}", NO_FIGURE)
