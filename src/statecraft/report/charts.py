"""Charts of forecasts, bargaining rounds, winners, dyads, Monte Carlo runs and backtests.

Every function returns a :class:`matplotlib.figure.Figure` made without pyplot (no global
state, safe in threads and servers); save it with ``fig.savefig(path)``. Colours come from
the Okabe-Ito palette, chosen to stay distinguishable under the common forms of colour
blindness (Okabe & Ito 2008, "Color Universal Design"); beyond eight series the line style
changes too. Axes carry the issue's scale, its unit and what its ends mean.

Every piece of a scenario's own text (names, labels, titles, what a scale's ends mean) goes
through :func:`statecraft.textsafe.plain` before it reaches matplotlib, so that a ``$`` in
it is drawn as a ``$``, never read as mathtext.

Needs matplotlib: ``pip install 'statecraft[report]'``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from statecraft.report._layout import freeze_layout, label_tiers, place_labels, stack_levels
from statecraft.report._scales import (
    SINGLE_PANEL_MOST,
    _issue,
    _title_of,
    issue_map,
    padded_limits,
    scale_ends,
    scale_label,
    trajectories,
)
from statecraft.report._style import (
    ACTUAL,
    CONTEXT,
    MARKERS,
    MIN_CONTRAST,
    OKABE_ITO,
    PALETTE,
    SERIES,
    STATUS_QUO,
    contrast_ratio,
    figure,
    legend_below,
    relative_luminance,
    style,
)
from statecraft.scenario import Issue
from statecraft.textsafe import plain

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from statecraft.analysis.backtest import Backtest
    from statecraft.analysis.counterfactual import Comparison
    from statecraft.analysis.sensitivity import Sensitivity
    from statecraft.analysis.uncertainty import Simulation
    from statecraft.runner import Forecast

__all__ = [
    "ACTUAL",
    "CONTEXT",
    "MARKERS",
    "MIN_CONTRAST",
    "OKABE_ITO",
    "PALETTE",
    "SERIES",
    "SINGLE_PANEL_MOST",
    "STATUS_QUO",
    "backtest_chart",
    "confrontations",
    "contrast_ratio",
    "counterfactuals",
    "distributions",
    "figure",
    "freeze_layout",
    "issue_map",
    "label_tiers",
    "legend_below",
    "padded_limits",
    "place_labels",
    "quadrant",
    "relative_luminance",
    "scale_ends",
    "scale_label",
    "stack_levels",
    "style",
    "tornado",
    "trajectories",
    "winners_chart",
]

_figure = figure


def _reference_lines(ax: Axes, issue: Issue, *, vertical: bool) -> None:
    line = ax.axvline if vertical else ax.axhline
    if issue.status_quo is not None:
        line(issue.status_quo.value, label="status quo", **STATUS_QUO)
    if issue.actual is not None:
        line(issue.actual.value, label="actual outcome", **ACTUAL)


def winners_chart(forecast: Forecast) -> Figure:
    """Each actor's gain (how far the outcome moved toward what it wanted, salience-weighted,
    -1 to 1) under the primary forecast and, where known, under the actual outcome."""
    predicted = {g.actor: g.gain for g in forecast.winners.ranking}
    actual = (
        {g.actor: g.gain for g in forecast.actual_winners.ranking}
        if forecast.actual_winners
        else {}
    )
    order = sorted(predicted, key=lambda a: predicted[a])
    names = [plain(forecast.scenario.actor(a).name or a) for a in order]
    y = np.arange(len(order))
    fig = _figure(8.0, 1.8 + 0.4 * len(order))  # room for the legend below
    ax = fig.add_subplot()
    height = 0.4 if actual else 0.7
    ax.barh(
        y + (height / 2 if actual else 0),
        [predicted[a] for a in order],
        height,
        color=PALETTE[5],
        label=f"forecast ({forecast.primary})",
    )
    if actual:
        ax.barh(
            y - height / 2,
            [actual.get(a, np.nan) for a in order],
            height,
            color=PALETTE[1],
            label="actual outcome",
        )
    ax.axvline(0, color="#000000", linewidth=0.8)
    ax.set_yticks(y, names)
    ax.set_xlim(-1, 1)
    ax.set_xlabel(
        textwrap.fill(
            "gain: -1 = the outcome moved fully away from the actor, 1 = fully toward it", 60
        )
    )
    ax.set_title("Winners and losers")
    legend_below(fig)
    return fig


def quadrant(forecast: Forecast, actor: str, issue: str | None = None) -> Figure:
    """One actor's view once bargaining stops (Bueno de Mesquita 1985, *The War Trap*
    revisited; Scholz et al. 2011): for every other actor, its own expected utility of
    challenging that actor (x) against that actor's expected utility of challenging it (y)."""
    item = _issue(forecast, issue)
    dyads = forecast.dyads()
    rows = dyads[(dyads["issue"] == item.id) & (dyads["actor"] == actor)]
    if rows.empty:
        known = ", ".join(sorted(set(dyads["actor"])))
        raise ValueError(f"no view of {actor!r} on {item.id!r}; the actors are: {known}")
    fig = _figure(6.5, 6.0)
    ax = fig.add_subplot()
    ax.scatter(rows["eu_own"], rows["eu_other"], s=60, color=PALETTE[5], zorder=3)
    span = float(np.nanmax(np.abs(rows[["eu_own", "eu_other"]].to_numpy()))) or 1.0
    span *= 1.15
    ax.set_xlim(-span, span)
    ax.set_ylim(-span, span)
    ax.axhline(0, color="#000000", linewidth=0.8)
    ax.axvline(0, color="#000000", linewidth=0.8)
    corners = []
    for text, (sx, sy) in (
        ("both gain by challenging:\nconfrontation", (1, 1)),
        ("I gain, it loses:\nit compromises", (1, -1)),
        ("it gains, I lose:\nI give way", (-1, 1)),
        ("neither gains:\nstatus quo", (-1, -1)),
    ):
        corner = ax.text(
            sx * span * 0.95,
            sy * span * 0.95,
            text,
            ha="right" if sx > 0 else "left",
            va="top" if sy > 0 else "bottom",
            fontsize=8,
            color="#555555",
        )
        corners.append(corner)
    name = plain(forecast.scenario.actor(actor).name or actor)
    ax.set_xlabel(f"{name}'s expected utility of challenging the other")
    ax.set_ylabel(f"the other's expected utility of challenging {name}")
    ax.set_title(f"{name}'s view: {plain(item.label)}")
    freeze_layout(fig)
    place_labels(
        ax,
        list(rows["eu_own"]),
        list(rows["eu_other"]),
        [plain(str(o)) for o in rows["other"]],
        radius=4.5,
        avoid=corners,
    )
    return fig


def confrontations(forecast: Forecast) -> Figure:
    """A heat map: on how many issues each pair of actors is headed for confrontation once
    bargaining stops (under the first model run that classifies dyads, such as the expected
    utility model)."""
    actors = [a.id for a in forecast.scenario.actors]
    index = {a: k for k, a in enumerate(actors)}
    counts = np.zeros((len(actors), len(actors)))
    for pairs in forecast.confrontations().values():
        for a, b in pairs:
            counts[index[a], index[b]] += 1
            counts[index[b], index[a]] += 1
    fig = _figure(7.0, 6.0)
    ax = fig.add_subplot()
    image = ax.imshow(counts, cmap="Oranges", vmin=0, vmax=max(1, len(forecast.issues)))
    names = [plain(forecast.scenario.actor(a).name or a) for a in actors]
    ax.set_xticks(range(len(actors)), names, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(actors)), names, fontsize=8)
    for i in range(len(actors)):
        for j in range(len(actors)):
            if counts[i, j]:
                ax.text(j, i, f"{counts[i, j]:.0f}", ha="center", va="center", fontsize=8)
    fig.colorbar(image, ax=ax, label="issues headed for confrontation", shrink=0.8)
    title = _title_of(forecast, "confrontations")
    # A figure title, over the axes and the colour bar alike, so that neither covers it.
    fig.suptitle(
        textwrap.fill("Dyads headed for confrontation" + (f" ({title})" if title else ""), 70)
    )
    return fig


def distributions(simulation: Simulation, model: str | None = None) -> Figure:
    """Each issue's Monte Carlo distribution of the forecast, its median and 80% and 95%
    intervals; the status quo and the actual outcome where known."""
    scenario = simulation.scenario
    chosen = model or simulation.models[0]
    n = len(scenario.issues)
    fig = _figure(8.0, 1.5 + 1.8 * n)
    axes = fig.subplots(n, 1, squeeze=False)[:, 0]
    for ax, item in zip(axes, scenario.issues, strict=True):
        s = simulation.summary(item.id, chosen)
        counts = np.asarray(s.histogram, dtype=float)
        group = max(1, len(counts) // 100)  # about 100 bars across the scale
        counts = counts[: len(counts) // group * group].reshape(-1, group).sum(axis=1)
        edges = np.linspace(s.low, s.high, len(counts) + 1)
        ax.stairs(counts / max(1, s.draws), edges, fill=True, color=PALETTE[2])
        ax.axvspan(*s.interval95, color=PALETTE[5], alpha=0.12, label="95% interval")
        ax.axvspan(*s.interval80, color=PALETTE[5], alpha=0.22, label="80% interval")
        ax.axvline(s.median, color="#000000", linewidth=2, label="median forecast")
        _reference_lines(ax, item, vertical=True)
        ax.set_xlim(item.scale.low, item.scale.high)
        ax.set_ylabel("share of draws", fontsize="small")
        ax.set_xlabel(scale_label(item), fontsize="small")
    legend_below(fig)
    fig.suptitle(f"{plain(chosen)} forecast over {simulation.draws:,} draws")
    return fig


def tornado(sensitivity: Sensitivity, issue: str, top: int = 12) -> Figure:
    """The inputs that move one issue's forecast most, one at a time from their low to their
    high value (a tornado chart)."""
    swings = sensitivity.tornado(issue)[:top][::-1]
    if not swings:
        raise ValueError(f"no sensitivities for the issue {issue!r}")
    base = sensitivity.base[issue]
    fig = _figure(8.0, 1.8 + 0.35 * len(swings))
    ax = fig.add_subplot()
    y = np.arange(len(swings))
    lows = np.array([s.at_low for s in swings]) - base
    highs = np.array([s.at_high for s in swings]) - base
    ax.barh(y, lows, left=base, color=PALETTE[5], label="input at its low value")
    ax.barh(y, highs, left=base, color=PALETTE[1], label="input at its high value")
    ax.axvline(base, color="#000000", linewidth=1)
    ax.set_yticks(y, [plain(s.input) for s in swings], fontsize=8)
    ax.set_xlabel(f"forecast of {plain(issue)} (base {base:.3g})")
    ax.set_title(f"What moves the forecast of {plain(issue)} most")
    legend_below(fig)
    return fig


def counterfactuals(comparison: Comparison, model: str | None = None) -> Figure:
    """Each issue's forecast in the base scenario and under each counterfactual patch, as
    dots on the issue's scale (normalised to 0-1 so that issues share an axis)."""
    base = comparison.base
    chosen = model or base.primary
    issues = base.scenario.issues
    fig = _figure(8.0, 1.8 + 0.5 * len(issues))
    ax = fig.add_subplot()
    y = np.arange(len(issues))
    runs = [("base", base), *((p.name, f) for p, f in comparison.patched)]
    for k, (label, result) in enumerate(runs):
        values = []
        for item in issues:
            value = result.value(item.id, chosen)
            values.append(np.nan if value is None else (value - item.scale.low) / item.scale.width)
        ax.scatter(
            values,
            y + 0.1 * (k - len(runs) / 2),
            s=50,
            color=style(k)["color"],
            marker="os^Dv<>p"[k % 8],
            label=plain(label),
            zorder=3,
        )
    ax.set_yticks(y, [plain(i.label) for i in issues], fontsize=8)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("forecast, as a share of each issue's scale (0 = low end, 1 = high end)")
    ax.set_title(f"Counterfactuals ({plain(chosen)} model)")
    legend_below(fig)
    return fig


def backtest_chart(result: Backtest, models: Sequence[str] | None = None) -> Figure:
    """Predicted against actual outcomes for the three best models in the leaderboard's order
    (:meth:`~statecraft.analysis.backtest.Backtest.leaderboard`: by the paired difference
    from the compromise model, the models scored on fewer issues last) (left) and the
    distribution of absolute errors per model, six at most (right)."""
    chosen = list(models) if models else [s.model for s in result.leaderboard()][:6]
    fig = _figure(11.0, 5.0)
    left, right = fig.subplots(1, 2)
    errors = []
    for k, name in enumerate(chosen):
        forecast = np.asarray(result.forecasts[name])
        ok = ~np.isnan(forecast)
        errors.append(np.abs(forecast[ok] - result.actual[ok]))
        if k >= 3:
            continue
        left.scatter(
            result.actual[ok],
            forecast[ok],
            s=12,
            alpha=0.6,
            color=style(k)["color"],
            label=plain(name),
        )
    left.plot([0, 100], [0, 100], color="#555555", linewidth=1, linestyle="--", label="perfect")
    left.set_xlabel("actual outcome (0-100 DEU scale)")
    left.set_ylabel("forecast (0-100 DEU scale)")
    left.set_title("Forecast against outcome")
    legend_below(fig)
    right.boxplot(errors, orientation="horizontal", tick_labels=[plain(c) for c in chosen])
    right.set_xlabel("absolute error (points on the 0-100 scale)")
    right.set_title("Errors per model")
    return fig
