"""The "Claims audit" appendix: every claim of the seeds with its verdict, counted and listed.

The verdicts come from :mod:`helpers.claims.core` (``check_many``), the same checker every chapter
uses inline, so the audit and the chapters cannot disagree. This module only filters, counts,
formats and links:

* :func:`results` — the checked claims, filtered by seed file and chapter (empty filter = all);
* :func:`counts` — a status x group table (seed or chapter), statuses in a fixed order, with totals;
* :func:`status_chart` — stacked bars of the counts by seed (colour plus labels and tooltips);
* :func:`audit_frame` / :func:`inconsistent_frame` — display tables with stated vs computed values,
  an HTML anchor per claim (``claim-s000-014``) and a link to the chapter that discusses it;
* :func:`summary` — the counts as sentences for the closing note.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

import altair as alt
import pandas as pd

from helpers.claims import all_checks as claim_checks  # noqa: F401  (claim_checks: every check module
from helpers import registry
from helpers.claims import core as claims
from helpers.data import paths
from helpers.book.charts import CONTEXT_COLOR
from helpers.text import CLAIM_STATUSES, badge, listing

CONSISTENT, INCONSISTENT, NOT_CHECKABLE = CLAIM_STATUSES
STATUS_COLORS = {CONSISTENT: "#009E73", INCONSISTENT: "#D55E00", NOT_CHECKABLE: CONTEXT_COLOR}

# Short labels of the five seed texts (their own titles, shortened); a file not listed shows its name.
SEED_LABELS = {
    "000_3d25ae1af6db2194.txt": "000 · the study (China's digital service trade export, RCEP)",
    "001_57abebf4787efbc5.txt": "001 · China eyes service export growth",
    "002_c698132d86144a3a.txt": "002 · Innovative development of digital trade",
    "003_7ed7f3c30ba74b4d.txt": "003 · Digital trade demonstration zone (interviews)",
    "004_31242355024206c3.txt": "004 · High-quality development of service trade (regions)",
}
ENUMERATION_NOTE = "enumeration count"
QUALIFIER_WORDS = {"exact": "exactly", "more_than": "more than", "less_than": "less than", "nearly": "nearly"}


def seed_label(seed_file: str) -> str:
    return SEED_LABELS.get(seed_file, seed_file)


def chapter_titles() -> dict[str, str]:
    """{chapter: page title}, read from the first ``# heading`` of each chapter notebook."""
    out: dict[str, str] = {}
    for nb_path in sorted(paths.chapters_dir().glob("*.ipynb")):
        title = nb_path.stem
        try:
            cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError):
            cells = []
        for cell in cells:
            if cell.get("cell_type") != "markdown":
                continue
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            heads = [ln[2:].strip() for ln in src.splitlines() if ln.startswith("# ")]
            if heads:
                title = heads[0]
                if "{glue" in title and nb_path.stem in registry.BY_NAME:  # "# {glue:text}`title`": the registry's
                    title = registry.title(nb_path.stem, "the focus economy")
                    title = title[:1].upper() + title[1:]
                break
        out[nb_path.stem] = title
    return out


def chapter_link(chapter: str, claim_id: str | None = None, titles: dict[str, str] | None = None) -> str:
    """``<a href="china_scale.html#claim-s000-062">China's scale</a>`` (pages share one folder)."""
    titles = titles if titles is not None else chapter_titles()
    title = titles.get(chapter, chapter)
    frag = f"#{claims.anchor_id(claim_id)}" if claim_id else ""
    return f'<a href="{html.escape(chapter)}.html{frag}">{html.escape(title)}</a>'


# --------------------------------------------------------------------------- results


def _check_filter(name: str, values: Sequence[str], allowed: Sequence[str]) -> list[str]:
    values = list(values or [])
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValueError(f"{name}: unknown value(s) {bad}; allowed: {', '.join(sorted(allowed))}")
    return values


def results(seeds: Sequence[str] = (), chapters: Sequence[str] = ()) -> pd.DataFrame:
    """Checked claims (one row each, register order), filtered by seed file and chapter."""
    reg = claims.register_table()
    seeds = _check_filter("seeds", seeds, sorted(set(reg["seed_file"])))
    chapters = _check_filter("chapters", chapters, sorted(set(reg["chapter"])))
    keep = pd.Series(True, index=reg.index)
    if seeds:
        keep &= reg["seed_file"].isin(seeds)
    if chapters:
        keep &= reg["chapter"].isin(chapters)
    res = claims.check_many(list(reg.index[keep]))
    # digits written in the stated figure that the result compares (the end of a from-to claim)
    ends = res["detail"].ne("") | (res["stated"] != reg.loc[res["claim_id"], "value"].to_numpy())
    res["stated_decimals"] = reg.loc[res["claim_id"], "stated_decimals"].to_numpy()
    res.loc[ends.to_numpy(), "stated_decimals"] = reg.loc[res["claim_id"], "stated_decimals_end"].to_numpy()[ends.to_numpy()]
    res["seed"] = res["seed_file"].map(seed_label)
    res["enumeration"] = res["note"].fillna("").str.contains(ENUMERATION_NOTE, regex=False)
    return res


def counts(res: pd.DataFrame, by: str) -> pd.DataFrame:
    """Claims per ``by`` (e.g. 'seed', 'chapter') and status, statuses in fixed order, with totals."""
    if by not in res.columns:
        raise ValueError(f"counts: no column {by!r}; columns: {', '.join(res.columns)}")
    unknown = set(res["status"]) - set(CLAIM_STATUSES)
    if unknown:
        raise ValueError(f"counts: unknown status(es) {sorted(unknown)}")
    if res.empty:
        tab = pd.DataFrame(columns=list(CLAIM_STATUSES), dtype=int)
    else:
        tab = pd.crosstab(res[by], res["status"]).reindex(columns=list(CLAIM_STATUSES), fill_value=0)
    tab = tab.reindex(sorted(tab.index))
    tab["all"] = tab.sum(axis=1)
    total = pd.DataFrame([tab.sum(axis=0)], index=["all"])
    out = pd.concat([tab, total]).astype(int)
    out.index.name = by
    out.columns.name = None
    return out.reset_index()


def counts_long(res: pd.DataFrame, by: str = "seed") -> pd.DataFrame:
    """Tidy counts for the chart: one row per group and status (zeros kept, so bars line up)."""
    tab = counts(res, by)
    tab = tab[tab[by] != "all"]
    long = tab.melt(id_vars=[by], value_vars=list(CLAIM_STATUSES), var_name="status", value_name="claims")
    long["order"] = long["status"].map({s: i for i, s in enumerate(CLAIM_STATUSES)})
    return long


def status_chart(long: pd.DataFrame, by: str = "seed", y_title: str = "Seed text") -> alt.LayerChart:
    """Horizontal stacked bars: claims per group, one colour per status, counts written on the bars."""
    domain = list(CLAIM_STATUSES)
    base = alt.Chart(long).encode(
        y=alt.Y(f"{by}:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("sum(claims):Q", title="Number of claims", stack="zero"),
        order=alt.Order("order:Q"),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("status:N", title="Verdict", scale=alt.Scale(domain=domain,
                                                                     range=[STATUS_COLORS[s] for s in domain]),
                        sort=domain),
        tooltip=[alt.Tooltip(f"{by}:N", title=y_title), alt.Tooltip("status:N", title="Verdict"),
                 alt.Tooltip("claims:Q", title="Claims")],
    )
    labels = base.transform_filter(alt.datum.claims > 0).mark_text(
        align="right", dx=-3, color="#ffffff", fontWeight=600).encode(
        x=alt.X("sum(claims):Q", stack="zero"), text=alt.Text("sum(claims):Q"))
    return alt.layer(bars, labels).properties(height=max(120, 34 * long[by].nunique()))


# --------------------------------------------------------------------------- display tables


def _decimals(res: pd.DataFrame) -> list[int]:
    """Digits written in the stated figure (the register's), per claim; 0 when unknown."""
    if "stated_decimals" in res.columns:
        return [int(d) if pd.notna(d) else 0 for d in res["stated_decimals"]]
    return [0] * len(res)


def _fmt_like(x, decimals: int) -> str:
    """A computed value with one digit more than the stated figure has (19.9025 vs 2.1 -> '19.90')."""
    if x is None or (isinstance(x, float) and pd.isna(x)):
        return "–"
    return f"{x:,.{decimals + 1}f}"


def _fmt(x) -> str:
    if x is None or (isinstance(x, float) and pd.isna(x)):
        return "–"
    return f"{x:,.6g}"


def how_text(res: pd.DataFrame) -> pd.Series:
    """Method, rule and (for from-to claims) both ends, as one sentence per claim."""
    how = res["method"] + " — rule: " + res["rule"]
    return how.where(res["detail"] == "", how + " — " + res["detail"])


def details_html(text: str, summary: str = "method and rule") -> str:
    """A folded cell: long explanations stay one click away and the table stays readable."""
    return (f'<details class="report-cell-details"><summary>{html.escape(summary)}</summary>'
            f"{html.escape(text)}</details>")


def nowrap(text_html: str) -> str:
    return f'<span style="white-space:nowrap">{text_html}</span>'


def _small(text: str) -> str:
    return f'<br><small class="report-cell-meta">{text}</small>'


def _what_is_stated(res: pd.DataFrame) -> pd.Series:
    """'more than · usd_bn · 2023' — how the figure is stated, its unit and its year."""
    qual = res["qualifier"].map(QUALIFIER_WORDS).fillna(res["qualifier"])
    return qual + " · " + res["unit"].astype(str) + " · " + res["year"].fillna("no year").astype(str)


def audit_frame(res: pd.DataFrame, titles: dict[str, str] | None = None) -> pd.DataFrame:
    """The full table: anchor per claim (with seed and section), quote, how it is stated, stated vs
    computed, verdict, how it was checked (folded), link to the chapter that discusses it."""
    titles = titles if titles is not None else chapter_titles()
    claim = [nowrap(f'<span id="{claims.anchor_id(c)}">{c}</span>')
             + _small(f"seed {html.escape(sf[:3])} · {html.escape(str(sec))}")
             for c, sf, sec in zip(res["claim_id"], res["seed_file"], res["section"])]
    return pd.DataFrame({
        "claim": claim,
        "the seed says": res["quote"],
        "stated as": _what_is_stated(res),
        "stated": res["stated"],
        "computed": res["computed"],
        "verdict": res["status"].map(badge),
        "how it was checked": how_text(res).map(details_html),
        "discussed in": [chapter_link(ch, c, titles) for ch, c in zip(res["chapter"], res["claim_id"])],
    })


def inconsistent_frame(res: pd.DataFrame, titles: dict[str, str] | None = None) -> pd.DataFrame:
    """Only the inconsistent claims: what, stated, computed, difference, how (folded), chapter.

    The relative difference is left out for figures in percent (a percentage of a percentage misleads).
    For a from-to claim, stated/computed are the end values and both ends are spelled out.
    """
    titles = titles if titles is not None else chapter_titles()
    bad = res[res["status"] == INCONSISTENT]
    what = []
    for (_, r), how in zip(bad.iterrows(), how_text(bad)):
        cell = html.escape(str(r["subject"])) + _small(html.escape(_what_is_stated(bad.loc[[_]]).iloc[0]))
        if r["detail"]:
            cell += _small("both ends: " + html.escape(r["detail"]))
        what.append(cell + details_html(how))
    diff = bad["computed"] - bad["stated"]
    rel = (100 * diff / bad["stated"].abs()).where(bad["unit"] != "percent")
    return pd.DataFrame({
        "claim": [nowrap(f'<a href="#{claims.anchor_id(c)}">{c}</a>') for c in bad["claim_id"]],
        "what is stated": what,
        "stated": bad["stated"],
        "computed": bad["computed"],
        "difference": diff,
        "relative difference (%)": rel,
        "discussed in": [chapter_link(ch, c, titles) for ch, c in zip(bad["chapter"], bad["claim_id"])],
    })


def chapter_counts_frame(res: pd.DataFrame, titles: dict[str, str] | None = None) -> pd.DataFrame:
    """Counts by chapter with the chapter title linked to its page."""
    titles = titles if titles is not None else chapter_titles()
    tab = counts(res, "chapter")
    tab.insert(0, "discussed in", [chapter_link(c, None, titles) if c != "all" else "all chapters"
                                   for c in tab["chapter"]])
    return tab.drop(columns="chapter")


# --------------------------------------------------------------------------- sentences


def _n(k: int, word: str = "claim") -> str:
    return f"{k} {word}" + ("" if k == 1 else "s")


def status_phrase(row: pd.Series) -> str:
    return (f"{row[CONSISTENT]} consistent, {row[INCONSISTENT]} inconsistent "
            f"and {row[NOT_CHECKABLE]} not checkable")


def summary(res: pd.DataFrame) -> dict[str, str]:
    """Glue texts for the prose: totals, per-seed sentences (markdown), the inconsistent ones (markdown)."""
    by_seed = counts(res, "seed").set_index("seed")
    tot = by_seed.loc["all"]
    per_seed = "No claim matches this selection of seeds and chapters." if res.empty else "\n".join(
        f"- **{html.escape(s, quote=False)}**: {_n(int(r['all']))} — {status_phrase(r)}."
        for s, r in by_seed.drop(index="all").iterrows())
    bad = res[res["status"] == INCONSISTENT]
    if bad.empty:
        bad_md = "No claim in this selection is inconsistent with the data it was checked against."
    else:
        bad_md = "\n".join(
            f"- <a href=\"#{claims.anchor_id(c)}\">{c}</a> — {html.escape(str(subj), quote=False)}"
            f"{' (' + str(y) + ')' if pd.notna(y) else ''}: stated {_fmt(s)}, computed {_fmt_like(v, d)} "
            f"({html.escape(str(m), quote=False)})."
            for c, subj, y, s, v, m, d in zip(bad["claim_id"], bad["subject"], bad["year"], bad["stated"],
                                              bad["computed"], bad["method"], _decimals(bad)))
    nc = res[res["status"] == NOT_CHECKABLE]
    enum = int(nc["enumeration"].sum()) if "enumeration" in nc else 0
    checkable = int(tot[CONSISTENT] + tot[INCONSISTENT])
    share_ok = 100 * tot[CONSISTENT] / checkable if checkable else float("nan")
    return {
        "n_claims": str(int(tot["all"])),
        "n_seeds": str(res["seed_file"].nunique()),
        "n_chapters": str(res["chapter"].nunique()),
        "n_consistent": str(int(tot[CONSISTENT])),
        "n_inconsistent": str(int(tot[INCONSISTENT])),
        "n_not_checkable": str(int(tot[NOT_CHECKABLE])),
        "n_checkable": str(checkable),
        "n_enumeration": str(enum),
        "share_consistent_of_checkable": "n/a" if checkable == 0 else f"{share_ok:.0f} %",
        "status_phrase": status_phrase(tot),
        "inconsistent_ids": listing(list(bad["claim_id"])),
        "per_seed_md": per_seed,
        "inconsistent_md": bad_md,
    }


def chapter_phrases(res: pd.DataFrame) -> dict[str, str]:
    """{chapter: "12 claims: 5 consistent, …"} for every chapter of the register (so the keys exist
    whatever the filters); a chapter outside the selection says so."""
    all_chapters = sorted(set(claims.register_table()["chapter"]))
    tab = counts(res, "chapter").set_index("chapter")
    out = {}
    for ch in all_chapters:
        if ch in tab.index:
            r = tab.loc[ch]
            out[ch] = f"{_n(int(r['all']))}: {status_phrase(r)}"
        else:
            out[ch] = "no claim in this selection"
    return out


def headline(res: pd.DataFrame) -> str:
    """Chart title stating the finding."""
    s = summary(res)
    if res.empty:
        return "No claim matches this selection of seeds and chapters"
    if int(s["n_checkable"]) == 0:
        return f"None of the {s['n_claims']} selected claims could be checked against the data"
    return (f"Of {s['n_claims']} claims, {s['n_consistent']} agree with the data and {s['n_inconsistent']} "
            f"do not; {s['n_not_checkable']} cannot be checked")


def alt_text(long: pd.DataFrame, by: str = "seed") -> str:
    parts = []
    for grp, sub in long.groupby(by, sort=False):
        d = dict(zip(sub["status"], sub["claims"]))
        parts.append(f"{grp}: {d.get(CONSISTENT, 0)} consistent, {d.get(INCONSISTENT, 0)} inconsistent, "
                     f"{d.get(NOT_CHECKABLE, 0)} not checkable")
    return "Stacked horizontal bars of the number of claims per seed text by verdict. " + "; ".join(parts) + "."


def reasons_frame(res: pd.DataFrame) -> pd.DataFrame:
    """Why claims are not checkable: one row per reason, with how many claims and which."""
    nc = res[res["status"] == NOT_CHECKABLE]
    if nc.empty:
        return pd.DataFrame(columns=["reason", "claims", "ids"])
    grouped = nc.groupby("method", sort=False)["claim_id"].agg(list)
    out = pd.DataFrame({
        "reason": grouped.index,
        "claims": grouped.map(len).to_numpy(),
        "ids": [", ".join(f'<a href="#{claims.anchor_id(c)}">{c}</a>' for c in ids) for ids in grouped],
    })
    return out.sort_values(["claims", "reason"], ascending=[False, True], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- the page


SOURCE = "data/claims.csv (the seeds' statements); verdicts by helpers.claims.core with the chapters' checks"


def glue_all(page, res: pd.DataFrame) -> dict[str, str]:
    """Glue the summary texts (``{glue:text}``) and the two markdown lists (``{glue:md}``)."""
    from helpers.text import num, pct

    s = summary(res)
    for key, value in s.items():
        if key.endswith("_md"):
            page.glue_md(key, value)
        else:
            page.glue(key, value)
    for chapter, phrase in chapter_phrases(res).items():
        page.glue(f"chapter_{chapter}", phrase)
    page.glue("nearly_floor", pct(100 * claims.NEARLY_FLOOR, 0))
    page.glue("tol_one_decimal", num(claims.tolerance(1), 2))
    page.glue("headline", headline(res))
    return s


def show_by_seed(page, res: pd.DataFrame) -> None:
    if res.empty:
        page.note("No claim matches this selection of seeds and chapters.", title="Nothing to count")
        return
    long = counts_long(res, "seed")
    page.figure(status_chart(long, "seed", "Seed text"), name="status-by-seed", title=headline(res),
                subtitle="Number of claims per seed text, by verdict", source=SOURCE, alt=alt_text(long),
                data=long.drop(columns="order"))
    page.table(counts(res, "seed"), name="counts-by-seed", caption="Claims by seed text and verdict",
               source=SOURCE)


def show_by_chapter(page, res: pd.DataFrame) -> None:
    if res.empty:
        return
    page.table(chapter_counts_frame(res), name="counts-by-chapter",
               caption="Claims by the chapter that discusses them, and verdict", source=SOURCE,
               html_columns=["discussed in"], csv=counts(res, "chapter"))


def show_inconsistent(page, res: pd.DataFrame) -> None:
    frame = inconsistent_frame(res)
    if frame.empty:
        page.note("No claim in this selection is inconsistent with the data it was checked against.",
                  title="No inconsistent claim")
        return
    bad = res[res["status"] == INCONSISTENT]
    page.table(frame, name="inconsistent", caption="Claims the data contradict: stated vs computed", source=SOURCE,
               html_columns=["claim", "what is stated", "discussed in"],
               formats={"stated": ",.6g", "computed": ",.6g", "difference": "+,.2f", "relative difference (%)": "+,.1f"},
               csv=bad[["claim_id", "subject", "year", "stated", "computed", "unit", "rule", "method", "source",
                        "chapter"]])


def show_reasons(page, res: pd.DataFrame) -> None:
    frame = reasons_frame(res)
    if frame.empty:
        page.note("Every claim in this selection could be checked.", title="Nothing left unchecked")
        return
    page.table(frame, name="not-checkable-reasons", caption="Why claims cannot be checked", source=SOURCE,
               html_columns=["ids"], sortable=True, collapsed=True,
               csv=frame.assign(ids=[", ".join(re_ids(x)) for x in frame["ids"]]))


def re_ids(html_ids: str) -> list[str]:
    import re

    return re.findall(r">(S\d{3}-\d{3})<", html_ids)


def show_all(page, res: pd.DataFrame) -> None:
    if res.empty:
        page.note("No claim matches this selection of seeds and chapters.", title="No claims")
        return
    page.table(audit_frame(res), name="all-claims", caption="Every claim of the seeds with its verdict",
               source=SOURCE, html_columns=["claim", "verdict", "how it was checked", "discussed in"],
               formats={"stated": ",.6g", "computed": ",.6g"}, sortable=True, filterable=True,
               csv=res[["claim_id", "seed_file", "section", "quote", "subject", "qualifier", "stated", "computed",
                        "unit", "year", "status", "rule", "method", "source", "detail", "chapter", "checked_by"]])
