"""What the web app's routes share: the server's state and the checks its requests pass.

One :class:`WebState` per app, at ``app.state.web``, holds the limits, the scenarios kept in
memory, the background studies and where runs are recorded; a route gets it with the
dependency :data:`Web` and calls its checks in the order the route needs them (a refusal
names its limit). :func:`authorised` is the token check of every API route but the health
check's.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Request

from statecraft import Scenario, available_models, builtin_names, open_store
from statecraft.api import StoreError, is_linked, load_builtin
from statecraft.web.schemas import Problem, problem_detail
from statecraft.web.studies import Studies
from statecraft.web.workers import Busy, Died, Overrun, Pool, Refused, Stopped

_log = logging.getLogger("statecraft.web")

__all__ = [
    "Limits",
    "Scenarios",
    "Web",
    "WebState",
    "attachment",
    "authorised",
    "problem",
    "web_state",
]


@dataclass(frozen=True)
class Limits:
    """What one request may ask of the server; each refusal names its limit."""

    upload_bytes: int = 1024 * 1024  # any request's body
    actors: int = 250
    issues: int = 100
    draws: int = 200_000  # per study
    chart_draws: int = 20_000  # drawn inside a request, for a chart or a report
    studies: int = 2  # running at once, each in a worker process
    runs: int = 4  # forecasts, comparisons, charts and reports running at once, likewise
    seconds: float = 60.0  # wall-clock limit of a forecast, comparison, chart or report
    study_seconds: float = 900.0  # wall-clock limit of a study
    worker_bytes: int | None = 2 << 30  # each worker's address space (None: no limit)
    heavy_cells: int = 2_000  # actors x issues for the models whose cost is "slow"
    patches: int = 10  # per comparison
    scenarios: int = 200  # kept in memory; the oldest go first
    cells: int = 200_000  # actors x issues, summed over the scenarios kept


def problem(status: int, exc: Exception | str, data: Any = None) -> HTTPException:
    """A refusal with a :class:`Problem` as its body; a scenario's error says where (by
    the ids of its actors and issues, given the scenario's ``data``)."""
    return HTTPException(status_code=status, detail=problem_detail(exc, data))


def attachment(filename: str) -> dict[str, str]:
    """A Content-Disposition that any name survives: an ASCII fallback and the UTF-8 name."""
    from urllib.parse import quote

    plain = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in filename)
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"
    return {"Content-Disposition": disposition}


def _costly(name: str) -> bool:
    """Whether a model is too slow to run on a large scenario in a request: its ``cost``
    metadata says ``"slow"`` (an unknown name is left to the run, which names the models)."""
    cls = available_models().get(name)
    return cls is not None and cls.cost == "slow"


class Scenarios:
    """The scenarios uploaded or edited on this server, under an id; past the limits on
    their number and their actor-issues, the oldest go first."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.lock = threading.Lock()
        self._kept: OrderedDict[str, Scenario] = OrderedDict()

    def keep(self, s: Scenario) -> str:
        """Keep a scenario under a new id."""
        scenario_id = secrets.token_hex(6)
        with self.lock:
            self._kept[scenario_id] = s

            def cells() -> int:
                return sum(len(x.actors) * len(x.issues) for x in self._kept.values())

            while len(self._kept) > 1 and (
                len(self._kept) > self.limits.scenarios or cells() > self.limits.cells
            ):
                self._kept.popitem(last=False)
        return scenario_id

    def get(self, scenario_id: str) -> Scenario | None:
        with self.lock:
            return self._kept.get(scenario_id)

    def put(self, scenario_id: str, s: Scenario) -> None:
        """Replace the scenario under an id."""
        with self.lock:
            self._kept[scenario_id] = s

    def listing(self) -> list[dict[str, Any]]:
        with self.lock:
            return [{"id": k, "name": s.name, "title": s.title} for k, s in self._kept.items()]


class WebState:
    """One server's state, and the checks a request passes before the server computes."""

    def __init__(
        self, *, token: str | None, store: str | None, record: bool, limits: Limits
    ) -> None:
        self.token = token
        self.store = store
        self.record = record
        self.limits = limits
        self.studies = Studies(limits.studies, limits.study_seconds, limits.worker_bytes)
        self.scenarios = Scenarios(limits)
        self.pool = Pool(limits.runs, limits.worker_bytes)

    def stop(self) -> None:
        """Stop every worker: running requests and studies end at once, recording nothing."""
        self.pool.close()
        self.studies.shutdown()

    def checked(self, s: Scenario) -> Scenario:
        """The scenario, if it is within the limits on actors and issues."""
        limits = self.limits
        if len(s.actors) > limits.actors:
            raise problem(
                413,
                f"the scenario has {len(s.actors)} actors; "
                f"this server takes at most {limits.actors}",
            )
        if len(s.issues) > limits.issues:
            raise problem(
                413,
                f"the scenario has {len(s.issues)} issues; "
                f"this server takes at most {limits.issues}",
            )
        return s

    def scenario_of(self, ref: str) -> Scenario:
        """A kept scenario by its id, or a built-in by its name; else 404."""
        kept = self.scenarios.get(ref)
        if kept is not None:
            return kept
        if ref in builtin_names():
            return load_builtin(ref)  # from the package: never a file of that name
        raise problem(
            404,
            f"no scenario {ref!r}: upload one to POST /api/scenarios, or name a built-in "
            f"({', '.join(builtin_names())})",
        )

    def compute(self, what: str, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)`` in a worker process (:mod:`statecraft.web.jobs`), within the
        limits; ``what`` names the computation in refusals. One of the few requests that
        may compute at once: the others are refused with 429."""
        busy = (
            f"{self.limits.runs} runs are in progress, the most this server computes at "
            "once; try again in a moment"
        )
        try:
            with self.pool.lease(busy) as lease:
                return lease.run(fn, *args, seconds=self.limits.seconds, what=what)
        except Busy as exc:
            raise problem(503 if self.pool.closed else 429, exc) from None
        except Overrun as exc:
            raise problem(503 if exc.kind == "time" else 507, exc) from None
        except Refused as exc:
            raise HTTPException(status_code=exc.status, detail=exc.detail) from None
        except Stopped as exc:
            raise problem(503, f"the {what} was stopped: {exc}") from None
        except Died as exc:
            raise problem(500, f"internal error: {exc}") from None

    def affordable(self, s: Scenario, models: list[str] | None) -> None:
        """Refuse the slow models (their ``cost`` is ``"slow"``) on large scenarios;
        ``None`` stands for every one-issue model."""
        n, m = len(s.actors), len(s.issues)
        what = f"{n} actor{'s' * (n != 1)} x {m} issue{'s' * (m != 1)}"
        self.affordable_cells(len(s.actors) * len(s.issues), models, what)

    def affordable_cells(self, cells: int, models: list[str] | None, what: str) -> None:
        """Refuse the slow models on more than the limit's actor-issues (``what`` says on
        what, in words); ``None`` stands for every one-issue model."""
        names = models or [m for m in available_models() if not is_linked(m)]
        slow = [m for m in names if _costly(m)]
        if slow and cells > self.limits.heavy_cells:
            raise problem(
                413,
                f"the {slow[0]} model on {what}: "
                f"this server runs it on at most {self.limits.heavy_cells:,} actor-issues "
                "(run it from the command line, or leave the model out)",
            )

    def too_many(self, draws: int, most: int | None = None) -> None:
        """Refuse more draws than a study (or, given ``most``, one request) may make."""
        where = "per study" if most is None else "in one request"
        most = self.limits.draws if most is None else most
        if draws > most:
            raise problem(413, f"{draws:,} draws asked; this server runs at most {most:,} {where}")

    def recorded(self, result: Any, **how: Any) -> dict[str, Any]:
        """Save a result in the run store. The fields a response carries:
        ``{"run_id": ID, "not_recorded": None}``, or ``{"run_id": None, "not_recorded": WHY}``
        when the server keeps no runs (--no-store) or the store failed (a full disk, say):
        the result stands, and the response and the server's log say why (the store's
        password masked)."""
        if not self.record:
            return {"run_id": None, "not_recorded": "this server keeps no runs (--no-store)"}
        try:
            with open_store(self.store) as opened:
                run_id = opened.save(result, arguments={"via": "web"}, **how)
        except StoreError as exc:
            _log.warning("a run was not recorded: %s", exc)
            return {"run_id": None, "not_recorded": str(exc)}
        return {"run_id": run_id, "not_recorded": None}


async def web_state(request: Request) -> WebState:
    """The server's state (a dependency)."""
    state: WebState = request.app.state.web
    return state


Web = Annotated[WebState, Depends(web_state)]


async def authorised(request: Request, authorization: str | None = Header(default=None)) -> None:
    """With a token, every request must carry it (``Authorization: Bearer TOKEN``, the
    scheme in any case); else 401."""
    token = (await web_state(request)).token
    if token is None:
        return
    # The scheme's name is case-insensitive (RFC 7235, section 2.1): bearer, Bearer, BEARER.
    scheme, _, given = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        given = ""
    if not secrets.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(
            status_code=401,
            detail=Problem(
                error="this server needs its token: send 'Authorization: Bearer TOKEN'"
            ).model_dump(),
        )
