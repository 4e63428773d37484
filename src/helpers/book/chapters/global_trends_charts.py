"""Chart builders of the Global trends chapter. Each takes tidy long data already rounded for display
(labels are formatted by the caller from the same values as the prose) and returns an Altair chart;
titles, sources and alt texts are added by ``page.figure``."""

from __future__ import annotations

import altair as alt
import pandas as pd

from helpers.book import charts, labels
from helpers.book.chapters.global_trends_labels import LABELS

SERIES_ORDER = list(LABELS.values())
SERIES_COLORS = charts.PALETTE[:3]
INK = charts.PALETTE[7]  # text and reference marks


def _rule(value: float, axis: str = "y") -> alt.Chart:
    enc = {axis: alt.X("v:Q") if axis == "x" else alt.Y("v:Q")}
    return (
        alt.Chart(pd.DataFrame({"v": [value]})).mark_rule(color=charts.CONTEXT_COLOR, strokeDash=[2, 2]).encode(**enc)
    )


def index_lines(df: pd.DataFrame, base_year: int, sources: list[str]) -> alt.LayerChart:
    """Lines: series (colour) x source (dash: ``sources`` in order solid, dashed, dotted); df: series
    (label), source, year, index."""
    base = alt.Chart(df).encode(
        x=alt.X("year:O", title=None),
        y=alt.Y("index:Q", title=f"Index, {base_year} = 100", scale=alt.Scale(zero=False)),
        color=alt.Color(
            "series:N", title="Series", sort=SERIES_ORDER, scale=alt.Scale(domain=SERIES_ORDER, range=SERIES_COLORS)
        ),
        strokeDash=alt.StrokeDash(
            "source:N",
            title="Data",
            sort=sources,
            scale=alt.Scale(domain=sources, range=[[1, 0], [6, 4], [2, 2]][: len(sources)]),
            legend=alt.Legend(columns=1, labelLimit=400),
        ),
        detail="source:N",
        tooltip=[
            alt.Tooltip("series:N", title="Series"),
            alt.Tooltip("source:N", title="Data"),
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("index:Q", title="Index", format=".1f"),
        ],
    )
    return alt.layer(_rule(100), base.mark_line(point=True))


def share_lines(df: pd.DataFrame, point_sources: list[str]) -> alt.LayerChart:
    """Lines of DDS as % of services exports by source; sources in ``point_sources`` drawn as diamonds."""
    sources = list(df["source"].unique())
    enc = dict(
        x=alt.X("year:O", title=None),
        y=alt.Y("share_pct:Q", title="% of services exports", scale=alt.Scale(zero=False)),
        color=alt.Color(
            "source:N",
            title="Source",
            legend=alt.Legend(columns=1, labelLimit=400),
            scale=alt.Scale(domain=sources, range=[charts.PALETTE[i] for i in (0, 1, 7, 5)][: len(sources)]),
        ),
        tooltip=[
            alt.Tooltip("source:N", title="Source"),
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("share_pct:Q", title="% of services exports", format=".1f"),
        ],
    )
    is_point = df["source"].isin(point_sources)
    lines = alt.Chart(df[~is_point]).mark_line(point=True).encode(**enc)
    if not is_point.any():
        return alt.layer(lines)
    return alt.layer(lines, alt.Chart(df[is_point]).mark_point(shape="diamond", size=170, filled=True).encode(**enc))


def cagr_bars(df: pd.DataFrame, versions: list[str]) -> alt.LayerChart:
    """Bars: CAGR by series (rows) and version (colour); df: series (label), version (label), cagr_pct,
    label (the text shown at the bar's end, formatted like the prose), window."""
    base = alt.Chart(
        df
    ).encode(
        y=alt.Y("series:N", title=None, sort=SERIES_ORDER),
        x=alt.X("cagr_pct:Q", title="Compound annual growth rate (%)"),
        yOffset=alt.YOffset("version:N", sort=versions),
        color=alt.Color(
            "version:N",
            title="Data",
            sort=versions,
            legend=alt.Legend(  # below the bars, aligned with them: the sources are in the source line
                columns=1, labelLimit=400, orient="bottom", labelExpr="replace(datum.label, ' (World Bank; WTO)', '')"
            ),
            scale=alt.Scale(domain=versions, range=charts.PALETTE[: len(versions)]),
        ),
        tooltip=[
            alt.Tooltip("series:N", title="Series"),
            alt.Tooltip("version:N", title="Data"),
            alt.Tooltip("window:N", title="Window"),
            alt.Tooltip("label:N", title="CAGR"),
        ],
    )
    text = base.mark_text(align="left", dx=3).encode(text="label:N", color=alt.value(INK))
    return alt.layer(base.mark_bar(), text, _rule(0, "x")).properties(height=alt.Step(16))


def window_grid(df: pd.DataFrame, versions: list[str]) -> alt.FacetChart:
    """One grid per version (start year x end year): did DDS outgrow both? df: version (label), start,
    end, outcome, mark ("yes"/"no"), window, and the three CAGRs (rounded) for the tooltip."""
    outcomes = ["faster than both", "not faster than both"]
    rect = (
        alt.Chart()
        .mark_rect(stroke="white")
        .encode(
            x=alt.X("end:O", title="End year"),
            y=alt.Y("start:O", title="Start year"),
            color=alt.Color(
                "outcome:N",
                title="Digitally delivered services grew",
                legend=alt.Legend(titleLimit=400, labelLimit=400),
                scale=alt.Scale(domain=outcomes, range=[charts.PALETTE[2], charts.PALETTE[3]]),
            ),
            tooltip=[
                alt.Tooltip("version:N", title="Data"),
                alt.Tooltip("window:N", title="Window"),
                alt.Tooltip("outcome:N", title="Digitally delivered services grew"),
                alt.Tooltip("cagr_dds:Q", title="Digitally delivered, CAGR (%)", format=".1f"),
                alt.Tooltip("cagr_goods:Q", title="Goods CAGR (%)", format=".1f"),
                alt.Tooltip("cagr_services:Q", title="Services CAGR (%)", format=".1f"),
            ],
        )
    )
    text = alt.Chart().mark_text(fontSize=11).encode(x="end:O", y="start:O", text="mark:N", color=alt.value(INK))
    return (
        alt.layer(rect, text, data=df)
        .properties(height=alt.Step(24))
        .facet(
            row=alt.Row(
                "version:N",
                title=None,
                sort=versions,
                header=alt.Header(
                    labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top", labelFontWeight=600
                ),
            )
        )
    )


def crosscheck_panels(df: pd.DataFrame, unit_label: str, sources: list[str], point_source: str) -> alt.FacetChart:
    """Small multiples (one per series): Table 1 and independent levels; ``point_source`` as points only.
    df: series (label), year, source, value."""
    colors = [charts.FOCUS_COLOR, charts.PALETTE[0], charts.PALETTE[2], INK][: len(sources)]
    enc = dict(
        x=alt.X("year:O", title=None),
        y=alt.Y("value:Q", title=unit_label, scale=alt.Scale(zero=False)),
        color=alt.Color("source:N", title="Source", scale=alt.Scale(domain=sources, range=colors)),
        shape=alt.Shape(
            "source:N",
            title="Source",
            scale=alt.Scale(domain=sources, range=["circle", "square", "triangle-up", "diamond"][: len(sources)]),
        ),
        tooltip=[
            alt.Tooltip("series:N", title="Series"),
            alt.Tooltip("source:N", title="Source"),
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("value:Q", title=unit_label, format=",.1f"),
        ],
    )
    lines = alt.Chart().mark_line(point=True).encode(**enc).transform_filter(alt.datum.source != point_source)
    pts = (
        alt.Chart()
        .mark_point(size=110, filled=False, strokeWidth=2)
        .encode(**enc)
        .transform_filter(alt.datum.source == point_source)
    )
    return (
        alt.layer(lines, pts, data=df)
        .properties(height=170)
        .facet(
            row=alt.Row(
                "series:N",
                title=None,
                sort=SERIES_ORDER,
                header=alt.Header(
                    labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top", labelFontWeight=600
                ),
            )
        )
        .resolve_scale(y="independent")
    )


def gap_lines(df: pd.DataFrame, kinds: list[str]) -> alt.LayerChart:
    """Gap (%) of Table 1 against each independent source by year: colour = series, dash = kind of
    source; df: series (label), year, gap_pct, comparison, kind."""
    line = (
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("gap_pct:Q", title="Table 1 minus source, % of source"),
            color=alt.Color(
                "series:N", title="Series", sort=SERIES_ORDER, scale=alt.Scale(domain=SERIES_ORDER, range=SERIES_COLORS)
            ),
            strokeDash=alt.StrokeDash(
                "kind:N", title="Compared with", scale=alt.Scale(domain=kinds, range=[[1, 0], [4, 3]])
            ),
            detail="comparison:N",
            tooltip=[
                alt.Tooltip("comparison:N", title="Comparison"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("gap_pct:Q", title="Gap (%)", format="+.1f"),
            ],
        )
    )
    return alt.layer(_rule(0), line)


def share_over_time(df: pd.DataFrame, focus_label: str, y_title: str, value_title: str) -> alt.LayerChart:
    """World shares (%) over time, one line per economy, labelled at the end; the focus economy in the
    focus colour and thicker. df: label, year, share_pct, value."""
    last = df[df["year"] == df["year"].max()]
    order = list(last.sort_values("share_pct", ascending=False)["label"]) + [
        lab for lab in df["label"].unique() if lab not in set(last["label"])
    ]
    others = [c for c in charts.PALETTE if c != charts.FOCUS_COLOR]
    rng = [charts.FOCUS_COLOR if lab == focus_label else others[i % len(others)] for i, lab in enumerate(order)]
    color = alt.Color("label:N", title=None, sort=order, scale=alt.Scale(domain=order, range=rng))
    base = alt.Chart(df).encode(
        x=alt.X("year:O", title=None),
        y=alt.Y("share_pct:Q", title=y_title),
        color=color,
        tooltip=[
            alt.Tooltip("label:N", title="Economy"),
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("share_pct:Q", title="Share (%)", format=".2f"),
            alt.Tooltip("value:Q", title=value_title, format=",.1f"),
        ],
    )
    lines = base.mark_line(point=alt.OverlayMarkDef(size=18)).encode(
        strokeWidth=alt.condition(alt.datum.label == focus_label, alt.value(3.6), alt.value(1.6))
    )
    top = float(df["share_pct"].max())
    # line-end labels spread so that economies ending close together stay readable (about 14 px apart)
    last = last.assign(label_y=labels.dodge(last["share_pct"], gap=0.05 * top, lo=0.0))
    names = (
        alt.Chart(last)
        .mark_text(align="left", dx=5, fontSize=11)
        .encode(x=alt.X("year:O"), y=alt.Y("label_y:Q"), text="label:N", color=color.legend(None))
    )
    return alt.layer(lines, names)


def rank_lines(df: pd.DataFrame) -> alt.LayerChart:
    """The focus economy's rank over time (1 at the top) in two rankings; df: year, measure, rank, rank_low."""
    base = alt.Chart(df).encode(
        x=alt.X("year:O", title=None),
        color=alt.Color("measure:N", title=None, legend=alt.Legend(columns=1, labelLimit=400)),
    )
    band = base.mark_rule(strokeWidth=6, opacity=0.85).encode(  # a range, still 3:1 against white
        y=alt.Y("rank:Q"),
        y2="rank_low:Q",
        tooltip=[
            alt.Tooltip("measure:N", title="Ranking"),
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("rank:Q", title="Rank"),
            alt.Tooltip("rank_low:Q", title="Rank if missing economies were present (at worst)"),
        ],
    )
    line = base.mark_line(point=True).encode(
        y=alt.Y("rank:Q", title="Rank (1 = largest exporter)", scale=alt.Scale(reverse=True, zero=False, domainMin=1)),
        tooltip=[
            alt.Tooltip("measure:N", title="Ranking"),
            alt.Tooltip("year:O", title="Year"),
            alt.Tooltip("rank:Q", title="Rank"),
        ],
    )
    return alt.layer(band, line)
