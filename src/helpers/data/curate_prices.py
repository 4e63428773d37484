"""``make data`` for ``data/prices.csv``: two US$ price indices from the extracts in ``sources/prices/``.

The extracts live in the repository (see ``sources/prices/PROVENANCE.md``), not in ``../shared``.
Values are carried over as the strings the extracts give; rows are sorted by index and year.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data import paths

CPI_FILE = "bls_cpi_u_annual_average.csv"
DEFLATOR_FILE = "wdi_gdp_deflator_usa.csv"
CPI_SERIES = "CUUR0000SA0"


def sources_dir() -> Path:
    return paths.root() / "sources" / "prices"


def _read(name: str, expected: list[str]) -> pd.DataFrame:
    path = sources_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"price extract {path} not found (see sources/prices/PROVENANCE.md)")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(df.columns) != expected:
        raise ValueError(f"sources/prices/{name}: columns {list(df.columns)}, expected {expected}")
    return df


def build_prices(raw_dir: Path | None = None) -> pd.DataFrame:
    """``index_id, year, value``: US CPI-U annual average (``us_cpi_u``) and US GDP deflator
    (``us_gdp_deflator``). ``raw_dir`` is not used: the extracts are in the repository."""
    cpi = _read(CPI_FILE, ["series_id", "year", "value"])
    other = sorted(set(cpi["series_id"]) - {CPI_SERIES})
    if other:
        raise ValueError(f"sources/prices/{CPI_FILE}: series {other}, expected only {CPI_SERIES}")
    defl = _read(DEFLATOR_FILE, ["geo", "time", "ny_gdp_defl_zs"])
    if set(defl["geo"]) != {"usa"}:
        raise ValueError(f"sources/prices/{DEFLATOR_FILE}: geo {sorted(set(defl['geo']))}, expected only 'usa'")
    out = pd.concat(
        [
            pd.DataFrame({"index_id": "us_cpi_u", "year": cpi["year"], "value": cpi["value"]}),
            pd.DataFrame({"index_id": "us_gdp_deflator", "year": defl["time"], "value": defl["ny_gdp_defl_zs"]}),
        ],
        ignore_index=True,
    )
    dup = out[out.duplicated(["index_id", "year"], keep=False)]
    if not dup.empty:
        raise ValueError(f"sources/prices: duplicate years {dup[['index_id', 'year']].values.tolist()[:3]}")
    return out.sort_values(
        ["index_id", "year"], key=lambda c: c.astype(int) if c.name == "year" else c, ignore_index=True
    )
