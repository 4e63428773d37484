"""Editions (editions/*.yml, helpers.book.params.load_edition): parameters for several chapters in one YAML
file, checked with the same rules as ``-p``; anything wrong names the file, the chapter and the parameter."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import registry
from helpers.book import params
from helpers.book.params import EditionError, ParameterError

EDITIONS = Path(__file__).resolve().parents[2] / "editions"


def _edition(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "edition.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_edition_is_every_chapter_at_its_defaults():
    assert params.load_edition(EDITIONS / "default.yml") == {}


def test_the_korea_edition_puts_korea_wherever_a_chapter_has_a_focus_economy():
    edition = params.load_edition(EDITIONS / "korea.yml")
    focus = {c.name: c.focus for c in registry.CHAPTERS if c.focus}
    assert focus  # the registry names the focus parameter of china_scale and structure
    for chapter, name in focus.items():
        assert edition[chapter][name] == "KOR", chapter
    assert edition["rcep_pathways"]["scenario_country"] == "KOR"
    assert "KOR" not in edition["china_scale"]["peers"]
    for chapter, overrides in edition.items():  # valid with the rules of -p, the rest at defaults
        assert params.validate(chapter, overrides) == {**params.defaults(chapter), **overrides}


def test_every_shipped_edition_loads():
    files = sorted(EDITIONS.glob("*.yml"))
    assert {f.name for f in files} >= {"default.yml", "korea.yml"}
    for f in files:
        params.load_edition(f)


def test_values_are_cleaned_as_with_minus_p(tmp_path):
    path = _edition(tmp_path, "claims_audit:\n  seeds: [000, S003]\nstructure:\n")
    assert params.load_edition(path) == {
        "claims_audit": {"seeds": ["000_3d25ae1af6db2194.txt", "003_7ed7f3c30ba74b4d.txt"]},
        "structure": {},  # a chapter with nothing under it: its defaults
    }


def test_an_empty_file_is_the_default_edition(tmp_path):
    assert params.load_edition(_edition(tmp_path, "# nothing\n")) == {}


@pytest.mark.parametrize(
    "text, chapter, name, fragment",
    [
        ("china_scal:\n  country: KOR\n", "china_scal", None, "unknown chapter (did you mean 'china_scale'?)"),
        ("china_scale:\n  contry: KOR\n", "china_scale", "contry", "unknown parameter (did you mean 'country'?)"),
        ("china_scale:\n  country: USA\n", "china_scale", "country", "USA (United States) is not an RCEP member"),
        ("china_scale:\n  country: KOR\n  peers: [KOR]\n", "china_scale", "peers", "focus country KOR"),
        (
            "rcep_pathways:\n  gdp_growth: {low: .nan, central: 1, high: 2}\n",
            "rcep_pathways",
            "gdp_growth",
            "not a finite number",
        ),
        ("rcep_pathways:\n  countries: [CHN, KOR, JPN]\n", "rcep_pathways", "countries", "at least 6"),
        ("china_scale: KOR\n", "china_scale", None, "must be a mapping of parameter -> value, got 'KOR'"),
        ("china_scale:\n  country: KOR\nchina_scale:\n  country: JPN\n", None, None, "'china_scale' is given twice"),
        ("china_scale:\n  country: KOR\n  country: JPN\n", None, None, "'country' is given twice"),
        ("china_scale:\n  peers: [CHN, KOR\n", None, None, "is not valid YAML (line 3"),
        ("- china_scale\n- structure\n", None, None, "must be a mapping of chapter -> {parameter: value}, got list"),
        ("3: {}\n", "3", None, "unknown chapter"),
    ],
)
def test_a_bad_edition_names_file_chapter_and_parameter(tmp_path, text, chapter, name, fragment):
    path = _edition(tmp_path, text)
    with pytest.raises(EditionError) as err:
        params.load_edition(path)
    msg = str(err.value)
    assert msg.startswith(f"edition {path}: ")
    assert err.value.chapter == chapter and err.value.name == name
    if chapter:
        assert f"chapter '{chapter}'" in msg
    if name:
        assert f"parameter '{name}'" in msg
    assert fragment in msg, msg


def test_edition_errors_are_parameter_errors_and_value_errors(tmp_path):
    # the build's CLI reports ParameterError as one line with exit status 2; editions are no exception
    assert issubclass(EditionError, ParameterError) and issubclass(EditionError, ValueError)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(EditionError, match=r"nope.yml: cannot be read"):
        params.load_edition(tmp_path / "nope.yml")
