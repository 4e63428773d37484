"""Charts: one Altair theme, and one way to put a chart on a page.

A figure on a page is an HTML block that works offline and without JavaScript:

* an empty ``div`` that ``_static/report-charts.js`` fills with the Vega-Lite spec kept next to it in a
  ``<script type="application/json">`` (rendered as SVG by the vega-embed bundle shipped in
  ``_static/``, never a CDN);
* a ``<noscript>`` static SVG rendered by vl-convert at build time, with the alt text;
* a caption with the source line and links to the chart's data as CSV and to the static SVG.

Titles state the finding, subtitles the unit (Our World in Data conventions). Element ids are
derived from the chapter and figure name, so outputs are deterministic (nbval compares them).
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import altair as alt
import pandas as pd

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
FOCUS_COLOR = "#D55E00"
CONTEXT_COLOR = "#9AA5B1"
FONT = "Inter, 'Helvetica Neue', Arial, sans-serif"
WIDTH = 620
HEIGHT = 320
ASSETS_ENV = "REPORT_ASSETS_DIR"
SVG_LATER_ENV = "REPORT_SVG_LATER"  # set by helpers.build: static SVGs are rendered after the run


def theme() -> dict:
    return {
        "config": {
            "background": "#ffffff",
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": HEIGHT, "discreteWidth": WIDTH},
            "title": {"anchor": "start", "fontSize": 15, "fontWeight": 600, "color": "#1f2328",
                      "subtitleFontSize": 12.5, "subtitleColor": "#57606a", "subtitlePadding": 4, "offset": 12,
                      "frame": "group"},
            "axis": {"labelFontSize": 11.5, "titleFontSize": 12, "labelColor": "#3d444d", "titleColor": "#3d444d",
                     "gridColor": "#e6e8eb", "domainColor": "#8c959f", "tickColor": "#8c959f",
                     "titleFontWeight": 500},
            "axisX": {"grid": False},
            "legend": {"labelFontSize": 11.5, "titleFontSize": 12, "labelColor": "#3d444d",
                       "titleColor": "#3d444d", "orient": "bottom", "direction": "horizontal", "columns": 4,
                       "labelLimit": 220},
            "header": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#1f2328"},
            "range": {"category": PALETTE},
            "line": {"strokeWidth": 2.2},
            "point": {"size": 42, "filled": True},
            "text": {"font": FONT, "fontSize": 11.5, "color": "#3d444d"},
        }
    }


_THEME_ENABLED = False


def enable_theme() -> None:
    global _THEME_ENABLED
    if not _THEME_ENABLED:
        alt.theme.register("report", enable=True)(theme)
        _THEME_ENABLED = True


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def spec_json(spec: dict) -> str:
    """JSON safe inside a <script> element: '<', '>' and '&' escaped, so data strings cannot close it."""
    text = json.dumps(spec, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def chart_data(chart: alt.TopLevelMixin) -> pd.DataFrame | None:
    data = getattr(chart, "data", alt.Undefined)
    return data if isinstance(data, pd.DataFrame) else None


def assets_dir(chapter: str) -> Path | None:
    """Folder for a chapter's static SVG/CSV files, set by the build; None when run outside it."""
    base = os.environ.get(ASSETS_ENV)
    if not base:
        return None
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


def asset_href(chapter: str, filename: str) -> str:
    # Chapter pages live at chapters/<name>.html; assets at _static/figures/<chapter>/.
    return f"../_static/figures/{chapter}/{filename}"


def write_csv(df: pd.DataFrame, chapter: str, filename: str) -> None:
    folder = assets_dir(chapter)
    if folder is not None:
        df.to_csv(folder / filename, index=False, lineterminator="\n")


TITLE_CHARS = 78  # about the chart width at the title font size


def wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, break_long_words=False) or [""]


def titled(chart: alt.TopLevelMixin, title: str, subtitle: str | list[str], alt_text: str) -> alt.TopLevelMixin:
    """Title (the finding) and subtitle (the unit), wrapped to the chart width instead of truncated."""
    subtitle = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    sub_lines = [line for s in subtitle for line in wrap(s, int(TITLE_CHARS * 1.25))]
    return chart.properties(title=alt.TitleParams(text=wrap(title, TITLE_CHARS), subtitle=sub_lines),
                            description=alt_text)


def figure_html(chart: alt.TopLevelMixin, *, chapter: str, name: str, title: str, subtitle: str | list[str],
                source: str, alt_text: str, data: pd.DataFrame | None = None, note: str | None = None,
                number: str | None = None) -> str:
    """Render a chart as the offline figure block; write its CSV and static SVG when run by the build.
    ``number`` ("Figure 2.3") heads the caption."""
    enable_theme()
    if not alt_text or not alt_text.strip():
        raise ValueError(f"figure {name!r}: alt text is required")
    fig_id = f"{chapter}-{slug(name)}"
    chart = titled(chart, title, subtitle, alt_text)
    spec = chart.to_dict()
    data = data if data is not None else chart_data(chart)
    folder = assets_dir(chapter)
    links = []
    if data is not None:
        write_csv(data, chapter, f"{slug(name)}.csv")
        links.append(f'<a href="{asset_href(chapter, slug(name) + ".csv")}" download>Download the data (CSV)</a>')
    if folder is not None and os.environ.get(SVG_LATER_ENV):
        # The build renders the SVG later, in one process for all chapters while Sphinx runs (see
        # helpers.build.SvgRender): no vl-convert start per kernel; the same spec gives the same SVG.
        (folder / f"{slug(name)}.svg.vl.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    elif folder is not None:
        (folder / f"{slug(name)}.svg").write_text(static_svg(spec), encoding="utf-8")
    links.append(f'<a href="{asset_href(chapter, slug(name) + ".svg")}">Static image (SVG)</a>')
    esc = html.escape
    note_html = f'<span class="report-note">{esc(note)}</span> ' if note else ""
    number_html = f'<span class="report-number">{esc(number)}.</span> {esc(title)}. ' if number else ""
    return (
        f'<figure class="report-figure" id="fig-{fig_id}">\n'
        f'<div class="report-chart" id="vg-{fig_id}" data-spec="spec-{fig_id}" role="img" '
        f'aria-label="{esc(alt_text)}"></div>\n'
        f'<noscript><img class="report-chart-static" src="{asset_href(chapter, slug(name) + ".svg")}" '
        f'alt="{esc(alt_text)}"></noscript>\n'
        f'<figcaption>{number_html}{note_html}<span class="report-source">Source: {esc(source)}</span>'
        f'<span class="report-links"> · {" · ".join(links)}</span></figcaption>\n'
        f'<script type="application/json" id="spec-{fig_id}">{spec_json(spec)}</script>\n'
        f"</figure>"
    )


_LONG_DECIMAL = re.compile(r"-?\d+\.\d{3,}")
_GEOMETRY_ATTR = re.compile(r'(\s(?:d|transform|x|y|x1|x2|y1|y2|width|height|points)=")([^"]*)(")')


def _two_decimals(m: re.Match) -> str:
    text = f"{float(m.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def static_svg(spec: dict) -> str:
    """The figure's static SVG (print, no-JS readers, the "Static image" link), drawn by vl-convert.

    Smaller than a plain render, same picture: no ARIA attributes on the marks (the SVG is shown
    through an ``<img>`` whose alt text describes it, and marks inside an image are not exposed to
    assistive technology anyway) and geometry rounded to 0.01 px. Text content is left as drawn.
    """
    import copy

    import vl_convert as vlc

    spec = copy.deepcopy(spec)
    config = spec.setdefault("config", {})
    config["aria"] = False
    svg = vlc.vegalite_to_svg(spec)
    return _GEOMETRY_ATTR.sub(lambda m: m.group(1) + _LONG_DECIMAL.sub(_two_decimals, m.group(2)) + m.group(3), svg)


# --------------------------------------------------------------------------- chart builders


def with_runs(df: pd.DataFrame, keys, year: str = "year") -> pd.DataFrame:
    """Add ``run``: a new number after every missing year within each group, so that lines drawn with
    ``detail=run`` break at gaps instead of joining across them."""
    d = df.sort_values([*keys, year]).copy()
    y = d[year].astype("float64")  # nullable integers would make the first difference <NA>, not NaN
    step = y.groupby([d[k] for k in keys], sort=False).diff() if keys else y.diff()
    d["run"] = step.ne(1).cumsum().astype(int)
    return d
# Small, reusable specs. Chapters compose them; every one takes tidy long data.


def line(df: pd.DataFrame, x: str, y: str, color: str | None = None, *, y_title: str, x_title: str = "",
         tooltip_format: str = ",.1f", highlight: str | None = None, points: bool = True,
         y_zero: bool = False, color_title: str | None = None, sort: list[str] | None = None) -> alt.Chart:
    """Lines over time; optional highlighted series drawn thicker in the focus colour."""
    enc = {
        "x": alt.X(f"{x}:O" if df[x].dtype == object else f"{x}:Q", title=x_title or None,
                   axis=alt.Axis(format="d") if df[x].dtype != object else alt.Axis()),
        "y": alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=y_zero)),
        "tooltip": [alt.Tooltip(f"{x}", title=x_title or x)]
        + ([alt.Tooltip(f"{color}:N", title=color_title or color)] if color else [])
        + [alt.Tooltip(f"{y}:Q", title=y_title, format=tooltip_format)],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=color_title, sort=sort)
    base = alt.Chart(df).encode(**enc)
    mark = base.mark_line(point=points)
    if highlight and color:
        mark = mark.encode(strokeWidth=alt.condition(alt.datum[color] == highlight, alt.value(3.5), alt.value(1.6)),
                           opacity=alt.condition(alt.datum[color] == highlight, alt.value(1), alt.value(0.75)))
    return mark


def bar(df: pd.DataFrame, x: str, y: str, *, x_title: str, color: str | None = None, sort: str = "-x",
        tooltip_format: str = ",.1f", highlight: str | None = None, y_title: str | None = None,
        reference: float | None = None) -> alt.LayerChart | alt.Chart:
    """Horizontal ranked bars, optional highlighted category and reference line."""
    enc = {
        "x": alt.X(f"{x}:Q", title=x_title),
        "y": alt.Y(f"{y}:N", title=y_title, sort=sort),
        "tooltip": [alt.Tooltip(f"{y}:N", title=y_title or y), alt.Tooltip(f"{x}:Q", title=x_title,
                                                                           format=tooltip_format)],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=None)
    elif highlight:
        enc["color"] = alt.condition(alt.datum[y] == highlight, alt.value(FOCUS_COLOR), alt.value(PALETTE[0]))
    chart = alt.Chart(df).mark_bar().encode(**enc)
    if reference is not None:
        rule = alt.Chart(pd.DataFrame({"ref": [reference]})).mark_rule(color="#3d444d", strokeDash=[4, 3]).encode(
            x="ref:Q")
        return alt.layer(chart, rule)
    return chart
