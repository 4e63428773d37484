"""helpers.book.chapters.global_trends: Table 1 recomputation, indices and growth, cross-checks, rankings, claim checks, page sections."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from helpers.claims import core as claims
from helpers.book import params
from helpers.data import paths
from helpers.book.chapters import global_trends as trends


# --------------------------------------------------------------------------- a page that records what it is given


class FakePage:
    def __init__(self):
        self.glued: dict[str, str] = {}
        self.figures: list[dict] = []
        self.tables: list[dict] = []
        self.notes: list[str] = []

    def glue(self, name, value):
        assert isinstance(value, str), (name, value)
        assert name not in self.glued, f"glue key {name} used twice"
        self.glued[name] = value
        return value

    def glue_md(self, name, markdown):
        assert name not in self.glued, f"glue key {name} used twice"
        self.glued[name] = markdown

    def figure(self, chart, *, name, title, subtitle, source, alt, data=None, note=None):
        assert alt and title and source
        spec = chart.to_dict()
        self.figures.append({"name": name, "title": title, "spec": spec, "data": data})

    def table(self, df, *, name, caption, source, collapsed=False, **kw):
        self.tables.append({"name": name, "df": df, "collapsed": collapsed})

    def note(self, text, kind="note", title=None):
        self.notes.append(text)


def notebook_glue_keys(chapter: str) -> set[str]:
    nb = json.loads((paths.chapters_dir() / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    keys = set()
    for c in nb["cells"]:
        if c["cell_type"] != "markdown":
            continue
        src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        keys |= set(re.findall(r"\{glue:text\}`([^`:]+)`", src))
        keys |= set(re.findall(r"```\{glue:md\}\s+(\S+)", src))
    return keys


def render_all(p: dict) -> FakePage:
    page = FakePage()
    ctx = trends.prepare(p)
    for fn in (trends.render_intro, trends.render_table1, trends.render_growth_claims, trends.render_index,
               trends.render_share, trends.render_cagr, trends.render_crosscheck, trends.render_level_claims,
               trends.render_leaders, trends.render_unctad, trends.render_quoted):
        fn(page, ctx)
    return page


# --------------------------------------------------------------------------- Table 1 recomputation (synthetic)


def synthetic_t1(levels: dict[str, list[float]], stated: dict[str, list[float]], years: list[int]) -> pd.DataFrame:
    rows = []
    for s in levels:
        for i, y in enumerate(years):
            rows.append({"series": s, "year": y, "level_100m": levels[s][i], "growth_stated": stated[s][i],
                         "level_claim": None, "growth_claim": None})
    return pd.DataFrame(rows)


def test_recompute_growth_flags_only_real_mismatches():
    t1 = synthetic_t1({"goods": [100.0, 110.0, 99.0], "dds": [50.0, 55.0, 60.5]},
                      {"goods": [1.0, 10.0, 5.0], "dds": [2.0, 10.04, 10.0]}, [2019, 2020, 2021])
    rec = trends.recompute_growth(t1).set_index(["series", "year"])
    assert pd.isna(rec.loc[("goods", 2019), "growth_recomputed"])  # no earlier level
    assert pd.isna(rec.loc[("goods", 2019), "agrees"])
    assert rec.loc[("goods", 2020), "growth_recomputed"] == pytest.approx(10.0)
    assert bool(rec.loc[("goods", 2020), "agrees"])
    assert rec.loc[("goods", 2021), "growth_recomputed"] == pytest.approx(-10.0)
    assert not bool(rec.loc[("goods", 2021), "agrees"])  # stated +5 vs −10
    assert bool(rec.loc[("dds", 2020), "agrees"])  # 10.04 vs 10.0: within 0.05
    bad = trends.inconsistent_cells(rec.reset_index())
    assert list(zip(bad["series"], bad["year"])) == [("goods", 2021)]


def test_recompute_growth_does_not_bridge_a_missing_year():
    t1 = synthetic_t1({"goods": [100.0, 121.0]}, {"goods": [0.0, 10.0]}, [2019, 2021])
    rec = trends.recompute_growth(t1)
    assert rec["growth_recomputed"].isna().all()


def test_tolerance_edge_is_half_a_unit_of_the_last_digit():
    t1 = synthetic_t1({"goods": [100.0, 104.55]}, {"goods": [0.0, 4.5]}, [2019, 2020])
    assert bool(trends.recompute_growth(t1)["agrees"].iloc[1])  # 4.55 − 4.5 = 0.05: on the edge, agrees
    t1 = synthetic_t1({"goods": [100.0, 104.56]}, {"goods": [0.0, 4.5]}, [2019, 2020])
    assert not bool(trends.recompute_growth(t1)["agrees"].iloc[1])


def test_describe_inconsistencies_names_cells_and_respects_the_window():
    t1 = synthetic_t1({"goods": [100.0, 110.0, 99.0]}, {"goods": [1.0, 10.0, 5.0]}, [2019, 2020, 2021])
    rec = trends.recompute_growth(t1)
    text = trends.describe_inconsistencies(rec)
    assert "goods 2021" in text and "one cell" in text
    assert text.startswith("one cell")
    assert trends.describe_inconsistencies(rec, (2019, 2020)).startswith("none")


def test_real_table1_flags_match_the_claims_verdicts():
    """The page's flags and the audit's verdicts come from the same rule: they must agree cell by cell."""
    t1 = trends.table1()
    rec = trends.recompute_growth(t1)
    for r in rec.dropna(subset=["growth_recomputed"]).itertuples():
        status = claims.check(r.growth_claim).status
        assert (status == claims.CONSISTENT) == bool(r.agrees), (r.series, r.year, status)


def test_table1_claim_ids_are_the_registered_range():
    t1 = trends.table1()
    ids = set(t1["level_claim"]) | set(t1["growth_claim"].dropna())
    assert ids == set(trends.TABLE1_IDS)
    assert len(trends.growth_claim_ids(t1)) == len(trends.level_claim_ids(t1)) == len(t1)


# --------------------------------------------------------------------------- indices, CAGRs, robustness


def test_index_series_is_100_in_the_base_year_and_rejects_bad_bases():
    lv = pd.DataFrame({"a": [50.0, 100.0, 150.0], "b": [2.0, 4.0, 1.0]}, index=[2019, 2020, 2021])
    idx = trends.index_series(lv, 2020)
    assert idx.loc[2020].tolist() == [100.0, 100.0]
    assert idx.loc[2021, "a"] == pytest.approx(150.0) and idx.loc[2019, "b"] == pytest.approx(50.0)
    with pytest.raises(LookupError):
        trends.index_series(lv, 2018)
    with pytest.raises(ValueError):
        trends.index_series(pd.DataFrame({"a": [0.0, 1.0]}, index=[2019, 2020]), 2019)


def test_cagr_table_and_outpaces():
    lv = pd.DataFrame({"goods": [100.0, 121.0], "services": [100.0, 110.25], "dds": [100.0, 144.0]}, index=[2019, 2021])
    c = trends.cagr_table(lv, 2019, 2021)
    assert c["goods"] == pytest.approx(10.0) and c["services"] == pytest.approx(5.0) and c["dds"] == pytest.approx(20.0)
    assert trends.outpaces(c)
    c["goods"] = 25.0
    assert not trends.outpaces(c)
    with pytest.raises(ValueError):
        trends.cagr_table(lv, 2021, 2021)


def test_window_robustness_counts_every_pair():
    years = [2019, 2020, 2021, 2022]
    lv = pd.DataFrame({"goods": [100, 101, 102, 103], "services": [100, 102, 104, 106],
                       "dds": [100, 110, 121, 133.1]}, index=years, dtype=float)
    wr = trends.window_robustness(lv)
    assert len(wr) == 6 and wr["dds_leads"].all()
    lv.loc[2022, "goods"] = 200.0  # goods jump in the last year: every window ending 2022 fails
    wr = trends.window_robustness(lv)
    assert set(wr.loc[~wr["dds_leads"], "end"]) == {2022}


def test_robustness_reading_names_the_trough_when_it_decides():
    years = [2019, 2020, 2021, 2022]
    lv = pd.DataFrame({"goods": [100, 80, 120, 125], "services": [100, 85, 115, 120],
                       "dds": [100, 110, 125, 140]}, index=years, dtype=float)
    t1 = pd.DataFrame([{"series": s, "year": y, "level_100m": lv.loc[y, s], "growth_stated": 0.0, "level_claim": None,
                        "growth_claim": None} for s in lv.columns for y in years])
    rec = trends.recompute_growth(t1)
    text = trends.robustness_reading(trends.window_robustness(lv), rec)
    assert "2020" in text and "depends on where the comparison starts" in text


# --------------------------------------------------------------------------- cross-checks and rankings


def test_describe_gaps_keeps_outliers_apart():
    g = pd.DataFrame({"year": [2019, 2020, 2021, 2022], "gap_pct": [2.0, 2.5, 3.0, 21.0]})
    text = trends.describe_gaps(g)
    assert "+2.0 % to +3.0 % in 2019–2021" in text and "+21.0 % in 2022" in text
    assert trends.describe_gaps(g.iloc[0:0]).startswith("nothing")


def test_year_ranges():
    assert trends.year_ranges([2010, 2003, 2004, 2005]) == "2003–2005, 2010"
    assert trends.year_ranges([]) == ""
    assert trends.year_ranges([2020]) == "2020"


def test_rank_with_missing_counts_only_economies_that_were_larger():
    eco = pd.DataFrame({"iso3": ["CHN", "AAA", "BBB", "CHN", "AAA", "BBB", "CCC"],
                        "year": [2020, 2020, 2020, 2021, 2021, 2021, 2020],
                        "value": [10.0, 20.0, 5.0, 12.0, 25.0, 6.0, 30.0]})
    r = trends.rank_with_missing(eco, "value", "CHN").set_index("year")
    assert r.loc[2020, "rank"] == 3 and r.loc[2020, "rank_low"] == 3  # CCC present in 2020, nothing missing
    assert r.loc[2021, "rank"] == 2  # CCC missing in 2021 ...
    assert r.loc[2021, "rank_low"] == 3 and r.loc[2021, "possibly_above"] == "CCC"  # ... but was larger in 2020
    with pytest.raises(LookupError):
        trends.rank_with_missing(eco, "value", "ZZZ")


def test_concentration_herfindahl():
    sh = pd.DataFrame({"iso3": ["A", "B", "C"], "year": [2020] * 3, "share_pct": [50.0, 30.0, 20.0]})
    c = trends.concentration(sh, 2).iloc[0]
    assert c["hhi"] == pytest.approx(2500 + 900 + 400) and c["top1_pct"] == 50 and c["topn_pct"] == 80
    assert c["leader"] == "A"


def test_concentration_reading_follows_the_sign():
    up = pd.DataFrame({"year": [1, 2, 3], "top1_pct": [10, 11, 12], "topn_pct": [50, 51, 52], "hhi": [500, 520, 540]})
    assert "did not fall" in trends.concentration_reading(up)
    down = up.assign(hhi=[600, 590, 500], top1_pct=[20, 18, 14], topn_pct=[50, 50, 50])
    text = trends.concentration_reading(down)
    assert "faster in the second half" in text and "leader's falling share" in text


def test_rcep_aggregate_constant_membership_drops_members_with_gaps():
    df = pd.DataFrame({"iso3": ["CHN", "JPN", "BRN", "CHN", "JPN", "USA"], "year": [2020, 2020, 2020, 2021, 2021, 2021],
                       "v": [1.0, 2.0, 4.0, 1.5, 2.5, 100.0]})
    res = trends.rcep_aggregate(df, "v", (2020, 2021))
    agg = res.set_index(["year", "basis"])
    assert agg.loc[(2020, "members with data"), "value"] == 7.0  # BRN counted where present
    assert agg.loc[(2020, "constant membership"), "value"] == 3.0  # BRN dropped (missing 2021)
    assert agg.loc[(2021, "members with data"), "value"] == 4.0  # USA is not RCEP
    assert res.attrs["complete_members"] == ["CHN", "JPN"]
    miss = trends.rcep_members_missing(df, "v", (2020, 2021)).set_index("member")
    assert miss.loc["BRN", "years missing"] == "2021"
    assert "CHN" not in miss.index and miss.loc["VNM", "years missing"] == "2020–2021"


def test_interval_result_uses_the_rounding_of_both_figures():
    row = pd.Series({"claim_id": "S000-036", "value": 42504.0, "stated_decimals": 0, "qualifier": "exact"})
    ok = trends._interval_result(row, [(42500.0, 50.0, "headline 4.25 tn")], method="m", source="s")
    assert ok.status == claims.CONSISTENT and ok.computed == 42500.0
    bad = trends._interval_result(row, [(42500.0, 0.0, "exact reference")], method="m", source="s")
    assert bad.status == claims.INCONSISTENT
    either = trends._interval_result(row, [(43000.0, 0.0, "a"), (42504.2, 0.0, "b")], method="m", source="s")
    assert either.status == claims.CONSISTENT and either.computed == 42504.2


def test_short_report_names():
    assert trends.short_report("WTO Global Trade Outlook and Statistics (April 2024)") == "GTOS, April 2024"
    assert trends.short_report("WTO Annual Report 2025") == "Annual Report 2025"


def test_independent_sources_are_in_billions_and_distinct():
    ind = trends.independent_world((2019, 2024))
    assert set(ind["source"]) == {trends.SRC_WDI, trends.SRC_WTO_DDS, trends.SRC_WTO_HEAD}
    # world exports of goods are trillions of dollars: thousands of billions, never millions
    goods = ind[(ind["series"] == "goods")]["value_bn"]
    assert goods.between(5_000, 60_000).all()
    assert not ind.duplicated(["series", "year", "source"]).any()


# --------------------------------------------------------------------------- parameters and claims


def test_cross_parameter_errors_are_clear():
    p = params.defaults("global_trends")
    with pytest.raises(ValueError, match="start_year"):
        trends.check_params({**p, "start_year": 2022, "end_year": 2022, "base_year": 2022})
    with pytest.raises(ValueError, match="history_start"):
        trends.check_params({**p, "history_start": 2025})
    with pytest.raises(params.ParameterError, match="base_year"):
        params.validate("global_trends", {"base_year": 2018})


def test_every_claim_of_the_chapter_has_a_check_or_a_reason():
    ids = claims.claims_for("global_trends")
    assert set(ids) == set(trends.all_chapter_claims())
    for cid in ids:
        assert claims.checker(cid) == "helpers.book.chapters.global_trends" or cid in claims.NOT_CHECKABLE, cid
        r = claims.check(cid)
        assert r.status in claims.CLAIM_STATUSES
        if r.status == claims.NOT_CHECKABLE_STATUS:
            assert len(r.method) > 20  # a reason, not a placeholder


def test_services_levels_are_not_checkable_because_the_concept_is_between_two_sources():
    pos = trends.services_position()
    assert not pos.empty and pos["between"].all()
    assert claims.check("S000-010").status == claims.NOT_CHECKABLE_STATUS


# --------------------------------------------------------------------------- the page, for several parameter sets


@pytest.mark.parametrize("overrides", [
    {},
    {"start_year": 2020, "end_year": 2023, "base_year": 2021, "unit": "usd_100m"},
    {"start_year": 2024, "end_year": 2025, "base_year": 2025, "top_n": 25, "history_start": 2023},
    {"start_year": 2019, "end_year": 2020, "top_n": 3, "history_start": 2015},
])
def test_every_glue_key_of_the_notebook_is_glued(overrides):
    p = params.validate("global_trends", overrides)
    page = render_all(p)
    missing = notebook_glue_keys("global_trends") - set(page.glued)
    assert not missing, f"glue keys used in the prose but not glued for {overrides}: {missing}"
    for f in page.figures:
        n = len(f["data"]) if f["data"] is not None else 0
        assert n < 1000, (f["name"], n)
    # no NaN leaks into the prose
    assert not any(re.search(r"\bnan\b", v) for v in page.glued.values()), page.glued


def test_robustness_reading_when_the_window_starts_at_the_trough():
    years = [2020, 2021, 2022]
    lv = pd.DataFrame({"goods": [80, 120, 125], "services": [85, 115, 120], "dds": [110, 125, 140]}, index=years,
                      dtype=float)
    rows = [{"series": s, "year": y, "level_100m": v, "growth_stated": 0.0, "level_claim": None, "growth_claim": None}
            for s in lv.columns for y, v in zip([2019] + years, [100.0] + list(lv[s]))]
    rec = trends.recompute_growth(pd.DataFrame(rows))
    text = trends.robustness_reading(trends.window_robustness(lv), rec)
    assert text.startswith("This window starts in 2020") and "all 2 windows" in text
