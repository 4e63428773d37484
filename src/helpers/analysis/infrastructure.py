"""AI infrastructure as pure functions of the curated tables: no page, no sentences, no charts.

* **Digital divide** = dispersion of an indicator across members in a year: the coefficient of variation
  (population standard deviation / mean) and the ratio of the highest to the lowest value (undefined when
  the lowest is zero). It is measured on a **balanced panel** — the same members in every year — chosen as
  the largest block of members × consecutive years with no gap (ties: more members, then later years), so
  that a member entering or leaving the data cannot fake a trend. The dispersion of all members with data
  each year is computed next to it.
* **Computing capacity**: TOP500 Rmax (the list's benchmark, summed by country per list), Epoch AI's GPU
  clusters (H100 equivalents, Epoch's standard-analysis rows that exist), Epoch's notable AI models by
  developer country (a model credited to several countries counts once for each), and China's official
  statements (different definitions and dates; never joined into a series).
* **The bridge**: infrastructure against digitally deliverable exports per person, member by member.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from helpers.data import datastore as ds

COMPARATOR = "USA"  # drawn next to the members in the compute sections
MIN_BALANCED_MEMBERS = 3  # a divide needs at least this many members with values every year
CV_TOLERANCE = 0.005  # changes smaller than the two decimals the page shows count as no change
INNOVATION = ("GB.XPD.RSDV.GD.ZS", "TX.VAL.TECH.MF.ZS")
POPULATION = "SP.POP.TOTL"
FLOPS_TO_PFLOPS = {"GFlop/s": 1e-6, "TFlop/s": 1e-3}


def members(countries: Sequence[str]) -> list[str]:
    """The economies of the page: the parameter (validated before the kernel starts), or all RCEP members."""
    return list(countries) if countries else list(ds.country_groups()["rcep"])


@lru_cache(maxsize=32)
def _wdi_cached(codes: tuple[str, ...]) -> pd.DataFrame:
    return ds.load_wdi(list(codes))


def load_panel(codes: Sequence[str], economies: Sequence[str], start_year: int, end_year: int) -> pd.DataFrame:
    """Long WDI panel iso3, economy, year, indicator, value for the economies and window (gaps stay gaps)."""
    df = _wdi_cached(tuple(codes))
    df = df[df["iso3"].isin(list(economies)) & df["year"].between(start_year, end_year)].copy()
    df["economy"] = df["iso3"].map(ds.countries()["display_name"])
    return df.sort_values(["indicator", "iso3", "year"]).reset_index(drop=True)[
        ["iso3", "economy", "year", "indicator", "value"]
    ]


def last_year_of(code: str) -> int:
    """The last year any economy has a value of a WDI series (the vintage's end, whatever the window)."""
    return int(_wdi_cached((code,))["year"].max())


# --------------------------------------------------------------------------- levels


@dataclass(frozen=True)
class Extremes:
    """Highest and lowest members of one indicator in its latest year with data in the window."""

    indicator: str
    year: int
    reporting: int  # members with a value that year
    with_data: int  # members with any value in the window
    top: tuple[str, ...]  # iso3 of the highest (several on a tie)
    bottom: tuple[str, ...]
    top_value: float
    bottom_value: float


def latest_extremes(panel: pd.DataFrame, indicator: str, decimals: int = 1) -> Extremes | None:
    """Extremes in the latest year with any value; ties judged at the ``decimals`` the page prints.
    None when no member has a value in the window."""
    d = panel[panel["indicator"] == indicator].dropna(subset=["value"])
    if d.empty:
        return None
    year = int(d["year"].max())
    last = d[d["year"] == year]
    shown = last["value"].round(decimals)
    hi, lo = float(shown.max()), float(shown.min())
    return Extremes(
        indicator,
        year,
        int(last["iso3"].nunique()),
        int(d["iso3"].nunique()),
        tuple(sorted(last.loc[shown == hi, "iso3"])),
        tuple(sorted(last.loc[shown == lo, "iso3"])),
        float(last["value"].max()),
        float(last["value"].min()),
    )


def latest_values(panel: pd.DataFrame, indicators: Sequence[str]) -> pd.DataFrame:
    """Each member's latest value of each indicator in the window: iso3, economy, indicator, year, value."""
    d = panel[panel["indicator"].isin(list(indicators))].dropna(subset=["value"]).sort_values("year")
    return (
        d.groupby(["iso3", "indicator"])
        .tail(1)
        .sort_values(["indicator", "economy"])
        .reset_index(drop=True)[["iso3", "economy", "indicator", "year", "value"]]
    )


def lacking_latest(panel: pd.DataFrame, indicator: str, economies: Sequence[str]) -> tuple[int | None, list[str]]:
    """(latest year with any value, members without a value in that year); (None, all) without data."""
    d = panel[(panel["indicator"] == indicator)].dropna(subset=["value"])
    if d.empty:
        return None, list(economies)
    year = int(d["year"].max())
    have = set(d.loc[d["year"] == year, "iso3"])
    return year, [e for e in economies if e not in have]


# --------------------------------------------------------------------------- the digital divide


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
                best_block = (sorted(c for c, ok in zip(columns, complete) if ok), years[i : j + 1])
    return best_block


def dispersion(values: pd.DataFrame) -> pd.DataFrame:
    """Per year with at least two values: n, mean, sd (population), cv = sd/mean, max/min ratio (NaN if the
    minimum is not positive). ``values``: long frame with columns year, iso3, value."""
    rows = []
    for year, g in values.dropna(subset=["value"]).groupby("year"):
        v = g["value"].to_numpy(dtype=float)
        if len(v) < 2:  # one economy has no dispersion
            continue
        mean, sd = float(v.mean()), float(v.std(ddof=0))
        lo, hi = float(v.min()), float(v.max())
        rows.append(
            {
                "year": int(year),
                "n": int(len(v)),
                "mean": mean,
                "sd": sd,
                "cv": sd / mean if mean > 0 else np.nan,
                "max_min": hi / lo if lo > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["year", "n", "mean", "sd", "cv", "max_min"])


def trend_word(first: float, last: float) -> str:
    if not (np.isfinite(first) and np.isfinite(last)):
        return "not measurable"
    if last < first - CV_TOLERANCE:
        return "narrowed"
    if last > first + CV_TOLERANCE:
        return "widened"
    return "did not change"


@dataclass(frozen=True)
class Divide:
    """The divide of one indicator: balanced panel (members × years), its dispersion and trend, and the
    dispersion of all members with data each year. ``why_not`` says why no trend can be measured."""

    indicator: str
    members: tuple[str, ...]
    years: tuple[int, ...]
    balanced: pd.DataFrame
    all_members: pd.DataFrame
    excluded: tuple[str, ...]  # members with data left out of the balanced panel for gaps
    trend: str  # narrowed | widened | did not change | not measurable
    trend_all: str
    cv_first: float = float("nan")
    cv_last: float = float("nan")
    ratio_first: float = float("nan")
    ratio_last: float = float("nan")
    why_not: str = ""  # "data" | "members" | "years" | "gaps" when not measurable

    @property
    def measurable(self) -> bool:
        return self.trend != "not measurable"


def divide(panel: pd.DataFrame, indicator: str, selected: int) -> Divide:
    """Dispersion of one indicator across the ``selected`` members: balanced panel and all members with data."""
    d = panel[(panel["indicator"] == indicator)].dropna(subset=["value"])
    avail = d.pivot_table(index="year", columns="iso3", values="value", aggfunc="first").notna()
    mem, yrs = balanced_block(avail, min_members=MIN_BALANCED_MEMBERS)
    bal = dispersion(d[d["iso3"].isin(mem) & d["year"].isin(yrs)] if mem else d.iloc[0:0])
    allm = dispersion(d)
    trend_all = (
        trend_word(float(allm["cv"].iloc[0]), float(allm["cv"].iloc[-1])) if len(allm) >= 2 else "not measurable"
    )
    common = dict(
        indicator=indicator,
        members=tuple(mem),
        years=tuple(yrs),
        balanced=bal,
        all_members=allm,
        excluded=tuple(sorted(set(d["iso3"]) - set(mem))),
        trend_all=trend_all,
    )
    if len(bal) < 2:
        why = (
            "data"
            if d.empty
            else "members"
            if min(selected, d["iso3"].nunique()) < MIN_BALANCED_MEMBERS
            else "years"
            if d["year"].nunique() < 2
            else "gaps"
        )
        return Divide(**common, trend="not measurable", why_not=why)
    first, last = bal.iloc[0], bal.iloc[-1]
    return Divide(
        **common,
        trend=trend_word(float(first["cv"]), float(last["cv"])),
        cv_first=float(first["cv"]),
        cv_last=float(last["cv"]),
        ratio_first=float(first["max_min"]),
        ratio_last=float(last["max_min"]),
    )


# --------------------------------------------------------------------------- computing capacity: TOP500


def top500_calendar(first: str, last: str) -> list[str]:
    """Every June and November list between two list dates (YYYY-MM), inclusive."""
    return [
        f"{y}-{m}"
        for y in range(int(first[:4]), int(last[:4]) + 1)
        for m in ("06", "11")
        if first <= f"{y}-{m}" <= last
    ]


def top500_frame(economies: Sequence[str], start_year: int, end_year: int) -> tuple[pd.DataFrame, list[str]]:
    """Rmax (PFlop/s) and share by list for the economies, the USA and the World, on the full list calendar
    of the window: a list not obtained has no value (a gap); an economy absent from an obtained list has
    0 systems, share 0 and no Rmax. Economies never on a list of the window are left out.
    Returns (frame, lists of the window not obtained)."""
    t = ds.load_table("top500_country")
    t = t[t["list_date"].str[:4].astype(int).between(start_year, end_year)]
    cal = top500_calendar(f"{start_year}-06", f"{end_year}-11")
    obtained = set(t["list_date"])
    missing = [c for c in cal if c not in obtained]
    cols = ["list_date", "date", "iso3", "economy", "rmax_pflops", "share_pct", "n_systems", "status"]
    if t.empty:
        return pd.DataFrame(columns=cols), missing
    t = t.assign(rmax_pflops=t["rmax_sum"] * t["rmax_unit"].map(FLOPS_TO_PFLOPS)).set_index(["iso3", "list_date"])
    names = ds.countries()["display_name"]
    rows = []
    for code in dict.fromkeys([*economies, COMPARATOR, ds.WORLD]):
        for lst in cal:
            if lst not in obtained:
                status, rm, sh, n = "list not obtained", np.nan, np.nan, np.nan
            elif (code, lst) not in t.index:
                status, rm, sh, n = "no system on the list", np.nan, 0.0, 0
            else:
                r = t.loc[(code, lst)]
                status, rm, sh, n = (
                    "on the list",
                    float(r["rmax_pflops"]),
                    float(r["rmax_share_pct"]),
                    int(r["n_systems"]),
                )
            rows.append(
                {
                    "list_date": lst,
                    "date": f"{lst}-01",
                    "iso3": code,
                    "economy": names[code],
                    "rmax_pflops": rm,
                    "share_pct": sh,
                    "n_systems": n,
                    "status": status,
                }
            )
    df = pd.DataFrame(rows, columns=cols)
    seen = set(df.loc[df["status"] == "on the list", "iso3"])
    return df[df["iso3"].isin(seen)].reset_index(drop=True), missing


def list_runs(missing: Sequence[str]) -> list[list[str]]:
    """Runs of consecutive lists (June and November of the same or the next year) among ``missing``."""
    runs: list[list[str]] = []
    for m in missing:
        if runs and top500_calendar(runs[-1][-1], m)[1:2] == [m]:
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


@dataclass(frozen=True)
class ShareHistory:
    """One economy's share of the list's Rmax over the obtained lists of the window."""

    iso3: str
    peak: float
    peak_list: str
    last: float
    last_list: str
    n_systems_last: int


def share_history(df: pd.DataFrame, iso3: str) -> ShareHistory | None:
    """Peak and last share (0 on lists where it had no system); None if never on a list of the window."""
    d = df[(df["iso3"] == iso3) & (df["status"] != "list not obtained")].sort_values("list_date")
    if d.empty or not (d["status"] == "on the list").any():
        return None
    peak = d.loc[d["share_pct"].idxmax()]
    last = d.iloc[-1]
    return ShareHistory(
        iso3,
        float(peak["share_pct"]),
        str(peak["list_date"]),
        float(last["share_pct"]),
        str(last["list_date"]),
        int(last["n_systems"]),
    )


# --------------------------------------------------------------------------- computing capacity: Epoch AI


def gpu_clusters(economies: Sequence[str]) -> pd.DataFrame:
    """H100 equivalents of existing GPU clusters in Epoch's standard analysis, by economy, with the USA,
    clusters whose country is not given, and the world total (``kind``: economy, other, world)."""
    g = ds.load_table("epoch_gpu_clusters")
    g = g[g["include_standard_analysis"].astype(bool) & (g["status"] == "Existing")]
    total = float(g["h100_equivalents"].sum())
    names = ds.countries()["display_name"]
    rows = []
    for code in dict.fromkeys([*economies, COMPARATOR]):
        s = g[g["iso3"] == code]
        rows.append(
            {
                "iso3": code,
                "economy": names[code],
                "h100e": float(s["h100_equivalents"].sum()),
                "clusters": int(len(s)),
                "kind": "economy",
            }
        )
    unknown = g[g["country"].isna()]
    rows.append(
        {
            "iso3": "",
            "economy": "Country not given",
            "h100e": float(unknown["h100_equivalents"].sum()),
            "clusters": int(len(unknown)),
            "kind": "other",
        }
    )
    rows.append(
        {"iso3": ds.WORLD, "economy": names[ds.WORLD], "h100e": total, "clusters": int(len(g)), "kind": "world"}
    )
    df = pd.DataFrame(rows)
    df["share_pct"] = 100 * df["h100e"] / total if total > 0 else np.nan
    return df


def ai_models(economies: Sequence[str], start_year: int, end_year: int) -> pd.DataFrame:
    """Notable AI models per year: each selected economy with any model in the window, the USA, and the World
    (each model once)."""
    m = ds.load_table("epoch_ai_models")
    m = m[m["year"].between(start_year, end_year)]
    names = ds.countries()["display_name"]
    years = range(start_year, end_year + 1)
    rows = []
    for code in dict.fromkeys([*economies, COMPARATOR]):
        s = m[m["iso3"] == code]
        if s.empty:
            continue
        c = s.groupby("year")["model"].nunique()
        rows += [{"year": y, "economy": names[code], "iso3": code, "models": int(c.get(y, 0))} for y in years]
    w = m.drop_duplicates(["model", "publication_date"]).groupby("year")["model"].size()
    rows += [{"year": y, "economy": names[ds.WORLD], "iso3": ds.WORLD, "models": int(w.get(y, 0))} for y in years]
    return pd.DataFrame(rows, columns=["year", "economy", "iso3", "models"])


# --------------------------------------------------------------------------- China's official statements


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def period_date(period: str) -> tuple[str | None, bool]:
    """Approximate reference date (YYYY-MM) of a stated period, and whether it is a target.

    'end of June 2022' -> '2022-06'; 'end of 2023' -> '2023-12'; 'mid-2023 (...)' -> '2023-06';
    'target for 2025' -> ('2025-12', True); '2025-06' -> '2025-06'; no year -> (None, False).
    The first year mentioned counts."""
    p = period.lower().strip()
    if re.fullmatch(r"\d{4}-\d{2}", p):
        return p, False
    years = re.findall(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)", p)
    if not years:
        return None, False
    year = years[0]
    head = p[: p.find(year)].rstrip()
    month = None
    m = re.search(r"([a-z]+)\.?$", head)
    if m:
        month = next((i for i, word in enumerate(MONTHS, start=1) if m.group(1).startswith(word)), None)
    if month is None:
        month = 6 if re.search(r"\bmid\W*$", head) else 12
    return f"{year}-{month:02d}", "target" in p


def months_between(a: str, b: str) -> int:
    """Months from date a to date b (YYYY-MM)."""
    return (int(b[:4]) - int(a[:4])) * 12 + int(b[5:7]) - int(a[5:7])


def to_eflops(value: float, unit: str) -> float:
    """Convert a computing-power figure to EFLOPS (PFlops / 1,000); other units are refused."""
    u = unit.strip().lower()
    if u == "eflops":
        return float(value)
    if u == "pflops":
        return float(value) / 1e3
    raise ValueError(f"unit {unit!r} is not a computing-power unit (EFLOPS or PFlops)")


def statement_kind(metric: str, target: bool) -> str:
    if target:
        return "target"
    return "intelligent computing" if "intelligent" in metric.lower() else "total / infrastructure computing"


def china_statements() -> pd.DataFrame:
    """China's computing-power statements in EFLOPS with approximate dates, and as stated (``value``, ``unit``);
    world totals and shares left out."""
    c = ds.load_table("china_computing_power")
    c = c[c["unit"].str.lower().isin(["eflops", "pflops"]) & ~c["metric"].str.lower().str.startswith("world")]
    rows = []
    for r in c.itertuples():
        date, target = period_date(r.reference_period)
        rows.append(
            {
                "row_id": int(r.row_id),
                "date": date,
                "eflops": to_eflops(r.value, r.unit),
                "kind": statement_kind(str(r.metric), target),
                "metric": str(r.metric),
                "reference_period": r.reference_period,
                "reporting_body": r.reporting_body,
                "value": float(r.value),
                "unit": str(r.unit),
            }
        )
    return pd.DataFrame(rows).sort_values(["date", "row_id"]).reset_index(drop=True)


# --------------------------------------------------------------------------- innovation and the bridge


@dataclass(frozen=True)
class Leader:
    """The highest member of a series in its latest year with data in the window."""

    indicator: str
    year: int
    iso3: str
    value: float
    reporting: int  # members with a value in that year
    with_data: int  # members with any value in the window


def leaders(panel: pd.DataFrame, codes: Sequence[str]) -> list[Leader]:
    out = []
    for code in codes:
        d = panel[panel["indicator"] == code].dropna(subset=["value"])
        if d.empty:
            continue
        year = int(d["year"].max())
        last = d[d["year"] == year].sort_values(["value", "iso3"], ascending=[False, True])
        top = last.iloc[0]
        out.append(
            Leader(
                code, year, str(top["iso3"]), float(top["value"]), int(last["iso3"].nunique()), int(d["iso3"].nunique())
            )
        )
    return out


def bridge_frame(economies: Sequence[str], indicator: str, start_year: int, end_year: int) -> pd.DataFrame:
    """Member-years with the infrastructure indicator (x) and digitally deliverable exports per person (y, US$)."""
    infra = load_panel([indicator], economies, start_year, end_year)[["iso3", "economy", "year", "value"]]
    pop = load_panel([POPULATION], economies, start_year, end_year)[["iso3", "year", "value"]]
    u = ds.load_unctad_dds("exports")
    u = u[u["iso3"].isin(list(economies)) & u["year"].between(start_year, end_year)][["iso3", "year", "value_usd_mn"]]
    m = (
        infra.rename(columns={"value": "x"})
        .merge(pop.rename(columns={"value": "pop"}), on=["iso3", "year"])
        .merge(u, on=["iso3", "year"])
    )
    m["y"] = m["value_usd_mn"] * 1e6 / m["pop"].where(m["pop"] > 0)
    return (
        m.dropna(subset=["x", "y"])[["iso3", "economy", "year", "x", "y"]]
        .sort_values(["iso3", "year"])
        .reset_index(drop=True)
    )


def spearman(x: pd.Series, y: pd.Series) -> float:
    """Rank correlation (average ranks for ties); NaN with fewer than three pairs or a constant series."""
    if len(x) < 3 or x.nunique() < 2 or y.nunique() < 2:
        return float("nan")
    return float(np.corrcoef(x.rank(), y.rank())[0, 1])


@dataclass(frozen=True)
class Bridge:
    """Rank correlation of infrastructure and exports per person across members, and members raising both."""

    year: int  # the latest year with the widest coverage
    n: int
    rho: float
    last_year: int
    n_last: int
    rho_last: float
    raised_both: int  # members whose first and last year in the window show both higher
    with_two_years: int


def bridge_stats(bf: pd.DataFrame) -> Bridge | None:
    if bf.empty:
        return None
    counts = bf.groupby("year")["iso3"].nunique()
    year = int(counts[counts == counts.max()].index.max())
    last_year = int(bf["year"].max())
    cs, cl = bf[bf["year"] == year], bf[bf["year"] == last_year]
    both = n = 0
    for _, g in bf.groupby("iso3"):
        if len(g) >= 2:
            n += 1
            both += int(g["x"].iloc[-1] > g["x"].iloc[0] and g["y"].iloc[-1] > g["y"].iloc[0])
    return Bridge(year, len(cs), spearman(cs["x"], cs["y"]), last_year, len(cl), spearman(cl["x"], cl["y"]), both, n)
