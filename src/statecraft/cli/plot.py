"""``statecraft plot`` and ``statecraft report``: a chart, or a whole report, to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from statecraft import StatecraftError, load_stack, load_timeline
from statecraft.api import CHARTS, ChartInputs, MissingInput, get_chart, read_deu
from statecraft.cli.options import DEFAULT_MODEL, MemoryOpt, ModelOpt, SeedOpt
from statecraft.cli.util import fail, load_scenario, memory_budget

#: Draws per snapshot of a timeline's report made without --draws.
BOTTOM_LINE_DRAWS = 1000

#: How this command asks for each input a chart may need.
FLAGS = {"actor": "--actor", "patches": "--patch", "issue": "--issue", "model": "--model"}


def _takes(name: str) -> str:
    """The charts that read an input, for the options' help."""
    return ", ".join(kind for kind, c in CHARTS.items() if name in c.takes)


def plot_cmd(
    scenario: Annotated[
        str, typer.Argument(help="A scenario (built-in name or file); for backtest, a DEU table.")
    ],
    kind: Annotated[str, typer.Argument(help=f"The chart: {', '.join(CHARTS)}.")],
    output: Annotated[
        str, typer.Option("--output", "-o", help="The file to write: .png, .svg or .pdf.")
    ],
    issue: Annotated[
        str | None,
        typer.Option(help=f"The issue ({_takes('issue')}; default: the first)."),
    ] = None,
    actor: Annotated[
        str | None, typer.Option(help=f"The actor whose view ({_takes('actor')}).")
    ] = None,
    model: Annotated[
        str,
        typer.Option("--model", "-m", help=f"The model ({_takes('model')})."),
    ] = DEFAULT_MODEL,
    patch: Annotated[
        list[str] | None,
        typer.Option(
            "--patch",
            "-p",
            help=f"A counterfactual patch, or 'a+b' stacked ({_takes('patches')}; repeatable).",
        ),
    ] = None,
    draws: Annotated[
        int, typer.Option(help=f"Monte Carlo draws ({_takes('draws')}).", min=1)
    ] = 2000,
    seed: SeedOpt = 0,
) -> None:
    """Draw a chart of a scenario's forecast, rounds, winners, dyads, uncertainty,
    counterfactuals, or of a backtest, and write it to a file (the charts are those of
    the chart registry, statecraft.report.registry)."""
    try:
        chart = get_chart(kind)
    except ValueError as exc:
        raise fail(str(exc)) from None
    target = Path(output)
    if target.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise fail(f"cannot tell the image format of {output!r}: name a .png, .svg or .pdf file")
    try:
        if chart.reads == "deu-table":
            source: Any = read_deu(scenario)
            patches: list[Any] = []
        elif chart.reads == "timeline":
            source = load_timeline(scenario)
            patches = []  # a timeline's chart takes no patches
        else:
            source = load_scenario(scenario)
            patches = [load_stack(p, scenario=source) for p in patch or []]
        inputs = ChartInputs(
            issue=issue, actor=actor, model=model, patches=patches, draws=draws, seed=seed
        )
        figure = chart.make(source, inputs)
        figure.savefig(target, dpi=150)
    except MissingInput as exc:
        raise fail(exc.phrase(FLAGS.get(exc.input, exc.input))) from None
    except (StatecraftError, ValueError, KeyError) as exc:
        raise fail(str(exc).strip("'\"")) from None
    except ImportError as exc:  # pragma: no cover - matplotlib is in the dev install
        raise fail(f"{exc}: pip install 'statecraft[report]'") from None
    except OSError as exc:
        raise fail(f"cannot write {output!r}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {target}")


def report_cmd(
    scenario: Annotated[
        str, typer.Argument(help="A built-in scenario or timeline (its name or a file).")
    ],
    output: Annotated[str, typer.Option("--output", "-o", help="The HTML file to write.")],
    draws: Annotated[
        int,
        typer.Option(
            help="Monte Carlo draws for the uncertainty section (0: none); for a timeline, "
            "draws per snapshot (0: 1000).",
            min=0,
        ),
    ] = 0,
    patch: Annotated[
        list[str] | None,
        typer.Option(
            "--patch",
            "-p",
            help="A counterfactual patch to compare, or 'a+b' stacked (repeatable).",
        ),
    ] = None,
    model: ModelOpt = DEFAULT_MODEL,
    seed: SeedOpt = 0,
    hold: Annotated[
        list[str] | None,
        typer.Option(
            "--hold",
            help="For a timeline: an actor whose power shift the comparison holds "
            "(repeatable; default: the timeline's own hold).",
        ),
    ] = None,
    advise: Annotated[
        list[str] | None,
        typer.Option(
            "--advise",
            "-a",
            help="An actor whose levers the section 'What would it take?' gives, under "
            "--model (repeatable).",
        ),
    ] = None,
    memory: MemoryOpt = None,
) -> None:
    """Write a self-contained HTML report: scenario, forecasts, winners, rounds,
    confrontations, what would it take (--advise), uncertainty, counterfactuals, method and
    limits. Given a timeline (a built-in name or a file), the report of the timeline: a
    section per snapshot, the risk over time, and the comparison with and without the power
    shift."""
    try:
        from statecraft.api import is_timeline, render_report, render_timeline_report
    except ImportError as exc:  # pragma: no cover - the report extra is in the dev install
        raise fail(f"{exc}: pip install 'statecraft[report]'") from None
    budget = memory_budget(memory)
    if is_timeline(scenario):
        if patch:
            raise fail("--patch is for a scenario's report, not a timeline's (use --hold)")
        try:
            path = render_timeline_report(
                scenario,
                output,
                draws=draws or BOTTOM_LINE_DRAWS,
                seed=seed,
                hold=None if hold is None else tuple(hold),
                memory=budget,
            )
        except (StatecraftError, ValueError) as exc:
            raise fail(str(exc)) from None
        except OSError as exc:
            raise fail(f"cannot write {output!r}: {exc.strerror or exc}") from None
        typer.echo(f"wrote {path}")
        return
    if hold:
        raise fail("--hold is for a timeline's report, not a scenario's")
    s = load_scenario(scenario)
    for actor in advise or ():
        if actor not in s.actor_ids:
            raise fail(
                f"{scenario}: unknown actor id {actor!r} given to --advise; "
                f"the actors are: {', '.join(s.actor_ids)}"
            )
    try:
        patches = [load_stack(p, scenario=s) for p in patch or []]
        path = render_report(
            s,
            output,
            draws=draws,
            seed=seed,
            patches=patches,
            model=model,
            advise=advise or (),
            # not given: the default budget, and only the machine's memory bounds advise's
            # robustness pass (as for `statecraft advise`)
            memory=budget if memory is not None else None,
        )
    except (StatecraftError, ValueError) as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot write {output!r}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {path}")
