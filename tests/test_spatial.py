"""KTAB's spatial model: its building blocks by hand, KTAB's own reference runs, invariants,
the model in forecasts and on the command line."""

from __future__ import annotations

import copy
import json
import tracemalloc
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from typer.testing import CliRunner

from statecraft import forecast
from statecraft.arrays import scenario_batch
from statecraft.cli import app
from statecraft.io import load
from statecraft.io._validate import build_scenario
from statecraft.models import Spatial, get_model, spatial_blocks
from statecraft.models.spatial import (
    SpatialDetails,
    SpatialOptions,
    _indifferent,
    _shares,
    rescaled_powers,
    run_spatial,
)
from statecraft.models.spatial_blocks import (
    MARKOV_ITERATIONS,
    _limit,
    _markov,
    _risk,
    _third_party,
    _unique,
    _victory,
    bargain_points,
    challenge_gains,
    elect,
    prevailing_probabilities,
    risk_utility,
    scalar_pce,
    vote,
    weighted_distance,
)
from tests.conftest import SHARED_DATA, TINY, requires_shared

runner = CliRunner()
KTAB = SHARED_DATA / "cases" / "ktab"


def _arrays(path: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    s = load(path)
    x = np.array([[a.stances[i].position.value / 100 for i in s.issue_ids] for a in s.actors])
    sal = np.array([[a.stances[i].salience.value for i in s.issue_ids] for a in s.actors])
    return x, sal, np.array([a.capability.value for a in s.actors])


# --- the building blocks, by hand ----------------------------------------------------------


def test_votes_by_hand() -> None:
    w, a, b = np.array(2.0), np.array(0.7), np.array(0.4)  # the voter prefers a by 0.3
    assert vote("prop", w, a, b) == pytest.approx(0.6)
    assert vote("binary", w, a, b) == pytest.approx(2.0)
    assert vote("prop-bin", w, a, b) == pytest.approx(2 * (0.8 * 0.3 + 0.2))
    assert vote("cubic", w, a, b) == pytest.approx(2 * 0.027)
    assert vote("prop-cbc", w, a, b) == pytest.approx(2 * (0.15 + 0.0135))
    assert vote("asym-prosp", w, a, b) == pytest.approx(2 * 0.3 * 2 / 3)
    assert vote("asym-prosp", w, b, a) == pytest.approx(-0.6)  # losses weigh fully


def test_two_option_election_by_hand() -> None:
    # voters of weight 1 and 3; the first prefers option 0 by 0.5, the second option 1 by 0.2
    u = np.array([[[1.0, 0.5], [0.3, 0.5]]])
    p = scalar_pce(np.array([1.0, 3.0]), u, SpatialOptions())[0]
    c01, c10 = 1e-8 + 0.5, 1e-8 + 0.6  # the coalitions for 0 over 1, and 1 over 0
    assert p[0] == pytest.approx(c01 / (c01 + c10))
    square = scalar_pce(np.array([1.0, 3.0]), u, SpatialOptions(victory="square"))[0]
    assert square[0] == pytest.approx(c01**2 / (c01**2 + c10**2))


def test_three_option_conditional_election() -> None:
    # one voter: utilities 1, 0.5, 0 for options a, b, c
    u = np.array([[[1.0, 0.5, 0.0]]])
    p = scalar_pce(np.array([1.0]), u, SpatialOptions())[0]
    e = 1e-8
    pv = np.array(
        [
            [0.5, (0.5 + e) / (0.5 + 2 * e), (1 + e) / (1 + 2 * e)],
            [e / (0.5 + 2 * e), 0.5, (0.5 + e) / (0.5 + 2 * e)],
            [e / (1 + 2 * e), e / (0.5 + 2 * e), 0.5],
        ]
    )
    want = pv.prod(axis=1) / pv.prod(axis=1).sum()
    np.testing.assert_allclose(p, want, rtol=1e-9)


def test_masked_options_do_not_count() -> None:
    u = np.array([[[1.0, 0.5, 0.0], [0.2, 0.9, 0.1]]])
    w = np.array([1.0, 2.0])
    both = scalar_pce(w, u, SpatialOptions(), valid=np.array([[True, True, False]]))[0]
    alone = scalar_pce(w, u[..., :2], SpatialOptions())[0]
    np.testing.assert_allclose(both[:2], alone, rtol=1e-12)
    assert both[2] == 0


@pytest.mark.parametrize("pce", ["markov-uniform", "markov-incentive"])
def test_markov_elections_are_distributions(pce: str) -> None:
    rng = np.random.default_rng(3)
    u = rng.random((1, 5, 4))
    p = scalar_pce(rng.random(5) + 0.1, u, SpatialOptions(pce=pce))[0]  # type: ignore[arg-type]
    assert p.sum() == pytest.approx(1)
    assert (p >= 0).all()


@pytest.mark.parametrize("pce", ["markov-uniform", "markov-incentive"])
def test_markov_elections_of_two_options_by_hand(pce: str) -> None:
    """Two options: both Markov chains settle where option 0 holds the probability that it
    beats option 1. The voters of test_two_option_election_by_hand give coalitions 0.5 and
    0.6 (plus KTAB's 1e-8 each), so P = 0.5 / 1.1 = 5/11 and 6/11. (Uniform: the fixed point
    of q_0 = (p_0 + p(0 > 1)) / 2; incentive: each option is challenged only by the other,
    up to KTAB's 1e-10 on the diagonal.) Tolerance: the iteration stops within 1e-6."""
    u = np.array([[[1.0, 0.5], [0.3, 0.5]]])
    p = scalar_pce(np.array([1.0, 3.0]), u, SpatialOptions(pce=pce))[0]  # type: ignore[arg-type]
    np.testing.assert_allclose(p, [5 / 11, 6 / 11], atol=2e-6)


# Three options: option 0 beats 1 and 2 with probability 0.8 each (coalitions 4 to 1), 1 and
# 2 are even (1 to 1); the diagonal is 0.5 with KTAB's coalition floor of 1e-8.
_PV3 = np.array([[0.5, 0.8, 0.8], [0.2, 0.5, 0.5], [0.2, 0.5, 0.5]])
_COAL3 = np.array([[1e-8, 4.0, 4.0], [1.0, 1e-8, 1.0], [1.0, 1.0, 1e-8]])


def test_markov_uniform_election_of_three_options_by_hand() -> None:
    """KTAB's markovUniformPCE settles at p = A p with A[i, k] = (delta_ik sum_j pv[i, j] +
    pv[i, k]) / 3. By symmetry p_1 = p_2 = y, p_0 = x = 1 - 2y; row 0: 3x = 2.6x + 0.8(1 - x),
    so x = 2/3, y = 1/6 (row 1: 3y = 1.7y + 0.2x + 0.5y, 1.3/6 = 0.2 (2/3) + 0.5/6, checks).
    Tolerance: the iteration stops when a step moves less than 1e-6."""
    p = _markov("markov-uniform", _COAL3, _PV3, np.ones((3, 3), bool), np.ones(3, bool))
    np.testing.assert_allclose(p, [2 / 3, 1 / 6, 1 / 6], atol=5e-6)
    # it stops where KTAB's does, at its tolerance of 1e-6, not at the limit (2e-6 off here)
    assert abs(p[0] - 2 / 3) > 1e-7
    lazy = (np.eye(3) + (np.diag(_PV3.sum(axis=1)) + _PV3) / 3) / 2
    exact = _limit(lazy[None], np.full((1, 3), 1 / 3))[0]  # the fallback's limit, to 1e-12
    np.testing.assert_allclose(exact, [2 / 3, 1 / 6, 1 / 6], atol=1e-12)


def test_markov_incentive_election_of_three_options_by_hand() -> None:
    """KTAB's markovIncentivePCE: challengers of option j are drawn in proportion to their
    incentive coal[i, j] pv[i, j]: 3.2 for option 0 against 1 or 2, 0.2 for 1 or 2 against 0,
    0.5 between 1 and 2 (the diagonal ~5e-9 + 1e-10). So Q[1 -> 0] = Q[2 -> 0] = 0.2 / 0.4 =
    0.5, Q[0 -> 1] = 3.2 / 3.7, Q[2 -> 1] = 0.5 / 3.7 (and for 2 alike). The chain p = A p
    has A[i, i] = sum_j pv[i, j] Q[j -> i] and A[i, j] = pv[i, j] Q[i -> j]: A[0, 0] = 0.8,
    A[1, 0] = 0.2 x 0.5 = 0.1, A[1, 1] = (0.2 x 3.2 + 0.5 x 0.5) / 3.7 = 0.89 / 3.7,
    A[1, 2] = 0.25 / 3.7. With p_1 = p_2 = y and p_0 = x: y = 0.1x + (1.14 / 3.7) y, so
    y = 0.37x / 2.56 and x = 128/165, y = 37/330. Tolerance: the iteration stops when a step
    moves less than 1e-8 (5e-9 from the limit here), and the diagonal's floors move the
    limit by 2e-9; KTAB's 1e-6 of the uniform form would leave it about 5e-7 away."""
    p = _markov("markov-incentive", _COAL3, _PV3, np.ones((3, 3), bool), np.ones(3, bool))
    np.testing.assert_allclose(p, [128 / 165, 37 / 330, 37 / 330], atol=2e-8)
    # an option masked out takes no part: the two left are an election of two by hand
    valid = np.array([True, True, False])
    pair = valid[:, None] & valid[None, :]
    p = _markov("markov-incentive", _COAL3, _PV3, pair, valid)
    np.testing.assert_allclose(p, [0.8, 0.2, 0.0], atol=1e-6)
    p = _markov("markov-uniform", _COAL3, _PV3, pair, valid)
    np.testing.assert_allclose(p, [0.8, 0.2, 0.0], atol=5e-6)


_BATCH_VALID = np.array([[True, True, True], [True, True, False]])
_BATCH_PAIR = _BATCH_VALID[:, :, None] & _BATCH_VALID[:, None, :]
_BATCH_WANT = {
    "markov-uniform": [[2 / 3, 1 / 6, 1 / 6], [0.8, 0.2, 0.0]],
    "markov-incentive": [[128 / 165, 37 / 330, 37 / 330], [0.8, 0.2, 0.0]],
}


@pytest.mark.parametrize("pce", ["markov-uniform", "markov-incentive"])
@pytest.mark.parametrize("iterations", [MARKOV_ITERATIONS, 0])
def test_markov_elections_in_a_batch_and_by_their_limit(
    pce: str, iterations: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two elections above (three options; the first two alone) as one batch, as the
    actors' elections run: the same answers, and an option masked out exactly 0. With no
    iterations allowed, the limit is taken by squaring the lazy chain at once (the fallback
    for slowly mixing chains): the same answers, to rounding (the floors of the incentive
    form move it by 2e-9)."""
    monkeypatch.setattr(spatial_blocks, "MARKOV_ITERATIONS", iterations)
    calls: list[int] = []

    def counted(lazy: np.ndarray, start: np.ndarray) -> np.ndarray:
        calls.append(1)
        return _limit(lazy, start)

    monkeypatch.setattr(spatial_blocks, "_limit", counted)
    coal, pv = np.stack([_COAL3, _COAL3]), np.stack([_PV3, _PV3])
    p = _markov(pce, coal, pv, _BATCH_PAIR, _BATCH_VALID)  # type: ignore[arg-type]
    # these chains mix fast: KTAB's iteration settles them, the squaring is not needed
    assert len(calls) == (0 if iterations else 1)
    tol = (5e-6 if pce == "markov-uniform" else 2e-8) if iterations else 5e-9
    np.testing.assert_allclose(p, _BATCH_WANT[pce], atol=tol)
    assert p[1, 2] == 0.0


def test_markov_limit_of_a_batch_of_chains_by_hand() -> None:
    """Two lazy chains squared as one batch: the uniform chain of _PV3 settles at
    (2/3, 1/6, 1/6); a chain that moves state 2 to 0 and 1 evenly and keeps 0 and 1 settles,
    from (0.2, 0.3, 0.5), at (0.45, 0.55, 0)."""
    uniform = (np.eye(3) + (np.diag(_PV3.sum(axis=1)) + _PV3) / 3) / 2
    leak = (np.eye(3) + np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.0, 0.0, 0.0]])) / 2
    start = np.array([[1 / 3, 1 / 3, 1 / 3], [0.2, 0.3, 0.5]])
    p = _limit(np.stack([uniform, leak]), start)
    np.testing.assert_allclose(p, [[2 / 3, 1 / 6, 1 / 6], [0.45, 0.55, 0.0]], atol=1e-12)


def test_markov_incentive_fallback_reaches_the_chains_stationary_distribution(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An election that mixes too slowly for 1,000 iterations (from the binary law under
    extreme saliences, test_extremes.py): option 1 loses to both others with 1e-6, options 0
    and 2 are even on coalitions of 1e-8. The answer is the stationary distribution of the
    chain p = A p, with A[i, k] = delta_ik sum_j pv[i, j] Q[j -> i] + pv[i, k] Q[i -> k] and
    Q[i -> j] = inc[i, j] / sum_i' inc[i', j], inc = coal x pv (+ 1e-10 on the diagonal):
    built here with loops and solved as a linear system, independently of the squaring."""
    coal = np.array([[1e-8, 66.666666676666651, 1e-8], [8.4151034864523862, 1e-8,
                     12.622655224678581], [1e-8, 44.444444454444437, 1e-8]])  # fmt: skip
    e = 9.999990000010001e-07
    pv = np.array([[0.5, 1 - e, 0.5], [e, 0.5, e], [0.5, 1 - e, 0.5]])
    m = 3
    inc = [[coal[i, j] * pv[i, j] + (1e-10 if i == j else 0.0) for j in range(m)] for i in range(m)]
    q = [[inc[i][j] / sum(inc[k][j] for k in range(m)) for j in range(m)] for i in range(m)]
    a = np.array(
        [
            [
                (sum(pv[i, j] * q[j][i] for j in range(m)) if i == k else 0.0) + pv[i, k] * q[i][k]
                for k in range(m)
            ]
            for i in range(m)
        ]
    )
    want = np.linalg.lstsq(np.vstack([a - np.eye(m), np.ones(m)]), np.r_[np.zeros(m), 1.0])[0]
    calls: list[int] = []

    def counted(lazy: np.ndarray, start: np.ndarray) -> np.ndarray:
        calls.append(1)
        return _limit(lazy, start)

    monkeypatch.setattr(spatial_blocks, "_limit", counted)
    got = _markov("markov-incentive", coal, pv, np.ones((m, m), bool), np.ones(m, bool))
    assert calls == [1]  # the iteration did not settle: the fallback ran
    np.testing.assert_allclose(got, want, atol=1e-11)
    np.testing.assert_allclose(got, [0.4004987, 9.99e-7, 0.5995003], atol=1e-7)


def test_victory_laws_by_hand() -> None:
    """KTAB's vProb: strength 3 against 1 wins with 3/4 (linear), 9/10 (square), 81/82
    (quartic), 6561/6562 (octic). The binary law with threshold t = 1.1: a side at least
    1.1 times the other wins with 1 against 1e-6; between, the share r = s1 / (s1 + s2)
    maps linearly, (r (t + 1) - 1) / (t - 1): 1.05 against 1 gives
    (2.1 x 1.05 / 2.05 - 1) / 0.1 = 0.7561, and even strengths 1/2."""
    s1, s2 = np.array(3.0), np.array(1.0)
    for law, want in [("linear", 3 / 4), ("square", 9 / 10), ("quartic", 81 / 82)]:
        assert _victory(law, s1, s2) == pytest.approx(want, rel=1e-12)  # type: ignore[arg-type]
    assert _victory("octic", s1, s2) == pytest.approx(6561 / 6562, rel=1e-12)
    assert _victory("binary", s1, s2) == pytest.approx(1 / (1 + 1e-6), rel=1e-12)
    assert _victory("binary", s2, s1) == pytest.approx(1e-6 / (1 + 1e-6), rel=1e-9)
    assert _victory("binary", np.array(1.1), s2) == pytest.approx(1 / (1 + 1e-6), rel=1e-12)
    near = (2.1 * 1.05 / 2.05 - 1) / 0.1
    assert _victory("binary", np.array(1.05), s2) == pytest.approx(near, rel=1e-12)
    assert _victory("binary", s2, np.array(1.05)) == pytest.approx(1 - near, rel=1e-12)
    assert _victory("binary", s2, s2) == pytest.approx(0.5, rel=1e-12)


def test_third_party_commitments_by_hand() -> None:
    """KTAB's thirdPartyVoteSU, a third party n with p = 1/4 that i wins, u(i) = 0.6,
    u(j) = 0.2, u(n) = 0.9. none: joining either side leaves n's own position standing,
    1/4 (1.2 + 0.9) + 3/4 (0.4 + 0.9) = 1.5 both ways; semi: joining i and losing makes
    n adopt j (3 u(j)): 1/4 x 2.1 + 3/4 x 0.6 = 0.975, joining j and losing, 3 u(i):
    1/4 x 1.8 + 3/4 x 1.3 = 1.425; full: the winner's position for all three,
    1/4 x 1.8 + 3/4 x 0.6 = 0.9 both ways."""
    p, ui, uj, un = (np.array(v) for v in (0.25, 0.6, 0.2, 0.9))
    for commit, want in [("none", (1.5, 1.5)), ("semi", (0.975, 1.425)), ("full", (0.9, 0.9))]:
        got = _third_party(commit, p, ui, uj, un)  # type: ignore[arg-type]
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_bargain_points_by_hand() -> None:
    """Challenger 0 at 0.2 (salience 0.5), target 1 at 0.8 (salience 0.25), p = 0.6 that 0
    wins (0.3 from 1's side). s2p2: weights 0.5^2 0.6^2 = 0.09 and 0.25^2 0.4^2 = 0.01,
    (0.09 x 0.2 + 0.01 x 0.8) / 0.1 = 0.26 for both (KTAB's 1e-6 moves it by 6e-6, under the
    rounding to 1e-4). s1p1: weights 0.3 and 0.1, (0.06 + 0.08) / 0.4 = 0.35. s2pmax: only
    the side the other expects to lose moves: 0 stays at 0.2; 1 moves the share
    f = 0.3 x 0.25^2... of the way: dj = 0.6 - 0.3 = 0.3, f = dj si^2 / (dj si^2 + 1e-6 +
    (1 - dj) sj^2) = 0.075 / (0.075 + 1e-6 + 0.04375), so 0.8 - 0.6 f (not rounded)."""
    x, s = np.array([[0.2], [0.8]]), np.array([[0.5], [0.25]])
    p = np.array([[0.5, 0.6], [0.3, 0.5]])
    target = np.array([1, -1])
    for interp, want in [("s2p2", 0.26), ("s1p1", 0.35)]:
        bi, bj = bargain_points(x, s, p, target, SpatialOptions(interpolation=interp))  # type: ignore[arg-type]
        assert bi[0, 0] == pytest.approx(want, abs=1e-12)
        assert bj[0, 0] == pytest.approx(want, abs=1e-12)
    bi, bj = bargain_points(x, s, p, target, SpatialOptions(interpolation="s2pmax"))
    assert bi[0, 0] == pytest.approx(0.2, abs=1e-12)
    assert bj[0, 0] == pytest.approx(0.8 - 0.6 * 0.075 / (0.075 + 1e-6 + 0.04375), abs=1e-12)
    # rounding to 1e-4 of the scale, half up: weights 0.09 and 0.01 between 0.2 and 0.80012
    bi, _ = bargain_points(np.array([[0.2], [0.80012]]), s, p, target, SpatialOptions())
    assert bi[0, 0] == pytest.approx(0.2600, abs=1e-12)  # 0.260012 rounds down


def test_details_scaled_by_a_power_of_two_by_hand() -> None:
    """An issue on [10, 100] scaled by 2^3 is [80, 800]: the midpoint 0.5 of the run's
    [0, 1] is 80 + 0.5 x 720 = 440 (the contract's scaling of positions by powers of two)."""
    r = run_spatial(np.array([[0.0], [1.0]]), np.ones((2, 1)), np.array([3.0, 1.0]))
    d = SpatialDetails(r, ("a",), np.array([10.0]), np.array([90.0]), saliences_scaled=False)
    big = d.scaled(3)
    assert big.low.tolist() == [80.0]
    assert big.width.tolist() == [720.0]
    assert big.on_scale(np.array([0.5])).tolist() == [440.0]
    assert big.result is r
    assert d.scaled(-1).on_scale(np.array([0.5])).tolist() == [27.5]  # 5 + 0.5 x 45


def test_risk_attitudes_by_hand() -> None:
    p = np.array([0.2, 0.3, 0.5])
    np.testing.assert_allclose(_risk(p, "mid"), [-0.5, 0.0, 1.0], atol=1e-12)
    np.testing.assert_allclose(_risk(p, "min"), [0.0, 1 / 3, 1.0], atol=1e-12)
    np.testing.assert_allclose(_risk(p, "max"), [-1.0, -1 / 3, 1.0], atol=1e-12)
    assert (_risk(np.full(3, 1 / 3), "mid") == 0).all()  # KTAB divides by zero here


def test_distance_and_utility_by_hand() -> None:
    x = np.array([[0.0, 0.0]])
    s2 = np.array([[0.3**2, 0.4**2]])
    d = weighted_distance(x, s2, np.array([[1.0, 0.5]]))[0, 0]
    assert d == pytest.approx(np.sqrt((0.09 * 1 + 0.16 * 0.25) / 0.25))
    assert risk_utility(np.array(0.5), np.array(0.0)) == pytest.approx(0.5)
    assert risk_utility(np.array(0.5), np.array(1.0)) == pytest.approx(0.75)  # risk-averse
    assert risk_utility(np.array(0.5), np.array(-0.5)) == pytest.approx(0.375)


# --- KTAB's reference runs -------------------------------------------------------------------


@requires_shared
def test_ktab_reference_run_dummy_3dim() -> None:
    """KTAB's examples/smp/doc/20170530_ref-dummyData_3Dim.txt, all defaults: 11 states,
    the final positions and the probabilities of the first and last states."""
    r = run_spatial(*_arrays(KTAB / "dummyData_3Dim.csv"))
    assert r.turns == 10
    assert r.ratios[-1] == pytest.approx(0.0045, abs=5e-5)
    assert r.targets[0] == (6, 0, 6, 0, 0, 1, 1)
    want = [
        (78.56, 31.76, 74.05),
        (78.56, 31.76, 74.05),
        (82.45, 90.89, 0.07),
        (67.12, 50.12, 63.73),
        (78.60, 31.65, 74.11),
        (79.88, 34.37, 75.16),
        (78.60, 31.65, 74.11),
    ]
    np.testing.assert_allclose(r.final * 100, want, atol=1e-9)
    first = [0.0047, 0.0302, 0.0054, 0.1492, 0.6001, 0.1447, 0.0656]
    last = [0.3340, 0.3340, 0.0183, 0.0957, 0.1512, 0.4009, 0.1512]
    np.testing.assert_allclose(r.probabilities[0], first, atol=5e-5)
    np.testing.assert_allclose(r.probabilities[-1], last, atol=5e-5)
    # the second state, from KTAB's position history (one decimal)
    np.testing.assert_allclose(r.positions[1][0] * 100, [79.5, 44.7, 72.0], atol=0.05)
    np.testing.assert_allclose(r.positions[1][6] * 100, [75.6, 24.8, 72.0], atol=0.05)


@requires_shared
def test_ktab_reference_run_soe_policy_competition() -> None:
    """KTAB's 20170530_ref-SOE-Pol-Comp.txt: 28 states and the final positions."""
    r = run_spatial(*_arrays(KTAB / "SOE-Pol-Comp.csv"))
    assert r.turns == 27
    assert r.ratios[-1] == pytest.approx(0.0083, abs=5e-5)
    want = [
        (43.18, 43.30),
        (43.23, 43.27),
        (38.66, 28.82),
        (38.57, 28.79),
        (38.66, 28.82),
        (38.59, 29.52),
        (38.72, 28.97),
        (38.72, 28.97),
        (38.71, 28.95),
        (38.82, 30.72),
        (38.82, 30.77),
        (38.82, 30.77),
        (15.00, 60.00),
    ]
    np.testing.assert_allclose(r.final * 100, want, atol=1e-9)
    last = [0.2299, 0.2299, 0.1104, 0.1104, 0.1104, 0.2202]
    np.testing.assert_allclose(r.probabilities[-1][:6], last, atol=5e-5)
    assert r.probabilities[-1][-1] == pytest.approx(0.0002, abs=5e-5)


def test_units_of_power_change_nothing() -> None:
    """Two actors at 0 and 1 on one issue, powers 3 and 1 in any units: the first state's
    election (linear victory law, conditional election of two options) gives the first
    position 3 / (3 + 1) = 0.75. Before powers were rescaled to a largest of 100, KTAB's
    floor of 1e-8 on each coalition gave (1e-8 + 3e-9) / (2e-8 + 4e-9) = 13/24 at powers
    3e-9 and 1e-9."""
    x, s = np.array([[0.0], [1.0]]), np.ones((2, 1))
    for unit in (1e-9, 1.0, 1e9):
        r = run_spatial(x, s, np.array([3.0, 1.0]) * unit)
        np.testing.assert_allclose(r.probabilities[0], [0.75, 0.25], atol=1e-9)


def test_rescaled_powers_by_hand() -> None:
    """The largest power becomes 100 and each is rounded to 12 significant digits: whole
    numbers on KTAB's scale stay as they are, 3 and 1 in any unit become 100 and 100 / 3 =
    33.3333333333, and 130 and 37 become 100 and 3700 / 130 = 28.4615384615. Times 1e-3 or
    1e3 (products that are rounded), the same numbers to the last bit."""
    ktab = np.array([7.0, 35.0, 55.0, 100.0, 1.0])
    assert rescaled_powers(ktab).tolist() == ktab.tolist()
    assert rescaled_powers(np.array([3e-9, 1e-9])).tolist() == [100.0, 33.3333333333]
    assert rescaled_powers(np.array([130.0, 37.0])).tolist() == [100.0, 28.4615384615]
    assert rescaled_powers(np.array([2.0, 0.0])).tolist() == [100.0, 0.0]  # no weight: 0
    for c in (ktab, np.array([36.878514120181045, 69.282892352765, 100.0])):
        for factor in (1e-3, 1e3):
            assert rescaled_powers(c * factor).tolist() == rescaled_powers(c).tolist()


# Issue 22's finding: with voting=binary, powers that differ only in their last bit (as
# powers times 1e-3 and rescaled do) gave another forecast. Three actors on two issues
# (hypothesis found them, powers already rescaled as the old code did for c and c x 1e-3):
_X = np.array([[0.05240059289903685, 0.6488456467386404], [0.21784515063342277, 0.649796400842348],
               [0.09773971790466159, 0.6346653645408098]])  # fmt: skip
_S = np.array([[0.0, 0.06238828851728265], [0.38560995234285345, 0.15676825417512164],
               [0.0, 0.1702231713112333]])  # fmt: skip
_C0 = np.array([36.878514120181045, 69.282892352765, 100.0])
_C1 = np.array([36.87851412018105, 69.28289235276499, 100.0])  # _C0 but for the last bits


def test_binary_votes_do_not_turn_a_powers_last_bit_into_a_forecast() -> None:
    """The mechanism, by hand: a last bit of the powers moves the risk attitudes and so the
    utilities in their last bit (2^-53 ~ 1.1e-16 near 0.9); KTAB's binary vote is the
    difference over 1e-8, clipped to [-1, 1], so a voter of weight 69.28 casts
    69.28 x 1.1e-16 / 1e-8 = 7.7e-7 for a bargain worth one bit more, 77 times the floor of
    1e-8 on a coalition: a tie between two bargains worth the same became a choice. Before
    the fix, the third actor (the first here, 0.6488 on the second issue) stayed put with
    _C0 and moved to 0.6347 with _C1, and the forecast of the second issue moved from 0.6409
    to 0.6369. Now powers are rounded to 12 digits, so the runs are the same to the bit."""
    u = 0.8958082904314456
    assert vote("binary", np.array(69.28), np.array(np.nextafter(u, 1)), np.array(u)) == (
        pytest.approx(69.28 * 1.1102230246251565e-16 / 1e-8, rel=1e-12)
    )
    assert _C0[2] == _C1[2] == 100.0
    assert (_C0[:2] != _C1[:2]).all()
    opts = SpatialOptions(voting="binary")
    a = run_spatial(_X, _S, _C0, opts)
    for c in (_C1, _C0 * 1e-3, _C0 * 1e3):
        b = run_spatial(_X, _S, c, opts)
        assert np.array_equal(a.positions, b.positions)
        assert np.array_equal(a.outcome_probabilities, b.outcome_probabilities)


def test_ties_are_broken_in_ktabs_order_of_the_actors() -> None:
    """Two actors at 0.55 and 0.05 on one issue, saliences 0.8, powers 1: each position is
    as likely as the other (0.5), so both are risk-neutral (utility 1 - d); each challenges
    the other, with p = 0.5 and equal saliences, so each bargain puts both at the midpoint
    0.3. Every option of either actor is worth the same: staying put (1 + 0.5) / 2 = 0.75,
    a bargain (0.75 + 0.75) / 2 = 0.75, so each election gives 1/3 to each option. KTAB
    takes the first listed (``ndxMaxAbs`` keeps the first of equal values): the first
    actor's options are [stay, its bargain, the other's], so it stays; the second's are [the
    first's bargain, stay, its own], so it moves to 0.3. Listed the other way round, it is
    the actor at 0.55 that moves: the trajectories follow the actors' order where KTAB
    breaks a tie by it (docs/models/spatial.md, Order of actors)."""
    x, s, c = np.array([[0.55], [0.05]]), np.full((2, 1), 0.8), np.ones(2)
    a = run_spatial(x, s, c, SpatialOptions(max_turns=2, min_turns=2))
    b = run_spatial(x[::-1], s, c, SpatialOptions(max_turns=2, min_turns=2))
    assert a.targets[0] == b.targets[0] == (1, 0)
    np.testing.assert_allclose(a.probabilities[0], [0.5, 0.5], atol=1e-12)
    np.testing.assert_allclose(a.positions[1].ravel(), [0.55, 0.3], atol=1e-12)
    np.testing.assert_allclose(b.positions[1].ravel(), [0.05, 0.3], atol=1e-12)


# --- invariants ----------------------------------------------------------------------------

unit = st.floats(0, 1, allow_nan=False)


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(3, 7))
    d = draw(st.integers(1, 3))
    x = draw(arrays(float, (n, d), elements=unit))
    s = draw(arrays(float, (n, d), elements=st.floats(0.05, 1)))
    s = s / s.sum(axis=1, keepdims=True) * draw(st.floats(0.2, 1))
    c = draw(arrays(float, n, elements=st.floats(0.1, 100)))
    return x, s, c


@settings(max_examples=40, deadline=None)
@given(problems())
def test_positions_stay_within_the_initial_box(problem: Any) -> None:
    x, s, c = problem
    r = run_spatial(x, s, c, SpatialOptions(max_turns=12))
    lo, hi = x.min(axis=0) - 1e-4, x.max(axis=0) + 1e-4  # bargains round to 1e-4
    assert ((r.positions >= lo) & (r.positions <= hi)).all()
    assert r.outcome_probabilities.sum() == pytest.approx(1)
    assert ((r.probabilities >= 0) & (r.probabilities <= 1)).all()


@settings(max_examples=15, deadline=None)
@given(problems(), st.integers(0, 2**32 - 1))
def test_runs_repeat_exactly(problem: Any, seed: int) -> None:
    x, s, c = problem
    for transition in ("deterministic", "stochastic"):
        opts = SpatialOptions(max_turns=6, transition=transition)  # type: ignore[arg-type]
        a = run_spatial(x, s, c, opts, rng=np.random.default_rng(seed))
        b = run_spatial(x, s, c, opts, rng=np.random.default_rng(seed))
        np.testing.assert_array_equal(a.positions, b.positions)


def test_everyone_at_one_point_stays_there() -> None:
    x = np.full((4, 2), 0.3)
    s = np.full((4, 2), 0.5)
    r = run_spatial(x, s, np.arange(1.0, 5.0))
    np.testing.assert_array_equal(r.final, x)
    assert r.outcome_probabilities.tolist() == [1.0]


# --- the model in forecasts ------------------------------------------------------------------


def _complete() -> Any:
    data = copy.deepcopy(TINY)
    data["actors"][2]["stances"]["date"] = {"position": 5, "salience": 0.5}
    return build_scenario(data, file=None)


def test_spatial_forecast_on_a_scenario() -> None:
    s = _complete()
    f = forecast(s, "spatial")
    details = f.linked["spatial"]
    assert details.saliences_scaled  # actor a's saliences sum to 1.5
    for issue in s.issues:
        value = f.value(issue.id, "spatial")
        assert value is not None
        assert issue.scale.low <= value <= issue.scale.high
    actors = f.to_dict()["actors"]
    assert {a["actor"] for a in actors} == set(s.actor_ids)
    assert set(actors[0]["final"]) == {"tax", "date"}
    probs = [a["probability"] for a in actors]
    assert probs == sorted(probs, reverse=True)


def test_the_point_forecast_is_the_mean_or_the_mode() -> None:
    s = _complete()
    mean = forecast(s, get_model("spatial", point="mean"))
    mode = forecast(s, get_model("spatial", point="mode"))
    r = mean.linked["spatial"].result
    tax = s.issue("tax").scale
    want_mean = (r.outcome_probabilities @ r.outcomes)[0] * tax.width + tax.low
    assert mean.value("tax", "spatial") == pytest.approx(want_mean)
    best = r.outcomes[np.argmax(r.outcome_probabilities)][0] * tax.width + tax.low
    assert mode.value("tax", "spatial") == pytest.approx(best)


def test_spatial_needs_every_stance() -> None:
    f = forecast(build_scenario(copy.deepcopy(TINY), file=None), ["compromise", "spatial"])
    assert f.value("tax", "spatial") is None
    why = f.issues[0].not_applicable["spatial"]
    assert "every actor's position on every issue; c has none on date" in why
    assert f.value("tax", "compromise") is not None


def test_an_actor_that_cares_about_nothing_is_named() -> None:
    """A salience of 1e-300 squares to 0, and the distances divide by the sum of the squared
    saliences: such an actor cares about nothing, the model does not apply and says who,
    through not_applicable as through evaluate (which divided 0 by 0 before)."""
    data = copy.deepcopy(TINY)
    data["actors"][2]["stances"]["date"] = {"position": 5, "salience": 1e-300}
    data["actors"][2]["stances"]["tax"]["salience"] = 0.0
    batch = scenario_batch(build_scenario(data, file=None))
    model = get_model("spatial")
    why = "the spatial model needs every actor to care about some issue; c cares about none"
    assert model.not_applicable(batch) == {"tax": why, "date": why}
    out = model.evaluate(batch, np.random.default_rng(0))
    assert out.not_applicable == {"tax": why, "date": why}
    assert np.isnan(out.forecasts).all()


def test_linked_models_run_only_when_named() -> None:
    assert "spatial" not in forecast(_complete()).model_names


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"victory": "lanchester"}, "option victory must be one of linear, square"),
        ({"pce": "x"}, "option pce must be one of conditional"),
        ({"max_turns": 1}, "option max_turns must be a whole number from 2 to 200"),
        ({"max_turns": 10**9}, "option max_turns must be a whole number from 2 to 200"),
        ({"stop_ratio": 2.0}, "option stop_ratio must be a number from 0 to 1"),
        ({"seed": 1}, "unknown option 'seed' for the spatial model"),
        ({"point": "median"}, "option point must be one of mean, mode"),
    ],
)
def test_bad_options(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Spatial(**options)


# --- the command line ----------------------------------------------------------------------


@requires_shared
def test_cli_prints_final_positions_and_probabilities() -> None:
    path = str(KTAB / "dummyData_3Dim.csv")
    result = runner.invoke(app, ["forecast", path, "--model", "spatial"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "final positions after 10 turns" in out
    assert "SActor-05" in out
    assert "0.401" in out
    data = json.loads(runner.invoke(app, ["forecast", path, "-m", "spatial", "-f", "json"]).output)
    top = data["actors"][0]
    assert top["actor"] == "SActor-05"
    assert top["final"] == {"dim1": 79.88, "dim2": 34.37, "dim3": 75.16}
    assert top["probability"] == pytest.approx(0.4009, abs=5e-5)


def test_cli_spatial_option_errors(tmp_path: Any) -> None:
    result = runner.invoke(
        app, ["forecast", "karabakh-2020", "-m", "spatial", "-o", "victory=lanchester"]
    )
    assert result.exit_code == 2
    assert "option victory must be one of" in result.output


def test_monte_carlo_runs_the_spatial_model() -> None:
    result = runner.invoke(
        app, ["simulate", "karabakh-2020", "-m", "spatial", "-n", "4", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["draws"] == 4
    # every draw of the ranges gives a forecast of every issue, within its scale
    for issue in data["issues"].values():
        assert 0 <= issue["interval95"][0] <= issue["mean"] <= issue["interval95"][1] <= 100


# --- the model class around run_spatial, by hand ------------------------------------------
def _shifted() -> Any:
    """TINY with every actor on both issues, its scales moved: tax on [1000, 1100], date on
    [-5, 5]. On [0, 1]: a (0.6, 0.2), b (0, 0.8), c (1, 0.5)."""
    data = copy.deepcopy(TINY)
    data["issues"][0].update(scale={"low": 1000, "high": 1100}, status_quo=1020, actual=1040)
    data["issues"][1]["scale"] = {"low": -5, "high": 5}
    data["actors"][2]["stances"]["date"] = {"position": 5, "salience": 0.5}
    for actor in data["actors"]:
        for issue, stance in actor["stances"].items():
            stance["position"] += 1000 if issue == "tax" else -5
    return build_scenario(data, file=None)


@pytest.mark.parametrize("options", [{}, {"voting": "binary"}, {"transition": "stochastic"}])
def test_the_model_maps_a_scenario_onto_the_unit_box_by_hand(options: dict[str, str]) -> None:
    """The class's run is run_spatial on the positions mapped by hand to [0, 1] ((p - low) /
    width), on the saliences divided by the 2 issues (a's sum to 1.5), on the capabilities,
    with the model's options and its generator; the forecast maps back, low + x width (to the
    9 decimals on_scale keeps). Three draws of the generator differ under the stochastic
    transition, and binary votes give another forecast than the default."""
    x = np.array([[0.6, 0.2], [0.0, 0.8], [1.0, 0.5]])
    s = np.array([[1.0, 0.5], [0.5, 1.0], [0.25, 0.5]]) / 2
    c = np.array([3.0, 1.0, 2.0])
    model = get_model("spatial", **options)
    got = []
    for seed in range(3):
        out = model.evaluate(scenario_batch(_shifted()), np.random.default_rng(seed), detail=True)
        r = run_spatial(x, s, c, SpatialOptions(**options), rng=np.random.default_rng(seed))  # type: ignore[arg-type]
        want = np.array([1000.0, -5.0]) + (r.outcome_probabilities @ r.outcomes) * [100.0, 10.0]
        np.testing.assert_allclose(out.forecasts[0], want, rtol=0, atol=1e-9 * 1100)
        assert out.details is not None
        assert out.details.result.dimensions == ("tax", "date")
        assert out.details.saliences_scaled
        got.append(tuple(out.forecasts[0]))
    assert len(set(got)) == (3 if options == {"transition": "stochastic"} else 1)
    default = get_model("spatial").evaluate(scenario_batch(_shifted()), np.random.default_rng(0))
    if "transition" not in options:
        assert (got[0] != tuple(default.forecasts[0])) == (options == {"voting": "binary"})


def test_shares_of_attention_by_hand() -> None:
    """Saliences are divided by the number of issues when any actor's sum is above 1 (beyond
    rounding, 1e-12): 3 actors on 2 issues, a's sum 1.5, so every salience is halved; sums of
    exactly 1, or 1 + 1e-12, are kept."""
    sal = np.array([[1.0, 0.5], [0.2, 0.3], [0.0, 1.0]])
    shares, scaled = _shares(sal)
    np.testing.assert_array_equal(shares, sal / 2)
    assert scaled
    for kept in (np.array([[0.5, 0.5], [0.2, 0.3], [1.0, 0.0]]), np.array([[1 + 1e-12]])):
        shares, scaled = _shares(kept)
        assert shares is kept
        assert not scaled


def test_indifference_is_judged_on_the_shares_by_hand() -> None:
    """A salience of 3e-162 squares to 1e-323 (a subnormal, not 0), but halved, to 1.5e-162,
    it squares below half the smallest subnormal and rounds to 0: the actor cares about
    nothing only when the saliences are divided by the 2 issues, that is when another
    actor's sum is above 1. Per draw: draws, actors."""
    tiny = [3e-162, 0.0]
    sal = np.array(
        [
            [[1.0, 1.0], tiny, [0.5, 0.5]],  # a's sum 2: divided by 2
            [[0.5, 0.5], tiny, [0.5, 0.5]],  # sums of 1: kept
            [[0.6, 0.4], tiny, [0.6, 0.4]],  # an issue's sum over actors 1.2: kept
            [[1 + 1e-12, 0.0], tiny, [0.5, 0.5]],  # a sum of 1 + 1e-12 is not above 1
        ]
    )
    assert _indifferent(sal).tolist() == [[False, True, False]] + [[False, False, False]] * 3


def test_not_applicable_names_the_missing_issues_and_a_lone_actor() -> None:
    data = copy.deepcopy(TINY)
    data["issues"].append({"id": "year", "label": "Year", "scale": {"low": 0, "high": 1}})
    for actor in data["actors"][:2]:
        actor["stances"]["year"] = {"position": 0.5, "salience": 0.5}
    batch = scenario_batch(build_scenario(data, file=None))
    why = "the spatial model needs every actor's position on every issue; c has none on date, year"
    assert Spatial().not_applicable(batch) == dict.fromkeys(["tax", "date", "year"], why)
    two = copy.deepcopy(TINY)
    two["actors"] = two["actors"][:2]
    assert Spatial().not_applicable(scenario_batch(build_scenario(two, file=None))) == {}
    one = copy.deepcopy(TINY)
    one["actors"] = one["actors"][:1]
    lone = "the spatial model needs two actors or more"
    batch = scenario_batch(build_scenario(one, file=None))
    assert Spatial().not_applicable(batch) == {"tax": lone, "date": lone}


def test_on_scale_keeps_nine_decimals_and_huge_scales_by_hand() -> None:
    r = run_spatial(np.array([[0.0], [1.0]]), np.ones((2, 1)), np.array([3.0, 1.0]))
    unit = SpatialDetails(r, ("a",), np.array([0.0]), np.array([1.0]), saliences_scaled=False)
    assert unit.on_scale(np.array([1 / 3])).tolist() == [0.333333333]
    # 1.5e300 x 1e9 overflows in the rounding: the value is kept unrounded, with no warning
    huge = SpatialDetails(r, ("a",), np.array([1e300]), np.array([1e300]), saliences_scaled=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert huge.on_scale(np.array([0.5])).tolist() == [1.5e300]


def test_details_to_dict_by_hand() -> None:
    """Two actors at 0.55 and 0.05 (test_ties_are_broken_in_ktabs_order_of_the_actors) on a
    scale [10, 110]: the second moves half way to the first each turn, 0.25, 0.125, 0.0625 (to
    0.3, 0.425, 0.4875: 40, 52.5, 58.75 on the scale), so the third turn's ratio to the first
    is 0.0625 / (0.25 + 1e-4); the dictionary gives each state of each actor on the scale,
    the last turn's ratio, the outcomes with their probabilities, and the actors likeliest
    first."""
    x, s, c = np.array([[0.55], [0.05]]), np.full((2, 1), 0.8), np.ones(2)
    r = run_spatial(x, s, c, SpatialOptions(max_turns=3, min_turns=3), actors=("p", "q"))
    d = SpatialDetails(r, ("i",), np.array([10.0]), np.array([100.0]), saliences_scaled=True)
    out = d.to_dict()
    assert out["turns"] == 3
    assert out["last_ratio"] == pytest.approx(0.0625 / 0.2501, rel=1e-12)
    assert out["saliences_divided_by_issues"] is True
    assert out["trajectory"]["p"][0] == {"i": 65.0}
    assert out["trajectory"]["q"] == [{"i": 15.0}, {"i": 40.0}, {"i": 52.5}, {"i": 58.75}]
    outcomes = [(o["position"]["i"], o["probability"]) for o in out["outcomes"]]
    want = [
        (10 + 100 * float(p[0]), float(q))
        for p, q in zip(r.outcomes, r.outcome_probabilities, strict=True)
    ]
    np.testing.assert_allclose(outcomes, want, rtol=0, atol=1e-9)
    assert out["actors"] == d.actors()
    assert [a["actor"] for a in out["actors"]] == sorted(
        ("p", "q"), key=lambda a: -r.probabilities[-1][("p", "q").index(a)]
    )
    assert out["actors"][0]["final"] == {
        "i": pytest.approx(10 + 100 * r.final[("p", "q").index(out["actors"][0]["actor"]), 0])
    }
    assert d.forecast_fields() == {"actors": d.actors()}


def test_memory_estimates_by_hand() -> None:
    """memory_per_draw: four floats per actor and issue (8 x 4 x n x D bytes); run_memory:
    88 n^3 + 512 n^2 + 64 n D bytes (docs: tracemalloc's peak was 78 to 85 bytes per actor
    cubed). 10 actors, 3 issues: 960 and 88,000 + 51,200 + 1,920 = 141,120. And the estimate
    covers a run's measured peak (30 actors, 2 issues)."""
    m = Spatial()
    assert m.memory_per_draw(10, 3) == 960
    assert m.memory_per_draw(0, 0) == 32
    assert m.run_memory(10, 3) == 141_120
    assert m.run_memory(1, 1) == 88 + 512 + 64
    rng = np.random.default_rng(5)
    x, s = rng.random((30, 2)), np.full((30, 2), 0.4)
    tracemalloc.start()
    run_spatial(x, s, rng.uniform(1, 9, 30), SpatialOptions(max_turns=3))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak <= m.run_memory(30, 2)


def test_challenge_gains_of_two_actors_by_hand() -> None:
    """Two risk-neutral actors at 0 and 0.5 on one issue (utility 1 - distance), powers 3
    and 1, saliences 1. Actor 0 challenging 1: under prop votes, 0 casts 3 x (1 - 0.5) = 1.5
    for itself and 1 casts 1 x 0.5 against, so p = 1.5 / 2 = 0.75; under binary votes each
    casts its whole weight, 3 against 1, p = 0.75 again (KTAB's 1e-10 on each side aside).
    The target resists with its salience 1, so the gain is 0.75 x 2 + 0.25 x 2 x 0.5 -
    (1 + 0.5) = 0.25; the other way round, p = 0.25 and 0.25 x 2 + 0.75 x 1 - 1.5 = -0.25."""
    x = np.array([0.0, 0.5])
    au = np.broadcast_to(1 - np.abs(x[:, None] - x[None, :]), (2, 2, 2))
    for voting in ("prop", "binary"):
        p, gain = challenge_gains(
            au, np.array([3.0, 1.0]), np.ones(2), SpatialOptions(voting=voting)
        )  # type: ignore[arg-type]
        assert p[0, 1] == pytest.approx(0.75, abs=1e-9)
        assert p[1, 0] == pytest.approx(0.25, abs=1e-9)
        assert gain[0, 1] == pytest.approx(0.25, abs=1e-9)
        assert gain[1, 0] == pytest.approx(-0.25, abs=1e-9)


def test_positions_exactly_the_tolerance_apart_are_distinct() -> None:
    """KTAB's posTol: positions closer than 1e-3 are one; 0 and 0.001 (exactly 1e-3 apart)
    are two. 0.0005 is within 1e-3 of both and takes the last match's probability, as KTAB's
    posProb does."""
    x = np.array([[0.0], [0.001], [0.0005]])
    assert _unique(x) == [0, 1]
    p = prevailing_probabilities(x, [0, 1], np.array([0.3, 0.7]))
    np.testing.assert_array_equal(p, [0.3, 0.7, 0.7])


class _Draws:
    """A generator that draws 0.5 every time."""

    def random(self, shape: tuple[int, ...]) -> np.ndarray:
        return np.full(shape, 0.5)


def test_stochastic_choice_by_hand() -> None:
    """Actor 0 proposes a bargain to actor 1. Voter 0 (power 1) prefers staying put by 0.5,
    voter 1 (power 3) the bargain by 0.5: each election gives the bargain 1.5 / 2 = 0.75.
    Actor 0's options are [stay, its bargain], cumulative (0.25, 1); actor 1's [the bargain,
    stay], (0.75, 1). A draw of 0.5 passes 0.25 only: actor 0 takes option 1 (the bargain),
    actor 1 option 0 (the bargain too). Deterministic, both take the likelier, the bargain."""
    utility = np.array([[1.0, 0.5], [0.5, 1.0]])  # voters x (stay, bargain of actor 0)
    proposers, receivers, c = np.array([0]), np.array([1]), np.array([1.0, 3.0])
    stochastic = SpatialOptions(transition="stochastic")
    choice = elect(utility, proposers, receivers, c, stochastic, _Draws())  # type: ignore[arg-type]
    assert choice.tolist() == [1, 1]
    rng = np.random.default_rng(0)
    assert elect(utility, proposers, receivers, c, SpatialOptions(), rng).tolist() == [1, 1]
