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

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from statecraft.models.base import LinkedModel, LinkedRun, NotApplicable, whole_number
from statecraft.scenario import Scenario

__all__ = ["Spatial", "SpatialDetails", "SpatialOptions", "SpatialResult", "run_spatial"]

VictoryLaw = Literal["linear", "square", "quartic", "octic", "binary"]
PCEModel = Literal["conditional", "markov-incentive", "markov-uniform"]
VotingRule = Literal["binary", "prop-bin", "prop", "prop-cbc", "cubic", "asym-prosp"]
Transition = Literal["deterministic", "stochastic"]
RiskAdjust = Literal["none", "one-third", "half", "two-thirds", "full"]
RiskRange = Literal["min", "mid", "max"]
Commitment = Literal["none", "semi", "full"]
Interpolation = Literal["s1p1", "s2p2", "s2pmax"]

_MIN_COALITION = 1e-8  # KTAB kmodel.cpp, Model::coalitions
_MIN_CHALLENGE = 1e-10  # KTAB smpbcn.cpp, probEduChlg
POSITION_TOLERANCE = 1e-3  # KTAB smp.h, posTol: positions closer than this are one
_MIN_GAIN = 1e-5  # KTAB smpbcn.cpp, bestChallenge: a smaller gain is no reason to challenge


@dataclass(frozen=True)
class SpatialOptions:
    """KTAB's named options, with KTAB's defaults (kmodel.h, smp.h)."""

    victory: VictoryLaw = "linear"  # VPModel
    pce: PCEModel = "conditional"  # PCEModel
    voting: VotingRule = "prop"  # VotingRule (vrCltn)
    transition: Transition = "deterministic"  # StateTransMode
    risk_adjust: RiskAdjust = "one-third"  # BigRAdjust
    risk_range: RiskRange = "mid"  # BigRRange
    commitment: Commitment = "semi"  # ThirdPartyCommit
    interpolation: Interpolation = "s2p2"  # InterVecBrgn
    max_turns: int = 100  # smpStopFn maxIter
    min_turns: int = 2  # smpStopFn minIter
    stop_ratio: float = 0.02  # smpStopFn minDeltaRatio
    seed: int = 0  # our generator's seed for transition="stochastic"


# --- the building blocks (kmodel.cpp) ------------------------------------------------------


def vote(rule: VotingRule, w: np.ndarray, ua: np.ndarray, ub: np.ndarray) -> np.ndarray:
    """How hard a voter of weight w pushes for option a over b (``Model::vote``)."""
    d = ua - ub
    if rule == "prop":
        return np.asarray(w * d)
    if rule in ("binary", "prop-bin"):
        binary = np.clip(d / 1e-8, -1.0, 1.0)
        return np.asarray(w * binary if rule == "binary" else w * (0.8 * d + 0.2 * binary))
    if rule == "prop-cbc":
        return np.asarray(w * (0.5 * d + 0.5 * d**3))
    if rule == "cubic":
        return np.asarray(w * d**3)
    return np.asarray(np.where(d < 0, w * d, np.where(d > 0, (2 / 3) * w * d, 0.0)))


def _victory(law: VictoryLaw, s1: np.ndarray, s2: np.ndarray) -> np.ndarray:
    """The probability that strength s1 beats s2 (``Model::vProb``)."""
    if law == "binary":
        t = 1.10
        r = s1 / (s1 + s2)
        x1 = np.where(s1 >= t * s2, 1.0, np.where(s2 >= t * s1, 1e-6, (r * (t + 1) - 1) / (t - 1)))
        x2 = np.where(s1 >= t * s2, 1e-6, np.where(s2 >= t * s1, 1.0, 1 - x1))
        return np.asarray(x1 / (x1 + x2))
    power = {"linear": 1, "square": 2, "quartic": 4, "octic": 8}[law]
    x1, x2 = s1**power, s2**power
    return np.asarray(x1 / (x1 + x2))


def scalar_pce(
    w: np.ndarray,
    utility: np.ndarray,
    opts: SpatialOptions,
    valid: np.ndarray | None = None,
) -> np.ndarray:
    """The probabilistic Condorcet election (``Model::scalarPCE``): the probability that each
    option wins when voters of weights ``w`` (n,) with utilities ``utility`` (..., n, M) vote
    in every pair of options. ``valid`` (..., M) masks options out, so that elections of
    different sizes run as one batch."""
    u = np.asarray(utility, dtype=float)
    m = u.shape[-1]
    if valid is None:
        valid = np.ones((*u.shape[:-2], m), dtype=bool)
    # votes[..., k, a, b]: voter k for a over b
    votes = vote(opts.voting, w[:, None, None], u[..., :, :, None], u[..., :, None, :])
    pos = np.maximum(votes, 0.0).sum(axis=-3)
    neg = np.maximum(-votes, 0.0).sum(axis=-3)
    a, b = np.indices((m, m))
    # KTAB scans pairs a > b only: C[a, b] from the positive votes, C[b, a] from the negative
    coal = _MIN_COALITION + np.where(a > b, pos, np.swapaxes(neg, -1, -2))
    coal = np.where(a == b, _MIN_COALITION, coal)
    pv = _victory(opts.victory, coal, np.swapaxes(coal, -1, -2))
    pv = np.where(a == b, 0.5, pv)
    pair = valid[..., :, None] & valid[..., None, :]
    if opts.pce == "conditional":
        logp = np.where(pair, np.log(pv), 0.0).sum(axis=-1)
        logp = np.where(valid, logp, -np.inf)
        p = np.exp(logp - logp.max(axis=-1, keepdims=True))
    else:
        p = _markov(opts.pce, coal, pv, pair, valid)
    return np.asarray(p / p.sum(axis=-1, keepdims=True))


def _markov(
    model: PCEModel, coal: np.ndarray, pv: np.ndarray, pair: np.ndarray, valid: np.ndarray
) -> np.ndarray:
    """The Markov forms of the election (``markovUniformPCE``, ``markovIncentivePCE``)."""
    count = valid.sum(axis=-1, keepdims=True)
    p = np.where(valid, 1.0 / count, 0.0)
    pv = np.where(pair, pv, 0.0)
    tol = 1e-6 if model == "markov-uniform" else 1e-8
    if model == "markov-incentive":
        inc = np.where(pair, coal * pv, 0.0) + np.where(np.eye(pv.shape[-1], dtype=bool), 1e-10, 0)
        inc = np.where(pair, inc, 0.0)
        q_chal = inc / np.maximum(inc.sum(axis=-2, keepdims=True), 1e-300)  # Q[i->j]
    for _ in range(1000):
        if model == "markov-uniform":
            q = (pv * (p[..., :, None] + p[..., None, :])).sum(axis=-1) / count
        else:
            ct = p[..., :, None] * np.swapaxes(q_chal, -1, -2)  # ct[i, j] = p_i Q[j->i]
            q = (pv * (ct + np.swapaxes(ct, -1, -2))).sum(axis=-1)
        done = np.all(np.abs(q - p) <= tol)
        p = (p + q) / 2
        if done:
            return np.asarray(p)
    raise RuntimeError(f"the {model} election did not converge in 1,000 iterations")


def _utility(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    """KTAB's utility of a distance d in [0, 1] for a risk attitude r (``bsUtil``)."""
    return np.asarray(np.where(d <= 1, (1 - d) * (1 + d * r), (1 - d) * (1 + r)))


def _distance(x: np.ndarray, s2: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Salience-weighted Euclidean distance from each actor i (x, s2 = salience squared,
    (n, D)) to each point of y (M, D): (n, M)."""
    diff = x[:, None, :] - y[None, :, :]
    return np.asarray(np.sqrt((s2[:, None, :] * diff**2).sum(-1) / s2.sum(-1)[:, None]))


def _risk(p: np.ndarray, span: RiskRange) -> np.ndarray:
    """Risk attitudes from win probabilities (``bigRfromProb``): the likeliest +1."""
    lo, hi = p.min(), p.max()
    if hi - lo <= 0:  # every position equally likely (KTAB divides by zero here)
        return np.zeros_like(p)
    if span == "min":
        return np.asarray((p - lo) / (hi - lo))
    if span == "mid":
        return np.asarray((3 * p - (hi + 2 * lo)) / (2 * (hi - lo)))
    return np.asarray((2 * p - (hi + lo)) / (hi - lo))


_ADJUST = {"none": 0.0, "one-third": 1 / 3, "half": 0.5, "two-thirds": 2 / 3, "full": 1.0}


def _setup(
    x: np.ndarray, s2: np.ndarray, c: np.ndarray, opts: SpatialOptions
) -> tuple[np.ndarray, np.ndarray]:
    """A state's risk attitudes (n,) and perceived utilities A[h, i, j]: h's estimate of
    the utility to i of j's position (``setAllAUtil``)."""
    dist = _distance(x, s2, x)
    neutral = scalar_pce(c, (1 - dist)[None, :, :], opts)[0]
    r = _risk(neutral, opts.risk_range)
    k = _ADJUST[opts.risk_adjust]
    perceived = (1 - k) * r[:, None] + k * r[None, :]  # [h, i]
    return r, _utility(dist[None, :, :], perceived[:, :, None])


def _third_party(
    commit: Commitment, p: np.ndarray, ui: np.ndarray, uj: np.ndarray, un: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A third party's value of joining i and of joining j (``thirdPartyVoteSU``)."""
    if commit == "none":
        a = p * (2 * ui + un) + (1 - p) * (2 * uj + un)
        b = p * (2 * ui + un) + (1 - p) * (2 * uj + un)
    elif commit == "semi":
        a = p * (2 * ui + un) + (1 - p) * (3 * uj)
        b = p * (3 * ui) + (1 - p) * (2 * uj + un)
    else:
        a = p * (3 * ui) + (1 - p) * (3 * uj)
        b = a
    return a, b


def _challenges(
    au: np.ndarray, c: np.ndarray, sigma: np.ndarray, opts: SpatialOptions
) -> tuple[np.ndarray, np.ndarray]:
    """For every challenger i and target j, i's estimate of the probability of winning and of
    its own gain (``probEduChlg`` with h = k = i): two (n, n) arrays."""
    n = len(c)
    idx = np.arange(n)
    w = c * sigma
    # au[h, i, j] is h's view of the utility to i of j's position; here h is the challenger
    uii = au[idx, idx, idx][:, None]  # A[i, i, i]
    uij = au[idx, idx, :]  # A[i, i, j]
    uji = au[idx, :, idx]  # A[i, j, i]
    ujj = np.einsum("ijj->ij", au)  # A[i, j, j]
    ai = vote(opts.voting, w[:, None], uii, uij)
    aj = vote(opts.voting, w[None, :], uji, ujj)
    p_plus = _MIN_CHALLENGE + np.maximum(ai, 0) + np.maximum(aj, 0)
    p_minus = _MIN_CHALLENGE + np.maximum(-ai, 0) + np.maximum(-aj, 0)
    # third parties n: axes (i, j, n)
    uni = au[idx, :, idx][:, None, :]  # A[i, n, i]
    unj = np.swapaxes(au, 1, 2)  # A[i, n, j] at [i, j, n]
    unn = np.einsum("inn->in", au)[:, None, :]  # A[i, n, n]
    wn = w[None, None, :]
    v0 = vote(opts.voting, wn, uni, unj)
    up = p_plus[:, :, None] + np.maximum(v0, 0)
    pi = up / (up + p_minus[:, :, None] + np.maximum(-v0, 0))
    join_i, join_j = _third_party(opts.commitment, pi, uni, unj, unn)
    vn = vote(opts.voting, wn, join_i, join_j)
    third = (idx[None, None, :] != idx[:, None, None]) & (idx[None, None, :] != idx[None, :, None])
    c_plus = p_plus + np.where(third, np.maximum(vn, 0), 0).sum(-1)
    c_minus = p_minus + np.where(third, np.maximum(-vn, 0), 0).sum(-1)
    p = c_plus / (c_plus + c_minus)
    victory = 2 * uii
    loss = 2 * uij
    status_quo = uii + uij
    contest = p * victory + (1 - p) * loss
    resist = sigma[None, :]
    gain = (1 - resist) * victory + resist * contest - status_quo
    return p, gain


def _round4(x: np.ndarray) -> np.ndarray:
    return np.asarray(np.floor(0.5 + 10000 * x) / 10000)


def _bargains(
    x: np.ndarray, s: np.ndarray, p: np.ndarray, target: np.ndarray, opts: SpatialOptions
) -> tuple[np.ndarray, np.ndarray]:
    """The bargain each challenger i proposes to its target: (i's new position, the
    target's), each (n, D) (``interpolateBrgn``; rows without a target are unused)."""
    n = len(x)
    j = np.where(target >= 0, target, np.arange(n))
    pij = p[np.arange(n), j][:, None]
    ti, tj = x, x[j]
    si, sj = s, s[j]
    if opts.interpolation == "s2pmax":
        pji = p[j, np.arange(n)][:, None]
        di = np.maximum(0.0, pji - pij)
        dj = np.maximum(0.0, pij - pji)
        fi = di * sj**2 / (di * sj**2 + 1e-6 + (1 - di) * si**2)
        fj = dj * si**2 / (dj * si**2 + 1e-6 + (1 - dj) * sj**2)
        return ti + fi * (tj - ti), tj + fj * (ti - tj)
    a = 1 if opts.interpolation == "s1p1" else 2
    wi = si**a * pij**a
    wj = sj**a * (1 - pij) ** a
    bi = _round4(((wi + 1e-6) * ti + wj * tj) / (wi + wj + 1e-6))
    bj = _round4((wi * ti + (wj + 1e-6) * tj) / (wi + wj + 1e-6))
    return bi, bj


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


def _outcome(
    x: np.ndarray, s2: np.ndarray, c: np.ndarray, r: np.ndarray, opts: SpatialOptions
) -> tuple[list[int], np.ndarray]:
    """The distinct positions (as indices of actors holding them) and the probability that
    each prevails."""
    reps = _unique(x)
    utility = _utility(_distance(x, s2, x[reps]), r[:, None])
    return reps, scalar_pce(c, utility[None], opts)[0]


def _unique(x: np.ndarray) -> list[int]:
    """The representatives of positions closer than the tolerance (``ueIndices``): first
    occurrences, in one greedy pass."""
    close = np.linalg.norm(x[:, None, :] - x[None, :, :], axis=-1) < POSITION_TOLERANCE
    reps: list[int] = []
    for i in range(len(x)):  # one pass, in order: it is sequential by definition
        if not close[i, reps].any():
            reps.append(i)
    return reps


def _prevailing(x: np.ndarray, reps: list[int], p: np.ndarray) -> np.ndarray:
    """The probability that each actor's position prevails, from the election among the
    distinct positions (:func:`_outcome`; KTAB's ``posProb``)."""
    near = np.linalg.norm(x[:, None, :] - x[reps][None, :, :], axis=-1) < POSITION_TOLERANCE
    last = len(reps) - 1 - np.argmax(near[:, ::-1], axis=1)  # KTAB takes the last match
    return np.asarray(p[last])


def _choose(
    utility: np.ndarray,
    proposers: np.ndarray,
    receivers: np.ndarray,
    c: np.ndarray,
    opts: SpatialOptions,
    rng: np.random.Generator,
) -> np.ndarray:
    """Each actor's choice among staying put (column 0 of ``utility``, (voters, 1 + P)) and
    the bargains it is party to (column 1 + q for proposal q), by its own election.

    The options of actor k are listed in KTAB's order (``doBCN``): bargains from challengers
    before k, staying put, k's own, bargains from challengers after k; the first of equally
    likely options wins. The elections of all actors run as batches of equal length."""
    n = len(c)
    idx = np.arange(n)
    party = (proposers[None, :] == idx[:, None]) | (receivers[None, :] == idx[:, None])
    keys = np.concatenate(
        [(idx - 0.5)[:, None], np.where(party, proposers[None, :].astype(float), np.inf)], axis=1
    )
    order = np.argsort(keys, axis=1, kind="stable")
    lengths = np.isfinite(keys).sum(axis=1)
    choice = np.zeros(n, dtype=int)
    # Elections of one length run as a batch: an actor with three options does not pay for
    # the forty of the most challenged one.
    for width in np.unique(lengths):
        members = np.flatnonzero(lengths == width)
        cols = order[members, :width]
        chunk = max(1, int(2e7 // (n * width * width)))
        for start in range(0, len(members), chunk):
            rows = slice(start, start + chunk)
            u = utility[:, cols[rows]]  # (voters, batch, width)
            p = scalar_pce(c, np.moveaxis(u, 1, 0), opts)
            if opts.transition == "deterministic":
                pick = np.argmax(p, axis=1)  # the first of equals, in KTAB's order
            else:
                cum = np.cumsum(p, axis=1)
                pick = np.minimum((cum < rng.random((len(p), 1))).sum(axis=1), width - 1)
            choice[members[rows]] = cols[rows][np.arange(len(p)), pick]
    return choice


def run_spatial(
    positions: np.ndarray,
    saliences: np.ndarray,
    power: np.ndarray,
    opts: SpatialOptions | None = None,
    *,
    actors: tuple[str, ...] = (),
    dimensions: tuple[str, ...] = (),
) -> SpatialResult:
    """Run the spatial model on positions (n, D) in [0, 1], saliences (n, D) with each
    actor's total at most 1, and powers (n,) above 0."""
    opts = opts or SpatialOptions()
    x = np.asarray(positions, dtype=float).copy()
    s = np.asarray(saliences, dtype=float)
    c = np.asarray(power, dtype=float)
    n = len(c)
    s2 = s**2
    sigma = s.sum(axis=1)
    rng = np.random.default_rng(opts.seed)
    history = [x.copy()]
    probabilities = []
    targets: list[tuple[int, ...]] = []
    ratios: list[float] = []
    first = 0.0
    idx = np.arange(n)
    for turn in range(1, opts.max_turns + 1):
        r, au = _setup(x, s2, c, opts)
        probabilities.append(_prevailing(x, *_outcome(x, s2, c, r, opts)))
        p, gain = _challenges(au, c, sigma, opts)
        gain = np.where(idx[:, None] == idx[None, :], -np.inf, gain)
        best = np.argmax(gain, axis=1)
        target = np.where(gain[idx, best] > _MIN_GAIN, best, -1)
        targets.append(tuple(int(t) for t in target))
        bi, bj = _bargains(x, s, p, target, opts)
        # each actor's options: staying put, then every bargain it is party to
        own = np.einsum("aal->al", au)  # A[a, a, l]: a's utility of l's position
        base = own.sum(axis=1)
        proposers = np.flatnonzero(target >= 0)
        ui = _utility(_distance(x, s2, bi[proposers]), r[:, None])  # (n, P)
        uj = _utility(_distance(x, s2, bj[proposers]), r[:, None])
        recv = target[proposers]
        deal = (base[:, None] - own[:, proposers] - own[:, recv] + ui + uj) / n  # (n, P)
        utility = np.concatenate([(base / n)[:, None], deal], axis=1)  # column 0: stay put
        choice = _choose(utility, proposers, recv, c, opts, rng)
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
    r, _ = _setup(x, s2, c, opts)
    reps, outcome = _outcome(x, s2, c, r, opts)
    probabilities.append(_prevailing(x, reps, outcome))
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


_CHOICES: dict[str, tuple[str, ...]] = {
    "victory": ("linear", "square", "quartic", "octic", "binary"),
    "pce": ("conditional", "markov-incentive", "markov-uniform"),
    "voting": ("binary", "prop-bin", "prop", "prop-cbc", "cubic", "asym-prosp"),
    "transition": ("deterministic", "stochastic"),
    "risk_adjust": ("none", "one-third", "half", "two-thirds", "full"),
    "risk_range": ("min", "mid", "max"),
    "commitment": ("none", "semi", "full"),
    "interpolation": ("s1p1", "s2p2", "s2pmax"),
    "point": ("mean", "mode"),
}


@dataclass(frozen=True)
class SpatialDetails:
    """What the spatial model says of a scenario, on the issues' own scales."""

    result: SpatialResult
    issues: tuple[str, ...]
    low: np.ndarray  # (D,) each issue's scale
    width: np.ndarray
    saliences_scaled: bool  # divided by the number of issues (see docs/models/spatial.md)

    def on_scale(self, x: np.ndarray) -> np.ndarray:
        """Positions on [0, 1] as points of the issues' scales (to 9 decimals: KTAB's
        positions are multiples of 1e-4 of the scale, and the product adds noise)."""
        return np.asarray(np.round(self.low + np.asarray(x) * self.width, 9))

    def actors(self) -> list[dict[str, Any]]:
        """Each actor's final position per issue and the probability that it prevails
        (the shape of ``forecast --format json``'s ``actors``), likeliest first."""
        final = self.on_scale(self.result.final)
        rows = [
            {
                "actor": actor,
                "final": {d: float(v) for d, v in zip(self.issues, final[k], strict=True)},
                "probability": float(self.result.probabilities[-1][k]),
            }
            for k, actor in enumerate(self.result.actors)
        ]
        return sorted(rows, key=lambda r: -r["probability"])

    def to_dict(self) -> dict[str, Any]:
        r = self.result
        return {
            "turns": r.turns,
            "last_ratio": r.ratios[-1] if r.ratios else None,
            "saliences_divided_by_issues": self.saliences_scaled,
            "actors": self.actors(),
            "outcomes": [
                {
                    "position": {
                        d: float(v) for d, v in zip(self.issues, self.on_scale(x), strict=True)
                    },
                    "probability": float(p),
                }
                for x, p in zip(r.outcomes, r.outcome_probabilities, strict=True)
            ],
            "trajectory": {
                actor: [
                    {d: float(v) for d, v in zip(self.issues, self.on_scale(pos), strict=True)}
                    for pos in r.positions[:, k]
                ]
                for k, actor in enumerate(r.actors)
            },
        }


class Spatial(LinkedModel):
    """KTAB's spatial model of politics: all the issues at once, as dimensions of one space
    (Wise, Lester & Efird 2015; KTAB's ``examples/smp``). See :func:`run_spatial`.

    The options are KTAB's, named as in docs/models/spatial.md, with KTAB's defaults.
    ``point`` says which single number stands for an issue's forecast: the mean of the
    distinct final positions weighted by the probability that each prevails (``mean``), or
    the likeliest of them (``mode``).
    """

    name: ClassVar[str] = "spatial"
    title: ClassVar[str] = "KTAB spatial model of politics (multi-issue bargaining)"
    citation: ClassVar[str] = (
        "Wise, Lester & Efird (2015), An Introduction to the KAPSARC Toolkit for Behavioral "
        "Analysis (KTAB) Using One-Dimensional Spatial Models; KTAB examples/smp"
    )

    def __init__(
        self,
        victory: str = "linear",
        pce: str = "conditional",
        voting: str = "prop",
        transition: str = "deterministic",
        risk_adjust: str = "one-third",
        risk_range: str = "mid",
        commitment: str = "semi",
        interpolation: str = "s2p2",
        max_turns: int = 100,
        seed: int = 0,
        point: str = "mean",
    ) -> None:
        given = {
            "victory": victory,
            "pce": pce,
            "voting": voting,
            "transition": transition,
            "risk_adjust": risk_adjust,
            "risk_range": risk_range,
            "commitment": commitment,
            "interpolation": interpolation,
            "point": point,
        }
        for key, value in given.items():
            if value not in _CHOICES[key]:
                raise ValueError(
                    f"the spatial model's option {key} is one of {', '.join(_CHOICES[key])} "
                    f"(got {value!r})"
                )
        whole_number("max_turns", max_turns, 2)
        whole_number("seed", seed, 0)
        self._given = {**given, "max_turns": max_turns, "seed": seed}
        self.opts = SpatialOptions(
            victory=victory,  # type: ignore[arg-type]
            pce=pce,  # type: ignore[arg-type]
            voting=voting,  # type: ignore[arg-type]
            transition=transition,  # type: ignore[arg-type]
            risk_adjust=risk_adjust,  # type: ignore[arg-type]
            risk_range=risk_range,  # type: ignore[arg-type]
            commitment=commitment,  # type: ignore[arg-type]
            interpolation=interpolation,  # type: ignore[arg-type]
            max_turns=max_turns,
            seed=seed,
        )
        self.point = point

    @classmethod
    def option_names(cls) -> tuple[str, ...]:
        return (*_CHOICES, "max_turns", "seed")

    @property
    def options(self) -> dict[str, Any]:
        return dict(self._given)

    def run_scenario(self, scenario: Scenario) -> LinkedRun:
        """Run the model on every issue of the scenario at once."""
        issues = scenario.issue_ids
        for actor in scenario.actors:
            missing = [i for i in issues if i not in actor.stances]
            if missing:
                raise NotApplicable(
                    f"the spatial model needs every actor's position on every issue; "
                    f"{actor.id} has none on {', '.join(missing)}"
                )
        if len(scenario.actors) < 2:
            raise NotApplicable("the spatial model needs two actors or more")
        low = np.array([scenario.issue(i).scale.low for i in issues])
        width = np.array([scenario.issue(i).scale.width for i in issues])
        x = np.array([[a.stances[i].position.value for i in issues] for a in scenario.actors])
        x = (x - low) / width
        s = np.array([[a.stances[i].salience.value for i in issues] for a in scenario.actors])
        if (s.sum(axis=1) == 0).any():
            raise NotApplicable("the spatial model needs every actor to care about some issue")
        scaled = bool((s.sum(axis=1) > 1 + 1e-12).any())
        if scaled:  # KTAB's saliences are shares of attention: at most 1 in all
            s = s / len(issues)
        c = np.array([a.capability.value for a in scenario.actors])
        result = run_spatial(
            x, s, c, self.opts, actors=scenario.actor_ids, dimensions=tuple(issues)
        )
        details = SpatialDetails(
            result=result, issues=tuple(issues), low=low, width=width, saliences_scaled=scaled
        )
        if self.point == "mean":
            point = result.outcome_probabilities @ result.outcomes
        else:
            point = result.outcomes[int(np.argmax(result.outcome_probabilities))]
        values = details.on_scale(point)
        return LinkedRun(
            forecasts={i: float(v) for i, v in zip(issues, values, strict=True)},
            details=details,
        )
