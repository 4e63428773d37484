"""The computing-power sections of the "AI infrastructure" page: China's official statements against the
seed's figure, TOP500 supercomputers, Epoch AI's GPU clusters and notable AI models."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from helpers import registry, text
from helpers.analysis import infrastructure as infra
from helpers.book.chapters import ai_infrastructure_charts as ch
from helpers.book.chapters.ai_infrastructure_words import (
    CCP_SRC,
    EPOCH_GPU_SRC,
    EPOCH_MODELS_SRC,
    TOP500_SRC,
    _no_figure,
    cap,
    count,
    month_label,
    share_text,
    span,
    the,
)
from helpers.claims import core as claims
from helpers.claims.checks.ai_infrastructure import last_digit_unit
from helpers.data import datastore as ds
from helpers.data.schemas import resource

if TYPE_CHECKING:
    from helpers.book.chapters.ai_infrastructure import Infrastructure

SEED_COMPUTE = "S000-078"  # the seed's intelligent computing capacity


# --------------------------------------------------------------------------- China's official statements


def statements_sentence(st: pd.DataFrame, res: claims.Result) -> str:
    total = st[st["kind"] == "total / infrastructure computing"]
    first, last = total.iloc[0], total.iloc[-1]
    row = claims.claim(SEED_COMPUTE)
    lead = (
        f"The official statements in the data measure different things. 'Total computing power' went from "
        f"{text.num(first['eflops'], 0)} EFLOPS ({month_label(first['date'])}) to {text.num(last['eflops'], 0)} "
        f"EFLOPS ({month_label(last['date'])}); these totals follow another definition and are not comparable "
        "with the seed's intelligent computing capacity, stated at FP16 precision."
    )
    ic = st[st["kind"] == "intelligent computing"]
    if res.computed is None or ic.empty:
        return lead + " No statement in the data measures intelligent computing, so the seed's figure is not checked."
    s = ic.iloc[-1]
    seed_date, _ = infra.period_date(str(row["year"]))
    coarse = last_digit_unit(s["value"]) * infra.to_eflops(1.0, s["unit"])  # the statement's own rounding
    within = abs(res.computed - res.stated) <= coarse / 2
    judged = (
        f"{res.status} by the book's rule, which allows only the rounding of the seed's figure "
        f"(±{text.num(res.tolerance, 1)} EFLOPS)"
    )
    reading = (
        ""
        if res.status == claims.CONSISTENT
        else f"; read as rounded to the nearest {text.num(coarse, 0)} EFLOPS, the statement would "
        f"{'contain' if within else 'still not contain'} the seed's figure"
    )
    return (
        f"{lead} The one statement on intelligent computing, {text.num(res.computed, 0)} EFLOPS reported by the "
        f"{s['reporting_body'].split(' (')[0]} for {month_label(s['date'])}, is "
        f"{text.pct(100 * (res.computed / res.stated - 1), 1, sign=True)} against the seed's "
        f"{text.num(res.stated, 0)} EFLOPS for {month_label(seed_date)}: {judged}{reading}. It is a weak check: "
        f"another body, another date, and no precision stated (the seed's figure is at FP16)."
    )


def statements(page, st: pd.DataFrame) -> tuple[str, str]:
    """China's statements against the seed's figure; returns the key finding on the seed's figure."""
    res = claims.check(SEED_COMPUTE)
    sentence = statements_sentence(st, res)
    page.glue_sentences({"ccp_sentence": sentence})
    seed_date, _ = infra.period_date(str(claims.claim(SEED_COMPUTE)["year"]))
    n = int((st["kind"] == "intelligent computing").sum())
    page.figure(
        ch.statements_chart(st, res.stated, seed_date),
        name="china-computing-statements",
        title=f"China's official computing-power figures use different measures: {n} of {len(st)} statements "
        f"measure{'s' if n == 1 else ''} intelligent computing, the seed's concept",
        subtitle="EFLOPS as stated (PFlops converted); points are separate statements, not a series",
        source=CCP_SRC + "; the seed (data/claims.csv)",
        data=st.drop(columns="row_id"),
        alt="Scatter of China's reported computing power in EFLOPS by reference date, marked by measure "
        "(total or infrastructure computing, intelligent computing, target) with the seed's figure. " + sentence,
    )
    return compute_finding(res), "china-computing-statements"


def compute_finding(res: claims.Result) -> str:
    if res.computed is None:
        return f"The seed's {text.num(res.stated, 0)} EFLOPS of intelligent computing cannot be checked: {res.method}."
    return (
        f"The seed's {text.num(res.stated, 0)} EFLOPS of intelligent computing is {res.status} with the only "
        f"independent statement in the data ({text.num(res.computed, 0)} EFLOPS, a weak check)."
    )


# --------------------------------------------------------------------------- supercomputers and AI compute


def top500_texts(r: Infrastructure, df: pd.DataFrame, missing: Sequence[str]) -> tuple[str, str]:
    """(sentence, figure title); the title is empty when no list of the window was obtained."""
    on = df[df["status"] == "on the list"]
    if on.empty:
        cal = infra.top500_calendar(f"{r.start_year}-06", f"{r.end_year}-11")
        return (
            f"None of the {count(len(cal), 'TOP500 list')} of the window ({month_label(cal[0])} to "
            f"{month_label(cal[-1])}) was obtained, so this window shows no supercomputer data.",
            "",
        )
    last = on["list_date"].max()
    at_last = on[on["list_date"] == last].set_index("iso3")
    lead = at_last.drop(index=ds.WORLD).sort_values("rmax_pflops", ascending=False).iloc[0]
    listed = [e for e in r.economies if infra.share_history(df, e) is not None]
    subject = r.focus if r.focus in listed else max(listed, key=lambda e: infra.share_history(df, e).peak, default=None)
    h = infra.share_history(df, subject) if subject else None
    title = f"{cap(the(lead.name))} had the most TOP500 compute of the economies shown in {month_label(last)}"
    if h is None:
        part = "none of the members shown had a system on the lists of the window"
    else:
        who = registry.possessive(cap(the(subject)))
        now = f"{share_text(h.last)} in {month_label(h.last_list)}, with {count(h.n_systems_last, 'system')}"
        fell = h.peak > h.last and h.peak_list != h.last_list
        part = (
            f"{who} share of the list's Rmax peaked at {share_text(h.peak)} ({month_label(h.peak_list)}) and was {now}"
            if fell
            else f"{who} share of the list's Rmax was {now}"
        )
        if fell:
            title += (
                f"; {who} share fell from {share_text(h.peak)} ({month_label(h.peak_list)}) to {share_text(h.last)}"
            )
    usa = (
        (
            f"; the United States held {share_text(float(at_last.loc[infra.COMPARATOR, 'share_pct']))} in "
            f"{month_label(last)}"
        )
        if infra.COMPARATOR in at_last.index
        else ""
    )
    world = float(at_last.loc[ds.WORLD, "rmax_pflops"])
    gap = (
        ""
        if not missing
        else (
            f" The list{'s' if len(missing) > 1 else ''} not obtained ({text.listing([month_label(m) for m in missing])}) "
            f"{'are shaded gaps' if len(missing) > 1 else 'is a shaded gap'}, not interpolated."
        )
    )
    return (
        f"The whole list summed to {text.num(world, 0 if world >= 100 else 2)} PFlop/s in {month_label(last)}. "
        f"{part[:1].upper() + part[1:]}{usa}.{gap} The list is voluntary: a country's share reflects which "
        "systems are submitted as well as what is built.",
        title,
    )


def top500(page, r: Infrastructure, df: pd.DataFrame, missing: Sequence[str]) -> tuple[str, str | None]:
    sentence, title = top500_texts(r, df, missing)
    page.glue_sentences({"top500_sentence": sentence})
    if not title:
        _no_figure(page, "top500", sentence)
        return sentence, None
    page.figure(
        ch.top500_chart(df, missing, r.focus),
        name="top500",
        title=title,
        source=TOP500_SRC,
        subtitle="Sum of Rmax of the systems on each TOP500 list, PFlop/s (log scale); shaded: lists not obtained",
        alt="Line chart on a log scale of the summed Rmax of TOP500 systems by economy and list, with the world "
        f"total. {sentence}",
        data=df.drop(columns="date"),
    )
    return title + ".", "top500"


def gpu_texts(r: Infrastructure, g: pd.DataFrame) -> tuple[str, str]:
    """(sentence, figure title) on Epoch AI's GPU clusters: a snapshot, whatever the window."""
    world = float(g.loc[g["kind"] == "world", "h100e"].iloc[0])
    usa = share_text(float(g.loc[g["iso3"] == infra.COMPARATOR, "share_pct"].iloc[0]))
    mem = g[(g["kind"] == "economy") & (g["iso3"] != infra.COMPARATOR)].sort_values("h100e", ascending=False)
    total = share_text(100 * float(mem["h100e"].sum()) / world)
    top = mem.iloc[0] if float(mem["h100e"].iloc[0]) > 0 else None
    if len(mem) == 1:
        who = the(mem["iso3"].iloc[0])
        rest, short = (
            (f" and {who} {total}", f"{who} {total}") if top is not None else (f"; {who} hosts none", f"{who} none")
        )
    elif top is None:
        rest, short = "; none of the members shown hosts any", "the members shown none"
    else:
        rest = (
            f" and the {len(mem)} members shown together {total}; the largest among them is {the(top['iso3'])} "
            f"({share_text(float(top['share_pct']))})"
        )
        short = f"{the(top['iso3'])} {share_text(float(top['share_pct']))}"
    sentence = (
        f"Epoch AI's existing GPU clusters add up to {text.num(world, 0)} H100 equivalents, of which the United "
        f"States hosts {usa}{rest}. Clusters without an H100-equivalent estimate count as zero; Epoch compiles "
        "clusters from public reports, so coverage can be uneven across countries. The data are Epoch's "
        f"{resource('epoch_gpu_clusters').vintage}, not limited to the window."
    )
    return sentence, f"The United States hosts {usa} of the GPU-cluster compute Epoch AI records; {short}"


def gpu(page, r: Infrastructure, g: pd.DataFrame) -> tuple[str, str]:
    sentence, title = gpu_texts(r, g)
    page.glue_sentences({"gpu_sentence": sentence})
    shares = {e: share_text(float(s)) for e, s in zip(g["economy"], g["share_pct"])}
    page.figure(
        ch.gpu_chart(g, r.focus, shares),
        name="gpu-clusters",
        title=title,
        source=EPOCH_GPU_SRC,
        data=g,
        subtitle="Existing GPU clusters in Epoch AI's standard analysis, H100 equivalents (log scale); "
        "label: value (% of world)",
        alt="Dot plot on a log scale of H100 equivalents by economy, with the world total. " + sentence,
        note="Economies with no recorded cluster compute are not drawn (zero cannot be shown on a log scale).",
    )
    return title + ".", "gpu-clusters"


def models_texts(r: Infrastructure, m: pd.DataFrame) -> tuple[str, str]:
    last = m[m["year"] == r.end_year].set_index("iso3")["models"]
    w_last, us_last = int(last.get(ds.WORLD, 0)), int(last.get(infra.COMPARATOR, 0))
    mem = m[(m["year"] == r.end_year) & ~m["iso3"].isin([ds.WORLD, infra.COMPARATOR])].sort_values(
        ["models", "economy"], ascending=[False, True]
    )
    top = mem.iloc[0] if len(mem) and mem["models"].iloc[0] > 0 else None
    if len(r.economies) == 1:
        k = int(mem["models"].iloc[0]) if len(mem) else 0
        who = f"{the(r.economies[0])} is credited with {count(k, 'model')}"
    else:
        who = (
            f"{the(top['iso3'])} led the members shown with {count(int(top['models']), 'model')}"
            if top is not None
            else "no member shown is credited with any"
        )
    total = int(m.loc[m["iso3"] == ds.WORLD, "models"].sum())
    sentence = (
        f"In {r.end_year} Epoch AI lists {count(w_last, 'notable AI model')}; organisations in the United States "
        f"are credited with {us_last}; {who}. A model developed across several countries counts once for each "
        "of them, so the economies' counts can add up to more than the world's "
        f"{count(total, 'model')} in {span(r.start_year, r.end_year)}."
    )
    title = (
        f"Notable AI models in {r.end_year}: {us_last or 'none'} credited to the United States"
        + (f", {int(top['models'])} to {the(top['iso3'])}" if top is not None else "")
        + f", of {w_last} in all"
    )
    return sentence, title


def models(page, r: Infrastructure, m: pd.DataFrame) -> None:
    sentence, title = models_texts(r, m)
    page.glue_sentences({"models_sentence": sentence})
    page.figure(
        ch.models_chart(m, r.focus),
        name="ai-models",
        title=title,
        source=EPOCH_MODELS_SRC,
        data=m,
        subtitle="Notable AI models published per year, by country of the developing organisation",
        alt="Line chart of notable AI models per year for the world, the United States and the members with "
        "any model. " + sentence,
    )
