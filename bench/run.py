"""Benchmark of the build pipeline (``make bench``): how fast, how heavy, how big, how quick to paint.

Everything runs in throw-away copies of the repository under ``bench/runs/`` (git-ignored; removed at
the end unless ``--keep``), so the developer's ``_build`` and ``.cache`` are never touched.

Measured, several runs each:

1. cold ``helpers.build book`` (no ``.cache``, no ``_build``): wall time, CPU time, peak memory;
2. no-op ``helpers.build book`` (nothing changed);
3. one chapter's parameter changed (``helpers.build chapter NAME -p ...``, a new value each run);
4. the naive baseline a user would run: ``jupyter-book build`` with ``execute_notebooks: force`` on
   the same notebooks (sequential, every notebook executed) -- cold and naive runs alternate, so
   the ratio compares runs made under the same load;
5. per-chapter execution time (kernel start and overhead vs cells) and static SVG time, from the cold
   builds' summaries (``_build/last-build.json``);
6. size of each built chapter page (HTML with its inline chart specs, plus its own assets in
   ``_static/figures/<chapter>/``) and of the shared assets the pages load;
7. time from navigation start until the first screen is painted with its charts (those in the viewport
   at load; the others are drawn as they near it), in headless Chromium, offline (network blocked),
   fresh browser profile each run.

Peak memory is the largest sum of the resident set sizes of the build process and all its
descendants (workers, kernels, Sphinx), sampled every 50 ms: an upper bound, as pages shared between
forked processes are counted in each. CPU time is user+system of all descendants (getrusage).

Writes ``bench/results.json`` and prints a Markdown table (the README's "Performance" section).

Usage: ``python bench/run.py [--cold-runs 3] [--naive-runs 3] [--noop-runs 5] [--param-runs 3]
[--paint-runs 5] [--quick] [--keep]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

PYTHON = sys.executable
BIN = Path(sys.executable).parent
RESULTS = REPO / "bench" / "results.json"
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
SKIP_TOP = {".venv", ".git", ".pytest_cache", ".cache", "_build", ".ipynb_checkpoints"}
SKIP_ANY = {"__pycache__", ".ipynb_checkpoints"}
TARGETS = {"cold_vs_naive": 1.5, "noop_share_of_cold": 0.10, "page_mb": 1.5, "paint_s": 1.0}
VIEWPORT = (1366, 900)  # the first screen whose charts must be painted


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- copies and runs


def copy_repo(dest: Path) -> Path:
    def ignore(folder: str, names: list[str]) -> set[str]:
        out = {n for n in names if n in SKIP_ANY}
        here = Path(folder)
        if here == REPO:
            out |= {n for n in names if n in SKIP_TOP}
        if here == REPO / "bench":
            out.add("runs")
        return out

    shutil.copytree(REPO, dest, ignore=ignore, symlinks=True)
    return dest


def env_for(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "REPORT_ASSETS_DIR"}
    env.update(REPORT_ROOT=str(root), PYTHONPATH=str(root / "src"), PYTHONDONTWRITEBYTECODE="1")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def measure(cmd: list[str], root: Path, label: str) -> dict:
    """Run ``cmd`` in ``root``; wall time, CPU time and peak RSS of its process tree."""
    import psutil  # installed with ipykernel (the project's kernel); not a direct dependency

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    logfile = root.parent / f"{root.name}-{label}.log"
    with open(logfile, "w", encoding="utf-8") as fh:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=root, env=env_for(root), stdout=fh, stderr=subprocess.STDOUT)
        peak = 0
        top = psutil.Process(proc.pid)
        while proc.poll() is None:
            total = 0
            try:
                procs = [top] + top.children(recursive=True)
            except psutil.Error:
                procs = []
            for p in procs:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, total)
            time.sleep(0.05)
        wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "peak_rss_mb": round(peak / 2**20, 1),
        "exit_code": proc.returncode,
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    if proc.returncode != 0:
        out["log_tail"] = logfile.read_text(encoding="utf-8", errors="replace")[-3000:]
        log(f"  ! {label} exited with {proc.returncode}; see {logfile}")
    return out


def build(root: Path, *args: str, label: str) -> dict:
    """One build, measured; with the build's own summary (per-chapter and SVG times)."""
    out = measure([PYTHON, "-m", "helpers.build", *args], root, label)
    summary = root / "_build" / "last-build.json"
    if out["exit_code"] == 0 and summary.exists():
        out["summary"] = json.loads(summary.read_text(encoding="utf-8"))
    return out


def naive_copy(dest: Path) -> Path:
    root = copy_repo(dest)
    cfg = root / "_config.yml"
    text = cfg.read_text(encoding="utf-8")
    new = re.sub(r"(execute_notebooks:\s*)[\"']?off[\"']?", r'\1"force"', text)
    if new == text:
        raise SystemExit("could not switch _config.yml to execute_notebooks: force")
    cfg.write_text(new, encoding="utf-8")
    return root


def summary(runs: list[dict]) -> dict:
    ok = [r for r in runs if r["exit_code"] == 0]
    walls = [r["wall_s"] for r in ok]
    return {
        "runs": [{k: v for k, v in r.items() if k != "summary"} for r in runs],
        "ok_runs": len(ok),
        "median_s": round(statistics.median(walls), 2) if walls else None,
        "min_s": min(walls) if walls else None,
        "max_s": max(walls) if walls else None,
        "median_cpu_s": round(statistics.median([r["cpu_s"] for r in ok]), 2) if ok else None,
        "peak_rss_mb": max((r["peak_rss_mb"] for r in ok), default=None),
    }


# --------------------------------------------------------------------------- what is measured in a built copy


def chapter_times(cold_runs: list[dict]) -> dict:
    """Per chapter: execution wall time, cells, kernel start + overhead, and the static SVGs (drawn by the
    build's main process while Sphinx runs); means over the cold runs, from their summaries."""
    per: dict[str, list[dict]] = {}
    for run in cold_runs:
        summary = run.get("summary") or {}
        for chapter, m in summary.get("chapters", {}).items():
            svg = summary.get("svgs", {}).get(chapter)
            per.setdefault(chapter, []).append({**m, "svg_s": svg["svg_s"] if svg else 0.0})
    out = {}
    for chapter, ms in sorted(per.items()):
        out[chapter] = {
            k: round(statistics.mean(m[k] for m in ms), 2)
            for k in ("wall_s", "cells_s", "svg_s", "kernel_and_overhead_s")
            if all(k in m for m in ms)
        }
        out[chapter]["runs"] = len(ms)
    return out


SCRIPT_SRC = re.compile(r'<script[^>]+src="([^"?#]+)')
LINK_CSS = re.compile(r'<link[^>]+href="([^"?#]+\.css)')
INLINE_SPEC = re.compile(r'<script type="application/json"[^>]*>(.*?)</script>', re.S)


def sizes(html: Path) -> dict:
    pages = {}
    shared_files: set[Path] = set()
    for page in sorted((html / "chapters").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        own = html / "_static" / "figures" / page.stem
        own_bytes = sum(f.stat().st_size for f in own.rglob("*") if f.is_file()) if own.is_dir() else 0
        specs = sum(len(m.encode("utf-8")) for m in INLINE_SPEC.findall(text))
        html_bytes = page.stat().st_size
        pages[page.stem] = {
            "html_bytes": html_bytes,
            "html_gzip_bytes": len(gzip.compress(page.read_bytes(), 6)),
            "inline_spec_bytes": specs,
            "charts": text.count('class="report-chart"'),
            "own_assets_bytes": own_bytes,
            "total_bytes": html_bytes + own_bytes,
        }
        for ref in SCRIPT_SRC.findall(text) + LINK_CSS.findall(text):
            f = (page.parent / ref).resolve()
            if f.is_file() and "figures" not in f.parts:
                shared_files.add(f)
    shared = {f.relative_to(html.resolve()).as_posix(): f.stat().st_size for f in sorted(shared_files)}
    static = html / "_static"
    theme_disk = sum(
        f.stat().st_size
        for f in static.rglob("*")
        if f.is_file() and not {"figures", "data"} & set(f.relative_to(static).parts)
    )
    return {
        "pages": pages,
        "shared_loaded_by_pages": shared,
        "shared_loaded_total_bytes": sum(shared.values()),
        "vega_bundle_bytes": (static / "vega-bundle.js").stat().st_size if (static / "vega-bundle.js").exists() else 0,
        "static_on_disk_bytes_excl_figures_data": theme_disk,
        "data_copies_bytes": sum(f.stat().st_size for f in (static / "data").rglob("*") if f.is_file())
        if (static / "data").is_dir()
        else 0,
    }


PAINT_PROBE = """
(() => {
  window.__charts = null;
  // The first screen: report-charts.js draws a chart when it nears the viewport, the others later.
  let first = null;
  const done = () => first.every(e => e.dataset.rendered === 'true' || e.dataset.renderError);
  const tick = () => {
    if (document.readyState !== 'loading' && first === null) {
      first = [...document.querySelectorAll('.report-chart')].filter(e => e.getBoundingClientRect().top < innerHeight);
    }
    if (first !== null && done()) {
      const drawn = performance.now();
      // the frame in which the last chart appears: measure after it has been painted; with no chart on
      // the first screen, the first screen is painted at the first contentful paint
      requestAnimationFrame(() => setTimeout(() => {
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        window.__charts = {drawn_ms: drawn, n: first.length, total: document.querySelectorAll('.report-chart').length,
                           errors: first.filter(e => e.dataset.renderError).length,
                           painted_ms: first.length || !fcp ? performance.now() : fcp.startTime};
      }, 0));
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def paint_times(html: Path, runs: int) -> dict:
    from urllib.parse import urlparse

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        return {"skipped": f"Chromium not found at {CHROMIUM}"}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    host = urlparse(base).netloc
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for page_path in sorted((html / "chapters").glob("*.html")):
                if 'class="report-chart"' not in page_path.read_text(encoding="utf-8"):
                    continue
                samples, second, blocked = [], [], []
                for _ in range(runs):
                    # first visit: empty browser cache (the target); then, as a reader going on from
                    # another page of the book, the same page with the shared assets cached
                    for warm in (False, True):
                        context = browser.new_context(viewport={"width": VIEWPORT[0], "height": VIEWPORT[1]})
                        context.route(
                            "**/*",
                            lambda r, blocked=blocked: (
                                r.continue_()
                                if urlparse(r.request.url).netloc == host or r.request.url.startswith("data:")
                                else (blocked.append(r.request.url), r.abort())
                            ),
                        )
                        context.add_init_script(PAINT_PROBE)
                        page = context.new_page()
                        if warm:
                            page.goto(f"{base}/chapters/intro.html", wait_until="load")
                        page.goto(f"{base}/chapters/{page_path.name}", wait_until="load")
                        page.wait_for_function("() => window.__charts !== null", timeout=60_000, polling=50)
                        (second if warm else samples).append(page.evaluate("() => window.__charts"))
                        context.close()
                painted = [s["painted_ms"] / 1000 for s in samples]
                painted_2nd = [s["painted_ms"] / 1000 for s in second]
                out[page_path.stem] = {
                    "charts": samples[0]["total"],
                    "first_screen_charts": samples[0]["n"],
                    "errors": max(s["errors"] for s in samples + second),
                    "median_s": round(statistics.median(painted), 3),
                    "max_s": round(max(painted), 3),
                    "runs_s": [round(x, 3) for x in painted],
                    "cached_assets_median_s": round(statistics.median(painted_2nd), 3),
                    "cached_assets_max_s": round(max(painted_2nd), 3),
                    "blocked_requests": len(blocked),
                }
            browser.close()
    finally:
        server.shutdown()
    return out


# --------------------------------------------------------------------------- parameters for the "one chapter changed" case


def param_change(n: int) -> tuple[str, str, list[str]]:
    """The first integer parameter (in chapter order) with room for ``n`` values other than its default."""
    from helpers.book.params import CHAPTERS, SPECS

    for chapter in CHAPTERS:
        for p in SPECS[chapter]:
            if p.kind == "int" and p.bounds is not None:
                lo, hi = p.range()
                values = [v for v in range(p.default + 1, p.default + 4 * n) if lo <= v <= hi][:n]
                values += [v for v in range(p.default - 1, p.default - 4 * n, -1) if lo <= v <= hi][: n - len(values)]
                if len(values) == n:
                    return chapter, p.name, [str(v) for v in values]
    raise SystemExit("no integer parameter to vary")


# --------------------------------------------------------------------------- machine


def machine() -> dict:
    cpu = ""
    mem_kb = 0
    try:
        cpu = next(
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        )
        mem_kb = int(
            next(ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal"))
        )
    except (OSError, StopIteration):
        pass
    versions = {}
    for pkg in ("jupyter-book", "sphinx", "papermill", "vl-convert-python", "playwright"):
        try:
            from importlib.metadata import version

            versions[pkg] = version(pkg)
        except Exception:  # noqa: BLE001
            versions[pkg] = None
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "packages": versions,
    }


def git_state() -> dict:
    def git(*args):
        r = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else None

    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": git("rev-parse", "--short", "HEAD"), "uncommitted_changes": bool(status)}


# --------------------------------------------------------------------------- report


def targets(res: dict) -> list[dict]:
    cold, naive, noop = res["cold"]["median_s"], res["naive"]["median_s"], res["noop"]["median_s"]
    ratio = round(naive / cold, 2) if cold and naive else None
    share = round(noop / cold, 3) if cold and noop is not None else None
    pages = res["sizes"]["pages"]
    biggest = max(pages.items(), key=lambda kv: kv[1]["total_bytes"]) if pages else ("-", {"total_bytes": 0})
    paint = {k: v for k, v in res["paint"].items() if isinstance(v, dict)}
    slowest = max(paint.items(), key=lambda kv: kv[1]["max_s"]) if paint else ("-", {"max_s": None})
    return [
        {
            "target": "cold build >= 1.5x faster than naive jupyter-book (median naive / median cold)",
            "value": ratio,
            "met": ratio is not None and ratio >= TARGETS["cold_vs_naive"],
        },
        {
            "target": "no-op rebuild <= 10 % of cold (median no-op / median cold)",
            "value": share,
            "met": share is not None and share <= TARGETS["noop_share_of_cold"],
        },
        {
            "target": "every chapter page <= 1.5 MB excluding shared assets (largest: HTML + own CSV/SVG files)",
            "value": f"{biggest[0]}: {biggest[1]['total_bytes'] / 1e6:.2f} MB "
            f"(HTML as loaded {biggest[1].get('html_bytes', 0) / 1e6:.2f} MB)",
            "met": all(p["total_bytes"] <= TARGETS["page_mb"] * 1e6 for p in pages.values()),
        },
        {
            "target": "first-screen charts painted <= 1 s (slowest page, worst run)",
            "value": f"{slowest[0]}: {slowest[1]['max_s']} s" if paint else None,
            "met": bool(paint) and all(v["max_s"] <= TARGETS["paint_s"] and not v["errors"] for v in paint.values()),
        },
    ]


def table(res: dict) -> str:
    m = res["machine"]
    lines = [
        f"Measured {res['date']} on {m['cores']} cores ({m['cpu_model']}), {m['ram_gb']} GB RAM, "
        f"Python {m['python']}, {m['os']}; commit {res['git']['commit']}"
        + (" (with uncommitted changes)" if res["git"]["uncommitted_changes"] else "")
        + f"; load average before/after: {res['load_before']} / {res['load_after']}.",
        "",
        "| Build | runs | median wall (s) | min-max (s) | median CPU (s) | peak memory (MB) |",
        "|---|---|---|---|---|---|",
    ]
    for key, name in (
        ("cold", "cold `make book` (empty cache)"),
        ("naive", "naive `jupyter-book build`, execute: force"),
        ("noop", "no-op `make book`"),
        ("param", f"one parameter changed ({res['param']['what']})"),
    ):
        s = res[key]
        lines.append(
            f"| {name} | {s['ok_runs']}/{len(s['runs'])} | {s['median_s']} | {s['min_s']}-{s['max_s']} | "
            f"{s['median_cpu_s']} | {s['peak_rss_mb']} |"
        )
    lines += [
        "",
        "| Chapter | execution (s) | cells (s) | static SVGs (s) | kernel start + overhead (s) | "
        "page HTML (KB) | of which chart specs (KB) | own assets (KB) | charts (first screen) | "
        "first screen painted, median / worst (s) | same, shared assets cached (s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    pages = res["sizes"]["pages"]
    for chapter in sorted(set(pages) | set(res["chapters"])):
        t = res["chapters"].get(chapter, {})
        p = pages.get(chapter, {})
        q = res["paint"].get(chapter, {}) if isinstance(res["paint"].get(chapter), dict) else {}
        lines.append(
            f"| {chapter} | {t.get('wall_s', '-')} | {t.get('cells_s', '-')} | {t.get('svg_s', '-')} | "
            f"{t.get('kernel_and_overhead_s', '-')} | {p.get('html_bytes', 0) / 1e3:.0f} | "
            f"{p.get('inline_spec_bytes', 0) / 1e3:.0f} | {p.get('own_assets_bytes', 0) / 1e3:.0f} | "
            f"{p.get('charts', '-')} ({q.get('first_screen_charts', '-')}) | "
            + (f"{q['median_s']} / {q['max_s']}" if q else "-")
            + " | "
            + (
                f"{q['cached_assets_median_s']} / {q['cached_assets_max_s']}"
                if q.get("cached_assets_median_s") is not None
                else "-"
            )
            + " |"
        )
    s = res["sizes"]
    lines += [
        "",
        f"Shared assets loaded by every page: {s['shared_loaded_total_bytes'] / 1e6:.2f} MB "
        f"(of which the Vega bundle {s['vega_bundle_bytes'] / 1e6:.2f} MB); data copies offered for "
        f"download {s['data_copies_bytes'] / 1e6:.2f} MB.",
        "",
        "| Target | value | met |",
        "|---|---|---|",
    ]
    for t in res["targets"]:
        lines.append(f"| {t['target']} | {t['value']} | {'yes' if t['met'] else '**no**'} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument("--naive-runs", type=int, default=3)
    ap.add_argument("--noop-runs", type=int, default=5)
    ap.add_argument("--param-runs", type=int, default=3)
    ap.add_argument("--paint-runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="one run of each build, two paints (a smoke test)")
    ap.add_argument("--keep", action="store_true", help="keep the copies in bench/runs/")
    ap.add_argument("--output", type=Path, default=RESULTS)
    ap.add_argument("--table", action="store_true", help="only print the table of an existing results file")
    args = ap.parse_args(argv)
    if args.table:
        print(table(json.loads(args.output.read_text(encoding="utf-8"))))
        return 0
    if args.quick:
        args.cold_runs = args.naive_runs = args.param_runs = 1
        args.noop_runs = args.paint_runs = 2

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    work = REPO / "bench" / "runs" / stamp
    work.mkdir(parents=True)
    res: dict = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "git": git_state(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "settings": {k: v for k, v in vars(args).items() if k != "output"},
    }
    log(f"benchmark in {work}")
    try:
        cold, naive, cold_roots = [], [], []
        for i in range(max(args.cold_runs, args.naive_runs)):  # alternate: same load for both
            if i < args.cold_runs:
                root = copy_repo(work / f"cold{i + 1}")
                log(f"cold build {i + 1}/{args.cold_runs} ...")
                cold.append(build(root, "book", label="cold"))
                cold_roots.append(root)
                log(f"  {cold[-1]['wall_s']} s, peak {cold[-1]['peak_rss_mb']} MB")
            if i < args.naive_runs:
                nroot = naive_copy(work / f"naive{i + 1}")
                log(f"naive jupyter-book build {i + 1}/{args.naive_runs} ...")
                naive.append(measure([str(BIN / "jupyter-book"), "build", str(nroot)], nroot, "naive"))
                log(f"  {naive[-1]['wall_s']} s, peak {naive[-1]['peak_rss_mb']} MB")
                if i < args.naive_runs - 1 and not args.keep:
                    shutil.rmtree(nroot, ignore_errors=True)
        res["cold"], res["naive"] = summary(cold), summary(naive)
        ok_roots = [r for r, c in zip(cold_roots, cold) if c["exit_code"] == 0]
        if not ok_roots:
            raise SystemExit("every cold build failed; see the logs in " + str(work))
        main_root = ok_roots[-1]

        log(f"no-op builds x{args.noop_runs} ...")
        res["noop"] = summary([build(main_root, "book", label=f"noop{i}") for i in range(args.noop_runs)])

        chapter, name, values = param_change(args.param_runs)
        log(f"one chapter changed: {chapter} -p {name} {values} ...")
        res["param"] = summary(
            [build(main_root, "chapter", chapter, "-p", name, v, label=f"param{i}") for i, v in enumerate(values)]
        )
        res["param"]["what"] = f"`chapter {chapter} -p {name} ...`"
        # back to the default book for sizes and paint times
        back = build(main_root, "book", label="default")
        if back["exit_code"] != 0:
            raise SystemExit("could not rebuild the default book; see " + str(work))

        res["chapters"] = chapter_times([c for c in cold if c["exit_code"] == 0])
        html = main_root / "_build" / "html"
        res["sizes"] = sizes(html)
        log(f"chart paint times x{args.paint_runs} per page ...")
        res["paint"] = paint_times(html, args.paint_runs)
        res["load_after"] = [round(x, 2) for x in os.getloadavg()]
        res["targets"] = targets(res)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
            with_runs = work.parent
            if with_runs.is_dir() and not any(with_runs.iterdir()):
                with_runs.rmdir()
    args.output.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(res))
    log(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
