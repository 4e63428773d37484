"""Chapter 'RCEP pathways': panel assembly, verdict rules, scenarios, strategy quotes, claim checks."""

from __future__ import annotations

import math
import re

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.claims import core as claims
from helpers.book import params
from helpers.data import paths
from helpers.book.chapters import rcep_pathways as pathways
from helpers.book.chapters.rcep_pathways import (INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED, Estimate, PathwaysError, Spec)

# --------------------------------------------------------------------------- synthetic inputs

CODES = ("AAA", "BBB", "CCC")


def synthetic_inputs(years=range(2010, 2014)) -> dict[str, pd.DataFrame]:
    """Three economies with hand-made values; BBB lacks the insurance & financial share in 2011, CCC has
    ICT exports larger than its digitally deliverable total in 2012 (non-ICT part negative)."""
    rows, op, un, imp = [], [], [], []
    for i, c in enumerate(CODES):
        for y in years:
            k = y - 2010
            vals = {"BX.GSR.NFSV.CD": 1e9 * (i + 1) * (1 + 0.1 * k), "BX.GSR.CMCP.ZS": 40.0 + k,
                    "BX.GSR.INSF.ZS": 10.0, "BX.GSR.CCIS.CD": 1e8 * (i + 1), "NY.GDP.MKTP.CD": 1e11 * (i + 1) + 1e9 * k,
                    "IT.NET.USER.ZS": 50.0 + 5 * k, "IT.NET.SECR.P6": 10.0 ** (k + 1), "RQ.EST": 0.1 * k - 0.5,
                    "BM.GSR.NFSV.CD": 2e9}
            if c == "BBB" and y == 2011:
                del vals["BX.GSR.INSF.ZS"]
            if c == "CCC" and y == 2012:
                vals["BX.GSR.CCIS.CD"] = 5e9
            rows += [{"iso3": c, "year": y, "indicator": code, "value": v} for code, v in vals.items()]
            op.append({"iso3": c, "year": y, "measure": "kof_KOFTrGIdj", "value": 60.0 + k})
            un.append({"iso3": c, "year": y, "flow": "exports", "value_usd_mn": 500.0 * (i + 1)})
            imp.append({"iso3": c, "year": y, "flow": "imports", "value_usd_mn": 250.0})
    countries = pd.DataFrame({"income_group": ["High income", "Upper middle income", "High income"]},
                             index=pd.Index(CODES, name="iso3"))
    return {"wdi": pd.DataFrame(rows), "openness": pd.DataFrame(op), "unctad": pd.DataFrame(un),
            "unctad_imports": pd.DataFrame(imp), "countries": countries}


def panel(**kw):
    args = dict(countries=list(CODES) + ["DDD"], start_year=2010, end_year=2013,
                openness_measures=["kof_KOFTrGIdj", "RQ.EST"], infrastructure_measure="IT.NET.USER.ZS")
    args.update(kw)
    return pathways.assemble_panel(synthetic_inputs(), **args)


def row(p, c, y):
    return p[(p["iso3"] == c) & (p["year"] == y)].iloc[0]


# --------------------------------------------------------------------------- panel


def test_dependent_variable_is_services_times_the_two_shares():
    p = panel()
    r = row(p, "AAA", 2012)
    assert r["dds_wdi_composition"] == pytest.approx(1e9 * 1.2 * (42 + 10) / 100)
    assert r["y_dds_exports_wdi_composition"] == pytest.approx(math.log(1e9 * 1.2 * 0.52))
    assert r["nonict_wdi_composition"] == pytest.approx(1e9 * 1.2 * 0.52 - 1e8)
    assert r["dds_unctad"] == pytest.approx(500e6)
    assert r["log_gdp"] == pytest.approx(math.log(1e11 + 2e9))
    assert r["openness_dummy" if False else "open__kof_KOFTrGIdj"] == 62.0
    assert r["open__RQ.EST"] == pytest.approx(-0.3)           # a WDI governance code works as a measure
    assert r["high_income"] == 1.0 and row(p, "BBB", 2012)["high_income"] == 0.0


def test_gaps_stay_gaps_and_non_positive_parts_are_not_logged():
    p = panel()
    assert len(p) == 4 * 4                                      # full grid, DDD has no data at all
    assert row(p, "DDD", 2010)[["nfsv", "gdp", "ccis"]].isna().all()
    r = row(p, "BBB", 2011)
    assert np.isnan(r["insf"]) and np.isnan(r["dds_wdi_composition"])   # not treated as zero
    r = row(p, "CCC", 2012)
    assert r["nonict_wdi_composition"] < 0 and np.isnan(r["y_dds_exports_non_ict_wdi_composition"])
    bad = pathways.non_positive_cases(p)
    assert set(zip(bad["measure"], bad["iso3"], bad["year"])) == {("wdi_composition", "CCC", 2012),
                                                                  ("unctad", "CCC", 2012)}


def test_secure_servers_enter_in_logs_other_infrastructure_in_levels():
    p = panel(infrastructure_measure="IT.NET.SECR.P6")
    assert row(p, "AAA", 2012)["infrastructure"] == pytest.approx(math.log(1000.0))
    p = panel()
    assert row(p, "AAA", 2012)["infrastructure"] == 60.0


def test_coverage_names_the_missing_series_and_groups_years():
    p = panel()
    spec = Spec("main", "dds_exports", "wdi_composition", "kof_KOFTrGIdj", "IT.NET.USER.ZS", "twoway")
    cov = pathways.coverage(p, spec)
    r = cov[(cov["iso3"] == "BBB") & (cov["year"] == 2011)].iloc[0]
    assert not r["in_sample"] and "BX.GSR.INSF.ZS" in r["reason"] and "BX.GSR.CMCP.ZS" not in r["reason"]
    assert "BX.GSR.NFSV.CD" in cov[(cov["iso3"] == "DDD")]["reason"].iloc[0]
    assert cov[(cov["iso3"] == "CCC") & (cov["year"] == 2012)]["in_sample"].iloc[0]  # total DDS is fine
    non_ict = Spec("x", "dds_exports_non_ict", "wdi_composition", "kof_KOFTrGIdj", "IT.NET.USER.ZS", "twoway")
    r = pathways.coverage(p, non_ict).query("iso3 == 'CCC' and year == 2012").iloc[0]
    assert "non-ICT part not positive" in r["reason"]
    # the estimation frame holds exactly the rows coverage puts in the sample
    assert len(pathways.spec_frame(p, spec)) == int(cov["in_sample"].sum())
    summary = pathways.coverage_summary(cov).set_index("iso3")
    assert summary.loc["BBB", "sample years"] == "2010, 2012–2013"
    assert summary.loc["DDD", "sample years"] == "none"


def test_year_ranges():
    assert pathways._ranges([2005, 2006, 2007, 2010, 2012, 2013]) == "2005–2007, 2010, 2012–2013"
    assert pathways._ranges([]) == ""


# --------------------------------------------------------------------------- specifications


def test_robustness_set():
    p = params.validate("rcep_pathways", {"robustness_openness": ["RQ.EST", "kof_KOFTrGIdj", "chinn_ito_kaopen"]})
    main = pathways.main_spec(p)
    rob = pathways.robustness_specs(main, p)
    keys = [s.key for s in rob]
    assert keys == ["r_dependent", "r_dds", "r_open_RQ.EST", "r_open_chinn_ito_kaopen", "r_fe"]  # main measure skipped
    assert rob[0].dependent == "dds_exports_non_ict" and rob[1].dds_measure == "unctad"
    assert rob[-1].fe == "country"
    assert "r_dependent" not in [s.key for s in pathways.robustness_specs(main, p, include_dependent=False)]


def test_period_split_puts_the_later_half_after_the_split():
    assert pathways.sample_split_year(range(2005, 2024)) == 2014
    assert pathways.sample_split_year([2010, 2011, 2012, 2013]) == 2012
    with pytest.raises(PathwaysError):
        pathways.sample_split_year([2010])


def _shift_panel(seed=0, G=14, years=range(2005, 2021)):
    """Panel where the ICT slope falls from 0.6 to 0.1 after 2013 and GDP has a slope of 0.8."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(G):
        a = rng.normal()
        for y in years:
            x = {r: rng.normal() for r in pathways.REGRESSORS}
            b_ict = 0.6 if y < 2013 else 0.1
            yv = a + 0.02 * (y - 2005) + 0.8 * x["log_gdp"] + b_ict * x["log_ict"] + 0.1 * rng.normal()
            rows.append({"iso3": f"C{i:02d}", "year": y, "high_income": float(i < 6), "y": yv, **x})
    return pd.DataFrame(rows)


def test_estimate_recovers_slopes_and_detects_a_weakening():
    f = _shift_panel()
    spec = Spec("main", "dds_exports", "wdi_composition", "m", "IT.NET.USER.ZS", "twoway")
    res = pathways.estimate(None, spec, reps=199, seed=1, frame=f, kind="period", split_year=2013,
                            test=["log_ict_x_late", "infrastructure_x_late"])
    assert res.ok
    assert res.fit.params["log_gdp"] == pytest.approx(0.8, abs=0.05)
    assert res.fit.params["log_ict_x_late"] == pytest.approx(-0.5, abs=0.07)
    assert res.boot["log_ict_x_late"] < 0.05 and res.boot["infrastructure_x_late"] > 0.05
    assert "late" not in res.fit.params.index  # absorbed by the year effects
    res = pathways.estimate(None, pathways.replace(spec, fe="country"), reps=99, seed=1, frame=f, kind="period",
                            split_year=2013, bootstrap=False)
    assert "late" in res.fit.params.index
    het = pathways.estimate(None, spec, reps=199, seed=1, frame=f, kind="income",
                            test=[tuple(f"{x}_x_high" for x in pathways.REGRESSORS)])
    assert het.boot[("+".join(f"{x}_x_high" for x in pathways.REGRESSORS))] > 0.01  # no heterogeneity built in


def test_estimate_reports_rather_than_raises_when_a_model_cannot_be_fitted():
    f = _shift_panel().query("iso3 in ['C00', 'C01']")
    spec = Spec("main", "dds_exports", "wdi_composition", "m", "IT.NET.USER.ZS", "twoway")
    res = pathways.estimate(None, spec, reps=99, seed=1, frame=f)
    assert not res.ok and "countries" in res.error


# --------------------------------------------------------------------------- verdict rules


def E(coef, p, low=None, high=None, scale=1.0, spec="s"):
    low = coef - 0.1 if low is None else low
    high = coef + 0.1 if high is None else high
    return Estimate(spec, coef, p, low, high, scale)


def test_positive_effect_rule():
    assert pathways.verdict_positive(E(0.5, 0.01), [E(0.4, 0.08), E(0.3, 0.02)])[0] == SUPPORTED
    v, why = pathways.verdict_positive(E(0.5, 0.01), [E(0.4, 0.08), E(0.3, 0.2, spec="fragile")])
    assert v == INCONCLUSIVE and "fragile" in why
    assert pathways.verdict_positive(E(-0.5, 0.01), [])[0] == NOT_SUPPORTED
    # insignificant, CI upper bound 0.05, scale 1 -> standardised upper bound 0.05 < 0.10: rules out a small effect
    assert pathways.verdict_positive(E(0.0, 0.6, -0.05, 0.05), [])[0] == NOT_SUPPORTED
    # the same interval with a regressor that varies ten times more than the dependent variable: cannot rule out
    assert pathways.verdict_positive(E(0.0, 0.6, -0.05, 0.05, scale=10), [])[0] == INCONCLUSIVE
    assert pathways.verdict_positive(E(0.2, 0.3, -0.2, 0.6), [])[0] == INCONCLUSIVE
    assert pathways.verdict_positive(E(0.2, 0.3, -0.2, 0.6, scale=float("nan")), [])[0] == INCONCLUSIVE


def test_clearly_declining():
    first, last = E(0.5, np.nan, 0.3, 0.7), E(0.1, np.nan, 0.0, 0.25)
    assert pathways.clearly_declining(first, last)
    assert not pathways.clearly_declining(first, E(0.25, np.nan, 0.1, 0.6))   # first estimate inside last's CI
    assert not pathways.clearly_declining(last, first)
    assert not pathways.clearly_declining(None, last)


def test_weakening_rule():
    down_f, down_l = E(0.5, np.nan, 0.3, 0.7), E(0.1, np.nan, 0.0, 0.25)
    flat_f, flat_l = E(0.3, np.nan, 0.1, 0.5), E(0.3, np.nan, 0.1, 0.5)
    v, why = pathways.verdict_weakening(E(-0.3, 0.01), [E(-0.1, 0.4)], flat_f, flat_l)
    assert v == SUPPORTED and "interaction" in why
    assert pathways.verdict_weakening(E(-0.3, 0.01), [E(0.1, 0.4, spec="r")], flat_f, flat_l)[0] == INCONCLUSIVE
    v, why = pathways.verdict_weakening(E(0.05, 0.5), [], down_f, down_l, [(E(0.4, 1), E(0.2, 1))])
    assert v == SUPPORTED and "rolling" in why and "positive and not significant" in why
    # the rolling decline must hold in the robustness paths too
    assert pathways.verdict_weakening(E(0.05, 0.5), [], down_f, down_l, [(E(0.2, 1), E(0.4, 1))])[0] \
        == NOT_SUPPORTED
    # rolling decline contradicted by a significantly positive interaction
    assert pathways.verdict_weakening(E(0.3, 0.01), [], down_f, down_l)[0] == INCONCLUSIVE
    assert pathways.verdict_weakening(E(0.1, 0.5), [], flat_f, flat_l)[0] == NOT_SUPPORTED
    assert pathways.verdict_weakening(E(-0.1, 0.5), [], flat_f, flat_l)[0] == INCONCLUSIVE
    assert pathways.verdict_weakening(E(-0.1, 0.5), [], None, None)[0] == INCONCLUSIVE


def test_heterogeneity_rule_and_combination():
    assert pathways.verdict_heterogeneity(0.01, [0.05, 0.09])[0] == SUPPORTED
    assert pathways.verdict_heterogeneity(0.01, [0.05, 0.2])[0] == INCONCLUSIVE
    assert pathways.verdict_heterogeneity(0.07, [])[0] == INCONCLUSIVE
    assert pathways.verdict_heterogeneity(0.5, [0.01])[0] == NOT_SUPPORTED
    assert pathways.verdict_heterogeneity(None, [])[0] == INCONCLUSIVE
    assert pathways.combine([SUPPORTED, SUPPORTED]) == SUPPORTED
    assert pathways.combine([NOT_SUPPORTED, NOT_SUPPORTED]) == NOT_SUPPORTED
    assert pathways.combine([SUPPORTED, NOT_SUPPORTED]) == INCONCLUSIVE


def test_rule_texts_state_the_thresholds():
    r = pathways.rule_texts()
    assert "5 %" in r["a"] and "10 %" in r["a"] and "0.10" in r["a"]
    assert "non-ICT" in r["b"] and "high-income" in r["c"]


# --------------------------------------------------------------------------- scenarios


def test_scenario_paths():
    p = {"gdp_growth": {"low": 0.0, "central": 5.0, "high": 10.0},
         "openness_change": {"low": 0.0, "central": 4.0, "high": 50.0},
         "infrastructure_change": {"low": 0.0, "central": 10.0, "high": 30.0}}
    last = {"openness": 60.0, "infra_level": 80.0}
    infra = {"code": "IT.NET.USER.ZS", "lo": 0.0, "hi": 100.0}
    opn = {"lo": 0.0, "hi": 100.0}
    paths_, notes = pathways.scenario_paths(last, 2020, 2024, p, infra, opn)
    c = paths_[paths_["scenario"] == "central"].set_index("year")
    assert c.loc[2020, ["log_gdp", "openness", "infrastructure"]].tolist() == [0.0, 0.0, 0.0]
    assert c.loc[2024, "log_gdp"] == pytest.approx(4 * math.log(1.05))
    assert c.loc[2022, "openness"] == pytest.approx(2.0)              # linear path
    assert c.loc[2024, "infrastructure"] == pytest.approx(10.0)
    assert (paths_["log_ict"] == 0).all()
    h = paths_[paths_["scenario"] == "high"].set_index("year")
    assert h.loc[2024, "infra_level"] == 100.0 and h.loc[2024, "infrastructure"] == pytest.approx(20.0)  # capped
    assert any("high: infrastructure capped" in n for n in notes)
    # log-transformed infrastructure: the change is the change in logs
    paths_, _ = pathways.scenario_paths({"openness": 60.0, "infra_level": 100.0}, 2020, 2024, p,
                                        {"code": "IT.NET.SECR.P6", "lo": 0.0, "hi": math.inf}, opn)
    c = paths_[paths_["scenario"] == "central"].set_index("year")
    assert c.loc[2024, "infrastructure"] == pytest.approx(math.log(110 / 100))


# --------------------------------------------------------------------------- parameters


@pytest.mark.parametrize("values, fragment", [
    ({"countries": ["CHN", "KOR", "JPN"]}, "'countries'"),
    ({"start_year": 2020}, "'start_year'"),
    ({"start_year": 2014, "end_year": 2021, "window": 8}, "'window'"),
    ({"gdp_growth": {"low": -150.0, "central": 1.0, "high": 2.0}}, "'gdp_growth'"),
])
def test_cross_parameter_errors_name_the_parameter(values, fragment):
    # these rules moved to helpers.book.params (params_rules): refused before any kernel starts
    with pytest.raises(params.ParameterError, match=fragment):
        params.validate("rcep_pathways", values)


def test_defaults_pass_the_cross_checks():
    pathways.check_params(params.validate("rcep_pathways", {}))


# --------------------------------------------------------------------------- formatting


def test_regression_table_marks_stars_from_bootstrap_p_and_shows_se():
    f = _shift_panel()
    spec = Spec("fe_twoway", "dds_exports", "wdi_composition", "m", "IT.NET.USER.ZS", "twoway", "Two-way FE")
    res = pathways.estimate(None, spec, reps=99, seed=1, frame=f, test=list(pathways.REGRESSORS))
    res.boot = {"log_gdp": 0.004, "openness": 0.03, "infrastructure": 0.07, "log_ict": 0.5}
    tab = pathways.regression_table([res], main_key="fe_twoway").set_index("")
    col = tab["Two-way FE [main]"]
    assert col.iloc[0].endswith("***") and col.iloc[2].endswith("**") and col.iloc[4].endswith("*")
    assert not col.iloc[6].endswith("*")
    assert col.iloc[1].startswith("(") and col.iloc[1].endswith(")")
    assert col["N"] == str(len(f))


def test_coefficient_formatting():
    assert pathways.fmt_coef(-0.1234) == "−0.123"
    assert pathways.fmt_coef(0.00123) == "0.0012"
    assert pathways.fmt_coef(-8.8e-05) == "−0.000088"
    assert pathways.fmt_coef(0.5, 0.02) == "0.500**"
    assert pathways.fmt_p(0.0004) == "< 0.001" and pathways.fmt_p(float("nan")) == "n/a"


# --------------------------------------------------------------------------- strategy and claims


def _normalise(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"  # copies of ../shared/seeds


def test_strategy_quotes_are_verbatim_in_the_study():
    seed = _normalise((SEEDS / pathways.SEED_MAIN).read_text(encoding="utf-8"))
    for step in pathways.STRATEGY:
        assert _normalise(step["quote"]) in seed, step["quote"]
        assert step["horizon"] in ("Short term", "Medium term", "Long term")


def test_strategy_indicators_take_the_latest_year_per_member():
    inputs = synthetic_inputs()
    vals, _ = pathways.latest_values("IT.NET.USER.ZS", inputs, members=[*CODES, "DDD"])
    v = vals.set_index("iso3")
    assert v.loc["AAA", "year"] == 2013 and v.loc["AAA", "value"] == 65.0
    assert np.isnan(v.loc["DDD", "value"])                     # members without data stay empty
    gov, _ = pathways.latest_values("kof_KOFTrGIdj", inputs, members=CODES)
    assert gov.set_index("iso3").loc["BBB", "value"] == 63.0


def test_national_context_for_the_guizhou_targets():
    ctx = pathways.national_context(synthetic_inputs())
    # CHN is not in the synthetic inputs: no figure is made up
    assert ctx["S004-004"] == "no national figure in data/"
    inputs = synthetic_inputs()
    for k in ("wdi", "unctad", "unctad_imports"):
        inputs[k] = inputs[k].assign(iso3=inputs[k]["iso3"].replace({"AAA": "CHN"}))
    ctx = pathways.national_context(inputs)
    # exports 500 mn + imports 250 mn over services 1.3 bn + 2 bn in 2013
    assert "22.7 %" in ctx["S004-004"] and "(2013;" in ctx["S004-004"]
    assert "US$ 3.3 bn" in ctx["S004-003"]


def test_every_claim_of_the_chapter_has_a_check_or_a_reason():
    assert sorted(claims.claims_for("rcep_pathways")) == sorted(pathways.CLAIM_IDS)
    for cid in pathways.CLAIM_IDS:
        assert claims.checker(cid) == "helpers.book.chapters.rcep_pathways" or cid in claims.NOT_CHECKABLE, cid
        r = claims.check(cid)
        assert r.claim_id == cid and r.status in ("consistent", "inconsistent", "not checkable")
        if r.status == "not checkable":
            assert r.method and r.method != "—"


def test_china_rank_check_computes_the_rank(monkeypatch):
    fake = pd.DataFrame({"iso3": ["CHN", "IDN", "AUS", "JPN"], "year": [2023] * 4, "indicator": "NY.GDP.MKTP.CD",
                         "value": [10.0, 20.0, 50.0, 40.0]})
    monkeypatch.setattr(pathways.ds, "load_wdi", lambda *a, **k: fake)
    r = pathways._check_china_largest_developing(claims.claim("S000-001"))
    assert r.computed == 2.0 and r.status == "inconsistent"     # IDN (not high income) is bigger here


# --------------------------------------------------------------------------- the analysis end to end (real data)


@pytest.fixture(scope="module")
def analysis():
    p = params.validate("rcep_pathways", {"bootstrap_reps": 99, "window": 10})
    return pathways.analyse(p)


def test_analysis_is_internally_consistent(analysis):
    a = analysis
    assert a.main_fit.fit.nobs == int(a.cov["in_sample"].sum())
    assert set(a.cov.loc[~a.cov["in_sample"], "reason"]) and (a.cov.loc[~a.cov["in_sample"], "reason"] != "").all()
    for k in ("a", "b", "c"):
        assert a.verdicts[k]["verdict"] in (SUPPORTED, NOT_SUPPORTED, INCONCLUSIVE)
    # the ICT verdict of (b) is read from the non-ICT model
    assert a.set_ict[0].spec.dependent == "dds_exports_non_ict"
    high = set(a.main_fit.frame.loc[a.main_fit.frame["high_income"] == 1, "iso3"])
    assert high <= set(pathways.ds.country_groups()["high_income_rcep"])
    # rolling windows have the requested length
    assert ((a.roll_main["end"] - a.roll_main["start"] + 1) == 10).all()
    if a.scenario["available"]:
        end = a.scenario["paths"].query("year == @a.params['horizon']").set_index("scenario")
        assert (end["low_bn"] <= end["central_bn"] + 1e-9).all() and (end["central_bn"] <= end["high_bn"] + 1e-9).all()


def test_a_scenario_country_outside_the_sample_is_reported_not_projected():
    # refused by helpers.book.params before any kernel starts (params_rules.scenarios)
    with pytest.raises(params.ParameterError, match="not among the 'countries'"):
        params.validate("rcep_pathways", {"bootstrap_reps": 99, "scenario_country": "AUS",
                                          "countries": ["CHN", "KOR", "JPN", "SGP", "MYS", "THA", "IDN"]})


def test_analysis_is_deterministic_given_the_seed(analysis):
    p = dict(analysis.params)
    again = pathways.analyse(p)
    assert again.verdicts["c"]["main_p"] == analysis.verdicts["c"]["main_p"]
    assert again.main_fit.boot == analysis.main_fit.boot
