"""The scale of one economy's services trade: pure functions of the curated tables.

Every function takes the tables it needs as DataFrames (``wdi``, ``unctad_dds``, ``wto_dds_exports``,
``wto_dds_2026``, ``seed_values`` as :func:`helpers.data.datastore.load_table` returns them) and returns
a DataFrame or a small dict: no page, no glue, no sentences, no charts. Gaps stay gaps (a year without
data is absent, never filled).

* :func:`services_trade` — exports, imports, total and balance of services (WDI, balance of payments),
  growth, and the share of world services trade;
* :func:`foreign_trade_share` — services as a share of total foreign trade on two bases, because
  ``data/`` holds no goods imports in US$: (a) merchandise trade (WDI merchandise trade % of GDP × GDP)
  plus services, the construction of China's official statistic; (b) national-accounts trade in goods
  and services (trade % of GDP × GDP);
* :func:`unctad_trade`, :func:`wto_trade`, :func:`composition_proxy` — digital services trade from each
  source, and :func:`digital_sources` / :func:`source_comparison`: the same quantity from every source;
* :func:`seed_digital_series`, :func:`seed_implied_growth`, :func:`subsector_cagr`, :func:`yuan_figures`
  — the seeds' figures on China's digital trade and what they imply;
* :func:`peer_table` — the focus economy against its peers (services-export level and growth).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.text import cagr, growth

X, M = "BX.GSR.NFSV.CD", "BM.GSR.NFSV.CD"
MERCH_PCT, TRADE_PCT, GDP = "TG.VAL.TOTL.GD.ZS", "NE.TRD.GNFS.ZS", "NY.GDP.MKTP.CD"
# Shares of commercial services that make the WDI composition proxy of digital services (as in the RCEP model)
PROXY_SHARES = {"exports": ("BX.GSR.CMCP.ZS", "BX.GSR.INSF.ZS"), "imports": ("BM.GSR.CMCP.ZS", "BM.GSR.INSF.ZS")}
WORLD = "WLD"
SUBSECTORS = {
    "SH": "Charges for the use of intellectual property",
    "SG": "Financial services",
    "ICT": "ICT services (telecommunications, computer, information)",
}
SEED_SERIES = ("china_digital_trade_usd", "china_digital_trade_share_of_services")
YUAN_SERIES = (
    "china_digital_delivery_services_cny",
    "china_digital_delivery_services_cny_growth",
    "china_cross_border_ecommerce_cny",
    "china_cross_border_ecommerce_cny_growth",
)
SERVICES_COLUMNS = [
    "year",
    "exports_bn",
    "imports_bn",
    "total_bn",
    "balance_bn",
    "growth_total_pct",
    "growth_exports_pct",
    "share_world_pct",
    "export_share_world_pct",
]


# --------------------------------------------------------------------------- services trade


def _wide(wdi: pd.DataFrame, codes: Sequence[str], country: str, years: tuple[int, int] | None) -> pd.DataFrame:
    """One country's WDI series as columns by year (absent years absent, absent series all NaN)."""
    d = wdi[(wdi["iso3"] == country) & wdi["indicator"].isin(list(codes))]
    if years is not None:
        d = d[d["year"].between(*years)]
    w = d.pivot(index="year", columns="indicator", values="value").reindex(columns=list(codes))
    w.index = w.index.astype(int)
    return w.sort_index()


def coverage_years(wdi: pd.DataFrame, country: str) -> tuple[int, int] | None:
    """First and last year with both services exports and imports for ``country`` (None: no such year)."""
    d = _wide(wdi, [X, M], country, None).dropna()
    return None if d.empty else (int(d.index.min()), int(d.index.max()))


def services_trade(wdi: pd.DataFrame, country: str, years: tuple[int, int]) -> pd.DataFrame:
    """Per year: exports, imports, total, balance (US$ bn), growth of total and exports over the previous
    year (%, only between consecutive years), share of world services trade and of world services exports
    (%). Years without both flows are left out; no year at all gives an empty frame."""
    c = _wide(wdi, [X, M], country, years).dropna()
    w = _wide(wdi, [X, M], WORLD, years).reindex(c.index)
    out = pd.DataFrame(
        {"year": c.index.astype(int), "exports_bn": c[X].to_numpy() / 1e9, "imports_bn": c[M].to_numpy() / 1e9}
    )
    out["total_bn"] = out["exports_bn"] + out["imports_bn"]
    out["balance_bn"] = out["exports_bn"] - out["imports_bn"]
    consecutive = out["year"].diff() == 1
    out["growth_total_pct"] = (out["total_bn"].pct_change() * 100).where(consecutive)
    out["growth_exports_pct"] = (out["exports_bn"].pct_change() * 100).where(consecutive)
    out["share_world_pct"] = 100 * out["total_bn"] / ((w[X] + w[M]).to_numpy() / 1e9)
    out["export_share_world_pct"] = 100 * out["exports_bn"] / (w[X].to_numpy() / 1e9)
    return out[SERVICES_COLUMNS].reset_index(drop=True)


def window_growth(st: pd.DataFrame, column: str = "total_bn") -> dict:
    """First and last year of the frame, their values, the multiple and the CAGR (%; NaN for one year)."""
    a, b = st.iloc[0], st.iloc[-1]
    n = int(b["year"] - a["year"])
    return {
        "first_year": int(a["year"]),
        "last_year": int(b["year"]),
        "first": float(a[column]),
        "last": float(b[column]),
        "multiple": float(b[column] / a[column]) if a[column] else np.nan,
        "cagr_pct": cagr(a[column], b[column], n) if n > 0 and a[column] > 0 and b[column] > 0 else np.nan,
    }


def balance_path(st: pd.DataFrame) -> dict:
    """How the services balance moved: its sign each year, the widest deficit and whether it has
    narrowed since. Keys: deficit_years, surplus_years, last_year, last, widest_year, widest,
    narrowest_after_year (None when the widest deficit is the last year or there is no deficit)."""
    bal = st.set_index("year")["balance_bn"]
    out = {
        "deficit_years": [int(y) for y in bal.index[bal < 0]],
        "surplus_years": [int(y) for y in bal.index[bal > 0]],
        "balanced_years": [int(y) for y in bal.index[bal == 0]],
        "last_year": int(bal.index[-1]),
        "last": float(bal.iloc[-1]),
        "widest_year": None,
        "widest": np.nan,
        "narrowest_after_year": None,
        "narrowest_after": np.nan,
    }
    if (bal < 0).any():
        wy = int(bal.idxmin())
        out.update(widest_year=wy, widest=float(bal[wy]))
        after = bal.loc[wy:]
        if len(after) > 1:
            ny = int(after.iloc[1:].idxmax())
            out.update(narrowest_after_year=ny, narrowest_after=float(bal[ny]))
    return out


def foreign_trade_share(wdi: pd.DataFrame, country: str, years: tuple[int, int]) -> pd.DataFrame:
    """Services trade as % of total foreign trade, two bases (see the module doc). NaN where a part is missing."""
    st = services_trade(wdi, country, years).set_index("year")
    w = _wide(wdi, [MERCH_PCT, TRADE_PCT, GDP], country, years).reindex(st.index)
    out = pd.DataFrame(index=st.index)
    out["services_bn"] = st["total_bn"]
    out["merch_bn"] = w[MERCH_PCT] * w[GDP] / 100 / 1e9
    out["na_trade_bn"] = w[TRADE_PCT] * w[GDP] / 100 / 1e9
    out["share_merch_basis_pct"] = 100 * out["services_bn"] / (out["merch_bn"] + out["services_bn"])
    out["share_na_basis_pct"] = 100 * out["services_bn"] / out["na_trade_bn"]
    return out.reset_index()


def latest(df: pd.DataFrame, column: str) -> tuple[int, float] | None:
    """(year, value) of the last row with a value in ``column``; None when there is none."""
    d = df.dropna(subset=[column])
    return None if d.empty else (int(d["year"].iloc[-1]), float(d[column].iloc[-1]))


# --------------------------------------------------------------------------- digital services, each source


def unctad_trade(unctad: pd.DataFrame, country: str, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """UNCTAD digitally deliverable services: year, exports_bn, imports_bn, total_bn (NaN if a flow is missing)."""
    u = unctad[unctad["iso3"] == country]
    if years is not None:
        u = u[u["year"].between(*years)]
    p = u.pivot(index="year", columns="flow", values="value_usd_mn").reindex(columns=["exports", "imports"]) / 1000
    out = pd.DataFrame(
        {"year": p.index.astype(int), "exports_bn": p["exports"].to_numpy(), "imports_bn": p["imports"].to_numpy()}
    )
    out["total_bn"] = out["exports_bn"] + out["imports_bn"]
    return out


def _bulk(wto_2026: pd.DataFrame, country: str, flow: str) -> pd.Series:
    b = wto_2026[(wto_2026["iso3"] == country) & (wto_2026["sector_code"] == "DDS") & (wto_2026["flow"] == flow)]
    s = b.set_index("year")["value_usd_mn"] / 1000
    s.index = s.index.astype(int)
    return s


def wto_trade(
    wto_exports: pd.DataFrame, wto_2026: pd.DataFrame, country: str, years: tuple[int, int] | None = None
) -> pd.DataFrame:
    """WTO digitally delivered services: year, exports_bn (the dataset; the 2026 bulk file for a later
    year, flagged exports_prelim), imports_bn and total_bn where the 2026 bulk file has the country's
    imports (in data/: China; Cambodia and Viet Nam imports). A total comes from one release only."""
    e = wto_exports[wto_exports["iso3"] == country].set_index("year")["value_usd_mn"] / 1000
    e.index = e.index.astype(int)
    exp26, imp = _bulk(wto_2026, country, "exports"), _bulk(wto_2026, country, "imports")
    idx = sorted(set(e.index) | set(imp.index) | set(exp26.index))
    out = pd.DataFrame({"year": [int(y) for y in idx]})
    out["exports_bn"] = [e.get(y, exp26.get(y, np.nan)) for y in idx]
    out["exports_prelim"] = [y not in e.index and y in exp26.index for y in idx]
    out["imports_bn"] = [imp.get(y, np.nan) for y in idx]
    out["total_bn"] = [exp26.get(y, np.nan) + imp.get(y, np.nan) for y in idx]
    if years is not None:
        out = out[out["year"].between(*years)]
    return out.reset_index(drop=True)


def composition_proxy(wdi: pd.DataFrame, country: str, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """WDI composition proxy of digital services: services × (computer, communications & other +
    insurance & financial share) / 100, per flow (US$ bn): year, exports_bn, imports_bn, total_bn. The
    shares are of commercial services and the total includes government services (an approximation)."""
    cols = {}
    for flow, total in (("exports", X), ("imports", M)):
        a, b = PROXY_SHARES[flow]
        w = _wide(wdi, [total, a, b], country, years)
        cols[flow] = w[total] * (w[a] + w[b]) / 100 / 1e9
    p = pd.DataFrame(cols)
    out = pd.DataFrame(
        {"year": p.index.astype(int), "exports_bn": p["exports"].to_numpy(), "imports_bn": p["imports"].to_numpy()}
    )
    out["total_bn"] = out["exports_bn"] + out["imports_bn"]
    return out.dropna(subset=["exports_bn", "imports_bn"], how="all").reset_index(drop=True)


def digital_long(unctad_t: pd.DataFrame, wto_t: pd.DataFrame) -> pd.DataFrame:
    """Long frame for a chart of both measures: year, measure, value_bn, source (rows with a value only)."""
    parts = [
        pd.DataFrame(
            {
                "year": unctad_t["year"],
                "measure": "Deliverable, exports + imports (UNCTAD)",
                "value_bn": unctad_t["total_bn"],
                "source": "UNCTAD",
            }
        ),
        pd.DataFrame(
            {
                "year": unctad_t["year"],
                "measure": "Deliverable, exports (UNCTAD)",
                "value_bn": unctad_t["exports_bn"],
                "source": "UNCTAD",
            }
        ),
        pd.DataFrame(
            {
                "year": wto_t["year"],
                "measure": "Delivered, exports (WTO)",
                "value_bn": wto_t["exports_bn"],
                "source": "WTO",
            }
        ),
        pd.DataFrame(
            {
                "year": wto_t["year"],
                "measure": "Delivered, exports + imports (WTO)",
                "value_bn": wto_t["total_bn"],
                "source": "WTO",
            }
        ),
    ]
    parts = [p for p in parts if p["value_bn"].notna().any()]
    if not parts:
        return pd.DataFrame(columns=["year", "measure", "value_bn", "source"])
    return pd.concat(parts, ignore_index=True).dropna(subset=["value_bn"]).reset_index(drop=True)


# Sources of the same quantity (a country's digital services trade), in the order the book shows them.
SOURCES = ("wto_dataset", "wto_bulk", "unctad", "wdi_proxy", "table1", "seeds")


def digital_sources(
    country: str,
    *,
    wdi: pd.DataFrame,
    unctad: pd.DataFrame,
    wto_exports: pd.DataFrame,
    wto_2026: pd.DataFrame,
    seed_values: pd.DataFrame,
) -> pd.DataFrame:
    """Every value of ``country``'s digital services trade in ``data/``, long: source, flow ('exports' or
    'exports + imports'), year, value_bn. The study's Table 1 states world totals only and the seeds state
    China's trade only, so they have rows only when they concern ``country``."""
    rows = []

    def add(source: str, flow: str, s: pd.Series) -> None:
        s = s.dropna()
        rows.extend({"source": source, "flow": flow, "year": int(y), "value_bn": float(v)} for y, v in s.items())

    e = wto_exports[wto_exports["iso3"] == country].set_index("year")["value_usd_mn"] / 1000
    e.index = e.index.astype(int)
    add("wto_dataset", "exports", e)
    bx, bm = _bulk(wto_2026, country, "exports"), _bulk(wto_2026, country, "imports")
    add("wto_bulk", "exports", bx)
    add("wto_bulk", "exports + imports", (bx + bm).dropna())
    u = unctad_trade(unctad, country).set_index("year")
    add("unctad", "exports", u["exports_bn"])
    add("unctad", "exports + imports", u["total_bn"])
    p = composition_proxy(wdi, country).set_index("year")
    add("wdi_proxy", "exports", p["exports_bn"])
    add("wdi_proxy", "exports + imports", p["total_bn"])
    t1 = seed_values[(seed_values["series_id"] == "world_dds_exports") & (seed_values["geo"] == country)]
    add("table1", "exports", t1.set_index(t1["year"].astype(int))["value"] / 10)  # US$ 100 million -> bn
    sd = seed_values[(seed_values["series_id"] == SEED_SERIES[0]) & (seed_values["geo"] == country)]
    add("seeds", "exports + imports", sd.set_index(sd["year"].astype(int))["value"])
    out = pd.DataFrame(rows, columns=["source", "flow", "year", "value_bn"])
    return out.drop_duplicates(["source", "flow", "year"]).reset_index(drop=True)


# How the book names each source, what it measures, and the rows of the table that sets them side by side.
SOURCE_LABELS = {
    "wto_dataset": "WTO dataset, digitally delivered",
    "wto_bulk": "WTO 2026 bulk file, digitally delivered",
    "unctad": "UNCTAD, digitally deliverable",
    "wdi_proxy": "WDI composition proxy",
    "table1": "the study's Table 1",
    "seeds": "the seeds' figures",
}
CONCEPTS = {
    "wto_dataset": "delivered: supplied across borders over networks (Mode 1), an estimate",
    "wto_bulk": "delivered (Mode 1), as the dataset",
    "unctad": "deliverable: all trade, every mode, in categories that can be delivered over networks",
    "wdi_proxy": "proxy: services × share of computer, communications & other plus insurance & financial",
    "table1": "delivered, world totals",
    "seeds": "stated; 'digital (service) trade' or 'digitally delivered'",
}
TABLE_ROWS = [
    ("wto_dataset", "exports"),
    ("wto_bulk", "exports"),
    ("unctad", "exports"),
    ("wdi_proxy", "exports"),
    ("table1", "exports"),
    ("wto_bulk", "exports + imports"),
    ("unctad", "exports + imports"),
    ("wdi_proxy", "exports + imports"),
    ("seeds", "exports + imports"),
]


def same_values(comparison: pd.DataFrame, years: Sequence[int], a: str, b: str, flow: str) -> bool | None:
    """Whether two sources give the same values in the years both have (None: no such year)."""
    d = comparison[comparison["flow"] == flow].set_index("source")
    if a not in d.index or b not in d.index:
        return None
    x, y = d.loc[a, list(years)].astype(float), d.loc[b, list(years)].astype(float)
    both = x.notna() & y.notna()
    return bool(np.allclose(x[both], y[both])) if both.any() else None


def closest_sources(comparison: pd.DataFrame, years: Sequence[int]) -> dict[int, str]:
    """For each year the seeds state a figure, the source of exports + imports nearest to it."""
    trade = comparison[comparison["flow"] == "exports + imports"].set_index("source")
    if "seeds" not in trade.index:
        return {}
    out = {}
    for y in years:
        stated, others = trade.loc["seeds", y], trade.drop(index="seeds")[y].dropna()
        if not pd.isna(stated) and len(others):
            out[int(y)] = str((others - stated).abs().idxmin())
    return out


def overlap_year(sources: pd.DataFrame, years: tuple[int, int]) -> int | None:
    """The latest year in the window in which most sources give the country's digital services exports
    (the flow every source but the seeds measures); None when no source has a value in the window."""
    d = sources[(sources["flow"] == "exports") & sources["year"].between(*years)]
    if d.empty:
        return None
    n = d.groupby("year")["source"].nunique()
    return int(n[n == n.max()].index.max())


def comparison_years(sources: pd.DataFrame, ref_year: int | None) -> list[int]:
    """The years to set the sources side by side: the overlap year, and every year a seed states a figure
    for the country (the book states them, so they are reconciled whatever the window)."""
    stated = set(sources.loc[sources["source"] == "seeds", "year"].astype(int))
    return sorted(stated | ({ref_year} if ref_year is not None else set()))


def source_comparison(sources: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """The sources side by side: one row per source and flow, one column per year (US$ bn, NaN where a
    source has no value), plus each row's coverage (first and last year of the source for the country)."""
    keys = [(s, f) for f in ("exports", "exports + imports") for s in SOURCES]
    rows = []
    for source, flow in keys:
        d = sources[(sources["source"] == source) & (sources["flow"] == flow)].set_index("year")["value_bn"]
        rec = {
            "source": source,
            "flow": flow,
            "first_year": int(d.index.min()) if len(d) else None,
            "last_year": int(d.index.max()) if len(d) else None,
            "n_years": len(d),
        }
        rec.update({int(y): float(d[y]) if y in d.index else np.nan for y in years})
        rows.append(rec)
    return pd.DataFrame(rows)


def spread(comparison: pd.DataFrame, year: int, flow: str) -> dict | None:
    """Lowest and highest source value of one flow in one year, and their ratio; None if < 2 sources."""
    d = comparison[(comparison["flow"] == flow)].dropna(subset=[year])
    if len(d) < 2:
        return None
    lo, hi = d.loc[d[year].idxmin()], d.loc[d[year].idxmax()]
    return {
        "low_source": lo["source"],
        "low": float(lo[year]),
        "high_source": hi["source"],
        "high": float(hi[year]),
        "ratio": float(hi[year] / lo[year]) if lo[year] > 0 else np.nan,
        "n": len(d),
    }


# --------------------------------------------------------------------------- the seeds' China series


def seed_digital_series(seed_values: pd.DataFrame) -> pd.DataFrame:
    """The seeds' China digital-trade levels (US$ bn) and shares (%), with the seed and term used."""
    sv = seed_values[seed_values["series_id"].isin(SEED_SERIES)].assign(year=lambda d: d["year"].astype(int))
    lv = sv[sv["series_id"] == SEED_SERIES[0]].set_index("year")
    sh = sv[sv["series_id"] == SEED_SERIES[1]].set_index("year")
    out = pd.DataFrame(
        {
            "year": lv.index.astype(int),
            "value_bn": lv["value"].to_numpy(),
            "label": lv["series_label"].to_numpy(),
            "seed": lv["seed_file"].str[:3].to_numpy(),
            "claim_id": lv["claim_id"].to_numpy(),
        }
    )
    out["share_pct"] = [sh["value"].get(y, np.nan) for y in out["year"]]
    out["share_claim"] = [sh["claim_id"].get(y, None) for y in out["year"]]
    out["implied_services_bn"] = 100 * out["value_bn"] / out["share_pct"]
    out["term"] = out["label"].str.extract(r"'([^']+)'", expand=False)
    return out.sort_values("year").reset_index(drop=True)


def seed_vs_data(seed: pd.DataFrame, trade: pd.DataFrame, unctad_t: pd.DataFrame) -> pd.DataFrame:
    """The seeds' series with the data of the same years: WDI services trade and UNCTAD deliverable trade
    (US$ bn, indexed by year in ``trade`` and ``unctad_t``), and how far the services trade each figure
    assumes (level ÷ share) lies from WDI's (%)."""
    out = seed.copy()
    out["wdi_total_bn"] = [trade["total_bn"].get(y, np.nan) for y in out["year"]]
    out["unctad_total_bn"] = [unctad_t["total_bn"].get(y, np.nan) for y in out["year"]]
    out["implied_vs_wdi_pct"] = 100 * (out["implied_services_bn"] / out["wdi_total_bn"] - 1)
    return out


def seed_implied_growth(seed: pd.DataFrame) -> pd.DataFrame:
    """Growth implied by each pair of consecutive seed levels, then by the first and last: CAGR and
    total change (%), and whether both ends use the same seed and term."""
    s = seed.sort_values("year").reset_index(drop=True)
    pairs = [(s.iloc[i], s.iloc[i + 1]) for i in range(len(s) - 1)] + [(s.iloc[0], s.iloc[-1])]
    rows = []
    for a, b in pairs:
        n = int(b["year"] - a["year"])
        rows.append(
            {
                "from": int(a["year"]),
                "to": int(b["year"]),
                "from_bn": a["value_bn"],
                "to_bn": b["value_bn"],
                "cagr_pct": cagr(a["value_bn"], b["value_bn"], n),
                "change_pct": growth(a["value_bn"], b["value_bn"]),
                "from_seed": a["seed"],
                "to_seed": b["seed"],
                "same_source": bool(a["term"] == b["term"] and a["seed"] == b["seed"]),
            }
        )
    return pd.DataFrame(rows)


def subsector_cagr(wto_2026: pd.DataFrame, country: str, start: int, end: int) -> pd.DataFrame:
    """WTO digitally delivered sub-sector CAGRs (%) by flow (exports, imports, total) between two years;
    ``attrs['breaks']``: WTO's series breaks inside the period. Raises LookupError without sub-sectors."""
    b = wto_2026[wto_2026["iso3"] == country]
    if b.empty or set(b["sector_code"]) <= {"DDS"}:
        raise LookupError(f"data/wto_dds_2026.csv has no sub-sector rows for {country}")
    p = b.pivot_table(index=["flow", "year"], columns="sector_code", values="value_usd_mn")
    p["ICT"] = p[["SI1", "SI2", "SI3"]].sum(axis=1, min_count=3)
    rows = []
    for code, name in SUBSECTORS.items():
        rec = {"code": code, "sector": name}
        for flow in ("exports", "imports"):
            rec[flow] = cagr(p.loc[(flow, start), code], p.loc[(flow, end), code], end - start)
        tot_a = p.loc[("exports", start), code] + p.loc[("imports", start), code]
        tot_b = p.loc[("exports", end), code] + p.loc[("imports", end), code]
        rec["total"] = cagr(tot_a, tot_b, end - start)
        rows.append(rec)
    out = pd.DataFrame(rows)
    breaks = sorted(b.loc[b["breaking_series"].notna(), "year"].unique())
    out.attrs.update(breaks=[int(y) for y in breaks if start < y <= end], years=(start, end))
    return out


def yuan_figures(seed_values: pd.DataFrame) -> pd.DataFrame:
    """The seeds' yuan figures, as stated (never converted: data/ has no exchange rate)."""
    sv = seed_values[seed_values["series_id"].isin(YUAN_SERIES)]
    out = sv[["series_label", "year", "value", "unit", "seed_file", "claim_id"]].copy()
    out["seed"] = out["seed_file"].str[:3]
    return out.drop(columns="seed_file").sort_values(["year", "series_label"]).reset_index(drop=True)


# --------------------------------------------------------------------------- peers


def default_peers(
    wdi: pd.DataFrame,
    members: Sequence[str],
    country: str,
    years: tuple[int, int],
    comparators: Sequence[str] = ("USA", "IND"),
) -> list[str]:
    """The other members with services-export data in the window, then the comparators with data."""
    d = wdi[(wdi["indicator"] == X) & wdi["year"].between(*years)]
    have = set(d["iso3"])
    return [c for c in members if c != country and c in have] + [c for c in comparators if c in have]


def peer_table(wdi: pd.DataFrame, country: str, peers: Sequence[str], years: tuple[int, int]) -> pd.DataFrame:
    """Services exports of the focus and its peers: level in the comparison year (the focus economy's
    latest year with data in the window) and CAGR from its first year with data in the window.

    Columns: iso3, focus, level_bn, cagr_pct, last_year, rank_level, rank_growth; ``attrs``:
    comparison_year and start_year. Economies without a value in either year get NaN and no rank."""
    codes = [country] + [p for p in peers if p != country]
    d = wdi[(wdi["indicator"] == X) & wdi["iso3"].isin(codes) & wdi["year"].between(*years)]
    d = d.pivot(index="year", columns="iso3", values="value").reindex(columns=codes) / 1e9
    d.index = d.index.astype(int)
    own = d[country].dropna()
    if own.empty:
        raise LookupError(f"no services exports of {country} in {years[0]}-{years[1]}")
    comp_year, start = int(own.index.max()), int(own.index.min())
    rows = []
    for c in codes:
        s = d[c].dropna()
        level = s.get(comp_year, np.nan)
        ok = comp_year > start and start in s.index and comp_year in s.index and s[start] > 0 and level > 0
        rows.append(
            {
                "iso3": c,
                "focus": c == country,
                "level_bn": level,
                "cagr_pct": cagr(s[start], level, comp_year - start) if ok else np.nan,
                "last_year": int(s.index.max()) if len(s) else None,
            }
        )
    out = pd.DataFrame(rows)
    out["rank_level"] = out["level_bn"].rank(ascending=False, method="min")
    out["rank_growth"] = out["cagr_pct"].rank(ascending=False, method="min")
    out.attrs.update(comparison_year=comp_year, start_year=start)
    return out
