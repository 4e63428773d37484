"""Every chapter, executed for parameter sets chosen to hit the edges, must produce a page whose text stays
true: no China where the page is about another economy, years inside the window, top and bottom of a
ranking that are two different things, no garbled fragments. The sets and the invariants are in
``param_matrix.py`` (each invariant's docstring states its rule).

Run time (2 workers, 96 executions): 12.8 min measured on the 2 shared cores at a load average of 12-18
(other builds running); the executions add up to 1,450 s of wall time. Developer shortcuts, not for CI:
``PARAM_MATRIX_DIR=<folder>`` keeps the executed notebooks there, and ``PARAM_MATRIX_REUSE=1`` re-checks
the notebooks found there without executing them again (stale if code or data changed since);
``PARAM_MATRIX_ONLY=<chapter>`` restricts the run to one chapter.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from helpers.book import params

from . import param_matrix as pm

COMBOS = [c for c in pm.combos() if os.environ.get("PARAM_MATRIX_ONLY", c.chapter) == c.chapter]


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, pm.Result]:
    folder = os.environ.get("PARAM_MATRIX_DIR")
    out = Path(folder) if folder else tmp_path_factory.mktemp("param_matrix")
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    results = pm.execute_all(COMBOS, out, workers=2, reuse=bool(os.environ.get("PARAM_MATRIX_REUSE")))
    summary = {
        "wall_s": round(time.perf_counter() - t0, 1),
        "combinations": len(results),
        "seconds": {k: round(r.seconds, 1) for k, r in sorted(results.items())},
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return results


def test_the_matrix_is_broad_enough():
    from helpers import registry

    everything = pm.combos()
    assert len(everything) >= 40
    missing = set(params.CHAPTERS) - {c.chapter for c in everything}
    assert not missing, f"chapters without parameter sets in param_matrix.combos(): {sorted(missing)}"
    for ch in registry.CHAPTERS:  # every member as the focus, sparse ones included
        if ch.focus:
            focus = {
                c.params.get(ch.focus, params.defaults(ch.name)[ch.focus]) for c in everything if c.chapter == ch.name
            }
            assert focus == set(pm.RCEP), f"{ch.name}: no parameter set with focus {sorted(set(pm.RCEP) - focus)}"
    for chapter in params.CHAPTERS:  # every option of every choice parameter
        for p in params.SPECS[chapter]:
            if p.kind in ("choice", "choice_list"):
                used = set()
                for c in everything:
                    if c.chapter == chapter:
                        v = c.params.get(p.name, p.default)
                        used |= set(v) if isinstance(v, list) else {v}
                canonical = {p.canonical(u) if p.canonical else u for u in used}
                assert canonical >= set(p.allowed()), (chapter, p.name, set(p.allowed()) - canonical)
    scenario = {c.params.get("scenario_country") for c in everything if c.chapter == "rcep_pathways"}
    assert set(pm.SPARSE) <= scenario


@pytest.mark.parametrize("combo", COMBOS, ids=[c.id for c in COMBOS])
def test_the_page_stays_true(executed, combo):
    r = executed[combo.id]
    head = f"{combo.chapter} with {combo.describe()}"
    assert r.error is None, f"{head}: execution failed: {r.error}"
    nb = json.loads(r.notebook.read_text(encoding="utf-8"))
    violations = pm.check(combo.chapter, params.validate(combo.chapter, combo.params), nb)
    assert not violations, f"{head}: {len(violations)} sentence(s) break an invariant:\n" + "\n".join(
        f"  {v}" for v in violations
    )
