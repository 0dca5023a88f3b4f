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

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from statecraft import __version__
from statecraft.web.deps import Limits, WebState
from statecraft.web.routes import compute, runs, scenarios, server, studies

__all__ = ["Limits", "create_app"]

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class _Guard:
    """ASGI middleware: the size of every request's body, and, without a token, the Host
    header (only this machine's names: a page elsewhere cannot reach the app through a
    DNS name rebound to 127.0.0.1)."""

    def __init__(self, app: Any, *, body_bytes: int, local_only: bool) -> None:
        self.app = app
        self.body_bytes = body_bytes
        self.local_only = local_only

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = None
        if self.local_only:
            host = headers.get("host", "")
            name = host[1:].split("]")[0] if host.startswith("[") else host.split(":")[0]
            if name not in LOCAL_HOSTS:
                refusal = (400, f"this server answers to this machine only, not to {host!r}")
        if refusal is None and scope["method"] in ("POST", "PUT", "PATCH"):
            length = headers.get("content-length")
            if length is None and "transfer-encoding" in headers:
                refusal = (411, "send the body with a Content-Length")
            elif length is not None and (not length.isdigit() or int(length) > self.body_bytes):
                refusal = (
                    413,
                    f"the request's body is {length} bytes; "
                    f"this server takes at most {self.body_bytes:,}",
                )
        if refusal is None:
            await self.app(scope, receive, send)
            return
        body = json.dumps({"error": refusal[1]}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": refusal[0],
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def create_app(
    *,
    token: str | None = None,
    store: str | None = None,
    record: bool = True,
    limits: Limits | None = None,
) -> FastAPI:
    """The app. ``token``: every API request must carry it (``Authorization: Bearer``).
    ``store``: the run store (default: the user's); ``record=False`` keeps no runs."""
    web = WebState(token=token, store=store, record=record, limits=limits or Limits())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        web.studies.shutdown()  # running studies stop; none leaves a half-written run

    app = FastAPI(
        lifespan=lifespan,
        title="Statecraft",
        version=__version__,
        description="Forecast negotiations and conflicts with the bargaining models of "
        "political science: scenarios, forecasts, Monte Carlo studies, counterfactuals, "
        "reports and past runs.",
    )
    app.add_middleware(_Guard, body_bytes=web.limits.upload_bytes, local_only=token is None)
    app.state.web = web
    app.state.studies = web.studies
    app.state.limits = web.limits

    @app.exception_handler(HTTPException)
    async def _detail(request: Request, exc: HTTPException) -> JSONResponse:
        body = exc.detail if isinstance(exc.detail, dict) else {"error": str(exc.detail)}
        return JSONResponse(status_code=exc.status_code, content=body)

    for routes in (scenarios, compute, studies, runs, server):
        app.include_router(routes.router)
    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("statecraft.web").joinpath("static"))),
        name="static",
    )
    return app
