"""The innovation sections of the "AI infrastructure" page: R&D and high-technology exports, and the bridge
from digital infrastructure to digitally deliverable exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from helpers import text
from helpers.analysis import infrastructure as infra
from helpers.book.chapters import ai_infrastructure_charts as ch
from helpers.book.chapters.ai_infrastructure_charts import label, unit
from helpers.book.chapters.ai_infrastructure_words import (
    UNCTAD_SRC,
    WDI_SRC,
    _no_figure,
    cap,
    count,
    lower_first,
    signed,
    span,
    the,
)
from helpers.data import datastore as ds

if TYPE_CHECKING:
    from helpers.book.chapters.ai_infrastructure import Infrastructure


# --------------------------------------------------------------------------- innovation and the bridge


def innovation_texts(r: Infrastructure) -> tuple[str, str]:
    leads = {lead.indicator: lead for lead in infra.leaders(r.innovation, infra.INNOVATION)}
    parts, titles = [], []
    for code in infra.INNOVATION:
        name, lead = f"{label(code)} ({unit(code)})", leads.get(code)
        if lead is None:
            ends = infra.last_year_of(code)
            parts.append(
                f"{name}: no value for the members shown in this window"
                + (f" (the series in the data ends in {ends})" if r.start_year > ends else "")
                + "."
            )
            continue
        who, v = the(lead.iso3), text.num(lead.value, 2 if abs(lead.value) < 10 else 1)
        if lead.with_data == 1:
            parts.append(f"{name}: only {who} has a value; {v} in {lead.year}.")
            titles.append(
                f"{lower_first(label(code))} {v} ({lead.year})"
                if len(r.economies) == 1
                else f"{who}: {lower_first(label(code))} {v} ({lead.year})"
            )
        elif lead.reporting == 1:
            parts.append(
                f"{name}: latest year {lead.year}, reported only by {who} ({v}) of the {lead.with_data} "
                "members with any value."
            )
            titles.append(f"{who} alone reports {lower_first(label(code))} for {lead.year}")
        else:
            by = (
                f"{'both' if lead.with_data == 2 else f'all {lead.with_data}'} members with any value"
                if lead.reporting == lead.with_data
                else f"{lead.reporting} of the {lead.with_data} members with any value"
            )
            parts.append(f"{name}: latest year {lead.year}, reported by {by}; the highest is {who}, at {v}.")
            titles.append(f"{who} leads {lower_first(label(code))} ({lead.year})")
    if titles and len(r.economies) == 1:
        return " ".join(parts), f"{cap(the(r.economies[0]))}: " + "; ".join(titles)
    return " ".join(parts), cap("; ".join(titles))


def innovation(page, r: Infrastructure) -> None:
    sentence, title = innovation_texts(r)
    page.glue_sentences({"innovation_sentence": sentence})
    if not title:
        _no_figure(page, "innovation", "No R&D or high-technology export data for these members in this window.")
        return
    rd, tech = infra.INNOVATION
    page.figure(
        ch.innovation_chart(r.innovation, r.focus),
        name="innovation",
        title=title,
        source=WDI_SRC,
        subtitle=f"{label(rd)}, {unit(rd)} (old vintage, ends {infra.last_year_of(rd)}); {lower_first(label(tech))}, "
        f"{unit(tech)}",
        data=r.innovation.dropna(subset=["value"]).assign(indicator=lambda d: d["indicator"].map(label)),
        alt=f"Two line charts by member: {lower_first(label(rd))} and {lower_first(label(tech))}. " + sentence,
    )


def bridge_texts(bf: pd.DataFrame, b: infra.Bridge | None, code: str) -> tuple[str, str]:
    name = lower_first(label(code))
    if b is None:
        cov = ds.coverage("unctad_dds")
        return (
            f"No member shown has both {name} and UNCTAD's digitally deliverable exports in this window "
            f"(UNCTAD's series runs {cov['year_min']}–{cov['year_max']}).",
            "",
        )
    rho = signed(b.rho) if np.isfinite(b.rho) else ""
    if rho:
        corr = (
            f"Across the {b.n} members with both series in {b.year}, the latest year with the widest coverage, the "
            f"rank correlation between {name} and digitally deliverable exports per person is {rho}."
        )
        if b.last_year != b.year:
            corr += (
                f" In {b.last_year}, the latest year, with {count(b.n_last, 'member')}, it is "
                + (signed(b.rho_last) if np.isfinite(b.rho_last) else "not computable")
                + "."
            )
        title = f"{label(code)} and digitally deliverable exports per person: rank correlation {rho} in {b.year}" + (
            f", {signed(b.rho_last)} in {b.last_year}" if b.last_year != b.year and np.isfinite(b.rho_last) else ""
        )
    else:
        corr = (
            f"In {b.year}, the year with the widest coverage, {count(b.n, 'member')} "
            f"{'has' if b.n == 1 else 'have'} both series: "
            + (
                "too few for a rank correlation across members."
                if b.n < 3
                else "their values do not vary, so no rank correlation can be computed."
            )
        )
        title = (
            f"{label(code)} and digitally deliverable exports per person, "
            f"{span(int(bf['year'].min()), int(bf['year'].max()))}: too few members for a rank correlation"
        )
    if b.with_two_years == 0:
        over = " No member has two years of both series in the window."
    elif b.with_two_years == 1:
        over = (
            " Over time, the one member with two or more years of both "
            f"{'raised both' if b.raised_both else 'did not raise both'}."
        )
    else:
        n = b.with_two_years
        k = (
            ("both" if n == 2 else f"all {n}")
            if b.raised_both == n
            else f"none of the {n}"
            if b.raised_both == 0
            else f"{b.raised_both} of the {n}"
        )
        over = f" Over time, {k} members with two or more years of both raised both."
    return (
        corr + over + " This is association, not cause: richer economies have more of both. The RCEP pathways "
        "chapter estimates the relation with controls.",
        title,
    )


def bridge(page, r: Infrastructure, bf: pd.DataFrame, b: infra.Bridge | None) -> tuple[str, str | None]:
    code = r.indicators[0]
    sentence, title = bridge_texts(bf, b, code)
    page.glue_sentences({"bridge_sentence": sentence, "bridge_indicator": lower_first(label(code))})
    if not title:
        _no_figure(page, "infrastructure-and-exports", sentence)
        return sentence, None
    page.figure(
        ch.bridge_chart(bf, code, r.focus),
        name="infrastructure-and-exports",
        title=title,
        data=bf,
        subtitle=f"x: {label(code)}, {unit(code)}; y: UNCTAD digitally deliverable exports per person, US$ "
        "(log); one path per member over the years, labelled at its last year",
        source=f"{WDI_SRC}; {UNCTAD_SRC}",
        alt="Scatter with one path per member linking its yearly points: "
        "digital infrastructure on the horizontal axis, digitally deliverable exports per person on the "
        "vertical axis. " + sentence,
    )
    return title + (
        "; association, not cause." if b is not None and np.isfinite(b.rho) else "."
    ), "infrastructure-and-exports"
