"""The test stand-in for :class:`helpers.book.page.Page`, and helpers to run a chapter notebook with it.

:class:`FakePage` takes the same calls as the real page (same signatures) and records what the page would
show instead of displaying it: glued values, figures (with the Altair spec), tables, notes and key findings.
It checks what the real page checks (a glue key used once, text glued as a string, links of key findings to
figures or tables already on the page) and a little more (3-5 key findings, a figure has a title, subtitle,
source and alt text, its spec builds).

``FakePage("<chapter>", globals())`` validates the chapter's parameters like the real page;
``FakePage()`` stands in for a page in section-level tests (``show.<section>(page, r, ...)``).

:func:`run_chapter` executes a chapter notebook's code cells in-process with ``FakePage`` in place of
``Page`` (parameters injected after the ``parameters`` cell, as papermill does), so tests read the text a
reader would read, for any parameter set, without a kernel or a Sphinx build.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pytest

from helpers.book import charts, params
from helpers.book.page import table_html
from helpers.data import paths
from helpers.text import md_escape


class FakePage:
    """Records what a chapter puts on its page.

    Attributes read by tests:

    - ``glued``: glue key -> the string the real page glues (``glue_sentences`` values are escaped
      markdown, lists as bullet lines; ``fig-<name>`` / ``tbl-<name>`` are links ``[Figure k](#...)``);
    - ``sentences``: glue key -> the value given to ``glue_sentences`` as computed (a string or a list
      of strings, not escaped);
    - ``figures``: figure name -> ``{"name", "title", "subtitle", "source", "alt", "data", "note", "spec"}``;
    - ``tables``: table name -> ``{"name", "df", "caption", "source", "html_columns", "formats",
      "sortable", "filterable", "note", "csv", "collapsed"}``;
    - ``notes``: the text of every admonition, in page order;
    - ``findings``: the key-finding sentences (without their figure or table reference);
    - ``params``: the validated parameters (``{}`` without a chapter).
    """

    def __init__(self, chapter: str | None = None, namespace: Mapping[str, Any] | None = None):
        self.chapter = chapter
        self.params = params.from_namespace(chapter, namespace or {}) if chapter else {}
        self.glued: dict[str, str] = {}
        self.sentences: dict[str, str | list[str]] = {}
        self.figures: dict[str, dict] = {}
        self.tables: dict[str, dict] = {}
        self.notes: list[str] = []
        self.findings: list[str] = []
        self._n = {"Figure": 0, "Table": 0}

    # ---------------------------------------------------------------- title, findings, re-run
    def title(self, focus_name: str | None = None) -> None:
        from helpers import registry

        assert self.chapter, "title() needs FakePage(chapter, namespace)"
        self.glue("title", registry.title(self.chapter, focus_name))

    def key_findings(self, findings: Iterable[str | tuple[str, str]]) -> None:
        findings = list(findings)
        assert 3 <= len(findings) <= 5, f"key findings need 3-5 bullets, got {len(findings)}: {findings}"
        items = []
        for f in findings:
            sentence, ref = (f, None) if isinstance(f, str) else f
            item = md_escape(sentence)
            if ref is not None:
                item += f" ({self.link(ref)})"
            items.append(f"- {item}")
        self.findings = [f if isinstance(f, str) else f[0] for f in findings]
        self.glue_md("key_findings", "\n".join(items))

    def rerun(self) -> None:
        pass

    # ---------------------------------------------------------------- glue
    def glue(self, name: str, value: str) -> str:
        assert isinstance(value, str), f"glue {name!r}: format the value to a string first, got {value!r}"
        self.glue_md(name, value)
        return value

    def glue_md(self, name: str, markdown: str) -> None:
        assert name not in self.glued, f"glue key {name!r} used twice on this page"
        assert isinstance(markdown, str) and markdown.strip(), f"glue key {name!r}: empty or not a string"
        self.glued[name] = markdown

    def glue_sentences(self, values: Mapping[str, str | list[str]], plain: Iterable[str] = ()) -> None:
        plain = set(plain)
        for key, value in values.items():
            self.sentences[key] = value
            if isinstance(value, list):
                self.glue_md(key, "\n".join(f"- {md_escape(v)}" for v in value))
            else:
                self.glue_md(key, md_escape(value))
                if key in plain:
                    self.glue(f"{key}_text", value)

    # ---------------------------------------------------------------- numbered figures & tables
    def _number(self, kind: str, name: str) -> str:
        self._n[kind] += 1
        label = f"{kind} {self._n[kind]}"
        prefix = "fig" if kind == "Figure" else "tbl"
        self.glue_md(f"{prefix}-{charts.slug(name)}", f"[{label}](#{prefix}-{charts.slug(name)})")
        return label

    def link(self, ref: str) -> str:
        key = ref if ref.startswith(("fig-", "tbl-")) else f"fig-{charts.slug(ref)}"
        assert key in self.glued, f"a link to {ref!r}, not on the page (yet)"
        return self.glued[key]

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
        assert title and subtitle and source and alt, f"figure {name!r}: title, subtitle, source and alt text"
        assert name not in self.figures, f"figure {name!r} shown twice"
        spec = chart.to_dict()  # the spec must build (valid Vega-Lite)
        label = self._number("Figure", name)
        self.figures[name] = {
            "name": name,
            "title": title,
            "subtitle": subtitle,
            "source": source,
            "alt": alt,
            "data": data,
            "note": note,
            "spec": spec,
        }
        return label

    def table(self, df: pd.DataFrame, *, name: str, **options) -> str:
        """Takes what the real page passes on to ``table_html`` (a misspelt option fails here too)."""
        assert name not in self.tables, f"table {name!r} shown twice"
        shown = inspect.signature(table_html).bind(df, chapter=self.chapter, name=name, **options)
        shown.apply_defaults()
        label = self._number("Table", name)
        args = shown.arguments
        self.tables[name] = {
            "name": name,
            "df": df,
            **{k: args[k] for k in ("caption", "source", "sortable", "filterable", "note", "csv", "collapsed")},
            "html_columns": list(args["html_columns"]),
            "formats": dict(args["formats"] or {}),
        }
        return label

    def note(self, text: str, kind: str = "note", title: str | None = None) -> None:
        self.notes.append(text)

    # ---------------------------------------------------------------- reading the page
    def text(self) -> str:
        """Every glued value, figure title, table caption and note, one per line (what a reader reads)."""
        return "\n".join(
            [
                *self.glued.values(),
                *(f["title"] for f in self.figures.values()),
                *(t["caption"] for t in self.tables.values()),
                *self.notes,
            ]
        )


# --------------------------------------------------------------------------- a chapter notebook


def _cells(chapter: str) -> list[dict]:
    return json.loads((paths.chapters_dir() / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]


def code_cells(chapter: str) -> list[tuple[list[str], str]]:
    """The notebook's code cells: (tags, source)."""
    return [
        (c.get("metadata", {}).get("tags", []), "".join(c["source"]))
        for c in _cells(chapter)
        if c["cell_type"] == "code"
    ]


def markdown(chapter: str) -> str:
    """The notebook's prose: its markdown cells, joined."""
    return "\n\n".join("".join(c["source"]) for c in _cells(chapter) if c["cell_type"] == "markdown")


def glue_keys_in_prose(chapter: str) -> set[str]:
    """Every glue key the prose refers to: ``{glue:text}`key` ``, ``{glue:md}`key` `` and ``{glue:md} key`` blocks."""
    md = markdown(chapter)
    return set(re.findall(r"\{glue:(?:text|md)\}`([^`:]+)`", md)) | set(re.findall(r"```\{glue:md\}\s+(\S+)", md))


def run_chapter(chapter: str, monkeypatch: pytest.MonkeyPatch | None = None, **overrides) -> tuple[FakePage, dict]:
    """Execute the notebook's code cells with ``overrides`` applied after the parameters cell (as papermill
    does) and ``FakePage`` in place of ``Page``; returns the page and the notebook's namespace.
    Without ``monkeypatch``, ``Page`` is restored on return."""
    if monkeypatch is None:
        with pytest.MonkeyPatch.context() as mp:
            return run_chapter(chapter, mp, **overrides)
    import helpers.book.page as page_module

    monkeypatch.setattr(page_module, "Page", FakePage)
    ns: dict = {}
    for tags, src in code_cells(chapter):
        exec(compile(src, f"<{chapter}>", "exec"), ns)
        if "parameters" in tags:
            ns.update(overrides)
    page = ns["page"]
    assert isinstance(page, FakePage)
    return page, ns


# --------------------------------------------------------------------------- checks on what a page shows


def no_nan(values) -> list[str]:
    """Glued values that print a missing number ('nan', 'n/a', 'None')."""
    return [v for v in values if re.search(r"\bnan\b|\bn/a\b|\bNone\b|\bNaN\b", str(v))]


def frame_has_no_inf(df: pd.DataFrame | None) -> bool:
    return df is None or not np.isinf(df.select_dtypes("number").to_numpy(dtype=float)).any()
