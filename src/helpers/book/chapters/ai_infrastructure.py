"""The "AI infrastructure" page: its inputs (:func:`prepare`), the scope and claim sections, and the key
findings, from the computations in :mod:`helpers.analysis.infrastructure`. The other sections are in
:mod:`.ai_infrastructure_levels` (levels, the digital divide), :mod:`.ai_infrastructure_compute` (China's
statements, TOP500, GPU clusters, AI models) and :mod:`.ai_infrastructure_innovation` (innovation, the
bridge to exports), re-exported here; their shared wording is in :mod:`.ai_infrastructure_words` and the
charts are in :mod:`.ai_infrastructure_charts`.

Every sentence is chosen from computed facts, with its own wording for the degenerate cases (one member,
one year, ties, no data) and human labels for the indicators. A figure that cannot be drawn for a selection
leaves a note, and its ``fig-<name>`` link in the prose says so."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers import text
from helpers.analysis import infrastructure as infra
from helpers.book.chapters.ai_infrastructure_compute import gpu, models, statements, top500  # noqa: F401  (page sections)
from helpers.book.chapters.ai_infrastructure_innovation import bridge, innovation  # noqa: F401  (page sections)
from helpers.book.chapters.ai_infrastructure_levels import divide, levels  # noqa: F401  (page sections)
from helpers.book.chapters.ai_infrastructure_words import NO_FIGURE, lower_first, names, span  # noqa: F401
from helpers.claims import core as claims
from helpers.data import datastore as ds

FOCUS = "CHN"  # drawn prominently when selected: the seeds' economy

CLAIM_GROUPS: dict[str, tuple[str, ...]] = {
    "digital_economy": ("S000-053", "S000-054", "S000-055", "S000-056", "S002-006", "S003-001"),
    "compute": ("S000-078", "S000-079", "S000-080"),
    "dtdi": ("S000-081", "S000-082", "S000-083"),
}
CLAIM_CAPTIONS = {
    "digital_economy": "Claims on China's digital economy and networks, with their verdicts",
    "compute": "Claims on China's computing power, with their verdicts",
    "dtdi": "Claims on the digital technology development index, with their verdicts",
}


@dataclass(frozen=True)
class Infrastructure:
    """The page's inputs: the selected members, window and indicators, and their WDI panels."""

    economies: tuple[str, ...]
    focus: str | None
    indicators: tuple[str, ...]
    start_year: int
    end_year: int
    panel: pd.DataFrame  # the selected infrastructure indicators
    innovation: pd.DataFrame  # R&D and high-technology exports


def prepare(params: dict) -> Infrastructure:
    economies = tuple(infra.members(params["countries"]))
    a, b = params["start_year"], params["end_year"]
    codes = tuple(params["indicators"])
    return Infrastructure(
        economies,
        FOCUS if FOCUS in economies else None,
        codes,
        a,
        b,
        infra.load_panel(codes, economies, a, b),
        infra.load_panel(infra.INNOVATION, economies, a, b),
    )


def scope(page, r: Infrastructure) -> None:
    n_rcep = len(ds.country_groups()["rcep"])
    page.glue_sentences(
        {
            "economies": f"all {n_rcep} RCEP members" if len(r.economies) == n_rcep else names(r.economies),
            "window": span(r.start_year, r.end_year),
        }
    )


# --------------------------------------------------------------------------- claims


def show_claims(page, group: str) -> None:
    claims.show(page, CLAIM_GROUPS[group], name=f"claims-{group.replace('_', '-')}", caption=CLAIM_CAPTIONS[group])


def dtdi(page) -> None:
    """The index claims: their internal consistency, and the verdicts."""
    page.glue_sentences({"dtdi_sentence": dtdi_sentence()})
    show_claims(page, "dtdi")


def dtdi_sentence() -> str:
    growth, low, high = claims.check("S000-082"), claims.stated("S000-081"), claims.stated("S000-081", end=True)
    return (
        f"The seed's digital technology development index rises from {text.num(low, 3)} to {text.num(high, 3)}; "
        f"that is {text.pct(growth.computed, 1, sign=True)}, so the stated growth of "
        f"{text.pct(growth.stated, 0)} is {growth.status} with the stated levels. The index itself, and the sample "
        "average it is compared with, come from the cited study and cannot be checked here."
    )


# --------------------------------------------------------------------------- key findings


def findings(*found: tuple[str, str | None]) -> list[str | tuple[str, str]]:
    """Key findings from the sections' (sentence, figure name or None) pairs, in reading order."""
    return [sentence if name is None else (sentence, name) for sentence, name in found]
