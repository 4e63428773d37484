"""Fault injection: every failure names its culprit, stops every process and leaves the last good book.

All cases run the real pipeline (``python -m helpers.build ...``) in a throw-away copy of the repository
(see ``repo_copy``), with the last good ``_build/html`` and the cache copied in. Covered:

* bad input, found before any kernel starts, exit code 2 and one line naming the culprit: parameters
  (unknown, wrong type, reversed or out-of-range years, unknown codes and options, NaN/infinity), data
  (schema violations, checksums, a missing file, a file replaced by a directory, a datapackage.json syntax
  error, NUL bytes, infinities, a year 3024, an unlisted file), an invalid notebook, a ``_toc.yml`` that is
  not YAML or not the registry's, a read-only ``_build``;
* failures while chapters run: a cell that raises, a kernel that dies, a cell that never ends and a
  stopped kernel (both stopped by the chapter's time limit), a full disk;
* stops: SIGINT, SIGTERM, Ctrl-C (SIGINT to the process group), SIGHUP (terminal closed) and ``kill -9``
  of the main process (no process left after 10 s, a ``| tee`` pipe returns; the next build cleans up);
* two builds in one checkout (the second waits for the first); kernels started while other programs
  take ports (IPC transport: no port to clash on);
* damaged cache entries (Vega bundle, an executed notebook, the static SVGs) are rebuilt, under another
  time zone, giving the same pages; no temporary file is left (the build's TMPDIR stays empty);
* a country label holding HTML/script is shown as text, never executed.

After each failure: ``_build/html``, ``_build/executed`` and ``data/`` are byte-identical to before, the
cache holds exactly the entries it held (each complete and verified), no temporary file is left.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from helpers.book.params import CHAPTERS, SPECS
from helpers.build import normalise

from .repo_copy import (
    build_cmd,
    build_processes,
    cache_entries,
    command_line,
    copy_repo,
    diff_trees,
    env_for,
    hold_cell,
    imported_helpers,
    incomplete_entries,
    inject_cell,
    kill_all,
    leftovers,
    nearly_full,
    processes_of,
    read_only,
    resign,
    run_build,
    start_build,
    state,
    tree_bytes,
    wait_until,
)

pytestmark = pytest.mark.slow
SAVED = ("data", "chapters")
SAVED_FILES = ("_toc.yml", "_config.yml")


# --------------------------------------------------------------------------- the copy


BOOK = ("html", "executed", "edition.json")  # what a successful build in a test may change in _build/


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A copy of the repository with the last good book; its own `book` build makes it current. A copy of
    that book is kept aside, to put back after a test that built another one."""
    root = copy_repo(tmp_path_factory.mktemp("faults") / "repo")
    proc = run_build(root, "book")
    assert proc.returncode == 0, "the copy of the repository does not build:\n" + proc.stderr[-4000:]
    good = root.parent / "good-build"
    good.mkdir()
    for name in BOOK:
        _copy(root / "_build" / name, good / name)
    yield root
    kill_all(root)


def _copy(src: Path, dest: Path) -> None:
    if src.is_dir():
        shutil.copytree(src, dest)
    else:
        shutil.copy2(src, dest)


def _fingerprint(path: Path) -> dict:
    return tree_bytes(path) if path.is_dir() else {"": path.read_bytes().hex() if path.exists() else None}


def _put_back_the_good_book(root: Path) -> None:
    good = root.parent / "good-build"
    for name in BOOK:
        target = root / "_build" / name
        if _fingerprint(good / name) != _fingerprint(target):
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
            _copy(good / name, target)


@pytest.fixture
def repo(base):
    """The copy; after the test, data/, chapters/, the book files, the cache and the built book are put back
    as they were."""
    saved = {d: {p.name: p.read_bytes() for p in (base / d).iterdir() if p.is_file()} for d in SAVED}
    files = {f: (base / f).read_bytes() for f in SAVED_FILES}
    entries = set(cache_entries(base))
    yield base
    kill_all(base)
    _put_back_the_good_book(base)
    for name in ("HOLD", *(f"REACHED-{c}" for c in CHAPTERS)):
        (base / name).unlink(missing_ok=True)
    for d, kept in saved.items():
        for p in (base / d).iterdir():
            if p.is_dir():
                shutil.rmtree(p)
            elif p.name not in kept:
                p.unlink()
        for name, data in kept.items():
            if not (base / d / name).exists() or (base / d / name).read_bytes() != data:
                (base / d / name).write_bytes(data)
    for f, data in files.items():
        (base / f).write_bytes(data)
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
    assert leftovers(root) == [], "temporary files left behind"


def _one_line(out: str, prefix: str = "build not started:") -> str:
    """The build's message: exactly one line starting with ``prefix``, no traceback."""
    assert "Traceback" not in out, out[-3000:]
    lines = [ln for ln in out.splitlines() if ln.startswith(prefix)]
    assert len(lines) == 1, out[-3000:]
    return lines[0]


def _fails_before_any_work(repo: Path, *args: str, words: list[str], env: dict | None = None) -> str:
    before, entries = state(repo), cache_entries(repo)
    proc = run_build(repo, *args, timeout=300, env=env)
    out = proc.stderr
    assert proc.returncode == 2, out[-3000:]
    line = _one_line(out)
    for w in words:
        assert w in line, line
    assert "executing" not in out and "Kernel" not in out
    _assert_untouched(repo, before, entries, out)
    return line


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

    cases = [
        pytest.param(
            CHAPTERS[0], [("no_such_parameter", "1")], "no_such_parameter", ["unknown parameter"], id="unknown-name"
        ),
        pytest.param("no_such_chapter", [], "<chapter>", ["unknown chapter", CHAPTERS[0]], id="unknown-chapter"),
    ]
    c, p = first(lambda c, p: p.kind in ("int", "year"))
    cases.append(pytest.param(c, [(p.name, "twenty")], p.name, ["expected an integer"], id="wrong-type"))
    c, p = first(lambda c, p: p.kind == "year" and p.name == "start_year" and "end_year" in {q.name for q in SPECS[c]})
    lo, hi = p.range()
    cases.append(
        pytest.param(
            c,
            [("start_year", str(hi)), ("end_year", str(lo))],
            "start_year",
            ["must not be after end_year"],
            id="reversed-years",
        )
    )
    c, p = first(lambda c, p: p.kind == "year" and p.bounds is not None)
    cases.append(
        pytest.param(
            c, [(p.name, str(p.range()[1] + 10))], p.name, ["outside the allowed range"], id="year-outside-data"
        )
    )
    c, p = first(lambda c, p: p.kind == "iso3")
    assert "XYZ" not in p.allowed()
    cases.append(pytest.param(c, [(p.name, "XYZ")], p.name, ["unknown ISO3 code 'XYZ'"], id="unknown-iso3"))
    c, p = first(lambda c, p: p.kind == "iso3_list")
    cases.append(
        pytest.param(c, [(p.name, "[KOR, XYZ]")], p.name, ["unknown ISO3 code(s) ['XYZ']"], id="unknown-iso3-in-list")
    )
    c, p = first(lambda c, p: p.kind == "choice" and p.allowed())
    cases.append(
        pytest.param(c, [(p.name, "no_such_option")], p.name, ["unknown value 'no_such_option'"], id="unknown-option")
    )
    c, p = first(lambda c, p: p.kind == "choice_list" and p.allowed() and "." in "".join(p.allowed()))
    if c is None:
        c, p = first(lambda c, p: p.kind == "choice_list" and p.allowed())
    cases.append(
        pytest.param(
            c,
            [(p.name, "[NO.SUCH.INDICATOR]")],
            p.name,
            ["unknown value(s) ['NO.SUCH.INDICATOR']"],
            id="unknown-indicator",
        )
    )
    c, p = first(lambda c, p: p.kind == "dict")
    if c is not None:
        cases.append(pytest.param(c, [(p.name, "{low: 1}")], p.name, ["expected exactly the keys"], id="dict-keys"))
    c, p = first(lambda c, p: p.kind == "int")

    cases.append(pytest.param(c, [(p.name, ".inf")], p.name, ["not a finite number"], id="infinity"))
    c, p = first(lambda c, p: p.kind == "year")
    cases.append(pytest.param(c, [(p.name, ".nan")], p.name, ["not a finite number"], id="nan"))
    return cases


@pytest.mark.parametrize("chapter, pairs, culprit, words", _param_cases())
def test_bad_parameters_stop_before_any_work(repo, chapter, pairs, culprit, words):
    args = ["chapter", chapter] + [x for name, value in pairs for x in ("-p", name, value)]
    _fails_before_any_work(repo, *args, words=[f"chapter '{chapter}'", f"parameter '{culprit}'", *words])


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
        return _csv([r[:i] + r[i + 1 :] for r in rows])

    return mutate


def _extra(column: str):
    return lambda text: _csv([r + ([column] if n == 0 else ["1"]) for n, r in enumerate(_rows(text))])


def _duplicate(row: int):
    def mutate(text):
        rows = _rows(text)
        return _csv(rows[: row + 1] + [rows[row]] + rows[row + 1 :])

    return mutate


def _year_after_coverage(root: Path, table: str) -> str:
    pkg = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    cov = next(r["coverage"] for r in pkg["resources"] if r["name"] == table)
    return str(cov["year_max"] + 5)


def _year_after_coverage(root: Path, table: str) -> str:
    pkg = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    cov = next(r["coverage"] for r in pkg["resources"] if r["name"] == table)
    return str(cov["year_max"] + 5)


def _year_3024(root: Path) -> None:
    """A year 3024 in wdi.csv, with the coverage in datapackage.json saying so (as `make data` would
    write it): only the schema's plausible range can catch it."""
    path = root / "data" / "wdi.csv"
    path.write_text(_set(3, "year", "3024")(path.read_text(encoding="utf-8")), encoding="utf-8")
    pkg_path = root / "data" / "datapackage.json"
    pkg = json.loads(pkg_path.read_text(encoding="utf-8"))
    next(r for r in pkg["resources"] if r["name"] == "wdi")["coverage"]["year_max"] = 3024
    pkg_path.write_text(json.dumps(pkg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    resign(root, "wdi.csv", "datapackage.json")


def _replace(old: str, new: str):
    return lambda text: text.replace(old, new, 1)


def _nul(text: str) -> str:
    lines = text.split("\n")
    lines[7] = lines[7][:3] + "\x00" + lines[7][3:]
    return "\n".join(lines)


# (id, file, mutation, re-sign the manifest?, column named, words in the message)
DATA_CASES = [
    ("missing-column", "wdi.csv", _drop("value"), True, "value", "missing column"),
    ("extra-column", "wdi.csv", _extra("x"), True, "x", "unexpected column"),
    ("wrong-type", "wdi.csv", _set(4, "year", "20x1"), True, "year", "wrong type"),
    ("duplicate-key", "wdi.csv", _duplicate(1), True, None, "duplicate key"),
    ("unknown-iso3", "wdi.csv", _set(2, "iso3", "XXX"), True, "iso3", "known_iso3"),
    (
        "negative-level",
        "unctad_dds.csv",
        _set(1, "value_usd_mn", "-5.0"),
        True,
        "value_usd_mn",
        "greater_than_or_equal_to",
    ),
    ("year-outside-coverage", "wdi.csv", "year-after-coverage", True, "year", "coverage"),
    ("year-3024", "wdi.csv", "year-3024", False, "year", "less_than_or_equal_to(2100)"),
    ("list-date-3024", "top500_country.csv", _set(1, "list_date", "3024-06"), True, "list_date", "str_matches"),
    ("missing-required", "unctad_dds.csv", _set(1, "value_usd_mn", ""), True, "value_usd_mn", "missing"),
    ("bad-enum", "unctad_dds.csv", _set(1, "flow", "exportz"), True, "flow", "isin"),
    ("share-out-of-range", "openness.csv", _set(1, "value", "250"), True, "value", "bounds"),
    ("infinity", "wdi.csv", _set(5, "value", "inf"), True, "value", "non-finite number"),
    ("nan-text", "unctad_dds.csv", _set(2, "value_usd_mn", "NaN"), True, "value_usd_mn", "non-finite number"),
    ("nul-byte", "wdi.csv", _nul, True, None, "NUL byte at line 8"),
    (
        "checksum-mismatch",
        "countries.csv",
        lambda t: t.replace("Australia", "Austrlia"),
        False,
        None,
        "checksum mismatch",
    ),
    ("file-missing", "wto_headlines.csv", None, False, None, "file is missing"),
    ("replaced-by-a-directory", "wto_headlines.csv", "directory", False, None, "not a regular file"),
    (
        "datapackage-syntax",
        "datapackage.json",
        _replace('"resources": [', '"resources": [,'),
        True,
        None,
        "not valid JSON",
    ),
]


@pytest.mark.parametrize("file, mutate, sign, column, words", [pytest.param(*c[1:], id=c[0]) for c in DATA_CASES])
def test_corrupted_data_stops_make_book_before_any_chapter_runs(repo, file, mutate, sign, column, words):
    path = repo / "data" / file
    if mutate is None:
        path.unlink()
    elif mutate == "directory":
        path.unlink()
        path.mkdir()
    elif mutate == "year-3024":
        _year_3024(repo)
    else:
        if mutate == "year-after-coverage":
            mutate = _set(3, "year", _year_after_coverage(repo, file.removesuffix(".csv")))
        path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")
    if sign:  # the schema check, not the checksum, must catch it
        resign(repo, file)
    line = _fails_before_any_work(repo, "book", words=[f"data/{file}", words])
    if column:
        assert f"column '{column}'" in line, line


def test_an_unlisted_data_file_stops_the_build(repo):
    (repo / "data" / "extra.csv").write_text("iso3,value\nCHN,1\n", encoding="utf-8")
    _fails_before_any_work(repo, "book", words=["data/extra.csv", "is not listed in data/SHA256SUMS"])


# --------------------------------------------------------------------------- malformed book files


def test_an_invalid_notebook_stops_the_build(repo):
    nb = repo / "chapters" / f"{CHAPTERS[1]}.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8")[:500], encoding="utf-8")
    _fails_before_any_work(repo, "book", words=[f"chapters/{nb.name}: not valid notebook JSON", "line"])


@pytest.mark.parametrize(
    "toc, words",
    [("format: jb-book\nroot: [chapters/intro\n", "not valid YAML"), (None, "differs from the chapter registry")],
    ids=["yaml-error", "not-registry"],
)
def test_a_broken_table_of_contents_stops_the_build(repo, toc, words):
    path = repo / "_toc.yml"
    path.write_text(toc if toc is not None else path.read_text().replace(f"      - file: chapters/{CHAPTERS[2]}\n", ""))
    _fails_before_any_work(repo, "book", words=["_toc.yml", words, "make toc"])


def test_a_read_only_build_folder_is_found_before_any_work(repo):
    with read_only(repo / "_build"):
        _fails_before_any_work(repo, "book", words=["cannot write to", "_build"])


# --------------------------------------------------------------------------- failures while chapters run


def _run_and_fail(repo: Path, *args: str, rc: int, env: dict | None = None, timeout: float = 600) -> str:
    before, entries = state(repo), cache_entries(repo)
    proc = run_build(repo, *args, timeout=timeout, env=env)
    out = proc.stderr
    assert proc.returncode == rc, out[-3000:]
    assert wait_until(lambda: not processes_of(repo), 20), [command_line(p) for p in processes_of(repo)]
    _assert_untouched(repo, before, entries, out)
    return out


def test_a_chapter_that_raises_stops_the_build_and_the_chapter_beside_it(repo):
    failing, held = CHAPTERS[0], CHAPTERS[1]
    inject_cell(repo, failing, 'raise RuntimeError("injected fault: this chapter breaks")\n')
    inject_cell(repo, held, hold_cell(repo, held) + "# case: beside a failing chapter\n")
    (repo / "HOLD").touch()
    out = _run_and_fail(repo, "book", "--jobs", "2", rc=1)
    line = _one_line(out, "build stopped:")
    assert f"chapter '{failing}' failed" in line
    assert re.search(r"cell \d+ \(execution count \d+: `raise RuntimeError", line), line
    assert "RuntimeError: injected fault: this chapter breaks" in line


def test_a_dead_kernel_is_named_with_its_chapter_and_cell(repo):
    chapter = CHAPTERS[2]
    inject_cell(repo, chapter, "import os\nos._exit(1)  # case: the kernel dies\n")
    line = _one_line(_run_and_fail(repo, "run", chapter, rc=1), "build stopped:")
    assert re.search(rf"chapter '{chapter}' failed: the kernel died while running cell \d+ \(`import os`\)", line), line


@pytest.mark.parametrize(
    "cell",
    [
        "while True:\n    pass  # case: loops for ever\n",
        "import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)  # case: stopped kernel\n",
    ],
    ids=["endless-loop", "stopped-kernel"],
)
def test_a_chapter_that_never_ends_is_stopped_by_its_time_limit(repo, cell, tmp_path):
    chapter = CHAPTERS[3]
    inject_cell(repo, chapter, cell)
    tmpdir = tmp_path / "tmpdir"  # the caller's TMPDIR: nothing may be left in it
    tmpdir.mkdir()
    t0 = time.monotonic()
    out = _run_and_fail(repo, "run", chapter, rc=1, env={"REPORT_CHAPTER_TIMEOUT": "20", "TMPDIR": str(tmpdir)})
    line = _one_line(out, "build stopped:")
    first = cell.splitlines()[0]
    assert re.search(
        rf"chapter '{chapter}' failed: cell \d+ \(`{re.escape(first)}`\) did not finish within the "
        r"chapter's time limit of 20 s",
        line,
    ), line
    assert time.monotonic() - t0 < 90
    assert list(tmpdir.iterdir()) == []


def test_a_full_disk_while_executing_is_one_line_and_leaves_nothing_behind(repo):
    chapter = CHAPTERS[0]
    inject_cell(repo, chapter, "x = 1  # case: disk full\n")
    with nearly_full(repo / ".cache", free_kb=32):
        out = _run_and_fail(repo, "run", chapter, rc=2)
    line = _one_line(out, "build stopped:")
    assert f"chapter '{chapter}'" in line and "No space left on device" in line, line


# --------------------------------------------------------------------------- interrupted builds


def _start_held(repo: Path, chapters: list[str], case: str, log: Path, *args: str):
    for c in chapters:  # each case its own cell, hence its own cache key
        inject_cell(repo, c, hold_cell(repo, c) + f"# case: {case}\n")
    (repo / "HOLD").touch()
    proc = start_build(repo, "book", "--jobs", str(len(chapters)), *args, log=log)
    reached = wait_until(
        lambda: all((repo / f"REACHED-{c}").exists() for c in chapters) or proc.poll() is not None, 600, 0.2
    )
    assert reached and proc.poll() is None, "execution did not get under way:\n" + log.read_text()[-3000:]
    return proc


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM", "ctrl-c", "SIGHUP"])
def test_an_interrupted_build_leaves_nothing_behind_and_the_rerun_succeeds(repo, how, tmp_path):
    chapters = CHAPTERS[:2]
    before, entries = state(repo), cache_entries(repo)
    log = tmp_path / "build.log"
    proc = _start_held(repo, chapters, how, log)
    try:
        kernels = [p for p in processes_of(repo) if "ipykernel" in command_line(p)]
        assert len(kernels) == len(chapters), [command_line(p) for p in processes_of(repo)]
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
    assert (
        "build interrupted by "
        + {"ctrl-c": "Ctrl-C", "SIGINT": "Ctrl-C", "SIGHUP": "SIGHUP (terminal closed)"}.get(how, how)
        in out
    ), out[-3000:]
    assert wait_until(lambda: not processes_of(repo), 20), "processes left: " + str(
        [command_line(p) for p in processes_of(repo)]
    )
    _assert_untouched(repo, before, entries, out)
    if how != "ctrl-c":
        return
    (repo / "HOLD").unlink()
    rerun = run_build(repo, "book", "--jobs", "2", timeout=1200)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert f"executing {len(chapters)} chapter(s)" in rerun.stderr
    new = set(cache_entries(repo)) - set(entries)
    assert sorted(k.split("/")[0] for k in new) == sorted(chapters)
    assert incomplete_entries(repo) == [] and leftovers(repo) == []
    assert not processes_of(repo)


def test_kill_9_of_the_build_leaves_no_process_and_a_tee_pipe_returns(repo, tmp_path):
    """SIGKILL cannot be handled: every child dies with its parent (Linux parent-death signal); what the
    killed build left on disk is removed by the next build, which starts at once (the lock died with it)."""
    chapters = CHAPTERS[:2]
    before, entries = state(repo), cache_entries(repo)
    for c in chapters:
        inject_cell(repo, c, hold_cell(repo, c) + "# case: kill -9\n")
    (repo / "HOLD").touch()
    cmd = " ".join(build_cmd("book", "--jobs", "2")) + f" 2>&1 | tee {tmp_path / 'tee.log'}"
    pipe = subprocess.Popen(
        ["bash", "-c", cmd],
        cwd=repo,
        env=env_for(repo),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        assert wait_until(lambda: all((repo / f"REACHED-{c}").exists() for c in chapters), 600, 0.2), (
            tmp_path / "tee.log"
        ).read_text()[-3000:]
        main = build_processes(repo)
        assert len(main) == 1, [command_line(p) for p in processes_of(repo)]
        assert len([p for p in processes_of(repo) if "ipykernel" in command_line(p)]) == len(chapters)
        os.kill(main[0].pid, signal.SIGKILL)
        t0 = time.monotonic()
        out, _ = pipe.communicate(timeout=15)  # tee sees the end of its input: every writer is gone
        assert time.monotonic() - t0 < 10
        assert wait_until(lambda: not processes_of(repo), 10), [command_line(p) for p in processes_of(repo)]
    finally:
        if pipe.poll() is None:
            os.killpg(pipe.pid, signal.SIGKILL)
    assert leftovers(repo), "a killed build leaves its temporary files (removed by the next build)"
    for c in chapters:  # the chapters as they were: the next build has nothing to execute
        shutil.copy2(Path(__file__).resolve().parents[2] / "chapters" / f"{c}.ipynb", repo / "chapters" / f"{c}.ipynb")
    (repo / "HOLD").unlink()
    nxt = run_build(repo, "book", timeout=600)
    assert nxt.returncode == 0, nxt.stderr[-3000:]
    assert "cleaned up after an earlier build that was killed" in nxt.stderr
    _assert_untouched(repo, before, entries, nxt.stderr)


def test_a_book_moved_aside_by_a_killed_build_is_put_back(repo):
    html, aside = repo / "_build" / "html", repo / "_build" / "html.old"
    before, entries = state(repo), cache_entries(repo)
    os.replace(html, aside)  # as if killed between the two renames of the swap
    proc = run_build(repo, "book", timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "restored" in proc.stderr and "executing" not in proc.stderr
    _assert_untouched(repo, before, entries, proc.stderr)


def test_a_second_build_in_the_same_checkout_waits_for_the_first(repo, tmp_path):
    chapter = CHAPTERS[0]
    first = _start_held(repo, [chapter], "concurrent builds", tmp_path / "first.log")
    second = start_build(repo, "book", log=tmp_path / "second.log")
    try:
        assert wait_until(lambda: "another build is running" in (tmp_path / "second.log").read_text(), 60), (
            tmp_path / "second.log"
        ).read_text()
        time.sleep(1)
        assert second.poll() is None, "the second build did not wait"
        (repo / "HOLD").unlink()
        assert first.wait(timeout=600) == 0, (tmp_path / "first.log").read_text()[-3000:]
        assert second.wait(timeout=600) == 0, (tmp_path / "second.log").read_text()[-3000:]
    finally:
        for p in (first, second):
            if p.poll() is None:
                p.kill()
    text = (tmp_path / "second.log").read_text()
    assert f"pid {first.pid}" in text and "executed: none (all cached); HTML up to date" in text
    assert leftovers(repo) == [] and incomplete_entries(repo) == []


# --------------------------------------------------------------------------- kernels and ports


def test_kernels_start_while_other_programs_take_ports():
    """Kernels of the build listen on abstract IPC sockets: no TCP port is chosen, so none can be taken
    by another program between being chosen and bound (jupyter_client's race over TCP)."""
    import asyncio

    from helpers.build.kernel import BuildKernelManager

    stop, taken = threading.Event(), []

    def take_ports():  # grab and hold free ports, as a busy machine does
        while not stop.is_set():
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            s.listen()
            taken.append(s)
            if len(taken) > 500:
                taken.pop(0).close()

    async def start_and_run(n: int):
        kms = [BuildKernelManager(kernel_name="python3") for _ in range(n)]
        await asyncio.gather(*(km.start_kernel() for km in kms))
        try:
            for km in kms:
                kc = km.client()
                kc.start_channels()
                await kc.wait_for_ready(timeout=60)
                reply = await kc.execute_interactive("print(6 * 7)", timeout=60)
                assert reply["content"]["status"] == "ok"
                kc.stop_channels()
                info = json.loads(Path(km.connection_file).read_text(encoding="utf-8"))  # what the kernel bound
                assert info["transport"] == "ipc" and str(info["ip"]).startswith("@"), info
        finally:
            await asyncio.gather(*(km.shutdown_kernel(now=True) for km in kms))

    thread = threading.Thread(target=take_ports, daemon=True)
    thread.start()
    errors = []

    def kernels():  # in a thread of its own: the browser tests' event loop may be running in this one
        try:
            asyncio.run(start_and_run(3))
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)

    try:
        runner = threading.Thread(target=kernels)
        runner.start()
        runner.join(timeout=300)
        assert not runner.is_alive(), "kernels did not start within 300 s"
        if errors:
            raise errors[0]
    finally:
        stop.set()
        thread.join()
        for s in taken:
            s.close()
    assert len(taken) > 10


# --------------------------------------------------------------------------- damaged cache, another time zone


def test_damaged_cache_entries_are_rebuilt_and_another_time_zone_gives_the_same_pages(repo, tmp_path):
    before, entries = state(repo), cache_entries(repo)
    damaged = CHAPTERS[1]
    published = {
        p: (repo / p).read_bytes()
        for p in (f"_build/html/_sources/chapters/{damaged}.ipynb", f"_build/executed/{damaged}.ipynb")
    }
    cache = repo / ".cache"
    bundle = next(cache.glob("vega-bundle-*.js"))
    bundle.write_bytes(bundle.read_bytes()[:1000])  # truncated: every chart would break
    entry = max((cache / "chapters" / damaged).iterdir(), key=lambda p: p.stat().st_mtime)
    nb = entry / "notebook.ipynb"
    nb.write_bytes(nb.read_bytes()[:2000])  # truncated: the next build would not parse it
    shutil.rmtree(cache / "svg")  # every static SVG drawn again, under the other time zone
    shutil.rmtree(repo / "_build" / "html")  # the HTML must be built again for the bundle to be used
    tmpdir = tmp_path / "tmpdir"
    tmpdir.mkdir()
    proc = run_build(repo, "book", timeout=1200, env={"TZ": "Pacific/Kiritimati", "TMPDIR": str(tmpdir)})
    out = proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert f"cache entry of chapter '{damaged}' is damaged" in out and "executing 1 chapter(s) on" in out
    assert "KeyboardInterrupt" not in out and "TCP" not in out  # no interrupt at shutdown, no TCP warning
    after = state(repo)
    assert set(after["html"]) == set(before["html"])
    differ = [k for k in before["html"] if before["html"][k] != after["html"][k]]
    # only the re-executed chapter's published notebook carries new run metadata (times); nothing else
    assert differ in ([], [f"_sources/chapters/{damaged}.ipynb"]), differ
    for path, old in published.items():
        assert normalise.normalise_bytes(path, old) == normalise.normalise_bytes(path, (repo / path).read_bytes())
    assert diff_trees(before["data"], after["data"]) == []
    assert incomplete_entries(repo) == [] and leftovers(repo) == [] and list(tmpdir.iterdir()) == []
    assert set(entries) == set(cache_entries(repo))
    assert (repo / "_build" / "html" / "_static" / "vega-bundle.js").read_bytes() == bundle.read_bytes()
    assert len(bundle.read_bytes()) > 100_000


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
    forms = ("&lt;script&gt;alert(&quot;x&quot;)", '&lt;script&gt;alert("x")', '\\u003cscript\\u003ealert(\\"x\\")')
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
            context.route(
                "**/*",
                lambda r: (
                    r.continue_()
                    if urlparse(r.request.url).netloc == host or r.request.url.startswith("data:")
                    else r.abort()
                ),
            )
            page = context.new_page()
            dialogs = []
            page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
            page.goto(f"{base}/chapters/{name}", wait_until="load")
            if page.locator(".report-chart").count():
                page.wait_for_function(
                    "() => [...document.querySelectorAll('.report-chart')].every("
                    "el => el.dataset.rendered === 'true' || el.dataset.renderError)",
                    timeout=60_000,
                )
            page.wait_for_timeout(300)
            found = page.evaluate(
                """(label) => {
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
            }""",
                LABEL,
            )
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
