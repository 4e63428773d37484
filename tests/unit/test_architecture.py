"""The package's shape, enforced: layers import downwards only, modules stay small.

Layers, lowest first: ``helpers.data`` → ``helpers.analysis`` → ``helpers.claims`` → ``helpers.book`` →
``helpers.build``. A module may import its own layer and the layers below it, never one above. The
leaf modules ``helpers.registry`` and ``helpers.text`` import nothing from ``helpers`` and may be
imported by every layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "src" / "helpers"
LAYERS = ("data", "analysis", "claims", "book", "build")
LEAVES = ("registry", "text")
MAX_LINES = 600
# Debt being paid off by the restructuring (issue 14): each entry is removed when its module is split.
# The tests below fail both on a new violation and on an entry here that no longer violates.
KNOWN_OVERSIZE: set[str] = set()
KNOWN_UPWARD: set[str] = set()


def _modules() -> list[tuple[str, Path]]:
    return sorted((".".join(("helpers",) + p.relative_to(PKG).with_suffix("").parts), p) for p in PKG.rglob("*.py"))


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS + LEAVES else None


def _imports(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("helpers")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("helpers"):
                found.add(name)
                found |= {f"{name}.{a.name}" for a in node.names if _layer(f"{name}.{a.name}")}
    return found


def _violations() -> list[str]:
    out = []
    for module, path in _modules():
        own = _layer(module)
        if own is None:
            continue
        for imp in _imports(path, module):
            target = _layer(imp)
            if target is None or target == own:
                continue
            if own in LEAVES:
                out.append(f"{module} is a leaf module and must not import {imp}")
            elif target in LEAVES:
                continue
            elif LAYERS.index(target) > LAYERS.index(own):
                out.append(f"{module} ({own}) imports {imp} ({target}): layers import downwards only")
    return out


def test_layers_import_downwards_only():
    found = _violations()
    offenders = {v.split(" ", 1)[0] for v in found}
    assert [v for v in found if v.split(" ", 1)[0] not in KNOWN_UPWARD] == []
    assert offenders == KNOWN_UPWARD, "remove paid-off entries from KNOWN_UPWARD"


def test_the_rule_bites():
    # a data module importing the book layer must be caught
    fake = PKG / "data" / "_planted_violation.py"
    fake.write_text("from helpers.book import page\n", encoding="utf-8")
    try:
        assert any("_planted_violation" in v for v in _violations())
    finally:
        fake.unlink()


@pytest.mark.parametrize("module,path", _modules(), ids=[m for m, _ in _modules()])
def test_no_module_is_longer_than_the_limit(module, path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    if module in KNOWN_OVERSIZE:
        assert n > MAX_LINES, f"{module} is now {n} lines: remove it from KNOWN_OVERSIZE"
    else:
        assert n <= MAX_LINES, f"{module} has {n} lines (limit {MAX_LINES}): split it by concern"
