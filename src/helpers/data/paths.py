"""Where things live. One place, so tests can point the whole pipeline at a copy of the repo.

The repository root is ``$REPORT_ROOT`` when set (fault-injection tests build a throw-away copy),
otherwise the folder that holds ``src/helpers``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/helpers


def env_importing_helpers(env: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a child Python process that must import this very ``helpers`` package (not
    another checkout's, e.g. the repository a copy under test was made from)."""
    env = dict(os.environ if env is None else env)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(PACKAGE_DIR.parent), env.get("PYTHONPATH", "")] if p)
    return env


def root() -> Path:
    env = os.environ.get("REPORT_ROOT")
    if env:
        return Path(env).resolve()
    return PACKAGE_DIR.parents[1]


def data_dir() -> Path:
    return root() / "data"


def chapters_dir() -> Path:
    return root() / "chapters"


def build_dir() -> Path:
    return root() / "_build"


def html_dir() -> Path:
    return build_dir() / "html"


def cache_dir() -> Path:
    return root() / ".cache"


def static_dir() -> Path:
    """Hand-written CSS/JS shipped with the book (the Vega bundle is generated at build time)."""
    return root() / "_static"


def raw_dir() -> Path:
    """Raw public extracts (only needed by `make data`, never by the book)."""
    env = os.environ.get("REPORT_RAW_DIR")
    return Path(env).resolve() if env else (root().parent / "shared" / "data" / "raw")


def seeds_dir() -> Path:
    env = os.environ.get("REPORT_SEEDS_DIR")
    return Path(env).resolve() if env else (root().parent / "shared" / "seeds")
