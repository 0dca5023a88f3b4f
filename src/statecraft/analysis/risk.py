r"""Will the settlement hold? The risk of renewed conflict over a scenario's status quo.

The status quo of every issue that has one is read as the settlement to defend. Three
components, each from published theory (every equation and choice: ``docs/risk.md``):

- **Pressure on the settlement** (Bueno de Mesquita, *The War Trap*, 1981; Bueno de Mesquita
  & Lalman, *War and Reason*, 1992): each actor's stake in overturning it,
  :math:`g_a = s_a |x_a - q| / W`, weighed by its chance of prevailing against those who
  would resist, with those who would join, :math:`P_a` (the expected utility model's
  probability of success, third parties voting by their positions); its expected utility of
  a challenge, :math:`\pi_a = g_a \max(0, 2P_a - 1)`. The **risk index** of a dyad (a, b),
  in [0, 1], is the chance that, on some issue, one of them challenges and the other
  resists, reading each term as a probability:

  .. math:: R_{ab} = 1 - \prod_j (1 - \pi_{aj} r_{b|a,j})(1 - \pi_{bj} r_{a|b,j})

  with :math:`r_{b|a,j} = s_{bj} \max(0, |x_{bj} - x_{aj}| - |x_{bj} - q_j|) / W_j`, what b
  would lose if a's demand prevailed. 0: neither has a demand that prevails against the
  settlement's defenders which the other would resist; 1: the limit of a side that wants the
  far end of every scale from the settlement, cares for nothing else and meets no capable
  defender, against a side that would lose everything.
- **Shifting power** (Organski & Kugler, *The War Ledger*, 1980; Fearon 1995; Powell 2006):
  given the scenario at an earlier moment (``previous``), the rise in each dissatisfied
  actor's chance of prevailing adds :math:`\phi_a = g_a \max(0, P_a - P_a^{before})` to its
  pressure, through the same product; a guarantor whose capability or salience falls raises
  the challengers' :math:`P` and so the risk.
- **Guarantors**: for each actor, how much the risk of the focus dyad (the riskiest at the
  scenario's values, or the one named) rises when it withdraws (casts no vote on any issue).

Every figure comes with its median and 80% interval over the scenario's uncertain numbers,
drawn as :func:`~statecraft.analysis.uncertainty.simulate` draws them (same seed, same
draws), a block at a time within a memory budget.

Signatures (the timeline calls them with consecutive snapshots)::

    risk(scenario, *, previous=None, draws=2000, seed=0, dyad=None, progress=None,
         memory=None) -> Risk
    power_shift(before, after) -> PowerShift    # at the scenarios' values, no draws

>>> from statecraft.io import load
>>> r = risk(load("ec-emissions-1994"), draws=10)  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
ValueError: the risk analysis needs a settlement: ...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

import numpy as np

from statecraft.analysis._blocks import block_size
from statecraft.analysis._risk_result import Band, DyadRisk, Guarantor, IssuePressure, Risk
from statecraft.analysis._risk_shift import PowerShift, power_shift
from statecraft.analysis._risk_study import (
    Hist,
    ProgressFn,
    check_size,
    evaluate,
    plan_for,
    run,
)
from statecraft.analysis.kernel import DEFAULT_MEMORY, parse_memory
from statecraft.arrays import scenario_batch
from statecraft.errors import check_count, check_seed
from statecraft.scenario import Scenario

__all__ = [
    "Band",
    "DyadRisk",
    "Guarantor",
    "IssuePressure",
    "PowerShift",
    "ProgressFn",
    "Risk",
    "Settlement",
    "as_settlement",
    "power_shift",
    "risk",
]


def _band(hist: Hist, i: int) -> Band:
    return Band(
        median=hist.quantile(i, 0.5),
        interval80=(hist.quantile(i, 0.1), hist.quantile(i, 0.9)),
        mean=hist.mean(i),
    )


def _check(scenario: Scenario) -> None:
    if not any(i.status_quo is not None for i in scenario.issues):
        raise ValueError(
            f"the risk analysis needs a settlement: no issue of {scenario.name} has a "
            "status_quo (give the issues that were settled one)"
        )
    if len(scenario.actors) < 2:
        raise ValueError(
            f"the risk analysis needs at least two actors ({scenario.name} has "
            f"{len(scenario.actors)})"
        )


def _focus(
    scenario: Scenario, previous: Scenario | None, dyad: Sequence[str] | None
) -> tuple[int, int]:
    """The dyad the guarantors are measured on: the one named, else the riskiest at the
    scenarios' values (ties: the first in scenario order)."""
    ids = scenario.actor_ids
    if dyad is not None:
        if len(dyad) != 2 or dyad[0] == dyad[1]:
            raise ValueError(f"dyad must name two different actors, not {list(dyad)!r}")
        for a in dyad:
            if a not in ids:
                raise ValueError(
                    f"no actor {a!r} in {scenario.name}; the actors are: {', '.join(ids)}"
                )
        i, j = sorted(ids.index(a) for a in dyad)
        return i, j
    plan = plan_for(scenario, previous, (0, 1))
    prev = None if previous is None else scenario_batch(previous)
    out = evaluate(plan, scenario_batch(scenario), prev)
    k = int(np.argmax(out["dyads"][0]))
    first, second = plan.pairs
    return int(first[k]), int(second[k])


Settlement = Literal["status_quo", "actual"]


def as_settlement(scenario: Scenario, settlement: Settlement) -> Scenario:
    """The scenario with the point to defend in its status quos: its own (``status_quo``),
    or each issue's actual outcome, range and all (``actual``: the terms settled, as a
    scenario coded before a settlement records them), issues without one left out."""
    if settlement == "status_quo":
        return scenario
    if settlement != "actual":
        raise ValueError(f"settlement must be 'status_quo' or 'actual', not {settlement!r}")
    if not any(i.actual is not None for i in scenario.issues):
        raise ValueError(
            f"settlement='actual' needs the actual outcomes: no issue of {scenario.name} "
            "has an actual"
        )
    issues = tuple(i.model_copy(update={"status_quo": i.actual}) for i in scenario.issues)
    return scenario.model_copy(update={"issues": issues})


def risk(
    scenario: Scenario,
    *,
    previous: Scenario | None = None,
    draws: int = 2000,
    seed: int = 0,
    dyad: Sequence[str] | None = None,
    settlement: Settlement = "status_quo",
    progress: ProgressFn | None = None,
    memory: int | str | None = None,
) -> Risk:
    """The risk that the settlement (every issue's status quo) breaks down: a risk index
    for every dyad, the pressure on each issue and the guarantors, each with its median
    and 80% interval over ``draws`` draws of the uncertain numbers from ``seed``.

    ``previous`` is the scenario at an earlier moment: the shift of power since then adds
    to the risk (actors and issues are matched by id). ``dyad`` names the two actors whose
    risk the guarantors are measured on (default: the riskiest dyad, by its median).
    ``settlement="actual"`` defends each issue's actual outcome instead of its status quo
    (:func:`as_settlement`; applied to ``previous`` too). ``progress(done, total)`` is
    called after each block of draws; Ctrl-C keeps the draws done
    (:attr:`Risk.interrupted`).

    ``memory`` is the analysis's memory budget, as for
    :func:`~statecraft.analysis.uncertainty.simulate` (bytes, or text such as ``"1GiB"``;
    default :data:`~statecraft.analysis.kernel.DEFAULT_MEMORY`, 512 MiB): blocks of drawn
    inputs are sized from one half of it (as ``simulate``'s), the chunks of draws whose
    terms are computed at once from what the block and the histograms leave
    (:func:`~statecraft.analysis._risk_study.sizes`). A block smaller than 4,096 draws
    gives other draws from the same seed, and is kept with the result
    (:attr:`Risk.block`). A budget whose half cannot hold the histograms is refused
    (:class:`~statecraft.errors.MemoryLimitError`, with both figures).
    """
    seed = check_seed(seed)
    check_count(draws, "draws")
    budget = parse_memory(memory)
    if previous is not None and not isinstance(previous, Scenario):
        raise TypeError(f"previous must be a Scenario, not {type(previous).__name__}")
    scenario = as_settlement(scenario, settlement)
    previous = None if previous is None else as_settlement(previous, settlement)
    _check(scenario)
    n_issues = sum(i.status_quo is not None for i in scenario.issues)
    check_size(len(scenario.actors), n_issues, budget)
    focus = _focus(scenario, previous, dyad)
    result = _run(scenario, previous, focus, draws, seed, progress, budget)
    top = result.dyads[0]
    if dyad is None and {top.a, top.b} != set(result.focus) and not result.interrupted:
        # the riskiest dyad at the values is not the riskiest by its median: measure the
        # guarantors on the latter (the same draws again)
        ids = scenario.actor_ids
        again = tuple(sorted((ids.index(top.a), ids.index(top.b))))
        result = _run(scenario, previous, (again[0], again[1]), draws, seed, progress, budget)
    return replace(result, inputs=(scenario, previous))


def _run(
    scenario: Scenario,
    previous: Scenario | None,
    focus: tuple[int, int],
    draws: int,
    seed: int,
    progress: ProgressFn | None,
    memory: int = DEFAULT_MEMORY,
) -> Risk:
    plan = plan_for(scenario, previous, focus)
    tally, done = run(plan, draws, seed, progress, memory)
    ids = scenario.actor_ids
    a_idx, b_idx = plan.pairs
    dyads = [
        DyadRisk(
            a=ids[a],
            b=ids[b],
            risk=_band(tally["dyads"], k),
            shift=None if previous is None else _band(tally["shift"], k),
        )
        for k, (a, b) in enumerate(zip(a_idx, b_idx, strict=True))
    ]
    dyads.sort(key=lambda d: (-d.risk.median, -d.risk.mean))
    m = len(plan.columns)
    pressure = tally["pressure"]
    issues = []
    for t, j in enumerate(plan.columns):
        by_actor = {ids[a]: pressure.mean(a * m + t) for a in range(len(ids))}
        leader = max(by_actor, key=lambda x: by_actor[x])
        issues.append(
            IssuePressure(
                issue=scenario.issues[j].id,
                pressure=_band(tally["issues"], t),
                leader=leader if by_actor[leader] > 0 else None,
                by_actor=by_actor,
            )
        )
    guarantors = [
        Guarantor(actor=ids[g], effect=_band(tally["guarantors"], g))
        for g in range(len(ids))
        if g not in focus
    ]
    guarantors.sort(key=lambda g: (-g.effect.median, -g.effect.mean))
    return Risk(
        scenario=scenario.name,
        previous=None if previous is None else previous.name,
        seed=seed,
        draws=done,
        requested=draws,
        dyads=tuple(dyads),
        issues=tuple(issues),
        focus=(ids[focus[0]], ids[focus[1]]),
        guarantors=tuple(guarantors),
        settlement=_band(tally["settlement"], 0),
        names={a.id: a.display_name for a in scenario.actors},
        block=block_size(scenario, memory),
    )
