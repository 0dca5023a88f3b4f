"""What the commands of the ``statecraft`` command line share: consoles, errors, files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.text import Text

from statecraft import Scenario, StatecraftError, load

EXIT_BAD_INPUT = 2


def new_console() -> Console:
    """A console on standard output for the tables."""
    # markup=False, emoji=False: names, labels and titles are the user's text, never rich
    # markup nor emoji codes (an input x:a:position is not x🅰position).
    console = Console(highlight=False, soft_wrap=False, markup=False, emoji=False)
    if not console.is_terminal:
        # Piped or captured output has no width to read: use one that fits the tables.
        console = Console(
            highlight=False,
            soft_wrap=False,
            markup=False,
            emoji=False,
            width=max(console.width, 120),
        )
    return console


def progress_bar(*columns: Any) -> Any:
    """A progress bar on standard error that vanishes when done; off when not a terminal."""
    from rich.progress import Progress

    err = Console(stderr=True, markup=False)
    return Progress(*columns, console=err, transient=True, disable=not err.is_terminal)


def draws_bar(doing: str) -> Any:
    """The progress bar of a study: ``doing``, the bar, draws done of all, time left."""
    from rich.progress import BarColumn, TextColumn, TimeRemainingColumn

    return progress_bar(
        TextColumn(doing),
        BarColumn(),
        TextColumn("{task.completed:,.0f}/{task.total:,.0f} draws"),
        TimeRemainingColumn(),
    )


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` on standard error; the exit (status 2) for the caller to
    raise."""
    Console(stderr=True, highlight=False, soft_wrap=True, markup=False).print(
        Text(f"error: {message}", style="red")
    )
    return typer.Exit(EXIT_BAD_INPUT)


def note(message: str) -> None:
    """A dim line on standard error."""
    err = Console(stderr=True, markup=False, emoji=False, highlight=False, soft_wrap=True)
    err.print(Text(message, style="dim"))


def emit(text: str, output: str | None) -> bool:
    """Write text to the file ``output``, or to standard output when it is None or ``-``;
    True when a file was written. A file that cannot be written ends the command."""
    if output is None or output == "-":
        sys.stdout.write(text)
        return False
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {output!r}: {exc.strerror or exc}") from None
    return True


def load_scenario(source: str) -> Scenario:
    """A scenario from a built-in name or a file, or a timeline's snapshot named
    ``TIMELINE@SNAPSHOT`` (as a timeline's flags name it); a bad one ends the command."""
    try:
        if "@" in source and not Path(source).exists():
            from statecraft.api import snapshot_scenario

            return snapshot_scenario(source)
        return load(source)
    except StatecraftError as exc:
        raise fail(str(exc)) from None


def memory_budget(text: str | None) -> int:
    """The bytes of a ``--memory`` option (default: the study's default budget), or the
    exit with the reason (:func:`~statecraft.analysis.kernel.parse_memory`)."""
    from statecraft.api import parse_memory

    try:
        return parse_memory(text, "--memory")
    except ValueError as exc:
        raise fail(str(exc)) from None
