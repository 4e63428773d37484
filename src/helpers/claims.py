"""The claims checker: one verdict per claim of the seeds, one source of truth for every page.

The register is ``data/claims.csv`` (one row per quantitative statement). A *check* is a function
registered for one or more claim ids; it computes the value the claim states (from the levels the
seed itself gives, or from a table in ``data/``) and hands it to :func:`compare`, which applies the
tolerance rule implied by how the claim is stated:

* ``exact``: |computed - stated| <= half a unit of the last digit stated (7.8 -> 0.05);
* ``more_than``: computed >= stated;  ``less_than``: computed <= stated;
* ``nearly``: stated x 0.9 <= computed <= stated + half a unit of the last digit.

Topic modules register checks with ``@register("S000-020", ...)``. Chapters show the results of
their own claims with :func:`results_table`; the audit appendix runs :func:`check_all`. A claim
with no registered check is ``not checkable`` with the reason recorded in :data:`NOT_CHECKABLE`
or a generic one.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

import pandas as pd

from . import datastore, paths
from .text import CLAIM_STATUSES

CONSISTENT, INCONSISTENT, NOT_CHECKABLE_STATUS = CLAIM_STATUSES

# Modules that register checks; imported lazily by check_all / check.
CHECK_MODULES = ("helpers.claim_checks", "helpers.trends", "helpers.scale", "helpers.structure",
                 "helpers.infrastructure", "helpers.pathways")


@dataclass(frozen=True)
class Result:
    claim_id: str
    status: str
    stated: float | None
    computed: float | None
    rule: str
    method: str
    source: str

    def as_dict(self) -> dict:
        return asdict(self)


Check = Callable[[pd.Series], Result]
_REGISTRY: dict[str, Check] = {}
# claim_id -> reason, for claims no table can check (said plainly on the page).
NOT_CHECKABLE: dict[str, str] = {}


def register(*claim_ids: str) -> Callable[[Check], Check]:
    """Decorator: ``fn(claim_row) -> Result`` checks the given claims."""

    def deco(fn: Check) -> Check:
        for cid in claim_ids:
            if cid in _REGISTRY and _REGISTRY[cid] is not fn:
                raise ValueError(f"claim {cid} already has a check ({_REGISTRY[cid].__module__})")
            _REGISTRY[cid] = fn
        return fn

    return deco


def not_checkable(reason: str, *claim_ids: str) -> None:
    for cid in claim_ids:
        NOT_CHECKABLE[cid] = reason


def _load_checks() -> None:
    for mod in CHECK_MODULES:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:  # a real import error inside the module must surface
                raise


# --------------------------------------------------------------------------- the register


def register_table() -> pd.DataFrame:
    """claims.csv, validated, with ``stated_decimals`` (digits after the point as written)."""
    df = datastore.load_table("claims")
    raw = pd.read_csv(paths.data_dir() / "claims.csv", dtype=str, keep_default_na=False)
    df["stated_decimals"] = raw["value"].map(stated_decimals).astype(int)
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


def tolerance(decimals: int) -> float:
    return 0.5 * 10 ** (-decimals)


def compare(row: pd.Series, computed: float | None, *, method: str, source: str,
            stated: float | None = None, decimals: int | None = None) -> Result:
    """Verdict for ``computed`` against the claim in ``row`` (or an explicit ``stated`` value)."""
    stated = float(row["value"]) if stated is None else float(stated)
    decimals = int(row["stated_decimals"]) if decimals is None else decimals
    q = row["qualifier"]
    cid = row["claim_id"]
    if computed is None or (isinstance(computed, float) and math.isnan(computed)):
        return Result(cid, NOT_CHECKABLE_STATUS, stated, None, "no value could be computed", method, source)
    tol = tolerance(decimals)
    eps = 1e-9 * max(1.0, abs(stated))
    if q == "exact":
        ok = abs(computed - stated) <= tol + eps
        rule = f"|computed − stated| ≤ {tol:g} (rounding of the stated figure)"
    elif q == "more_than":
        ok = computed >= stated - eps
        rule = f"computed ≥ {stated:g} (stated as 'more than')"
    elif q == "less_than":
        ok = computed <= stated + eps
        rule = f"computed ≤ {stated:g} (stated as 'less than')"
    elif q == "nearly":
        ok = 0.9 * stated - eps <= computed <= stated + tol + eps if stated >= 0 else \
            stated - tol - eps <= computed <= 0.9 * stated + eps
        rule = f"within 10 % below {stated:g} up to {stated + tol:g} (stated as 'nearly')"
    else:  # pragma: no cover - schema restricts the qualifier
        raise ValueError(f"unknown qualifier {q!r}")
    return Result(cid, CONSISTENT if ok else INCONSISTENT, stated, float(computed), rule, method, source)


def unverifiable(row: pd.Series, reason: str) -> Result:
    return Result(row["claim_id"], NOT_CHECKABLE_STATUS, float(row["value"]), None, "—", reason, "—")


# --------------------------------------------------------------------------- running checks


def check(claim_id: str) -> Result:
    _load_checks()
    row = claim(claim_id)
    fn = _REGISTRY.get(claim_id)
    if fn is None:
        reason = NOT_CHECKABLE.get(claim_id, "no table in data/ measures this; quoted, not verified")
        return unverifiable(row, reason)
    return fn(row)


def check_many(claim_ids: Iterable[str]) -> pd.DataFrame:
    reg = register_table()
    rows = []
    for cid in claim_ids:
        r = check(cid)
        rows.append({**r.as_dict(), "quote": reg.loc[cid, "quote"], "subject": reg.loc[cid, "subject"],
                     "seed_file": reg.loc[cid, "seed_file"], "chapter": reg.loc[cid, "chapter"],
                     "unit": reg.loc[cid, "unit"], "year": reg.loc[cid, "year"]})
    return pd.DataFrame(rows)


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
    from .text import growth

    a, b = stated(prev_id), stated(cur_id)
    return compare(row, growth(a, b), method=f"growth recomputed from the stated levels ({prev_id} → {cur_id})",
                   source="the seed's own figures")


def cagr_from_claims(row: pd.Series, first_id: str, last_id: str, years: float,
                     first_end: bool = False, last_end: bool = False) -> Result:
    """A stated average annual growth rate (%) against the CAGR implied by two stated levels."""
    from .text import cagr

    a, b = stated(first_id, first_end), stated(last_id, last_end)
    return compare(row, cagr(a, b, years), method=f"CAGR over {years:g} years from the stated levels "
                   f"({first_id} → {last_id})", source="the seed's own figures")


def change_from_claims(row: pd.Series, first_id: str, last_id: str, first_end: bool = False,
                       last_end: bool = False, as_multiple: bool = False) -> Result:
    """A stated total change (%), or multiple (x), against two stated levels."""
    a, b = stated(first_id, first_end), stated(last_id, last_end)
    value = b / a if as_multiple else (b / a - 1) * 100
    what = "multiple" if as_multiple else "total change (%)"
    return compare(row, value, method=f"{what} recomputed from the stated levels ({first_id} → {last_id})",
                   source="the seed's own figures")


def share_from_claims(row: pd.Series, part_id: str, whole_id: str) -> Result:
    """A stated share (%) against part / whole of two stated levels (same unit)."""
    return compare(row, 100 * stated(part_id) / stated(whole_id),
                   method=f"share recomputed from the stated levels ({part_id} / {whole_id})",
                   source="the seed's own figures")


# --------------------------------------------------------------------------- showing verdicts on a page


def results_frame(claim_ids: Iterable[str]) -> pd.DataFrame:
    """Display frame: claim, what the seed says, stated, computed, verdict (HTML badge), how checked."""
    from .text import badge

    res = check_many(list(claim_ids))
    if res.empty:
        return res
    anchor = res["claim_id"].map(lambda c: f'<a href="claims_audit.html#claim-{c.lower()}">{c}</a>')
    return pd.DataFrame({
        "claim": anchor,
        "the seed says": res["quote"],
        "stated": res["stated"],
        "computed": res["computed"],
        "verdict": res["status"].map(badge),
        "how it was checked": res["method"] + " — rule: " + res["rule"],
    })


def show(page, claim_ids: Iterable[str], *, name: str, caption: str) -> pd.DataFrame:
    """Put the verdicts of some claims on a chapter page (same checker as the audit appendix)."""
    ids = list(claim_ids)
    frame = results_frame(ids)
    raw = check_many(ids)
    page.table(frame, name=name, caption=caption, source="data/claims.csv (seed quotes); checks in helpers",
               html_columns=["claim", "verdict"], formats={"stated": ",.6g", "computed": ",.6g"},
               csv=raw[["claim_id", "quote", "stated", "computed", "status", "rule", "method", "source"]])
    return raw
