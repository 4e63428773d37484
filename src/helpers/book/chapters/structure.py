"""The sections of the "Structure of <focus>'s services trade" chapter: sentences, figures and tables.

The notebook computes with :mod:`helpers.analysis.structure` in each section cell and hands the result to
one function here, which glues the sentences (built from the computed facts, with their own wording for a
surplus, one year, one member, missing data...) and shows the figures and tables. The seeds' claims are
about China: those sections say "China" and use China's data whatever the focus economy.

The sections are spread over sibling modules and re-exported here, so the notebook calls them all on this
module: :mod:`~helpers.book.chapters.structure_china` (China's sub-sectors and the seeds' claims) and
:mod:`~helpers.book.chapters.structure_rcep` (the comparison across the RCEP members).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from helpers import text
from helpers.analysis import structure as an
from helpers.book.chapters import structure_charts as figs
from helpers.book.chapters.structure_china import (  # noqa: F401  (page sections)
    KNOWLEDGE_CLAIMS,
    china_sectors,
    claims_digital,
    claims_traditional,
    knowledge,
)
from helpers.book.chapters.structure_labels import (
    CHN,
    UNCTAD_SRC,
    WDI_SRC,
    net_words,
    no_figure,
    period,
    prose_pct,
    year_list,
)
from helpers.book.chapters.structure_rcep import rca, rcep_dds  # noqa: F401  (page sections)
from helpers.claims import core as claims
from helpers.claims.checks import structure as checks
from helpers.data import datastore


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
    name, span = r.name, period(*r.years)
    wide = an.wdi_wide(r.wdi, [an.total_code("exports"), an.total_code("imports")], [r.country], r.years)
    cov = an.composition_coverage(comp, wide.dropna(how="all", subset=wide.columns[2:])["year"], r.years)
    if cov["empty"]:
        tot = (
            f"only total service exports and imports ({year_list(cov['totals_years'])})"
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
        no_figure(page, "composition-shares", f"The World Bank data have no category shares for {name} in {span}.")
        no_figure(page, "composition-levels", f"The World Bank data have no category shares for {name} in {span}.")
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
    gaps = [f"{flow}: no complete breakdown in {year_list(m)}" for flow, m in cov["missing"].items() if m]
    if cov["negative_years"]:
        gaps.append(
            f"negative shares as published in {year_list(cov['negative_years'])} "
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
    rem_txt = text.listing([f"{prose_pct(v)} of {name}'s commercial service {f}" for f, v in rem.items() if v == v])
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
        f"Stacked bar chart, one bar per year {period(int(comp['year'].min()), ly)}, of {name}'s commercial "
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
        no_figure(page, "composition-levels", f"No total services values for {name} in {span}: levels cannot be shown.")
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
        f"{period(int(lv['year'].min()), ly)}. {t2}.",
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
                f"Traditional services (transport and travel) made up {prose_pct(t1)} of {name}'s commercial "
                f"service exports in {y1} and modern services (insurance & financial plus computer, "
                f"communications & other) {prose_pct(m1)}"
            )
            title = f"{name}: traditional services were {prose_pct(t1, 0)} of service exports in {y1}"
        else:
            parts.append(
                f"Traditional services (transport and travel) made up {prose_pct(t0)} of {name}'s commercial "
                f"service exports in {y0} and {prose_pct(t1)} in {y1}; modern services (insurance & financial "
                f"plus computer, communications & other) {prose_pct(m0)} and {prose_pct(m1)}"
            )
            move = (
                f"stayed near {prose_pct(t1, 0)}"
                if prose_pct(t0, 0) == prose_pct(t1, 0)
                else f"{'fell' if t1 < t0 else 'rose'} from {prose_pct(t0, 0)} to {prose_pct(t1, 0)}"
            )
            title = f"{name}: the traditional share of service exports {move} ({y0}–{y1})"
    gm = gs[gs["flow"] == "imports"]
    if not gm.empty:
        ym = int(gm["year"].max())
        parts.append(
            f"on the import side traditional services were {prose_pct(share('imports', 'traditional', ym))} in {ym}"
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
        no_figure(
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
            f"for {name} in {period(*r.years)}.",
        )
        no_figure(page, "balance-by-category", f"No category balances for {name} in this window.")
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
            f"The largest net debit was in “{worst['label'].lower()}” ({net_words(worst['balance_usd'])})"
            if worst is not None
            else "No category was in net debit"
        )
        + (
            f", the largest net credit in “{best['label'].lower()}” ({net_words(best['balance_usd'])})"
            if best is not None
            else "; no category was in net credit"
        )
        + f". Transport and travel together: {net_words(trav)}."
    )
    if len(years_sign) > 1:
        md += (
            " Across the years with a breakdown the balance was "
            + (
                f"in deficit every year ({year_list(deficits)})"
                if not surpluses
                else f"in surplus every year ({year_list(surpluses)})"
                if not deficits
                else f"in deficit in {year_list(deficits)} and in surplus in {year_list(surpluses)}"
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
            f"{period(int(bal['year'].min()), ly)}, above zero for net credits and below for net debits, with "
            f"the total balance as a line. {md}"
        ),
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
        out.append(f"WDI has no breakdown of {name}'s service exports by category in {period(*r.years)}.")
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
