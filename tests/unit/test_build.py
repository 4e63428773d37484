"""Cache keys: re-execute exactly when a chapter's inputs change."""

from __future__ import annotations

import json

from helpers.build import pipeline as build
from helpers.book import params


def test_fingerprint_ignores_outputs_but_not_code():
    nb = {"cells": [{"cell_type": "code", "source": "x = 1", "metadata": {"tags": []}, "outputs": []}]}
    with_output = json.loads(json.dumps(nb))
    with_output["cells"][0]["outputs"] = [{"output_type": "stream", "text": "hello"}]
    with_output["cells"][0]["execution_count"] = 7
    assert build.notebook_fingerprint(nb) == build.notebook_fingerprint(with_output)
    edited = json.loads(json.dumps(nb))
    edited["cells"][0]["source"] = "x = 2"
    assert build.notebook_fingerprint(nb) != build.notebook_fingerprint(edited)
    tagged = json.loads(json.dumps(nb))
    tagged["cells"][0]["metadata"]["tags"] = ["remove-input"]
    assert build.notebook_fingerprint(nb) != build.notebook_fingerprint(tagged)


def test_helper_closure_follows_imports_transitively():
    mods = build.helper_closure(["from helpers.book.page import Page"])
    # report imports charts, params, text; params imports nothing from data at import time
    assert {"helpers", "helpers.book.page", "helpers.book.charts", "helpers.book.params", "helpers.text"} <= set(mods)
    assert "helpers.analysis.models" not in mods
    assert all(len(v) == 64 for v in mods.values())


def test_imports_of_handles_all_forms():
    src = "import helpers.data.datastore as ds\nfrom helpers import text\nfrom helpers.book import charts\n"
    assert build._imports_of(src) >= {"helpers.data.datastore", "helpers", "helpers.text", "helpers.book",
                                      "helpers.book.charts"}
    assert build._imports_of("from .datastore import x", package_module="helpers.data.catalog") >= {
        "helpers.data.datastore"}
    assert build._imports_of("from . import core", package_module="helpers.claims.__init__") >= {"helpers.claims.core"}


def test_helper_closure_names_modules_not_imported_names():
    mods = build.helper_closure(["from helpers.data.datastore import load_table"])
    assert "helpers.data.datastore" in mods and "helpers.data" in mods
    assert "helpers.data.datastore.load_table" not in mods


def test_cache_key_changes_with_parameters_only_when_they_change():
    p = params.validate("china_scale", {})
    k1, parts = build.cache_key("china_scale", p)
    k2, _ = build.cache_key("china_scale", dict(p))
    k3, _ = build.cache_key("china_scale", {**p, "country": "KOR"})
    assert k1 == k2 != k3
    assert set(parts) == {"notebook", "params", "data", "helpers", "env"}


def test_plan_validates_before_anything_runs():
    import pytest

    with pytest.raises(params.ParameterError, match="start_year.*outside the allowed range"):
        build.plan({"china_scale": {"start_year": 2030, "end_year": 2010}})
    with pytest.raises(params.ParameterError, match="must not be after end_year"):
        build.plan({"china_scale": {"start_year": 2020, "end_year": 2010}})


def test_book_preparation_starts_once_a_core_is_free():
    calls = []
    f = build.once_below(2, lambda: calls.append("start"))
    for pending in (7, 5, 2):
        f(pending)
    assert calls == []  # every core busy with chapters
    f(1)
    f(0)
    assert calls == ["start"]  # once, when fewer chapters than cores remain
    g = build.once_below(2, lambda: calls.append("at once"))
    g(1)  # a single chapter to run on two cores: a core is free from the start
    assert calls == ["start", "at once"]
    build.once_below(2, None)(0)  # no callback: nothing to do
