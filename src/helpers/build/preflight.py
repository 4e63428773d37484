"""Everything checked before any kernel starts: bad input costs nothing and names its culprit.

In order: the output folders can be written; ``_toc.yml`` is the chapter registry's table of contents; every
chapter of the registry has its page (notebooks valid JSON), and no notebook is outside the registry; the
data (manifest, unlisted files, every table against its schema); the parameters of every chapter of the
edition being built.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from helpers import registry
from helpers.build import procs
from helpers.data import paths


class InputError(Exception):
    """A file of the book is malformed or inconsistent; the message names it and what to do."""


def executed_chapters() -> list[str]:
    """The chapters the build executes, in reading order (from the registry)."""
    return [c.name for c in registry.CHAPTERS if c.executed]


def check_writable() -> None:
    for folder in (paths.build_dir(), paths.cache_dir()):
        procs.check_writable(folder)


def check_toc() -> None:
    path = paths.root() / "_toc.yml"
    try:
        text = path.read_text(encoding="utf-8")
        yaml.safe_load(text)
    except OSError as exc:
        raise InputError(f"_toc.yml: cannot be read ({exc.strerror}); run `make toc` to write it") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise InputError(
            f"_toc.yml: not valid YAML ({problem}{where}); run `make toc` to write it from the chapter registry"
        ) from None
    if text != registry.toc_yaml():
        raise InputError("_toc.yml differs from the chapter registry (helpers.registry); run `make toc`")


def read_notebook(path: Path) -> dict:
    rel = path.relative_to(paths.root()).as_posix()
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{rel}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{rel}: not valid notebook JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except OSError as exc:
        raise InputError(f"{rel}: cannot be read ({exc.strerror})") from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list) or not all(
        isinstance(c, dict) and "cell_type" in c and "source" in c for c in cells
    ):
        raise InputError(f"{rel}: not a notebook (expected a list of cells, each with cell_type and source)")
    return nb


def check_pages() -> dict[str, dict]:
    """Every registry chapter has its page; every notebook is a registry chapter; returns {chapter: notebook}."""
    from helpers.book.params import SPECS

    folder = paths.chapters_dir()
    notebooks = {}
    for ch in registry.CHAPTERS:
        path = paths.root() / ch.source
        if not path.is_file():
            raise InputError(f"chapter '{ch.name}': {ch.source} is missing (listed in helpers.registry)")
        if ch.executed:
            notebooks[ch.name] = read_notebook(path)
    strays = sorted(p.name for p in folder.glob("*.ipynb") if p.stem not in notebooks)
    if strays:
        raise InputError(f"chapters/{strays[0]} is not a chapter of helpers.registry (add it there, or remove it)")
    no_specs = [c for c in notebooks if c not in SPECS]
    if no_specs:
        raise InputError(f"chapter '{no_specs[0]}' has no parameter specification in helpers.book.params.SPECS")
    return notebooks


def check_data() -> None:
    from helpers.data.datastore import validate_all

    validate_all()


def check_params(edition: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Validate every chapter's parameters of the edition; return {chapter: clean parameters}."""
    from helpers.book.params import validate

    for chapter in edition:
        if chapter not in executed_chapters():
            validate(chapter)  # raises naming the chapter and listing the chapters
    return {c: validate(c, edition.get(c, {})) for c in executed_chapters()}


def run_all(edition: dict[str, dict[str, Any]]) -> tuple[dict[str, dict], dict[str, dict[str, Any]]]:
    """All checks, cheapest first; returns (notebooks, clean parameters per chapter)."""
    check_writable()
    check_toc()
    notebooks = check_pages()
    check_data()
    return notebooks, check_params(edition)
