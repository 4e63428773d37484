"""Every chapter opens offline in headless Chromium, every chart is drawn, the console stays clean."""

from __future__ import annotations

import html
import re

import pytest

from .conftest import HTML, book_pages

PAGES = book_pages()


def test_index_links_every_chapter():
    from helpers.book.params import CHAPTERS

    intro = (HTML / "chapters" / "intro.html").read_text(encoding="utf-8")
    for chapter in CHAPTERS:
        if chapter == "intro":
            continue  # the page itself (an executed chapter since it became a notebook)
        assert f'href="{chapter}.html"' in intro, f"intro/navigation does not link {chapter}"
    assert "chapters/intro.html" in (HTML / "index.html").read_text(encoding="utf-8")


def test_every_page_declares_an_icon_that_exists():
    # without one, browsers ask for /favicon.ico and log a 404 in the console of every page
    missing = []
    for path in sorted([*HTML.glob("*.html"), *(HTML / "chapters").glob("*.html")]):
        text = path.read_text(encoding="utf-8", errors="replace")
        if 'http-equiv="Refresh"' in text:
            continue  # the redirect from index.html
        m = re.search(r'<link rel="icon" href="([^"?]+)', text)
        if not m or not (path.parent / m.group(1)).resolve().is_file():
            missing.append(str(path.relative_to(HTML)))
    assert missing == []


def test_no_page_references_a_cdn():
    offenders = []
    for path in HTML.rglob("*"):
        if path.suffix in {".html", ".js", ".css"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            if re.search(r"cdn\.jsdelivr|unpkg\.com|cdnjs\.cloudflare", text):
                offenders.append(str(path.relative_to(HTML)))
    assert offenders == []


def test_every_page_says_when_it_was_updated_and_how_to_cite_it():
    """A date and version on every page, never the build clock (two builds must give the same HTML), and a
    citation with the title, the authors and the year, and no placeholder."""
    import yaml

    from helpers.book import site

    config = yaml.safe_load((HTML.parents[1] / "_config.yml").read_text(encoding="utf-8"))
    version = site.book_version()
    for path in sorted([*(HTML / "chapters").glob("*.html"), HTML / "search.html"]):
        text = path.read_text(encoding="utf-8")
        assert version.line() and f"{version.line()}." in text, f"{path.name}: no last-updated line"
        cite = text.split("Cite this report", 1)[1].split("</details>", 1)[0] if "Cite this report" in text else ""
        assert config["title"] in cite and html.escape(config["author"]) in cite, f"{path.name}: {cite[:300]}"
        assert f"({version.date.year})" in cite, path.name
        assert not re.search(r"example\.(com|org)|TODO|XXX|lorem|not set", cite, re.I), f"{path.name}: {cite[:300]}"


@pytest.mark.parametrize("page_path", PAGES)
def test_page_renders_offline(reader, page_path):
    v = reader.visit("desktop", "light", page_path)
    assert v["notDrawn"] == [], f"{page_path}: charts not drawn: {v['notDrawn']}"
    assert v["errors"] == [], f"{page_path}: console errors: {v['errors']}"
    assert reader.blocked == [], f"tried to reach the network: {reader.blocked}"
