"""World exports of goods, services and digitally delivered services: Table 1 of the main study
recomputed, three versions of its levels, growth (nominal and real), every sub-window, and the series
independent of the study.

Functions of DataFrames, plus the loaders of the curated tables they need (the only functions here that
read ``data/``). No page, no sentences, no charts. Levels are in US$ billion throughout.

The three versions of the levels (:data:`VERSIONS`):

* ``stated`` — Table 1 as printed;
* ``rate_implied`` — from the first year whose level contradicts its own stated growth rate on, each
  level is the previous year's level × (1 + stated rate) (:func:`rate_implied_levels`);
* ``independent`` — WDI goods and services exports (balance of payments) and WTO's dataset of
  digitally delivered services (:func:`independent_levels`).

Which one a verdict rests on is decided by :func:`decisive_version`, a rule stated before any result.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from helpers.data import datastore
from helpers.text import cagr

SERIES = ("goods", "services", "dds")
VERSIONS = ("stated", "rate_implied", "independent")
SEED_SERIES = {"goods": "world_goods_exports", "services": "world_services_exports", "dds": "world_dds_exports"}
SEED_UNIT_PER_BN = 10.0  # Table 1 is in US$ 100 million: 1 bn = 10 x 100 mn
GROWTH_DECIMALS = 1  # Table 1 prints growth rates with one decimal
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
VOLUME_METRIC = "World merchandise trade volume growth"  # outcomes only: projections carry another label
PRICE_INDICES = ("us_cpi_u", "us_gdp_deflator")
# Growth rates are printed with one decimal; two that differ by no more than half of that are a tie, so that a
# page never calls 9.0 % "faster" than 9.0 % (Table 1's own rates are stated to one decimal).
TIE_PP = 0.05


# --------------------------------------------------------------------------- loaders


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
            rows.append(
                {
                    "series": s,
                    "year": int(y),
                    "level_100m": float(lv.loc[y, "value"]),
                    "growth_stated": float(gr.loc[y, "value"]) if y in gr.index else np.nan,
                    "level_claim": lv.loc[y, "claim_id"],
                    "growth_claim": gr.loc[y, "claim_id"] if y in gr.index else None,
                }
            )
    return pd.DataFrame(rows)


@datastore.derived("wdi")
def wdi_world(series: str) -> pd.Series:
    """WDI world goods or services exports (BoP), US$ billion, by year."""
    w = datastore.load_wdi(WDI_CODES[series], "WLD")
    return w.set_index("year")["value"].astype(float).sort_index() / 1e9


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


def independent_levels() -> pd.DataFrame:
    """Wide (year x series), US$ bn: WDI goods and services, WTO DDS dataset; years with any value."""
    out = pd.DataFrame({"goods": wdi_world("goods"), "services": wdi_world("services"), "dds": wto_dds_world()})
    out.index = out.index.astype(int)
    return out[list(SERIES)].sort_index()


def decimals_of(x: float) -> int:
    """Digits after the point of a figure as printed (4.25 -> 2, 12.0 -> 0)."""
    s = f"{x:.10g}"
    return len(s.split(".")[1]) if "." in s else 0


@datastore.derived("wto_headlines")
def headline_levels() -> pd.DataFrame:
    """WTO headline levels of the three series: series, year, value_bn, value_decimals, growth_pct, report, row_id."""
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
                raise datastore.DataRequestError(
                    f"wto_headlines row {r.row_id}: unit {r.unit!r}, expected US$ trillion"
                )
            rows.append(
                {
                    "series": s,
                    "year": int(r.reference_year),
                    "value_bn": float(r.value) * 1000,
                    "value_decimals": decimals_of(r.value),
                    "growth_pct": r.growth_pct,
                    "report": r.report,
                    "row_id": int(r.row_id),
                }
            )
    return pd.DataFrame(rows)


def headline_growth() -> pd.DataFrame:
    """WTO headline growth rates of the three series: series, year, growth_pct, metric, report, note."""
    h = datastore.load_table("wto_headlines")
    rows = []
    for s, metrics in HEADLINE_GROWTH_METRICS.items():
        sel = h[h["metric"].isin(metrics) & h["growth_pct"].notna()]
        for r in sel.itertuples():
            if not str(r.reference_year).isdigit():
                continue
            rows.append(
                {
                    "series": s,
                    "year": int(r.reference_year),
                    "growth_pct": float(r.growth_pct),
                    "metric": r.metric,
                    "report": r.report,
                    "note": r.note if isinstance(r.note, str) else "",
                }
            )
    return pd.DataFrame(rows, columns=["series", "year", "growth_pct", "metric", "report", "note"])


def wto_merchandise_growth() -> pd.DataFrame:
    """WTO's measured (not projected) growth of world merchandise trade, by year: ``volume_pct`` and, where
    a headline states it, ``value_pct`` (US$)."""
    h = datastore.load_table("wto_headlines")
    sel = h[(h["metric"] == VOLUME_METRIC) & h["growth_pct"].notna() & h["reference_year"].str.isdigit()]
    volume = sel.set_index(sel["reference_year"].astype(int))["growth_pct"].astype(float)
    if volume.index.duplicated().any():
        raise datastore.DataRequestError(f"data/wto_headlines.csv: several '{VOLUME_METRIC}' rows for one year")
    g = headline_growth()
    value = g[g["series"] == "goods"].set_index("year")["growth_pct"]
    return (
        pd.DataFrame({"volume_pct": volume, "value_pct": value.reindex(volume.index)}).sort_index().rename_axis("year")
    )


def headline_dds_share() -> pd.Series:
    """WTO's headline share (%) of digitally delivered services in world services exports, by year."""
    h = datastore.load_table("wto_headlines")
    h = h[h["metric"] == "Digitally delivered services share of global services exports"]
    return pd.Series(
        h["value"].astype(float).to_numpy(), index=h["reference_year"].astype(int).to_numpy(), name="share_pct"
    ).sort_index()


@datastore.derived("prices")
def price_indices() -> pd.DataFrame:
    """Wide (year x index_id): the US$ price indices of data/prices.csv."""
    p = datastore.load_table("prices")
    return p.pivot(index="year", columns="index_id", values="value")[list(PRICE_INDICES)].sort_index()


# --------------------------------------------------------------------------- Table 1 and its versions


def recompute_growth(t1: pd.DataFrame, decimals: int = GROWTH_DECIMALS) -> pd.DataFrame:
    """Add ``growth_recomputed`` (from the previous year's level of the same series, %), the difference
    in pp and ``agrees`` (NA where the table has no previous level): agreement within half a unit of the
    last digit stated (0.05 for one decimal), the rule of :func:`helpers.claims.core.compare`."""
    tol = 0.5 * 10 ** (-decimals)
    out = []
    for _, g in t1.sort_values(["series", "year"]).groupby("series", sort=False):
        g = g.copy()
        prev = g["level_100m"].shift(1)
        consecutive = g["year"].diff() == 1
        g["growth_recomputed"] = np.where(consecutive & prev.notna(), (g["level_100m"] / prev - 1) * 100, np.nan)
        g["difference_pp"] = g["growth_stated"] - g["growth_recomputed"]
        agrees = g["difference_pp"].abs() <= tol + 1e-9
        g["agrees"] = agrees.where(g["growth_recomputed"].notna() & g["growth_stated"].notna(), pd.NA).astype("boolean")
        out.append(g)
    res = pd.concat(out, ignore_index=True)
    order = {s: i for i, s in enumerate(SERIES)}
    return res.sort_values(
        ["series", "year"], key=lambda c: c.map(order) if c.name == "series" else c, ignore_index=True
    )


def inconsistent_cells(rec: pd.DataFrame) -> pd.DataFrame:
    """Rows where the stated growth disagrees with the levels beyond rounding."""
    return rec[rec["agrees"].fillna(True) == False].reset_index(drop=True)  # noqa: E712


def levels_bn(t1: pd.DataFrame) -> pd.DataFrame:
    """Table 1 levels as a wide frame (year x series) in US$ billion."""
    lv = t1.pivot(index="year", columns="series", values="level_100m")
    return lv[[s for s in SERIES if s in lv.columns]] / SEED_UNIT_PER_BN


def rate_implied_levels(rec: pd.DataFrame) -> pd.DataFrame:
    """Wide (year x series), US$ bn: Table 1's levels up to the first year whose level contradicts its own
    stated rate; from that year on, each level is the previous one × (1 + stated rate). Later levels are
    chained too, because a level built on a wrong one would carry its error."""
    cols = {}
    for s, g in rec.groupby("series", sort=False):
        g = g.sort_values("year")
        values: dict[int, float] = {}
        chained = False
        for r in g.itertuples():
            chained = chained or (not pd.isna(r.agrees) and not bool(r.agrees))
            if chained and (r.year - 1) in values and not pd.isna(r.growth_stated):
                values[r.year] = values[r.year - 1] * (1 + r.growth_stated / 100)
            else:
                values[r.year] = r.level_100m
        cols[s] = pd.Series(values) / SEED_UNIT_PER_BN
    out = pd.DataFrame(cols)[[s for s in SERIES if s in cols]]
    out.index.name = "year"
    return out


def contradiction_evidence(rec: pd.DataFrame, independent: pd.DataFrame) -> pd.DataFrame:
    """Each contradictory cell of Table 1 against the independent series' growth in the same year:
    ``sides_with`` is "rate" if that growth is closer to the stated rate, "level" if closer to the growth
    the levels imply, NA where the independent series lacks the year or the year before."""
    rows = []
    for r in inconsistent_cells(rec).itertuples():
        v = independent[r.series].dropna()
        g = np.nan
        if r.year in v.index and r.year - 1 in v.index:
            g = (v[r.year] / v[r.year - 1] - 1) * 100
        side = (
            pd.NA if np.isnan(g) else ("rate" if abs(r.growth_stated - g) < abs(r.growth_recomputed - g) else "level")
        )
        rows.append(
            {
                "series": r.series,
                "year": int(r.year),
                "growth_stated": r.growth_stated,
                "growth_recomputed": r.growth_recomputed,
                "independent_growth": g,
                "sides_with": side,
            }
        )
    return pd.DataFrame(
        rows, columns=["series", "year", "growth_stated", "growth_recomputed", "independent_growth", "sides_with"]
    )


def decisive_version(evidence: pd.DataFrame) -> str:
    """The rule: where Table 1 contradicts itself, follow its stated rates (the claim is about growth)
    unless the independent series side with the levels. Rates in every testable contradiction (or none
    testable): ``rate_implied``; levels in every one: ``stated``; split: ``independent`` (Table 1 then
    cannot be repaired from itself)."""
    sides = set(evidence["sides_with"].dropna())
    if sides <= {"rate"}:
        return "rate_implied"
    return "stated" if sides == {"level"} else "independent"


def level_versions(rec: pd.DataFrame, independent: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The three versions of the levels, wide (year x series), US$ bn, each over the years it covers
    (the independent one: years with all three series)."""
    return {"stated": levels_bn(rec), "rate_implied": rate_implied_levels(rec), "independent": independent.dropna()}


def versions_long(versions: dict[str, pd.DataFrame], years: tuple[int, int]) -> pd.DataFrame:
    """version, series, year, value_bn over ``years`` (each version where it has values)."""
    frames = []
    for v, lv in versions.items():
        w = lv.loc[years[0] : years[1]]
        frames.append(w.reset_index().melt(id_vars="year", var_name="series", value_name="value_bn").assign(version=v))
    return pd.concat(frames, ignore_index=True)[["version", "series", "year", "value_bn"]]


# --------------------------------------------------------------------------- indices, shares, growth


def index_series(levels: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Each column divided by its value in ``base_year`` x 100 (wide in, wide out)."""
    if base_year not in levels.index:
        raise datastore.DataRequestError(
            f"base_year {base_year} is not a year of the series ({levels.index.min()}-{levels.index.max()})"
        )
    base = levels.loc[base_year]
    if (base <= 0).any() or base.isna().any():
        raise ValueError(f"index base {base_year} has non-positive or missing values: {base.to_dict()}")
    return levels.div(base) * 100


def dds_share(levels: pd.DataFrame) -> pd.Series:
    """Digitally delivered services as % of services exports."""
    return 100 * levels["dds"] / levels["services"]


def index_versions(versions: dict[str, pd.DataFrame], start: int, end: int, base_year: int) -> pd.DataFrame:
    """Long: version, series, year, index (``base_year`` = 100) over the window, for every version with a
    value in the base year."""
    frames = []
    for v, lv in versions.items():
        w = lv.loc[start:end].dropna()
        if base_year in w.index:
            frames.append(
                index_series(w, base_year)
                .reset_index()
                .melt(id_vars="year", var_name="series", value_name="index")
                .assign(version=v)
            )
    return pd.concat(frames, ignore_index=True)[["version", "series", "year", "index"]]


def annual_growth(levels: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year growth (%) of each column; NaN where the previous year is missing."""
    full = levels.reindex(range(int(levels.index.min()), int(levels.index.max()) + 1))
    return ((full / full.shift(1) - 1) * 100).loc[levels.index]


def cagr_table(levels: pd.DataFrame, start: int, end: int) -> pd.Series:
    """Compound annual growth rate (%) of each column between two years."""
    if end <= start:
        raise ValueError(f"CAGR needs end > start, got {start}-{end}")
    return pd.Series({c: cagr(levels.loc[start, c], levels.loc[end, c], end - start) for c in levels.columns})


def outpaces(cagrs: pd.Series, lead: str = "dds", others: Iterable[str] = ("goods", "services")) -> bool:
    """True if ``lead`` grew faster than every one of ``others`` by more than :data:`TIE_PP`."""
    return all(cagrs[lead] > cagrs[o] + TIE_PP for o in others)


def ties(cagrs: pd.Series, lead: str = "dds", others: Iterable[str] = ("goods", "services")) -> list[str]:
    """The ``others`` that grew as fast as ``lead``, to within :data:`TIE_PP`."""
    return [o for o in others if abs(cagrs[lead] - cagrs[o]) <= TIE_PP]


def covered_window(levels: pd.DataFrame, start: int, end: int) -> tuple[int, int] | None:
    """The part of ``start``-``end`` in which ``levels`` has every column; None if under two years."""
    years = [y for y in levels.dropna().index if start <= y <= end]
    return (int(min(years)), int(max(years))) if len(years) >= 2 else None


def cagr_versions(versions: dict[str, pd.DataFrame], start: int, end: int) -> pd.DataFrame:
    """Long: version, series, start, end, cagr_pct — each version over the part of the window it
    covers (NaN rows where it covers under two years)."""
    rows = []
    for v, lv in versions.items():
        win = covered_window(lv, start, end)
        c = cagr_table(lv, *win) if win else pd.Series(np.nan, index=list(SERIES))
        for s in SERIES:
            rows.append(
                {
                    "version": v,
                    "series": s,
                    "start": win[0] if win else np.nan,
                    "end": win[1] if win else np.nan,
                    "cagr_pct": float(c[s]),
                }
            )
    return pd.DataFrame(rows)


def window_robustness(levels: pd.DataFrame, years: Iterable[int] | None = None) -> pd.DataFrame:
    """Every sub-window (a, b), a < b, of the given years: CAGRs and whether DDS outpaces both."""
    ys = sorted(levels.index if years is None else years)
    rows = []
    for i, a in enumerate(ys):
        for b in ys[i + 1 :]:
            c = cagr_table(levels, a, b)
            rows.append({"start": a, "end": b, **{f"cagr_{k}": v for k, v in c.items()}, "dds_leads": outpaces(c)})
    return pd.DataFrame(rows, columns=["start", "end", "cagr_goods", "cagr_services", "cagr_dds", "dds_leads"])


def window_versions(versions: dict[str, pd.DataFrame], start: int, end: int) -> pd.DataFrame:
    """:func:`window_robustness` of each version over the part of the window it covers; column ``version``."""
    frames = []
    for v, lv in versions.items():
        win = covered_window(lv, start, end)
        wr = window_robustness(lv.loc[win[0] : win[1]]) if win else window_robustness(lv.iloc[0:0])
        frames.append(wr.assign(version=v))
    out = pd.concat(frames, ignore_index=True)
    out["dds_leads"] = out["dds_leads"].astype(bool)
    return out


# --------------------------------------------------------------------------- real growth


def real_cagrs(versions: dict[str, pd.DataFrame], prices: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Nominal and real CAGR of each version and series, every series deflated by the same index.

    Long: version, series, start, end, nominal_pct, then per index ``<index>_inflation_pct`` (the index's
    own CAGR) and ``<index>_real_pct`` = (1 + nominal) / (1 + inflation) − 1, NaN where the index lacks
    either end year. The window of a version is the part of ``start``-``end`` it covers."""
    nominal = cagr_versions(versions, start, end)
    for idx in prices.columns:
        p = prices[idx].dropna()
        infl = []
        for a, b in zip(nominal["start"], nominal["end"]):
            ok = not (pd.isna(a) or pd.isna(b)) and int(a) in p.index and int(b) in p.index
            infl.append(cagr(p[int(a)], p[int(b)], int(b) - int(a)) if ok else np.nan)
        nominal[f"{idx}_inflation_pct"] = infl
        nominal[f"{idx}_real_pct"] = (
            (1 + nominal["cagr_pct"] / 100) / (1 + nominal[f"{idx}_inflation_pct"] / 100) - 1
        ) * 100
    return nominal.rename(columns={"cagr_pct": "nominal_pct"})


def goods_volume_check(goods_growth: pd.Series, price_index: pd.Series, wto: pd.DataFrame) -> pd.DataFrame:
    """For each year with a WTO merchandise volume figure (``wto``: :func:`wto_merchandise_growth`) and a
    goods growth rate: that growth (nominal, %), the index's inflation, the growth deflated by it, WTO's
    volume growth, and the merchandise price change implied by WTO's own value and volume growth."""
    rows = []
    for y, w in wto.iterrows():
        if (
            y not in goods_growth.index
            or pd.isna(goods_growth[y])
            or y not in price_index.index
            or y - 1 not in price_index.index
        ):
            continue
        infl = (price_index[y] / price_index[y - 1] - 1) * 100
        nominal = float(goods_growth[y])
        rows.append(
            {
                "year": int(y),
                "nominal_pct": nominal,
                "inflation_pct": infl,
                "real_by_index_pct": ((1 + nominal / 100) / (1 + infl / 100) - 1) * 100,
                "wto_volume_pct": w["volume_pct"],
                "wto_value_pct": w["value_pct"],
                "wto_price_pct": ((1 + w["value_pct"] / 100) / (1 + w["volume_pct"] / 100) - 1) * 100,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "year",
            "nominal_pct",
            "inflation_pct",
            "real_by_index_pct",
            "wto_volume_pct",
            "wto_value_pct",
            "wto_price_pct",
        ],
    )


def deflate(levels: pd.DataFrame, price_index: pd.Series, base_year: int) -> pd.DataFrame:
    """Levels in US$ of ``base_year`` purchasing power: level × index[base] / index[year], for the years
    the index covers."""
    p = price_index.dropna()
    if base_year not in p.index:
        raise datastore.DataRequestError(
            f"the price index has no value for {base_year} (it covers {int(p.index.min())}-{int(p.index.max())})"
        )
    years = [y for y in levels.index if y in p.index]
    return levels.loc[years].mul(p[base_year] / p.loc[years], axis=0)


# --------------------------------------------------------------------------- Table 1 against other sources


def independent_world(years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Long frame: series, year, source (``wdi``, ``wto_dds``, ``wto_headline``), value_bn."""
    parts = [
        pd.DataFrame(
            {"series": s, "year": wdi_world(s).index.astype(int), "source": "wdi", "value_bn": wdi_world(s).values}
        )
        for s in ("goods", "services")
    ]
    v = wto_dds_world()
    parts.append(
        pd.DataFrame({"series": "dds", "year": v.index.astype(int), "source": "wto_dds", "value_bn": v.values})
    )
    h = headline_levels()
    parts.append(
        pd.DataFrame({"series": h["series"], "year": h["year"], "source": "wto_headline", "value_bn": h["value_bn"]})
    )
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
    m = headline_growth().merge(
        rec[["series", "year", "growth_stated", "growth_recomputed"]], on=["series", "year"], how="inner"
    )
    tol = m["growth_pct"].map(lambda g: 0.5 * 10 ** (-decimals_of(g)))
    m["agrees"] = (m["growth_stated"] - m["growth_pct"]).abs() <= tol + 1e-9
    return m.sort_values(["series", "year"]).reset_index(drop=True)


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
            rows.append(
                {
                    "year": int(r.year),
                    "table1_bn": t,
                    "commercial_bn": r.value_bn,
                    "wdi_bn": w[r.year],
                    "between": lo <= t <= hi,
                }
            )
    return pd.DataFrame(rows, columns=["year", "table1_bn", "commercial_bn", "wdi_bn", "between"])


def dds_revisions() -> pd.DataFrame:
    """WTO's own revisions: each DDS headline against the 2026 dataset value of the same year (%)."""
    h = headline_levels()
    h = h[h["series"] == "dds"]
    v = wto_dds_world()
    rows = [
        {
            "year": int(r.year),
            "headline_bn": r.value_bn,
            "dataset_bn": v[r.year],
            "report": r.report,
            "revision_pct": 100 * (v[r.year] / r.value_bn - 1),
        }
        for r in h.itertuples()
        if r.year in v.index
    ]
    return pd.DataFrame(rows, columns=["year", "headline_bn", "dataset_bn", "report", "revision_pct"])
