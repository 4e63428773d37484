"""Global trends: Table 1 of the study recomputed, cross-checked, and the leading exporters.

Everything the chapter ``global_trends`` shows is computed here:

* :func:`table1` / :func:`recompute_growth` — Table 1 of the main study (world exports of goods,
  services and digitally delivered services, 2019–2025, US$ 100 million) with its stated growth rates
  against the growth recomputed from its own levels;
* :func:`index_series`, :func:`dds_share`, :func:`cagr_table`, :func:`window_robustness` — the charts
  of section 2 and the verdict on "digital delivery outpaces goods and services";
* :func:`independent_world`, :func:`crosscheck` — the same three series from sources independent of
  the study (WDI, the WTO digitally-delivered-services dataset, WTO headline figures);
* :func:`ict_leaders`, :func:`rcep_members_missing`, :func:`unctad_leaders`, :func:`china_rank` — the
  "multipolar" pattern: leading ICT-services exporters within the WDI extract and the world ranking of
  digitally *deliverable* services exporters (UNCTAD);
* the checks of every claim of the chapter (registered with :mod:`helpers.claims.core` at import).

Units: internally every level is in US$ billion; :data:`UNITS` converts for display.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import altair as alt
import numpy as np
import pandas as pd

from helpers.book import charts
from helpers.claims import core as claims
from helpers.data import datastore
from helpers.text import cagr, growth, listing, num, pct

# --------------------------------------------------------------------------- constants

SERIES = ("goods", "services", "dds")
SEED_SERIES = {"goods": "world_goods_exports", "services": "world_services_exports", "dds": "world_dds_exports"}
LABELS = {"goods": "Goods", "services": "Services", "dds": "Digitally delivered services"}
# display unit -> (label, factor from US$ billion)
UNITS = {"usd_bn": ("US$ billion", 1.0), "usd_100m": ("US$ 100 million", 10.0)}
SEED_UNIT_PER_BN = 10.0  # Table 1 is in US$ 100 million: 1 bn = 10 x 100 mn
GROWTH_DECIMALS = 1  # Table 1 prints growth rates with one decimal

# Sources independent of the study
SRC_TABLE1 = "Study, Table 1"
SRC_WDI = "WDI (BoP)"
SRC_WTO_DDS = "WTO DDS dataset"
SRC_WTO_HEAD = "WTO headline"
WDI_CODES = {"goods": "BX.GSR.MRCH.CD", "services": "BX.GSR.NFSV.CD"}
# WTO headline metrics (data/wto_headlines.csv) of the same or a neighbouring concept, by series
HEADLINE_METRICS = {
    "goods": "World merchandise trade value",
    "services": "World commercial services trade value",
    "dds": "World exports of digitally delivered services",
}
HEADLINE_GROWTH_METRICS = {
    "goods": ("World merchandise trade value",),
    "services": ("World commercial services trade value", "World commercial services trade growth"),
    "dds": ("World exports of digitally delivered services",),
}
CONCEPTS = {
    "goods": "WDI: goods exports on a balance-of-payments basis (change of ownership). WTO headline: "
             "'world merchandise trade', WTO's merchandise trade statistics (goods crossing borders).",
    "services": "WDI: all services exports (BoP, including government goods and services n.i.e.). WTO headline: "
                "'commercial services', which leave out government services — a narrower concept.",
    "dds": "WTO DDS dataset and headlines: services delivered across borders over computer networks (Mode 1 "
           "estimates) — the concept of the study's third column.",
}

ICT_CODE = "BX.GSR.CCIS.CD"
AGGREGATES = ("WLD", "SSF")


class TrendsParameterError(ValueError):
    """A combination of the chapter's parameters that the analysis cannot use."""


# --------------------------------------------------------------------------- parameters


def check_params(p: Mapping) -> None:
    """Cross-parameter rules of the chapter, checked before any work (clear message)."""
    if p["start_year"] >= p["end_year"]:
        raise TrendsParameterError(
            f"chapter 'global_trends', parameter 'start_year': {p['start_year']} must be before end_year "
            f"({p['end_year']}) — growth rates need at least two years")
    if p["unit"] not in UNITS:
        raise TrendsParameterError(f"parameter 'unit': {p['unit']!r}; allowed: {', '.join(UNITS)}")
    hs = p.get("history_start")
    if hs is not None and hs >= p["end_year"]:
        raise TrendsParameterError(
            f"chapter 'global_trends', parameter 'history_start': {hs} must be before end_year ({p['end_year']})")


def unit_label(unit: str) -> str:
    return UNITS[unit][0]


def to_unit(values_bn, unit: str):
    """US$ billion -> the display unit."""
    return values_bn * UNITS[unit][1]


# --------------------------------------------------------------------------- Table 1


@datastore.derived("seed_values")
def table1() -> pd.DataFrame:
    """Table 1 in long form: series, year, level_100m, growth_stated, level_claim, growth_claim."""
    ids = [SEED_SERIES[s] for s in SERIES] + [SEED_SERIES[s] + "_growth" for s in SERIES]
    raw = datastore.load_seed_table(ids)
    raw = raw.assign(year=raw["year"].astype(int))
    units = set(raw.loc[~raw["series_id"].str.endswith("_growth"), "unit"])
    if units != {"usd_100m"}:
        raise datastore.DataRequestError(f"Table 1 levels in data/seed_values.csv should be usd_100m, got {units}")
    rows = []
    for s in SERIES:
        lv = raw[raw["series_id"] == SEED_SERIES[s]].set_index("year")
        gr = raw[raw["series_id"] == SEED_SERIES[s] + "_growth"].set_index("year")
        for y in sorted(lv.index):
            rows.append({"series": s, "year": int(y), "level_100m": float(lv.loc[y, "value"]),
                         "growth_stated": float(gr.loc[y, "value"]) if y in gr.index else np.nan,
                         "level_claim": lv.loc[y, "claim_id"], "growth_claim": gr.loc[y, "claim_id"]
                         if y in gr.index else None})
    return pd.DataFrame(rows)


def recompute_growth(t1: pd.DataFrame, decimals: int = GROWTH_DECIMALS) -> pd.DataFrame:
    """Add ``growth_recomputed`` (from the previous year's level of the same series, %), the
    difference in pp and ``agrees`` (True/False; NA where the table has no previous level).

    The rule is the claims checker's 'exact' rule: agreement within half a unit of the last digit
    stated (0.05 for one decimal).
    """
    out = []
    tol = claims.tolerance(decimals)
    for _, g in t1.sort_values(["series", "year"]).groupby("series", sort=False):
        g = g.copy()
        prev = g["level_100m"].shift(1)
        consecutive = g["year"].diff() == 1
        rec = np.where(consecutive & prev.notna(), (g["level_100m"] / prev - 1) * 100, np.nan)
        g["growth_recomputed"] = rec
        g["difference_pp"] = g["growth_stated"] - g["growth_recomputed"]
        agrees = (g["difference_pp"].abs() <= tol + 1e-9)
        g["agrees"] = agrees.where(g["growth_recomputed"].notna() & g["growth_stated"].notna(), pd.NA).astype("boolean")
        out.append(g)
    res = pd.concat(out, ignore_index=True)
    order = {s: i for i, s in enumerate(SERIES)}
    return res.sort_values(["series", "year"], key=lambda c: c.map(order) if c.name == "series" else c,
                           ignore_index=True)


def inconsistent_cells(rec: pd.DataFrame) -> pd.DataFrame:
    """Rows where the stated growth disagrees with the levels beyond rounding."""
    return rec[rec["agrees"].fillna(True) == False].reset_index(drop=True)  # noqa: E712


def describe_inconsistencies(rec: pd.DataFrame, years: tuple[int, int] | None = None) -> str:
    """Plain sentence naming every inconsistent cell (optionally only within a window)."""
    bad = inconsistent_cells(rec)
    if years is not None:
        bad = bad[bad["year"].between(*years)]
    if bad.empty:
        return "none: every stated growth rate agrees with the levels to within rounding"
    parts = [f"{LABELS[r.series].lower()} {r.year} (stated {pct(r.growth_stated, 1, sign=True)}, the levels imply "
             f"{pct(r.growth_recomputed, 1, sign=True)})" for r in bad.itertuples()]
    n = len(parts)
    return f"{'one cell' if n == 1 else f'{n} cells'}: " + listing(parts)


def flag_html(agrees) -> str:
    """Short verdict marker for a table cell: symbol, word and colour (never colour alone)."""
    if agrees is None or pd.isna(agrees):
        return '<span class="verdict verdict-neutral">no earlier level</span>'
    return ('<span class="verdict verdict-good">✓ agrees</span>' if bool(agrees) else
            '<span class="verdict verdict-bad">✗ differs</span>')


def table1_display(rec: pd.DataFrame, unit: str, years: tuple[int, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Display frame for the window (one row per series and year, HTML flag) and its CSV twin."""
    label, _ = UNITS[unit]
    factor = 1.0 if unit == "usd_100m" else 1 / SEED_UNIT_PER_BN
    w = rec[rec["year"].between(*years)].copy()
    disp = pd.DataFrame({
        "Series": w["series"].map(LABELS).to_numpy(),
        "Year": w["year"].to_numpy(),
        f"Exports ({label})": (w["level_100m"] * factor).to_numpy(),
        "Growth stated (%)": w["growth_stated"].to_numpy(),
        "Growth from the levels (%)": w["growth_recomputed"].round(2).to_numpy(),
        "Check": [flag_html(a) for a in w["agrees"]],
    })
    csv = pd.DataFrame({"series": w["series"].to_numpy(), "year": w["year"].to_numpy(),
                        f"level_{unit}": (w["level_100m"] * factor).to_numpy(),
                        "growth_stated_pct": w["growth_stated"].to_numpy(),
                        "growth_recomputed_pct": w["growth_recomputed"].round(4).to_numpy(),
                        "agrees": w["agrees"].to_numpy()})
    return disp, csv


def levels_bn(t1: pd.DataFrame) -> pd.DataFrame:
    """Table 1 levels as a wide frame (year x series) in US$ billion."""
    return t1.pivot(index="year", columns="series", values="level_100m")[list(SERIES)] / SEED_UNIT_PER_BN


# --------------------------------------------------------------------------- section 2: index, share, CAGR


def index_series(levels: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Each column divided by its value in ``base_year`` x 100 (wide in, wide out)."""
    if base_year not in levels.index:
        raise datastore.DataRequestError(f"base_year {base_year} is not a year of the series "
                                         f"({levels.index.min()}-{levels.index.max()})")
    base = levels.loc[base_year]
    if (base <= 0).any() or base.isna().any():
        raise ValueError(f"index base {base_year} has non-positive or missing values: {base.to_dict()}")
    return levels.div(base) * 100


def dds_share(levels: pd.DataFrame) -> pd.Series:
    """Digitally delivered services as % of services exports."""
    return 100 * levels["dds"] / levels["services"]


def cagr_table(levels: pd.DataFrame, start: int, end: int) -> pd.Series:
    """Compound annual growth rate (%) of each column between two years."""
    if end <= start:
        raise ValueError(f"CAGR needs end > start, got {start}-{end}")
    return pd.Series({c: cagr(levels.loc[start, c], levels.loc[end, c], end - start) for c in levels.columns})


def outpaces(cagrs: pd.Series, lead: str = "dds", others: Iterable[str] = ("goods", "services")) -> bool:
    """True if ``lead`` grew faster than every one of ``others``."""
    return all(cagrs[lead] > cagrs[o] for o in others)


def window_robustness(levels: pd.DataFrame, years: Iterable[int] | None = None) -> pd.DataFrame:
    """Every sub-window (a, b), a < b, of the given years: CAGRs and whether DDS outpaces both."""
    ys = sorted(levels.index if years is None else years)
    rows = []
    for i, a in enumerate(ys):
        for b in ys[i + 1:]:
            c = cagr_table(levels, a, b)
            rows.append({"start": a, "end": b, **{f"cagr_{k}": v for k, v in c.items()}, "dds_leads": outpaces(c)})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- independent sources


@datastore.derived("wto_headlines")
def headline_levels() -> pd.DataFrame:
    """WTO headline levels for the three series: series, year, value_bn, growth_pct, report, row_id."""
    h = datastore.load_table("wto_headlines")
    rows = []
    for s, metric in HEADLINE_METRICS.items():
        sel = h[h["metric"] == metric]
        if sel.empty:
            raise datastore.DataRequestError(f"no row with metric {metric!r} in data/wto_headlines.csv")
        for r in sel.itertuples():
            if pd.isna(r.value):
                continue
            if r.unit != "US$ trillion":
                raise datastore.DataRequestError(f"wto_headlines row {r.row_id}: unit {r.unit!r}, expected US$ trillion")
            rows.append({"series": s, "year": int(r.reference_year), "value_bn": float(r.value) * 1000,
                         "value_decimals": _decimals(r.value), "growth_pct": r.growth_pct, "report": r.report,
                         "row_id": int(r.row_id)})
    return pd.DataFrame(rows)


def _decimals(x: float) -> int:
    s = f"{x:.10g}"
    return len(s.split(".")[1]) if "." in s else 0


def headline_growth() -> pd.DataFrame:
    """WTO headline growth rates for the three series: series, year, growth_pct, metric, report, note."""
    h = datastore.load_table("wto_headlines")
    rows = []
    for s, metrics in HEADLINE_GROWTH_METRICS.items():
        sel = h[h["metric"].isin(metrics) & h["growth_pct"].notna()]
        for r in sel.itertuples():
            if not str(r.reference_year).isdigit():
                continue
            rows.append({"series": s, "year": int(r.reference_year), "growth_pct": float(r.growth_pct),
                         "metric": r.metric, "report": r.report, "note": r.note if isinstance(r.note, str) else ""})
    return pd.DataFrame(rows)


@datastore.derived("wto_dds_exports")
def wto_dds_world() -> pd.Series:
    """WTO DDS dataset: world exports, US$ billion, by year."""
    d = datastore.load_table("wto_dds_exports")
    d = d[d["iso3"] == "WLD"]
    if d.empty:
        raise datastore.DataRequestError("no World (WLD) rows in data/wto_dds_exports.csv")
    return d.set_index("year")["value_usd_mn"].astype(float).sort_index() / 1000


def wto_dds_world_2026_exports() -> pd.Series:
    """World DDS *exports* in the 2026 bulk file (the file holds World imports only; empty if so)."""
    d = datastore.load_table("wto_dds_2026")
    d = d[(d["iso3"] == "WLD") & (d["flow"] == "exports") & (d["sector_code"] == "DDS")]
    return d.set_index("year")["value_usd_mn"].astype(float).sort_index() / 1000


@datastore.derived("wdi")
def wdi_world(series: str) -> pd.Series:
    """WDI world goods or services exports (BoP), US$ billion, by year."""
    w = datastore.load_wdi(WDI_CODES[series], "WLD")
    return w.set_index("year")["value"].astype(float).sort_index() / 1e9


def independent_world(years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Long frame: series, year, source, value_bn — every independent figure for the three series."""
    parts = []
    for s in ("goods", "services"):
        v = wdi_world(s)
        parts.append(pd.DataFrame({"series": s, "year": v.index.astype(int), "source": SRC_WDI, "value_bn": v.values}))
    v = wto_dds_world()
    parts.append(pd.DataFrame({"series": "dds", "year": v.index.astype(int), "source": SRC_WTO_DDS,
                               "value_bn": v.values}))
    h = headline_levels()
    parts.append(pd.DataFrame({"series": h["series"], "year": h["year"], "source": SRC_WTO_HEAD,
                               "value_bn": h["value_bn"]}))
    out = pd.concat(parts, ignore_index=True)
    if years is not None:
        out = out[out["year"].between(*years)]
    return out.reset_index(drop=True)


def crosscheck(t1: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    """Table 1 levels against every independent figure of the same year: gap in % (Table 1 vs source)."""
    lv = levels_bn(t1)
    ind = independent_world(years)
    ind = ind[ind["year"].isin(lv.index)]
    ind = ind.assign(table1_bn=[lv.loc[y, s] for s, y in zip(ind["series"], ind["year"])])
    ind["gap_pct"] = 100 * (ind["table1_bn"] / ind["value_bn"] - 1)
    return ind.reset_index(drop=True)


def gap_summary(cc: pd.DataFrame, series: str, source: str) -> tuple[float, float] | None:
    """(min, max) gap in % of Table 1 against one source over the years both have; None if no overlap."""
    g = cc[(cc["series"] == series) & (cc["source"] == source)]["gap_pct"]
    return None if g.empty else (float(g.min()), float(g.max()))


def growth_vs_headlines(rec: pd.DataFrame) -> pd.DataFrame:
    """Table 1 growth (stated and recomputed) against WTO headline growth rates of the same year.

    A headline rate printed as a whole number (12 %) covers 11.5–12.5; ``agrees`` tells whether the
    stated Table 1 rate lies in that interval."""
    hg = headline_growth()
    m = hg.merge(rec[["series", "year", "growth_stated", "growth_recomputed"]], on=["series", "year"], how="inner")
    tol = m["growth_pct"].map(lambda g: claims.tolerance(_decimals(g)))
    m["agrees"] = (m["growth_stated"] - m["growth_pct"]).abs() <= tol + 1e-9
    return m.sort_values(["series", "year"]).reset_index(drop=True)


# --------------------------------------------------------------------------- leading exporters


def _economies() -> pd.DataFrame:
    return datastore.countries()


def ict_leaders(years: tuple[int, int], top_n: int) -> dict:
    """ICT service exports (WDI) of the economies of the extract: levels, world shares, ranks.

    Returns a dict with ``levels`` (long: iso3, year, value_bn, share_pct, rank), ``top`` (the top_n
    by the latest year with a World value), ``rank_year``, ``n_economies`` and the RCEP aggregate.
    """
    lo, hi = years
    w = datastore.load_wdi(ICT_CODE, years=(lo, hi))
    world = w[w["iso3"] == "WLD"].set_index("year")["value"]
    eco = w[w["iso3"] != "WLD"].copy()
    if world.empty:
        raise datastore.DataRequestError(f"no World value of {ICT_CODE} in {lo}-{hi} (WLD covers 2004-2023)")
    eco["value_bn"] = eco["value"] / 1e9
    eco["share_pct"] = 100 * eco["value"] / eco["year"].map(world)
    eco["rank"] = eco.groupby("year")["value"].rank(ascending=False, method="min").astype(int)
    rank_year = int(world.index.max())
    latest = eco[eco["year"] == rank_year].sort_values("value", ascending=False)
    top = list(latest["iso3"].head(top_n))
    agg = rcep_aggregate(eco.rename(columns={"value": "v"}), "v", years)
    agg = agg.assign(share_pct=100 * agg["value"] / agg["year"].map(world), value_bn=agg["value"] / 1e9)
    return {"levels": eco[["iso3", "year", "value_bn", "share_pct", "rank"]].reset_index(drop=True), "top": top,
            "rank_year": rank_year, "n_economies": int(eco["iso3"].nunique()),
            "world_years": (int(world.index.min()), int(world.index.max())), "rcep": agg,
            "shown_all": top_n >= len(latest)}


def rcep_aggregate(df: pd.DataFrame, value: str, years: tuple[int, int]) -> pd.DataFrame:
    """Sum over RCEP members of ``value`` per year, two ways: every member with data that year
    ("members with data") and only the members with data in every year of the window ("constant
    membership"). Returns long: year, basis, value, n_members."""
    rcep = list(datastore.country_groups()["rcep"])
    d = df[df["iso3"].isin(rcep) & df["year"].between(*years) & df[value].notna()]
    all_years = list(range(years[0], years[1] + 1))
    present_years = sorted(d["year"].unique())
    complete = [c for c in rcep if set(present_years) <= set(d.loc[d["iso3"] == c, "year"])]
    rows = []
    for y in present_years:
        dy = d[d["year"] == y]
        rows.append({"year": int(y), "basis": "members with data", "value": float(dy[value].sum()),
                     "n_members": int(dy["iso3"].nunique())})
        dc = dy[dy["iso3"].isin(complete)]
        rows.append({"year": int(y), "basis": "constant membership", "value": float(dc[value].sum()),
                     "n_members": len(complete)})
    out = pd.DataFrame(rows)
    out.attrs["complete_members"] = complete
    out.attrs["years"] = all_years
    return out


def rcep_members_missing(df: pd.DataFrame, value: str, years: tuple[int, int]) -> pd.DataFrame:
    """Which RCEP members have no value in which years: member, years missing (as ranges)."""
    rcep = list(datastore.country_groups()["rcep"])
    d = df[df["iso3"].isin(rcep) & df[value].notna()]
    rows = []
    for c in rcep:
        have = set(d.loc[d["iso3"] == c, "year"].astype(int))
        miss = [y for y in range(years[0], years[1] + 1) if y not in have]
        if miss:
            rows.append({"member": c, "name": datastore.display_name(c), "years missing": year_ranges(miss),
                         "n_years": len(miss)})
    return pd.DataFrame(rows, columns=["member", "name", "years missing", "n_years"])


def year_ranges(years: Iterable[int]) -> str:
    """[2003, 2004, 2005, 2010] -> '2003–2005, 2010'."""
    ys = sorted(set(int(y) for y in years))
    if not ys:
        return ""
    out, a, b = [], ys[0], ys[0]
    for y in ys[1:]:
        if y == b + 1:
            b = y
            continue
        out.append(f"{a}–{b}" if b > a else f"{a}")
        a = b = y
    out.append(f"{a}–{b}" if b > a else f"{a}")
    return ", ".join(out)


def unctad_leaders(years: tuple[int, int], top_n: int, focus: str = "CHN") -> dict:
    """World ranking of digitally deliverable services exporters (UNCTAD, all modes), aggregates excluded.

    Returns ``shares`` (long: iso3, year, value_bn, share_pct, rank), ``top`` (top_n in the last year),
    ``coverage`` (economies with data per year), ``rank`` of ``focus`` per year with the range it could
    take if the economies missing that year were present (see :func:`rank_with_missing`).
    """
    u = datastore.load_unctad_dds("exports")
    lo, hi = max(years[0], int(u["year"].min())), min(years[1], int(u["year"].max()))
    if lo > hi:
        raise datastore.DataRequestError(f"UNCTAD digitally deliverable services cover {int(u['year'].min())}-"
                                         f"{int(u['year'].max())}; the window {years[0]}-{years[1]} has no year of them")
    u = u[u["year"].between(lo, hi)]
    world = u[u["iso3"] == "WLD"].set_index("year")["value_usd_mn"]
    eco = u[~u["iso3"].isin(AGGREGATES)].copy()
    eco["value_bn"] = eco["value_usd_mn"] / 1000
    eco["share_pct"] = 100 * eco["value_usd_mn"] / eco["year"].map(world)
    eco["rank"] = eco.groupby("year")["value_usd_mn"].rank(ascending=False, method="min").astype(int)
    last = int(eco["year"].max())
    top = list(eco[eco["year"] == last].sort_values("value_usd_mn", ascending=False)["iso3"].head(top_n))
    coverage = eco.groupby("year")["iso3"].nunique().rename("economies").reset_index()
    ranks = rank_with_missing(eco, "value_usd_mn", focus)
    return {"shares": eco[["iso3", "year", "value_bn", "share_pct", "rank"]].reset_index(drop=True), "top": top,
            "years": (lo, hi), "last": last, "coverage": coverage, "rank": ranks,
            "n_known": len(set(_economies().index) - set(AGGREGATES)), "raw": eco}


def rank_with_missing(eco: pd.DataFrame, value: str, focus: str) -> pd.DataFrame:
    """Rank of ``focus`` per year and how much lower it could be because of economies with no value
    that year: an economy missing in year y counts as 'possibly above' if, in the nearest year in
    which it has a value, it exceeded ``focus``. Returns year, rank, rank_low, possibly_above."""
    p = eco.pivot(index="iso3", columns="year", values=value)
    if focus not in p.index:
        raise datastore.DataRequestError(f"{focus} has no value in the ranking table")
    years = list(p.columns)
    rows = []
    for y in years:
        if pd.isna(p.loc[focus, y]):
            continue
        r = int((p[y] > p.loc[focus, y]).sum() + 1)
        above = []
        for e in p.index[p[y].isna()]:
            obs = [yy for yy in years if not pd.isna(p.loc[e, yy]) and not pd.isna(p.loc[focus, yy])]
            if not obs:
                continue
            near = min(obs, key=lambda yy: (abs(yy - y), yy))
            if p.loc[e, near] > p.loc[focus, near]:
                above.append(e)
        rows.append({"year": int(y), "rank": r, "rank_low": r + len(above), "possibly_above": ", ".join(sorted(above))})
    return pd.DataFrame(rows)


def concentration(shares: pd.DataFrame, n: int) -> pd.DataFrame:
    """Per year: share of the largest exporter, of the n largest, and the Herfindahl index (0-10,000)
    over the economies with data."""
    rows = []
    for y, g in shares.groupby("year"):
        s = g["share_pct"].sort_values(ascending=False)
        rows.append({"year": int(y), "top1_pct": float(s.iloc[0]), "topn_pct": float(s.head(n).sum()),
                     "hhi": float((s ** 2).sum()), "leader": g.loc[s.index[0], "iso3"]})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- chart builders


def _name(iso3: str) -> str:
    try:
        return datastore.display_name(iso3)
    except datastore.DataRequestError:
        return iso3


def chart_index(seed_idx: pd.DataFrame, ind_idx: pd.DataFrame | None, base_year: int) -> alt.Chart:
    """Lines: the three Table 1 series indexed (solid), independent series (dashed) where available."""
    a = seed_idx.reset_index().melt(id_vars="year", var_name="series", value_name="index")
    a["source"] = SRC_TABLE1
    frames = [a]
    if ind_idx is not None and not ind_idx.empty:
        b = ind_idx.reset_index().melt(id_vars="year", var_name="series", value_name="index").dropna()
        b["source"] = "Independent (WDI; WTO DDS)"
        frames.append(b)
    df = pd.concat(frames, ignore_index=True)
    df["series"] = df["series"].map(LABELS)
    df["index"] = df["index"].round(2)
    order = [LABELS[s] for s in SERIES]
    base = alt.Chart(df).encode(
        x=alt.X("year:O", title=None),
        y=alt.Y("index:Q", title=f"Index, {base_year} = 100", scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", title="Series", sort=order, scale=alt.Scale(range=charts.PALETTE[:3])),
        strokeDash=alt.StrokeDash("source:N", title="Source",
                                  scale=alt.Scale(domain=[SRC_TABLE1, "Independent (WDI; WTO DDS)"],
                                                  range=[[1, 0], [5, 4]])),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("source:N", title="Source"),
                 alt.Tooltip("year:O", title="Year"), alt.Tooltip("index:Q", title="Index", format=".1f")],
    )
    rule = alt.Chart(pd.DataFrame({"y": [100]})).mark_rule(color="#8c959f", strokeDash=[2, 2]).encode(y="y:Q")
    return alt.layer(rule, base.mark_line(point=True))


def chart_share(df: pd.DataFrame) -> alt.LayerChart:
    """Lines: DDS as % of services exports (Table 1, independent); WTO's headline as a separate marker."""
    d = df.assign(share_pct=df["share_pct"].round(2))
    is_head = d["source"].str.startswith("WTO headline")
    enc = dict(x=alt.X("year:O", title=None), y=alt.Y("share_pct:Q", title="% of services exports",
                                                      scale=alt.Scale(zero=False)),
               color=alt.Color("source:N", title="Source", legend=alt.Legend(columns=1, labelLimit=400),
                               scale=alt.Scale(domain=list(d["source"].unique()),
                                               range=[charts.PALETTE[0], charts.PALETTE[1], "#000000"][:d["source"].nunique()])),
               tooltip=[alt.Tooltip("source:N", title="Source"), alt.Tooltip("year:O", title="Year"),
                        alt.Tooltip("share_pct:Q", title="% of services exports", format=".1f")])
    lines = alt.Chart(d[~is_head]).mark_line(point=True).encode(**enc)
    if not is_head.any():
        return alt.layer(lines)
    head = alt.Chart(d[is_head]).mark_point(shape="diamond", size=170, filled=True).encode(**enc)
    return alt.layer(lines, head)


def chart_cagr(df: pd.DataFrame) -> alt.LayerChart:
    """Bars: CAGR by series and source; df: series, source, cagr_pct."""
    d = df.assign(series=df["series"].map(LABELS), cagr_pct=df["cagr_pct"].round(2))
    d["label"] = d["cagr_pct"].map(lambda v: pct(v, 1))
    order = [LABELS[s] for s in SERIES]
    base = alt.Chart(d).encode(
        y=alt.Y("series:N", title=None, sort=order),
        x=alt.X("cagr_pct:Q", title="Compound annual growth rate (%)"),
        yOffset=alt.YOffset("source:N", sort=list(d["source"].unique())),
        color=alt.Color("source:N", title="Data", sort=list(d["source"].unique()),
                        scale=alt.Scale(domain=list(d["source"].unique()),
                                        range=[charts.PALETTE[0], charts.CONTEXT_COLOR][:d["source"].nunique()])),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("source:N", title="Data"),
                 alt.Tooltip("window:N", title="Window"), alt.Tooltip("cagr_pct:Q", title="CAGR (%)", format=".2f")],
    )
    bars = base.mark_bar()
    text = base.mark_text(align="left", dx=3).encode(text="label:N", color=alt.value("#3d444d"))
    return alt.layer(bars, text).properties(height=alt.Step(18))


def chart_crosscheck(df: pd.DataFrame, unit: str) -> alt.FacetChart:
    """Small multiples (one per series): Table 1 and independent levels; df: series, year, source, value."""
    d = df.assign(series=df["series"].map(LABELS), value=df["value"].round(1))
    domain = [SRC_TABLE1, SRC_WDI, SRC_WTO_DDS, SRC_WTO_HEAD]
    colors = [charts.FOCUS_COLOR, charts.PALETTE[0], charts.PALETTE[2], "#000000"]
    enc = dict(
        x=alt.X("year:O", title=None),
        y=alt.Y("value:Q", title=unit_label(unit), scale=alt.Scale(zero=False)),
        color=alt.Color("source:N", title="Source", scale=alt.Scale(domain=domain, range=colors)),
        shape=alt.Shape("source:N", title="Source", scale=alt.Scale(domain=domain,
                                                                     range=["circle", "square", "triangle-up", "diamond"])),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("source:N", title="Source"),
                 alt.Tooltip("year:O", title="Year"), alt.Tooltip("value:Q", title=unit_label(unit), format=",.1f")],
    )
    lines = alt.Chart().mark_line(point=True).encode(**enc).transform_filter(alt.datum.source != SRC_WTO_HEAD)
    pts = alt.Chart().mark_point(size=110, filled=False, strokeWidth=2).encode(**enc).transform_filter(
        alt.datum.source == SRC_WTO_HEAD)
    return alt.layer(lines, pts, data=d).properties(width=charts.WIDTH, height=170).facet(
        row=alt.Row("series:N", title=None, sort=[LABELS[s] for s in SERIES], header=alt.Header(labelAngle=0,
                                                                                              labelAlign="left",
                                                                                              labelAnchor="start",
                                                                                              labelOrient="top",
                                                                                              labelFontWeight=600))
    ).resolve_scale(y="independent")


def chart_gap(cc: pd.DataFrame) -> alt.LayerChart:
    """Gap (%) of Table 1 against each independent source, by year: colour = series, dash = kind of source."""
    d = cc.assign(series=cc["series"].map(LABELS), gap_pct=cc["gap_pct"].round(2),
                  comparison=cc["series"].map(LABELS) + " vs " + cc["source"],
                  kind=np.where(cc["source"] == SRC_WTO_HEAD, "WTO headline", "Dataset (WDI or WTO DDS)"))
    rule = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#3d444d").encode(y="y:Q")
    line = alt.Chart(d).mark_line(point=True).encode(
        x=alt.X("year:O", title=None),
        y=alt.Y("gap_pct:Q", title="Table 1 minus source, % of source"),
        color=alt.Color("series:N", title="Series", sort=[LABELS[s] for s in SERIES],
                        scale=alt.Scale(domain=[LABELS[s] for s in SERIES], range=charts.PALETTE[:3])),
        strokeDash=alt.StrokeDash("kind:N", title="Compared with",
                                  scale=alt.Scale(domain=["Dataset (WDI or WTO DDS)", "WTO headline"],
                                                  range=[[1, 0], [4, 3]])),
        detail="comparison:N",
        tooltip=[alt.Tooltip("comparison:N", title="Comparison"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("gap_pct:Q", title="Gap (%)", format="+.1f")],
    )
    return alt.layer(rule, line)


def chart_shares_over_time(df: pd.DataFrame, focus_label: str, y_title: str,
                           value_title: str = "Exports") -> alt.LayerChart:
    """Lines of world shares (%) over time; df: label, year, share_pct; the focus line drawn thicker."""
    d = df.assign(share_pct=df["share_pct"].round(2))
    last = d[d["year"] == d["year"].max()]
    order = list(last.sort_values("share_pct", ascending=False)["label"]) + \
        [lab for lab in d["label"].unique() if lab not in set(last["label"])]
    base = alt.Chart(d).encode(
        x=alt.X("year:O", title=None),
        y=alt.Y("share_pct:Q", title=y_title),
        color=alt.Color("label:N", title=None, sort=order),
        tooltip=[alt.Tooltip("label:N", title="Economy"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("share_pct:Q", title="Share (%)", format=".2f")]
        + ([alt.Tooltip("value:Q", title=value_title, format=",.1f")] if "value" in d.columns else []),
    )
    lines = base.mark_line(point=alt.OverlayMarkDef(size=18)).encode(
        strokeWidth=alt.condition(alt.datum.label == focus_label, alt.value(3.6), alt.value(1.6)))
    labels = alt.Chart(last).mark_text(align="left", dx=5, fontSize=10.5).encode(
        x=alt.X("year:O"), y=alt.Y("share_pct:Q"), text="label:N", color=alt.Color("label:N", sort=order, legend=None))
    return alt.layer(lines, labels)


def chart_rank(df: pd.DataFrame) -> alt.LayerChart:
    """China's rank over time (1 at the top); df: year, measure, rank, rank_low."""
    d = df.copy()
    base = alt.Chart(d).encode(
        x=alt.X("year:O", title=None),
        color=alt.Color("measure:N", title=None, legend=alt.Legend(columns=1, labelLimit=400)),
    )
    band = base.mark_rule(strokeWidth=6, opacity=0.35).encode(
        y=alt.Y("rank:Q"), y2="rank_low:Q",
        tooltip=[alt.Tooltip("measure:N", title="Ranking"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("rank:Q", title="Rank"), alt.Tooltip("rank_low:Q", title="Rank if missing economies "
                                                                                     "were present (at worst)")])
    line = base.mark_line(point=True).encode(
        y=alt.Y("rank:Q", title="Rank (1 = largest exporter)", scale=alt.Scale(reverse=True, zero=False,
                                                                                domainMin=1)),
        tooltip=[alt.Tooltip("measure:N", title="Ranking"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("rank:Q", title="Rank")],
    )
    return alt.layer(band, line)


# --------------------------------------------------------------------------- claim checks

TABLE1_IDS = tuple(f"S000-{i:03d}" for i in range(8, 50))


def _seed_row(claim_id: str) -> pd.Series:
    sv = datastore.load_seed_table()
    hit = sv[sv["claim_id"] == claim_id]
    if hit.empty:
        raise datastore.DataRequestError(f"claim {claim_id} has no row in data/seed_values.csv")
    return hit.iloc[0]


def _series_of(series_id: str) -> str:
    base = series_id.removesuffix("_growth")
    for s, sid in SEED_SERIES.items():
        if sid == base:
            return s
    raise datastore.DataRequestError(f"{series_id} is not a Table 1 series")


def _interval_result(row: pd.Series, refs: list[tuple[float, float, str]], *, method: str,
                     source: str) -> claims.Result:
    """A level claim against one or more reference figures of the same concept, each with its own
    rounding (``refs``: value in the claim's unit, its rounding half-width, label). Consistent if the
    stated figure and *any* reference agree within the rounding of both; ``computed`` is the closest."""
    stated = float(row["value"])
    tol = claims.tolerance(int(row["stated_decimals"]))
    best = min(refs, key=lambda r: abs(r[0] - stated))
    ok = any(abs(v - stated) <= tol + t + 1e-9 * max(1.0, abs(stated)) for v, t, _ in refs)
    parts = "; ".join(f"{lab}: {num(v, 1)} (gap {pct(100 * (stated / v - 1), 1, sign=True)})" for v, t, lab in refs)
    rule = ("|reference − stated| ≤ rounding of the stated figure + rounding of the reference, for at least one "
            "reference of the same concept")
    return claims.Result(row["claim_id"], claims.CONSISTENT if ok else claims.INCONSISTENT, stated, best[0], rule,
                         f"{method} — {parts}", source)


@claims.register(*TABLE1_IDS)
def check_table1(row: pd.Series) -> claims.Result:
    """Table 1 cells. Growth rates: recomputed from the table's own levels (first year: from the
    same-concept independent series, where one exists). Levels: against same-concept WTO figures."""
    sv = _seed_row(row["claim_id"])
    series, year = _series_of(sv["series_id"]), int(sv["year"])
    t1 = table1()
    if sv["series_id"].endswith("_growth"):
        rec = recompute_growth(t1)
        r = rec[(rec["series"] == series) & (rec["year"] == year)].iloc[0]
        if not pd.isna(r["growth_recomputed"]):
            return claims.compare(row, float(r["growth_recomputed"]),
                                  method=f"growth recomputed from Table 1's own levels ({year - 1} → {year})",
                                  source="data/seed_values.csv (Table 1)")
        return _first_year_growth(row, series, year)
    return _level_check(row, series, year)


def _first_year_growth(row: pd.Series, series: str, year: int) -> claims.Result:
    if series == "dds":
        v = wto_dds_world()
        if year - 1 in v.index and year in v.index:
            return claims.compare(row, growth(v[year - 1], v[year]),
                                  method=f"Table 1 has no {year - 1} level; growth of World DDS exports in the WTO "
                                         f"DDS dataset (same concept) instead",
                                  source="data/wto_dds_exports.csv (WTO)")
        return claims.unverifiable(row, f"Table 1 has no {year - 1} level and the WTO DDS dataset has no "
                                        f"{year - 1}-{year} pair")
    v = wdi_world(series)
    ref = ""
    if year - 1 in v.index and year in v.index:
        ref = (f"; for reference, WDI's {'goods' if series == 'goods' else 'all-services'} exports (BoP) changed by "
               f"{pct(growth(v[year - 1], v[year]), 1, sign=True)}")
    what = "merchandise" if series == "goods" else "services"
    return claims.unverifiable(
        row, f"Table 1 has no {year - 1} level, and data/ holds no WTO {what} series for {year - 1}-{year} of the "
             f"study's concept{ref}, which measures a different basis")


def _level_check(row: pd.Series, series: str, year: int) -> claims.Result:
    refs: list[tuple[float, float, str]] = []
    if series == "dds":
        v = wto_dds_world()
        if year in v.index:
            refs.append((v[year] * SEED_UNIT_PER_BN, 0.5e-3 * SEED_UNIT_PER_BN, "WTO DDS dataset (2026 release)"))
        v26 = wto_dds_world_2026_exports()
        if year in v26.index and year not in v.index:
            refs.append((v26[year] * SEED_UNIT_PER_BN, 0.5e-3 * SEED_UNIT_PER_BN, "WTO DDS 2026 bulk file"))
    h = headline_levels()
    h = h[(h["series"] == series) & (h["year"] == year)]
    if series in ("goods", "dds"):
        for r in h.itertuples():
            refs.append((r.value_bn * SEED_UNIT_PER_BN, 0.5 * 10 ** (-r.value_decimals) * 1000 * SEED_UNIT_PER_BN,
                         f"{r.report}"))
    if refs:
        what = {"goods": "WTO world merchandise trade (headline), the concept of the study's source",
                "dds": "World exports of digitally delivered services, WTO (same concept)"}[series]
        if series == "dds":
            rv = dds_revisions()
            if not rv.empty:
                what += ("; WTO revises these estimates between releases: the 2026 dataset differs from its own "
                         "headlines by " + listing([f"{pct(r.revision_pct, 1, sign=True)} ({r.year})"
                                                     for r in rv.itertuples()]))
        return _interval_result(row, refs, method=what,
                                source="data/wto_dds_exports.csv; data/wto_headlines.csv (WTO)")
    return claims.unverifiable(row, _no_reference_reason(series, year, float(row["value"])))


def _no_reference_reason(series: str, year: int, stated_100m: float) -> str:
    stated_bn = stated_100m / SEED_UNIT_PER_BN
    if series == "dds":
        d = datastore.load_table("wto_dds_2026")
        flows = sorted(set(d.loc[(d["iso3"] == "WLD") & (d["year"] == year), "flow"]))
        bulk = (f"the 2026 bulk file holds World {listing(flows)} for {year}, not exports" if flows else
                f"the 2026 bulk file has no World value for {year}")
        return (f"no World DDS export value for {year} in data/ (the WTO dataset ends in "
                f"{int(wto_dds_world().index.max())}; {bulk})")
    v = wdi_world(series)
    ref = ""
    if year in v.index:
        ref = f"; WDI's BoP figure is {num(v[year], 1)} bn (Table 1 {pct(100 * (stated_bn / v[year] - 1), 1, sign=True)})"
    if series == "goods":
        return (f"no WTO merchandise figure for {year} in data/; WDI measures goods on a balance-of-payments basis, "
                f"not the merchandise-trade basis of WTO{ref}")
    pos = services_position()
    between = pos[pos["between"]]["year"].tolist()
    outside = pos[~pos["between"]]["year"].tolist()
    where = (f"in {listing([str(y) for y in between])} (the years with both) the study's figure lies between WTO's "
             "commercial services (narrower) and WDI's all services") if between else \
        "no year has both a WTO commercial-services headline and a WDI value"
    if outside:
        where += f"; not in {listing([str(y) for y in outside])}"
    return ("the study's 'service exports' cannot be matched to one concept in data/: " + where + ref)


def services_position() -> pd.DataFrame:
    """For each year with a WTO commercial-services headline and a WDI value: is Table 1 between them?"""
    lv = levels_bn(table1())
    h = headline_levels()
    h = h[h["series"] == "services"]
    w = wdi_world("services")
    rows = []
    for r in h.itertuples():
        if r.year in w.index and r.year in lv.index:
            t = lv.loc[r.year, "services"]
            lo, hi = sorted([r.value_bn, w[r.year]])
            rows.append({"year": int(r.year), "table1_bn": t, "commercial_bn": r.value_bn, "wdi_bn": w[r.year],
                         "between": lo <= t <= hi})
    return pd.DataFrame(rows, columns=["year", "table1_bn", "commercial_bn", "wdi_bn", "between"])


def dds_revisions() -> pd.DataFrame:
    """WTO's own revisions: each DDS headline against the 2026 dataset value of the same year (%)."""
    h = headline_levels()
    h = h[h["series"] == "dds"]
    v = wto_dds_world()
    rows = [{"year": int(r.year), "headline_bn": r.value_bn, "dataset_bn": v[r.year], "report": r.report,
             "revision_pct": 100 * (v[r.year] / r.value_bn - 1)} for r in h.itertuples() if r.year in v.index]
    return pd.DataFrame(rows)


@claims.register("S000-006")
def check_dds_2020_text(row: pd.Series) -> claims.Result:
    rec = recompute_growth(table1())
    r = rec[(rec["series"] == "dds") & (rec["year"] == 2020)].iloc[0]
    return claims.compare(row, float(r["growth_recomputed"]), method="growth recomputed from Table 1's levels "
                          "(2019 → 2020); the same figure as Table 1's stated rate",
                          source="data/seed_values.csv (Table 1)")


@claims.register("S000-007")
def check_dds_2025_text(row: pd.Series) -> claims.Result:
    t1 = table1()
    v = t1[(t1["series"] == "dds") & (t1["year"] == 2025)]["level_100m"]
    if v.empty:
        return claims.unverifiable(row, "Table 1 has no 2025 value")
    return claims.compare(row, float(v.iloc[0]) / SEED_UNIT_PER_BN,
                          method="the text's figure against Table 1's 2025 level (US$ 100 million → billion); no "
                                 "independent World DDS export value for 2025 exists in data/",
                          source="data/seed_values.csv (Table 1)")


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
    return claims.compare(row, float(trade),
                          method=f"World digitally deliverable services trade (UNCTAD, exports + imports) as % of World "
                                 f"services trade (WDI, BoP), {year}; exports alone give {pct(exports_only, 1)} — "
                                 "two compilations of BoP data, not the speaker's own source",
                          source="data/unctad_dds.csv (UNCTAD); data/wdi.csv (World Bank)")


claims.not_checkable(
    "no table in data/ measures the size of economies' digital economy or the digital-economy market; "
    "quoted, not verified", "S000-050", "S000-051", "S000-052")
claims.not_checkable(
    "data/ has no bilateral digital services trade (the WTO and UNCTAD tables give each economy's trade with "
    "the World), so growth of trade *among* RCEP members cannot be computed; 'non-member countries' is also "
    "undefined; quoted, not verified", "S000-057", "S000-058")


# Claims shown per section of the page
GROWTH_CLAIMS = tuple(c for i, c in enumerate(TABLE1_IDS) if i % 2 == 1)
LEVEL_CLAIMS = tuple(c for i, c in enumerate(TABLE1_IDS) if i % 2 == 0)
TEXT_CLAIMS = ("S000-006", "S000-007")
SHARE_CLAIMS = ("S003-019",)
QUOTED_CLAIMS = ("S000-050", "S000-051", "S000-052", "S000-057", "S000-058")


def all_chapter_claims() -> tuple[str, ...]:
    return GROWTH_CLAIMS + LEVEL_CLAIMS + TEXT_CLAIMS + SHARE_CLAIMS + QUOTED_CLAIMS



# =========================================================================== page sections
# Each ``render_*`` puts one section's figures/tables on the page and glues the values its prose uses.
# The notebook calls them in order; they take the prepared context returned by :func:`prepare`.

SOURCE_T1 = "Main study (seed 000), Table 1, transcribed in data/seed_values.csv"
SOURCE_WDI = "World Bank, WDI (data/wdi.csv)"
SOURCE_WTO_DDS = "WTO, Digitally Delivered Services dataset (data/wto_dds_exports.csv)"
SOURCE_HEAD = "WTO Global Trade Outlook and Statistics / Annual Reports, as quoted in data/wto_headlines.csv"
SOURCE_UNCTAD = "UNCTAD, digitally deliverable services (data/unctad_dds.csv)"


def prepare(params: Mapping) -> dict:
    """Validate the chapter's cross-parameter rules, then load and compute what every section needs."""
    check_params(params)
    p = dict(params)
    t1 = table1()
    rec = recompute_growth(t1)
    lv = levels_bn(t1)
    years = (p["start_year"], p["end_year"])
    hist = (p.get("history_start", p["start_year"]), p["end_year"])
    return {"p": p, "t1": t1, "rec": rec, "levels": lv, "years": years, "history": hist,
            "wlv": lv.loc[years[0]:years[1]], "unit": p["unit"]}


def _independent_levels(years: tuple[int, int]) -> pd.DataFrame:
    """Wide (year x series) US$ bn: WDI goods and services, WTO DDS dataset."""
    out = pd.DataFrame({"goods": wdi_world("goods"), "services": wdi_world("services"), "dds": wto_dds_world()})
    return out.loc[years[0]:years[1]]


def moved(a: float, b: float) -> str:
    """'rose' / 'fell' / 'stayed' for a change from a to b (for computed titles)."""
    return "rose" if b > a else ("fell" if b < a else "stayed")


def render_intro(page, ctx: dict) -> None:
    lo, hi = ctx["years"]
    page.glue("win", f"{lo}–{hi}")
    page.glue("unit_label", unit_label(ctx["unit"]))
    page.glue("hist_win", f"{ctx['history'][0]}–{ctx['history'][1]}")


def mismatch_story(rec: pd.DataFrame) -> str:
    """For each inconsistent cell: is the stated rate or the level-implied rate closer to an independent
    series of that year? (WDI for goods/services, WTO DDS for digitally delivered services.)"""
    bad = inconsistent_cells(rec)
    if bad.empty:
        return "The table is internally consistent: there is nothing to explain."
    ind = {"goods": wdi_world("goods"), "services": wdi_world("services"), "dds": wto_dds_world()}
    src = {"goods": "WDI goods exports", "services": "WDI services exports", "dds": "WTO's DDS dataset"}
    parts = []
    for r in bad.itertuples():
        v = ind[r.series]
        name = f"{LABELS[r.series].lower()} {r.year}"
        if r.year in v.index and r.year - 1 in v.index:
            g = growth(v[r.year - 1], v[r.year])
            if abs(r.growth_stated - g) < abs(r.growth_recomputed - g):
                parts.append(f"for {name}, {src[r.series]} grew {pct(g, 1, sign=True)}, close to the stated rate: the "
                             f"level, not the rate, is out of line")
            else:
                parts.append(f"for {name}, {src[r.series]} grew {pct(g, 1, sign=True)}, closer to the rate the levels "
                             "imply: the stated rate is out of line")
        else:
            parts.append(f"for {name}, data/ has no independent value of that year to tell whether the level or the "
                         "rate is wrong")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def render_table1(page, ctx: dict) -> None:
    rec, unit = ctx["rec"], ctx["unit"]
    lo, hi = ctx["years"]
    bad = inconsistent_cells(rec)
    page.glue("t1_bad_all", describe_inconsistencies(rec))
    outside = bad[~bad["year"].between(lo, hi)]
    if bad.empty:
        note = "There is therefore nothing to flag in the window either."
    elif outside.empty:
        note = "All of them fall inside the window shown."
    else:
        note = (f"{len(outside)} of them fall outside the window shown ({lo}–{hi}) and are listed in the claims "
                "table below.")
    page.glue("t1_window_note", note)
    page.glue("t1_story", mismatch_story(rec))
    disp, csv = table1_display(rec, unit, (lo, hi))
    level_col = [c for c in disp.columns if c.startswith("Exports")][0]
    page.table(disp, name="table1", caption=f"Table 1 of the study, {lo}–{hi}: exports ({unit_label(unit)}), the growth "
               "rates it states, and the growth recomputed from its own levels",
               source=SOURCE_T1, html_columns=["Check"], csv=csv,
               formats={level_col: ",.0f" if unit == "usd_100m" else ",.1f", "Growth stated (%)": "+.1f",
                        "Growth from the levels (%)": "+.2f"},
               note="Growth from the levels = level ÷ previous year's level − 1, from the table itself; it differs "
                    "when the gap exceeds the rounding of the stated rate (0.05 points).")


def growth_claim_ids(t1: pd.DataFrame) -> list[str]:
    return list(t1.sort_values(["year", "series"], key=lambda c: c.map({s: i for i, s in enumerate(SERIES)})
                               if c.name == "series" else c)["growth_claim"].dropna())


def level_claim_ids(t1: pd.DataFrame) -> list[str]:
    return list(t1.sort_values(["year", "series"], key=lambda c: c.map({s: i for i, s in enumerate(SERIES)})
                               if c.name == "series" else c)["level_claim"].dropna())


def verdict_counts(ids: Iterable[str]) -> str:
    """'12 consistent, 3 inconsistent and 7 not checkable' for a list of claims."""
    res = claims.check_many(list(ids))
    counts = res["status"].value_counts()
    parts = [f"{int(counts[s])} {s}" for s in claims.CLAIM_STATUSES if s in counts]
    return listing(parts)


def render_growth_claims(page, ctx: dict) -> None:
    ids = growth_claim_ids(ctx["t1"]) + ["S000-006"]
    page.glue("growth_claims_counts", f"{len(ids)} claims: " + verdict_counts(ids))
    claims.show(page, ids, name="claims-growth",
                caption="Table 1's growth rates (and the text's 2020 figure) against the growth its levels imply",
                collapsed=True)


def render_index(page, ctx: dict) -> None:
    lo, hi = ctx["years"]
    base = ctx["p"]["base_year"]
    wlv = ctx["wlv"]
    idx = index_series(wlv, base)
    ind = _independent_levels((lo, hi))
    ind_idx = None
    if base in ind.index and ind.loc[base].notna().all():
        ind_idx = index_series(ind.dropna(how="all"), base)
    rec = ctx["rec"]
    w = rec[rec["year"].between(lo + 1, hi)]
    falls = w[(w["series"] == "goods") & (w["growth_recomputed"] < 0)]["year"].tolist()
    dds = w[w["series"] == "dds"]
    page.glue("goods_fall_years", listing([str(y) for y in falls]) if falls else "no year of the window")
    page.glue("dds_min_growth", f"{pct(dds['growth_recomputed'].min(), 1, sign=True)} in "
                                f"{int(dds.loc[dds['growth_recomputed'].idxmin(), 'year'])}" if not dds.empty else "n/a")
    holds = bool(falls) and bool((dds["growth_recomputed"] >= 0).all())
    page.glue("desc_holds", "holds" if holds else "does not fully hold")
    page.glue("dds_never_fell", "never fell" if (dds["growth_recomputed"] >= 0).all() else "fell in " + listing(
        [str(y) for y in dds[dds["growth_recomputed"] < 0]["year"]]))
    last = idx.loc[hi]
    title = (f"By {hi}, Table 1's digitally delivered services stood at {num(last['dds'], 0)} ({base} = 100), goods at "
             f"{num(last['goods'], 0)} and services at {num(last['services'], 0)}")
    if ind_idx is not None and hi in ind_idx.index and ind_idx.loc[hi].notna().all():
        page.glue("ind_index_end", f"{num(ind_idx.loc[hi, 'goods'], 0)} for goods, {num(ind_idx.loc[hi, 'services'], 0)} "
                                   f"for services and {num(ind_idx.loc[hi, 'dds'], 0)} for digitally delivered services "
                                   f"in {hi}")
    elif ind_idx is not None:
        y = int(ind_idx.dropna().index.max())
        page.glue("ind_index_end", f"{num(ind_idx.loc[y, 'goods'], 0)} for goods, {num(ind_idx.loc[y, 'services'], 0)} "
                                   f"for services and {num(ind_idx.loc[y, 'dds'], 0)} for digitally delivered services "
                                   f"in {y}, their last year in data/")
    else:
        page.glue("ind_index_end", f"not available: the independent series have no value for the base year {base}")
    alt_text = (f"Line chart of the three Table 1 series indexed to {base} = 100 over {lo}–{hi}; solid lines are Table 1, "
                f"dashed lines the independent series. {title}.")
    idx_data = idx.reset_index().melt(id_vars="year", var_name="series", value_name="index").assign(source=SRC_TABLE1)
    if ind_idx is not None:
        idx_data = pd.concat([idx_data, ind_idx.reset_index().melt(id_vars="year", var_name="series", value_name="index")
                              .dropna().assign(source="Independent (WDI; WTO DDS)")], ignore_index=True)
    page.figure(chart_index(idx.round(3), None if ind_idx is None else ind_idx.round(3), base), name="index",
                title=title, subtitle=f"Index, {base} = 100; solid: Table 1; dashed: WDI (goods, services) and WTO DDS",
                source=f"{SOURCE_T1}; {SOURCE_WDI}; {SOURCE_WTO_DDS}", alt=alt_text, data=idx_data.round(4))


def render_share(page, ctx: dict) -> None:
    lo, hi = ctx["years"]
    s_t1 = dds_share(ctx["wlv"])
    ind = _independent_levels((lo, hi)).dropna()
    s_ind = dds_share(ind) if not ind.empty else pd.Series(dtype=float)
    df = pd.concat([pd.DataFrame({"year": s_t1.index, "source": "Table 1 (DDS ÷ services)", "share_pct": s_t1.values}),
                    pd.DataFrame({"year": s_ind.index, "source": "WTO DDS ÷ WDI services (all services)",
                                  "share_pct": s_ind.values})], ignore_index=True)
    h = datastore.load_table("wto_headlines")
    h = h[h["metric"] == "Digitally delivered services share of global services exports"]
    head = [(int(r.reference_year), float(r.value)) for r in h.itertuples() if lo <= int(r.reference_year) <= hi]
    for y, v in head:
        df = pd.concat([df, pd.DataFrame({"year": [y], "source": ["WTO headline (as quoted)"], "share_pct": [v]})],
                       ignore_index=True)
    page.glue("share_t1", f"{pct(s_t1.iloc[0], 1)} in {lo} to {pct(s_t1.iloc[-1], 1)} in {hi}")
    if not s_ind.empty:
        page.glue("share_ind", f"{pct(s_ind.iloc[0], 1)} in {int(s_ind.index[0])} to {pct(s_ind.iloc[-1], 1)} in "
                               f"{int(s_ind.index[-1])}")
    else:
        page.glue("share_ind", "not computable in this window")
    page.glue("share_head", listing([f"{pct(v, 0)} in {y}" for y, v in head]) if head else
              "none in this window")
    rec = ctx["rec"]
    jump = rec[(rec["series"] == "services") & (rec["year"] == hi)]
    if not jump.empty and not pd.isna(jump["agrees"].iloc[0]) and not bool(jump["agrees"].iloc[0]):
        caveat = (f"Part of the rise in Table 1's final year comes from its services level for {hi}, which falls "
                  f"({pct(jump['growth_recomputed'].iloc[0], 1, sign=True)}) although the stated rate is "
                  f"{pct(jump['growth_stated'].iloc[0], 1, sign=True)}.")
    else:
        caveat = "No inconsistent services cell affects the last year of this window."
    page.glue("share_caveat", caveat)
    title = (f"Digitally delivered services {moved(s_t1.iloc[0], s_t1.iloc[-1])} from {pct(s_t1.iloc[0], 0)} to "
             f"{pct(s_t1.iloc[-1], 0)} of services "
             f"exports in Table 1 ({lo}–{hi})")
    alt_text = (f"Line chart of digitally delivered services exports as a percentage of services exports, {lo}–{hi}: "
                f"Table 1 from {pct(s_t1.iloc[0], 1)} to {pct(s_t1.iloc[-1], 1)}; the independent ratio "
                f"(WTO ÷ WDI) is shown alongside" + (f" and WTO's headline of {listing([pct(v, 0) for _, v in head])}" if head else ""))
    page.figure(chart_share(df), name="dds-share", title=title, subtitle="% of services exports",
                source=f"{SOURCE_T1}; {SOURCE_WTO_DDS}; {SOURCE_WDI}; {SOURCE_HEAD}", alt=alt_text, data=df)
    r = claims.check("S003-019")
    page.glue("world_share_s003", pct(r.computed, 1) if r.computed is not None else "n/a")
    claims.show(page, list(SHARE_CLAIMS), name="claims-share",
                caption="A seed's world average share of digital service trade in services trade")


def render_cagr(page, ctx: dict) -> None:
    lo, hi = ctx["years"]
    lv = ctx["levels"]
    c_t1 = cagr_table(lv, lo, hi)
    ind = _independent_levels((lo, hi)).dropna()
    frames = [pd.DataFrame({"series": c_t1.index, "source": "Table 1", "cagr_pct": c_t1.values, "window": f"{lo}–{hi}"})]
    ind_ok = len(ind) >= 2
    if ind_ok:
        a, b = int(ind.index.min()), int(ind.index.max())
        c_ind = cagr_table(ind, a, b)
        frames.append(pd.DataFrame({"series": c_ind.index, "source": f"Independent ({a}–{b})",
                                    "cagr_pct": c_ind.values, "window": f"{a}–{b}"}))
    df = pd.concat(frames, ignore_index=True)
    v1 = outpaces(c_t1)
    page.glue("cagr_t1", f"{pct(c_t1['dds'], 1)} for digitally delivered services, {pct(c_t1['goods'], 1)} for goods "
                         f"and {pct(c_t1['services'], 1)} for services")
    page.glue("verdict_t1", "supported" if v1 else "not supported")
    if ind_ok:
        v2 = outpaces(c_ind)
        page.glue("cagr_ind", f"{pct(c_ind['dds'], 1)}, {pct(c_ind['goods'], 1)} and {pct(c_ind['services'], 1)} "
                              f"over {a}–{b}")
        page.glue("verdict_ind", "supported" if v2 else "not supported")
    else:
        page.glue("cagr_ind", "not computable (fewer than two years of independent data in the window)")
        page.glue("verdict_ind", "inconclusive")
    wr = window_robustness(lv.loc[lo:hi])
    k, n = int(wr["dds_leads"].sum()), len(wr)
    page.glue("rob_k", f"{k} of the {n}")
    page.glue("rob_share", pct(100 * k / n, 0))
    by_start = wr.groupby("start")["dds_leads"].agg(["sum", "count"])
    never = [str(s) for s, r in by_start.iterrows() if r["sum"] == 0]
    always = [str(s) for s, r in by_start.iterrows() if r["sum"] == r["count"]]
    page.glue("rob_never", ("in no window starting in " + listing(never, "or")) if never else
              "in at least one window from every start year")
    page.glue("rob_always", ("in every window starting in " + listing(always, "or")) if always else
              "from no start year in every window")
    page.glue("rob_reading", robustness_reading(wr, ctx["rec"]))
    title = (f"Over {lo}–{hi}, Table 1's digitally delivered services grew {pct(c_t1['dds'], 1)} a year, "
             + ("faster than goods and services" if v1 else "not faster than both goods and services"))
    alt_text = (f"Bar chart of compound annual growth rates by series. Table 1 {lo}–{hi}: " +
                ", ".join(f"{LABELS[s]} {pct(c_t1[s], 1)}" for s in SERIES) +
                (". Independent data: " + ", ".join(f"{LABELS[s]} {pct(c_ind[s], 1)}" for s in SERIES) if ind_ok else ""))
    page.figure(chart_cagr(df), name="cagr", title=title, subtitle="Compound annual growth rate, % a year",
                source=f"{SOURCE_T1}; {SOURCE_WDI}; {SOURCE_WTO_DDS}", alt=alt_text, data=df)
    hm = wr.assign(window=wr["start"].astype(str) + "–" + wr["end"].astype(str),
                   outcome=np.where(wr["dds_leads"], "faster than both", "not faster than both"))
    heat = alt.Chart(hm).mark_rect(stroke="#ffffff").encode(
        x=alt.X("end:O", title="End year"), y=alt.Y("start:O", title="Start year"),
        color=alt.Color("outcome:N", title="DDS grew",
                        scale=alt.Scale(domain=["faster than both", "not faster than both"],
                                        range=[charts.PALETTE[2], charts.PALETTE[3]])),
        tooltip=[alt.Tooltip("window:N", title="Window"), alt.Tooltip("outcome:N", title="DDS grew"),
                 alt.Tooltip("cagr_dds:Q", title="DDS CAGR (%)", format=".1f"),
                 alt.Tooltip("cagr_goods:Q", title="Goods CAGR (%)", format=".1f"),
                 alt.Tooltip("cagr_services:Q", title="Services CAGR (%)", format=".1f")])
    txt = alt.Chart(hm).mark_text(fontSize=11).encode(
        x="end:O", y="start:O", text=alt.Text("mark:N"), color=alt.value("#ffffff")).transform_calculate(
        mark="datum.dds_leads ? 'yes' : 'no'")
    page.figure(alt.layer(heat, txt).properties(width=360, height=alt.Step(34)), name="robustness",
                title=f"Digitally delivered services outgrew both goods and services in {k} of {n} windows",
                subtitle="Every start–end pair of years in the window, Table 1 levels",
                source=SOURCE_T1,
                alt=(f"Grid of start year by end year; each cell says whether digitally delivered services had a higher "
                     f"compound growth rate than both goods and services: yes in {k} of {n} windows"),
                data=hm[["start", "end", "cagr_goods", "cagr_services", "cagr_dds", "dds_leads"]].round(4))
    claims.show(page, list(TEXT_CLAIMS[1:]), name="claims-dds-2025",
                caption="The text's figure for digitally delivered exports in the last year of Table 1")


def robustness_reading(wr: pd.DataFrame, rec: pd.DataFrame) -> str:
    """One computed sentence on what the verdict depends on."""
    if wr.empty:
        return "The window is too short to test."
    k, n = int(wr["dds_leads"].sum()), len(wr)
    if k == n:
        return "The verdict does not depend on the choice of years within this window."
    if k == 0:
        return "Within this window, digitally delivered services never grew faster than both."
    first = int(wr["start"].min())
    from_first = wr[wr["start"] == first]["dds_leads"].all()
    g = rec[(rec["series"] == "goods") & rec["growth_recomputed"].notna()]
    g = g[g["year"].between(first, int(wr["end"].max()))]
    if g.empty:
        return "The verdict depends on where the comparison starts."
    trough = g.sort_values("growth_recomputed").iloc[0]
    trough_year = int(trough["year"])
    after = wr[wr["start"] == trough_year]
    fell = f"{trough_year}, the year goods exports fell most ({pct(trough['growth_recomputed'], 1, sign=True)})"
    if trough_year == first:
        n_lead = int(after["dds_leads"].sum())
        return (f"This window starts in {fell}: measured from that trough, goods and services rebounded faster in "
                + (f"all {len(after)} windows" if n_lead == 0 else f"{len(after) - n_lead} of the {len(after)} windows") +
                ". The verdict depends on where the comparison starts.")
    msg = (f"It holds in every window that starts in the first year, {first}; " if from_first else
           f"It does not hold in every window that starts in the first year, {first}; ")
    if not after.empty and not after["dds_leads"].any():
        msg += f"measured from {fell}, goods and services rebounded faster in every window."
    else:
        msg += f"measured from {fell}, it holds in {int(after['dds_leads'].sum())} of {len(after)} windows."
    return msg + " The verdict depends on where the comparison starts."


def render_crosscheck(page, ctx: dict) -> None:
    lo, hi = ctx["years"]
    unit = ctx["unit"]
    cc = crosscheck(ctx["t1"], (lo, hi))
    lv = ctx["wlv"]
    t1_long = lv.reset_index().melt(id_vars="year", var_name="series", value_name="value_bn").assign(source=SRC_TABLE1)
    ind = independent_world((lo, hi))
    both = pd.concat([t1_long, ind], ignore_index=True)
    both["value"] = to_unit(both["value_bn"], unit)
    data = both[["series", "year", "source", "value"]]
    page.figure(chart_crosscheck(data, unit), name="crosscheck",
                title=_crosscheck_title(cc), subtitle=unit_label(unit) + ", current prices",
                source=f"{SOURCE_T1}; {SOURCE_WDI}; {SOURCE_WTO_DDS}; {SOURCE_HEAD}",
                alt=("Three small line charts, one per series, comparing Table 1's levels with WDI (goods, services), the "
                     "WTO DDS dataset (digitally delivered services) and WTO headline figures (points). " +
                     _crosscheck_title(cc) + "."), data=data)
    for s, src, key in (("goods", SRC_WDI, "gap_goods_wdi"), ("services", SRC_WDI, "gap_services_wdi"),
                        ("dds", SRC_WTO_DDS, "gap_dds_wto"), ("goods", SRC_WTO_HEAD, "gap_goods_head"),
                        ("services", SRC_WTO_HEAD, "gap_services_head"), ("dds", SRC_WTO_HEAD, "gap_dds_head")):
        g = cc[(cc["series"] == s) & (cc["source"] == src)].sort_values("year")
        page.glue(key, describe_gaps(g))
    page.figure(chart_gap(cc), name="gap", title=_gap_title(cc), subtitle="Table 1 minus the other source, in % of the "
                "other source; solid: datasets; dashed: WTO headlines",
                source=f"{SOURCE_T1}; {SOURCE_WDI}; {SOURCE_WTO_DDS}; {SOURCE_HEAD}",
                alt="Line chart of the gap in percent between Table 1 and each independent source, by year. " +
                    _gap_title(cc) + ".", data=cc.round(4))
    pos = services_position()
    betw = pos[pos["between"]]["year"].tolist()
    page.glue("services_between", (f"lies between the two in {listing([str(y) for y in betw])}, the years in which both "
                                   "exist") if betw and len(betw) == len(pos) else
              ("does not consistently lie between the two" if len(pos) else "cannot be placed: no year has both"))
    rv = dds_revisions()
    page.glue("dds_revisions", listing([f"{pct(r.revision_pct, 1, sign=True)} for {r.year} (against the headline of "
                                        f"{r.report.replace('WTO ', '')})"
                                        for r in rv.itertuples()]) if not rv.empty else "not measurable")
    gh = growth_vs_headlines(ctx["rec"])
    gh = gh[gh["year"].between(lo, hi)]
    if gh.empty:
        page.glue("head_growth_summary", "No WTO headline growth rate falls in this window.")
    else:
        agree = gh[gh["agrees"]]
        dis = gh[~gh["agrees"]]
        txt = (f"Table 1's stated growth agrees with WTO's headline rate (within the headline's rounding) for "
               + listing([f"{LABELS[r.series].lower()} {r.year}" for r in agree.itertuples()]) + "."
               if not agree.empty else "No stated rate agrees with WTO's headline rates.")
        if not dis.empty:
            txt += " It does not for " + listing([f"{LABELS[r.series].lower()} {r.year} (stated "
                                                  f"{pct(r.growth_stated, 1, sign=True)}, WTO {pct(r.growth_pct, 1, sign=True)}"
                                                  f"{'; ' + _clean_note(r.note) if _clean_note(r.note) else ''})"
                                                  for r in dis.itertuples()]) + "."
        page.glue("head_growth_summary", txt)
        tab = pd.DataFrame({"Series": gh["series"].map(LABELS), "Year": gh["year"],
                            "Table 1, stated (%)": gh["growth_stated"], "Table 1, from levels (%)": gh["growth_recomputed"],
                            "WTO headline (%)": gh["growth_pct"], "WTO report": gh["report"].map(short_report),
                            "Stated rate within the headline's rounding": gh["agrees"].map({True: "yes", False: "no"})})
        page.table(tab, name="headline-growth", caption="Table 1's growth rates against WTO's headline growth rates",
                   source=f"{SOURCE_T1}; {SOURCE_HEAD}",
                   formats={"Table 1, stated (%)": "+.1f", "Table 1, from levels (%)": "+.2f", "WTO headline (%)": "+.1f"})
    ids = level_claim_ids(ctx["t1"])
    page.glue("level_claims_counts", f"{len(ids)} claims: " + verdict_counts(ids))


def render_level_claims(page, ctx: dict) -> None:
    claims.show(page, level_claim_ids(ctx["t1"]), name="claims-levels",
                caption="Table 1's levels against independent figures of the same concept", collapsed=True)


def short_report(name: str) -> str:
    """'WTO Global Trade Outlook and Statistics (April 2024)' -> 'GTOS, April 2024'."""
    import re

    m = re.match(r"WTO Global Trade Outlook and Statistics(?: - Update: (\w+ \d{4}))?(?: \(([^)]+)\))?", name)
    if m:
        return "GTOS, " + (m.group(2) or m.group(1) or "")
    return name.replace("WTO ", "")


def _clean_note(note: str) -> str:
    """A curation note of wto_headlines without its bookkeeping part (shared sentences)."""
    parts = [x.strip() for x in str(note or "").split(";")]
    return "; ".join(x for x in parts if x and not x.startswith("sentence shared"))


def describe_gaps(g: pd.DataFrame, band: float = 2.0) -> str:
    """Gaps (%) by year in words: years within ``band`` points of the median as one range, the rest listed."""
    if g.empty:
        return "nothing: no year of this window overlaps"
    g = g.sort_values("year")
    med = g["gap_pct"].median()
    core = g[(g["gap_pct"] - med).abs() <= band]
    out = g[(g["gap_pct"] - med).abs() > band]
    parts = []
    if len(core) == 1:
        r = core.iloc[0]
        parts.append(f"{pct(r['gap_pct'], 1, sign=True)} in {int(r['year'])}")
    elif len(core) > 1:
        parts.append(f"{pct(core['gap_pct'].min(), 1, sign=True)} to {pct(core['gap_pct'].max(), 1, sign=True)} in "
                     f"{year_ranges(core['year'])}")
    parts += [f"{pct(r.gap_pct, 1, sign=True)} in {int(r.year)}" for r in out.itertuples()]
    return listing(parts)


def _crosscheck_title(cc: pd.DataFrame) -> str:
    g = gap_summary(cc, "services", SRC_WDI)
    d = gap_summary(cc, "dds", SRC_WTO_DDS)
    parts = []
    if g:
        parts.append(f"Table 1's services sit {pct(abs(g[1]), 1)}–{pct(abs(g[0]), 1)} below WDI every year" if g[1] < 0
                     else f"Table 1's services differ from WDI by {pct(g[0], 1, sign=True)} to {pct(g[1], 1, sign=True)}")
    if d:
        parts.append(f"its digitally delivered services {pct(abs(d[1]), 1)}–{pct(abs(d[0]), 1)} below WTO's dataset"
                     if d[1] < 0 else f"its digitally delivered services differ from WTO's dataset by "
                                      f"{pct(d[0], 1, sign=True)} to {pct(d[1], 1, sign=True)}")
    return "; ".join(parts) if parts else "No independent figure overlaps this window"


def _gap_title(cc: pd.DataFrame) -> str:
    if cc.empty:
        return "No independent figure overlaps this window"
    worst = cc.loc[cc["gap_pct"].abs().idxmax()]
    return (f"The largest gap: {LABELS[worst['series']].lower()} {int(worst['year'])}, Table 1 "
            f"{pct(worst['gap_pct'], 1, sign=True)} against {worst['source']}")


def render_leaders(page, ctx: dict) -> None:
    top_n = ctx["p"]["top_n"]
    lo, hi = ctx["history"]
    unit = ctx["unit"]
    ict = ict_leaders((lo, hi), top_n)
    levels = ict["levels"]
    ry = ict["rank_year"]
    shown = ict["top"]
    d = levels[levels["iso3"].isin(shown)].assign(label=lambda x: x["iso3"].map(_name),
                                                  value=lambda x: to_unit(x["value_bn"], unit))
    rc = ict["rcep"]
    rc_const = rc[rc["basis"] == "constant membership"].dropna(subset=["share_pct"])
    n_const = len(rc.attrs["complete_members"])
    rc_label = f"RCEP ({n_const})"
    d = pd.concat([d[["label", "year", "share_pct", "value"]],
                   pd.DataFrame({"label": rc_label, "year": rc_const["year"], "share_pct": rc_const["share_pct"],
                                 "value": to_unit(rc_const["value_bn"], unit)})],
                  ignore_index=True).dropna(subset=["share_pct"])
    chn = levels[(levels["iso3"] == "CHN")].set_index("year")
    first_y = int(chn.dropna(subset=["share_pct"]).index.min())
    page.glue("ict_n", str(ict["n_economies"]))
    page.glue("ict_rank_year", str(ry))
    page.glue("ict_shown", listing([_name(c) for c in shown]) + (" (all economies of the extract)" if ict["shown_all"]
                                                                  else ""))
    page.glue("ict_chn", f"{pct(chn.loc[first_y, 'share_pct'], 1)} in {first_y} to {pct(chn.loc[ry, 'share_pct'], 1)} in "
                         f"{ry} (rank {int(chn.loc[first_y, 'rank'])} → {int(chn.loc[ry, 'rank'])} within the extract)")
    rc_first = rc_const.iloc[0]
    rc_last = rc_const.iloc[-1]
    page.glue("ict_rcep", f"{pct(rc_first['share_pct'], 1)} in {int(rc_first['year'])} to {pct(rc_last['share_pct'], 1)} in "
                          f"{int(rc_last['year'])}")
    page.glue("ict_rcep_members", listing([_name(c) for c in rc.attrs["complete_members"]]))
    lead = levels[levels["year"] == ry].sort_values("share_pct", ascending=False).iloc[0]
    title = (f"In {ry}, {_name(lead['iso3'])} led ICT services exports among the extract's economies with "
             f"{pct(lead['share_pct'], 1)} of the world total; China had {pct(chn.loc[ry, 'share_pct'], 1)}")
    page.figure(chart_shares_over_time(d, "China", "% of world ICT services exports",
                                       f"Exports ({unit_label(unit)})"), name="ict-shares", title=title,
                subtitle=f"Share of world ICT services exports (WDI World total), %; top {len(shown)} of the "
                         f"{ict['n_economies']} economies in the extract, and RCEP ({n_const} = the members with data "
                         "in every year)",
                source=SOURCE_WDI + ", BX.GSR.CCIS.CD (ICT service exports, BoP, current US$)",
                alt=(f"Line chart of world shares of ICT services exports, {int(d['year'].min())}–{int(d['year'].max())}, "
                     f"for {listing(sorted(d['label'].unique()))}. {title}."), data=d.round(4))
    lvl = levels[levels["year"] == ry].sort_values("rank")
    lvl = lvl[lvl["iso3"].isin(shown)]
    rc_ry = rc[(rc["year"] == ry)].set_index("basis")
    tab = pd.DataFrame({"Rank in extract": lvl["rank"], "Economy": lvl["iso3"].map(_name),
                        f"ICT services exports {ry} ({unit_label(unit)})": to_unit(lvl["value_bn"], unit),
                        "Share of world (%)": lvl["share_pct"]})
    extra = pd.DataFrame({"Rank in extract": [pd.NA, pd.NA], "Economy": ["RCEP, members with data that year "
                                                                          f"({int(rc_ry.loc['members with data', 'n_members'])})",
                                                                          f"RCEP, the {n_const} members with data every year"],
                          f"ICT services exports {ry} ({unit_label(unit)})": to_unit(
                              np.array([rc_ry.loc["members with data", "value_bn"], rc_ry.loc["constant membership", "value_bn"]]), unit),
                          "Share of world (%)": [rc_ry.loc["members with data", "share_pct"],
                                                 rc_ry.loc["constant membership", "share_pct"]]})
    tab = pd.concat([tab, extra], ignore_index=True)
    page.table(tab, name="ict-levels", caption=f"Leading ICT services exporters of the WDI extract, {ry}",
               source=SOURCE_WDI, formats={tab.columns[2]: ",.1f", "Share of world (%)": ".2f"},
               note="Ranks are within the extract (RCEP members, USA, India, United Kingdom, Germany), not the world.")
    w = datastore.load_wdi(ICT_CODE, years=(lo, hi))
    miss = rcep_members_missing(w, "value", (lo, min(hi, int(w["year"].max()))))
    page.glue("ict_missing", listing([f"{n} ({y})" for n, y in zip(miss["name"], miss["years missing"])])
              if not miss.empty else "none")


def render_unctad(page, ctx: dict) -> None:
    """A true world ranking (digitally deliverable services, all modes) and China's rank in both rankings."""
    top_n = ctx["p"]["top_n"]
    lo, hi = ctx["history"]
    ict = ict_leaders((lo, hi), top_n)
    levels = ict["levels"]
    u = unctad_leaders((lo, hi), top_n)
    sh = u["shares"]
    du = sh[sh["iso3"].isin(u["top"])].assign(label=lambda x: x["iso3"].map(_name),
                                              value=lambda x: to_unit(x["value_bn"], ctx["unit"]))
    urc = rcep_aggregate(sh.assign(v=sh["share_pct"], vb=sh["value_bn"]), "v", u["years"])
    urc_b = rcep_aggregate(sh.assign(vb=sh["value_bn"]), "vb", u["years"])
    urc_c = urc[urc["basis"] == "constant membership"]
    urc_cb = urc_b[urc_b["basis"] == "constant membership"].set_index("year")["value"]
    n_uc = len(urc.attrs["complete_members"])
    u_label = f"RCEP ({n_uc})"
    du = pd.concat([du[["label", "year", "share_pct", "value"]],
                    pd.DataFrame({"label": u_label, "year": urc_c["year"], "share_pct": urc_c["value"],
                                  "value": to_unit(urc_c["year"].map(urc_cb), ctx["unit"])})], ignore_index=True)
    umiss = rcep_members_missing(sh, "share_pct", u["years"])
    page.glue("unctad_rcep", f"{pct(urc_c['value'].iloc[0], 1)} in {int(urc_c['year'].iloc[0])} to "
                             f"{pct(urc_c['value'].iloc[-1], 1)} in {int(urc_c['year'].iloc[-1])}")
    page.glue("unctad_rcep_n", str(n_uc))
    page.glue("unctad_missing", listing([f"{n} ({y})" for n, y in zip(umiss["name"], umiss["years missing"])])
              if not umiss.empty else "none")
    con = concentration(sh, top_n)
    c0, c1 = con.iloc[0], con.iloc[-1]
    page.glue("unctad_win", f"{u['years'][0]}–{u['years'][1]}")
    page.glue("unctad_cov", f"{int(u['coverage']['economies'].min())} and {int(u['coverage']['economies'].max())}")
    page.glue("unctad_cov_last", f"{int(u['coverage'].iloc[-1]['economies'])} in {int(u['coverage'].iloc[-1]['year'])}")
    page.glue("unctad_top", listing([_name(c) for c in u["top"]]))
    page.glue("unctad_leader", f"{_name(c0['leader'])} {pct(c0['top1_pct'], 1)} in {int(c0['year'])} → "
                               f"{_name(c1['leader'])} {pct(c1['top1_pct'], 1)} in {int(c1['year'])}")
    page.glue("unctad_topn", f"{pct(c0['topn_pct'], 1)} → {pct(c1['topn_pct'], 1)}")
    page.glue("unctad_hhi", f"{num(c0['hhi'], 0)} → {num(c1['hhi'], 0)}")
    page.glue("topn", str(top_n))
    direction = ("less concentrated" if c1["hhi"] < c0["hhi"] else "more concentrated")
    page.glue("unctad_direction", direction)
    page.glue("unctad_reading", concentration_reading(con))
    last = sh[sh["year"] == u["last"]].set_index("iso3")
    title_u = (f"{_name(u['top'][0])} led world exports of digitally deliverable services in {u['last']} with "
               f"{pct(last.loc[u['top'][0], 'share_pct'], 1)}; China ranked {int(last.loc['CHN', 'rank'])}"
               if "CHN" in last.index else f"{_name(u['top'][0])} led in {u['last']}")
    page.figure(chart_shares_over_time(du, "China", "% of world digitally deliverable services exports",
                                       f"Exports ({unit_label(ctx['unit'])})"),
                name="unctad-shares", title=title_u,
                subtitle=f"Share of world exports (UNCTAD World total), %; the {len(u['top'])} largest exporters of "
                         f"{u['last']}, and RCEP ({n_uc} = the members with data in every year)",
                source=SOURCE_UNCTAD, alt=(f"Line chart of world shares of digitally deliverable services exports, "
                                           f"{u['years'][0]}–{u['years'][1]}, for {listing(sorted(du['label'].unique()))}. "
                                           f"{title_u}."), data=du.round(4))
    # China's rank over time, both measures
    r_ict = levels[levels["iso3"] == "CHN"][["year", "rank"]].assign(
        rank_low=lambda x: x["rank"], measure=f"ICT services, within the WDI extract ({ict['n_economies']} economies)")
    r_u = u["rank"].assign(measure="Digitally deliverable services, world (UNCTAD)")
    rk = pd.concat([r_ict, r_u[["year", "rank", "rank_low", "measure"]]], ignore_index=True)
    ru0, ru1 = u["rank"].iloc[0], u["rank"].iloc[-1]
    page.glue("chn_rank_unctad", f"{int(ru0['rank'])} in {int(ru0['year'])} to {int(ru1['rank'])} in {int(ru1['year'])}")
    unc = u["rank"][u["rank"]["rank_low"] > u["rank"]["rank"]]
    page.glue("chn_rank_caveat", "In no year could an economy missing from UNCTAD's table have ranked above China, "
                                 "judging by its value in the nearest year it reports." if unc.empty else
              "Economies missing in some years could have ranked above China: " +
              listing([f"{r.year}: {r.possibly_above}" for r in unc.itertuples()]) + ".")
    page.figure(chart_rank(rk), name="china-rank",
                title=f"China {moved(-ru0['rank'], -ru1['rank'])} from rank {int(ru0['rank'])} to {int(ru1['rank'])} "
                      "among the world's exporters of "
                      f"digitally deliverable services ({int(ru0['year'])}–{int(ru1['year'])})",
                subtitle="Rank, 1 = largest; bars: how far down the rank could go if economies missing that year reported",
                source=f"{SOURCE_UNCTAD}; {SOURCE_WDI}",
                alt=(f"Line chart of China's rank over time in two rankings: digitally deliverable services exports "
                     f"(world, UNCTAD) from {int(ru0['rank'])} to {int(ru1['rank'])}, and ICT services exports within the "
                     f"WDI extract."), data=rk)
    cov = u["coverage"].rename(columns={"year": "Year", "economies": "Economies with a value"})
    page.table(cov, name="unctad-coverage", caption="UNCTAD digitally deliverable services exports: economies with a "
               "value, by year (aggregates excluded)", source=SOURCE_UNCTAD, collapsed=True)


def concentration_reading(con: pd.DataFrame) -> str:
    """Computed reading of the concentration path: direction, pace (second half vs first), driver."""
    if len(con) < 3:
        return "The period is too short to speak of a trend."
    c0, c1 = con.iloc[0], con.iloc[-1]
    mid = con.iloc[len(con) // 2]
    d1, d2 = mid["hhi"] - c0["hhi"], c1["hhi"] - mid["hhi"]
    if c1["hhi"] >= c0["hhi"]:
        return ("Concentration did not fall over the period, so the data do not show the growing multipolarity the "
                "study describes.")
    pace = ("faster in the second half of the period than in the first" if d2 < d1 else
            "no faster in the second half of the period than in the first")
    driver = ("mostly the leader's falling share, while the combined share of the largest exporters barely moved"
              if abs(c1["topn_pct"] - c0["topn_pct"]) < abs(c1["top1_pct"] - c0["top1_pct"]) else
              "a falling combined share of the largest exporters")
    return (f"The decline in concentration was {pace} (Herfindahl {num(c0['hhi'], 0)} → {num(mid['hhi'], 0)} by "
            f"{int(mid['year'])} → {num(c1['hhi'], 0)}), and it reflects {driver}.")


def render_quoted(page, ctx: dict) -> None:
    claims.show(page, list(QUOTED_CLAIMS), name="claims-quoted",
                caption="Figures of the study that no table in data/ can check: quoted, not verified")


def render_rerun(page, ctx: dict) -> None:
    """Commands that re-run this page with other parameters (shown as HTML, not prose)."""
    page.rerun_examples(
        ['make chapter NAME=global_trends ARGS="-p start_year 2020 -p base_year 2020 -p unit usd_100m"',
         'make chapter NAME=global_trends ARGS="-p end_year 2024 -p top_n 12 -p history_start 2015"'],
        "Any window inside the years of Table 1 works; growth needs two years, so start_year must be before end_year.")
