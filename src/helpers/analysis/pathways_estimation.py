"""RCEP pathways, step 2: estimating every specification the chapter shows (pure, no page).

:class:`Estimates` fits a specification once, on demand, and keeps it: the main model, its fixed-effects
variants, the robustness specifications the verdicts must survive and the cells of the robustness grid are
the same objects, so a number on the page comes from one fit wherever it appears. For each specification
(:class:`SpecTests`):

* ``base`` — the four regressors, wild cluster restricted bootstrap p-value for each;
* ``period`` — every regressor interacted with the late half of the main sample (bootstrap p for the
  infrastructure and ICT interactions);
* ``income`` — every regressor interacted with high-income membership (bootstrap p of the joint test and of
  each interaction);
* ``rolling`` — the base model in every window of ``window`` consecutive years (95 % and 90 % intervals).

All bootstraps share the seed, so a specification's p-values do not depend on the order of the fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from helpers.analysis import models
from helpers.analysis.pathways_panel import (
    DEPENDENTS,
    FIXED_EFFECTS,
    MIN_CLUSTERS,
    OUTCOMES,
    REGRESSORS,
    Spec,
    spec_frame,
)

BOOT_WEIGHTS = "webb"
# the other fixed-effects specification, used as a robustness check of the main one
FE_ROBUST = {"twoway": "country", "country": "twoway", "none": "twoway"}
PERIOD_TESTED = ("infrastructure_x_late", "log_ict_x_late")
INCOME_TERMS = tuple(f"{x}_x_high" for x in REGRESSORS)
JOINT_INCOME = "+".join(INCOME_TERMS)
ROLLING_COLUMNS = ["start", "end", "mid", "term", "coef", "se", "low", "high", "low90", "high90", "n", "countries"]


@dataclass
class Fit:
    """One fitted model, or why it could not be fitted."""

    spec: Spec
    fit: models.PanelFit | None
    frame: pd.DataFrame | None
    boot: dict[str, float] = field(default_factory=dict)  # bootstrap p per tested term ("a+b" = joint)
    sd_within: dict[str, float] = field(default_factory=dict)  # sd net of the fixed effects (regressors and "y")
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.fit is not None

    def scale(self, term: str) -> float:
        """sd(regressor)/sd(dependent), both net of the fixed effects: multiplies a coefficient (or an
        interaction of the regressor) into a standardised within coefficient."""
        base = term.replace("_x_late", "").replace("_x_high", "")
        sx, sy = self.sd_within.get(base, np.nan), self.sd_within.get("y", np.nan)
        return sx / sy if sy > 0 else float("nan")


@dataclass
class SpecTests:
    spec: Spec
    base: Fit
    period: Fit
    income: Fit
    rolling: pd.DataFrame
    income_testable: bool  # both income groups have at least two members in the sample


def with_terms(frame: pd.DataFrame, kind: str | None, fe: str, split_year: int | None) -> tuple[pd.DataFrame, list]:
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
            terms.append("late")  # absorbed by the year dummies under two-way FE
        return f, terms
    if kind == "income":
        for x in REGRESSORS:
            f[f"{x}_x_high"] = f[x] * f["high_income"]
        return f, list(INCOME_TERMS) + (["high_income"] if fe == "none" else [])  # else absorbed by country FE
    raise ValueError(f"unknown interaction kind {kind!r}")


def estimate(
    frame: pd.DataFrame,
    spec: Spec,
    *,
    reps: int,
    seed: int,
    tests: Sequence[Sequence[str] | str] = (),
    kind: str | None = None,
    split_year: int | None = None,
    min_clusters: int = MIN_CLUSTERS,
    within: bool = False,
) -> Fit:
    """Fit one specification on ``frame`` (generic columns, see :func:`spec_frame`); a bootstrap p-value for each
    entry of ``tests`` (a tuple of terms = a joint test). ``within``: also record the within standard deviations."""
    try:
        if frame["iso3"].nunique() < min_clusters:
            raise models.EstimationError(
                f"only {frame['iso3'].nunique()} members with complete data (at least {min_clusters} are needed)"
            )
        f2, extra = with_terms(frame, kind, spec.fe, split_year)
        fit = models.fit_panel(f2, "y", [*REGRESSORS, *extra], spec.fe, min_groups=min_clusters)
    except (models.EstimationError, np.linalg.LinAlgError) as exc:
        return Fit(spec, None, frame, error=str(exc))
    res = Fit(spec, fit, f2)
    if within:
        resid = models.residualise_on_fe(f2, [*REGRESSORS, "y"], spec.fe)
        res.sd_within = {c: float(resid[c].std(ddof=1)) for c in resid.columns}
    for terms in tests:
        terms = (terms,) if isinstance(terms, str) else tuple(terms)
        b = models.wild_cluster_bootstrap(fit.design, list(terms), reps=reps, seed=seed, weights=BOOT_WEIGHTS)
        res.boot["+".join(terms)] = b.pvalue
    return res


def rolling(frame: pd.DataFrame, spec: Spec, window: int, *, min_clusters: int = MIN_CLUSTERS) -> pd.DataFrame:
    """Coefficients of the specification in every window of ``window`` consecutive years (CR1, t(G-1)
    intervals at 95 % and 90 %); windows that cannot be fitted are left out."""
    yv, Xv = frame["y"].to_numpy(dtype=float), frame[list(REGRESSORS)].to_numpy(dtype=float)
    ent, tim = frame["iso3"].astype(str).to_numpy(), frame["year"].to_numpy(dtype=int)
    rows = []
    for start in range(int(tim.min()), int(tim.max()) - window + 2) if len(tim) else ():
        end = start + window - 1
        m = (tim >= start) & (tim <= end)
        try:
            des = models.design_from_arrays(yv[m], Xv[m], ent[m], tim[m], REGRESSORS, spec.fe, min_groups=min_clusters)
            fit = models.fit_design(des, spec.fe)
        except (models.EstimationError, np.linalg.LinAlgError):
            continue
        low90, high90 = fit.ci(0.90)
        rows += [
            {
                "start": start,
                "end": end,
                "mid": (start + end) / 2,
                "term": x,
                "coef": float(fit.params[x]),
                "se": float(fit.bse[x]),
                "low": float(fit.ci_low[x]),
                "high": float(fit.ci_high[x]),
                "low90": float(low90[x]),
                "high90": float(high90[x]),
                "n": fit.nobs,
                "countries": fit.n_groups,
            }
            for x in REGRESSORS
        ]
    return pd.DataFrame(rows, columns=ROLLING_COLUMNS)


def income_testable(frame: pd.DataFrame) -> bool:
    g = frame.groupby("iso3")["high_income"].first()
    return int((g == 1).sum()) >= 2 and int((g == 0).sum()) >= 2


class Estimates:
    """Every specification of the chapter, fitted once on demand (see the module docstring)."""

    def __init__(self, panel: pd.DataFrame, *, reps: int, seed: int, split_year: int, window: int):
        self.panel, self.reps, self.seed, self.split_year, self.window = panel, reps, seed, split_year, window
        self._tests: dict[Spec, SpecTests] = {}

    def frame(self, spec: Spec) -> pd.DataFrame:
        return spec_frame(self.panel, spec)

    def tests(self, spec: Spec) -> SpecTests:
        if spec not in self._tests:
            f = self.frame(spec)
            kw = {"reps": self.reps, "seed": self.seed}
            base = estimate(f, spec, tests=REGRESSORS, within=True, **kw)
            period = estimate(f, spec, kind="period", split_year=self.split_year, tests=PERIOD_TESTED, **kw)
            testable = len(f) > 0 and income_testable(f)
            income = (
                estimate(f, spec, kind="income", tests=[INCOME_TERMS, *INCOME_TERMS], **kw)
                if testable
                else Fit(spec, None, f, error="an income group has fewer than two members in the sample")
            )
            for fit in (period, income):
                fit.sd_within = base.sd_within  # the same rows: scale interactions by the base model's sds
            roll = rolling(f, spec, self.window) if len(f) else pd.DataFrame(columns=ROLLING_COLUMNS)
            self._tests[spec] = SpecTests(spec, base, period, income, roll, testable)
        return self._tests[spec]

    def base(self, spec: Spec) -> Fit:
        return self.tests(spec).base


# --------------------------------------------------------------------------- which specifications


def fe_variants(main: Spec) -> list[Spec]:
    """The main specification with each kind of fixed effects (none, country, two-way)."""
    return [replace(main, fe=fe) for fe in FIXED_EFFECTS]


def form_variants(main: Spec) -> list[Spec]:
    """The main specification with same-year regressors, regressors lagged one year, and GDP net of service
    exports (the forms that address GDP containing the outcome)."""
    return [replace(main, form=f) for f in ("same_year", "lagged", "gdp_net")]


def robustness_specs(main: Spec, openness: Sequence[str], *, other_dependent: bool = True) -> list[Spec]:
    """The specifications a verdict must survive, for a main specification: the other dependent variable
    (total or non-ICT part; not for the ICT part, which is read from the non-ICT part only), each other
    outcome measure, each alternative openness measure, the other fixed-effects specification, lagged
    regressors and GDP net of service exports."""
    out = []
    if other_dependent:
        out.append(replace(main, dependent=next(d for d in DEPENDENTS if d != main.dependent)))
    out += [replace(main, outcome=o) for o in OUTCOMES if o != main.outcome]
    out += [replace(main, openness=m) for m in openness if m != main.openness]
    out.append(replace(main, fe=FE_ROBUST[main.fe]))
    out += [replace(main, form=f) for f in ("lagged", "gdp_net") if f != main.form]
    return out


def grid_specs(main: Spec, openness: Sequence[str]) -> list[Spec]:
    """The robustness grid: every outcome measure (total and non-ICT part) × every openness measure × every
    kind of fixed effects, and, for the main outcome and openness measure, the two forms of the regressors
    that address GDP containing exports (lagged regressors, GDP net of service exports)."""
    cells = [
        Spec(o, d, m, main.infrastructure, fe)
        for o in OUTCOMES
        for d in DEPENDENTS
        for m in openness
        for fe in FIXED_EFFECTS
    ]
    cells += [
        Spec(main.outcome, d, main.openness, main.infrastructure, fe, form)
        for form in ("lagged", "gdp_net")
        for d in DEPENDENTS
        for fe in FIXED_EFFECTS
    ]
    return list(dict.fromkeys(cells))


def robustness_grid(est: Estimates, main: Spec, openness: Sequence[str]) -> list[SpecTests]:
    return [est.tests(s) for s in grid_specs(main, openness)]


# --------------------------------------------------------------------------- diagnostics of the main model


def leave_one_out(frame: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """The base model without each member in turn (descriptive: at least three members left)."""
    rows = []
    for iso in sorted(frame["iso3"].unique()):
        try:
            fit = models.fit_panel(frame[frame["iso3"] != iso], "y", list(REGRESSORS), spec.fe)
        except (models.EstimationError, np.linalg.LinAlgError):
            continue
        rows += [
            {
                "omitted": iso,
                "term": x,
                "coef": float(fit.params[x]),
                "low": float(fit.ci_low[x]),
                "high": float(fit.ci_high[x]),
            }
            for x in REGRESSORS
        ]
    return pd.DataFrame(rows, columns=["omitted", "term", "coef", "low", "high"])


def income_split(frame: pd.DataFrame, spec: Spec, *, reps: int, seed: int) -> dict[str, Fit]:
    """The base model estimated separately on each income group (descriptive: at least three members)."""
    return {
        grp: estimate(
            frame[frame["high_income"] == val].reset_index(drop=True),
            spec,
            reps=reps,
            seed=seed,
            tests=REGRESSORS,
            min_clusters=3,
        )
        for grp, val in (("high", 1.0), ("other", 0.0))
    }


def collinearity(frame: pd.DataFrame, fe: str) -> pd.DataFrame:
    """Variance inflation factors of the regressors: pooled, and net of the model's fixed effects."""
    return pd.DataFrame(
        {
            "pooled": models.vif(frame[list(REGRESSORS)]),
            "within": models.vif(models.residualise_on_fe(frame, list(REGRESSORS), fe)),
        }
    )


def mundlak(frame: pd.DataFrame, fe: str, *, reps: int, seed: int) -> models.MundlakResult:
    return models.mundlak_test(
        frame, "y", list(REGRESSORS), time_effects=fe == "twoway", reps=reps, seed=seed, weights=BOOT_WEIGHTS
    )
