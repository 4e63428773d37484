"""helpers.registry is the one list of chapters: the TOC, the parameter specs and the pages agree with it."""

from __future__ import annotations

import pytest

from helpers import registry
from helpers.book import params
from helpers.data import paths


def test_toc_file_is_the_registry_written_out():
    assert (paths.root() / "_toc.yml").read_text(encoding="utf-8") == registry.toc_yaml(), (
        "_toc.yml differs from helpers.registry: run `make toc`"
    )


def test_every_registered_page_exists_and_no_page_is_unregistered():
    chapters = paths.chapters_dir()
    on_disk = {p.stem for p in chapters.glob("*.ipynb")} | {p.stem for p in chapters.glob("*.md")}
    assert on_disk == set(registry.NAMES)
    for ch in registry.CHAPTERS:
        assert (paths.root() / ch.source).exists(), ch.source


def test_parameter_specs_cover_exactly_the_executed_chapters():
    assert set(params.SPECS) == {c.name for c in registry.CHAPTERS if c.executed}


def test_titles_follow_the_focus_economy():
    assert registry.title("china_scale", "Korea") == "Korea's scale"
    assert registry.title("china_scale", "Philippines") == "Philippines' scale"
    assert registry.title("global_trends") == "Global trends"
    with pytest.raises(ValueError):
        registry.title("china_scale")


def test_labels_are_unique():
    labels = [c.label for c in registry.CHAPTERS]
    assert len(labels) == len(set(labels))
