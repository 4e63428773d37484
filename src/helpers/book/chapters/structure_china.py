"""Sections of the structure chapter about China whatever the focus: the seeds' claims and WTO's sub-sectors."""

from __future__ import annotations

import pandas as pd

from helpers import text
from helpers.analysis import structure as an
from helpers.book.chapters import structure_charts as figs
from helpers.book.chapters.structure_labels import (
    CHN,
    UNCTAD_SRC,
    WDI_SRC,
    WTO_SRC,
    net_words,
    no_figure,
    period,
    year_list,
)
from helpers.claims import core as claims
from helpers.claims.checks import structure as checks

KNOWLEDGE_CLAIMS = checks.CLAIM_GROUPS["knowledge"]


# --------------------------------------------------------------------------- China: the seeds' claims


def claims_traditional(page) -> None:
    """The study's and the first policy article's figures on China's deficit and traditional services."""
    r = {cid: claims.check(cid) for cid in checks.CLAIM_GROUPS["traditional"]}
    y = checks.claim_year(claims.claim("S000-068"))
    v = {cid: text.num(res.computed, 1) if res.computed is not None else "no value" for cid, res in r.items()}
    over = r["S000-069"].computed is not None and r["S000-069"].computed > 100
    holds = {
        claims.CONSISTENT: "holds",
        claims.INCONSISTENT: "does not hold",
        claims.NOT_CHECKABLE_STATUS: "cannot be checked",
    }
    page.glue_md(
        "deficit_md",
        (
            f"The study puts China's {y} services deficit at US$ {text.num(r['S000-068'].stated, 1)} billion and says travel "
            f"and transport made up more than {text.num(r['S000-069'].stated, 0)} % of it. The balance-of-payments data "
            f"give a deficit of US$ {v['S000-068']} billion (**{r['S000-068'].status}**), and the net debit of travel and "
            f"transport equals {text.num(r['S000-069'].computed, 0)} % of that deficit (**{r['S000-069'].status}**)"
            + (": more than all of it, because the other categories together were in surplus." if over else ".")
            + f" Transport and travel were {v['S000-071']} % of China's commercial service imports in {y} "
            f"(**{r['S000-071'].status}**) and never less than {v['S000-072']} % in any year of the data, so the study's "
            f"'more than half for a long time' {holds[r['S000-072'].status]}. Travel imports grew {v['S000-073']} % in {y} "
            f"by the data against the study's {text.num(r['S000-073'].stated, 1)} % (**{r['S000-073'].status}**); its "
            "maintenance-and-repair growth has no series to check."
        ),
    )
    claims.show(
        page,
        checks.CLAIM_GROUPS["traditional"],
        name="claims-traditional",
        caption="China: claims on the deficit and traditional services, with their verdicts",
    )


def china_sectors(page, r, d: pd.DataFrame) -> None:
    """China's digitally delivered balance by WTO sub-sector in the window (WTO splits China only)."""
    if d.empty:
        cov = (int(r.wto_2026["year"].min()), int(r.wto_2026["year"].max()))
        page.glue_md("sector_md", f"WTO's sub-sector file covers {cov[0]}–{cov[1]}, outside this window.")
        no_figure(page, "china-dds-sectors", "The WTO sub-sector file has no years in this window.")
        return
    final = d[d["status"] == "final"]
    ly = int((final if not final.empty else d)["year"].max())
    last = d[d["year"] == ly]
    total = last["balance"].sum() * 1e6
    pos, neg = last.loc[last["balance"].idxmax()], last.loc[last["balance"].idxmin()]
    first = d[d["year"] == int(d["year"].min())]["balance"].sum() * 1e6
    kind = "surplus" if total > 0 else "deficit"
    y0 = int(d["year"].min())
    move = (
        f"China's balance was a {kind} of {text.usd_bn(abs(total) / 1e9)} in {ly}"
        if y0 == ly
        else f"China's balance moved from a {'surplus' if first >= 0 else 'deficit'} of {text.usd_bn(abs(first) / 1e9)} "
        f"in {y0} to a {kind} of {text.usd_bn(abs(total) / 1e9)} in {ly}"
    )
    pre = d[d["status"] == "preliminary"]
    md = (
        f"By WTO's estimate of digitally delivered services (split by sub-sector for China only), {move}. The largest net credit was in “{pos['sector']}” "
        f"({net_words(pos['balance'] * 1e6)}), the largest net debit in “{neg['sector']}” ({net_words(neg['balance'] * 1e6)})."
        + (f" The {int(pre['year'].max())} values are preliminary (lighter bars)." if not pre.empty else "")
    )
    page.glue_md("sector_md", md)
    brk = an.series_breaks(r.wto_2026, CHN)
    page.figure(
        figs.sectors(d),
        name="china-dds-sectors",
        title=f"China's digitally delivered services ran a {kind} of {text.usd_bn(abs(total) / 1e9)} in {ly}",
        subtitle="Digitally delivered services (Mode 1), exports − imports, US$ billion; lighter = preliminary",
        source=WTO_SRC,
        data=d[["year", "sector_code", "sector", "exports", "imports", "balance", "status"]],
        alt=(
            "Stacked bars of China's digitally delivered services balance (exports − imports) by WTO "
            f"sub-sector, US$ billion, {period(y0, int(d['year'].max()))}, with the total as a line. {md}"
        ),
        note=(f"WTO flags a series break in {year_list(brk)}. " if brk else "") + "The sub-sector split exists "
        "for China only.",
    )


def claims_digital(page) -> None:
    """The digitally delivered and deliverable shares of China's services trade the seeds state."""
    r = {cid: claims.check(cid) for cid in checks.CLAIM_GROUPS["digital"]}
    y = checks.claim_year(claims.claim("S000-077"))

    def span(cid, stated=False):
        years, vals = checks.span_values(cid)
        if stated:
            row = claims.claim(cid)
            vals = (float(row["value"]), float(row["value_end"]))
        return f"{text.pct(vals[0])} ({years[0]}) → {text.pct(vals[1])} ({years[1]})"

    page.glue_md(
        "digital_md",
        (
            f"The study's share of digitally delivered services in China's {y} services trade, "
            f"{text.num(r['S000-077'].stated, 1)} %, comes out at {text.num(r['S000-077'].computed, 1)} % with WTO's "
            f"estimate over balance-of-payments totals (**{r['S000-077'].status}**). The interviewees of the third policy "
            f"article spoke of digital trade near {text.num(r['S003-002'].stated, 0)} % of services trade "
            f"(**{r['S003-002'].status}** with UNCTAD's digitally deliverable services in the year before the interviews, "
            f"at {text.num(r['S003-002'].computed, 1)} %) and digitised exports above {text.num(r['S003-005'].stated, 0)} % "
            f"(**{r['S003-005'].status}**, {text.num(r['S003-005'].computed, 1)} %). Their historical series, "
            f"{span('S003-008', True)} and {span('S003-018', True)}, compare with {span('S003-008')} and "
            f"{span('S003-018')} in the data (**{r['S003-008'].status}**, **{r['S003-018'].status}**)."
        ),
    )
    claims.show(
        page,
        checks.CLAIM_GROUPS["digital"],
        name="claims-digital",
        caption="China: claims on digital trade shares, with their verdicts",
    )


def knowledge(page, r, proxies: pd.DataFrame, points: pd.DataFrame) -> None:
    """Two public proxies of China's knowledge-intensive share, the seeds' stated shares, and their verdicts."""
    n, inside = an.bracketed(proxies, points)
    page.glue_md(
        "knowledge_md",
        (
            f"The seeds state {len(KNOWLEDGE_CLAIMS)} different 'knowledge-intensive' shares for China. The Ministry of "
            "Commerce's aggregate is not in any table here, so none of them can be checked; the chart shows two proxies "
            f"from the data for context. Of the {n} dated shares that fall in years with both proxies, {inside} lie "
            f"between the two proxies and {n - inside} outside them."
        ),
    )
    p = proxies[proxies["year"].between(*r.years)]
    if p.empty:
        no_figure(page, "knowledge-proxies", "No proxy can be computed for China in this window.")
    else:
        page.figure(
            figs.proxies(p, points),
            name="knowledge-proxies",
            title=f"{inside} of {n} dated knowledge-intensive shares in the seeds lie between two public "
            "proxies; the official aggregate itself is not in the data",
            subtitle="China, % of services; lines: proxies from the data; diamonds: the seeds' stated shares",
            source=f"{WDI_SRC}; {UNCTAD_SRC}; data/claims.csv",
            data=pd.concat([p, points.rename(columns={"claim_id": "proxy"})], ignore_index=True),
            alt=(
                "Two panels (exports; exports + imports) of China's shares in %: the WDI modern-services share "
                "and the UNCTAD digitally deliverable share as lines, and the knowledge-intensive shares "
                "stated in the seeds as diamonds."
            ),
        )
    claims.show(
        page,
        KNOWLEDGE_CLAIMS,
        name="claims-knowledge",
        caption="China: claims on knowledge-intensive services, not checkable, with proxies for context",
    )
