"""``statecraft brief``: the bottom line, who wins and how sure that is, on one screen."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from statecraft import StatecraftError, brief, what_flips
from statecraft.api import WEIGHT_RULES
from statecraft.cli.options import (
    MemoryOpt,
    OptionList,
    OutputFormat,
    PerturbOpt,
    ScenarioArg,
    SeedOpt,
    TableOrJson,
    parse_options,
    table_or_json,
    with_perturbation,
)
from statecraft.cli.render import print_json
from statecraft.cli.render_advise import print_flips
from statecraft.cli.render_brief import print_brief
from statecraft.cli.util import draws_bar, fail, load_scenario, memory_budget


def _weights(text: str) -> str | dict[str, float]:
    """A weight rule's name, or ``MODEL=WEIGHT,MODEL=WEIGHT``."""
    if "=" not in text:
        return text.strip()
    out: dict[str, float] = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        try:
            weight = float(value)
        except ValueError:
            raise fail(
                f"--weights: {part.strip()!r} is not MODEL=WEIGHT with a number as the weight"
            ) from None
        if name.strip() in out:
            raise fail(f"--weights: {name.strip()!r} is given a weight twice")
        out[name.strip()] = weight
    return out


def brief_cmd(
    scenario: ScenarioArg,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            "-m",
            help="A model of the ensemble (repeatable); default: every one-issue model that "
            "applies.",
        ),
    ] = None,
    draws: Annotated[int, typer.Option("--draws", "-n", help="How many draws.")] = 2000,
    seed: SeedOpt = 0,
    weights: Annotated[
        str,
        typer.Option(
            help=f"The models' weights: a rule ({', '.join(WEIGHT_RULES)}) or "
            "MODEL=WEIGHT,MODEL=WEIGHT."
        ),
    ] = "equal",
    workers: Annotated[int, typer.Option("--workers", "-w", help="Local processes.")] = 1,
    model_error: Annotated[
        bool,
        typer.Option(
            "--model-error/--no-model-error",
            help="Widen each issue's interval by the model's own out-of-sample error on real "
            "decisions (docs/calibration.md).",
        ),
    ] = True,
    perturb: PerturbOpt = None,
    memory: MemoryOpt = None,
    flips: Annotated[
        bool,
        typer.Option(
            "--flips/--no-flips",
            help="Also search what would change the verdict (under the first model, at the "
            "coded values; statecraft advise).",
        ),
    ] = True,
    fmt: TableOrJson = OutputFormat.table,
    option: OptionList = None,
) -> None:
    """The bottom line: who wins, with what probability over the uncertain numbers and the
    models, each issue's forecast with its interval, and the flags that say when not to
    trust it."""
    table_or_json(fmt, "brief")
    if draws < 1:
        raise fail(f"--draws must be at least 1 (got {draws})")
    if workers < 1:
        raise fail(f"--workers must be at least 1 (got {workers})")
    chosen = _weights(weights)  # before the run: its refusals are not the run's
    budget = memory_budget(memory)
    s = with_perturbation(load_scenario(scenario), perturb)
    options = parse_options(option)
    bar = draws_bar("briefing")
    with bar:
        task = bar.add_task("draws", total=draws)
        try:
            result = brief(
                s,
                model or None,
                draws=draws,
                seed=seed,
                weights=chosen,
                options=options,
                workers=workers,
                calibrated=model_error,
                memory=budget,
                progress=lambda done, total: bar.update(task, completed=done),
            )
        except (StatecraftError, ValueError, RuntimeError) as exc:
            raise fail(str(exc)) from None
    if result.draws == 0:
        Console(stderr=True, markup=False).print(
            "interrupted before the first block of draws finished: nothing to show"
        )
        raise typer.Exit(130)
    change = None
    if flips and result.models:
        try:
            change = what_flips(s, result.models[0], options=options, seed=seed)
        except (StatecraftError, ValueError, RuntimeError) as exc:
            raise fail(str(exc)) from None
    if fmt is OutputFormat.json:
        data = result.to_dict()
        if change is not None:
            data["what_would_change"] = change.to_dict(top=5)
        print_json(data)
    else:
        print_brief(result)
        if change is not None:
            print_flips(s, change)
    if result.interrupted:
        Console(stderr=True, markup=False).print(
            f"interrupted: kept the {result.draws:,} draws done of {result.requested:,}"
        )
        raise typer.Exit(130)
