"""AI infrastructure helpers: balanced panels, dispersion, compute tables, statements, claim checks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers.claims import core as claims
from helpers.data import datastore as ds
from helpers.book.chapters import ai_infrastructure as inf


def _avail(table: dict[str, list[int]], years: list[int]) -> pd.DataFrame:
    """Availability frame: members -> list of 0/1 per year."""
    return pd.DataFrame({m: [bool(v) for v in vals] for m, vals in table.items()}, index=years)


# --------------------------------------------------------------------------- balanced panel & dispersion


def test_balanced_block_maximises_members_times_years():
    years = [2000, 2001, 2002, 2003]
    avail = _avail({"A": [1, 1, 1, 1], "B": [1, 1, 1, 1], "C": [0, 1, 1, 1], "D": [0, 0, 1, 1]}, years)
    # A,B over 4 years = 8 cells; A,B,C over 3 years = 9 cells; all four over 2 years = 8 cells
    assert inf.balanced_block(avail) == (["A", "B", "C"], [2001, 2002, 2003])


def test_balanced_block_ties_prefer_more_members_then_later_years():
    years = [2000, 2001, 2002, 2003]
    avail = _avail({"A": [1, 1, 1, 1], "B": [1, 1, 0, 0], "C": [0, 0, 1, 1]}, years)
    # A alone over 4 years (4 cells, 1 member) vs A+B or A+C over 2 years (4 cells, 2 members): A+C is later
    assert inf.balanced_block(avail, min_members=1) == (["A", "C"], [2002, 2003])


def test_balanced_block_needs_consecutive_years_and_enough_members():
    avail = _avail({"A": [1, 1, 1], "B": [1, 1, 1]}, [2000, 2001, 2005])
    mem, yrs = inf.balanced_block(avail)
    assert yrs == [2000, 2001]  # 2005 does not follow 2001
    assert inf.balanced_block(avail, min_members=3) == ([], [])
    assert inf.balanced_block(pd.DataFrame()) == ([], [])


def test_dispersion_known_values_and_zero_minimum():
    v = pd.DataFrame({"year": [1, 1, 2, 2], "iso3": ["A", "B", "A", "B"], "value": [1.0, 3.0, 0.0, 4.0]})
    d = inf.dispersion(v).set_index("year")
    assert d.loc[1, "cv"] == pytest.approx(0.5)  # mean 2, population sd 1
    assert d.loc[1, "max_min"] == pytest.approx(3.0)
    assert math.isnan(d.loc[2, "max_min"])  # lowest is zero: ratio undefined


def test_divide_separates_a_composition_effect():
    rows = []
    for y in range(2000, 2004):
        rows += [("A", y, 10.0), ("B", y, 20.0), ("D", y, 15.0)]
        if y >= 2002:
            rows.append(("C", y, 200.0))  # a member that enters late, far above the others
    panel = pd.DataFrame(rows, columns=["iso3", "year", "value"]).assign(indicator="X", economy="x")
    dv = inf.divide(panel, "X")
    assert dv["members"] == ["A", "B", "D"] and dv["years"] == [2000, 2001, 2002, 2003]
    assert dv["excluded"] == ["C"]
    assert dv["trend"] == "did not change"
    assert dv["trend_all"] == "widened"  # the unbalanced measure would show a spurious widening


def test_trend_word():
    assert inf.trend_word(0.8, 0.2) == "narrowed"
    assert inf.trend_word(0.2, 0.8) == "widened"
    assert inf.trend_word(0.5, 0.502) == "did not change"
    assert inf.trend_word(float("nan"), 0.5) == "not measurable"


def test_log_scale_only_for_unbounded_series_spanning_orders_of_magnitude():
    wide = pd.Series([0.02, 5.0, 200000.0])
    assert inf.use_log(wide, "IT.NET.SECR.P6")
    assert not inf.use_log(wide, "IT.NET.USER.ZS")  # a share of the population stays linear
    assert not inf.use_log(pd.Series([50.0, 180.0]), "IT.CEL.SETS.P2")


# --------------------------------------------------------------------------- parameters


def test_members_and_indicators_are_validated():
    assert inf.members([]) == list(ds.country_groups()["rcep"])
    assert inf.members(["CHN", "KOR"]) == ["CHN", "KOR"]
    with pytest.raises(ValueError, match="not RCEP members"):
        inf.members(["USA"])
    with pytest.raises(ValueError, match="must not be empty"):
        inf.check_indicators([])
    with pytest.raises(ValueError, match="not digital-infrastructure"):
        inf.check_indicators(["NY.GDP.MKTP.CD"])
    with pytest.raises(ValueError, match="start_year"):
        inf.load_panel(["IT.NET.USER.ZS"], ["CHN"], 2020, 2010)


# --------------------------------------------------------------------------- compute


def test_period_dates_and_units():
    assert inf.period_date("end of June 2022") == ("2022-06", False)
    assert inf.period_date("end of 2023") == ("2023-12", False)
    assert inf.period_date("mid-2023 (stated at a conference, Aug 2023)") == ("2023-06", False)
    assert inf.period_date("target for 2025") == ("2025-12", True)
    assert inf.period_date("date unknown") == (None, False)
    assert inf.to_eflops(780000, "PFlops") == pytest.approx(780.0)
    assert inf.to_eflops(246, "EFLOPS") == 246.0
    with pytest.raises(ValueError, match="not a computing-power unit"):
        inf.to_eflops(32, "percent")


def test_last_digit_unit():
    assert inf.last_digit_unit(780000) == 10000
    assert inf.last_digit_unit(788) == 1
    assert inf.last_digit_unit(2.5) == pytest.approx(0.1)
    with pytest.raises(ValueError):
        inf.last_digit_unit(0)


def test_top500_gaps_stay_gaps():
    df, missing = inf.top500_frame(["CHN", "JPN"], 2019, 2024)
    assert missing == ["2021-06", "2021-11", "2022-06", "2022-11", "2023-06", "2024-06"]
    gap = df[df["list_date"].isin(missing)]
    assert len(gap) and gap["rmax_pflops"].isna().all() and (gap["status"] == "list not obtained").all()
    got = df[(df["iso3"] == "CHN") & (df["list_date"] == "2019-11")].iloc[0]
    t = ds.load_table("top500_country")
    src = t[(t["iso3"] == "CHN") & (t["list_date"] == "2019-11")].iloc[0]
    assert got["share_pct"] == pytest.approx(src["rmax_share_pct"])
    assert got["rmax_pflops"] == pytest.approx(src["rmax_sum"] / 1e3)  # TFlop/s from 2017 on
    bands = inf.gap_bands(missing)
    assert len(bands) == 2  # 2021-06..2023-06 and 2024-06


def test_top500_calendar():
    assert inf.top500_calendar("2020-06", "2021-06") == ["2020-06", "2020-11", "2021-06"]


def test_gpu_clusters_world_is_the_sum_of_included_existing_rows():
    g = inf.gpu_clusters(["CHN", "JPN"])
    raw = ds.load_table("epoch_gpu_clusters")
    raw = raw[raw["include_standard_analysis"].astype(bool) & (raw["status"] == "Existing")]
    world = g.loc[g["kind"] == "world", "h100e"].iloc[0]
    assert world == pytest.approx(raw["h100_equivalents"].sum())
    assert g.loc[g["kind"] != "world", "share_pct"].sum() <= 100 + 1e-9
    assert set(g["iso3"]) >= {"CHN", "JPN", "USA", "WLD"}


def test_ai_models_world_counts_each_model_once():
    m = inf.ai_models(list(ds.country_groups()["rcep"]), 2015, 2024)
    w = m[m["iso3"] == ds.WORLD].set_index("year")["models"]
    by_year = m[m["iso3"] != ds.WORLD].groupby("year")["models"]
    assert (by_year.max() <= w.loc[by_year.max().index]).all()
    raw = ds.load_table("epoch_ai_models")
    assert w.loc[2023] == raw[raw["year"] == 2023].drop_duplicates(["model", "publication_date"]).shape[0]


def test_china_statements_are_in_eflops_without_world_figures():
    st = inf.china_statements()
    assert (st["eflops"] > 0).all()
    assert not st["metric"].str.lower().str.startswith("world").any()
    assert (st["kind"] == "intelligent computing").sum() == 1


def test_spearman():
    x = pd.Series([1.0, 2.0, 3.0, 4.0])
    assert inf.spearman(x, x ** 2) == pytest.approx(1.0)
    assert inf.spearman(x, -x) == pytest.approx(-1.0)
    assert math.isnan(inf.spearman(x[:2], x[:2]))


def test_lower_first_keeps_acronyms():
    assert inf.lower_first("Internet users") == "internet users"
    assert inf.lower_first("R&D expenditure") == "R&D expenditure"


# --------------------------------------------------------------------------- page sentences for any parameters


@pytest.mark.parametrize("countries,years,codes", [
    ([], (2005, 2024), ["IT.NET.USER.ZS", "IT.NET.BBND.P2", "IT.CEL.SETS.P2", "IT.NET.SECR.P6"]),
    (["KOR", "SGP", "VNM"], (2000, 2006), ["IT.NET.SECR.P6", "IT.NET.USER.ZS"]),  # servers start in 2010
    (["LAO"], (2024, 2024), ["IT.CEL.SETS.P2"]),
])
def test_page_findings_always_have_the_same_keys(countries, years, codes):
    economies = inf.members(countries)
    panel = inf.load_panel(codes, economies, *years)
    f = inf.page_findings(panel, economies, codes, *years)
    c = inf.compute_findings(economies, *years)
    b = inf.bridge_findings(inf.bridge_frame(economies, codes[0], *years), codes[0])
    assert {"economies", "window", "divide_list", "divide_title", "divide_verdict", "coverage_sentence"} <= set(f)
    assert set(c) == {"top500_sentence", "gpu_sentence", "gpu_title", "models_sentence", "models_title"}
    assert set(b) == {"bridge_title", "bridge_sentence"}
    assert all(isinstance(v, (str, list)) and v for v in {**f, **c, **b}.values())


# --------------------------------------------------------------------------- claims


def test_every_claim_of_the_chapter_is_shown_once_and_has_a_check_or_a_reason():
    ids = claims.claims_for("ai_infrastructure")
    grouped = [c for g in inf.CLAIM_GROUPS.values() for c in g]
    assert sorted(grouped) == sorted(ids) and len(grouped) == len(set(grouped))
    for cid in ids:
        r = claims.check(cid)
        assert r.status in ("consistent", "inconsistent", "not checkable")
        assert claims.checker(cid) == "helpers.book.chapters.ai_infrastructure" or cid in claims.NOT_CHECKABLE
        assert r.method and "no check registered" not in r.method


def test_intelligent_computing_is_judged_by_the_one_rule():
    row = claims.claim("S000-078")
    r = inf.check_intelligent_computing(row)
    # 788 stated (no decimals: ±0.5) against 780 EFLOPS (780,000 PFlops): outside the rule
    assert r.computed == pytest.approx(780.0) and r.tolerance == claims.rule_tolerance(row)
    assert r.status == "inconsistent" and "−1.0 %" in r.method
    near = row.copy()
    near["value"] = 780.4  # within half a unit of the last digit written
    assert inf.check_intelligent_computing(near).status == "consistent"


def test_index_growth_is_recomputed_from_the_stated_levels():
    r = claims.check("S000-082")
    lo, hi = claims.stated("S000-081"), claims.stated("S000-081", end=True)
    assert r.computed == pytest.approx(100 * (hi / lo - 1))
    assert r.status == "consistent"


def test_levels_lines_break_at_gaps():
    panel = pd.DataFrame({"iso3": ["AUS"] * 3, "economy": ["Australia"] * 3,
                          "year": pd.array([2005, 2006, 2008], dtype="Int64"),
                          "indicator": ["IT.NET.BBND.P2"] * 3, "value": [10.0, 12.0, 15.0]})
    spec = inf.levels_chart(panel, "IT.NET.BBND.P2", None).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len({r["run"] for r in rows}) == 2 and spec["encoding"]["detail"]["field"] == "run"
