"""The parts of :func:`~statecraft.analysis.advise.advise` that run the model on the
draws: each lever's robustness over the Monte Carlo draws of the uncertain inputs, and the
forecasts without each actor in turn."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from statecraft.analysis._goals import Goal, goal_values
from statecraft.analysis._levers import LeverInput, Variant
from statecraft.analysis._levers import leave_forecasts as _leavers
from statecraft.analysis._levers import variant_forecasts as _variants
from statecraft.analysis.draws import draw_block, uncertain_inputs
from statecraft.analysis.kernel import MEMORY_BUDGET, run_model
from statecraft.arrays import Batch, draw_batch, scenario_batch
from statecraft.models import Model
from statecraft.scenario import Scenario

__all__ = ["leave_forecasts", "robustness"]


def leave_forecasts(
    model: Model,
    scenario: Scenario,
    leavers: Sequence[str],
    batch: Batch,
    draws: Mapping[str, np.ndarray],
    base: np.ndarray,
    seed: int,
    budget: int = MEMORY_BUDGET,
) -> np.ndarray:
    """The forecasts (leavers, size, issues) of the batch's draws without each of
    ``leavers`` in turn: one batched run per issue for a one-issue model
    (:func:`._levers.leave_forecasts`), the scenario with the actor removed for a linked
    one."""
    if not model.links_issues:
        rows = [scenario.actor_ids.index(a) for a in leavers]
        return _leavers(model, batch, rows, seed=seed, base=base, budget=budget)
    from statecraft.analysis._patch import Change, Patch, apply_patch

    out = []
    for actor in leavers:
        patch = Patch(
            name="leave", assumes=f"{actor} leaves", changes=(Change(remove_actor=actor),)
        )
        without = apply_patch(scenario, patch)
        keys = {i.key for i in uncertain_inputs(without, actual=False)}
        kept = {k: v for k, v in draws.items() if k in keys}
        small = draw_batch(without, kept, batch.size) if kept else scenario_batch(without)
        f = run_model(model, small, seed=seed, budget=budget).forecasts
        out.append(np.broadcast_to(f, (batch.size, f.shape[1])))
    return np.stack(out) if out else np.empty((0, batch.size, batch.n_issues))


def robustness(
    model: Model,
    scenario: Scenario,
    goal: Goal,
    inputs: Sequence[LeverInput],
    swing: np.ndarray,
    leaving: Sequence[tuple[str, float]],
    unc: Sequence[Any],
    draws: int,
    seed: int,
    budget: int = MEMORY_BUDGET,
) -> list[float | None]:
    """Per lever, the share of draws in which it moves the goal the way it does at the
    coded values (across the plausible range; for leaving, without the actor)."""
    values = draw_block(scenario, unc, seed, 0, draws)
    batch = draw_batch(scenario, values, draws)
    moving = [k for k in range(len(inputs)) if swing[k] != 0]  # the others have no direction
    m = len(moving)
    ends: list[Variant] = [((inputs[k], inputs[k].low),) for k in moving]
    ends += [((inputs[k], inputs[k].high),) for k in moving]
    base = _variants(model, batch, [()], seed=seed, budget=budget)[0]
    g = goal_values(goal, _variants(model, batch, ends, seed=seed, base=base, budget=budget), batch)
    delta = g[m:] - g[:m]
    out: list[float | None] = [None] * len(inputs)
    for r, k in enumerate(moving):
        out[k] = float(np.mean(np.sign(delta[r]) == np.sign(swing[k])))
    g0 = goal_values(goal, base, batch)
    moved = [(k, actor) for k, (actor, effect) in enumerate(leaving) if effect != 0]
    out += [None] * len(leaving)
    if moved:
        moved_out = [a for _, a in moved]
        left = leave_forecasts(model, scenario, moved_out, batch, values, base, seed, budget)
        for (k, _), f in zip(moved, left, strict=True):
            d = goal_values(goal, f, batch) - g0
            out[len(inputs) + k] = float(np.mean(np.sign(d) == np.sign(leaving[k][1])))
    return out
