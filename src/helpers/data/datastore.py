"""Loading the curated tables in ``data/``: checksum, schema validation, clear errors.

Every load goes through :func:`load_table`, which

1. verifies the file's sha256 against ``data/SHA256SUMS`` (the manifest written by ``make data``);
2. checks the header (missing, extra or reordered columns);
3. validates types, required values, enums, patterns, ranges, unique keys, ISO3 codes, year coverage
   and per-indicator bounds with a pandera schema built from :mod:`helpers.data.schemas`.

Any failure raises :class:`DataValidationError` naming the file, the column, the check and the first
bad rows (with their CSV line numbers). Requests for data that do not exist raise
:class:`DataRequestError` rather than returning an empty frame.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from helpers.data import paths
from helpers.data.schemas import Resource, resource

MANIFEST = "SHA256SUMS"
DATAPACKAGE = "datapackage.json"
RCEP = ("AUS", "BRN", "CHN", "IDN", "JPN", "KHM", "KOR", "LAO", "MMR", "MYS", "NZL", "PHL", "SGP", "THA", "VNM")
COMPARATORS = ("USA", "IND", "GBR", "DEU")
WORLD = "WLD"


class DataError(Exception):
    """Base class of data-layer errors."""


class DataValidationError(DataError, ValueError):
    """A curated file is missing, corrupted or fails its schema."""

    def __init__(
        self,
        file: str,
        message: str,
        column: str | None = None,
        check: str | None = None,
        rows: pd.DataFrame | None = None,
    ):
        self.file, self.column, self.check, self.rows = file, column, check, rows
        where = f"{file}" + (f", column '{column}'" if column else "")
        text = f"{where}: {message}"
        if rows is not None and len(rows):
            text += "\n  first bad rows (CSV line: values):\n" + "\n".join(
                f"    line {line}: " + ", ".join(f"{k}={v!r}" for k, v in rec.items())
                for line, rec in zip(rows["csv_line"], rows.drop(columns="csv_line").to_dict("records"))
            )
        super().__init__(text)


class DataRequestError(DataError, LookupError):
    """The data asked for do not exist in the curated tables."""


# --------------------------------------------------------------------------- manifest & package


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(data_dir: Path | None = None) -> dict[str, str]:
    data_dir = data_dir or paths.data_dir()
    mpath = data_dir / MANIFEST
    if not mpath.exists():
        raise DataValidationError(f"data/{MANIFEST}", "manifest is missing; run `make data` to regenerate it")
    if not mpath.is_file():
        raise DataValidationError(f"data/{MANIFEST}", "is not a regular file; run `make data` to regenerate it")
    out: dict[str, str] = {}
    for n, line in enumerate(mpath.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split(None, 1)
        if len(parts) != 2 or len(parts[0]) != 64:
            raise DataValidationError(f"data/{MANIFEST}", f"line {n} is not '<sha256>  <file>': {line!r}")
        out[parts[1].strip()] = parts[0]
    return out


def verify_file(name: str, data_dir: Path | None = None) -> Path:
    """Check one file of ``data/`` against the manifest; return its path."""
    return verified_digest(name, data_dir)[0]


def verified_digest(name: str, data_dir: Path | None = None) -> tuple[Path, str]:
    """Check one file of ``data/`` against the manifest; return its path and sha256 (hashed once)."""
    data_dir = data_dir or paths.data_dir()
    manifest = read_manifest(data_dir)
    path = data_dir / name
    if name not in manifest:
        raise DataValidationError(f"data/{name}", f"file is not listed in data/{MANIFEST}")
    if not path.exists():
        raise DataValidationError(f"data/{name}", "file is missing (listed in the manifest)")
    if not path.is_file():
        raise DataValidationError(
            f"data/{name}", "is not a regular file (a directory?); run `make data` to regenerate it"
        )
    actual = sha256_file(path)
    if actual != manifest[name]:
        raise DataValidationError(
            f"data/{name}",
            f"checksum mismatch: manifest says sha256 {manifest[name][:16]}..., file has {actual[:16]}... "
            "(the file was edited or corrupted; run `make data` to regenerate it from the raw extracts)",
        )
    return path, actual


def verify_manifest(data_dir: Path | None = None) -> list[str]:
    """Verify every file listed in the manifest; return the list of names."""
    data_dir = data_dir or paths.data_dir()
    names = list(read_manifest(data_dir))
    for name in names:
        verify_file(name, data_dir)
    return names


NOTES_SUFFIX = ".md"  # curation notes kept beside the tables: never published, never read by the book


def check_listed(data_dir: Path | None = None) -> None:
    """Every file in ``data/`` is published by the book, so each must be one ``make data`` wrote: listed in
    the manifest and, for tables, described by a schema (hence validated) and in datapackage.json.
    Markdown notes are the only exception (not published)."""
    from helpers.data.schemas import BY_NAME

    data_dir = data_dir or paths.data_dir()
    manifest = read_manifest(data_dir)
    for path in sorted(data_dir.iterdir()):
        if path.name not in manifest and path.name != MANIFEST and path.suffix != NOTES_SUFFIX:
            raise DataValidationError(
                f"data/{path.name}",
                f"is not listed in data/{MANIFEST}: every file in data/ "
                "is published, so it must come from `make data` (or be removed)",
            )
    described = {r["name"] for r in datapackage(data_dir).get("resources", [])}
    for name in manifest:
        if name.endswith(".csv"):
            table = name.removesuffix(".csv")
            if table not in BY_NAME:
                raise DataValidationError(
                    f"data/{name}",
                    "is listed in the manifest but has no schema in helpers.data.schemas, so it cannot be validated",
                )
            if table not in described:
                raise DataValidationError(f"data/{name}", f"is not described in data/{DATAPACKAGE}")


@lru_cache(maxsize=8)
def _datapackage_cached(path: str, digest: str) -> dict:
    try:
        pkg = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            f"data/{DATAPACKAGE}", f"is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except json.JSONDecodeError as exc:
        raise DataValidationError(
            f"data/{DATAPACKAGE}",
            f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}; run `make data` to regenerate it",
        ) from None
    if not isinstance(pkg, dict) or not isinstance(pkg.get("resources"), list):
        raise DataValidationError(f"data/{DATAPACKAGE}", "has no list of resources; run `make data` to regenerate it")
    return pkg


def datapackage(data_dir: Path | None = None) -> dict:
    data_dir = data_dir or paths.data_dir()
    path, digest = verified_digest(DATAPACKAGE, data_dir)
    return _datapackage_cached(str(path), digest)


def coverage(name: str) -> dict:
    """Coverage recorded by ``make data`` for a table: years, row count."""
    for res in datapackage()["resources"]:
        if res["name"] == name:
            return res.get("coverage", {})
    raise DataRequestError(f"table {name!r} is not described in data/{DATAPACKAGE}")


# --------------------------------------------------------------------------- validation

_NON_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
_PANDAS_TYPES = {"string": str, "integer": "Int64", "number": "float64", "boolean": "boolean"}
# Order in which failures are reported: structure first, then types, then content.
_CHECK_ORDER = (
    "coerce",
    "dtype",
    "not_nullable",
    "str_matches",
    "isin",
    "greater",
    "less",
    "in_range",
    "uniqueness",
    "known_iso3",
    "year_in_coverage",
    "bounds",
)


def _check_rank(check: str) -> int:
    for i, key in enumerate(_CHECK_ORDER):
        if key in check:
            return i
    return len(_CHECK_ORDER)


def _bool_parser(series: pd.Series) -> pd.Series:
    mapping = {"true": True, "false": False, "True": True, "False": False}
    return series.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)


def build_schema(
    res: Resource,
    known_iso3: frozenset[str] | None,
    year_range: tuple[int, int] | None,
    bounds: pd.DataFrame | None = None,
) -> pa.DataFrameSchema:
    columns = {}
    for f in res.fields:
        checks = []
        if f.enum:
            checks.append(pa.Check.isin(list(f.enum)))
        if f.pattern:
            checks.append(pa.Check.str_matches(f.pattern))
        if f.minimum is not None:
            checks.append(pa.Check.ge(f.minimum))
        if f.maximum is not None:
            checks.append(pa.Check.le(f.maximum))
        if f.role == "iso3" and known_iso3 is not None:
            known = known_iso3
            checks.append(pa.Check(lambda s, known=known: s.isin(known), name="known_iso3"))
        if f.role == "year" and year_range is not None:
            lo, hi = year_range
            checks.append(pa.Check(lambda s, lo=lo, hi=hi: s.between(lo, hi), name=f"year_in_coverage({lo}-{hi})"))
        columns[f.name] = pa.Column(_PANDAS_TYPES[f.type], checks=checks, nullable=not f.required, coerce=True)
    frame_checks = []
    if bounds is not None:
        key = res.fields[2].name if res.name in ("wdi", "openness") else None
        frame_checks.append(_bounds_check(key, bounds))
    return pa.DataFrameSchema(
        columns, strict=True, ordered=True, unique=list(res.primary_key) or None, checks=frame_checks, name=res.name
    )


def _bounds_check(key: str, bounds: pd.DataFrame) -> pa.Check:
    """Row-wise: value within the [min, max] declared for its indicator / measure."""
    lo = bounds["min"].to_dict()
    hi = bounds["max"].to_dict()

    def check(df: pd.DataFrame) -> pd.Series:
        low = df[key].map(lo).astype("float64")
        high = df[key].map(hi).astype("float64")
        unknown = ~df[key].isin(bounds.index)
        # tolerance: some sources store values as float32 (KOF's 100 is 100.0000076...)
        tol = 1e-6 * (1 + high.abs().fillna(0))
        ok = (low.isna() | (df["value"] >= low - tol)) & (high.isna() | (df["value"] <= high + tol))
        return ok & ~unknown

    return pa.Check(check, name=f"bounds_of_{key}")


def _first_failure(file: str, raw: pd.DataFrame, err: pa.errors.SchemaErrors) -> DataValidationError:
    fc = err.failure_cases.copy()
    fc["rank"] = fc["check"].astype(str).map(_check_rank)
    fc = fc.sort_values(["rank", "index"], kind="stable")
    first = fc.iloc[0]
    column, check = first["column"], str(first["check"])
    same = fc[(fc["column"] == column) & (fc["check"].astype(str) == check)]
    idx = [int(i) for i in same["index"].dropna().unique()]
    if "bounds" in check:
        column = "value"
    elif column is None or (isinstance(column, float) and pd.isna(column)):
        column = None
    if "uniqueness" in check:
        message = f"duplicate key ({check.replace('multiple_fields_uniqueness', 'primary key')}) in {len(idx)} rows"
    elif "coerce" in check or "dtype" in check:
        message = f"wrong type ({check}) in {len(idx)} rows"
    elif "not_nullable" in check:
        message = f"required value missing in {len(idx)} rows"
    elif "known_iso3" in check:
        message = f"failed check known_iso3 (code not in data/countries.csv) in {len(idx)} rows"
    elif "year_in_coverage" in check:
        message = (
            f"failed check {check}: year outside the coverage declared in data/datapackage.json, in {len(idx)} rows"
        )
    elif "bounds" in check:
        message = (
            f"failed check {check}: value outside the bounds declared for its indicator/measure "
            f"(or unknown code), in {len(idx)} rows"
        )
    else:
        message = f"failed check {check} in {len(idx)} rows"
    rows = raw.loc[idx[:5]].copy() if idx else None
    if rows is not None:
        rows.insert(0, "csv_line", [i + 2 for i in rows.index])
    return DataValidationError(file, message, column=column, check=check, rows=rows)


def read_validated(
    res: Resource,
    path: Path,
    *,
    known_iso3: frozenset[str] | None,
    year_range: tuple[int, int] | None,
    bounds: pd.DataFrame | None = None,
    label: str | None = None,
) -> pd.DataFrame:
    """Read ``path`` as table ``res`` and validate it; raise DataValidationError on the first problem."""
    label = label or f"data/{res.path}"
    blob = path.read_bytes()
    if b"\x00" in blob:
        line = blob[: blob.index(b"\x00")].count(b"\n") + 1
        raise DataValidationError(label, f"contains a NUL byte at line {line} (a binary or damaged file)")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise DataValidationError(label, f"cannot be parsed as CSV: {exc}") from None
    expected = [f.name for f in res.fields]
    got = list(raw.columns)
    missing = [c for c in expected if c not in got]
    extra = [c for c in got if c not in expected]
    if missing:
        raise DataValidationError(label, f"missing column(s) {missing}; expected columns {expected}", column=missing[0])
    if extra:
        raise DataValidationError(label, f"unexpected column(s) {extra}; expected columns {expected}", column=extra[0])
    if got != expected:
        raise DataValidationError(label, f"columns in the wrong order {got}; expected {expected}")
    for f in res.fields:  # "nan", "inf": parsed as numbers by pandas, never values of a curated table
        if f.type in ("number", "integer"):
            bad = raw[f.name].str.strip().str.lower().isin(_NON_FINITE)
            if bad.any():
                rows = raw.loc[bad[bad].index[:5]].copy()
                rows.insert(0, "csv_line", [i + 2 for i in rows.index])
                raise DataValidationError(
                    label,
                    f"non-finite number (NaN or infinity) in {int(bad.sum())} rows; a missing value is an empty field",
                    column=f.name,
                    check="finite",
                    rows=rows,
                )
    df = raw.copy()
    for f in res.fields:
        if f.type == "boolean":
            df[f.name] = _bool_parser(df[f.name])
    schema = build_schema(res, known_iso3, year_range, bounds)
    try:
        out = schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        raise _first_failure(label, raw, err) from None
    return out


# --------------------------------------------------------------------------- public loaders

_CACHE: dict[tuple[str, str], pd.DataFrame] = {}


def _year_range(name: str) -> tuple[int, int] | None:
    cov = coverage(name)
    if "year_min" in cov:
        return int(cov["year_min"]), int(cov["year_max"])
    return None


def _bounds_for(res: Resource) -> pd.DataFrame | None:
    if res.bounds_from == "wdi_indicators":
        meta = load_table("wdi_indicators")
        return meta.set_index("indicator").rename(columns={"min_value": "min", "max_value": "max"})[["min", "max"]]
    if res.bounds_from == "openness_measures":
        meta = load_table("openness_measures")
        return meta.set_index("measure").rename(columns={"scale_min": "min", "scale_max": "max"})[["min", "max"]]
    return None


def load_table(name: str) -> pd.DataFrame:
    """Load one curated table, verified and validated. Returns a copy."""
    res = resource(name)
    data_dir = paths.data_dir()
    path, digest = verified_digest(res.path, data_dir)
    key = (str(path), digest)
    if key not in _CACHE:
        known = None if name == "countries" else frozenset(load_table("countries")["iso3"])
        _CACHE[key] = read_validated(res, path, known_iso3=known, year_range=_year_range(name), bounds=_bounds_for(res))
    return _CACHE[key].copy()


def derived(*tables: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator for a function computed only from curated tables (and its hashable arguments):
    its result is kept per argument list and per content of those tables. Every call still verifies
    the tables' checksums; a changed file means a new key, so it is read, validated and computed
    again. DataFrame/Series results are returned as copies, so callers may modify them."""
    for t in tables:
        resource(t)  # an unknown table name fails at import, not at the first call

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        memo: dict[tuple, Any] = {}

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            data_dir = paths.data_dir()
            digests = tuple(verified_digest(resource(t).path, data_dir)[1] for t in tables)
            key = (str(data_dir), digests, args, tuple(sorted(kwargs.items())))
            if key not in memo:
                memo[key] = fn(*args, **kwargs)
            out = memo[key]
            return out.copy() if isinstance(out, (pd.DataFrame, pd.Series)) else out

        wrapper.cache_clear = memo.clear  # type: ignore[attr-defined]
        return wrapper

    return deco


def validate_all() -> list[str]:
    """Verify the manifest, that every file is listed, and validate every table (before a build starts)."""
    verify_manifest()
    check_listed()
    from helpers.data.schemas import RESOURCES

    for res in RESOURCES:
        load_table(res.name)
    return [r.name for r in RESOURCES]


def countries() -> pd.DataFrame:
    return load_table("countries").set_index("iso3")


def country_groups() -> dict[str, tuple[str, ...]]:
    """Named groups of ISO3 codes: rcep, asean, comparators, world, high_income_rcep, other_rcep."""
    c = countries()
    rcep = tuple(c.index[c["role"] == "rcep"])
    high = tuple(i for i in rcep if c.loc[i, "income_group"] == "High income")
    return {
        "rcep": rcep,
        "asean": tuple(c.index[c["is_asean"].fillna(False).astype(bool)]),
        "comparators": tuple(c.index[c["role"] == "comparator"]),
        "world": (WORLD,),
        "high_income_rcep": high,
        "other_rcep": tuple(i for i in rcep if i not in high),
    }


@derived("countries")
def _display_name_map() -> dict[str, str]:
    return {code: str(name) for code, name in countries()["display_name"].items()}


def display_name(iso3: str) -> str:
    return display_names([iso3])[iso3]


def display_names(codes: Iterable[str]) -> dict[str, str]:
    codes = list(codes)
    names = _display_name_map()
    unknown = [c for c in codes if c not in names]
    if unknown:
        raise DataRequestError(f"unknown ISO3 code {unknown[0]!r}; known codes are listed in data/countries.csv")
    return {code: names[code] for code in codes}


def indicator_meta(code: str | None = None) -> pd.DataFrame | pd.Series:
    meta = load_table("wdi_indicators").set_index("indicator")
    if code is None:
        return meta
    if code not in meta.index:
        raise DataRequestError(f"indicator {code!r} is not in data/wdi.csv; available: {', '.join(meta.index)}")
    return meta.loc[code]


def _as_tuple(x: str | Sequence[str] | None) -> tuple[str, ...] | None:
    if x is None:
        return None
    return (x,) if isinstance(x, str) else tuple(x)


def _filter_long(
    df: pd.DataFrame,
    table: str,
    key: str,
    wanted: tuple[str, ...] | None,
    countries: tuple[str, ...] | None,
    years: tuple[int, int] | None,
) -> pd.DataFrame:
    if wanted is not None:
        present = set(df[key])
        unknown = [w for w in wanted if w not in present]
        if unknown:
            raise DataRequestError(
                f"{key} {unknown} not in data/{table}.csv; available: {', '.join(sorted(df[key].unique()))}"
            )
        df = df[df[key].isin(wanted)]
    if countries is not None:
        known = set(countries_table_codes())
        bad = [c for c in countries if c not in known]
        if bad:
            raise DataRequestError(f"unknown ISO3 code(s) {bad}; known codes are listed in data/countries.csv")
        df = df[df["iso3"].isin(countries)]
    if years is not None:
        lo, hi = years
        if lo > hi:
            raise DataRequestError(f"years ({lo}, {hi}) are reversed: start must not be after end")
        df = df[df["year"].between(lo, hi)]
    if countries is not None:
        present = set(df["iso3"])
        empty = [c for c in countries if c not in present]
        if empty:
            what = f"{key} {list(wanted)}" if wanted else "any series"
            span = f" in {years[0]}-{years[1]}" if years else ""
            raise DataRequestError(f"no observations of {what} for {empty}{span} in data/{table}.csv")
    if wanted is not None:
        present = set(df[key])
        empty = [w for w in wanted if w not in present]
        if empty:
            span = f" in {years[0]}-{years[1]}" if years else ""
            raise DataRequestError(
                f"no observations of {key} {empty} for the requested countries{span} in data/{table}.csv"
            )
    return df.reset_index(drop=True)


def countries_table_codes() -> list[str]:
    return list(countries().index)


def load_wdi(
    indicators: str | Sequence[str],
    countries: str | Sequence[str] | None = None,
    years: tuple[int, int] | None = None,
    wide: bool = False,
) -> pd.DataFrame:
    """WDI values (long: iso3, year, indicator, value; or wide: one column per indicator).

    Units are those of ``indicator_meta(code).unit``. Gaps stay gaps: a country-year without a
    value is absent (long) or NaN (wide). Raises DataRequestError if an indicator is unknown, or if a
    requested country or indicator has no observation at all in the window.
    """
    df = _filter_long(load_table("wdi"), "wdi", "indicator", _as_tuple(indicators), _as_tuple(countries), years)
    if wide:
        return (
            df.pivot(index=["iso3", "year"], columns="indicator", values="value")
            .reset_index()
            .rename_axis(columns=None)
        )
    return df


def load_openness(
    measures: str | Sequence[str], countries: str | Sequence[str] | None = None, years: tuple[int, int] | None = None
) -> pd.DataFrame:
    return _filter_long(load_table("openness"), "openness", "measure", _as_tuple(measures), _as_tuple(countries), years)


def load_unctad_dds(
    flow: str = "exports", countries: str | Sequence[str] | None = None, years: tuple[int, int] | None = None
) -> pd.DataFrame:
    df = load_table("unctad_dds")
    if flow not in ("exports", "imports"):
        raise DataRequestError(f"flow {flow!r} must be 'exports' or 'imports'")
    df = df[df["flow"] == flow]
    return _filter_long(df, "unctad_dds", "flow", None, _as_tuple(countries), years)


def load_seed_table(series: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Figures transcribed from the seeds (their claims, with quotes), optionally for some series."""
    df = load_table("seed_values")
    wanted = _as_tuple(series)
    if wanted is not None:
        unknown = [s for s in wanted if s not in set(df["series_id"])]
        if unknown:
            raise DataRequestError(
                f"series {unknown} not in data/seed_values.csv; available: {', '.join(sorted(df['series_id'].unique()))}"
            )
        df = df[df["series_id"].isin(wanted)]
    return df.reset_index(drop=True)
