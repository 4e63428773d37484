"""The rules between a chapter's parameters, and the ones that depend on the data, checked before any
kernel starts (``helpers.book.params.validate`` runs them after each parameter passed on its own).

Every chapter:
* ``start_year`` must not be after ``end_year``; ``base_year`` lies in the window; ``history_start`` is
  before ``end_year``; ``horizon`` is after ``end_year``.

global_trends: ``start_year`` < ``end_year`` (growth rates need two years).
china_scale: ``start_year`` < ``end_year``; ``peers`` do not hold the focus ``country``; the focus country
has services exports and imports (data/wdi.csv) in at least two years of the window.
structure: ``start_year`` <= ``end_year`` (one year is a valid composition); the focus country has services
exports and imports in at least one year of the window.
rcep_pathways: at least :data:`MIN_CLUSTERS` members listed and at least :data:`MIN_CLUSTERS` of them with
data (they are the clusters of the clustered inference; see :func:`_members_with_data`); the sample spans at
least :data:`MIN_SAMPLE_YEARS` years, and so do the years in which those members have data; ``window``
is shorter than both (two windows at least); GDP growth above -100 % in every scenario;
``scenario_country`` is in the sample.

A rule raises :class:`RuleBroken` naming the parameter; ``validate`` turns it into a ``ParameterError``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

MIN_CLUSTERS = 6  # members with data = clusters of the wild cluster bootstrap; fewer gives too few sign patterns
MIN_SAMPLE_YEARS = 6
MIN_YEARS_PER_MEMBER = 2  # a member counts as "with data" with at least this many complete years
SERVICES = ("BX.GSR.NFSV.CD", "BM.GSR.NFSV.CD")  # services exports, imports (BoP, US$)
GDP, ICT_EXPORTS = "NY.GDP.MKTP.CD", "BX.GSR.CCIS.CD"


class RuleBroken(Exception):
    def __init__(self, name: str, message: str):
        self.name, self.message = name, message
        super().__init__(f"{name}: {message}")


Values = Mapping[str, Any]


# --------------------------------------------------------------------------- data the rules look at


_YEARS_BY_SERIES = None  # the memoised reader, made on first use (importing the data layer is not free)


def _years_by_series() -> dict[tuple[str, str], frozenset[int]]:
    """{(series, iso3): years with a value} for every WDI indicator and openness measure."""
    global _YEARS_BY_SERIES
    if _YEARS_BY_SERIES is None:
        from helpers.data.datastore import derived

        _YEARS_BY_SERIES = derived("wdi", "openness")(_read_years_by_series)
    return _YEARS_BY_SERIES()


def _read_years_by_series() -> dict[tuple[str, str], frozenset[int]]:
    from helpers.data.datastore import load_table

    out: dict[tuple[str, str], set[int]] = {}
    for table, key in (("wdi", "indicator"), ("openness", "measure")):
        df = load_table(table).dropna(subset=["value"])
        for series, iso3, year in zip(df[key], df["iso3"], df["year"]):
            out.setdefault((series, iso3), set()).add(int(year))
    return {k: frozenset(v) for k, v in out.items()}


def complete_years(iso3: str, series: tuple[str, ...], start: int, end: int) -> list[int]:
    """Years of ``start``-``end`` in which ``iso3`` has a value of every one of ``series``."""
    have = _years_by_series()
    years = set(range(start, end + 1))
    for s in series:
        years &= have.get((s, iso3), frozenset())
    return sorted(years)


def _span(years: list[int]) -> str:
    from helpers.text import year_ranges

    return year_ranges(years) or "no year"


def _name(iso3: str) -> str:
    from helpers.data.datastore import display_name

    return f"{iso3} ({display_name(iso3)})"


def _series_label(code: str) -> str:
    from helpers.data.datastore import indicator_meta, load_table

    om = load_table("openness_measures").set_index("measure")
    if code in om.index:
        return str(om.loc[code, "name"])
    return str(indicator_meta(code)["name"])


def _rcep() -> list[str]:
    from helpers.data.datastore import country_groups

    return list(country_groups()["rcep"])


# --------------------------------------------------------------------------- every chapter


def window_order(p: Values) -> None:
    if "start_year" in p and "end_year" in p and p["start_year"] > p["end_year"]:
        raise RuleBroken(
            "start_year",
            f"start_year must not be after end_year (got start_year={p['start_year']}, end_year={p['end_year']})",
        )
    if "base_year" in p and not (p["start_year"] <= p["base_year"] <= p["end_year"]):
        raise RuleBroken(
            "base_year", f"{p['base_year']} must lie within start_year-end_year ({p['start_year']}-{p['end_year']})"
        )
    if "history_start" in p and p["history_start"] >= p["end_year"]:
        raise RuleBroken(
            "history_start",
            f"{p['history_start']} must be before end_year ({p['end_year']}): the "
            "leading-exporters section compares at least two years",
        )
    if "horizon" in p and p["horizon"] <= p["end_year"]:
        raise RuleBroken("horizon", f"{p['horizon']} must be after end_year ({p['end_year']})")


def two_years(p: Values) -> None:
    if p["start_year"] >= p["end_year"]:
        raise RuleBroken(
            "start_year",
            f"{p['start_year']} must be before end_year ({p['end_year']}): growth rates need at least two years",
        )


# --------------------------------------------------------------------------- focus economy


def _focus_has_services(p: Values, min_years: int) -> None:
    c, lo, hi = p["country"], p["start_year"], p["end_year"]
    every = complete_years(c, SERVICES, 1900, 2100)
    if not every:
        raise RuleBroken(
            "country", f"{_name(c)} has no services exports and imports in data/wdi.csv; choose another member"
        )
    inside = [y for y in every if lo <= y <= hi]
    if len(inside) < min_years:
        need = "two are" if min_years == 2 else "one is"
        raise RuleBroken(
            "country",
            f"{_name(c)} has services exports and imports in data/wdi.csv for "
            f"{_span(every)} only, so the window {lo}-{hi} (start_year-end_year) holds "
            f"{len(inside) or 'none'} of them and at least {need} needed; choose a "
            "window within those years or another member",
        )


def peers_exclude_focus(p: Values) -> None:
    if p["country"] in p["peers"]:
        raise RuleBroken(
            "peers",
            f"it includes the focus country {p['country']}; list the other economies only "
            "(empty = the other RCEP members with data plus USA and IND)",
        )


def scale_focus_data(p: Values) -> None:
    _focus_has_services(p, 2)


def structure_focus_data(p: Values) -> None:
    _focus_has_services(p, 1)


# --------------------------------------------------------------------------- rcep_pathways


def _regressors(p: Values, *, openness: bool = True, infrastructure: bool = True) -> tuple[str, ...]:
    series = [GDP, ICT_EXPORTS]
    if openness:
        series.append(p["openness_measure"])
    if infrastructure:
        series.append(p["infrastructure_measure"])
    return tuple(series)


def _years_with_data(p: Values, members: list[str], **kw: bool) -> list[int]:
    """Years of the sample in which at least one of ``members`` has every regressor."""
    series = _regressors(p, **kw)
    return sorted(set().union(*(complete_years(c, series, p["start_year"], p["end_year"]) for c in members)))


def _members_with_data(
    p: Values, members: list[str], *, openness: bool = True, infrastructure: bool = True
) -> tuple[list[str], dict[str, str]]:
    """Members with GDP, ICT service exports, the openness measure and the infrastructure measure in at
    least MIN_YEARS_PER_MEMBER years of the sample (the regressors of every specification; whether the
    dependent variable is there too is checked by the chapter after loading). Returns (with data,
    {member without: what it lacks})."""
    series = _regressors(p, openness=openness, infrastructure=infrastructure)
    ok, lacking = [], {}
    for c in members:
        years = complete_years(c, tuple(series), p["start_year"], p["end_year"])
        if len(years) >= MIN_YEARS_PER_MEMBER:
            ok.append(c)
            continue
        short = [
            s for s in series if len(complete_years(c, (s,), p["start_year"], p["end_year"])) < MIN_YEARS_PER_MEMBER
        ]
        lacking[c] = ("no " + " or ".join(_series_label(s) for s in short)) if short else "no year with all of them"
    return ok, lacking


def pathways_sample(p: Values) -> None:
    members = list(p["countries"]) or _rcep()
    if len(members) < MIN_CLUSTERS:
        raise RuleBroken(
            "countries",
            f"{len(members)} members listed; clustered inference needs at least "
            f"{MIN_CLUSTERS} members with data (empty = all 15)",
        )
    span = p["end_year"] - p["start_year"] + 1
    if span < MIN_SAMPLE_YEARS:
        raise RuleBroken(
            "start_year",
            f"the sample {p['start_year']}-{p['end_year']} (start_year-end_year) spans "
            f"{span} year{'s' * (span != 1)}; at least {MIN_SAMPLE_YEARS} are needed",
        )
    if p["window"] >= span:
        raise RuleBroken(
            "window",
            f"{p['window']} years must be shorter than the sample {p['start_year']}-"
            f"{p['end_year']} ({span} years), so that at least two windows exist",
        )
    ok, lacking = _members_with_data(p, members)
    if len(ok) >= MIN_CLUSTERS:
        _enough_years(p, ok)
        return
    culprit = "countries"
    for name, kw in (("openness_measure", {"openness": False}), ("infrastructure_measure", {"infrastructure": False})):
        if len(_members_with_data(p, members, **kw)[0]) >= MIN_CLUSTERS:
            culprit = name
            break
    by_reason: dict[str, list[str]] = {}
    for c, why in lacking.items():
        by_reason.setdefault(why, []).append(c)
    without = "; ".join(f"{why}: {', '.join(cs)}" for why, cs in by_reason.items())
    raise RuleBroken(
        culprit,
        f"only {len(ok)} of the {len(members)} members have GDP, ICT service exports, "
        f"{_series_label(p['openness_measure'])} and "
        f"{_series_label(p['infrastructure_measure'])} in at least {MIN_YEARS_PER_MEMBER} "
        f"years of {p['start_year']}-{p['end_year']}; clustered inference needs at least "
        f"{MIN_CLUSTERS} members with data (clusters). Members without data: {without}",
    )


def _enough_years(p: Values, members: list[str]) -> None:
    """The years with data (not only the span of start_year-end_year) must allow the sample and two windows."""
    years = _years_with_data(p, members)
    if len(years) >= max(MIN_SAMPLE_YEARS, p["window"] + 1):
        return
    culprit = "start_year"
    for name, kw in (("openness_measure", {"openness": False}), ("infrastructure_measure", {"infrastructure": False})):
        if len(_years_with_data(p, members, **kw)) > len(years):
            culprit = name
            break
    if len(years) >= MIN_SAMPLE_YEARS:
        culprit = "window" if culprit == "start_year" else culprit
    raise RuleBroken(
        culprit,
        f"GDP, ICT service exports, {_series_label(p['openness_measure'])} and "
        f"{_series_label(p['infrastructure_measure'])} have data in {_span(years)} only "
        f"({len(years)} of the years {p['start_year']}-{p['end_year']}); the model needs at "
        f"least {MIN_SAMPLE_YEARS} years and more than window ({p['window']}) for two rolling "
        "windows",
    )


def scenarios(p: Values) -> None:
    low = {k: v for k, v in p["gdp_growth"].items() if v <= -100}
    if low:
        raise RuleBroken("gdp_growth", f"growth must be above -100 % a year (got {low})")
    if p["countries"] and p["scenario_country"] not in p["countries"]:
        raise RuleBroken(
            "scenario_country",
            f"{p['scenario_country']} is not among the 'countries' of the sample "
            f"({', '.join(p['countries'])}): the scenario starts from the model "
            "estimated on them; add it or choose one of them",
        )


# --------------------------------------------------------------------------- the rules of each chapter

EVERY_CHAPTER: tuple[Callable[[Values], None], ...] = (window_order,)
RULES: dict[str, tuple[Callable[[Values], None], ...]] = {
    "global_trends": (two_years,),
    "china_scale": (two_years, peers_exclude_focus, scale_focus_data),
    "structure": (structure_focus_data,),
    "rcep_pathways": (pathways_sample, scenarios),
}


def check(chapter: str, values: Values) -> None:
    """Run every rule that applies to ``chapter``; the first broken one raises :class:`RuleBroken`."""
    for rule in EVERY_CHAPTER + RULES.get(chapter, ()):
        rule(values)
