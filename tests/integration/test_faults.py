"""Fault injection: every failure names its culprit and leaves the last good book and data/ untouched.

All cases run the real pipeline (``python -m helpers.build ...``) in a throw-away copy of the
repository (see ``repo_copy``), with the last good ``_build/html`` and the chapter cache copied in:

* bad parameters (unknown name, wrong type, reversed years, year outside the data, unknown ISO3 code,
  unknown option / indicator, unknown chapter) stop the build with exit code 2 before any work;
* corrupted data files (the data layer's checks, reached through ``helpers.build book``) stop it
  with exit code 2 before any chapter runs;
* a chapter that raises stops the build (exit code 1) and the chapter running beside it;
* a build interrupted by SIGINT / SIGTERM / Ctrl-C (SIGINT to the process group) while chapters
  execute exits with 130, leaves no process, no temp folder and no partial cache entry, and the
  re-run succeeds;
* a country label holding HTML/script is shown as text, never executed, in the built pages.

After each failure: ``_build/html``, ``_build/executed`` and ``data/`` are byte-identical to before,
the cache holds exactly the entries it held (each complete), no temp folder is left.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
from pathlib import Path

import pytest

from helpers.build import pipeline as build_module
from helpers.book.params import CHAPTERS, SPECS

from .repo_copy import (cache_entries, command_line, copy_repo, diff_trees, hold_cell, imported_helpers, incomplete_entries, inject_cell, kill_all, leftovers, processes_of, resign, run_build, start_build, state, wait_until)

pytestmark = pytest.mark.slow


# --------------------------------------------------------------------------- the copy


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A copy of the repository with the last good book; its own `book` build makes it current."""
    root = copy_repo(tmp_path_factory.mktemp("faults") / "repo")
    proc = run_build(root, "book")
    assert proc.returncode == 0, "the copy of the repository does not build:\n" + proc.stderr[-4000:]
    yield root
    kill_all(root)


@pytest.fixture
def repo(base):
    """The copy; after the test, data/, chapters/ and the cache are put back as they were."""
    saved = {d: {p.name: p.read_bytes() for p in (base / d).iterdir() if p.is_file()} for d in ("data", "chapters")}
    entries = set(cache_entries(base))
    yield base
    kill_all(base)
    for name in ("HOLD", *(f"REACHED-{c}" for c in CHAPTERS)):
        (base / name).unlink(missing_ok=True)
    for d, files in saved.items():
        for p in (base / d).iterdir():
            if p.is_file() and p.name not in files:
                p.unlink()
        for name, data in files.items():
            if not (base / d / name).exists() or (base / d / name).read_bytes() != data:
                (base / d / name).write_bytes(data)
    for key in set(cache_entries(base)) - entries:  # entries made by the test
        shutil.rmtree(base / ".cache" / "chapters" / key)
    for item in leftovers(base):
        shutil.rmtree(base / item, ignore_errors=True)


def _assert_untouched(root: Path, before: dict, entries_before: dict, output: str) -> None:
    after = state(root)
    for part in before:
        assert diff_trees(before[part], after[part]) == [], f"{part} changed:\n{output[-3000:]}"
    assert cache_entries(root) == entries_before, "the cache changed"
    assert incomplete_entries(root) == []
    assert leftovers(root) == [], "temporary folders left behind"


def test_the_copy_imports_its_own_helpers(base):
    file, root = imported_helpers(base)
    assert Path(file).resolve().is_relative_to((base / "src").resolve()), file
    assert Path(root) == base.resolve()


# --------------------------------------------------------------------------- bad parameters


def _param_cases() -> list:
    """Generic cases from the parameter specifications (no chapter's content is assumed)."""
    params = [(c, p) for c in CHAPTERS for p in SPECS[c]]

    def first(pred):
        return next(((c, p) for c, p in params if pred(c, p)), (None, None))

    cases = [pytest.param(CHAPTERS[0], [("no_such_parameter", "1")], "no_such_parameter",
                          ["unknown parameter"], id="unknown-name"),
             pytest.param("no_such_chapter", [], "<chapter>", ["unknown chapter", CHAPTERS[0]], id="unknown-chapter")]
    c, p = first(lambda c, p: p.kind in ("int", "year"))
    cases.append(pytest.param(c, [(p.name, "twenty")], p.name, ["expected an integer"], id="wrong-type"))
    c, p = first(lambda c, p: p.kind == "year" and p.name == "start_year" and "end_year" in {q.name for q in SPECS[c]})
    lo, hi = p.range()
    cases.append(pytest.param(c, [("start_year", str(hi)), ("end_year", str(lo))], "start_year",
                              ["must not be after end_year"], id="reversed-years"))
    c, p = first(lambda c, p: p.kind == "year" and p.bounds is not None)
    cases.append(pytest.param(c, [(p.name, str(p.range()[1] + 10))], p.name, ["outside the allowed range"],
                              id="year-outside-data"))
    c, p = first(lambda c, p: p.kind == "iso3")
    assert "XYZ" not in p.allowed()
    cases.append(pytest.param(c, [(p.name, "XYZ")], p.name, ["unknown ISO3 code 'XYZ'"], id="unknown-iso3"))
    c, p = first(lambda c, p: p.kind == "iso3_list")
    cases.append(pytest.param(c, [(p.name, "[KOR, XYZ]")], p.name, ["unknown ISO3 code(s) ['XYZ']"],
                              id="unknown-iso3-in-list"))
    c, p = first(lambda c, p: p.kind == "choice" and p.allowed())
    cases.append(pytest.param(c, [(p.name, "no_such_option")], p.name, ["unknown value 'no_such_option'"],
                              id="unknown-option"))
    c, p = first(lambda c, p: p.kind == "choice_list" and p.allowed() and "." in "".join(p.allowed()))
    if c is None:
        c, p = first(lambda c, p: p.kind == "choice_list" and p.allowed())
    cases.append(pytest.param(c, [(p.name, "[NO.SUCH.INDICATOR]")], p.name, ["unknown value(s) ['NO.SUCH.INDICATOR']"],
                              id="unknown-indicator"))
    c, p = first(lambda c, p: p.kind == "dict")
    if c is not None:
        cases.append(pytest.param(c, [(p.name, "{low: 1}")], p.name, ["expected exactly the keys"], id="dict-keys"))
    return cases


@pytest.mark.parametrize("chapter, pairs, culprit, words", _param_cases())
def test_bad_parameters_stop_before_any_work(repo, chapter, pairs, culprit, words):
    before, entries = state(repo), cache_entries(repo)
    args = ["chapter", chapter] + [x for name, value in pairs for x in ("-p", name, value)]
    proc = run_build(repo, *args, timeout=300)
    out = proc.stderr
    assert proc.returncode == 2, out[-3000:]
    assert "build not started:" in out
    assert f"chapter '{chapter}'" in out and f"parameter '{culprit}'" in out, out
    for w in words:
        assert w in out, out
    assert "executing" not in out
    _assert_untouched(repo, before, entries, out)


# --------------------------------------------------------------------------- corrupted data


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _set(row: int, column: str, value: str):
    def mutate(text):
        rows = _rows(text)
        rows[row][rows[0].index(column)] = value
        return _csv(rows)
    return mutate


def _drop(column: str):
    def mutate(text):
        rows = _rows(text)
        i = rows[0].index(column)
        return _csv([r[:i] + r[i + 1:] for r in rows])
    return mutate


def _extra(column: str):
    return lambda text: _csv([r + ([column] if n == 0 else ["1"]) for n, r in enumerate(_rows(text))])


def _duplicate(row: int):
    def mutate(text):
        rows = _rows(text)
        return _csv(rows[:row + 1] + [rows[row]] + rows[row + 1:])
    return mutate


def _year_after_coverage(root: Path, table: str) -> str:
    pkg = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    cov = next(r["coverage"] for r in pkg["resources"] if r["name"] == table)
    return str(cov["year_max"] + 5)


# (id, file, mutation, re-sign the manifest?, column named, words in the message)
DATA_CASES = [
    ("missing-column", "wdi.csv", _drop("value"), True, "value", "missing column"),
    ("extra-column", "wdi.csv", _extra("x"), True, "x", "unexpected column"),
    ("wrong-type", "wdi.csv", _set(4, "year", "20x1"), True, "year", "wrong type"),
    ("duplicate-key", "wdi.csv", _duplicate(1), True, None, "duplicate key"),
    ("unknown-iso3", "wdi.csv", _set(2, "iso3", "XXX"), True, "iso3", "known_iso3"),
    ("negative-level", "unctad_dds.csv", _set(1, "value_usd_mn", "-5.0"), True, "value_usd_mn",
     "greater_than_or_equal_to"),
    ("year-outside-coverage", "wdi.csv", "year-after-coverage", True, "year", "coverage"),
    ("missing-required", "unctad_dds.csv", _set(1, "value_usd_mn", ""), True, "value_usd_mn", "missing"),
    ("bad-enum", "unctad_dds.csv", _set(1, "flow", "exportz"), True, "flow", "isin"),
    ("share-out-of-range", "openness.csv", _set(1, "value", "250"), True, "value", "bounds"),
    ("checksum-mismatch", "countries.csv", lambda t: t.replace("Australia", "Austrlia"), False, None,
     "checksum mismatch"),
    ("file-missing", "wto_headlines.csv", None, False, None, "file is missing"),
]


@pytest.mark.parametrize("file, mutate, sign, column, words", [pytest.param(*c[1:], id=c[0]) for c in DATA_CASES])
def test_corrupted_data_stops_make_book_before_any_chapter_runs(repo, file, mutate, sign, column, words):
    path = repo / "data" / file
    if mutate is None:
        path.unlink()
    else:
        if mutate == "year-after-coverage":
            mutate = _set(3, "year", _year_after_coverage(repo, file.removesuffix(".csv")))
        path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")
    if sign:  # the schema check, not the checksum, must catch it
        resign(repo, file)
    before, entries = state(repo), cache_entries(repo)
    proc = run_build(repo, "book", timeout=300)
    out = proc.stderr
    assert proc.returncode == 2, out[-3000:]
    assert "build not started:" in out and f"data/{file}" in out, out
    assert words in out, out
    if column:
        assert f"column '{column}'" in out, out
    # nothing was executed: no kernel was started (the build says so), no cache entry or temp folder appeared
    assert "executing" not in out and "Kernel" not in out
    _assert_untouched(repo, before, entries, out)


# --------------------------------------------------------------------------- a chapter that raises


def test_a_chapter_that_raises_stops_the_build_and_the_chapter_beside_it(repo):
    failing, held = CHAPTERS[0], CHAPTERS[1]
    inject_cell(repo, failing, 'raise RuntimeError("injected fault: this chapter breaks")\n')
    inject_cell(repo, held, hold_cell(repo, held) + "# case: beside a failing chapter\n")
    (repo / "HOLD").touch()
    before, entries = state(repo), cache_entries(repo)
    proc = run_build(repo, "book", "--jobs", "2", timeout=600)
    out = proc.stderr
    assert proc.returncode == 1, out[-3000:]
    assert "build stopped:" in out and f"chapter '{failing}' failed" in out, out[-3000:]
    assert re.search(r"cell \d+ \(execution count \d+: `raise RuntimeError", out), out[-3000:]
    assert "RuntimeError: injected fault: this chapter breaks" in out
    assert wait_until(lambda: not processes_of(repo), 20), [command_line(p) for p in processes_of(repo)]
    _assert_untouched(repo, before, entries, out)


# --------------------------------------------------------------------------- interrupted builds


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM", "ctrl-c"])
def test_an_interrupted_build_leaves_nothing_behind_and_the_rerun_succeeds(repo, how, tmp_path):
    chapters = CHAPTERS[:2]
    for c in chapters:  # each case its own cell, hence its own cache key
        inject_cell(repo, c, hold_cell(repo, c) + f"# case: {how}\n")
    (repo / "HOLD").touch()
    before, entries = state(repo), cache_entries(repo)
    log = tmp_path / "build.log"
    proc = start_build(repo, "book", "--jobs", "2", log=log)
    try:
        reached = wait_until(lambda: all((repo / f"REACHED-{c}").exists() for c in chapters) or proc.poll() is not None,
                             600, 0.2)
        assert reached and proc.poll() is None, "execution did not get under way:\n" + log.read_text()[-3000:]
        running = processes_of(repo)
        # a kernel is an ipykernel process, or a warm kernel's launcher (helpers.build.warm_kernel) standing for one
        kernels = [p for p in running if "ipykernel" in command_line(p) or "warm_kernel launch" in command_line(p)]
        assert len(kernels) == len(chapters), [command_line(p) for p in running]
        if how == "ctrl-c":  # the terminal sends SIGINT to the whole foreground process group
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(getattr(signal, how))
        rc = proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    out = log.read_text(encoding="utf-8")
    assert rc == 130, out[-3000:]
    assert "build interrupted" in out
    assert wait_until(lambda: not processes_of(repo), 20), \
        "processes left: " + str([command_line(p) for p in processes_of(repo)])
    _assert_untouched(repo, before, entries, out)

    (repo / "HOLD").unlink()
    rerun = run_build(repo, "book", "--jobs", "2", timeout=1200)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert f"executing {len(chapters)} chapter(s)" in rerun.stderr
    assert (repo / "_build" / "html" / "index.html").exists()
    new = set(cache_entries(repo)) - set(entries)
    assert sorted(k.split("/")[0] for k in new) == sorted(chapters)
    assert incomplete_entries(repo) == [] and leftovers(repo) == []
    assert not processes_of(repo)


# --------------------------------------------------------------------------- leftovers of a killed build


def test_a_killed_build_leaves_folders_the_next_build_removes(repo):
    """SIGKILL cannot be handled: what the killed build left is named after its pid and removed later;
    a book moved aside mid-swap is put back."""
    dead = 2 ** 22 + 12345  # above the default pid_max: no such process
    assert not build_module._pid_alive(dead)
    (repo / ".cache" / "tmp").mkdir(exist_ok=True)
    tmp = repo / ".cache" / "tmp" / f"{CHAPTERS[0]}-p{dead}-abc123"
    (tmp / "assets").mkdir(parents=True)
    staging = repo / ".cache" / f"staging-p{dead}-xyz"
    staging.mkdir()
    alive = repo / ".cache" / "tmp" / f"{CHAPTERS[0]}-p{os.getpid()}-keep"  # a running build's: kept
    alive.mkdir()
    html, aside = repo / "_build" / "html", repo / "_build" / f"html.old-{dead}"
    before = state(repo)
    os.replace(html, aside)  # as if killed between the two renames of the swap
    try:
        proc = run_build(repo, "book", timeout=1200)
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert not tmp.exists() and not staging.exists() and not aside.exists()
        assert alive.exists()
        assert diff_trees(before["data"], state(repo)["data"]) == []
        assert (html / "index.html").exists()
    finally:
        shutil.rmtree(alive, ignore_errors=True)


# --------------------------------------------------------------------------- HTML/script in data

LABEL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    """One build of a copy whose data give Australia a display name made of HTML and script."""
    root = copy_repo(tmp_path_factory.mktemp("injection") / "repo")
    path = root / "data" / "countries.csv"
    rows = _rows(path.read_text(encoding="utf-8"))
    col = rows[0].index("display_name")
    row = next(r for r in rows[1:] if r[0] == "AUS")
    row[col] = LABEL
    path.write_text(_csv(rows), encoding="utf-8")
    resign(root, "countries.csv")
    proc = run_build(root, "book", timeout=1800)
    assert proc.returncode == 0, "the book does not build with HTML in a country label:\n" + proc.stderr[-4000:]
    yield root
    kill_all(root)


def _pages_with_label(root: Path) -> dict[str, str]:
    forms = ("&lt;script&gt;alert(&quot;x&quot;)", "&lt;script&gt;alert(\"x\")", "\\u003cscript\\u003ealert(\\\"x\\\")")
    pages = {}
    for page in sorted((root / "_build" / "html" / "chapters").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        if any(f in text for f in forms):
            pages[page.name] = text
    return pages


def test_html_in_data_is_escaped_in_every_page(injected):
    pages = _pages_with_label(injected)
    assert pages, "no page shows the country label: the test would prove nothing"
    for page in (injected / "_build" / "html").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<script>\s*alert", text, re.I), page
        assert "<img src=x" not in text.lower(), page


def test_html_in_data_is_shown_as_text_never_run(injected, browser):
    import functools
    import http.server
    import threading
    from urllib.parse import urlparse

    from .conftest import _Quiet

    pages = _pages_with_label(injected)
    handler = functools.partial(_Quiet, directory=str(injected / "_build" / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    host = urlparse(base).netloc
    problems = []
    shown = {}
    try:
        for name in pages:
            context = browser.new_context()
            context.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).netloc == host
                          or r.request.url.startswith("data:") else r.abort())
            page = context.new_page()
            dialogs = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(f"{base}/chapters/{name}", wait_until="load")
            if page.locator(".report-chart").count():
                page.wait_for_function(
                    "() => [...document.querySelectorAll('.report-chart')].every("
                    "el => el.dataset.rendered === 'true' || el.dataset.renderError)", timeout=60_000)
            page.wait_for_timeout(300)
            found = page.evaluate("""(label) => {
                const texts = [...document.querySelectorAll('td, th, li, p, span, text, tspan, title, desc')]
                    .map(el => el.textContent);
                return {
                  full: texts.some(t => t.includes(label)),
                  start: texts.some(t => t.includes('<script>alert("x")')),
                  injectedImages: document.querySelectorAll('img[src="x"], img[onerror]').length,
                  scripts: [...document.querySelectorAll('script')]
                      .filter(s => (s.type || 'text/javascript') !== 'application/json' && s.textContent.includes('alert('))
                      .length,
                  renderErrors: [...document.querySelectorAll('.report-chart')]
                      .filter(el => el.dataset.renderError).map(el => el.id),
                };
            }""", LABEL)
            context.close()
            shown[name] = "full" if found["full"] else ("truncated (chart label)" if found["start"] else "no")
            if dialogs:
                problems.append(f"{name}: a dialog fired: {dialogs}")
            if found["injectedImages"] or found["scripts"]:
                problems.append(f"{name}: injected elements in the DOM: {found}")
            if found["renderErrors"]:
                problems.append(f"{name}: charts not drawn: {found['renderErrors']}")
    finally:
        server.shutdown()
    assert problems == []
    assert "full" in shown.values(), f"the label is not shown in full as text on any page: {shown}"
