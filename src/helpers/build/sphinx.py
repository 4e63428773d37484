"""The HTML book: assembled in a staging folder, built by Sphinx (warnings are errors), swapped in.

``_build/html`` is replaced by two renames only when the new book is complete; a failed or interrupted
build leaves it as it was. When no input of the book changed since the last build (its key is stored in
``_build/html/.report-book-key``), the HTML is left as it is.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from helpers.build import cache, procs
from helpers.build.cache import Job
from helpers.build.execute import BuildError
from helpers.data import paths

BOOK_FILES = ("_config.yml", "_toc.yml")
BOOK_KEY_FILE = ".report-book-key"  # in _build/html: the inputs the HTML was built from
# Extensions jupyter-book adds that would make pages reach for the network (thebe loads from unpkg).
DROP_EXTENSIONS = ("sphinx_thebe",)
# Our scripts load with `defer`: the page's text is parsed and shown without waiting for the 0.9 MB
# Vega bundle; they still run in order (bundle first) before DOMContentLoaded.
DEFER_JS = ("vega-bundle.js", "report-charts.js", "report-tables.js", "report-page.js")


def staging_dir() -> Path:
    """Next to ``_build/html`` (same file system: the swap is a rename)."""
    return paths.build_dir() / ".staging"


def published_data() -> list[Path]:
    """The data files copied into the book: exactly those of the manifest, and the manifest."""
    from helpers.data.datastore import MANIFEST, read_manifest

    return [paths.data_dir() / name for name in sorted(read_manifest())] + [paths.data_dir() / MANIFEST]


def _book_inputs() -> list[Path]:
    """Files besides the executed chapters that end up in (or shape) the HTML book."""
    root = paths.root()
    files = [root / f for f in BOOK_FILES + ("requirements.txt", "requirements.lock") if (root / f).exists()]
    files += sorted(Path(__file__).parent.glob("*.py"))
    from helpers.book import site  # the Sphinx extension and its theme template overrides

    files += [Path(site.__file__), *sorted(p for p in site.TEMPLATES.rglob("*") if p.is_file())]
    files += sorted(p for p in paths.static_dir().rglob("*") if p.is_file())
    files += sorted(paths.chapters_dir().glob("*.md"))
    return files + published_data()


def book_key(jobs: list[Job]) -> str:
    """Hash of every input of the HTML book: the chapters' cache keys (notebook, parameters, data,
    helpers, environment), the book's own files, the data copied into it, the bundle version, the build code."""
    import vl_convert as vlc

    root = paths.root()
    h = hashlib.sha256()
    for j in jobs:
        h.update(f"chapter {j.chapter} {j.key}\n".encode())
    for f in _book_inputs():
        name = f.relative_to(root).as_posix() if f.is_relative_to(root) else f.name
        h.update(f"file {name} {cache.sha256(f.read_bytes())}\n".encode())
    h.update(f"vl-convert {vlc.__version__} python {sys.version} drop {DROP_EXTENSIONS}\n".encode())
    from helpers.book.site import book_version  # every page names the commit and date it was built from

    h.update(f"version {book_version()}\n".encode())
    return h.hexdigest()[:32]


def html_is_current(key: str) -> bool:
    """True when ``_build/html`` was built (completely) from exactly these inputs."""
    html = paths.html_dir()
    stamp = html / BOOK_KEY_FILE
    return (html / "index.html").exists() and stamp.exists() and stamp.read_text(encoding="utf-8").strip() == key


# --------------------------------------------------------------------------- the Vega bundle


def _bundle_path() -> Path:
    import vl_convert as vlc

    return paths.cache_dir() / f"vega-bundle-{vlc.__version__}.js"


def vega_bundle() -> bytes:
    """vega + vega-lite + vega-embed from vl-convert, wrapped so its top-level names stay private;
    cached, verified before use, rebuilt when damaged."""
    import vl_convert as vlc

    path = _bundle_path()
    data = cache.read_verified(path)
    if data is None:
        body = vlc.javascript_bundle()
        data = (
            "/* vega, vega-lite, vega-embed: bundled by vl-convert " + vlc.__version__ + " */\n"
            "(function(){\n" + body + "\n})();\n"
        ).encode("utf-8")
        cache.write_verified(path, data)
    return data


def _try_bundle() -> None:
    with contextlib.suppress(Exception):
        vega_bundle()


# --------------------------------------------------------------------------- staging and Sphinx


def _jupyter_book_config(src: Path) -> list[str]:
    return [str(Path(sys.executable).parent / "jupyter-book"), "config", "sphinx", str(src)]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONWARNINGS": "ignore"}


class HtmlPrep:
    """Work of the HTML build that does not depend on the chapters: the Sphinx configuration
    (``jupyter-book config sphinx``) and the Vega bundle. ``start()`` is called while the last chapters
    run, on a core they leave free; ``finish()`` waits for it."""

    def __init__(self, staging: Path):
        root = paths.root()
        self.src = staging / "book"
        self.src.mkdir(parents=True)
        for f in BOOK_FILES:
            shutil.copy2(root / f, self.src / f)
        self.conf: subprocess.Popen | None = None
        self.bundle: threading.Thread | None = None

    def start(self) -> None:
        if self.conf is None:
            self.conf = subprocess.Popen(
                _jupyter_book_config(self.src),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env=_env(),
                preexec_fn=procs.child_of_this_process(),
            )
            # a failure here is raised again, with its message, when assemble() asks for the bundle
            self.bundle = threading.Thread(target=_try_bundle, daemon=True)
            self.bundle.start()

    def finish(self) -> None:
        self.start()
        self.bundle.join()
        out, _ = self.conf.communicate()
        if self.conf.returncode != 0 or not (self.src / "conf.py").exists():
            raise BuildError(
                "could not derive the Sphinx configuration from _config.yml and _toc.yml:\n  "
                + "\n  ".join(out.strip().splitlines()[-10:])
            )

    def stop(self) -> None:
        if self.conf is not None and self.conf.poll() is None:
            self.conf.kill()
            with contextlib.suppress(Exception):
                self.conf.communicate(timeout=10)


def assemble(jobs: list[Job], src: Path) -> Path:
    """Complete ``src`` (holding the book files and conf.py) with the pages, assets and data."""
    (src / "chapters").mkdir(parents=True, exist_ok=True)
    shutil.copytree(paths.static_dir(), src / "_static")
    for md in sorted(paths.chapters_dir().glob("*.md")):
        shutil.copy2(md, src / "chapters" / md.name)
    for j in jobs:
        shutil.copy2(j.entry / "notebook.ipynb", src / "chapters" / f"{j.chapter}.ipynb")
        assets = j.entry / "assets"
        if assets.is_dir() and any(assets.iterdir()):  # the static SVGs are added after Sphinx (svgs.render)
            shutil.copytree(
                assets, src / "_static" / "figures" / j.chapter, ignore=shutil.ignore_patterns("*.svg.vl.json", "*.svg")
            )
    (src / "_static" / "vega-bundle.js").write_bytes(vega_bundle())
    data_out = src / "_static" / "data"
    data_out.mkdir()
    for f in published_data():
        shutil.copy2(f, data_out / f.name)
    with open(src / "conf.py", "a", encoding="utf-8") as fh:
        fh.write(f"\nextensions = [e for e in extensions if e not in {DROP_EXTENSIONS!r}]\n")
        # Sphinx takes (file, attributes) pairs, which _config.yml (YAML) cannot spell.
        fh.write(f"html_js_files = [(f, {{'defer': 'defer'}}) if f in {DEFER_JS!r} else f for f in html_js_files]\n")
    return src


def sphinx_build(src: Path, out: Path, meanwhile: Callable[[], None] | None = None) -> None:
    """Build HTML from ``src`` into ``out`` with warnings as errors; run ``meanwhile()`` in this process
    while Sphinx works. Raises BuildError with Sphinx's warnings."""
    # One process: sphinx_multitoc_numbering is not parallel-safe, and -j would only warn (= fail under -W).
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-W",
        "--keep-going",
        "-n",
        "-q",
        "-d",
        str(out.parent / "doctrees"),
        str(src),
        str(out),
    ]
    log_file = out.parent / "sphinx.log"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "w+", encoding="utf-8") as fh:
        proc = subprocess.Popen(
            cmd, stdout=fh, stderr=subprocess.STDOUT, env=_env(), preexec_fn=procs.child_of_this_process()
        )
        try:
            if meanwhile is not None:
                meanwhile()
            proc.wait()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        fh.seek(0)
        text = fh.read().strip()
    if proc.returncode != 0 or not (out / "index.html").exists():
        lines = [
            ln for ln in text.splitlines() if "WARNING" in ln or "ERROR" in ln or "rror" in ln
        ] or text.splitlines()[-25:]
        raise BuildError("the HTML build failed (warnings are errors):\n  " + "\n  ".join(lines[:40]))


def swap_in(new_html: Path, key: str) -> Path:
    """Replace ``_build/html`` by ``new_html`` with two renames; the old tree is removed afterwards.

    Stop signals are held back between the renames, so ``_build/html`` is never missing."""
    (new_html / BOOK_KEY_FILE).write_text(key + "\n", encoding="utf-8")
    target = paths.html_dir()
    old = target.with_name("html.old")
    with procs.signals_deferred():
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
        tmp = executed / f".{j.chapter}.ipynb.part"  # a killed build's is removed by the next one
        tmp.write_bytes(new)
        os.replace(tmp, target)
