"""The transcriptions quote the seeds verbatim (whitespace collapsed), checked against tests/fixtures/seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.data import curate, datastore
from helpers.data.datastore import DataValidationError

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


@pytest.mark.parametrize("table", ["claims", "seed_values"])
def test_every_quote_is_verbatim(table):
    curate.check_quotes(datastore.load_table(table), table, SEEDS)


def test_a_misquote_is_caught():
    claims = datastore.load_table("claims").head(1).copy()
    claims["quote"] = claims["quote"].str.replace("China", "Chlna", regex=False) + " (sic)"
    with pytest.raises(DataValidationError, match="not found verbatim"):
        curate.check_quotes(claims, "claims", SEEDS)


def test_fixture_copies_match_the_seed_files_they_stand_for():
    # Every seed the register cites is here, and nothing else is.
    cited = set(datastore.load_table("claims")["seed_file"])
    assert cited == {p.name for p in SEEDS.glob("*.txt")}
    assert all(len((SEEDS / f).read_text(encoding="utf-8")) > 1000 for f in cited)
