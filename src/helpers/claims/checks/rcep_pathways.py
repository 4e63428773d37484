"""Claim checks of the rcep_pathways chapter: the study's framing statements, the counted lists of the source
texts, and the Guizhou provincial targets (not checkable; national figures given as context)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from helpers import text
from helpers.claims import core as claims
from helpers.data import datastore as ds

CLAIM_IDS = (
    "S000-001",
    "S000-002",
    "S000-066",
    "S000-067",
    "S000-085",
    "S002-007",
    "S003-003",
    "S003-004",
    "S004-001",
    "S004-002",
    "S004-003",
    "S004-004",
    "S004-005",
    "S004-006",
    "S004-007",
)
GUIZHOU_TARGETS = ("S004-004", "S004-006", "S004-003", "S004-005", "S004-007")
NO_FIGURE = "no national figure in data/"


@claims.register("S000-001")
def check_china_largest_developing(row: pd.Series) -> claims.Result:
    """'Largest developing country in the region': China's GDP rank among RCEP members that the World Bank
    does not classify as high income."""
    w = ds.load_wdi("NY.GDP.MKTP.CD", countries=list(ds.RCEP))
    year = int(w.groupby("iso3")["year"].max().min())
    groups = ds.country_groups()
    dev = [c for c in ds.RCEP if c not in groups["high_income_rcep"]]
    g = w[(w["year"] == year) & w["iso3"].isin(dev)].set_index("iso3")["value"].sort_values(ascending=False)
    rank = float(list(g.index).index("CHN") + 1)
    return claims.compare(
        row,
        rank,
        method=(
            f"rank of China's GDP (current US$, {year}) among the {len(g)} RCEP "
            "members the World Bank does not classify as high income ('developing' "
            "read as not high income)"
        ),
        source="WDI NY.GDP.MKTP.CD; data/countries.csv",
    )


@claims.register("S000-002")
def check_rcep_largest_fta(row: pd.Series) -> claims.Result:
    w = ds.load_wdi(["NY.GDP.MKTP.CD", "SP.POP.TOTL"], countries=[*ds.RCEP, "WLD"], wide=True)
    year = int(w.dropna().groupby("iso3")["year"].max().min())
    y = w[w["year"] == year].set_index("iso3")
    gdp = 100 * y.loc[list(ds.RCEP), "NY.GDP.MKTP.CD"].sum() / y.loc["WLD", "NY.GDP.MKTP.CD"]
    pop = 100 * y.loc[list(ds.RCEP), "SP.POP.TOTL"].sum() / y.loc["WLD", "SP.POP.TOTL"]
    return claims.unverifiable(
        row,
        (
            "a rank among free trade areas needs the members of the others (USMCA, EU, CPTPP, AfCFTA...), which data/ "
            f"does not hold, and 'largest' is not defined (GDP, trade, population, members). Context: RCEP members had "
            f"{text.pct(gdp, 1)} of world GDP and {text.pct(pop, 1)} of world population in {year} (WDI)"
        ),
    )


claims.not_checkable(
    "no table in data/ records China's negative list for cross-border services trade, its areas "
    "or an 'opening dividend' (which the study does not define)",
    "S000-066",
    "S000-067",
)
claims.not_checkable(
    "a count of items in the text's own argument (an enumeration), not a statistic that data "
    "could confirm; the items themselves are listed in the source text",
    "S000-085",
    "S002-007",
    "S003-003",
    "S003-004",
)
claims.not_checkable(
    "a count of tasks/aspects in a Guizhou provincial policy document, which is not in data/", "S004-001", "S004-002"
)


def context_inputs() -> dict[str, pd.DataFrame]:
    return {
        "wdi": ds.load_table("wdi"),
        "unctad": ds.load_unctad_dds("exports"),
        "unctad_imports": ds.load_unctad_dds("imports"),
    }


def national_context(inputs: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """China's national figures put next to Guizhou's targets (context, not checks)."""
    w = inputs["wdi"]
    w = w[w["iso3"] == "CHN"]
    serv = (
        w[w["indicator"].isin(["BX.GSR.NFSV.CD", "BM.GSR.NFSV.CD"])]
        .pivot_table(index="year", columns="indicator", values="value")
        .dropna()
    )
    serv_tot = serv.sum(axis=1).sort_index()
    un = inputs["unctad"]
    un = un[un["iso3"] == "CHN"].set_index("year")["value_usd_mn"] * 1e6
    imp = inputs["unctad_imports"]
    imp = imp[imp["iso3"] == "CHN"].set_index("year")["value_usd_mn"] * 1e6
    dds = (un + imp).dropna()
    common = sorted(set(dds.index) & set(serv_tot.index))
    out = {}
    if common:
        y = common[-1]
        share = 100 * dds.loc[y] / serv_tot.loc[y]
        s = f"China, DDS share of services trade: {text.pct(share, 1)} ({y}; UNCTAD DDS / WDI services, both flows)"
    else:
        s = NO_FIGURE
    out["S004-004"] = out["S004-006"] = s
    if serv_tot.empty:
        out["S004-003"] = out["S004-005"] = out["S004-007"] = NO_FIGURE
        return out
    ly = int(serv_tot.index.max())
    out["S004-003"] = out["S004-005"] = (
        f"China, services trade: {text.usd(serv_tot.loc[ly], 'bn')} ({ly}; WDI, "
        "exports + imports; US$, not CNY, and national)"
    )
    fy = ly - 5
    if fy in serv_tot.index:
        g = text.cagr(serv_tot.loc[fy], serv_tot.loc[ly], 5)
        out["S004-007"] = f"China, services trade growth {fy}–{ly}: {text.pct(g, 1)} a year (WDI, US$, national)"
    else:
        out["S004-007"] = NO_FIGURE
    return out


def check_guizhou_target(row: pd.Series) -> claims.Result:
    ctx = national_context(context_inputs())
    return claims.unverifiable(
        row,
        (
            "a provincial target for the future: data/ has no provincial series. National "
            f"context (not a check): {ctx[row['claim_id']]}"
        ),
    )


for _cid in GUIZHOU_TARGETS:
    claims.register(_cid)(check_guizhou_target)
