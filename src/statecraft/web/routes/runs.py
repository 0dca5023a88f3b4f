"""Past runs, from the run store the server records in, opened read-only: a run that
cannot be read is listed as ``unreadable`` or refused with why, never a 500; the store's
password never shows."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from statecraft import open_store
from statecraft.api import NoRun, NoStore, StoreError
from statecraft.web.deps import Web, authorised, problem
from statecraft.web.schemas import Problem

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorised)])


@router.get("/api/runs", responses={503: {"model": Problem}})
def list_runs(web: Web, limit: int = Query(default=50, ge=1, le=1000)) -> list[dict[str, Any]]:
    """Past runs from the run store, newest first; a run whose row cannot be read has the
    status ``unreadable``. 503 when the store cannot be read at all."""
    try:
        with open_store(web.store, create=False, write=False) as opened:
            frame = opened.runs(limit=limit)
    except NoStore:
        return []
    except StoreError as exc:
        raise problem(503, exc) from None
    frame = frame.assign(
        created=frame["created"].map(lambda t: None if t is None or t != t else t.isoformat())
    )
    clean = frame.astype(object).where(frame.notna(), None)
    return [{str(k): v for k, v in row.items()} for row in clean.to_dict(orient="records")]


@router.get("/api/runs/{run_id}", responses={404: {"model": Problem}, 503: {"model": Problem}})
def get_run(run_id: str, web: Web) -> dict[str, Any]:
    """One past run, whole. 404 when there is no such run; 503 when it, or the store,
    cannot be read (the message says why)."""
    try:
        with open_store(web.store, create=False, write=False) as opened:
            return opened.get(run_id).to_dict()
    except (NoStore, NoRun) as exc:
        raise problem(404, exc) from None
    except StoreError as exc:
        raise problem(503, exc) from None
