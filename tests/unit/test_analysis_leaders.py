"""helpers.analysis.leaders: ranks with missing reporters, concentration, the RCEP group with constant membership."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.analysis import leaders


def test_rank_with_missing_counts_only_economies_that_were_larger():
    eco = pd.DataFrame(
        {
            "iso3": ["CHN", "AAA", "BBB", "CHN", "AAA", "BBB", "CCC"],
            "year": [2020, 2020, 2020, 2021, 2021, 2021, 2020],
            "value": [10.0, 20.0, 5.0, 12.0, 25.0, 6.0, 30.0],
        }
    )
    r = leaders.rank_with_missing(eco, "value", "CHN").set_index("year")
    assert r.loc[2020, "rank"] == 3 and r.loc[2020, "rank_low"] == 3  # CCC present in 2020, nothing missing
    assert r.loc[2021, "rank"] == 2  # CCC missing in 2021 ...
    assert r.loc[2021, "rank_low"] == 3 and r.loc[2021, "possibly_above"] == "CCC"  # ... but was larger in 2020
    with pytest.raises(LookupError):
        leaders.rank_with_missing(eco, "value", "ZZZ")


def test_concentration_herfindahl():
    sh = pd.DataFrame({"iso3": ["A", "B", "C"], "year": [2020] * 3, "share_pct": [50.0, 30.0, 20.0]})
    c = leaders.concentration(sh, 2).iloc[0]
    assert c["hhi"] == pytest.approx(2500 + 900 + 400) and c["top1_pct"] == 50 and c["topn_pct"] == 80
    assert c["leader"] == "A"


def test_rcep_aggregate_constant_membership_drops_members_with_gaps():
    df = pd.DataFrame(
        {
            "iso3": ["CHN", "JPN", "BRN", "CHN", "JPN", "USA"],
            "year": [2020, 2020, 2020, 2021, 2021, 2021],
            "v": [1.0, 2.0, 4.0, 1.5, 2.5, 100.0],
        }
    )
    res = leaders.rcep_aggregate(df, "v", (2020, 2021))
    agg = res.set_index(["year", "basis"])
    assert agg.loc[(2020, "members with data"), "value"] == 7.0  # BRN counted where present
    assert agg.loc[(2020, "constant membership"), "value"] == 3.0  # BRN dropped (missing 2021)
    assert agg.loc[(2021, "members with data"), "value"] == 4.0  # USA is not RCEP
    assert res.attrs["complete_members"] == ["CHN", "JPN"]
    miss = leaders.rcep_members_missing(df, "v", (2020, 2021)).set_index("member")
    assert miss.loc["BRN", "years missing"] == "2021"
    assert "CHN" not in miss.index and miss.loc["VNM", "years missing"] == "2020–2021"


def test_a_window_without_unctad_years_is_refused_with_the_coverage():
    with pytest.raises(LookupError, match="cover"):
        leaders.unctad_leaders((2030, 2031), 5)


@pytest.mark.parametrize("top_n", [3, 25])
def test_ict_leaders_top_n_and_whether_it_covers_everyone(top_n):
    res = leaders.ict_leaders((2015, 2023), top_n)
    n_latest = int((res["levels"]["year"] == res["rank_year"]).sum())
    assert len(res["top"]) == min(top_n, n_latest)
    assert res["shown_all"] == (top_n >= n_latest)
