"""Charts: one Altair theme, and one way to put a chart on a page.

A figure on a page is an HTML block that works offline, on any screen and without JavaScript:

* a caption on top (``<figcaption>``): "Figure 2.3", the title (the finding), the subtitle (the unit);
* an empty ``div`` (``role="img"`` with the alt text) that ``_static/report-charts.js`` fills from the
  Vega-Lite spec kept beside it in a ``<script type="application/json">``: drawn when it nears the
  viewport, as wide as its container, by the vega-embed bundle shipped in ``_static/`` (never a CDN);
* a ``<noscript>`` static SVG rendered by vl-convert at build time;
* a footer: notes, "Source: …", links to the chart's data (CSV) and to the static image.

The spec kept on the page is the *export spec*: the chart with its number, title and subtitle drawn above it
and the note and source line below (:func:`export_spec`). The static SVG and the PNG a reader downloads are
drawn from it, so an image taken out of the book still says what it shows and where the data come from;
the page itself draws only the chart (``usermeta.reportFigure.chart`` points at it), as its HTML caption
already says the rest.

Titles state the finding, subtitles the unit (Our World in Data conventions). Element ids are
derived from the chapter and figure name, so outputs are deterministic (nbval compares them).
"""

from __future__ import annotations

import copy
import html
import json
import os
import re
from pathlib import Path

import altair as alt
import pandas as pd

# Colour-blind-safe categories, each at least 3:1 against the white chart background (WCAG 1.4.11):
# Okabe-Ito's blue, bluish green, vermillion, reddish purple and black; its orange, sky blue and yellow
# (2.3:1, 2.3:1, 1.3:1) are replaced by a brown, a violet and a dark teal chosen to stay apart under
# simulated protanopia, deuteranopia and tritanopia (tests/unit/test_charts.py checks both properties).
PALETTE = ["#0072B2", "#7A4A14", "#009E73", "#D55E00", "#CC79A7", "#5E35B1", "#1B4D4D", "#000000"]
FOCUS_COLOR = "#D55E00"  # the focus economy: vermillion, drawn thicker / on top
CONTEXT_COLOR = "#7D8590"  # the other economies: a grey that still has 3.7:1 against white
CHART_BACKGROUND = "#ffffff"  # figures are a white card in light and dark mode alike
TEXT_COLOR = "#1f2328"
MUTED_TEXT_COLOR = "#57606a"  # 6.4:1 on white
FONT = "Inter, 'Helvetica Neue', Arial, sans-serif"
MIN_FONT_PX = 11  # smallest chart text; charts are drawn 1:1 at every width, never scaled down
WIDTH = 620  # width of the static image and of exports; on the page a chart takes its container's width
HEIGHT = 320
ASSETS_ENV = "REPORT_ASSETS_DIR"
SVG_LATER_ENV = "REPORT_SVG_LATER"  # set by helpers.build: static SVGs are rendered after the run


def theme() -> dict:
    return {
        "config": {
            "background": CHART_BACKGROUND,
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": HEIGHT, "discreteWidth": WIDTH},
            "title": {
                "anchor": "start",
                "fontSize": 15,
                "fontWeight": 600,
                "color": TEXT_COLOR,
                "subtitleFontSize": 12.5,
                "subtitleColor": MUTED_TEXT_COLOR,
                "subtitlePadding": 4,
                "offset": 12,
                "frame": "group",
            },
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "labelColor": "#3d444d",
                "titleColor": "#3d444d",
                "gridColor": "#e6e8eb",
                "domainColor": "#8c959f",
                "tickColor": "#8c959f",
                "titleFontWeight": 500,
                "labelSeparation": 4,
            },
            "axisX": {"grid": False},
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "labelColor": "#3d444d",
                "titleColor": "#3d444d",
                "orient": "bottom",
                "direction": "horizontal",
                "columns": 3,
                "labelLimit": 220,
                "symbolStrokeWidth": 2.5,
            },
            "header": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": TEXT_COLOR, "labelLimit": 300},
            "range": {"category": PALETTE},
            "line": {"strokeWidth": 2.2},
            "point": {"size": 42, "filled": True, "opacity": 1},  # vega-lite default 0.7 falls under 3:1
            "text": {"font": FONT, "fontSize": 12, "color": "#3d444d"},
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


TITLE_CHARS = 78  # about the export width at the title font size


def wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, break_long_words=False) or [""]


def _lines(text: str | list[str]) -> list[str]:
    return [text] if isinstance(text, str) else list(text)


# --------------------------------------------------------------------------- rules every chart gets

_FONT_KEYS = re.compile(r"(?i)^(fontSize|.*FontSize)$")


def _walk(node, visit) -> None:
    """Call ``visit(d)`` on every dict inside a spec (depth first)."""
    if isinstance(node, dict):
        visit(node)
        for v in node.values():
            _walk(v, visit)
    elif isinstance(node, list):
        for v in node:
            _walk(v, visit)


def _raise_small_fonts(spec: dict) -> None:
    """No chart text below MIN_FONT_PX: theme, ``configure_*`` and mark properties alike."""

    def visit(d: dict) -> None:
        for key, value in list(d.items()):
            if _FONT_KEYS.match(key) and isinstance(value, (int, float)) and value < MIN_FONT_PX:
                d[key] = MIN_FONT_PX
        if d.get("type") == "text" and isinstance(d.get("size"), (int, float)) and d["size"] < MIN_FONT_PX:
            d["size"] = MIN_FONT_PX  # a text mark's size is its font size

    _walk(spec, visit)


def _is_year(value) -> bool:
    text = str(value)
    return bool(re.fullmatch(r"\d{4}(\.0)?", text)) and 1800 <= float(text) <= 2200


def _year_fields(spec: dict) -> set[str]:
    """Fields whose every value in the spec's data is a calendar year."""
    seen: dict[str, bool] = {}

    def rows(d: dict):
        if isinstance(d.get("values"), list):
            yield from d["values"]

    def visit(d: dict) -> None:
        for rec in rows(d):
            if isinstance(rec, dict):
                for k, v in rec.items():
                    if v is not None:
                        seen[k] = seen.get(k, True) and _is_year(v)

    for dataset in (spec.get("datasets") or {}).values():
        visit({"values": dataset})
    _walk({k: v for k, v in spec.items() if k != "datasets"}, visit)
    return {k for k, ok in seen.items() if ok}


def _upright_year_axes(spec: dict) -> None:
    """Years on a discrete x axis are written level (Vega-Lite turns band-axis labels by 90°): they
    fit once every other one is dropped where space runs short (labelOverlap)."""
    years = _year_fields(spec)

    def visit(d: dict) -> None:
        x = (d.get("encoding") or {}).get("x") if isinstance(d.get("encoding"), dict) else None
        if not isinstance(x, dict) or x.get("field") not in years or x.get("type") not in ("ordinal", "nominal"):
            return
        if x.get("axis") is None and "axis" in x:
            return  # axis deliberately hidden
        axis = x.setdefault("axis", {})
        axis.setdefault("labelAngle", 0)
        axis.setdefault("labelOverlap", "parity")
        axis.setdefault("labelSeparation", 6)

    _walk(spec, visit)


def readable(spec: dict) -> dict:
    """The rules every chart of the book follows, whoever drew it: fonts of at least MIN_FONT_PX,
    years written level. Returns a new spec."""
    spec = copy.deepcopy(spec)
    _raise_small_fonts(spec)
    _upright_year_axes(spec)
    return spec


# --------------------------------------------------------------------------- the export spec

# Keys that belong to the top of a Vega-Lite spec; everything else is the chart itself.
_TOP_LEVEL = ("$schema", "config", "datasets", "background", "padding", "autosize", "usermeta")
CAPTION_LINE_PX = 16
_LEGEND_CHANNELS = (
    "color",
    "fill",
    "stroke",
    "opacity",
    "fillOpacity",
    "strokeOpacity",
    "shape",
    "size",
    "strokeWidth",
    "strokeDash",
    "angle",
)


def _caption_view(lines: list[str], width: int) -> dict:
    """A view that only writes lines of text (the note and source line under an exported chart)."""
    values = [{"line": line, "y": i * CAPTION_LINE_PX} for i, line in enumerate(lines)]
    return {
        "data": {"values": values},
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "fontSize": MIN_FONT_PX + 0.5,
            "color": MUTED_TEXT_COLOR,
            "font": FONT,
            "limit": width,
        },
        "encoding": {
            "x": {"value": 0},
            "y": {"field": "y", "type": "quantitative", "scale": None},
            "text": {"field": "line", "type": "nominal"},
        },
        "width": 1,
        "height": CAPTION_LINE_PX * len(lines),
    }


def export_spec(
    spec: dict,
    *,
    title: str,
    subtitle: str | list[str],
    source: str,
    note: str | None = None,
    number: str | None = None,
) -> dict:
    """The chart with its number, title and subtitle above it and its note and source line below:
    what the static SVG and the downloaded PNG show. ``spec["vconcat"][0]`` is the chart itself
    (``usermeta.reportFigure.chart`` says so; report-charts.js draws only that part on the page)."""
    spec = copy.deepcopy(spec)
    top = {k: spec.pop(k) for k in _TOP_LEVEL if k in spec}
    description = spec.pop("description", None)
    spec.pop("title", None)
    width = spec.get("width") if isinstance(spec.get("width"), int) else WIDTH
    chars = max(40, int(TITLE_CHARS * width / WIDTH))
    head = f"{number}. {title}" if number else title
    footer = [
        line for text in ([note] if note else []) + [f"Source: {source}"] for line in wrap(text, int(chars * 1.3))
    ]
    usermeta = dict(top.pop("usermeta", {}) or {})
    usermeta["reportFigure"] = {"chart": 0}
    out = {
        **{k: v for k, v in top.items() if k in ("$schema",)},
        "title": {
            "text": wrap(head, chars),
            "subtitle": [line for s in _lines(subtitle) for line in wrap(s, int(chars * 1.2))],
        },
        "vconcat": [spec, _caption_view(footer, width)],
        "spacing": 14,
        # legends stay with the chart (a concatenation would otherwise draw them under the source line)
        "resolve": {"legend": {c: "independent" for c in _LEGEND_CHANNELS}},
        **{k: v for k, v in top.items() if k != "$schema"},
        "usermeta": usermeta,
    }
    if description:
        out["description"] = description
    return out


def figure_html(
    chart: alt.TopLevelMixin,
    *,
    chapter: str,
    name: str,
    title: str,
    subtitle: str | list[str],
    source: str,
    alt_text: str,
    data: pd.DataFrame | None = None,
    note: str | None = None,
    number: str | None = None,
) -> str:
    """Render a chart as the offline figure block; write its CSV and static SVG when run by the build.
    ``number`` ("Figure 2.3") heads the caption."""
    enable_theme()
    if not alt_text or not alt_text.strip():
        raise ValueError(f"figure {name!r}: alt text is required")
    fig_id = f"{chapter}-{slug(name)}"
    spec = export_spec(
        readable(chart.properties(description=alt_text).to_dict()),
        title=title,
        subtitle=subtitle,
        source=source,
        note=note,
        number=number,
    )
    data = data if data is not None else chart_data(chart)
    folder = assets_dir(chapter)
    svg_href = asset_href(chapter, slug(name) + ".svg")
    links = []
    if data is not None:
        write_csv(data, chapter, f"{slug(name)}.csv")
        links.append(f'<a href="{asset_href(chapter, slug(name) + ".csv")}" download>Data (CSV)</a>')
    if folder is not None and os.environ.get(SVG_LATER_ENV):
        # The build renders the SVG later, in one process for all chapters while Sphinx runs (see
        # helpers.build.SvgRender): no vl-convert start per kernel; the same spec gives the same SVG.
        (folder / f"{slug(name)}.svg.vl.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    elif folder is not None:
        (folder / f"{slug(name)}.svg").write_text(static_svg(spec), encoding="utf-8")
    links.append(f'<a href="{svg_href}" download>Image (SVG)</a>')
    esc = html.escape
    number_html = f'<span class="report-number">{esc(number)}</span> ' if number else ""
    subtitle_html = "".join(f'<span class="report-subtitle">{esc(s)}</span>' for s in _lines(subtitle) if s)
    note_html = f'<span class="report-note">{esc(note)}</span> ' if note else ""
    return (
        f'<figure class="report-figure" id="fig-{fig_id}">\n'
        f'<figcaption class="report-caption">{number_html}<span class="report-title">{esc(title)}</span>'
        f"{subtitle_html}</figcaption>\n"
        f'<div class="report-chart" id="vg-{fig_id}" data-spec="spec-{fig_id}" data-static="{svg_href}" '
        f'role="img" aria-label="{esc(alt_text)}"></div>\n'
        f'<noscript><img class="report-chart-static" src="{svg_href}" alt="{esc(alt_text)}"></noscript>\n'
        f'<p class="report-figure-footer">{note_html}<span class="report-source">Source: {esc(source)}</span>'
        f'<span class="report-links"> · Download: {" · ".join(links)}</span></p>\n'
        f'<script type="application/json" id="spec-{fig_id}">{spec_json(spec)}</script>\n'
        f"</figure>"
    )


_LONG_DECIMAL = re.compile(r"-?\d+\.\d{3,}")
_GEOMETRY_ATTR = re.compile(r'(\s(?:d|transform|x|y|x1|x2|y1|y2|width|height|points)=")([^"]*)(")')


def _two_decimals(m: re.Match) -> str:
    text = f"{float(m.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def static_svg(spec: dict) -> str:
    """The figure's static SVG (print, no-JS readers, the "Image (SVG)" link), drawn by vl-convert from
    the export spec: number, title, subtitle, chart, note and source line.

    Smaller than a plain render, same picture: no ARIA attributes on the marks (the SVG is shown
    through an ``<img>`` whose alt text describes it, and marks inside an image are not exposed to
    assistive technology anyway) and geometry rounded to 0.01 px. Text content is left as drawn.
    """
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


def line(
    df: pd.DataFrame,
    x: str,
    y: str,
    color: str | None = None,
    *,
    y_title: str,
    x_title: str = "",
    tooltip_format: str = ",.1f",
    highlight: str | None = None,
    points: bool = True,
    y_zero: bool = False,
    color_title: str | None = None,
    sort: list[str] | None = None,
) -> alt.Chart:
    """Lines over time; optional highlighted series drawn thicker in the focus colour."""
    enc = {
        "x": alt.X(
            f"{x}:O" if df[x].dtype == object else f"{x}:Q",
            title=x_title or None,
            axis=alt.Axis(format="d") if df[x].dtype != object else alt.Axis(),
        ),
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
        # prominence by width, not by fading the others below 3:1 against white
        mark = mark.encode(strokeWidth=alt.condition(alt.datum[color] == highlight, alt.value(3.5), alt.value(1.6)))
    return mark


def bar(
    df: pd.DataFrame,
    x: str,
    y: str,
    *,
    x_title: str,
    color: str | None = None,
    sort: str = "-x",
    tooltip_format: str = ",.1f",
    highlight: str | None = None,
    y_title: str | None = None,
    reference: float | None = None,
) -> alt.LayerChart | alt.Chart:
    """Horizontal ranked bars, optional highlighted category and reference line."""
    enc = {
        "x": alt.X(f"{x}:Q", title=x_title),
        "y": alt.Y(f"{y}:N", title=y_title, sort=sort),
        "tooltip": [
            alt.Tooltip(f"{y}:N", title=y_title or y),
            alt.Tooltip(f"{x}:Q", title=x_title, format=tooltip_format),
        ],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=None)
    elif highlight:
        enc["color"] = alt.condition(alt.datum[y] == highlight, alt.value(FOCUS_COLOR), alt.value(PALETTE[0]))
    chart = alt.Chart(df).mark_bar().encode(**enc)
    if reference is not None:
        rule = (
            alt.Chart(pd.DataFrame({"ref": [reference]}))
            .mark_rule(color="#3d444d", strokeDash=[4, 3])
            .encode(x="ref:Q")
        )
        return alt.layer(chart, rule)
    return chart
