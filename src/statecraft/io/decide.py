"""The input format of the decide exchange model (Stokman's model, the ``decide`` project).

One record per line, the cells separated by tabs (or semicolons), text in single quotes:

- ``#A  actor  name  comment``: an actor;
- ``#P  issue  name  description``: an issue;
- ``#M  issue  value``: a point of the issue's scale (its lowest and highest give the scale);
- ``#D  actor  issue  position  salience  power``: where an actor stands on an issue, how much
  it cares (0-1) and its power on that issue.

An actor's power becomes its capability; where it differs from issue to issue, the actor's
capability is its largest power and each issue with a smaller one carries its own. What the
format cannot hold is listed by :func:`decide_losses` rather than dropped silently.
"""

from __future__ import annotations

import csv
from typing import Any

from statecraft.errors import ScenarioError
from statecraft.io._common import actor_data, common_losses, slug
from statecraft.io._validate import build_scenario
from statecraft.scenario import Scenario

__all__ = ["decide_losses", "dumps_decide", "is_decide", "parse_decide"]

_KINDS = ("#A", "#P", "#M", "#D")
# the cells of each record after its kind, and how many must be there
_CELLS = {"#A": (1, 3), "#P": (1, 3), "#M": (2, 3), "#D": (5, 5)}


def _records(text: str) -> list[tuple[int, list[str]]]:
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        delimiter = "\t" if "\t" in line else ";" if ";" in line else ","
        cells = next(csv.reader([line], delimiter=delimiter, quotechar="'"))
        out.append((number, [c.strip().strip("'").strip() for c in cells]))
    return out


def is_decide(text: str) -> bool:
    """Whether text looks like a decide input file: its first record is ``#A``."""
    records = _records("\n".join(text.splitlines()[:5]))
    return bool(records) and records[0][1][0] in _KINDS


def parse_decide(text: str, *, file: str | None = None, name: str = "scenario") -> Scenario:
    """A scenario from decide input text; ``name`` is the scenario's (the file's stem)."""
    actors: dict[str, dict[str, Any]] = {}
    issues: dict[str, dict[str, Any]] = {}
    points: dict[str, list[float]] = {}
    stances: list[tuple[int, str, str, float, float, float]] = []

    def number(cell: str, what: str, line: int) -> float:
        try:
            return float(cell)
        except ValueError:
            raise ScenarioError(
                f"{what}: expected a number", file=file, line=line, value=cell, has_value=True
            ) from None

    for line, cells in _records(text):
        kind = cells[0]
        if kind not in _CELLS:
            raise ScenarioError(
                "a decide record starts with #A (actor), #P (issue), #M (scale point) or "
                "#D (position, salience, power)",
                file=file,
                line=line,
                value=kind,
                has_value=True,
            )
        least, _ = _CELLS[kind]
        rest = [*cells[1:], "", ""]
        if len([c for c in cells[1:] if c != ""]) < least:
            raise ScenarioError(f"a {kind} record is missing cells", file=file, line=line)
        if kind == "#A":
            actors[rest[0]] = {"name": rest[1], "comment": rest[2], "line": line}
        elif kind == "#P":
            issues[rest[0]] = {"name": rest[1], "description": rest[2], "line": line}
        elif kind == "#M":
            points.setdefault(rest[0], []).append(number(rest[1], "scale point", line))
        else:
            stances.append(
                (
                    line,
                    rest[0],
                    rest[1],
                    number(rest[2], "position", line),
                    number(rest[3], "salience", line),
                    number(rest[4], "power", line),
                )
            )
    if not actors or not issues:
        raise ScenarioError("a decide file needs #A actors and #P issues", file=file)
    by_actor: dict[str, dict[str, tuple[float, float, float]]] = {a: {} for a in actors}
    for line, who, issue, position, salience, power in stances:
        if who not in actors:
            raise ScenarioError(
                f"#D names an actor with no #A record: {who!r}", file=file, line=line
            )
        if issue not in issues:
            raise ScenarioError(
                f"#D names an issue with no #P record: {issue!r}", file=file, line=line
            )
        if power <= 0:
            raise ScenarioError(
                "power must be above 0 (an actor without power on an issue is left out of "
                "its #D records)",
                file=file,
                line=line,
                value=power,
                has_value=True,
            )
        by_actor[who][issue] = (position, salience, power)
    issue_data: list[dict[str, Any]] = []
    for issue_id, info in issues.items():
        scale = points.get(issue_id, [])
        if len(scale) < 2 or min(scale) == max(scale):
            raise ScenarioError(
                f"issue {issue_id!r} needs two #M scale points, its lowest and highest",
                file=file,
                line=info["line"],
            )
        item: dict[str, Any] = {
            "id": slug(issue_id, f"issue-{len(issue_data) + 1}"),
            "label": info["name"] or issue_id,
            "scale": {"low": min(scale), "high": max(scale)},
        }
        if info["description"] and info["description"] != info["name"]:
            item["description"] = info["description"]
        issue_data.append(item)
    ids = {i: d["id"] for i, d in zip(issues, issue_data, strict=True)}
    actors_out: list[dict[str, Any]] = []
    for actor_id, info in actors.items():
        mine = by_actor[actor_id]
        if not mine:
            continue
        actor = actor_data(
            slug(actor_id, f"actor-{len(actors_out) + 1}"),
            {ids[i]: stance for i, stance in mine.items()},
        )
        if info["name"] and info["name"] != actor["id"]:
            actor["name"] = info["name"]
        if info["comment"]:
            actor["description"] = info["comment"]
        actors_out.append(actor)
    data = {"name": name, "issues": issue_data, "actors": actors_out}
    return build_scenario(data, file=file)


def _text(value: str) -> str:
    return "'" + value.replace("'", "’").replace("\t", " ").replace("\n", " ") + "'"


def _number(x: float) -> str:
    return f"{x:.10g}"


def dumps_decide(scenario: Scenario) -> str:
    """The scenario as decide input text (see :func:`decide_losses` for what it cannot hold)."""
    rows: list[list[str]] = []
    for actor in scenario.actors:
        rows.append(
            ["'#A'", _text(actor.id), _text(actor.name or actor.id), _text(actor.description or "")]
        )
    for issue in scenario.issues:
        rows.append(["'#P'", _text(issue.id), _text(issue.label), _text(issue.description or "")])
        rows.append(["'#M'", _text(issue.id), _number(issue.scale.low)])
        rows.append(["'#M'", _text(issue.id), _number(issue.scale.high)])
    for actor in scenario.actors:
        for issue in scenario.issues:
            stance = actor.stances.get(issue.id)
            if stance is None:
                continue
            rows.append(
                [
                    "'#D'",
                    _text(actor.id),
                    _text(issue.id),
                    _number(stance.position.value),
                    _number(stance.salience.value),
                    _number(actor.capability_on(issue.id)),
                ]
            )
    return "".join("\t".join(r) + "\n" for r in rows)


def decide_losses(scenario: Scenario) -> list[str]:
    """What writing the scenario in decide's format would lose or change."""
    lost: list[str] = []
    if scenario.title or scenario.description:
        lost.append("the scenario's title and description (the file's name names it)")
    for issue in scenario.issues:
        if issue.status_quo is not None or issue.actual is not None:
            lost.append(f"issue {issue.id}: the status quo and the actual outcome")
        if issue.scale.low_meaning or issue.scale.high_meaning or issue.scale.unit:
            lost.append(f"issue {issue.id}: what the scale's ends mean, and its unit")
    for actor in scenario.actors:
        caps = {actor.capability_on(i) for i in actor.stances}
        if actor.capability.value not in caps and actor.stances:
            lost.append(
                f"actor {actor.id}: its overall capability {actor.capability.value:g}, which "
                "no issue uses (decide keeps a power per issue)"
            )
        if not actor.stances:
            lost.append(f"actor {actor.id}: it takes no position on any issue")
    return lost + common_losses(scenario)
