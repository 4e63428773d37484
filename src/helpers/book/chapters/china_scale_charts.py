"""Chart builders of the "<focus>'s scale" chapter (helpers.book.chapters.china_scale draws them on the page).

Palette from :mod:`helpers.book.charts`; no fixed widths (the theme and ``figure_html`` size charts to the
page); numbers rounded once, as the text shows them.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from helpers.book import charts
from helpers.text import seed_name


def trade(st: pd.DataFrame, name: str) -> alt.LayerChart:
    """Lines for exports and imports, bars for the balance (US$ bn)."""
    long = st.melt(id_vars="year", value_vars=["exports_bn", "imports_bn"], var_name="flow", value_name="value")
    long["flow"] = long["flow"].map({"exports_bn": "Exports", "imports_bn": "Imports"})
    long["value"] = long["value"].round(3)
    bal = st[["year"]].assign(flow="Balance (exports − imports)", value=st["balance_bn"].round(3))
    domain = ["Exports", "Imports", "Balance (exports − imports)"]
    color = alt.Color(
        "flow:N",
        title=None,
        scale=alt.Scale(domain=domain, range=[charts.PALETTE[0], charts.PALETTE[1], charts.CONTEXT_COLOR]),
    )
    tip = [
        alt.Tooltip("flow:N", title="Flow"),
        alt.Tooltip("year:O", title="Year"),
        alt.Tooltip("value:Q", title="US$ billion", format=",.2f"),
    ]
    bars = (
        alt.Chart(bal)
        .mark_bar(opacity=0.8)
        .encode(x=alt.X("year:O", title=None), y=alt.Y("value:Q"), color=color, tooltip=tip)
    )
    lines = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=None), y=alt.Y("value:Q", title=f"{name}, US$ billion"), color=color, tooltip=tip
        )
    )
    return alt.layer(bars, lines)


def lines(df: pd.DataFrame, y_title: str, color_title: str = "Measure") -> alt.Chart:
    """Lines of percentages; df: year, measure, value."""
    return charts.line(
        df.assign(value=df["value"].round(3)),
        "year",
        "value",
        "measure",
        y_title=y_title,
        color_title=color_title,
        tooltip_format=".3f",
    )


SEED_SHAPES = ("diamond", "square", "triangle-up", "cross", "triangle-down", "circle")


def digital(dt: pd.DataFrame, seed: pd.DataFrame | None) -> alt.LayerChart:
    """Lines for the UNCTAD and WTO measures and, for China, the seeds' points labelled with who states them."""
    d = dt.assign(value_bn=dt["value_bn"].round(3))
    lines = (
        alt.Chart(d)
        .mark_line(point=alt.OverlayMarkDef(size=20))
        .encode(
            x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
            y=alt.Y("value_bn:Q", title="US$ billion"),
            color=alt.Color("measure:N", title=None, legend=alt.Legend(columns=1, labelLimit=300)),
            strokeDash=alt.StrokeDash(
                "source:N",
                title="Source",
                scale=alt.Scale(domain=["UNCTAD", "WTO"], range=[[1, 0], [5, 3]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("value_bn:Q", title="US$ billion", format=",.2f"),
            ],
        )
    )
    if seed is None or seed.empty:
        return alt.layer(lines)
    s = seed.assign(
        tag=seed["seed"].map(seed_name).str.replace("the ", "", regex=False) + ": " + seed["term"].fillna("")
    )
    ink = charts.PALETTE[7]
    tags = list(dict.fromkeys(s["tag"]))
    # the seeds' figures as black markers, one shape per source and term, named in the legend (direct labels
    # would run off a phone-width chart)
    pts = (
        alt.Chart(s)
        .mark_point(size=150, filled=True, color=ink)
        .encode(
            x="year:Q",
            y="value_bn:Q",
            shape=alt.Shape(
                "tag:N",
                title="Stated in the seeds",
                sort=tags,
                scale=alt.Scale(domain=tags, range=[SEED_SHAPES[i % len(SEED_SHAPES)] for i in range(len(tags))]),
                legend=alt.Legend(columns=1, labelLimit=300),
            ),
            tooltip=[
                alt.Tooltip("tag:N", title="Stated by"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("value_bn:Q", title="US$ billion", format=",.2f"),
                alt.Tooltip("claim_id:N", title="Claim"),
            ],
        )
    )
    return alt.layer(lines, pts).resolve_legend(shape="independent")
