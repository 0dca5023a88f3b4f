"""The building blocks of KTAB's spatial model (kmodel.cpp, smp.cpp, smpbcn.cpp): votes,
victory laws, probabilistic Condorcet elections, risk attitudes, challenges and bargains.

Written from a specification of KTAB's C++ sources (Wise, Lester & Efird 2015; KTAB
``kmodel`` and ``examples/smp``, MIT licence); see :mod:`statecraft.models.spatial`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from statecraft.models.base import ModelOptions

__all__ = [
    "ELECTION_VOTES",
    "MARKOV_ITERATIONS",
    "MIN_GAIN",
    "POSITION_TOLERANCE",
    "SpatialOptions",
    "bargain_points",
    "challenge_gains",
    "distinct_outcomes",
    "elect",
    "prevailing_probabilities",
    "risk_utility",
    "scalar_pce",
    "turn_setup",
    "vote",
    "weighted_distance",
]

VictoryLaw = Literal["linear", "square", "quartic", "octic", "binary"]
PCEModel = Literal["conditional", "markov-incentive", "markov-uniform"]
VotingRule = Literal["binary", "prop-bin", "prop", "prop-cbc", "cubic", "asym-prosp"]
Transition = Literal["deterministic", "stochastic"]
RiskAdjust = Literal["none", "one-third", "half", "two-thirds", "full"]
RiskRange = Literal["min", "mid", "max"]
Commitment = Literal["none", "semi", "full"]
Interpolation = Literal["s1p1", "s2p2", "s2pmax"]
Point = Literal["mean", "mode"]

_MIN_COALITION = 1e-8  # KTAB kmodel.cpp, Model::coalitions
_MIN_CHALLENGE = 1e-10  # KTAB smpbcn.cpp, probEduChlg
POSITION_TOLERANCE = 1e-3  # KTAB smp.h, posTol: positions closer than this are one
MIN_GAIN = 1e-5  # KTAB smpbcn.cpp, bestChallenge: a smaller gain is no reason to challenge
#: The most iterations of a Markov election before its limit is taken by squaring (_limit).
MARKOV_ITERATIONS = 1000
#: The most votes (voters x options^2 x elections) that :func:`elect` holds at once: the
#: actors' elections of one size run in chunks of at most this many (only to bound memory).
ELECTION_VOTES = 2e7
#: Win probabilities that span no more than this are a tie (:func:`_risk`): they are
#: computed to about 1e-15, so a smaller spread is rounding, and dividing by it would turn
#: the rounding into risk attitudes, even outside their range.
RISK_TIE = 1e-12


class SpatialOptions(ModelOptions):
    """KTAB's named options, with KTAB's defaults (kmodel.h, smp.h); see
    docs/models/spatial.md. ``point`` is ours: which single number stands for an issue's
    forecast."""

    victory: VictoryLaw = Field(default="linear", description="KTAB's VPModel: the victory law.")
    pce: PCEModel = Field(
        default="conditional", description="KTAB's PCEModel: the probabilistic Condorcet election."
    )
    voting: VotingRule = Field(default="prop", description="KTAB's VotingRule (vrCltn).")
    transition: Transition = Field(
        default="deterministic",
        description="KTAB's StateTransMode: each actor takes the likeliest bargain, or draws one.",
    )
    risk_adjust: RiskAdjust = Field(
        default="one-third", description="KTAB's BigRAdjust: how far risk attitudes adjust."
    )
    risk_range: RiskRange = Field(
        default="mid",
        description="KTAB's BigRRange: the span of risk attitudes, min [0, 1], mid [-0.5, 1], "
        "max [-1, 1].",
    )
    commitment: Commitment = Field(
        default="semi", description="KTAB's ThirdPartyCommit: how third parties join."
    )
    interpolation: Interpolation = Field(
        default="s2p2", description="KTAB's InterVecBrgn: how a bargain is interpolated."
    )
    max_turns: int = Field(default=100, ge=2, le=200, description="The most turns (maxIter).")
    min_turns: int = Field(default=2, ge=1, le=200, description="The fewest turns (minIter).")
    stop_ratio: float = Field(
        default=0.02,
        ge=0.0,
        le=1.0,
        description="Stop when a turn moves less than this share of the first (minDeltaRatio).",
    )
    point: Point = Field(
        default="mean",
        description="An issue's forecast: the probability-weighted mean of the distinct final "
        "positions, or the likeliest of them (mode).",
    )


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
    start = p
    for _ in range(MARKOV_ITERATIONS):
        if model == "markov-uniform":
            q = (pv * (p[..., :, None] + p[..., None, :])).sum(axis=-1) / count
        else:
            ct = p[..., :, None] * np.swapaxes(q_chal, -1, -2)  # ct[i, j] = p_i Q[j->i]
            q = (pv * (ct + np.swapaxes(ct, -1, -2))).sum(axis=-1)
        done = np.all(np.abs(q - p) <= tol)
        p = (p + q) / 2
        if done:
            return np.asarray(p)
    # A chain that mixes slowly (victory probabilities of 1e-6 under the binary law): the
    # limit of the same iteration, p <- L p with L = (I + A) / 2, by squaring L.
    if model == "markov-uniform":
        step = (pv.sum(axis=-1)[..., None] * np.eye(pv.shape[-1]) + pv) / count[..., None]
    else:
        own = (pv * np.swapaxes(q_chal, -1, -2)).sum(axis=-1)
        step = own[..., None] * np.eye(pv.shape[-1]) + pv * q_chal
    return _limit((np.eye(pv.shape[-1]) + step) / 2, start)


def _limit(lazy: np.ndarray, start: np.ndarray) -> np.ndarray:
    """``lim L^t p`` for the lazy chain ``L`` (..., M, M) (columns summing to 1) from ``p``
    (..., M): by squaring, L^(2^k), until it stops changing (at most 2^64 steps), each
    square's columns rescaled to sum to 1 (rounding would otherwise compound). A lazy
    chain is aperiodic, so the limit exists, reducible or not; it is the point the power
    iteration tends to, reached in at most 64 matrix products however slowly it mixes."""
    power = lazy
    for _ in range(64):
        nxt = power @ power
        nxt = nxt / np.maximum(nxt.sum(axis=-2, keepdims=True), 1e-300)
        done = np.all(np.abs(nxt - power) <= 1e-12)
        power = nxt
        if done:
            break
    # no clip needed: products and sums of numbers >= 0 are >= 0
    return np.asarray((power @ start[..., None])[..., 0])


def risk_utility(d: np.ndarray, r: np.ndarray) -> np.ndarray:
    """KTAB's utility of a distance d in [0, 1] for a risk attitude r (``bsUtil``)."""
    return np.asarray(np.where(d <= 1, (1 - d) * (1 + d * r), (1 - d) * (1 + r)))


def weighted_distance(x: np.ndarray, s2: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Salience-weighted Euclidean distance from each actor i (x, s2 = salience squared,
    (n, D)) to each point of y (M, D): (n, M)."""
    diff = x[:, None, :] - y[None, :, :]
    return np.asarray(np.sqrt((s2[:, None, :] * diff**2).sum(-1) / s2.sum(axis=1)[:, None]))


def _risk(p: np.ndarray, span: RiskRange) -> np.ndarray:
    """Risk attitudes from win probabilities (``bigRfromProb``): the likeliest +1."""
    lo, hi = p.min(), p.max()
    if hi - lo <= RISK_TIE:  # every position equally likely (KTAB divides by zero at 0)
        return np.zeros_like(p)
    if span == "min":
        return np.asarray((p - lo) / (hi - lo))
    if span == "mid":
        return np.asarray((3 * p - (hi + 2 * lo)) / (2 * (hi - lo)))
    return np.asarray((2 * p - (hi + lo)) / (hi - lo))


_ADJUST = {"none": 0.0, "one-third": 1 / 3, "half": 0.5, "two-thirds": 2 / 3, "full": 1.0}


def turn_setup(
    x: np.ndarray, s2: np.ndarray, c: np.ndarray, opts: SpatialOptions
) -> tuple[np.ndarray, np.ndarray]:
    """A state's risk attitudes (n,) and perceived utilities A[h, i, j]: h's estimate of
    the utility to i of j's position (``setAllAUtil``)."""
    dist = weighted_distance(x, s2, x)
    neutral = scalar_pce(c, (1 - dist)[None, :, :], opts)[0]
    r = _risk(neutral, opts.risk_range)
    k = _ADJUST[opts.risk_adjust]
    perceived = (1 - k) * r[:, None] + k * r[None, :]  # [h, i]
    return r, risk_utility(dist[None, :, :], perceived[:, :, None])


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


def challenge_gains(
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


def bargain_points(
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


def distinct_outcomes(
    x: np.ndarray, s2: np.ndarray, c: np.ndarray, r: np.ndarray, opts: SpatialOptions
) -> tuple[list[int], np.ndarray]:
    """The distinct positions (as indices of actors holding them) and the probability that
    each prevails."""
    reps = _unique(x)
    utility = risk_utility(weighted_distance(x, s2, x[reps]), r[:, None])
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


def prevailing_probabilities(x: np.ndarray, reps: list[int], p: np.ndarray) -> np.ndarray:
    """The probability that each actor's position prevails, from the election among the
    distinct positions (:func:`outcome`; KTAB's ``posProb``)."""
    near = np.linalg.norm(x[:, None, :] - x[reps][None, :, :], axis=-1) < POSITION_TOLERANCE
    last = len(reps) - 1 - np.argmax(near[:, ::-1], axis=1)  # KTAB takes the last match
    return np.asarray(p[last])


def elect(
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
        chunk = max(1, int(ELECTION_VOTES // (n * width * width)))
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
