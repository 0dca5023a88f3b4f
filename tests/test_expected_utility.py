"""The expected utility model: published results, the reference implementation, properties."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import statecraft as sc
from statecraft.models.eu_result import EUDetails, EUResult
from statecraft.models.eu_rounds import classify
from statecraft.models.expected_utility import (
    CAPITULATION,
    COMPROMISE,
    CONFRONTATION,
    NO_OFFER,
    EUOptions,
    ExpectedUtility,
    risk_exponents,
    run_rounds,
)
from tests import eu_reference as ref

EC = sc.issue_arrays(sc.load("ec-emissions-1994"), "emissions")


def _ec(**options: object) -> dict[str, np.ndarray]:
    return run_rounds(EC.position, EC.capability, EC.salience, EUOptions(**options))  # type: ignore[arg-type]


# --- the EC emissions case (Bueno de Mesquita 1994; Scholz, Calbert & Smith 2011) --------------
def test_ec_round_zero_median_and_mean() -> None:
    out = _ec()
    assert out["median"][0, 0] == 7.0
    assert round(float(out["mean"][0, 0]), 3) == 7.390


def test_ec_default_forecast_within_a_year_of_the_outcome() -> None:
    forecast = sc.forecast("ec-emissions-1994", "expected-utility").value(
        "emissions", "expected-utility"
    )
    assert forecast is not None
    assert abs(forecast - 8.833) < 1.0


def test_ec_default_forecast_against_bueno_de_mesquitas_published_8_35() -> None:
    # Bueno de Mesquita (1994) published a forecast of 8.35 years for this case (two
    # decimals). Ours is the round-8 median of the reconstruction by Scholz, Calbert & Smith
    # (2011), whose Table 2 ends at 9.6 (truncated to one decimal) in round 8, as ours does:
    # the model as published does not give 8.35. The gap, 1.32 years, is pinned here to the
    # published precision; docs/models/expected-utility.md ("The EC emissions case") explains
    # it. A change that moved the forecast toward or away from 8.35 fails this test.
    forecast = sc.forecast("ec-emissions-1994", "expected-utility").value(
        "emissions", "expected-utility"
    )
    assert forecast is not None
    assert math.floor(forecast * 10) / 10 == 9.6  # Scholz et al. Table 2, round 8
    assert round(forecast - 8.35, 2) == 1.32


def test_ec_every_risk_exponent_in_range() -> None:
    risk = _ec(rounds=10)["risk"]
    assert risk.min() >= 0.5
    assert risk.max() <= 2.0
    assert np.isclose(risk.min(), 0.5)  # the most exposed actor each round
    assert np.isclose(risk.max(), 2.0)


def test_ec_medians_match_scholz_table_2() -> None:
    # Scholz, Calbert & Smith (2011), Table 2, medians of rounds 1-8 to one decimal, as
    # transcribed: 8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6. Their code (as replicated by
    # McKibben-Sanders) gives 9.61 in round 2, where the table shows 9.9; we match the code.
    table = [8.4, None, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6]
    medians = _ec()["median"][0, 1:]
    for published, ours in zip(table, medians, strict=True):
        if published is not None:
            assert math.floor(ours * 10) / 10 == published
    assert round(float(medians[1]), 2) == 9.61


def test_ec_round_one_risk_matches_the_scholz_code_replication() -> None:
    # r after the first risk step, from running McKibben-Sanders' replication of Scholz's code
    expected = [1.406, 0.754, 0.509, 1.406, 1.047, 1.047, 1.965, 0.500, 2.000, 1.112]
    np.testing.assert_allclose(_ec()["risk"][0, 0], expected, atol=5e-4)


def test_ec_per_pair_probability_collapses_to_the_median() -> None:
    # with P_ij + P_ji = 1 nearly every dyad is a confrontation and all meet at 7
    out = _ec(probability="pair", rounds=10)
    assert out["forecast"][0] == 7.0


# --- the reference implementation ------------------------------------------------------------
OPTION_SETS = [
    EUOptions(rounds=5),
    EUOptions(rounds=5, probability="pair"),
    EUOptions(rounds=5, vote_risk=False),
    EUOptions(rounds=5, probability="pair", vote_risk=False, offer_choice="type"),
    EUOptions(rounds=5, offer_choice="smallest"),
    EUOptions(rounds=5, offer_choice="type"),
    EUOptions(rounds=5, range="current"),
    EUOptions(rounds=5, q=0.5),
    EUOptions(rounds=5, q=0.3, t=0.4, better_worse="challenger"),
    EUOptions(rounds=5, q=0.5, t="geometric"),
    EUOptions(rounds=8, stopping="tolerance", tolerance=0.01),
    EUOptions(rounds=8, stopping="discount", discount=0.95),
]


@pytest.mark.parametrize("options", OPTION_SETS, ids=lambda o: repr(o)[9:80])
def test_fast_agrees_with_reference(options: EUOptions) -> None:
    rng = np.random.default_rng(20201110)
    for _ in range(200):
        n = int(rng.integers(2, 11))
        x = np.round(rng.uniform(0, 100, n), int(rng.integers(0, 3)))
        c = rng.uniform(0.1, 5, n)
        s = rng.uniform(0, 1, n)
        positions, logs, forecast = ref.run(list(x), list(c), list(s), options)
        out = run_rounds(x, c, s, options)
        tol = 1e-9 * max(1.0, float(np.ptp(x)))
        np.testing.assert_allclose(out["positions"][0], positions, rtol=0, atol=tol)
        assert out["forecast"][0] == pytest.approx(forecast, abs=tol)
        assert out["rounds"][0] == len(logs)
        for t, log in enumerate(logs):
            np.testing.assert_allclose(out["risk"][0, t], log.risk, rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(out["own"][0, t], log.own, rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(out["other"][0, t], log.other, rtol=1e-9, atol=1e-12)
            np.testing.assert_array_equal(out["kind"][0, t], log.kind)
            np.testing.assert_array_equal(out["chosen"][0, t], log.chosen)


@pytest.mark.parametrize(
    "options",
    [EUOptions(), EUOptions(probability="pair"), EUOptions(offer_choice="type")],
    ids=["default", "pair", "type"],
)
def test_fast_agrees_with_reference_on_a_grid(options: EUOptions) -> None:
    # Positions on a coarse grid put actors exactly together and compromises a hair apart,
    # where rounding could decide the sign of an expected utility: the two must still agree.
    rng = np.random.default_rng(5)
    for _ in range(200):
        n = int(rng.integers(3, 9))
        x = rng.integers(0, 11, n).astype(float) * 10
        c = rng.integers(1, 10, n).astype(float)
        s = rng.integers(1, 11, n) / 10
        positions, _, forecast = ref.run(list(x), list(c), list(s), options)
        out = run_rounds(x, c, s, options)
        np.testing.assert_allclose(out["positions"][0], positions, rtol=0, atol=1e-7)
        assert out["forecast"][0] == pytest.approx(forecast, abs=1e-7)


def test_batch_equals_one_by_one() -> None:
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 100, (40, 6))
    c = rng.uniform(0.1, 5, (40, 6))
    s = rng.uniform(0, 1, (40, 6))
    o = EUOptions(stopping="tolerance", rounds=12)
    batch = run_rounds(x, c, s, o)
    for b in range(40):
        single = run_rounds(x[b], c[b], s[b], o)
        assert batch["forecast"][b] == single["forecast"][0]
        assert batch["rounds"][b] == single["rounds"][0]
        t = single["rounds"][0]
        np.testing.assert_array_equal(batch["positions"][b, : t + 1], single["positions"][0])


# --- the classes of offers -------------------------------------------------------------------
def test_classify_each_region_by_hand() -> None:
    own = np.array([[[0.0, 0.2, -0.2, -0.5, 0.4, -0.1]]])
    other = np.array([[[0.0, 0.5, 0.5, 0.2, 0.1, -0.3]]])
    assert classify(own, other).tolist() == [
        [[NO_OFFER, CONFRONTATION, COMPROMISE, CAPITULATION, NO_OFFER, NO_OFFER]]
    ]


@pytest.mark.parametrize(
    ("x", "c", "s", "kind"),
    [
        ([70.0, 80.0, 0.0], [8.0, 5.0, 5.0], [0.7, 0.3, 1.0], CONFRONTATION),
        ([70.0, 80.0, 0.0], [8.0, 5.0, 5.0], [0.7, 0.3, 1.0], COMPROMISE),
        ([90.0, 40.0, 0.0], [7.0, 1.0, 6.0], [0.2, 1.0, 0.7], CAPITULATION),
    ],
)
def test_every_class_is_reached_in_a_real_round(
    x: list[float], c: list[float], s: list[float], kind: int
) -> None:
    out = run_rounds(
        np.array(x),
        np.array(c),
        np.array(s),
        EUOptions(rounds=1, probability="pair", vote_risk=False),
    )
    kinds = out["kind"][0, 0]
    assert (kinds == kind).any()
    i, j = np.argwhere(kinds == kind)[0]
    own, other = out["own"][0, 0, i, j], out["other"][0, 0, i, j]
    if kind == CONFRONTATION:
        assert other > own > 0
    elif kind == COMPROMISE:
        assert other > -own > 0
    else:
        assert 0 < other <= -own


def test_compromise_moves_part_way() -> None:
    # One round on an issue where two actors take a compromise from actor 0 (found by
    # search, then fixed here): a compromise moves the mover i from x_i toward x_j by the
    # fraction |E_i / E_j| of the way (Scholz et al. 2011, eq. 11), not all the way.
    x, c, s = np.array([0.0, 80.0, 80.0]), np.array([8.0, 2.0, 1.0]), np.array([0.9, 0.1, 0.6])
    out = run_rounds(x, c, s, EUOptions(rounds=1, probability="pair", vote_risk=False))
    kinds = out["kind"][0, 0]
    moved = []
    for i, j in np.argwhere(kinds == COMPROMISE):
        if out["chosen"][0, 0, i] == j:
            a, b = out["own"][0, 0, i, j], out["other"][0, 0, i, j]
            expected = x[i] + (x[j] - x[i]) * abs(a / b)
            assert out["positions"][0, 1, i] == pytest.approx(expected)
            assert 0 < abs(a / b) < 1  # part way: strictly between the two positions
            moved.append((int(i), int(j)))
    assert moved == [(1, 0), (2, 0)]  # the loop above checked both moves


def test_risk_exponents_by_hand() -> None:
    r = risk_exponents(np.array([[1.0, 2.0, 3.0]]))
    # R = -1, 0, 1 -> r = 2, 1, 0.5
    np.testing.assert_allclose(r, [[2.0, 1.0, 0.5]])
    np.testing.assert_allclose(risk_exponents(np.array([[4.0, 4.0]])), [[1.0, 1.0]])


# --- properties --------------------------------------------------------------------------------
@st.composite
def issues(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(2, 7))
    x = draw(arrays(float, n, elements=st.integers(0, 100).map(float)))
    c = draw(arrays(float, n, elements=st.integers(1, 9).map(float)))
    s = draw(arrays(float, n, elements=st.integers(1, 10).map(lambda k: k / 10)))
    return x, c, s


PROPERTY_OPTIONS = st.sampled_from(
    [EUOptions(rounds=4), EUOptions(rounds=4, probability="pair", vote_risk=False)]
)


@settings(max_examples=60, deadline=None)
@given(issues(), st.data(), PROPERTY_OPTIONS)
def test_order_of_actors_changes_nothing(
    issue: tuple[np.ndarray, ...], data: st.DataObject, options: EUOptions
) -> None:
    x, c, s = issue
    perm = np.array(data.draw(st.permutations(range(len(x)))))
    out = run_rounds(x, c, s, options)
    shuffled = run_rounds(x[perm], c[perm], s[perm], options)
    # Actors are processed in a canonical order, so even ties are settled the same way and
    # the results are identical, not merely close.
    assert shuffled["forecast"][0] == out["forecast"][0]
    np.testing.assert_array_equal(
        shuffled["positions"][0][:, np.argsort(perm)], out["positions"][0]
    )
    np.testing.assert_array_equal(shuffled["risk"][0][:, np.argsort(perm)], out["risk"][0])


@settings(max_examples=60, deadline=None)
@given(issues(), st.sampled_from([0.5, 4.0, 1024.0]), PROPERTY_OPTIONS)
def test_scaling_every_capability_changes_nothing(
    issue: tuple[np.ndarray, ...], k: float, options: EUOptions
) -> None:
    # Powers of two scale exactly in floating point. The model branches on comparisons of
    # expected utilities, so another factor's rounding could flip an exact tie; the
    # invariance itself is exact.
    x, c, s = issue
    a = run_rounds(x, c, s, options)
    b = run_rounds(x, c * k, s, options)
    np.testing.assert_allclose(a["positions"], b["positions"], atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(issues(), PROPERTY_OPTIONS)
def test_positions_stay_within_the_initial_range(
    issue: tuple[np.ndarray, ...], options: EUOptions
) -> None:
    x, c, s = issue
    out = run_rounds(x, c, s, options.model_copy(update={"rounds": 8}))
    assert out["positions"].min() >= x.min() - 1e-9
    assert out["positions"].max() <= x.max() + 1e-9
    assert x.min() - 1e-9 <= out["forecast"][0] <= x.max() + 1e-9


# --- options, results, integration -----------------------------------------------------------
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"probability": "votes"}, "option probability must be one of pair, triples"),
        ({"offer_choice": "biggest"}, "option offer_choice must be one of"),
        ({"rounds": 0}, "option rounds must be a whole number from 1 to 100"),
        ({"rounds": 2.5}, "option rounds must be a whole number"),
        ({"q": 1.5}, "option q must be a number from 0 to 1"),
        ({"t": "sometimes"}, "option t must be a number from 0 to 1 or one of geometric"),
        ({"discount": 1.0}, "option discount must be a number above 0 and below 1"),
        ({"vote_risk": "yes"}, "option vote_risk must be true or false"),
        ({"colour": "red"}, "unknown option 'colour' for the expected-utility model"),
    ],
)
def test_bad_options(options: dict[str, object], message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        ExpectedUtility(**options)


def test_everyone_agrees_from_the_start() -> None:
    out = run_rounds(np.array([5.0, 5.0]), np.ones(2), np.ones(2))
    assert out["rounds"][0] == 0
    assert out["forecast"][0] == 5.0


def test_result_records_for_analysts() -> None:
    f = sc.forecast("ec-emissions-1994", "expected-utility")
    result = f.issues[0].details["expected-utility"]
    frame = result.to_frame()
    assert set(frame.columns) == {"round", "actor", "position", "risk", "median", "mean"}
    assert len(frame) == (result.rounds + 1) * 10
    offers = result.offers()
    assert {o["kind"] for o in offers} <= {"confrontation", "compromise", "capitulation"}
    accepted = [o for o in offers if o["accepted"]]
    assert all(o["round"] >= 1 for o in accepted)
    views = result.views()
    assert len(views) == 10 * 9
    assert 0.0 <= result.conflict_share() <= 1.0


def test_docs_options_table_is_current() -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "docs" / "eu_options_table.py"
    spec = importlib.util.spec_from_file_location("eu_options_table", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = module.PAGE.read_text(encoding="utf-8")
    assert f"{module.START}\n{module.table()}{module.END}" in page


def test_forecast_frames_of_rounds_offers_and_dyads() -> None:
    f = sc.forecast("karabakh-2020", "expected-utility")
    rounds = f.rounds()
    assert set(rounds["issue"]) == set(f.scenario.issue_ids)
    offers = f.offers()
    assert {"issue", "round", "from", "to", "kind", "accepted"} <= set(offers.columns)
    dyads = f.dyads()
    assert {"issue", "actor", "other", "eu_own", "eu_other", "kind"} <= set(dyads.columns)
    # the confrontations are exactly the final-view dyads classed as confrontations
    for issue, pairs in f.confrontations().items():
        seen = dyads[(dyads["issue"] == issue) & (dyads["kind"] == "confrontation")]
        assert {tuple(sorted(p)) for p in zip(seen["actor"], seen["other"], strict=True)} == set(
            pairs
        )
    index = f.escalation_index()
    assert index is not None
    assert 0.0 <= index <= 1.0


def test_frames_need_the_model() -> None:
    f = sc.forecast("ec-emissions-1994", "median")
    with pytest.raises(ValueError, match="was not run"):
        f.rounds()
    with pytest.raises(ValueError, match="was not run"):
        f.dyads()
    assert f.escalation_index() is None


def test_blocks_of_draws_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from statecraft.models import eu_rounds

    rng = np.random.default_rng(11)
    x = rng.uniform(0, 100, (50, 5))
    c = rng.uniform(0.1, 5, (50, 5))
    s = rng.uniform(0, 1, (50, 5))
    o = EUOptions(stopping="tolerance", rounds=12)
    whole = run_rounds(x, c, s, o, engine="numpy")  # the compiled engine has no blocks
    monkeypatch.setattr(eu_rounds, "CHUNK", 7)
    blocks = run_rounds(x, c, s, o, engine="numpy")
    assert set(whole) == set(blocks)
    for key in whole:
        np.testing.assert_array_equal(whole[key], blocks[key], err_msg=key)


def test_too_many_actors_is_not_applicable(monkeypatch: pytest.MonkeyPatch) -> None:
    from statecraft.models import expected_utility

    monkeypatch.setattr(expected_utility, "MAX_ACTORS", 5)
    f = sc.forecast("ec-emissions-1994", ["median", "expected-utility"])
    reason = f.issues[0].not_applicable["expected-utility"]
    assert "at most 5 actors on an issue (this one has 10)" in reason
    assert f.value("emissions", "expected-utility") is None


def test_settled_and_still_moving() -> None:
    # The Nakhchivan link among the five actors that declared a position on it; the other
    # four's stances (no source, added for the exchange model) keep it moving.
    link = sc.issue_arrays(sc.load("karabakh-2020"), "nakhchivan_link")
    declared = ("azerbaijan", "armenia", "russia", "turkey", "iran")
    keep = [link.actor_ids.index(a) for a in declared]
    link = replace(
        link,
        actor_ids=declared,
        capability=link.capability[keep],
        position=link.position[keep],
        salience=link.salience[keep],
    )
    agreed = ExpectedUtility(rounds=20).result(link)
    assert np.ptp(agreed.positions[-1]) == 0
    assert agreed.settled
    ec = ExpectedUtility().result(EC)
    assert not ec.settled  # Belgium, Luxembourg and Ireland are still moving in round 8
    assert ec.last_move > 0


def test_records_pair_each_round_with_its_own_risk() -> None:
    result = ExpectedUtility().result(EC)
    rows = result.trajectory_records()
    first = [r for r in rows if r["round"] == 0]
    assert all(r["risk"] is None for r in first)
    belgium_round_1 = next(r for r in rows if r["round"] == 1 and r["actor"] == "belgium")
    assert belgium_round_1["risk"] == pytest.approx(0.754, abs=5e-4)  # r of round 1
    assert belgium_round_1["position"] == pytest.approx(8.416, abs=5e-4)  # after round 1


def test_escalation_index_is_the_mean_share_of_confronted_pairs() -> None:
    # By its definition: per issue, the dyads headed for confrontation over all n(n-1)/2
    # pairs of the actors taking part, averaged over the issues. Karabakh: 9 actors on
    # each issue (36 pairs); 4, 4, 9, 6 and 23 dyads, so (4+4+9+6+23) / 36 / 5 = 46/180 (the
    # dyad counts are the model's own output on the coding of the second review, 6dd410e).
    f = sc.forecast("karabakh-2020", "expected-utility")
    pairs = f.confrontations()
    shares = []
    for item in f.issues:
        n = len(f.details("expected-utility")[item.issue].actor_ids)
        shares.append(len(pairs[item.issue]) / (n * (n - 1) / 2))
    assert f.escalation_index() == pytest.approx(sum(shares) / len(shares))
    assert [len(pairs[i.issue]) for i in f.issues] == [4, 4, 9, 6, 23]  # a drift check
    assert f.escalation_index() == pytest.approx(46 / 180)
    assert f.to_dict()["escalation_index"] == f.escalation_index()


# --- conflict outputs by hand (issue 22) -------------------------------------------------------
def _with_final_kind(result: EUResult, kind: np.ndarray) -> EUResult:
    return replace(result, final_kind=kind)


def test_conflict_share_counts_one_direction_confrontations_by_hand() -> None:
    # Three actors: 3 pairs. Actor 2 alone sees actor 0 as a confrontation (one direction):
    # one dyad of three, share 1/3. Then every actor sees every other so: 3 of 3, share 1.
    three = _three_actor_issue()
    one_way = np.full((3, 3), NO_OFFER)
    one_way[2, 0] = CONFRONTATION
    some = _with_final_kind(three, one_way)
    assert some.confrontations() == [("a", "c")]
    assert some.conflict_share() == pytest.approx(1 / 3)
    all_pairs = np.full((3, 3), CONFRONTATION)
    np.fill_diagonal(all_pairs, NO_OFFER)
    every = _with_final_kind(three, all_pairs)
    assert every.confrontations() == [("a", "b"), ("a", "c"), ("b", "c")]
    assert every.conflict_share() == 1.0
    # the escalation index is the mean of the issues' shares, (1/3 + 1) / 2, not their max
    details = EUDetails(issues={"one": some, "two": every})
    assert details.escalation_index() == pytest.approx(2 / 3)
    assert EUDetails(issues={}).escalation_index() is None


def _three_actor_issue() -> EUResult:
    ec = sc.issue_arrays(sc.load("ec-emissions-1994"), "emissions")
    keep = [0, 1, 2]
    arrays = replace(
        ec,
        actor_ids=("a", "b", "c"),
        position=ec.position[keep],
        capability=ec.capability[keep],
        salience=ec.salience[keep],
    )
    return ExpectedUtility().result(arrays)


def test_ec_confrontations_and_their_share() -> None:
    # Which dyads end in confrontation is the model's own output (a drift check: Luxembourg
    # and Ireland each see Belgium so, one direction only); their share is by hand: 2 of the
    # 10 x 9 / 2 = 45 pairs.
    result = ExpectedUtility().result(EC)
    assert result.confrontations() == [("belgium", "ireland"), ("belgium", "luxembourg")]
    assert result.conflict_share() == pytest.approx(2 / 45)
    kind = result.final_kind
    assert kind[2, 1] == kind[7, 1] == CONFRONTATION  # luxembourg and ireland see belgium
    assert kind[1, 2] != CONFRONTATION
    assert kind[1, 7] != CONFRONTATION


def test_monte_carlo_confrontations_count_either_direction() -> None:
    # The EC case has no uncertain number: every draw is the point forecast, whose two
    # confrontations run one way only (Luxembourg -> Belgium, Ireland -> Belgium). Each
    # must count in every draw (share 1.0); every other pair in none.
    from statecraft.analysis import uncertainty as u

    r = u.simulate(sc.load("ec-emissions-1994"), "expected-utility", draws=4)
    shares = r.confrontation[("emissions", "expected-utility")]
    assert len(shares) == 45
    assert {pair for pair, v in shares.items() if v} == {
        ("belgium", "luxembourg"),
        ("belgium", "ireland"),
    }
    assert shares[("belgium", "luxembourg")] == shares[("belgium", "ireland")] == 1.0


def test_escalation_index_counts_issues_of_two_actors_or_more() -> None:
    # One actor has no pair: its share is 0 and the index leaves the issue out. Two actors
    # in confrontation: 1 pair of 1, share 1. With the three-actor issue at 1/3, the index
    # is (1/3 + 1) / 2 = 2/3, not (1/3 + 1 + 0) / 3 and not 1/3.
    three = _three_actor_issue()
    one_way = np.full((3, 3), NO_OFFER)
    one_way[2, 0] = CONFRONTATION
    some = _with_final_kind(three, one_way)
    solo = replace(three, actor_ids=("a",), final_kind=np.full((1, 1), NO_OFFER))
    assert solo.conflict_share() == 0.0
    pair = replace(three, actor_ids=("a", "b"), final_kind=np.array([[NO_OFFER, 1], [0, 0]]))
    assert pair.confrontations() == [("a", "b")]
    assert pair.conflict_share() == 1.0
    details = EUDetails(issues={"some": some, "solo": solo, "pair": pair})
    assert details.escalation_index() == pytest.approx(2 / 3)


def test_ec_result_as_json_by_round() -> None:
    # Round 0 holds the inputs, the median 7.0 and the mean 7.390 (as above) and no risk;
    # round t holds the risk of the round that led to it (round 1: Belgium 0.754, from the
    # replication of Scholz's code) and the moves accepted in it, one per mover.
    result = ExpectedUtility().result(EC)
    data = result.to_dict()
    rounds = data["rounds"]
    assert [r["round"] for r in rounds] == list(range(result.rounds + 1))
    assert rounds[0]["positions"] == dict(zip(EC.actor_ids, map(float, EC.position), strict=True))
    assert rounds[0]["median"] == 7.0
    assert round(rounds[0]["mean"], 3) == 7.390
    assert rounds[0]["risk"] is None
    assert rounds[0]["moves"] == []
    assert rounds[1]["risk"]["belgium"] == pytest.approx(0.754, abs=5e-4)
    assert rounds[1]["positions"]["belgium"] == pytest.approx(8.416, abs=5e-4)
    accepted = [o for o in result.offers() if o["accepted"] and o["round"] == 1]
    assert rounds[1]["moves"] == [
        {"actor": o["to"], "toward": o["from"], "kind": o["kind"]} for o in accepted
    ]
    assert any(o["to"] == "belgium" for o in accepted)  # Belgium moved in round 1
    assert data["forecast"] == result.forecast
    assert data["settled"] is False
    assert data["last_move"] == result.last_move
    assert data["confrontations"] == [["belgium", "ireland"], ["belgium", "luxembourg"]]
    assert data["conflict_share"] == pytest.approx(2 / 45)
    assert len(data["final_views"]) == 90
    assert data["offers"] == result.offers()
    # views of a round are numbered from 1
    assert {v["round"] for v in result.views(0)} == {1}
    assert {v["round"] for v in result.views()} == {result.rounds}


def test_forecast_json_carries_the_rounds_and_confrontations() -> None:
    f = sc.forecast("ec-emissions-1994", "expected-utility")
    data = f.to_dict()
    assert data["confrontations"] == {
        "emissions": [["belgium", "ireland"], ["belgium", "luxembourg"]]
    }
    assert data["rounds"]["emissions"][0]["median"] == 7.0
    assert data["escalation_index"] == pytest.approx(2 / 45)
