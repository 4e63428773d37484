"""The "AI infrastructure" page: its sections (sentences, figures, tables), from the computations in
:mod:`helpers.analysis.infrastructure`; the charts are in :mod:`.ai_infrastructure_charts`.

Every sentence is chosen from computed facts, with its own wording for the degenerate cases (one member,
one year, ties, no data) and human labels for the indicators. A figure that cannot be drawn for a selection
leaves a note, and its ``fig-<name>`` link in the prose says so."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers import registry, text
from helpers.analysis import infrastructure as infra
from helpers.book import charts
from helpers.book.chapters import ai_infrastructure_charts as ch
from helpers.book.chapters.ai_infrastructure_charts import label, unit
from helpers.claims import core as claims
from helpers.claims.checks.ai_infrastructure import last_digit_unit
from helpers.data import datastore as ds
from helpers.data.schemas import resource

WDI_SRC = "World Bank, World Development Indicators (data/wdi.csv)"
TOP500_SRC = "TOP500.org, TOP500 lists (data/top500_country.csv)"
EPOCH_GPU_SRC = "Epoch AI, GPU Clusters, CC BY 4.0 (data/epoch_gpu_clusters.csv)"
EPOCH_MODELS_SRC = "Epoch AI, Notable AI Models, CC BY 4.0 (data/epoch_ai_models.csv)"
CCP_SRC = "official statements as reported (data/china_computing_power.csv)"
UNCTAD_SRC = "UNCTAD, digitally deliverable services trade (data/unctad_dds.csv)"
NO_FIGURE = "no figure for this selection"
FOCUS = "CHN"  # drawn prominently when selected: the seeds' economy
SEED_COMPUTE = "S000-078"  # the seed's intelligent computing capacity

CLAIM_GROUPS: dict[str, tuple[str, ...]] = {
    "digital_economy": ("S000-053", "S000-054", "S000-055", "S000-056", "S002-006", "S003-001"),
    "compute": ("S000-078", "S000-079", "S000-080"),
    "dtdi": ("S000-081", "S000-082", "S000-083"),
}
CLAIM_CAPTIONS = {
    "digital_economy": "Claims on China's digital economy and networks, with their verdicts",
    "compute": "Claims on China's computing power, with their verdicts",
    "dtdi": "Claims on the digital technology development index, with their verdicts",
}


@dataclass(frozen=True)
class Infrastructure:
    """The page's inputs: the selected members, window and indicators, and their WDI panels."""

    economies: tuple[str, ...]
    focus: str | None
    indicators: tuple[str, ...]
    start_year: int
    end_year: int
    panel: pd.DataFrame  # the selected infrastructure indicators
    innovation: pd.DataFrame  # R&D and high-technology exports


def prepare(params: dict) -> Infrastructure:
    economies = tuple(infra.members(params["countries"]))
    a, b = params["start_year"], params["end_year"]
    codes = tuple(params["indicators"])
    return Infrastructure(
        economies,
        FOCUS if FOCUS in economies else None,
        codes,
        a,
        b,
        infra.load_panel(codes, economies, a, b),
        infra.load_panel(infra.INNOVATION, economies, a, b),
    )


# --------------------------------------------------------------------------- wording helpers


def lower_first(s: str) -> str:
    """'Internet users' -> 'internet users', but 'R&D expenditure' stays (acronyms keep their case)."""
    first = s.split(" ", 1)[0]
    return s if sum(c.isupper() for c in first) >= 2 else s[:1].lower() + s[1:]


WITH_ARTICLE = {"PHL", "USA", "GBR"}  # display names read with "the" inside a sentence


def the(iso3: str) -> str:
    """An economy's name as it reads inside a sentence: 'the Philippines', 'Korea'."""
    return ("the " if iso3 in WITH_ARTICLE else "") + ds.display_name(iso3)


def signed(x: float, decimals: int = 2) -> str:
    """A correlation with a true minus sign: -0.5 -> '−0.50'."""
    return text.num(x, decimals).replace("-", "−")


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def names(codes: Sequence[str]) -> str:
    return text.listing([the(c) for c in codes])


def span(a: int, b: int) -> str:
    return str(a) if a == b else text.year_span(a, b)


def month_label(ym: str | None) -> str:
    """'2024-11' -> 'November 2024'."""
    return pd.Timestamp(f"{ym}-01").strftime("%B %Y") if ym else "date not stated"


def share_text(x: float) -> str:
    """A share in %, rounded once for titles, sentences and chart labels: 1 decimal, 2 below 0.1 %."""
    return text.pct(x, 1 if x >= 0.1 or x == 0 else 2)


def count(n: int, what: str) -> str:
    return f"no {what}" if n == 0 else f"{n} {what}" + ("" if n == 1 else "s")


def scope(page, r: Infrastructure) -> None:
    n_rcep = len(ds.country_groups()["rcep"])
    page.glue_sentences(
        {
            "economies": f"all {n_rcep} RCEP members" if len(r.economies) == n_rcep else names(r.economies),
            "window": span(r.start_year, r.end_year),
        }
    )


def _no_figure(page, name: str, reason: str) -> None:
    """A figure that cannot be drawn for this selection: a note, and its link key says so."""
    page.note(reason, kind="warning", title="No figure")
    page.glue_md(f"fig-{charts.slug(name)}", NO_FIGURE)


def show_claims(page, group: str) -> None:
    claims.show(page, CLAIM_GROUPS[group], name=f"claims-{group.replace('_', '-')}", caption=CLAIM_CAPTIONS[group])


# --------------------------------------------------------------------------- levels


def extremes_sentence(ext: infra.Extremes | None, code: str, n_selected: int) -> str:
    name = f"{label(code)} ({unit(code)})"
    if ext is None:
        return f"{name}: no value for the members shown in this window."
    v = lambda x: text.num(x, 1)  # noqa: E731 - the one rounding of the page's levels
    if ext.reporting == 1:
        who = the(ext.top[0])
        return (
            f"{name}: {who}, {v(ext.top_value)} in {ext.year}."
            if n_selected == 1
            else f"{name}: in {ext.year}, the latest year with data, only {who} has a value ({v(ext.top_value)})."
        )
    if v(ext.top_value) == v(ext.bottom_value):
        return f"{name}: all {ext.reporting} members with a value in {ext.year} stand at {v(ext.top_value)}."
    among = "" if ext.reporting == n_selected else f", among the {ext.reporting} of {n_selected} members with a value"
    return (
        f"{name}, {ext.year}: {names(ext.top)} highest ({v(ext.top_value)}), {names(ext.bottom)} lowest "
        f"({v(ext.bottom_value)}){among}."
    )


def levels_title(extremes: Sequence[infra.Extremes], n_selected: int) -> str:
    if n_selected == 1:
        return f"{cap(the(extremes[0].top[0]))}: " + "; ".join(
            f"{lower_first(label(e.indicator))} {text.num(e.top_value, 1)} ({e.year})" for e in extremes
        )
    leads: dict[tuple[str, ...], list[str]] = {}
    for e in extremes:
        if e.reporting >= 2 and text.num(e.top_value, 1) != text.num(e.bottom_value, 1):
            leads.setdefault(e.top, []).append(lower_first(label(e.indicator)))
    if not leads:
        return "Latest values: no indicator separates two members in its latest year"
    return "Highest in the latest year with data: " + "; ".join(
        f"{names(top)} ({text.listing(what)})" for top, what in leads.items()
    )


def coverage_sentence(r: Infrastructure) -> str:
    parts = []
    for code in r.indicators:
        year, lacking = infra.lacking_latest(r.panel, code, r.economies)
        if year is None:
            parts.append(f"{lower_first(label(code))} has no value in this window")
        elif lacking:
            parts.append(f"{lower_first(label(code))} in {year} lacks {names(lacking)}")
    if parts:
        return "Coverage of the latest year with data in the window: " + "; ".join(parts) + "."
    who = cap(the(r.economies[0])) if len(r.economies) == 1 else "Every member shown"
    return f"{who} has a value in the latest year with data of each indicator in the window."


def levels(page, r: Infrastructure, latest: pd.DataFrame) -> None:
    """The table of latest values and the levels figure; glues the coverage sentence and one line per indicator."""
    extremes = {code: infra.latest_extremes(r.panel, code) for code in r.indicators}
    n = len(r.economies)
    page.glue_sentences(
        {
            "coverage_sentence": coverage_sentence(r),
            "levels_list": [extremes_sentence(e, c, n) for c, e in extremes.items()],
        }
    )
    cells = latest.assign(
        cell=[f"{text.num(v, 1)} ({y})" for v, y in zip(latest["value"], latest["year"])],
        column=latest["indicator"].map(label),
    )
    wide = (
        cells.pivot(index="economy", columns="column", values="cell")
        .reindex(index=sorted(ds.display_name(e) for e in r.economies), columns=[label(c) for c in r.indicators])
        .astype(object)
        .fillna("no data")
        .rename_axis(index="economy", columns=None)
        .reset_index()
    )
    page.table(
        wide,
        name="latest-levels",
        caption="Latest value of each indicator in the window (year in brackets)",
        source=WDI_SRC + "; units: " + "; ".join(f"{label(c)}: {unit(c)}" for c in r.indicators),
        sortable=True,
        csv=latest.assign(indicator=latest["indicator"].map(label)),
    )
    drawn = [e for e in extremes.values() if e is not None]
    if not drawn:
        _no_figure(page, "levels", "No selected indicator has a value for these members in this window.")
        return
    d = r.panel.dropna(subset=["value"])
    page.figure(
        ch.levels_chart(r.panel, r.indicators, r.focus),
        name="levels",
        title=levels_title(drawn, n),
        subtitle="One panel per indicator, each on its own scale (log where levels span orders of magnitude)",
        source=WDI_SRC,
        data=d.assign(indicator=d["indicator"].map(label)),
        alt=f"Line charts, one per indicator, for {count(d['iso3'].nunique(), 'member')}, "
        f"{span(int(d['year'].min()), int(d['year'].max()))}. "
        + " ".join(extremes_sentence(e, e.indicator, n) for e in drawn),
    )


# --------------------------------------------------------------------------- the digital divide


def _times(x: float) -> str:
    return f"{text.num(x, 0 if x >= 100 else 1)}×"


def divide_sentence(dv: infra.Divide, n_selected: int) -> str:
    name, least = label(dv.indicator), infra.MIN_BALANCED_MEMBERS
    if not dv.measurable:
        k = len(set(dv.members) | set(dv.excluded))
        why = {
            "data": "no member shown has a value in this window",
            "members": (
                f"the selection has {count(n_selected, 'member')}; a divide needs at least {least}"
                if n_selected < least
                else f"only {k} of the {n_selected} members have a value; a divide needs at least {least}"
            ),
            "years": "the window has a single year with data",
            "gaps": f"no run of two or more consecutive years has at least {least} members with a value in each",
        }
        return f"{name}: the divide cannot be traced on a balanced panel — {why[dv.why_not]}."
    y0, y1 = dv.years[0], dv.years[-1]
    ratio = ""
    if np.isfinite(dv.ratio_first) and np.isfinite(dv.ratio_last):
        ratio = (
            f"; the highest member had {_times(dv.ratio_first)} the lowest member's level in {y0} and "
            f"{_times(dv.ratio_last)} in {y1}"
        )
    elif np.isfinite(dv.ratio_last):
        ratio = f"; the highest member had {_times(dv.ratio_last)} the lowest member's level in {y1}"
    excl = f" Left out for gaps: {names(dv.excluded)}." if dv.excluded else ""
    agree = (
        ""
        if dv.trend_all in (dv.trend, "not measurable")
        else f" With all members that have data each year the divide {dv.trend_all} instead: the difference is a "
        "composition effect."
    )
    return (
        f"{name}: on a balanced panel of {len(dv.members)} members, {text.year_span(y0, y1)}, the coefficient of "
        f"variation went from {text.num(dv.cv_first, 2)} to {text.num(dv.cv_last, 2)} — the divide "
        f"{dv.trend}{ratio}.{excl}{agree}"
    )


def divide_verdict(divides: Sequence[infra.Divide], n_selected: int) -> str:
    """Is the divide closing? Computed on the selected members; says when and why it cannot be answered."""
    measured = [d for d in divides if d.measurable]
    unmeasured = [lower_first(label(d.indicator)) for d in divides if not d.measurable]
    if not measured:
        if n_selected < infra.MIN_BALANCED_MEMBERS:
            return (
                f"With {count(n_selected, 'member')} selected, the divide cannot be measured: it needs at least "
                f"{infra.MIN_BALANCED_MEMBERS} members with values in every year of a run of years."
            )
        return (
            "The divide cannot be measured on a balanced panel for any selected indicator in this window "
            f"({text.listing(unmeasured)})."
        )
    by = {
        w: [lower_first(label(d.indicator)) for d in measured if d.trend == w]
        for w in ("narrowed", "widened", "did not change")
    }
    if len(by["narrowed"]) == len(measured) > 1:
        out = f"The divide narrowed for all {len(measured)} indicators measured ({text.listing(by['narrowed'])})."
    else:
        out = "The divide " + text.listing([f"{w} for {text.listing(v)}" for w, v in by.items() if v]) + "."
    if unmeasured:
        out += f" It cannot be measured for {text.listing(unmeasured)}."
    return out


def dispersion_frame(divides: Sequence[infra.Divide]) -> pd.DataFrame:
    """Long frame for the dispersion chart: indicator, panel (balanced / all with data), year, cv, max_min, n."""
    parts = [
        f.assign(indicator=label(dv.indicator), panel=name)
        for dv in divides
        for f, name in ((dv.balanced, ch.BALANCED), (dv.all_members, ch.ALL_WITH_DATA))
        if not f.empty
    ]
    cols = ["indicator", "panel", "year", "cv", "max_min", "n"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def divide(page, r: Infrastructure, divides: Sequence[infra.Divide]) -> tuple[str, str | None]:
    """The divide figure and its sentences. The verdict is the page's headline (also glued as plain text
    for the introduction); returns it with the figure's name (None when no figure can be drawn)."""
    n = len(r.economies)
    verdict = divide_verdict(divides, n)
    page.glue_sentences(
        {"divide_list": [divide_sentence(d, n) for d in divides], "divide_verdict": verdict}, plain=("divide_verdict",)
    )
    page.glue("headline", verdict)
    frame = dispersion_frame(divides)
    if frame.empty:
        _no_figure(page, "digital-divide", verdict)
        return verdict, None
    trends = [f"{lower_first(label(d.indicator))} {d.trend}" for d in divides if d.measurable]
    title = (
        "The digital divide across the members: " + "; ".join(trends)
        if trends
        else f"No balanced panel of at least {infra.MIN_BALANCED_MEMBERS} members: the dispersion of the members with "
        "data each year, for reference"
    )
    page.figure(
        ch.dispersion_chart(frame),
        name="digital-divide",
        title=title,
        source=WDI_SRC,
        data=frame,
        subtitle="Coefficient of variation across members (standard deviation / mean); each panel its own scale",
        alt="Line charts, one per indicator, of the coefficient of variation across members by year: "
        "solid for the balanced panel, dashed for all members with data that year. " + verdict,
    )
    return verdict, "digital-divide"


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


def dtdi(page) -> None:
    """The index claims: their internal consistency, and the verdicts."""
    page.glue_sentences({"dtdi_sentence": dtdi_sentence()})
    show_claims(page, "dtdi")


def dtdi_sentence() -> str:
    growth, low, high = claims.check("S000-082"), claims.stated("S000-081"), claims.stated("S000-081", end=True)
    return (
        f"The seed's digital technology development index rises from {text.num(low, 3)} to {text.num(high, 3)}; "
        f"that is {text.pct(growth.computed, 1, sign=True)}, so the stated growth of "
        f"{text.pct(growth.stated, 0)} is {growth.status} with the stated levels. The index itself, and the sample "
        "average it is compared with, come from the cited study and cannot be checked here."
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


# --------------------------------------------------------------------------- innovation and the bridge


def innovation_texts(r: Infrastructure) -> tuple[str, str]:
    leads = {lead.indicator: lead for lead in infra.leaders(r.innovation, infra.INNOVATION)}
    parts, titles = [], []
    for code in infra.INNOVATION:
        name, lead = f"{label(code)} ({unit(code)})", leads.get(code)
        if lead is None:
            ends = infra.last_year_of(code)
            parts.append(
                f"{name}: no value for the members shown in this window"
                + (f" (the series in the data ends in {ends})" if r.start_year > ends else "")
                + "."
            )
            continue
        who, v = the(lead.iso3), text.num(lead.value, 2 if abs(lead.value) < 10 else 1)
        if lead.with_data == 1:
            parts.append(f"{name}: only {who} has a value; {v} in {lead.year}.")
            titles.append(
                f"{lower_first(label(code))} {v} ({lead.year})"
                if len(r.economies) == 1
                else f"{who}: {lower_first(label(code))} {v} ({lead.year})"
            )
        elif lead.reporting == 1:
            parts.append(
                f"{name}: latest year {lead.year}, reported only by {who} ({v}) of the {lead.with_data} "
                "members with any value."
            )
            titles.append(f"{who} alone reports {lower_first(label(code))} for {lead.year}")
        else:
            by = (
                f"{'both' if lead.with_data == 2 else f'all {lead.with_data}'} members with any value"
                if lead.reporting == lead.with_data
                else f"{lead.reporting} of the {lead.with_data} members with any value"
            )
            parts.append(f"{name}: latest year {lead.year}, reported by {by}; the highest is {who}, at {v}.")
            titles.append(f"{who} leads {lower_first(label(code))} ({lead.year})")
    if titles and len(r.economies) == 1:
        return " ".join(parts), f"{cap(the(r.economies[0]))}: " + "; ".join(titles)
    return " ".join(parts), cap("; ".join(titles))


def innovation(page, r: Infrastructure) -> None:
    sentence, title = innovation_texts(r)
    page.glue_sentences({"innovation_sentence": sentence})
    if not title:
        _no_figure(page, "innovation", "No R&D or high-technology export data for these members in this window.")
        return
    rd, tech = infra.INNOVATION
    page.figure(
        ch.innovation_chart(r.innovation, r.focus),
        name="innovation",
        title=title,
        source=WDI_SRC,
        subtitle=f"{label(rd)}, {unit(rd)} (old vintage, ends {infra.last_year_of(rd)}); {lower_first(label(tech))}, "
        f"{unit(tech)}",
        data=r.innovation.dropna(subset=["value"]).assign(indicator=lambda d: d["indicator"].map(label)),
        alt=f"Two line charts by member: {lower_first(label(rd))} and {lower_first(label(tech))}. " + sentence,
    )


def bridge_texts(bf: pd.DataFrame, b: infra.Bridge | None, code: str) -> tuple[str, str]:
    name = lower_first(label(code))
    if b is None:
        cov = ds.coverage("unctad_dds")
        return (
            f"No member shown has both {name} and UNCTAD's digitally deliverable exports in this window "
            f"(UNCTAD's series runs {cov['year_min']}–{cov['year_max']}).",
            "",
        )
    rho = signed(b.rho) if np.isfinite(b.rho) else ""
    if rho:
        corr = (
            f"Across the {b.n} members with both series in {b.year}, the latest year with the widest coverage, the "
            f"rank correlation between {name} and digitally deliverable exports per person is {rho}."
        )
        if b.last_year != b.year:
            corr += (
                f" In {b.last_year}, the latest year, with {count(b.n_last, 'member')}, it is "
                + (signed(b.rho_last) if np.isfinite(b.rho_last) else "not computable")
                + "."
            )
        title = f"{label(code)} and digitally deliverable exports per person: rank correlation {rho} in {b.year}" + (
            f", {signed(b.rho_last)} in {b.last_year}" if b.last_year != b.year and np.isfinite(b.rho_last) else ""
        )
    else:
        corr = (
            f"In {b.year}, the year with the widest coverage, {count(b.n, 'member')} "
            f"{'has' if b.n == 1 else 'have'} both series: "
            + (
                "too few for a rank correlation across members."
                if b.n < 3
                else "their values do not vary, so no rank correlation can be computed."
            )
        )
        title = (
            f"{label(code)} and digitally deliverable exports per person, "
            f"{span(int(bf['year'].min()), int(bf['year'].max()))}: too few members for a rank correlation"
        )
    if b.with_two_years == 0:
        over = " No member has two years of both series in the window."
    elif b.with_two_years == 1:
        over = (
            " Over time, the one member with two or more years of both "
            f"{'raised both' if b.raised_both else 'did not raise both'}."
        )
    else:
        n = b.with_two_years
        k = (
            ("both" if n == 2 else f"all {n}")
            if b.raised_both == n
            else f"none of the {n}"
            if b.raised_both == 0
            else f"{b.raised_both} of the {n}"
        )
        over = f" Over time, {k} members with two or more years of both raised both."
    return (
        corr + over + " This is association, not cause: richer economies have more of both. The RCEP pathways "
        "chapter estimates the relation with controls.",
        title,
    )


def bridge(page, r: Infrastructure, bf: pd.DataFrame, b: infra.Bridge | None) -> tuple[str, str | None]:
    code = r.indicators[0]
    sentence, title = bridge_texts(bf, b, code)
    page.glue_sentences({"bridge_sentence": sentence, "bridge_indicator": lower_first(label(code))})
    if not title:
        _no_figure(page, "infrastructure-and-exports", sentence)
        return sentence, None
    page.figure(
        ch.bridge_chart(bf, code, r.focus),
        name="infrastructure-and-exports",
        title=title,
        data=bf,
        subtitle=f"x: {label(code)}, {unit(code)}; y: UNCTAD digitally deliverable exports per person, US$ "
        "(log); one path per member over the years, labelled at its last year",
        source=f"{WDI_SRC}; {UNCTAD_SRC}",
        alt="Scatter with one path per member linking its yearly points: "
        "digital infrastructure on the horizontal axis, digitally deliverable exports per person on the "
        "vertical axis. " + sentence,
    )
    return title + (
        "; association, not cause." if b is not None and np.isfinite(b.rho) else "."
    ), "infrastructure-and-exports"


# --------------------------------------------------------------------------- key findings


def compute_finding(res: claims.Result) -> str:
    if res.computed is None:
        return f"The seed's {text.num(res.stated, 0)} EFLOPS of intelligent computing cannot be checked: {res.method}."
    return (
        f"The seed's {text.num(res.stated, 0)} EFLOPS of intelligent computing is {res.status} with the only "
        f"independent statement in the data ({text.num(res.computed, 0)} EFLOPS, a weak check)."
    )


def findings(*found: tuple[str, str | None]) -> list[str | tuple[str, str]]:
    """Key findings from the sections' (sentence, figure name or None) pairs, in reading order."""
    return [sentence if name is None else (sentence, name) for sentence, name in found]
