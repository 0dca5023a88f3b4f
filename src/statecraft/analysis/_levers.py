"""The inputs an actor can pull, and the forecasts of many changed copies of a batch at once.

A *lever* is one number of a scenario (``actor:issue:position``, ``actor:issue:salience``,
``actor:issue:capability``, ``actor:capability``) or an actor leaving it (``actor:leave``).
Its *plausible range* is the range the scenario gives it where it has one (the same range
:func:`~statecraft.analysis.draws.uncertain_inputs` draws from), else: the issue's scale for
a position, 0 to 1 for a salience, half to twice the value for a capability.

:func:`variant_forecasts` runs a model on many *variants* of a batch (each a few numbers
set to new values) in one call per issue, through the models' draw axis: one-issue models
see only the issues a variant touches; linked models see the whole batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from statecraft.analysis.draws import uncertain_inputs
from statecraft.analysis.kernel import MEMORY_BUDGET, run_model
from statecraft.arrays import Batch
from statecraft.models import Model
from statecraft.scenario import Scenario

__all__ = [
    "KINDS",
    "LeverInput",
    "Variant",
    "leave_forecasts",
    "lever_inputs",
    "parse_input",
    "variant_forecasts",
]

#: The fields of an ``actor:issue:field`` input a lever or a sweep may change.
KINDS = ("position", "salience", "capability")


@dataclass(frozen=True)
class LeverInput:
    """One number of a scenario that a lever moves, with where it sits in a batch."""

    key: str
    kind: str  # position, salience, capability (on an issue), power (overall), leave
    actor: str
    issue: str | None
    a: int  # the actor's row in the batch
    columns: tuple[int, ...]  # the issues it touches
    value: float
    low: float  # the plausible range
    high: float
    bounds: tuple[float, float]  # what the number may be at all
    ranged: bool  # the range is the scenario's own (an uncertain input)

    @property
    def width(self) -> float:
        return self.high - self.low


#: One variant of a batch: the inputs it sets and their values.
Variant = tuple[tuple[LeverInput, float], ...]


def _default_range(kind: str, value: float, scale: tuple[float, float]) -> tuple[float, float]:
    if kind == "position":
        return scale
    if kind == "salience":
        return (0.0, 1.0)
    return (value / 2.0, value * 2.0)


def _bounds(kind: str, scale: tuple[float, float]) -> tuple[float, float]:
    if kind == "position":
        return scale
    if kind == "salience":
        return (0.0, 1.0)
    return (float(np.finfo(float).tiny), float(np.finfo(float).max))


def lever_inputs(scenario: Scenario, *, issues: Sequence[str] | None = None) -> list[LeverInput]:
    """Every number a lever may move, in scenario order (actors, then their stances), on
    the given issues (all by default); an actor's overall capability where it sets its
    capability on one of those issues."""
    ranged = {i.key: i for i in uncertain_inputs(scenario, actual=False)}
    wanted = list(issues) if issues else list(scenario.issue_ids)
    out: list[LeverInput] = []
    for a, actor in enumerate(scenario.actors):
        plain = tuple(
            scenario.issue_ids.index(j)
            for j in wanted
            if j in actor.stances and actor.stances[j].capability is None
        )
        if plain:
            key = f"{actor.id}:capability"
            out.append(
                _make(
                    key,
                    "power",
                    actor.id,
                    None,
                    a,
                    plain,
                    actor.capability.value,
                    (0.0, 0.0),
                    ranged,
                )
            )
        for issue_id in wanted:
            stance = actor.stances.get(issue_id)
            if stance is None:
                continue
            sc = scenario.issue(issue_id).scale
            j = scenario.issue_ids.index(issue_id)
            values = {
                "position": stance.position.value,
                "salience": stance.salience.value,
                "capability": actor.capability_on(issue_id),
            }
            for kind in KINDS:
                key = f"{actor.id}:{issue_id}:{kind}"
                out.append(
                    _make(
                        key,
                        kind,
                        actor.id,
                        issue_id,
                        a,
                        (j,),
                        values[kind],
                        (sc.low, sc.high),
                        ranged,
                    )
                )
    return out


def _make(
    key: str,
    kind: str,
    actor: str,
    issue: str | None,
    a: int,
    columns: tuple[int, ...],
    value: float,
    scale: tuple[float, float],
    ranged: dict,  # type: ignore[type-arg]
) -> LeverInput:
    item = ranged.get(key)
    low, high = (item.low, item.high) if item else _default_range(kind, value, scale)
    return LeverInput(
        key,
        kind,
        actor,
        issue,
        a,
        columns,
        float(value),
        float(low),
        float(high),
        _bounds(kind, scale),
        item is not None,
    )


def parse_input(scenario: Scenario, key: str) -> LeverInput:
    """The lever input named ``key`` (``actor:issue:field`` or ``actor:capability``);
    a ValueError that says what is allowed otherwise."""
    parts = key.split(":")
    if len(parts) not in (2, 3) or (len(parts) == 2 and parts[1] != "capability"):
        raise ValueError(
            f"an input is ACTOR:ISSUE:FIELD (FIELD one of {', '.join(KINDS)}) or "
            f"ACTOR:capability, not {key!r}"
        )
    actor = parts[0]
    if actor not in scenario.actor_ids:
        raise ValueError(
            f"no actor {actor!r} in {scenario.name}; the actors are: "
            f"{', '.join(scenario.actor_ids)}"
        )
    if len(parts) == 3:
        issue, kind = parts[1], parts[2]
        if issue not in scenario.issue_ids:
            raise ValueError(
                f"no issue {issue!r} in {scenario.name}; the issues are: "
                f"{', '.join(scenario.issue_ids)}"
            )
        if kind not in KINDS:
            raise ValueError(f"the field of {key!r} must be one of {', '.join(KINDS)}")
        if issue not in scenario.actor(actor).stances:
            raise ValueError(f"{actor} takes no part in the issue {issue!r}")
    for item in lever_inputs(scenario):
        if item.key == key:
            return item
    raise ValueError(f"{actor}'s overall capability sets its capability on no issue")


def _write(
    arrays: dict[str, np.ndarray],
    rows: slice,
    item: LeverInput,
    value: float,
    cols: Sequence[int] | None = None,
) -> None:
    """Set one input on ``rows`` of the (rows, actors, issues) arrays; ``cols`` maps the
    batch's issues to the arrays' (a sub-batch of some issues), None for all."""
    where = item.columns if cols is None else [cols.index(j) for j in item.columns if j in cols]
    if item.kind == "power":
        arrays["power"][rows, item.a] = value
        for c in where:
            arrays["capability"][rows, item.a, c] = value
        return
    for c in where:
        arrays[item.kind][rows, item.a, c] = value


def _expand(batch: Batch, variants: Sequence[Variant], cols: Sequence[int]) -> Batch:
    """The batch's draws once per variant (variant-major), on the issues ``cols``."""
    n, d = len(variants), batch.size
    arrays: dict[str, np.ndarray] = {
        name: np.repeat(getattr(batch, name)[None][..., cols], n, axis=0).reshape(
            n * d, batch.n_actors, len(cols)
        )
        for name in ("position", "salience", "capability")
    }
    arrays["power"] = np.repeat(batch.power[None], n, axis=0).reshape(n * d, batch.n_actors)
    for v, changes in enumerate(variants):
        rows = slice(v * d, (v + 1) * d)
        for item, value in changes:
            _write(arrays, rows, item, value, cols)
    sq = np.repeat(batch.status_quo[None][..., cols], n, axis=0).reshape(n * d, len(cols))
    return replace(
        batch,
        issue_ids=tuple(batch.issue_ids[j] for j in cols),
        present=batch.present[:, cols],
        status_quo=sq,
        low=batch.low[cols],
        high=batch.high[cols],
        actual=batch.actual[cols],
        position=arrays["position"],
        salience=arrays["salience"],
        capability=arrays["capability"],
        power=arrays["power"],
    )


def variant_forecasts(
    model: Model,
    batch: Batch,
    variants: Sequence[Variant],
    *,
    seed: int = 0,
    base: np.ndarray | None = None,
    budget: int = MEMORY_BUDGET,
) -> np.ndarray:
    """The model's forecasts (variants, draws, issues) on every variant of the batch's
    draws, in as few calls as the model allows: a one-issue model runs once per issue on
    the variants that touch it (the rest keep ``base``, the batch's own forecasts, worked
    out here when not given); a linked model once on every variant. A stochastic model
    runs each variant on its own, from ``seed``, as the batch's own forecasts are run: draw
    b of every variant then starts from the same random numbers as draw b of the batch, so
    that a variant differs from the batch by its change, not by other draws of the model's
    chance (stacked in one run, identical variants would differ). Each run goes in chunks
    of draws that fit ``budget`` bytes (:func:`~statecraft.analysis.kernel.run_model`)."""
    n, d = len(variants), batch.size
    if not variants:
        return np.empty((0, d, batch.n_issues))
    if model.links_issues or model.stochastic:
        every = list(range(batch.n_issues))
        calls = [[v] for v in variants] if model.stochastic else [list(variants)]
        out = [run_model(model, _expand(batch, c, every), seed=seed, budget=budget) for c in calls]
        return np.concatenate([o.forecasts for o in out]).reshape(n, d, batch.n_issues)
    if base is None:
        base = run_model(model, batch, seed=seed, budget=budget).forecasts
    result = np.repeat(base[None], n, axis=0)
    for j in range(batch.n_issues):
        # Variants that write the same numbers into issue j are the same run on it (an
        # actor's overall capability and its capability on the issue, say): run each once.
        runs: dict[tuple[tuple[str, int, float], ...], list[int]] = {}
        for v, changes in enumerate(variants):
            writes = _writes_on(changes, j)
            if writes:
                runs.setdefault(writes, []).append(v)
        if not runs:
            continue
        firsts = [vs[0] for vs in runs.values()]
        sub = _expand(batch, [variants[v] for v in firsts], [j])
        got = run_model(model, sub, seed=seed, budget=budget).forecasts.reshape(len(firsts), d)
        for vs, row in zip(runs.values(), got, strict=True):
            result[vs, :, j] = row
    return result


def _writes_on(changes: Variant, j: int) -> tuple[tuple[str, int, float], ...]:
    """What a variant writes into issue j, as a one-issue model reads it (which never reads
    the overall capability itself): (field, actor row, value), sorted; the last write of a
    number wins, as in :func:`_write`."""
    out: dict[tuple[str, int], float] = {}
    for item, value in changes:
        if j in item.columns:
            kind = "capability" if item.kind == "power" else item.kind
            out[(kind, item.a)] = float(value)
    return tuple(sorted((k, a, v) for (k, a), v in out.items()))


def leave_forecasts(
    model: Model,
    batch: Batch,
    leavers: Sequence[int],
    *,
    seed: int = 0,
    base: np.ndarray | None = None,
    budget: int = MEMORY_BUDGET,
) -> np.ndarray:
    """A one-issue model's forecasts (leavers, draws, issues) on the batch's draws without
    each actor (a row of the batch) in turn: on each issue, the rows of every leaver that
    takes part in it, each less that actor, stacked along the draw axis and run at once
    (the others keep ``base``). The same numbers as the scenario with the actor removed,
    since a one-issue model reads only the actors taking part, in scenario order, and,
    for a deterministic model, whatever the draws it is stacked with (a stochastic one
    goes through :func:`._robustness.leave_forecasts`' run per leaver instead)."""
    if model.links_issues:
        raise ValueError("leave_forecasts is for one-issue models")
    n, d = len(leavers), batch.size
    if base is None:
        base = run_model(model, batch, seed=seed, budget=budget).forecasts
    result = np.repeat(base[None], n, axis=0)
    for j in range(batch.n_issues):
        rows = np.flatnonzero(batch.present[:, j])
        on = [k for k, a in enumerate(leavers) if a in rows]
        if not on or len(rows) < 2:
            continue
        keep = [rows[rows != leavers[k]] for k in on]  # k-1 rows each, in scenario order

        def stack(array: np.ndarray, keep: list[np.ndarray] = keep, j: int = j) -> np.ndarray:
            return np.concatenate([array[:, r, j] for r in keep])[..., None]

        m = len(rows) - 1
        sub = replace(
            batch,
            actor_ids=tuple(f"slot{r}" for r in range(m)),
            issue_ids=(batch.issue_ids[j],),
            present=np.ones((m, 1), dtype=bool),
            status_quo=np.tile(batch.status_quo[:, [j]], (len(on), 1)),
            low=batch.low[[j]],
            high=batch.high[[j]],
            actual=batch.actual[[j]],
            position=stack(batch.position),
            salience=stack(batch.salience),
            capability=stack(batch.capability),
            power=np.concatenate([batch.power[:, r] for r in keep]),
        )
        got = run_model(model, sub, seed=seed, budget=budget).forecasts.reshape(len(on), d)
        result[on, :, j] = got
    return result
