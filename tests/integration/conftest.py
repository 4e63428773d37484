"""Integration fixtures: the built book served on localhost, headless Chromium with the network cut,
and a reader who opens each page once per screen (phone, tablet, desktop; light and dark)."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
HTML = REPO / "_build" / "html"
CHROMIUM = os.environ.get("REPORT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"  # `make axe` (npm ci) installs it
SCREENS = {
    "phone": {"width": 390, "height": 844},
    "tablet": {"width": 800, "height": 1000},
    "desktop": {"width": 1366, "height": 900},
}
AXE_LAYOUTS = (("desktop", "light"), ("phone", "dark"))  # (screen, scheme) where axe-core runs on every page


def book_pages() -> list[str]:
    return sorted(p.relative_to(HTML).as_posix() for p in (HTML / "chapters").glob("*.html"))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="session")
def served_book():
    if not (HTML / "index.html").exists():
        pytest.fail(
            "_build/html is missing: `make test` builds the book before the integration tests (or run `make book`)"
        )
    handler = functools.partial(_Quiet, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it (apt-get install -y chromium; .ci/run does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


# Recorded from the first script on: when the charts on the first screen are drawn (and painted).
FIRST_SCREEN_PROBE = """
(() => {
  window.__firstScreen = null;
  const start = () => {
    const charts = [...document.querySelectorAll('.report-chart')]
      .filter(el => el.getBoundingClientRect().top < innerHeight);
    const done = () => charts.every(el => el.dataset.rendered === 'true' || el.dataset.renderError);
    const tick = () => {
      if (done()) {
        requestAnimationFrame(() => setTimeout(() => {  // with no chart on it, the first contentful paint
          const fcp = performance.getEntriesByName('first-contentful-paint')[0];
          window.__firstScreen = {charts: charts.length,
                                  painted_ms: charts.length || !fcp ? performance.now() : fcp.startTime};
        }, 0));
      } else {
        requestAnimationFrame(tick);
      }
    };
    tick();
  };
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
})();
"""

# Everything a reader of one page at one screen size needs checked, measured in one pass.
MEASURE = """
() => {
  const vw = document.documentElement.clientWidth;
  const text = el => (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
  // chart text below 10 px as drawn on the screen (font size times the SVG's scale)
  const smallText = [];
  for (const t of document.querySelectorAll('.report-chart svg text')) {
    if (!text(t)) continue;
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
    if (px < 10) smallText.push(`${t.closest('.report-chart').id}: "${text(t)}" at ${px.toFixed(1)} px`);
  }
  // nothing drawn outside its chart (a label cut at the edge); a chart wider than its figure scrolls inside it
  const clipped = [];
  for (const svg of document.querySelectorAll('.report-chart svg')) {
    const f = svg.getBoundingClientRect();
    for (const e of svg.querySelectorAll('text, .role-mark path, .role-mark line, .role-mark rect')) {
      const r = e.getBoundingClientRect();
      if ((r.width || r.height) && (r.right > f.right + 1 || r.left < f.left - 1 || r.bottom > f.bottom + 1)) {
        clipped.push(`${svg.closest('.report-chart').id}: ${e.tagName} "${text(e)}" (${Math.round(r.right - f.right)} px past the right edge)`);
        break;
      }
    }
  }
  // labels (data labels, axis and legend labels) that overlap another one; hidden ones (opacity 0) left out
  const collisions = [];
  for (const chart of document.querySelectorAll('.report-chart')) {
    const labels = [...chart.querySelectorAll('svg text')]
      .filter(t => text(t) && t.closest('.role-mark, [class*="role-axis-label"], [class*="role-legend-label"]')
                   && getComputedStyle(t).opacity !== '0' && t.getAttribute('opacity') !== '0')
      .map(t => [text(t), t.getBoundingClientRect()]).filter(([, r]) => r.width > 0);
    for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
      const [a, p] = labels[i], [b, q] = labels[j];
      if (Math.min(p.right, q.right) - Math.max(p.left, q.left) > 2 && Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 3) {
        collisions.push(`${chart.id}: "${a}" over "${b}"`);
      }
    }
  }
  // the page itself must not scroll sideways; name what sticks out (outside a scrolling frame)
  const scrollsX = el => { for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
    return false; };
  const wide = [];
  for (const el of document.querySelectorAll('.bd-article *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > vw + 1 && !scrollsX(el)) wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className}`.slice(0, 90));
    if (wide.length > 5) break;
  }
  // numbered figures and tables, and the links to them from elsewhere on the page
  const figures = [...document.querySelectorAll('figure.report-figure, figure.report-table-figure')].map(f => {
    const number = f.querySelector('.report-number');
    const links = [...document.querySelectorAll('a[href]')].filter(a =>
      a.getAttribute('href').endsWith('#' + f.id) && !f.contains(a));
    return {id: f.id, number: number ? number.textContent.trim() : null, linked: links.length};
  });
  // lines, points and direct labels (data marks, not axes or legends) with less than 3:1 against what
  // they are drawn on: the white figure, or for a label the mark under it (a bar)
  const rgba = c => { const m = (c || '').match(/[\\d.]+/g); return m ? [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1] : null; };
  const over = (top, base, a) => top.slice(0, 3).map((v, i) => a * v + (1 - a) * base[i]);
  const lum = rgb => { const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (x, y) => { const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p); return (a + 0.05) / (b + 0.05); };
  const WHITE = [255, 255, 255];
  const backdrop = el => {  // colour under a label: the topmost filled bar or area around its centre, else white
    const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
    const filled = [...el.ownerSVGElement.querySelectorAll('.role-mark.mark-rect path, .role-mark.mark-area path, .role-mark.mark-arc path')];
    for (const under of filled.reverse()) {
      const b = under.getBoundingClientRect();
      if (x < b.left || x > b.right || y < b.top || y > b.bottom) continue;
      const s = getComputedStyle(under), f = rgba(s.fill);
      if (f && f[3] > 0) return over(f, WHITE, f[3] * parseFloat(s.fillOpacity) * parseFloat(s.opacity));
    }
    return WHITE;
  };
  const faint = new Set();
  for (const chart of document.querySelectorAll('.report-chart')) {
    for (const el of chart.querySelectorAll('.role-mark.mark-line path, .role-mark.mark-trail path, .role-mark.mark-rule line, .role-mark.mark-symbol path, .role-mark.mark-text text')) {
      const s = getComputedStyle(el);
      const stroked = !!el.closest('.mark-line, .mark-rule, .mark-trail') || (el.closest('.mark-symbol') && s.fill === 'none');
      const paint = rgba(stroked ? s.stroke : s.fill);
      const alpha = paint ? paint[3] * parseFloat(s.opacity) * parseFloat(stroked ? s.strokeOpacity : s.fillOpacity) : 0;
      if (!(alpha >= 0.2)) continue;  // not drawn, or a faint context mark drawn on purpose
      const base = el.tagName === 'text' ? backdrop(el) : WHITE;
      const c = ratio(over(paint, base, alpha), base);
      if (c < 3) faint.add(`${chart.id}: ${stroked ? 'stroke' : 'fill'} ${s[stroked ? 'stroke' : 'fill']} at opacity ${alpha.toFixed(2)} (${c.toFixed(2)}:1)`);
    }
  }
  const h1 = document.querySelector('article h1') || document.querySelector('main h1');  // not the theme's print-only title
  let first = h1 ? h1.nextElementSibling : null;
  while (first && !first.textContent.trim() && !first.querySelector('img, svg')) first = first.nextElementSibling;
  return {
    scrollWidth: document.documentElement.scrollWidth, viewport: vw, wide, smallText, clipped, collisions, figures, faint: [...faint],
    keyFindingsFirst: !!(first && (first.matches('.report-key-findings') || first.querySelector('.report-key-findings'))),
    firstAfterTitle: first ? (first.className || first.tagName) : null,
    theme: document.documentElement.dataset.theme || null,
    charts: document.querySelectorAll('.report-chart').length,
    notDrawn: [...document.querySelectorAll('.report-chart')]
      .filter(el => !(el.dataset.rendered === 'true' && el.querySelector('svg'))).map(el => el.id + ': ' + (el.dataset.renderError || 'not drawn')),
  };
}
"""

AXE_RUN = """
async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,
                nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' | ' + (n.failureSummary || '').split('\\n').slice(0, 3).join(' '))}));
}
"""


class Reader:
    """Opens book pages the way a reader does: one browser, one context per screen and colour scheme,
    every request outside the local server blocked. Each (screen, scheme, page) is visited once and its
    measurements kept, so many small tests cost one page load."""

    def __init__(self, browser, base: str):
        self.browser, self.base = browser, base
        self.host = urlparse(base).netloc
        self.contexts: dict[tuple, object] = {}
        self.blocked: list[str] = []
        self.visits: dict[tuple, dict] = {}

    def context(self, screen: str, scheme: str = "light", **options):
        key = (screen, scheme, tuple(sorted(options.items())))
        if key not in self.contexts:
            ctx = self.browser.new_context(viewport=SCREENS[screen], color_scheme=scheme, **options)
            ctx.route("**/*", self._route)
            ctx.add_init_script(FIRST_SCREEN_PROBE)
            self.contexts[key] = ctx
        return self.contexts[key]

    def _route(self, route):
        url = route.request.url
        if urlparse(url).netloc == self.host or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, screen: str, page_path: str, scheme: str = "light", **options):
        page = self.context(screen, scheme, **options).new_page()
        page.errors = []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto(f"{self.base}/{page_path}", wait_until="load")
        return page

    def visit(self, screen: str, scheme: str, page_path: str) -> dict:
        """Measurements of one page (MEASURE), with axe-core's findings in the AXE_LAYOUTS."""
        key = (screen, scheme, page_path)
        if key in self.visits:
            return self.visits[key]
        axe = (screen, scheme) in AXE_LAYOUTS and AXE.exists()
        page = self.open(screen, page_path, scheme)
        try:
            page.wait_for_function("() => window.__firstScreen !== null", timeout=30_000, polling=50)
            first = page.evaluate("() => window.__firstScreen")
            page.evaluate("() => window.reportCharts ? window.reportCharts.drawAll() : null")
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            result = page.evaluate(MEASURE)
            result["firstScreen"] = first
            if axe:
                page.add_script_tag(path=str(AXE))
                result["axe"] = page.evaluate(AXE_RUN)
            result["errors"] = list(page.errors)
        finally:
            page.close()
        self.visits[key] = result
        return result

    def close(self):
        for ctx in self.contexts.values():
            ctx.close()


@pytest.fixture(scope="session")
def reader(browser, served_book):
    r = Reader(browser, served_book)
    yield r
    r.close()
