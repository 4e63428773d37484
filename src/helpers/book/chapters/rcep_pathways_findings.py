"""RCEP pathways: the rules as stated on the page, and every sentence about verdicts.

The verdicts table, the readings of each claim, the closing note, the key findings and the headline are all
written here from one :class:`helpers.analysis.pathways_verdicts.Verdicts` object, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from helpers import text
from helpers.analysis import pathways_verdicts as rules
from helpers.analysis.pathways_panel import Spec
from helpers.book.chapters.rcep_pathways_text import (
    CLAIMS,
    CLASS_LABELS,
    LABELS,
    OUTCOME_LABELS,
    PART_LABELS,
    describe,
    fmt_coef,
    fmt_p,
    p_is,
    spec_label,
)

# Disclosed on the page: each revision of the rules made after estimates had been seen, and what it changed.
RULE_HISTORY = (
    "The rules were written before the first estimates and revised once after seeing them, for consistency "
    "between the tests rather than to reach a verdict: the rolling-window route to (b) had to hold in the "
    "robustness specifications; a significant strengthening in one test made (b) inconclusive; and the "
    "threshold of a negligible association in (a) was restated as a standardised coefficient (it was first set in log "
    "points). That change altered the default outcome: under the first version both parts of (a) were "
    "'not supported'; under the revised rule they were 'inconclusive'.",
    "A second revision followed a reviewer's report, again after the estimates had been seen. The main outcome "
    "became the concept the study names, WTO digitally delivered exports, instead of a proxy built from WDI "
    "service exports, which became a robustness check. 'Not supported' now needs the same kind of evidence as "
    "'supported': the evidence must go against the claim in every robustness specification, and for (b) and (c) "
    "a failure to find the pattern counts against the claim only when the interval rules out a small association. "
    "Before, (a) was judged 'not supported' on the main specification alone, (b) was 'not supported' whenever "
    "the late-period interaction was not negative and the rolling path did not clearly decline, and (c) whenever "
    "the joint p-value was 10 % or more. 'Conflicting' was added for two tests of one claim that point in "
    "opposite directions (before, such a case was 'inconclusive', or 'supported' when the rolling windows "
    "declined and the interaction was not significant). The robustness set gained the third outcome measure, "
    "lagged regressors and GDP net of service exports, and a robustness specification of (b) must now show the "
    "same class of evidence rather than only the same sign. The rolling-window test compared the first and last "
    "windows by the overlap of their intervals, a criterion that reports a decline in about 8 % of samples when "
    "nothing changes (for two equally precise windows); it now tests the difference between the two windows. "
    "This flaw was found by the unit tests that check each rule on synthetic panels with a known truth. Before "
    "this revision, with the WDI proxy as main "
    "outcome, the default parameters gave (a) inconclusive, (b) inconclusive and (c) not supported.",
)


def rule_items(robust_labels: Sequence[str], reps: int, seed: int) -> dict[str, str]:
    """The rules box: plain sentences (the page escapes them)."""
    a, r = text.pct(rules.ALPHA_MAIN * 100, 0), text.pct(rules.ALPHA_ROBUST * 100, 0)
    small = text.num(rules.MEANINGFUL, 2)
    return {
        "classes": (
            f"Each test of a claim puts its evidence in one of three classes, with the same logic for every claim. "
            f"For the claim: the claimed pattern is statistically significant (bootstrap p-value below α). Against "
            f"the claim: the opposite pattern is significant, or the confidence interval rules out even a small "
            f"association in the claimed direction, that is a standardised within coefficient (coefficient × standard "
            f"deviation of the regressor ÷ standard deviation of the dependent variable, both net of the fixed "
            f"effects) of {small}, the conventional threshold of a small standardised association. Too wide to "
            f"tell: neither. α is "
            f"{a} with 95 % intervals in the main specification and {r} with 90 % intervals in the robustness "
            f"specifications."
        ),
        "a": (
            "(a) For each of GDP and openness, the test is its coefficient: for the claim if positive and "
            "significant; against it if negative and significant, or if the interval's upper end is below a "
            "small positive association."
        ),
        "b": (
            f"(b) For each of infrastructure and ICT exports, two tests. The late-period interaction (the "
            f"coefficient in the late half of the sample minus the early half): for the claim if negative and "
            f"significant; against it if positive and significant, or if the interval's lower end is above a "
            f"small weakening (−{small}). The rolling windows: the change from the first window's coefficient "
            f"to the last window's, tested with the standard error of the difference and t(G−1) critical values: "
            f"for the claim if it is a significant fall (a clear decline), against it if it is a significant rise "
            f"(a clear rise). When one test is for the claim "
            f"and the other against it, the evidence conflicts. The ICT part is read from the non-ICT part of "
            f"exports: with total exports on the left, the ICT coefficient moves mechanically with ICT's share "
            f"of the total."
        ),
        "c": (
            f"(c) The joint test that the interactions of all four regressors with high-income membership are "
            f"zero: for the claim if its p-value is below α; against it if every interaction's interval rules "
            f"out a small difference (±{small} as a standardised coefficient); not testable if an income group has "
            f"fewer than two members."
        ),
        "verdicts": (
            "Supported: for the claim in the main specification and in every robustness specification that can "
            "be estimated. Not supported: against the claim in all of them. Conflicting: the two tests disagree in "
            "the main specification. Inconclusive: otherwise. A claim about two regressors is supported (not "
            "supported) when both parts are, conflicting when a part is, and inconclusive otherwise."
        ),
        "robust": (
            f"Robustness specifications: {text.listing(list(robust_labels))}. p-values come from the wild "
            f"cluster restricted bootstrap (Webb weights, {text.num(reps, 0)} replications, seeded); "
            "intervals are cluster-robust (CR1) with t(G−1) critical values."
        ),
    }


# --------------------------------------------------------------------------- evidence in words

NAMES = {
    "log_gdp": "GDP",
    "openness": "openness",
    "infrastructure": "infrastructure",
    "log_ict": "ICT exports",
    "heterogeneity": "heterogeneity",
}

TEST_REASONS = {
    "significant_positive": "significantly positive",
    "significant_negative": "significantly negative",
    "too_wide": "interval too wide to tell",
    "significant_weakening": "significantly weaker in the late period",
    "significant_strengthening": "significantly stronger in the late period",
    "clear_decline": "a clear decline",
    "clear_rise": "a clear rise",
    "no_clear_change": "no significant change",
    "too_few_windows": "too few windows",
    "joint_significant": "jointly significant",
    "joint_too_wide": "not significant, and the intervals do not rule out a small difference",
    "rules_out_differences": "every interval rules out even a small difference",
}


def test_text(t: rules.Test) -> str:
    if t.reason == "rules_out_positive":
        why = (
            f"the interval rules out even a small positive association (upper end "
            f"{fmt_coef(t.estimate.high * t.estimate.scale)} as a standardised coefficient)"
        )
    elif t.reason == "rules_out_weakening":
        why = (
            f"the interval rules out even a small weakening (lower end "
            f"{fmt_coef(t.estimate.low * t.estimate.scale)} as a standardised coefficient)"
        )
    else:
        why = TEST_REASONS["joint_too_wide" if t.name == "joint" and t.reason == "too_wide" else t.reason]
    e = t.estimate
    if t.name == "coefficient":
        head = f"{fmt_coef(e.coef)} ({p_is(e.p)}; interval {fmt_coef(e.low)} to {fmt_coef(e.high)})"
    elif t.name == "interaction":
        head = f"late minus early {fmt_coef(e.coef)} ({p_is(e.p)}; interval {fmt_coef(e.low)} to {fmt_coef(e.high)})"
    elif t.name == "rolling":
        if t.first is None:
            return "rolling windows: too few windows"
        w = t.windows
        head = (
            f"rolling windows: from {fmt_coef(t.first.coef)} ({w[0]}–{w[1]}) to {fmt_coef(t.last.coef)} "
            f"({w[2]}–{w[3]}), change {p_is(e.p)}"
        )
    else:
        head = f"joint {p_is(t.joint_p)}"
    return f"{head}: {why}"


def evidence_text(ev: rules.Evidence) -> str:
    if ev.cls is None:
        return f"not estimable ({ev.error})"
    return "; ".join(test_text(t) for t in ev.tests)


def part_reason(p: rules.Part, main: Spec) -> str:
    if p.reason == "holds_everywhere":
        return "for the claim in the main and in every robustness specification"
    if p.reason == "against_everywhere":
        return "against the claim in the main and in every robustness specification"
    if p.reason == "tests_disagree":
        return "its two tests point in opposite directions in the main specification"
    if p.reason == "fragile":
        return (
            f"{CLASS_LABELS[p.main.cls]} in the main specification, but not under: "
            f"{text.listing([spec_label(s, p.main.spec) for s in p.failing])}"
        )
    if p.reason == "no_robustness":
        return "no robustness specification could be estimated"
    if p.reason == "not_testable":
        return f"cannot be tested in the main specification: {p.main.error}"
    return "too wide to tell in the main specification"


def robust_summary(p: rules.Part) -> str:
    est = [e for e in p.robust if e.cls is not None]
    agree = sum(1 for e in est if e.cls == p.main.cls)
    out = f"{agree} of {len(est)} agree ({CLASS_LABELS.get(p.main.cls, 'n/a')})"
    if p.not_estimable:
        out += f"; not estimable: {text.listing([spec_label(e.spec, p.main.spec) for e in p.not_estimable])}"
    return out


def verdict_rows(v: rules.Verdicts, main: Spec) -> list[dict]:
    rows = []
    for claim in rules.PARTS:
        for p in v.claim_parts(claim):
            rows.append(
                {
                    "claim": f"({claim})",
                    "part": PART_LABELS[p.term],
                    "main specification": evidence_text(p.main),
                    "robustness specifications": robust_summary(p),
                    "why": part_reason(p, main),
                    "verdict": p.verdict,
                }
            )
    return rows


def claim_reading(v: rules.Verdicts, claim: str, main: Spec) -> str:
    """The paragraph under each claim's heading."""
    out = []
    for p in v.claim_parts(claim):
        label = "The four interactions with high income" if p.term == "heterogeneity" else cap(LABELS[p.term])
        out.append(f"{label}: {evidence_text(p.main)}. Verdict: {p.verdict} ({part_reason(p, main)}).")
        if p.verdict == rules.CONFLICTING:
            out.append(
                "The two tests use the data differently: the interaction compares the late half of the sample "
                "with the early half using each member's whole history, while each rolling window re-estimates "
                "the model, fixed effects included, on its own years only."
            )
        if p.term == "heterogeneity" and p.main.cls is not None:
            out.append(individual_interactions(p))
    if len(v.claim_parts(claim)) > 1:
        out.append(f"Claim ({claim}) as a whole: {v.claims[claim]}.")
    return " ".join(out)


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def individual_interactions(p: rules.Part) -> str:
    """The four interactions one by one: they do not decide the verdict, but they show why a joint test that is
    not significant need not mean 'no difference'."""
    t = p.main.test("joint")
    sig = [NAMES[x] for x, e in zip(LABELS, t.interactions) if e.p < rules.ALPHA_MAIN]
    ps = ", ".join(f"{NAMES[x]} {fmt_p(e.p)}" for x, e in zip(LABELS, t.interactions))
    if not sig:
        return f"None of the four interactions is individually significant (bootstrap p: {ps})."
    which = f"{sig[0]}'s interaction is" if len(sig) == 1 else f"the interactions of {text.listing(sig)} are"
    return cap(
        f"{which} individually significant (bootstrap p of the four: {ps}); with that evidence the joint test "
        "alone cannot count against the claim."
    )


def rules_effect(v: rules.Verdicts) -> str:
    changed = [f"({k}) from {v.previous[k]} to {v.claims[k]}" for k in rules.PARTS if v.previous[k] != v.claims[k]]
    before = "; ".join(f"({k}) {v.previous[k]}" for k in rules.PARTS)
    if not changed:
        return f"Applied to the same estimates, the rules before the second revision give the same verdicts ({before})."
    return (
        f"Applied to the same estimates, the rules before the second revision give {before}: the revision "
        f"changes {text.listing(changed)}."
    )


# --------------------------------------------------------------------------- the grid


def agreement_rows(agreement: pd.DataFrame, v: rules.Verdicts) -> pd.DataFrame:
    out = agreement.assign(
        part=agreement["term"].map(PART_LABELS), verdict=[v.parts[t].verdict for t in agreement["term"]]
    )
    out = out.rename(
        columns={
            "cells": "cells judged",
            rules.FOR: "for the claim",
            rules.AGAINST: "against",
            rules.OPEN: "too wide to tell",
            rules.CONFLICT: "tests disagree",
            "not_estimable": "not estimable",
        }
    )
    return out[
        [
            "part",
            "verdict",
            "cells judged",
            "for the claim",
            "against",
            "too wide to tell",
            "tests disagree",
            "not estimable",
        ]
    ]


AGREEING_CLASS = {
    rules.SUPPORTED: rules.FOR,
    rules.NOT_SUPPORTED: rules.AGAINST,
    rules.CONFLICTING: rules.CONFLICT,
    rules.INCONCLUSIVE: rules.OPEN,
}


def grid_reading(agreement: pd.DataFrame, v: rules.Verdicts) -> str:
    a = agreement.set_index("term")

    def pair(term):
        return f"{int(a.loc[term, rules.FOR])} and {int(a.loc[term, rules.AGAINST])}"

    n, n_ict = int(a.loc["log_gdp", "cells"]), int(a.loc["log_ict", "cells"])
    return (
        f"Judged on its own, the evidence is for and against the claim in this many of the {n} specifications: "
        f"GDP's positive association {pair('log_gdp')}, openness' {pair('openness')}, the weakening of "
        f"infrastructure's association {pair('infrastructure')}, that of ICT exports {pair('log_ict')} (of the "
        f"{n_ict} with the non-ICT part as dependent variable; its two tests disagree in "
        f"{int(a.loc['log_ict', rules.CONFLICT])}), heterogeneity {pair('heterogeneity')}. The rest are too wide "
        "to tell or cannot be estimated."
    )


def grid_finding(agreement: pd.DataFrame) -> str:
    a = agreement.set_index("term")
    n = int(a.loc["log_gdp", "cells"])
    return (
        f"Across the {n} specifications of the robustness grid, judged one by one, GDP is significantly "
        f"positively associated with exports in {int(a.loc['log_gdp', rules.FOR])} and openness in "
        f"{int(a.loc['openness', rules.FOR])}; the heterogeneity test is significant in "
        f"{int(a.loc['heterogeneity', rules.FOR])}."
    )


# --------------------------------------------------------------------------- closing, findings, headline


def claim_sentence(v: rules.Verdicts, claim: str) -> str:
    parts = v.claim_parts(claim)
    out = f"Claim ({claim}), that {CLAIMS[claim]}, is {v.claims[claim]}"
    if len(parts) > 1:
        out += ": " + ", ".join(f"{NAMES[p.term]} {p.verdict}" for p in parts)
    for p in parts:
        if p.verdict == rules.CONFLICTING:
            tests = {t.name: t for t in p.main.tests}
            out += (
                f" (for {NAMES[p.term]}, the rolling windows show {TEST_REASONS[tests['rolling'].reason]} while "
                f"the late-period interaction is {_short(tests['interaction'])})"
            )
    return out + "."


def _short(t: rules.Test) -> str:
    return {
        "significant_weakening": "significantly negative",
        "significant_strengthening": "significantly positive",
        "rules_out_weakening": "precise enough to rule out a small weakening",
        "too_wide": "too imprecise to tell",
    }.get(t.reason, t.reason)


def closing(v: rules.Verdicts, main: Spec) -> str:
    """The closing note as a markdown block: one bullet per claim, then what the last rule revision changed."""
    lines = [
        text.md_escape(
            f"With the main specification ({describe(main)}), the study's claims, judged by the "
            "rules stated before the results:"
        ),
        "",
    ]
    for claim in rules.PARTS:
        parts = "; ".join(f"{NAMES[p.term]} {p.verdict} ({part_reason(p, main)})" for p in v.claim_parts(claim))
        lines.append(f"- **({claim}) {v.claims[claim]}**: " + text.md_escape(f"{CLAIMS[claim]} — {parts}."))
    lines += ["", text.md_escape(rules_effect(v))]
    return "\n".join(lines)


def headline(v: rules.Verdicts, main: Spec, members: int, years: str) -> str:
    return (
        f"Tested on {OUTCOME_LABELS[main.outcome]} for {members} RCEP members ({years}), the study's claims "
        f"come out {v.claims['a']} for scale and openness, {v.claims['b']} for a weakening of infrastructure "
        f"and ICT exports, and {v.claims['c']} for regional heterogeneity."
    )


def closing_coefs(main_fit, ict_fit, spec: Spec) -> str:
    parts = []
    for x in LABELS:
        src = ict_fit if x == "log_ict" and ict_fit is not None and ict_fit.ok else main_fit
        parts.append(
            f"{LABELS[x]} {fmt_coef(src.fit.params[x])} ({p_is(src.boot.get(x))}"
            + (", non-ICT part" if src is ict_fit and spec.dependent == "dds_exports" else "")
            + ")"
        )
    return "; ".join(parts)


def pathway_reading(v: rules.Verdicts) -> str:
    """How the study's recommendations sit with the verdicts (chosen from the verdicts)."""

    def premise(verdict: str) -> str:
        return {
            rules.SUPPORTED: "the data back that premise",
            rules.NOT_SUPPORTED: "the data go against that premise",
            rules.CONFLICTING: "the tests of that premise disagree",
        }.get(verdict, "the data neither confirm nor rule out that premise")

    infra, op = v.parts["infrastructure"].verdict, v.parts["openness"].verdict
    return (
        f'The study asks China to move away from "traditional indicators such as broadband penetration rate" '
        f"because their role is weakening: on these data the weakening of infrastructure's association is {infra}, "
        f"so {premise(infra)}. The medium-term step relies on openness; its positive association is {op}, so "
        f"{premise(op)}."
    )
