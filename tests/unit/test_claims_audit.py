"""The claims-audit appendix: filters, counts, tables, sentences, links and its cache key."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers.claims import audit
from helpers.build import pipeline as build
from helpers.claims import core as claims
from helpers.text import CLAIM_STATUSES

OK, BAD, NC = CLAIM_STATUSES


def fake_results(statuses: list[str], seeds: list[str] | None = None, chapters: list[str] | None = None) -> pd.DataFrame:
    n = len(statuses)
    seeds = seeds or ["000_x.txt"] * n
    chapters = chapters or ["china_scale"] * n
    ids = [f"S9{i // 100:02d}-{i % 1000:03d}" for i in range(n)]
    return pd.DataFrame({
        "claim_id": ids, "status": statuses,
        "stated": [10.0 + i for i in range(n)],
        "computed": [None if s == NC else 11.0 + i for i, s in enumerate(statuses)],
        "rule": ["r"] * n, "method": [f"why {s}" if s == NC else "m" for s in statuses], "source": ["s"] * n,
        "detail": [""] * n, "quote": [f"quote <b>{i}</b>" for i in range(n)], "subject": ["subj"] * n,
        "seed_file": seeds, "chapter": chapters, "unit": ["percent"] * n, "year": ["2020"] * n,
        "section": ["1"] * n, "kind": ["level"] * n, "qualifier": ["exact"] * n, "value_end": [float("nan")] * n,
        "note": ["enumeration count (x)" if i == 0 else float("nan") for i in range(n)],
        "checked_by": ["helpers.book.chapters.china_scale"] * n, "seed": [audit.seed_label(s) for s in seeds],
        "enumeration": [i == 0 for i in range(n)],
    })


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


def test_summary_counts_and_lists_the_inconsistent():
    res = fake_results([OK, BAD, NC, NC])
    s = audit.summary(res)
    assert (s["n_claims"], s["n_consistent"], s["n_inconsistent"], s["n_not_checkable"]) == ("4", "1", "1", "2")
    assert s["n_checkable"] == "2" and s["share_consistent_of_checkable"] == "50 %"
    assert s["n_enumeration"] == "0"  # the enumeration row (index 0) is consistent, not 'not checkable'
    assert s["inconsistent_ids"] == res.loc[1, "claim_id"]
    assert f'href="#claim-{res.loc[1, "claim_id"].lower()}"' in s["inconsistent_md"]
    assert "stated 11, computed 12.0" in s["inconsistent_md"]  # one digit more than the stated figure
    assert "1 consistent, 1 inconsistent and 2 not checkable" in s["per_seed_md"]


def test_summary_without_inconsistent_and_without_claims():
    s = audit.summary(fake_results([OK, NC]))
    assert "No claim" in s["inconsistent_md"] and s["inconsistent_ids"] == "none"
    assert audit.headline(fake_results([NC, NC])).startswith("None of the 2")
    empty = audit.summary(fake_results([]))  # a valid but empty selection (e.g. a seed x a chapter)
    assert (empty["n_claims"], empty["n_inconsistent"], empty["share_consistent_of_checkable"]) == ("0", "0", "n/a")
    assert audit.headline(fake_results([])).startswith("No claim matches")


def test_audit_frame_anchors_links_and_escapes():
    res = fake_results([OK, BAD], chapters=["china_scale", "global_trends"])
    res.loc[0, "method"] = "compared <with> & stuff"
    titles = {"china_scale": "China's <scale>", "global_trends": "Global trends"}
    frame = audit.audit_frame(res, titles)
    cid = res.loc[0, "claim_id"]
    assert f'id="claim-{cid.lower()}"' in frame.loc[0, "claim"]
    assert frame.loc[0, "discussed in"] == f'<a href="china_scale.html#claim-{cid.lower()}">China&#x27;s &lt;scale&gt;</a>'
    assert "&lt;with&gt; &amp; stuff" in frame.loc[0, "how it was checked"]
    assert "<details" in frame.loc[0, "how it was checked"]
    assert frame.loc[1, "verdict"].count(BAD) == 1


def test_inconsistent_frame_only_inconsistent_with_difference():
    res = fake_results([OK, BAD, NC, BAD])
    res.loc[3, "unit"] = "usd_bn"
    res.loc[3, "detail"] = "start: 1 → computed 2 (inconsistent); end: 13 → computed 14 (inconsistent)"
    frame = audit.inconsistent_frame(res, {})
    assert len(frame) == 2
    assert frame["difference"].tolist() == pytest.approx([1.0, 1.0])
    rel = frame["relative difference (%)"].tolist()
    assert pd.isna(rel[0]) and rel[1] == pytest.approx(100 / 13)  # no % of a % for figures in percent
    assert "both ends: start: 1" in frame["what is stated"].iloc[1]
    assert "both ends" not in frame["what is stated"].iloc[0]
    assert "exactly · percent · 2020" in frame["what is stated"].iloc[0]


def test_reasons_frame_groups_reasons():
    res = fake_results([NC, NC, OK, NC])
    res.loc[3, "method"] = res.loc[0, "method"]
    res.loc[1, "method"] = "another reason"
    frame = audit.reasons_frame(res)
    assert frame["claims"].tolist() == [2, 1]
    assert audit.re_ids(frame.loc[0, "ids"]) == [res.loc[0, "claim_id"], res.loc[3, "claim_id"]]
    assert audit.reasons_frame(fake_results([OK])).empty


def test_status_chart_has_fixed_colours_and_labels():
    long = audit.counts_long(fake_results([OK, BAD, NC]), "seed")
    spec = audit.status_chart(long).to_dict()
    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domain"] == list(CLAIM_STATUSES)
    assert colour["scale"]["range"] == [audit.STATUS_COLORS[s] for s in CLAIM_STATUSES]
    assert spec["layer"][1]["mark"]["type"] == "text"  # counts written on the bars, not colour alone
    assert "1 consistent, 1 inconsistent, 1 not checkable" in audit.alt_text(long)


def test_results_filters_are_validated_and_applied():
    with pytest.raises(ValueError, match="seeds: unknown value"):
        audit.results(seeds=["999_nope.txt"])
    with pytest.raises(ValueError, match="chapters: unknown value"):
        audit.results(chapters=["nowhere"])
    reg = claims.register_table()
    seed = sorted(set(reg["seed_file"]))[1]
    res = audit.results(seeds=[seed])
    assert set(res["seed_file"]) == {seed} and len(res) == int((reg["seed_file"] == seed).sum())
    chapter = sorted(set(reg["chapter"]))[0]
    both = audit.results(seeds=[seed], chapters=[chapter])
    assert len(both) == int(((reg["seed_file"] == seed) & (reg["chapter"] == chapter)).sum())


def test_chapter_titles_come_from_the_notebooks(tmp_path, monkeypatch):
    (tmp_path / "chapters").mkdir()
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["Intro line\n", "# The title\n"]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "chapters" / "alpha.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "chapters" / "beta.ipynb").write_text(json.dumps({**nb, "cells": []}), encoding="utf-8")
    monkeypatch.setenv("REPORT_ROOT", str(tmp_path))
    assert audit.chapter_titles() == {"alpha": "The title", "beta": "beta"}
    assert audit.chapter_link("alpha", "S000-001") == '<a href="alpha.html#claim-s000-001">The title</a>'


def test_the_audit_cache_key_follows_every_check_module():
    closure = build.helper_closure(["from helpers.claims import audit"])
    assert "helpers.claims.all_checks" in closure and "helpers.claims.core" in closure
    for mod in claims.CHAPTER_CHECK_MODULES.values():
        assert mod in closure
    assert set(claims.CHAPTER_CHECK_MODULES.values()) | {"helpers.claims.all_checks"} == set(claims.CHECK_MODULES)


def test_chapter_phrases_cover_every_chapter_whatever_the_filter():
    reg = claims.register_table()
    chapters = sorted(set(reg["chapter"]))
    res = fake_results([OK, BAD, NC], chapters=[chapters[0]] * 3)
    phrases = audit.chapter_phrases(res)
    assert sorted(phrases) == chapters
    assert phrases[chapters[0]] == "3 claims: 1 consistent, 1 inconsistent and 1 not checkable"
    assert all(phrases[c] == "no claim in this selection" for c in chapters[1:])
