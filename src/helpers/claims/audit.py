"""The claims audit as computations: every claim of the seeds with its verdict, filtered, counted, grouped.

The verdicts come from :mod:`helpers.claims.core` (``check_many``), the same checker every chapter uses
inline, so the audit and the chapters cannot disagree. No HTML, charts or sentences here: the page is
:mod:`helpers.book.chapters.claims_audit`.

* :func:`results` — the checked claims, filtered by seed file and chapter (empty filter = all);
* :func:`counts` / :func:`counts_long` — a status x group table (seed or chapter), statuses in a fixed order;
* :func:`tally` — the totals the page states; :func:`reasons` — why claims are not checkable, grouped;
* :data:`SEEDS` — the five seed texts with the short names the book uses for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from helpers.claims import all_checks  # noqa: F401  (every chapter's checks: the audit's cache key follows them)
from helpers.claims import core as claims
from helpers.text import CLAIM_STATUSES

CONSISTENT, INCONSISTENT, NOT_CHECKABLE = CLAIM_STATUSES
ENUMERATION_NOTE = "enumeration count"


@dataclass(frozen=True)
class Seed:
    short: str  # how the book refers to it: "the study", "the first policy article"
    title: str  # its own title (shortened)


SEEDS = {
    "000_3d25ae1af6db2194.txt": Seed("the study", "China's digital service trade exports under RCEP (empirical study)"),
    "001_57abebf4787efbc5.txt": Seed(
        "the first policy article", "China eyes service export growth amid trillion-dollar trade opportunity"
    ),
    "002_c698132d86144a3a.txt": Seed(
        "the second policy article", "How to understand and promote the innovative development of digital trade"
    ),
    "003_7ed7f3c30ba74b4d.txt": Seed(
        "the third policy article", "Create a digital trade demonstration zone (interviews, China Economic Times)"
    ),
    "004_31242355024206c3.txt": Seed(
        "the fourth policy article", "High-quality development of service trade in several provinces"
    ),
}


def seed_name(seed_file: str) -> str:
    """The short name of a seed text ('the study'); a file not listed keeps its name."""
    return SEEDS[seed_file].short if seed_file in SEEDS else seed_file


def results(seeds: Sequence[str] = (), chapters: Sequence[str] = ()) -> pd.DataFrame:
    """Checked claims (one row each, register order), filtered by seed file and chapter (values validated with
    the page's parameters). Adds ``seed`` (short name), ``stated_decimals`` (digits written in the figure the
    verdict compares: the end of a from-to claim) and ``enumeration`` (counts of an argument's parts)."""
    reg = claims.register_table()
    keep = pd.Series(True, index=reg.index)
    if seeds:
        keep &= reg["seed_file"].isin(list(seeds))
    if chapters:
        keep &= reg["chapter"].isin(list(chapters))
    res = claims.check_many(list(reg.index[keep]))
    rows = reg.loc[res["claim_id"]]
    ends = (res["detail"].ne("") | (res["stated"] != rows["value"].to_numpy())).to_numpy()
    res["stated_decimals"] = rows["stated_decimals"].to_numpy()
    res.loc[ends, "stated_decimals"] = rows["stated_decimals_end"].to_numpy()[ends]
    res["seed"] = res["seed_file"].map(seed_name)
    res["enumeration"] = res["note"].fillna("").str.contains(ENUMERATION_NOTE, regex=False)
    return res


def counts(res: pd.DataFrame, by: str) -> pd.DataFrame:
    """Claims per ``by`` (e.g. 'seed', 'chapter') and status, statuses in fixed order, with totals."""
    if by not in res.columns:
        raise ValueError(f"counts: no column {by!r}; columns: {', '.join(res.columns)}")
    unknown = set(res["status"]) - set(CLAIM_STATUSES)
    if unknown:
        raise ValueError(f"counts: unknown status(es) {sorted(unknown)}")
    if res.empty:
        tab = pd.DataFrame(columns=list(CLAIM_STATUSES), dtype=int)
    else:
        tab = pd.crosstab(res[by], res["status"]).reindex(columns=list(CLAIM_STATUSES), fill_value=0)
    tab = tab.reindex(sorted(tab.index))
    tab["all"] = tab.sum(axis=1)
    out = pd.concat([tab, pd.DataFrame([tab.sum(axis=0)], index=["all"])]).astype(int)
    out.index.name = by
    out.columns.name = None
    return out.reset_index()


def counts_long(res: pd.DataFrame, by: str = "seed") -> pd.DataFrame:
    """Tidy counts for a chart: one row per group and status (zeros kept, so bars line up)."""
    tab = counts(res, by)
    tab = tab[tab[by] != "all"]
    long = tab.melt(id_vars=[by], value_vars=list(CLAIM_STATUSES), var_name="status", value_name="claims")
    long["order"] = long["status"].map({s: i for i, s in enumerate(CLAIM_STATUSES)})
    return long


@dataclass(frozen=True)
class Tally:
    claims: int
    consistent: int
    inconsistent: int
    not_checkable: int
    enumeration: int  # not-checkable claims that count the parts of an argument
    seeds: int
    chapters: int

    @property
    def checkable(self) -> int:
        return self.consistent + self.inconsistent

    @property
    def share_consistent(self) -> float:
        """Consistent claims as % of the checkable ones (NaN when none could be checked)."""
        return 100 * self.consistent / self.checkable if self.checkable else float("nan")


def tally(res: pd.DataFrame) -> Tally:
    n = res["status"].value_counts()
    nc = res[res["status"] == NOT_CHECKABLE]
    return Tally(
        len(res),
        int(n.get(CONSISTENT, 0)),
        int(n.get(INCONSISTENT, 0)),
        int(n.get(NOT_CHECKABLE, 0)),
        int(nc["enumeration"].sum()) if "enumeration" in nc else 0,
        res["seed_file"].nunique(),
        res["chapter"].nunique(),
    )


def most(res: pd.DataFrame, status: str, by: str) -> tuple[str, int, int] | None:
    """The group with the most claims of a status: (group, claims with it, claims of the group); ties: the
    first group in order. None when no claim has the status."""
    tab = counts(res, by)
    tab = tab[tab[by] != "all"]
    if tab.empty or tab[status].max() == 0:
        return None
    top = tab.sort_values([status, by], ascending=[False, True], kind="stable").iloc[0]
    return str(top[by]), int(top[status]), int(top["all"])


def reasons(res: pd.DataFrame) -> pd.DataFrame:
    """Why claims are not checkable: one row per reason with the number of claims and their ids, most
    frequent first."""
    nc = res[res["status"] == NOT_CHECKABLE]
    if nc.empty:
        return pd.DataFrame(columns=["reason", "claims", "ids"])
    grouped = nc.groupby("method", sort=False)["claim_id"].agg(list)
    out = pd.DataFrame({"reason": grouped.index, "claims": grouped.map(len).to_numpy(), "ids": list(grouped)})
    return out.sort_values(["claims", "reason"], ascending=[False, True], kind="stable").reset_index(drop=True)
