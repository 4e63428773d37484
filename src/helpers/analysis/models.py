"""Panel estimation: OLS with fixed effects and inference that holds up with about 15 clusters.

What is here (generic: no data loading, no chapter logic):

* :func:`fit_panel` — OLS (numpy; checked against statsmodels in the tests) of ``y`` on regressors with
  no fixed effects ("none"), country fixed effects ("country"), or country and year fixed effects ("twoway"), as dummy
  variables. Standard errors are clustered by country: CR1 (the usual small-sample factor
  G/(G-1)·(N-1)/(N-K)) with critical values and p-values from t(G-1), as statsmodels does with
  ``df_correction``.
* :func:`wild_cluster_bootstrap` — the wild cluster *restricted* bootstrap (WCR: the null is imposed
  when residuals are resampled), Webb six-point or Rademacher weights, for one coefficient (a
  two-sided t test) or several (a Wald test). Computed in cluster space, vectorised over replications
  and seeded.
  With 10-15 clusters CR1 t tests over-reject; the WCR bootstrap is the standard remedy
  (Cameron, Gelbach & Miller 2008; MacKinnon & Webb 2017). Webb weights are the default because
  with G clusters Rademacher weights give only 2^G distinct draws.
* :func:`within_transform`, :func:`vif`, :func:`mundlak_test`, :func:`draw_linear_effects`.

Estimation needs complete rows: the caller drops incomplete country-years *before* and says which
(the report never fills gaps), and a NaN here is an error rather than a silent drop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

# scipy.special is imported where it is used, so that importing this module stays cheap.

FE_CHOICES = ("none", "country", "twoway")
# "time" (year dummies only) is used internally by the Mundlak test.
_FE_ALL = FE_CHOICES + ("time",)
WEIGHTS = ("webb", "rademacher")
_WEBB = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])


class EstimationError(ValueError):
    """A model cannot be estimated on the data given (too few clusters, collinear regressors...)."""


# --------------------------------------------------------------------------- BLAS threads

_SET = (
    "openblas_set_num_threads",
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
)
_GET = (
    "openblas_get_num_threads",
    "scipy_openblas_get_num_threads64_",
    "scipy_openblas_get_num_threads",
    "openblas_get_num_threads64_",
)


def _openblas_handles() -> list[tuple]:
    """(set, get) functions of every OpenBLAS loaded in this process (numpy's, scipy's)."""
    import ctypes
    import re

    try:
        maps = open("/proc/self/maps", encoding="utf-8").read()
    except OSError:  # not Linux: leave threading alone
        return []
    out = []
    for lib in sorted(set(re.findall(r"(/\S*openblas\S*\.so\S*)", maps))):
        try:
            dll = ctypes.CDLL(lib)
        except OSError:
            continue
        setter = next((getattr(dll, s) for s in _SET if hasattr(dll, s)), None)
        getter = next((getattr(dll, g) for g in _GET if hasattr(dll, g)), None)
        if setter is not None and getter is not None:
            out.append((setter, getter))
    return out


def use_one_blas_thread() -> None:
    """OpenBLAS on one thread for the rest of the process: for a process (a chapter's kernel) that does nothing
    but fit small models across several notebook cells, where a context manager cannot span the cells."""
    for setter, _ in _openblas_handles():
        setter(1)


class single_threaded_blas:
    """Context manager: OpenBLAS on one thread. The models here multiply small matrices many times,
    where thread start-up and contention on a shared machine cost more than they save (about 3x)."""

    def __enter__(self):
        self._saved = []
        for setter, getter in _openblas_handles():
            self._saved.append((setter, int(getter())))
            setter(1)
        return self

    def __exit__(self, *exc):
        for setter, n in self._saved:
            setter(n)
        return False


# --------------------------------------------------------------------------- design


@dataclass
class Design:
    """Everything a fit or a bootstrap needs, as arrays."""

    y: np.ndarray
    X: np.ndarray
    names: list[str]  # column names of X (regressors first, then const and dummies)
    xvars: list[str]  # the regressors of interest
    groups: np.ndarray  # cluster codes 0..G-1
    group_labels: list[str]
    index: pd.Index  # index of the rows in the input frame
    entity: np.ndarray
    time: np.ndarray

    @property
    def n_groups(self) -> int:
        return len(self.group_labels)

    @cached_property
    def pinv(self) -> np.ndarray:
        """(X'X)^-1 X' (k x n), computed once: the fit and every bootstrap test of the design share it."""
        return np.linalg.pinv(self.X)

    def positions(self, names: Sequence[str]) -> list[int]:
        missing = [n for n in names if n not in self.names]
        if missing:
            raise KeyError(f"not in the model: {missing}; columns: {self.xvars}")
        return [self.names.index(n) for n in names]


def fe_matrix(
    entity: np.ndarray, time: np.ndarray, fe: str, entity_labels: Sequence[str] | None = None
) -> tuple[np.ndarray, list[str]]:
    """A constant plus country and/or year dummies (first level of each dropped). ``entity`` may be given as
    integer codes with ``entity_labels`` naming them (faster for repeated fits)."""
    if fe not in _FE_ALL:
        raise ValueError(f"fixed_effects must be one of {', '.join(FE_CHOICES)}; got {fe!r}")
    parts = [np.ones((len(entity), 1))]
    names = ["const"]
    for kind, values in (("country", entity), ("year", time)):
        if (kind == "country" and fe in ("country", "twoway")) or (kind == "year" and fe in ("twoway", "time")):
            levels, codes = np.unique(values, return_inverse=True)
            if kind == "country" and entity_labels is not None:
                levels = np.asarray(entity_labels)[levels]
            d = np.zeros((len(values), len(levels)))
            d[np.arange(len(values)), codes] = 1.0
            parts.append(d[:, 1:])  # first level dropped
            names += [f"{kind}[{v}]" for v in levels[1:]]
    return np.hstack(parts), names


def make_design(
    df: pd.DataFrame,
    y: str,
    xvars: Sequence[str],
    fe: str = "twoway",
    *,
    entity: str = "iso3",
    time: str = "year",
    min_groups: int = 3,
) -> Design:
    """Design matrix: regressors, a constant, and country and/or year dummies (first level dropped)."""
    if fe not in _FE_ALL:
        raise ValueError(f"fixed_effects must be one of {', '.join(FE_CHOICES)}; got {fe!r}")
    xvars = list(xvars)
    if not xvars:
        raise ValueError("at least one regressor is needed")
    cols = [y, *xvars, entity, time]
    missing_cols = [c for c in cols if c not in df.columns]
    if missing_cols:
        raise KeyError(f"columns {missing_cols} are not in the panel")
    num = df[[y, *xvars]].to_numpy(dtype="float64")
    bad = ~np.isfinite(num).all(axis=1)
    if bad.any():
        first = df.loc[bad, [entity, time]].head(3).to_dict("records")
        raise ValueError(
            f"{int(bad.sum())} rows have missing or infinite values in {[y, *xvars]} "
            f"(e.g. {first}); drop incomplete rows before estimating and report them"
        )
    return design_from_arrays(
        num[:, 0],
        num[:, 1:],
        df[entity].astype(str).to_numpy(),
        df[time].to_numpy(dtype=int),
        xvars,
        fe,
        min_groups=min_groups,
        index=df.index,
    )


def design_from_arrays(
    y: np.ndarray,
    X: np.ndarray,
    entity: np.ndarray,
    time: np.ndarray,
    xvars: Sequence[str],
    fe: str,
    *,
    min_groups: int = 3,
    index: pd.Index | None = None,
) -> Design:
    """:func:`make_design` on arrays already extracted and complete (used for many fits on slices of one
    frame, such as rolling windows, where pandas' per-call overhead would dominate)."""
    xvars = list(xvars)
    codes, labels = pd.factorize(entity, sort=True)
    if len(labels) < min_groups:
        raise EstimationError(
            f"only {len(labels)} countries in the sample; at least {min_groups} are needed for cluster-robust inference"
        )
    D, dnames = fe_matrix(codes, time, fe, labels)
    X = np.hstack([X, D])
    names = [*xvars, *dnames]
    if X.shape[0] <= X.shape[1]:
        raise EstimationError(f"{X.shape[0]} observations for {X.shape[1]} parameters: the sample is too small")
    U, sv, Vt = np.linalg.svd(X, full_matrices=False)
    rank = int((sv > sv.max() * max(X.shape) * np.finfo(float).eps).sum())  # numpy's matrix_rank tolerance
    if rank < X.shape[1]:
        # which regressor is in the span of the others?
        culprits = []
        for j, name in enumerate(xvars):
            others = np.delete(X, j, axis=1)
            if np.linalg.matrix_rank(others) == rank:
                culprits.append(name)
        raise EstimationError(
            f"regressor(s) {culprits or xvars} are collinear with the fixed effects or each "
            "other in this sample (e.g. constant within every country)"
        )
    des = Design(
        y=np.array(y, dtype=float),
        X=X,
        names=names,
        xvars=xvars,
        groups=codes,
        group_labels=[str(v) for v in labels],
        index=index if index is not None else pd.RangeIndex(len(y)),
        entity=entity,
        time=time,
    )
    des.__dict__["pinv"] = (Vt.T / sv) @ U.T  # the SVD is already there: fill the cached pinv from it
    return des


# --------------------------------------------------------------------------- fit


@dataclass
class PanelFit:
    fe: str
    dependent: str
    params: pd.Series
    bse: pd.Series
    tvalues: pd.Series
    pvalues: pd.Series  # CR1, t(G-1)
    ci_low: pd.Series  # 95 %, CR1, t(G-1)
    ci_high: pd.Series
    vcov: pd.DataFrame  # CR1, regressors of interest
    nobs: int
    n_groups: int
    year_min: int
    year_max: int
    n_years: int
    r2: float
    r2_within: float
    df_inference: int
    fitted: np.ndarray
    resid: np.ndarray
    design: Design = field(repr=False)

    @property
    def xvars(self) -> list[str]:
        return list(self.params.index)

    def ci(self, level: float = 0.95) -> tuple[pd.Series, pd.Series]:
        """(low, high) confidence bounds at ``level``: CR1 standard errors, t(G-1) critical values."""
        from scipy.special import stdtrit

        half = float(stdtrit(self.df_inference, 0.5 + level / 2)) * self.bse
        return self.params - half, self.params + half


def cluster_scale(n: int, k: int, g: int) -> float:
    """CR1 small-sample factor G/(G-1)·(N-1)/(N-K) (statsmodels' and Stata's default)."""
    return g / (g - 1) * (n - 1) / (n - k)


def cr1_vcov(X: np.ndarray, resid: np.ndarray, groups: np.ndarray, pinv: np.ndarray | None = None) -> np.ndarray:
    """Cluster-robust (CR1) covariance of OLS coefficients, computed directly (``pinv`` = (X'X)^-1 X' if known)."""
    n, k = X.shape
    g = int(groups.max()) + 1
    bread = np.linalg.inv(X.T @ X) if pinv is None else pinv @ pinv.T
    scores = np.zeros((g, k))
    np.add.at(scores, groups, X * resid[:, None])
    meat = scores.T @ scores
    return cluster_scale(n, k, g) * bread @ meat @ bread


def fit_panel(
    df: pd.DataFrame,
    y: str,
    xvars: Sequence[str],
    fe: str = "twoway",
    *,
    entity: str = "iso3",
    time: str = "year",
    min_groups: int = 3,
) -> PanelFit:
    """OLS with the fixed effects asked for; CR1 standard errors clustered by ``entity``, t(G-1) inference.

    Computed with numpy (a unit test checks every number against statsmodels' OLS with the same
    cluster-robust covariance): the chapter fits several hundred models, where statsmodels' overhead
    (about 80 ms a fit) would dominate the page's run time."""
    return fit_design(make_design(df, y, xvars, fe, entity=entity, time=time, min_groups=min_groups), fe, y)


def fit_design(des: Design, fe: str, dependent: str = "y") -> PanelFit:
    """The OLS fit of :func:`fit_panel` for a design already built."""
    from scipy.special import stdtr, stdtrit  # Student t cdf and its inverse (scipy.stats is slower to import)

    beta = des.pinv @ des.y
    fitted = des.X @ beta
    resid = des.y - fitted
    k = len(des.xvars)
    V = cr1_vcov(des.X, resid, des.groups, des.pinv)[:k, :k]
    se = np.sqrt(np.diag(V))
    t = beta[:k] / se
    df_inf = des.n_groups - 1
    half = float(stdtrit(df_inf, 0.975)) * se
    rss = float(resid @ resid)
    tss = float(((des.y - des.y.mean()) ** 2).sum())
    r2 = 1 - rss / tss if tss > 0 else float("nan")
    if fe in ("country", "twoway"):
        means = np.bincount(des.groups, des.y) / np.bincount(des.groups)
        tss_w = float(((des.y - means[des.groups]) ** 2).sum())
        r2w = 1 - rss / tss_w if tss_w > 0 else float("nan")
    else:
        r2w = r2
    idx = pd.Index(des.xvars)

    def series(values: np.ndarray) -> pd.Series:
        return pd.Series(values, index=idx, copy=False)

    return PanelFit(
        fe=fe,
        dependent=dependent,
        params=series(beta[:k]),
        bse=series(se),
        tvalues=series(t),
        pvalues=series(2 * stdtr(df_inf, -np.abs(t))),
        ci_low=series(beta[:k] - half),
        ci_high=series(beta[:k] + half),
        vcov=pd.DataFrame(V, index=idx, columns=idx),
        nobs=len(des.y),
        n_groups=des.n_groups,
        year_min=int(des.time.min()),
        year_max=int(des.time.max()),
        n_years=len(np.unique(des.time)),
        r2=r2,
        r2_within=r2w,
        df_inference=df_inf,
        fitted=fitted,
        resid=resid,
        design=des,
    )


def within_transform(
    df: pd.DataFrame, cols: Sequence[str], *, entity: str = "iso3", time: str | None = None
) -> pd.DataFrame:
    """Subtract entity means (and, with ``time``, time means, adding back the grand mean).

    The one-way transformation is exact for any panel; the two-way one equals the two-way fixed-effects
    projection only in balanced panels (used to check the dummy-variable estimator by hand)."""
    out = df[list(cols)].astype("float64")
    ent_mean = out.groupby(df[entity]).transform("mean")
    if time is None:
        return out - ent_mean
    time_mean = out.groupby(df[time]).transform("mean")
    return out - ent_mean - time_mean + out.mean()


# --------------------------------------------------------------------------- wild cluster bootstrap


@dataclass(frozen=True)
class BootstrapResult:
    statistic: float  # Wald statistic (t^2 for one coefficient)
    pvalue: float
    reps: int
    weights: str
    tested: tuple[str, ...]
    n_groups: int


def bootstrap_weights(kind: str, reps: int, groups: int, rng: np.random.Generator) -> np.ndarray:
    """(reps x groups) matrix of wild-bootstrap weights (mean 0, variance 1)."""
    if kind == "webb":
        return rng.choice(_WEBB, size=(reps, groups))
    if kind == "rademacher":
        return rng.choice(np.array([-1.0, 1.0]), size=(reps, groups))
    raise ValueError(f"bootstrap weights must be one of {', '.join(WEIGHTS)}; got {kind!r}")


def _wald_batch(delta: np.ndarray, S: np.ndarray, scale: float) -> np.ndarray:
    """Cluster-robust Wald statistics for many samples at once: ``delta`` (q, B) coefficients minus their
    null value, ``S`` (G, q, B) cluster scores. Returns (B,)."""
    V = scale * np.einsum("gqb,grb->bqr", S, S)  # B x q x q
    sol = np.linalg.solve(V, delta.T[:, :, None])[:, :, 0]
    return np.einsum("bq,bq->b", delta.T, sol)


def wild_cluster_bootstrap(
    design: Design,
    tested: Sequence[str],
    *,
    reps: int = 999,
    seed: int = 0,
    weights: str = "webb",
    weight_matrix: np.ndarray | None = None,
) -> BootstrapResult:
    """WCR bootstrap p-value of H0: the ``tested`` coefficients are all zero.

    Residuals of the *restricted* model (the tested regressors dropped, fixed effects kept) are
    multiplied by one weight per cluster; each bootstrap sample is re-estimated with the full model
    and its CR1 Wald statistic compared with the original one. p = share of bootstrap statistics
    at least as large (two-sided for one coefficient). ``weight_matrix`` (reps x G) replaces the
    random draws (used by tests to enumerate all sign patterns).

    Computed in cluster space (as in Roodman et al.'s boottest): a bootstrap sample is the restricted fit
    plus sum_h v_h e_h, where e_h is the restricted residual vector of cluster h, so its coefficients,
    residuals and cluster scores are fixed linear maps of the G weights. Each replication then costs
    O(G^2 q) instead of a refit on all n rows; the result is the same as refitting (a unit test compares
    it with a loop that refits every sample)."""
    tested = list(tested)
    if not tested:
        raise ValueError("name at least one coefficient to test")
    if reps < 1:
        raise ValueError("reps must be positive")
    q_idx = design.positions(tested)
    X, y, g = design.X, design.y, design.groups
    n, k = X.shape
    G = design.n_groups
    if G < 2:
        raise EstimationError("the wild cluster bootstrap needs at least 2 clusters")
    H = np.zeros((G, n))
    H[g, np.arange(n)] = 1.0
    A = design.pinv
    A_q = A[q_idx]
    scale = cluster_scale(n, k, G)
    beta_q = A_q @ y
    u = y - X @ (A @ y)
    W0 = float(_wald_batch(beta_q[:, None], (H @ (A_q * u).T)[:, :, None], scale)[0])
    Xr = np.delete(X, q_idx, axis=1)
    yhat_r = Xr @ np.linalg.lstsq(Xr, y, rcond=None)[0]
    E = H.T * (y - yhat_r)[:, None]  # n x G: restricted residuals, one column per cluster
    AE = A @ E  # k x G
    R = E - X @ AE  # n x G: full-model residuals of each e_h
    C = np.einsum("gi,qi,ih->gqh", H, A_q, R)  # G x q x G: cluster scores of each e_h
    if weight_matrix is None:
        V = bootstrap_weights(weights, reps, G, np.random.default_rng(seed))
    else:
        V = np.asarray(weight_matrix, dtype=float)
        if V.ndim != 2 or V.shape[1] != G:
            raise ValueError(f"weight_matrix must have one column per cluster ({G})")
        reps = V.shape[0]
    delta = (A_q @ yhat_r)[:, None] + AE[q_idx] @ V.T  # q x B (the first term is zero up to rounding)
    Wb = _wald_batch(delta, C @ V.T, scale)
    p = float(np.mean(Wb >= W0 - 1e-12 * max(1.0, abs(W0))))
    return BootstrapResult(
        statistic=W0,
        pvalue=p,
        reps=int(reps),
        weights=weights if weight_matrix is None else "given",
        tested=tuple(tested),
        n_groups=G,
    )


def cluster_wald(fit: PanelFit, tested: Sequence[str]) -> tuple[float, float]:
    """CR1 Wald test that ``tested`` coefficients are zero: (F statistic, p-value from F(q, G-1))."""
    b = fit.params[list(tested)].to_numpy()
    V = fit.vcov.loc[list(tested), list(tested)].to_numpy()
    q = len(b)
    F = float(b @ np.linalg.solve(V, b)) / q
    from scipy.special import fdtrc  # survival function of the F distribution

    return F, float(fdtrc(q, fit.df_inference, F))


# --------------------------------------------------------------------------- diagnostics


def vif(X: pd.DataFrame) -> pd.Series:
    """Variance inflation factors 1/(1-R²_j), each column regressed on the others and a constant."""
    if X.shape[1] < 2:
        return pd.Series(1.0, index=X.columns)
    arr = X.astype("float64").to_numpy()
    out = {}
    for j, name in enumerate(X.columns):
        yj = arr[:, j]
        others = np.column_stack([np.ones(len(arr)), np.delete(arr, j, axis=1)])
        beta = np.linalg.lstsq(others, yj, rcond=None)[0]
        resid = yj - others @ beta
        tss = ((yj - yj.mean()) ** 2).sum()
        r2 = 1 - (resid**2).sum() / tss if tss > 0 else 1.0
        out[name] = float("inf") if r2 >= 1 - 1e-12 else 1 / (1 - r2)
    return pd.Series(out)


def residualise_on_fe(
    df: pd.DataFrame, cols: Sequence[str], fe: str, *, entity: str = "iso3", time: str = "year"
) -> pd.DataFrame:
    """Columns net of the fixed effects (Frisch-Waugh-Lovell): what the FE estimator actually uses."""
    D, _ = fe_matrix(df[entity].astype(str).to_numpy(), df[time].astype(int).to_numpy(), fe)
    arr = df[list(cols)].astype("float64").to_numpy()
    beta = np.linalg.lstsq(D, arr, rcond=None)[0]
    return pd.DataFrame(arr - D @ beta, columns=list(cols), index=df.index)


@dataclass(frozen=True)
class MundlakResult:
    F: float
    p_cr1: float
    p_boot: float
    q: int
    fe_used: str


def mundlak_test(
    df: pd.DataFrame,
    y: str,
    xvars: Sequence[str],
    *,
    time_effects: bool = True,
    entity: str = "iso3",
    time: str = "year",
    reps: int = 999,
    seed: int = 0,
    weights: str = "webb",
) -> MundlakResult:
    """Mundlak (1978) check of random vs fixed effects, robust to clustering.

    Pooled OLS of y on the regressors and their country means (plus year dummies when the main model
    has them). If the means' coefficients are jointly zero, random effects would be consistent; a
    rejection says the regressors are correlated with the country effects, so fixed effects are
    needed (the regression-based, cluster-robust form of the Hausman test)."""
    xvars = list(xvars)
    data = df.copy()
    mean_cols = []
    for x in xvars:
        c = f"mean_{x}"
        data[c] = data.groupby(entity)[x].transform("mean")
        mean_cols.append(c)
    fe = "time" if time_effects else "none"
    fit = fit_panel(data, y, [*xvars, *mean_cols], fe, entity=entity, time=time)
    F, p = cluster_wald(fit, mean_cols)
    boot = wild_cluster_bootstrap(fit.design, mean_cols, reps=reps, seed=seed, weights=weights)
    return MundlakResult(F=F, p_cr1=p, p_boot=boot.pvalue, q=len(mean_cols), fe_used=fe)


# --------------------------------------------------------------------------- scenarios


def draw_linear_effects(
    beta: pd.Series, vcov: pd.DataFrame, deltas: pd.DataFrame, *, draws: int = 2000, seed: int = 0, level: float = 0.95
) -> pd.DataFrame:
    """Implied change Σ_k β_k Δx_k for each row of ``deltas`` (columns = regressors), with a band from
    β ~ N(β̂, V̂). Returns columns central, low, high (the ``level`` interval of the draws)."""
    cols = list(deltas.columns)
    unknown = [c for c in cols if c not in beta.index]
    if unknown:
        raise KeyError(f"no coefficient for {unknown}")
    b = beta[cols].to_numpy()
    V = vcov.loc[cols, cols].to_numpy()
    rng = np.random.default_rng(seed)
    B = rng.multivariate_normal(b, V, size=draws, method="eigh")  # draws x k
    D = deltas.to_numpy()  # rows x k
    sims = D @ B.T  # rows x draws
    a = (1 - level) / 2
    return pd.DataFrame(
        {"central": D @ b, "low": np.quantile(sims, a, axis=1), "high": np.quantile(sims, 1 - a, axis=1)},
        index=deltas.index,
    )


def stars(p: float) -> str:
    """*** p<0.01, ** p<0.05, * p<0.10."""
    if p is None or not np.isfinite(p):
        return ""
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.10 else ""
