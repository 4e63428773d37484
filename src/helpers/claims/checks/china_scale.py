"""Claim checks of the china_scale chapter: the seeds' figures on China's services and digital trade.

Every claim of ``data/claims.csv`` whose chapter is ``china_scale`` is registered here, with a check or
the reason it cannot be checked. The seeds' claims are about China, so the checks always use China's
data, whatever the focus economy of the page. The groups below are the tables the page shows them in.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis import scale
from helpers.claims import core as claims
from helpers.data import datastore
from helpers.text import cagr, growth, listing, num, pct

CHN = "CHN"
SRC_WDI = "World Bank, WDI (data/wdi.csv)"
SRC_UNCTAD = "UNCTAD, digitally deliverable services (data/unctad_dds.csv)"
SRC_WTO = "WTO, digitally delivered services (data/wto_dds_exports.csv, data/wto_dds_2026.csv)"
MOFCOM_NOTE = (
    "WDI's services trade is the balance-of-payments series; the seed cites Ministry of Commerce "
    "statistics, which can differ from it"
)
SUBSECTOR_CLAIMS = {"SH": "S003-020", "SG": "S003-021", "ICT": "S003-022"}
SUBSECTOR_YEARS = (2011, 2020)

SERVICES_CLAIMS = ("S000-059", "S000-060", "S000-061", "S000-062", "S000-063", "S000-064", "S000-084", "S000-003")
ARTICLE_CLAIMS = ("S001-001", "S001-002", "S001-003", "S001-004", "S001-005", "S001-006")
DIGITAL_CLAIMS = (
    "S003-016",
    "S003-017",
    "S003-015",
    "S003-006",
    "S003-007",
    "S000-075",
    "S000-076",
    "S003-020",
    "S003-021",
    "S003-022",
)
YUAN_CLAIMS = (
    "S002-001",
    "S002-002",
    "S002-003",
    "S002-004",
    "S002-005",
    "S003-009",
    "S003-010",
    "S003-011",
    "S003-012",
    "S003-013",
    "S003-014",
)
ALL_CLAIMS = SERVICES_CLAIMS + ARTICLE_CLAIMS + DIGITAL_CLAIMS + YUAN_CLAIMS


# --------------------------------------------------------------------------- China's data


@datastore.derived("wdi")
def china_trade() -> pd.DataFrame:
    """China's services trade (WDI) for every year of the data, indexed by year."""
    wdi = datastore.load_table("wdi")
    return scale.services_trade(wdi, CHN, scale.coverage_years(wdi, CHN)).set_index("year")


@datastore.derived("unctad_dds")
def china_unctad() -> pd.DataFrame:
    return scale.unctad_trade(datastore.load_table("unctad_dds"), CHN).set_index("year")


@datastore.derived("wto_dds_exports", "wto_dds_2026")
def china_wto() -> pd.DataFrame:
    return scale.wto_trade(
        datastore.load_table("wto_dds_exports"), datastore.load_table("wto_dds_2026"), CHN
    ).set_index("year")


@datastore.derived("wto_dds_2026")
def china_subsectors() -> pd.DataFrame:
    return scale.subsector_cagr(datastore.load_table("wto_dds_2026"), CHN, *SUBSECTOR_YEARS)


@datastore.derived("wdi")
def china_foreign_trade(year: int) -> pd.Series:
    return scale.foreign_trade_share(datastore.load_table("wdi"), CHN, (year, year)).iloc[0]


# --------------------------------------------------------------------------- services trade (the study)


def _total_cagr(row: pd.Series, first: int, last: int) -> claims.Result:
    """A stated CAGR of China's services exports + imports between two years."""
    st = china_trade()
    return claims.compare(
        row,
        cagr(st.loc[first, "total_bn"], st.loc[last, "total_bn"], last - first),
        method=f"CAGR of China's services exports + imports (WDI, BoP), {first} → {last}; {MOFCOM_NOTE}",
        source=SRC_WDI,
    )


@claims.register("S000-003")
def check_cagr_2012_2023(row: pd.Series) -> claims.Result:
    return _total_cagr(row, 2012, 2023)


@claims.register("S000-059")
def check_multiple_2009_2023(row: pd.Series) -> claims.Result:
    st = china_trade()
    m = st.loc[2023, "total_bn"] / st.loc[2009, "total_bn"]
    alt_reading = "would hold too" if m >= 3 else "would not hold"
    return claims.compare(
        row,
        m,
        method="China's services exports + imports (WDI, BoP), 2023 ÷ 2009, read as a multiple "
        f"('expanded more than twice'; read as '+200 %', i.e. ×3, it {alt_reading}); "
        f"{MOFCOM_NOTE}",
        source=SRC_WDI,
    )


@claims.register("S000-060")
def check_cagr_2009_2023(row: pd.Series) -> claims.Result:
    return _total_cagr(row, 2009, 2023)


@claims.register("S000-061")
def check_world_share(row: pd.Series) -> claims.Result:
    st = china_trade()
    ex09, ex23 = st.loc[2009, "export_share_world_pct"], st.loc[2023, "export_share_world_pct"]
    return claims.compare_pair(
        row,
        st.loc[2009, "share_world_pct"],
        st.loc[2023, "share_world_pct"],
        method="China's services exports + imports as % of World exports + imports (WDI, BoP), "
        f"2009 and 2023; as a share of world services exports alone: {pct(ex09, 2)} and "
        f"{pct(ex23, 2)}",
        source=SRC_WDI,
    )


@claims.register("S000-062")
def check_total_2023(row: pd.Series) -> claims.Result:
    return claims.compare(
        row,
        float(china_trade().loc[2023, "total_bn"]),
        method=f"China's services exports + imports, 2023 (WDI, BoP, US$ bn); {MOFCOM_NOTE}",
        source=SRC_WDI,
    )


@claims.register("S000-063")
def check_share_of_foreign_trade(row: pd.Series) -> claims.Result:
    ft = china_foreign_trade(2023)
    return claims.compare(
        row,
        float(ft["share_merch_basis_pct"]),
        method="services exports + imports (WDI, BoP) as % of merchandise trade (WDI merchandise trade % of GDP × GDP) "
        "plus services, 2023 — the construction the seed's figure most likely has (China's own statistics: "
        "customs goods trade plus Ministry of Commerce services trade, in yuan); on a national-accounts basis "
        f"(goods and services trade % of GDP × GDP) the share is {pct(ft['share_na_basis_pct'], 2)}",
        source=SRC_WDI,
    )


@claims.register("S000-084")
def check_total_2007_2021(row: pd.Series) -> claims.Result:
    st = china_trade()
    return claims.compare_pair(
        row,
        st.loc[2007, "total_bn"],
        st.loc[2021, "total_bn"],
        method=f"China's services exports + imports (WDI, BoP, US$ bn), 2007 and 2021; {MOFCOM_NOTE}",
        source=SRC_WDI,
    )


# --------------------------------------------------------------------------- digital trade


@claims.register("S000-075")
def check_dds_2023(row: pd.Series) -> claims.Result:
    w, u = china_wto(), china_unctad()
    return claims.compare(
        row,
        float(w.loc[2023, "total_bn"]),
        method="China's digitally delivered services exports + imports, 2023, WTO DDS (same concept, Mode 1 estimate); "
        f"for reference: WTO's 2024 value is {num(w['total_bn'].get(2024, float('nan')), 1)} bn and UNCTAD's "
        f"digitally deliverable (all modes) 2023 value {num(u.loc[2023, 'total_bn'], 1)} bn",
        source=SRC_WTO,
    )


@claims.register("S000-076")
def check_dds_growth_2023(row: pd.Series) -> claims.Result:
    w, u = china_wto(), china_unctad()
    return claims.compare(
        row,
        growth(w.loc[2022, "total_bn"], w.loc[2023, "total_bn"]),
        method="growth of China's digitally delivered services exports + imports, 2022 → 2023, WTO DDS (same concept); "
        "UNCTAD's digitally deliverable total grew "
        f"{pct(growth(u.loc[2022, 'total_bn'], u.loc[2023, 'total_bn']), 1, sign=True)}",
        source=SRC_WTO,
    )


@claims.register("S003-006")
def check_digital_trade_2015_2020(row: pd.Series) -> claims.Result:
    u = china_unctad()
    return claims.compare_pair(
        row,
        u.loc[2015, "total_bn"],
        u.loc[2020, "total_bn"],
        method="China's digitally deliverable services exports + imports (UNCTAD, all modes), 2015 and 2020 — the "
        "concept behind China's 'digital (service) trade' statistics (a part of services trade)",
        source=SRC_UNCTAD,
    )


@claims.register("S003-016")
def check_digital_trade_2011_2020(row: pd.Series) -> claims.Result:
    u = china_unctad()
    return claims.compare_pair(
        row,
        u.loc[2011, "total_bn"],
        u.loc[2020, "total_bn"],
        method="China's digitally deliverable services exports + imports (UNCTAD, all modes), 2011 and 2020",
        source=SRC_UNCTAD,
    )


@claims.register("S003-007")
def check_digital_change_2015_2020(row: pd.Series) -> claims.Result:
    return claims.change_from_claims(row, "S003-006", "S003-006", last_end=True)


@claims.register("S003-015")
def check_digital_doubled(row: pd.Series) -> claims.Result:
    return claims.change_from_claims(row, "S003-016", "S003-016", last_end=True, as_multiple=True)


@claims.register("S003-017")
def check_digital_cagr_2011_2020(row: pd.Series) -> claims.Result:
    return claims.cagr_from_claims(row, "S003-016", "S003-016", 9, last_end=True)


def subsector_reproduced(tab: pd.DataFrame) -> dict[str, int]:
    """How many of the seed's three sub-sector rates each flow reproduces under the claims rule."""
    out = {}
    for flow in ("exports", "imports", "total"):
        out[flow] = sum(
            claims.compare(claims.claim(cid), float(tab.set_index("code").loc[code, flow]), method="", source="").status
            == claims.CONSISTENT
            for code, cid in SUBSECTOR_CLAIMS.items()
        )
    return out


@claims.register(*SUBSECTOR_CLAIMS.values())
def check_subsector(row: pd.Series) -> claims.Result:
    code = {v: k for k, v in SUBSECTOR_CLAIMS.items()}[row["claim_id"]]
    tab = china_subsectors()
    t = tab.set_index("code").loc[code]
    brk = tab.attrs["breaks"]
    rep = subsector_reproduced(tab)
    brk_txt = f"; WTO flags a series break in {listing([str(b) for b in brk])} inside the period" if brk else ""
    sector = t["sector"].split(" (")[0]
    sector = sector if sector.startswith("ICT") else sector[0].lower() + sector[1:]
    return claims.compare(
        row,
        float(t["exports"]),
        method=f"CAGR 2011 → 2020 of China's exports of {sector} (WTO DDS, digitally delivered); the seed does not "
        f"name the flow: of its three sub-sector rates, exports reproduce {rep['exports']}, imports "
        f"{rep['imports']}, exports + imports {rep['total']}; for this sector imports give "
        f"{pct(t['imports'], 1)}, exports + imports {pct(t['total'], 1)}{brk_txt}",
        source="data/wto_dds_2026.csv (WTO)",
    )


# --------------------------------------------------------------------------- the first policy article (undated)


@claims.register("S001-002")
def check_rank_second(row: pd.Series) -> claims.Result:
    d = datastore.load_table("wdi")
    d = d[d["indicator"].isin([scale.X, scale.M]) & (d["iso3"] != scale.WORLD)]
    yr = int(d[d["iso3"] == CHN]["year"].max())
    t = d[d["year"] == yr].pivot(index="iso3", columns="indicator", values="value").dropna().sum(axis=1)
    r = int((t > t[CHN]).sum() + 1)
    return claims.unverifiable(
        row,
        f"the article gives no date ('now'), and data/ ranks services trade only among the {len(t)} economies of "
        f"the WDI extract, not the world; there China ranks {r} in {yr}",
    )


@claims.register("S001-004", "S001-005")
def check_recent_growth(row: pd.Series) -> claims.Result:
    st = china_trade()
    y = int(st.index.max())
    col = "growth_total_pct" if row["claim_id"] == "S001-004" else "growth_exports_pct"
    return claims.unverifiable(
        row,
        f"the article gives no period ('recent data'), so no year can be chosen without fitting the claim; for "
        f"reference, WDI's latest year ({y}) shows {pct(st.loc[y, col], 1, sign=True)}",
    )


# --------------------------------------------------------------------------- yuan, e-commerce, enumerations


@claims.register("S002-002", "S002-004", "S003-013")
def check_yuan_levels(row: pd.Series) -> claims.Result:
    return claims.yuan_vs_usd(row, "the US$ series of UNCTAD and WTO")


@claims.register("S002-003")
def check_yuan_growth(row: pd.Series) -> claims.Result:
    w = china_wto()
    g = growth(w.loc[2023, "total_bn"], w.loc[2024, "total_bn"])
    return claims.unverifiable(
        row,
        f"a growth rate in yuan; {claims.NO_FX_RATE}, and growth in US$ differs from growth in yuan by the change "
        f"in the exchange rate (WTO DDS in US$: {pct(g, 1, sign=True)} in 2024)",
    )


claims.not_checkable("China's international competitiveness ranking is not measured by any table in data/", "S000-064")
claims.not_checkable(
    "a headline's order of magnitude ('trillion-dollar opportunity'), not a measured value", "S001-001"
)
claims.not_checkable("an enumeration count (the 'pillars' of a trade power), not a statistic", "S001-003", "S002-001")
claims.not_checkable(
    "no period stated, and data/ has no decomposition of foreign-trade growth by contribution", "S001-006"
)
claims.not_checkable(
    "a growth rate in yuan of cross-border e-commerce; data/ has no e-commerce table and no exchange rate",
    "S002-005",
    "S003-014",
)
claims.not_checkable("data/ has no cross-border e-commerce table", "S003-009", "S003-010", "S003-011", "S003-012")
