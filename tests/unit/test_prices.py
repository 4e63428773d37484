"""data/prices.csv: curated from sources/prices/ exactly, validated, and refused when an extract is malformed."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from helpers.data import curate_prices, datastore, paths


def test_curated_prices_carry_the_extracts_values_as_written():
    out = curate_prices.build_prices()
    cpi = pd.read_csv(curate_prices.sources_dir() / curate_prices.CPI_FILE, dtype=str)
    got = out[out["index_id"] == "us_cpi_u"]
    assert got["year"].tolist() == cpi["year"].tolist() and got["value"].tolist() == cpi["value"].tolist()
    defl = pd.read_csv(curate_prices.sources_dir() / curate_prices.DEFLATOR_FILE, dtype=str)
    got = out[out["index_id"] == "us_gdp_deflator"]
    assert got["value"].tolist() == defl["ny_gdp_defl_zs"].tolist()


def test_the_committed_table_is_what_make_data_writes():
    committed = pd.read_csv(paths.data_dir() / "prices.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(committed, curate_prices.build_prices())


def test_prices_load_validated_with_their_coverage():
    p = datastore.load_table("prices")
    assert set(p["index_id"]) == {"us_cpi_u", "us_gdp_deflator"}
    cpi = p[p["index_id"] == "us_cpi_u"].set_index("year")["value"]
    assert (cpi.index.min(), cpi.index.max()) == (2005, 2025)
    assert cpi[2019] == pytest.approx(255.657)


@pytest.fixture
def repo_copy(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    shutil.copytree(curate_prices.sources_dir(), root / "sources" / "prices")
    monkeypatch.setenv("REPORT_ROOT", str(root))
    return root / "sources" / "prices"


def test_an_extract_with_another_series_is_refused(repo_copy):
    path = repo_copy / curate_prices.CPI_FILE
    path.write_text(path.read_text(encoding="utf-8") + "CUSR0000SA0,2025,322.0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="CUSR0000SA0"):
        curate_prices.build_prices()


def test_a_renamed_column_is_refused(repo_copy):
    path = repo_copy / curate_prices.DEFLATOR_FILE
    text = path.read_text(encoding="utf-8").replace("ny_gdp_defl_zs", "deflator", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="columns"):
        curate_prices.build_prices()


def test_a_missing_extract_names_its_path(repo_copy):
    (repo_copy / curate_prices.CPI_FILE).unlink()
    with pytest.raises(FileNotFoundError, match="bls_cpi_u_annual_average.csv"):
        curate_prices.build_prices()
