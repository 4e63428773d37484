"""Direct labels on charts that do not collide, at any width.

Vega-Lite places text where the data are; two series ending close together then print their names on top of
each other. These functions move or drop labels in data space before the chart is drawn:

* :func:`dodge` spreads line-end labels vertically so that neighbours are at least ``gap`` apart;
* :func:`sparse` chooses which points of a scatter to label (the most important first) so that no two
  labels come closer than a box of the given size; the others stay identified by legend and tooltip.

Sizes are fractions of the axis span, which holds at every width (charts are drawn 1:1 in their container).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd


def dodge(values: Sequence[float], gap: float, lo: float | None = None, hi: float | None = None) -> list[float]:
    """Positions for labels at ``values`` (same order), at least ``gap`` apart, each as close to its value as
    the others allow, kept within ``[lo, hi]`` when given (and when they fit)."""
    vals = [float(v) for v in values]
    if not vals:
        return []
    order = sorted(range(len(vals)), key=lambda i: vals[i])
    pos = [vals[i] for i in order]
    for k in range(1, len(pos)):  # push up
        pos[k] = max(pos[k], pos[k - 1] + gap)
    if hi is not None and pos[-1] > hi:  # then down from the top, if the stack overflows
        pos[-1] = max(hi, pos[0] + gap * (len(pos) - 1)) if lo is None else hi
        for k in range(len(pos) - 2, -1, -1):
            pos[k] = min(pos[k], pos[k + 1] - gap)
    if lo is not None and pos[0] < lo:
        shift = lo - pos[0]
        pos = [p + shift for p in pos]
    out = [0.0] * len(vals)
    for k, i in enumerate(order):
        out[i] = pos[k]
    return out


def _norm(s: pd.Series, log: bool) -> pd.Series:
    v = s.astype(float)
    if log:
        v = v.where(v > 0).map(math.log10)
    span = v.max() - v.min()
    return (v - v.min()) / span if span and math.isfinite(span) else v * 0


def sparse(
    df: pd.DataFrame,
    x: str,
    y: str,
    priority: str,
    *,
    log_x: bool = False,
    log_y: bool = False,
    box: tuple[float, float] = (0.25, 0.06),
) -> pd.Series:
    """Boolean Series (df's index): label this point? Greedy by ``priority`` (higher first): a point is labelled
    when no labelled point lies within ``box`` (width, height as fractions of the axis spans) to its right
    or left, labels being drawn to the right of their point."""
    nx, ny = _norm(df[x], log_x), _norm(df[y], log_y)
    chosen: list[tuple[float, float]] = []
    keep = pd.Series(False, index=df.index)
    for i in df.sort_values(priority, ascending=False).index:
        if pd.isna(nx[i]) or pd.isna(ny[i]):
            continue
        if all(abs(nx[i] - cx) >= box[0] or abs(ny[i] - cy) >= box[1] for cx, cy in chosen):
            chosen.append((nx[i], ny[i]))
            keep[i] = True
    return keep
