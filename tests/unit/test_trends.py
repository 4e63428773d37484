"""The Global trends page: its sentences, figures and tables for several parameter sets, run through the
notebook's own code cells; the sentence builders on constructed cases; the chapter's claim checks."""

from __future__ import annotations

import functools
import re

import pandas as pd
import pytest

from helpers.analysis import trends
from helpers.book.chapters import global_trends as show
from helpers.book.chapters import global_trends_crosscheck as crosscheck
from helpers.book.chapters import global_trends_growth as growth
from helpers.book.chapters import global_trends_leaders as leaders_page
from helpers.claims import core as claims
from helpers.claims.checks import global_trends as checks
from helpers.text import pct
from tests.fakes import FakePage, glue_keys_in_prose, run_chapter

PARAMETER_SETS = {
    "defaults": {},
    "two-year window": {"start_year": 2024, "end_year": 2025, "base_year": 2024},
    "ends before the latest data, base at the end": {"start_year": 2019, "end_year": 2023, "base_year": 2023},
    "US$ 100 million, top 3": {"start_year": 2020, "end_year": 2024, "base_year": 2022, "unit": "usd_100m", "top_n": 3},
    "top 25, late history": {"top_n": 25, "history_start": 2023},
    "first two years": {"start_year": 2019, "end_year": 2020},
    "2023-2024, equal stated rates": {"start_year": 2023, "end_year": 2024, "base_year": 2023},
}


@functools.cache
def _page(name: str) -> tuple[FakePage, dict]:
    """The notebook run once per parameter set for the whole module (about 10 s each); (page, namespace)."""
    return run_chapter("global_trends", **PARAMETER_SETS[name])


@pytest.fixture(params=list(PARAMETER_SETS), ids=list(PARAMETER_SETS))
def rendered(request):
    return (request.param, *_page(request.param))


# --------------------------------------------------------------------------- every parameter set


def test_every_glue_key_of_the_prose_is_glued_and_every_figure_and_table_is_referenced(rendered):
    name, page, _ = rendered
    used = glue_keys_in_prose("global_trends")
    missing = used - set(page.glued)
    assert not missing, f"{name}: keys used in the prose but not glued: {missing}"
    shown = {k for k in page.glued if k.startswith(("fig-", "tbl-"))}
    unreferenced = shown - used
    assert shown and not unreferenced, f"{name}: figures or tables the prose never refers to: {unreferenced}"


def test_no_broken_wording_reaches_the_page(rendered):
    name, page, _ = rendered
    for key, text in page.glued.items():
        for bad in (
            r"\bnan\b",
            r"\bNone\b",
            r"\( ",
            r" \)",
            r"  ",
            r"\b0 of the 1\b",
            r"from no start year",
            r"from (\S+ %) in (\d{4}) to \1 in \2",
            r"_",
            r"\bBX\.|\bWLD\b",
        ):
            if key.startswith(("fig-", "tbl-")) and bad == r"_":
                continue
            assert not re.search(bad, text), f"{name}: {key} = {text!r} matches {bad!r}"
    assert 3 <= len(page.findings) <= 5


def test_compound_growth_sentences_and_chart_labels_come_from_the_same_numbers(rendered):
    name, page, ns = rendered
    cagrs, decisive = ns["cagrs"], ns["decisive"]
    fig = page.figures["cagr"]
    for row in cagrs.dropna(subset=["cagr_pct"]).itertuples():
        label = pct(row.cagr_pct, 1)
        hit = fig["data"][
            (fig["data"]["version"] == show.VERSION_LABELS[row.version])
            & (fig["data"]["series"] == show.LABELS[row.series])
        ]
        assert hit["label"].tolist() == [label]  # one rounding, from the unrounded rate
        line = next(x for x in page.glued["cagr_list"].split("\n") if show.VERSION_LABELS[row.version] in x)
        assert label in line
    d = cagrs[cagrs["version"] == decisive].set_index("series")["cagr_pct"]
    expected = "inconclusive" if d.isna().any() else ("supported" if trends.outpaces(d) else "not supported")
    assert page.glued["verdict"] == expected
    for v in trends.VERSIONS:  # "faster" or "not faster" as computed, in each version's line
        rows = cagrs[cagrs["version"] == v].set_index("series")["cagr_pct"]
        line = next(x for x in page.glued["cagr_list"].split("\n") if show.VERSION_LABELS[v] in x)
        if rows.isna().any():
            assert "not computable" in line
        else:
            assert ("grew faster than both" in line) == trends.outpaces(rows)


def test_window_counts_in_the_text_are_the_computed_counts(rendered):
    name, page, ns = rendered
    wins = ns["windows"]
    for v in trends.VERSIONS:
        w = wins[wins["version"] == v]
        line = next(x for x in page.glued["windows_list"].split("\n") if show.VERSION_LABELS[v] in x)
        if len(w) > 1:
            assert f"{int(w['dds_leads'].sum())} of the {len(w)} windows" in line
        elif len(w) == 1:
            assert "one pair of years only" in line
        else:
            assert "no window" in line


def test_real_and_nominal_rates_in_the_table_and_the_text_agree(rendered):
    name, page, ns = rendered
    real, decisive = ns["real"], ns["decisive"]
    d = real[real["version"] == decisive].set_index("series")
    tab = page.tables["real-cagr"]["df"]
    assert len(tab) == real["nominal_pct"].notna().sum()
    if d["us_cpi_u_real_pct"].notna().all():
        for s in ("dds", "goods", "services"):
            assert pct(d.loc[s, "us_cpi_u_real_pct"], 1) in page.glued["real_decisive"]
    assert "the same in real as in nominal" in page.glued["real_ranking"]


# --------------------------------------------------------------------------- particular parameter sets


def test_a_two_year_window_says_there_is_nothing_to_vary():
    page, _ = _page("two-year window")
    assert "single pair, so the choice of years cannot be varied" in page.glued["windows_reading"]
    assert "one pair of years only, 2024–2025" in page.glued["windows_list"]
    assert "cannot be tested" in page.glued["index_description"]
    assert "Independent (World Bank; WTO): not computable" in page.glued["cagr_list"]
    assert "independent series" not in page.glued["headline"]


def test_a_window_before_the_contradictions_has_identical_table1_versions():
    page, ns = _page("ends before the latest data, base at the end")
    assert page.glued["versions_window"].startswith("No level of 2019–2023 is replaced")
    assert page.glued["index_rate_implied"].startswith("No level of this window")
    assert page.glued["share_caveat"].startswith("No services level")
    index_fig = page.figures["index"]
    assert index_fig["title"].startswith("In 2019,")  # base year at the end: the title looks back, not at 100
    assert not re.search(r"\(\d{4}–\d{4}\)", page.glued["headline"])  # every version covers the whole window
    default, _ = _page("defaults")
    assert "in the independent series (2019–2024)" in default.glued["headline"]  # they end before Table 1 does


def test_unit_and_top_n_follow_the_parameters():
    page, ns = _page("US$ 100 million, top 3")
    tab = page.tables["versions"]["df"]
    rec = ns["rec"]
    stated = tab[(tab["Series"] == "Goods") & (tab["Year"] == 2022)]["Table 1 as stated"].iloc[0]
    assert stated == pytest.approx(rec[(rec["series"] == "goods") & (rec["year"] == 2022)]["level_100m"].iloc[0])
    assert "(US$ 100 million)" in page.glued["versions_window"]
    assert page.glued["ict_shown"].count(",") + page.glued["ict_shown"].count(" and ") == 2  # three economies


def test_a_late_history_start_has_single_year_wording():
    page, _ = _page("top 25, late history")
    assert page.glued["ict_shown"].endswith("(every economy of the extract with a value)")
    assert page.glued["ict_chn"].startswith("was ")
    assert "one year cannot show" in page.glued["concentration_text"]
    assert page.glued["chn_rank_unctad"].startswith("ranked ")
    assert page.glued["unctad_coverage"].startswith("In 2023, the only year")


def test_equal_stated_rates_are_a_tie_and_an_unchanged_share_stays():
    page, ns = _page("2023-2024, equal stated rates")
    assert page.glued["verdict"] == "not supported"  # Table 1 states +9.0 % for both DDS and services in 2024
    assert "no faster than services (equal to the first decimal)" in page.glued["cagr_list"]
    assert page.glued["share_t1"].startswith("stayed at ")
    assert "That year the common deflator" in page.glued["volume_check"]


# --------------------------------------------------------------------------- sentence builders on constructed cases


def _windows(leads: dict[tuple[int, int], bool]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"start": a, "end": b, "dds_leads": v} for (a, b), v in leads.items()], columns=["start", "end", "dds_leads"]
    )


def test_robustness_reading_names_the_year_goods_fell_most():
    wr = _windows(
        {
            (2019, 2020): True,
            (2019, 2021): True,
            (2020, 2021): False,
            (2019, 2022): True,
            (2020, 2022): False,
            (2021, 2022): True,
        }
    )
    goods = pd.Series({2019: 1.0, 2020: -20.0, 2021: 50.0, 2022: 4.0})
    text = growth.robustness_reading(wr, goods)
    assert text.startswith("Measured from the first year, 2019, the claim holds in all 3 windows")
    assert "measured from 2020, the year goods exports fell most (−20.0 %), it holds in none of the 2 windows" in text
    assert text.endswith("The verdict depends on where the comparison starts.")


def test_robustness_reading_when_goods_never_fell_and_the_window_starts_at_the_low():
    wr = _windows({(2020, 2021): False, (2020, 2022): False, (2021, 2022): True})
    text = growth.robustness_reading(wr, pd.Series({2020: 0.5, 2021: 3.0, 2022: 4.0}))
    assert "2020 — the year goods exports grew least (+0.5 %) —" in text and "none of the 2 windows" in text


def test_window_wording_for_degenerate_cases():
    assert growth.window_summary(_windows({})).startswith("no window")
    assert (
        growth.window_summary(_windows({(2024, 2025): False}))
        == "one pair of years only, 2024–2025: digitally delivered services did not grow faster than both"
    )
    assert growth.robustness_reading(_windows({(2024, 2025): True}), pd.Series(dtype=float)).startswith(
        "With two years"
    )
    assert (
        growth.holds_in(0, 1) == "does not hold in the one window" and growth.holds_in(2, 2) == "holds in all 2 windows"
    )


def test_describe_gaps_keeps_outliers_apart():
    g = pd.DataFrame({"year": [2019, 2020, 2021, 2022], "gap_pct": [2.0, 2.5, 3.0, 21.0]})
    text = crosscheck.describe_gaps(g)
    assert "+2.0 % to +3.0 % in 2019–2021" in text and "+21.0 % in 2022" in text


def test_short_report_names():
    assert crosscheck.short_report("WTO Global Trade Outlook and Statistics (April 2024)") == "GTOS, April 2024"
    assert crosscheck.short_report("WTO Annual Report 2025") == "Annual Report 2025"


def test_concentration_reading_follows_the_sign():
    up = pd.DataFrame({"year": [1, 2, 3], "top1_pct": [10, 11, 12], "topn_pct": [50, 51, 52], "hhi": [500, 520, 540]})
    assert "did not fall" in leaders_page.concentration_reading(up)
    down = up.assign(hhi=[600, 590, 500], top1_pct=[20, 18, 14], topn_pct=[50, 50, 50])
    text = leaders_page.concentration_reading(down)
    assert "faster in the second half" in text and "leader's falling share" in text
    assert "too few years" in leaders_page.concentration_reading(up.iloc[:2])


def test_rank_moves_in_words():
    assert leaders_page.rank_move(10, 6, 2010, 2023) == "rose from rank 10 in 2010 to 6 in 2023"
    assert leaders_page.rank_move(4, 5, 2010, 2023) == "fell from rank 4 in 2010 to 5 in 2023"
    assert leaders_page.rank_move(5, 5, 2010, 2023) == "stayed at rank 5 from 2010 to 2023"
    assert leaders_page.rank_move(5, 5, 2023, 2023) == "ranked 5 in 2023"


def test_agreement_wording_when_versions_disagree():
    rows = []
    for v, dds in (("stated", 9.0), ("rate_implied", 3.0), ("independent", 8.0)):
        rows += [
            {"version": v, "series": s, "start": 2019, "end": 2025, "cagr_pct": x}
            for s, x in (("goods", 5.0), ("services", 4.0), ("dds", dds))
        ]
    c = pd.DataFrame(rows)
    assert growth.agreement(c) == (
        "The versions disagree: digitally delivered services grew faster than both with "
        "Table 1's levels as stated and the independent series, but not with the "
        "rate-implied levels."
    )
    assert growth.verdict(c, "rate_implied") == "not supported" and growth.verdict(c, "stated") == "supported"
    r = show.GlobalTrends(2019, 2025, 2019, "usd_bn", 8, (2010, 2025), *(None,) * 4)
    assert growth.headline(r, c, "rate_implied").startswith(
        "Over 2019–2025, world exports of digitally delivered services did not grow faster than both goods and "
        "services (the versions disagree): "
        "3.0 % a year against 5.0 % for goods and 4.0 % for services with the rate-implied levels, the basis of the verdict; "
    )
    short = c[c["version"] != "independent"]
    short = pd.concat([short, c[c["version"] == "independent"].assign(cagr_pct=float("nan"))])
    assert "in both versions that cover this window" in growth.headline(
        r, short.assign(cagr_pct=short["cagr_pct"].where(short["series"] != "dds", 9.0)), "stated"
    )


# --------------------------------------------------------------------------- claims


def test_every_claim_of_the_chapter_has_a_check_or_a_reason():
    ids = claims.claims_for("global_trends")
    assert set(ids) == set(checks.chapter_claims(trends.table1()))
    for cid in ids:
        assert claims.checker(cid) == "helpers.claims.checks.global_trends" or cid in claims.NOT_CHECKABLE, cid
        r = claims.check(cid)
        assert r.status in claims.CLAIM_STATUSES
        if r.status == claims.NOT_CHECKABLE_STATUS:
            assert len(r.method) > 20  # a reason, not a placeholder


def test_table1_claim_ids_are_the_registered_range():
    t1 = trends.table1()
    assert set(t1["level_claim"]) | set(t1["growth_claim"].dropna()) == set(checks.TABLE1_IDS)
    assert len(checks.growth_claim_ids(t1)) == len(checks.level_claim_ids(t1)) == len(t1)


def test_services_levels_are_not_checkable_because_the_concept_is_between_two_sources():
    assert claims.check("S000-010").status == claims.NOT_CHECKABLE_STATUS


def test_interval_result_judges_each_reference_by_the_one_rule():
    row = pd.Series(
        {
            "claim_id": "S000-036",
            "value": 42504.0,
            "stated_decimals": 0,
            "qualifier": "exact",
            "value_end": float("nan"),
        }
    )
    # a headline rounded to US$ 0.01 tn (±50 in the claim's unit) cannot confirm a figure written to ±0.5
    coarse = checks.interval_result(row, [(42500.0, 50.0, "headline 4.25 tn")], method="m", source="s")
    assert coarse.status == claims.NOT_CHECKABLE_STATUS and coarse.tolerance == 0.5
    # ... but it refutes one that lies outside both roundings
    far_row = row.copy()
    far_row["value"] = 42700.0
    far = checks.interval_result(far_row, [(42500.0, 50.0, "headline 4.25 tn")], method="m", source="s")
    assert far.status == claims.INCONSISTENT
    bad = checks.interval_result(row, [(42500.0, 0.0, "exact reference")], method="m", source="s")
    assert bad.status == claims.INCONSISTENT
    either = checks.interval_result(row, [(43000.0, 0.0, "a"), (42504.2, 0.0, "b")], method="m", source="s")
    assert either.status == claims.CONSISTENT and either.computed == 42504.2


def test_a_difference_below_the_printed_decimal_is_a_tie_not_a_lead():
    rows = pd.DataFrame({"cagr_pct": [19.9, 8.99907, 8.99915]}, index=["goods", "services", "dds"])
    assert growth.outcome(rows) == "grew slower than goods and no faster than services (equal to the first decimal)"
    assert not trends.outpaces(rows["cagr_pct"])
    assert growth.outcome(rows.assign(cagr_pct=[1.0, 2.0, 9.0])) == "grew faster than both"
    assert growth.outcome(rows.assign(cagr_pct=[1.0, 12.0, 9.0])) == "grew slower than services"
