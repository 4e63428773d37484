"""Chapter "RCEP pathways": the sections of the page (figures, tables, glued sentences).

The analysis is in ``helpers.analysis.pathways_*`` (panel, estimation, verdict rules, scenarios), the claim checks
in ``helpers.claims.checks.rcep_pathways``; the notebook computes each section's results visibly and hands them
to one function here. :func:`prepare` builds the panel and the main specification; every later model comes from
the :class:`~helpers.analysis.pathways_estimation.Estimates` it creates, so a number is computed once.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from IPython.display import HTML, display

from helpers import text
from helpers.analysis import models
from helpers.analysis import pathways_estimation as estimation
from helpers.analysis import pathways_panel as data
from helpers.analysis import pathways_strategy as strategy_data
from helpers.analysis import pathways_verdicts as rules
from helpers.analysis.pathways_panel import REGRESSORS, Spec
from helpers.book import charts
from helpers.book.chapters import rcep_pathways_charts as draw
from helpers.book.chapters import rcep_pathways_findings as say
from helpers.book.chapters import rcep_pathways_tables as tables
from helpers.book.chapters import rcep_pathways_text as words
from helpers.book.chapters.rcep_pathways_text import (
    LABELS,
    OUTCOME_LABELS,
    SHORT,
    country,
    fmt_coef,
    fmt_p,
    money,
    p_is,
)
from helpers.claims import core as claims
from helpers.claims.checks import rcep_pathways as checks
from helpers.data import datastore as ds

SOURCE_DATA = (
    "WTO digitally delivered services (data/wto_dds_exports.csv); UNCTAD via World Bank Data360 "
    "(data/unctad_dds.csv); World Bank WDI (data/wdi.csv); KOF, Chinn-Ito (data/openness.csv)"
)
SOURCE_MODEL = "estimates of this chapter, from the tables named in its data section"
SEED_MAIN = "000_3d25ae1af6db2194.txt"
# The study's pathway, quoted (a unit test checks every quote is verbatim in the seed), and the indicators in
# data/ that would track each step.
STRATEGY = (
    (
        "Short term",
        "Summary and recommendations",
        "accelerate the layout of the national integrated intelligent computing power network",
        ("CHN",),
        ("TOP500", "IT.NET.SECR.P6"),
    ),
    (
        "Short term",
        "Core path (first)",
        "get rid of the excessive dependence on traditional indicators such as broadband penetration rate",
        ("CHN",),
        ("IT.NET.BBND.P2",),
    ),
    (
        "Short term",
        "Core path (third)",
        "create smart sea kits for small and medium-sized enterprises in the region, focusing on improving trade "
        "facilitation",
        ("RCEP",),
        ("IT.NET.USER.ZS", "kof_KOFTrGIdj"),
    ),
    (
        "Medium term",
        "Summary and recommendations",
        "deepen the docking of regional digital rules, promote the establishment of a cross-border data flow "
        "mechanism based on risk management and control",
        ("RCEP",),
        ("kof_KOFTrGIdj", "RQ.EST"),
    ),
    (
        "Medium term",
        "Core path (third)",
        "jointly carry out research and development with leading technology members such as Singapore and South Korea",
        ("SGP", "KOR"),
        ("BX.GSR.CCIS.CD", "BX.GSR.ROYL.CD", "TOP500"),
    ),
    (
        "Medium term",
        "Core path (third)",
        "To Malaysia, Thailand and other countries with a solid digital foundation, output a comprehensive solution of "
        "' hardware facilities connectivity + software service connectivity '",
        ("MYS", "THA"),
        ("IT.NET.USER.ZS", "IT.NET.BBND.P2", "IT.NET.SECR.P6"),
    ),
    (
        "Long term",
        "Summary and recommendations",
        "implement a stepped regional cooperation strategy to promote the overall improvement of digital capabilities "
        "in the region",
        ("RCEP",),
        ("IT.NET.USER.ZS",),
    ),
    (
        "Long term",
        "Core path (third)",
        "leading the construction of regional and even global digital governance systems",
        ("CHN",),
        ("RQ.EST",),
    ),
)
STRATEGY_MEMBERS = ("CHN", "SGP", "KOR", "MYS", "THA")


@dataclass(frozen=True)
class Prepared:
    """The chapter's inputs: validated parameters, the panel, the main specification and the estimator."""

    params: dict
    countries: tuple[str, ...]
    panel: pd.DataFrame
    spec: Spec  # the main specification
    ict_spec: Spec  # where the ICT part of claim (b) is read (non-ICT dependent variable)
    openness: tuple[str, ...]  # main openness measure first, then the robustness ones
    split_year: int
    est: estimation.Estimates
    inputs: dict

    @property
    def main_frame(self) -> pd.DataFrame:
        return self.est.frame(self.spec)


def prepare(p: Mapping) -> Prepared:
    """Load the tables, build the panel, check that the main specification has enough data (a clear error
    naming the parameter otherwise) and set up the estimator."""
    p = dict(p)
    countries = tuple(p["countries"]) or tuple(ds.RCEP)
    openness = tuple(data.openness_measures(p))
    for m in openness:
        data.openness_meta(m)  # unknown measure: a clear error before any work
    models.use_one_blas_thread()  # the chapter's kernel fits several hundred small models (threads cost more)
    inputs = data.load_inputs()
    panel = data.assemble_panel(
        inputs,
        countries=countries,
        start_year=p["start_year"],
        end_year=p["end_year"],
        openness_measures=openness,
        infrastructure_measure=p["infrastructure_measure"],
    )
    spec = data.main_spec(p)
    frame = data.spec_frame(panel, spec)
    data.check_sample(frame, what=f"the main specification ({words.describe(spec)})")
    split = data.sample_split_year(frame["year"])
    est = estimation.Estimates(panel, reps=p["bootstrap_reps"], seed=p["seed"], split_year=split, window=p["window"])
    return Prepared(p, countries, panel, spec, data.non_ict(spec), openness, split, est, inputs)


def _link(page, name: str, kind: str = "fig") -> str:
    """The glued markdown link to a figure or table already on the page (for sentences built in Python)."""
    return page._glued[f"{kind}-{charts.slug(name)}"]  # Page has no public accessor for it yet


def _round(df: pd.DataFrame, digits: int = 6) -> pd.DataFrame:
    """Round floats for embedding in charts (stable outputs, small specs)."""
    return df.apply(lambda c: c.round(digits) if pd.api.types.is_float_dtype(c) else c)


def _sample_years(frame: pd.DataFrame) -> str:
    return text.year_span(int(frame["year"].min()), int(frame["year"].max()))


# --------------------------------------------------------------------------- data and definitions


def measures(page, r: Prepared, totals: pd.DataFrame, agreement: pd.DataFrame) -> None:
    p, spec = r.params, r.spec
    for table, key in (("wto", "wto_years"), ("unctad", "unctad_years")):  # what the data hold for these members
        d = r.inputs[table]
        d = d[d["iso3"].isin(r.countries)]
        page.glue(
            key,
            f"{text.year_span(int(d['year'].min()), int(d['year'].max()))} in the data"
            if len(d)
            else "no year for the selected members",
        )
    page.glue("outcome_main", OUTCOME_LABELS[spec.outcome])
    page.glue_md("outcome_why", text.md_escape(words.outcome_why(spec.outcome, agreement, len(r.countries))))
    reading = words.measures_reading(totals, agreement, spec.outcome)
    if not totals.empty:
        df = totals.assign(measure=totals["outcome"].map(words.OUTCOME_SHORT), value_bn=totals["value"] / 1e9)
        k = int(totals["members"].iloc[0])
        page.figure(
            draw.measures(_round(df[["measure", "year", "value_bn"]]), words.OUTCOME_SHORT[spec.outcome]),
            name="dds-measures",
            title=words.measures_title(totals),
            subtitle=f"Digital service exports, total of the {k} members with all three measures, US$ bn",
            source=SOURCE_DATA,
            alt=f"Three lines, one per measure. {reading}",
            data=df[["measure", "year", "value_bn", "members"]],
        )
        reading = f"{_link(page, 'dds-measures')} draws them: {text.md_escape(reading)}"
    else:
        reading = text.md_escape(reading)
    page.glue_md("measures_reading", reading)
    page.table(
        tables.measures(agreement, spec.outcome),
        name="dds-measures",
        caption="The three measures of digital service exports: coverage in this sample and agreement with "
        "the main measure (country-years where both exist)",
        source=SOURCE_DATA,
    )
    page.glue("nonpos", words.non_positive(data.non_positive_cases(r.panel)))
    om = data.openness_meta(spec.openness)
    page.glue("open_name", om["name"])
    desc = re.sub(r"\b[A-Z]{3}\b", lambda m: country(m.group(0)), om["description"].rstrip("."))  # codes -> names
    page.glue_md("open_desc", text.md_escape(f"{desc}. Release: {om['vintage']}."))
    page.glue(
        "open_robust",
        text.listing([words.open_name(m) for m in r.openness[1:]]) or "none (only the main measure was given)",
    )
    im = data.infra_meta(spec.infrastructure)
    page.glue("infra_name", im["name"])
    page.glue("infra_form", "in logs" if im["log"] else f"in levels ({im['unit']})")
    gdp = r.inputs["wdi"]
    gdp = gdp[(gdp["indicator"] == "NY.GDP.MKTP.CD") & gdp["iso3"].isin(r.countries)]
    page.glue("gdp_last", str(int(gdp["year"].max())))
    page.glue("sample_end", str(p["end_year"]))
    page.glue_md("model_fe", text.md_escape(words.fe_meaning(spec.fe)))
    G = r.main_frame["iso3"].nunique()
    page.glue("G", text.num(G, 0))
    page.glue("t_df", f"t({G}−1) = t({G - 1})")
    page.glue("reps", text.num(p["bootstrap_reps"], 0))


def coverage(page, r: Prepared, cov: pd.DataFrame) -> None:
    spec = r.spec
    inside = cov[cov["in_sample"]]
    page.glue("cov_n", text.num(len(inside), 0))
    page.glue("cov_cells", text.num(len(cov), 0))
    page.glue("cov_countries", text.num(inside["iso3"].nunique(), 0))
    page.glue("cov_years", _sample_years(inside))
    page.glue_md("cov_absent", text.md_escape(words.absent_members(cov, spec)))
    page.glue("cov_top_reason", words.top_reason(cov, spec))
    reason = cov["missing"].map(
        lambda m: "in sample" if not m else "missing: " + text.listing([words.series_label(k, spec) for k in m])
    )
    df = cov.assign(
        status=np.where(cov["in_sample"], "in sample", "dropped"),
        member=cov["iso3"].map(country),
        mark=np.where(cov["in_sample"], "", "✕"),
        reason=reason,
    )[["member", "year", "status", "mark", "reason"]]
    absent = sorted(set(cov["iso3"]) - set(inside["iso3"]))
    title = f"{text.num(len(inside), 0)} of {text.num(len(cov), 0)} country-years enter the main specification; " + (
        f"{text.listing([country(c) for c in absent])} drop{'s' if len(absent) == 1 else ''} out entirely"
        if absent
        else "every selected member contributes"
    )
    focus = country(r.params["scenario_country"]) if r.params["scenario_country"] in r.countries else None
    page.figure(
        draw.coverage(df, focus),
        name="coverage",
        title=title,
        subtitle="Country-years of the main specification; ✕ = dropped (hover for the missing series)"
        + ("; outlined: the scenario member" if focus else ""),
        source=SOURCE_DATA,
        alt=f"Grid of members by years. {title}. {words.absent_members(cov, spec)}",
        data=df.drop(columns="mark"),
    )
    page.table(
        words.coverage_rows(cov, spec),
        name="coverage-by-country",
        source="computed from the curated tables",
        caption="Which country-years enter the main specification, and what the others lack",
        filterable=True,
    )


# --------------------------------------------------------------------------- rules (stated before any estimate)


def rules_box(page, r: Prepared) -> None:
    robust = [words.spec_label(s, r.spec) for s in estimation.robustness_specs(r.spec, r.openness)]
    items = say.rule_items(robust, r.params["bootstrap_reps"], r.params["seed"])
    body = "".join(f"<p>{html.escape(items[k])}</p>" for k in ("classes", "a", "b", "c", "verdicts", "robust"))
    history = "".join(f"<li>{html.escape(h)}</li>" for h in say.RULE_HISTORY)
    display(
        HTML(
            '<div class="admonition important"><p class="admonition-title">Verdict rules</p>'
            + body
            + "<p><b>How the rules came about.</b> Both revisions below were made after estimates had been seen; "
            "what the second one changes on this page's estimates is stated with the verdicts.</p>"
            + f"<ol>{history}</ol></div>"
        )
    )


# --------------------------------------------------------------------------- estimates


def estimates(
    page, r: Prepared, main: estimation.SpecTests, variants: Sequence[estimation.Fit], robust: Sequence[estimation.Fit]
) -> None:
    spec = r.spec
    names = [words.FE_SHORT[v.spec.fe] for v in variants]
    main_index = [v.spec for v in variants].index(spec)
    page.table(
        tables.regression(variants, names, main_index),
        name="regression-table",
        caption=f"The main specification with each kind of fixed effects ({words.FE_SHORT[spec.fe]} is the main one)",
        note=(
            "Stars: wild cluster restricted bootstrap p-values (*** < 0.01, ** < 0.05, * < 0.10); CR1 "
            "standard errors clustered by member in parentheses."
        ),
        source=SOURCE_MODEL,
    )
    ict = r.est.base(r.ict_spec)
    page.glue_md("estimates_reading", text.md_escape(words.estimates_reading(main.base, ict, spec)))
    m = main.base.fit
    for x in REGRESSORS:
        page.glue(f"b_{x}", fmt_coef(m.params[x]))
        page.glue(f"p_{x}", fmt_p(main.base.boot.get(x)))
    labels = ["main"] + [words.spec_label(f.spec, spec) for f in robust]
    cf = tables.coefficient_frame([main.base, *robust], labels)
    order = [lab for lab, f in zip(labels, [main.base, *robust]) if f.ok]
    title = words.significance_title(main.base)
    page.figure(
        draw.coefficients(_round(cf), order, [SHORT[x] for x in REGRESSORS]),
        name="coefficients",
        title=title,
        subtitle=[
            "Coefficient and 95 % interval (CR1, t(G−1)) in the main specification "
            "(highlighted) and each robustness specification; diamond = bootstrap p < 0.05",
            "Openness coefficients are per point of each measure's own scale",
        ],
        source=SOURCE_MODEL,
        data=_round(cf),
        alt=(
            f"Four panels (GDP, openness, infrastructure, ICT exports), each with the coefficient and "
            f"interval in {len(order)} specifications. {title}."
        ),
    )


# --------------------------------------------------------------------------- verdicts


def verdicts(page, r: Prepared, v: rules.Verdicts) -> None:
    rows = say.verdict_rows(v, r.spec)
    df = pd.DataFrame(rows)
    page.table(
        df.assign(verdict=df["verdict"].map(text.badge)),
        name="verdicts",
        html_columns=["verdict"],
        caption="Verdicts on the study's claims, by the rules stated above",
        source=SOURCE_MODEL,
        csv=df,
    )
    for k in rules.PARTS:
        page.glue(f"verdict_{k}", v.claims[k])
    page.glue_md("rules_effect", text.md_escape(say.rules_effect(v)))
    page.glue_md("a_reading", text.md_escape(say.claim_reading(v, "a", r.spec)))


def weakening(page, r: Prepared, v: rules.Verdicts) -> None:
    p = r.params
    years = sorted(r.main_frame["year"].unique())
    page.glue("split_early", text.year_span(int(years[0]), r.split_year - 1))
    page.glue("split_late", text.year_span(r.split_year, int(years[-1])))
    page.glue("window", text.num(p["window"], 0))
    rows = []
    for label, term in (("Infrastructure", "infrastructure"), ("ICT exports", "log_ict")):
        part = v.parts[term]
        for ev in (part.main, *part.robust):
            rows.append((label, r.est.tests(ev.spec), words.spec_label(ev.spec, r.spec)))
    page.table(
        tables.period(rows),
        name="period-interactions",
        source=SOURCE_MODEL,
        caption=(
            f"Did the associations weaken? Each regressor interacted with the late half of the sample "
            f"({r.split_year} onwards) in the main and robustness specifications; a negative value means a "
            "weaker association in the late half. ICT rows use the non-ICT part as dependent variable."
        ),
    )
    main, ict = r.est.tests(r.spec), r.est.tests(r.ict_spec)
    roll = pd.concat(
        [
            main.rolling[main.rolling["term"] != "log_ict"].assign(panel=lambda d: d["term"].map(SHORT)),
            ict.rolling[ict.rolling["term"] == "log_ict"].assign(panel="ICT exports (non-ICT part)"),
        ],
        ignore_index=True,
    )
    reading = say.claim_reading(v, "b", r.spec)
    n_windows = roll["start"].nunique()
    if roll.empty or n_windows < 2:
        reading = (
            f"The sample is too short for two rolling windows of {p['window']} years, so (b) rests on the "
            f"interaction test alone. {reading}"
        )
        page.glue_md("b_reading", text.md_escape(reading))
        return
    roll["window"] = roll["start"].astype(str) + "–" + roll["end"].astype(str)
    pi, pc = v.parts["infrastructure"].main.test("rolling"), v.parts["log_ict"].main.test("rolling")
    title = (
        f"Across {p['window']}-year windows, infrastructure's coefficient shows "
        f"{say.TEST_REASONS[pi.reason] if pi else 'no estimate'}; ICT exports' "
        f"{say.TEST_REASONS[pc.reason] if pc else 'no estimate'}"
    )
    page.figure(
        draw.rolling(_round(roll[["panel", "window", "start", "end", "mid", "coef", "low", "high", "n"]])),
        name="rolling-windows",
        title=title,
        subtitle=f"Coefficient per {p['window']}-year window (x = middle year), band = 95 % interval; "
        f"{words.FE_LABELS[r.spec.fe]}",
        source=SOURCE_MODEL,
        data=_round(roll[["panel", "window", "coef", "low", "high", "n"]]),
        alt=f"Four small charts of rolling-window coefficients over {n_windows} windows. {title}.",
    )
    page.glue_md(
        "b_reading", f"{_link(page, 'rolling-windows')} shows the {n_windows} windows. " + text.md_escape(reading)
    )


def heterogeneity(page, r: Prepared, v: rules.Verdicts, split: Mapping[str, estimation.Fit]) -> None:
    frame = r.main_frame
    groups = frame.groupby("iso3")["high_income"].first()
    page.glue("hi_members", tables.members(sorted(groups.index[groups == 1])))
    page.glue("lo_members", tables.members(sorted(groups.index[groups == 0])))
    t = r.est.tests(r.spec)
    reading = say.claim_reading(v, "c", r.spec)
    if t.income.ok:
        page.table(
            tables.heterogeneity(t, split),
            name="heterogeneity",
            source=SOURCE_MODEL + "; income groups: data/countries.csv (World Bank)",
            caption=(
                "Heterogeneity: the main specification with every regressor interacted with high-income "
                "membership, and the same model estimated on each group alone (descriptive: few members "
                "per group)"
            ),
        )
        reading = f"{_link(page, 'heterogeneity', 'tbl')}: " + text.md_escape(reading)
    else:
        reading = text.md_escape(reading)
    page.glue_md("c_reading", reading)


# --------------------------------------------------------------------------- robustness and identification


def robustness(
    page, r: Prepared, grid: Sequence[estimation.SpecTests], agreement: pd.DataFrame, v: rules.Verdicts
) -> None:
    page.glue("grid_n", text.num(len(grid), 0))
    page.table(
        say.agreement_rows(agreement, v),
        name="grid-agreement",
        source=SOURCE_MODEL,
        caption="How many specifications of the grid, each judged on its own as if it were the main one, "
        "point the same way as the verdict",
    )
    page.glue_md("grid_reading", text.md_escape(say.grid_reading(agreement, v)))
    page.table(
        tables.grid(grid, r.spec),
        name="robustness-grid",
        source=SOURCE_MODEL,
        filterable=True,
        sortable=True,
        caption="Every outcome measure × openness measure × fixed effects, and the main specification with "
        "lagged regressors or GDP net of service exports: coefficients (stars: bootstrap p) and each "
        "part's class of evidence",
    )


def identification(page, r: Prepared, forms: Sequence[estimation.Fit]) -> None:
    page.table(
        tables.forms(forms),
        name="identification",
        source=SOURCE_MODEL,
        caption="The main specification with same-year regressors, regressors lagged one year, and GDP net of "
        "service exports (stars and p: bootstrap)",
    )
    same, *others = forms
    parts = []
    for f in others:
        if not f.ok:
            parts.append(f"with {words.FORM_LABELS[f.spec.form]} the model cannot be estimated ({f.error})")
            continue
        parts.append(
            f"with {words.FORM_LABELS[f.spec.form]}, GDP's coefficient is {fmt_coef(f.fit.params['log_gdp'])} "
            f"({p_is(f.boot.get('log_gdp'))}) and openness' {fmt_coef(f.fit.params['openness'])} "
            f"({p_is(f.boot.get('openness'))})"
        )
    head = (
        f"with same-year regressors GDP's coefficient is {fmt_coef(same.fit.params['log_gdp'])} "
        f"({p_is(same.boot.get('log_gdp'))}); "
    )
    page.glue_md("ident_reading", text.md_escape(head + "; ".join(parts) + ". " + words.forms_summary(forms)))


# --------------------------------------------------------------------------- diagnostics


def diagnostics(page, r: Prepared, main: estimation.SpecTests, vif: pd.DataFrame, mundlak) -> None:
    page.table(
        tables.vif(vif),
        name="vif",
        caption="Variance inflation factors of the main specification's regressors",
        source="computed from the estimation sample",
        formats={"pooled": ",.2f", "net of the main model's fixed effects": ",.2f"},
    )
    page.glue("vif_max", f"{text.num(float(vif['within'].max()), 1)} ({LABELS[vif['within'].idxmax()]})")
    page.glue("vif_pooled_max", text.num(float(vif["pooled"].max()), 1))
    page.glue("mundlak_F", text.num(mundlak.F, 2))
    page.glue("mundlak_p", fmt_p(mundlak.p_boot))
    page.glue("mundlak_p_cr1", fmt_p(mundlak.p_cr1))
    page.glue("mundlak_reading", words.mundlak_reading(mundlak.p_boot, r.spec.fe))
    m = main.base
    df = m.frame[["iso3", "year", "high_income"]].assign(fitted=m.fit.fitted, residual=m.fit.resid)
    df["member"] = df["iso3"].map(country)
    df["group"] = np.where(df["high_income"] == 1, "High income", "Other members")
    big = df.loc[df["residual"].abs().idxmax()]
    page.glue("resid_max", f"{big['member']} {int(big['year'])} ({fmt_coef(big['residual'])} log points)")
    df = _round(df[["member", "year", "group", "fitted", "residual"]])
    focus = country(r.params["scenario_country"]) if r.params["scenario_country"] in r.countries else None
    page.figure(
        draw.residuals(df, focus),
        name="residuals",
        title=f"The largest residual of the main specification is {big['member']} {int(big['year'])}",
        subtitle="Residual against fitted value (log points)"
        + (f"; {focus} highlighted" if focus and (df["member"] == focus).any() else ""),
        source=SOURCE_MODEL,
        data=df,
        alt=(
            f"Scatter of {len(df)} residuals against fitted values of the main specification; the largest "
            f"absolute residual is {big['member']} in {int(big['year'])}."
        ),
    )


def leave_one_out(page, r: Prepared, loo: pd.DataFrame, loo_ict: pd.DataFrame) -> None:
    main, ict = r.est.base(r.spec), r.est.base(r.ict_spec)
    panels = [(x, main, SHORT[x]) for x in REGRESSORS[:3]]
    if ict.ok:
        panels.append(("log_ict", ict, "ICT exports (non-ICT part)"))
    frames, full = [], []
    for x, fit, label in panels:
        src = loo_ict if x == "log_ict" else loo
        frames.append(src[src["term"] == x].assign(panel=label))
        full.append(
            {
                "panel": label,
                "full": float(fit.fit.params[x]),
                "low0": float(fit.fit.ci_low[x]),
                "high0": float(fit.fit.ci_high[x]),
            }
        )
    full = pd.DataFrame(full)
    df = pd.concat(frames, ignore_index=True).merge(full, on="panel")
    df["omitted"] = df["omitted"].map(country)
    flips = [f"{r_.panel} without {r_.omitted}" for r_ in df.itertuples() if np.sign(r_.coef) != np.sign(r_.full)]
    outside = [f"{r_.panel} without {r_.omitted}" for r_ in df.itertuples() if not r_.low0 <= r_.coef <= r_.high0]
    page.glue("loco_flips", text.listing(flips) if flips else "none")
    page.glue("loco_outside", text.listing(outside) if outside else "none")
    title = words.loo_title(outside)
    data_ = _round(df[["panel", "omitted", "coef", "low", "high", "full"]])
    page.figure(
        draw.leave_one_out(data_, full["panel"].tolist()),
        name="leave-one-out",
        title=title,
        subtitle="Coefficient (95 % interval) with each member left out; dashed line = full sample",
        source=SOURCE_MODEL,
        data=data_,
        alt=(
            f"Panels of leave-one-member-out estimates. {title}. Sign changes: "
            f"{text.listing(flips) if flips else 'none'}."
        ),
    )


# --------------------------------------------------------------------------- scenarios


def scenarios(page, r: Prepared, sc, cov: pd.DataFrame) -> None:
    p = r.params
    name = country(sc.country)
    if not sc.available:
        page.glue_md("sc_text", text.md_escape(words.scenario_unavailable(sc, r.spec)))
        return
    H = p["horizon"]
    unit, scale = money(sc.y0)
    end = sc.paths[sc.paths["year"] == H].set_index("scenario")
    page.table(
        tables.scenario_rows(sc, p, unit, scale),
        name="scenarios",
        source="coefficients of the main specification; starting values from the curated tables",
        caption=(
            f"Scenarios for {name} to {H} from the main specification (conditional on the model, not a "
            f"forecast); start: {sc.t0}"
            + (
                "; capped at the end of their scale: " + ", ".join(f"{c.scenario} {c.variable}" for c in sc.caps)
                if sc.caps
                else ""
            )
        ),
    )
    hist = sc.history.assign(value_u=sc.history["value"] / scale)[["year", "value_u"]]
    hist = _round(hist[hist["year"] >= sc.t0 - 8])
    pth = sc.paths.assign(
        central_u=sc.paths["central_value"] / scale,
        low_u=sc.paths["low_value"] / scale,
        high_u=sc.paths["high_value"] / scale,
    )[["scenario", "year", "central_u", "low_u", "high_u"]]
    pth = _round(pth).assign(label=lambda d: d["central_u"].map(lambda x: text.num(x, 1)))
    c = end.loc["central"]
    outcome = OUTCOME_LABELS[r.spec.outcome].replace("the ", "")
    title = (
        f"Under the main specification the central path takes {name} to {text.usd(c['central_value'], unit)} "
        f"by {H} (95 % band {text.num(c['low_value'] / scale, 1)}–{text.num(c['high_value'] / scale, 1)})"
    )
    page.figure(
        draw.scenarios(hist, pth, f"US$ {unit}"),
        name="scenarios",
        title=title,
        subtitle=[
            f"{outcome}, US$ {unit}; observed to {sc.t0}, scenario paths to {H}, and the values at {H}, "
            "with 95 % bands from the coefficients' uncertainty",
            "Conditional on the model, not a forecast",
        ],
        source=f"{SOURCE_DATA}; coefficients of the main specification",
        alt=(
            f"Observed values for {name} up to {sc.t0} and three scenario paths to {H}: "
            + "; ".join(
                f"{k} {text.num(end.loc[k, 'central_value'] / scale, 1)} US$ {unit}" for k in ("low", "central", "high")
            )
            + "."
        ),
        data=pd.concat([hist.assign(scenario="observed"), pth.drop(columns="label")], ignore_index=True),
    )
    at = "; ".join(
        f"{k} {text.usd(end.loc[k, 'central_value'], unit)} (band "
        f"{text.num(end.loc[k, 'low_value'] / scale, 1)}–{text.num(end.loc[k, 'high_value'] / scale, 1)})"
        for k in ("low", "central", "high")
    )
    sentence = (
        f"{words.scenario_start(sc, cov, r.spec, H)} At {H}: {at}. {words.scenario_caveat(r.est.base(r.spec), r.spec)}"
    )
    page.glue_md(
        "sc_text",
        f"{_link(page, 'scenarios')} and {_link(page, 'scenarios', 'tbl')} show the paths. " + text.md_escape(sentence),
    )


# --------------------------------------------------------------------------- the study's pathway and claims


def _indicator_label(code: str) -> tuple[str, str]:
    if code == strategy_data.TOP500:
        return "TOP500: share of the list's Rmax", "%"
    if code.startswith(("kof_", "chinn", "fraser", "heritage")):
        m = data.openness_meta(code)
        return m["name"], f"{m['lo']:g}–{m['hi']:g}"
    meta = ds.indicator_meta(code)
    unit = str(meta["unit"])
    return str(meta["name"]), "US$ bn" if unit == "current US$" else unit


def _fmt_value(v: float, unit: str, decimals: int) -> str:
    return text.num(v / (1e9 if unit == "US$ bn" else 1.0), decimals).replace("-", "−")


def strategy(page, r: Prepared, v: rules.Verdicts) -> None:
    steps = pd.DataFrame(
        [
            {
                "horizon": h,
                "the study's step (quoted)": f"“{q}”",
                "where in the study": where,
                "members named": "region" if m == ("RCEP",) else ", ".join(country(c) for c in m),
                "indicators that would track it": "; ".join(_indicator_label(c)[0] for c in codes),
            }
            for h, where, q, m, codes in STRATEGY
        ]
    )
    page.table(
        steps,
        name="strategy-steps",
        source="the main study (seed 000), sections 3.2 and 4",
        caption="The study's pathway, step by step, in its own words (its recommendations, not findings of "
        "this report)",
    )
    rows, sources = [], set()
    for code in dict.fromkeys(c for *_, codes in STRATEGY for c in codes):
        label, unit = _indicator_label(code)
        dec = 0 if unit in ("per million people",) else 2 if "index" in unit else 1
        vals, src = strategy_data.latest_values(code, r.inputs)
        sources.add(src)
        latest = vals.set_index("iso3")
        row = {"indicator": label, "unit": unit}
        for iso in STRATEGY_MEMBERS:
            x = latest.loc[iso]
            row[country(iso)] = (
                "no data"
                if pd.isna(x["value"])
                else f"none in list ({x['year']})"
                if x["absent"]
                else f"{_fmt_value(x['value'], unit, dec)} ({x['year']})"
            )
        present = vals.dropna(subset=["value"])
        low = present.loc[present["value"].idxmin()]
        row["RCEP median"] = f"{_fmt_value(float(present['value'].median()), unit, dec)} (n={len(present)})"
        n_absent = int(present["absent"].sum())
        row["RCEP lowest"] = (
            f"{n_absent} members with no system"
            if n_absent
            else f"{country(low['iso3'])} {_fmt_value(low['value'], unit, dec)}"
        )
        rows.append(row)
    page.table(
        pd.DataFrame(rows),
        name="strategy-indicators",
        source="; ".join(sorted(sources)),
        caption="Latest values of the indicators that would track the pathway, for the members the study "
        "names and the region (value and year)",
    )
    page.glue_md("pathway_reading", text.md_escape(say.pathway_reading(v)))


def guizhou(page) -> None:
    ctx = checks.national_context(checks.context_inputs())
    reg = claims.register_table()
    rows = []
    for cid in checks.GUIZHOU_TARGETS:
        row = reg.loc[cid]
        unit = {"percent": "%", "cny_bn": "billion yuan"}.get(row["unit"], row["unit"])
        rows.append(
            {
                "target (Guizhou)": row["subject"],
                "stated": f"more than {row['value']:g} {unit}",
                "by": row["year"],
                "national figure (context)": ctx[cid],
            }
        )
    page.table(
        pd.DataFrame(rows),
        name="guizhou-context",
        source="data/claims.csv (quotes of the fourth policy "
        "article); World Bank WDI (data/wdi.csv); UNCTAD (data/unctad_dds.csv)",
        caption=(
            "Guizhou's provincial targets next to the national figures the data hold. Context only: a "
            "province is not the nation, and a target is not an outcome."
        ),
    )


# --------------------------------------------------------------------------- closing and findings


def closing(page, r: Prepared, v: rules.Verdicts) -> None:
    page.glue_md("closing_note", say.closing(v, r.spec))
    page.glue("closing_spec", f"main specification: {words.describe(r.spec)}")
    page.glue("closing_coefs", say.closing_coefs(r.est.base(r.spec), r.est.base(r.ict_spec), r.spec))
    frame = r.main_frame
    page.glue("headline", say.headline(v, r.spec, frame["iso3"].nunique(), _sample_years(frame)))


def findings(r: Prepared, v: rules.Verdicts, agreement: pd.DataFrame) -> list:
    """The key findings: the main specification's associations, the three verdicts, the grid's spread. Plain
    sentences: a link to a table from the findings box is not a target Sphinx resolves (myst.xref_missing)."""
    return [
        words.coefficient_sentence(r.est.base(r.spec), r.spec),
        say.claim_sentence(v, "a"),
        say.claim_sentence(v, "b"),
        say.claim_sentence(v, "c"),
        say.grid_finding(agreement),
    ]
