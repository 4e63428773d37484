"""The "Data and methods" appendix: the curated tables, how every load is checked, what the tables cover, and
the known limits of the data — computed from the tables by :mod:`helpers.data.catalog`, never typed."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from helpers import text
from helpers.book import charts
from helpers.data import catalog
from helpers.data import datastore as ds
from helpers.data.schemas import RESOURCES

SOURCE = "data/datapackage.json"
# Tables with a coverage map: (table, what it holds, what a cell counts).
MAPS = (
    ("wdi", "WDI indicators", "indicators"),
    ("unctad_dds", "UNCTAD digitally deliverable services", "flows"),
    ("openness", "Openness measures", "measures"),
    ("wto_dds_exports", "WTO digitally delivered services exports", "series"),
)


@dataclass(frozen=True)
class Catalogue:
    tables: tuple[str, ...]  # the tables this page describes (all when the parameter is empty)
    n_all: int
    rows_all: int


def prepare(params: dict) -> Catalogue:
    every = catalog.tables_overview()
    chosen = tuple(params["tables"]) or tuple(r.name for r in RESOURCES)
    return Catalogue(chosen, len(every), int(every["rows"].sum()))


def selection(r: Catalogue) -> str:
    if len(r.tables) == r.n_all:
        return f"all {r.n_all} tables"
    return f"{len(r.tables)} of the {r.n_all} tables ({text.listing([f'{t}.csv' for t in r.tables])})"


def scope(page, r: Catalogue) -> None:
    page.glue("n_tables", text.num(r.n_all, 0))
    page.glue("n_rows", text.num(r.rows_all, 0))
    page.glue("selection", selection(r))
    page.glue(
        "headline",
        f"Every figure comes from {r.n_all} curated tables ({text.num(r.rows_all, 0)} rows), checked "
        "against their checksums and schemas on every load",
    )


def _nothing(page, key: str, message: str) -> None:
    """A figure or table this selection leaves out: a note, and its link key says so."""
    page.note(message, title="Not shown")
    page.glue_md(key, "not shown for this selection")


def readable(note: str) -> str:
    """A metadata note with ISO3 and WDI codes replaced by names ('VNM missing' -> 'Viet Nam missing')."""
    names = ds.countries()["display_name"]
    meta = ds.indicator_meta()
    note = re.sub(r"\b[A-Z]{3}\b", lambda m: names.get(m.group(0), m.group(0)), note)
    return re.sub(
        r"\b[A-Z]{2}(?:\.[A-Z0-9]{2,4}){2,4}\b",
        lambda m: str(meta.loc[m.group(0), "name"]) if m.group(0) in meta.index else m.group(0),
        note,
    )


def names(codes: Sequence[str]) -> str:
    return text.listing([ds.display_name(c) for c in codes])


# --------------------------------------------------------------------------- the tables and their fields


def overview(page, r: Catalogue, ov: pd.DataFrame) -> None:
    shown = ov.assign(
        table=[f'<a href="../_static/data/{html.escape(t)}" download>{html.escape(t)}</a>' for t in ov["table"]]
    )
    page.table(
        shown,
        name="tables",
        caption="Curated tables: coverage, source, licence and vintage",
        source=SOURCE,
        html_columns=["table"],
        formats={"rows": ",d", "economies": ".0f"},
        sortable=True,
        csv=ov,
    )


def fields(page, fields_: pd.DataFrame) -> None:
    page.table(
        fields_,
        name="fields",
        caption="Fields of each table (type, unit, key)",
        source=SOURCE,
        sortable=True,
        filterable=True,
        collapsed=True,
    )


# --------------------------------------------------------------------------- coverage maps


def heatmap(cov: pd.DataFrame, series_label: str) -> alt.Chart:
    order = list(dict.fromkeys(cov["economy"]))
    return (
        alt.Chart(cov)
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("economy:N", title=None, sort=order),
            color=alt.Color(
                "share:Q",
                title=f"Share of {series_label} present",
                scale=alt.Scale(domain=[0, 1], range=["white", charts.PALETTE[0]]),
                legend=alt.Legend(format=".0%", orient="right", direction="vertical"),
            ),
            tooltip=[
                alt.Tooltip("economy:N", title="Economy"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("present:Q", title=f"{series_label} present"),
                alt.Tooltip("possible:Q", title=f"{series_label} in the table"),
            ],
        )
        .properties(height=alt.Step(14))
    )


def coverage_title(cov: pd.DataFrame, label: str, n_least: int = 3) -> str:
    """A title stating the finding: overall presence and the least covered economies."""
    by_econ = cov.groupby("economy", sort=False)["share"].mean().sort_values(kind="stable")
    if by_econ.iloc[0] >= 0.999:
        return f"{label}: every economy-year is present"
    least = [e for e, v in by_econ.items() if v < 0.999][:n_least]
    return (
        f"{label}: {text.num(100 * cov['share'].mean(), 0)} % of economy-years present; least covered: "
        f"{text.listing(least)}"
    )


def coverage(page, r: Catalogue, maps: dict[str, pd.DataFrame]) -> None:
    """One heat-map per table with a coverage map among the selected ones (``maps``: catalog.presence)."""
    for name, label, unit in MAPS:
        key = f"fig-coverage-{charts.slug(name)}"
        if name not in maps:
            _nothing(page, key, f"The coverage of {name}.csv is not shown: the table is not among the selected ones.")
            continue
        cov = maps[name]
        page.figure(
            heatmap(cov, unit),
            name=f"coverage-{name}",
            title=coverage_title(cov, label),
            subtitle=f"Share of the table's {unit} with a value, by economy and year",
            source=f"data/{name}.csv",
            data=cov,
            alt=f"Heat-map of the coverage of {label} for {cov['economy'].nunique()} economies, "
            f"{cov['year'].min()}–{cov['year'].max()}; darker cells have more {unit} present. "
            + coverage_title(cov, label)
            + ".",
        )


def wdi_latest(page, r: Catalogue, latest: pd.DataFrame) -> None:
    if "wdi" not in r.tables:
        _nothing(page, "tbl-wdi-latest", "The WDI indicators are not shown: wdi.csv is not among the selected tables.")
        return
    shown = pd.DataFrame(
        {
            "indicator": latest["name"],
            "latest year": latest["latest year"],
            "members with a value": latest["members with a value"],
            "members without a value that year": [names(m) if m else "–" for m in latest["members without"]],
            "note": latest["note"].map(readable),
        }
    )
    page.table(
        shown,
        name="wdi-latest",
        caption="WDI indicators: latest year and RCEP members with a value in it",
        source="data/wdi.csv, data/wdi_indicators.csv",
        sortable=True,
        csv=latest.assign(**{c: latest[c].map(" ".join) for c in ("members without", "members never")}),
    )


# --------------------------------------------------------------------------- known limits


def month(ym: str) -> str:
    return pd.Timestamp(f"{ym}-01").strftime("%B %Y")


def limits_list(
    latest: pd.DataFrame, missing_lists: Sequence[str], openness_years: dict[str, int], unctad: pd.DataFrame
) -> list[str]:
    """The known limits of the data, each a sentence computed from the tables."""
    out = []
    ends = latest.groupby("latest year")["name"].agg(list).sort_index(ascending=False)
    common = int(latest["latest year"].mode().max())
    early = [f"{text.listing(v)} in {y}" for y, v in ends.items() if y != common]
    out.append(
        f"**Vintages differ.** Most WDI indicators reach {common}"
        + (f"; these end earlier: {'; '.join(early)}." if early else ".")
        + " Openness indices end at different years: "
        + text.listing([f"{s} in {y}" for s, y in sorted(openness_years.items(), key=lambda kv: -kv[1])])
        + "."
    )
    never: dict[str, list[str]] = {}
    for n, m in zip(latest["name"], latest["members never"]):
        for c in m:
            never.setdefault(c, []).append(n)
    if never:
        out.append(
            "**Series missing for a member.** "
            + "; ".join(
                f"{ds.display_name(c)} has no value at all for {count_of(v, 'indicator')}"
                + (f" ({text.listing(v)})" if len(v) <= 3 else "")
                for c, v in sorted(never.items())
            )
            + "."
        )
    gaps = unctad[(unctad["share"] < 1) & unctad["iso3"].isin(ds.country_groups()["rcep"])]
    if not gaps.empty:
        out.append(
            "**Gaps in UNCTAD's digitally deliverable services.** Years with a flow missing: "
            + "; ".join(f"{econ} {text.year_ranges(g['year'])}" for econ, g in gaps.groupby("economy"))
            + "."
        )
    if missing_lists:
        out.append(
            f"**TOP500 lists not obtained.** {count_of(missing_lists, 'list')} of the calendar — "
            f"{text.listing([month(m) for m in missing_lists])} — are gaps in the charts, not interpolated."
        )
    return out


def count_of(items: Sequence, what: str) -> str:
    return f"{len(items)} {what}" + ("" if len(items) == 1 else "s")


def limits(
    page, latest: pd.DataFrame, missing_lists: Sequence[str], openness_years: dict[str, int], unctad: pd.DataFrame
) -> None:
    page.glue_md("limits_list", "\n".join(f"- {s}" for s in limits_list(latest, missing_lists, openness_years, unctad)))


# --------------------------------------------------------------------------- key findings


def findings(
    r: Catalogue, maps: dict[str, pd.DataFrame], latest: pd.DataFrame, missing_lists: Sequence[str]
) -> list[str | tuple[str, str]]:
    rows = int(catalog.tables_overview(list(r.tables))["rows"].sum())
    out: list[str | tuple[str, str]] = [
        (
            f"This page describes {selection(r)}, {text.num(rows, 0)} rows; every load checks the file's SHA-256 "
            "and its schema before a chapter uses it.",
            "tbl-tables",
        )
    ]
    for name, label, _ in MAPS[:2]:
        if name in maps:
            out.append((coverage_title(maps[name], label) + ".", f"coverage-{name}"))
    if "wdi" in r.tables:
        full = int((latest["members with a value"] == len(ds.country_groups()["rcep"])).sum())
        oldest = latest.sort_values(["latest year", "name"]).iloc[0]
        out.append(
            (
                f"{full} of the {len(latest)} WDI indicators have a value for every RCEP member in their latest "
                f"year; the one that ends earliest is {oldest['name']}, in {oldest['latest year']}.",
                "tbl-wdi-latest",
            )
        )
    if "top500_country" in r.tables and missing_lists:
        out.append(
            f"{count_of(missing_lists, 'TOP500 list')} between the first and the last list in the data "
            "could not be obtained; the charts show them as gaps."
        )
    return out[:5]
