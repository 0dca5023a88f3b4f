"""The draws of a risk analysis: each block's inputs drawn as ``simulate`` draws them, the
terms of :mod:`statecraft.analysis._risk_terms` computed a chunk of draws at a time, and
only histograms and sums kept (:class:`Tally`), so that memory stays within a budget
however many draws are asked for."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from statecraft.analysis._blocks import block_size
from statecraft.analysis._risk_terms import (
    dyad_survival,
    issue_terms,
    prevail,
    prevail_without,
    shift_pressure,
    votes,
)
from statecraft.analysis.draws import UncertainInput, draw_block, uncertain_inputs
from statecraft.analysis.kernel import DEFAULT_MEMORY, input_bytes, memory_option, study_shares
from statecraft.arrays import Batch, draw_plan
from statecraft.errors import MemoryLimitError
from statecraft.scenario import Scenario

__all__ = ["BINS", "Hist", "Plan", "Tally", "evaluate", "plan_for", "run"]

#: Histogram bins across [0, 1] (and [-1, 1] for the guarantors' effects, twice as many):
#: quantiles are read to 1/1000. Exact zeros, common (a dyad with no dispute), have a bin
#: of their own, so that a median of 0 reads 0.
BINS = 1000


class Hist:
    """Histograms of K quantities over [low, high] (0 a bin edge), with a count of exact
    zeros and a sum, merged block by block."""

    def __init__(self, k: int, low: float, high: float) -> None:
        self.low, self.high = low, high
        self.bins = round(BINS * (high - low))
        self.counts = np.zeros((k, self.bins), dtype=np.int64)
        self.zeros = np.zeros(k, dtype=np.int64)
        self.sums = np.zeros(k)
        self.n = np.zeros(k, dtype=np.int64)

    def add(self, values: np.ndarray) -> None:
        """Add (B, K) values; NaN is left out."""
        ok = np.isfinite(values)
        zero = ok & (values == 0.0)
        rest = ok & ~zero
        k = values.shape[1]
        scaled = (np.where(rest, values, self.low) - self.low) / (self.high - self.low)
        idx = np.clip((scaled * self.bins).astype(np.int64), 0, self.bins - 1)
        flat = (np.arange(k)[None, :] * self.bins + idx)[rest]
        self.counts += np.bincount(flat, minlength=k * self.bins).reshape(k, self.bins)
        self.zeros += zero.sum(axis=0)
        self.sums += np.where(ok, values, 0.0).sum(axis=0)
        self.n += ok.sum(axis=0)

    def quantile(self, i: int, q: float) -> float:
        """The q-quantile of quantity i, linear within a bin; exactly 0 where it falls
        among the zeros; NaN without values."""
        total = int(self.n[i])
        if total == 0:
            return float("nan")
        width = (self.high - self.low) / self.bins
        edge = round(-self.low / width)  # the bin that starts at 0
        counts = np.concatenate(
            [self.counts[i, :edge], [self.zeros[i]], self.counts[i, edge:]]
        ).astype(float)
        cum = np.cumsum(counts)
        target = q * total
        j = min(int(np.searchsorted(cum, target, side="left")), len(cum) - 1)
        if j == edge:
            return 0.0
        before = float(cum[j - 1]) if j > 0 else 0.0
        frac = (target - before) / counts[j] if counts[j] > 0 else 0.0
        b = j if j < edge else j - 1
        return float(self.low + (b + min(max(frac, 0.0), 1.0)) * width)

    def mean(self, i: int) -> float:
        return float(self.sums[i] / self.n[i]) if self.n[i] else float("nan")


@dataclass(frozen=True)
class Plan:
    """What every block of one analysis shares: the settlement's issues (columns of the
    batch), the dyads, the focus dyad and, with an earlier moment, where each actor and
    issue of the present is found in it."""

    scenario: Scenario
    columns: tuple[int, ...]
    pairs: tuple[np.ndarray, np.ndarray]  # the upper triangle (a < b)
    focus: tuple[int, int]
    previous: Scenario | None
    before_columns: tuple[int | None, ...]  # per settlement issue: its column then, or None
    before_actors: np.ndarray  # per actor: its index then, or -1
    before_only: np.ndarray  # actors of the earlier moment no longer in the scenario


def plan_for(scenario: Scenario, previous: Scenario | None, focus: tuple[int, int] | None) -> Plan:
    cols = tuple(j for j, i in enumerate(scenario.issues) if i.status_quo is not None)
    n = len(scenario.actors)
    a, b = np.triu_indices(n, k=1)
    before_cols: tuple[int | None, ...] = ()
    before_actors = np.full(n, -1)
    before_only = np.zeros(0, dtype=int)
    if previous is not None:
        ids = previous.issue_ids
        before_cols = tuple(
            ids.index(scenario.issues[j].id)
            if scenario.issues[j].id in ids
            and previous.issues[ids.index(scenario.issues[j].id)].status_quo is not None
            else None
            for j in cols
        )
        then = previous.actor_ids
        before_actors = np.array([then.index(x) if x in then else -1 for x in scenario.actor_ids])
        now = set(scenario.actor_ids)
        before_only = np.array([k for k, x in enumerate(then) if x not in now], dtype=int)
    return Plan(
        scenario,
        cols,
        (a, b),
        focus if focus is not None else (0, 1),
        previous,
        before_cols,
        before_actors,
        before_only,
    )


def _before(plan: Plan, t: int, batch: Batch, prev: Batch, x: np.ndarray) -> np.ndarray | None:
    """P_a at the earlier moment for settlement issue t (B, n), or None where the issue had
    no settlement then. An actor absent then (or from the issue) had no vote: its demand is
    weighed at its present position by the votes of the actors then."""
    jb = plan.before_columns[t]
    if jb is None:
        return None
    m = plan.before_actors
    was = (m >= 0) & np.where(m >= 0, prev.present[np.maximum(m, 0), jb], False)
    take = np.maximum(m, 0)
    xb = np.where(was, prev.position[:, take, jb], x)
    sb = np.where(was, prev.salience[:, take, jb], 0.0)
    cb = np.where(was, prev.capability[:, take, jb], 0.0)
    extra = plan.before_only[prev.present[plan.before_only, jb]]
    qb = prev.status_quo[:, jb]
    xb = np.concatenate([xb, prev.position[:, extra, jb]], axis=1)
    sb = np.concatenate([sb, prev.salience[:, extra, jb]], axis=1)
    cb = np.concatenate([cb, prev.capability[:, extra, jb]], axis=1)
    return prevail(xb, sb, cb, qb)[:, : batch.n_actors]


def evaluate(plan: Plan, batch: Batch, prev: Batch | None) -> dict[str, np.ndarray]:
    """Every term of the analysis on a chunk of draws: ``dyads`` and ``shift`` (B, D),
    ``settlement`` (B, 1), ``issues`` (B, issues), ``pressure`` (B, n x issues),
    ``guarantors`` (B, n; NaN for the focus dyad's own two)."""
    n, size = batch.n_actors, batch.size
    ia, ib = plan.focus
    who = np.array([ia, ib])
    static = np.ones((size, n, n))
    shift = np.ones((size, n, n))
    focus_static = np.ones((size, n))
    focus_shift = np.ones((size, n))
    issues = np.zeros((size, len(plan.columns)))
    pressure = np.zeros((size, n, len(plan.columns)))
    for t, j in enumerate(plan.columns):
        q = batch.status_quo[:, j]
        x, s, c = batch.position[:, :, j], batch.salience[:, :, j], batch.capability[:, :, j]
        terms = issue_terms(x, s, c, batch.present[:, j], q, float(batch.width[j]))
        static *= dyad_survival(terms.pressure, terms.resist)
        pressure[:, :, t] = terms.pressure
        issues[:, t] = terms.pressure.max(axis=1)
        xc = np.where(batch.present[:, j], x, q[:, None])
        sc = np.where(batch.present[:, j], s, 0.0)
        cc = np.where(batch.present[:, j], c, 0.0)
        p_without = prevail_without(votes(xc, sc, cc, q, who))  # (B, g, 2)
        stake = terms.stake[:, who][:, None, :]
        r_ab = terms.resist[:, ia, ib][:, None]  # b resists a
        r_ba = terms.resist[:, ib, ia][:, None]
        press = stake * np.clip(2.0 * p_without - 1.0, 0.0, None)
        focus_static *= (1.0 - press[:, :, 0] * r_ab) * (1.0 - press[:, :, 1] * r_ba)
        before = None if prev is None else _before(plan, t, batch, prev, xc)
        if before is not None:
            phi = shift_pressure(terms.stake, terms.prevail, before)
            shift *= dyad_survival(phi, terms.resist)
            phi_g = shift_pressure(stake, p_without, before[:, who][:, None, :])
            focus_shift *= (1.0 - phi_g[:, :, 0] * r_ab) * (1.0 - phi_g[:, :, 1] * r_ba)
    a, b = plan.pairs
    risk = 1.0 - (static * shift)[:, a, b]
    total = 1.0 - static * shift
    without = 1.0 - focus_static * focus_shift
    guarantors = without - total[:, ia, ib][:, None]
    guarantors[:, who] = np.nan
    return {
        "dyads": np.clip(risk, 0.0, 1.0),
        "shift": np.clip(1.0 - shift[:, a, b], 0.0, 1.0),
        "settlement": risk.max(axis=1, initial=0.0)[:, None],
        "issues": issues,
        "pressure": pressure.reshape(size, -1),
        "guarantors": np.clip(guarantors, -1.0, 1.0),
    }


def draw_bytes(n: int, m: int) -> int:
    """Bytes one draw of a chunk takes: the (n+1)^2 arrays of the votes (about 16 of them at
    their peak), the n^2 arrays of the dyads (about 10) and the n x issues ones."""
    return 8 * (16 * (n + 2) ** 2 + 10 * n * n + 4 * n * max(1, m) + 8 * n)


def chunk_size(n: int, m: int, budget: int) -> int:
    """Draws per chunk of ``n`` actors on ``m`` settlement issues within ``budget`` bytes."""
    return max(1, budget // draw_bytes(n, m))


def sizes(plan: Plan, memory: int = DEFAULT_MEMORY) -> tuple[int, int]:
    """Draws per block and per chunk of an analysis within the budget ``memory``. A block is
    :func:`~statecraft.analysis._blocks.block_size` draws (from half the budget, as
    ``simulate``'s: the same draws from the same seed). A chunk takes what is left of the
    other half, at most, once the block's inputs (of the earlier moment's scenario too)
    and the histograms (:func:`tally_bytes`) are held: at the default budget, the whole
    other half wherever those fit in the first (below about 1,100 actor-issues)."""
    s, before = plan.scenario, plan.previous
    n, m = len(s.actors), len(plan.columns)
    size = block_size(s, memory)
    one = input_bytes(n, len(s.issues))
    if before is not None:
        one += input_bytes(len(before.actors), len(before.issues))
    _, share = study_shares(memory)
    room = min(share, memory - size * one - tally_bytes(n, m))
    return size, chunk_size(n + len(plan.before_only), m, room)


def tally_bytes(n: int, m: int) -> int:
    """Bytes of the histograms an analysis of ``n`` actors on ``m`` settlement issues keeps
    (:class:`Hist`: BINS + 3 numbers per quantity; guarantors' histograms twice as wide)."""
    dyads = n * (n - 1) // 2
    return 8 * (BINS + 3) * (2 * dyads + n * m + 3 * n + m + 1)


def check_size(n: int, m: int, memory: int = DEFAULT_MEMORY) -> None:
    """Refuse an analysis whose histograms alone would outgrow the half of the memory
    budget ``memory`` that a chunk of draws may take (:func:`study_shares`), naming both
    figures. Where they fit, so does one draw: a chunk of one draw and a block of one
    draw's inputs take far less than the histograms (about 8 KB a dyad)."""
    dyads = n * (n - 1) // 2
    _, share = study_shares(memory)
    need = tally_bytes(n, m)
    if need > share:
        raise MemoryLimitError(
            f"the risk analysis of {n:,} actors ({dyads:,} dyads) would keep about "
            f"{_mib(need)} of histograms, more than its budget of {_mib(share)} "
            f"(half the memory budget of {_mib(memory)}): give --memory "
            f"{memory_option(2 * need - 1)} or more, or analyse fewer actors"
        )


def _mib(n: int) -> str:
    return f"{n / 2**20:,.1f} MiB"


Tally = dict[str, Hist]
ProgressFn = Callable[[int, int], None]


def run(
    plan: Plan,
    draws: int,
    seed: int,
    progress: ProgressFn | None = None,
    memory: int = DEFAULT_MEMORY,
) -> tuple[Tally, int]:
    """Every block of ``draws`` draws from ``seed``: the tallies and the draws done (fewer
    than asked for after Ctrl-C). Blocks of drawn inputs are sized from half the memory
    budget ``memory`` (:func:`~statecraft.analysis._blocks.block_size`, as ``simulate``
    sizes them, so the same seed gives the same draws), chunks of draws evaluated at once
    from the other half (:func:`chunk_size`)."""
    s = plan.scenario
    n, m = len(s.actors), len(plan.columns)
    check_size(n, m, memory)
    d = n * (n - 1) // 2
    tally: Tally = {
        "dyads": Hist(d, 0.0, 1.0),
        "shift": Hist(d, 0.0, 1.0),
        "settlement": Hist(1, 0.0, 1.0),
        "issues": Hist(m, 0.0, 1.0),
        "pressure": Hist(n * m, 0.0, 1.0),
        "guarantors": Hist(n, -1.0, 1.0),
    }
    inputs = uncertain_inputs(s, actual=False)
    drawn = draw_plan(s, [i.key for i in inputs])
    prev_inputs: Sequence[UncertainInput] = ()
    prev_plan = None
    if plan.previous is not None:
        prev_inputs = uncertain_inputs(plan.previous, actual=False)
        prev_plan = draw_plan(plan.previous, [i.key for i in prev_inputs])
    size, chunk = sizes(plan, memory)
    done = 0
    try:
        for k in range(math.ceil(draws / size)):
            this = min(size, draws - k * size)
            batch = drawn.batch(draw_block(s, inputs, seed, k, this), this)
            prev = None
            if prev_plan is not None and plan.previous is not None:
                prev = prev_plan.batch(draw_block(plan.previous, prev_inputs, seed, k, this), this)
            for i in range(0, this, chunk):
                part = slice(i, min(i + chunk, this))
                out = evaluate(plan, batch.take(part), None if prev is None else prev.take(part))
                for key, hist in tally.items():
                    hist.add(out[key])
            # let this block go before the next is drawn: two are never held at once
            del batch, prev, out
            done += this
            if progress:
                progress(done, draws)
    except KeyboardInterrupt:
        pass
    return tally, done
