"""Sections of the "<focus>'s scale" chapter on the seeds' figures about China, checked: services, digital, yuan."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.analysis import scale
from helpers.book.chapters.china_scale_labels import SRC_SEEDS, SRC_UNCTAD, SRC_WDI, world_share
from helpers.claims import core as claims
from helpers.claims.checks import china_scale as checks
from helpers.text import listing, num, pct, seed_name, usd_bn

# --------------------------------------------------------------------------- the seeds' figures on China's services trade


def china_services_claims(page, chn: pd.DataFrame) -> None:
    """The study's and the first policy article's figures on China's services trade, checked (China's data)."""
    st = chn
    ft = checks.china_foreign_trade(2023)
    r = {cid: claims.check(cid) for cid in checks.SERVICES_CLAIMS}
    s84, s61 = claims.claim("S000-084"), claims.claim("S000-061")
    s07 = claims.compare(s84, st.loc[2007, "total_bn"], method="", source="").status
    s21 = claims.compare(s84, st.loc[2021, "total_bn"], method="", source="", end=True).status
    side = "below" if r["S000-062"].computed < r["S000-062"].stated else "above"
    md = (
        f"By WDI's balance-of-payments data, China's services trade grew from {usd_bn(st.loc[2009, 'total_bn'])} "
        f"in 2009 to {usd_bn(st.loc[2023, 'total_bn'])} in 2023, "
        f"×{st.loc[2023, 'total_bn'] / st.loc[2009, 'total_bn']:.2f} or {pct(r['S000-060'].computed, 2)} a year: the "
        f"study's *more than twice* is **{r['S000-059'].status}** and its average growth rate "
        f"**{r['S000-060'].status}**. For the level of 2023, WDI's {usd_bn(r['S000-062'].computed)} is "
        f"{side} the stated *above US$ {num(r['S000-062'].stated, 0)} billion* (**{r['S000-062'].status}**). China's "
        f"share of world services trade was {world_share(st.loc[2009, 'share_world_pct'])} in 2009 and "
        f"{world_share(st.loc[2023, 'share_world_pct'])} in 2023, against the stated {pct(float(s61['value']), 2)} and "
        f"{pct(float(s61['value_end']), 2)} (**{r['S000-061'].status}**). Services were "
        f"{pct(ft['share_merch_basis_pct'], 1)} of China's foreign trade in 2023 on the merchandise-trade basis and "
        f"{pct(ft['share_na_basis_pct'], 1)} on the national-accounts basis, against the stated "
        f"{pct(r['S000-063'].stated, 1)} (**{r['S000-063'].status}**); the study's figure most likely comes from "
        "China's own statistics in yuan (customs goods trade plus Ministry of Commerce services trade), which `data/` "
        f"does not hold. The study's 2007 level is **{s07}** with WDI and its 2021 level **{s21}** (WDI: "
        f"{usd_bn(st.loc[2021, 'total_bn'])}); the average growth of {pct(r['S000-003'].stated, 1)} a year "
        f"for 2012–2023 that the study takes from the Ministry of Commerce compares with {pct(r['S000-003'].computed, 1)} "
        f"in WDI (**{r['S000-003'].status}**)."
    )
    bp = scale.balance_path(st.reset_index())
    if bp["widest_year"] is None:
        turn = "was never in deficit in the data"
    elif bp["narrowest_after_year"] is None:
        turn = f"was at its widest in {bp['widest_year']}, the latest year ({usd_bn(-bp['widest'])})"
    elif bp["narrowest_after_year"] == bp["last_year"]:
        turn = (
            f"narrowed from {usd_bn(-bp['widest'])} in {bp['widest_year']}, its widest, to "
            f"{usd_bn(-bp['last'])} in {bp['last_year']}"
        )
    else:
        turn = (
            f"narrowed from its widest point in {bp['widest_year']} ({usd_bn(-bp['widest'])}) until "
            f"{bp['narrowest_after_year']} and then widened again to {usd_bn(-bp['last'])} in {bp['last_year']}"
        )
    md += (
        "\n\nThe first policy article, which carries no date, adds that China's services trade \"now ranks second "
        'globally" and grew at given rates in "recent data". Without a date none of this can be checked without '
        "picking the year that fits; the table of its claims below says what the nearest data show. Its remark that the services "
        f'deficit "continues to narrow" can at least be set against WDI: the deficit {turn}.'
    )
    page.glue_md("chn_services_md", md)
    claims.show(
        page,
        list(checks.SERVICES_CLAIMS),
        name="claims-services",
        caption="The study's figures on China's services trade, checked against WDI",
    )
    claims.show(
        page,
        list(checks.ARTICLE_CLAIMS),
        name="claims-article",
        caption="The first policy article (undated) on China's services trade",
        collapsed=True,
    )


# --------------------------------------------------------------------------- the seeds' figures on China's digital trade


def china_digital_claims(page, seed: pd.DataFrame, implied: pd.DataFrame, sub: pd.DataFrame) -> None:
    """China only: the seeds' series, the growth they imply, the sub-sectors, the yuan figures, the verdicts."""
    u, w = checks.china_unctad(), checks.china_wto()
    sd = scale.seed_vs_data(seed, checks.china_trade(), u)
    who = seed.assign(who=seed["seed"].map(seed_name))
    tab = pd.DataFrame(
        {
            "Year": seed["year"],
            "Stated by": who["who"],
            "Term used": seed["term"],
            "Stated (US$ bn)": seed["value_bn"],
            "Stated share of services trade (%)": seed["share_pct"],
            "Services trade implied by the two (US$ bn)": seed["implied_services_bn"],
            "WDI services trade (US$ bn)": sd["wdi_total_bn"],
            "UNCTAD deliverable trade (US$ bn)": sd["unctad_total_bn"],
        }
    )
    terms = who.groupby("who")["term"].agg(lambda t: listing([f"'{x}'" for x in dict.fromkeys(t.dropna())]))
    page.table(
        tab,
        name="seed-digital-series",
        caption="China's digital trade as the seeds state it, and what the data say for the same years",
        source=f"{SRC_SEEDS}; {SRC_WDI}; {SRC_UNCTAD}",
        formats={c: ",.2f" for c in tab.columns if "US$" in c} | {"Stated share of services trade (%)": ".1f"},
        note="The seeds' terms differ: "
        + listing([f"{v} ({k})" for k, v in terms.items()])
        + ". Level ÷ share gives the services trade each figure assumes.",
    )
    tab2 = pd.DataFrame(
        {
            "From": implied["from"],
            "To": implied["to"],
            "From (US$ bn)": implied["from_bn"],
            "To (US$ bn)": implied["to_bn"],
            "Implied growth a year (%)": implied["cagr_pct"],
            "Implied total change (%)": implied["change_pct"],
            "Same source and term": np.where(implied["same_source"], "yes", "no: mixes terms or sources"),
        }
    )
    page.table(
        tab2,
        name="seed-implied-growth",
        caption="Growth implied by the seeds' own levels",
        source=SRC_SEEDS,
        formats={
            "From (US$ bn)": ",.2f",
            "To (US$ bn)": ",.2f",
            "Implied growth a year (%)": "+.2f",
            "Implied total change (%)": "+.1f",
        },
    )
    tab3 = pd.DataFrame(
        {
            "Sub-sector": sub["sector"],
            "Claim": sub["code"].map(checks.SUBSECTOR_CLAIMS),
            "Stated (%)": [claims.stated(checks.SUBSECTOR_CLAIMS[c]) for c in sub["code"]],
            "Exports (%)": sub["exports"],
            "Imports (%)": sub["imports"],
            "Exports + imports (%)": sub["total"],
        }
    )
    y0, y1 = sub.attrs["years"]
    page.table(
        tab3,
        name="subsector-growth",
        caption=f"China's digitally delivered services by sub-sector: average "
        f"annual growth over the period the seeds state, {y0}–{y1} (WTO), by flow",
        source="data/wto_dds_2026.csv (WTO); data/claims.csv",
        formats={c: ".1f" for c in tab3.columns if c.endswith("(%)")},
        note=(
            "WTO flags a series break in " + listing([str(b) for b in sub.attrs["breaks"]]) + " inside the period."
            if sub.attrs["breaks"]
            else None
        ),
    )
    r = {cid: claims.check(cid) for cid in checks.DIGITAL_CLAIMS}
    rep = checks.subsector_reproduced(sub)
    g23 = 100 * (r["S000-075"].stated / w.loc[2023, "total_bn"] - 1)
    gu = 100 * (r["S000-075"].stated / u.loc[2023, "total_bn"] - 1)
    g24 = 100 * (r["S000-075"].stated / w.loc[2024, "total_bn"] - 1) if 2024 in w.index else np.nan
    closer = (
        [
            f"UNCTAD's digitally *deliverable* trade for 2023 ({usd_bn(u.loc[2023, 'total_bn'])}, "
            f"{pct(gu, 1, sign=True)})"
        ]
        if abs(gu) < abs(g23)
        else []
    )
    closer += (
        [f"WTO's value for 2024 ({usd_bn(w.loc[2024, 'total_bn'])}, {pct(g24, 1, sign=True)})"]
        if not np.isnan(g24) and abs(g24) < abs(g23)
        else []
    )
    dev = sd.set_index("year")["implied_vs_wdi_pct"].dropna()
    close = [str(y) for y, d in dev.items() if abs(d) <= 0.5]
    far = [f"{y} ({pct(d, 1, sign=True)})" for y, d in dev.items() if abs(d) > 0.5]
    pairs = listing(
        [
            f"{int(a)}→{int(b)} {pct(g, 1, sign=True)} a year"
            for a, b, g in implied.iloc[:-1][["from", "to", "cagr_pct"]].itertuples(index=False)
        ]
    )
    brk = sub.attrs["breaks"]
    md = (
        f"The seeds' series mixes terms and sources; the growth it implies between consecutive points is {pairs}. "
        "Dividing each level by its stated share gives the services trade the figure assumes: "
        + (
            f"within half a percent of WDI's balance-of-payments total in {listing(close)}"
            if close
            else "never within half a percent of WDI's total"
        )
        + (f", but above it in {listing(far)}, where a larger services total was used" if far else "")
        + ". "
        f"Checked against the seeds' own levels, the {pct(r['S003-017'].stated, 1)} a year from 2011 to 2020 is "
        f"**{r['S003-017'].status}**, the total change from 2015 to 2020 **{r['S003-007'].status}**, and *basically "
        f"doubled* **{r['S003-015'].status}** (the levels give ×{r['S003-015'].computed:.2f}). Against UNCTAD's "
        f"digitally deliverable trade, the levels for 2011 and 2020 are **{r['S003-016'].status}** and those for 2015 "
        f"and 2020 **{r['S003-006'].status}** (the 2015 figure is "
        f"{pct(100 * (claims.stated('S003-006') / u.loc[2015, 'total_bn'] - 1), 1, sign=True)} off). For 2023, the "
        f"study's {usd_bn(r['S000-075'].stated)} of *digitally delivered* services is {pct(g23, 1, sign=True)} off "
        f"WTO's estimate for the same concept (**{r['S000-075'].status}**), and its growth rate compares with WTO's "
        f"{pct(r['S000-076'].computed, 1, sign=True)} (**{r['S000-076'].status}**)"
        + (("; closer to the stated figure are " + listing(closer)) if closer else "")
        + ". "
        f"Of the three sub-sector growth rates, WTO's export series reproduces {rep['exports']} (intellectual "
        f"property **{r['S003-020'].status}**, financial services **{r['S003-021'].status}**, ICT services "
        f"**{r['S003-022'].status}**)"
        + (f", across a series break in {listing([str(b) for b in brk])}" if brk else "")
        + ". The yuan figures stay unchecked: `data/` holds no exchange rate, and a growth rate in yuan is not a "
        "growth rate in US$."
    )
    page.glue_md("chn_digital_md", md)
    claims.show(
        page,
        list(checks.DIGITAL_CLAIMS),
        name="claims-digital",
        caption="The seeds' figures on China's digital trade, checked against their own levels, UNCTAD and WTO",
    )


def china_yuan_claims(page, yuan: pd.DataFrame) -> None:
    """The figures in yuan, as stated, and the claims no table in data/ can check."""
    tab = pd.DataFrame(
        {
            "What": yuan["series_label"].str.replace(r"\s*\(seed \d{3}[^)]*\)", "", regex=True),
            "Year": yuan["year"],
            "Stated": yuan["value"],
            "Unit": yuan["unit"].map({"cny_trn": "trillion yuan", "percent": "%"}).fillna(yuan["unit"]),
            "Stated by": yuan["seed"].map(seed_name),
            "Claim": yuan["claim_id"],
        }
    )
    page.table(
        tab,
        name="yuan-figures",
        caption="The seeds' figures in yuan, as stated (not converted: data/ has no exchange-rate table)",
        source="data/seed_values.csv",
    )
    claims.show(
        page,
        list(checks.YUAN_CLAIMS),
        name="claims-yuan",
        caption="Figures in yuan, on cross-border e-commerce, or enumerations: not checkable with data/",
        collapsed=True,
    )
