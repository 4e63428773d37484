"""Structure of services trade: composition by category, balances, digitally deliverable shares, RCA.

Definitions used on the "Structure" page (defined once, here):

* **Categories.** WDI publishes four shares of *commercial* service exports and imports: transport
  (``*.GSR.TRAN.ZS``), travel (``TRVL``), insurance & financial (``INSF``) and computer,
  communications & other (``CMCP``). They do not always add up to 100: the remainder,
  ``100 − sum``, is shown as its own category "other (goods-related & government)". WDI does not
  publish it; it is computed here and may be negative where a published share is negative.
* **Levels.** A category's level is its share × total service exports or imports
  (``*.GSR.NFSV.CD``). NFSV is *total* services (commercial + government), so this allocates
  government services pro rata across the categories: an approximation, but the category levels
  then add up exactly to the published total, and the category balances to the published balance.
* **Traditional** services = transport + travel. **Modern** services = insurance & financial +
  computer, communications & other (WDI's categories; not the same as "digitally deliverable").
* **Digitally deliverable share** of service exports = UNCTAD digitally deliverable services exports
  (all modes) / WDI service exports (BoP) × 100. Two sources, so the ratio is indicative.
* **Revealed comparative advantage** (Balassa): RCA_i,k = (X_i,k / X_i) / (X_w,k / X_w), X = service
  exports, w = the world (WLD rows of the same tables). Above 1: k weighs more in i's service exports
  than in the world's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from helpers.book import charts
from helpers.claims import core as claims
from helpers.data import datastore as ds
from helpers import text

# --------------------------------------------------------------------------- definitions

FLOWS = {"exports": "BX", "imports": "BM"}
FLOW_LABEL = {"exports": "Exports", "imports": "Imports"}


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    suffix: str | None  # WDI code part (TRAN, TRVL, INSF, CMCP); None for the computed remainder
    group: str  # traditional | modern | other


CATEGORIES: tuple[Category, ...] = (
    Category("transport", "Transport", "TRAN", "traditional"),
    Category("travel", "Travel", "TRVL", "traditional"),
    Category("insurance_financial", "Insurance & financial", "INSF", "modern"),
    Category("ict_other", "Computer, communications & other", "CMCP", "modern"),
)
OTHER = Category("other", "Other (goods-related & government)", None, "other")
ALL_CATEGORIES: tuple[Category, ...] = CATEGORIES + (OTHER,)
CATEGORY_LABELS = [c.label for c in ALL_CATEGORIES]
CATEGORY_COLORS = [charts.PALETTE[0], charts.PALETTE[5], charts.PALETTE[1], charts.PALETTE[2], charts.CONTEXT_COLOR]
GROUP_LABELS = {
    "traditional": "Traditional (transport + travel)",
    "modern": "Modern (insurance & financial + computer, communications & other)",
    "other": "Other (goods-related & government)",
}
DDS_LABEL = "Digitally deliverable (UNCTAD) / services (WDI)"
ICT_LABEL = "of which ICT services (% of all service exports)"
RCA_ICT = "ICT services"
RCA_DDS = "Digitally deliverable services"

WDI_SRC = "World Bank, World Development Indicators (data/wdi.csv)"
UNCTAD_SRC = "UNCTAD, digitally deliverable services trade (data/unctad_dds.csv)"
WTO_SRC = "WTO, Digitally Delivered Services dataset 2026 (data/wto_dds_2026.csv)"

# Claims of this chapter, in the groups the page discusses them (every id appears in exactly one).
CLAIM_GROUPS: dict[str, tuple[str, ...]] = {
    "traditional": ("S000-068", "S000-069", "S000-071", "S000-072", "S000-073", "S000-074", "S001-008"),
    "knowledge": ("S000-004", "S000-005", "S000-065", "S000-070", "S001-007", "S004-008"),
    "digital": ("S000-077", "S003-002", "S003-005", "S003-008", "S003-018", "S003-023", "S003-024"),
}


def share_code(flow: str, cat: Category) -> str:
    if flow not in FLOWS:
        raise ValueError(f"flow {flow!r} must be one of {sorted(FLOWS)}")
    if cat.suffix is None:
        raise ValueError(f"category {cat.key!r} is computed, it has no WDI code")
    return f"{FLOWS[flow]}.GSR.{cat.suffix}.ZS"


def total_code(flow: str) -> str:
    if flow not in FLOWS:
        raise ValueError(f"flow {flow!r} must be one of {sorted(FLOWS)}")
    return f"{FLOWS[flow]}.GSR.NFSV.CD"


COMPOSITION_CODES = tuple(share_code(f, c) for f in FLOWS for c in CATEGORIES) + tuple(total_code(f) for f in FLOWS)


def definitions_table() -> pd.DataFrame:
    """The definitions used on the page, as a small table."""
    rows = [(c.label, GROUP_LABELS[c.group].split(" (")[0],
             " / ".join(share_code(f, c) for f in FLOWS) + " (% of commercial services)") for c in CATEGORIES]
    rows.append((OTHER.label, "Other", "100 − the four shares above (computed here; WDI does not publish it)"))
    rows.append(("Level of a category", "—", "share × total services (BX/BM.GSR.NFSV.CD); total includes government "
                 "services, so levels are an approximation that adds up to the published total"))
    rows.append(("Digitally deliverable share", "—", "UNCTAD digitally deliverable exports (all modes) / WDI service "
                 "exports × 100; two sources"))
    rows.append(("RCA (Balassa)", "—", "(X_i,k / X_i) / (X_world,k / X_world), service exports; k = ICT "
                 "(BX.GSR.CCIS.CD) or digitally deliverable (UNCTAD)"))
    return pd.DataFrame(rows, columns=["term", "group", "definition"])


# --------------------------------------------------------------------------- validation


def check_window(start_year: int, end_year: int) -> None:
    if not isinstance(start_year, int) or not isinstance(end_year, int):
        raise ValueError(f"start_year and end_year must be integers, got {start_year!r}, {end_year!r}")
    if start_year > end_year:
        raise ValueError(f"start_year ({start_year}) must not be after end_year ({end_year})")


def check_country(country: str) -> None:
    rcep = ds.country_groups()["rcep"]
    if country not in rcep:
        raise ValueError(f"country {country!r} is not an RCEP member; allowed: {', '.join(rcep)}")


# --------------------------------------------------------------------------- loading


@lru_cache(maxsize=64)
def _wdi_cached(codes: tuple[str, ...]) -> pd.DataFrame:
    return ds.load_wdi(list(codes))


def _wdi(codes: Sequence[str]) -> pd.DataFrame:
    """Long WDI rows for some indicators, all economies and years (no error when a country has none)."""
    return _wdi_cached(tuple(codes)).copy()


def wdi_wide(codes: Sequence[str], countries: Iterable[str] | None = None,
             years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Wide frame iso3, year, <codes...>; only rows that exist in the source (gaps stay NaN)."""
    df = _wdi(codes)
    if countries is not None:
        df = df[df["iso3"].isin(list(countries))]
    if years is not None:
        df = df[df["year"].between(*years)]
    wide = df.pivot(index=["iso3", "year"], columns="indicator", values="value").reset_index().rename_axis(columns=None)
    for code in codes:
        if code not in wide.columns:
            wide[code] = np.nan
    return wide.sort_values(["iso3", "year"]).reset_index(drop=True)


# --------------------------------------------------------------------------- composition (pure transforms)


def composition_from_wide(wide: pd.DataFrame) -> pd.DataFrame:
    """Long composition: iso3, year, flow, category, label, group, share_pct, level_usd.

    A country-year-flow is kept only when all four published shares exist; the remainder category
    is 100 − their sum. ``level_usd`` = share/100 × total services (NaN when the total is missing).
    """
    out = []
    for flow in FLOWS:
        codes = [share_code(flow, c) for c in CATEGORIES]
        missing = [c for c in codes if c not in wide.columns]
        if missing:
            raise ValueError(f"composition needs columns {missing}")
        tot = wide[total_code(flow)] if total_code(flow) in wide.columns else pd.Series(np.nan, index=wide.index)
        ok = wide[codes].notna().all(axis=1)
        if not ok.any():
            continue
        sub = wide.loc[ok]
        shares = {c.key: sub[share_code(flow, c)].astype(float) for c in CATEGORIES}
        shares[OTHER.key] = 100.0 - sum(shares.values())
        for cat in ALL_CATEGORIES:
            s = shares[cat.key]
            out.append(pd.DataFrame({
                "iso3": sub["iso3"].to_numpy(), "year": sub["year"].astype(int).to_numpy(), "flow": flow,
                "category": cat.key, "label": cat.label, "group": cat.group,
                "share_pct": s.to_numpy(), "level_usd": (s / 100.0 * tot.loc[ok].astype(float)).to_numpy(),
            }))
    cols = ["iso3", "year", "flow", "category", "label", "group", "share_pct", "level_usd"]
    if not out:
        return pd.DataFrame(columns=cols).astype({"year": int, "share_pct": float, "level_usd": float})
    order = {c.key: i for i, c in enumerate(ALL_CATEGORIES)}
    df = pd.concat(out, ignore_index=True)
    df["_o"] = df["category"].map(order)
    return df.sort_values(["iso3", "flow", "year", "_o"]).drop(columns="_o").reset_index(drop=True)[cols]


def load_composition(country: str, start_year: int, end_year: int) -> pd.DataFrame:
    check_window(start_year, end_year)
    wide = wdi_wide(COMPOSITION_CODES, [country], (start_year, end_year))
    return composition_from_wide(wide)


def group_shares(comp: pd.DataFrame) -> pd.DataFrame:
    """Traditional / modern / other shares (sums of category shares) per iso3, year, flow."""
    if comp.empty:
        return pd.DataFrame(columns=["iso3", "year", "flow", "group", "share_pct"])
    g = comp.groupby(["iso3", "year", "flow", "group"], as_index=False)["share_pct"].sum()
    return g.sort_values(["iso3", "flow", "group", "year"]).reset_index(drop=True)


def balance_by_category(comp: pd.DataFrame) -> pd.DataFrame:
    """Exports − imports per category (US$), for years where both flows have a composition and totals."""
    cols = ["iso3", "year", "category", "label", "balance_usd"]
    if comp.empty:
        return pd.DataFrame(columns=cols)
    w = comp.pivot_table(index=["iso3", "year", "category", "label"], columns="flow", values="level_usd",
                         aggfunc="first").reset_index()
    if not {"exports", "imports"} <= set(w.columns):
        return pd.DataFrame(columns=cols)
    w = w.dropna(subset=["exports", "imports"])
    w["balance_usd"] = w["exports"] - w["imports"]
    order = {c.key: i for i, c in enumerate(ALL_CATEGORIES)}
    w["_o"] = w["category"].map(order)
    return w.sort_values(["iso3", "year", "_o"])[cols].reset_index(drop=True)


def deficit_contributions(bal: pd.DataFrame, year: int, iso3: str | None = None) -> pd.DataFrame:
    """Each category's balance as % of the total balance in ``year`` (positive = adds to the deficit
    when the total is a deficit). Raises ValueError if the year is absent or the total is zero."""
    sub = bal[bal["year"] == year]
    if iso3 is not None:
        sub = sub[sub["iso3"] == iso3]
    if sub.empty:
        raise ValueError(f"no category balances for year {year}")
    total = sub["balance_usd"].sum()
    if total == 0:
        raise ValueError(f"total balance is zero in {year}; contributions undefined")
    out = sub[["category", "label", "balance_usd"]].copy()
    out["pct_of_total"] = 100.0 * out["balance_usd"] / total
    return out.reset_index(drop=True)


def remainder_summary(comp: pd.DataFrame) -> dict[str, float]:
    """Mean 'other' share by flow (to say how asymmetric the published categories are)."""
    o = comp[comp["category"] == OTHER.key]
    return {flow: float(o.loc[o["flow"] == flow, "share_pct"].mean()) if (o["flow"] == flow).any() else float("nan")
            for flow in FLOWS}


# --------------------------------------------------------------------------- digitally deliverable & RCA


def dds_share(dds: pd.DataFrame, services: pd.DataFrame) -> pd.DataFrame:
    """Digitally deliverable share (%) of services: ``dds`` (iso3, year, value_usd_mn) over ``services``
    (iso3, year, value in US$). Rows need both; a non-positive total gives NaN."""
    m = dds[["iso3", "year", "value_usd_mn"]].merge(services[["iso3", "year", "value"]], on=["iso3", "year"])
    denom = m["value"].where(m["value"] > 0)
    m["share_pct"] = 100.0 * m["value_usd_mn"] * 1e6 / denom
    return m.dropna(subset=["share_pct"])[["iso3", "year", "share_pct"]].sort_values(["iso3", "year"]).reset_index(
        drop=True)


def balassa(x_ik, x_i, x_wk, x_w):
    """Balassa index (X_ik / X_i) / (X_wk / X_w), element-wise; NaN where a denominator or the world
    share is not positive. Accepts scalars or aligned Series."""
    def pos(v):
        v = pd.to_numeric(v) if isinstance(v, pd.Series) else float(v)
        return v.where(v > 0) if isinstance(v, pd.Series) else (v if v > 0 else np.nan)

    world = pos(x_wk) / pos(x_w)
    return (x_ik / pos(x_i)) / world


def rca_frame(num: pd.DataFrame, den: pd.DataFrame, world: str = ds.WORLD) -> pd.DataFrame:
    """RCA per iso3-year from long frames num (iso3, year, x_k) and den (iso3, year, x); world rows by iso3."""
    m = num.merge(den, on=["iso3", "year"])
    w = m[m["iso3"] == world][["year", "x_k", "x"]].rename(columns={"x_k": "w_k", "x": "w"})
    m = m[m["iso3"] != world].merge(w, on="year")
    m["rca"] = balassa(m["x_k"], m["x"], m["w_k"], m["w"])
    return m.dropna(subset=["rca"])[["iso3", "year", "rca"]].sort_values(["iso3", "year"]).reset_index(drop=True)


def _services(flow: str = "exports") -> pd.DataFrame:
    return _wdi([total_code(flow)])[["iso3", "year", "value"]]


@lru_cache(maxsize=4)
def _unctad_cached(flow: str) -> pd.DataFrame:
    return ds.load_unctad_dds(flow)[["iso3", "year", "value_usd_mn"]]


def _unctad(flow: str = "exports") -> pd.DataFrame:
    return _unctad_cached(flow).copy()


def dds_share_panel(members: Sequence[str], start_year: int, end_year: int) -> pd.DataFrame:
    """Digitally deliverable share of service exports (%), members × years in the window."""
    check_window(start_year, end_year)
    sh = dds_share(_unctad("exports"), _services("exports"))
    sh = sh[sh["iso3"].isin(list(members)) & sh["year"].between(start_year, end_year)]
    return _named(sh)


def rca_panel(members: Sequence[str], start_year: int, end_year: int) -> pd.DataFrame:
    """RCA in ICT services (WDI) and in digitally deliverable services (UNCTAD / WDI), long."""
    check_window(start_year, end_year)
    ict = _wdi(["BX.GSR.CCIS.CD"]).rename(columns={"value": "x_k"})[["iso3", "year", "x_k"]]
    x = _services("exports").rename(columns={"value": "x"})
    dds = _unctad("exports").assign(x_k=lambda d: d["value_usd_mn"] * 1e6)[["iso3", "year", "x_k"]]
    parts = [rca_frame(ict, x).assign(measure=RCA_ICT), rca_frame(dds, x).assign(measure=RCA_DDS)]
    out = pd.concat(parts, ignore_index=True)
    out = out[out["iso3"].isin(list(members)) & out["year"].between(start_year, end_year)]
    return _named(out).sort_values(["measure", "iso3", "year"]).reset_index(drop=True)


def _named(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    names = ds.countries()["display_name"]
    df["economy"] = df["iso3"].map(names)
    return df


def latest_common_year(df: pd.DataFrame, members: Sequence[str], value: str = "share_pct") -> tuple[int | None, list[str]]:
    """Latest year in which every member with any value reports one; if no year has all of them, the
    latest year with the most members. Returns (year, members missing in that year)."""
    d = df[df["iso3"].isin(list(members)) & df[value].notna()]
    if d.empty:
        return None, list(members)
    have = sorted(set(d["iso3"]))
    counts = d.groupby("year")["iso3"].nunique()
    best = counts.max()
    year = int(counts[counts == best].index.max())
    present = set(d.loc[d["year"] == year, "iso3"])
    return year, [m for m in members if m not in present and m in have] + [m for m in members if m not in have]


# --------------------------------------------------------------------------- China, WTO sub-sectors


def china_dds_by_sector(start_year: int | None = None, end_year: int | None = None) -> pd.DataFrame:
    """China's digitally delivered services (WTO, Mode 1) by sub-sector: year, sector, exports,
    imports, balance (US$ mn), preliminary flag (2025)."""
    d = ds.load_table("wto_dds_2026")
    d = d[(d["iso3"] == "CHN") & (d["sector_code"] != "DDS")]
    w = d.pivot_table(index=["year", "sector_code", "sector_name"], columns="flow", values="value_usd_mn",
                      aggfunc="first").reset_index().rename_axis(columns=None)
    w["balance"] = w["exports"] - w["imports"]
    if start_year is not None:
        w = w[w["year"] >= start_year]
    if end_year is not None:
        w = w[w["year"] <= end_year]
    w["sector"] = w["sector_name"].map(_short_sector)
    # the release's last year is preliminary (WTO DDS 2026: data to 2025, 2025 preliminary)
    w["status"] = np.where(w["year"] == int(d["year"].max()), "preliminary", "final")
    return w.sort_values(["year", "sector_code"]).reset_index(drop=True)


def _short_sector(name: str) -> str:
    n = str(name)
    short = {"Charges for the use of intellectual property": "IP charges",
             "Personal, cultural, and recreational": "Personal, cultural & recreational",
             "Insurance and pension": "Insurance & pension"}
    for k, v in short.items():
        if n.startswith(k):
            return v
    return n.replace(" services", "")


def china_dds_totals() -> pd.DataFrame:
    """China's WTO digitally delivered totals (DDS) by year and flow, US$ mn."""
    return _china_dds_totals().copy()


@lru_cache(maxsize=1)
def _china_dds_totals() -> pd.DataFrame:
    d = ds.load_table("wto_dds_2026")
    d = d[(d["iso3"] == "CHN") & (d["sector_code"] == "DDS")]
    return d.pivot_table(index="year", columns="flow", values="value_usd_mn", aggfunc="first").reset_index(
    ).rename_axis(columns=None)


def trade_share(country: str, year: int, source: str, flows: Sequence[str] = ("exports", "imports")) -> float:
    """Digitally delivered (WTO, China only) or deliverable (UNCTAD) services as % of WDI services
    trade, summed over ``flows``; NaN when a piece is missing."""
    if source not in ("wto", "unctad"):
        raise ValueError(f"source {source!r} must be 'wto' or 'unctad'")
    num = 0.0
    den = 0.0
    for flow in flows:
        if source == "wto":
            if country != "CHN":
                raise ValueError("the WTO digitally delivered file has exports and imports for China only")
            t = china_dds_totals()
            v = t.loc[t["year"] == year, flow]
        else:
            u = _unctad(flow)
            v = u.loc[(u["iso3"] == country) & (u["year"] == year), "value_usd_mn"]
        s = _services(flow)
        tot = s.loc[(s["iso3"] == country) & (s["year"] == year), "value"]
        if v.empty or tot.empty or pd.isna(v.iloc[0]) or pd.isna(tot.iloc[0]):
            return float("nan")
        num += float(v.iloc[0]) * 1e6
        den += float(tot.iloc[0])
    return 100.0 * num / den if den > 0 else float("nan")


# --------------------------------------------------------------------------- knowledge-intensive proxies


PROXY_MODERN = "WDI modern services (insurance & financial + computer, communications & other)"
PROXY_DDS = "UNCTAD digitally deliverable services / WDI services"


def knowledge_proxies(country: str = "CHN") -> pd.DataFrame:
    return _knowledge_proxies(country).copy()


@lru_cache(maxsize=16)
def _knowledge_proxies(country: str) -> pd.DataFrame:
    """Two proxies for 'knowledge-intensive services' (a MOFCOM concept not in the data), as % of
    exports and of trade (exports + imports): year, proxy, basis, share_pct."""
    comp = load_composition(country, 2000, 2100)
    rows = []
    if not comp.empty:
        mod = comp[comp["group"] == "modern"].groupby(["year", "flow"])["level_usd"].sum().unstack()
        tot = comp.groupby(["year", "flow"])["level_usd"].sum().unstack()
        if {"exports", "imports"} <= set(mod.columns):
            rows.append(pd.DataFrame({"year": mod.index, "proxy": PROXY_MODERN, "basis": "exports",
                                      "share_pct": 100 * mod["exports"] / tot["exports"]}))
            rows.append(pd.DataFrame({"year": mod.index, "proxy": PROXY_MODERN, "basis": "exports + imports",
                                      "share_pct": 100 * (mod["exports"] + mod["imports"])
                                      / (tot["exports"] + tot["imports"])}))
    u = _unctad("exports")
    years = sorted(set(u.loc[u["iso3"] == country, "year"]))
    for basis, flows in (("exports", ("exports",)), ("exports + imports", ("exports", "imports"))):
        vals = [trade_share(country, y, "unctad", flows) for y in years]
        rows.append(pd.DataFrame({"year": years, "proxy": PROXY_DDS, "basis": basis, "share_pct": vals}))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["year", "proxy", "basis", "share_pct"])
    out = out.dropna(subset=["share_pct"])
    out["year"] = out["year"].astype(int)
    return out.sort_values(["proxy", "basis", "year"]).reset_index(drop=True)


def seed_knowledge_points() -> pd.DataFrame:
    """The seeds' knowledge-intensive shares that carry a year, for overlaying on the proxies."""
    reg = claims.register_table()
    rows = []
    for cid in CLAIM_GROUPS["knowledge"]:
        r = reg.loc[cid]
        if pd.isna(r["year"]):
            continue
        basis = "exports" if "export" in str(r["subject"]).lower() else "exports + imports"
        span = str(r["year"]).split("-")
        if len(span) == 2 and len(span[0]) == 4 and len(span[1]) == 4:
            rows.append((int(span[0]), cid, basis, float(r["value"])))
            if pd.notna(r["value_end"]):
                rows.append((int(span[1]), cid, basis, float(r["value_end"])))
        elif len(span[0]) == 4 and str(r["year"])[:4].isdigit() and "/" not in str(r["year"]):
            rows.append((int(span[0]), cid, basis, float(r["value"])))
    return pd.DataFrame(rows, columns=["year", "claim_id", "basis", "share_pct"])


# --------------------------------------------------------------------------- coverage notes


NEG_TOL = 0.05  # published shares are rounded: a remainder of −0.00001 is rounding, not a negative share


def composition_gaps(country: str, start_year: int, end_year: int) -> str:
    """One sentence on what is missing for the composition of ``country`` in the window."""
    name = ds.display_name(country)
    comp = load_composition(country, start_year, end_year)
    wide = wdi_wide([total_code("exports"), total_code("imports")], [country], (start_year, end_year))
    totals = sorted(set(wide.dropna(how="all", subset=[total_code("exports"), total_code("imports")])["year"]))
    span = _span(start_year, end_year)
    if comp.empty:
        tot = (f"only total service exports and imports ({_years_text(totals)})" if totals
               else "no services trade data at all")
        return (f"WDI publishes no breakdown of {name}'s services trade by category in {span}: the data have {tot}. "
                "The composition, category balances and traditional-versus-modern shares cannot be shown for "
                f"{name}; the cross-member comparison below still includes it where UNCTAD has data.")
    parts = []
    for flow in FLOWS:
        yrs = sorted(set(comp.loc[comp["flow"] == flow, "year"]))
        missing = [y for y in range(start_year, end_year + 1) if y not in yrs]
        if missing:
            parts.append(f"{flow}: no complete breakdown in {_years_text(missing)}")
    neg = comp[(comp["share_pct"] < -NEG_TOL)]
    if not neg.empty:
        cats = sorted(set(neg["label"]))
        parts.append(f"negative shares as published in {_years_text(sorted(set(neg['year'])))} "
                     f"({text.listing(cats)}), shown as published")
    if not parts:
        return f"{name}'s four category shares are complete for both flows in {span}."
    return f"Gaps and oddities for {name} in {span}: " + "; ".join(parts) + "."


def _span(a: int, b: int) -> str:
    return str(a) if a == b else text.year_span(a, b)


def _pct(x: float, decimals: int = 1) -> str:
    """Percent for prose; a rounding remainder like −0.00001 prints as 0.0 %, not −0.0 %."""
    return text.pct(0.0 if abs(x) < 0.5 * 10 ** (-decimals) else x, decimals)


def _years_text(years: Sequence[int]) -> str:
    """[2001, 2002, 2003, 2007] -> '2001–2003 and 2007'."""
    years = sorted(set(int(y) for y in years))
    if not years:
        return "no year"
    runs: list[list[int]] = [[years[0], years[0]]]
    for y in years[1:]:
        if y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    parts = [str(a) if a == b else text.year_span(a, b) for a, b in runs]
    return text.listing(parts)


# --------------------------------------------------------------------------- findings (computed prose)


def composition_findings(comp: pd.DataFrame, country: str, start_year: int, end_year: int) -> dict[str, str]:
    """Sentences for the composition section. Keys always present (fallback text when data are missing)."""
    name = ds.display_name(country)
    out = {"gaps": composition_gaps(country, start_year, end_year)}
    if comp.empty:
        na = f"not available for {name}"
        out.update({"comp_title": f"No category breakdown of {name}'s services trade in the data",
                    "comp_sentence": f"There is no category breakdown for {name} in the data.", "trad_sentence": f"Traditional and modern shares are {na}.",
                    "trad_title": f"Traditional versus modern shares: {na}",
                    "remainder_sentence": "", "levels_title": f"Category levels: {na}",
                    "balance_title": f"Balance by category: {na}", "balance_sentence": f"Category balances are {na}."})
        return out
    g = group_shares(comp)
    first_y, last_y = int(comp["year"].min()), int(comp["year"].max())

    def grp(flow, group, year):
        v = g[(g["flow"] == flow) & (g["group"] == group) & (g["year"] == year)]["share_pct"]
        return float(v.iloc[0]) if len(v) else float("nan")

    def top(flow, year):
        c = comp[(comp["flow"] == flow) & (comp["year"] == year) & (comp["category"] != OTHER.key)]
        if c.empty:
            return "n/a", float("nan")
        r = c.loc[c["share_pct"].idxmax()]
        return r["label"].lower(), float(r["share_pct"])

    fy_x = int(comp.loc[comp["flow"] == "exports", "year"].min()) if (comp["flow"] == "exports").any() else first_y
    ly_x = int(comp.loc[comp["flow"] == "exports", "year"].max()) if (comp["flow"] == "exports").any() else last_y
    ly_m = int(comp.loc[comp["flow"] == "imports", "year"].max()) if (comp["flow"] == "imports").any() else last_y
    tx, txv = top("exports", ly_x)
    tm, tmv = top("imports", ly_m)
    out["comp_sentence"] = (
        f"In {ly_x} the largest published category of {name}'s service exports was {tx} "
        f"({text.pct(txv)} of commercial service exports); "
        + (f"in {ly_m} " if ly_m != ly_x else "that year ")
        + f"the largest category of imports was {tm} ({text.pct(tmv)}).")
    t0, t1 = grp("exports", "traditional", fy_x), grp("exports", "traditional", ly_x)
    m0, m1 = grp("exports", "modern", fy_x), grp("exports", "modern", ly_x)
    tm1 = grp("imports", "traditional", ly_m)
    if fy_x == ly_x:
        out["trad_sentence"] = (
            f"Traditional services (transport and travel) made up {_pct(t1)} of {name}'s commercial service exports "
            f"in {ly_x} and modern services (insurance & financial plus computer, communications & other) "
            f"{_pct(m1)}. On the import side traditional services were {_pct(tm1)} in {ly_m}.")
        out["trad_title"] = f"{name}: traditional services were {_pct(t1, 0)} of service exports in {ly_x}"
    else:
        out["trad_sentence"] = (
            f"Traditional services (transport and travel) made up {_pct(t0)} of {name}'s commercial service exports "
            f"in {fy_x} and {_pct(t1)} in {ly_x}; modern services (insurance & financial plus computer, "
            f"communications & other) {_pct(m0)} and {_pct(m1)}. On the import side traditional services were "
            f"{_pct(tm1)} in {ly_m}.")
        if round(t0) == round(t1):
            move = f"stayed near {_pct(t1, 0)}"
        else:
            move = f"{'fell' if t1 < t0 else 'rose'} from {_pct(t0, 0)} to {_pct(t1, 0)}"
        out["trad_title"] = f"{name}: the traditional share of service exports {move} ({_span(fy_x, ly_x)})"
    rem = remainder_summary(comp)
    out["remainder_sentence"] = (
        f"The published categories leave on average {_pct(rem['exports'])} of {name}'s commercial service exports "
        f"and {_pct(rem['imports'])} of its imports in the remainder. The four categories are not defined "
        "symmetrically for the two flows, so the remainder and the computer, communications & other category are "
        "best read together.")
    out["comp_title"] = (f"{name}: {tx} led service exports and {tm} led imports in {ly_x}" if ly_x == ly_m else
                         f"{name}: {tx} led service exports in {ly_x}, {tm} led imports in {ly_m}")
    lvl = comp[(comp["year"] == ly_x) & (comp["flow"] == "exports")]["level_usd"].sum()
    out["levels_title"] = (f"{name}'s service exports reached {text.usd(lvl)} in {ly_x}" if lvl > 0
                           else f"{name}: category levels")
    bal = balance_by_category(comp)
    if bal.empty:
        out["balance_title"] = f"Balance by category: not available for {name}"
        out["balance_sentence"] = f"Category balances need both flows; they are not available for {name}."
        return out
    ly_b = int(bal["year"].max())
    b = bal[bal["year"] == ly_b]
    total = b["balance_usd"].sum()
    worst = b.loc[b["balance_usd"].idxmin()]
    best = b.loc[b["balance_usd"].idxmax()]
    kind = "deficit" if total < 0 else "surplus"
    out["balance_title"] = (f"{name}: services {kind} of {text.usd(abs(total))} in {ly_b}; "
                            f"{worst['label'].lower()} was the largest net debit")
    trav = b.loc[b["category"].isin(["transport", "travel"]), "balance_usd"].sum()
    out["balance_sentence"] = (
        f"In {ly_b} {name}'s services balance was a {kind} of {text.usd(abs(total))}. The largest net debit was "
        f"in “{worst['label'].lower()}” ({_net(worst['balance_usd'])}), the largest net credit in "
        f"“{best['label'].lower()}” ({_net(best['balance_usd'])}). Transport and travel together: "
        f"{_net(trav)}.")
    return out


def coverage_note(measure: str = RCA_DDS) -> str:
    """Which years the inputs of a measure cover (said when a window has none)."""
    cov = ds.coverage("unctad_dds")
    unctad = f"UNCTAD's digitally deliverable trade covers {cov['year_min']}–{cov['year_max']}"
    if measure == RCA_ICT:
        w = _wdi(["BX.GSR.CCIS.CD"])
        yrs = w.loc[w["iso3"] == ds.WORLD, "year"]
        return f"the world's ICT service exports (WDI) cover {int(yrs.min())}–{int(yrs.max())}."
    return unctad + "."


def _net(x: float) -> str:
    """'net debit of US$ 3.1 bn' / 'net credit of ...' (sign in words, not a hyphen)."""
    return f"net {'debit' if x < 0 else 'credit'} of {text.usd(abs(x))}"


RCA_WORDS = {RCA_ICT: "ICT services", RCA_DDS: "digitally deliverable services"}


def rcep_findings(share: pd.DataFrame, rca: pd.DataFrame, members: Sequence[str], focus: str) -> dict[str, str]:
    """Sentences for the cross-member section (always the same keys)."""
    out: dict[str, str] = {}
    year, missing = latest_common_year(share, members)
    name = ds.display_name(focus)
    if year is None:
        out.update({"dds_year": "n/a", "dds_sentence": f"No member has a digitally deliverable share in this window: "
                    f"{coverage_note()}", "dds_title": "Digitally deliverable share: no data in this window"})
    else:
        s = share[share["year"] == year].sort_values("share_pct", ascending=False)
        lead = s.iloc[0]
        f = s[s["iso3"] == focus]
        fpart = (f"{name} ranked {int(np.where(s['iso3'].to_numpy() == focus)[0][0]) + 1} of {len(s)} with "
                 f"{text.pct(float(f['share_pct'].iloc[0]))}" if len(f) else f"{name} has no value that year")
        miss = (f" Not reported that year: {text.listing([ds.display_name(m) for m in missing])}." if missing else "")
        out["dds_year"] = str(year)
        out["dds_sentence"] = (
            f"In {year}, the latest year with the widest coverage, {lead['economy']} had the highest digitally "
            f"deliverable share of service exports ({text.pct(float(lead['share_pct']))}); {fpart}.{miss}")
        latest = share.sort_values("year").groupby("iso3").tail(1).sort_values("share_pct", ascending=False)
        top = latest.iloc[0]
        out["dds_title"] = (f"Highest digitally deliverable share of service exports: {lead['economy']} in {year} "
                            f"({text.pct(float(lead['share_pct']), 0)})" +
                            ("" if int(top["year"]) == year else
                             f", {top['economy']} in its latest year, {int(top['year'])} "
                             f"({text.pct(float(top['share_pct']), 0)})"))
    for measure, key in ((RCA_ICT, "ict"), (RCA_DDS, "dds")):
        r = rca[rca["measure"] == measure]
        if r.empty:
            out[f"rca_{key}_sentence"] = (f"No RCA in {RCA_WORDS[measure]} can be computed in this window: "
                                          f"{coverage_note(measure)}")
            out[f"rca_{key}_n"] = "0"
            continue
        ly = int(r["year"].max())
        last = r[r["year"] == ly]
        above = sorted(last.loc[last["rca"] > 1, "economy"])
        fr = r[r["iso3"] == focus].sort_values("year")
        ftxt = (f"{name}'s index moved from {text.num(float(fr['rca'].iloc[0]), 2)} in {int(fr['year'].iloc[0])} "
                f"to {text.num(float(fr['rca'].iloc[-1]), 2)} in {int(fr['year'].iloc[-1])}"
                if len(fr) else f"{name} has no value")
        out[f"rca_{key}_n"] = str(len(above))
        out[f"rca_{key}_sentence"] = (
            f"In {ly}, {len(above)} of the {last['iso3'].nunique()} members with data had a revealed comparative "
            f"advantage in {RCA_WORDS[measure]} (index above one): {text.listing(above) if above else 'none'}. {ftxt}.")
    return out


# --------------------------------------------------------------------------- charts


def _year_axis(title: str | None = None) -> alt.X:
    return alt.X("year:O", title=title, axis=alt.Axis(labelAngle=0, labelOverlap="greedy"))


def composition_chart(comp: pd.DataFrame, measure: str = "share") -> alt.FacetChart:
    """Stacked bars by category per year, one panel per flow. measure: 'share' (%) or 'level' (US$ bn)."""
    if measure not in ("share", "level"):
        raise ValueError("measure must be 'share' or 'level'")
    df = comp.copy()
    df["value"] = df["share_pct"] if measure == "share" else df["level_usd"] / 1e9
    df["flow_label"] = df["flow"].map(FLOW_LABEL)
    df["order"] = df["category"].map({c.key: i for i, c in enumerate(ALL_CATEGORIES)})
    df = df[["year", "flow_label", "label", "value", "order"]].dropna(subset=["value"])
    ytitle = "% of commercial services" if measure == "share" else "US$ billion"
    fmt = ",.1f"
    base = alt.Chart(df).mark_bar().encode(
        x=_year_axis(),
        y=alt.Y("sum(value):Q", title=ytitle),
        color=alt.Color("label:N", title="Category", sort=CATEGORY_LABELS,
                        scale=alt.Scale(domain=CATEGORY_LABELS, range=CATEGORY_COLORS), legend=alt.Legend(columns=3)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("flow_label:N", title="Flow"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("label:N", title="Category"), alt.Tooltip("value:Q", title=ytitle, format=fmt)],
    ).properties(width=290, height=260)
    return base.facet(column=alt.Column("flow_label:N", title=None, sort=["Exports", "Imports"]))


def group_share_chart(gs: pd.DataFrame, dds: pd.DataFrame, ict: pd.DataFrame) -> alt.FacetChart:
    """Traditional and modern shares (WDI), the digitally deliverable share (UNCTAD/WDI) and the ICT
    share of exports, lines per flow panel."""
    parts = []
    if not gs.empty:
        g = gs[gs["group"] != "other"].copy()
        g["series"] = g["group"].map(GROUP_LABELS)
        parts.append(g[["year", "flow", "series", "share_pct"]])
    if not dds.empty:
        parts.append(dds.assign(series=DDS_LABEL)[["year", "flow", "series", "share_pct"]])
    if not ict.empty:
        parts.append(ict.assign(series=ICT_LABEL, flow="exports")[["year", "flow", "series", "share_pct"]])
    df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["year", "flow", "series", "share_pct"])
    df["flow_label"] = df["flow"].map(FLOW_LABEL)
    order = [GROUP_LABELS["traditional"], GROUP_LABELS["modern"], DDS_LABEL, ICT_LABEL]
    colors = [charts.PALETTE[0], charts.PALETTE[2], charts.PALETTE[3], charts.PALETTE[4]]
    dashes = [[1, 0], [1, 0], [6, 3], [2, 2]]
    df = charts.with_runs(df[["year", "flow_label", "series", "share_pct"]], ["flow_label", "series"])
    return alt.Chart(df).mark_line(point=True).encode(
        detail="run:N",
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(nice=False)),
        y=alt.Y("share_pct:Q", title="% of services", scale=alt.Scale(zero=True)),
        color=alt.Color("series:N", title=None, sort=order, scale=alt.Scale(domain=order, range=colors),
                        legend=alt.Legend(columns=1, labelLimit=420)),
        strokeDash=alt.StrokeDash("series:N", sort=order, scale=alt.Scale(domain=order, range=dashes), legend=None),
        tooltip=[alt.Tooltip("flow_label:N", title="Flow"), alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("series:N", title="Series"), alt.Tooltip("share_pct:Q", title="%", format=",.1f")],
    ).properties(width=290, height=240).facet(column=alt.Column("flow_label:N", title=None,
                                                                 sort=["Exports", "Imports"]))


def balance_chart(bal: pd.DataFrame) -> alt.LayerChart:
    """Stacked bars of category balances (US$ bn) with the total balance as a line of points."""
    df = bal.copy()
    df["value"] = df["balance_usd"] / 1e9
    df["order"] = df["category"].map({c.key: i for i, c in enumerate(ALL_CATEGORIES)})
    tot = charts.with_runs(df.groupby("year", as_index=False)["value"].sum().assign(label="Total services balance"), [])
    bars = alt.Chart(df[["year", "label", "value", "order"]]).mark_bar().encode(
        x=_year_axis(),
        y=alt.Y("value:Q", title="US$ billion (exports − imports)", stack="zero"),
        color=alt.Color("label:N", title="Category", sort=CATEGORY_LABELS,
                        scale=alt.Scale(domain=CATEGORY_LABELS, range=CATEGORY_COLORS), legend=alt.Legend(columns=3)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("label:N", title="Category"),
                 alt.Tooltip("value:Q", title="Balance, US$ bn", format=",.1f")],
    )
    line = alt.Chart(tot).mark_line(color="#1f2328", point=alt.OverlayMarkDef(color="#1f2328", shape="diamond",
                                                                               size=60)).encode(
        x=_year_axis(), y="value:Q", detail="run:N",
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("label:N", title="Series"),
                 alt.Tooltip("value:Q", title="Total balance, US$ bn", format=",.1f")],
    )
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#57606a").encode(y="y:Q")
    return alt.layer(bars, zero, line).properties(width=WIDE, height=300)


WIDE = 600


def china_sector_balance_chart(df: pd.DataFrame) -> alt.LayerChart:
    """China's digitally delivered balance by WTO sub-sector (US$ bn), stacked, with the total."""
    d = df.copy()
    d["value"] = d["balance"] / 1e3
    sectors = list(dict.fromkeys(d.sort_values("sector_code")["sector"]))
    pal = charts.PALETTE + [charts.CONTEXT_COLOR]
    bars = alt.Chart(d[["year", "sector", "value", "status"]]).mark_bar().encode(
        x=_year_axis(),
        y=alt.Y("value:Q", title="US$ billion (exports − imports)", stack="zero"),
        color=alt.Color("sector:N", title="Sub-sector", sort=sectors,
                        scale=alt.Scale(domain=sectors, range=pal[:len(sectors)]), legend=alt.Legend(columns=3)),
        opacity=alt.Opacity("status:N", title="Data", scale=alt.Scale(domain=["final", "preliminary"],
                                                                         range=[1.0, 0.45]),
                            legend=alt.Legend() if (d["status"] == "preliminary").any() else None),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("sector:N", title="Sub-sector"),
                 alt.Tooltip("value:Q", title="Balance, US$ bn", format=",.1f"), alt.Tooltip("status:N", title="Data")],
    )
    tot = d.groupby("year", as_index=False)["value"].sum()
    line = alt.Chart(tot).mark_line(color="#1f2328", point=alt.OverlayMarkDef(color="#1f2328", shape="diamond",
                                                                               size=60)).encode(
        x=_year_axis(), y="value:Q",
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("value:Q", title="Total balance, US$ bn",
                                                                  format=",.1f")])
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#57606a").encode(y="y:Q")
    return alt.layer(bars, zero, line).properties(width=WIDE, height=300)


def proxy_chart(prox: pd.DataFrame, seed: pd.DataFrame) -> alt.FacetChart:
    """Proxies for the knowledge-intensive share (lines) with the seeds' stated points (diamonds)."""
    p = prox.rename(columns={"proxy": "series"})[["year", "basis", "series", "share_pct"]]
    s = seed.assign(series="Stated in the seeds (" + seed["claim_id"] + ")")[["year", "basis", "series", "share_pct"]]
    s["series_kind"] = "Stated in the seeds"
    p = charts.with_runs(p.assign(series_kind=p["series"]), ["basis", "series"])
    df = pd.concat([p, s.assign(run=-1)], ignore_index=True)
    domain = [PROXY_MODERN, PROXY_DDS, "Stated in the seeds"]
    colors = [charts.PALETTE[2], charts.PALETTE[3], "#1f2328"]
    enc = dict(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(nice=False)),
        y=alt.Y("share_pct:Q", title="% of services", scale=alt.Scale(zero=True)),
        color=alt.Color("series_kind:N", title=None, scale=alt.Scale(domain=domain, range=colors),
                        legend=alt.Legend(columns=1, labelLimit=460)),
        shape=alt.Shape("series_kind:N", title=None, scale=alt.Scale(domain=domain,
                                                                     range=["circle", "circle", "diamond"])),
        tooltip=[alt.Tooltip("basis:N", title="Basis"), alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("series:N", title="Series"), alt.Tooltip("share_pct:Q", title="%", format=",.1f")],
    )
    lines = alt.Chart().mark_line(point=True).encode(detail="run:N", **enc).transform_filter(
        alt.datum.series_kind != "Stated in the seeds")
    pts = alt.Chart().mark_point(size=110, filled=True).encode(
        **enc).transform_filter(alt.datum.series_kind == "Stated in the seeds")
    return alt.layer(lines, pts, data=df).properties(width=290, height=240).facet(
        column=alt.Column("basis:N", title=None, sort=["exports", "exports + imports"]))


def ranked_bar(df: pd.DataFrame, value: str, *, x_title: str, focus: str | None,
               reference: float | None = None, fmt: str = ",.1f") -> alt.LayerChart | alt.Chart:
    """Horizontal ranked bars by economy, the focus economy in the focus colour, value labels."""
    d = df[["economy", "iso3", value]].copy()
    d["is_focus"] = np.where(d["iso3"] == focus, "focus", "other")
    bars = alt.Chart(d).mark_bar().encode(
        x=alt.X(f"{value}:Q", title=x_title),
        y=alt.Y("economy:N", title=None, sort="-x"),
        color=alt.Color("is_focus:N", scale=alt.Scale(domain=["focus", "other"],
                                                      range=[charts.FOCUS_COLOR, charts.PALETTE[0]]), legend=None),
        tooltip=[alt.Tooltip("economy:N", title="Economy"), alt.Tooltip(f"{value}:Q", title=x_title, format=fmt)],
    )
    labels = alt.Chart(d).mark_text(align="left", dx=3).encode(
        x=f"{value}:Q", y=alt.Y("economy:N", sort="-x"), text=alt.Text(f"{value}:Q", format=fmt))
    layers = [bars, labels]
    if reference is not None:
        layers.append(alt.Chart(pd.DataFrame({"ref": [reference]})).mark_rule(color="#3d444d", strokeDash=[4, 3])
                      .encode(x="ref:Q"))
    return alt.layer(*layers).properties(width=520, height=alt.Step(20))


COMMON = "latest common year"
LATEST = "latest year available"


def dumbbell_frame(df: pd.DataFrame, common_year: int | None, value: str = "share_pct") -> pd.DataFrame:
    """Per economy: its value in the common year and in its own latest year (long: economy, iso3, point,
    year, value). Economies without a value in the common year keep only their latest point."""
    rows = []
    for iso3, g in df.dropna(subset=[value]).sort_values("year").groupby("iso3"):
        econ = g["economy"].iloc[0]
        if common_year is not None and (g["year"] == common_year).any():
            rows.append((econ, iso3, COMMON, common_year, float(g.loc[g["year"] == common_year, value].iloc[0])))
        last = g.iloc[-1]
        rows.append((econ, iso3, LATEST, int(last["year"]), float(last[value])))
    out = pd.DataFrame(rows, columns=["economy", "iso3", "point", "year", "value"])
    out["label"] = out["year"].astype(str)
    return out


def dumbbell_chart(d: pd.DataFrame, *, x_title: str, focus: str | None, fmt: str = ",.1f") -> alt.LayerChart:
    """Two points per economy (common year: filled circle; latest: open diamond labelled with its year)."""
    latest = d[d["point"] == LATEST].sort_values("value", ascending=False)
    order = list(latest["economy"])
    d = d.assign(is_focus=np.where(d["iso3"] == focus, "focus", "other"))
    y = alt.Y("economy:N", title=None, sort=order)
    tip = [alt.Tooltip("economy:N", title="Economy"), alt.Tooltip("point:N", title="Point"),
           alt.Tooltip("year:Q", title="Year", format="d"), alt.Tooltip("value:Q", title=x_title, format=fmt)]
    link = alt.Chart(d).mark_line(color=charts.CONTEXT_COLOR, strokeWidth=2).encode(
        x=alt.X("value:Q", title=x_title), y=y, detail="economy:N")
    pts = alt.Chart(d).mark_point(size=110, strokeWidth=2.5, opacity=1, filled=True).encode(
        x="value:Q", y=y,
        shape=alt.Shape("point:N", title=None, scale=alt.Scale(domain=[COMMON, LATEST], range=["circle", "diamond"])),
        fill=alt.Fill("point:N", title=None,
                      scale=alt.Scale(domain=[COMMON, LATEST], range=[charts.PALETTE[0], "#b9d6ee"])),
        stroke=alt.Stroke("is_focus:N", scale=alt.Scale(domain=["focus", "other"],
                                                        range=[charts.FOCUS_COLOR, charts.PALETTE[0]]), legend=None),
        tooltip=tip)
    lab = alt.Chart(d[d["point"] == LATEST]).mark_text(align="left", dx=9, dy=-7, fontSize=10).encode(
        x="value:Q", y=y, text="label:N")
    return alt.layer(link, pts, lab).properties(width=520, height=alt.Step(22))


def small_multiples(df: pd.DataFrame, value: str, *, y_title: str, series: str | None = None,
                    reference: float | None = None, log: bool = False, columns: int = 4,
                    fmt: str = ",.2f", focus: str | None = None, independent: bool = False) -> alt.FacetChart:
    """One small panel per economy (lines over time), optional reference rule (e.g. RCA = 1);
    ``independent``: each panel its own y scale (the reference line keeps panels comparable)."""
    cols = ["economy", "iso3", "year", value] + ([series] if series else [])
    d = charts.with_runs(df[cols], ["economy"] + ([series] if series else []))
    order = sorted(d["economy"].unique(), key=lambda e: (0 if focus and e == ds.display_name(focus) else 1, e))
    y = alt.Y(f"{value}:Q", title=y_title, scale=alt.Scale(type="log") if log else alt.Scale(zero=True))
    enc = dict(x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickCount=3), scale=alt.Scale(nice=False)), y=y,
               detail="run:N",
               tooltip=[alt.Tooltip("economy:N", title="Economy"), alt.Tooltip("year:Q", title="Year", format="d")]
               + ([alt.Tooltip(f"{series}:N", title="Series")] if series else [])
               + [alt.Tooltip(f"{value}:Q", title=y_title, format=fmt)])
    if series:
        dom = list(dict.fromkeys(d[series]))
        enc["color"] = alt.Color(f"{series}:N", title=None, scale=alt.Scale(domain=dom, range=charts.PALETTE[:len(dom)]))
        enc["shape"] = alt.Shape(f"{series}:N", title=None, scale=alt.Scale(domain=dom,
                                                                               range=["circle", "triangle-up"][:len(dom)]))
    line = alt.Chart().mark_line(point=alt.OverlayMarkDef(size=18)).encode(**enc)
    layers = [line]
    if reference is not None:
        layers.insert(0, alt.Chart().mark_rule(color="#3d444d", strokeDash=[4, 3]).encode(
            y=alt.datum(reference)))
    chart = alt.layer(*layers, data=d).properties(width=125, height=90).facet(
        facet=alt.Facet("economy:N", title=None, sort=order), columns=columns)
    return chart.resolve_scale(y="independent") if independent else chart


# --------------------------------------------------------------------------- claim checks
# Every claim of this chapter is registered here: a computed check, or "not checkable" with the reason.


def _china_comp() -> pd.DataFrame:
    return load_composition("CHN", 2000, 2100)


def _china_levels(year: int) -> pd.DataFrame:
    c = _china_comp()
    return c[c["year"] == year]


def _services_value(country: str, year: int, flow: str) -> float:
    s = _services(flow)
    v = s.loc[(s["iso3"] == country) & (s["year"] == year), "value"]
    return float(v.iloc[0]) if len(v) else float("nan")


def _year(row: pd.Series) -> int:
    y = str(row["year"])
    if not y[:4].isdigit():
        raise ValueError(f"claim {row['claim_id']} has no single year ({row['year']!r})")
    return int(y[:4])


LEVEL_NOTE = ("category levels = WDI share of commercial services × total services (BX/BM.GSR.NFSV.CD), which "
              "spreads government services pro rata (an approximation)")


@claims.register("S000-068")
def check_deficit(row: pd.Series) -> claims.Result:
    y = _year(row)
    x, m = _services_value("CHN", y, "exports"), _services_value("CHN", y, "imports")
    x1, m1 = _services_value("CHN", y + 1, "exports"), _services_value("CHN", y + 1, "imports")
    nxt = (f"; for reference, the BoP deficit of {y + 1} is {text.usd(m1 - x1)}" if not np.isnan(x1 + m1) else "")
    return claims.compare(row, (m - x) / 1e9, method=f"China's services imports minus exports in {y}, balance of "
                          "payments (WDI BM/BX.GSR.NFSV.CD), US$ bn; the seed's figure is from Chinese "
                          f"services-trade statistics, which differ from the BoP series{nxt}", source=WDI_SRC)


@claims.register("S000-069")
def check_deficit_traditional(row: pd.Series) -> claims.Result:
    y = _year(row)
    bal = balance_by_category(_china_levels(y))
    total = bal["balance_usd"].sum()
    trav = bal.loc[bal["category"].isin(["transport", "travel"]), "balance_usd"].sum()
    value = 100.0 * trav / total if total < 0 else float("nan")
    return claims.compare(row, value, method=f"travel + transport net debit as % of China's total services deficit "
                          f"in {y}; {LEVEL_NOTE}. Above 100 % means the other categories together were in surplus",
                          source=WDI_SRC)


def _trad_import_share(year: int) -> float:
    c = _china_levels(year)
    c = c[(c["flow"] == "imports") & (c["group"] == "traditional")]
    return float(c["share_pct"].sum()) if len(c) == 2 else float("nan")


@claims.register("S000-071")
def check_traditional_imports(row: pd.Series) -> claims.Result:
    year = _year(claims.claim("S000-068"))  # the paragraph's year ("In 2023, China's service trade deficit ...")
    c = _china_comp()
    s = c[(c["flow"] == "imports") & (c["group"] == "traditional")].groupby("year")["share_pct"].sum()
    above = s[s > 50]
    return claims.compare(row, _trad_import_share(year), method=(
        f"transport + travel as % of China's commercial service imports (WDI) in {year}, the year of the paragraph "
        f"(the sentence states none); above 50 % in {len(above)} of the {len(s)} years "
        f"{int(s.index.min())}–{int(s.index.max())}. Share of commercial, not total, services"), source=WDI_SRC)


@claims.register("S000-072")
def check_traditional_imports_long(row: pd.Series) -> claims.Result:
    c = _china_comp()
    s = c[(c["flow"] == "imports") & (c["group"] == "traditional")].groupby("year")["share_pct"].sum()
    # "for a long time": the lowest share over every year the data have
    low_year = int(s.idxmin())
    return claims.compare(row, float(s.min()), method=(
        f"lowest transport + travel share of China's commercial service imports over all years in the data "
        f"({int(s.index.min())}–{int(s.index.max())}; minimum in {low_year}); 'for a long time' read as every year "
        "available"), source=WDI_SRC)


@claims.register("S000-073")
def check_travel_imports_growth(row: pd.Series) -> claims.Result:
    y = _year(row)
    c = _china_comp()
    t = c[(c["flow"] == "imports") & (c["category"] == "travel")].set_index("year")["level_usd"]
    value = text.growth(float(t.loc[y - 1]), float(t.loc[y])) if {y - 1, y} <= set(t.index) else float("nan")
    return claims.compare(row, value, method=f"growth of China's travel imports {y - 1}→{y}, US$; {LEVEL_NOTE}; the "
                          "seed's figure is from Chinese services-trade statistics", source=WDI_SRC)


claims.not_checkable(
    "WDI publishes no maintenance-and-repair series: goods-related services exist only inside the computed "
    "remainder category, together with other items", "S000-074")


@claims.register("S001-008")
def check_travel_exports_growth(row: pd.Series) -> claims.Result:
    c = _china_comp()
    t = c[(c["flow"] == "exports") & (c["category"] == "travel")].set_index("year")["level_usd"].sort_index()
    last = int(t.index.max())
    g = text.growth(float(t.loc[last - 1]), float(t.loc[last]))
    return claims.unverifiable(row, (
        f"the article states no period ('recent data'), so there is no year to compare. For context, China's travel "
        f"exports (WDI share × total) grew {text.pct(g)} in {last}"))


# --- knowledge-intensive services: a MOFCOM aggregate that no table in data/ publishes


def _proxy_value(basis: str, proxy: str, year: int) -> float:
    p = knowledge_proxies("CHN")
    v = p[(p["basis"] == basis) & (p["proxy"] == proxy) & (p["year"] == year)]["share_pct"]
    return float(v.iloc[0]) if len(v) else float("nan")


def _proxy_text(basis: str, years: Sequence[int]) -> str:
    parts = []
    for proxy, short in ((PROXY_MODERN, "WDI modern-services share"), (PROXY_DDS, "UNCTAD digitally deliverable share")):
        vals = [f"{text.pct(_proxy_value(basis, proxy, y))} ({y})" for y in years]
        parts.append(f"{short} {' → '.join(vals)}")
    return "; ".join(parts)


KNOWLEDGE_REASON = ("'knowledge-intensive services' is a Ministry of Commerce aggregate whose values and category "
                    "list are not in data/; proxies of {basis} for context (not the same concept): {proxies}")


def _knowledge_check(basis: str):
    def fn(row: pd.Series) -> claims.Result:
        p = knowledge_proxies("CHN")
        p = p[p["basis"] == basis]
        both = p.groupby("year")["proxy"].nunique()
        covered = sorted(int(y) for y in both[both == 2].index)
        ys = [y for y in _row_years(row) if y in covered]
        if ys:
            prox = _proxy_text(basis, ys)
        elif covered:
            why = "no year stated" if not _row_years(row) else "the period is beyond the data"
            prox = f"{why}; latest year with both proxies: {_proxy_text(basis, [covered[-1]])}"
        else:
            prox = "no proxy can be computed"
        return claims.unverifiable(row, KNOWLEDGE_REASON.format(basis=basis, proxies=prox))
    return fn


def _row_years(row: pd.Series) -> list[int]:
    y = str(row["year"]) if pd.notna(row["year"]) else ""
    parts = [p for p in y.replace("/", "-").split("-") if len(p) == 4 and p.isdigit()]
    return sorted(set(int(p) for p in parts))


claims.register("S000-004")(_knowledge_check("exports + imports"))
claims.register("S000-005")(_knowledge_check("exports"))
claims.register("S000-070")(_knowledge_check("exports"))
claims.register("S001-007")(_knowledge_check("exports + imports"))
claims.register("S004-008")(_knowledge_check("exports + imports"))
claims.not_checkable(
    "no year, and the share is attributed to the pilot free trade zones; no table has services trade of the pilot "
    "zones or the Ministry of Commerce's knowledge-intensive aggregate", "S000-065")


# --- digitally delivered / deliverable shares of China's services trade


def _span_result(row: pd.Series, years: tuple[int, int], values: tuple[float, float], what: str,
                 source: str) -> claims.Result:
    """A from-to claim (value → value_end): both ends compared; consistent only if both are."""
    return claims.compare_pair(row, values[0], values[1], method=f"{what}; years {years[0]} and {years[1]}",
                               source=source)


@claims.register("S000-077")
def check_dds_share_2023(row: pd.Series) -> claims.Result:
    y = _year(row)
    wto = trade_share("CHN", y, "wto")
    unc = trade_share("CHN", y, "unctad")
    tot = (_services_value("CHN", y, "exports") + _services_value("CHN", y, "imports")) / 1e9
    t = china_dds_totals()
    dd = float(t.loc[t["year"] == y, ["exports", "imports"]].sum(axis=1).iloc[0]) / 1e3
    own = 100 * claims.stated("S000-075") / claims.stated("S000-062")
    return claims.compare(row, wto, method=(
        f"WTO digitally delivered services, China exports + imports {y} ({text.usd(dd * 1e9)}) / WDI services "
        f"exports + imports ({text.usd(tot * 1e9)}). Robustness: UNCTAD digitally deliverable (all modes) gives "
        f"{text.pct(unc)}. The seed's own levels (S000-075 / S000-062) give {text.pct(own)}: the gap comes from the "
        "sources (Chinese statistics vs WTO and balance-of-payments data)"), source=f"{WTO_SRC}; {WDI_SRC}")


INTERVIEW_YEAR = 2021  # seed 003: interviews at the 2022 Services Fair; latest full year of statistics then


@claims.register("S003-002")
def check_digital_trade_share_2021(row: pd.Series) -> claims.Result:
    y = INTERVIEW_YEAR
    unc = trade_share("CHN", y, "unctad")
    return claims.compare(row, unc, method=(
        f"no year stated; the interview is from the 2022 Services Fair, so {y}, the latest full year then. UNCTAD "
        f"digitally deliverable services (exports + imports) / WDI services trade. Robustness: {y - 1} gives "
        f"{text.pct(trade_share('CHN', y - 1, 'unctad'))}; WTO digitally delivered {y} gives "
        f"{text.pct(trade_share('CHN', y, 'wto'))}"), source=f"{UNCTAD_SRC}; {WDI_SRC}")


@claims.register("S003-005")
def check_digitised_export_share(row: pd.Series) -> claims.Result:
    y = INTERVIEW_YEAR
    u = _unctad("exports")
    years = sorted(set(u.loc[u["iso3"] == "CHN", "year"]))
    series = {yy: trade_share("CHN", yy, "unctad", ("exports",)) for yy in years}
    above = [yy for yy, v in series.items() if v > 50]
    return claims.compare(row, series.get(y, float("nan")), method=(
        f"no year stated; interview of 2022, so {y}. UNCTAD digitally deliverable exports / WDI service exports; "
        f"above 50 % in {_years_text(above) if above else 'no year'}; WTO digitally delivered exports give "
        f"{text.pct(trade_share('CHN', y, 'wto', ('exports',)))} in {y}"), source=f"{UNCTAD_SRC}; {WDI_SRC}")


def span_values(claim_id: str) -> tuple[tuple[int, int], tuple[float, float]]:
    """Years (from the register) and UNCTAD/WDI shares (%) for the from-to digital-trade claims."""
    ys = _row_years(claims.claim(claim_id))
    if len(ys) != 2:
        raise ValueError(f"claim {claim_id} needs a from-to period, got {claims.claim(claim_id)['year']!r}")
    years = (ys[0], ys[1])
    return years, (trade_share("CHN", years[0], "unctad"), trade_share("CHN", years[1], "unctad"))


def _span_check(row: pd.Series) -> claims.Result:
    years, vals = span_values(row["claim_id"])
    wto = (trade_share("CHN", years[0], "wto"), trade_share("CHN", years[1], "wto"))
    return _span_result(row, years, vals, (
        "UNCTAD digitally deliverable services (exports + imports) / WDI services trade, the closest concept in "
        f"the data to the speakers' 'digital (service) trade'; WTO digitally delivered gives {text.pct(wto[0])} → "
        f"{text.pct(wto[1])}"), f"{UNCTAD_SRC}; {WDI_SRC}")


claims.register("S003-008", "S003-018")(_span_check)
claims.not_checkable(
    "ICT exports under commercial presence (Mode 3) come from foreign-affiliates statistics; the tables in data/ "
    "are balance-of-payments (Mode 1, 2 and 4) and UNCTAD/WTO cross-border estimates", "S003-023", "S003-024")


__all__ = [n for n in dir() if not n.startswith("_")]


# --------------------------------------------------------------------------- page sections

md_escape = text.md_escape


def glue_sentences(page, values: dict[str, str]) -> None:
    """Glue computed sentences as inline markdown ({glue:md}`key`): they read as ordinary text."""
    page.glue_sentences(values)
# Each puts one figure (or a note saying why it cannot) on the page; the notebook only calls them.

def _shares_text(comp: pd.DataFrame, flow: str, year: int) -> str:
    c = comp[(comp["flow"] == flow) & (comp["year"] == year)]
    return ", ".join(f"{r.label.lower()} {text.pct(r.share_pct)}" for r in c.itertuples())


def _csv(comp: pd.DataFrame) -> pd.DataFrame:
    d = comp.copy()
    d["level_usd_bn"] = d["level_usd"] / 1e9
    return d[["iso3", "year", "flow", "label", "share_pct", "level_usd_bn"]].rename(columns={"label": "category"})


def show_composition(page, comp: pd.DataFrame, country: str, findings: dict[str, str]) -> None:
    name = ds.display_name(country)
    if comp.empty:
        page.note(f"No composition chart for {name}: the World Bank data have no category shares for it in this "
                  "window (see above).", kind="warning", title="No category breakdown")
        return
    y0, y1 = int(comp["year"].min()), int(comp["year"].max())
    lx = int(comp.loc[comp["flow"] == "exports", "year"].max()) if (comp["flow"] == "exports").any() else y1
    alt_text = (f"Stacked bar chart, one bar per year {_span(y0, y1)}, of {name}'s commercial service "
                f"exports (left panel) and imports (right panel) split into five categories. In {lx}, exports: "
                f"{_shares_text(comp, 'exports', lx)}.")
    page.figure(composition_chart(comp, "share"), name="composition-shares", title=findings["comp_title"],
                subtitle="Share of commercial service exports and imports by category, %", source=
                f"{WDI_SRC}: BX/BM.GSR.TRAN.ZS, TRVL.ZS, INSF.ZS, CMCP.ZS; 'other' = 100 − their sum", alt=alt_text,
                data=_csv(comp), note=("Negative values are as published by the World Bank."
                                       if (comp["share_pct"] < -NEG_TOL).any() else None))
    lv = comp.dropna(subset=["level_usd"])
    if lv.empty:
        page.note(f"No total services values for {name} in this window: levels cannot be shown.", kind="warning")
        return
    ly = int(lv["year"].max())
    tot = lv[(lv["year"] == ly) & (lv["flow"] == "exports")]["level_usd"].sum()
    alt_lv = (f"Stacked bar chart of {name}'s service exports and imports in US$ billion by category, "
              f"{_span(int(lv['year'].min()), ly)}; exports totalled {text.usd(tot)} in {ly}.")
    page.figure(composition_chart(lv, "level"), name="composition-levels", title=findings["levels_title"],
                subtitle="US$ billion, current prices (category share × total services: an approximation)",
                source=f"{WDI_SRC}: shares as above × BX/BM.GSR.NFSV.CD", alt=alt_lv, data=_csv(lv))


def show_groups(page, comp: pd.DataFrame, country: str, start_year: int, end_year: int,
                findings: dict[str, str]) -> None:
    name = ds.display_name(country)
    gs = group_shares(comp)
    dds_rows = []
    for flow in FLOWS:
        sh = dds_share(_unctad(flow), _services(flow))
        sh = sh[(sh["iso3"] == country) & sh["year"].between(start_year, end_year)]
        dds_rows.append(sh.assign(flow=flow))
    dds = pd.concat(dds_rows, ignore_index=True)
    ict = wdi_wide(["BX.GSR.CCIS.ZS"], [country], (start_year, end_year)).rename(
        columns={"BX.GSR.CCIS.ZS": "share_pct"}).dropna(subset=["share_pct"])
    if gs.empty and dds.empty and ict.empty:
        page.note(f"No composition, digitally deliverable or ICT shares for {name} in this window.", kind="warning")
        return
    title = findings["trad_title"] if not gs.empty else (
        f"{name}: digitally deliverable share of service exports (no category breakdown in the data)")
    parts = []
    if not gs.empty:
        parts.append("traditional and modern shares of commercial services (WDI)")
    if not dds.empty:
        parts.append("the digitally deliverable share (UNCTAD over WDI)")
    if not ict.empty:
        parts.append("the ICT share of service exports")
    alt_text = (f"Line chart of {name}'s services shares in % by year, exports and imports in two panels: "
                f"{text.listing(parts)}. {findings['trad_sentence']}")
    data = pd.concat([
        gs.assign(series=gs["group"].map(GROUP_LABELS))[["year", "flow", "series", "share_pct"]],
        dds.assign(series=DDS_LABEL)[["year", "flow", "series", "share_pct"]],
        ict.assign(series=ICT_LABEL, flow="exports")[["year", "flow", "series", "share_pct"]],
    ], ignore_index=True)
    page.figure(group_share_chart(gs, dds, ict), name="traditional-modern", title=title,
                subtitle="% of services; WDI shares are of commercial services, the digitally deliverable share is "
                "UNCTAD over WDI totals", source=f"{WDI_SRC}; {UNCTAD_SRC}", alt=alt_text, data=data)


def show_balance(page, comp: pd.DataFrame, country: str, findings: dict[str, str]) -> None:
    name = ds.display_name(country)
    bal = balance_by_category(comp)
    if bal.empty:
        page.note(findings["balance_sentence"], kind="warning", title="No category balances")
        return
    alt_text = (f"Stacked bars of {name}'s services balance by category in US$ billion per year "
                f"{_span(int(bal['year'].min()), int(bal['year'].max()))}, above zero for net credits and "
                f"below for net debits, with the total balance as a line. {findings['balance_sentence']}")
    d = bal.assign(balance_usd_bn=bal["balance_usd"] / 1e9)[["iso3", "year", "label", "balance_usd_bn"]]
    page.figure(balance_chart(bal), name="balance-by-category", title=findings["balance_title"],
                subtitle="Exports − imports by category, US$ billion; diamonds: total services balance",
                source=f"{WDI_SRC} (shares × totals)", alt=alt_text, data=d)


def china_sector_findings(start_year: int, end_year: int) -> dict[str, str]:
    d = china_dds_by_sector(start_year, end_year)
    if d.empty:
        return {"sector_sentence": "The WTO sub-sector file has no years in this window.",
                "sector_title": "China's digitally delivered balance: no data in this window"}
    final = d[d["status"] == "final"]
    ly = int(final["year"].max()) if not final.empty else int(d["year"].max())
    last = d[d["year"] == ly]
    total = last["balance"].sum() * 1e6
    pos = last.sort_values("balance", ascending=False).iloc[0]
    neg = last.sort_values("balance").iloc[0]
    first = d[d["year"] == int(d["year"].min())]["balance"].sum() * 1e6
    kind = "surplus" if total > 0 else "deficit"
    pre = d[d["status"] == "preliminary"]
    pre_txt = (f" The {int(pre['year'].max())} values are preliminary (lighter bars)." if not pre.empty else "")
    y0 = int(d["year"].min())
    move = (f"China's balance was a {kind} of {text.usd(abs(total))} in {ly}" if y0 == ly else
            f"China's balance moved from {_signed(first)} in {y0} to a {kind} of {text.usd(abs(total))} in {ly}")
    return {
        "sector_title": f"China's digitally delivered services ran a {kind} of {text.usd(abs(total))} in {ly}",
        "sector_sentence": (
            f"By WTO's estimate of digitally delivered services, {move}. The largest net credit was in "
            f"“{pos['sector']}” ({text.usd(abs(pos['balance'] * 1e6))}), the largest net debit in "
            f"“{neg['sector']}” ({text.usd(abs(neg['balance'] * 1e6))}).{pre_txt}"),
    }


def _signed(x: float) -> str:
    return f"a {'surplus' if x >= 0 else 'deficit'} of {text.usd(abs(x))}"


def show_china_sectors(page, start_year: int, end_year: int, findings: dict[str, str]) -> None:
    d = china_dds_by_sector(start_year, end_year)
    if d.empty:
        page.note(findings["sector_sentence"], kind="warning")
        return
    alt_text = ("Stacked bars of China's digitally delivered services balance (exports − imports) by WTO sub-sector, "
                f"US$ billion, {_span(int(d['year'].min()), int(d['year'].max()))}, with the total as a "
                f"line. {findings['sector_sentence']}")
    csv = d[["year", "sector_code", "sector", "exports", "imports", "balance", "status"]]
    page.figure(china_sector_balance_chart(d), name="china-dds-sectors", title=findings["sector_title"],
                subtitle="Digitally delivered services (Mode 1), exports − imports, US$ billion; lighter = preliminary",
                source=WTO_SRC, alt=alt_text, data=csv,
                note=f"{_break_note()}The sub-sector split exists for China only.")


def _break_note() -> str:
    d = ds.load_table("wto_dds_2026")
    years = sorted(set(d.loc[(d["iso3"] == "CHN") & (d["breaking_series"] == "B"), "year"].astype(int)))
    return f"WTO flags a series break in {_years_text(years)}. " if years else ""


def show_knowledge_proxies(page, start_year: int, end_year: int) -> None:
    p = knowledge_proxies("CHN")
    p = p[p["year"].between(start_year, end_year)]
    s = seed_knowledge_points()
    if p.empty:
        page.note("No proxy can be computed for China in this window.", kind="warning")
        return
    alt_text = ("Two panels (exports; exports + imports) of China's shares in %: the WDI modern-services share and "
                "the UNCTAD digitally deliverable share as lines, and the knowledge-intensive shares stated in the "
                "seeds as diamonds. " + knowledge_sentence())
    data = pd.concat([p, s.rename(columns={"claim_id": "proxy"})], ignore_index=True)
    page.figure(proxy_chart(p, s), name="knowledge-proxies", title=knowledge_title(),
                subtitle="China, % of services; lines: proxies from the data; diamonds: the seeds' stated shares",
                source=f"{WDI_SRC}; {UNCTAD_SRC}; data/claims.csv", alt=alt_text, data=data)


def _knowledge_bracket() -> tuple[int, int]:
    """(number of dated seed shares in years with both proxies, number lying between the two proxies)."""
    p = knowledge_proxies("CHN")
    rows = []
    for r in seed_knowledge_points().itertuples():
        vals = p[(p["basis"] == r.basis) & (p["year"] == r.year)]["share_pct"]
        if len(vals) == 2:
            rows.append(float(vals.min()) <= r.share_pct <= float(vals.max()))
    return len(rows), sum(rows)


def knowledge_title() -> str:
    n, inside = _knowledge_bracket()
    return (f"{inside} of {n} dated knowledge-intensive shares in the seeds lie between two public proxies; "
            "the official aggregate itself is not in the data")


def knowledge_sentence() -> str:
    n, inside = _knowledge_bracket()
    return (f"Of the {n} dated knowledge-intensive shares in the seeds that fall in years with both proxies, "
            f"{inside} lie between the two proxies and {n - inside} outside them.")


def show_rcep_dds(page, share: pd.DataFrame, members: Sequence[str], focus: str, findings: dict[str, str]) -> None:
    if share.empty:
        page.note(findings["dds_sentence"], kind="warning")
        return
    year, _ = latest_common_year(share, members)
    d = dumbbell_frame(share, year)
    alt_text = (f"Dot chart, one row per RCEP member: digitally deliverable share of service exports in {year} "
                f"(filled circle) and in the member's latest year (open diamond, labelled with the year). "
                f"{findings['dds_sentence']}")
    page.figure(dumbbell_chart(d, x_title="% of service exports", focus=focus), name="dds-share-members",
                title=findings["dds_title"],
                subtitle=f"Digitally deliverable services exports (UNCTAD) as % of service exports (WDI); circle: "
                f"{year}, the latest common year; diamond: latest year available",
                source=f"{UNCTAD_SRC}; {WDI_SRC}", alt=alt_text, data=d,
                note="Two sources: UNCTAD's digitally deliverable exports over WDI's balance-of-payments totals.")
    alt2 = (f"Small line charts, one per member, of the digitally deliverable share of service exports, "
            f"{_span(int(share['year'].min()), int(share['year'].max()))}; gaps where UNCTAD has no value.")
    page.figure(small_multiples(share, "share_pct", y_title="%", focus=focus, fmt=",.1f"), name="dds-share-over-time",
                title=dds_trend_title(share, members), subtitle="Digitally deliverable share of service exports, %",
                source=f"{UNCTAD_SRC}; {WDI_SRC}", alt=alt2, data=share[["iso3", "economy", "year", "share_pct"]])


def dds_trend_title(share: pd.DataFrame, members: Sequence[str]) -> str:
    ups = 0
    n = 0
    for iso3, g in share.sort_values("year").groupby("iso3"):
        if len(g) >= 2:
            n += 1
            ups += int(g["share_pct"].iloc[-1] > g["share_pct"].iloc[0])
    return f"The digitally deliverable share rose in {ups} of {n} members between their first and last years shown"


def show_rca(page, rca: pd.DataFrame, focus: str, findings: dict[str, str]) -> None:
    if rca.empty:
        page.note(f"{findings['rca_ict_sentence']} {findings['rca_dds_sentence']}", kind="warning")
        return
    alt_text = ("Small line charts, one per member, of the Balassa index of revealed comparative advantage in ICT "
                "services and in digitally deliverable services, with a dashed line at one. "
                f"{findings['rca_ict_sentence']} {findings['rca_dds_sentence']}")
    page.figure(small_multiples(rca, "rca", y_title="RCA", series="measure", reference=1.0, focus=focus,
                                independent=True),
                name="rca-over-time", title=rca_title(rca),
                subtitle="Balassa index of revealed comparative advantage (1 = world average, dashed); each panel "
                "has its own scale", source=f"{WDI_SRC} (BX.GSR.CCIS.CD, BX.GSR.NFSV.CD); {UNCTAD_SRC}",
                alt=alt_text, data=rca[["iso3", "economy", "measure", "year", "rca"]])


def rca_title(rca: pd.DataFrame) -> str:
    parts = []
    for measure in (RCA_ICT, RCA_DDS):
        r = rca[rca["measure"] == measure]
        if r.empty:
            continue
        ly = int(r["year"].max())
        last = r.loc[r["year"] == ly, "rca"]
        parts.append(f"{int((last > 1).sum())} of {len(last)} members in {RCA_WORDS[measure]} ({ly})")
    return "Revealed comparative advantage above one: " + "; ".join(parts)


# --------------------------------------------------------------------------- claim sentences for the prose


def _span_text(cid: str, results: dict, stated: bool = False) -> str:
    years, vals = span_values(cid)
    if stated:
        row = claims.claim(cid)
        vals = (float(row["value"]), float(row["value_end"]))
    return f"{text.pct(vals[0])} ({years[0]}) → {text.pct(vals[1])} ({years[1]})"


def claim_sentences() -> dict[str, str]:
    """Narrative sentences built from the checker's results (stated and computed values)."""
    r = {cid: claims.check(cid) for group in CLAIM_GROUPS.values() for cid in group}

    def s(cid, d=1):
        return text.num(r[cid].stated, d)

    def c(cid, d=1):
        return text.num(r[cid].computed, d) if r[cid].computed is not None else "n/a"

    y = _year(claims.claim("S000-068"))
    over = r["S000-069"].computed is not None and r["S000-069"].computed > 100
    holds = {claims.CONSISTENT: "holds", claims.INCONSISTENT: "does not hold",
             claims.NOT_CHECKABLE_STATUS: "cannot be checked"}
    out = {
        "deficit_sentence": (
            f"The seed puts China's {y} services deficit at US$ {s('S000-068')} bn and says travel and transport "
            f"made up more than {s('S000-069', 0)} % of it. The balance-of-payments data give a deficit of "
            f"US$ {c('S000-068')} bn ({r['S000-068'].status}), and the net debit of travel and transport equals "
            f"{c('S000-069', 0)} % of that deficit ({r['S000-069'].status})"
            + (": more than all of it, because the other categories together were in surplus." if over else ".")),
        "imports_sentence": (
            f"Transport and travel were {c('S000-071')} % of China's commercial service imports in {y} "
            f"({r['S000-071'].status}) and never less than {c('S000-072')} % in any year of the data, so the seed's "
            f"'more than half for a long time' {holds[r['S000-072'].status]}. Travel imports grew {c('S000-073')} % "
            f"in {y} by the data against the seed's {s('S000-073')} % ({r['S000-073'].status}); the seed's "
            "maintenance-and-repair growth has no series to check."),
        "digital_sentence": (
            f"The seed's share of digitally delivered services in China's {y} services trade, {s('S000-077')} %, "
            f"comes out at {c('S000-077')} % with WTO's estimate over balance-of-payments totals "
            f"({r['S000-077'].status}). The interviewees of the third article spoke of digital trade near "
            f"{s('S003-002', 0)} % of services trade ({r['S003-002'].status} with UNCTAD's digitally deliverable "
            f"services in the year before the interviews, at {c('S003-002')} %) and digitised exports above "
            f"{s('S003-005', 0)} % ({r['S003-005'].status}, {c('S003-005')} %). Their historical series, "
            f"{_span_text('S003-008', r, stated=True)} and {_span_text('S003-018', r, stated=True)}, compare with "
            f"{_span_text('S003-008', r)} and {_span_text('S003-018', r)} in the data "
            f"({r['S003-008'].status}, {r['S003-018'].status})."),
    }
    n_kn = len(CLAIM_GROUPS["knowledge"])
    out["knowledge_sentence"] = (
        f"The seeds state {n_kn} different 'knowledge-intensive' shares for China. The Ministry of Commerce's "
        "aggregate is not in any table here, so none of them can be checked; the chart shows two proxies from the "
        "data for context. " + knowledge_sentence())
    return out


CLAIM_CAPTIONS = {
    "traditional": "Claims on the deficit and traditional services, with their verdicts",
    "digital": "Claims on digital trade shares of China, with their verdicts",
    "knowledge": "Claims on knowledge-intensive services: not checkable, with proxies for context",
}


def show_claims(page, group: str) -> None:
    """The verdicts of one group of this chapter's claims, where the text discusses them."""
    if group not in CLAIM_GROUPS:
        raise ValueError(f"claim group {group!r}; groups: {', '.join(CLAIM_GROUPS)}")
    claims.show(page, CLAIM_GROUPS[group], name=f"claims-{group}", caption=CLAIM_CAPTIONS[group])
