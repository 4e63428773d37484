"""No number that should be glued is typed into a chapter's prose.

The rule (what the scan checks), precisely:

* **Where**: the markdown cells of every ``chapters/*.ipynb`` and every ``chapters/*.md``.
* **What is not prose**: code blocks (fenced with backticks or tildes, except the bodies of content
  directives such as ``{note}``, which are prose), ``{glue...}`` directives, every inline role
  (``{glue:text}`key` ``, ``{ref}`...` ``), inline code, HTML tags and comments, link targets and
  URLs, MyST comment lines (``% ...``).
* **A number** is a run of digits with optional thousands separators and decimals (``7.8``,
  ``3.06``, ``933``, ``265.4``, ``1,234``, ``190,180``), not glued to letters, digits or
  identifiers (``S000-014``, ``5G``, ``FP16``, ``IT.NET.USER.ZS``, section numbers ``2.3.1`` are
  not numbers). A sign in front is ignored (``−2.7`` counts as ``2.7``).
* **Forbidden**: a number whose value equals (in absolute value)
  (a) a value or end value stated in ``data/claims.csv`` — on every page;
  (b) a number inside a glued value of the model chapter (``rcep_pathways``: its coefficients
  ``b_*``, p-values ``p_*``, intervals ``ci_*``,
  standard errors, scenario results …) — on every page;
  (c) a number inside a value the page itself glues — on that page.
  Glued values are read from the executed chapters: the outputs committed in ``chapters/*.ipynb``
  and, when present, ``_build/executed/*.ipynb``; each glue's ``text/markdown`` and ``text/html``
  (as prose) and ``text/plain`` (not the bare repr a Markdown object leaves there). Reference
  labels inside a glued link ("Table 1.1") are not computed numbers.
* **Allowed**: years (integers 1900–2100: labels, headings, parameters); single-digit integers used
  as ordinals or counts of things (``Table 1``, ``two cores``) unless a unit follows (``5 %``,
  ``4×``, ``2 times``, ``3 billion``); numbers right after ``Table``, ``Figure``, ``Section``,
  ``Chapter``, ``Step``, ``§`` (reference labels); the size of the RCEP group written as
  "<n> RCEP members" or "<n> members" with n = the number of members (structural, like a year: fixed
  by the agreement, not by the data).

The test fails on a deliberately planted number in a temporary copy of the chapters, so the scan
is known to bite.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers.data import paths
from helpers.data.datastore import RCEP

# --------------------------------------------------------------------------- the scanner

FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>[^\n]*)$")
CONTENT_DIRECTIVES = {
    "note",
    "warning",
    "tip",
    "hint",
    "important",
    "caution",
    "danger",
    "attention",
    "error",
    "admonition",
    "seealso",
    "topic",
    "sidebar",
    "margin",
    "dropdown",
    "epigraph",
    "div",
    "card",
    "tab-item",
    "grid-item-card",
    "figure",
    "table",
    "list-table",
}
ROLE = re.compile(r"\{[\w:.\-]+\}`[^`]*`")
INLINE_CODE = re.compile(r"`[^`]*`")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
HTML_TAG = re.compile(r"<[^>\n]+>")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
URL = re.compile(r"https?://\S+")
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w]|[.,]\d)")
UNIT_AFTER = re.compile(
    r"^\s?(%|×|x\b|pp\b|per ?cent|percent|times|-?fold|billion|trillion|million|bn\b|trn\b|"
    r"mn\b|yuan|US\$|EFlops|points?\b)",
    re.I,
)
RCEP_GROUP_AFTER = re.compile(r"^\s(RCEP )?members?\b")
REFERENCE_BEFORE = re.compile(r"(Table|Figure|Fig\.|Section|Chapter|Step|Part|Appendix|§)\s*$", re.I)


@dataclass(frozen=True)
class Violation:
    file: str
    cell: int
    token: str
    why: str
    context: str

    def __str__(self) -> str:
        return f"{self.file} (cell {self.cell}): '{self.token}' — {self.why} — …{self.context}…"


def prose(markdown: str) -> str:
    """The prose of a markdown text: code, glue blocks, roles, HTML, URLs and comments removed."""
    out: list[str] = []
    fence: str | None = None
    keep_body = False
    for line in markdown.splitlines():
        m = FENCE.match(line.strip())
        if fence is None and m:
            info = m.group("info").strip()
            name = re.match(r"\{([\w:.\-]+)\}", info)
            fence = m.group("fence")
            keep_body = bool(name) and name.group(1) in CONTENT_DIRECTIVES
            if keep_body:  # the directive's argument (a title) is prose too
                out.append(info[name.end() :])
            continue
        if fence is not None:
            if line.strip().startswith(fence[0] * len(fence)) and line.strip().strip(fence[0]) == "":
                fence = None
                continue
            if keep_body and not re.match(r"^\s*:[\w\-]+:", line):  # options are not prose
                out.append(line)
            continue
        if line.lstrip().startswith("%"):
            continue
        out.append(line)
    text = "\n".join(out)
    text = HTML_COMMENT.sub(" ", text)
    for pat in (ROLE, INLINE_CODE, LINK_TARGET, URL, HTML_TAG):
        text = pat.sub(" ", text)
    return text


def numbers(text: str) -> list[tuple[str, float, int]]:
    """(token, |value|, position) of every number in prose, exemptions applied."""
    found = []
    for m in NUMBER.finditer(text):
        tok = m.group(1)
        before = text[max(0, m.start() - 2) : m.start()]
        if len(before) == 2 and before[1] in "-/" and before[0].isalnum():
            continue  # part of an identifier or code: S000-014, 2019/20 handled as years
        value = float(tok.replace(",", ""))
        is_int = "." not in tok
        if is_int and 1900 <= value <= 2100 and "," not in tok:
            continue  # a year
        if REFERENCE_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            continue  # Table 1, Figure 2, Section 2.1
        if is_int and value < 10 and not UNIT_AFTER.match(text[m.end() : m.end() + 12]):
            continue  # an ordinal or a small count of things
        if is_int and value == len(RCEP) and RCEP_GROUP_AFTER.match(text[m.end() : m.end() + 20]):
            continue  # "15 RCEP members": the definition of the group
        found.append((tok, value, m.start()))
    return found


def markdown_cells(chapters: Path) -> list[tuple[str, int, str]]:
    """(file, cell index, markdown) of every chapter notebook's markdown cells and every .md page."""
    out = []
    for nb_path in sorted(chapters.glob("*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] == "markdown":
                src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                out.append((nb_path.name, i, src))
    for md in sorted(chapters.glob("*.md")):
        out.append((md.name, 0, md.read_text(encoding="utf-8")))
    return out


REPR = re.compile(r"^<[\w.]+ object( at 0x[0-9a-f]+)?>$")  # text/plain of a Markdown/HTML glue: no content


def glued_text(data: dict) -> str:
    """The readable text of one glue output: its ``text/markdown`` and ``text/html`` (as prose: tags, link
    targets and roles removed) and its ``text/plain`` (a string literal for text glue; skipped when it is
    only an object's repr, as for Markdown glue)."""
    parts = []
    for mime, val in data.items():
        val = "".join(val) if isinstance(val, list) else val
        if mime.endswith(("text/markdown", "text/html")):
            parts.append(prose(val))
        elif mime.endswith("text/plain"):
            try:
                val = ast.literal_eval(val)
            except (ValueError, SyntaxError):
                pass
            if not REPR.match(str(val).strip()):
                parts.append(str(val))
    return "\n".join(parts)


def glued_values(notebooks: list[Path]) -> dict[str, str]:
    """{"<notebook>::<key>": text} of every glued value (text, Markdown or HTML) in executed notebooks."""
    out: dict[str, str] = {}
    for nb_path in notebooks:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            for o in cell.get("outputs", []):
                name = o.get("metadata", {}).get("scrapbook", {}).get("name")
                if name:
                    out[f"{nb_path.stem}::{name}"] = glued_text(o.get("data", {}))
    return out


MODEL_CHAPTERS = ("rcep_pathways",)


def numbers_in_glue(text: str) -> list[float]:
    """|value| of every number in a glued text, except reference labels ("Table 1.1" in a glued link)."""
    return [
        abs(float(m.group(1).replace(",", "")))
        for m in NUMBER.finditer(text)
        if not REFERENCE_BEFORE.search(text[max(0, m.start() - 12) : m.start()])
    ]


def _glued_numbers(notebooks: list[Path]) -> dict[str, dict[float, str]]:
    """{page: {|value|: "glued as <page>::<key>"}} for the numbers inside glued values."""
    out: dict[str, dict[float, str]] = {}
    for key, text in glued_values(notebooks).items():
        page = key.split("::", 1)[0]
        for value in numbers_in_glue(text):
            out.setdefault(page, {}).setdefault(value, f"glued as {key}")
    return out


def forbidden_numbers(
    claims_csv: Path, notebooks: list[Path], model_chapters: tuple[str, ...] = MODEL_CHAPTERS
) -> dict[str, dict[float, str]]:
    """{page: {|value|: where it comes from}}; page "*" applies to every page (rules a and b)."""
    import pandas as pd

    everywhere: dict[float, str] = {}
    reg = pd.read_csv(claims_csv, dtype=str, keep_default_na=False)
    for cid, v, ve in zip(reg["claim_id"], reg["value"], reg["value_end"]):
        for w in (v, ve):
            if w:
                everywhere.setdefault(abs(float(w)), f"stated in {cid} (data/claims.csv)")
    per_page = _glued_numbers(notebooks)
    for page in model_chapters:
        for value, why in per_page.get(page, {}).items():
            everywhere.setdefault(value, why + " (the model)")
    return {"*": everywhere, **per_page}


def scan(chapters: Path, forbidden: dict[str, dict[float, str]]) -> list[Violation]:
    bad = []
    for file, idx, md in markdown_cells(chapters):
        rules = {**forbidden.get(Path(file).stem, {}), **forbidden["*"]}
        text = prose(md)
        for tok, value, pos in numbers(text):
            if value in rules:
                ctx = text[max(0, pos - 30) : pos + len(tok) + 30].replace("\n", " ")
                bad.append(Violation(file, idx, tok, f"should be glued: {rules[value]}", ctx))
    return bad


def executed_notebooks() -> list[Path]:
    nbs = sorted(paths.chapters_dir().glob("*.ipynb"))
    executed = paths.build_dir() / "executed"
    if executed.exists():
        nbs += sorted(executed.glob("*.ipynb"))
    return nbs


@pytest.fixture(scope="module")
def forbidden() -> dict[str, dict[float, str]]:
    return forbidden_numbers(paths.data_dir() / "claims.csv", executed_notebooks())


# --------------------------------------------------------------------------- the rule on the real book


def test_no_chapter_types_a_number_that_should_be_glued(forbidden):
    bad = scan(paths.chapters_dir(), forbidden)
    assert not bad, "numbers typed into prose (glue them: page.glue + {glue:text}):\n" + "\n".join(map(str, bad))


def test_the_forbidden_set_covers_the_register_and_the_model(forbidden):
    import pandas as pd

    reg = pd.read_csv(paths.data_dir() / "claims.csv")
    everywhere = set(forbidden["*"])
    assert {abs(v) for v in reg["value"]} <= everywhere
    assert {abs(v) for v in reg["value_end"].dropna()} <= everywhere
    glued = glued_values(executed_notebooks())
    model = {k: v for k, v in glued.items() if k.split("::", 1)[0] in MODEL_CHAPTERS}
    if model:  # the model chapter glues its coefficients as b_<regressor> (helpers.book.chapters.rcep_pathways)
        assert any(k.split("::", 1)[1].startswith("b_") for k in model), sorted(model)
    for key, text in model.items():  # the coefficients (b_*) among them
        for value in numbers_in_glue(text):
            assert value in everywhere, key


# --------------------------------------------------------------------------- the scanner bites


def _write_nb(path: Path, cells: list[dict]) -> None:
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")


def _md(src: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": src}


def _glue_cell(name: str, text: str) -> dict:
    return {
        "cell_type": "code",
        "metadata": {},
        "source": "",
        "execution_count": 1,
        "outputs": [
            {
                "output_type": "display_data",
                "metadata": {"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}},
                "data": {"application/papermill.record/text/plain": repr(text)},
            }
        ],
    }


def test_a_planted_register_number_is_caught(tmp_path, forbidden):
    chapters = tmp_path / "chapters"
    shutil.copytree(paths.chapters_dir(), chapters)
    target = sorted(chapters.glob("*.ipynb"))[0]
    nb = json.loads(target.read_text(encoding="utf-8"))
    nb["cells"].append(_md("China's services trade grew by 7.8 % a year and exceeded US$ 933 billion."))
    target.write_text(json.dumps(nb), encoding="utf-8")
    (chapters / "planted.md").write_text("# Planted\n\nThe share rose from 3.06 % to 6.86 %.\n", encoding="utf-8")
    bad = scan(chapters, forbidden)
    last = len(nb["cells"]) - 1
    tokens = sorted(v.token for v in bad if v.file == "planted.md" or (v.file == target.name and v.cell == last))
    assert tokens == ["3.06", "6.86", "7.8", "933"]
    assert all("claims.csv" in v.why for v in bad if v.file == "planted.md")


def test_a_planted_coefficient_is_caught_and_a_glued_one_is_not(tmp_path):
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    csv = tmp_path / "claims.csv"
    csv.write_text("claim_id,value,value_end\nS900-001,7.8,\n", encoding="utf-8")
    _write_nb(
        chapters / "rcep_pathways.ipynb",
        [
            _md("# Model\n\nThe elasticity is {glue:text}`coef_gdp` (see {ref}`sec-x`)."),
            _glue_cell("coef_gdp", "0.4321"),
            _glue_cell("n_obs", "287"),
            _md("Typed by hand: the elasticity is 0.4321, and `0.4321` in code is fine; 287 observations."),
        ],
    )
    _write_nb(
        chapters / "other.ipynb",
        [
            _md("# Other\n\nThe model's elasticity, typed: 0.4321; its 287 observations, typed elsewhere."),
            _glue_cell("n_rows", "15"),
            _md("The 15 economies, typed on the page that glues it."),
        ],
    )
    forbidden = forbidden_numbers(csv, sorted(chapters.glob("*.ipynb")))
    assert forbidden["*"][0.4321] == "glued as rcep_pathways::coef_gdp (the model)"
    assert 15.0 not in forbidden["*"] and forbidden["other"][15.0] == "glued as other::n_rows"
    bad = scan(chapters, forbidden)
    assert sorted((v.file, v.cell, v.token) for v in bad) == [
        ("other.ipynb", 0, "0.4321"),
        ("other.ipynb", 0, "287"),
        ("other.ipynb", 2, "15"),
        ("rcep_pathways.ipynb", 3, "0.4321"),
        ("rcep_pathways.ipynb", 3, "287"),
    ]


def _glue_rich_cell(name: str, mime: str, content: str) -> dict:
    """A glue output as myst-nb writes a Markdown (or HTML) object: the content, then the object's repr."""
    prefix = "application/papermill.record/"
    return {
        "cell_type": "code",
        "metadata": {},
        "source": "",
        "execution_count": 1,
        "outputs": [
            {
                "output_type": "display_data",
                "metadata": {"scrapbook": {"name": name, "mime_prefix": prefix}},
                "data": {prefix + mime: content, prefix + "text/plain": "<IPython.core.display.Markdown object>"},
            }
        ],
    }


def test_a_number_glued_as_markdown_or_html_is_caught_when_typed(tmp_path):
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    csv = tmp_path / "claims.csv"
    csv.write_text("claim_id,value,value_end\nS900-001,7.8,\n", encoding="utf-8")
    _write_nb(
        chapters / "scale.ipynb",
        [
            _md("# Scale\n\n{glue:md}`share_md` and {glue:md}`box`."),
            _glue_rich_cell(
                "share_md", "text/markdown", "a share of **92.0 %** of the total ([Table 3.1](#fig-tbl-x-3))"
            ),
            _glue_rich_cell("box", "text/html", '<span style="width: 640px">exports of <b>47.5</b> bn</span>'),
            _md("Typed by hand: 92.0 % of the total, 47.5 bn; a 3.1 % rise and 640 pixels are other numbers."),
        ],
    )
    glued = glued_values(sorted(chapters.glob("*.ipynb")))
    assert "92.0 %" in glued["scale::share_md"] and "object>" not in glued["scale::share_md"]
    forbidden = forbidden_numbers(csv, sorted(chapters.glob("*.ipynb")))
    assert forbidden["scale"][92.0] == "glued as scale::share_md"
    assert 3.1 not in forbidden["scale"] and 640.0 not in forbidden["scale"]  # a label, an HTML attribute
    bad = scan(chapters, forbidden)
    assert sorted((v.cell, v.token, v.why) for v in bad) == [
        (3, "47.5", "should be glued: glued as scale::box"),
        (3, "92.0", "should be glued: glued as scale::share_md"),
    ]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Growth was 7.8 % in 2023.", ["7.8"]),  # a stated value; the year is fine
        ("Between 2012 and 2023, see Table 1 and Section 2.1.", []),  # years and reference labels
        ("It ranks 6 among 8 hubs.", []),  # single-digit counts without a unit
        ("A target of 5 % a year.", ["5"]),  # a single digit with a unit is a figure
        ("Exports reached 190,180 (US$ 100 million) or 4,915.5 bn.", ["190,180", "4,915.5"]),
        ("Claim S000-014, indicator IT.NET.USER.ZS, 5G, FP16 and section 2.3.1.", []),
        ("Glued: {glue:text}`global_trends.ipynb::dds_2025:s` and `7.8` in code.", []),
        ("```python\nx = 7.8\n```\nAfter the code.", []),
        ("```{glue:md} note_md\n:format: myst\n```\n", []),
        (":::{note} Stated 13.6 %\nThe body says 229.4.\n:::\n", ["13.6", "229.4"]),
        ('<span data-x="7.8">ok</span> [a link](https://x.org/7.8/) <!-- 7.8 -->', []),
        ("% a comment with 7.8\nA fall of −16.8 %.", ["16.8"]),
        ("For the 15 RCEP members and the 15 members, but 14 members and 15 economies.", ["14", "15"]),
    ],
)
def test_the_rule_on_examples(text, expected):
    forbidden = {
        7.8: "r",
        5.0: "r",
        190180.0: "r",
        4915.5: "r",
        13.6: "r",
        229.4: "r",
        16.8: "r",
        2.1: "r",
        6.0: "r",
        8.0: "r",
        1.0: "r",
        14.0: "r",
        15.0: "r",
        2012.0: "r",
    }
    got = [tok for tok, value, _ in numbers(prose(text)) if value in forbidden]
    assert got == expected


def test_cross_page_glue_references_exist():
    """Every ``{glue:text}`page.ipynb::key:s``` in a page names a key that page's committed outputs glue
    (the book build would fail on a missing one; this says which, without building)."""
    ref = re.compile(r"\{glue(?::\w+)?\}`([\w\-]+)\.ipynb::([\w\-]+)(?::[^`]*)?`")
    glued = glued_values(sorted(paths.chapters_dir().glob("*.ipynb")))
    missing = []
    for file, idx, md in markdown_cells(paths.chapters_dir()):
        for page, key in ref.findall(md):
            if f"{page}::{key}" not in glued:
                missing.append(f"{file} (cell {idx}): {page}.ipynb::{key}")
    assert not missing, "glue references to keys no committed notebook glues:\n" + "\n".join(missing)
