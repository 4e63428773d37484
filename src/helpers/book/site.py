"""What every page of the built book carries besides its chapter: the date it was last updated, the
version it was built from and how to cite it. A Sphinx extension (``_config.yml``:
``sphinx: extra_extensions``), run by the build's Sphinx process.

Deterministic: the date is the last git commit's (its UTC day), never the build clock, so two builds of
the same commit give the same HTML. Outside a git checkout of this repository (a copy under test, a
source archive) the book is dated by its data vintage instead: the latest date named in
``data/datapackage.json``.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from helpers.data import paths


@dataclass(frozen=True)
class Version:
    date: dt.date | None
    commit: str | None  # full hash; None outside a git checkout of the repository

    @property
    def short(self) -> str | None:
        return self.commit[:7] if self.commit else None

    def date_text(self) -> str:
        return f"{self.date.day} {self.date:%B %Y}" if self.date else ""

    def line(self) -> str:
        """'Last updated 3 December 2026 (version 52354b2)' or 'Data vintage: 18 December 2025'."""
        if self.commit and self.date:
            return f"Last updated {self.date_text()} (version {self.short})"
        if self.date:
            return f"Data vintage: {self.date_text()}"
        return ""


def _git(root: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def data_vintage(root: Path) -> dt.date | None:
    """The latest ISO date (YYYY-MM-DD) named in the data package's vintages and sources."""
    try:
        text = (root / "data" / "datapackage.json").read_text(encoding="utf-8")
    except OSError:
        return None
    dates = []
    for m in re.finditer(r"\b(19|20)\d{2}-\d{2}-\d{2}\b", text):
        try:
            dates.append(dt.date.fromisoformat(m.group(0)))
        except ValueError:
            continue
    return max(dates) if dates else None


def book_version(root: Path | None = None) -> Version:
    """The commit the book is built from and its date, when ``root`` is the top of a git checkout;
    otherwise no commit and the data vintage."""
    root = (root or paths.root()).resolve()
    top = _git(root, "rev-parse", "--show-toplevel")
    if top and Path(top).resolve() == root:
        stamp = _git(root, "log", "-1", "--format=%H %ct")
        if stamp:
            commit, seconds = stamp.split()
            return Version(dt.datetime.fromtimestamp(int(seconds), dt.UTC).date(), commit)
    return Version(data_vintage(root), None)


def citation(title: str, author: str, version: Version, url: str | None = None) -> tuple[str, str]:
    """(plain text, BibTeX) citation of the report."""
    year = str(version.date.year) if version.date else "n.d."
    parts = [f"{author} ({year}). {title}."]
    if version.commit:
        parts.append(f"Version {version.short}, {version.date_text()}.")
    elif version.date:
        parts.append(f"Data of {version.date_text()}.")
    if url:
        parts.append(url)
    fields = [("title", "{" + title + "}"), ("author", "{" + author + "}"), ("year", year)]
    if version.commit:
        fields.append(("note", f"Version {version.short}, {version.date_text()}"))
    if url:
        fields.append(("url", url))
    bibtex = (
        "@techreport{report"
        + (version.short or year)
        + ",\n"
        + ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
        + "\n}"
    )
    return " ".join(parts), bibtex


def cite_html(title: str, author: str, version: Version, url: str | None = None) -> str:
    text, bibtex = citation(title, author, version, url)
    esc = html.escape
    return (f'<p class="report-version">{esc(version.line())}.</p>' if version.line() else "") + (
        '<details class="report-cite"><summary>Cite this report</summary>'
        f"<p>{esc(text)}</p><pre>{esc(bibtex)}</pre></details>"
    )


# --------------------------------------------------------------------------- the Sphinx extension

# myst-nb names the "show code" toggles "Toggle hidden content" while they show "Show code cell
# source": a screen reader user would not find the button they see (WCAG 2.5.3). Their visible text
# becomes their name.
_TOGGLE_LABEL = '<summary aria-label="Toggle hidden content">'


def _on_builder_inited(app) -> None:
    version = book_version()
    url = (app.config.html_baseurl or "").strip() or None
    title = app.config.html_title or app.config.project  # jupyter-book sets html_title from _config.yml's title
    app.builder.report_cite = cite_html(title, app.config.author, version, url)  # type: ignore[attr-defined]


def _on_page_context(app, pagename, templatename, context, doctree) -> None:  # noqa: ARG001
    footer = context.get("theme_extra_footer") or ""
    context["theme_extra_footer"] = footer + app.builder.report_cite
    body = context.get("body")
    if body:
        context["body"] = body.replace(_TOGGLE_LABEL, "<summary>")
        if 'class="report-chart"' in body:
            # pages with charts fetch the Vega bundle while the page is parsed (report-charts.js uses it)
            href = context["pathto"]("_static/vega-bundle.js", 1)
            context["metatags"] = context.get("metatags", "") + f'\n<link rel="preload" href="{href}" as="script">'


TEMPLATES = Path(__file__).parent / "templates"  # theme template overrides (see the files' headers)


def _add_templates(app, config) -> None:
    # relative to the book's source: an absolute path would enter .buildinfo's config hash, and two copies
    # of the repository would then build different HTML trees
    config.templates_path = [os.path.relpath(TEMPLATES, app.confdir), *config.templates_path]


def setup(app):
    app.connect("config-inited", _add_templates)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}


__all__ = ["Version", "book_version", "citation", "cite_html", "data_vintage", "setup"]
