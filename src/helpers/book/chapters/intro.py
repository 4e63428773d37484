"""The introduction's one chart: world exports of goods, services and digitally delivered services over every
year the independent series cover, in current US$ and in US$ of the last year (deflated by US consumer
prices). It has no parameters, so it says the same whatever a chapter is re-run with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import pandas as pd

from helpers.analysis import trends
from helpers.book import charts
from helpers.book.chapters.global_trends_labels import LABELS, SOURCE_WDI, SOURCE_WTO_DDS
from helpers.text import listing, num, year_span

PRICE_INDEX = "us_cpi_u"
SOURCE_CPI = "US Bureau of Labor Statistics, CPI-U annual averages (data/prices.csv)"


@dataclass(frozen=True)
class Intro:
    nominal: pd.DataFrame  # world exports, US$ bn, years with all three series (wide: year x series)
    cpi: pd.Series  # US CPI-U, annual average

    @property
    def last(self) -> int:
        return int(self.nominal.index.max())


def prepare(params: Mapping) -> Intro:
    return Intro(nominal=trends.independent_levels().dropna(), cpi=trends.price_indices()[PRICE_INDEX].dropna())


def growth_multiples(levels: pd.DataFrame) -> pd.Series:
    """Last level ÷ first level, per series."""
    return levels.iloc[-1] / levels.iloc[0]


def world_exports(page, r: Intro, real: pd.DataFrame) -> None:
    """``real``: the same levels deflated to US$ of the last year (trends.deflate)."""
    first, last = int(r.nominal.index.min()), r.last
    nom, re_ = growth_multiples(r.nominal), growth_multiples(real)
    order = sorted(trends.SERIES, key=lambda s: -nom[s])
    first_s, *rest = order
    page.glue(
        "exports_summary",
        f"From {first} to {last}, world exports of {LABELS[first_s].lower()} multiplied by "
        f"{num(nom[first_s], 1)} in current dollars (by {num(re_[first_s], 1)} in {last} dollars), "
        + listing([f"{LABELS[s].lower()} by {num(nom[s], 1)} ({num(re_[s], 1)})" for s in rest])
        + ".",
    )
    both = pd.concat([r.nominal.assign(measure="Current US$"), real.assign(measure=f"US$ of {last} (real)")])
    data = both.reset_index().melt(id_vars=["year", "measure"], var_name="series", value_name="value_bn")
    data = data.assign(series=data["series"].map(LABELS), value_trn=(data["value_bn"] / 1000).round(3))
    measures = ["Current US$", f"US$ of {last} (real)"]
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=14))
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("value_trn:Q", title="US$ trillion"),
            color=alt.Color(
                "series:N",
                title=None,
                sort=[LABELS[s] for s in trends.SERIES],
                scale=alt.Scale(domain=[LABELS[s] for s in trends.SERIES], range=charts.PALETTE[:3]),
            ),
            strokeDash=alt.StrokeDash(
                "measure:N", title=None, sort=measures, scale=alt.Scale(domain=measures, range=[[1, 0], [5, 4]])
            ),
            detail="measure:N",
            tooltip=[
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("measure:N", title="Prices"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("value_trn:Q", title="US$ trillion", format=",.2f"),
            ],
        )
    )
    title = (
        f"World exports of {LABELS[first_s].lower()} multiplied by {num(nom[first_s], 1)} from {first} to {last}, "
        f"more than {listing([LABELS[s].lower() for s in rest])}"
    )
    page.figure(
        chart,
        name="world-exports",
        title=title,
        subtitle=f"World exports, US$ trillion: current prices (solid) and {last} prices, deflated by US "
        "consumer prices (dashed)",
        source=f"{SOURCE_WDI}, goods and services exports (balance of payments); {SOURCE_WTO_DDS}; {SOURCE_CPI}",
        alt=f"Line chart of world exports of goods, services and digitally delivered services, "
        f"{year_span(first, last)}, in current and in {last} US dollars. {title}.",
        data=data[["series", "measure", "year", "value_trn"]],
    )
