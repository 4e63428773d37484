"""The introduction: its chart and sentence follow the computed series, whichever grew most."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.analysis import trends
from helpers.book.chapters import intro
from tests.fakes import FakePage


def _render(r: intro.Intro) -> FakePage:
    page = FakePage()
    intro.world_exports(page, r, trends.deflate(r.nominal, r.cpi, r.last))
    return page


def test_the_sentence_and_the_title_follow_the_data():
    r = intro.prepare({})
    page = _render(r)
    nominal = r.nominal.iloc[-1] / r.nominal.iloc[0]
    lead = nominal.idxmax()
    text = page.glued["exports_summary"]
    assert text.startswith(
        f"From {r.nominal.index.min()} to {r.last}, world exports of {intro.LABELS[lead].lower()} "
        f"multiplied by {nominal[lead]:.1f}"
    )
    assert page.figures["world-exports"]["title"].startswith(f"World exports of {intro.LABELS[lead].lower()}")
    real = trends.deflate(r.nominal, r.cpi, r.last)
    assert f"(by {(real.iloc[-1] / real.iloc[0])[lead]:.1f} in {r.last} dollars)" in text


def test_another_leader_gets_another_sentence():
    years = [2010, 2011]
    r = intro.Intro(
        nominal=pd.DataFrame(
            {"goods": [10.0, 40.0], "services": [5.0, 10.0], "dds": [1.0, 1.5]}, index=pd.Index(years, name="year")
        ),
        cpi=pd.Series({2010: 100.0, 2011: 200.0}),
    )
    page = _render(r)
    assert page.glued["exports_summary"] == (
        "From 2010 to 2011, world exports of goods multiplied by 4.0 in current "
        "dollars (by 2.0 in 2011 dollars), services by 2.0 (1.0) and digitally "
        "delivered services by 1.5 (0.8)."
    )
    data = page.figures["world-exports"]["data"]
    real_goods = data[(data["series"] == "Goods") & (data["measure"] == "US$ of 2011 (real)")]["value_trn"]
    assert real_goods.tolist() == pytest.approx([0.02, 0.04])  # 2010 at 2011 prices: doubled, as the index did
