"""Changing a data value a claim depends on changes its verdict in the rebuilt audit.

A throw-away copy of the repository (``REPORT_ROOT``) gets one edit: the 2024 level of world goods
exports in Table 1 of the study (S000-038) is set, wherever ``data/`` holds it (the register
``claims.csv`` and the Table 1 series in ``seed_values.csv``), to the level that the stated 2024
growth rate implies (2023 level x (1 + stated growth), rounded). The manifest lines are rewritten
as ``make data`` would. The audit chapter is then executed by the build in the copy: the
verdict of the growth-rate claim (S000-039), inconsistent with the printed level, must change, and
the original repository must be untouched.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LEVEL, GROWTH, PREV = "S000-038", "S000-039", "S000-032"
COPY = ("data", "chapters", "src", "_static", "_config.yml", "_toc.yml", "requirements.txt")


def _verdicts(executed: Path) -> dict[str, str]:
    """{claim id: verdict} read from the audit's full table in an executed notebook."""
    nb = json.loads(executed.read_text(encoding="utf-8"))
    html = "".join("".join(o.get("data", {}).get("text/html", "")) for c in nb["cells"] for o in c.get("outputs", []))
    table = html[html.index('id="tbl-claims_audit-all-claims"') :]
    table = table[: table.index("</table>")]
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cid = re.search(r'id="claim-(s\d{3}-\d{3})"', row)
        verdict = re.search(r'class="verdict verdict-\w+">([^<]+)<', row)
        if cid and verdict:
            out[cid.group(1).upper()] = verdict.group(1)
    return out


def _run_audit(root: Path) -> Path:
    env = {**os.environ, "REPORT_ROOT": str(root)}
    proc = subprocess.run(
        [sys.executable, "-m", "helpers.build", "run", "claims_audit"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    return root / "_build" / "executed" / "claims_audit.ipynb"


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    base = tmp_path_factory.mktemp("verdict")
    roots = {}
    for name in ("before", "after"):
        root = base / name
        root.mkdir()
        for item in COPY:
            src = REPO / item
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / item)
        roots[name] = root
    return roots


def _rewrite(path: Path, key: str, match, new_value: str) -> str:
    """Set ``value`` of the rows where ``match(row)``; return the old value. Keeps the CSV's form."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    old = None
    for r in rows:
        if match(r):
            old, r[key] = r[key], new_value
    assert old is not None, f"no row to edit in {path.name}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return old


def _edit_level(root: Path) -> tuple[float, float]:
    """Set the 2024 goods level to what the stated growth implies, where the data hold it: the
    register (claims.csv) and the Table 1 series (seed_values.csv); re-sign both in the manifest."""
    from helpers.data.datastore import sha256_file

    data = root / "data"
    by_id = {r["claim_id"]: r for r in csv.DictReader(io.StringIO((data / "claims.csv").read_text(encoding="utf-8")))}
    prev, growth = float(by_id[PREV]["value"]), float(by_id[GROWTH]["value"])
    new = str(round(prev * (1 + growth / 100)))
    old = _rewrite(data / "claims.csv", "value", lambda r: r["claim_id"] == LEVEL, new)
    old_sv = _rewrite(data / "seed_values.csv", "value", lambda r: r["claim_id"] == LEVEL, new)
    assert old == old_sv
    manifest = data / "SHA256SUMS"
    signed = {name: sha256_file(data / name) for name in ("claims.csv", "seed_values.csv")}
    lines = []
    for ln in manifest.read_text(encoding="utf-8").splitlines():
        name = ln.split(None, 1)[1].strip() if ln.strip() else ""
        lines.append(f"{signed[name]}  {name}" if name in signed else ln)
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return float(old), float(new)


def test_a_changed_level_changes_the_verdict_of_its_growth_rate(copies):
    original = {f: (REPO / "data" / f).read_bytes() for f in ("claims.csv", "seed_values.csv", "SHA256SUMS")}
    before = _verdicts(_run_audit(copies["before"]))
    old, new = _edit_level(copies["after"])
    assert new != old
    after = _verdicts(_run_audit(copies["after"]))
    assert set(before) == set(after) and len(before) > 100  # every claim is listed in both runs
    assert before[GROWTH] == "inconsistent"
    assert after[GROWTH] == "consistent", f"{GROWTH}: {before[GROWTH]} -> {after[GROWTH]} after {old} -> {new}"
    changed = {c for c in before if before[c] != after[c]}
    assert GROWTH in changed
    assert {f: (REPO / "data" / f).read_bytes() for f in original} == original  # the real data are untouched
