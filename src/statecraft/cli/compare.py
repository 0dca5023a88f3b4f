"""``statecraft compare``: a scenario and counterfactual patches of it, side by side."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from statecraft import StatecraftError, compare, load_stack
from statecraft.api import uncertain_inputs
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
from statecraft.cli.render_analysis import print_comparison
from statecraft.cli.util import fail, load_scenario, memory_budget


def compare_cmd(
    ctx: typer.Context,
    scenario: ScenarioArg,
    patch: Annotated[
        list[str],
        typer.Argument(
            help="Counterfactuals: patch files or names of the scenario's built-ins; 'a+b' "
            "stacks patches into one (the later over the earlier)."
        ),
    ],
    model: ModelOpt = DEFAULT_MODEL,
    draws: Annotated[
        int,
        typer.Option(
            "--draws",
            "-n",
            help="Also simulate each, with this many draws, and give each actor's probability "
            "of being the biggest winner over them and the models.",
            min=0,
        ),
    ] = 0,
    seed: SeedOpt = 0,
    perturb: PerturbOpt = None,
    memory: MemoryOpt = None,
    fmt: TableOrJson = OutputFormat.table,
    option: OptionList = None,
    label: LabelOpt = None,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Forecast a scenario and counterfactual patches of it, side by side."""
    budget = memory_budget(memory)
    s = with_perturbation(load_scenario(scenario), perturb)
    options = parse_options(option)
    if draws and not uncertain_inputs(s, actual=False):
        Console(stderr=True, markup=False).print(
            "note: the scenario has no uncertain numbers, so the intervals are points: "
            "give numbers a range or use --perturb"
        )
    table_or_json(fmt, "compare")
    try:
        patches = [load_stack(p, scenario=s) for p in patch]
        names = [p.name for p in patches]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"two patches are named {twice[0]!r}; give each its own name")
    except (StatecraftError, ValueError) as exc:
        raise fail(str(exc)) from None
    with recording(ctx, store, no_store) as record:
        try:
            result = compare(
                s, patches, model, draws=draws, seed=seed, options=options, memory=budget
            )
        except (StatecraftError, ValueError) as exc:
            raise fail(str(exc)) from None
        record(result, parameters={"perturb": perturb})
        # printed under `with`: a run that could not be recorded still shows its results
        if fmt is OutputFormat.json:
            print_json(result.to_dict())
        else:
            print_comparison(result, model)
