"""The server itself: whether it is up (no token needed), and the page."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from statecraft import __version__
from statecraft.web.deps import Web

__all__ = ["router"]

router = APIRouter()


@router.get("/api/health")
def health(web: Web) -> dict[str, Any]:
    """Whether the server is up (needs no token)."""
    return {"ok": True, "version": __version__, "token": web.token is not None}


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def page() -> HTMLResponse:
    text = resources.files("statecraft.web").joinpath("static", "index.html").read_text("utf-8")
    return HTMLResponse(text)
