"""Uncertainty: ranges in scenarios, the Monte Carlo engine, reproducibility, the CLI."""

from __future__ import annotations

import copy
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import statecraft as sc
from statecraft.analysis import uncertainty as u
from statecraft.arrays import IssueArrays, draw_batch
from statecraft.cli import app
from statecraft.models.base import IssueModel
from statecraft.scenario import Perturbation
from tests.conftest import TINY

runner = CliRunner()


def _with_ranges(tiny: dict[str, Any]) -> sc.Scenario:
    tiny["actors"][0]["stances"]["tax"]["position"] = {"value": 60, "low": 40, "high": 80}
    tiny["actors"][1]["stances"]["tax"]["salience"] = {
        "value": 0.5,
        "low": 0.2,
        "high": 0.9,
        "dist": "uniform",
    }
    tiny["actors"][2]["capability"] = {"value": 2, "low": 1, "high": 4, "dist": "beta"}
    tiny["issues"][0]["status_quo"] = {"value": 20, "low": 10, "high": 30, "dist": "normal"}
    return sc.Scenario.model_validate(tiny)


# --- ranges in the scenario ------------------------------------------------------------------
def test_ranges_are_read_and_listed(tiny: dict[str, Any]) -> None:
    s = _with_ranges(tiny)
    inputs = {i.key: i for i in u.uncertain_inputs(s)}
    assert set(inputs) == {"tax:status_quo", "c:capability", "a:tax:position", "b:tax:salience"}
    assert inputs["a:tax:position"].dist == "triangular"
    assert (inputs["b:tax:salience"].low, inputs["b:tax:salience"].high) == (0.2, 0.9)
    assert inputs["c:capability"].dist == "beta"


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (
            ("actors", 0, "stances", "tax", "position"),
            {"value": 60, "low": 70, "high": 80},
            "the range must hold the value",
        ),
        (
            ("actors", 0, "stances", "tax", "position"),
            {"value": 60, "low": 50},
            "give both low and high",
        ),
        (
            ("actors", 0, "stances", "tax", "position"),
            {"value": 60, "dist": "uniform"},
            "a distribution needs a range",
        ),
        (
            ("actors", 0, "stances", "tax", "position"),
            {"value": 60, "low": 50, "high": 120},
            "position's high 120 lies outside the scale 0..100",
        ),
        (
            ("actors", 0, "stances", "tax", "salience"),
            {"value": 0.5, "low": 0.2, "high": 1.2},
            "salience must lie between 0 and 1 (its high is 1.2)",
        ),
        (
            ("actors", 0, "capability"),
            {"value": 2, "low": 0, "high": 3},
            "capability must be greater than 0 (its low is 0.0)",
        ),
        (
            ("issues", 0, "status_quo"),
            {"value": 20, "low": -5, "high": 30},
            "status_quo's low -5 lies outside the issue's scale",
        ),
        (
            ("actors", 0, "stances", "tax", "position"),
            {"value": 60, "low": 50, "high": 70, "dist": "lognormal"},
            "Input should be",
        ),
    ],
)
def test_bad_ranges(
    where: tuple[Any, ...], value: Any, message: str, tiny: dict[str, Any], tmp_path: Path
) -> None:
    target: Any = tiny
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(tiny, sort_keys=False))
    with pytest.raises(sc.ScenarioError) as info:
        sc.load(path)
    assert message in str(info.value)
    assert info.value.line is not None


def test_perturbation_gives_every_number_a_range(tiny: dict[str, Any]) -> None:
    tiny["perturb"] = {"relative": 0.1}
    s = sc.Scenario.model_validate(tiny)
    inputs = {i.key: i for i in u.uncertain_inputs(s)}
    # positions: +-10% of the scale width, clipped to the scale; saliences: x(1 +- 0.1)
    assert (inputs["a:tax:position"].low, inputs["a:tax:position"].high) == (50, 70)
    assert (inputs["b:tax:position"].low, inputs["b:tax:position"].high) == (0, 10)
    assert inputs["a:tax:salience"].high == 1.0  # 1.0 x 1.1 clipped to 1
    assert inputs["a:date:position"].low == pytest.approx(1.0)
    assert inputs["a:capability"].low == pytest.approx(2.7)
    assert "c:tax:capability" in inputs  # per-issue capability too


def test_bad_perturbation(tiny: dict[str, Any]) -> None:
    tiny["perturb"] = {"relative": 1.5}
    with pytest.raises(Exception, match="less than or equal to 1"):
        sc.Scenario.model_validate(tiny)


# --- distributions ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dist", "mean"),
    [("triangular", (10 + 40 + 20) / 3), ("uniform", 25.0), ("beta", (10 + 4 * 20 + 40) / 6)],
)
def test_sample_means(dist: str, mean: float) -> None:
    item = u.UncertainInput("k", "position", "a", "x", 20.0, 10.0, 40.0, dist, (0.0, 100.0))
    x = u.sample(item, np.random.default_rng(1), 200_000)
    assert x.min() >= 10.0
    assert x.max() <= 40.0
    # 200,000 draws on a range of 30: the standard error of the mean is at most
    # 8.7 / 447 = 0.02 (a uniform's sd is 30 / sqrt(12)); 0.05 is over two of them, and
    # well under the gaps between the three distributions' means (1.6 or more)
    assert x.mean() == pytest.approx(mean, abs=0.05)


def test_normal_is_truncated_to_what_is_allowed() -> None:
    item = u.UncertainInput("k", "salience", "a", "x", 0.9, 0.6, 1.0, "normal", (0.0, 1.0))
    x = u.sample(item, np.random.default_rng(2), 100_000)
    assert x.max() <= 1.0
    assert x.std() == pytest.approx(0.1, rel=0.25)  # sd (1.0 - 0.6) / 4, cut at 1


# --- the Monte Carlo engine ------------------------------------------------------------------
def test_without_uncertainty_every_draw_is_the_forecast() -> None:
    r = u.simulate(sc.load("ec-emissions-1994"), "compromise", draws=5000)
    s = r.summary("emissions", "compromise")
    assert s.mean == pytest.approx(7.38995568685377, abs=1e-12)
    width = 6 / u.BINS
    assert abs(s.median - 7.39) <= width
    assert s.interval95[1] - s.interval95[0] <= width
    assert not r.inputs


def test_quantiles_match_numpy_to_a_bin(tiny: dict[str, Any]) -> None:
    s = _with_ranges(tiny)
    r = u.simulate(s, "compromise", draws=20_000, seed=3)
    values = np.concatenate(
        [
            sc.get_model("compromise").predict(
                draw_batch(s, u.draw_block(s, u.uncertain_inputs(s), 3, k, n), n).issue("tax")
            )
            for k, n in u._blocks(20_000, u.BLOCK)
        ]
    )
    summary = r.summary("tax", "compromise")
    assert summary.mean == pytest.approx(values.mean(), abs=1e-9)
    for q, got in (
        (0.5, summary.median),
        (0.1, summary.interval80[0]),
        (0.9, summary.interval80[1]),
        (0.025, summary.interval95[0]),
        (0.975, summary.interval95[1]),
    ):
        assert abs(got - np.quantile(values, q)) <= 100 / u.BINS  # a histogram bin's width


def test_intervals_of_a_uniform_forecast_are_its_analytic_quantiles() -> None:
    # Two actors of equal weight on one issue: a at 0, b uniform on [0, 100]. The compromise
    # is b / 2, uniform on [0, 50], so its q-quantile is 50 q: median 25, 80% interval
    # (5, 45), 95% interval (1.25, 48.75), mean 25. With 20,000 draws the standard error of
    # a quantile is at most 50 sqrt(0.25 / 20000) = 0.18 and a bin is 0.05 wide: 0.6 is over
    # three standard errors, and well under the 1.25 between the 2.5% and 5% quantiles or
    # the 5 between the 90% quantile and the maximum.
    s = sc.Scenario.model_validate(
        {
            "name": "uniform",
            "title": "One uniform position",
            "issues": [{"id": "x", "label": "X", "scale": {"low": 0, "high": 100}}],
            "actors": [
                {"id": "a", "capability": 1, "stances": {"x": {"position": 0, "salience": 1}}},
                {
                    "id": "b",
                    "capability": 1,
                    "stances": {
                        "x": {
                            "position": {"value": 50, "low": 0, "high": 100, "dist": "uniform"},
                            "salience": 1,
                        }
                    },
                },
            ],
        }
    )
    summary = u.simulate(s, "compromise", draws=20_000, seed=5).summary("x", "compromise")
    assert summary.draws == 20_000  # four blocks of 4096 and one of 3616
    assert summary.mean == pytest.approx(25.0, abs=0.6)
    assert summary.median == pytest.approx(25.0, abs=0.6)
    assert summary.interval80 == pytest.approx((5.0, 45.0), abs=0.6)
    assert summary.interval95 == pytest.approx((1.25, 48.75), abs=0.6)
    assert summary.quantile(0.25) == pytest.approx(12.5, abs=0.6)


def _uniform_forecast(seed: int = 5) -> u.Simulation:
    """The forecast b / 2 with b uniform on [0, 100] (the case above), on two issues (the
    second, y, with both actors at 200 in every draw), 20,000 draws."""
    return u.simulate(uniform_scenario(), ["compromise", "median"], draws=20_000, seed=seed)


def uniform_scenario(actual_y: float | None = None) -> sc.Scenario:
    """The scenario of :func:`_uniform_forecast`; ``actual_y``, y's actual outcome."""
    uniform = {"value": 50, "low": 0, "high": 100, "dist": "uniform"}
    y: dict[str, Any] = {"id": "y", "label": "Y", "scale": {"low": 0, "high": 200}}
    if actual_y is not None:
        y["actual"] = actual_y
    return sc.Scenario.model_validate(
        {
            "name": "uniform",
            "title": "One uniform position",
            "issues": [
                {"id": "x", "label": "X", "scale": {"low": 0, "high": 100}, "status_quo": 0},
                y,
            ],
            "actors": [
                {
                    "id": "a",
                    "capability": 1,
                    "stances": {
                        "x": {"position": 0, "salience": 1},
                        "y": {"position": 200, "salience": 1},
                    },
                },
                {
                    "id": "b",
                    "capability": 1,
                    "stances": {
                        "x": {"position": uniform, "salience": 1},
                        "y": {"position": 200, "salience": 1},
                    },
                },
            ],
        }
    )


def test_every_table_of_a_simulation_reports_the_analytic_quantiles() -> None:
    # x: the compromise is b / 2, uniform on [0, 50] (q-quantile 50 q); the median of two
    # actors of equal weight is their midpoint, the same. y: both actors at 200, every draw.
    # Tolerances as in the test above (0.6: three standard errors of a quantile).
    r = _uniform_forecast()
    rows = {(row["issue"], row["model"]): row for row in r.to_records()}
    for issue, model in rows:  # each summary found by both its issue and its model
        got = r.summary(issue, model)
        assert (got.issue, got.model) == (issue, model)
    with pytest.raises(KeyError, match="no summary for issue 'x' and model 'nash'"):
        r.summary("x", "nash")
    assert set(rows) == {(i, m) for i in ("x", "y") for m in ("compromise", "median")}
    row = rows[("x", "compromise")]
    assert row["draws"] == 20_000
    for key, want in (
        ("mean", 25.0),
        ("median", 25.0),
        ("p10", 5.0),
        ("p90", 45.0),
        ("p2.5", 1.25),
        ("p97.5", 48.75),
    ):
        assert row[key] == pytest.approx(want, abs=0.6), key
    # every draw at 200, the top of y's scale: the mean exactly, the quantiles in the top bin
    top = rows[("y", "compromise")]
    assert top["mean"] == 200.0
    for key in ("median", "p10", "p90", "p2.5", "p97.5"):
        assert 200.0 - 200 / u.BINS <= top[key] <= 200.0, key
    frame = r.to_frame()
    columns = ["issue", "model", "draws", "mean", "median", "p10", "p90", "p2.5", "p97.5"]
    assert list(frame.columns) == columns
    assert len(frame) == 4
    # The JSON: the first model's issues, each model's, and a histogram of 50 groups of 2
    # points each on x: the draws lie in [0, 50), so in the first 25 groups only, about 800
    # each (sd sqrt(20000 x 0.04 x 0.96) = 28; 150 is over five of them).
    data = r.to_dict()
    assert data["models"] == ["compromise", "median"]
    assert data["draws"] == data["requested"] == 20_000
    assert data["interrupted"] is False
    x = data["issues"]["x"]
    assert x["interval80"] == pytest.approx([5.0, 45.0], abs=0.6)
    assert x["interval95"] == pytest.approx([1.25, 48.75], abs=0.6)
    assert x["mean"] == pytest.approx(25.0, abs=0.6)
    assert x["actual"] is None
    counts = x["histogram"]["counts"]
    assert (x["histogram"]["low"], x["histogram"]["high"]) == (0.0, 100.0)
    assert len(counts) == 50
    assert sum(counts) == 20_000
    assert counts[25:] == [0] * 25
    assert all(abs(c - 800) < 150 for c in counts[:25])
    assert data["by_model"]["median"]["x"]["median"] == pytest.approx(25.0, abs=0.6)
    assert data["by_model"]["median"]["y"]["histogram"]["counts"][-1] == 20_000
    (listed,) = data["uncertain_inputs"]
    assert (listed["key"], listed["low"], listed["high"]) == ("b:x:position", 0.0, 100.0)
    assert listed["dist"] == "uniform"
    # a's gain on x is -b/2 (it stands at the status quo), b's is b/2: b wins every draw
    assert data["biggest_winner"] == {
        "compromise": {"a": 0.0, "b": 1.0},
        "median": {"a": 0.0, "b": 1.0},
    }
    text = repr(r)
    assert "20,000 draws (seed 5) of 1 uncertain inputs" in text
    # the first model's median and 80% interval of each issue, to 4 significant digits
    (line,) = re.findall(r"x: median (\S+) \(80% (\S+) to (\S+)\)", text)
    assert [float(v) for v in line] == pytest.approx([25.0, 5.0, 45.0], abs=0.6)


def test_same_seed_same_bytes_whatever_the_grouping_or_workers(tiny: dict[str, Any]) -> None:
    s = _with_ranges(tiny)
    models = ["compromise", "median", "nash", "expected-utility"]
    one = u.simulate(s, models, draws=9000, seed=42)
    two = u.simulate(s, models, draws=9000, seed=42, workers=2)
    assert json.dumps(one.to_dict()) == json.dumps(two.to_dict())
    # merging block summaries in another order and grouping changes nothing
    blocks = list(u._blocks(9000, u.BLOCK))
    parts = [u.run_block(s, models, {}, 42, k, n) for k, n in reversed(blocks)]
    total = u._Summary(0, {}, {}, {}, {}, {})
    grouped = u._Summary(0, {}, {}, {}, {}, {})
    grouped.merge(parts[0])
    grouped.merge(parts[1])
    total.merge(parts[2])
    total.merge(grouped)
    again = u._result(s, models, 42, 9000, total)
    assert json.dumps(again.to_dict()) == json.dumps(one.to_dict())
    other = u.simulate(s, models, draws=9000, seed=43)
    assert json.dumps(other.to_dict()) != json.dumps(one.to_dict())


def test_dask_local_cluster_gives_the_same_bytes(tiny: dict[str, Any]) -> None:
    distributed = pytest.importorskip("dask.distributed")
    s = _with_ranges(tiny)
    local = u.simulate(s, ["compromise", "nash"], draws=6000, seed=7)
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = u.simulate(s, ["compromise", "nash"], draws=6000, seed=7, dask=client)
        by_address = u.simulate(
            s, ["compromise", "nash"], draws=6000, seed=7, dask=cluster.scheduler_address
        )
        args = ["simulate", "karabakh-2020", "-n", "5000", "-s", "3", "-f", "json"]
        cli = runner.invoke(app, [*args, "--dask", cluster.scheduler_address])
    assert json.dumps(remote.to_dict()) == json.dumps(local.to_dict())
    assert json.dumps(by_address.to_dict()) == json.dumps(local.to_dict())
    assert cli.exit_code == 0, cli.output
    assert cli.output == runner.invoke(app, args).output


def test_winner_probabilities_count_ties_for_nobody(tiny: dict[str, Any]) -> None:
    # Only tax has a status quo. a and c stand above it: while the forecast f is at or below
    # a's position both gain (f - q) / 100 exactly, a tie, so the draw has no biggest winner;
    # above it c gains more than a. b (at 0) never gains more than c.
    r = u.simulate(_with_ranges(tiny), "compromise", draws=3000, seed=1)
    probabilities = r.biggest_winner["compromise"]
    assert set(probabilities) == {"a", "b", "c"}
    assert probabilities["a"] == probabilities["b"] == 0.0
    assert 0.3 < probabilities["c"] < 0.9  # both cases occur: the rest of the draws are ties
    plain = copy.deepcopy(TINY)
    coded = u.simulate(sc.Scenario.model_validate(plain), "compromise", draws=10, seed=1)
    f = coded.summary("tax", "compromise").median  # 62.2 > 60: c alone, in every draw
    assert f == pytest.approx(280 / 4.5, abs=0.1)
    assert coded.biggest_winner["compromise"] == {"a": 0.0, "b": 0.0, "c": 1.0}
    plain["actors"][0]["stances"]["tax"]["position"] = 70  # now f = 290/4.5 < 70: a tie
    tied = u.simulate(sc.Scenario.model_validate(plain), "compromise", draws=10, seed=1)
    assert tied.biggest_winner["compromise"] == {"a": 0.0, "b": 0.0, "c": 0.0}


def test_expected_utility_confrontation_shares() -> None:
    s = sc.load("karabakh-2020").model_copy(update={"perturb": Perturbation(relative=0.1)})
    r = u.simulate(s, "expected-utility", draws=500, seed=2)
    shares = r.confrontation[("territory", "expected-utility")]
    assert all(0.0 <= v <= 1.0 for v in shares.values())
    assert max(shares.values()) > 0


def test_interrupt_keeps_what_was_done(tiny: dict[str, Any]) -> None:
    def stop(done: int, total: int) -> None:
        if done >= u.BLOCK:
            raise KeyboardInterrupt

    r = u.simulate(_with_ranges(tiny), "compromise", draws=3 * u.BLOCK, progress=stop)
    assert r.interrupted
    assert r.draws == u.BLOCK
    assert r.summary("tax", "compromise").draws == u.BLOCK
    assert f"{u.BLOCK:,} draws (interrupted) (seed 0)" in repr(r)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"draws": 0}, "draws must be a positive integer"),
        ({"workers": 0}, "workers must be a positive integer"),
        ({"options": {"colour": 1}}, "unknown option 'colour'"),
        ({"options": {"utility": "cubic"}, "model": "nash"}, "must be one of quadratic, linear"),
    ],
)
def test_bad_simulation_arguments(kwargs: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {"model": "compromise", **kwargs}
    with pytest.raises(ValueError, match=message):
        u.simulate(sc.load("ec-emissions-1994"), **args)


# --- the command line ------------------------------------------------------------------------
def test_simulate_table() -> None:
    result = runner.invoke(app, ["simulate", "karabakh-2020", "--perturb", "0.1", "-n", "3000"])
    assert result.exit_code == 0, result.output
    for text in ("80% interval", "95% interval", "Probability of being the biggest winner"):
        assert text in result.output


def test_simulate_json_is_reproducible() -> None:
    args = ["simulate", "karabakh-2020", "--perturb", "0.1", "-n", "2000", "-s", "9", "-f", "json"]
    first = runner.invoke(app, args)
    second = runner.invoke(app, [*args, "--workers", "2"])
    assert first.exit_code == 0
    assert first.output == second.output
    data = json.loads(first.output)
    assert data["draws"] == 2000
    assert set(data["issues"]["territory"]) == {
        "mean",
        "median",
        "interval80",
        "interval95",
        "actual",
        "histogram",
    }
    assert sum(data["issues"]["territory"]["histogram"]["counts"]) == 2000


def test_simulate_without_uncertainty_warns() -> None:
    result = runner.invoke(app, ["simulate", "ec-emissions-1994", "-n", "100"])
    assert result.exit_code == 0
    assert "no uncertain numbers" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--perturb", "2"], "--perturb must lie between 0"),
        (["-m", "voodoo"], "unknown model 'voodoo'"),
        (["-n", "0"], "Invalid value"),
        (["-f", "csv"], "simulate prints a table or json"),
    ],
)
def test_simulate_bad_arguments(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["simulate", "ec-emissions-1994", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_model_that_applies_to_no_issue() -> None:
    with pytest.raises(
        ValueError, match="applies to no issue of ec-emissions-1994: the issue has no status quo"
    ):
        u.simulate(sc.load("ec-emissions-1994"), "nash", draws=10)


def test_simulate_cli_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    real = u.run_block
    calls = {"n": 0}

    def run_then_stop(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] > 1:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(u, "run_block", run_then_stop)
    # Blocks in this thread, where Ctrl-C lands (on threads it lands in the main thread
    # while they run: test_parallel.py's test_an_interrupt_stops_the_threads_promptly)
    monkeypatch.setenv("STATECRAFT_THREADS", "1")
    result = runner.invoke(
        app, ["simulate", "karabakh-2020", "--perturb", "0.1", "-n", str(3 * u.BLOCK)]
    )
    assert result.exit_code == 130
    assert "interrupted: kept the 4,096 draws done of 12,288" in result.output
    assert "4,096 draws" in result.output  # the table of what was done


def test_dotted_ids_never_share_draws(tmp_path: Path) -> None:
    # actor 'a.b' and actor 'a''s capability on issue 'b' once had the same name
    data = {
        "name": "dots",
        "issues": [{"id": "b", "label": "B"}],
        "actors": [
            {
                "id": "a",
                "capability": 1,
                "stances": {
                    "b": {
                        "position": 0,
                        "salience": 1,
                        "capability": {"value": 1, "low": 0.5, "high": 1},
                    }
                },
            },
            {
                "id": "a.b",
                "capability": {"value": 100, "low": 99, "high": 101},
                "stances": {"b": {"position": 100, "salience": 1}},
            },
        ],
    }
    s = sc.Scenario.model_validate(data)
    keys = [i.key for i in u.uncertain_inputs(s)]
    assert len(keys) == len(set(keys)) == 2
    mean = u.simulate(s, "compromise", draws=4000).summary("b", "compromise").mean
    assert mean > 98  # a.b, at 100, has about a hundred times a's weight


def test_interrupt_with_workers_stops_promptly(tiny: dict[str, Any]) -> None:
    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt

    r = u.simulate(_with_ranges(tiny), "compromise", draws=40 * u.BLOCK, workers=2, progress=stop)
    assert r.interrupted
    assert r.draws < 10 * u.BLOCK


def _without_ranges(data: Any) -> Any:
    """A scenario's data with every range (low, high, dist) and the perturbation removed."""
    if isinstance(data, dict):
        return {
            k: _without_ranges(v)
            for k, v in data.items()
            if k not in ("low", "high", "dist", "perturb")
        }
    if isinstance(data, list):
        return [_without_ranges(v) for v in data]
    return data


@pytest.mark.parametrize("model", ["exchange", "spatial"])
def test_linked_models_without_uncertainty_give_their_forecast(model: str) -> None:
    # With no uncertain number every draw is the scenario itself, so the mean of the draws
    # is the point forecast exactly (8 equal values: their sum and its halvings are exact).
    s = sc.Scenario.model_validate(_without_ranges(sc.load("karabakh-2020").to_data()))
    point = sc.forecast(s, model)
    r = u.simulate(s, model, draws=8)
    assert not r.inputs
    for issue in s.issue_ids:
        assert r.summary(issue, model).mean == point.value(issue, model), issue
        assert r.summary(issue, model).draws == 8


def test_stochastic_linked_model_same_bytes_in_other_processes() -> None:
    # The random-rate exchange draws from the generator the kernel gives it (the study's
    # seed, the block, the model's name), so two processes give the same bytes, and
    # another seed other rates.
    s = sc.load("karabakh-2020")
    opts = {"variant": "random-rate"}
    one = u.simulate(s, "exchange", draws=40, seed=5, options=opts)
    two = u.simulate(s, "exchange", draws=40, seed=5, options=opts, workers=2)
    assert json.dumps(one.to_dict()) == json.dumps(two.to_dict())
    other = u.simulate(s, "exchange", draws=40, seed=6, options=opts)
    assert json.dumps(other.to_dict()) != json.dumps(one.to_dict())


def test_simulate_takes_model_instances(tiny: dict[str, Any]) -> None:
    s = _with_ranges(tiny)
    by_name = u.simulate(s, ["compromise", "nash"], draws=500, seed=1)
    by_instance = u.simulate(
        s, [sc.get_model("compromise"), sc.get_model("nash")], draws=500, seed=1
    )
    assert by_instance.models == ("compromise", "nash")
    assert json.dumps(by_instance.to_dict()) == json.dumps(by_name.to_dict())
    with pytest.raises(ValueError, match="named twice"):
        u.simulate(s, [sc.get_model("compromise"), "compromise"], draws=10)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["triangular", "uniform", "normal", "beta"]),
            st.floats(-50, 50),
            st.floats(0.01, 40),
            st.floats(0, 1),
        ),
        min_size=1,
        max_size=12,
    ),
    st.integers(1, 300),
)
def test_draws_are_the_same_drawn_input_by_input(
    specs: list[tuple[str, float, float, float]], size: int
) -> None:
    # draw_block draws runs of triangular or uniform inputs in one call: the same numbers,
    # byte for byte and in the same order, as one call of sample per input.
    from statecraft.analysis import draws as d

    inputs = [
        d.UncertainInput(
            f"a{k}:capability",
            "capability",
            f"a{k}",
            None,
            low + at * width,
            low,
            low + width,
            dist,
            (-np.inf, np.inf),
        )
        for k, (dist, low, width, at) in enumerate(specs)
    ]
    got = d.draw_block(sc.load("ec-emissions-1994"), inputs, 5, 2, size)
    rng = d._generator(5, 2)
    want = {i.key: d.sample(i, rng, size) for i in inputs}
    assert list(got) == list(want)
    for key, values in want.items():
        assert got[key].tobytes() == values.tobytes(), key


class Never(IssueModel):
    """A test model that gives no forecast (NaN) in any draw."""

    name = "never"
    title = "No forecast"
    citation = "A test double."

    def predict(self, issue: IssueArrays) -> np.ndarray:
        return np.full(np.shape(issue.position)[:-1], np.nan)


def test_a_model_that_forecasts_in_no_draw_reports_no_numbers() -> None:
    # Every draw NaN: no valid draw, so no mean (NaN; null in the JSON, with the reason)
    # and an empty histogram, while the study's own draws are all counted.
    r = u.simulate(uniform_scenario(), Never(), draws=300, seed=1)
    s = r.summary("x", "never")
    assert s.draws == 0
    assert math.isnan(s.mean)
    assert int(s.histogram.sum()) == 0
    assert r.draws == 300
    data = r.to_dict()
    assert data["issues"]["x"]["mean"] is None
    assert sum(data["issues"]["x"]["histogram"]["counts"]) == 0
