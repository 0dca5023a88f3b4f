"""The JSON of a timeline's snapshot (``statecraft timeline -f json``): what changed, the
forecasts, the verdict, the scores and the risk measure's own keys."""

from __future__ import annotations

from typing import Any

from statecraft.analysis._blocks import BLOCK
from statecraft.analysis._patch import Change

__all__ = ["snapshot_dict"]


def _change_dict(c: Change) -> dict[str, Any]:
    what = c.set or c.shift or c.scale or ("remove_actor" if c.remove_actor else "add_actor")
    out: dict[str, Any] = {"change": what, "actor": c.actor or c.remove_actor, "issue": c.issue}
    out["value"] = c.value if c.set is not None else c.by
    out["op"] = "set" if c.set else "shift" if c.shift else "scale" if c.scale else what
    if c.low is not None:
        out["range"] = [c.low, c.high]
    out["sources"] = list(c.sources)
    out["note"] = c.note
    return out


def snapshot_dict(s: Any) -> dict[str, Any]:
    """The JSON of one :class:`~statecraft.analysis.timeline.SnapshotRun` (typed ``Any``: the
    timeline module imports this one, and an import back, even for typing, would be a cycle)."""
    b = s.brief
    out: dict[str, Any] = {
        "id": s.snapshot.id,
        "date": s.snapshot.when.isoformat(),
        "cutoff": s.snapshot.cutoff.isoformat(),
        "title": s.snapshot.title,
        "scenario": s.scenario.name,
        "changes": [_change_dict(c) for c in s.snapshot.changes],
        "forecasts": {
            i.issue: {
                "label": i.label,
                "status_quo": i.status_quo,
                "forecast": i.forecast,
                "interval80": list(i.interval80),
                "inputs80": list(i.inputs80),
                "spread": i.spread,
            }
            for i in b.issues
        },
        "verdict": {
            "leader": b.leader.actor if b.leader else None,
            "models": list(b.models),
            "winners": [
                {"actor": v.actor, "name": v.name, **v.overall.to_dict()} for v in b.winners
            ],
            "flags": [{"kind": f.kind, "message": f.message} for f in b.flags],
        },
        "scores": [
            {
                "event_date": x.event_date.isoformat(),
                "event": x.event,
                "issue": x.issue,
                "status_quo": x.status_quo,
                "forecast": x.forecast,
                "outcome": x.outcome,
                "error": x.error,
                "status_quo_error": x.baseline_error,
                "beats_status_quo": x.beats_status_quo,
            }
            for x in s.scores
        ],
    }
    if s.risk is not None:
        out.update(s.risk)  # the risk measure's own keys (dyads, ...), once it is wired
    if s.block != BLOCK:
        out["block"] = s.block
    return out
