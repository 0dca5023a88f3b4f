"""The ``statecraft`` command line: a thin layer over the public API.

Every bad input ends with one message on standard error and exit status 2, never a
traceback.

This module builds the app and registers the commands, each defined in a module of its own
(``forecast``, ``simulate``, ``compare``, ...); the options they share are in ``options``,
the tables and JSON they print in ``render`` and the ``render_*`` modules. The command line
imports Statecraft only through ``statecraft`` and ``statecraft.api``, and ``serve`` the web
app's ``statecraft.web``; ``make lint`` checks it (docs/contributing/architecture.md).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from statecraft import StatecraftError, __version__
from statecraft.cli.advise import advise_cmd, sweep_cmd
from statecraft.cli.backtest import backtest_cmd
from statecraft.cli.brief import brief_cmd
from statecraft.cli.compare import compare_cmd
from statecraft.cli.convert import convert_cmd, schema_cmd, validate_cmd
from statecraft.cli.forecast import forecast_cmd, rounds_cmd
from statecraft.cli.models import models_cmd, scenarios_cmd
from statecraft.cli.plot import plot_cmd, report_cmd
from statecraft.cli.render_forecast import print_forecast
from statecraft.cli.risk import risk_cmd
from statecraft.cli.runs import runs_app
from statecraft.cli.sensitivity import sensitivity_cmd
from statecraft.cli.serve import serve_cmd
from statecraft.cli.simulate import simulate_cmd
from statecraft.cli.timeline import timeline_cmd
from statecraft.cli.util import fail

__all__ = ["app", "main", "print_forecast"]

app = typer.Typer(
    name="statecraft",
    help="Forecast multi-actor negotiations and conflicts with the bargaining models of "
    "political science, and say who wins them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(runs_app, name="runs")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"statecraft {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Statecraft: forecasts of negotiations and conflicts."""


# In the order `statecraft --help` lists them.
app.command("brief")(brief_cmd)
app.command("forecast")(forecast_cmd)
app.command("rounds")(rounds_cmd)
app.command("simulate")(simulate_cmd)
app.command("risk")(risk_cmd)
app.command("compare")(compare_cmd)
app.command("sensitivity")(sensitivity_cmd)
app.command("advise")(advise_cmd)
app.command("sweep")(sweep_cmd)
app.command("backtest")(backtest_cmd)
app.command("timeline")(timeline_cmd)
app.command("plot")(plot_cmd)
app.command("report")(report_cmd)
app.command("scenarios")(scenarios_cmd)
app.command("models")(models_cmd)
app.command("convert")(convert_cmd)
app.command("serve")(serve_cmd)
app.command("validate")(validate_cmd)
app.command("schema")(schema_cmd)


def main() -> None:
    """Entry point of the ``statecraft`` console script."""
    try:
        app(prog_name="statecraft")
    except KeyboardInterrupt:
        Console(stderr=True).print("interrupted")
        sys.exit(130)
    except StatecraftError as exc:  # a command that did not catch its own: still one line
        raise SystemExit(fail(str(exc)).exit_code) from None
    except MemoryError:
        fail(
            "this machine ran out of memory: use fewer draws, actors or issues, or set "
            "STATECRAFT_MEMORY so that the computation is refused before it starts"
        )
        sys.exit(1)
