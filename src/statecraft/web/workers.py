"""The web app's worker processes: every computation runs in one, within its limits.

A :class:`Pool` holds at most ``size`` worker processes, started when first needed and kept
for the next job. A job is a module-level function and its arguments (pickled to the
worker, its value pickled back). Each job has a wall-clock limit, and each worker a memory
limit (``RLIMIT_AS``, set by the worker when it starts; a ``MemoryError`` in a job counts as
running past it). A worker that runs past a limit, or whose job is cancelled, is stopped
(SIGTERM, then SIGKILL after a second) and its slot is free at once; the next job starts a
new worker. Workers are forked from a server process that has already imported Statecraft
(the ``forkserver`` start method, where the platform has it), so a new one is ready in
tens of milliseconds rather than the second a fresh interpreter needs.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
from types import MappingProxyType
from typing import Any

__all__ = ["Busy", "Died", "Lease", "Overrun", "Pool", "Refused", "Stopped", "gib"]

log = logging.getLogger("statecraft.web")

#: Variables that keep each worker's numerical libraries to one thread: the pool is the
#: parallelism, and a thread pool per worker would reserve address space under its limit.
ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
GRACE = 1.0  # seconds between SIGTERM and SIGKILL


def _proxy(data: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(data)


def _reduce_proxy(m: MappingProxyType[str, Any]) -> tuple[Any, tuple[dict[str, Any]]]:
    return _proxy, (dict(m),)


# A scenario's actors keep their stances in a read-only mapping, which pickle cannot copy
# by itself; between the server and its workers it travels as a dict.
ForkingPickler.register(MappingProxyType, _reduce_proxy)


def gib(n: float) -> str:
    """A number of bytes in words: '2 GiB', '512 MiB'."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{int(n)} bytes"


class Busy(Exception):
    """Every worker of the pool is busy."""


class Overrun(Exception):
    """A job ran past a limit: ``kind`` is "time" or "memory"."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Refused(Exception):
    """A job refused its input: a status and a :class:`~statecraft.web.schemas.Problem`."""

    def __init__(self, status: int, detail: dict[str, Any]) -> None:
        super().__init__(detail.get("error"))
        self.status = status
        self.detail = detail


class Died(Exception):
    """A worker stopped without an answer, or its job failed unexpectedly."""


class Stopped(Exception):
    """The job was cancelled, or the server is stopping."""


def _worker_main(conn: Connection, memory: int | None) -> None:
    """A worker: set the memory limit, then run jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    if memory is not None:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    from statecraft.web.schemas import problem_detail

    while True:
        try:
            fn, args, kwargs, progress = conn.recv()
        except (EOFError, OSError):
            return
        except MemoryError:  # the job itself (a scenario's arrays) past the limit
            with suppress(Exception):
                conn.send(("memory", None))
            return
        if progress:
            kwargs = {**kwargs, "progress": lambda done, total: conn.send(("progress", done))}
        try:
            conn.send(("ok", fn(*args, **kwargs)))
        except MemoryError:
            with suppress(Exception):
                conn.send(("memory", None))
            return  # a new worker takes this one's place
        except Refused as exc:
            conn.send(("refused", (exc.status, exc.detail)))
        except Exception as exc:  # the job's own refusals; anything else is a fault
            from statecraft import StatecraftError

            if isinstance(exc, StatecraftError | ValueError):
                conn.send(("refused", (422, problem_detail(exc))))
            else:
                conn.send(("crash", traceback.format_exc()))


def _said_memory(worker: _Worker) -> bool:
    """Whether a worker that broke the pipe said first that a job was past its limit."""
    with suppress(Exception):
        if worker.conn.poll(1):
            return bool(worker.conn.recv()[0] == "memory")
    return False


class _Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, ctx: Any, memory: int | None) -> None:
        self.conn, theirs = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(theirs, memory), daemon=True)
        self.process.start()
        theirs.close()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it is still there after :data:`GRACE` seconds."""
        with suppress(Exception):
            self.process.terminate()
            self.process.join(GRACE)
            if self.process.is_alive():
                self.process.kill()
                self.process.join(GRACE)
        with suppress(Exception):
            self.conn.close()


@dataclass
class Lease:
    """A slot of the pool: run one job after another in it (:meth:`run`), cancel one from
    another thread (:meth:`cancel`)."""

    pool: Pool
    worker: _Worker | None = None
    cancelled: bool = False

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        seconds: float,
        what: str,
        progress: Callable[[int], None] | None = None,
        **kwargs: Any,
    ) -> Any:
        """``fn(*args, **kwargs)`` in a worker, within ``seconds``; with ``progress``, the
        job gets a ``progress(done, total)`` whose ``done`` is passed on here.

        Raises :class:`Overrun` past a limit (naming ``what`` ran past it), :class:`Refused`
        for the job's refusals, :class:`Stopped` when cancelled, :class:`Died` otherwise."""
        worker = self.worker = self.worker or self.pool.start()
        deadline = time.monotonic() + seconds  # from when the worker is there
        if self.cancelled or self.pool.closed:
            raise Stopped("the server is stopping" if self.pool.closed else "cancelled")
        try:
            worker.conn.send((fn, args, kwargs, progress is not None))
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not wait([worker.conn, worker.process.sentinel], left):
                    self.drop()
                    raise Overrun(
                        "time", f"the {what} ran past this server's limit of {seconds:g} s"
                    )
                kind, value = worker.conn.recv()
                if kind != "progress":
                    break
                if progress is not None:
                    progress(value)
        except (EOFError, OSError, BrokenPipeError):
            if _said_memory(worker):  # it stopped reading a job too big for its limit
                self.drop()
                raise self._memory(what) from None
            self.drop()
            if self.cancelled or self.pool.closed:
                raise Stopped(
                    "the server is stopping" if self.pool.closed else "cancelled"
                ) from None
            code = worker.process.exitcode
            raise Died(f"its worker process stopped (exit code {code})") from None
        if kind == "ok":
            return value
        if kind == "refused":
            raise Refused(*value)
        self.drop()
        if kind == "memory":
            raise self._memory(what)
        log.error("a %s failed in its worker:\n%s", what, value)
        raise Died(f"the {what} failed")

    def _memory(self, what: str) -> Overrun:
        limit = gib(self.pool.memory or 0)
        return Overrun("memory", f"the {what} ran past this server's memory limit of {limit}")

    def cancel(self) -> None:
        """Stop the job running in this slot (from another thread): it raises Stopped."""
        self.cancelled = True
        worker = self.worker
        if worker is not None:
            worker.stop()

    def drop(self) -> None:
        """Stop this slot's worker; the next job starts a new one."""
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop()
            self.pool.forget(worker)


class Pool:
    """At most ``size`` worker processes, each limited to ``memory`` bytes of address space
    (None: no limit); started when first needed, kept while idle."""

    def __init__(self, size: int, memory: int | None) -> None:
        self.size = size
        self.memory = memory
        self.closed = False
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._leased = 0

    @contextmanager
    def lease(self, busy: str) -> Iterator[Lease]:
        """A slot for the ``with`` block, or :class:`Busy` (with ``busy`` as its message)."""
        with self._lock:
            if self.closed or self._leased >= self.size:
                raise Busy("the server is stopping" if self.closed else busy)
            self._leased += 1
            lease = Lease(self, self._idle.pop() if self._idle else None)
        try:
            yield lease
        finally:
            worker, kept = lease.worker, False
            with self._lock:
                self._leased -= 1
                if worker is not None and worker.process.is_alive() and not self.closed:
                    self._idle.append(worker)
                    kept = True
                elif worker is not None:
                    self._all.discard(worker)
            if worker is not None and not kept:
                worker.stop()

    def start(self) -> _Worker:
        """A new worker process."""
        worker = _Worker(_context(), self.memory)
        with self._lock:
            self._all.add(worker)
            closed = self.closed
        if closed:
            worker.stop()
        return worker

    def forget(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)

    def close(self) -> None:
        """Stop every worker, busy or idle; jobs running raise :class:`Stopped`."""
        with self._lock:
            self.closed = True
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
        for w in workers:
            with suppress(Exception):
                w.process.terminate()
        for w in workers:
            w.stop()


_CONTEXT: Any = None
_CONTEXT_LOCK = threading.Lock()


def _context() -> Any:
    """The multiprocessing context of every pool: a fork server that has imported
    Statecraft already (where the platform has one), else fresh interpreters."""
    global _CONTEXT
    with _CONTEXT_LOCK:
        if _CONTEXT is None:
            for name in ONE_THREAD:
                os.environ.setdefault(name, "1")
            if "forkserver" in multiprocessing.get_all_start_methods():
                _CONTEXT = multiprocessing.get_context("forkserver")
                _CONTEXT.set_forkserver_preload(["statecraft.web.jobs"])
            else:
                _CONTEXT = multiprocessing.get_context("spawn")
        return _CONTEXT
