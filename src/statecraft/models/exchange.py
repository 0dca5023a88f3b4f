"""Stokman's exchange model: actors trade voting positions across pairs of issues.

Stokman & Van Oosten (1994), "The exchange of voting positions: an object-oriented model of
policy networks", in Bueno de Mesquita & Stokman (eds), *European Community Decision
Making*, Yale University Press, 105-127; after the two-stage model of Stokman & Van den Bos
(1992). Rounds and the partial adjustment of positions between rounds follow the decide
project's implementation of the model (Stokman, Van Oosten, Dijkstra, Draaijer; PyPI
``decide-exchange-model``). The choices are listed in docs/models/exchange.md.

On each issue the expected outcome is the compromise of the current positions, weighted by
capability x salience. Two actors that stand on opposite sides of the expected outcome on
two issues, and weigh the two differently, can both gain by trading: each moves its voting
position toward the other's on the issue it cares about relatively less, and the expected
outcome of the other issue moves its way. In the equal-gain variant the rate of exchange
makes both gain equally; in the random-rate variant it is drawn between the two actors'
break-even rates. Exchanges are made in order of gain, each actor's position on an issue
taking part in one exchange a round; the expected outcome of the voting positions is the
round's forecast, and each actor keeps part of its move as its position for the next round.

Candidate exchanges are computed for every pair of issues and every pair of actors at once
(NumPy arrays); the greedy order is resolved by rounds of locally best exchanges, which
gives the same set as taking them one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from statecraft.arrays import Batch
from statecraft.models._exchange_decide import decide_rounds
from statecraft.models.base import Details, DrawByDrawModel, ModelOptions, OptionError

__all__ = ["Exchange", "ExchangeDetails", "ExchangeOptions", "ExchangeRound", "run_exchange"]

_MIN_GAIN = 1e-10  # decide: an exchange gaining less is no exchange
FIXED_WEIGHT = 0.1  # decide: share of a move kept whatever the salience
SALIENCE_WEIGHT = 0.4  # decide: further share kept by an actor that cares little


@dataclass(frozen=True)
class ExchangeRound:
    """One round: where it started, the exchanges made, where the votes ended."""

    start: np.ndarray  # (E,) expected outcome of the round's starting positions
    voting: np.ndarray  # (E,) expected outcome of the voting positions after the exchanges
    exchanges: tuple[dict[str, Any], ...]
    externalities: np.ndarray  # (n,) each actor's utility from exchanges it was not in


def _outcome(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    total = w.sum(axis=0)
    return np.asarray(np.where(total > 0, (w * x).sum(axis=0) / np.where(total > 0, total, 1), 0))


def _at_outcome(x: np.ndarray, present: np.ndarray) -> np.ndarray:
    """How near the expected outcome an actor must be to count as at it (and so below it):
    1e-9 of the spread of the positions on the issue. An exchange can bring an outcome
    exactly to an actor's position (its fourth bound); the next round then finds the actor
    a few units in the last place above or below the outcome, by rounding that depends on
    the order of the actors and the scale of the capabilities, and which side it counts on
    decided the exchanges that followed (issue 22's finding with adjustment=full)."""
    lo = np.where(present, x, np.inf).min(axis=0)
    hi = np.where(present, x, -np.inf).max(axis=0)
    return np.asarray(np.where(hi > lo, 1e-9 * (hi - lo), 0.0))


def _candidates(
    x: np.ndarray,
    s: np.ndarray,
    c: np.ndarray,
    present: np.ndarray,
    variant: str,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Every possible exchange of the round, as arrays over candidates."""
    n, e = x.shape
    w = np.where(present, c * s, 0.0)
    total = w.sum(axis=0)
    out = _outcome(x, w)
    left = x <= out[None, :] + _at_outcome(x, present)
    pairs = np.array(list(combinations(range(e), 2)), dtype=int).reshape(-1, 2)
    a, b = np.triu_indices(n, k=1)
    # axes: (issue pair, actor pair)
    p, q = pairs[:, 0][:, None], pairs[:, 1][:, None]
    ok = present[a, p] & present[a, q] & present[b, p] & present[b, q]
    ok &= (left[a, p] != left[b, p]) & (left[a, q] != left[b, q])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # tiny saliences
        ra = s[a, p] / s[a, q]
        rb = s[b, p] / s[b, q]
    ok &= ra != rb
    # I demands p and supplies q: the one of the two that cares relatively more about p
    first = ra > rb
    i = np.where(first, a, b)
    j = np.where(first, b, a)
    p = np.broadcast_to(p, i.shape)
    q = np.broadcast_to(q, i.shape)
    keep = ok & (w[j, p] > 0) & (w[i, q] > 0)
    i, j, p, q = i[keep], j[keep], p[keep], q[keep]
    sip, siq, sjp, sjq = s[i, p], s[i, q], s[j, p], s[j, q]
    priced = np.ones(len(i), dtype=bool)
    if variant == "equal-gain":
        rate = (sip + sjp) / (siq + sjq)  # outcome shift on q per unit on p
    else:  # random-rate: between J's break-even rate and I's
        with np.errstate(divide="ignore", over="ignore"):  # I's, when s_Iq is tiny
            lo, hi = sjp / sjq, sip / siq
        # A break-even rate that overflows (I all but indifferent to q) leaves the uniform
        # draw no upper end. As s_Iq falls toward it, the drawn rate grows without bound and
        # the exchange shrinks to nothing (bounds 2 and 4 divide by the rate): so there is
        # none. (issue 22: this overflowed, with a warning and an infinite bound.)
        priced &= np.isfinite(hi)
        rate = lo + rng.random(len(i)) * (np.where(priced, hi, lo) - lo)
    bounds = np.stack(
        [
            np.abs(x[i, p] - x[j, p]) * w[j, p] / total[p],  # J moves all the way to I on p
            np.abs(x[j, q] - x[i, q]) * w[i, q] / total[q] / rate,  # I all the way to J on q
            np.abs(x[i, p] - out[p]),  # the outcome on p may not pass I's position
            np.abs(x[j, q] - out[q]) / rate,  # nor the outcome on q J's
        ]
    )
    shift_p = bounds.min(axis=0)
    shift_q = rate * shift_p
    gain_i = sip * shift_p - siq * shift_q
    gain_j = sjq * shift_q - sjp * shift_p
    return {
        "i": i,
        "j": j,
        "p": p,
        "q": q,
        "shift_p": shift_p,
        "shift_q": shift_q,
        "move_j": np.sign(x[i, p] - x[j, p]) * shift_p * total[p] / w[j, p],
        "move_i": np.sign(x[j, q] - x[i, q]) * shift_q * total[q] / w[i, q],
        "gain_i": gain_i,
        "gain_j": gain_j,
        "valid": priced & (np.minimum(gain_i, gain_j) > _MIN_GAIN),
    }


def _greedy(key: np.ndarray, slots: np.ndarray, n_slots: int) -> np.ndarray:
    """Indices of the exchanges taken in order of ``key`` (highest first, the earlier of
    equals first), none sharing a slot with one taken before: by rounds of exchanges that
    beat every exchange they share a slot with, which yields the greedy set."""
    order = np.lexsort((np.arange(len(key)), -key))
    rank = np.empty(len(key), dtype=int)
    rank[order] = np.arange(len(key))
    alive = np.ones(len(key), dtype=bool)
    taken: list[np.ndarray] = []
    while alive.any():
        best = np.full(n_slots, len(key), dtype=int)
        live = np.flatnonzero(alive)
        np.minimum.at(best, slots[live].ravel(), np.repeat(rank[live], slots.shape[1]))
        winners = live[(best[slots[live]] == rank[live][:, None]).all(axis=1)]
        taken.append(winners)
        used = np.zeros(n_slots, dtype=bool)
        used[slots[winners].ravel()] = True
        alive &= ~used[slots].any(axis=1)
    picked = np.concatenate(taken) if taken else np.array([], dtype=int)
    return np.asarray(picked[np.argsort(rank[picked])])


def run_exchange(
    positions: np.ndarray,
    saliences: np.ndarray,
    capabilities: np.ndarray,
    present: np.ndarray,
    *,
    rounds: int = 10,
    variant: str = "equal-gain",
    adjustment: str = "decide",
    protocol: str = "statecraft",
    scale: tuple[np.ndarray, np.ndarray] | None = None,
    rng: np.random.Generator | None = None,
) -> list[ExchangeRound]:
    """Run the exchange model on arrays (actors x issues): positions, saliences (0-1),
    capabilities, and whether each actor takes part in each issue.

    ``protocol="decide"`` makes each round's exchanges as the decide project's equal-gain
    model does (:mod:`statecraft.models._exchange_decide`), on positions rescaled from
    ``scale`` (each issue's low and high ends; 0 to 100 when not given) to 0-100."""
    x = np.where(present, np.asarray(positions, dtype=float), 0.0)
    s = np.where(present, np.asarray(saliences, dtype=float), 0.0)
    c = np.where(present, np.asarray(capabilities, dtype=float), 0.0)
    n, e = x.shape
    w = c * s
    rng = rng if rng is not None else np.random.default_rng(0)
    keep = 1.0 if adjustment == "full" else FIXED_WEIGHT + SALIENCE_WEIGHT * (1 - s)
    if protocol == "decide":
        if variant != "equal-gain":
            raise ValueError("protocol='decide' is decide's equal-gain model")
        low, high = scale if scale is not None else (np.zeros(e), np.full(e, 100.0))
        made = decide_rounds(x, s, c, present, low, high, rounds, adjustment == "full")
        return [_decide_round(s, present, *r) for r in made]
    history: list[ExchangeRound] = []
    for _ in range(rounds):
        start = _outcome(x, w)
        cand = _candidates(x, s, c, present, variant, rng)
        valid = np.flatnonzero(cand["valid"])
        key = np.minimum(cand["gain_i"], cand["gain_j"])[valid]
        i, j, p, q = (cand[k][valid] for k in ("i", "j", "p", "q"))
        slots = np.stack([i * e + p, i * e + q, j * e + p, j * e + q], axis=1)
        done = valid[_greedy(key, slots, n * e)]
        y = x.copy()
        y[cand["j"][done], cand["p"][done]] += cand["move_j"][done]
        y[cand["i"][done], cand["q"][done]] += cand["move_i"][done]
        voting = _outcome(y, w)
        ext = _externalities(x, s, present, start, cand, done)
        history.append(
            ExchangeRound(
                start=start,
                voting=voting,
                exchanges=tuple(
                    {
                        "i": int(cand["i"][k]),
                        "j": int(cand["j"][k]),
                        "i_supplies": int(cand["q"][k]),
                        "j_supplies": int(cand["p"][k]),
                        "i_moves": float(cand["move_i"][k]),
                        "j_moves": float(cand["move_j"][k]),
                        "shift_on_i_demand": float(cand["shift_p"][k]),
                        "shift_on_j_demand": float(cand["shift_q"][k]),
                        "gain_i": float(cand["gain_i"][k]),
                        "gain_j": float(cand["gain_j"][k]),
                    }
                    for k in done
                ),
                externalities=ext,
            )
        )
        if not len(done):
            break
        x = x + keep * (y - x)
    return history


def _decide_round(
    s: np.ndarray,
    present: np.ndarray,
    x: np.ndarray,
    start: np.ndarray,
    voting: np.ndarray,
    made: list[dict[str, Any]],
) -> ExchangeRound:
    """A round of ``protocol="decide"`` as an :class:`ExchangeRound`; externalities as in
    the default protocol, from each exchange's shifts of the round's start outcome (an
    approximation where an actor trades twice on an issue: the shifts are then counted
    from the start, not from the outcome after the first)."""
    cand = {
        "i": np.array([m["i"] for m in made], dtype=int),
        "j": np.array([m["j"] for m in made], dtype=int),
        "p": np.array([m["j_supplies"] for m in made], dtype=int),
        "q": np.array([m["i_supplies"] for m in made], dtype=int),
        "shift_p": np.array([m["shift_on_i_demand"] for m in made], dtype=float),
        "shift_q": np.array([m["shift_on_j_demand"] for m in made], dtype=float),
    }
    ext = _externalities(x, s, present, start, cand, np.arange(len(made)))
    return ExchangeRound(start=start, voting=voting, exchanges=tuple(made), externalities=ext)


def _externalities(
    x: np.ndarray,
    s: np.ndarray,
    present: np.ndarray,
    out: np.ndarray,
    cand: dict[str, np.ndarray],
    done: np.ndarray,
) -> np.ndarray:
    """Each actor's utility from the outcome shifts of exchanges it was not a party to:
    salience x how much closer the outcome came (Van Assen, Stokman & Van Oosten 2003)."""
    if not len(done):
        return np.zeros(len(x))
    i, j, p, q = (cand[k][done] for k in ("i", "j", "p", "q"))
    new_p = out[p] + np.sign(x[i, p] - out[p]) * cand["shift_p"][done]
    new_q = out[q] + np.sign(x[j, q] - out[q]) * cand["shift_q"][done]
    xp, xq = x[:, p], x[:, q]  # (actors, exchanges)
    gain = s[:, p] * (np.abs(out[p] - xp) - np.abs(new_p - xp)) + s[:, q] * (
        np.abs(out[q] - xq) - np.abs(new_q - xq)
    )
    actors = np.arange(len(x))[:, None]
    third = (actors != i) & (actors != j) & present[:, p] & present[:, q]
    return np.asarray(np.where(third, gain, 0.0).sum(axis=1))


@dataclass(frozen=True)
class ExchangeDetails(Details):
    """What the exchange model says of a scenario."""

    issues: tuple[str, ...]
    actors: tuple[str, ...]
    rounds: tuple[ExchangeRound, ...]

    def scaled(self, power: int) -> ExchangeDetails:
        """Positions, moves, shifts, gains and externalities (salience x distance) are all
        in the units of the positions: each times ``2**power``."""
        moved = ("i_moves", "j_moves", "shift_on_i_demand", "shift_on_j_demand")
        rounds = tuple(
            ExchangeRound(
                start=np.ldexp(r.start, power),
                voting=np.ldexp(r.voting, power),
                exchanges=tuple(
                    {
                        k: float(np.ldexp(v, power)) if k in (*moved, "gain_i", "gain_j") else v
                        for k, v in x.items()
                    }
                    for x in r.exchanges
                ),
                externalities=np.ldexp(r.externalities, power),
            )
            for r in self.rounds
        )
        return replace(self, rounds=rounds)

    def trades(self, round_index: int = 0) -> list[dict[str, Any]]:
        """The exchanges of one round (the first by default) by name: who gives way on
        which issue to whom, and what each gains."""
        r = self.rounds[round_index]
        return [
            {
                "actor": self.actors[x["i"]],
                "gives_way_on": self.issues[x["i_supplies"]],
                "by": x["i_moves"],
                "partner": self.actors[x["j"]],
                "partner_gives_way_on": self.issues[x["j_supplies"]],
                "partner_by": x["j_moves"],
                "gain": x["gain_i"],
                "partner_gain": x["gain_j"],
            }
            for x in r.exchanges
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rounds": [
                {
                    "start": dict(zip(self.issues, map(float, r.start), strict=True)),
                    "voting": dict(zip(self.issues, map(float, r.voting), strict=True)),
                    "exchanges": self.trades(k),
                    "externalities": dict(
                        zip(self.actors, map(float, r.externalities), strict=True)
                    ),
                }
                for k, r in enumerate(self.rounds)
            ]
        }


class ExchangeOptions(ModelOptions):
    """The exchange model's options (docs/models/exchange.md)."""

    variant: Literal["equal-gain", "random-rate"] = Field(
        default="equal-gain",
        description="How the partners share the gain of an exchange: equally, or at a random "
        "rate (Stokman & Van Oosten 1994).",
    )
    rounds: int = Field(default=10, ge=1, le=50, description="Rounds of exchanges (decide: 10).")
    adjustment: Literal["decide", "full"] = Field(
        default="decide",
        description="How much of its move an actor keeps for the next round: 0.1 + 0.4 x "
        "(1 - salience) as decide, or all of it.",
    )
    protocol: Literal["statecraft", "decide"] = Field(
        default="statecraft",
        description="Which exchanges a round makes: one per actor-issue position, in order of "
        "gain; or as decide's equal-gain model (repeated trades, in its decimals), which "
        "takes variant=equal-gain.",
    )


class Exchange(DrawByDrawModel):
    """Stokman & Van Oosten's (1994) exchange model of voting positions: see
    :func:`run_exchange` and docs/models/exchange.md.

    Options: ``variant`` (``equal-gain`` or ``random-rate``, whose rates come from the
    generator the model is given), ``rounds`` (10, as decide), ``adjustment`` (``decide``: an
    actor keeps 0.1 + 0.4 x (1 - salience) of its move for the next round; ``full``: all of
    it), ``protocol`` (``statecraft``, or ``decide``: the rounds of decide's equal-gain
    model). Each draw is one run (the rounds are sequential).
    """

    name: ClassVar[str] = "exchange"
    title: ClassVar[str] = "Stokman's exchange model of voting positions (linked issues)"
    citation: ClassVar[str] = (
        "Stokman & Van Oosten (1994), The exchange of voting positions, in European Community "
        "Decision Making; Stokman & Van den Bos (1992)"
    )
    Options: ClassVar[type[ExchangeOptions]] = ExchangeOptions
    opts: ExchangeOptions
    links_issues = True
    stochastic = True  # with variant="random-rate"
    cost = "slow"

    def __init__(self, options: ExchangeOptions | None = None, /, **kwargs: Any) -> None:
        super().__init__(options, **kwargs)
        if self.opts.protocol == "decide" and self.opts.variant != "equal-gain":
            raise OptionError(
                "the exchange model's option protocol=decide reproduces decide's equal-gain "
                f"model: it takes variant=equal-gain (got variant={self.opts.variant})"
            )

    def run_memory(self, n_actors: int, n_issues: int) -> int:
        # Every candidate exchange of a round is computed at once: about a dozen float
        # arrays over (pairs of actors) x (pairs of issues). tracemalloc's peak of one run
        # was 105 to 110 bytes per pair-pair at 50 x 20, 100 x 50, 200 x 4 and 250 x 20
        # (benchmarks/memory_peaks.py).
        pairs = n_actors * (n_actors - 1) // 2 * (n_issues * (n_issues - 1) // 2)
        need = 112 * pairs + 1024 * n_actors * n_issues
        # protocol=decide computes in 28-digit decimals, Python objects: the traced peak of
        # a whole forecast was 3.5 to 3.9 times the figure above on COP21, Copenhagen and
        # karabakh-2020 (2026-12-07); five times leaves a margin.
        return 5 * need if self.opts.protocol == "decide" else need

    def not_applicable(self, batch: Batch) -> dict[str, str]:
        if batch.n_issues < 2:
            why = "the exchange model needs two issues or more to trade across"
            return dict.fromkeys(batch.issue_ids, why)
        return {}

    def run_draw(
        self, batch: Batch, draw: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, ExchangeDetails]:
        o = self.opts
        history = run_exchange(
            batch.position[draw],
            batch.salience[draw],
            batch.capability[draw],
            batch.present,
            rounds=o.rounds,
            variant=o.variant,
            adjustment=o.adjustment,
            protocol=o.protocol,
            scale=(batch.low, batch.high),
            rng=rng,
        )
        details = ExchangeDetails(
            issues=batch.issue_ids, actors=batch.actor_ids, rounds=tuple(history)
        )
        return history[-1].voting, details
