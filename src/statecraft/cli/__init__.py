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

import importlib
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from statecraft import __version__

if TYPE_CHECKING:
    from statecraft.cli.render_forecast import print_forecast

__all__ = ["app", "main", "print_forecast"]

# Every command, in the order `statecraft --help` lists them: its module and the function (or
# the Typer group) there. A command's module, and what it imports (NumPy, pydantic, the
# engine), is imported only when that command runs or help lists it, so that the command
# line starts, and `statecraft --version` answers, without them (issue 19).
COMMANDS: dict[str, tuple[str, str]] = {
    "brief": ("statecraft.cli.brief", "brief_cmd"),
    "forecast": ("statecraft.cli.forecast", "forecast_cmd"),
    "rounds": ("statecraft.cli.forecast", "rounds_cmd"),
    "simulate": ("statecraft.cli.simulate", "simulate_cmd"),
    "risk": ("statecraft.cli.risk", "risk_cmd"),
    "compare": ("statecraft.cli.compare", "compare_cmd"),
    "sensitivity": ("statecraft.cli.sensitivity", "sensitivity_cmd"),
    "advise": ("statecraft.cli.advise", "advise_cmd"),
    "sweep": ("statecraft.cli.advise", "sweep_cmd"),
    "backtest": ("statecraft.cli.backtest", "backtest_cmd"),
    "timeline": ("statecraft.cli.timeline", "timeline_cmd"),
    "plot": ("statecraft.cli.plot", "plot_cmd"),
    "report": ("statecraft.cli.plot", "report_cmd"),
    "runs": ("statecraft.cli.runs", "runs_app"),
    "scenarios": ("statecraft.cli.models", "scenarios_cmd"),
    "models": ("statecraft.cli.models", "models_cmd"),
    "convert": ("statecraft.cli.convert", "convert_cmd"),
    "serve": ("statecraft.cli.serve", "serve_cmd"),
    "validate": ("statecraft.cli.convert", "validate_cmd"),
    "schema": ("statecraft.cli.convert", "schema_cmd"),
}


class _Commands(TyperGroup):
    """The top-level group: the commands of :data:`COMMANDS`, each built from its module
    the first time it is asked for."""

    # The context and command are typer's own click classes (typer vendors click), typed Any
    # here rather than through typer's private module.
    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.add_command(_build(cmd_name), cmd_name)
        return self.commands.get(cmd_name)


def _build(name: str) -> Any:
    module, attr = COMMANDS[name]
    target = getattr(importlib.import_module(module), attr)
    if isinstance(target, typer.Typer):
        return typer.main.get_group(target)
    one = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    one.command(name, help=_flowed(target.__doc__))(target)
    return typer.main.get_command(one)


def _flowed(doc: str | None) -> str | None:
    """A docstring as help text: each paragraph one line, so that the terminal wraps it (the
    docstring's own line breaks, at 100 columns of source, made ragged help)."""
    if not doc:
        return None
    import inspect

    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


app = typer.Typer(
    name="statecraft",
    cls=_Commands,
    help="Forecast multi-actor negotiations and conflicts with the bargaining models of "
    "political science, and say who wins them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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


def __getattr__(name: str) -> Any:
    # print_forecast (the forecast's tables), kept here for scripts such as
    # docs/make_images.py, imported when first read.
    if name == "print_forecast":
        from statecraft.cli.render_forecast import print_forecast

        return print_forecast
    raise AttributeError(f"module 'statecraft.cli' has no attribute {name!r}")


#: glibc's mallopt parameter M_TOP_PAD (malloc.h), and the bytes the command line keeps.
_M_TOP_PAD = -2
_TOP_PAD = 64 * 2**20


def _keep_freed_heap() -> None:
    """Ask glibc's allocator to keep 64 MiB of freed memory at the top of its heap instead
    of handing it back to the system at once. A Monte Carlo study frees and takes again
    arrays of several MiB every block; once numba is loaded, the allocator was seen handing
    them back after each block and faulting them in again (up to 700,000 page faults and
    1.4 s of system time in a million-draw study against 30,000 and 0.2 s). Peak memory is
    unchanged: only memory already used is kept. Elsewhere than glibc, nothing is done."""
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):  # not glibc (macOS, Windows, musl without it)
        return
    mallopt(_M_TOP_PAD, _TOP_PAD)


def main() -> None:
    """Entry point of the ``statecraft`` console script."""
    import atexit
    import gc

    from rich.console import Console

    from statecraft import StatecraftError

    # The cycle collector, by default run every 700 new objects, walks every live object at
    # each of its full passes: while the imports (numba's above all) make hundreds of
    # thousands, that came to 0.18 s of CPU in a `simulate` of the expected utility model.
    # Every 100,000 it came to 0.07 s; the arrays of a study hold no cycles to wait for.
    gc.set_threshold(100_000, 50, 100)
    # At exit the interpreter runs the cycle collector over every object left: half a second
    # of CPU after numba, to free memory the process is about to give back anyway. Frozen,
    # they are skipped. Files and the run store are closed by the commands themselves, and
    # the standard streams are flushed at exit as always.
    atexit.register(gc.freeze)
    _keep_freed_heap()

    try:
        app(prog_name="statecraft")
    except KeyboardInterrupt:
        Console(stderr=True).print("interrupted")
        sys.exit(130)
    except StatecraftError as exc:  # a command that did not catch its own: still one line
        from statecraft.cli.util import fail

        raise SystemExit(fail(str(exc)).exit_code) from None
    except MemoryError:
        from statecraft.cli.util import fail

        fail(
            "this machine ran out of memory: use fewer draws, actors or issues, or set "
            "STATECRAFT_MEMORY so that the computation is refused before it starts"
        )
        sys.exit(1)
