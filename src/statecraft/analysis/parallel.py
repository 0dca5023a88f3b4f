"""Running the blocks of a study: in this process (on one thread or several), in local
worker processes, or on Dask.

Blocks are pure (the same arguments give the same summary anywhere) and their summaries
merge exactly, so a study gives byte-identical results however its blocks are spread.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from statecraft._threads import usable_cpus
from statecraft.models import Model
from statecraft.scenario import Scenario

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = ["execute", "usable_cpus"]

S = TypeVar("S")
BlockFn = Callable[..., S]


def execute(
    run_block: BlockFn[S],
    scenario: Scenario,
    models: Sequence[Model],
    seed: int,
    blocks: Iterator[tuple[int, int]],
    workers: int = 1,
    dask: str | Any | None = None,
    threads: int = 1,
) -> Iterable[S]:
    """Yield block summaries (in any order: merging is exact).

    With several processes or Dask, at most ``2 x workers`` blocks are in flight at once,
    so memory stays bounded however many draws a study has. Local processes are at most
    the CPUs this process may use (:func:`usable_cpus`) and the study's blocks. In this
    process (one worker), ``threads`` > 1 runs that many blocks at once on threads (NumPy
    and the compiled draws let go of the GIL), never more blocks in flight than threads.
    """
    if dask is not None:
        yield from _execute_dask(run_block, scenario, models, seed, blocks, dask)
        return
    # No more processes than the machine has CPUs or the study has blocks: each process
    # costs a Python interpreter's memory, and --workers 100000 must not start 100,000.
    ahead = list(itertools.islice(blocks, min(workers, usable_cpus())))
    blocks = itertools.chain(ahead, blocks)
    workers = max(1, len(ahead))
    if workers == 1 and threads > 1:
        from concurrent.futures import ThreadPoolExecutor

        pool: Executor = ThreadPoolExecutor(threads, thread_name_prefix="statecraft-block")
        yield from _windowed(pool, run_block, (scenario, list(models)), seed, blocks, threads)
        return
    if workers == 1:
        for k, size in blocks:
            yield run_block(scenario, models, {}, seed, k, size)
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)
    text = scenario.model_dump_json()
    yield from _windowed(pool, run_block, (text, list(models)), seed, blocks, 2 * workers)


def _windowed(
    pool: Executor,
    run_block: BlockFn[S],
    study: tuple[Any, list[Any]],
    seed: int,
    blocks: Iterator[tuple[int, int]],
    window: int,
) -> Iterable[S]:
    """The blocks on ``pool``, at most ``window`` in flight, yielded as they finish; the
    pool is shut down at the end or on any stop (Ctrl-C), its queued blocks dropped."""
    from concurrent.futures import FIRST_COMPLETED, Future, wait

    pending: set[Future[S]] = set()
    try:
        for k, size in blocks:
            if len(pending) >= window:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
            pending.add(pool.submit(run_block, *study, {}, seed, k, size))
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        # On Ctrl-C (or any stop) drop the queued blocks instead of running them out.
        pool.shutdown(wait=True, cancel_futures=True)


def _ignore_interrupts() -> None:
    """In worker processes: leave Ctrl-C to the parent, which stops the study cleanly; and
    run the expected utility round on one thread (each worker is one of the CPUs already)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["STATECRAFT_THREADS"] = "1"


def _execute_dask(
    run_block: BlockFn[S],
    scenario: Scenario,
    models: Sequence[Model],
    seed: int,
    blocks: Iterator[tuple[int, int]],
    dask: str | Any,
) -> Iterable[S]:
    try:
        from dask.distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise RuntimeError(
            "running on Dask needs the dask extra: pip install 'statecraft[dask]'"
        ) from exc
    text = scenario.model_dump_json()
    if isinstance(dask, Client):
        client = dask
    else:
        try:
            client = Client(dask, timeout="10s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as exc:
            raise RuntimeError(f"cannot reach the Dask scheduler at {dask!r}: {exc}") from None
    try:
        window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
        first = [
            client.submit(run_block, text, list(models), {}, seed, k, size, pure=True)
            for k, size in itertools.islice(blocks, window)
        ]
        queue = as_completed(first)  # type: ignore[no-untyped-call]
        for future in queue:
            summary = future.result()
            future.release()
            nxt = next(blocks, None)
            if nxt is not None:
                queue.add(  # type: ignore[no-untyped-call]
                    client.submit(run_block, text, list(models), {}, seed, *nxt, pure=True)
                )
            yield summary
    finally:
        if client is not dask:
            client.close()  # type: ignore[no-untyped-call]
