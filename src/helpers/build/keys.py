"""Cache keys: a chapter is executed again exactly when something it depends on changed.

A chapter's key hashes its notebook's cells (sources, types, tags; not outputs), its parameters, the data
manifest, every ``helpers`` module the notebook imports (transitively) and the environment (the lock file,
Python's version). jupyter-cache hashes only the cells (jupyter-book#1633), hence our own.
"""

from __future__ import annotations

import ast
import functools
import json
import sys
from pathlib import Path
from typing import Any

from helpers.build.cache import sha256
from helpers.data import paths

ENV_FILES = ("requirements.txt", "requirements.lock")


def notebook_path(chapter: str) -> Path:
    return paths.chapters_dir() / f"{chapter}.ipynb"


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def notebook_fingerprint(nb: dict) -> str:
    """Hash of what a notebook *does*: cell types, sources and tags; not outputs or run metadata."""
    cells = [(c["cell_type"], _source(c), sorted(c.get("metadata", {}).get("tags", []))) for c in nb["cells"]]
    return sha256(json.dumps(cells, ensure_ascii=False))


@functools.lru_cache(maxsize=256)  # every chapter's closure reads the same helper modules: parse each once
def imports_of(source: str, package_module: str | None = None) -> frozenset[str]:
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
        todo |= imports_of(s)
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
        seen[mod] = sha256(text)
        todo |= imports_of(text, package_module=mod if file.name != "__init__.py" else mod + ".__init__")
    return {m: h for m, h in sorted(seen.items()) if h}


def environment() -> str:
    """Hash of the installed environment's description (lock file, direct requirements, Python)."""
    root = paths.root()
    blob = b"".join((root / f).read_bytes() for f in ENV_FILES if (root / f).exists())
    return sha256(blob + sys.version.encode())


def cache_key(chapter: str, params: dict[str, Any], nb: dict | None = None) -> tuple[str, dict]:
    nb = nb if nb is not None else json.loads(notebook_path(chapter).read_text(encoding="utf-8"))
    code = [_source(c) for c in nb["cells"] if c["cell_type"] == "code"]
    parts = {
        "notebook": notebook_fingerprint(nb),
        "params": params,
        "data": sha256((paths.data_dir() / "SHA256SUMS").read_bytes()),
        "helpers": helper_closure(code),
        "env": environment(),
    }
    return sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False))[:20], parts
