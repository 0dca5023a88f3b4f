"""The DEU table ("Decision-making in the European Union") as one scenario per issue.

DEU (Thomson, Stokman, Achen & König 2006; Thomson et al. 2012; Arregui & Perarnaud 2021,
"A new dataset on legislative decision-making in the European Union: the DEU III dataset",
doi:10.34810/data53) codes, for each controversial issue of an EU legislative proposal, each
actor's position on a 0-100 scale and its salience (0-100), the reference point (what holds
without a law) and the decision outcome.

The reader takes the layout of the DEU III release, tab- or comma-separated with a header:
``prnr`` (proposal), ``isnr`` (issue), ``prname``, ``proc`` (COD co-decision, CNS
consultation), ``counvte`` (QMV, Unanimity), ``intro`` (dd-mm-yy), ``p<actor>`` and
``s<actor>`` per actor (``com``, ``ep``, the member states; the EP's salience column is
``sep``), ``rp`` and ``out``. Empty cells mean no position, no reference point, no outcome.
Columns it does not use are ignored; a missing required column is an error.

Every issue becomes a scenario: the actors with a position (saliences divided by 100), the
reference point as the status quo, the outcome as the actual. Rows without an outcome or
with fewer than two positions are skipped, and counted with their reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from statecraft.errors import ScenarioError
from statecraft.io import MAX_FILE_BYTES
from statecraft.scenario import Scenario

__all__ = ["CAPABILITIES", "DeuIssue", "DeuTable", "read_deu"]

#: Actors of DEU III, in the order of its columns.
MEMBER_STATES = [
    "at",
    "be",
    "bu",
    "cr",
    "cy",
    "cz",
    "dk",
    "ee",
    "fi",
    "fr",
    "de",
    "el",
    "hu",
    "ie",
    "it",
    "lv",
    "lt",
    "lu",
    "mt",
    "nl",
    "pl",
    "pt",
    "ro",
    "si",
    "sk",
    "es",
    "se",
    "uk",
]
ACTORS = ("com", "ep", *MEMBER_STATES)
REQUIRED = ("prnr", "isnr", "rp", "out")

SOURCE = (
    "DEU III: Arregui & Perarnaud (2021), A new dataset on legislative decision-making in "
    "the European Union: the DEU III dataset, doi:10.34810/data53 (CC BY 4.0)"
)


@dataclass(frozen=True)
class DeuIssue:
    """One controversial issue: its scenario and what the backtest groups by."""

    scenario: Scenario
    issue: str
    proposal: str
    procedure: str | None
    voting_rule: str | None
    introduced: dt.date | None


@dataclass(frozen=True)
class DeuTable:
    """A DEU table read: the usable issues, and the rows skipped with their reasons."""

    issues: tuple[DeuIssue, ...]
    skipped: Mapping[str, int] = field(default_factory=dict)
    capability: str = "equal"

    @property
    def proposals(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.proposal for i in self.issues))


def _equal(actor: str, procedure: str | None, date: dt.date | None) -> float:
    """Every actor weighs the same."""
    return 1.0


#: Named capability rules: actor, procedure and date -> capability (> 0).
CAPABILITIES: dict[str, Callable[[str, str | None, dt.date | None], float]] = {
    "equal": _equal,
}


def _date(text: str) -> dt.date | None:
    """DEU's dd-mm-yy: two-digit years from 90 are 19xx, the rest 20xx."""
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{2}|\d{4})", text.strip())
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    if year < 100:
        year += 1900 if year >= 90 else 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _number(row: Mapping[str, str], column: str, *, file: str | None, line: int) -> float | None:
    text = (row.get(column) or "").strip()
    if text == "" or text.upper() in ("NA", "."):
        return None
    try:
        value = float(text)
    except ValueError:
        raise ScenarioError(
            f"column {column!r}: expected a number or an empty cell",
            file=file,
            line=line,
            value=text,
            has_value=True,
        ) from None
    if not 0.0 <= value <= 100.0:
        raise ScenarioError(
            f"column {column!r}: DEU values lie on 0-100",
            file=file,
            line=line,
            value=value,
            has_value=True,
        )
    return value


def read_deu(
    source: str | Path,
    *,
    capability: str = "equal",
    missing_salience: float | None = 50.0,
    text: str | None = None,
) -> DeuTable:
    """Read a DEU-format table (a path, or ``text`` with ``source`` naming it).

    ``capability`` names a rule in :data:`CAPABILITIES`. DEU leaves some saliences empty
    where it codes a position: ``missing_salience`` (on 0-100) is used for them, or None
    leaves such actors out. The default, 50 (the middle of the scale), reproduces the
    project's reference figure for the salience-weighted mean on the DEU III development
    file (mean absolute error 23.7; leaving them out gives 23.78). Every use is counted in
    :attr:`DeuTable.skipped`. Raises :class:`~statecraft.errors.ScenarioError` for a
    malformed table.
    """
    if capability not in CAPABILITIES:
        raise ScenarioError(
            f"unknown capability rule {capability!r}; the rules are: {', '.join(CAPABILITIES)}"
        )
    rule = CAPABILITIES[capability]
    label = str(source)
    if text is None:
        path = Path(source)
        if not path.is_file():
            raise ScenarioError("no such file", file=label)
        if path.stat().st_size > 64 * MAX_FILE_BYTES:
            raise ScenarioError("the file is too large to be a DEU table", file=label)
        text = path.read_text(encoding="utf-8-sig")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = "\t" if first.count("\t") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ScenarioError(
            f"not a DEU table: missing column(s) {', '.join(missing)}", file=label, line=1
        )
    reader.fieldnames = columns
    present = [a for a in ACTORS if f"p{a}" in columns]
    skipped: Counter[str] = Counter()
    issues: list[DeuIssue] = []
    for line, row in enumerate(reader, start=2):
        issue_id = (row.get("isnr") or "").strip()
        proposal = (row.get("prnr") or "").strip()
        outcome = _number(row, "out", file=label, line=line)
        if not issue_id:
            skipped["no issue id"] += 1
            continue
        if outcome is None:
            skipped["no outcome"] += 1
            continue
        procedure = (row.get("proc") or "").strip() or None
        introduced = _date(row.get("intro") or "")
        actors: list[dict[str, Any]] = []
        for actor in present:
            position = _number(row, f"p{actor}", file=label, line=line)
            if position is None:
                continue
            salience = _number(row, f"s{actor}", file=label, line=line)
            if salience is None:
                if missing_salience is None:
                    skipped["position without salience (actor left out)"] += 1
                    continue
                skipped[f"position without salience (set to {missing_salience:g})"] += 1
                salience = missing_salience
            actors.append(
                {
                    "id": actor,
                    "capability": rule(actor, procedure, introduced),
                    "stances": {"x": {"position": position, "salience": salience / 100.0}},
                }
            )
        if len(actors) < 2:  # one position leaves nothing to bargain over
            skipped["fewer than two positions"] += 1
            continue
        if all(a["stances"]["x"]["salience"] == 0 for a in actors):
            skipped["every salience 0"] += 1
            continue
        reference = _number(row, "rp", file=label, line=line)
        name = (row.get("prname") or "").strip()
        issue: dict[str, Any] = {
            "id": "x",
            "label": f"issue {issue_id}",
            "scale": {"low": 0, "high": 100},
            "actual": outcome,
        }
        if reference is not None:
            issue["status_quo"] = reference
        data = {
            "name": re.sub(r"[^A-Za-z0-9_.\-]", "-", issue_id)[:64],
            "title": f"{name} ({issue_id})" if name else issue_id,
            "sources": [{"id": "deu3", "citation": SOURCE}],
            "issues": [issue],
            "actors": actors,
        }
        try:
            scenario = Scenario.model_validate(data)
        except Exception as exc:  # pragma: no cover - the checks above make it valid
            raise ScenarioError(
                f"row cannot be read as a scenario: {exc}", file=label, line=line
            ) from None
        issues.append(
            DeuIssue(
                scenario=scenario,
                issue=issue_id,
                proposal=proposal,
                procedure=procedure,
                voting_rule=(row.get("counvte") or "").strip() or None,
                introduced=introduced,
            )
        )
    return DeuTable(tuple(issues), dict(skipped), capability)
