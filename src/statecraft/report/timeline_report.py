"""The report of a timeline: one self-contained HTML file, as the scenario's report is.

A section per snapshot (what changed and on which sources, the forecasts, the verdict, the
risk of renewed conflict and the scores against the events that followed), the timeline
chart (:func:`~statecraft.report.timeline_chart.timeline_chart`), and, where actors are held
(the timeline's ``hold``, or ``hold=``), the comparison with and without their power shift:
the followed dyad's risk and the pressure on each issue at every snapshot, both ways.
Rendered with Jinja2 (autoescaped) from ``templates/timeline_page.html.j2``, whose body is
the partial ``templates/timeline.html.j2``; the styles are the scenario report's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from statecraft._version import __version__
from statecraft.analysis.timeline import Timeline, TimelineRun, load_timeline, run_timeline
from statecraft.report.html import svg, template_environment

__all__ = ["TimelineReport", "render_timeline_report", "timeline_report"]

CAPTION = (
    "Top: the risk index of the followed dyad at every snapshot, with its 80% interval "
    "(shaded){without}, and the riskiest dyads; below, each issue's forecast and 80% "
    "interval, the status quo (dashed grey) and the events' coded outcomes (dots). Grey "
    "vertical lines: the events, dated."
)


@dataclass(frozen=True)
class TimelineReport:
    """What a timeline's report shows; :meth:`html` renders it. ``run`` is the timeline as
    coded, ``without`` the same with the actors of ``run``'s comparison held (None: no
    comparison); ``dyad`` the dyad followed."""

    run: TimelineRun
    without: TimelineRun | None
    dyad: tuple[str, str]
    chart: str  # inline SVG
    created: str = ""

    def comparison(self) -> list[dict[str, Any]]:
        """Per snapshot: the followed dyad's risk (median and 80% interval) and the
        pressure on each issue (median), as coded and, with :attr:`without`, without the
        power shift (``None`` where the dyad is absent)."""
        rows = []
        held = (
            self.without.snapshots if self.without is not None else [None] * len(self.run.snapshots)
        )
        for s, w in zip(self.run.snapshots, held, strict=True):
            rows.append(
                {
                    "id": s.snapshot.id,
                    "cutoff": s.snapshot.cutoff.isoformat(),
                    "risk": _dyad(s.risk, self.dyad),
                    "risk_without": None if w is None else _dyad(w.risk, self.dyad),
                    "pressure": _pressure(s.risk),
                    "pressure_without": None if w is None else _pressure(w.risk),
                }
            )
        return rows

    def html(self) -> str:
        """The report as one HTML page (no script, nothing fetched)."""
        env = template_environment()
        env.filters["r3"] = lambda x: "–" if x is None else f"{x:.3f}"
        source, _, _ = env.loader.get_source(env, "report.html.j2")  # type: ignore[union-attr]
        found = re.search(r"<style>.*?</style>", source, re.DOTALL)
        run = self.run
        first = run.snapshots[0].scenario
        names: dict[str, str] = {}
        for s in run.snapshots:
            names |= {a.id: a.display_name for a in s.scenario.actors}
        return env.get_template("timeline_page.html.j2").render(
            t=run.timeline,
            data=run.to_dict(),
            without=None if self.without is None else self.without.to_dict(),
            held=[names.get(a, a) for a in self.without.held] if self.without else [],
            rows=self.comparison(),
            dyad=self.dyad,
            names=names,
            labels={i.id: i.label for i in first.issues},
            sources={s.id: s for s in run.timeline.sources},
            chart=self.chart,
            caption=CAPTION.format(
                without=", and the same without the power shift (dashed orange, whiskers: "
                "its 80% interval)"
                if self.without is not None
                else ""
            ),
            style=found.group(0) if found else "",
            version=__version__,
            created=self.created,
        )


def _dyad(risk: Mapping[str, Any] | None, pair: tuple[str, str]) -> dict[str, Any] | None:
    for d in (risk or {}).get("dyads", ()):
        if {d["a"], d["b"]} == set(pair):
            return {"risk": d["risk"], "interval80": list(d["interval80"])}
    return None


def _pressure(risk: Mapping[str, Any] | None) -> dict[str, float]:
    return {i["issue"]: i["pressure"] for i in (risk or {}).get("issues", ())}


def timeline_report(
    timeline: Timeline | str | Path,
    *,
    draws: int = 1000,
    seed: int = 0,
    hold: Sequence[str] | None = None,
    dyad: Sequence[str] | None = None,
    memory: int | str | None = None,
) -> TimelineReport:
    """Run a timeline (a :class:`~statecraft.analysis.timeline.Timeline`, a file or a
    built-in name) with its risk on ``draws`` draws from ``seed``, and, where actors are
    held (``hold``; default: the timeline's own ``hold``; ``()``: none), once more without
    their power shift; then draw its chart, following ``dyad`` (default: the timeline's
    ``dyad``, else the riskiest at the last snapshot). ``memory`` is the runs' memory
    budget (:func:`~statecraft.analysis.timeline.run_timeline`)."""
    from statecraft.report.timeline_chart import followed_dyad, timeline_chart

    loaded = timeline if isinstance(timeline, Timeline) else load_timeline(timeline)
    held = tuple(loaded.hold if hold is None else hold)
    run = run_timeline(loaded, draws=draws, seed=seed, memory=memory)
    without = None
    if held:
        without = run_timeline(loaded, draws=draws, seed=seed, hold=held, memory=memory)
    pair = followed_dyad(run, dyad)
    fig = timeline_chart(run, without=without, dyad=pair)
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return TimelineReport(run, without, pair, svg(fig, "timeline"), created)


def render_timeline_report(
    timeline: Timeline | str | Path, path: str | Path, **kwargs: Any
) -> Path:
    """Write the report of a timeline to ``path`` (see :func:`timeline_report` for the
    options)."""
    target = Path(path)
    target.write_text(timeline_report(timeline, **kwargs).html(), encoding="utf-8")
    return target
