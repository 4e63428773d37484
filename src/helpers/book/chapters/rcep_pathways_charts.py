"""RCEP pathways: the Altair charts of the chapter (palette and theme from helpers.book.charts; widths follow the
page, so no chart sets a pixel width)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from helpers.book import charts

MUTED = charts.CONTEXT_COLOR


def measures(df: pd.DataFrame, main_label: str) -> alt.Chart:
    """Year totals of the three outcome measures (``measure``, ``year``, ``value_u``); the main one drawn boldest."""
    order = [main_label] + sorted(m for m in df["measure"].unique() if m != main_label)
    color = alt.Color(
        "measure:N", sort=order, scale=alt.Scale(domain=order, range=charts.PALETTE[: len(order)]), title="Measure"
    )
    return (
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("value_u:Q", title="US$ bn"),
            color=color,
            strokeWidth=alt.condition(alt.datum.measure == main_label, alt.value(3.2), alt.value(1.6)),
            tooltip=[
                alt.Tooltip("measure:N"),
                alt.Tooltip("year:O"),
                alt.Tooltip("value_u:Q", format=",.1f", title="US$ bn"),
            ],
        )
        .properties(height=300)
    )


def coverage(df: pd.DataFrame, focus: str | None) -> alt.LayerChart:
    """Country × year grid: in the sample or dropped (hover for the missing series)."""
    enc = {"x": alt.X("year:O", title=None), "y": alt.Y("member:N", title=None, sort="ascending")}
    rect = (
        alt.Chart(df)
        .mark_rect()
        .encode(
            **enc,
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=["in sample", "dropped"], range=[charts.PALETTE[0], MUTED]),
                title=None,
            ),
            tooltip=[alt.Tooltip("member:N"), alt.Tooltip("year:O"), alt.Tooltip("reason:N", title="status")],
        )
    )
    # white on the dark "in sample" cells, dark on the light "dropped" ones: both well above 4.5:1
    marks = (
        alt.Chart(df)
        .mark_text(fontSize=11)
        .encode(
            **enc,
            text="mark:N",
            color=alt.condition(
                alt.datum.status == "in sample", alt.value(charts.CHART_BACKGROUND), alt.value(charts.TEXT_COLOR)
            ),
        )
    )
    layers = [rect, marks]
    if focus is not None:
        layers.append(
            alt.Chart(df[df["member"] == focus])
            .mark_rect(fill=None, stroke=charts.FOCUS_COLOR, strokeWidth=1.5)
            .encode(**enc)
        )
    return alt.layer(*layers).properties(height=alt.Step(18))


def coefficients(cf: pd.DataFrame, order: Sequence[str], panels: Sequence[str]) -> alt.FacetChart:
    """Coefficient and 95 % interval of each regressor in the main and robustness specifications."""
    y = alt.Y("spec:N", sort=list(order), title=None)
    is_main = alt.datum.spec == order[0]
    bars = (
        alt.Chart()
        .mark_rule(strokeWidth=2)
        .encode(
            x=alt.X("low:Q", title="coefficient (95 % interval)"),
            x2="high:Q",
            y=y,
            color=alt.condition(is_main, alt.value(charts.FOCUS_COLOR), alt.value(charts.PALETTE[0])),
        )
    )
    pts = (
        alt.Chart()
        .mark_point(filled=True, size=55)
        .encode(
            x="coef:Q",
            y=y,
            color=alt.condition(is_main, alt.value(charts.FOCUS_COLOR), alt.value(charts.PALETTE[0])),
            shape=alt.Shape(
                "sig:N", title="bootstrap p < 0.05", scale=alt.Scale(domain=["yes", "no"], range=["diamond", "circle"])
            ),
            tooltip=[
                alt.Tooltip("term:N"),
                alt.Tooltip("spec:N"),
                alt.Tooltip("coef:Q", format=".3f"),
                alt.Tooltip("low:Q", format=".3f", title="interval low"),
                alt.Tooltip("high:Q", format=".3f", title="interval high"),
                alt.Tooltip("p_boot:Q", format=".3f", title="bootstrap p"),
            ],
        )
    )
    zero = alt.Chart().mark_rule(color=MUTED, strokeDash=[3, 3]).encode(x=alt.datum(0))
    data = cf.assign(sig=np.where(cf["p_boot"] < 0.05, "yes", "no"))
    return (
        alt.layer(bars, pts, zero, data=data)
        .properties(height=alt.Step(20))
        .facet(facet=alt.Facet("term:N", title=None, sort=list(panels)), columns=2)
        .resolve_scale(x="independent")
    )


def rolling(df: pd.DataFrame) -> alt.FacetChart:
    base = alt.Chart()
    band = base.mark_area(opacity=0.22, color=charts.PALETTE[0]).encode(
        x=alt.X("mid:Q", title="middle year of the window", axis=alt.Axis(format="d")),
        y=alt.Y("low:Q", title="coefficient"),
        y2="high:Q",
    )
    line = base.mark_line(point=True, color=charts.PALETTE[0]).encode(
        x="mid:Q",
        y="coef:Q",
        tooltip=[
            alt.Tooltip("panel:N"),
            alt.Tooltip("window:N"),
            alt.Tooltip("coef:Q", format=".3f"),
            alt.Tooltip("low:Q", format=".3f", title="95 % interval low"),
            alt.Tooltip("high:Q", format=".3f", title="95 % interval high"),
            alt.Tooltip("n:Q", title="N"),
        ],
    )
    zero = base.mark_rule(color=MUTED, strokeDash=[3, 3]).encode(y=alt.datum(0))
    return (
        alt.layer(band, line, zero, data=df)
        .properties(height=170)
        .facet(facet=alt.Facet("panel:N", title=None, sort=list(dict.fromkeys(df["panel"]))), columns=2)
        .resolve_scale(y="independent")
    )


def residuals(df: pd.DataFrame, focus: str | None) -> alt.LayerChart:
    groups = ["High income", "Other members"]
    pts = (
        alt.Chart(df)
        .mark_point(filled=True, size=30)
        .encode(
            x=alt.X("fitted:Q", title="fitted value (log US$)", scale=alt.Scale(zero=False)),
            y=alt.Y("residual:Q", title="residual (log points)"),
            color=alt.Color(
                "group:N",
                title="Income group",
                scale=alt.Scale(domain=groups, range=[charts.PALETTE[0], charts.PALETTE[1]]),
            ),
            shape=alt.Shape("group:N", title="Income group"),
            tooltip=[
                alt.Tooltip("member:N"),
                alt.Tooltip("year:O"),
                alt.Tooltip("fitted:Q", format=".2f"),
                alt.Tooltip("residual:Q", format=".3f"),
            ],
        )
    )
    zero = alt.Chart(df).mark_rule(color=MUTED, strokeDash=[3, 3]).encode(y=alt.datum(0))
    layers = [pts, zero]
    if focus is not None and (df["member"] == focus).any():
        layers.append(
            alt.Chart(df[df["member"] == focus])
            .mark_point(size=70, color=charts.FOCUS_COLOR, strokeWidth=2)
            .encode(x="fitted:Q", y="residual:Q")
        )
    return alt.layer(*layers).properties(height=300)


def leave_one_out(df: pd.DataFrame, panels: Sequence[str]) -> alt.FacetChart:
    y = alt.Y("omitted:N", title="member left out", sort="ascending")
    rules_ = (
        alt.Chart()
        .mark_rule(color=charts.PALETTE[0])
        .encode(x=alt.X("low:Q", title="coefficient (95 % interval)"), x2="high:Q", y=y)
    )
    pts = (
        alt.Chart()
        .mark_point(filled=True, size=40, color=charts.PALETTE[0])
        .encode(
            x="coef:Q",
            y=y,
            tooltip=[
                alt.Tooltip("panel:N", title="coefficient"),
                alt.Tooltip("omitted:N"),
                alt.Tooltip("coef:Q", format=".3f"),
                alt.Tooltip("low:Q", format=".3f"),
                alt.Tooltip("high:Q", format=".3f"),
            ],
        )
    )
    ref = (
        alt.Chart()
        .mark_rule(color=charts.FOCUS_COLOR, strokeDash=[5, 3], strokeWidth=1.6)
        .encode(x="full:Q", tooltip=[alt.Tooltip("full:Q", format=".3f", title="full sample")])
    )
    zero = alt.Chart().mark_rule(color=MUTED, strokeDash=[2, 2]).encode(x=alt.datum(0))
    return (
        alt.layer(rules_, pts, ref, zero, data=df)
        .properties(height=alt.Step(14))
        .facet(facet=alt.Facet("panel:N", title=None, sort=list(panels)), columns=2)
        .resolve_scale(x="independent")
    )


def scenarios(hist: pd.DataFrame, paths: pd.DataFrame, unit: str) -> alt.VConcatChart:
    """Observed values and the three scenario paths (left), and the values at the horizon (below)."""
    order = ["low", "central", "high"]
    colors = [charts.PALETTE[2], charts.PALETTE[0], charts.PALETTE[1]]
    color = alt.Color("scenario:N", sort=order, scale=alt.Scale(domain=order, range=colors), title="Scenario")
    lo = float(min(hist["value_u"].min(), paths["low_u"].min()))
    hi = float(max(hist["value_u"].max(), paths["high_u"].max()))
    yscale = alt.Scale(domain=[lo * 0.95, hi * 1.05], zero=False)
    h = (
        alt.Chart(hist)
        .mark_line(point=True, color=charts.FOCUS_COLOR)
        .encode(
            x=alt.X("year:Q", axis=alt.Axis(format="d", tickMinStep=1), title=None),
            y=alt.Y("value_u:Q", title=unit, scale=yscale),
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("value_u:Q", format=",.1f", title=f"observed, {unit}"),
            ],
        )
    )
    band = (
        alt.Chart(paths)
        .mark_area(opacity=0.14)
        .encode(x="year:Q", y=alt.Y("low_u:Q", scale=yscale), y2="high_u:Q", color=color)
    )
    line = (
        alt.Chart(paths)
        .mark_line()
        .encode(
            x="year:Q",
            y=alt.Y("central_u:Q", scale=yscale),
            color=color,
            strokeDash=alt.StrokeDash("scenario:N", sort=order, title="Scenario"),
            tooltip=[
                alt.Tooltip("scenario:N"),
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("central_u:Q", format=",.1f", title=f"central, {unit}"),
                alt.Tooltip("low_u:Q", format=",.1f", title="band low"),
                alt.Tooltip("high_u:Q", format=",.1f", title="band high"),
            ],
        )
    )
    top = alt.layer(band, h, line).properties(height=280)
    ends = paths[paths["year"] == paths["year"].max()]
    y = alt.Y("scenario:N", sort=order, title=None)
    rule = (
        alt.Chart(ends)
        .mark_rule(strokeWidth=2)
        .encode(
            x=alt.X("low_u:Q", scale=alt.Scale(zero=False), title=f"{unit} in {int(ends['year'].iloc[0])}"),
            x2="high_u:Q",
            y=y,
            color=alt.Color("scenario:N", sort=order, scale=alt.Scale(domain=order, range=colors), legend=None),
        )
    )
    dot = (
        alt.Chart(ends)
        .mark_point(filled=True, size=70)
        .encode(
            x="central_u:Q",
            y=y,
            color=alt.Color("scenario:N", sort=order, legend=None, scale=alt.Scale(domain=order, range=colors)),
            tooltip=[
                alt.Tooltip("scenario:N"),
                alt.Tooltip("central_u:Q", format=",.1f", title=f"central, {unit}"),
                alt.Tooltip("low_u:Q", format=",.1f", title="band low"),
                alt.Tooltip("high_u:Q", format=",.1f", title="band high"),
            ],
        )
    )
    label = alt.Chart(ends).mark_text(align="left", dx=8, dy=-9).encode(x="central_u:Q", y=y, text=alt.Text("label:N"))
    bottom = alt.layer(rule, dot, label).properties(height=110)
    return alt.vconcat(top, bottom, spacing=24)
