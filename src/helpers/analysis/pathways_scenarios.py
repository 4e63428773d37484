"""RCEP pathways, step 4: conditional scenarios from the main specification (pure, no page).

A scenario asks what the main model's coefficients would imply *if* GDP, openness and infrastructure
followed given paths: the implied change in log exports is Σ β_k Δx_k, with a band from drawing the
coefficients from their estimated (cluster-robust) distribution. It is conditional on the model, not a
forecast: year effects, ICT exports and everything the model omits are held at the last observed year.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.analysis import models
from helpers.analysis.pathways_estimation import Fit
from helpers.analysis.pathways_panel import REGRESSORS, Spec, infra_transform

SCENARIOS = ("low", "central", "high")
DRAWS = 2000


@dataclass(frozen=True)
class Cap:
    """A scenario path that hit the end of its variable's scale at the horizon."""

    scenario: str
    variable: str  # "openness" or "infrastructure"
    value: float


@dataclass
class ScenarioResult:
    country: str
    available: bool
    reason: str = ""  # why not: "not_selected", "not_in_sample", "model_not_estimable", "regressor_form"
    missing: tuple = ()  # for "not_in_sample": the missing series' keys, most frequent first
    t0: int | None = None  # last year of the country in the estimation sample
    y0: float | None = None  # exports in that year (US$)
    paths: pd.DataFrame | None = None
    history: pd.DataFrame | None = None
    caps: list[Cap] = field(default_factory=list)


def scenario_paths(
    last: Mapping[str, float], t0: int, horizon: int, p: Mapping, infra: Mapping, opn: Mapping
) -> tuple[pd.DataFrame, list[Cap]]:
    """Changes of the regressors from the last observed year ``t0`` to each year up to the horizon.

    GDP grows at the scenario's constant rate (Δ log GDP = years × log(1+g)); openness and the
    infrastructure level move linearly to their scenario change at the horizon, capped at the ends of
    their scales (each cap is returned); ICT exports are held at their last value."""
    rows, caps = [], []
    span = horizon - t0
    for s in SCENARIOS:
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
                    caps.append(Cap(s, "openness", o_cap))
                if i_cap != i_new:
                    caps.append(Cap(s, "infrastructure", i_cap))
            d_infra = float(
                infra_transform(infra["code"], [i_cap])[0] - infra_transform(infra["code"], [last["infra_level"]])[0]
            )
            rows.append(
                {
                    "scenario": s,
                    "year": t,
                    "log_gdp": k * math.log1p(g / 100),
                    "openness": o_cap - last["openness"],
                    "infrastructure": d_infra,
                    "log_ict": 0.0,
                    "openness_level": o_cap,
                    "infra_level": i_cap,
                }
            )
    return pd.DataFrame(rows), caps


def scenario(
    panel: pd.DataFrame, main: Fit, coverage: pd.DataFrame, p: Mapping, infra: Mapping, opn: Mapping
) -> ScenarioResult:
    """Scenarios for ``p["scenario_country"]`` from the main model ``main`` (its coefficients and sample).
    ``coverage`` is the main specification's coverage (to say why a member has no observation)."""
    iso = p["scenario_country"]
    spec: Spec = main.spec
    if iso not in set(coverage["iso3"]):
        return ScenarioResult(iso, False, "not_selected")
    if not main.ok:
        return ScenarioResult(iso, False, "model_not_estimable")
    rows = main.frame[main.frame["iso3"] == iso]
    if rows.empty:
        why = coverage[(coverage["iso3"] == iso) & ~coverage["in_sample"]]["missing"].explode().value_counts()
        return ScenarioResult(iso, False, "not_in_sample", missing=tuple(why.index))
    if spec.form != "same_year":
        return ScenarioResult(iso, False, "regressor_form")
    t0 = int(rows["year"].max())
    last_row = panel[(panel["iso3"] == iso) & (panel["year"] == t0)].iloc[0]
    last = {"openness": float(last_row[f"open__{spec.openness}"]), "infra_level": float(last_row["infra_level"])}
    paths, caps = scenario_paths(last, t0, p["horizon"], p, infra, opn)
    eff = models.draw_linear_effects(
        main.fit.params, main.fit.vcov, paths[list(REGRESSORS)], draws=DRAWS, seed=p["seed"]
    )
    y0 = float(rows.loc[rows["year"] == t0, "y"].iloc[0])
    paths = pd.concat([paths, eff], axis=1)
    for c in ("central", "low", "high"):
        paths[f"{c}_value"] = np.exp(y0 + paths[c])
    history = rows[["year", "y"]].assign(value=lambda d: np.exp(d["y"]))[["year", "value"]].reset_index(drop=True)
    return ScenarioResult(iso, True, t0=t0, y0=math.exp(y0), paths=paths, history=history, caps=caps)
