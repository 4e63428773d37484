"""Chart builders of the structure chapter (helpers.book.chapters.structure draws them on the page).

Colours from :mod:`helpers.book.charts`; no fixed widths (the theme and ``figure_html`` size charts to the
page): panels for two flows are stacked, not side by side, and members are drawn as lines in one chart with
the focus economy prominent rather than as small multiples. Every chart takes tidy long data.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from helpers.analysis import structure as an
from helpers.book import charts

INK, RULE = charts.PALETTE[7], charts.CONTEXT_COLOR
CATEGORY_LABELS = [c.label for c in an.ALL_CATEGORIES]
CATEGORY_COLORS = [charts.PALETTE[0], charts.PALETTE[5], charts.PALETTE[1], charts.PALETTE[2], charts.CONTEXT_COLOR]
FLOW_LABEL = {"exports": "Exports", "imports": "Imports"}
GROUP_LABELS = {
    "traditional": "Traditional (transport + travel)",
    "modern": "Modern (insurance & financial + computer, communications & other)",
    "other": "Other (goods-related & government)",
}
DDS_LABEL = "Digitally deliverable (UNCTAD) / services (WDI)"
ICT_LABEL = "of which ICT services (% of all service exports)"


def _year_axis(title: str | None = None) -> alt.X:
    return alt.X("year:O", title=title, axis=alt.Axis(labelAngle=0, labelOverlap="greedy"))


def _category_color() -> alt.Color:
    return alt.Color(
        "label:N",
        title="Category",
        sort=CATEGORY_LABELS,
        scale=alt.Scale(domain=CATEGORY_LABELS, range=CATEGORY_COLORS),
        legend=alt.Legend(columns=2),
    )


def composition(comp: pd.DataFrame, measure: str = "share") -> alt.FacetChart:
    """Stacked bars by category per year, exports above imports. measure: 'share' (%) or 'level' (US$ bn)."""
    if measure not in ("share", "level"):
        raise ValueError("measure must be 'share' or 'level'")
    df = comp.assign(
        value=(comp["share_pct"] if measure == "share" else comp["level_usd"] / 1e9).round(3),
        flow_label=comp["flow"].map(FLOW_LABEL),
        order=comp["category"].map(an.ORDER),
    )
    df = df[["year", "flow_label", "label", "value", "order"]].dropna(subset=["value"])
    ytitle = "% of commercial services" if measure == "share" else "US$ billion"
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=_year_axis(),
            y=alt.Y("sum(value):Q", title=ytitle),
            color=_category_color(),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("flow_label:N", title="Flow"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("label:N", title="Category"),
                alt.Tooltip("value:Q", title=ytitle, format=",.2f"),
            ],
        )
        .properties(height=220)
        .facet(row=alt.Row("flow_label:N", title=None, sort=["Exports", "Imports"]))
    )


def groups(gs: pd.DataFrame, dds: pd.DataFrame, ict: pd.DataFrame) -> alt.FacetChart:
    """Traditional and modern shares (WDI), the digitally deliverable share (UNCTAD/WDI) and the ICT share of
    exports: lines, exports above imports."""
    parts = [
        gs[gs["group"] != "other"].assign(series=lambda d: d["group"].map(GROUP_LABELS)),
        dds.assign(series=DDS_LABEL),
        ict.assign(series=ICT_LABEL, flow="exports"),
    ]
    df = pd.concat([p[["year", "flow", "series", "share_pct"]] for p in parts if not p.empty], ignore_index=True)
    df = charts.with_runs(
        df.assign(flow_label=df["flow"].map(FLOW_LABEL), share_pct=df["share_pct"].round(3))[
            ["year", "flow_label", "series", "share_pct"]
        ],
        ["flow_label", "series"],
    )
    order = [GROUP_LABELS["traditional"], GROUP_LABELS["modern"], DDS_LABEL, ICT_LABEL]
    return (
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            detail="run:N",
            x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(nice=False)),
            y=alt.Y("share_pct:Q", title="% of services", scale=alt.Scale(zero=True)),
            color=alt.Color(
                "series:N",
                title=None,
                sort=order,
                scale=alt.Scale(
                    domain=order, range=[charts.PALETTE[0], charts.PALETTE[2], charts.PALETTE[3], charts.PALETTE[4]]
                ),
                legend=alt.Legend(columns=1, labelLimit=420),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                sort=order,
                scale=alt.Scale(domain=order, range=[[1, 0], [1, 0], [6, 3], [2, 2]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("flow_label:N", title="Flow"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("share_pct:Q", title="%", format=",.1f"),
            ],
        )
        .properties(height=200)
        .facet(row=alt.Row("flow_label:N", title=None, sort=["Exports", "Imports"]))
    )


def _with_total(bars: alt.Chart, tot: pd.DataFrame, label: str) -> alt.LayerChart:
    line = (
        alt.Chart(tot)
        .mark_line(color=INK, point=alt.OverlayMarkDef(color=INK, shape="diamond", size=60))
        .encode(
            x=_year_axis(),
            y="value:Q",
            detail="run:N",
            tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("value:Q", title=label, format=",.2f")],
        )
    )
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color=RULE).encode(y="y:Q")
    return alt.layer(bars, zero, line).properties(height=300)


def balance(bal: pd.DataFrame) -> alt.LayerChart:
    """Stacked bars of category balances (US$ bn) with the total balance as a line of diamonds."""
    df = bal.assign(value=(bal["balance_usd"] / 1e9).round(3), order=bal["category"].map(an.ORDER))
    tot = charts.with_runs(df.groupby("year", as_index=False)["value"].sum(), [])
    bars = (
        alt.Chart(df[["year", "label", "value", "order"]])
        .mark_bar()
        .encode(
            x=_year_axis(),
            y=alt.Y("value:Q", title="US$ billion (exports − imports)", stack="zero"),
            color=_category_color(),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("label:N", title="Category"),
                alt.Tooltip("value:Q", title="Balance, US$ bn", format=",.2f"),
            ],
        )
    )
    return _with_total(bars, tot, "Total balance, US$ bn")


def sectors(df: pd.DataFrame) -> alt.LayerChart:
    """Digitally delivered balance by WTO sub-sector (US$ bn), stacked, with the total; preliminary years lighter."""
    d = df.assign(value=(df["balance"] / 1e3).round(3))
    names = list(dict.fromkeys(d.sort_values("sector_code")["sector"]))
    bars = (
        alt.Chart(d[["year", "sector", "value", "status"]])
        .mark_bar()
        .encode(
            x=_year_axis(),
            y=alt.Y("value:Q", title="US$ billion (exports − imports)", stack="zero"),
            color=alt.Color(
                "sector:N",
                title="Sub-sector",
                sort=names,
                scale=alt.Scale(domain=names, range=(charts.PALETTE + [charts.CONTEXT_COLOR])[: len(names)]),
                legend=alt.Legend(columns=2),
            ),
            opacity=alt.Opacity(
                "status:N",
                title="Data",
                scale=alt.Scale(domain=["final", "preliminary"], range=[1.0, 0.45]),
                legend=alt.Legend() if (d["status"] == "preliminary").any() else None,
            ),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("sector:N", title="Sub-sector"),
                alt.Tooltip("value:Q", title="Balance, US$ bn", format=",.2f"),
                alt.Tooltip("status:N", title="Data"),
            ],
        )
    )
    tot = charts.with_runs(d.groupby("year", as_index=False)["value"].sum(), [])
    return _with_total(bars, tot, "Total balance, US$ bn")


def proxies(prox: pd.DataFrame, points: pd.DataFrame) -> alt.FacetChart:
    """Proxies for the knowledge-intensive share (lines) with the shares the seeds state (diamonds)."""
    stated = "Stated in the seeds"
    p = charts.with_runs(
        prox.rename(columns={"proxy": "series"})[["year", "basis", "series", "share_pct"]].assign(
            kind=lambda d: d["series"]
        ),
        ["basis", "series"],
    )
    s = points.assign(series=stated + " (" + points["claim_id"] + ")", kind=stated, run=-1)
    df = pd.concat([p, s[["year", "basis", "series", "share_pct", "kind", "run"]]], ignore_index=True)
    df["share_pct"] = df["share_pct"].round(3)
    domain = [an.PROXY_MODERN, an.PROXY_DDS, stated]
    enc = dict(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(nice=False)),
        y=alt.Y("share_pct:Q", title="% of services", scale=alt.Scale(zero=True)),
        color=alt.Color(
            "kind:N",
            title=None,
            scale=alt.Scale(domain=domain, range=[charts.PALETTE[2], charts.PALETTE[3], INK]),
            legend=alt.Legend(columns=1, labelLimit=460),
        ),
        shape=alt.Shape("kind:N", title=None, scale=alt.Scale(domain=domain, range=["circle", "circle", "diamond"])),
        tooltip=[
            alt.Tooltip("basis:N", title="Basis"),
            alt.Tooltip("year:Q", title="Year", format="d"),
            alt.Tooltip("series:N", title="Series"),
            alt.Tooltip("share_pct:Q", title="%", format=",.1f"),
        ],
    )
    lines = alt.Chart().mark_line(point=True).encode(detail="run:N", **enc).transform_filter(alt.datum.kind != stated)
    pts = alt.Chart().mark_point(size=110, filled=True).encode(**enc).transform_filter(alt.datum.kind == stated)
    return (
        alt.layer(lines, pts, data=df)
        .properties(height=200)
        .facet(row=alt.Row("basis:N", title=None, sort=["exports", "exports + imports"]))
    )


def dumbbell(d: pd.DataFrame, *, x_title: str, focus: str, fmt: str = ",.1f") -> alt.LayerChart:
    """Two points per economy (common year: filled circle; latest: diamond labelled with its year); the focus
    economy's row in the focus colour."""
    order = list(d[d["point"] == an.LATEST].sort_values("value", ascending=False)["economy"])
    d = d.assign(
        role=(d["economy"] == focus).map({True: "Focus economy", False: "Other members"}), value=d["value"].round(3)
    )
    y = alt.Y("economy:N", title=None, sort=order)
    tip = [
        alt.Tooltip("economy:N", title="Economy"),
        alt.Tooltip("point:N", title="Point"),
        alt.Tooltip("year:Q", title="Year", format="d"),
        alt.Tooltip("value:Q", title=x_title, format=fmt),
    ]
    color = alt.Color(
        "role:N",
        title=None,
        scale=alt.Scale(domain=["Focus economy", "Other members"], range=[charts.FOCUS_COLOR, charts.PALETTE[0]]),
    )
    link = (
        alt.Chart(d)
        .mark_line(strokeWidth=2)
        .encode(x=alt.X("value:Q", title=x_title), y=y, detail="economy:N", color=color)
    )
    pts = (
        alt.Chart(d)
        .mark_point(size=110, strokeWidth=2.5, opacity=1, filled=True)
        .encode(
            x="value:Q",
            y=y,
            color=color,
            tooltip=tip,
            shape=alt.Shape(
                "point:N", title=None, scale=alt.Scale(domain=[an.COMMON, an.LATEST], range=["circle", "diamond"])
            ),
        )
    )
    lab = (
        alt.Chart(d[d["point"] == an.LATEST])
        .mark_text(align="left", dx=9, dy=-7, fontSize=10)
        .encode(x="value:Q", y=y, text="label:N")
    )
    return alt.layer(link, pts, lab).properties(height=alt.Step(22))


def focus_lines(
    df: pd.DataFrame, value: str, *, y_title: str, focus: str, reference: float | None = None, fmt: str = ",.2f"
) -> alt.LayerChart:
    """One line per economy over time: the focus economy prominent and labelled, the others in the context
    colour (names in the tooltips); an optional dashed reference line (e.g. RCA = 1). Lines break at gaps."""
    d = charts.with_runs(df[["economy", "year", value]].dropna(), ["economy"]).assign(
        role=lambda x: (x["economy"] == focus).map({True: "focus", False: "other"})
    )
    d[value] = d[value].round(3)
    base = alt.Chart(d).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(nice=False)),
        y=alt.Y(f"{value}:Q", title=y_title),
        detail="run:N",
        tooltip=[
            alt.Tooltip("economy:N", title="Economy"),
            alt.Tooltip("year:Q", title="Year", format="d"),
            alt.Tooltip(f"{value}:Q", title=y_title, format=fmt),
        ],
    )
    layers = [
        base.transform_filter(alt.datum.role == "other").mark_line(
            color=charts.CONTEXT_COLOR, strokeWidth=1.2, point=alt.OverlayMarkDef(size=12, color=charts.CONTEXT_COLOR)
        )
    ]
    me = d[d["role"] == "focus"]
    if not me.empty:
        layers.append(
            base.transform_filter(alt.datum.role == "focus").mark_line(
                color=charts.FOCUS_COLOR, strokeWidth=3, point=alt.OverlayMarkDef(size=30, color=charts.FOCUS_COLOR)
            )
        )
        layers.append(
            alt.Chart(me.sort_values("year").tail(1))
            .mark_text(align="left", dx=6, color=charts.FOCUS_COLOR, fontWeight="bold")
            .encode(x="year:Q", y=f"{value}:Q", text="economy:N")
        )
    if reference is not None:
        layers.insert(
            0, alt.Chart(pd.DataFrame({"ref": [reference]})).mark_rule(color=INK, strokeDash=[4, 3]).encode(y="ref:Q")
        )
    return alt.layer(*layers)
