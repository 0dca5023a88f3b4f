"""Laying out marks and labels so that none hides another: coincident marks stacked, labels
on a scale spread into tiers with leader lines, labels of a scatter moved off each other.

The first two are pure functions of lengths in points (no matplotlib), the third places
annotations on a drawn axes. Shared by the charts of :mod:`statecraft.report.charts` and for
new charts to reuse (docs/charts.md, "Helpers for new charts").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from statecraft.report._style import CONTEXT

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation


def stack_levels(
    centres: Sequence[float], halfwidths: Sequence[float], gap: float = 1.0
) -> list[int]:
    """The level of each mark on a line so that no two on one level overlap: from left to
    right, each mark takes the lowest level whose last mark ends at least ``gap`` before it
    begins (greedy interval colouring, which uses as few levels as the most marks that
    overlap at one point need). Centres, half-widths and gap in one unit (points)."""
    if len(centres) != len(halfwidths):
        raise ValueError("stack_levels needs one half-width per centre")
    ends: list[float] = []  # the right end of the last mark on each level
    levels = [0] * len(centres)
    for k in sorted(range(len(centres)), key=lambda i: (centres[i], i)):
        start = centres[k] - halfwidths[k]
        level = next((lv for lv, end in enumerate(ends) if end + gap <= start), len(ends))
        if level == len(ends):
            ends.append(0.0)
        ends[level] = centres[k] + halfwidths[k]
        levels[k] = level
    return levels


def label_tiers(
    anchors: Sequence[float],
    widths: Sequence[float],
    left: float,
    right: float,
    *,
    gap: float = 4.0,
    max_shift: float = 24.0,
) -> list[tuple[float, int]]:
    """Where to print labels along a line (a scale), each near its anchor: the centre and
    the tier (row) of each, such that labels of one tier never overlap (``gap`` apart) and
    all lie in [left, right]. From left to right, a label goes to the first tier where it
    fits within ``max_shift`` of its anchor, or to a new tier at its anchor. Every length
    in points; a label wider than the line is centred on it."""
    if len(anchors) != len(widths):
        raise ValueError("label_tiers needs one width per anchor")
    if right <= left:
        raise ValueError("label_tiers needs right > left")
    ends: list[float] = []  # the right end of the last label of each tier
    out = [(0.0, 0)] * len(anchors)
    for k in sorted(range(len(anchors)), key=lambda i: (anchors[i], i)):
        half = widths[k] / 2.0
        lowest = left + half
        highest = max(lowest, right - half)
        placed = None
        for tier, end in enumerate(ends):
            centre = min(max(anchors[k], end + gap + half, lowest), highest)
            if centre - half >= end + gap and abs(centre - anchors[k]) <= max_shift:
                placed = (centre, tier)
                break
        if placed is None:
            placed = (min(max(anchors[k], lowest), highest), len(ends))
            ends.append(0.0)
        ends[placed[1]] = placed[0] + half
        out[k] = placed
    return out


def renderer_of(fig: Figure) -> Any:
    """The renderer that measures the figure's artists (Agg's, attached where the figure,
    made without pyplot, has none)."""
    get = getattr(fig.canvas, "get_renderer", None)
    if get is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        get = FigureCanvasAgg(fig).get_renderer
    return get()


def freeze_layout(fig: Figure) -> None:
    """Run the figure's layout engine once and keep its result, so that labels placed from
    measured positions stay where they were measured (call before :func:`place_labels`)."""
    fig.draw_without_rendering()
    fig.set_layout_engine("none")


Box = tuple[float, float, float, float]


def _box(extents: Any) -> Box:
    x0, y0, x1, y1 = (float(v) for v in extents)
    return (x0, y0, x1, y1)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


#: The eight directions tried around a point, east first, then north-east and so on.
_DIRECTIONS = [(math.cos(k * math.pi / 4), math.sin(k * math.pi / 4)) for k in range(8)]


def place_labels(
    ax: Axes,
    xs: Sequence[float],
    ys: Sequence[float],
    texts: Sequence[str],
    *,
    radius: float = 5.0,
    fontsize: float = 8.0,
    rings: int = 4,
    avoid: Sequence[Artist] = (),
) -> list[Annotation]:
    """Label the points (xs, ys) of a drawn axes so that no label overlaps another label,
    a point (a marker of ``radius`` points), the artists to ``avoid`` or the axes' edge:
    each label tries the eight directions around its point, at ``rings`` growing distances,
    and takes the first place free; one placed away from its point gets a grey leader
    line. Where no place is free, the place that overlaps least. Call
    :func:`freeze_layout` first."""
    fig = ax.get_figure(root=True)
    if fig is None:  # pragma: no cover - an axes always has a figure here
        raise ValueError("place_labels needs an axes on a figure")
    renderer = renderer_of(fig)
    px = fig.dpi / 72.0
    frame = ax.bbox.extents
    centres: Any = ax.transData.transform(list(zip(xs, ys, strict=True))) if len(xs) else []
    taken: list[Box] = [
        (cx - radius * px, cy - radius * px, cx + radius * px, cy + radius * px)
        for cx, cy in centres
    ]
    taken += [_box(a.get_window_extent(renderer).extents) for a in avoid]
    out = []
    for (x, y), text in zip(zip(xs, ys, strict=True), texts, strict=True):
        note = ax.annotate(
            text, (x, y), xytext=(0, 0), textcoords="offset points", fontsize=fontsize
        )
        best: tuple[float, tuple[float, float], str, str] | None = None
        for ring in range(rings):
            distance = radius + 2.0 + 10.0 * ring
            for dx, dy in _DIRECTIONS:
                ha: Any = "left" if dx > 0.3 else "right" if dx < -0.3 else "center"
                va: Any = "bottom" if dy > 0.3 else "top" if dy < -0.3 else "center"
                offset = (dx * distance, dy * distance)
                note.xyann = offset
                note.set_horizontalalignment(ha)
                note.set_verticalalignment(va)
                box = note.get_window_extent(renderer).extents
                inside = (
                    box[0] >= frame[0]
                    and box[2] <= frame[2]
                    and box[1] >= frame[1]
                    and box[3] <= frame[3]
                )
                clashes = sum(_overlaps(_box(box), t) for t in taken) + (not inside) * 100
                if best is None or clashes < best[0]:
                    best = (clashes, offset, ha, va)
                if clashes == 0:
                    break
            if best is not None and best[0] == 0:
                break
        assert best is not None
        _, offset, ha, va = best
        note.remove()
        away = math.hypot(*offset) > radius + 2.5
        note = ax.annotate(
            text,
            (x, y),
            xytext=offset,
            textcoords="offset points",
            fontsize=fontsize,
            ha=ha,
            va=va,
            arrowprops={"arrowstyle": "-", "color": CONTEXT, "linewidth": 0.6} if away else None,
        )
        taken.append(_box(note.get_window_extent(renderer).extents))
        out.append(note)
    return out
