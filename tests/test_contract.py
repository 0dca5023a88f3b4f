"""The model contract (statecraft.models.base), checked for every registered model.

Each property of ``CONTRACT``, and each declared property (``within_positions``, one-issue
models reading one issue, ``needs_status_quo``, ``stochastic``, ``memory_per_draw``), is
checked for every model of the registry, with its default options, on the built-in
scenarios, the tiny test scenario and random scenarios from hypothesis. A model is under
this test the moment it is registered. A model that cannot honour a property of
``CONTRACT`` names it in its ``exemptions`` with the reason, and the property is skipped
for that model with that reason.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any, Literal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import statecraft as sc
from statecraft.analysis import kernel
from statecraft.analysis.draws import draw_block, uncertain_inputs
from statecraft.arrays import Batch, draw_batch, scenario_batch
from statecraft.models import CONTRACT, Model, available_models
from tests.conftest import TINY

MODELS = available_models()
SCENARIOS = ("karabakh-2020", "ec-emissions-1994", "tiny")
DRAWS = 4


@cache
def fixed(name: str) -> sc.Scenario:
    return sc.Scenario.model_validate(TINY) if name == "tiny" else sc.load(name)


def generator() -> np.random.Generator:
    return np.random.default_rng(20240613)


def perturbed(scenario: sc.Scenario, seed: int = 0, size: int = DRAWS) -> Batch:
    """``size`` draws of the scenario with every number perturbed by 20%."""
    p = scenario.with_perturbation(0.2)
    return draw_batch(p, draw_block(p, uncertain_inputs(p), seed, 0, size), size)


def tolerance(batch: Batch) -> np.ndarray:
    """Per issue: a few units in the last place of the scale's numbers."""
    magnitude = np.maximum(np.maximum(np.abs(batch.low), np.abs(batch.high)), batch.width)
    return np.asarray(1e-9 * magnitude + 1e-9)


def assert_same(a: np.ndarray, b: np.ndarray, batch: Batch, what: str) -> None:
    """The same forecasts (draws x issues, or one draw), NaN in the same places."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape, what
    assert (np.isnan(a) == np.isnan(b)).all(), f"{what}: NaN in other places\n{a}\n{b}"
    gap = np.abs(np.where(np.isnan(a), 0.0, a - b))
    bad = gap > tolerance(batch)
    assert not bad.any(), f"{what}: forecasts differ by up to {gap.max():g}\n{a}\n{b}"


def forecasts(model: Model, batch: Batch) -> np.ndarray:
    return model.evaluate(batch, generator()).forecasts


def literal_values(annotation: Any) -> list[Any]:
    """The values an option's annotation names: its Literal values, or True and False."""
    if annotation is bool:
        return [True, False]
    if typing.get_origin(annotation) is Literal:
        return list(typing.get_args(annotation))
    return [v for arg in typing.get_args(annotation) for v in literal_values(arg)]


def variants(model: Model) -> list[Model]:
    """The model with its default options, then with each other value of each option that
    is one of a list (the stochastic variants among them)."""
    out = [model]
    for name, info in model.Options.model_fields.items():
        for value in literal_values(info.annotation):
            if value != model.options[name]:
                out.append(model.with_options(**{name: value}))
    return out


# -- the properties ------------------------------------------------------------------------
# Each check takes a model, a scenario, a seed (for the draws and the order of actors) and
# whether to be thorough (every variant of the options, not the defaults only).


def batch_equals_loop(model: Model, scenario: sc.Scenario, seed: int, thorough: bool) -> None:
    batch = perturbed(scenario, seed)
    whole = forecasts(model, batch)
    for k in range(batch.size):
        assert_same(whole[k], forecasts(model, batch.take([k]))[0], batch, f"draw {k}")


def actor_order(model: Model, scenario: sc.Scenario, seed: int, thorough: bool) -> None:
    batch = perturbed(scenario, seed)
    base = model.evaluate(batch, generator())
    shuffled = np.random.default_rng(seed).permutation(batch.n_actors)
    for order in (shuffled, np.arange(batch.n_actors)[::-1]):
        again = model.evaluate(batch.reorder(order), generator())
        assert_same(base.forecasts, again.forecasts, batch, f"actors in order {order}")
        assert set(again.not_applicable) == set(base.not_applicable)


def capability_scale(model: Model, scenario: sc.Scenario, seed: int, thorough: bool) -> None:
    batch = perturbed(scenario, seed)
    base = forecasts(model, batch)
    for factor in (1e-3, 1e3):
        assert_same(base, forecasts(model, batch.scaled(factor)), batch, f"capability x {factor}")


def within_scale(model: Model, scenario: sc.Scenario, seed: int, thorough: bool) -> None:
    for batch in (scenario_batch(scenario), perturbed(scenario, seed)):
        f = forecasts(model, batch)
        tol = tolerance(batch)
        inside = (f >= batch.low - tol) & (f <= batch.high + tol)
        assert (np.isnan(f) | inside).all(), f"outside {batch.low}..{batch.high}: {f}"


def within_positions(model: Model, scenario: sc.Scenario, seed: int, thorough: bool) -> None:
    if not model.within_positions:
        pytest.skip(f"the {model.name} model does not declare within_positions")
    for batch in (scenario_batch(scenario), perturbed(scenario, seed)):
        f = forecasts(model, batch)
        taking_part = np.where(batch.present, batch.position, np.nan)  # (B, n, issues)
        low, high = np.nanmin(taking_part, axis=1), np.nanmax(taking_part, axis=1)
        tol = tolerance(batch)
        inside = (f >= low - tol) & (f <= high + tol)
        assert (np.isnan(f) | inside).all(), f"outside the positions {low}..{high}: {f}"


def json_details(model: Model, scenario: sc.Scenario, seed: int, thorough: bool) -> None:
    for batch in (scenario_batch(scenario), perturbed(scenario, seed)):
        assert model.evaluate(batch, generator()).details is None  # only when asked for
        details = model.evaluate(batch, generator(), detail=True).details
        if details is None:
            continue
        json.loads(json.dumps(details.to_dict(), allow_nan=False))
        json.dumps(details.forecast_fields(), allow_nan=False)
        records = details.to_records()
        assert isinstance(records, list)
        assert all(isinstance(r, dict) and all(isinstance(k, str) for k in r) for r in records)


def same_seed_same_bytes(model: Model, scenario: sc.Scenario, seed: int, thorough: bool) -> None:
    batch = perturbed(scenario, seed, size=2)
    # every variant on the fixed scenarios, the defaults on random ones (where the spatial
    # model's pce=markov-incentive election can need more than its 1,000 iterations)
    every = variants(model) if thorough else [model]
    others = [cls() for name, cls in MODELS.items() if name != model.name]
    for m in every:
        first = kernel.evaluate([m], batch, seed=seed)[m.name].forecasts
        again = kernel.evaluate([m], batch, seed=seed)[m.name].forecasts
        assert first.tobytes() == again.tobytes(), m
        if thorough and m.stochastic:
            # where the seed matters, a model's generator is its own: the models run beside
            # it change nothing
            other = kernel.evaluate([m], batch, seed=seed + 1)[m.name].forecasts
            if other.tobytes() != first.tobytes():
                beside = kernel.evaluate([*others, m], batch, seed=seed)[m.name].forecasts
                assert first.tobytes() == beside.tobytes(), m


def not_applicable(model: Model, scenario: sc.Scenario, seed: int, thorough: bool) -> None:
    batch = scenario_batch(scenario)
    out = model.evaluate(batch, generator())
    assert dict(out.not_applicable) == model.not_applicable(batch)
    assert all(isinstance(why, str) and why for why in out.not_applicable.values())
    for j, issue in enumerate(batch.issue_ids):
        if issue in out.not_applicable:
            assert np.isnan(out.forecasts[:, j]).all(), issue
        else:
            assert np.isfinite(out.forecasts[:, j]).all(), issue
    draws = perturbed(scenario, seed)
    out = model.evaluate(draws, generator())
    assert set(out.not_applicable) <= set(batch.issue_ids)
    for j, issue in enumerate(draws.issue_ids):
        if issue in out.not_applicable:
            assert np.isnan(out.forecasts[:, j]).all(), issue


def moved_but(batch: Batch, issue: int, seed: int) -> Batch:
    """The batch with new positions, anywhere on the scale, on every issue but one."""
    fresh = batch.low + batch.width * np.random.default_rng(seed).random(batch.position.shape)
    elsewhere = (np.arange(batch.n_issues) != issue) & batch.present
    return replace(batch, position=np.where(elsewhere, fresh, batch.position))


def issues_apart(model: Model, scenario: sc.Scenario, seed: int, thorough: bool) -> None:
    """A one-issue model's forecast of an issue ignores the positions on the others."""
    if model.links_issues:
        pytest.skip(f"the {model.name} model links issues (test_linked_models_link_issues)")
    batch = perturbed(scenario, seed)
    base = forecasts(model, batch)
    for j in range(batch.n_issues):
        moved = forecasts(model, moved_but(batch, j, seed))
        assert moved[:, j].tobytes() == base[:, j].tobytes()


def status_quo(model: Model, scenario: sc.Scenario, seed: int, thorough: bool) -> None:
    """Taking an issue's status quo away makes it not applicable for exactly the models
    that declare needs_status_quo."""
    batch = scenario_batch(scenario)
    base = model.not_applicable(batch)
    for j, issue in enumerate(batch.issue_ids):
        quo = batch.status_quo.copy()
        quo[:, j] = np.nan
        without = model.evaluate(replace(batch, status_quo=quo), generator())
        if model.needs_status_quo:
            assert set(without.not_applicable) == set(base) | {issue}
            assert np.isnan(without.forecasts[:, j]).all()
        else:
            assert set(without.not_applicable) == set(base)


Check = Callable[[Model, sc.Scenario, int, bool], None]
CHECKS: dict[str, Check] = {
    "batch-equals-loop": batch_equals_loop,
    "actor-order": actor_order,
    "capability-scale": capability_scale,
    "within-scale": within_scale,
    "json-details": json_details,
    "same-seed-same-bytes": same_seed_same_bytes,
    "not-applicable": not_applicable,
    # declared properties: they hold where the model declares them
    "within-positions": within_positions,
    "issues-apart": issues_apart,
    "status-quo": status_quo,
}


def model_for(name: str, prop: str) -> Model:
    """The model with its default options, the property skipped where it is exempt."""
    model = MODELS[name]()
    if prop in model.exemptions:
        pytest.skip(f"{name} is exempt from {prop}: {model.exemptions[prop]}")
    return model


def test_every_contract_property_is_checked() -> None:
    assert set(CONTRACT) <= set(CHECKS)
    for name, cls in MODELS.items():
        assert set(cls.exemptions) <= set(CONTRACT), name
        assert all(isinstance(why, str) and why for why in cls.exemptions.values()), name


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("prop", CHECKS)
@pytest.mark.parametrize("name", MODELS)
def test_contract(name: str, prop: str, scenario: str) -> None:
    CHECKS[prop](model_for(name, prop), fixed(scenario), 1, True)


# -- random scenarios ----------------------------------------------------------------------
@st.composite
def scenarios(draw: st.DrawFn, small: bool = False) -> sc.Scenario:
    """2-8 actors (5 if small), 1-4 issues (3 if small), random scales, positions inside
    them (on a coarse grid, for ties, or anywhere), saliences in [0, 1] with one positive per
    issue at least, capabilities > 0 (some per issue), a status quo or none, and either every
    actor on every issue or some actors absent from some issues."""
    n_actors = draw(st.integers(2, 5 if small else 8))
    n_issues = draw(st.integers(1, 3 if small else 4))
    everyone = draw(st.booleans())
    grid = draw(st.booleans())
    salience = st.sampled_from([0.0, 0.25, 1.0]) | st.floats(0.0, 1.0)
    capability = st.sampled_from([1.0, 2.0]) | st.floats(1e-3, 1e3)
    issues: list[dict[str, Any]] = []
    stances: list[dict[str, Any]] = [{} for _ in range(n_actors)]
    for j in range(n_issues):
        low = draw(st.sampled_from([0.0, -1.0]) | st.floats(-1e3, 1e3))
        width = draw(st.sampled_from([1.0, 10.0, 100.0]) | st.floats(0.5, 1e3))
        high = low + width
        quarters = [low + width * k / 4 for k in range(5)]
        point = st.sampled_from(quarters) if grid else st.floats(low, high)
        issue: dict[str, Any] = {"id": f"i{j}", "label": f"Issue {j}"}
        issue["scale"] = {"low": low, "high": high}
        if draw(st.booleans()):
            issue["status_quo"] = draw(point)
        issues.append(issue)
        anchor = draw(st.integers(0, n_actors - 1))
        for a in range(n_actors):
            if a != anchor and not everyone and not draw(st.booleans()):
                continue
            stance: dict[str, Any] = {
                "position": draw(point),
                "salience": draw(st.floats(0.05, 1.0) if a == anchor else salience),
            }
            if draw(st.integers(0, 4)) == 0:
                stance["capability"] = draw(capability)
            stances[a][f"i{j}"] = stance
    actors = [
        {"id": f"a{a}", "capability": draw(capability), "stances": stances[a]}
        for a in range(n_actors)
    ]
    return sc.Scenario.model_validate({"name": "random", "issues": issues, "actors": actors})


@pytest.mark.parametrize("prop", CHECKS)
@pytest.mark.parametrize("name", MODELS)
def test_contract_on_random_scenarios(name: str, prop: str) -> None:
    model = model_for(name, prop)
    slow = model.cost == "slow"

    @settings(
        max_examples=6 if slow else 20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(scenarios(small=slow), st.integers(0, 2**31))
    def check(scenario: sc.Scenario, seed: int) -> None:
        CHECKS[prop](model, scenario, seed, False)

    check()


# -- declared metadata ---------------------------------------------------------------------
@pytest.mark.parametrize("name", MODELS)
def test_linked_models_link_issues(name: str) -> None:
    """A model that declares links_issues does let one issue's positions move another's
    forecast (on Karabakh, where every actor takes every position and every model applies);
    the one-issue models' independence is the property issues-apart."""
    model = MODELS[name]()
    if not model.links_issues:
        pytest.skip(f"{name} is a one-issue model (property issues-apart)")
    batch = scenario_batch(fixed("karabakh-2020"))
    base = forecasts(model, batch)
    assert np.isfinite(base).all()
    moved = [forecasts(model, moved_but(batch, j, 7))[0, j] for j in range(batch.n_issues)]
    assert np.abs(np.array(moved) - base[0]).max() > 0.01


@pytest.mark.parametrize("name", MODELS)
def test_stochastic_is_declared(name: str) -> None:
    """A model that does not declare itself stochastic gives the same forecasts whatever
    the seed, in every variant; one that does draws different numbers for another seed in
    one variant at least."""
    batch = perturbed(fixed("karabakh-2020"), size=2)
    differ = []
    for m in variants(MODELS[name]()):
        one = kernel.evaluate([m], batch, seed=1)[m.name].forecasts
        two = kernel.evaluate([m], batch, seed=2)[m.name].forecasts
        differ.append(one.tobytes() != two.tobytes())
        if not m.stochastic:
            # the kernel gives a deterministic model one shared generator: it must not draw
            rng = np.random.default_rng(0)
            state = rng.bit_generator.state
            m.evaluate(batch, rng)
            assert rng.bit_generator.state == state, f"{m!r} draws but is not stochastic"
    assert any(differ) == MODELS[name].stochastic


@pytest.mark.parametrize("name", MODELS)
def test_memory_per_draw_is_positive_and_grows_with_actors(name: str) -> None:
    model = MODELS[name]()
    for issues in (1, 10, 50):
        sizes = [model.memory_per_draw(n, issues) for n in (1, 10, 100, 1000)]
        assert all(isinstance(s, int) and s > 0 for s in sizes)
        assert sizes == sorted(set(sizes)), sizes  # strictly increasing
        assert model.memory_per_draw(100, issues) >= model.memory_per_draw(100, 1)


@pytest.mark.parametrize("name", MODELS)
def test_chunks_fit_the_memory_budget(name: str) -> None:
    model = MODELS[name]()
    for actors in (10, 100, 1000):
        for issues in (1, 10, 50):
            chunk = kernel.chunk_size(model, actors, issues)
            per = model.memory_per_draw(actors, issues) + kernel.input_bytes(actors, issues)
            run = model.run_memory(actors, issues)  # what one call holds whatever the draws
            assert chunk >= 1
            if chunk > 1:  # (one draw at least, where the run alone fills the budget)
                assert run + chunk * per <= kernel.MEMORY_BUDGET, (actors, issues, chunk, per)
            assert run + (chunk + 1) * per > kernel.MEMORY_BUDGET  # no smaller than need be


@pytest.mark.parametrize("name", MODELS)
def test_run_model_in_chunks_equals_one_call(name: str) -> None:
    scenario = fixed("karabakh-2020")
    batch = perturbed(scenario, size=7)
    model = MODELS[name]()
    per = model.memory_per_draw(batch.n_actors, batch.n_issues) + kernel.input_bytes(
        batch.n_actors, batch.n_issues
    )
    budget = model.run_memory(batch.n_actors, batch.n_issues) + 2 * per  # chunks: 2, 2, 2, 1
    assert kernel.chunk_size(model, batch.n_actors, batch.n_issues, budget) == 2
    whole = kernel.run_model(model, batch, seed=3, detail=True)
    chunked = kernel.run_model(model, batch, seed=3, budget=budget, detail=True)
    assert_same(whole.forecasts, chunked.forecasts, batch, "in chunks")
    assert dict(whole.not_applicable) == dict(chunked.not_applicable)
    # the per-draw extras joined draw by draw, the details of the first draw kept
    assert {i: sorted(e) for i, e in whole.extras.items()} == {
        i: sorted(e) for i, e in chunked.extras.items()
    }
    for issue, extra in whole.extras.items():
        for key, values in extra.items():
            assert chunked.extras[issue][key].tobytes() == values.tobytes(), (issue, key)
    if whole.details is None:
        assert chunked.details is None
    else:
        assert chunked.details is not None
        assert chunked.details.to_dict() == whole.details.to_dict()


@pytest.mark.parametrize("name", MODELS)
def test_declared_peak_memory_covers_a_measured_call(name: str) -> None:
    """tracemalloc's peak of one call on 60 actors x 6 issues stays within the kernel's
    estimate from the model's declared memory (:func:`kernel.peak_memory`), give or take a
    quarter: the estimate sizes chunks and refuses what cannot fit, so it may not be short.
    (The exchange model once declared 300 times too little.)"""
    import tracemalloc

    rng = np.random.default_rng(5)
    n, m, draws = 60, 6, 2
    scenario = sc.Scenario.model_validate(
        {
            "name": "random",
            "issues": [{"id": f"i{j}", "label": f"I{j}", "status_quo": 50} for j in range(m)],
            "actors": [
                {
                    "id": f"a{k}",
                    "capability": float(rng.uniform(1, 100)),
                    "stances": {
                        f"i{j}": {
                            "position": float(rng.uniform(0, 100)),
                            "salience": float(rng.uniform(0.1, 1)),
                        }
                        for j in range(m)
                    },
                }
                for k in range(n)
            ],
        }
    )
    batch = scenario_batch(scenario).take(np.zeros(draws, dtype=int))
    model = MODELS[name]()
    tracemalloc.start()
    try:
        model.evaluate(batch, np.random.default_rng(0))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= 1.25 * kernel.peak_memory(model, n, m, draws), peak
