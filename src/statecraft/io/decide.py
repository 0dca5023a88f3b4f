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

from statecraft.errors import ScenarioError, shown
from statecraft.io._common import actor_data, common_losses, slug
from statecraft.io._text import csv_error, finite_cell, text_lines
from statecraft.io._validate import Path, build_scenario
from statecraft.scenario import Scenario

__all__ = ["decide_losses", "dumps_decide", "is_decide", "parse_decide"]

_KINDS = ("#A", "#P", "#M", "#D")
# the cells of each record after its kind, and how many must be there
_CELLS = {"#A": (1, 3), "#P": (1, 3), "#M": (2, 3), "#D": (5, 5)}


def _delimiter(line: str) -> str:
    return "\t" if "\t" in line else ";" if ";" in line else ","


def _records(text: str, file: str | None) -> list[tuple[int, list[str]]]:
    out = []
    for number, raw in enumerate(text_lines(text), start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            cells = next(csv.reader([line], delimiter=_delimiter(line), quotechar="'"))
        except csv.Error as exc:
            raise csv_error(exc, file=file, line=number) from None
        out.append((number, [c.strip().strip("'").strip() for c in cells]))
    return out


def is_decide(text: str) -> bool:
    """Whether text looks like a decide input file: its first record (within the first five
    lines) starts with a decide kind (``#A``, ``#P``, ``#M`` or ``#D``). The csv module is not
    used here: a first line of any length is told, never refused."""
    for raw in text.split("\n", 5)[:5]:
        line = raw.strip()
        if line:
            first = line.split(_delimiter(line), 1)[0]
            return first.strip().strip("'").strip() in _KINDS
    return False


def _once(
    seen: dict[Any, int], key: Any, what: str, *, file: str | None, line: int, rule: str
) -> None:
    """Refuse a second record for the same key, naming the line of each."""
    if key in seen:
        raise ScenarioError(
            f"{what} twice, on lines {seen[key]} and {line}; {rule}", file=file, line=line
        )
    seen[key] = line


def _unique_id(
    made: dict[str, tuple[str, int]], new: str, given: str, *, file: str | None, line: int
) -> None:
    """Refuse two names that become the same id (``a b`` and ``a-b`` both give ``a-b``)."""
    if new in made and made[new][0] != given:
        first, at = made[new]
        raise ScenarioError(
            f"{shown(first)} (line {at}) and {shown(given)} (line {line}) both become the id "
            f"{new!r}; rename one",
            file=file,
            line=line,
        )
    made[new] = (given, line)


def parse_decide(text: str, *, file: str | None = None, name: str = "scenario") -> Scenario:
    """A scenario from decide input text; ``name`` is the scenario's (the file's stem).

    A second ``#A`` record for an actor, ``#P`` for an issue or ``#D`` for an actor and an
    issue is refused, naming both lines (decide itself would keep one of them silently).
    """
    actors: dict[str, dict[str, Any]] = {}
    issues: dict[str, dict[str, Any]] = {}
    points: dict[str, list[tuple[float, int]]] = {}
    stances: list[tuple[int, str, str, float, float, float]] = []
    seen_stance: dict[tuple[str, str], int] = {}
    seen_actor: dict[str, int] = {}
    seen_issue: dict[str, int] = {}
    for line, cells in _records(text, file):
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
            what = f"#A actor {shown(rest[0])}"
            _once(seen_actor, rest[0], what, file=file, line=line, rule="one #A per actor")
            actors[rest[0]] = {"name": rest[1], "comment": rest[2], "line": line}
        elif kind == "#P":
            what = f"#P issue {shown(rest[0])}"
            _once(seen_issue, rest[0], what, file=file, line=line, rule="one #P per issue")
            issues[rest[0]] = {"name": rest[1], "description": rest[2], "line": line}
        elif kind == "#M":
            point = finite_cell(rest[1], "scale point", file=file, line=line)
            points.setdefault(rest[0], []).append((point, line))
        else:
            what = f"#D for actor {shown(rest[0])} on issue {shown(rest[1])}"
            rule = "one #D per actor and issue"
            _once(seen_stance, (rest[0], rest[1]), what, file=file, line=line, rule=rule)
            numbers = [
                finite_cell(rest[k], label, file=file, line=line)
                for k, label in ((2, "position"), (3, "salience"), (4, "power"))
            ]
            stances.append((line, rest[0], rest[1], *numbers))  # type: ignore[arg-type]
    if not actors or not issues:
        raise ScenarioError("a decide file needs #A actors and #P issues", file=file)
    by_actor: dict[str, dict[str, tuple[float, float, float]]] = {a: {} for a in actors}
    stance_lines: dict[tuple[str, str], int] = {}
    for line, who, issue, position, salience, power in stances:
        if who not in actors:
            raise ScenarioError(
                f"#D names an actor with no #A record: {shown(who)}", file=file, line=line
            )
        if issue not in issues:
            raise ScenarioError(
                f"#D names an issue with no #P record: {shown(issue)}", file=file, line=line
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
        stance_lines[(who, issue)] = line
    lines: dict[Path, int] = {}
    issue_data: list[dict[str, Any]] = []
    ids: dict[str, str] = {}
    made: dict[str, tuple[str, int]] = {}
    for issue_id, info in issues.items():
        scale = points.get(issue_id, [])
        values = [v for v, _ in scale]
        if len(values) < 2 or min(values) == max(values):
            raise ScenarioError(
                f"issue {shown(issue_id)} needs two #M scale points, its lowest and highest",
                file=file,
                line=info["line"],
            )
        item: dict[str, Any] = {
            "id": slug(issue_id, f"issue-{len(issue_data) + 1}"),
            "label": info["name"] or issue_id,
            "scale": {"low": min(values), "high": max(values)},
        }
        _unique_id(made, item["id"], issue_id, file=file, line=info["line"])
        if info["description"] and info["description"] != info["name"]:
            item["description"] = info["description"]
        k = len(issue_data)
        lines[("issues", k)] = info["line"]
        lines[("issues", k, "scale")] = scale[0][1]
        ids[issue_id] = item["id"]
        issue_data.append(item)
    actors_out: list[dict[str, Any]] = []
    made = {}
    for actor_id, info in actors.items():
        mine = by_actor[actor_id]
        if not mine:
            continue
        actor = actor_data(
            slug(actor_id, f"actor-{len(actors_out) + 1}"),
            {ids[i]: stance for i, stance in mine.items()},
        )
        _unique_id(made, actor["id"], actor_id, file=file, line=info["line"])
        if info["name"] and info["name"] != actor["id"]:
            actor["name"] = info["name"]
        if info["comment"]:
            actor["description"] = info["comment"]
        a = len(actors_out)
        lines[("actors", a)] = info["line"]
        for issue in mine:
            lines[("actors", a, "stances", ids[issue])] = stance_lines[(actor_id, issue)]
        actors_out.append(actor)
    data = {"name": name, "issues": issue_data, "actors": actors_out}
    return build_scenario(data, file=file, lines=lines)


def _text(value: str) -> str:
    flat = value.replace("'", "’").replace("\t", " ").replace("\r", " ").replace("\n", " ")
    return "'" + flat + "'"


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
    texts = [(f"actor {a.id}", [a.name or "", a.description or ""]) for a in scenario.actors]
    texts += [(f"issue {i.id}", [i.label, i.description or ""]) for i in scenario.issues]
    for who, values in texts:
        if any(c in v for v in values for c in "'\t\n\r"):
            lost.append(
                f"{who}: its text is changed: decide quotes with ', so ' is written as ’, and "
                "tabs and line breaks as spaces"
            )
    return lost + common_losses(scenario)
