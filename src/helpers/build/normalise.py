"""Compare two builds of the book: remove what legitimately differs between builds of the same inputs.

Two cold builds of the same sources, data and parameters must produce the same book. What may differ,
and is removed before comparing (nothing else is):

* execution metadata that papermill and nbclient write into the executed notebooks published under
  ``_sources/`` (start/end times, durations, paths: ``metadata.papermill``, cell ``metadata.execution``);
* timestamps (ISO 8601 date-times) and "Last updated on ..." lines, should a page or a theme print them;
* content hashes that Sphinx and themes append to asset URLs (``?v=...``, ``?digest=...``) and the
  ``.buildinfo`` config hash.

Used by ``tests/integration/test_determinism.py``; kept here so that anyone can compare two build
folders: ``python -m helpers.build.normalise <html-a> <html-b>``.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
ASSET_HASH = re.compile(r"([?&](?:v|digest)=)[0-9A-Fa-f]{6,64}")
LAST_UPDATED = re.compile(r"(Last updated on )[^<\n]*")
BUILDINFO_HASH = re.compile(r"^((?:config|tags): )[0-9a-f]{8,64}$", re.M)
NOTEBOOK_KEYS = ("papermill",)  # notebook-level metadata written by the run
CELL_KEYS = ("papermill", "execution")  # cell-level metadata written by the run
TEXT_SUFFIXES = {
    ".html",
    ".htm",
    ".js",
    ".css",
    ".txt",
    ".json",
    ".svg",
    ".csv",
    ".xml",
    ".md",
    ".buildinfo",
    ".ipynb",
    "",
}


def normalise_text(text: str) -> str:
    """Timestamps, asset hashes and "last updated" lines replaced by fixed placeholders."""
    text = ISO_TIMESTAMP.sub("<TIMESTAMP>", text)
    text = ASSET_HASH.sub(r"\1<HASH>", text)
    text = LAST_UPDATED.sub(r"\1<DATE>", text)
    return BUILDINFO_HASH.sub(r"\1<HASH>", text)


def normalise_notebook(text: str) -> str:
    """An executed notebook without its run metadata (outputs, sources and other metadata kept)."""
    nb = json.loads(text)
    meta = nb.get("metadata", {})
    for key in NOTEBOOK_KEYS:
        meta.pop(key, None)
    for cell in nb.get("cells", []):
        cmeta = cell.get("metadata", {})
        for key in CELL_KEYS:
            cmeta.pop(key, None)
    return normalise_text(json.dumps(nb, ensure_ascii=False, sort_keys=True, indent=1))


def normalise_bytes(name: str, data: bytes) -> bytes:
    """Normalised content of a file called ``name`` (binary files are returned unchanged)."""
    suffix = Path(name).suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        return data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    if suffix == ".ipynb":
        try:
            return normalise_notebook(text).encode("utf-8")
        except (json.JSONDecodeError, AttributeError):
            pass
    return normalise_text(text).encode("utf-8")


def normalised_tree(folder: Path) -> dict[str, str]:
    """{relative path: sha256 of the normalised content} of every file under ``folder``."""
    folder = Path(folder)
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(normalise_bytes(p.name, p.read_bytes())).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def first_difference(a: bytes, b: bytes, context: int = 80) -> str:
    """Where two (normalised) contents first differ, with some context from each."""
    n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    lo = max(0, n - context)
    return (
        f"at byte {n}: ...{a[lo : n + context].decode('utf-8', 'replace')!r} vs "
        f"...{b[lo : n + context].decode('utf-8', 'replace')!r}"
    )


def compare_trees(a: Path, b: Path) -> list[str]:
    """Differences between two build folders after normalisation; empty when they are the same."""
    ta, tb = normalised_tree(a), normalised_tree(b)
    out = [f"only in {a}: {k}" for k in ta if k not in tb] + [f"only in {b}: {k}" for k in tb if k not in ta]
    for k in ta:
        if k in tb and ta[k] != tb[k]:
            da = normalise_bytes(k, (Path(a) / k).read_bytes())
            db = normalise_bytes(k, (Path(b) / k).read_bytes())
            out.append(f"differs: {k} {first_difference(da, db)}")
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m helpers.build.normalise <build-folder-a> <build-folder-b>", file=sys.stderr)
        return 2
    diffs = compare_trees(Path(args[0]), Path(args[1]))
    print("\n".join(diffs) if diffs else "identical after normalisation")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
