"""Chapter "RCEP pathways": the sections of the page (figures, tables, glued sentences).

The analysis is in ``helpers.analysis.pathways_*`` (panel, estimation, verdict rules, scenarios), the claim checks
in ``helpers.claims.checks.rcep_pathways``; the notebook computes each section's results visibly and hands them
to one function here. :func:`prepare` builds the panel and the main specification; every later model comes from
the :class:`~helpers.analysis.pathways_estimation.Estimates` it creates, so a number is computed once.

This module holds the inputs, the data and definitions, the verdict rules and the closing; the estimation
sections are in :mod:`.rcep_pathways_model` and the scenarios and the study's pathway in
:mod:`.rcep_pathways_outlook`, re-exported here. What they share (source lines, links, rounding) is in
:mod:`.rcep_pathways_common`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from IPython.display import HTML, display

from helpers import text
from helpers.analysis import models
from helpers.analysis import pathways_estimation as estimation
from helpers.analysis import pathways_panel as data
from helpers.analysis import pathways_verdicts as rules
from helpers.analysis.pathways_panel import Spec
from helpers.book.chapters import rcep_pathways_charts as draw
from helpers.book.chapters import rcep_pathways_findings as say
from helpers.book.chapters import rcep_pathways_tables as tables
from helpers.book.chapters import rcep_pathways_text as words
from helpers.book.chapters.rcep_pathways_common import SOURCE_DATA, SOURCE_MODEL, _round, _sample_years  # noqa: F401
from helpers.book.chapters.rcep_pathways_model import (  # noqa: F401  (page sections)
    diagnostics,
    estimates,
    heterogeneity,
    identification,
    leave_one_out,
    robustness,
    verdicts,
    weakening,
)
from helpers.book.chapters.rcep_pathways_outlook import (  # noqa: F401  (page sections, the study's pathway)
    SEED_MAIN,
    STRATEGY,
    STRATEGY_MEMBERS,
    _indicator_label,
    guizhou,
    scenarios,
    strategy,
)
from helpers.book.chapters.rcep_pathways_text import OUTCOME_LABELS, country
from helpers.data import datastore as ds


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
        reading = f"{page.link('dds-measures')} draws them: {text.md_escape(reading)}"
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
