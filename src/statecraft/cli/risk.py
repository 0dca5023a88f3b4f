"""``statecraft risk``: will the settlement hold? The risk of renewed conflict over a
scenario's status quo (docs/risk.md)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

from statecraft import StatecraftError, risk
from statecraft.cli.options import (
    LabelOpt,
    MemoryOpt,
    NoStoreOpt,
    OutputFormat,
    PerturbOpt,
    ScenarioArg,
    SeedOpt,
    StoreOpt,
    TableOrJson,
    table_or_json,
    with_perturbation,
)
from statecraft.cli.record import recording
from statecraft.cli.render import print_json
from statecraft.cli.render_risk import print_risk
from statecraft.cli.util import draws_bar, fail, load_scenario, memory_budget


class SettlementChoice(StrEnum):
    status_quo = "status_quo"
    actual = "actual"


def _dyad(text: str | None) -> tuple[str, str] | None:
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not all(parts):
        raise fail(f"--dyad: give two actor ids as A,B (got {text!r})")
    return parts[0], parts[1]


def risk_cmd(
    ctx: typer.Context,
    scenario: ScenarioArg,
    draws: Annotated[int, typer.Option("--draws", "-n", help="How many draws.")] = 2000,
    seed: SeedOpt = 0,
    previous: Annotated[
        str | None,
        typer.Option(
            help="The scenario at an earlier moment (a built-in name or a file): the shift "
            "of power since then adds to the risk."
        ),
    ] = None,
    settlement: Annotated[
        SettlementChoice,
        typer.Option(
            help="What the settlement is: each issue's status_quo, or its actual outcome "
            "(the terms settled, for a scenario coded before them)."
        ),
    ] = SettlementChoice.status_quo,
    dyad: Annotated[
        str | None,
        typer.Option(help="The dyad to measure the guarantors on, as A,B (default: the riskiest)."),
    ] = None,
    perturb: PerturbOpt = None,
    memory: MemoryOpt = None,
    fmt: TableOrJson = OutputFormat.table,
    label: LabelOpt = None,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Will the settlement hold? The risk index of every dyad, the pressure on each issue of
    the settlement and the actors it rests on, each with its 80% interval over the
    uncertain numbers."""
    table_or_json(fmt, "risk")
    if draws < 1:
        raise fail(f"--draws must be at least 1 (got {draws})")
    pair = _dyad(dyad)
    budget = memory_budget(memory)
    s = with_perturbation(load_scenario(scenario), perturb)
    before = None if previous is None else with_perturbation(load_scenario(previous), perturb)
    with recording(ctx, store, no_store) as record:
        bar = draws_bar("weighing the risk")
        with bar:
            task = bar.add_task("draws", total=draws)
            try:
                result = risk(
                    s,
                    previous=before,
                    draws=draws,
                    seed=seed,
                    dyad=pair,
                    settlement=settlement.value,
                    memory=budget,
                    progress=lambda done, total: bar.update(task, completed=done),
                )
            except (StatecraftError, ValueError) as exc:
                raise fail(str(exc)) from None
        if result.draws == 0:
            Console(stderr=True, markup=False).print(
                "interrupted before the first block of draws finished: nothing to show"
            )
            raise typer.Exit(130)
        record(result)
        # printed under `with`: a run that could not be recorded still shows its results
        if fmt is OutputFormat.json:
            print_json(result.to_dict())
        else:
            print_risk(result, s.title or s.name, defending=settlement.value)
        if result.interrupted:
            Console(stderr=True, markup=False).print(
                f"interrupted: kept the {result.draws:,} draws done of {result.requested:,}"
            )
            raise typer.Exit(130)
