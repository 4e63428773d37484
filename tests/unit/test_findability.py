"""ARCHITECTURE.md promises one step from a sentence of the book to the code that writes it:
``grep -n '"key"' src/helpers/book/chapters/<chapter>*.py``. This keeps the promise true for every glue
key a chapter's prose uses (figure and table links ``fig-<name>``/``tbl-<name>`` are found by their name)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import registry
from tests.fakes import code_cells, glue_keys_in_prose

SRC = Path(__file__).resolve().parents[2] / "src" / "helpers" / "book"
# glued by helpers.book.page for every chapter (the page contract), not by a chapter's own modules
CONTRACT_KEYS = {"title", "key_findings"}
EXECUTED = [c.name for c in registry.CHAPTERS if c.executed]


def _code(chapter: str) -> str:
    """The chapter's section modules and its notebook's code cells (a table's name may be given there)."""
    parts = [p.read_text(encoding="utf-8") for p in sorted((SRC / "chapters").glob(f"{chapter}*.py"))]
    return "\n".join(parts + [src for _, src in code_cells(chapter)])


def _templates(code: str) -> list[re.Pattern]:
    """Keys made per item, written as f-strings (``f"verdict_{claim}"``): grep finds them by their fixed part."""
    out = []
    for body in re.findall(r'\bf"([^"]*\{[^"]*)"', code):
        fixed = re.split(r"\{[^}]*\}", body)
        if re.match(r"(fig|tbl)-", body):  # the page's own link keys: they would match every figure
            continue
        if sum(len(f) for f in fixed) >= 3:
            out.append(re.compile("^" + ".+".join(map(re.escape, fixed)) + "$"))
    return out


@pytest.mark.parametrize("chapter", EXECUTED)
def test_every_glued_sentence_is_found_by_its_key_in_the_chapters_modules(chapter):
    code = _code(chapter)
    templates = _templates(code)
    missing = []
    for key in sorted(glue_keys_in_prose(chapter) - CONTRACT_KEYS):
        name = re.sub(r"^(fig|tbl)-", "", key)  # a link to a figure or table: its name= in the section
        if f'"{key}"' in code or f'"{name}"' in code:
            continue
        if not any(t.match(key) or t.match(name) for t in templates):
            missing.append(key)
    assert not missing, f"{chapter}: glue keys not written as a literal in book/chapters/{chapter}*.py: {missing}"


@pytest.mark.parametrize("chapter", EXECUTED)
def test_a_key_no_module_writes_is_not_found(chapter):
    code = _code(chapter)
    assert '"no_such_key_md"' not in code
    assert not any(t.match("no_such_key_md") for t in _templates(code))
