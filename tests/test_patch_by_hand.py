"""A counterfactual's patch checked by hand on the tiny scenario (issue 22's mutation testing of
``analysis/_patch.py``): a change's range, a stack's title, assumptions and notes, the actor
bookkeeping of a stack, the numbers a patch writes, and each refusal of :func:`apply_patch`
word for word with its file and field.

The tiny scenario (``tests/conftest.py``), titled "A tiny test scenario": issues tax (0 to 100,
status quo 20) and date (0 to 10, no status quo); actors a (capability 3; tax 60 at salience
1.0, date 2 at 0.5), b (capability 1; tax 0 at 0.5, date 8 at 1.0) and c (capability 2; tax
only, 100 at 0.25, with capability 4 on tax)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

import statecraft as sc
from statecraft.analysis._patch import Change
from statecraft.analysis.counterfactual import Patch, apply_patch
from statecraft.errors import ScenarioError
from tests.test_stacking import _patch

SET_A_TAX: dict[str, Any] = {"set": "position", "actor": "a", "issue": "tax", "value": 50.0}


def _refusal(scenario: sc.Scenario, patch: Patch, **kw: Any) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        apply_patch(scenario, patch, **kw)
    return info.value


def _change_refused(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as info:
        Change.model_validate(data)
    return str(info.value.errors()[0]["msg"])


# -- a change's range ------------------------------------------------------------------------


def test_a_range_needs_both_ends_and_only_a_set_carries_one() -> None:
    """A high end alone, or a distribution alone, is half a range; a shift has no range."""
    both = "Value error, give both low and high for a range, or neither"
    assert _change_refused({**SET_A_TAX, "high": 60.0}) == both
    assert _change_refused({**SET_A_TAX, "dist": "uniform"}) == both
    shift = {"shift": "position", "actor": "a", "issue": "tax", "by": 1.0}
    assert _change_refused({**shift, "low": 0.0, "high": 2.0}) == (
        "Value error, only a 'set' change may carry a range (low, high, dist)"
    )


def test_a_range_may_start_at_its_value_and_zero_is_a_value(tiny: dict[str, Any]) -> None:
    """``low <= value <= high`` allows equality: b's tax position set to 0 in [0, 0.5]
    (uniform) and a's to 10 in [10, 20] (no distribution) are valid. The value 0 is taken
    as 0 (were it taken as missing, say 1, it would fall outside [0, 0.5]). Both ranges, and
    the one distribution, reach the scenario's numbers."""
    s = sc.Scenario.model_validate(tiny)
    b_tax = {"set": "position", "actor": "b", "issue": "tax", "value": 0.0}
    patch = _patch(
        "p",
        {**b_tax, "low": 0.0, "high": 0.5, "dist": "uniform"},
        {**SET_A_TAX, "value": 10.0, "low": 10.0, "high": 20.0},
    )
    patched = apply_patch(s, patch)
    b = patched.actor("b").stances["tax"].position
    assert (b.value, b.low, b.high, b.dist) == (0.0, 0.0, 0.5, "uniform")
    a = patched.actor("a").stances["tax"].position
    assert (a.value, a.low, a.high, a.dist) == (10.0, 10.0, 20.0, None)


# -- the numbers a patch writes --------------------------------------------------------------


def test_shift_and_scale_by_zero(tiny: dict[str, Any]) -> None:
    """A shift by 0 leaves a's tax position at 60 + 0 = 60; a scale by 0 takes b's tax
    salience to 0.5 x 0 = 0 (a salience of 0 is allowed: the actor does not care)."""
    s = sc.Scenario.model_validate(tiny)
    patched = apply_patch(
        s,
        _patch(
            "p",
            {"shift": "position", "actor": "a", "issue": "tax", "by": 0.0},
            {"scale": "salience", "actor": "b", "issue": "tax", "by": 0.0},
        ),
    )
    assert patched.actor("a").stances["tax"].position.value == 60.0
    assert patched.actor("b").stances["tax"].salience.value == 0.0


def test_a_changed_number_carries_the_patch_s_note_or_its_own(tiny: dict[str, Any]) -> None:
    """Without a note of its own, the number's note is what the patch assumes ("p assumes");
    with one, that note; the source names the counterfactual, or the change's sources."""
    s = sc.Scenario.model_validate(tiny)
    patch = _patch(
        "p",
        SET_A_TAX,
        {"set": "salience", "actor": "b", "issue": "tax", "value": 0.4, "note": "own"}
        | {"sources": ["x", "y"]},
    )
    patched = apply_patch(s, patch)
    a = patched.actor("a").stances["tax"].position
    assert (a.value, a.note, a.source) == (50.0, "p assumes", "counterfactual p")
    b = patched.actor("b").stances["tax"].salience
    assert (b.value, b.note, b.source) == (0.4, "own", "[x, y]")


def test_an_added_actor_can_be_changed_by_the_same_patch_and_the_patch_stays_as_it_was(
    tiny: dict[str, Any],
) -> None:
    """The patch adds d (tax 10 at 0.5) and then shifts d's tax position by 5: 10 + 5 = 15.
    Applying it a second time gives 15 again: the patch's own actor is copied, never
    written to (it still reads 10)."""
    s = sc.Scenario.model_validate(tiny)
    d = {"id": "d", "capability": 1.0, "stances": {"tax": {"position": 10.0, "salience": 0.5}}}
    patch = _patch(
        "p", {"add_actor": d}, {"shift": "position", "actor": "d", "issue": "tax", "by": 5.0}
    )
    for _ in range(2):
        assert apply_patch(s, patch).actor("d").stances["tax"].position.value == 15.0
    assert patch.changes[0].add_actor == d


def test_the_patched_scenario_s_title(tiny: dict[str, Any]) -> None:
    """A patch with a title adds it to the scenario's title ("A tiny test scenario: Without
    c"), or to its name where the scenario has no title ("tiny: Without c")."""
    patch = _patch("no-c", {"remove_actor": "c"}, title="Without c")
    s = sc.Scenario.model_validate(tiny)
    assert apply_patch(s, patch).title == "A tiny test scenario: Without c"
    del tiny["title"]
    s = sc.Scenario.model_validate(tiny)
    assert apply_patch(s, patch).title == "tiny: Without c"


# -- each refusal of apply_patch, with its file and field ------------------------------------


def test_unknown_actor_and_issue_name_the_change_and_field(tiny: dict[str, Any]) -> None:
    """The second change (index 1) names an actor or an issue the scenario lacks: the
    message lists those it has, the file is the patch's name, the field is the change's."""
    s = sc.Scenario.model_validate(tiny)
    err = _refusal(s, _patch("p", SET_A_TAX, {**SET_A_TAX, "actor": "z"}))
    assert err.problem == "unknown actor id 'z'; the actors are: a, b, c"
    assert (err.file, err.path) == ("p", ("changes", 1, "actor"))
    err = _refusal(s, _patch("p", SET_A_TAX, {**SET_A_TAX, "issue": "vat"}))
    assert err.problem == "unknown issue id 'vat'; the issues are: tax, date"
    assert (err.file, err.path) == ("p", ("changes", 1, "issue"))


def test_removing_an_unknown_actor_or_adding_a_known_one(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    err = _refusal(s, _patch("p", {"remove_actor": "z"}))
    assert err.problem == "unknown actor id 'z'"
    assert (err.file, err.path) == ("p", ("changes", 0, "remove_actor"))
    err = _refusal(s, _patch("p", SET_A_TAX, {"add_actor": {"id": "a", "capability": 1.0}}))
    assert err.problem == "actor 'a' is already in the scenario"
    assert (err.file, err.path) == ("p", ("changes", 1))


def test_a_stance_that_is_not_there(tiny: dict[str, Any]) -> None:
    """c takes no position on date; d, added without stances, none on tax."""
    s = sc.Scenario.model_validate(tiny)
    advice = "give it one with set: position and set: salience first, or add it as an actor"
    err = _refusal(s, _patch("p", {"set": "position", "actor": "c", "issue": "date", "value": 5.0}))
    assert err.problem == f"actor 'c' takes no position on issue 'date'; {advice}"
    assert (err.file, err.path) == ("p", ("changes", 0))
    no_stances = _patch(
        "p", {"add_actor": {"id": "d", "capability": 1.0}}, {**SET_A_TAX, "actor": "d"}
    )
    err = _refusal(s, no_stances)
    assert err.problem == f"actor 'd' takes no position on issue 'tax'; {advice}"
    assert (err.file, err.path) == ("p", ("changes", 1))


def test_nothing_to_shift_or_scale(tiny: dict[str, Any]) -> None:
    """date has no status quo to shift; a has no capability of its own on tax to scale."""
    s = sc.Scenario.model_validate(tiny)
    err = _refusal(s, _patch("p", {"shift": "status_quo", "issue": "date", "by": 1.0}))
    assert err.problem == "nothing to shift: no status_quo is set"
    assert (err.file, err.path) == ("p", ("changes", 0))
    scale = {"scale": "capability", "actor": "a", "issue": "tax", "by": 2.0}
    err = _refusal(s, _patch("p", SET_A_TAX, scale))
    assert err.problem == "nothing to scale: no capability is set"
    assert (err.file, err.path) == ("p", ("changes", 1))


def test_the_file_given_names_the_patch_not_the_parts_of_a_stack(tiny: dict[str, Any]) -> None:
    """``file`` names the patch applied; in a stack each part keeps its own name (here the
    part "bad", whose change 0 names actor z)."""
    s = sc.Scenario.model_validate(tiny)
    bad = _patch("bad", {**SET_A_TAX, "actor": "z"})
    assert _refusal(s, bad, file="given.yaml").file == "given.yaml"
    stack = Patch.stack([_patch("ok", SET_A_TAX), bad])
    err = _refusal(s, stack, file="given.yaml")
    assert (err.file, err.path) == ("bad", ("changes", 0, "actor"))


def test_a_patch_that_breaks_the_scenario_names_where_it_was_applied(
    tiny: dict[str, Any],
) -> None:
    """A salience of 1.5 is outside [0, 1]: the scenario's own check refuses it, naming the
    patch (or the file given) and the scenario it was applied to."""
    s = sc.Scenario.model_validate(tiny)
    patch = _patch("p", {"set": "salience", "actor": "b", "issue": "tax", "value": 1.5})
    assert _refusal(s, patch).file == "p (applied to tiny)"
    assert _refusal(s, patch, file="given.yaml").file == "given.yaml (applied to tiny)"


# -- stacking: title, assumptions, notes ------------------------------------------------------


def test_a_stack_s_title_and_assumptions() -> None:
    """The title joins the parts' titles (a part without one by its name) with " + "; the
    assumptions are each part's, named, a blank line apart."""
    a = _patch("a", SET_A_TAX, title="A first")
    b = _patch("b", {"remove_actor": "c"})
    ab = Patch.stack([a, b])
    assert ab.title == "A first + b"
    assert ab.assumes == "a: a assumes\n\nb: b assumes"
    with pytest.raises(ScenarioError) as info:
        Patch.stack([])
    assert info.value.problem == "nothing to stack: give at least one patch"


def test_notes_on_the_status_quo_and_on_capabilities(tiny: dict[str, Any]) -> None:
    """p1 sets tax's status quo to 30 and scales b's capability by 2 and c's on tax by 2;
    p2 shifts that status quo by 5 and scales them by 3 and 0.5. Each number gets a note,
    and all apply: status quo 30 + 5 = 35, b 1 x 2 x 3 = 6, c on tax 4 x 2 x 0.5 = 4."""
    s = sc.Scenario.model_validate(tiny)
    p1 = _patch(
        "p1",
        {"set": "status_quo", "issue": "tax", "value": 30.0},
        {"scale": "capability", "actor": "b", "by": 2.0},
        {"scale": "capability", "actor": "c", "issue": "tax", "by": 2.0},
    )
    p2 = _patch(
        "p2",
        {"shift": "status_quo", "issue": "tax", "by": 5.0},
        {"scale": "capability", "actor": "b", "by": 3.0},
        {"scale": "capability", "actor": "c", "issue": "tax", "by": 0.5},
    )
    stack = Patch.stack([p1, p2])
    then = "both apply, in that order"
    assert stack.notes == (
        f"the status quo of tax: p1 sets it to 30, then p2 shifts it by 5: {then}",
        f"the capability of b: p1 scales it by 2, then p2 scales it by 3: {then}",
        f"the capability of c on tax: p1 scales it by 2, then p2 scales it by 0.5: {then}",
    )
    patched = apply_patch(s, stack)
    status_quo = patched.issue("tax").status_quo
    assert status_quo is not None
    assert status_quo.value == 35.0
    assert patched.actor("b").capability.value == 6.0
    c_tax = patched.actor("c").stances["tax"].capability
    assert c_tax is not None
    assert c_tax.value == 4.0


def test_a_status_quo_change_that_names_an_actor_is_still_the_status_quo(
    tiny: dict[str, Any],
) -> None:
    """A status quo change may name an actor (the field is allowed; applying it reads only
    the issue): p1's set to 30 "by a" and p2's set to 25 touch the same number, so the
    note says the later wins, and the status quo is 25."""
    s = sc.Scenario.model_validate(tiny)
    p1 = _patch("p1", {"set": "status_quo", "issue": "tax", "actor": "a", "value": 30.0})
    p2 = _patch("p2", {"set": "status_quo", "issue": "tax", "value": 25.0})
    stack = Patch.stack([p1, p2])
    assert stack.notes == (
        "the status quo of tax: p1 sets it to 30, then p2 sets it to 25: the later patch wins (25)",
    )
    status_quo = apply_patch(s, stack).issue("tax").status_quo
    assert status_quo is not None
    assert status_quo.value == 25.0


# -- stacking: who removes, adds and changes an actor -----------------------------------------


def test_changes_after_a_removal_or_an_addition_are_still_noted(tiny: dict[str, Any]) -> None:
    """p1 removes c, adds d and then sets tax's status quo to 30; p2 sets it to 25: the
    changes after the removal and the addition are read too, so the note is there."""
    s = sc.Scenario.model_validate(tiny)
    d = {"id": "d", "capability": 1.0}
    p1 = _patch(
        "p1",
        {"remove_actor": "c"},
        {"add_actor": d},
        {"set": "status_quo", "issue": "tax", "value": 30.0},
    )
    p2 = _patch("p2", {"set": "status_quo", "issue": "tax", "value": 25.0})
    stack = Patch.stack([p1, p2])
    assert stack.notes == (
        "the status quo of tax: p1 sets it to 30, then p2 sets it to 25: the later patch wins (25)",
    )
    patched = apply_patch(s, stack)
    assert [a.id for a in patched.actors] == ["a", "b", "d"]


def test_an_actor_a_part_removes_again_is_free_to_add_or_remove(tiny: dict[str, Any]) -> None:
    """Within p1, d is added and removed again: p2 may add its own d (capability 2).
    Within p3, c is changed and then removed: p4 removing c clashes with no part's
    change (p3 removed what it changed), so the stack is built, and only applying it finds
    c gone (p4's change 0)."""
    s = sc.Scenario.model_validate(tiny)
    p1 = _patch("p1", {"add_actor": {"id": "d", "capability": 1.0}}, {"remove_actor": "d"})
    p2 = _patch("p2", {"add_actor": {"id": "d", "capability": 2.0}})
    assert apply_patch(s, Patch.stack([p1, p2])).actor("d").capability.value == 2.0
    p3 = _patch("p3", {"set": "capability", "actor": "c", "value": 9.0}, {"remove_actor": "c"})
    p4 = _patch("p4", {"remove_actor": "c"})
    err = _refusal(s, Patch.stack([p3, p4]))
    assert err.problem == "unknown actor id 'c'"
    assert (err.file, err.path) == ("p4", ("changes", 0, "remove_actor"))


def test_an_actor_removed_and_added_back_may_then_be_changed(tiny: dict[str, Any]) -> None:
    """p1 removes c; p2 adds a new c (capability 5) and sets its capability to 7: the
    removal is over once c is back, so the change is no clash."""
    s = sc.Scenario.model_validate(tiny)
    p1 = _patch("p1", {"remove_actor": "c"})
    p2 = _patch(
        "p2",
        {"add_actor": {"id": "c", "capability": 5.0}},
        {"set": "capability", "actor": "c", "value": 7.0},
    )
    assert apply_patch(s, Patch.stack([p1, p2])).actor("c").capability.value == 7.0


def test_a_clash_names_the_later_part_as_its_file() -> None:
    with pytest.raises(ScenarioError) as info:
        Patch.stack(
            [
                _patch("p1", {"remove_actor": "c"}),
                _patch("p2", {"set": "capability", "actor": "c", "value": 9.0}),
            ]
        )
    assert info.value.problem == (
        "patches 'p1' and 'p2' cannot be stacked: 'p1' removes and 'p2' changes actor 'c'"
    )
    assert info.value.file == "p2"
