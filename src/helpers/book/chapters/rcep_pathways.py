"""Chapter "RCEP pathways": what drives RCEP members' digital service exports?

The main study (seed 000: abstract, sections 3.2 and 4) claims that the drivers of digital service
exports across RCEP members have shifted *from* digital infrastructure and the scale of ICT service
exports *to* economic scale (GDP) and institutional openness, with marked regional heterogeneity. It
shows no data, model or table. This module tests those claims openly:

* :func:`assemble_panel` builds the country-year panel from the curated tables (nothing filled);
* :func:`analyse` estimates the models (:mod:`helpers.analysis.models`), applies the verdict rules stated in
  :data:`RULES`, runs the diagnostics, the scenarios and the strategy table;
* the ``show_*`` methods of :class:`Analysis` put each part on the page (figures, tables, glue);
* the claims of the chapter (``data/claims.csv``, chapter ``rcep_pathways``) are checked at the end.

Definitions (also stated on the page):

* **Digitally deliverable service exports (DDS)**, main definition ``wdi_composition``: WDI service
  exports (BX.GSR.NFSV.CD, BoP, current US$) × (computer, communications & other services share +
  insurance & financial services share, BX.GSR.CMCP.ZS + BX.GSR.INSF.ZS) / 100. The shares are of
  *commercial* service exports and are applied to *total* service exports (which also hold government
  services): an approximation. Robustness: ``unctad`` = UNCTAD's direct estimate (data/unctad_dds.csv).
* **Non-ICT part** = DDS − ICT service exports (BX.GSR.CCIS.CD): the dependent variable that keeps
  the ICT coefficient from being an accounting identity. Non-positive values are dropped and reported.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import altair as alt
import numpy as np
import pandas as pd

from helpers.book import charts
from helpers.claims import core as claims
from helpers.analysis import models
from helpers.data import datastore as ds
from helpers import text
from helpers.text import badge

# --------------------------------------------------------------------------- vocabulary

REGRESSORS = ("log_gdp", "openness", "infrastructure", "log_ict")
SHORT = {"log_gdp": "GDP", "openness": "Openness", "infrastructure": "Infrastructure", "log_ict": "ICT exports"}
LABELS = {
    "log_gdp": "log GDP (economic scale)",
    "openness": "institutional openness",
    "infrastructure": "digital infrastructure",
    "log_ict": "log ICT service exports",
}
TABLE_LABELS = {"log_gdp": "log GDP", "openness": "openness", "infrastructure": "infrastructure",
                "log_ict": "log ICT exports"}
DEPENDENTS = ("dds_exports", "dds_exports_non_ict")
DEPENDENT_LABELS = {"dds_exports": "log DDS exports", "dds_exports_non_ict": "log non-ICT DDS exports"}
DDS_MEASURES = ("wdi_composition", "unctad")
DDS_LABELS = {"wdi_composition": "WDI composition (services × CMCP+INSF share)",
              "unctad": "UNCTAD digitally deliverable"}
DDS_SHORT = {"wdi_composition": "WDI", "unctad": "UNCTAD"}
FE_LABELS = {"none": "Pooled OLS", "country": "Country FE", "twoway": "Two-way FE"}
# the other fixed-effects specification used as a robustness check of the main one
FE_ROBUST = {"twoway": "country", "country": "twoway", "none": "twoway"}
INFRA_MEASURES = ("IT.NET.USER.ZS", "IT.NET.BBND.P2", "IT.CEL.SETS.P2", "IT.NET.SECR.P6")
LOG_INFRA = ("IT.NET.SECR.P6",)  # per million people, spans four orders of magnitude: enters in logs
WDI_SERIES = {
    "nfsv": "BX.GSR.NFSV.CD", "cmcp": "BX.GSR.CMCP.ZS", "insf": "BX.GSR.INSF.ZS", "ccis": "BX.GSR.CCIS.CD",
    "gdp": "NY.GDP.MKTP.CD",
}
SERIES_LABELS = {
    "nfsv": "service exports (BX.GSR.NFSV.CD)",
    "cmcp": "computer, communications & other share (BX.GSR.CMCP.ZS)",
    "insf": "insurance & financial share (BX.GSR.INSF.ZS)",
    "unctad": "UNCTAD DDS exports",
    "ccis": "ICT service exports (BX.GSR.CCIS.CD)",
    "gdp": "GDP (NY.GDP.MKTP.CD)",
}
MIN_COUNTRIES = 6        # listed in `countries`
MIN_SAMPLE_COUNTRIES = 5  # actually in the estimation sample
MIN_YEARS = 6
# Disclosed on the page: the rules were revised once after the first estimates were seen.
RULE_HISTORY = (
    "The rules were written before the first estimates and revised once after seeing them, for consistency "
    "between the tests rather than to reach a verdict: the rolling-window route to (b) must also hold in the "
    "robustness specifications; a significant strengthening in one test makes (b) inconclusive; and the "
    "threshold of a negligible effect in (a) was restated as a standardised effect (it was first set in log "
    "points). The last change altered the default outcome: under the first version both parts of (a) were "
    "'not supported'; under the rule shown they are 'inconclusive'."
)
MEANINGFUL = 0.10        # standardised within effect (β·sd_x/sd_y): the conventional "small" effect
ALPHA_MAIN, ALPHA_ROBUST = 0.05, 0.10
SCENARIO_DRAWS = 2000
BOOT_WEIGHTS = "webb"
SOURCE_WDI = "World Bank, WDI (data/wdi.csv)"
SOURCE_UNCTAD = "UNCTAD via World Bank Data360 (data/unctad_dds.csv)"
SOURCE_OPEN = "KOF, Chinn-Ito, Fraser, Heritage (data/openness.csv); WGI in data/wdi.csv"


class PathwaysError(ValueError):
    """A parameter combination the chapter cannot honour; the message names the parameter."""


# --------------------------------------------------------------------------- parameters


def check_params(p: Mapping) -> None:
    """Cross-parameter checks that params.validate cannot do (raised before any estimation)."""
    countries = list(p["countries"]) or list(ds.RCEP)
    if len(countries) < MIN_COUNTRIES:
        raise PathwaysError(f"parameter 'countries': {len(countries)} members given; at least {MIN_COUNTRIES} are "
                            "needed for country-clustered inference (empty = all 15)")
    span = p["end_year"] - p["start_year"] + 1
    if span < MIN_YEARS:
        raise PathwaysError(f"parameters 'start_year'/'end_year': the sample {p['start_year']}-{p['end_year']} spans "
                            f"{span} years; at least {MIN_YEARS} are needed")
    if p["window"] >= span:
        raise PathwaysError(f"parameter 'window': {p['window']} years must be shorter than the sample "
                            f"{p['start_year']}-{p['end_year']} ({span} years) so that at least two windows exist")
    for name in ("gdp_growth", "openness_change", "infrastructure_change"):
        if set(p[name]) != {"low", "central", "high"}:
            raise PathwaysError(f"parameter '{name}': keys must be low, central, high")
    if any(v <= -100 for v in p["gdp_growth"].values()):
        raise PathwaysError("parameter 'gdp_growth': growth rates must be above -100 %")
    if p["infrastructure_measure"] not in INFRA_MEASURES:
        raise PathwaysError(f"parameter 'infrastructure_measure': one of {', '.join(INFRA_MEASURES)}")


# --------------------------------------------------------------------------- measures


def openness_meta(measure: str) -> dict:
    """Name, scale, what it measures and its vintage, for an openness measure (openness table or WGI)."""
    om = ds.load_table("openness_measures").set_index("measure")
    if measure in om.index:
        r = om.loc[measure]
        return {"measure": measure, "name": str(r["name"]), "lo": float(r["scale_min"]), "hi": float(r["scale_max"]),
                "description": str(r["description"]), "vintage": str(r["vintage"]), "source": str(r["source"]),
                "table": "openness"}
    meta = ds.indicator_meta()
    if measure in meta.index:
        r = meta.loc[measure]
        return {"measure": measure, "name": str(r["name"]), "lo": float(r["min_value"]), "hi": float(r["max_value"]),
                "description": f"{r['name']} ({r['unit']}). " + (str(r["note"]) if pd.notna(r["note"]) else ""),
                "vintage": "WDI (WGI)", "source": "World Bank WGI", "table": "wdi"}
    raise ds.DataRequestError(f"openness measure {measure!r} is neither in data/openness_measures.csv nor a WDI code")


def infra_meta(code: str) -> dict:
    r = ds.indicator_meta(code)
    hi = float(r["max_value"]) if pd.notna(r["max_value"]) else math.inf
    return {"code": code, "name": str(r["name"]), "unit": str(r["unit"]), "lo": float(r["min_value"]), "hi": hi,
            "log": code in LOG_INFRA}


def infra_transform(code: str, values):
    """The regressor built from an infrastructure level (log for secure servers, level otherwise)."""
    v = np.asarray(values, dtype=float)
    if code in LOG_INFRA:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(v > 0, np.log(np.where(v > 0, v, 1.0)), np.nan)
    return v


# --------------------------------------------------------------------------- panel


def load_inputs() -> dict[str, pd.DataFrame]:
    """The curated tables the chapter reads (validated by the data layer)."""
    return {"wdi": ds.load_table("wdi"), "openness": ds.load_table("openness"),
            "unctad": ds.load_unctad_dds("exports"), "unctad_imports": ds.load_unctad_dds("imports"),
            "countries": ds.countries()}


def _safe_log(s: pd.Series) -> pd.Series:
    s = s.astype("float64")
    return np.log(s.where(s > 0))


def assemble_panel(inputs: Mapping[str, pd.DataFrame], *, countries: Sequence[str], start_year: int, end_year: int,
                   openness_measures: Sequence[str], infrastructure_measure: str) -> pd.DataFrame:
    """One row per country-year of the requested grid (gaps kept as NaN): raw series, both DDS measures,
    their non-ICT parts, logs and the regressors. Nothing is interpolated or filled."""
    countries = list(countries)
    grid = pd.MultiIndex.from_product([countries, range(start_year, end_year + 1)], names=["iso3", "year"])
    wdi = inputs["wdi"]
    wdi = wdi[wdi["iso3"].isin(countries)]
    needed = list(WDI_SERIES.values()) + [infrastructure_measure]
    gov = [m for m in openness_measures if m in set(wdi["indicator"])]
    wide = (wdi[wdi["indicator"].isin(needed + gov)]
            .assign(year=lambda d: d["year"].astype(int))
            .pivot_table(index=["iso3", "year"], columns="indicator", values="value", aggfunc="first")
            .reindex(grid))
    out = pd.DataFrame(index=grid)
    for key, code in WDI_SERIES.items():
        out[key] = wide[code] if code in wide.columns else np.nan
    out["infra_level"] = wide[infrastructure_measure] if infrastructure_measure in wide.columns else np.nan
    un = inputs["unctad"]
    un = un[un["iso3"].isin(countries)].assign(year=lambda d: d["year"].astype(int)).set_index(["iso3", "year"])
    out["unctad"] = un["value_usd_mn"].reindex(grid) * 1e6
    op = inputs["openness"]
    op = op[op["iso3"].isin(countries)].assign(year=lambda d: d["year"].astype(int))
    for m in openness_measures:
        if m in gov:
            out[f"open__{m}"] = wide[m]
        else:
            sel = op[op["measure"] == m].set_index(["iso3", "year"])["value"]
            out[f"open__{m}"] = sel.reindex(grid)
    # dependent variables
    out["dds_wdi_composition"] = out["nfsv"] * (out["cmcp"] + out["insf"]) / 100
    out["dds_unctad"] = out["unctad"]
    for m in DDS_MEASURES:
        out[f"nonict_{m}"] = out[f"dds_{m}"] - out["ccis"]
        out[f"y_dds_exports_{m}"] = _safe_log(out[f"dds_{m}"])
        out[f"y_dds_exports_non_ict_{m}"] = _safe_log(out[f"nonict_{m}"])
    out["log_gdp"] = _safe_log(out["gdp"])
    out["log_ict"] = _safe_log(out["ccis"])
    out["infrastructure"] = infra_transform(infrastructure_measure, out["infra_level"])
    income = inputs["countries"]["income_group"]
    out = out.reset_index()
    out["high_income"] = out["iso3"].map(lambda c: float(income.get(c) == "High income"))
    return out


# --------------------------------------------------------------------------- specifications


@dataclass(frozen=True)
class Spec:
    key: str
    dependent: str
    dds_measure: str
    openness: str
    infrastructure: str
    fe: str
    label: str = ""

    @property
    def y(self) -> str:
        return f"y_{self.dependent}_{self.dds_measure}"

    def describe(self) -> str:
        return (f"{DEPENDENT_LABELS[self.dependent]} ({DDS_SHORT[self.dds_measure]}), openness: "
                f"{openness_meta(self.openness)['name']}, {FE_LABELS[self.fe]}")


def main_spec(p: Mapping) -> Spec:
    return Spec("main", p["dependent"], p["dds_measure"], p["openness_measure"], p["infrastructure_measure"],
                p["fixed_effects"], "Main")


def other_dependent(dep: str) -> str:
    return DEPENDENTS[1 - DEPENDENTS.index(dep)]


def robustness_specs(base: Spec, p: Mapping, *, include_dependent: bool = True) -> list[Spec]:
    """The checks a verdict must survive: the other dependent variable, the other DDS measure, each
    alternative openness measure, the other fixed-effects specification."""
    out = []
    if include_dependent:
        d = other_dependent(base.dependent)
        out.append(replace(base, key="r_dependent", dependent=d, label=f"{DEPENDENT_LABELS[d]}"))
    m = DDS_MEASURES[1 - DDS_MEASURES.index(base.dds_measure)]
    out.append(replace(base, key="r_dds", dds_measure=m, label=f"{DDS_SHORT[m]} measure"))
    for alt_m in p["robustness_openness"]:
        if alt_m != base.openness:
            out.append(replace(base, key=f"r_open_{alt_m}", openness=alt_m, label=f"openness: {alt_m}"))
    fe = FE_ROBUST[base.fe]
    out.append(replace(base, key="r_fe", fe=fe, label=FE_LABELS[fe]))
    return out


def spec_frame(panel: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """Complete rows for a specification, with generic column names."""
    cols = {spec.y: "y", "log_gdp": "log_gdp", f"open__{spec.openness}": "openness",
            "infrastructure": "infrastructure", "log_ict": "log_ict"}
    f = panel[["iso3", "year", "high_income", *cols]].rename(columns=cols)
    return f.dropna(subset=["y", *REGRESSORS]).reset_index(drop=True)


def required_series(spec: Spec) -> list[tuple[str, str]]:
    """(panel column, label) of every raw series a specification needs, in the order reasons are given."""
    if spec.dds_measure == "wdi_composition":
        dep = [("nfsv", SERIES_LABELS["nfsv"]), ("cmcp", SERIES_LABELS["cmcp"]), ("insf", SERIES_LABELS["insf"])]
    else:
        dep = [("unctad", SERIES_LABELS["unctad"])]
    return dep + [("gdp", SERIES_LABELS["gdp"]), (f"open__{spec.openness}", f"openness ({spec.openness})"),
                  ("infra_level", f"infrastructure ({spec.infrastructure})"), ("ccis", SERIES_LABELS["ccis"])]


def coverage(panel: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """Every country-year of the grid: in the sample, or why not (the missing series named)."""
    rows = []
    for rec in panel.to_dict("records"):
        reasons = [label for col, label in required_series(spec) if pd.isna(rec[col])]
        if not reasons:
            if not rec["ccis"] > 0:
                reasons.append("ICT service exports not positive (log undefined)")
            elif spec.dependent == "dds_exports_non_ict" and not rec[f"nonict_{spec.dds_measure}"] > 0:
                reasons.append("non-ICT part not positive (DDS ≤ ICT exports)")
            elif not rec[f"dds_{spec.dds_measure}"] > 0:
                reasons.append("DDS exports not positive")
        rows.append({"iso3": rec["iso3"], "year": int(rec["year"]), "in_sample": not reasons,
                     "reason": "; ".join(reasons) if reasons else "in sample"})
    return pd.DataFrame(rows)


def _ranges(years: Sequence[int]) -> str:
    years = sorted(years)
    if not years:
        return ""
    out, start, prev = [], years[0], years[0]
    for y in years[1:] + [None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        out.append(f"{start}" if start == prev else f"{start}–{prev}")
        if y is not None:
            start = prev = y
    return ", ".join(out)


def _name(iso: str) -> str:
    try:
        return ds.display_name(iso)
    except ds.DataRequestError:
        return iso


def coverage_summary(cov: pd.DataFrame) -> pd.DataFrame:
    """Per country: years in the sample and, for the others, the reason (consecutive years grouped)."""
    rows = []
    for iso, g in cov.groupby("iso3", sort=True):
        inside = g.loc[g["in_sample"], "year"].tolist()
        drops = g[~g["in_sample"]]
        why = []
        for reason, gg in drops.groupby("reason", sort=False):
            why.append(f"{_ranges(gg['year'].tolist())}: missing {reason}" if "not positive" not in reason
                       else f"{_ranges(gg['year'].tolist())}: {reason}")
        rows.append({"iso3": iso, "country": _name(iso), "years in sample": len(inside),
                     "sample years": _ranges(inside) or "none", "dropped (why)": " · ".join(why) or "—"})
    return pd.DataFrame(rows)


def non_positive_cases(panel: pd.DataFrame) -> pd.DataFrame:
    """Country-years where a non-ICT part is zero or negative (dropped from that dependent variable)."""
    rows = []
    for m in DDS_MEASURES:
        bad = panel[(panel[f"nonict_{m}"] <= 0)]
        for rec in bad.to_dict("records"):
            rows.append({"measure": m, "iso3": rec["iso3"], "year": int(rec["year"]), "dds": rec[f"dds_{m}"],
                         "ict": rec["ccis"]})
    return pd.DataFrame(rows, columns=["measure", "iso3", "year", "dds", "ict"])


# --------------------------------------------------------------------------- estimation


@dataclass
class SpecResult:
    spec: Spec
    fit: models.PanelFit | None
    frame: pd.DataFrame | None
    boot: dict[str, float] = field(default_factory=dict)     # WCR p-value per tested term
    sd_within: dict[str, float] = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.fit is not None


def _extra_terms(frame: pd.DataFrame, kind: str | None, fe: str, split_year: int | None) -> tuple[pd.DataFrame, list]:
    """Add interaction terms: 'period' (x × late) or 'income' (x × high income)."""
    if kind is None:
        return frame, []
    f = frame.copy()
    if kind == "period":
        f["late"] = (f["year"] >= split_year).astype(float)
        terms = [f"{x}_x_late" for x in REGRESSORS]
        for x in REGRESSORS:
            f[f"{x}_x_late"] = f[x] * f["late"]
        if fe != "twoway":
            terms.append("late")        # absorbed by year dummies under two-way FE
        return f, terms
    if kind == "income":
        terms = [f"{x}_x_high" for x in REGRESSORS]
        for x in REGRESSORS:
            f[f"{x}_x_high"] = f[x] * f["high_income"]
        if fe == "none":
            terms.append("high_income")  # absorbed by country dummies otherwise
        return f, terms
    raise ValueError(kind)


def estimate(panel: pd.DataFrame, spec: Spec, *, reps: int, seed: int, test: Sequence[Sequence[str]] = (),
             kind: str | None = None, split_year: int | None = None, frame: pd.DataFrame | None = None,
             bootstrap: bool = True) -> SpecResult:
    """Fit one specification; WCR bootstrap p-values for each entry of ``test`` (a tuple of terms = joint)."""
    f = spec_frame(panel, spec) if frame is None else frame
    try:
        if f["iso3"].nunique() < 3:
            raise models.EstimationError(f"only {f['iso3'].nunique()} countries with complete data")
        f2, extra = _extra_terms(f, kind, spec.fe, split_year)
        fit = models.fit_panel(f2, "y", [*REGRESSORS, *extra], spec.fe)
    except (models.EstimationError, np.linalg.LinAlgError) as exc:
        return SpecResult(spec, None, f, error=str(exc))
    res = SpecResult(spec, fit, f2)
    resid = models.residualise_on_fe(f2, list(REGRESSORS), spec.fe)
    res.sd_within = {x: float(resid[x].std(ddof=1)) for x in REGRESSORS}
    res.sd_within["y"] = float(models.residualise_on_fe(f2, ["y"], spec.fe)["y"].std(ddof=1))
    if bootstrap:
        for terms in test:
            terms = (terms,) if isinstance(terms, str) else tuple(terms)
            b = models.wild_cluster_bootstrap(fit.design, list(terms), reps=reps, seed=seed, weights=BOOT_WEIGHTS)
            res.boot["+".join(terms)] = b.pvalue
    return res


def sample_split_year(years: Sequence[int]) -> int:
    """First year of the late period: the sample's years split in two halves (the later half no shorter)."""
    ys = sorted(set(int(y) for y in years))
    if len(ys) < 2:
        raise PathwaysError("the estimation sample has fewer than two years")
    return ys[len(ys) // 2]


def rolling(panel: pd.DataFrame, spec: Spec, window: int) -> pd.DataFrame:
    """Coefficients of the specification in every window of ``window`` consecutive years (CR1, t(G-1) 95 % CI)."""
    base = spec_frame(panel, spec)
    years = sorted(base["year"].unique())
    rows = []
    if not years:
        return pd.DataFrame(columns=["start", "end", "mid", "term", "coef", "low", "high", "n", "countries"])
    for start in range(int(years[0]), int(years[-1]) - window + 2):
        end = start + window - 1
        f = base[(base["year"] >= start) & (base["year"] <= end)]
        try:
            if f["iso3"].nunique() < 3:
                raise models.EstimationError("too few countries")
            fit = models.fit_panel(f, "y", list(REGRESSORS), spec.fe)
        except (models.EstimationError, np.linalg.LinAlgError):
            continue
        for x in REGRESSORS:
            rows.append({"start": start, "end": end, "mid": (start + end) / 2, "term": x,
                         "coef": float(fit.params[x]), "low": float(fit.ci_low[x]), "high": float(fit.ci_high[x]),
                         "n": fit.nobs, "countries": fit.n_groups})
    return pd.DataFrame(rows, columns=["start", "end", "mid", "term", "coef", "low", "high", "n", "countries"])


def leave_one_out(panel: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    base = spec_frame(panel, spec)
    rows = []
    for iso in sorted(base["iso3"].unique()):
        f = base[base["iso3"] != iso]
        try:
            fit = models.fit_panel(f, "y", list(REGRESSORS), spec.fe)
        except (models.EstimationError, np.linalg.LinAlgError):
            continue
        for x in REGRESSORS:
            rows.append({"omitted": iso, "term": x, "coef": float(fit.params[x]), "low": float(fit.ci_low[x]),
                         "high": float(fit.ci_high[x])})
    return pd.DataFrame(rows, columns=["omitted", "term", "coef", "low", "high"])


# --------------------------------------------------------------------------- verdict rules

SUPPORTED, NOT_SUPPORTED, INCONCLUSIVE = text.HYPOTHESIS_VERDICTS


@dataclass(frozen=True)
class Estimate:
    """One coefficient in one specification, as the verdict rules see it."""

    spec: str
    coef: float
    p: float            # wild cluster restricted bootstrap p-value
    low: float          # 95 % CI, CR1 with t(G-1)
    high: float
    scale: float = float("nan")  # sd(regressor)/sd(dependent), both net of the fixed effects


def rule_texts() -> dict[str, str]:
    a, r = text.pct(ALPHA_MAIN * 100, 0), text.pct(ALPHA_ROBUST * 100, 0)
    meaningful = text.num(MEANINGFUL, 2)
    return {
        "a": (f"<b>Supported</b> if the coefficient is positive with a bootstrap p-value below {a} in the main "
              f"specification <em>and</em> positive with p below {r} in every robustness specification. "
              f"<b>Not supported</b> if it is not positive-significant in the main specification and either it is "
              f"significantly negative there (p below {a}) or its 95 % confidence interval rules out even a small "
              f"positive effect: the upper bound, as a standardised within effect (coefficient × standard deviation "
              f"of the regressor ÷ standard deviation of the dependent variable, both net of the fixed effects), is "
              f"below {meaningful}, the conventional threshold of a small effect. <b>Inconclusive</b> otherwise."),
        "b": (f"For each of infrastructure and ICT exports: <b>supported</b> if the late-period interaction "
              f"(late minus early half of the sample) is negative with p below {a} in the main specification and "
              f"negative in every robustness specification, <em>or</em> if the rolling-window path clearly declines "
              f"(the last window's estimate lies below the first window's 95 % interval and the first window's "
              f"estimate above the last window's interval) and the last window is below the first in every "
              f"robustness specification — provided the other test does not show a significant strengthening "
              f"(then: inconclusive). <b>Not supported</b> if the interaction is zero or positive in the main "
              f"specification and the rolling path does not clearly decline. <b>Inconclusive</b> otherwise. For ICT exports the main specification is the one with the non-ICT "
              f"part as dependent variable: with total DDS on the left, the ICT coefficient moves mechanically with "
              f"ICT's share of the total."),
        "c": (f"Joint test that the interactions of all four regressors with high-income membership are zero: "
              f"<b>supported</b> if p is below {a} in the main specification and below {r} in every robustness "
              f"specification; <b>not supported</b> if p is {r} or more in the main specification; "
              f"<b>inconclusive</b> otherwise (or when either income group has fewer than two members in the sample)."),
        "combine": ("A claim about two regressors is supported when both parts are, not supported when both are "
                    "not, and inconclusive otherwise."),
    }


def verdict_positive(main: Estimate, robust: Sequence[Estimate]) -> tuple[str, str]:
    pos_main = main.coef > 0 and main.p < ALPHA_MAIN
    if pos_main and all(r.coef > 0 and r.p < ALPHA_ROBUST for r in robust):
        return SUPPORTED, "positive and significant in the main and every robustness specification"
    if pos_main:
        fails = [r.spec for r in robust if not (r.coef > 0 and r.p < ALPHA_ROBUST)]
        return INCONCLUSIVE, f"positive-significant in the main specification but not under: {', '.join(fails)}"
    if main.coef < 0 and main.p < ALPHA_MAIN:
        return NOT_SUPPORTED, "significantly negative in the main specification"
    if np.isfinite(main.scale) and main.high * main.scale < MEANINGFUL:
        return NOT_SUPPORTED, ("not significant, and the confidence interval rules out even a small positive effect "
                               f"(upper bound as a standardised within effect: {main.high * main.scale:.3f})")
    return INCONCLUSIVE, "not significant in the main specification, but the interval is too wide to rule out an effect"


def clearly_declining(first: Estimate | None, last: Estimate | None) -> bool:
    """The last window's estimate lies below the first window's interval and vice versa."""
    if first is None or last is None:
        return False
    return bool(last.coef < first.low and first.coef > last.high)


def verdict_weakening(main: Estimate, robust: Sequence[Estimate], first: Estimate | None, last: Estimate | None,
                      robust_paths: Sequence[tuple[Estimate | None, Estimate | None]] = ()) -> tuple[str, str]:
    """(b) for one regressor: late-period interaction and rolling-window path (see rule_texts)."""
    inter = main.coef < 0 and main.p < ALPHA_MAIN and all(r.coef < 0 for r in robust)
    roll = clearly_declining(first, last) and all(f is not None and l_ is not None and l_.coef < f.coef
                                                  for f, l_ in robust_paths)
    contradicted = (main.coef > 0 and main.p < ALPHA_MAIN) or clearly_declining(last, first)
    if (inter or roll) and not contradicted:
        why = []
        if inter:
            why.append("significant negative late-period interaction, negative in every robustness specification")
        if roll:
            why.append("rolling-window path clearly declines, and declines in every robustness specification")
        if roll and not inter:
            why.append(f"the late-period interaction alone is {'positive' if main.coef > 0 else 'negative'} and "
                       f"not significant (bootstrap p = {fmt_p(main.p)})")
        return SUPPORTED, "; ".join(why)
    if inter or roll:
        return INCONCLUSIVE, "one test shows weakening but the other shows a significant strengthening"
    if main.coef >= 0:
        return NOT_SUPPORTED, "late-period interaction is not negative and the rolling path does not clearly decline"
    if main.p < ALPHA_MAIN:
        fails = [r.spec for r in robust if not r.coef < 0]
        return INCONCLUSIVE, f"significant negative interaction, but not negative under: {', '.join(fails)}"
    if clearly_declining(first, last):
        return INCONCLUSIVE, "rolling path clearly declines in the main specification but not in every robustness one"
    return INCONCLUSIVE, "negative but not significant late-period interaction; rolling path not clearly declining"


def verdict_heterogeneity(main_p: float | None, robust_p: Sequence[float]) -> tuple[str, str]:
    if main_p is None or not np.isfinite(main_p):
        return INCONCLUSIVE, "cannot be tested: an income group has fewer than two members in the sample"
    if main_p < ALPHA_MAIN and all(p < ALPHA_ROBUST for p in robust_p):
        return SUPPORTED, "interactions jointly significant in the main and every robustness specification"
    if main_p >= ALPHA_ROBUST:
        return NOT_SUPPORTED, "interactions not jointly significant in the main specification"
    return INCONCLUSIVE, "jointly significant only weakly, or not in every robustness specification"


def combine(verdicts: Sequence[str]) -> str:
    if all(v == SUPPORTED for v in verdicts):
        return SUPPORTED
    if all(v == NOT_SUPPORTED for v in verdicts):
        return NOT_SUPPORTED
    return INCONCLUSIVE


# --------------------------------------------------------------------------- scenarios


def scenario_paths(last: Mapping[str, float], t0: int, horizon: int, p: Mapping, infra: dict, opn: dict
                   ) -> tuple[pd.DataFrame, list[str]]:
    """Changes of the regressors from the last observed year ``t0`` to each year up to the horizon.

    GDP grows at the scenario's constant rate (Δ log GDP = years × log(1+g)); openness and the
    infrastructure level move linearly to their scenario change at the horizon, capped at the bounds of
    their scale (a cap is reported); ICT exports are held at their last value."""
    rows, notes = [], []
    span = horizon - t0
    for s in ("low", "central", "high"):
        g = p["gdp_growth"][s]
        for t in range(t0, horizon + 1):
            k = t - t0
            frac = k / span
            o_new = last["openness"] + p["openness_change"][s] * frac
            o_cap = min(max(o_new, opn["lo"]), opn["hi"])
            i_new = last["infra_level"] + p["infrastructure_change"][s] * frac
            i_cap = min(max(i_new, infra["lo"]), infra["hi"])
            if t == horizon:
                if o_cap != o_new:
                    notes.append(f"{s}: openness capped at {text.num(o_cap, 2)} (end of its scale)")
                if i_cap != i_new:
                    notes.append(f"{s}: infrastructure capped at {text.num(i_cap, 1)} (end of its scale)")
            d_infra = float(infra_transform(infra["code"], [i_cap])[0] - infra_transform(infra["code"],
                                                                                        [last["infra_level"]])[0])
            rows.append({"scenario": s, "year": t, "log_gdp": k * math.log1p(g / 100),
                         "openness": o_cap - last["openness"], "infrastructure": d_infra, "log_ict": 0.0,
                         "openness_level": o_cap, "infra_level": i_cap})
    return pd.DataFrame(rows), notes


# --------------------------------------------------------------------------- strategy (the seed's pathway)

# Short quotes of the main study (seed 000), attributed; a unit test checks each is verbatim in the seed.
STRATEGY = (
    {"horizon": "Short term", "where": "Summary and recommendations",
     "quote": "accelerate the layout of the national integrated intelligent computing power network",
     "members": ("CHN",), "indicators": ("TOP500", "IT.NET.SECR.P6")},
    {"horizon": "Short term", "where": "Core path (first)",
     "quote": "get rid of the excessive dependence on traditional indicators such as broadband penetration rate",
     "members": ("CHN",), "indicators": ("IT.NET.BBND.P2",)},
    {"horizon": "Short term", "where": "Core path (third)",
     "quote": "create smart sea kits for small and medium-sized enterprises in the region, focusing on improving "
              "trade facilitation",
     "members": ("RCEP",), "indicators": ("IT.NET.USER.ZS", "kof_KOFTrGIdj")},
    {"horizon": "Medium term", "where": "Summary and recommendations",
     "quote": "deepen the docking of regional digital rules, promote the establishment of a cross-border data flow "
              "mechanism based on risk management and control",
     "members": ("RCEP",), "indicators": ("kof_KOFTrGIdj", "RQ.EST")},
    {"horizon": "Medium term", "where": "Core path (third)",
     "quote": "jointly carry out research and development with leading technology members such as Singapore and "
              "South Korea",
     "members": ("SGP", "KOR"), "indicators": ("BX.GSR.CCIS.CD", "BX.GSR.ROYL.CD", "TOP500")},
    {"horizon": "Medium term", "where": "Core path (third)",
     "quote": "To Malaysia, Thailand and other countries with a solid digital foundation, output a comprehensive "
              "solution of ' hardware facilities connectivity + software service connectivity '",
     "members": ("MYS", "THA"), "indicators": ("IT.NET.USER.ZS", "IT.NET.BBND.P2", "IT.NET.SECR.P6")},
    {"horizon": "Long term", "where": "Summary and recommendations",
     "quote": "implement a stepped regional cooperation strategy to promote the overall improvement of digital "
              "capabilities in the region",
     "members": ("RCEP",), "indicators": ("IT.NET.USER.ZS",)},
    {"horizon": "Long term", "where": "Core path (third)",
     "quote": "leading the construction of regional and even global digital governance systems",
     "members": ("CHN",), "indicators": ("RQ.EST",)},
)
STRATEGY_MEMBERS = ("CHN", "SGP", "KOR", "MYS", "THA")
SEED_MAIN = "000_3d25ae1af6db2194.txt"


def _indicator_label(code: str) -> tuple[str, str]:
    """(label, unit) of a strategy indicator."""
    if code == "TOP500":
        return "TOP500: share of the list's Rmax", "%"
    if code.startswith("kof_") or code.startswith("chinn") or code.startswith("fraser") or code.startswith("heritage"):
        m = openness_meta(code)
        return m["name"], f"{m['lo']:g}–{m['hi']:g}"
    r = ds.indicator_meta(code)
    unit = str(r["unit"])
    if unit == "current US$":
        unit = "US$ bn"
    return f"{r['name']} [{code}]", unit


def latest_values(code: str, inputs: Mapping[str, pd.DataFrame], members: Sequence[str] = ds.RCEP
                  ) -> tuple[pd.DataFrame, str]:
    """Latest value and its year per member for a strategy indicator; and a note on its source."""
    rc = list(members)
    if code == "TOP500":
        t = ds.load_table("top500_country")
        last = t["list_date"].max()
        t = t[(t["list_date"] == last) & t["iso3"].isin(rc)]
        df = pd.DataFrame({"iso3": rc}).merge(t[["iso3", "rmax_share_pct"]], how="left")
        df["value"] = df["rmax_share_pct"].fillna(0.0)   # absent from the list = no system in it
        df["year"] = last
        df["absent"] = df["rmax_share_pct"].isna()
        return df[["iso3", "value", "year", "absent"]], f"TOP500.org, list {last}"
    if code in set(inputs["wdi"]["indicator"]):
        w = inputs["wdi"]
        w = w[(w["indicator"] == code) & w["iso3"].isin(rc)].dropna(subset=["value"])
        src = SOURCE_WDI
    else:
        w = inputs["openness"]
        w = w[(w["measure"] == code) & w["iso3"].isin(rc)].dropna(subset=["value"])
        src = "KOF Globalisation Index (data/openness.csv)"
    w = w.sort_values("year").groupby("iso3").tail(1)
    df = pd.DataFrame({"iso3": rc}).merge(w[["iso3", "value", "year"]], how="left")
    df["absent"] = False
    return df, src


def _fmt_value(v: float, code: str, unit: str) -> str:
    scale = 1e9 if unit == "US$ bn" else 1.0
    dec = 0 if code == "IT.NET.SECR.P6" else 2 if code in ("RQ.EST", "RL.EST", "GE.EST") else 1
    return text.num(v / scale, dec).replace("-", "−")


def strategy_steps() -> pd.DataFrame:
    """The study's pathway, one row per step: horizon, quote (attributed), members named, indicators."""
    rows = []
    for step in STRATEGY:
        rows.append({"horizon": step["horizon"], "the study's step (quoted)": f"“{step['quote']}”",
                     "where in the study": step["where"],
                     "members named": ", ".join(step["members"]) if step["members"] != ("RCEP",) else "region",
                     "indicators that would track it": "; ".join(_indicator_label(c)[0] for c in step["indicators"])})
    return pd.DataFrame(rows)


def strategy_indicators(inputs: Mapping[str, pd.DataFrame]) -> tuple[pd.DataFrame, list[str]]:
    """Latest value (year) of every indicator of the pathway, for the members the study names and the region."""
    codes = list(dict.fromkeys(c for step in STRATEGY for c in step["indicators"]))
    rows, sources = [], []
    for code in codes:
        label, unit = _indicator_label(code)
        vals, src = latest_values(code, inputs)
        sources.append(src)
        v = vals.set_index("iso3")
        row = {"indicator": label, "unit": unit}
        for iso in STRATEGY_MEMBERS:
            r = v.loc[iso]
            if pd.isna(r["value"]):
                row[iso] = "no data"
            elif r["absent"]:
                row[iso] = f"none in list ({r['year']})"
            else:
                row[iso] = f"{_fmt_value(r['value'], code, unit)} ({r['year']})"
        present = vals.dropna(subset=["value"])
        low = present.loc[present["value"].idxmin()]
        row["RCEP median"] = f"{_fmt_value(float(present['value'].median()), code, unit)} (n={len(present)})"
        n_absent = int(present["absent"].sum())
        row["RCEP lowest"] = (f"{n_absent} members with no system" if n_absent else
                              f"{low['iso3']} {_fmt_value(low['value'], code, unit)}")
        rows.append(row)
    return pd.DataFrame(rows), sorted(set(sources))


# --------------------------------------------------------------------------- the analysis


@dataclass
class Analysis:
    params: dict
    panel: pd.DataFrame
    main: Spec
    cov: pd.DataFrame
    cov_summary: pd.DataFrame
    nonpos: pd.DataFrame
    fe_variants: dict[str, SpecResult]
    set_a: list[SpecResult]          # main + robustness (GDP, openness, infrastructure)
    set_ict: list[SpecResult]        # non-ICT main + robustness (ICT)
    period_a: list[SpecResult]
    period_ict: list[SpecResult]
    split_year: int
    income: list[SpecResult]
    income_split: dict[str, SpecResult]
    roll_main: pd.DataFrame
    roll_ict: pd.DataFrame
    roll_robust: dict[str, pd.DataFrame]   # rolling paths of the robustness specifications, by "a:key"/"ict:key"
    loco_main: pd.DataFrame
    loco_ict: pd.DataFrame
    verdicts: dict[str, dict]
    mundlak: models.MundlakResult | None
    vif: pd.DataFrame
    scenario: dict
    inputs: dict = field(repr=False, default_factory=dict)
    notes: list[str] = field(default_factory=list)

    # ------------------------------------------------------------ accessors
    @property
    def main_fit(self) -> SpecResult:
        return self.set_a[0]

    @property
    def ict_fit(self) -> SpecResult:
        return self.set_ict[0]

    def estimate_of(self, res: SpecResult, term: str, boot_key: str | None = None) -> Estimate:
        f = res.fit
        base = term.replace("_x_late", "").replace("_x_high", "")
        sx, sy = res.sd_within.get(base, np.nan), res.sd_within.get("y", np.nan)
        return Estimate(res.spec.label or res.spec.key, float(f.params[term]), res.boot.get(boot_key or term, np.nan),
                        float(f.ci_low[term]), float(f.ci_high[term]), sx / sy if sy > 0 else np.nan)


def _testable_income(frame: pd.DataFrame) -> bool:
    g = frame.groupby("iso3")["high_income"].first()
    return int((g == 1).sum()) >= 2 and int((g == 0).sum()) >= 2


def analyse(p: Mapping, inputs: Mapping[str, pd.DataFrame] | None = None) -> Analysis:
    """Everything the chapter shows, computed once from the validated parameters."""
    with models.single_threaded_blas():
        return _analyse(p, inputs)


def _analyse(p: Mapping, inputs: Mapping[str, pd.DataFrame] | None = None) -> Analysis:
    p = dict(p)
    check_params(p)
    inputs = dict(inputs or load_inputs())
    countries = list(p["countries"]) or list(ds.RCEP)
    open_measures = list(dict.fromkeys([p["openness_measure"], *p["robustness_openness"]]))
    for m in open_measures:
        openness_meta(m)  # unknown measure -> clear error
    panel = assemble_panel(inputs, countries=countries, start_year=p["start_year"], end_year=p["end_year"],
                           openness_measures=open_measures, infrastructure_measure=p["infrastructure_measure"])
    main = main_spec(p)
    cov = coverage(panel, main)
    sample = spec_frame(panel, main)
    n_c, years = sample["iso3"].nunique(), sorted(sample["year"].unique())
    if n_c < MIN_SAMPLE_COUNTRIES or len(years) < MIN_YEARS:
        raise PathwaysError(
            f"the main specification has complete data for {n_c} countries and {len(years)} years in "
            f"{p['start_year']}-{p['end_year']} (at least {MIN_SAMPLE_COUNTRIES} and {MIN_YEARS} are needed); "
            "see which series are missing with another 'openness_measure', 'infrastructure_measure' or "
            "wider years")
    reps, seed = p["bootstrap_reps"], p["seed"]
    tests = list(REGRESSORS)

    def run(spec: Spec, **kw) -> SpecResult:
        return estimate(panel, spec, reps=reps, seed=seed, **kw)

    # FE variants of the main specification (table columns)
    fe_variants = {fe: run(replace(main, key=f"fe_{fe}", fe=fe, label=FE_LABELS[fe]), test=tests)
                   for fe in models.FE_CHOICES}
    robust = robustness_specs(main, p)
    set_a = [fe_variants[main.fe]] + [run(s, test=tests) for s in robust]
    set_a[0] = replace(set_a[0], spec=main)
    if main.dependent == "dds_exports_non_ict":
        ict_main = main
        set_ict = [set_a[0]]
    else:
        ict_main = replace(main, key="ict_main", dependent="dds_exports_non_ict", label="Main, non-ICT part")
        reuse = next(r for r in set_a if r.spec.key == "r_dependent")
        set_ict = [replace(reuse, spec=ict_main)]
    set_ict += [run(s, test=tests) for s in robustness_specs(ict_main, p, include_dependent=False)]

    split = sample_split_year(years)
    late_tests = ["infrastructure_x_late", "log_ict_x_late"]
    period_a = [run(r.spec, kind="period", split_year=split, test=late_tests) for r in set_a]
    period_ict = [run(r.spec, kind="period", split_year=split, test=late_tests) for r in set_ict]
    inc_terms = [tuple(f"{x}_x_high" for x in REGRESSORS), *[f"{x}_x_high" for x in REGRESSORS]]
    income = []
    for r in set_a:
        if r.frame is not None and _testable_income(r.frame):
            income.append(run(r.spec, kind="income", test=inc_terms))
        else:
            income.append(SpecResult(r.spec, None, r.frame, error="an income group has fewer than two members"))
    income_split = {}
    for grp, val in (("High income", 1.0), ("Other members", 0.0)):
        sub = sample[sample["high_income"] == val]
        income_split[grp] = estimate(panel, replace(main, key=f"split_{grp}", label=grp), reps=reps, seed=seed,
                                     test=tests, frame=sub.reset_index(drop=True))

    window = p["window"]
    roll_main = rolling(panel, main, window)
    roll_ict = rolling(panel, ict_main, window)
    roll_robust = {f"a:{r.spec.key}": rolling(panel, r.spec, window) for r in set_a[1:]}
    roll_robust.update({f"ict:{r.spec.key}": rolling(panel, r.spec, window) for r in set_ict[1:]})
    loco_main = leave_one_out(panel, main)
    loco_ict = leave_one_out(panel, ict_main)

    a = Analysis(params=p, panel=panel, main=main, cov=cov, cov_summary=coverage_summary(cov),
                 nonpos=non_positive_cases(panel), fe_variants=fe_variants, set_a=set_a, set_ict=set_ict,
                 period_a=period_a, period_ict=period_ict, split_year=split, income=income,
                 income_split=income_split, roll_main=roll_main, roll_ict=roll_ict,
                 roll_robust=roll_robust, loco_main=loco_main,
                 loco_ict=loco_ict, verdicts={}, mundlak=None, vif=pd.DataFrame(), scenario={}, inputs=inputs)
    a.verdicts = _verdicts(a)
    a.mundlak = models.mundlak_test(sample, "y", list(REGRESSORS), time_effects=main.fe == "twoway", reps=reps,
                                    seed=seed, weights=BOOT_WEIGHTS)
    a.vif = pd.DataFrame({"pooled": models.vif(sample[list(REGRESSORS)]),
                          "within (net of the main model's fixed effects)":
                          models.vif(models.residualise_on_fe(sample, list(REGRESSORS), main.fe))})
    a.scenario = _scenario(a)
    return a


def _first_last(roll: pd.DataFrame, term: str) -> tuple[Estimate | None, Estimate | None]:
    r = roll[roll["term"] == term].sort_values("start")
    if len(r) < 2:
        return None, None
    f, l_ = r.iloc[0], r.iloc[-1]
    return (Estimate(f"{f['start']}–{f['end']}", f["coef"], np.nan, f["low"], f["high"]),
            Estimate(f"{l_['start']}–{l_['end']}", l_["coef"], np.nan, l_["low"], l_["high"]))


def _verdicts(a: Analysis) -> dict[str, dict]:
    out: dict[str, dict] = {}
    # (a) scale and openness: positive effects
    parts = {}
    for term in ("log_gdp", "openness"):
        main = a.estimate_of(a.set_a[0], term)
        rob = [a.estimate_of(r, term) for r in a.set_a[1:] if r.ok]
        v, why = verdict_positive(main, rob)
        parts[term] = {"verdict": v, "why": why, "main": main, "robust": rob}
    out["a"] = {"verdict": combine([x["verdict"] for x in parts.values()]), "parts": parts}
    # (b) infrastructure and ICT weaken over time
    parts = {}
    for term, set_, roll, prefix in (("infrastructure", a.period_a, a.roll_main, "a"),
                                     ("log_ict", a.period_ict, a.roll_ict, "ict")):
        t = f"{term}_x_late"
        if not set_[0].ok:
            parts[term] = {"verdict": INCONCLUSIVE, "why": f"main model not estimable: {set_[0].error}",
                           "main": None, "robust": []}
            continue
        main = a.estimate_of(set_[0], t)
        rob = [a.estimate_of(r, t) for r in set_[1:] if r.ok]
        first, last = _first_last(roll, term)
        paths = [_first_last(a.roll_robust[f"{prefix}:{r.spec.key}"], term) for r in set_[1:]
                 if f"{prefix}:{r.spec.key}" in a.roll_robust]
        paths = [pl for pl in paths if pl[0] is not None]
        v, why = verdict_weakening(main, rob, first, last, paths)
        parts[term] = {"verdict": v, "why": why, "main": main, "robust": rob, "first": first, "last": last}
    out["b"] = {"verdict": combine([x["verdict"] for x in parts.values()]), "parts": parts}
    # (c) heterogeneity by income group
    key = "+".join(f"{x}_x_high" for x in REGRESSORS)
    main_p = a.income[0].boot.get(key) if a.income[0].ok else None
    rob_p = [r.boot[key] for r in a.income[1:] if r.ok]
    v, why = verdict_heterogeneity(main_p, rob_p)
    out["c"] = {"verdict": v, "why": why, "main_p": main_p, "robust_p": rob_p}
    return out


def _scenario(a: Analysis) -> dict:
    p = a.params
    iso = p["scenario_country"]
    res = a.main_fit
    f = res.frame
    rows = f[f["iso3"] == iso]
    if iso not in set(a.cov["iso3"]):
        return {"available": False, "country": iso,
                "reason": "it is not among the 'countries' of this run; add it or choose another scenario_country"}
    if rows.empty or not res.ok:
        why = a.cov[(a.cov["iso3"] == iso) & ~a.cov["in_sample"]]["reason"]
        reason = why.mode().iloc[0] if len(why) else "not in the sample"
        return {"available": False, "country": iso, "reason": reason}
    t0 = int(rows["year"].max())
    last_row = a.panel[(a.panel["iso3"] == iso) & (a.panel["year"] == t0)].iloc[0]
    last = {"openness": float(last_row[f"open__{a.main.openness}"]), "infra_level": float(last_row["infra_level"])}
    infra = infra_meta(a.main.infrastructure)
    opn = openness_meta(a.main.openness)
    paths, notes = scenario_paths(last, t0, p["horizon"], p, infra, opn)
    deltas = paths[list(REGRESSORS)]
    eff = models.draw_linear_effects(res.fit.params, res.fit.vcov, deltas, draws=SCENARIO_DRAWS, seed=p["seed"])
    y0 = float(rows.loc[rows["year"] == t0, "y"].iloc[0])
    paths = pd.concat([paths, eff], axis=1)
    for c in ("central", "low", "high"):
        paths[f"{c}_bn"] = np.exp(y0 + paths[c]) / 1e9
    hist = f[f["iso3"] == iso][["year", "y"]].assign(value_bn=lambda d: np.exp(d["y"]) / 1e9)
    return {"available": True, "country": iso, "t0": t0, "y0_bn": math.exp(y0) / 1e9, "paths": paths,
            "history": hist, "notes": notes, "infra": infra, "open": opn, "last": last}


# --------------------------------------------------------------------------- formatting helpers


def fmt_coef(x: float, p: float | None = None) -> str:
    """Three decimals; two significant digits for coefficients below 0.01 in absolute value."""
    if x is None or not np.isfinite(x):
        return "n/a"
    if abs(x) >= 0.01 or x == 0:
        s = f"{x:.3f}"
    else:  # two significant digits, never in scientific notation
        s = f"{x:.{-math.floor(math.log10(abs(x))) + 1}f}"
    s = s.replace("-", "−")
    return s + (models.stars(p) if p is not None else "")


def fmt_p(p: float | None) -> str:
    if p is None or not np.isfinite(p):
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def regression_table(results: Sequence[SpecResult], main_key: str) -> pd.DataFrame:
    """Coefficients (stars from WCR bootstrap p), CR1 SE in parentheses, and the model facts."""
    cols = {}
    for r in results:
        name = (r.spec.label or r.spec.key) + (" [main]" if r.spec.key == main_key else "")
        col = {}
        if not r.ok:
            for x in REGRESSORS:
                col[TABLE_LABELS[x]] = "—"
                col[f"{TABLE_LABELS[x]} SE"] = ""
            col["Fixed effects"] = FE_LABELS[r.spec.fe]
            col["N"] = f"not estimable: {r.error}"
            cols[name] = col
            continue
        f = r.fit
        for x in REGRESSORS:
            col[TABLE_LABELS[x]] = fmt_coef(f.params[x], r.boot.get(x))
            col[f"{TABLE_LABELS[x]} SE"] = f"({fmt_coef(f.bse[x])})"
        col["Dependent variable"] = DEPENDENT_LABELS[r.spec.dependent]
        col["DDS measure"] = DDS_SHORT[r.spec.dds_measure]
        col["Openness measure"] = r.spec.openness
        col["Fixed effects"] = FE_LABELS[r.spec.fe]
        col["N"] = str(f.nobs)
        col["Countries"] = str(f.n_groups)
        col["Years"] = f"{f.year_min}–{f.year_max}"
        col["Within R²" if r.spec.fe != "none" else "R²"] = f"{f.r2_within:.3f}"
        cols[name] = col
    df = pd.DataFrame(cols)
    order = [i for x in REGRESSORS for i in (TABLE_LABELS[x], f"{TABLE_LABELS[x]} SE")]
    rest = [i for i in df.index if i not in order]
    df = df.reindex(order + rest)
    df.index = [("" if i.endswith(" SE") else i) for i in df.index]
    df = df.fillna("")
    return df.reset_index(names="")


def coef_frame(results: Sequence[SpecResult], terms: Sequence[str] = REGRESSORS) -> pd.DataFrame:
    rows = []
    for r in results:
        if not r.ok:
            continue
        for x in terms:
            rows.append({"spec": r.spec.label or r.spec.key, "term": SHORT.get(x, x), "coef": float(r.fit.params[x]),
                         "low": float(r.fit.ci_low[x]), "high": float(r.fit.ci_high[x]),
                         "p_boot": float(r.boot.get(x, np.nan)), "p_cr1": float(r.fit.pvalues[x])})
    return pd.DataFrame(rows)


def _round(df: pd.DataFrame, digits: int = 6) -> pd.DataFrame:
    """Round floats for embedding in charts (stable outputs, small specs)."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].round(digits)
    return out


# --------------------------------------------------------------------------- charts


def chart_measures(df: pd.DataFrame) -> alt.Chart:
    base = alt.Chart(df)
    pts = base.mark_point(filled=True, opacity=0.75).encode(
        x=alt.X("unctad_bn:Q", scale=alt.Scale(type="log"), title="UNCTAD digitally deliverable exports (US$ bn, log)"),
        y=alt.Y("wdi_bn:Q", scale=alt.Scale(type="log"), title="WDI composition measure (US$ bn, log)"),
        color=alt.Color("group:N", title="Income group"),
        shape=alt.Shape("group:N", title="Income group"),
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("year:O"), alt.Tooltip("unctad_bn:Q", format=",.2f",
                 title="UNCTAD (US$ bn)"), alt.Tooltip("wdi_bn:Q", format=",.2f", title="WDI composition (US$ bn)")])
    lo, hi = float(df[["unctad_bn", "wdi_bn"]].min().min()), float(df[["unctad_bn", "wdi_bn"]].max().max())
    diag = alt.Chart(pd.DataFrame({"x": [lo, hi], "y": [lo, hi]})).mark_line(
        color="#57606a", strokeDash=[4, 3], strokeWidth=1).encode(x="x:Q", y="y:Q")
    return alt.layer(diag, pts).properties(width=560, height=380)


def chart_coverage(cov: pd.DataFrame) -> alt.LayerChart:
    df = cov.assign(status=np.where(cov["in_sample"], "in sample", "dropped"),
                    mark=np.where(cov["in_sample"], "", "✕"),
                    country=cov["iso3"].map(ds.display_name))
    enc = {"x": alt.X("year:O", title=None), "y": alt.Y("country:N", title=None, sort="ascending")}
    rect = alt.Chart(df).mark_rect(stroke="#ffffff", strokeWidth=1).encode(
        **enc, color=alt.Color("status:N", scale=alt.Scale(domain=["in sample", "dropped"],
                                                            range=[charts.PALETTE[0], "#d0d7de"]), title=None),
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("year:O"), alt.Tooltip("reason:N", title="status / missing")])
    marks = alt.Chart(df).mark_text(fontSize=10, color="#3d444d").encode(**enc, text="mark:N")
    return alt.layer(rect, marks).properties(width=600, height=alt.Step(18))


def chart_coefficients(cf: pd.DataFrame, order: Sequence[str]) -> alt.FacetChart:
    base = alt.Chart()
    y = alt.Y("spec:N", sort=list(order), title=None)
    bars = base.mark_rule(strokeWidth=2, color=charts.PALETTE[0]).encode(
        x=alt.X("low:Q", title="coefficient (95 % CI, CR1, t(G−1))"), x2="high:Q", y=y)
    pts = base.mark_point(filled=True, size=55).encode(
        x="coef:Q", y=y,
        color=alt.Color("sig:N", title="bootstrap p < 0.05",
                        scale=alt.Scale(domain=["yes", "no"], range=[charts.FOCUS_COLOR, charts.PALETTE[0]])),
        shape=alt.Shape("sig:N", title="bootstrap p < 0.05", scale=alt.Scale(domain=["yes", "no"],
                                                                               range=["diamond", "circle"])),
        tooltip=[alt.Tooltip("term:N"), alt.Tooltip("spec:N"), alt.Tooltip("coef:Q", format=".3f"),
                 alt.Tooltip("low:Q", format=".3f", title="CI low"), alt.Tooltip("high:Q", format=".3f",
                                                                                 title="CI high"),
                 alt.Tooltip("p_boot:Q", format=".3f", title="WCR bootstrap p")])
    zero = alt.Chart().mark_rule(color="#57606a", strokeDash=[3, 3]).encode(x=alt.datum(0))
    return alt.layer(bars, pts, zero, data=cf.assign(sig=np.where(cf["p_boot"] < 0.05, "yes", "no"))).properties(
        width=260, height=alt.Step(22)).facet(
        facet=alt.Facet("term:N", title=None, sort=[SHORT[x] for x in REGRESSORS]), columns=2).resolve_scale(
        x="independent")


def chart_rolling(df: pd.DataFrame) -> alt.FacetChart:
    base = alt.Chart()
    band = base.mark_area(opacity=0.22, color=charts.PALETTE[0]).encode(
        x=alt.X("mid:Q", title="middle year of the window", axis=alt.Axis(format="d")), y=alt.Y("low:Q", title=
                                                                                                 "coefficient"),
        y2="high:Q")
    line = base.mark_line(point=True, color=charts.PALETTE[0]).encode(
        x="mid:Q", y="coef:Q",
        tooltip=[alt.Tooltip("term:N"), alt.Tooltip("window:N"), alt.Tooltip("coef:Q", format=".3f"),
                 alt.Tooltip("low:Q", format=".3f", title="95 % CI low"),
                 alt.Tooltip("high:Q", format=".3f", title="95 % CI high"), alt.Tooltip("n:Q", title="N")])
    zero = base.mark_rule(color="#57606a", strokeDash=[3, 3]).encode(y=alt.datum(0))
    return alt.layer(band, line, zero, data=df).properties(width=270, height=170).facet(
        facet=alt.Facet("panel:N", title=None, sort=list(dict.fromkeys(df["panel"]))), columns=2).resolve_scale(
        y="independent")


def chart_residuals(df: pd.DataFrame) -> alt.LayerChart:
    pts = alt.Chart(df).mark_point(filled=True, opacity=0.6, size=30).encode(
        x=alt.X("fitted:Q", title="fitted value (log US$)", scale=alt.Scale(zero=False)),
        y=alt.Y("residual:Q", title="residual (log points)"),
        color=alt.Color("group:N", title="Income group"), shape=alt.Shape("group:N", title="Income group"),
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("year:O"), alt.Tooltip("fitted:Q", format=".2f"),
                 alt.Tooltip("residual:Q", format=".3f")])
    zero = alt.Chart(df).mark_rule(color="#57606a", strokeDash=[3, 3]).encode(y=alt.datum(0))
    return alt.layer(pts, zero).properties(width=580, height=300)


def chart_loco(df: pd.DataFrame, full: pd.DataFrame) -> alt.FacetChart:
    y = alt.Y("omitted:N", title="country left out", sort="ascending")
    rules = alt.Chart().mark_rule(color=charts.PALETTE[0]).encode(
        x=alt.X("low:Q", title="coefficient (95 % CI)"), x2="high:Q", y=y)
    pts = alt.Chart().mark_point(filled=True, size=40, color=charts.PALETTE[0]).encode(
        x="coef:Q", y=y, tooltip=[alt.Tooltip("panel:N", title="coefficient"), alt.Tooltip("omitted:N"),
                                  alt.Tooltip("coef:Q", format=".3f"), alt.Tooltip("low:Q", format=".3f"),
                                  alt.Tooltip("high:Q", format=".3f")])
    ref = alt.Chart().mark_rule(color=charts.FOCUS_COLOR, strokeDash=[5, 3], strokeWidth=1.6).encode(
        x="full:Q", tooltip=[alt.Tooltip("full:Q", format=".3f", title="full sample")])
    zero = alt.Chart().mark_rule(color="#57606a", strokeDash=[2, 2]).encode(x=alt.datum(0))
    data = df.merge(full, on="panel")
    return alt.layer(rules, pts, ref, zero, data=data).properties(width=260, height=alt.Step(14)).facet(
        facet=alt.Facet("panel:N", title=None, sort=list(dict.fromkeys(df["panel"]))), columns=2).resolve_scale(
        x="independent")


def chart_scenarios(hist: pd.DataFrame, paths: pd.DataFrame) -> alt.HConcatChart:
    order = ["low", "central", "high"]
    colors = [charts.PALETTE[2], charts.PALETTE[0], charts.PALETTE[1]]
    color = alt.Color("scenario:N", sort=order, scale=alt.Scale(domain=order, range=colors), title="Scenario")
    lo = float(min(hist["value_bn"].min(), paths["low_bn"].min()))
    hi = float(max(hist["value_bn"].max(), paths["high_bn"].max()))
    yscale = alt.Scale(domain=[lo * 0.95, hi * 1.05], zero=False)
    h = alt.Chart(hist).mark_line(point=True, color="#3d444d").encode(
        x=alt.X("year:Q", axis=alt.Axis(format="d", tickMinStep=1), title=None),
        y=alt.Y("value_bn:Q", title="US$ bn", scale=yscale),
        tooltip=[alt.Tooltip("year:Q", format="d"), alt.Tooltip("value_bn:Q", format=",.1f", title="observed, US$ bn")])
    band = alt.Chart(paths).mark_area(opacity=0.14).encode(x="year:Q", y=alt.Y("low_bn:Q", scale=yscale),
                                                           y2="high_bn:Q", color=color)
    line = alt.Chart(paths).mark_line().encode(
        x="year:Q", y=alt.Y("central_bn:Q", scale=yscale), color=color,
        strokeDash=alt.StrokeDash("scenario:N", sort=order, title="Scenario"),
        tooltip=[alt.Tooltip("scenario:N"), alt.Tooltip("year:Q", format="d"),
                 alt.Tooltip("central_bn:Q", format=",.1f", title="central, US$ bn"),
                 alt.Tooltip("low_bn:Q", format=",.1f", title="band low"),
                 alt.Tooltip("high_bn:Q", format=",.1f", title="band high")])
    left = alt.layer(band, h, line).properties(width=380, height=280)
    ends = paths[paths["year"] == paths["year"].max()]
    y = alt.Y("scenario:N", sort=order, title=None)
    rule = alt.Chart(ends).mark_rule(strokeWidth=2).encode(
        x=alt.X("low_bn:Q", scale=alt.Scale(zero=False), title=f"US$ bn in {int(ends['year'].iloc[0])}"),
        x2="high_bn:Q", y=y, color=alt.Color("scenario:N", sort=order, scale=alt.Scale(domain=order, range=colors),
                                             legend=None))
    dot = alt.Chart(ends).mark_point(filled=True, size=70).encode(
        x="central_bn:Q", y=y, color=alt.Color("scenario:N", sort=order, scale=alt.Scale(domain=order, range=colors),
                                               legend=None),
        tooltip=[alt.Tooltip("scenario:N"), alt.Tooltip("central_bn:Q", format=",.1f", title="central, US$ bn"),
                 alt.Tooltip("low_bn:Q", format=",.1f", title="band low"),
                 alt.Tooltip("high_bn:Q", format=",.1f", title="band high")])
    text_ = alt.Chart(ends).mark_text(align="left", dx=8, dy=-9, fontSize=11).encode(
        x="central_bn:Q", y=y, text=alt.Text("central_bn:Q", format=",.1f"))
    right = alt.layer(rule, dot, text_).properties(width=170, height=120)
    return alt.hconcat(left, right, spacing=30)


# --------------------------------------------------------------------------- putting it on the page


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _p_sentence(e: Estimate) -> str:
    return f"{fmt_coef(e.coef)} (bootstrap p = {fmt_p(e.p)}; 95 % CI {fmt_coef(e.low)} to {fmt_coef(e.high)})"


class Show:
    """Renders an :class:`Analysis` on a page, section by section (each call: glue + figures/tables)."""

    def __init__(self, page, a: Analysis):
        self.page, self.a = page, a
        self.p = a.params

    # ------------------------------------------------------------ intro & definitions
    def definitions(self) -> None:
        page, a, p = self.page, self.a, self.p
        panel = a.panel
        both = panel.dropna(subset=["dds_wdi_composition", "dds_unctad"])
        both = both[(both["dds_wdi_composition"] > 0) & (both["dds_unctad"] > 0)]
        ratio = both["dds_wdi_composition"] / both["dds_unctad"]
        lw, lu = np.log(both["dds_wdi_composition"]), np.log(both["dds_unctad"])
        d = both.assign(lw=lw, lu=lu).sort_values(["iso3", "year"])
        d["dw"] = d.groupby("iso3")["lw"].diff()
        d["du"] = d.groupby("iso3")["lu"].diff()
        ch = d.dropna(subset=["dw", "du"])
        r_level = float(np.corrcoef(lw, lu)[0, 1]) if len(both) > 2 else float("nan")
        r_change = float(np.corrcoef(ch["dw"], ch["du"])[0, 1]) if len(ch) > 2 else float("nan")
        by_c = ratio.groupby(both["iso3"]).median().sort_values()
        page.glue("r_level", text.num(r_level, 2))
        page.glue("r_change", text.num(r_change, 2))
        page.glue("n_overlap", text.num(len(both), 0))
        page.glue("ratio_low", f"{text.num(by_c.iloc[0], 2)} ({ds.display_name(by_c.index[0])})" if len(by_c) else "n/a")
        page.glue("ratio_high", f"{text.num(by_c.iloc[-1], 2)} ({ds.display_name(by_c.index[-1])})"
                  if len(by_c) else "n/a")
        main_m = p["dds_measure"]
        page.glue("dds_main", DDS_LABELS[main_m])
        page.glue("dds_robust", DDS_LABELS[DDS_MEASURES[1 - DDS_MEASURES.index(main_m)]])
        un = panel.dropna(subset=["dds_unctad"])
        page.glue("unctad_years", text.year_span(int(un["year"].min()), int(un["year"].max())) if len(un) else "none")
        om = openness_meta(p["openness_measure"])
        page.glue("open_name", f"{om['name']} ({p['openness_measure']})")
        page.glue("open_desc", om["description"].rstrip("."))
        page.glue("open_vintage", om["vintage"])
        page.glue("open_robust", text.listing([f"{openness_meta(m)['name']} ({m})" for m in p["robustness_openness"]
                                               if m != p["openness_measure"]]) or "none")
        im = infra_meta(p["infrastructure_measure"])
        page.glue("infra_name", f"{im['name']} ({p['infrastructure_measure']})")
        page.glue("infra_form", "in logs" if im["log"] else f"in levels ({im['unit']})")
        gdp = panel.dropna(subset=["gdp"])
        page.glue("gdp_last", str(int(gdp["year"].max())) if len(gdp) else "n/a")
        page.glue("dependent_main", DEPENDENT_LABELS[p["dependent"]])
        n_np = len(a.nonpos)
        page.glue("nonpos", "none" if n_np == 0 else
                  f"{n_np} country-years ({', '.join(f'{r.iso3} {r.year} ({r.measure})' for r in a.nonpos.itertuples())})")
        df = both.assign(wdi_bn=both["dds_wdi_composition"] / 1e9, unctad_bn=both["dds_unctad"] / 1e9,
                         country=both["iso3"].map(ds.display_name),
                         group=np.where(both["high_income"] == 1, "High income", "Other members"))
        df = _round(df[["iso3", "country", "year", "group", "wdi_bn", "unctad_bn"]])
        if len(df):
            title = (f"The two measures agree on levels across countries (r = {text.num(r_level, 2)}) but less on "
                     f"year-to-year changes (r = {text.num(r_change, 2)})")
            page.figure(chart_measures(df), name="dds-measures", title=title,
                        subtitle="Digitally deliverable service exports, US$ bn (log scales); dashed line = equality",
                        source=f"{SOURCE_WDI}; {SOURCE_UNCTAD}; computed in helpers.book.chapters.rcep_pathways",
                        alt=(f"Scatter of {len(df)} country-years: the WDI composition measure against UNCTAD's "
                             f"digitally deliverable exports. Median ratio by country ranges from "
                             f"{text.num(by_c.iloc[0], 2)} to {text.num(by_c.iloc[-1], 2)}."), data=df)

    # ------------------------------------------------------------ coverage
    def coverage(self) -> None:
        page, a = self.page, self.a
        cov = a.cov
        inside = cov[cov["in_sample"]]
        page.glue("cov_n", text.num(len(inside), 0))
        page.glue("cov_cells", text.num(len(cov), 0))
        page.glue("cov_countries", text.num(inside["iso3"].nunique(), 0))
        page.glue("cov_years", text.year_span(int(inside["year"].min()), int(inside["year"].max())))
        absent = sorted(set(cov["iso3"]) - set(inside["iso3"]))
        page.glue("cov_absent", text.listing([f"{ds.display_name(c)}" for c in absent]) if absent else "no member")
        reasons = cov.loc[~cov["in_sample"], "reason"].str.split("; ").explode().value_counts()
        page.glue("cov_top_reason", f"{reasons.index[0]} ({text.num(int(reasons.iloc[0]), 0)} country-years)"
                  if len(reasons) else "none")
        title = (f"{text.num(len(inside), 0)} of {text.num(len(cov), 0)} country-years enter the main model; "
                 + (f"{text.listing([ds.display_name(c) for c in absent])} drop{'s' if len(absent) == 1 else ''} out entirely" if absent
                    else "every member contributes"))
        page.figure(chart_coverage(cov), name="coverage", title=title,
                    subtitle=f"Country-years of the main specification ({a.main.describe()}); ✕ = dropped, hover for "
                    "the missing series",
                    source=f"{SOURCE_WDI}; {SOURCE_UNCTAD}; {SOURCE_OPEN}",
                    alt=(f"Grid of countries by years. {text.num(len(inside), 0)} cells are in the sample; the others "
                         f"are dropped, most often because of: {reasons.index[0] if len(reasons) else 'nothing'}."),
                    data=cov)
        page.table(a.cov_summary, name="coverage-by-country", caption="Which country-years enter the main model, and "
                   "why the others drop (the missing series is named)", source="computed from the curated tables",
                   filterable=True)

    # ------------------------------------------------------------ rules
    def rules(self) -> None:
        from IPython.display import HTML, display

        r = rule_texts()
        a = self.a
        rob = [s.spec.label for s in a.set_a[1:]]
        items = "".join(f"<li><b>({k})</b> {r[k]}</li>" for k in ("a", "b", "c"))
        display(HTML(
            '<div class="admonition important"><p class="admonition-title">Verdict rules'
            f'</p><ol style="list-style:none;padding-left:0">{items}</ol><p>{r["combine"]}</p>'
            f"<p><b>How the rules came about.</b> {html.escape(RULE_HISTORY)}</p>"
            f"<p>Robustness specifications: {html.escape(text.listing(rob))}. "
            f"p-values for verdicts come from the wild cluster restricted bootstrap "
            f"({BOOT_WEIGHTS.capitalize()} weights, {self.p['bootstrap_reps']} replications, seed {self.p['seed']}); "
            f"confidence intervals are CR1 with t(G−1) critical values.</p></div>"))

    # ------------------------------------------------------------ estimates
    def estimates(self) -> None:
        page, a, p = self.page, self.a, self.p
        results = [a.fe_variants[fe] for fe in models.FE_CHOICES] + list(a.set_a[1:-1])
        main_label = FE_LABELS[a.main.fe]
        # mark the main column by its key
        tab = regression_table(results, main_key=f"fe_{a.main.fe}")
        m = a.main_fit.fit
        G = m.n_groups
        page.glue("G", text.num(G, 0))
        page.glue("t_df", f"t({G}−1) = t({G - 1})")
        page.glue("reps", text.num(p["bootstrap_reps"], 0))
        page.glue("main_fe", main_label)
        page.table(tab, name="regression-table",
                   caption=f"Regression table ({main_label} is the main specification)",
                   note=(f"Columns 1–3: the main specification with each kind of fixed effects; the others: "
                         f"robustness specifications with {main_label}. Stars: wild cluster restricted bootstrap "
                         f"p-values (*** < 0.01, ** < 0.05, * < 0.10). CR1 standard errors clustered by country in "
                         f"parentheses."),
                   source=f"{SOURCE_WDI}; {SOURCE_UNCTAD}; {SOURCE_OPEN}; estimated with statsmodels")
        cf = coef_frame(a.set_a)
        order = [r.spec.label for r in a.set_a if r.ok]
        sig = [SHORT[x] for x in REGRESSORS if a.main_fit.boot.get(x, 1) < 0.05]
        pos = [SHORT[x] for x in REGRESSORS if a.main_fit.boot.get(x, 1) < 0.05 and m.params[x] > 0]
        title = ("In the main model " + (f"only {text.listing(pos)} {'is' if len(pos) == 1 else 'are'} significantly "
                 "positive" if pos else "no regressor is significantly positive")
                 + (f"; {text.listing(sorted(set(sig) - set(pos)))} significantly negative" if set(sig) - set(pos)
                    else ""))
        page.figure(chart_coefficients(_round(cf), order), name="coefficients", title=title,
                    subtitle=["Coefficient and 95 % CI (CR1, t(G−1)) per specification; diamond = bootstrap p < 0.05",
                              "Openness coefficients are per point of each measure's own scale (KOF 0–100, WGI and "
                              "Chinn-Ito about −2.5 to 2.5)"],
                    source="estimates of this chapter (helpers.book.chapters.rcep_pathways)",
                    alt=("Four panels (GDP, openness, infrastructure, ICT exports), each showing the coefficient and "
                         f"confidence interval in {len(order)} specifications. {title}."), data=_round(cf))
        for x in REGRESSORS:
            page.glue(f"b_{x}", fmt_coef(m.params[x]))
            page.glue(f"p_{x}", fmt_p(a.main_fit.boot.get(x)))
            page.glue(f"ci_{x}", f"{fmt_coef(m.ci_low[x])} to {fmt_coef(m.ci_high[x])}")
        ict = a.ict_fit.fit
        page.glue("b_ict_nonict", fmt_coef(ict.params["log_ict"]) if ict is not None else "n/a")
        page.glue("p_ict_nonict", fmt_p(a.ict_fit.boot.get("log_ict")))
        page.glue("main_n", text.num(m.nobs, 0))
        page.glue("main_r2w", text.num(m.r2_within, 2))

    # ------------------------------------------------------------ verdicts
    def verdict_table(self) -> None:
        page, a = self.page, self.a
        v = a.verdicts
        rows = []

        def ev(part):
            if part.get("main") is None:
                return part["why"]
            e = part["main"]
            return f"main: {_p_sentence(e)} — {part['why']}."

        for term in ("log_gdp", "openness"):
            pt = v["a"]["parts"][term]
            rows.append({"claim": "(a) positive effect", "term": LABELS[term], "evidence": ev(pt),
                         "verdict": badge(pt["verdict"])})
        for term in ("infrastructure", "log_ict"):
            pt = v["b"]["parts"][term]
            rows.append({"claim": "(b) weakening over time", "term": LABELS[term], "evidence": ev(pt),
                         "verdict": badge(pt["verdict"])})
        c = v["c"]
        rows.append({"claim": "(c) heterogeneity", "term": "all four × high income",
                     "evidence": f"joint test, main: p = {fmt_p(c['main_p'])}; robustness: "
                     f"{', '.join(fmt_p(x) for x in c['robust_p']) or 'n/a'} — {c['why']}.",
                     "verdict": badge(c["verdict"])})
        df = pd.DataFrame(rows)
        page.table(df, name="verdicts", caption="Verdicts on the study's claims, by the rules stated above",
                   source="estimates of this chapter", html_columns=["verdict"],
                   csv=df.assign(verdict=[r["verdict"].split(">")[1].split("<")[0] for r in rows]))
        for k in ("a", "b", "c"):
            page.glue(f"verdict_{k}", v[k]["verdict"])
        page.glue_md("a_reading", " ".join(
            f"{_cap(LABELS[t])}: {_p_sentence(v['a']['parts'][t]['main'])}, so {v['a']['parts'][t]['verdict']} "
            f"({v['a']['parts'][t]['why']})." for t in ("log_gdp", "openness")))
        b_parts = []
        for t in ("infrastructure", "log_ict"):
            pt = v["b"]["parts"][t]
            if pt.get("main") is None:
                b_parts.append(f"{_cap(LABELS[t])}: {pt['verdict']} ({pt['why']}).")
                continue
            e = pt["main"]
            f, l_ = pt.get("first"), pt.get("last")
            roll = (f"the rolling estimate goes from {fmt_coef(f.coef)} ({f.spec}) to {fmt_coef(l_.coef)} ({l_.spec})"
                    if f is not None else "too few windows for a rolling path")
            tension = ""
            if f is not None and ((clearly_declining(f, l_) and e.coef > 0)
                                  or (e.coef < 0 and e.p < ALPHA_MAIN and l_.coef > f.coef)):
                tension = (" The two tests point in different directions: the full-sample interaction uses each "
                           "country's whole history, the windows only the years inside each window.")
            b_parts.append(f"{_cap(LABELS[t])}: late minus early {fmt_coef(e.coef)} (bootstrap p = "
                           f"{fmt_p(e.p)}); {roll}. Verdict: {pt['verdict']} ({pt['why']}).{tension}")
        page.glue_md("b_reading", " ".join(b_parts))
        c = v["c"]
        page.glue_md("c_reading", f"joint bootstrap p = {fmt_p(c['main_p'])} in the main specification, so "
                  f"{c['verdict']} ({c['why']})")
        for term in ("log_gdp", "openness"):
            page.glue(f"verdict_a_{term}", v["a"]["parts"][term]["verdict"])
        for term in ("infrastructure", "log_ict"):
            page.glue(f"verdict_b_{term}", v["b"]["parts"][term]["verdict"])

    # ------------------------------------------------------------ (b) period interactions & rolling windows
    def weakening(self) -> None:
        page, a, p = self.page, self.a, self.p
        years = sorted(a.main_fit.frame["year"].unique())
        page.glue("split_early", text.year_span(int(years[0]), a.split_year - 1))
        page.glue("split_late", text.year_span(a.split_year, int(years[-1])))
        rows = []
        for label, set_ in (("Infrastructure", a.period_a), ("ICT exports", a.period_ict)):
            term = "infrastructure_x_late" if label == "Infrastructure" else "log_ict_x_late"
            for r in set_:
                if not r.ok:
                    rows.append({"coefficient": label, "specification": r.spec.label, "late − early": "—",
                                 "CI (95 %)": "—", "bootstrap p": "n/a", "early-period slope": r.error or ""})
                    continue
                base = term.replace("_x_late", "")
                rows.append({"coefficient": label, "specification": r.spec.label,
                             "late − early": fmt_coef(r.fit.params[term], r.boot.get(term)),
                             "CI (95 %)": f"{fmt_coef(r.fit.ci_low[term])} to {fmt_coef(r.fit.ci_high[term])}",
                             "bootstrap p": fmt_p(r.boot.get(term)),
                             "early-period slope": fmt_coef(r.fit.params[base])})
        page.table(pd.DataFrame(rows), name="period-interactions",
                   caption=(f"Did the effects weaken? Interaction of each regressor with the late period "
                            f"({a.split_year} onwards); a negative value means a smaller effect in the late period. "
                            "ICT rows use the non-ICT part as dependent variable."),
                   source="estimates of this chapter")
        rm = a.roll_main[a.roll_main["term"] != "log_ict"].copy()
        rm["panel"] = rm["term"].map(SHORT) + " (" + DEPENDENT_LABELS[a.main.dependent] + ")"
        ri = a.roll_ict[a.roll_ict["term"] == "log_ict"].copy()
        ri["panel"] = "ICT exports (log non-ICT DDS exports)"
        roll = pd.concat([rm, ri], ignore_index=True)
        roll["window"] = roll["start"].astype(str) + "–" + roll["end"].astype(str)
        order = {f"{SHORT[x]} ({DEPENDENT_LABELS[a.main.dependent]})": i for i, x in enumerate(REGRESSORS[:3])}
        order["ICT exports (log non-ICT DDS exports)"] = 3
        roll = roll.sort_values(["panel", "start"], key=lambda s: s.map(order) if s.name == "panel" else s)
        page.glue("n_windows", text.num(roll["window"].nunique(), 0))
        page.glue("window", text.num(p["window"], 0))
        if roll.empty:
            page.note("The sample is too short for rolling windows of this length.", "warning")
            for k in ("roll_infra", "roll_ict"):
                page.glue(k, "not available")
            return
        parts = a.verdicts["b"]["parts"]

        def path(term):
            pt = parts[term]
            f, l_ = pt.get("first"), pt.get("last")
            if f is None:
                return "not available (fewer than two windows)"
            return f"from {fmt_coef(f.coef)} in {f.spec} to {fmt_coef(l_.coef)} in {l_.spec}"

        page.glue("roll_infra", path("infrastructure"))
        page.glue("roll_ict", path("log_ict"))
        fi, li = parts["infrastructure"].get("first"), parts["infrastructure"].get("last")
        fc, lc = parts["log_ict"].get("first"), parts["log_ict"].get("last")

        def word(f, l_):
            if f is None:
                return "cannot be traced"
            if clearly_declining(f, l_):
                return "clearly declines"
            return "falls, within the uncertainty" if l_.coef < f.coef else "does not fall"

        title = (f"Infrastructure's coefficient {word(fi, li)}; ICT exports' {word(fc, lc)} across "
                 f"{p['window']}-year windows")
        page.figure(chart_rolling(_round(roll[["panel", "term", "window", "start", "end", "mid", "coef", "low", "high",
                                               "n"]])), name="rolling-windows", title=title,
                    subtitle=f"Coefficient per {p['window']}-year window (x = middle year), band = 95 % CI (CR1, "
                             f"t(G−1)); {FE_LABELS[a.main.fe]}",
                    source="estimates of this chapter (helpers.book.chapters.rcep_pathways)",
                    alt=(f"Four small charts of rolling-window coefficients over {roll['window'].nunique()} windows. "
                         f"Infrastructure: {path('infrastructure')}. ICT exports: {path('log_ict')}."),
                    data=roll)

    # ------------------------------------------------------------ (c) heterogeneity
    def heterogeneity(self) -> None:
        page, a = self.page, self.a
        hi = [ds.display_name(c) for c in sorted(a.main_fit.frame.loc[a.main_fit.frame["high_income"] == 1, "iso3"]
                                                 .unique())]
        lo = [ds.display_name(c) for c in sorted(a.main_fit.frame.loc[a.main_fit.frame["high_income"] == 0, "iso3"]
                                                 .unique())]
        page.glue("hi_members", text.listing(hi) if hi else "none")
        page.glue("lo_members", text.listing(lo) if lo else "none")
        rows = []
        r0 = a.income[0]
        for x in REGRESSORS:
            t = f"{x}_x_high"
            if r0.ok:
                rows.append({"regressor": LABELS[x], "other members": fmt_coef(r0.fit.params[x]),
                             "difference, high income": fmt_coef(r0.fit.params[t]),
                             "CI of the difference (95 %)": f"{fmt_coef(r0.fit.ci_low[t])} to "
                                                            f"{fmt_coef(r0.fit.ci_high[t])}",
                             "bootstrap p": fmt_p(r0.boot.get(t)), "CR1 p": fmt_p(float(r0.fit.pvalues[t]))})
        for grp, res in a.income_split.items():
            for x in REGRESSORS:
                match = next(r for r in rows if r["regressor"] == LABELS[x]) if rows else None
                val = fmt_coef(res.fit.params[x], res.boot.get(x)) if res.ok else "n/a"
                if match is not None:
                    match[f"split sample: {grp}"] = val
        if rows:
            page.table(pd.DataFrame(rows), name="heterogeneity",
                       caption=("Heterogeneity: main specification with each regressor interacted with high-income "
                                "membership, and the same model estimated separately on each group (stars: bootstrap "
                                "p; with so few clusters per group these are descriptive)."),
                       source="estimates of this chapter; income groups: data/countries.csv (World Bank FY2025)")
        else:
            page.note(f"The interaction model cannot be estimated: {r0.error}", "warning")
        page.glue("het_p", fmt_p(a.verdicts["c"]["main_p"]))

    # ------------------------------------------------------------ diagnostics
    def diagnostics(self) -> None:
        page, a = self.page, self.a
        vif = a.vif.copy()
        vif.index = [LABELS[i] for i in vif.index]
        vif = vif.reset_index(names="regressor")
        page.table(vif, name="vif", caption="Variance inflation factors of the main model's regressors",
                   source="computed from the estimation sample", formats={c: ",.2f" for c in vif.columns[1:]})
        wmax = a.vif.iloc[:, 1].idxmax()
        page.glue("vif_max", f"{text.num(float(a.vif.iloc[:, 1].max()), 1)} ({LABELS[wmax]})")
        page.glue("vif_pooled_max", text.num(float(a.vif.iloc[:, 0].max()), 1))
        mu = a.mundlak
        page.glue("mundlak_F", text.num(mu.F, 2))
        page.glue("mundlak_p", fmt_p(mu.p_boot))
        page.glue("mundlak_p_cr1", fmt_p(mu.p_cr1))
        page.glue("mundlak_reading", "the country means matter: the regressors are correlated with the country "
                  "effects, so random effects would be inconsistent and fixed effects are needed" if mu.p_boot < 0.05
                  else "the country means are not jointly significant: random effects are not rejected, though "
                  "fixed effects remain consistent either way")
        m = a.main_fit
        df = m.frame[["iso3", "year", "high_income"]].assign(fitted=m.fit.fitted, residual=m.fit.resid)
        df["country"] = df["iso3"].map(ds.display_name)
        df["group"] = np.where(df["high_income"] == 1, "High income", "Other members")
        big = df.loc[df["residual"].abs().idxmax()]
        page.glue("resid_max", f"{big['country']} {int(big['year'])} ({fmt_coef(big['residual'])} log points)")
        df = _round(df[["country", "year", "group", "fitted", "residual"]])
        page.figure(chart_residuals(df), name="residuals",
                    title=f"Residuals show no funnel; the largest is {big['country']} {int(big['year'])}",
                    subtitle="Main model: residual against fitted value (log points)",
                    source="estimates of this chapter", data=df,
                    alt=(f"Scatter of {len(df)} residuals against fitted values of the main model; the largest "
                         f"absolute residual is {big['country']} in {int(big['year'])}."))
        # leave one country out
        lm = a.loco_main[a.loco_main["term"] != "log_ict"].copy()
        lm["panel"] = lm["term"].map(SHORT)
        li = a.loco_ict[a.loco_ict["term"] == "log_ict"].copy()
        li["panel"] = "ICT exports (non-ICT model)"
        loco = pd.concat([lm, li], ignore_index=True)
        loco["omitted"] = loco["omitted"].map(ds.display_name)
        full = pd.DataFrame({"panel": [SHORT[x] for x in REGRESSORS[:3]] + ["ICT exports (non-ICT model)"],
                             "full": [float(m.fit.params[x]) for x in REGRESSORS[:3]]
                             + [float(a.ict_fit.fit.params["log_ict"])]})
        flips = []
        for panel_name, g in loco.groupby("panel"):
            f0 = float(full.loc[full["panel"] == panel_name, "full"].iloc[0])
            flipped = g[np.sign(g["coef"]) != np.sign(f0)]
            flips += [f"{panel_name} without {o}" for o in flipped["omitted"]]
        page.glue("loco_flips", text.listing(flips) if flips else "none")
        full_ci = {SHORT[x]: (float(m.fit.ci_low[x]), float(m.fit.ci_high[x])) for x in REGRESSORS[:3]}
        full_ci["ICT exports (non-ICT model)"] = (float(a.ict_fit.fit.ci_low["log_ict"]),
                                                  float(a.ict_fit.fit.ci_high["log_ict"]))
        outside = [f"{r.panel} without {r.omitted}" for r in loco.itertuples()
                   if not full_ci[r.panel][0] <= r.coef <= full_ci[r.panel][1]]
        page.glue("loco_outside", text.listing(outside) if outside else "none")
        title = ("Leaving out any one country keeps every estimate inside the full-sample confidence interval"
                 if not outside else f"Leaving out one country moves {len(outside)} estimate"
                 f"{'s' if len(outside) > 1 else ''} outside the full-sample confidence interval")
        page.figure(chart_loco(_round(loco), _round(full)), name="leave-one-out", title=title,
                    subtitle="Coefficient (95 % CI) with each country left out; dashed line = full sample",
                    source="estimates of this chapter", data=_round(loco.merge(full, on="panel")),
                    alt=(f"Four panels of leave-one-country-out estimates. Sign flips: "
                         f"{text.listing(flips) if flips else 'none'}."))

    # ------------------------------------------------------------ scenarios
    def scenarios(self) -> None:
        page, a, p = self.page, self.a, self.p
        s = a.scenario
        iso = p["scenario_country"]
        page.glue("sc_country", ds.display_name(iso))
        page.glue("horizon", str(p["horizon"]))
        if not s["available"]:
            page.glue("sc_t0", "n/a")
            page.glue("sc_base", "n/a")
            for k in ("low", "central", "high"):
                page.glue(f"sc_{k}", "n/a")
            page.note(f"{ds.display_name(iso)} has no observation in the estimation sample ({s['reason']}), so no "
                      "scenario can start from its last observed values.", "warning")
            return
        paths = s["paths"]
        H = p["horizon"]
        end = paths[paths["year"] == H].set_index("scenario")
        page.glue("sc_t0", str(s["t0"]))
        page.glue("sc_base", text.usd(s["y0_bn"] * 1e9, "bn"))
        rows = []
        for k in ("low", "central", "high"):
            e = end.loc[k]
            ch = (math.exp(e["central"]) - 1) * 100
            lo, hi = (math.exp(e["low"]) - 1) * 100, (math.exp(e["high"]) - 1) * 100
            page.glue(f"sc_{k}", f"{text.usd(e['central_bn'] * 1e9, 'bn')} ({text.pct(ch, 0, sign=True)}; band "
                      f"{text.pct(lo, 0, sign=True)} to {text.pct(hi, 0, sign=True)})")
            rows.append({"scenario": k, "GDP growth (% a year)": p["gdp_growth"][k],
                         "openness change (points)": p["openness_change"][k],
                         "infrastructure change": p["infrastructure_change"][k],
                         f"exports {H}, US$ bn": e["central_bn"],
                         "95 % band": f"{text.num(e['low_bn'], 1)}–{text.num(e['high_bn'], 1)}",
                         f"change vs {s['t0']}": text.pct(ch, 1, sign=True)})
        tab = pd.DataFrame(rows)
        page.table(tab, name="scenarios",
                   caption=(f"Scenarios for {ds.display_name(iso)} to {H}, conditional on the main model (not a "
                            f"forecast). Start: last observed year {s['t0']}."
                            + (f" Caps applied: {'; '.join(s['notes'])}." if s["notes"] else "")),
                   source="coefficients of the main model; starting values from the curated tables",
                   formats={"GDP growth (% a year)": ".1f", "openness change (points)": ".1f",
                            "infrastructure change": ".1f", f"exports {H}, US$ bn": ",.1f"})
        hist = _round(s["history"][["year", "value_bn"]])
        hist = hist[hist["year"] >= s["t0"] - 8]
        pth = _round(paths[["scenario", "year", "central_bn", "low_bn", "high_bn"]])
        c = end.loc["central"]
        title = (f"Under the model, the central path takes {ds.display_name(iso)}'s "
                 f"{DEPENDENT_LABELS[a.main.dependent].replace('log ', '')} to {text.usd(c['central_bn'] * 1e9, 'bn')} "
                 f"by {H} (95 % band {text.num(c['low_bn'], 1)}–{text.num(c['high_bn'], 1)})")
        page.figure(chart_scenarios(hist, pth), name="scenarios", title=title,
                    subtitle=[f"US$ bn; observed to {s['t0']}, scenario paths to {H} (left) and values at {H} "
                              "(right), with 95 % bands from the coefficients' uncertainty",
                              "Conditional on the model, not a forecast"],
                    source=f"{SOURCE_WDI}; coefficients of this chapter",
                    alt=(f"Observed values for {ds.display_name(iso)} up to {s['t0']} and three scenario paths to {H}: "
                         + "; ".join(f"{k} {text.num(end.loc[k, 'central_bn'], 1)} US$ bn" for k in
                                     ("low", "central", "high")) + "."),
                    data=pd.concat([hist.assign(scenario="observed"), pth], ignore_index=True))

    # ------------------------------------------------------------ strategy
    def strategy(self) -> None:
        page, a = self.page, self.a
        page.table(strategy_steps(), name="strategy-steps",
                   caption="The study's pathway, step by step, in its own words (its recommendations, not findings "
                           "of this report)",
                   source="the main study (seed 000), sections 3.2 (core path) and 4 (summary and recommendations)")
        tab, sources = strategy_indicators(a.inputs)
        page.table(tab, name="strategy-indicators",
                   caption="Latest values of the indicators that would track the pathway, for the members the study "
                           "names and the region (value and year)",
                   source="; ".join(sources))

    def guizhou(self) -> None:
        page, a = self.page, self.a
        ctx = national_context(a.inputs)
        rows = []
        reg = claims.register_table()
        for cid in ("S004-004", "S004-006", "S004-003", "S004-005", "S004-007"):
            row = reg.loc[cid]
            unit = {"percent": "%", "cny_bn": "billion yuan"}.get(row["unit"], row["unit"])
            rows.append({"target (Guizhou)": row["subject"], "stated": f"more than {row['value']:g} {unit}",
                         "by": row["year"], "national figure (context)": ctx[cid]})
        page.table(pd.DataFrame(rows), name="guizhou-context",
                   caption=("Guizhou's provincial targets next to the national figures the data hold. Context only: "
                            "a province is not the nation, and a target is not an outcome."),
                   source=f"data/claims.csv (seed 004 quotes); {SOURCE_WDI}; {SOURCE_UNCTAD}")

    # ------------------------------------------------------------ closing
    def closing(self) -> None:
        page, a = self.page, self.a
        m = a.main_fit
        parts = []
        for x in REGRESSORS:
            src = a.ict_fit if x == "log_ict" else m
            parts.append(f"{LABELS[x]} {fmt_coef(src.fit.params[x])} (p = {fmt_p(src.boot.get(x))}"
                         + (", non-ICT model" if x == "log_ict" and a.main.dependent != "dds_exports_non_ict" else "")
                         + ")")
        page.glue("closing_coefs", "; ".join(parts))
        page.glue("closing_spec", a.main.describe())


def national_context(inputs: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """China's national figures put next to Guizhou's targets (context, not checks)."""
    w = inputs["wdi"]
    w = w[w["iso3"] == "CHN"]
    serv = (w[w["indicator"].isin(["BX.GSR.NFSV.CD", "BM.GSR.NFSV.CD"])].pivot_table(
        index="year", columns="indicator", values="value").dropna())
    serv_tot = (serv.sum(axis=1)).sort_index()
    un = inputs["unctad"]
    un = un[un["iso3"] == "CHN"].set_index("year")["value_usd_mn"] * 1e6
    imp = inputs["unctad_imports"]
    imp = imp[imp["iso3"] == "CHN"].set_index("year")["value_usd_mn"] * 1e6
    dds = (un + imp).dropna()
    common = sorted(set(dds.index) & set(serv_tot.index))
    out = {}
    if common:
        y = common[-1]
        share = 100 * dds.loc[y] / serv_tot.loc[y]
        s = f"China, DDS share of services trade: {text.pct(share, 1)} ({y}; UNCTAD DDS / WDI services, both flows)"
    else:
        s = "no national figure in data/"
    out["S004-004"] = out["S004-006"] = s
    if serv_tot.empty:
        out["S004-003"] = out["S004-005"] = out["S004-007"] = "no national figure in data/"
        return out
    ly = int(serv_tot.index.max())
    out["S004-003"] = out["S004-005"] = (f"China, services trade: {text.usd(serv_tot.loc[ly], 'bn')} ({ly}; WDI, "
                                         "exports + imports; US$, not CNY, and national)")
    fy = ly - 5
    if fy in serv_tot.index:
        g = text.cagr(serv_tot.loc[fy], serv_tot.loc[ly], 5)
        out["S004-007"] = f"China, services trade growth {fy}–{ly}: {text.pct(g, 1)} a year (WDI, US$, national)"
    else:
        out["S004-007"] = "no national figure in data/"
    return out


# --------------------------------------------------------------------------- claims of this chapter

CLAIM_IDS = ("S000-001", "S000-002", "S000-066", "S000-067", "S000-085", "S002-007", "S003-003", "S003-004",
             "S004-001", "S004-002", "S004-003", "S004-004", "S004-005", "S004-006", "S004-007")


@claims.register("S000-001")
def _check_china_largest_developing(row: pd.Series) -> claims.Result:
    """'Largest developing country in the region': China's GDP rank among RCEP members that the World Bank
    does not classify as high income."""
    w = ds.load_wdi("NY.GDP.MKTP.CD", countries=list(ds.RCEP))
    year = int(w.groupby("iso3")["year"].max().min())
    groups = ds.country_groups()
    dev = [c for c in ds.RCEP if c not in groups["high_income_rcep"]]
    g = w[(w["year"] == year) & w["iso3"].isin(dev)].set_index("iso3")["value"].sort_values(ascending=False)
    rank = float(list(g.index).index("CHN") + 1)
    return claims.compare(row, rank, method=(f"rank of China's GDP (current US$, {year}) among the {len(g)} RCEP "
                                             "members the World Bank does not classify as high income ('developing' "
                                             "read as not high income)"), source="WDI NY.GDP.MKTP.CD; data/countries.csv")


@claims.register("S000-002")
def _rcep_largest_fta(row: pd.Series) -> claims.Result:
    w = ds.load_wdi(["NY.GDP.MKTP.CD", "SP.POP.TOTL"], countries=[*ds.RCEP, "WLD"], wide=True)
    year = int(w.dropna().groupby("iso3")["year"].max().min())
    y = w[w["year"] == year].set_index("iso3")
    gdp = 100 * y.loc[list(ds.RCEP), "NY.GDP.MKTP.CD"].sum() / y.loc["WLD", "NY.GDP.MKTP.CD"]
    pop = 100 * y.loc[list(ds.RCEP), "SP.POP.TOTL"].sum() / y.loc["WLD", "SP.POP.TOTL"]
    return claims.unverifiable(row, (
        "a rank among free trade areas needs the members of the others (USMCA, EU, CPTPP, AfCFTA...), which data/ "
        f"does not hold, and 'largest' is not defined (GDP, trade, population, members). Context: RCEP members had "
        f"{text.pct(gdp, 1)} of world GDP and {text.pct(pop, 1)} of world population in {year} (WDI)"))


claims.not_checkable("no table in data/ records China's negative list for cross-border services trade, its areas "
                     "or an 'opening dividend' (which the study does not define)", "S000-066", "S000-067")
claims.not_checkable("a count of items in the text's own argument (an enumeration), not a statistic that data "
                     "could confirm; the items themselves are listed in the source text", "S000-085", "S002-007",
                     "S003-003", "S003-004")
claims.not_checkable("a count of tasks/aspects in a Guizhou provincial policy document, which is not in data/",
                     "S004-001", "S004-002")


def _guizhou_target(row: pd.Series) -> claims.Result:
    ctx = national_context(load_inputs())
    return claims.unverifiable(row, ("a provincial target for the future: data/ has no provincial series. National "
                                     f"context (not a check): {ctx[row['claim_id']]}"))


for _cid in ("S004-003", "S004-004", "S004-005", "S004-006", "S004-007"):
    claims.register(_cid)(_guizhou_target)


def show_claims(page, ids: Sequence[str], name: str, caption: str) -> pd.DataFrame:
    return claims.show(page, ids, name=name, caption=caption)
