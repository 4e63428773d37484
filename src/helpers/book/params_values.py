"""One parameter value: the :class:`Param` declaration, ``-p`` values read as YAML, each value checked alone."""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml


class ParameterError(ValueError):
    """A chapter parameter is unknown or has a value that is not allowed."""

    def __init__(self, chapter: str, name: str, message: str):
        self.chapter, self.name = chapter, name
        super().__init__(f"chapter '{chapter}', parameter '{name}': {message}")


@dataclass(frozen=True)
class BrokenYAML:
    """A ``-p name value`` string that is not valid YAML; :func:`check_one` reports it with the parameter
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


RCEP_MEMBER = "an RCEP member"
LIST_LIMIT = 16  # allowed values echoed in full up to this many


def parse_cli_value(text: str) -> Any:
    """Parse a ``-p name value`` string as YAML (as papermill's ``-y`` does). Broken YAML, such as an
    unclosed list ``[CHN, KOR``, becomes a :class:`BrokenYAML` that :func:`check_one` refuses by name."""
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


def check_one(chapter: str, p: Param, value: Any) -> Any:
    """``value`` checked against ``p`` alone (the chapter's cross-parameter rules come later); returns it
    cleaned (aliases resolved, lists as lists, numbers of a mapping as floats) or raises :class:`ParameterError`."""

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
