"""``statecraft simulate``: Monte Carlo over a scenario's uncertain numbers."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from statecraft import StatecraftError, simulate
from statecraft.api import options_for
from statecraft.cli.options import (
    DEFAULT_MODEL,
    LabelOpt,
    MemoryOpt,
    ModelOpt,
    NoStoreOpt,
    OptionList,
    OutputFormat,
    PerturbOpt,
    ScenarioArg,
    SeedOpt,
    StoreOpt,
    TableOrJson,
    parse_options,
    table_or_json,
    with_perturbation,
)
from statecraft.cli.record import recording
from statecraft.cli.render import print_json
from statecraft.cli.render_analysis import print_simulation
from statecraft.cli.util import draws_bar, fail, load_scenario, memory_budget


def simulate_cmd(
    ctx: typer.Context,
    scenario: ScenarioArg,
    model: ModelOpt = DEFAULT_MODEL,
    draws: Annotated[int, typer.Option("--draws", "-n", help="How many draws.", min=1)] = 10_000,
    seed: SeedOpt = 0,
    workers: Annotated[
        int, typer.Option("--workers", "-w", help="Local processes to run on.", min=1)
    ] = 1,
    dask: Annotated[
        str | None,
        typer.Option(help="Address of a Dask scheduler to run on (needs statecraft\\[dask])."),
    ] = None,
    perturb: PerturbOpt = None,
    memory: MemoryOpt = None,
    fmt: TableOrJson = OutputFormat.table,
    option: OptionList = None,
    label: LabelOpt = None,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Monte Carlo over the scenario's uncertain numbers: each forecast with its spread."""
    budget = memory_budget(memory)
    s = with_perturbation(load_scenario(scenario), perturb)
    options = parse_options(option)
    table_or_json(fmt, "simulate")
    bar = draws_bar("simulating")
    with recording(ctx, store, no_store) as record:
        with bar:
            task = bar.add_task("draws", total=draws)
            try:
                result = simulate(
                    s,
                    model,
                    draws=draws,
                    seed=seed,
                    options=options,
                    workers=workers,
                    dask=dask,
                    memory=budget,
                    progress=lambda done, total: bar.update(task, completed=done),
                )
            except (StatecraftError, ValueError, RuntimeError) as exc:
                raise fail(str(exc)) from None
        record(result, parameters={"options": options_for(model, options), "perturb": perturb})
        # printed under `with`: a run that could not be recorded still shows its results
        if fmt is OutputFormat.json:
            print_json(result.to_dict())
        else:
            print_simulation(result)
        if result.interrupted:
            Console(stderr=True, markup=False).print(
                f"interrupted: kept the {result.draws:,} draws done of {result.requested:,}"
            )
            raise typer.Exit(130)
