"""Figures: offline markup, escaping of data strings, deterministic ids, files for download."""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import pytest

from helpers.book import charts
from helpers.book.page import table_html


def _chart(label="China"):
    df = pd.DataFrame({"year": [2020, 2021], "value": [1.0, 2.0], "who": [label, label]})
    return alt.Chart(df).mark_line().encode(x="year:O", y="value:Q", color="who:N")


def test_figure_markup_is_offline_and_deterministic():
    a = charts.figure_html(_chart(), chapter="demo", name="Test fig", title="Up", subtitle="US$", source="WDI",
                           alt_text="Two points")
    b = charts.figure_html(_chart(), chapter="demo", name="Test fig", title="Up", subtitle="US$", source="WDI",
                           alt_text="Two points")
    assert a == b
    assert 'id="vg-demo-test-fig"' in a and 'data-spec="spec-demo-test-fig"' in a
    assert "cdn" not in a and "<script src" not in a
    assert "Source: WDI" in a and 'download>Download the data (CSV)' in a and "<noscript><img" in a


def test_strings_from_data_cannot_break_out_of_the_spec():
    evil = "</script><script>alert(1)</script>"
    html = charts.figure_html(_chart(evil), chapter="demo", name="x", title="t", subtitle="s", source="<b>src</b>",
                              alt_text='a "quoted" <alt>')
    assert "<script>alert(1)" not in html
    assert "&lt;b&gt;src&lt;/b&gt;" in html
    spec_text = re.search(r'<script type="application/json" id="spec-demo-x">(.*?)</script>', html, re.S).group(1)
    spec = json.loads(spec_text)
    values = next(iter(spec["datasets"].values()))
    assert values[0]["who"] == evil  # the label survives as data, shown as text by Vega


def test_alt_text_is_required():
    with pytest.raises(ValueError, match="alt text"):
        charts.figure_html(_chart(), chapter="demo", name="x", title="t", subtitle="s", source="s", alt_text=" ")


def test_assets_written_when_the_build_asks(tmp_path, monkeypatch):
    monkeypatch.setenv(charts.ASSETS_ENV, str(tmp_path))
    charts.figure_html(_chart(), chapter="demo", name="fig one", title="t", subtitle="s", source="s", alt_text="a")
    assert (tmp_path / "fig-one.csv").read_text().startswith("year,value,who")
    assert (tmp_path / "fig-one.svg").read_text().lstrip().startswith("<svg")


def test_table_escapes_cells_but_keeps_trusted_html_columns():
    df = pd.DataFrame({"name": ["<script>x</script>"], "verdict": ['<span class="verdict">ok</span>'],
                       "value": [1234.5]})
    html = table_html(df, chapter="demo", name="t", caption="Cap", source="S", html_columns=["verdict"],
                      formats={"value": ",.1f"}, sortable=True)
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert '<span class="verdict">ok</span>' in html
    assert "1,234.5" in html and 'data-sort="1234.5"' in html and "data-sortable" in html
    assert '<th scope="col"' in html and "<caption>Cap</caption>" in html


def test_static_svg_is_smaller_but_draws_the_same_marks():
    import vl_convert as vlc

    df = pd.DataFrame({"year": list(range(2000, 2030)), "value": [v / 7 for v in range(30)],
                       "economy": ["A 0.12345"] * 30})
    spec = alt.Chart(df).mark_line(point=True).encode(x="year:Q", y="value:Q", tooltip=["economy"]).to_dict()
    plain = vlc.vegalite_to_svg(spec)
    small = charts.static_svg(spec)
    assert "aria-label" in plain and "aria-label" not in small
    assert len(small) < 0.8 * len(plain)
    # same number of drawn marks, geometry kept to two decimals, text untouched
    count = lambda svg, tag: len(re.findall(f"<{tag}[ >]", svg))  # noqa: E731
    assert count(small, "path") == count(plain, "path") and count(small, "text") == count(plain, "text")
    geometry = re.findall(r'(?:transform|d)="([^"]*)"', small)
    assert geometry and not any(re.search(r"\d\.\d{3}", g) for g in geometry)
    assert re.findall(r">([^<]+)</text>", small) == re.findall(r">([^<]+)</text>", plain)
    assert "aria" not in spec.get("config", {})  # the caller's spec is not changed


def test_sort_keys_ignore_last_bit_differences_but_keep_the_order():
    from helpers.book.page import sort_key_text

    a, b = 3.4629649192174705, 3.462964919217469  # one VIF on two CPUs (different BLAS code paths)
    assert a != b and sort_key_text(a) == sort_key_text(b) == "3.46296491922"
    values = [0.1 + 0.2, 1e-9, -2.5, 1234567.891, 7]
    keys = [float(sort_key_text(v)) for v in values]
    assert sorted(range(5), key=keys.__getitem__) == sorted(range(5), key=values.__getitem__)
    assert sort_key_text(7) == "7" and sort_key_text(1e-9) == "1e-09"
