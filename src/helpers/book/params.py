"""Chapter parameters: one specification per chapter, checked *before* any kernel starts.

* :data:`SPECS` holds each chapter's parameters (type, default, allowed values, help). It is built from
  the chapter registry (:mod:`helpers.registry`): every executed chapter has exactly one entry, a chapter
  without parameters has an empty list, and a mismatch stops the import with a message saying which.
* :func:`validate` checks one chapter's values: each parameter alone (type, range, allowed values, no
  ``.nan``/``.inf``), then the chapter's cross-parameter and data-dependent rules
  (:mod:`helpers.book.params_rules`). It returns the cleaned dict or raises :class:`ParameterError`
  naming the chapter, the parameter and what is allowed.
* :func:`load_edition` reads an edition: a YAML file of parameters for several chapters.

``python -m helpers.book.params [chapter]`` lists the parameters and their allowed values.
The ``parameters`` cell of each notebook holds the same defaults (a test keeps them in step).
"""

from __future__ import annotations

import difflib
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from helpers import registry
from helpers.book import params_rules
from helpers.book.params_rules import RuleBroken


class ParameterError(ValueError):
    """A chapter parameter is unknown or has a value that is not allowed."""

    def __init__(self, chapter: str, name: str, message: str):
        self.chapter, self.name = chapter, name
        super().__init__(f"chapter '{chapter}', parameter '{name}': {message}")


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


@dataclass(frozen=True)
class BrokenYAML:
    """A ``-p name value`` string that is not valid YAML; :func:`validate` reports it with the parameter
    named (the CLI parses values before it knows which parameter they belong to)."""

    text: str
    problem: str


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # int | float | str | bool | year | iso3 | iso3_list | choice | choice_list | dict
    default: Any
    help: str
    choices: Callable[[], list[str]] | tuple[str, ...] | None = None
    bounds: Callable[[], tuple[float, float]] | tuple[float, float] | None = None
    allow_empty: bool = False
    member_of: str | None = None  # "an RCEP member": what a known code outside ``choices`` is not
    canonical: Callable[[Any], Any] | None = None  # maps accepted aliases to the allowed value
    aliases: str | None = None  # what else ``canonical`` accepts, for messages

    def allowed(self) -> list[str] | None:
        if self.choices is None:
            return None
        return list(self.choices() if callable(self.choices) else self.choices)

    def range(self) -> tuple[float, float] | None:
        if self.bounds is None:
            return None
        return tuple(self.bounds() if callable(self.bounds) else self.bounds)


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
RCEP_MEMBER = "an RCEP member"

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
LIST_LIMIT = 16  # allowed values echoed in full up to this many


def spec(chapter: str) -> dict[str, Param]:
    if chapter not in SPECS:
        close = difflib.get_close_matches(chapter, SPECS, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ParameterError(chapter, "<chapter>", f"unknown chapter{hint}; chapters are: {', '.join(SPECS)}")
    return {p.name: p for p in SPECS[chapter]}


def defaults(chapter: str) -> dict[str, Any]:
    return {name: p.default for name, p in spec(chapter).items()}


def parse_cli_value(text: str) -> Any:
    """Parse a ``-p name value`` string as YAML (as papermill's ``-y`` does). Broken YAML, such as an
    unclosed list ``[CHN, KOR``, becomes a :class:`BrokenYAML` that :func:`validate` refuses by name."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return BrokenYAML(text, problem)


def _allowed_text(chapter: str, allowed: list[str]) -> str:
    if len(allowed) <= LIST_LIMIT:
        return ", ".join(allowed)
    return (
        f"{', '.join(allowed[:8])}, … ({len(allowed)} in all; list them with `python -m helpers.book.params {chapter}`)"
    )


def _hint(value: str, allowed: list[str]) -> str:
    upper = [a for a in allowed if a.upper() == value.upper()]
    close = upper or difflib.get_close_matches(value, allowed, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _not_allowed(chapter: str, p: Param, values: list[str], allowed: list[str]) -> str:
    """Why these strings (of one parameter) are not allowed values, and what is. Known ISO3 codes outside
    the allowed group are said to be so ("USA (United States) is not an RCEP member")."""
    listed = p.kind.endswith("_list")
    unknown, outside = list(values), []
    if p.kind.startswith("iso3") and p.member_of:
        from helpers.data.datastore import countries

        known = countries()
        outside = [v for v in values if v in known.index]
        unknown = [v for v in values if v not in known.index]
        if not unknown:
            names = [f"{v} ({known.loc[v, 'display_name']})" for v in outside]
            others = "".join(f", nor is {n}" for n in names[1:])
            group = "members" if p.member_of == RCEP_MEMBER else "allowed"
            return f"{names[0]} is not {p.member_of}{others}; {group}: {_allowed_text(chapter, allowed)}"
    what = "ISO3 code" if p.kind.startswith("iso3") else "value"
    shown = f"{what}(s) {unknown}" if listed else f"{what} {unknown[0]!r}"
    give = f"; give {p.aliases}" if p.aliases else ""
    return f"unknown {shown}{_hint(unknown[0], allowed)}{give}; allowed: {_allowed_text(chapter, allowed)}"


def _non_finite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, (list, tuple)):
        return any(_non_finite(v) for v in value)
    if isinstance(value, dict):
        return any(_non_finite(v) for v in value.values())
    return False


def _check_one(chapter: str, p: Param, value: Any) -> Any:
    def fail(msg: str) -> None:
        raise ParameterError(chapter, p.name, msg)

    if isinstance(value, BrokenYAML):
        fail(
            f"{value.text!r} is not valid YAML ({value.problem}); write a list as [CHN, KOR] and a mapping as "
            "{low: 1, central: 2, high: 3}, quoted for the shell"
        )
    if _non_finite(value):
        fail(f"{value!r} is or holds a value that is not a finite number (.nan and .inf are not allowed)")
    k = p.kind
    if k in ("int", "year"):
        if isinstance(value, bool) or not isinstance(value, int):
            fail(f"expected an integer{' year' if k == 'year' else ''}, got {value!r} ({type(value).__name__})")
        rng = p.range()
        if rng and not (rng[0] <= value <= rng[1]):
            fail(
                f"{value} is outside the allowed range {rng[0]}-{rng[1]}"
                + (" (years covered by the data)" if k == "year" else "")
            )
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
        if p.canonical is not None:
            value = p.canonical(value)
        if not isinstance(value, str):
            fail(f"expected a string, got {value!r} ({type(value).__name__})")
        allowed = p.allowed()
        if allowed is not None and value not in allowed:
            fail(_not_allowed(chapter, p, [value], allowed))
        return value
    if k in ("iso3_list", "choice_list"):
        if isinstance(value, str):
            if "," in value:
                fail(f"{value!r} is one string; write a list in brackets, e.g. [{value.strip()}]")
            value = [value]
        if isinstance(value, (list, tuple)) and p.canonical is not None:
            value = [p.canonical(v) for v in value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            fail(f"expected a list of strings, e.g. [KOR, JPN], got {value!r}")
        allowed = p.allowed()
        if not value and not p.allow_empty:
            fail("must not be empty" + (f"; allowed: {_allowed_text(chapter, allowed)}" if allowed else ""))
        bad = [v for v in value if allowed is not None and v not in allowed]
        if bad:
            fail(_not_allowed(chapter, p, bad, allowed))
        dup = sorted({v for v in value if list(value).count(v) > 1})
        if dup:
            fail(f"{', '.join(dup)} listed twice")
        return list(value)
    if k == "dict":
        example = "{" + ", ".join(f"{key}: {v:g}" for key, v in p.default.items()) + "}"
        if not isinstance(value, dict):
            fail(f"expected a mapping like {example}, got {value!r}")
        if set(value) != set(p.default):
            fail(
                f"expected exactly the keys {', '.join(p.default)} (e.g. {example}), got "
                f"{', '.join(map(str, value)) or 'none'}"
            )
        for key, v in value.items():
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                fail(f"the value of {key!r} must be a number, got {v!r}")
        return {key: float(value[key]) for key in p.default}
    raise AssertionError(f"unknown parameter kind {k}")


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
    out = {name: _check_one(chapter, specs[name], merged[name]) for name in specs}
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
