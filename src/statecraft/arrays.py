"""The arrays every model reads: draws x actors x issues, with a presence mask.

A :class:`Batch` is a scenario as numbers, for ``B`` draws at once: capability, position and
salience per draw, actor and issue; each actor's overall capability (its power); the status
quo per draw and issue; and which actor takes part in which issue. It is built once from a
:class:`~statecraft.scenario.Scenario` (:func:`scenario_batch`, one draw) or once per block
of Monte Carlo draws (:func:`draw_batch`). Models never read scenario objects: one-issue
models read one issue at a time (:meth:`Batch.issue`), linked models read the whole batch.

>>> from statecraft.io import load
>>> b = scenario_batch(load("ec-emissions-1994"))
>>> b.size, b.n_actors, b.n_issues
(1, 10, 1)
>>> b.issue("emissions").position.shape
(1, 10)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from statecraft.scenario import Scenario

__all__ = [
    "Batch",
    "DrawPlan",
    "IssueArrays",
    "Kind",
    "draw_batch",
    "draw_plan",
    "input_key",
    "issue_arrays",
    "scenario_batch",
]

Kind = Literal["position", "salience", "capability", "status_quo", "actual"]


def input_key(kind: Kind, actor: str | None, issue: str | None) -> str:
    """The name of one number of a scenario: ``actor:issue:kind``, ``actor:capability``,
    ``issue:status_quo`` or ``issue:actual``. Ids cannot hold ':', so no two numbers share
    a name. (The actual outcome is no model's input: a batch leaves its draws out.)"""
    return ":".join(part for part in (actor, issue, kind) if part is not None)


@dataclass(frozen=True)
class IssueArrays:
    """One issue as arrays for the one-issue models: the actors that take part, in
    scenario order. Arrays have the actor axis last; leading axes, if any, are draws."""

    issue_id: str
    actor_ids: tuple[str, ...]
    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    low: float
    high: float
    status_quo: float | np.ndarray | None  # an array of draws in a batch
    actual: float | None
    #: The three arrays again with the actors first, contiguous, and the arrays they copy
    #: (:meth:`rows` uses them only while those are still this issue's own).
    by_row: tuple[np.ndarray, ...] | None = field(default=None, repr=False)

    @property
    def width(self) -> float:
        return self.high - self.low

    def rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``capability``, ``position`` and ``salience`` with the actor axis first (k, ...),
        as contiguous arrays of floats: the batch's own where it holds them so (no copy;
        :meth:`Batch.by_issue`), copies otherwise. Read-only: never write to them."""
        own = (self.capability, self.position, self.salience)
        held = self.by_row
        if held is not None and all(a is b for a, b in zip(held[:3], own, strict=True)):
            return held[3], held[4], held[5]
        c, x, s = (
            np.ascontiguousarray(np.moveaxis(np.asarray(a, dtype=float), -1, 0)) for a in own
        )
        return c, x, s


@dataclass(frozen=True, eq=False)
class Batch:
    """``B`` draws of a scenario as arrays: the one input of every model.

    ``capability``, ``position`` and ``salience`` are (B, actors, issues); where an actor
    sits an issue out (``present`` is False) its position is NaN and its salience and
    capability 0. ``power`` (B, actors) is each actor's overall capability (models with one
    power per actor read it). ``status_quo`` is (B, issues), NaN where an issue has none;
    ``low``, ``high`` and ``actual`` (NaN where unknown) are per issue.
    """

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    power: np.ndarray
    present: np.ndarray
    status_quo: np.ndarray
    low: np.ndarray
    high: np.ndarray
    actual: np.ndarray
    #: ``capability``, ``position`` and ``salience`` again, issues first (issues, actors, B),
    #: then those three (:meth:`by_issue` uses them only while they are still the batch's own).
    issues_first: tuple[np.ndarray, ...] | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        """The number of draws, B."""
        return int(self.position.shape[0])

    @property
    def n_actors(self) -> int:
        return len(self.actor_ids)

    @property
    def n_issues(self) -> int:
        return len(self.issue_ids)

    @property
    def width(self) -> np.ndarray:
        """Each issue's scale width (issues,)."""
        return np.asarray(self.high - self.low)

    @property
    def has_status_quo(self) -> np.ndarray:
        """Whether each issue has a status quo (issues,)."""
        return np.asarray(np.isfinite(self.status_quo).all(axis=0))

    def column(self, issue: int | str) -> int:
        """The index of an issue given by index or id."""
        if isinstance(issue, str):
            try:
                return self.issue_ids.index(issue)
            except ValueError:
                raise KeyError(
                    f"no issue {issue!r}; the issues are: {', '.join(self.issue_ids)}"
                ) from None
        return int(issue)

    def by_issue(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``capability``, ``position`` and ``salience`` with the issues first and the draws
        last (issues, actors, B), each issue's (actors, B) slab contiguous: the layout in
        which sums over the actors are whole-row additions. A batch of drawn inputs holds
        them so (:meth:`DrawPlan.batch`: no copy); other batches give copies. Read-only."""
        held = self._issues_first()
        if held is not None:
            return held
        own = (self.capability, self.position, self.salience)
        c, x, s = (np.ascontiguousarray(np.asarray(a, dtype=float).transpose(2, 1, 0)) for a in own)
        return c, x, s

    def _issues_first(self) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The issues-first arrays the batch holds, while they are of its own arrays."""
        held = self.issues_first
        own = (self.capability, self.position, self.salience)
        if held is None or not all(a is b for a, b in zip(held[3:], own, strict=True)):
            return None
        return held[0], held[1], held[2]

    def issue(self, issue: int | str) -> IssueArrays:
        """One issue for the one-issue models: (B, k) arrays of the k actors taking part,
        and the status quo (B,) (None where the issue has none)."""
        j = self.column(issue)
        rows = np.flatnonzero(self.present[:, j])
        sq = self.status_quo[:, j]
        actual = float(self.actual[j])
        take: slice | np.ndarray = slice(None) if len(rows) == self.n_actors else rows
        c, x, s = (a[:, take, j] for a in (self.capability, self.position, self.salience))
        held = self._issues_first()
        by_row = None if held is None else (c, x, s, *(a[j, take] for a in held))
        return IssueArrays(
            issue_id=self.issue_ids[j],
            actor_ids=tuple(self.actor_ids[k] for k in rows),
            capability=c,
            position=x,
            salience=s,
            low=float(self.low[j]),
            high=float(self.high[j]),
            status_quo=sq.copy() if np.isfinite(sq).all() else None,
            actual=actual if np.isfinite(actual) else None,
            by_row=by_row,
        )

    def take(self, draws: slice | Sequence[int] | np.ndarray) -> Batch:
        """The same scenario for a subset of the draws (a slice or indices)."""
        index = draws if isinstance(draws, slice) else np.asarray(draws, dtype=int)
        own = (self.capability[index], self.position[index], self.salience[index])
        held = self._issues_first()
        first = None  # a slice of the draws is a view of the issues-first arrays too
        if held is not None and isinstance(index, slice):
            first = (*(a[..., index] for a in held), *own)
        return replace(
            self,
            capability=own[0],
            position=own[1],
            salience=own[2],
            power=self.power[index],
            status_quo=self.status_quo[index],
            issues_first=first,
        )

    def reorder(self, order: Sequence[int] | np.ndarray) -> Batch:
        """The same draws with the actors in another order (``order[k]`` goes k-th)."""
        o = np.asarray(order, dtype=int)
        return replace(
            self,
            actor_ids=tuple(self.actor_ids[k] for k in o),
            capability=self.capability[:, o],
            position=self.position[:, o],
            salience=self.salience[:, o],
            power=self.power[:, o],
            present=self.present[o],
        )

    def scaled(self, factor: float) -> Batch:
        """The same draws with every capability multiplied by ``factor``."""
        return replace(self, capability=self.capability * factor, power=self.power * factor)


def _base(scenario: Scenario) -> dict[str, np.ndarray]:
    """The scenario's own values: (actors, issues) arrays, power and status quo."""
    issues = scenario.issue_ids
    actors = scenario.actors
    present = np.array([[i in a.stances for i in issues] for a in actors], dtype=bool)
    nan = float("nan")
    position = np.array(
        [[a.stances[i].position.value if i in a.stances else nan for i in issues] for a in actors]
    )
    salience = np.array(
        [[a.stances[i].salience.value if i in a.stances else 0.0 for i in issues] for a in actors]
    )
    capability = np.array(
        [[a.capability_on(i) if i in a.stances else 0.0 for i in issues] for a in actors]
    )
    power = np.array([a.capability.value for a in actors])
    quos = [issue.status_quo for issue in scenario.issues]
    sq = np.array([nan if q is None else q.value for q in quos])
    return {
        "present": present,
        "position": position.reshape(len(actors), len(issues)),
        "salience": salience.reshape(len(actors), len(issues)),
        "capability": capability.reshape(len(actors), len(issues)),
        "power": power,
        "status_quo": sq,
    }


def _batch(scenario: Scenario, values: Mapping[str, np.ndarray]) -> Batch:
    issues = scenario.issues
    return Batch(
        actor_ids=scenario.actor_ids,
        issue_ids=scenario.issue_ids,
        capability=values["capability"],
        position=values["position"],
        salience=values["salience"],
        power=values["power"],
        present=values["present"],
        status_quo=values["status_quo"],
        low=np.array([i.scale.low for i in issues]),
        high=np.array([i.scale.high for i in issues]),
        actual=np.array([float("nan") if i.actual is None else i.actual.value for i in issues]),
    )


def scenario_batch(scenario: Scenario) -> Batch:
    """The scenario as a batch of one draw: every number at its value."""
    base = _base(scenario)
    return _batch(
        scenario,
        {k: v if k == "present" else v[None, ...] for k, v in base.items()},
    )


#: The arrays a batch also holds issues first (:meth:`Batch.by_issue`).
_BY_ISSUE = ("capability", "position", "salience")


@dataclass(frozen=True, eq=False)
class DrawPlan:
    """Where the drawn numbers of a scenario go in its batch, worked out once per study:
    the scenario's own arrays, and for each drawn number the array and place it sets.

    Each ``write`` is ``(array, index, key)``: the array's name, the (actor, issue), actor
    or issue index, and the :func:`input_key` of the draws that set it. An actor's drawn
    overall capability also sets its capability on every issue where it has none of its own.
    """

    scenario: Scenario
    base: Mapping[str, np.ndarray]
    writes: tuple[tuple[str, tuple[int, ...], str], ...]

    def batch(
        self, draws: Mapping[str, np.ndarray], size: int, *, issues_first: bool = False
    ) -> Batch:
        """``size`` draws of the scenario; an array that no draw changes is the scenario's
        own, broadcast over the draws (a read-only view: models never write to their
        input).

        With ``issues_first``, capability, position and salience are made issues first
        (issues, actors, B), each draw written as one contiguous run, and the batch's
        (B, actors, issues) arrays are views of them (not contiguous; the same numbers):
        for models that read them only through :meth:`Batch.by_issue` and
        :meth:`IssueArrays.rows` (``Model.issues_first``), which then copy nothing.
        Without it the arrays are C-contiguous, the layout every other model's reductions
        are written for (their sums add in that layout's order: the same bytes)."""
        touched = {name for name, _, _ in self.writes}
        out: dict[str, np.ndarray] = {"present": self.base["present"]}
        first: dict[str, np.ndarray] = {}
        for name, value in self.base.items():
            if name == "present":
                continue
            if issues_first and name in _BY_ISSUE:
                shape = (*value.shape[::-1], size)
                if name in touched:
                    first[name] = np.empty(shape)
                    first[name][...] = value.T[..., None]
                else:
                    first[name] = np.broadcast_to(value.T[..., None], shape)
                out[name] = first[name].transpose(2, 1, 0)
            elif name in touched:
                out[name] = np.repeat(value[None, ...], size, axis=0)
            else:
                out[name] = np.broadcast_to(value, (size, *value.shape))
        for name, where, key in self.writes:
            if name in first:
                first[name][(*where[::-1], slice(None))] = draws[key]  # type: ignore[index]
            else:
                out[name][(slice(None), *where)] = draws[key]  # type: ignore[index]
        batch = _batch(self.scenario, out)
        if not first:
            return batch
        held = (*(first[n] for n in _BY_ISSUE), *(out[n] for n in _BY_ISSUE))
        return replace(batch, issues_first=held)


def draw_plan(scenario: Scenario, keys: Collection[str]) -> DrawPlan:
    """The plan that puts draws of the numbers named ``keys`` (by :func:`input_key`) in
    the scenario's batch."""
    keys = set(keys)
    writes: list[tuple[str, tuple[int, ...], str]] = []
    kinds: tuple[Kind, ...] = ("position", "salience")
    for a, actor in enumerate(scenario.actors):
        overall = input_key("capability", actor.id, None)
        if overall in keys:
            writes.append(("power", (a,), overall))
        for j, issue_id in enumerate(scenario.issue_ids):
            stance = actor.stances.get(issue_id)
            if stance is None:
                continue
            for kind in kinds:
                key = input_key(kind, actor.id, issue_id)
                if key in keys:
                    writes.append((kind, (a, j), key))
            own = input_key("capability", actor.id, issue_id)
            if own in keys:
                writes.append(("capability", (a, j), own))
            elif stance.capability is None and overall in keys:
                writes.append(("capability", (a, j), overall))
    for j, issue_id in enumerate(scenario.issue_ids):
        key = input_key("status_quo", None, issue_id)
        if key in keys:
            writes.append(("status_quo", (j,), key))
    return DrawPlan(scenario, _base(scenario), tuple(writes))


def draw_batch(scenario: Scenario, draws: Mapping[str, np.ndarray], size: int) -> Batch:
    """``size`` draws of the scenario: each number named in ``draws`` (by
    :func:`input_key`) takes its drawn values, every other number its value
    (:class:`DrawPlan`; a study makes the plan once and reuses it for every block)."""
    return draw_plan(scenario, draws.keys()).batch(draws, size)


def issue_arrays(scenario: Scenario, issue_id: str) -> IssueArrays:
    """One issue of the scenario at its values: (k,) arrays of the actors taking part, in
    scenario order, and a scalar status quo (what one-issue models take).

    >>> from statecraft.io import load
    >>> a = issue_arrays(load("ec-emissions-1994"), "emissions")
    >>> a.position.shape, a.status_quo
    ((10,), None)
    """
    scenario.issue(issue_id)  # KeyError naming the issues
    one = scenario_batch(scenario).issue(issue_id)
    return replace(
        one,
        capability=one.capability[0],
        position=one.position[0],
        salience=one.salience[0],
        status_quo=None if one.status_quo is None else float(np.asarray(one.status_quo)[0]),
    )
