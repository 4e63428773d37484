"""Build the book: validate everything, execute changed chapters in parallel, build HTML elsewhere, swap.

Order of work, so that bad input costs nothing and a failure breaks nothing:

1. (under the checkout's lock) remove what a killed build left; check the output folders, ``_toc.yml``, the
   chapter registry against the notebooks, the data and every chapter's parameters (``preflight``);
2. compute each chapter's cache key (``keys``); chapters whose verified entry exists are not executed;
3. execute the others with papermill in parallel worker processes (``execute``), each within its time limit;
4. assemble a staging copy of the book, build it with Sphinx while the static SVGs are drawn (``sphinx``,
   ``svgs``), and only then swap it into ``_build/html``. When neither a chapter nor any other input of the
   book changed since the last build, the HTML is left as it is (no-op build).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from typing import Any

from helpers.build import cache, edition, execute, preflight, sphinx, svgs
from helpers.build.cache import Job
from helpers.build.keys import cache_key, helper_closure, notebook_path  # noqa: F401 - helper_closure: public API
from helpers.data import paths


def plan(clean: dict[str, dict[str, Any]], notebooks: dict[str, dict] | None = None) -> list[Job]:
    """Jobs of every executed chapter (registry order) from validated parameters, with cache keys."""
    from helpers.book.params import defaults

    jobs = []
    for chapter in preflight.executed_chapters():
        params = clean[chapter]
        dflt = defaults(chapter)
        changed = {k: v for k, v in params.items() if v != dflt[k]}
        key, _ = cache_key(chapter, params, (notebooks or {}).get(chapter))
        jobs.append(Job(chapter, params, key, changed))
    return jobs


def prepare(chapters: dict[str, dict[str, Any]]) -> list[Job]:
    """Every check before any kernel (see preflight), then the jobs."""
    notebooks, clean = preflight.run_all(chapters)
    return plan(clean, notebooks)


def build_book(
    ed: dict[str, Any] | None = None,
    *,
    workers: int | None = None,
    progress: bool | None = None,
    timeout: float | None = None,
    lock_fd: int | None = None,
) -> dict:
    """The whole pipeline for an edition (default: the default edition). Call under the checkout's lock
    (``cli.session``, which also removes what a killed build left).
    Returns a summary; raises DataError / ParameterError / InputError / BuildError / ChapterFailed."""
    t0 = time.perf_counter()
    ed = ed or edition.default()
    timeout = timeout if timeout is not None else execute.default_timeout()
    notebooks, clean = preflight.run_all(ed["chapters"])
    jobs = plan(clean, notebooks)
    key = sphinx.book_key(jobs)
    current = sphinx.html_is_current(key)
    summary: dict[str, Any] = {
        "plan_s": round(time.perf_counter() - t0, 3),
        "edition": edition.without_defaults(ed, clean),
    }
    staging = sphinx.staging_dir()
    prep = None
    try:
        if not current:
            shutil.rmtree(staging, ignore_errors=True)
            prep = sphinx.HtmlPrep(staging)
        summary["chapters"] = execute.run_jobs(
            jobs,
            workers=workers,
            progress=progress,
            timeout=timeout,
            on_free_core=prep.start if prep is not None else None,
            lock_fd=lock_fd,
        )
        summary["execute_s"] = round(time.perf_counter() - t0 - summary["plan_s"], 3)
        if current:
            summary["html"] = "up to date"
        else:
            prep.finish()
            src = sphinx.assemble(jobs, prep.src)
            out = staging / "out" / "html"
            drawn: dict[str, dict] = {}
            t1 = time.perf_counter()
            sphinx.sphinx_build(src, out, meanwhile=lambda: drawn.update(svgs.render(jobs, out)))
            summary["sphinx_and_svgs_s"] = round(time.perf_counter() - t1, 3)
            summary["svgs"] = drawn
            sphinx.swap_in(out, key)
            summary["html"] = "built"
        sphinx.publish_executed(jobs)
        edition.save(summary["edition"])
        summary["index"] = str(paths.html_dir() / "index.html")
    finally:
        if prep is not None:
            prep.stop()
        shutil.rmtree(staging, ignore_errors=True)
    cache.prune(jobs)
    svgs.prune([e for e in (paths.cache_dir() / "chapters").glob("*/*") if e.is_dir()])
    summary["total_s"] = round(time.perf_counter() - t0, 3)
    _record(summary)
    return summary


def _record(summary: dict) -> None:
    """The last build's summary in ``_build/last-build.json`` (the benchmark reads the SVG times there)."""
    target = paths.build_dir() / "last-build.json"
    tmp = target.with_name(".last-build.json.part")
    tmp.write_text(json.dumps(summary, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, target)


def run_chapter(
    chapter: str, params: dict[str, Any], timeout: float | None = None, lock_fd: int | None = None
) -> tuple[dict, Job]:
    """Execute one chapter (cached) without building the HTML; copy its notebook to ``_build/executed``."""
    jobs = prepare({chapter: params})
    job = next(j for j in jobs if j.chapter == chapter)
    meta = execute.run_jobs([job], timeout=timeout, lock_fd=lock_fd)[chapter]
    sphinx.publish_executed([job])
    return meta, job


# --------------------------------------------------------------------------- notebooks refresh


def clean_executed(nb: dict) -> dict:
    """Strip run metadata papermill adds, so committed notebooks diff only when outputs change."""
    nb.get("metadata", {}).pop("papermill", None)
    for cell in nb["cells"]:
        md = cell.get("metadata", {})
        md.pop("papermill", None)
        md.pop("execution", None)
    return nb


def refresh_notebooks(
    workers: int | None = None, only: list[str] | None = None, timeout: float | None = None, lock_fd: int | None = None
) -> list[str]:
    """Execute chapters with their defaults and write their outputs into ``chapters/*.ipynb``."""
    jobs = [j for j in prepare({}) if not only or j.chapter in only]
    execute.run_jobs(jobs, workers=workers, timeout=timeout, lock_fd=lock_fd)
    written = []
    for j in jobs:
        nb = clean_executed(json.loads((j.entry / "notebook.ipynb").read_text(encoding="utf-8")))
        target = notebook_path(j.chapter)
        new = json.dumps(nb, ensure_ascii=False, indent=1) + "\n"
        if target.read_text(encoding="utf-8") != new:
            tmp = cache.tmp_root() / target.name
            tmp.write_text(new, encoding="utf-8")
            shutil.move(tmp, target)
            written.append(j.chapter)
    return written
