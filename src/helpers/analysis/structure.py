"""Structure of services trade: composition by category, balances, digitally deliverable shares, RCA.

Pure functions of the curated tables (``wdi``, ``unctad_dds``, ``wto_dds_2026``, ``claims`` as
:func:`helpers.data.datastore.load_table` returns them): no page, no glue, no sentences, no charts.

Definitions (the page states them in words):

* **Categories.** WDI publishes four shares of *commercial* service exports and imports: transport
  (``*.GSR.TRAN.ZS``), travel (``TRVL``), insurance & financial (``INSF``) and computer, communications &
  other (``CMCP``). They do not always add up to 100: the remainder, ``100 − sum``, is its own category
  "other (goods-related & government)", computed here (WDI does not publish it); it may be negative where
  a published share is negative.
* **Levels.** A category's level is its share × total service exports or imports (``*.GSR.NFSV.CD``).
  The total includes government services, so this spreads them pro rata: an approximation, but category
  levels then add up exactly to the published total, and category balances to the published balance.
* **Traditional** services = transport + travel; **modern** = insurance & financial + computer,
  communications & other (WDI's categories; not the same as "digitally deliverable").
* **Digitally deliverable share** of services = UNCTAD digitally deliverable trade (all modes) / WDI
  services (balance of payments) × 100: two sources, so the ratio is indicative.
* **Revealed comparative advantage** (Balassa): RCA_i,k = (X_i,k / X_i) / (X_w,k / X_w), X = service
  exports, w = the world (WLD rows of the same tables). Above 1: k weighs more in i's service exports
  than in the world's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.data import datastore

FLOWS = {"exports": "BX", "imports": "BM"}
WORLD = "WLD"
ICT_X, ICT_SHARE = "BX.GSR.CCIS.CD", "BX.GSR.CCIS.ZS"
NEG_TOL = 0.05  # published shares are rounded: a remainder of −0.00001 is rounding, not a negative share


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
ORDER = {c.key: i for i, c in enumerate(ALL_CATEGORIES)}
RCA_ICT, RCA_DDS = "ICT services", "Digitally deliverable services"


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


def wdi_wide(
    wdi: pd.DataFrame,
    codes: Sequence[str],
    countries: Sequence[str] | None = None,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Wide frame iso3, year, <codes...>; only rows that exist in the source (gaps stay NaN)."""
    df = wdi[wdi["indicator"].isin(list(codes))]
    if countries is not None:
        df = df[df["iso3"].isin(list(countries))]
    if years is not None:
        df = df[df["year"].between(*years)]
    wide = df.pivot(index=["iso3", "year"], columns="indicator", values="value").reset_index().rename_axis(columns=None)
    for code in codes:
        if code not in wide.columns:
            wide[code] = np.nan
    wide["year"] = wide["year"].astype(int)
    return wide.sort_values(["iso3", "year"]).reset_index(drop=True)


def _series(wdi: pd.DataFrame, code: str) -> pd.DataFrame:
    return wdi.loc[wdi["indicator"] == code, ["iso3", "year", "value"]].astype({"year": int})


# --------------------------------------------------------------------------- composition


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
            out.append(
                pd.DataFrame(
                    {
                        "iso3": sub["iso3"].to_numpy(),
                        "year": sub["year"].astype(int).to_numpy(),
                        "flow": flow,
                        "category": cat.key,
                        "label": cat.label,
                        "group": cat.group,
                        "share_pct": s.to_numpy(),
                        "level_usd": (s / 100.0 * tot.loc[ok].astype(float)).to_numpy(),
                    }
                )
            )
    cols = ["iso3", "year", "flow", "category", "label", "group", "share_pct", "level_usd"]
    if not out:
        return pd.DataFrame(columns=cols).astype({"year": int, "share_pct": float, "level_usd": float})
    df = pd.concat(out, ignore_index=True)
    df["_o"] = df["category"].map(ORDER)
    return df.sort_values(["iso3", "flow", "year", "_o"]).drop(columns="_o").reset_index(drop=True)[cols]


def composition(wdi: pd.DataFrame, country: str, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """The composition of one economy's services trade (see :func:`composition_from_wide`)."""
    if years is not None and years[0] > years[1]:
        raise ValueError(f"start_year ({years[0]}) must not be after end_year ({years[1]})")
    return composition_from_wide(wdi_wide(wdi, COMPOSITION_CODES, [country], years))


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
    w = comp.pivot_table(
        index=["iso3", "year", "category", "label"], columns="flow", values="level_usd", aggfunc="first"
    ).reset_index()
    if not {"exports", "imports"} <= set(w.columns):
        return pd.DataFrame(columns=cols)
    w = w.dropna(subset=["exports", "imports"])
    w["balance_usd"] = w["exports"] - w["imports"]
    w["_o"] = w["category"].map(ORDER)
    return w.sort_values(["iso3", "year", "_o"])[cols].reset_index(drop=True)


def deficit_contributions(bal: pd.DataFrame, year: int, iso3: str | None = None) -> pd.DataFrame:
    """Each category's balance as % of the total balance in ``year`` (the shares add up to 100 whatever
    the sign of the total). Raises ValueError if the year is absent or the total is zero."""
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
    """Mean 'other' share by flow (how asymmetric the published categories are); NaN for a flow without data."""
    o = comp[comp["category"] == OTHER.key]
    return {
        flow: float(o.loc[o["flow"] == flow, "share_pct"].mean()) if (o["flow"] == flow).any() else float("nan")
        for flow in FLOWS
    }


def composition_coverage(comp: pd.DataFrame, totals_years: Sequence[int], years: tuple[int, int]) -> dict:
    """What the data hold for one economy's composition in the window: years without a complete breakdown
    per flow, years and categories with a negative share as published, years with totals only."""
    missing = {
        flow: [y for y in range(years[0], years[1] + 1) if y not in set(comp.loc[comp["flow"] == flow, "year"])]
        for flow in FLOWS
    }
    neg = comp[comp["share_pct"] < -NEG_TOL]
    return {
        "empty": comp.empty,
        "missing": missing,
        "totals_years": sorted(int(y) for y in totals_years),
        "negative_years": sorted(set(int(y) for y in neg["year"])),
        "negative_labels": sorted(set(neg["label"])),
    }


def ict_share(wdi: pd.DataFrame, country: str, years: tuple[int, int]) -> pd.DataFrame:
    """ICT services as % of service exports (WDI): year, share_pct."""
    d = _series(wdi, ICT_SHARE)
    d = d[(d["iso3"] == country) & d["year"].between(*years)]
    return d.rename(columns={"value": "share_pct"})[["year", "share_pct"]].dropna().reset_index(drop=True)


# --------------------------------------------------------------------------- digitally deliverable & RCA


def dds_share(dds: pd.DataFrame, services: pd.DataFrame) -> pd.DataFrame:
    """Digitally deliverable share (%) of services: ``dds`` (iso3, year, value_usd_mn) over ``services``
    (iso3, year, value in US$). Rows need both; a non-positive total gives no row."""
    m = dds[["iso3", "year", "value_usd_mn"]].merge(services[["iso3", "year", "value"]], on=["iso3", "year"])
    denom = m["value"].where(m["value"] > 0)
    m["share_pct"] = 100.0 * m["value_usd_mn"] * 1e6 / denom
    return (
        m.dropna(subset=["share_pct"])[["iso3", "year", "share_pct"]]
        .sort_values(["iso3", "year"])
        .reset_index(drop=True)
    )


def balassa(x_ik, x_i, x_wk, x_w):
    """Balassa index (X_ik / X_i) / (X_wk / X_w), element-wise; NaN where a denominator or the world
    share is not positive. Accepts scalars or aligned Series."""

    def pos(v):
        v = pd.to_numeric(v) if isinstance(v, pd.Series) else float(v)
        return v.where(v > 0) if isinstance(v, pd.Series) else (v if v > 0 else np.nan)

    return (x_ik / pos(x_i)) / (pos(x_wk) / pos(x_w))


def rca_frame(num: pd.DataFrame, den: pd.DataFrame, world: str = WORLD) -> pd.DataFrame:
    """RCA per iso3-year from long frames num (iso3, year, x_k) and den (iso3, year, x); world rows by iso3."""
    m = num.merge(den, on=["iso3", "year"])
    w = m[m["iso3"] == world][["year", "x_k", "x"]].rename(columns={"x_k": "w_k", "x": "w"})
    m = m[m["iso3"] != world].merge(w, on="year")
    m["rca"] = balassa(m["x_k"], m["x"], m["w_k"], m["w"])
    return m.dropna(subset=["rca"])[["iso3", "year", "rca"]].sort_values(["iso3", "year"]).reset_index(drop=True)


def _unctad(unctad: pd.DataFrame, flow: str) -> pd.DataFrame:
    return unctad.loc[unctad["flow"] == flow, ["iso3", "year", "value_usd_mn"]].astype({"year": int})


def _named(df: pd.DataFrame) -> pd.DataFrame:
    names = datastore.display_names(sorted(set(df["iso3"])))
    return df.assign(economy=df["iso3"].map(names))


def dds_share_panel(
    wdi: pd.DataFrame, unctad: pd.DataFrame, members: Sequence[str], years: tuple[int, int], flow: str = "exports"
) -> pd.DataFrame:
    """Digitally deliverable share of service exports (or imports) (%), members × years in the window."""
    sh = dds_share(_unctad(unctad, flow), _series(wdi, total_code(flow)))
    return _named(sh[sh["iso3"].isin(list(members)) & sh["year"].between(*years)].reset_index(drop=True))


def dds_share_both_flows(wdi: pd.DataFrame, unctad: pd.DataFrame, country: str, years: tuple[int, int]) -> pd.DataFrame:
    """One economy's digitally deliverable share of service exports and of imports (%), with a ``flow`` column."""
    return pd.concat(
        [dds_share_panel(wdi, unctad, [country], years, f).assign(flow=f) for f in FLOWS], ignore_index=True
    )


def rca_panel(wdi: pd.DataFrame, unctad: pd.DataFrame, members: Sequence[str], years: tuple[int, int]) -> pd.DataFrame:
    """RCA in ICT services (WDI) and in digitally deliverable services (UNCTAD / WDI), long."""
    x = _series(wdi, total_code("exports")).rename(columns={"value": "x"})
    ict = _series(wdi, ICT_X).rename(columns={"value": "x_k"})
    dds = _unctad(unctad, "exports").assign(x_k=lambda d: d["value_usd_mn"] * 1e6)[["iso3", "year", "x_k"]]
    out = pd.concat(
        [rca_frame(ict, x).assign(measure=RCA_ICT), rca_frame(dds, x).assign(measure=RCA_DDS)], ignore_index=True
    )
    out = out[out["iso3"].isin(list(members)) & out["year"].between(*years)]
    return _named(out).sort_values(["measure", "iso3", "year"]).reset_index(drop=True)


def latest_common_year(
    df: pd.DataFrame, members: Sequence[str], value: str = "share_pct"
) -> tuple[int | None, list[str]]:
    """Latest year in which every member with any value reports one; if no year has all of them, the
    latest year with the most members. Returns (year, members missing in that year)."""
    d = df[df["iso3"].isin(list(members)) & df[value].notna()]
    if d.empty:
        return None, list(members)
    have = set(d["iso3"])
    counts = d.groupby("year")["iso3"].nunique()
    year = int(counts[counts == counts.max()].index.max())
    present = set(d.loc[d["year"] == year, "iso3"])
    return year, [m for m in members if m not in present and m in have] + [m for m in members if m not in have]


COMMON, LATEST = "latest common year", "latest year available"


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


def first_last_change(df: pd.DataFrame, value: str) -> tuple[int, int]:
    """(members whose value rose between their first and last year, members with two years or more)."""
    ups = n = 0
    for _, g in df.dropna(subset=[value]).sort_values("year").groupby("iso3"):
        if len(g) >= 2:
            n += 1
            ups += int(g[value].iloc[-1] > g[value].iloc[0])
    return ups, n


# --------------------------------------------------------------------------- WTO sub-sectors and totals


SHORT_SECTORS = {
    "Charges for the use of intellectual property": "IP charges",
    "Personal, cultural, and recreational": "Personal, cultural & recreational",
    "Insurance and pension": "Insurance & pension",
}


def _short_sector(name: str) -> str:
    n = str(name)
    for k, v in SHORT_SECTORS.items():
        if n.startswith(k):
            return v
    return n.replace(" services", "")


def dds_by_sector(wto_2026: pd.DataFrame, country: str, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Digitally delivered services (WTO, Mode 1) by sub-sector: year, sector_code, sector, exports,
    imports, balance (US$ mn), status ('preliminary' for the release's last year, else 'final')."""
    d = wto_2026[(wto_2026["iso3"] == country) & (wto_2026["sector_code"] != "DDS")]
    w = (
        d.pivot_table(
            index=["year", "sector_code", "sector_name"], columns="flow", values="value_usd_mn", aggfunc="first"
        )
        .reset_index()
        .rename_axis(columns=None)
    )
    if w.empty:
        return pd.DataFrame(columns=["year", "sector_code", "sector", "exports", "imports", "balance", "status"])
    w["year"] = w["year"].astype(int)
    w["balance"] = w["exports"] - w["imports"]
    if years is not None:
        w = w[w["year"].between(*years)]
    w["sector"] = w["sector_name"].map(_short_sector)
    w["status"] = np.where(w["year"] == int(wto_2026["year"].max()), "preliminary", "final")
    return w.sort_values(["year", "sector_code"]).reset_index(drop=True)


def series_breaks(wto_2026: pd.DataFrame, country: str) -> list[int]:
    d = wto_2026[(wto_2026["iso3"] == country) & (wto_2026["breaking_series"] == "B")]
    return sorted(set(int(y) for y in d["year"]))


def trade_share(
    country: str,
    year: int,
    source: str,
    *,
    wdi: pd.DataFrame,
    unctad: pd.DataFrame,
    wto_2026: pd.DataFrame,
    flows: Sequence[str] = ("exports", "imports"),
) -> float:
    """Digitally delivered (WTO bulk file: needs both flows of the country) or deliverable (UNCTAD) services
    as % of WDI services trade, summed over ``flows``; NaN when a piece is missing."""
    if source not in ("wto", "unctad"):
        raise ValueError(f"source {source!r} must be 'wto' or 'unctad'")
    num = den = 0.0
    for flow in flows:
        if source == "wto":
            t = wto_2026[
                (wto_2026["iso3"] == country) & (wto_2026["sector_code"] == "DDS") & (wto_2026["flow"] == flow)
            ]
            v = t.loc[t["year"] == year, "value_usd_mn"]
        else:
            u = _unctad(unctad, flow)
            v = u.loc[(u["iso3"] == country) & (u["year"] == year), "value_usd_mn"]
        s = _series(wdi, total_code(flow))
        tot = s.loc[(s["iso3"] == country) & (s["year"] == year), "value"]
        if v.empty or tot.empty or pd.isna(v.iloc[0]) or pd.isna(tot.iloc[0]):
            return float("nan")
        num += float(v.iloc[0]) * 1e6
        den += float(tot.iloc[0])
    return 100.0 * num / den if den > 0 else float("nan")


# --------------------------------------------------------------------------- knowledge-intensive proxies


PROXY_MODERN = "WDI modern services (insurance & financial + computer, communications & other)"
PROXY_DDS = "UNCTAD digitally deliverable services / WDI services"
BASES = {"exports": ("exports",), "exports + imports": ("exports", "imports")}


def knowledge_proxies(country: str, *, wdi: pd.DataFrame, unctad: pd.DataFrame, wto_2026: pd.DataFrame) -> pd.DataFrame:
    """Two proxies for 'knowledge-intensive services' (a Ministry of Commerce aggregate not in the data), as
    % of exports and of exports + imports: year, proxy, basis, share_pct."""
    comp = composition(wdi, country)
    rows = []
    if not comp.empty:
        mod = comp[comp["group"] == "modern"].groupby(["year", "flow"])["level_usd"].sum().unstack()
        tot = comp.groupby(["year", "flow"])["level_usd"].sum().unstack()
        if {"exports", "imports"} <= set(mod.columns):
            for basis, flows in BASES.items():
                rows.append(
                    pd.DataFrame(
                        {
                            "year": mod.index,
                            "proxy": PROXY_MODERN,
                            "basis": basis,
                            "share_pct": 100
                            * mod[list(flows)].sum(axis=1, min_count=len(flows))
                            / tot[list(flows)].sum(axis=1, min_count=len(flows)),
                        }
                    )
                )
    # UNCTAD over WDI, as trade_share computes it, for every year at once
    u = unctad[unctad["iso3"] == country].pivot_table(index="year", columns="flow", values="value_usd_mn") * 1e6
    w = wdi_wide(wdi, [total_code(f) for f in FLOWS], [country]).set_index("year")
    both = u.reindex(columns=list(FLOWS)).join(w, how="inner")
    for basis, flows in BASES.items():
        num = both[list(flows)].sum(axis=1, min_count=len(flows))
        den = both[[total_code(f) for f in flows]].sum(axis=1, min_count=len(flows))
        rows.append(
            pd.DataFrame(
                {
                    "year": both.index.astype(int),
                    "proxy": PROXY_DDS,
                    "basis": basis,
                    "share_pct": (100 * num / den.where(den > 0)).to_numpy(),
                }
            )
        )
    out = pd.concat(rows, ignore_index=True).dropna(subset=["share_pct"])
    out["year"] = out["year"].astype(int)
    return out.sort_values(["proxy", "basis", "year"]).reset_index(drop=True)


def row_years(year_text) -> list[int]:
    """The four-digit years in a claim's ``year`` field ('2012-2023', '2025-01/2025-11', NaN -> [])."""
    y = str(year_text) if pd.notna(year_text) else ""
    return sorted(set(int(p) for p in re.findall(r"(?<!\d)(\d{4})(?!\d)", y)))


def stated_points(register: pd.DataFrame, claim_ids: Sequence[str]) -> pd.DataFrame:
    """The dated shares some claims state (year, claim_id, basis, share_pct): a from-to claim gives two
    points; a claim without a year or over a part of a year (e.g. 'January-November') none."""
    rows = []
    for cid in claim_ids:
        r = register.set_index("claim_id").loc[cid]
        text = str(r["year"]) if pd.notna(r["year"]) else ""
        if not text or "/" in text:
            continue
        basis = "exports" if "export" in str(r["subject"]).lower() else "exports + imports"
        ys = row_years(text)
        rows.append((ys[0], cid, basis, float(r["value"])))
        if len(ys) == 2 and pd.notna(r["value_end"]):
            rows.append((ys[1], cid, basis, float(r["value_end"])))
    return pd.DataFrame(rows, columns=["year", "claim_id", "basis", "share_pct"])


def bracketed(proxies: pd.DataFrame, points: pd.DataFrame) -> tuple[int, int]:
    """(stated shares in a year with both proxies, how many of them lie between the two proxies)."""
    inside = []
    for p in points.itertuples():
        vals = proxies[(proxies["basis"] == p.basis) & (proxies["year"] == p.year)]["share_pct"]
        if len(vals) == 2:
            inside.append(float(vals.min()) <= p.share_pct <= float(vals.max()))
    return len(inside), sum(inside)
