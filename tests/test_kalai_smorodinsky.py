"""The weighted Kalai-Smorodinsky solution on cases worked by hand, its degenerate cases, where
it meets the Nash solution, and its properties on random issues (docs/models/kalai-smorodinsky.md
derives every formula used here)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import statecraft as sc
from statecraft.models import OptionError, nash_bargaining
from statecraft.models.kalai_smorodinsky import KalaiSmorodinsky, kalai_smorodinsky

ONE = np.ones(2)
X = np.array([60.0, 100.0])


def ks(x: Any, c: Any, s: Any, q: float, **options: Any) -> float:
    return float(kalai_smorodinsky(np.asarray(x, float), np.asarray(c, float), s, q, **options))


# --- two actors, worked by hand -----------------------------------------------------------------
@pytest.mark.parametrize("utility", ["quadratic", "linear"])
def test_two_equal_actors_meet_at_the_harmonic_mean(utility: str) -> None:
    # q = 0; agreements [0, 120] hold both positions, so A = 60^2, 100^2 (linear: 60, 100).
    # Quadratic: x(120 - x)/3600 = x(200 - x)/10000 -> 10000(120 - x) = 3600(200 - x)
    # -> 6400x = 480000 -> x = 75. Linear on [60, 100]: (120 - x)/60 = x/100 -> x = 75.
    # Both are the harmonic mean 2 * 60 * 100 / 160.
    assert ks(X, ONE, ONE, 0.0, utility=utility) == pytest.approx(75.0, abs=1e-9)
    for weighting in ("concession", "gain"):  # the same with equal weights
        assert ks(X, ONE, ONE, 0.0, utility=utility, weighting=weighting) == pytest.approx(75.0)


def test_kalai_smorodinsky_is_not_nash() -> None:
    # Nash: 71.0102 (quadratic), 60 (linear: the kink) -- docs/models/nash.md.
    assert float(nash_bargaining(X, ONE, ONE, 0.0)) == pytest.approx(71.0102, abs=1e-4)
    assert float(nash_bargaining(X, ONE, ONE, 0.0, utility="linear")) == pytest.approx(60.0)
    assert ks(X, ONE, ONE, 0.0) == pytest.approx(75.0)


def test_unequal_weights_concession() -> None:
    # Weights 1 and 0.5 (capability 2 and 1), q = 0. Concessions w_i (1 - g_i) equal:
    # quadratic 1 - g_i = (x/d_i - 1)^2 -> sqrt(w1)(x/60 - 1) = sqrt(w2)(1 - x/100)
    # -> x = (1 + sqrt(.5)) / (1/60 + sqrt(.5)/100) = 71.9154...
    cap = [2.0, 1.0]
    quad = (1 + math.sqrt(0.5)) / (1 / 60 + math.sqrt(0.5) / 100)
    assert ks(X, cap, ONE, 0.0) == pytest.approx(quad, abs=1e-9)
    assert quad == pytest.approx(71.9154, abs=1e-4)
    # linear 1 - g_i = |x - d_i|/d_i -> (x/60 - 1) = 0.5(1 - x/100) -> x = 1.5/(1/60 + 1/200)
    # = 900/13
    assert ks(X, cap, ONE, 0.0, utility="linear") == pytest.approx(900 / 13, abs=1e-9)
    # The heavier actor gets the nearer outcome than with equal weights (75).
    assert ks(X, [1.0, 2.0], ONE, 0.0) > 75.0


def test_unequal_weights_gain() -> None:
    # Shares g_i / w_i equal. Weights 1 and 0.9, quadratic: (120 - x)/3600 = (200 - x)/9000
    # -> 9000(120 - x) = 3600(200 - x) -> 5400x = 360000 -> x = 66.67;
    # linear: (120 - x)/60 = x/90 -> 150x = 10800 -> x = 72.
    s = np.array([1.0, 0.9])
    assert ks(X, ONE, s, 0.0, weighting="gain") == pytest.approx(200 / 3, abs=1e-9)
    assert ks(X, ONE, s, 0.0, weighting="gain", utility="linear") == pytest.approx(72.0)
    # Weights 1 and 0.5: at 60 the shares over weights are 1/1 and 0.84/0.5, so the heavier
    # actor is the worse off at its own position: the solution is that position.
    assert ks(X, [2.0, 1.0], ONE, 0.0, weighting="gain") == pytest.approx(60.0, abs=1e-9)
    # ... and from a status quo of -100 even weights 1 and 0.9 give it (the reason the
    # default carries the weights on the concessions): -100: 60; concession: 77.26.
    assert ks(X, ONE, s, -100.0, weighting="gain") == pytest.approx(60.0, abs=1e-9)
    assert 60.0 < ks(X, ONE, s, -100.0) < ks(X, ONE, ONE, -100.0)


def test_the_ideal_point_over_agreements_or_positions() -> None:
    # q = 50: the actor at 60 accepts [50, 70]; the actor at 100 gets at most 2500 - 900 =
    # 1600 there. Quadratic agreeable: (100 - y^2)/100 = (2500 - (40 - y)^2)/1600, y = x - 60
    # -> 3y^2 + 16y - 140 = 0 -> y = 14/3. Position: (100 - y^2)/100 = (2500 - (40-y)^2)/2500
    # -> the harmonic mean of 10 and 50 from q: 50 + 50/3.
    assert ks(X, ONE, ONE, 50.0) == pytest.approx(60 + 14 / 3, abs=1e-9)
    assert ks(X, ONE, ONE, 50.0, ideal="position") == pytest.approx(50 + 50 / 3, abs=1e-9)
    # Linear agreeable: A = 10 and 50 - 30 = 20; (70 - x)/10 = (x - 50)/20 -> x = 190/3.
    # Linear position: (70 - x)/10 = (x - 50)/50 -> x = 200/3.
    assert ks(X, ONE, ONE, 50.0, utility="linear") == pytest.approx(190 / 3, abs=1e-9)
    assert ks(X, ONE, ONE, 50.0, utility="linear", ideal="position") == pytest.approx(200 / 3)
    # Where every position is an agreement (q = 0: agreements [0, 120]) they coincide.
    assert ks(X, ONE, ONE, 0.0, ideal="position") == pytest.approx(ks(X, ONE, ONE, 0.0))


# --- three actors -------------------------------------------------------------------------------
@pytest.mark.parametrize("utility", ["quadratic", "linear"])
def test_three_equal_actors_the_extremes_bind(utility: str) -> None:
    # q = 0, positions 20, 30, 36 (all agreements: 36 <= 2 * 20). For x between 20 and 36 the
    # actor at 20 loses as x rises and the other two gain; the farther one has the smaller
    # share (g = 1 - (1 - x/d)^2 or x/d), so 20 and 36 bind: x = 2*20*36/56 = 180/7 = 25.71,
    # where the middle actor's share (0.98; linear 0.857) exceeds theirs (0.918; 0.714).
    x = [20.0, 30.0, 36.0]
    assert ks(x, np.ones(3), np.ones(3), 0.0, utility=utility) == pytest.approx(180 / 7, abs=1e-9)
    # The middle actor does not matter while it stays between the binding pair.
    moved = [20.0, 22.0, 36.0] if utility == "quadratic" else [20.0, 34.0, 36.0]
    assert ks(moved, np.ones(3), np.ones(3), 0.0, utility=utility) == pytest.approx(180 / 7)


def test_three_actors_a_heavy_middle_actor_binds() -> None:
    # q = 0, positions 20, 30, 36 with weights 0.1, 1, 0.1 (capability 1, 10, 1). Quadratic
    # concessions -w (x/d - 1)^2: for x in (20, 30) the actor at 20 loses and binds with the
    # heavy one at 30: sqrt(.1)(x/20 - 1) = (1 - x/30) -> x = (sqrt(.1) + 1) /
    # (sqrt(.1)/20 + 1/30) = 26.7827; there the actor at 36 concedes 0.1 (1 - x/36)^2 = 0.0066
    # < 0.0115 = the binding pair's, so it does not bind.
    x, c = [20.0, 30.0, 36.0], [1.0, 10.0, 1.0]
    want = (math.sqrt(0.1) + 1) / (math.sqrt(0.1) / 20 + 1 / 30)
    assert ks(x, c, np.ones(3), 0.0) == pytest.approx(want, abs=1e-9)
    assert want == pytest.approx(26.7827, abs=1e-4)  # the figure above, to its 4 decimals


# --- degenerate cases ---------------------------------------------------------------------------
def test_one_actor_gets_its_position() -> None:
    for utility in ("quadratic", "linear"):
        for ideal in ("agreeable", "position"):
            got = ks([70.0], [3.0], np.array([0.4]), 20.0, utility=utility, ideal=ideal)
            assert got == pytest.approx(70.0, abs=1e-9)


def test_nobody_can_gain_gives_the_status_quo() -> None:
    assert ks([50.0, 50.0], ONE, ONE, 50.0) == 50.0  # everybody at the status quo
    assert ks([50.0, 100.0], ONE, ONE, 50.0) == 50.0  # one actor with a say at it: a veto
    assert ks([0.0, 100.0], ONE, ONE, 50.0) == 50.0  # both sides: only 50 is agreeable
    assert ks([0.0, 100.0], ONE, np.zeros(2), 50.0) == 50.0  # nobody has a say
    assert ks([0.0, 100.0], np.zeros(2), ONE, 50.0) == 50.0


def test_an_actor_without_a_say_is_left_out() -> None:
    # Salience 0 at the status quo: no veto, no share; the other two are the 60/100 case.
    got = ks([60.0, 100.0, 0.0], np.ones(3), np.array([1.0, 1.0, 0.0]), 0.0)
    assert got == pytest.approx(75.0)
    assert ks([60.0, 100.0, 300.0], np.ones(3), np.array([1.0, 1.0, 0.0]), 0.0) == (
        pytest.approx(75.0)
    )


def test_everyone_at_one_position() -> None:
    assert ks([40.0, 40.0, 40.0], [1.0, 2.0, 3.0], np.ones(3), 10.0) == pytest.approx(40.0)


# --- where it meets the Nash solution -----------------------------------------------------------
@pytest.mark.parametrize(
    ("x", "c", "q"),
    [
        ([70.0], [1.0], 20.0),  # one actor: its position
        ([40.0, 40.0], [1.0, 3.0], 10.0),  # a symmetric problem: both at one position
        ([0.0, 100.0], [1.0, 1.0], 50.0),  # nothing agreeable: the status quo
        ([50.0, 80.0], [1.0, 1.0], 50.0),  # a veto
    ],
)
def test_equal_to_nash_where_theory_says(x: list[float], c: list[float], q: float) -> None:
    s = np.ones(len(x))
    assert ks(x, c, s, q) == pytest.approx(float(nash_bargaining(np.array(x), c, s, q)), abs=1e-9)


def test_far_status_quo_two_equal_actors_meet_nash_at_the_midpoint() -> None:
    # Distances 10040 and 10060: KS at the harmonic mean, 2*10040*10060/20100 - 10000 =
    # 49.990; Nash tends to the mean. Both within 0.01 of 50, and of each other.
    x = np.array([40.0, 60.0])
    got = ks(x, ONE, ONE, -10_000.0)
    assert got == pytest.approx(2 * 10040 * 10060 / 20100 - 10_000, abs=1e-6)
    # the exact value is pinned just above; these say that both are 50 to 0.01, the limit as
    # the status quo recedes, which they approach as 1/|q| (here 0.00995 away)
    assert got == pytest.approx(50.0, abs=0.01)
    assert float(nash_bargaining(x, ONE, ONE, -10_000.0)) == pytest.approx(got, abs=0.01)


def test_far_status_quo_many_actors_the_midrange_not_the_mean() -> None:
    # Positions 0, 10, 100, q far below: KS minimises the largest (x - x_i)^2, the midpoint
    # of the extremes, 50; Nash tends to the mean, 36.7.
    x, one = np.array([0.0, 10.0, 100.0]), np.ones(3)
    # limits as q recedes, approached as range^2 / |q|: at q = -1e6 the solutions are 0.0025
    # (KS) and 0.004 (Nash) from them, within 0.01
    assert ks(x, one, one, -1e6) == pytest.approx(50.0, abs=0.01)
    assert float(nash_bargaining(x, one, one, -1e6)) == pytest.approx(110 / 3, abs=0.01)


# --- the model ----------------------------------------------------------------------------------
def test_the_model_on_a_scenario(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    # tax: status quo 20, actors at 60, 0 and 100 with a say on both sides: nothing agreeable.
    assert KalaiSmorodinsky().predict(sc.issue_arrays(s, "tax")) == 20.0
    tiny["issues"][0]["status_quo"] = 0
    tiny["actors"][1]["stances"]["tax"]["position"] = 0.0
    tiny["actors"][1]["stances"]["tax"]["salience"] = 0.0  # b, now without a say
    s = sc.Scenario.model_validate(tiny)
    # a at 60 (weight 3), c at 100 (weight 4 x 0.25 = 1): weights 1 and 1/3 with q = 0:
    # (1 + sqrt(1/3)) / (1/60 + sqrt(1/3)/100)
    want = (1 + math.sqrt(1 / 3)) / (1 / 60 + math.sqrt(1 / 3) / 100)
    f = sc.forecast(s, "kalai-smorodinsky")
    assert f.value("tax", "kalai-smorodinsky") == pytest.approx(want)
    date = next(i for i in f.issues if i.issue == "date")
    assert date.forecasts["kalai-smorodinsky"] is None
    assert "status quo" in date.not_applicable["kalai-smorodinsky"]


def test_options_are_checked() -> None:
    assert KalaiSmorodinsky().options == {
        "utility": "quadratic",
        "ideal": "agreeable",
        "weighting": "concession",
    }
    with pytest.raises(OptionError, match="option ideal must be one of agreeable, position"):
        KalaiSmorodinsky(ideal="utopia")
    with pytest.raises(OptionError, match="unknown option 'rounds'"):
        KalaiSmorodinsky(rounds=3)


def test_draws_are_one_vectorised_call() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 100, size=(200, 5))
    c = rng.uniform(0.1, 5, size=(200, 5))
    s = rng.uniform(0, 1, size=(200, 5))
    q = rng.uniform(0, 30, size=200)
    for options in ({}, {"utility": "linear", "ideal": "position", "weighting": "gain"}):
        batched = kalai_smorodinsky(x, c, s, q, **options)
        looped = [kalai_smorodinsky(x[k], c[k], s[k], q[k], **options) for k in range(200)]
        np.testing.assert_array_equal(batched, looped)
        assert np.isfinite(batched).all()
        moved = batched != q
        assert 20 < moved.sum() < 200  # both kinds of issue are in the sample


# --- properties ---------------------------------------------------------------------------------
positions = st.lists(st.floats(0, 100, allow_subnormal=False), min_size=1, max_size=6)
OPTIONS = st.fixed_dictionaries(
    {
        "utility": st.sampled_from(["quadratic", "linear"]),
        "ideal": st.sampled_from(["agreeable", "position"]),
        "weighting": st.sampled_from(["concession", "gain"]),
    }
)


@st.composite
def issues(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    x = np.array(draw(positions))
    k = len(x)
    c = np.array(draw(st.lists(st.floats(0.01, 10), min_size=k, max_size=k)))
    s = np.array(draw(st.lists(st.floats(0, 1), min_size=k, max_size=k)))
    q = draw(st.floats(0, 100, allow_subnormal=False))
    return x, c, s, q


@settings(max_examples=300, deadline=None)
@given(issues(), OPTIONS)
def test_within_the_positions_and_the_status_quo(issue: Any, options: dict[str, str]) -> None:
    x, c, s, q = issue
    got = ks(x, c, s, q, **options)
    assert min(x.min(), q) - 1e-9 <= got <= max(x.max(), q) + 1e-9


@settings(max_examples=300, deadline=None)
@given(issues(), OPTIONS, st.data())
def test_moving_out_never_moves_the_solution_away(
    issue: Any, options: dict[str, str], data: st.DataObject
) -> None:
    x, c, s, q = issue
    before = ks(x, c, s, q, **options)
    j = data.draw(st.integers(0, len(x) - 1))
    step = data.draw(st.floats(0.01, 50))
    moved = x.copy()
    moved[j] = x[j] + step if x[j] >= before else x[j] - step
    after = ks(moved, c, s, q, **options)
    if x[j] >= before:
        assert after >= before - 1e-9
    else:
        assert after <= before + 1e-9


@settings(max_examples=300, deadline=None)
@given(issues(), OPTIONS, st.data())
def test_more_weight_never_moves_the_solution_away(
    issue: Any, options: dict[str, str], data: st.DataObject
) -> None:
    x, c, s, q = issue
    before = ks(x, c, s, q, **options)
    j = data.draw(st.integers(0, len(x) - 1))
    heavier = c.copy()
    heavier[j] *= data.draw(st.floats(1, 10))
    after = ks(x, heavier, s, q, **options)
    if x[j] > before:
        assert after >= before - 1e-9
    elif x[j] < before:
        assert after <= before + 1e-9


# --- issue 22: the options through the model, the scale, rounding at the ends --------------------
def _issue(x: list[float], c: list[float], q: float) -> Any:
    from statecraft.arrays import IssueArrays

    return IssueArrays(
        issue_id="x",
        actor_ids=tuple("abcdefgh"[: len(x)]),
        capability=np.array(c),
        position=np.array(x),
        salience=np.ones(len(x)),
        low=0.0,
        high=100.0,
        status_quo=q,
        actual=None,
    )


def test_the_model_passes_every_option_through() -> None:
    # The cases worked by hand above, through the model class: q = 50, actors at 60 and 100.
    issue = _issue([60.0, 100.0], [1.0, 1.0], 50.0)
    assert float(KalaiSmorodinsky().predict(issue)) == pytest.approx(60 + 14 / 3, abs=1e-9)
    got = KalaiSmorodinsky(ideal="position").predict(issue)
    assert float(got) == pytest.approx(50 + 50 / 3, abs=1e-9)
    got = KalaiSmorodinsky(utility="linear").predict(issue)
    assert float(got) == pytest.approx(190 / 3, abs=1e-9)
    # weights 1 and 0.5 (capabilities 2 and 1), q = 0: gain weighting gives 60, concession
    # weighting (1 + sqrt(.5)) / (1/60 + sqrt(.5)/100)
    issue = _issue([60.0, 100.0], [2.0, 1.0], 0.0)
    assert float(KalaiSmorodinsky(weighting="gain").predict(issue)) == pytest.approx(60.0, abs=1e-9)
    want = (1 + math.sqrt(0.5)) / (1 / 60 + math.sqrt(0.5) / 100)
    assert float(KalaiSmorodinsky().predict(issue)) == pytest.approx(want, abs=1e-9)


@pytest.mark.parametrize("unit", [1e-200, 1e200])
@pytest.mark.parametrize("utility", ["quadratic", "linear"])
def test_far_from_the_scale_of_one_the_solution_is_the_same(unit: float, utility: str) -> None:
    # The harmonic-mean case (75) and the three-actor case (180/7) in units of 1e-200 and
    # 1e200, each with an actor without a say far away (it must not set the unit): the
    # squares of raw distances would underflow to 0 or overflow to inf there.
    x = np.array([60.0, 100.0, 1e6]) * unit
    s = np.array([1.0, 1.0, 0.0])
    got = float(kalai_smorodinsky(x, np.ones(3), s, 0.0, utility=utility))  # type: ignore[arg-type]
    assert got / unit == pytest.approx(75.0, rel=1e-12)  # rounding of the rescaling only
    x = np.array([20.0, 30.0, 36.0, -5e5]) * unit
    s = np.array([1.0, 1.0, 1.0, 0.0])
    got = float(kalai_smorodinsky(x, np.ones(4), s, 0.0, utility=utility))  # type: ignore[arg-type]
    assert got / unit == pytest.approx(180 / 7, rel=1e-12)


@pytest.mark.parametrize(("x", "q"), [(0.1, 0.7), (0.9, 0.3)])
def test_one_actor_gets_exactly_its_position_after_rounding(x: float, q: float) -> None:
    # 0.7 - |0.1 - 0.7| = 0.09999999999999998 and 0.3 + |0.9 - 0.3| = 0.9000000000000001 in
    # floats: the solution, q + (its unit) x 1, would land a rounding error beyond the
    # actor's position; it is kept within the positions of the actors with a say, exactly.
    assert 0.7 - abs(0.1 - 0.7) != 0.1
    assert 0.3 + abs(0.9 - 0.3) != 0.9
    got = ks([x], [1.0], np.ones(1), q)
    assert got == x
    # with a silent actor beyond it, the bounds are still those of the actors with a say
    got = ks([x, 2 * x - q], [1.0, 1.0], np.array([1.0, 0.0]), q)
    assert got == x


def test_positions_shared_by_every_draw_broadcast_against_batched_weights() -> None:
    # One row of positions for every draw, capabilities and saliences per draw, a status quo
    # per draw; and the other way round (positions per draw, weights shared).
    rng = np.random.default_rng(5)
    x = np.array([10.0, 35.0, 60.0, 90.0])
    c = rng.uniform(0.1, 5, size=(80, 4))
    s = rng.uniform(0.05, 1, size=(80, 4))
    q = rng.uniform(-40, 130, size=80)
    xs = rng.uniform(0, 100, size=(80, 4))
    for options in ({}, {"utility": "linear", "ideal": "position", "weighting": "gain"}):
        batched = kalai_smorodinsky(x, c, s, q, **options)
        looped = [float(kalai_smorodinsky(x, c[k], s[k], q[k], **options)) for k in range(80)]
        np.testing.assert_array_equal(batched, looped)
        assert 10 < (batched != q).sum() < 70  # both kinds of issue are in the sample
        batched = kalai_smorodinsky(xs, c[0], s[0], q, **options)
        looped = [float(kalai_smorodinsky(xs[k], c[0], s[0], q[k], **options)) for k in range(80)]
        np.testing.assert_array_equal(batched, looped)


def test_an_actor_without_a_say_plays_no_part_however_far() -> None:
    # Actors with a say at 60e-200 and 100e-200 (q = 0: 75e-200, the harmonic mean) and one
    # without a say at 1e200: its distance in units of theirs (1e400) overflows, and must
    # change nothing, nor warn (the suite turns warnings into errors).
    x = np.array([60e-200, 100e-200, 1e200])
    got = float(kalai_smorodinsky(x, np.ones(3), np.array([1.0, 1.0, 0.0]), 0.0))
    assert got / 1e-200 == pytest.approx(75.0, rel=1e-12)  # rounding of the rescaling only


@pytest.mark.parametrize("unit", [1.0, 1e-200, 1e200])
def test_everyone_at_one_position_across_the_status_quo_at_any_scale(unit: float) -> None:
    # Both actors at -q: each gains most there, so the solution is that position, exactly
    # or to rounding. The unit is their distance from q (2q), so nothing overflows at 1e200.
    x = np.array([-1.0, -1.0]) * unit
    assert ks(x, [1.0, 2.0], ONE, unit) == pytest.approx(-unit, rel=1e-12)


def test_the_mirror_images_of_the_cases_by_hand() -> None:
    # Reflect the scale (x -> 100 - x, q -> 100 - q): the solution reflects. With the status
    # quo above every position, the agreements lie below it, and the actor nearest the
    # status quo has its ideal clipped from below (q = 50, actors at 40 and 0: agreements
    # [30, 50]; the actor at 0 gets at most 2500 - 900 = 1600 there).
    m = np.array([40.0, 0.0])
    assert ks(m, ONE, ONE, 100.0) == pytest.approx(25.0, abs=1e-9)  # 100 - 75
    assert ks(m, ONE, ONE, 50.0) == pytest.approx(40 - 14 / 3, abs=1e-9)  # 100 - (60 + 14/3)
    assert ks(m, ONE, ONE, 50.0, ideal="position") == pytest.approx(50 - 50 / 3, abs=1e-9)
    assert ks(m, ONE, ONE, 50.0, utility="linear") == pytest.approx(100 - 190 / 3, abs=1e-9)
    cap = [2.0, 1.0]
    want = 100 - (1 + math.sqrt(0.5)) / (1 / 60 + math.sqrt(0.5) / 100)
    assert ks(m, cap, ONE, 100.0) == pytest.approx(want, abs=1e-9)


def test_a_draw_in_which_nobody_has_a_say_gives_its_status_quo() -> None:
    # Two draws of one issue: in the first every salience is 0 (nobody can gain: the status
    # quo, 10), in the second the 60/100 case from 0 (75). Each draw on its own terms.
    x = np.array([[60.0, 100.0], [60.0, 100.0]])
    s = np.array([[0.0, 0.0], [1.0, 1.0]])
    got = kalai_smorodinsky(x, np.ones((2, 2)), s, np.array([10.0, 0.0]))
    assert got[0] == 10.0
    assert got[1] == pytest.approx(75.0, abs=1e-9)


def test_each_draw_is_kept_within_its_own_positions_exactly() -> None:
    # The rounding cases above as draws of a batch, next to draws whose positions lie beyond
    # them: each solution is clipped to its own draw's positions, not the batch's.
    x = np.array([[0.9], [5.0], [0.1], [-5.0]])
    q = np.array([0.3, 0.0, 0.7, 0.0])
    got = kalai_smorodinsky(x, np.ones((4, 1)), np.ones((4, 1)), q)
    assert list(got) == [0.9, 5.0, 0.1, -5.0]
