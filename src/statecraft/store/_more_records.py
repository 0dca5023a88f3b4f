"""What the run store keeps of a risk analysis and of a timeline's run (the records of the
other commands are in :mod:`.records`)."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from statecraft.analysis.risk import Risk
    from statecraft.analysis.timeline import TimelineRun

Tables = dict[str, tuple[tuple[str, ...], list[dict[str, Any]]]]


def _scenario_json(scenario: Any) -> Any:
    from statecraft.io.native import dumps_json

    return json.loads(dumps_json(scenario))


def _hashed(body: str) -> tuple[str, str]:
    return body, hashlib.sha256(body.encode("utf-8")).hexdigest()


def risk_run(result: Risk) -> dict[str, Any]:
    """A risk analysis: its input is the scenario whose settlement was measured (the earlier
    one, given, is kept in the parameters); its tables the dyads, the issues' pressure and
    the guarantors, each with its median, 80% interval and mean; the fields of the record
    (``records._NewRun``)."""
    from statecraft.io.native import dumps_json

    if not result.inputs:
        raise TypeError("this risk result does not carry its scenario: make it with sc.risk")
    scenario, previous = result.inputs
    body, digest = _hashed(dumps_json(scenario))
    rows = result.to_records()
    tables: Tables = {
        "dyads": (
            ("a", "b"),
            [
                {"a": d.a, "b": d.b, **_band(r)}
                for d, r in zip(result.dyads, [r for r in rows if r["what"] == "dyad"], strict=True)
            ],
        ),
        "issues": (
            ("issue",),
            [{"issue": r["key"], **_band(r)} for r in rows if r["what"] == "issue"],
        ),
        "guarantors": (
            ("actor",),
            [{"actor": r["key"], **_band(r)} for r in rows if r["what"] == "guarantor"],
        ),
    }
    return {
        "command": "risk",
        "input_kind": "scenario",
        "input_name": scenario.name,
        "input": body,
        "input_hash": digest,
        "models": (),
        "parameters": {
            "draws": result.requested,
            "draws_done": result.draws,
            "focus": list(result.focus),
            "previous": None if previous is None else _scenario_json(previous),
            "block": result.block,
        },
        "seed": result.seed,
        "status": "interrupted" if result.interrupted else "complete",
        "document": result.to_dict(),
        "tables": tables,
    }


def _band(row: dict[str, Any]) -> dict[str, Any]:
    """A row of ``Risk.to_records`` less what it is and its key: its statistics."""
    return {k: v for k, v in row.items() if k not in ("what", "key")}


def timeline_run(result: TimelineRun) -> dict[str, Any]:
    """A timeline's run: its input is the timeline and its base scenario (as JSON, kind
    ``timeline``); its tables the forecasts per snapshot and issue, and, where the risk was
    run, the dyads' risk and the issues' pressure per snapshot, and the scores; the fields
    of the record (``records._NewRun``)."""
    from statecraft.analysis.timeline import base_scenario

    body, digest = _hashed(
        json.dumps(
            {
                "timeline": result.timeline.model_dump(mode="json"),
                "base": _scenario_json(base_scenario(result.timeline)),
            },
            ensure_ascii=False,
        )
    )
    document = result.to_dict()
    tables: Tables = {"forecasts": (("snapshot", "issue"), result.to_records())}
    snaps = document["snapshots"]
    if all("dyads" in s for s in snaps):
        tables["dyads"] = (
            ("snapshot", "a", "b"),
            [
                {
                    "snapshot": s["id"],
                    "a": d["a"],
                    "b": d["b"],
                    "risk": d["risk"],
                    "p10": d["interval80"][0],
                    "p90": d["interval80"][1],
                }
                for s in snaps
                for d in s["dyads"]
            ],
        )
        tables["pressure"] = (
            ("snapshot", "issue"),
            [
                {
                    "snapshot": s["id"],
                    "issue": i["issue"],
                    "pressure": i["pressure"],
                    "p10": i["interval80"][0],
                    "p90": i["interval80"][1],
                    "leader": i["leader"],
                }
                for s in snaps
                for i in s["issues"]
            ],
        )
    tables["scores"] = (
        ("snapshot", "event_date", "issue"),
        [
            {"snapshot": s["id"], **{k: v for k, v in x.items() if k != "event"}}
            for s in snaps
            for x in s["scores"]
        ],
    )
    return {
        "command": "timeline",
        "input_kind": "timeline",
        "input_name": result.timeline.name,
        "input": body,
        "input_hash": digest,
        "models": tuple(result.snapshots[0].brief.models) if result.snapshots else (),
        "parameters": {
            "draws": result.draws,
            "hold": list(result.held),
            "blocks": {s.snapshot.id: s.block for s in result.snapshots},
        },
        "seed": result.seed,
        "status": "complete",
        "document": document,
        "tables": tables,
    }
