"""The spatial model's option values, each against a case worked by hand where it differs
from the default (issue 22): the victory laws (binary, quartic, octic), the Markov elections,
how far risk attitudes adjust, third-party commitment, the bargain's interpolation, and the
turn limits. ``tests/test_spatial.py`` has the defaults, ``square``, the voting rules, the
risk ranges and the point forecast. The formulas are KTAB's (kmodel.cpp, smp.cpp,
smpbcn.cpp; Wise, Lester & Efird 2015), as docs/models/spatial.md gives them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from statecraft.models.spatial import SpatialOptions, run_spatial
from statecraft.models.spatial_blocks import (
    bargain_points,
    challenge_gains,
    risk_utility,
    scalar_pce,
    turn_setup,
    weighted_distance,
)

E = 1e-8  # KTAB adds this to every coalition (kmodel.cpp, Model::coalitions)

# --- the victory laws ----------------------------------------------------------------------

# Two options, voters of weight 1 and 3: the first prefers option 0 by 0.5, the second
# option 1 by 0.2, so the coalitions are 0.5 for 0 over 1 and 0.6 for 1 over 0 (as in
# test_spatial.py's two-option election).
TWO = np.array([[[1.0, 0.5], [0.3, 0.5]]])
W = np.array([1.0, 3.0])
C01, C10 = E + 0.5, E + 0.6


@pytest.mark.parametrize(("law", "power"), [("linear", 1), ("quartic", 4), ("octic", 8)])
def test_power_victory_laws_by_hand(law: Any, power: int) -> None:
    p = scalar_pce(W, TWO, SpatialOptions(victory=law))[0]
    # P(0 beats 1) = C01^k / (C01^k + C10^k); with two options the election gives option 0
    # that probability: (0.5/1.1 = 0.4545 linear, 0.0625/0.1921 = 0.3254 quartic,
    # 0.0039/0.0207 = 0.1889 octic)
    want = C01**power / (C01**power + C10**power)
    assert p[0] == pytest.approx(want, rel=1e-12)
    assert p[1] == pytest.approx(1 - want, rel=1e-12)


def test_binary_victory_law_by_hand() -> None:
    """KTAB's binary law (Model::vProb, VPModel::Binary, threshold t = 1.1): a side at least
    1.1 times as strong as the other wins with odds 1 : 1e-6; between, the odds rise linearly
    in its share r = s1 / (s1 + s2): x1 = (r (t + 1) - 1) / (t - 1), x2 = 1 - x1."""
    # 0.6 >= 1.1 x 0.5: option 1 wins outright, option 0 keeps 1e-6 / (1 + 1e-6)
    p = scalar_pce(W, TWO, SpatialOptions(victory="binary"))[0]
    # the coalitions carry 1e-8 each, which changes nothing past the threshold
    assert p[0] == pytest.approx(1e-6 / (1 + 1e-6), rel=1e-12)
    # voters of weight 1 and 1.05 x 0.5 / 0.2 = 2.625: coalitions 0.5 and 0.525, within
    # the threshold; r = 0.5 / 1.025 = 0.48780, x1 = (0.48780 x 2.1 - 1) / 0.1 = 0.24390
    close = scalar_pce(np.array([1.0, 2.625]), TWO, SpatialOptions(victory="binary"))[0]
    c01, c10 = E + 0.5, E + 0.525
    r = c01 / (c01 + c10)
    assert close[0] == pytest.approx((r * 2.1 - 1) / 0.1, rel=1e-12)
    assert close[0] == pytest.approx(0.24390, abs=5e-6)  # the rounded figure above: half a digit
    linear = scalar_pce(np.array([1.0, 2.625]), TWO, SpatialOptions())[0]
    assert linear[0] == pytest.approx(r, rel=1e-12)  # the default: 0.48780


# --- the Markov elections ------------------------------------------------------------------


def _three_options() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two voters, three options; the pairwise victory probabilities pv[a, b] by hand."""
    u = np.array([[[1.0, 0.5, 0.0], [0.2, 0.9, 0.4]]])
    w = np.array([1.0, 2.0])
    votes = w[:, None, None] * (u[0][:, :, None] - u[0][:, None, :])  # [voter, a, b]
    coal = E + np.maximum(votes, 0).sum(axis=0)
    np.fill_diagonal(coal, E)
    pv = coal / (coal + coal.T)  # the linear law
    return u, w, pv


def _stationary(step: np.ndarray) -> np.ndarray:
    """The distribution p with step @ p = p, from the eigenvector of eigenvalue 1."""
    values, vectors = np.linalg.eig(step)
    v = np.real(vectors[:, np.argmin(np.abs(values - 1))])
    return np.asarray(v / v.sum())


def test_markov_uniform_election_is_the_fixed_point_of_ktabs_chain() -> None:
    """KTAB's markovUniformPCE: p_a = sum_b pv[a, b] (p_a + p_b) / M at its fixed point, a
    linear system solved here directly (the model iterates to it)."""
    u, w, pv = _three_options()
    m = 3
    step = (np.diag(pv.sum(axis=1)) + pv) / m
    want = _stationary(step)
    got = scalar_pce(w, u, SpatialOptions(pce="markov-uniform"))[0]
    np.testing.assert_allclose(got, want, atol=1e-5)  # the model stops at a 1e-6 step
    conditional = scalar_pce(w, u, SpatialOptions())[0]  # the default: products of pv
    np.testing.assert_allclose(conditional, pv.prod(axis=1) / pv.prod(axis=1).sum(), rtol=1e-9)
    assert np.abs(got - conditional).max() > 0.01  # the option changes the answer


def test_markov_incentive_election_is_the_fixed_point_of_ktabs_chain() -> None:
    """KTAB's markovIncentivePCE: b challenges a with probability Q[b->a] proportional to
    coalition x victory probability C[b, a] pv[b, a] (over the challengers b of a), and
    p_a = sum_b pv[a, b] (p_a Q[b->a] + p_b Q[a->b]) at the fixed point."""
    u, w, pv = _three_options()
    votes = w[:, None, None] * (u[0][:, :, None] - u[0][:, None, :])
    coal = E + np.maximum(votes, 0).sum(axis=0)
    np.fill_diagonal(coal, E)
    inc = coal * pv + np.eye(3) * 1e-10
    q = inc / inc.sum(axis=0, keepdims=True)  # q[b, a] = Q[b->a]
    step = np.diag((pv * q.T).sum(axis=1)) + pv * q
    want = _stationary(step)
    got = scalar_pce(w, u, SpatialOptions(pce="markov-incentive"))[0]
    np.testing.assert_allclose(got, want, atol=1e-6)  # the model stops at a 1e-8 step
    uniform = scalar_pce(w, u, SpatialOptions(pce="markov-uniform"))[0]
    assert np.abs(got - uniform).max() > 0.01


# --- risk attitudes: how far each actor's view adjusts ---------------------------------------


@pytest.mark.parametrize(("adjust", "k"), [("none", 0.0), ("half", 0.5), ("full", 1.0)])
def test_risk_adjustment_mixes_the_estimators_and_the_actors_views(adjust: Any, k: float) -> None:
    """KTAB's BigRAdjust: h's estimate of i's risk attitude is (1 - k) r_h + k r_i, adjusted
    from h's own attitude towards i's: k = 0 for none (h projects its own), 1 for full (h
    sees i as i is), 1/3 by default ((2 R_h + R_i) / 3, docs/models/spatial.md)."""
    x = np.array([[0.1], [0.5], [0.8]])
    s2 = np.array([[1.0], [0.49], [0.25]])
    c = np.array([1.0, 2.0, 3.0])
    r, au = turn_setup(x, s2, c, SpatialOptions(risk_adjust=adjust))
    dist = weighted_distance(x, s2, x)  # one dimension: |x_i - x_j|
    np.testing.assert_allclose(dist, np.abs(x - x.T), atol=1e-15)
    for h in range(3):
        for i in range(3):
            seen = (1 - k) * r[h] + k * r[i]
            np.testing.assert_allclose(au[h, i], risk_utility(dist[i], np.array(seen)), rtol=1e-12)
    assert np.ptp(r) > 0  # the attitudes differ, so the estimates do
    _, default = turn_setup(x, s2, c, SpatialOptions())
    assert np.abs(au - default).max() > 1e-3


# --- third-party commitment ----------------------------------------------------------------

# Everyone's view is the same, A[h, i, j] = U[i, j]: the utility to i of j's position.
U = np.array([[1.0, 0.4, 0.2], [0.3, 1.0, 0.6], [0.5, 0.7, 1.0]])
AU = np.broadcast_to(U, (3, 3, 3)).copy()
CAP = np.array([1.0, 2.0, 1.5])
SIGMA = np.full(3, 0.5)


def test_third_parties_sit_out_under_no_and_full_commitment() -> None:
    """KTAB's thirdPartyVoteSU compares n's utility of joining i (i+n against j) with that of
    joining j (i against j+n), with the same probability p that i's side wins either way. Under
    no commitment both are p (2 u_ni + u_nn) + (1 - p)(2 u_nj + u_nn); under full commitment
    both are 3 p u_ni + 3 (1 - p) u_nj: n is indifferent, its vote is 0, and only the two
    principals decide. Pair (0, 1), prop voting, w = capability x total salience:
    a_0 = 0.5 (1 - 0.4) = 0.3 for 0, a_1 = 1 (0.3 - 1) = -0.7 against, so P = 0.3 / 1.0."""
    p_none, gain_none = challenge_gains(AU, CAP, SIGMA, SpatialOptions(commitment="none"))
    p_full, gain_full = challenge_gains(AU, CAP, SIGMA, SpatialOptions(commitment="full"))
    np.testing.assert_array_equal(p_none, p_full)
    np.testing.assert_array_equal(gain_none, gain_full)
    e = 1e-10  # KTAB's floor on each side of a challenge
    assert p_none[0, 1] == pytest.approx((0.3 + e) / (1.0 + 2 * e), rel=1e-12)
    # i's gain: (1 - s_j) 2 u_ii + s_j (P 2 u_ii + (1 - P) 2 u_ij) - (u_ii + u_ij), s_j = 0.5
    p = p_none[0, 1]
    assert gain_none[0, 1] == pytest.approx(0.5 * 2 + 0.5 * (p * 2 + (1 - p) * 0.8) - 1.4)


def test_semi_commitment_lets_a_third_party_weigh_in_by_hand() -> None:
    """The default, semi: joining i is worth p (2 u_ni + u_nn) + (1 - p) 3 u_nj, joining j
    p 3 u_ni + (1 - p)(2 u_nj + u_nn). Pair (0, 1), third party 2 (u_20 = 0.5, u_21 = 0.7,
    u_22 = 1, weight 0.75): its first vote 0.75 (0.5 - 0.7) = -0.15 goes to 1's side, so
    p = 0.3 / (0.3 + 0.7 + 0.15) = 0.26087; joining 0 is worth 2p + 2.1 (1 - p), joining 1
    1.5 p + 2.4 (1 - p), a difference of 0.8 p - 0.3 = -0.09130: its vote 0.75 x -0.09130 =
    -0.06848 joins 1's coalition, and P = 0.3 / (1.0 + 0.06848) = 0.28077 (against 0.3
    without it)."""
    p_semi, _ = challenge_gains(AU, CAP, SIGMA, SpatialOptions())
    e = 1e-10
    first = (0.3 + e) / (0.3 + e + 0.7 + e + 0.15)
    vote = 0.75 * (0.8 * first - 0.3)
    assert vote == pytest.approx(-0.06848, abs=5e-6)  # the rounded figures above: half a digit
    assert p_semi[0, 1] == pytest.approx((0.3 + e) / (1.0 + 2 * e - vote), rel=1e-12)
    assert p_semi[0, 1] == pytest.approx(0.28077, abs=5e-6)  # as above


def test_no_and_full_commitment_give_the_same_run_and_semi_another() -> None:
    x = np.array([[0.1], [0.4], [0.7], [0.95]])
    s = np.array([[0.9], [0.5], [0.8], [0.3]])
    c = np.array([3.0, 1.0, 2.0, 1.5])
    none = run_spatial(x, s, c, SpatialOptions(commitment="none", max_turns=8))
    full = run_spatial(x, s, c, SpatialOptions(commitment="full", max_turns=8))
    semi = run_spatial(x, s, c, SpatialOptions(max_turns=8))
    np.testing.assert_array_equal(none.positions, full.positions)
    assert none.positions.shape != semi.positions.shape or not np.array_equal(
        none.positions, semi.positions
    )


# --- the bargain's interpolation -----------------------------------------------------------

# Actor 0 at 0.2 (salience 1) challenges actor 1 at 0.8 (salience 0.5), and 1 challenges 0;
# P[0, 1] = 0.3 that 0 prevails over 1, P[1, 0] = 0.7.
X2 = np.array([[0.2], [0.8]])
S2 = np.array([[1.0], [0.5]])
P2 = np.array([[0.5, 0.3], [0.7, 0.5]])
TARGET = np.array([1, 0])


def test_s2pmax_moves_only_the_weaker_side_by_hand() -> None:
    """KTAB's s2pmax: the side less likely to prevail moves a share d s_other^2 / (d
    s_other^2 + 1e-6 + (1 - d) s_own^2) of the way, d = the difference of the two
    probabilities; the stronger side stays. Here d = 0.4: 0.4 x 0.25 / (0.1 + 1e-6 + 0.6) =
    0.142857, so 0 moves from 0.2 to 0.2 + 0.142857 x 0.6 = 0.285714."""
    bi, bj = bargain_points(X2, S2, P2, TARGET, SpatialOptions(interpolation="s2pmax"))
    share = 0.4 * 0.25 / (0.4 * 0.25 + 1e-6 + 0.6 * 1.0)
    # 0's bargain with 1: 0 moves, 1 stays
    assert bi[0, 0] == pytest.approx(0.2 + share * 0.6, rel=1e-12)
    assert bj[0, 0] == pytest.approx(0.8, rel=1e-12)
    # 1's bargain with 0: again 0 (the target now) moves the same share, 1 stays
    assert bi[1, 0] == pytest.approx(0.8, rel=1e-12)
    assert bj[1, 0] == pytest.approx(0.2 + share * 0.6, rel=1e-12)
    assert bi[0, 0] == pytest.approx(0.285714, abs=5e-7)  # the figure above, to its 6 places


@pytest.mark.parametrize(("interpolation", "power"), [("s1p1", 1), ("s2p2", 2)])
def test_s1p1_and_s2p2_meet_at_a_weighted_point_by_hand(interpolation: Any, power: int) -> None:
    """Both sides move to one point, weighted by (s P)^a for each side, a = 1 (s1p1) or 2
    (s2p2, the default), rounded to 4 decimals. 0's bargain with 1: weights 0.3 and 0.35
    (s1p1: 0.2 x 0.3 / 0.65 + ... = 0.5231) or 0.09 and 0.1225 (s2p2: 0.5459)."""
    bi, bj = bargain_points(X2, S2, P2, TARGET, SpatialOptions(interpolation=interpolation))
    wi, wj = (1.0 * 0.3) ** power, (0.5 * 0.7) ** power
    want = ((wi + 1e-6) * 0.2 + wj * 0.8) / (wi + wj + 1e-6)
    assert bi[0, 0] == pytest.approx(np.floor(0.5 + 1e4 * want) / 1e4, abs=1e-12)
    assert bi[0, 0] == {1: 0.5231, 2: 0.5459}[power]
    assert bj[0, 0] == pytest.approx(bi[0, 0], abs=1e-4)  # within a rounding step


# --- the turn limits -----------------------------------------------------------------------

XS = np.array([[0.05, 0.9], [0.35, 0.2], [0.6, 0.55], [0.95, 0.1], [0.5, 0.95]])
SS = np.array([[0.6, 0.4], [0.5, 0.5], [0.3, 0.7], [0.8, 0.2], [0.5, 0.4]])
CS = np.array([1.0, 2.5, 1.5, 3.0, 2.0])


def test_turn_limits_cut_or_extend_the_same_run() -> None:
    """A run stops after the first turn from min_turns on whose movement is under stop_ratio
    of the first turn's, and at max_turns at the latest; a shorter or longer run is the same
    run cut or continued (the default transition is deterministic)."""
    long = run_spatial(XS, SS, CS, SpatialOptions(stop_ratio=0.0, max_turns=12))
    assert long.turns == 12  # a ratio is never below 0
    ratios = np.array(long.ratios)
    assert ratios[0] == pytest.approx(1.0, abs=1e-3)  # the first turn over itself (+1e-4)
    default = run_spatial(XS, SS, CS)
    stop = 2 + int(np.argmax(ratios[1:] < 0.02))  # the first turn >= 2 under 0.02
    assert ratios[1:].min() < 0.02  # (so the default stops within these 12 turns)
    assert default.turns == stop
    np.testing.assert_array_equal(default.positions, long.positions[: stop + 1])
    short = run_spatial(XS, SS, CS, SpatialOptions(max_turns=2))
    np.testing.assert_array_equal(short.positions, long.positions[:3])
    late = run_spatial(XS, SS, CS, SpatialOptions(min_turns=stop + 2))
    assert late.turns >= stop + 2
    np.testing.assert_array_equal(late.positions, long.positions[: late.turns + 1])
    eager = run_spatial(XS, SS, CS, SpatialOptions(stop_ratio=1.0, min_turns=1))
    assert eager.turns == 1 + int(np.argmax(ratios < 1.0))


# --- the transition: the likeliest bargain, or one drawn -------------------------------------


def test_stochastic_transition_draws_by_the_elections_probabilities() -> None:
    """Actor 0 proposes a bargain to actor 1; each holds an election between staying put and
    that bargain. Voters of weight 1 and 2 value (stay, bargain) at (0.5, 0.7) and (0.6,
    0.3): the coalitions are 0.2 for the bargain and 0.6 against, so P(bargain) = 0.25 (to
    1e-8). Deterministic: both stay. Stochastic: each draws u and takes the option where the
    cumulative probability first reaches u, its options in KTAB's order (actor 0: stay, then
    its own bargain; actor 1: the bargain of a challenger before it, then stay)."""
    from statecraft.models.spatial_blocks import elect

    utility = np.array([[0.5, 0.7], [0.6, 0.3]])
    c = np.array([1.0, 2.0])
    args = (utility, np.array([0]), np.array([1]), c)
    p_bargain = (0.2 + E) / (0.8 + 2 * E)
    fixed = elect(*args, SpatialOptions(), np.random.default_rng(0))
    assert fixed.tolist() == [0, 0]  # 0: stay put
    stochastic = SpatialOptions(transition="stochastic")
    for seed in range(20):
        u = np.random.default_rng(seed).random(2)
        want = [int(u[0] > 1 - p_bargain), int(u[1] <= p_bargain)]
        assert elect(*args, stochastic, np.random.default_rng(seed)).tolist() == want
    rng = np.random.default_rng(7)
    took = np.array([elect(*args, stochastic, rng) for _ in range(2000)])
    # 2000 draws of a 0.25 chance: a standard error of 0.0097; 0.04 is four of them
    assert took.mean(axis=0) == pytest.approx([p_bargain, p_bargain], abs=0.04)
