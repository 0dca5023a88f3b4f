"""Timelines: a base scenario, dated snapshots of what changed, and the events that followed.

A timeline file (format in :mod:`._timeline_format`, docs/timeline.md) names a base scenario
and a list of snapshots, each a patch (:mod:`.counterfactual`) of what changed by its
information cut-off, on sources dated by then. :func:`snapshot_scenarios` builds the scenario
of every snapshot: the base with the patches of that snapshot and every earlier one applied
in order. :func:`run_timeline` gives, for every snapshot, the brief's forecasts and verdict
(:func:`~statecraft.analysis.brief.brief`) and scores the forecasts against the coded
outcomes of the events after the cut-off: each forecast's distance from the outcome against
the status quo's (the "nothing moves" baseline).

``risk`` is where a conflict-risk measure plugs in: a function of the snapshot's scenario and
the previous snapshot's (None for the first) returning JSON-ready data that is merged into
the snapshot's JSON. By default it is :func:`conflict_risk`, the risk of renewed conflict of
:mod:`statecraft.analysis.risk` (``dyads``, ``issues``, ``guarantors``), with the shift of
power since the previous snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from statecraft.analysis._blocks import BLOCK, block_note, block_size
from statecraft.analysis._brief_parts import choose_models
from statecraft.analysis._patch import Change, Patch, apply_patch
from statecraft.analysis._risk_study import check_size
from statecraft.analysis._timeline_format import (
    Event,
    Snapshot,
    Timeline,
    TimelineSource,
    timeline_from_data,
)
from statecraft.analysis._timeline_json import snapshot_dict
from statecraft.analysis.brief import Brief, brief
from statecraft.analysis.kernel import parse_memory
from statecraft.analysis.risk import risk as risk_of
from statecraft.analysis.uncertainty import check_models
from statecraft.errors import MemoryLimitError, ScenarioError, check_count, check_seed
from statecraft.io import error_from_validation, load, load_yaml_data, read_file
from statecraft.notebook import Notebook
from statecraft.scenario import Scenario
from statecraft.textsafe import strict_json

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Event",
    "RiskHook",
    "Score",
    "Snapshot",
    "SnapshotRun",
    "Timeline",
    "TimelineRun",
    "TimelineSource",
    "base_scenario",
    "builtin_timelines",
    "conflict_risk",
    "is_timeline",
    "load_timeline",
    "run_timeline",
    "snapshot_scenario",
    "snapshot_scenarios",
    "timeline_from_data",
]

#: The hook for a risk measure: (this snapshot's scenario, the previous one or None) ->
#: JSON-ready data merged into the snapshot's JSON, or None.
RiskHook = Callable[[Scenario, Scenario | None], Mapping[str, Any] | None]


def _folder() -> Any:
    return resources.files("statecraft.scenarios").joinpath("timelines")


def builtin_timelines() -> tuple[str, ...]:
    """The names of the built-in timelines, sorted."""
    folder = _folder()
    if not folder.is_dir():
        return ()
    return tuple(
        sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))
    )


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name the system cannot look up (too long, a NUL)
        return False


def load_timeline(source: str | Path) -> Timeline:
    """A timeline from a file, or a built-in one by name (a file of that name wins).
    Any problem is a :class:`~statecraft.errors.ScenarioError` naming the field and line."""
    path = Path(source)
    if _is_file(path):
        label = str(path)
        text = read_file(path, what="a timeline file")
        folder: Path | None = path.parent
    elif isinstance(source, str) and source in builtin_timelines():
        label = f"{source} (built-in timeline)"
        text = _folder().joinpath(f"{source}.yaml").read_text("utf-8")
        folder = None
    else:
        known = ", ".join(builtin_timelines()) or "none"
        raise ScenarioError(
            f"no such timeline file, nor a built-in timeline; the built-ins are: {known}",
            file=str(source),
        )
    data, lines = load_yaml_data(text, file=label)
    timeline = timeline_from_data(data, label=label, lines=lines)
    timeline._folder = folder  # where a relative base is read from
    return timeline


def is_timeline(source: str | Path) -> bool:
    """Whether ``source`` names a timeline rather than a scenario: a file whose top level
    has ``snapshots`` (and no ``actors``), or else a built-in timeline's name. A file that
    cannot be read or parsed is not called one (the scenario reader then says why)."""
    path = Path(source)
    if _is_file(path):
        try:
            data, _ = load_yaml_data(read_file(path))  # any error is caught: no names needed
        except ScenarioError:
            return False
        return isinstance(data, dict) and "snapshots" in data and "actors" not in data
    return isinstance(source, str) and source in builtin_timelines()


def _base_source(timeline: Timeline) -> str | Path:
    folder: Path | None = timeline._folder
    given = timeline.base.scenario
    if folder is not None and _is_file(folder / given):
        return folder / given
    return given


def base_scenario(timeline: Timeline) -> Scenario:
    """The timeline's base: its scenario, with the status quo of every issue set to the
    actual outcome (and the actual cleared) where the base says ``status_quo: actual``."""
    scenario = load(_base_source(timeline))
    if timeline.base.status_quo == "own":
        return scenario
    data = scenario.model_dump()
    for issue in data["issues"]:
        actual = issue.get("actual")
        if actual is None:
            continue
        note = actual.get("note") or ""
        issue["status_quo"] = {
            **actual,
            "note": f"[TIMELINE BASE] the actual outcome of {scenario.name}, made the status "
            f"quo (the settlement to defend). {note}".strip(),
        }
        issue["actual"] = None
    data["name"] = f"{timeline.name}@base"
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:  # pragma: no cover - the actuals were valid already
        raise error_from_validation(exc, file=timeline.name, lines={}) from None


def _held(change: Change, hold: Sequence[str]) -> bool:
    """Whether a change moves a held actor's capability or salience (or removes it)."""
    if change.remove_actor is not None:
        return change.remove_actor in hold
    target = change.set or change.scale
    return change.actor in hold and target in ("capability", "salience")


def _name(timeline: Timeline, snap: Snapshot, hold: Sequence[str]) -> str:
    held = f"~held:{','.join(hold)}" if hold else ""
    return f"{timeline.name}@{snap.id}{held}"


def snapshot_scenarios(
    timeline: Timeline, *, hold: Sequence[str] = ()
) -> list[tuple[Snapshot, Scenario]]:
    """Each snapshot with its scenario: the base, then every snapshot's patch up to and
    including this one, applied in order. ``hold`` names actors whose capability and
    salience stay at the base's (their changes are dropped: the counterfactual without a
    shift in their power)."""
    base = base_scenario(timeline)
    unknown = [a for a in hold if a not in base.actor_ids]
    if unknown:
        raise ScenarioError(
            f"cannot hold {', '.join(unknown)}: not an actor of the base; the actors are: "
            + ", ".join(base.actor_ids),
            file=timeline.name,
        )
    out: list[tuple[Snapshot, Scenario]] = []
    current = base
    for snap in timeline.snapshots:
        patch = snap.patch()
        if patch is not None and hold:
            kept = tuple(c for c in patch.changes if not _held(c, hold))
            patch = (
                Patch(name=patch.name, title=patch.title, assumes=patch.assumes, changes=kept)
                if kept
                else None
            )
        if patch is not None:
            current = apply_patch(current, patch, file=f"{timeline.name}, snapshot {snap.id}")
        title = f"{base.title or base.name}: as of {snap.cutoff}"
        current = current.model_copy(update={"name": _name(timeline, snap, hold), "title": title})
        out.append((snap, current))
    return out


def snapshot_scenario(ref: str) -> Scenario:
    """The scenario of one snapshot, named as the timeline names it: ``TIMELINE@SNAPSHOT``
    (``karabakh-2020-2023@2021-12``), with ``~held:a,b`` for the counterfactual holding
    those actors (the names the flags of a timeline's briefs print). A ScenarioError names
    the snapshots where the one asked for is not there."""
    name, _, rest = ref.partition("@")
    snap_id, _, held = rest.partition("~held:")
    if not name or not snap_id:
        raise ScenarioError(f"{ref!r} is not TIMELINE@SNAPSHOT", file=ref)
    timeline = load_timeline(name)
    hold = tuple(a for a in held.split(",") if a)
    for snap, scenario in snapshot_scenarios(timeline, hold=hold):
        if snap.id == snap_id:
            return scenario
    ids = ", ".join(s.id for s in timeline.snapshots)
    raise ScenarioError(f"{name} has no snapshot {snap_id!r}; its snapshots are: {ids}", file=ref)


@dataclass(frozen=True)
class Score:
    """One forecast against one coded outcome of a later event."""

    event_date: dt.date
    event: str
    issue: str
    status_quo: float | None
    forecast: float
    outcome: float
    error: float  # |forecast - outcome|
    baseline_error: float | None  # |status quo - outcome|: the "nothing moves" forecast

    @property
    def beats_status_quo(self) -> bool | None:
        """Whether the forecast is closer to the outcome than the status quo was."""
        if self.baseline_error is None:
            return None
        return self.error < self.baseline_error


@dataclass(frozen=True)
class SnapshotRun:
    """One snapshot: its scenario, the brief of it, the scores, and the risk (the hook's)."""

    snapshot: Snapshot
    scenario: Scenario
    brief: Brief
    scores: tuple[Score, ...]
    risk: Mapping[str, Any] | None = None
    #: Draws per block of the brief's and the risk's draws (4,096 unless the memory budget
    #: held fewer; in the JSON only then): part of what the seed reproduces.
    block: int = BLOCK

    @property
    def block_note(self) -> str | None:
        return block_note(self.block, self.brief.requested, self.scenario)


def _scores(b: Brief, events: Sequence[Event], cutoff: dt.date) -> tuple[Score, ...]:
    out = []
    verdicts = {i.issue: i for i in b.issues}
    for event in events:
        if event.date <= cutoff:
            continue
        for issue, outcome in event.outcomes.items():
            v = verdicts.get(issue)
            if v is None:
                continue
            sq = v.status_quo
            out.append(
                Score(
                    event_date=event.date,
                    event=event.description,
                    issue=issue,
                    status_quo=sq,
                    forecast=v.forecast,
                    outcome=outcome.value,
                    error=abs(v.forecast - outcome.value),
                    baseline_error=None if sq is None else abs(sq - outcome.value),
                )
            )
    return tuple(out)


@dataclass(frozen=True, repr=False)
class TimelineRun(Notebook):
    """The result of :func:`run_timeline`."""

    timeline: Timeline
    snapshots: tuple[SnapshotRun, ...]
    draws: int
    seed: int
    held: tuple[str, ...] = ()

    def to_records(self) -> list[dict[str, Any]]:
        """One record per snapshot and issue: status quo, forecast and its 80% interval."""
        return [
            {
                "snapshot": s.snapshot.id,
                "date": s.snapshot.when.isoformat(),
                "cutoff": s.snapshot.cutoff.isoformat(),
                "issue": i.issue,
                "status_quo": i.status_quo,
                "forecast": i.forecast,
                "p10": i.interval80[0],
                "p90": i.interval80[1],
            }
            for s in self.snapshots
            for i in s.brief.issues
        ]

    def to_frame(self) -> pd.DataFrame:
        """:meth:`to_records` as a DataFrame: one row per snapshot and issue."""
        import pandas as pd

        return pd.DataFrame.from_records(self.to_records())

    def _summary(self) -> list[str]:
        lines = [
            f"TimelineRun of {self.timeline.name!r}: {len(self.snapshots)} snapshots, "
            f"{len(self.timeline.events)} events, {self.draws:,} draws (seed {self.seed})"
        ]
        for s in self.snapshots:
            lead = s.brief.leader
            said = "no leader" if lead is None else f"{lead.name} ({lead.p_biggest:.0%})"
            lines.append(f"  {s.snapshot.id} ({s.snapshot.when}): biggest winner {said}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """Everything as strict JSON data (the shape of ``statecraft timeline -f json``)."""
        snapshots = [snapshot_dict(s) for s in self.snapshots]
        data = {
            "timeline": self.timeline.name,
            "title": self.timeline.title,
            "base": self.timeline.base.scenario,
            "base_status_quo": self.timeline.base.status_quo,
            "held": list(self.held),
            "draws": self.draws,
            "seed": self.seed,
            "snapshots": snapshots,
            "events": [
                {
                    "date": e.date.isoformat(),
                    "description": e.description,
                    "sources": list(e.sources),
                    "outcomes": {k: o.value for k, o in e.outcomes.items()},
                }
                for e in self.timeline.events
            ],
        }
        return dict(strict_json(data))


def conflict_risk(
    draws: int = 1000,
    seed: int = 0,
    dyad: Sequence[str] | None = None,
    memory: int | str | None = None,
) -> RiskHook:
    """The risk hook of :mod:`statecraft.analysis.risk`: each snapshot's risk of renewed
    conflict over its status quo (the settlement to defend), with the shift of power since
    the previous snapshot, on ``draws`` draws from ``seed`` within the memory budget
    ``memory``; its JSON (``dyads``, ``issues``, ``guarantors``, ``rests_on``, ...) joins
    the snapshot's."""
    parse_memory(memory)  # a bad budget is refused here, not at the first snapshot

    def measure(scenario: Scenario, previous: Scenario | None) -> Mapping[str, Any]:
        r = risk_of(scenario, previous=previous, draws=draws, seed=seed, dyad=dyad, memory=memory)
        return r.to_dict()

    return measure


def check_budgets(
    scenarios: Sequence[tuple[Snapshot, Scenario]], memory: int, strict: bool, conflict: bool
) -> None:
    """Before any snapshot is run: every snapshot's brief within the budget ``memory``
    (:func:`~statecraft.analysis.uncertainty.check_models`, held to with ``strict``) and,
    with ``conflict``, its risk analysis's histograms
    (:func:`~statecraft.analysis._risk_study.check_size`); the first refusal names its
    snapshot and the smallest ``--memory`` that works."""
    for snap, scenario in scenarios:
        try:
            chosen, _ = choose_models(scenario, None, {})
            check_models(scenario, chosen, {}, memory, strict=strict)
            if conflict:
                n = sum(i.status_quo is not None for i in scenario.issues)
                check_size(len(scenario.actors), n, memory)
        except MemoryLimitError as exc:
            raise MemoryLimitError(f"snapshot {snap.id}: {exc}") from None


def run_timeline(
    timeline: Timeline,
    *,
    draws: int = 1000,
    seed: int = 0,
    hold: Sequence[str] = (),
    risk: RiskHook | Literal["conflict"] | None = "conflict",
    calibrated: bool = True,
    memory: int | str | None = None,
) -> TimelineRun:
    """For every snapshot: its scenario (:func:`snapshot_scenarios`, with ``hold``), the
    brief of it on ``draws`` draws from ``seed`` (forecasts per issue with their 80%
    intervals, each actor's probability of being the biggest winner), the scores against
    the later events' outcomes, and its risk of renewed conflict: by default
    :func:`conflict_risk` (:mod:`statecraft.analysis.risk`, the same draws and seed), or
    ``risk(scenario, previous)`` for another hook, or none with ``risk=None``. ``memory`` is
    the memory budget of each brief and risk analysis (as for
    :func:`~statecraft.analysis.uncertainty.simulate`); a block smaller than 4,096 draws is
    kept with each snapshot (:attr:`SnapshotRun.block`)."""
    seed = check_seed(seed)
    check_count(draws, "draws")
    budget = parse_memory(memory)
    scenarios = list(snapshot_scenarios(timeline, hold=hold))
    check_budgets(scenarios, budget, memory is not None, risk == "conflict")
    if risk == "conflict":
        risk = conflict_risk(draws, seed, dyad=timeline.dyad, memory=memory)
    runs = []
    previous: Scenario | None = None
    for snap, scenario in scenarios:
        b = brief(scenario, draws=draws, seed=seed, calibrated=calibrated, memory=memory)
        measured = risk(scenario, previous) if risk is not None else None
        scores = _scores(b, timeline.events, snap.cutoff)
        block = block_size(scenario, budget)
        runs.append(SnapshotRun(snap, scenario, b, scores, measured, block))
        previous = scenario
    return TimelineRun(timeline, tuple(runs), draws, seed, tuple(hold))
