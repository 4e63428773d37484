"""Shared fixtures: a throw-away copy of the repository's data, pointed to by REPORT_ROOT."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_root(tmp_path, monkeypatch):
    """A temp root holding a copy of data/; helpers.data.paths resolve to it for the test."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "data", root / "data")
    monkeypatch.setenv("REPORT_ROOT", str(root))
    from helpers.data import datastore

    datastore._CACHE.clear()
    yield root
    datastore._CACHE.clear()
