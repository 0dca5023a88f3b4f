"""The chart of a timeline: the risk of renewed conflict and each issue's forecast over the
snapshots, with the later events marked.

From the top: the followed dyad's risk index (docs/risk.md) with its 80% interval at every
snapshot, and the same without the power shift (a run with actors held, ``without``) as a
second line; the riskiest dyads' risk index; then one panel per issue with the ensemble's
forecast, its 80% interval, the status quo and the events' coded outcomes. Every event is a
thin vertical line on every panel. Drawn without pyplot, with the shared palette and the
legend below the panels (:mod:`._style`).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from statecraft.report._style import (
    ACTUAL,
    CONTEXT,
    MARKERS,
    PALETTE,
    SERIES,
    STATUS_QUO,
    figure,
    legend_below,
    style,
)
from statecraft.textsafe import plain

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from statecraft.analysis.timeline import TimelineRun

__all__ = ["followed_dyad", "riskiest_dyads", "timeline_chart"]

#: The colour of the counterfactual (the run without the power shift): the palette's
#: orange, away from the black of what was measured.
WITHOUT = SERIES[1]


def _dyads(run: TimelineRun) -> list[Sequence[Mapping[str, Any]]]:
    return [s.risk["dyads"] if s.risk is not None else () for s in run.snapshots]


def _find(dyads: Sequence[Mapping[str, Any]], pair: tuple[str, str]) -> Mapping[str, Any] | None:
    return next((d for d in dyads if {d["a"], d["b"]} == set(pair)), None)


def followed_dyad(run: TimelineRun, dyad: Sequence[str] | None = None) -> tuple[str, str]:
    """The dyad a timeline's chart and report follow: ``dyad`` if given, else the
    timeline's ``dyad``, else the riskiest at the last snapshot. A ValueError names a dyad
    that is not among the snapshots' actors, or a run without the risk."""
    if any(s.risk is None for s in run.snapshots):
        raise ValueError("the timeline was run without the risk (risk=None): no dyad to follow")
    chosen = dyad if dyad is not None else run.timeline.dyad
    if chosen is None:
        last = _dyads(run)[-1]
        if not last:
            raise ValueError("the last snapshot has no dyad (fewer than two actors)")
        return (str(last[0]["a"]), str(last[0]["b"]))
    if len(chosen) != 2 or chosen[0] == chosen[1]:
        raise ValueError(f"a dyad is two different actors, not {list(chosen)!r}")
    pair = (str(chosen[0]), str(chosen[1]))
    if all(_find(d, pair) is None for d in _dyads(run)):
        known = ", ".join(run.snapshots[-1].scenario.actor_ids)
        raise ValueError(f"no snapshot has the dyad {pair[0]}-{pair[1]}; the actors are: {known}")
    return pair


def riskiest_dyads(run: TimelineRun, top: int = 3, most: int = 5) -> list[tuple[str, str]]:
    """The dyads among the ``top`` riskiest at any snapshot (by median), at most ``most``
    of them, riskiest (at its own worst snapshot) first."""
    worst: dict[tuple[str, str], float] = {}
    for dyads in _dyads(run):
        for d in dyads[:top]:
            key = (str(d["a"]), str(d["b"]))
            worst[key] = max(worst.get(key, 0.0), float(d["risk"]))
    return sorted(worst, key=lambda k: -worst[k])[:most]


def _names(run: TimelineRun) -> dict[str, str]:
    out: dict[str, str] = {}
    for s in run.snapshots:
        out |= {a.id: a.display_name for a in s.scenario.actors}
    return out


def _series(
    run: TimelineRun, pair: tuple[str, str]
) -> tuple[list[dt.date], list[float], list[float], list[float]]:
    dates, mid, low, high = [], [], [], []
    for s, dyads in zip(run.snapshots, _dyads(run), strict=True):
        d = _find(dyads, pair)
        if d is None:  # the dyad is not there at this snapshot (an actor arrived or left)
            continue
        dates.append(s.snapshot.when)
        mid.append(float(d["risk"]))
        low.append(float(d["interval80"][0]))
        high.append(float(d["interval80"][1]))
    return dates, mid, low, high


def _events(ax: Any, run: TimelineRun, label: bool) -> None:
    for k, event in enumerate(run.timeline.events):
        ax.axvline(
            event.date,
            color=CONTEXT,
            linewidth=0.6,
            label="a later event (dated)" if label and k == 0 else "_event",
        )


def _risk_panels(
    axes: Sequence[Any],
    run: TimelineRun,
    without: TimelineRun | None,
    pair: tuple[str, str],
) -> None:
    names = _names(run)
    followed, ranked = axes
    dates, mid, low, high = _series(run, pair)
    pair_name = f"{names.get(pair[0], pair[0])} – {names.get(pair[1], pair[1])}"
    followed.fill_between(dates, low, high, color=PALETTE[2], alpha=0.25, label="80% interval")
    followed.plot(dates, mid, marker="o", color=PALETTE[0], label="risk index (median)")
    tops = [max(high, default=0.0)]
    if without is not None:
        held = ", ".join(names.get(a, a) for a in without.held)
        w_dates, w_mid, w_low, w_high = _series(without, pair)
        w_err = [
            [m - lo for m, lo in zip(w_mid, w_low, strict=True)],
            [hi - m for m, hi in zip(w_mid, w_high, strict=True)],
        ]
        followed.plot(
            w_dates,
            w_mid,
            color=WITHOUT,
            linestyle="--",
            marker="s",
            label=f"without the power shift (holding {held})",
        )
        followed.errorbar(w_dates, w_mid, yerr=w_err, fmt="none", ecolor=WITHOUT, capsize=3)
        tops.append(max(w_high, default=0.0))
    followed.set_ylabel(plain(f"risk index:\n{pair_name}"), fontsize=7)
    followed.set_ylim(0.0, max(0.02, 1.15 * max(tops)))
    rank_top = 0.0
    for k, key in enumerate(riskiest_dyads(run)):
        d_dates, d_mid, _, _ = _series(run, key)
        n = k if k < 1 else k + 1  # the counterfactual's orange is not a dyad's
        ranked.plot(
            d_dates,
            d_mid,
            marker=MARKERS[n % len(MARKERS)],
            label=plain(f"{names.get(key[0], key[0])} – {names.get(key[1], key[1])}"),
            **style(n),
        )
        rank_top = max([rank_top, *d_mid])
    ranked.set_ylabel("risk index:\nriskiest dyads", fontsize=7)
    ranked.set_ylim(0.0, max(0.02, 1.15 * rank_top))


def _issue_panel(ax: Any, run: TimelineRun, without: TimelineRun | None, issue: Any) -> None:
    dates = [s.snapshot.when for s in run.snapshots]
    rows = [next(i for i in s.brief.issues if i.issue == issue.id) for s in run.snapshots]
    ax.fill_between(
        dates,
        [r.interval80[0] for r in rows],
        [r.interval80[1] for r in rows],
        color=PALETTE[2],
        alpha=0.25,
        label="80% interval",
    )
    ax.plot(dates, [r.forecast for r in rows], marker="o", color=PALETTE[0], label="forecast")
    if without is not None:
        held = [next(i for i in s.brief.issues if i.issue == issue.id) for s in without.snapshots]
        ax.plot(
            [s.snapshot.when for s in without.snapshots],
            [r.forecast for r in held],
            marker="s",
            color=WITHOUT,
            linestyle="--",
            label="forecast without the power shift",
        )
    ax.step(
        dates,
        [r.status_quo if r.status_quo is not None else float("nan") for r in rows],
        where="post",
        label="status quo",
        **STATUS_QUO,
    )
    for event in run.timeline.events:
        outcome = event.outcomes.get(issue.id)
        if outcome is not None:
            ax.scatter(
                [event.date],
                [outcome.value],
                color=ACTUAL["color"],
                zorder=4,
                clip_on=False,  # an outcome at an end of the scale is drawn whole
                label="event's coded outcome",
            )
    ax.set_ylim(issue.scale.low, issue.scale.high)
    ax.set_ylabel(textwrap.fill(plain(issue.label), 24), fontsize=7)


def timeline_chart(
    run: TimelineRun,
    without: TimelineRun | None = None,
    dyad: Sequence[str] | None = None,
) -> Figure:
    """The risk and the forecasts of a timeline over its snapshots, with the events marked.

    Where the run has the risk (the default of
    :func:`~statecraft.analysis.timeline.run_timeline`), two panels come first: the
    followed dyad's risk index (:func:`followed_dyad`) with its 80% interval, and, with
    ``without`` (the same timeline run with actors held: the counterfactual without their
    power shift), that run's risk of the same dyad as a dashed orange line with its
    interval as whiskers; then the riskiest dyads (:func:`riskiest_dyads`). Then one panel
    per issue: the ensemble's forecast at each snapshot (black, its 80% interval shaded),
    ``without``'s forecast (dashed orange), the status quo (dashed grey) and the events'
    coded outcomes (vermillion dots). Every event is a thin grey vertical line."""
    issues = run.snapshots[0].scenario.issues
    has_risk = all(s.risk is not None for s in run.snapshots)
    if without is not None and [s.snapshot.id for s in without.snapshots] != [
        s.snapshot.id for s in run.snapshots
    ]:
        raise ValueError("the run without the power shift is of another timeline")
    pair = followed_dyad(run, dyad) if has_risk else None
    panels = len(issues) + (2 if has_risk else 0)
    fig = figure(9.0, 1.2 + 1.8 * panels)
    axes = list(fig.subplots(panels, 1, sharex=True, squeeze=False)[:, 0])
    if pair is not None:
        _risk_panels(axes[:2], run, without if has_risk else None, pair)
        axes[0].set_title("Will the settlement hold? The risk of renewed conflict", fontsize=9)
    for ax, issue in zip(axes[-len(issues) :], issues, strict=True):
        _issue_panel(ax, run, without, issue)
    axes[-len(issues)].set_title("The forecast of each issue", fontsize=9)
    for k, ax in enumerate(axes):
        _events(ax, run, label=k == 0)
    dates = [s.snapshot.when for s in run.snapshots]
    last = max([*dates, *(e.date for e in run.timeline.events)])
    first = min([*dates, *(e.date for e in run.timeline.events)])
    axes[-1].set_xlim(first - dt.timedelta(days=60), last + dt.timedelta(days=60))
    legend_below(fig)
    held = f", holding {', '.join(run.held)}" if run.held else ""
    what = "risk and forecasts" if has_risk else "forecasts"
    fig.suptitle(plain(f"{run.timeline.title or run.timeline.name}: {what} over time{held}"))
    return fig
