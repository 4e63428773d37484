"""The static SVG of every figure (print, readers without JavaScript, the "Static image" link).

A chapter leaves each figure's Vega-Lite spec as ``assets/<name>.svg.vl.json`` in its cache entry (see
``helpers.book.charts.figure_html``). The build draws them in its main process while Sphinx (a
subprocess) builds the HTML, so on two cores they use the core Sphinx leaves idle, and caches each
drawing under ``.cache/svg/`` by the hash of its spec and the renderer's version: a chapter re-run with
the same figure does not draw it again. Drawings are verified (checksum) before use.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

from helpers.build import cache
from helpers.build.cache import Job
from helpers.data import paths

SPEC_SUFFIX = ".svg.vl.json"

_SVG_ID = re.compile(r'(?<=id=")(gradient_|clip)(\d+)(?=")|(?<=url\(#)(gradient_|clip)(\d+)(?=\))')
_SVG_ID_START = {"gradient_": 0, "clip": 1}  # what a fresh vega renderer numbers first


def renumber_svg_ids(svg: str) -> str:
    """Number gradient and clip-path ids from the start in every file. Vega counts them per JavaScript
    engine, so the ids of a figure would depend on what the same engine drew before; ids only need to
    be unique within one SVG file."""
    mapping: dict[str, str] = {}
    counts: dict[str, int] = {}

    def sub(m: re.Match) -> str:
        prefix = m.group(1) or m.group(3)
        old = prefix + (m.group(2) or m.group(4))
        if old not in mapping:
            n = counts.get(prefix, _SVG_ID_START[prefix])
            counts[prefix] = n + 1
            mapping[old] = f"{prefix}{n}"
        return mapping[old]

    return _SVG_ID.sub(sub, svg)


def specs(entry: Path) -> list[Path]:
    assets = entry / "assets"
    return sorted(assets.glob(f"*{SPEC_SUFFIX}")) if assets.is_dir() else []


def _renderer() -> str:
    import vl_convert as vlc

    return f"vl-convert {vlc.__version__}"


def cached_path(spec_text: str, renderer: str) -> Path:
    return paths.cache_dir() / "svg" / f"{cache.sha256(renderer + chr(10) + spec_text)}.svg"


def draw(spec_text: str) -> str:
    from helpers.book.charts import static_svg

    return renumber_svg_ids(static_svg(json.loads(spec_text)))


class BuildSvgError(Exception):
    def __init__(self, chapter: str, figure: str, detail: str):
        self.chapter, self.figure = chapter, figure
        super().__init__(f"chapter '{chapter}': the static image of figure '{figure}' could not be drawn: {detail}")


def render(jobs: list[Job], html: Path) -> dict[str, dict]:
    """Write every figure's SVG into ``html/_static/figures/<chapter>/`` (from the verified SVG cache, or
    drawn now and cached). Returns {chapter: {"figures": n, "drawn": k, "svg_s": seconds}}."""
    renderer = None
    out: dict[str, dict] = {}
    for j in jobs:
        t0 = time.perf_counter()
        drawn = 0
        files = specs(j.entry)
        for spec_file in files:
            name = spec_file.name.removesuffix(SPEC_SUFFIX)
            text = spec_file.read_text(encoding="utf-8")
            renderer = renderer or _renderer()
            stored = cached_path(text, renderer)
            svg = cache.read_verified(stored)
            if svg is None:
                try:
                    svg = draw(text).encode("utf-8")
                except Exception as exc:  # noqa: BLE001 - vl-convert raises ValueError and others
                    raise BuildSvgError(j.chapter, name, str(exc).strip().splitlines()[0][:200]) from None
                cache.write_verified(stored, svg)
                drawn += 1
            target = html / "_static" / "figures" / j.chapter / f"{name}.svg"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(svg)
        if files:
            out[j.chapter] = {"figures": len(files), "drawn": drawn, "svg_s": round(time.perf_counter() - t0, 3)}
    return out


def prune(keep: list[Path]) -> None:
    """Remove cached drawings no cache entry in ``keep`` (every entry still on disk) refers to."""
    folder = paths.cache_dir() / "svg"
    if not folder.is_dir():
        return
    renderer = _renderer()
    wanted = {cached_path(f.read_text(encoding="utf-8"), renderer).name for e in keep for f in specs(e)}
    for f in folder.iterdir():
        if f.name.removesuffix(".sha256") not in wanted:
            if f.is_dir():
                shutil.rmtree(f, ignore_errors=True)
            else:
                f.unlink(missing_ok=True)
