"""``statecraft advise`` and ``statecraft sweep``: what would it take?"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer

from statecraft import StatecraftError, advise, sweep
from statecraft.cli.options import (
    DEFAULT_MODEL,
    AdviseMemoryOpt,
    ModelOpt,
    OptionList,
    OutputFormat,
    ScenarioArg,
    SeedOpt,
    TableOrJson,
    check_ids,
    parse_options,
    table_or_json,
)
from statecraft.cli.render import print_json
from statecraft.cli.render_advise import print_advice, print_sweep
from statecraft.cli.util import fail, load_scenario, memory_budget


def _targets(goals: list[str] | None) -> dict[str, float]:
    """``--goal gain`` (the default) or ``--goal ISSUE=VALUE`` (repeatable)."""
    out: dict[str, float] = {}
    for goal in goals or ():
        if goal == "gain":
            continue
        issue, eq, value = goal.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not eq or not issue or not math.isfinite(number):
            raise fail(f"--goal is 'gain' or ISSUE=VALUE with a finite number, not {goal!r}")
        out[issue] = number
    if out and "gain" in (goals or ()):
        raise fail("--goal gain and targets (ISSUE=VALUE) do not mix")
    return out


def advise_cmd(
    scenario: ScenarioArg,
    actor: Annotated[str, typer.Option("--actor", "-a", help="Whose goal: an actor's id.")],
    issue: Annotated[
        list[str] | None,
        typer.Option("--issue", "-i", help="Only this issue's levers and gain (repeatable)."),
    ] = None,
    goal: Annotated[
        list[str] | None,
        typer.Option(
            help="'gain' (the actor's own gain, the default) or ISSUE=VALUE, a target value "
            "(repeatable)."
        ),
    ] = None,
    model: ModelOpt = DEFAULT_MODEL,
    draws: Annotated[
        int, typer.Option("--draws", "-n", help="Draws of the uncertain inputs for robustness.")
    ] = 1000,
    seed: SeedOpt = 0,
    threshold: Annotated[
        float | None,
        typer.Option(help="Also search what puts the --issue's forecast across this value."),
    ] = None,
    flips: Annotated[
        bool, typer.Option("--flips/--no-flips", help="Search what flips the verdict.")
    ] = True,
    top: Annotated[int, typer.Option(help="Show the top levers.", min=1)] = 15,
    memory: AdviseMemoryOpt = None,
    fmt: TableOrJson = OutputFormat.table,
    option: OptionList = None,
) -> None:
    """The levers of an actor's goal, biggest effect first, and what flips the verdict."""
    table_or_json(fmt, "advise")
    budget = memory_budget(memory)
    s = load_scenario(scenario)
    check_ids(scenario, [actor], s.actor_ids, "actor")
    check_ids(scenario, issue, s.issue_ids, "issue")
    targets = _targets(goal)
    if draws < 0:
        raise fail(f"--draws must be at least 0 (got {draws})")
    if threshold is not None and len(issue or ()) != 1:
        raise fail("--threshold needs exactly one --issue, the issue it is for")
    if threshold is not None and not math.isfinite(threshold):
        raise fail(f"--threshold must be a finite number (got {threshold})")
    try:
        result = advise(
            s,
            actor,
            issues=issue,
            targets=targets,
            model=model,
            options=parse_options(option),
            draws=draws,
            seed=seed,
            flips=flips,
            threshold=threshold,
            # not given: only the machine's memory (STATECRAFT_MEMORY) bounds the robustness
            # pass, as the Python API's default does; a --memory given is held to
            memory=budget if memory is not None else None,
        )
    except (StatecraftError, ValueError, RuntimeError) as exc:
        raise fail(str(exc)) from None
    if fmt is OutputFormat.json:
        print_json(result.to_dict())
        return
    print_advice(s, result, top)


def sweep_cmd(
    scenario: ScenarioArg,
    input: Annotated[
        list[str],
        typer.Option(
            "--input",
            help="ACTOR:ISSUE:FIELD (position, salience, capability) or ACTOR:capability; "
            "twice for a grid.",
        ),
    ],
    start: Annotated[list[float], typer.Option("--from", help="First value (one per input).")],
    stop: Annotated[list[float], typer.Option("--to", help="Last value (one per input).")],
    steps: Annotated[
        list[int] | None, typer.Option("--steps", "-k", help="How many values (default 11).")
    ] = None,
    model: ModelOpt = DEFAULT_MODEL,
    seed: SeedOpt = 0,
    fmt: TableOrJson = OutputFormat.table,
    option: OptionList = None,
    chart: Annotated[
        str | None,
        typer.Option(
            help="Also draw it to this .png, .svg or .pdf: the sweep chart (one input) or "
            "the sweep map (two; of --issue's forecast when given, else of the winner)."
        ),
    ] = None,
    issue: Annotated[
        str | None, typer.Option("--issue", "-i", help="The issue of a two-input --chart.")
    ] = None,
) -> None:
    """The forecast of every issue and the biggest winner as one input (or two, a grid)
    moves from one value to another."""
    table_or_json(fmt, "sweep")
    s = load_scenario(scenario)
    if len(input) > 2:
        raise fail("a sweep takes one --input, or two for a grid")
    k = steps or [11]
    if len(k) == 1:
        k = k * len(input)
    if not (len(start) == len(stop) == len(k) == len(input)):
        raise fail("give one --from and one --to (and at most one --steps) for each --input")
    for n in k:
        if n < 2:
            raise fail(f"--steps must be at least 2 (got {n})")
        if n > 1000:
            raise fail(f"--steps must be at most 1000 (got {n})")
    axes = list(zip(input, start, stop, k, strict=True))
    if chart is not None and Path(chart).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise fail(f"cannot tell the image format of {chart!r}: name a .png, .svg or .pdf file")
    if issue is not None and (chart is None or len(input) != 2):
        raise fail("--issue picks the issue of a two-input --chart")
    if issue is not None:
        check_ids(scenario, [issue], s.issue_ids, "issue")
    try:
        result = sweep(
            s,
            *axes[0],
            second=axes[1] if len(axes) == 2 else None,
            model=model,
            options=parse_options(option),
            seed=seed,
        )
    except (StatecraftError, ValueError, RuntimeError) as exc:
        raise fail(str(exc)) from None
    if chart is not None:
        _draw(s, axes, model, parse_options(option), seed, chart, issue)
    if fmt is OutputFormat.json:
        print_json(result.to_dict())
        return
    print_sweep(s, result)
    if chart is not None:
        typer.echo(f"wrote {chart}")


def _draw(
    s: Any,
    axes: list[Any],
    model: str,
    options: dict[str, Any],
    seed: int,
    chart: str,
    issue: str | None,
) -> None:
    """The sweep's chart to a file (the registry's sweep or sweep-map chart; the sweep is
    one batched run, run again there)."""
    try:
        from statecraft.api import ChartInputs, get_chart

        kind = get_chart("sweep" if len(axes) == 1 else "sweep-map")
        inputs = ChartInputs(issue=issue, model=model, sweep=axes, options=options, seed=seed)
        kind.make(s, inputs).savefig(chart, dpi=150)
    except ImportError as exc:  # pragma: no cover - matplotlib is in the dev install
        raise fail(f"{exc}: pip install 'statecraft[report]'") from None
    except OSError as exc:
        raise fail(f"cannot write {chart!r}: {exc.strerror or exc}") from None
