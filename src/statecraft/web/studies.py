"""Monte Carlo studies in the background, for the web app: progress, cancel, a limit.

Each study runs :func:`statecraft.analysis.uncertainty.simulate` in a thread of its own,
with a progress callback that records how many draws are done and that stops the study
when it is cancelled (by raising ``KeyboardInterrupt`` there, which ``simulate`` catches to
return what it did). A study is recorded in the run store only when it completes: a
cancelled or failed one leaves nothing there.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Busy", "Studies", "Study"]


class Busy(Exception):
    """As many studies are running as the server allows."""


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
    cancel: threading.Event = field(default_factory=threading.Event, repr=False)

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


class Studies:
    """The studies of one server: at most ``limit`` running at once."""

    def __init__(self, limit: int, keep: int = 100) -> None:
        self.limit = limit
        self.keep = keep
        self._lock = threading.Lock()
        self._studies: dict[str, Study] = {}
        self._pool = ThreadPoolExecutor(max_workers=limit, thread_name_prefix="study")

    def running(self) -> int:
        with self._lock:
            return sum(s.status in ("running", "recording") for s in self._studies.values())

    def start(
        self,
        total: int,
        work: Callable[[Callable[[int, int], None]], tuple[dict[str, Any], Any]],
        record: Callable[[Any], dict[str, Any]],
    ) -> Study:
        """Start ``work(progress)``, which returns (the result as JSON-ready data, the result
        object); ``record`` keeps a completed result in the run store."""
        with self._lock:
            if sum(s.status in ("running", "recording") for s in self._studies.values()) >= (
                self.limit
            ):
                raise Busy(
                    f"{self.limit} studies are running, the most this server runs at once; "
                    "wait for one to finish or cancel one"
                )
            study = Study(id=secrets.token_hex(6), total=total)
            self._studies[study.id] = study
            finished = [
                k for k, s in self._studies.items() if s.status not in ("running", "recording")
            ]
            for k in finished[: max(0, len(self._studies) - self.keep)]:
                del self._studies[k]

        def progress(done: int, total: int) -> None:
            study.done = done
            if study.cancel.is_set():
                raise KeyboardInterrupt  # simulate() stops and returns what it has

        def run() -> None:
            try:
                data, result = work(progress)
                with self._lock:  # a cancel from now on comes too late, and says so
                    if study.cancel.is_set() or getattr(result, "interrupted", False):
                        study.status = "cancelled"
                        return
                    study.status = "recording"
                recorded = record(result)  # {"run_id": ..., "not_recorded": ...}
                study.run_id, study.not_recorded = recorded["run_id"], recorded["not_recorded"]
                study.result = data
                study.done = study.total
                study.status = "done"
            except Exception as exc:  # a failed study says why, and records nothing
                study.error = str(exc)
                study.status = "failed"

        self._pool.submit(run)
        return study

    def get(self, study_id: str) -> Study | None:
        with self._lock:
            return self._studies.get(study_id)

    def cancel(self, study_id: str) -> Study | None:
        """Stop a running study; one already complete is left as it is (check its status)."""
        with self._lock:
            study = self._studies.get(study_id)
            if study is not None and study.status == "running":
                study.cancel.set()
        return study

    def shutdown(self) -> None:
        with self._lock:
            for s in self._studies.values():
                s.cancel.set()
        self._pool.shutdown(wait=True)
