"""Every chapter opens offline in headless Chromium, every chart is drawn, the console stays clean."""

from __future__ import annotations

import re
from urllib.parse import urlparse

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


@pytest.mark.parametrize("page_path", PAGES)
def test_page_renders_offline(served_book, browser, page_path):
    host = urlparse(served_book).netloc
    context = browser.new_context()
    blocked: list[str] = []
    errors: list[str] = []

    def route(r):
        if urlparse(r.request.url).netloc == host or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{served_book}/{page_path}", wait_until="load")
    n = page.locator(".report-chart").count()
    if n:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.report-chart')].every("
            "el => el.dataset.rendered === 'true' || el.dataset.renderError)", timeout=30_000)
    failed = page.evaluate(
        "() => [...document.querySelectorAll('.report-chart')]"
        ".filter(el => !(el.querySelector('svg, canvas') && el.dataset.rendered === 'true'))"
        ".map(el => el.id + ': ' + (el.dataset.renderError || 'no svg/canvas'))")
    context.close()
    assert failed == [], f"{page_path}: charts not drawn: {failed}"
    assert errors == [], f"{page_path}: console errors: {errors}"
    assert blocked == [], f"{page_path}: tried to reach the network: {blocked}"
