"""Sections of the Global trends chapter: what each puts on the page (sentences, figures, tables).

The notebook computes with :mod:`helpers.analysis.trends` and :mod:`helpers.analysis.leaders` in its
own cells and hands the results to one function per section here. Every sentence whose truth depends on
the data or the parameters is chosen here from computed facts (degenerate windows get their own wording);
the claim verdicts come from :mod:`helpers.claims.checks.global_trends`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.analysis import trends
from helpers.book.chapters import global_trends_charts as charts
from helpers.book.chapters.global_trends_crosscheck import crosscheck, level_claims  # noqa: F401  (page sections)
from helpers.book.chapters.global_trends_growth import cagr, findings, headline, real, windows  # noqa: F401
from helpers.book.chapters.global_trends_labels import (
    LABELS,
    SOURCE_HEAD,
    SOURCE_T1,
    SOURCE_WDI,
    SOURCE_WTO_DDS,
    VERSION_LABELS,
    VERSION_PHRASES,
    cells,
    change,
    to_unit,
    unit_label,
)
from helpers.book.chapters.global_trends_leaders import ict, quoted, unctad  # noqa: F401  (page sections)
from helpers.claims import core as claims
from helpers.claims.checks import global_trends as checks
from helpers.text import listing, num, pct, year_ranges, year_span


@dataclass(frozen=True)
class GlobalTrends:
    """The chapter's inputs: validated parameters and the tables every section starts from."""

    start: int
    end: int
    base_year: int
    unit: str
    top_n: int
    history: tuple[int, int]
    table1: pd.DataFrame  # Table 1, long (trends.table1)
    independent: pd.DataFrame  # WDI goods and services, WTO DDS: wide, US$ bn
    prices: pd.DataFrame  # US$ price indices: wide (year x index)
    wto_goods: pd.DataFrame  # WTO merchandise volume and value growth by year

    @property
    def window(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def win(self) -> str:
        return year_span(self.start, self.end)


def prepare(params: Mapping) -> GlobalTrends:
    """Load what every section needs (parameters are validated by ``Page`` before this runs)."""
    return GlobalTrends(
        start=params["start_year"],
        end=params["end_year"],
        base_year=params["base_year"],
        unit=params["unit"],
        top_n=params["top_n"],
        history=(params["history_start"], params["end_year"]),
        table1=trends.table1(),
        independent=trends.independent_levels(),
        prices=trends.price_indices(),
        wto_goods=trends.wto_merchandise_growth(),
    )


def orientation(page, r: GlobalTrends) -> None:
    page.glue("win", r.win)
    page.glue("unit_label", unit_label(r.unit))
    page.glue("hist_win", year_span(*r.history))


# --------------------------------------------------------------------------- Table 1 and its three versions


def describe_inconsistencies(rec: pd.DataFrame) -> str:
    """Plain sentence naming every cell whose stated rate disagrees with the levels."""
    bad = trends.inconsistent_cells(rec)
    if bad.empty:
        return "none: every stated growth rate agrees with the levels to within rounding"
    parts = [
        f"{LABELS[b.series].lower()} {b.year} (stated {pct(b.growth_stated, 1, sign=True)}, the levels imply "
        f"{pct(b.growth_recomputed, 1, sign=True)})"
        for b in bad.itertuples()
    ]
    return f"{'one cell' if len(parts) == 1 else f'{len(parts)} cells'}: " + listing(parts)


def table1(page, r: GlobalTrends, rec: pd.DataFrame) -> None:
    bad = trends.inconsistent_cells(rec)
    outside = bad[~bad["year"].between(r.start, r.end)]
    page.glue("t1_bad_all", describe_inconsistencies(rec))
    page.glue(
        "t1_window_note",
        "There is therefore nothing to flag in the window either."
        if bad.empty
        else "All of them fall inside the window shown."
        if outside.empty
        else f"Of these, {'one falls' if len(outside) == 1 else f'{len(outside)} fall'} outside the window shown "
        f"({r.win}) and {'is' if len(outside) == 1 else 'are'} listed in the claims table below.",
    )
    w = rec[rec["year"].between(r.start, r.end)]
    factor = 1.0 if r.unit == "usd_100m" else 1 / trends.SEED_UNIT_PER_BN
    level_col = f"Exports ({unit_label(r.unit)})"
    disp = pd.DataFrame(
        {
            "Series": w["series"].map(LABELS).to_numpy(),
            "Year": w["year"].to_numpy(),
            level_col: (w["level_100m"] * factor).to_numpy(),
            "Growth stated (%)": w["growth_stated"].to_numpy(),
            "Growth from the levels (%)": w["growth_recomputed"].to_numpy(),
            "Check": [_flag(a) for a in w["agrees"]],
        }
    )
    csv = pd.DataFrame(
        {
            "series": w["series"].to_numpy(),
            "year": w["year"].to_numpy(),
            f"level_{r.unit}": disp[level_col].to_numpy(),
            "growth_stated_pct": w["growth_stated"].to_numpy(),
            "growth_recomputed_pct": w["growth_recomputed"].round(4).to_numpy(),
            "agrees": w["agrees"].to_numpy(),
        }
    )
    page.table(
        disp,
        name="table1",
        caption=f"Table 1 of the study, {r.win}: exports ({unit_label(r.unit)}), the growth "
        "rates it states, and the growth recomputed from its own levels",
        source=SOURCE_T1,
        html_columns=["Check"],
        csv=csv,
        formats={
            level_col: ",.0f" if r.unit == "usd_100m" else ",.1f",
            "Growth stated (%)": "+.1f",
            "Growth from the levels (%)": "+.2f",
        },
        note="Growth from the levels = level ÷ previous year's level − 1, from the table itself; it differs "
        "when the gap exceeds the rounding of the stated rate (0.05 points).",
    )
    ids = checks.growth_claim_ids(r.table1) + ["S000-006"]
    page.glue("growth_claims_counts", f"{len(ids)} claims: " + verdict_counts(ids))
    claims.show(
        page,
        ids,
        name="claims-growth",
        collapsed=True,
        caption="Table 1's growth rates (and the text's 2020 figure) against the growth its levels imply",
    )


def _flag(agrees) -> str:
    """Verdict marker for a table cell: symbol, word and colour (never colour alone)."""
    if agrees is None or pd.isna(agrees):
        return '<span class="verdict verdict-neutral">no earlier level</span>'
    return (
        '<span class="verdict verdict-good">✓ agrees</span>'
        if bool(agrees)
        else '<span class="verdict verdict-bad">✗ differs</span>'
    )


def verdict_counts(ids) -> str:
    """'12 consistent, 3 inconsistent and 7 not checkable' for a list of claims."""
    counts = claims.check_many(list(ids))["status"].value_counts()
    return listing([f"{int(counts[s])} {s}" for s in claims.CLAIM_STATUSES if s in counts])


def evidence_story(evidence: pd.DataFrame) -> str:
    """For each contradiction: which figure an independent series of that year sides with."""
    if evidence.empty:
        return "Table 1 is internally consistent: there is no contradiction to resolve."
    source = {
        "goods": "WDI goods exports",
        "services": "WDI services exports",
        "dds": "WTO's dataset of digitally delivered services",
    }
    parts = []
    for e in evidence.itertuples():
        cell = f"{LABELS[e.series].lower()} {e.year}"
        if pd.isna(e.sides_with):
            continue
        wrong = (
            "the level, not the rate, is out of line"
            if e.sides_with == "rate"
            else "the stated rate, not the level, is out of line"
        )
        closer = "close to the stated rate" if e.sides_with == "rate" else "closer to the growth the levels imply"
        parts.append(
            f"for {cell}, {source[e.series]} grew {pct(e.independent_growth, 1, sign=True)}, {closer} "
            f"({pct(e.growth_stated, 1, sign=True)} stated, {pct(e.growth_recomputed, 1, sign=True)} from "
            f"the levels): {wrong}"
        )
    untested = evidence[evidence["sides_with"].isna()]
    if not untested.empty:
        parts.append(
            f"for {cells(untested)}, data/ has no independent value of that year, so nothing tells which "
            "figure is wrong"
        )
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def decisive_reason(evidence: pd.DataFrame, decisive: str) -> str:
    tested = evidence.dropna(subset=["sides_with"])
    if evidence.empty:
        return "Table 1 has no contradiction, so its stated and rate-implied versions are the same"
    if decisive == "rate_implied":
        return (
            "the independent series side with the stated rate in every contradiction they can test ("
            + cells(tested)
            + ")"
            if not tested.empty
            else "no contradiction can be tested against an independent series, so the stated rates are followed"
        )
    if decisive == "stated":
        return (
            "the independent series side with the stated level in every contradiction they can test ("
            + cells(tested)
            + ")"
        )
    return (
        "the independent series side with the rate in some contradictions and with the level in others, so "
        "Table 1 cannot be repaired from itself"
    )


def versions(page, r: GlobalTrends, vs: dict[str, pd.DataFrame], evidence: pd.DataFrame, decisive: str) -> None:
    page.glue("t1_story", evidence_story(evidence))
    page.glue("decisive_label", VERSION_PHRASES[decisive])
    page.glue("decisive_reason", decisive_reason(evidence, decisive))
    ind_all = vs["independent"]
    page.glue("ind_cover", year_span(int(ind_all.index.min()), int(ind_all.index.max())))
    long = trends.versions_long(vs, r.window)
    wide = long.pivot_table(index=["series", "year"], columns="version", values="value_bn").reset_index()
    for v in trends.VERSIONS:
        if v not in wide.columns:
            wide[v] = np.nan
    changed = wide[(wide["stated"] - wide["rate_implied"]).abs() > 1e-9]
    if changed.empty:
        page.glue(
            "versions_window",
            f"No level of {r.win} is replaced: over this window the stated and rate-implied "
            "versions coincide, and only the independent series can change a verdict.",
        )
    else:
        worst = changed.loc[(changed["stated"] / changed["rate_implied"] - 1).abs().idxmax()]
        head = trends.headline_levels()
        hv = head[(head["series"] == worst["series"]) & (head["year"] == worst["year"])]["value_bn"]
        others = (
            [f"{num(to_unit(worst['independent'], r.unit), 1)} in the independent series"]
            if not pd.isna(worst["independent"])
            else []
        )
        others += [f"{num(to_unit(hv.iloc[0], r.unit), 1)} in WTO's headline"] if not hv.empty else []
        page.glue(
            "versions_window",
            f"In {r.win} the rate-implied version replaces {cells(changed)}. The largest "
            f"change is {LABELS[worst['series']].lower()} in {int(worst['year'])}: "
            f"{num(to_unit(worst['rate_implied'], r.unit), 1)} instead of "
            f"{num(to_unit(worst['stated'], r.unit), 1)}"
            + (f", against {listing(others)}" if others else "")
            + f" ({unit_label(r.unit)}).",
        )
    covered = trends.covered_window(ind_all, r.start, r.end)
    page.glue(
        "ind_window",
        f"over this window they cover {year_span(*covered)}"
        if covered
        else "they cover fewer than two years of this window",
    )
    order = {s: i for i, s in enumerate(trends.SERIES)}
    wide = wide.sort_values(["series", "year"], key=lambda c: c.map(order) if c.name == "series" else c)
    tab = pd.DataFrame(
        {
            "Series": wide["series"].map(LABELS),
            "Year": wide["year"].astype(int),
            **{VERSION_LABELS[v]: to_unit(wide[v], r.unit) for v in trends.VERSIONS},
        }
    )
    page.table(
        tab,
        name="versions",
        caption=f"Three versions of the levels, {r.win} ({unit_label(r.unit)}, current prices)",
        source=f"{SOURCE_T1}; {SOURCE_WDI}; {SOURCE_WTO_DDS}",
        formats={VERSION_LABELS[v]: ",.1f" for v in trends.VERSIONS},
        note="Rate-implied: from the first year whose level contradicts its own stated rate on, each level is "
        "the previous year's level × (1 + stated rate). Independent: WDI goods and services exports "
        "(balance of payments), WTO's digitally delivered services.",
    )


# --------------------------------------------------------------------------- indices and shares


def describe_period(rec_growth: pd.DataFrame, r: GlobalTrends, version: str) -> str:
    """The study's description of the period (goods volatile, DDS up every year) against one version's growth."""
    g = rec_growth.loc[r.start + 1 : r.end]
    if len(g) < 2:
        return (
            f"With a single growth year per series in this window ({r.end}), the study's description of the "
            "period — volatile goods exports, digitally delivered services growing every year — cannot be tested."
        )
    falls = [int(y) for y in g.index[g["goods"] < 0]]
    dds_falls = [int(y) for y in g.index[g["dds"] < 0]]
    holds = bool(falls) and not dds_falls
    weakest = g["dds"].idxmin()
    dds = (
        f"never fell (their weakest year was {pct(g.loc[weakest, 'dds'], 1, sign=True)} in {int(weakest)})"
        if not dds_falls
        else f"fell in {year_ranges(dds_falls)}"
    )
    return (
        f"The study's description of the period — volatile goods exports, digitally delivered services growing "
        f"every year — {'holds' if holds else 'does not fully hold'} with {VERSION_PHRASES[version]}: goods exports "
        f"fell in {year_ranges(falls) if falls else 'no year of the window'}, while digitally delivered services "
        f"{dds}."
    )


def index(page, r: GlobalTrends, idx: pd.DataFrame, vs: dict[str, pd.DataFrame], decisive: str) -> None:
    """``idx``: trends.index_versions (version, series, year, index)."""
    table = "stated" if decisive == "stated" else "rate_implied"  # the study describes its own table
    page.glue("index_description", describe_period(trends.annual_growth(vs[table]), r, table))
    stated = idx[idx["version"] == "stated"].pivot(index="year", columns="series", values="index")
    implied = idx[idx["version"] == "rate_implied"].pivot(index="year", columns="series", values="index")
    differs = [s for s in trends.SERIES if (stated[s] - implied[s]).abs().max() > 1e-9]
    shown = idx[(idx["version"] != "rate_implied") | idx["series"].isin(differs)]
    far = r.end if r.base_year < r.end else r.start
    if differs:
        page.glue(
            "index_rate_implied",
            "Dotted lines: the rate-implied levels, where they differ from the stated ones; "
            + listing(
                [
                    f"{LABELS[s].lower()} then stand at {num(implied.loc[far, s], 0)} in {far} instead of "
                    f"{num(stated.loc[far, s], 0)}"
                    for s in differs
                ]
            )
            + ".",
        )
    else:
        page.glue("index_rate_implied", "No level of this window is replaced by the rate-implied version.")
    ind = idx[idx["version"] == "independent"].pivot(index="year", columns="series", values="index")
    if ind.empty:
        page.glue(
            "index_independent",
            f"The independent series cannot be indexed here: they have no value for the base year {r.base_year}.",
        )
    else:
        y = int(ind.index.max())
        page.glue(
            "index_independent",
            f"The dashed lines repeat the exercise with the independent series (WDI for goods "
            f"and services, WTO's dataset for digitally delivered services): in {y}"
            + (", their last year in data/," if y < r.end and far == r.end else "")
            + f" they stand at {num(ind.loc[y, 'goods'], 0)} for goods, {num(ind.loc[y, 'services'], 0)} for "
            f"services and {num(ind.loc[y, 'dds'], 0)} for digitally delivered services.",
        )
    when = f"By {far}" if far == r.end else f"In {far}"
    title = (
        f"{when}, Table 1's digitally delivered services stood at {num(stated.loc[far, 'dds'], 0)} "
        f"({r.base_year} = 100), goods at {num(stated.loc[far, 'goods'], 0)} and services at "
        f"{num(stated.loc[far, 'services'], 0)}"
    )
    names = {
        "stated": "Table 1 as stated",
        "independent": "Independent (World Bank; WTO)",
        "rate_implied": "Table 1, rate-implied",
    }
    data = shown.assign(
        source=shown["version"].map(names), series=shown["series"].map(LABELS), index=shown["index"].round(2)
    )
    sources = [names[v] for v in ("stated", "independent", "rate_implied") if names[v] in set(data["source"])]
    page.figure(
        charts.index_lines(data, r.base_year, sources),
        name="index",
        title=title,
        subtitle=f"Index, {r.base_year} = 100, of exports in current US$ (nominal: price changes included)",
        source=f"{SOURCE_T1}; {SOURCE_WDI}; {SOURCE_WTO_DDS}",
        alt=(
            f"Line chart of the three series indexed to {r.base_year} = 100 over {r.win}: solid lines Table 1 "
            f"as stated, dashed the independent series, dotted Table 1 with rate-implied levels. {title}."
        ),
        data=data[["source", "series", "year", "index"]],
    )


def share(page, r: GlobalTrends, shares: dict[str, pd.Series]) -> None:
    """``shares``: DDS as % of services exports, by version (trends.dds_share over the window)."""
    st, ri, ind = shares["stated"].dropna(), shares["rate_implied"].dropna(), shares["independent"].dropna()
    page.glue("share_t1", f"{change(st.iloc[0], st.iloc[-1], lambda x: pct(x, 1))} ({r.win})")
    page.glue(
        "share_ind",
        f"{change(ind.iloc[0], ind.iloc[-1], lambda x: pct(x, 1))} ({year_span(int(ind.index[0]), int(ind.index[-1]))})"
        if len(ind) >= 2
        else f"was {pct(ind.iloc[0], 1)} in {int(ind.index[0])}, the only year of the window they cover"
        if len(ind) == 1
        else "cannot be computed in this window (no year with both series)",
    )
    hs = trends.headline_dds_share()
    head = [(int(y), float(v)) for y, v in hs.loc[r.start : r.end].items()]
    page.glue(
        "share_head",
        "WTO's own headline for this share, as quoted in data/, is "
        + listing([f"{pct(v, 0)} in {y}" for y, v in head])
        + "."
        if head
        else "No headline share of WTO's in data/ falls in this window.",
    )
    diff = (st - ri).abs()
    if diff.max() > 1e-9:
        y = int(diff.idxmax())
        page.glue(
            "share_caveat",
            f"With the services level its stated rate implies, Table 1's share in {y} would be "
            f"{pct(ri[y], 1)} instead of {pct(st[y], 1)}.",
        )
    else:
        page.glue("share_caveat", "No services level of this window is replaced by the rate-implied version.")
    df = pd.concat(
        [
            pd.DataFrame(
                {"year": st.index, "source": "Table 1 (digitally delivered ÷ services)", "share_pct": st.values}
            ),
            pd.DataFrame(
                {
                    "year": ind.index,
                    "source": "WTO digitally delivered ÷ World Bank all services",
                    "share_pct": ind.values,
                }
            ),
            pd.DataFrame(
                {"year": [y for y, _ in head], "source": "WTO headline (as quoted)", "share_pct": [v for _, v in head]}
            ),
        ],
        ignore_index=True,
    )
    df = df.assign(year=df["year"].astype(int), share_pct=df["share_pct"].round(2))
    title = (
        f"Digitally delivered services' share of services exports {change(st.iloc[0], st.iloc[-1], lambda x: pct(x, 0))}"
        f" in Table 1 ({r.win})"
    )
    page.figure(
        charts.share_lines(df, ["WTO headline (as quoted)"]),
        name="dds-share",
        title=title,
        subtitle="% of services exports (a ratio of two current-US$ values)",
        source=f"{SOURCE_T1}; {SOURCE_WTO_DDS}; {SOURCE_WDI}; {SOURCE_HEAD}",
        data=df,
        alt=(
            f"Line chart of digitally delivered services exports as a percentage of services exports, {r.win}: "
            f"Table 1 from {pct(st.iloc[0], 1)} to {pct(st.iloc[-1], 1)}; the independent ratio (WTO ÷ WDI) "
            "alongside" + (f" and WTO's headline of {listing([pct(v, 0) for _, v in head])}" if head else "")
        ),
    )
    s003 = claims.check("S003-019")
    page.glue("world_share_s003", pct(s003.computed, 1) if s003.computed is not None else "n/a")
    claims.show(
        page,
        list(checks.SHARE_CLAIMS),
        name="claims-share",
        caption="A seed's world average share of digital service trade in services trade",
    )
