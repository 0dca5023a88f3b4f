"""What the commands of the ``statecraft`` command line share: consoles, errors, formats."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.text import Text

EXIT_BAD_INPUT = 2


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _console() -> Console:
    # markup=False: names, labels and titles are the user's text, never rich markup.
    console = Console(highlight=False, soft_wrap=False, markup=False)
    if not console.is_terminal:
        # Piped or captured output has no width to read: use one that fits the tables.
        console = Console(
            highlight=False, soft_wrap=False, markup=False, width=max(console.width, 120)
        )
    return console


def _progress_bar(*columns: Any) -> Any:
    """A progress bar on standard error that vanishes when done; off when not a terminal."""
    from rich.progress import Progress

    err = Console(stderr=True, markup=False)
    return Progress(*columns, console=err, transient=True, disable=not err.is_terminal)


def _fail(message: str) -> typer.Exit:
    Console(stderr=True, highlight=False, soft_wrap=True, markup=False).print(
        Text(f"error: {message}", style="red")
    )
    return typer.Exit(EXIT_BAD_INPUT)


def _emit(text: str, output: str | None) -> bool:
    """Write text to the file ``output``, or to standard output when it is None or ``-``;
    True when a file was written. A file that cannot be written ends the command."""
    if output is None or output == "-":
        sys.stdout.write(text)
        return False
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {output!r}: {exc.strerror or exc}") from None
    return True
