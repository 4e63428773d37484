"""China's scale (or any RCEP member's): services trade, its world share, digital trade, peers.

What the chapter ``china_scale`` shows, computed here:

* :func:`services_trade` — exports, imports, total and balance of services (WDI, BoP), growth, and
  the share of world services trade;
* :func:`foreign_trade_share` — services as a share of total foreign trade, on two bases, because
  ``data/`` holds no goods imports in US$: (a) merchandise trade (WDI ``TG.VAL.TOTL.GD.ZS`` x GDP) plus
  BoP services, the construction of China's official statistic; (b) national-accounts trade in goods
  and services (``NE.TRD.GNFS.ZS`` x GDP);
* :func:`digital_trade` — digitally *deliverable* services (UNCTAD, all modes) and digitally
  *delivered* services (WTO, Mode 1) of the focus economy; for China also the seeds' own series
  (:func:`seed_digital_series`), the growth they imply (:func:`seed_implied_growth`), WTO's
  sub-sector growth (:func:`subsector_cagr`) and the yuan figures (:func:`yuan_figures`, never converted:
  ``data/`` has no exchange-rate table);
* :func:`peer_table` — the focus economy against its peers (services-export level and growth);
* the checks of every claim of the chapter, registered with :mod:`helpers.claims.core` at import. The
  seeds' claims are about China, so the checks always use China's data, whatever the page's focus.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from helpers.book import charts
from helpers.claims import core as claims
from helpers.data import datastore
from helpers.text import cagr, growth, listing, num, pct

X, M = "BX.GSR.NFSV.CD", "BM.GSR.NFSV.CD"
MERCH_PCT, TRADE_PCT, GDP = "TG.VAL.TOTL.GD.ZS", "NE.TRD.GNFS.ZS", "NY.GDP.MKTP.CD"
COMPARATORS_DEFAULT = ("USA", "IND")
SUBSECTORS = {"SH": "Charges for the use of intellectual property", "SG": "Financial services",
              "ICT": "ICT services (telecommunications, computer, information)"}
SUBSECTOR_CLAIMS = {"SH": "S003-020", "SG": "S003-021", "ICT": "S003-022"}
SRC_WDI = "World Bank, WDI (data/wdi.csv)"
SRC_UNCTAD = "UNCTAD, digitally deliverable services (data/unctad_dds.csv)"
SRC_WTO = "WTO, digitally delivered services (data/wto_dds_exports.csv, data/wto_dds_2026.csv)"


class ScaleParameterError(ValueError):
    """A parameter combination the chapter cannot use (message names the parameter)."""


# --------------------------------------------------------------------------- parameters


def _services(countries: Sequence[str] | str, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Long WDI services exports/imports; no error for economies without data (filtered later)."""
    df = datastore.load_table("wdi")
    df = df[df["indicator"].isin([X, M])]
    codes = [countries] if isinstance(countries, str) else list(countries)
    df = df[df["iso3"].isin(codes)]
    if years is not None:
        df = df[df["year"].between(*years)]
    return df.reset_index(drop=True)


def coverage_years(country: str) -> tuple[int, int] | None:
    """First and last year with both services exports and imports for ``country``."""
    d = _services(country).pivot(index="year", columns="indicator", values="value").dropna()
    return None if d.empty else (int(d.index.min()), int(d.index.max()))


def check_params(p: Mapping) -> None:
    """Rules the generic validator cannot know, checked before any work."""
    c, lo, hi = p["country"], p["start_year"], p["end_year"]
    if lo >= hi:
        raise ScaleParameterError(f"chapter 'china_scale', parameter 'start_year': {lo} must be before end_year "
                                  f"({hi}) — growth rates need at least two years")
    if c in p.get("peers", []):
        raise ScaleParameterError(f"chapter 'china_scale', parameter 'peers': it includes the focus country {c}; "
                                  "list the other economies only")
    cov = coverage_years(c)
    if cov is None:
        raise ScaleParameterError(f"chapter 'china_scale', parameter 'country': {c} has no services trade data in "
                                  "data/wdi.csv")
    d = _services(c, (lo, hi)).pivot(index="year", columns="indicator", values="value").dropna()
    if len(d) < 2:
        raise ScaleParameterError(
            f"chapter 'china_scale', parameters 'start_year'/'end_year': {c} has services trade data for "
            f"{cov[0]}-{cov[1]} only, so the window {lo}-{hi} holds fewer than two years of it")


def default_peers(country: str, years: tuple[int, int]) -> list[str]:
    """The other RCEP members with services-export data in the window, then USA and IND."""
    rcep = datastore.country_groups()["rcep"]
    have = set(_services(list(rcep) + list(COMPARATORS_DEFAULT), years).query("indicator == @X")["iso3"])
    return [c for c in rcep if c != country and c in have] + [c for c in COMPARATORS_DEFAULT if c in have]


# --------------------------------------------------------------------------- services trade


def services_trade(country: str, years: tuple[int, int]) -> pd.DataFrame:
    """Per year: exports, imports, total, balance (US$ bn), growth of total and exports (%), share of
    world services trade and of world services exports (%). Years without both flows are dropped."""
    d = _services([country, "WLD"], years).pivot_table(index="year", columns=["iso3", "indicator"], values="value")
    if country not in d.columns.get_level_values(0):
        raise datastore.DataRequestError(f"no services trade of {country} in {years[0]}-{years[1]} in data/wdi.csv")
    c = d[country].dropna(subset=[X, M])
    w = d["WLD"]
    out = pd.DataFrame({"year": c.index.astype(int), "exports_bn": c[X].values / 1e9, "imports_bn": c[M].values / 1e9})
    out["total_bn"] = out["exports_bn"] + out["imports_bn"]
    out["balance_bn"] = out["exports_bn"] - out["imports_bn"]
    consecutive = out["year"].diff() == 1
    out["growth_total_pct"] = (out["total_bn"].pct_change() * 100).where(consecutive)
    out["growth_exports_pct"] = (out["exports_bn"].pct_change() * 100).where(consecutive)
    wt = (w[X] + w[M]).reindex(out["year"]).to_numpy() / 1e9
    out["share_world_pct"] = 100 * out["total_bn"] / wt
    out["export_share_world_pct"] = 100 * out["exports_bn"] / (w[X].reindex(out["year"]).to_numpy() / 1e9)
    return out.reset_index(drop=True)


def window_growth(st: pd.DataFrame, column: str = "total_bn") -> dict:
    """CAGR and multiple of a column between the first and last year of the frame."""
    a, b = st.iloc[0], st.iloc[-1]
    n = int(b["year"] - a["year"])
    return {"first_year": int(a["year"]), "last_year": int(b["year"]), "first": float(a[column]),
            "last": float(b[column]), "multiple": float(b[column] / a[column]),
            "cagr_pct": cagr(a[column], b[column], n) if n > 0 else np.nan}


def foreign_trade_share(country: str, years: tuple[int, int]) -> pd.DataFrame:
    """Services trade as % of total foreign trade, two bases (see module doc). NaN where a part is missing."""
    st = services_trade(country, years).set_index("year")
    w = datastore.load_table("wdi")
    w = w[(w["iso3"] == country) & w["indicator"].isin([MERCH_PCT, TRADE_PCT, GDP]) & w["year"].between(*years)]
    w = w.pivot(index="year", columns="indicator", values="value").reindex(st.index)
    for col in (MERCH_PCT, TRADE_PCT, GDP):
        if col not in w.columns:
            w[col] = np.nan
    out = pd.DataFrame(index=st.index)
    out["services_bn"] = st["total_bn"]
    out["merch_bn"] = w[MERCH_PCT] * w[GDP] / 100 / 1e9
    out["na_trade_bn"] = w[TRADE_PCT] * w[GDP] / 100 / 1e9
    out["share_merch_basis_pct"] = 100 * out["services_bn"] / (out["merch_bn"] + out["services_bn"])
    out["share_na_basis_pct"] = 100 * out["services_bn"] / out["na_trade_bn"]
    return out.reset_index()


def latest(df: pd.DataFrame, column: str) -> tuple[int, float] | None:
    d = df.dropna(subset=[column])
    return None if d.empty else (int(d["year"].iloc[-1]), float(d[column].iloc[-1]))


# --------------------------------------------------------------------------- digital trade


def unctad_trade(country: str, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """UNCTAD digitally deliverable services: year, exports_bn, imports_bn, total_bn (NaN if a flow is missing)."""
    u = datastore.load_table("unctad_dds")
    u = u[u["iso3"] == country]
    if years is not None:
        u = u[u["year"].between(*years)]
    p = u.pivot(index="year", columns="flow", values="value_usd_mn").reindex(columns=["exports", "imports"]) / 1000
    out = pd.DataFrame({"year": p.index.astype(int), "exports_bn": p["exports"].values, "imports_bn": p["imports"].values})
    out["total_bn"] = out["exports_bn"] + out["imports_bn"]
    return out


def wto_trade(country: str, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """WTO digitally delivered services: year, exports_bn (dataset), imports_bn and total_bn where the 2026
    bulk file has the country's imports (China; Cambodia and Viet Nam imports)."""
    e = datastore.load_table("wto_dds_exports")
    e = e[e["iso3"] == country].set_index("year")["value_usd_mn"] / 1000
    b = datastore.load_table("wto_dds_2026")
    b = b[(b["iso3"] == country) & (b["sector_code"] == "DDS")]
    imp = b[b["flow"] == "imports"].set_index("year")["value_usd_mn"] / 1000
    exp26 = b[b["flow"] == "exports"].set_index("year")["value_usd_mn"] / 1000
    idx = sorted(set(e.index) | set(imp.index) | set(exp26.index))
    out = pd.DataFrame({"year": [int(y) for y in idx]})
    out["exports_bn"] = [e.get(y, exp26.get(y, np.nan)) for y in idx]
    out["exports_prelim"] = [y not in e.index and y in exp26.index for y in idx]
    out["imports_bn"] = [imp.get(y, np.nan) for y in idx]
    # a total only from one release: exports and imports of the 2026 bulk file
    out["total_bn"] = [exp26.get(y, np.nan) + imp.get(y, np.nan) for y in idx]
    if years is not None:
        out = out[out["year"].between(*years)]
    return out.reset_index(drop=True)


def digital_trade(country: str, years: tuple[int, int]) -> pd.DataFrame:
    """Long frame for the chart: year, measure, value_bn, source."""
    parts = []
    u = unctad_trade(country, years)
    parts.append(pd.DataFrame({"year": u["year"], "measure": "Deliverable, exports + imports (UNCTAD)",
                               "value_bn": u["total_bn"], "source": "UNCTAD"}))
    parts.append(pd.DataFrame({"year": u["year"], "measure": "Deliverable, exports (UNCTAD)",
                               "value_bn": u["exports_bn"], "source": "UNCTAD"}))
    w = wto_trade(country, years)
    parts.append(pd.DataFrame({"year": w["year"], "measure": "Delivered, exports (WTO)",
                               "value_bn": w["exports_bn"], "source": "WTO"}))
    if w["total_bn"].notna().any():
        parts.append(pd.DataFrame({"year": w["year"], "measure": "Delivered, exports + imports (WTO)",
                                   "value_bn": w["total_bn"], "source": "WTO"}))
    out = pd.concat(parts, ignore_index=True).dropna(subset=["value_bn"])
    return out.reset_index(drop=True)


def seed_digital_series() -> pd.DataFrame:
    """The seeds' China digital-trade levels (US$ bn) and shares (%), with the seed and term used."""
    sv = datastore.load_seed_table(["china_digital_trade_usd", "china_digital_trade_share_of_services"])
    sv = sv.assign(year=sv["year"].astype(int))
    lv = sv[sv["series_id"] == "china_digital_trade_usd"].set_index("year")
    sh = sv[sv["series_id"] == "china_digital_trade_share_of_services"].set_index("year")
    out = pd.DataFrame({"year": lv.index.astype(int), "value_bn": lv["value"].values,
                        "label": lv["series_label"].values, "seed": lv["seed_file"].str[:3].values,
                        "claim_id": lv["claim_id"].values})
    out["share_pct"] = [sh["value"].get(y, np.nan) for y in out["year"]]
    out["share_claim"] = [sh["claim_id"].get(y, None) for y in out["year"]]
    out["implied_services_bn"] = 100 * out["value_bn"] / out["share_pct"]
    out["term"] = out["label"].str.extract(r"'([^']+)'", expand=False)
    return out.sort_values("year").reset_index(drop=True)


def seed_implied_growth(seed: pd.DataFrame) -> pd.DataFrame:
    """Growth implied by each pair of consecutive seed levels: CAGR and total change (%)."""
    rows = []
    s = seed.sort_values("year").reset_index(drop=True)
    for i in range(len(s) - 1):
        a, b = s.iloc[i], s.iloc[i + 1]
        n = int(b["year"] - a["year"])
        rows.append({"from": int(a["year"]), "to": int(b["year"]), "from_bn": a["value_bn"], "to_bn": b["value_bn"],
                     "cagr_pct": cagr(a["value_bn"], b["value_bn"], n), "change_pct": growth(a["value_bn"], b["value_bn"]),
                     "from_seed": a["seed"], "to_seed": b["seed"], "same_term": a["term"] == b["term"]})
    first, last = s.iloc[0], s.iloc[-1]
    n = int(last["year"] - first["year"])
    rows.append({"from": int(first["year"]), "to": int(last["year"]), "from_bn": first["value_bn"],
                 "to_bn": last["value_bn"], "cagr_pct": cagr(first["value_bn"], last["value_bn"], n),
                 "change_pct": growth(first["value_bn"], last["value_bn"]), "from_seed": first["seed"],
                 "to_seed": last["seed"], "same_term": first["term"] == last["term"]})
    return pd.DataFrame(rows)


def subsector_cagr(country: str = "CHN", start: int = 2011, end: int = 2020) -> pd.DataFrame:
    """WTO DDS sub-sector CAGRs (%) by flow (exports, imports, total) between two years."""
    b = datastore.load_table("wto_dds_2026")
    b = b[b["iso3"] == country]
    if b.empty:
        raise datastore.DataRequestError(f"data/wto_dds_2026.csv has no sub-sector rows for {country}")
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
    out.attrs["breaks"] = [int(y) for y in breaks if start < y <= end]
    return out


def yuan_figures() -> pd.DataFrame:
    """The seeds' yuan figures, as stated (never converted)."""
    ids = ["china_digital_delivery_services_cny", "china_digital_delivery_services_cny_growth",
           "china_cross_border_ecommerce_cny", "china_cross_border_ecommerce_cny_growth"]
    sv = datastore.load_seed_table(ids)
    out = sv[["series_label", "year", "value", "unit", "seed_file", "claim_id"]].copy()
    out["seed"] = out["seed_file"].str[:3]
    return out.drop(columns="seed_file").sort_values(["year", "series_label"]).reset_index(drop=True)


# --------------------------------------------------------------------------- peers


def peer_table(country: str, peers: Sequence[str], years: tuple[int, int]) -> tuple[pd.DataFrame, dict]:
    """Services exports of the focus and peers: level in the comparison year, CAGR over the window.

    The comparison year is the latest year (<= end of the window) in which the focus economy has data.
    Economies without a value in that year, or in the first year of the window, are left out of the
    ranking concerned and listed in the returned notes."""
    codes = [country] + [p for p in peers if p != country]
    d = _services(codes, years)
    d = d[d["indicator"] == X].pivot(index="year", columns="iso3", values="value") / 1e9
    if country not in d.columns:
        raise datastore.DataRequestError(f"no services exports of {country} in {years[0]}-{years[1]}")
    comp_year = int(d[country].dropna().index.max())
    start = int(d[country].dropna().index.min())
    rows, no_level, no_growth = [], [], []
    for c in codes:
        s = d[c].dropna() if c in d.columns else pd.Series(dtype=float)
        level = s.get(comp_year, np.nan)
        g = cagr(s[start], s[comp_year], comp_year - start) if (start in s.index and comp_year in s.index
                                                                  and comp_year > start) else np.nan
        if pd.isna(level):
            no_level.append(c)
        if pd.isna(g):
            no_growth.append(c)
        rows.append({"iso3": c, "economy": datastore.display_name(c), "level_bn": level, "cagr_pct": g,
                     "focus": c == country, "last_year": int(s.index.max()) if len(s) else None})
    out = pd.DataFrame(rows)
    out["rank_level"] = out["level_bn"].rank(ascending=False, method="min")
    out["rank_growth"] = out["cagr_pct"].rank(ascending=False, method="min")
    notes = {"comparison_year": comp_year, "start_year": start, "no_level": no_level, "no_growth": no_growth,
             "n": len(codes)}
    return out, notes


# --------------------------------------------------------------------------- chart builders


def chart_trade(st: pd.DataFrame, name: str) -> alt.LayerChart:
    """Lines for exports and imports, bars for the balance (US$ bn)."""
    long = st.melt(id_vars="year", value_vars=["exports_bn", "imports_bn"], var_name="flow", value_name="value")
    long["flow"] = long["flow"].map({"exports_bn": "Exports", "imports_bn": "Imports"})
    long["value"] = long["value"].round(2)
    bal = st[["year", "balance_bn"]].assign(flow="Balance (exports − imports)", value=st["balance_bn"].round(2))
    domain = ["Exports", "Imports", "Balance (exports − imports)"]
    color = alt.Color("flow:N", title=None, scale=alt.Scale(domain=domain, range=[charts.PALETTE[0],
                                                                                   charts.PALETTE[1], charts.CONTEXT_COLOR]))
    tip = [alt.Tooltip("flow:N", title="Flow"), alt.Tooltip("year:O", title="Year"),
           alt.Tooltip("value:Q", title="US$ billion", format=",.1f")]
    bars = alt.Chart(bal).mark_bar(opacity=0.8).encode(x=alt.X("year:O", title=None), y=alt.Y("value:Q"),
                                                        color=color, tooltip=tip)
    lines = alt.Chart(long).mark_line(point=True).encode(x=alt.X("year:O", title=None),
                                                         y=alt.Y("value:Q", title=f"{name}, US$ billion"),
                                                         color=color, tooltip=tip)
    return alt.layer(bars, lines)


def chart_share_lines(df: pd.DataFrame, y_title: str, color_title: str = "Measure") -> alt.Chart:
    """Generic lines of percentages; df: year, measure, value."""
    d = df.assign(value=df["value"].round(2))
    return alt.Chart(d).mark_line(point=True).encode(
        x=alt.X("year:O", title=None), y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=alt.Color("measure:N", title=color_title, legend=alt.Legend(columns=2, labelLimit=300)),
        tooltip=[alt.Tooltip("measure:N", title=color_title), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("value:Q", title=y_title, format=".2f")])


def chart_digital(dt: pd.DataFrame, seed: pd.DataFrame | None) -> alt.LayerChart:
    """Lines for UNCTAD/WTO measures, and (for China) the seeds' points labelled with their source."""
    d = dt.assign(value_bn=dt["value_bn"].round(2))
    lines = alt.Chart(d).mark_line(point=alt.OverlayMarkDef(size=20)).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d")),
        y=alt.Y("value_bn:Q", title="US$ billion"),
        color=alt.Color("measure:N", title=None, legend=alt.Legend(columns=2, labelLimit=300)),
        strokeDash=alt.StrokeDash("source:N", title="Source", scale=alt.Scale(domain=["UNCTAD", "WTO"],
                                                                              range=[[1, 0], [5, 3]]),
                                  legend=alt.Legend(columns=1)),
        tooltip=[alt.Tooltip("measure:N", title="Measure"), alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("value_bn:Q", title="US$ billion", format=",.1f")])
    if seed is None or seed.empty:
        return alt.layer(lines)
    s = seed.assign(tag=lambda x: "seed " + x["seed"] + ": " + x["term"].fillna(""))
    pts = alt.Chart(s).mark_point(shape="diamond", size=160, filled=True, color="#000000").encode(
        x="year:Q", y="value_bn:Q",
        tooltip=[alt.Tooltip("label:N", title="Seed figure"), alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("value_bn:Q", title="US$ billion", format=",.2f"), alt.Tooltip("claim_id:N", title="Claim")])
    txt = alt.Chart(s).mark_text(align="right", dx=-9, dy=-9, fontSize=10.5, color="#000000").encode(
        x="year:Q", y="value_bn:Q", text="tag:N")
    return alt.layer(lines, pts, txt)


def chart_peers(pt: pd.DataFrame, notes: dict) -> alt.HConcatChart:
    """Two ranked bar charts: services-export level in the comparison year, and CAGR over the window."""
    d = pt.assign(level_bn=pt["level_bn"].round(2), cagr_pct=pt["cagr_pct"].round(2),
                  role=np.where(pt["focus"], "Focus economy", "Peer"))
    color = alt.Color("role:N", title=None, scale=alt.Scale(domain=["Focus economy", "Peer"],
                                                            range=[charts.FOCUS_COLOR, charts.PALETTE[0]]))
    lv = alt.Chart(d.dropna(subset=["level_bn"])).mark_bar().encode(
        y=alt.Y("economy:N", sort="-x", title=None),
        x=alt.X("level_bn:Q", title=f"Services exports {notes['comparison_year']}, US$ billion"),
        color=color,
        tooltip=[alt.Tooltip("economy:N", title="Economy"), alt.Tooltip("level_bn:Q", title="US$ billion", format=",.1f"),
                 alt.Tooltip("rank_level:Q", title="Rank")]).properties(width=280, height=alt.Step(16))
    gr = alt.Chart(d.dropna(subset=["cagr_pct"])).mark_bar().encode(
        y=alt.Y("economy:N", sort="-x", title=None),
        x=alt.X("cagr_pct:Q", title=f"Growth a year {notes['start_year']}–{notes['comparison_year']} (%)"),
        color=color,
        tooltip=[alt.Tooltip("economy:N", title="Economy"), alt.Tooltip("cagr_pct:Q", title="CAGR (%)", format=".2f"),
                 alt.Tooltip("rank_growth:Q", title="Rank")]).properties(width=280, height=alt.Step(16))
    return alt.hconcat(lv, gr).resolve_scale(color="shared")


# --------------------------------------------------------------------------- claim checks (China)

CHN = "CHN"


def _chn_total(year: int) -> float | None:
    st = services_trade(CHN, (year, year))
    return None if st.empty else float(st["total_bn"].iloc[0])


def _chn_trade() -> pd.DataFrame:
    cov = coverage_years(CHN)
    return services_trade(CHN, cov).set_index("year")


MOFCOM_NOTE = ("WDI's services trade is the balance-of-payments series; the seed cites Ministry of Commerce "
               "statistics, which can differ from it")


@claims.register("S000-003")
def check_cagr_2012_2023(row: pd.Series) -> claims.Result:
    st = _chn_trade()
    return claims.compare(row, cagr(st.loc[2012, "total_bn"], st.loc[2023, "total_bn"], 11),
                          method=f"CAGR of China's services exports + imports (WDI, BoP), 2012 → 2023; {MOFCOM_NOTE}",
                          source=SRC_WDI)


@claims.register("S000-059")
def check_multiple_2009_2023(row: pd.Series) -> claims.Result:
    st = _chn_trade()
    m = st.loc[2023, "total_bn"] / st.loc[2009, "total_bn"]
    alt_reading = "would hold too" if m >= 3 else "would not hold"
    return claims.compare(row, m,
                          method="China's services exports + imports (WDI, BoP), 2023 ÷ 2009, read as a multiple "
                                 f"('expanded more than twice'; read as '+200 %', i.e. ×3, it {alt_reading}); "
                                 f"{MOFCOM_NOTE}",
                          source=SRC_WDI)


@claims.register("S000-060")
def check_cagr_2009_2023(row: pd.Series) -> claims.Result:
    st = _chn_trade()
    return claims.compare(row, cagr(st.loc[2009, "total_bn"], st.loc[2023, "total_bn"], 14),
                          method=f"CAGR of China's services exports + imports (WDI, BoP), 2009 → 2023; {MOFCOM_NOTE}",
                          source=SRC_WDI)


@claims.register("S000-061")
def check_world_share(row: pd.Series) -> claims.Result:
    st = _chn_trade()
    ex09, ex23 = st.loc[2009, "export_share_world_pct"], st.loc[2023, "export_share_world_pct"]
    return claims.compare_pair(row, st.loc[2009, "share_world_pct"], st.loc[2023, "share_world_pct"],
                               method="China's services exports + imports as % of World exports + imports (WDI, BoP), "
                                      f"2009 and 2023; as a share of world services exports alone: {pct(ex09, 2)} and "
                                      f"{pct(ex23, 2)}", source=SRC_WDI)


@claims.register("S000-062")
def check_total_2023(row: pd.Series) -> claims.Result:
    return claims.compare(row, _chn_total(2023), method=f"China's services exports + imports, 2023 (WDI, BoP, US$ bn); "
                          f"{MOFCOM_NOTE}", source=SRC_WDI)


@claims.register("S000-063")
def check_share_of_foreign_trade(row: pd.Series) -> claims.Result:
    ft = foreign_trade_share(CHN, (2023, 2023)).iloc[0]
    return claims.compare(
        row, float(ft["share_merch_basis_pct"]),
        method="services exports + imports (WDI, BoP) as % of merchandise trade (WDI merchandise trade % of GDP × GDP) "
               "plus services, 2023 — the construction the seed's figure most likely has (China's own statistics: customs "
               f"goods trade plus MOFCOM services trade, in yuan); on a national-accounts basis (goods and services trade % of GDP × "
               f"GDP) the share is {pct(ft['share_na_basis_pct'], 2)}",
        source=SRC_WDI)


@claims.register("S000-084")
def check_total_2007_2021(row: pd.Series) -> claims.Result:
    st = _chn_trade()
    return claims.compare_pair(row, st.loc[2007, "total_bn"], st.loc[2021, "total_bn"],
                               method=f"China's services exports + imports (WDI, BoP, US$ bn), 2007 and 2021; {MOFCOM_NOTE}",
                               source=SRC_WDI)


@claims.register("S000-075")
def check_dds_2023(row: pd.Series) -> claims.Result:
    w = wto_trade(CHN).set_index("year")
    u = unctad_trade(CHN).set_index("year")
    nxt = w["total_bn"].get(2024, np.nan)
    return claims.compare(
        row, float(w.loc[2023, "total_bn"]),
        method="China's digitally delivered services exports + imports, 2023, WTO DDS (same concept, Mode 1 estimate); "
               f"for reference: WTO's 2024 value is {num(nxt, 1)} bn and UNCTAD's digitally deliverable (all modes) "
               f"2023 value {num(u.loc[2023, 'total_bn'], 1)} bn",
        source=SRC_WTO)


@claims.register("S000-076")
def check_dds_growth_2023(row: pd.Series) -> claims.Result:
    w = wto_trade(CHN).set_index("year")
    u = unctad_trade(CHN).set_index("year")
    return claims.compare(
        row, growth(w.loc[2022, "total_bn"], w.loc[2023, "total_bn"]),
        method="growth of China's digitally delivered services exports + imports, 2022 → 2023, WTO DDS (same concept); "
               f"UNCTAD's digitally deliverable total grew {pct(growth(u.loc[2022, 'total_bn'], u.loc[2023, 'total_bn']), 1, sign=True)}",
        source=SRC_WTO)


@claims.register("S003-006")
def check_digital_trade_2015_2020(row: pd.Series) -> claims.Result:
    u = unctad_trade(CHN).set_index("year")
    return claims.compare_pair(
        row, u.loc[2015, "total_bn"], u.loc[2020, "total_bn"],
        method="China's digitally deliverable services exports + imports (UNCTAD, all modes), 2015 and 2020 — the "
               "concept behind China's 'digital (service) trade' statistics (a part of services trade)",
        source=SRC_UNCTAD)


@claims.register("S003-016")
def check_digital_trade_2011_2020(row: pd.Series) -> claims.Result:
    u = unctad_trade(CHN).set_index("year")
    return claims.compare_pair(
        row, u.loc[2011, "total_bn"], u.loc[2020, "total_bn"],
        method="China's digitally deliverable services exports + imports (UNCTAD, all modes), 2011 and 2020",
        source=SRC_UNCTAD)


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
        n = 0
        for code, cid in SUBSECTOR_CLAIMS.items():
            row = claims.claim(cid)
            n += claims.compare(row, float(tab.set_index("code").loc[code, flow]), method="", source="").status \
                == claims.CONSISTENT
        out[flow] = n
    return out


@claims.register(*SUBSECTOR_CLAIMS.values())
def check_subsector(row: pd.Series) -> claims.Result:
    code = {v: k for k, v in SUBSECTOR_CLAIMS.items()}[row["claim_id"]]
    tab = subsector_cagr(CHN, 2011, 2020)
    t = tab.set_index("code").loc[code]
    brk = tab.attrs["breaks"]
    rep = subsector_reproduced(tab)
    brk_txt = f"; WTO flags a series break in {listing([str(b) for b in brk])} inside the period" if brk else ""
    sector = t["sector"].split(" (")[0]
    sector = sector if sector.startswith("ICT") else sector[0].lower() + sector[1:]
    return claims.compare(
        row, float(t["exports"]),
        method=f"CAGR 2011 → 2020 of China's exports of {sector} (WTO DDS, digitally delivered); the seed does not "
               f"name the flow: of its three sub-sector rates, exports reproduce {rep['exports']}, imports "
               f"{rep['imports']}, exports + imports {rep['total']}; for this sector imports give "
               f"{pct(t['imports'], 1)}, exports + imports {pct(t['total'], 1)}{brk_txt}",
        source="data/wto_dds_2026.csv (WTO)")


@claims.register("S001-002")
def check_rank_second(row: pd.Series) -> claims.Result:
    d = datastore.load_table("wdi")
    d = d[d["indicator"].isin([X, M]) & (d["iso3"] != "WLD")]
    yr = int(d[d["iso3"] == CHN]["year"].max())
    t = d[d["year"] == yr].pivot(index="iso3", columns="indicator", values="value").dropna().sum(axis=1)
    r = int((t > t[CHN]).sum() + 1)
    return claims.unverifiable(
        row, f"the article gives no date ('now'), and data/ ranks services trade only among the {len(t)} economies of "
             f"the WDI extract, not the world; there China ranks {r} in {yr}")


@claims.register("S001-004", "S001-005")
def check_recent_growth(row: pd.Series) -> claims.Result:
    st = _chn_trade()
    y = int(st.index.max())
    col = "growth_total_pct" if row["claim_id"] == "S001-004" else "growth_exports_pct"
    return claims.unverifiable(
        row, f"the article gives no period ('recent data'), so no year can be chosen without fitting the claim; for "
             f"reference, WDI's latest year ({y}) shows {pct(st.loc[y, col], 1, sign=True)}")


@claims.register("S002-002", "S002-004", "S003-013")
def check_yuan_levels(row: pd.Series) -> claims.Result:
    return claims.yuan_vs_usd(row, "the US$ series of UNCTAD and WTO")


@claims.register("S002-003")
def check_yuan_growth(row: pd.Series) -> claims.Result:
    w = wto_trade(CHN).set_index("year")
    g = growth(w.loc[2023, "total_bn"], w.loc[2024, "total_bn"])
    return claims.unverifiable(
        row, f"a growth rate in yuan; {claims.NO_FX_RATE}, and growth in US$ differs from growth in yuan by the change "
             f"in the exchange rate (WTO DDS in US$: {pct(g, 1, sign=True)} in 2024)")


claims.not_checkable("China's international competitiveness ranking is not measured by any table in data/",
                     "S000-064")
claims.not_checkable("a headline's order of magnitude ('trillion-dollar opportunity'), not a measured value",
                     "S001-001")
claims.not_checkable("an enumeration count (the 'pillars' of a trade power), not a statistic", "S001-003", "S002-001")
claims.not_checkable("no period stated, and data/ has no decomposition of foreign-trade growth by contribution",
                     "S001-006")
claims.not_checkable("a growth rate in yuan of cross-border e-commerce; data/ has no e-commerce table and no exchange "
                     "rate", "S002-005", "S003-014")
claims.not_checkable("data/ has no cross-border e-commerce table", "S003-009", "S003-010", "S003-011", "S003-012")


SERVICES_CLAIMS = ("S000-059", "S000-060", "S000-061", "S000-062", "S000-063", "S000-064", "S000-084", "S000-003")
ARTICLE_CLAIMS = ("S001-001", "S001-002", "S001-003", "S001-004", "S001-005", "S001-006")
DIGITAL_CLAIMS = ("S003-016", "S003-017", "S003-015", "S003-006", "S003-007", "S000-075", "S000-076",
                  "S003-020", "S003-021", "S003-022")
YUAN_CLAIMS = ("S002-001", "S002-002", "S002-003", "S002-004", "S002-005", "S003-009", "S003-010", "S003-011",
               "S003-012", "S003-013", "S003-014")


def all_chapter_claims() -> tuple[str, ...]:
    return SERVICES_CLAIMS + ARTICLE_CLAIMS + DIGITAL_CLAIMS + YUAN_CLAIMS



# =========================================================================== page sections

SOURCE_WDI_X = "World Bank, WDI: BX.GSR.NFSV.CD, BM.GSR.NFSV.CD (service exports and imports, BoP, current US$)"
SOURCE_SEEDS = "Seeds 000 and 003, transcribed in data/seed_values.csv"


def prepare(params: Mapping) -> dict:
    """Check the chapter's cross-parameter rules, then compute what every section needs."""
    check_params(params)
    p = dict(params)
    c = p["country"]
    years = (p["start_year"], p["end_year"])
    peers = list(p["peers"]) or default_peers(c, years)
    st = services_trade(c, years)
    return {"p": p, "country": c, "name": datastore.display_name(c), "years": years, "peers": peers,
            "peers_default": not p["peers"], "st": st, "is_china": c == CHN}


def render_intro(page, ctx: dict) -> None:
    from IPython.display import HTML, display

    st = ctx["st"]
    page.glue("focus_name", ctx["name"])
    page.glue("win", f"{ctx['years'][0]}–{ctx['years'][1]}")
    page.glue("data_win", f"{int(st['year'].min())}–{int(st['year'].max())}")
    page.glue("peer_list", listing([datastore.display_name(c) for c in ctx["peers"]]) +
              (" (the default: the other RCEP members with data, the United States and India)"
               if ctx["peers_default"] else ""))
    if not ctx["is_china"]:
        display(HTML('<div class="admonition note"><p class="admonition-title">Focus: '
                     f'{ctx["name"]}</p><p>The seeds\' figures are about China. On this run they are not shown; '
                     'run the page with <code>-p country CHN</code> (the default) to see each of them checked.</p></div>'))


def render_services(page, ctx: dict) -> None:
    st, name = ctx["st"], ctx["name"]
    last, first = st.iloc[-1], st.iloc[0]
    wg = window_growth(st)
    page.glue("x_last", f"US$ {num(last['exports_bn'], 1)} billion")
    page.glue("m_last", f"US$ {num(last['imports_bn'], 1)} billion")
    page.glue("t_last", f"US$ {num(last['total_bn'], 1)} billion")
    page.glue("last_year", str(int(last["year"])))
    bal = last["balance_bn"]
    page.glue("balance_text", f"a {'surplus' if bal >= 0 else 'deficit'} of US$ {num(abs(bal), 1)} billion")
    page.glue("cagr_total", pct(wg["cagr_pct"], 1))
    page.glue("multiple_total", f"×{wg['multiple']:.2f}")
    page.glue("first_year", str(wg["first_year"]))
    share = st.dropna(subset=["share_world_pct"])
    peak = share.loc[share["share_world_pct"].idxmax()]
    page.glue("share_first", f"{pct(share['share_world_pct'].iloc[0], 2)} in {int(share['year'].iloc[0])}")
    page.glue("share_last", f"{pct(share['share_world_pct'].iloc[-1], 2)} in {int(share['year'].iloc[-1])}")
    page.glue("share_peak", f"{pct(peak['share_world_pct'], 2)} in {int(peak['year'])}")
    neg = st[st["growth_total_pct"] < 0]["year"].tolist()
    page.glue("fall_years", listing([str(int(y)) for y in neg]) if neg else "no year of the window")
    deficits = st[st["balance_bn"] < 0]["year"]
    page.glue("deficit_years", year_ranges_text(deficits) if len(deficits) else "no year")
    title = (f"{name}'s services trade reached US$ {num(last['total_bn'], 0)} billion in {int(last['year'])}, "
             f"{wg['multiple']:.1f} times its {wg['first_year']} level")
    page.figure(chart_trade(st, name), name="services-trade", title=title,
                subtitle="US$ billion, current prices; lines: exports and imports; bars: balance",
                source=SOURCE_WDI_X,
                alt=(f"Line chart of {name}'s services exports and imports and bar chart of the balance, "
                     f"{int(first['year'])}–{int(last['year'])}. {title}; balance in {int(last['year'])}: "
                     f"{num(bal, 1)} billion."),
                data=st[["year", "exports_bn", "imports_bn", "total_bn", "balance_bn", "growth_total_pct"]].round(4))
    sh = share.melt(id_vars="year", value_vars=["share_world_pct", "export_share_world_pct"], var_name="measure",
                    value_name="value")
    sh["measure"] = sh["measure"].map({"share_world_pct": "Services trade (exports + imports)",
                                       "export_share_world_pct": "Services exports"})
    t2 = (f"{name}'s share of world services trade went from {pct(share['share_world_pct'].iloc[0], 1)} to "
          f"{pct(share['share_world_pct'].iloc[-1], 1)} ({int(share['year'].iloc[0])}–{int(share['year'].iloc[-1])})")
    page.figure(chart_share_lines(sh, "% of world"), name="world-share", title=t2, subtitle="% of the World total (WDI)",
                source=SOURCE_WDI_X + "; World = WDI's WLD aggregate",
                alt=f"Line chart of {name}'s share of world services trade and of world services exports. {t2}.",
                data=sh.round(4))


def year_ranges_text(years) -> str:
    from helpers.text import year_ranges

    return year_ranges(years)


def render_foreign_trade(page, ctx: dict) -> None:
    c, name = ctx["country"], ctx["name"]
    ft = foreign_trade_share(c, ctx["years"])
    lm = latest(ft, "share_merch_basis_pct")
    ln = latest(ft, "share_na_basis_pct")
    page.glue("ft_merch", f"{pct(lm[1], 1)} in {lm[0]}" if lm else "not computable (no merchandise trade or GDP)")
    page.glue("ft_na", f"{pct(ln[1], 1)} in {ln[0]}" if ln else "not computable (no national-accounts trade ratio)")
    gdp_end = ft.dropna(subset=["merch_bn"])["year"].max() if ft["merch_bn"].notna().any() else None
    page.glue("ft_end", str(int(gdp_end)) if gdp_end is not None and not pd.isna(gdp_end) else "—")
    long = ft.melt(id_vars="year", value_vars=["share_merch_basis_pct", "share_na_basis_pct"], var_name="measure",
                   value_name="value").dropna()
    long["measure"] = long["measure"].map({
        "share_merch_basis_pct": "Merchandise-trade basis",
        "share_na_basis_pct": "National-accounts basis"})
    if long.empty:
        page.note(f"No share of services in {name}'s foreign trade can be computed: data/ lacks its merchandise-trade "
                  "or national-accounts trade ratio, or its GDP, in this window.")
        return
    a = long[long["measure"] == "Merchandise-trade basis"]
    t = (f"Services were {pct(a['value'].iloc[-1], 1)} of {name}'s foreign trade in {int(a['year'].iloc[-1])} "
         "(merchandise-trade basis)") if not a.empty else f"Services as a share of {name}'s foreign trade"
    page.figure(chart_share_lines(long, "% of foreign trade", "Basis"), name="foreign-trade-share", title=t,
                subtitle="Services exports + imports as % of total trade, two denominators",
                source=("World Bank, WDI: BX.GSR.NFSV.CD, BM.GSR.NFSV.CD, TG.VAL.TOTL.GD.ZS (merchandise trade, % of GDP), "
                        "NE.TRD.GNFS.ZS (trade, % of GDP), NY.GDP.MKTP.CD (GDP)"),
                alt=f"Line chart of services as a percentage of {name}'s total foreign trade on two bases. {t}.",
                data=ft.round(4))


def render_services_claims(page, ctx: dict) -> None:
    """China only: the seeds' statements on services trade, with a computed paragraph."""
    if not ctx["is_china"]:
        page.glue_md("chn_services_md", f"*The seeds make these statements about China; this run's focus is "
                                        f"{ctx['name']}, so they are not shown here.*")
        return
    st = _chn_trade()
    ft = foreign_trade_share(CHN, (2023, 2023)).iloc[0]
    r = {cid: claims.check(cid) for cid in SERVICES_CLAIMS}
    s84 = claims.claim("S000-084")
    s07 = claims.compare(s84, st.loc[2007, "total_bn"], method="", source="").status
    s21 = claims.compare(s84, st.loc[2021, "total_bn"], method="", source="", end=True).status
    s61 = claims.claim("S000-061")
    side = "below" if r["S000-062"].computed < r["S000-062"].stated else "above"
    md = (
        f"By WDI's balance-of-payments data, China's services trade grew from US$ {num(st.loc[2009, 'total_bn'], 1)} "
        f"billion in 2009 to US$ {num(st.loc[2023, 'total_bn'], 1)} billion in 2023, "
        f"×{st.loc[2023, 'total_bn'] / st.loc[2009, 'total_bn']:.2f} or {pct(r['S000-060'].computed, 2)} a year: the "
        f"study's *more than twice* is **{r['S000-059'].status}** and its average growth rate "
        f"**{r['S000-060'].status}**. For the level of 2023, WDI's US$ {num(r['S000-062'].computed, 1)} billion is "
        f"{side} the stated *above US$ {num(r['S000-062'].stated, 0)} billion* (**{r['S000-062'].status}**). China's "
        f"share of world services trade was {pct(st.loc[2009, 'share_world_pct'], 2)} in 2009 and "
        f"{pct(st.loc[2023, 'share_world_pct'], 2)} in 2023, against the stated {pct(float(s61['value']), 2)} and "
        f"{pct(float(s61['value_end']), 2)} (**{r['S000-061'].status}**). Services were "
        f"{pct(ft['share_merch_basis_pct'], 1)} of China's foreign trade in 2023 on the merchandise-trade basis and "
        f"{pct(ft['share_na_basis_pct'], 1)} on the national-accounts basis, against the stated "
        f"{pct(r['S000-063'].stated, 1)} (**{r['S000-063'].status}**); the study's figure most likely comes from "
        f"China's own statistics in yuan (customs goods trade plus Ministry of Commerce services trade), which `data/` "
        f"does not hold. The study's 2007 level is **{s07}** with WDI and its 2021 level **{s21}** (WDI: "
        f"US$ {num(st.loc[2021, 'total_bn'], 1)} billion); the average growth of {pct(r['S000-003'].stated, 1)} a year "
        f"for 2012–2023 that the study takes from the Ministry of Commerce compares with {pct(r['S000-003'].computed, 1)} "
        f"in WDI (**{r['S000-003'].status}**)."
    )
    bal = st["balance_bn"]
    y1 = int(bal.index.max())
    trough = int(bal.loc[:y1].idxmin())
    turn = ("narrowed from its widest point in " + str(trough) + f" (US$ {num(-bal[trough], 1)} billion) until "
            f"{int(bal.loc[trough:].idxmax())} and then widened again to US$ {num(-bal[y1], 1)} billion in {y1}"
            if bal.loc[trough:].idxmax() != y1 else
            f"narrowed from US$ {num(-bal[trough], 1)} billion in {trough} to US$ {num(-bal[y1], 1)} billion in {y1}")
    md += (
        "\n\nAn undated policy article (seed 001) adds that China's services trade \"now ranks second globally\" and "
        "grew at given rates in \"recent data\". Without a date none of this can be checked without picking the year "
        "that fits; the table below says what the nearest data show. Its remark that the services deficit "
        f"\"continues to narrow\" can at least be set against WDI: the deficit {turn}."
    )
    page.glue_md("chn_services_md", md)
    claims.show(page, list(SERVICES_CLAIMS), name="claims-services",
                caption="The study's figures on China's services trade, checked against WDI")
    claims.show(page, list(ARTICLE_CLAIMS), name="claims-article",
                caption="An undated policy article (seed 001) on China's services trade", collapsed=True)


def render_digital(page, ctx: dict) -> None:
    c, name, years = ctx["country"], ctx["name"], ctx["years"]
    dt = digital_trade(c, years)
    u = unctad_trade(c, years).dropna(subset=["total_bn"])
    st = ctx["st"].set_index("year")
    if not u.empty:
        lu = u.iloc[-1]
        y = int(lu["year"])
        share = 100 * lu["total_bn"] / st["total_bn"].get(y, np.nan) if y in st.index else np.nan
        page.glue("dd_last", f"US$ {num(lu['total_bn'], 1)} billion in {y}")
        page.glue("dd_share", pct(share, 1) if not pd.isna(share) else "n/a (no services total that year)")
    else:
        page.glue("dd_last", "not available (UNCTAD has no complete year for this economy in the window)")
        page.glue("dd_share", "n/a")
    w = wto_trade(c, years).dropna(subset=["exports_bn"])
    page.glue("wto_x_last", f"US$ {num(w['exports_bn'].iloc[-1], 1)} billion in {int(w['year'].iloc[-1])}"
              if not w.empty else "not available")
    ux = unctad_trade(c, years).dropna(subset=["exports_bn"])
    gaps = [y for y in range(max(years[0], 2010), min(years[1], 2023) + 1) if y not in set(ux["year"])]
    from helpers.text import year_ranges
    page.glue("unctad_gaps", ("UNCTAD has no export value for " + year_ranges(gaps)) if gaps else
              "UNCTAD's series has no gap in the window")
    seed = seed_digital_series() if ctx["is_china"] else None
    last_dd = u["total_bn"].iloc[-1] if not u.empty else np.nan
    t = (f"{name}'s digitally deliverable services trade reached US$ {num(last_dd, 0)} billion in "
         f"{int(u['year'].iloc[-1])} (UNCTAD)") if not u.empty else f"{name}'s digital services trade"
    if seed is not None:
        uu = unctad_trade(CHN).set_index("year")["total_bn"]
        gaps = [100 * (v / uu[y] - 1) for y, v in zip(seed["year"], seed["value_bn"]) if y in uu.index]
        if gaps:
            t += (f"; the seeds' figures differ from it by {pct(min(gaps), 1, sign=True)} to "
                  f"{pct(max(gaps), 1, sign=True)}")
    alt_text = (f"Line chart of {name}'s digitally deliverable (UNCTAD) and digitally delivered (WTO) services trade, "
                f"US$ billion." + (" Black diamonds mark the figures stated in the seeds, labelled with the seed and "
                                   "the term it uses." if seed is not None else "") + f" {t}.")
    data = dt if seed is None else pd.concat([dt, seed[["year", "value_bn"]].assign(
        measure="Seed figure: " + seed["label"], source="seed")], ignore_index=True)
    page.figure(chart_digital(dt, seed), name="digital-trade", title=t,
                subtitle="US$ billion, current prices; solid: UNCTAD (deliverable, all modes); dashed: WTO (delivered, Mode 1)",
                source=f"{SRC_UNCTAD}; {SRC_WTO}" + (f"; {SOURCE_SEEDS}" if seed is not None else ""),
                alt=alt_text, data=data.round(4))


def render_digital_china(page, ctx: dict) -> None:
    """China only: the seeds' series, the growth they imply, the sub-sectors, the yuan figures, the verdicts."""
    if not ctx["is_china"]:
        page.glue_md("chn_digital_md", f"*The seeds' digital-trade series is China's; this run's focus is "
                                       f"{ctx['name']}, so it is not shown here.*")
        return
    seed = seed_digital_series()
    st = _chn_trade()
    u = unctad_trade(CHN).set_index("year")
    tab = pd.DataFrame({
        "Year": seed["year"], "Seed": seed["seed"], "Term used": seed["term"],
        "Stated (US$ bn)": seed["value_bn"], "Stated share of services trade (%)": seed["share_pct"],
        "Services trade implied by the two (US$ bn)": seed["implied_services_bn"],
        "WDI services trade (US$ bn)": [st["total_bn"].get(y, np.nan) for y in seed["year"]],
        "UNCTAD deliverable trade (US$ bn)": [u["total_bn"].get(y, np.nan) for y in seed["year"]],
    })
    page.table(tab, name="seed-digital-series", caption="China's digital trade as the seeds state it, and what the "
               "data say for the same years", source=f"{SOURCE_SEEDS}; {SRC_WDI}; {SRC_UNCTAD}",
               formats={c: ",.2f" for c in tab.columns if "US$" in c} | {"Stated share of services trade (%)": ".1f"},
               note="The seeds' terms differ: 'digital service trade' and 'digital trade' (seed 003), 'digitally "
                    "delivered services' (seed 000). Level ÷ share gives the services trade each figure assumes.")
    ig = seed_implied_growth(seed)
    tab2 = pd.DataFrame({"From": ig["from"], "To": ig["to"], "From (US$ bn)": ig["from_bn"], "To (US$ bn)": ig["to_bn"],
                         "Implied growth a year (%)": ig["cagr_pct"], "Implied total change (%)": ig["change_pct"],
                         "Same seed and term": np.where(ig["same_term"] & (ig["from_seed"] == ig["to_seed"]), "yes",
                                                        "no: mixes terms or sources")})
    page.table(tab2, name="seed-implied-growth", caption="Growth implied by the seeds' own levels",
               source=SOURCE_SEEDS, formats={"From (US$ bn)": ",.2f", "To (US$ bn)": ",.2f",
                                             "Implied growth a year (%)": "+.2f", "Implied total change (%)": "+.1f"})
    sub = subsector_cagr(CHN, 2011, 2020)
    tab3 = pd.DataFrame({"Sub-sector": sub["sector"], "Claim": sub["code"].map(SUBSECTOR_CLAIMS),
                         "Stated (%)": [claims.claim(SUBSECTOR_CLAIMS[c])["value"] for c in sub["code"]],
                         "Exports (%)": sub["exports"], "Imports (%)": sub["imports"],
                         "Exports + imports (%)": sub["total"]})
    page.table(tab3, name="subsector-growth", caption="China's digitally delivered services by sub-sector: average "
               "annual growth 2011–2020 (WTO), by flow", source="data/wto_dds_2026.csv (WTO); data/claims.csv",
               formats={c: ".1f" for c in tab3.columns if c.endswith("(%)")},
               note=("WTO flags a series break in " + listing([str(b) for b in sub.attrs["breaks"]]) +
                     " inside the period." if sub.attrs["breaks"] else None))
    yu = yuan_figures()
    tab4 = pd.DataFrame({"What": yu["series_label"], "Year": yu["year"], "Stated": yu["value"], "Unit": yu["unit"],
                         "Seed": yu["seed"], "Claim": yu["claim_id"]})
    page.table(tab4, name="yuan-figures", caption="The seeds' figures in yuan, as stated (not converted: data/ has no "
               "exchange-rate table)", source="data/seed_values.csv")
    r = {cid: claims.check(cid) for cid in DIGITAL_CLAIMS}
    w = wto_trade(CHN).set_index("year")
    rep = subsector_reproduced(sub)
    g23 = 100 * (r["S000-075"].stated / w.loc[2023, "total_bn"] - 1)
    gu = 100 * (r["S000-075"].stated / u.loc[2023, "total_bn"] - 1)
    g24 = 100 * (r["S000-075"].stated / w.loc[2024, "total_bn"] - 1)
    closer = [f"UNCTAD's digitally *deliverable* trade for 2023 (US$ {num(u.loc[2023, 'total_bn'], 1)} billion, "
              f"{pct(gu, 1, sign=True)})"] if abs(gu) < abs(g23) else []
    closer += [f"WTO's value for 2024 (US$ {num(w.loc[2024, 'total_bn'], 1)} billion, {pct(g24, 1, sign=True)})"] \
        if abs(g24) < abs(g23) else []
    brk = sub.attrs["breaks"]
    dev = 100 * (seed["implied_services_bn"] / np.array([st["total_bn"].get(y, np.nan) for y in seed["year"]]) - 1)
    close = [str(y) for y, d in zip(seed["year"], dev) if abs(d) <= 0.5]
    far = [f"{y} ({pct(d, 1, sign=True)})" for y, d in zip(seed["year"], dev) if abs(d) > 0.5 and not pd.isna(d)]
    implied = ("Dividing each level by its stated share gives the services trade the figure assumes: "
               + (f"within half a percent of WDI's balance-of-payments total in {listing(close)}" if close else
                  "never within half a percent of WDI's total")
               + (f", but above it in {listing(far)}, where a larger services total was used" if far else "") + ". ")
    md = (
        f"The seeds' series mixes terms and sources; the growth it implies between consecutive points is "
        f"{_ig_phrase(ig)}. " + implied + f"Checked against the seeds' own levels, the {pct(r['S003-017'].stated, 1)} a year from "
        f"2011 to 2020 is **{r['S003-017'].status}**, the total change from 2015 to 2020 **{r['S003-007'].status}**, "
        f"and *basically doubled* **{r['S003-015'].status}** (the levels give ×{r['S003-015'].computed:.2f}). Against "
        f"UNCTAD's digitally deliverable trade, the levels for 2011 and 2020 are **{r['S003-016'].status}** and those "
        f"for 2015 and 2020 **{r['S003-006'].status}** (the 2015 figure is "
        f"{pct(100 * (claims.stated('S003-006') / u.loc[2015, 'total_bn'] - 1), 1, sign=True)} off). For 2023, the "
        f"study's US$ {num(r['S000-075'].stated, 1)} billion of *digitally delivered* services is "
        f"{pct(g23, 1, sign=True)} off WTO's estimate for the same concept (**{r['S000-075'].status}**), and its growth "
        f"rate compares with WTO's {pct(r['S000-076'].computed, 1, sign=True)} (**{r['S000-076'].status}**)"
        + (("; closer to the stated figure are " + listing(closer)) if closer else "") + ". "
        f"Of the three sub-sector growth rates, WTO's export series reproduces {rep['exports']} (intellectual "
        f"property **{r['S003-020'].status}**, financial services **{r['S003-021'].status}**, ICT services "
        f"**{r['S003-022'].status}**)" + (f", across a series break in {listing([str(b) for b in brk])}" if brk else "")
        + ". The yuan figures stay unchecked: `data/` holds no exchange rate, and a growth rate in yuan is not a "
          "growth rate in US$."
    )
    page.glue_md("chn_digital_md", md)
    claims.show(page, list(DIGITAL_CLAIMS), name="claims-digital",
                caption="The seeds' figures on China's digital trade, checked against their own levels, UNCTAD and WTO")
    claims.show(page, list(YUAN_CLAIMS), name="claims-yuan",
                caption="Figures in yuan, on cross-border e-commerce, or enumerations: not checkable with data/",
                collapsed=True)


def _ig_phrase(ig: pd.DataFrame) -> str:
    parts = [f"{int(r['from'])}→{int(r['to'])} {pct(r['cagr_pct'], 1, sign=True)} a year" for _, r in ig.iloc[:-1].iterrows()]
    return listing(parts)


def render_peers(page, ctx: dict) -> None:
    c, name = ctx["country"], ctx["name"]
    pt, notes = peer_table(c, ctx["peers"], ctx["years"])
    me = pt[pt["focus"]].iloc[0]
    n_level = int(pt["level_bn"].notna().sum())
    n_growth = int(pt["cagr_pct"].notna().sum())
    page.glue("peer_year", str(notes["comparison_year"]))
    page.glue("peer_start", str(notes["start_year"]))
    page.glue("rank_level", f"{int(me['rank_level'])} of {n_level}" if not pd.isna(me["rank_level"]) else "n/a")
    page.glue("rank_growth", f"{int(me['rank_growth'])} of {n_growth}" if not pd.isna(me["rank_growth"]) else "n/a")
    page.glue("peer_level", f"US$ {num(me['level_bn'], 1)} billion")
    page.glue("peer_cagr", pct(me["cagr_pct"], 1) if not pd.isna(me["cagr_pct"]) else "n/a")
    top = pt.sort_values("level_bn", ascending=False).iloc[0]
    fast = pt.sort_values("cagr_pct", ascending=False).iloc[0]
    page.glue("peer_top", f"{top['economy']} (US$ {num(top['level_bn'], 1)} billion)")
    page.glue("peer_fast", f"{fast['economy']} ({pct(fast['cagr_pct'], 1)} a year)")
    left = [datastore.display_name(x) + (f" (last year {int(pt.set_index('iso3').loc[x, 'last_year'])})"
                                          if not pd.isna(pt.set_index('iso3').loc[x, 'last_year']) else " (no data)")
            for x in sorted(set(notes["no_level"]) | set(notes["no_growth"]))]
    page.glue("peer_left_out", ("Left out of a ranking for lack of data in " + str(notes["comparison_year"]) + " or " +
                                str(notes["start_year"]) + ": " + listing(left) + ".") if left else
              "Every economy compared has data for both years.")
    title = (f"{name} ranks {int(me['rank_level'])} of {n_level} in services exports ({notes['comparison_year']}) and "
             f"{int(me['rank_growth'])} of {n_growth} in their growth since {notes['start_year']}"
             if not pd.isna(me["rank_growth"]) else f"{name} against its peers")
    page.figure(chart_peers(pt, notes), name="peers", title=title,
                subtitle=f"Left: US$ billion, {notes['comparison_year']}; right: compound annual growth "
                         f"{notes['start_year']}–{notes['comparison_year']}, %",
                source=SOURCE_WDI_X,
                alt=(f"Two ranked bar charts of services exports for {name} (highlighted) and {len(pt) - 1} peers: level "
                     f"in {notes['comparison_year']} and growth a year since {notes['start_year']}. {title}."),
                data=pt.round(4))


def render_rerun(page, ctx: dict) -> None:
    page.rerun_examples(
        ['make chapter NAME=china_scale ARGS="-p country KOR"',
         "make chapter NAME=china_scale ARGS=\"-p country VNM -p start_year 2010 -p peers '[THA, MYS, PHL, IDN, IND]'\""],
        "Any RCEP member works as the focus; the seeds' China claims appear only when the focus is China.")

