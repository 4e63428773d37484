"""The structure chapter: analysis (helpers.analysis.structure), claim checks (helpers.claims.checks.structure)
and the page, rendered for several focus economies and windows."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers import text
from helpers.analysis import structure as an
from helpers.book import charts
from helpers.book.chapters import structure_charts as figs
from helpers.claims import core as claims
from helpers.claims.checks import structure as checks
from helpers.data import datastore as ds
from tests.fakes import frame_has_no_inf, glue_keys_in_prose, no_nan, run_chapter

SHARES_X = {"BX.GSR.TRAN.ZS": 20.0, "BX.GSR.TRVL.ZS": 30.0, "BX.GSR.INSF.ZS": 5.0, "BX.GSR.CMCP.ZS": 25.0}
SHARES_M = {"BM.GSR.TRAN.ZS": 40.0, "BM.GSR.TRVL.ZS": 40.0, "BM.GSR.INSF.ZS": 10.0, "BM.GSR.CMCP.ZS": 10.0}


def _wide(rows):
    cols = ["iso3", "year", *SHARES_X, *SHARES_M, "BX.GSR.NFSV.CD", "BM.GSR.NFSV.CD"]
    return pd.DataFrame(rows, columns=cols)


def _row(iso3="AAA", year=2020, x_total=100.0, m_total=200.0, **over):
    vals = {**SHARES_X, **SHARES_M, **over}
    return [iso3, year, *[vals[k] for k in SHARES_X], *[vals[k] for k in SHARES_M], x_total, m_total]


def _long(wide: pd.DataFrame) -> pd.DataFrame:
    return wide.melt(id_vars=["iso3", "year"], var_name="indicator", value_name="value").dropna()


# --------------------------------------------------------------------------- composition


def test_remainder_and_levels_from_shares():
    comp = an.composition_from_wide(_wide([_row()]))
    x = comp[comp["flow"] == "exports"].set_index("category")
    assert x.loc["other", "share_pct"] == pytest.approx(20.0)  # 100 - (20 + 30 + 5 + 25)
    assert x.loc["travel", "level_usd"] == pytest.approx(30.0)  # 30 % of 100
    assert x["level_usd"].sum() == pytest.approx(100.0)  # levels add up to the published total
    m = comp[comp["flow"] == "imports"].set_index("category")
    assert m.loc["other", "share_pct"] == pytest.approx(0.0) and m.loc["transport", "level_usd"] == pytest.approx(80.0)
    assert list(x.index) == [c.key for c in an.ALL_CATEGORIES]


def test_incomplete_years_are_dropped_not_filled_and_negatives_kept():
    rows = [_row(year=2019, **{"BX.GSR.INSF.ZS": np.nan}), _row(year=2020, **{"BM.GSR.CMCP.ZS": -5.0})]
    comp = an.composition_from_wide(_wide(rows))
    assert set(comp.loc[comp["flow"] == "exports", "year"]) == {2020}
    assert set(comp.loc[comp["flow"] == "imports", "year"]) == {2019, 2020}
    neg = comp[(comp["flow"] == "imports") & (comp["year"] == 2020)].set_index("category")["share_pct"]
    assert neg["ict_other"] == -5.0 and neg["other"] == pytest.approx(15.0)  # 100 - (40 + 40 + 10 - 5)
    cov = an.composition_coverage(comp, [2018, 2019, 2020], (2018, 2020))
    assert cov["missing"] == {"exports": [2018, 2019], "imports": [2018]}
    assert cov["negative_years"] == [2020] and cov["negative_labels"] == ["Computer, communications & other"]


def test_composition_from_the_long_table_and_its_guards():
    wdi = _long(_wide([_row(year=2019), _row(year=2020, x_total=np.nan)]))
    comp = an.composition(wdi, "AAA", (2019, 2020))
    x = comp[comp["flow"] == "exports"]
    assert x.loc[x["year"] == 2020, "level_usd"].isna().all() and x["share_pct"].notna().all()
    assert an.composition(wdi, "BBB").empty
    with pytest.raises(ValueError, match="start_year"):
        an.composition(wdi, "AAA", (2020, 2019))
    with pytest.raises(ValueError, match="composition needs columns"):
        an.composition_from_wide(pd.DataFrame({"iso3": ["AAA"], "year": [2020]}))


def test_group_shares_and_balances():
    comp = an.composition_from_wide(_wide([_row(x_total=100.0, m_total=200.0)]))
    g = an.group_shares(comp)
    x = g[g["flow"] == "exports"].set_index("group")["share_pct"]
    assert x["traditional"] == pytest.approx(50.0) and x["modern"] == pytest.approx(30.0)
    bal = an.balance_by_category(comp).set_index("category")["balance_usd"]
    assert bal.sum() == pytest.approx(100.0 - 200.0) and bal["travel"] == pytest.approx(30.0 - 80.0)
    contrib = an.deficit_contributions(an.balance_by_category(comp), 2020)
    assert contrib["pct_of_total"].sum() == pytest.approx(100.0)
    assert contrib.set_index("category").loc["travel", "pct_of_total"] == pytest.approx(50.0)


def test_deficit_contributions_errors():
    same = {"BM" + k[2:]: v for k, v in SHARES_X.items()}  # imports like exports: every balance is zero
    bal = an.balance_by_category(an.composition_from_wide(_wide([_row(x_total=100.0, m_total=100.0, **same)])))
    with pytest.raises(ValueError, match="zero"):
        an.deficit_contributions(bal, 2020)
    with pytest.raises(ValueError, match="no category balances"):
        an.deficit_contributions(bal, 1999)


def test_codes_and_flows_are_validated():
    assert an.share_code("exports", an.CATEGORIES[0]) == "BX.GSR.TRAN.ZS"
    assert an.total_code("imports") == "BM.GSR.NFSV.CD"
    with pytest.raises(ValueError, match="flow"):
        an.share_code("re-exports", an.CATEGORIES[0])
    with pytest.raises(ValueError, match="computed"):
        an.share_code("exports", an.OTHER)


# --------------------------------------------------------------------------- shares and RCA


def test_balassa_known_values_and_guards():
    assert an.balassa(10.0, 100.0, 50.0, 1000.0) == pytest.approx(2.0)  # 10 % vs 5 %
    assert math.isnan(an.balassa(10.0, 0.0, 50.0, 1000.0)) and math.isnan(an.balassa(10.0, 100.0, 0.0, 1000.0))
    s = an.balassa(
        pd.Series([5.0, 20.0]), pd.Series([100.0, -1.0]), pd.Series([50.0, 50.0]), pd.Series([1000.0, 1000.0])
    )
    assert s.iloc[0] == pytest.approx(1.0) and math.isnan(s.iloc[1])


def test_rca_frame_uses_the_world_rows_of_each_year():
    num = pd.DataFrame({"iso3": ["AAA", "AAA", "WLD", "WLD"], "year": [1, 2, 1, 2], "x_k": [10.0, 30.0, 100.0, 100.0]})
    den = pd.DataFrame({"iso3": ["AAA", "AAA", "WLD", "WLD"], "year": [1, 2, 1, 2], "x": [100.0, 100.0, 1000.0, 500.0]})
    r = an.rca_frame(num, den).set_index("year")["rca"]
    assert r[1] == pytest.approx(1.0) and r[2] == pytest.approx(1.5)
    assert "WLD" not in set(an.rca_frame(num, den)["iso3"])


def test_dds_share_units_and_bad_denominators():
    dds = pd.DataFrame({"iso3": ["AAA", "BBB", "CCC"], "year": [2020] * 3, "value_usd_mn": [50.0, 10.0, 1.0]})
    svc = pd.DataFrame({"iso3": ["AAA", "BBB"], "year": [2020] * 2, "value": [200e6, 0.0]})
    out = an.dds_share(dds, svc)
    assert list(out["iso3"]) == ["AAA"] and out["share_pct"].iloc[0] == pytest.approx(25.0)


def test_latest_common_year_prefers_full_coverage_and_names_the_missing():
    df = pd.DataFrame(
        {"iso3": ["A", "B", "C", "A", "B", "A"], "year": [2010, 2010, 2010, 2011, 2011, 2012], "share_pct": [1.0] * 6}
    )
    assert an.latest_common_year(df, ["A", "B", "C"]) == (2010, [])
    assert an.latest_common_year(df, ["A", "B", "C", "D"]) == (2010, ["D"])
    assert an.latest_common_year(df.iloc[0:0], ["A"]) == (None, ["A"])


def test_dumbbell_frame_and_first_last_change():
    df = pd.DataFrame(
        {
            "iso3": ["A", "A", "B"],
            "economy": ["A", "A", "B"],
            "year": [2014, 2020, 2016],
            "share_pct": [10.0, 20.0, 5.0],
        }
    )
    d = an.dumbbell_frame(df, 2014)
    assert set(map(tuple, d[["iso3", "point", "year"]].to_numpy())) == {
        ("A", an.COMMON, 2014),
        ("A", an.LATEST, 2020),
        ("B", an.LATEST, 2016),
    }
    assert an.first_last_change(df, "share_pct") == (1, 1)  # B has one year only


def test_trade_share_validates_source_and_gives_nan_without_data():
    t = checks.tables()
    with pytest.raises(ValueError, match="source"):
        an.trade_share("CHN", 2020, "imf", **t)
    assert math.isnan(an.trade_share("KOR", 2020, "wto", **t))  # the bulk file has no Korean imports
    assert math.isnan(an.trade_share("CHN", 1990, "unctad", **t))


def test_stated_points_and_bracketing():
    reg = pd.DataFrame(
        {
            "claim_id": ["A", "B", "C", "D"],
            "year": ["2012-2020", "2023", None, "2025-01/2025-11"],
            "subject": ["share of exports", "share of trade", "x", "x"],
            "value": [30.0, 40.0, 1.0, 1.0],
            "value_end": [50.0, None, None, None],
        }
    )
    pts = an.stated_points(reg, ["A", "B", "C", "D"])
    assert list(map(tuple, pts[["year", "claim_id", "basis"]].to_numpy())) == [
        (2012, "A", "exports"),
        (2020, "A", "exports"),
        (2023, "B", "exports + imports"),
    ]
    prox = pd.DataFrame(
        {
            "year": [2012, 2012, 2020],
            "basis": ["exports"] * 3,
            "proxy": ["p", "q", "p"],
            "share_pct": [20.0, 35.0, 60.0],
        }
    )
    assert an.bracketed(prox, pts) == (1, 1)  # only 2012 has both proxies; 30 lies in [20, 35]
    assert an.row_years("2025-01/2025-11") == [2025] and an.row_years(float("nan")) == []


# --------------------------------------------------------------------------- real data invariants


def test_china_levels_add_up_to_published_totals():
    wdi = ds.load_table("wdi")
    comp = an.composition(wdi, "CHN", (2010, 2024))
    wide = an.wdi_wide(wdi, ["BX.GSR.NFSV.CD", "BM.GSR.NFSV.CD"], ["CHN"], (2010, 2024)).set_index("year")
    for flow, code in (("exports", "BX.GSR.NFSV.CD"), ("imports", "BM.GSR.NFSV.CD")):
        sums = comp[comp["flow"] == flow].groupby("year")["level_usd"].sum()
        np.testing.assert_allclose(sums.to_numpy(), wide.loc[sums.index, code].to_numpy(), rtol=1e-9)


def test_rca_panel_covers_members_and_both_measures():
    members = list(ds.country_groups()["rcep"])
    rca = an.rca_panel(ds.load_table("wdi"), ds.load_table("unctad_dds"), members, (2010, 2023))
    assert set(rca["measure"]) == {an.RCA_ICT, an.RCA_DDS} and set(rca["iso3"]) <= set(members)
    assert (rca["rca"] > 0).all()
    assert "VNM" not in set(rca.loc[rca["measure"] == an.RCA_ICT, "iso3"])  # WDI has no ICT exports for VNM


def test_charts_stay_small_and_use_no_fixed_width():
    wdi = ds.load_table("wdi")
    comp = an.composition(wdi, "CHN", (2005, 2024))
    for chart in (
        figs.composition(comp),
        figs.balance(an.balance_by_category(comp)),
        figs.sectors(an.dds_by_sector(ds.load_table("wto_dds_2026"), "CHN")),
    ):
        spec = chart.to_dict()
        assert 0 < sum(len(v) for v in spec.get("datasets", {}).values()) < 1000
        assert '"width"' not in str(spec).replace("'", '"')


def test_lines_break_at_missing_years():
    df = pd.DataFrame(
        {
            "economy": ["A", "A", "A", "B", "B"],
            "iso3": ["A", "A", "A", "B", "B"],
            "year": pd.array([2000, 2001, 2003, 2000, 2001], dtype="Int64"),
            "v": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    r = charts.with_runs(df, ["economy"])
    a = r[r["economy"] == "A"]["run"].tolist()
    assert a[0] == a[1] != a[2]  # 2002 is missing: a new segment starts in 2003
    assert "run" in str(figs.focus_lines(df, "v", y_title="%", focus="A").to_dict())


# --------------------------------------------------------------------------- claims


def test_every_claim_is_shown_once_and_checked_in_the_checks_module():
    ids = claims.claims_for("structure")
    grouped = [c for g in checks.CLAIM_GROUPS.values() for c in g]
    assert sorted(grouped) == sorted(ids) and len(grouped) == len(set(grouped))
    for cid in ids:
        r = claims.check(cid)
        assert (
            claims.checker(cid) == "helpers.claims.checks.structure"
            or claims.NOT_CHECKABLE_MODULE.get(cid) == "helpers.claims.checks.structure"
        ), cid
        if r.status == claims.NOT_CHECKABLE_STATUS:
            assert r.method and "no check registered" not in r.method
        else:
            assert r.computed is not None and r.source != "—"


def test_from_to_claims_check_both_ends():
    r = claims.check("S003-018")
    assert r.detail.startswith("start:") and "end:" in r.detail
    years, vals = checks.span_values("S003-018")
    assert years == (2011, 2020) and r.computed == pytest.approx(vals[1])


def test_deficit_share_is_computed_from_the_category_balances():
    bal = an.balance_by_category(an.composition(ds.load_table("wdi"), "CHN", (2023, 2023)))
    trav = bal.loc[bal["category"].isin(["transport", "travel"]), "balance_usd"].sum()
    assert claims.check("S000-069").computed == pytest.approx(100 * trav / bal["balance_usd"].sum())


def test_knowledge_intensive_claims_are_not_checkable_but_show_proxies():
    for cid in checks.CLAIM_GROUPS["knowledge"]:
        assert claims.check(cid).status == claims.NOT_CHECKABLE_STATUS
    assert "proxies" in claims.check("S000-070").method and "%" in claims.check("S000-070").method


# --------------------------------------------------------------------------- the page, for several focus economies


RUNS = [
    {},
    {"country": "SGP", "start_year": 2023, "end_year": 2024},
    {"country": "BRN"},
    {"country": "KHM"},
    {"country": "VNM"},
    {"country": "LAO", "start_year": 2020},
    {"country": "MMR", "start_year": 2015},
    {"country": "JPN", "start_year": 2000, "end_year": 2004},
]


@pytest.mark.parametrize("overrides", RUNS, ids=[str(o) for o in RUNS])
def test_the_page_reads_true_for_every_parameter_set(overrides, monkeypatch):
    page, ns = run_chapter("structure", monkeypatch, **overrides)
    r, comp, bal = ns["r"], ns["comp"], ns["bal"]
    name = ds.display_name(r.country)
    assert not (glue_keys_in_prose("structure") - set(page.glued)), "glue keys of the prose not glued"
    assert not no_nan(page.glued.values()), no_nan(page.glued.values())
    assert page.glued["title"] == f"Structure of {name}'s services trade"
    assert set(page.tables) >= {"claims-traditional", "claims-digital", "claims-knowledge"}
    for key in ("comp_md", "trad_md", "balance_md", "dds_md", "rca_ict_md", "rca_dds_md"):
        assert name in page.glued[key], key  # the focus sentences name the focus economy ...
        if r.country != "CHN":
            assert "China's" not in page.glued[key], key  # ... and never speak of China as if it were the focus
    if comp.empty:
        assert "no breakdown" in page.glued["comp_md"] and page.glued["fig-composition-shares"].startswith("no chart")
    else:
        x = comp[(comp["flow"] == "exports") & (comp["category"] != an.OTHER.key)]
        if not x.empty:
            y = int(x["year"].max())
            top = x[x["year"] == y].sort_values("share_pct").iloc[-1]
            assert (
                f"in {y} the largest published category of {name}'s service exports was {top['label'].lower()}"
                in page.glued["comp_md"].replace("In ", "in ", 1)
            )
    if bal.empty:
        assert page.glued["fig-balance-by-category"].startswith("no chart")
    else:
        ly = int(bal["year"].max())
        total = bal.loc[bal["year"] == ly, "balance_usd"].sum()
        kind = "surplus" if total > 0 else "deficit"
        assert (
            f"In {ly} {name}'s services balance was a {kind} of {text.usd_bn(abs(total) / 1e9)}"
            in page.glued["balance_md"]
        )
        assert ("surplus" if total < 0 else "deficit") not in page.glued["balance_md"].split(".")[0]
    for f in page.figures.values():
        assert frame_has_no_inf(f["data"])
    assert 3 <= len(page.findings) <= 5


def test_one_member_with_data_has_its_own_wording(monkeypatch):
    # 2023-2024: UNCTAD ends in 2023, and a member-year panel of one year still ranks the members of that year
    page, ns = run_chapter("structure", monkeypatch, country="THA", start_year=2023, end_year=2024)
    share = ns["share"]
    year, _ = an.latest_common_year(share, ns["r"].members)
    s = share[share["year"] == year]
    assert "Thailand has no value that year" in page.glued["dds_md"]  # THA exports end in 2018 in UNCTAD
    assert text.highest_lowest(list(zip(s["economy"], s["share_pct"])), text.pct) in page.glued["dds_md"]


def test_the_unctad_proxy_is_the_same_ratio_as_trade_share():
    t = checks.tables()
    p = an.knowledge_proxies("KOR", **t)
    d = p[p["proxy"] == an.PROXY_DDS]
    assert len(d) > 10
    for row in d.itertuples():
        assert row.share_pct == pytest.approx(an.trade_share("KOR", row.year, "unctad", flows=an.BASES[row.basis], **t))
