"""The checks every request passes before the app sees it (an ASGI middleware).

* Without a token, the Host header must name this machine: a page elsewhere cannot reach
  the app through a DNS name rebound to 127.0.0.1.
* A body is counted as it is read, whatever its headers say: past ``upload_bytes`` the
  request is refused with 413 (a Content-Length above the limit is refused before reading;
  one that lies low, or a chunked body, is cut off when the count passes the limit).
* A request that changes state (POST, PUT, PATCH, DELETE) and carries a body must say it
  is JSON (``application/json``), or, for the scenario upload, whose body is the file in
  any format the readers know: JSON, YAML (``application/yaml``, ``application/x-yaml``,
  ``text/yaml``), ``text/csv`` or ``application/octet-stream``; 415 otherwise. The types a
  page elsewhere may send without asking first (text/plain, form data) are never among
  them, so such a page cannot change anything.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["BODY_TYPES", "LOCAL_HOSTS", "UPLOAD_TYPES", "Guard"]

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
#: The content type of a request body that changes state.
BODY_TYPES = frozenset({"application/json"})
#: And of the scenario upload (POST /api/scenarios), whose body is the file in any format.
UPLOAD_TYPES = BODY_TYPES | {
    "application/yaml",
    "application/x-yaml",
    "text/yaml",
    "text/csv",
    "application/octet-stream",
}
CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class _TooLarge(Exception):
    """The body read so far is past the limit."""


class Guard:
    """ASGI middleware: the Host header, the size of every body and its content type."""

    def __init__(self, app: Any, *, body_bytes: int, local_only: bool) -> None:
        self.app = app
        self.body_bytes = body_bytes
        self.local_only = local_only

    def _refusal(self, scope: Any) -> tuple[int, str] | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if self.local_only:
            host = headers.get("host", "")
            name = host[1:].split("]")[0] if host.startswith("[") else host.split(":")[0]
            if name not in LOCAL_HOSTS:
                return 400, f"this server answers to this machine only, not to {host!r}"
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.body_bytes):
            return 413, (
                f"the request's body is {length} bytes; "
                f"this server takes at most {self.body_bytes:,}"
            )
        has_body = "transfer-encoding" in headers or length not in (None, "0")
        if scope["method"] in CHANGES and has_body:
            given = headers.get("content-type", "").split(";")[0].strip().lower()
            upload = scope["method"] == "POST" and scope["path"] == "/api/scenarios"
            allowed = UPLOAD_TYPES if upload else BODY_TYPES
            if given not in allowed:
                return 415, (
                    f"a {scope['method']} request's body must be sent as "
                    f"{' or '.join(sorted(allowed))}, not {given or 'untyped'}"
                )
        return None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await _refuse(send, *refusal)
            return
        read = 0
        over = False
        started = False

        async def counted() -> Any:
            nonlocal read, over
            message = await receive()
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > self.body_bytes:
                    over = True
                    raise _TooLarge
            return message

        async def sending(message: Any) -> None:
            nonlocal started
            if over:
                return  # the app's answer to a cut-off body gives way to the 413 below
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except Exception:
            if not over:
                raise
        if over and not started:
            await _refuse(
                send,
                413,
                f"the request's body is over {self.body_bytes:,} bytes, the most this server takes",
            )


async def _refuse(send: Any, status: int, error: str) -> None:
    body = json.dumps({"error": error}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
