"""The charts of the "AI infrastructure" page, and the human labels of its indicators.

Colours come from the report's palette only: the World black, the United States blue, the focus economy
(China, when selected) in the focus colour and drawn thicker, the other members cycling through the rest of
the palette with a dash pattern per cycle. No fixed widths: the theme and the page set them."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from helpers import text
from helpers.analysis import infrastructure as infra
from helpers.book import charts, labels
from helpers.data import datastore as ds

LOG_SPAN = 1000.0  # log-type scale for unbounded series whose largest value is this many times the smallest positive
LABELS = {
    "IT.NET.USER.ZS": "Internet users",
    "IT.NET.BBND.P2": "Fixed broadband subscriptions",
    "IT.CEL.SETS.P2": "Mobile subscriptions",
    "IT.NET.SECR.P6": "Secure internet servers",
    "GB.XPD.RSDV.GD.ZS": "R&D expenditure",
    "TX.VAL.TECH.MF.ZS": "High-technology exports",
    "SP.POP.TOTL": "Population",
}
BALANCED, ALL_WITH_DATA = "Balanced panel (same members every year)", "All members with data that year"
SEED_KIND = "the seed: intelligent computing (FP16)"
STATEMENT_KINDS = ["total / infrastructure computing", "intelligent computing", "target", SEED_KIND]


def label(code: str) -> str:
    return LABELS.get(code, str(ds.indicator_meta(code)["name"]))


def unit(code: str) -> str:
    return str(ds.indicator_meta(code)["unit"])


def use_log(values: pd.Series, code: str | None = None) -> bool:
    """Log-type scale when levels span orders of magnitude; never for a bounded share (0-100)."""
    if code is not None and pd.notna(ds.indicator_meta(code)["max_value"]):
        return False
    v = values[values > 0]
    return bool(len(v) and v.max() / v.min() >= LOG_SPAN)


def series_order(economies: Sequence[str]) -> list[str]:
    """The World and the United States first, then the rest alphabetically."""
    first = [e for e in (ds.display_name(ds.WORLD), ds.display_name(infra.COMPARATOR)) if e in set(economies)]
    return first + sorted(e for e in set(economies) if e not in first)


def economy_encodings(order: Sequence[str], focus: str | None) -> tuple[alt.Color, alt.StrokeDash]:
    """One colour and dash per economy, the same rules in every chart (one merged legend)."""
    fixed = {ds.display_name(ds.WORLD): charts.PALETTE[7], ds.display_name(infra.COMPARATOR): charts.PALETTE[0]}
    if focus:
        fixed[ds.display_name(focus)] = charts.FOCUS_COLOR
    free = [c for c in charts.PALETTE[1:7] if c not in fixed.values()]
    dashes = [[1, 0], [6, 3], [2, 2]]
    colours, dash, i = [], [], 0
    for e in order:
        if e in fixed:
            colours.append(fixed[e])
            dash.append([1, 0])
        else:
            colours.append(free[i % len(free)])
            dash.append(dashes[(i // len(free)) % len(dashes)])
            i += 1
    legend = alt.Legend(columns=4, symbolLimit=20)
    return (
        alt.Color(
            "economy:N", title=None, sort=list(order), scale=alt.Scale(domain=list(order), range=colours), legend=legend
        ),
        alt.StrokeDash(
            "economy:N", title=None, sort=list(order), scale=alt.Scale(domain=list(order), range=dash), legend=legend
        ),
    )


def _year_axis() -> alt.X:
    return alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(nice=False))


def _lines(
    d: pd.DataFrame,
    y: alt.Y,
    order: Sequence[str],
    focus: str | None,
    tip: str,
    value: str = "value",
    fmt: str = ",.1f",
) -> alt.Chart:
    """Lines by economy that break at missing years, the focus economy thicker."""
    d = charts.with_runs(d.assign(is_focus=np.where(d["iso3"] == focus, "yes", "no")), ["economy"])
    colour, dash = economy_encodings(order, focus)
    return (
        alt.Chart(d[["economy", "iso3", "year", value, "is_focus", "run"]])
        .mark_line(point=alt.OverlayMarkDef(size=16))
        .encode(
            x=_year_axis(),
            y=y,
            color=colour,
            strokeDash=dash,
            detail="run:N",
            strokeWidth=alt.condition(alt.datum.is_focus == "yes", alt.value(3.5), alt.value(1.5)),
            tooltip=[
                alt.Tooltip("economy:N", title="Economy"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip(f"{value}:Q", title=tip, format=fmt),
            ],
        )
    )


def _value_scale(values: pd.Series, code: str) -> tuple[alt.Scale, str]:
    if not use_log(values, code):
        return alt.Scale(zero=True), unit(code)
    return alt.Scale(type="log" if (values > 0).all() else "symlog"), unit(code) + " (log scale)"


def levels_chart(panel: pd.DataFrame, codes: Sequence[str], focus: str | None) -> alt.VConcatChart:
    """One panel per indicator, each on its own scale."""
    order = sorted(panel["economy"].dropna().unique())
    parts = []
    for code in codes:
        d = panel[panel["indicator"] == code].dropna(subset=["value"])
        if not d.empty:
            scale, title = _value_scale(d["value"], code)
            parts.append(
                _lines(d, alt.Y("value:Q", title=title, scale=scale), order, focus, unit(code)).properties(
                    height=220, title=label(code)
                )
            )
    return alt.vconcat(*parts).resolve_scale(color="shared", strokeDash="shared")


def dispersion_chart(frame: pd.DataFrame) -> alt.FacetChart:
    dom = [BALANCED, ALL_WITH_DATA]
    frame = charts.with_runs(frame, ["indicator", "panel"])
    return (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            detail="run:N",
            x=_year_axis(),
            y=alt.Y("cv:Q", title="Coefficient of variation", scale=alt.Scale(zero=True)),
            color=alt.Color(
                "panel:N",
                title=None,
                scale=alt.Scale(domain=dom, range=[charts.PALETTE[0], charts.CONTEXT_COLOR]),
                legend=alt.Legend(columns=1, labelLimit=400),
            ),
            strokeDash=alt.StrokeDash("panel:N", scale=alt.Scale(domain=dom, range=[[1, 0], [5, 3]]), legend=None),
            tooltip=[
                alt.Tooltip("indicator:N", title="Indicator"),
                alt.Tooltip("panel:N", title="Panel"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("n:Q", title="Members"),
                alt.Tooltip("cv:Q", title="Coefficient of variation", format=".2f"),
                alt.Tooltip("max_min:Q", title="Highest / lowest", format=",.1f"),
            ],
        )
        .properties(height=150)
        .facet(facet=alt.Facet("indicator:N", title=None), columns=1)
        .resolve_scale(y="independent")
    )


def gap_bands(missing: Sequence[str]) -> pd.DataFrame:
    """Shaded bands for runs of lists not obtained, from the list before to the list after."""
    rows = []
    for run in infra.list_runs(missing):
        a = pd.Timestamp(f"{run[0]}-01") - pd.DateOffset(months=3)
        b = pd.Timestamp(f"{run[-1]}-01") + pd.DateOffset(months=3)
        rows.append(
            {
                "start": a.strftime("%Y-%m-%d"),
                "end": b.strftime("%Y-%m-%d"),
                "label": "lists not obtained: "
                + text.listing([pd.Timestamp(f"{m}-01").strftime("%B %Y") for m in run]),
            }
        )
    return pd.DataFrame(rows, columns=["start", "end", "label"])


def top500_chart(df: pd.DataFrame, missing: Sequence[str], focus: str | None) -> alt.LayerChart:
    d = df[["date", "economy", "iso3", "rmax_pflops", "share_pct", "n_systems", "status"]].copy()
    colour, dash = economy_encodings(series_order(d["economy"].unique()), focus)
    line = (
        alt.Chart(d)
        .mark_line(point=alt.OverlayMarkDef(size=20), invalid="break-paths-filter-domains")
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y")),
            y=alt.Y("rmax_pflops:Q", title="PFlop/s (log scale)", scale=alt.Scale(type="log")),
            color=colour,
            strokeDash=dash,
            tooltip=[
                alt.Tooltip("economy:N", title="Economy"),
                alt.Tooltip("date:T", title="List", format="%B %Y"),
                alt.Tooltip("rmax_pflops:Q", title="Rmax, PFlop/s", format=",.2f"),
                alt.Tooltip("share_pct:Q", title="Share of list Rmax, %", format=".1f"),
                alt.Tooltip("n_systems:Q", title="Systems"),
                alt.Tooltip("status:N", title="Status"),
            ],
        )
    )
    bands = gap_bands(missing)
    if bands.empty:
        return alt.layer(line).properties(height=320)
    band = (
        alt.Chart(bands)
        .mark_rect(color=charts.CONTEXT_COLOR, opacity=0.3)
        .encode(x="start:T", x2="end:T", tooltip=[alt.Tooltip("label:N", title="Gap")])
    )
    return alt.layer(band, line).properties(height=320)


def gpu_chart(df: pd.DataFrame, focus: str | None, shares: dict[str, str]) -> alt.LayerChart:
    """Dot plot on a log scale (bars cannot start at zero on a log axis), labelled with value and share;
    ``shares``: the share text of each economy, as the sentences print it."""
    d = df[df["h100e"] > 0].copy()
    d["label"] = [f"{text.num(v, 0)} ({shares[e]})" for v, e in zip(d["h100e"], d["economy"])]
    d["colour"] = np.where(d["kind"] == "world", "world", np.where(d["iso3"] == focus, "focus", "other"))
    y = alt.Y("economy:N", title=None, sort=list(d.sort_values("h100e", ascending=False)["economy"]))
    x = alt.X("h100e:Q", title="H100 equivalents (log scale)", scale=alt.Scale(type="log"))
    col = alt.Color(
        "colour:N",
        scale=alt.Scale(
            domain=["world", "focus", "other"], range=[charts.PALETTE[7], charts.FOCUS_COLOR, charts.PALETTE[0]]
        ),
        legend=None,
    )
    tip = [
        alt.Tooltip("economy:N", title="Economy"),
        alt.Tooltip("h100e:Q", title="H100e", format=",.0f"),
        alt.Tooltip("share_pct:Q", title="% of world", format=".2f"),
        alt.Tooltip("clusters:Q", title="Clusters"),
    ]
    pts = alt.Chart(d).mark_point(size=110, filled=True, opacity=1).encode(x=x, y=y, color=col, tooltip=tip)
    labels = alt.Chart(d).mark_text(align="left", dx=8).encode(x="h100e:Q", y=y, text="label:N")
    return alt.layer(pts, labels).properties(height=alt.Step(22))


def models_chart(df: pd.DataFrame, focus: str | None) -> alt.Chart:
    colour, dash = economy_encodings(series_order(df["economy"].unique()), focus)
    return (
        alt.Chart(df)
        .mark_line(point=alt.OverlayMarkDef(size=20))
        .encode(
            x=_year_axis(),
            y=alt.Y("models:Q", title="Notable models published"),
            color=colour,
            strokeDash=dash,
            tooltip=[
                alt.Tooltip("economy:N", title="Economy"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("models:Q", title="Models"),
            ],
        )
        .properties(height=300)
    )


def statements_chart(st: pd.DataFrame, seed_eflops: float, seed_date: str) -> alt.Chart:
    d = st.dropna(subset=["date"]).copy()
    seed = pd.DataFrame(
        [
            {
                "date": seed_date,
                "eflops": seed_eflops,
                "kind": SEED_KIND,
                "metric": "the seed's figure",
                "reference_period": seed_date,
                "reporting_body": "CAICT, as cited by the seed",
            }
        ]
    )
    d = pd.concat([d, seed], ignore_index=True)
    d["date"] = d["date"] + "-15"
    colours = [charts.PALETTE[0], charts.PALETTE[2], charts.CONTEXT_COLOR, charts.FOCUS_COLOR]
    return (
        alt.Chart(d)
        .mark_point(size=120, filled=True, opacity=0.9)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1})),
            y=alt.Y("eflops:Q", title="EFLOPS", scale=alt.Scale(zero=True)),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=STATEMENT_KINDS, range=colours),
                legend=alt.Legend(columns=2, labelLimit=300),
            ),
            shape=alt.Shape(
                "kind:N",
                scale=alt.Scale(domain=STATEMENT_KINDS, range=["circle", "square", "triangle-up", "diamond"]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("reference_period:N", title="Period"),
                alt.Tooltip("metric:N", title="Measure"),
                alt.Tooltip("eflops:Q", title="EFLOPS", format=",.0f"),
                alt.Tooltip("reporting_body:N", title="Reported by"),
            ],
        )
        .properties(height=300)
    )


def innovation_chart(panel: pd.DataFrame, focus: str | None) -> alt.VConcatChart:
    order = sorted(panel["economy"].dropna().unique())
    parts = []
    for code in infra.INNOVATION:
        d = panel[panel["indicator"] == code].dropna(subset=["value"])
        if not d.empty:
            parts.append(
                _lines(d, alt.Y("value:Q", title=unit(code)), order, focus, unit(code), fmt=",.2f").properties(
                    height=220, title=label(code)
                )
            )
    return alt.vconcat(*parts).resolve_scale(color="shared", strokeDash="shared")


def bridge_chart(bf: pd.DataFrame, indicator: str, focus: str | None) -> alt.LayerChart:
    scale, x_title = _value_scale(bf["x"], indicator)
    d = charts.with_runs(bf.assign(is_focus=np.where(bf["iso3"] == focus, "yes", "no")), ["economy"])
    colour, dash = economy_encodings(sorted(d["economy"].unique()), focus)
    x = alt.X(
        "x:Q",
        title=f"{label(indicator)}, {x_title}",
        scale=scale if scale.to_dict().get("type") else alt.Scale(zero=False),
    )
    y = alt.Y("y:Q", title="Digitally deliverable exports per person, US$ (log scale)", scale=alt.Scale(type="log"))
    tip = [
        alt.Tooltip("economy:N", title="Economy"),
        alt.Tooltip("year:Q", title="Year", format="d"),
        alt.Tooltip("x:Q", title=unit(indicator), format=",.1f"),
        alt.Tooltip("y:Q", title="US$ per person", format=",.0f"),
    ]
    path = (
        alt.Chart(d)
        .mark_line(point=alt.OverlayMarkDef(size=14))
        .encode(
            x=x,
            y=y,
            order="year:Q",
            color=colour,
            strokeDash=dash,
            detail="run:N",
            tooltip=tip,
            strokeWidth=alt.condition(alt.datum.is_focus == "yes", alt.value(3), alt.value(1.3)),
        )
    )
    last = d.sort_values("year").groupby("iso3").tail(1)
    # label the end of each path where it does not crowd another label (the focus economy first, then the
    # largest exporters); every path stays identified by its colour in the legend and by its tooltip
    last = last.assign(weight=np.where(last["is_focus"] == "yes", np.inf, last["y"]))
    last = last[labels.sparse(last, "x", "y", "weight", log_x=bool(scale.to_dict().get("type")), log_y=True)]
    lab = alt.Chart(last).mark_text(align="left", dx=5, fontSize=11).encode(x=x, y=y, text="economy:N", color=colour)
    return alt.layer(path, lab).properties(height=380)
