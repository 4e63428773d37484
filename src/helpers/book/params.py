"""Chapter parameters: one specification per chapter, checked *before* any execution.

The ``parameters`` cell of each notebook holds the defaults; :data:`SPECS` holds their types and
allowed values (a test keeps the two in step). Values come from papermill ``-p name value`` (YAML
parsed) or from a notebook's own defaults; :func:`validate` returns the cleaned dict or raises
:class:`ParameterError` naming the parameter and what is allowed.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml


class ParameterError(ValueError):
    """A chapter parameter is unknown or has a value that is not allowed."""

    def __init__(self, chapter: str, name: str, message: str):
        self.chapter, self.name = chapter, name
        super().__init__(f"chapter '{chapter}', parameter '{name}': {message}")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # int | float | str | bool | year | iso3 | iso3_list | choice | choice_list | dict
    default: Any
    help: str
    choices: Callable[[], list[str]] | tuple[str, ...] | None = None
    bounds: Callable[[], tuple[float, float]] | tuple[float, float] | None = None
    allow_empty: bool = False
    extra: dict = field(default_factory=dict)

    def allowed(self) -> list[str] | None:
        if self.choices is None:
            return None
        return list(self.choices() if callable(self.choices) else self.choices)

    def range(self) -> tuple[float, float] | None:
        if self.bounds is None:
            return None
        return tuple(self.bounds() if callable(self.bounds) else self.bounds)


# --------------------------------------------------------------------------- allowed values from data


def _wdi_years() -> tuple[int, int]:
    from helpers.data.datastore import coverage

    cov = coverage("wdi")
    return cov["year_min"], cov["year_max"]


def _years_of(table: str) -> Callable[[], tuple[int, int]]:
    def f() -> tuple[int, int]:
        from helpers.data.datastore import coverage

        cov = coverage(table)
        return cov["year_min"], cov["year_max"]

    return f


def _seed_table1_years() -> tuple[int, int]:
    from helpers.data.datastore import load_seed_table

    years = load_seed_table("world_dds_exports")["year"].astype(int)
    return int(years.min()), int(years.max())


def _rcep() -> list[str]:
    from helpers.data.datastore import country_groups

    return list(country_groups()["rcep"])


def _wdi_economies() -> list[str]:
    from helpers.data.datastore import load_table

    return sorted(set(load_table("wdi")["iso3"]) - {"WLD"})


def _infrastructure_indicators() -> list[str]:
    from helpers.data.datastore import indicator_meta

    meta = indicator_meta()
    return list(meta.index[meta["topic"] == "digital"])


def _openness_measures() -> list[str]:
    from helpers.data.datastore import indicator_meta, load_table

    meta = indicator_meta()
    return sorted(load_table("openness_measures")["measure"]) + list(meta.index[meta["topic"] == "governance"])


def _all_indicators() -> list[str]:
    from helpers.data.datastore import indicator_meta

    return list(indicator_meta().index)


def _claim_chapters() -> list[str]:
    from helpers.data.datastore import load_table

    return sorted(set(load_table("claims")["chapter"]))


def _seed_files() -> list[str]:
    from helpers.data.datastore import load_table

    return sorted(set(load_table("claims")["seed_file"]))


def _tables() -> list[str]:
    from helpers.data.schemas import BY_NAME

    return list(BY_NAME)


START_END = "start_year must not be after end_year"

SPECS: dict[str, list[Param]] = {
    "intro": [],
    "global_trends": [
        Param("start_year", "year", 2019, "first year of the window (Table 1 of the study covers 2019-2025)",
              bounds=_seed_table1_years),
        Param("end_year", "year", 2025, "last year of the window", bounds=_seed_table1_years),
        Param("base_year", "year", 2019, "index base (=100); must lie in the window", bounds=_seed_table1_years),
        Param("unit", "choice", "usd_bn", "unit of levels: US$ billion or the seed's US$ 100 million",
              choices=("usd_bn", "usd_100m")),
        Param("top_n", "int", 8, "number of leading exporters shown", bounds=(3, 25)),
        Param("history_start", "year", 2010, "first year of the leading-exporters section (ICT services and "
              "UNCTAD series reach back before Table 1); must be before end_year", bounds=_years_of("unctad_dds")),
    ],
    "china_scale": [
        Param("country", "iso3", "CHN", "focus economy (any RCEP member)", choices=_rcep),
        Param("start_year", "year", 2005, "first year", bounds=_wdi_years),
        Param("end_year", "year", 2024, "last year", bounds=_wdi_years),
        Param("peers", "iso3_list", [], "economies to compare with; empty = the other RCEP members with data plus "
              "USA and IND", choices=_wdi_economies, allow_empty=True),
    ],
    "structure": [
        Param("country", "iso3", "CHN", "focus economy (any RCEP member)", choices=_rcep),
        Param("start_year", "year", 2005, "first year", bounds=_wdi_years),
        Param("end_year", "year", 2024, "last year", bounds=_wdi_years),
    ],
    "ai_infrastructure": [
        Param("countries", "iso3_list", [], "economies shown; empty = the 15 RCEP members", choices=_rcep,
              allow_empty=True),
        Param("start_year", "year", 2005, "first year", bounds=_wdi_years),
        Param("end_year", "year", 2024, "last year", bounds=_wdi_years),
        Param("indicators", "choice_list", ["IT.NET.USER.ZS", "IT.NET.BBND.P2", "IT.CEL.SETS.P2", "IT.NET.SECR.P6"],
              "digital-infrastructure indicators (WDI codes)", choices=_infrastructure_indicators),
    ],
    "rcep_pathways": [
        Param("start_year", "year", 2005, "first year of the estimation sample", bounds=_wdi_years),
        Param("end_year", "year", 2023, "last year of the estimation sample (years without GDP data drop out)",
              bounds=_wdi_years),
        Param("countries", "iso3_list", [], "members in the sample (at least 6 with data); empty = all 15",
              choices=_rcep, allow_empty=True),
        Param("dependent", "choice", "dds_exports", "dependent variable (log): digital service exports, or their "
              "non-ICT part (exports minus ICT service exports)", choices=("dds_exports", "dds_exports_non_ict")),
        Param("dds_measure", "choice", "wto_delivered", "main outcome measure: WTO digitally delivered exports (the "
              "concept the study names; all members, longest span), UNCTAD digitally deliverable exports, or a WDI "
              "proxy (service exports x composition shares); the other two are robustness checks",
              choices=("wto_delivered", "unctad_deliverable", "wdi_composition")),
        Param("openness_measure", "choice", "kof_KOFTrGIdj", "institutional openness measure",
              choices=_openness_measures),
        Param("robustness_openness", "choice_list", ["RQ.EST", "chinn_ito_kaopen"],
              "alternative openness measures the verdicts must survive", choices=_openness_measures),
        Param("infrastructure_measure", "choice", "IT.NET.USER.ZS", "digital infrastructure measure",
              choices=("IT.NET.USER.ZS", "IT.NET.BBND.P2", "IT.CEL.SETS.P2", "IT.NET.SECR.P6")),
        Param("fixed_effects", "choice", "twoway", "fixed effects of the main specification",
              choices=("none", "country", "twoway")),
        Param("window", "int", 8, "years per rolling-window estimate", bounds=(4, 15)),
        Param("scenario_country", "iso3", "CHN", "member projected in the scenarios", choices=_rcep),
        Param("horizon", "int", 2030, "scenario horizon year", bounds=(2025, 2040)),
        Param("gdp_growth", "dict", {"low": 2.0, "central": 4.0, "high": 6.0},
              "nominal US$ GDP growth a year (%), per scenario"),
        Param("openness_change", "dict", {"low": 0.0, "central": 2.0, "high": 5.0},
              "change in the openness measure by the horizon (points), per scenario"),
        Param("infrastructure_change", "dict", {"low": 0.0, "central": 3.0, "high": 6.0},
              "change in the infrastructure measure by the horizon (its units), per scenario"),
        Param("seed", "int", 20260101, "random seed of the wild cluster bootstrap and the scenario draws",
              bounds=(0, 2**31 - 1)),
        Param("bootstrap_reps", "int", 999, "wild cluster bootstrap replications", bounds=(99, 9999)),
    ],
    "claims_audit": [
        Param("seeds", "choice_list", [], "seed files shown; empty = all five", choices=_seed_files, allow_empty=True),
        Param("chapters", "choice_list", [], "chapters shown; empty = all", choices=_claim_chapters, allow_empty=True),
    ],
    "data_methods": [
        Param("tables", "choice_list", [], "tables described; empty = all", choices=_tables, allow_empty=True),
    ],
}

CHAPTERS = tuple(SPECS)


def spec(chapter: str) -> dict[str, Param]:
    if chapter not in SPECS:
        close = difflib.get_close_matches(chapter, SPECS, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ParameterError(chapter, "<chapter>", f"unknown chapter{hint}; chapters are: {', '.join(SPECS)}")
    return {p.name: p for p in SPECS[chapter]}


def defaults(chapter: str) -> dict[str, Any]:
    return {name: p.default for name, p in spec(chapter).items()}


def parse_cli_value(text: str) -> Any:
    """Parse a ``-p name value`` string the way papermill does (YAML)."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def _check_one(chapter: str, p: Param, value: Any) -> Any:
    def fail(msg: str) -> None:
        raise ParameterError(chapter, p.name, msg)

    k = p.kind
    if k in ("int", "year"):
        if isinstance(value, bool) or not isinstance(value, int):
            fail(f"expected an integer{' year' if k == 'year' else ''}, got {value!r} ({type(value).__name__})")
        rng = p.range()
        if rng and not (rng[0] <= value <= rng[1]):
            fail(f"{value} is outside the allowed range {rng[0]}-{rng[1]}"
                 + (" (years covered by the data)" if k == "year" else ""))
        return value
    if k == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            fail(f"expected a number, got {value!r}")
        return float(value)
    if k == "bool":
        if not isinstance(value, bool):
            fail(f"expected true or false, got {value!r}")
        return value
    if k in ("str", "choice", "iso3"):
        if not isinstance(value, str):
            fail(f"expected a string, got {value!r} ({type(value).__name__})")
        allowed = p.allowed()
        if allowed is not None and value not in allowed:
            what = "ISO3 code" if k == "iso3" else "value"
            close = difflib.get_close_matches(value, allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            fail(f"unknown {what} {value!r}{hint}; allowed: {', '.join(allowed)}")
        return value
    if k in ("iso3_list", "choice_list"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            fail(f"expected a list of strings, e.g. '[\"KOR\", \"JPN\"]', got {value!r}")
        if not value and not p.allow_empty:
            fail("must not be empty")
        allowed = p.allowed()
        bad = [v for v in value if allowed is not None and v not in allowed]
        if bad:
            what = "ISO3 code(s)" if k == "iso3_list" else "value(s)"
            fail(f"unknown {what} {bad}; allowed: {', '.join(allowed or [])}")
        if len(set(value)) != len(value):
            fail(f"duplicates in {value}")
        return list(value)
    if k == "dict":
        if not isinstance(value, dict):
            fail(f"expected a mapping like {p.default!r}, got {value!r}")
        if set(value) != set(p.default):
            fail(f"expected exactly the keys {sorted(p.default)}, got {sorted(value)}")
        for key, v in value.items():
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                fail(f"value of {key!r} must be a number, got {v!r}")
        return {key: float(v) for key, v in value.items()}
    raise AssertionError(f"unknown parameter kind {k}")


def validate(chapter: str, values: Mapping[str, Any] | None = None, *, partial: bool = True) -> dict[str, Any]:
    """Merge ``values`` over the defaults and check everything; return the clean dict.

    Unknown names are errors (with a close-match hint). Cross-parameter rules: start_year <= end_year,
    base_year inside the window, horizon after the sample.
    """
    specs = spec(chapter)
    values = dict(values or {})
    unknown = [n for n in values if n not in specs]
    if unknown:
        n = unknown[0]
        close = difflib.get_close_matches(n, specs, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ParameterError(chapter, n, f"unknown parameter{hint}; parameters of this chapter: {', '.join(specs)}")
    merged = {name: p.default for name, p in specs.items()} if partial else {}
    merged.update(values)
    missing = [n for n in specs if n not in merged]
    if missing:
        raise ParameterError(chapter, missing[0], "missing")
    out = {name: _check_one(chapter, specs[name], merged[name]) for name in specs}
    if "start_year" in out and "end_year" in out and out["start_year"] > out["end_year"]:
        raise ParameterError(chapter, "start_year",
                             f"{START_END} (got start_year={out['start_year']}, end_year={out['end_year']})")
    if "base_year" in out and not (out["start_year"] <= out["base_year"] <= out["end_year"]):
        raise ParameterError(chapter, "base_year", f"{out['base_year']} must lie within start_year-end_year "
                             f"({out['start_year']}-{out['end_year']})")
    if "horizon" in out and out["horizon"] <= out["end_year"]:
        raise ParameterError(chapter, "horizon", f"{out['horizon']} must be after end_year ({out['end_year']})")
    return out


def from_namespace(chapter: str, namespace: Mapping[str, Any]) -> dict[str, Any]:
    """Pick this chapter's parameters out of a notebook's globals and validate them."""
    specs = spec(chapter)
    return validate(chapter, {k: namespace[k] for k in specs if k in namespace})
