"""The result objects of advise, what_flips and sweep, built by hand: their tables, JSON and
summaries field by field. Mutants of their ``to_frame``, ``to_dict`` and summaries passed
every test before (issue 22): the commands' tests read a few fields of real results."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from statecraft.analysis._advice import Advice, Flip, FlipSearch, Lever, Sweep

SINGLE = (
    Flip(("a:x:position",), (60.0,), (50.0,), 0.1, "b"),
    Flip(("b:x:salience",), (0.5,), (0.25,), 0.25, None),
)
PAIR = Flip(("a:x:position", "c:capability"), (60.0, 2.0), (55.0, 1.5), 0.08, "c")
SEARCH = FlipSearch(
    scenario="s",
    model="compromise",
    what="biggest winner",
    verdict="a",
    single=SINGLE,
    pair=PAIR,
    searched=7,
)


def _lever(name: str, effect: float, robustness: float | None = 0.75) -> Lever:
    return Lever(
        actor="a",
        input=name,
        kind="position",
        issue="x",
        value=60.0,
        low=0.0,
        high=100.0,
        range_from="scenario",
        effect_per_unit=effect / 100,
        effect_range=effect,
        direction="raise",
        robustness=robustness,
        method="closed form",
    )


LEVERS = (
    _lever("a:x:position", 0.5),
    _lever("b:x:position", -0.25),
    _lever("c:x:position", 0.125, None),
    _lever("a:x:salience", 0.0625),
)


def test_a_flip_search_as_a_table() -> None:
    # the single changes in order, then the pair, each with what it is
    frame = SEARCH.to_frame()
    assert list(frame.columns) == ["kind", "inputs", "from", "to", "cost", "verdict"]
    assert list(frame["kind"]) == ["single", "single", "pair"]
    assert frame.iloc[2]["inputs"] == ["a:x:position", "c:capability"]
    assert frame.iloc[2]["to"] == [55.0, 1.5]
    assert list(frame["cost"]) == [0.1, 0.25, 0.08]
    assert replace(SEARCH, pair=None).to_frame()["kind"].tolist() == ["single", "single"]


def test_a_flip_search_in_json() -> None:
    # top=1 keeps the cheapest single change; the pair always; None stays null with no note
    # (strict_json notes only numbers that are not finite)
    assert SEARCH.to_dict(top=1) == {
        "scenario": "s",
        "model": "compromise",
        "what": "biggest winner",
        "verdict": "a",
        "searched": 7,
        "single": [
            {"inputs": ["a:x:position"], "from": [60.0], "to": [50.0], "cost": 0.1, "verdict": "b"}
        ],
        "pair": {
            "inputs": ["a:x:position", "c:capability"],
            "from": [60.0, 2.0],
            "to": [55.0, 1.5],
            "cost": 0.08,
            "verdict": "c",
        },
    }
    assert replace(SEARCH, pair=None).to_dict()["pair"] is None
    assert len(SEARCH.to_dict()["single"]) == 2


def test_a_flip_search_summary_names_the_cheapest_flip() -> None:
    # the pair (0.08) is cheaper than the best single change (0.10)
    assert SEARCH.cheapest is PAIR
    assert SEARCH._summary() == [
        "FlipSearch of 's': biggest winner = a under compromise",
        "  7 inputs moved; cheapest flip: a:x:position + c:capability (0.08)",
    ]
    single = replace(SEARCH, pair=None)
    assert single._summary()[1] == "  7 inputs moved; cheapest flip: a:x:position (0.10)"
    nothing = replace(SEARCH, single=(), pair=None)
    assert nothing.cheapest is None
    assert nothing._summary()[1] == "  7 inputs moved; cheapest flip: nothing within reach"
    assert nothing.to_frame().empty


def _advice(flips: FlipSearch | None = SEARCH) -> Advice:
    return Advice(
        scenario="s",
        model="compromise",
        actor="a",
        goal="gain",
        targets={},
        issues=("x",),
        goal_value=0.123456,
        levers=LEVERS,
        draws=200,
        uncertain=("a:x:position",),
        flips=flips,
        notes=("d leaving is not shown: it is the only actor on y",),
    )


def test_advice_summary_shows_three_levers_and_the_cheapest_flip() -> None:
    # goal 0.123456 to 4 significant figures; the first three levers of four, signed
    assert _advice()._summary() == [
        "Advice for a in 's' under compromise: 4 levers (gain 0.1235)",
        "  a:x:position: effect +0.5",
        "  b:x:position: effect -0.25",
        "  c:x:position: effect +0.125",
        "  7 inputs moved; cheapest flip: a:x:position + c:capability (0.08)",
    ]
    assert len(_advice(None)._summary()) == 4  # no flip search: no flip line


def test_advice_headline_and_table() -> None:
    head = _advice()._headline()
    assert list(head.columns) == ["input", "effect_range", "direction", "robustness", "method"]
    assert list(head["input"]) == [lv.input for lv in LEVERS]
    assert list(head["method"]) == ["closed form"] * 4
    assert head["robustness"].iloc[0] == 0.75
    assert math.isnan(head["robustness"].iloc[2])  # None in a float column
    assert len(_advice().to_frame().columns) == 13  # every field of a lever


def test_advice_in_json() -> None:
    d = _advice().to_dict(top=2)
    assert (d["scenario"], d["model"], d["actor"]) == ("s", "compromise", "a")
    assert d["goal"] == {"kind": "gain", "targets": {}}
    assert d["issues"] == ["x"]
    assert d["goal_value"] == 0.123456
    assert d["draws"] == 200
    assert d["uncertain_inputs"] == ["a:x:position"]
    assert [lv["input"] for lv in d["levers"]] == ["a:x:position", "b:x:position"]
    assert d["levers"][1] == {
        "actor": "a",
        "input": "b:x:position",
        "kind": "position",
        "issue": "x",
        "value": 60.0,
        "low": 0.0,
        "high": 100.0,
        "range_from": "scenario",
        "effect_per_unit": -0.0025,
        "effect_range": -0.25,
        "direction": "raise",
        "robustness": 0.75,
        "method": "closed form",
    }
    assert d["flips"]["single"] == [SINGLE[0].to_dict(), SINGLE[1].to_dict()][:2]
    assert d["notes"] == ["d leaving is not shown: it is the only actor on y"]
    assert _advice(None).to_dict()["flips"] is None
    # top applies to the flips' single changes too: the cheapest one, 0.1 of 0.1 and 0.25
    assert _advice().to_dict(top=1)["flips"]["single"] == [SINGLE[0].to_dict()]
    # a lever whose effect is not a number is null, with why
    bad = replace(_advice(), levers=(replace(LEVERS[0], effect_range=math.nan),))
    out = bad.to_dict()
    assert out["levers"][0]["effect_range"] is None
    assert out["nulls"] == [
        {
            "path": "/levers/0/effect_range",
            "value": "NaN",
            "reason": "not a number: no value could be computed",
        }
    ]
    # a lever without a derivative (an actor leaving) says so, from the advice's own reasons
    leave = replace(_advice(), levers=(replace(LEVERS[0], effect_per_unit=math.nan),))
    assert leave.to_dict()["nulls"] == [
        {
            "path": "/levers/0/effect_per_unit",
            "value": "NaN",
            "reason": "no derivative: the lever is not a number (an actor leaving)",
        }
    ]


#: A one-input sweep of three points: the winner changes once, at the last point.
SWEEP = Sweep(
    scenario="s",
    model="compromise",
    inputs=("a:x:position",),
    axes=((0.0, 50.0, 100.0),),
    issues=("x", "y"),
    forecasts=[[10.0, 1.0], [20.0, 2.0], [30.0, math.nan]],
    winners=("a", "a", "b"),
)
#: Two inputs on a 2 x 2 grid, row-major: (0, 1), (0, 2), (100, 1), (100, 2).
GRID = Sweep(
    scenario="s",
    model="median",
    inputs=("a:x:position", "b:capability"),
    axes=((0.0, 100.0), (1.0, 2.0)),
    issues=("x",),
    forecasts=[[1.0], [2.0], [3.0], [4.0]],
    winners=("a", None, "a", "b"),
)


def test_a_sweep_as_a_table() -> None:
    frame = SWEEP.to_frame()
    assert list(frame.columns) == ["a:x:position", "forecast:x", "forecast:y", "winner"]
    assert list(frame["a:x:position"]) == [0.0, 50.0, 100.0]
    assert list(frame["forecast:x"]) == [10.0, 20.0, 30.0]
    assert list(frame["winner"]) == ["a", "a", "b"]
    grid = GRID.to_frame()
    assert grid[["a:x:position", "b:capability"]].values.tolist() == [
        [0.0, 1.0],
        [0.0, 2.0],
        [100.0, 1.0],
        [100.0, 2.0],
    ]
    assert grid["winner"].isna().tolist() == [False, True, False, False]


def test_a_sweep_whose_parts_do_not_match_is_refused() -> None:
    """A sweep built by hand whose parts disagree in length raises rather than drop points
    or columns in silence (zip's strict=True in to_frame and to_dict): SWEEP has 3 points,
    1 input and 2 issues. A zip that is not strict would give 2 points in the first case,
    a table without the second input's column in the second (to_frame), and a point
    without the forecast of "y" in the third."""
    short = replace(SWEEP, forecasts=SWEEP.forecasts[:2])  # 3 values and winners, 2 rows
    two_inputs = replace(SWEEP, inputs=("a:x:position", "b:capability"))  # 1 value a point
    short_row = replace(SWEEP, forecasts=[[10.0, 1.0], [20.0], [30.0, 3.0]])  # 2 issues
    for bad in (short, two_inputs, short_row):
        with pytest.raises(ValueError, match="zip"):
            bad.to_frame()


def test_a_sweep_whose_parts_do_not_match_has_no_json() -> None:
    """As above, for to_dict: 3 values and winners but 2 rows of forecasts would give 2
    points; a row of 1 forecast for 2 issues, a point without "y"."""
    short = replace(SWEEP, forecasts=SWEEP.forecasts[:2])
    short_row = replace(SWEEP, forecasts=[[10.0, 1.0], [20.0], [30.0, 3.0]])
    for bad in (short, short_row):  # to_dict zips no input names with values
        with pytest.raises(ValueError, match="zip"):
            bad.to_dict()


def test_where_a_sweep_changes_winner() -> None:
    assert SWEEP.changes() == [2]
    assert replace(SWEEP, winners=("a", "b", "b")).changes() == [1]  # at the second point
    assert replace(SWEEP, winners=("a", "a", "a")).changes() == []


def test_a_sweep_in_json() -> None:
    d = SWEEP.to_dict()
    assert (d["scenario"], d["model"]) == ("s", "compromise")
    assert d["grid"] == [3]
    assert d["inputs"] == ["a:x:position"]
    assert d["points"][0] == {"value": 0.0, "forecasts": {"x": 10.0, "y": 1.0}, "winner": "a"}
    assert d["points"][2]["forecasts"] == {"x": 30.0, "y": None}
    assert d["nulls"] == [
        {
            "path": "/points/2/forecasts/y",
            "value": "NaN",
            "reason": "the model gave no forecast of the issue",
        }
    ]
    two = GRID.to_dict()
    assert two["grid"] == [2, 2]
    values = [p["value"] for p in two["points"]]
    assert values == [[0.0, 1.0], [0.0, 2.0], [100.0, 1.0], [100.0, 2.0]]


def test_a_sweep_summary() -> None:
    assert SWEEP._summary() == [
        "Sweep of a:x:position in 's' (3 points) under compromise",
        "  winners: a, b; the winner changes 1 time",
    ]
    # a, b, a: two changes; a point without a winner is named last, once
    there_and_back = replace(SWEEP, winners=("a", "b", "a"))
    assert there_and_back._summary()[1] == "  winners: a, b; the winner changes 2 times"
    # no forecast: only where every issue has none (SWEEP's third point lacks y alone)
    assert SWEEP.without_forecast() == [False, False, False]
    blank = replace(SWEEP, forecasts=[[math.nan, math.nan], [20.0, 2.0], [30.0, math.nan]])
    assert blank.without_forecast() == [True, False, False]
    nobody = replace(SWEEP, winners=(None, "b", None))
    assert nobody._summary()[1] == "  winners: b, no winner; the winner changes 2 times"
    # two inputs: the grid's shape, no count of changes
    assert GRID._summary() == [
        "Sweep of a:x:position, b:capability in 's' (2 x 2 points) under median",
        "  winners: a, b, no winner",
    ]
