"""Build pipeline pieces that keep failures harmless and no-op builds cheap (helpers.build)."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from helpers.build import pipeline as build

REPO = Path(__file__).resolve().parents[2]
DEAD_PID = 2 ** 22 + 12345  # above Linux's largest pid_max: never a live process


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
    (r / "data" / "SHA256SUMS").write_text("x  t.csv\n", encoding="utf-8")
    monkeypatch.setenv("REPORT_ROOT", str(r))
    return r


def _jobs(**keys):
    return [build.Job(c, {}, k) for c, k in (keys or {"a": "k1", "b": "k2"}).items()]


def test_book_key_changes_with_every_input_of_the_book(root):
    base = build.book_key(_jobs())
    assert build.book_key(_jobs()) == base
    assert build.book_key(_jobs(a="k1", b="k3")) != base  # a chapter's inputs changed
    for path, text in [("_static/report.css", "/* edited */"), ("chapters/intro.md", "# Intro edited\n"),
                       ("data/t.csv", "a,b\n1,3\n"), ("_toc.yml", "format: jb-book\n")]:
        old = (root / path).read_bytes()
        (root / path).write_text(text, encoding="utf-8")
        assert build.book_key(_jobs()) != base, path
        (root / path).write_bytes(old)
        assert build.book_key(_jobs()) == base
    (root / "_static" / "new.js").write_text("1", encoding="utf-8")
    assert build.book_key(_jobs()) != base


def test_html_is_current_only_with_the_same_key_and_a_complete_book(root):
    html = root / "_build" / "html"
    assert not build.html_is_current("abc")
    html.mkdir(parents=True)
    (html / build.BOOK_KEY_FILE).write_text("abc\n", encoding="utf-8")
    assert not build.html_is_current("abc")  # no index.html
    (html / "index.html").write_text("<html></html>", encoding="utf-8")
    assert build.html_is_current("abc")
    assert not build.html_is_current("abd")


def test_leftovers_of_dead_builds_are_removed_and_a_book_moved_aside_is_restored(root):
    tmp = root / ".cache" / "tmp"
    dead_tmp = tmp / f"china_scale-p{DEAD_PID}-x1y2"
    live_tmp = tmp / f"china_scale-p{os.getpid()}-x1y2"
    trash = tmp / f"trash-p{DEAD_PID}-0123abcd"
    unknown = tmp / "someone-elses-folder"
    staging = root / ".cache" / f"staging-p{DEAD_PID}-abc"
    for d in (dead_tmp, live_tmp, trash, unknown, staging):
        (d / "sub").mkdir(parents=True)
    half_bundle = root / ".cache" / f"vega-bundle-1.0.js.tmp-{DEAD_PID}"
    half_bundle.write_text("/* half", encoding="utf-8")
    (root / "_build" / "executed").mkdir(parents=True)
    half_nb = root / "_build" / "executed" / f".x.ipynb.tmp-{DEAD_PID}"
    half_nb.write_text("{", encoding="utf-8")
    own_tmp = root / ".cache" / f"vega-bundle-1.0.js.tmp-{os.getpid()}"
    own_tmp.write_text("/* being written", encoding="utf-8")
    aside = root / "_build" / f"html.old-{DEAD_PID}"
    (aside / "chapters").mkdir(parents=True)
    (aside / "index.html").write_text("last good", encoding="utf-8")
    done = build.remove_leftovers()
    assert not dead_tmp.exists() and not trash.exists() and not staging.exists()
    assert not half_bundle.exists() and not half_nb.exists() and own_tmp.exists()
    assert live_tmp.exists() and unknown.exists()  # a running build's, and a name we do not own
    assert (root / "_build" / "html" / "index.html").read_text(encoding="utf-8") == "last good"
    assert not aside.exists() and any("restored" in d for d in done)
    # with a book in place, a folder moved aside by a dead build is just removed
    aside.mkdir()
    build.remove_leftovers()
    assert not aside.exists() and (root / "_build" / "html" / "index.html").exists()


def test_discard_never_leaves_a_half_deleted_entry_under_its_name(root):
    entry = root / ".cache" / "chapters" / "a" / "k1"
    (entry / "assets").mkdir(parents=True)
    for name in ("notebook.ipynb", "meta.json", "assets/x.svg"):
        (entry / name).write_text("x", encoding="utf-8")
    build._discard(entry)
    assert not entry.exists()
    assert list((root / ".cache" / "tmp").iterdir()) == []
    build._discard(entry)  # already gone: nothing to do


def test_signals_are_held_back_during_the_swap():
    """Ctrl-C between the two renames of the swap would leave no _build/html: it is delivered after them."""
    got = []
    with pytest.raises(KeyboardInterrupt):
        with build._signals_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            got.append("both renames done")
        got.append("not reached")
    assert got == ["both renames done"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_svg_ids_are_numbered_per_file():
    svg = ('<defs><linearGradient id="gradient_7"/><clipPath id="clip9"/></defs><path fill="url(#gradient_7)"/>'
           '<g clip-path="url(#clip9)"/><text>gradient_7 and clip9 as text</text><linearGradient id="gradient_3"/>'
           '<rect fill="url(#gradient_3)"/>')
    out = build.renumber_svg_ids(svg)
    assert out == ('<defs><linearGradient id="gradient_0"/><clipPath id="clip1"/></defs><path fill="url(#gradient_0)"/>'
                   '<g clip-path="url(#clip1)"/><text>gradient_7 and clip9 as text</text>'
                   '<linearGradient id="gradient_1"/><rect fill="url(#gradient_1)"/>')
    assert build.renumber_svg_ids(out) == out


def test_render_svgs_draws_what_figures_left_and_is_independent_of_history(tmp_path):
    import json

    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]}, "mark": "rect",
            "encoding": {"x": {"field": "x", "type": "ordinal"}, "y": {"field": "y", "type": "ordinal"},
                         "color": {"field": "y", "type": "quantitative"}}}
    outs = []
    for run in range(2):  # the second run's engine has drawn gradients before: same file anyway
        folder = tmp_path / f"run{run}"
        folder.mkdir()
        (folder / "heat.svg.vl.json").write_text(json.dumps(spec), encoding="utf-8")
        assert build.render_svgs(folder) == ["heat.svg"]
        assert [p.name for p in folder.iterdir()] == ["heat.svg"]
        outs.append((folder / "heat.svg").read_text(encoding="utf-8"))
    assert outs[0].startswith("<svg") and 'id="gradient_0"' in outs[0]
    assert outs[0] == outs[1]
    assert build.render_svgs(tmp_path / "run0") == []


def _entry_with_specs(root, chapter, specs):
    import json

    entry = root / ".cache" / "chapters" / chapter / "k1"
    (entry / "assets").mkdir(parents=True)
    for name, spec in specs.items():
        (entry / "assets" / f"{name}.svg.vl.json").write_text(json.dumps(spec), encoding="utf-8")
    return entry


GOOD_SPEC = {"data": {"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]}, "mark": "line",
             "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}}}


def test_pending_svgs_are_rendered_while_sphinx_runs_and_land_complete(root):
    import json

    a = _entry_with_specs(root, "china_scale", {"one": GOOD_SPEC, "two": GOOD_SPEC})
    b = _entry_with_specs(root, "structure", {})
    assert build.pending_svgs([a, b]) == [a]
    render = build.SvgRender([a, b])  # a separate process, as in the build
    render.finish()
    assert sorted(p.name for p in (a / "assets").iterdir()) == ["one.svg", "two.svg"]
    assert json.loads((a / build.SVG_TIMES).read_text())["figures"] == 2
    assert build.pending_svgs([a, b]) == [] and not list((root / ".cache" / "tmp").iterdir())
    html = root / "out"
    jobs = [build.Job("china_scale", {}, "k1"), build.Job("structure", {}, "k1")]
    assert build.copy_svgs(jobs, html) == 2
    assert (html / "_static" / "figures" / "china_scale" / "one.svg").read_text().startswith("<svg")
    assert build.SvgRender([a, b]).proc is None  # nothing pending: no process


def test_a_figure_that_cannot_be_drawn_stops_the_build_naming_the_chapter(root):
    bad = {"mark": "line", "encoding": {"x": {"field": "x", "type": "no-such-type"}}, "data": {"values": [{}]}}
    a = _entry_with_specs(root, "global_trends", {"broken": bad})
    render = build.SvgRender([a])
    with pytest.raises(build.BuildError, match="global_trends"):
        render.finish()
    assert build.pending_svgs([a]) == [a]  # left pending: the next build tries again
    assert not list((root / ".cache" / "tmp").iterdir())
