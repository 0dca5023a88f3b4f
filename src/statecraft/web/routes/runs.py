"""Past runs, from the run store the server records in."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from statecraft import open_store
from statecraft.api import NoStore, StoreError
from statecraft.web.deps import Web, authorised, problem

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorised)])


@router.get("/api/runs")
def list_runs(web: Web, limit: int = Query(default=50, ge=1, le=1000)) -> list[dict[str, Any]]:
    """Past runs from the run store, newest first."""
    try:
        with open_store(web.store, create=False) as opened:
            frame = opened.runs(limit=limit)
    except NoStore:
        return []
    except StoreError as exc:
        raise problem(503, exc) from None
    frame = frame.assign(created=frame["created"].map(lambda t: t.isoformat()))
    clean = frame.astype(object).where(frame.notna(), None)
    return [{str(k): v for k, v in row.items()} for row in clean.to_dict(orient="records")]


@router.get("/api/runs/{run_id}")
def get_run(run_id: str, web: Web) -> dict[str, Any]:
    """One past run, whole."""
    try:
        with open_store(web.store, create=False) as opened:
            return opened.get(run_id).to_dict()
    except StoreError as exc:
        raise problem(404, exc) from None
