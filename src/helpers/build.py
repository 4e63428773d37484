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
   output folder, and only then swap it into ``_build/html``.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures as cf
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import paths
from .params import CHAPTERS, ParameterError, defaults, parse_cli_value, validate

KERNEL = "python3"
KEEP_PER_CHAPTER = 4
BOOK_FILES = ("_config.yml", "_toc.yml")
REMOVE_TAG = "remove-cell"


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


def _imports_of(source: str, package_module: str | None = None) -> set[str]:
    """Modules of ``helpers`` imported by a piece of code (absolute or, inside helpers, relative)."""
    found: set[str] = set()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "helpers" or a.name.startswith("helpers."):
                    found.add(a.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level and package_module is not None:
                base = "helpers" if node.level == 1 else None
                if base is None:
                    continue
                mod = base + (f".{node.module}" if node.module else "")
            elif node.module and (node.module == "helpers" or node.module.startswith("helpers.")):
                mod = node.module
            else:
                continue
            found.add(mod)
            if mod == "helpers":
                found.update(f"helpers.{a.name}" for a in node.names)
    return found


def helper_closure(sources: list[str]) -> dict[str, str]:
    """{module: sha256 of its file} for every helpers module the code imports, transitively."""
    pkg = paths.root() / "src" / "helpers"
    todo: set[str] = {"helpers"}
    for s in sources:
        todo |= _imports_of(s)
    seen: dict[str, str] = {}
    while todo:
        mod = todo.pop()
        if mod in seen:
            continue
        rel = mod.split(".")[1:]
        file = pkg.joinpath(*rel).with_suffix(".py") if rel else pkg / "__init__.py"
        if not file.exists():
            file = pkg.joinpath(*rel, "__init__.py")
            if not file.exists():
                seen[mod] = "missing"
                continue
        text = file.read_text(encoding="utf-8")
        seen[mod] = _sha(text)
        todo |= _imports_of(text, package_module=mod)
    return dict(sorted(seen.items()))


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
    return (job.entry / "notebook.ipynb").exists() and (job.entry / "meta.json").exists()


# --------------------------------------------------------------------------- execution (worker side)


def _worker_init() -> None:
    # A terminated build must take its kernels down with it: turn SIGTERM into KeyboardInterrupt,
    # which papermill/nbclient handle by shutting the kernel down.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))


def execute_chapter(chapter: str, overrides: dict[str, Any], entry: str, position: int, progress: bool) -> dict:
    """Run one chapter with papermill into a temp folder; promote it to the cache entry on success."""
    import papermill as pm

    entry_path = Path(entry)
    tmp_root = paths.cache_dir() / "tmp"
    tmp_root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{chapter}-", dir=tmp_root))
    assets = tmp / "assets"
    assets.mkdir()
    os.environ["REPORT_ASSETS_DIR"] = str(assets)
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
    if entry_path.exists():
        shutil.rmtree(entry_path)
    os.replace(tmp, entry_path)  # atomic: a cache entry is complete or absent
    return meta


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


def run_jobs(jobs: list[Job], workers: int | None = None, progress: bool | None = None) -> dict[str, dict]:
    """Execute the chapters that are not cached; return {chapter: meta}. Raises ChapterFailed."""
    from tqdm import tqdm

    stale = [j for j in jobs if not is_cached(j)]
    if progress is None:
        progress = sys.stderr.isatty()
    results: dict[str, dict] = {}
    for j in jobs:
        if j not in stale:
            results[j.chapter] = {**json.loads((j.entry / "meta.json").read_text()), "cached": True}
    if not stale:
        return results
    workers = max(1, min(workers or os.cpu_count() or 1, len(stale)))
    _log(f"executing {len(stale)} chapter(s) on {workers} worker(s): {', '.join(j.chapter for j in stale)}")
    overall = tqdm(total=len(stale), desc="chapters", unit="ch", position=0, disable=not progress)
    pool = cf.ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
    futures = {}
    try:
        for i, j in enumerate(stale):
            futures[pool.submit(execute_chapter, j.chapter, j.overrides, str(j.entry), i + 1, progress)] = j
        for fut in cf.as_completed(futures):
            j = futures[fut]
            meta = fut.result()  # re-raises ChapterFailed from the worker
            results[j.chapter] = {**meta, "cached": False}
            overall.update(1)
            _log(f"  done {j.chapter}: {meta['wall_s']:.1f} s (cells {meta['cells_s']:.1f} s)")
    except BaseException:
        for f in futures:
            f.cancel()
        for proc in list(getattr(pool, "_processes", {}).values()):
            if proc.is_alive():
                proc.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        overall.close()
    pool.shutdown(wait=True)
    return results


def vega_bundle() -> str:
    """The vega + vega-lite + vega-embed bundle from vl-convert, wrapped so its top-level names stay private."""
    import vl_convert as vlc

    cache = paths.cache_dir() / f"vega-bundle-{vlc.__version__}.js"
    if not cache.exists():
        body = vlc.javascript_bundle()
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp")
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
            shutil.copytree(assets, src / "_static" / "figures" / j.chapter)
    (src / "_static" / "vega-bundle.js").write_text(vega_bundle(), encoding="utf-8")
    data_out = src / "_static" / "data"
    data_out.mkdir()
    for f in sorted(paths.data_dir().iterdir()):
        if f.suffix in (".csv", ".json") or f.name == "SHA256SUMS":
            shutil.copy2(f, data_out / f.name)
    return src


# Extensions jupyter-book adds that would make pages reach for the network (thebe loads from unpkg).
DROP_EXTENSIONS = ("sphinx_thebe",)


def sphinx_build(src: Path, out: Path) -> None:
    """Build HTML from ``src`` into ``out`` with warnings as errors; raise BuildError with the warnings.

    ``jupyter-book config sphinx`` turns _config.yml/_toc.yml into conf.py; we then run Sphinx
    ourselves so we can drop network-bound extensions.
    """
    import subprocess

    bindir = Path(sys.executable).parent
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    conf = subprocess.run([str(bindir / "jupyter-book"), "config", "sphinx", str(src)], capture_output=True,
                          text=True, env=env)
    if conf.returncode != 0 or not (src / "conf.py").exists():
        raise BuildError("could not derive the Sphinx configuration:\n" + conf.stdout + conf.stderr)
    with open(src / "conf.py", "a", encoding="utf-8") as fh:
        fh.write(f"\nextensions = [e for e in extensions if e not in {DROP_EXTENSIONS!r}]\n")
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
    """Replace ``_build/html`` by ``new_html`` with two renames; the old tree is removed afterwards."""
    target = paths.html_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f"html.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(new_html, target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    return target


def prune_cache(jobs: list[Job]) -> None:
    for j in jobs:
        folder = j.entry.parent
        entries = sorted((p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
        for p in entries[KEEP_PER_CHAPTER:]:
            if p != j.entry:
                shutil.rmtree(p, ignore_errors=True)


def build_book(overrides: dict[str, dict[str, Any]] | None = None, *, workers: int | None = None,
               progress: bool | None = None, html: bool = True) -> dict:
    """The whole pipeline. Returns a summary dict; raises DataError/ParameterError/BuildError."""
    from .datastore import validate_all

    t0 = time.perf_counter()
    overrides = overrides or {}
    validate_all()
    jobs = plan(overrides)
    t_plan = time.perf_counter() - t0
    results = run_jobs(jobs, workers=workers, progress=progress)
    t_exec = time.perf_counter() - t0 - t_plan
    summary = {"chapters": results, "plan_s": round(t_plan, 3), "execute_s": round(t_exec, 3)}
    if html:
        cache = paths.cache_dir()
        cache.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="staging-", dir=cache))
        try:
            src = assemble(jobs, staging)
            t1 = time.perf_counter()
            sphinx_build(src, staging / "out" / "html")
            summary["sphinx_s"] = round(time.perf_counter() - t1, 3)
            target = swap_in(staging / "out" / "html")
            executed = paths.build_dir() / "executed"
            executed.mkdir(parents=True, exist_ok=True)
            for j in jobs:
                shutil.copy2(j.entry / "notebook.ipynb", executed / f"{j.chapter}.ipynb")
            summary["index"] = str(target / "index.html")
        finally:
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
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)

    from .datastore import DataError

    try:
        if args.cmd == "status":
            for j in plan({}):
                _log(f"{j.chapter:20s} key {j.key}  {'cached' if is_cached(j) else 'stale'}")
            return 0
        if args.cmd == "notebooks":
            from .datastore import validate_all

            validate_all()
            written = refresh_notebooks(args.jobs, args.only)
            _log(f"refreshed outputs of: {', '.join(written) or 'none (already current)'}")
            return 0
        if args.cmd == "run":
            if args.name not in CHAPTERS:
                validate(args.name)
            from .datastore import validate_all

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
    _log(f"executed: {', '.join(ran) or 'none (all cached)'}; total {summary['total_s']:.1f} s")
    if args.cmd == "chapter":
        _log(f"executed notebook: {paths.build_dir() / 'executed' / (args.name + '.ipynb')}")
    print(summary["index"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
