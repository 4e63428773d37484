"""Claim checks of the global_trends chapter: Table 1 of the main study (world exports of goods, services
and digitally delivered services, 2019–2025), the text's figures for digitally delivered exports, a seed's
world share of digital service trade, and the figures no table in data/ can check.

* growth rates: recomputed from Table 1's own levels (the first year: from the same-concept WTO series
  where one exists);
* levels: against same-concept WTO figures, each with its own rounding (:func:`interval_result`).
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis import trends
from helpers.claims import core as claims
from helpers.data import datastore
from helpers.text import growth, listing, num, pct

TABLE1_IDS = tuple(f"S000-{i:03d}" for i in range(8, 50))
TEXT_CLAIMS = ("S000-006", "S000-007")
SHARE_CLAIMS = ("S003-019",)
QUOTED_CLAIMS = ("S000-050", "S000-051", "S000-052", "S000-057", "S000-058")


def growth_claim_ids(t1: pd.DataFrame) -> list[str]:
    """Table 1's growth claims, year by year (goods, services, digitally delivered services)."""
    return list(_by_year(t1)["growth_claim"].dropna())


def level_claim_ids(t1: pd.DataFrame) -> list[str]:
    return list(_by_year(t1)["level_claim"].dropna())


def _by_year(t1: pd.DataFrame) -> pd.DataFrame:
    order = {s: i for i, s in enumerate(trends.SERIES)}
    return t1.sort_values(["year", "series"], key=lambda c: c.map(order) if c.name == "series" else c)


def chapter_claims(t1: pd.DataFrame) -> tuple[str, ...]:
    """Every claim the chapter shows, in the order of the page."""
    return tuple(growth_claim_ids(t1)) + tuple(level_claim_ids(t1)) + TEXT_CLAIMS + SHARE_CLAIMS + QUOTED_CLAIMS


@datastore.derived("seed_values")
def table1_growth() -> pd.DataFrame:
    """Table 1 with its growth recomputed, once per content of data/seed_values.csv (every check reads it)."""
    return trends.recompute_growth(trends.table1())


def _seed_row(claim_id: str) -> pd.Series:
    sv = datastore.load_seed_table()
    hit = sv[sv["claim_id"] == claim_id]
    if hit.empty:
        raise datastore.DataRequestError(f"claim {claim_id} has no row in data/seed_values.csv")
    return hit.iloc[0]


def _series_of(series_id: str) -> str:
    base = series_id.removesuffix("_growth")
    for s, sid in trends.SEED_SERIES.items():
        if sid == base:
            return s
    raise datastore.DataRequestError(f"{series_id} is not a Table 1 series")


def interval_result(row: pd.Series, refs: list[tuple[float, float, str]], *, method: str, source: str) -> claims.Result:
    """A level claim against one or more published reference figures of the same concept (``refs``: value
    in the claim's unit, the half-width of its own rounding, label), each judged by the one rule
    (:func:`helpers.claims.core.compare`, a coarse reference can refute but not confirm). Consistent if any
    reference agrees (WTO revises between releases), inconsistent if every reference refutes the claim,
    otherwise not checkable; ``computed`` is the closest reference."""
    stated = float(row["value"])
    parts = "; ".join(f"{lab}: {num(v, 1)} (gap {pct(100 * (stated / v - 1), 1, sign=True)})" for v, t, lab in refs)
    verdicts = [
        claims.compare(row, v, method=f"{method} — {parts}", source=source, reference_rounding=t) for v, t, _ in refs
    ]
    for status in (claims.CONSISTENT, claims.NOT_CHECKABLE_STATUS, claims.INCONSISTENT):
        hits = [r for r in verdicts if r.status == status]
        if hits:
            return min(hits, key=lambda r: abs(r.computed - stated))
    raise AssertionError("no reference")  # pragma: no cover - callers pass at least one


@claims.register(*TABLE1_IDS)
def check_table1(row: pd.Series) -> claims.Result:
    """Table 1 cells. Growth rates: recomputed from the table's own levels (first year: from the
    same-concept independent series, where one exists). Levels: against same-concept WTO figures."""
    sv = _seed_row(row["claim_id"])
    series, year = _series_of(sv["series_id"]), int(sv["year"])
    if sv["series_id"].endswith("_growth"):
        rec = table1_growth()
        r = rec[(rec["series"] == series) & (rec["year"] == year)].iloc[0]
        if not pd.isna(r["growth_recomputed"]):
            return claims.compare(
                row,
                float(r["growth_recomputed"]),
                method=f"growth recomputed from Table 1's own levels ({year - 1} → {year})",
                source="data/seed_values.csv (Table 1)",
            )
        return _first_year_growth(row, series, year)
    return _level_check(row, series, year)


def _first_year_growth(row: pd.Series, series: str, year: int) -> claims.Result:
    if series == "dds":
        v = trends.wto_dds_world()
        if year - 1 in v.index and year in v.index:
            return claims.compare(
                row,
                growth(v[year - 1], v[year]),
                method=f"Table 1 has no {year - 1} level; growth of World DDS exports in the WTO "
                f"DDS dataset (same concept) instead",
                source="data/wto_dds_exports.csv (WTO)",
            )
        return claims.unverifiable(
            row, f"Table 1 has no {year - 1} level and the WTO DDS dataset has no {year - 1}-{year} pair"
        )
    v = trends.wdi_world(series)
    ref = ""
    if year - 1 in v.index and year in v.index:
        ref = (
            f"; for reference, WDI's {'goods' if series == 'goods' else 'all-services'} exports (BoP) changed by "
            f"{pct(growth(v[year - 1], v[year]), 1, sign=True)}"
        )
    what = "merchandise" if series == "goods" else "services"
    return claims.unverifiable(
        row,
        f"Table 1 has no {year - 1} level, and data/ holds no WTO {what} series for {year - 1}-{year} of the "
        f"study's concept{ref}, which measures a different basis",
    )


def _level_check(row: pd.Series, series: str, year: int) -> claims.Result:
    unit = trends.SEED_UNIT_PER_BN
    refs: list[tuple[float, float, str]] = []
    if series == "dds":
        v = trends.wto_dds_world()
        if year in v.index:
            refs.append((v[year] * unit, 0.5e-3 * unit, "WTO DDS dataset (2026 release)"))
        v26 = trends.wto_dds_world_2026_exports()
        if year in v26.index and year not in v.index:
            refs.append((v26[year] * unit, 0.5e-3 * unit, "WTO DDS 2026 bulk file"))
    h = trends.headline_levels()
    h = h[(h["series"] == series) & (h["year"] == year)]
    if series in ("goods", "dds"):
        for r in h.itertuples():
            refs.append((r.value_bn * unit, 0.5 * 10 ** (-r.value_decimals) * 1000 * unit, f"{r.report}"))
    if not refs:
        return claims.unverifiable(row, _no_reference_reason(series, year, float(row["value"])))
    what = {
        "goods": "WTO world merchandise trade (headline), the concept of the study's source",
        "dds": "World exports of digitally delivered services, WTO (same concept)",
    }[series]
    if series == "dds":
        rv = trends.dds_revisions()
        if not rv.empty:
            what += (
                "; WTO revises these estimates between releases: the 2026 dataset differs from its own "
                "headlines by " + listing([f"{pct(r.revision_pct, 1, sign=True)} ({r.year})" for r in rv.itertuples()])
            )
    return interval_result(row, refs, method=what, source="data/wto_dds_exports.csv; data/wto_headlines.csv (WTO)")


def _no_reference_reason(series: str, year: int, stated_100m: float) -> str:
    stated_bn = stated_100m / trends.SEED_UNIT_PER_BN
    if series == "dds":
        d = datastore.load_table("wto_dds_2026")
        flows = sorted(set(d.loc[(d["iso3"] == "WLD") & (d["year"] == year), "flow"]))
        bulk = (
            f"the 2026 bulk file holds World {listing(flows)} for {year}, not exports"
            if flows
            else f"the 2026 bulk file has no World value for {year}"
        )
        return (
            f"no World DDS export value for {year} in data/ (the WTO dataset ends in "
            f"{int(trends.wto_dds_world().index.max())}; {bulk})"
        )
    v = trends.wdi_world(series)
    ref = ""
    if year in v.index:
        ref = (
            f"; WDI's BoP figure is {num(v[year], 1)} bn (Table 1 {pct(100 * (stated_bn / v[year] - 1), 1, sign=True)})"
        )
    if series == "goods":
        return (
            f"no WTO merchandise figure for {year} in data/; WDI measures goods on a balance-of-payments basis, "
            f"not the merchandise-trade basis of WTO{ref}"
        )
    pos = trends.services_position()
    between = pos[pos["between"]]["year"].tolist()
    outside = pos[~pos["between"]]["year"].tolist()
    where = (
        (
            f"in {listing([str(y) for y in between])} (the years with both) the study's figure lies between WTO's "
            "commercial services (narrower) and WDI's all services"
        )
        if between
        else "no year has both a WTO commercial-services headline and a WDI value"
    )
    if outside:
        where += f"; not in {listing([str(y) for y in outside])}"
    return "the study's 'service exports' cannot be matched to one concept in data/: " + where + ref


@claims.register("S000-006")
def check_dds_2020_text(row: pd.Series) -> claims.Result:
    rec = table1_growth()
    r = rec[(rec["series"] == "dds") & (rec["year"] == 2020)].iloc[0]
    return claims.compare(
        row,
        float(r["growth_recomputed"]),
        method="growth recomputed from Table 1's levels (2019 → 2020); the same figure as Table 1's stated rate",
        source="data/seed_values.csv (Table 1)",
    )


@claims.register("S000-007")
def check_dds_2025_text(row: pd.Series) -> claims.Result:
    t1 = trends.table1()
    v = t1[(t1["series"] == "dds") & (t1["year"] == 2025)]["level_100m"]
    if v.empty:
        return claims.unverifiable(row, "Table 1 has no 2025 value")
    return claims.compare(
        row,
        float(v.iloc[0]) / trends.SEED_UNIT_PER_BN,
        method="the text's figure against Table 1's 2025 level (US$ 100 million → billion); no "
        "independent World DDS export value for 2025 exists in data/",
        source="data/seed_values.csv (Table 1)",
    )


@claims.register("S003-019")
def check_world_digital_share(row: pd.Series) -> claims.Result:
    """World digital(ly deliverable) service trade as % of services trade, 2020: UNCTAD DDS / WDI services."""
    year = int(row["year"])
    u = datastore.load_table("unctad_dds")
    u = u[(u["iso3"] == "WLD") & (u["year"] == year)].set_index("flow")["value_usd_mn"]
    w = datastore.load_wdi(["BX.GSR.NFSV.CD", "BM.GSR.NFSV.CD"], "WLD", (year, year), wide=True).iloc[0]
    if len(u) < 2:
        return claims.unverifiable(row, f"UNCTAD has no World exports and imports for {year}")
    trade = 100 * (u["exports"] + u["imports"]) * 1e6 / (w["BX.GSR.NFSV.CD"] + w["BM.GSR.NFSV.CD"])
    exports_only = 100 * u["exports"] * 1e6 / w["BX.GSR.NFSV.CD"]
    return claims.compare(
        row,
        float(trade),
        method=f"World digitally deliverable services trade (UNCTAD, exports + imports) as % of World "
        f"services trade (WDI, BoP), {year}; exports alone give {pct(exports_only, 1)} — "
        "two compilations of BoP data, not the speaker's own source",
        source="data/unctad_dds.csv (UNCTAD); data/wdi.csv (World Bank)",
    )


claims.not_checkable(
    "no table in data/ measures the size of economies' digital economy or the digital-economy market; "
    "quoted, not verified",
    "S000-050",
    "S000-051",
    "S000-052",
)
claims.not_checkable(
    "data/ has no bilateral digital services trade (the WTO and UNCTAD tables give each economy's trade with "
    "the World), so growth of trade among RCEP members cannot be computed; 'non-member countries' is also "
    "undefined; quoted, not verified",
    "S000-057",
    "S000-058",
)
