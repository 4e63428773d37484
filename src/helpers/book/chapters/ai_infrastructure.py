"""AI infrastructure: digital infrastructure and its divide across RCEP members, computing capacity,
innovation inputs, and the bridge from infrastructure to digital service exports.

Definitions used on the "AI infrastructure" page:

* **Digital divide** = dispersion of an indicator across members in a year: the coefficient of
  variation (population standard deviation / mean) and the ratio of the highest to the lowest value
  (undefined when the lowest is zero). It is measured on a **balanced panel** — the same members in
  every year — chosen as the largest block of members × consecutive years with no gap (ties: more
  members, then later years), so that a member entering or leaving the data cannot fake a trend. The
  dispersion of all members with data each year is shown next to it.
* **Computing capacity**: TOP500 Rmax (the list's benchmark, summed by country per list), Epoch AI's
  GPU clusters (H100 equivalents, Epoch's standard-analysis rows that exist), Epoch's notable AI
  models by developer country (a model credited to several countries counts once for each), and
  China's official statements (different definitions and dates; never joined into a series).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from helpers.book import charts
from helpers.claims import core as claims
from helpers.data import datastore as ds
from helpers import text

WDI_SRC = "World Bank, World Development Indicators (data/wdi.csv)"
TOP500_SRC = "TOP500.org, TOP500 lists (data/top500_country.csv)"
EPOCH_GPU_SRC = "Epoch AI, GPU Clusters, CC BY 4.0 (data/epoch_gpu_clusters.csv)"
EPOCH_MODELS_SRC = "Epoch AI, Notable AI Models, CC BY 4.0 (data/epoch_ai_models.csv)"
CCP_SRC = "official statements as reported (data/china_computing_power.csv)"
UNCTAD_SRC = "UNCTAD, digitally deliverable services trade (data/unctad_dds.csv)"

COMPARATOR = "USA"
WORLD_LABEL = "World"
MIN_BALANCED_MEMBERS = 3
LOG_SPAN = 1000.0  # log-type scale for unbounded series whose largest value is this many times the smallest positive

CLAIM_GROUPS: dict[str, tuple[str, ...]] = {
    "digital_economy": ("S000-053", "S000-054", "S000-055", "S000-056", "S002-006", "S003-001"),
    "compute": ("S000-078", "S000-079", "S000-080"),
    "dtdi": ("S000-081", "S000-082", "S000-083"),
}
CLAIM_CAPTIONS = {
    "digital_economy": "Claims on China's digital economy and networks, with their verdicts",
    "compute": "Claims on China's computing power, with their verdicts",
    "dtdi": "Claims on the digital technology development index, with their verdicts",
}


# --------------------------------------------------------------------------- parameters


def members(countries: Sequence[str] | None) -> list[str]:
    """The economies of the page: the parameter, or the 15 RCEP members when it is empty."""
    rcep = list(ds.country_groups()["rcep"])
    if not countries:
        return rcep
    bad = [c for c in countries if c not in rcep]
    if bad:
        raise ValueError(f"countries {bad} are not RCEP members; allowed: {', '.join(rcep)}")
    return list(countries)


def check_indicators(indicators: Sequence[str]) -> list[str]:
    meta = ds.indicator_meta()
    allowed = list(meta.index[meta["topic"] == "digital"])
    if not indicators:
        raise ValueError(f"indicators must not be empty; allowed: {', '.join(allowed)}")
    bad = [i for i in indicators if i not in allowed]
    if bad:
        raise ValueError(f"indicators {bad} are not digital-infrastructure series; allowed: {', '.join(allowed)}")
    return list(indicators)


def check_window(start_year: int, end_year: int) -> None:
    if start_year > end_year:
        raise ValueError(f"start_year ({start_year}) must not be after end_year ({end_year})")


def indicator_label(code: str) -> str:
    meta = ds.indicator_meta(code)
    return str(meta["name"])


def indicator_unit(code: str) -> str:
    return str(ds.indicator_meta(code)["unit"])


def lower_first(label: str) -> str:
    """'Internet users' -> 'internet users', but 'R&D expenditure' stays (acronyms keep their case)."""
    first = label.split(" ", 1)[0]
    return label if sum(ch.isupper() for ch in first) >= 2 else label[:1].lower() + label[1:]


SHORT = {"IT.NET.USER.ZS": "Internet users", "IT.NET.BBND.P2": "Fixed broadband subscriptions",
         "IT.CEL.SETS.P2": "Mobile subscriptions", "IT.NET.SECR.P6": "Secure internet servers",
         "GB.XPD.RSDV.GD.ZS": "R&D expenditure", "TX.VAL.TECH.MF.ZS": "High-technology exports"}


def short(code: str) -> str:
    return SHORT.get(code, indicator_label(code))


# --------------------------------------------------------------------------- loading


@lru_cache(maxsize=32)
def _wdi_cached(codes: tuple[str, ...]) -> pd.DataFrame:
    return ds.load_wdi(list(codes))


def load_panel(codes: Sequence[str], economies: Sequence[str], start_year: int, end_year: int) -> pd.DataFrame:
    """Long WDI panel iso3, economy, year, indicator, value for the economies and window (gaps stay gaps)."""
    check_window(start_year, end_year)
    df = _wdi_cached(tuple(codes)).copy()
    df = df[df["iso3"].isin(list(economies)) & df["year"].between(start_year, end_year)]
    names = ds.countries()["display_name"]
    df["economy"] = df["iso3"].map(names)
    return df.sort_values(["indicator", "iso3", "year"]).reset_index(drop=True)[
        ["iso3", "economy", "year", "indicator", "value"]]


# --------------------------------------------------------------------------- the digital divide (pure)


def balanced_block(avail: pd.DataFrame, min_members: int = 2) -> tuple[list[str], list[int]]:
    """Largest block of members (columns) × consecutive years (index) with no gap in ``avail`` (bool).

    Maximises members × years; ties: more members, then the later end year. Years are consecutive
    calendar years present in the index. Returns ([], []) if no block has ``min_members`` members.
    """
    if avail.empty:
        return [], []
    avail = avail.sort_index()
    years = [int(y) for y in avail.index]
    present = avail.to_numpy(dtype=bool)
    columns = list(avail.columns)
    best: tuple[int, int, int] | None = None
    best_block: tuple[list[str], list[int]] = ([], [])
    for i in range(len(years)):
        complete = np.ones(len(columns), dtype=bool)  # members with a value in every year i..j
        for j in range(i, len(years)):
            if years[j] - years[i] != j - i:  # not consecutive calendar years
                break
            complete &= present[j]
            n = int(complete.sum())
            if n < min_members:  # a longer window cannot have more members
                break
            key = (n * (j - i + 1), n, years[j])
            if best is None or key > best:
                best = key
                best_block = (sorted(c for c, ok in zip(columns, complete) if ok), years[i:j + 1])
    return best_block


def dispersion(values: pd.DataFrame) -> pd.DataFrame:
    """Per year with at least two values: n, mean, sd (population), cv = sd/mean, max/min ratio (NaN if the
    minimum is not positive).

    ``values``: long frame with columns year, iso3, value."""
    rows = []
    for year, g in values.dropna(subset=["value"]).groupby("year"):
        v = g["value"].to_numpy(dtype=float)
        if len(v) < 2:  # one economy has no dispersion
            continue
        mean = float(v.mean())
        sd = float(v.std(ddof=0))
        lo, hi = float(v.min()), float(v.max())
        rows.append({"year": int(year), "n": int(len(v)), "mean": mean, "sd": sd,
                     "cv": sd / mean if mean > 0 else np.nan,
                     "max_min": hi / lo if lo > 0 else np.nan})
    return pd.DataFrame(rows, columns=["year", "n", "mean", "sd", "cv", "max_min"])


def divide(panel: pd.DataFrame, indicator: str) -> dict:
    """Dispersion of one indicator: balanced panel and all available members, with the trend."""
    d = panel[panel["indicator"] == indicator]
    avail = d.pivot_table(index="year", columns="iso3", values="value", aggfunc="first").notna()
    mem, yrs = balanced_block(avail, min_members=MIN_BALANCED_MEMBERS)
    bal = dispersion(d[d["iso3"].isin(mem) & d["year"].isin(yrs)]) if mem else dispersion(d.iloc[0:0])
    allm = dispersion(d)
    out = {"indicator": indicator, "members": mem, "years": yrs, "balanced": bal, "all": allm,
           "excluded": sorted(set(d["iso3"]) - set(mem))}
    if len(bal) >= 2:
        first, last = bal.iloc[0], bal.iloc[-1]
        out["cv_first"], out["cv_last"] = float(first["cv"]), float(last["cv"])
        out["ratio_first"], out["ratio_last"] = float(first["max_min"]), float(last["max_min"])
        out["trend"] = trend_word(out["cv_first"], out["cv_last"])
    else:
        out["trend"] = "not measurable"
    out["trend_all"] = trend_word(float(allm["cv"].iloc[0]), float(allm["cv"].iloc[-1])) if len(allm) >= 2 \
        else "not measurable"
    return out


CV_TOLERANCE = 0.005  # changes smaller than the two decimals the page shows count as no change


def trend_word(first: float, last: float) -> str:
    if not (np.isfinite(first) and np.isfinite(last)):
        return "not measurable"
    if last < first - CV_TOLERANCE:
        return "narrowed"
    if last > first + CV_TOLERANCE:
        return "widened"
    return "did not change"


def divide_frame(divides: Sequence[dict]) -> pd.DataFrame:
    """Long frame for the dispersion chart: indicator, panel (balanced / all with data), year, cv, max_min, n."""
    parts = []
    for dv in divides:
        for key, label in (("balanced", "Balanced panel (same members every year)"),
                           ("all", "All members with data that year")):
            f = dv[key]
            if not f.empty:
                parts.append(f.assign(indicator=short(dv["indicator"]), panel=label))
    if not parts:
        return pd.DataFrame(columns=["indicator", "panel", "year", "cv", "max_min", "n"])
    return pd.concat(parts, ignore_index=True)[["indicator", "panel", "year", "cv", "max_min", "n"]]


def _times(x: float) -> str:
    return f"{text.num(x, 0 if x >= 100 else 1)}×"


def divide_sentence(dv: dict) -> str:
    name = lower_first(short(dv["indicator"]))
    if dv["trend"] == "not measurable":
        return (f"For {name} no balanced panel of at least {MIN_BALANCED_MEMBERS} members over two or more years "
                "exists in this window, so the divide cannot be traced without composition effects.")
    y0, y1 = dv["years"][0], dv["years"][-1]
    names = [ds.display_name(m) for m in dv["members"]]
    ratio = ""
    if np.isfinite(dv["ratio_first"]) and np.isfinite(dv["ratio_last"]):
        ratio = (f"; the highest member had {_times(dv['ratio_first'])} the lowest member's level in {y0} "
                 f"and {_times(dv['ratio_last'])} in {y1}")
    elif np.isfinite(dv["ratio_last"]):
        ratio = f"; the highest member had {_times(dv['ratio_last'])} the lowest member's level in {y1}"
    excl = (f" Left out for gaps: {text.listing([ds.display_name(m) for m in dv['excluded']])}."
            if dv["excluded"] else "")
    agree = ("" if dv["trend_all"] in (dv["trend"], "not measurable") else
             f" With all members that have data each year the divide {dv['trend_all']} instead: the difference is a "
             "composition effect.")
    return (f"{short(dv['indicator'])}: on a balanced panel of {len(names)} members, {text.year_span(y0, y1)}, the "
            f"coefficient of variation went from {text.num(dv['cv_first'], 2)} to {text.num(dv['cv_last'], 2)} — "
            f"the divide {dv['trend']}{ratio}.{excl}{agree}")


# --------------------------------------------------------------------------- levels


def use_log(values: pd.Series, code: str | None = None) -> bool:
    """Log-type scale when levels span orders of magnitude; never for a bounded share (0-100)."""
    if code is not None and pd.notna(ds.indicator_meta(code)["max_value"]):
        return False
    v = values[values > 0]
    return bool(len(v) and v.max() / v.min() >= LOG_SPAN)


def latest_table(panel: pd.DataFrame, indicators: Sequence[str]) -> pd.DataFrame:
    """One row per economy: latest value and its year for each indicator (text cells '12.3 (2023)')."""
    rows = {}
    for code in indicators:
        d = panel[panel["indicator"] == code].dropna(subset=["value"]).sort_values("year")
        last = d.groupby("iso3").tail(1)
        for r in last.itertuples():
            rows.setdefault(r.economy, {})[short(code)] = f"{text.num(r.value, 1)} ({r.year})"
    out = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=[short(c) for c in indicators])
    return out.rename_axis("economy").reset_index().sort_values("economy").fillna("no data").reset_index(drop=True)


def levels_chart(panel: pd.DataFrame, indicator: str, focus: str | None) -> alt.Chart:
    d = panel[panel["indicator"] == indicator].dropna(subset=["value"])
    log = use_log(d["value"], indicator)
    d = charts.with_runs(d.assign(is_focus=np.where(d["iso3"] == focus, "yes", "no")), ["economy"])
    unit = indicator_unit(indicator)
    scale = (alt.Scale(type="log" if (d["value"] > 0).all() else "symlog") if log else alt.Scale(zero=True))
    y = alt.Y("value:Q", title=unit + (" (log scale)" if log else ""), scale=scale)
    order = sorted(d["economy"].unique())
    return alt.Chart(d[["economy", "iso3", "year", "value", "is_focus", "run"]]).mark_line(
            point=alt.OverlayMarkDef(size=16)).encode(
        detail="run:N",
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(nice=False)),
        y=y,
        color=alt.Color("economy:N", title=None, sort=order, scale=economy_scale(order, focus),
                        legend=alt.Legend(columns=5, symbolLimit=20)),
        strokeWidth=alt.condition(alt.datum.is_focus == "yes", alt.value(3.5), alt.value(1.5)),
        tooltip=[alt.Tooltip("economy:N", title="Economy"), alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("value:Q", title=unit, format=",.1f")],
    ).properties(width=600, height=300)


def dispersion_chart(frame: pd.DataFrame) -> alt.FacetChart:
    dom = ["Balanced panel (same members every year)", "All members with data that year"]
    frame = charts.with_runs(frame, ["indicator", "panel"])
    return alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=18)).encode(
        detail="run:N",
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(nice=False)),
        y=alt.Y("cv:Q", title="Coefficient of variation", scale=alt.Scale(zero=True)),
        color=alt.Color("panel:N", title=None, scale=alt.Scale(domain=dom, range=[charts.PALETTE[0],
                                                                                   charts.CONTEXT_COLOR]),
                        legend=alt.Legend(columns=1, labelLimit=400)),
        strokeDash=alt.StrokeDash("panel:N", scale=alt.Scale(domain=dom, range=[[1, 0], [5, 3]]), legend=None),
        tooltip=[alt.Tooltip("indicator:N", title="Indicator"), alt.Tooltip("panel:N", title="Panel"),
                 alt.Tooltip("year:Q", title="Year", format="d"), alt.Tooltip("n:Q", title="Members"),
                 alt.Tooltip("cv:Q", title="Coefficient of variation", format=".2f"),
                 alt.Tooltip("max_min:Q", title="Highest / lowest", format=",.1f")],
    ).properties(width=280, height=180).facet(facet=alt.Facet("indicator:N", title=None), columns=2).resolve_scale(
        y="independent")


# --------------------------------------------------------------------------- computing capacity


def _list_date(s: str) -> pd.Timestamp:
    return pd.Timestamp(f"{s}-01")


def top500_calendar(first: str, last: str) -> list[str]:
    """Every June and November list between two list dates (YYYY-MM), inclusive."""
    out = []
    y0, y1 = int(first[:4]), int(last[:4])
    for y in range(y0, y1 + 1):
        for m in ("06", "11"):
            d = f"{y}-{m}"
            if first <= d <= last:
                out.append(d)
    return out


def top500_frame(economies: Sequence[str], start_year: int, end_year: int) -> tuple[pd.DataFrame, list[str]]:
    """Rmax (PFlop/s) and share by list for the economies, the USA and the World, on a full list calendar:
    lists that were not obtained have no row value (gaps); an economy absent from an obtained list has
    0 systems and no Rmax. Returns (frame, lists not obtained within the window)."""
    t = ds.load_table("top500_country")
    t = t[t["list_date"].str[:4].astype(int).between(start_year, end_year)]
    if t.empty:
        return pd.DataFrame(columns=["list_date", "date", "iso3", "economy", "rmax_pflops", "share_pct",
                                     "n_systems", "status"]), []
    obtained = sorted(set(t["list_date"]))
    cal = top500_calendar(f"{start_year}-06", f"{end_year}-11")
    cal = [c for c in cal if obtained[0] <= c <= max(obtained[-1], cal[-1])]
    missing = [c for c in cal if c not in obtained]
    scale = {"GFlop/s": 1e-6, "TFlop/s": 1e-3}
    t = t.assign(rmax_pflops=t["rmax_sum"] * t["rmax_unit"].map(scale))
    wanted = list(dict.fromkeys([*economies, COMPARATOR, ds.WORLD]))
    names = ds.countries()["display_name"]
    rows = []
    for code in wanted:
        for lst in cal:
            r = t[(t["iso3"] == code) & (t["list_date"] == lst)]
            if lst not in obtained:
                status, rm, sh, n = "list not obtained", np.nan, np.nan, np.nan
            elif r.empty:
                status, rm, sh, n = "no system on the list", np.nan, 0.0, 0
            else:
                status, rm, sh, n = ("on the list", float(r["rmax_pflops"].iloc[0]),
                                     float(r["rmax_share_pct"].iloc[0]), int(r["n_systems"].iloc[0]))
            rows.append({"list_date": lst, "iso3": code, "economy": WORLD_LABEL if code == ds.WORLD else names[code],
                         "rmax_pflops": rm, "share_pct": sh, "n_systems": n, "status": status})
    df = pd.DataFrame(rows)
    df["date"] = df["list_date"].map(lambda s: _list_date(s).strftime("%Y-%m-%d"))
    # economies never on any list in the window add nothing but empty lines
    seen = set(df.loc[df["status"] == "on the list", "iso3"])
    df = df[df["iso3"].isin(seen)]
    return df.reset_index(drop=True), missing


def gap_bands(missing: Sequence[str]) -> pd.DataFrame:
    """Shaded bands for runs of lists that were not obtained (from the list before to the list after)."""
    if not missing:
        return pd.DataFrame(columns=["start", "end", "label"])
    runs: list[list[str]] = []
    for m in missing:
        d = _list_date(m)
        if runs and (d - _list_date(runs[-1][-1])).days < 250:  # consecutive lists are 5 or 7 months apart
            runs[-1].append(m)
        else:
            runs.append([m])
    rows = []
    for r in runs:
        a = _list_date(r[0]) - pd.DateOffset(months=3)
        b = _list_date(r[-1]) + pd.DateOffset(months=3)
        rows.append({"start": a.strftime("%Y-%m-%d"), "end": b.strftime("%Y-%m-%d"),
                     "label": f"lists not obtained: {text.listing(r)}"})
    return pd.DataFrame(rows)


def top500_chart(df: pd.DataFrame, missing: Sequence[str], focus: str | None) -> alt.LayerChart:
    d = df[["date", "economy", "iso3", "rmax_pflops", "share_pct", "n_systems", "status"]].copy()
    order = series_order(d["economy"].unique())
    line = alt.Chart(d).mark_line(point=alt.OverlayMarkDef(size=20), invalid="break-paths-filter-domains").encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y")),
        y=alt.Y("rmax_pflops:Q", title="PFlop/s (log scale)", scale=alt.Scale(type="log")),
        color=alt.Color("economy:N", title=None, sort=order, scale=economy_scale(order, focus),
                        legend=alt.Legend(columns=5)),
        tooltip=[alt.Tooltip("economy:N", title="Economy"), alt.Tooltip("date:T", title="List", format="%B %Y"),
                 alt.Tooltip("rmax_pflops:Q", title="Rmax, PFlop/s", format=",.2f"),
                 alt.Tooltip("share_pct:Q", title="Share of list Rmax, %", format=".1f"),
                 alt.Tooltip("n_systems:Q", title="Systems"), alt.Tooltip("status:N", title="Status")],
    )
    layers = [line]
    bands = gap_bands(missing)
    if not bands.empty:
        band = alt.Chart(bands).mark_rect(color="#d0d7de", opacity=0.45).encode(
            x="start:T", x2="end:T", tooltip=[alt.Tooltip("label:N", title="Gap")])
        layers.insert(0, band)
    return alt.layer(*layers).properties(width=600, height=320)


# Distinct colours for the other economies (vega's tableau20 without the blue and orange used for the
# United States and the focus economy).
OTHER_COLORS = ["#54a24b", "#b279a2", "#e45756", "#439894", "#b79a20", "#9e765f", "#79706e", "#d67195", "#88d27a",
                "#83bcb6", "#f2cf5b", "#ff9d98", "#bab0ac", "#fcbfd2", "#d8b5a5", "#9ecae9", "#ffbf79"]


def economy_scale(order: Sequence[str], focus: str | None) -> alt.Scale:
    """One colour per economy, the same rules in every chart: World black, United States blue, the
    focus economy in the focus colour, the others from a fixed list in the given order."""
    fixed = {WORLD_LABEL: "#1f2328", ds.display_name(COMPARATOR): charts.PALETTE[0]}
    if focus:
        fixed[ds.display_name(focus)] = charts.FOCUS_COLOR
    rng, i = [], 0
    for e in order:
        if e in fixed:
            rng.append(fixed[e])
        else:
            rng.append(OTHER_COLORS[i % len(OTHER_COLORS)])
            i += 1
    return alt.Scale(domain=list(order), range=rng)


def series_order(economies: Sequence[str]) -> list[str]:
    """World and the United States first, then the rest alphabetically."""
    first = [e for e in (WORLD_LABEL, ds.display_name(COMPARATOR)) if e in set(economies)]
    return first + sorted(e for e in set(economies) if e not in first)


def top500_sentence(df: pd.DataFrame, missing: Sequence[str]) -> str:
    on = df[df["status"] == "on the list"]
    if on.empty:
        return "No TOP500 list in this window."
    last = on["list_date"].max()
    world = on[(on["iso3"] == ds.WORLD) & (on["list_date"] == last)]["rmax_pflops"]
    parts = []
    chn = on[on["iso3"] == "CHN"]
    if not chn.empty:
        peak = chn.loc[chn["share_pct"].idxmax()]
        latest = chn[chn["list_date"] == chn["list_date"].max()].iloc[0]
        now = (f"{text.pct(latest['share_pct'])} in {month_label(latest['list_date'])}, with "
               f"{int(latest['n_systems'])} systems")
        if peak["list_date"] == latest["list_date"]:
            parts.append(f"China's share of the list's Rmax was {now}")
        else:
            parts.append(f"China's share of the list's Rmax peaked at {text.pct(peak['share_pct'])} "
                         f"({month_label(peak['list_date'])}) and was {now}")
    usa = on[(on["iso3"] == COMPARATOR) & (on["list_date"] == last)]
    if not usa.empty:
        parts.append(f"the United States held {text.pct(float(usa['share_pct'].iloc[0]))} in {month_label(last)}")
    wv = float(world.iloc[0]) if len(world) else float("nan")
    w = (f"The whole list summed to {text.num(wv, 0 if wv >= 100 else 2)} PFlop/s in {month_label(last)}. "
         if len(world) else "")
    gap = (f" Lists not obtained ({text.listing([month_label(m) for m in missing])}) are shaded gaps, not "
           "interpolated." if missing else "")
    body = "; ".join(parts)
    body = (body[:1].upper() + body[1:] + ".") if body else ""
    return w + body + gap + (
        " The list is voluntary: a country's share reflects which systems are submitted as well as what is built.")


def gpu_clusters(economies: Sequence[str]) -> pd.DataFrame:
    """H100 equivalents of existing GPU clusters in Epoch's standard analysis, by economy, with the USA,
    clusters whose country is outside the book's list or not given, and the world total."""
    g = ds.load_table("epoch_gpu_clusters")
    g = g[g["include_standard_analysis"].astype(bool) & (g["status"] == "Existing")]
    total = float(g["h100_equivalents"].sum())
    rows = []
    names = ds.countries()["display_name"]
    for code in dict.fromkeys([*economies, COMPARATOR]):
        s = g[g["iso3"] == code]
        rows.append({"iso3": code, "economy": names[code], "h100e": float(s["h100_equivalents"].sum()),
                     "clusters": int(len(s)), "kind": "economy"})
    unknown = g[g["country"].isna()]
    rows.append({"iso3": "", "economy": "Country not given", "h100e": float(unknown["h100_equivalents"].sum()),
                 "clusters": int(len(unknown)), "kind": "other"})
    rows.append({"iso3": ds.WORLD, "economy": WORLD_LABEL, "h100e": total, "clusters": int(len(g)), "kind": "world"})
    df = pd.DataFrame(rows)
    df["share_pct"] = 100 * df["h100e"] / total if total > 0 else np.nan
    return df


def gpu_chart(df: pd.DataFrame, focus: str | None) -> alt.LayerChart:
    """Dot plot on a log scale (bars cannot start at zero on a log axis), labelled with value and share."""
    d = df[df["h100e"] > 0].copy()
    d["label"] = d.apply(lambda r: f"{text.num(r['h100e'], 0)} ({text.pct(r['share_pct'], 1 if r['share_pct'] >= 0.1 else 2)})",
                         axis=1)
    d["colour"] = np.where(d["kind"] == "world", "world", np.where(d["iso3"] == focus, "focus", "other"))
    order = list(d.sort_values("h100e", ascending=False)["economy"])
    y = alt.Y("economy:N", title=None, sort=order)
    x = alt.X("h100e:Q", title="H100 equivalents (log scale)", scale=alt.Scale(type="log"))
    col = alt.Color("colour:N", scale=alt.Scale(domain=["world", "focus", "other"],
                                                range=["#1f2328", charts.FOCUS_COLOR, charts.PALETTE[0]]), legend=None)
    tip = [alt.Tooltip("economy:N", title="Economy"), alt.Tooltip("h100e:Q", title="H100e", format=",.0f"),
           alt.Tooltip("share_pct:Q", title="% of world", format=".1f"), alt.Tooltip("clusters:Q", title="Clusters")]
    pts = alt.Chart(d).mark_point(size=110, filled=True, opacity=1).encode(x=x, y=y, color=col, tooltip=tip)
    labels = alt.Chart(d).mark_text(align="left", dx=8).encode(x="h100e:Q", y=y, text="label:N")
    return alt.layer(pts, labels).properties(width=480, height=alt.Step(22))


def ai_models(economies: Sequence[str], start_year: int, end_year: int) -> pd.DataFrame:
    """Notable AI models per year: each selected economy with any model, the USA, and the World (unique models)."""
    m = ds.load_table("epoch_ai_models")
    m = m[m["year"].between(start_year, end_year)]
    names = ds.countries()["display_name"]
    rows = []
    for code in dict.fromkeys([*economies, COMPARATOR]):
        s = m[m["iso3"] == code]
        if s.empty:
            continue
        c = s.groupby("year")["model"].nunique()
        for y in range(start_year, end_year + 1):
            rows.append({"year": y, "economy": names[code], "iso3": code, "models": int(c.get(y, 0))})
    w = m.drop_duplicates(["model", "publication_date"]).groupby("year")["model"].size()
    for y in range(start_year, end_year + 1):
        rows.append({"year": y, "economy": WORLD_LABEL, "iso3": ds.WORLD, "models": int(w.get(y, 0))})
    return pd.DataFrame(rows, columns=["year", "economy", "iso3", "models"])


def models_chart(df: pd.DataFrame, focus: str | None) -> alt.Chart:
    order = series_order(df["economy"].unique())
    return alt.Chart(df).mark_line(point=alt.OverlayMarkDef(size=20)).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(nice=False)),
        y=alt.Y("models:Q", title="Notable models published"),
        color=alt.Color("economy:N", title=None, sort=order, scale=economy_scale(order, focus),
                        legend=alt.Legend(columns=5)),
        tooltip=[alt.Tooltip("economy:N", title="Economy"), alt.Tooltip("year:Q", title="Year", format="d"),
                 alt.Tooltip("models:Q", title="Models")],
    ).properties(width=600, height=300)


# --- China's official statements


MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                        "dec"], start=1)}


def period_date(period: str) -> tuple[str | None, bool]:
    """Approximate reference date (YYYY-MM) of a stated period, and whether it is a target.

    'end of June 2022' -> '2022-06'; 'end of 2023' -> '2023-12'; 'mid-2023 (...)' -> '2023-06';
    'target for 2025' -> ('2025-12', True); no year -> (None, False). The first year mentioned counts."""
    p = period.lower()
    years = re.findall(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)", p)
    if not years:
        return None, False
    year = years[0]
    head = p[: p.find(year)].rstrip()
    month = None
    m = re.search(r"([a-z]+)\.?$", head)
    if m:
        month = next((num for word, num in MONTHS.items() if m.group(1).startswith(word)), None)
    if month is None:
        month = 6 if re.search(r"\bmid\W*$", head) else 12
    return f"{year}-{month:02d}", "target" in p


def to_eflops(value: float, unit: str) -> float:
    """Convert a computing-power figure to EFLOPS (PFlops / 1,000); other units are refused."""
    u = unit.strip().lower()
    if u == "eflops":
        return float(value)
    if u == "pflops":
        return float(value) / 1e3
    raise ValueError(f"unit {unit!r} is not a computing-power unit (EFLOPS or PFlops)")


def china_statements() -> pd.DataFrame:
    """China's computing-power statements in EFLOPS with approximate dates (world totals and shares left out)."""
    c = ds.load_table("china_computing_power")
    c = c[c["unit"].str.lower().isin(["eflops", "pflops"]) & ~c["metric"].str.lower().str.startswith("world")]
    rows = []
    for r in c.itertuples():
        date, target = period_date(r.reference_period)
        metric = str(r.metric)
        kind = ("target" if target else "intelligent computing" if "intelligent" in metric.lower()
                else "total / infrastructure computing")
        rows.append({"row_id": int(r.row_id), "date": date, "eflops": to_eflops(r.value, r.unit), "kind": kind,
                     "metric": metric, "reference_period": r.reference_period, "reporting_body": r.reporting_body})
    return pd.DataFrame(rows).sort_values(["date", "row_id"]).reset_index(drop=True)


SEED_KIND = "the seed: intelligent computing (FP16)"


def month_label(ym: str | None) -> str:
    """'2024-11' -> 'November 2024' (lists and statement dates in prose)."""
    if not ym:
        return "date not stated"
    return pd.Timestamp(f"{ym}-01").strftime("%B %Y")


def statements_chart(st: pd.DataFrame, seed_eflops: float, seed_date: str) -> alt.LayerChart:
    d = st.dropna(subset=["date"]).copy()
    seed = pd.DataFrame([{"date": seed_date, "eflops": seed_eflops, "kind": SEED_KIND, "metric": "S000-078",
                          "reference_period": seed_date, "reporting_body": "CAICT, as cited by the seed"}])
    d = pd.concat([d, seed], ignore_index=True)
    d["date"] = d["date"] + "-15"
    dom = ["total / infrastructure computing", "intelligent computing", "target", SEED_KIND]
    return alt.Chart(d).mark_point(size=120, filled=True, opacity=0.9).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1})),
        y=alt.Y("eflops:Q", title="EFLOPS", scale=alt.Scale(zero=True)),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=dom, range=[charts.PALETTE[0], charts.PALETTE[2],
                                                                                  charts.CONTEXT_COLOR,
                                                                                  charts.FOCUS_COLOR]),
                        legend=alt.Legend(columns=2, labelLimit=300)),
        shape=alt.Shape("kind:N", scale=alt.Scale(domain=dom, range=["circle", "square", "triangle-up", "diamond"]),
                        legend=None),
        tooltip=[alt.Tooltip("reference_period:N", title="Period"), alt.Tooltip("metric:N", title="Measure"),
                 alt.Tooltip("eflops:Q", title="EFLOPS", format=",.0f"),
                 alt.Tooltip("reporting_body:N", title="Reported by")],
    ).properties(width=600, height=300)


# --------------------------------------------------------------------------- innovation & the bridge


INNOVATION = ("GB.XPD.RSDV.GD.ZS", "TX.VAL.TECH.MF.ZS")


def innovation_sentence(panel: pd.DataFrame) -> str:
    parts = []
    for code in INNOVATION:
        d = panel[panel["indicator"] == code].dropna(subset=["value"])
        if d.empty:
            parts.append(f"{short(code)}: no data in this window.")
            continue
        ly = int(d["year"].max())
        last = d[d["year"] == ly].sort_values("value", ascending=False)
        top = last.iloc[0]
        n_last = last["iso3"].nunique()
        parts.append(f"{short(code)} ({indicator_unit(code)}): latest year {ly}, reported by {n_last} of the "
                     f"{d['iso3'].nunique()} members with any value; highest {top['economy']} at "
                     f"{text.num(float(top['value']), 2 if abs(float(top['value'])) < 10 else 1)}.")
    return " ".join(parts)


def innovation_chart(panel: pd.DataFrame, focus: str | None) -> alt.HConcatChart | alt.Chart:
    charts_ = []
    for code in INNOVATION:
        d = panel[panel["indicator"] == code].dropna(subset=["value"])
        if d.empty:
            continue
        d = charts.with_runs(d.assign(is_focus=np.where(d["iso3"] == focus, "yes", "no")), ["economy"])
        order = sorted(panel["economy"].dropna().unique())
        charts_.append(alt.Chart(d[["economy", "iso3", "year", "value", "is_focus", "run"]]).mark_line(
            point=alt.OverlayMarkDef(size=22)).encode(
            detail="run:N",
            x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(nice=False)),
            y=alt.Y("value:Q", title=indicator_unit(code)),
            color=alt.Color("economy:N", title=None, sort=order, scale=economy_scale(order, focus),
                            legend=alt.Legend(columns=5)),
            strokeWidth=alt.condition(alt.datum.is_focus == "yes", alt.value(3.5), alt.value(1.4)),
            tooltip=[alt.Tooltip("economy:N", title="Economy"), alt.Tooltip("year:Q", title="Year", format="d"),
                     alt.Tooltip("value:Q", title=indicator_unit(code), format=",.2f")],
        ).properties(width=280, height=240, title=short(code)))
    if not charts_:
        raise ValueError("no innovation data in this window")
    return alt.hconcat(*charts_).resolve_scale(color="shared") if len(charts_) > 1 else charts_[0]


def bridge_frame(economies: Sequence[str], indicator: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Member-years with the infrastructure indicator (x) and digitally deliverable exports per person (y, US$)."""
    infra = load_panel([indicator], economies, start_year, end_year)[["iso3", "economy", "year", "value"]].rename(
        columns={"value": "x"})
    pop = load_panel(["SP.POP.TOTL"], economies, start_year, end_year)[["iso3", "year", "value"]].rename(
        columns={"value": "pop"})
    u = ds.load_unctad_dds("exports")
    u = u[u["iso3"].isin(list(economies)) & u["year"].between(start_year, end_year)][["iso3", "year", "value_usd_mn"]]
    m = infra.merge(pop, on=["iso3", "year"]).merge(u, on=["iso3", "year"])
    m["y"] = m["value_usd_mn"] * 1e6 / m["pop"].where(m["pop"] > 0)
    return m.dropna(subset=["x", "y"])[["iso3", "economy", "year", "x", "y"]].sort_values(["iso3", "year"]).reset_index(
        drop=True)


def spearman(x: pd.Series, y: pd.Series) -> float:
    """Rank correlation (average ranks for ties); NaN with fewer than three pairs."""
    if len(x) < 3:
        return float("nan")
    rx, ry = x.rank(), y.rank()
    return float(np.corrcoef(rx, ry)[0, 1])


def bridge_findings(bf: pd.DataFrame, indicator: str) -> dict[str, str]:
    if bf.empty:
        return {"bridge_sentence": "No member has both the infrastructure indicator and UNCTAD's digitally deliverable "
                "exports in this window.", "bridge_title": "Infrastructure and digital exports: no overlap in the data"}
    counts = bf.groupby("year")["iso3"].nunique()
    year = int(counts[counts == counts.max()].index.max())
    cs = bf[bf["year"] == year]
    rho = spearman(cs["x"], cs["y"])
    last_year = int(bf["year"].max())
    cl = bf[bf["year"] == last_year]
    rho_last = spearman(cl["x"], cl["y"])
    both = 0
    n = 0
    for _, g in bf.groupby("iso3"):
        if len(g) >= 2:
            n += 1
            both += int(g["x"].iloc[-1] > g["x"].iloc[0] and g["y"].iloc[-1] > g["y"].iloc[0])
    name = lower_first(short(indicator))
    rho_txt = text.num(rho, 2) if np.isfinite(rho) else "n/a"
    robust = ""
    if last_year != year:
        robust = (f" In {last_year}, the latest year, with {len(cl)} members, it is "
                  f"{text.num(rho_last, 2) if np.isfinite(rho_last) else 'not computable (fewer than three members)'}.")
    return {
        "bridge_title": (f"{short(indicator)} and digitally deliverable exports per person: rank correlation "
                         f"{rho_txt} in {year}" + (f", {text.num(rho_last, 2)} in {last_year}"
                                                   if last_year != year and np.isfinite(rho_last) else "")),
        "bridge_sentence": (
            f"Across the {len(cs)} members with both series in {year}, the latest year with the widest coverage, the "
            f"rank correlation between {name} and digitally deliverable exports per person is {rho_txt}.{robust} "
            f"Over time, {both} of {n} members raised both. This is association, not cause: richer economies have "
            "more of both. The RCEP pathways chapter estimates the relation with controls."),
    }


def bridge_chart(bf: pd.DataFrame, indicator: str, focus: str | None) -> alt.LayerChart:
    log_x = use_log(bf["x"], indicator)
    unit = indicator_unit(indicator)
    d = charts.with_runs(bf.assign(is_focus=np.where(bf["iso3"] == focus, "yes", "no")), ["economy"])
    order = sorted(d["economy"].unique())
    x = alt.X("x:Q", title=f"{short(indicator)}, {unit}" + (" (log scale)" if log_x else ""),
              scale=alt.Scale(type="log") if log_x else alt.Scale(zero=False))
    y = alt.Y("y:Q", title="Digitally deliverable exports per person, US$ (log scale)", scale=alt.Scale(type="log"))
    tip = [alt.Tooltip("economy:N", title="Economy"), alt.Tooltip("year:Q", title="Year", format="d"),
           alt.Tooltip("x:Q", title=unit, format=",.1f"), alt.Tooltip("y:Q", title="US$ per person", format=",.0f")]
    color = alt.Color("economy:N", title=None, sort=order, scale=economy_scale(order, focus),
                      legend=alt.Legend(columns=5))
    path = alt.Chart(d).mark_line(point=alt.OverlayMarkDef(size=14)).encode(
        x=x, y=y, order="year:Q", color=color, detail="run:N",
        strokeWidth=alt.condition(alt.datum.is_focus == "yes", alt.value(3), alt.value(1.3)), tooltip=tip)
    last = d.sort_values("year").groupby("iso3").tail(1)
    lab = alt.Chart(last).mark_text(align="left", dx=5, fontSize=10).encode(x=x, y=y, text="iso3:N", color=color)
    return alt.layer(path, lab).properties(width=600, height=380)


# --------------------------------------------------------------------------- claim checks


def _ccp() -> pd.DataFrame:
    return ds.load_table("china_computing_power")


def last_digit_unit(value: float) -> float:
    """Unit of the last significant digit of a stated figure: 780000 -> 10000; 788 -> 1; 2.5 -> 0.1."""
    v = float(value)
    if v == 0:
        raise ValueError("zero has no last significant digit")
    s = f"{v:.10g}"
    if "e" in s:
        mant, exp = s.split("e")
        decimals = len(mant.split(".")[1]) if "." in mant else 0
        return 10.0 ** (int(exp) - decimals)
    if "." in s:
        return 10.0 ** -len(s.split(".")[1])
    digits = s.lstrip("-")
    return 10.0 ** (len(digits) - len(digits.rstrip("0")))


@claims.register("S000-078")
def check_intelligent_computing(row: pd.Series) -> claims.Result:
    """The seed's figure against the one independent statement on intelligent computing in data/, judged by
    the one rule (the rounding of the seed's figure); the method says how weak the comparison is."""
    c = _ccp()
    ic = c[c["metric"].str.lower().str.contains("intelligent")]
    if ic.empty:
        return claims.unverifiable(row, "no statement on intelligent computing capacity in data/")
    r = ic.iloc[-1]
    indep = to_eflops(r["value"], r["unit"])
    stated = float(row["value"])
    diff = 100 * (indep / stated - 1)
    d_ind, _ = period_date(str(r["reference_period"]))
    d_claim, _ = period_date(_claim_month(str(row["year"])))
    gap = ""
    if d_ind and d_claim:
        months = (int(d_ind[:4]) - int(d_claim[:4])) * 12 + int(d_ind[5:]) - int(d_claim[5:])
        gap = f"a reference date {abs(months)} month{'s' if abs(months) != 1 else ''} " + \
            ("later" if months > 0 else "earlier") + ", "
    digits = f"{float(r['value']):.10g}".rstrip("0").replace(".", "").lstrip("-0")
    unit = last_digit_unit(r["value"]) * to_eflops(1.0, r["unit"])
    inside = abs(stated - indep) <= unit / 2
    method = (f"independent statement: {r['reporting_body']}, {r['reference_period']}: "
              f"{text.num(float(r['value']), 0)} {r['unit']} = {text.num(indep, 0)} EFLOPS "
              f"({text.pct(diff, 1, sign=True)} against the claim). How sure: low — a different body (the seed cites "
              f"CAICT), {gap}no precision (FP16) stated, and the figure is given to {len(digits)} significant "
              f"figures. Even read as rounded to the nearest {text.num(unit, 0)} EFLOPS (±{text.num(unit / 2, 0)}), "
              f"it would {'contain' if inside else 'not contain'} the claim")
    return claims.compare(row, indep, method=method, source=CCP_SRC)


claims.not_checkable(
    "the national hub nodes and their share of intelligent computing are not in any table in data/ (the only "
    "statement on intelligent computing is a national total)", "S000-079", "S000-080")
claims.not_checkable(
    "the index comes from the study the seed cites [10]; no table in data/ has it. Its internal consistency with the "
    "stated growth is checked under S000-082", "S000-081")


@claims.register("S000-082")
def check_dtdi_growth(row: pd.Series) -> claims.Result:
    return claims.change_from_claims(row, "S000-081", "S000-081", last_end=True)


claims.not_checkable(
    "the sample countries of the cited study are not listed and their index values are not in data/", "S000-083")
claims.not_checkable(
    "no table in data/ measures the size of China's digital economy (a CAICT estimate in yuan)", "S000-053")
claims.not_checkable(
    "no table in data/ measures the size of China's digital economy, in 2012 or any year", "S000-054")
claims.not_checkable("no table in data/ counts 5G base stations", "S000-055")
claims.not_checkable("no table in data/ counts mobile payment users", "S000-056")
claims.not_checkable("no table in data/ ranks economies by the size of their digital economy", "S002-006")
claims.not_checkable("no table in data/ measures the digital economy's share of GDP", "S003-001")


# --------------------------------------------------------------------------- page sections

def glue_sentences(page, values: dict[str, str | list[str]]) -> None:
    """Glue computed sentences as markdown (inline strings, bullet lists); the divide verdict also as
    text for the introduction."""
    page.glue_sentences(values, plain=("divide_verdict",))


def focus_of(economies: Sequence[str]) -> str | None:
    return "CHN" if "CHN" in economies else None


def page_findings(panel: pd.DataFrame, economies: Sequence[str], indicators: Sequence[str], start_year: int,
                  end_year: int) -> dict[str, str]:
    """Every sentence the page glues (the same keys for any parameters)."""
    names = [ds.display_name(e) for e in economies]
    out = {"economies": (f"the {len(names)} RCEP members" if len(names) == len(ds.country_groups()["rcep"])
                         else text.listing(names)),
           "window": _span(start_year, end_year)}
    dvs = [divide(panel, code) for code in indicators]
    out["divide_sentences"] = " ".join(divide_sentence(dv) for dv in dvs)
    out["divide_list"] = [divide_sentence(dv) for dv in dvs]
    trends = [dv["trend"] for dv in dvs if dv["trend"] != "not measurable"]
    out["divide_title"] = (
        "The digital divide across the members: " + "; ".join(
            f"{lower_first(short(dv['indicator']))} {dv['trend']}" for dv in dvs if dv["trend"] != "not measurable")
        if trends else "The digital divide cannot be measured on a balanced panel in this window")
    out["divide_verdict"] = (
        f"The divide narrowed for {sum(t == 'narrowed' for t in trends)} of the {len(trends)} indicators that can be "
        "measured on a balanced panel." if trends else "No indicator can be measured on a balanced panel here.")
    latest = panel.dropna(subset=["value"])
    out["coverage_sentence"] = _coverage_sentence(latest, indicators, economies)
    return out


def _coverage_sentence(panel: pd.DataFrame, indicators: Sequence[str], economies: Sequence[str]) -> str:
    parts = []
    for code in indicators:
        d = panel[panel["indicator"] == code]
        if d.empty:
            parts.append(f"{lower_first(short(code))} has no value in this window")
            continue
        ly = int(d["year"].max())
        have = set(d.loc[d["year"] == ly, "iso3"])
        lacking = [ds.display_name(e) for e in economies if e not in have]
        if lacking:
            parts.append(f"{lower_first(short(code))} in {ly} lacks {text.listing(lacking)}")
    return ("Coverage of the latest year: " + "; ".join(parts) + "." if parts else
            "Every member shown has a value in the latest year of each indicator.")


def show_latest(page, panel: pd.DataFrame, indicators: Sequence[str]) -> None:
    t = latest_table(panel, indicators)
    page.table(t, name="latest-levels", caption="Latest value of each indicator (year in brackets)",
               source=WDI_SRC + "; units: " + "; ".join(f"{short(c)}: {indicator_unit(c)}" for c in indicators),
               sortable=True)


def show_levels(page, panel: pd.DataFrame, code: str, focus: str | None) -> None:
    d = panel[panel["indicator"] == code].dropna(subset=["value"])
    if d.empty:
        page.note(f"{short(code)}: no value for these members in this window.", kind="warning")
        return
    ly = int(d["year"].max())
    last = d[d["year"] == ly].sort_values("value", ascending=False)
    top, bottom = last.iloc[0], last.iloc[-1]
    log = use_log(d["value"], code)
    title = (f"{short(code)}: {top['economy']} highest ({text.num(float(top['value']), 1)}), {bottom['economy']} lowest "
             f"({text.num(float(bottom['value']), 1)}) in {ly}")
    alt_text = (f"Line chart of {lower_first(short(code))} ({indicator_unit(code)}) for {d['iso3'].nunique()} members, "
                f"{text.year_span(int(d['year'].min()), ly)}. {title}.")
    page.figure(levels_chart(panel, code, focus), name=f"levels-{code}", title=title,
                subtitle=f"{indicator_label(code)}; " + ("log scale (levels span orders of magnitude)"
                                                          if log else "linear scale"),
                source=f"{WDI_SRC}: {code}", alt=alt_text,
                data=d[["iso3", "economy", "year", "value"]].assign(indicator=code))


def show_divide(page, panel: pd.DataFrame, indicators: Sequence[str], findings: dict[str, str]) -> None:
    dvs = [divide(panel, code) for code in indicators]
    frame = divide_frame(dvs)
    if frame.empty:
        page.note(findings["divide_sentences"], kind="warning")
        return
    alt_text = ("Small line charts, one per indicator, of the coefficient of variation across members by year: solid "
                "for the balanced panel, dashed for all members with data that year. " + findings["divide_verdict"])
    page.figure(dispersion_chart(frame), name="digital-divide", title=findings["divide_title"],
                subtitle="Coefficient of variation across members (standard deviation / mean); each panel its own "
                "scale", source=WDI_SRC, alt=alt_text, data=frame)


def _span(a: int, b: int) -> str:
    return str(a) if a == b else text.year_span(a, b)


def _pct_short(x: float) -> str:
    """Whole per cent for titles, one decimal below one per cent (so 0.1 % does not print as 0 %)."""
    return text.pct(x, 0 if x >= 1 else 1)


def compute_findings(economies: Sequence[str], start_year: int, end_year: int) -> dict[str, str]:
    df, missing = top500_frame(economies, start_year, end_year)
    g = gpu_clusters(economies)
    m = ai_models(economies, start_year, end_year)
    out = {"top500_sentence": top500_sentence(df, missing)}
    world = float(g.loc[g["kind"] == "world", "h100e"].iloc[0])
    ranked = g[g["kind"] == "economy"].sort_values("h100e", ascending=False)
    usa = ranked[ranked["iso3"] == COMPARATOR].iloc[0]
    mem = ranked[ranked["iso3"] != COMPARATOR]
    top = mem.iloc[0] if len(mem) and mem["h100e"].iloc[0] > 0 else None
    sel = float(mem["h100e"].sum())
    out["gpu_sentence"] = (
        f"Epoch AI's existing GPU clusters add up to {text.num(world, 0)} H100 equivalents, of which the United "
        f"States hosts {text.pct(float(usa['share_pct']))}"
        + (f" and the members shown {text.pct(100 * sel / world)}; the largest among them is {top['economy']} "
           f"({text.pct(float(top['share_pct']))})." if top is not None else "; the members shown host none.")
        + " Clusters without an H100-equivalent estimate count as zero. Epoch compiles clusters from public "
        "reports, so coverage can be uneven across countries.")
    out["gpu_title"] = (f"The United States hosts {_pct_short(float(usa['share_pct']))} of the GPU-cluster compute "
                        f"Epoch AI records" + (f"; {top['economy']} {_pct_short(float(top['share_pct']))}"
                                               if top is not None else ""))
    ly = int(m["year"].max()) if not m.empty else end_year
    wm = m[(m["iso3"] == ds.WORLD)]
    last = m[m["year"] == ly]
    mem_m = last[~last["iso3"].isin([ds.WORLD, COMPARATOR])].sort_values("models", ascending=False)
    w_last = int(last.loc[last["iso3"] == ds.WORLD, "models"].sum())
    us_last = int(last.loc[last["iso3"] == COMPARATOR, "models"].sum())
    mem_txt = (f"; {mem_m.iloc[0]['economy']} led the members shown with {int(mem_m.iloc[0]['models'])}"
               if len(mem_m) and mem_m.iloc[0]["models"] > 0 else "; the members shown published none")
    out["models_sentence"] = (
        f"In {ly} Epoch AI lists {w_last} notable AI models; organisations in the United States are credited with "
        f"{us_last}{mem_txt}. A model developed across several countries counts once for each of them, so the "
        f"economies' counts can add up to more than the world's {int(wm['models'].sum())} models in "
        f"{_span(int(m['year'].min()), ly)}.")
    out["models_title"] = (f"Notable AI models in {ly}: {us_last} credited to the United States"
                           + (f", {int(mem_m.iloc[0]['models'])} to {mem_m.iloc[0]['economy']}"
                              if len(mem_m) and mem_m.iloc[0]["models"] > 0 else "") + f", of {w_last} in all")
    return out


def show_top500(page, economies: Sequence[str], start_year: int, end_year: int, focus: str | None,
                findings: dict[str, str]) -> None:
    df, missing = top500_frame(economies, start_year, end_year)
    if df.empty:
        page.note("No TOP500 list in this window.", kind="warning")
        return
    on = df[(df["status"] == "on the list") & (df["iso3"] != ds.WORLD)]
    last = on["list_date"].max()
    lead = on[on["list_date"] == last].sort_values("rmax_pflops", ascending=False).iloc[0]
    title = f"{lead['economy']} had the most TOP500 compute in {month_label(last)}"
    chn = on[on["iso3"] == "CHN"]
    if not chn.empty and chn["share_pct"].idxmax() != chn.index[-1]:
        peak = chn.loc[chn["share_pct"].idxmax()]
        title += (f"; China's share fell from {text.pct(float(peak['share_pct']), 0)} "
                  f"({month_label(peak['list_date'])}) to {text.pct(float(chn['share_pct'].iloc[-1]), 0)}")
    page.figure(top500_chart(df, missing, focus), name="top500", title=title,
                subtitle="Sum of Rmax of the systems on each TOP500 list, PFlop/s (log scale); shaded: lists not obtained",
                source=TOP500_SRC, alt="Line chart on a log scale of the summed Rmax of TOP500 systems by economy and "
                f"list, with the world total. {findings['top500_sentence']}",
                data=df[["list_date", "iso3", "economy", "rmax_pflops", "share_pct", "n_systems", "status"]])


def show_gpu(page, economies: Sequence[str], focus: str | None, findings: dict[str, str]) -> None:
    g = gpu_clusters(economies)
    page.figure(gpu_chart(g, focus), name="gpu-clusters", title=findings["gpu_title"],
                subtitle="Existing GPU clusters in Epoch AI's standard analysis, H100 equivalents (log scale); "
                "label: value (% of world)", source=EPOCH_GPU_SRC,
                alt="Bar chart on a log scale of H100 equivalents by economy, with the world total. "
                + findings["gpu_sentence"], data=g,
                note="Economies with no recorded cluster compute are not drawn (zero cannot be shown on a log scale).")


def show_models(page, economies: Sequence[str], start_year: int, end_year: int, focus: str | None,
                findings: dict[str, str]) -> None:
    m = ai_models(economies, start_year, end_year)
    if m.empty:
        page.note("No notable AI model in this window.", kind="warning")
        return
    page.figure(models_chart(m, focus), name="ai-models", title=findings["models_title"],
                subtitle="Notable AI models published per year, by country of the developing organisation",
                source=EPOCH_MODELS_SRC, alt="Line chart of notable AI models per year for the world, the United "
                "States and the members with any model. " + findings["models_sentence"], data=m)


def statements_findings() -> dict[str, str]:
    st = china_statements()
    r = claims.check("S000-078")
    row = claims.claim("S000-078")
    total = st[st["kind"] == "total / infrastructure computing"]
    first, last = total.iloc[0], total.iloc[-1]
    return {
        "ccp_sentence": (
            f"The official statements in the data measure different things. 'Total computing power' went from "
            f"{text.num(first['eflops'], 0)} EFLOPS ({month_label(first['date'])}) to {text.num(last['eflops'], 0)} "
            f"EFLOPS ({month_label(last['date'])}); these totals follow another definition and are not comparable "
            "with the seed's intelligent computing capacity, stated at FP16 precision. The one statement on "
            f"intelligent computing, {text.num(r.computed, 0)} EFLOPS (converted from PFlops) reported by the "
            f"National Data Administration, is {text.pct(100 * (r.computed / r.stated - 1), 1, sign=True)} against "
            f"the seed's {text.num(r.stated, 0)} EFLOPS for {month_label(str(row['year']))}: {r.status} within the "
            "precision of the coarser figure, but a weak check — another body, another date, and the precision is "
            "not stated."),
        "dtdi_sentence": (
            f"The seed's digital technology development index rises from {text.num(claims.stated('S000-081'), 3)} to "
            f"{text.num(claims.stated('S000-081', end=True), 3)}; that is "
            f"{text.pct(claims.check('S000-082').computed, 1, sign=True)}, so the stated growth of "
            f"{text.num(claims.stated('S000-082'), 0)} % is {claims.check('S000-082').status} with the stated levels. "
            "The index itself, and the sample average it is compared with, come from the cited study and cannot be "
            "checked here."),
    }


def show_statements(page) -> None:
    st = china_statements()
    row = claims.claim("S000-078")
    date, _ = period_date(_claim_month(str(row["year"])))
    r = claims.check("S000-078")
    page.figure(statements_chart(st, r.stated, date or str(row["year"])), name="china-computing-statements",
                title=statements_title(st), subtitle="EFLOPS as stated (PFlops converted); points are separate statements, "
                "not a series", source=CCP_SRC + "; the seed (data/claims.csv)",
                alt="Scatter of China's reported computing power in EFLOPS by reference date, marked by measure "
                "(total or infrastructure computing, intelligent computing, target) with the seed's figure. "
                + statements_findings()["ccp_sentence"],
                data=st[["date", "eflops", "kind", "metric", "reference_period", "reporting_body"]])


def statements_title(st: pd.DataFrame) -> str:
    n = int((st["kind"] == "intelligent computing").sum())
    return (f"China's official computing-power figures use different measures: {n} of {len(st)} statements measure "
            "intelligent computing, the seed's concept")


def _claim_month(year: str) -> str:
    """Claim years like '2025-06' -> 'June 2025' for :func:`period_date`."""
    m = re.match(r"^(\d{4})-(\d{2})$", year)
    if m:
        month = list(MONTHS)[int(m.group(2)) - 1]
        return f"{month} {m.group(1)}"
    return year


def show_innovation(page, panel: pd.DataFrame, focus: str | None, sentence: str) -> None:
    d = panel.dropna(subset=["value"])
    if d.empty:
        page.note("No R&D or high-technology export data for these members in this window.", kind="warning")
        return
    page.figure(innovation_chart(panel, focus), name="innovation", title=innovation_title(panel),
                subtitle=f"Left: R&D expenditure, % of GDP (old vintage, ends {_last_year('GB.XPD.RSDV.GD.ZS')}); "
                "right: high-technology exports, % of manufactured exports", source=f"{WDI_SRC}: GB.XPD.RSDV.GD.ZS, TX.VAL.TECH.MF.ZS",
                alt="Two line charts by member: R&D expenditure as % of GDP and high-technology exports as % of "
                "manufactured exports. " + sentence, data=d)


def _last_year(code: str) -> int:
    return int(_wdi_cached((code,))["year"].max())


def innovation_title(panel: pd.DataFrame) -> str:
    parts = []
    for code in INNOVATION:
        d = panel[panel["indicator"] == code].dropna(subset=["value"])
        if d.empty:
            continue
        ly = int(d["year"].max())
        top = d[d["year"] == ly].sort_values("value", ascending=False).iloc[0]
        parts.append(f"{top['economy']} leads {lower_first(short(code))} ({ly})")
    return "; ".join(parts) if parts else "Innovation inputs: no data"


def show_bridge(page, bf: pd.DataFrame, indicator: str, focus: str | None, findings: dict[str, str]) -> None:
    if bf.empty:
        page.note(findings["bridge_sentence"], kind="warning")
        return
    page.figure(bridge_chart(bf, indicator, focus), name="infrastructure-and-exports", title=findings["bridge_title"],
                subtitle=f"x: {indicator_label(indicator)}; y: UNCTAD digitally deliverable exports per person, US$ "
                "(log); one path per member over the years, labelled at its last year",
                source=f"{WDI_SRC}: {indicator}, SP.POP.TOTL; {UNCTAD_SRC}",
                alt="Scatter with one path per member linking its yearly points: digital infrastructure on the "
                "horizontal axis, digitally deliverable exports per person on the vertical axis. "
                + findings["bridge_sentence"], data=bf)


def show_claims(page, group: str) -> None:
    if group not in CLAIM_GROUPS:
        raise ValueError(f"claim group {group!r}; groups: {', '.join(CLAIM_GROUPS)}")
    claims.show(page, CLAIM_GROUPS[group], name=f"claims-{group.replace('_', '-')}", caption=CLAIM_CAPTIONS[group])


__all__ = [n for n in dir() if not n.startswith("_")]
