"""The chart of a timeline: each issue's forecast over the snapshots, with its 80% interval
and the status quo, and the later events marked (those coded on the issue's scale as dots
at their date). Drawn without pyplot, in the palette and marks of :mod:`.charts`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from statecraft.report.charts import ACTUAL, PALETTE, STATUS_QUO, _figure
from statecraft.textsafe import plain

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from statecraft.analysis.timeline import TimelineRun

__all__ = ["timeline_chart"]


def timeline_chart(run: TimelineRun) -> Figure:
    """One panel per issue: the ensemble's forecast at each snapshot's date (black, with its
    80% predictive interval shaded), the status quo (dashed), every event as a thin vertical
    line and the events' coded outcomes on that issue as vermillion dots."""
    first = run.snapshots[0]
    issues = first.scenario.issues
    fig = _figure(9.0, 1.0 + 1.9 * len(issues))
    axes = fig.subplots(len(issues), 1, sharex=True, squeeze=False)[:, 0]
    dates = [s.snapshot.when for s in run.snapshots]
    events = run.timeline.events
    for ax, issue in zip(axes, issues, strict=True):
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
        ax.step(
            dates,
            [r.status_quo if r.status_quo is not None else float("nan") for r in rows],
            where="post",
            label="status quo",
            **STATUS_QUO,
        )
        for event in events:
            ax.axvline(event.date, color="#999999", linewidth=0.6)
            outcome = event.outcomes.get(issue.id)
            if outcome is not None:
                ax.scatter(
                    [event.date],
                    [outcome.value],
                    color=ACTUAL["color"],
                    zorder=4,
                    label="event's outcome",
                )
        ax.set_ylim(issue.scale.low, issue.scale.high)
        ax.set_ylabel(plain(issue.label), fontsize=7, wrap=True)
    last = max([*dates, *(e.date for e in events)])
    axes[-1].set_xlim(min(dates) - dt.timedelta(days=60), last + dt.timedelta(days=60))
    handles, labels = axes[0].get_legend_handles_labels()
    for ax in axes[1:]:
        more = ax.get_legend_handles_labels()
        for h, label in zip(*more, strict=True):
            if label not in labels:
                handles.append(h)
                labels.append(label)
    fig.legend(handles, labels, loc="outside lower center", ncols=4, fontsize="small")
    held = f", holding {', '.join(run.held)}" if run.held else ""
    fig.suptitle(plain(f"{run.timeline.title or run.timeline.name}: forecasts over time{held}"))
    return fig
