"""RCEP pathways, step 1: the country-year panel and the model specifications (pure, no page).

The main study (seed 000) claims that digital service exports of RCEP members are associated with economic
scale and institutional openness rather than with digital infrastructure and ICT service exports. The panel
built here holds every series the tests need, for the requested members and years; nothing is filled or
interpolated, and a missing value stays missing (the coverage functions say which series is missing).

Outcome measures (``dds_measure``), all current US$:

* ``wto_delivered`` — WTO digitally **delivered** services exports (Mode 1): the concept the study names,
  for all 15 members, 2005–2024 (``data/wto_dds_exports.csv``);
* ``unctad_deliverable`` — UNCTAD digitally **deliverable** services exports (all modes), 2010–2023 with
  gaps (``data/unctad_dds.csv``);
* ``wdi_composition`` — a proxy: WDI service exports × (computer, communications & other + insurance &
  financial share of commercial service exports) / 100.

Each has a non-ICT variant (the measure minus WDI ICT service exports), so that the ICT coefficient is not an
accounting identity; non-positive differences are dropped and listed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from helpers.data import datastore as ds

REGRESSORS = ("log_gdp", "openness", "infrastructure", "log_ict")
OUTCOMES = ("wto_delivered", "unctad_deliverable", "wdi_composition")
DEPENDENTS = ("dds_exports", "dds_exports_non_ict")
FIXED_EFFECTS = ("none", "country", "twoway")
# How the regressors enter: as observed in the same year (the main form), all lagged one year, or with GDP
# net of service exports (GDP contains exports, so part of the outcome sits on both sides).
FORMS = ("same_year", "lagged", "gdp_net")
LOG_INFRA = ("IT.NET.SECR.P6",)  # per million people, spans four orders of magnitude: enters in logs
WDI_SERIES = {
    "nfsv": "BX.GSR.NFSV.CD",
    "cmcp": "BX.GSR.CMCP.ZS",
    "insf": "BX.GSR.INSF.ZS",
    "ccis": "BX.GSR.CCIS.CD",
    "gdp": "NY.GDP.MKTP.CD",
}
# the raw series behind each outcome measure (panel columns)
OUTCOME_SERIES = {
    "wto_delivered": ("wto",),
    "unctad_deliverable": ("unctad",),
    "wdi_composition": ("nfsv", "cmcp", "insf"),
}
MIN_CLUSTERS = 6  # members with data in a specification: fewer and country-clustered inference is not credible
MIN_YEARS = 6


class PanelDataError(ValueError):
    """The data left after dropping gaps cannot support the model; the message names the parameter to change."""


# --------------------------------------------------------------------------- measures (metadata from data/)


def openness_meta(measure: str) -> dict:
    """Name, scale, what it measures and its vintage, for an openness measure (openness table or WGI)."""
    om = ds.load_table("openness_measures").set_index("measure")
    if measure in om.index:
        r = om.loc[measure]
        return {
            "measure": measure,
            "name": str(r["name"]),
            "lo": float(r["scale_min"]),
            "hi": float(r["scale_max"]),
            "description": str(r["description"]),
            "vintage": str(r["vintage"]),
            "source": str(r["source"]),
            "table": "openness",
        }
    meta = ds.indicator_meta()
    if measure in meta.index:
        r = meta.loc[measure]
        return {
            "measure": measure,
            "name": str(r["name"]),
            "lo": float(r["min_value"]),
            "hi": float(r["max_value"]),
            "description": str(r["name"]),
            "vintage": "WDI (WGI)",
            "source": "World Bank WGI",
            "table": "wdi",
        }
    raise ds.DataRequestError(f"openness measure {measure!r} is neither in data/openness_measures.csv nor a WDI code")


def infra_meta(code: str) -> dict:
    r = ds.indicator_meta(code)
    hi = float(r["max_value"]) if pd.notna(r["max_value"]) else math.inf
    return {
        "code": code,
        "name": str(r["name"]),
        "unit": str(r["unit"]),
        "lo": float(r["min_value"]),
        "hi": hi,
        "log": code in LOG_INFRA,
    }


def infra_transform(code: str, values) -> np.ndarray:
    """The regressor built from an infrastructure level (log for secure servers, level otherwise)."""
    v = np.asarray(values, dtype=float)
    if code in LOG_INFRA:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(v > 0, np.log(np.where(v > 0, v, 1.0)), np.nan)
    return v


# --------------------------------------------------------------------------- panel


def load_inputs() -> dict[str, pd.DataFrame]:
    """The curated tables the chapter reads (validated by the data layer)."""
    return {
        "wdi": ds.load_table("wdi"),
        "openness": ds.load_table("openness"),
        "wto": ds.load_table("wto_dds_exports"),
        "unctad": ds.load_unctad_dds("exports"),
        "unctad_imports": ds.load_unctad_dds("imports"),
        "countries": ds.countries(),
    }


def _safe_log(s: pd.Series) -> pd.Series:
    s = s.astype("float64")
    return np.log(s.where(s > 0))


def assemble_panel(
    inputs: Mapping[str, pd.DataFrame],
    *,
    countries: Sequence[str],
    start_year: int,
    end_year: int,
    openness_measures: Sequence[str],
    infrastructure_measure: str,
) -> pd.DataFrame:
    """One row per country-year of ``start_year``-``end_year`` (gaps kept as NaN): raw series, the three
    outcome measures and their non-ICT parts, logs, the regressors and their one-year lags (the year before
    ``start_year`` is read for the lags only)."""
    countries = list(countries)
    grid = pd.MultiIndex.from_product([countries, range(start_year - 1, end_year + 1)], names=["iso3", "year"])
    wdi = inputs["wdi"]
    wdi = wdi[wdi["iso3"].isin(countries)]
    gov = [m for m in openness_measures if m in set(wdi["indicator"])]
    wide = (
        wdi[wdi["indicator"].isin([*WDI_SERIES.values(), infrastructure_measure, *gov])]
        .assign(year=lambda d: d["year"].astype(int))
        .pivot_table(index=["iso3", "year"], columns="indicator", values="value", aggfunc="first")
        .reindex(grid)
    )
    out = pd.DataFrame(index=grid)
    for key, code in WDI_SERIES.items():
        out[key] = wide[code] if code in wide.columns else np.nan
    out["infra_level"] = wide[infrastructure_measure] if infrastructure_measure in wide.columns else np.nan

    def by_country_year(df: pd.DataFrame, col: str) -> pd.Series:
        df = df[df["iso3"].isin(countries)].assign(year=lambda d: d["year"].astype(int))
        return df.set_index(["iso3", "year"])[col].reindex(grid)

    out["wto"] = by_country_year(inputs["wto"], "value_usd_mn") * 1e6
    out["unctad"] = by_country_year(inputs["unctad"], "value_usd_mn") * 1e6
    op = inputs["openness"]
    for m in openness_measures:
        out[f"open__{m}"] = wide[m] if m in gov else by_country_year(op[op["measure"] == m], "value")
    out["dds_wto_delivered"] = out["wto"]
    out["dds_unctad_deliverable"] = out["unctad"]
    out["dds_wdi_composition"] = out["nfsv"] * (out["cmcp"] + out["insf"]) / 100
    for m in OUTCOMES:
        out[f"nonict_{m}"] = out[f"dds_{m}"] - out["ccis"]
        out[f"y_dds_exports_{m}"] = _safe_log(out[f"dds_{m}"])
        out[f"y_dds_exports_non_ict_{m}"] = _safe_log(out[f"nonict_{m}"])
    out["log_gdp"] = _safe_log(out["gdp"])
    out["log_gdp_net"] = _safe_log(out["gdp"] - out["nfsv"])
    out["log_ict"] = _safe_log(out["ccis"])
    out["infrastructure"] = infra_transform(infrastructure_measure, out["infra_level"])
    lagged = ["log_gdp", "infrastructure", "log_ict", *[f"open__{m}" for m in openness_measures]]
    prev = out[lagged].groupby(level="iso3").shift(1)  # the grid has every year, so shift(1) is the year before
    for c in lagged:
        out[f"lag__{c}"] = prev[c]
    income = inputs["countries"]["income_group"]
    out = out.reset_index()
    out = out[out["year"] >= start_year].reset_index(drop=True)
    out["high_income"] = out["iso3"].map(lambda c: float(income.get(c) == "High income"))
    return out


# --------------------------------------------------------------------------- specifications


@dataclass(frozen=True)
class Spec:
    """One model: outcome measure, dependent variable (total or non-ICT part), openness measure,
    infrastructure measure, fixed effects and the form of the regressors."""

    outcome: str
    dependent: str
    openness: str
    infrastructure: str
    fe: str
    form: str = "same_year"

    @property
    def y(self) -> str:
        return f"y_{self.dependent}_{self.outcome}"

    def columns(self) -> dict[str, str]:
        """Panel column -> generic name used by the estimators."""
        lag = "lag__" if self.form == "lagged" else ""
        gdp = "log_gdp_net" if self.form == "gdp_net" else f"{lag}log_gdp"
        return {
            self.y: "y",
            gdp: "log_gdp",
            f"{lag}open__{self.openness}": "openness",
            f"{lag}infrastructure": "infrastructure",
            f"{lag}log_ict": "log_ict",
        }


def main_spec(p: Mapping) -> Spec:
    return Spec(
        p["dds_measure"], p["dependent"], p["openness_measure"], p["infrastructure_measure"], p["fixed_effects"]
    )


def non_ict(spec: Spec) -> Spec:
    """The same specification with the non-ICT part as dependent variable (where the ICT coefficient is read)."""
    return replace(spec, dependent="dds_exports_non_ict")


def openness_measures(p: Mapping) -> list[str]:
    """The main openness measure first, then the robustness ones (duplicates dropped)."""
    return list(dict.fromkeys([p["openness_measure"], *p["robustness_openness"]]))


def spec_frame(panel: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """Complete rows for a specification, with generic column names."""
    cols = spec.columns()
    f = panel[["iso3", "year", "high_income", *cols]].rename(columns=cols)
    return f.dropna(subset=["y", *REGRESSORS]).reset_index(drop=True)


def required_series(spec: Spec) -> list[tuple[str, str]]:
    """(panel column, series key) of every series a specification needs, in the order reasons are given.
    Keys: the outcome's raw series ("wto", "unctad", "nfsv", "cmcp", "insf"), "gdp", "nfsv" (for GDP net of
    service exports), "openness", "infrastructure", "ccis"; with lagged regressors the regressors' keys end
    in "@prev" (missing, or not positive for a logged series, in the year before)."""
    out = [(c, c) for c in OUTCOME_SERIES[spec.outcome]]
    if spec.dependent == "dds_exports_non_ict":
        out.append(("ccis", "ccis"))
    if spec.form == "lagged":
        out += [
            ("lag__log_gdp", "gdp@prev"),
            (f"lag__open__{spec.openness}", "openness@prev"),
            ("lag__infrastructure", "infrastructure@prev"),
            ("lag__log_ict", "ccis@prev"),
        ]
    else:
        out += [("gdp", "gdp")] + ([("nfsv", "nfsv")] if spec.form == "gdp_net" else [])
        out += [(f"open__{spec.openness}", "openness"), ("infra_level", "infrastructure"), ("ccis", "ccis")]
    return _unique(out)


def _unique(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen, out = set(), []
    for col, key in pairs:
        if col not in seen:
            seen.add(col)
            out.append((col, key))
    return out


def coverage(panel: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """Every country-year of the panel: in the sample of ``spec`` or not, and why not, as a tuple of codes:
    the missing series' keys (see :func:`required_series`), or "ict_not_positive", "outcome_not_positive",
    "non_ict_not_positive" (outcome ≤ ICT exports), "gdp_net_not_positive" (GDP ≤ service exports),
    "infrastructure_not_positive" (a logged infrastructure level of zero)."""
    cols = spec.columns()
    rows = []
    for rec in panel.to_dict("records"):
        missing = tuple(dict.fromkeys(key for col, key in required_series(spec) if pd.isna(rec[col])))
        if not missing:
            if not rec[f"dds_{spec.outcome}"] > 0:
                missing = ("outcome_not_positive",)
            elif spec.dependent == "dds_exports_non_ict" and not rec[f"nonict_{spec.outcome}"] > 0:
                missing = ("non_ict_not_positive",)
            elif spec.form != "lagged" and not rec["ccis"] > 0:
                missing = ("ict_not_positive",)
            elif spec.form == "gdp_net" and not rec["gdp"] > rec["nfsv"]:
                missing = ("gdp_net_not_positive",)
            elif any(pd.isna(rec[c]) for c in cols):
                missing = ("infrastructure_not_positive",)
        rows.append({"iso3": rec["iso3"], "year": int(rec["year"]), "in_sample": not missing, "missing": missing})
    return pd.DataFrame(rows, columns=["iso3", "year", "in_sample", "missing"])


def non_positive_cases(panel: pd.DataFrame) -> pd.DataFrame:
    """Country-years where a non-ICT part is zero or negative (dropped from that dependent variable)."""
    rows = []
    for m in OUTCOMES:
        bad = panel[panel[f"nonict_{m}"] <= 0]
        rows += [
            {"outcome": m, "iso3": r["iso3"], "year": int(r["year"]), "dds": r[f"dds_{m}"], "ict": r["ccis"]}
            for r in bad.to_dict("records")
        ]
    return pd.DataFrame(rows, columns=["outcome", "iso3", "year", "dds", "ict"])


def check_sample(frame: pd.DataFrame, *, what: str) -> None:
    """Raise :class:`PanelDataError` when the main sample has too few members or years (data-dependent: the
    parameters were valid, the data left after dropping gaps are not enough)."""
    n_c, n_y = frame["iso3"].nunique(), frame["year"].nunique()
    if n_c < MIN_CLUSTERS:
        raise PanelDataError(
            f"parameter 'countries': {what} has complete data for only {n_c} members (at least {MIN_CLUSTERS} are "
            "needed for country-clustered inference); add members, or choose an 'openness_measure', "
            "'infrastructure_measure' or 'dds_measure' with fewer gaps"
        )
    if n_y < MIN_YEARS:
        raise PanelDataError(
            f"parameters 'start_year'/'end_year': {what} has complete data for only {n_y} years (at least "
            f"{MIN_YEARS} are needed); widen the years or choose a 'dds_measure' with a longer span"
        )


def sample_split_year(years: Sequence[int]) -> int:
    """First year of the late period: the sample's years split in two halves (the later half no shorter)."""
    ys = sorted({int(y) for y in years})
    if len(ys) < 2:
        raise PanelDataError("parameters 'start_year'/'end_year': the estimation sample has fewer than two years")
    return ys[len(ys) // 2]


# --------------------------------------------------------------------------- the outcome measures compared


def common_members(panel: pd.DataFrame, outcomes: Sequence[str] = OUTCOMES) -> tuple[list[str], list[int]]:
    """Members with every outcome measure in every year of a run of consecutive years, choosing the run
    that maximises members × years (ties: the later run); (members, years). Totals over them compare the
    measures on equal terms."""
    cols = [f"dds_{m}" for m in outcomes]
    ok = (panel[cols] > 0).all(axis=1)  # NaN compares False
    grid = ok.groupby([panel["iso3"], panel["year"]]).first().unstack("year", fill_value=False)
    if grid.empty:
        return [], []
    years = list(grid.columns)
    arr = grid.to_numpy(dtype=bool)
    best, best_size = ([], []), 0
    for i in range(len(years)):
        for j in range(i + 1, len(years)):
            members = arr[:, i : j + 1].all(axis=1)
            size = int(members.sum()) * (j - i + 1)
            if members.sum() and size >= best_size:
                best, best_size = (sorted(grid.index[members]), [int(y) for y in years[i : j + 1]]), size
    return best


def measure_totals(panel: pd.DataFrame, outcomes: Sequence[str] = OUTCOMES) -> pd.DataFrame:
    """Year totals (US$) of each outcome measure over the members of :func:`common_members`; long format
    (outcome, year, value, members). Empty when no two years share every measure."""
    members, years = common_members(panel, outcomes)
    if not members:
        return pd.DataFrame(columns=["outcome", "year", "value", "members"])
    sub = panel[panel["iso3"].isin(members) & panel["year"].isin(years)]
    rows = [
        {"outcome": m, "year": int(y), "value": float(g[f"dds_{m}"].sum()), "members": len(members)}
        for m in outcomes
        for y, g in sub.groupby("year")
    ]
    return pd.DataFrame(rows)


def _corr(a: pd.Series, b: pd.Series) -> float:
    """Pearson correlation; NaN when there are fewer than three pairs or a series does not vary."""
    if len(a) < 3 or a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def measure_agreement(panel: pd.DataFrame, main: str, outcomes: Sequence[str] = OUTCOMES) -> pd.DataFrame:
    """For each outcome measure against the main one, over the country-years where both exist: number of
    country-years and members, correlation of logs, correlation of annual log changes, median ratio to
    the main measure, and each measure's own coverage (members, first and last year)."""
    rows = []
    for m in outcomes:
        own = panel.dropna(subset=[f"dds_{m}"])
        own = own[own[f"dds_{m}"] > 0]
        row = {
            "outcome": m,
            "members": own["iso3"].nunique(),
            "country_years": len(own),
            "first_year": int(own["year"].min()) if len(own) else None,
            "last_year": int(own["year"].max()) if len(own) else None,
        }
        both = panel[(panel[f"dds_{m}"] > 0) & (panel[f"dds_{main}"] > 0)].sort_values(["iso3", "year"])
        la, lb = np.log(both[f"dds_{m}"]), np.log(both[f"dds_{main}"])
        d = both.assign(la=la, lb=lb)
        consecutive = d.groupby("iso3")["year"].diff() == 1
        da = d.groupby("iso3")["la"].diff()[consecutive]
        db = d.groupby("iso3")["lb"].diff()[consecutive]
        row.update(
            {
                "overlap": len(both),
                "r_level": _corr(la, lb),
                "r_change": _corr(da, db),
                "median_ratio": float((both[f"dds_{m}"] / both[f"dds_{main}"]).median()) if len(both) else float("nan"),
            }
        )
        rows.append(row)
    return pd.DataFrame(rows)
