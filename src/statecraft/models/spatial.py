"""KTAB's spatial model of politics (SMP): bargaining over all the issues at once.

The model of the KAPSARC Toolkit for Behavioral Analysis (Wise, Lester & Efird, "An
Introduction to the KAPSARC Toolkit for Behavioral Analysis (KTAB) using one-dimensional
spatial models", KAPSARC 2015; "Multidimensional bargaining using KTAB", KAPSARC; the
KTAB sources, ``examples/smp`` and ``kmodel``, MIT licence), written from a specification
of those sources and checked against KTAB's own reference runs (docs/models/spatial.md).

Each actor has a position on every issue (a dimension, scaled to [0, 1]), a salience on
each, and a power. Every turn:

1. The utility to actor i of a position y is ``(1 - d)(1 + d R_i)``, with d the
   salience-weighted Euclidean distance from i's position to y and R_i i's risk attitude,
   estimated afresh each turn from a risk-neutral probabilistic Condorcet election among
   the actors' positions (the likeliest position makes its holder the most risk-averse).
2. Each actor looks for the other actor whose challenge would gain it the most, weighing
   the probability of winning (the challenger, the target and every third party voting
   with power x total salience) and the chance that the target does not resist.
3. The challenger proposes a bargain: both move to a point between their positions,
   weighted by salience and probability, dimension by dimension.
4. Each actor, alone, holds a probabilistic Condorcet election among the bargains that
   concern it and staying put, weighted by power, and moves to the likeliest.

The run stops when a turn moves the actors by less than 2% of what the first turn did, or
after 100 turns. The result is every actor's final position, and the probability that each
actor's position prevails in a last election among the distinct positions.

The engine is vectorised over actors: a turn is a few (n x n x n) array operations, not a
loop over actors (the per-actor elections of step 4 are batched with masks).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np

from statecraft.arrays import Batch
from statecraft.models.base import Details, DrawByDrawModel
from statecraft.models.spatial_blocks import (
    MIN_GAIN,
    SpatialOptions,
    bargain_points,
    challenge_gains,
    distinct_outcomes,
    elect,
    prevailing_probabilities,
    risk_utility,
    turn_setup,
    weighted_distance,
)

__all__ = [
    "POWER_DIGITS",
    "POWER_SCALE",
    "Spatial",
    "SpatialDetails",
    "SpatialOptions",
    "SpatialResult",
    "rescaled_powers",
    "run_spatial",
]

#: The largest power of a run (see :func:`run_spatial`): KTAB's example data give powers up
#: to about 100 (``SOE-Pol-Comp.csv``: 100; ``dummyData_3Dim.csv``: 130).
POWER_SCALE = 100.0


@dataclass(frozen=True)
class SpatialResult:
    """A run of the spatial model; positions on [0, 1] per dimension."""

    actors: tuple[str, ...]
    dimensions: tuple[str, ...]
    positions: np.ndarray  # (turns + 1, n, D): every state, the initial one first
    probabilities: np.ndarray  # (turns + 1, n): each actor's position prevailing, per state
    targets: tuple[tuple[int, ...], ...]  # per turn, each actor's target (-1: none)
    ratios: tuple[float, ...]  # per turn: its movement over the first turn's
    outcomes: np.ndarray  # (M, D): the distinct final positions
    outcome_probabilities: np.ndarray  # (M,): the probability that each prevails

    @property
    def final(self) -> np.ndarray:
        return np.asarray(self.positions[-1])

    @property
    def turns(self) -> int:
        return len(self.positions) - 1


#: Significant decimal digits kept of each rescaled power.
POWER_DIGITS = 12


def rescaled_powers(power: np.ndarray) -> np.ndarray:
    """The powers rescaled so that the largest is :data:`POWER_SCALE`, each rounded to
    :data:`POWER_DIGITS` significant decimal digits.

    Powers in other units (every one times 1e-3, say) rescale to numbers that differ in the
    last bit or two, since the product by 1e-3 is rounded; the rounding makes them the same
    numbers, and keeps powers given on KTAB's own scale (whole numbers up to 100) exactly as
    KTAB reads them. Without it, the binary voting rule turned that last bit into another
    forecast (issue 22's finding): the bit moves the risk attitudes and so the utilities in
    their last bit, two bargains worth the same then differ by about 1e-16, and KTAB's binary
    vote (``Model::vote``: the difference over 1e-8, clipped to [-1, 1]) casts w x 1e-8 for
    that difference, which outweighs the coalitions' floor of 1e-8. A power is known to far
    fewer than 12 digits, so the rounding changes no forecast that matters."""
    scaled = power * (POWER_SCALE / power.max())
    # 10^k with k >= 0 (scaled <= 100, so k >= 9) is exact, and so is a whole number times
    # it: whole powers stay whole. k at most 300: a ratio below 1e-289 keeps fewer digits.
    # A power of 0 (allowed: an actor without weight) stays 0.
    digits = np.floor(np.log10(np.where(scaled > 0, scaled, 1.0)))
    k = np.minimum(POWER_DIGITS - 1 - digits, 300)
    return np.asarray(np.round(scaled * 10.0**k) / 10.0**k)


def run_spatial(
    positions: np.ndarray,
    saliences: np.ndarray,
    power: np.ndarray,
    opts: SpatialOptions | None = None,
    *,
    rng: np.random.Generator | None = None,
    actors: tuple[str, ...] = (),
    dimensions: tuple[str, ...] = (),
) -> SpatialResult:
    """Run the spatial model on positions (n, D) in [0, 1], saliences (n, D) with each
    actor's total at most 1, and powers (n,) above 0. ``rng`` is drawn from only with
    ``transition="stochastic"`` (a generator seeded with 0 when None).

    The powers are rescaled so that the largest is :data:`POWER_SCALE`, the scale of KTAB's
    own data: KTAB adds fixed amounts to vote totals (1e-8 to each coalition, 1e-10 to each
    side of a challenge), so that without it the units of power would change the result.
    The rescaled powers are rounded to 12 significant digits (:func:`rescaled_powers`), so
    that powers in other units give the same run to the last bit."""
    opts = opts or SpatialOptions()
    x = np.asarray(positions, dtype=float).copy()
    s = np.asarray(saliences, dtype=float)
    c = rescaled_powers(np.asarray(power, dtype=float))
    n = len(c)
    s2 = s**2
    sigma = s.sum(axis=1)
    rng = rng if rng is not None else np.random.default_rng(0)
    history = [x.copy()]
    probabilities = []
    targets: list[tuple[int, ...]] = []
    ratios: list[float] = []
    first = 0.0
    idx = np.arange(n)
    for turn in range(1, opts.max_turns + 1):
        r, au = turn_setup(x, s2, c, opts)
        probabilities.append(prevailing_probabilities(x, *distinct_outcomes(x, s2, c, r, opts)))
        p, gain = challenge_gains(au, c, sigma, opts)
        gain = np.where(idx[:, None] == idx[None, :], -np.inf, gain)
        best = np.argmax(gain, axis=1)
        target = np.where(gain[idx, best] > MIN_GAIN, best, -1)
        targets.append(tuple(int(t) for t in target))
        bi, bj = bargain_points(x, s, p, target, opts)
        # each actor's options: staying put, then every bargain it is party to
        own = np.einsum("aal->al", au)  # A[a, a, l]: a's utility of l's position
        base = own.sum(axis=1)
        proposers = np.flatnonzero(target >= 0)
        ui = risk_utility(weighted_distance(x, s2, bi[proposers]), r[:, None])  # (n, P)
        uj = risk_utility(weighted_distance(x, s2, bj[proposers]), r[:, None])
        recv = target[proposers]
        deal = (base[:, None] - own[:, proposers] - own[:, recv] + ui + uj) / n  # (n, P)
        utility = np.concatenate([(base / n)[:, None], deal], axis=1)  # column 0: stay put
        choice = elect(utility, proposers, recv, c, opts, rng)
        new = x.copy()
        took = np.flatnonzero(choice > 0)
        by = proposers[choice[took] - 1]  # the challenger of the bargain each one took
        new[took] = np.where((by == took)[:, None], bi[by], bj[by])
        moved = float(np.linalg.norm(new - x, axis=1).sum())
        x = new
        history.append(x.copy())
        if turn == 1:
            first = moved
        ratio = moved / (first + 1e-4)
        ratios.append(ratio)
        if turn >= opts.min_turns and ratio < opts.stop_ratio:
            break
    r, _ = turn_setup(x, s2, c, opts)
    reps, outcome = distinct_outcomes(x, s2, c, r, opts)
    probabilities.append(prevailing_probabilities(x, reps, outcome))
    return SpatialResult(
        actors=actors or tuple(str(i) for i in range(n)),
        dimensions=dimensions or tuple(str(k) for k in range(x.shape[1])),
        positions=np.asarray(history),
        probabilities=np.asarray(probabilities),
        targets=tuple(targets),
        ratios=tuple(ratios),
        outcomes=np.asarray(x[reps]),
        outcome_probabilities=np.asarray(outcome),
    )


@dataclass(frozen=True)
class SpatialDetails(Details):
    """What the spatial model says of a scenario, on the issues' own scales."""

    result: SpatialResult
    issues: tuple[str, ...]
    low: np.ndarray  # (D,) each issue's scale
    width: np.ndarray
    saliences_scaled: bool  # divided by the number of issues (see docs/models/spatial.md)

    def scaled(self, power: int) -> SpatialDetails:
        return replace(self, low=np.ldexp(self.low, power), width=np.ldexp(self.width, power))

    def on_scale(self, x: np.ndarray) -> np.ndarray:
        """Positions on [0, 1] as points of the issues' scales (to 9 decimals: KTAB's
        positions are multiples of 1e-4 of the scale, and the product adds noise)."""
        v = self.low + np.asarray(x) * self.width
        with np.errstate(over="ignore", invalid="ignore"):  # scales near 1e308: not rounded
            rounded = np.round(v, 9)
        return np.asarray(np.where(np.isfinite(rounded), rounded, v))

    def _by_issue(self, values: np.ndarray) -> dict[str, float]:
        """One number per issue, by the issue's id."""
        return {d: float(values[j]) for j, d in enumerate(self.issues)}

    def actors(self) -> list[dict[str, Any]]:
        """Each actor's final position per issue and the probability that it prevails
        (the shape of ``forecast --format json``'s ``actors``), likeliest first."""
        final = self.on_scale(self.result.final)
        rows = [
            {
                "actor": actor,
                "final": self._by_issue(final[k]),
                "probability": float(self.result.probabilities[-1][k]),
            }
            for k, actor in enumerate(self.result.actors)
        ]
        return sorted(rows, key=lambda r: -r["probability"])

    def forecast_fields(self) -> dict[str, Any]:
        return {"actors": self.actors()}

    def to_dict(self) -> dict[str, Any]:
        r = self.result
        return {
            "turns": r.turns,
            "last_ratio": r.ratios[-1],  # a run has a turn at least (max_turns >= 2)
            "saliences_divided_by_issues": self.saliences_scaled,
            "actors": self.actors(),
            "outcomes": [
                {
                    "position": self._by_issue(self.on_scale(x)),
                    "probability": float(r.outcome_probabilities[m]),
                }
                for m, x in enumerate(r.outcomes)
            ],
            "trajectory": {
                actor: [self._by_issue(self.on_scale(pos)) for pos in r.positions[:, k]]
                for k, actor in enumerate(r.actors)
            },
        }


class Spatial(DrawByDrawModel):
    """KTAB's spatial model of politics: all the issues at once, as dimensions of one space
    (Wise, Lester & Efird 2015; KTAB's ``examples/smp``). See :func:`run_spatial`.

    The options are KTAB's, named as in docs/models/spatial.md, with KTAB's defaults.
    ``point`` says which single number stands for an issue's forecast: the mean of the
    distinct final positions weighted by the probability that each prevails (``mean``), or
    the likeliest of them (``mode``). Each draw is one run (the turns are sequential).
    """

    name: ClassVar[str] = "spatial"
    title: ClassVar[str] = "KTAB spatial model of politics (multi-issue bargaining)"
    citation: ClassVar[str] = (
        "Wise, Lester & Efird (2015), An Introduction to the KAPSARC Toolkit for Behavioral "
        "Analysis (KTAB) Using One-Dimensional Spatial Models; KTAB examples/smp"
    )
    Options: ClassVar[type[SpatialOptions]] = SpatialOptions
    opts: SpatialOptions
    links_issues = True
    stochastic = True  # with transition="stochastic"
    cost = "slow"
    # KTAB rounds every bargain to 1e-4 of the scale, so that a forecast can lie outside the
    # actors' positions by up to that much (test_spatial checks the box with that slack).
    within_positions = False
    exemptions: ClassVar[Mapping[str, str]] = {
        "actor-order": (
            "KTAB merges final positions less than 1e-3 of the scale apart into one outcome, "
            "in one pass over the actors in their order (ueIndices): which position stands "
            "for the merged ones, and along a chain which merge, depends on that order, and "
            "so does the forecast, slightly (Karabakh: up to 0.04 on 0-100). KTAB's "
            "reference run on SOE-Pol-Comp.csv depends on it. The trajectories depend on "
            "the order only through exact ties, which KTAB breaks by it: of equally good "
            "targets an actor challenges the first (bestChallenge), and of equally likely "
            "options it takes the first in a list ordered by the challengers' places "
            "(doBCN, ndxMaxAbs)."
        ),
    }

    def memory_per_draw(self, n_actors: int, n_issues: int) -> int:
        # Draws run one at a time: a run's (n x n x n) arrays are freed before the next, so
        # a block of draws holds only their inputs and forecasts.
        return 8 * 4 * max(1, n_actors) * max(1, n_issues)

    def run_memory(self, n_actors: int, n_issues: int) -> int:
        # A run's (n x n x n) arrays of the third parties' contributions: tracemalloc's peak
        # of one run was 78 to 85 bytes per actor cubed at 50, 100, 150, 200 and 250 actors,
        # whatever the issues (benchmarks/memory_peaks.py).
        return 88 * n_actors**3 + 512 * n_actors**2 + 64 * n_actors * n_issues

    def not_applicable(self, batch: Batch) -> dict[str, str]:
        why = None
        if not batch.present.all():
            actor = int(np.argwhere(~batch.present)[0][0])
            missing = [batch.issue_ids[j] for j in np.flatnonzero(~batch.present[actor])]
            why = (
                "the spatial model needs every actor's position on every issue; "
                f"{batch.actor_ids[actor]} has none on {', '.join(missing)}"
            )
        elif batch.n_actors < 2:
            why = "the spatial model needs two actors or more"
        else:
            indifferent = np.flatnonzero(_indifferent(batch.salience).all(axis=0))
            if len(indifferent):
                why = (
                    "the spatial model needs every actor to care about some issue; "
                    f"{batch.actor_ids[indifferent[0]]} cares about none"
                )
        return dict.fromkeys(batch.issue_ids, why) if why else {}

    def run_draw(
        self, batch: Batch, draw: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, SpatialDetails] | None:
        if _indifferent(batch.salience[draw : draw + 1])[0].any():
            return None  # an actor that cares about nothing in this draw: no run
        s, scaled = _shares(batch.salience[draw])
        result = run_spatial(
            (batch.position[draw] - batch.low) / batch.width,
            s,
            batch.power[draw],
            self.opts,
            rng=rng,
            actors=batch.actor_ids,
            dimensions=batch.issue_ids,
        )
        if self.opts.point == "mean":
            point = result.outcome_probabilities @ result.outcomes
        else:
            point = result.outcomes[int(np.argmax(result.outcome_probabilities))]
        details = SpatialDetails(
            result=result,
            issues=batch.issue_ids,
            low=batch.low,
            width=batch.width,
            saliences_scaled=scaled,
        )
        return details.on_scale(point), details


def _shares(salience: np.ndarray) -> tuple[np.ndarray, bool]:
    """One draw's saliences (actors, issues) as KTAB's shares of attention, at most 1 in all
    per actor: divided by the number of issues when any actor's sum above 1, and whether
    they were (docs/models/spatial.md)."""
    scaled = bool((salience.sum(axis=1) > 1 + 1e-12).any())
    return (salience / salience.shape[1] if scaled else salience), scaled


def _indifferent(salience: np.ndarray) -> np.ndarray:
    """Per draw and actor (draws, actors): whether the actor cares about no issue, in the
    squared saliences the distances divide by (a salience of 1e-300 squares to 0)."""
    scaled = (salience.sum(axis=2) > 1 + 1e-12).any(axis=1)[:, None, None]
    shares = np.where(scaled, salience / salience.shape[2], salience)
    return np.asarray((shares**2).sum(axis=2) == 0)
