"""Parameter specs and single-parameter validation: every kind of bad value is refused with the parameter
named and a message that helps. Cross-parameter rules: test_params_rules.py; editions: test_editions.py."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from helpers import registry
from helpers.book import params
from helpers.book.params import BrokenYAML, Param, ParameterError

CHAPTERS_DIR = Path(__file__).resolve().parents[2] / "chapters"


# --------------------------------------------------------------------------- the registry drives the specs


def test_specs_follow_the_registry_order_and_cover_exactly_the_executed_chapters():
    assert list(params.SPECS) == [c.name for c in registry.CHAPTERS if c.executed]
    assert params.CHAPTERS == tuple(params.SPECS)


def _chapter(name: str, executed: bool = True) -> registry.Chapter:
    return registry.Chapter(name, name.title(), "9", registry.REPORT, executed=executed)


def test_a_registered_chapter_without_a_spec_stops_the_import_naming_it():
    with pytest.raises(RuntimeError, match=r"\['new_chapter'\] of helpers.registry have no parameter spec"):
        params.specs_from_registry({"global_trends": []}, [_chapter("global_trends"), _chapter("new_chapter")])


def test_a_spec_without_an_executed_chapter_stops_the_import_naming_it():
    with pytest.raises(RuntimeError, match=r"\['intro'\] name no executed chapter"):
        params.specs_from_registry(
            {"intro": [], "global_trends": []}, [_chapter("intro", executed=False), _chapter("global_trends")]
        )


def test_a_chapter_without_parameters_is_accepted(monkeypatch):
    declared = {"intro": [], **{c: params.SPECS[c] for c in params.SPECS}}
    chapters = [_chapter("intro")] + [c for c in registry.CHAPTERS if c.executed]
    specs = params.specs_from_registry(declared, chapters)
    assert list(specs)[0] == "intro" and specs["intro"] == []
    monkeypatch.setattr(params, "SPECS", specs)
    assert params.validate("intro", {}) == {} and params.defaults("intro") == {}
    with pytest.raises(ParameterError, match="this chapter has no parameters"):
        params.validate("intro", {"country": "KOR"})
    assert "(no parameters)" in params.describe("intro")


def test_defaults_are_valid_for_every_chapter():
    for chapter in params.CHAPTERS:
        assert params.validate(chapter, {}) == params.validate(chapter, params.defaults(chapter))


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


# --------------------------------------------------------------------------- one parameter at a time


@pytest.mark.parametrize(
    "chapter, values, name, fragment",
    [
        ("china_scale", {"contry": "KOR"}, "contry", "did you mean 'country'"),
        ("china_scale", {"start_year": "2010"}, "start_year", "expected an integer"),
        ("china_scale", {"start_year": 1980}, "start_year", "outside the allowed range"),
        ("china_scale", {"end_year": 2030}, "end_year", "outside the allowed range"),
        ("china_scale", {"country": "XYZ"}, "country", "unknown ISO3 code 'XYZ'"),
        ("china_scale", {"country": "kor"}, "country", "did you mean 'KOR'"),
        ("china_scale", {"country": "USA"}, "country", "USA (United States) is not an RCEP member; members: AUS, BRN,"),
        ("ai_infrastructure", {"countries": ["KOR", "USA"]}, "countries", "USA (United States) is not an RCEP member"),
        (
            "ai_infrastructure",
            {"countries": ["USA", "IND"]},
            "countries",
            "USA (United States) is not an RCEP member, nor is IND (India); members: AUS,",
        ),
        ("rcep_pathways", {"scenario_country": "IND"}, "scenario_country", "IND (India) is not an RCEP member"),
        ("china_scale", {"peers": ["KOR", "ZZZ", "USA", "QQQ"]}, "peers", "unknown ISO3 code(s) ['ZZZ', 'QQQ']"),
        ("china_scale", {"peers": ["FRA"]}, "peers", "FRA (France) is not an economy of data/wdi.csv"),
        ("china_scale", {"peers": "KOR,JPN"}, "peers", "is one string; write a list in brackets, e.g. [KOR,JPN]"),
        ("china_scale", {"peers": ["KOR", "KOR"]}, "peers", "KOR listed twice"),
        ("china_scale", {"peers": [1, 2]}, "peers", "expected a list of strings"),
        ("global_trends", {"unit": "usd_trn"}, "unit", "allowed: usd_bn, usd_100m"),
        ("global_trends", {"top_n": True}, "top_n", "expected an integer"),
        ("global_trends", {"top_n": 8.0}, "top_n", "expected an integer"),
        ("ai_infrastructure", {"indicators": ["IT.NET.USER.ZS", "NOPE"]}, "indicators", "unknown value(s) ['NOPE']"),
        ("ai_infrastructure", {"indicators": []}, "indicators", "must not be empty; allowed: IT."),
        ("rcep_pathways", {"fixed_effects": "random"}, "fixed_effects", "allowed: none, country, twoway"),
        ("rcep_pathways", {"gdp_growth": [1, 2, 3]}, "gdp_growth", "expected a mapping like {low: 2, central: 4"),
        (
            "rcep_pathways",
            {"gdp_growth": {"low": 1, "high": 2}},
            "gdp_growth",
            "expected exactly the keys low, central, high",
        ),
        (
            "rcep_pathways",
            {"gdp_growth": {"low": 1, "central": 2, "high": 3, "peak": 4}},
            "gdp_growth",
            "got low, central, high, peak",
        ),
        (
            "rcep_pathways",
            {"openness_change": {"low": "a", "central": 2, "high": 3}},
            "openness_change",
            "the value of 'low' must be a number",
        ),
        ("claims_audit", {"seeds": ["S009"]}, "seeds", "give a seed's short id (000 or S000) or its file name"),
        ("claims_audit", {"chapters": ["china"]}, "chapters", "unknown value(s) ['china']"),
        ("data_methods", {"tables": ["wdi", "nope"]}, "tables", "unknown value(s) ['nope']"),
    ],
)
def test_bad_values_are_named(chapter, values, name, fragment):
    with pytest.raises(ParameterError) as err:
        params.validate(chapter, values)
    assert err.value.name == name and err.value.chapter == chapter
    assert str(err.value).startswith(f"chapter '{chapter}', parameter '{name}': ")
    assert fragment in str(err.value), str(err.value)


def test_unknown_chapter():
    with pytest.raises(ParameterError, match="unknown chapter.*china_scale"):
        params.validate("china_scal")


_EVERY_PARAMETER = [(c, p.name) for c in params.CHAPTERS for p in params.SPECS[c]]


@pytest.mark.parametrize("text", [".nan", ".inf", "-.inf"])
@pytest.mark.parametrize("chapter, name", _EVERY_PARAMETER, ids=[f"{c}-{n}" for c, n in _EVERY_PARAMETER])
def test_non_finite_values_are_refused_for_every_parameter(chapter, name, text):
    value = params.parse_cli_value(text)
    with pytest.raises(ParameterError) as err:
        params.validate(chapter, {name: value})
    assert err.value.name == name
    assert "not a finite number (.nan and .inf are not allowed)" in str(err.value)


@pytest.mark.parametrize("text", [".nan", ".inf", "-.inf"])
def test_non_finite_numbers_inside_a_mapping_are_refused(text):
    value = params.parse_cli_value(f"{{low: {text}, central: 1, high: 2}}")
    with pytest.raises(ParameterError, match="infrastructure_change.*not a finite number"):
        params.validate("rcep_pathways", {"infrastructure_change": value})


def test_cli_values_parse_as_yaml():
    assert params.parse_cli_value("2012") == 2012
    assert params.parse_cli_value("KOR") == "KOR"
    assert params.parse_cli_value("[KOR, JPN]") == ["KOR", "JPN"]
    assert params.parse_cli_value("{low: 1, high: 2}") == {"low": 1, "high": 2}


@pytest.mark.parametrize(
    "chapter, name, text, shown",
    [
        ("ai_infrastructure", "countries", "[CHN, KOR", "'[CHN, KOR' is not valid YAML (expected ',' or ']'"),
        ("rcep_pathways", "gdp_growth", "{low: 1, central: 2", "'{low: 1, central: 2' is not valid YAML"),
        ("china_scale", "country", "a: b: c", "'a: b: c' is not valid YAML"),
    ],
)
def test_broken_yaml_is_reported_as_broken_yaml_for_its_parameter(chapter, name, text, shown):
    value = params.parse_cli_value(text)
    assert isinstance(value, BrokenYAML) and value.text == text
    with pytest.raises(ParameterError) as err:
        params.validate(chapter, {name: value})
    assert err.value.name == name and shown in str(err.value)


def test_long_lists_of_allowed_values_are_cut_and_point_to_the_full_list(capsys):
    with pytest.raises(ParameterError) as err:
        params.validate("rcep_pathways", {"openness_measure": "kof_trade"})
    msg = str(err.value)
    allowed = params.spec("rcep_pathways")["openness_measure"].allowed()
    assert len(allowed) > params.LIST_LIMIT
    assert f"({len(allowed)} in all; list them with `python -m helpers.book.params rcep_pathways`)" in msg
    assert allowed[-1] not in msg
    assert params.main(["rcep_pathways"]) == 0  # the command the message names lists every value
    listed = capsys.readouterr().out
    assert all(a in listed for a in allowed)


def test_short_lists_are_given_whole():
    with pytest.raises(ParameterError) as err:
        params.validate("china_scale", {"country": "USA"})
    assert ", ".join(params.spec("china_scale")["country"].allowed()) in str(err.value)
    assert "in all" not in str(err.value)


@pytest.mark.parametrize("given", ["000", "S000", "s000", 0, "000_3d25ae1af6db2194", "000_3d25ae1af6db2194.txt"])
def test_seeds_can_be_named_by_short_id(given):
    assert params.validate("claims_audit", {"seeds": [given]})["seeds"] == ["000_3d25ae1af6db2194.txt"]


def test_seed_short_ids_from_the_command_line():
    value = params.parse_cli_value("[000, S001, 002_c698132d86144a3a.txt]")  # YAML reads 000 as the number 0
    assert params.validate("claims_audit", {"seeds": value})["seeds"] == [
        "000_3d25ae1af6db2194.txt",
        "001_57abebf4787efbc5.txt",
        "002_c698132d86144a3a.txt",
    ]


@pytest.mark.parametrize("given", ["000_ffff.txt", "S0001", 7, "S007"])
def test_a_seed_id_that_names_no_seed_is_refused(given):
    with pytest.raises(ParameterError, match="seeds"):
        params.validate("claims_audit", {"seeds": [given]})


def test_main_reports_an_unknown_chapter(capsys):
    assert params.main(["nope"]) == 2
    assert "unknown chapter" in capsys.readouterr().err


def test_param_without_choices_or_range_is_described():
    p = Param("x", "int", 1, "a number")
    assert p.allowed() is None and p.range() is None
