"""helpers.analysis.trends: Table 1 recomputed, its three versions, growth (nominal and real), windows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import trends
from helpers.claims import core as claims


def synthetic_t1(levels: dict[str, list[float]], stated: dict[str, list[float]], years: list[int]) -> pd.DataFrame:
    """Table 1 in long form; levels in US$ 100 million as in the study."""
    return pd.DataFrame(
        [
            {
                "series": s,
                "year": y,
                "level_100m": levels[s][i],
                "growth_stated": stated[s][i],
                "level_claim": None,
                "growth_claim": None,
            }
            for s in levels
            for i, y in enumerate(years)
        ]
    )


def wide(**cols) -> pd.DataFrame:
    years = cols.pop("years")
    return pd.DataFrame(cols, index=pd.Index(years, name="year"), dtype=float)


# --------------------------------------------------------------------------- Table 1


def test_recompute_growth_flags_only_real_mismatches():
    t1 = synthetic_t1(
        {"goods": [100.0, 110.0, 99.0], "dds": [50.0, 55.0, 60.5]},
        {"goods": [1.0, 10.0, 5.0], "dds": [2.0, 10.04, 10.0]},
        [2019, 2020, 2021],
    )
    rec = trends.recompute_growth(t1).set_index(["series", "year"])
    assert pd.isna(rec.loc[("goods", 2019), "growth_recomputed"]) and pd.isna(rec.loc[("goods", 2019), "agrees"])
    assert rec.loc[("goods", 2020), "growth_recomputed"] == pytest.approx(10.0)
    assert bool(rec.loc[("goods", 2020), "agrees"])
    assert rec.loc[("goods", 2021), "growth_recomputed"] == pytest.approx(-10.0)
    assert not bool(rec.loc[("goods", 2021), "agrees"])  # stated +5 vs −10
    assert bool(rec.loc[("dds", 2020), "agrees"])  # 10.04 vs 10.0: within 0.05
    bad = trends.inconsistent_cells(rec.reset_index())
    assert list(zip(bad["series"], bad["year"])) == [("goods", 2021)]


def test_recompute_growth_does_not_bridge_a_missing_year():
    t1 = synthetic_t1({"goods": [100.0, 121.0]}, {"goods": [0.0, 10.0]}, [2019, 2021])
    assert trends.recompute_growth(t1)["growth_recomputed"].isna().all()


def test_tolerance_edge_is_half_a_unit_of_the_last_digit():
    t1 = synthetic_t1({"goods": [100.0, 104.55]}, {"goods": [0.0, 4.5]}, [2019, 2020])
    assert bool(trends.recompute_growth(t1)["agrees"].iloc[1])  # 4.55 − 4.5 = 0.05: on the edge, agrees
    t1 = synthetic_t1({"goods": [100.0, 104.56]}, {"goods": [0.0, 4.5]}, [2019, 2020])
    assert not bool(trends.recompute_growth(t1)["agrees"].iloc[1])


def test_real_table1_flags_match_the_claims_verdicts():
    """The page's flags and the audit's verdicts come from the same rule: they must agree cell by cell."""
    rec = trends.recompute_growth(trends.table1())
    for r in rec.dropna(subset=["growth_recomputed"]).itertuples():
        assert (claims.check(r.growth_claim).status == claims.CONSISTENT) == bool(r.agrees), (r.series, r.year)


def test_rate_implied_levels_chain_the_stated_rates_from_the_first_contradiction():
    # goods: 2021 level jumps (+50 %) while the rate says +10 %; 2022's level agrees with the wrong 2021 level
    t1 = synthetic_t1(
        {"goods": [1000.0, 1100.0, 1650.0, 1683.0], "dds": [100.0, 110.0, 121.0, 133.1]},
        {"goods": [0.0, 10.0, 10.0, 2.0], "dds": [0.0, 10.0, 10.0, 10.0]},
        [2019, 2020, 2021, 2022],
    )
    ri = trends.rate_implied_levels(trends.recompute_growth(t1))
    assert ri.loc[2020, "goods"] == pytest.approx(110.0)  # before the contradiction: as stated (in US$ bn)
    assert ri.loc[2021, "goods"] == pytest.approx(121.0)  # 110 × 1.10
    assert ri.loc[2022, "goods"] == pytest.approx(121.0 * 1.02)  # chained, although 2022 agreed with 2021's level
    assert ri["dds"].tolist() == pytest.approx([10.0, 11.0, 12.1, 13.31])  # no contradiction: untouched


def test_the_real_table_has_its_goods_2024_level_replaced():
    rec = trends.recompute_growth(trends.table1())
    ri, st = trends.rate_implied_levels(rec), trends.levels_bn(trends.table1())
    assert ri.loc[2024, "goods"] == pytest.approx(st.loc[2023, "goods"] * 1.021)
    assert ri.loc[2023].tolist() == st.loc[2023].tolist()
    assert ri.loc[2025, "dds"] == st.loc[2025, "dds"]


def _decide(stated: float, from_levels: float, independent_growth: float) -> str:
    """The rule for one contradictory cell (goods 2020) and an independent series growing as given (NaN: none)."""
    rec = pd.DataFrame(
        [
            {
                "series": "goods",
                "year": 2020,
                "level_100m": 1.0,
                "growth_stated": stated,
                "growth_recomputed": from_levels,
                "agrees": False,
            }
        ]
    )
    ind = wide(
        goods=[100.0, 100.0 * (1 + independent_growth / 100)], services=[1.0, 1.0], dds=[1.0, 1.0], years=[2019, 2020]
    )
    return trends.decisive_version(trends.contradiction_evidence(rec, ind))


def test_the_rule_follows_the_rate_unless_independent_series_side_with_levels():
    assert _decide(2.0, 20.0, 1.9) == "rate_implied"  # the independent series sides with the rate
    assert _decide(2.0, 20.0, 19.0) == "stated"  # ... with the level
    assert _decide(2.0, 20.0, np.nan) == "rate_implied"  # nothing testable: the claim is about growth
    consistent = trends.recompute_growth(synthetic_t1({"goods": [100.0, 110.0]}, {"goods": [0.0, 10.0]}, [2019, 2020]))
    assert trends.contradiction_evidence(
        consistent, wide(goods=[1.0, 2.0], services=[1.0, 1.0], dds=[1.0, 1.0], years=[2019, 2020])
    ).empty
    assert trends.decisive_version(pd.DataFrame({"sides_with": ["rate", "level"]})) == "independent"


def test_evidence_on_the_real_table():
    rec = trends.recompute_growth(trends.table1())
    ev = trends.contradiction_evidence(rec, trends.independent_levels()).set_index(["series", "year"])
    assert ev.loc[("goods", 2024), "sides_with"] == "rate"  # WDI goods grew about 2 %, not 20 %
    assert pd.isna(ev.loc[("services", 2025), "sides_with"])  # no independent value for 2025


# --------------------------------------------------------------------------- growth


def test_index_series_is_100_in_the_base_year_and_rejects_bad_bases():
    lv = wide(a=[50.0, 100.0, 150.0], b=[2.0, 4.0, 1.0], years=[2019, 2020, 2021])
    idx = trends.index_series(lv, 2020)
    assert idx.loc[2020].tolist() == [100.0, 100.0]
    assert idx.loc[2021, "a"] == pytest.approx(150.0) and idx.loc[2019, "b"] == pytest.approx(50.0)
    with pytest.raises(LookupError):
        trends.index_series(lv, 2018)
    with pytest.raises(ValueError):
        trends.index_series(wide(a=[0.0, 1.0], years=[2019, 2020]), 2019)


def test_cagr_table_and_outpaces():
    lv = wide(goods=[100.0, 121.0], services=[100.0, 110.25], dds=[100.0, 144.0], years=[2019, 2021])
    c = trends.cagr_table(lv, 2019, 2021)
    assert c.tolist() == pytest.approx([10.0, 5.0, 20.0])
    assert trends.outpaces(c)
    c["goods"] = 25.0
    assert not trends.outpaces(c)
    with pytest.raises(ValueError):
        trends.cagr_table(lv, 2021, 2021)


def test_cagr_versions_clip_each_version_to_its_own_years():
    full = wide(
        goods=[100.0, 110.0, 121.0],
        services=[100.0, 105.0, 110.25],
        dds=[100.0, 120.0, 144.0],
        years=[2019, 2020, 2021],
    )
    short = full.loc[2019:2020]
    one = full.loc[2021:2021]
    c = trends.cagr_versions({"stated": full, "rate_implied": full, "independent": short}, 2019, 2021)
    ind = c[c["version"] == "independent"].set_index("series")
    assert (ind["start"].iloc[0], ind["end"].iloc[0]) == (2019, 2020) and ind.loc["dds", "cagr_pct"] == pytest.approx(
        20
    )
    c = trends.cagr_versions({"stated": full, "rate_implied": full, "independent": one}, 2019, 2021)
    assert c[c["version"] == "independent"]["cagr_pct"].isna().all()  # one year: no growth rate, no pretence


def test_window_robustness_counts_every_pair():
    lv = wide(
        goods=[100, 101, 102, 103],
        services=[100, 102, 104, 106],
        dds=[100, 110, 121, 133.1],
        years=[2019, 2020, 2021, 2022],
    )
    wr = trends.window_robustness(lv)
    assert len(wr) == 6 and wr["dds_leads"].all()
    lv.loc[2022, "goods"] = 200.0  # goods jump in the last year: every window ending 2022 fails
    wr = trends.window_robustness(lv)
    assert set(wr.loc[~wr["dds_leads"], "end"]) == {2022}
    wv = trends.window_versions({"stated": lv, "independent": lv.loc[2019:2019]}, 2019, 2022)
    assert (wv["version"] == "stated").sum() == 6 and not (wv["version"] == "independent").any()


def test_annual_growth_leaves_gaps_as_gaps():
    g = trends.annual_growth(wide(a=[100.0, 110.0, 121.0], years=[2019, 2020, 2022]))
    assert g.loc[2020, "a"] == pytest.approx(10.0) and pd.isna(g.loc[2022, "a"]) and pd.isna(g.loc[2019, "a"])


# --------------------------------------------------------------------------- real growth


def test_real_growth_is_nominal_deflated_by_the_index_and_keeps_the_order():
    rng = np.random.default_rng(7)
    years = list(range(2019, 2026))
    lv = wide(
        goods=100 * np.cumprod(1 + rng.normal(0.04, 0.06, 7)),
        services=100 * np.cumprod(1 + rng.normal(0.05, 0.05, 7)),
        dds=100 * np.cumprod(1 + rng.normal(0.08, 0.04, 7)),
        years=years,
    )
    prices = pd.DataFrame(
        {
            "us_cpi_u": 100 * np.cumprod(1 + rng.uniform(0.0, 0.08, 7)),
            "us_gdp_deflator": list(100 * np.cumprod(1 + rng.uniform(0.0, 0.05, 6))) + [np.nan],
        },
        index=years,
    )
    rc = trends.real_cagrs({"stated": lv}, prices, 2019, 2025).set_index("series")
    infl = (prices.loc[2025, "us_cpi_u"] / prices.loc[2019, "us_cpi_u"]) ** (1 / 6) - 1
    for s in ("goods", "services", "dds"):
        nominal = (lv.loc[2025, s] / lv.loc[2019, s]) ** (1 / 6) - 1
        assert rc.loc[s, "us_cpi_u_real_pct"] == pytest.approx(100 * ((1 + nominal) / (1 + infl) - 1))
    assert list(rc["us_cpi_u_real_pct"].sort_values().index) == list(rc["nominal_pct"].sort_values().index)
    assert rc["us_gdp_deflator_real_pct"].isna().all()  # the deflator has no 2025: no real rate, not a shorter one


def test_deflate_expresses_levels_in_one_year_prices():
    lv = wide(a=[100.0, 110.0], years=[2023, 2024])
    out = trends.deflate(lv, pd.Series({2023: 200.0, 2024: 220.0}), 2024)
    assert out["a"].tolist() == pytest.approx([110.0, 110.0])  # 10 % more, prices 10 % higher: flat in real terms
    with pytest.raises(LookupError):
        trends.deflate(lv, pd.Series({2023: 200.0}), 2024)


def test_goods_volume_check_on_constructed_figures():
    wto = pd.DataFrame(
        {"volume_pct": [2.0, -1.0], "value_pct": [12.0, np.nan]}, index=pd.Index([2022, 2023], name="year")
    )
    out = trends.goods_volume_check(
        pd.Series({2022: 10.0, 2023: -4.0}), pd.Series({2021: 100.0, 2022: 108.0, 2023: 112.32}), wto
    ).set_index("year")
    assert out.loc[2022, "inflation_pct"] == pytest.approx(8.0) and out.loc[2023, "inflation_pct"] == pytest.approx(4.0)
    assert out.loc[2022, "real_by_index_pct"] == pytest.approx((1.10 / 1.08 - 1) * 100)
    assert out.loc[2022, "wto_price_pct"] == pytest.approx((1.12 / 1.02 - 1) * 100)
    assert pd.isna(out.loc[2023, "wto_price_pct"])


def test_wto_merchandise_growth_keeps_outcomes_not_projections():
    g = trends.wto_merchandise_growth()
    h = trends.datastore.load_table("wto_headlines")
    outcomes = h[h["metric"] == trends.VOLUME_METRIC]
    assert g["volume_pct"].to_dict() == dict(zip(outcomes["reference_year"].astype(int), outcomes["growth_pct"]))
    assert (h["metric"].str.startswith(trends.VOLUME_METRIC) & (h["metric"] != trends.VOLUME_METRIC)).any()


# --------------------------------------------------------------------------- independent sources


def test_independent_sources_are_in_billions_and_distinct():
    ind = trends.independent_world((2019, 2024))
    assert set(ind["source"]) == {"wdi", "wto_dds", "wto_headline"}
    assert ind[ind["series"] == "goods"]["value_bn"].between(5_000, 60_000).all()  # trillions of dollars
    assert not ind.duplicated(["series", "year", "source"]).any()


def test_services_levels_lie_between_two_concepts():
    pos = trends.services_position()
    assert not pos.empty and pos["between"].all()
