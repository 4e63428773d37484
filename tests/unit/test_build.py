"""Cache keys: re-execute exactly when a chapter's inputs change; the chapters come from the registry."""

from __future__ import annotations

import json

import pytest

from helpers import registry
from helpers.book import params
from helpers.build import execute, keys, pipeline, preflight


def test_fingerprint_ignores_outputs_but_not_code():
    nb = {"cells": [{"cell_type": "code", "source": "x = 1", "metadata": {"tags": []}, "outputs": []}]}
    with_output = json.loads(json.dumps(nb))
    with_output["cells"][0]["outputs"] = [{"output_type": "stream", "text": "hello"}]
    with_output["cells"][0]["execution_count"] = 7
    assert keys.notebook_fingerprint(nb) == keys.notebook_fingerprint(with_output)
    edited = json.loads(json.dumps(nb))
    edited["cells"][0]["source"] = "x = 2"
    assert keys.notebook_fingerprint(nb) != keys.notebook_fingerprint(edited)
    tagged = json.loads(json.dumps(nb))
    tagged["cells"][0]["metadata"]["tags"] = ["remove-input"]
    assert keys.notebook_fingerprint(nb) != keys.notebook_fingerprint(tagged)


def test_helper_closure_follows_imports_transitively():
    mods = keys.helper_closure(["from helpers.book.page import Page"])
    assert {"helpers", "helpers.book.page", "helpers.book.charts", "helpers.book.params", "helpers.text"} <= set(mods)
    assert "helpers.analysis.models" not in mods
    assert all(len(v) == 64 for v in mods.values())
    assert pipeline.helper_closure is keys.helper_closure  # still importable where other tests look for it


def test_imports_of_handles_all_forms():
    src = "import helpers.data.datastore as ds\nfrom helpers import text\nfrom helpers.book import charts\n"
    assert keys.imports_of(src) >= {
        "helpers.data.datastore",
        "helpers",
        "helpers.text",
        "helpers.book",
        "helpers.book.charts",
    }
    assert keys.imports_of("from .datastore import x", package_module="helpers.data.catalog") >= {
        "helpers.data.datastore"
    }
    assert keys.imports_of("from . import core", package_module="helpers.claims.__init__") >= {"helpers.claims.core"}


def test_helper_closure_names_modules_not_imported_names():
    mods = keys.helper_closure(["from helpers.data.datastore import load_table"])
    assert "helpers.data.datastore" in mods and "helpers.data" in mods
    assert "helpers.data.datastore.load_table" not in mods


def test_cache_key_changes_with_parameters_only_when_they_change():
    p = params.validate("china_scale", {})
    k1, parts = keys.cache_key("china_scale", p)
    k2, _ = keys.cache_key("china_scale", dict(p))
    k3, _ = keys.cache_key("china_scale", {**p, "country": "KOR"})
    assert k1 == k2 != k3
    assert set(parts) == {"notebook", "params", "data", "helpers", "env"}


def test_the_executed_chapters_are_the_registrys():
    assert preflight.executed_chapters() == [c.name for c in registry.CHAPTERS if c.executed]
    assert "glossary" not in preflight.executed_chapters()  # a static page: not executed
    jobs = pipeline.plan(preflight.check_params({}))
    assert [j.chapter for j in jobs] == preflight.executed_chapters()
    assert all(j.overrides == {} for j in jobs)


def test_parameters_are_validated_before_anything_runs():
    with pytest.raises(params.ParameterError, match="start_year.*outside the allowed range"):
        preflight.check_params({"china_scale": {"start_year": 2030, "end_year": 2010}})
    with pytest.raises(params.ParameterError, match="must not be after end_year"):
        preflight.check_params({"china_scale": {"start_year": 2020, "end_year": 2010}})
    with pytest.raises(params.ParameterError, match="unknown chapter"):
        preflight.check_params({"no_such_chapter": {}})
    with pytest.raises(params.ParameterError, match="this chapter has no parameters"):
        preflight.check_params({"intro": {"x": 1}})  # the intro is executed but takes no parameters
    with pytest.raises(params.ParameterError, match="unknown chapter"):
        preflight.check_params({"glossary": {}})  # a static page


def test_book_preparation_starts_once_a_core_is_free():
    calls = []
    f = execute.once_below(2, lambda: calls.append("start"))
    for pending in (7, 5, 2):
        f(pending)
    assert calls == []  # every core busy with chapters
    f(1)
    f(0)
    assert calls == ["start"]  # once, when fewer chapters than cores remain
    g = execute.once_below(2, lambda: calls.append("at once"))
    g(1)  # a single chapter to run on two cores: a core is free from the start
    assert calls == ["start", "at once"]
    execute.once_below(2, None)(0)  # no callback: nothing to do


def test_chapter_timeout_comes_from_the_environment_or_the_default(monkeypatch):
    monkeypatch.delenv(execute.TIMEOUT_ENV, raising=False)
    assert execute.default_timeout() == execute.DEFAULT_TIMEOUT_S
    monkeypatch.setenv(execute.TIMEOUT_ENV, "12.5")
    assert execute.default_timeout() == 12.5
    for bad in ("soon", "0", "-3", "inf", "nan"):
        monkeypatch.setenv(execute.TIMEOUT_ENV, bad)
        with pytest.raises(execute.BuildError, match=execute.TIMEOUT_ENV):
            execute.default_timeout()


def test_a_failed_chapter_survives_the_trip_back_from_its_worker():
    import pickle

    exc = pickle.loads(pickle.dumps(execute.ChapterFailed("structure", "cell 3 raised", "timeout")))
    assert (exc.chapter, exc.detail, exc.kind) == ("structure", "cell 3 raised", "timeout")
    assert str(exc) == "chapter 'structure' failed: cell 3 raised"
