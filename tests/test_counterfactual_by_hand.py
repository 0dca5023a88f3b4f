"""Counterfactual comparisons checked by hand on the tiny scenario: the repr, the headline
and the frame, the JSON field by field (the intervals' nulls and the blocks), what compare
passes to each forecast and study (options, seed, draws, memory budget), built-in patches
and every refusal of a patch file (issue 22's mutation testing of
``analysis/counterfactual.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import statecraft as sc
from statecraft.analysis.counterfactual import (
    Patch,
    apply_patch,
    builtin_patches,
    compare,
    load_patch,
)
from tests.test_uncertainty import Never


def _patch(*changes: dict[str, Any]) -> Patch:
    return Patch.model_validate({"name": "p", "assumes": "a test", "changes": list(changes)})


# -- the comparison's views, by hand on the tiny scenario ------------------------------------


def test_comparison_summary_headline_and_frame_by_hand(tiny: dict[str, Any]) -> None:
    """The compromise (weights capability x salience) on tax: a 3 x 1 at 60, b 1 x 0.5 at 0,
    c 4 x 0.25 at 100 (its capability on tax), so (180 + 100) / 4.5 = 62.222; on date a
    1.5 at 2, b 1 at 8: 11 / 2.5 = 4.4. Without c: 180 / 3.5 = 51.429 (date unchanged). With
    a moved to 50: (150 + 100) / 4.5 = 55.556. Gains count tax only (date has no status quo,
    20 on tax, width 100): base c (80 - 37.778) / 100 = +0.422 above a's (40 - 2.222) / 100;
    without c, Alpha (40 - 8.571) / 100 = +0.314; a at 50, c (80 - 44.444) / 100 = +0.356
    above a's (30 - 5.556) / 100 = 0.244."""
    s = sc.Scenario.model_validate(tiny)
    no_c = _patch({"remove_actor": "c"}).model_copy(update={"name": "no-c"})
    down = _patch({"shift": "position", "actor": "a", "issue": "tax", "by": -10})
    result = compare(s, [no_c, down.model_copy(update={"name": "a-down"})], "compromise")
    assert result._summary() == [
        "Comparison of 'tiny': the base and 2 counterfactuals under compromise",
        "  base: biggest winner c (+0.422)",
        "  no-c: biggest winner Alpha (+0.314)",
        "  a-down: biggest winner c (+0.356)",
    ]
    assert repr(result) == "\n".join(result._summary())
    head = result._headline()
    assert list(head.columns) == ["issue", "base", "no-c", "a-down"]
    assert list(head["issue"]) == ["tax", "date"]
    assert list(head["base"]) == pytest.approx([280 / 4.5, 4.4])
    assert list(head["no-c"]) == pytest.approx([180 / 3.5, 4.4])
    assert list(head["a-down"]) == pytest.approx([250 / 4.5, 4.4])
    frame = result.to_frame()
    assert frame.to_dict("records") == result.to_records()
    assert list(frame["scenario"]) == ["base", "base", "no-c", "no-c", "a-down", "a-down"]
    assert frame["difference"].tolist() == pytest.approx(
        [0, 0, 180 / 3.5 - 280 / 4.5, 0, 250 / 4.5 - 280 / 4.5, 0]
    )


def test_comparison_summary_with_one_counterfactual_and_no_winner(tiny: dict[str, Any]) -> None:
    """Without a status quo no issue counts towards a gain, so nobody is ranked: "no winner"
    for each run; one counterfactual is singular."""
    del tiny["issues"][0]["status_quo"]
    s = sc.Scenario.model_validate(tiny)
    result = compare(s, [_patch({"remove_actor": "c"})], "compromise")
    assert result._summary() == [
        "Comparison of 'tiny': the base and 1 counterfactual under compromise",
        "  base: biggest winner no winner",
        "  p: biggest winner no winner",
    ]


def test_builtin_patch_comes_from_the_package_only(
    tiny: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file named like a built-in patch (in the working folder) is what load_patch reads,
    but never what builtin_patch reads; an unknown name lists the scenario's patches, or
    "none" for a scenario that ships none."""
    from statecraft.analysis.counterfactual import builtin_patch

    s = sc.load("karabakh-2020")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "us-engaged").write_text(
        yaml.safe_dump(
            {"name": "local", "assumes": "a file", "changes": [{"remove_actor": "usa"}]}
        ),
        "utf-8",
    )
    assert load_patch("us-engaged", scenario=s).name == "local"
    shipped = builtin_patch(s, "us-engaged")
    assert shipped.name == "us-engaged"
    assert shipped.changes == load_patch("us-engaged", scenario=s, builtin=True).changes
    known = ", ".join(builtin_patches("karabakh-2020"))
    with pytest.raises(sc.ScenarioError) as info:
        builtin_patch(s, "nope")
    assert info.value.problem == f"no built-in patch 'nope' for karabakh-2020; they are: {known}"
    with pytest.raises(sc.ScenarioError) as none:
        builtin_patch(sc.Scenario.model_validate(tiny), "us-engaged")
    assert none.value.problem == "no built-in patch 'us-engaged' for tiny; they are: none"


def test_comparison_json_by_hand(tiny: dict[str, Any]) -> None:
    """The JSON's fields, on the compromise of the tiny scenario (forecasts and gains as in
    the test above: tax 62.222, date 4.4; gains c +0.422, a (40 - 2.222) / 100 = +0.378,
    b (20 - 62.222) / 100 = -0.422). The patch sets no number the compromise reads."""
    s = sc.Scenario.model_validate(tiny)
    patch = Patch.model_validate(
        {
            "name": "sq",
            "title": "A status quo",
            "assumes": "a test",
            "changes": [{"set": "status_quo", "issue": "tax", "value": 20}],
        }
    )
    result = compare(s, [patch], "compromise")
    assert (result.simulations, result.odds, result.odds_weights) == ((), (), {})
    data = result.to_dict()
    assert list(data) == ["scenario", "patches", "forecasts", "winners"]
    assert data["scenario"] == "tiny"
    assert data["patches"] == [
        {"name": "sq", "title": "A status quo", "assumes": "a test", "parts": ["sq"], "notes": []}
    ]
    assert data["forecasts"] == result.to_records()
    assert [(r["scenario"], r["issue"], r["model"]) for r in data["forecasts"]] == [
        ("base", "tax", "compromise"),
        ("base", "date", "compromise"),
        ("sq", "tax", "compromise"),
        ("sq", "date", "compromise"),
    ]
    assert list(data["winners"]) == ["base", "sq"]
    for label in ("base", "sq"):
        ranking = data["winners"][label]
        assert [list(g) for g in ranking] == [["actor", "gain"]] * 3
        assert [g["actor"] for g in ranking] == ["c", "a", "b"]
        assert [g["gain"] for g in ranking] == pytest.approx(
            [(80 - (100 - 280 / 4.5)) / 100, (40 - (280 / 4.5 - 60)) / 100, (20 - 280 / 4.5) / 100]
        )


def test_a_difference_needs_both_forecasts(tiny: dict[str, Any]) -> None:
    """Nash needs a status quo, so it skips date in the base; the patch gives date one: the
    patched forecast is there, the base's is not, and the difference is none."""
    s = sc.Scenario.model_validate(tiny)
    patch = _patch({"set": "status_quo", "issue": "date", "value": 5})
    rows = {(r["scenario"], r["issue"]): r for r in compare(s, [patch], "nash").to_records()}
    assert rows[("base", "date")]["forecast"] is None
    assert rows[("p", "date")]["forecast"] is not None
    assert rows[("p", "date")]["difference"] is None
    assert rows[("base", "date")]["difference"] is None


def test_the_verdicts_name_their_draws(tiny: dict[str, Any]) -> None:
    """The verdicts' draw count is the base simulation's, with no counterfactual too, and
    one draw is enough for both; a comparison without simulations (made by hand) has none."""
    import dataclasses

    tiny["perturb"] = {"relative": 0.1}
    s = sc.Scenario.model_validate(tiny)
    alone = compare(s, [], "compromise", draws=1, seed=3)
    data = alone.to_dict()
    assert data["verdicts"]["draws"] == 1  # one draw is a study too
    assert list(data["verdicts"]["by_scenario"]) == ["base"]
    assert list(data["intervals"]) == ["base"]
    bare = dataclasses.replace(alone, simulations=())
    assert bare.to_dict()["verdicts"]["draws"] is None


def test_the_intervals_nulls_move_to_their_place_and_blocks_are_kept(
    tiny: dict[str, Any],
) -> None:
    """A model that forecasts in no draw: each simulation lists its null numbers at
    /by_model/never/... (and again at /issues/..., its first model's copy); the comparison
    keeps the first at /intervals/<label>/never/..., the label escaped as a JSON pointer
    ("~" as "~0", "/" as "~1"), and drops the second (it has no "issues"). Six numbers per
    issue (mean, median, two interval ends twice), two issues, two runs: 24. A non-finite
    number elsewhere (a weight made NaN by hand) keeps its own null beside them. With a
    1 MB budget the blocks are smaller than 4,096 draws and are reported."""
    import dataclasses

    tiny["perturb"] = {"relative": 0.1}
    s = sc.Scenario.model_validate(tiny)
    patch = _patch({"set": "status_quo", "issue": "tax", "value": 30})
    patch = patch.model_copy(update={"name": "a/b~c"})
    result = compare(s, [patch], Never(), draws=20, seed=3, odds=False)
    data = result.to_dict()
    numbers = ["mean", "median", "interval80/0", "interval80/1", "interval95/0", "interval95/1"]
    assert [n["path"] for n in data["nulls"]] == [
        f"/intervals/{label}/never/{issue}/{number}"
        for label in ("base", "a~1b~0c")
        for issue in ("tax", "date")
        for number in numbers
    ]
    assert {n["reason"] for n in data["nulls"]} == {"the model gave a forecast in no draw"}
    assert "blocks" not in data
    odd = dataclasses.replace(result, odds_weights={"never": float("nan")}, odds=((), ()))
    paths = [n["path"] for n in odd.to_dict()["nulls"]]
    assert paths[0] == "/verdicts/weights/never"
    assert paths[1:] == [n["path"] for n in data["nulls"]]
    small = compare(s, [patch], "compromise", draws=20, seed=3, odds=False, memory="1MB")
    assert set(small.blocks) == {"base", "a/b~c"}
    assert all(0 < b < 4096 for b in small.blocks.values())
    assert small.to_dict()["blocks"] == small.blocks


def test_the_options_reach_every_forecast_and_the_seed_defaults_to_0(
    tiny: dict[str, Any],
) -> None:
    """Nash with linear utility on tax without b: a (weight 3, at 60) and c (weight 1, at
    100) against the status quo 20. Between 20 and 60 both gain x - 20, so the product rises
    to 60; above it a gains 100 - x and c x - 20, and the log product's slope at 60 is
    -3 / 40 + 1 / 40 < 0: linear Nash is 60 exactly, in the base and in the patch (which
    only gives date a status quo). The default (quadratic) utility gives another value. The
    draws' seed, when not given, is 0."""
    tiny["actors"] = [a for a in tiny["actors"] if a["id"] != "b"]
    s = sc.Scenario.model_validate(tiny)
    patch = _patch({"set": "status_quo", "issue": "date", "value": 5})
    linear = compare(s, [patch], "nash", options={"utility": "linear"})
    assert linear.base.value("tax", "nash") == pytest.approx(60)
    assert linear.patched[0][1].value("tax", "nash") == pytest.approx(60)
    quadratic = compare(s, [patch], "nash").base.value("tax", "nash")
    assert quadratic is not None
    assert abs(quadratic - 60) > 1
    tiny["perturb"] = {"relative": 0.1}
    drawn = compare(sc.Scenario.model_validate(tiny), [patch], draws=10, odds=False)
    assert [sim.seed for sim in drawn.simulations] == [0, 0]


def test_the_seed_reaches_a_stochastic_models_forecasts() -> None:
    """The exchange model's random-rate variant draws its rates from the seed: both the
    base's and the counterfactual's point forecasts are those of forecast() with the same
    seed, and seeds 0 and 5 give different forecasts (so a seed lost would show)."""
    s = sc.load("karabakh-2020")
    patch = load_patch("russia-absent", scenario=s)
    options = {"variant": "random-rate"}
    result = compare(s, [patch], "exchange", options=options, seed=5)
    alone = (
        sc.forecast(s, "exchange", options=options, seed=5),
        sc.forecast(apply_patch(s, patch), "exchange", options=options, seed=5),
    )
    zero = (
        sc.forecast(s, "exchange", options=options, seed=0),
        sc.forecast(apply_patch(s, patch), "exchange", options=options, seed=0),
    )
    for issue in ("territory", "status", "peacekeepers"):
        assert result.base.value(issue, "exchange") == alone[0].value(issue, "exchange")
        assert result.patched[0][1].value(issue, "exchange") == alone[1].value(issue, "exchange")
    for seeded, unseeded in zip(alone, zero, strict=True):
        assert seeded.value("territory", "exchange") != unseeded.value("territory", "exchange")


def test_the_draws_seed_options_and_budget_reach_every_study(tiny: dict[str, Any]) -> None:
    """Each scenario's simulation and verdict are simulate's and winner_odds' with the same
    draws, seed, options and memory budget. Each of these changes the verdict here: Nash's
    linear utility (60 against the quadratic's 63.8, the test above), seed 3 against the
    default 0, 3,000 draws against winner_odds' default 2,000, and the 1 MB budget, whose
    blocks (1,820 draws on this scenario) are smaller than 3,000 and than the default 4,096."""
    from statecraft.analysis.brief import winner_odds

    tiny["actors"] = [a for a in tiny["actors"] if a["id"] != "b"]
    tiny["perturb"] = {"relative": 0.1}
    s = sc.Scenario.model_validate(tiny)
    patch = _patch({"set": "status_quo", "issue": "date", "value": 5})
    asked: dict[str, Any] = {"draws": 3000, "seed": 3, "options": {"utility": "linear"}}
    asked["memory"] = "1M"
    result = compare(s, [patch], "nash", **asked)
    for k, scenario in enumerate((s, apply_patch(s, patch))):
        verdicts, _ = winner_odds(scenario, **asked)
        assert result.odds[k] == verdicts
        alone = sc.simulate(scenario, "nash", **asked)
        assert result.simulations[k].to_dict() == alone.to_dict()
    for left_out in asked:
        others = {key: value for key, value in asked.items() if key != left_out}
        assert winner_odds(s, **others)[0] != result.odds[0], left_out


def test_the_weights_are_the_base_ensembles(tiny: dict[str, Any]) -> None:
    """Without a status quo Nash and Kalai-Smorodinsky do not apply, so the base's equal
    weights are 1/3 each for the other three models; the patch gives tax a status quo, and
    its own ensemble has five, but the comparison reports the base's weights."""
    del tiny["issues"][0]["status_quo"]
    tiny["perturb"] = {"relative": 0.1}
    s = sc.Scenario.model_validate(tiny)
    patch = _patch({"set": "status_quo", "issue": "tax", "value": 20})
    result = compare(s, [patch], "compromise", draws=5, seed=3)
    assert result.odds_weights == pytest.approx(
        {"compromise": 1 / 3, "median": 1 / 3, "expected-utility": 1 / 3}
    )


def test_patch_data_must_be_a_mapping_and_errors_name_their_field() -> None:
    """A list is no patch (the file is named); a change that both sets and shifts is
    refused at its own place, changes[1], on the line where that change begins (line 5)."""
    from statecraft.analysis.counterfactual import patch_from_data
    from statecraft.io import load_yaml_data

    with pytest.raises(sc.ScenarioError) as info:
        patch_from_data([1, 2], label="p.yaml")
    assert info.value.problem == "a patch is a mapping with name, assumes and changes"
    assert info.value.file == "p.yaml"
    text = (
        "name: p\nassumes: x\nchanges:\n  - remove_actor: a\n"
        "  - set: salience\n    shift: position\n"
    )
    data, lines = load_yaml_data(text, file="p.yaml")
    with pytest.raises(sc.ScenarioError, match="exactly one of") as bad:
        patch_from_data(data, label="p.yaml", lines=lines)
    assert (bad.value.file, bad.value.line, bad.value.path) == ("p.yaml", 5, ("changes", 1))
    assert bad.value.problem.startswith("a change does exactly one of: set, shift")
    with pytest.raises(sc.ScenarioError) as unplaced:  # no lines given: no line
        patch_from_data(data, label="p.yaml")
    assert (unplaced.value.line, unplaced.value.path) == (None, ("changes", 1))


def test_load_patch_names_the_file_in_every_refusal(tiny: dict[str, Any], tmp_path: Path) -> None:
    """Each refusal of a patch file names it: a missing one (with no scenario, no list of
    built-in patches), one over the 4 MiB limit (a sparse file of 5 MiB, called a patch
    file), a YAML error, a field at its line; a name too long to look up is no file. A
    built-in patch is named as such, e.g. when it does not fit another scenario."""
    missing = tmp_path / "nope.yaml"
    with pytest.raises(sc.ScenarioError) as info:
        load_patch(missing)
    assert (info.value.problem, info.value.file) == ("no such patch file", str(missing))
    with pytest.raises(sc.ScenarioError) as long_name:
        load_patch("x" * 5000)
    assert long_name.value.problem == "no such patch file"
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(5 * 1024 * 1024)
    with pytest.raises(sc.ScenarioError, match="a patch file may be at most 4 MiB"):
        load_patch(big)
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [p\n", "utf-8")
    with pytest.raises(sc.ScenarioError) as yaml_error:
        load_patch(broken)
    assert yaml_error.value.file == str(broken)
    no_assumes = tmp_path / "no-assumes.yaml"
    no_assumes.write_text("name: p\nchanges:\n  - remove_actor: a\n", "utf-8")
    with pytest.raises(sc.ScenarioError) as field:
        load_patch(no_assumes)
    # 'assumes' is missing: the nearest place with a line is the file's start, line 1
    assert (field.value.problem, field.value.line, field.value.path) == (
        "Field required",
        1,
        ("assumes",),
    )
    karabakh = sc.load("karabakh-2020")
    with pytest.raises(sc.ScenarioError) as elsewhere:
        apply_patch(sc.Scenario.model_validate(tiny), load_patch("us-engaged", scenario=karabakh))
    assert elsewhere.value.file == "us-engaged (built-in patch of karabakh-2020)"
