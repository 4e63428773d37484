"""The "Claims audit" appendix: a short summary, then every claim in one filterable, sortable table.

The table keeps one row per claim with its anchor (``id="claim-s000-014"``, the target of the chapters'
links) and folds the long details (quote, how it was checked, rule, source) into the row. The filters
(verdict, chapter, seed, free text) are plain labelled form controls that a small script wires up; without
JavaScript they stay hidden and every row is visible. Computations are in :mod:`helpers.claims.audit`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd
from IPython.display import HTML, display

from helpers import registry, text
from helpers.book import charts
from helpers.claims import audit
from helpers.claims import core as claims

CONSISTENT, INCONSISTENT, NOT_CHECKABLE = text.CLAIM_STATUSES
STATUS_COLORS = {CONSISTENT: charts.PALETTE[2], INCONSISTENT: charts.PALETTE[3], NOT_CHECKABLE: charts.CONTEXT_COLOR}
SOURCE = "data/claims.csv (the seeds' statements); verdicts by the book's claims checker with each chapter's checks"
QUALIFIER_WORDS = {"exact": "exactly", "more_than": "more than", "less_than": "less than", "nearly": "nearly"}
UNIT_WORDS = {
    "percent": "%",
    "usd_100m": "US$ 100 million",
    "usd_bn": "US$ billion",
    "usd_trn": "US$ trillion",
    "cny_bn": "yuan billion",
    "cny_trn": "yuan trillion",
    "count": "count",
    "rank": "rank",
    "multiple": "times",
    "billion_people": "billion people",
    "eflops": "EFLOPS",
    "index": "index value",
}
TABLE = "all-claims"


@dataclass(frozen=True)
class Audit:
    res: pd.DataFrame  # one row per checked claim of the selection
    tally: audit.Tally
    titles: dict[str, str]  # chapter -> page title


def prepare(params_: dict) -> Audit:
    res = audit.results(params_["seeds"], params_["chapters"])
    return Audit(res, audit.tally(res), chapter_titles())


def chapter_titles() -> dict[str, str]:
    """{chapter: link text}: the page title, without the focus economy for chapters whose title follows it
    (an edition may focus them on another member; the audit's links must stay true in every edition)."""
    return {ch.name: registry.neutral_title(ch.name) for ch in registry.CHAPTERS}


def chapter_link(chapter: str, claim_id: str | None, titles: dict[str, str], short: bool = False) -> str:
    """``<a href="china_scale.html#claim-s000-062" data-chapter="china_scale">China's scale</a>``; ``short``:
    the title up to its colon ('RCEP pathways'), for narrow columns."""
    frag = f"#{claims.anchor_id(claim_id)}" if claim_id else ""
    title = titles.get(chapter, chapter)
    return (
        f'<a href="{html.escape(chapter)}.html{frag}" data-chapter="{html.escape(chapter)}">'
        f"{html.escape(title.split(':')[0] if short else title)}</a>"
    )


def stated_as(res: pd.DataFrame) -> pd.Series:
    """'more than · US$ billion · 2023': how the figure is stated, its unit and its year, in words."""
    qual = res["qualifier"].map(QUALIFIER_WORDS).fillna(res["qualifier"])
    unit = res["unit"].map(UNIT_WORDS).fillna(res["unit"].astype(str))
    return qual + " · " + unit + " · " + res["year"].fillna("no year").astype(str)


def n_claims(k: int) -> str:
    return f"{k} claim" + ("" if k == 1 else "s")


def status_phrase(consistent: int, inconsistent: int, not_checkable: int) -> str:
    return f"{consistent} consistent, {inconsistent} inconsistent and {not_checkable} not checkable"


# --------------------------------------------------------------------------- sentences


def headline(t: audit.Tally) -> str:
    if t.claims == 0:
        return "No claim matches this selection of seeds and chapters"
    if t.checkable == 0:
        return f"None of the {n_claims(t.claims)} selected could be checked against the data"
    return (
        f"Of {n_claims(t.claims)}, {t.consistent} agree{'s' if t.consistent == 1 else ''} with the data and "
        f"{t.inconsistent} "
        f"{'does' if t.inconsistent == 1 else 'do'} not; {t.not_checkable} cannot be checked"
    )


def chapter_phrases(res: pd.DataFrame) -> dict[str, str]:
    """{chapter: "12 claims: 5 consistent, …"} for every chapter of the register, whatever the filters."""
    tab = audit.counts(res, "chapter").set_index("chapter")
    out = {}
    for ch in sorted(set(claims.register_table()["chapter"])):
        r = tab.loc[ch] if ch in tab.index else None
        out[ch] = (
            "no claim in this selection"
            if r is None
            else f"{n_claims(int(r['all']))}: {status_phrase(r[CONSISTENT], r[INCONSISTENT], r[NOT_CHECKABLE])}"
        )
    return out


def findings(r: Audit) -> list[str | tuple[str, str]]:
    """3-5 bullets computed from the selection (one when it is empty)."""
    t = r.tally
    if t.claims == 0:
        return ["No claim matches this selection of seeds and chapters."]
    out: list[str | tuple[str, str]] = [(headline(t) + ".", "status-by-seed")]
    if t.checkable == 1:
        out.append(
            f"The one claim that could be checked {'agrees' if t.consistent else 'does not agree'} with the "
            "data at the precision the seed wrote it."
        )
    elif t.checkable:
        out.append(
            f"Of the {n_claims(t.checkable)} that could be checked, {text.pct(t.share_consistent, 0)} agree "
            "with the data at the precision the seed wrote them."
        )
    top = audit.most(r.res, INCONSISTENT, "seed")
    if top is None:
        out.append("No claim in this selection is inconsistent with the data it was checked against.")
    elif t.seeds > 1:
        out.append(
            f"{top[1]} of the {t.inconsistent} inconsistent claims come from {top[0]}, which makes "
            f"{n_claims(top[2])} in this selection."
        )
    chapter = audit.most(r.res, INCONSISTENT, "chapter")
    if chapter is not None and t.chapters > 1:
        out.append(
            (
                f"The chapter with the most inconsistent claims is {r.titles[chapter[0]]}: {chapter[1]} of its "
                f"{n_claims(chapter[2])}.",
                "tbl-counts-by-chapter",
            )
        )
    if t.not_checkable:
        out.append(
            f"{n_claims(t.not_checkable)} cannot be checked, "
            + ("for a stated reason" if t.not_checkable == 1 else "each for a stated reason")
            + (
                f"; {t.enumeration} of them count the parts of an argument rather than measure anything."
                if t.enumeration
                else "."
            )
        )
    return out


def scope(page, r: Audit) -> None:
    """Glue the counts the prose states, each chapter's phrase (for the introduction) and the headline."""
    t = r.tally
    for key, value in {
        "n_claims": t.claims,
        "n_seeds": t.seeds,
        "n_chapters": t.chapters,
        "n_consistent": t.consistent,
        "n_inconsistent": t.inconsistent,
        "n_not_checkable": t.not_checkable,
        "n_checkable": t.checkable,
        "n_enumeration": t.enumeration,
    }.items():
        page.glue(key, str(value))
    page.glue(
        "checkable_sentence",
        "None of them could be checked against the data."
        if not t.checkable
        else f"Of the {n_claims(t.checkable)} that could be checked, {text.pct(t.share_consistent, 0)} agree with "
        "the data.",
    )
    page.glue("status_phrase", status_phrase(t.consistent, t.inconsistent, t.not_checkable))
    for chapter, phrase in chapter_phrases(r.res).items():
        page.glue(f"chapter_{chapter}", phrase)
    page.glue("nearly_floor", text.pct(100 * claims.NEARLY_FLOOR, 0))
    page.glue("tol_one_decimal", text.num(claims.tolerance(1), 2))
    page.glue("headline", headline(t) + ".")  # a sentence, for the intro


def _nothing(page, kind: str, name: str, message: str) -> None:
    """A figure or table this selection has nothing for: a note, and its link key says so."""
    page.note(message, title="Nothing to show")
    page.glue_md(f"{kind}-{charts.slug(name)}", "nothing to show for this selection")


# --------------------------------------------------------------------------- summary: by seed, by chapter


def status_chart(long: pd.DataFrame, by: str = "seed", y_title: str = "Seed text") -> alt.LayerChart:
    """Horizontal stacked bars: claims per group, one colour per status, counts written on the bars."""
    domain = list(text.CLAIM_STATUSES)
    base = alt.Chart(long).encode(
        y=alt.Y(f"{by}:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("sum(claims):Q", title="Number of claims", stack="zero"),
        order=alt.Order("order:Q"),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "status:N",
            title="Verdict",
            sort=domain,
            scale=alt.Scale(domain=domain, range=[STATUS_COLORS[s] for s in domain]),
        ),
        tooltip=[
            alt.Tooltip(f"{by}:N", title=y_title),
            alt.Tooltip("status:N", title="Verdict"),
            alt.Tooltip("claims:Q", title="Claims"),
        ],
    )
    labels = (
        base.transform_filter(alt.datum.claims > 0)
        .mark_text(align="right", dx=-3, color="white", fontWeight=600)
        .encode(x=alt.X("sum(claims):Q", stack="zero"), text=alt.Text("sum(claims):Q"))
    )
    return alt.layer(bars, labels).properties(height=max(120, 34 * long[by].nunique()))


def alt_text(long: pd.DataFrame, by: str = "seed") -> str:
    parts = []
    for grp, sub in long.groupby(by, sort=False):
        d = dict(zip(sub["status"], sub["claims"]))
        parts.append(
            f"{grp}: {d.get(CONSISTENT, 0)} consistent, {d.get(INCONSISTENT, 0)} inconsistent, "
            f"{d.get(NOT_CHECKABLE, 0)} not checkable"
        )
    return "Stacked horizontal bars of the number of claims per seed text by verdict. " + "; ".join(parts) + "."


def by_seed(page, r: Audit, long: pd.DataFrame) -> None:
    """The stacked bars of ``long`` (:func:`helpers.claims.audit.counts_long` by seed)."""
    if r.res.empty:
        _nothing(page, "fig", "status-by-seed", "No claim matches this selection of seeds and chapters.")
        return
    long = long.assign(seed=long["seed"].str.capitalize())
    page.figure(
        status_chart(long),
        name="status-by-seed",
        title=headline(r.tally),
        source=SOURCE,
        subtitle="Number of claims per seed text, by verdict",
        alt=alt_text(long),
        data=long.drop(columns="order"),
    )


def by_chapter(page, r: Audit, tab: pd.DataFrame) -> None:
    """The counts ``tab`` (:func:`helpers.claims.audit.counts` by chapter), each chapter linked to its page."""
    if r.res.empty:
        _nothing(page, "tbl", "counts-by-chapter", "No claim matches this selection of seeds and chapters.")
        return
    shown = tab.assign(
        chapter=[chapter_link(c, None, r.titles) if c != "all" else "all chapters" for c in tab["chapter"]]
    ).rename(columns={"chapter": "discussed in"})
    page.table(
        shown,
        name="counts-by-chapter",
        source=SOURCE,
        html_columns=["discussed in"],
        caption="Claims by the chapter that discusses them, and verdict",
        csv=tab,
    )


# --------------------------------------------------------------------------- every claim: the filterable table


def _details(row: pd.Series, stated_text: str) -> str:
    esc = html.escape
    parts = [
        f"<blockquote>{esc(str(row['quote']))}</blockquote>",
        f"<p><strong>Where:</strong> {esc(audit.seed_name(row['seed_file']))}, {esc(str(row['section']))}</p>",
        f"<p><strong>Stated as:</strong> {esc(stated_text)}</p>",
        f"<p><strong>How:</strong> {esc(row['method'])}</p>",
    ]
    if row["rule"] not in ("—", ""):
        parts.append(f"<p><strong>Rule:</strong> {esc(row['rule'])}</p>")
    if row["detail"]:
        parts.append(f"<p><strong>Both ends:</strong> {esc(row['detail'])}</p>")
    if row["source"] not in ("—", ""):
        parts.append(f"<p><strong>Source:</strong> {esc(row['source'])}</p>")
    return '<details class="report-cell-details"><summary>quote, method, rule</summary>' + "".join(parts) + "</details>"


def claims_frame(res: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    """One row per claim: anchor (with seed and section), subject with the folded details, stated, computed,
    verdict, and the link to the place where the chapter shows it."""
    esc = html.escape
    how = stated_as(res)
    return pd.DataFrame(
        {
            "claim": [
                f'<span class="report-nowrap" id="{claims.anchor_id(c)}">{c}</span><br><small '
                f'class="report-cell-meta" data-seed="{esc(sf)}">{esc(audit.seed_name(sf))}</small>'
                for c, sf in zip(res["claim_id"], res["seed_file"])
            ],
            "what the seed states": [
                esc(str(row["subject"])) + _details(row, h) for (_, row), h in zip(res.iterrows(), how)
            ],
            "stated": res["stated"],
            "computed": res["computed"],
            "verdict": res["status"].map(text.badge),
            "discussed in": [chapter_link(ch, c, titles, short=True) for ch, c in zip(res["chapter"], res["claim_id"])],
        }
    )


def _options(name: str, label: str, values: Sequence[tuple[str, str, int]]) -> str:
    opts = "".join(f'<option value="{html.escape(v)}">{html.escape(t)} ({k})</option>' for v, t, k in values)
    return (
        f'<label for="claims-filter-{name}">{label}<select id="claims-filter-{name}" name="{name}">'
        f'<option value="">all</option>{opts}</select></label>'
    )


def filters_html(r: Audit) -> str:
    """The filter form (hidden until the script shows it) and the scroll cue."""
    res = r.res
    verdicts = [(s, s, int((res["status"] == s).sum())) for s in text.CLAIM_STATUSES if (res["status"] == s).any()]
    chapters = [
        (c, r.titles.get(c, c), int((res["chapter"] == c).sum())) for c in registry.NAMES if (res["chapter"] == c).any()
    ]
    seeds = [
        (f, audit.seed_name(f).capitalize(), int((res["seed_file"] == f).sum())) for f in sorted(set(res["seed_file"]))
    ]
    return (
        f"<style>{FILTER_CSS}</style>"
        '<form class="report-claims-filters" id="claims-filter" hidden role="search" '
        'aria-label="Filter the table of claims">'
        + _options("verdict", "Verdict", verdicts)
        + _options("chapter", "Chapter", chapters)
        + _options("seed", "Seed text", seeds)
        + '<label for="claims-filter-q">Words<input type="search" id="claims-filter-q" name="q" '
        'placeholder="a word of the quote, an id"></label><button type="reset">Show all</button>'
        f'<output id="claims-filter-status" aria-live="polite">{n_claims(len(res))}</output></form>'
        '<p class="report-scroll-cue" id="claims-scroll-cue" hidden>The table is wider than the screen: scroll it '
        "sideways to see every column.</p>"
    )


def all_claims(page, r: Audit) -> None:
    if r.res.empty:
        _nothing(page, "tbl", TABLE, "No claim matches this selection of seeds and chapters.")
        return
    display(HTML(filters_html(r)))
    page.table(
        claims_frame(r.res, r.titles),
        name=TABLE,
        caption="Every claim of the seeds with its verdict",
        source=SOURCE,
        html_columns=["claim", "what the seed states", "verdict", "discussed in"],
        formats={"stated": ",.6g", "computed": ",.6g"},
        sortable=True,
        csv=r.res[
            [
                "claim_id",
                "seed_file",
                "section",
                "quote",
                "subject",
                "qualifier",
                "stated",
                "computed",
                "unit",
                "year",
                "status",
                "tolerance",
                "rule",
                "method",
                "source",
                "detail",
                "chapter",
                "checked_by",
            ]
        ],
    )
    display(HTML(f"<script>{FILTER_JS}</script>"))


# The table's cell is tagged full-width (the theme widens it into the margin from 992 px); between 992 and
# 1200 px the theme shows no margin, so the widened table would overflow the page: it keeps the text width there.
FILTER_CSS = """
.report-claims-filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin:.6rem 0}
.report-claims-filters[hidden],.report-scroll-cue[hidden]{display:none}
.report-claims-filters label{display:flex;flex-direction:column;font-size:.85rem;font-weight:600;gap:.15rem;max-width:100%}
.report-claims-filters select,.report-claims-filters input,.report-claims-filters button{font:inherit;
font-weight:400;padding:.2rem .4rem;min-width:9rem;max-width:100%}
.report-claims-filters output{flex-basis:100%;font-size:.85rem}
.report-scroll-cue{font-size:.85rem;font-style:italic;margin:.2rem 0}
#fig-tbl-claims_audit-all-claims .report-table-wrap{background:
linear-gradient(to right,var(--pst-color-background,white) 30%,transparent) left/2.5rem 100% no-repeat local,
linear-gradient(to left,var(--pst-color-background,white) 30%,transparent) right/2.5rem 100% no-repeat local,
radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.25),transparent) left/.9rem 100% no-repeat scroll,
radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.25),transparent) right/.9rem 100% no-repeat scroll}
#fig-tbl-claims_audit-all-claims table{min-width:44rem}
#fig-tbl-claims_audit-all-claims td:nth-child(2){min-width:16rem}
.report-nowrap{white-space:nowrap}
@media (min-width:992px) and (max-width:1199.98px){div.cell.tag_full-width{width:100%;max-width:100%}}
details.report-cell-details>summary{cursor:pointer;font-size:.85rem}
details.report-cell-details blockquote{margin:.3rem 0;font-size:.9rem}
"""

# Wires the filter form to the table's rows (progressive enhancement: without it, the form stays hidden
# and every row is visible); shows the scroll cue when the table is wider than its frame.
FILTER_JS = """(function () {
  "use strict";
  function init() {
    var form = document.getElementById("claims-filter");
    var table = document.getElementById("tbl-claims_audit-all-claims");
    if (!form || !table) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var out = document.getElementById("claims-filter-status");
    function attr(row, sel, name) { var el = row.querySelector(sel); return el ? el.getAttribute(name) : ""; }
    function apply() {
      var v = form.elements.verdict.value, c = form.elements.chapter.value, s = form.elements.seed.value;
      var q = form.elements.q.value.trim().toLowerCase(), shown = 0;
      rows.forEach(function (r) {
        var badge = r.querySelector(".verdict");
        var ok = (!v || (badge && badge.textContent.trim() === v)) && (!c || attr(r, "[data-chapter]", "data-chapter") === c)
          && (!s || attr(r, "[data-seed]", "data-seed") === s) && (!q || r.textContent.toLowerCase().indexOf(q) !== -1);
        r.hidden = !ok;
        if (ok) { shown += 1; }
      });
      out.textContent = "Showing " + shown + " of " + rows.length + " claims";
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.hidden = false;
    apply();
    var wrap = table.parentNode, cue = document.getElementById("claims-scroll-cue");
    function cueCheck() { cue.hidden = wrap.scrollWidth <= wrap.clientWidth + 1; }
    if (window.ResizeObserver) {  // the widths settle late (fonts, the theme's layout): follow them
      var watch = new ResizeObserver(cueCheck);
      watch.observe(wrap);
      watch.observe(table);
    } else {
      window.addEventListener("resize", cueCheck);
    }
    cueCheck();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();"""


# --------------------------------------------------------------------------- the inconsistent ones, the reasons


def inconsistent(page, r: Audit) -> None:
    """Only the inconsistent claims: what, stated, computed, difference (relative, except for figures in %)."""
    bad = r.res[r.res["status"] == INCONSISTENT]
    if bad.empty:
        _nothing(
            page,
            "tbl",
            "inconsistent",
            "No claim in this selection is inconsistent with the data it was checked against.",
        )
        return
    diff = bad["computed"] - bad["stated"]
    frame = pd.DataFrame(
        {
            "claim": [f'<a class="report-nowrap" href="#{claims.anchor_id(c)}">{c}</a>' for c in bad["claim_id"]],
            "what is stated": [html.escape(f"{s} ({h})") for s, h in zip(bad["subject"], stated_as(bad))],
            "stated": bad["stated"],
            "computed": bad["computed"],
            "difference": diff,
            "relative difference (%)": (100 * diff / bad["stated"].abs()).where(bad["unit"] != "percent"),
            "discussed in": [chapter_link(ch, c, r.titles) for ch, c in zip(bad["chapter"], bad["claim_id"])],
        }
    )
    page.table(
        frame,
        name="inconsistent",
        caption="Claims the data contradict: stated vs computed",
        source=SOURCE,
        html_columns=["claim", "discussed in"],
        collapsed=True,
        sortable=True,
        formats={"stated": ",.6g", "computed": ",.6g", "difference": "+,.2f", "relative difference (%)": "+,.1f"},
        csv=bad[
            [
                "claim_id",
                "subject",
                "year",
                "stated",
                "computed",
                "unit",
                "tolerance",
                "rule",
                "method",
                "source",
                "chapter",
            ]
        ],
    )


def reasons(page, r: Audit) -> None:
    frame = audit.reasons(r.res)
    if frame.empty:
        _nothing(page, "tbl", "not-checkable-reasons", "Every claim in this selection could be checked.")
        return
    shown = frame.assign(
        ids=[", ".join(f'<a href="#{claims.anchor_id(c)}">{c}</a>' for c in ids) for ids in frame["ids"]]
    )
    page.table(
        shown,
        name="not-checkable-reasons",
        caption="Why claims cannot be checked",
        source=SOURCE,
        html_columns=["ids"],
        sortable=True,
        collapsed=True,
        csv=frame.assign(ids=frame["ids"].map(", ".join)),
    )
