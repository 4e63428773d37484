"""The Global trends section that sets Table 1 against the independent sources: levels side by side, the
gaps in %, WTO's own revisions, growth rates against WTO's headlines, and the verdicts on Table 1's levels."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from helpers.analysis import trends
from helpers.book.chapters import global_trends_charts as charts
from helpers.book.chapters.global_trends_labels import (
    LABELS,
    SOURCE_HEAD,
    SOURCE_T1,
    SOURCE_WDI,
    SOURCE_WTO_DDS,
    to_unit,
    unit_label,
)
from helpers.claims import core as claims
from helpers.claims.checks import global_trends as checks
from helpers.text import listing, pct, year_ranges

SOURCE_NAMES = {
    "table1": "Study, Table 1",
    "wdi": "World Bank WDI (BoP)",
    "wto_dds": "WTO dataset",
    "wto_headline": "WTO headline",
}
AGAINST = {"wdi": "against WDI", "wto_dds": "against WTO's dataset", "wto_headline": "against WTO's headline figures"}


def describe_gaps(g: pd.DataFrame, band: float = 2.0) -> str:
    """Gaps (%) by year in words: years within ``band`` points of the median as one range, the rest listed."""
    g = g.sort_values("year")
    med = g["gap_pct"].median()
    core = g[(g["gap_pct"] - med).abs() <= band]
    out = g[(g["gap_pct"] - med).abs() > band]
    parts = []
    if len(core) == 1:
        parts.append(f"{pct(core['gap_pct'].iloc[0], 1, sign=True)} in {int(core['year'].iloc[0])}")
    elif len(core) > 1:
        parts.append(
            f"{pct(core['gap_pct'].min(), 1, sign=True)} to {pct(core['gap_pct'].max(), 1, sign=True)} in "
            f"{year_ranges(core['year'])}"
        )
    parts += [f"{pct(x.gap_pct, 1, sign=True)} in {int(x.year)}" for x in out.itertuples()]
    return listing(parts)


def gaps_by_series(cc: pd.DataFrame) -> list[str]:
    """One sentence per series: Table 1's gap to every independent source that overlaps the window."""
    out = []
    for s in trends.SERIES:
        parts = [
            f"{AGAINST[src]} {describe_gaps(cc[(cc['series'] == s) & (cc['source'] == src)])}"
            for src in AGAINST
            if ((cc["series"] == s) & (cc["source"] == src)).any()
        ]
        out.append(f"{LABELS[s]}: " + ("; ".join(parts) if parts else "no independent figure in this window") + ".")
    return out


def largest_gap_title(cc: pd.DataFrame) -> str:
    if cc.empty:
        return "No independent figure overlaps this window"
    worst = cc.loc[cc["gap_pct"].abs().idxmax()]
    return (
        f"The largest gap: {LABELS[worst['series']].lower()} {int(worst['year'])}, Table 1 "
        f"{pct(worst['gap_pct'], 1, sign=True)} against {SOURCE_NAMES[worst['source']]}"
    )


def same_concept_title(cc: pd.DataFrame) -> str:
    """Where Table 1 sits against the dataset of each series' nearest concept, over the years both cover."""
    parts = []
    for s, src, name in (("services", "wdi", "WDI"), ("dds", "wto_dds", "WTO's dataset")):
        g = cc[(cc["series"] == s) & (cc["source"] == src)]["gap_pct"]
        if g.empty:
            continue
        lo, hi = float(g.min()), float(g.max())
        size = (
            pct(abs(hi), 1)
            if pct(abs(lo), 1) == pct(abs(hi), 1)
            else f"{pct(min(abs(lo), abs(hi)), 1)}–{pct(max(abs(lo), abs(hi)), 1)}"
        )
        what = ("Table 1's " if not parts else "its ") + LABELS[s].lower()
        where = "in every year both cover" if len(g) > 1 else f"in {int(cc.loc[g.index[0], 'year'])}"
        parts.append(
            f"{what} sit {size} {'below' if hi < 0 else 'above'} {name} {where}"
            if lo * hi > 0
            else f"{what} differ from {name} by {pct(lo, 1, sign=True)} to {pct(hi, 1, sign=True)}"
        )
    text = "; ".join(parts) if parts else "No dataset of the same concept overlaps this window"
    return text[0].upper() + text[1:]


def short_report(name: str) -> str:
    """'WTO Global Trade Outlook and Statistics (April 2024)' -> 'GTOS, April 2024'."""
    m = re.match(r"WTO Global Trade Outlook and Statistics(?: - Update: (\w+ \d{4}))?(?: \(([^)]+)\))?", name)
    if m:
        return "GTOS, " + (m.group(2) or m.group(1) or "")
    return name.replace("WTO ", "")


def clean_note(note: str) -> str:
    """A curation note of wto_headlines without its bookkeeping part (shared sentences)."""
    parts = [x.strip() for x in str(note or "").split(";")]
    return "; ".join(x for x in parts if x and not x.startswith("sentence shared"))


def headline_growth_summary(gh: pd.DataFrame) -> str:
    if gh.empty:
        return "No WTO headline growth rate matches a year of Table 1."
    agree, dis = gh[gh["agrees"]], gh[~gh["agrees"]]
    text = (
        "Table 1's stated growth agrees with WTO's headline rate (within the headline's rounding) for "
        + listing([f"{LABELS[x.series].lower()} {x.year}" for x in agree.itertuples()])
        + "."
        if not agree.empty
        else "No stated rate agrees with WTO's headline rates."
    )
    if not dis.empty:
        text += (
            " It does not for "
            + listing(
                [
                    f"{LABELS[x.series].lower()} {x.year} (stated {pct(x.growth_stated, 1, sign=True)}, WTO "
                    f"{pct(x.growth_pct, 1, sign=True)}{'; ' + clean_note(x.note) if clean_note(x.note) else ''})"
                    for x in dis.itertuples()
                ]
            )
            + "."
        )
    return text


def crosscheck(page, r, cc: pd.DataFrame, rec: pd.DataFrame) -> None:
    """``cc``: trends.crosscheck over the window."""
    t1 = trends.levels_bn(r.table1).loc[r.start : r.end]
    t1_long = t1.reset_index().melt(id_vars="year", var_name="series", value_name="value_bn").assign(source="table1")
    both = pd.concat([t1_long, trends.independent_world(r.window)], ignore_index=True)
    data = pd.DataFrame(
        {
            "series": both["series"].map(LABELS),
            "year": both["year"].astype(int),
            "source": both["source"].map(SOURCE_NAMES),
            "value": to_unit(both["value_bn"], r.unit).round(1),
        }
    )
    title = same_concept_title(cc)
    page.figure(
        charts.crosscheck_panels(data, unit_label(r.unit), list(SOURCE_NAMES.values()), SOURCE_NAMES["wto_headline"]),
        name="crosscheck",
        title=title,
        subtitle=unit_label(r.unit) + ", current prices (nominal)",
        source=f"{SOURCE_T1}; {SOURCE_WDI}; {SOURCE_WTO_DDS}; {SOURCE_HEAD}",
        data=data,
        alt=(
            "Three small line charts, one per series, comparing Table 1's levels with WDI (goods, services), the "
            "WTO dataset (digitally delivered services) and WTO headline figures (points). " + title + "."
        ),
    )
    page.glue_sentences({"gaps_list": gaps_by_series(cc)})
    gap = pd.DataFrame(
        {
            "series": cc["series"].map(LABELS),
            "year": cc["year"].astype(int),
            "gap_pct": cc["gap_pct"].round(2),
            "comparison": cc["series"].map(LABELS) + " vs " + cc["source"].map(SOURCE_NAMES),
            "kind": np.where(cc["source"] == "wto_headline", "WTO headline", "Dataset (World Bank or WTO)"),
        }
    )
    title = largest_gap_title(cc)
    page.figure(
        charts.gap_lines(gap, ["Dataset (World Bank or WTO)", "WTO headline"]),
        name="gap",
        title=title,
        subtitle="Table 1 minus the other source, in % of the other source; solid: datasets; dashed: WTO headlines",
        source=f"{SOURCE_T1}; {SOURCE_WDI}; {SOURCE_WTO_DDS}; {SOURCE_HEAD}",
        data=gap,
        alt="Line chart of the gap in percent between Table 1 and each independent source, by year. " + title + ".",
    )
    pos = trends.services_position()
    between = pos[pos["between"]]["year"].tolist()
    page.glue(
        "services_between",
        f"lies between the two in {listing([str(y) for y in between])}, the years in which both exist"
        if between and len(between) == len(pos)
        else "does not consistently lie between the two"
        if len(pos)
        else "cannot be placed: no year has both",
    )
    rv = trends.dds_revisions()
    page.glue(
        "dds_revisions",
        listing(
            [
                f"{pct(x.revision_pct, 1, sign=True)} for {x.year} (against the headline of {short_report(x.report)})"
                for x in rv.itertuples()
            ]
        )
        if not rv.empty
        else "an amount data/ cannot measure",
    )
    gh = trends.growth_vs_headlines(rec)  # the whole table, like the claims: a handful of years have a headline
    page.glue("head_growth_summary", headline_growth_summary(gh))
    tab = pd.DataFrame(
        {
            "Series": gh["series"].map(LABELS),
            "Year": gh["year"],
            "Table 1, stated (%)": gh["growth_stated"],
            "Table 1, from levels (%)": gh["growth_recomputed"],
            "WTO headline (%)": gh["growth_pct"],
            "WTO report": gh["report"].map(short_report),
            "Stated rate within the headline's rounding": gh["agrees"].map({True: "yes", False: "no"}),
        }
    )
    page.table(
        tab,
        name="headline-growth",
        caption="Table 1's growth rates against WTO's headline growth rates, every year with both",
        source=f"{SOURCE_T1}; {SOURCE_HEAD}",
        formats={"Table 1, stated (%)": "+.1f", "Table 1, from levels (%)": "+.2f", "WTO headline (%)": "+.1f"},
    )
    ids = checks.level_claim_ids(r.table1)
    counts = claims.check_many(ids)["status"].value_counts()
    page.glue(
        "level_claims_counts",
        f"{len(ids)} claims: " + listing([f"{int(counts[s])} {s}" for s in claims.CLAIM_STATUSES if s in counts]),
    )


def level_claims(page, r) -> None:
    claims.show(
        page,
        checks.level_claim_ids(r.table1),
        name="claims-levels",
        collapsed=True,
        caption="Table 1's levels against independent figures of the same concept",
    )
