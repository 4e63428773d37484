"""The data appendix: what each curated table is, where it comes from, and what it covers."""

from __future__ import annotations

import html

import altair as alt
import pandas as pd

from helpers.data import datastore
from helpers.data.schemas import RESOURCES, resource

# Series column of each long table with an iso3 and a year: coverage counts series per country-year.
SERIES_COLUMN = {"wdi": "indicator", "openness": "measure", "unctad_dds": "flow", "wto_dds_exports": None,
                 "epoch_ai_models": None}
FOCUS_ROLES = ("rcep", "comparator", "world")


def tables_overview(names: list[str] | None = None, links: bool = True) -> pd.DataFrame:
    """One row per curated table: rows, years, economies, sources, licence, vintage, download link
    (``links=False``: the file name as plain text, for the CSV download)."""
    pkg = {r["name"]: r for r in datastore.datapackage()["resources"]}
    rows = []
    for res in RESOURCES:
        if names and res.name not in names:
            continue
        cov = pkg[res.name].get("coverage", {})
        years = f"{cov['year_min']}–{cov['year_max']}" if "year_min" in cov else "–"
        link = f'<a href="../_static/data/{res.path}" download>{html.escape(res.path)}</a>' if links else res.path
        rows.append({
            "table": link, "title": res.title, "rows": int(cov.get("rows", 0)), "years": years,
            "economies": cov.get("economies", None), "source": "; ".join(s.title for s in res.sources),
            "licence": res.licence, "vintage": res.vintage,
        })
    return pd.DataFrame(rows)


def fields_table(name: str) -> pd.DataFrame:
    res = resource(name)
    return pd.DataFrame([{"field": f.name, "type": f.type, "unit": f.unit or "", "description": f.description,
                          "required": "yes" if f.required else "no",
                          "key": "yes" if f.name in res.primary_key else ""} for f in res.fields])


def all_fields(names: list[str] | None = None) -> pd.DataFrame:
    """Fields of every (selected) table in one frame, table name first."""
    frames = [fields_table(r.name).assign(table=r.name) for r in RESOURCES if not names or r.name in names]
    out = pd.concat(frames, ignore_index=True)
    return out[["table", "field", "type", "unit", "required", "key", "description"]]


def focus_economies() -> list[str]:
    """RCEP members (by name), then comparators, then the World."""
    c = datastore.countries()
    order = []
    for role in FOCUS_ROLES:
        sel = c[c["role"] == role]
        order += list(sel.sort_values("display_name").index)
    return order


def presence(name: str) -> pd.DataFrame:
    """Share of the table's series present per economy and year (RCEP members, comparators, World).

    Columns: iso3, economy, year, present, possible, share (0-1). Cells with nothing present are
    included with share 0, so the heat-map shows gaps as gaps.
    """
    if name not in SERIES_COLUMN:
        raise datastore.DataRequestError(f"no coverage map for table {name!r}; maps exist for {list(SERIES_COLUMN)}")
    df = datastore.load_table(name)
    econ = focus_economies()
    if datastore.WORLD not in set(df["iso3"]):  # e.g. openness indices have no World value by design
        econ = [e for e in econ if e != datastore.WORLD]
    df = df[df["iso3"].isin(econ)]
    col = SERIES_COLUMN[name]
    if col is None:
        counts = df.groupby(["iso3", "year"]).size().clip(upper=1).rename("present")
        possible = 1
    else:
        counts = df.groupby(["iso3", "year"])[col].nunique().rename("present")
        possible = df[col].nunique()
    years = range(int(df["year"].min()), int(df["year"].max()) + 1)
    grid = pd.MultiIndex.from_product([econ, years], names=["iso3", "year"])
    out = counts.reindex(grid, fill_value=0).reset_index()
    out["possible"] = possible
    out["share"] = out["present"] / possible
    out["economy"] = out["iso3"].map(datastore.display_name)
    return out[["iso3", "economy", "year", "present", "possible", "share"]]


def heatmap(cov: pd.DataFrame, series_label: str) -> alt.Chart:
    order = list(dict.fromkeys(cov["economy"]))
    return alt.Chart(cov).mark_rect(stroke="#ffffff", strokeWidth=0.5).encode(
        x=alt.X("year:O", title=None),
        y=alt.Y("economy:N", title=None, sort=order),
        color=alt.Color("share:Q", title=f"Share of {series_label} present", scale=alt.Scale(
            domain=[0, 1], range=["#f6f8fa", "#0072B2"]), legend=alt.Legend(format=".0%", orient="right",
                                                                             direction="vertical")),
        tooltip=[alt.Tooltip("economy:N"), alt.Tooltip("year:O"),
                 alt.Tooltip("present:Q", title=f"{series_label} present"),
                 alt.Tooltip("possible:Q", title=f"{series_label} in table")],
    ).properties(height=alt.Step(14))


def coverage_title(cov: pd.DataFrame, label: str, n_least: int = 3) -> str:
    """A title stating the finding: overall presence and the least covered economies."""
    by_econ = cov.groupby("economy", sort=False)["share"].mean().sort_values(kind="stable")
    overall = 100 * cov["share"].mean()
    if by_econ.iloc[0] >= 0.999:
        return f"{label}: every economy-year is present"
    least = [e for e, v in by_econ.items() if v < 0.999][:n_least]
    from helpers.text import listing, num

    return f"{label}: {num(overall, 0)} % of economy-years present; least covered: {listing(least)}"


def gaps_summary(cov: pd.DataFrame) -> pd.DataFrame:
    """Per economy: first and last year with any value, and years inside that span with nothing."""
    rows = []
    for (iso3, econ), g in cov.groupby(["iso3", "economy"], sort=False):
        have = g.loc[g["present"] > 0, "year"]
        if have.empty:
            rows.append({"economy": econ, "first": None, "last": None, "empty years inside": "no data at all"})
            continue
        inside = g[(g["year"] >= have.min()) & (g["year"] <= have.max()) & (g["present"] == 0)]["year"]
        rows.append({"economy": econ, "first": int(have.min()), "last": int(have.max()),
                     "empty years inside": ", ".join(map(str, inside)) or "none"})
    return pd.DataFrame(rows)


def wdi_latest_coverage() -> pd.DataFrame:
    """Indicator x latest year x number of the 15 RCEP members with a value in that year."""
    wdi = datastore.load_table("wdi")
    meta = datastore.indicator_meta()
    rcep = datastore.country_groups()["rcep"]
    wdi = wdi[wdi["iso3"].isin(rcep)]
    rows = []
    for code, g in wdi.groupby("indicator"):
        latest = int(g["year"].max())
        have = set(g.loc[g["year"] == latest, "iso3"])
        rows.append({"indicator": code, "name": meta.loc[code, "name"], "latest year": latest,
                     "members with a value": len(have),
                     "members without": ", ".join(sorted(set(rcep) - have)) or "–",
                     "note": meta.loc[code, "note"] if isinstance(meta.loc[code, "note"], str) else ""})
    return pd.DataFrame(rows)
