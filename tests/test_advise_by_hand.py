"""advise, by hand: the ends of its finite differences, the actors who cannot leave, targets at
the scale's ends, its defaults, seed and budget, what it draws, a linked model's leavers,
the leavers' robustness, the order of levers without an effect, the options it hands on and
an advice field by field (issue 22: mutants of advise() and its helpers that passed every
test; each case worked in its docstring)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import statecraft as sc
from statecraft.analysis import advise as advise_module
from statecraft.analysis._levers import LeverInput
from tests.test_advise import emptied
from tests.test_advise import three as advise_three
from tests.test_advise import two as advise_two
from tests.test_brief import three
from tests.test_budget import crowd
from tests.test_memory import crowd as plain_crowd


@pytest.mark.parametrize(
    ("kind", "value", "scale", "expected"),
    [
        # a salience 0.005 (range 0 to 1): h = 0.01, 0.005 - 0.01 < 0 stops at 0, and a
        # salience may not be differenced down to 0: one-sided, from the value up
        ("salience", 0.005, (0.0, 1.0), (0.005, 0.015)),
        # a position 0.5 on 0..100: h = 1, down stops at the scale's floor, 0, a valid
        # position: central, 0 to 1.5
        ("position", 0.5, (0.0, 100.0), (0.0, 1.5)),
        # a position -50 on -100..100: h = 2, below 0 is no limit for a position: -52, -48
        ("position", -50.0, (-100.0, 100.0), (-52.0, -48.0)),
    ],
)
def test_finite_differences_stop_where_the_number_must(
    kind: str, value: float, scale: tuple[float, float], expected: tuple[float, float]
) -> None:
    """The two values of a lever's central difference (step 0.01 of the input's range) by
    hand: one-sided only where a salience or a capability would fall to 0 or below."""
    item = LeverInput(f"a:x:{kind}", kind, "a", "x", 0, (0,), value, *scale, scale, False)
    assert advise_module._fd_values(item) == pytest.approx(expected)


def test_an_actor_whose_leaving_breaks_the_scenario_is_noted_and_the_others_leave() -> None:
    """A is the only actor with a salience above 0 on y: without it no model can weigh y's
    positions, so its leaving is a note, and B and C (after it) still leave. C's goal, its
    gain on x (status quo 50, C at 60, width 100): at (0 + 100 + 60) / 3 = 53.33 it is
    (10 - 6.67) / 100 = 0.0333; without B, (0 + 60) / 2 = 30: (10 - 30) / 100 = -0.2, so
    -0.2333; without C, (0 + 100) / 2 = 50: 0, so -0.0333."""
    s = sc.Scenario.model_validate(
        {
            "name": "lone",
            "issues": [
                {"id": i, "label": i.upper(), "scale": {"low": 0, "high": 100}, "status_quo": 50}
                for i in ("x", "y")
            ],
            "actors": [
                {
                    "id": "a",
                    "capability": 1,
                    "stances": {
                        "x": {"position": 0, "salience": 1},
                        "y": {"position": 0, "salience": 1},
                    },
                },
                {
                    "id": "b",
                    "capability": 1,
                    "stances": {
                        "x": {"position": 100, "salience": 1},
                        "y": {"position": 100, "salience": 0},
                    },
                },
                {"id": "c", "capability": 1, "stances": {"x": {"position": 60, "salience": 1}}},
            ],
        }
    )
    adv = advise_module.advise(s, "c", model="compromise", draws=0, flips=False)
    assert adv.notes == (
        "a leaving is not shown: leave (applied to lone) (issues[1]): every actor's salience "
        "on issue 'y' is 0, so no model can weigh the positions",
    )
    leaving = {lv.input: lv.effect_range for lv in adv.levers if lv.kind == "leave"}
    assert leaving == pytest.approx({"b:leave": -0.2 - 0.1 / 3, "c:leave": -0.1 / 3})


@pytest.mark.parametrize(("target", "value"), [(0.0, -0.65), (100.0, -0.35)])
def test_a_target_may_be_either_end_of_the_scale(target: float, value: float) -> None:
    """three()'s compromise is 65 on 0..100: a target at 0 is 65 / 100 away, at 100 35 / 100
    (the goal is minus the distance in units of the scale)."""
    adv = advise_module.advise(
        advise_three(), "a", targets={"x": target}, model="compromise", draws=0, flips=False
    )
    assert adv.targets == {"x": target}
    assert adv.goal_value == pytest.approx(value)


def test_advise_runs_the_model_at_its_seed_and_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A spy on advise's batched runs (the scenario, the levers' ends, the actors leaving,
    the flip search's first run): each runs at the seed given (0 by default) and in chunks
    of the model's share of the budget, 64 MiB = 67,108,864 bytes less the half for drawn
    inputs: 33,554,432. Only a stochastic model, or the memory a run takes, could tell these
    apart in the numbers."""
    seen: list[tuple[Any, Any]] = []
    run, leave = advise_module._variants, advise_module.leave_forecasts

    def runs(*args: Any, **kwargs: Any) -> Any:
        seen.append((kwargs.get("seed", "no seed"), kwargs.get("budget", "no budget")))
        return run(*args, **kwargs)

    def leaves(*args: Any) -> Any:
        seen.append(args[6:8] if len(args) == 8 else ("wrong", "arguments"))
        return leave(*args)

    monkeypatch.setattr(advise_module, "_variants", runs)
    monkeypatch.setattr(advise_module, "leave_forecasts", leaves)
    advise_module.advise(advise_three(), "a", model="compromise", draws=0, seed=7, memory="64M")
    assert len(seen) == 4  # the scenario, the ends of every lever, the leavers, the search
    assert set(seen) == {(7, 33_554_432)}
    seen.clear()
    advise_module.advise(advise_three(), "a", model="compromise", draws=0)
    assert len(seen) == 4
    assert {seed for seed, _ in seen} == {0}


def test_advise_draws_a_thousand_and_searches_flips_by_default() -> None:
    """three() of test_brief with b's position drawn from 0 to 5: the advice holds 1,000
    draws of that one input, and the flip search (a is the biggest winner)."""
    data = three()
    data["actors"][1]["stances"]["x"]["position"] = {"value": 0, "low": 0, "high": 5}
    adv = advise_module.advise(sc.Scenario.model_validate(data), "a", model="compromise")
    assert adv.draws == 1000
    assert adv.uncertain == ("b:x:position",)
    assert adv.flips is not None
    assert adv.flips.verdict == "a"


def test_advise_draws_nothing_where_only_the_actual_has_a_range() -> None:
    """The levers draw the coded numbers, never an actual outcome (no model reads it): a
    scenario whose only range is the actual's reports no draws and no robustness, and no
    robustness pass is checked there (nor where nothing has a range), even at 10^7 draws in
    1 MiB, which the same pass over a drawn position would hold too much for
    (test_check_advise_checks_no_pass_without_uncertain_inputs)."""
    only_actual = sc.Scenario.model_validate(three(value=50, low=40, high=70, dist="uniform"))
    adv = advise_module.advise(only_actual, "a", model="compromise", draws=50, flips=False)
    assert (adv.draws, adv.uncertain) == (0, ())
    assert {lv.robustness for lv in adv.levers} == {None}
    for s, actor in ((only_actual, "a"), (plain_crowd(20, 2), "a0")):
        adv = advise_module.advise(s, actor, model="compromise", draws=10**7, memory="1M")
        assert adv.draws == 0
    with pytest.raises(sc.MemoryLimitError, match="robustness of"):
        advise_module.advise(crowd(20, 2), "a0", model="compromise", draws=10**7, memory="1M")


def test_a_linked_models_leavers_are_runs_of_the_scenario_without_them() -> None:
    """The spatial model links the issues, so an actor's leaving is a run of the scenario
    without it. Of two actors, either leaving leaves one, which the spatial model does not
    forecast ("needs two actors or more"): no forecast, no effect, no direction."""
    duo = sc.Scenario.model_validate(
        {
            "name": "duo",
            "issues": [{"id": "x", "label": "X", "status_quo": 50}],
            "actors": [
                {"id": "a", "capability": 1, "stances": {"x": {"position": 100, "salience": 1}}},
                {"id": "b", "capability": 2, "stances": {"x": {"position": 0, "salience": 0.5}}},
            ],
        }
    )
    adv = advise_module.advise(duo, "a", model="spatial", draws=0, flips=False)
    leaving = [lv for lv in adv.levers if lv.kind == "leave"]
    assert sorted(lv.input for lv in leaving) == ["a:leave", "b:leave"]
    assert all(np.isnan(lv.effect_range) and lv.direction == "none" for lv in leaving)


def test_the_leavers_robustness_is_each_ones_own() -> None:
    """two() (A at 0, capability 3; B at 100; the compromise 25) and C at 50 with salience 0,
    every number perturbed by 10% (a salience 0 gets no range). For B: A leaving makes the
    outcome B's position (gain 0.25 -> 1: +0.75); B leaving makes it A's (0: -0.25). In every
    draw A stays within 0..10 and B within 90..100, so each leaving moves B's gain the same
    way: robustness 1. C has no weight: its leaving changes nothing (0), and has none."""
    data = advise_two().model_dump(mode="json", exclude_none=True)
    data["actors"].append(
        {"id": "c", "capability": 1, "stances": {"x": {"position": 50, "salience": 0}}}
    )
    s = sc.Scenario.model_validate({**data, "perturb": {"relative": 0.1}})
    adv = advise_module.advise(s, "b", model="compromise", draws=200, flips=False)
    leaving = {
        lv.input: (lv.effect_range, lv.robustness) for lv in adv.levers if lv.kind == "leave"
    }
    assert leaving == {
        "a:leave": (pytest.approx(0.75), 1.0),
        "b:leave": (pytest.approx(-0.25), 1.0),
        "c:leave": (0.0, None),
    }


def test_levers_without_an_effect_come_last_by_name() -> None:
    """A at 30 (salience 0.1) and B at 100 (salience 0), status quo 50: the compromise is A's
    position, 30, and A's gain (20 - 0) / 100 = 0.2. Across their ranges: B's salience 0 to
    1 moves the outcome to (3 + 100) / 1.1 = 93.64, A's gain to (20 - 63.64) / 100, from 0.2:
    -0.7 / 1.1 = -0.636 in all (B's salience is at its floor: "at its limit"); A's position
    0 to 100 moves the gain from -0.1 to -0.5: -0.4. A's salience at 0 leaves no weight: no
    forecast (NaN), no effect. B's numbers weigh nothing, and A's capability alone scales
    nothing: 0. The levers with an effect come first, biggest first; then those without one
    (0 or none), by name. A cannot leave (nobody else weighs the positions): a note."""
    s = emptied()
    adv = advise_module.advise(s, "a", model="compromise", draws=0, flips=False)
    assert adv.goal_value == pytest.approx(0.2)
    assert [lv.input for lv in adv.levers] == [
        "b:x:salience",
        "a:x:position",
        "a:capability",
        "a:x:capability",
        "a:x:salience",
        "b:capability",
        "b:leave",
        "b:x:capability",
        "b:x:position",
    ]
    first, second, *rest = adv.levers
    assert (first.effect_range, first.direction) == (
        pytest.approx(-0.7 / 1.1),
        "at its limit",
    )
    assert (second.effect_range, second.direction) == (pytest.approx(-0.4), "lower")
    assert np.isnan(rest[2].effect_range)
    assert {lv.effect_range for lv in rest[:2] + rest[3:]} == {0.0}
    assert {lv.direction for lv in rest} == {"none"}  # neither 0 nor NaN helps either way
    assert len(adv.notes) == 1
    assert adv.notes[0].startswith("a leaving is not shown")


def test_advise_hands_the_models_options_on() -> None:
    """The options reach the model that advise builds: one it does not take is refused, and
    so is a value it does not allow (the Nash model's utility is quadratic or linear)."""
    with pytest.raises(ValueError, match=r"^unknown option 'rounds' for the models run"):
        advise_module.advise(
            advise_three(), "a", model="compromise", options={"rounds": 3}, draws=0, flips=False
        )
    with pytest.raises(ValueError, match=r"^the nash model's option utility must be one of"):
        advise_module.advise(
            advise_three(), "a", model="nash", options={"utility": "cubic"}, draws=0, flips=False
        )


def test_an_advices_levers_field_by_field() -> None:
    """two() (A at 0, capability 3; B at 100, capability 1; salience 1; status quo 0), for B,
    whose gain is o / 100 at the compromise o = 100 c_B / (3 + c_B) = 25:

    - B's position (default range: the scale, 0 to 100): o from 0 to 25, gain +0.25 across,
      1/4 x 1/100 = 0.0025 a unit; B already sits at the top: "at its limit".
    - B's overall capability (default range: half to twice its value, 0.5 to 2): o from
      50/3.5 to 200/5 = 40, gain from 0.142857 to 0.4 (+0.257143); do/dc = 300/(3 + c)^2 =
      18.75 at c = 1, so 0.1875 a unit; raising it helps: "strengthen".
    - A leaving: o = 100, gain 1 (+0.75): "remove"; no value, range or derivative."""
    adv = advise_module.advise(advise_two(), "b", model="compromise", draws=0, flips=False)
    head = (adv.scenario, adv.model, adv.actor, adv.goal, adv.targets, adv.issues, adv.draws)
    assert head == ("two", "compromise", "b", "gain", {}, ("x",), 0)
    assert (adv.goal_value, adv.uncertain, adv.flips, adv.notes) == (0.25, (), None, ())
    rows = {lv.input: lv.to_dict() for lv in adv.levers}
    assert rows["b:x:position"] == {
        "actor": "b",
        "input": "b:x:position",
        "kind": "position",
        "issue": "x",
        "value": 100.0,
        "low": 0.0,
        "high": 100.0,
        "range_from": "default",
        "effect_per_unit": pytest.approx(0.0025),
        "effect_range": pytest.approx(0.25),
        "direction": "at its limit",
        "robustness": None,
        "method": "closed form",
    }
    assert rows["b:capability"] == {
        "actor": "b",
        "input": "b:capability",
        "kind": "capability",
        "issue": None,
        "value": 1.0,
        "low": 0.5,
        "high": 2.0,
        "range_from": "default",
        "effect_per_unit": pytest.approx(0.1875),
        "effect_range": pytest.approx(0.4 - 1 / 7),
        "direction": "strengthen",
        "robustness": None,
        "method": "closed form",
    }
    assert rows["a:leave"] == {
        "actor": "a",
        "input": "a:leave",
        "kind": "leave",
        "issue": None,
        "value": None,
        "low": None,
        "high": None,
        "range_from": "leave",
        "effect_per_unit": None,
        "effect_range": pytest.approx(0.75),
        "direction": "remove",
        "robustness": None,
        "method": "perturbation",
    }
    # the closed forms are the compromise model's only: under another, every lever is moved
    median = advise_module.advise(advise_two(), "b", model="median", draws=0, flips=False)
    assert {lv.method for lv in median.levers} == {"perturbation"}
