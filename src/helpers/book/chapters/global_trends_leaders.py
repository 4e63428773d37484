"""The Global trends sections on who leads: ICT services exporters within the WDI extract, the world
ranking of digitally deliverable services exporters (UNCTAD), China's rank, concentration; and the
study's figures no table can check. A section that covers a single year says so instead of a trend."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.analysis import leaders
from helpers.book.chapters import global_trends_charts as charts
from helpers.book.chapters.global_trends_labels import SOURCE_UNCTAD, SOURCE_WDI, to_unit, unit_label
from helpers.claims import core as claims
from helpers.claims.checks import global_trends as checks
from helpers.data import datastore
from helpers.text import listing, num, pct, year_span

FOCUS = "CHN"  # the report's subject; this chapter has no focus parameter


def name(iso3: str) -> str:
    try:
        return datastore.display_name(iso3)
    except datastore.DataRequestError:
        return iso3


def from_to(values: pd.Series, fmt) -> str:
    """'went from 3.1 % in 2010 to 4.2 % in 2023' for a year-indexed series; one year: 'was 3.1 % in 2023,
    the only year of this section with a value'."""
    v = values.dropna().sort_index()
    first, last = int(v.index[0]), int(v.index[-1])
    if first == last:
        return f"was {fmt(v.iloc[0])} in {first}, the only year of this section with a value"
    return f"went from {fmt(v.iloc[0])} in {first} to {fmt(v.iloc[-1])} in {last}"


def missing_text(miss: pd.DataFrame) -> str:
    return listing([f"{n} ({y})" for n, y in zip(miss["name"], miss["years missing"])]) if not miss.empty else "none"


def rank_move(a: int, b: int, y0: int, y1: int) -> str:
    """'rose from rank 7 in 2010 to 4 in 2023' (1 = largest); one year: 'ranked 4 in 2023'."""
    if y0 == y1:
        return f"ranked {b} in {y1}"
    if a == b:
        return f"stayed at rank {b} from {y0} to {y1}"
    return f"{'rose' if b < a else 'fell'} from rank {a} in {y0} to {b} in {y1}"


def ict(page, r, res: dict) -> None:
    """``res``: leaders.ict_leaders over the section's years."""
    levels, ry, shown = res["levels"], res["rank_year"], res["top"]
    rc = res["rcep"]
    rc_const = rc[rc["basis"] == "constant membership"].dropna(subset=["share_pct"])
    n_const = len(rc.attrs["complete_members"])
    chn = levels[levels["iso3"] == FOCUS].set_index("year").dropna(subset=["share_pct"])
    page.glue("ict_n", str(res["n_economies"]))
    page.glue("ict_rank_year", str(ry))
    page.glue(
        "ict_shown",
        listing([name(c) for c in shown])
        + (" (every economy of the extract with a value)" if res["shown_all"] else ""),
    )
    page.glue(
        "ict_chn",
        from_to(chn["share_pct"], lambda x: pct(x, 1))
        + " (rank within the extract: "
        + (
            f"{int(chn['rank'].iloc[0])} → {int(chn['rank'].iloc[-1])}"
            if len(chn) > 1
            else f"{int(chn['rank'].iloc[0])}"
        )
        + ")",
    )
    page.glue("ict_rcep", from_to(rc_const.set_index("year")["share_pct"], lambda x: pct(x, 1)))
    page.glue("ict_rcep_members", listing([name(c) for c in rc.attrs["complete_members"]]))
    w = datastore.load_wdi(leaders.ICT_CODE, years=r.history)
    page.glue(
        "ict_missing",
        missing_text(leaders.rcep_members_missing(w, "value", (r.history[0], min(r.history[1], int(w["year"].max()))))),
    )
    d = levels[levels["iso3"].isin(shown)]
    d = pd.concat(
        [
            pd.DataFrame(
                {
                    "label": d["iso3"].map(name),
                    "year": d["year"],
                    "share_pct": d["share_pct"],
                    "value": to_unit(d["value_bn"], r.unit),
                }
            ),
            pd.DataFrame(
                {
                    "label": f"RCEP ({n_const})",
                    "year": rc_const["year"],
                    "share_pct": rc_const["share_pct"],
                    "value": to_unit(rc_const["value_bn"], r.unit),
                }
            ),
        ],
        ignore_index=True,
    )
    d = d.dropna(subset=["share_pct"]).round({"share_pct": 2, "value": 1})
    lead = levels[levels["year"] == ry].sort_values("share_pct", ascending=False).iloc[0]
    title = (
        f"In {ry}, {name(lead['iso3'])} led ICT services exports among the extract's economies with "
        f"{pct(lead['share_pct'], 1)} of the world total"
        + (f"; China had {pct(chn.loc[ry, 'share_pct'], 1)}" if lead["iso3"] != FOCUS and ry in chn.index else "")
    )
    page.figure(
        charts.share_over_time(
            d, "China", "% of world ICT services exports", f"Exports ({unit_label(r.unit)}, current prices)"
        ),
        name="ict-shares",
        title=title,
        subtitle=f"Share of world ICT services exports (WDI World total, current US$), %; top {len(shown)} of the "
        f"{res['n_economies']} economies in the extract, and RCEP ({n_const} = the members with data "
        "in every year)",
        source=SOURCE_WDI + ", ICT service exports (BoP, current US$)",
        data=d,
        alt=(
            f"Line chart of world shares of ICT services exports, {year_span(int(d['year'].min()), int(d['year'].max()))}, "
            f"for {listing(sorted(d['label'].unique()))}. {title}."
        ),
    )
    lvl = levels[(levels["year"] == ry) & levels["iso3"].isin(shown)].sort_values("rank")
    rc_ry = rc[rc["year"] == ry].set_index("basis")
    value_col = f"ICT services exports {ry} ({unit_label(r.unit)})"
    tab = pd.concat(
        [
            pd.DataFrame(
                {
                    "Rank in extract": lvl["rank"].astype("Int64"),
                    "Economy": lvl["iso3"].map(name),
                    value_col: to_unit(lvl["value_bn"], r.unit),
                    "Share of world (%)": lvl["share_pct"],
                }
            ),
            pd.DataFrame(
                {
                    "Rank in extract": pd.array([pd.NA, pd.NA], dtype="Int64"),
                    "Economy": [
                        f"RCEP, members with data that year ({int(rc_ry.loc['members with data', 'n_members'])})",
                        f"RCEP, the {n_const} members with data every year",
                    ],
                    value_col: to_unit(
                        np.array(
                            [rc_ry.loc["members with data", "value_bn"], rc_ry.loc["constant membership", "value_bn"]]
                        ),
                        r.unit,
                    ),
                    "Share of world (%)": [
                        rc_ry.loc["members with data", "share_pct"],
                        rc_ry.loc["constant membership", "share_pct"],
                    ],
                }
            ),
        ],
        ignore_index=True,
    )
    page.table(
        tab,
        name="ict-levels",
        caption=f"Leading ICT services exporters of the WDI extract, {ry}",
        source=SOURCE_WDI,
        formats={value_col: ",.1f", "Share of world (%)": ".2f"},
        note="Ranks are within the extract (RCEP members, USA, India, United Kingdom, Germany), not the world.",
    )


def concentration_reading(con: pd.DataFrame) -> str:
    """Computed reading of the concentration path: direction, pace (second half vs first), driver."""
    if len(con) < 3:
        return "The section covers too few years to speak of a trend."
    c0, c1 = con.iloc[0], con.iloc[-1]
    mid = con.iloc[len(con) // 2]
    if c1["hhi"] >= c0["hhi"]:
        return (
            "Concentration did not fall over the period, so the data do not show the growing multipolarity the "
            "study describes."
        )
    d1, d2 = mid["hhi"] - c0["hhi"], c1["hhi"] - mid["hhi"]
    pace = (
        "faster in the second half of the period than in the first"
        if d2 < d1
        else "no faster in the second half of the period than in the first"
    )
    driver = (
        "mostly the leader's falling share, while the combined share of the largest exporters barely moved"
        if abs(c1["topn_pct"] - c0["topn_pct"]) < abs(c1["top1_pct"] - c0["top1_pct"])
        else "a falling combined share of the largest exporters"
    )
    return (
        f"The decline in concentration was {pace} (Herfindahl {num(c0['hhi'], 0)} → {num(mid['hhi'], 0)} by "
        f"{int(mid['year'])} → {num(c1['hhi'], 0)}), and it reflects {driver}."
    )


def concentration_text(con: pd.DataFrame, top_n: int) -> str:
    if len(con) < 2:
        c = con.iloc[0]
        return (
            f"In {int(c['year'])}, the only year of this section, the largest exporter ({name(c['leader'])}) had "
            f"{pct(c['top1_pct'], 1)} of world exports and the largest {top_n} together {pct(c['topn_pct'], 1)}; "
            "one year cannot show whether the pattern is becoming more multipolar."
        )
    c0, c1 = con.iloc[0], con.iloc[-1]
    how = "less" if c1["hhi"] < c0["hhi"] else "more" if c1["hhi"] > c0["hhi"] else "neither more nor less"
    return (
        f"The leader's share went from {pct(c0['top1_pct'], 1)} ({name(c0['leader'])}, {int(c0['year'])}) to "
        f"{pct(c1['top1_pct'], 1)} ({name(c1['leader'])}, {int(c1['year'])}); the combined share of the largest "
        f"{top_n} exporters went from {pct(c0['topn_pct'], 1)} to {pct(c1['topn_pct'], 1)}, and the Herfindahl "
        f"index of export shares from {num(c0['hhi'], 0)} to {num(c1['hhi'], 0)}: world exports of digitally "
        f"deliverable services became {how} concentrated by this measure."
    )


def unctad(page, r, u: dict, con: pd.DataFrame, ict_res: dict) -> None:
    """``u``: leaders.unctad_leaders; ``con``: leaders.concentration of its shares."""
    sh, cov = u["shares"], u["coverage"].set_index("year")["economies"]
    a, b = u["years"]
    page.glue(
        "unctad_coverage",
        (
            f"Over {year_span(a, b)} it reports between {int(cov.min())} and {int(cov.max())} economies a year"
            if a < b
            else f"In {a}, the only year of this section, it reports {int(cov.iloc[0])} economies"
        )
        + (
            f" — only {int(cov.loc[u['last']])} in {u['last']}, so the last year's ranking rests on fewer reporters"
            if a < b and cov.loc[u["last"]] == cov.min() < cov.max()
            else ""
        )
        + ".",
    )
    page.glue("unctad_top", listing([name(c) for c in u["top"]]))
    page.glue("unctad_last", str(u["last"]))
    rk = u["rank"].set_index("year")
    r0, r1 = rk.iloc[0], rk.iloc[-1]
    y0, y1 = int(rk.index[0]), int(rk.index[-1])
    page.glue("chn_rank_unctad", rank_move(int(r0["rank"]), int(r1["rank"]), y0, y1))
    unc = rk[rk["rank_low"] > rk["rank"]]
    page.glue(
        "chn_rank_caveat",
        "In no year could an economy missing from UNCTAD's table have ranked above China, "
        "judging by its value in the nearest year it reports."
        if unc.empty
        else "Economies missing in some years could have ranked above China: "
        + listing([f"{int(y)}: {x.possibly_above}" for y, x in unc.iterrows()])
        + ".",
    )
    urc = leaders.rcep_aggregate(sh, "share_pct", u["years"])
    urc_v = leaders.rcep_aggregate(sh, "value_bn", u["years"])
    n_uc = len(urc.attrs["complete_members"])
    const = urc[urc["basis"] == "constant membership"].set_index("year")["value"]
    page.glue("unctad_rcep_n", str(n_uc))
    page.glue("unctad_rcep", from_to(const, lambda x: pct(x, 1)))
    page.glue("unctad_missing", missing_text(leaders.rcep_members_missing(sh, "share_pct", u["years"])))
    page.glue("topn", str(r.top_n))
    page.glue("concentration_text", concentration_text(con, r.top_n))
    page.glue("unctad_reading", concentration_reading(con))
    du = sh[sh["iso3"].isin(u["top"])]
    const_v = urc_v[urc_v["basis"] == "constant membership"].set_index("year")["value"]
    du = pd.concat(
        [
            pd.DataFrame(
                {
                    "label": du["iso3"].map(name),
                    "year": du["year"],
                    "share_pct": du["share_pct"],
                    "value": to_unit(du["value_bn"], r.unit),
                }
            ),
            pd.DataFrame(
                {
                    "label": f"RCEP ({n_uc})",
                    "year": const.index,
                    "share_pct": const.values,
                    "value": to_unit(const_v.reindex(const.index).values, r.unit),
                }
            ),
        ],
        ignore_index=True,
    )
    du = du.round({"share_pct": 2, "value": 1})
    last = sh[sh["year"] == u["last"]].set_index("iso3")
    title = (
        f"{name(u['top'][0])} led world exports of digitally deliverable services in {u['last']} with "
        f"{pct(last.loc[u['top'][0], 'share_pct'], 1)}"
        + (f"; China ranked {int(last.loc[FOCUS, 'rank'])}" if FOCUS in last.index and u["top"][0] != FOCUS else "")
    )
    page.figure(
        charts.share_over_time(
            du,
            "China",
            "% of world digitally deliverable services exports",
            f"Exports ({unit_label(r.unit)}, current prices)",
        ),
        name="unctad-shares",
        title=title,
        subtitle=f"Share of world exports (UNCTAD World total, current US$), %; the {len(u['top'])} largest "
        f"exporters of {u['last']}, and RCEP ({n_uc} = the members with data in every year)",
        source=SOURCE_UNCTAD,
        data=du,
        alt=(
            f"Line chart of world shares of digitally deliverable services exports, {year_span(a, b)}, for "
            f"{listing(sorted(du['label'].unique()))}. {title}."
        ),
    )
    levels = ict_res["levels"]
    r_ict = levels[levels["iso3"] == FOCUS][["year", "rank"]].assign(
        rank_low=lambda x: x["rank"],
        measure=f"ICT services, within the WDI extract ({ict_res['n_economies']} economies)",
    )
    r_u = u["rank"].assign(measure="Digitally deliverable services, world (UNCTAD)")
    ranks = pd.concat([r_ict, r_u[["year", "rank", "rank_low", "measure"]]], ignore_index=True)
    page.figure(
        charts.rank_lines(ranks),
        name="china-rank",
        title=f"China {rank_move(int(r0['rank']), int(r1['rank']), y0, y1)} among the world's exporters of "
        "digitally deliverable services",
        subtitle="Rank, 1 = largest; bars: how far down the rank could go if economies missing that year reported",
        source=f"{SOURCE_UNCTAD}; {SOURCE_WDI}",
        data=ranks,
        alt=(
            f"Line chart of China's rank over time in two rankings: digitally deliverable services exports "
            f"(world, UNCTAD), rank {int(r0['rank'])} in {y0} and {int(r1['rank'])} in {y1}, and ICT services "
            "exports within the WDI extract."
        ),
    )
    page.table(
        u["coverage"].rename(columns={"year": "Year", "economies": "Economies with a value"}),
        name="unctad-coverage",
        source=SOURCE_UNCTAD,
        collapsed=True,
        caption="UNCTAD digitally deliverable services exports: economies with a value, by year (aggregates excluded)",
    )


def quoted(page) -> None:
    claims.show(
        page,
        list(checks.QUOTED_CLAIMS),
        name="claims-quoted",
        caption="Figures of the study that no table in data/ can check: quoted, not verified",
    )
