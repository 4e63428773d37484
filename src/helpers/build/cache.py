"""The build's cache (``.cache/``): every entry is verified before use and rebuilt when it fails.

* ``chapters/<chapter>/<key>/``: an executed chapter (``notebook.ipynb``, ``meta.json``, ``assets/``) with
  ``CHECKSUMS`` (sha256 of every other file) written last; an entry whose files do not match is
  discarded and the chapter executed again.
* single files (the Vega bundle, each static SVG under ``svg/``) have a ``<file>.sha256`` written after
  them; a file without it or not matching it is rebuilt.
* ``tmp/``: the running build's temporary files (it holds the checkout's lock, so anything found there
  when a build starts was left by one that was killed, and is removed).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.data import paths

KEEP_PER_CHAPTER = 4
CHECKSUMS = "CHECKSUMS"


def sha256(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def tmp_root() -> Path:
    root = paths.cache_dir() / "tmp"
    root.mkdir(parents=True, exist_ok=True)
    return root


def new_tmp(prefix: str) -> Path:
    """A new folder under ``.cache/tmp`` (removed by this build, or by the next if this one is killed)."""
    path = tmp_root() / f"{prefix}-{uuid.uuid4().hex[:10]}"
    path.mkdir()
    return path


def discard(path: Path) -> None:
    """Remove a folder so that no half-deleted copy can be seen under its name: rename, then delete."""
    if not path.exists():
        return
    trash = tmp_root() / f"trash-{uuid.uuid4().hex[:12]}"
    try:
        os.replace(path, trash)
    except OSError:  # another file system: delete in place
        shutil.rmtree(path, ignore_errors=True)
        return
    shutil.rmtree(trash, ignore_errors=True)


# --------------------------------------------------------------------------- verified single files


def write_verified(path: Path, data: bytes) -> None:
    """Write ``path`` atomically, then its checksum (``<path>.sha256``): present and matching = complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    side = path.with_name(path.name + ".sha256")
    side.unlink(missing_ok=True)
    tmp = tmp_root() / f"{path.name}.{uuid.uuid4().hex[:8]}"
    tmp.write_bytes(data)
    os.replace(tmp, path)
    tmp.write_text(sha256(data) + "\n", encoding="ascii")
    os.replace(tmp, side)


def read_verified(path: Path) -> bytes | None:
    """The bytes of a file written by :func:`write_verified`, or None (and both removed) when it is
    missing, truncated or corrupted."""
    side = path.with_name(path.name + ".sha256")
    try:
        data = path.read_bytes()
        expected = side.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        data, expected = b"", ""
    if expected and sha256(data) == expected:
        return data
    path.unlink(missing_ok=True)
    side.unlink(missing_ok=True)
    return None


# --------------------------------------------------------------------------- chapter entries


@dataclass
class Job:
    chapter: str
    params: dict[str, Any]
    key: str
    overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def entry(self) -> Path:
        return paths.cache_dir() / "chapters" / self.chapter / self.key


def seal(folder: Path) -> None:
    """Write ``CHECKSUMS`` of every file in ``folder`` (last: an entry is complete only with it)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != CHECKSUMS)
    lines = [f"{sha256(p.read_bytes())}  {p.relative_to(folder).as_posix()}" for p in files]
    tmp = folder / f".{CHECKSUMS}.part"
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, folder / CHECKSUMS)


def entry_problem(entry: Path) -> str | None:
    """None when the entry is complete and intact; otherwise what is wrong with it."""
    try:
        lines = (entry / CHECKSUMS).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return "no checksum list (incomplete)"
    listed = {}
    for line in lines:
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            return f"{CHECKSUMS} is damaged"
        listed[name] = digest
    if "notebook.ipynb" not in listed or "meta.json" not in listed:
        return "notebook or metadata not listed"
    present = {p.relative_to(entry).as_posix() for p in entry.rglob("*") if p.is_file() and p.name != CHECKSUMS}
    if present != set(listed):
        return f"files differ from the list ({sorted(present ^ set(listed))[:3]})"
    for name, digest in listed.items():
        if sha256((entry / name).read_bytes()) != digest:
            return f"{name} does not match its checksum (truncated or modified)"
    return None


def usable(job: Job) -> bool:
    return job.entry.is_dir() and entry_problem(job.entry) is None


def read_meta(entry: Path) -> dict:
    return json.loads((entry / "meta.json").read_text(encoding="utf-8"))


def promote(tmp: Path, entry: Path) -> None:
    """Seal ``tmp`` and move it into place as the cache entry (atomic: complete or absent)."""
    seal(tmp)
    entry.parent.mkdir(parents=True, exist_ok=True)
    discard(entry)  # a damaged leftover, if any
    os.replace(tmp, entry)


def prune(jobs: list[Job]) -> None:
    """Keep the newest few entries per chapter (the current one always); drop unsealed ones (left by an
    older build)."""
    for j in jobs:
        folder = j.entry.parent
        if not folder.is_dir():
            continue
        for p in folder.iterdir():
            if p.is_dir() and not (p / CHECKSUMS).exists():
                discard(p)
        entries = sorted((p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
        for p in entries[KEEP_PER_CHAPTER:]:
            if p != j.entry:
                discard(p)


def remove_leftovers() -> list[str]:
    """Remove what a killed build left (called under the checkout's lock, so no other build is running):
    ``.cache/tmp``, ``_build/.staging``, half-written ``_build/executed/.*.part``; put back ``_build/html``
    if a build died between the two renames of the swap. Returns what was done."""
    done = []
    for folder in (paths.cache_dir() / "tmp", paths.build_dir() / ".staging"):
        if folder.exists() and any(folder.iterdir()):
            shutil.rmtree(folder, ignore_errors=True)
            done.append(f"removed {folder}")
    for part in (paths.build_dir() / "executed").glob(".*.part"):
        part.unlink()
        done.append(f"removed {part}")
    html, old = paths.html_dir(), paths.build_dir() / "html.old"
    if old.exists():
        if not html.exists():
            os.replace(old, html)
            done.append(f"restored {html}")
        else:
            shutil.rmtree(old, ignore_errors=True)
            done.append(f"removed {old}")
    return done
