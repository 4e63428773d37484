"""Executing chapters: papermill in worker processes (one per core), each chapter within a time limit.

A chapter runs into a temporary folder under ``.cache/tmp`` that becomes its cache entry only when the
run succeeded. Workers die with the build (even on ``kill -9``), kernels with their worker. A stop
(Ctrl-C, SIGTERM, SIGHUP, a failed chapter) terminates the running chapters, whose workers shut their
kernels down; whatever is still there after a grace period is killed.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import errno
import json
import multiprocessing
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers.build import cache, procs
from helpers.build.cache import Job
from helpers.build.keys import notebook_path
from helpers.data import paths

KERNEL = "python3"
REMOVE_TAG = "remove-cell"
SVG_LATER_ENV = "REPORT_SVG_LATER"  # = helpers.book.charts.SVG_LATER_ENV (not imported: charts pulls in altair)
TIMEOUT_ENV = "REPORT_CHAPTER_TIMEOUT"
DEFAULT_TIMEOUT_S = 600.0  # the slowest chapter takes about 10 s; a hang is stopped after this long
STOP_GRACE_S = 10.0  # how long a stopped chapter may take to shut its kernel down before it is killed
DISK_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EACCES)


class BuildError(Exception):
    """The build stopped; the message says where and why. ``_build/html`` is untouched."""


class ChapterFailed(BuildError):
    """A chapter did not run through. ``kind``: 'code' (a cell raised), 'timeout', 'kernel' (the kernel
    died), 'disk' (a write failed: disk full, read-only)."""

    def __init__(self, chapter: str, detail: str, kind: str = "code"):
        self.chapter, self.detail, self.kind = chapter, detail, kind
        super().__init__(f"chapter '{chapter}' failed: {detail}")

    def __reduce__(self):  # raised in a worker process: must survive pickling back to the parent
        return (type(self), (self.chapter, self.detail, self.kind))


def default_timeout() -> float:
    text = os.environ.get(TIMEOUT_ENV, "")
    try:
        value = float(text) if text else DEFAULT_TIMEOUT_S
    except ValueError:
        raise BuildError(f"{TIMEOUT_ENV}={text!r}: expected a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise BuildError(f"{TIMEOUT_ENV}={text!r}: expected a positive number of seconds")
    return value


# --------------------------------------------------------------------------- worker side

_STOP = None  # multiprocessing.Event shared with the workers: set when the build stops
_BUSY = False  # this worker is executing a chapter


def _on_worker_sigterm(signum, frame):  # noqa: ARG001
    if not _BUSY:
        os._exit(0)  # idle worker: nothing to clean up
    raise KeyboardInterrupt  # running chapter: papermill/nbclient shut the kernel down, we remove the temp folder


def _worker_signals() -> None:
    # The build's main process coordinates a stop (it terminates the workers), so Ctrl-C, which the
    # terminal sends to the whole process group, is ignored here. nbclient replaces these handlers
    # while a notebook runs and resets them afterwards, hence this is called before every chapter.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_worker_sigterm)


def _worker_init(stop, parent: int, lock_fd: int | None) -> None:
    global _STOP
    procs.die_with_parent(parent)
    if lock_fd is not None:  # inherited through fork: the lock must end with the build, not with us
        with contextlib.suppress(OSError):
            os.close(lock_fd)
    _STOP = stop
    _worker_signals()


def execute_chapter(
    chapter: str, overrides: dict[str, Any], entry: str, position: int, progress: bool, timeout: float
) -> dict:
    """Run one chapter with papermill into a temp folder; promote it to the cache entry on success."""
    global _BUSY
    if _STOP is not None:
        if _STOP.is_set():
            raise KeyboardInterrupt  # the build is stopping: do not start another chapter
        _worker_signals()
    _BUSY = True
    try:
        return _execute_chapter(chapter, overrides, Path(entry), position, progress, timeout)
    finally:
        _BUSY = False


def _first_line(source: Any) -> str:
    text = "".join(source) if isinstance(source, list) else str(source or "")
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[0][:80] if lines else ""


def _disk_error(exc: BaseException) -> OSError | None:
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS:
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def _execute_chapter(
    chapter: str, overrides: dict[str, Any], entry: Path, position: int, progress: bool, timeout: float
) -> dict:
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from helpers.build.kernel import KERNEL_DIR_ENV, BuildKernelManager

    tmp = cache.new_tmp(chapter)
    assets = tmp / "assets"
    assets.mkdir()
    os.environ["REPORT_ASSETS_DIR"] = str(assets)
    os.environ[SVG_LATER_ENV] = "1"  # figures leave their specs; the build draws the static SVGs
    os.environ[KERNEL_DIR_ENV] = str(tmp)
    os.environ.setdefault("REPORT_ROOT", str(paths.root()))
    out_nb = tmp / "notebook.ipynb"
    deadline = time.monotonic() + timeout
    current: dict[str, Any] = {}

    def on_cell_start(cell, cell_index):
        current.update(index=cell_index, line=_first_line(cell.get("source")))

    def where() -> str:
        return f"cell {current['index']} (`{current['line']}`)" if current else "the kernel's start"

    t0 = time.perf_counter()
    try:
        pm.execute_notebook(
            str(notebook_path(chapter)),
            str(out_nb),
            parameters=overrides,
            kernel_name=KERNEL,
            cwd=str(paths.chapters_dir()),
            log_output=False,
            start_timeout=min(60, max(1, int(timeout))),
            kernel_manager_class=BuildKernelManager,
            on_cell_start=on_cell_start,
            timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),  # what is left of the chapter's time
            progress_bar={"desc": f"{chapter:>18s}", "position": position, "leave": False, "disable": not progress},
        )
    except BaseException as exc:  # noqa: BLE001 - cleaned up and re-raised, or turned into a message
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, pm.PapermillExecutionError):
            kind = "disk" if any(f"[Errno {n}]" in str(exc.evalue) for n in DISK_ERRNOS) else "code"
            raise ChapterFailed(
                chapter,
                f"cell {exc.cell_index} (execution count {exc.exec_count}: "
                f"`{_first_line(exc.source)}`) raised {exc.ename}: {exc.evalue}",
                kind,
            ) from None
        if isinstance(exc, CellTimeoutError) or (isinstance(exc, RuntimeError) and "didn't respond" in str(exc)):
            raise ChapterFailed(
                chapter,
                f"{where()} did not finish within the chapter's time limit of {timeout:g} s "
                f"(--timeout, or {TIMEOUT_ENV})",
                "timeout",
            ) from None
        if isinstance(exc, DeadKernelError):
            raise ChapterFailed(chapter, f"the kernel died while running {where()}", "kernel") from None
        disk = _disk_error(exc)
        if disk is not None:
            raise ChapterFailed(chapter, f"cannot write {disk.filename or 'a file'}: {disk.strerror}", "disk") from None
        raise
    wall = time.perf_counter() - t0
    try:
        return _finish(chapter, overrides, tmp, entry, wall)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        disk = _disk_error(exc)
        if disk is not None:
            raise ChapterFailed(chapter, f"cannot write {disk.filename or 'a file'}: {disk.strerror}", "disk") from None
        raise


def _finish(chapter: str, overrides: dict[str, Any], tmp: Path, entry: Path, wall: float) -> dict:
    """Tag the injected parameters for removal, record times, seal and promote the entry."""
    out_nb = tmp / "notebook.ipynb"
    nb = json.loads(out_nb.read_text(encoding="utf-8"))
    cell_time = 0.0
    for cell in nb["cells"]:
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if "injected-parameters" in tags and REMOVE_TAG not in tags:
            tags.append(REMOVE_TAG)
        d = cell["metadata"].get("papermill", {}).get("duration")
        if isinstance(d, (int, float)):
            cell_time += d
    out_nb.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    meta = {
        "chapter": chapter,
        "overrides": overrides,
        "wall_s": round(wall, 3),
        "cells_s": round(cell_time, 3),
        "kernel_and_overhead_s": round(wall - cell_time, 3),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (tmp / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    for f in tmp.glob("kernel-*.json"):  # the kernel's connection file, if jupyter_client left it
        f.unlink()
    cache.promote(tmp, entry)
    return meta


# --------------------------------------------------------------------------- main side


def _stop_pool(pool: cf.ProcessPoolExecutor, futures: dict, stop) -> None:
    """Stop every worker and kernel of this build. Running chapters get SIGTERM (nbclient shuts their
    kernel down, the worker removes its temp folder); after a grace period whatever is left is killed."""
    with procs.signals_ignored():
        stop.set()
        for f in futures:
            f.cancel()
        workers = [p for p in list(getattr(pool, "_processes", {}).values()) if p.is_alive()]
        kernels = procs.descendants([p.pid for p in workers])
        for p in workers:
            with contextlib.suppress(OSError):
                os.kill(p.pid, signal.SIGTERM)
        running = [f for f in futures if not f.done()]
        if running:
            cf.wait(running, timeout=STOP_GRACE_S)
        for p in workers:
            p.join(timeout=2)
            if p.is_alive():
                p.kill()
                p.join(timeout=5)
        procs.kill_all([k for k in kernels if _running(k)])  # normally gone with their worker
        with contextlib.suppress(Exception):
            pool.shutdown(wait=False, cancel_futures=True)


def _running(proc) -> bool:
    try:
        return proc.is_running()
    except Exception:  # noqa: BLE001 - psutil.Error
        return False


def _expected_seconds(job: Job) -> float:
    """Last known execution time of a chapter (any cache entry); unknown = first in line."""
    metas = (
        sorted(job.entry.parent.glob("*/meta.json"), key=lambda p: p.stat().st_mtime)
        if job.entry.parent.is_dir()
        else []
    )
    for m in reversed(metas):
        try:
            return float(json.loads(m.read_text(encoding="utf-8"))["wall_s"])
        except (ValueError, KeyError, OSError):
            continue
    return float("inf")


def once_below(capacity: int, callback: Callable[[], None] | None) -> Callable[[int], None]:
    """``f(pending)`` that calls ``callback`` the first time ``pending < capacity``, never again."""
    left = [callback] if callback is not None else []

    def f(pending: int) -> None:
        if left and pending < capacity:
            left.pop()()

    return f


def log(msg: str) -> None:
    try:
        print(msg, file=sys.stderr, flush=True)
    except (OSError, ValueError):  # terminal gone (SIGHUP) or stderr closed: nothing to tell
        pass


def run_jobs(
    jobs: list[Job],
    workers: int | None = None,
    progress: bool | None = None,
    on_free_core: Callable[[], None] | None = None,
    timeout: float | None = None,
    lock_fd: int | None = None,
) -> dict[str, dict]:
    """Execute the chapters that are not cached; return {chapter: meta}. Raises ChapterFailed.

    The longest chapters (by their last known time) start first, so that the parallel run ends sooner.
    ``on_free_core`` is called once, as soon as fewer chapters remain than there are cores (at once if
    so from the start): the book's preparation then uses a core the chapters leave idle."""
    from tqdm import tqdm

    timeout = timeout if timeout is not None else default_timeout()
    results: dict[str, dict] = {}
    stale = []
    for j in jobs:
        problem = cache.entry_problem(j.entry) if j.entry.is_dir() else "absent"
        if problem is None:
            results[j.chapter] = {**cache.read_meta(j.entry), "cached": True}
            continue
        if problem != "absent":
            log(f"cache entry of chapter '{j.chapter}' is damaged ({problem}): executing it again")
            cache.discard(j.entry)
        stale.append(j)
    if progress is None:
        progress = sys.stderr.isatty()
    capacity = max(1, workers or os.cpu_count() or 1)
    maybe_free = once_below(capacity, on_free_core)
    maybe_free(len(stale))
    if not stale:
        return results
    workers = max(1, min(capacity, len(stale)))
    stale.sort(key=_expected_seconds, reverse=True)
    log(f"executing {len(stale)} chapter(s) on {workers} worker(s): {', '.join(j.chapter for j in stale)}")
    overall = tqdm(total=len(stale), desc="chapters", unit="ch", position=0, disable=not progress)
    ctx = multiprocessing.get_context("fork")
    stop = ctx.Event()
    futures: dict[cf.Future, Job] = {}
    pool = None
    # backstop: nbclient enforces each chapter's limit; this catches a worker that hangs outside a cell
    rounds = -(-len(stale) // workers)
    backstop = rounds * (timeout + 2 * STOP_GRACE_S) + 120
    try:
        pool = cf.ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=_worker_init, initargs=(stop, os.getpid(), lock_fd)
        )
        for i, j in enumerate(stale):
            futures[pool.submit(execute_chapter, j.chapter, j.overrides, str(j.entry), i + 1, progress, timeout)] = j
        try:
            for fut in cf.as_completed(futures, timeout=backstop):
                j = futures[fut]
                meta = fut.result()  # re-raises ChapterFailed from the worker
                results[j.chapter] = {**meta, "cached": False}
                overall.update(1)
                maybe_free(len(jobs) - len(results))  # chapters still to finish
                log(f"  done {j.chapter}: {meta['wall_s']:.1f} s (cells {meta['cells_s']:.1f} s)")
        except cf.TimeoutError:
            late = [futures[f].chapter for f in futures if not f.done()]
            raise ChapterFailed(", ".join(late), f"still running after {backstop:.0f} s", "timeout") from None
    except BaseException:
        if pool is not None:
            _stop_pool(pool, futures, stop)
        raise
    finally:
        overall.close()
    pool.shutdown(wait=True)
    return results
