"""Throw-away copies of the repository for fault-injection and determinism tests.

A copy holds the sources (no ``.venv``, no ``.git``) and, if asked, the last good book
(``_build/html``, ``_build/executed``) and the chapter cache (``.cache``), so unchanged chapters are not
re-executed. The pipeline runs in it as a subprocess of this interpreter (the project's venv) with
``REPORT_ROOT=<copy>`` and ``PYTHONPATH=<copy>/src``: the copy's own ``helpers`` are imported, not the
editable install (:func:`imported_helpers` lets a test check that).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable  # pytest runs in the project's venv (make test)
# Not copied: the venv, git, caches of tools, benchmark copies, the build outputs (copied on request).
SKIP_TOP = {".venv", ".git", ".pytest_cache", ".cache", "_build", ".ipynb_checkpoints"}
SKIP_ANY = {"__pycache__", ".ipynb_checkpoints", "runs"}


def _ignore(folder: str, names: list[str]) -> set[str]:
    here = Path(folder)
    out = {n for n in names if n in SKIP_ANY and not (n == "runs" and here.name != "bench")}
    if here == REPO:
        out |= {n for n in names if n in SKIP_TOP}
    return out


def copy_repo(dest: Path, *, book: bool = True, cache: bool = True, source: Path = REPO) -> Path:
    """Copy the repository to ``dest``; with ``book`` the built book, with ``cache`` the chapter cache."""
    shutil.copytree(source, dest, ignore=_ignore, symlinks=True)
    if book:
        for sub in ("html", "executed"):
            if (source / "_build" / sub).is_dir():
                shutil.copytree(source / "_build" / sub, dest / "_build" / sub)
    if cache and (source / ".cache").is_dir():
        (dest / ".cache").mkdir()
        for item in (source / ".cache").iterdir():
            if item.name in ("chapters", "svg"):  # executed chapters, static SVGs
                shutil.copytree(item, dest / ".cache" / item.name)
            elif item.is_file() and item.name.startswith("vega-bundle-"):  # the bundle and its checksum
                shutil.copy2(item, dest / ".cache" / item.name)
    return dest


def env_for(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REPORT_ASSETS_DIR",)}
    env.update(REPORT_ROOT=str(root), PYTHONPATH=str(root / "src"), PYTHONDONTWRITEBYTECODE="1")
    return env


def build_cmd(*args: str) -> list[str]:
    return [PYTHON, "-m", "helpers.build", *args]


def run_build(root: Path, *args: str, timeout: float = 1200, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m helpers.build <args>`` in the copy (``env``: variables added); returns the finished process."""
    return subprocess.run(
        build_cmd(*args),
        cwd=root,
        env={**env_for(root), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def imported_helpers(root: Path) -> tuple[str, str]:
    """(file of the ``helpers`` package, ``helpers.data.paths.root()``) as the build in the copy sees them."""
    code = "import helpers, helpers.data.paths as p; print(helpers.__file__); print(p.root())"
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=root, env=env_for(root), capture_output=True, text=True, check=True
    ).stdout.split("\n")
    return out[0], out[1]


# --------------------------------------------------------------------------- comparing trees


def tree_bytes(folder: Path) -> dict[str, str]:
    """{relative path: sha256 of the bytes} of every file under ``folder`` (empty if absent)."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def diff_trees(before: dict[str, str], after: dict[str, str]) -> list[str]:
    changed = [f"changed {k}" for k in before if k in after and before[k] != after[k]]
    return (
        changed + [f"removed {k}" for k in before if k not in after] + [f"added {k}" for k in after if k not in before]
    )


def state(root: Path) -> dict[str, dict[str, str]]:
    """What a failed or interrupted build must leave exactly as it was."""
    return {
        "html": tree_bytes(root / "_build" / "html"),
        "data": tree_bytes(root / "data"),
        "executed": tree_bytes(root / "_build" / "executed"),
    }


def cache_entries(root: Path) -> dict[str, set[str]]:
    """{folder name under .cache/chapters/<chapter>/: files directly inside} for every cache entry."""
    base = root / ".cache" / "chapters"
    out = {}
    for entry in sorted(base.glob("*/*")) if base.is_dir() else []:
        if entry.is_dir():
            out[f"{entry.parent.name}/{entry.name}"] = {p.name for p in entry.iterdir()}
    return out


def incomplete_entries(root: Path) -> list[str]:
    """Cache entries that are incomplete or do not match their checksums."""
    from helpers.build.cache import entry_problem

    base = root / ".cache" / "chapters"
    return (
        [
            f"{e.parent.name}/{e.name}: {entry_problem(e)}"
            for e in sorted(base.glob("*/*"))
            if e.is_dir() and entry_problem(e) is not None
        ]
        if base.is_dir()
        else []
    )


def leftovers(root: Path) -> list[str]:
    """Temporary files of builds: .cache/tmp (kernels' connection files, chapters being executed, every
    child's TMPDIR), _build/.staging, _build/html.old, _build/executed/.*.part."""
    found = []
    if (root / ".cache" / "tmp").is_dir():
        found += [f".cache/tmp/{p.name}" for p in (root / ".cache" / "tmp").iterdir()]
    found += [f"_build/{name}" for name in (".staging", "html.old") if (root / "_build" / name).exists()]
    found += (
        [f"_build/executed/{p.name}" for p in (root / "_build" / "executed").glob(".*.part")]
        if (root / "_build" / "executed").is_dir()
        else []
    )
    return sorted(found)


# --------------------------------------------------------------------------- editing the copy


def resign(root: Path, *names: str) -> None:
    """Rewrite the manifest lines of ``names`` as ``make data`` would (sha256 of the current bytes)."""
    manifest = root / "data" / "SHA256SUMS"
    lines = []
    for ln in manifest.read_text(encoding="utf-8").splitlines():
        parts = ln.split(None, 1)
        if len(parts) == 2 and parts[1].strip() in names:
            digest = hashlib.sha256((root / "data" / parts[1].strip()).read_bytes()).hexdigest()
            ln = f"{digest}  {parts[1].strip()}"
        lines.append(ln)
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")


def inject_cell(root: Path, chapter: str, source: str, tags=("remove-cell",)) -> None:
    """Insert a code cell right after the chapter's page header cell (the one creating ``Page``)."""
    import json

    path = root / "chapters" / f"{chapter}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    at = next(
        (i + 1 for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and "Page(" in "".join(c["source"])), None
    )
    if at is None:  # no header cell: after the parameters cell
        at = next(i + 1 for i, c in enumerate(nb["cells"]) if "parameters" in c.get("metadata", {}).get("tags", []))
    nb["cells"].insert(
        at,
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"fault-{len(nb['cells'])}",
            "metadata": {"tags": list(tags)},
            "outputs": [],
            "source": source,
        },
    )
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def hold_cell(root: Path, chapter: str) -> str:
    """Code that reports it is running (file REACHED-<chapter>) and then waits while the file HOLD exists."""
    return (
        f"import os, time, pathlib\n"
        f"pathlib.Path(os.environ['REPORT_ROOT'], 'REACHED-{chapter}').touch()\n"
        f"while pathlib.Path(os.environ['REPORT_ROOT'], 'HOLD').exists():\n"
        f"    time.sleep(0.1)\n"
    )


# --------------------------------------------------------------------------- processes


def processes_of(root: Path) -> list:
    """Live processes (not zombies) whose environment says REPORT_ROOT=<root>: the build, its workers,
    kernels and helpers. Kernels run in their own sessions, so this is wider than the process tree."""
    import psutil

    want = str(root)
    found = []
    for proc in psutil.process_iter(["pid", "status"]):
        try:
            if proc.info["status"] == psutil.STATUS_ZOMBIE or proc.pid == os.getpid():
                continue
            if proc.environ().get("REPORT_ROOT") == want:
                found.append(proc)
        except (psutil.Error, OSError):
            continue
    return found


def command_line(proc) -> str:
    """The command line of a psutil process, or '' if it is gone meanwhile."""
    try:
        return " ".join(proc.cmdline())
    except Exception:  # noqa: BLE001 - psutil.Error: the process exited
        return ""


def wait_until(predicate, timeout: float, interval: float = 0.1) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def start_build(root: Path, *args: str, log: Path, env: dict | None = None) -> subprocess.Popen:
    """Start a build in its own session (signals sent to it never reach pytest); output to ``log``."""
    fh = open(log, "w", encoding="utf-8")
    proc = subprocess.Popen(
        build_cmd(*args),
        cwd=root,
        env={**env_for(root), **(env or {})},
        stdout=fh,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    fh.close()
    return proc


def build_processes(root: Path) -> list:
    """The build's main process(es) among :func:`processes_of`: ``python -m helpers.build`` whose parent
    is not one (its workers are forked, with the same command line)."""

    def is_build(proc) -> bool:
        try:
            return proc.cmdline()[1:3] == ["-m", "helpers.build"]
        except Exception:  # noqa: BLE001 - psutil.Error: gone meanwhile
            return False

    def parent_is_build(proc) -> bool:
        try:
            return is_build(proc.parent())
        except Exception:  # noqa: BLE001 - psutil.Error
            return False

    return [p for p in processes_of(root) if is_build(p) and not parent_is_build(p)]


# --------------------------------------------------------------------------- hostile environments


@contextlib.contextmanager
def read_only(folder: Path):
    """``folder`` cannot be written into (files inside it can be rewritten): immutable for root (chattr),
    without write permission for anyone else."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)


@contextlib.contextmanager
def nearly_full(folder: Path, free_kb: int = 256):
    """``folder`` on its own small file system (a tmpfs holding its current content) with about
    ``free_kb`` KB free: writes beyond that fail with ENOSPC, as on a full disk. Needs root (mount)."""
    used_kb = sum(4 * -(-p.stat().st_size // 4096) + 4 for p in folder.rglob("*"))  # tmpfs counts 4 KB pages
    saved = folder.with_name(folder.name + ".saved")
    os.replace(folder, saved)
    folder.mkdir()
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={used_kb + free_kb + 4096}k", "tmpfs", str(folder)],
            check=True,
            capture_output=True,
        )
        try:
            for item in saved.iterdir():
                (shutil.copytree if item.is_dir() else shutil.copy2)(item, folder / item.name)
            st = os.statvfs(folder)  # fill what is left but free_kb
            with open(folder / ".filler", "wb") as fh:
                fh.write(b"\0" * max(0, st.f_bavail * st.f_frsize - free_kb * 1024))
            yield
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=True)
    finally:
        folder.rmdir()
        os.replace(saved, folder)


def kill_all(root: Path) -> None:
    """Last resort after a failed test: kill whatever still runs for this copy."""
    for proc in processes_of(root):
        try:
            os.kill(proc.pid, signal.SIGKILL)
        except OSError:
            pass
