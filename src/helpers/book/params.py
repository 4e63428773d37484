"""Chapter parameters: one specification per chapter, checked *before* any kernel starts.

* :data:`SPECS` holds each chapter's parameters (type, default, allowed values, help). It is built from
  the chapter registry (:mod:`helpers.registry`): every executed chapter has exactly one entry, a chapter
  without parameters has an empty list, and a mismatch stops the import with a message saying which.
* :func:`validate` checks one chapter's values: each parameter alone (type, range, allowed values, no
  ``.nan``/``.inf``; :mod:`helpers.book.params_values`, which also holds :class:`Param` and reads ``-p``
  values), then the chapter's cross-parameter and data-dependent rules (:mod:`helpers.book.params_rules`).
  It returns the cleaned dict or raises :class:`ParameterError` naming the chapter, the parameter and what
  is allowed.
* :func:`load_edition` reads an edition: a YAML file of parameters for several chapters.

``python -m helpers.book.params [chapter]`` lists the parameters and their allowed values.
The ``parameters`` cell of each notebook holds the same defaults (a test keeps them in step).
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from helpers import registry
from helpers.book import params_rules
from helpers.book.params_rules import RuleBroken
from helpers.book.params_values import (  # noqa: F401  (re-exported: params.Param, params.parse_cli_value etc.)
    LIST_LIMIT,
    RCEP_MEMBER,
    BrokenYAML,
    Param,
    ParameterError,
    check_one,
    parse_cli_value,
)


class EditionError(ParameterError):
    """An edition file (``editions/*.yml``) is broken or asks for something not allowed."""

    def __init__(self, path: Path | str, chapter: str | None, name: str | None, message: str):
        self.path, self.chapter, self.name = str(path), chapter, name
        where = []
        if chapter:
            where.append(f"chapter '{chapter}'")
        if name:
            where.append(f"parameter '{name}'")
        prefix = f"edition {self.path}: " + (", ".join(where) + ": " if where else "")
        ValueError.__init__(self, prefix + message)  # not ParameterError's message: the file comes first


# --------------------------------------------------------------------------- allowed values from data


def _years_of(table: str) -> Callable[[], tuple[int, int]]:
    def years() -> tuple[int, int]:
        from helpers.data.datastore import coverage

        cov = coverage(table)
        return cov["year_min"], cov["year_max"]

    return years


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


def _claim_chapters() -> list[str]:
    from helpers.data.datastore import load_table

    return sorted(set(load_table("claims")["chapter"]))


def _seed_files() -> list[str]:
    from helpers.data.datastore import load_table

    return sorted(set(load_table("claims")["seed_file"]))


def seed_file(value: Any) -> Any:
    """A seed named by short id -> its file name: ``"000"``, ``"S000"``, ``0`` (YAML reads an unquoted
    000 as the number 0) or ``"000_3d25ae1af6db2194"`` all give ``"000_3d25ae1af6db2194.txt"``.
    Anything else is returned unchanged (and then refused with the list of seeds)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        number, stem = f"{value:03d}", None
    elif isinstance(value, str) and (m := re.fullmatch(r"[sS]?(\d{3})(_[0-9a-f]+)?(?:\.txt)?", value.strip())):
        number, stem = m.group(1), (m.group(1) + m.group(2) if m.group(2) else None)
    else:
        return value
    files = _seed_files()
    found = [f for f in files if f == f"{stem}.txt"] if stem else [f for f in files if f.startswith(f"{number}_")]
    return found[0] if len(found) == 1 else value


def _tables() -> list[str]:
    from helpers.data.schemas import BY_NAME

    return list(BY_NAME)


_wdi_years = _years_of("wdi")

# One entry per executed chapter of helpers.registry (checked below); a chapter without parameters has [].
_DECLARED: dict[str, list[Param]] = {
    "intro": [],
    "global_trends": [
        Param(
            "start_year",
            "year",
            2019,
            "first year of the window (Table 1 of the study covers 2019-2025)",
            bounds=_seed_table1_years,
        ),
        Param("end_year", "year", 2025, "last year of the window", bounds=_seed_table1_years),
        Param("base_year", "year", 2019, "index base (=100); must lie in the window", bounds=_seed_table1_years),
        Param(
            "unit",
            "choice",
            "usd_bn",
            "unit of levels: US$ billion or the seed's US$ 100 million",
            choices=("usd_bn", "usd_100m"),
        ),
        Param("top_n", "int", 8, "number of leading exporters shown", bounds=(3, 25)),
        Param(
            "history_start",
            "year",
            2010,
            "first year of the leading-exporters section (ICT services and "
            "UNCTAD series reach back before Table 1); must be before end_year",
            bounds=_years_of("unctad_dds"),
        ),
    ],
    "china_scale": [
        Param("country", "iso3", "CHN", "focus economy (any RCEP member)", choices=_rcep, member_of=RCEP_MEMBER),
        Param("start_year", "year", 2005, "first year", bounds=_wdi_years),
        Param("end_year", "year", 2024, "last year", bounds=_wdi_years),
        Param(
            "peers",
            "iso3_list",
            [],
            "economies to compare with; empty = the other RCEP members with data plus USA and IND",
            choices=_wdi_economies,
            allow_empty=True,
            member_of="an economy of data/wdi.csv",
        ),
    ],
    "structure": [
        Param("country", "iso3", "CHN", "focus economy (any RCEP member)", choices=_rcep, member_of=RCEP_MEMBER),
        Param("start_year", "year", 2005, "first year", bounds=_wdi_years),
        Param("end_year", "year", 2024, "last year", bounds=_wdi_years),
    ],
    "ai_infrastructure": [
        Param(
            "countries",
            "iso3_list",
            [],
            "economies shown; empty = the 15 RCEP members",
            choices=_rcep,
            allow_empty=True,
            member_of=RCEP_MEMBER,
        ),
        Param("start_year", "year", 2005, "first year", bounds=_wdi_years),
        Param("end_year", "year", 2024, "last year", bounds=_wdi_years),
        Param(
            "indicators",
            "choice_list",
            ["IT.NET.USER.ZS", "IT.NET.BBND.P2", "IT.CEL.SETS.P2", "IT.NET.SECR.P6"],
            "digital-infrastructure indicators (WDI codes)",
            choices=_infrastructure_indicators,
        ),
    ],
    "rcep_pathways": [
        Param("start_year", "year", 2005, "first year of the estimation sample", bounds=_wdi_years),
        Param(
            "end_year",
            "year",
            2023,
            "last year of the estimation sample (years without GDP data drop out)",
            bounds=_wdi_years,
        ),
        Param(
            "countries",
            "iso3_list",
            [],
            "members in the sample (at least 6 with data); empty = all 15",
            choices=_rcep,
            allow_empty=True,
            member_of=RCEP_MEMBER,
        ),
        Param(
            "dependent",
            "choice",
            "dds_exports",
            "dependent variable (log): digital service exports, or their "
            "non-ICT part (exports minus ICT service exports)",
            choices=("dds_exports", "dds_exports_non_ict"),
        ),
        Param(
            "dds_measure",
            "choice",
            "wto_delivered",
            "main outcome measure: WTO digitally delivered exports (the "
            "concept the study names; all members, longest span), UNCTAD digitally deliverable exports, or a WDI "
            "proxy (service exports x composition shares); the other two are robustness checks",
            choices=("wto_delivered", "unctad_deliverable", "wdi_composition"),
        ),
        Param(
            "openness_measure", "choice", "kof_KOFTrGIdj", "institutional openness measure", choices=_openness_measures
        ),
        Param(
            "robustness_openness",
            "choice_list",
            ["RQ.EST", "chinn_ito_kaopen"],
            "alternative openness measures the verdicts must survive",
            choices=_openness_measures,
        ),
        Param(
            "infrastructure_measure",
            "choice",
            "IT.NET.USER.ZS",
            "digital infrastructure measure",
            choices=("IT.NET.USER.ZS", "IT.NET.BBND.P2", "IT.CEL.SETS.P2", "IT.NET.SECR.P6"),
        ),
        Param(
            "fixed_effects",
            "choice",
            "twoway",
            "fixed effects of the main specification",
            choices=("none", "country", "twoway"),
        ),
        Param("window", "int", 8, "years per rolling-window estimate", bounds=(4, 15)),
        Param(
            "scenario_country", "iso3", "CHN", "member projected in the scenarios", choices=_rcep, member_of=RCEP_MEMBER
        ),
        Param("horizon", "int", 2030, "scenario horizon year", bounds=(2025, 2040)),
        Param(
            "gdp_growth",
            "dict",
            {"low": 2.0, "central": 4.0, "high": 6.0},
            "nominal US$ GDP growth a year (%), per scenario",
        ),
        Param(
            "openness_change",
            "dict",
            {"low": 0.0, "central": 2.0, "high": 5.0},
            "change in the openness measure by the horizon (points), per scenario",
        ),
        Param(
            "infrastructure_change",
            "dict",
            {"low": 0.0, "central": 3.0, "high": 6.0},
            "change in the infrastructure measure by the horizon (its units), per scenario",
        ),
        Param(
            "seed",
            "int",
            20260101,
            "random seed of the wild cluster bootstrap and the scenario draws",
            bounds=(0, 2**31 - 1),
        ),
        Param("bootstrap_reps", "int", 999, "wild cluster bootstrap replications", bounds=(99, 9999)),
    ],
    "claims_audit": [
        Param(
            "seeds",
            "choice_list",
            [],
            "seed files shown; empty = all five",
            choices=_seed_files,
            allow_empty=True,
            canonical=seed_file,
            aliases="a seed's short id (000 or S000) or its file name",
        ),
        Param("chapters", "choice_list", [], "chapters shown; empty = all", choices=_claim_chapters, allow_empty=True),
    ],
    "data_methods": [
        Param("tables", "choice_list", [], "tables described; empty = all", choices=_tables, allow_empty=True)
    ],
}


def specs_from_registry(
    declared: Mapping[str, list[Param]], chapters: Iterable[registry.Chapter] = registry.CHAPTERS
) -> dict[str, list[Param]]:
    """The specs in the registry's order: one per executed chapter, none for another name."""
    executed = [c.name for c in chapters if c.executed]
    missing = [n for n in executed if n not in declared]
    extra = [n for n in declared if n not in executed]
    problems = []
    if missing:
        problems.append(
            f"executed chapter(s) {missing} of helpers.registry have no parameter spec: add "
            "'<name>': [] (no parameters) or their Params to _DECLARED in helpers/book/params.py"
        )
    if extra:
        problems.append(
            f"parameter spec(s) {extra} name no executed chapter of helpers.registry: remove them, "
            "or register the chapter (executed=True)"
        )
    bad_rules = [n for n in params_rules.RULES if n not in executed]
    if bad_rules:
        problems.append(f"params_rules.RULES has rules for {bad_rules}, which are not executed chapters")
    if problems:
        raise RuntimeError("helpers.book.params: " + "; ".join(problems))
    return {n: list(declared[n]) for n in executed}


SPECS: dict[str, list[Param]] = specs_from_registry(_DECLARED)
CHAPTERS = tuple(SPECS)


def spec(chapter: str) -> dict[str, Param]:
    if chapter not in SPECS:
        close = difflib.get_close_matches(chapter, SPECS, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ParameterError(chapter, "<chapter>", f"unknown chapter{hint}; chapters are: {', '.join(SPECS)}")
    return {p.name: p for p in SPECS[chapter]}


def defaults(chapter: str) -> dict[str, Any]:
    return {name: p.default for name, p in spec(chapter).items()}


def validate(chapter: str, values: Mapping[str, Any] | None = None, *, partial: bool = True) -> dict[str, Any]:
    """Merge ``values`` over the defaults and check everything; return the clean dict.

    Unknown names are errors (with a close-match hint). Then each parameter alone, then the chapter's
    cross-parameter and data-dependent rules (:mod:`helpers.book.params_rules`, which lists them).
    """
    specs = spec(chapter)
    values = dict(values or {})
    unknown = [n for n in values if n not in specs]
    if unknown:
        n = unknown[0]
        if not specs:
            raise ParameterError(chapter, n, "unknown parameter; this chapter has no parameters")
        close = difflib.get_close_matches(n, specs, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ParameterError(chapter, n, f"unknown parameter{hint}; parameters of this chapter: {', '.join(specs)}")
    merged = {name: p.default for name, p in specs.items()} if partial else {}
    merged.update(values)
    missing = [n for n in specs if n not in merged]
    if missing:
        raise ParameterError(chapter, missing[0], "missing")
    out = {name: check_one(chapter, specs[name], merged[name]) for name in specs}
    try:
        params_rules.check(chapter, out)
    except RuleBroken as exc:
        raise ParameterError(chapter, exc.name, exc.message) from None
    return out


def from_namespace(chapter: str, namespace: Mapping[str, Any]) -> dict[str, Any]:
    """Pick this chapter's parameters out of a notebook's globals and validate them."""
    specs = spec(chapter)
    return validate(chapter, {k: namespace[k] for k in specs if k in namespace})


# --------------------------------------------------------------------------- editions


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML loader that refuses a key given twice in one mapping (PyYAML keeps the last silently)."""


def _no_duplicates(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"{key!r} is given twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def load_edition(path: Path | str) -> dict[str, dict[str, Any]]:
    """Read an edition: a YAML mapping ``chapter -> {parameter: value}``.

    Returns ``{chapter: overrides}`` for the chapters the file names, each override cleaned by
    :func:`validate` (the same rules as ``-p``; e.g. a seed named ``000`` becomes its file name).
    Chapters the file leaves out keep their defaults. An empty file (or ``{}``) is the default edition;
    ``chapter:`` with nothing under it means that chapter's defaults. Raises :class:`EditionError`
    naming the file, the chapter and the parameter.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EditionError(path, None, None, f"cannot be read ({exc.strerror or exc})") from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise EditionError(path, None, None, f"is not valid YAML{where}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise EditionError(
            path, None, None, f"must be a mapping of chapter -> {{parameter: value}}, got {type(data).__name__}"
        )
    out: dict[str, dict[str, Any]] = {}
    for chapter, given in data.items():
        if not isinstance(chapter, str) or chapter not in SPECS:
            close = difflib.get_close_matches(str(chapter), SPECS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise EditionError(path, str(chapter), None, f"unknown chapter{hint}; chapters: {', '.join(SPECS)}")
        given = {} if given is None else given
        if not isinstance(given, dict):
            raise EditionError(path, chapter, None, f"must be a mapping of parameter -> value, got {given!r}")
        try:
            clean = validate(chapter, given)
        except ParameterError as exc:
            message = str(exc).split(": ", 1)[1] if str(exc).startswith("chapter '") else str(exc)
            raise EditionError(path, chapter, exc.name, message) from None
        out[chapter] = {name: clean[name] for name in given}
    return out


# --------------------------------------------------------------------------- listing


def describe(chapter: str) -> str:
    """The parameters of a chapter as text: default, allowed values or range, meaning."""
    lines = [f"{chapter}:"]
    for p in spec(chapter).values():
        lines.append(f"  {p.name} ({p.kind}), default {json.dumps(p.default, ensure_ascii=False)}: {p.help}")
        allowed = p.allowed()
        if allowed is not None:
            lines.append(f"      allowed: {', '.join(allowed)}")
        elif p.range() is not None:
            lo, hi = p.range()
            lines.append(f"      range: {lo}-{hi}")
    if len(lines) == 1:
        lines.append("  (no parameters)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    names = sys.argv[1:] if argv is None else argv
    try:
        for chapter in names or CHAPTERS:
            print(describe(chapter))
    except ParameterError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
