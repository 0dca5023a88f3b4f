"""The scenario arrays (``arrays.py``) by hand: a three-actor, two-issue scenario written
out as the arrays every model reads, and what each of ``Batch``'s methods makes of them
(issue 22: survivors of the arrays module's mutation run, 2026-12-07).

The scenario, ``HAND`` (actors x issues, issue ``x`` on 0..100 with status quo 40 and
actual outcome 55, issue ``y`` on 0..10 with neither):

========  ==========  ======================  =====================================
actor     capability  x: position, salience   y: position, salience (capability)
========  ==========  ======================  =====================================
``a``     4           20, 0.5                 3, 1.0 (its own capability on y: 2)
``b``     1           80, 1.0                 sits y out
``c``     2           60, 0.25                7, 0.5
========  ==========  ======================  =====================================

so, rows a, b, c and columns x, y: present ``[[1, 1], [1, 0], [1, 1]]``, position
``[[20, 3], [80, nan], [60, 7]]``, salience ``[[0.5, 1], [1, 0], [0.25, 0.5]]``,
capability ``[[4, 2], [1, 0], [2, 2]]`` (a's own 2 on y; b's 0 where it sits out), power
``[4, 1, 2]``, status quo ``[40, nan]``, low ``[0, 0]``, high ``[100, 10]``, actual
``[55, nan]``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import statecraft as sc
from statecraft.arrays import (
    Batch,
    IssueArrays,
    draw_batch,
    draw_plan,
    input_key,
    issue_arrays,
    scenario_batch,
)

NAN = float("nan")

HAND = sc.Scenario.model_validate(
    {
        "name": "hand",
        "issues": [
            {"id": "x", "label": "X", "status_quo": 40, "actual": 55},
            {"id": "y", "label": "Y", "scale": {"low": 0, "high": 10}},
        ],
        "actors": [
            {
                "id": "a",
                "capability": 4,
                "stances": {
                    "x": {"position": 20, "salience": 0.5},
                    "y": {"position": 3, "salience": 1.0, "capability": 2},
                },
            },
            {"id": "b", "capability": 1, "stances": {"x": {"position": 80, "salience": 1.0}}},
            {
                "id": "c",
                "capability": 2,
                "stances": {
                    "x": {"position": 60, "salience": 0.25},
                    "y": {"position": 7, "salience": 0.5},
                },
            },
        ],
    }
)

POSITION = [[20.0, 3.0], [80.0, NAN], [60.0, 7.0]]
SALIENCE = [[0.5, 1.0], [1.0, 0.0], [0.25, 0.5]]
CAPABILITY = [[4.0, 2.0], [1.0, 0.0], [2.0, 2.0]]

#: Two draws of a's position on x (10, 30) and of x's status quo (35, 45).
DRAWS = {"a:x:position": np.array([10.0, 30.0]), "x:status_quo": np.array([35.0, 45.0])}


def _issues_first() -> Batch:
    """``DRAWS`` as a batch held issues first (what a study makes for models that read
    their arrays issues first)."""
    return draw_plan(HAND, DRAWS.keys()).batch(DRAWS, 2, issues_first=True)


def test_the_scenario_as_arrays() -> None:
    """One draw of ``HAND``: the arrays of the module docstring, NaN where b sits y out."""
    b = scenario_batch(HAND)
    assert (b.size, b.n_actors, b.n_issues) == (1, 3, 2)
    assert b.present.tolist() == [[True, True], [True, False], [True, True]]
    np.testing.assert_array_equal(b.position, [POSITION])
    np.testing.assert_array_equal(b.salience, [SALIENCE])
    np.testing.assert_array_equal(b.capability, [CAPABILITY])
    np.testing.assert_array_equal(b.power, [[4.0, 1.0, 2.0]])
    np.testing.assert_array_equal(b.status_quo, [[40.0, NAN]])
    np.testing.assert_array_equal(b.low, [0.0, 0.0])
    np.testing.assert_array_equal(b.high, [100.0, 10.0])
    np.testing.assert_array_equal(b.actual, [55.0, NAN])
    np.testing.assert_array_equal(b.width, [100.0, 10.0])  # 100 - 0, 10 - 0
    assert b.has_status_quo.tolist() == [True, False]


def test_an_issue_by_name_carries_its_id_scale_status_quo_and_outcome() -> None:
    """Issue x: all three actors, status quo 40 and outcome 55 on 0..100; issue y: a and c
    only (b sits it out), on 0..10, with neither a status quo nor an outcome (None, not
    NaN)."""
    b = scenario_batch(HAND)
    x = b.issue("x")
    assert x.issue_id == "x"
    assert x.actor_ids == ("a", "b", "c")
    assert (x.low, x.high, x.width) == (0.0, 100.0, 100.0)
    assert x.actual == 55.0
    np.testing.assert_array_equal(x.status_quo, [40.0])
    np.testing.assert_array_equal(x.position, [[20.0, 80.0, 60.0]])
    y = b.issue(1)
    assert y.issue_id == "y"
    assert y.actor_ids == ("a", "c")
    assert (y.low, y.high, y.width) == (0.0, 10.0, 10.0)
    assert y.actual is None
    assert y.status_quo is None
    np.testing.assert_array_equal(y.position, [[3.0, 7.0]])
    np.testing.assert_array_equal(y.capability, [[2.0, 2.0]])  # a's own 2 on y, c's 2


def test_an_unknown_issue_is_a_key_error_naming_the_issues() -> None:
    with pytest.raises(KeyError, match=r"no issue 'z'; the issues are: x, y"):
        scenario_batch(HAND).column("z")


def test_take_picks_draws_by_index_tuple_slice_or_none() -> None:
    """``DRAWS`` has a's position on x at 10 and 30 and x's status quo at 35 and 45: draws
    (1, 0) swap them, a tuple being a sequence of draw indices (not a NumPy index of draw 1,
    actor 0); draws [] give a batch of no draws."""
    b = draw_batch(HAND, DRAWS, 2)
    swapped = b.take((1, 0))
    assert swapped.size == 2
    np.testing.assert_array_equal(swapped.position[:, 0, 0], [30.0, 10.0])
    np.testing.assert_array_equal(swapped.status_quo[:, 0], [45.0, 35.0])
    np.testing.assert_array_equal(swapped.power, [[4.0, 1.0, 2.0]] * 2)
    none = b.take([])
    assert none.size == 0
    assert none.position.shape == (0, 3, 2)
    assert none.status_quo.shape == (0, 2)


def test_reorder_moves_ids_power_and_every_array_together() -> None:
    """Order (2, 0, 1) puts c first, then a, then b: ids (c, a, b), power (2, 4, 1), and
    c's row of each array first."""
    b = scenario_batch(HAND).reorder([2, 0, 1])
    assert b.actor_ids == ("c", "a", "b")
    np.testing.assert_array_equal(b.power, [[2.0, 4.0, 1.0]])
    np.testing.assert_array_equal(b.position, [[POSITION[2], POSITION[0], POSITION[1]]])
    np.testing.assert_array_equal(b.salience, [[SALIENCE[2], SALIENCE[0], SALIENCE[1]]])
    np.testing.assert_array_equal(b.capability, [[CAPABILITY[2], CAPABILITY[0], CAPABILITY[1]]])
    assert b.present.tolist() == [[True, True], [True, True], [True, False]]
    assert b.issue("y").actor_ids == ("c", "a")


def test_scaled_multiplies_capability_and_power() -> None:
    """x 3: capabilities [[12, 6], [3, 0], [6, 6]] and power [12, 3, 6]; positions and
    saliences as they were. (Every model is scale-free, so the model contract's own
    scaling test cannot see a wrong factor here.)"""
    b = scenario_batch(HAND).scaled(3.0)
    np.testing.assert_array_equal(b.capability, [[[12.0, 6.0], [3.0, 0.0], [6.0, 6.0]]])
    np.testing.assert_array_equal(b.power, [[12.0, 3.0, 6.0]])
    np.testing.assert_array_equal(b.position, [POSITION])


def test_issue_arrays_has_a_scalar_status_quo() -> None:
    """One issue at its values: (k,) arrays and the status quo 40 as a float (not an array
    of one draw); None on y."""
    x = issue_arrays(HAND, "x")
    assert type(x.status_quo) is float
    assert x.status_quo == 40.0
    np.testing.assert_array_equal(x.position, [20.0, 80.0, 60.0])
    assert issue_arrays(HAND, "y").status_quo is None


def test_copies_are_floats() -> None:
    """A batch or an issue built from integers: ``by_issue`` and ``rows`` give floats
    (what the models' reductions are written for), with the axes moved: by_issue's
    (issues, actors, B) of capability [[[1, 2]]] (B 1, actors 1, issues 2) is [[[1]], [[2]]];
    rows' (k, B) of positions [[3, 4]] is [[3], [4]]."""
    one = np.array([[[1, 2]]])
    batch = Batch(
        actor_ids=("a",),
        issue_ids=("x", "y"),
        capability=one,
        position=one,
        salience=one,
        power=np.array([[1]]),
        present=np.array([[True, True]]),
        status_quo=np.array([[0, 0]]),
        low=np.array([0, 0]),
        high=np.array([10, 10]),
        actual=np.array([NAN, NAN]),
    )
    for a in batch.by_issue():
        assert a.dtype == np.float64
        np.testing.assert_array_equal(a, [[[1.0]], [[2.0]]])
    issue = IssueArrays(
        issue_id="x",
        actor_ids=("a", "b"),
        capability=np.array([[1, 2]]),
        position=np.array([[3, 4]]),
        salience=np.array([[1, 1]]),
        low=0.0,
        high=10.0,
        status_quo=None,
        actual=None,
    )
    c, x, s = issue.rows()
    assert c.dtype == x.dtype == s.dtype == np.float64
    np.testing.assert_array_equal(x, [[3.0], [4.0]])


def test_a_batch_held_issues_first_gives_its_own_arrays_without_a_copy() -> None:
    """A study's issues-first batch: ``by_issue`` returns the very arrays it holds (the
    numbers as drawn: a's position on x is 10 and 30), an issue's ``rows`` are slices of
    them (a view: x, where all three actors take part, and a slice of the draws keep
    that), each layout with the same numbers as the other."""
    b = _issues_first()
    held = b.issues_first
    assert held is not None
    c, x, s = b.by_issue()
    assert all(mine is theirs for mine, theirs in zip((c, x, s), held[:3], strict=True))
    np.testing.assert_array_equal(x[0, 0], [10.0, 30.0])  # issue x, actor a, both draws
    np.testing.assert_array_equal(x.transpose(2, 1, 0), b.position)
    rc, rx, rs = b.issue("x").rows()
    assert all(map(np.shares_memory, (rc, rx, rs), (c, x, s)))
    np.testing.assert_array_equal(rx, [[10.0, 30.0], [80.0, 80.0], [60.0, 60.0]])
    part = b.take(slice(0, 1))
    pc, px, ps = part.by_issue()
    assert all(map(np.shares_memory, (pc, px, ps), (c, x, s)))
    np.testing.assert_array_equal(px[0, 0], [10.0])


def test_arrays_changed_after_the_fact_are_read_afresh() -> None:
    """Arrays put in place of a batch's or an issue's own (``replace``) are the ones read:
    the issues-first copies held for the old ones are left alone. Capabilities doubled,
    positions +1 and saliences halved on x: a's position 11 and 31, capability 8."""
    b = _issues_first()
    new = replace(b, capability=b.capability * 2, position=b.position + 1, salience=b.salience / 2)
    c, x, s = new.by_issue()
    np.testing.assert_array_equal(x[0, 0], [11.0, 31.0])
    np.testing.assert_array_equal(c[0, 0], [8.0, 8.0])
    np.testing.assert_array_equal(s[0, 0], [0.25, 0.25])
    issue = b.issue("x")
    moved = replace(
        issue,
        capability=issue.capability * 2,
        position=issue.position + 1,
        salience=issue.salience / 2,
    )
    rc, rx, rs = moved.rows()
    np.testing.assert_array_equal(rx[0], [11.0, 31.0])
    np.testing.assert_array_equal(rc[0], [8.0, 8.0])
    np.testing.assert_array_equal(rs[0], [0.25, 0.25])


def test_input_keys() -> None:
    assert input_key("position", "a", "x") == "a:x:position"
    assert input_key("capability", "a", None) == "a:capability"
    assert input_key("status_quo", None, "x") == "x:status_quo"


#: Seven keys, two draws each: six numbers of ``HAND``, and b's position on y, which is no
#: number of the scenario (b sits y out) and is left out.
SEVEN = {
    "a:capability": np.array([5.0, 6.0]),
    "a:x:position": np.array([10.0, 30.0]),
    "a:y:capability": np.array([0.5, 1.5]),
    "b:x:salience": np.array([0.2, 0.4]),
    "b:y:position": np.array([1.0, 2.0]),
    "c:capability": np.array([3.0, 1.0]),
    "x:status_quo": np.array([35.0, 45.0]),
}


def test_a_plan_writes_each_drawn_number_where_it_goes() -> None:
    """Actor by actor, then the status quos: a's overall capability sets its power and its
    capability on x (it has none of its own there), its own drawn capability on y sets y;
    c's overall capability sets its power and its capability on x and on y (it has none
    of its own on either); b's position on y is no number (b sits y out)."""
    plan = draw_plan(HAND, SEVEN.keys())
    assert plan.writes == (
        ("power", (0,), "a:capability"),
        ("position", (0, 0), "a:x:position"),
        ("capability", (0, 0), "a:capability"),
        ("capability", (0, 1), "a:y:capability"),
        ("salience", (1, 0), "b:x:salience"),
        ("power", (2,), "c:capability"),
        ("capability", (2, 0), "c:capability"),
        ("capability", (2, 1), "c:capability"),
        ("status_quo", (0,), "x:status_quo"),
    )


@pytest.mark.parametrize("issues_first", [False, True])
def test_a_plan_makes_the_drawn_batch_in_either_layout(issues_first: bool) -> None:
    """``SEVEN`` written into ``HAND``'s arrays (the writes above), draw by draw:

    - power: draw 0 (a 5, b 1, c 3), draw 1 (6, 1, 1);
    - capability (rows a, b, c; columns x, y): draw 0 [[5, 0.5], [1, 0], [3, 3]], draw 1
      [[6, 1.5], [1, 0], [1, 1]] (a's own on y drawn apart from its overall capability;
      b's 0 where it sits out);
    - position: a's on x 10, then 30; the rest as in the scenario;
    - salience: b's on x 0.2, then 0.4;
    - status quo: x's 35, then 45; y has none (NaN).

    The same numbers in both layouts; the plan's own arrays are left as they were (a study
    reuses them for every block)."""
    plan = draw_plan(HAND, SEVEN.keys())
    b = plan.batch(SEVEN, 2, issues_first=issues_first)
    assert b.size == 2
    np.testing.assert_array_equal(b.power, [[5.0, 1.0, 3.0], [6.0, 1.0, 1.0]])
    np.testing.assert_array_equal(
        b.capability,
        [[[5.0, 0.5], [1.0, 0.0], [3.0, 3.0]], [[6.0, 1.5], [1.0, 0.0], [1.0, 1.0]]],
    )
    np.testing.assert_array_equal(
        b.position,
        [[[10.0, 3.0], [80.0, NAN], [60.0, 7.0]], [[30.0, 3.0], [80.0, NAN], [60.0, 7.0]]],
    )
    np.testing.assert_array_equal(
        b.salience,
        [[[0.5, 1.0], [0.2, 0.0], [0.25, 0.5]], [[0.5, 1.0], [0.4, 0.0], [0.25, 0.5]]],
    )
    np.testing.assert_array_equal(b.status_quo, [[35.0, NAN], [45.0, NAN]])
    assert b.present.tolist() == [[True, True], [True, False], [True, True]]
    np.testing.assert_array_equal(b.high, [100.0, 10.0])
    np.testing.assert_array_equal(b.actual, [55.0, NAN])
    c, x, s = b.by_issue()  # issues, actors, draws
    np.testing.assert_array_equal(c[:, 2], [[3.0, 1.0], [3.0, 1.0]])  # c's on x, then y
    np.testing.assert_array_equal(c[1, 0], [0.5, 1.5])  # a's own on y
    np.testing.assert_array_equal(x[0, 0], [10.0, 30.0])
    np.testing.assert_array_equal(s[0, 1], [0.2, 0.4])
    for a in (c, x, s):
        assert a.flags.c_contiguous
    # The plan's own arrays: the scenario's values still
    np.testing.assert_array_equal(plan.base["position"], POSITION)
    np.testing.assert_array_equal(plan.base["capability"], CAPABILITY)
    np.testing.assert_array_equal(plan.base["salience"], SALIENCE)
    np.testing.assert_array_equal(plan.base["power"], [4.0, 1.0, 2.0])
    np.testing.assert_array_equal(plan.base["status_quo"], [40.0, NAN])


def test_the_usual_layout_is_contiguous_and_shares_what_no_draw_changes() -> None:
    """Without ``issues_first`` (``draw_batch``'s layout): the (B, actors, issues) arrays
    are C-contiguous and the batch holds no issues-first copies; an array no draw changes
    (salience, status quo, power here: only a's position on x is drawn) is the scenario's
    own broadcast over the draws, read-only."""
    b = draw_batch(HAND, {"a:x:position": np.array([10.0, 30.0])}, 2)
    assert b.issues_first is None
    assert b.position.flags.c_contiguous
    assert b.position.flags.writeable
    for a in (b.salience, b.capability, b.status_quo, b.power):
        assert not a.flags.writeable
    np.testing.assert_array_equal(b.salience, [SALIENCE, SALIENCE])
    held = _issues_first()
    assert held.issues_first is not None
    assert not held.position.flags.c_contiguous  # a view of the issues-first arrays


def test_an_actor_that_sits_the_first_issue_out_still_takes_draws_on_the_next() -> None:
    """``HAND`` with its issues in the order y, x: b sits y (now the first) out, and its
    drawn salience on x (column 1: 0.2, then 0.4) is still written."""
    data = HAND.model_dump()
    yx = sc.Scenario.model_validate({**data, "issues": data["issues"][::-1]})
    assert yx.issue_ids == ("y", "x")
    drawn = {"b:x:salience": np.array([0.2, 0.4])}
    plan = draw_plan(yx, drawn.keys())
    assert plan.writes == (("salience", (1, 1), "b:x:salience"),)
    np.testing.assert_array_equal(plan.batch(drawn, 2).salience[:, 1], [[0.0, 0.2], [0.0, 0.4]])
