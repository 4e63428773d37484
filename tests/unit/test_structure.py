"""Structure chapter helpers: composition, balances, RCA, digitally deliverable shares, claim checks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers.book import charts

from helpers.claims import core as claims
from helpers.data import datastore as ds
from helpers.book.chapters import structure as st

SHARES_X = {"BX.GSR.TRAN.ZS": 20.0, "BX.GSR.TRVL.ZS": 30.0, "BX.GSR.INSF.ZS": 5.0, "BX.GSR.CMCP.ZS": 25.0}
SHARES_M = {"BM.GSR.TRAN.ZS": 40.0, "BM.GSR.TRVL.ZS": 40.0, "BM.GSR.INSF.ZS": 10.0, "BM.GSR.CMCP.ZS": 10.0}


def _wide(rows):
    cols = ["iso3", "year", *SHARES_X, *SHARES_M, "BX.GSR.NFSV.CD", "BM.GSR.NFSV.CD"]
    return pd.DataFrame(rows, columns=cols)


def _row(iso3="AAA", year=2020, x_total=100.0, m_total=200.0, **over):
    vals = {**SHARES_X, **SHARES_M, **over}
    return [iso3, year, *[vals[k] for k in SHARES_X], *[vals[k] for k in SHARES_M], x_total, m_total]


# --------------------------------------------------------------------------- composition


def test_remainder_and_levels_from_shares():
    comp = st.composition_from_wide(_wide([_row()]))
    x = comp[comp["flow"] == "exports"].set_index("category")
    assert x.loc["other", "share_pct"] == pytest.approx(20.0)  # 100 - (20 + 30 + 5 + 25)
    assert x.loc["travel", "level_usd"] == pytest.approx(30.0)  # 30 % of 100
    assert x["level_usd"].sum() == pytest.approx(100.0)  # levels add up to the published total
    m = comp[comp["flow"] == "imports"].set_index("category")
    assert m.loc["other", "share_pct"] == pytest.approx(0.0)
    assert m.loc["transport", "level_usd"] == pytest.approx(80.0)
    assert list(x.index) == [c.key for c in st.ALL_CATEGORIES]


def test_incomplete_years_are_dropped_not_filled_and_negatives_kept():
    rows = [_row(year=2019, **{"BX.GSR.INSF.ZS": np.nan}), _row(year=2020, **{"BM.GSR.CMCP.ZS": -5.0})]
    comp = st.composition_from_wide(_wide(rows))
    assert set(comp.loc[comp["flow"] == "exports", "year"]) == {2020}
    assert set(comp.loc[comp["flow"] == "imports", "year"]) == {2019, 2020}
    neg = comp[(comp["flow"] == "imports") & (comp["year"] == 2020)].set_index("category")["share_pct"]
    assert neg["ict_other"] == -5.0 and neg["other"] == pytest.approx(15.0)  # 100 - (40 + 40 + 10 - 5)


def test_missing_total_gives_missing_level_only():
    comp = st.composition_from_wide(_wide([_row(x_total=np.nan)]))
    x = comp[comp["flow"] == "exports"]
    assert x["level_usd"].isna().all() and x["share_pct"].notna().all()


def test_composition_needs_the_share_columns():
    with pytest.raises(ValueError, match="composition needs columns"):
        st.composition_from_wide(pd.DataFrame({"iso3": ["AAA"], "year": [2020]}))


def test_no_breakdown_gives_empty_frame():
    wide = _wide([_row(**{k: np.nan for k in [*SHARES_X, *SHARES_M]})])
    assert st.composition_from_wide(wide).empty


def test_group_shares_add_traditional_and_modern():
    g = st.group_shares(st.composition_from_wide(_wide([_row()])))
    x = g[g["flow"] == "exports"].set_index("group")["share_pct"]
    assert x["traditional"] == pytest.approx(50.0) and x["modern"] == pytest.approx(30.0)
    assert x.sum() == pytest.approx(100.0)


def test_category_balances_add_up_to_the_total_balance():
    comp = st.composition_from_wide(_wide([_row(x_total=100.0, m_total=200.0)]))
    bal = st.balance_by_category(comp).set_index("category")["balance_usd"]
    assert bal.sum() == pytest.approx(100.0 - 200.0)
    assert bal["travel"] == pytest.approx(30.0 - 80.0)
    contrib = st.deficit_contributions(st.balance_by_category(comp), 2020)
    assert contrib["pct_of_total"].sum() == pytest.approx(100.0)
    assert contrib.set_index("category").loc["travel", "pct_of_total"] == pytest.approx(50.0)


def _imports_like_exports():  # imports with the same shares as exports: every balance is zero
    return {"BM" + k[2:]: v for k, v in SHARES_X.items()}


def test_deficit_contributions_errors():
    comp = st.composition_from_wide(_wide([_row(x_total=100.0, m_total=100.0, **_imports_like_exports())]))
    bal = st.balance_by_category(comp)
    with pytest.raises(ValueError, match="zero"):
        st.deficit_contributions(bal, 2020)
    with pytest.raises(ValueError, match="no category balances"):
        st.deficit_contributions(bal, 1999)


def test_codes_and_flows_are_validated():
    assert st.share_code("exports", st.CATEGORIES[0]) == "BX.GSR.TRAN.ZS"
    assert st.total_code("imports") == "BM.GSR.NFSV.CD"
    with pytest.raises(ValueError, match="flow"):
        st.share_code("re-exports", st.CATEGORIES[0])
    with pytest.raises(ValueError, match="computed"):
        st.share_code("exports", st.OTHER)
    with pytest.raises(ValueError, match="start_year"):
        st.load_composition("CHN", 2020, 2010)


# --------------------------------------------------------------------------- shares and RCA


def test_balassa_known_values_and_guards():
    assert st.balassa(10.0, 100.0, 50.0, 1000.0) == pytest.approx(2.0)  # 10 % vs 5 %
    assert math.isnan(st.balassa(10.0, 0.0, 50.0, 1000.0))
    assert math.isnan(st.balassa(10.0, 100.0, 0.0, 1000.0))
    s = st.balassa(pd.Series([5.0, 20.0]), pd.Series([100.0, -1.0]), pd.Series([50.0, 50.0]),
                   pd.Series([1000.0, 1000.0]))
    assert s.iloc[0] == pytest.approx(1.0) and math.isnan(s.iloc[1])


def test_rca_frame_uses_the_world_rows_of_each_year():
    num = pd.DataFrame({"iso3": ["AAA", "AAA", "WLD", "WLD"], "year": [1, 2, 1, 2], "x_k": [10.0, 30.0, 100.0, 100.0]})
    den = pd.DataFrame({"iso3": ["AAA", "AAA", "WLD", "WLD"], "year": [1, 2, 1, 2], "x": [100.0, 100.0, 1000.0, 500.0]})
    r = st.rca_frame(num, den).set_index("year")["rca"]
    assert r[1] == pytest.approx(1.0) and r[2] == pytest.approx(1.5)
    assert "WLD" not in set(st.rca_frame(num, den)["iso3"])


def test_dds_share_units_and_bad_denominators():
    dds = pd.DataFrame({"iso3": ["AAA", "BBB", "CCC"], "year": [2020] * 3, "value_usd_mn": [50.0, 10.0, 1.0]})
    svc = pd.DataFrame({"iso3": ["AAA", "BBB"], "year": [2020] * 2, "value": [200e6, 0.0]})
    out = st.dds_share(dds, svc)
    assert list(out["iso3"]) == ["AAA"]  # BBB: zero total; CCC: no total
    assert out["share_pct"].iloc[0] == pytest.approx(25.0)


def test_latest_common_year_prefers_full_coverage_and_names_the_missing():
    df = pd.DataFrame({"iso3": ["A", "B", "C", "A", "B", "A"], "year": [2010, 2010, 2010, 2011, 2011, 2012],
                       "share_pct": [1.0] * 6})
    assert st.latest_common_year(df, ["A", "B", "C"]) == (2010, [])
    year, missing = st.latest_common_year(df, ["A", "B", "C", "D"])
    assert year == 2010 and missing == ["D"]
    assert st.latest_common_year(df.iloc[0:0], ["A"]) == (None, ["A"])


def test_dumbbell_frame_has_common_and_latest_points():
    df = pd.DataFrame({"iso3": ["A", "A", "B"], "economy": ["A", "A", "B"], "year": [2014, 2020, 2016],
                       "share_pct": [10.0, 20.0, 5.0]})
    d = st.dumbbell_frame(df, 2014)
    assert set(map(tuple, d[["iso3", "point", "year"]].to_numpy())) == {
        ("A", st.COMMON, 2014), ("A", st.LATEST, 2020), ("B", st.LATEST, 2016)}


def test_trade_share_validates_source_and_country():
    with pytest.raises(ValueError, match="source"):
        st.trade_share("CHN", 2020, "imf")
    with pytest.raises(ValueError, match="China only"):
        st.trade_share("KOR", 2020, "wto")
    assert math.isnan(st.trade_share("CHN", 1990, "unctad"))  # no data that year: NaN, not an error


def test_text_helpers():
    assert st._years_text([2001, 2002, 2003, 2007]) == "2001–2003 and 2007"
    assert st._years_text([]) == "no year"
    assert st.md_escape("a*b_[c]<d>") == r"a\*b\_\[c\]\<d\>"


# --------------------------------------------------------------------------- real data invariants


def test_china_levels_add_up_to_published_totals():
    comp = st.load_composition("CHN", 2010, 2024)
    wide = st.wdi_wide(["BX.GSR.NFSV.CD", "BM.GSR.NFSV.CD"], ["CHN"], (2010, 2024)).set_index("year")
    for flow, code in (("exports", "BX.GSR.NFSV.CD"), ("imports", "BM.GSR.NFSV.CD")):
        sums = comp[comp["flow"] == flow].groupby("year")["level_usd"].sum()
        np.testing.assert_allclose(sums.to_numpy(), wide.loc[sums.index, code].to_numpy(), rtol=1e-9)


def test_viet_nam_has_no_breakdown_but_the_page_still_has_every_sentence():
    comp = st.load_composition("VNM", 2005, 2024)
    assert comp.empty
    f_vnm = st.composition_findings(comp, "VNM", 2005, 2024)
    f_chn = st.composition_findings(st.load_composition("CHN", 2005, 2024), "CHN", 2005, 2024)
    assert set(f_vnm) == set(f_chn)
    assert "Viet Nam" in f_vnm["gaps"] and "only total" in f_vnm["gaps"]


def test_rca_panel_covers_members_and_both_measures():
    members = list(ds.country_groups()["rcep"])
    rca = st.rca_panel(members, 2010, 2023)
    assert set(rca["measure"]) == {st.RCA_ICT, st.RCA_DDS}
    assert set(rca["iso3"]) <= set(members)
    assert (rca["rca"] > 0).all()
    assert "VNM" not in set(rca.loc[rca["measure"] == st.RCA_ICT, "iso3"])  # WDI has no ICT exports for VNM


def test_charts_stay_small():
    comp = st.load_composition("CHN", 2005, 2024)
    for chart in (st.composition_chart(comp), st.balance_chart(st.balance_by_category(comp)),
                  st.china_sector_balance_chart(st.china_dds_by_sector())):
        spec = chart.to_dict()
        n = sum(len(v) for v in spec.get("datasets", {}).values())
        assert 0 < n < 1000


# --------------------------------------------------------------------------- claims


def test_every_claim_of_the_chapter_is_shown_once_and_has_a_check_or_a_reason():
    ids = claims.claims_for("structure")
    grouped = [c for g in st.CLAIM_GROUPS.values() for c in g]
    assert sorted(grouped) == sorted(ids) and len(grouped) == len(set(grouped))
    for cid in ids:
        r = claims.check(cid)
        assert r.status in ("consistent", "inconsistent", "not checkable")
        assert claims.checker(cid) == "helpers.book.chapters.structure" or cid in claims.NOT_CHECKABLE
        if r.status == "not checkable":
            assert r.method and "no check registered" not in r.method
        else:
            assert r.computed is not None and r.source != "—"


def test_from_to_claims_check_both_ends():
    r = claims.check("S003-018")
    assert r.detail.startswith("start:") and "end:" in r.detail
    years, vals = st.span_values("S003-018")
    assert years == (2011, 2020) and r.computed == pytest.approx(vals[1])


def test_deficit_share_is_computed_from_the_category_balances():
    row = claims.claim("S000-069")
    bal = st.balance_by_category(st.load_composition("CHN", 2023, 2023))
    trav = bal.loc[bal["category"].isin(["transport", "travel"]), "balance_usd"].sum()
    expected = 100 * trav / bal["balance_usd"].sum()
    assert st.check_deficit_traditional(row).computed == pytest.approx(expected)


def test_knowledge_intensive_claims_are_not_checkable_but_show_proxies():
    for cid in st.CLAIM_GROUPS["knowledge"]:
        r = claims.check(cid)
        assert r.status == "not checkable"
    assert "proxies" in claims.check("S000-070").method and "%" in claims.check("S000-070").method


def test_lines_break_at_missing_years():
    df = pd.DataFrame({"economy": ["A", "A", "A", "B", "B"],
                       "year": pd.array([2000, 2001, 2003, 2000, 2001], dtype="Int64"),  # as the loaders give it
                       "v": [1.0, 2.0, 3.0, 4.0, 5.0]})
    r = charts.with_runs(df, ["economy"])
    a = r[r["economy"] == "A"]["run"].tolist()
    assert a[0] == a[1] != a[2]  # 2002 is missing: a new segment starts in 2003
    assert r[r["economy"] == "B"]["run"].nunique() == 1
    spec = st.small_multiples(df.rename(columns={"v": "share_pct"}).assign(iso3=df["economy"]), "share_pct",
                              y_title="%").to_dict()
    assert "run" in str(spec["spec"]["layer"][0]["encoding"]["detail"])
