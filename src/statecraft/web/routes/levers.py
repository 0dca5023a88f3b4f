"""What would it take? The levers of an actor's goal (``POST /api/advise``) and a sweep of
one input or a grid of two (``POST /api/sweep``), in the JSON of ``statecraft advise -f
json`` and ``statecraft sweep -f json`` (:mod:`statecraft.analysis.advise`). Each is
checked here and computed in a worker within the limits of a forecast; neither is
recorded, as the command line records neither."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Depends

from statecraft.web import jobs
from statecraft.web.bodies import StrictRoute
from statecraft.web.deps import Web, authorised, problem
from statecraft.web.schemas import AdviseRequest, Problem, SweepRequest

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorised)], route_class=StrictRoute)

_REFUSALS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem},
    413: {"model": Problem},
    422: {"model": Problem},
}


def _known(ids: list[str] | None, known: tuple[str, ...], what: str, scenario: str) -> None:
    for x in ids or ():
        if x not in known:
            raise problem(
                422, f"{scenario} has no {what} {x!r}; its {what}s are {', '.join(known)}"
            )


@router.post("/api/advise", responses=_REFUSALS)
def run_advise(req: AdviseRequest, web: Web) -> dict[str, Any]:
    """The levers of an actor's goal under one model, biggest effect first, with their
    robustness over ``draws`` draws of the uncertain inputs and what flips the verdict:
    ``{"advice": ...}`` in the JSON of ``statecraft advise -f json``."""
    web.too_many(req.draws, web.limits.chart_draws)
    s = web.scenario_of(req.scenario)
    _known([req.actor], s.actor_ids, "actor", s.name)
    _known(req.issues, s.issue_ids, "issue", s.name)
    _known(list(req.targets), s.issue_ids, "issue", s.name)
    if req.threshold is not None:
        if len(req.issues or ()) != 1:
            raise problem(422, "threshold needs exactly one issue in issues, the issue it is for")
        if not math.isfinite(req.threshold):
            raise problem(422, f"threshold must be a finite number (got {req.threshold})")
    web.affordable(s, [req.model])
    data = web.compute(
        "advice",
        jobs.advice,
        s,
        req.actor,
        req.issues,
        dict(req.targets),
        req.model,
        dict(req.options),
        req.draws,
        req.seed,
        req.flips,
        req.threshold,
    )
    return {"advice": data}


@router.post("/api/sweep", responses=_REFUSALS)
def run_sweep(req: SweepRequest, web: Web) -> dict[str, Any]:
    """The forecast of every issue and the biggest winner at ``steps`` values of an input
    (or over the grid of two, with ``second``): ``{"sweep": ...}`` in the JSON of
    ``statecraft sweep -f json``. The points count as draws in one request."""
    axes = [(req.input, req.start, req.stop, req.steps)]
    if req.second is not None:
        second = req.second
        axes.append((second.input, second.start, second.stop, second.steps))
    points = math.prod(k for *_, k in axes)
    if points > web.limits.chart_draws:
        raise problem(
            413,
            f"{points:,} points asked; this server sweeps at most "
            f"{web.limits.chart_draws:,} points in one request",
        )
    s = web.scenario_of(req.scenario)
    web.affordable(s, [req.model])
    data = web.compute("sweep", jobs.sweeping, s, axes, req.model, dict(req.options), req.seed)
    return {"sweep": data}
