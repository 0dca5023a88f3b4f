"""The flat CSV table, for spreadsheet users: one row per actor and issue.

Required columns: ``actor, issue, capability, position, salience``. Optional columns add what
the native format holds: ``actor_name, roles`` (separated by ``;``), ``issue_label,
scale_low, scale_high, low_meaning, high_meaning, unit, status_quo, actual``, and
``<number>_source`` / ``<number>_note`` for each of ``capability, position, salience,
status_quo, actual``. Issue columns repeat on every row of the issue and must agree.

An actor's capability is its ``actor_capability`` where that column is given, else the one on
its first row; a row whose capability differs gives a capability for that issue only.
Without ``scale_low``/``scale_high`` an issue's scale is
0..100. The scenario's name is the file's stem.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from typing import Any

from statecraft.errors import ScenarioError, shown
from statecraft.io._text import csv_rows
from statecraft.io._validate import Path, build_scenario
from statecraft.scenario import Quantity, Scenario

__all__ = ["REQUIRED", "csv_losses", "dumps_csv", "parse_csv"]

REQUIRED = ("actor", "issue", "capability", "position", "salience")
_NUMBERS = ("capability", "position", "salience", "status_quo", "actual")
_ISSUE_TEXT = ("issue_label", "low_meaning", "high_meaning", "unit")
_ISSUE_NUMBERS = ("scale_low", "scale_high", "status_quo", "actual")
OPTIONAL = (
    "actor_name",
    "roles",
    "actor_capability",
    *_ISSUE_TEXT,
    "scale_low",
    "scale_high",
    "status_quo",
    "actual",
    *(f"{n}_{kind}" for n in _NUMBERS for kind in ("source", "note")),
)


def _number(text: str, *, column: str, file: str | None, line: int) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ScenarioError(
            f"column {column!r}: expected a finite number",
            file=file,
            line=line,
            value=text,
            has_value=True,
        )
    return value


def _quantity(
    row: Mapping[str, str], name: str, *, file: str | None, line: int
) -> float | dict[str, Any]:
    value = _number(row[name], column=name, file=file, line=line)
    extra = {k: row.get(f"{name}_{k}", "").strip() for k in ("source", "note")}
    extra = {k: v for k, v in extra.items() if v}
    return {"value": value, **extra} if extra else value


def parse_csv(text: str, *, file: str | None = None, name: str = "scenario") -> Scenario:
    """Read a scenario from the flat CSV table (errors name the line and column)."""
    rows = csv_rows(text, file=file, strict=True)
    rows_with_lines = [(line, r) for line, r in rows if any(c.strip() for c in r)]
    if not rows_with_lines:
        raise ScenarioError("the scenario is empty: the CSV table has no rows", file=file, line=1)
    header_line, header = rows_with_lines[0]
    columns = [c.strip().lower() for c in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ScenarioError(
            f"malformed CSV: missing column(s) {', '.join(missing)}; the table needs "
            f"{', '.join(REQUIRED)}",
            file=file,
            line=header_line,
        )
    unknown = [c for c in columns if c not in REQUIRED and c not in OPTIONAL]
    if unknown:
        raise ScenarioError(
            f"unknown column {shown(unknown[0])}; allowed: {', '.join((*REQUIRED, *OPTIONAL))}",
            file=file,
            line=header_line,
        )
    if len(set(columns)) != len(columns):
        dup = next(c for c in columns if columns.count(c) > 1)
        raise ScenarioError(f"duplicate column {shown(dup)}", file=file, line=header_line)
    if len(rows_with_lines) == 1:
        raise ScenarioError(
            "the scenario is empty: the CSV table has a header but no rows", file=file, line=1
        )

    issues: dict[str, dict[str, Any]] = {}
    issue_lines: dict[str, int] = {}
    actors: dict[str, dict[str, Any]] = {}
    lines: dict[Path, int] = {}
    for line, raw in rows_with_lines[1:]:
        if len(raw) != len(columns):
            raise ScenarioError(
                f"malformed CSV: the row has {len(raw)} fields but the header has {len(columns)}",
                file=file,
                line=line,
            )
        row = {c: v.strip() for c, v in zip(columns, raw, strict=True)}
        for col in REQUIRED:
            if not row[col]:
                raise ScenarioError(f"column {col!r} is empty", file=file, line=line)
        issue_id, actor_id = row["issue"], row["actor"]

        issue = issues.setdefault(issue_id, {"id": issue_id, "label": issue_id})
        issue_lines.setdefault(issue_id, line)
        _merge_issue(issue, row, file=file, line=line)

        actor = actors.get(actor_id)
        capability = _quantity(row, "capability", file=file, line=line)
        if actor is None:
            overall = (
                _number(row["actor_capability"], column="actor_capability", file=file, line=line)
                if row.get("actor_capability")
                else capability
            )
            actor = {"id": actor_id, "capability": overall, "stances": {}}
            if row.get("actor_name"):
                actor["name"] = row["actor_name"]
            if row.get("roles"):
                actor["roles"] = [r.strip() for r in row["roles"].split(";") if r.strip()]
            actors[actor_id] = actor
            a = len(actors) - 1
            lines[("actors", a)] = line
            lines[("actors", a, "capability")] = line
        else:
            _fold(
                actor,
                {"name": row["actor_name"]} if row.get("actor_name") else {},
                what="actor column",
                file=file,
                line=line,
                owner="actor",
            )
            if row.get("actor_capability"):
                given = _number(
                    row["actor_capability"], column="actor_capability", file=file, line=line
                )
                if given != _value(actor["capability"]):
                    raise ScenarioError(
                        f"actor {shown(actor_id)}: column 'actor_capability' differs from an "
                        "earlier row of the same actor",
                        file=file,
                        line=line,
                        value=given,
                        has_value=True,
                    )
        a = list(actors).index(actor_id)
        if issue_id in actor["stances"]:
            raise ScenarioError(
                f"actor {shown(actor_id)} has two rows for issue {shown(issue_id)} "
                f"(first on line {lines[('actors', a, 'stances', issue_id)]})",
                file=file,
                line=line,
            )
        stance: dict[str, Any] = {
            "position": _quantity(row, "position", file=file, line=line),
            "salience": _quantity(row, "salience", file=file, line=line),
        }
        if _value(capability) != _value(actor["capability"]):
            stance["capability"] = capability
        elif isinstance(capability, dict) and not isinstance(actor["capability"], dict):
            actor["capability"] = capability  # the overall capability's source and note
        actor["stances"][issue_id] = stance
        lines[("actors", a, "stances", issue_id)] = line

    for i, issue_id in enumerate(issues):
        lines[("issues", i)] = issue_lines[issue_id]
    data = {"name": name, "issues": list(issues.values()), "actors": list(actors.values())}
    return build_scenario(data, file=file, lines=lines)


def _value(q: float | dict[str, Any]) -> float:
    return float(q["value"]) if isinstance(q, dict) else float(q)


def _merge_issue(
    issue: dict[str, Any], row: Mapping[str, str], *, file: str | None, line: int
) -> None:
    """Fold the issue columns of one row into the issue, refusing contradictions."""
    found: dict[str, Any] = {}
    if row.get("issue_label"):
        found["label"] = row["issue_label"]
    scale: dict[str, Any] = {}
    for col, key in (("scale_low", "low"), ("scale_high", "high")):
        if row.get(col):
            scale[key] = _number(row[col], column=col, file=file, line=line)
    for key in ("low_meaning", "high_meaning", "unit"):
        if row.get(key):
            scale[key] = row[key]
    for key in ("status_quo", "actual"):
        if row.get(key):
            found[key] = _quantity(row, key, file=file, line=line)
    # The label starts as the issue id, a placeholder that the first real label replaces.
    provisional = {"label"} if issue["label"] == issue["id"] else set()
    _fold(issue, found, what="column", provisional=provisional, file=file, line=line)
    if scale:
        scale_so_far = issue.setdefault("scale", {})
        _fold(scale_so_far, scale, what="scale", issue_id=issue["id"], file=file, line=line)


def _fold(
    target: dict[str, Any],
    updates: Mapping[str, Any],
    *,
    what: str,
    file: str | None,
    line: int,
    provisional: set[str] | frozenset[str] = frozenset(),
    issue_id: str | None = None,
    owner: str = "issue",
) -> None:
    """Copy ``updates`` into ``target``, refusing a value that contradicts an earlier row."""
    name = issue_id or target["id"]
    for key, value in updates.items():
        if key in target and target[key] != value and key not in provisional:
            raise ScenarioError(
                f"{owner} {shown(name)}: {what} {key!r} differs from an earlier row of the "
                f"same {owner} ({shown(target[key])})",
                file=file,
                line=line,
                value=value,
                has_value=True,
            )
        target[key] = value


def _number_text(value: float) -> str:
    """The shortest text that reads back as exactly this number."""
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def _cells(q: Quantity | None) -> tuple[str, str, str]:
    if q is None:
        return "", "", ""
    return (
        _number_text(q.value),
        q.source or "",
        q.note or "",
    )


def dumps_csv(scenario: Scenario) -> str:
    """The scenario as the flat CSV table; columns that every row leaves empty are left out.

    Lost in the table: the scenario's title, description and sources, issue and actor
    descriptions, the ranges of uncertain numbers, and the source and note of an actor's
    overall capability where every one of its rows overrides it; :func:`csv_losses` lists
    them for a scenario.
    """
    records: list[dict[str, str]] = []
    overridden = {a.id for a in scenario.actors if any(st.capability for st in a.stances.values())}
    for actor in scenario.actors:
        for issue in scenario.issues:
            stance = actor.stances.get(issue.id)
            if stance is None:
                continue
            cap = stance.capability or actor.capability
            rec: dict[str, str] = {
                "actor": actor.id,
                "issue": issue.id,
                "actor_name": actor.name or "",
                "roles": ";".join(actor.roles),
                "actor_capability": (_cells(actor.capability)[0] if actor.id in overridden else ""),
                "issue_label": issue.label,
                "scale_low": _number_text(issue.scale.low),
                "scale_high": _number_text(issue.scale.high),
                "low_meaning": issue.scale.low_meaning or "",
                "high_meaning": issue.scale.high_meaning or "",
                "unit": issue.scale.unit or "",
            }
            for key, q in (
                ("capability", cap),
                ("position", stance.position),
                ("salience", stance.salience),
                ("status_quo", issue.status_quo),
                ("actual", issue.actual),
            ):
                rec[key], rec[f"{key}_source"], rec[f"{key}_note"] = _cells(q)
            records.append(rec)
    columns = list(REQUIRED) + [c for c in OPTIONAL if any(r[c] for r in records)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def csv_losses(scenario: Scenario) -> list[str]:
    """What writing the scenario as the flat CSV table would lose."""
    from statecraft.io._common import quantities

    lost: list[str] = []
    if scenario.title or scenario.description or scenario.sources:
        lost.append("the scenario's title, description and sources")
    if scenario.perturb is not None:
        lost.append("the scenario's perturb setting")
    for issue in scenario.issues:
        if issue.description:
            lost.append(f"issue {issue.id}: its description")
        if not any(issue.id in a.stances for a in scenario.actors):
            lost.append(f"issue {issue.id}: no actor takes a position on it, so it has no row")
    for actor in scenario.actors:
        if actor.description:
            lost.append(f"actor {actor.id}: its description")
        if not actor.stances:
            lost.append(f"actor {actor.id}: it takes no position, so it has no row")
        elif all(st.capability is not None for st in actor.stances.values()) and (
            actor.capability.source or actor.capability.note
        ):
            lost.append(f"actor {actor.id}: the source and note of its overall capability")
    if any(q.uncertain for q in quantities(scenario)):
        lost.append("the ranges (low, high, dist) of the uncertain numbers")
    return lost
