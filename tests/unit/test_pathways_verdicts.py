"""The verdict rules of the RCEP pathways chapter find the truth of synthetic panels.

Every panel here is generated in the test with a seeded random generator, with a known data-generating process
(which coefficients are positive, whether they weaken over time, whether they differ by income group). It is
clearly synthetic and never shown in the book. Each test runs the chapter's own estimation and rules
(:func:`helpers.analysis.pathways_verdicts.judge`) on it and asserts the verdict the truth implies.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import pathways_verdicts as rules
from helpers.analysis.pathways_estimation import Estimates
from helpers.analysis.pathways_panel import DEPENDENTS, OUTCOMES, REGRESSORS, Spec, sample_split_year
from helpers.analysis.pathways_verdicts import CONFLICTING, INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED

YEARS = list(range(2000, 2016))  # 16 years: early half 2000-2007, late half 2008-2015
OPENNESS = ("m1", "m2")
MAIN = Spec("wto_delivered", "dds_exports", "m1", "IT.NET.USER.ZS", "twoway")


def synthetic_panel(
    slope, *, seed: int, members: int = 14, noise: float = 0.05, rho: float = 0.97, year_sd: float = 0.05
) -> pd.DataFrame:
    """A panel in the layout of ``pathways_panel.assemble_panel`` for one openness pair (m1, m2).

    ``slope(term, year, high_income) -> float`` is the true coefficient of each regressor. Regressors are
    persistent AR(1) processes, there are country effects
    and year effects (sd ``year_sd``, small, so that the specification with country effects only is precise
    too), and every outcome measure and dependent variable is the same process plus a tenth of the noise of
    its own."""
    rng = np.random.default_rng(seed)
    gamma = {y: year_sd * rng.normal() for y in [YEARS[0] - 1, *YEARS]}
    rows = []
    for i in range(members):
        high = float(i < members // 2)
        alpha = rng.normal()
        x = {k: rng.normal() for k in REGRESSORS}
        prev = None
        for year in [YEARS[0] - 1, *YEARS]:
            x = {k: rho * x[k] + np.sqrt(1 - rho**2) * rng.normal() for k in REGRESSORS}
            y = alpha + gamma[year] + sum(slope(k, year, high) * x[k] for k in REGRESSORS) + noise * rng.normal()
            row = {
                "iso3": f"C{i:02d}",
                "year": year,
                "high_income": high,
                "log_gdp": x["log_gdp"],
                "log_gdp_net": x["log_gdp"] + 0.01 * rng.normal(),
                "open__m1": x["openness"],
                "open__m2": x["openness"] + 0.01 * rng.normal(),
                "infrastructure": x["infrastructure"],
                "log_ict": x["log_ict"],
            }
            for o in OUTCOMES:
                for d in DEPENDENTS:
                    row[f"y_{d}_{o}"] = y + 0.1 * noise * rng.normal()
            if prev is not None:
                # the lagged columns carry the same signal (the rules' handling of a robustness specification that
                # disagrees is tested on its own below): every specification sees the same truth
                for c in ("log_gdp", "open__m1", "open__m2", "infrastructure", "log_ict"):
                    row[f"lag__{c}"] = row[c] + 0.01 * rng.normal()
                rows.append(row)
            prev = row
    return pd.DataFrame(rows)


def judge(panel: pd.DataFrame, window: int = 6) -> rules.Verdicts:
    years = panel["year"].unique()
    est = Estimates(panel, reps=199, seed=7, split_year=sample_split_year(years), window=window)
    return rules.judge(est, MAIN, OPENNESS)


SEEDS = (21, 22, 23)


def judged_over_seeds(slope, **kw) -> list[rules.Verdicts]:
    """Where the truth is "no pattern", a test at 5 % finds one by chance in about one panel in twenty: such
    truths are checked on three panels, and the rule must find the truth in at least two of them."""
    return [judge(synthetic_panel(slope, seed=s, **kw)) for s in SEEDS]


def constant(values: dict[str, float]):
    return lambda term, year, high: values.get(term, 0.0)


# --------------------------------------------------------------------------- (a) positive associations


def test_a_supported_when_scale_and_openness_have_clear_positive_slopes():
    v = judge(
        synthetic_panel(constant({"log_gdp": 0.6, "openness": 0.5, "infrastructure": 0.2, "log_ict": 0.3}), seed=1)
    )
    assert v.parts["log_gdp"].verdict == SUPPORTED and v.parts["openness"].verdict == SUPPORTED
    assert v.claims["a"] == SUPPORTED


def test_a_not_supported_when_the_slopes_are_negative():
    v = judge(synthetic_panel(constant({"log_gdp": -0.5, "openness": -0.4, "log_ict": 0.3}), seed=2))
    assert v.claims["a"] == NOT_SUPPORTED
    assert v.parts["log_gdp"].main.test("coefficient").reason == "significant_negative"


def test_a_not_supported_when_a_precise_zero_rules_out_a_small_positive_slope():
    # no association at all, measured precisely: the interval itself rules the claim out (the symmetric logic)
    vs = judged_over_seeds(constant({"infrastructure": 0.5, "log_ict": 0.5}), noise=0.02, year_sd=0.005)
    assert sum(v.claims["a"] == NOT_SUPPORTED for v in vs) >= 2
    assert any(v.parts["openness"].main.test("coefficient").reason == "rules_out_positive" for v in vs)


def test_a_inconclusive_when_the_data_are_too_noisy_to_tell():
    vs = judged_over_seeds(constant({"log_gdp": 0.05, "openness": 0.05}), noise=10.0)
    assert sum(v.claims["a"] == INCONCLUSIVE for v in vs) >= 2
    assert all(v.claims["a"] != NOT_SUPPORTED for v in vs)  # a wide interval never counts against the claim


# --------------------------------------------------------------------------- (b) weakening over time


def shift(before: float, after: float, terms=("infrastructure", "log_ict"), others=0.4):
    def slope(term, year, high):
        if term in terms:
            return before if year < 2008 else after
        return others

    return slope


def test_b_supported_when_the_slopes_fall_in_the_late_period():
    v = judge(synthetic_panel(shift(0.8, 0.1), seed=5))
    assert v.parts["infrastructure"].verdict == SUPPORTED and v.parts["log_ict"].verdict == SUPPORTED
    assert v.claims["b"] == SUPPORTED


def test_b_not_supported_when_the_slopes_strengthen():
    v = judge(synthetic_panel(shift(0.1, 0.8), seed=6))
    assert v.claims["b"] == NOT_SUPPORTED
    t = v.parts["log_ict"].main.test("interaction")
    assert t.reason == "significant_strengthening"


def test_b_not_supported_when_a_stable_slope_rules_out_weakening():
    vs = judged_over_seeds(shift(0.5, 0.5), noise=0.02, year_sd=0.005)
    assert sum(v.claims["b"] == NOT_SUPPORTED for v in vs) >= 2
    assert any(v.parts["infrastructure"].main.test("interaction").reason == "rules_out_weakening" for v in vs)


def test_b_conflicting_when_rolling_windows_fall_but_the_halves_strengthen():
    # slopes by four-year block: 0.6, -0.2 (early half, mean 0.2), 0.8, 0.2 (late half, mean 0.5): the late-period
    # interaction is positive, yet the last four-year window (0.2) is clearly below the first (0.6)
    blocks = {0: 0.6, 1: -0.2, 2: 0.8, 3: 0.2}

    def slope(term, year, high):
        return blocks[(max(year, 2000) - 2000) // 4] if term == "log_ict" else 0.4

    v = judge(synthetic_panel(slope, seed=8, noise=0.03), window=4)
    ict = v.parts["log_ict"]
    assert ict.main.test("rolling").reason == "clear_decline"
    assert ict.main.test("interaction").cls == rules.AGAINST
    assert ict.verdict == CONFLICTING and v.claims["b"] == CONFLICTING


# --------------------------------------------------------------------------- (c) heterogeneity


def test_c_supported_when_the_high_income_members_differ():
    def slope(term, year, high):
        return 0.3 + (0.6 if term == "log_gdp" and high else 0.0)

    v = judge(synthetic_panel(slope, seed=9))
    assert v.claims["c"] == SUPPORTED


def test_c_not_supported_when_precise_estimates_rule_out_differences():
    vs = judged_over_seeds(constant({k: 0.4 for k in REGRESSORS}), noise=0.02, year_sd=0.005)
    assert sum(v.claims["c"] == NOT_SUPPORTED for v in vs) >= 2
    assert any(v.parts["heterogeneity"].main.test("joint").reason == "rules_out_differences" for v in vs)


def test_c_a_joint_test_that_misses_is_not_evidence_of_no_difference():
    # the reviewer's case: a small true difference, noisy data; a joint test that is not significant leaves the
    # intervals wide, so the verdict is inconclusive, not "not supported" (which the previous rules said)
    def slope(term, year, high):
        return 0.3 + (0.1 if high and term == "log_gdp" else 0.0)

    vs = judged_over_seeds(slope, noise=3.0)
    missed = [v for v in vs if v.parts["heterogeneity"].main.test("joint").joint_p >= rules.ALPHA_ROBUST]
    assert len(missed) >= 2
    for v in missed:
        assert v.claims["c"] == INCONCLUSIVE and v.previous["c"] == NOT_SUPPORTED


# --------------------------------------------------------------------------- the rules as functions


def E(coef, p, low, high, scale=1.0):
    return rules.Estimate(coef, p, low, high, scale)


def test_the_classes_are_symmetric():
    # (a): a wide interval is open, whichever side the point estimate is on
    assert rules.classify_positive(E(0.2, 0.4, -0.3, 0.7), 0.05)[0] == rules.OPEN
    assert rules.classify_positive(E(-0.2, 0.4, -0.7, 0.3), 0.05)[0] == rules.OPEN
    assert rules.classify_positive(E(0.01, 0.8, -0.05, 0.05), 0.05) == (rules.AGAINST, "rules_out_positive")
    # the same interval with a regressor ten times as variable as the outcome cannot rule out a small effect
    assert rules.classify_positive(E(0.01, 0.8, -0.05, 0.05, scale=10), 0.05)[0] == rules.OPEN
    # (b): the mirror image of (a)
    assert rules.classify_weakening(E(0.01, 0.8, -0.05, 0.05), 0.05) == (rules.AGAINST, "rules_out_weakening")
    assert rules.classify_weakening(E(-0.3, 0.01, -0.5, -0.1), 0.05)[0] == rules.FOR
    # (c): a joint p of 0.14 with wide intervals is open, not against
    wide = [E(0.3, 0.03, 0.05, 0.55)] * 3 + [E(0.0, 0.9, -0.2, 0.2)]
    assert rules.classify_heterogeneity(0.14, wide, 0.05)[0] == rules.OPEN
    tight = [E(0.0, 0.9, -0.05, 0.05)] * 4
    assert rules.classify_heterogeneity(0.6, tight, 0.05)[0] == rules.AGAINST


def test_rolling_and_combination():
    # the rolling test is a test of the change from the first to the last window
    assert rules.classify_rolling(E(-0.4, 0.01, -0.6, -0.2), 0.05)[0] == rules.FOR
    assert rules.classify_rolling(E(0.4, 0.01, 0.2, 0.6), 0.05)[0] == rules.AGAINST
    assert rules.classify_rolling(E(-0.4, 0.2, -0.9, 0.1), 0.05)[0] == rules.OPEN
    assert rules.classify_rolling(None, 0.05)[0] is None
    roll = pd.DataFrame(
        {
            "start": [2000, 2001, 2002],
            "end": [2005, 2006, 2007],
            "term": "x",
            "coef": [0.5, 0.3, 0.1],
            "se": [0.1, 0.1, 0.05],
            "low": 0.0,
            "high": 0.0,
            "low90": 0.0,
            "high90": 0.0,
            "countries": [14, 14, 12],
        }
    )
    first, last, change, windows = rules.first_last(roll, "x", 0.95)
    assert change.coef == pytest.approx(-0.4) and windows == (2000, 2005, 2002, 2007)
    from scipy import stats

    assert change.p == pytest.approx(2 * stats.t.sf(0.4 / np.hypot(0.1, 0.05), 11))  # G = the smaller window's
    assert rules.combine_tests([rules.FOR, rules.AGAINST]) == rules.CONFLICT
    assert rules.combine_tests([rules.FOR, rules.OPEN]) == rules.FOR
    assert rules.combine_tests([rules.AGAINST, None]) == rules.AGAINST
    assert rules.combine_tests([None, None]) is None
    assert rules.combine_parts([SUPPORTED, SUPPORTED]) == SUPPORTED
    assert rules.combine_parts([NOT_SUPPORTED, NOT_SUPPORTED]) == NOT_SUPPORTED
    assert rules.combine_parts([SUPPORTED, CONFLICTING]) == CONFLICTING
    assert rules.combine_parts([SUPPORTED, NOT_SUPPORTED]) == INCONCLUSIVE


def test_a_part_needs_every_estimable_robustness_specification():
    spec = MAIN

    def ev(cls):
        return rules.Evidence(spec, cls, ())

    assert rules.part_verdict(ev(rules.FOR), [ev(rules.FOR), ev(None)]) == (SUPPORTED, "holds_everywhere")
    assert rules.part_verdict(ev(rules.FOR), [ev(rules.FOR), ev(rules.OPEN)]) == (INCONCLUSIVE, "fragile")
    assert rules.part_verdict(ev(rules.AGAINST), [ev(rules.AGAINST)]) == (NOT_SUPPORTED, "against_everywhere")
    assert rules.part_verdict(ev(rules.AGAINST), [ev(rules.FOR)])[0] == INCONCLUSIVE
    assert rules.part_verdict(ev(rules.CONFLICT), [ev(rules.FOR)]) == (CONFLICTING, "tests_disagree")
    assert rules.part_verdict(ev(rules.FOR), [ev(None)]) == (INCONCLUSIVE, "no_robustness")
    assert rules.part_verdict(ev(None), []) == (INCONCLUSIVE, "not_testable")


def test_the_previous_rules_differ_where_the_revision_says():
    # a rolling decline with an interaction that is not significant: the previous rules called it "supported"
    # (robustness: the sign of the rolling path); the revised rules need the same class of evidence everywhere
    v = judge(synthetic_panel(shift(0.8, 0.1), seed=5))
    assert v.previous["b"] in (SUPPORTED, INCONCLUSIVE, NOT_SUPPORTED)
    assert set(v.previous) == {"a", "b", "c"}
