"""The blocks of a Monte Carlo study: each draws its inputs and summarises every model on them.

Block k draws from its own generator,
``numpy.random.Generator(PCG64(SeedSequence(seed, spawn_key=(k,))))``
(:func:`~statecraft.analysis.draws.draw_block`), and keeps only counts and exact sums
(:class:`~statecraft.analysis._summary.Summary`), so that a block's summary is the same in
any process and summaries merge to the same bytes however the blocks are grouped.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from statecraft._threads import threads_to_use
from statecraft.analysis._summary import GainPlan, count_gains
from statecraft.analysis._summary import Summary as _Summary
from statecraft.analysis.draws import UncertainInput, draw_block, uncertain_inputs
from statecraft.analysis.kernel import (
    DEFAULT_MEMORY,
    check_memory,
    chunk_size,
    chunks,
    draws_per_block,
    input_bytes,
    study_shares,
)
from statecraft.analysis.winners import draw_gains, winner_counts
from statecraft.arrays import Batch, DrawPlan, draw_plan, input_key
from statecraft.models import Model, Output, build_models
from statecraft.scenario import Issue, Scenario

__all__ = [
    "BINS",
    "BLOCK",
    "block_note",
    "block_size",
    "block_threads",
    "exponent",
    "full_block_budget",
    "ranked_actors",
    "run_block",
]

#: Draws per block. Fixed: each block has its own random stream, so changing it would
#: change the draws.
BLOCK = 4096
#: Histogram bins across each issue's scale: quantiles are read to 1/BINS of the width.
BINS = 2000


def ranked_actors(scenario: Scenario) -> list[str]:
    """Actors with a stance on some issue that has a status quo: those the gains rank."""
    with_sq = {i.id for i in scenario.issues if i.status_quo is not None}
    return [a.id for a in scenario.actors if with_sq & set(a.stances)]


@functools.lru_cache(maxsize=8)
def _parse(text: str) -> Scenario:
    return Scenario.model_validate_json(text)


#: The uncertain inputs and the draw plan of the scenarios studied lately, by identity: a
#: study works them out once, not once per block (the scenario is kept with them, so that
#: its id is not reused while it is here).
_STUDIES: dict[int, tuple[Scenario, list[UncertainInput], DrawPlan]] = {}


_STUDIES_LOCK = threading.Lock()  # the web app runs studies in threads


def _study(scenario: Scenario) -> tuple[list[UncertainInput], DrawPlan]:
    with _STUDIES_LOCK:
        hit = _STUDIES.get(id(scenario))
    if hit is not None and hit[0] is scenario:
        return hit[1], hit[2]
    inputs = uncertain_inputs(scenario)
    plan = draw_plan(scenario, [i.key for i in inputs])
    with _STUDIES_LOCK:
        while len(_STUDIES) >= 8:
            _STUDIES.pop(next(iter(_STUDIES)))
        _STUDIES[id(scenario)] = (scenario, inputs, plan)
    return inputs, plan


def block_size(scenario: Scenario, memory: int = DEFAULT_MEMORY) -> int:
    """Draws per block: :data:`BLOCK`, fewer where a block's inputs would outgrow their half
    of the memory budget ``memory`` (:func:`~statecraft.analysis.kernel.study_shares`;
    at the default budget, only scenarios of more than about 1,100 actor-issues). It depends
    on the scenario and the budget alone, so a seed gives the same draws whatever models
    run and wherever; and at any budget for a scenario whose block fits it whole."""
    held, _ = study_shares(memory)
    return draws_per_block(len(scenario.actors), len(scenario.issues), BLOCK, held)


#: The most threads a study's blocks run on at once in one process. Measured on two CPUs
#: only (docs/performance.md); the blocks' Python steps hold the GIL, so more threads are
#: not assumed to pay.
MOST_BLOCK_THREADS = 2


def block_threads(scenario: Scenario, models: Sequence[Model], memory: int, n_blocks: int) -> int:
    """How many blocks of a study run at once on threads in this process: up to
    :data:`MOST_BLOCK_THREADS`, the CPUs (``STATECRAFT_THREADS`` where set,
    :func:`~statecraft._threads.threads_to_use`) and the blocks; one where a model runs
    per draw in Python (``batched`` False: it holds the GIL) or runs threads itself, or
    where a share of the budget ``memory`` would not hold a whole block of inputs and each
    model's whole chunk: each of the blocks in flight keeps to ``memory // threads``
    (:func:`run_block`'s budget), with the same blocks and chunks as one thread, so the
    same bytes."""
    threads = min(threads_to_use(), MOST_BLOCK_THREADS, n_blocks)
    if threads < 2 or not all(m.batched and not m.threads_itself for m in models):
        return 1
    block = block_size(scenario, memory)
    part = memory // threads
    if block_size(scenario, part) < block:
        return 1
    _, share = study_shares(part)
    n_actors, n_issues = len(scenario.actors), len(scenario.issues)
    if any(chunk_size(m, n_actors, n_issues, share) < block for m in models):
        return 1
    return threads


def block_note(block: int, requested: int, scenario: Scenario | None = None) -> str | None:
    """What a block size other than :data:`BLOCK` means for reproducing a study's draws:
    the words ``simulate``, ``brief``, ``compare``, ``risk`` and ``timeline`` print. None
    where it changes nothing: blocks of :data:`BLOCK`, or a study of ``requested`` draws
    that one block of either size holds whole (its one block is the same draws). With the
    ``scenario``, it names the budget from which blocks are whole again."""
    if block >= BLOCK or requested <= block:
        return None
    again = ""
    if scenario is not None:
        need = full_block_budget(scenario)
        again = f" (--memory {-(-need // 2**20)}M or more gives blocks of {BLOCK:,})"
    return (
        f"Draws came in blocks of {block:,}, not {BLOCK:,}: the memory budget held "
        f"no more. The same seed with another block size gives other draws{again}."
    )


def full_block_budget(scenario: Scenario) -> int:
    """The smallest budget whose half holds a block of :data:`BLOCK` draws of the
    scenario's inputs (:func:`block_size`)."""
    return 2 * BLOCK * input_bytes(len(scenario.actors), len(scenario.issues))


def run_block(
    scenario: Scenario | str,
    models: Sequence[str | Model],
    options: Mapping[str, Any],
    seed: int,
    block: int,
    size: int,
    *,
    plan: GainPlan | None = None,
    memory: int = DEFAULT_MEMORY,
    compiled: bool = False,
) -> _Summary:
    """Draw one block, run every model on it and summarise. Pure: the same arguments give
    the same summary in any process. ``scenario`` may be its JSON text (for other
    processes: scenarios hold read-only mappings, which do not pickle); models may be
    names (given ``options``) or instances (which pickle). With a ``plan`` the summary also
    counts the gains (:class:`~statecraft.analysis._summary.GainPlan`). Each model runs
    in chunks of draws sized from its half of the budget ``memory``. ``compiled`` draws
    through the compiled map (:func:`~statecraft.analysis.draws.draw_block`: the same bytes)."""
    if isinstance(scenario, str):
        scenario = _parse(scenario)
    built = build_models(models, options)
    inputs, drawn = _study(scenario)
    draws = draw_block(scenario, inputs, seed, block, size, compiled=compiled)
    # Issues first where every model reads them so (no copies), the usual layout otherwise
    batch = drawn.batch(draws, size, issues_first=all(m.issues_first for m in built))
    summary = _Summary(size, {}, {}, {}, {}, {})
    ranked = ranked_actors(scenario)
    if plan is not None and plan.actual and ranked:
        gain = draw_gains(batch, _actual_draws(scenario, batch, draws), ranked)
        if gain is not None:
            summary.add_actual(count_gains(gain, plan.pairs))
    _, share = study_shares(memory)
    for model in built:
        check_memory([model], batch.n_actors, batch.n_issues, draws=batch.size, budget=share)
        parts: list[np.ndarray] = []
        skip: Mapping[str, str] = {}
        # Chunk by chunk: a chunk's per-draw extras (confrontations, n x n per draw) and
        # gains (actors x issues per draw) are summarised and let go before the next.
        for part, out in chunks(model, batch, seed=seed, block=block, budget=share):
            parts.append(out.forecasts)
            skip = out.not_applicable
            _reduce_extras(summary, scenario, model.name, out)
            if ranked:
                gain = draw_gains(batch.take(part), out.forecasts, ranked)
                if gain is None:
                    best = np.zeros(len(ranked), dtype=np.int64)
                elif plan is None:
                    best = winner_counts(gain)
                else:  # the gains' counts hold the biggest-winner counts too
                    counts = count_gains(gain, plan.pairs)
                    summary.add_gains(model.name, counts)
                    best = counts.best
                old = summary.best.get(model.name)
                summary.best[model.name] = best if old is None else old + best
        forecasts = parts[0] if len(parts) == 1 else np.concatenate(parts)
        for j, issue in enumerate(scenario.issues):
            if issue.id in skip:
                continue
            forecast = forecasts[:, j]
            ok = np.isfinite(forecast)
            valid = int(ok.sum())
            if valid < len(forecast):
                forecast = forecast[ok]
            key = (issue.id, model.name)
            width = issue.scale.high - issue.scale.low
            index = np.clip(((forecast - issue.scale.low) / width * BINS).astype(int), 0, BINS - 1)
            summary.counts[key] = np.bincount(index, minlength=BINS)
            summary.sums[key] = [math.fsum(np.ldexp(forecast, -exponent(issue)).tolist())]
            summary.valid[key] = valid
    return summary


def _actual_draws(scenario: Scenario, batch: Batch, draws: Mapping[str, np.ndarray]) -> np.ndarray:
    """The actual outcome in every draw of a block (draws x issues): drawn where it has a
    range, its value elsewhere, NaN where unknown."""
    out = np.repeat(batch.actual[None, :], batch.size, axis=0)
    for j, issue in enumerate(scenario.issues):
        key = input_key("actual", None, issue.id)
        if key in draws:
            out[:, j] = draws[key]
    return out


def _reduce_extras(summary: _Summary, scenario: Scenario, name: str, out: Output) -> None:
    """Add a chunk's confrontations (either side's) to the summary's counts."""
    for issue in scenario.issues:
        conf = out.extras.get(issue.id, {}).get("confrontation")
        if conf is None or issue.id in out.not_applicable:
            continue
        counts = (conf | np.swapaxes(conf, 1, 2)).sum(axis=0)
        key = (issue.id, name)
        old = summary.confrontation.get(key)
        summary.confrontation[key] = counts if old is None else old + counts


def exponent(issue: Issue) -> int:
    """The power of two of the largest end of an issue's scale: sums of forecasts are kept
    divided by it, which is exact and cannot overflow on scales near 1e308."""
    return int(np.frexp(max(abs(issue.scale.low), abs(issue.scale.high)))[1])
