"""The parameter matrix's renderer and invariants (tests/integration/param_matrix.py) on hand-made pages:
each invariant catches the slip it is meant for and lets the legitimate wording through."""

from __future__ import annotations

import json

import pytest

from helpers.book import params
from tests.integration import param_matrix as pm


def _glue(name: str, value: str, markdown: bool = False) -> dict:
    prefix = "application/papermill.record/"
    data = (
        {prefix + "text/markdown": value, prefix + "text/plain": "<IPython.core.display.Markdown object>"}
        if markdown
        else {prefix + "text/plain": repr(value)}
    )
    return {
        "output_type": "display_data",
        "metadata": {"scrapbook": {"name": name, "mime_prefix": prefix}},
        "data": data,
    }


def _html(fragment: str) -> dict:
    return {"output_type": "display_data", "metadata": {}, "data": {"text/html": fragment, "text/plain": "<HTML>"}}


def _nb(markdown: list[str], outputs: list[dict]) -> dict:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": m} for m in markdown]
    cells.append(
        {
            "cell_type": "code",
            "metadata": {"tags": ["hide-input"]},
            "source": "",
            "outputs": outputs,
            "execution_count": 1,
        }
    )
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _violations(chapter: str, overrides: dict, markdown: list[str], outputs: list[dict]) -> list[pm.Violation]:
    return pm.check(chapter, params.validate(chapter, overrides), _nb(markdown, outputs))


# --------------------------------------------------------------------------- rendering


def test_roles_and_directives_are_replaced_by_the_glued_values():
    nb = _nb(
        [
            "# {glue:text}`title`\n\n:::{admonition} Key findings\n```{glue:md} key_findings\n:format: myst\n```\n:::",
            "(sec-x)=\n## Level\n\nIn {glue:text}`year` exports were {glue:md}`level` ({glue:text}`fmt:.1f`); "
            "see {glue:md}`fig-trend` and {glue:text}`other.ipynb::headline:s`.\n% a comment 1999\n",
        ],
        [
            _glue("title", "Korea's scale"),
            _glue("key_findings", "- First \\*finding\\*.\n- Second.", True),
            _glue("year", "2024"),
            _glue("level", "**US$ 5.0 bn**", True),
            _glue("fmt", "3.14159"),
            _glue("fig-trend", "[Figure 2.1](#fig-x)", True),
        ],
    )
    units = pm.render(nb)
    assert units[0] == pm.Unit("title", "Korea's scale", True)
    text = "\n".join(u.text for u in units if u.where.startswith("markdown"))
    assert "First *finding*." in text and "Second." in text and ":format:" not in text
    assert "In 2024 exports were US$ 5.0 bn (3.14159); see Figure 2.1 and ⟦another page⟧." in " ".join(text.split())
    assert "(sec-x)=" not in text and "1999" not in text and "{glue" not in text


def test_html_outputs_give_captions_and_notes_not_cells_sources_or_the_rerun_block():
    frag = (
        '<figure><div role="img" aria-label="alt 1999"></div><figcaption><span class="report-number">Figure 1.'
        '</span> Exports rose. <span class="report-source">Source: data/wto_dds_2026.csv</span>'
        '<span class="report-links"> · <a>CSV</a></span></figcaption><script>{"year": 1999}</script></figure>'
        "<table><caption>Table 1.1. Leading exporters</caption><tr><td>n/a</td></tr></table>"
        '<details class="report-rerun"><summary>Parameters</summary><p>-p start_year 1990</p></details>'
        '<div class="admonition tip"><p>Run <code>make chapter ARGS="-p end_year 1990"</code> to see.</p></div>'
    )
    text = pm.visible_html(frag)
    assert "Exports rose." in text and "Leading exporters" in text and "Run to see." in " ".join(text.split())
    for hidden in ("2026", "1999", "n/a", "Parameters", "1990", "CSV"):
        assert hidden not in text


def test_sentences_split_paragraphs_bullets_and_full_stops_not_wrapped_lines():
    text = pm.plain("## Heading\nOne sentence that\nwraps. Another one.\n\n- a bullet\n  that continues\n- second")
    assert pm.sentences(text) == [
        "Heading",
        "One sentence that wraps.",
        "Another one.",
        "a bullet that continues",
        "second",
    ]


# --------------------------------------------------------------------------- focus economy


def test_china_in_a_page_about_korea_is_caught_unless_it_compares_or_quotes_the_seeds():
    vs = _violations(
        "china_scale",
        {"country": "KOR"},
        [
            "# {glue:text}`title`",
            "China's services grew fast. Korea ranks after China. The study "
            "claims China's share rose. China exported more. The fastest-growing peer is "
            "{glue:text}`peer`. WTO publishes this split for China only. Chinese exports rose. China's "
            "official figure is higher.",
        ],
        [_glue("title", "China's scale"), _glue("peer", "China (8 %)")],
    )
    assert [(v.invariant, v.where, v.sentence) for v in vs] == [
        ("focus", "title", "China's scale"),
        ("focus", "markdown cell 1", "China's services grew fast."),
        ("focus", "markdown cell 1", "China exported more."),
        ("focus", "markdown cell 1", "Chinese exports rose."),
    ]


def test_the_title_must_name_the_focus():
    vs = _violations("structure", {"country": "JPN"}, ["# {glue:text}`title`"], [_glue("title", "Structure")])
    assert [v.where for v in vs] == ["title"]
    assert not _violations(
        "structure",
        {"country": "JPN"},
        ["# {glue:text}`title`"],
        [_glue("title", "Structure of Japan's services trade")],
    )


def test_china_is_fine_where_china_is_the_focus_or_in_the_selection():
    assert not _violations("china_scale", {}, ["# China's scale", "China's services grew fast."], [])
    assert not _violations("ai_infrastructure", {"countries": ["CHN", "KOR"]}, ["China leads."], [])


def test_china_named_in_a_selection_without_it_is_caught():
    vs = _violations(
        "ai_infrastructure",
        {"countries": ["KOR", "JPN"]},
        ["The largest among them is China.", "Claims on China's computing power, with verdicts."],
        [],
    )
    assert [v.sentence for v in vs] == ["The largest among them is China."]


def test_scenario_values_follow_the_scenario_member():
    overrides = {"scenario_country": "KOR"}
    vs = _violations(
        "rcep_pathways", overrides, ["Scenarios for {glue:text}`sc_country`."], [_glue("sc_country", "China")]
    )
    assert [v.where for v in vs] == ["glue sc_country"]


# --------------------------------------------------------------------------- years


def test_a_computed_year_outside_the_window_is_caught():
    md = ["Exports peaked in {glue:text}`y`."]
    assert not _violations("structure", {"start_year": 2010, "end_year": 2015}, md, [_glue("y", "2014")])
    vs = _violations("structure", {"start_year": 2010, "end_year": 2015}, md, [_glue("y", "2024")])
    assert [(v.invariant, v.where) for v in vs] == [("year 2024 outside 2010–2015", "glue y")]


def test_years_of_seed_claims_vintages_and_typed_text_are_not_window_years():
    outs = [
        _glue("a", "The study states a level for 2030."),
        _glue("b", "WTO's 2026 dataset revises it."),
        _glue("c", "the headline of World Trade Statistics (April 2024)"),
    ]
    assert not _violations(
        "structure", {"start_year": 2010, "end_year": 2015}, ["RCEP entered into force in 2022."], outs
    )


def test_history_start_and_horizon_widen_the_window():
    win = pm.window(pm.context("global_trends", params.validate("global_trends", {"history_start": 2012})))
    assert win == (2012, 2025)
    win = pm.window(pm.context("rcep_pathways", params.validate("rcep_pathways", {"horizon": 2035})))
    assert win == (2005, 2035)


# --------------------------------------------------------------------------- extremes and garbling


@pytest.mark.parametrize(
    "sentence, bad",
    [
        ("The largest net debit was in “travel”, the largest net credit in “travel”.", True),
        ("The largest net debit was in “travel”, the largest net credit in “transport”.", False),
        ("Japan had the highest share and Japan the lowest.", True),
        ("Japan had the highest share and Lao PDR the lowest.", False),
        ("the highest member had 1.0× the lowest member's level in 2010.", True),
        ("the highest member had 4.2× the lowest member's level in 2010.", False),
    ],
)
def test_extremes(sentence, bad):
    vs = _violations("structure", {}, [sentence], [])
    assert bool(vs) == bad, vs


@pytest.mark.parametrize(
    "sentence, what",
    [
        ("It grew in 0 of the 1 windows.", "0 of 1"),
        ("A share of 5 % ( 0 % of the total).", "( 0 %"),
        ("The band 3.1–3.1 is narrow.", "band x–x"),
        ("Data for 2019–2019 only.", "a span from a year to itself"),
        ("The level is n/a in that year.", "n/a"),
        ("The share was nan %.", "nan/None/inf"),
        ("Its name is None.", "nan/None/inf"),
        ("The value, None, is shown.", "nan/None/inf"),
        ("See {glue:text}`missing_key` here.", "unrendered glue"),
        ("Exports were US$ 0.0 bn.", "US$ 0.0 bn"),
        ("Growth was −0.0 % a year.", "−0.0 %"),
        ("It holds for 1 members.", "1 <plural>"),
        ("Left out for gaps: .", "empty list after a colon"),
        ("Members () shown.", "empty brackets"),
        ("Japan, , Korea.", "doubled punctuation"),
        ("It is the the largest.", "doubled word"),
    ],
)
def test_garbled_fragments_are_caught(sentence, what):
    vs = _violations("data_methods", {}, [sentence], [])
    assert f"garbled: {what}" in [v.invariant for v in vs]


@pytest.mark.parametrize(
    "sentence",
    [
        "It grew in 3 of the 5 windows (60 %).",
        "The band 3.1–4.2 is narrow.",
        "Data for 2019–2020.",
        "Files are in ../shared/data/raw/.",
        "Exports were US$ 0.4 bn.",
        "Growth was −0.4 % a year.",
        "It holds for 1 member.",
        "Noted, e.g. here.",
        "None of the 7 claims could be checked.",
        "Of these, None of them.",
    ],
)
def test_sound_wording_passes(sentence):
    assert not _violations("data_methods", {}, [sentence], [])


def test_a_violation_names_invariant_place_and_sentence():
    v = pm.Violation("focus", "glue headline", "China grew.")
    assert str(v) == "[focus] glue headline: “China grew.”"


def test_every_combination_of_the_matrix_is_valid():
    for c in pm.combos():
        params.validate(c.chapter, c.params)  # raises naming the combination's chapter and parameter
    assert len({c.id for c in pm.combos()}) == len(pm.combos())
    json.dumps([c.params for c in pm.combos()])  # papermill passes them as JSON-able values
