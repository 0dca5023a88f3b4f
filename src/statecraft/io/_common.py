"""What the readers and writers share: the size limit on files, and helpers for other tools'
formats. Re-exported by :mod:`statecraft.io`, where other packages import them from."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from statecraft.scenario import Scenario

#: The largest file accepted as a scenario. Real scenarios are a few kilobytes to a few
#: hundred; anything bigger is refused before it is read, let alone parsed.
MAX_FILE_BYTES = 4 * 1024 * 1024

_ID_BAD = re.compile(r"[^A-Za-z0-9_.\-]+")


def slug(text: str, fallback: str) -> str:
    """An id made of the text (runs of other characters become ``-``), else ``fallback``."""
    made = _ID_BAD.sub("-", text.strip()).strip("-._")[:64]
    return made or fallback


def quantities(scenario: Scenario) -> list[Any]:
    """Every number of the scenario that can carry a source, a note or a range."""
    out: list[Any] = []
    for issue in scenario.issues:
        out += [q for q in (issue.status_quo, issue.actual) if q is not None]
    for actor in scenario.actors:
        out.append(actor.capability)
        for st in actor.stances.values():
            out += [q for q in (st.position, st.salience, st.capability) if q is not None]
    return out


def has_provenance(scenario: Scenario) -> bool:
    """Whether the scenario cites sources or gives any number a source or a note."""
    return bool(scenario.sources) or any(q.source or q.note for q in quantities(scenario))


def common_losses(scenario: Scenario) -> list[str]:
    """What neither KTAB's nor decide's format holds: provenance, ranges, roles."""
    lost: list[str] = []
    if has_provenance(scenario):
        lost.append("the sources and notes of the numbers, and the scenario's sources")
    if any(q.uncertain for q in quantities(scenario)):
        lost.append("the ranges (low, high) of the uncertain numbers")
    if any(a.roles for a in scenario.actors):
        lost.append("the actors' roles")
    return lost


def actor_data(actor_id: str, stances: Mapping[str, tuple[Any, Any, float]]) -> dict[str, Any]:
    """An actor as scenario data from its stances, issue -> (position, salience, capability
    on that issue): its capability is the largest, and each issue with a smaller one carries
    its own."""
    top = max(c for _, _, c in stances.values())
    return {
        "id": actor_id,
        "capability": top,
        "stances": {
            issue: {"position": p, "salience": s} | ({} if c == top else {"capability": c})
            for issue, (p, s, c) in stances.items()
        },
    }
