"""The timeline file format: a base scenario, dated snapshots (each a patch with its sources
and information cut-off) and the events that followed, validated (docs/timeline.md).

Every rule about dates is checked here, so that a file which loads is one whose inputs cite
only evidence dated by their snapshot's cut-off: a change's sources must be listed in its
snapshot's ``sources`` and be dated on or before the cut-off; the snapshots run in order of
cut-off; every snapshot is followed by at least one event, so that it has something to be
scored against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictFloat,
    ValidationError,
    model_validator,
)

from statecraft.analysis._patch import Change, Patch
from statecraft.errors import ScenarioError

ID = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class TimelineSource(_Frozen):
    """A dated citation: the publication, its date, where to find it. A source known only
    to the month is dated at the month's last day (never earlier than it could be)."""

    id: str = Field(pattern=ID)
    citation: str = Field(min_length=1)
    date: dt.date
    url: str | None = None


class Base(_Frozen):
    """The scenario the timeline starts from: a built-in name or a path (relative to the
    timeline file), and whether its status quo is replaced by its actual outcome
    (``status_quo: actual``: the settlement as implemented becomes the point to defend; the
    actual values, now the status quo, are cleared)."""

    scenario: str = Field(min_length=1)
    status_quo: Literal["own", "actual"] = "own"
    date: dt.date | None = None
    note: str | None = None


class Snapshot(_Frozen):
    """What changed by ``cutoff``, on evidence dated by then; the changes stack on the base
    and on every earlier snapshot's."""

    id: str = Field(pattern=ID)
    date: dt.date | None = None  # when the analysis is placed; the cut-off by default
    cutoff: dt.date
    title: str | None = None
    note: str = Field(min_length=1, description="What the snapshot records, in words.")
    sources: tuple[str, ...] = Field(min_length=1)
    changes: tuple[Change, ...] = ()

    @property
    def when(self) -> dt.date:
        return self.date or self.cutoff

    @model_validator(mode="after")
    def _dated(self) -> Snapshot:
        if self.date is not None and self.date < self.cutoff:
            raise ValueError(
                f"the snapshot's date ({self.date}) is before its cut-off ({self.cutoff})"
            )
        for k, change in enumerate(self.changes):
            if not change.sources:
                raise ValueError(f"changes[{k}] cites no sources: give 'sources: [id, ...]'")
            if not change.note:
                raise ValueError(f"changes[{k}] has no note: say why the input changes")
            missing = [s for s in change.sources if s not in self.sources]
            if missing:
                raise ValueError(
                    f"changes[{k}] cites {', '.join(missing)}, not among the snapshot's sources"
                )
        return self

    def patch(self) -> Patch | None:
        """The snapshot's changes as a patch named after it (None when it changes nothing)."""
        if not self.changes:
            return None
        return Patch(name=self.id, title=self.title, assumes=self.note, changes=self.changes)


class Outcome(_Frozen):
    """Where an event put an issue, on its scale (for scoring), and why."""

    value: StrictFloat
    note: str = Field(min_length=1)


class Event(_Frozen):
    """Something that happened after a cut-off, dated and sourced; ``outcomes`` code where
    it put issues, so that the forecasts made before it can be scored."""

    date: dt.date
    description: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    outcomes: Mapping[str, Outcome] = Field(default_factory=dict)


class Timeline(_Frozen):
    """A base scenario, snapshots in order of cut-off, and the events that followed."""

    name: str = Field(pattern=ID)
    title: str | None = None
    description: str = ""
    base: Base
    sources: tuple[TimelineSource, ...] = Field(min_length=1)
    snapshots: tuple[Snapshot, ...] = Field(min_length=1)
    events: tuple[Event, ...] = Field(min_length=1)
    #: The dyad the timeline's chart and report follow (two actor ids); default: the
    #: riskiest dyad at the last snapshot.
    dyad: tuple[str, str] | None = None
    #: The actors whose power shift the report's comparison holds at the base's capability
    #: and salience (as ``--hold``); none: the report makes no comparison unless asked.
    hold: tuple[str, ...] = ()
    _folder: Any = PrivateAttr(default=None)  # the file's folder, for a relative base

    @model_validator(mode="after")
    def _consistent(self) -> Timeline:
        dates: dict[str, dt.date] = {}
        for k, s in enumerate(self.sources):
            if s.id in dates:
                raise _at(("sources", k, "id"), f"duplicate source id {s.id!r}")
            dates[s.id] = s.date
        seen: set[str] = set()
        for k, snap in enumerate(self.snapshots):
            where = ("snapshots", k)
            if snap.id in seen:
                raise _at((*where, "id"), f"duplicate snapshot id {snap.id!r}")
            seen.add(snap.id)
            if k and snap.cutoff <= self.snapshots[k - 1].cutoff:
                raise _at(
                    (*where, "cutoff"),
                    f"snapshots run in order of cut-off: {snap.cutoff} is not after "
                    f"{self.snapshots[k - 1].cutoff} ({self.snapshots[k - 1].id})",
                )
            if self.base.date is not None and snap.cutoff <= self.base.date:
                raise _at((*where, "cutoff"), "the cut-off is not after the base's date")
            for j, sid in enumerate(snap.sources):
                if sid not in dates:
                    raise _at((*where, "sources", j), f"unknown source id {sid!r}")
                if dates[sid] > snap.cutoff:
                    raise _at(
                        (*where, "sources", j),
                        f"source {sid!r} is dated {dates[sid]}, after the snapshot's "
                        f"cut-off {snap.cutoff}: a snapshot may use only evidence dated by "
                        "its cut-off",
                    )
            if not any(e.date > snap.cutoff for e in self.events):
                raise _at(
                    (*where, "cutoff"),
                    f"no event follows the cut-off {snap.cutoff}: nothing to score it against",
                )
        for k, event in enumerate(self.events):
            if k and event.date < self.events[k - 1].date:
                raise _at(
                    ("events", k, "date"),
                    f"events run in date order: {event.date} is before {self.events[k - 1].date}",
                )
            for j, sid in enumerate(event.sources):
                if sid not in dates:
                    raise _at(("events", k, "sources", j), f"unknown source id {sid!r}")
        if self.dyad is not None and self.dyad[0] == self.dyad[1]:
            raise _at(("dyad",), f"a dyad is two different actors, not {list(self.dyad)!r}")
        if len(set(self.hold)) != len(self.hold):
            raise _at(("hold",), "an actor is held once: " + ", ".join(self.hold))
        return self


def _at(path: tuple[str | int, ...], message: str) -> ValueError:
    error = ValueError(message)
    error.path = path  # type: ignore[attr-defined]
    return error


def timeline_from_data(
    data: Any, *, label: str | None = None, lines: Mapping[tuple[str | int, ...], int] | None = None
) -> Timeline:
    """A timeline from plain data; any problem is a :class:`ScenarioError` naming the field
    (and its line, where ``lines`` maps fields to lines)."""
    if not isinstance(data, dict):
        raise ScenarioError(
            "a timeline is a mapping with name, base, sources, snapshots and events", file=label
        )
    try:
        return Timeline.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = tuple(p for p in err["loc"] if not str(p).startswith("function-"))
        cause = (err.get("ctx") or {}).get("error")  # a validator's ValueError, with its path
        loc = tuple(getattr(cause, "path", ())) or loc
        # pydantic's whole message: a validator's own (after "Value error, "), or a parse
        # error's ("Input should be a valid date or datetime, input is too short", not only
        # the context it gives as text, all that was said until 2026-12-07)
        message = err["msg"].removeprefix("Value error, ")
        found = [(lines or {}).get(loc[:end]) for end in range(len(loc), -1, -1)]
        raise ScenarioError(
            message,
            file=label,
            path=loc,
            line=next((n for n in found if n is not None), None),
        ) from None
