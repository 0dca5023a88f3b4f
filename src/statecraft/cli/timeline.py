"""``statecraft timeline``: the forecasts and verdicts of every snapshot of a timeline, and
how they score against the events that followed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from statecraft import StatecraftError, TimelineRun, load_timeline, timeline
from statecraft.api import timeline_chart
from statecraft.cli.options import (
    LabelOpt,
    MemoryOpt,
    NoStoreOpt,
    OutputFormat,
    SeedOpt,
    StoreOpt,
    TableOrJson,
    table_or_json,
)
from statecraft.cli.record import recording
from statecraft.cli.render import print_json
from statecraft.cli.util import fail, memory_budget


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def print_timeline(run: TimelineRun) -> None:
    """Per snapshot: what changed, each issue's forecast against the status quo, the likely
    biggest winners, and the scores against the later events' coded outcomes."""
    console = Console(markup=False, highlight=False)
    held = f" (holding {', '.join(run.held)} at the base's capability and salience)"
    console.print(
        f"{run.timeline.title or run.timeline.name}{held if run.held else ''}: "
        f"{len(run.snapshots)} snapshots, {run.draws:,} draws each, seed {run.seed}"
    )
    for s in run.snapshots:
        snap = s.snapshot
        console.print()
        console.print(f"{snap.id}: cut-off {snap.cutoff}  {snap.title or ''}".rstrip())
        console.print(f"  {len(snap.changes)} inputs changed since the previous snapshot")
        if s.block_note:
            console.print(Text(f"  {s.block_note}", style="yellow"))
        table = Table(show_edge=False)
        for name in ("issue", "status quo", "forecast", "80% interval"):
            table.add_column(name, justify="left" if name == "issue" else "right")
        for i in s.brief.issues:
            lo, hi = i.interval80
            table.add_row(i.issue, _num(i.status_quo), _num(i.forecast), f"{lo:.1f}-{hi:.1f}")
        console.print(table)
        top = ", ".join(f"{v.name} {v.p_biggest:.0%}" for v in s.brief.winners[:3])
        nobody = 1.0 - sum(v.p_biggest for v in s.brief.winners)
        if nobody >= 0.005:
            top += f"; no single winner {nobody:.0%}"
        console.print(f"  biggest winner (probability over draws and models): {top}")
        kinds = [f.kind for f in s.brief.flags]
        if "narrow_margin" in kinds and len(s.brief.winners) > 1:
            first, second = s.brief.winners[0].name, s.brief.winners[1].name
            console.print(f"  verdict: {first} or {second}: too close to call")
        if kinds:
            console.print(f"  flags (statecraft brief explains each): {', '.join(kinds)}")
        if s.risk is not None:
            _print_risk(console, s.risk)
        for x in s.scores:
            verdict = {True: "beats", False: "does not beat", None: "-"}[x.beats_status_quo]
            console.print(
                f"  {x.event_date} {x.issue} -> {x.outcome:g}: forecast {x.forecast:.1f} "
                f"(off by {x.error:.1f}), status quo off by {_num(x.baseline_error)}: "
                f"{verdict} the status quo"
            )


def _print_risk(console: Console, risk: Any) -> None:
    """The snapshot's risk of renewed conflict: the riskiest dyads, the pressure on each
    issue and what the settlement rests on (docs/risk.md)."""
    dyads = "; ".join(
        f"{d['a']}-{d['b']} {d['risk']:.3f} ({d['interval80'][0]:.3f}-{d['interval80'][1]:.3f})"
        for d in risk["dyads"][:3]
    )
    console.print(
        "  risk of renewed conflict (an index in [0, 1], median and 80% interval; "
        f"docs/risk.md), riskiest dyads: {dyads}"
    )
    pressure = ", ".join(f"{i['issue']} {i['pressure']:.2f}" for i in risk["issues"])
    console.print(f"  pressure on the settlement: {pressure}")
    if risk.get("rests_on"):
        pair = "-".join(risk.get("focus") or ())
        console.print(f"  the {pair} settlement rests on: {', '.join(risk['rests_on'])}")


def timeline_cmd(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="A built-in timeline's name or a file path.")],
    draws: Annotated[int, typer.Option("--draws", "-n", help="Draws per snapshot.")] = 1000,
    seed: SeedOpt = 0,
    hold: Annotated[
        list[str] | None,
        typer.Option(
            "--hold",
            help="An actor whose capability and salience stay at the base's (repeatable): "
            "the timeline without its power shift.",
        ),
    ] = None,
    chart: Annotated[
        str | None, typer.Option("--chart", help="Also draw the timeline chart to this file.")
    ] = None,
    no_risk: Annotated[
        bool, typer.Option("--no-risk", help="Leave out the risk of renewed conflict (faster).")
    ] = False,
    memory: MemoryOpt = None,
    fmt: TableOrJson = OutputFormat.table,
    label: LabelOpt = None,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """For every snapshot of a timeline: the forecasts with their intervals, who is likely
    to gain most, the risk of renewed conflict (statecraft risk, with the shift of power
    since the previous snapshot), and the scores against the events that followed. With
    --hold and --chart, the chart draws the timeline as coded and, as a second line, the
    run without the held actors' power shift."""
    table_or_json(fmt, "timeline")
    if draws < 1:
        raise fail(f"--draws must be at least 1 (got {draws})")
    if chart is not None and Path(chart).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise fail(f"cannot tell the image format of {chart!r}: name a .png, .svg or .pdf file")
    budget = memory_budget(memory)
    with recording(ctx, store, no_store) as record:
        try:
            loaded = load_timeline(source)
            how: dict[str, Any] = {
                "draws": draws,
                "seed": seed,
                "risk": None if no_risk else "conflict",
                "memory": budget,
            }
            run = timeline(loaded, hold=tuple(hold or ()), **how)
            coded = timeline(loaded, **how) if chart is not None and hold else None
        except (StatecraftError, ValueError) as exc:
            raise fail(str(exc)) from None
        record(run)
        # drawn and printed under `with`: a run that could not be recorded still shows them
        if chart is not None:
            _draw(run if coded is None else coded, None if coded is None else run, chart)
        if fmt is OutputFormat.json:
            print_json(run.to_dict())
        else:
            print_timeline(run)


def _draw(run: TimelineRun, without: TimelineRun | None, output: str) -> None:
    figure: Any = timeline_chart(run, without=without)
    try:
        figure.savefig(output, dpi=150)
    except OSError as exc:
        raise fail(f"cannot write {output!r}: {exc.strerror or exc}") from None
