"""Recording a command's run in the run store (``--store``, ``--no-store``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from statecraft.cli.util import fail, note

# The arguments that say where to record, not what was run: never kept with a run (a
# database URL may hold a password).
_NOT_KEPT = ("store", "no_store")


@contextmanager
def recording(ctx: typer.Context, store: str | None, no_store: bool) -> Iterator[Any]:
    """Open the run store for a command, yield a function that records a result, close.

    The store (named with --store or STATECRAFT_STORE, or the default one) is opened and
    written to before anything runs: one that cannot record a run (it cannot be made, is
    damaged, read-only, of a newer schema, on a full disk) ends the command there, status 2,
    with a message that names it and --no-store. A run that cannot be recorded after all
    (the disk filled while it ran, say) keeps its results: the command prints them (the
    block under ``with`` prints), then the error, and ends with status 2. The function
    returns the run id, or None with --no-store."""
    opened = None
    if not no_store:
        # imported only for a run that is recorded: --no-store never loads the store
        from statecraft import open_store
        from statecraft.api import StoreError, default_location

        try:
            opened = open_store(store or default_location())
        except StoreError as exc:
            raise fail(f"{exc} (or give --no-store)") from None
        try:
            opened.check_writable()
        except StoreError as exc:
            opened.close()
            raise fail(f"{exc} (or give --no-store)") from None
    started = time.perf_counter()
    failed: list[str] = []

    def record(result: Any, **how: Any) -> str | None:
        if opened is None:
            return None
        from statecraft.api import StoreError

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
            failed.append(str(exc))
            return None
        if Console(stderr=True).is_terminal:
            note(f"recorded as run {run_id} in {opened.location}")
        return run_id

    def not_recorded() -> typer.Exit:
        return fail(f"this run is not recorded: {failed[0]} (its results are above; --no-store)")

    try:
        yield record
    except BaseException:
        if failed:
            not_recorded()  # said; the exit already under way (e.g. 130) stands
        raise
    finally:
        if opened is not None:
            opened.close()
    if failed:
        raise not_recorded()
