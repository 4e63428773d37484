"""Who leads world exports of ICT and digitally deliverable services: shares, ranks, the RCEP group
and concentration.

* :func:`ict_leaders` — ICT services exports (WDI) of the economies in the extract, with world shares
  (WDI World total) and ranks *within the extract*;
* :func:`unctad_leaders` — a true world ranking of digitally deliverable services exporters (UNCTAD,
  aggregates left out), with the rank of the focus economy and how far missing reporters could push it;
* :func:`rcep_aggregate`, :func:`rcep_members_missing` — the RCEP sum with constant membership, and the gaps;
* :func:`concentration` — the leader's share, the top-n share and the Herfindahl index by year.

Loads what it needs from ``data/``; no page, no sentences, no charts.
"""

from __future__ import annotations

import pandas as pd

from helpers.data import datastore
from helpers.text import year_ranges

ICT_CODE = "BX.GSR.CCIS.CD"
AGGREGATES = ("WLD", "SSF")


def ict_leaders(years: tuple[int, int], top_n: int) -> dict:
    """ICT service exports (WDI) of the economies of the extract: levels, world shares, ranks.

    Returns ``levels`` (long: iso3, year, value_bn, share_pct, rank), ``top`` (the top_n in the latest
    year with a World value), ``rank_year``, ``n_economies``, ``world_years``, ``rcep`` (the RCEP aggregate,
    see :func:`rcep_aggregate`, with share_pct and value_bn) and ``shown_all`` (top_n covers them all).
    """
    lo, hi = years
    w = datastore.load_wdi(ICT_CODE, years=(lo, hi))
    world = w[w["iso3"] == "WLD"].set_index("year")["value"]
    if world.empty:
        raise datastore.DataRequestError(f"no World value of ICT service exports ({ICT_CODE}) in {lo}-{hi}")
    eco = w[w["iso3"] != "WLD"].copy()
    eco["value_bn"] = eco["value"] / 1e9
    eco["share_pct"] = 100 * eco["value"] / eco["year"].map(world)
    eco["rank"] = eco.groupby("year")["value"].rank(ascending=False, method="min").astype(int)
    rank_year = int(world.index.max())
    latest = eco[eco["year"] == rank_year].sort_values("value", ascending=False)
    agg = rcep_aggregate(eco.rename(columns={"value": "v"}), "v", years)
    agg = agg.assign(share_pct=100 * agg["value"] / agg["year"].map(world), value_bn=agg["value"] / 1e9)
    return {
        "levels": eco[["iso3", "year", "value_bn", "share_pct", "rank"]].reset_index(drop=True),
        "top": list(latest["iso3"].head(top_n)),
        "rank_year": rank_year,
        "n_economies": int(eco["iso3"].nunique()),
        "world_years": (int(world.index.min()), int(world.index.max())),
        "rcep": agg,
        "shown_all": top_n >= len(latest),
    }


def rcep_aggregate(df: pd.DataFrame, value: str, years: tuple[int, int]) -> pd.DataFrame:
    """Sum over RCEP members of ``value`` per year, two ways: every member with data that year
    ("members with data") and only the members with data in every year of the window ("constant
    membership"). Returns long: year, basis, value, n_members; ``attrs["complete_members"]``."""
    rcep = list(datastore.country_groups()["rcep"])
    d = df[df["iso3"].isin(rcep) & df["year"].between(*years) & df[value].notna()]
    present_years = sorted(d["year"].unique())
    complete = [c for c in rcep if set(present_years) <= set(d.loc[d["iso3"] == c, "year"])]
    rows = []
    for y in present_years:
        dy = d[d["year"] == y]
        rows.append(
            {
                "year": int(y),
                "basis": "members with data",
                "value": float(dy[value].sum()),
                "n_members": int(dy["iso3"].nunique()),
            }
        )
        dc = dy[dy["iso3"].isin(complete)]
        rows.append(
            {
                "year": int(y),
                "basis": "constant membership",
                "value": float(dc[value].sum()),
                "n_members": len(complete),
            }
        )
    out = pd.DataFrame(rows, columns=["year", "basis", "value", "n_members"])
    out.attrs["complete_members"] = complete
    return out


def rcep_members_missing(df: pd.DataFrame, value: str, years: tuple[int, int]) -> pd.DataFrame:
    """Which RCEP members have no value in which years: member, name, years missing (as ranges), n_years."""
    rcep = list(datastore.country_groups()["rcep"])
    d = df[df["iso3"].isin(rcep) & df[value].notna()]
    rows = []
    for c in rcep:
        have = set(d.loc[d["iso3"] == c, "year"].astype(int))
        miss = [y for y in range(years[0], years[1] + 1) if y not in have]
        if miss:
            rows.append(
                {
                    "member": c,
                    "name": datastore.display_name(c),
                    "years missing": year_ranges(miss),
                    "n_years": len(miss),
                }
            )
    return pd.DataFrame(rows, columns=["member", "name", "years missing", "n_years"])


def unctad_leaders(years: tuple[int, int], top_n: int, focus: str = "CHN") -> dict:
    """World ranking of digitally deliverable services exporters (UNCTAD, all modes), aggregates excluded.

    Returns ``shares`` (long: iso3, year, value_bn, share_pct, rank), ``top`` (top_n in the last year),
    ``years`` (the part of ``years`` UNCTAD covers), ``last``, ``coverage`` (economies with data per year)
    and ``rank`` of ``focus`` per year with the range missing reporters allow (:func:`rank_with_missing`).
    """
    u = datastore.load_unctad_dds("exports")
    lo, hi = max(years[0], int(u["year"].min())), min(years[1], int(u["year"].max()))
    if lo > hi:
        raise datastore.DataRequestError(
            f"UNCTAD digitally deliverable services cover {int(u['year'].min())}-"
            f"{int(u['year'].max())}; the window {years[0]}-{years[1]} has no year of them"
        )
    u = u[u["year"].between(lo, hi)]
    world = u[u["iso3"] == "WLD"].set_index("year")["value_usd_mn"]
    eco = u[~u["iso3"].isin(AGGREGATES)].copy()
    eco["value_bn"] = eco["value_usd_mn"] / 1000
    eco["share_pct"] = 100 * eco["value_usd_mn"] / eco["year"].map(world)
    eco["rank"] = eco.groupby("year")["value_usd_mn"].rank(ascending=False, method="min").astype(int)
    last = int(eco["year"].max())
    top = list(eco[eco["year"] == last].sort_values("value_usd_mn", ascending=False)["iso3"].head(top_n))
    coverage = eco.groupby("year")["iso3"].nunique().rename("economies").reset_index()
    return {
        "shares": eco[["iso3", "year", "value_bn", "share_pct", "rank"]].reset_index(drop=True),
        "top": top,
        "years": (lo, hi),
        "last": last,
        "coverage": coverage,
        "rank": rank_with_missing(eco, "value_usd_mn", focus),
    }


def rank_with_missing(eco: pd.DataFrame, value: str, focus: str) -> pd.DataFrame:
    """Rank of ``focus`` per year and how much lower it could be because of economies with no value
    that year: an economy missing in year y counts as 'possibly above' if, in the nearest year in
    which it has a value, it exceeded ``focus``. Returns year, rank, rank_low, possibly_above."""
    p = eco.pivot(index="iso3", columns="year", values=value)
    if focus not in p.index:
        raise datastore.DataRequestError(f"{focus} has no value in the ranking table")
    years = list(p.columns)
    rows = []
    for y in years:
        if pd.isna(p.loc[focus, y]):
            continue
        r = int((p[y] > p.loc[focus, y]).sum() + 1)
        above = []
        for e in p.index[p[y].isna()]:
            obs = [yy for yy in years if not pd.isna(p.loc[e, yy]) and not pd.isna(p.loc[focus, yy])]
            if not obs:
                continue
            near = min(obs, key=lambda yy: (abs(yy - y), yy))
            if p.loc[e, near] > p.loc[focus, near]:
                above.append(e)
        rows.append({"year": int(y), "rank": r, "rank_low": r + len(above), "possibly_above": ", ".join(sorted(above))})
    return pd.DataFrame(rows, columns=["year", "rank", "rank_low", "possibly_above"])


def concentration(shares: pd.DataFrame, n: int) -> pd.DataFrame:
    """Per year: share of the largest exporter, of the n largest, and the Herfindahl index (0-10,000)
    over the economies with data."""
    rows = []
    for y, g in shares.groupby("year"):
        s = g["share_pct"].sort_values(ascending=False)
        rows.append(
            {
                "year": int(y),
                "top1_pct": float(s.iloc[0]),
                "topn_pct": float(s.head(n).sum()),
                "hhi": float((s**2).sum()),
                "leader": g.loc[s.index[0], "iso3"],
            }
        )
    return pd.DataFrame(rows, columns=["year", "top1_pct", "topn_pct", "hhi", "leader"])
