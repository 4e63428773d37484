"""The forward-looking sections of the "RCEP pathways" chapter: scenarios from the main specification, the
study's own pathway next to the indicators that would track it, and Guizhou's targets in national context."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from helpers import text
from helpers.analysis import pathways_panel as data
from helpers.analysis import pathways_strategy as strategy_data
from helpers.analysis import pathways_verdicts as rules
from helpers.book.chapters import rcep_pathways_charts as draw
from helpers.book.chapters import rcep_pathways_findings as say
from helpers.book.chapters import rcep_pathways_tables as tables
from helpers.book.chapters import rcep_pathways_text as words
from helpers.book.chapters.rcep_pathways_common import SOURCE_DATA, _round
from helpers.book.chapters.rcep_pathways_text import OUTCOME_LABELS, country, money
from helpers.claims import core as claims
from helpers.claims.checks import rcep_pathways as checks
from helpers.data import datastore as ds

if TYPE_CHECKING:
    from helpers.book.chapters.rcep_pathways import Prepared


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
        f"{page.link('scenarios')} and {page.link('tbl-scenarios')} show the paths. " + text.md_escape(sentence),
    )


# --------------------------------------------------------------------------- the study's pathway and claims


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
