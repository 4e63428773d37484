"""RCEP pathways: human labels and the sentences of the page, chosen from computed facts.

Every sentence whose truth depends on the data or the parameters is built here by a function of the results
(unit-tested for several parameter sets), in associative language: the regressions show associations, not
effects. Internal codes (measure ids, WDI codes) never reach a reader: :func:`open_name`, :func:`series_label`
and the label dictionaries map them to names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd

from helpers import registry, text
from helpers.analysis import pathways_verdicts as rules
from helpers.analysis.pathways_panel import Spec, infra_meta, openness_meta
from helpers.data import datastore as ds

SHORT = {"log_gdp": "GDP", "openness": "Openness", "infrastructure": "Infrastructure", "log_ict": "ICT exports"}
LABELS = {
    "log_gdp": "log GDP (economic scale)",
    "openness": "institutional openness",
    "infrastructure": "digital infrastructure",
    "log_ict": "log ICT service exports",
}
OUTCOME_LABELS = {
    "wto_delivered": "WTO digitally delivered exports",
    "unctad_deliverable": "UNCTAD digitally deliverable exports",
    "wdi_composition": "the WDI proxy (service exports × composition shares)",
}
OUTCOME_SHORT = {
    "wto_delivered": "WTO delivered",
    "unctad_deliverable": "UNCTAD deliverable",
    "wdi_composition": "WDI proxy",
}
DEPENDENT_SHORT = {"dds_exports": "total", "dds_exports_non_ict": "non-ICT part"}
FE_LABELS = {
    "none": "pooled OLS without fixed effects",
    "country": "country fixed effects",
    "twoway": "country and year fixed effects",
}
FE_SHORT = {"none": "Pooled OLS", "country": "Country FE", "twoway": "Two-way FE"}
FORM_LABELS = {
    "same_year": "same-year regressors",
    "lagged": "regressors lagged one year",
    "gdp_net": "GDP net of service exports",
}
CLAIMS = {
    "a": "scale and openness are positively associated with digital service exports",
    "b": "the associations of infrastructure and ICT exports weaken over time",
    "c": "the associations differ between high-income members and the others",
}
PART_LABELS = {
    "log_gdp": "GDP, positive association",
    "openness": "openness, positive association",
    "infrastructure": "infrastructure, weakening",
    "log_ict": "ICT exports, weakening",
    "heterogeneity": "all four × high income",
}
CLASS_LABELS = {
    rules.FOR: "for the claim",
    rules.AGAINST: "against the claim",
    rules.OPEN: "too wide to tell",
    rules.CONFLICT: "tests disagree",
}
SERIES = {
    "wto": "WTO digitally delivered exports",
    "unctad": "UNCTAD digitally deliverable exports",
    "nfsv": "service exports (WDI)",
    "cmcp": "computer, communications & other share (WDI)",
    "insf": "insurance & financial share (WDI)",
    "gdp": "GDP",
    "ccis": "ICT service exports (WDI)",
    "ict_not_positive": "ICT service exports not positive",
    "outcome_not_positive": "exports not positive",
    "non_ict_not_positive": "non-ICT part not positive (exports ≤ ICT exports)",
    "gdp_net_not_positive": "GDP not above service exports",
    "infrastructure_not_positive": "infrastructure level zero (its log is undefined)",
}


# --------------------------------------------------------------------------- names and numbers


def country(iso: str) -> str:
    try:
        return ds.display_name(iso)
    except ds.DataRequestError:
        return iso


@cache
def open_name(measure: str) -> str:
    """'KOF Trade Globalisation (de jure)', 'Regulatory Quality: Estimate (WGI)' — never the code."""
    return openness_meta(measure)["name"]


@cache
def infra_name(code: str) -> str:
    return infra_meta(code)["name"]


def series_label(key: str, spec: Spec) -> str:
    """Human label of a coverage code (see ``pathways_panel.coverage``)."""
    base, prev = (key[:-5], True) if key.endswith("@prev") else (key, False)
    label = {"openness": open_name(spec.openness), "infrastructure": infra_name(spec.infrastructure)}.get(
        base, SERIES.get(base, base)
    )
    return f"{label} in the year before" if prev else label


def fmt_coef(x: float | None, p: float | None = None) -> str:
    """Three decimals; two significant digits below 0.01 in absolute value; stars from the bootstrap p."""
    if x is None or not np.isfinite(x):
        return "n/a"
    s = f"{x:.3f}" if abs(x) >= 0.01 or x == 0 else f"{x:.{-math.floor(math.log10(abs(x))) + 1}f}"
    stars = (
        "" if p is None or not np.isfinite(p) else "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""
    )
    return s.replace("-", "−") + stars


def p_is(p: float | None) -> str:
    """'p = 0.123', or 'p < 0.001' (never 'p = < 0.001')."""
    out = fmt_p(p)
    return f"p {out}" if out.startswith("<") else f"p = {out}"


def money(value: float, reference: float | None = None) -> tuple[str, float]:
    """(unit, scale) for US$ amounts: billions, or millions when the reference amount is below US$ 10 bn (so
    that a small member's exports do not print as 'US$ 0.0 bn')."""
    ref = value if reference is None else reference
    return ("bn", 1e9) if abs(ref) >= 1e10 else ("mn", 1e6)


def fmt_p(p: float | None) -> str:
    if p is None or not np.isfinite(p):
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def describe(spec: Spec) -> str:
    """The whole specification in words."""
    dep = "" if spec.dependent == "dds_exports" else ", non-ICT part"
    form = "" if spec.form == "same_year" else f", {FORM_LABELS[spec.form]}"
    return (
        f"{OUTCOME_LABELS[spec.outcome]}{dep}; openness: {open_name(spec.openness)}; "
        f"infrastructure: {infra_name(spec.infrastructure)}; {FE_LABELS[spec.fe]}{form}"
    )


def spec_label(spec: Spec, main: Spec) -> str:
    """How ``spec`` differs from ``main``, in a few words ("main" if it does not)."""
    diff = []
    if spec.outcome != main.outcome:
        diff.append(OUTCOME_SHORT[spec.outcome])
    if spec.dependent != main.dependent:
        diff.append(DEPENDENT_SHORT[spec.dependent])
    if spec.openness != main.openness:
        diff.append(f"openness: {open_name(spec.openness)}")
    if spec.fe != main.fe:
        diff.append(FE_SHORT[spec.fe])
    if spec.form != main.form:
        diff.append(FORM_LABELS[spec.form])
    return "; ".join(diff) or "main"


def compare(x: float, y: float) -> str:
    """'12.3 % above', '4.0 % below' or 'equal to' (x against y)."""
    d = (x / y - 1) * 100
    return "equal to" if round(d, 1) == 0 else f"{text.pct(abs(d), 1)} {'above' if d > 0 else 'below'}"


# --------------------------------------------------------------------------- data and definitions


def outcome_why(main: str, agreement: pd.DataFrame, n_selected: int) -> str:
    """Why this run's main outcome measure is what it is, with its coverage."""
    row = agreement.set_index("outcome").loc[main]
    spans = agreement.assign(span=agreement["last_year"] - agreement["first_year"]).set_index("outcome")["span"]
    cover = (
        f"all {n_selected} selected members"
        if row["members"] == n_selected
        else f"{int(row['members'])} of the {n_selected} selected members"
    )
    years = text.year_span(int(row["first_year"]), int(row["last_year"])) if row["members"] else "no year"
    if main == "wto_delivered":
        longest = (
            " — the longest span of the three, which claim (b), a change over time, needs"
            if (spans[main] >= spans.max())
            else ""
        )
        return (
            f"It is the default because it is the concept the study names (its Table 1 is WTO data) and it covers "
            f"{cover} over {years}{longest}."
        )
    if main == "unctad_deliverable":
        return (
            f"This run uses UNCTAD's measure, which counts services that could be delivered digitally whether or "
            f"not they were; it covers {cover} over {years}, with gaps."
        )
    return f"This run uses the WDI proxy, an approximation of the concept (see above); it covers {cover} over {years}."


def measures_reading(totals: pd.DataFrame, agreement: pd.DataFrame, main: str) -> str:
    if totals.empty:
        return (
            "No two consecutive years have all three measures for the same members in this sample, so the "
            "measures cannot be compared on equal terms here."
        )
    wide = totals.pivot(index="year", columns="outcome", values="value")
    y0, y1 = int(wide.index.min()), int(wide.index.max())
    k = int(totals["members"].iloc[0])
    others = [m for m in OUTCOME_LABELS if m != main]
    level = (
        text.listing([OUTCOME_LABELS[m] for m in others])
        + " are "
        + text.listing([compare(wide.loc[y1, m], wide.loc[y1, main]) for m in others])
    )
    growth = {m: wide.loc[y1, m] / wide.loc[y0, m] for m in OUTCOME_LABELS}
    ag = agreement.set_index("outcome")
    changes = text.listing([f"{text.num(ag.loc[m, 'r_change'], 2)} ({OUTCOME_SHORT[m]})" for m in others])
    return (
        f"over the {k} members with all three measures in every year of {y0}–{y1}, in {y1} {level} "
        f"{OUTCOME_LABELS[main]} respectively; from {y0} to {y1} the three grew "
        + text.listing([f"{text.multiple(growth[m], 1)} ({OUTCOME_SHORT[m]})" for m in OUTCOME_LABELS])
        + f". Across all country-years, their annual log changes correlate with those of the main measure at "
        f"{changes}."
    )


def measures_title(totals: pd.DataFrame) -> str:
    wide = totals.pivot(index="year", columns="outcome", values="value")
    growth = (wide.iloc[-1] / wide.iloc[0]).sort_values()
    lo, hi = growth.index[0], growth.index[-1]
    if math.isclose(growth[lo], growth[hi], rel_tol=0.005):
        return f"The three measures grew alike over {wide.index[0]}–{wide.index[-1]}"
    return (
        f"Over {wide.index[0]}–{wide.index[-1]} {OUTCOME_SHORT[hi]} exports grew "
        f"{text.multiple(growth[hi], 1)}, the {OUTCOME_SHORT[lo]} measure {text.multiple(growth[lo], 1)}"
    )


def non_positive(nonpos: pd.DataFrame) -> str:
    if nonpos.empty:
        return "none in this sample"
    return text.listing([f"{country(r.iso3)} {r.year} ({OUTCOME_SHORT[r.outcome]})" for r in nonpos.itertuples()])


def fe_meaning(fe: str) -> str:
    """What the main specification's coefficients describe, for its kind of fixed effects."""
    if fe == "twoway":
        return (
            "This run's main specification has both (two-way fixed effects): its coefficients describe how a "
            "member's exports move with its own GDP, openness, infrastructure and ICT exports, relative to the "
            "movements common to all members in each year; they do not compare members with each other."
        )
    if fe == "country":
        return (
            "This run's main specification has country effects only: its coefficients describe how a member's "
            "exports move with its own regressors over time, trends common to all members included."
        )
    return (
        "This run's main specification has neither (pooled OLS): its coefficients compare members with each "
        "other as well as years, so they mix the cross-country pattern — large economies export more services "
        "of every kind — with changes over time."
    )


# --------------------------------------------------------------------------- coverage


def absent_members(cov: pd.DataFrame, spec: Spec) -> str:
    """Which selected members have no country-year in the sample, and the series they lack most often."""
    inside = set(cov.loc[cov["in_sample"], "iso3"])
    absent = sorted(set(cov["iso3"]) - inside)
    if not absent:
        return "Every selected member has at least one country-year in the sample."
    parts = []
    for iso in absent:
        g = cov[cov["iso3"] == iso]
        counts = g["missing"].explode().value_counts()
        every = [k for k, n in counts.items() if n == len(g)]
        keys = text.listing([series_label(k, spec) for k in (every or [counts.index[0]])])
        when = "in any year" if every else "in most years"
        parts.append(f"{'it' if len(absent) == 1 else country(iso)} has no value of {keys} {when}")
    names = text.listing([country(i) for i in absent])
    verb = "has" if len(absent) == 1 else "have"
    return f"{names} {verb} no country-year in the main specification's sample: {'; '.join(parts)}."


def coverage_rows(cov: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    """Per member: years in the sample and, for the others, what is missing (consecutive years grouped)."""
    rows = []
    for iso, g in cov.groupby("iso3", sort=True):
        why = []
        for missing, gg in g[~g["in_sample"]].groupby("missing", sort=False):
            why.append(f"{text.year_ranges(gg['year'])}: {text.listing([series_label(k, spec) for k in missing])}")
        rows.append(
            {
                "member": country(iso),
                "years in sample": int(g["in_sample"].sum()),
                "sample years": text.year_ranges(g.loc[g["in_sample"], "year"]) or "none",
                "dropped (missing or not positive)": " · ".join(why) or "—",
            }
        )
    return pd.DataFrame(rows)


def top_reason(cov: pd.DataFrame, spec: Spec) -> str:
    counts = cov.loc[~cov["in_sample"], "missing"].explode().value_counts()
    if counts.empty:
        return "none: every country-year of the grid is in the sample"
    return f"{series_label(counts.index[0], spec)} ({text.num(int(counts.iloc[0]), 0)} country-years)"


# --------------------------------------------------------------------------- estimates


def r2_label(fe: str) -> str:
    return "R²" if fe == "none" else "within R²"


def significant_terms(
    fit, terms: Sequence[str] = ("log_gdp", "openness", "infrastructure", "log_ict"), alpha: float = rules.ALPHA_MAIN
) -> tuple[list[str], list[str]]:
    """(significantly positive, significantly negative) regressors of a fit, by the bootstrap p."""
    pos = [x for x in terms if fit.boot.get(x, 1.0) < alpha and fit.fit.params[x] > 0]
    neg = [x for x in terms if fit.boot.get(x, 1.0) < alpha and fit.fit.params[x] < 0]
    return pos, neg


def significance_title(fit) -> str:
    pos, neg = significant_terms(fit)
    if not pos and not neg:
        return "In the main specification no coefficient is statistically significant"
    out = []
    if pos:
        out.append(f"{text.listing([SHORT[x] for x in pos])} {'is' if len(pos) == 1 else 'are'} significantly positive")
    if neg:
        out.append(f"{text.listing([SHORT[x] for x in neg])} significantly negative")
    return "In the main specification " + "; ".join(out)


def estimates_reading(main, ict, spec: Spec) -> str:
    m = main.fit
    coefs = "; ".join(
        f"{LABELS[x]} {fmt_coef(m.params[x])} (bootstrap {p_is(main.boot.get(x))}; interval "
        f"{fmt_coef(m.ci_low[x])} to {fmt_coef(m.ci_high[x])})"
        for x in LABELS
    )
    out = (
        f"In the main specification ({text.num(m.nobs, 0)} country-years, {m.n_groups} members, "
        f"{r2_label(spec.fe)} {text.num(m.r2_within, 2)}) the coefficients are: {coefs}."
    )
    if spec.dependent == "dds_exports" and ict.ok:
        out += (
            f" With the non-ICT part as dependent variable, the ICT coefficient is "
            f"{fmt_coef(ict.fit.params['log_ict'])} (bootstrap {p_is(ict.boot.get('log_ict'))})."
        )
    elif spec.dependent == "dds_exports_non_ict":
        out += " The main dependent variable is the non-ICT part already, so the ICT coefficient is read from it."
    if spec.fe == "none":
        out += (
            " The main specification is pooled: its coefficients compare large and small economies as well as "
            "years, and the fixed-effects columns show how far that cross-country pattern also holds within "
            "members over time."
        )
    else:
        out += (
            " The pooled column compares large and small economies with each other and is shown for comparison "
            "only: the claims concern what goes with a change in a member's own scale or openness, which the "
            "fixed-effects columns measure."
        )
    return out


def coefficient_sentence(main, spec: Spec) -> str:
    """One sentence on GDP and openness in the main specification (key findings)."""
    m = main.fit
    parts = []
    for x, name in (("log_gdp", "GDP's"), ("openness", "openness'")):
        p = main.boot.get(x)
        sig = p is not None and p < rules.ALPHA_MAIN
        sign = "positive" if m.params[x] > 0 else "negative"
        parts.append(
            f"{name} coefficient is {fmt_coef(m.params[x])} (bootstrap {p_is(p)}, "
            + (f"significantly {sign})" if sig else "not statistically significant)")
        )
    return (
        f"In the main specification ({OUTCOME_LABELS[spec.outcome]}, {FE_LABELS[spec.fe]}), "
        + " and ".join(parts)
        + "."
    )


# --------------------------------------------------------------------------- diagnostics


def mundlak_reading(p_boot: float, fe: str) -> str:
    if p_boot < rules.ALPHA_MAIN:
        out = (
            "the country means matter: the regressors are correlated with the country effects, so a "
            "random-effects model would be inconsistent"
        )
        return out + (
            ", and the pooled main specification's coefficients partly reflect fixed differences between members"
            if fe == "none"
            else ", and fixed effects are needed"
        )
    return (
        "the country means are not jointly significant: random effects are not rejected, though fixed effects "
        "remain consistent either way"
    )


def loo_title(outside: list[str]) -> str:
    if not outside:
        return "Leaving out any one member keeps every estimate inside the full-sample 95 % interval"
    return (
        f"Leaving out one member moves {len(outside)} estimate{'s' if len(outside) > 1 else ''} outside the "
        "full-sample 95 % interval"
    )


# --------------------------------------------------------------------------- scenarios


def scenario_unavailable(sc, spec: Spec) -> str:
    name = country(sc.country)
    if sc.reason == "not_selected":
        return (
            f"{name} is not among the members selected with the countries parameter, so no scenario is "
            "computed; add it, or choose another scenario_country."
        )
    if sc.reason == "not_in_sample":
        missing = text.listing([series_label(k, spec) for k in sc.missing[:2]]) if sc.missing else "data"
        return (
            f"{name} has no country-year in the main specification's sample ({missing} missing), so no "
            "scenario can start from its last observed values."
        )
    return f"The main specification cannot be estimated, so no scenario is computed for {name}."


def scenario_start(sc, cov: pd.DataFrame, spec: Spec, horizon: int) -> str:
    name = country(sc.country)
    unit, _ = money(sc.y0)
    out = (
        f"The scenarios start from {sc.t0}, {registry.possessive(name)} last year in the main specification's "
        f"sample (exports {text.usd(sc.y0, unit)}), {horizon - sc.t0} years before the horizon."
    )
    later = cov[(cov["iso3"] == sc.country) & (cov["year"] > sc.t0)]
    if len(later):
        keys = later["missing"].explode().value_counts()
        out += (
            f" Its later years ({text.year_ranges(later['year'])}) lack "
            f"{text.listing([series_label(k, spec) for k in keys.index[:2]])}."
        )
    return out


def scenario_caveat(main, spec: Spec) -> str:
    what = (
        "associations within members over the sample years"
        if spec.fe != "none"
        else "associations across members and years (pooled)"
    )
    pos, neg = significant_terms(main, ("log_gdp", "openness", "infrastructure"))
    loose = [LABELS[x] for x in ("log_gdp", "openness", "infrastructure") if x not in pos + neg]
    out = (
        f"The coefficients describe {what}; applying them to future changes assumes those associations hold and "
        "leaves out common shocks, future year effects, changes in ICT exports and everything the model omits."
    )
    if loose:
        out += (
            f" The coefficients of {text.listing(loose)} are not significantly different from zero, yet they "
            "carry straight into the paths."
        )
    return out


def forms_summary(forms) -> str:
    """Whether GDP's and openness' associations are significantly positive in each form of the regressors."""
    ok = [f for f in forms if f.ok]
    out = []
    for x, name in (("log_gdp", "GDP's"), ("openness", "openness'")):
        sig = [FORM_LABELS[f.spec.form] for f in ok if f.boot.get(x, 1.0) < rules.ALPHA_MAIN and f.fit.params[x] > 0]
        if not sig:
            out.append(f"{name} association is significantly positive in none of the {len(ok)} forms")
        elif len(sig) == len(ok):
            out.append(f"{name} association is significantly positive in all {len(ok)} forms")
        else:
            out.append(f"{name} association is significantly positive only with {text.listing(sig)}")
    joined = "; ".join(out)
    return joined[:1].upper() + joined[1:] + "."
