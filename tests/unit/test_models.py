"""Estimation helpers against cases with known answers."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from helpers.analysis import models
from helpers.analysis.models import EstimationError


def panel(
    n_countries=12, n_years=15, beta=(0.8, -0.5), fe_corr=2.0, noise=0.3, seed=1, balanced=True, cluster_shock=0.0
):
    """Panel with country effects correlated with x1, year effects, and known slopes."""
    rng = np.random.default_rng(seed)
    rows = []
    alpha = rng.normal(size=n_countries) * 2
    gamma = rng.normal(size=n_years)
    for i in range(n_countries):
        shock = rng.normal() * cluster_shock
        for t in range(n_years):
            if not balanced and rng.random() < 0.2:
                continue
            x1 = fe_corr * alpha[i] + 0.5 * gamma[t] + rng.normal()
            x2 = rng.normal() + 0.3 * t
            y = alpha[i] + gamma[t] + beta[0] * x1 + beta[1] * x2 + shock * rng.normal() + noise * rng.normal()
            rows.append({"iso3": f"C{i:02d}", "year": 2000 + t, "x1": x1, "x2": x2, "y": y})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- estimators


def test_fixed_effects_recover_known_coefficients_pooled_does_not():
    df = panel(n_countries=15, n_years=20, noise=0.05)
    two = models.fit_panel(df, "y", ["x1", "x2"], "twoway")
    assert two.params["x1"] == pytest.approx(0.8, abs=0.02)
    assert two.params["x2"] == pytest.approx(-0.5, abs=0.02)
    pooled = models.fit_panel(df, "y", ["x1", "x2"], "none")
    # country effects correlated with x1 bias the pooled estimate (alpha enters y with weight 1,
    # x1 with fe_corr=2): the pooled slope is clearly off
    assert abs(pooled.params["x1"] - 0.8) > 0.2


def test_country_fe_equals_within_estimator_by_hand_unbalanced():
    df = panel(balanced=False, seed=3)
    fit = models.fit_panel(df, "y", ["x1", "x2"], "country")
    w = models.within_transform(df, ["y", "x1", "x2"])
    beta = np.linalg.lstsq(w[["x1", "x2"]].to_numpy(), w["y"].to_numpy(), rcond=None)[0]
    np.testing.assert_allclose(fit.params.to_numpy(), beta, rtol=1e-10, atol=1e-12)


def test_twoway_fe_equals_double_demeaning_in_a_balanced_panel():
    df = panel(seed=4)
    fit = models.fit_panel(df, "y", ["x1", "x2"], "twoway")
    w = models.within_transform(df, ["y", "x1", "x2"], time="year")
    beta = np.linalg.lstsq(w[["x1", "x2"]].to_numpy(), w["y"].to_numpy(), rcond=None)[0]
    np.testing.assert_allclose(fit.params.to_numpy(), beta, rtol=1e-10, atol=1e-12)


def test_residualising_on_fe_is_the_fwl_projection():
    df = panel(balanced=False, seed=5)
    fit = models.fit_panel(df, "y", ["x1", "x2"], "twoway")
    r = models.residualise_on_fe(df, ["y", "x1", "x2"], "twoway")
    beta = np.linalg.lstsq(r[["x1", "x2"]].to_numpy(), r["y"].to_numpy(), rcond=None)[0]
    np.testing.assert_allclose(fit.params.to_numpy(), beta, rtol=1e-9)


def test_cr1_matches_statsmodels_and_inference_uses_t_with_g_minus_1_df():
    df = panel(balanced=False, seed=6, cluster_shock=1.0)
    fit = models.fit_panel(df, "y", ["x1", "x2"], "twoway")
    des = fit.design
    beta = np.linalg.lstsq(des.X, des.y, rcond=None)[0]
    V = models.cr1_vcov(des.X, des.y - des.X @ beta, des.groups)
    np.testing.assert_allclose(fit.vcov.to_numpy(), V[:2, :2], rtol=1e-8)
    G = df["iso3"].nunique()
    assert fit.df_inference == G - 1
    t = fit.params / np.sqrt(np.diag(V[:2, :2]))
    np.testing.assert_allclose(fit.pvalues.to_numpy(), 2 * stats.t.sf(np.abs(t), G - 1), rtol=1e-8)
    half = stats.t.ppf(0.975, G - 1) * fit.bse
    np.testing.assert_allclose((fit.ci_high - fit.params).to_numpy(), half.to_numpy(), rtol=1e-8)


def test_within_r2_definition():
    df = panel(seed=7)
    fit = models.fit_panel(df, "y", ["x1", "x2"], "country")
    w = models.within_transform(df, ["y"])["y"]
    assert fit.r2_within == pytest.approx(1 - (fit.resid**2).sum() / (w**2).sum())
    assert 0 < fit.r2_within < fit.r2 < 1


def test_bad_inputs_raise_clear_errors():
    df = panel(seed=8)
    with pytest.raises(ValueError, match="fixed_effects must be one of"):
        models.fit_panel(df, "y", ["x1"], "random")
    bad = df.copy()
    bad.loc[3, "x1"] = np.nan
    with pytest.raises(ValueError, match="missing or infinite"):
        models.fit_panel(bad, "y", ["x1"], "country")
    const_within = df.assign(x3=df["iso3"].str[1:].astype(int) * 1.0)
    with pytest.raises(EstimationError, match="x3.*collinear"):
        models.fit_panel(const_within, "y", ["x1", "x3"], "country")
    few = df[df["iso3"].isin(["C00", "C01"])]
    with pytest.raises(EstimationError, match="only 2 countries"):
        models.fit_panel(few, "y", ["x1"], "none")
    with pytest.raises(KeyError, match="nope"):
        models.fit_panel(df, "y", ["nope"], "none")


# --------------------------------------------------------------------------- wild cluster bootstrap


def _naive_wcr(X, y, groups, j, V):
    """Reference: loop over weight vectors, one OLS and one CR1 t statistic each (one coefficient)."""
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    Vc = models.cr1_vcov(X, y - X @ beta, groups)
    t0 = beta[j] / np.sqrt(Vc[j, j])
    Xr = np.delete(X, j, axis=1)
    br = np.linalg.lstsq(Xr, y, rcond=None)[0]
    yr, ur = Xr @ br, y - Xr @ br
    ts = []
    for w in V:
        ys = yr + ur * w[groups]
        bs = np.linalg.lstsq(X, ys, rcond=None)[0]
        Vs = models.cr1_vcov(X, ys - X @ bs, groups)
        ts.append(bs[j] / np.sqrt(Vs[j, j]))
    return float(np.mean(np.abs(ts) >= abs(t0) - 1e-12))


def test_bootstrap_matches_a_hand_loop_enumerating_all_sign_patterns():
    df = panel(n_countries=5, n_years=6, seed=9, cluster_shock=0.5)
    fit = models.fit_panel(df, "y", ["x1", "x2"], "country")
    des = fit.design
    V = np.array(list(itertools.product([-1.0, 1.0], repeat=des.n_groups)))  # all 2^5 patterns
    res = models.wild_cluster_bootstrap(des, ["x2"], weight_matrix=V)
    assert res.reps == 32
    assert res.pvalue == pytest.approx(_naive_wcr(des.X, des.y, des.groups, des.names.index("x2"), V))
    # the statistic is the squared CR1 t statistic
    assert res.statistic == pytest.approx(fit.tvalues["x2"] ** 2, rel=1e-8)


def test_joint_bootstrap_statistic_is_the_cr1_wald_statistic():
    df = panel(seed=10)
    fit = models.fit_panel(df, "y", ["x1", "x2"], "twoway")
    res = models.wild_cluster_bootstrap(fit.design, ["x1", "x2"], reps=99, seed=1)
    F, _ = models.cluster_wald(fit, ["x1", "x2"])
    assert res.statistic == pytest.approx(2 * F, rel=1e-8)


def test_bootstrap_is_deterministic_given_the_seed():
    df = panel(seed=11, beta=(0.8, 0.05), noise=1.0, cluster_shock=1.0)
    des = models.fit_panel(df, "y", ["x1", "x2"], "twoway").design
    a = models.wild_cluster_bootstrap(des, ["x2"], reps=199, seed=42)
    b = models.wild_cluster_bootstrap(des, ["x2"], reps=199, seed=42)
    assert a == b


def test_bootstrap_has_power_against_a_large_effect():
    df = panel(seed=12, beta=(0.8, -0.5), noise=0.5)
    des = models.fit_panel(df, "y", ["x1", "x2"], "twoway").design
    assert models.wild_cluster_bootstrap(des, ["x2"], reps=199, seed=1).pvalue < 0.01


@pytest.mark.parametrize("weights", models.WEIGHTS)
def test_bootstrap_size_under_the_null_is_roughly_nominal(weights):
    """x2 has no effect; errors are correlated within clusters (where plain OLS SEs over-reject)."""
    rejections = 0
    sims = 150
    for s in range(sims):
        rng = np.random.default_rng(1000 + s)
        G, T = 12, 8
        g = np.repeat(np.arange(G), T)
        x = rng.normal(size=G)[g] + rng.normal(size=G * T)  # regressor correlated within clusters
        u = rng.normal(size=G)[g] + rng.normal(size=G * T)  # so are the errors
        df = pd.DataFrame({"iso3": [f"C{i}" for i in g], "year": np.tile(np.arange(T), G), "x2": x, "y": 1.0 + u})
        des = models.make_design(df, "y", ["x2"], "none")
        p = models.wild_cluster_bootstrap(des, ["x2"], reps=199, seed=s, weights=weights).pvalue
        rejections += p < 0.05
    rate = rejections / sims
    assert 0.005 <= rate <= 0.11, rate


def test_weights_have_mean_zero_variance_one_and_bad_kind_fails():
    rng = np.random.default_rng(0)
    w = models.bootstrap_weights("webb", 20000, 3, rng)
    assert set(np.round(np.unique(w), 6)) == set(np.round(models._WEBB, 6))
    assert abs(w.mean()) < 0.02 and abs(w.var() - 1) < 0.02
    r = models.bootstrap_weights("rademacher", 100, 4, rng)
    assert set(np.unique(r)) == {-1.0, 1.0}
    with pytest.raises(ValueError, match="webb, rademacher"):
        models.bootstrap_weights("mammen", 10, 3, rng)


# --------------------------------------------------------------------------- diagnostics


def test_vif_known_values():
    rng = np.random.default_rng(0)
    n = 20000
    a = rng.normal(size=n)
    b = rng.normal(size=n)
    rho = 0.8
    c = rho * a + np.sqrt(1 - rho**2) * rng.normal(size=n)
    v = models.vif(pd.DataFrame({"a": a, "b": b}))
    assert v["a"] == pytest.approx(1, abs=0.01) and v["b"] == pytest.approx(1, abs=0.01)
    v = models.vif(pd.DataFrame({"a": a, "c": c}))
    assert v["c"] == pytest.approx(1 / (1 - rho**2), rel=0.03)
    assert np.isinf(models.vif(pd.DataFrame({"a": a, "d": 2 * a}))["d"])


def test_mundlak_rejects_when_regressors_track_the_country_effects():
    df = panel(n_countries=14, n_years=12, fe_corr=2.0, seed=13)
    res = models.mundlak_test(df, "y", ["x1", "x2"], reps=199, seed=1)
    assert res.p_cr1 < 0.01 and res.p_boot < 0.05 and res.q == 2


def test_mundlak_does_not_reject_when_effects_are_unrelated_to_regressors():
    df = panel(n_countries=14, n_years=12, fe_corr=0.0, seed=14)
    # x2 trends with time but the same in every country: its country means carry no information
    res = models.mundlak_test(df, "y", ["x1"], reps=199, seed=1)
    assert res.p_cr1 > 0.01


# --------------------------------------------------------------------------- scenarios & formatting


def test_linear_effect_draws_centre_on_the_point_and_collapse_without_uncertainty():
    beta = pd.Series({"a": 0.5, "b": -2.0})
    deltas = pd.DataFrame({"a": [1.0, 2.0], "b": [0.1, 0.0]}, index=["s1", "s2"])
    zero = pd.DataFrame(np.zeros((2, 2)), index=beta.index, columns=beta.index)
    out = models.draw_linear_effects(beta, zero, deltas, draws=50)
    np.testing.assert_allclose(out["central"], [0.3, 1.0])
    np.testing.assert_allclose(out["low"], out["central"], atol=1e-12)
    V = pd.DataFrame([[0.04, 0.0], [0.0, 1.0]], index=beta.index, columns=beta.index)
    out = models.draw_linear_effects(beta, V, deltas, draws=20000, seed=3)
    # s2: only a moves, sd = 2 * 0.2 = 0.4 -> 95 % band about 1 +/- 0.784
    assert out.loc["s2", "low"] == pytest.approx(1 - 0.784, abs=0.03)
    assert out.loc["s2", "high"] == pytest.approx(1 + 0.784, abs=0.03)
    with pytest.raises(KeyError):
        models.draw_linear_effects(beta, V, pd.DataFrame({"zz": [1.0]}))


def test_stars():
    assert [models.stars(p) for p in (0.001, 0.03, 0.07, 0.2, float("nan"))] == ["***", "**", "*", "", ""]


@pytest.mark.parametrize("fe", models.FE_CHOICES)
def test_the_numpy_fit_matches_statsmodels_cluster_robust_ols(fe):
    df = panel(seed=15, balanced=False, cluster_shock=0.7)
    fit = models.fit_panel(df, "y", ["x1", "x2"], fe)
    des = fit.design
    ref = sm.OLS(des.y, des.X).fit(
        cov_type="cluster", cov_kwds={"groups": des.groups, "use_correction": True, "df_correction": True}, use_t=True
    )
    np.testing.assert_allclose(fit.params.to_numpy(), ref.params[:2], rtol=1e-9)
    np.testing.assert_allclose(fit.bse.to_numpy(), ref.bse[:2], rtol=1e-8)
    np.testing.assert_allclose(fit.pvalues.to_numpy(), ref.pvalues[:2], rtol=1e-7)
    np.testing.assert_allclose(fit.ci_low.to_numpy(), ref.conf_int(0.05)[:2, 0], rtol=1e-8)
    assert fit.r2 == pytest.approx(ref.rsquared, rel=1e-10)
    low90, high90 = fit.ci(0.90)
    np.testing.assert_allclose(high90.to_numpy(), ref.conf_int(0.10)[:2, 1], rtol=1e-8)


def test_joint_bootstrap_matches_a_hand_loop():
    df = panel(n_countries=6, n_years=7, seed=16, cluster_shock=0.5)
    des = models.fit_panel(df, "y", ["x1", "x2"], "twoway").design
    V = np.random.default_rng(2).choice(models._WEBB, size=(60, des.n_groups))
    res = models.wild_cluster_bootstrap(des, ["x1", "x2"], weight_matrix=V)
    X, y, g = des.X, des.y, des.groups
    q = [des.names.index("x1"), des.names.index("x2")]

    def wald(yv):
        b = np.linalg.lstsq(X, yv, rcond=None)[0]
        Vc = models.cr1_vcov(X, yv - X @ b, g)[np.ix_(q, q)]
        return float(b[q] @ np.linalg.solve(Vc, b[q]))

    Xr = np.delete(X, q, axis=1)
    yr = Xr @ np.linalg.lstsq(Xr, y, rcond=None)[0]
    stats_ = [wald(yr + (y - yr) * w[g]) for w in V]
    assert res.statistic == pytest.approx(wald(y), rel=1e-8)
    assert res.pvalue == pytest.approx(np.mean(np.array(stats_) >= wald(y) - 1e-12))


def test_single_threaded_blas_restores_the_thread_count():
    handles = models._openblas_handles()
    before = [g() for _, g in handles]
    with models.single_threaded_blas():
        assert all(g() == 1 for _, g in handles)
    assert [g() for _, g in handles] == before
