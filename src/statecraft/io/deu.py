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

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from statecraft.errors import ScenarioError
from statecraft.io._deu_rows import ID, ID_RULE, ISO_DATE
from statecraft.io._deu_rows import date as _date
from statecraft.io._deu_rows import number as _number
from statecraft.io._deu_rows import read as _read
from statecraft.io._deu_rows import swapped_dates as _swapped_dates
from statecraft.io._deu_rows import table as _table
from statecraft.io._text import check_text
from statecraft.io._validate import error_from_validation
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
    text = _read(Path(source)) if text is None else check_text(text, file=label)
    header_at, columns, rows = _table(text, label)
    present = [a for a in ACTORS if f"p{a}" in columns]
    if not present:
        raise ScenarioError(
            "not a DEU table: no actor column; it needs p<actor> columns (positions, with "
            "s<actor> for saliences) for some of the actors " + ", ".join(ACTORS),
            file=label,
            line=header_at,
        )
    if not rows:
        raise ScenarioError("the DEU table has a header but no rows", file=label, line=header_at)
    swapped = _swapped_dates(row.get("intro") or "" for _, row in rows)
    skipped: Counter[str] = Counter()
    issues: list[DeuIssue] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        issue_id = (row.get("isnr") or "").strip()
        proposal = (row.get("prnr") or "").strip()
        outcome = _number(row, "out", file=label, line=line)
        if not issue_id:
            skipped["no issue id"] += 1
            continue
        if not ID.fullmatch(issue_id):  # the issue's id in its proposal's scenario
            raise ScenarioError(
                f"column 'isnr': {ID_RULE}", file=label, line=line, value=issue_id, has_value=True
            )
        if not proposal:
            skipped["no proposal id"] += 1
            continue
        if issue_id in seen:
            raise ScenarioError(
                f"issue {issue_id!r} has two rows, lines {seen[issue_id]} and {line}; "
                "an issue has one row",
                file=label,
                line=line,
            )
        seen[issue_id] = line
        if outcome is None:
            skipped["no outcome"] += 1
            continue
        procedure = (row.get("proc") or "").strip() or None
        introduced = _date(row.get("intro") or "", excel_swapped=swapped)
        if swapped and ISO_DATE.fullmatch((row.get("intro") or "").strip()):
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
            "name": issue_id,
            "title": f"{name} ({issue_id})" if name else issue_id,
            "sources": [{"id": "deu3", "citation": SOURCE}],
            "issues": [issue],
            "actors": actors,
        }
        try:
            scenario = Scenario.model_validate(data)
        except ValidationError as exc:  # pragma: no cover - the checks above make it valid
            raise error_from_validation(exc, file=label, lines={(): line}) from None
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
    if not issues:
        reasons = "; ".join(f"{why}: {n}" for why, n in skipped.items())
        raise ScenarioError(
            f"no issue of the DEU table can be used: every row was skipped ({reasons})",
            file=label,
        )
    return DeuTable(tuple(issues), dict(skipped), rule.name)
