"""Build the book: validate, execute changed chapters in parallel, build HTML elsewhere, swap.

Commands (``python -m helpers.build ...``; the Makefile wraps them):

* ``book``                   every chapter with its default parameters, then the HTML book
* ``chapter NAME -p k v``    one chapter with other parameters (the rest from the cache), then the book
* ``notebooks``              refresh the outputs committed in ``chapters/*.ipynb`` (default parameters)
* ``status``                 which chapters are cached for their current inputs

Order of work, so that bad input costs nothing and a failure breaks nothing:

1. verify the data manifest and validate every table; validate every chapter's parameters;
2. compute each chapter's cache key (notebook cells, parameters, data manifest, the helper modules
   the notebook imports, requirements); chapters whose key is cached are not executed;
3. execute the others with papermill in parallel worker processes (one per core), each into a
   temporary folder that becomes a cache entry only when the run succeeded;
4. assemble a staging copy of the book, build it with Sphinx (warnings are errors) in a staging
   output folder, and only then swap it into ``_build/html``. When neither a chapter nor any other
   input of the book changed since the last build, the HTML is left as it is (no-op build).

Interruptions (Ctrl-C, SIGTERM) and failures stop every worker and kernel of the build, remove its
temporary folders and leave ``_build/html`` and the cache as they were. Folders a killed build could
not remove are named after its process id and removed by the next build.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures as cf
import contextlib
import functools
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.data import paths
from helpers.book.params import CHAPTERS, ParameterError, defaults, parse_cli_value, validate

KERNEL = "python3"
KEEP_PER_CHAPTER = 4
BOOK_FILES = ("_config.yml", "_toc.yml")
REMOVE_TAG = "remove-cell"
BOOK_KEY_FILE = ".report-book-key"  # in _build/html: the inputs the HTML was built from
SVG_LATER_ENV = "REPORT_SVG_LATER"  # = helpers.book.charts.SVG_LATER_ENV (not imported: charts pulls in altair)
STOP_GRACE_S = 10.0  # how long a stopped chapter may take to shut its kernel down before it is killed


class BuildError(Exception):
    """The build stopped; the message says where and why. ``_build/html`` is untouched."""


class ChapterFailed(BuildError):
    def __init__(self, chapter: str, detail: str):
        self.chapter = chapter
        self.detail = detail
        super().__init__(f"chapter '{chapter}' failed: {detail}")

    def __reduce__(self):  # raised in a worker process: must survive pickling back to the parent
        return (type(self), (self.chapter, self.detail))


@dataclass
class Job:
    chapter: str
    params: dict[str, Any]
    key: str
    overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def entry(self) -> Path:
        return paths.cache_dir() / "chapters" / self.chapter / self.key


# --------------------------------------------------------------------------- cache keys


def _sha(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def notebook_path(chapter: str) -> Path:
    return paths.chapters_dir() / f"{chapter}.ipynb"


def notebook_fingerprint(nb: dict) -> str:
    """Hash of what a notebook *does*: cell types, sources and tags; not outputs or run metadata."""
    cells = [(c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"],
              sorted(c.get("metadata", {}).get("tags", []))) for c in nb["cells"]]
    return _sha(json.dumps(cells, ensure_ascii=False))


@functools.lru_cache(maxsize=256)  # every chapter's closure reads the same helper modules: parse each once
def _imports_of(source: str, package_module: str | None = None) -> frozenset[str]:
    """Modules of ``helpers`` a piece of code may import: ``import helpers.x``, ``from helpers.x import y``
    (``helpers.x.y`` too, in case ``y`` is a module) and, inside helpers, relative imports."""
    found: set[str] = set()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return frozenset()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name == "helpers" or a.name.startswith("helpers."))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if package_module is None:
                    continue
                base = package_module.split(".")[: -node.level]  # the package the relative import starts from
                if not base:
                    continue
                mod = ".".join(base + ([node.module] if node.module else []))
            elif node.module and (node.module == "helpers" or node.module.startswith("helpers.")):
                mod = node.module
            else:
                continue
            found.add(mod)
            found.update(f"{mod}.{a.name}" for a in node.names)
    return frozenset(found)


def _module_file(pkg: Path, mod: str) -> Path | None:
    rel = mod.split(".")[1:]
    for file in (pkg.joinpath(*rel).with_suffix(".py") if rel else None, pkg.joinpath(*rel, "__init__.py")):
        if file is not None and file.exists():
            return file
    return None


def helper_closure(sources: list[str]) -> dict[str, str]:
    """{module: sha256 of its file} for every helpers module the code imports, transitively (importing
    ``helpers.a.b`` runs ``helpers/__init__`` and ``helpers/a/__init__`` too)."""
    pkg = paths.root() / "src" / "helpers"
    todo: set[str] = {"helpers"}
    for s in sources:
        todo |= _imports_of(s)
    seen: dict[str, str] = {}
    while todo:
        mod = todo.pop()
        if mod in seen:
            continue
        parts = mod.split(".")
        todo.update(".".join(parts[:i]) for i in range(1, len(parts)))
        file = _module_file(pkg, mod)
        if file is None:  # a name imported from a module, not a module
            seen[mod] = ""
            continue
        text = file.read_text(encoding="utf-8")
        seen[mod] = _sha(text)
        todo |= _imports_of(text, package_module=mod if file.name != "__init__.py" else mod + ".__init__")
    return {m: h for m, h in sorted(seen.items()) if h}


def cache_key(chapter: str, params: dict[str, Any]) -> tuple[str, dict]:
    nb = json.loads(notebook_path(chapter).read_text(encoding="utf-8"))
    code = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "code"]
    root = paths.root()
    parts = {
        "notebook": notebook_fingerprint(nb),
        "params": params,
        "data": _sha((paths.data_dir() / "SHA256SUMS").read_bytes()),
        "helpers": helper_closure(code),
        "env": _sha((root / "requirements.txt").read_bytes() + sys.version.encode()),
    }
    return _sha(json.dumps(parts, sort_keys=True, ensure_ascii=False))[:20], parts


def is_cached(job: Job) -> bool:
    return _complete(job.entry)


# --------------------------------------------------------------------------- execution (worker side)


_STOP = None  # multiprocessing.Event shared with the workers: set when the build stops
_BUSY = False  # a worker is executing a chapter


def _on_worker_sigterm(signum, frame):  # noqa: ARG001
    if not _BUSY:
        os._exit(0)  # idle worker: nothing to clean up
    raise KeyboardInterrupt  # running chapter: papermill/nbclient shut the kernel down, we remove the temp folder


def _worker_signals() -> None:
    # The build's main process coordinates a stop (it terminates the workers), so Ctrl-C, which the
    # terminal sends to the whole process group, is ignored here. nbclient replaces these handlers
    # while a notebook runs and resets them afterwards, hence this is called before every chapter.
    signal.signal(signal.SIGINT, lambda *_: None)
    signal.signal(signal.SIGTERM, _on_worker_sigterm)


def _worker_init(stop=None, jupyter_path: str | None = None) -> None:
    global _STOP
    _STOP = stop
    _worker_signals()
    if jupyter_path:
        _start_warm_kernels(jupyter_path)


def _start_warm_kernels(jupyter_path: str) -> None:
    """This worker's kernel zygote (see helpers.build.warm_kernel), stopped when the worker exits."""
    from multiprocessing.util import Finalize

    from helpers.build import warm_kernel

    started = warm_kernel.start_zygote()
    if started is None:
        return
    proc, name = started
    os.environ[warm_kernel.SOCKET_ENV] = name
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in [jupyter_path, os.environ.get("JUPYTER_PATH", "")] if p)

    def stop_zygote() -> None:
        if proc.poll() is None:
            proc.kill()
        with contextlib.suppress(Exception):
            proc.wait(timeout=5)

    Finalize(None, stop_zygote, exitpriority=100)


def _tmp_root() -> Path:
    root = paths.cache_dir() / "tmp"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _discard(path: Path) -> None:
    """Remove a folder so that no half-deleted copy of it can be seen under its name: rename, then delete."""
    if not path.exists():
        return
    trash = _tmp_root() / f"trash-p{os.getpid()}-{uuid.uuid4().hex[:12]}"
    try:
        os.replace(path, trash)
    except FileNotFoundError:  # removed meanwhile by a concurrent build
        return
    shutil.rmtree(trash, ignore_errors=True)


def execute_chapter(chapter: str, overrides: dict[str, Any], entry: str, position: int, progress: bool,
                    owner: int | None = None) -> dict:
    """Run one chapter with papermill into a temp folder; promote it to the cache entry on success.

    ``owner`` is the process id of the build (the temp folder is named after it, so that a later build
    can remove it if this one is killed)."""
    global _BUSY
    if _STOP is not None:
        if _STOP.is_set():
            raise KeyboardInterrupt  # the build is stopping: do not start another chapter
        _worker_signals()
    _BUSY = True
    try:
        return _execute_chapter(chapter, overrides, Path(entry), position, progress,
                                owner if owner is not None else os.getpid())
    finally:
        _BUSY = False


def _execute_chapter(chapter: str, overrides: dict[str, Any], entry_path: Path, position: int, progress: bool,
                     owner: int) -> dict:
    import papermill as pm

    tmp = Path(tempfile.mkdtemp(prefix=f"{chapter}-p{owner}-", dir=_tmp_root()))
    assets = tmp / "assets"
    assets.mkdir()
    os.environ["REPORT_ASSETS_DIR"] = str(assets)
    os.environ[SVG_LATER_ENV] = "1"  # figures leave their specs; render_pending_svgs() draws them later
    os.environ.setdefault("REPORT_ROOT", str(paths.root()))
    out_nb = tmp / "notebook.ipynb"
    t0 = time.perf_counter()
    try:
        pm.execute_notebook(
            str(notebook_path(chapter)), str(out_nb), parameters=overrides, kernel_name=KERNEL,
            cwd=str(paths.chapters_dir()), log_output=False,
            progress_bar={"desc": f"{chapter:>18s}", "position": position, "leave": False,
                          "disable": not progress},
        )
    except pm.PapermillExecutionError as exc:
        first = exc.source.strip().splitlines()[0] if exc.source.strip() else ""
        shutil.rmtree(tmp, ignore_errors=True)
        raise ChapterFailed(chapter, f"cell {exc.cell_index} (execution count {exc.exec_count}: `{first[:80]}`) "
                                     f"raised {exc.ename}: {exc.evalue}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    wall = time.perf_counter() - t0
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
    meta = {"chapter": chapter, "overrides": overrides, "wall_s": round(wall, 3), "cells_s": round(cell_time, 3),
            "kernel_and_overhead_s": round(wall - cell_time, 3), "finished": time.strftime("%Y-%m-%dT%H:%M:%S")}
    (tmp / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    entry_path.parent.mkdir(parents=True, exist_ok=True)
    if _complete(entry_path):  # another build of the same inputs finished first: keep its entry
        shutil.rmtree(tmp, ignore_errors=True)
        return meta
    _discard(entry_path)  # an incomplete leftover, if any
    os.replace(tmp, entry_path)  # atomic: a cache entry is complete or absent
    return meta


_SVG_ID = re.compile(r'(?<=id=")(gradient_|clip)(\d+)(?=")|(?<=url\(#)(gradient_|clip)(\d+)(?=\))')
_SVG_ID_START = {"gradient_": 0, "clip": 1}  # what a fresh vega renderer numbers first


def renumber_svg_ids(svg: str) -> str:
    """Number gradient and clip-path ids from the start in every file. Vega counts them per JavaScript
    engine, so the ids of a figure would depend on what the same engine drew before (which worker ran
    which chapters first); ids only need to be unique within one SVG file."""
    mapping: dict[str, str] = {}
    counts: dict[str, int] = {}

    def sub(m: re.Match) -> str:
        prefix = m.group(1) or m.group(3)
        old = prefix + (m.group(2) or m.group(4))
        if old not in mapping:
            n = counts.get(prefix, _SVG_ID_START[prefix])
            counts[prefix] = n + 1
            mapping[old] = f"{prefix}{n}"
        return mapping[old]

    return _SVG_ID.sub(sub, svg)


def render_svgs(assets: Path, tmp: Path | None = None) -> list[str]:
    """Draw the static SVG of every figure a chapter left as ``<name>.svg.vl.json`` (see
    ``helpers.book.charts.figure_html``), then remove the spec. Each SVG is written to ``tmp`` (default: next
    to it) and renamed into place, so a file is complete or absent."""
    pending = sorted(assets.glob("*.svg.vl.json"))
    if not pending:
        return []
    from helpers.book.charts import static_svg

    done = []
    for spec_file in pending:
        target = spec_file.with_name(spec_file.name.removesuffix(".vl.json"))
        svg = static_svg(json.loads(spec_file.read_text(encoding="utf-8")))
        part = (tmp or assets) / f".{target.name}.part"
        part.write_text(renumber_svg_ids(svg), encoding="utf-8")
        os.replace(part, target)
        spec_file.unlink()
        done.append(target.name)
    return done


SVG_TIMES = "svg.json"  # in a cache entry: how long its static SVGs took


def render_pending_svgs(entries: list[Path], owner: int) -> dict[str, float]:
    """Render the static SVGs still pending in these cache entries; {entry: seconds}.

    The build runs this in a separate process while Sphinx builds the book (Sphinx does not need the
    images: they are copied into the output before the swap), so on two cores it uses the core that
    Sphinx leaves idle instead of delaying the chapters. An interrupted run leaves pending specs, which
    the next build renders. Temp files live in a folder named after ``owner`` (the build's pid)."""
    times: dict[str, float] = {}
    tmp = Path(tempfile.mkdtemp(prefix=f"svg-p{owner}-", dir=_tmp_root()))
    try:
        for entry in pending_svgs(entries):
            t0 = time.perf_counter()
            n = len(render_svgs(entry / "assets", tmp))
            times[str(entry)] = round(time.perf_counter() - t0, 3)
            record = tmp / SVG_TIMES
            record.write_text(json.dumps({"svg_s": times[str(entry)], "figures": n}) + "\n", encoding="utf-8")
            os.replace(record, entry / SVG_TIMES)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return times


def pending_svgs(entries: list[Path]) -> list[Path]:
    return [e for e in entries if (e / "assets").is_dir() and any((e / "assets").glob("*.svg.vl.json"))]


class SvgRender:
    """The static SVGs of the chapters, rendered by a separate process while Sphinx runs."""

    def __init__(self, entries: list[Path]):
        self.entries = entries
        self.proc: subprocess.Popen | None = None
        todo = pending_svgs(entries)
        if todo:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "helpers.build", "svgs", "--owner", str(os.getpid()), *map(str, todo)],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=paths.env_importing_helpers())

    def finish(self) -> None:
        """Wait for the renderer; raise BuildError naming the chapters whose images are missing."""
        if self.proc is not None:
            out, _ = self.proc.communicate()
            left = pending_svgs(self.entries)
            if self.proc.returncode != 0 or left:
                chapters = sorted({e.parent.name for e in left})
                raise BuildError(f"static SVGs of chapter(s) {', '.join(chapters) or '?'} could not be rendered:\n"
                                 + "\n".join(out.strip().splitlines()[-15:]))

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            with contextlib.suppress(Exception):
                self.proc.communicate(timeout=10)
            for path in _tmp_root().glob(f"svg-p{os.getpid()}-*"):  # its temp folder, if killed mid-way
                shutil.rmtree(path, ignore_errors=True)


def _complete(entry: Path) -> bool:
    return (entry / "notebook.ipynb").exists() and (entry / "meta.json").exists()


# --------------------------------------------------------------------------- orchestration


def plan(overrides: dict[str, dict[str, Any]]) -> list[Job]:
    """Validate parameters of every chapter and compute cache keys. Raises ParameterError."""
    unknown = [c for c in overrides if c not in CHAPTERS]
    if unknown:
        validate(unknown[0])  # raises with the list of chapters
    jobs = []
    for chapter in CHAPTERS:
        if not notebook_path(chapter).exists():
            raise BuildError(f"chapter '{chapter}': notebook {notebook_path(chapter)} is missing")
        given = overrides.get(chapter, {})
        clean = validate(chapter, given)
        dflt = defaults(chapter)
        changed = {k: v for k, v in clean.items() if v != dflt[k]}
        key, _ = cache_key(chapter, clean)
        jobs.append(Job(chapter, clean, key, changed))
    return jobs


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- processes and leftovers

_OWNER = re.compile(r"-p(\d+)-[A-Za-z0-9_]*$")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is dead for our purpose
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def remove_leftovers() -> list[str]:
    """Remove temp/staging folders of builds that no longer run (killed, power loss); restore the last
    good ``_build/html`` if a build died between the two renames of the swap. Returns what was done."""
    done = []
    cache = paths.cache_dir()
    candidates = list((cache / "tmp").iterdir()) if (cache / "tmp").is_dir() else []
    candidates += list(cache.glob("staging-p*")) if cache.is_dir() else []
    for path in candidates:
        m = _OWNER.search(path.name)
        if m and not _pid_alive(int(m.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            done.append(f"removed {path}")
    for folder in (cache, paths.build_dir() / "executed"):  # files half-written by a killed build
        for f in folder.glob("*.tmp-*") if folder.is_dir() else []:
            pid = f.name.rsplit("-", 1)[1]
            if pid.isdigit() and not _pid_alive(int(pid)):
                f.unlink(missing_ok=True)
                done.append(f"removed {f}")
    html = paths.html_dir()
    for old in sorted(paths.build_dir().glob("html.old-*")) if paths.build_dir().is_dir() else []:
        pid = old.name.rsplit("-", 1)[1]
        if pid.isdigit() and _pid_alive(int(pid)):
            continue
        if not html.exists():
            os.replace(old, html)
            done.append(f"restored {html} from {old.name}")
        else:
            shutil.rmtree(old, ignore_errors=True)
            done.append(f"removed {old}")
    return done


def _descendants(pids: list[int]) -> list:
    try:
        import psutil  # installed with ipykernel
    except ImportError:  # pragma: no cover
        return []
    out = []
    for pid in pids:
        try:
            out += psutil.Process(pid).children(recursive=True)
        except psutil.Error:
            pass
    return out


@contextlib.contextmanager
def _signals_ignored():
    """Ignore Ctrl-C/SIGTERM while cleaning up after a stop (a second Ctrl-C must not leave a mess)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


@contextlib.contextmanager
def _signals_deferred():
    """Hold Ctrl-C/SIGTERM back during a few renames that must happen together; deliver them afterwards.

    Done with Python handlers that only take note (a thread's signal mask would not do: the signal
    may be delivered to another thread, and Python runs handlers in the main thread anyway)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    sigs = (signal.SIGINT, signal.SIGTERM)
    old = {s: signal.signal(s, lambda signum, frame: pending.append(signum)) for s in sigs}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        if pending:
            signal.raise_signal(pending[0])  # now handled as usual (KeyboardInterrupt)


def _stop_pool(pool: cf.ProcessPoolExecutor, futures: dict, stop) -> None:
    """Stop every worker and kernel of this build and remove its temp folders. Never leaves orphans:
    running chapters get SIGTERM (nbclient shuts their kernel down, the worker removes its temp
    folder); after a grace period whatever is left is killed."""
    with _signals_ignored():
        stop.set()
        for f in futures:
            f.cancel()
        procs = [p for p in list(getattr(pool, "_processes", {}).values()) if p.is_alive()]
        kernels = _descendants([p.pid for p in procs])
        for p in procs:
            with contextlib.suppress(OSError):
                os.kill(p.pid, signal.SIGTERM)
        running = [f for f in futures if not f.done()]
        if running:
            cf.wait(running, timeout=STOP_GRACE_S)
        for p in procs:
            p.join(timeout=2)
            if p.is_alive():
                p.kill()
                p.join(timeout=5)
        for k in kernels:  # normally gone with their worker; kernels also exit when their parent dies
            with contextlib.suppress(Exception):
                if k.is_running():
                    k.terminate()
                    k.wait(timeout=5)
        with contextlib.suppress(Exception):
            pool.shutdown(wait=False, cancel_futures=True)
        tmp = paths.cache_dir() / "tmp"
        for path in tmp.glob(f"*-p{os.getpid()}-*") if tmp.is_dir() else []:
            shutil.rmtree(path, ignore_errors=True)


def _expected_seconds(job: Job) -> float:
    """Last known execution time of a chapter (any cache entry); unknown = first in line."""
    metas = sorted(job.entry.parent.glob("*/meta.json"), key=lambda p: p.stat().st_mtime) \
        if job.entry.parent.is_dir() else []
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


def _warm_kernelspec() -> str | None:
    """Folder holding the kernelspec of warm kernels (helpers.build.warm_kernel), or None when off."""
    from helpers.build import warm_kernel

    if not warm_kernel.available():
        return None
    return warm_kernel.kernelspec(paths.cache_dir() / "jupyter")


def run_jobs(jobs: list[Job], workers: int | None = None, progress: bool | None = None,
             on_free_core: Callable[[], None] | None = None) -> dict[str, dict]:
    """Execute the chapters that are not cached; return {chapter: meta}. Raises ChapterFailed.

    The longest chapters (by their last known time) start first, so that the parallel run ends sooner.
    ``on_free_core`` is called once, as soon as fewer chapters remain than there are cores (at once if
    so from the start): the book's preparation then uses a core the chapters leave idle."""
    from tqdm import tqdm

    remove_leftovers()
    stale = [j for j in jobs if not is_cached(j)]
    if progress is None:
        progress = sys.stderr.isatty()
    results: dict[str, dict] = {}
    for j in jobs:
        if j not in stale:
            results[j.chapter] = {**json.loads((j.entry / "meta.json").read_text()), "cached": True}
    capacity = max(1, workers or os.cpu_count() or 1)
    maybe_free = once_below(capacity, on_free_core)
    maybe_free(len(stale))
    if not stale:
        return results
    workers = max(1, min(capacity, len(stale)))
    stale.sort(key=_expected_seconds, reverse=True)
    _log(f"executing {len(stale)} chapter(s) on {workers} worker(s): {', '.join(j.chapter for j in stale)}")
    overall = tqdm(total=len(stale), desc="chapters", unit="ch", position=0, disable=not progress)
    ctx = multiprocessing.get_context()
    stop = ctx.Event()
    futures: dict[cf.Future, Job] = {}
    pool = None
    try:
        pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init,
                                      initargs=(stop, _warm_kernelspec()))
        for i, j in enumerate(stale):
            futures[pool.submit(execute_chapter, j.chapter, j.overrides, str(j.entry), i + 1, progress,
                                os.getpid())] = j
        for fut in cf.as_completed(futures):
            j = futures[fut]
            meta = fut.result()  # re-raises ChapterFailed from the worker
            results[j.chapter] = {**meta, "cached": False}
            overall.update(1)
            maybe_free(len(jobs) - len(results))  # chapters still to finish
            _log(f"  done {j.chapter}: {meta['wall_s']:.1f} s (cells {meta['cells_s']:.1f} s)")
    except BaseException:
        if pool is not None:
            _stop_pool(pool, futures, stop)
        raise
    finally:
        overall.close()
    pool.shutdown(wait=True)
    return results


def _bundle_path() -> Path:
    import vl_convert as vlc

    return paths.cache_dir() / f"vega-bundle-{vlc.__version__}.js"


def vega_bundle() -> str:
    """The vega + vega-lite + vega-embed bundle from vl-convert, wrapped so its top-level names stay private."""
    import vl_convert as vlc

    cache = _bundle_path()
    if not cache.exists():
        body = vlc.javascript_bundle()
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f"{cache.name}.tmp-{os.getpid()}")
        tmp.write_text("/* vega, vega-lite, vega-embed: bundled by vl-convert " + vlc.__version__ + " */\n"
                       "(function(){\n" + body + "\n})();\n", encoding="utf-8")
        os.replace(tmp, cache)
    return cache.read_text(encoding="utf-8")


def assemble(jobs: list[Job], staging: Path) -> Path:
    """Copy the book sources and the executed notebooks into ``staging/book``."""
    root = paths.root()
    src = staging / "book"
    (src / "chapters").mkdir(parents=True)
    for f in BOOK_FILES:
        shutil.copy2(root / f, src / f)
    shutil.copytree(paths.static_dir(), src / "_static")
    for md in sorted(paths.chapters_dir().glob("*.md")):
        shutil.copy2(md, src / "chapters" / md.name)
    for j in jobs:
        shutil.copy2(j.entry / "notebook.ipynb", src / "chapters" / f"{j.chapter}.ipynb")
        assets = j.entry / "assets"
        if assets.exists() and any(assets.iterdir()):
            # static SVGs are being rendered meanwhile: copied into the output after Sphinx (copy_svgs)
            shutil.copytree(assets, src / "_static" / "figures" / j.chapter,
                            ignore=shutil.ignore_patterns("*.svg.vl.json", "*.svg", ".*.part"))
    (src / "_static" / "vega-bundle.js").write_text(vega_bundle(), encoding="utf-8")
    data_out = src / "_static" / "data"
    data_out.mkdir()
    for f in sorted(paths.data_dir().iterdir()):
        if f.suffix in (".csv", ".json") or f.name == "SHA256SUMS":
            shutil.copy2(f, data_out / f.name)
    return src


def copy_svgs(jobs: list[Job], html: Path) -> int:
    """Copy the chapters' static SVGs into the built book (after Sphinx, before the swap)."""
    n = 0
    for j in jobs:
        for svg in sorted((j.entry / "assets").glob("*.svg")) if (j.entry / "assets").is_dir() else []:
            target = html / "_static" / "figures" / j.chapter
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(svg, target / svg.name)
            n += 1
    return n


# Extensions jupyter-book adds that would make pages reach for the network (thebe loads from unpkg).
DROP_EXTENSIONS = ("sphinx_thebe",)
# Our scripts load with `defer`: the page's text is parsed and shown without waiting for the 0.9 MB
# Vega bundle; they still run in order (bundle first) before DOMContentLoaded.
DEFER_JS = ("vega-bundle.js", "report-charts.js", "report-tables.js")


def _jupyter_book_config(src: Path) -> list[str]:
    return [str(Path(sys.executable).parent / "jupyter-book"), "config", "sphinx", str(src)]


def sphinx_build(src: Path, out: Path) -> None:
    """Build HTML from ``src`` into ``out`` with warnings as errors; raise BuildError with the warnings.

    ``jupyter-book config sphinx`` turns _config.yml/_toc.yml into conf.py (unless ``src`` already has
    one, prepared by :class:`HtmlPrep`); we then run Sphinx ourselves so we can drop network-bound
    extensions.
    """
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    if not (src / "conf.py").exists():
        conf = subprocess.run(_jupyter_book_config(src), capture_output=True, text=True, env=env)
        if conf.returncode != 0 or not (src / "conf.py").exists():
            raise BuildError("could not derive the Sphinx configuration:\n" + conf.stdout + conf.stderr)
    with open(src / "conf.py", "a", encoding="utf-8") as fh:
        fh.write(f"\nextensions = [e for e in extensions if e not in {DROP_EXTENSIONS!r}]\n")
        # Sphinx takes (file, attributes) pairs, which _config.yml (YAML) cannot spell.
        fh.write(f"html_js_files = [(f, {{'defer': 'defer'}}) if f in {DEFER_JS!r} else f for f in html_js_files]\n")
    # One process: sphinx_multitoc_numbering is not parallel-safe, and -j would only warn (= fail under -W).
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", "-q",
           "-d", str(out.parent / "doctrees"), str(src), str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0 or not (out / "index.html").exists():
        text = (proc.stdout + "\n" + proc.stderr).strip()
        lines = [ln for ln in text.splitlines() if "WARNING" in ln or "ERROR" in ln or "rror" in ln] or \
            text.splitlines()[-25:]
        raise BuildError("the HTML build failed (warnings are errors):\n  " + "\n  ".join(lines[:40]))


def swap_in(new_html: Path) -> Path:
    """Replace ``_build/html`` by ``new_html`` with two renames; the old tree is removed afterwards.

    Ctrl-C/SIGTERM are held back between the renames, so ``_build/html`` is never missing."""
    target = paths.html_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f"html.old-{os.getpid()}")
    with _signals_deferred():
        if target.exists():
            os.replace(target, old)
        os.replace(new_html, target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    return target


def publish_executed(jobs: list[Job]) -> None:
    """Copy the executed notebooks to ``_build/executed`` (each file replaced atomically, only if changed)."""
    executed = paths.build_dir() / "executed"
    executed.mkdir(parents=True, exist_ok=True)
    for j in jobs:
        new = (j.entry / "notebook.ipynb").read_bytes()
        target = executed / f"{j.chapter}.ipynb"
        if target.exists() and target.read_bytes() == new:
            continue
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        tmp.write_bytes(new)
        os.replace(tmp, target)


def prune_cache(jobs: list[Job]) -> None:
    for j in jobs:
        folder = j.entry.parent
        entries = sorted((p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
        for p in entries[KEEP_PER_CHAPTER:]:
            if p != j.entry:
                _discard(p)  # renamed first: an interrupted prune never leaves a half-deleted entry


def _book_inputs() -> list[Path]:
    """Files besides the executed chapters that end up in (or shape) the HTML book."""
    root = paths.root()
    files = [root / f for f in BOOK_FILES] + [root / "requirements.txt", Path(__file__)]
    files += sorted(p for p in paths.static_dir().rglob("*") if p.is_file())
    files += sorted(paths.chapters_dir().glob("*.md"))
    files += sorted(f for f in paths.data_dir().iterdir() if f.suffix in (".csv", ".json") or f.name == "SHA256SUMS")
    return files


def book_key(jobs: list[Job]) -> str:
    """Hash of every input of the HTML book: the chapters' cache keys (notebook, parameters, data,
    helpers, environment), the book's own files, the data copied into it, the bundle version, this module."""
    import vl_convert as vlc

    root = paths.root()
    h = hashlib.sha256()
    for j in jobs:
        h.update(f"chapter {j.chapter} {j.key}\n".encode())
    for f in _book_inputs():
        name = f.relative_to(root).as_posix() if f.is_relative_to(root) else f.name
        h.update(f"file {name} {_sha(f.read_bytes())}\n".encode())
    h.update(f"vl-convert {vlc.__version__} python {sys.version} drop {DROP_EXTENSIONS}\n".encode())
    from helpers.book.site import book_version  # every page names the commit and date it was built from

    h.update(f"version {book_version()}\n".encode())
    return h.hexdigest()[:32]


def html_is_current(key: str) -> bool:
    """True when ``_build/html`` was built (completely) from exactly these inputs."""
    html = paths.html_dir()
    stamp = html / BOOK_KEY_FILE
    return (html / "index.html").exists() and stamp.exists() and stamp.read_text(encoding="utf-8").strip() == key


class HtmlPrep:
    """Work of the HTML build that does not depend on the chapters: the Sphinx configuration
    (``jupyter-book config sphinx``) and, on an empty cache, the vega bundle. ``start()`` is called
    while the last chapters run, on a core they leave free (see run_jobs); ``finish()`` waits for it."""

    def __init__(self, staging: Path):
        root = paths.root()
        self.src = staging / "book"
        self.src.mkdir(parents=True)
        for f in BOOK_FILES:
            shutil.copy2(root / f, self.src / f)
        self.procs: list[subprocess.Popen] = []
        self.conf = None
        self.bundle = None

    def start(self) -> None:
        if self.conf is not None:
            return
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        self.conf = subprocess.Popen(_jupyter_book_config(self.src), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env=env)
        self.procs.append(self.conf)
        if not _bundle_path().exists():
            self.bundle = subprocess.Popen([sys.executable, "-c", "from helpers.build.pipeline import vega_bundle; vega_bundle()"],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                           env=paths.env_importing_helpers(env))
            self.procs.append(self.bundle)

    def finish(self) -> None:
        self.start()
        out, _ = self.conf.communicate()
        if self.conf.returncode != 0 or not (self.src / "conf.py").exists():
            (self.src / "conf.py").unlink(missing_ok=True)  # sphinx_build derives it again and reports why not
        if self.bundle is not None:
            self.bundle.wait()  # if it failed, vega_bundle() builds the bundle in this process

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            with contextlib.suppress(Exception):
                p.communicate(timeout=10)


def build_book(overrides: dict[str, dict[str, Any]] | None = None, *, workers: int | None = None,
               progress: bool | None = None, html: bool = True) -> dict:
    """The whole pipeline. Returns a summary dict; raises DataError/ParameterError/BuildError."""
    from helpers.data.datastore import validate_all

    t0 = time.perf_counter()
    overrides = overrides or {}
    validate_all()
    jobs = plan(overrides)
    remove_leftovers()
    key = book_key(jobs) if html else ""
    current = html and html_is_current(key)
    t_plan = time.perf_counter() - t0
    staging = prep = svgs = None
    try:
        if html and not current:
            cache = paths.cache_dir()
            cache.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f"staging-p{os.getpid()}-", dir=cache))
            prep = HtmlPrep(staging)
        results = run_jobs(jobs, workers=workers, progress=progress,
                           on_free_core=prep.start if prep is not None else None)
        t_exec = time.perf_counter() - t0 - t_plan
        summary = {"chapters": results, "plan_s": round(t_plan, 3), "execute_s": round(t_exec, 3)}
        if html and current:
            summary["html"] = "up to date"
        elif html:
            svgs = SvgRender([j.entry for j in jobs])
            prep.finish()
            src = assemble(jobs, staging)
            t1 = time.perf_counter()
            sphinx_build(src, staging / "out" / "html")
            summary["sphinx_s"] = round(time.perf_counter() - t1, 3)
            svgs.finish()
            summary["svg_wait_s"] = round(time.perf_counter() - t1 - summary["sphinx_s"], 3)
            copy_svgs(jobs, staging / "out" / "html")
            (staging / "out" / "html" / BOOK_KEY_FILE).write_text(key + "\n", encoding="utf-8")
            swap_in(staging / "out" / "html")
            summary["html"] = "built"
        if html:
            publish_executed(jobs)
            summary["index"] = str(paths.html_dir() / "index.html")
    finally:
        if svgs is not None:
            svgs.stop()
        if prep is not None:
            prep.stop()
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    prune_cache(jobs)
    summary["total_s"] = round(time.perf_counter() - t0, 3)
    return summary


# --------------------------------------------------------------------------- notebooks refresh


def clean_executed(nb: dict) -> dict:
    """Strip run metadata papermill adds, so committed notebooks diff only when outputs change."""
    nb.get("metadata", {}).pop("papermill", None)
    for cell in nb["cells"]:
        md = cell.get("metadata", {})
        md.pop("papermill", None)
        md.pop("execution", None)
        if "tags" in md and REMOVE_TAG in md["tags"] and "injected-parameters" not in md["tags"]:
            pass
    return nb


def refresh_notebooks(workers: int | None = None, only: list[str] | None = None) -> list[str]:
    jobs = [j for j in plan({}) if not only or j.chapter in only]
    run_jobs(jobs, workers=workers)
    written = []
    for j in jobs:
        nb = clean_executed(json.loads((j.entry / "notebook.ipynb").read_text(encoding="utf-8")))
        target = notebook_path(j.chapter)
        new = json.dumps(nb, ensure_ascii=False, indent=1) + "\n"
        if target.read_text(encoding="utf-8") != new:
            tmp = target.with_suffix(".ipynb.tmp")
            tmp.write_text(new, encoding="utf-8")
            os.replace(tmp, target)
            written.append(j.chapter)
    return written


# --------------------------------------------------------------------------- CLI


def parse_params(pairs: list[list[str]] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in pairs or []:
        out[name] = parse_cli_value(value)
    return out


def _interrupt(signum, frame):  # noqa: ARG001
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m helpers.build", description="Build the report book.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("book", help="build every chapter (default parameters) and the HTML book")
    b.add_argument("--jobs", type=int, default=None, help="parallel chapters (default: number of cores)")
    c = sub.add_parser("chapter", help="re-run one chapter with parameters and rebuild the book")
    c.add_argument("name", help=f"one of: {', '.join(CHAPTERS)}")
    c.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="parameter value (YAML), e.g. -p country KOR -p peers '[JPN, USA]'")
    c.add_argument("--jobs", type=int, default=None)
    n = sub.add_parser("notebooks", help="refresh outputs committed in chapters/*.ipynb")
    n.add_argument("--jobs", type=int, default=None)
    n.add_argument("--only", nargs="+", choices=CHAPTERS, help="only these chapters")
    r = sub.add_parser("run", help="execute one chapter (cached) without building the HTML book")
    r.add_argument("name", help=f"one of: {', '.join(CHAPTERS)}")
    r.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"))
    sub.add_parser("status", help="show which chapters are cached")
    v = sub.add_parser("svgs", help="(used by the build) render the static SVGs pending in cache entries")
    v.add_argument("--owner", type=int, required=True, help="pid of the build (names the temp folder)")
    v.add_argument("entries", nargs="+", type=Path)
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)

    from helpers.data.datastore import DataError

    try:
        if args.cmd == "svgs":
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build stops this process itself
            render_pending_svgs(args.entries, args.owner)
            return 0
        if args.cmd == "status":
            for j in plan({}):
                _log(f"{j.chapter:20s} key {j.key}  {'cached' if is_cached(j) else 'stale'}")
            return 0
        if args.cmd == "notebooks":
            from helpers.data.datastore import validate_all

            validate_all()
            written = refresh_notebooks(args.jobs, args.only)
            _log(f"refreshed outputs of: {', '.join(written) or 'none (already current)'}")
            return 0
        if args.cmd == "run":
            if args.name not in CHAPTERS:
                validate(args.name)
            from helpers.data.datastore import validate_all

            validate_all()
            job = next(j for j in plan({args.name: parse_params(args.parameter)}) if j.chapter == args.name)
            meta = run_jobs([job])[args.name]
            executed = paths.build_dir() / "executed"
            executed.mkdir(parents=True, exist_ok=True)
            shutil.copy2(job.entry / "notebook.ipynb", executed / f"{args.name}.ipynb")
            _log(f"{args.name}: {'cached' if meta.get('cached') else 'executed'}; notebook "
                 f"{executed / (args.name + '.ipynb')}")
            return 0
        overrides = {}
        if args.cmd == "chapter":
            if args.name not in CHAPTERS:
                validate(args.name)
            overrides[args.name] = parse_params(args.parameter)
        summary = build_book(overrides, workers=args.jobs)
    except (ParameterError, DataError) as exc:
        _log(f"build not started: {exc}")
        return 2
    except BuildError as exc:
        _log(f"build stopped: {exc}\nThe previous _build/html (if any) is unchanged.")
        return 1
    except KeyboardInterrupt:
        _log("build interrupted; the previous _build/html (if any) is unchanged, no partial cache entry kept.")
        return 130
    ran = [c for c, m in summary["chapters"].items() if not m.get("cached")]
    html_note = "; HTML up to date (no input changed)" if summary.get("html") == "up to date" else ""
    _log(f"executed: {', '.join(ran) or 'none (all cached)'}{html_note}; total {summary['total_s']:.1f} s")
    if args.cmd == "chapter":
        _log(f"executed notebook: {paths.build_dir() / 'executed' / (args.name + '.ipynb')}")
    print(summary["index"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
