"""What a chapter notebook talks to: ``page = Page("china_scale", globals())``.

The page validates the notebook's parameters (clear error before any work), shows them with the
command that re-runs the chapter, and puts figures, tables and glued values on the page in the
report's one style. Notebooks stay thin: they call this and the topic modules, nothing more.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from IPython.display import HTML, display

from helpers import registry
from helpers.book import charts, params
from helpers.text import badge, md_escape


class Page:
    """One chapter page. The contract every chapter notebook follows (see ARCHITECTURE.md):

    1. markdown ``# {glue:text}`title` `` then the "Key findings" box (``{glue:md} key_findings``);
    2. the ``parameters`` cell, then ``page = Page("<chapter>", globals())`` and
       ``r = <chapter>.prepare(page.params)``;
    3. one cell per section: the 2-4 lines that compute what it shows, then its ``show_*`` call;
    4. ``page.key_findings([...])`` and, under "## Re-run this chapter", ``page.rerun()``.

    Figures and tables are numbered in page order ("Figure 2.3"); ``{glue:md}`fig-<name>` `` (or
    ``tbl-<name>``) in the prose is a link to it, forward references included (myst-nb reads every
    glued value of a notebook before it renders the page).
    """

    def __init__(self, chapter: str, namespace: Mapping[str, Any]):
        self.chapter = chapter
        self.entry = registry.chapter(chapter)
        self.params = params.from_namespace(chapter, namespace)
        self._glued: dict[str, str] = {}
        self._numbers = {"Figure": 0, "Table": 0}
        charts.enable_theme()
        try:  # altair's default renderer loads vega from a CDN: never let a bare chart through
            import altair as alt

            alt.renderers.enable("svg")
        except Exception:  # pragma: no cover - renderer registry differs across versions
            pass

    # ------------------------------------------------------------------ title, findings, re-run
    def title(self, focus_name: str | None = None) -> None:
        """Glue the page title (``# {glue:text}`title` ``); chapters with a focus economy pass its name."""
        self.glue("title", registry.title(self.chapter, focus_name))

    def key_findings(self, findings: Iterable[str | tuple[str, str]]) -> None:
        """Glue the "Key findings" bullets: 3-5 sentences computed from the page's results. A finding
        may be ``(sentence, figure_or_table_name)``: the sentence then links to that figure or table."""
        items = []
        for f in findings:
            sentence, ref = (f, None) if isinstance(f, str) else f
            item = md_escape(sentence)
            if ref is not None:
                item += f" ({self.link(ref)})"
            items.append(f"- {item}")
        if not 1 <= len(items) <= 6:
            raise ValueError(f"{self.chapter}: key findings need 1-6 bullets, got {len(items)}")
        self.glue_md("key_findings", "\n".join(items))

    def rerun(self) -> None:
        """The folded "Re-run this chapter" block: the parameters in effect and the commands."""
        defaults = params.defaults(self.chapter)
        rows = []
        for name, value in self.params.items():
            changed = value != defaults[name]
            shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
            if value in ([], {}) and not changed:
                shown += " (default)"
            help_text = params.spec(self.chapter)[name].help
            rows.append(
                f'<tr><th scope="row"><code>{html.escape(name)}</code></th>'
                f"<td><code>{html.escape(str(shown))}</code>{' <em>(changed)</em>' if changed else ''}</td>"
                f"<td>{html.escape(help_text)}</td></tr>"
            )
        example = next(iter(self.params), None)
        cmd = f"make chapter NAME={self.chapter}" + (f' ARGS="-p {example} &lt;value&gt;"' if example else "")
        display(
            HTML(
                '<details class="report-rerun"><summary>Parameters of this page and how to re-run it</summary>'
                '<div class="report-table-wrap" tabindex="0" role="region" aria-label="Parameters of this page">'
                '<table class="report-table"><caption>Parameters in effect</caption><thead><tr><th scope="col">Parameter'
                '</th><th scope="col">Value</th><th scope="col">Meaning</th></tr></thead><tbody>'
                + "".join(rows)
                + "</tbody></table></div>"
                f"<p>Re-run this chapter with other values: <code>{cmd}</code>. Several chapters at once: "
                '<code>make book ARGS="--params editions/&lt;edition&gt;.yml"</code> (see the README).</p></details>'
            )
        )

    # ------------------------------------------------------------------ glue
    def glue(self, name: str, value: str) -> str:
        """Glue a formatted string for ``{glue:text}`` in the prose; returns it."""
        from myst_nb import glue

        if not isinstance(value, str):
            raise TypeError(f"glue {name!r}: format the value to a string first (helpers.text), got {type(value)}")
        if name in self._glued:
            raise ValueError(f"glue key {name!r} used twice on this page")
        self._glued[name] = value
        glue(name, value, display=False)
        return value

    def glue_md(self, name: str, markdown: str) -> None:
        """Glue a markdown snippet (for ``{glue:md}``), e.g. a sentence with a verdict."""
        from IPython.display import Markdown
        from myst_nb import glue

        if name in self._glued:
            raise ValueError(f"glue key {name!r} used twice on this page")
        self._glued[name] = markdown
        glue(name, Markdown(markdown), display=False)

    def glue_sentences(self, values: Mapping[str, str | list[str]], plain: Iterable[str] = ()) -> None:
        """Glue computed sentences as escaped markdown: a string for inline ``{glue:md}`key` ``, a list
        as a bullet list (the ``{glue:md}`` directive). Keys in ``plain`` are also glued as text under
        ``<key>_text``, for other pages (``{glue:text}`page.ipynb::<key>_text:s` ``)."""
        plain = set(plain)
        for key, value in values.items():
            if isinstance(value, list):
                self.glue_md(key, "\n".join(f"- {md_escape(v)}" for v in value))
            else:
                self.glue_md(key, md_escape(value))
                if key in plain:
                    self.glue(f"{key}_text", value)

    # ------------------------------------------------------------------ numbered figures & tables
    def _number(self, kind: str, name: str) -> str:
        self._numbers[kind] += 1
        number = f"{kind} {self.entry.label}.{self._numbers[kind]}"
        prefix = "fig" if kind == "Figure" else "tbl"
        self.glue_md(f"{prefix}-{charts.slug(name)}", f"[{number}](#{self._anchor(prefix, name)})")
        return number

    def _anchor(self, prefix: str, name: str) -> str:
        return (
            f"fig-{self.chapter}-{charts.slug(name)}"
            if prefix == "fig"
            else f"fig-tbl-{self.chapter}-{charts.slug(name)}"
        )

    def link(self, ref: str) -> str:
        """The glued Markdown link to a figure (``"name"`` or ``"fig-name"``) or table (``"tbl-name"``) already
        on the page, for sentences built in Python."""
        key = ref if ref.startswith(("fig-", "tbl-")) else f"fig-{charts.slug(ref)}"
        if key not in self._glued:
            raise KeyError(f"{self.chapter}: no figure or table {ref!r} on this page yet")
        return self._glued[key]

    def figure(
        self,
        chart,
        *,
        name: str,
        title: str,
        subtitle: str | list[str],
        source: str,
        alt: str,
        data: pd.DataFrame | None = None,
        note: str | None = None,
    ) -> str:
        """Show a chart as "Figure <n>.<k>"; returns that label (``{glue:md}`fig-<name>` `` links to it)."""
        number = self._number("Figure", name)
        display(
            HTML(
                charts.figure_html(
                    chart,
                    chapter=self.chapter,
                    name=name,
                    title=title,
                    subtitle=subtitle,
                    source=source,
                    alt_text=alt,
                    data=data,
                    note=note,
                    number=number,
                )
            )
        )
        return number

    def table(self, df: pd.DataFrame, *, name: str, caption: str, source: str, **options) -> str:
        """Show a table as "Table <n>.<k>"; returns that label (``{glue:md}`tbl-<name>` `` links to it).
        ``options``: those of :func:`table_html` (html_columns, formats, sortable, filterable, note, csv,
        collapsed)."""
        number = self._number("Table", name)
        html_text = table_html(
            df, chapter=self.chapter, name=name, caption=caption, source=source, number=number, **options
        )
        display(HTML(html_text))
        return number

    def note(self, text: str, kind: str = "note", title: str | None = None) -> None:
        """An admonition box with plain text (escaped)."""
        title = title or kind.capitalize()
        display(
            HTML(
                f'<div class="admonition {html.escape(kind)}"><p class="admonition-title">{html.escape(title)}'
                f"</p><p>{html.escape(text)}</p></div>"
            )
        )


def _fmt_cell(value: Any, fmt: str | None) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "–"
    if fmt and isinstance(value, (int, float)) and not isinstance(value, bool):
        return format(value, fmt)
    return str(value)


def sort_key_text(value) -> str:
    """A numeric cell's sort key: 12 significant digits, so that results computed with a different
    BLAS or CPU (last-bit differences) give the same page; far finer than any displayed figure."""
    if isinstance(value, (float, np.floating)):
        return format(float(value), ".12g")
    return str(value)


def table_html(
    df: pd.DataFrame,
    *,
    chapter: str,
    name: str,
    caption: str,
    source: str,
    html_columns: Iterable[str] = (),
    formats: Mapping[str, str] | None = None,
    sortable: bool = False,
    filterable: bool = False,
    note: str | None = None,
    csv: pd.DataFrame | None = None,
    collapsed: bool = False,
    number: str | None = None,
) -> str:
    """An accessible HTML table (caption, scoped headers), every cell escaped except ``html_columns``,
    which must hold HTML produced by our own code (badges, links). CSV of the data is offered.
    ``collapsed`` folds a long table under its caption (a <details> element)."""
    esc = html.escape
    html_columns = set(html_columns)
    formats = dict(formats or {})
    tid = f"tbl-{chapter}-{charts.slug(name)}"
    csv_df = csv if csv is not None else df.drop(columns=[c for c in html_columns if c in df.columns])
    charts.write_csv(csv_df, chapter, f"{charts.slug(name)}.csv")
    numeric = {c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])}
    head = "".join(f'<th scope="col"{" class=num" if c in numeric else ""}>{esc(str(c))}</th>' for c in df.columns)
    body = []
    for rec in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, rec):
            text = _fmt_cell(v, formats.get(c))
            cls = ' class="num"' if c in numeric else ""
            sort_key = ""
            if c in numeric and not (isinstance(v, float) and pd.isna(v)):
                sort_key = f' data-sort="{sort_key_text(v)}"'
            cells.append(f"<td{cls}{sort_key}>{text if c in html_columns else esc(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    attrs = (" data-sortable" if sortable else "") + (" data-filterable" if filterable else "")
    filt = (
        (
            f'<label class="report-filter">Filter rows: <input type="search" data-filter-for="{tid}" '
            f'placeholder="type to filter"></label>'
        )
        if filterable
        else ""
    )
    note_html = f'<span class="report-note">{esc(note)}</span> ' if note else ""
    caption_html = (f'<span class="report-number">{esc(number)}.</span> ' if number else "") + esc(caption)
    table = (
        f'<div class="report-table-wrap" tabindex="0" role="region" aria-label="{esc(caption)}">'
        f'<table class="report-table" id="{tid}"{attrs}>'
        f"<caption>{caption_html}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
        f"</table></div>"
    )
    if collapsed:
        table = f"<details><summary>{caption_html} ({len(df)} rows)</summary>{filt}{table}</details>"
        filt = ""
    return (
        f'<figure class="report-table-figure" id="fig-{tid}">{filt}{table}'
        f'<figcaption>{note_html}<span class="report-source">Source: {esc(source)}</span> · '
        f'<a href="{charts.asset_href(chapter, charts.slug(name) + ".csv")}" download>Download the data (CSV)</a>'
        f"</figcaption></figure>"
    )


__all__ = ["Page", "table_html", "badge"]
