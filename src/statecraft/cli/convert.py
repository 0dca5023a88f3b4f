"""``statecraft convert``, ``validate`` and ``schema``: scenario files and their formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from statecraft import Format, Scenario, StatecraftError, dumps, load
from statecraft.api import SUFFIXES, losses
from statecraft.cli.render import count
from statecraft.cli.util import emit, fail, load_scenario


def convert_cmd(
    source: Annotated[str, typer.Argument(help="A scenario file, or a built-in scenario's name.")],
    output: Annotated[str, typer.Argument(help="The file to write, or - for standard output.")],
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="The input's format, when its content does not say: yaml, json, csv, ktab, "
            "decide.",
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="The output's format (default: from its suffix, .yaml .json or .csv): yaml, "
            "json, csv, ktab, decide.",
        ),
    ] = None,
) -> None:
    """Convert a scenario between formats: Statecraft's YAML, JSON and CSV table, KTAB's CSV,
    and the decide exchange model's input. What the output cannot hold is listed."""
    try:
        s = load(source, fmt=from_)
        if to is not None:
            fmt = Format(to) if to in {f.value for f in Format} else None
            if fmt is None:
                raise ValueError(
                    f"unknown format {to!r} for --to; the formats are: "
                    + ", ".join(f.value for f in Format)
                )
        elif Path(output).suffix.lower() in SUFFIXES:
            fmt = SUFFIXES[Path(output).suffix.lower()]
        else:
            raise ValueError(
                f"cannot tell the output's format from {output!r}: give --to "
                "(yaml, json, csv, ktab or decide)"
            )
        text = dumps(s, fmt)
        lost = losses(s, fmt)
    except (StatecraftError, ValueError) as exc:
        raise fail(str(exc)) from None
    err = Console(stderr=True, markup=False, emoji=False, highlight=False, soft_wrap=True)
    if lost:
        err.print(f"note: the {fmt.value} format cannot hold all of {s.name}; left out or changed:")
        for line in lost:
            err.print(f"  - {line}")
    if emit(text, output):
        err.print(f"wrote {output} ({fmt.value})")


def validate_cmd(
    file: Annotated[str, typer.Argument(help="A scenario file (YAML, JSON or CSV table).")],
) -> None:
    """Check a scenario file; print what it holds, or the first problem."""
    s = load_scenario(file)
    typer.echo(f"ok: {s.name}: {count(len(s.actors), 'actor')}, {count(len(s.issues), 'issue')}")


def schema_cmd() -> None:
    """Print the JSON Schema of the native scenario format."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Statecraft scenario"
    typer.echo(json.dumps(schema, indent=2))
