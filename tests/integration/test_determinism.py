"""Two cold builds of the same inputs produce the same book.

Two throw-away copies of the repository, without ``.cache`` and ``_build`` (cold: every chapter runs,
the vega bundle is generated, every static SVG drawn), are built at the same time (one worker each, so
the two builds together use two cores, as CI has), the second one started under another time zone
(``TZ=Pacific/Kiritimati``, UTC+14, and another locale). Their ``_build/html`` trees and executed
notebooks must be identical once :mod:`helpers.build.normalise` has removed what legitimately varies
between runs (run metadata papermill writes into the published notebooks, timestamps, asset hashes).
Every other byte must match: chart specs, tables, CSV and SVG assets, the search index, the data copies.
"""

from __future__ import annotations

import re

import pytest

from helpers.book.params import CHAPTERS
from helpers.build import normalise

from .repo_copy import copy_repo, kill_all, start_build, tree_bytes

pytestmark = pytest.mark.slow
OTHER_PLACE = {"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}


@pytest.fixture(scope="module")
def cold_builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("determinism")
    roots = [copy_repo(base / name, book=False, cache=False) for name in ("a", "b")]
    procs = [
        start_build(root, "book", "--jobs", "1", log=base / f"{root.name}.log", env=env)
        for root, env in zip(roots, ({}, OTHER_PLACE))
    ]
    try:
        codes = [p.wait(timeout=3600) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        for root in roots:
            kill_all(root)
    logs = [(base / f"{root.name}.log").read_text(encoding="utf-8") for root in roots]
    for code, log in zip(codes, logs):
        assert code == 0, log[-4000:]
    return roots, logs


def test_both_builds_were_cold(cold_builds):
    roots, logs = cold_builds
    for log in logs:
        m = re.search(r"executing (\d+) chapter\(s\)", log)
        assert m and int(m.group(1)) == len(CHAPTERS), log[-2000:]


def test_two_cold_builds_give_the_same_html(cold_builds):
    (a, b), _ = cold_builds
    html_a, html_b = a / "_build" / "html", b / "_build" / "html"
    assert (html_a / "index.html").exists()
    diffs = normalise.compare_trees(html_a, html_b)
    assert diffs == [], "\n".join(diffs[:20])


def test_pages_need_no_normalisation(cold_builds):
    """The HTML pages themselves are byte-identical; only the published notebooks carry run metadata."""
    (a, b), _ = cold_builds
    ta, tb = tree_bytes(a / "_build" / "html"), tree_bytes(b / "_build" / "html")
    differing = sorted(k for k in ta if k in tb and ta[k] != tb[k])
    assert set(ta) == set(tb)
    assert [k for k in differing if not k.endswith(".ipynb")] == [], differing


def test_executed_notebooks_are_the_same(cold_builds):
    (a, b), _ = cold_builds
    diffs = normalise.compare_trees(a / "_build" / "executed", b / "_build" / "executed")
    assert diffs == [], "\n".join(diffs[:20])
