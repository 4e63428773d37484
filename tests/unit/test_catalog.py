import pandas as pd
import pytest

from helpers.data import catalog
from helpers.data import datastore


def test_overview_lists_every_table_with_provenance():
    ov = catalog.tables_overview(links=False)
    assert len(ov) == len(catalog.RESOURCES)
    assert (ov["rows"] > 0).all()
    assert ov["licence"].str.len().gt(0).all() and ov["vintage"].str.len().gt(0).all()
    linked = catalog.tables_overview(["wdi"])
    assert linked["table"].iloc[0].startswith('<a href="../_static/data/wdi.csv"')


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
    assert catalog.coverage_title(cov, "X").endswith("least covered: B")
    full = pd.DataFrame({"economy": ["A"], "share": [1.0]})
    assert "every economy-year" in catalog.coverage_title(full, "X")


def test_gaps_summary_reports_holes_inside_the_span():
    cov = pd.DataFrame({"iso3": ["V"] * 4, "economy": ["V"] * 4, "year": [2014, 2015, 2016, 2017],
                        "present": [2, 0, 0, 1], "possible": [2] * 4, "share": [1, 0, 0, 0.5]})
    g = catalog.gaps_summary(cov)
    assert g.loc[0, "empty years inside"] == "2015, 2016"


def test_wdi_latest_coverage_matches_the_data():
    latest = catalog.wdi_latest_coverage().set_index("indicator")
    wdi = datastore.load_table("wdi")
    rd = wdi[wdi["indicator"] == "GB.XPD.RSDV.GD.ZS"]
    assert latest.loc["GB.XPD.RSDV.GD.ZS", "latest year"] == rd["year"].max()
    assert latest.loc["BX.GSR.CCIS.CD", "members without"].count("VNM") == 1


def test_unknown_table_has_no_map():
    with pytest.raises(datastore.DataRequestError):
        catalog.presence("claims")
