"""KTAB's CSV scenario format, as read by its spatial model of politics (SMP).

KTAB, the KAPSARC Toolkit for Behavioral Analysis (Wise, Lester & Efird; MIT licence), reads
a scenario as comma-separated text:

- a first line ``name, description, number of actors, number of dimensions,``;
- a header ``Actor, Description, Power`` (or ``Influence``), then a ``<dim> Position`` and a
  ``<dim> Salience`` column for each dimension;
- one row per actor: its short name, its description, its power, then its position (0-100)
  and salience (0-100) on each dimension.

Each dimension becomes an issue on a 0-100 scale, the power the actor's capability and the
salience, divided by 100, its salience. What the format cannot hold (status quo, outcome,
sources, notes, a capability on one issue only, scales other than 0-100, an actor sitting an
issue out) is listed by :func:`ktab_losses` rather than dropped silently.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from statecraft.errors import ScenarioError
from statecraft.io._common import common_losses, slug
from statecraft.io._text import csv_rows, finite_cell
from statecraft.io._validate import Path, build_scenario
from statecraft.scenario import Scenario

__all__ = ["dumps_ktab", "is_ktab", "ktab_losses", "parse_ktab"]


def _rows(text: str, file: str | None) -> list[tuple[int, list[str]]]:
    """The rows that are not blank, each with the line it starts on."""
    return [
        (line, [cell.strip() for cell in row])
        for line, row in csv_rows(text, file=file)
        if any(cell.strip() for cell in row)
    ]


def _count(cell: str) -> int | None:
    try:
        value = float(cell)
    except ValueError:
        return None
    return int(value) if value.is_integer() and value >= 0 else None


def _first_line(row: list[str]) -> tuple[str, str, int, int] | None:
    """Name, description, actors and dimensions from the first line: KTAB's files put the
    counts third and fourth (some add cells after them); a description with commas in it
    pushes them further, so the first two counts in a row are taken."""
    for k in range(2, len(row) - 1):
        n_actors, n_dims = _count(row[k]), _count(row[k + 1])
        if n_actors is not None and n_dims is not None:
            return row[0], ", ".join(c for c in row[1:k] if c), n_actors, n_dims
    return None


def _lines_of(text: str) -> Iterator[str]:
    """The lines of a text, one at a time (a detector reads two, not the whole file)."""
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def is_ktab(text: str) -> bool:
    """Whether text looks like a KTAB scenario: a first line with the name, description and
    two counts, then a header that starts ``Actor, Description``."""
    # Split at commas, as KTAB does, rather than with the csv module: a first line of any
    # length is told, never refused.
    lines = (line for line in _lines_of(text) if line.strip())  # blank lines skipped
    rows = [
        [cell.strip().strip('"').strip() for cell in line.split(",")]
        for _, line in zip(range(2), lines, strict=False)
    ]
    if len(rows) < 2:
        return False
    header = [c.lower() for c in rows[1]]
    return _first_line(rows[0]) is not None and header[:2] == ["actor", "description"]


def _dimension(header: str, k: int) -> tuple[str, str]:
    """A dimension's id and label from its position column's header: ``Policy Position``
    gives ``Policy``; ``Pstn1`` (KTAB's test files) gives ``dim1``."""
    rest = re.sub(r"(?i)\s*(position|pstn)\s*", " ", header).strip()
    if not rest or rest.isdigit():
        return f"dim{rest or k + 1}", f"Dimension {rest or k + 1}"
    return slug(rest.replace(" ", "-"), f"dim{k + 1}"), rest


def _header(issue_id: str, label: str, k: int) -> str | None:
    """The position column header that reads back as this issue's id and label, if any."""
    for header in (f"{label} Position", f"{issue_id} Position", f"Pstn{k + 1}"):
        if _dimension(header, k) == (issue_id, label):
            return header
    return None


def _value(cell: str, what: str, *, file: str | None, line: int, top: float | None) -> float:
    """A number as written in the cell; with ``top``, one on KTAB's 0..top."""
    value = finite_cell(cell, what, file=file, line=line)
    if top is not None and not 0 <= value <= top:
        raise ScenarioError(
            f"{what}: KTAB's values lie on 0..{top:g}",
            file=file,
            line=line,
            value=cell,
            has_value=True,
        )
    return value


def parse_ktab(text: str, *, file: str | None = None) -> Scenario:
    """A scenario from KTAB CSV text; each dimension becomes an issue on a 0-100 scale.

    Positions and saliences must lie on 0..100 (a message shows them as written); blank
    lines are skipped, and every message names the line of the file as an editor counts it.
    """
    rows = _rows(text, file)
    if len(rows) < 3:
        raise ScenarioError(
            "a KTAB file has a first line (name, description, actors, dimensions), a header "
            "and a row per actor",
            file=file,
        )
    first_at, first_row = rows[0]
    first = _first_line(first_row)
    if first is None or first[3] < 1:
        raise ScenarioError(
            "the first line must give the name, the description, the number of actors and "
            "the number of dimensions",
            file=file,
            line=first_at,
        )
    name, description, n_actors, n_dims = first
    header_at, header = rows[1]
    want = 3 + 2 * n_dims
    if len([c for c in header if c]) < want:
        raise ScenarioError(
            f"the header must have Actor, Description, Power and a position and a salience "
            f"column for each of the {n_dims} dimensions ({want} columns)",
            file=file,
            line=header_at,
        )
    dims = [_dimension(header[3 + 2 * k], k) for k in range(n_dims)]
    if len({d for d, _ in dims}) < n_dims:
        dims = [(f"dim{k + 1}", label) for k, (_, label) in enumerate(dims)]
    body = rows[2:]
    if len(body) != n_actors:
        raise ScenarioError(
            f"the first line says {n_actors} actors, and the file has {len(body)} actor rows",
            file=file,
            line=first_at,
        )
    actors: list[dict[str, Any]] = []
    lines: dict[Path, int] = {}
    for a, (line, row) in enumerate(body):
        cells = list(row)
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) < want:
            raise ScenarioError(
                f"an actor row needs {want} cells (actor, description, power, then a position "
                f"and a salience per dimension); this one has {len(cells)}",
                file=file,
                line=line,
            )
        stances: dict[str, Any] = {}
        for k, (dim, label) in enumerate(dims):
            position = _value(cells[3 + 2 * k], f"{label} position", file=file, line=line, top=100)
            salience = _value(cells[4 + 2 * k], f"{label} salience", file=file, line=line, top=100)
            stances[dim] = {"position": position, "salience": salience / 100}
        actor: dict[str, Any] = {
            "id": slug(cells[0], f"actor-{a + 1}"),
            "capability": _value(cells[2], "power", file=file, line=line, top=None),
            "stances": stances,
        }
        if cells[0] != actor["id"]:
            actor["name"] = cells[0]
        if cells[1]:
            actor["description"] = cells[1]  # KTAB's long name, e.g. "Xi Jinping"
        lines[("actors", a)] = line
        actors.append(actor)
    data = {
        "name": slug(name.replace(" ", "-"), "ktab-scenario"),
        "title": name,
        "description": description,
        "issues": [{"id": d, "label": label} for d, label in dims],
        "actors": actors,
    }
    lines[("issues",)] = header_at
    lines[("name",)] = lines[("title",)] = lines[("description",)] = first_at
    return build_scenario(data, file=file, lines=lines)


def _number(x: float) -> str:
    return f"{x:.10g}"


def _cell(text: str) -> str:
    """Text as a KTAB cell: KTAB splits lines on commas and reads no quotes, so commas
    become semicolons, and quotes and line breaks go."""
    return " ".join(text.replace(",", ";").replace('"', "").split())


def ktab_losses(scenario: Scenario) -> list[str]:
    """What writing the scenario as KTAB CSV would lose or change."""
    lost: list[str] = []
    if scenario.title and scenario.name != slug(scenario.title.replace(" ", "-"), ""):
        lost.append("the scenario's short name (KTAB keeps its title)")
    texts = [scenario.title or scenario.name, scenario.description]
    texts += [a.description or a.name or "" for a in scenario.actors]
    if any(_cell(t) != t for t in texts):
        lost.append("commas, quotes and line breaks in texts (KTAB reads none of them)")
    for k, issue in enumerate(scenario.issues):
        if _header(issue.id, issue.label, k) is None:
            lost.append(f"issue {issue.id}: its label {issue.label!r} (KTAB names it by its id)")
        if issue.description:
            lost.append(f"issue {issue.id}: its description")
        if (issue.scale.low, issue.scale.high) != (0.0, 100.0):
            lost.append(
                f"issue {issue.id}: its scale {issue.scale.low:g}..{issue.scale.high:g} is "
                "rescaled to KTAB's 0..100"
            )
        if issue.status_quo is not None or issue.actual is not None:
            lost.append(f"issue {issue.id}: the status quo and the actual outcome")
        if issue.scale.low_meaning or issue.scale.high_meaning or issue.scale.unit:
            lost.append(f"issue {issue.id}: what the scale's ends mean, and its unit")
    for actor in scenario.actors:
        if actor.name and actor.description:
            lost.append(
                f"actor {actor.id}: its name (the Description column holds its description)"
            )
        elif actor.name:
            lost.append(f"actor {actor.id}: its name is written as its description")
        missing = [i for i in scenario.issue_ids if i not in actor.stances]
        if missing:
            lost.append(
                f"actor {actor.id} takes no position on {', '.join(missing)}: KTAB needs one "
                "on every dimension, so it is written at the middle of the scale with "
                "salience 0"
            )
        if any(st.capability is not None for st in actor.stances.values()):
            lost.append(
                f"actor {actor.id}: capabilities on single issues (KTAB has one power per actor)"
            )
    return lost + common_losses(scenario)


def dumps_ktab(scenario: Scenario) -> str:
    """The scenario as KTAB CSV text (see :func:`ktab_losses` for what it cannot hold)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    writer.writerow(
        [
            _cell(scenario.title or scenario.name),
            _cell(scenario.description),
            len(scenario.actors),
            len(scenario.issues),
            "",
        ]
    )
    header = ["Actor", "Description", "Power"]
    for k, issue in enumerate(scenario.issues):
        position = _header(issue.id, issue.label, k) or f"{issue.id} Position"
        header += [position, position.replace("Position", "Salience").replace("Pstn", "Sal")]
    writer.writerow(header)
    for actor in scenario.actors:
        row = [
            actor.id,
            _cell(actor.description or actor.name or ""),
            _number(actor.capability.value),
        ]
        for issue in scenario.issues:
            scale = issue.scale
            stance = actor.stances.get(issue.id)
            if stance is None:
                row += ["50", "0"]
                continue
            at = (stance.position.value - scale.low) / scale.width * 100  # no overflow near 1e308
            row += [_number(at), _number(100 * stance.salience.value)]
        writer.writerow(row)
    return out.getvalue()
