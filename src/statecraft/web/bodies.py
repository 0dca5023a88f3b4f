"""Reading a request's JSON body before FastAPI does, so that every body it cannot take is
refused in the app's own shape (``{"error": ...}``, 422) with a sentence that says what is
wrong and where, rather than FastAPI's "There was an error parsing the body" (400) or a
character offset:

* a body that is not UTF-8 text (UTF-16, Latin-1, binary), in the readers' own words
  (:func:`statecraft.api.decode_text`), with the line and column;
* text that is not JSON, with the line and column of the fault;
* JSON nested too deeply for the parser (it would otherwise raise RecursionError);
* an object that gives one key twice (JSON leaves it undefined; Python keeps the last):
  refused, naming the key, as the scenario readers refuse a duplicated field.

:class:`StrictRoute` applies these checks to every route that takes a JSON body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from statecraft import ScenarioError
from statecraft.api import decode_text

__all__ = ["StrictRoute", "body_fault"]


class _Twice(ValueError):
    """An object that gives a key twice."""


def _no_twice(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Twice(key)
        seen[key] = value
    return seen


def body_fault(body: bytes) -> dict[str, Any] | None:
    """Why a JSON request body cannot be taken, as the refusal's body; None if it can."""
    try:
        text = decode_text(body, file=None)
    except ScenarioError as exc:
        said = re.sub(r"^line \d+: ", "", str(exc)).replace(
            "the file is", "the request's body is", 1
        )
        if exc.line is not None:
            said = said.replace(" at column ", f" at line {exc.line}, column ", 1)
        said = said.replace("save it as UTF-8", "send it as UTF-8 JSON")
        said = said.replace("a scenario is UTF-8 text", "a request's body is UTF-8 JSON")
        return {"error": said, "path": None}
    try:
        json.loads(text, object_pairs_hook=_no_twice)
    except _Twice as exc:
        return {
            "error": f"the request's body gives the key {exc.args[0]!r} twice in one object; "
            "give each key once",
            "path": None,
        }
    except json.JSONDecodeError as exc:
        return {
            "error": f"the request's body is not valid JSON: {exc.msg.lower()} at line "
            f"{exc.lineno}, column {exc.colno}",
            "path": None,
        }
    except RecursionError:
        return {
            "error": "the request's body is nested too deeply to be read (arrays or objects "
            "within each other about a thousand levels deep)",
            "path": None,
        }
    return None


class StrictRoute(APIRoute):
    """A route whose JSON body (if it takes one) is checked by :func:`body_fault` first."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:  # no JSON body (e.g. the upload reads the file itself)
            return handler

        async def checked(request: Request) -> Response:
            body = await request.body()  # kept by the request: the handler reads it again
            if body:
                fault = body_fault(body)
                if fault is not None:
                    return JSONResponse(status_code=422, content=fault)
            return await handler(request)

        return checked
