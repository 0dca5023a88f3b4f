"""The web app's JSON API (FastAPI), under ``/api/``, and the page that uses it.

Everything the page does goes through this API, documented by its OpenAPI schema at
``/openapi.json``, so that a team can script it. Scenarios live in the server's memory under
an id (``POST /api/scenarios`` with the file as the request body, in any format the readers
know); a request names a scenario by that id or by a built-in's name, never by a path.

:func:`create_app` builds the app from its parts: the server's state and the checks its
requests pass (:mod:`statecraft.web.deps`), the request and refusal bodies
(:mod:`statecraft.web.schemas`) and the routes (:mod:`statecraft.web.routes`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from statecraft import __version__
from statecraft.api import textsafe
from statecraft.web.deps import Limits, WebState
from statecraft.web.guard import Guard
from statecraft.web.routes import compute, levers, runs, scenarios, server, studies

__all__ = ["Limits", "create_app"]


def create_app(
    *,
    token: str | None = None,
    store: str | None = None,
    record: bool = True,
    limits: Limits | None = None,
) -> FastAPI:
    """The app. ``token``: every API request must carry it (``Authorization: Bearer``); an
    empty one is refused (ValueError). ``store``: the run store (default: the user's);
    ``record=False`` keeps no runs."""
    if token is not None and not token.strip():
        raise ValueError(
            "the token is empty: give a secret, or no token to serve this machine only"
        )
    web = WebState(token=token, store=store, record=record, limits=limits or Limits())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        web.stop()  # every worker stops; no study leaves a half-written run

    app = FastAPI(
        lifespan=lifespan,
        title="Statecraft",
        version=__version__,
        description="Forecast negotiations and conflicts with the bargaining models of "
        "political science: scenarios, forecasts, Monte Carlo studies, counterfactuals, "
        "reports and past runs.",
    )
    app.add_middleware(Guard, body_bytes=web.limits.upload_bytes, local_only=token is None)
    app.state.web = web
    app.state.studies = web.studies
    app.state.limits = web.limits

    _errors(app)

    for routes in (scenarios, compute, levers, studies, runs, server):
        app.include_router(routes.router)
    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("statecraft.web").joinpath("static"))),
        name="static",
    )
    return app


def _errors(app: FastAPI) -> None:
    """Every error as a :class:`~statecraft.web.schemas.Problem` ({"error": ...}), the
    framework's own too, and nothing of the server's internals."""

    @app.exception_handler(HTTPException)
    async def _detail(request: Request, exc: HTTPException) -> JSONResponse:
        if isinstance(exc.detail, dict):
            body = exc.detail
        elif exc.status_code == 404:
            body = {"error": f"nothing here: {request.url.path}"}
        elif exc.status_code == 405:
            body = {"error": f"{request.method} is not allowed on {request.url.path}"}
        else:
            body = {"error": str(exc.detail)}
        # strict JSON whatever a refusal carries (an upload's data may hold NaN)
        body = {k: textsafe.strict_json(v) for k, v in body.items()}
        return JSONResponse(status_code=exc.status_code, content=body, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        first = errors[0] if errors else {}
        sentence = _readable(first)
        if len(errors) > 1:
            sentence += f" (and {len(errors) - 1} more)"
        loc = [x for x in first.get("loc", ())[1:] if isinstance(x, str | int)]
        if first.get("type") == "json_invalid":
            loc = []  # a character offset, not a place in the data: the sentence says where
        return JSONResponse(status_code=422, content={"error": sentence, "path": loc or None})

    @app.exception_handler(Exception)
    async def _fault(request: Request, exc: Exception) -> JSONResponse:
        logging.getLogger("statecraft.web").error(
            "internal error on %s %s", request.method, request.url.path, exc_info=exc
        )
        return JSONResponse(
            status_code=500,
            content={"error": "internal error: the server could not answer this request"},
        )


_WHERE = {"body": "the request's body", "query": "the query", "path": "the path"}


def _readable(error: Any) -> str:
    """One of pydantic's errors as a sentence: the field, what is wrong, what was given."""
    loc = list(error.get("loc", ()))
    where = _WHERE.get(str(loc[0]), "the request") if loc else "the request"
    if error.get("type") == "json_invalid":
        reason = (error.get("ctx") or {}).get("error", "")
        return f"{where} is not valid JSON ({reason})"
    field = ".".join(str(x) for x in loc[1:])
    subject = f"{field} in {where}" if field else where
    if error.get("type") == "missing":
        return f"{subject} is missing: it is required"
    if error.get("type") == "extra_forbidden":
        return (
            f"{subject} is not a field of this request: leave it out, or see /openapi.json "
            "for the fields it takes"
        )
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    given = error.get("input")
    shown = ""
    if "(got " in message:
        pass  # the message says what was given
    elif isinstance(given, bool | int | float) or (isinstance(given, str) and len(given) <= 40):
        shown = f", not {given!r}"
    return f"{subject}: {message[:1].lower()}{message[1:]}{shown}"
