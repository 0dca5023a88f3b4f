"""``statecraft sensitivity``: which uncertain numbers move each forecast most."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from statecraft import StatecraftError, one_at_a_time, sobol_indices
from statecraft.cli.options import (
    DEFAULT_MODEL,
    LabelOpt,
    ModelOpt,
    NoStoreOpt,
    OptionList,
    OutputFormat,
    PerturbOpt,
    ScenarioArg,
    SeedOpt,
    StoreOpt,
    TableOrJson,
    check_ids,
    parse_options,
    table_or_json,
    with_perturbation,
)
from statecraft.cli.record import recording
from statecraft.cli.render import print_json
from statecraft.cli.render_analysis import print_sensitivity
from statecraft.cli.util import fail, load_scenario


class Method(StrEnum):
    oat = "oat"
    sobol = "sobol"
    both = "both"


def sensitivity_cmd(
    ctx: typer.Context,
    scenario: ScenarioArg,
    model: ModelOpt = DEFAULT_MODEL,
    method: Annotated[
        Method, typer.Option(help="oat (one at a time, a tornado), sobol, or both.")
    ] = Method.oat,
    samples: Annotated[
        int, typer.Option(help="Sobol base sample size N, a power of two.", min=2)
    ] = 1024,
    seed: SeedOpt = 0,
    perturb: PerturbOpt = None,
    issue: Annotated[
        list[str] | None, typer.Option("--issue", "-i", help="Only this issue (repeatable).")
    ] = None,
    top: Annotated[int, typer.Option(help="Show the top inputs of each issue.", min=1)] = 10,
    zeros: Annotated[
        bool, typer.Option("--zeros", help="Also list the inputs that move a forecast not at all.")
    ] = False,
    fmt: TableOrJson = OutputFormat.table,
    option: OptionList = None,
    label: LabelOpt = None,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Rank the uncertain numbers by how much they move each forecast."""
    s = with_perturbation(load_scenario(scenario), perturb)
    options = parse_options(option)
    table_or_json(fmt, "sensitivity")
    check_ids(scenario, issue, s.issue_ids, "issue")
    with recording(ctx, store, no_store) as record:
        try:
            oat = one_at_a_time(s, model, options=options) if method != Method.sobol else None
            sob = (
                sobol_indices(s, model, samples=samples, seed=seed, options=options)
                if method != Method.oat
                else None
            )
        except (StatecraftError, ValueError, RuntimeError) as exc:
            raise fail(str(exc)) from None
        first = oat or sob
        assert first is not None
        if not first.inputs:
            raise fail(
                f"{scenario}: the scenario has no uncertain numbers: give numbers a range "
                "({value, low, high}) or use --perturb"
            )
        record(
            oat.merged(sob) if oat and sob else first,
            parameters={"method": method.value, "perturb": perturb, "options": options},
        )
        # printed under `with`: a run that could not be recorded still shows its results
        if fmt is OutputFormat.json:
            print_json(
                {
                    "oat": oat.to_dict(issue, top, zeros) if oat else None,
                    "sobol": sob.to_dict(issue, top) if sob else None,
                }
            )
            return
        print_sensitivity(s, oat, sob, model, issue, top, zeros)
