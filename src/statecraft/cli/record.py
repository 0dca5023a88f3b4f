"""Recording a command's run in the run store (``--store``, ``--no-store``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from statecraft import open_store
from statecraft.api import StoreError, default_location
from statecraft.cli.util import fail, note

# The arguments that say where to record, not what was run: never kept with a run (a
# database URL may hold a password).
_NOT_KEPT = ("store", "no_store")


@contextmanager
def recording(ctx: typer.Context, store: str | None, no_store: bool) -> Iterator[Any]:
    """Open the run store for a command, yield a function that records a result, close.

    A store named with --store or STATECRAFT_STORE that cannot be opened is an error,
    before anything runs; the default store is best effort: a note, and the command goes
    on without it. The function returns the run id, or None when nothing was recorded."""
    opened = None
    if not no_store:
        try:
            opened = open_store(store or default_location())
        except StoreError as exc:
            if store:
                raise fail(f"{exc} (or give --no-store)") from None
            note(f"note: this run is not recorded: {exc}; give --store PATH or --no-store")
    started = time.perf_counter()

    def record(result: Any, **how: Any) -> str | None:
        if opened is None:
            return None
        arguments = {
            k: (str(v) if isinstance(v, Path) else v)
            for k, v in ctx.params.items()
            if k not in _NOT_KEPT
        }
        try:
            run_id = opened.save(
                result, arguments=arguments, elapsed=time.perf_counter() - started, **how
            )
        except StoreError as exc:
            note(f"note: this run is not recorded: {exc}")
            return None
        if Console(stderr=True).is_terminal:
            note(f"recorded as run {run_id} in {opened.location}")
        return run_id

    try:
        yield record
    finally:
        if opened is not None:
            opened.close()
