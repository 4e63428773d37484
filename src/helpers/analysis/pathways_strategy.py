"""RCEP pathways: the latest value of each indicator that would track the study's recommended pathway (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from helpers.data import datastore as ds

TOP500 = "TOP500"  # share of the latest TOP500 list's Rmax (not a WDI or openness code)


def latest_values(
    code: str, inputs: Mapping[str, pd.DataFrame], members: Sequence[str] = ds.RCEP
) -> tuple[pd.DataFrame, str]:
    """Latest value and its year per member (iso3, value, year, absent); and the source file. ``absent``: the
    member has no system in the TOP500 list (value 0 by definition, not a missing value)."""
    rc = list(members)
    if code == TOP500:
        t = ds.load_table("top500_country")
        last = t["list_date"].max()
        t = t[(t["list_date"] == last) & t["iso3"].isin(rc)]
        df = pd.DataFrame({"iso3": rc}).merge(t[["iso3", "rmax_share_pct"]], how="left")
        df["value"] = df["rmax_share_pct"].fillna(0.0)
        df["year"] = last
        df["absent"] = df["rmax_share_pct"].isna()
        return df[["iso3", "value", "year", "absent"]], f"TOP500.org, list {last} (data/top500_country.csv)"
    if code in set(inputs["wdi"]["indicator"]):
        w = inputs["wdi"]
        w = w[(w["indicator"] == code) & w["iso3"].isin(rc)].dropna(subset=["value"])
        src = "World Bank, WDI (data/wdi.csv)"
    else:
        w = inputs["openness"]
        w = w[(w["measure"] == code) & w["iso3"].isin(rc)].dropna(subset=["value"])
        src = "KOF Globalisation Index (data/openness.csv)"
    w = w.sort_values("year").groupby("iso3").tail(1)
    df = pd.DataFrame({"iso3": rc}).merge(w[["iso3", "value", "year"]], how="left")
    df["absent"] = False
    return df, src
