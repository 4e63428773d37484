"""Figures: offline markup, escaping of data strings, deterministic ids, files for download."""

from __future__ import annotations

import json
import re

import altair as alt
import numpy as np
import pandas as pd
import pytest

from helpers.book import charts
from helpers.book.page import table_html


def _spec_of(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="spec-[^"]+">(.*?)</script>', html, re.S).group(1))


def _chart(label="China"):
    df = pd.DataFrame({"year": [2020, 2021], "value": [1.0, 2.0], "who": [label, label]})
    return alt.Chart(df).mark_line().encode(x="year:O", y="value:Q", color="who:N")


def test_figure_markup_is_offline_and_deterministic():
    a = charts.figure_html(
        _chart(), chapter="demo", name="Test fig", title="Up", subtitle="US$", source="WDI", alt_text="Two points"
    )
    b = charts.figure_html(
        _chart(), chapter="demo", name="Test fig", title="Up", subtitle="US$", source="WDI", alt_text="Two points"
    )
    assert a == b
    assert 'id="vg-demo-test-fig"' in a and 'data-spec="spec-demo-test-fig"' in a
    assert "cdn" not in a and "<script src" not in a
    assert "Source: WDI" in a and "download>Data (CSV)</a>" in a and "<noscript><img" in a


def test_strings_from_data_cannot_break_out_of_the_spec():
    evil = "</script><script>alert(1)</script>"
    html = charts.figure_html(
        _chart(evil),
        chapter="demo",
        name="x",
        title="t",
        subtitle="s",
        source="<b>src</b>",
        alt_text='a "quoted" <alt>',
    )
    assert "<script>alert(1)" not in html
    assert "&lt;b&gt;src&lt;/b&gt;" in html
    spec = _spec_of(html)
    values = next(iter(spec["datasets"].values()))
    assert values[0]["who"] == evil  # the label survives as data, shown as text by Vega
    assert "Source: <b>src</b>" in json.dumps(spec["vconcat"][1])  # drawn as text in the exported image


def test_alt_text_is_required():
    with pytest.raises(ValueError, match="alt text"):
        charts.figure_html(_chart(), chapter="demo", name="x", title="t", subtitle="s", source="s", alt_text=" ")


def test_assets_written_when_the_build_asks(tmp_path, monkeypatch):
    monkeypatch.setenv(charts.ASSETS_ENV, str(tmp_path))
    charts.figure_html(_chart(), chapter="demo", name="fig one", title="t", subtitle="s", source="s", alt_text="a")
    assert (tmp_path / "fig-one.csv").read_text().startswith("year,value,who")
    assert (tmp_path / "fig-one.svg").read_text().lstrip().startswith("<svg")


def test_table_escapes_cells_but_keeps_trusted_html_columns():
    df = pd.DataFrame(
        {"name": ["<script>x</script>"], "verdict": ['<span class="verdict">ok</span>'], "value": [1234.5]}
    )
    html = table_html(
        df,
        chapter="demo",
        name="t",
        caption="Cap",
        source="S",
        html_columns=["verdict"],
        formats={"value": ",.1f"},
        sortable=True,
    )
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert '<span class="verdict">ok</span>' in html
    assert "1,234.5" in html and 'data-sort="1234.5"' in html and "data-sortable" in html
    assert '<th scope="col"' in html and "<caption>Cap</caption>" in html


def test_static_svg_is_smaller_but_draws_the_same_marks():
    import vl_convert as vlc

    df = pd.DataFrame(
        {"year": list(range(2000, 2030)), "value": [v / 7 for v in range(30)], "economy": ["A 0.12345"] * 30}
    )
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


# --------------------------------------------------------------------------- captions and exported images
def test_caption_has_number_title_and_unit_and_the_footer_the_source():
    html = charts.figure_html(
        _chart(),
        chapter="demo",
        name="fig",
        title="Exports doubled",
        subtitle=["US$ bn", "current"],
        source="WDI",
        alt_text="Lines",
        note="Gaps are missing years.",
        number="Figure 2.3",
    )
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "|", caption).split("|").count("Figure 2.3") == 1
    assert "Exports doubled" in caption and "US$ bn" in caption and "current" in caption
    footer = re.search(r'<p class="report-figure-footer">(.*?)</p>', html, re.S).group(1)
    assert "Gaps are missing years." in footer and "Source: WDI" in footer and "Image (SVG)" in footer
    assert html.index("<figcaption") < html.index('class="report-chart"') < html.index("report-figure-footer")


def test_exported_image_says_what_it_shows_and_where_the_data_come_from():
    html = charts.figure_html(
        _chart(),
        chapter="demo",
        name="fig",
        title="Exports doubled",
        subtitle="US$ bn",
        source="World Bank WDI",
        alt_text="Lines",
        note="Gaps are missing years.",
        number="Figure 2.3",
    )
    spec = _spec_of(html)
    assert spec["usermeta"]["reportFigure"] == {"chart": 0}
    svg = charts.static_svg(spec)
    words = " ".join(re.findall(r">([^<>]+)</t", svg))
    for text in ("Figure 2.3. Exports doubled", "US$ bn", "Gaps are missing years.", "Source: World Bank WDI"):
        assert text in words, f"{text!r} not drawn in the static image: {words}"
    # the chart itself is drawn unchanged inside it (its data and marks), the legend beside it
    assert spec["vconcat"][0]["mark"] == {"type": "line"}
    assert spec["resolve"]["legend"]["color"] == "independent"


def test_long_titles_wrap_in_the_exported_image():
    title = "A finding stated as a long sentence that cannot possibly fit on one line of a chart title at all"
    spec = charts.export_spec(_chart().to_dict(), title=title, subtitle="unit", source="s", number="Figure 1.1")
    lines = spec["title"]["text"]
    assert len(lines) == 2 and " ".join(lines) == f"Figure 1.1. {title}"


# --------------------------------------------------------------------------- rules every chart gets
def test_no_chart_text_below_the_minimum_size():
    df = pd.DataFrame({"x": [1, 2], "y": [3, 4], "t": ["a", "b"]})
    chart = (
        alt.Chart(df).mark_text(fontSize=8).encode(x="x:Q", y="y:Q", text="t:N")
        + alt.Chart(df).mark_text(size=7).encode(x="x:Q", y="y:Q", text="t:N")
    ).configure_axis(labelFontSize=9, titleFontSize=14)
    spec = charts.readable(chart.to_dict())
    sizes = []
    charts._walk(spec, lambda d: sizes.extend(v for k, v in d.items() if k.lower().endswith("fontsize")))
    assert sizes and min(sizes) >= charts.MIN_FONT_PX
    assert spec["config"]["axis"]["titleFontSize"] == 14  # larger sizes are left alone
    assert [layer["mark"].get("size", layer["mark"].get("fontSize")) for layer in spec["layer"]] == [
        charts.MIN_FONT_PX
    ] * 2


def test_years_on_a_discrete_axis_are_written_level_other_categories_are_not():
    df = pd.DataFrame({"year": [2019, 2020, 2021], "name": ["Korea", "Japan", "China"], "v": [1, 2, 3]})
    years = charts.readable(alt.Chart(df).mark_bar().encode(x="year:O", y="v:Q").to_dict())
    names = charts.readable(alt.Chart(df).mark_bar().encode(x="name:N", y="v:Q").to_dict())
    chosen = charts.readable(
        alt.Chart(df).mark_bar().encode(x=alt.X("year:O", axis=alt.Axis(labelAngle=-45)), y="v:Q").to_dict()
    )
    assert years["encoding"]["x"]["axis"]["labelAngle"] == 0
    assert "axis" not in names["encoding"]["x"]
    assert chosen["encoding"]["x"]["axis"]["labelAngle"] == -45  # a chapter's own choice stands


# --------------------------------------------------------------------------- palette
def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _contrast_with_white(hex_colour: str) -> float:
    return 1.05 / (float(np.dot([0.2126, 0.7152, 0.0722], _linear(hex_colour))) + 0.05)


# Machado, Oliveira & Fernandes (2009), severity 1: how the colours look with each colour-vision deficiency
_CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "typical": np.eye(3).tolist(),
}


def _lab(rgb_linear: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb_linear
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_every_chart_colour_has_3_to_1_against_the_white_figure():
    low = {
        c: round(_contrast_with_white(c), 2)
        for c in [*charts.PALETTE, charts.FOCUS_COLOR, charts.CONTEXT_COLOR]
        if _contrast_with_white(c) < 3
    }
    assert low == {}
    assert _contrast_with_white("#F0E442") < 3  # the check bites: Okabe-Ito yellow fails it


def test_palette_stays_distinguishable_with_colour_vision_deficiencies():
    import itertools

    worst = {}
    for name, matrix in _CVD.items():
        m = np.array(matrix)
        labs = {c: _lab(np.clip(m @ _linear(c), 0, 1)) for c in charts.PALETTE}
        worst[name] = min(
            float(np.linalg.norm(labs[a] - labs[b])) for a, b in itertools.combinations(charts.PALETTE, 2)
        )
    assert min(worst.values()) >= 15, worst  # CIE76 distance; two Okabe-Ito colours under deuteranopia: 17.9
    assert len(set(charts.PALETTE)) == len(charts.PALETTE) >= 7
