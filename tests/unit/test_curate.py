"""`make data`: deterministic, validated before writing, and atomic on failure.

Runs on tests/fixtures/raw_mini, a small real subset of the raw extracts, so it needs no ../shared.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.data import curate, curate_tables, datastore
from helpers.data.datastore import DataValidationError

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "raw_mini"
REPO_DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def workspace(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURE, raw)
    data = tmp_path / "data"
    data.mkdir()
    for hand in curate.HAND_TABLES:
        shutil.copy2(REPO_DATA / f"{hand}.csv", data / f"{hand}.csv")
    return raw, data, tmp_path / "no-seeds"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_curation_is_deterministic_and_manifest_verifies(workspace):
    raw, data, seeds = workspace
    first = curate.curate(raw, data, seeds, log=lambda *_: None)
    snap1 = _snapshot(data)
    second = curate.curate(raw, data, seeds, log=lambda *_: None)
    assert first == second
    assert _snapshot(data) == snap1  # byte-identical
    names = datastore.verify_manifest(data)
    assert "wdi.csv" in names and "datapackage.json" in names
    # --check agrees that nothing is stale
    curate.curate(raw, data, seeds, check_only=True, log=lambda *_: None)


def test_values_are_carried_over_as_strings(workspace):
    raw, data, seeds = workspace
    curate.curate(raw, data, seeds, log=lambda *_: None)
    src = pd.read_csv(raw / "wdi" / "wdi_rcep.csv", dtype=str)
    out = pd.read_csv(data / "wdi.csv", dtype=str)
    merged = src.merge(out, on=["iso3", "year", "indicator"], suffixes=("_raw", "_cur"))
    assert len(merged) == len(src) == len(out)
    assert (merged["value_raw"] == merged["value_cur"]).all()


def test_bad_raw_input_fails_and_leaves_data_untouched(workspace):
    raw, data, seeds = workspace
    curate.curate(raw, data, seeds, log=lambda *_: None)
    before = _snapshot(data)
    path = raw / "wdi" / "wdi_rcep.csv"
    df = pd.read_csv(path, dtype=str)
    i = df.index[df["indicator"] == "BX.GSR.NFSV.CD"][0]
    df.loc[i, "value"] = "-1.0"  # a negative services export level
    df.to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(DataValidationError) as err:
        curate.curate(raw, data, seeds, log=lambda *_: None)
    assert "data/wdi.csv" in str(err.value) and "bounds" in str(err.value)
    assert _snapshot(data) == before
    assert not list(data.parent.glob(".curate-*"))  # no staging left behind


def test_unknown_indicator_in_raw_is_refused(workspace):
    raw, data, seeds = workspace
    path = raw / "wdi" / "wdi_rcep.csv"
    with open(path, "a") as fh:
        fh.write("CHN,2020,NEW.SERIES.CODE,1.0\n")
    with pytest.raises(ValueError, match="NEW.SERIES.CODE"):
        curate.curate(raw, data, seeds, log=lambda *_: None)
    assert not (data / "wdi.csv").exists()


def test_quotes_must_be_verbatim(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "s.txt").write_text("China 's service\ntrade grew 7.8 % a year.", encoding="utf-8")
    ok = pd.DataFrame({"seed_file": ["s.txt"], "quote": ["China 's service trade grew 7.8 % a year."]})
    curate.check_quotes(ok, "claims", seeds)
    bad = pd.DataFrame({"seed_file": ["s.txt"], "quote": ["China's service trade grew 7.8% a year."]})
    with pytest.raises(DataValidationError, match="not found verbatim"):
        curate.check_quotes(bad, "claims", seeds)


def test_top500_recount_matches_published_computation(workspace):
    raw, data, seeds = workspace
    out = curate_tables.build_top500(raw)
    wld = out[out["iso3"] == "WLD"]
    assert (wld["n_systems"].astype(int) == 500).all()
    per_list = out[out["iso3"] != "WLD"].groupby("list_date")["rmax_share_pct"].apply(lambda s: s.astype(float).sum())
    assert (per_list <= 100 + 1e-6).all()
    # a tampered COMPUTED file must be caught
    comp = raw / "compute" / "top500_country_by_list_COMPUTED.csv"
    df = pd.read_csv(comp, dtype=str)
    df.loc[df["country"] == "China", "n_systems"] = "999"
    df.to_csv(comp, index=False)
    with pytest.raises(ValueError, match="disagrees"):
        curate_tables.build_top500(raw)
