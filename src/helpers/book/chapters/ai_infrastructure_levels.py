"""The WDI sections of the "AI infrastructure" page: the latest levels of the selected indicators, and the
digital divide across the members."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from helpers import text
from helpers.analysis import infrastructure as infra
from helpers.book.chapters import ai_infrastructure_charts as ch
from helpers.book.chapters.ai_infrastructure_charts import label, unit
from helpers.book.chapters.ai_infrastructure_words import WDI_SRC, _no_figure, cap, count, lower_first, names, span, the
from helpers.data import datastore as ds

if TYPE_CHECKING:
    from helpers.book.chapters.ai_infrastructure import Infrastructure


# --------------------------------------------------------------------------- levels


def extremes_sentence(ext: infra.Extremes | None, code: str, n_selected: int) -> str:
    name = f"{label(code)} ({unit(code)})"
    if ext is None:
        return f"{name}: no value for the members shown in this window."
    v = lambda x: text.num(x, 1)  # noqa: E731 - the one rounding of the page's levels
    if ext.reporting == 1:
        who = the(ext.top[0])
        return (
            f"{name}: {who}, {v(ext.top_value)} in {ext.year}."
            if n_selected == 1
            else f"{name}: in {ext.year}, the latest year with data, only {who} has a value ({v(ext.top_value)})."
        )
    if v(ext.top_value) == v(ext.bottom_value):
        return f"{name}: all {ext.reporting} members with a value in {ext.year} stand at {v(ext.top_value)}."
    among = "" if ext.reporting == n_selected else f", among the {ext.reporting} of {n_selected} members with a value"
    return (
        f"{name}, {ext.year}: {names(ext.top)} highest ({v(ext.top_value)}), {names(ext.bottom)} lowest "
        f"({v(ext.bottom_value)}){among}."
    )


def levels_title(extremes: Sequence[infra.Extremes], n_selected: int) -> str:
    if n_selected == 1:
        return f"{cap(the(extremes[0].top[0]))}: " + "; ".join(
            f"{lower_first(label(e.indicator))} {text.num(e.top_value, 1)} ({e.year})" for e in extremes
        )
    leads: dict[tuple[str, ...], list[str]] = {}
    for e in extremes:
        if e.reporting >= 2 and text.num(e.top_value, 1) != text.num(e.bottom_value, 1):
            leads.setdefault(e.top, []).append(lower_first(label(e.indicator)))
    if not leads:
        return "Latest values: no indicator separates two members in its latest year"
    return "Highest in the latest year with data: " + "; ".join(
        f"{names(top)} ({text.listing(what)})" for top, what in leads.items()
    )


def coverage_sentence(r: Infrastructure) -> str:
    parts = []
    for code in r.indicators:
        year, lacking = infra.lacking_latest(r.panel, code, r.economies)
        if year is None:
            parts.append(f"{lower_first(label(code))} has no value in this window")
        elif lacking:
            parts.append(f"{lower_first(label(code))} in {year} lacks {names(lacking)}")
    if parts:
        return "Coverage of the latest year with data in the window: " + "; ".join(parts) + "."
    who = cap(the(r.economies[0])) if len(r.economies) == 1 else "Every member shown"
    return f"{who} has a value in the latest year with data of each indicator in the window."


def levels(page, r: Infrastructure, latest: pd.DataFrame) -> None:
    """The table of latest values and the levels figure; glues the coverage sentence and one line per indicator."""
    extremes = {code: infra.latest_extremes(r.panel, code) for code in r.indicators}
    n = len(r.economies)
    page.glue_sentences(
        {
            "coverage_sentence": coverage_sentence(r),
            "levels_list": [extremes_sentence(e, c, n) for c, e in extremes.items()],
        }
    )
    cells = latest.assign(
        cell=[f"{text.num(v, 1)} ({y})" for v, y in zip(latest["value"], latest["year"])],
        column=latest["indicator"].map(label),
    )
    wide = (
        cells.pivot(index="economy", columns="column", values="cell")
        .reindex(index=sorted(ds.display_name(e) for e in r.economies), columns=[label(c) for c in r.indicators])
        .astype(object)
        .fillna("no data")
        .rename_axis(index="economy", columns=None)
        .reset_index()
    )
    page.table(
        wide,
        name="latest-levels",
        caption="Latest value of each indicator in the window (year in brackets)",
        source=WDI_SRC + "; units: " + "; ".join(f"{label(c)}: {unit(c)}" for c in r.indicators),
        sortable=True,
        csv=latest.assign(indicator=latest["indicator"].map(label)),
    )
    drawn = [e for e in extremes.values() if e is not None]
    if not drawn:
        _no_figure(page, "levels", "No selected indicator has a value for these members in this window.")
        return
    d = r.panel.dropna(subset=["value"])
    page.figure(
        ch.levels_chart(r.panel, r.indicators, r.focus),
        name="levels",
        title=levels_title(drawn, n),
        subtitle="One panel per indicator, each on its own scale (log where levels span orders of magnitude)",
        source=WDI_SRC,
        data=d.assign(indicator=d["indicator"].map(label)),
        alt=f"Line charts, one per indicator, for {count(d['iso3'].nunique(), 'member')}, "
        f"{span(int(d['year'].min()), int(d['year'].max()))}. "
        + " ".join(extremes_sentence(e, e.indicator, n) for e in drawn),
    )


# --------------------------------------------------------------------------- the digital divide


def _times(x: float) -> str:
    return f"{text.num(x, 0 if x >= 100 else 1)}×"


def divide_sentence(dv: infra.Divide, n_selected: int) -> str:
    name, least = label(dv.indicator), infra.MIN_BALANCED_MEMBERS
    if not dv.measurable:
        k = len(set(dv.members) | set(dv.excluded))
        why = {
            "data": "no member shown has a value in this window",
            "members": (
                f"the selection has {count(n_selected, 'member')}; a divide needs at least {least}"
                if n_selected < least
                else f"only {k} of the {n_selected} members have a value; a divide needs at least {least}"
            ),
            "years": "the window has a single year with data",
            "gaps": f"no run of two or more consecutive years has at least {least} members with a value in each",
        }
        return f"{name}: the divide cannot be traced on a balanced panel — {why[dv.why_not]}."
    y0, y1 = dv.years[0], dv.years[-1]
    ratio = ""
    if np.isfinite(dv.ratio_first) and np.isfinite(dv.ratio_last):
        ratio = (
            f"; the highest member had {_times(dv.ratio_first)} the lowest member's level in {y0} and "
            f"{_times(dv.ratio_last)} in {y1}"
        )
    elif np.isfinite(dv.ratio_last):
        ratio = f"; the highest member had {_times(dv.ratio_last)} the lowest member's level in {y1}"
    excl = f" Left out for gaps: {names(dv.excluded)}." if dv.excluded else ""
    agree = (
        ""
        if dv.trend_all in (dv.trend, "not measurable")
        else f" With all members that have data each year the divide {dv.trend_all} instead: the difference is a "
        "composition effect."
    )
    return (
        f"{name}: on a balanced panel of {len(dv.members)} members, {text.year_span(y0, y1)}, the coefficient of "
        f"variation went from {text.num(dv.cv_first, 2)} to {text.num(dv.cv_last, 2)} — the divide "
        f"{dv.trend}{ratio}.{excl}{agree}"
    )


def divide_verdict(divides: Sequence[infra.Divide], n_selected: int) -> str:
    """Is the divide closing? Computed on the selected members; says when and why it cannot be answered."""
    measured = [d for d in divides if d.measurable]
    unmeasured = [lower_first(label(d.indicator)) for d in divides if not d.measurable]
    if not measured:
        if n_selected < infra.MIN_BALANCED_MEMBERS:
            return (
                f"With {count(n_selected, 'member')} selected, the divide cannot be measured: it needs at least "
                f"{infra.MIN_BALANCED_MEMBERS} members with values in every year of a run of years."
            )
        return (
            "The divide cannot be measured on a balanced panel for any selected indicator in this window "
            f"({text.listing(unmeasured)})."
        )
    by = {
        w: [lower_first(label(d.indicator)) for d in measured if d.trend == w]
        for w in ("narrowed", "widened", "did not change")
    }
    if len(by["narrowed"]) == len(measured) > 1:
        out = f"The divide narrowed for all {len(measured)} indicators measured ({text.listing(by['narrowed'])})."
    else:
        out = "The divide " + text.listing([f"{w} for {text.listing(v)}" for w, v in by.items() if v]) + "."
    if unmeasured:
        out += f" It cannot be measured for {text.listing(unmeasured)}."
    return out


def dispersion_frame(divides: Sequence[infra.Divide]) -> pd.DataFrame:
    """Long frame for the dispersion chart: indicator, panel (balanced / all with data), year, cv, max_min, n."""
    parts = [
        f.assign(indicator=label(dv.indicator), panel=name)
        for dv in divides
        for f, name in ((dv.balanced, ch.BALANCED), (dv.all_members, ch.ALL_WITH_DATA))
        if not f.empty
    ]
    cols = ["indicator", "panel", "year", "cv", "max_min", "n"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def divide(page, r: Infrastructure, divides: Sequence[infra.Divide]) -> tuple[str, str | None]:
    """The divide figure and its sentences. The verdict is the page's headline (also glued as plain text
    for the introduction); returns it with the figure's name (None when no figure can be drawn)."""
    n = len(r.economies)
    verdict = divide_verdict(divides, n)
    page.glue_sentences(
        {"divide_list": [divide_sentence(d, n) for d in divides], "divide_verdict": verdict}, plain=("divide_verdict",)
    )
    page.glue("headline", verdict)
    frame = dispersion_frame(divides)
    if frame.empty:
        _no_figure(page, "digital-divide", verdict)
        return verdict, None
    trends = [f"{lower_first(label(d.indicator))} {d.trend}" for d in divides if d.measurable]
    title = (
        "The digital divide across the members: " + "; ".join(trends)
        if trends
        else f"No balanced panel of at least {infra.MIN_BALANCED_MEMBERS} members: the dispersion of the members with "
        "data each year, for reference"
    )
    page.figure(
        ch.dispersion_chart(frame),
        name="digital-divide",
        title=title,
        source=WDI_SRC,
        data=frame,
        subtitle="Coefficient of variation across members (standard deviation / mean); each panel its own scale",
        alt="Line charts, one per indicator, of the coefficient of variation across members by year: "
        "solid for the balanced panel, dashed for all members with data that year. " + verdict,
    )
    return verdict, "digital-divide"
