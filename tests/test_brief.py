"""The bottom line (statecraft brief): probabilities over the inputs and a mixture of models,
checked against cases worked by hand and against exact per-draw gains."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

import statecraft as sc
from statecraft.analysis import uncertainty
from statecraft.analysis._summary import GAIN_BINS, GainPlan
from statecraft.analysis.brief import Brief, brief
from statecraft.analysis.calibration import error_record
from statecraft.analysis.draws import draw_block, uncertain_inputs
from statecraft.analysis.kernel import run_model
from statecraft.analysis.winners import gains
from statecraft.arrays import draw_batch
from statecraft.cli import app
from statecraft.models import get_model

runner = CliRunner()
#: A gain's histogram bin: quantiles read from it are exact to this.
GAIN_BIN = 2.0 / GAIN_BINS


def three(**actual: Any) -> dict[str, Any]:
    """One issue, status quo 20: a at 60 (capability 3), b at 0 and c at 10 (capability 1).
    The compromise is (3*60 + 0 + 10) / 5 = 38, the weighted median 60 (a holds 3 of 5)."""
    issue: dict[str, Any] = {"id": "x", "label": "X", "status_quo": 20}
    if actual:
        issue["actual"] = actual
    return {
        "name": "three",
        "issues": [issue],
        "actors": [
            {"id": "a", "capability": 3, "stances": {"x": {"position": 60, "salience": 1}}},
            {"id": "b", "capability": 1, "stances": {"x": {"position": 0, "salience": 1}}},
            {"id": "c", "capability": 1, "stances": {"x": {"position": 10, "salience": 1}}},
        ],
    }


def duel(capability: Any) -> sc.Scenario:
    """a at 100 against b at 0 (capability 1), status quo 50: the compromise is
    100 c / (c + 1), and a is the biggest winner exactly when its capability c is above 1."""
    return sc.Scenario.model_validate(
        {
            "name": "duel",
            "issues": [{"id": "x", "label": "X", "status_quo": 50}],
            "actors": [
                {
                    "id": "a",
                    "capability": capability,
                    "stances": {"x": {"position": 100, "salience": 1}},
                },
                {"id": "b", "capability": 1, "stances": {"x": {"position": 0, "salience": 1}}},
            ],
        }
    )


def kinds(b: Brief) -> list[str]:
    return [f.kind for f in b.flags]


def test_three_actors_worked_by_hand() -> None:
    # Compromise 38: gains a (40 - 22)/100 = +0.18, b (20 - 38)/100 = -0.18, c (10 - 28)/100
    # = -0.18. Median 60: a +0.40, b -0.40, c -0.40. a wins under both, with certainty.
    b = brief(sc.Scenario.model_validate(three()), ["compromise", "median"], draws=20)
    a = b.winners[0]
    assert a.actor == "a"
    assert a.p_biggest == 1.0
    assert a.p_gain == 1.0
    assert a.by_model["compromise"].median == pytest.approx(0.18, abs=GAIN_BIN)
    assert a.by_model["median"].median == pytest.approx(0.40, abs=GAIN_BIN)
    # The mixture, half and half: its 10% quantile at the compromise's gain, 90% at the median's
    assert a.interval80[0] == pytest.approx(0.18, abs=GAIN_BIN)
    assert a.interval80[1] == pytest.approx(0.40, abs=GAIN_BIN)
    for v in b.winners[1:]:
        assert v.p_biggest == 0.0
        assert v.p_gain == 0.0
        assert v.by_model["compromise"].median == pytest.approx(-0.18, abs=GAIN_BIN)
    (x,) = b.issues
    width = 100 / uncertainty.BINS  # a forecast's histogram bin: its quantiles are exact to it
    assert x.by_model["compromise"].median == pytest.approx(38, abs=width)
    assert x.by_model["median"].median == pytest.approx(60, abs=width)
    assert x.inputs80 == pytest.approx((38, 60), abs=width)
    assert x.spread == pytest.approx(22, abs=2 * width)
    # With the models' own errors: each forecast plus its out-of-fold residuals (as shares
    # of the scale, piled at the ends), mixed half and half (both records hold 255 issues).
    sample = np.concatenate(
        [
            np.clip(38 + 100 * error_record("compromise").residuals, 0, 100),
            np.clip(60 + 100 * error_record("median").residuals, 0, 100),
        ]
    )
    assert x.calibrated == ("compromise", "median")
    for q, bound in zip((0.1, 0.9), x.interval80, strict=True):
        # a q-quantile of the sample (where the sample's CDF crosses q; to a bin's width)
        assert (sample < bound - width).mean() <= q + 1e-9
        assert (sample <= bound + width).mean() >= q - 1e-9
    assert x.interval80[0] < 38
    assert x.interval80[1] > 60
    plain = brief(b.scenario, ["compromise", "median"], draws=20, calibrated=False)
    assert plain.issues[0].interval80 == pytest.approx((38, 60), abs=width)
    assert kinds(b) == ["no_ranges"]  # both models name a; nothing is near a flip


def test_mixture_is_the_weighted_average_of_exact_per_model_probabilities() -> None:
    s = duel({"value": 1.0, "low": 0.5, "high": 1.6}).model_copy(
        update={"perturb": sc.Perturbation(relative=0.3)}
    )
    draws, seed = 400, 7
    b = brief(
        s, ["compromise", "median"], draws=draws, seed=seed, weights={"compromise": 3, "median": 1}
    )
    # The same draws, the models run and the gains computed here, draw by draw
    inputs = uncertain_inputs(s)
    batch = draw_batch(s, draw_block(s, inputs, seed, 0, draws), draws)
    exact: dict[str, np.ndarray] = {}
    for name in ("compromise", "median"):
        out = run_model(get_model(name), batch)
        g, _ = gains(batch.position, batch.salience, out.forecasts, batch.status_quo, batch.width)
        exact[name] = g
    for v in b.winners:
        k = ["a", "b"].index(v.actor)
        p = {m: float(np.mean(g.argmax(axis=1) == k)) for m, g in exact.items()}
        assert v.by_model["compromise"].p_biggest == p["compromise"]
        assert v.by_model["median"].p_biggest == p["median"]
        assert v.p_biggest == pytest.approx(0.75 * p["compromise"] + 0.25 * p["median"], abs=1e-12)
        positive = {m: float(np.mean(g[:, k] > 1e-12)) for m, g in exact.items()}
        assert v.p_gain == pytest.approx(0.75 * positive["compromise"] + 0.25 * positive["median"])
        for m, g in exact.items():  # quantiles of the histogram against the exact gains
            got = v.by_model[m]
            assert got.median == pytest.approx(
                np.quantile(g[:, k], 0.5, method="inverted_cdf"), abs=GAIN_BIN
            )
            assert got.interval80[0] == pytest.approx(
                np.quantile(g[:, k], 0.1, method="inverted_cdf"), abs=GAIN_BIN
            )
            assert got.interval80[1] == pytest.approx(
                np.quantile(g[:, k], 0.9, method="inverted_cdf"), abs=GAIN_BIN
            )
    assert 0.2 < b.winners[0].by_model["compromise"].p_biggest < 0.8  # a real split


def test_gain_counts_are_the_same_bytes_in_other_processes() -> None:
    s = duel({"value": 1.0, "low": 0.5, "high": 1.6})
    models = uncertainty.check_models(s, ["compromise", "median"], {})
    plan = GainPlan(pairs=((0, 1),), actual=False)
    n = uncertainty.BLOCK + 100  # two blocks
    one = uncertainty.run_study(s, models, n, 3, plan=plan)
    two = uncertainty.run_study(s, models, n, 3, plan=plan, workers=2)
    for m in ("compromise", "median"):
        for part in ("best", "positive", "histogram", "margins"):
            assert getattr(one.gains[m], part).tobytes() == getattr(two.gains[m], part).tobytes()
        assert int(one.gains[m].histogram.sum()) == 2 * n  # every draw, both actors
        np.testing.assert_array_equal(one.gains[m].best, one.best[m])


def test_a_brief_is_the_same_in_two_processes() -> None:
    s = sc.Scenario.model_validate(three(value=50, low=40, high=70)).with_perturbation(0.2)
    n = uncertainty.BLOCK + 10  # two blocks
    one = brief(s, ["compromise", "median"], draws=n, seed=2).to_dict()
    two = brief(s, ["compromise", "median"], draws=n, seed=2, workers=2).to_dict()
    assert json.dumps(one) == json.dumps(two)


def test_the_actuals_range_is_drawn() -> None:
    # The actual is uniform on [40, 70]; b at 0 gains (20 - o)/100 against it, uniform on
    # [-0.5, -0.2]: median -0.35, 80% interval -0.47 to -0.23.
    s = sc.Scenario.model_validate(three(value=50, low=40, high=70, dist="uniform"))
    keys = [i.key for i in uncertain_inputs(s)]
    assert keys == ["x:actual"]
    assert uncertain_inputs(s, actual=False) == []
    b = brief(s, ["compromise"], draws=3000, seed=1)
    assert b.actual_winners is not None
    got = {v.actor: v for v in b.actual_winners}["b"]
    # 3000 draws: the standard error of the median is 0.3 sqrt(0.25 / 3000) = 0.003 and of
    # the 10% and 90% quantiles 0.3 sqrt(0.09 / 3000) = 0.002 (a uniform of width 0.3), and a
    # gain's bin is 2 / GAIN_BINS wide: 0.01 is about three standard errors
    assert got.median == pytest.approx(-0.35, abs=0.01)
    assert got.interval80 == pytest.approx((-0.47, -0.23), abs=0.01)
    # exactly the drawn actuals
    drawn = draw_block(s, uncertain_inputs(s), 1, 0, 3000)["x:actual"]
    assert got.median == pytest.approx(
        np.quantile((20 - drawn) / 100, 0.5, method="inverted_cdf"), abs=GAIN_BIN
    )
    assert drawn.min() >= 40
    assert drawn.max() <= 70
    assert kinds(b) == ["no_ranges"]  # the actual's range makes no forecast uncertain


def test_an_actual_range_changes_no_other_draw() -> None:
    plain = sc.Scenario.model_validate(three(value=50)).with_perturbation(0.1)
    ranged = sc.Scenario.model_validate(three(value=50, low=40, high=70)).with_perturbation(0.1)
    a = draw_block(plain, uncertain_inputs(plain), 5, 0, 50)
    c = draw_block(ranged, uncertain_inputs(ranged), 5, 0, 50)
    assert list(c) == [*a, "x:actual"]  # perturb gives the actual no range; its own, last
    for key, values in a.items():
        assert values.tobytes() == c[key].tobytes()


def test_narrow_margin_raised_on_a_close_duel_and_not_on_a_clear_one() -> None:
    close = brief(duel({"value": 1.0, "low": 0.5, "high": 1.5}), ["compromise"], draws=400)
    assert "narrow_margin" in kinds(close)
    assert 0.35 < close.winners[0].p_biggest < 0.65  # P(c > 1) = 1/2
    clear = brief(duel({"value": 3.0, "low": 2.0, "high": 4.0}), ["compromise"], draws=400)
    assert "narrow_margin" not in kinds(clear)
    assert clear.winners[0].actor == "a"
    assert clear.winners[0].p_biggest == 1.0


def test_near_flip_raised_within_five_percent_and_not_beyond() -> None:
    # capability 1.02: the compromise 100 * 1.02 / 2.02 = 50.5 is above the status quo 50
    # and a wins; 5% less capability (0.969) puts it below 50.
    near = brief(duel(1.02), ["compromise"], draws=5)
    (flag,) = [f for f in near.flags if f.kind == "near_flip"]
    assert "a:capability 1.02 -> 0.969 makes b the biggest winner" in flag.message
    # capability 2: the compromise is 66.7, and no 5% move brings it near 50
    far = brief(duel(2.0), ["compromise"], draws=5)
    assert "near_flip" not in kinds(far)


def test_models_disagree_and_still_moving() -> None:
    # On the coded Karabakh ranges the median names Azerbaijan in most draws and Nash Russia
    s = sc.load("karabakh-2020")
    split = brief(s, ["median", "nash"], draws=200)
    assert "models_disagree" in kinds(split)
    agree = brief(s, ["nash", "kalai-smorodinsky"], draws=200)
    assert "models_disagree" not in kinds(agree)
    moving = brief(s, ["expected-utility"], draws=8)
    (flag,) = [f for f in moving.flags if f.kind == "still_moving"]
    assert "rounds=N" in flag.message
    settled = brief(sc.Scenario.model_validate(three()), ["expected-utility"], draws=4)
    assert "still_moving" not in kinds(settled)


def test_no_ranges_only_without_ranges() -> None:
    ranged = brief(duel({"value": 1.0, "low": 0.5, "high": 1.5}), ["compromise"], draws=5)
    assert "no_ranges" not in kinds(ranged)


def test_default_models_and_frame() -> None:
    b = sc.brief(sc.Scenario.model_validate(three()), draws=5)
    names = set(sc.available_models())
    assert set(b.models) | set(b.skipped) == names
    assert all(not sc.get_model(m).links_issues for m in b.models)
    frame = b.to_frame()
    assert {"against", "model", "actor", "p_biggest", "p_gain", "median", "p10", "p90"} <= set(
        frame.columns
    )
    assert set(frame["model"]) == {"ensemble", *b.models}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": "best"}, "unknown weight rule 'best'; the rules are: equal"),
        (
            {"weights": {"compromise": -1}},
            "the weight of 'compromise' must be a finite number >= 0",
        ),
        ({"weights": {"median": 1}}, "not among the models run"),
        ({"weights": {"compromise": 0}}, "the weights are all 0"),
        ({"draws": 0}, "draws must be a positive integer"),
        ({"workers": 0}, "workers must be a positive integer"),
    ],
)
def test_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        brief(duel(2.0), ["compromise"], **kwargs)


def test_missing_weight_and_unknown_model() -> None:
    with pytest.raises(ValueError, match="no weight given for the model 'median'"):
        brief(duel(2.0), ["compromise", "median"], weights={"compromise": 1})
    with pytest.raises(sc.UnknownModel, match="unknown model 'nope'"):
        brief(duel(2.0), ["nope"])


@pytest.fixture
def no_ranges_file(tmp_path: Path) -> Path:
    path = tmp_path / "three.yaml"
    path.write_text(yaml.safe_dump(three(value=50)), encoding="utf-8")
    return path


def test_cli_json(no_ranges_file: Path) -> None:
    result = runner.invoke(app, ["brief", str(no_ranges_file), "-n", "20", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"models", "winners", "actual_winners", "issues", "flags"} <= set(data)
    for w in data["winners"] + data["actual_winners"]:
        assert {"actor", "p_biggest", "p_gain", "median", "interval80"} <= set(w)
    assert {"forecast", "interval80", "by_model"} <= set(data["issues"]["x"])
    assert "no_ranges" in [f["kind"] for f in data["flags"]]
    assert all(set(f) == {"kind", "message"} for f in data["flags"])


def test_cli_table(no_ranges_file: Path) -> None:
    result = runner.invoke(app, ["brief", str(no_ranges_file), "-n", "20", "-m", "compromise"])
    assert result.exit_code == 0, result.output
    assert "Most often the biggest winner: a, in 100% of draws" in result.stdout
    assert "no_ranges" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-m", "nope"], "unknown model 'nope'"),
        (["--weights", "best"], "unknown weight rule 'best'"),
        (["--weights", "compromise=x"], "is not MODEL=WEIGHT"),
        (["-n", "0"], "--draws must be at least 1"),
        (["-f", "csv"], "brief prints a table or json"),
    ],
)
def test_cli_bad_input(no_ranges_file: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["brief", str(no_ranges_file), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_backtest_weights_are_the_inverse_of_each_models_crps() -> None:
    # The rule's definition: w_m proportional to 1 / CRPS_m (out of fold, the shipped record).
    crps = {m: error_record(m).cross_validated["crps_share"] for m in ("compromise", "nash")}
    b = brief(duel(2.0), ["compromise", "nash"], draws=5, weights="backtest")
    inverse = {m: 1 / c for m, c in crps.items()}
    total = sum(inverse.values())
    assert b.rule == "backtest"
    assert b.weights == pytest.approx({m: v / total for m, v in inverse.items()})
    assert b.weights["compromise"] > b.weights["nash"]  # compromise erred less on the DEU file


def test_backtest_weights_refuse_a_model_without_a_record() -> None:
    from statecraft.analysis._mixture import WEIGHT_RULES

    with pytest.raises(ValueError, match="'mine' has no backtest record"):
        WEIGHT_RULES["backtest"](["compromise", "mine"])


def test_cli_model_error_widens_the_interval(no_ranges_file: Path) -> None:
    def issue(*extra: str) -> dict[str, Any]:
        args = ["brief", str(no_ranges_file), "-n", "5", "-m", "compromise", "-f", "json"]
        result = runner.invoke(app, args + list(extra))
        assert result.exit_code == 0, result.output
        return dict(json.loads(result.stdout)["issues"]["x"])

    with_error, without = issue(), issue("--no-model-error")
    assert with_error["calibrated"] == ["compromise"]
    assert without["calibrated"] == []
    lo, hi = with_error["interval80"]
    assert without["interval80"] == without["inputs80"] == with_error["inputs80"]
    assert lo < without["interval80"][0]
    assert hi > without["interval80"][1]
    by_model = with_error["by_model"]["compromise"]
    assert by_model["calibrated"] is True
    assert by_model["interval80"] == pytest.approx([lo, hi])


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ("compromise=abc", "'compromise=abc' is not MODEL=WEIGHT with a number as the weight"),
        ("=", "'=' is not MODEL=WEIGHT with a number as the weight"),
        ("compromise=1,compromise=5", "'compromise' is given a weight twice"),
    ],
)
def test_cli_bad_weights_one_message(no_ranges_file: Path, weights: str, message: str) -> None:
    result = runner.invoke(app, ["brief", str(no_ranges_file), "-n", "5", "--weights", weights])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: --weights: {message}"  # one line, no "error: 2"


def test_cli_no_status_quo_says_why(tmp_path: Path) -> None:
    data = three(value=50)
    for issue in data["issues"]:
        issue.pop("status_quo", None)
        issue.pop("actual", None)
    path = tmp_path / "no-sq.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = runner.invoke(app, ["brief", str(path), "-n", "5", "-m", "compromise"])
    assert result.exit_code == 0, result.output
    assert "No winners or losers: no issue has both a status quo and a forecast" in result.output
    assert "Who wins" not in result.output


def _named(**actual: Any) -> sc.Scenario:
    """three() with a title and display names that differ from the ids."""
    data = three(**actual)
    data["title"] = "Three of them"
    for a, name in zip(data["actors"], ("Alpha", "Beta", "Gamma"), strict=True):
        a["name"] = name
    return sc.Scenario.model_validate(data)


def test_json_records_and_repr_by_hand() -> None:
    # three() against an actual of 50: a gains (|60 - 20| - |60 - 50|) / 100 = +0.30, b and
    # c (|0 - 20| - |0 - 50|) / 100 = -0.30 and (|10 - 20| - |10 - 50|) / 100 = -0.30.
    # Against the forecasts (test_three_actors_worked_by_hand): a +0.18 (compromise) and
    # +0.40 (median), so the mixture's 80% interval of a's gain is (0.18, 0.40).
    b = brief(
        _named(value=50),
        ["compromise", "median"],
        draws=20,
        seed=3,
        weights={"compromise": 1, "median": 1},
    )
    assert b.seed == 3
    assert b.rule == "given"
    d = b.to_dict()
    assert set(d) == {
        "scenario", "title", "models", "weights", "weight_rule", "skipped", "seed", "draws",
        "requested", "interrupted", "uncertain_inputs", "point_winner", "winners",
        "actual_winners", "issues", "flags",
    }  # fmt: skip
    assert (d["scenario"], d["title"], d["models"]) == (
        "three",
        "Three of them",
        ["compromise", "median"],
    )
    assert d["weights"] == {"compromise": 0.5, "median": 0.5}
    assert (d["weight_rule"], d["skipped"], d["seed"]) == ("given", {}, 3)
    assert (d["draws"], d["requested"], d["interrupted"]) == (20, 20, False)
    assert d["uncertain_inputs"] == 0
    assert d["point_winner"] == {"compromise": "a", "median": "a"}
    top = d["winners"][0]
    assert (top["actor"], top["name"]) == ("a", "Alpha")
    assert set(top["by_model"]) == {"compromise", "median"}
    assert top["by_model"]["median"]["median"] == pytest.approx(0.40, abs=GAIN_BIN)
    actual = {w["actor"]: w for w in d["actual_winners"]}
    assert "by_model" not in actual["a"]
    assert actual["b"]["name"] == "Beta"
    assert actual["a"]["median"] == pytest.approx(0.30, abs=GAIN_BIN)
    assert actual["c"]["median"] == pytest.approx(-0.30, abs=GAIN_BIN)
    assert (actual["a"]["p_biggest"], actual["a"]["p_gain"]) == (1.0, 1.0)
    assert b.actual_winners is not None
    assert b.actual_winners[1].name == "Beta"
    records = b.to_records()
    assert {r["against"] for r in records} == {"forecast", "actual"}
    ensemble_a = next(r for r in records if r["model"] == "ensemble" and r["actor"] == "a")
    assert ensemble_a["name"] == "Alpha"
    assert ensemble_a["p10"] == pytest.approx(0.18, abs=GAIN_BIN)
    assert ensemble_a["p90"] == pytest.approx(0.40, abs=GAIN_BIN)
    assert len(records) == 3 * 3 + 3  # 3 actors x (ensemble + 2 models), 3 against the actual
    head = b._headline()
    assert list(head.columns) == ["actor", "p_biggest", "p_gain", "gain_median", "p10", "p90"]
    assert list(head["actor"]) == ["Alpha", "Beta", "Gamma"]
    assert head["p10"][0] == pytest.approx(0.18, abs=GAIN_BIN)
    assert head["p90"][0] == pytest.approx(0.40, abs=GAIN_BIN)
    # the mixture's median sits at the top of the lower half (0.18): within two bins, as the
    # 0.5 quantile of a half-and-half mixture falls on the edge of the bin holding 0.18
    assert head["gain_median"][0] == pytest.approx(0.18, abs=2 * GAIN_BIN)
    lines = repr(b).splitlines()
    assert (
        lines[0]
        == "Brief of 'three': 20 draws (seed 3) over 2 models (compromise, median), 1 flags"
    )
    assert lines[1] == "  most often the biggest winner: Alpha (100% of draws)"
    assert lines[2].startswith("  x: ")
    lo, hi = b.issues[0].interval80
    assert lines[2] == f"  x: {b.issues[0].forecast:.4g} (80% {lo:.4g} to {hi:.4g})"


def test_without_an_actual_there_are_no_actual_winners() -> None:
    # three() has a status quo but no actual: nothing to score against
    b = brief(sc.Scenario.model_validate(three()), ["compromise"], draws=5)
    assert b.actual_winners is None
    assert b.to_dict()["actual_winners"] is None
    assert {r["against"] for r in b.to_records()} == {"forecast"}


def test_repr_names_four_models_and_how_many_more() -> None:
    b = brief(sc.Scenario.model_validate(three()), draws=5)
    assert len(b.models) == 5
    first = repr(b).splitlines()[0]
    assert f"over 5 models ({', '.join(b.models[:4])} and 1 more)" in first


def test_a_null_in_the_json_says_why() -> None:
    # The Nash solution bargains from the status quo: on an issue without one it gives no
    # forecast, and the JSON's null there says so.
    data = three()
    data["issues"].append({"id": "y", "label": "Y"})
    data["actors"][1]["stances"]["y"] = {"position": 0, "salience": 1}
    data["actors"][0]["stances"]["y"] = {"position": 40, "salience": 1}
    b = brief(sc.Scenario.model_validate(data), ["nash"], draws=5, calibrated=False)
    d = b.to_dict()
    nulls = d.get("nulls", [])
    assert nulls, d["issues"]
    assert {n["path"] for n in nulls} >= {"/issues/y/forecast", "/issues/y/spread"}
    assert all(n["reason"] == "no model gave a forecast of this issue in any draw" for n in nulls)


def test_options_progress_and_seed_reach_the_study() -> None:
    # The option reaches the model: both actors on one side of the status quo (0), a at 100
    # (capability 3) and b at 40, so the Nash solution moves, and by the utility's shape.
    s = sc.Scenario.model_validate(
        {
            "name": "pair",
            "issues": [{"id": "x", "label": "X", "status_quo": 0}],
            "actors": [
                {"id": "a", "capability": 3, "stances": {"x": {"position": 100, "salience": 1}}},
                {"id": "b", "capability": 1, "stances": {"x": {"position": 40, "salience": 1}}},
            ],
        }
    )
    nash = type(sc.get_model("nash"))
    width = 100 / uncertainty.BINS  # a forecast read from its histogram: exact to a bin
    for utility in ("linear", "quadratic"):
        got = brief(s, ["nash"], draws=5, options={"utility": utility}, calibrated=False)
        alone = sc.forecast(s, nash(utility=utility)).value("x", "nash")
        assert got.issues[0].forecast == pytest.approx(alone, abs=width)
    # By hand. Linear: gains over the status quo x (a) and 80 - x (b, for x > 40); the Nash
    # product's log 3 log x + log(80 - x) peaks where 3 / x = 1 / (80 - x), at x = 60.
    # Quadratic: gains x (200 - x) and x (80 - x); 4 / x = 3 / (200 - x) + 1 / (80 - x) at
    # x = 58.69 (4 / 58.69 = 0.0682 = 3 / 141.31 + 1 / 21.31).
    assert sc.forecast(s, nash(utility="linear")).value("x", "nash") == pytest.approx(60)
    assert sc.forecast(s, nash()).value("x", "nash") == pytest.approx(58.69, abs=0.005)
    calls: list[tuple[int, int]] = []
    ranged = duel({"value": 1.0, "low": 0.5, "high": 1.5})
    b = brief(ranged, ["compromise"], draws=30, seed=4, progress=lambda d, t: calls.append((d, t)))
    assert calls
    assert calls[-1] == (30, 30)
    assert b.inputs == 1  # a's capability
    assert b.to_dict()["uncertain_inputs"] == 1


def test_documented_defaults() -> None:
    import inspect

    params = inspect.signature(brief).parameters
    assert params["draws"].default == 2000
    assert params["seed"].default == 0
    assert params["workers"].default == 1
    assert params["weights"].default == "equal"
    b = brief(duel(2.0), ["compromise"])
    assert (b.requested, b.seed, b.rule) == (2000, 0, "equal")


def test_winner_odds_are_the_briefs_winners() -> None:
    # a at 100 with capability c in [1.5, 3] against b at 0, status quo 50: the compromise
    # 100 c / (c + 1) is above 50, so a gains and wins in every draw.
    s = duel({"value": 2.0, "low": 1.5, "high": 3.0})
    odds, w = sc.analysis.brief.winner_odds(
        s, ["compromise", "median"], draws=50, seed=2, weights={"compromise": 3, "median": 1}
    )
    assert w == {"compromise": 0.75, "median": 0.25}
    full = brief(
        s, ["compromise", "median"], draws=50, seed=2, weights={"compromise": 3, "median": 1}
    )
    assert [(v.actor, v.overall) for v in odds] == [(v.actor, v.overall) for v in full.winners]
    assert odds[0].actor == "a"
    assert odds[0].p_biggest == 1.0
    # a's gain (f - 50) / 100 with f = 100 c / (c + 1) rises with c: between its values at
    # the range's ends, c = 1.5 (0.10) and c = 3 (0.25), whatever the draws
    median = odds[0].by_model["compromise"].median
    assert 0.10 - GAIN_BIN <= median <= 0.25 + GAIN_BIN
    with pytest.raises(ValueError, match="draws must be a positive integer"):
        sc.analysis.brief.winner_odds(s, ["compromise"], draws=0)
    with pytest.raises(ValueError, match="seed"):
        sc.analysis.brief.winner_odds(s, ["compromise"], seed=-1)
    default, w = sc.analysis.brief.winner_odds(duel(2.0), ["compromise", "median"], draws=5)
    assert w == {"compromise": 0.5, "median": 0.5}
    assert default[0].p_biggest == 1.0


def test_winner_odds_defaults_and_options_are_the_briefs() -> None:
    # The same defaults (2000 draws from seed 0, equal weights) give the same verdict as a
    # brief; a's capability drawn on [0.5, 1.5] makes it the biggest winner when above 1,
    # so P(biggest) is a count of draws over 2000 strictly between 0 and 1.
    s = duel({"value": 1.0, "low": 0.5, "high": 1.5})
    odds, _ = sc.analysis.brief.winner_odds(s, ["compromise"])
    full = brief(s, ["compromise"], calibrated=False)
    assert [(v.actor, v.overall) for v in odds] == [(v.actor, v.overall) for v in full.winners]
    p = odds[0].p_biggest
    assert 0 < p < 1
    assert (p * 2000) == pytest.approx(round(p * 2000), abs=1e-9)
    # options reach the models: a's gain under the linear Nash solution of
    # test_options_progress_and_seed_reach_the_study's pair is (100 - |100 - 60|) / 100 = 0.60
    pair = sc.Scenario.model_validate(
        {
            "name": "pair",
            "issues": [{"id": "x", "label": "X", "status_quo": 0}],
            "actors": [
                {"id": "a", "capability": 3, "stances": {"x": {"position": 100, "salience": 1}}},
                {"id": "b", "capability": 1, "stances": {"x": {"position": 40, "salience": 1}}},
            ],
        }
    )
    linear, _ = sc.analysis.brief.winner_odds(
        pair, ["nash"], draws=5, options={"utility": "linear"}
    )
    a = next(v for v in linear if v.actor == "a")
    assert a.by_model["nash"].median == pytest.approx(0.60, abs=GAIN_BIN)
