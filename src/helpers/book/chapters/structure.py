"""The sections of the "Structure of <focus>'s services trade" chapter: sentences, figures and tables.

The notebook computes with :mod:`helpers.analysis.structure` in each section cell and hands the result to
one function here, which glues the sentences (built from the computed facts, with their own wording for a
surplus, one year, one member, missing data...) and shows the figures and tables. The seeds' claims are
about China: those sections say "China" and use China's data whatever the focus economy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from helpers import text
from helpers.analysis import structure as an
from helpers.book.chapters import structure_charts as figs
from helpers.claims import core as claims
from helpers.claims.checks import structure as checks
from helpers.data import datastore

CHN = "CHN"
WDI_SRC, UNCTAD_SRC, WTO_SRC = checks.WDI_SRC, checks.UNCTAD_SRC, checks.WTO_SRC
KNOWLEDGE_CLAIMS = checks.CLAIM_GROUPS["knowledge"]


@dataclass(frozen=True, eq=False)
class Structure:
    """What every section starts from: the parameters, resolved, and the tables."""

    country: str
    name: str
    years: tuple[int, int]
    members: tuple[str, ...]
    wdi: pd.DataFrame = field(repr=False)
    unctad: pd.DataFrame = field(repr=False)
    wto_2026: pd.DataFrame = field(repr=False)
    register: pd.DataFrame = field(repr=False)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return {"wdi": self.wdi, "unctad": self.unctad, "wto_2026": self.wto_2026}


def prepare(params: Mapping) -> Structure:
    c = params["country"]
    return Structure(
        c,
        datastore.display_name(c),
        (params["start_year"], params["end_year"]),
        tuple(datastore.country_groups()["rcep"]),
        datastore.load_table("wdi"),
        datastore.load_table("unctad_dds"),
        datastore.load_table("wto_dds_2026"),
        datastore.load_table("claims"),
    )


def _span(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}–{b}"


def _pct(x: float, decimals: int = 1) -> str:
    """Percent for prose; a rounding remainder like −0.00001 prints as 0.0 %, not −0.0 %."""
    return text.pct(0.0 if abs(x) < 0.5 * 10 ** (-decimals) else x, decimals)


def _years(years) -> str:
    """[2001, 2002, 2003, 2007] -> '2001–2003 and 2007'; [] -> 'no year'."""
    ranges = text.year_ranges(years)
    return text.listing(ranges.split(", ")) if ranges else "no year"


def _net(x: float) -> str:
    """'net debit of US$ 3.10 billion' / 'net credit of …' (the sign in words)."""
    return f"net {'debit' if x < 0 else 'credit'} of {text.usd_bn(abs(x) / 1e9)}"


def _no_figure(page, name: str, reason: str) -> None:
    """Say on the page why a figure cannot be drawn, and let the prose's link to it say so too."""
    page.note(reason, kind="warning", title="No chart")
    page.glue_md(f"fig-{name}", f"no chart: {reason[0].lower()}{reason[1:].rstrip('.')}")


def orientation(page, r: Structure) -> None:
    page.glue("focus_name", r.name)
    page.glue_md(
        "focus_note",
        "The focus is China, the economy the seeds' claims are about."
        if r.country == CHN
        else f"The seeds' claims are about China, so the sections that check them show China's figures on this "
        f"page too; the composition, the balance and the highlighted member follow {r.name}.",
    )


def definitions(page) -> None:
    rows = [
        (c.label, c.group, f"{c.label} as published by the World Bank, % of commercial service exports and of imports")
        for c in an.CATEGORIES
    ]
    rows += [
        (an.OTHER.label, "other", "100 − the four shares above (computed here; the World Bank does not publish it)"),
        (
            "Level of a category",
            "—",
            "share × total services (balance of payments); the total includes "
            "government services, so levels are an approximation that adds up to the published total",
        ),
        (
            "Digitally deliverable share",
            "—",
            "UNCTAD digitally deliverable trade (all modes) / World Bank services × 100; two sources",
        ),
        (
            "RCA (Balassa)",
            "—",
            "(X_i,k / X_i) / (X_world,k / X_world), service exports; k = ICT services (World "
            "Bank) or digitally deliverable services (UNCTAD)",
        ),
    ]
    page.table(
        pd.DataFrame(rows, columns=["Term", "Group", "Definition"]),
        name="definitions",
        caption="Definitions used on this page",
        source="World Bank WDI indicator definitions; UNCTAD",
    )


# --------------------------------------------------------------------------- composition of the focus economy


def composition(page, r: Structure, comp: pd.DataFrame) -> None:
    """Category shares and levels of the focus economy's services trade (two figures), and the headline."""
    name, span = r.name, _span(*r.years)
    wide = an.wdi_wide(r.wdi, [an.total_code("exports"), an.total_code("imports")], [r.country], r.years)
    cov = an.composition_coverage(comp, wide.dropna(how="all", subset=wide.columns[2:])["year"], r.years)
    if cov["empty"]:
        tot = (
            f"only total service exports and imports ({_years(cov['totals_years'])})"
            if cov["totals_years"]
            else "no services trade at all"
        )
        md = (
            f"WDI publishes no breakdown of {name}'s services trade by category in {span}: the data have {tot}. "
            f"The composition, category balances and traditional-versus-modern shares cannot be shown for {name}; "
            "the comparison across members below still includes it where UNCTAD has data."
        )
        page.glue_md("comp_md", md)
        page.glue_md("remainder_md", "No remainder can be computed without the published categories.")
        page.glue("headline", f"WDI has no breakdown of {name}'s services trade by category in {span}.")
        _no_figure(page, "composition-shares", f"The World Bank data have no category shares for {name} in {span}.")
        _no_figure(page, "composition-levels", f"The World Bank data have no category shares for {name} in {span}.")
        return
    lead = {}
    for flow in an.FLOWS:
        c = comp[(comp["flow"] == flow) & (comp["category"] != an.OTHER.key)]
        if c.empty:
            continue
        y = int(c["year"].max())
        c = c[c["year"] == y]
        top = c[c["share_pct"].map(text.pct) == text.pct(c["share_pct"].max())]
        lead[flow] = (y, text.listing([x.lower() for x in top["label"]]), float(top["share_pct"].iloc[0]))
    if len({y for y, _, _ in lead.values()}) == 1 and len(lead) == 2:
        (y, lx, vx), (_, lm, vm) = lead["exports"], lead["imports"]
        said = [
            f"in {y} the largest published category of {name}'s service exports was {lx} ({text.pct(vx)} of "
            f"commercial service exports), and of its imports {lm} ({text.pct(vm)})"
        ]
        title = (
            f"{lx} led both {name}'s service exports and its imports in {y}"
            if lx == lm
            else f"{lx} led {name}'s service exports and {lm} its imports in {y}"
        )
    else:
        said = [
            f"in {y} the largest published category of {name}'s service {flow} was {lab} ({text.pct(v)} of "
            f"commercial service {flow})"
            for flow, (y, lab, v) in lead.items()
        ]
        title = "; ".join(f"{lab} led {name}'s service {flow} in {y}" for flow, (y, lab, _) in lead.items())
    gaps = [f"{flow}: no complete breakdown in {_years(m)}" for flow, m in cov["missing"].items() if m]
    if cov["negative_years"]:
        gaps.append(
            f"negative shares as published in {_years(cov['negative_years'])} "
            f"({text.listing(cov['negative_labels'])}), shown as published"
        )
    md = "; ".join(said)
    md = (
        md[0].upper()
        + md[1:]
        + ". "
        + (
            f"Gaps and oddities in {span}: " + "; ".join(gaps) + "."
            if gaps
            else f"The four category shares are complete for both flows in {span}."
        )
    )
    page.glue_md("comp_md", md)
    rem = an.remainder_summary(comp)
    rem_txt = text.listing([f"{_pct(v)} of {name}'s commercial service {f}" for f, v in rem.items() if v == v])
    page.glue_md("remainder_md", f"The published categories leave on average {rem_txt} in the remainder.")
    fy, flab, fv = lead.get("exports", next(iter(lead.values())))
    flow0 = "exports" if "exports" in lead else "imports"
    page.glue(
        "headline",
        f"In {fy}, {flab} was the largest category of {name}'s service {flow0}, at {text.pct(fv)} "
        f"of commercial service {flow0}.",
    )
    ly = max(y for y, _, _ in lead.values())
    alt_text = (
        f"Stacked bar chart, one bar per year {_span(int(comp['year'].min()), ly)}, of {name}'s commercial "
        f"service exports (upper panel) and imports (lower panel) split into five categories. {md}"
    )
    csv = comp.assign(level_usd_bn=comp["level_usd"] / 1e9)[
        ["iso3", "year", "flow", "label", "share_pct", "level_usd_bn"]
    ].rename(columns={"label": "category"})
    page.figure(
        figs.composition(comp, "share"),
        name="composition-shares",
        title=title[0].upper() + title[1:],
        subtitle="Share of commercial service exports and imports by category, %",
        alt=alt_text,
        data=csv,
        source=f"{WDI_SRC}: transport, travel, insurance & financial, computer, communications & other; "
        "'other' = 100 − their sum",
        note="Negative values are as published by the World Bank." if cov["negative_years"] else None,
    )
    lv = comp.dropna(subset=["level_usd"])
    if lv.empty:
        _no_figure(
            page, "composition-levels", f"No total services values for {name} in {span}: levels cannot be shown."
        )
        return
    ly = int(lv["year"].max())
    tot = lv[(lv["year"] == ly)].groupby("flow")["level_usd"].sum()
    t2 = f"{name}'s service " + " and ".join(f"{f} were {text.usd_bn(v / 1e9)}" for f, v in tot.items()) + f" in {ly}"
    page.figure(
        figs.composition(lv, "level"),
        name="composition-levels",
        title=t2,
        subtitle="US$ billion, current prices (category share × total services: an approximation)",
        source=f"{WDI_SRC}: shares as above × total services",
        data=csv[csv["level_usd_bn"].notna()],
        alt=f"Stacked bar chart of {name}'s service exports and imports in US$ billion by category, "
        f"{_span(int(lv['year'].min()), ly)}. {t2}.",
    )


def groups(page, r: Structure, gs: pd.DataFrame, dds: pd.DataFrame, ict: pd.DataFrame) -> None:
    """Traditional and modern shares, with the digitally deliverable and ICT shares, in one figure."""
    name = r.name

    def share(flow, group, year):
        v = gs[(gs["flow"] == flow) & (gs["group"] == group) & (gs["year"] == year)]["share_pct"]
        return float(v.iloc[0]) if len(v) else float("nan")

    parts = []
    gx = gs[gs["flow"] == "exports"]
    if not gx.empty:
        y0, y1 = int(gx["year"].min()), int(gx["year"].max())
        t0, t1, m0, m1 = (share("exports", g, y) for g in ("traditional", "modern") for y in (y0, y1))
        if y0 == y1:
            parts.append(
                f"Traditional services (transport and travel) made up {_pct(t1)} of {name}'s commercial "
                f"service exports in {y1} and modern services (insurance & financial plus computer, "
                f"communications & other) {_pct(m1)}"
            )
            title = f"{name}: traditional services were {_pct(t1, 0)} of service exports in {y1}"
        else:
            parts.append(
                f"Traditional services (transport and travel) made up {_pct(t0)} of {name}'s commercial "
                f"service exports in {y0} and {_pct(t1)} in {y1}; modern services (insurance & financial "
                f"plus computer, communications & other) {_pct(m0)} and {_pct(m1)}"
            )
            move = (
                f"stayed near {_pct(t1, 0)}"
                if _pct(t0, 0) == _pct(t1, 0)
                else f"{'fell' if t1 < t0 else 'rose'} from {_pct(t0, 0)} to {_pct(t1, 0)}"
            )
            title = f"{name}: the traditional share of service exports {move} ({y0}–{y1})"
    gm = gs[gs["flow"] == "imports"]
    if not gm.empty:
        ym = int(gm["year"].max())
        parts.append(
            f"on the import side traditional services were {_pct(share('imports', 'traditional', ym))} in {ym}"
        )
    dx = dds[dds["flow"] == "exports"]
    parts.append(
        f"digitally deliverable services were {text.pct(dx['share_pct'].iloc[-1])} of {name}'s service exports in "
        f"{int(dx['year'].iloc[-1])} (UNCTAD over WDI)"
        if not dx.empty
        else f"UNCTAD has no digitally deliverable exports of {name} in the window"
    )
    parts.append(
        f"ICT services {text.pct(ict['share_pct'].iloc[-1])} in {int(ict['year'].iloc[-1])}"
        if not ict.empty
        else f"WDI has no ICT share of {name}'s service exports in the window"
    )
    md = "; ".join(parts)
    page.glue_md("trad_md", md[0].upper() + md[1:] + ".")
    if gs.empty and dds.empty and ict.empty:
        _no_figure(
            page,
            "traditional-modern",
            f"No composition, digitally deliverable or ICT shares for {name} in this window.",
        )
        return
    if gx.empty:
        title = f"{name}: digitally deliverable and ICT shares of services (no category breakdown in the data)"
    data = pd.concat(
        [
            gs.assign(series=gs["group"].map(figs.GROUP_LABELS)),
            dds.assign(series=figs.DDS_LABEL),
            ict.assign(series=figs.ICT_LABEL, flow="exports"),
        ],
        ignore_index=True,
    )
    page.figure(
        figs.groups(gs, dds, ict),
        name="traditional-modern",
        title=title,
        subtitle="% of services; WDI shares are of commercial services, the digitally deliverable share is "
        "UNCTAD over WDI totals",
        source=f"{WDI_SRC}; {UNCTAD_SRC}",
        alt=f"Line chart of {name}'s services shares in % by year, exports above imports. {md}.",
        data=data[["year", "flow", "series", "share_pct"]],
    )


def balance(page, r: Structure, bal: pd.DataFrame) -> None:
    """The services balance by category (one figure); sign words from the data."""
    name = r.name
    if bal.empty:
        page.glue_md(
            "balance_md",
            f"Category balances need a complete breakdown of both flows; the data have none "
            f"for {name} in {_span(*r.years)}.",
        )
        _no_figure(page, "balance-by-category", f"No category balances for {name} in this window.")
        return
    ly = int(bal["year"].max())
    b = bal[bal["year"] == ly]
    total = b["balance_usd"].sum()
    kind = "surplus" if total > 0 else "deficit" if total < 0 else "balance of zero"
    debit, credit = b[b["balance_usd"] < 0], b[b["balance_usd"] > 0]
    worst = debit.loc[debit["balance_usd"].idxmin()] if len(debit) else None
    best = credit.loc[credit["balance_usd"].idxmax()] if len(credit) else None
    trav = b.loc[b["category"].isin(["transport", "travel"]), "balance_usd"].sum()
    years_sign = bal.groupby("year")["balance_usd"].sum()
    deficits, surpluses = list(years_sign.index[years_sign < 0]), list(years_sign.index[years_sign > 0])
    md = (
        f"In {ly} {name}'s services balance was "
        + (f"a {kind} of {text.usd_bn(abs(total) / 1e9)}" if total else kind)
        + ". "
        + (
            f"The largest net debit was in “{worst['label'].lower()}” ({_net(worst['balance_usd'])})"
            if worst is not None
            else "No category was in net debit"
        )
        + (
            f", the largest net credit in “{best['label'].lower()}” ({_net(best['balance_usd'])})"
            if best is not None
            else "; no category was in net credit"
        )
        + f". Transport and travel together: {_net(trav)}."
    )
    if len(years_sign) > 1:
        md += (
            " Across the years with a breakdown the balance was "
            + (
                f"in deficit every year ({_years(deficits)})"
                if not surpluses
                else f"in surplus every year ({_years(surpluses)})"
                if not deficits
                else f"in deficit in {_years(deficits)} and in surplus in {_years(surpluses)}"
            )
            + "."
        )
    page.glue_md("balance_md", md)
    title = (
        f"{name}: services {kind} of {text.usd_bn(abs(total) / 1e9)} in {ly}"
        if total
        else f"{name}: services balance of zero in {ly}"
    ) + (f"; {worst['label'].lower()} was the largest net debit" if worst is not None else "; no category in net debit")
    d = bal.assign(balance_usd_bn=bal["balance_usd"] / 1e9)[["iso3", "year", "label", "balance_usd_bn"]]
    page.figure(
        figs.balance(bal),
        name="balance-by-category",
        title=title,
        subtitle="Exports − imports by category, US$ billion; diamonds: total services balance",
        source=f"{WDI_SRC} (shares × totals)",
        data=d,
        alt=(
            f"Stacked bars of {name}'s services balance by category in US$ billion per year "
            f"{_span(int(bal['year'].min()), ly)}, above zero for net credits and below for net debits, with "
            f"the total balance as a line. {md}"
        ),
    )


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


def china_sectors(page, r: Structure, d: pd.DataFrame) -> None:
    """China's digitally delivered balance by WTO sub-sector in the window (WTO splits China only)."""
    if d.empty:
        cov = (int(r.wto_2026["year"].min()), int(r.wto_2026["year"].max()))
        page.glue_md("sector_md", f"WTO's sub-sector file covers {cov[0]}–{cov[1]}, outside this window.")
        _no_figure(page, "china-dds-sectors", "The WTO sub-sector file has no years in this window.")
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
        f"({_net(pos['balance'] * 1e6)}), the largest net debit in “{neg['sector']}” ({_net(neg['balance'] * 1e6)})."
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
            f"sub-sector, US$ billion, {_span(y0, int(d['year'].max()))}, with the total as a line. {md}"
        ),
        note=(f"WTO flags a series break in {_years(brk)}. " if brk else "") + "The sub-sector split exists "
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


def knowledge(page, r: Structure, proxies: pd.DataFrame, points: pd.DataFrame) -> None:
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
        _no_figure(page, "knowledge-proxies", "No proxy can be computed for China in this window.")
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


# --------------------------------------------------------------------------- across the RCEP members


def rcep_dds(page, r: Structure, share: pd.DataFrame) -> None:
    """Digitally deliverable share of service exports across members (two figures), the focus highlighted."""
    name = r.name
    year, missing = an.latest_common_year(share, r.members)
    if year is None:
        cov = (int(r.unctad["year"].min()), int(r.unctad["year"].max()))
        page.glue_md(
            "dds_md",
            f"No member, {name} included, has a digitally deliverable share in this window: "
            f"UNCTAD's digitally deliverable trade covers {cov[0]}–{cov[1]}.",
        )
        _no_figure(page, "dds-share-members", "No member has a digitally deliverable share in this window.")
        _no_figure(page, "dds-share-over-time", "No member has a digitally deliverable share in this window.")
        return
    s = share[share["year"] == year].sort_values("share_pct", ascending=False).reset_index(drop=True)
    me = s.index[s["iso3"] == r.country]
    rank = s["share_pct"].rank(ascending=False, method="min")
    focus = (
        f"{name} ranked {text.rank_phrase(rank[me[0]], len(s), int((rank == rank[me[0]]).sum()))} with "
        f"{text.pct(s.loc[me[0], 'share_pct'])}"
        if len(me)
        else f"{name} has no value that year"
    )
    miss = (
        f" Not reported that year: {text.listing(list(datastore.display_names(missing).values()))}." if missing else ""
    )
    md = (
        f"In {year}, the latest year with the widest coverage, the digitally deliverable share of service exports: "
        + text.highest_lowest(list(zip(s["economy"], s["share_pct"])), text.pct)
        + f"; {focus}.{miss}"
    )
    page.glue_md("dds_md", md)
    d = an.dumbbell_frame(share, year)
    lead = s.iloc[0]
    title = (
        f"{name} ranked {text.rank_phrase(rank[me[0]], len(s))} members by digitally deliverable share of service "
        f"exports in {year}"
        if len(me)
        else f"Highest digitally deliverable share of service exports in {year}: {lead['economy']} "
        f"({text.pct(lead['share_pct'], 0)})"
    )
    page.figure(
        figs.dumbbell(d, x_title="% of service exports", focus=name),
        name="dds-share-members",
        title=title,
        subtitle=f"Digitally deliverable services exports (UNCTAD) as % of service exports (WDI); circle: "
        f"{year}, the latest common year; diamond: latest year available",
        source=f"{UNCTAD_SRC}; {WDI_SRC}",
        data=d,
        alt=(
            f"Dot chart, one row per RCEP member, {name} highlighted: digitally deliverable share of service "
            f"exports in {year} (circle) and in the member's latest year (diamond, labelled). {md}"
        ),
        note="Two sources: UNCTAD's digitally deliverable exports over WDI's balance-of-payments totals.",
    )
    ups, n = an.first_last_change(share, "share_pct")
    t2 = (
        f"The digitally deliverable share rose in {ups} of {n} members between their first and last years shown"
        if n
        else f"Digitally deliverable share of service exports, {year}"
    )
    page.figure(
        figs.focus_lines(share, "share_pct", y_title="% of service exports", focus=name, fmt=",.1f"),
        name="dds-share-over-time",
        title=t2,
        subtitle=f"Digitally deliverable share of service exports, %; {name} highlighted, the other members in grey",
        source=f"{UNCTAD_SRC}; {WDI_SRC}",
        alt=(
            f"Line chart, one line per RCEP member, of the digitally deliverable share of service exports, "
            f"{_span(int(share['year'].min()), int(share['year'].max()))}; {name} highlighted. {t2}."
        ),
        data=share[["iso3", "economy", "year", "share_pct"]],
    )


RCA_WORDS = {an.RCA_ICT: "ICT services", an.RCA_DDS: "digitally deliverable services"}


def rca(page, r: Structure, rca_panel: pd.DataFrame) -> None:
    """Revealed comparative advantage in ICT and in digitally deliverable services (one figure each)."""
    for measure, key in ((an.RCA_ICT, "ict"), (an.RCA_DDS, "dds")):
        d = rca_panel[rca_panel["measure"] == measure]
        words = RCA_WORDS[measure]
        if d.empty:
            page.glue_md(
                f"rca_{key}_md",
                f"No index in {words} can be computed in this window, for {r.name} or any other member.",
            )
            _no_figure(page, f"rca-{key}", f"No revealed comparative advantage in {words} in this window.")
            continue
        ly = int(d["year"].max())
        last = d[d["year"] == ly]
        above = sorted(last.loc[last["rca"] > 1, "economy"])
        me = d[d["iso3"] == r.country].sort_values("year")
        mine = (
            f"{r.name}'s index was {text.num(me['rca'].iloc[-1], 2)} in {int(me['year'].iloc[-1])}"
            if len(me) == 1
            else f"{r.name}'s index moved from {text.num(me['rca'].iloc[0], 2)} in {int(me['year'].iloc[0])} to "
            f"{text.num(me['rca'].iloc[-1], 2)} in {int(me['year'].iloc[-1])}"
            if len(me)
            else f"{r.name} has no value in the window"
        )
        md = (
            f"In {ly}, {len(above)} of the {last['iso3'].nunique()} members with data had a revealed comparative "
            f"advantage in {words} (index above one)" + (f": {text.listing(above)}" if above else "") + f". {mine}."
        )
        page.glue_md(f"rca_{key}_md", md)
        title = f"{len(above)} of {last['iso3'].nunique()} members had an index above one in {words} in {ly}"
        page.figure(
            figs.focus_lines(d, "rca", y_title="RCA", focus=r.name, reference=1.0),
            name=f"rca-{key}",
            title=title,
            subtitle=f"Balassa index of revealed comparative advantage in {words} (1 = world "
            f"average, dashed); {r.name} highlighted",
            source=f"{WDI_SRC}; {UNCTAD_SRC}",
            alt=f"Line chart, one line per member, of the Balassa index in {words}, {r.name} highlighted. {md}",
            data=d[["iso3", "economy", "measure", "year", "rca"]],
        )


# --------------------------------------------------------------------------- key findings


def findings(r: Structure, comp: pd.DataFrame, bal: pd.DataFrame, share: pd.DataFrame, rca_panel: pd.DataFrame) -> list:
    """Three to five one-sentence findings from the computed results, each with the figure it rests on."""
    name, out = r.name, []
    x = comp[(comp["flow"] == "exports") & (comp["category"] != an.OTHER.key)]
    if not x.empty:
        y = int(x["year"].max())
        top = x[x["year"] == y].sort_values("share_pct").iloc[-1]
        out.append(
            (
                f"{top['label']} was the largest category of {name}'s commercial service exports in {y}, at "
                f"{text.pct(top['share_pct'])}.",
                "composition-shares",
            )
        )
    else:
        out.append(f"WDI has no breakdown of {name}'s service exports by category in {_span(*r.years)}.")
    if not bal.empty:
        ly = int(bal["year"].max())
        b = bal[bal["year"] == ly]
        total = b["balance_usd"].sum()
        debit = b[b["balance_usd"] < 0]
        out.append(
            (
                f"{name}'s services balance in {ly} was "
                + (f"a {'surplus' if total > 0 else 'deficit'} of {text.usd_bn(abs(total) / 1e9)}" if total else "zero")
                + (
                    f", with the largest net debit in {debit.loc[debit['balance_usd'].idxmin(), 'label'].lower()}."
                    if len(debit)
                    else ", with no category in net debit."
                ),
                "balance-by-category",
            )
        )
    year, _ = an.latest_common_year(share, r.members)
    if year is not None:
        s = share[share["year"] == year]
        rank = s["share_pct"].rank(ascending=False, method="min")
        me = s[s["iso3"] == r.country]
        if len(me) and len(s) > 1:
            out.append(
                (
                    f"{name} ranked {text.rank_phrase(rank[me.index[0]], len(s))} RCEP members by the digitally "
                    f"deliverable share of its service exports in {year} ({text.pct(me['share_pct'].iloc[0])}).",
                    "dds-share-members",
                )
            )
    ict = rca_panel[rca_panel["measure"] == an.RCA_ICT]
    if not ict.empty:
        ly = int(ict["year"].max())
        last = ict[ict["year"] == ly]
        me = last[last["iso3"] == r.country]
        out.append(
            (
                f"In {ly}, {int((last['rca'] > 1).sum())} of {len(last)} members had a revealed comparative "
                "advantage in ICT services"
                + (
                    f"; {name}'s index was {text.num(me['rca'].iloc[0], 2)}."
                    if len(me)
                    else f"; {name} has no index that year."
                ),
                "rca-ict",
            )
        )
    res = [claims.check(c).status for g in checks.CLAIM_GROUPS.values() for c in g]
    out.append(
        (
            f"Of the {len(res)} figures the seeds give on the structure of China's services trade, "
            f"{res.count(claims.CONSISTENT)} agree with the data, {res.count(claims.INCONSISTENT)} do not and "
            f"{res.count(claims.NOT_CHECKABLE_STATUS)} cannot be checked.",
            "tbl-claims-traditional",
        )
    )
    # plain sentences: a (sentence, figure) link does not resolve in the glued block (myst.xref_missing under -W)
    return [f if isinstance(f, str) else f[0] for f in out[:5]]
