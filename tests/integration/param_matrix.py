"""The parameter matrix: every chapter executed with parameter sets chosen to hit the edges, and the
rendered text of each executed page checked against invariants that must hold for every valid parameter set.

* :func:`combos` — the parameter sets (each focus economy, sparse members included; windows ending
  before the latest data; the shortest windows allowed; every option of every choice parameter).
* :func:`execute_all` — papermill straight into a temp folder (no Sphinx), two processes.
* :func:`render` — what a reader sees as text: markdown cells with ``{glue:text}``/``{glue:md}`` roles and
  glue directives replaced by the glued values; captions and notes of the HTML outputs (not table cells,
  not source lines, not the folded re-run block); and each glued value on its own.
* :func:`check` — the invariants (see each ``_check_*`` function for its precise rule).
"""

from __future__ import annotations

import ast
import html
import json
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from html.parser import HTMLParser
from multiprocessing import get_context
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CHAPTERS_DIR = REPO / "chapters"
RCEP = ("AUS", "BRN", "CHN", "IDN", "JPN", "KHM", "KOR", "LAO", "MMR", "MYS", "NZL", "PHL", "SGP", "THA", "VNM")
SPARSE = ("LAO", "MMR", "BRN", "KHM", "VNM")
FAST_BOOTSTRAP = {"bootstrap_reps": 99}  # the fewest allowed: the matrix tests wording, not inference


# --------------------------------------------------------------------------- the parameter sets


@dataclass(frozen=True)
class Combo:
    chapter: str
    overrides: tuple[tuple[str, Any], ...]
    label: str

    @property
    def id(self) -> str:
        return f"{self.chapter}-{self.label}"

    @property
    def params(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.overrides}

    def describe(self) -> str:
        return " ".join(f"-p {k} {json.dumps(v)}" for k, v in self.params.items()) or "(defaults)"


def _c(chapter: str, label: str, **overrides: Any) -> Combo:
    return Combo(chapter, tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in overrides.items()), label)


def _openness_measures() -> list[str]:
    from helpers.book import params

    return params.spec("rcep_pathways")["openness_measure"].allowed()


def combos() -> list[Combo]:
    out = [
        # the intro has no parameters: one run, its text checked like the others'
        _c("intro", "defaults"),
        # global_trends: both units, shortest window, windows ending before the latest data, top_n edges
        _c("global_trends", "defaults"),
        _c("global_trends", "usd_100m", unit="usd_100m"),
        _c("global_trends", "shortest", start_year=2024, end_year=2025, base_year=2024),
        _c("global_trends", "ends-2022", start_year=2019, end_year=2022, base_year=2020, history_start=2015),
        _c(
            "global_trends",
            "two-years-top3",
            start_year=2020,
            end_year=2021,
            base_year=2021,
            top_n=3,
            history_start=2020,
            unit="usd_100m",
        ),
        _c("global_trends", "top25-ends-2023", top_n=25, end_year=2023, base_year=2023),
    ]
    # the focus chapters: every RCEP member as the focus, then window edges
    for chapter in ("china_scale", "structure"):
        out += [_c(chapter, iso, country=iso) for iso in RCEP]
    out += [
        _c("china_scale", "CHN-ends-2012", start_year=2005, end_year=2012),
        _c("china_scale", "KOR-shortest", country="KOR", start_year=2023, end_year=2024),
        _c("china_scale", "JPN-peers", country="JPN", peers=["CHN", "KOR", "USA"]),
        _c("china_scale", "MMR-past-its-data", country="MMR", start_year=2015, end_year=2024),
        _c("china_scale", "LAO-shortest", country="LAO", start_year=2022, end_year=2023),
        _c("china_scale", "BRN-early", country="BRN", start_year=2000, end_year=2010),
        _c("structure", "CHN-one-year", start_year=2024, end_year=2024),
        _c("structure", "KOR-ends-2015", country="KOR", start_year=2010, end_year=2015),
        _c("structure", "MMR-past-its-data", country="MMR", start_year=2019, end_year=2024),
        _c("structure", "VNM-shortest", country="VNM", start_year=2023, end_year=2024),
    ]
    # ai_infrastructure: one member, sparse members, no China, one year, each indicator alone
    out += [
        _c("ai_infrastructure", "defaults"),
        _c("ai_infrastructure", "KOR-only", countries=["KOR"]),
        _c("ai_infrastructure", "sparse", countries=list(SPARSE)),
        _c("ai_infrastructure", "without-china", countries=["JPN", "KOR", "AUS", "NZL", "SGP"]),
        _c("ai_infrastructure", "one-year", start_year=2015, end_year=2015),
        _c("ai_infrastructure", "ends-2012", end_year=2012),
        _c("ai_infrastructure", "servers-2010-2020", indicators=["IT.NET.SECR.P6"], start_year=2010, end_year=2020),
        _c("ai_infrastructure", "broadband", indicators=["IT.NET.BBND.P2"]),
        _c("ai_infrastructure", "mobile-CHN", indicators=["IT.CEL.SETS.P2"], countries=["CHN"]),
        _c("ai_infrastructure", "internet-LAO-MMR", indicators=["IT.NET.USER.ZS"], countries=["LAO", "MMR"]),
    ]
    # rcep_pathways: every openness measure as the main one, the other choices rotated alongside, so
    # that each option of each choice parameter and each scenario member (sparse ones included) appears
    measures = _openness_measures()
    dependents, dds = ("dds_exports", "dds_exports_non_ict"), ("wto_delivered", "unctad_deliverable", "wdi_composition")
    infra, fe = ("IT.NET.USER.ZS", "IT.NET.BBND.P2", "IT.CEL.SETS.P2", "IT.NET.SECR.P6"), ("twoway", "country", "none")
    scenario = list(SPARSE) + [c for c in RCEP if c not in SPARSE]
    for i, m in enumerate(measures):
        out.append(
            _c(
                "rcep_pathways",
                f"open-{m}",
                openness_measure=m,
                robustness_openness=[measures[(i + 1) % len(measures)]],
                dependent=dependents[i % 2],
                dds_measure=dds[(i // 2) % len(dds)],
                infrastructure_measure=infra[i % 4],
                fixed_effects=fe[i % 3],
                scenario_country=scenario[i % len(scenario)],
                **({"window": 4} if m.startswith("fraser") else {}),  # Fraser's data end in 2017
                **FAST_BOOTSTRAP,
            )
        )
    out += [
        _c("rcep_pathways", "defaults-fast", **FAST_BOOTSTRAP),
        _c("rcep_pathways", "shortest-sample", start_year=2018, end_year=2023, window=5, **FAST_BOOTSTRAP),
        _c("rcep_pathways", "ends-2015", start_year=2005, end_year=2015, window=4, **FAST_BOOTSTRAP),
        _c(
            "rcep_pathways",
            "six-members-KOR",
            countries=["CHN", "JPN", "KOR", "AUS", "NZL", "SGP"],
            scenario_country="KOR",
            **FAST_BOOTSTRAP,
        ),
        _c(
            "rcep_pathways",
            "sparse-members-MMR",
            countries=["LAO", "MMR", "KHM", "BRN", "CHN", "JPN", "KOR"],
            scenario_country="MMR",
            horizon=2040,
            gdp_growth={"low": -5.0, "central": 0.0, "high": 12.0},
            **FAST_BOOTSTRAP,
        ),
    ]
    # appendices: seeds by short id, chapters, a combination with no claims, tables in three groups
    out += [
        _c("claims_audit", "seed-000", seeds=["000"]),
        _c("claims_audit", "seeds-001-002-trends", seeds=["S001", "S002"], chapters=["global_trends"]),
        _c("claims_audit", "seeds-003-004", seeds=["003", "004"]),
        _c("claims_audit", "scale-structure", chapters=["china_scale", "structure"]),
        _c("claims_audit", "seed-004-pathways", seeds=["004"], chapters=["ai_infrastructure", "rcep_pathways"]),
    ]
    from helpers.book import params

    tables = params.spec("data_methods")["tables"].allowed()
    out += [_c("data_methods", f"tables-{i + 1}", tables=tables[i::3]) for i in range(3)]
    out.append(_c("data_methods", "one-table", tables=["wdi"]))
    return out


# --------------------------------------------------------------------------- execution


@dataclass
class Result:
    combo: Combo
    notebook: Path | None
    error: str | None
    seconds: float


def _worker_init(kernels_dir: str) -> None:
    """Each worker forks its kernels from a zygote that imported pandas, altair and the helpers once, as
    the build does (helpers.build.warm_kernel); without one, ordinary kernels (same outputs, slower)."""
    try:
        from helpers.build import warm_kernel

        started = warm_kernel.start_zygote()
        if started is None:
            return
        proc, name = started
        os.environ[warm_kernel.SOCKET_ENV] = name
        os.environ["JUPYTER_PATH"] = os.pathsep.join(
            p for p in (warm_kernel.kernelspec(Path(kernels_dir) / "jupyter"), os.environ.get("JUPYTER_PATH")) if p
        )
        from multiprocessing.util import Finalize  # run at the worker's exit (atexit is not, in a pool worker)

        Finalize(None, proc.kill, exitpriority=100)
    except (ImportError, AttributeError, OSError):  # the build's internals changed: plain kernels still work
        return


def _execute(chapter: str, overrides: dict[str, Any], out_dir: str, name: str) -> tuple[str | None, str | None, float]:
    """Run one notebook with papermill (child process). Returns (notebook path, error, seconds)."""
    import papermill as pm

    folder = Path(out_dir) / name
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    os.environ["REPORT_ASSETS_DIR"] = str(folder / "assets")
    os.environ["REPORT_SVG_LATER"] = "1"  # figures leave their specs; no static SVG drawn (not checked here)
    os.environ.setdefault("REPORT_ROOT", str(REPO))
    out = folder / "notebook.ipynb"
    t0 = time.perf_counter()
    try:
        pm.execute_notebook(
            str(CHAPTERS_DIR / f"{chapter}.ipynb"),
            str(out),
            parameters=overrides,
            kernel_name="python3",
            cwd=str(CHAPTERS_DIR),
            log_output=False,
            progress_bar=False,
            execution_timeout=900,
        )
    except pm.PapermillExecutionError as exc:
        return None, f"cell {exc.cell_index} raised {exc.ename}: {exc.evalue}", time.perf_counter() - t0
    except Exception as exc:  # noqa: BLE001 - reported per combination, the others still run
        return None, f"{type(exc).__name__}: {exc}", time.perf_counter() - t0
    return str(out), None, time.perf_counter() - t0


def execute_all(items: list[Combo], out_dir: Path, workers: int = 2, reuse: bool = False) -> dict[str, Result]:
    """Execute every combination (validated first, in this process), ``workers`` at a time.
    With ``reuse``, a notebook already in ``out_dir`` is taken as is (a developer's shortcut)."""
    from helpers.book import params

    results: dict[str, Result] = {}
    todo = []
    for c in items:
        clean = params.validate(c.chapter, c.params)  # a combination the rules refuse is a bug of the matrix
        overrides = {k: clean[k] for k in c.params}
        existing = out_dir / c.id / "notebook.ipynb"
        if reuse and existing.exists():
            results[c.id] = Result(c, existing, None, 0.0)
        else:
            todo.append((c, overrides))
    todo.sort(key=lambda t: t[0].chapter != "rcep_pathways")  # the longest first
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context("spawn"), initializer=_worker_init, initargs=(str(out_dir),)
    ) as pool:
        futures = {pool.submit(_execute, c.chapter, ov, str(out_dir), c.id): c for c, ov in todo}
        for fut in as_completed(futures):
            c = futures[fut]
            path, error, seconds = fut.result()
            results[c.id] = Result(c, Path(path) if path else None, error, seconds)
    return results


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Unit:
    where: str  # "title", "markdown cell 5", "glue key_findings", "figure/table caption (cell 8)"
    text: str
    computed: bool  # written by the chapter's code (glue, captions), not typed in the notebook


def glued(nb: dict) -> dict[str, str]:
    """{key: text} of every glued value: text/markdown when there is one, else the text/plain literal."""
    out = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            if not name:
                continue
            data = {
                k.rsplit("/", 2)[-2] + "/" + k.rsplit("/", 1)[-1]: ("".join(v) if isinstance(v, list) else v)
                for k, v in o.get("data", {}).items()
            }
            if "text/markdown" in data:
                out[name] = data["text/markdown"]
            elif "text/plain" in data:
                try:
                    out[name] = str(ast.literal_eval(data["text/plain"]))
                except (ValueError, SyntaxError):
                    out[name] = data["text/plain"]
    return out


ROLE = re.compile(r"\{glue(?::(?:text|md|any))?\}`([^`]+)`")
DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{glue(?::\w+)?\}\s+(?P<key>\S+)\s*\n(?P<body>.*?)^(?P=fence)\s*$", re.M | re.S
)
XREF = "⟦another page⟧"


def _value(key: str, values: dict[str, str]) -> str:
    if "::" in key:
        return XREF  # {glue:text}`page.ipynb::key:s`: another page's value, not resolvable here
    if key in values:
        return values[key]
    base = key.rsplit(":", 1)[0]  # {glue:text}`key:.1f`
    return values.get(base, "{glue:" + key + "}")  # left visible: the garbled-fragment check reports it


def render_markdown(src: str, values: dict[str, str]) -> str:
    src = DIRECTIVE.sub(lambda m: _value(m.group("key"), values) + "\n", src)
    src = ROLE.sub(lambda m: _value(m.group(1), values), src)
    return plain(src)


def plain(md: str) -> str:
    """Markdown/MyST as the words a reader sees: no fences, targets, options, comments, emphasis or tags."""
    lines = []
    for line in md.splitlines():
        s = line.strip()
        if (
            re.match(r"^(`{3,}|:{3,}|~{3,})", s)
            or re.match(r"^:[\w-]+:", s)
            or re.match(r"^\([\w:-]+\)=$", s)
            or s.startswith("%")
        ):
            continue
        if re.match(r"^\s*([-*]|\d+\.)\s+|^#+\s", line):  # a bullet or a heading: a paragraph of its own
            lines.append("")
            line = re.sub(r"^#+\s*", "", re.sub(r"^\s*([-*]|\d+\.)\s+", "", line))
            lines += [line, ""] if not line.startswith(" ") and s.startswith("#") else [line]
            continue
        lines.append(line)
    text = "\n".join(lines)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: their words
    text = re.sub(r"<[^>\n]+>", "", text)
    text = text.replace("`", "")
    text = re.sub(r"(?<![\\\w])\*\*(?!\s)([^*\n]+?)(?<!\\)\*\*", r"\1", text)  # emphasis, not escaped stars
    text = re.sub(r"(?<![\\\w*])\*(?![\s*])([^*\n]+?)(?<!\\)\*(?!\w)", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~])", r"\1", text)  # md_escape undone
    return html.unescape(text)


class _Visible(HTMLParser):
    """Captions and prose of an HTML output: figcaption (without the source and links), table captions,
    notes and paragraphs; not table cells, scripts, or the folded re-run block."""

    SKIP_CLASSES = ("report-source", "report-links", "report-rerun")
    SKIP_TAGS = ("script", "style", "td", "th", "noscript", "code")  # code: commands, not sentences
    KEEP_TAGS = ("figcaption", "caption", "p", "li", "summary")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipping, keeping)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "input", "meta", "link", "hr", "wbr"):
            return
        classes = (dict(attrs).get("class") or "").split()
        skipping = (
            (self.stack[-1][1] if self.stack else False)
            or tag in self.SKIP_TAGS
            or any(c in self.SKIP_CLASSES for c in classes)
        )
        keeping = (self.stack[-1][2] if self.stack else False) or tag in self.KEEP_TAGS
        if tag in self.KEEP_TAGS and not (self.stack and self.stack[-1][2]):
            self.parts.append("\n")
        self.stack.append((tag, skipping, keeping))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][2] and not self.stack[-1][1]:
            self.parts.append(data)


def visible_html(fragment: str) -> str:
    p = _Visible()
    p.feed(fragment)
    return "\n\n".join(re.sub(r"\s+", " ", t).strip() for t in "".join(p.parts).split("\n") if t.strip())


def render(nb: dict) -> list[Unit]:
    values = glued(nb)
    units: list[Unit] = []
    first_md = True
    for i, cell in enumerate(nb["cells"]):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "markdown":
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            text = render_markdown(src, values)
            if first_md and src.lstrip().startswith("# "):
                title, _, rest = text.lstrip().partition("\n")
                units.append(Unit("title", title.strip(), "{glue" in src.split("\n", 1)[0]))
                text = rest
            first_md = False
            units.append(Unit(f"markdown cell {i}", text, False))
        elif "remove-cell" not in tags:
            for o in cell.get("outputs", []):
                if o.get("metadata", {}).get("scrapbook"):
                    continue
                data = o.get("data", {})
                if "text/html" in data:
                    frag = "".join(data["text/html"]) if isinstance(data["text/html"], list) else data["text/html"]
                    text = visible_html(frag)
                    if text:
                        units.append(Unit(f"HTML output of cell {i}", text, True))
    units += [Unit(f"glue {k}", plain(v), True) for k, v in values.items()]
    return units


def sentences(text: str) -> list[str]:
    out = []
    for para in re.split(r"\n\s*\n", text):
        para = re.sub(r"\s+", " ", para).strip()
        if para:
            out += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"(])", para) if s]
    return out


# --------------------------------------------------------------------------- invariants


@dataclass(frozen=True)
class Violation:
    invariant: str
    where: str
    sentence: str

    def __str__(self) -> str:
        return f"[{self.invariant}] {self.where}: “{self.sentence[:300]}”"


CHINA = re.compile(r"\bChin(?:a|ese)\b")
# A sentence about what the seeds say may name China whatever the parameters: the claims are about China.
# "Table 1" without a chapter number is the study's own table (the book's are "Table 1.1").
# China's official statistics (what the seeds cite) are about China whatever the focus.
SEED_CONTEXT = re.compile(
    r"\b(claims?|claimed|stud(?:y|ies)|seeds?|articles?|paper|authors?|stated?|states|"
    r"remarks?|quot(?:e|es|ed|ation)|S00\d-\d{3}|Table 1(?![.\d])|official\w*)\b",
    re.I,
)
# A sentence saying that a source covers China only may show China whatever the focus.
CHINA_ONLY = re.compile(r"\bChina only\b|\bonly (?:for )?China\b")
CHINA_ABOUT = re.compile(r"\bChina's|\bChinese\b")


@dataclass
class Context:
    chapter: str
    params: dict[str, Any]
    focus: str | None = None  # ISO3 of the economy the page is about
    focus_name: str | None = None
    shown: list[str] | None = None  # economies the page is restricted to (None: no restriction)
    names: dict[str, str] = field(default_factory=dict)


def context(chapter: str, params: dict[str, Any]) -> Context:
    from helpers import registry
    from helpers.data import datastore

    names = {c: datastore.display_name(c) for c in RCEP}
    ctx = Context(chapter, params, names=names)
    focus_param = registry.chapter(chapter).focus
    if focus_param:
        ctx.focus = params[focus_param]
    elif chapter == "rcep_pathways":
        ctx.focus = None
    if ctx.focus:
        ctx.focus_name = names[ctx.focus]
    if chapter in ("ai_infrastructure", "rcep_pathways") and params.get("countries"):
        ctx.shown = list(params["countries"])
    return ctx


def _check_focus(ctx: Context, units: list[Unit]) -> list[Violation]:
    """China named where China is not what the text describes.

    * A chapter whose title follows a focus economy (registry ``focus``), focus not China: the title names
      the focus and not China. A sentence that describes China as if it were the page's subject — it says
      "China's"/"Chinese", or (in the page's prose) starts with "China" — must also name the focus economy
      (a comparison), be about the seeds' claims or China's official figures (SEED_CONTEXT), or say that
      its source covers China only (in the sentence; for a figure or table, anywhere in it). China named as one peer among others ("the fastest-growing is China")
      is fine.
    * A chapter restricted to economies without China (``countries``): a sentence naming China must be
      about the seeds' claims.
    * rcep_pathways with another scenario member: the scenario's glued values (keys ``sc_*``) do not name China.
    """
    out = []
    if ctx.focus and ctx.focus != "CHN":
        for u in units:
            if u.where == "title" and (CHINA.search(u.text) or ctx.focus_name not in u.text):
                out.append(Violation("focus", u.where, u.text))
        for u in units:
            if u.where == "title" or (u.where.startswith("HTML") and CHINA_ONLY.search(u.text)):
                continue  # a figure or table whose note says its source covers China only
            for s in sentences(u.text):
                about = CHINA_ABOUT.search(s) or (not u.where.startswith("glue ") and s.startswith("China"))
                if about and ctx.focus_name not in s and not SEED_CONTEXT.search(s) and not CHINA_ONLY.search(s):
                    out.append(Violation("focus", u.where, s))
    if ctx.shown is not None and "CHN" not in ctx.shown:
        for u in units:
            for s in sentences(u.text):
                if CHINA.search(s) and not SEED_CONTEXT.search(s) and not CHINA_ONLY.search(s):
                    out.append(Violation("focus", u.where, s))
    sc = ctx.params.get("scenario_country")
    if sc and sc != "CHN":
        for u in units:
            if u.where.startswith("glue sc_") and CHINA.search(u.text):
                out.append(Violation("focus", u.where, u.text))
    return out


YEAR = re.compile(r"(?<![\d.,/−-])(19[5-9]\d|20[0-4]\d)(?![\d%]|\.\d|-\d\d\b)")
VINTAGE = re.compile(
    r"(dataset|release|edition|vintage|report|list|data to|published|snapshot|version|headline|"
    r"covers?|series break|has no|exists?|ends? in|in the data|"
    r"January|February|March|April|May|June|July|August|September|October|November|December)",
    re.I,
)


def window(ctx: Context) -> tuple[int, int] | None:
    p = ctx.params
    if "start_year" not in p:
        return None
    lo, hi = p["start_year"], p["end_year"]
    lo = min(lo, p.get("history_start", lo))
    hi = max(hi, p.get("horizon", hi))
    return lo, hi


def _check_years(ctx: Context, units: list[Unit]) -> list[Violation]:
    """A year stated in computed text (glue, captions) lies in the window the parameters set:
    [min(start_year, history_start), max(end_year, horizon)]. Not checked: paragraphs about the seeds'
    claims (their years are the seeds'), and a year next to words about a source's vintage or coverage
    ("the 2026 dataset", "data to 2022", "covers 2010–2023", "a series break in 2014")."""
    win = window(ctx)
    if win is None:
        return []
    lo, hi = win
    prose = [s for u in units if u.where.startswith("markdown") for s in sentences(u.text)]
    out = []
    for u in units:
        if not u.computed:
            continue
        short = u.where.startswith("glue ") and len(u.text.split()) < 4
        for s in (s for para in re.split(r"\n\s*\n", u.text) if not SEED_CONTEXT.search(para) for s in sentences(para)):
            for m in YEAR.finditer(s):
                y = int(m.group(1))
                if lo <= y <= hi:
                    continue
                # a bare glued value ("2005–2024") is judged in the sentences the prose uses it in
                where = [p for p in prose if s in p] if short else []
                contexts = where or [s]
                if not any(
                    VINTAGE.search(c[max(0, c.find(m.group(1)) - 25) : c.find(m.group(1)) + 44])
                    or SEED_CONTEXT.search(c)
                    for c in contexts
                ):
                    out.append(Violation(f"year {y} outside {lo}–{hi}", u.where, s))
    return out


SUPERLATIVE = re.compile(r"\b(highest|lowest|largest|smallest|fastest|slowest|biggest|top)\b", re.I)
QUOTED = re.compile(r"“([^”]+)”")


CLAUSE = re.compile(r"[,;:(]|\band\b|\bwhile\b|\bwhereas\b|\bbut\b")


def _extreme_entities(s: str, names: list[str]) -> list[str]:
    """The entity named in each clause that holds one superlative: an economy or a “quoted” category."""
    out = []
    for clause in CLAUSE.split(s):
        if len(SUPERLATIVE.findall(clause)) != 1:
            continue
        q = QUOTED.search(clause)
        hits = [(clause.find(n), n) for n in names if re.search(rf"\b{re.escape(n)}\b", clause)]
        if q:
            hits.append((q.start(), q.group(1)))
        if hits:
            out.append(min(hits)[1])
    return out


def _check_extremes(ctx: Context, units: list[Unit]) -> list[Violation]:
    """A sentence naming the top and the bottom of a ranking names two different entities (economies, or
    quoted categories); with one entity it says so instead ("only X has data"): no "highest member had
    1.0× the lowest member's level", no "balanced panel of 1 member" with highest/lowest."""
    names = sorted(set(ctx.names.values()) | {"United States", "India", "World"}, key=len, reverse=True)
    out = []
    for u in units:
        for s in sentences(u.text):
            if len(SUPERLATIVE.findall(s)) < 2:
                continue
            found = _extreme_entities(s, names)
            if len(found) != len(set(found)):
                out.append(Violation("extremes name one entity twice", u.where, s))
            if re.search(r"\b1\.0×|×1\.0\b|\bpanel of 1 member", s):
                out.append(Violation("extremes of a single entity", u.where, s))
    return out


GARBLED = [
    (re.compile(r"\b0 of (?:the )?[01]\b"), "0 of 1"),
    (re.compile(r"\(\s*0(?:\.0+)?\s*%"), "( 0 %"),
    (re.compile(r"\b(band|range|between|from)\s+([−+-]?[\d.,]+\s*%?)\s*(?:–|-|to|and)\s*\2(?![\d.,])"), "band x–x"),
    (re.compile(r"(?<![\d.])(\d{4})\s*[–-]\s*\1(?!\d)"), "a span from a year to itself"),
    (re.compile(r"(?<![\w/])n/a(?![\w/])", re.I), "n/a"),
    (re.compile(r"\b(nan|NaN|NaT|inf)\b|<NA>|(?<!^)(?<![.:;!?] )\bNone\b(?! of\b)"), "nan/None/inf"),
    (re.compile(r"\{glue"), "unrendered glue"),
    (re.compile(r"US\$\s?[−-]?0\.0\s?(bn|billion)\b"), "US$ 0.0 bn"),
    (re.compile(r"[−-]0\.0+(?!\d)\s?%"), "−0.0 %"),
    (re.compile(r"\b1 (members|countries|economies|years|windows|clusters|categories)\b"), "1 <plural>"),
    (re.compile(r":\s*[.;]"), "empty list after a colon"),
    (re.compile(r"\(\s*\)|\[\s*\]"), "empty brackets"),
    (re.compile(r",\s*,|(?<!\.)\.\s?\.(?![./\w])"), "doubled punctuation"),
    (re.compile(r"\b(the|a|of|in|and) \1\b", re.I), "doubled word"),
]


def _check_garbled(ctx: Context, units: list[Unit]) -> list[Violation]:
    """Fragments that only a formatting slip produces, anywhere on the page (sentences quoting a seed
    excepted for punctuation, since the seeds' own text is tokenised, e.g. "China 's")."""
    out = []
    for u in units:
        for s in sentences(u.text):
            for pat, what in GARBLED:
                if what in ("doubled punctuation", "doubled word", "empty brackets") and SEED_CONTEXT.search(s):
                    continue
                if pat.search(s):
                    out.append(Violation(f"garbled: {what}", u.where, s))
    return out


INVARIANTS = (_check_focus, _check_years, _check_extremes, _check_garbled)


def check(chapter: str, params: dict[str, Any], nb: dict) -> list[Violation]:
    ctx = context(chapter, params)
    units = render(nb)
    seen, out = set(), []
    for inv in INVARIANTS:
        for v in inv(ctx, units):
            key = (v.invariant, v.sentence)
            if key not in seen:  # a glued sentence also appears in the markdown it is glued into
                seen.add(key)
                out.append(v)
    return out
