"""The charts of positions on issue scales: the issue map and the trajectories.

Part of :mod:`statecraft.report.charts` (which exports them), split off for length.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from statecraft.arrays import issue_arrays
from statecraft.report._layout import label_tiers, stack_levels
from statecraft.report._style import (
    ACTUAL,
    CONTEXT,
    MARKERS,
    STATUS_QUO,
    figure,
    legend_below,
    style,
)
from statecraft.scenario import Issue
from statecraft.textsafe import plain

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from statecraft.runner import Forecast


def _wrap(text: str, width: int = 90) -> str:
    return textwrap.fill(text, width)


def scale_ends(issue: Issue, width: int = 90) -> str:
    """What the ends of an issue's scale mean, wrapped ("" when the scenario does not say)."""
    scale = issue.scale
    meanings = []
    if scale.low_meaning:
        meanings.append(f"{scale.low:g} = {plain(scale.low_meaning)}")
    if scale.high_meaning:
        meanings.append(f"{scale.high:g} = {plain(scale.high_meaning)}")
    return _wrap("; ".join(meanings), width)


def scale_label(issue: Issue, *, ends: bool = True, width: int = 90) -> str:
    """An axis label for an issue's scale: its name, its unit and, with ``ends``, what its
    ends mean, wrapped to ``width`` characters."""
    unit = f" ({plain(issue.scale.unit)})" if issue.scale.unit else ""
    text = _wrap(plain(issue.label) + unit, width)
    meaning = scale_ends(issue, width) if ends else ""
    return text + ("\n" + meaning if meaning else "")


def padded_limits(low: float, high: float, length: float, margin: float) -> tuple[float, float]:
    """Axis limits that leave ``margin`` points beyond each end of the scale [low, high] on
    an axis ``length`` points long, so that a mark of up to that half-width at either end is
    drawn whole and a line there does not sit on the axes' edge."""
    if length <= 2 * margin:
        raise ValueError("the axis is too short for its margins")
    pad = margin * (high - low) / (length - 2 * margin)
    return low - pad, high + pad


def _title_of(forecast: Forecast, method: str) -> str | None:
    """The title of the first model run whose details have ``method`` (a capability)."""
    name = forecast.model_with(method)
    return next((m.title for m in forecast.models if m.name == name), None)


def _issue(forecast: Forecast, issue: str | None) -> Issue:
    issues = forecast.scenario.issues
    if issue is None:
        return issues[0]
    for item in issues:
        if item.id == issue:
            return item
    raise ValueError(f"unknown issue {issue!r}; the issues are: {', '.join(i.id for i in issues)}")


# The issue map's geometry, in points.
_WIDTH = 576.0  # 8 inches
_SIDE = 18.0  # the margin left and right of the axes
_LABEL = 7.0  # the actors' labels' font size
_TIER = 11.0  # the height of a tier of labels
_BAND = 11.0  # the height of a level of forecast marks
_MARK = 7.0  # a forecast mark's size
_LINE = 10.5  # the height of a line of the x label ("small")


def _marker_radius(area: np.ndarray) -> np.ndarray:
    """A scatter marker's radius in points from its area (points squared), with its edge."""
    return np.asarray(np.sqrt(area) / 2.0 + 0.5, dtype=float)


def issue_map(forecast: Forecast) -> Figure:
    """Every issue's scale with the actors on it (marker area by capability, shade by
    salience, each labelled, with a leader line, in tiers so that no labels overlap) and,
    in a band beneath, each model's forecast, the status quo and the actual outcome as marks
    (coincident ones stacked, so that none hides another). The axis runs a little beyond
    each end of the scale so that marks there are whole; the legend is under the panels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.font_manager import FontProperties

    scenario = forecast.scenario
    fig = figure(_WIDTH / 72.0, 4.0, layout=None)
    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    px = fig.dpi / 72.0
    font = FontProperties(size=_LABEL)
    top = max(a.capability.value for a in scenario.actors)
    span = _WIDTH - 2 * _SIDE
    series: list[tuple[str, dict[str, Any]]] = [
        (m, {"color": style(k)["color"], "marker": MARKERS[k % len(MARKERS)], "ms": _MARK})
        for k, m in enumerate(forecast.model_names)
    ]
    series += [
        ("status quo", {"color": STATUS_QUO["color"], "marker": "|", "ms": 10, "mew": 2.2}),
        ("actual outcome", {"color": ACTUAL["color"], "marker": "*", "ms": 10}),
    ]
    actors_mark = {
        "color": "#6BAED6",
        "marker": "o",
        "ms": 9,
        "markeredgecolor": "#000000",
        "mew": 0.6,
    }
    panels = []
    for item, result in zip(scenario.issues, forecast.issues, strict=True):
        arrays = issue_arrays(scenario, item.id)
        area = 30 + 220 * arrays.capability / top
        radius = _marker_radius(area)
        r_max = float(radius.max()) if len(radius) else 5.0
        xlim = padded_limits(item.scale.low, item.scale.high, span, r_max + 4)
        ppu = span / (xlim[1] - xlim[0])  # points per unit of the scale
        at = (arrays.position - xlim[0]) * ppu
        levels = stack_levels(list(at), list(radius), gap=1.0)
        names = [plain(a) for a in arrays.actor_ids]
        widths = [
            renderer.get_text_width_height_descent(n, font, ismath=False)[0] / px for n in names
        ]
        tiers = label_tiers(list(at), widths, 2.0, span - 2.0)
        marks = [(label, result.forecasts.get(label), kw) for label, kw in series[:-2]]
        marks.append(
            ("status quo", item.status_quo.value if item.status_quo else None, series[-2][1])
        )
        marks.append(("actual outcome", item.actual.value if item.actual else None, series[-1][1]))
        shown = [(label, v, kw) for label, v, kw in marks if v is not None]
        mark_at = [(v - xlim[0]) * ppu for _, v, _ in shown]
        bands = stack_levels(mark_at, [_MARK / 2 + 1] * len(shown), gap=1.0)
        n_bands = max(bands, default=-1) + 1
        n_levels = max(levels, default=-1) + 1
        n_tiers = max((t for _, t in tiers), default=-1) + 1
        step = 2 * r_max + 3
        base = 6.0 + n_bands * _BAND + 6.0  # the actors' band starts here
        height = base + n_levels * step + 6.0 + n_tiers * _TIER + 4.0
        below = 22.0 + _LINE * (scale_label(item).count("\n") + 1) + 10.0
        panels.append(
            _Panel(
                item=item,
                arrays=arrays,
                area=area,
                radius=radius,
                xlim=xlim,
                ppu=ppu,
                levels=levels,
                names=names,
                tiers=tiers,
                shown=shown,
                bands=bands,
                step=step,
                base=base,
                height=height,
                below=below,
            )
        )
    title = fig.suptitle(
        _wrap(f"{plain(scenario.title or scenario.name)}: positions and forecasts", 80),
        va="top",
    )
    title_h = title.get_window_extent(renderer).height / px + 12.0
    proxies = [_proxy(fig, label, kw) for label, kw in series]
    proxies.append(_proxy(fig, "actors (area: capability; shade: salience)", actors_mark))
    legend = fig.legend(
        proxies,
        [p.get_label() for p in proxies],
        loc="lower center",
        ncols=min(len(proxies), 4),
        fontsize="small",
        frameon=False,
    )
    legend_h = legend.get_window_extent(renderer).height / px + 8.0
    total = title_h + sum(p.height + p.below for p in panels) + legend_h
    fig.set_size_inches(_WIDTH / 72.0, total / 72.0)
    title.set_y(1.0 - 6.0 / total)
    legend.set_bbox_to_anchor((0.5, 4.0 / total), transform=fig.transFigure)
    y = total - title_h
    for panel in panels:
        item, height, below = panel.item, panel.height, panel.below
        y -= height
        ax = fig.add_axes((_SIDE / _WIDTH, y / total, span / _WIDTH, height / total))
        y -= below
        ax.set_xlim(*xlim)
        ax.set_ylim(0, height)  # a unit of y is a point
        ax.set_yticks([])
        ax.set_xlabel(scale_label(item), fontsize="small")
        _issue_panel(ax, panel)
    return fig


def _proxy(fig: Figure, label: str, kw: dict[str, Any]) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([], [], linestyle="none", label=label, **{"markeredgecolor": kw["color"], **kw})


@dataclass(frozen=True)
class _Panel:
    """One issue's panel of the issue map, laid out before the figure is sized: its actors'
    marks (area, radius, stacking levels, label tiers), the forecasts' marks (``shown``, their
    ``bands``), the x range, points per unit (``ppu``) and the panel's height and the room
    below it, in points."""

    item: Issue
    arrays: Any
    area: np.ndarray
    radius: np.ndarray
    xlim: tuple[float, float]
    ppu: float
    levels: list[int]
    names: list[str]
    tiers: list[tuple[float, int]]
    shown: list[tuple[str, float, dict[str, Any]]]
    bands: list[int]
    step: float
    base: float
    height: float
    below: float


def _issue_panel(ax: Axes, panel: _Panel) -> None:
    """Draw one issue of the issue map on its axes (whose y unit is a point)."""
    arrays, area, radius = panel.arrays, panel.area, panel.radius
    ppu, levels, names, tiers = panel.ppu, panel.levels, panel.names, panel.tiers
    shown, bands, step, base = panel.shown, panel.bands, panel.step, panel.base
    low = ax.get_xlim()[0]
    for label, value, _ in shown:
        if label in ("status quo", "actual outcome"):
            ref = STATUS_QUO if label == "status quo" else ACTUAL
            ax.axvline(
                value,
                color=ref["color"],
                linestyle=ref["linestyle"],
                linewidth=0.8,
                zorder=1,
                label=f"_{label} line",
            )
    for (label, value, kw), band in zip(shown, bands, strict=True):
        ax.plot(
            [value],
            [6.0 + (band + 0.5) * _BAND],
            linestyle="none",
            label=label,
            markeredgecolor=kw["color"],
            zorder=4,
            **kw,
        )
    n_levels = max(levels, default=-1) + 1
    ys = base + (np.asarray(levels) + 0.5) * step
    ax.scatter(
        arrays.position,
        ys,
        s=area,
        c=arrays.salience,
        cmap="Blues",
        vmin=0,
        vmax=1,
        edgecolors="#000000",
        linewidths=0.6,
        zorder=3,
        label="actors",
    )
    label_base = base + n_levels * step + 6.0
    for x, y, r, name, (centre, tier) in zip(
        arrays.position, ys, radius, names, tiers, strict=True
    ):
        ax.annotate(
            name,
            (x, y + r),
            xytext=(low + centre / ppu, label_base + tier * _TIER),
            textcoords="data",
            ha="center",
            va="bottom",
            fontsize=_LABEL,
            arrowprops={
                "arrowstyle": "-",
                "color": CONTEXT,
                "linewidth": 0.5,
                "shrinkA": 1,
                "shrinkB": 0,
                "relpos": (0.5, 0.0),
            },
            zorder=2,
        )


#: Above this many actors, the trajectories are small multiples, one panel per actor.
SINGLE_PANEL_MOST = 4


def trajectories(forecast: Forecast, issue: str | None = None) -> Figure:
    """Each actor's position round by round under the first model run that bargains in
    rounds (its details have trajectory records; the expected utility model's forecast is
    the weighted median of each round, drawn in bold black), with the status quo and the
    actual outcome as horizontal lines. Up to :data:`SINGLE_PANEL_MOST` actors share one
    panel; beyond, each actor has a panel of its own (small multiples, Tufte 1983, *The
    Visual Display of Quantitative Information*), in colour over the others in grey. The
    axis runs a little beyond each end of the scale, so that a line there is seen."""
    item = _issue(forecast, issue)
    rounds = forecast.rounds()
    rounds = rounds[rounds["issue"] == item.id]
    if rounds.empty:
        raise ValueError(f"no rounds of bargaining on the issue {item.id!r}")
    actors = [
        (plain(forecast.scenario.actor(str(a)).name or str(a)), rows)
        for a, rows in rounds.groupby("actor", sort=False)
    ]
    median = rounds.groupby("round")["median"].first()
    pad = 0.04 * item.scale.width
    ylim = (item.scale.low - pad, item.scale.high + pad)
    single = len(actors) <= SINGLE_PANEL_MOST
    ncols = 1 if single else 3
    nrows = math.ceil(len(actors) / ncols) if not single else 1
    fig = figure(8.0, 4.5 if single else 1.6 + 1.7 * nrows)
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False).ravel()
    for k, ax in enumerate(axes):
        if not single and k >= len(actors):
            ax.set_visible(False)
            continue
        chosen = actors if single else [actors[k]]
        if not single:
            for other, (_, rows) in enumerate(actors):
                if other != k:
                    ax.plot(
                        rows["round"],
                        rows["position"],
                        color=CONTEXT,
                        linewidth=0.7,
                        label="the other actors" if other == (1 if k == 0 else 0) else "_",
                    )
        ax.plot(
            median.index.to_numpy(),
            median.to_numpy(),
            color="#000000",
            linewidth=3.0,
            label="forecast",
            zorder=2,
        )
        for j, (name, rows) in enumerate(chosen):
            look = style(j) if single else {"color": style(0)["color"]}
            ax.plot(rows["round"], rows["position"], linewidth=1.8, label=name, zorder=3, **look)
        if item.status_quo is not None:
            ax.axhline(item.status_quo.value, label="status quo", zorder=1, **STATUS_QUO)
        if item.actual is not None:
            ax.axhline(item.actual.value, label="actual outcome", zorder=1, **ACTUAL)
        ax.set_ylim(*ylim)
        if not single:
            ax.set_title(_wrap(chosen[0][0], 30), fontsize="small")
    title = _title_of(forecast, "trajectory_records")
    fig.suptitle(_wrap(f"{title}, round by round: {plain(item.label)}", 80))
    for ax in axes[-ncols:] if not single else axes:
        ax.set_xlabel("round", fontsize="small")
    # The scale (and what its ends mean) along the y axes; the legend goes under the x labels.
    fig.supylabel(scale_label(item, width=70 if not single else 50), fontsize="small")
    if single:
        legend_below(fig)
    else:
        from matplotlib.lines import Line2D

        handles = [
            Line2D([], [], color=style(0)["color"], linewidth=1.8, label="the actor of the panel"),
            Line2D([], [], color=CONTEXT, linewidth=0.7, label="the other actors"),
            Line2D([], [], color="#000000", linewidth=3.0, label="forecast"),
        ]
        if item.status_quo is not None:
            handles.append(Line2D([], [], label="status quo", **STATUS_QUO))
        if item.actual is not None:
            handles.append(Line2D([], [], label="actual outcome", **ACTUAL))
        legend_below(fig, handles, [str(h.get_label()) for h in handles])
    return fig
