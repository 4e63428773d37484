"""Sections of the structure chapter across the RCEP members: digitally deliverable shares and RCA."""

from __future__ import annotations

import pandas as pd

from helpers import text
from helpers.analysis import structure as an
from helpers.book.chapters import structure_charts as figs
from helpers.book.chapters.structure_labels import UNCTAD_SRC, WDI_SRC, no_figure, period
from helpers.data import datastore

# --------------------------------------------------------------------------- across the RCEP members


def rcep_dds(page, r, share: pd.DataFrame) -> None:
    """Digitally deliverable share of service exports across members (two figures), the focus highlighted."""
    name = r.name
    year, missing = an.latest_common_year(share, r.members)
    if year is None:
        cov = (int(r.unctad["year"].min()), int(r.unctad["year"].max()))
        page.glue_md(
            "dds_md",
            f"No member, {name} included, has a digitally deliverable share in this window: "
            f"UNCTAD's digitally deliverable trade covers {cov[0]}–{cov[1]}.",
        )
        no_figure(page, "dds-share-members", "No member has a digitally deliverable share in this window.")
        no_figure(page, "dds-share-over-time", "No member has a digitally deliverable share in this window.")
        return
    s = share[share["year"] == year].sort_values("share_pct", ascending=False).reset_index(drop=True)
    me = s.index[s["iso3"] == r.country]
    rank = s["share_pct"].rank(ascending=False, method="min")
    focus = (
        f"{name} ranked {text.rank_phrase(rank[me[0]], len(s), int((rank == rank[me[0]]).sum()))} with "
        f"{text.pct(s.loc[me[0], 'share_pct'])}"
        if len(me)
        else f"{name} has no value that year"
    )
    miss = (
        f" Not reported that year: {text.listing(list(datastore.display_names(missing).values()))}." if missing else ""
    )
    md = (
        f"In {year}, the latest year with the widest coverage, the digitally deliverable share of service exports: "
        + text.highest_lowest(list(zip(s["economy"], s["share_pct"])), text.pct)
        + f"; {focus}.{miss}"
    )
    page.glue_md("dds_md", md)
    d = an.dumbbell_frame(share, year)
    lead = s.iloc[0]
    title = (
        f"{name} ranked {text.rank_phrase(rank[me[0]], len(s))} members by digitally deliverable share of service "
        f"exports in {year}"
        if len(me)
        else f"Highest digitally deliverable share of service exports in {year}: {lead['economy']} "
        f"({text.pct(lead['share_pct'], 0)})"
    )
    page.figure(
        figs.dumbbell(d, x_title="% of service exports", focus=name),
        name="dds-share-members",
        title=title,
        subtitle=f"Digitally deliverable services exports (UNCTAD) as % of service exports (WDI); circle: "
        f"{year}, the latest common year; diamond: latest year available",
        source=f"{UNCTAD_SRC}; {WDI_SRC}",
        data=d,
        alt=(
            f"Dot chart, one row per RCEP member, {name} highlighted: digitally deliverable share of service "
            f"exports in {year} (circle) and in the member's latest year (diamond, labelled). {md}"
        ),
        note="Two sources: UNCTAD's digitally deliverable exports over WDI's balance-of-payments totals.",
    )
    ups, n = an.first_last_change(share, "share_pct")
    t2 = (
        f"The digitally deliverable share rose in {ups} of {n} members between their first and last years shown"
        if n
        else f"Digitally deliverable share of service exports, {year}"
    )
    page.figure(
        figs.focus_lines(share, "share_pct", y_title="% of service exports", focus=name, fmt=",.1f"),
        name="dds-share-over-time",
        title=t2,
        subtitle=f"Digitally deliverable share of service exports, %; {name} highlighted, the other members in grey",
        source=f"{UNCTAD_SRC}; {WDI_SRC}",
        alt=(
            f"Line chart, one line per RCEP member, of the digitally deliverable share of service exports, "
            f"{period(int(share['year'].min()), int(share['year'].max()))}; {name} highlighted. {t2}."
        ),
        data=share[["iso3", "economy", "year", "share_pct"]],
    )


RCA_WORDS = {an.RCA_ICT: "ICT services", an.RCA_DDS: "digitally deliverable services"}


def rca(page, r, rca_panel: pd.DataFrame) -> None:
    """Revealed comparative advantage in ICT and in digitally deliverable services (one figure each)."""
    for measure, key in ((an.RCA_ICT, "ict"), (an.RCA_DDS, "dds")):
        d = rca_panel[rca_panel["measure"] == measure]
        words = RCA_WORDS[measure]
        if d.empty:
            page.glue_md(
                f"rca_{key}_md",
                f"No index in {words} can be computed in this window, for {r.name} or any other member.",
            )
            no_figure(page, f"rca-{key}", f"No revealed comparative advantage in {words} in this window.")
            continue
        ly = int(d["year"].max())
        last = d[d["year"] == ly]
        above = sorted(last.loc[last["rca"] > 1, "economy"])
        me = d[d["iso3"] == r.country].sort_values("year")
        mine = (
            f"{r.name}'s index was {text.num(me['rca'].iloc[-1], 2)} in {int(me['year'].iloc[-1])}"
            if len(me) == 1
            else f"{r.name}'s index moved from {text.num(me['rca'].iloc[0], 2)} in {int(me['year'].iloc[0])} to "
            f"{text.num(me['rca'].iloc[-1], 2)} in {int(me['year'].iloc[-1])}"
            if len(me)
            else f"{r.name} has no value in the window"
        )
        md = (
            f"In {ly}, {len(above)} of the {last['iso3'].nunique()} members with data had a revealed comparative "
            f"advantage in {words} (index above one)" + (f": {text.listing(above)}" if above else "") + f". {mine}."
        )
        page.glue_md(f"rca_{key}_md", md)
        title = f"{len(above)} of {last['iso3'].nunique()} members had an index above one in {words} in {ly}"
        page.figure(
            figs.focus_lines(d, "rca", y_title="RCA", focus=r.name, reference=1.0),
            name=f"rca-{key}",
            title=title,
            subtitle=f"Balassa index of revealed comparative advantage in {words} (1 = world "
            f"average, dashed); {r.name} highlighted",
            source=f"{WDI_SRC}; {UNCTAD_SRC}",
            alt=f"Line chart, one line per member, of the Balassa index in {words}, {r.name} highlighted. {md}",
            data=d[["iso3", "economy", "measure", "year", "rca"]],
        )
