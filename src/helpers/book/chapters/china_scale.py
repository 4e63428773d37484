"""The sections of the "<focus>'s scale" chapter: sentences, figures and tables (no computation of its own).

The notebook computes with :mod:`helpers.analysis.scale` in each section cell and hands the result to
one function here, which glues the sentences (every one built from the computed facts, with its own
wording for one year, a surplus, a missing series...) and shows the figures and tables. The seeds'
claims are about China: their sections say "China" and show China's checks whatever the focus.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.analysis import scale
from helpers.book import charts
from helpers.book.chapters import china_scale_charts as figs
from helpers.claims import core as claims
from helpers.claims.checks import china_scale as checks
from helpers.data import datastore
from helpers.text import highest_lowest, listing, multiple, num, pct, rank_phrase, seed_name, usd_bn, year_ranges

CHN = "CHN"
SRC_X = "World Bank, WDI: service exports and imports, balance of payments, current US$ (data/wdi.csv)"
SRC_FT = (
    "World Bank, WDI: service exports and imports, merchandise trade and trade in goods and services "
    "(% of GDP), GDP (data/wdi.csv)"
)
SRC_UNCTAD, SRC_WTO, SRC_WDI = checks.SRC_UNCTAD, checks.SRC_WTO, checks.SRC_WDI
SRC_SEEDS = "the study and the third policy article, as transcribed in data/seed_values.csv"


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


def _share(x: float) -> str:
    """A share of the world: two decimals, three for the smallest economies."""
    return pct(x, 2 if abs(x) >= 0.1 else 3)


def _no_figure(page, name: str, reason: str) -> None:
    """Say on the page why a figure cannot be drawn, and let the prose's link to it say so too."""
    page.note(reason, kind="warning", title="No chart")
    page.glue_md(f"fig-{name}", f"no chart: {reason[0].lower()}{reason[1:].rstrip('.')}")


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
        ("share_first", f"{_share(first['share_world_pct'])} in {F}"),
        ("share_last", f"{_share(last['share_world_pct'])} in {L}"),
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
        move = "rose" if _share(s1) != _share(s0) and s1 > s0 else "fell" if _share(s1) != _share(s0) else "stayed at"
        md += (
            f"Its share of world services trade (exports plus imports, against WDI's World totals) {move} "
            + (f"{_share(s1)}" if move == "stayed at" else f"from {_share(s0)} in {F} to {_share(s1)} in {L}")
            + (
                ""
                if _share(peak["share_world_pct"]) in (_share(s0), _share(s1))
                else f", with a high of {_share(peak['share_world_pct'])} in {int(peak['year'])}"
            )
            + "."
        )
    elif len(share) == 1:
        md += f"Its share of world services trade was {_share(share['share_world_pct'].iloc[0])} in {L}."
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
        f"{name}'s share of world services trade was {_share(share['share_world_pct'].iloc[-1])} in "
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
        _no_figure(
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


def china_services_claims(page, chn: pd.DataFrame) -> None:
    """The study's and the first policy article's figures on China's services trade, checked (China's data)."""
    st = chn
    ft = checks.china_foreign_trade(2023)
    r = {cid: claims.check(cid) for cid in checks.SERVICES_CLAIMS}
    s84, s61 = claims.claim("S000-084"), claims.claim("S000-061")
    s07 = claims.compare(s84, st.loc[2007, "total_bn"], method="", source="").status
    s21 = claims.compare(s84, st.loc[2021, "total_bn"], method="", source="", end=True).status
    side = "below" if r["S000-062"].computed < r["S000-062"].stated else "above"
    md = (
        f"By WDI's balance-of-payments data, China's services trade grew from {usd_bn(st.loc[2009, 'total_bn'])} "
        f"in 2009 to {usd_bn(st.loc[2023, 'total_bn'])} in 2023, "
        f"×{st.loc[2023, 'total_bn'] / st.loc[2009, 'total_bn']:.2f} or {pct(r['S000-060'].computed, 2)} a year: the "
        f"study's *more than twice* is **{r['S000-059'].status}** and its average growth rate "
        f"**{r['S000-060'].status}**. For the level of 2023, WDI's {usd_bn(r['S000-062'].computed)} is "
        f"{side} the stated *above US$ {num(r['S000-062'].stated, 0)} billion* (**{r['S000-062'].status}**). China's "
        f"share of world services trade was {_share(st.loc[2009, 'share_world_pct'])} in 2009 and "
        f"{_share(st.loc[2023, 'share_world_pct'])} in 2023, against the stated {pct(float(s61['value']), 2)} and "
        f"{pct(float(s61['value_end']), 2)} (**{r['S000-061'].status}**). Services were "
        f"{pct(ft['share_merch_basis_pct'], 1)} of China's foreign trade in 2023 on the merchandise-trade basis and "
        f"{pct(ft['share_na_basis_pct'], 1)} on the national-accounts basis, against the stated "
        f"{pct(r['S000-063'].stated, 1)} (**{r['S000-063'].status}**); the study's figure most likely comes from "
        "China's own statistics in yuan (customs goods trade plus Ministry of Commerce services trade), which `data/` "
        f"does not hold. The study's 2007 level is **{s07}** with WDI and its 2021 level **{s21}** (WDI: "
        f"{usd_bn(st.loc[2021, 'total_bn'])}); the average growth of {pct(r['S000-003'].stated, 1)} a year "
        f"for 2012–2023 that the study takes from the Ministry of Commerce compares with {pct(r['S000-003'].computed, 1)} "
        f"in WDI (**{r['S000-003'].status}**)."
    )
    bp = scale.balance_path(st.reset_index())
    if bp["widest_year"] is None:
        turn = "was never in deficit in the data"
    elif bp["narrowest_after_year"] is None:
        turn = f"was at its widest in {bp['widest_year']}, the latest year ({usd_bn(-bp['widest'])})"
    elif bp["narrowest_after_year"] == bp["last_year"]:
        turn = (
            f"narrowed from {usd_bn(-bp['widest'])} in {bp['widest_year']}, its widest, to "
            f"{usd_bn(-bp['last'])} in {bp['last_year']}"
        )
    else:
        turn = (
            f"narrowed from its widest point in {bp['widest_year']} ({usd_bn(-bp['widest'])}) until "
            f"{bp['narrowest_after_year']} and then widened again to {usd_bn(-bp['last'])} in {bp['last_year']}"
        )
    md += (
        "\n\nThe first policy article, which carries no date, adds that China's services trade \"now ranks second "
        'globally" and grew at given rates in "recent data". Without a date none of this can be checked without '
        "picking the year that fits; the table of its claims below says what the nearest data show. Its remark that the services "
        f'deficit "continues to narrow" can at least be set against WDI: the deficit {turn}.'
    )
    page.glue_md("chn_services_md", md)
    claims.show(
        page,
        list(checks.SERVICES_CLAIMS),
        name="claims-services",
        caption="The study's figures on China's services trade, checked against WDI",
    )
    claims.show(
        page,
        list(checks.ARTICLE_CLAIMS),
        name="claims-article",
        caption="The first policy article (undated) on China's services trade",
        collapsed=True,
    )


# --------------------------------------------------------------------------- digital trade of the focus economy


def digital(page, r: Scale, unctad_t: pd.DataFrame, wto_t: pd.DataFrame, st: pd.DataFrame) -> None:
    """Digitally deliverable (UNCTAD) and delivered (WTO) trade of the focus economy, one figure."""
    name = r.name
    u = unctad_t.dropna(subset=["total_bn"])
    totals = st.set_index("year")["total_bn"]
    if u.empty:
        page.glue("dd_last", "not available (UNCTAD has no year with both flows for it in the window)")
        page.glue("dd_share", "no share")
        first = f"UNCTAD has no year with both digitally deliverable exports and imports of {name} in the window"
    else:
        y, v = int(u["year"].iloc[-1]), float(u["total_bn"].iloc[-1])
        share = 100 * v / totals[y] if y in totals.index else np.nan
        page.glue("dd_last", f"{usd_bn(v)} in {y}")
        page.glue(
            "dd_share", pct(share, 1) if not np.isnan(share) else "an unknown share (no services total that year)"
        )
        first = f"{name}'s digitally deliverable trade (exports plus imports, UNCTAD) was {usd_bn(v)} in {y}, " + (
            f"{pct(share, 1)} of its services trade that year"
            if not np.isnan(share)
            else "a year without a services total in WDI"
        )
    w = wto_t.dropna(subset=["exports_bn"])
    second = (
        (
            f"{'its' if not u.empty else name + chr(39) + 's'} digitally delivered exports were {usd_bn(w['exports_bn'].iloc[-1])} in {int(w['year'].iloc[-1])} "
            "(WTO" + (", preliminary)" if bool(w["exports_prelim"].iloc[-1]) else ")")
        )
        if not w.empty
        else f"WTO's digitally delivered exports of {name} have no value in the window"
    )
    importers = sorted(
        set(
            r.wto_2026.loc[
                (r.wto_2026["flow"] == "imports")
                & (r.wto_2026["sector_code"] == "DDS")
                & r.wto_2026["iso3"].isin(datastore.country_groups()["rcep"]),
                "iso3",
            ]
        )
    )
    importers = [
        c
        for c in importers
        if r.wto_2026[(r.wto_2026["iso3"] == c) & (r.wto_2026["flow"] == "imports")]["year"].nunique() > 1
    ]  # a member with a single early year of imports is no series
    imp = (
        f" WTO's digitally delivered imports are in data/ for {listing([datastore.display_name(c) for c in importers])} "
        "only."
    )
    ux = unctad_t.dropna(subset=["exports_bn"])
    ucov = (int(r.unctad["year"].min()), int(r.unctad["year"].max()))
    span = range(max(r.years[0], ucov[0]), min(r.years[1], ucov[1]) + 1)
    gaps = [y for y in span if y not in set(ux["year"])]
    if not len(span):
        gap = f" UNCTAD's series covers {ucov[0]}–{ucov[1]}, outside this window."
    elif gaps:
        gap = f" UNCTAD has no export value for {name} in {year_ranges(gaps)}."
    else:
        gap = f" UNCTAD's export series for {name} has no gap in {year_ranges(span)}."
    page.glue_md("digital_md", f"{first}; {second}.{imp}{gap}")
    dt = scale.digital_long(unctad_t, wto_t)
    seed = scale.seed_digital_series(r.seed_values) if r.country == CHN else None
    if dt.empty:
        _no_figure(page, "digital-trade", f"Neither UNCTAD nor WTO has digital services trade of {name} in the window.")
        return
    t = (
        f"{name}'s digitally deliverable trade was {usd_bn(u['total_bn'].iloc[-1])} in {int(u['year'].iloc[-1])}"
        if not u.empty
        else f"{name}'s digitally delivered exports were {usd_bn(w['exports_bn'].iloc[-1])} in "
        f"{int(w['year'].iloc[-1])}"
        if not w.empty
        else f"{name}'s digital services trade"
    )
    data = (
        dt
        if seed is None
        else pd.concat(
            [dt, seed[["year", "value_bn"]].assign(measure="Stated in the seeds: " + seed["label"], source="seeds")],
            ignore_index=True,
        )
    )
    page.figure(
        figs.digital(dt, seed),
        name="digital-trade",
        title=t,
        subtitle="US$ billion, current prices; solid: UNCTAD (deliverable, all modes); dashed: WTO (delivered, "
        "Mode 1)" + ("; diamonds: the seeds' figures" if seed is not None else ""),
        source=f"{SRC_UNCTAD}; {SRC_WTO}" + (f"; {SRC_SEEDS}" if seed is not None else ""),
        alt=(
            f"Line chart of {name}'s digitally deliverable (UNCTAD) and digitally delivered (WTO) services "
            "trade, US$ billion."
            + (" Black diamonds mark the figures stated in the seeds." if seed is not None else "")
            + f" {t}."
        ),
        data=data.round(4),
    )


def _vintage(r: Scale, source: str) -> str:
    last = {"wto_dataset": r.wto_exports, "wto_bulk": r.wto_2026, "unctad": r.unctad, "wdi_proxy": r.wdi}
    if source in last:
        y = int(last[source]["year"].max())
        return {
            "wto_dataset": f"WTO release with data to {y}",
            "wto_bulk": f"WTO bulk file of 2026, data to {y} ({y} preliminary)",
            "unctad": f"UNCTADstat via World Bank Data360, data to {y}",
            "wdi_proxy": f"WDI extract, data to {y}",
        }[source]
    seeds = sorted(set(r.seed_values.loc[r.seed_values["series_id"] == scale.SEED_SERIES[0], "seed_file"].str[:3]))
    return "the study" if source == "table1" else listing([seed_name(s) for s in seeds])


def _row_note(r: Scale, source: str, flow: str, row: pd.Series, years: list[int]) -> str:
    if row["n_years"] == 0:
        if source == "table1":
            return f"states world totals only: no value for {r.name}"
        if source == "seeds":
            return "the seeds state China's figures only"
        if source == "wto_bulk":
            dds = r.wto_2026[r.wto_2026["sector_code"] == "DDS"]
            have = set(dds.loc[dds["flow"] == "exports", "iso3"])
            if flow != "exports":
                have &= set(dds.loc[dds["flow"] == "imports", "iso3"])
            names = listing([datastore.display_name(c) for c in sorted(have)])
            return (
                f"the bulk file in data/ has {'the exports' if flow == 'exports' else 'both flows'} of {names} "
                f"only: no value for {r.name}"
            )
        return f"no value for {r.name} in data/"
    missing = [y for y in years if pd.isna(row[y])]
    return f"no value in {listing([str(y) for y in missing])}" if missing else ""


def sources(page, r: Scale, comparison: pd.DataFrame, years: list[int], ref_year: int | None) -> None:
    """The same quantity, the focus economy's digital services trade, from every source: one table."""
    name = r.name
    tab = comparison.set_index(["source", "flow"]).loc[scale.TABLE_ROWS].reset_index()
    out = pd.DataFrame(
        {
            "Source": [x[0].upper() + x[1:] for x in tab["source"].map(scale.SOURCE_LABELS)],
            "Flow": tab["flow"],
            "Concept": tab["source"].map(scale.CONCEPTS),
            f"Years with a value for {name}": [
                "none" if pd.isna(a) else f"{int(a)}–{int(b)}" if a != b else str(int(a))
                for a, b in zip(tab["first_year"], tab["last_year"])
            ],
            "Vintage": [_vintage(r, s) for s in tab["source"]],
        }
    )
    for y in years:
        out[f"{y} (US$ bn)"] = tab[y]
    if ref_year is not None:
        ref = tab.set_index(["source", "flow"])[ref_year]
        base = [ref.get(("unctad", f), np.nan) for f in tab["flow"]]
        out[f"vs UNCTAD, {ref_year} (%)"] = [
            100 * (v / b - 1) if b and not np.isnan(b) and s != "unctad" else np.nan
            for v, b, s in zip(tab[ref_year], base, tab["source"])
        ]
    out["Note"] = [_row_note(r, s, f, row, years) for (s, f), (_, row) in zip(scale.TABLE_ROWS, tab.iterrows())]
    page.table(
        out,
        name="digital-sources",
        caption=f"{name}'s digital services trade: the same quantity from each source",
        source=f"{SRC_WTO}; {SRC_UNCTAD}; {SRC_WDI}; {SRC_SEEDS}",
        formats={c: ",.3f" for c in out.columns if c.endswith("(US$ bn)")}
        | ({f"vs UNCTAD, {ref_year} (%)": "+.1f"} if ref_year is not None else {}),
        note="Each row is one source's value of the same quantity, with its concept; '–' where the source has "
        "no value (the note says why).",
    )
    page.glue_md("sources_md", _sources_sentence(r, comparison, years, ref_year))


def _sources_sentence(r: Scale, comparison: pd.DataFrame, years: list[int], ref_year: int | None) -> str:
    name = r.name
    if ref_year is None:
        return f"No source in data/ has a value of {name}'s digital services trade in the window."
    out = []
    for flow in ("exports", "exports + imports"):
        sp = scale.spread(comparison[comparison["source"] != "table1"], ref_year, flow)
        if sp is None:
            n = comparison[(comparison["flow"] == flow)].dropna(subset=[ref_year])
            out.append(
                f"for {flow} one source only has a value, {scale.SOURCE_LABELS[n['source'].iloc[0]]} "
                f"({usd_bn(n[ref_year].iloc[0])})"
                if len(n)
                else f"no source has {flow}"
            )
            continue
        both = "the two sources" if sp["n"] == 2 else f"the {sp['n']} sources"
        if usd_bn(sp["low"]) == usd_bn(sp["high"]):
            out.append(f"{both} of {flow} give the same {usd_bn(sp['low'])}")
            continue
        out.append(
            f"{both} of {flow} range from {usd_bn(sp['low'])} ({scale.SOURCE_LABELS[sp['low_source']]}) to "
            f"{usd_bn(sp['high'])} ({scale.SOURCE_LABELS[sp['high_source']]}), {sp['ratio']:.2f} times as much"
        )
    apart = [
        scale.spread(comparison[comparison["source"] != "table1"], ref_year, f)
        for f in ("exports", "exports + imports")
    ]
    differ = any(sp is not None and usd_bn(sp["low"]) != usd_bn(sp["high"]) for sp in apart)
    single = all(sp is None for sp in apart)
    present = set(comparison.dropna(subset=[ref_year])["source"])
    why = (
        ["delivered (WTO) is a part of deliverable (UNCTAD)"]
        if {"unctad"} & present and {"wto_dataset", "wto_bulk"} & present
        else []
    ) + (["the WDI proxy counts broad categories of commercial services"] if "wdi_proxy" in present else [])
    md = (
        f"In {ref_year}, the latest year of the window in which most sources have {name}'s exports, "
        + "; ".join(out)
        + ". "
        + (
            "No two sources can be compared that year."
            if single
            else ("They differ because they measure different things: " + "; ".join(why) + ".")
            if differ and why
            else ""
            if differ
            else f"The concepts differ, but for {name} that year the values nearly coincide."
        )
    )
    same = scale.same_values(comparison, years, "wto_dataset", "wto_bulk", "exports")
    if same is not None:
        md += f" WTO's dataset and its 2026 bulk file give {'the same' if same else 'different'} values in the years shown."
    closest = scale.closest_sources(comparison, years)
    if closest:
        md += (
            " The seeds' figures for "
            + listing([str(y) for y in closest])
            + " lie closest to "
            + listing(
                [
                    f"{scale.SOURCE_LABELS[k]} in {listing([str(y) for y, c in closest.items() if c == k])}"
                    for k in dict.fromkeys(closest.values())
                ]
            )
            + "."
        )
    return md


# --------------------------------------------------------------------------- the seeds' figures on China's digital trade


def china_digital_claims(page, seed: pd.DataFrame, implied: pd.DataFrame, sub: pd.DataFrame) -> None:
    """China only: the seeds' series, the growth they imply, the sub-sectors, the yuan figures, the verdicts."""
    u, w = checks.china_unctad(), checks.china_wto()
    sd = scale.seed_vs_data(seed, checks.china_trade(), u)
    who = seed.assign(who=seed["seed"].map(seed_name))
    tab = pd.DataFrame(
        {
            "Year": seed["year"],
            "Stated by": who["who"],
            "Term used": seed["term"],
            "Stated (US$ bn)": seed["value_bn"],
            "Stated share of services trade (%)": seed["share_pct"],
            "Services trade implied by the two (US$ bn)": seed["implied_services_bn"],
            "WDI services trade (US$ bn)": sd["wdi_total_bn"],
            "UNCTAD deliverable trade (US$ bn)": sd["unctad_total_bn"],
        }
    )
    terms = who.groupby("who")["term"].agg(lambda t: listing([f"'{x}'" for x in dict.fromkeys(t.dropna())]))
    page.table(
        tab,
        name="seed-digital-series",
        caption="China's digital trade as the seeds state it, and what the data say for the same years",
        source=f"{SRC_SEEDS}; {SRC_WDI}; {SRC_UNCTAD}",
        formats={c: ",.2f" for c in tab.columns if "US$" in c} | {"Stated share of services trade (%)": ".1f"},
        note="The seeds' terms differ: "
        + listing([f"{v} ({k})" for k, v in terms.items()])
        + ". Level ÷ share gives the services trade each figure assumes.",
    )
    tab2 = pd.DataFrame(
        {
            "From": implied["from"],
            "To": implied["to"],
            "From (US$ bn)": implied["from_bn"],
            "To (US$ bn)": implied["to_bn"],
            "Implied growth a year (%)": implied["cagr_pct"],
            "Implied total change (%)": implied["change_pct"],
            "Same source and term": np.where(implied["same_source"], "yes", "no: mixes terms or sources"),
        }
    )
    page.table(
        tab2,
        name="seed-implied-growth",
        caption="Growth implied by the seeds' own levels",
        source=SRC_SEEDS,
        formats={
            "From (US$ bn)": ",.2f",
            "To (US$ bn)": ",.2f",
            "Implied growth a year (%)": "+.2f",
            "Implied total change (%)": "+.1f",
        },
    )
    tab3 = pd.DataFrame(
        {
            "Sub-sector": sub["sector"],
            "Claim": sub["code"].map(checks.SUBSECTOR_CLAIMS),
            "Stated (%)": [claims.stated(checks.SUBSECTOR_CLAIMS[c]) for c in sub["code"]],
            "Exports (%)": sub["exports"],
            "Imports (%)": sub["imports"],
            "Exports + imports (%)": sub["total"],
        }
    )
    y0, y1 = sub.attrs["years"]
    page.table(
        tab3,
        name="subsector-growth",
        caption=f"China's digitally delivered services by sub-sector: average "
        f"annual growth over the period the seeds state, {y0}–{y1} (WTO), by flow",
        source="data/wto_dds_2026.csv (WTO); data/claims.csv",
        formats={c: ".1f" for c in tab3.columns if c.endswith("(%)")},
        note=(
            "WTO flags a series break in " + listing([str(b) for b in sub.attrs["breaks"]]) + " inside the period."
            if sub.attrs["breaks"]
            else None
        ),
    )
    r = {cid: claims.check(cid) for cid in checks.DIGITAL_CLAIMS}
    rep = checks.subsector_reproduced(sub)
    g23 = 100 * (r["S000-075"].stated / w.loc[2023, "total_bn"] - 1)
    gu = 100 * (r["S000-075"].stated / u.loc[2023, "total_bn"] - 1)
    g24 = 100 * (r["S000-075"].stated / w.loc[2024, "total_bn"] - 1) if 2024 in w.index else np.nan
    closer = (
        [
            f"UNCTAD's digitally *deliverable* trade for 2023 ({usd_bn(u.loc[2023, 'total_bn'])}, "
            f"{pct(gu, 1, sign=True)})"
        ]
        if abs(gu) < abs(g23)
        else []
    )
    closer += (
        [f"WTO's value for 2024 ({usd_bn(w.loc[2024, 'total_bn'])}, {pct(g24, 1, sign=True)})"]
        if not np.isnan(g24) and abs(g24) < abs(g23)
        else []
    )
    dev = sd.set_index("year")["implied_vs_wdi_pct"].dropna()
    close = [str(y) for y, d in dev.items() if abs(d) <= 0.5]
    far = [f"{y} ({pct(d, 1, sign=True)})" for y, d in dev.items() if abs(d) > 0.5]
    pairs = listing(
        [
            f"{int(a)}→{int(b)} {pct(g, 1, sign=True)} a year"
            for a, b, g in implied.iloc[:-1][["from", "to", "cagr_pct"]].itertuples(index=False)
        ]
    )
    brk = sub.attrs["breaks"]
    md = (
        f"The seeds' series mixes terms and sources; the growth it implies between consecutive points is {pairs}. "
        "Dividing each level by its stated share gives the services trade the figure assumes: "
        + (
            f"within half a percent of WDI's balance-of-payments total in {listing(close)}"
            if close
            else "never within half a percent of WDI's total"
        )
        + (f", but above it in {listing(far)}, where a larger services total was used" if far else "")
        + ". "
        f"Checked against the seeds' own levels, the {pct(r['S003-017'].stated, 1)} a year from 2011 to 2020 is "
        f"**{r['S003-017'].status}**, the total change from 2015 to 2020 **{r['S003-007'].status}**, and *basically "
        f"doubled* **{r['S003-015'].status}** (the levels give ×{r['S003-015'].computed:.2f}). Against UNCTAD's "
        f"digitally deliverable trade, the levels for 2011 and 2020 are **{r['S003-016'].status}** and those for 2015 "
        f"and 2020 **{r['S003-006'].status}** (the 2015 figure is "
        f"{pct(100 * (claims.stated('S003-006') / u.loc[2015, 'total_bn'] - 1), 1, sign=True)} off). For 2023, the "
        f"study's {usd_bn(r['S000-075'].stated)} of *digitally delivered* services is {pct(g23, 1, sign=True)} off "
        f"WTO's estimate for the same concept (**{r['S000-075'].status}**), and its growth rate compares with WTO's "
        f"{pct(r['S000-076'].computed, 1, sign=True)} (**{r['S000-076'].status}**)"
        + (("; closer to the stated figure are " + listing(closer)) if closer else "")
        + ". "
        f"Of the three sub-sector growth rates, WTO's export series reproduces {rep['exports']} (intellectual "
        f"property **{r['S003-020'].status}**, financial services **{r['S003-021'].status}**, ICT services "
        f"**{r['S003-022'].status}**)"
        + (f", across a series break in {listing([str(b) for b in brk])}" if brk else "")
        + ". The yuan figures stay unchecked: `data/` holds no exchange rate, and a growth rate in yuan is not a "
        "growth rate in US$."
    )
    page.glue_md("chn_digital_md", md)
    claims.show(
        page,
        list(checks.DIGITAL_CLAIMS),
        name="claims-digital",
        caption="The seeds' figures on China's digital trade, checked against their own levels, UNCTAD and WTO",
    )


def china_yuan_claims(page, yuan: pd.DataFrame) -> None:
    """The figures in yuan, as stated, and the claims no table in data/ can check."""
    tab = pd.DataFrame(
        {
            "What": yuan["series_label"].str.replace(r"\s*\(seed \d{3}[^)]*\)", "", regex=True),
            "Year": yuan["year"],
            "Stated": yuan["value"],
            "Unit": yuan["unit"].map({"cny_trn": "trillion yuan", "percent": "%"}).fillna(yuan["unit"]),
            "Stated by": yuan["seed"].map(seed_name),
            "Claim": yuan["claim_id"],
        }
    )
    page.table(
        tab,
        name="yuan-figures",
        caption="The seeds' figures in yuan, as stated (not converted: data/ has no exchange-rate table)",
        source="data/seed_values.csv",
    )
    claims.show(
        page,
        list(checks.YUAN_CLAIMS),
        name="claims-yuan",
        caption="Figures in yuan, on cross-border e-commerce, or enumerations: not checkable with data/",
        collapsed=True,
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
        _no_figure(page, "peers-growth", f"Growth needs two years of {name}'s services exports; the window holds one.")
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
            f"Its share of world services trade was {_share(last['share_world_pct'])} in {wg['last_year']}.",
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
