"""RCEP pathways: the page's sentences are true for every parameter set.

The chapter's notebook is executed cell by cell, in this process, with ``tests.fakes.FakePage`` in place of
``helpers.book.page.Page`` (glued values, figures and tables are kept, nothing is displayed), for several
parameter sets; each test checks the glued sentences against facts computed independently from the data.
"""

from __future__ import annotations

import re

import pytest

from helpers.analysis import pathways_panel as pp
from helpers.book import params
from helpers.data import datastore as ds
from tests.fakes import FakePage, glue_keys_in_prose, run_chapter

CHAPTER = "rcep_pathways"


def run_pathways(monkeypatch=None, **values) -> tuple[FakePage, dict]:
    """The notebook run with ``values`` overriding the defaults, and 99 bootstrap draws unless ``values``
    sets ``bootstrap_reps``; (page, the namespace)."""
    return run_chapter(CHAPTER, monkeypatch, **{"bootstrap_reps": 99, **values})


def plain(md: str) -> str:
    return re.sub(r"\\(.)", r"\1", md)


# --------------------------------------------------------------------------- parameter sets

PARAMETER_SETS = {
    "defaults": {},
    "pooled, six members, short windows": {
        "fixed_effects": "none",
        "countries": ["CHN", "JPN", "KOR", "SGP", "MYS", "PHL"],
        "window": 4,
        "scenario_country": "MYS",
    },
    "UNCTAD, non-ICT, longest window, sparse scenario member": {
        "dds_measure": "unctad_deliverable",
        "dependent": "dds_exports_non_ict",
        "window": 15,
        "scenario_country": "MMR",
    },
    "proxy, short sample, other measures": {
        "dds_measure": "wdi_composition",
        "start_year": 2010,
        "end_year": 2018,
        "window": 4,
        "openness_measure": "RQ.EST",
        "robustness_openness": ["kof_KOFTrGIdj"],
        "infrastructure_measure": "IT.NET.SECR.P6",
        "fixed_effects": "country",
        "scenario_country": "LAO",
    },
}


@pytest.fixture(scope="module", params=list(PARAMETER_SETS), ids=list(PARAMETER_SETS))
def run(request):
    page, ns = run_pathways(**PARAMETER_SETS[request.param])
    return request.param, page, ns


def test_every_key_the_prose_uses_is_glued(run):
    _, page, _ = run
    missing = glue_keys_in_prose(CHAPTER) - set(page.glued)
    assert not missing, missing


def test_no_internal_code_reaches_the_reader(run):
    _, page, _ = run
    codes = re.compile(
        r"kof_KO|RQ\.EST|IT\.NET|BX\.GSR|NY\.GDP|chinn_ito|wdi_composition|unctad_deliverable|"
        r"wto_delivered|dds_exports|log_gdp|helpers\.|seed 0\d\d|rule: —"
    )
    for key, value in page.glued.items():
        assert not codes.search(value), (key, value)
    for finding in page.findings:  # as computed: the glued bullets are escaped markdown
        assert not codes.search(finding), finding
    for name, fig in page.figures.items():
        assert not codes.search(fig["title"] + fig["alt"]), name
    for name, t in page.tables.items():
        if name.startswith("claims-"):
            continue
        assert not codes.search(t["df"].to_csv()), name


def test_the_model_words_follow_the_fixed_effects(run):
    _, page, ns = run
    fe = ns["r"].spec.fe
    reading = plain(page.glued["estimates_reading"])
    if fe == "none":
        assert "within R²" not in reading and "R² " in reading and "main specification is pooled" in reading
        assert "for comparison only" not in reading and "pooled" in page.glued["model_fe"]
    else:
        assert "within R²" in reading and "for comparison only" in reading
        assert "pooled" not in page.glued["model_fe"]
    sc = plain(page.glued["sc_text"])
    if ns["sc"].available:
        assert ("within members" in sc) == (fe != "none") and ("across members" in sc) == (fe == "none")


def test_the_members_that_drop_are_named_from_the_sample(run):
    _, page, ns = run
    r, cov = ns["r"], ns["cov"]
    absent = sorted(set(cov["iso3"]) - set(cov.loc[cov["in_sample"], "iso3"]))
    text = plain(page.glued["cov_absent"])
    for iso in ds.RCEP:
        name = ds.display_name(iso)
        assert (name in text) == (iso in absent), (name, text)
    if not absent:
        assert text.startswith("Every selected member")
    assert page.glued["cov_countries"] == str(r.main_frame["iso3"].nunique())


def test_years_of_the_data_and_of_the_sample_are_not_confused(run):
    _, page, ns = run
    r = ns["r"]
    gdp = ds.load_table("wdi").query("indicator == 'NY.GDP.MKTP.CD' and iso3 in @r.countries")
    assert page.glued["gdp_last"] == str(int(gdp["year"].max()))
    assert page.glued["sample_end"] == str(r.params["end_year"])
    wto = ds.load_table("wto_dds_exports")
    assert page.glued["wto_years"].startswith(f"{wto['year'].min()}–{wto['year'].max()}")


def test_the_scenario_sentence_matches_the_member_and_its_last_year(run):
    _, page, ns = run
    sc, r = ns["sc"], ns["r"]
    text = plain(page.glued["sc_text"])
    name = ds.display_name(r.params["scenario_country"])
    assert name in text
    frame = r.main_frame
    own = frame[frame["iso3"] == r.params["scenario_country"]]
    if own.empty:
        assert not sc.available and "no scenario" in text
    else:
        assert sc.available and sc.t0 == int(own["year"].max()) and str(sc.t0) in text
        later = own["year"].max() < frame["year"].max() or (r.params["end_year"] > sc.t0)
        assert ("later years" in text) == bool(later and sc.t0 < r.params["end_year"])


def test_the_verdict_words_agree_everywhere(run):
    _, page, ns = run
    v = ns["verdicts"]
    table = page.tables["verdicts"]["df"]
    for claim in ("a", "b", "c"):
        assert page.glued[f"verdict_{claim}"] == v.claims[claim]
        assert f"**({claim}) {v.claims[claim]}**" in page.glued["closing_note"]
        assert f"Claim ({claim}), " in page.glued["key_findings"]
        assert f"is {v.claims[claim]}" in plain(page.glued["key_findings"])
        assert v.claims[claim] in page.glued["headline"]
    parts = ("log_gdp", "openness", "infrastructure", "log_ict", "heterogeneity")
    assert [re.sub(r"<[^>]+>", "", x) for x in table["verdict"]] == [v.parts[t].verdict for t in parts]
    for t in ("infrastructure", "log_ict"):
        if v.parts[t].verdict == "conflicting":
            assert "opposite directions" in plain(page.glued["b_reading"])


def test_rolling_windows_and_their_absence(run):
    _, page, ns = run
    r = ns["r"]
    frame = r.main_frame
    n_years = frame["year"].nunique()
    text = plain(page.glued["b_reading"])
    if n_years - r.params["window"] + 1 >= 2 and "rolling-windows" in page.figures:
        assert "windows" in text and "too short" not in text
    else:
        assert "too short" in text and "rolling-windows" not in page.figures


def test_the_grid_counts_add_up(run):
    _, page, ns = run
    grid, agreement = ns["grid"], ns["agreement"]
    assert page.glued["grid_n"] == str(len(grid))
    for rec in agreement.to_dict("records"):
        assert rec["for"] + rec["against"] + rec["open"] + rec["conflict"] + rec["not_estimable"] == rec["cells"]
    table = page.tables["robustness-grid"]["df"]
    assert len(table) == len(grid) and table["outcome"].str.contains(r"\[main\]").sum() == 1


def test_too_few_members_with_data_names_the_parameter(monkeypatch):
    # six members listed, but Viet Nam has no ICT service exports: five with data, refused before any work
    with pytest.raises(params.ParameterError, match="parameter 'countries'.*only 5 of the 6 members"):
        run_pathways(monkeypatch, countries=["CHN", "JPN", "KOR", "SGP", "MYS", "VNM"])


def test_a_scenario_member_outside_the_selection_is_reported(monkeypatch):
    from helpers.analysis import pathways_scenarios as scen
    from helpers.book.chapters import rcep_pathways_text as words

    sc = scen.ScenarioResult("AUS", False, "not_selected")
    spec = pp.Spec("wto_delivered", "dds_exports", "kof_KOFTrGIdj", "IT.NET.USER.ZS", "twoway")
    assert "not among the members selected" in words.scenario_unavailable(sc, spec)
    sc = scen.ScenarioResult("VNM", False, "not_in_sample", missing=("ccis",))
    assert "ICT service exports" in words.scenario_unavailable(sc, spec)
