"""Scenarios: list, upload, read, edit, check and download them.

A scenario is kept in the server's memory under an id (``POST /api/scenarios`` with the file
as the request body, in any format the readers know); a request names a scenario by that id
or by a built-in's name, never by a path.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse

from statecraft import ScenarioError, StatecraftError, builtin_names, dumps, read_text
from statecraft.api import (
    build_scenario,
    builtin_patches,
    decode_text,
    detect_format,
    load_builtin,
    load_yaml_data,
)
from statecraft.web.bodies import StrictRoute
from statecraft.web.deps import Web, WebState, attachment, authorised, problem
from statecraft.web.schemas import Problem

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorised)], route_class=StrictRoute)


def _raw(text: str, fmt: str) -> Any:
    """A YAML or JSON file's data as it stands (safe loaders only), or None."""
    try:
        if fmt == "json":
            data = json.loads(text)
        elif fmt == "yaml":
            data, _ = load_yaml_data(text)  # the scenario reader's loader, alias cap and all
        else:
            return None
        # dates and the like as text; NaN and infinities as the words the file used, so
        # that the refusal is strict JSON and the page shows the value at its cell
        return _finite(json.loads(json.dumps(data, default=str)))
    except (ValueError, TypeError, RecursionError, ScenarioError):
        return None  # the refusal stands without the data beside it


def _finite(data: Any) -> Any:
    """The data with each number that is not finite as its JSON-ish word (NaN, Infinity)."""
    if isinstance(data, float) and not math.isfinite(data):
        return "NaN" if math.isnan(data) else "Infinity" if data > 0 else "-Infinity"
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_finite(v) for v in data]
    return data


@router.get("/api/scenarios")
def list_scenarios(web: Web) -> dict[str, Any]:
    """The built-in scenarios, and those uploaded or edited on this server."""
    mine = web.scenarios.listing()
    builtins = []
    for name in builtin_names():
        s = load_builtin(name)
        builtins.append(
            {
                "id": name,
                "name": s.name,
                "title": s.title,
                "patches": list(builtin_patches(name)),
            }
        )
    return {"builtin": builtins, "uploaded": mine}


@router.post(
    "/api/scenarios",
    status_code=201,
    responses={413: {"model": Problem}, 422: {"model": Problem}},
)
async def upload(
    request: Request,
    web: Web,
    name: str = Query(default="upload", description="The file's name (tells CSV from YAML)."),
    fmt: str | None = Query(
        default=None, alias="format", description="yaml, json, csv, ktab or decide"
    ),
) -> dict[str, Any]:
    """Upload a scenario: the file as the request body, in any format the readers know."""
    body = await request.body()  # the size middleware has already capped it
    return await run_in_threadpool(_parse_upload, web, body, name, fmt)


def _parse_upload(web: WebState, body: bytes, name: str, fmt: str | None) -> dict[str, Any]:
    try:
        text = decode_text(body, file=name)  # the readers' words: UTF-16, Latin-1, binary
        chosen = fmt or detect_format(name, text)
        s = web.checked(read_text(text, chosen, file=name, name=name.rsplit(".", 1)[0]))
    except ScenarioError as exc:
        raw = _raw(text, chosen) if exc.path else None
        refusal = problem(422, exc, raw)
        if isinstance(raw, dict) and isinstance(refusal.detail, dict):
            refusal.detail["data"] = raw
        raise refusal from None
    except (StatecraftError, ValueError) as exc:
        raise problem(422, exc) from None
    return {"id": web.scenarios.keep(s), "scenario": s.to_data()}


@router.get("/api/scenarios/{ref}")
def get_scenario(ref: str, web: Web) -> dict[str, Any]:
    """A scenario as data (the native format's fields)."""
    return {"id": ref, "scenario": web.scenario_of(ref).to_data()}


@router.put("/api/scenarios/{ref}", responses={422: {"model": Problem}})
def put_scenario(ref: str, data: Annotated[dict[str, Any], Body()], web: Web) -> dict[str, Any]:
    """Replace a scenario with edited data (a built-in's name makes a new copy); a
    problem is refused with where it is (``path``), in the command line's words."""
    try:
        s = web.checked(build_scenario(data, file=None))
    except ScenarioError as exc:
        raise problem(422, exc, data) from None
    if ref in builtin_names():
        ref = web.scenarios.keep(s)
    else:
        web.scenario_of(ref)
        web.scenarios.put(ref, s)
    return {"id": ref, "scenario": s.to_data()}


@router.post("/api/validate", responses={422: {"model": Problem}})
def validate(data: Annotated[dict[str, Any], Body()], web: Web) -> dict[str, Any]:
    """Check scenario data without keeping it."""
    try:
        s = web.checked(build_scenario(data, file=None))
    except ScenarioError as exc:
        raise problem(422, exc, data) from None
    return {"ok": True, "actors": len(s.actors), "issues": len(s.issues)}


@router.get("/api/scenarios/{ref}/download")
def download(
    ref: str, web: Web, fmt: str = Query(default="yaml", alias="format")
) -> PlainTextResponse:
    """The scenario as a file: yaml (default), json, csv, ktab or decide."""
    s = web.scenario_of(ref)
    try:
        text = dumps(s, fmt)
    except ScenarioError as exc:
        raise problem(422, exc) from None
    suffix = {"yaml": "yaml", "json": "json"}.get(fmt, "csv" if fmt != "decide" else "txt")
    return PlainTextResponse(text, headers=attachment(f"{s.name}.{suffix}"))
