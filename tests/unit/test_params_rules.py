"""Cross-parameter and data-dependent rules (helpers.book.params_rules), run by params.validate before any
kernel starts: each rule refuses what it must (naming the parameter) and accepts the edge it must allow."""

from __future__ import annotations

import pytest

from helpers.book import params, params_rules
from helpers.book.params import ParameterError

SIX_WITH_DATA = ["CHN", "JPN", "KOR", "AUS", "NZL", "SGP"]


@pytest.mark.parametrize(
    "chapter, values, name, fragment",
    [
        # every chapter
        ("china_scale", {"start_year": 2015, "end_year": 2010}, "start_year", "must not be after end_year"),
        ("structure", {"start_year": 2015, "end_year": 2010}, "start_year", "must not be after end_year"),
        ("ai_infrastructure", {"start_year": 2020, "end_year": 2019}, "start_year", "must not be after end_year"),
        ("global_trends", {"base_year": 2025, "end_year": 2024}, "base_year", "must lie within start_year-end_year"),
        (
            "global_trends",
            {"history_start": 2023, "end_year": 2023, "base_year": 2019},
            "history_start",
            "2023 must be before end_year (2023)",
        ),
        ("global_trends", {"history_start": 2023, "end_year": 2022}, "history_start", "must be before end_year"),
        # global_trends: growth needs two years
        (
            "global_trends",
            {"start_year": 2022, "end_year": 2022, "base_year": 2022},
            "start_year",
            "growth rates need at least two years",
        ),
        # china_scale
        ("china_scale", {"start_year": 2024, "end_year": 2024}, "start_year", "growth rates need at least two years"),
        ("china_scale", {"peers": ["KOR", "CHN"]}, "peers", "it includes the focus country CHN"),
        ("china_scale", {"country": "KOR", "peers": ["KOR"]}, "peers", "focus country KOR"),
        (
            "china_scale",
            {"country": "MMR", "start_year": 2020, "end_year": 2024},
            "country",
            "MMR (Myanmar) has services exports and imports in data/wdi.csv for 2000–2019 only",
        ),
        ("china_scale", {"country": "MMR", "start_year": 2019, "end_year": 2024}, "country", "holds 1 of them"),
        ("china_scale", {"country": "LAO", "start_year": 2024, "end_year": 2024}, "start_year", "two years"),
        # structure: one year of data in the window
        ("structure", {"country": "MMR", "start_year": 2021, "end_year": 2024}, "country", "at least one is needed"),
        # rcep_pathways
        (
            "rcep_pathways",
            {"countries": ["CHN", "KOR", "JPN"]},
            "countries",
            "3 members listed; clustered inference needs at least 6",
        ),
        (
            "rcep_pathways",
            {"countries": ["CHN", "JPN", "KOR", "AUS", "NZL", "VNM"]},
            "countries",
            "only 5 of the 6 members have GDP, ICT service exports",
        ),
        (
            "rcep_pathways",
            {"countries": ["CHN", "JPN", "KOR", "AUS", "NZL", "VNM"]},
            "countries",
            "no ICT service exports (BoP, current US$): VNM",
        ),
        (
            "rcep_pathways",
            {"openness_measure": "heritage_trade", "start_year": 2018, "end_year": 2023, "window": 4},
            "openness_measure",
            "have data in 2018–2019 only (2 of the years 2018-2023)",
        ),
        (
            "rcep_pathways",
            {"openness_measure": "heritage_trade", "start_year": 2012, "end_year": 2023, "window": 8},
            "openness_measure",
            "more than window (8)",
        ),
        (
            "rcep_pathways",
            {"openness_measure": "heritage_trade", "start_year": 2012, "end_year": 2023, "window": 7},
            None,
            None,
        ),  # accepted: 2012-2019 hold eight years with data
        (
            "rcep_pathways",
            {"start_year": 2015, "end_year": 2024, "window": 9},
            "window",
            "have data in 2015–2023 only (9 of the years 2015-2024)",
        ),  # GDP ends in 2023
        (
            "rcep_pathways",
            {"openness_measure": "fraser_trade", "start_year": 2017, "end_year": 2023, "window": 4},
            "openness_measure",
            "Fraser",
        ),
        (
            "rcep_pathways",
            {"infrastructure_measure": "IT.NET.SECR.P6", "start_year": 2000, "end_year": 2009, "window": 4},
            "infrastructure_measure",
            "no Secure Internet servers",
        ),
        (
            "rcep_pathways",
            {"start_year": 2020},
            "start_year",
            "the sample 2020-2023 (start_year-end_year) spans 4 years",
        ),
        ("rcep_pathways", {"start_year": 2023, "end_year": 2023}, "start_year", "spans 1 year;"),
        (
            "rcep_pathways",
            {"start_year": 2016, "end_year": 2023, "window": 8},
            "window",
            "8 years must be shorter than the sample 2016-2023 (8 years)",
        ),
        ("rcep_pathways", {"gdp_growth": {"low": -100, "central": 1, "high": 2}}, "gdp_growth", "above -100 %"),
        (
            "rcep_pathways",
            {"countries": SIX_WITH_DATA, "scenario_country": "THA"},
            "scenario_country",
            "THA is not among the 'countries' of the sample",
        ),
    ],
)
def test_rules_name_the_parameter(chapter, values, name, fragment):
    if name is None:
        params.validate(chapter, values)
        return
    with pytest.raises(ParameterError) as err:
        params.validate(chapter, values)
    assert err.value.name == name, str(err.value)
    assert fragment in str(err.value), str(err.value)


@pytest.mark.parametrize(
    "chapter, values",
    [
        ("global_trends", {"start_year": 2024, "end_year": 2025, "base_year": 2024, "history_start": 2023}),
        ("china_scale", {"start_year": 2023, "end_year": 2024, "country": "KOR", "peers": ["JPN", "USA"]}),
        ("china_scale", {"country": "MMR", "start_year": 2018, "end_year": 2024}),  # 2018-2019 inside
        ("structure", {"start_year": 2024, "end_year": 2024}),  # one year: a composition, no growth
        ("structure", {"country": "MMR", "start_year": 2019, "end_year": 2024}),
        ("rcep_pathways", {"countries": SIX_WITH_DATA, "scenario_country": "KOR"}),
        ("rcep_pathways", {"start_year": 2018, "end_year": 2023, "window": 5}),  # shortest sample, longest window
        ("rcep_pathways", {"horizon": 2025, "start_year": 2015, "end_year": 2024, "window": 4}),
        ("rcep_pathways", {"gdp_growth": {"low": -99.5, "central": 0, "high": 1}}),
        ("ai_infrastructure", {"countries": ["LAO"], "start_year": 2010, "end_year": 2010}),
    ],
)
def test_edges_that_must_be_accepted(chapter, values):
    out = params.validate(chapter, values)
    assert {k: out[k] for k in values} == {k: (dict(v) if isinstance(v, dict) else v) for k, v in values.items()}


def test_the_horizon_must_follow_the_sample():
    # the spec's ranges (horizon from 2025, data to 2024) cannot reach this today; the rule guards later data
    with pytest.raises(params_rules.RuleBroken) as err:
        params_rules.window_order({"start_year": 2015, "end_year": 2026, "horizon": 2026})
    assert err.value.name == "horizon" and "2026 must be after end_year (2026)" in err.value.message
    params_rules.window_order({"start_year": 2015, "end_year": 2025, "horizon": 2026})


def test_the_rules_run_only_for_the_chapters_they_belong_to():
    assert set(params_rules.RULES) <= set(params.SPECS)
    # structure allows one year where china_scale needs two
    params.validate("structure", {"start_year": 2010, "end_year": 2010})
    with pytest.raises(ParameterError):
        params.validate("china_scale", {"start_year": 2010, "end_year": 2010})


def test_members_with_data_are_counted_in_the_sample_years():
    p = params.validate("rcep_pathways", {})
    ok, lacking = params_rules._members_with_data(p, ["CHN", "VNM", "MMR"])
    assert ok == ["CHN", "MMR"] and set(lacking) == {"VNM"}  # VNM has no ICT service exports at all
    late = {**p, "start_year": 2020, "end_year": 2023}
    ok, lacking = params_rules._members_with_data(late, ["CHN", "MMR"])
    assert ok == ["CHN"] and "ICT service exports" in lacking["MMR"]  # MMR's series end in 2019


def test_complete_years_need_every_series():
    both = params_rules.complete_years("MMR", params_rules.SERVICES, 2015, 2024)
    assert both == [2015, 2016, 2017, 2018, 2019]
    assert params_rules.complete_years("MMR", ("NO.SUCH.SERIES",), 2000, 2024) == []
