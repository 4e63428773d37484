"""The claims checker: one verdict per claim of the seeds, one source of truth for every page.

The register is ``data/claims.csv`` (one row per quantitative statement). A *check* is a function
registered for one or more claim ids; it computes the value the claim states (from the levels the
seed itself gives, or from a table in ``data/``) and hands it to :func:`compare`, which applies the
tolerance rule implied by how the claim is stated:

* ``exact``: |computed - stated| <= half a unit of the last digit stated (7.8 -> 0.05);
* ``more_than``: computed >= stated;  ``less_than``: computed <= stated;
* ``nearly``: stated x NEARLY_FLOOR (0.9) <= computed <= stated + half a unit of the last digit.

That is the one rule: the tolerance comes from the claim's row alone (its qualifier and the digits written in
``claims.csv``), never from the check, and :func:`compare` is the only judge. Every verdict carries the
tolerance it was judged with (``Result.tolerance``), and a test holds each one to :func:`rule_tolerance`.

Topic modules register checks with ``@register("S000-020", ...)``. Chapters show the results of
their own claims with :func:`show`; the audit appendix runs :func:`check_all`. A claim
with no registered check is ``not checkable`` with the reason recorded in :data:`NOT_CHECKABLE`
or a generic one.

Currencies: ``data/`` holds no exchange-rate table, so a yuan figure is never converted to US$ (a
conversion would need a documented rate); checks say so with :func:`yuan_vs_usd` ("not checkable").
Claims stated as a from-to pair (``value`` -> ``value_end``) can be checked on both ends with
:func:`compare_pair` (consistent only if both ends are).
"""

from __future__ import annotations

import importlib
import math
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

import pandas as pd

from helpers import registry
from helpers.data import datastore, paths
from helpers.text import CLAIM_STATUSES

CONSISTENT, INCONSISTENT, NOT_CHECKABLE_STATUS = CLAIM_STATUSES

# The module holding the checks of a chapter's claims (column ``chapter`` of claims.csv). check() imports
# only that one, so a chapter page does not pay for the others' imports; tests assert every check and
# reason is registered by its claim's chapter module.
CHAPTER_CHECK_MODULES = {c.name: c.checks_module for c in registry.CHAPTERS if c.checks_module}
# Every module that registers checks; all imported (lazily) by check_all.
CHECK_MODULES = ("helpers.claims.all_checks", *CHAPTER_CHECK_MODULES.values())


@dataclass(frozen=True)
class Result:
    claim_id: str
    status: str
    stated: float | None
    computed: float | None
    rule: str
    method: str
    source: str
    detail: str = ""  # e.g. both ends of a from-to claim
    tolerance: float | None = None  # the rounding allowance the verdict used (rule_tolerance); None: not judged

    def as_dict(self) -> dict:
        return asdict(self)


Check = Callable[[pd.Series], Result]
_REGISTRY: dict[str, Check] = {}
# claim_id -> reason, for claims no table can check (said plainly on the page).
NOT_CHECKABLE: dict[str, str] = {}
NOT_CHECKABLE_MODULE: dict[str, str] = {}  # claim_id -> module that declared it not checkable


CLAIM_ID = re.compile(r"^S\d{3}-\d{3}$")


def _check_ids(claim_ids: tuple[str, ...], what: str) -> None:
    if not claim_ids:
        raise ValueError(f"{what}: give at least one claim id (e.g. 'S000-014')")
    bad = [c for c in claim_ids if not isinstance(c, str) or not CLAIM_ID.match(c)]
    if bad:
        raise ValueError(f"{what}: malformed claim id(s) {bad}; ids look like 'S000-014' (see data/claims.csv)")


def register(*claim_ids: str) -> Callable[[Check], Check]:
    """Decorator: ``fn(claim_row) -> Result`` checks the given claims."""
    _check_ids(claim_ids, "register")

    def deco(fn: Check) -> Check:
        for cid in claim_ids:
            if cid in _REGISTRY and _REGISTRY[cid] is not fn:
                raise ValueError(f"claim {cid} already has a check ({_REGISTRY[cid].__module__})")
            _REGISTRY[cid] = fn
        return fn

    return deco


def not_checkable(reason: str, *claim_ids: str) -> None:
    """Declare claims no table in ``data/`` can check, with the reason shown on every page."""
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError("not_checkable: the first argument is the reason (a non-empty sentence)")
    _check_ids(claim_ids, "not_checkable")
    for cid in claim_ids:
        NOT_CHECKABLE[cid] = reason
        NOT_CHECKABLE_MODULE[cid] = sys._getframe(1).f_globals.get("__name__", "")


def checker(claim_id: str) -> str | None:
    """Module that registered the check of a claim (``None``: no check registered)."""
    _chapter_checks(claim(claim_id))
    fn = _REGISTRY.get(claim_id)
    if fn is not None:
        return fn.__module__
    return None


def _load_checks(modules: Iterable[str] = CHECK_MODULES) -> None:
    for mod in modules:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:  # a real import error inside the module must surface
                raise


# --------------------------------------------------------------------------- the register


@datastore.derived("claims")
def register_table() -> pd.DataFrame:
    """claims.csv, validated, with ``stated_decimals`` (digits after the point as written)."""
    df = datastore.load_table("claims")
    raw = pd.read_csv(paths.data_dir() / "claims.csv", dtype=str, keep_default_na=False)
    df["stated_decimals"] = raw["value"].map(stated_decimals).astype(int)
    df["stated_decimals_end"] = raw["value_end"].map(stated_decimals).astype(int)
    return df.set_index("claim_id", drop=False)


def stated_decimals(text: str) -> int:
    text = str(text).strip()
    return len(text.split(".", 1)[1]) if "." in text else 0


def claim(claim_id: str) -> pd.Series:
    reg = register_table()
    if claim_id not in reg.index:
        raise datastore.DataRequestError(f"claim {claim_id!r} is not in data/claims.csv")
    return reg.loc[claim_id]


# --------------------------------------------------------------------------- the rule


# 'nearly X': at least this fraction of X (and at most X plus its rounding).
NEARLY_FLOOR = 0.9


def tolerance(decimals: int) -> float:
    return 0.5 * 10 ** (-decimals)


def written_decimals(row: pd.Series, end: bool = False) -> int:
    """Digits after the point of the stated figure as written in claims.csv (``end``: of ``value_end``)."""
    col, value = ("stated_decimals_end", "value_end") if end else ("stated_decimals", "value")
    return int(row[col]) if col in row.index else stated_decimals(str(row[value]))


def rule_tolerance(row: pd.Series, end: bool = False) -> float:
    """The tolerance of the one rule for a claim (``end``: for the "to" figure of a from-to claim): half a
    unit of the last digit written for 'exact' and for the top of a 'nearly' band; none for 'more than' and
    'less than', whose figure is a bound."""
    if row["qualifier"] in ("more_than", "less_than"):
        return 0.0
    return tolerance(written_decimals(row, end))


def compare(
    row: pd.Series,
    computed: float | None,
    *,
    method: str,
    source: str,
    end: bool = False,
    reference_rounding: float = 0.0,
) -> Result:
    """Verdict for ``computed`` against the claim in ``row``, by the one rule (the tolerance follows from
    the row alone: :func:`rule_tolerance`).

    ``end=True`` compares with the claim's ``value_end`` (the "to" of a from-to claim), with the
    rounding of that figure as written.

    ``reference_rounding``: when ``computed`` is itself a published figure rounded more coarsely (its
    half-width, in the claim's unit), it can refute an 'exact' claim but not confirm it beyond its own
    precision: a gap within the claim's tolerance is consistent, a gap beyond both roundings inconsistent,
    and a gap in between is "not checkable" (the reference is too coarse to tell). The tolerance is still
    the rule's; this only keeps a coarse reference from condemning a claim it cannot resolve.
    """
    if end and pd.isna(row.get("value_end")):
        raise ValueError(f"claim {row['claim_id']}: end=True needs a value_end")
    stated = float(row["value_end"] if end else row["value"])
    q = row["qualifier"]
    cid = row["claim_id"]
    if computed is None or not math.isfinite(float(computed)):
        return Result(cid, NOT_CHECKABLE_STATUS, stated, None, "no value could be computed", method, source)
    computed = float(computed)
    tol = rule_tolerance(row, end)
    eps = 1e-9 * max(1.0, abs(stated))
    if q == "exact":
        gap = abs(computed - stated)
        ok = gap <= tol + eps
        rule = f"|computed − stated| ≤ {tol:g} (rounding of the stated figure)"
        if not ok and reference_rounding > tol and gap <= tol + reference_rounding + eps:
            return Result(
                cid,
                NOT_CHECKABLE_STATUS,
                stated,
                computed,
                rule + f"; the reference is rounded to ±{reference_rounding:g}, too coarse to tell",
                method,
                source,
                tolerance=tol,
            )
    elif q == "more_than":
        ok = computed >= stated - eps
        rule = f"computed ≥ {stated:g} (stated as 'more than')"
    elif q == "less_than":
        ok = computed <= stated + eps
        rule = f"computed ≤ {stated:g} (stated as 'less than')"
    elif q == "nearly":
        lo = NEARLY_FLOOR * stated
        ok = lo - eps <= computed <= stated + tol + eps if stated >= 0 else stated - tol - eps <= computed <= lo + eps
        rule = (
            (f"from {lo:g} ({100 * (1 - NEARLY_FLOOR):g} % below) up to {stated + tol:g} (stated as 'nearly')")
            if stated >= 0
            else f"from {stated - tol:g} to {lo:g} (stated as 'nearly')"
        )
    else:  # pragma: no cover - schema restricts the qualifier
        raise ValueError(f"unknown qualifier {q!r}")
    return Result(cid, CONSISTENT if ok else INCONSISTENT, stated, computed, rule, method, source, tolerance=tol)


def compare_pair(
    row: pd.Series, computed_first: float | None, computed_end: float | None, *, method: str, source: str
) -> Result:
    """A from-to claim (``value`` -> ``value_end``): both ends under the claim's rule.

    Consistent only if both ends are; inconsistent if either end is; not checkable if neither end
    could be computed or one could not and the other is consistent. ``stated``/``computed`` of the
    result are the end values; ``detail`` gives both ends.
    """
    if pd.isna(row.get("value_end")):
        raise ValueError(f"claim {row['claim_id']} states one value; use compare(), not compare_pair()")
    first = compare(row, computed_first, method=method, source=source)
    end = compare(row, computed_end, method=method, source=source, end=True)
    statuses = {first.status, end.status}
    if INCONSISTENT in statuses:
        status = INCONSISTENT
    elif statuses == {CONSISTENT}:
        status = CONSISTENT
    else:
        status = NOT_CHECKABLE_STATUS

    def fmt(r: Result) -> str:
        comp = "n/a" if r.computed is None else f"{r.computed:,.6g}"
        return f"{r.stated:,.6g} → computed {comp} ({r.status})"

    detail = f"start: {fmt(first)}; end: {fmt(end)}"
    return Result(row["claim_id"], status, end.stated, end.computed, end.rule, method, source, detail, end.tolerance)


def unverifiable(row: pd.Series, reason: str) -> Result:
    return Result(row["claim_id"], NOT_CHECKABLE_STATUS, float(row["value"]), None, "—", reason, "—")


# Currency units of the register; data/ has no exchange-rate table.
YUAN_UNITS = ("cny_bn", "cny_trn", "cny_mn", "cny")
NO_FX_RATE = "no documented exchange rate in data/, so a yuan figure is not converted to US$"


def is_yuan(row: pd.Series) -> bool:
    return str(row["unit"]) in YUAN_UNITS or str(row["unit"]).startswith("cny")


def yuan_vs_usd(row: pd.Series, what: str = "the US$ data in data/") -> Result:
    """The verdict for a yuan claim whose only comparator is in US$: not checkable, and why."""
    if not is_yuan(row):
        raise ValueError(f"claim {row['claim_id']} is in {row['unit']!r}, not in yuan")
    return unverifiable(row, f"stated in yuan; {NO_FX_RATE} to compare it with {what}")


# --------------------------------------------------------------------------- running checks


def _chapter_checks(row: pd.Series) -> None:
    module = CHAPTER_CHECK_MODULES.get(row["chapter"])
    _load_checks([module] if module else CHECK_MODULES)


def check(claim_id: str) -> Result:
    row = claim(claim_id)
    _chapter_checks(row)
    fn = _REGISTRY.get(claim_id)
    if fn is None:
        reason = NOT_CHECKABLE.get(
            claim_id, f"no check registered for it (chapter: {row['chapter']}); quoted, not verified"
        )
        return unverifiable(row, reason)
    result = fn(row)
    if not isinstance(result, Result) or result.claim_id != claim_id:
        raise TypeError(
            f"the check of {claim_id} ({fn.__module__}.{fn.__name__}) must return a claims.Result "
            f"for {claim_id}, got {result!r}"
        )
    return result


def check_many(claim_ids: Iterable[str]) -> pd.DataFrame:
    reg = register_table()
    ids = list(claim_ids)
    unknown = [c for c in ids if c not in reg.index]
    if unknown:
        raise datastore.DataRequestError(f"claim(s) {unknown} are not in data/claims.csv")
    rows = []
    for cid in ids:
        r = check(cid)
        rec = reg.loc[cid]
        rows.append(
            {
                **r.as_dict(),
                "quote": rec["quote"],
                "subject": rec["subject"],
                "seed_file": rec["seed_file"],
                "chapter": rec["chapter"],
                "unit": rec["unit"],
                "year": rec["year"],
                "section": rec["section"],
                "kind": rec["kind"],
                "qualifier": rec["qualifier"],
                "value_end": rec["value_end"],
                "note": rec["note"],
                "checked_by": checker(cid) or "—",
            }
        )
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


RESULT_COLUMNS = [
    "claim_id",
    "status",
    "stated",
    "computed",
    "rule",
    "method",
    "source",
    "detail",
    "tolerance",
    "quote",
    "subject",
    "seed_file",
    "chapter",
    "unit",
    "year",
    "section",
    "kind",
    "qualifier",
    "value_end",
    "note",
    "checked_by",
]


def check_all() -> pd.DataFrame:
    return check_many(register_table()["claim_id"])


def claims_for(chapter: str) -> list[str]:
    reg = register_table()
    return list(reg.index[reg["chapter"] == chapter])


# --------------------------------------------------------------------------- generic check kinds
# Internal consistency: recompute a claim from other numbers the seeds state themselves.


def stated(claim_id: str, end: bool = False) -> float:
    """The value a claim states (``end=True``: its ``value_end``)."""
    row = claim(claim_id)
    v = row["value_end"] if end else row["value"]
    if pd.isna(v):
        raise datastore.DataRequestError(f"claim {claim_id} has no {'value_end' if end else 'value'}")
    return float(v)


def growth_from_claims(row: pd.Series, prev_id: str, cur_id: str) -> Result:
    """A stated growth rate (%) against the growth implied by two stated levels."""
    from helpers.text import growth

    a, b = stated(prev_id), stated(cur_id)
    return compare(
        row,
        growth(a, b),
        method=f"growth recomputed from the stated levels ({prev_id} → {cur_id})",
        source="the seed's own figures",
    )


def cagr_from_claims(
    row: pd.Series, first_id: str, last_id: str, years: float, first_end: bool = False, last_end: bool = False
) -> Result:
    """A stated average annual growth rate (%) against the CAGR implied by two stated levels."""
    from helpers.text import cagr

    a, b = stated(first_id, first_end), stated(last_id, last_end)
    return compare(
        row,
        cagr(a, b, years),
        method=f"CAGR over {years:g} years from the stated levels ({first_id} → {last_id})",
        source="the seed's own figures",
    )


def change_from_claims(
    row: pd.Series,
    first_id: str,
    last_id: str,
    first_end: bool = False,
    last_end: bool = False,
    as_multiple: bool = False,
) -> Result:
    """A stated total change (%), or multiple (x), against two stated levels."""
    a, b = stated(first_id, first_end), stated(last_id, last_end)
    value = b / a if as_multiple else (b / a - 1) * 100
    what = "multiple" if as_multiple else "total change (%)"
    return compare(
        row,
        value,
        method=f"{what} recomputed from the stated levels ({first_id} → {last_id})",
        source="the seed's own figures",
    )


def share_from_claims(row: pd.Series, part_id: str, whole_id: str) -> Result:
    """A stated share (%) against part / whole of two stated levels (same unit)."""
    return compare(
        row,
        100 * stated(part_id) / stated(whole_id),
        method=f"share recomputed from the stated levels ({part_id} / {whole_id})",
        source="the seed's own figures",
    )


# --------------------------------------------------------------------------- showing verdicts on a page


def anchor_id(claim_id: str) -> str:
    """HTML id of a claim's row, on the audit page and where a chapter shows it: ``claim-s000-014``."""
    return f"claim-{claim_id.lower()}"


def how_checked(res: pd.DataFrame) -> pd.Series:
    """Method, rule (when a rule was applied) and, for from-to claims, both ends, as one text per claim."""
    how = res["method"].where(res["rule"].isin(["—", ""]), res["method"] + " — rule: " + res["rule"])
    return how.where(res["detail"] == "", how + " — " + res["detail"])


def results_frame(claim_ids: Iterable[str], anchors: Iterable[str] = ()) -> pd.DataFrame:
    """Display frame: claim, what the seed says, stated, computed, verdict (HTML badge), how checked.

    Claims listed in ``anchors`` get an HTML id (:func:`anchor_id`) so the audit can link to the
    place where the chapter discusses them.
    """
    from helpers.text import badge

    res = check_many(list(claim_ids))
    if res.empty:
        return res
    anchors = set(anchors)

    def link(c: str) -> str:
        target = f' id="{anchor_id(c)}"' if c in anchors else ""
        return f'<a{target} href="claims_audit.html#{anchor_id(c)}" title="this claim in the claims audit">{c}</a>'

    anchor = res["claim_id"].map(link)
    return pd.DataFrame(
        {
            "claim": anchor,
            "the seed says": res["quote"],
            "stated": res["stated"],
            "computed": res["computed"],
            "verdict": res["status"].map(badge),
            "how it was checked": how_checked(res),
        }
    )


def show(page, claim_ids: Iterable[str], *, name: str, caption: str, collapsed: bool = False) -> pd.DataFrame:
    """Put the verdicts of some claims on a chapter page (same checker as the audit appendix);
    ``collapsed`` folds a long table under its caption."""
    ids = list(claim_ids)
    if not ids:
        raise ValueError(f"claims.show({name!r}): no claim ids given")
    shown = getattr(page, "_claims_shown", None)
    if shown is None:
        shown = set()
        try:
            page._claims_shown = shown
        except AttributeError:  # pragma: no cover - a page object without attributes
            pass
    first_time = [c for c in ids if c not in shown]
    shown.update(ids)
    frame = results_frame(ids, anchors=first_time)
    raw = check_many(ids)
    page.table(
        frame,
        name=name,
        caption=caption,
        source="data/claims.csv (seed quotes); checks in helpers",
        html_columns=["claim", "verdict"],
        formats={"stated": ",.6g", "computed": ",.6g"},
        csv=raw[["claim_id", "quote", "stated", "computed", "status", "rule", "method", "source", "detail"]],
        collapsed=collapsed,
    )
    return raw
