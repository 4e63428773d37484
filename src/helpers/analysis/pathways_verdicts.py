"""RCEP pathways, step 3: the verdict rules, applied once (pure, no page, no sentences).

The study's three claims, as hypotheses about associations in the panel:

* (a) economic scale (log GDP) and institutional openness are positively associated with digital service exports;
* (b) the associations of digital infrastructure and of ICT service exports weaken over time;
* (c) the associations differ between the high-income members and the others.

Every test of a claim sorts its evidence into one of three classes, with the same logic for every claim:

* ``FOR`` — the claimed pattern is statistically significant (bootstrap p below α);
* ``AGAINST`` — the opposite pattern is significant, or the confidence interval rules out even a small
  association in the claimed direction (a standardised within coefficient of :data:`MEANINGFUL`);
* ``OPEN`` — neither: the interval is too wide to tell.

When a claim has two tests (b: the late-period interaction and the rolling windows) and one is ``FOR`` while
the other is ``AGAINST``, the evidence is ``CONFLICT``. A part of a claim is judged in the main specification
(α = 5 %, 95 % intervals) and in every robustness specification (α = 10 %, 90 % intervals):

* **supported** — ``FOR`` in the main and in every estimable robustness specification;
* **not supported** — ``AGAINST`` in the main and in every estimable robustness specification;
* **conflicting** — ``CONFLICT`` in the main specification;
* **inconclusive** — otherwise (too wide in the main specification, or the robustness specifications disagree).

A claim about two regressors is supported (not supported) when both parts are, conflicting when a part is,
and inconclusive otherwise. :func:`previous_rules` applies the rules as they stood before the last revision,
so the page can say what the revision changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers import text
from helpers.analysis.pathways_estimation import INCOME_TERMS, JOINT_INCOME, Estimates, Fit, SpecTests, robustness_specs
from helpers.analysis.pathways_panel import Spec, non_ict

SUPPORTED, NOT_SUPPORTED, INCONCLUSIVE, CONFLICTING = VERDICTS = text.HYPOTHESIS_VERDICTS
FOR, AGAINST, OPEN, CONFLICT = "for", "against", "open", "conflict"
ALPHA_MAIN, ALPHA_ROBUST = 0.05, 0.10
MEANINGFUL = 0.10  # standardised within coefficient (β·sd_x/sd_y): the conventional "small" size
PARTS = {"a": ("log_gdp", "openness"), "b": ("infrastructure", "log_ict"), "c": ("heterogeneity",)}


@dataclass(frozen=True)
class Estimate:
    """One coefficient as the rules see it: the interval is at the level of the test (95 % or 90 %)."""

    coef: float
    p: float  # wild cluster restricted bootstrap p-value
    low: float
    high: float
    scale: float = float("nan")  # sd(regressor)/sd(dependent), both net of the fixed effects


@dataclass(frozen=True)
class Test:
    """One test of a claim in one specification: its class and why (a reason code)."""

    name: str  # "coefficient", "interaction", "rolling", "joint"
    cls: str | None  # FOR / AGAINST / OPEN; None = could not be run
    reason: str
    estimate: Estimate | None = None
    first: Estimate | None = None  # rolling windows: first and last window (``estimate`` = last - first)
    last: Estimate | None = None
    windows: tuple[int, int, int, int] | None = None  # first window's start and end, last window's start and end
    joint_p: float | None = None
    interactions: tuple[Estimate, ...] = ()  # (c): each regressor's interaction with high income


@dataclass(frozen=True)
class Evidence:
    """The tests of one part of a claim in one specification, and their combined class."""

    spec: Spec
    cls: str | None  # FOR / AGAINST / OPEN / CONFLICT; None = not estimable or not testable
    tests: tuple[Test, ...]
    error: str | None = None

    def test(self, name: str) -> Test | None:
        return next((t for t in self.tests if t.name == name), None)


@dataclass(frozen=True)
class Part:
    claim: str
    term: str
    verdict: str
    reason: str  # "holds_everywhere", "against_everywhere", "tests_disagree", "fragile", "too_wide",
    main: Evidence  # "no_robustness", "not_testable"
    robust: tuple[Evidence, ...]

    @property
    def failing(self) -> tuple[Spec, ...]:
        """Estimable robustness specifications whose class differs from the main one."""
        return tuple(e.spec for e in self.robust if e.cls is not None and e.cls != self.main.cls)

    @property
    def not_estimable(self) -> tuple[Evidence, ...]:
        return tuple(e for e in self.robust if e.cls is None)


@dataclass(frozen=True)
class Verdicts:
    claims: dict[str, str]  # "a" / "b" / "c" -> verdict
    parts: dict[str, Part]  # term -> part ("heterogeneity" for c)
    previous: dict[str, str]  # the same estimates under the rules before the last revision

    def claim_parts(self, claim: str) -> list[Part]:
        return [self.parts[t] for t in PARTS[claim]]


# --------------------------------------------------------------------------- classifying one test


def estimate_of(fit: Fit, term: str, level: float, boot_key: str | None = None) -> Estimate:
    low, high = fit.fit.ci(level) if level != 0.95 else (fit.fit.ci_low, fit.fit.ci_high)
    return Estimate(
        float(fit.fit.params[term]),
        float(fit.boot.get(boot_key or term, np.nan)),
        float(low[term]),
        float(high[term]),
        fit.scale(term),
    )


def classify_positive(e: Estimate, alpha: float) -> tuple[str, str]:
    """(a): is the coefficient positive?"""
    if e.coef > 0 and e.p < alpha:
        return FOR, "significant_positive"
    if e.coef < 0 and e.p < alpha:
        return AGAINST, "significant_negative"
    if np.isfinite(e.scale) and e.high * e.scale < MEANINGFUL:
        return AGAINST, "rules_out_positive"
    return OPEN, "too_wide"


def classify_weakening(e: Estimate, alpha: float) -> tuple[str, str]:
    """(b), late-period interaction: is the late-period coefficient smaller than the early one?"""
    if e.coef < 0 and e.p < alpha:
        return FOR, "significant_weakening"
    if e.coef > 0 and e.p < alpha:
        return AGAINST, "significant_strengthening"
    if np.isfinite(e.scale) and e.low * e.scale > -MEANINGFUL:
        return AGAINST, "rules_out_weakening"
    return OPEN, "too_wide"


def classify_rolling(change: Estimate | None, alpha: float) -> tuple[str | None, str]:
    """(b), rolling windows: ``change`` = last window's coefficient minus the first window's, tested with the
    standard error of the difference of two estimates (t(G-1) critical values). A significant fall is a clear
    decline, a significant rise a clear rise."""
    if change is None:
        return None, "too_few_windows"
    if change.coef < 0 and change.p < alpha:
        return FOR, "clear_decline"
    if change.coef > 0 and change.p < alpha:
        return AGAINST, "clear_rise"
    return OPEN, "no_clear_change"


def classify_heterogeneity(joint_p: float, interactions: Sequence[Estimate], alpha: float) -> tuple[str, str]:
    """(c): do the four associations differ by income group (joint test of the four interactions)?"""
    if joint_p < alpha:
        return FOR, "joint_significant"
    if all(np.isfinite(e.scale) and max(abs(e.low), abs(e.high)) * e.scale < MEANINGFUL for e in interactions):
        return AGAINST, "rules_out_differences"
    return OPEN, "too_wide"


def combine_tests(classes: Sequence[str | None]) -> str | None:
    got = {c for c in classes if c is not None}
    if not got:
        return None
    if FOR in got and AGAINST in got:
        return CONFLICT
    return FOR if FOR in got else AGAINST if AGAINST in got else OPEN


# --------------------------------------------------------------------------- evidence per specification


def first_last(
    roll: pd.DataFrame, term: str, level: float
) -> tuple[Estimate | None, Estimate | None, Estimate | None, tuple[int, int, int, int] | None]:
    """The first and last rolling windows of a term (intervals at ``level``), the change from the first to the
    last (its p-value from t(G-1), G the smaller window's number of members) and the windows' years."""
    from scipy.special import stdtr, stdtrit

    r = roll[roll["term"] == term].sort_values("start")
    if len(r) < 2:
        return None, None, None, None
    lo, hi = ("low", "high") if level == 0.95 else ("low90", "high90")
    f, l_ = r.iloc[0], r.iloc[-1]
    d = float(l_["coef"] - f["coef"])
    se = float(np.hypot(f["se"], l_["se"]))
    df = int(min(f["countries"], l_["countries"])) - 1
    half = float(stdtrit(df, 0.5 + level / 2)) * se
    change = Estimate(d, float(2 * stdtr(df, -abs(d) / se)) if se > 0 else float("nan"), d - half, d + half)
    return (
        Estimate(float(f["coef"]), float("nan"), float(f[lo]), float(f[hi])),
        Estimate(float(l_["coef"]), float("nan"), float(l_[lo]), float(l_[hi])),
        change,
        (int(f["start"]), int(f["end"]), int(l_["start"]), int(l_["end"])),
    )


def evidence(t: SpecTests, term: str, alpha: float) -> Evidence:
    """The tests of one part of a claim in one specification, at significance level ``alpha``."""
    level = 1 - alpha
    if term in ("log_gdp", "openness"):
        if not t.base.ok:
            return Evidence(t.spec, None, (), t.base.error)
        e = estimate_of(t.base, term, level)
        cls, why = classify_positive(e, alpha)
        return Evidence(t.spec, cls, (Test("coefficient", cls, why, e),))
    if term in ("infrastructure", "log_ict"):
        if not t.period.ok:
            return Evidence(t.spec, None, (), t.period.error)
        e = estimate_of(t.period, f"{term}_x_late", level)
        c1, w1 = classify_weakening(e, alpha)
        first, last, change, windows = first_last(t.rolling, term, level)
        c2, w2 = classify_rolling(change, alpha)
        tests = (
            Test("interaction", c1, w1, e),
            Test("rolling", c2, w2, estimate=change, first=first, last=last, windows=windows),
        )
        return Evidence(t.spec, combine_tests([c1, c2]), tests)
    if term == "heterogeneity":
        if not t.income_testable:
            return Evidence(t.spec, None, (), "an income group has fewer than two members in the sample")
        if not t.income.ok:
            return Evidence(t.spec, None, (), t.income.error)
        inter = [estimate_of(t.income, x, level) for x in INCOME_TERMS]
        joint = float(t.income.boot[JOINT_INCOME])
        cls, why = classify_heterogeneity(joint, inter, alpha)
        return Evidence(t.spec, cls, (Test("joint", cls, why, joint_p=joint, interactions=tuple(inter)),))
    raise ValueError(f"unknown part {term!r}")


def part_verdict(main: Evidence, robust: Sequence[Evidence]) -> tuple[str, str]:
    if main.cls is None:
        return INCONCLUSIVE, "not_testable"
    if main.cls == CONFLICT:
        return CONFLICTING, "tests_disagree"
    if main.cls == OPEN:
        return INCONCLUSIVE, "too_wide"
    estimable = [e for e in robust if e.cls is not None]
    if not estimable:
        return INCONCLUSIVE, "no_robustness"
    if all(e.cls == main.cls for e in estimable):
        return (SUPPORTED, "holds_everywhere") if main.cls == FOR else (NOT_SUPPORTED, "against_everywhere")
    return INCONCLUSIVE, "fragile"


def combine_parts(verdicts: Sequence[str]) -> str:
    if all(v == SUPPORTED for v in verdicts):
        return SUPPORTED
    if all(v == NOT_SUPPORTED for v in verdicts):
        return NOT_SUPPORTED
    if CONFLICTING in verdicts:
        return CONFLICTING
    return INCONCLUSIVE


def part_specs(main: Spec, term: str) -> Spec:
    """The specification a part is read from: the ICT part from the non-ICT dependent variable (with total
    digital service exports on the left, the ICT coefficient moves mechanically with ICT's share of it)."""
    return non_ict(main) if term == "log_ict" else main


def judge(est: Estimates, main: Spec, openness: Sequence[str]) -> Verdicts:
    """Apply the rules to the main specification and its robustness specifications."""
    parts = {}
    for claim, terms in PARTS.items():
        for term in terms:
            spec = part_specs(main, term)
            m = evidence(est.tests(spec), term, ALPHA_MAIN)
            specs = robustness_specs(spec, openness, other_dependent=term != "log_ict")
            rob = tuple(evidence(est.tests(s), term, ALPHA_ROBUST) for s in specs)
            v, why = part_verdict(m, rob)
            parts[term] = Part(claim, term, v, why, m, rob)
    claims = {c: combine_parts([parts[t].verdict for t in terms]) for c, terms in PARTS.items()}
    return Verdicts(claims, parts, previous_rules(parts))


# --------------------------------------------------------------------------- the robustness grid, cell by cell


def cell_classes(t: SpecTests) -> dict[str, str | None]:
    """Each part's class in one cell of the grid, judged as if the cell were the main specification (α = 5 %).
    The ICT part is judged only on non-ICT dependent variables (None elsewhere)."""
    out = {}
    for terms in PARTS.values():
        for term in terms:
            if term == "log_ict" and t.spec.dependent != "dds_exports_non_ict":
                out[term] = None
            else:
                out[term] = evidence(t, term, ALPHA_MAIN).cls
    return out


def grid_agreement(grid: Sequence[SpecTests]) -> pd.DataFrame:
    """For each part: how many cells of the grid are FOR, AGAINST, OPEN, CONFLICT, or could not be estimated."""
    rows = []
    classes = [cell_classes(t) for t in grid]
    for claim, terms in PARTS.items():
        for term in terms:
            got = [
                c[term] for t, c in zip(grid, classes) if term != "log_ict" or t.spec.dependent == "dds_exports_non_ict"
            ]
            rows.append(
                {
                    "claim": claim,
                    "term": term,
                    "cells": len(got),
                    **{k: sum(1 for g in got if g == k) for k in (FOR, AGAINST, OPEN, CONFLICT)},
                    "not_estimable": sum(1 for g in got if g is None),
                }
            )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the rules before the last revision


def _overlap_change(first: Estimate | None, last: Estimate | None) -> bool:
    """The previous rolling-window criterion: the last window's estimate below the first window's 95 % interval
    and the first window's estimate above the last window's interval."""
    return first is not None and last is not None and last.coef < first.low and first.coef > last.high


def previous_rules(parts: dict[str, Part]) -> dict[str, str]:
    """The verdicts the same estimates get under the rules before the last revision (disclosed on the page):
    (a) not supported on the main specification alone; (b) not supported whenever the interaction is not
    negative and the rolling path does not clearly decline (windows compared by the overlap of their intervals),
    robustness = the sign of the interaction / the direction of the rolling path; (c) not supported whenever the
    joint p is 10 % or more; no "conflicting"."""
    out = {}
    for term in ("log_gdp", "openness"):
        p = parts[term]
        t = p.main.test("coefficient")
        if t is None:
            out[term] = INCONCLUSIVE
            continue
        rob = [e.test("coefficient").estimate for e in p.robust if e.cls is not None]
        if t.cls == FOR:
            out[term] = SUPPORTED if all(r.coef > 0 and r.p < ALPHA_ROBUST for r in rob) else INCONCLUSIVE
        else:
            out[term] = NOT_SUPPORTED if t.cls == AGAINST else INCONCLUSIVE
    for term in ("infrastructure", "log_ict"):
        p = parts[term]
        inter, roll = p.main.test("interaction"), p.main.test("rolling")
        if inter is None:
            out[term] = INCONCLUSIVE
            continue
        e = inter.estimate
        robust = [x for x in p.robust if x.cls is not None]
        by_inter = e.coef < 0 and e.p < ALPHA_MAIN and all(x.test("interaction").estimate.coef < 0 for x in robust)
        paths = [(x.test("rolling").first, x.test("rolling").last) for x in robust]
        by_roll = _overlap_change(roll.first, roll.last) and all(l_.coef < f.coef for f, l_ in paths if f is not None)
        contradicted = (e.coef > 0 and e.p < ALPHA_MAIN) or _overlap_change(roll.last, roll.first)
        if (by_inter or by_roll) and not contradicted:
            out[term] = SUPPORTED
        elif by_inter or by_roll:
            out[term] = INCONCLUSIVE
        else:
            out[term] = NOT_SUPPORTED if e.coef >= 0 else INCONCLUSIVE
    het = parts["heterogeneity"]
    joint = het.main.test("joint")
    if joint is None:
        out["heterogeneity"] = INCONCLUSIVE
    else:
        rob = [x.test("joint").joint_p for x in het.robust if x.cls is not None]
        if joint.joint_p < ALPHA_MAIN and all(q < ALPHA_ROBUST for q in rob):
            out["heterogeneity"] = SUPPORTED
        elif joint.joint_p >= ALPHA_ROBUST:
            out["heterogeneity"] = NOT_SUPPORTED
        else:
            out["heterogeneity"] = INCONCLUSIVE

    def old_combine(vs: Sequence[str]) -> str:
        return (
            SUPPORTED
            if all(v == SUPPORTED for v in vs)
            else NOT_SUPPORTED
            if all(v == NOT_SUPPORTED for v in vs)
            else INCONCLUSIVE
        )

    return {c: old_combine([out[t] for t in terms]) for c, terms in PARTS.items()}
