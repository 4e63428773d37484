"""Sections of the "<focus>'s scale" chapter on the focus economy's digital services trade, source by source."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.analysis import scale
from helpers.book.chapters import china_scale_charts as figs
from helpers.book.chapters.china_scale_labels import CHN, SRC_SEEDS, SRC_UNCTAD, SRC_WDI, SRC_WTO, no_figure
from helpers.data import datastore
from helpers.text import listing, pct, seed_name, usd_bn, year_ranges

# --------------------------------------------------------------------------- digital trade of the focus economy


def digital(page, r, unctad_t: pd.DataFrame, wto_t: pd.DataFrame, st: pd.DataFrame) -> None:
    """Digitally deliverable (UNCTAD) and delivered (WTO) trade of the focus economy, one figure."""
    name = r.name
    u = unctad_t.dropna(subset=["total_bn"])
    totals = st.set_index("year")["total_bn"]
    if u.empty:
        page.glue("dd_last", "not available (UNCTAD has no year with both flows for it in the window)")
        page.glue("dd_share", "no share")
        first = f"UNCTAD has no year with both digitally deliverable exports and imports of {name} in the window"
    else:
        y, v = int(u["year"].iloc[-1]), float(u["total_bn"].iloc[-1])
        share = 100 * v / totals[y] if y in totals.index else np.nan
        page.glue("dd_last", f"{usd_bn(v)} in {y}")
        page.glue(
            "dd_share", pct(share, 1) if not np.isnan(share) else "an unknown share (no services total that year)"
        )
        first = f"{name}'s digitally deliverable trade (exports plus imports, UNCTAD) was {usd_bn(v)} in {y}, " + (
            f"{pct(share, 1)} of its services trade that year"
            if not np.isnan(share)
            else "a year without a services total in WDI"
        )
    w = wto_t.dropna(subset=["exports_bn"])
    second = (
        (
            f"{'its' if not u.empty else name + chr(39) + 's'} digitally delivered exports were {usd_bn(w['exports_bn'].iloc[-1])} in {int(w['year'].iloc[-1])} "
            "(WTO" + (", preliminary)" if bool(w["exports_prelim"].iloc[-1]) else ")")
        )
        if not w.empty
        else f"WTO's digitally delivered exports of {name} have no value in the window"
    )
    importers = sorted(
        set(
            r.wto_2026.loc[
                (r.wto_2026["flow"] == "imports")
                & (r.wto_2026["sector_code"] == "DDS")
                & r.wto_2026["iso3"].isin(datastore.country_groups()["rcep"]),
                "iso3",
            ]
        )
    )
    importers = [
        c
        for c in importers
        if r.wto_2026[(r.wto_2026["iso3"] == c) & (r.wto_2026["flow"] == "imports")]["year"].nunique() > 1
    ]  # a member with a single early year of imports is no series
    imp = (
        f" WTO's digitally delivered imports are in data/ for {listing([datastore.display_name(c) for c in importers])} "
        "only."
    )
    ux = unctad_t.dropna(subset=["exports_bn"])
    ucov = (int(r.unctad["year"].min()), int(r.unctad["year"].max()))
    span = range(max(r.years[0], ucov[0]), min(r.years[1], ucov[1]) + 1)
    gaps = [y for y in span if y not in set(ux["year"])]
    if not len(span):
        gap = f" UNCTAD's series covers {ucov[0]}–{ucov[1]}, outside this window."
    elif gaps:
        gap = f" UNCTAD has no export value for {name} in {year_ranges(gaps)}."
    else:
        gap = f" UNCTAD's export series for {name} has no gap in {year_ranges(span)}."
    page.glue_md("digital_md", f"{first}; {second}.{imp}{gap}")
    dt = scale.digital_long(unctad_t, wto_t)
    seed = scale.seed_digital_series(r.seed_values) if r.country == CHN else None
    if dt.empty:
        no_figure(page, "digital-trade", f"Neither UNCTAD nor WTO has digital services trade of {name} in the window.")
        return
    t = (
        f"{name}'s digitally deliverable trade was {usd_bn(u['total_bn'].iloc[-1])} in {int(u['year'].iloc[-1])}"
        if not u.empty
        else f"{name}'s digitally delivered exports were {usd_bn(w['exports_bn'].iloc[-1])} in "
        f"{int(w['year'].iloc[-1])}"
        if not w.empty
        else f"{name}'s digital services trade"
    )
    data = (
        dt
        if seed is None
        else pd.concat(
            [dt, seed[["year", "value_bn"]].assign(measure="Stated in the seeds: " + seed["label"], source="seeds")],
            ignore_index=True,
        )
    )
    page.figure(
        figs.digital(dt, seed),
        name="digital-trade",
        title=t,
        subtitle="US$ billion, current prices; solid: UNCTAD (deliverable, all modes); dashed: WTO (delivered, "
        "Mode 1)" + ("; diamonds: the seeds' figures" if seed is not None else ""),
        source=f"{SRC_UNCTAD}; {SRC_WTO}" + (f"; {SRC_SEEDS}" if seed is not None else ""),
        alt=(
            f"Line chart of {name}'s digitally deliverable (UNCTAD) and digitally delivered (WTO) services "
            "trade, US$ billion."
            + (" Black diamonds mark the figures stated in the seeds." if seed is not None else "")
            + f" {t}."
        ),
        data=data.round(4),
    )


def _vintage(r, source: str) -> str:
    last = {"wto_dataset": r.wto_exports, "wto_bulk": r.wto_2026, "unctad": r.unctad, "wdi_proxy": r.wdi}
    if source in last:
        y = int(last[source]["year"].max())
        return {
            "wto_dataset": f"WTO release with data to {y}",
            "wto_bulk": f"WTO bulk file of 2026, data to {y} ({y} preliminary)",
            "unctad": f"UNCTADstat via World Bank Data360, data to {y}",
            "wdi_proxy": f"WDI extract, data to {y}",
        }[source]
    seeds = sorted(set(r.seed_values.loc[r.seed_values["series_id"] == scale.SEED_SERIES[0], "seed_file"].str[:3]))
    return "the study" if source == "table1" else listing([seed_name(s) for s in seeds])


def _row_note(r, source: str, flow: str, row: pd.Series, years: list[int]) -> str:
    if row["n_years"] == 0:
        if source == "table1":
            return f"states world totals only: no value for {r.name}"
        if source == "seeds":
            return "the seeds state China's figures only"
        if source == "wto_bulk":
            dds = r.wto_2026[r.wto_2026["sector_code"] == "DDS"]
            have = set(dds.loc[dds["flow"] == "exports", "iso3"])
            if flow != "exports":
                have &= set(dds.loc[dds["flow"] == "imports", "iso3"])
            names = listing([datastore.display_name(c) for c in sorted(have)])
            return (
                f"the bulk file in data/ has {'the exports' if flow == 'exports' else 'both flows'} of {names} "
                f"only: no value for {r.name}"
            )
        return f"no value for {r.name} in data/"
    missing = [y for y in years if pd.isna(row[y])]
    return f"no value in {listing([str(y) for y in missing])}" if missing else ""


def sources(page, r, comparison: pd.DataFrame, years: list[int], ref_year: int | None) -> None:
    """The same quantity, the focus economy's digital services trade, from every source: one table."""
    name = r.name
    tab = comparison.set_index(["source", "flow"]).loc[scale.TABLE_ROWS].reset_index()
    out = pd.DataFrame(
        {
            "Source": [x[0].upper() + x[1:] for x in tab["source"].map(scale.SOURCE_LABELS)],
            "Flow": tab["flow"],
            "Concept": tab["source"].map(scale.CONCEPTS),
            f"Years with a value for {name}": [
                "none" if pd.isna(a) else f"{int(a)}–{int(b)}" if a != b else str(int(a))
                for a, b in zip(tab["first_year"], tab["last_year"])
            ],
            "Vintage": [_vintage(r, s) for s in tab["source"]],
        }
    )
    for y in years:
        out[f"{y} (US$ bn)"] = tab[y]
    if ref_year is not None:
        ref = tab.set_index(["source", "flow"])[ref_year]
        base = [ref.get(("unctad", f), np.nan) for f in tab["flow"]]
        out[f"vs UNCTAD, {ref_year} (%)"] = [
            100 * (v / b - 1) if b and not np.isnan(b) and s != "unctad" else np.nan
            for v, b, s in zip(tab[ref_year], base, tab["source"])
        ]
    out["Note"] = [_row_note(r, s, f, row, years) for (s, f), (_, row) in zip(scale.TABLE_ROWS, tab.iterrows())]
    page.table(
        out,
        name="digital-sources",
        caption=f"{name}'s digital services trade: the same quantity from each source",
        source=f"{SRC_WTO}; {SRC_UNCTAD}; {SRC_WDI}; {SRC_SEEDS}",
        formats={c: ",.3f" for c in out.columns if c.endswith("(US$ bn)")}
        | ({f"vs UNCTAD, {ref_year} (%)": "+.1f"} if ref_year is not None else {}),
        note="Each row is one source's value of the same quantity, with its concept; '–' where the source has "
        "no value (the note says why).",
    )
    page.glue_md("sources_md", _sources_sentence(r, comparison, years, ref_year))


def _sources_sentence(r, comparison: pd.DataFrame, years: list[int], ref_year: int | None) -> str:
    name = r.name
    if ref_year is None:
        return f"No source in data/ has a value of {name}'s digital services trade in the window."
    out = []
    for flow in ("exports", "exports + imports"):
        sp = scale.spread(comparison[comparison["source"] != "table1"], ref_year, flow)
        if sp is None:
            n = comparison[(comparison["flow"] == flow)].dropna(subset=[ref_year])
            out.append(
                f"for {flow} one source only has a value, {scale.SOURCE_LABELS[n['source'].iloc[0]]} "
                f"({usd_bn(n[ref_year].iloc[0])})"
                if len(n)
                else f"no source has {flow}"
            )
            continue
        both = "the two sources" if sp["n"] == 2 else f"the {sp['n']} sources"
        if usd_bn(sp["low"]) == usd_bn(sp["high"]):
            out.append(f"{both} of {flow} give the same {usd_bn(sp['low'])}")
            continue
        out.append(
            f"{both} of {flow} range from {usd_bn(sp['low'])} ({scale.SOURCE_LABELS[sp['low_source']]}) to "
            f"{usd_bn(sp['high'])} ({scale.SOURCE_LABELS[sp['high_source']]}), {sp['ratio']:.2f} times as much"
        )
    apart = [
        scale.spread(comparison[comparison["source"] != "table1"], ref_year, f)
        for f in ("exports", "exports + imports")
    ]
    differ = any(sp is not None and usd_bn(sp["low"]) != usd_bn(sp["high"]) for sp in apart)
    single = all(sp is None for sp in apart)
    present = set(comparison.dropna(subset=[ref_year])["source"])
    why = (
        ["delivered (WTO) is a part of deliverable (UNCTAD)"]
        if {"unctad"} & present and {"wto_dataset", "wto_bulk"} & present
        else []
    ) + (["the WDI proxy counts broad categories of commercial services"] if "wdi_proxy" in present else [])
    md = (
        f"In {ref_year}, the latest year of the window in which most sources have {name}'s exports, "
        + "; ".join(out)
        + ". "
        + (
            "No two sources can be compared that year."
            if single
            else ("They differ because they measure different things: " + "; ".join(why) + ".")
            if differ and why
            else ""
            if differ
            else f"The concepts differ, but for {name} that year the values nearly coincide."
        )
    )
    same = scale.same_values(comparison, years, "wto_dataset", "wto_bulk", "exports")
    if same is not None:
        md += f" WTO's dataset and its 2026 bulk file give {'the same' if same else 'different'} values in the years shown."
    closest = scale.closest_sources(comparison, years)
    if closest:
        md += (
            " The seeds' figures for "
            + listing([str(y) for y in closest])
            + " lie closest to "
            + listing(
                [
                    f"{scale.SOURCE_LABELS[k]} in {listing([str(y) for y, c in closest.items() if c == k])}"
                    for k in dict.fromkeys(closest.values())
                ]
            )
            + "."
        )
    return md
