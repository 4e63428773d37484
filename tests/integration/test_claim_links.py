"""In the built book, claim links resolve both ways: chapter -> audit row, audit row -> chapter.

Chapters link each claim they show to ``claims_audit.html#claim-<id>``; the audit links each claim to
``<chapter>.html#claim-<id>``, the place where the chapter shows its verdict. Both targets must exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

HTML = Path(__file__).resolve().parents[2] / "_build" / "html" / "chapters"
LINK = re.compile(r'href="([a-z_]+)\.html#(claim-s\d{3}-\d{3})"')
ID = re.compile(r'id="(claim-s\d{3}-\d{3})"')


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    if not (HTML / "claims_audit.html").exists():
        pytest.fail("_build/html is missing: build the book first (make book)")
    return {p.stem: p.read_text(encoding="utf-8") for p in HTML.glob("*.html")}


def test_every_claim_link_has_a_target(pages):
    ids = {name: set(ID.findall(text)) for name, text in pages.items()}
    broken = []
    for name, text in pages.items():
        for target, anchor in LINK.findall(text):
            if anchor not in ids.get(target, set()):
                broken.append(f"{name}.html -> {target}.html#{anchor}")
    assert not broken, "claim links without a target:\n" + "\n".join(sorted(set(broken)))


def test_the_audit_anchors_every_claim_once(pages):
    import pandas as pd

    reg = pd.read_csv(HTML.parents[2] / "data" / "claims.csv")
    anchors = ID.findall(pages["claims_audit"])
    # the default audit shows every claim once in its full table
    assert sorted(anchors) == sorted(f"claim-{c.lower()}" for c in reg["claim_id"])
