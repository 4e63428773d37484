"""The book's chapters, in reading order: the one list the rest of the project is driven by.

* the table of contents (``_toc.yml`` is :func:`toc_yaml` written out; a test keeps them equal);
* the parameter specs (``helpers.book.params.SPECS`` has exactly these chapters);
* the chapter modules: sections in ``helpers.book.chapters.<name>``, claim checks in
  ``helpers.claims.checks.<name>`` (for chapters that discuss claims);
* figure and table numbers ("Figure 2.3": ``label`` 2, third figure of the page).

A leaf module: it imports nothing from ``helpers``, so every layer may use it.
"""

from __future__ import annotations

from dataclasses import dataclass

ROOT, REPORT, APPENDICES = "root", "Report", "Appendices"


@dataclass(frozen=True)
class Chapter:
    name: str  # notebook stem: chapters/<name>.ipynb, page chapters/<name>.html
    title: str  # page title; "{focus}" is replaced by the focus economy's name (possessive where written "{focus}'s")
    label: str  # figure/table prefix: "2" gives "Figure 2.1"; appendices use letters
    part: str  # ROOT, REPORT or APPENDICES
    focus: str | None = None  # parameter holding the focus economy the title follows
    checks: bool = True  # has claim checks in helpers.claims.checks.<name>
    executed: bool = True  # a parameterised notebook run by the build; False: a static markdown page

    @property
    def source(self) -> str:
        return f"chapters/{self.name}.{'ipynb' if self.executed else 'md'}"

    @property
    def sections_module(self) -> str:
        return f"helpers.book.chapters.{self.name}"

    @property
    def checks_module(self) -> str | None:
        return f"helpers.claims.checks.{self.name}" if self.checks else None


CHAPTERS: tuple[Chapter, ...] = (
    Chapter("intro", "Digital Service Trade in the Age of AI — China and RCEP", "I", ROOT, checks=False),
    Chapter("global_trends", "Global trends", "1", REPORT),
    Chapter("china_scale", "{focus}'s scale", "2", REPORT, focus="country"),
    Chapter("structure", "Structure of {focus}'s services trade", "3", REPORT, focus="country"),
    Chapter("ai_infrastructure", "AI infrastructure", "4", REPORT),
    Chapter("rcep_pathways", "RCEP pathways: what moves with digital service exports?", "5", REPORT),
    Chapter("claims_audit", "Claims audit", "A", APPENDICES, checks=False),
    Chapter("data_methods", "Data and methods", "B", APPENDICES, checks=False),
    Chapter("glossary", "Glossary", "C", APPENDICES, checks=False, executed=False),
)

BY_NAME = {c.name: c for c in CHAPTERS}
NAMES = tuple(BY_NAME)


def chapter(name: str) -> Chapter:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown chapter {name!r}; chapters: {', '.join(NAMES)}") from None


def possessive(name: str) -> str:
    """'China' -> "China's"; 'Philippines' -> "Philippines'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def title(name: str, focus_name: str | None = None) -> str:
    """The page title, with the focus economy's name filled in (its display name, e.g. 'Korea')."""
    ch = chapter(name)
    if "{focus}" not in ch.title:
        return ch.title
    if focus_name is None:
        raise ValueError(f"chapter {name!r}: its title names the focus economy; give focus_name")
    return ch.title.replace("{focus}'s", possessive(focus_name)).replace("{focus}", focus_name)


def neutral_title(name: str) -> str:
    """The title without its focus economy ("{focus}'s scale" -> "Scale"), for links from pages that do not
    know which economy an edition focuses on (the claims audit)."""
    t = chapter(name).title.replace("{focus}'s ", "").replace("{focus} ", "")
    return t[:1].upper() + t[1:]


def toc_yaml() -> str:
    """``_toc.yml`` as the registry gives it (jupyter-book 1.x)."""
    root = [c for c in CHAPTERS if c.part == ROOT]
    assert len(root) == 1, "exactly one root page"
    lines = [
        "# Table of contents (jupyter-book 1.x). Generated from helpers.registry: edit the registry, then",
        "# `make toc`; a test keeps the two equal.",
        "format: jb-book",
        f"root: chapters/{root[0].name}",
        "parts:",
    ]
    for part, numbered in ((REPORT, True), (APPENDICES, False)):
        lines.append(f"  - caption: {part}")
        if numbered:
            lines.append("    numbered: true")
        lines.append("    chapters:")
        lines += [f"      - file: chapters/{c.name}" for c in CHAPTERS if c.part == part]
    return "\n".join(lines) + "\n"
