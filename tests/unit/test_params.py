"""Parameter validation: every kind of bad value is refused with the parameter named."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from helpers.book import params
from helpers.book.params import ParameterError

CHAPTERS_DIR = Path(__file__).resolve().parents[2] / "chapters"


def test_defaults_are_valid_for_every_chapter():
    for chapter in params.CHAPTERS:
        assert params.validate(chapter, {}) == params.validate(chapter, params.defaults(chapter))


@pytest.mark.parametrize("chapter, values, name, fragment", [
    ("china_scale", {"contry": "KOR"}, "contry", "did you mean 'country'"),
    ("china_scale", {"start_year": "2010"}, "start_year", "expected an integer"),
    ("china_scale", {"start_year": 2015, "end_year": 2010}, "start_year", "must not be after"),
    ("china_scale", {"start_year": 1980}, "start_year", "outside the allowed range"),
    ("china_scale", {"end_year": 2030}, "end_year", "outside the allowed range"),
    ("china_scale", {"country": "XYZ"}, "country", "unknown ISO3 code"),
    ("china_scale", {"country": "USA"}, "country", "unknown ISO3 code"),  # not an RCEP member
    ("china_scale", {"peers": ["KOR", "ZZZ"]}, "peers", "unknown ISO3"),
    ("china_scale", {"peers": "KOR,JPN"}, "peers", "unknown ISO3"),
    ("global_trends", {"unit": "usd_trn"}, "unit", "allowed: usd_bn, usd_100m"),
    ("global_trends", {"base_year": 2025, "end_year": 2024}, "base_year", "within"),
    ("global_trends", {"top_n": True}, "top_n", "expected an integer"),
    ("ai_infrastructure", {"indicators": ["IT.NET.USER.ZS", "NOPE"]}, "indicators", "unknown value"),
    ("rcep_pathways", {"fixed_effects": "random"}, "fixed_effects", "allowed"),
])
def test_bad_values_are_named(chapter, values, name, fragment):
    with pytest.raises(ParameterError) as err:
        params.validate(chapter, values)
    assert err.value.name == name
    assert f"parameter '{name}'" in str(err.value) and fragment in str(err.value)


def test_unknown_chapter():
    with pytest.raises(ParameterError, match="unknown chapter.*china_scale"):
        params.validate("china_scal")


def test_cli_values_parse_as_yaml():
    assert params.parse_cli_value("2012") == 2012
    assert params.parse_cli_value("KOR") == "KOR"
    assert params.parse_cli_value("[KOR, JPN]") == ["KOR", "JPN"]
    assert params.parse_cli_value("{low: 1, high: 2}") == {"low": 1, "high": 2}


def _parameters_cell(nb_path: Path) -> dict:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"{nb_path.name}: exactly one cell must be tagged 'parameters'"
    src = "".join(cells[0]["source"])
    out = {}
    for node in ast.parse(src).body:
        if isinstance(node, ast.Assign):
            out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


@pytest.mark.parametrize("chapter", params.CHAPTERS)
def test_notebook_defaults_match_the_specification(chapter):
    assert _parameters_cell(CHAPTERS_DIR / f"{chapter}.ipynb") == params.defaults(chapter)
