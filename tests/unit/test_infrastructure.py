"""AI infrastructure: balanced panels, dispersion, compute tables, statements (analysis), the claim checks,
and the page's sentences for several parameter sets, checked against the computed facts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.analysis import infrastructure as inf
from helpers.book.chapters import ai_infrastructure as show
from helpers.book.chapters import ai_infrastructure_charts as ch
from helpers.claims import core as claims
from helpers.claims.checks import ai_infrastructure as checks
from helpers.data import datastore as ds
from tests.fakes import FakePage, glue_keys_in_prose


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
    dv = inf.divide(panel, "X", 4)
    assert dv.members == ("A", "B", "D") and dv.years == (2000, 2001, 2002, 2003)
    assert dv.excluded == ("C",)
    assert dv.trend == "did not change"
    assert dv.trend_all == "widened"  # the unbalanced measure would show a spurious widening


def test_trend_word():
    assert inf.trend_word(0.8, 0.2) == "narrowed"
    assert inf.trend_word(0.2, 0.8) == "widened"
    assert inf.trend_word(0.5, 0.502) == "did not change"
    assert inf.trend_word(float("nan"), 0.5) == "not measurable"


def test_log_scale_only_for_unbounded_series_spanning_orders_of_magnitude():
    wide = pd.Series([0.02, 5.0, 200000.0])
    assert ch.use_log(wide, "IT.NET.SECR.P6")
    assert not ch.use_log(wide, "IT.NET.USER.ZS")  # a share of the population stays linear
    assert not ch.use_log(pd.Series([50.0, 180.0]), "IT.CEL.SETS.P2")


# --------------------------------------------------------------------------- members


def test_members_default_to_all_rcep_members():
    assert inf.members([]) == list(ds.country_groups()["rcep"])
    assert inf.members(["CHN", "KOR"]) == ["CHN", "KOR"]


# --------------------------------------------------------------------------- compute


def test_period_dates_and_units():
    assert inf.period_date("end of June 2022") == ("2022-06", False)
    assert inf.period_date("end of 2023") == ("2023-12", False)
    assert inf.period_date("mid-2023 (stated at a conference, Aug 2023)") == ("2023-06", False)
    assert inf.period_date("target for 2025") == ("2025-12", True)
    assert inf.period_date("date unknown") == (None, False)
    assert inf.period_date("2025-06") == ("2025-06", False)  # a claim's year column
    assert inf.months_between("2025-06", "2025-08") == 2
    assert inf.to_eflops(780000, "PFlops") == pytest.approx(780.0)
    assert inf.to_eflops(246, "EFLOPS") == 246.0
    with pytest.raises(ValueError, match="not a computing-power unit"):
        inf.to_eflops(32, "percent")


def test_last_digit_unit():
    assert checks.last_digit_unit(780000) == 10000
    assert checks.last_digit_unit(788) == 1
    assert checks.last_digit_unit(2.5) == pytest.approx(0.1)
    with pytest.raises(ValueError):
        checks.last_digit_unit(0)


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
    assert inf.list_runs(missing) == [missing[:5], missing[5:]]  # 2021-06..2023-06 and 2024-06
    assert len(ch.gap_bands(missing)) == 2
    assert inf.share_history(df, "CHN").peak_list == "2019-11"


def test_top500_window_without_an_obtained_list():
    df, missing = inf.top500_frame(["CHN"], 2021, 2022)
    assert df.empty and missing == ["2021-06", "2021-11", "2022-06", "2022-11"]


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
    ic = st[st["kind"] == "intelligent computing"].iloc[0]
    assert (ic["value"], ic["unit"]) == (780000.0, "PFlops")  # as stated, for its rounding


def test_spearman():
    x = pd.Series([1.0, 2.0, 3.0, 4.0])
    assert inf.spearman(x, x**2) == pytest.approx(1.0)
    assert inf.spearman(x, -x) == pytest.approx(-1.0)
    assert math.isnan(inf.spearman(x[:2], x[:2]))


def test_lower_first_keeps_acronyms():
    assert show.lower_first("Internet users") == "internet users"
    assert show.lower_first("R&D expenditure") == "R&D expenditure"


# --------------------------------------------------------------------------- claims


def test_every_claim_of_the_chapter_is_shown_once_and_has_a_check_or_a_reason():
    ids = claims.claims_for("ai_infrastructure")
    grouped = [c for g in show.CLAIM_GROUPS.values() for c in g]
    assert sorted(grouped) == sorted(ids) and len(grouped) == len(set(grouped))
    for cid in ids:
        r = claims.check(cid)
        assert r.status in ("consistent", "inconsistent", "not checkable")
        assert claims.checker(cid) == "helpers.claims.checks.ai_infrastructure" or cid in claims.NOT_CHECKABLE
        assert r.method and "no check registered" not in r.method


def test_intelligent_computing_is_judged_by_the_one_rule():
    row = claims.claim("S000-078")
    r = checks.check_intelligent_computing(row)
    # 788 stated (no decimals: ±0.5) against 780 EFLOPS (780,000 PFlops): outside the rule
    assert r.computed == pytest.approx(780.0) and r.tolerance == claims.rule_tolerance(row)
    assert r.status == "inconsistent" and "−1.0 %" in r.method
    near = row.copy()
    near["value"] = 780.4  # within half a unit of the last digit written
    assert checks.check_intelligent_computing(near).status == "consistent"


def test_index_growth_is_recomputed_from_the_stated_levels():
    r = claims.check("S000-082")
    lo, hi = claims.stated("S000-081"), claims.stated("S000-081", end=True)
    assert r.computed == pytest.approx(100 * (hi / lo - 1))
    assert r.status == "consistent"


def test_levels_lines_break_at_gaps():
    panel = pd.DataFrame(
        {
            "iso3": ["AUS"] * 3,
            "economy": ["Australia"] * 3,
            "year": pd.array([2005, 2006, 2008], dtype="Int64"),
            "indicator": ["IT.NET.BBND.P2"] * 3,
            "value": [10.0, 12.0, 15.0],
        }
    )
    spec = ch.levels_chart(panel, ["IT.NET.BBND.P2"], None).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len({r["run"] for r in rows}) == 2 and spec["vconcat"][0]["encoding"]["detail"]["field"] == "run"


# --------------------------------------------------------------------------- the page for several parameter sets


def run_page(values: dict) -> tuple[FakePage, show.Infrastructure]:
    """The notebook's calls, in its order, on a recording page."""
    from helpers.book import params

    page = FakePage()
    r = show.prepare(params.validate("ai_infrastructure", values))
    page.glue("title", "AI infrastructure")
    show.scope(page, r)
    show.levels(page, r, inf.latest_values(r.panel, r.indicators))
    d = show.divide(page, r, [inf.divide(r.panel, c, len(r.economies)) for c in r.indicators])
    show.show_claims(page, "digital_economy")
    c = show.statements(page, inf.china_statements())
    show.show_claims(page, "compute")
    lists, missing = inf.top500_frame(r.economies, r.start_year, r.end_year)
    t = show.top500(page, r, lists, missing)
    g = show.gpu(page, r, inf.gpu_clusters(r.economies))
    show.models(page, r, inf.ai_models(r.economies, r.start_year, r.end_year))
    show.dtdi(page)
    show.innovation(page, r)
    bf = inf.bridge_frame(r.economies, r.indicators[0], r.start_year, r.end_year)
    b = show.bridge(page, r, bf, inf.bridge_stats(bf))
    page.key_findings(show.findings(d, c, t, g, b))
    return page, r


CODES = ["IT.NET.USER.ZS", "IT.NET.BBND.P2", "IT.CEL.SETS.P2", "IT.NET.SECR.P6"]
PARAMETER_SETS = [
    {},  # the defaults: all 15 members
    {"countries": ["SGP"]},  # one member
    {"countries": ["CHN", "KOR"], "start_year": 2015, "end_year": 2018},  # two members, a short window
    {"countries": ["KOR", "SGP", "VNM"], "start_year": 2000, "end_year": 2012},  # ends before the latest data
    {"countries": ["LAO"], "start_year": 2024, "end_year": 2024, "indicators": ["IT.CEL.SETS.P2"]},  # no data
    {"start_year": 2021, "end_year": 2022},  # no TOP500 list obtained
    *({"indicators": [code]} for code in CODES),  # each indicator alone
]
IDS = [
    "defaults",
    "SGP",
    "CHN-KOR-2015-2018",
    "KOR-SGP-VNM-to-2012",
    "LAO-2024-mobile",
    "2021-2022",
    *(f"only-{c}" for c in CODES),
]


@pytest.fixture(scope="module", params=PARAMETER_SETS, ids=IDS)
def page_run(request):
    return run_page(request.param)


def test_every_key_the_prose_uses_is_glued_for_every_parameter_set(page_run):
    page, _ = page_run
    assert glue_keys_in_prose("ai_infrastructure") - set(page.glued) == set()


def _texts(page) -> list[str]:
    """Every text the page shows: glued values, the sentences as computed, key findings, figure titles, notes."""
    sentences = [x for v in page.sentences.values() for x in (v if isinstance(v, list) else [v])]
    return [*page.glued.values(), *sentences, *page.findings, *(f["title"] for f in page.figures.values()), *page.notes]


def test_no_internal_name_reaches_the_reader(page_run):
    page, _ = page_run
    internal = [*CODES, "GB.XPD.RSDV.GD.ZS", "TX.VAL.TECH.MF.ZS", "SP.POP.TOTL", "WLD", "helpers.", "S000-"]
    leaks = [(word, t) for t in _texts(page) for word in internal if word in t and "S000-082" not in t]
    assert leaks == []


def test_sentences_about_members_name_only_the_selected_ones(page_run):
    page, r = page_run
    others = [ds.display_name(c) for c in ds.country_groups()["rcep"] if c not in r.economies]
    about_members = [page.sentences[k] for k in ("coverage_sentence", "divide_verdict", "economies")]
    about_members += page.sentences["levels_list"] + page.sentences["divide_list"]
    assert [(o, s) for s in about_members for o in others if o in s] == []


def test_levels_name_the_highest_and_lowest_member_of_the_latest_year(page_run):
    import re

    page, r = page_run
    for code, sentence in zip(r.indicators, page.sentences["levels_list"]):
        d = r.panel[r.panel["indicator"] == code].dropna(subset=["value"])
        if d.empty:
            assert "no value" in sentence
            continue
        last = d[d["year"] == d["year"].max()]
        top = last.loc[last["value"].idxmax()]
        assert str(int(d["year"].max())) in sentence and ds.display_name(top["iso3"]) in sentence
        assert f"{top['value']:,.1f}" in sentence
        m = re.search(r"([A-Z][\w .]+?) highest \(([\d.,]+)\), (?:the )?([A-Z][\w .]+?) lowest \(([\d.,]+)\)", sentence)
        if last["iso3"].nunique() == 1 or last["value"].round(1).nunique() == 1:
            assert m is None  # one member or equal values: no "X highest (66.0), X lowest (66.0)"
        else:
            assert m and m.group(1) != m.group(3) and m.group(2) != m.group(4)


def test_the_divide_verdict_follows_the_balanced_panel_of_the_selection(page_run):
    page, r = page_run
    verdict = page.sentences["divide_verdict"]
    n = len(r.economies)
    for code, sentence in zip(r.indicators, page.sentences["divide_list"]):
        d = r.panel[r.panel["indicator"] == code].dropna(subset=["value"])
        avail = d.pivot_table(index="year", columns="iso3", values="value", aggfunc="first").notna()
        members, years = inf.balanced_block(avail, min_members=inf.MIN_BALANCED_MEMBERS)
        if len(years) < 2:
            assert "cannot be traced" in sentence
            continue
        cv = [
            float(d[(d["year"] == y) & d["iso3"].isin(members)]["value"].pipe(lambda v: v.std(ddof=0) / v.mean()))
            for y in (years[0], years[-1])
        ]
        word = inf.trend_word(*cv)
        assert f"— the divide {word}" in sentence and f"panel of {len(members)} members" in sentence
        assert show.lower_first(ch.label(code)) in verdict
    if n < inf.MIN_BALANCED_MEMBERS:
        assert verdict.startswith(f"With {n} member") and "cannot be measured" in verdict
    assert page.glued["headline"] == verdict


def test_compute_sentences_match_the_tables(page_run):
    page, r = page_run
    g = ds.load_table("epoch_gpu_clusters")
    g = g[g["include_standard_analysis"].astype(bool) & (g["status"] == "Existing")]
    us = 100 * g.loc[g["iso3"] == "USA", "h100_equivalents"].sum() / g["h100_equivalents"].sum()
    assert f"the United States hosts {us:.1f} %" in page.sentences["gpu_sentence"]
    m = ds.load_table("epoch_ai_models")
    world = m[m["year"] == r.end_year].drop_duplicates(["model", "publication_date"]).shape[0]
    assert f"In {r.end_year} Epoch AI lists {world} notable AI model" in page.sentences["models_sentence"]
    lists, missing = inf.top500_frame(r.economies, r.start_year, r.end_year)
    if lists.empty:
        assert "top500" not in page.figures and page.glued["fig-top500"] == show.NO_FIGURE
        assert page.sentences["top500_sentence"].startswith(f"None of the {len(missing)} TOP500 lists")
    else:
        assert page.figures["top500"]["title"].startswith("The United States had the most TOP500 compute")


def test_a_missing_figure_says_so_in_the_prose():
    page, _ = run_page({"countries": ["LAO"], "start_year": 2024, "end_year": 2024, "indicators": ["IT.CEL.SETS.P2"]})
    for name in ("levels", "digital-divide", "innovation", "infrastructure-and-exports"):
        assert name not in page.figures and page.glued[f"fig-{name}"] == show.NO_FIGURE
    assert len(page.notes) == 4
