"""The book's date, version and citation: from git when the book is a checkout, else the data vintage;
never the build clock."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

from helpers.book import site


def _repo(tmp_path, commit_date: str | None):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "datapackage.json").write_text(
        json.dumps(
            {"resources": [{"vintage": "accessed 2025-12-18"}, {"vintage": "2024 release, accessed 2026-01-26"}]}
        )
    )
    if commit_date:
        env = {
            "GIT_AUTHOR_DATE": commit_date,
            "GIT_COMMITTER_DATE": commit_date,
            "HOME": str(tmp_path),
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        run = lambda *a: subprocess.run(["git", "-C", str(tmp_path), *a], check=True, capture_output=True, env=env)  # noqa: E731
        run("init", "-q")
        run("-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
        run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "x")
    return tmp_path


def test_a_checkout_is_dated_by_its_last_commit_in_utc(tmp_path):
    # 23:30 at UTC-5 is already the next day in UTC: the date must not depend on the machine's time zone
    root = _repo(tmp_path, "2026-03-01T23:30:00-05:00")
    v = site.book_version(root)
    assert v.date == dt.date(2026, 3, 2) and v.commit and len(v.commit) == 40
    assert v.line() == f"Last updated 2 March 2026 (version {v.commit[:7]})"


def test_outside_git_the_book_is_dated_by_its_data_vintage(tmp_path):
    v = site.book_version(_repo(tmp_path, None))
    assert v == site.Version(dt.date(2026, 1, 26), None)
    assert v.line() == "Data vintage: 26 January 2026"


def test_a_folder_inside_another_checkout_is_not_dated_by_that_checkout(tmp_path):
    outer = _repo(tmp_path, "2026-03-01T12:00:00+00:00")
    inner = outer / "copy"
    (inner / "data").mkdir(parents=True)
    assert site.book_version(inner).commit is None


def test_citation_names_title_authors_year_and_version_without_placeholders():
    v = site.Version(dt.date(2026, 12, 3), "52354b2dcf4e77331375f907a05f930de67b1874")
    text, bibtex = site.citation("Digital Service Trade", "The authors", v)
    assert text == "The authors (2026). Digital Service Trade. Version 52354b2, 3 December 2026."
    assert "title = {{Digital Service Trade}}" in bibtex and "year = {2026}" in bibtex and "url" not in bibtex
    text, bibtex = site.citation("T", "A", v, url="https://example.org/book/")
    assert text.endswith("https://example.org/book/") and "url = {https://example.org/book/}" in bibtex
    html = site.cite_html("T <b>", "A", site.Version(None, None))
    assert "T &lt;b&gt;" in html and "n.d." in html and "report-version" not in html
