"""RCEP pathways: panel assembly, coverage, estimation, scenarios, the pathway quotes and the chapter's claims."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import pathways_estimation as estimation
from helpers.analysis import pathways_panel as pp
from helpers.analysis import pathways_scenarios as scen
from helpers.analysis import pathways_strategy
from helpers.analysis.pathways_panel import Spec
from helpers.book.chapters import rcep_pathways as chapter
from helpers.claims import core as claims
from helpers.claims.checks import rcep_pathways as checks

# --------------------------------------------------------------------------- synthetic inputs (hand-made values)

CODES = ("AAA", "BBB", "CCC")


def synthetic_inputs(years=range(2009, 2014)) -> dict[str, pd.DataFrame]:
    """Three economies with hand-made values; BBB lacks the insurance & financial share in 2011, CCC has ICT
    exports larger than its digital exports in 2012 (non-ICT part negative)."""
    rows, op, un, imp, wto = [], [], [], [], []
    for i, c in enumerate(CODES):
        for y in years:
            k = y - 2010
            vals = {
                "BX.GSR.NFSV.CD": 1e9 * (i + 1) * (1 + 0.1 * k),
                "BX.GSR.CMCP.ZS": 40.0 + k,
                "BX.GSR.INSF.ZS": 10.0,
                "BX.GSR.CCIS.CD": 1e8 * (i + 1),
                "NY.GDP.MKTP.CD": 1e11 * (i + 1) + 1e9 * k,
                "IT.NET.USER.ZS": 50.0 + 5 * k,
                "IT.NET.SECR.P6": 10.0 ** (k + 2),
                "RQ.EST": 0.1 * k - 0.5,
            }
            if c == "BBB" and y == 2011:
                del vals["BX.GSR.INSF.ZS"]
            if c == "CCC" and y == 2012:
                vals["BX.GSR.CCIS.CD"] = 5e9
            rows += [{"iso3": c, "year": y, "indicator": code, "value": v} for code, v in vals.items()]
            op.append({"iso3": c, "year": y, "measure": "kof_KOFTrGIdj", "value": 60.0 + k})
            un.append({"iso3": c, "year": y, "flow": "exports", "value_usd_mn": 500.0 * (i + 1)})
            imp.append({"iso3": c, "year": y, "flow": "imports", "value_usd_mn": 250.0})
            wto.append({"iso3": c, "year": y, "reporter_name_wto": c, "value_usd_mn": 400.0 * (i + 1) + 10 * k})
    countries = pd.DataFrame(
        {"income_group": ["High income", "Upper middle income", "High income"]}, index=pd.Index(CODES, name="iso3")
    )
    return {
        "wdi": pd.DataFrame(rows),
        "openness": pd.DataFrame(op),
        "unctad": pd.DataFrame(un),
        "unctad_imports": pd.DataFrame(imp),
        "wto": pd.DataFrame(wto),
        "countries": countries,
    }


def panel(**kw):
    args = dict(
        countries=list(CODES) + ["DDD"],
        start_year=2010,
        end_year=2013,
        openness_measures=["kof_KOFTrGIdj", "RQ.EST"],
        infrastructure_measure="IT.NET.USER.ZS",
    )
    args.update(kw)
    return pp.assemble_panel(synthetic_inputs(), **args)


def row(p, c, y):
    return p[(p["iso3"] == c) & (p["year"] == y)].iloc[0]


SPEC = Spec("wdi_composition", "dds_exports", "kof_KOFTrGIdj", "IT.NET.USER.ZS", "twoway")


# --------------------------------------------------------------------------- panel


def test_the_three_outcome_measures_and_the_regressors():
    p = panel()
    r = row(p, "AAA", 2012)
    assert r["dds_wdi_composition"] == pytest.approx(1e9 * 1.2 * (42 + 10) / 100)
    assert r["y_dds_exports_wdi_composition"] == pytest.approx(math.log(1e9 * 1.2 * 0.52))
    assert r["nonict_wdi_composition"] == pytest.approx(1e9 * 1.2 * 0.52 - 1e8)
    assert r["dds_wto_delivered"] == pytest.approx(420e6) and r["dds_unctad_deliverable"] == pytest.approx(500e6)
    assert r["y_dds_exports_non_ict_wto_delivered"] == pytest.approx(math.log(420e6 - 1e8))
    assert r["log_gdp"] == pytest.approx(math.log(1e11 + 2e9))
    assert r["log_gdp_net"] == pytest.approx(math.log(1e11 + 2e9 - 1.2e9))  # GDP net of service exports
    assert r["open__kof_KOFTrGIdj"] == 62.0
    assert r["open__RQ.EST"] == pytest.approx(-0.3)  # a WDI governance code works as a measure
    assert r["high_income"] == 1.0 and row(p, "BBB", 2012)["high_income"] == 0.0


def test_lags_read_the_year_before_even_before_the_sample():
    p = panel()
    assert p["year"].min() == 2010  # the year before is read, not kept
    assert row(p, "AAA", 2010)["lag__log_gdp"] == pytest.approx(math.log(1e11 - 1e9))  # 2009 value
    assert row(p, "AAA", 2012)["lag__open__kof_KOFTrGIdj"] == 61.0
    assert row(p, "AAA", 2012)["lag__infrastructure"] == 55.0


def test_gaps_stay_gaps_and_non_positive_parts_are_not_logged():
    p = panel()
    assert len(p) == 4 * 4  # full grid, DDD has no data at all
    assert row(p, "DDD", 2010)[["nfsv", "gdp", "ccis", "wto"]].isna().all()
    r = row(p, "BBB", 2011)
    assert np.isnan(r["insf"]) and np.isnan(r["dds_wdi_composition"])  # not treated as zero
    r = row(p, "CCC", 2012)
    assert r["nonict_wdi_composition"] < 0 and np.isnan(r["y_dds_exports_non_ict_wdi_composition"])
    bad = pp.non_positive_cases(p)
    assert set(zip(bad["outcome"], bad["iso3"], bad["year"])) == {(o, "CCC", 2012) for o in pp.OUTCOMES}


def test_secure_servers_enter_in_logs_other_infrastructure_in_levels():
    assert row(panel(infrastructure_measure="IT.NET.SECR.P6"), "AAA", 2012)["infrastructure"] == pytest.approx(
        math.log(1e4)
    )
    assert row(panel(), "AAA", 2012)["infrastructure"] == 60.0


def test_coverage_names_what_is_missing_and_matches_the_estimation_frame():
    p = panel()
    cov = pp.coverage(p, SPEC)
    r = cov[(cov["iso3"] == "BBB") & (cov["year"] == 2011)].iloc[0]
    assert not r["in_sample"] and r["missing"] == ("insf",)
    assert "nfsv" in cov[cov["iso3"] == "DDD"]["missing"].iloc[0]
    assert cov[(cov["iso3"] == "CCC") & (cov["year"] == 2012)]["in_sample"].iloc[0]  # total exports are fine
    r = pp.coverage(p, replace(SPEC, dependent="dds_exports_non_ict")).query("iso3 == 'CCC' and year == 2012")
    assert r["missing"].iloc[0] == ("non_ict_not_positive",)
    lag = pp.coverage(p, replace(SPEC, form="lagged")).query("iso3 == 'BBB' and year == 2012")
    assert lag["in_sample"].iloc[0]  # the lag of 2012 is 2011, whose gap is in y only
    for outcome in pp.OUTCOMES:
        for dep in pp.DEPENDENTS:
            for form in pp.FORMS:
                s = replace(SPEC, outcome=outcome, dependent=dep, form=form)
                assert len(pp.spec_frame(p, s)) == int(pp.coverage(p, s)["in_sample"].sum()), s


def test_the_measures_are_compared_on_the_same_members_and_years():
    p = panel()
    members, years = pp.common_members(p)
    # BBB lacks the WDI proxy in 2011: AAA and CCC over four years (8 cells) beat all three over 2012-2013 (6)
    assert (members, years) == (["AAA", "CCC"], [2010, 2011, 2012, 2013])
    tot = pp.measure_totals(p)
    sub = p[p["iso3"].isin(members) & p["year"].isin(years)]
    got = tot[(tot["outcome"] == "wto_delivered")].set_index("year")["value"]
    assert got.to_dict() == pytest.approx(sub.groupby("year")["dds_wto_delivered"].sum().to_dict())
    ag = pp.measure_agreement(p, "wto_delivered").set_index("outcome")
    assert ag.loc["wto_delivered", "r_level"] == pytest.approx(1.0)
    assert ag.loc["unctad_deliverable", "members"] == 3 and ag.loc["unctad_deliverable", "first_year"] == 2010


def test_too_few_members_or_years_with_data_is_a_clear_error():
    f = pd.DataFrame({"iso3": ["A", "B", "C", "D", "E"] * 8, "year": np.repeat(range(2000, 2008), 5)})
    with pytest.raises(pp.PanelDataError, match="parameter 'countries'.*only 5 members"):
        pp.check_sample(f, what="the main specification")
    f = pd.DataFrame({"iso3": list("ABCDEF") * 4, "year": np.repeat(range(2000, 2004), 6)})
    with pytest.raises(pp.PanelDataError, match="'start_year'/'end_year'.*only 4 years"):
        pp.check_sample(f, what="the main specification")


def test_period_split_puts_the_later_half_after_the_split():
    assert pp.sample_split_year(range(2005, 2024)) == 2014
    assert pp.sample_split_year([2010, 2011, 2012, 2013]) == 2012
    with pytest.raises(pp.PanelDataError):
        pp.sample_split_year([2010])


# --------------------------------------------------------------------------- specifications


def test_robustness_and_grid_specifications():
    main = Spec("wto_delivered", "dds_exports", "kof", "IT.NET.USER.ZS", "twoway")
    rob = estimation.robustness_specs(main, ["kof", "rq", "ci"])
    assert rob[0].dependent == "dds_exports_non_ict"
    assert {s.outcome for s in rob} == set(pp.OUTCOMES)
    assert [s.openness for s in rob if s.openness != "kof"] == ["rq", "ci"]
    assert [s.fe for s in rob if s.fe != "twoway"] == ["country"]
    assert [s.form for s in rob if s.form != "same_year"] == ["lagged", "gdp_net"]
    assert not any(
        s.dependent != main.dependent for s in estimation.robustness_specs(main, ["kof"], other_dependent=False)
    )
    grid = estimation.grid_specs(main, ["kof", "rq", "ci"])
    assert len(grid) == 3 * 2 * 3 * 3 + 2 * 2 * 3 and len(set(grid)) == len(grid)
    assert set(rob) <= set(grid) and main in grid


def _shift_panel(seed=0, G=14, years=range(2005, 2021)):
    """Generic-column frame where the ICT slope falls from 0.6 to 0.1 after 2013 and GDP has a slope of 0.8."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(G):
        a = rng.normal()
        for y in years:
            x = {r: rng.normal() for r in pp.REGRESSORS}
            b_ict = 0.6 if y < 2013 else 0.1
            yv = a + 0.02 * (y - 2005) + 0.8 * x["log_gdp"] + b_ict * x["log_ict"] + 0.1 * rng.normal()
            rows.append({"iso3": f"C{i:02d}", "year": y, "high_income": float(i < 6), "y": yv, **x})
    return pd.DataFrame(rows)


def test_estimate_recovers_slopes_and_detects_a_weakening():
    f = _shift_panel()
    res = estimation.estimate(
        f, SPEC, reps=199, seed=1, kind="period", split_year=2013, tests=["log_ict_x_late", "infrastructure_x_late"]
    )
    assert res.fit.params["log_gdp"] == pytest.approx(0.8, abs=0.05)
    assert res.fit.params["log_ict_x_late"] == pytest.approx(-0.5, abs=0.07)
    assert res.boot["log_ict_x_late"] < 0.05 and res.boot["infrastructure_x_late"] > 0.05
    assert "late" not in res.fit.params.index  # absorbed by the year effects
    res = estimation.estimate(f, replace(SPEC, fe="country"), reps=99, seed=1, kind="period", split_year=2013)
    assert "late" in res.fit.params.index
    roll = estimation.rolling(f, SPEC, 6)
    assert ((roll["end"] - roll["start"] + 1) == 6).all() and roll["start"].nunique() == 11
    ict = roll[roll["term"] == "log_ict"].sort_values("start")
    assert ict["coef"].iloc[0] == pytest.approx(0.6, abs=0.1) and ict["coef"].iloc[-1] == pytest.approx(0.1, abs=0.1)


def test_a_model_that_cannot_be_fitted_is_reported_not_raised():
    f = _shift_panel().query("iso3 in ['C00', 'C01', 'C02', 'C03', 'C04']")
    res = estimation.estimate(f, SPEC, reps=99, seed=1)
    assert not res.ok and "only 5 members" in res.error


def test_estimates_are_fitted_once_and_are_deterministic():
    rng = np.random.default_rng(3)
    p = pd.DataFrame(
        {
            "iso3": np.repeat([f"C{i}" for i in range(8)], 10),
            "year": np.tile(range(2000, 2010), 8),
            "high_income": np.repeat([1.0] * 4 + [0.0] * 4, 10),
        }
    )
    for c in ("y_dds_exports_wto_delivered", "log_gdp", "open__m", "infrastructure", "log_ict"):
        p[c] = rng.normal(size=len(p))
    spec = Spec("wto_delivered", "dds_exports", "m", "IT.NET.USER.ZS", "twoway")
    est = estimation.Estimates(p, reps=99, seed=5, split_year=2005, window=4)
    assert est.tests(spec) is est.tests(spec)
    again = estimation.Estimates(p, reps=99, seed=5, split_year=2005, window=4).tests(spec)
    assert again.base.boot == est.tests(spec).base.boot and again.income.boot == est.tests(spec).income.boot


# --------------------------------------------------------------------------- scenarios


def test_scenario_paths():
    p = {
        "gdp_growth": {"low": 0.0, "central": 5.0, "high": 10.0},
        "openness_change": {"low": 0.0, "central": 4.0, "high": 50.0},
        "infrastructure_change": {"low": 0.0, "central": 10.0, "high": 30.0},
    }
    last = {"openness": 60.0, "infra_level": 80.0}
    infra = {"code": "IT.NET.USER.ZS", "lo": 0.0, "hi": 100.0}
    opn = {"lo": 0.0, "hi": 100.0}
    paths, caps = scen.scenario_paths(last, 2020, 2024, p, infra, opn)
    c = paths[paths["scenario"] == "central"].set_index("year")
    assert c.loc[2020, ["log_gdp", "openness", "infrastructure"]].tolist() == [0.0, 0.0, 0.0]
    assert c.loc[2024, "log_gdp"] == pytest.approx(4 * math.log(1.05))
    assert c.loc[2022, "openness"] == pytest.approx(2.0)  # linear path
    assert c.loc[2024, "infrastructure"] == pytest.approx(10.0)
    assert (paths["log_ict"] == 0).all()
    h = paths[paths["scenario"] == "high"].set_index("year")
    assert h.loc[2024, "infra_level"] == 100.0 and h.loc[2024, "infrastructure"] == pytest.approx(20.0)  # capped
    assert scen.Cap("high", "infrastructure", 100.0) in caps and scen.Cap("high", "openness", 100.0) in caps
    paths, _ = scen.scenario_paths(
        {"openness": 60.0, "infra_level": 100.0},
        2020,
        2024,
        p,
        {"code": "IT.NET.SECR.P6", "lo": 0.0, "hi": math.inf},
        opn,
    )
    assert paths.set_index(["scenario", "year"]).loc[("central", 2024), "infrastructure"] == pytest.approx(
        math.log(110 / 100)
    )


# --------------------------------------------------------------------------- the study's pathway and claims


def _normalise(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"  # copies of ../shared/seeds


def test_strategy_quotes_are_verbatim_in_the_study():
    seed = _normalise((SEEDS / chapter.SEED_MAIN).read_text(encoding="utf-8"))
    for horizon, _, quote, _, _ in chapter.STRATEGY:
        assert _normalise(quote) in seed, quote
        assert horizon in ("Short term", "Medium term", "Long term")


def test_strategy_indicators_take_the_latest_year_per_member():
    inputs = synthetic_inputs()
    vals, _ = pathways_strategy.latest_values("IT.NET.USER.ZS", inputs, members=[*CODES, "DDD"])
    v = vals.set_index("iso3")
    assert v.loc["AAA", "year"] == 2013 and v.loc["AAA", "value"] == 65.0
    assert np.isnan(v.loc["DDD", "value"])  # members without data stay empty
    gov, _ = pathways_strategy.latest_values("kof_KOFTrGIdj", inputs, members=CODES)
    assert gov.set_index("iso3").loc["BBB", "value"] == 63.0


def test_strategy_labels_are_names_not_codes():
    for _, _, _, _, codes in chapter.STRATEGY:
        for code in codes:
            label, _ = chapter._indicator_label(code)
            assert (code == "TOP500" or code not in label) and not re.search(r"\b[A-Z]{2}\.[A-Z]{3}", label), label


def test_national_context_for_the_guizhou_targets():
    ctx = checks.national_context(synthetic_inputs())
    assert ctx["S004-004"] == checks.NO_FIGURE  # CHN is not in the synthetic inputs: nothing made up
    inputs = synthetic_inputs(years=range(2010, 2014))
    for k in ("wdi", "unctad", "unctad_imports"):
        inputs[k] = inputs[k].assign(iso3=inputs[k]["iso3"].replace({"AAA": "CHN"}))
    inputs["wdi"] = pd.concat(
        [
            inputs["wdi"],
            pd.DataFrame({"iso3": "CHN", "year": range(2010, 2014), "indicator": "BM.GSR.NFSV.CD", "value": 2e9}),
        ]
    )
    ctx = checks.national_context(inputs)
    # exports 500 mn + imports 250 mn over services 1.3 bn + 2 bn in 2013
    assert "22.7 %" in ctx["S004-004"] and "(2013;" in ctx["S004-004"]
    assert "US$ 3.3 bn" in ctx["S004-003"]


def test_every_claim_of_the_chapter_has_a_check_or_a_reason():
    assert sorted(claims.claims_for("rcep_pathways")) == sorted(checks.CLAIM_IDS)
    for cid in checks.CLAIM_IDS:
        assert claims.checker(cid) == "helpers.claims.checks.rcep_pathways" or cid in claims.NOT_CHECKABLE, cid
        r = claims.check(cid)
        assert r.claim_id == cid and r.status in ("consistent", "inconsistent", "not checkable")
        if r.status == "not checkable":
            assert r.method and r.method != "—"


def test_china_rank_check_computes_the_rank(monkeypatch):
    fake = pd.DataFrame(
        {
            "iso3": ["CHN", "IDN", "AUS", "JPN"],
            "year": [2023] * 4,
            "indicator": "NY.GDP.MKTP.CD",
            "value": [10.0, 20.0, 50.0, 40.0],
        }
    )
    monkeypatch.setattr(checks.ds, "load_wdi", lambda *a, **k: fake)
    r = checks.check_china_largest_developing(claims.claim("S000-001"))
    assert r.computed == 2.0 and r.status == "inconsistent"  # IDN (not high income) is bigger here
