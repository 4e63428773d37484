"""helpers.book.chapters.china_scale: services trade, shares, digital-trade series, peers, claim checks, page sections."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers.claims import core as claims
from helpers.data import datastore
from helpers.book import params
from helpers.book.chapters import china_scale as scale

from .test_trends import FakePage, notebook_glue_keys

X, M = scale.X, scale.M


# --------------------------------------------------------------------------- synthetic WDI


def fake_wdi(rows: list[tuple[str, int, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["iso3", "year", "indicator", "value"]).astype({"year": "Int64"})


@pytest.fixture
def synthetic(monkeypatch):
    """A tiny WDI: KOR with a gap year, WLD totals, merchandise and trade ratios, GDP."""
    rows = []
    for y, x, m in [(2010, 10e9, 20e9), (2011, 11e9, 22e9), (2013, 15e9, 15e9)]:
        rows += [("KOR", y, X, x), ("KOR", y, M, m)]
    for y in (2010, 2011, 2012, 2013):
        rows += [("WLD", y, X, 1000e9), ("WLD", y, M, 1000e9)]
    rows += [("KOR", 2010, scale.MERCH_PCT, 50.0), ("KOR", 2010, scale.GDP, 100e9), ("KOR", 2010, scale.TRADE_PCT, 60.0),
             ("KOR", 2011, scale.GDP, 100e9)]
    rows += [("JPN", 2010, X, 50e9), ("JPN", 2013, X, 40e9), ("USA", 2013, X, 500e9)]
    wdi = fake_wdi(rows)
    real = datastore.load_table

    def load(name):
        return wdi.copy() if name == "wdi" else real(name)

    monkeypatch.setattr(scale.datastore, "load_table", load)
    return wdi


def test_services_trade_levels_balance_growth_and_share(synthetic):
    st = scale.services_trade("KOR", (2010, 2013)).set_index("year")
    assert list(st.index) == [2010, 2011, 2013]  # 2012 has no data: absent, not filled
    assert st.loc[2010, "total_bn"] == pytest.approx(30.0) and st.loc[2010, "balance_bn"] == pytest.approx(-10.0)
    assert st.loc[2011, "growth_total_pct"] == pytest.approx(10.0)
    assert pd.isna(st.loc[2013, "growth_total_pct"])  # no growth across the gap
    assert st.loc[2010, "share_world_pct"] == pytest.approx(1.5)
    assert st.loc[2013, "export_share_world_pct"] == pytest.approx(1.5)


def test_window_growth(synthetic):
    st = scale.services_trade("KOR", (2010, 2013))
    wg = scale.window_growth(st)
    assert wg["first_year"] == 2010 and wg["last_year"] == 2013 and wg["multiple"] == pytest.approx(1.0)
    assert wg["cagr_pct"] == pytest.approx(0.0)


def test_foreign_trade_share_two_bases_and_gaps(synthetic):
    ft = scale.foreign_trade_share("KOR", (2010, 2013)).set_index("year")
    # merchandise 50 % of 100 bn = 50 bn; services 30 bn -> 30 / 80
    assert ft.loc[2010, "share_merch_basis_pct"] == pytest.approx(37.5)
    assert ft.loc[2010, "share_na_basis_pct"] == pytest.approx(50.0)  # 30 / 60
    assert pd.isna(ft.loc[2011, "share_merch_basis_pct"])  # GDP but no merchandise ratio: no value
    assert pd.isna(ft.loc[2013, "share_na_basis_pct"])


def test_peer_table_uses_the_focus_years_and_lists_peers_without_data(synthetic):
    pt, notes = scale.peer_table("KOR", ["JPN", "USA"], (2010, 2013))
    assert notes["comparison_year"] == 2013 and notes["start_year"] == 2010
    t = pt.set_index("iso3")
    assert t.loc["USA", "rank_level"] == 1 and t.loc["JPN", "rank_level"] == 2 and t.loc["KOR", "rank_level"] == 3
    assert pd.isna(t.loc["USA", "cagr_pct"]) and "USA" in notes["no_growth"]  # no 2010 value
    assert t.loc["KOR", "cagr_pct"] == pytest.approx(100 * ((15 / 10) ** (1 / 3) - 1))
    assert t.loc["JPN", "rank_growth"] == 2


def test_check_params_errors_name_the_parameter(synthetic):
    base = {"country": "KOR", "start_year": 2010, "end_year": 2013, "peers": []}
    scale.check_params(base)
    with pytest.raises(ValueError, match="start_year"):
        scale.check_params({**base, "start_year": 2013})
    with pytest.raises(ValueError, match="peers"):
        scale.check_params({**base, "peers": ["KOR", "JPN"]})
    with pytest.raises(ValueError, match="fewer than two years"):
        scale.check_params({**base, "start_year": 2012, "end_year": 2013})
    with pytest.raises(ValueError, match="no services trade"):
        scale.check_params({**base, "country": "VNM"})


# --------------------------------------------------------------------------- the seeds' series (synthetic)


def test_seed_implied_growth_pairs_and_overall():
    seed = pd.DataFrame({"year": [2010, 2012, 2014], "value_bn": [100.0, 121.0, 121.0], "seed": ["003", "003", "000"],
                         "term": ["a", "a", "b"]})
    ig = scale.seed_implied_growth(seed)
    assert len(ig) == 3
    assert ig.iloc[0]["cagr_pct"] == pytest.approx(10.0) and bool(ig.iloc[0]["same_term"])
    assert ig.iloc[1]["change_pct"] == pytest.approx(0.0) and not bool(ig.iloc[1]["same_term"])
    assert ig.iloc[2]["from"] == 2010 and ig.iloc[2]["to"] == 2014


def test_seed_series_is_consistent_with_its_source_rows():
    seed = scale.seed_digital_series()
    sv = datastore.load_seed_table("china_digital_trade_usd")
    assert len(seed) == len(sv) and seed["year"].is_monotonic_increasing
    # implied services = level / share: a level of 100 at 40 % implies 250
    assert (seed["implied_services_bn"] - 100 * seed["value_bn"] / seed["share_pct"]).abs().max() < 1e-9


def test_subsector_ict_is_the_sum_of_its_three_parts():
    sub = scale.subsector_cagr("CHN", 2011, 2020).set_index("code")
    b = datastore.load_table("wto_dds_2026")
    b = b[(b["iso3"] == "CHN") & (b["flow"] == "exports")]
    p = b.pivot(index="year", columns="sector_code", values="value_usd_mn")
    ict = p[["SI1", "SI2", "SI3"]].sum(axis=1)
    assert sub.loc["ICT", "exports"] == pytest.approx(100 * ((ict[2020] / ict[2011]) ** (1 / 9) - 1))
    with pytest.raises(LookupError):
        scale.subsector_cagr("JPN")


def test_yuan_figures_stay_in_yuan():
    yu = scale.yuan_figures()
    assert set(yu["unit"]) <= {"cny_trn", "percent"}
    for cid in ("S002-002", "S002-004", "S003-013"):
        r = claims.check(cid)
        assert r.status == claims.NOT_CHECKABLE_STATUS and "exchange rate" in r.method


# --------------------------------------------------------------------------- defaults from the real data


def test_default_peers_are_other_members_with_data_then_usa_and_india():
    peers = scale.default_peers("KOR", (2021, 2024))
    assert "KOR" not in peers and peers[-2:] == ["USA", "IND"]
    assert "MMR" not in peers  # Myanmar's services series ends in 2019
    assert set(peers[:-2]) <= set(datastore.country_groups()["rcep"])


def test_check_params_on_real_data_for_a_member_whose_series_ends_early():
    with pytest.raises(ValueError, match="MMR"):
        scale.check_params({"country": "MMR", "start_year": 2021, "end_year": 2024, "peers": []})


# --------------------------------------------------------------------------- claims


def test_every_claim_of_the_chapter_has_a_check_or_a_reason():
    ids = claims.claims_for("china_scale")
    assert set(ids) == set(scale.all_chapter_claims())
    for cid in ids:
        assert claims.checker(cid) == "helpers.book.chapters.china_scale" or cid in claims.NOT_CHECKABLE, cid
        r = claims.check(cid)
        assert r.status in claims.CLAIM_STATUSES
        if r.status == claims.NOT_CHECKABLE_STATUS:
            assert len(r.method) > 20


def test_from_to_claims_report_both_ends():
    r = claims.check("S000-084")
    assert "start:" in r.detail and "end:" in r.detail


def test_subsector_check_reports_the_other_flows():
    r = claims.check("S003-022")
    assert "imports give" in r.method and "exports + imports" in r.method


# --------------------------------------------------------------------------- the page, for several focus economies


def render_all(p: dict) -> FakePage:
    page = FakePage()
    ctx = scale.prepare(p)
    for fn in (scale.render_intro, scale.render_services, scale.render_foreign_trade, scale.render_services_claims,
               scale.render_digital, scale.render_digital_china, scale.render_peers):
        fn(page, ctx)
    return page


@pytest.mark.parametrize("overrides", [
    {},
    {"country": "KOR"},
    {"country": "VNM", "start_year": 2010, "peers": ["THA", "MYS", "PHL", "IDN", "IND"]},
    {"country": "MMR", "start_year": 2005, "end_year": 2020},
    {"country": "LAO", "start_year": 2015, "end_year": 2024, "peers": ["USA"]},
    {"country": "BRN", "start_year": 2022, "end_year": 2024},
])
def test_every_glue_key_of_the_notebook_is_glued(overrides):
    p = params.validate("china_scale", overrides)
    page = render_all(p)
    missing = notebook_glue_keys("china_scale") - set(page.glued)
    assert not missing, f"glue keys used in the prose but not glued for {overrides}: {missing}"
    assert not any(re.search(r"\bnan\b", str(v)) for v in page.glued.values()), page.glued
    shown_claims = [t for t in page.tables if t["name"].startswith("claims-")]
    if p["country"] == "CHN":
        assert len(shown_claims) == 4
    else:  # the seeds' China claims appear only for China
        assert not shown_claims
        assert "China" not in page.glued["focus_name"]
    for f in page.figures:
        if f["data"] is not None:
            assert len(f["data"]) < 1000
            assert not np.isinf(f["data"].select_dtypes("number").to_numpy()).any()
