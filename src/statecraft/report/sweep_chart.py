"""The charts of a sweep (:func:`statecraft.analysis.advise.sweep`, docs/advise.md): one input
across its values, with every issue's forecast and the biggest winner and the points where
the winner changes marked; two inputs as a heat map of the winner or of one issue's
forecast. Made without pyplot, with the shared look of :mod:`statecraft.report._style`
(a palette that passes 3:1 on white, legends and colour bars outside the plots).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from statecraft.report._style import CONTEXT, PALETTE, SERIES, figure, legend_below, style
from statecraft.textsafe import plain

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from statecraft.analysis.advise import Sweep

__all__ = [
    "CHANGE",
    "SweepView",
    "compute_sweep",
    "draw_sweep",
    "draw_sweep_map",
    "sweep_chart",
    "sweep_map",
]

#: The mark of a point where the biggest winner changes: a vermillion dashed line.
CHANGE: dict[str, Any] = {"color": PALETTE[6], "linestyle": "--", "linewidth": 1.4}
_CODED: dict[str, Any] = {"color": CONTEXT, "linestyle": ":", "linewidth": 1.4}


#: The verdict of a point where the model gave no forecast at all (no actor id has a NUL).
NO_FORECAST = "\0no forecast"


def _verdicts(result: Sweep) -> list[str | None]:
    """Each point's biggest winner; None where the top gain is shared or nobody gains, and
    :data:`NO_FORECAST` where the model gave no forecast of any issue."""
    blank = result.without_forecast()
    return [NO_FORECAST if blank[k] else w for k, w in enumerate(result.winners)]


def _name(names: Mapping[str, str], actor: str | None) -> str:
    if actor is None:
        return "no single winner"
    if actor == NO_FORECAST:
        return "no forecast"
    return plain(names.get(actor, actor))


def sweep_chart(
    result: Sweep,
    *,
    names: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    coded: float | None = None,
) -> Figure:
    """A one-input sweep: the biggest winner at each value (top panel, one row per actor
    that wins somewhere) and each issue's forecast (a panel each, on its own scale),
    sharing the input's axis; a dashed line between two values where the winner changes,
    and a dotted one at the input's coded value (``coded``). ``names`` and ``labels`` give
    the actors' names and the issues' labels (default: their ids)."""
    if len(result.inputs) != 1:
        raise ValueError("the sweep chart shows a sweep of one input; a grid is a sweep map")
    names, labels = names or {}, labels or {}
    x = np.asarray(result.axes[0])
    f = np.asarray(result.forecasts, dtype=float)
    winners = _verdicts(result)
    rows = list(dict.fromkeys(winners))
    n = len(result.issues)
    fig = figure(8.0, 2.2 + 1.3 * n + 0.25 * len(rows))
    axes = fig.subplots(
        n + 1, 1, sharex=True, height_ratios=[max(1.0, 0.4 * len(rows)), *[1.0] * n]
    )
    top = axes[0]
    y = [rows.index(w) for w in winners]
    top.plot(x, y, drawstyle="steps-mid", color=PALETTE[0], marker="o", markersize=4)
    top.set_yticks(range(len(rows)), [_name(names, w) for w in rows], fontsize="small")
    top.set_ylim(-0.6, len(rows) - 0.4)
    top.set_ylabel("biggest\nwinner", fontsize="small")
    changes = result.changes()
    for k, issue in enumerate(result.issues):
        ax = axes[k + 1]
        ax.plot(x, f[:, k], marker="o", markersize=3, **style(k))
        ax.set_title(plain(labels.get(issue, issue)), loc="left", fontsize="small")
    for ax in axes:
        for c in changes:
            ax.axvline((x[c - 1] + x[c]) / 2, **CHANGE)
        if coded is not None and min(x) <= coded <= max(x):
            ax.axvline(coded, **_CODED)
    axes[-1].set_xlabel(plain(result.inputs[0]))
    from matplotlib.lines import Line2D

    handles: list[Any] = [Line2D([], [], **CHANGE)] if changes else []
    texts = ["the biggest winner changes"] if changes else []
    if coded is not None and min(x) <= coded <= max(x):
        handles.append(Line2D([], [], **_CODED))
        texts.append("coded value")
    legend_below(fig, handles, texts)
    fig.suptitle(
        plain(f"{result.scenario}: what {result.inputs[0]} does ({result.model} model)"),
        fontsize="medium",
    )
    return fig


def sweep_map(
    result: Sweep,
    issue: str | None = None,
    *,
    names: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    coded: tuple[float, float] | None = None,
) -> Figure:
    """A two-input sweep as a heat map, the first input up, the second across: the biggest
    winner of each cell (one colour per actor, named in the legend below), or with
    ``issue`` that issue's forecast (a colour bar beside it); the coded values of both
    inputs (``coded``) as a black cross."""
    if len(result.inputs) != 2:
        raise ValueError("a sweep map needs a sweep of two inputs (give --input twice)")
    names, labels = names or {}, labels or {}
    ys, xs = (np.asarray(a) for a in result.axes)
    shape = (len(ys), len(xs))
    fig = figure(7.5, 6.0)
    ax = fig.subplots()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = []
    texts: list[str] = []
    edges: dict[str, Any] = {
        "extent": (*_edges(xs), *_edges(ys)),
        "origin": "lower",
        "aspect": "auto",
    }
    if issue is None:
        from matplotlib.colors import ListedColormap

        cells = _verdicts(result)
        rows = list(dict.fromkeys(cells))
        colours = [
            "#FFFFFF" if w == NO_FORECAST else SERIES[k % len(SERIES)] if w else CONTEXT
            for k, w in enumerate(rows)
        ]
        grid = np.array([rows.index(w) for w in cells]).reshape(shape)
        ax.imshow(grid, cmap=ListedColormap(colours), vmin=-0.5, vmax=len(rows) - 0.5, **edges)
        handles += [Patch(color=c) for c in colours]
        texts += [_name(names, w) for w in rows]
        what = "the biggest winner"
    else:
        if issue not in result.issues:
            raise ValueError(f"unknown issue {issue!r}; the issues are: {', '.join(result.issues)}")
        j = result.issues.index(issue)
        grid = np.asarray(result.forecasts, dtype=float)[:, j].reshape(shape)
        image = ax.imshow(grid, cmap="viridis", **edges)
        label = plain(labels.get(issue, issue))
        fig.colorbar(image, ax=ax, label=f"forecast: {label}")
        what = f"the forecast of {label}"
    if coded is not None:
        mark: dict[str, Any] = {
            "marker": "X",
            "color": PALETTE[0],
            "markersize": 9,
            "linestyle": "none",
        }
        ax.plot([coded[1]], [coded[0]], markeredgecolor="#FFFFFF", **mark)
        handles.append(Line2D([], [], **mark))
        texts.append("coded values")
    legend_below(fig, handles, texts)
    ax.set_xlabel(plain(result.inputs[1]))
    ax.set_ylabel(plain(result.inputs[0]))
    ax.set_title(plain(f"{result.scenario}: {what} ({result.model} model)"), fontsize="medium")
    return fig


def _edges(values: np.ndarray) -> tuple[float, float]:
    """The outer edges of cells centred on evenly spaced values."""
    half = (values[-1] - values[0]) / (len(values) - 1) / 2
    return float(values[0] - half), float(values[-1] + half)


# --- for the chart registry (statecraft.report.registry) ---------------------------------


def compute_sweep(source: Any, inputs: Any) -> SweepView:
    """The sweep of ``inputs.sweep`` (one or two inputs) under the chosen model, with the
    names, labels and coded values the chart shows."""
    from statecraft.analysis.advise import sweep
    from statecraft.scenario import Scenario

    if not isinstance(source, Scenario):
        raise ValueError("the sweep charts are drawn from a scenario")
    s = source
    axes = list(inputs.sweep)
    if not 1 <= len(axes) <= 2:
        raise ValueError("a sweep is of one input, or of two for a grid")
    result = sweep(
        s,
        *axes[0],
        second=axes[1] if len(axes) == 2 else None,
        model=inputs.the_model,
        options=inputs.options,
        seed=inputs.seed,
    )
    coded = tuple(_coded(s, a[0]) for a in axes)
    return SweepView(
        result,
        {a.id: a.display_name for a in s.actors},
        {i.id: i.label or i.id for i in s.issues},
        coded,
    )


class SweepView(NamedTuple):
    """A sweep and what its chart names: the actors' names, the issues' labels and the
    inputs' coded values."""

    sweep: Sweep
    names: dict[str, str]
    labels: dict[str, str]
    coded: tuple[float, ...]


def draw_sweep(v: SweepView, inputs: Any) -> Figure:
    """The one-input chart of a computed sweep."""
    return sweep_chart(v.sweep, names=v.names, labels=v.labels, coded=v.coded[0])


def draw_sweep_map(v: SweepView, inputs: Any) -> Figure:
    """The heat map of a computed two-input sweep (of ``inputs.issue`` when given)."""
    coded = (v.coded[0], v.coded[1]) if len(v.coded) == 2 else None
    return sweep_map(v.sweep, inputs.issue, names=v.names, labels=v.labels, coded=coded)


def _coded(scenario: Any, key: str) -> float:
    """The coded value of a sweep's input (``actor:issue:field`` or ``actor:capability``,
    checked by the sweep)."""
    parts = key.split(":")
    actor = scenario.actor(parts[0])
    if len(parts) == 2:
        return float(actor.capability.value)
    if parts[2] == "capability":
        return float(actor.capability_on(parts[1]))
    return float(getattr(actor.stances[parts[1]], parts[2]).value)
