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
from statecraft.analysis.kernel import (
    MEMORY_BUDGET,
    input_bytes,
    memory_limit,
    memory_option,
    peak_memory,
    run_model,
)
from statecraft.arrays import Batch, draw_batch, scenario_batch
from statecraft.errors import MemoryLimitError
from statecraft.models import Model
from statecraft.scenario import Scenario

__all__ = [
    "check_robustness",
    "leave_forecasts",
    "robustness",
    "robustness_memory",
    "smallest_memory",
]


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
    ``leavers`` in turn: one batched run per issue for a deterministic one-issue model
    (:func:`._levers.leave_forecasts`), a run of the scenario with the actor removed for a
    linked or a stochastic one (from ``seed``, as the batch's own forecasts: the same
    random numbers for the same draw)."""
    if not model.links_issues and not model.stochastic:
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
        # A deterministic model gives every copy of an undrawn scenario the same forecast:
        # one run does; a stochastic one draws anew in each draw, as in the base run
        drawn = kept or model.stochastic
        small = draw_batch(without, kept, batch.size) if drawn else scenario_batch(without)
        f = run_model(model, small, seed=seed, budget=budget).forecasts
        out.append(np.broadcast_to(f, (batch.size, f.shape[1])))
    return np.stack(out) if out else np.empty((0, batch.size, batch.n_issues))


def _terms(
    model: Model, batch: Batch, inputs: Sequence[LeverInput], n_leavers: int, draws: int
) -> tuple[int, int, int, int, int]:
    """The robustness pass's bytes held per draw, and the biggest run of the model: its
    issues, draws, one run's bytes and bytes per draw (:func:`robustness_memory`)."""
    a, i = batch.n_actors, batch.n_issues
    v = 2 * len(inputs)
    if model.links_issues:
        v_run, i_run = v, i
    else:
        v_run = max((2 * sum(j in x.columns for x in inputs) for j in range(i)), default=0)
        i_run = 1
    expanded = v_run * 8 * (3 * a * i_run + a + i_run)
    per = input_bytes(a, i) + 8 * i * (v + n_leavers + 1) + max(4 * 8 * i * v, expanded)
    run = model.run_memory(a, i_run)
    return per, i_run, draws * v_run, run, model.memory_per_draw(a, i_run) + input_bytes(a, i_run)


def robustness_memory(
    model: Model,
    batch: Batch,
    inputs: Sequence[LeverInput],
    n_leavers: int,
    draws: int,
    budget: int = MEMORY_BUDGET,
) -> int:
    """Bytes the robustness pass (:func:`robustness`) holds at its peak on ``draws`` draws of
    ``batch``'s scenario (A actors, I issues), with V = 2 x the levers ``inputs`` (each at
    both ends of its range) and L = ``n_leavers`` (the actors who may leave):

    ``draws x (input_bytes(A, I) + 8 I (V + L + 1) + max(4 x 8 I V, E))
    + peak_memory(model, A, I_run, draws x V_run, budget)``

    - ``input_bytes(A, I)`` per draw: the drawn block and its batch, held throughout;
    - ``8 I (V + L + 1)``: the float64 forecasts of every variant, every leaver and the
      draws themselves, (V, D, I) and so on, held together;
    - ``4 x 8 I V``: :func:`~statecraft.analysis._goals.goal_values` on the variants' forecasts
      makes up to four temporaries of their shape (the masked forecasts, two distances and
      the gain per issue), measured with tracemalloc (tests/test_budget_advise.py);
    - ``E``: the draws copied once per variant for a run of the model (V_run = V variants of
      every issue for a model that links issues, I_run = I; for a one-issue model the most
      variants touching one issue, I_run = 1): ``V_run x 8 (3 A I_run + A + I_run)``, the
      positions, saliences, capabilities, powers and status quos of
      :func:`._levers._expand`;
    - the model's own memory on those ``draws x V_run`` draws, in chunks sized from
      ``budget`` (:func:`~statecraft.analysis.kernel.peak_memory`, from
      :meth:`~statecraft.models.Model.memory_per_draw` and ``run_memory``).

    Levers whose swing is 0 and actors whose leaving changes nothing are skipped at run
    time, and variants that write the same numbers into an issue run once
    (:func:`._levers.variant_forecasts`): the count here takes them all, an upper bound.
    """
    per, i_run, total, _, _ = _terms(model, batch, inputs, n_leavers, draws)
    model_peak = peak_memory(model, batch.n_actors, i_run, total, budget) if total else 0
    return int(draws * per + model_peak)


def smallest_memory(
    model: Model, batch: Batch, inputs: Sequence[LeverInput], n_leavers: int, draws: int
) -> int:
    """A budget M (bytes) that holds the robustness pass with the model's chunks sized from
    its half (:func:`~statecraft.analysis.kernel.study_shares`): the smaller of the biggest
    run whole, ``max(H + R + T p, 2 (R + T p))``, and chunks within the half,
    ``2 (H + R + p)`` (then a chunk takes at most M/2), with H the bytes held over the draws,
    R the model's one run, T the run's draws and p its bytes a draw."""
    per, _, total, run, pc = _terms(model, batch, inputs, n_leavers, draws)
    held = draws * per
    whole = max(held + run + total * pc, 2 * (run + total * pc))
    return int(min(whole, 2 * (held + run + pc)))


def _mib(n: float) -> str:
    return f"{n / 2**30:,.1f} GiB" if n >= 2**30 else f"{n / 2**20:,.0f} MiB"


def check_robustness(
    model: Model,
    batch: Batch,
    inputs: Sequence[LeverInput],
    n_leavers: int,
    draws: int,
    memory: int | None,
    budget: int = MEMORY_BUDGET,
) -> None:
    """Refuse, before any draw, a robustness pass (:func:`robustness_memory`) of more bytes
    than the budget ``memory`` (None: no budget was given) or than the machine allows
    (:func:`~statecraft.analysis.kernel.memory_limit`: ``STATECRAFT_MEMORY``, the process's
    limit or the memory free), with a :class:`~statecraft.errors.MemoryLimitError` naming
    both figures and what to do."""
    need = robustness_memory(model, batch, inputs, n_leavers, draws, budget)
    if memory is not None and need > memory:
        least = memory_option(smallest_memory(model, batch, inputs, n_leavers, draws))
        raise MemoryLimitError(
            f"the robustness of {len(inputs):,} levers over {draws:,} draws would hold about "
            f"{_mib(need)}, more than the memory budget of {_mib(memory)} (give fewer "
            f"--draws, or --memory {least} or more: half a budget is for the model's runs)"
        )
    limit = memory_limit()
    if limit is not None and need > limit[0]:
        raise MemoryLimitError(
            f"the robustness of {len(inputs):,} levers over {draws:,} draws would hold about "
            f"{_mib(need)}; {limit[1]} allows {_mib(limit[0])} (give fewer --draws, or set "
            "STATECRAFT_MEMORY)"
        )


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
