"""Growth sections of the Global trends chapter: compound growth in three versions of the data, every
sub-window, nominal against real growth, and the chapter's key findings and headline.

Every sentence is chosen from the computed frames it is given (``trends.cagr_versions``,
``trends.window_versions``, ``trends.real_cagrs``, ``trends.goods_volume_check``); windows too short for
a statement get their own wording.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.analysis import trends
from helpers.book.chapters import global_trends_charts as charts
from helpers.book.chapters.global_trends_labels import (
    LABELS,
    SOURCE_PRICES,
    SOURCE_T1,
    SOURCE_WDI,
    SOURCE_WTO_DDS,
    VERSION_LABELS,
    VERSION_PHRASES,
)
from helpers.claims import core as claims
from helpers.text import listing, num, pct, year_ranges, year_span

ORDER = ("dds", "goods", "services")  # how the prose lists the three series


def _rows(df: pd.DataFrame, version: str) -> pd.DataFrame:
    return df[df["version"] == version].set_index("series")


def _computable(cagrs: pd.DataFrame) -> list[str]:
    return [v for v in trends.VERSIONS if _rows(cagrs, v)["cagr_pct"].notna().all()]


def _span(rows: pd.DataFrame) -> str:
    return year_span(int(rows["start"].iloc[0]), int(rows["end"].iloc[0]))


def _leads(rows: pd.DataFrame, col: str = "cagr_pct") -> bool:
    return trends.outpaces(rows[col])


def outcome(rows: pd.DataFrame) -> str:
    """'grew faster than both', or which series it grew slower than and which it only equalled."""
    if _leads(rows):
        return "grew faster than both"
    c = rows["cagr_pct"]
    slower = [o for o in ("goods", "services") if c[o] > c["dds"] + trends.TIE_PP]
    tied = trends.ties(c)
    return "grew " + " and ".join(
        ([f"slower than {listing(slower)}"] if slower else [])
        + ([f"no faster than {listing(tied)} (equal to the first decimal)"] if tied else [])
    )


def _three(rows: pd.DataFrame, col: str) -> str:
    return (
        f"{pct(rows.loc['dds', col], 1)} for digitally delivered services, {pct(rows.loc['goods', col], 1)} for "
        f"goods and {pct(rows.loc['services', col], 1)} for services"
    )


# --------------------------------------------------------------------------- compound growth


def verdict(cagrs: pd.DataFrame, decisive: str) -> str:
    """'supported' / 'not supported' on the decisive version; 'inconclusive' if it covers under two years."""
    if decisive not in _computable(cagrs):
        return "inconclusive"
    return "supported" if _leads(_rows(cagrs, decisive)) else "not supported"


def agreement(cagrs: pd.DataFrame) -> str:
    """Do the versions that can be computed agree on 'DDS grew fastest'?"""
    ok = _computable(cagrs)
    missing = [v for v in trends.VERSIONS if v not in ok]
    lead = {v: _leads(_rows(cagrs, v)) for v in ok}
    note = (
        (
            f" ({listing([VERSION_PHRASES[v] for v in missing])} cover fewer than two years of this window and "
            "cannot be compared)"
        )
        if missing
        else ""
    )
    if len(ok) < 2:
        return "No other version can be compared over this window" + note + "."
    if len(set(lead.values())) == 1:
        return (
            f"The {'three' if len(ok) == 3 else 'two'} versions agree: digitally delivered services "
            f"{'grew faster than both' if next(iter(lead.values())) else 'did not grow faster than both'} in "
            f"each{note}."
        )
    yes = [VERSION_PHRASES[v] for v in ok if lead[v]]
    no = [VERSION_PHRASES[v] for v in ok if not lead[v]]
    return (
        f"The versions disagree: digitally delivered services grew faster than both with {listing(yes)}, but not "
        f"with {listing(no)}{note}."
    )


def goods_services_order(cagrs: pd.DataFrame) -> str:
    ok = _computable(cagrs)
    faster = {v: _rows(cagrs, v).loc["goods", "cagr_pct"] > _rows(cagrs, v).loc["services", "cagr_pct"] for v in ok}
    if not ok:
        return ""
    if len(set(faster.values())) == 1:
        a, b = ("goods", "services") if next(iter(faster.values())) else ("services", "goods")
        return f"In every version {a} grew faster than {b}."
    return (
        f"Goods grew faster than services with {listing([VERSION_PHRASES[v] for v in ok if faster[v]])}, but "
        f"slower with {listing([VERSION_PHRASES[v] for v in ok if not faster[v]])}: the order of the two depends "
        "on the contradictory cells of Table 1."
    )


def cagr(page, r, cagrs: pd.DataFrame, decisive: str) -> None:
    """``cagrs``: trends.cagr_versions over the window."""
    items = []
    for v in trends.VERSIONS:
        rows = _rows(cagrs, v)
        if rows["cagr_pct"].isna().any():
            items.append(f"{VERSION_LABELS[v]}: not computable — fewer than two years of this window.")
            continue
        items.append(
            f"{VERSION_LABELS[v]}, {_span(rows)}: {_three(rows, 'cagr_pct')} — digitally delivered services "
            f"{outcome(rows)}."
        )
    page.glue_sentences(
        {"cagr_list": items, "cagr_agreement": agreement(cagrs), "cagr_order": goods_services_order(cagrs)}
    )
    page.glue("verdict", verdict(cagrs, decisive))
    data = cagrs.dropna(subset=["cagr_pct"])
    data = pd.DataFrame(
        {
            "series": data["series"].map(LABELS),
            "version": data["version"].map(VERSION_LABELS),
            "cagr_pct": data["cagr_pct"].round(4),
            "label": data["cagr_pct"].map(lambda x: pct(x, 1)),
            "window": [year_span(int(a), int(b)) for a, b in zip(data["start"], data["end"])],
        }
    )
    if verdict(cagrs, decisive) == "inconclusive":
        title = f"Compound annual growth over {r.win}; {VERSION_PHRASES[decisive]} cover fewer than two years of it"
    else:
        verb = "grew faster than" if verdict(cagrs, decisive) == "supported" else "did not grow faster than both"
        title = (
            f"Over {r.win}, digitally delivered services {verb} goods and services {how_many(cagrs, decisive)}".replace(
                "(the versions disagree)", f"with {VERSION_PHRASES[decisive]}; the versions disagree"
            )
        )
    labels = [VERSION_LABELS[v] for v in trends.VERSIONS if VERSION_LABELS[v] in set(data["version"])]
    page.figure(
        charts.cagr_bars(data, labels),
        name="cagr",
        title=title,
        subtitle="Compound annual growth rate of exports in current US$ (nominal), % a year",
        source=f"{SOURCE_T1}; {SOURCE_WDI}; {SOURCE_WTO_DDS}",
        data=data,
        alt="Bar chart of compound annual growth rates by series and version of the data. " + " ".join(items),
    )
    claims.show(
        page,
        ["S000-007"],
        name="claims-dds-2025",
        caption="The text's figure for digitally delivered exports in the last year of Table 1",
    )


# --------------------------------------------------------------------------- every sub-window


def holds_in(k: int, n: int) -> str:
    if n == 1:
        return "holds in the one window" if k else "does not hold in the one window"
    return (
        f"holds in all {n} windows"
        if k == n
        else f"holds in none of the {n} windows"
        if k == 0
        else f"holds in {k} of the {n} windows"
    )


def window_summary(wr: pd.DataFrame) -> str:
    """One version's windows in words."""
    n, k = len(wr), int(wr["dds_leads"].sum())
    if n == 0:
        return "no window: the series cover fewer than two years of this window"
    if n == 1:
        a, b = int(wr["start"].iloc[0]), int(wr["end"].iloc[0])
        return f"one pair of years only, {a}–{b}: digitally delivered services " + (
            "grew faster than both" if k else "did not grow faster than both"
        )
    text = f"faster than both in {k} of the {n} windows ({pct(100 * k / n, 0)})"
    by_start = wr.groupby("start")["dds_leads"].agg(["sum", "count"])
    always = [int(s) for s, x in by_start.iterrows() if x["sum"] == x["count"]]
    never = [int(s) for s, x in by_start.iterrows() if x["sum"] == 0]
    if 0 < k < n and always:
        text += f"; in every window starting in {year_ranges(always)}"
    if 0 < k < n and never:
        text += f"; in no window starting in {year_ranges(never)}"
    return text


def robustness_reading(wr: pd.DataFrame, goods_growth: pd.Series) -> str:
    """What the verdict on one version depends on: the first year, and the year goods grew least."""
    n, k = len(wr), int(wr["dds_leads"].sum())
    if n == 0:
        return "No pair of years can be compared."
    if n == 1:
        return "With two years there is a single pair, so the choice of years cannot be varied."
    if k == n:
        return "The verdict does not depend on the choice of years within this window."
    if k == 0:
        return "Within this window, digitally delivered services never grew faster than both."
    first = int(wr["start"].min())
    g = goods_growth.loc[first : int(wr["start"].max())].dropna()
    trough = int(g.idxmin()) if not g.empty else None
    low = (
        ""
        if trough is None
        else f"the year goods exports {'fell most' if g[trough] < 0 else 'grew least'} ({pct(g[trough], 1, sign=True)})"
    )
    firsts = wr[wr["start"] == first]
    text = (
        f"Measured from the first year, {first}"
        + (f" — {low} —" if trough == first else "")
        + f", the claim {holds_in(int(firsts['dds_leads'].sum()), len(firsts))}"
    )
    if trough is not None and trough != first:
        after = wr[wr["start"] == trough]
        text += f"; measured from {trough}, {low}, it {holds_in(int(after['dds_leads'].sum()), len(after))}"
    return text + ". The verdict depends on where the comparison starts."


def windows(page, r, wins: pd.DataFrame, vs: dict[str, pd.DataFrame], decisive: str) -> None:
    """``wins``: trends.window_versions over the window."""
    page.glue_sentences(
        {
            "windows_list": [
                f"{VERSION_LABELS[v]}: {window_summary(wins[wins['version'] == v])}." for v in trends.VERSIONS
            ]
        }
    )
    wr = wins[wins["version"] == decisive]
    page.glue("windows_reading", robustness_reading(wr, trends.annual_growth(vs[decisive])["goods"]))
    hm = wins.assign(
        version=wins["version"].map(VERSION_LABELS),
        window=wins["start"].astype(int).astype(str) + "–" + wins["end"].astype(int).astype(str),
        outcome=np.where(wins["dds_leads"], "faster than both", "not faster than both"),
        mark=np.where(wins["dds_leads"], "yes", "no"),
    )
    hm = hm.round({"cagr_goods": 4, "cagr_services": 4, "cagr_dds": 4})
    n, k = len(wr), int(wr["dds_leads"].sum())
    title = (
        f"With {VERSION_PHRASES[decisive]}, digitally delivered services outgrew both goods and services in "
        + (f"{k} of {n} windows" if n > 1 else "the one pair of years" if k else "no pair of years")
        + f" within {r.win}"
    )
    versions = [VERSION_LABELS[v] for v in trends.VERSIONS if VERSION_LABELS[v] in set(hm["version"])]
    page.figure(
        charts.window_grid(hm, versions),
        name="robustness",
        title=title,
        subtitle="Every start–end pair of years in the window, per version of the data; yes = faster than both",
        source=f"{SOURCE_T1}; {SOURCE_WDI}; {SOURCE_WTO_DDS}",
        alt=(
            "Grids of start year by end year, one per version of the data; each cell says whether digitally "
            "delivered services had a higher compound growth rate than both goods and services. "
            + " ".join(f"{VERSION_LABELS[v]}: {window_summary(wins[wins['version'] == v])}." for v in trends.VERSIONS)
        ),
        data=hm[["version", "start", "end", "cagr_goods", "cagr_services", "cagr_dds", "dds_leads"]],
    )


# --------------------------------------------------------------------------- nominal and real


def real(page, r, rc: pd.DataFrame, goods: pd.DataFrame, decisive: str) -> None:
    """``rc``: trends.real_cagrs; ``goods``: trends.goods_volume_check for the decisive version."""
    d = _rows(rc, decisive)
    if d["us_cpi_u_real_pct"].isna().any():
        page.glue("real_decisive", f"Real growth cannot be computed with {VERSION_PHRASES[decisive]} over this window.")
    else:
        page.glue(
            "real_decisive",
            f"Over {_span(d)}, US consumer prices rose {pct(d['us_cpi_u_inflation_pct'].iloc[0], 1)}"
            f" a year. Deflated by them, {VERSION_PHRASES[decisive]} give real growth of {_three(d, 'us_cpi_u_real_pct')}"
            f", against nominal {_three(d, 'nominal_pct')}.",
        )
    same = []
    for v in _computable(rc.rename(columns={"nominal_pct": "cagr_pct"})):
        x = _rows(rc, v)
        for idx in trends.PRICE_INDICES:
            if x[f"{idx}_real_pct"].notna().all():
                same.append(
                    list(x[f"{idx}_real_pct"].sort_values().index) == list(x["nominal_pct"].sort_values().index)
                )
    page.glue(
        "real_ranking",
        "In every version and with either index, the order of the three series is the same in real as in nominal terms."
        if all(same)
        else "The order of the three series differs between nominal and real terms in some version — which one "
        "deflator cannot do; see the table.",
    )
    gdp = rc.dropna(subset=["us_gdp_deflator_real_pct"])
    last = int(r.prices["us_gdp_deflator"].dropna().index.max())
    if gdp.empty:
        page.glue("deflator_note", f"The US GDP deflator ends in {last}, so it gives no real rate over this window.")
    else:
        v = decisive if (gdp["version"] == decisive).any() else gdp["version"].iloc[0]
        x = _rows(gdp, v)
        page.glue(
            "deflator_note",
            f"With the US GDP deflator (prices of all US output; it ends in {last}) instead, "
            f"{VERSION_PHRASES[v]} give {_three(x, 'us_gdp_deflator_real_pct')} over {_span(x)}: the level of "
            "real growth depends on the index, its order does not.",
        )
    page.glue("volume_check", volume_sentence(goods, r, decisive))
    tab = rc.dropna(subset=["nominal_pct"])
    tab = pd.DataFrame(
        {
            "Data": tab["version"].map(VERSION_LABELS),
            "Series": tab["series"].map(LABELS),
            "Window": [year_span(int(a), int(b)) for a, b in zip(tab["start"], tab["end"])],
            "Nominal (%)": tab["nominal_pct"],
            "US consumer prices (%)": tab["us_cpi_u_inflation_pct"],
            "Real, deflated by US CPI-U (%)": tab["us_cpi_u_real_pct"],
            "Real, deflated by the US GDP deflator (%)": tab["us_gdp_deflator_real_pct"],
        }
    )
    page.table(
        tab,
        name="real-cagr",
        caption=f"Compound annual growth, nominal and real, {r.win}",
        source=f"{SOURCE_T1}; {SOURCE_WDI}; {SOURCE_WTO_DDS}; {SOURCE_PRICES}",
        formats={c: ".1f" for c in tab.columns[3:]},
        note="Real = (1 + nominal) ÷ (1 + the index's own growth) − 1: every series deflated by the same US "
        "index; – where the index does not cover the window.",
    )


def volume_sentence(goods: pd.DataFrame, r, decisive: str) -> str:
    """WTO's merchandise volume growth against goods growth deflated by US consumer prices."""
    have = r.wto_goods.index
    g = goods[goods["year"].between(r.start + 1, r.end)]
    if g.empty:
        return (
            f"WTO's measured merchandise volume growth in data/ covers {year_ranges(have)}, outside the growth "
            "years of this window: no goods-specific check is possible here."
        )
    years = [int(y) for y in g["year"]]
    gap = float((g["wto_volume_pct"] - g["real_by_index_pct"]).mean())
    text = (
        f"For {listing([str(y) for y in years])}, WTO measured world merchandise volume growth of "
        f"{listing([pct(v, 1, sign=True) for v in g['wto_volume_pct']])}; goods growth with "
        f"{VERSION_PHRASES[decisive]}, deflated by US consumer prices, gives "
        f"{listing([pct(v, 1, sign=True) for v in g['real_by_index_pct']])}."
    )
    prices = g.dropna(subset=["wto_price_pct"])
    if not prices.empty:
        text += (
            f" WTO's own value and volume figures imply that merchandise prices changed by "
            f"{listing([f'{pct(p, 1, sign=True)} ({int(y)})' for y, p in zip(prices['year'], prices['wto_price_pct'])])}"
            f", while US consumer prices rose {listing([pct(p, 1, sign=True) for p in prices['inflation_pct']])}."
        )
    direction = "understates" if gap > 0 else "overstates"
    text += (
        f" {'In these years' if len(years) > 1 else 'That year'} the common deflator {direction} real goods "
        f"growth by {num(abs(gap), 1)} percentage points{' a year on average' if len(years) > 1 else ''}. The "
        "check covers goods only: data/ has no volume or price figure for services "
        "or digitally delivered services."
    )
    return text


# --------------------------------------------------------------------------- key findings and headline


def findings(
    r, rec: pd.DataFrame, cagrs: pd.DataFrame, wins: pd.DataFrame, rc: pd.DataFrame, con: pd.DataFrame, decisive: str
) -> list:
    bad = trends.inconsistent_cells(rec)
    out = []
    if bad.empty:
        out.append(("Every growth rate of Table 1 agrees with the table's own levels.", "tbl-table1"))
    else:
        w = bad.loc[bad["difference_pp"].abs().idxmax()]
        cc = trends.crosscheck(r.table1, (int(w["year"]), int(w["year"])))
        wto = cc[(cc["series"] == w["series"]) & (cc["source"] == "wto_headline")]["gap_pct"]
        out.append(
            (
                f"Table 1 contradicts itself in {len(bad)} cell{'s' if len(bad) > 1 else ''}: for "
                f"{LABELS[w['series']].lower()} in {int(w['year'])} it states growth of "
                f"{pct(w['growth_stated'], 1, sign=True)}, while its levels imply "
                f"{pct(w['growth_recomputed'], 1, sign=True)}"
                + (
                    f", and that level is {pct(abs(wto.iloc[0]), 1)} {'above' if wto.iloc[0] > 0 else 'below'} WTO's "
                    "own figure for the year"
                    if not wto.empty
                    else ""
                )
                + "; every growth comparison is made with the stated levels, with the levels the stated rates imply "
                "and with independent series.",
                "tbl-versions",
            )
        )
    d = _rows(cagrs, decisive)
    if decisive in _computable(cagrs):
        out.append(
            (
                f"Over {_span(d)}, with {VERSION_PHRASES[decisive]} (the basis of this page's verdict), digitally "
                f"delivered services grew {pct(d.loc['dds', 'cagr_pct'], 1)} a year against "
                f"{pct(d.loc['goods', 'cagr_pct'], 1)} for goods and {pct(d.loc['services', 'cagr_pct'], 1)} for "
                f"services: the study's claim is {verdict(cagrs, decisive)}. " + agreement(cagrs),
                "cagr",
            )
        )
    else:
        out.append(
            (f"The claim cannot be judged with {VERSION_PHRASES[decisive]} over {r.win}. " + agreement(cagrs), "cagr")
        )
    wr = wins[wins["version"] == decisive]
    if len(wr) > 1:
        out.append(
            (
                f"Across the start–end pairs of years within {r.win}, the claim {holds_in(int(wr['dds_leads'].sum()), len(wr))}"
                f" with {VERSION_PHRASES[decisive]}.",
                "robustness",
            )
        )
    x = _rows(rc, decisive)
    if x["us_cpi_u_real_pct"].notna().all():
        out.append(
            (
                f"Deflated by US consumer prices ({pct(x['us_cpi_u_inflation_pct'].iloc[0], 1)} a year), real "
                f"growth was {_three(x, 'us_cpi_u_real_pct')}; one deflator lowers all three alike and cannot "
                "change their order.",
                "tbl-real-cagr",
            )
        )
    if len(con) >= 2:
        c0, c1 = con.iloc[0], con.iloc[-1]
        how = "less" if c1["hhi"] < c0["hhi"] else "more" if c1["hhi"] > c0["hhi"] else "neither more nor less"
        out.append(
            (
                f"World exports of digitally deliverable services became {how} concentrated from {int(c0['year'])} "
                f"to {int(c1['year'])} (Herfindahl index {num(c0['hhi'], 0)} → {num(c1['hhi'], 0)}).",
                "unctad-shares",
            )
        )
    return out


def how_many(cagrs: pd.DataFrame, decisive: str) -> str:
    """In how many versions DDS grew fastest, for titles: 'in all three versions of the data', ..."""
    ok = _computable(cagrs)
    lead = {v: _leads(_rows(cagrs, v)) for v in ok}
    if len(ok) == 1:
        return f"with {VERSION_PHRASES[ok[0]]} (no other version covers two years of this window)"
    if len(set(lead.values())) == 1:
        return "in all three versions of the data" if len(ok) == 3 else "in both versions that cover this window"
    return "(the versions disagree)"


def headline(r, cagrs: pd.DataFrame, decisive: str) -> str:
    """One plain sentence for the introduction: the claim, in every version that can be computed."""
    ok = _computable(cagrs)
    if decisive not in ok:
        return (
            f"Whether digitally delivered services outgrew goods and services over {r.win} cannot be judged with "
            f"{VERSION_PHRASES[decisive]}, which cover fewer than two years of it."
        )
    short = {
        "stated": "as stated",
        "rate_implied": "with the rate-implied levels",
        "independent": "in the independent series",
    }
    parts = []
    for v in [decisive] + [v for v in ok if v != decisive]:
        x = _rows(cagrs, v)
        window = "" if _span(x) == r.win else f" ({_span(x)})"
        if v == decisive:
            parts.append(
                f"{pct(x.loc['dds', 'cagr_pct'], 1)} a year against {pct(x.loc['goods', 'cagr_pct'], 1)} for "
                f"goods and {pct(x.loc['services', 'cagr_pct'], 1)} for services {short[v]}{window}"
                + (", the basis of the verdict" if len(ok) > 1 else "")
            )
        else:
            parts.append(
                f"{pct(x.loc['dds', 'cagr_pct'], 1)} against {pct(x.loc['goods', 'cagr_pct'], 1)} and "
                f"{pct(x.loc['services', 'cagr_pct'], 1)} {short[v]}{window}"
            )
    verb = "grew faster than" if _leads(_rows(cagrs, decisive)) else "did not grow faster than both"
    return (
        f"Over {r.win}, world exports of digitally delivered services {verb} goods and services "
        f"{how_many(cagrs, decisive)}: " + "; ".join(parts) + "."
    )
