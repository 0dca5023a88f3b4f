"""``statecraft sensitivity``: which uncertain numbers move each forecast most."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from statecraft import StatecraftError, one_at_a_time, sobol_indices
from statecraft.cli.options import (
    DEFAULT_MODEL,
    ModelOpt,
    OptionList,
    OutputFormat,
    PerturbOpt,
    ScenarioArg,
    SeedOpt,
    TableOrJson,
    check_ids,
    parse_options,
    table_or_json,
    with_perturbation,
)
from statecraft.cli.render import print_json
from statecraft.cli.render_analysis import print_sensitivity
from statecraft.cli.util import fail, load_scenario


class Method(StrEnum):
    oat = "oat"
    sobol = "sobol"
    both = "both"


def sensitivity_cmd(
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
    fmt: TableOrJson = OutputFormat.table,
    option: OptionList = None,
) -> None:
    """Rank the uncertain numbers by how much they move each forecast."""
    s = with_perturbation(load_scenario(scenario), perturb)
    options = parse_options(option)
    table_or_json(fmt, "sensitivity")
    check_ids(scenario, issue, s.issue_ids, "issue")
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
    if fmt is OutputFormat.json:
        print_json(
            {
                "oat": oat.to_dict(issue, top) if oat else None,
                "sobol": sob.to_dict(issue, top) if sob else None,
            }
        )
        return
    print_sensitivity(s, oat, sob, model, issue, top)
