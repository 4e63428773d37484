"""The build-comparison normaliser removes only what legitimately varies between builds."""

from __future__ import annotations

import json

from helpers.build import normalise


def _nb(outputs_text: str, start: str, duration: float, path: str) -> str:
    return json.dumps(
        {
            "metadata": {
                "kernelspec": {"name": "python3"},
                "papermill": {"start_time": start, "duration": duration, "input_path": path},
            },
            "cells": [
                {
                    "cell_type": "code",
                    "source": "x = 1",
                    "execution_count": 1,
                    "metadata": {
                        "tags": ["hide-input"],
                        "papermill": {"duration": duration},
                        "execution": {"iopub.status.busy": start},
                    },
                    "outputs": [{"output_type": "stream", "name": "stdout", "text": outputs_text}],
                }
            ],
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def test_run_metadata_of_notebooks_is_ignored_but_outputs_are_not():
    a = _nb("42\n", "2026-01-01T10:00:00.1Z", 1.5, "/tmp/a/chapters/x.ipynb")
    b = _nb("42\n", "2026-03-02T11:22:33.9Z", 2.7, "/other/root/chapters/x.ipynb")
    assert a != b
    assert normalise.normalise_notebook(a) == normalise.normalise_notebook(b)
    c = _nb("43\n", "2026-01-01T10:00:00.1Z", 1.5, "/tmp/a/chapters/x.ipynb")
    assert normalise.normalise_notebook(a) != normalise.normalise_notebook(c)
    kept = json.loads(normalise.normalise_notebook(a))
    assert kept["metadata"] == {"kernelspec": {"name": "python3"}}
    assert kept["cells"][0]["metadata"] == {"tags": ["hide-input"]}  # tags are content, kept


def test_timestamps_and_asset_hashes_are_replaced():
    a = (
        '<link href="_static/styles/theme.css?digest=dfe6caa3a7d634c4db9b" rel="stylesheet">'
        '<script src="_static/doctools.js?v=9a2dae69"></script><p>Built 2026-11-23T18:15:00.123+00:00</p>'
        '<p class="last-updated">Last updated on 23 Nov 2026.</p>'
    )
    b = (
        '<link href="_static/styles/theme.css?digest=0123456789abcdef0123" rel="stylesheet">'
        '<script src="_static/doctools.js?v=11111111"></script><p>Built 2027-01-02 03:04:05</p>'
        '<p class="last-updated">Last updated on 2 Jan 2027.</p>'
    )
    assert normalise.normalise_text(a) == normalise.normalise_text(b)
    assert "<TIMESTAMP>" in normalise.normalise_text(a) and "?digest=<HASH>" in normalise.normalise_text(a)


def test_real_differences_survive_normalisation():
    # a year, a number, a date without time, a changed file name: all content, never removed
    pairs = [
        ("<p>Exports grew 5.1% in 2024</p>", "<p>Exports grew 5.2% in 2024</p>"),
        ("<p>Data to 2024-06-30</p>", "<p>Data to 2024-07-31</p>"),
        ('<script src="_static/a.js?v=9a2dae69"></script>', '<script src="_static/b.js?v=9a2dae69"></script>'),
        ('<td data-sort="1234567">', '<td data-sort="1234568">'),
    ]
    for a, b in pairs:
        assert normalise.normalise_text(a) != normalise.normalise_text(b), (a, b)


def test_binary_files_are_compared_as_they_are():
    png = b"\x89PNG\r\n\x1a\n2026-11-23T18:15:00"
    assert normalise.normalise_bytes("logo.png", png) == png
    assert normalise.normalise_bytes("page.html", b"at 2026-11-23T18:15:00") == b"at <TIMESTAMP>"


def test_compare_trees_reports_missing_extra_and_changed_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        (root / "chapters").mkdir(parents=True)
        (root / "index.html").write_text("<p>built 2026-11-23T18:15:00</p>", encoding="utf-8")
    (b / "index.html").write_text("<p>built 2026-11-24T09:00:00</p>", encoding="utf-8")
    assert normalise.compare_trees(a, b) == []
    (a / "chapters" / "x.html").write_text("<p>value 1</p>", encoding="utf-8")
    (b / "chapters" / "x.html").write_text("<p>value 2</p>", encoding="utf-8")
    (b / "extra.js").write_text("x", encoding="utf-8")
    diffs = normalise.compare_trees(a, b)
    assert any(d.startswith("differs: chapters/x.html") and "value 1" in d and "value 2" in d for d in diffs)
    assert any(d.startswith("only in") and d.endswith("extra.js") for d in diffs)
    assert normalise.main([str(a), str(b)]) == 1
