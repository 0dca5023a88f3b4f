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
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from statecraft.errors import ScenarioError
from statecraft.io._common import MAX_FILE_BYTES
from statecraft.io.eu_council import ACCESSION, era_on
from statecraft.scenario import Scenario

__all__ = [
    "CAPABILITIES",
    "CapabilityRule",
    "DeuIssue",
    "DeuTable",
    "decision_date",
    "read_deu",
]

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
    """One controversial issue: its scenario and what the backtest groups by.

    ``positions`` (0-100) and ``saliences`` (0-1) hold every stance read, including those of
    actors the capability rule left out; ``era`` is the Council voting regime the rule used
    (None under ``equal``).
    """

    scenario: Scenario
    issue: str
    proposal: str
    procedure: str | None
    voting_rule: str | None
    introduced: dt.date | None
    positions: Mapping[str, float] = field(default_factory=dict)
    saliences: Mapping[str, float] = field(default_factory=dict)  # 0..1
    era: str | None = None

    @property
    def actual(self) -> float:
        """The decision outcome (every issue read has one)."""
        actual = self.scenario.issues[0].actual
        if actual is None:  # read_deu skips such rows; a hand-built issue may lack one
            raise ValueError(f"issue {self.issue!r} has no outcome")
        return actual.value

    @property
    def status_quo(self) -> float | None:
        """The reference point, where DEU codes one."""
        status_quo = self.scenario.issues[0].status_quo
        return None if status_quo is None else status_quo.value


@dataclass(frozen=True)
class DeuTable:
    """A DEU table read: the usable issues, and the rows skipped with their reasons."""

    issues: tuple[DeuIssue, ...]
    skipped: Mapping[str, int] = field(default_factory=dict)
    capability: str = "equal"

    @property
    def proposals(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.proposal for i in self.issues))


@dataclass(frozen=True)
class CapabilityRule:
    """How capable each actor of a DEU issue is.

    ``equal`` gives every actor 1. The others weigh the member states by the Council votes
    of the treaty era in force on the proposal's date (:mod:`statecraft.io.eu_council`),
    each divided by the era's total so that the Council as a whole weighs 1, and give the
    Commission and the Parliament a weight relative to that whole: ``commission`` under
    every procedure; ``ep_cod`` where the Parliament must approve the act (co-decision,
    ``COD``, and consent, ``AVC``/``APP``), ``ep_cns`` elsewhere (consultation). An actor
    that weighs 0 is left out of the issue's scenario, and counted.
    """

    name: str
    description: str
    commission: float | None = None  # None: the equal rule
    ep_cod: float = 0.0
    ep_cns: float = 0.0
    source: str = ""

    def __post_init__(self) -> None:
        for value in (self.commission or 0.0, self.ep_cod, self.ep_cns):
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"capability rule {self.name!r}: weights must be >= 0")

    @staticmethod
    def approves(procedure: str | None) -> bool:
        """Whether the act needs the Parliament's approval under this procedure."""
        return (procedure or "").strip().upper() in EP_APPROVES

    @property
    def by_era(self) -> bool:
        return self.commission is not None

    def capabilities(
        self, actors: Sequence[str], procedure: str | None, date: dt.date | None
    ) -> dict[str, float]:
        """Each actor's capability on an issue (0 = no say), for the proposal's date."""
        if self.commission is None:
            return dict.fromkeys(actors, 1.0)
        if date is None:
            raise ValueError("the capability rule needs the proposal's date")
        era = era_on(date)
        total = era.total(date)
        ep = self.ep_cod if self.approves(procedure) else self.ep_cns
        out = {}
        for actor in actors:
            if actor == "com":
                out[actor] = self.commission
            elif actor == "ep":
                out[actor] = ep
            else:
                out[actor] = era.weight(actor, date) / total
        return out


#: Procedures under which the act needs the Parliament's approval.
EP_APPROVES = frozenset({"COD", "AVC", "APP"})


#: The a-priori capability rules, by name. The rule ``fitted`` is made from fitted parameters
#: (:mod:`statecraft.io.deu_fitted`), which the reader never reads itself.
CAPABILITIES: dict[str, Callable[[], CapabilityRule]] = {
    "equal": lambda: CapabilityRule("equal", "every actor weighs 1"),
    "council": lambda: CapabilityRule(
        "council",
        "the member states by the era's Council votes; the Commission and the Parliament "
        "have no say (the Council's vote alone)",
        commission=0.0,
    ),
    "bicameral": lambda: CapabilityRule(
        "bicameral",
        "the member states by the era's Council votes; the Parliament weighs as much as the "
        "whole Council where the act needs its approval (co-decision, consent) and nothing "
        "under consultation; the Commission has no vote",
        commission=0.0,
        ep_cod=1.0,
    ),
}


def decision_date(introduced: dt.date, actors: Iterable[str]) -> dt.date:
    """The date whose treaty era applies: the proposal's, or the accession of the last state
    among ``actors`` to join, if later. A state that takes a position is a member when the
    issue is decided, so an issue proposed before it joined is decided no earlier."""
    return max([introduced, *(ACCESSION.get(a, introduced) for a in actors)])


#: A yyyy-mm-dd date (a plain ISO date, or a spreadsheet's mangling of dd-mm-yy).
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _date(text: str, *, excel_swapped: bool = False) -> dt.date | None:
    """A DEU date: dd-mm-yy (two-digit years from 90 are 19xx, the rest 20xx), dd-mm-yyyy,
    or yyyy-mm-dd. With ``excel_swapped``, yyyy-mm-dd is read as a dd-mm-yy date that a
    spreadsheet turned into a year: its last two digits are the day and dd is the year."""
    text = text.strip()
    iso = _ISO_DATE.fullmatch(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        if excel_swapped:
            year, day = day, year % 100
    else:
        match = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{2}|\d{4})", text)
        if not match:
            return None
        day, month, year = (int(g) for g in match.groups())
    if year < 100:
        year += 1900 if year >= 90 else 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _swapped_dates(texts: Iterable[str]) -> bool:
    """Whether the yyyy-mm-dd dates of a column are spreadsheet-mangled dd-mm-yy ones.

    A spreadsheet that takes "dd-mm-yy" for "yy-mm-dd" turns 14-07-04 into 2014-07-04 and,
    as it reads two-digit years from 30 as 19xx, 30-11-05 into 1930-11-05. A yyyy-mm-dd
    year before 1950, impossible for EU legislation of the DEU era, marks the column; then
    every yyyy-mm-dd date in it is read back.
    """
    years = [int(m.group(1)) for t in texts if (m := _ISO_DATE.fullmatch(t.strip()))]
    return any(y < 1950 for y in years)


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
    capability: str | CapabilityRule = "equal",
    missing_salience: float | None = 50.0,
    text: str | None = None,
) -> DeuTable:
    """Read a DEU-format table (a path, or ``text`` with ``source`` naming it).

    ``capability`` names a rule in :data:`CAPABILITIES`, or is a :class:`CapabilityRule`
    (the rule ``fitted``: :func:`statecraft.io.deu_fitted.capability_rule`).
    DEU leaves some saliences empty where it codes a position: ``missing_salience`` (on
    0-100) is used for them, or None leaves such actors out. The default, 50 (the middle of
    the scale), reproduces the project's reference figure for the salience-weighted mean on
    the DEU III development file (mean absolute error 23.7; leaving them out gives 23.78).
    Every use is counted in :attr:`DeuTable.skipped`. Raises
    :class:`~statecraft.errors.ScenarioError` for a malformed table.
    """
    if isinstance(capability, CapabilityRule):
        rule = capability
    elif capability in CAPABILITIES:
        rule = CAPABILITIES[capability]()
    elif capability == "fitted":
        raise ScenarioError(
            "the capability rule 'fitted' is made from fitted parameters: pass the rule "
            "itself (statecraft.io.deu_fitted.capability_rule('fitted') for those that ship)"
        )
    else:
        raise ScenarioError(
            f"unknown capability rule {capability!r}; the rules are: {', '.join(CAPABILITIES)}"
        )
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
    rows = list(reader)
    swapped = _swapped_dates(row.get("intro") or "" for row in rows)
    present = [a for a in ACTORS if f"p{a}" in columns]
    skipped: Counter[str] = Counter()
    issues: list[DeuIssue] = []
    for line, row in enumerate(rows, start=2):
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
        introduced = _date(row.get("intro") or "", excel_swapped=swapped)
        if swapped and _ISO_DATE.fullmatch((row.get("intro") or "").strip()):
            skipped["date read back from yyyy-mm-dd as dd-mm-yy (a spreadsheet's mangling)"] += 1
        stances: dict[str, tuple[float, float]] = {}
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
            stances[actor] = (position, salience)
        era = None
        date = introduced
        if rule.by_era:
            if introduced is None:
                skipped["no date (the capability rule needs one)"] += 1
                continue
            date = decision_date(introduced, stances)
            if date > introduced:
                skipped["era moved to the accession of a state with a position"] += 1
            era = era_on(date).name
        if len(stances) < 2:  # one position leaves nothing to bargain over
            skipped["fewer than two positions"] += 1
            continue
        weights = rule.capabilities(list(stances), procedure, date)
        actors: list[dict[str, Any]] = [
            {
                "id": actor,
                "capability": weights[actor],
                "stances": {"x": {"position": position, "salience": salience / 100.0}},
            }
            for actor, (position, salience) in stances.items()
            if weights[actor] > 0
        ]
        if not actors:
            skipped[f"no actor with a say under {rule.name!r}"] += 1
            continue
        for actor in stances:
            if weights[actor] <= 0:
                skipped[f"{actor} left out (capability 0 under {rule.name!r})"] += 1
        if all(stances[a["id"]][1] == 0 for a in actors):
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
                positions={a: p for a, (p, _) in stances.items()},
                saliences={a: v / 100.0 for a, (_, v) in stances.items()},
                era=era,
            )
        )
    return DeuTable(tuple(issues), dict(skipped), rule.name)
