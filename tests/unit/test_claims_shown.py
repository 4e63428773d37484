"""Every chapter shows the verdict of each of its claims inline, from the same checker as the audit.

Read from the outputs committed in ``chapters/<chapter>.ipynb`` (the default run): each claim whose
``chapter`` in ``data/claims.csv`` is that chapter must appear in a table put on the page by
``claims.show`` (its row carries the anchor ``id="claim-<id>"`` the audit links to), and the verdict
shown there must be the verdict ``claims.check`` gives now — one source of truth.
"""

from __future__ import annotations

import json
import re

import pytest

from helpers.claims import core as claims
from helpers.data import paths

ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
ANCHOR = re.compile(r'<a id="claim-(s\d{3}-\d{3})"')
VERDICT = re.compile(r'class="verdict verdict-\w+">([^<]+)<')


def shown_verdicts(chapter: str) -> dict[str, str]:
    """{claim id: verdict} of the claims a chapter's committed outputs anchor (first showing)."""
    nb = json.loads((paths.chapters_dir() / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            text = o.get("data", {}).get("text/html", "")
            text = "".join(text) if isinstance(text, list) else text
            for row in ROW.findall(text):
                a, v = ANCHOR.search(row), VERDICT.search(row)
                if a and v:
                    out.setdefault(a.group(1).upper(), v.group(1))
    return out


def test_shown_verdicts_parser_reads_what_show_writes():
    row = (
        '<tr><td><a id="claim-s000-014" href="claims_audit.html#claim-s000-014">S000-014</a></td>'
        '<td>q</td><td><span class="verdict verdict-bad">inconsistent</span></td></tr>'
    )
    assert ANCHOR.search(row).group(1) == "s000-014" and VERDICT.search(row).group(1) == "inconsistent"


CHAPTERS = sorted(set(claims.register_table()["chapter"]))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_chapter_shows_its_claims_with_the_checker_verdict(chapter):
    wanted = claims.claims_for(chapter)
    shown = shown_verdicts(chapter)
    missing = [c for c in wanted if c not in shown]
    assert not missing, f"{chapter}: claims not shown on the page with claims.show(): {missing}"
    differ = {c: (shown[c], claims.check(c).status) for c in wanted if shown[c] != claims.check(c).status}
    assert not differ, f"{chapter}: verdict on the page vs checker now (refresh the notebook?): {differ}"
