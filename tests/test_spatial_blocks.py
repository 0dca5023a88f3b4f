"""The spatial model's building blocks at the edges that its runs rarely or never reach, each
worked by hand (issue 22: mutants of ``spatial_blocks.py`` and ``spatial.py`` that
``tests/test_spatial.py`` and ``tests/test_spatial_options.py`` let pass; docs/testing.md,
"The spatial model"). The formulas are KTAB's (kmodel.cpp, smp.cpp; Wise, Lester & Efird
2015), as docs/models/spatial.md gives them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from statecraft.models import spatial_blocks
from statecraft.models.spatial import SpatialOptions, rescaled_powers, run_spatial
from statecraft.models.spatial_blocks import (
    RISK_TIE,
    _risk,
    _victory,
    bargain_points,
    elect,
    risk_utility,
    scalar_pce,
    turn_setup,
    vote,
)

# --- votes (KTAB's Model::vote) ------------------------------------------------------------


def test_votes_against_and_at_a_tie_by_hand() -> None:
    """A voter of weight 2 who prefers b by 0.3 (u(a) = 0.4, u(b) = 0.7), voting for a over
    b: binary, the difference over 1e-8 clipped to [-1, 1], is -1, so -2; prop-bin,
    2 (0.8 x -0.3 + 0.2 x -1) = -0.88. At a tie (0.4 against 0.4) every rule casts 0;
    asym-prosp's gains (2/3 w d) and losses (w d) both vanish there."""
    w, a, b = np.array(2.0), np.array(0.4), np.array(0.7)
    assert vote("binary", w, a, b) == pytest.approx(-2.0, rel=1e-12)
    assert vote("prop-bin", w, a, b) == pytest.approx(-0.88, rel=1e-12)
    for rule in ("prop", "binary", "prop-bin", "prop-cbc", "cubic", "asym-prosp"):
        assert vote(rule, w, a, a) == 0.0  # type: ignore[arg-type]


# --- the binary victory law (KTAB's Model::vProb, threshold 1.1) -------------------------


def test_binary_victory_law_at_its_thresholds_and_large_strengths() -> None:
    """Strength 1 against 1.1 is exactly at the threshold t = 1.1 (1.1 x 1 is 1.1 in floating
    point too): the weaker side gets 1e-6 against 1, so P = 1e-6 / (1 + 1e-6), and the
    stronger 1 / (1 + 1e-6) (the linear map between the thresholds would give the weaker
    side (2.1 / 2.1 - 1) / 0.1 = 0 there, so the threshold belongs to the outer branch).
    Even strengths of 10 (coalitions are sums of powers up to 100): neither side is 1.1
    times the other, r = 1/2 maps to (0.5 x 2.1 - 1) / 0.1 = 0.5 for each, so P = 1/2; the
    threshold compares s1 with t x s2, not t / s2 (1.1 / 10 would put either side past it).
    Strength 10.5 against 10: r = 10.5 / 20.5, (2.1 r - 1) / 0.1 = 0.7561 (as 1.05 against
    1)."""
    one, big = np.array(1.0), np.array(1.1)
    # abs=0: pytest.approx's default absolute tolerance (1e-12) is as large as the difference
    # between 1e-6 / (1 + 1e-6) and 1e-6, which a wrong threshold gives
    assert _victory("binary", one, big) == pytest.approx(1e-6 / (1 + 1e-6), rel=1e-12, abs=0)
    assert _victory("binary", big, one) == pytest.approx(1 / (1 + 1e-6), rel=1e-12, abs=0)
    ten = np.array(10.0)
    assert _victory("binary", ten, ten) == pytest.approx(0.5, rel=1e-12)
    near = (2.1 * 1.05 / 2.05 - 1) / 0.1
    assert _victory("binary", np.array(10.5), ten) == pytest.approx(near, rel=1e-12)
    assert _victory("binary", ten, np.array(10.5)) == pytest.approx(1 - near, rel=1e-12)


# --- the utility of a distance (KTAB's bsUtil) ----------------------------------------------


def test_risk_utility_beyond_a_distance_of_one_by_hand() -> None:
    """The utility (KTAB's bsUtil, as the specification the code follows gives it) is
    (1 - d)(1 + d r) up to d = 1 and (1 - d)(1 + r) beyond, the same value (0) at d = 1.
    Distances between points of the unit box weighted by saliences are at most 1, so a run
    never reaches the second form; by hand at d = 1.5, r = 0.5: (-0.5)(1.5) = -0.75 (the
    first form would give (-0.5)(1.75) = -0.875); at r = -0.5, (-0.5)(0.5) = -0.25."""
    d = np.array([1.5, 1.5, 1.0])
    r = np.array([0.5, -0.5, 0.5])
    np.testing.assert_allclose(risk_utility(d, r), [-0.75, -0.25, 0.0], rtol=1e-12, atol=0)


# --- the rescaled powers ---------------------------------------------------------------------


def test_rescaled_powers_below_one_and_below_1e_289_by_hand() -> None:
    """12 significant digits below 1 too: 0.123456789012345 next to 100 is 0.123456789012
    (12 decimals, as its first digit is the first decimal). The number of decimals kept is
    at most 300 (10^k must stay finite): 1.234567890123456e-292 next to 1 rescales to
    1.234567890123456e-290, whose 12 significant digits would need 301 decimals, so it
    keeps 11: 1.2345678901e-290. (That last comparison is to 1e-13 relative: 10^300 is not
    a double exactly, so the quotient is the nearest double to 12345678901 / 10^300 only to
    within a bit or two.)"""
    assert rescaled_powers(np.array([100.0, 0.123456789012345])).tolist() == [
        100.0,
        0.123456789012,
    ]
    tiny = rescaled_powers(np.array([1.0, 1.234567890123456e-292]))
    assert tiny[0] == 100.0
    assert tiny[1] == pytest.approx(1.2345678901e-290, rel=1e-13, abs=0)


# --- the election (KTAB's Model::scalarPCE) ------------------------------------------------


def test_asymmetric_votes_count_from_ktabs_scan_of_pairs_by_hand() -> None:
    """KTAB's coalitions come from one scan of the pairs a > b: C[a, b] sums the positive
    votes for a over b, C[b, a] the negative ones. Under asym-prosp a voter's vote is not
    antisymmetric (a gain counts 2/3, a loss fully), so the scan's direction shows. Voters of
    weight 1 and 3: the first has u = (1, 0.5) for options (0, 1), the second (0.3, 0.5).
    The votes for 1 over 0: -0.5 (a loss, in full) and 3 x 0.2 x 2/3 = 0.4; so
    C[1, 0] = 1e-8 + 0.4 and C[0, 1] = 1e-8 + 0.5, and option 0 prevails with
    (0.5 + 1e-8) / (0.9 + 2e-8) = 0.5556 (linear law, two options). The votes for 0 over 1
    (0.5 x 2/3 and -0.6) would give 0.5 / 1.1 = 0.4545."""
    u = np.array([[[1.0, 0.5], [0.3, 0.5]]])
    p = scalar_pce(np.array([1.0, 3.0]), u, SpatialOptions(voting="asym-prosp"))[0]
    e = 1e-8
    np.testing.assert_allclose(
        p, [(0.5 + e) / (0.9 + 2 * e), (0.4 + e) / (0.9 + 2 * e)], rtol=1e-12
    )


@pytest.mark.parametrize("pce", ["conditional", "markov-uniform", "markov-incentive"])
def test_an_election_batch_of_two_axes_is_its_elections_one_by_one(pce: Any) -> None:
    """``utility`` is (..., voters, options): a batch with two axes (2 x 3 elections of three
    options by two voters) gives each election's answer as it gives alone, and sums to 1 per
    election (the batch axes are not mixed with the options'). The utilities are drawn, and
    the comparison is with the same function one election at a time: to rounding for the
    conditional election; to 1e-5 for the Markov forms, whose iteration stops when every
    election of the batch has moved less than its tolerance (1e-6 or 1e-8) in a step, so a
    batch runs more steps than some of its elections would alone (the differences here are
    up to 2e-6)."""
    u = np.random.default_rng(3).random((2, 3, 2, 3))
    w = np.array([1.0, 3.0])
    opts = SpatialOptions(pce=pce)
    got = scalar_pce(w, u, opts)
    assert got.shape == (2, 3, 3)
    for i in range(2):
        for j in range(3):
            alone = scalar_pce(w, u[i, j][None], opts)[0]
            tol = 1e-15 if pce == "conditional" else 1e-5
            np.testing.assert_allclose(got[i, j], alone, rtol=1e-12, atol=tol)
    np.testing.assert_allclose(got.sum(axis=-1), 1.0, rtol=1e-12)


# Three options: option 0 beats 1 and 2 with probability 0.8 each (coalitions 4 to 1), 1 and
# 2 are even (1 to 1); the diagonal is 0.5 with KTAB's coalition floor of 1e-8 (as in
# test_spatial.py, where each answer below is worked by hand).
_PV3 = np.array([[0.5, 0.8, 0.8], [0.2, 0.5, 0.5], [0.2, 0.5, 0.5]])
_COAL3 = np.array([[1e-8, 4.0, 4.0], [1.0, 1e-8, 1.0], [1.0, 1.0, 1e-8]])


@pytest.mark.parametrize("pce", ["markov-uniform", "markov-incentive"])
@pytest.mark.parametrize("iterations", [spatial_blocks.MARKOV_ITERATIONS, 0])
def test_markov_elections_in_a_batch_of_two_axes_by_hand(
    pce: Any, iterations: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Markov forms on a batch of 1 x 2 elections, (..., M, M) with two batch axes and
    M = 3 options (the second axis, 2, is not M): the election of _PV3 with all three options
    and with option 2 masked out. By hand (test_spatial.py): uniform chain (2/3, 1/6, 1/6),
    from row 0 of p = A p, 3x = 2.6x + 0.8 (1 - x); incentive chain (128/165, 37/330, 37/330),
    from y = 0.1x + (1.14 / 3.7) y; two options left, 0 beats 1 with 0.8: (0.8, 0.2, 0).
    Both by KTAB's iteration and by the squaring of the lazy chain (no iterations allowed).
    Tolerances: the iteration stops when a step moves less than 1e-6 (uniform) or 1e-8
    (incentive), a few times that from the limit; the squaring's limit is exact but for
    the incentive chain's floors (1e-10 on the diagonal), which move it by 2e-9."""
    monkeypatch.setattr(spatial_blocks, "MARKOV_ITERATIONS", iterations)
    valid = np.array([[[True, True, True], [True, True, False]]])  # (1, 2, 3)
    pair = valid[..., :, None] & valid[..., None, :]
    coal = np.broadcast_to(_COAL3, (1, 2, 3, 3))
    pv = np.broadcast_to(_PV3, (1, 2, 3, 3))
    p = spatial_blocks._markov(pce, coal, pv, pair, valid)
    first = [2 / 3, 1 / 6, 1 / 6] if pce == "markov-uniform" else [128 / 165, 37 / 330, 37 / 330]
    tol = (5e-6 if pce == "markov-uniform" else 2e-8) if iterations else 5e-9
    assert p.shape == (1, 2, 3)
    np.testing.assert_allclose(p[0], [first, [0.8, 0.2, 0.0]], atol=tol)
    assert p[0, 1, 2] == 0.0


# --- the bargain (KTAB's interpolateBrgn) ----------------------------------------------------


def test_s2pmax_moves_a_challenger_that_expects_to_lose_by_hand() -> None:
    """s2pmax with the challenger the weaker side: challenger 0 at 0.2 (salience 0.5) expects
    to win with 0.3, its target 1 at 0.8 (salience 0.25) with 0.6, so di = 0.6 - 0.3 = 0.3
    and 0 moves the share fi = di sj^2 / (di sj^2 + 1e-6 + (1 - di) si^2)
    = 0.01875 / (0.01875 + 1e-6 + 0.175) of the way to 0.8; the target (dj = 0) stays."""
    x, s = np.array([[0.2], [0.8]]), np.array([[0.5], [0.25]])
    p = np.array([[0.5, 0.3], [0.6, 0.5]])
    bi, bj = bargain_points(x, s, p, np.array([1, -1]), SpatialOptions(interpolation="s2pmax"))
    fi = 0.01875 / (0.01875 + 1e-6 + 0.175)
    assert bi[0, 0] == pytest.approx(0.2 + 0.6 * fi, rel=1e-12)
    assert bj[0, 0] == pytest.approx(0.8, rel=1e-12)


# --- a run's inputs --------------------------------------------------------------------------


def test_integer_positions_run_as_the_same_numbers_in_floats() -> None:
    """Positions given as integers (0 and 1, the ends of an issue) are the same positions as
    0.0 and 1.0: the actors meet at 0.1 after the first turn, not at an integer that a
    bargain truncated to 0."""
    x, s, c = np.array([[0], [1]]), np.ones((2, 1)), np.array([3, 1])
    ints = run_spatial(x, s, c)
    floats = run_spatial(x.astype(float), s, c.astype(float))
    np.testing.assert_array_equal(ints.positions, floats.positions)
    assert ints.positions[1, :, 0] == pytest.approx([0.1, 0.1], abs=1e-12)
    # unnamed actors and dimensions are named by their places
    assert (ints.actors, ints.dimensions) == (("0", "1"), ("0",))


# Five actors on two issues (as in test_spatial_options.py's turn limits)
_XS = np.array([[0.05, 0.9], [0.35, 0.2], [0.6, 0.55], [0.95, 0.1], [0.5, 0.95]])
_SS = np.array([[0.6, 0.4], [0.5, 0.5], [0.3, 0.7], [0.8, 0.2], [0.5, 0.4]])
_CS = np.array([1.0, 2.5, 1.5, 3.0, 2.0])


def test_a_stochastic_run_without_a_generator_draws_from_seed_0() -> None:
    """run_spatial's documented default: with transition="stochastic" and no generator, the
    draws are those of a generator seeded with 0, so the run repeats; a generator seeded with
    1 draws otherwise, and here gives another run (17 turns against 13)."""
    opts = SpatialOptions(transition="stochastic")
    default = run_spatial(_XS, _SS, _CS, opts)
    seeded = run_spatial(_XS, _SS, _CS, opts, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(default.positions, seeded.positions)
    other = run_spatial(_XS, _SS, _CS, opts, rng=np.random.default_rng(1))
    assert (default.turns, other.turns) == (13, 17)


# --- the stochastic choice (KTAB's StateTransMode, stochastic) -------------------------------


class _Draw:
    """A generator that draws the same number every time."""

    def __init__(self, value: float) -> None:
        self.value = value

    def random(self, shape: tuple[int, ...]) -> np.ndarray:
        return np.full(shape, self.value)


# Two actors, each challenging the other: each has three options, staying put (column 0) and
# the two bargains (columns 1 and 2); actor 0 lists them in that order (KTAB's doBCN: staying
# put, then its own bargain, then that of the challenger after it). Voters of power 1 and 3.
_U = np.array([[0.86, 0.03, 0.73], [0.18, 0.86, 0.54]])
_BOTH = (np.array([0, 1]), np.array([1, 0]), np.array([1.0, 3.0]))


def test_a_draw_equal_to_a_cumulative_probability_takes_that_option() -> None:
    """An option is taken when its cumulative probability reaches the draw: actor 0's first
    option (staying put) has probability p0 (0.0380 here); a draw of exactly p0 takes it,
    a draw just above it the next option (actor 0's own bargain, column 1)."""
    opts = SpatialOptions(transition="stochastic")
    p0 = scalar_pce(_BOTH[2], _U[None], SpatialOptions())[0][0]
    assert p0 == pytest.approx(0.0380, abs=1e-4)
    assert elect(_U, *_BOTH, opts, _Draw(p0))[0] == 0  # type: ignore[arg-type]
    assert elect(_U, *_BOTH, opts, _Draw(np.nextafter(p0, 1)))[0] == 1  # type: ignore[arg-type]


def test_the_largest_draw_takes_the_last_option_when_the_sums_round_below_it() -> None:
    """Actor 0's three probabilities sum, cumulatively in floating point, to
    0.9999999999999998, below the largest draw a generator gives (1 - 2^-53): no option's
    cumulative probability reaches that draw, and the actor takes its last option (the
    other's bargain, column 2), not one past the end."""
    opts = SpatialOptions(transition="stochastic")
    cum = np.cumsum(scalar_pce(_BOTH[2], _U[None], SpatialOptions())[0])
    top = np.nextafter(1.0, 0.0)
    assert cum[-1] < top  # the case the rule is for
    assert elect(_U, *_BOTH, opts, _Draw(top))[0] == 2  # type: ignore[arg-type]


def test_an_actor_without_a_worthwhile_challenge_has_target_minus_one() -> None:
    """Everyone at one point: every challenge gains 0 (victory, loss and the status quo are
    all worth 2, each utility being 1), which is not above KTAB's least gain of 1e-5, so no
    actor challenges: each turn's targets are all -1, the documented 'none'."""
    r = run_spatial(np.full((3, 1), 0.3), np.full((3, 1), 0.5), np.array([1.0, 2.0, 3.0]))
    assert r.targets
    assert all(t == (-1, -1, -1) for t in r.targets)


def test_elections_in_chunks_draw_as_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The actors' elections of one size run in chunks only to bound memory: with chunks of
    one election each (ELECTION_VOTES = 1), the stochastic choices are those of one batch,
    since each chunk draws the next numbers of the same stream in the actors' order (a
    chunk that drew again for actors already done, or for the actors after it, would not
    be). Both actors here have three options, so they form one batch of two."""
    opts = SpatialOptions(transition="stochastic")
    whole = [elect(_U, *_BOTH, opts, np.random.default_rng(seed)) for seed in range(20)]
    monkeypatch.setattr(spatial_blocks, "ELECTION_VOTES", 1)
    chunked = [elect(_U, *_BOTH, opts, np.random.default_rng(seed)) for seed in range(20)]
    assert [c.tolist() for c in chunked] == [w.tolist() for w in whole]
    assert len({tuple(w) for w in whole}) > 1  # the draws matter: not one choice for all


def test_a_tie_in_real_numbers_is_a_tie_for_the_risk_attitudes() -> None:
    """Two actors at (0.2, 0.8) and (1.0, 0.1), weights 1 and 3 on both dimensions, powers 1:
    each is at the same distance from the other, so each position is equally likely, 1/2
    and 1/2, and both actors are risk-neutral (0, as for an exact tie). Floating point gives
    the two probabilities a spread of about 1e-16, which the map to risk attitudes once
    divided by: 4/3 and -2/3 under ``mid``, outside its range [-0.5, 1]. A spread above
    ``RISK_TIE`` is no tie: probabilities 0.5 and 0.5 + 1e-9 map to -0.5 and 1 (mid)."""
    x = np.array([[0.2, 0.8], [1.0, 0.1]])
    r, _ = turn_setup(x, np.array([[1.0, 1.0], [3.0, 3.0]]), np.ones(2), SpatialOptions())
    np.testing.assert_array_equal(r, [0.0, 0.0])
    # a spread of exactly RISK_TIE is a tie (0 and 1e-12: hi - lo is 1e-12 exactly)
    np.testing.assert_array_equal(_risk(np.array([0.0, RISK_TIE]), "mid"), [0.0, 0.0])
    # atol: the map divides rounding of about 1e-16 by the spread 1e-9, an error near 1e-7
    np.testing.assert_allclose(_risk(np.array([0.5, 0.5 + 1e-9]), "mid"), [-0.5, 1.0], atol=1e-6)
