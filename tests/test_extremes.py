"""Numbers stay finite: scales near 1e308, capabilities near 5e-324 and 1e308, saliences and
positions at their bounds give finite forecasts, gains and intervals for every model (or the
model says it does not apply, and why), without a RuntimeWarning; JSON output is strict JSON;
a scale too wide for a float is refused; the spatial model's Markov elections reach their
limit on inputs where the iteration mixes too slowly; the tables say what every dash means."""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

import statecraft as sc
from statecraft.analysis.draws import UncertainInput, sample
from statecraft.analysis.kernel import evaluate, in_safe_range
from statecraft.cli import app
from statecraft.models.registry import registered
from statecraft.models.spatial import Spatial
from statecraft.models.spatial_blocks import _limit
from statecraft.textsafe import strict_json

runner = CliRunner()
TOP = 1.7e308  # near the largest float, 1.797e308
TINY_CAP = 5e-324  # the smallest denormal


def _issue(i: str, low: float, high: float, sq: float | None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": i, "label": i.upper(), "scale": {"low": low, "high": high}}
    if sq is not None:
        out["status_quo"] = sq
    return out


def scenario(
    low: float,
    high: float,
    actors: list[tuple[float, tuple[float, float], tuple[float, float]]],
    sq: float | None = None,
    perturb: float | None = None,
) -> dict[str, Any]:
    """Two issues on one scale; each actor (capability, positions, saliences)."""
    data: dict[str, Any] = {
        "name": "extreme",
        "issues": [_issue("a", low, high, sq), _issue("b", low, high, sq)],
        "actors": [
            {
                "id": f"x{k}",
                "capability": cap,
                "stances": {
                    "a": {"position": pos[0], "salience": sal[0]},
                    "b": {"position": pos[1], "salience": sal[1]},
                },
            }
            for k, (cap, pos, sal) in enumerate(actors)
        ],
    }
    if perturb:
        data["perturb"] = {"relative": perturb}
    return data


#: Extreme but valid scenarios: a scale up to 1.7e308 with capabilities from 5e-324 to 1e308
#: and positions at its ends; one from -1e308 to 0.7e308 (width 1.7e308); denormal
#: capabilities on an ordinary scale; saliences at 0 and 1.
EXTREMES: dict[str, dict[str, Any]] = {
    "top": scenario(
        0.0,
        TOP,
        [
            (1e308, (0.0, TOP), (1.0, 0.5)),
            (TINY_CAP, (TOP, 0.0), (0.5, 1.0)),
            (1e308, (TOP / 2, TOP), (1.0, 1.0)),
        ],
        sq=0.0,
    ),
    "wide": scenario(
        -1e308,
        0.7e308,
        [
            (1.0, (-1e308, 0.7e308), (1.0, 0.5)),
            (2.0, (0.7e308, -1e308), (0.5, 1.0)),
            (1.5, (0.0, 5e307), (1.0, 1.0)),
        ],
        sq=0.0,
    ),
    "denormal": scenario(
        0.0,
        1.0,
        [
            (TINY_CAP, (0.0, 1.0), (1.0, 0.5)),
            (TINY_CAP, (1.0, 0.0), (0.5, 1.0)),
            (1e-320, (0.5, 0.2), (TINY_CAP, 1.0)),
        ],
        sq=0.5,
    ),
    "saliences": scenario(
        0.0,
        100.0,
        [
            (1.0, (0.0, 100.0), (1.0, 0.0)),
            (1.0, (100.0, 0.0), (0.0, 1.0)),
            (1.0, (100.0, 100.0), (1.0, 1.0)),
        ],
        sq=0.0,
    ),
}


@pytest.fixture(autouse=True)
def _runtime_warnings_are_errors() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


def _strict(text: str) -> Any:
    def refuse(token: str) -> None:
        raise AssertionError(f"not strict JSON: {token}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("case", EXTREMES)
@pytest.mark.parametrize("name", list(registered()))
def test_every_model_gives_a_finite_forecast_within_the_scale_or_says_why(
    case: str, name: str
) -> None:
    s = sc.Scenario.model_validate(EXTREMES[case])
    out = evaluate([registered()[name]()], sc.scenario_batch(s), detail=True)[name]
    for j, issue in enumerate(s.issues):
        if issue.id in out.not_applicable:
            assert out.not_applicable[issue.id], "a model that does not apply says why"
            continue
        value = out.forecasts[0, j]
        assert math.isfinite(value), (case, name, issue.id, value)
        assert issue.scale.low <= value <= issue.scale.high
    if out.details is not None:
        json.dumps(strict_json(out.details.to_dict()), allow_nan=False)


def test_the_compromise_and_the_median_by_hand_on_a_scale_up_to_1_7e308() -> None:
    # Three actors of capability 1e308 and salience 1 at 0, TOP/2 and TOP: the weighted mean
    # and the weighted median are both TOP/2. With capabilities 1e308, 1e308 and 1.7e308,
    # the weights are 1 : 1 : 1.7 and the mean is (0 + 0.5 + 1.7) / 3.7 of TOP.
    equal = scenario(0.0, TOP, [(1e308, (x, x), (1.0, 1.0)) for x in (0.0, TOP / 2, TOP)])
    f = sc.forecast(sc.Scenario.model_validate(equal), ["compromise", "median"])
    assert f.value("a", "compromise") == pytest.approx(TOP / 2, rel=1e-12)
    assert f.value("a", "median") == pytest.approx(TOP / 2, rel=1e-12)
    caps = [(1e308, 0.0), (1e308, TOP / 2), (1.7e308, TOP)]
    heavy = scenario(0.0, TOP, [(c, (x, x), (1.0, 1.0)) for c, x in caps])
    f = sc.forecast(sc.Scenario.model_validate(heavy), ["compromise"])
    assert f.value("a", "compromise") == pytest.approx(TOP / 3.7 * 2.2, rel=1e-12)


@pytest.mark.parametrize("name", list(registered()))
def test_a_scale_near_1e308_gives_the_forecast_of_the_same_scale_near_1(name: str) -> None:
    # Every model is unchanged by a common scale of the positions (and of the capabilities):
    # the scenario on 0..1.7e308 forecasts 1e308 times what it forecasts on 0..1.7.
    def on(unit: float, cap: float) -> sc.Scenario:
        actors = [
            (cap * 1.0, (0.0, 1.7), (1.0, 0.5)),
            (cap * 3.0, (1.7, 0.2), (0.5, 1.0)),
            (cap * 2.0, (0.85, 1.7), (0.8, 0.3)),
        ]
        scaled = [(c, (p[0] * unit, p[1] * unit), s) for c, p, s in actors]
        return sc.Scenario.model_validate(scenario(0.0, 1.7 * unit, scaled, sq=0.3 * unit))

    model = registered()[name]()
    small = evaluate([model], sc.scenario_batch(on(1.0, 1.0)))[name]
    big = evaluate([model], sc.scenario_batch(on(1e308, 1e307)))[name]
    assert big.not_applicable == small.not_applicable
    # the same scenario in units 1e308 (and capabilities 1e307), factors that are not powers
    # of 2: every product and quotient rounds differently, at about 1e-16 relative, and the
    # iterative models (bisection, rounds) compound that; 1e-6 relative allows for it, far
    # under any change of result
    np.testing.assert_allclose(big.forecasts, small.forecasts * 1e308, rtol=1e-6)


def test_the_safe_range_is_a_power_of_two_and_leaves_ordinary_batches_alone() -> None:
    ordinary = sc.scenario_batch(sc.load("karabakh-2020"))
    same, power = in_safe_range(ordinary)
    assert same is ordinary
    assert power == 0
    s = sc.Scenario.model_validate(EXTREMES["top"])
    batch = sc.scenario_batch(s)
    safe, power = in_safe_range(batch)
    assert power == 1024  # 1.7e308 = 0.946 x 2**1024
    np.testing.assert_array_equal(np.ldexp(safe.position, power), batch.position)
    assert safe.high.max() < 1
    assert safe.capability.max() < 1


def test_a_scale_whose_width_overflows_is_refused_with_a_message(
    write_yaml: Any,
) -> None:
    data = scenario(-1e308, 1e308, [(1.0, (0.0, 0.0), (1.0, 1.0))])
    path = write_yaml(data)
    result = runner.invoke(app, ["forecast", str(path), "--no-store"])
    assert result.exit_code == 2
    assert "too large" in result.output
    assert "1e+308 - (-1e+308)" in result.output


def test_draws_on_a_range_near_1e308_are_the_exactly_scaled_draws_of_a_range_near_1() -> None:
    def item(unit: float) -> UncertainInput:
        return UncertainInput(
            "x:a:position", "position", "x", "a", 1.5 * unit, 1.2 * unit, 1.7 * unit,
            "triangular", (0.0, 1.7 * unit),
        )  # fmt: skip

    for dist in ("triangular", "uniform", "normal", "beta"):
        small = UncertainInput(**{**item(1.0).__dict__, "dist": dist})
        big = UncertainInput(**{**item(2.0**1023).__dict__, "dist": dist})
        a = sample(small, np.random.default_rng(3), 500)
        b = sample(big, np.random.default_rng(3), 500)
        assert np.isfinite(b).all()
        assert (b >= big.low).all()
        assert (b <= big.high).all()
        np.testing.assert_array_equal(b, a * 2.0**1023)


def _run_json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return _strict(result.stdout)


def test_every_json_output_is_strict_json_on_an_extreme_scenario(
    write_yaml: Any, tmp_path: Path
) -> None:
    path = str(write_yaml({**EXTREMES["top"], "perturb": {"relative": 0.1}}))
    patch = tmp_path / "patch.yaml"
    patch.write_text(
        "name: stronger\nassumes: x0 stronger\nchanges:\n"
        "  - {set: capability, actor: x0, value: 1.7e+308}\n",
        encoding="utf-8",
    )
    forecast = _run_json("forecast", path, "--no-store")
    assert all(
        math.isfinite(v) for i in forecast["issues"].values() for v in i["forecast"].values()
    )
    sim = _run_json("simulate", path, "--no-store", "-n", "300")
    a = sim["issues"]["a"]
    assert 0 <= a["interval95"][0] <= a["median"] <= a["interval95"][1] <= TOP
    assert 0 <= a["mean"] <= TOP
    _run_json("compare", path, str(patch), "-n", "100", "--no-store")
    sens = _run_json("sensitivity", path, "--samples", "16")
    assert sens["oat"]["one_at_a_time"]["a"]


def test_a_number_that_is_not_finite_becomes_null_with_its_place_and_reason() -> None:
    data = {"issues": {"a/b": {"mean": float("nan"), "n": 0}}, "top": [1.0, float("-inf")]}
    out = strict_json(data, why={"issues": "no draw gave a forecast"})
    assert out["issues"]["a/b"]["mean"] is None
    assert out["top"] == [1.0, None]
    assert out["nulls"] == [
        {"path": "/issues/a~1b/mean", "value": "NaN", "reason": "no draw gave a forecast"},
        {
            "path": "/top/1",
            "value": "-Infinity",
            "reason": "beyond the largest floating-point number (about 1.8e308)",
        },
    ]
    _strict(json.dumps(out, allow_nan=False))


def test_sobol_indices_of_a_forecast_that_never_moves_are_null_with_the_reason() -> None:
    # Both actors stand at 50: whatever their uncertain saliences, the median is 50, so
    # each index is 0/0 (NaN), which the JSON gives as null with the reason.
    data = scenario(
        0.0, 100.0, [(1.0, (50.0, 50.0), (1.0, 1.0)), (1.0, (50.0, 50.0), (1.0, 1.0))], sq=50.0
    )
    for actor in data["actors"]:
        actor["stances"]["a"]["salience"] = {"value": 0.5, "low": 0.2, "high": 0.9}
    out = sc.sobol_indices(sc.Scenario.model_validate(data), "median", samples=8).to_dict()
    _strict(json.dumps(out, allow_nan=False))
    assert out["sobol"]["a"][0]["S1_conf"] is None
    nulls = [n for n in out["nulls"] if n["path"].startswith("/sobol/a/")]
    assert nulls
    assert all("no input explains any of its variance" in n["reason"] for n in nulls)


def test_markov_limit_of_a_slowly_mixing_two_state_chain_by_hand() -> None:
    # Column-stochastic A = [[1 - a, b], [a, 1 - b]]: its stationary distribution is
    # (b, a) / (a + b), whatever the start. With a, b ~ 1e-7 the power iteration needs
    # tens of millions of steps; squaring needs about 60.
    a, b = 1e-7, 2e-7
    step = np.array([[1 - a, b], [a, 1 - b]])
    lazy = (np.eye(2) + step) / 2
    p = _limit(lazy[None], np.array([[0.5, 0.5]]))[0]
    np.testing.assert_allclose(p, [2 / 3, 1 / 3], rtol=1e-9)
    # A chain that never mixes keeps its start.
    p = _limit(np.eye(3)[None], np.array([[0.2, 0.3, 0.5]]))[0]
    np.testing.assert_allclose(p, [0.2, 0.3, 0.5])


@pytest.mark.parametrize("victory", ["binary", "quartic", "octic"])
def test_the_markov_incentive_election_no_longer_fails_to_converge(victory: str) -> None:
    # Saliences at the bounds under the asymmetric voting rule: the election's chain mixes
    # too slowly for 1,000 iterations (before: RuntimeError ... did not converge).
    s = sc.Scenario.model_validate(EXTREMES["saliences"])
    model = Spatial(pce="markov-incentive", victory=victory, voting="asym-prosp")
    out = evaluate([model], sc.scenario_batch(s))["spatial"]
    assert np.isfinite(out.forecasts).all()
    assert ((out.forecasts >= 0) & (out.forecasts <= 100)).all()


def test_the_expected_utility_table_of_a_scenario_without_a_dyad(write_yaml: Any) -> None:
    data = scenario(0.0, 100.0, [(1.0, (30.0, 70.0), (1.0, 1.0))], sq=50.0)
    result = runner.invoke(
        app, ["forecast", str(write_yaml(data)), "-m", "expected-utility", "--no-store"]
    )
    assert result.exit_code == 0, result.output
    assert "No escalation index: no issue has two actors" in result.stdout


def test_every_dash_of_the_forecast_tables_is_explained(
    tiny: dict[str, Any], write_yaml: Any
) -> None:
    # tiny's issue 'date' has no status quo and no known outcome; Nash needs a status quo.
    result = runner.invoke(
        app, ["forecast", str(write_yaml(tiny)), "-m", "compromise", "-m", "nash", "--no-store"]
    )
    assert result.exit_code == 0, result.output
    assert "–" in result.stdout
    assert "– = " in result.stdout
    for reason in ("no status quo", "the real outcome is not known", "does not apply"):
        assert reason in " ".join(result.stdout.split()), reason


def test_numbers_near_1e308_are_shown_to_four_significant_digits(write_yaml: Any) -> None:
    result = runner.invoke(
        app, ["forecast", str(write_yaml(EXTREMES["top"])), "-m", "compromise", "--no-store"]
    )
    assert result.exit_code == 0, result.output
    assert "1.7e+308" in result.stdout
    assert "0000000000000000" not in result.stdout  # not 309 digits


def _two_scales(narrow: float, wide: float) -> dict[str, Any]:
    issues = [
        {"id": "small", "label": "Small", "scale": {"low": 0, "high": narrow}, "status_quo": 0},
        {"id": "big", "label": "Big", "scale": {"low": 0, "high": wide}, "status_quo": 0},
    ]
    stance = [
        {
            "small": {"position": narrow * p, "salience": 1},
            "big": {"position": wide * p, "salience": 1},
        }
        for p in (0.2, 0.8)
    ]
    actors = [
        {"id": "a", "capability": 1, "stances": stance[0]},
        {"id": "b", "capability": 3, "stances": stance[1]},
    ]
    return {"name": "scales", "issues": issues, "actors": actors}


def test_scales_too_far_apart_in_width_are_refused() -> None:
    """A trial's 0..1e-300 issue beside a 0..1e308 one was forecast 0 with no warning: the
    models run every issue at one scale. Refused, naming both issues."""
    with pytest.raises(sc.ScenarioError) as info:
        sc.read_text(json.dumps(_two_scales(1e-300, 1e308)), "json")
    assert str(info.value).startswith(
        "issues[0].scale: the issues' scales differ too much in width: big is 1e+308 wide "
        "and small 1e-300"
    )
    assert "Give the issues units closer together" in info.value.problem


def test_scales_far_apart_but_within_the_limit_are_forecast_exactly() -> None:
    # Compromise: (1 x 0.2 + 3 x 0.8) / 4 = 0.65 of each scale, however wide.
    s = sc.Scenario.model_validate(_two_scales(1e-30, 1e8))
    f = sc.forecast(s, "compromise")
    assert f.value("small", "compromise") == pytest.approx(0.65e-30, rel=1e-12)
    assert f.value("big", "compromise") == pytest.approx(0.65e8, rel=1e-12)


def test_ktab_rescales_a_scale_near_the_float_limit_without_overflow() -> None:
    # (8e307 + 8.9e307) / 1.78e308 x 100 = 94.9438...; the old 100 x (x - low) overflowed to inf.
    data = {
        "name": "t",
        "issues": [{"id": "big", "label": "Big", "scale": {"low": -8.9e307, "high": 8.9e307}}],
        "actors": [
            {"id": "a", "capability": 1, "stances": {"big": {"position": 8e307, "salience": 1}}},
            {"id": "b", "capability": 2, "stances": {"big": {"position": -8e307, "salience": 0.5}}},
        ],
    }
    text = sc.dumps(sc.Scenario.model_validate(data), "ktab")
    back = sc.read_text(text, "ktab")
    got = {a.id: a.stances["big"].position.value for a in back.actors}
    # two conversions (to KTAB's 0-100 positions, and back through text) of numbers near the
    # largest float, each exact to a few 1e-16 relative; 1e-8 allows for that
    assert got == pytest.approx({"a": 16.9 / 17.8 * 100, "b": 0.9 / 17.8 * 100}, rel=1e-8)
