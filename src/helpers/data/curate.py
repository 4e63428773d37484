"""``make data``: regenerate the curated tables in ``data/`` from the raw public extracts.

Deterministic: the same raw files give byte-identical outputs (values are carried over as the
strings the source gives, rows are sorted by primary key, CSVs use ``\\n`` line endings). Every
output is validated with the same schema the book uses *before* anything in ``data/`` is replaced,
and files are replaced atomically, so a failed run leaves ``data/`` as it was.

The builders, one per table, are in :mod:`helpers.data.curate_tables` (``prices`` in
:mod:`helpers.data.curate_prices`); what they add to the extracts (groups, names, metadata) is in
:mod:`helpers.data.curate_meta`. This module runs them, checks, validates and writes.

Tables transcribed by hand from the seed texts (``claims.csv``, ``seed_values.csv``) are not
regenerated: they are validated, their quotes are checked against the seed texts when those are
available, and they are listed in the manifest.

Usage: ``python -m helpers.data.curate [--raw DIR] [--check]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

from helpers.data import paths
from helpers.data.curate_meta import RCEP
from helpers.data.curate_tables import BUILDERS, build_openness
from helpers.data.datastore import DATAPACKAGE, MANIFEST, DataValidationError, read_validated
from helpers.data.schemas import RESOURCES, Resource, resource

HAND_TABLES = ("claims", "seed_values")


# --------------------------------------------------------------------------- seed checks


def collapse(text: str) -> str:
    return " ".join(text.split())


def check_quotes(df: pd.DataFrame, table: str, seeds: Path) -> None:
    """Every quote must occur verbatim (whitespace collapsed) in the seed it cites."""
    texts: dict[str, str] = {}
    for i, r in enumerate(df.to_dict("records")):
        f = r["seed_file"]
        if f not in texts:
            p = seeds / f
            if not p.exists():
                raise DataValidationError(
                    f"data/{table}.csv", f"row {i + 2} cites seed file {f!r}, not found in {seeds}", column="seed_file"
                )
            texts[f] = collapse(p.read_text(encoding="utf-8"))
        if collapse(r["quote"]) not in texts[f]:
            raise DataValidationError(
                f"data/{table}.csv",
                f"line {i + 2}: quote not found verbatim in {f}: {r['quote'][:90]!r}",
                column="quote",
            )


# --------------------------------------------------------------------------- writing


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def coverage_of(res: Resource, df: pd.DataFrame) -> dict:
    cov: dict = {"rows": int(len(df))}
    for f in res.fields:
        if f.role == "year":
            years = pd.to_numeric(df[f.name])
            cov["year_min"], cov["year_max"] = int(years.min()), int(years.max())
        if f.role == "iso3":
            cov["economies"] = int(df[f.name].replace("", pd.NA).dropna().nunique())
    return cov


def datapackage_dict(coverages: dict[str, dict]) -> dict:
    resources = []
    for res in RESOURCES:
        resources.append(
            {
                "name": res.name,
                "path": res.path,
                "profile": "tabular-data-resource",
                "title": res.title,
                "description": res.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": [f.to_frictionless() for f in res.fields], "primaryKey": list(res.primary_key)},
                "sources": [
                    {"title": s.title, "path": s.path, **({"note": s.note} if s.note else {})} for s in res.sources
                ],
                "licenses": [{"title": res.licence}],
                "vintage": res.vintage,
                "raw": res.raw,
                "notes": list(res.notes),
                "coverage": coverages[res.name],
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "rcep-digital-service-trade",
        "title": "Digital Service Trade in the Age of AI: China and RCEP — curated tables",
        "description": "Curated from public extracts (../shared/data/raw) by `make data` (helpers.data.curate); "
        "seed transcriptions by hand. Values as published; gaps stay gaps.",
        "resources": resources,
    }


def curate(
    raw_dir: Path | None = None,
    data_dir: Path | None = None,
    seeds_dir: Path | None = None,
    check_only: bool = False,
    log=print,
) -> dict[str, str]:
    """Regenerate data/; return {file: sha256}. With check_only, compare instead of writing."""
    raw_dir = raw_dir or paths.raw_dir()
    data_dir = data_dir or paths.data_dir()
    seeds_dir = seeds_dir or paths.seeds_dir()
    outputs: dict[str, bytes] = {}
    frames: dict[str, pd.DataFrame] = {}
    for name, fn in BUILDERS.items():
        frames[name] = fn(raw_dir)
        log(f"  built {name:24s} {len(frames[name]):6d} rows")
    frames["openness"], frames["openness_measures"] = build_openness(raw_dir)
    for name in HAND_TABLES:
        path = data_dir / f"{name}.csv"
        if not path.exists():
            raise FileNotFoundError(f"hand-transcribed table data/{name}.csv is missing")
        frames[name] = pd.read_csv(path, dtype=str, keep_default_na=False)
        if seeds_dir.exists():
            check_quotes(frames[name], name, seeds_dir)
            log(f"  checked {name:22s} {len(frames[name]):6d} rows, quotes verbatim in the seeds")
        else:
            log(f"  WARNING: seeds not found at {seeds_dir}; quotes of {name} not re-checked")
    for name in frames:
        outputs[f"{name}.csv"] = to_csv_bytes(frames[name])

    # Validate every output with the book's own schemas before touching data/.
    with tempfile.TemporaryDirectory(dir=data_dir.parent, prefix=".curate-") as tmp:
        tmpdir = Path(tmp)
        for fname, blob in outputs.items():
            (tmpdir / fname).write_bytes(blob)
        known = frozenset(frames["countries"]["iso3"])
        read_validated(resource("countries"), tmpdir / "countries.csv", known_iso3=None, year_range=None)
        bounds = {
            "wdi": frames["wdi_indicators"]
            .set_index("indicator")
            .rename(columns={"min_value": "min", "max_value": "max"})[["min", "max"]]
            .replace("", None)
            .astype(float),
            "openness": frames["openness_measures"]
            .set_index("measure")
            .rename(columns={"scale_min": "min", "scale_max": "max"})[["min", "max"]]
            .astype(float),
        }
        coverages = {}
        for res in RESOURCES:
            df = frames[res.name]
            coverages[res.name] = coverage_of(res, df)
            cov = coverages[res.name]
            yr = (cov["year_min"], cov["year_max"]) if "year_min" in cov else None
            read_validated(
                res,
                tmpdir / res.path,
                known_iso3=None if res.name == "countries" else known,
                year_range=yr,
                bounds=bounds.get(res.name),
                label=f"data/{res.path} (new)",
            )
        outputs[DATAPACKAGE] = (json.dumps(datapackage_dict(coverages), indent=2, ensure_ascii=False) + "\n").encode()
        digests = {fname: _sha(blob) for fname, blob in sorted(outputs.items())}
        outputs[MANIFEST] = "".join(f"{d}  {f}\n" for f, d in digests.items()).encode()

        if check_only:
            stale = [
                f for f, blob in outputs.items() if not (data_dir / f).exists() or (data_dir / f).read_bytes() != blob
            ]
            if stale:
                raise SystemExit(f"data/ is out of date with the raw extracts: {stale}; run `make data`")
            log("data/ is up to date")
            return digests
        # Stage then swap file by file (os.replace is atomic on one filesystem); manifest last.
        for fname, blob in outputs.items():
            (tmpdir / fname).write_bytes(blob)
        data_dir.mkdir(parents=True, exist_ok=True)
        for fname in sorted(outputs, key=lambda f: f == MANIFEST):
            os.replace(tmpdir / fname, data_dir / fname)
    for fname in sorted(p.name for p in data_dir.glob("*.csv")):
        if fname not in outputs:
            log(f"  note: data/{fname} is not produced by make data (left untouched)")
    return digests


def _sha(blob: bytes) -> str:
    import hashlib

    return hashlib.sha256(blob).hexdigest()


def coverage_table(indicators: list[str] | None = None) -> pd.DataFrame:
    """Indicator x latest year x number of the 15 RCEP members with a value that year."""
    from helpers.data.datastore import load_table

    wdi = load_table("wdi")
    wdi = wdi[wdi["iso3"].isin(RCEP)]
    rows = []
    for code, g in wdi.groupby("indicator"):
        if indicators and code not in indicators:
            continue
        latest = int(g["year"].max())
        members = sorted(g.loc[g["year"] == latest, "iso3"])
        rows.append(
            {
                "indicator": code,
                "latest_year": latest,
                "members_with_value": len(members),
                "missing": ", ".join(sorted(set(RCEP) - set(members))),
            }
        )
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m helpers.data.curate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--raw", type=Path, help="folder of raw extracts (default ../shared/data/raw)")
    ap.add_argument("--check", action="store_true", help="only check that data/ matches what make data would write")
    ap.add_argument("--coverage", action="store_true", help="print the WDI coverage table and exit")
    args = ap.parse_args(argv)
    if args.coverage:
        print(coverage_table().to_string(index=False))
        return 0
    try:
        digests = curate(args.raw, check_only=args.check)
    except (DataValidationError, FileNotFoundError, ValueError) as exc:
        print(f"make data failed, data/ left unchanged:\n{exc}", file=sys.stderr)
        return 1
    print(f"data/: {len(digests)} files, manifest data/{MANIFEST} written" if not args.check else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
