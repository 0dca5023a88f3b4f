"""``statecraft scenarios`` and ``statecraft models``: what ships with Statecraft."""

from __future__ import annotations

from rich.table import Table

from statecraft import available_models, builtin_names, load
from statecraft.api import builtin_patches
from statecraft.cli.util import new_console


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
    new_console().print(table)


def models_cmd() -> None:
    """List the models, with their sources."""
    table = Table(title="Models", title_justify="left")
    table.add_column("Name", style="bold")
    table.add_column("Model")
    table.add_column("Source", style="dim")
    table.add_column("Options", style="dim")
    for name, cls in available_models().items():
        defaults = ", ".join(f"{k}={v}" for k, v in cls().options.items()) or "–"
        table.add_row(name, cls.title, cls.citation, defaults)
    new_console().print(table)
