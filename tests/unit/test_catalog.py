"""The data appendix: the catalogue's frames (helpers.data.catalog) and the page's sections, sentences and
known limits (helpers.book.chapters.data_methods), for the full selection and a narrow one."""

import pandas as pd
import pytest

from helpers.book.chapters import data_methods as show
from helpers.data import catalog, datastore
from tests.fakes import FakePage, glue_keys_in_prose


def test_overview_lists_every_table_with_provenance():
    ov = catalog.tables_overview()
    assert len(ov) == len(catalog.RESOURCES)
    assert (ov["rows"] > 0).all()
    assert ov["licence"].str.len().gt(0).all() and ov["vintage"].str.len().gt(0).all()
    assert list(catalog.tables_overview(["wdi"])["table"]) == ["wdi.csv"]


def test_presence_keeps_gaps_as_zero_cells():
    cov = catalog.presence("unctad_dds")
    # THA exports are missing 2019-2023 in the UNCTAD extract: half the flows present
    tha = cov[(cov["iso3"] == "THA") & (cov["year"] == 2020)]
    assert tha["present"].iloc[0] == 1 and tha["share"].iloc[0] == pytest.approx(0.5)
    # Viet Nam 2016: neither flow
    vnm = cov[(cov["iso3"] == "VNM") & (cov["year"] == 2016)]
    assert vnm["present"].iloc[0] == 0
    # every economy x year cell exists exactly once
    assert not cov.duplicated(["iso3", "year"]).any()
    assert len(cov) == cov["iso3"].nunique() * cov["year"].nunique()


def test_world_dropped_only_where_the_table_has_none():
    assert "WLD" not in set(catalog.presence("openness")["iso3"])
    assert "WLD" in set(catalog.presence("wdi")["iso3"])


def test_coverage_title_names_the_least_covered():
    cov = pd.DataFrame({"economy": ["A", "A", "B", "B"], "share": [1.0, 1.0, 0.0, 0.5]})
    assert show.coverage_title(cov, "X").endswith("least covered: B")
    full = pd.DataFrame({"economy": ["A"], "share": [1.0]})
    assert "every economy-year" in show.coverage_title(full, "X")


def test_gaps_summary_reports_holes_inside_the_span():
    cov = pd.DataFrame(
        {
            "iso3": ["V"] * 4,
            "economy": ["V"] * 4,
            "year": [2014, 2015, 2016, 2017],
            "present": [2, 0, 0, 1],
            "possible": [2] * 4,
            "share": [1, 0, 0, 0.5],
        }
    )
    g = catalog.gaps_summary(cov)
    assert g.loc[0, "empty years inside"] == "2015, 2016"


def test_wdi_latest_coverage_matches_the_data():
    latest = catalog.wdi_latest_coverage().set_index("indicator")
    wdi = datastore.load_table("wdi")
    rd = wdi[wdi["indicator"] == "GB.XPD.RSDV.GD.ZS"]
    assert latest.loc["GB.XPD.RSDV.GD.ZS", "latest year"] == rd["year"].max()
    assert latest.loc["BX.GSR.CCIS.CD", "members without"].count("VNM") == 1
    assert "VNM" in latest.loc["BX.GSR.CCIS.CD", "members never"]  # Viet Nam has no ICT breakdown at all


def test_unknown_table_has_no_map():
    with pytest.raises(datastore.DataRequestError):
        catalog.presence("claims")


def test_top500_calendar_gaps_are_the_lists_missing_from_the_data():
    obtained, missing = catalog.top500_lists()
    t = datastore.load_table("top500_country")
    assert obtained == sorted(set(t["list_date"]))
    assert not set(missing) & set(obtained) and all(m[5:] in ("06", "11") for m in missing)
    assert obtained[0] < min(missing) and max(missing) < obtained[-1]


def test_openness_last_years_follow_the_table():
    years = catalog.openness_last_years()
    o = datastore.load_table("openness")
    assert years["KOF"] == int(o[o["measure"].str.startswith("kof_")]["year"].max())
    assert set(years) == set(datastore.load_table("openness_measures")["source"])


# --------------------------------------------------------------------------- the page


def test_notes_read_with_names_not_codes():
    assert show.readable("VNM missing; BRN gap 2010-14.") == "Viet Nam missing; Brunei gap 2010-14."
    assert "NY.GDP.PCAP.CD" not in show.readable("do not mix with NY.GDP.PCAP.CD in ratios")


def test_known_limits_are_computed_from_the_tables():
    latest = catalog.wdi_latest_coverage()
    _, missing = catalog.top500_lists()
    limits = show.limits_list(latest, missing, catalog.openness_last_years(), catalog.presence("unctad_dds"))
    text = " ".join(limits)
    assert f"Most WDI indicators reach {int(latest['latest year'].max())}" in text
    rd = latest.set_index("indicator").loc["GB.XPD.RSDV.GD.ZS"]
    assert f"{rd['name']} in {rd['latest year']}" in text
    assert "Thailand 2019–2023" in text  # UNCTAD exports missing (a gap listed in the provenance)
    assert f"{len(missing)} lists of the calendar" in text
    assert "Viet Nam has no value at all" in text


@pytest.mark.parametrize("tables", [[], ["claims"], ["wdi", "top500_country"]])
def test_every_key_the_prose_uses_exists_for_any_selection(tables):
    page = FakePage()
    r = show.prepare({"tables": tables})
    show.scope(page, r)
    show.overview(page, r, catalog.tables_overview(list(r.tables)))
    show.fields(page, catalog.all_fields(list(r.tables)))
    maps = {name: catalog.presence(name) for name, _, _ in show.MAPS if name in r.tables}
    show.coverage(page, r, maps)
    latest = catalog.wdi_latest_coverage()
    show.wdi_latest(page, r, latest)
    _, missing = catalog.top500_lists()
    show.limits(page, latest, missing, catalog.openness_last_years(), catalog.presence("unctad_dds"))
    found = show.findings(r, maps, latest, missing)
    keys = glue_keys_in_prose("data_methods")
    assert keys - {"key_findings", "title"} <= set(page.glued)
    assert 1 <= len(found) <= 5 and len(page.tables["tables"]["df"]) == len(r.tables)
    if tables == ["claims"]:
        assert page.glued["fig-coverage-wdi"] == "not shown for this selection" and len(page.notes) == 5
        n_tables = len(datastore.datapackage()["resources"])
        assert page.glued["selection"] == f"1 of the {n_tables} tables (claims.csv)"
