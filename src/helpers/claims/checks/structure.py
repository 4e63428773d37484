"""Claim checks of the structure chapter: the seeds' figures on the composition of China's services trade.

Every claim of ``data/claims.csv`` whose chapter is ``structure`` is registered here, with a check or the
reason it cannot be checked. The claims are about China, so the checks use China's data whatever the focus
of the page. :data:`CLAIM_GROUPS` are the tables the page shows them in (each claim in exactly one).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import text
from helpers.analysis import structure as an
from helpers.claims import core as claims
from helpers.data import datastore

CHN = "CHN"
WDI_SRC = "World Bank, World Development Indicators (data/wdi.csv)"
UNCTAD_SRC = "UNCTAD, digitally deliverable services trade (data/unctad_dds.csv)"
WTO_SRC = "WTO, Digitally Delivered Services dataset 2026 (data/wto_dds_2026.csv)"
LEVEL_NOTE = (
    "category levels = WDI share of commercial services × total services (balance of payments), which "
    "spreads government services pro rata (an approximation)"
)
INTERVIEW_YEAR = 2021  # the third policy article: interviews at the 2022 Services Fair; latest full year then

CLAIM_GROUPS: dict[str, tuple[str, ...]] = {
    "traditional": ("S000-068", "S000-069", "S000-071", "S000-072", "S000-073", "S000-074", "S001-008"),
    "knowledge": ("S000-004", "S000-005", "S000-065", "S000-070", "S001-007", "S004-008"),
    "digital": ("S000-077", "S003-002", "S003-005", "S003-008", "S003-018", "S003-023", "S003-024"),
}


# --------------------------------------------------------------------------- China's data


def tables() -> dict[str, pd.DataFrame]:
    return {
        "wdi": datastore.load_table("wdi"),
        "unctad": datastore.load_table("unctad_dds"),
        "wto_2026": datastore.load_table("wto_dds_2026"),
    }


@datastore.derived("wdi")
def china_composition() -> pd.DataFrame:
    return an.composition(datastore.load_table("wdi"), CHN)


@datastore.derived("wdi", "unctad_dds", "wto_dds_2026")
def china_share(year: int, source: str, flows=("exports", "imports")) -> float:
    """China's digitally delivered (WTO) or deliverable (UNCTAD) share of its services trade in ``year`` (%)."""
    return an.trade_share(CHN, year, source, flows=flows, **tables())


@datastore.derived("wdi", "unctad_dds", "wto_dds_2026")
def china_proxies() -> pd.DataFrame:
    return an.knowledge_proxies(CHN, **tables())


def _services_value(year: int, flow: str) -> float:
    w = an.wdi_wide(datastore.load_table("wdi"), [an.total_code(flow)], [CHN], (year, year))
    return float(w[an.total_code(flow)].iloc[0]) if len(w) else float("nan")


def claim_year(row: pd.Series) -> int:
    y = str(row["year"])
    if not y[:4].isdigit():
        raise ValueError(f"claim {row['claim_id']} has no single year ({row['year']!r})")
    return int(y[:4])


def traditional_import_shares() -> pd.Series:
    """Transport + travel as % of China's commercial service imports, by year."""
    c = china_composition()
    return c[(c["flow"] == "imports") & (c["group"] == "traditional")].groupby("year")["share_pct"].sum()


# --------------------------------------------------------------------------- the deficit and traditional services


@claims.register("S000-068")
def check_deficit(row: pd.Series) -> claims.Result:
    y = claim_year(row)
    x, m = _services_value(y, "exports"), _services_value(y, "imports")
    x1, m1 = _services_value(y + 1, "exports"), _services_value(y + 1, "imports")
    nxt = f"; for reference, the BoP deficit of {y + 1} is {text.usd(m1 - x1)}" if not np.isnan(x1 + m1) else ""
    return claims.compare(
        row,
        (m - x) / 1e9,
        method=f"China's services imports minus exports in {y}, balance of "
        "payments (WDI), US$ bn; the seed's figure is from Chinese services-trade statistics, which "
        f"differ from the BoP series{nxt}",
        source=WDI_SRC,
    )


@claims.register("S000-069")
def check_deficit_traditional(row: pd.Series) -> claims.Result:
    y = claim_year(row)
    bal = an.balance_by_category(china_composition().query("year == @y"))
    total = bal["balance_usd"].sum()
    trav = bal.loc[bal["category"].isin(["transport", "travel"]), "balance_usd"].sum()
    value = 100.0 * trav / total if total < 0 else float("nan")
    return claims.compare(
        row,
        value,
        method=f"travel + transport net debit as % of China's total services deficit "
        f"in {y}; {LEVEL_NOTE}. Above 100 % means the other categories together were in surplus",
        source=WDI_SRC,
    )


@claims.register("S000-071")
def check_traditional_imports(row: pd.Series) -> claims.Result:
    year = claim_year(claims.claim("S000-068"))  # the paragraph's year ("In 2023, China's service trade deficit ...")
    s = traditional_import_shares()
    above = s[s > 50]
    return claims.compare(
        row,
        float(s.get(year, np.nan)),
        method=(
            f"transport + travel as % of China's commercial service imports (WDI) in {year}, the year of the paragraph "
            f"(the sentence states none); above 50 % in {len(above)} of the {len(s)} years "
            f"{int(s.index.min())}–{int(s.index.max())}. Share of commercial, not total, services"
        ),
        source=WDI_SRC,
    )


@claims.register("S000-072")
def check_traditional_imports_long(row: pd.Series) -> claims.Result:
    s = traditional_import_shares()
    # "for a long time": the lowest share over every year the data have
    return claims.compare(
        row,
        float(s.min()),
        method=(
            f"lowest transport + travel share of China's commercial service imports over all years in the data "
            f"({int(s.index.min())}–{int(s.index.max())}; minimum in {int(s.idxmin())}); 'for a long time' read as every "
            "year available"
        ),
        source=WDI_SRC,
    )


def _travel(flow: str) -> pd.Series:
    c = china_composition()
    return c[(c["flow"] == flow) & (c["category"] == "travel")].set_index("year")["level_usd"].sort_index()


@claims.register("S000-073")
def check_travel_imports_growth(row: pd.Series) -> claims.Result:
    y = claim_year(row)
    t = _travel("imports")
    value = text.growth(float(t.loc[y - 1]), float(t.loc[y])) if {y - 1, y} <= set(t.index) else float("nan")
    return claims.compare(
        row,
        value,
        method=f"growth of China's travel imports {y - 1}→{y}, US$; {LEVEL_NOTE}; the "
        "seed's figure is from Chinese services-trade statistics",
        source=WDI_SRC,
    )


claims.not_checkable(
    "WDI publishes no maintenance-and-repair series: goods-related services exist only inside the computed "
    "remainder category, together with other items",
    "S000-074",
)


@claims.register("S001-008")
def check_travel_exports_growth(row: pd.Series) -> claims.Result:
    t = _travel("exports")
    last = int(t.index.max())
    g = text.growth(float(t.loc[last - 1]), float(t.loc[last]))
    return claims.unverifiable(
        row,
        (
            f"the article states no period ('recent data'), so there is no year to compare. For context, China's travel "
            f"exports (WDI share × total) grew {text.pct(g)} in {last}"
        ),
    )


# --------------------------------------------------------------------------- knowledge-intensive services


def _proxy_text(p: pd.DataFrame, basis: str, years) -> str:
    parts = []
    for proxy, short in (
        (an.PROXY_MODERN, "WDI modern-services share"),
        (an.PROXY_DDS, "UNCTAD digitally deliverable share"),
    ):
        vals = []
        for y in years:
            v = p[(p["basis"] == basis) & (p["proxy"] == proxy) & (p["year"] == y)]["share_pct"]
            vals.append(f"{text.pct(float(v.iloc[0]) if len(v) else float('nan'))} ({y})")
        parts.append(f"{short} {' → '.join(vals)}")
    return "; ".join(parts)


KNOWLEDGE_REASON = (
    "'knowledge-intensive services' is a Ministry of Commerce aggregate whose values and category "
    "list are not in data/; proxies of {basis} for context (not the same concept): {proxies}"
)


def _knowledge_check(basis: str):
    def fn(row: pd.Series) -> claims.Result:
        p = china_proxies()
        both = p[p["basis"] == basis].groupby("year")["proxy"].nunique()
        covered = sorted(int(y) for y in both[both == 2].index)
        ys = [y for y in an.row_years(row["year"]) if y in covered]
        if ys:
            prox = _proxy_text(p, basis, ys)
        elif covered:
            why = "no year stated" if not an.row_years(row["year"]) else "the period is beyond the data"
            prox = f"{why}; latest year with both proxies: {_proxy_text(p, basis, [covered[-1]])}"
        else:
            prox = "no proxy can be computed"
        return claims.unverifiable(row, KNOWLEDGE_REASON.format(basis=basis, proxies=prox))

    return fn


claims.register("S000-004")(_knowledge_check("exports + imports"))
claims.register("S000-005")(_knowledge_check("exports"))
claims.register("S000-070")(_knowledge_check("exports"))
claims.register("S001-007")(_knowledge_check("exports + imports"))
claims.register("S004-008")(_knowledge_check("exports + imports"))
claims.not_checkable(
    "no year, and the share is attributed to the pilot free trade zones; no table has services trade of the pilot "
    "zones or the Ministry of Commerce's knowledge-intensive aggregate",
    "S000-065",
)


# --------------------------------------------------------------------------- digitally delivered / deliverable shares


@claims.register("S000-077")
def check_dds_share_2023(row: pd.Series) -> claims.Result:
    y = claim_year(row)
    t = datastore.load_table("wto_dds_2026")
    t = t[(t["iso3"] == CHN) & (t["sector_code"] == "DDS") & (t["year"] == y)]
    tot = (_services_value(y, "exports") + _services_value(y, "imports")) / 1e9
    own = 100 * claims.stated("S000-075") / claims.stated("S000-062")
    return claims.compare(
        row,
        china_share(y, "wto"),
        method=(
            f"WTO digitally delivered services, China exports + imports {y} ({text.usd(t['value_usd_mn'].sum() * 1e6)}) / "
            f"WDI services exports + imports ({text.usd(tot * 1e9)}). Robustness: UNCTAD digitally deliverable (all "
            f"modes) gives {text.pct(china_share(y, 'unctad'))}. The seed's own levels (S000-075 / S000-062) give "
            f"{text.pct(own)}: the gap comes from the sources (Chinese statistics vs WTO and balance-of-payments data)"
        ),
        source=f"{WTO_SRC}; {WDI_SRC}",
    )


@claims.register("S003-002")
def check_digital_trade_share_2021(row: pd.Series) -> claims.Result:
    y = INTERVIEW_YEAR
    return claims.compare(
        row,
        china_share(y, "unctad"),
        method=(
            f"no year stated; the interview is from the 2022 Services Fair, so {y}, the latest full year then. UNCTAD "
            f"digitally deliverable services (exports + imports) / WDI services trade. Robustness: {y - 1} gives "
            f"{text.pct(china_share(y - 1, 'unctad'))}; WTO digitally delivered {y} gives {text.pct(china_share(y, 'wto'))}"
        ),
        source=f"{UNCTAD_SRC}; {WDI_SRC}",
    )


@claims.register("S003-005")
def check_digitised_export_share(row: pd.Series) -> claims.Result:
    y = INTERVIEW_YEAR
    u = datastore.load_table("unctad_dds")
    years = sorted(set(u.loc[(u["iso3"] == CHN) & (u["flow"] == "exports"), "year"].astype(int)))
    series = {yy: china_share(yy, "unctad", ("exports",)) for yy in years}
    above = [yy for yy, v in series.items() if v > 50]
    return claims.compare(
        row,
        series.get(y, float("nan")),
        method=(
            f"no year stated; interview of 2022, so {y}. UNCTAD digitally deliverable exports / WDI service exports; "
            f"above 50 % in {text.year_ranges(above) if above else 'no year'}; WTO digitally delivered exports give "
            f"{text.pct(china_share(y, 'wto', ('exports',)))} in {y}"
        ),
        source=f"{UNCTAD_SRC}; {WDI_SRC}",
    )


def span_values(claim_id: str, source: str = "unctad") -> tuple[tuple[int, int], tuple[float, float]]:
    """Years (from the register) and China's shares (%) for the from-to digital-trade claims."""
    ys = an.row_years(claims.claim(claim_id)["year"])
    if len(ys) != 2:
        raise ValueError(f"claim {claim_id} needs a from-to period, got {claims.claim(claim_id)['year']!r}")
    return (ys[0], ys[1]), (china_share(ys[0], source), china_share(ys[1], source))


@claims.register("S003-008", "S003-018")
def check_span(row: pd.Series) -> claims.Result:
    years, vals = span_values(row["claim_id"])
    _, wto = span_values(row["claim_id"], "wto")
    return claims.compare_pair(
        row,
        vals[0],
        vals[1],
        method=(
            "UNCTAD digitally deliverable services (exports + imports) / WDI services trade, the closest concept in the "
            f"data to the speakers' 'digital (service) trade'; WTO digitally delivered gives {text.pct(wto[0])} → "
            f"{text.pct(wto[1])}; years {years[0]} and {years[1]}"
        ),
        source=f"{UNCTAD_SRC}; {WDI_SRC}",
    )


claims.not_checkable(
    "ICT exports under commercial presence (Mode 3) come from foreign-affiliates statistics; the tables in data/ "
    "are balance-of-payments (Mode 1, 2 and 4) and UNCTAD/WTO cross-border estimates",
    "S003-023",
    "S003-024",
)
