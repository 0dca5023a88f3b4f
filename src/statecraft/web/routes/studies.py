"""Monte Carlo studies in the background: start one, poll it, cancel it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from statecraft import StatecraftError
from statecraft.api import check_models, options_for
from statecraft.web import jobs
from statecraft.web.bodies import StrictRoute
from statecraft.web.deps import Web, authorised, problem
from statecraft.web.schemas import Problem, StudyRequest, the_models
from statecraft.web.studies import Busy

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorised)], route_class=StrictRoute)


@router.post(
    "/api/studies",
    status_code=202,
    responses={413: {"model": Problem}, 429: {"model": Problem}},
)
def start_study(req: StudyRequest, web: Web) -> dict[str, Any]:
    """Start a Monte Carlo study in the background; poll ``GET /api/studies/{id}``. With
    ``models``, every model runs on the same draws (``statecraft simulate -m a -m b``)."""
    web.too_many(req.draws)
    s = web.scenario_of(req.scenario)
    if req.perturb is not None:
        s = s.with_perturbation(req.perturb)
    try:
        models = the_models(req.model, req.models)
    except ValueError as exc:
        raise problem(422, exc) from None
    web.affordable(s, models)
    try:
        check_models(s, models, dict(req.options))
    except (StatecraftError, ValueError) as exc:
        raise problem(422, exc) from None
    taken = {k: v for m in models for k, v in options_for(m, req.options).items()}

    try:
        study = web.studies.start(
            req.draws,
            jobs.study,
            (s, models if req.models else models[0], req.draws, req.seed, dict(req.options)),
            lambda r: web.recorded(r, parameters={"options": taken}),
        )
    except Busy as exc:
        raise problem(429, exc) from None  # or the server is stopping
    return study.to_dict()


@router.get("/api/studies/{study_id}")
def get_study(study_id: str, web: Web) -> dict[str, Any]:
    """A study's progress, and its result when done."""
    study = web.studies.get(study_id)
    if study is None:
        raise problem(404, f"no study {study_id!r}")
    return study.to_dict()


@router.delete("/api/studies/{study_id}")
def cancel_study(study_id: str, web: Web) -> dict[str, Any]:
    """Cancel a running study: it stops and records nothing. A study that has already
    finished its draws is not cancelled: 409, and it is recorded as done."""
    study = web.studies.cancel(study_id)
    if study is None:
        raise problem(404, f"no study {study_id!r}")
    if not study.cancelled:
        raise problem(409, f"study {study_id} is {study.status}: too late to cancel it")
    return study.to_dict()
