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
from typing import TYPE_CHECKING, Any

import numpy as np

from statecraft.arrays import issue_arrays
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
    "PALETTE",
    "backtest_chart",
    "confrontations",
    "counterfactuals",
    "distributions",
    "issue_map",
    "quadrant",
    "tornado",
    "trajectories",
    "winners_chart",
]

#: Okabe & Ito (2008): black, orange, sky blue, bluish green, yellow, blue, vermillion,
#: reddish purple.
PALETTE = (
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
)
_STYLES = ("-", "--", ":", "-.")
#: The marks every chart shares.
STATUS_QUO: dict[str, Any] = {"color": "#555555", "linestyle": "--", "linewidth": 1.2}
ACTUAL: dict[str, Any] = {"color": "#D55E00", "linestyle": "-", "linewidth": 2.0}


def _figure(width: float = 8.0, height: float = 4.5) -> Figure:
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - matplotlib is in the dev install
        raise ImportError("charts need matplotlib: pip install 'statecraft[report]'") from exc
    return Figure(figsize=(width, height), layout="constrained")


#: The series colours: the palette less black (the forecast) and vermillion (the outcome).
_SERIES = tuple(c for c in PALETTE if c not in ("#000000", "#D55E00"))


def style(k: int) -> dict[str, Any]:
    """The colour and line style of the k-th series: six colours, then the next style."""
    return {"color": _SERIES[k % len(_SERIES)], "linestyle": _STYLES[(k // len(_SERIES)) % 4]}


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


def _issue(forecast: Forecast, issue: str | None) -> Issue:
    issues = forecast.scenario.issues
    if issue is None:
        return issues[0]
    for item in issues:
        if item.id == issue:
            return item
    raise ValueError(f"unknown issue {issue!r}; the issues are: {', '.join(i.id for i in issues)}")


def _title_of(forecast: Forecast, method: str) -> str | None:
    """The title of the first model run whose details have ``method`` (a capability)."""
    name = forecast.model_with(method)
    return next((m.title for m in forecast.models if m.name == name), None)


def _reference_lines(ax: Axes, issue: Issue, *, vertical: bool) -> None:
    line = ax.axvline if vertical else ax.axhline
    if issue.status_quo is not None:
        line(issue.status_quo.value, label="status quo", **STATUS_QUO)
    if issue.actual is not None:
        line(issue.actual.value, label="actual outcome", **ACTUAL)


def trajectories(forecast: Forecast, issue: str | None = None) -> Figure:
    """Each actor's position round by round under the first model run that bargains in
    rounds (its details have trajectory records; the expected utility model's forecast is
    the weighted median of each round) in bold, the status quo and the actual outcome as
    horizontal lines."""
    item = _issue(forecast, issue)
    rounds = forecast.rounds()
    rounds = rounds[rounds["issue"] == item.id]
    fig = _figure()
    ax = fig.add_subplot()
    for k, (actor, rows) in enumerate(rounds.groupby("actor", sort=False)):
        name = plain(forecast.scenario.actor(str(actor)).name or str(actor))
        ax.plot(rows["round"], rows["position"], linewidth=1.2, label=name, **style(k))
    median = rounds.groupby("round")["median"].first()
    ax.plot(
        median.index.to_numpy(), median.to_numpy(), color="#000000", linewidth=3.5, label="forecast"
    )
    _reference_lines(ax, item, vertical=False)
    ax.set_xlabel(("round\n" + scale_ends(item, 100)).strip(), fontsize="small")
    ax.set_ylabel(scale_label(item, ends=False, width=40))
    ax.set_ylim(item.scale.low, item.scale.high)
    title = _title_of(forecast, "trajectory_records")
    ax.set_title(_wrap(f"{title}, round by round: {plain(item.label)}", 70))
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize="small")
    return fig


def issue_map(forecast: Forecast) -> Figure:
    """Every issue's scale with the actors on it (marker area by capability, shade by
    salience) and each model's forecast, the status quo and the actual outcome as lines."""
    scenario = forecast.scenario
    n = len(scenario.issues)
    fig = _figure(8.0, 1.0 + 1.6 * n)
    axes = fig.subplots(n, 1, squeeze=False)[:, 0]
    actors = scenario.actors
    top = max(a.capability.value for a in actors)
    for ax, item, result in zip(axes, scenario.issues, forecast.issues, strict=True):
        arrays = issue_arrays(scenario, item.id)
        size = 40 + 400 * arrays.capability / top
        ax.scatter(
            arrays.position,
            np.arange(len(arrays.position)) % 3,
            s=size,
            c=arrays.salience,
            cmap="Blues",
            vmin=0,
            vmax=1,
            edgecolors="#000000",
            linewidths=0.6,
            zorder=3,
        )
        for x, y, actor in zip(
            arrays.position, np.arange(len(arrays.position)) % 3, arrays.actor_ids, strict=True
        ):
            ax.annotate(
                plain(actor),
                (x, y),
                xytext=(0, 9),
                textcoords="offset points",
                ha="center",
                fontsize=7,
            )
        for k, model in enumerate(forecast.model_names):
            value = result.forecasts.get(model)
            if value is not None:
                ax.axvline(value, linewidth=1.6, label=model, **style(k))
        _reference_lines(ax, item, vertical=True)
        ax.set_xlim(item.scale.low, item.scale.high)
        ax.set_ylim(-0.8, 2.8)
        ax.set_yticks([])
        ax.set_xlabel(scale_label(item), fontsize="small")
    handles, labels = axes[0].get_legend_handles_labels()
    for ax in axes[1:]:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="outside right upper", fontsize="small")
    fig.suptitle(_wrap(f"{plain(scenario.title or scenario.name)}: positions and forecasts", 80))
    return fig


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
    fig = _figure(8.0, 1.0 + 0.4 * len(order))
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
        _wrap("gain: -1 = the outcome moved fully away from the actor, 1 = fully toward it", 60)
    )
    ax.set_title("Winners and losers")
    ax.legend(loc="lower right", fontsize="small")
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
    for _, row in rows.iterrows():
        ax.annotate(
            plain(str(row["other"])),
            (row["eu_own"], row["eu_other"]),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=8,
        )
    span = float(np.nanmax(np.abs(rows[["eu_own", "eu_other"]].to_numpy()))) or 1.0
    span *= 1.15
    ax.set_xlim(-span, span)
    ax.set_ylim(-span, span)
    ax.axhline(0, color="#000000", linewidth=0.8)
    ax.axvline(0, color="#000000", linewidth=0.8)
    for text, (sx, sy) in (
        ("both gain by challenging:\nconfrontation", (1, 1)),
        ("I gain, it loses:\nit compromises", (1, -1)),
        ("it gains, I lose:\nI give way", (-1, 1)),
        ("neither gains:\nstatus quo", (-1, -1)),
    ):
        ax.text(
            sx * span * 0.95,
            sy * span * 0.95,
            text,
            ha="right" if sx > 0 else "left",
            va="top" if sy > 0 else "bottom",
            fontsize=8,
            color="#555555",
        )
    name = plain(forecast.scenario.actor(actor).name or actor)
    ax.set_xlabel(f"{name}'s expected utility of challenging the other")
    ax.set_ylabel(f"the other's expected utility of challenging {name}")
    ax.set_title(f"{name}'s view: {plain(item.label)}")
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
    fig.colorbar(image, ax=ax, label="issues headed for confrontation")
    title = _title_of(forecast, "confrontations")
    ax.set_title("Dyads headed for confrontation" + (f" ({title})" if title else ""))
    return fig


def distributions(simulation: Simulation, model: str | None = None) -> Figure:
    """Each issue's Monte Carlo distribution of the forecast, its median and 80% and 95%
    intervals; the status quo and the actual outcome where known."""
    scenario = simulation.scenario
    chosen = model or simulation.models[0]
    n = len(scenario.issues)
    fig = _figure(8.0, 1.0 + 1.8 * n)
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
    axes[0].legend(loc="upper left", fontsize="small")
    fig.suptitle(f"{plain(chosen)} forecast over {simulation.draws:,} draws")
    return fig


def tornado(sensitivity: Sensitivity, issue: str, top: int = 12) -> Figure:
    """The inputs that move one issue's forecast most, one at a time from their low to their
    high value (a tornado chart)."""
    swings = sensitivity.tornado(issue)[:top][::-1]
    if not swings:
        raise ValueError(f"no sensitivities for the issue {issue!r}")
    base = sensitivity.base[issue]
    fig = _figure(8.0, 1.0 + 0.35 * len(swings))
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
    ax.legend(loc="lower right", fontsize="small")
    return fig


def counterfactuals(comparison: Comparison, model: str | None = None) -> Figure:
    """Each issue's forecast in the base scenario and under each counterfactual patch, as
    dots on the issue's scale (normalised to 0-1 so that issues share an axis)."""
    base = comparison.base
    chosen = model or base.primary
    issues = base.scenario.issues
    fig = _figure(8.0, 1.0 + 0.5 * len(issues))
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
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
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
    left.legend(fontsize="small")
    right.boxplot(errors, orientation="horizontal", tick_labels=[plain(c) for c in chosen])
    right.set_xlabel("absolute error (points on the 0-100 scale)")
    right.set_title("Errors per model")
    return fig
