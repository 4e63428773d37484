"""The sections of the "<focus>'s scale" chapter: sentences, figures and tables (no computation of its own).

The notebook computes with :mod:`helpers.analysis.scale` in each section cell and hands the result to
one function here, which glues the sentences (every one built from the computed facts, with its own
wording for one year, a surplus, a missing series...) and shows the figures and tables. The seeds'
claims are about China: their sections say "China" and show China's checks whatever the focus.

The sections are spread over sibling modules and re-exported here, so the notebook calls them all on this
module: :mod:`~helpers.book.chapters.china_scale_digital` (the focus economy's digital trade, source by
source) and :mod:`~helpers.book.chapters.china_scale_seeds` (the seeds' figures on China, checked).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from helpers.analysis import scale
from helpers.book import charts
from helpers.book.chapters import china_scale_charts as figs
from helpers.book.chapters.china_scale_digital import digital, sources  # noqa: F401  (page sections)
from helpers.book.chapters.china_scale_labels import CHN, SRC_FT, SRC_X, no_figure, world_share
from helpers.book.chapters.china_scale_seeds import (  # noqa: F401  (page sections)
    china_digital_claims,
    china_services_claims,
    china_yuan_claims,
)
from helpers.claims import core as claims
from helpers.claims.checks import china_scale as checks
from helpers.data import datastore
from helpers.text import highest_lowest, listing, multiple, pct, rank_phrase, usd_bn, year_ranges


@dataclass(frozen=True, eq=False)
class Scale:
    """What every section of the chapter starts from: the parameters, resolved, and the tables."""

    country: str
    name: str
    years: tuple[int, int]
    peers: tuple[str, ...]
    peers_default: bool
    wdi: pd.DataFrame = field(repr=False)
    unctad: pd.DataFrame = field(repr=False)
    wto_exports: pd.DataFrame = field(repr=False)
    wto_2026: pd.DataFrame = field(repr=False)
    seed_values: pd.DataFrame = field(repr=False)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "wdi": self.wdi,
            "unctad": self.unctad,
            "wto_exports": self.wto_exports,
            "wto_2026": self.wto_2026,
            "seed_values": self.seed_values,
        }


def prepare(params: Mapping) -> Scale:
    """Load the tables and resolve the peers. A focus economy without services trade in the window is
    found only here, after loading: the error names the parameters to change."""
    c, years = params["country"], (params["start_year"], params["end_year"])
    wdi = datastore.load_table("wdi")
    if scale.services_trade(wdi, c, years).empty:
        cov = scale.coverage_years(wdi, c)
        have = f"its data cover {cov[0]}–{cov[1]}" if cov else "data/wdi.csv has none for it"
        raise datastore.DataRequestError(
            f"chapter 'china_scale', parameters 'country'/'start_year'/'end_year': {datastore.display_name(c)} has no "
            f"services exports and imports in {years[0]}–{years[1]} ({have}); choose a window inside its data"
        )
    peers = list(params["peers"]) or scale.default_peers(wdi, datastore.country_groups()["rcep"], c, years)
    return Scale(
        c,
        datastore.display_name(c),
        years,
        tuple(peers),
        not params["peers"],
        wdi,
        datastore.load_table("unctad_dds"),
        datastore.load_table("wto_dds_exports"),
        datastore.load_table("wto_dds_2026"),
        datastore.load_table("seed_values"),
    )


# --------------------------------------------------------------------------- orientation


def orientation(page, r: Scale) -> None:
    """The orientation paragraph under the key findings: focus, window, data years, peers."""
    st = scale.services_trade(r.wdi, r.country, r.years)
    page.glue("focus_name", r.name)
    win = f"{r.years[0]}–{r.years[1]}" if r.years[0] != r.years[1] else str(r.years[0])
    gaps = [y for y in range(r.years[0], r.years[1] + 1) if y not in set(st["year"])]
    page.glue_md(
        "window_md",
        f"The window is {win}"
        + (f"; {r.name}'s services data are missing in {year_ranges(gaps)}" if gaps else "")
        + ".",
    )
    page.glue(
        "peer_list",
        f"its {len(r.peers)} peers (the default: the other RCEP members with data, the United States and India)"
        if r.peers_default
        else listing([datastore.display_name(c) for c in r.peers]),
    )
    page.glue_md(
        "focus_note",
        "The focus is China, the economy the seeds' claims are about."
        if r.country == CHN
        else f"The seeds' claims are about China, so the two sections that check them show China's figures on "
        f"this page too; everything else follows {r.name}.",
    )


# --------------------------------------------------------------------------- services trade


def _years_words(years: list[int], window: list[int], what: str) -> str:
    if len(years) == len(window) and len(window) > 1:
        return f"in every year of the {what}"
    return "in " + year_ranges(years)


def _growth_words(wg: dict) -> str:
    """'grew 5.4 % a year (2.74× in all)', 'grew 15.1 %' (one year apart), 'shrank …', 'did not change'."""
    n = wg["last_year"] - wg["first_year"]
    g = wg["cagr_pct"]
    if round(g, 1) == 0:
        return "did not change"
    rate = pct(abs(g), 1) + (" a year" if n > 1 else "")
    return (f"grew {rate}" if g > 0 else f"shrank {rate}") + (f" ({multiple(wg['multiple'])} in all)" if n > 1 else "")


def services(page, r: Scale, st: pd.DataFrame) -> None:
    """Level, balance and world share of the focus economy's services trade (two figures)."""
    name, last, first = r.name, st.iloc[-1], st.iloc[0]
    wg = scale.window_growth(st)
    bp = scale.balance_path(st)
    L, F = wg["last_year"], wg["first_year"]
    bal = last["balance_bn"]
    balance_text = "balanced" if bal == 0 else f"a {'surplus' if bal > 0 else 'deficit'} of {usd_bn(abs(bal))}"
    for key, value in (
        ("x_last", usd_bn(last["exports_bn"])),
        ("m_last", usd_bn(last["imports_bn"])),
        ("t_last", usd_bn(last["total_bn"])),
        ("last_year", str(L)),
        ("first_year", str(F)),
        ("balance_text", balance_text),
        ("cagr_total", pct(wg["cagr_pct"], 1) if L > F else "not computable from one year"),
        ("share_first", f"{world_share(first['share_world_pct'])} in {F}"),
        ("share_last", f"{world_share(last['share_world_pct'])} in {L}"),
    ):
        page.glue(key, value)  # plain values: the intro page quotes them
    years = [int(y) for y in st["year"]]
    md = (
        f"In {L}, {name} exported services worth {usd_bn(last['exports_bn'])} and imported "
        f"{usd_bn(last['imports_bn'])}: services trade of {usd_bn(last['total_bn'])}, {balance_text}. "
    )
    if L == F:
        md += "The window holds a single year of its services data, so no growth can be computed. "
    else:
        falls = [int(y) for y in st.loc[st["growth_total_pct"] < 0, "year"]]
        gaps = [y for y in range(F, L + 1) if y not in years]
        md += (
            f"From {F} to {L} its services trade {_growth_words(wg)}. "
            + (
                f"It fell from the year before in {year_ranges(falls)}"
                if falls
                else "It did not fall from one year to the next"
            )
            + (f" (no growth is computed across the missing {year_ranges(gaps)})" if gaps else "")
            + ". "
        )
    sign = [
        ("in deficit", bp["deficit_years"]),
        ("in surplus", bp["surplus_years"]),
        ("balanced", bp["balanced_years"]),
    ]
    sign = [(w, ys) for w, ys in sign if ys]
    md += (
        "The balance was "
        + (
            f"{sign[0][0]} {_years_words(sign[0][1], years, 'window')}"
            if len(sign) == 1
            else listing([f"{w} in {year_ranges(ys)}" for w, ys in sign])
        )
        + ". "
    )
    share = st.dropna(subset=["share_world_pct"])
    if len(share) >= 2:
        peak = share.loc[share["share_world_pct"].idxmax()]
        s0, s1 = share["share_world_pct"].iloc[0], share["share_world_pct"].iloc[-1]
        move = (
            "rose"
            if world_share(s1) != world_share(s0) and s1 > s0
            else "fell"
            if world_share(s1) != world_share(s0)
            else "stayed at"
        )
        md += (
            f"Its share of world services trade (exports plus imports, against WDI's World totals) {move} "
            + (
                f"{world_share(s1)}"
                if move == "stayed at"
                else f"from {world_share(s0)} in {F} to {world_share(s1)} in {L}"
            )
            + (
                ""
                if world_share(peak["share_world_pct"]) in (world_share(s0), world_share(s1))
                else f", with a high of {world_share(peak['share_world_pct'])} in {int(peak['year'])}"
            )
            + "."
        )
    elif len(share) == 1:
        md += f"Its share of world services trade was {world_share(share['share_world_pct'].iloc[0])} in {L}."
    page.glue_md("services_md", md)
    level = (
        f"{name}'s services trade was {usd_bn(last['total_bn'])} in {L}"
        if L == F
        else f"{name}'s services trade reached {usd_bn(last['total_bn'])} in {L}, "
        + (
            f"{wg['multiple']:.1f} times its {F} level"
            if wg["multiple"] >= 1.05
            else f"about its {F} level"
            if wg["multiple"] > 0.95
            else f"{pct(100 * (1 - wg['multiple']), 0)} below its {F} level"
        )
    )
    page.glue("headline", level + ".")
    page.figure(
        figs.trade(st, name),
        name="services-trade",
        title=level,
        subtitle="US$ billion, current prices; lines: exports and imports; bars: balance",
        source=SRC_X,
        alt=(
            f"Line chart of {name}'s services exports and imports and bar chart of the balance, "
            f"{F}–{L}. {level}; balance in {L}: {balance_text}."
        ),
        data=st[["year", "exports_bn", "imports_bn", "total_bn", "balance_bn", "growth_total_pct"]].round(4),
    )
    sh = share.melt(
        id_vars="year", value_vars=["share_world_pct", "export_share_world_pct"], var_name="measure", value_name="value"
    )
    sh["measure"] = sh["measure"].map(
        {"share_world_pct": "Services trade (exports + imports)", "export_share_world_pct": "Services exports"}
    )
    t2 = (
        f"{name}'s share of world services trade was {world_share(share['share_world_pct'].iloc[-1])} in "
        f"{int(share['year'].iloc[-1])}"
    )
    page.figure(
        figs.lines(sh, "% of world"),
        name="world-share",
        title=t2,
        subtitle="% of the World total (WDI)",
        source=SRC_X + "; World = WDI's World aggregate",
        alt=f"Line chart of {name}'s share of world services trade and of world services exports. {t2}.",
        data=sh.round(5),
    )


def foreign_trade(page, r: Scale, ft: pd.DataFrame) -> None:
    """Services as a share of total foreign trade, on two bases."""
    name = r.name
    parts = []
    for col, basis in (
        ("share_merch_basis_pct", "merchandise-trade basis"),
        ("share_na_basis_pct", "national-accounts basis"),
    ):
        got = scale.latest(ft, col)
        parts.append(
            f"on the {basis}, services were {pct(got[1], 1)} of {name}'s foreign trade in {got[0]}"
            if got
            else f"on the {basis}, the share cannot be computed in this window (data/ lacks a part of it)"
        )
    gdp = r.wdi[(r.wdi["iso3"] == r.country) & (r.wdi["indicator"] == scale.GDP)]["year"]
    gdp_end = int(gdp.max()) if len(gdp) else None
    end = (
        f" Both bases need GDP, which data/ has up to {gdp_end}."
        if gdp_end is not None and gdp_end < int(ft["year"].max())
        else ""
    )
    page.glue_md("ft_md", f"O{parts[0][1:]}; {parts[1]}.{end}")
    long = ft.melt(
        id_vars="year",
        value_vars=["share_merch_basis_pct", "share_na_basis_pct"],
        var_name="measure",
        value_name="value",
    ).dropna()
    long["measure"] = long["measure"].map(
        {"share_merch_basis_pct": "Merchandise-trade basis", "share_na_basis_pct": "National-accounts basis"}
    )
    if long.empty:
        no_figure(
            page,
            "foreign-trade-share",
            f"No share of services in {name}'s foreign trade can be computed in "
            "this window: data/ lacks its merchandise-trade or national-accounts trade ratio, or its GDP.",
        )
        return
    last = long.sort_values(["year", "measure"], ascending=[True, False]).iloc[-1]  # merchandise basis first
    t = f"Services were {pct(last['value'], 1)} of {name}'s foreign trade in {int(last['year'])} ({last['measure'].lower()})"
    page.figure(
        figs.lines(long, "% of foreign trade", "Basis"),
        name="foreign-trade-share",
        title=t,
        subtitle="Services exports + imports as % of total trade, two denominators",
        source=SRC_FT,
        alt=f"Line chart of services as a percentage of {name}'s total foreign trade on two bases. {t}.",
        data=ft.round(4),
    )


# --------------------------------------------------------------------------- peers


def peers(page, r: Scale, pt: pd.DataFrame) -> None:
    """The focus economy against its peers: services-export level and growth (two figures)."""
    name, cy, sy = r.name, pt.attrs["comparison_year"], pt.attrs["start_year"]
    pt = pt.assign(economy=[datastore.display_name(c) for c in pt["iso3"]])
    me = pt[pt["focus"]].iloc[0]
    lv, gr = pt.dropna(subset=["level_bn"]), pt.dropna(subset=["cagr_pct"])
    ties = lambda col, v: int((pt[col] == v).sum())  # noqa: E731
    md = (
        f"Among the {len(pt)} economies compared, {name} ranks "
        f"{rank_phrase(me['rank_level'], len(lv), ties('rank_level', me['rank_level']))} with services exports in {cy} "
        f"({usd_bn(me['level_bn'])}); "
        + highest_lowest(list(zip(lv["economy"], lv["level_bn"])), usd_bn, high="largest", low="smallest")
        + ". "
    )
    if cy == sy:
        md += f"Growth cannot be ranked: the window holds one year of {name}'s services exports."
    elif pd.isna(me["cagr_pct"]):
        md += f"{name}'s growth cannot be computed between {sy} and {cy}."
    else:
        md += (
            f"In average growth a year from {sy} to {cy} it ranks "
            f"{rank_phrase(me['rank_growth'], len(gr), ties('rank_growth', me['rank_growth']))} with a value "
            f"({pct(me['cagr_pct'], 1)}); "
            + highest_lowest(
                list(zip(gr["economy"], gr["cagr_pct"])), lambda v: pct(v, 1), high="fastest", low="slowest"
            )
            + "."
        )
    left = [
        f"{e} ({'last year ' + str(int(y)) if not pd.isna(y) else 'no data in the window'})"
        for e, y, a, b in zip(pt["economy"], pt["last_year"], pt["level_bn"], pt["cagr_pct"])
        if pd.isna(a) or (cy != sy and pd.isna(b))
    ]
    md += (
        (
            f" Left out of a ranking for lack of a value in {cy}"
            + (f" or {sy}" if cy != sy else "")
            + ": "
            + listing(left)
            + "."
        )
        if left
        else ""
    )
    page.glue_md("peers_md", md)
    t1 = f"{name} ranks {rank_phrase(me['rank_level'], len(lv), ties('rank_level', me['rank_level']))} in services exports in {cy}"
    page.figure(
        charts.bar(lv.round(4), "level_bn", "economy", x_title=f"Services exports {cy}, US$ billion", highlight=name),
        name="peers-level",
        title=t1,
        subtitle=f"US$ billion, {cy}",
        source=SRC_X,
        alt=f"Ranked bar chart of services exports in {cy}, {name} highlighted. {t1}.",
        data=pt[["iso3", "economy", "level_bn", "rank_level", "last_year"]].round(4),
    )
    if gr.empty or cy == sy:
        no_figure(page, "peers-growth", f"Growth needs two years of {name}'s services exports; the window holds one.")
        return
    t2 = (
        f"{name} ranks {rank_phrase(me['rank_growth'], len(gr), ties('rank_growth', me['rank_growth']))} in "
        f"services-export growth, {sy}–{cy}"
        if not pd.isna(me["cagr_pct"])
        else f"Services-export growth, {sy}–{cy}"
    )
    page.figure(
        charts.bar(
            gr.round(4),
            "cagr_pct",
            "economy",
            x_title=f"Growth a year {sy}–{cy} (%)",
            highlight=name,
            tooltip_format=".2f",
        ),
        name="peers-growth",
        title=t2,
        subtitle=f"Compound annual growth of services exports, {sy}–{cy}, %",
        source=SRC_X,
        alt=f"Ranked bar chart of services-export growth a year, {sy}–{cy}, {name} highlighted. {t2}.",
        data=pt[["iso3", "economy", "cagr_pct", "rank_growth"]].round(4),
    )


# --------------------------------------------------------------------------- key findings


def findings(r: Scale, st: pd.DataFrame, comparison: pd.DataFrame, ref_year: int | None, pt: pd.DataFrame) -> list:
    """Three to five one-sentence findings, each from the computed results, with the figure it rests on."""
    name, wg, last = r.name, scale.window_growth(st), st.iloc[-1]
    bal = last["balance_bn"]
    out = [
        (
            (
                f"{name}'s services trade was {usd_bn(last['total_bn'])} in {wg['last_year']}, with a "
                + (f"{'surplus' if bal > 0 else 'deficit'} of {usd_bn(abs(bal))}" if bal else "balance of zero")
                + (
                    f"; since {wg['first_year']} it {_growth_words(wg).split(' (')[0]}"
                    if wg["last_year"] > wg["first_year"]
                    else ""
                )
                + "."
            ),
            "services-trade",
        ),
        (
            f"Its share of world services trade was {world_share(last['share_world_pct'])} in {wg['last_year']}.",
            "world-share",
        ),
    ]
    if ref_year is not None:
        sp = scale.spread(comparison[comparison["source"] != "table1"], ref_year, "exports")
        if sp is not None and usd_bn(sp["low"]) != usd_bn(sp["high"]):
            out.append(
                (
                    f"Sources of {name}'s digital services exports in {ref_year} differ by a factor of "
                    f"{sp['ratio']:.2f}, from {usd_bn(sp['low'])} to {usd_bn(sp['high'])}, because they measure "
                    "different concepts.",
                    "tbl-digital-sources",
                )
            )
    me = pt[pt["focus"]].iloc[0]
    n = int(pt["level_bn"].notna().sum())
    if n > 1:
        out.append(
            (
                f"{name} ranks {rank_phrase(me['rank_level'], n)} economies compared in services exports in "
                f"{pt.attrs['comparison_year']}.",
                "peers-level",
            )
        )
    res = [claims.check(c).status for c in checks.SERVICES_CLAIMS + checks.DIGITAL_CLAIMS]
    out.append(
        (
            f"Of the {len(res)} figures the study and the third policy article give on China's services and "
            f"digital trade, {res.count(claims.CONSISTENT)} agree with the data, "
            f"{res.count(claims.INCONSISTENT)} do not and {res.count(claims.NOT_CHECKABLE_STATUS)} cannot be "
            "checked.",
            "tbl-claims-services",
        )
    )
    # plain sentences: a (sentence, figure) link does not resolve in the glued block (myst.xref_missing under -W)
    return [f if isinstance(f, str) else f[0] for f in out[:5]]
