"""The options and arguments that the commands share, and the checks of what they were given."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from statecraft import Scenario, default_model
from statecraft.api import SEED_MAX, check_seed
from statecraft.cli.util import fail

#: The model a command runs when none is named: the first registered one.
DEFAULT_MODEL = default_model()


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


ScenarioArg = Annotated[str, typer.Argument(help="A built-in scenario's name or a file path.")]
ModelOpt = Annotated[str, typer.Option("--model", "-m", help="The model to run.")]


def _seed(value: int) -> int:
    """A seed the run store can keep, 0 to 2**63 - 1; else the option's error (status 2)."""
    try:
        return check_seed(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


SeedOpt = Annotated[
    int,
    typer.Option(
        "--seed",
        "-s",
        help=f"The random seed, 0 to {SEED_MAX}: of the draws, and of the models that draw.",
        callback=_seed,
    ),
]
MemoryOpt = Annotated[
    str | None,
    typer.Option(
        "--memory",
        help="Memory budget of the Monte Carlo draws, e.g. 256M or 2GiB (default 512M): "
        "blocks and chunks of draws are sized from it; a smaller block gives other draws "
        "(docs/performance.md).",
        metavar="SIZE",
    ),
]
AdviseMemoryOpt = Annotated[
    str | None,
    typer.Option(
        "--memory",
        help="Memory budget, e.g. 256M or 2GiB (default 512M): the model runs in chunks "
        "sized from it (the same numbers at any budget); robustness over more --draws "
        "than it holds is refused, naming the smallest that works (docs/advise.md).",
        metavar="SIZE",
    ),
]
PerturbOpt = Annotated[
    float | None,
    typer.Option(help="Give every number without a range of its own a relative one, e.g. 0.1."),
]
# The metavar names only what the command prints; a csv given anyway is refused by name
# (table_or_json), since the choice itself is the shared OutputFormat.
TableOrJson = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="table or json.", metavar="<table|json>"),
]
AnyFormat = Annotated[OutputFormat, typer.Option("--format", "-f", help="table, json or csv.")]

OptionList = Annotated[
    list[str] | None,
    typer.Option(
        "--option",
        "-o",
        help="A model option as NAME=VALUE (repeatable), e.g. -o rounds=10 -o probability=pair; "
        "see `statecraft models`.",
    ),
]

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="STATECRAFT_STORE",
        help="The run store: a SQLite file or a database URL (default: runs.sqlite in the "
        "user's data folder; env STATECRAFT_STORE).",
        show_default=False,
    ),
]


def _label(value: str | None) -> str | None:
    if value is None:
        return None
    from statecraft.api import StoreError, check_label

    try:
        return check_label(value)
    except StoreError as exc:  # one line, as every other bad input (not a usage box)
        raise fail(f"--label: {exc}") from None


LabelOpt = Annotated[
    str | None,
    typer.Option(
        "--label",
        help="A few words to find this run by: kept with it and shown by `statecraft runs list`.",
        callback=_label,
        show_default=False,
    ),
]
NoStoreOpt = Annotated[
    bool,
    typer.Option(
        "--no-store",
        envvar="STATECRAFT_NO_STORE",
        help="Do not record this run in the run store (env STATECRAFT_NO_STORE=1).",
    ),
]


def parse_value(text: str) -> object:
    """An option's value: a boolean, an integer, a number, or else the text."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text.strip()


def parse_options(pairs: list[str] | None) -> dict[str, object]:
    """The model options given with ``-o NAME=VALUE``, by name (``-`` read as ``_``)."""
    options: dict[str, object] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise fail(f"an option is NAME=VALUE, e.g. rounds=10 (got {pair!r})")
        options[name.strip().replace("-", "_")] = parse_value(value)
    return options


def table_or_json(fmt: OutputFormat, command: str) -> None:
    """Refuse csv for a command that prints only a table or json."""
    if fmt is OutputFormat.csv:
        raise fail(f"{command} prints a table or json")


def check_ids(source: str, given: list[str] | None, known: tuple[str, ...], what: str) -> None:
    """Refuse an id given to --actor or --issue that the scenario does not have."""
    for item in given or ():
        if item not in known:
            raise fail(
                f"{source}: unknown {what} id {item!r} given to --{what}; "
                f"the {what}s are: {', '.join(known)}"
            )


def with_perturbation(s: Scenario, perturb: float | None) -> Scenario:
    """The scenario with the relative range given to --perturb (checked), or as it is."""
    if perturb is None:
        return s
    if not 0 < perturb <= 1:
        raise fail(f"--perturb must lie between 0 (excluded) and 1 (got {perturb})")
    return s.with_perturbation(perturb)
