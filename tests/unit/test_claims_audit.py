"""The claims-audit appendix: counts and tallies (claims.audit), the page's sentences, the filterable table and
its links (book.chapters.claims_audit), and its cache key."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from helpers import registry
from helpers.book.chapters import claims_audit as show
from helpers.build import pipeline as build
from helpers.claims import audit
from helpers.claims import core as claims
from helpers.text import CLAIM_STATUSES
from tests.fakes import FakePage

OK, BAD, NC = CLAIM_STATUSES


def fake_results(
    statuses: list[str], seeds: list[str] | None = None, chapters: list[str] | None = None
) -> pd.DataFrame:
    n = len(statuses)
    seeds = seeds or ["000_3d25ae1af6db2194.txt"] * n
    chapters = chapters or ["china_scale"] * n
    ids = [f"S9{i // 100:02d}-{i % 1000:03d}" for i in range(n)]
    return pd.DataFrame(
        {
            "claim_id": ids,
            "status": statuses,
            "stated": [10.0 + i for i in range(n)],
            "computed": [None if s == NC else 11.0 + i for i, s in enumerate(statuses)],
            "rule": ["—" if s == NC else "r" for s in statuses],
            "method": [f"why {s}" if s == NC else "m" for s in statuses],
            "source": ["—" if s == NC else "s" for s in statuses],
            "detail": [""] * n,
            "tolerance": [None if s == NC else 0.5 for s in statuses],
            "quote": [f"quote <b>{i}</b>" for i in range(n)],
            "subject": ["subj"] * n,
            "seed_file": seeds,
            "chapter": chapters,
            "unit": ["percent"] * n,
            "year": ["2020"] * n,
            "section": ["1"] * n,
            "kind": ["level"] * n,
            "qualifier": ["exact"] * n,
            "value_end": [float("nan")] * n,
            "note": ["enumeration count (x)" if i == 0 else float("nan") for i in range(n)],
            "checked_by": ["helpers.claims.checks.china_scale"] * n,
            "seed": [audit.seed_name(s) for s in seeds],
            "enumeration": [i == 0 for i in range(n)],
            "stated_decimals": [0] * n,
        }
    )


def fake_audit(res: pd.DataFrame) -> show.Audit:
    return show.Audit(res, audit.tally(res), show.chapter_titles())


# --------------------------------------------------------------------------- counts and tallies (claims.audit)


def test_counts_fixed_status_order_zeros_and_totals():
    res = fake_results([OK, OK, BAD, NC], seeds=["a.txt", "b.txt", "a.txt", "a.txt"])
    tab = audit.counts(res, "seed_file")
    assert list(tab.columns) == ["seed_file", OK, BAD, NC, "all"]
    a = tab.set_index("seed_file").loc["a.txt"]
    assert (a[OK], a[BAD], a[NC], a["all"]) == (1, 1, 1, 3)
    b = tab.set_index("seed_file").loc["b.txt"]
    assert (b[BAD], b[NC]) == (0, 0)  # statuses absent from a group are zeros, not gaps
    total = tab.set_index("seed_file").loc["all"]
    assert (total[OK], total[BAD], total[NC], total["all"]) == (2, 1, 1, 4)


def test_counts_rejects_unknown_columns_and_statuses():
    res = fake_results([OK])
    with pytest.raises(ValueError, match="no column"):
        audit.counts(res, "colour")
    res.loc[0, "status"] = "probably"
    with pytest.raises(ValueError, match="unknown status"):
        audit.counts(res, "seed")


def test_counts_long_keeps_zero_rows_for_the_chart():
    long = audit.counts_long(fake_results([OK, OK]), "seed")
    assert len(long) == 3 and set(long["status"]) == set(CLAIM_STATUSES)
    assert long.set_index("status").loc[BAD, "claims"] == 0


def test_tally_counts_the_checkable_and_the_enumerations():
    t = audit.tally(fake_results([OK, BAD, NC, NC]))
    assert (t.claims, t.consistent, t.inconsistent, t.not_checkable, t.checkable) == (4, 1, 1, 2, 2)
    assert t.share_consistent == pytest.approx(50.0)
    assert t.enumeration == 0  # the enumeration row (index 0) is consistent, not 'not checkable'
    assert audit.tally(fake_results([NC, OK])).enumeration == 1
    empty = audit.tally(fake_results([]))
    assert empty.claims == 0 and pd.isna(empty.share_consistent)


def test_most_names_the_group_with_the_most_claims_of_a_status():
    res = fake_results([BAD, BAD, BAD, OK], chapters=["structure", "china_scale", "structure", "structure"])
    assert audit.most(res, BAD, "chapter") == ("structure", 2, 3)
    assert audit.most(res, NC, "chapter") is None


def test_reasons_groups_reasons_most_frequent_first():
    res = fake_results([NC, NC, OK, NC])
    res.loc[3, "method"] = res.loc[0, "method"]
    res.loc[1, "method"] = "another reason"
    frame = audit.reasons(res)
    assert frame["claims"].tolist() == [2, 1]
    assert frame.loc[0, "ids"] == [res.loc[0, "claim_id"], res.loc[3, "claim_id"]]
    assert audit.reasons(fake_results([OK])).empty


def test_results_filters_are_applied():
    reg = claims.register_table()
    seed = sorted(set(reg["seed_file"]))[1]
    res = audit.results(seeds=[seed])
    assert set(res["seed_file"]) == {seed} and len(res) == int((reg["seed_file"] == seed).sum())
    chapter = sorted(set(reg["chapter"]))[0]
    both = audit.results(seeds=[seed], chapters=[chapter])
    assert len(both) == int(((reg["seed_file"] == seed) & (reg["chapter"] == chapter)).sum())
    assert (res["seed"] == audit.seed_name(seed)).all() and not res["seed"].str.contains(r"\d{3}").any()


def test_every_seed_has_a_short_name():
    assert set(claims.register_table()["seed_file"]) <= set(audit.SEEDS)
    assert audit.seed_name("000_3d25ae1af6db2194.txt") == "the study"


def test_the_audit_cache_key_follows_every_check_module():
    closure = build.helper_closure(["from helpers.book.chapters import claims_audit"])
    assert "helpers.claims.all_checks" in closure and "helpers.claims.core" in closure
    for mod in claims.CHAPTER_CHECK_MODULES.values():
        assert mod in closure
    assert set(claims.CHAPTER_CHECK_MODULES.values()) | {"helpers.claims.all_checks"} == set(claims.CHECK_MODULES)


# --------------------------------------------------------------------------- the page (book.chapters.claims_audit)


def test_headline_and_findings_follow_the_counts():
    t = audit.tally(fake_results([OK, BAD, NC, NC]))
    assert show.headline(t) == "Of 4 claims, 1 agrees with the data and 1 does not; 2 cannot be checked"
    assert show.headline(audit.tally(fake_results([NC, NC]))).startswith("None of the 2 claims")
    assert show.headline(audit.tally(fake_results([]))).startswith("No claim matches")
    res = fake_results([BAD, BAD, OK, NC], chapters=["structure", "structure", "china_scale", "structure"])
    found = show.findings(fake_audit(res))
    assert 3 <= len(found) <= 5 and found[0] == (show.headline(audit.tally(res)) + ".", "status-by-seed")
    texts = [f if isinstance(f, str) else f[0] for f in found]
    assert "Of the 3 claims that could be checked, 33 % agree" in texts[1]
    assert (
        "The chapter with the most inconsistent claims is Structure of services trade: 2 of its 3 claims.",
        "tbl-counts-by-chapter",
    ) in found
    assert texts[-1] == "1 claim cannot be checked, for a stated reason."
    assert show.findings(fake_audit(fake_results([]))) == ["No claim matches this selection of seeds and chapters."]


def test_chapter_titles_come_from_the_registry_and_hold_in_every_edition():
    titles = show.chapter_titles()
    assert titles["china_scale"] == "Scale" and titles["global_trends"] == "Global trends"
    assert titles["structure"] == "Structure of services trade"
    assert not any("China" in titles[c.name] or "{" in titles[c.name] for c in registry.CHAPTERS if c.focus)
    assert set(titles) == set(registry.NAMES)


def test_claims_frame_anchors_links_folds_and_escapes():
    res = fake_results([OK, NC], chapters=["china_scale", "global_trends"])
    res.loc[0, "method"] = "compared <with> & stuff"
    frame = show.claims_frame(res, {"china_scale": "China's <scale>", "global_trends": "Global trends"})
    cid = res.loc[0, "claim_id"]
    assert (
        f'id="claim-{cid.lower()}"' in frame.loc[0, "claim"]
        and 'data-seed="000_3d25ae1af6db2194.txt"' in frame.loc[0, "claim"]
        and ">the study<" in frame.loc[0, "claim"]
    )
    assert frame.loc[0, "discussed in"] == (
        f'<a href="china_scale.html#claim-{cid.lower()}" data-chapter="china_scale">China&#x27;s &lt;scale&gt;</a>'
    )
    what = frame.loc[0, "what the seed states"]
    assert "<details" in what and "quote &lt;b&gt;0&lt;/b&gt;" in what and "&lt;with&gt; &amp; stuff" in what
    assert "exactly · % · 2020" in what
    assert "Rule:" not in frame.loc[1, "what the seed states"] and "—" not in frame.loc[1, "what the seed states"]
    assert frame.loc[1, "verdict"].count(NC) == 1


def test_every_row_carries_what_the_filters_read():
    r = fake_audit(
        fake_results(
            [OK, BAD, NC], seeds=["000_3d25ae1af6db2194.txt", "001_57abebf4787efbc5.txt", "000_3d25ae1af6db2194.txt"]
        )
    )
    frame = show.claims_frame(r.res, r.titles)
    for _, row in frame.iterrows():
        cells = "".join(str(v) for v in row)
        assert 'data-seed="' in cells and 'data-chapter="' in cells and 'class="verdict ' in cells
    form = show.filters_html(r)
    assert re.search(r'<form [^>]*id="claims-filter" hidden', form)  # shown by the script only
    for name in ("verdict", "chapter", "seed", "q"):
        assert f'<label for="claims-filter-{name}">' in form and f'id="claims-filter-{name}"' in form
    assert '<option value="inconsistent">inconsistent (1)</option>' in form
    assert '<option value="001_57abebf4787efbc5.txt">The first policy article (1)</option>' in form
    assert 'aria-live="polite"' in form


def test_the_page_shows_everything_for_the_default_selection():
    r = show.prepare({"seeds": [], "chapters": []})
    page = FakePage()
    show.scope(page, r)
    show.by_seed(page, r, audit.counts_long(r.res, "seed"))
    show.by_chapter(page, r, audit.counts(r.res, "chapter"))
    with pytest.MonkeyPatch.context() as mp:
        shown = []
        mp.setattr(show, "display", lambda obj: shown.append(obj.data))
        show.all_claims(page, r)
    show.inconsistent(page, r)
    show.reasons(page, r)
    shown_table = page.tables["all-claims"]
    assert len(shown_table["df"]) == r.tally.claims == len(claims.register_table())
    assert shown_table["sortable"] and "tolerance" in shown_table["csv"].columns
    assert "<script>" in shown[-1] and 'id="claims-filter"' in shown[0]
    assert page.tables["inconsistent"]["collapsed"] and page.tables["not-checkable-reasons"]["collapsed"]
    assert page.glued["n_claims"] == str(r.tally.claims) and page.glued["headline"] == show.headline(r.tally) + "."
    assert {f"chapter_{c}" for c in set(claims.register_table()["chapter"])} <= set(page.glued)


def test_an_empty_selection_says_so_everywhere():
    reg = claims.register_table()
    pairs = {(s, c) for s in set(reg["seed_file"]) for c in set(reg["chapter"])} - set(
        zip(reg["seed_file"], reg["chapter"])
    )
    seed, chapter = sorted(pairs)[0]
    r = show.prepare({"seeds": [seed], "chapters": [chapter]})
    page = FakePage()
    show.scope(page, r)
    show.by_seed(page, r, audit.counts_long(r.res, "seed"))
    show.by_chapter(page, r, audit.counts(r.res, "chapter"))
    show.all_claims(page, r)
    show.inconsistent(page, r)
    show.reasons(page, r)
    for key in (
        "fig-status-by-seed",
        "tbl-counts-by-chapter",
        "tbl-all-claims",
        "tbl-inconsistent",
        "tbl-not-checkable-reasons",
    ):
        assert page.glued[key] == "nothing to show for this selection"
    assert (
        page.glued["checkable_sentence"] == "None of them could be checked against the data." and len(page.notes) == 5
    )


def test_status_chart_has_fixed_colours_and_labels():
    long = audit.counts_long(fake_results([OK, BAD, NC]), "seed")
    spec = show.status_chart(long).to_dict()
    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domain"] == list(CLAIM_STATUSES)
    assert colour["scale"]["range"] == [show.STATUS_COLORS[s] for s in CLAIM_STATUSES]
    assert spec["layer"][1]["mark"]["type"] == "text"  # counts written on the bars, not colour alone
    assert "1 consistent, 1 inconsistent, 1 not checkable" in show.alt_text(long)


def test_chapter_phrases_cover_every_chapter_whatever_the_filter():
    reg = claims.register_table()
    chapters = sorted(set(reg["chapter"]))
    res = fake_results([OK, BAD, NC], chapters=[chapters[0]] * 3)
    phrases = show.chapter_phrases(res)
    assert sorted(phrases) == chapters
    assert phrases[chapters[0]] == "3 claims: 1 consistent, 1 inconsistent and 1 not checkable"
    assert all(phrases[c] == "no claim in this selection" for c in chapters[1:])
