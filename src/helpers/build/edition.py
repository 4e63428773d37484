"""Editions: which parameters of which chapters the current book was built with.

``_build/edition.json`` records them, so runs combine instead of one chapter's run reverting another's:

* ``make book`` builds the default edition (every chapter with its defaults);
* ``make book ARGS="--params editions/korea.yml"`` builds the edition a YAML file describes (read and
  validated by ``helpers.book.params.load_edition``);
* ``make chapter NAME=x ARGS="-p name value"`` changes those parameters of chapter x in the current edition.

The file is written only once the book built with it is in place.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from helpers.data import paths

FILE = "edition.json"


def path() -> Path:
    return paths.build_dir() / FILE


def default() -> dict[str, Any]:
    return {"source": "default", "chapters": {}}


def current() -> dict[str, Any]:
    """The edition the current ``_build/html`` was built with (the default edition if none is recorded
    or the record is unreadable)."""
    try:
        data = json.loads(path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default()
    if not isinstance(data, dict) or not isinstance(data.get("chapters"), dict):
        return default()
    return {"source": str(data.get("source", "default")), "chapters": data["chapters"]}


def from_file(file: str) -> dict[str, Any]:
    """The edition described by a YAML file (validated by helpers.book.params.load_edition)."""
    from helpers.book import params

    loader = getattr(params, "load_edition", None)
    if loader is None:
        raise params.ParameterError(
            "<edition>", "--params", "editions are not available yet: helpers.book.params.load_edition is missing"
        )
    chapters = loader(file)
    return {"source": str(file), "chapters": {c: dict(v) for c, v in chapters.items() if v}}


def with_chapter(edition: dict[str, Any], chapter: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """``edition`` with ``overrides`` merged into one chapter's parameters (the others kept)."""
    chapters = {c: dict(v) for c, v in edition["chapters"].items()}
    chapters[chapter] = {**chapters.get(chapter, {}), **overrides}
    return {"source": edition["source"], "chapters": {c: v for c, v in chapters.items() if v}}


def without_defaults(edition: dict[str, Any], clean: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Only the parameters that differ from a chapter's defaults (``clean``: validated parameters)."""
    from helpers.book.params import defaults

    chapters = {}
    for chapter, values in clean.items():
        dflt = defaults(chapter)
        changed = {k: v for k, v in values.items() if v != dflt[k] and k in edition["chapters"].get(chapter, {})}
        if changed:
            chapters[chapter] = changed
    return {"source": edition["source"], "chapters": chapters}


def describe(edition: dict[str, Any]) -> str:
    """One line: 'default edition', 'edition editions/korea.yml', plus the parameters set."""
    head = "default edition" if edition["source"] == "default" else f"edition {edition['source']}"
    parts = [
        f"{c}: " + ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in values.items())
        for c, values in edition["chapters"].items()
    ]
    return head + (" with " + "; ".join(parts) if parts else " (every chapter with its defaults)")


def save(edition: dict[str, Any]) -> None:
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{FILE}.part")
    tmp.write_text(json.dumps(edition, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, target)
