"""KTAB's spatial model: its building blocks by hand, KTAB's own reference runs, invariants,
the model in forecasts and on the command line."""

from __future__ import annotations

import copy
import json
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
from statecraft.models import Spatial, get_model
from statecraft.models.spatial import SpatialOptions, rescaled_powers, run_spatial
from statecraft.models.spatial_blocks import (
    _risk,
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
