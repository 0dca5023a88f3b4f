"""Levers, sweeps and the flip search: closed forms against finite differences and against
cases worked by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import statecraft as sc
from statecraft.analysis._closed import compromise_derivative
from statecraft.analysis._levers import lever_inputs, parse_input, variant_forecasts
from statecraft.analysis.advise import advise, sweep, what_flips
from statecraft.arrays import scenario_batch
from statecraft.models import Compromise


def three(**extra: Any) -> sc.Scenario:
    """One issue, status quo 50: A at 100 (capability 2), B at 60, C at 0; all salience 1.
    Compromise: (2*100 + 60 + 0) / 4 = 65. Gains (status quo 50, width 100): A 0.15,
    B 0.05, C -0.15, so A is the biggest winner."""
    data = {
        "name": "three",
        "issues": [{"id": "x", "label": "X", "scale": {"low": 0, "high": 100}, "status_quo": 50}],
        "actors": [
            {"id": "a", "capability": 2, "stances": {"x": {"position": 100, "salience": 1}}},
            {"id": "b", "capability": 1, "stances": {"x": {"position": 60, "salience": 1}}},
            {"id": "c", "capability": 1, "stances": {"x": {"position": 0, "salience": 1}}},
        ],
        **extra,
    }
    return sc.Scenario.model_validate(data)


def two() -> sc.Scenario:
    """A at 0 (capability 3), B at 100 (capability 1), salience 1, status quo 0: the
    compromise is 25 (the weighted_mean doctest), W = 4."""
    return sc.Scenario.model_validate(
        {
            "name": "two",
            "issues": [
                {"id": "x", "label": "X", "scale": {"low": 0, "high": 100}, "status_quo": 0}
            ],
            "actors": [
                {"id": "a", "capability": 3, "stances": {"x": {"position": 0, "salience": 1}}},
                {"id": "b", "capability": 1, "stances": {"x": {"position": 100, "salience": 1}}},
            ],
        }
    )


def test_closed_forms_by_hand() -> None:
    s = two()
    batch = scenario_batch(s)
    got = {i.key: float(compromise_derivative(batch, i)[0, 0]) for i in lever_inputs(s)}
    assert got["a:x:position"] == pytest.approx(3 / 4)  # w_a / W
    assert got["b:x:position"] == pytest.approx(1 / 4)
    assert got["a:x:salience"] == pytest.approx(3 * (0 - 25) / 4)  # c_a (x_a - 25) / W
    assert got["b:x:salience"] == pytest.approx(1 * (100 - 25) / 4)
    assert got["b:x:capability"] == pytest.approx(1 * (100 - 25) / 4)  # s_b (x_b - 25) / W
    assert got["b:capability"] == pytest.approx(75 / 4)  # the overall capability sets it


def test_lever_effects_by_hand() -> None:
    # B's gain: (|0 - 100| - |o - 100|) / 100 = o / 100 at 25: 0.25; d gain / d o = 1/100.
    adv = advise(two(), "b", model="compromise", draws=0, flips=False)
    rows = {lv.input: lv for lv in adv.levers}
    assert adv.goal_value == pytest.approx(0.25)
    assert rows["b:x:position"].effect_per_unit == pytest.approx(0.25 / 100)
    # B's position over its default range, the scale: o from 0 to 25, gain from 0 to 0.25
    assert rows["b:x:position"].effect_range == pytest.approx(0.25)
    # raising it would help B, but B already sits at the scale's top (100)
    assert rows["b:x:position"].direction == "at its limit"
    assert rows["a:x:salience"].direction == "calm"  # A pulls the outcome away from B
    # A's position sits at the scale's floor too, but raising it helps B: from 0 to 100 the
    # outcome goes from 25 to 100, B's gain from 0.25 to 1 (+0.75), and raising is possible
    assert rows["a:x:position"].effect_range == pytest.approx(0.75)
    assert rows["a:x:position"].direction == "raise"
    # A leaving: the outcome is B's position, gain 1: +0.75
    assert rows["a:leave"].effect_range == pytest.approx(0.75)
    assert rows["a:leave"].direction == "remove"
    assert rows["b:x:position"].method == "closed form"
    assert adv.levers[0].input == "a:leave"  # ranked by the size of the effect


def _fd(s: sc.Scenario, key: str, h: float) -> np.ndarray:
    item = parse_input(s, key)
    f = variant_forecasts(
        Compromise(), scenario_batch(s), [((item, item.value + h),), ((item, item.value - h),)]
    )
    return (f[0, 0] - f[1, 0]) / (2 * h)


def test_closed_forms_match_finite_differences_on_karabakh() -> None:
    s = sc.load("karabakh-2020")
    batch = scenario_batch(s)
    checked = 0
    for item in lever_inputs(s):
        h = 1e-6 * max(1.0, abs(item.value))
        if (item.kind != "position" and item.value - h <= 0) or item.value + h > item.bounds[1]:
            continue
        # a central difference with step h = 1e-6 (relative): its truncation error is of
        # order h^2 times the third derivative and its rounding error of order 1e-16 / h =
        # 1e-10 of the forecast, so agreement to 1e-5 (relative) is all it can show
        np.testing.assert_allclose(
            compromise_derivative(batch, item)[0], _fd(s, item.key, h), rtol=1e-5, atol=1e-7
        )
        checked += 1
    assert checked > 100


def test_closed_form_per_unit_matches_perturbation() -> None:
    # The same lever table by the closed forms and by central differences (the route of
    # every other model), through a Compromise that does not declare itself one.
    class Plain(Compromise):
        name = "compromise"

    s = sc.load("karabakh-2020")
    exact = advise(s, "armenia", model="compromise", draws=0, flips=False)
    import statecraft.analysis.advise as adv_mod

    orig = adv_mod.Compromise
    try:
        adv_mod.Compromise = type("Nothing", (), {})  # type: ignore[misc]
        fd = advise(s, "armenia", model=Plain(), draws=0, flips=False)
    finally:
        adv_mod.Compromise = orig  # type: ignore[misc]
    a = {lv.input: lv.effect_per_unit for lv in exact.levers if lv.effect_per_unit is not None}
    b = {lv.input: lv.effect_per_unit for lv in fd.levers if lv.effect_per_unit is not None}
    assert fd.levers[0].method == "perturbation"
    for key, value in a.items():
        # The gain is piecewise linear in the forecasts: a central difference across a
        # kink differs; elsewhere the two agree.
        assert b[key] == pytest.approx(value, rel=1e-3, abs=1e-6) or abs(value) < 1e-3, key


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 100), st.floats(0.05, 1), st.floats(0.1, 10)
        ),  # position, salience, capability
        min_size=2,
        max_size=6,
    )
)
def test_compromise_derivatives_properties(actors: list[tuple[float, float, float]]) -> None:
    s = sc.Scenario.model_validate(
        {
            "name": "p",
            "issues": [
                {"id": "x", "label": "X", "scale": {"low": 0, "high": 100}, "status_quo": 50}
            ],
            "actors": [
                {"id": f"a{k}", "capability": c, "stances": {"x": {"position": x, "salience": v}}}
                for k, (x, v, c) in enumerate(actors)
            ],
        }
    )
    batch = scenario_batch(s)
    d = {i.key: float(compromise_derivative(batch, i)[0, 0]) for i in lever_inputs(s)}
    n = len(actors)
    # Moving everyone by the same amount moves the mean by that amount
    assert sum(d[f"a{k}:x:position"] for k in range(n)) == pytest.approx(1.0)
    # Scaling every salience together changes nothing (Euler: sum s_i d/ds_i = 0)
    total = sum(v * d[f"a{k}:x:salience"] for k, (_, v, _) in enumerate(actors))
    assert total == pytest.approx(0.0, abs=1e-9)
    # And each matches a central difference
    for k in range(n):
        key = f"a{k}:x:salience"
        h = 1e-6
        if actors[k][1] + h <= 1:  # a central difference: to about 1e-4 (as above)
            assert d[key] == pytest.approx(float(_fd(s, key, h)[0]), rel=1e-4, abs=1e-6)


def test_flip_search_by_hand() -> None:
    # A wins at o = 65; below o = 60 A and B gain alike (a tie: no single winner). The
    # cheapest way there is A's position from 100 to 90 ((2*90 + 60) / 4 = 60): 0.1 of its
    # range (the scale). A's capability must fall to 1.5 (0.5 of its range 1 to 4), A's
    # salience to 0.75 (0.25), B's position to 40 (0.2), C's capability rise to 4/3 (0.22).
    # The flip search narrows each change by bisection to 1/4096 of a step of 0.02 of the
    # input's range (analysis/_flip.py): 5e-6 of the range, so positions (range 100) to 5e-4,
    # capabilities (range 3) to 1.5e-5, costs (shares of the range) to 5e-6; the tolerances
    # below (1e-3 on values, 1e-4 on costs) are that, rounded up.
    found = what_flips(three(), "compromise")
    assert found.verdict == "a"
    single = {f.inputs[0]: f for f in found.single}
    assert found.single[0].inputs == ("a:x:position",)
    assert found.single[0].to[0] == pytest.approx(90, abs=1e-3)
    assert found.single[0].cost == pytest.approx(0.1, abs=1e-4)
    assert found.single[0].verdict is None
    assert single["a:x:capability"].to[0] == pytest.approx(1.5, abs=1e-3)
    assert single["a:x:salience"].cost == pytest.approx(0.25, abs=1e-4)
    assert single["b:x:position"].to[0] == pytest.approx(40, abs=1e-3)
    assert single["c:x:capability"].to[0] == pytest.approx(4 / 3, abs=1e-3)
    assert "c:x:position" not in single  # would need -20, off the scale
    assert "b:x:salience" not in single  # B's weight only brings the mean toward 60
    if found.pair is not None:
        assert found.pair.cost < found.single[0].cost


def test_threshold_flip_by_hand() -> None:
    # From 65 up to 70: C's capability to 5/7 (0.286 of its range 0.5 to 2: 0.19) beats
    # B's or C's position (20 points of 100: 0.2).
    found = what_flips(three(), "compromise", issue="x", threshold=70)
    assert found.verdict == "x < 70"
    first = found.single[0]  # to the flip search's precision (test_flip_search_by_hand)
    assert first.inputs[0] in ("c:x:capability", "c:capability")
    assert first.to[0] == pytest.approx(5 / 7, abs=1e-3)
    assert first.cost == pytest.approx((1 - 5 / 7) / 1.5, abs=1e-4)
    assert first.verdict == "x >= 70"


def test_sweep_by_hand() -> None:
    w = sweep(three(), "a:x:position", 80, 100, 5, model="compromise")
    # o = (2x + 60) / 4 at x = 80, 85, 90, 95, 100
    assert [row[0] for row in w.forecasts] == pytest.approx([55, 57.5, 60, 62.5, 65])
    assert w.winners == (None, None, None, "a", "a")
    assert w.changes() == [3]
    assert (w.scenario, w.model) == ("three", "compromise")
    d = w.to_dict()
    assert len(d["points"]) == 5
    assert d["points"][0] == {"value": 80.0, "forecasts": {"x": 55.0}, "winner": None}
    grid = sweep(
        three(),
        "a:x:position",
        80,
        100,
        3,
        second=("c:x:salience", 0.5, 1, 2),
        model="compromise",
    )
    assert grid.to_dict()["grid"] == [3, 2]
    # x_A = 80, s_C = 0.5: (160 + 60) / 3.5
    assert grid.forecasts[0][0] == pytest.approx(220 / 3.5)


def test_robustness_counts_draws() -> None:
    # two() with every number perturbed by 10%: A's position stays within 0..10, B's within
    # 90..100, capabilities within 10%, so the outcome (about 25) stays far below B's
    # position in every draw: raising B's position and calming A always help B.
    data = two().model_dump(mode="json", exclude_none=True)
    s = sc.Scenario.model_validate({**data, "perturb": {"relative": 0.1}})
    adv = advise(s, "b", model="compromise", draws=200, flips=False)
    rows = {lv.input: lv for lv in adv.levers}
    assert adv.draws == 200
    assert rows["b:x:position"].range_from == "scenario"
    assert rows["b:x:position"].low == 90
    assert rows["b:x:position"].robustness == 1.0
    assert rows["a:x:salience"].direction == "calm"
    assert rows["a:x:salience"].robustness == 1.0
    none = advise(two(), "b", model="compromise", draws=200, flips=False)
    assert none.draws == 0  # nothing uncertain to draw
    assert none.levers[0].robustness is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"actor": "nobody"}, "^no actor 'nobody' in three; the actors are: a, b, c$"),
        ({"actor": "a", "issues": ["y"]}, "no issue 'y'"),
        ({"actor": "a", "targets": {"x": 200}}, "must lie on its scale"),
        ({"actor": "a", "draws": -1}, "draws must be"),
        ({"actor": "a", "draws": True}, "^draws must be a whole number of at least 0, not True$"),
        ({"actor": "a", "draws": 2.5}, "^draws must be a whole number of at least 0, not 2.5$"),
        ({"actor": "a", "model": "nope"}, "nope"),
        (
            {"actor": "a", "threshold": 70},
            r"^a threshold needs the issue it is for \(issues=\[\.\.\.\]\)$",
        ),
    ],
)
def test_advise_refuses_bad_input(kwargs: dict[str, Any], message: str) -> None:
    kwargs = dict(kwargs)  # the parametrized dict is shared: a second run must find "actor"
    actor = kwargs.pop("actor")
    with pytest.raises((ValueError, sc.StatecraftError), match=message):
        advise(three(), actor, **kwargs)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("a:x", 0, 1, 3), "ACTOR:ISSUE:FIELD"),
        (("z:x:position", 0, 1, 3), "no actor 'z'"),
        (("a:y:position", 0, 1, 3), "no issue 'y'"),
        (("a:x:colour", 0, 1, 3), "must be one of"),
        (("a:x:salience", 0, 1, 1), "at least 2 steps"),
        (("a:x:salience", 0.5, 0.5, 3), "same value"),
        (("a:x:salience", 0, 2, 3), "from 0 to 1"),
        (("a:x:capability", 0, 2, 3), "above 0"),
        (("a:x:position", float("nan"), 2, 3), "finite"),
    ],
)
def test_sweep_refuses_bad_input(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sweep(three(), *args)


def test_karabakh_advice_has_every_lever_kind() -> None:
    adv = advise(sc.load("karabakh-2020"), "armenia", model="median", draws=50, flips=False)
    kinds = {lv.kind for lv in adv.levers}
    assert kinds == {"position", "salience", "capability", "leave"}
    frame = adv.to_frame()
    assert {"actor", "input", "effect_per_unit", "effect_range", "robustness"} <= set(frame)
    assert "Advice for armenia" in repr(adv)
    data = adv.to_dict()
    assert data["levers"][0]["input"].count(":") >= 1


def test_no_status_quo_means_no_winner_and_no_flip() -> None:
    data = three().model_dump(mode="json", exclude_none=True)
    data["issues"][0].pop("status_quo")
    s = sc.Scenario.model_validate(data)
    found = what_flips(s, "compromise")
    assert found.verdict is None
    assert found.single == ()
    assert sweep(s, "a:x:position", 80, 100, 3, model="compromise").winners == (None,) * 3


def test_leaving_in_one_batched_run_by_hand_and_as_the_patched_scenario() -> None:
    """Without B, the compromise of ``three`` is (2*100 + 0) / 3; without A, (60 + 0) / 2.
    On draws of karabakh-2020, each actor's leaving equals the scenario with it removed."""
    from statecraft.analysis._levers import leave_forecasts
    from statecraft.analysis._patch import Change, Patch, apply_patch
    from statecraft.analysis.draws import draw_block, uncertain_inputs
    from statecraft.arrays import draw_batch

    s = three()
    got = leave_forecasts(Compromise(), scenario_batch(s), [1, 0])
    assert got[:, 0, 0] == pytest.approx([200 / 3, 30.0])
    k = sc.load("karabakh-2020")
    unc = uncertain_inputs(k, actual=False)
    values = draw_block(k, unc, 3, 0, 20)
    batch = draw_batch(k, values, 20)
    for name in ("median", "nash"):
        model = sc.available_models()[name]()
        fast = leave_forecasts(model, batch, [k.actor_ids.index("usa"), 0])
        for row, actor in zip(fast, ["usa", "azerbaijan"], strict=True):
            patch = Patch(name="x", assumes="it leaves", changes=(Change(remove_actor=actor),))
            without = apply_patch(k, patch)
            keys = {i.key for i in uncertain_inputs(without, actual=False)}
            small = draw_batch(without, {a: v for a, v in values.items() if a in keys}, 20)
            slow = variant_forecasts(model, small, [()])[0]
            assert np.allclose(row, slow, equal_nan=True), (name, actor)


def test_an_overall_capability_and_one_issues_capability_are_one_run() -> None:
    """A's capability set to 3, overall or on x (its only issue), gives (300 + 60)/5 = 72;
    one run serves both variants."""
    s = three()
    batch = scenario_batch(s)
    power, on_x = parse_input(s, "a:capability"), parse_input(s, "a:x:capability")
    f = variant_forecasts(Compromise(), batch, [((power, 3.0),), ((on_x, 3.0),), ((on_x, 1.0),)])
    assert f[:, 0, 0] == pytest.approx([72.0, 72.0, 160 / 3])


def test_a_lever_already_at_the_end_it_would_move_to_says_so() -> None:
    # Armenia's position on Turkey's role is coded 0, the scale's floor; lowering it would
    # help Armenia (the compromise forecast moves towards it), but it cannot go lower.
    advice = sc.advise("karabakh-2020", "armenia", model="compromise", draws=0, flips=False)
    lever = next(x for x in advice.levers if x.input == "armenia:turkey_role:position")
    assert lever.value == 0.0
    assert lever.effect_range < 0
    assert lever.direction == "at its limit"
    moving = next(x for x in advice.levers if x.input == "azerbaijan:territory:position")
    assert moving.value == 100.0
    assert moving.direction == "lower"  # at the top, moving down: possible


def _q(value: float, low: float, high: float) -> dict[str, float]:
    return {"value": float(value), "low": float(low), "high": float(high)}


def pairs(mirror: bool = False) -> sc.Scenario:
    """One issue x on 0..100. A at 0 (capability 2), B at 90, C at 80 (capability 1), all
    salience 1: the compromise is (2*0 + 90 + 80) / 4 = 42.5. Status quo 48. Ranges, the
    flip search's units of cost: B's position 85..95 (width 10), C's 70..90 (width 20), A's
    0..1 (width 1); capabilities +-1% of their value, saliences 0.99..1.

    No single change reaches 48 (the flip search moves an input at most 2 units, never past
    its bounds): B's or C's position only up to the scale's top, 100 (1 unit each): 45 or
    47.5; A's position to 2: 43.5; A's capability down to 1.92: 170 / 3.92 = 43.4; B's or
    C's up to 1.04: 173.6 / 4.04 = 43.0 or 173.2 / 4.04 = 42.9; A's salience down to 0.98:
    170 / 3.96 = 42.9; B's and C's saliences cannot rise past 1.

    With ``mirror`` every position p is 100 - p (A at 100, B at 10 in 5..15, C at 20 in
    10..30), status quo 52: the compromise is 57.5."""
    m = (lambda p: 100.0 - p) if mirror else float

    def pos(value: float, low: float, high: float) -> dict[str, float]:
        a, b = sorted((m(low), m(high)))
        return _q(m(value), a, b)

    def stance(p: dict[str, float], c: float) -> dict[str, Any]:
        return {
            "x": {
                "position": p,
                "salience": _q(1, 0.99, 1),
                "capability": _q(c, 0.99 * c, 1.01 * c),
            }
        }

    issue = {"id": "x", "label": "X", "scale": {"low": 0, "high": 100}, "status_quo": m(48)}
    return sc.Scenario.model_validate(
        {
            "name": "pairs",
            "issues": [issue],
            "actors": [
                {"id": "a", "capability": 2, "stances": stance(pos(0, 0, 1), 2)},
                {"id": "b", "capability": 1, "stances": stance(pos(90, 85, 95), 1)},
                {"id": "c", "capability": 1, "stances": stance(pos(80, 70, 90), 1)},
            ],
        }
    )


@pytest.mark.parametrize("mirror", [False, True])
def test_a_pair_flips_a_threshold_that_no_single_change_reaches(mirror: bool) -> None:
    """From 42.5 up to 48.5 (``pairs``): o = 42.5 + 2.5 t_B + 5 t_C for B's and C's
    positions moved t_B, t_C units (10 and 20 points a unit, weight 1 of 4), each at most 1
    (the scale's top). Without a single change the pair grid steps 2 * 2 / 16 = 0.25 units.
    2.5 t_B + 5 t_C >= 6: t_C = 1 needs t_B >= 0.4, so 0.5 (cost 1.5); t_C = 0.75 needs
    t_B = 1 (cost 1.75); the other points of cost 1.5, (0.75, 0.75) and (1, 0.5), give 5.625
    and 5. So C to 100 and B to 95: (0 + 95 + 100) / 4 = 48.75. A pair with another input
    costs at least 3 (from C's 47.5, each unit of the others moves o by under 0.5). C's
    position comes first: it is the candidate with the most progress per unit. Mirrored:
    from 57.5 down below 51.5, C to 0 and B to 5, (200 + 5 + 0) / 4 = 51.25. Grid points and
    moves are exact in binary: compared exactly."""
    threshold = 51.5 if mirror else 48.5
    found = what_flips(pairs(mirror), "compromise", issue="x", threshold=threshold)
    above, below = f"x >= {threshold:g}", f"x < {threshold:g}"
    assert found.verdict == (above if mirror else below)
    assert found.single == ()
    assert found.searched == 9  # 3 actors x (position, salience, capability on x)
    assert found.pair is not None
    assert found.pair.inputs == ("c:x:position", "b:x:position")
    assert found.pair.values == ((20.0, 10.0) if mirror else (80.0, 90.0))
    assert found.pair.to == ((0.0, 5.0) if mirror else (100.0, 95.0))
    assert found.pair.cost == 1.5
    assert found.pair.verdict == (below if mirror else above)
    assert found.cheapest == found.pair


@pytest.mark.parametrize("mirror", [False, True])
def test_a_pair_flips_the_biggest_winner_when_no_single_change_does(mirror: bool) -> None:
    """Gains in ``pairs`` (one issue, salience 1, width 100, interests at their coded
    positions, status quo 48): A (at 0) (48 - o) / 100; B (at 90) (42 - (90 - o)) / 100 =
    (o - 48) / 100; C (at 80) the same. At 42.5 A gains 0.055 and wins; past 48, B and C
    gain alike: no single biggest winner. No single change passes 47.5 (``pairs``); a pair
    needs 2.5 t_B + 5 t_C > 5.5: t_C = 1 and t_B = 0.25 (cost 1.25; the other point of
    cost 1.25 on the grid, (0.75, 0.5), gives 5): C to 100 and B to 92.5, (92.5 + 100) / 4
    = 48.125. Mirrored (status quo 52), C to 0 and B to 7.5: 207.5 / 4 = 51.875 < 52.
    A is the first actor ranked, so its label is 0: the search must still rank the
    candidates by A's lead."""
    found = what_flips(pairs(mirror), "compromise")
    assert (found.scenario, found.model, found.what) == ("pairs", "compromise", "biggest winner")
    assert found.verdict == "a"
    assert found.single == ()
    assert found.pair is not None
    assert found.pair.inputs == ("c:x:position", "b:x:position")
    assert found.pair.values == ((20.0, 10.0) if mirror else (80.0, 90.0))
    assert found.pair.to == ((0.0, 7.5) if mirror else (100.0, 92.5))
    assert found.pair.cost == 1.25
    assert found.pair.verdict is None


def emptied() -> sc.Scenario:
    """A at 30 (salience 0.1) and B at 100 (salience 0) on a 0-100 issue, status quo 50: the
    compromise is A's 30; B weighs nothing, so taking A's salience to 0 empties the issue."""
    return sc.Scenario.model_validate(
        {
            "name": "empty",
            "issues": [
                {"id": "x", "label": "X", "scale": {"low": 0, "high": 100}, "status_quo": 50}
            ],
            "actors": [
                {"id": "a", "capability": 1, "stances": {"x": {"position": 30, "salience": 0.1}}},
                {"id": "b", "capability": 1, "stances": {"x": {"position": 100, "salience": 0}}},
            ],
        }
    )


def test_a_change_that_leaves_an_issue_without_a_forecast_is_no_verdict() -> None:
    """A at 30 (salience 0.1), B at 100 (salience 0): the compromise is 0.1*30 / 0.1 = 30,
    below 60. A's salience (range 0 to 1 by default) down 0.1 unit to 0 leaves every weight
    0: no forecast (weighted_mean gives NaN), so no verdict, neither side of 60. B's salience
    up to s: (3 + 100 s) / (0.1 + s) >= 60 from s = 3/40 = 0.075 (cost 0.075, to the flip
    search's precision, test_flip_search_by_hand); A's position up to 60 (cost 0.3). The step
    that empties the issue is 5 steps of 0.02, exactly 0.1: compared exactly."""
    s = emptied()
    found = what_flips(s, "compromise", issue="x", threshold=60)
    assert found.verdict == "x < 60"
    assert [f.inputs[0] for f in found.single] == ["b:x:salience", "a:x:salience", "a:x:position"]
    up, empty, position = found.single
    assert (empty.to, empty.cost, empty.verdict) == ((0.0,), 0.1, None)
    assert up.to[0] == pytest.approx(0.075, abs=1e-4)
    assert up.verdict == "x >= 60"
    assert position.to[0] == pytest.approx(60, abs=1e-3)
    assert position.verdict == "x >= 60"
