"""Monte Carlo studies in the background, for the web app: progress, cancel, limits.

Each study runs :func:`statecraft.web.jobs.study` in a worker process of its own
(:mod:`statecraft.web.workers`), watched by a thread of the server that passes on how many
draws are done. Cancelling a study stops its worker. A study that runs past the server's
limits (``study_seconds``, ``worker_bytes``) fails and says which. A study is recorded in
the run store, by the server, only when it completes: a cancelled or failed one leaves
nothing there.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from statecraft.web.workers import Busy, Died, Lease, Overrun, Pool, Refused, Stopped

__all__ = ["Busy", "Studies", "Study"]


@dataclass
class Study:
    """One study's state, as the API shows it."""

    id: str
    total: int
    done: int = 0
    status: str = "running"  # running, recording, done, cancelled, failed
    result: dict[str, Any] | None = None
    run_id: str | None = None
    not_recorded: str | None = None  # why a completed study is not in the run store
    error: str | None = None
    started: float = field(default_factory=time.time)
    lease: Lease | None = field(default=None, repr=False)
    ended: threading.Event = field(default_factory=threading.Event, repr=False)  # slot freed

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "run_id": self.run_id,
            "not_recorded": self.not_recorded,
            "error": self.error,
            "result": self.result,
        }


#: How long a cancel waits for the study's thread to free its slot (the worker is stopped
#: within GRACE seconds, SIGTERM then SIGKILL).
CANCEL_WAIT = 5.0


class Studies:
    """The studies of one server: at most ``limit`` running at once, each for at most
    ``seconds`` in a worker of at most ``memory`` bytes (the server's ``Limits``)."""

    def __init__(self, limit: int, seconds: float, memory: int | None, keep: int = 100) -> None:
        self.limit = limit
        self.seconds = seconds
        self.keep = keep
        self._lock = threading.Lock()
        self._studies: dict[str, Study] = {}
        self._pool = Pool(limit, memory)

    def running(self) -> int:
        with self._lock:
            return sum(s.status in ("running", "recording") for s in self._studies.values())

    def start(
        self,
        total: int,
        job: Callable[..., Any],
        args: tuple[Any, ...],
        record: Callable[[Any], dict[str, Any]],
    ) -> Study:
        """Start ``job(*args, progress=...)`` in a worker: it returns (the result object,
        the result as JSON-ready data); ``record`` keeps a completed result in the run
        store. Raises :class:`Busy` when as many studies run as the server allows."""
        busy = (
            f"{self.limit} studies are running, the most this server runs at once; "
            "wait for one to finish or cancel one"
        )
        slot = self._pool.lease(busy)
        lease = slot.__enter__()  # held by the study's thread until the study ends
        study = Study(id=secrets.token_hex(6), total=total, lease=lease)
        with self._lock:
            self._studies[study.id] = study
            finished = [
                k for k, s in self._studies.items() if s.status not in ("running", "recording")
            ]
            for k in finished[: max(0, len(self._studies) - self.keep)]:
                del self._studies[k]

        def progress(done: int) -> None:
            study.done = done

        def run() -> None:
            try:
                result, data = lease.run(
                    job, *args, seconds=self.seconds, what="study", progress=progress
                )
                with self._lock:  # a cancel from now on comes too late, and says so
                    if study.cancelled or getattr(result, "interrupted", False):
                        study.status = "cancelled"
                        return
                    study.status = "recording"
                recorded = record(result)  # {"run_id": ..., "not_recorded": ...}
                study.run_id, study.not_recorded = recorded["run_id"], recorded["not_recorded"]
                study.result = data
                study.done = study.total
                study.status = "done"
            except Stopped:
                with self._lock:
                    study.status = "cancelled"
            except (Overrun, Refused, Died) as exc:  # a failed study says why, records nothing
                with self._lock:
                    if not study.cancelled:
                        study.error = str(exc)
                        study.status = "failed"
            except Exception as exc:  # not recorded: said without the internals
                study.error = f"internal error: the study could not be kept ({type(exc).__name__})"
                study.status = "failed"
            finally:
                study.lease = None
                slot.__exit__(None, None, None)
                study.ended.set()

        threading.Thread(target=run, name=f"study-{study.id}", daemon=True).start()
        return study

    def get(self, study_id: str) -> Study | None:
        with self._lock:
            return self._studies.get(study_id)

    def cancel(self, study_id: str) -> Study | None:
        """Stop a running study; one already complete is left as it is (check its status)."""
        with self._lock:
            study = self._studies.get(study_id)
            if study is None or study.status != "running":
                return study
            study.status = "cancelled"
            lease = study.lease
        if lease is not None:
            lease.cancel()  # its worker stops; the study's thread ends and records nothing
            # Its slot is free when the answer says "cancelled": a client that starts another
            # study at once is not refused for the one it has just stopped.
            study.ended.wait(CANCEL_WAIT)
        return study

    def shutdown(self) -> None:
        """Stop every study's worker: the studies end as cancelled, recording nothing."""
        with self._lock:
            for s in self._studies.values():
                if s.status == "running":
                    s.status = "cancelled"
        self._pool.close()
