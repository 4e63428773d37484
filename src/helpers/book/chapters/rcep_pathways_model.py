"""The estimation sections of the "RCEP pathways" chapter: the estimates, the verdicts on the study's claims
(a)-(c) with the tests behind them (weakening over time, heterogeneity by income), and the checks on the main
specification (the robustness grid, identification, diagnostics, leave one member out)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from helpers import text
from helpers.analysis import pathways_estimation as estimation
from helpers.analysis import pathways_verdicts as rules
from helpers.analysis.pathways_panel import REGRESSORS
from helpers.book.chapters import rcep_pathways_charts as draw
from helpers.book.chapters import rcep_pathways_findings as say
from helpers.book.chapters import rcep_pathways_tables as tables
from helpers.book.chapters import rcep_pathways_text as words
from helpers.book.chapters.rcep_pathways_common import SOURCE_MODEL, _round
from helpers.book.chapters.rcep_pathways_text import LABELS, SHORT, country, fmt_coef, fmt_p, p_is

if TYPE_CHECKING:
    from helpers.book.chapters.rcep_pathways import Prepared


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
        "b_reading", f"{page.link('rolling-windows')} shows the {n_windows} windows. " + text.md_escape(reading)
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
        reading = f"{page.link('tbl-heterogeneity')}: " + text.md_escape(reading)
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
