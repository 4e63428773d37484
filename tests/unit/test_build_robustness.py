"""Build pieces that keep failures harmless and no-op builds cheap (helpers.build)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import registry
from helpers.build import cache, cli, edition, preflight, procs, sphinx, svgs
from helpers.build.cache import Job

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def root(tmp_path, monkeypatch):
    """A minimal repository root: book files, _static, chapters/*.md, data."""
    r = tmp_path / "repo"
    for f in ("_config.yml", "_toc.yml", "requirements.txt"):
        (r / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / f, r / f)
    shutil.copytree(REPO / "_static", r / "_static")
    (r / "chapters").mkdir()
    (r / "chapters" / "intro.md").write_text("# Intro\n", encoding="utf-8")
    (r / "data").mkdir()
    (r / "data" / "t.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (r / "data" / "SHA256SUMS").write_text(f"{'0' * 64}  t.csv\n", encoding="utf-8")
    monkeypatch.setenv("REPORT_ROOT", str(r))
    return r


def _jobs(**keys):
    return [Job(c, {}, k) for c, k in (keys or {"a": "k1", "b": "k2"}).items()]


def test_book_key_changes_with_every_input_of_the_book(root):
    base = sphinx.book_key(_jobs())
    assert sphinx.book_key(_jobs()) == base
    assert sphinx.book_key(_jobs(a="k1", b="k3")) != base  # a chapter's inputs changed
    for path, text in [
        ("_static/report.css", "/* edited */"),
        ("chapters/intro.md", "# Intro edited\n"),
        ("data/t.csv", "a,b\n1,3\n"),
        ("_toc.yml", "format: jb-book\n"),
    ]:
        old = (root / path).read_bytes()
        (root / path).write_text(text, encoding="utf-8")
        assert sphinx.book_key(_jobs()) != base, path
        (root / path).write_bytes(old)
        assert sphinx.book_key(_jobs()) == base
    (root / "_static" / "new.js").write_text("1", encoding="utf-8")
    assert sphinx.book_key(_jobs()) != base


def test_only_listed_data_files_are_published(root):
    (root / "data" / "NOTES.md").write_text("notes", encoding="utf-8")
    assert [p.name for p in sphinx.published_data()] == ["t.csv", "SHA256SUMS"]


def test_html_is_current_only_with_the_same_key_and_a_complete_book(root):
    html = root / "_build" / "html"
    assert not sphinx.html_is_current("abc")
    html.mkdir(parents=True)
    (html / sphinx.BOOK_KEY_FILE).write_text("abc\n", encoding="utf-8")
    assert not sphinx.html_is_current("abc")  # no index.html
    (html / "index.html").write_text("<html></html>", encoding="utf-8")
    assert sphinx.html_is_current("abc")
    assert not sphinx.html_is_current("abd")


def test_leftovers_of_a_killed_build_are_removed_and_a_book_moved_aside_is_restored(root):
    for d in (root / ".cache" / "tmp" / "china_scale-x1y2", root / "_build" / ".staging" / "book"):
        (d / "sub").mkdir(parents=True)
    (root / "_build" / "executed").mkdir()
    half = root / "_build" / "executed" / ".china_scale.ipynb.part"
    half.write_text("{", encoding="utf-8")
    aside = root / "_build" / "html.old"
    (aside / "chapters").mkdir(parents=True)
    (aside / "index.html").write_text("last good", encoding="utf-8")
    kept = root / ".cache" / "chapters" / "a" / "k1"
    kept.mkdir(parents=True)
    done = cache.remove_leftovers()
    assert not (root / ".cache" / "tmp").exists() and not (root / "_build" / ".staging").exists()
    assert not half.exists()
    assert (root / "_build" / "html" / "index.html").read_text(encoding="utf-8") == "last good"
    assert not aside.exists() and any("restored" in d for d in done) and kept.exists()
    aside.mkdir()  # with a book in place, a folder moved aside by a dead build is just removed
    cache.remove_leftovers()
    assert not aside.exists() and (root / "_build" / "html" / "index.html").exists()
    assert cache.remove_leftovers() == []


def test_discard_never_leaves_a_half_deleted_entry_under_its_name(root):
    entry = root / ".cache" / "chapters" / "a" / "k1"
    (entry / "assets").mkdir(parents=True)
    for name in ("notebook.ipynb", "meta.json", "assets/x.csv"):
        (entry / name).write_text("x", encoding="utf-8")
    cache.discard(entry)
    assert not entry.exists()
    assert list((root / ".cache" / "tmp").iterdir()) == []
    cache.discard(entry)  # already gone: nothing to do


def _entry(root, chapter="a", key="k1"):
    tmp = cache.new_tmp(chapter)
    (tmp / "assets").mkdir()
    (tmp / "notebook.ipynb").write_text('{"cells": []}', encoding="utf-8")
    (tmp / "meta.json").write_text('{"wall_s": 1}', encoding="utf-8")
    (tmp / "assets" / "fig.svg.vl.json").write_text("{}", encoding="utf-8")
    job = Job(chapter, {}, key)
    cache.promote(tmp, job.entry)
    return job


@pytest.mark.parametrize("damage", ["truncate-notebook", "edit-asset", "drop-checksums", "extra-file", "remove-meta"])
def test_a_damaged_cache_entry_is_detected(root, damage):
    job = _entry(root)
    assert cache.usable(job) and cache.entry_problem(job.entry) is None
    e = job.entry
    if damage == "truncate-notebook":
        (e / "notebook.ipynb").write_text('{"cel', encoding="utf-8")
    elif damage == "edit-asset":
        (e / "assets" / "fig.svg.vl.json").write_text('{"x": 1}', encoding="utf-8")
    elif damage == "drop-checksums":
        (e / cache.CHECKSUMS).unlink()
    elif damage == "extra-file":
        (e / "assets" / "stray.csv").write_text("1", encoding="utf-8")
    else:
        (e / "meta.json").unlink()
    assert not cache.usable(job) and cache.entry_problem(e)


def test_a_verified_file_is_returned_only_when_complete(root):
    path = root / ".cache" / "vega-bundle-x.js"
    cache.write_verified(path, b"(function(){ vega })();\n")
    assert cache.read_verified(path) == b"(function(){ vega })();\n"
    path.write_bytes(b"(function(){ ve")  # truncated after it was written
    assert cache.read_verified(path) is None
    assert not path.exists() and not path.with_name(path.name + ".sha256").exists()
    path.write_bytes(b"no checksum beside me")
    assert cache.read_verified(path) is None


def test_a_truncated_vega_bundle_is_rebuilt(root):
    good = sphinx.vega_bundle()
    bundle = sphinx._bundle_path()
    bundle.write_bytes(good[: len(good) // 2])
    assert sphinx.vega_bundle() == good
    assert bundle.read_bytes() == good


def test_stop_signals_are_held_back_during_the_swap(monkeypatch):
    """Ctrl-C between the two renames of the swap would leave no _build/html: it is delivered after them.
    SIGINT is set to Python's handler here: a background job of a shell starts with it ignored."""
    monkeypatch.setattr(signal, "SIGINT", signal.SIGINT)
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        got = []
        with pytest.raises(KeyboardInterrupt):
            with procs.signals_deferred():
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.05)
                got.append("both renames done")
            got.append("not reached")
        assert got == ["both renames done"]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, old)


def test_an_ignored_sigint_stays_ignored():
    code = (
        "import os, signal, time; from helpers.build import procs; procs.install_stop_handlers(); "
        "os.kill(os.getpid(), signal.SIGINT); time.sleep(0.1); print('still here')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    assert out.stdout.strip() == "still here", out.stderr


def test_svg_ids_are_numbered_per_file():
    svg = (
        '<defs><linearGradient id="gradient_7"/><clipPath id="clip9"/></defs><path fill="url(#gradient_7)"/>'
        '<g clip-path="url(#clip9)"/><text>gradient_7 and clip9 as text</text><linearGradient id="gradient_3"/>'
        '<rect fill="url(#gradient_3)"/>'
    )
    out = svgs.renumber_svg_ids(svg)
    assert out == (
        '<defs><linearGradient id="gradient_0"/><clipPath id="clip1"/></defs><path fill="url(#gradient_0)"/>'
        '<g clip-path="url(#clip1)"/><text>gradient_7 and clip9 as text</text>'
        '<linearGradient id="gradient_1"/><rect fill="url(#gradient_1)"/>'
    )
    assert svgs.renumber_svg_ids(out) == out


HEAT = {
    "data": {"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]},
    "mark": "rect",
    "encoding": {
        "x": {"field": "x", "type": "ordinal"},
        "y": {"field": "y", "type": "ordinal"},
        "color": {"field": "y", "type": "quantitative"},
    },
}
LINE = {
    "data": {"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]},
    "mark": "line",
    "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}},
}


def _entry_with_specs(root, chapter, figures):
    entry = root / ".cache" / "chapters" / chapter / "k1"
    (entry / "assets").mkdir(parents=True)
    for name, spec in figures.items():
        (entry / "assets" / f"{name}{svgs.SPEC_SUFFIX}").write_text(json.dumps(spec), encoding="utf-8")
    return Job(chapter, {}, "k1")


def test_static_svgs_are_drawn_once_cached_verified_and_independent_of_history(root):
    a = _entry_with_specs(root, "china_scale", {"heat": HEAT, "line": LINE})
    b = _entry_with_specs(root, "structure", {"heat": HEAT})
    html = root / "out"
    done = svgs.render([a, b], html)
    assert done["china_scale"]["figures"] == 2 and done["china_scale"]["drawn"] == 2
    assert done["structure"]["drawn"] == 0  # the same spec: drawn once, taken from the cache
    heat = (html / "_static" / "figures" / "china_scale" / "heat.svg").read_text()
    assert heat.startswith("<svg") and 'id="gradient_0"' in heat  # the engine had drawn before: same ids
    assert (html / "_static" / "figures" / "structure" / "heat.svg").read_text() == heat
    stored = svgs.cached_path(json.dumps(HEAT), svgs._renderer())
    stored.write_text(heat[:50])  # a damaged drawing is drawn again
    again = svgs.render([b], root / "out2")
    assert again["structure"]["drawn"] == 1 and (root / "out2/_static/figures/structure/heat.svg").read_text() == heat
    svgs.prune([b.entry])
    assert sorted(p.name for p in stored.parent.iterdir()) == [stored.name, stored.name + ".sha256"]


def test_a_figure_that_cannot_be_drawn_stops_the_build_naming_chapter_and_figure(root):
    bad = {"mark": "line", "encoding": {"x": {"field": "x", "type": "no-such-type"}}, "data": {"values": [{}]}}
    job = _entry_with_specs(root, "global_trends", {"broken": bad})
    with pytest.raises(svgs.BuildSvgError, match="chapter 'global_trends'.*figure 'broken'"):
        svgs.render([job], root / "out")


# --------------------------------------------------------------------------- before any kernel


def test_toc_must_be_valid_yaml_and_the_registrys(root):
    (root / "_toc.yml").write_text(registry.toc_yaml(), encoding="utf-8")
    preflight.check_toc()
    (root / "_toc.yml").write_text("format: jb-book\nroot: [chapters/intro\n", encoding="utf-8")
    with pytest.raises(preflight.InputError, match=r"_toc.yml: not valid YAML .*line 3.*make toc"):
        preflight.check_toc()
    (root / "_toc.yml").write_text(
        registry.toc_yaml().replace("      - file: chapters/structure\n", ""), encoding="utf-8"
    )
    with pytest.raises(preflight.InputError, match="differs from the chapter registry.*make toc"):
        preflight.check_toc()


def test_notebooks_must_be_valid_and_registered(root):
    for ch in registry.CHAPTERS:
        shutil.copy2(REPO / ch.source, root / ch.source)
    assert set(preflight.check_pages()) == set(preflight.executed_chapters())
    nb = root / "chapters" / f"{preflight.executed_chapters()[0]}.ipynb"
    good = nb.read_text(encoding="utf-8")
    nb.write_text(good[:200], encoding="utf-8")
    with pytest.raises(preflight.InputError, match=rf"chapters/{nb.name}: not valid notebook JSON \(.* line \d+"):
        preflight.check_pages()
    nb.write_text('{"cells": [{"source": "x"}]}', encoding="utf-8")
    with pytest.raises(preflight.InputError, match="not a notebook"):
        preflight.check_pages()
    nb.unlink()
    with pytest.raises(preflight.InputError, match=rf"chapter '{nb.stem}': chapters/{nb.name} is missing"):
        preflight.check_pages()
    nb.write_text(good, encoding="utf-8")
    (root / "chapters" / "draft.ipynb").write_text(good, encoding="utf-8")
    with pytest.raises(preflight.InputError, match="chapters/draft.ipynb is not a chapter of helpers.registry"):
        preflight.check_pages()


def test_a_second_build_waits_for_the_lock(root):
    lock = procs.BuildLock(root / "_build" / ".lock")
    lock.acquire("first", lambda m: None)
    code = (
        "import sys; from pathlib import Path; from helpers.build import procs; "
        "l = procs.BuildLock(Path(sys.argv[1])); l.acquire('second', print); print('got it'); l.release()"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(lock.path)], stdout=subprocess.PIPE, text=True)
    first = proc.stdout.readline()
    assert "another build is running in this checkout" in first and f"pid {os.getpid()}, first" in first
    time.sleep(0.3)
    assert proc.poll() is None  # still waiting
    lock.release()
    out, _ = proc.communicate(timeout=30)
    assert "got it" in out and proc.returncode == 0


def test_an_unwritable_folder_is_named(tmp_path):
    target = tmp_path / "not-a-folder"
    target.write_text("a file where a folder should be")
    with pytest.raises(procs.CannotWrite, match="cannot write to .*not-a-folder"):
        procs.check_writable(target)


# --------------------------------------------------------------------------- editions


def test_chapter_runs_combine_into_the_current_edition(root):
    assert edition.current() == edition.default()
    ed = edition.with_chapter(edition.current(), "china_scale", {"country": "KOR"})
    edition.save(ed)
    ed = edition.with_chapter(edition.current(), "structure", {"country": "KOR"})
    assert ed["chapters"] == {"china_scale": {"country": "KOR"}, "structure": {"country": "KOR"}}
    ed = edition.with_chapter(ed, "china_scale", {"start_year": 2010})
    assert ed["chapters"]["china_scale"] == {"country": "KOR", "start_year": 2010}
    assert 'china_scale: country="KOR", start_year=2010' in edition.describe(ed)
    (root / "_build" / edition.FILE).write_text("{broken", encoding="utf-8")
    assert edition.current() == edition.default()


def test_an_edition_file_is_read_through_the_parameter_module(monkeypatch):
    from helpers.book import params

    seen = []

    def load_edition(path):  # stand-in for helpers.book.params.load_edition (same interface)
        seen.append(path)
        return {"china_scale": {"country": "KOR"}, "structure": {}}

    monkeypatch.setattr(params, "load_edition", load_edition, raising=False)
    ed = edition.from_file("editions/korea.yml")
    assert seen == ["editions/korea.yml"]
    assert ed == {"source": "editions/korea.yml", "chapters": {"china_scale": {"country": "KOR"}}}
    assert edition.describe(ed).startswith("edition editions/korea.yml with china_scale")
    clean = preflight.check_params(ed["chapters"])
    assert edition.without_defaults(ed, clean)["chapters"] == {"china_scale": {"country": "KOR"}}


def test_cli_reports_a_parameter_error_in_one_line_with_exit_2(root, capsys, monkeypatch):
    monkeypatch.setattr(cli.procs, "install_stop_handlers", lambda: None)
    from helpers.book import params

    def load_edition(path):
        raise params.ParameterError("china_scale", "country", f"in {path}: unknown ISO3 code 'XYZ'")

    monkeypatch.setattr(params, "load_edition", load_edition, raising=False)
    assert cli.main(["book", "--params", "editions/bad.yml"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "build not started: chapter 'china_scale', parameter 'country': in editions/bad.yml: unknown ISO3 code 'XYZ'"
    ]
    assert not (root / "_build" / edition.FILE).exists()
