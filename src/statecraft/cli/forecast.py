"""``statecraft forecast`` and ``statecraft rounds``: a scenario's forecasts, and the rounds of
the round-by-round model.

The model whose rounds ``statecraft rounds`` shows is found, not named: the first registered
one-issue model whose details have trajectories (:data:`ROUNDS`, a capability of the
details), among the one-issue models that apply to the scenario (the expected utility model
among those registered now).
"""

from __future__ import annotations

from typing import Annotated

import typer

from statecraft import StatecraftError, forecast
from statecraft.cli.options import (
    AnyFormat,
    LabelOpt,
    NoStoreOpt,
    OptionList,
    OutputFormat,
    ScenarioArg,
    SeedOpt,
    StoreOpt,
    check_ids,
    parse_options,
)
from statecraft.cli.record import recording
from statecraft.cli.render import print_frame_csv, print_json
from statecraft.cli.render_details import print_rounds
from statecraft.cli.render_forecast import (
    actor_table,
    print_forecast,
    print_forecast_csv,
    weights_table,
)
from statecraft.cli.util import fail, load_scenario, new_console

#: What the details of a model that bargains in rounds have: its trajectories.
ROUNDS = "trajectory_records"


def forecast_cmd(
    ctx: typer.Context,
    scenario: ScenarioArg,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            "-m",
            help="A model to run (repeatable). Default: every model that applies.",
        ),
    ] = None,
    fmt: AnyFormat = OutputFormat.table,
    primary: Annotated[
        str | None,
        typer.Option(help="The model whose forecast ranks the winners (default: the first)."),
    ] = None,
    actor: Annotated[
        list[str] | None,
        typer.Option(
            "--actor",
            "-a",
            help="Also show this actor's gain issue by issue (repeatable; an actor id).",
        ),
    ] = None,
    weights: Annotated[
        bool,
        typer.Option(
            "--weights",
            help="Also show who carries each forecast: each actor's share of capability x "
            "salience per issue.",
        ),
    ] = False,
    option: OptionList = None,
    seed: SeedOpt = 0,
    label: LabelOpt = None,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Forecast every issue of a scenario and say who wins."""
    s = load_scenario(scenario)
    options = parse_options(option)
    check_ids(scenario, actor, s.actor_ids, "actor")
    with recording(ctx, store, no_store) as record:
        try:
            result = forecast(s, model or None, primary=primary, options=options, seed=seed)
        except (StatecraftError, ValueError) as exc:
            raise fail(str(exc)) from None
        record(result)
        # printed under `with`: a run that could not be recorded still shows its results
        if fmt is OutputFormat.json:
            print_json(result.to_dict())
        elif fmt is OutputFormat.csv:
            print_forecast_csv(result)
        else:
            print_forecast(result, ref=scenario)
            if weights:
                new_console().print(weights_table(result))
            for actor_id in actor or ():
                new_console().print(actor_table(result, actor_id))


def rounds_cmd(
    scenario: ScenarioArg,
    issue: Annotated[
        list[str] | None,
        typer.Option("--issue", "-i", help="Only this issue (repeatable; an issue id)."),
    ] = None,
    fmt: AnyFormat = OutputFormat.table,
    option: OptionList = None,
) -> None:
    """Show the rounds of the model that bargains in rounds (the first registered one-issue
    model whose details have trajectories): every actor's position, round by round."""
    s = load_scenario(scenario)
    options = parse_options(option)
    check_ids(scenario, issue, s.issue_ids, "issue")
    try:
        result = forecast(s, options=options)
    except (StatecraftError, ValueError) as exc:
        raise fail(str(exc)) from None
    name = result.model_with(ROUNDS)
    if name is None:
        raise fail(f"{scenario}: no model that applies to it bargains in rounds")
    model = next(m for m in result.models if m.name == name)
    details = {k: v for k, v in result.details(name).items() if not issue or k in issue}
    if fmt is OutputFormat.json:
        print_json(
            {"scenario": s.name, "options": model.options}
            | {"issues": {k: v.to_dict() for k, v in details.items()}}
        )
        return
    frame = result.rounds(name)
    frame = frame[frame["issue"].isin(list(details))]
    if fmt is OutputFormat.csv:
        print_frame_csv(frame)
        return
    print_rounds(new_console(), s, details)
