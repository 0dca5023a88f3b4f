"""A patch's changes, stacking patches into one counterfactual, and applying a patch.

Stacking (:meth:`Patch.stack`) joins patches into one, named ``a+b``: their changes apply in
order, the later over the earlier. A number that two of them change gets a note
(:attr:`Patch.notes`): a ``set`` replaces what came before (the later patch wins), a ``shift``
or ``scale`` applies on top of it. Patches that disagree on the scenario's structure (one
removes an actor that another changes or adds) cannot be stacked: the error names both.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
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

from statecraft.errors import ScenarioError
from statecraft.io import error_from_validation
from statecraft.scenario import Scenario

Field_ = Literal["position", "salience", "capability", "status_quo"]


class Change(BaseModel):
    """One change of a patch: exactly one of set, shift, scale, remove_actor, add_actor."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    set: Field_ | None = None
    shift: Literal["position", "status_quo"] | None = None
    scale: Literal["capability", "salience"] | None = None
    remove_actor: str | None = None
    add_actor: dict[str, Any] | None = None
    actor: str | None = None
    issue: str | None = None
    value: StrictFloat | None = None
    by: StrictFloat | None = None
    note: str | None = None
    #: optional (a timeline's changes need them): the ids of the sources the change rests on,
    #: written into the number's ``source`` as ``[a, b]``; and, for ``set``, the range the
    #: new number carries (``low``, ``high``, ``dist``, as a scenario's numbers)
    sources: tuple[str, ...] = ()
    low: StrictFloat | None = None
    high: StrictFloat | None = None
    dist: Literal["triangular", "uniform", "normal", "beta"] | None = None

    @model_validator(mode="after")
    def _one_operation(self) -> Change:
        ops = [
            k for k in ("set", "shift", "scale", "remove_actor", "add_actor") if getattr(self, k)
        ]
        if len(ops) != 1:
            raise ValueError(
                "a change does exactly one of: set, shift, scale, remove_actor, add_actor"
                + (f" (this one: {', '.join(ops)})" if ops else "")
            )
        if self.set is not None and self.value is None:
            raise ValueError(f"'set: {self.set}' needs a value")
        if (self.shift or self.scale) and self.by is None:
            raise ValueError("'shift' and 'scale' need 'by'")
        target = self.set or self.shift or self.scale
        if target == "status_quo" and self.issue is None:
            raise ValueError("a status quo change needs an issue")
        if target in ("position", "salience") and (self.actor is None or self.issue is None):
            raise ValueError(f"a {target} change needs an actor and an issue")
        if target == "capability" and self.actor is None:
            raise ValueError("a capability change needs an actor")
        self._check_range()
        return self

    def _check_range(self) -> None:
        ranged = self.low is not None or self.high is not None or self.dist is not None
        if not ranged:
            return
        if self.set is None:
            raise ValueError("only a 'set' change may carry a range (low, high, dist)")
        if self.low is None or self.high is None:
            raise ValueError("give both low and high for a range, or neither")
        value = float(self.value or 0.0)
        if not self.low <= value <= self.high:
            raise ValueError(
                f"the range must hold the value: low ({self.low:g}) <= value ({value:g}) "
                f"<= high ({self.high:g})"
            )


class Patch(BaseModel):
    """A counterfactual: a name, what it assumes, and its changes; or several stacked into
    one (:meth:`stack`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    title: str | None = None
    assumes: str = Field(min_length=1, description="What the counterfactual takes for granted.")
    changes: tuple[Change, ...] = Field(min_length=1)
    _file: str | None = PrivateAttr(default=None)  # where it was read from, for messages
    _parts: tuple[Patch, ...] = PrivateAttr(default=())
    _notes: tuple[str, ...] = PrivateAttr(default=())

    @property
    def parts(self) -> tuple[Patch, ...]:
        """The patches stacked into this one, in order (this patch alone when it is no
        stack)."""
        return self._parts or (self,)

    @property
    def notes(self) -> tuple[str, ...]:
        """Each number that a later part of the stack changes after an earlier part did,
        and which value holds; none for a single patch."""
        return self._notes

    @classmethod
    def stack(cls, patches: Sequence[Patch]) -> Patch:
        """The patches as one counterfactual named ``a+b``: their changes in order, the
        later over the earlier (a stack among them is flattened; a single patch comes back
        as it is). A :class:`~statecraft.errors.ScenarioError` names both patches when two
        cannot be stacked, and an empty list or a patch given twice is refused."""
        parts = tuple(p for given in patches for p in given.parts)
        if not parts:
            raise ScenarioError("nothing to stack: give at least one patch")
        if len(parts) == 1:
            return parts[0]
        names = [p.name for p in parts]
        twice = next((n for n in names if names.count(n) > 1), None)
        if twice is not None:
            raise ScenarioError(f"patch {twice!r} is stacked twice in {'+'.join(names)!r}")
        notes = _check_stack(parts)
        stacked = cls(
            name="+".join(names),
            title=" + ".join(p.title or p.name for p in parts),
            assumes="\n\n".join(f"{p.name}: {p.assumes}" for p in parts),
            changes=tuple(c for p in parts for c in p.changes),
        )
        stacked._parts = parts
        stacked._notes = notes
        return stacked


def _what(key: tuple[str, str | None, str | None]) -> str:
    target, actor, issue = key
    if target == "status_quo":
        return f"the status quo of {issue}"
    if target == "capability" and issue is None:
        return f"the capability of {actor}"
    return f"the {target} of {actor} on {issue}"


def _did(change: Change) -> str:
    if change.set is not None:
        return f"sets it to {change.value:g}"
    return f"{'shifts' if change.shift else 'scales'} it by {change.by:g}"


def _clash(part: Patch, actor: str, other: str, what: str) -> ScenarioError:
    return ScenarioError(
        f"patches {other!r} and {part.name!r} cannot be stacked: {what} actor {actor!r}",
        file=part._file or part.name,
    )


def _check_stack(parts: Sequence[Patch]) -> tuple[str, ...]:
    """Refuse parts that conflict on the actors; note each number changed by two parts."""
    edited: dict[str, str] = {}  # actor -> the last part that changed or added it
    removed: dict[str, str] = {}  # actor -> the part that removed it
    added: dict[str, str] = {}  # actor -> the part that added it
    last: dict[tuple[str, str | None, str | None], tuple[str, Change]] = {}
    notes: list[str] = []
    for part in parts:
        here = part.name
        for change in part.changes:
            if change.remove_actor is not None:
                a = change.remove_actor
                if edited.get(a, here) != here:
                    raise _clash(part, a, edited[a], f"{edited[a]!r} changes and {here!r} removes")
                removed[a] = here
                edited.pop(a, None)
                added.pop(a, None)
                continue
            if change.add_actor is not None:
                a = str(change.add_actor.get("id"))
                if added.get(a, here) != here:
                    raise _clash(part, a, added[a], "both add")
                added[a] = edited[a] = here
                removed.pop(a, None)
                continue
            if change.actor is not None:
                a = change.actor
                if removed.get(a, here) != here:
                    why = f"{removed[a]!r} removes and {here!r} changes"
                    raise _clash(part, a, removed[a], why)
                edited[a] = here
            target = str(change.set or change.shift or change.scale)
            key = (target, None if target == "status_quo" else change.actor, change.issue)
            before = last.get(key)
            if before is not None and before[0] != here:
                outcome = (
                    f"the later patch wins ({change.value:g})"
                    if change.set is not None
                    else "both apply, in that order"
                )
                notes.append(
                    f"{_what(key)}: {before[0]} {_did(before[1])}, then {here} {_did(change)}: "
                    f"{outcome}"
                )
            last[key] = (here, change)
    return tuple(notes)


def apply_patch(scenario: Scenario, patch: Patch, *, file: str | None = None) -> Scenario:
    """The scenario with the patch's changes made (a stack's, part by part), validated; its
    name gains ``+patch``."""
    data = scenario.model_dump(mode="python")
    actors = {a["id"]: a for a in data["actors"]}
    issues = {i["id"]: i for i in data["issues"]}
    steps = [(part, k, c) for part in patch.parts for k, c in enumerate(part.changes)]
    for part, k, change in steps:
        where = (file if part is patch else None) or part._file or part.name
        path = ("changes", k)
        if change.actor is not None and change.actor not in actors:
            raise ScenarioError(
                f"unknown actor id {change.actor!r}; the actors are: {', '.join(actors)}",
                file=where,
                path=(*path, "actor"),
            )
        if change.issue is not None and change.issue not in issues:
            raise ScenarioError(
                f"unknown issue id {change.issue!r}; the issues are: {', '.join(issues)}",
                file=where,
                path=(*path, "issue"),
            )
        if change.remove_actor is not None:
            if change.remove_actor not in actors:
                raise ScenarioError(
                    f"unknown actor id {change.remove_actor!r}",
                    file=where,
                    path=(*path, "remove_actor"),
                )
            del actors[change.remove_actor]
            continue
        if change.add_actor is not None:
            new = copy.deepcopy(change.add_actor)
            if new.get("id") in actors:
                raise ScenarioError(
                    f"actor {new.get('id')!r} is already in the scenario", file=where, path=path
                )
            actors[str(new.get("id"))] = new
            continue
        target = change.set or change.shift or change.scale
        holder, key = _locate(actors, issues, change, target, where, path)
        old = holder.get(key)
        old_value = old["value"] if isinstance(old, dict) else old
        if change.set is not None:
            new_value = change.value
        elif old_value is None:
            raise ScenarioError(
                f"nothing to {'shift' if change.shift else 'scale'}: no {target} is set",
                file=where,
                path=path,
            )
        elif change.shift is not None:
            new_value = float(old_value) + float(change.by or 0.0)
        else:
            new_value = float(old_value) * float(change.by or 0.0)
        holder[key] = {
            "value": new_value,
            "source": f"[{', '.join(change.sources)}]"
            if change.sources
            else f"counterfactual {part.name}",
            "note": change.note or part.assumes,
        }
        if change.low is not None and change.high is not None:
            holder[key].update(low=change.low, high=change.high)
            if change.dist is not None:
                holder[key]["dist"] = change.dist
    data["actors"] = list(actors.values())
    data["name"] = f"{scenario.name}+{patch.name}"
    if patch.title:
        data["title"] = f"{scenario.title or scenario.name}: {patch.title}"
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        where = file or patch._file or patch.name
        raise error_from_validation(
            exc, file=f"{where} (applied to {scenario.name})", lines={}
        ) from None


def _locate(
    actors: dict[str, Any],
    issues: dict[str, Any],
    change: Change,
    target: str | None,
    where: str,
    path: tuple[str | int, ...],
) -> tuple[dict[str, Any], str]:
    """The mapping and key a set/shift/scale change writes to."""
    if target == "status_quo":
        return issues[str(change.issue)], "status_quo"
    actor = actors[str(change.actor)]
    if target == "capability" and change.issue is None:
        return actor, "capability"
    stance = actor.get("stances", {}).get(change.issue)
    if stance is None:
        raise ScenarioError(
            f"actor {change.actor!r} takes no position on issue {change.issue!r}; "
            "give it one with set: position and set: salience first, or add it as an actor",
            file=where,
            path=path,
        )
    return stance, str(target)
