"""What each curated table is, where it comes from and what it covers, as data frames (the data appendix's
computations; the page is :mod:`helpers.book.chapters.data_methods`)."""

from __future__ import annotations

import pandas as pd

from helpers.data import datastore
from helpers.data.schemas import RESOURCES, resource

# Series column of each long table with an iso3 and a year: coverage counts series per country-year.
SERIES_COLUMN = {
    "wdi": "indicator",
    "openness": "measure",
    "unctad_dds": "flow",
    "wto_dds_exports": None,
    "epoch_ai_models": None,
}
FOCUS_ROLES = ("rcep", "comparator", "world")


def tables_overview(names: list[str] | None = None) -> pd.DataFrame:
    """One row per curated table (all, or those in ``names``): file, title, rows, years, economies, sources,
    licence, vintage."""
    pkg = {r["name"]: r for r in datastore.datapackage()["resources"]}
    rows = []
    for res in RESOURCES:
        if names and res.name not in names:
            continue
        cov = pkg[res.name].get("coverage", {})
        rows.append(
            {
                "table": res.path,
                "title": res.title,
                "rows": int(cov.get("rows", 0)),
                "years": f"{cov['year_min']}–{cov['year_max']}" if "year_min" in cov else "–",
                "economies": cov.get("economies", None),
                "source": "; ".join(s.title for s in res.sources),
                "licence": res.licence,
                "vintage": res.vintage,
            }
        )
    return pd.DataFrame(rows)


def fields_table(name: str) -> pd.DataFrame:
    res = resource(name)
    return pd.DataFrame(
        [
            {
                "field": f.name,
                "type": f.type,
                "unit": f.unit or "",
                "description": f.description,
                "required": "yes" if f.required else "no",
                "key": "yes" if f.name in res.primary_key else "",
            }
            for f in res.fields
        ]
    )


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


def gaps_summary(cov: pd.DataFrame) -> pd.DataFrame:
    """Per economy: first and last year with any value, and years inside that span with nothing."""
    rows = []
    for (_iso3, econ), g in cov.groupby(["iso3", "economy"], sort=False):
        have = g.loc[g["present"] > 0, "year"]
        if have.empty:
            rows.append({"economy": econ, "first": None, "last": None, "empty years inside": "no data at all"})
            continue
        inside = g[(g["year"] >= have.min()) & (g["year"] <= have.max()) & (g["present"] == 0)]["year"]
        rows.append(
            {
                "economy": econ,
                "first": int(have.min()),
                "last": int(have.max()),
                "empty years inside": ", ".join(map(str, inside)) or "none",
            }
        )
    return pd.DataFrame(rows)


def wdi_latest_coverage() -> pd.DataFrame:
    """Per WDI indicator: its latest year among the RCEP members, the members with a value in that year
    (how many), the members without one (ISO3 codes), the members with no value in any year, and the note."""
    wdi = datastore.load_table("wdi")
    meta = datastore.indicator_meta()
    rcep = datastore.country_groups()["rcep"]
    wdi = wdi[wdi["iso3"].isin(rcep)]
    rows = []
    for code, g in wdi.groupby("indicator"):
        latest = int(g["year"].max())
        have = set(g.loc[g["year"] == latest, "iso3"])
        rows.append(
            {
                "indicator": code,
                "name": meta.loc[code, "name"],
                "latest year": latest,
                "members with a value": len(have),
                "members without": tuple(sorted(set(rcep) - have)),
                "members never": tuple(sorted(set(rcep) - set(g["iso3"]))),
                "note": meta.loc[code, "note"] if isinstance(meta.loc[code, "note"], str) else "",
            }
        )
    return pd.DataFrame(rows)


def top500_lists() -> tuple[list[str], list[str]]:
    """(lists obtained, lists not obtained) of the June/November TOP500 calendar between the first and the last
    list obtained (YYYY-MM)."""
    obtained = sorted(set(datastore.load_table("top500_country")["list_date"]))
    first, last = obtained[0], obtained[-1]
    calendar = [
        f"{y}-{m}"
        for y in range(int(first[:4]), int(last[:4]) + 1)
        for m in ("06", "11")
        if first <= f"{y}-{m}" <= last
    ]
    return obtained, [c for c in calendar if c not in set(obtained)]


def openness_last_years() -> dict[str, int]:
    """{source of an openness measure (KOF, Chinn-Ito, ...): last year with a value}."""
    o = datastore.load_table("openness")
    source = datastore.load_table("openness_measures").set_index("measure")["source"]
    return {str(k): int(v) for k, v in o.groupby(o["measure"].map(source))["year"].max().items()}
