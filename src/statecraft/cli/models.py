"""``statecraft scenarios`` and ``statecraft models``: what ships with Statecraft."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from statecraft import available_models, builtin_names, load, load_timeline
from statecraft.api import builtin_patches, builtin_timelines, option_rows
from statecraft.cli.util import fail, new_console


def scenarios_cmd() -> None:
    """List the built-in scenarios."""
    table = Table(title="Built-in scenarios", title_justify="left")
    table.add_column("Name", style="bold")
    table.add_column("Title")
    table.add_column("Actors", justify="right")
    table.add_column("Issues", justify="right")
    table.add_column("Counterfactual patches")
    for name in builtin_names():
        s = load(name)
        table.add_row(
            name,
            s.title or "",
            str(len(s.actors)),
            str(len(s.issues)),
            ", ".join(builtin_patches(name)) or "–",
        )
    if not all(builtin_patches(name) for name in builtin_names()):
        table.caption = "– = the scenario has no built-in counterfactual patch."
    console = new_console()
    console.print(table)
    timelines = Table(
        title="Built-in timelines (statecraft timeline NAME, statecraft report NAME)",
        title_justify="left",
    )
    timelines.add_column("Name", style="bold")
    timelines.add_column("Title")
    timelines.add_column("Base")
    timelines.add_column("Snapshots", justify="right")
    for name in builtin_timelines():
        t = load_timeline(name)
        timelines.add_row(name, t.title or "", t.base.scenario, str(len(t.snapshots)))
    if timelines.row_count:
        console.print(timelines)


def models_cmd(
    name: Annotated[
        str | None, typer.Argument(help="A model's name: list its options in full.")
    ] = None,
) -> None:
    """List the models, with their sources and options (one model's options in full)."""
    models = available_models()
    if name is not None:
        if name not in models:
            raise fail(f"unknown model {name!r}; the models are: {', '.join(models)}")
        cls = models[name]
        table = Table(title=f"{cls.title}: options (-o NAME=VALUE)", title_justify="left")
        table.add_column("Option", style="bold")
        table.add_column("Allowed")
        table.add_column("Default")
        table.add_column("What it does", style="dim")
        for row in option_rows(cls.Options):
            default = row["default"]
            shown = str(default).lower() if isinstance(default, bool) else str(default)
            table.add_row(row["option"], row["allowed"], shown, row["description"])
        if not cls.option_names():
            table.caption = "The model has no options."
        new_console().print(table)
        return
    table = Table(title="Models", title_justify="left")
    table.add_column("Name", style="bold")
    table.add_column("Model")
    table.add_column("Source", style="dim")
    table.add_column("Options", style="dim")
    for model, cls in models.items():
        defaults = ", ".join(f"{k}={v}" for k, v in cls().options.items()) or "–"
        table.add_row(model, cls.title, cls.citation, defaults)
    table.caption = "statecraft models NAME lists a model's options in full." + (
        "\n– = the model has no options."
        if any(not cls.option_names() for cls in models.values())
        else ""
    )
    new_console().print(table)
