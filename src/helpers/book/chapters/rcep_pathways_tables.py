"""RCEP pathways: the tables of the chapter as DataFrames (formatted cells, human labels, no codes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from helpers import text
from helpers.analysis import pathways_verdicts as rules
from helpers.analysis.pathways_estimation import Fit, SpecTests
from helpers.analysis.pathways_panel import REGRESSORS, Spec
from helpers.book.chapters.rcep_pathways_text import (
    CLASS_LABELS,
    DEPENDENT_SHORT,
    FE_SHORT,
    FORM_LABELS,
    LABELS,
    OUTCOME_SHORT,
    SHORT,
    country,
    fmt_coef,
    fmt_p,
    open_name,
    p_is,
    r2_label,
)

TABLE_LABELS = {
    "log_gdp": "log GDP",
    "openness": "openness",
    "infrastructure": "infrastructure",
    "log_ict": "log ICT exports",
}


def regression(fits: Sequence[Fit], names: Sequence[str], main_index: int) -> pd.DataFrame:
    """Coefficients (stars from the bootstrap p), CR1 standard errors in parentheses, and the model facts."""
    cols = {}
    for i, (r, name) in enumerate(zip(fits, names)):
        name += " [main]" if i == main_index else ""
        col = {}
        if not r.ok:
            for x in REGRESSORS:
                col[TABLE_LABELS[x]], col[f"{TABLE_LABELS[x]} SE"] = "—", ""
            col["N"] = f"not estimable: {r.error}"
            cols[name] = col
            continue
        f = r.fit
        for x in REGRESSORS:
            col[TABLE_LABELS[x]] = fmt_coef(f.params[x], r.boot.get(x))
            col[f"{TABLE_LABELS[x]} SE"] = f"({fmt_coef(f.bse[x])})"
        col["N"] = text.num(f.nobs, 0)
        col["members"] = str(f.n_groups)
        col["years"] = text.year_span(f.year_min, f.year_max)
        col[r2_label(r.spec.fe)] = text.num(f.r2_within, 3)
        cols[name] = col
    df = pd.DataFrame(cols)
    order = [i for x in REGRESSORS for i in (TABLE_LABELS[x], f"{TABLE_LABELS[x]} SE")]
    df = df.reindex(order + [i for i in df.index if i not in order]).fillna("")
    df.index = ["" if i.endswith(" SE") else i for i in df.index]
    return df.reset_index(names="")


def coefficient_frame(fits: Sequence[Fit], labels: Sequence[str]) -> pd.DataFrame:
    rows = []
    for r, label in zip(fits, labels):
        if r.ok:
            rows += [
                {
                    "spec": label,
                    "term": SHORT[x],
                    "coef": float(r.fit.params[x]),
                    "low": float(r.fit.ci_low[x]),
                    "high": float(r.fit.ci_high[x]),
                    "p_boot": float(r.boot.get(x, float("nan"))),
                }
                for x in REGRESSORS
            ]
    return pd.DataFrame(rows, columns=["spec", "term", "coef", "low", "high", "p_boot"])


def measures(agreement: pd.DataFrame, main: str) -> pd.DataFrame:
    rows = []
    for r in agreement.to_dict("records"):
        is_main = r["outcome"] == main
        rows.append(
            {
                "measure": OUTCOME_SHORT[r["outcome"]] + (" [main]" if is_main else ""),
                "members with data": r["members"],
                "years": (text.year_span(r["first_year"], r["last_year"]) if r["members"] else "none"),
                "country-years": r["country_years"],
                "median ratio to the main measure": "—" if is_main else text.num(r["median_ratio"], 2),
                "correlation of logs": "—" if is_main else text.num(r["r_level"], 2),
                "correlation of annual changes": "—" if is_main else text.num(r["r_change"], 2),
            }
        )
    return pd.DataFrame(rows)


def period(tests: Sequence[tuple[str, SpecTests, str]]) -> pd.DataFrame:
    """Late-minus-early interactions: (part label, specification tests, specification label)."""
    rows = []
    for label, t, spec_name in tests:
        term = "infrastructure" if label == "Infrastructure" else "log_ict"
        r = t.period
        if not r.ok:
            rows.append(
                {
                    "coefficient": label,
                    "specification": spec_name,
                    "early half": "—",
                    "late − early": "—",
                    "95 % interval": "—",
                    "bootstrap p": r.error or "not estimable",
                }
            )
            continue
        inter = f"{term}_x_late"
        rows.append(
            {
                "coefficient": label,
                "specification": spec_name,
                "early half": fmt_coef(r.fit.params[term]),
                "late − early": fmt_coef(r.fit.params[inter], r.boot.get(inter)),
                "95 % interval": f"{fmt_coef(r.fit.ci_low[inter])} to {fmt_coef(r.fit.ci_high[inter])}",
                "bootstrap p": fmt_p(r.boot.get(inter)),
            }
        )
    return pd.DataFrame(rows)


def heterogeneity(t: SpecTests, split: Mapping[str, Fit]) -> pd.DataFrame:
    r0 = t.income
    rows = []
    for x in REGRESSORS:
        term = f"{x}_x_high"
        row = {
            "regressor": LABELS[x],
            "other members": fmt_coef(r0.fit.params[x]),
            "difference, high income": fmt_coef(r0.fit.params[term], r0.boot.get(term)),
            "95 % interval of the difference": (f"{fmt_coef(r0.fit.ci_low[term])} to {fmt_coef(r0.fit.ci_high[term])}"),
            "bootstrap p": fmt_p(r0.boot.get(term)),
        }
        for grp, label in (("high", "high income alone"), ("other", "others alone")):
            res = split[grp]
            row[label] = fmt_coef(res.fit.params[x], res.boot.get(x)) if res.ok else "not estimable"
        rows.append(row)
    return pd.DataFrame(rows)


def grid(cells: Sequence[SpecTests], main: Spec) -> pd.DataFrame:
    """The robustness grid, one row per specification, with each part's class judged as if it were the main."""
    rows = []
    for t in cells:
        s, b = t.spec, t.base
        classes = rules.cell_classes(t)
        row = {
            "outcome": OUTCOME_SHORT[s.outcome] + (" [main]" if s == main else ""),
            "dependent": DEPENDENT_SHORT[s.dependent],
            "openness measure": open_name(s.openness),
            "fixed effects": FE_SHORT[s.fe],
            "regressors": FORM_LABELS[s.form],
            "N (members)": f"{b.fit.nobs} ({b.fit.n_groups})" if b.ok else "not estimable",
        }
        for x in REGRESSORS:
            row[TABLE_LABELS[x]] = (
                f"{fmt_coef(b.fit.params[x], b.boot.get(x))} ({fmt_p(b.boot.get(x))})" if b.ok else "—"
            )
        for term, label in (
            ("log_gdp", "(a) GDP"),
            ("openness", "(a) openness"),
            ("infrastructure", "(b) infra."),
            ("log_ict", "(b) ICT"),
            ("heterogeneity", "(c)"),
        ):
            c = classes[term]
            row[label] = (
                "n/a (total exports)"
                if term == "log_ict" and s.dependent == "dds_exports"
                else CLASS_LABELS.get(c, "not estimable")
            )
        rows.append(row)
    return pd.DataFrame(rows)


def forms(fits: Sequence[Fit]) -> pd.DataFrame:
    rows = []
    for r in fits:
        row = {"regressors": FORM_LABELS[r.spec.form]}
        for x in REGRESSORS:
            row[TABLE_LABELS[x]] = (
                f"{fmt_coef(r.fit.params[x], r.boot.get(x))} ({p_is(r.boot.get(x))})" if r.ok else "—"
            )
        row["N (members)"] = f"{r.fit.nobs} ({r.fit.n_groups})" if r.ok else f"not estimable: {r.error}"
        rows.append(row)
    return pd.DataFrame(rows)


def vif(v: pd.DataFrame) -> pd.DataFrame:
    out = v.rename(columns={"pooled": "pooled", "within": "net of the main model's fixed effects"})
    out.index = [LABELS[i] for i in out.index]
    return out.reset_index(names="regressor")


def scenario_rows(sc, p: Mapping, unit: str, scale: float) -> pd.DataFrame:
    end = sc.paths[sc.paths["year"] == p["horizon"]].set_index("scenario")
    rows = []
    for k in ("low", "central", "high"):
        e = end.loc[k]
        rows.append(
            {
                "scenario": k,
                "GDP growth (% a year)": p["gdp_growth"][k],
                "openness change (points)": p["openness_change"][k],
                "infrastructure change (its units)": p["infrastructure_change"][k],
                f"exports {p['horizon']}, US$ {unit}": text.num(e["central_value"] / scale, 1),
                f"95 % band, US$ {unit}": f"{text.num(e['low_value'] / scale, 1)}–"
                f"{text.num(e['high_value'] / scale, 1)}",
                f"change from {sc.t0}": text.pct((e["central_value"] / sc.y0 - 1) * 100, 1, sign=True),
            }
        )
    return pd.DataFrame(rows)


def members(codes: Sequence[str]) -> str:
    return text.listing(sorted(country(c) for c in codes)) if len(codes) else "none"
