"""The expected utility model on cases small enough to work by hand (issue 22).

The equations are those of docs/models/expected-utility.md ("The model, round by round"),
from Bueno de Mesquita (1994) as reconstructed by Scholz, Calbert & Smith (2011). Each test
shows its arithmetic; none compares the model with its own output.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import statecraft as sc
from statecraft.models.eu_result import EUResult
from statecraft.models.expected_utility import (
    CAPITULATION,
    COMPROMISE,
    CONFRONTATION,
    NO_OFFER,
    ExpectedUtility,
    run_rounds,
)

EC = sc.issue_arrays(sc.load("ec-emissions-1994"), "emissions")

# --- two actors: the weaker capitulates -------------------------------------------------------
# x = (0, 1), c = (3, 1), s = (1, 1), default options (triples, votes with risk, Q = 1).
# D = 1. Round 0's forecast: weights 3 and 1, so the weighted median is 0; the mean is
# (3 x 0 + 1 x 1) / 4 = 0.25.
# Votes (every r = 1): voter 0 gives 3 x (1 - 0) = 3 to 0 over 1, voter 1 gives 1 to 1 over
# 0. Positive votes: S_01 = 3, S_10 = 1; each pair's total is 4, and the triples' grand total
# over the two ordered pairs is 8: P_01 = 3/8, P_10 = 1/8.
# Utilities with r = 1 and d = 1: U_s = 2 - 4 x 0 = 2, U_f = 2 - 4 x 1 = -2, U_sq = 0.
# EU_01 = U_s - Q U_sq - s_1 (1 - P_01)(U_s - U_f) = 2 - 0 - (5/8) 4 = -1/2;
# EU_10 = 2 - (7/8) 4 = -3/2. Exposures (others' EU of challenging each): e_0 = EU_10 = -3/2,
# e_1 = EU_01 = -1/2, so R_0 = (-3 + 1/2 + 3/2) / 1 = -1, R_1 = +1, and
# r_0 = (1 + 1/3) / (1 - 1/3) = 2, r_1 = (2/3) / (4/3) = 1/2.
# Second pass: the votes' distances are 0 or 1, so powers leave them and P unchanged.
# Actor 0 (r = 2): U_sq = 2 - 4 (1/4) = 1, U_s = 2, U_f = -2:
#   own EU_01 = 2 - 1 - (5/8) 4 = -3/2; its estimate of EU_10 = 2 - 1 - (7/8) 4 = -5/2:
#   neither gains, no offer.
# Actor 1 (r = 1/2): U_sq = 2 - 4 sqrt(1/2) = 2 - 2 sqrt 2:
#   own EU_10 = 2 - (2 - 2 sqrt 2) - (7/8) 4 = 2 sqrt 2 - 7/2 = -0.67157...;
#   its estimate of EU_01 = 2 sqrt 2 - 5/2 = 0.32843...: a < 0 < b and b <= -a, so actor 1
#   capitulates and moves onto x_0 = 0. Everyone then agrees: one round, forecast 0.
ROOT2 = np.sqrt(2.0)


def _two() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.array([0.0, 1.0]), np.array([3.0, 1.0]), np.array([1.0, 1.0])


def _issue(x: np.ndarray, c: np.ndarray, s: np.ndarray, ids: tuple[str, ...]) -> sc.IssueArrays:
    return replace(EC, actor_ids=ids, position=x, capability=c, salience=s, by_row=None)


def test_two_actors_the_weaker_capitulates_by_hand() -> None:
    out = run_rounds(*_two(), engine="numpy")
    assert out["rounds"].tolist() == [1]
    np.testing.assert_array_equal(out["positions"][0], [[0.0, 1.0], [0.0, 0.0]])
    np.testing.assert_array_equal(out["median"][0], [0.0, 0.0])
    np.testing.assert_allclose(out["mean"][0], [0.25, 0.0], rtol=1e-15)
    np.testing.assert_allclose(out["risk"][0, 0], [2.0, 0.5], rtol=1e-15)
    own = [[0.0, -1.5], [2 * ROOT2 - 3.5, 0.0]]
    other = [[0.0, -2.5], [2 * ROOT2 - 2.5, 0.0]]
    np.testing.assert_allclose(out["own"][0, 0], own, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(out["other"][0, 0], other, rtol=1e-14, atol=1e-15)
    assert out["kind"][0, 0].tolist() == [[NO_OFFER, NO_OFFER], [CAPITULATION, NO_OFFER]]
    assert out["chosen"][0, 0].tolist() == [-1, 0]
    assert out["forecast"].tolist() == [0.0]


def test_predict_one_issue_and_a_batch_by_hand() -> None:
    # One issue: the scalar forecast 0 (above). A batch of two draws, the second with the
    # capabilities swapped (c = (1, 3)): by symmetry actor 0 capitulates onto x_1 = 1.
    x, c, s = _two()
    model = ExpectedUtility()
    one = model.predict(_issue(x, c, s, ("a", "b")))
    assert np.ndim(one) == 0
    assert float(one) == 0.0
    batch = _issue(np.vstack([x, x]), np.vstack([c, c[::-1]]), np.vstack([s, s]), ("a", "b"))
    many = model.predict(batch)
    assert many.shape == (2,)
    assert many.tolist() == [0.0, 1.0]


# --- an EUResult written by hand: what it reports is read off the arrays -----------------------
def _hand_result(**changes: object) -> EUResult:
    """Three actors a, b, c and two rounds, made up (EUResult only reports its arrays).

    Positions: round 0 (0, 4, 10), round 1 (0, 6, 10), round 2 (1, 6, 9). Round 1's offers:
    b sees c as a compromise (own -0.2, other 0.5) and takes it (chosen 2); c sees a as a
    confrontation (0.1, 0.3) and takes nothing (chosen -1). Round 2: a and c each see b as a
    capitulation ((-0.6, 0.25) and (-0.7, 0.125)) and take it (chosen 1). On the final
    positions a alone sees c as a confrontation.
    """
    n = 3
    kind = np.full((2, n, n), NO_OFFER)
    own = np.zeros((2, n, n))
    other = np.zeros((2, n, n))
    kind[0, 1, 2], own[0, 1, 2], other[0, 1, 2] = COMPROMISE, -0.2, 0.5
    kind[0, 2, 0], own[0, 2, 0], other[0, 2, 0] = CONFRONTATION, 0.1, 0.3
    kind[1, 0, 1], own[1, 0, 1], other[1, 0, 1] = CAPITULATION, -0.6, 0.25
    kind[1, 2, 1], own[1, 2, 1], other[1, 2, 1] = CAPITULATION, -0.7, 0.125
    final_kind = np.full((n, n), NO_OFFER)
    final_kind[0, 2] = CONFRONTATION
    fields: dict[str, object] = {
        "actor_ids": ("a", "b", "c"),
        "positions": np.array([[0.0, 4.0, 10.0], [0.0, 6.0, 10.0], [1.0, 6.0, 9.0]]),
        "median": np.array([4.0, 6.0, 6.0]),
        "mean": np.array([14 / 3, 16 / 3, 16 / 3]),
        "risk": np.array([[2.0, 1.0, 0.5], [0.5, 1.25, 2.0]]),
        "own": own,
        "other": other,
        "kind": kind,
        "chosen": np.array([[-1, 2, -1], [1, -1, 1]]),
        "final_own": np.full((n, n), 0.5),
        "final_other": np.full((n, n), 0.75),
        "final_kind": final_kind,
    }
    fields.update(changes)
    return EUResult(**fields)  # type: ignore[arg-type]


OFFERS = [
    {"round": 1, "from": "c", "to": "b", "kind": "compromise", "accepted": True,
     "eu_own": -0.2, "eu_other": 0.5},
    {"round": 1, "from": "a", "to": "c", "kind": "confrontation", "accepted": False,
     "eu_own": 0.1, "eu_other": 0.3},
    {"round": 2, "from": "b", "to": "a", "kind": "capitulation", "accepted": True,
     "eu_own": -0.6, "eu_other": 0.25},
    {"round": 2, "from": "b", "to": "c", "kind": "capitulation", "accepted": True,
     "eu_own": -0.7, "eu_other": 0.125},
]  # fmt: skip


def test_a_hand_result_reports_its_offers_views_and_moves() -> None:
    result = _hand_result()
    assert result.rounds == 2
    assert result.forecast == 6.0  # the last round's median
    # the largest move of the last round, |1 - 0| = |9 - 10| = 1, over round 0's range 10
    assert result.last_move == 0.1
    assert not result.settled  # 0.1 > 1e-6, and the last positions span 8, not 0
    assert result.offers() == OFFERS  # by round, then mover, then the actor moved toward
    views = result.views(0)
    assert len(views) == 6  # every ordered pair of different actors, none of i with itself
    assert {v["round"] for v in views} == {1}
    assert views[0] == {
        "round": 1,
        "actor": "a",
        "other": "b",
        "eu_own": 0.0,
        "eu_other": 0.0,
        "kind": "none",
    }
    assert views[3] == {
        "round": 1, "actor": "b", "other": "c", "eu_own": -0.2, "eu_other": 0.5,
        "kind": "compromise",
    }  # fmt: skip
    assert result.views() == result.views(1)
    assert {v["round"] for v in result.views()} == {2}
    assert result.views()[5]["kind"] == "capitulation"  # (c, b): the last of six, round 2
    final = result.final_views()
    assert len(final) == 6
    assert final[1] == {
        "actor": "a",
        "other": "c",
        "eu_own": 0.5,
        "eu_other": 0.75,
        "kind": "confrontation",
    }
    assert result.confrontations() == [("a", "c")]
    assert result.conflict_share() == pytest.approx(1 / 3)  # 1 of 3 x 2 / 2 = 3 pairs


def test_a_hand_result_as_records_and_json() -> None:
    result = _hand_result()
    rows = result.trajectory_records()
    assert len(rows) == 9  # 3 rounds (0, 1, 2) x 3 actors
    assert rows[0] == {
        "round": 0, "actor": "a", "position": 0.0, "risk": None, "median": 4.0,
        "mean": pytest.approx(14 / 3),
    }  # fmt: skip
    # round t carries the risk of the round that led to it: risk[t - 1]
    assert rows[4] == {
        "round": 1, "actor": "b", "position": 6.0, "risk": 1.0, "median": 6.0,
        "mean": pytest.approx(16 / 3),
    }  # fmt: skip
    assert rows[8]["risk"] == 2.0
    assert result.to_records() == rows
    frame = result.to_frame()
    assert frame.shape == (9, 6)
    assert frame["position"].tolist() == [0.0, 4.0, 10.0, 0.0, 6.0, 10.0, 1.0, 6.0, 9.0]
    assert frame["risk"].tolist()[3:] == [2.0, 1.0, 0.5, 0.5, 1.25, 2.0]  # round 0: NaN
    data = result.to_dict()
    assert data["rounds"][0] == {
        "round": 0, "positions": {"a": 0.0, "b": 4.0, "c": 10.0}, "median": 4.0,
        "mean": pytest.approx(14 / 3), "risk": None, "moves": [],
    }  # fmt: skip
    assert data["rounds"][1]["risk"] == {"a": 2.0, "b": 1.0, "c": 0.5}
    assert data["rounds"][1]["positions"] == {"a": 0.0, "b": 6.0, "c": 10.0}
    assert data["rounds"][1]["mean"] == pytest.approx(16 / 3)
    # only the accepted offers are moves, in the round they were made
    assert data["rounds"][1]["moves"] == [{"actor": "b", "toward": "c", "kind": "compromise"}]
    assert data["rounds"][2]["moves"] == [
        {"actor": "a", "toward": "b", "kind": "capitulation"},
        {"actor": "c", "toward": "b", "kind": "capitulation"},
    ]
    assert data["rounds"][2]["risk"] == {"a": 0.5, "b": 1.25, "c": 2.0}
    assert len(data["rounds"]) == 3
    assert data["forecast"] == 6.0
    assert data["offers"] == OFFERS
    assert data["final_views"] == result.final_views()
    assert data["settled"] is False
    assert data["last_move"] == 0.1
    assert data["confrontations"] == [["a", "c"]]
    assert data["conflict_share"] == pytest.approx(1 / 3)


def test_a_hand_result_scaled_by_a_power_of_two() -> None:
    # scaled(2) multiplies positions, medians and means by 2^2 = 4; risks and EUs have no unit
    result = _hand_result()
    big = result.scaled(2)
    np.testing.assert_array_equal(big.positions, 4 * result.positions)
    np.testing.assert_array_equal(big.median, [16.0, 24.0, 24.0])
    np.testing.assert_array_equal(big.mean, 4 * result.mean)
    assert big.forecast == 24.0
    assert big.risk is result.risk
    assert big.own is result.own
    assert big.final_kind is result.final_kind
    assert big.last_move == result.last_move  # a share of the range: no unit


def _pair(positions: list[list[float]]) -> EUResult:
    """Two actors with the given positions each round and nothing else recorded."""
    t = len(positions) - 1
    return _hand_result(
        actor_ids=("a", "b"),
        positions=np.array(positions),
        median=np.zeros(t + 1),
        mean=np.zeros(t + 1),
        risk=np.ones((t, 2)),
        own=np.zeros((t, 2, 2)),
        other=np.zeros((t, 2, 2)),
        kind=np.zeros((t, 2, 2), dtype=int),
        chosen=np.full((t, 2), -1),
        final_own=np.zeros((2, 2)),
        final_other=np.zeros((2, 2)),
        final_kind=np.zeros((2, 2), dtype=int),
    )


def test_settled_at_its_thresholds() -> None:
    # SAME_POSITION = 1e-6 of the initial range (here 1). A last move of exactly 1e-6
    # settles (<=); 2e-6 does not. Last positions 1e-6 apart count as agreed even after a
    # move of 0.3.
    assert _pair([[0.0, 1.0], [0.0, 1.0], [1e-6, 1.0]]).last_move == 1e-6
    assert _pair([[0.0, 1.0], [0.0, 1.0], [1e-6, 1.0]]).settled
    assert not _pair([[0.0, 1.0], [0.0, 1.0], [2e-6, 1.0]]).settled
    assert _pair([[0.0, 1.0], [0.3, 0.3], [0.0, 1e-6]]).settled
    assert not _pair([[0.0, 1.0], [0.3, 0.3], [0.0, 2e-6]]).settled
    # no round: nothing moved; everyone together from the start: no range to move across
    assert _pair([[0.0, 1.0]]).last_move == 0.0
    assert _pair([[0.0, 1.0]]).settled
    assert _pair([[5.0, 5.0], [5.0, 5.0]]).last_move == 0.0
    assert _pair([[5.0, 5.0], [5.0, 5.0]]).settled


# --- the model class: one issue's account, its memory estimate, its limit ---------------------
def test_result_and_run_issue_on_the_two_actor_case() -> None:
    # A batch of two draws: the hand case above (one round, then agreement) and equal
    # capabilities, c = (1, 1), where P_01 = P_10 = 1/4 (triples: 1 of 4), every EU is
    # 2 - (3/4) 4 = -1, no one gains, and the 8 rounds run with no move. The account is the
    # first draw's, cut at its own round count: 2 rows of positions, 1 of the rest.
    x, c, s = _two()
    batch = _issue(np.vstack([x, x]), np.vstack([c, [1.0, 1.0]]), np.vstack([s, s]), ("a", "b"))
    model = ExpectedUtility()
    result = model.result(batch)
    assert result.rounds == 1
    assert result.actor_ids == ("a", "b")
    np.testing.assert_array_equal(result.positions, [[0.0, 1.0], [0.0, 0.0]])
    np.testing.assert_array_equal(result.median, [0.0, 0.0])
    np.testing.assert_allclose(result.mean, [0.25, 0.0], rtol=1e-15)
    np.testing.assert_allclose(result.risk, [[2.0, 0.5]], rtol=1e-15)
    np.testing.assert_allclose(result.own[0, 1, 0], 2 * ROOT2 - 3.5, rtol=1e-14)
    np.testing.assert_allclose(result.other[0, 1, 0], 2 * ROOT2 - 2.5, rtol=1e-14)
    assert result.kind.tolist() == [[[NO_OFFER, NO_OFFER], [CAPITULATION, NO_OFFER]]]
    assert result.chosen.tolist() == [[-1, 0]]
    # after agreement nobody sees anybody: zeros and no offer
    assert result.final_own.tolist() == result.final_other.tolist() == [[0.0, 0.0], [0.0, 0.0]]
    assert result.final_kind.tolist() == [[NO_OFFER, NO_OFFER], [NO_OFFER, NO_OFFER]]
    assert result.options is model.opts is model.eu_options
    assert result.offers() == [
        {"round": 1, "from": "a", "to": "b", "kind": "capitulation", "accepted": True,
         "eu_own": pytest.approx(2 * ROOT2 - 3.5), "eu_other": pytest.approx(2 * ROOT2 - 2.5)}
    ]  # fmt: skip
    rng = np.random.default_rng(0)
    forecast, extra, account = model.run_issue(batch, rng)
    assert forecast.tolist() == [0.0, 1.0 / 2.0]  # the second draw: the midpoint of 0 and 1
    assert account is None
    assert extra["confrontation"].shape == (2, 2, 2)
    assert not extra["confrontation"].any()
    forecast, extra, account = model.run_issue(batch, rng, detail=True)
    assert forecast.tolist() == [0.0, 0.5]
    assert isinstance(account, EUResult)
    assert account.rounds == 1
    assert not extra["confrontation"].any()


def test_run_issue_marks_the_final_confrontations() -> None:
    # EC: Luxembourg (2) and Ireland (7) see Belgium (1) as a confrontation on the final
    # positions, and no one else sees one (test_ec_confrontations_and_their_share).
    for detail in (False, True):
        _, extra, _ = ExpectedUtility().run_issue(EC, np.random.default_rng(0), detail=detail)
        seen = extra["confrontation"]
        assert seen.shape == (1, 10, 10)
        assert sorted(map(tuple, np.argwhere(seen[0]).tolist())) == [(2, 1), (7, 1)]


def test_memory_per_draw_by_hand() -> None:
    # The estimate in its comment: 8 bytes x (20 n^2 + (rounds + 2) n) for the floats, and
    # n^2 booleans per issue. n = 10, 3 issues, 8 rounds: 8 (2000 + 100) + 300 = 17,100.
    assert ExpectedUtility().memory_per_draw(10, 3) == 17_100
    # rounds = 3: 8 (2000 + 50) + 100 = 16,500
    assert ExpectedUtility(rounds=3).memory_per_draw(10, 1) == 16_500
    # no actors or no issues count as one: 8 (20 + 10) + 1 = 241
    assert ExpectedUtility().memory_per_draw(0, 0) == 241
    assert ExpectedUtility().memory_per_draw(1, 1) == 241


def test_the_actor_limit_is_inclusive() -> None:
    # MAX_ACTORS = 1,000 actors are taken; 1,001 are refused, with both numbers named.
    model = ExpectedUtility()
    ids = tuple(f"k{k}" for k in range(1001))
    many = _issue(np.zeros(1001), np.ones(1001), np.ones(1001), ids)
    limit = _issue(np.zeros(1000), np.ones(1000), np.ones(1000), ids[:1000])
    model.check(limit)  # no exception
    with pytest.raises(sc.NotApplicable, match=r"at most 1,000 actors .*this one has 1,001"):
        model.check(many)
    with pytest.raises(sc.NotApplicable, match="at most 1,000"):
        model.predict(many)
    with pytest.raises(sc.NotApplicable, match="at most 1,000"):
        model.result(many)


def test_run_issue_runs_the_models_options() -> None:
    # Scholz, Calbert & Smith (2011), Table 2: the EC median is 8.4 after round 1 and 9.6
    # after round 8 (one decimal, truncated), so one round's forecast is not the default's.
    for detail in (False, True):
        rng = np.random.default_rng(0)
        one, _, _ = ExpectedUtility(rounds=1).run_issue(EC, rng, detail=detail)
        eight, _, _ = ExpectedUtility().run_issue(EC, rng, detail=detail)
        assert np.floor(one * 10).tolist() == [84.0]
        assert np.floor(eight * 10).tolist() == [96.0]
    assert ExpectedUtility(rounds=1).result(EC).rounds == 1
    assert np.floor(ExpectedUtility(rounds=1).predict(EC) * 10) == 84.0


def test_a_record_whose_arrays_miss_an_actor_is_refused() -> None:
    # Three actors but positions (or risks) for two: the JSON pairs names with values and
    # refuses to drop the third actor silently.
    result = _hand_result()
    with pytest.raises(ValueError, match="zip"):
        replace(result, positions=result.positions[:, :2]).to_dict()
    with pytest.raises(ValueError, match="zip"):
        replace(result, risk=result.risk[:, :2]).to_dict()


# --- the probability of prevailing, by hand ----------------------------------------------------
def test_probabilities_by_hand() -> None:
    # x = (0, 2, 10), c = s = 1, D = 10. Voter k's vote for i over j is
    # (|x_k - x_j| - |x_k - x_i|) / D (every r = 1):
    #   pair (0, 1): voter 0 +0.2, voter 1 -0.2, voter 2 (8 - 10)/10 = -0.2: S_01 = 0.2, S_10 = 0.4
    #   pair (0, 2): +1, (8 - 2)/10 = +0.6, -1:                              S_02 = 1.6, S_20 = 1
    #   pair (1, 2): (10 - 2)/10 = +0.8, +0.8, -0.8:                         S_12 = 1.6, S_21 = 0.8
    # "pair": P_ij = S_ij / (S_ij + S_ji); "triples": S_ij over the sum of every ordered
    # pair's S, 2 (0.6 + 2.6 + 2.4) = 11.2.
    from statecraft.models.eu_votes import probabilities

    x, w, span = np.array([[0.0, 2.0, 10.0]]), np.ones((1, 3)), np.array([10.0])
    s_ij = np.array([[0.0, 0.2, 1.6], [0.4, 0.0, 1.6], [1.0, 0.8, 0.0]])
    pair = s_ij / np.where(s_ij + s_ij.T > 0, s_ij + s_ij.T, 1.0)
    np.fill_diagonal(pair, 0.5)  # i against itself: no vote either way, P = 1/2
    got = probabilities(x, w, w, None, span, normaliser="pair")
    np.testing.assert_allclose(got[0], pair, rtol=1e-14)
    assert got[0, 0, 1] == pytest.approx(1 / 3)
    assert got[0, 0, 2] == pytest.approx(8 / 13)
    triples = probabilities(x, w, w, None, span, normaliser="triples")
    np.testing.assert_allclose(triples[0], s_ij / 11.2, rtol=1e-14)
    # With risk exponents r = (2, 1, 1/2), pair (0, 1): voter 0 gives 0.2^2 = 0.04, voter 1
    # -0.2, voter 2 sqrt(0.8) - 1 = -0.10557: S_01 = 0.04, S_10 = 0.2 + 1 - sqrt(0.8).
    r = np.array([[2.0, 1.0, 0.5]])
    risky = probabilities(x, w, w, r, span, normaliser="pair")
    s10 = 1.2 - np.sqrt(0.8)
    assert risky[0, 0, 1] == pytest.approx(0.04 / (0.04 + s10), rel=1e-14)
    # Two actors at one position: no voter prefers either, P = 1/2 ("pair") or 0 ("triples")
    x2 = np.array([[0.0, 0.0, 10.0]])
    assert probabilities(x2, w, w, None, span, normaliser="pair")[0, 0, 1] == 0.5
    assert probabilities(x2, w, w, None, span, normaliser="triples")[0, 0, 1] == 0.0
    # Everyone at one position: no vote anywhere, so the triples' grand total is 0 and every
    # P is 0 (not 0 / 0); and the default normaliser is "pair"
    x3 = np.full((1, 3), 4.0)
    assert probabilities(x3, w, w, None, span, normaliser="triples").tolist() == [[[0.0] * 3] * 3]
    np.testing.assert_array_equal(probabilities(x, w, w, None, span), got)


def test_expected_utilities_defaults_by_hand() -> None:
    # The two-actor case above, its P given: P_01 = 3/8, P_10 = 1/8; forecast m = 0, D = 1.
    # The defaults are Q = 1, T = 1 and the target's distance as the second one.
    from statecraft.models.eu_rounds import expected_utilities

    x, s = np.array([[0.0, 1.0]]), np.ones((1, 2))
    p, m, span = np.array([[[0.0, 3 / 8], [1 / 8, 0.0]]]), np.zeros(1), np.ones(1)
    # With r = (2, 1/2) and Q = 1: the EUs of the second pass above.
    own, other = expected_utilities(x, s, p, m, np.array([[2.0, 0.5]]), span)
    np.testing.assert_allclose(own[0], [[0.0, -1.5], [2 * ROOT2 - 3.5, 0.0]], rtol=1e-14)
    np.testing.assert_allclose(other[0], [[0.0, -2.5], [2 * ROOT2 - 2.5, 0.0]], rtol=1e-14)
    # r = 1 (None), Q = 1/2: U_sq = 0, and each EU loses (1 - Q)(T U_b + (1 - T) U_w) with
    # T = 1, U_b = 2 - 4 (0.5 - 0.25 (|x_i - m| + |x_i - x_j|) / D):
    #   0 challenges 1: 0.25 (0 + 1) = 1/4, U_b = 1:  EU_01 = 2 - (5/8) 4 - 1/2 = -1
    #   1 challenges 0: 0.25 (1 + 1) = 1/2, U_b = 2:  EU_10 = 2 - (7/8) 4 - 1 = -5/2
    own, other = expected_utilities(x, s, p, m, None, span, q=0.5)
    np.testing.assert_allclose(own[0], [[0.0, -1.0], [-2.5, 0.0]], rtol=1e-14)
    np.testing.assert_allclose(other[0], [[0.0, -2.5], [-1.0, 0.0]], rtol=1e-14)
    # The same case at half the scale, x = (0, 1/2) and D = 1/2: every distance is divided by
    # D, |x_i - m| included, so the EUs are the same (|x_1 - m| / D = 1, not 1/2).
    half = expected_utilities(x / 2, s, p, m, None, span / 2, q=0.5)
    np.testing.assert_allclose(half[0][0], [[0.0, -1.0], [-2.5, 0.0]], rtol=1e-14)
    np.testing.assert_allclose(half[1][0], [[0.0, -2.5], [-1.0, 0.0]], rtol=1e-14)


def test_actors_same_position_apart_make_no_offers() -> None:
    # SAME_POSITION = 1e-6 of D: actors 0 and 1 at 0 and 1e-6, with D = 1, are exactly that
    # far apart and count as one position, so neither has an offer from the other (taken as
    # two positions, as with `<` for `<=` in the test, actor 1 capitulates onto 0 here).
    x, c, s = np.array([0.0, 1e-6, 1.0]), np.array([2.8, 4.8, 1.1]), np.array([1.0, 0.4, 0.5])
    out = run_rounds(x, c, s, engine="numpy")
    kind = out["kind"][0, 0]
    assert kind[0, 1] == kind[1, 0] == NO_OFFER
    assert out["positions"][0, 1, 1] == 1e-6  # actor 1 stays


def test_classify_at_the_boundaries_of_the_regions() -> None:
    """The regions are strict where the model says "gains" or "loses" (Bueno de Mesquita
    1994; Scholz et al. 2011): an actor whose expected utility is exactly 0 neither gains
    nor loses, so it makes no offer on that account. (own, other) = (0, 1): i does not
    lose, and confronting needs own > 0, so no offer (not a compromise, not a
    confrontation); (-1, 0): j does not gain, so no offer (not a capitulation); and the
    ties between regions: (1, 1) is no confrontation (j must gain more, other > own),
    (-1, 1) a capitulation (compromise needs other > -own), (-1, 1.5) a compromise."""
    from statecraft.models.eu_rounds import classify

    own = np.array([0.0, -1.0, 1.0, -1.0, -1.0, 0.0])
    other = np.array([1.0, 0.0, 1.0, 1.0, 1.5, 0.0])
    assert classify(own, other).tolist() == [
        NO_OFFER,
        NO_OFFER,
        NO_OFFER,
        CAPITULATION,
        COMPROMISE,
        NO_OFFER,
    ]


def test_an_estimate_of_exactly_zero_makes_no_offer_and_no_warning() -> None:
    """x = (0, 1/2, 1), c = (1, 3, 4), s = (1, 1, 1/4), pair normaliser, D = 1: weights
    c s in the ratio 1 : 3 : 1. Linear votes: pair (0, 2): voter 0 gives 1 to 0, voter 1
    stands at the midpoint (0), voter 2 gives 1 to 2: P_02 = P_20 = 1/2; pair (0, 1):
    S_01 = 1/2, S_10 = 3 (1/2) + (1 - 1/2) = 2, P_01 = 1/5; pair (1, 2): P_12 = 4/5.
    With r = 1 and Q = 1, EU_ij = 2d (1 - 2 s_j (1 - P_ij)): EU_01 = -0.6, EU_10 = 0.6,
    EU_02 = 2 (1 - 2 (1/4)(1/2)) = 1.5, EU_20 = 2 (1 - 2 (1)(1/2)) = 0, EU_12 = 0.9,
    EU_21 = -0.6. Exposures (sums over challengers): 0.6, -1.2, 2.4, so R_0 =
    (1.2 - 2.4 + 1.2) / 3.6 = 0 and r_0 = 1 exactly; actor 0's second pass on pair (0, 2)
    is unchanged (voter 1 still at the midpoint, the others' distances 0 or 1):
    own EU_02 = 1.5 and its estimate of EU_20 = 0, exactly. No offer: a confrontation needs
    EU_20 > EU_02. The compromise share |own / other| is 1.5 / 0 there, a division by zero
    that the round must not report (the suite turns warnings into errors).
    The round's moves (second pass, votes with r = (1, 2, 1/2): P_01 = 1/2 / (1/2 + 3/4 +
    1 - sqrt(1/2)) = 0.324, P_12 = 5/4 / (5/4 + sqrt(1/2)) = 0.639): actor 2 (r = 1/2, so
    U_sq = 2 - 2 sqrt 2) has EU_20 = 2 sqrt 2 - 2 and estimates EU_02 = 2 sqrt 2 - 1/2: a
    confrontation, it moves to 0. Actor 0 (r = 1, d = 1/2) has EU_01 = 2 P_01 - 1 < 0 and
    estimates EU_10 = 1 - 2 P_01 = -EU_01: a capitulation onto 1/2. Actor 1 (r = 2, d = 1/2:
    U_s - U_sq = 1.75 - 1 = 3/4, U_s - U_f = 2) estimates EU_01 = 3/4 - 2 (1 - 0.324) and
    EU_21 = 3/4 - 2 (0.639), both below 0: no offer, it stays."""
    from statecraft.models.eu_options import EUOptions

    x, c, s = np.array([0.0, 0.5, 1.0]), np.array([1.0, 3.0, 4.0]), np.array([1.0, 1.0, 0.25])
    out = run_rounds(x, c, s, EUOptions(probability="pair", rounds=1), engine="numpy")
    assert out["risk"][0, 0, 0] == 1.0
    assert out["own"][0, 0, 0, 2] == 1.5
    assert out["other"][0, 0, 0, 2] == 0.0
    kind = out["kind"][0, 0]
    assert kind[0].tolist() == [NO_OFFER, CAPITULATION, NO_OFFER]
    assert kind[2, 0] == CONFRONTATION
    assert out["chosen"][0, 0].tolist() == [1, -1, 0]
    assert out["positions"][0, 1].tolist() == [0.5, 0.5, 0.0]
