"""Loading and validation of the curated tables: every kind of corruption gets one clear error."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from helpers.data import datastore
from helpers.data.datastore import DataRequestError, DataValidationError


def _rewrite(root, name, mutate, fix_manifest=True):
    """Apply ``mutate`` to the CSV text of data/<name> and (optionally) re-sign it in the manifest."""
    path = root / "data" / name
    text = mutate(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    if fix_manifest:
        manifest = root / "data" / "SHA256SUMS"
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines = [f"{digest}  {name}" if ln.endswith(f"  {name}") else ln for ln in manifest.read_text().splitlines()]
        manifest.write_text("\n".join(lines) + "\n")


def _replace_line(n, new):
    def mutate(text):
        lines = text.split("\n")
        lines[n] = new(lines[n])
        return "\n".join(lines)

    return mutate


def test_committed_data_validate():
    names = datastore.validate_all()
    assert "wdi" in names and "claims" in names


@pytest.mark.parametrize(
    "name, mutate, column, check_word",
    [
        # 1 missing column
        ("wdi.csv", lambda t: "\n".join(",".join(ln.split(",")[:3]) for ln in t.split("\n")), "value", "missing"),
        # 2 extra column
        ("wdi.csv", lambda t: "\n".join((ln + ",x") if ln else ln for ln in t.split("\n")), "x", "unexpected"),
        # 3 wrong type
        ("wdi.csv", _replace_line(5, lambda ln: ln.replace(ln.split(",")[1], "20x1", 1)), "year", "wrong type"),
        # 4 duplicate key
        ("wdi.csv", lambda t: t.replace("\n", "\n" + t.split("\n")[1] + "\n", 1), None, "duplicate"),
        # 5 unknown ISO3
        ("wdi.csv", _replace_line(3, lambda ln: "XXX" + ln[3:]), "iso3", "known_iso3"),
        # 6 negative trade level
        (
            "unctad_dds.csv",
            _replace_line(2, lambda ln: ",".join(ln.split(",")[:3] + ["-5.0"])),
            "value_usd_mn",
            "greater_than_or_equal_to",
        ),
        # 7 year outside the table's coverage
        ("wdi.csv", _replace_line(4, lambda ln: ln.replace(ln.split(",")[1], "2031", 1)), "year", "coverage"),
        # 8 required value missing
        ("unctad_dds.csv", _replace_line(2, lambda ln: ",".join(ln.split(",")[:3] + [""])), "value_usd_mn", "missing"),
        # 9 value not in the enumeration
        (
            "unctad_dds.csv",
            _replace_line(2, lambda ln: ln.replace("exports", "exportz").replace("imports", "importz")),
            "flow",
            "isin",
        ),
        # 10 share outside 0-100 (per-indicator bounds)
        ("openness.csv", _replace_line(2, lambda ln: ",".join(ln.split(",")[:3] + ["250"])), "value", "bounds"),
    ],
    ids=[
        "missing-column",
        "extra-column",
        "wrong-type",
        "duplicate-key",
        "unknown-iso3",
        "negative-level",
        "year-outside",
        "missing-required",
        "bad-enum",
        "share-out-of-range",
    ],
)
def test_corruption_is_reported(data_root, name, mutate, column, check_word):
    before = {p.name: p.read_bytes() for p in (data_root / "data").iterdir()}
    _rewrite(data_root, name, mutate)
    table = name.removesuffix(".csv")
    with pytest.raises(DataValidationError) as err:
        datastore.load_table(table)
    msg = str(err.value)
    assert f"data/{name}" in msg
    assert check_word in msg
    if column:
        assert err.value.column == column
        assert f"'{column}'" in msg
    after = {p.name: p.read_bytes() for p in (data_root / "data").iterdir()}
    assert set(after) == set(before)  # loading never writes into data/


def test_first_bad_rows_are_listed_with_line_numbers(data_root):
    _rewrite(data_root, "wdi.csv", _replace_line(7, lambda ln: "XXX" + ln[3:]))
    with pytest.raises(DataValidationError) as err:
        datastore.load_table("wdi")
    assert "line 8:" in str(err.value)
    assert err.value.rows is not None and list(err.value.rows["csv_line"]) == [8]


def test_share_bounds_are_per_indicator(data_root):
    # A transport share of 150 % is impossible, though 150 is fine for trade in % of GDP.
    def mutate(text):
        lines = text.split("\n")
        i = next(i for i, ln in enumerate(lines) if ",BX.GSR.TRAN.ZS," in ln)
        parts = lines[i].split(",")
        lines[i] = ",".join(parts[:3] + ["150"])
        return "\n".join(lines)

    _rewrite(data_root, "wdi.csv", mutate)
    with pytest.raises(DataValidationError, match="bounds"):
        datastore.load_table("wdi")


def test_checksum_mismatch(data_root):
    _rewrite(data_root, "countries.csv", lambda t: t.replace("Australia", "Austrlia"), fix_manifest=False)
    with pytest.raises(DataValidationError, match="checksum mismatch") as err:
        datastore.load_table("countries")
    assert "data/countries.csv" in str(err.value)


def test_missing_file_and_manifest(data_root):
    (data_root / "data" / "wto_headlines.csv").unlink()
    with pytest.raises(DataValidationError, match="missing"):
        datastore.load_table("wto_headlines")
    (data_root / "data" / "SHA256SUMS").unlink()
    with pytest.raises(DataValidationError, match="manifest is missing"):
        datastore.load_table("countries")


def test_requests_for_absent_data_raise():
    with pytest.raises(DataRequestError, match="not in data/wdi.csv"):
        datastore.load_wdi("NOT.AN.INDICATOR")
    with pytest.raises(DataRequestError, match=r"no observations .*VNM"):
        datastore.load_wdi("BX.GSR.CCIS.CD", ["VNM"])  # Viet Nam has no ICT detail
    with pytest.raises(DataRequestError, match="unknown ISO3"):
        datastore.load_wdi("BX.GSR.NFSV.CD", ["ZZZ"])
    with pytest.raises(DataRequestError, match="reversed"):
        datastore.load_wdi("BX.GSR.NFSV.CD", ["CHN"], years=(2020, 2010))
    with pytest.raises(DataRequestError, match="no observations"):
        datastore.load_wdi("GB.XPD.RSDV.GD.ZS", ["CHN"], years=(2022, 2024))  # R&D ends 2018
    with pytest.raises(DataRequestError, match="series"):
        datastore.load_seed_table("no_such_series")


def test_loaders_return_gaps_as_gaps():
    df = datastore.load_wdi(["BX.GSR.NFSV.CD", "BX.GSR.CCIS.CD"], ["CHN", "VNM"], years=(2015, 2020), wide=True)
    vnm = df[df["iso3"] == "VNM"]
    assert vnm["BX.GSR.NFSV.CD"].notna().all()
    assert vnm["BX.GSR.CCIS.CD"].isna().all()  # not filled
    assert set(df["year"]) <= set(range(2015, 2021))


def test_country_groups_and_names():
    g = datastore.country_groups()
    assert len(g["rcep"]) == 15 and "CHN" in g["rcep"]
    assert set(g["high_income_rcep"]) | set(g["other_rcep"]) == set(g["rcep"])
    assert not set(g["high_income_rcep"]) & set(g["other_rcep"])
    assert set(g["comparators"]) == {"USA", "IND", "GBR", "DEU"}
    assert datastore.display_name("KOR") == "Korea"
    with pytest.raises(DataRequestError):
        datastore.display_name("ZZZ")


def test_every_wdi_indicator_has_metadata_and_units():
    meta = datastore.indicator_meta()
    wdi = datastore.load_table("wdi")
    assert set(wdi["indicator"]) <= set(meta.index)
    assert meta["unit"].str.len().gt(0).all()


def test_datapackage_matches_schemas():
    from helpers.data.curate import datapackage_dict

    pkg = datastore.datapackage()
    cov = {r["name"]: r["coverage"] for r in pkg["resources"]}
    assert pkg == datapackage_dict(cov)
    names = [r["name"] for r in pkg["resources"]]
    assert all(r["licenses"] and r["sources"] and r["vintage"] for r in pkg["resources"]), names


def test_seed_values_link_to_claims():
    sv = datastore.load_table("seed_values")
    cl = datastore.load_table("claims")
    linked = sv["claim_id"].dropna()
    assert set(linked) <= set(cl["claim_id"])
    t1 = datastore.load_seed_table(["world_goods_exports", "world_services_exports", "world_dds_exports"])
    assert (t1["unit"] == "usd_100m").all() and len(t1) == 21
    assert pd.api.types.is_float_dtype(t1["value"])


def test_derived_results_follow_the_data_and_are_copies(data_root):
    calls = []

    @datastore.derived("countries")
    def names(prefix=""):
        calls.append(prefix)
        return datastore.load_table("countries")["name"].map(lambda n: prefix + n)

    first = names()
    first.iloc[0] = "changed by the caller"
    assert names().iloc[0] != "changed by the caller" and calls == [""]  # kept, and handed out as a copy
    names("x ")
    assert calls == ["", "x "]  # one result per argument list
    _rewrite(data_root, "countries.csv", lambda t: t.replace("Australia", "Austrlia"))
    assert "Austrlia" in set(names()) and calls == ["", "x ", ""]  # new content: computed again
    _rewrite(data_root, "countries.csv", lambda t: t.replace("Austrlia", "Australia2"), fix_manifest=False)
    with pytest.raises(DataValidationError, match="checksum mismatch"):
        names()  # the checksum is still verified on every call
    with pytest.raises(KeyError, match="unknown table"):
        datastore.derived("no_such_table")
