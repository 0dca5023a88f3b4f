"""Stacked counterfactuals (a+b), the verdict of each comparison, and who carries each
forecast (the weight shares): checked by hand on small scenarios."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import statecraft as sc
from statecraft.analysis.brief import winner_odds
from statecraft.analysis.counterfactual import (
    Patch,
    apply_patch,
    as_patch,
    compare,
    load_stack,
    split_stack,
)
from statecraft.cli import app
from statecraft.errors import ScenarioError
from statecraft.runner import weight_shares
from tests.conftest import TINY

runner = CliRunner()


def _patch(name: str, *changes: dict[str, Any], title: str | None = None) -> Patch:
    data = {"name": name, "title": title, "assumes": f"{name} assumes", "changes": changes}
    return Patch.model_validate(data)


def _write(path: Path, name: str, *changes: dict[str, Any]) -> Path:
    path.write_text(
        yaml.safe_dump({"name": name, "assumes": "a test", "changes": list(changes)}), "utf-8"
    )
    return path


# -- stacking --------------------------------------------------------------------------------


def test_the_later_patch_wins_a_number_both_set(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    a = _patch("a", {"set": "salience", "actor": "b", "issue": "tax", "value": 1.0})
    b = _patch("b", {"set": "salience", "actor": "b", "issue": "tax", "value": 0.2})
    ab = Patch.stack([a, b])
    assert ab.name == "a+b"
    assert [p.name for p in ab.parts] == ["a", "b"]
    patched = apply_patch(s, ab)
    assert patched.name == "tiny+a+b"
    assert patched.actor("b").stances["tax"].salience.value == 0.2
    assert patched.actor("b").stances["tax"].salience.source == "counterfactual b"
    assert ab.notes == (
        "the salience of b on tax: a sets it to 1, then b sets it to 0.2: the later patch wins "
        "(0.2)",
    )
    # compromise by hand: weights a 3 x 1, b 1 x 0.2, c 4 x 0.25 at 60, 0, 100
    f = sc.forecast(patched, "compromise")
    assert f.value("tax", "compromise") == pytest.approx((180 + 0 + 100) / 4.2)
    # the other way round, the other value holds
    ba = apply_patch(s, Patch.stack([b, a]))
    assert ba.actor("b").stances["tax"].salience.value == 1.0


def test_shifts_and_scales_apply_in_order(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    a = _patch("a", {"set": "position", "actor": "a", "issue": "tax", "value": 40})
    b = _patch(
        "b",
        {"shift": "position", "actor": "a", "issue": "tax", "by": 5},
        {"scale": "capability", "actor": "b", "by": 3},
    )
    ab = Patch.stack([a, b])
    patched = apply_patch(s, ab)
    assert patched.actor("a").stances["tax"].position.value == 45  # 40, then +5
    assert patched.actor("b").capability.value == 3  # 1 x 3: only b changed it
    assert ab.notes == (
        "the position of a on tax: a sets it to 40, then b shifts it by 5: both apply, in that "
        "order",
    )
    # a number changed by two changes of one patch gets no note: that is the patch's own doing
    one = Patch.stack(
        [
            _patch("c", {"shift": "status_quo", "issue": "tax", "by": 5}),
            _patch(
                "d",
                {"shift": "position", "actor": "b", "issue": "tax", "by": 1},
                {"shift": "position", "actor": "b", "issue": "tax", "by": 1},
            ),
        ]
    )
    assert one.notes == ()


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (
            {"remove_actor": "c"},
            {"set": "capability", "actor": "c", "value": 9},
            "patches 'p1' and 'p2' cannot be stacked: 'p1' removes and 'p2' changes actor 'c'",
        ),
        (
            {"set": "capability", "actor": "c", "value": 9},
            {"remove_actor": "c"},
            "patches 'p1' and 'p2' cannot be stacked: 'p1' changes and 'p2' removes actor 'c'",
        ),
        (
            {"add_actor": {"id": "d", "capability": 1, "stances": {}}},
            {"add_actor": {"id": "d", "capability": 2, "stances": {}}},
            "patches 'p1' and 'p2' cannot be stacked: both add actor 'd'",
        ),
    ],
)
def test_patches_that_conflict_in_structure_are_refused_naming_both(
    first: dict[str, Any], second: dict[str, Any], message: str
) -> None:
    with pytest.raises(ScenarioError, match=message):
        Patch.stack([_patch("p1", first), _patch("p2", second)])


def test_removing_then_adding_an_actor_again_is_a_replacement(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    new = {"id": "c", "capability": 5, "stances": {"tax": {"position": 0, "salience": 1}}}
    stacked = Patch.stack([_patch("out", {"remove_actor": "c"}), _patch("in", {"add_actor": new})])
    assert apply_patch(s, stacked).actor("c").capability.value == 5


def test_bad_stacks_are_refused() -> None:
    a = _patch("a", {"set": "status_quo", "issue": "tax", "value": 1})
    with pytest.raises(ScenarioError, match="nothing to stack"):
        Patch.stack([])
    with pytest.raises(ScenarioError, match="patch 'a' is stacked twice in 'a\\+a'"):
        Patch.stack([a, a])
    assert Patch.stack([a]) is a
    # a stack of stacks is flattened
    b = _patch("b", {"set": "status_quo", "issue": "tax", "value": 2})
    c = _patch("c", {"set": "status_quo", "issue": "tax", "value": 3})
    assert Patch.stack([Patch.stack([a, b]), c]).name == "a+b+c"
    with pytest.raises(TypeError, match="a counterfactual is"):
        as_patch(3)  # type: ignore[arg-type]


def test_split_stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert split_stack("us-engaged") == ["us-engaged"]
    assert split_stack("a+b+c") == ["a", "b", "c"]
    plus = _write(tmp_path / "x+y.yaml", "xy", {"set": "status_quo", "issue": "tax", "value": 1})
    assert split_stack("x+y.yaml") == ["x+y.yaml"]
    assert split_stack("a+x+y.yaml+b") == ["a", "x+y.yaml", "b"]
    assert split_stack(str(plus)) == [str(plus)]
    for bad in ("a++b", "+a", "a+", "+", "a+ +b"):
        with pytest.raises(ScenarioError, match="an empty patch name in"):
            split_stack(bad)


def test_a_name_too_long_to_look_up_is_no_file() -> None:
    """A part of 5,000 characters is too long for the system to look up (an OSError, not
    False, from ``Path.is_file``): it is no file, so the stack still splits at its '+'."""
    assert split_stack("a" * 5000 + "+b") == ["a" * 5000, "b"]


def test_load_stack_reads_a_path_as_one_patch_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Path is one file, '+' and all; a missing one names the scenario's built-in patches;
    a bad file in a stack keeps its file, line and field (the field ``colour`` is line 5)."""
    monkeypatch.chdir(tmp_path)
    s = sc.load("karabakh-2020")
    _write(tmp_path / "x+y.yaml", "xy", {"set": "status_quo", "issue": "tax", "value": 1})
    assert load_stack(tmp_path / "x+y.yaml").name == "xy"
    with pytest.raises(ScenarioError, match="the built-in patches are: csto-call, eu-engaged"):
        load_stack(Path("nope.yaml"), scenario=s)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nassumes: a test\nchanges:\n  - remove_actor: a\n    colour: 1\n")
    with pytest.raises(ScenarioError) as info:
        load_stack(f"us-engaged+{bad}", scenario=s)
    assert info.value.problem == f"in the stack 'us-engaged+{bad}': Extra inputs are not permitted"
    assert (info.value.file, info.value.line, info.value.path) == (
        str(bad),
        5,
        ("changes", 0, "colour"),
    )


def test_stacked_builtins_equal_applying_them_in_turn() -> None:
    s = sc.load("karabakh-2020")
    stacked = load_stack("us-engaged+eu-engaged", scenario=s)
    assert stacked.name == "us-engaged+eu-engaged"
    once = apply_patch(s, stacked)
    parts = [load_stack(n, scenario=s) for n in ("us-engaged", "eu-engaged")]
    in_turn = apply_patch(apply_patch(s, parts[0]), parts[1])
    assert once.model_dump(exclude={"name", "title"}) == in_turn.model_dump(
        exclude={"name", "title"}
    )
    with pytest.raises(ScenarioError, match="in the stack 'us-engaged\\+nope'"):
        load_stack("us-engaged+nope", scenario=s)


def test_compare_takes_lists_and_stacks() -> None:
    s = sc.load("karabakh-2020")
    us, eu = (load_stack(n, scenario=s) for n in ("us-engaged", "eu-engaged"))
    result = compare(s, [[us, eu], us])
    assert result.labels == ["base", "us-engaged+eu-engaged", "us-engaged"]
    front = sc.compare("karabakh-2020", [["us-engaged", "eu-engaged"], "us-engaged+eu-engaged"])
    a, b = (f for _, f in front.patched)
    assert a.to_dict()["issues"] == b.to_dict()["issues"]
    data = result.to_dict()
    assert data["patches"][0]["parts"] == ["us-engaged", "eu-engaged"]
    assert data["patches"][0]["notes"] == []
    assert data["patches"][1]["parts"] == ["us-engaged"]


#: Changes that the tiny scenario takes in any order and number (no actor is removed, no
#: salience falls to 0, and "a", at 60, moves at most 16 x 3 along the 0-100 scale).
_CHANGE = st.one_of(
    st.builds(
        lambda actor, v: {"set": "salience", "actor": actor, "issue": "tax", "value": v},
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from([0.1, 0.25, 0.5, 1.0]),
    ),
    st.builds(
        lambda v: {"shift": "position", "actor": "a", "issue": "tax", "by": v},
        st.sampled_from([-3.0, -1.0, 2.0]),
    ),
    st.builds(
        lambda actor, v: {"set": "position", "actor": actor, "issue": "tax", "value": v},
        st.sampled_from(["b", "c"]),
        st.sampled_from([0.0, 35.0, 100.0]),
    ),
    st.builds(
        lambda v: {"set": "status_quo", "issue": "tax", "value": v},
        st.sampled_from([0.0, 20.0, 50.0]),
    ),
    st.builds(
        lambda actor, v: {"scale": "capability", "actor": actor, "by": v},
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from([0.5, 2.0]),
    ),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_CHANGE, min_size=1, max_size=4), min_size=2, max_size=4))
def test_a_stack_is_its_patches_applied_in_turn(parts: list[list[dict[str, Any]]]) -> None:
    s = sc.Scenario.model_validate(TINY)
    patches = [_patch(f"p{k}", *changes) for k, changes in enumerate(parts)]
    stacked = apply_patch(s, Patch.stack(patches))
    in_turn = s
    for p in patches:
        in_turn = apply_patch(in_turn, p)
    assert stacked.model_dump(exclude={"name", "title"}) == in_turn.model_dump(
        exclude={"name", "title"}
    )
    assert stacked.name == "tiny+" + "+".join(p.name for p in patches)


# -- the command line ------------------------------------------------------------------------


def test_cli_stacks_builtins_and_files(tmp_path: Path) -> None:
    extra = _write(
        tmp_path / "usa-low.yaml",
        "usa-low",
        {"set": "salience", "actor": "usa", "issue": "territory", "value": 0.1},
    )
    result = runner.invoke(
        app,
        ["compare", "karabakh-2020", f"us-engaged+{extra}", "turkey-neutral", "-f", "json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [p["name"] for p in data["patches"]] == ["us-engaged+usa-low", "turkey-neutral"]
    # us-engaged sets the salience to 0.7 (its file), the file after it to 0.1: it wins
    assert data["patches"][0]["notes"] == [
        "the salience of usa on territory: us-engaged sets it to 0.7, then usa-low sets it to "
        "0.1: the later patch wins (0.1)"
    ]
    table = runner.invoke(app, ["compare", "karabakh-2020", f"us-engaged+{extra}"])
    assert table.exit_code == 0, table.output
    assert "us-engaged+usa-low, stacked:" in " ".join(table.output.split())


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("us-engaged+nope", "in the stack 'us-engaged+nope': no such patch file"),
        ("us-engaged++eu-engaged", "an empty patch name in 'us-engaged++eu-engaged'"),
        ("us-engaged+", "an empty patch name"),
        ("us-engaged+us-engaged", "patch 'us-engaged' is stacked twice"),
    ],
)
def test_cli_bad_stacks(spec: str, message: str) -> None:
    result = runner.invoke(app, ["compare", "karabakh-2020", spec])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_cli_conflicting_stack_names_both(tmp_path: Path) -> None:
    edit = _write(
        tmp_path / "edit.yaml", "edit", {"set": "capability", "actor": "russia", "value": 1}
    )
    result = runner.invoke(app, ["compare", "karabakh-2020", f"russia-absent+{edit}"])
    assert result.exit_code == 2
    assert (
        "patches 'russia-absent' and 'edit' cannot be stacked: 'russia-absent' removes and "
        "'edit' changes actor 'russia'"
    ) in " ".join(result.output.split())


# -- the verdict of each counterfactual ------------------------------------------------------

#: One issue, status quo 0; a strong actor wants 100, a weak one 50. Every model's outcome
#: lies between 50 and 100 (both gain by moving there, neither beyond its ideal), so the
#: strong actor's gain, outcome / 100, is above the weak one's, (100 - outcome) / 100, unless
#: the outcome is exactly 50 (a tie, which goes to the actor listed first: again "big").
DUEL: dict[str, Any] = {
    "name": "duel",
    "issues": [{"id": "x", "label": "X", "status_quo": 0}],
    "actors": [
        {
            "id": "big",
            "capability": {"value": 10, "low": 9, "high": 11},
            "stances": {"x": {"position": 100, "salience": 1}},
        },
        {"id": "small", "capability": 1, "stances": {"x": {"position": 50, "salience": 1}}},
    ],
}


def test_each_counterfactual_gets_its_winner_odds() -> None:
    s = sc.Scenario.model_validate(DUEL)
    # the mirror image: "small" now strong and at 100, "big" weak and at 50
    flip = _patch(
        "flip",
        {"set": "capability", "actor": "big", "value": 1},
        {"set": "capability", "actor": "small", "value": 10},
        {"set": "position", "actor": "big", "issue": "x", "value": 50},
        {"set": "position", "actor": "small", "issue": "x", "value": 100},
    )
    result = compare(s, [flip], draws=50, seed=1)
    data = result.to_dict()["verdicts"]
    assert data["draws"] == 50
    assert len(data["weights"]) >= 2  # an ensemble of models
    assert sum(data["weights"].values()) == pytest.approx(1)
    by = {
        label: {v["actor"]: v["p_biggest"] for v in items}
        for label, items in data["by_scenario"].items()
    }
    assert by["base"] == {"big": 1.0, "small": 0.0}
    assert by["flip"] == {"big": 0.0, "small": 1.0}
    # no draws: no verdicts
    assert "verdicts" not in compare(s, [flip]).to_dict()


def test_winner_odds_are_the_briefs() -> None:
    s = sc.load("karabakh-2020")
    odds, weights = winner_odds(s, draws=60, seed=3)
    b = sc.brief(s, draws=60, seed=3)
    assert weights == dict(b.weights)
    assert [(v.actor, v.overall.p_biggest) for v in odds] == [
        (v.actor, v.overall.p_biggest) for v in b.winners
    ]
    with pytest.raises(ValueError, match="draws must be a positive integer"):
        winner_odds(s, draws=0)


def test_cli_compare_draws_shows_the_odds() -> None:
    result = runner.invoke(app, ["compare", "karabakh-2020", "us-engaged+eu-engaged", "-n", "40"])
    assert result.exit_code == 0, result.output
    assert "P(biggest winner) under each, over 40 draws" in result.output
    data = json.loads(
        runner.invoke(
            app, ["compare", "karabakh-2020", "us-engaged+eu-engaged", "-n", "40", "-f", "json"]
        ).output
    )
    by = data["verdicts"]["by_scenario"]
    assert list(by) == ["base", "us-engaged+eu-engaged"]
    for items in by.values():
        assert sum(v["p_biggest"] for v in items) == pytest.approx(1)
        assert {"actor", "name", "p_biggest", "p_gain", "median"} <= set(items[0])


# -- who carries each forecast ---------------------------------------------------------------


def test_weight_shares_by_hand(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    # tax: a 3 x 1 = 3, b 1 x 0.5 = 0.5, c 4 (its capability on tax) x 0.25 = 1; total 4.5
    # date: a 3 x 0.5 = 1.5, b 1 x 1 = 1; total 2.5 (c takes no position)
    expected = {
        "tax": {"a": 3 / 4.5, "b": 0.5 / 4.5, "c": 1 / 4.5},
        "date": {"a": 0.6, "b": 0.4},
    }
    shares = weight_shares(s)
    assert shares.keys() == expected.keys()
    for issue, by_actor in expected.items():
        assert shares[issue] == pytest.approx(by_actor)


def test_forecast_json_and_table_show_the_weights(tiny: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny), "utf-8")
    data = json.loads(runner.invoke(app, ["forecast", str(path), "-f", "json"]).output)
    assert data["issues"]["date"]["weights"] == pytest.approx({"a": 0.6, "b": 0.4})
    assert data["issues"]["tax"]["weights"]["c"] == pytest.approx(1 / 4.5)
    plain = runner.invoke(app, ["forecast", str(path)])
    assert "Who carries" not in plain.output  # the default screen stays short
    table = runner.invoke(app, ["forecast", str(path), "--weights"])
    assert table.exit_code == 0, table.output
    text = " ".join(table.output.split())
    assert "Who carries each forecast" in text
    for share in ("66.7%", "11.1%", "22.2%", "60.0%", "40.0%"):
        assert share in text


def test_the_report_shows_the_weights(tiny: dict[str, Any]) -> None:
    pytest.importorskip("jinja2")
    pytest.importorskip("matplotlib")
    from statecraft.report.html import report

    page = report(sc.Scenario.model_validate(tiny)).html()
    section = page.split('<h3 id="weights">')[1].split("</table>")[0]
    rows = {
        cells[0]: cells[1:]
        for row in section.split("<tr>")[2:]
        if (cells := [c.split("</td>")[0] for c in row.split("<td")[1:]])
    }
    strip = {k.split(">", 1)[1]: [c.split(">", 1)[1] for c in v] for k, v in rows.items()}
    assert strip == {"Alpha": ["67%", "60%"], "Beta": ["11%", "40%"], "c": ["22%", "–"]}


def test_the_front_passes_the_weights_and_can_skip_the_odds() -> None:
    s = sc.Scenario.model_validate(DUEL)
    sq = _patch("sq", {"set": "status_quo", "issue": "x", "value": 10})
    weights = {"compromise": 1.0, "median": 0.0, "nash": 0.0}
    weights |= {"kalai-smorodinsky": 0.0, "expected-utility": 0.0}
    only = sc.compare(s, [sq], draws=20, weights=weights)
    assert dict(only.odds_weights) == weights
    # under the compromise alone the strong actor wins every draw, in both runs
    assert [vs[0].actor for vs in only.odds] == ["big", "big"]
    assert [vs[0].overall.p_biggest for vs in only.odds] == [1.0, 1.0]
    none = sc.compare(s, [sq], draws=20, odds=False)
    assert none.odds == ()
    assert none.simulations  # the intervals are still drawn


def test_the_store_keeps_each_runs_verdicts(tmp_path: Path) -> None:
    from statecraft.store import open_store

    s = sc.Scenario.model_validate(DUEL)
    sq = _patch("sq", {"set": "status_quo", "issue": "x", "value": 10})
    both = Patch.stack([sq, _patch("far", {"shift": "status_quo", "issue": "x", "by": 5})])
    result = compare(s, [both], draws=20, seed=1)
    store = open_store(str(tmp_path / "runs.sqlite"))
    run = store.get(store.save(result))
    frame = run.frame("verdicts")
    assert set(frame["scenario"]) == {"base", "sq+far"}
    # the strong actor is the biggest winner in every draw of both runs (see DUEL)
    big = frame[frame["actor"] == "big"]
    assert big["p_biggest"].tolist() == [1.0, 1.0]
    assert run.parameters["patches"][0]["name"] == "sq+far"
