"""Claim checks of the ai_infrastructure chapter: China's computing power, the digital technology development
index, and the digital-economy figures no table in ``data/`` measures (declared not checkable, with the reason)."""

from __future__ import annotations

import pandas as pd

from helpers import text
from helpers.analysis import infrastructure as infra
from helpers.claims import core as claims
from helpers.data import datastore as ds

STATEMENTS_SOURCE = "official statements as reported (data/china_computing_power.csv)"


def last_digit_unit(value: float) -> float:
    """Unit of the last significant digit of a stated figure: 780000 -> 10000; 788 -> 1; 2.5 -> 0.1."""
    v = float(value)
    if v == 0:
        raise ValueError("zero has no last significant digit")
    s = f"{v:.10g}"
    if "e" in s:
        mant, exp = s.split("e")
        decimals = len(mant.split(".")[1]) if "." in mant else 0
        return 10.0 ** (int(exp) - decimals)
    if "." in s:
        return 10.0 ** -len(s.split(".")[1])
    digits = s.lstrip("-")
    return 10.0 ** (len(digits) - len(digits.rstrip("0")))


@claims.register("S000-078")
def check_intelligent_computing(row: pd.Series) -> claims.Result:
    """The seed's figure against the one independent statement on intelligent computing in data/, judged by
    the one rule (the rounding of the seed's figure); the method says how weak the comparison is."""
    c = ds.load_table("china_computing_power")
    ic = c[c["metric"].str.lower().str.contains("intelligent")]
    if ic.empty:
        return claims.unverifiable(row, "no statement on intelligent computing capacity in data/")
    r = ic.iloc[-1]
    indep = infra.to_eflops(r["value"], r["unit"])
    diff = 100 * (indep / float(row["value"]) - 1)
    d_ind, _ = infra.period_date(str(r["reference_period"]))
    d_claim, _ = infra.period_date(str(row["year"]))
    gap = ""
    if d_ind and d_claim:
        months = infra.months_between(d_claim, d_ind)
        gap = (
            (
                f"a reference date {abs(months)} month{'s' if abs(months) != 1 else ''} "
                f"{'later' if months > 0 else 'earlier'}, "
            )
            if months
            else "the same reference month, "
        )
    digits = f"{float(r['value']):.10g}".rstrip("0").replace(".", "").lstrip("-0")
    unit = last_digit_unit(r["value"]) * infra.to_eflops(1.0, r["unit"])
    inside = abs(float(row["value"]) - indep) <= unit / 2
    method = (
        f"independent statement: {r['reporting_body']}, {r['reference_period']}: "
        f"{text.num(float(r['value']), 0)} {r['unit']} = {text.num(indep, 0)} EFLOPS "
        f"({text.pct(diff, 1, sign=True)} against the claim). How sure: low — a different body (the seed cites "
        f"CAICT), {gap}no precision (FP16) stated, and the figure is given to {len(digits)} significant "
        f"figures. Even read as rounded to the nearest {text.num(unit, 0)} EFLOPS (±{text.num(unit / 2, 0)}), "
        f"it would {'contain' if inside else 'not contain'} the claim"
    )
    return claims.compare(row, indep, method=method, source=STATEMENTS_SOURCE)


@claims.register("S000-082")
def check_dtdi_growth(row: pd.Series) -> claims.Result:
    return claims.change_from_claims(row, "S000-081", "S000-081", last_end=True)


claims.not_checkable(
    "the national hub nodes and their share of intelligent computing are not in any table in data/ (the only "
    "statement on intelligent computing is a national total)",
    "S000-079",
    "S000-080",
)
claims.not_checkable(
    "the index comes from the study the seed cites [10]; no table in data/ has it. Its internal consistency with the "
    "stated growth is checked under S000-082",
    "S000-081",
)
claims.not_checkable(
    "the sample countries of the cited study are not listed and their index values are not in data/", "S000-083"
)
claims.not_checkable(
    "no table in data/ measures the size of China's digital economy (a CAICT estimate in yuan)", "S000-053"
)
claims.not_checkable("no table in data/ measures the size of China's digital economy, in 2012 or any year", "S000-054")
claims.not_checkable("no table in data/ counts 5G base stations", "S000-055")
claims.not_checkable("no table in data/ counts mobile payment users", "S000-056")
claims.not_checkable("no table in data/ ranks economies by the size of their digital economy", "S002-006")
claims.not_checkable("no table in data/ measures the digital economy's share of GDP", "S003-001")
