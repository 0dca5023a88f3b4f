"""What would it take? Levers for an actor, sweeps of inputs, and what flips the verdict.

- :func:`advise`: every lever an actor could pull or ask others to pull (each actor's
  position, salience and capability on each issue, its overall capability, an actor
  leaving), with its effect on the actor's goal per unit and across the input's plausible
  range, the direction that helps, and its robustness: the share of Monte Carlo draws of
  the scenario's uncertain inputs (:mod:`statecraft.analysis.draws`) in which the same
  direction helps. Under the compromise model the effects per unit are closed forms
  (:mod:`._closed`); under the others, central differences. Every change of every lever,
  in every draw, is one batched run per issue through the models' draw axis
  (:func:`._levers.variant_forecasts`), never a call per lever.
- :func:`sweep`: the forecasts and the biggest winner over a grid of one or two inputs.
- :func:`what_flips`: the smallest change of one input, and the cheapest pair, that
  changes the biggest winner or puts an issue's forecast on the other side of a threshold
  (:mod:`._flip`).

A lever is a sensitivity of the model to its coded inputs, not a guarantee about the world
(docs/advise.md). Interests stay at their coded values (:mod:`._goals`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from statecraft.analysis._advice import Advice, Flip, FlipSearch, Lever, Sweep
from statecraft.analysis._blocks import ranked_actors
from statecraft.analysis._closed import compromise_derivative
from statecraft.analysis._flip import search_flips
from statecraft.analysis._goals import Goal, goal_gradient, goal_values, margins, winner_labels
from statecraft.analysis._levers import LeverInput, Variant, lever_inputs, parse_input
from statecraft.analysis._levers import variant_forecasts as _variants
from statecraft.analysis._robustness import check_robustness, leave_forecasts, robustness
from statecraft.analysis.draws import uncertain_inputs
from statecraft.analysis.kernel import MEMORY_BUDGET, parse_memory, study_shares
from statecraft.analysis.uncertainty import check_models
from statecraft.arrays import Batch, scenario_batch
from statecraft.errors import ScenarioError, check_seed
from statecraft.models import Compromise, Model, default_model
from statecraft.scenario import Scenario

__all__ = [
    "Advice",
    "Flip",
    "FlipSearch",
    "Lever",
    "Sweep",
    "advise",
    "check_advise",
    "sweep",
    "what_flips",
]

#: Central differences step, as a share of the input's plausible range.
STEP = 0.01

_WORDS = {
    "position": ("raise", "lower"),
    "salience": ("energise", "calm"),
    "capability": ("strengthen", "weaken"),
    "power": ("strengthen", "weaken"),
    "leave": ("remove", "keep in"),
}


def _issues(scenario: Scenario, issues: Sequence[str] | None) -> list[str]:
    for issue in issues or ():
        if issue not in scenario.issue_ids:
            raise ValueError(
                f"no issue {issue!r} in {scenario.name}; the issues are: "
                f"{', '.join(scenario.issue_ids)}"
            )
    return list(dict.fromkeys(issues or ()))


def _goal(
    scenario: Scenario, actor: str, issues: list[str], targets: Mapping[str, float] | None
) -> Goal:
    if actor not in scenario.actor_ids:
        raise ValueError(
            f"no actor {actor!r} in {scenario.name}; the actors are: "
            f"{', '.join(scenario.actor_ids)}"
        )
    cols = {i: scenario.issue_ids.index(i) for i in scenario.issue_ids}
    wanted = issues or [i for i in scenario.issue_ids if i in scenario.actor(actor).stances]
    given: dict[int, float] = {}
    for issue, value in (targets or {}).items():
        _issues(scenario, [issue])
        scale = scenario.issue(issue).scale
        if not (np.isfinite(value) and scale.low <= value <= scale.high):
            raise ValueError(
                f"a target for {issue} must lie on its scale, {scale.low:g} to "
                f"{scale.high:g} (got {value!r})"
            )
        given[cols[issue]] = float(value)
    return Goal(actor, scenario.actor_ids.index(actor), tuple(cols[i] for i in wanted), given)


def _can_leave(scenario: Scenario) -> tuple[list[str], list[str]]:
    """The actors whose leaving makes a valid scenario, and a note for each other one."""
    from statecraft.analysis._patch import Change, Patch, apply_patch

    ok, notes = [], []
    for other in scenario.actor_ids:
        patch = Patch(
            name="leave", assumes=f"{other} leaves", changes=(Change(remove_actor=other),)
        )
        try:
            apply_patch(scenario, patch)
        except (ScenarioError, ValueError) as exc:
            notes.append(f"{other} leaving is not shown: {exc}")
            continue
        ok.append(other)
    return ok, notes


def _direction(kind: str, effect: float) -> str:
    if effect == 0 or not np.isfinite(effect):
        return "none"
    up, down = _WORDS[kind]
    return up if effect > 0 else down


def _bounded(direction: str, effect: float, item: Any) -> str:
    """The direction, or "at its limit" where the input already sits at the end of its
    range that the direction moves towards (lowering a position already at the scale's
    floor helps nobody)."""
    if direction == "none":
        return direction
    if (effect > 0 and item.value >= item.high) or (effect < 0 and item.value <= item.low):
        return "at its limit"
    return direction


def check_advise(
    scenario: Scenario,
    model: str | Model | None,
    draws: int,
    memory: int | str | None = None,
    options: Mapping[str, Any] | None = None,
) -> None:
    """Refuse, before any work, what :func:`advise` with these arguments (every issue)
    would refuse for memory: a budget that cannot hold one draw, a robustness pass over the
    budget or the machine (:func:`._robustness.check_robustness`). For callers that run
    other studies first (the report)."""
    mem = parse_memory(memory)
    _, budget = study_shares(mem)
    strict = memory is not None
    (built,) = check_models(scenario, [model or default_model()], options or {}, mem, strict=strict)
    if draws and uncertain_inputs(scenario, actual=False):
        point = scenario_batch(scenario)
        given = mem if strict else None
        check_robustness(built, point, lever_inputs(scenario), point.n_actors, draws, given, budget)


def advise(
    scenario: Scenario,
    actor: str,
    *,
    issues: Sequence[str] | None = None,
    targets: Mapping[str, float] | None = None,
    model: str | Model | None = None,
    options: Mapping[str, Any] | None = None,
    draws: int = 1000,
    seed: int = 0,
    flips: bool = True,
    threshold: float | None = None,
    memory: int | str | None = None,
) -> Advice:
    """The levers of ``actor``'s goal under ``model``, biggest effect first.

    The goal is the actor's own gain (:mod:`statecraft.analysis.winners`) on ``issues``
    (all it takes part in by default), or with ``targets`` (``{issue: value}``) the
    forecasts' closeness to those values. ``draws`` Monte Carlo draws of the uncertain
    inputs (from ``seed``) measure each lever's robustness (0: none). With ``flips`` the
    result also holds :func:`what_flips` (of the biggest winner; of the first of
    ``issues`` crossing ``threshold`` when one is given).

    ``memory``, the budget (as for :func:`~statecraft.analysis.uncertainty.simulate`), sizes
    the chunks of every run of the model (the same numbers at any budget); one that cannot
    hold one draw is refused. The robustness draws, one block of ``draws``, are held whole
    with a copy per lever (the same numbers at any budget): a pass that would hold more
    than ``memory``, or than the machine allows, is refused before any draw
    (:func:`._robustness.check_robustness`, docs/performance.md).
    """
    seed = check_seed(seed)
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 0:
        raise ValueError(f"draws must be a whole number of at least 0, not {draws!r}")
    mem = parse_memory(memory)
    _, budget = study_shares(mem)
    wanted = _issues(scenario, issues)
    goal = _goal(scenario, actor, wanted, targets)
    chosen = [model or default_model()]
    (built,) = check_models(scenario, chosen, options or {}, mem, strict=memory is not None)
    inputs = lever_inputs(scenario, issues=wanted or None)
    point = scenario_batch(scenario)
    if draws and uncertain_inputs(scenario, actual=False):  # every lever and actor: a bound
        given = mem if memory is not None else None
        check_robustness(built, point, inputs, point.n_actors, draws, given, budget)
    base_f = _variants(built, point, [()], seed=seed, budget=budget)[0]
    g0 = float(goal_values(goal, base_f, point)[0])
    n = len(inputs)
    exact = isinstance(built, Compromise)
    ends: list[Variant] = [((i, i.low),) for i in inputs]
    ends += [((i, i.high),) for i in inputs]
    steps = [_fd_values(i) for i in inputs]
    fd: list[Variant] = []
    if not exact:
        fd += [((i, s[0]),) for i, s in zip(inputs, steps, strict=True)]
        fd += [((i, s[1]),) for i, s in zip(inputs, steps, strict=True)]
    f = _variants(built, point, ends + fd, seed=seed, base=base_f, budget=budget)
    g = goal_values(goal, f, point)[:, 0]
    swing = g[n : 2 * n] - g[:n]
    if exact:
        grad = goal_gradient(goal, base_f, point)
        per_unit = [float((grad * compromise_derivative(point, i)).sum()) for i in inputs]
    else:
        per_unit = [
            float((g[3 * n + k] - g[2 * n + k]) / (s[1] - s[0])) for k, s in enumerate(steps)
        ]
    who, notes = _can_leave(scenario)
    left = leave_forecasts(built, scenario, who, point, {}, base_f, seed, budget)
    leaving = [
        (other, float(goal_values(goal, f, point)[0]) - g0)
        for other, f in zip(who, left, strict=True)
    ]
    unc = uncertain_inputs(scenario, actual=False)
    robust: list[float | None] = [None] * (n + len(leaving))
    if draws and unc:
        robust = robustness(built, scenario, goal, inputs, swing, leaving, unc, draws, seed, budget)
    levers = [
        Lever(
            actor=i.actor,
            input=i.key,
            kind="capability" if i.kind == "power" else i.kind,
            issue=i.issue,
            value=i.value,
            low=i.low,
            high=i.high,
            range_from="scenario" if i.ranged else "default",
            effect_per_unit=per_unit[k],
            effect_range=float(swing[k]),
            direction=_bounded(_direction(i.kind, float(swing[k])), float(swing[k]), i),
            robustness=robust[k],
            method="closed form" if exact else "perturbation",
        )
        for k, i in enumerate(inputs)
    ] + [
        Lever(
            actor=other,
            input=f"{other}:leave",
            kind="leave",
            issue=None,
            value=None,
            low=None,
            high=None,
            range_from="leave",
            effect_per_unit=None,
            effect_range=effect,
            direction=_direction("leave", effect),
            robustness=robust[n + k],
            method="perturbation",
        )
        for k, (other, effect) in enumerate(leaving)
    ]
    levers.sort(
        key=lambda lv: (-abs(lv.effect_range) if np.isfinite(lv.effect_range) else 0.0, lv.input)
    )
    found = None
    if flips:
        on = wanted[0] if threshold is not None and wanted else None
        if threshold is not None and on is None:
            raise ValueError("a threshold needs the issue it is for (issues=[...])")
        found = _search(scenario, built, point, on, threshold, seed, budget)
    return Advice(
        scenario=scenario.name,
        model=built.name,
        actor=actor,
        goal=goal.kind,
        targets={scenario.issue_ids[c]: v for c, v in goal.targets.items()},
        issues=tuple(scenario.issue_ids[c] for c in goal.columns),
        goal_value=g0,
        levers=tuple(levers),
        draws=draws if unc else 0,
        uncertain=tuple(i.key for i in unc),
        flips=found,
        notes=tuple(notes),
    )


def _fd_values(item: LeverInput) -> tuple[float, float]:
    """The two values of a central difference, one-sided at the end of what it may be."""
    h = STEP * item.width
    low, high = item.bounds
    down = max(item.value - h, low)
    if item.kind != "position" and down <= 0:
        down = item.value
    return down, min(item.value + h, high)


def _search(
    scenario: Scenario,
    model: Model,
    point: Batch,
    issue: str | None,
    threshold: float | None,
    seed: int,
    budget: int = MEMORY_BUDGET,
) -> FlipSearch:
    inputs = lever_inputs(scenario)
    base_f = _variants(model, point, [()], seed=seed, budget=budget)[0]
    if issue is None or threshold is None:
        ranked = ranked_actors(scenario)
        rows = [scenario.actor_ids.index(a) for a in ranked]
        base = int(winner_labels(base_f[None], point, rows)[0, 0])

        def labels(f: np.ndarray) -> np.ndarray:
            return np.asarray(winner_labels(f, point, rows)[:, 0])

        def scores(f: np.ndarray) -> np.ndarray:
            if base < 0:
                return np.zeros(f.shape[0])
            return np.asarray(margins(f, point, rows, base)[:, 0])

        def name(label: int) -> str | None:
            return ranked[label] if label >= 0 else None

        what = "biggest winner"
    else:
        j = scenario.issue_ids.index(issue)
        width = float(point.width[j])
        above = bool(base_f[0, j] >= threshold)

        def labels(f: np.ndarray) -> np.ndarray:
            x = f[:, 0, j]
            return np.where(np.isnan(x), -1, (x >= threshold).astype(int))

        def scores(f: np.ndarray) -> np.ndarray:
            return np.asarray((f[:, 0, j] - threshold) * (1 if above else -1) / width)

        def name(label: int) -> str | None:
            return None if label < 0 else f"{issue} {'>=' if label else '<'} {threshold:g}"

        base = int(labels(base_f[None])[0])
        what = f"{issue} >= {threshold:g}"
    singles, pair = search_flips(model, point, inputs, labels, scores, seed=seed, budget=budget)
    return FlipSearch(
        scenario=scenario.name,
        model=model.name,
        what=what,
        verdict=name(base),
        single=tuple(
            Flip((i.key,), (i.value,), (v,), cost, name(label)) for i, v, cost, label in singles
        ),
        pair=None
        if pair is None
        else Flip(
            (pair[0][0].key, pair[1][0].key),
            (pair[0][0].value, pair[1][0].value),
            (pair[0][1], pair[1][1]),
            pair[2],
            name(pair[3]),
        ),
        searched=len(inputs),
    )


def what_flips(
    scenario: Scenario,
    model: str | Model | None = None,
    *,
    options: Mapping[str, Any] | None = None,
    issue: str | None = None,
    threshold: float | None = None,
    seed: int = 0,
) -> FlipSearch:
    """The smallest changes (in units of each input's plausible range) that change the
    biggest winner under ``model``, or with ``issue`` and ``threshold`` that put the issue's
    forecast on the other side of the threshold: one input at a time, and the cheapest
    pair found by search (:mod:`statecraft.analysis._flip`)."""
    seed = check_seed(seed)
    if (issue is None) != (threshold is None):
        raise ValueError("give both an issue and a threshold, or neither")
    if issue is not None:
        _issues(scenario, [issue])
    if threshold is not None and not np.isfinite(threshold):
        raise ValueError(f"the threshold must be a finite number, not {threshold!r}")
    (built,) = check_models(scenario, [model or default_model()], options or {})
    return _search(scenario, built, scenario_batch(scenario), issue, threshold, seed)


def sweep(
    scenario: Scenario,
    input: str,
    start: float,
    stop: float,
    steps: int = 11,
    *,
    second: tuple[str, float, float, int] | None = None,
    model: str | Model | None = None,
    options: Mapping[str, Any] | None = None,
    seed: int = 0,
) -> Sweep:
    """The forecast of every issue and the biggest winner at ``steps`` values of ``input``
    (``actor:issue:field`` or ``actor:capability``) from ``start`` to ``stop``; with
    ``second`` (input, start, stop, steps) over the grid of both. One batched run."""
    seed = check_seed(seed)
    axes_in = [(input, start, stop, steps), *([second] if second else [])]
    items: list[LeverInput] = []
    axes: list[tuple[float, ...]] = []
    for key, a, b, k in axes_in:
        item = parse_input(scenario, key)
        if isinstance(k, bool) or not isinstance(k, int) or k < 2:
            raise ValueError(f"a sweep needs at least 2 steps (got {k!r} for {key})")
        if not (np.isfinite(a) and np.isfinite(b)):
            raise ValueError(f"the ends of the sweep of {key} must be finite numbers")
        if a == b:
            raise ValueError(f"the sweep of {key} goes from {a:g} to the same value")
        low, high = item.bounds
        if item.kind in ("position", "salience"):
            ok, what = low <= min(a, b) and max(a, b) <= high, f"from {low:g} to {high:g}"
        else:
            ok, what = min(a, b) > 0 and max(a, b) <= high, "above 0"
        if not ok:
            raise ValueError(f"{key} must be {what} (got {a:g} to {b:g})")
        items.append(item)
        axes.append(tuple(float(v) for v in np.linspace(a, b, k)))
    if len(items) == 2 and items[0].key == items[1].key:
        raise ValueError("a two-input sweep needs two different inputs")
    (built,) = check_models(scenario, [model or default_model()], options or {})
    point = scenario_batch(scenario)
    grid = [(v,) for v in axes[0]] if len(axes) == 1 else [(u, v) for u in axes[0] for v in axes[1]]
    variants: list[Variant] = [tuple(zip(items, values, strict=True)) for values in grid]
    f = _variants(built, point, variants, seed=seed)
    ranked = ranked_actors(scenario)
    rows = [scenario.actor_ids.index(a) for a in ranked]
    labels = winner_labels(f, point, rows)[:, 0]
    return Sweep(
        scenario=scenario.name,
        model=built.name,
        inputs=tuple(i.key for i in items),
        axes=tuple(axes),
        issues=scenario.issue_ids,
        forecasts=[[float(x) for x in row] for row in f[:, 0, :]],
        winners=tuple(ranked[k] if k >= 0 else None for k in labels),
    )
