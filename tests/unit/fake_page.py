"""Run a chapter notebook's code cells in-process with a recording stand-in for ``Page``.

The cells run as written (parameters cell, then every other code cell), with ``helpers.book.page.Page``
replaced by :class:`FakePage`, which validates the parameters like the real page and records what would be
shown: glued values, figures (the Altair spec), tables, notes and key findings. Tests then read the text a
reader would read, for any parameter set, without a kernel or a Sphinx build.
"""

from __future__ import annotations

import json
import re

import pandas as pd

from helpers.book import charts, params
from helpers.data import paths
from helpers.text import md_escape


class FakePage:
    def __init__(self, chapter: str, namespace):
        self.chapter = chapter
        self.params = params.from_namespace(chapter, namespace)
        self.glued: dict[str, str] = {}
        self.figures: list[dict] = []
        self.tables: list[dict] = []
        self.notes: list[str] = []
        self.findings: list = []
        self._n = {"Figure": 0, "Table": 0}

    def title(self, focus_name=None):
        from helpers import registry

        return self.glue("title", registry.title(self.chapter, focus_name))

    def glue(self, name, value):
        assert isinstance(value, str), (name, value)
        return self.glue_md(name, value)

    def glue_md(self, name, markdown):
        assert name not in self.glued, f"glue key {name} used twice"
        assert isinstance(markdown, str) and markdown.strip(), f"glue key {name}: empty value"
        self.glued[name] = markdown
        return markdown

    def glue_sentences(self, values, plain=()):
        for k, v in values.items():
            self.glue_md(k, "\n".join(f"- {md_escape(x)}" for x in v) if isinstance(v, list) else md_escape(v))
            if k in plain:
                self.glue(f"{k}_text", v)

    def _number(self, kind, name):
        self._n[kind] += 1
        label = f"{kind} {self._n[kind]}"
        self.glue_md(f"{'fig' if kind == 'Figure' else 'tbl'}-{charts.slug(name)}", f"[{label}](#x)")
        return label

    def figure(self, chart, *, name, title, subtitle, source, alt, data=None, note=None):
        assert alt and title and source and subtitle
        spec = chart.to_dict()
        self.figures.append({"name": name, "title": title, "alt": alt, "spec": spec, "data": data})
        return self._number("Figure", name)

    def table(self, df, *, name, caption, source, collapsed=False, **kw):
        self.tables.append({"name": name, "df": df, "caption": caption, "note": kw.get("note")})
        return self._number("Table", name)

    def note(self, text, kind="note", title=None):
        self.notes.append(text)

    def key_findings(self, findings):
        findings = list(findings)
        assert 3 <= len(findings) <= 5, findings
        for f in findings:
            ref = None if isinstance(f, str) else f[1]
            if ref is not None:
                key = ref if ref.startswith(("fig-", "tbl-")) else f"fig-{ref}"
                assert key in self.glued, f"finding links to {ref}, not on the page"
        self.findings = [f if isinstance(f, str) else f[0] for f in findings]
        self.glue_md("key_findings", "\n".join(f"- {f}" for f in self.findings))

    def rerun(self):
        pass

    # ---------------------------------------------------------------- reading the page
    def text(self) -> str:
        """Every glued value and every figure title, one per line (what a reader reads)."""
        return "\n".join(
            list(self.glued.values())
            + [f["title"] for f in self.figures]
            + [t["caption"] for t in self.tables]
            + self.notes
        )


def code_cells(chapter: str) -> list[tuple[list[str], str]]:
    nb = json.loads((paths.chapters_dir() / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    return [
        (c.get("metadata", {}).get("tags", []), "".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code"
    ]


def markdown(chapter: str) -> str:
    nb = json.loads((paths.chapters_dir() / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def glue_keys_in_prose(chapter: str) -> set[str]:
    md = markdown(chapter)
    return set(re.findall(r"\{glue:(?:text|md)\}`([^`:]+)`", md)) | set(re.findall(r"```\{glue:md\}\s+(\S+)", md))


def run_chapter(chapter: str, monkeypatch, **overrides) -> tuple[FakePage, dict]:
    """Execute the notebook's cells with ``overrides`` applied after the parameters cell (as papermill does)."""
    import helpers.book.page as page_module

    monkeypatch.setattr(page_module, "Page", FakePage)
    ns: dict = {}
    for tags, src in code_cells(chapter):
        exec(compile(src, f"<{chapter}>", "exec"), ns)
        if "parameters" in tags:
            ns.update(overrides)
    page = ns["page"]
    assert isinstance(page, FakePage)
    return page, ns


def no_nan(values) -> list[str]:
    """Glued values that print a missing number ('nan', 'n/a', 'None')."""
    return [v for v in values if re.search(r"\bnan\b|\bn/a\b|\bNone\b|\bNaN\b", str(v))]


def frame_has_no_inf(df: pd.DataFrame | None) -> bool:
    import numpy as np

    return df is None or not np.isinf(df.select_dtypes("number").to_numpy(dtype=float)).any()
