"""The risk analysis (docs/risk.md): cases worked by hand, analytic limits, properties,
seeds, the shift of power, and every reader's scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import statecraft as sc
from statecraft.analysis._risk_study import evaluate, plan_for
from statecraft.analysis._risk_terms import (
    dyad_survival,
    issue_terms,
    prevail,
    prevail_without,
    votes,
)
from statecraft.analysis.risk import as_settlement, power_shift, risk
from statecraft.io import load
from tests.conftest import SHARED_DATA, requires_shared


def scenario(
    actors: list[tuple[str, float, float, float]], q: float = 50.0, **kw: Any
) -> sc.Scenario:
    """One issue on 0..100 with status quo ``q``; actors as (id, position, salience,
    capability)."""
    return sc.Scenario.model_validate(
        {
            "name": kw.get("name", "hand"),
            "issues": [{"id": "x", "label": "X", "status_quo": q}],
            "actors": [
                {"id": i, "capability": c, "stances": {"x": {"position": p, "salience": s}}}
                for i, p, s, c in actors
            ],
        }
    )


def test_two_actors_by_hand() -> None:
    # A at 100 (s 1, c 3), B at 0 (s 1, c 1), settlement at 50 on 0..100.
    # A's stake 0.5; votes for 100 over 50: A +1.5, B -0.5 -> P_A = 0.75; pressure
    # 0.5 (2 x 0.75 - 1) = 0.25. B's P = 0.25 -> no pressure. B would lose
    # (100 - 50) / 100 = 0.5 if A prevailed: R = 0.25 x 0.5 = 0.125.
    r = risk(scenario([("a", 100, 1, 3), ("b", 0, 1, 1)]), draws=5)
    d = r.dyad("a", "b")
    assert d.risk.mean == pytest.approx(0.125)
    assert abs(d.risk.median - 0.125) <= 1e-3  # read from bins of 1/1000
    issue = r.issue("x")
    assert issue.by_actor == pytest.approx({"a": 0.25, "b": 0.0})
    assert issue.leader == "a"
    assert issue.pressure.mean == pytest.approx(0.25)
    assert r.settlement.mean == pytest.approx(0.125)


def test_three_actors_with_a_third_party_by_hand() -> None:
    # A at 100 and B at 0 (s 1, c 1), T at 80 (s 0.5, c 2): every weight c x s is 1.
    # Votes for A's 100 over 50: A +50, B -50, T (30 - 20) = +10 -> P_A = 60/110,
    # pressure 0.5 (120/110 - 1) = 1/22. B's 0: -50 +50 -50 -> P_B = 1/3, none.
    # T's 80: stake 0.5 x 0.3 = 0.15; votes A +30, B -30, T +30 -> P_T = 2/3,
    # pressure 0.15 / 3 = 0.05. Resistance: B to A 0.5, B to T 0.3, A to T 0, T to A 0.
    s = scenario([("a", 100, 1, 1), ("b", 0, 1, 1), ("t", 80, 0.5, 2)])
    r = risk(s, draws=3)
    assert r.dyad("a", "b").risk.mean == pytest.approx(1 / 44)
    assert r.dyad("t", "b").risk.mean == pytest.approx(0.05 * 0.3)
    assert r.dyad("a", "t").risk.mean == 0.0
    assert r.dyad("a", "t").risk.median == 0.0  # an exact zero reads 0
    assert r.issue("x").by_actor == pytest.approx({"a": 1 / 22, "b": 0.0, "t": 0.05})
    assert r.issue("x").leader == "t"
    # guarantors of a-b: without T, A's P is 1/2 and its pressure 0: the risk falls by 1/44
    assert r.focus == ("a", "b")
    (g,) = r.guarantors
    assert g.actor == "t"
    assert g.effect.mean == pytest.approx(-1 / 44)
    assert r.rests_on == ()


def test_a_defender_the_settlement_rests_on() -> None:
    # D at the settlement (s 1, c 2) defends it against A; without D, A's P goes from
    # 1.5 / (1.5 + 0.5 + 1.0) = 1/2 to 3/4: A's pressure from 0 to 0.25, the risk to 0.125.
    s = scenario([("a", 100, 1, 3), ("b", 0, 1, 1), ("d", 50, 1, 2)])
    r = risk(s, draws=3, dyad=("a", "b"))
    assert r.dyad("a", "b").risk.mean == pytest.approx(0.0)
    (g,) = r.guarantors
    assert g.effect.mean == pytest.approx(0.125)
    assert [x.actor for x in r.rests_on] == ["d"]
    assert "rests on: d" in repr(r)


def test_an_actor_at_the_settlement_presses_nothing() -> None:
    s = scenario([("a", 50, 1, 5), ("b", 0, 1, 1), ("c", 100, 0.3, 1)])
    r = risk(s, draws=3)
    assert r.issue("x").by_actor["a"] == 0.0


def test_a_guarantor_without_weight_changes_nothing() -> None:
    # a salience of 0 everywhere: no vote, no pressure, no resistance
    s = scenario([("a", 100, 1, 3), ("b", 0, 1, 1), ("g", 50, 0.0, 5)])
    r = risk(s, draws=3, dyad=("a", "b"))
    (g,) = r.guarantors
    assert g.effect.mean == 0.0
    assert g.effect.median == 0.0
    without = risk(scenario([("a", 100, 1, 3), ("b", 0, 1, 1)]), draws=3)
    assert r.dyad("a", "b").risk.mean == pytest.approx(without.dyad("a", "b").risk.mean)


def test_prevail_is_the_expected_utility_models_probability_and_withdrawal_removes_a_vote() -> None:
    rng = np.random.default_rng(3)
    x, s, c = rng.uniform(0, 100, (4, 5)), rng.uniform(0, 1, (4, 5)), rng.uniform(0.1, 2, (4, 5))
    q = rng.uniform(0, 100, 4)
    v = votes(x, s, c, q, np.arange(5))
    p = prevail(x, s, c, q)
    pos, mag = np.clip(v, 0, None).sum(axis=1), np.abs(v).sum(axis=1)
    assert np.allclose(p, np.where(mag > 0, pos / np.where(mag > 0, mag, 1), 0.5))
    out = prevail_without(v)
    for g in range(5):
        c0 = c.copy()
        c0[:, g] = 0.0  # g withdraws; the weights' scale changes nothing
        assert np.allclose(out[:, g, :], prevail(x, s, c0, q))


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 6),
    seed=st.integers(0, 2**32 - 1),
)
def test_dyad_risk_is_in_the_unit_interval_symmetric_and_follows_relabelling(
    n: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.choice([0.0, 25.0, 50.0, 100.0, rng.uniform(0, 100)], (3, n))
    s = rng.choice([0.0, 1.0, rng.uniform(0, 1)], (3, n))
    c = rng.uniform(0.01, 5, (3, n))
    q = rng.choice([0.0, 100.0, rng.uniform(0, 100)], 3)
    present = rng.uniform(size=n) < 0.8

    def dyads(order: np.ndarray) -> np.ndarray:
        t = issue_terms(x[:, order], s[:, order], c[:, order], present[order], q, 100.0)
        assert ((t.pressure >= 0) & (t.pressure <= 1)).all()
        return 1.0 - dyad_survival(t.pressure, t.resist)

    r = dyads(np.arange(n))
    assert ((r >= 0) & (r <= 1)).all()
    assert np.allclose(r, np.swapaxes(r, 1, 2))
    assert np.allclose(np.diagonal(r, axis1=1, axis2=2), 0.0)
    perm = rng.permutation(n)
    assert np.allclose(dyads(perm), r[:, perm][:, :, perm])


def test_relabelling_the_scenario_changes_no_dyad() -> None:
    # at the scenario's values (reordering the actors reorders the draws, not the model)
    s = as_settlement(load("karabakh-2020"), "actual")
    flipped = s.model_copy(update={"actors": tuple(reversed(s.actors))})

    def at_values(x: sc.Scenario) -> dict[frozenset[str], float]:
        plan = plan_for(x, None, (0, 1))
        out = evaluate(plan, sc.scenario_batch(x), None)["dyads"][0]
        ids = x.actor_ids
        return {
            frozenset((ids[a], ids[b])): float(v) for a, b, v in zip(*plan.pairs, out, strict=True)
        }

    a, b = at_values(s), at_values(flipped)
    assert a.keys() == b.keys()
    for key, value in a.items():
        assert b[key] == pytest.approx(value, abs=1e-12)
    assert max(a.values()) > 0


def test_the_same_seed_gives_the_same_result_and_another_seed_another() -> None:
    a = sc.risk("karabakh-2020", draws=500, seed=7)
    b = sc.risk("karabakh-2020", draws=500, seed=7)
    c = sc.risk("karabakh-2020", draws=500, seed=8)
    assert a.to_dict() == b.to_dict()
    assert a.to_dict() != c.to_dict()
    frame = a.to_frame()
    assert set(frame["what"]) == {"dyad", "issue", "guarantor", "settlement"}
    assert (
        (frame["p10"] <= frame["median"] + 1e-9) & (frame["median"] <= frame["p90"] + 1e-9)
    ).all()


def test_karabakh_runs_and_names_the_belligerents_first() -> None:
    r = sc.risk("karabakh-2020", draws=400, seed=1)
    # The riskiest dyad pairs Azerbaijan with one of the two Armenian belligerents (on the
    # recoded scenario, Artsakh, whose stake in the settlement is existential).
    top = {r.dyads[0].a, r.dyads[0].b}
    assert "azerbaijan" in top
    assert top & {"armenia", "artsakh"}
    assert [i.issue for i in r.issues] == [i.id for i in load("karabakh-2020").issues]
    data = r.to_dict()
    assert {"dyads", "issues", "guarantors", "focus", "rests_on"} <= set(data)
    assert {"a", "b", "risk", "interval80"} <= set(data["dyads"][0])


def test_shift_of_power_by_hand() -> None:
    # before: B (c 3) holds A (c 1) off: P_A = 50 / (50 + 150) = 1/4. After, B's capability
    # falls to 1: P_A = 1/2, so no pressure of its own, but the rise adds
    # 0.5 x (1/2 - 1/4) = 0.125, which B (resistance 0.5) meets: 0.0625.
    before = scenario([("a", 100, 1, 1), ("b", 0, 1, 3)], name="before")
    after = scenario([("a", 100, 1, 1), ("b", 0, 1, 1)], name="after")
    shift = power_shift(before, after)
    row = next(c for c in shift.challenges if c["actor"] == "a")
    assert row["prevail_before"] == pytest.approx(0.25)
    assert row["prevail_after"] == pytest.approx(0.5)
    assert row["added"] == pytest.approx(0.125)
    assert shift.dyads[0]["shift"] == pytest.approx(0.0625)
    shares = {a["actor"]: (a["share_before"], a["share_after"]) for a in shift.actors}
    assert shares["b"] == pytest.approx((0.75, 0.5))
    r = risk(after, previous=before, draws=3)
    d = r.dyad("a", "b")
    assert d.risk.mean == pytest.approx(0.0625)
    assert d.shift is not None
    assert d.shift.mean == pytest.approx(0.0625)
    # no shift: the same moment twice adds nothing
    assert risk(after, previous=after, draws=3).dyad("a", "b").risk.mean == 0.0
    assert sc.power_shift(before, after).to_dict()["dyads"][0]["shift"] == pytest.approx(0.0625)


def test_an_actor_that_arrives_or_leaves_is_matched_by_id() -> None:
    before = scenario([("a", 100, 1, 1), ("b", 0, 1, 3), ("gone", 0, 1, 2)], name="before")
    after = scenario([("a", 100, 1, 1), ("b", 0, 1, 3), ("new", 100, 1, 2)], name="after")
    shift = power_shift(before, after)
    row = next(c for c in shift.challenges if c["actor"] == "a")
    # before: votes A +50, B -150, gone -100 -> 1/6; after: A +50, B -150, new +100 -> 1/2
    assert row["prevail_before"] == pytest.approx(50 / 300)
    assert row["prevail_after"] == pytest.approx(0.5)
    new = next(c for c in shift.challenges if c["actor"] == "new")
    assert new["prevail_before"] == pytest.approx(50 / 300)  # its demand, weighed by those then
    assert risk(after, previous=before, draws=3).previous == "before"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"draws": 0}, "draws must be a positive integer"),
        ({"seed": -1}, "seed"),
        ({"dyad": ("a", "a")}, "two different actors"),
        ({"dyad": ("a", "zz")}, "no actor 'zz'"),
        ({"settlement": "later"}, "settlement must be"),
    ],
)
def test_bad_arguments_are_refused_clearly(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        risk(scenario([("a", 100, 1, 3), ("b", 0, 1, 1)]), **kwargs)


def test_a_scenario_without_a_settlement_or_with_one_actor_is_refused() -> None:
    with pytest.raises(ValueError, match="needs a settlement"):
        risk(load("ec-emissions-1994"), draws=10)
    with pytest.raises(ValueError, match="at least two actors"):
        risk(scenario([("a", 100, 1, 3)]), draws=10)
    with pytest.raises(TypeError, match="previous must be a Scenario"):
        risk(scenario([("a", 100, 1, 3), ("b", 0, 1, 1)]), previous="x")  # type: ignore[arg-type]


def test_the_ec_1994_scenario_runs_against_its_actual_outcome() -> None:
    ec = load("ec-emissions-1994")
    r = risk(ec, draws=200, seed=1, settlement="actual")
    assert len(r.dyads) == 45
    assert as_settlement(ec, "actual").issues[0].status_quo == ec.issues[0].actual


@requires_shared
@pytest.mark.parametrize(
    "path",
    sorted((SHARED_DATA / "cases").glob("*/*")) if SHARED_DATA.is_dir() else [],
    ids=lambda p: p.name,
)
def test_every_readers_scenarios_run_or_are_refused_clearly(path: Path) -> None:
    try:
        s = load(path)
    except sc.StatecraftError:
        pytest.skip(f"{path.name} is not a scenario this reader takes")
    if len(s.actors) > 60:
        s = s.model_copy(update={"actors": s.actors[:60]})
    if not any(i.status_quo is not None for i in s.issues):
        with pytest.raises(ValueError, match="needs a settlement"):
            risk(s, draws=10)
        # given one (the middle of every scale), it runs
        issues = tuple(
            i.model_copy(update={"status_quo": sc.Quantity(value=(i.scale.low + i.scale.high) / 2)})
            for i in s.issues
        )
        s = s.model_copy(update={"issues": issues})
    if len(s.actors) < 2:  # the one refusal left, which the docs name
        with pytest.raises(ValueError, match="at least two actors"):
            risk(s, draws=50, seed=1)
        return
    r = risk(s, draws=50, seed=1)
    for d in r.dyads:
        assert 0.0 <= d.risk.median <= 1.0


# --- the command line -------------------------------------------------------------------------
def _cli(*args: str) -> Any:
    from typer.testing import CliRunner

    from statecraft.cli import app

    return CliRunner().invoke(app, list(args))


def test_cli_table_and_json() -> None:
    result = _cli("risk", "karabakh-2020", "--draws", "300", "--seed", "1")
    assert result.exit_code == 0, result.output
    for text in ("Azerbaijan – ", "Pressure on each issue", "territory", "rests on"):
        assert text in result.output
    result = _cli("risk", "karabakh-2020", "-n", "300", "-s", "1", "-f", "json")
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.output)
    top = {data["dyads"][0]["a"], data["dyads"][0]["b"]}
    assert "azerbaijan" in top
    assert top & {"armenia", "artsakh"}
    assert len(data["dyads"][0]["interval80"]) == 2
    assert next(i["issue"] for i in data["issues"]) == "territory"
    assert data["guarantors"]
    assert "actor" in data["guarantors"][0]
    assert data == sc.risk("karabakh-2020", draws=300, seed=1).to_dict()


def test_cli_with_a_previous_moment_and_a_named_dyad(tmp_path: Path) -> None:
    import yaml

    before = scenario([("a", 100, 1, 1), ("b", 0, 1, 3)], name="before")
    after = scenario([("a", 100, 1, 1), ("b", 0, 1, 1)], name="after")
    for s in (before, after):
        (tmp_path / f"{s.name}.yaml").write_text(yaml.safe_dump(s.to_data()))
    result = _cli(
        "risk",
        str(tmp_path / "after.yaml"),
        "--previous",
        str(tmp_path / "before.yaml"),
        "-n",
        "3",
        "--dyad",
        "a,b",
    )
    assert result.exit_code == 0, result.output
    assert "From the shift" in result.output
    assert "0.062" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ec-emissions-1994"], "needs a settlement"),
        (["karabakh-2020", "--draws", "0"], "--draws must be at least 1"),
        (["karabakh-2020", "--dyad", "azerbaijan"], "--dyad: give two actor ids"),
        (["karabakh-2020", "--dyad", "azerbaijan,mars"], "no actor 'mars'"),
        (["karabakh-2020", "-f", "csv"], "risk prints a table or json"),
        (["no-such-scenario"], "no-such-scenario"),
        (["karabakh-2020", "--previous", "no-such-scenario"], "no-such-scenario"),
        (["karabakh-2020", "--settlement", "later"], "later"),
        (["karabakh-2020", "--perturb", "2"], "--perturb must lie"),
    ],
)
def test_cli_bad_input_is_one_clear_line(args: list[str], message: str) -> None:
    result = _cli("risk", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_the_table_says_what_is_defended_and_what_the_index_means() -> None:
    for choice, said in (("status_quo", "status quo as coded"), ("actual", "the terms settled")):
        result = _cli("risk", "karabakh-2020", "-n", "100", "--settlement", choice, "--no-store")
        assert result.exit_code == 0, result.output
        text = " ".join(result.output.split())
        assert text.startswith("Defending: ")
        assert said in text.split(".")[0]
        assert "1: the limit of a side" in text
        assert "not a probability of war" in text


def test_band_reads_the_median_and_the_80_interval() -> None:
    # 1000 values spread evenly over (0, 1), one per bin of 1/1000: the q-quantile is q
    from statecraft.analysis._risk_study import Hist
    from statecraft.analysis.risk import _band

    hist = Hist(1, 0.0, 1.0)
    hist.add(np.linspace(0.0005, 0.9995, 1000)[:, None])
    band = _band(hist, 0)
    assert band.median == pytest.approx(0.5, abs=1e-3)  # read from bins of 1/1000
    assert band.interval80 == pytest.approx((0.1, 0.9), abs=1e-3)
    assert band.mean == pytest.approx(0.5)


def test_terms_by_hand_with_an_absent_actor_and_an_off_centre_settlement() -> None:
    # Settlement q = 30 on 0..100. A at 80 (s 1, c 1), B at 10 (s 0.5, c 1); K (at 90, s 1,
    # c 1 as coded) is absent: it sits at the settlement with no salience and no vote.
    x = np.array([[80.0, 10.0, 90.0]])
    s = np.array([[1.0, 0.5, 1.0]])
    c = np.ones((1, 3))
    t = issue_terms(x, s, c, np.array([True, True, False]), np.array([30.0]), 100.0)
    # stakes: A 1 x 50/100 = 0.5, B 0.5 x 20/100 = 0.1, K 0
    assert t.stake[0] == pytest.approx([0.5, 0.1, 0.0])
    # A's 80 over 30: A votes +50, B 0.5 (20 - 70) = -25 -> P_A = 50/75; pressure
    # 0.5 (4/3 - 1) = 1/6. B's 10 over 30: A (50 - 70) = -20, B 0.5 x 20 = +10 -> P_B = 1/3.
    assert t.prevail[0, :2] == pytest.approx([2 / 3, 1 / 3])
    assert t.pressure[0] == pytest.approx([1 / 6, 0.0, 0.0])
    # r_{B|A} = 0.5 (|10 - 80| - |10 - 30|) / 100 = 0.25; r_{A|B} = (|80 - 10| - |80 - 30|)
    # / 100 = 0.2; K, absent, resists nothing and its demand (the settlement) costs nobody
    assert t.resist[0, 0, 1] == pytest.approx(0.25)
    assert t.resist[0, 1, 0] == pytest.approx(0.2)
    assert t.resist[0, :, 2] == pytest.approx([0.0, 0.0, 0.0])
    assert t.resist[0, 2, :] == pytest.approx([0.0, 0.0, 0.0])


def test_withdrawal_of_the_only_vote_and_the_rounding_threshold() -> None:
    # g is the only voter: without it no vote is left, and P is 1/2
    only = prevail_without(np.array([[[2.0], [0.0]]]))
    assert only[0, 0, 0] == 0.5
    assert only[0, 1, 0] == 1.0  # the other withdraws: g's +2 is all that is left
    # what is left after g withdraws is 1e-15 of the total: below the rounding error of the
    # subtraction (about 1e-16 of the total per operation, times a few), so no vote is left
    noise = prevail_without(np.array([[[1e6], [1e-9]]]))
    assert noise[0, 0, 0] == 0.5
    # P does not depend on the unit of the votes: 1e-9 of the total is a real vote, at any scale
    for unit in (1.0, 1e-6):
        real = prevail_without(np.array([[[unit], [1e-9 * unit]]]))
        assert real[0, 0, 0] == 1.0


def _two_issues() -> sc.Scenario:
    # A (c 3) and B (c 1), both salience 1; on x A at 100 and B at 0, on y A at 0 and B at
    # 100, both settled at 50. On each issue A's demand wins 3 to 1: P_A = 0.75, pressure
    # 0.5 (2 x 0.75 - 1) = 0.25; B's P = 0.25, no pressure.
    return sc.Scenario.model_validate(
        {
            "name": "two-issues",
            "issues": [
                {"id": "x", "label": "X", "status_quo": 50},
                {"id": "y", "label": "Y", "status_quo": 50},
            ],
            "actors": [
                {
                    "id": "a",
                    "capability": 3,
                    "stances": {
                        "x": {"position": 100, "salience": 1},
                        "y": {"position": 0, "salience": 1},
                    },
                },
                {
                    "id": "b",
                    "capability": 1,
                    "stances": {
                        "x": {"position": 0, "salience": 1},
                        "y": {"position": 100, "salience": 1},
                    },
                },
            ],
        }
    )


def test_pressure_per_issue_and_actor_by_hand() -> None:
    calls: list[tuple[int, int]] = []
    r = risk(_two_issues(), draws=4, seed=5, progress=lambda d, t: calls.append((d, t)))
    for issue in ("x", "y"):
        assert r.issue(issue).by_actor == pytest.approx({"a": 0.25, "b": 0.0})
        assert r.issue(issue).leader == "a"
    # R = 1 - (1 - 0.25 x 0.5)^2 over the two issues (B would lose 0.5 on each)
    assert r.dyad("a", "b").risk.mean == pytest.approx(1 - (1 - 0.125) ** 2)
    assert r.dyad("a", "b").shift is None  # no earlier moment
    assert (r.scenario, r.seed, r.draws, r.requested) == ("two-issues", 5, 4, 4)
    assert calls
    assert calls[-1] == (4, 4)


def test_nobody_pressing_leaves_no_leader() -> None:
    # everyone at the settlement: no stake, no pressure, no leader
    r = risk(scenario([("a", 50, 1, 3), ("b", 50, 1, 1)]), draws=3)
    assert r.issue("x").by_actor == {"a": 0.0, "b": 0.0}
    assert r.issue("x").leader is None


def test_a_named_dyad_that_is_not_the_riskiest_keeps_the_focus() -> None:
    # test_three_actors_with_a_third_party_by_hand: a-b is riskiest (1/44), t-b next (0.015).
    # On t-b, without A's vote T's 80 over 50 gets B -30 and T +30: P_T = 1/2, no pressure,
    # so the risk falls from 0.05 x 0.3 = 0.015 to 0.
    s = scenario([("a", 100, 1, 1), ("b", 0, 1, 1), ("t", 80, 0.5, 2)])
    r = risk(s, draws=3, dyad=("t", "b"))
    assert r.dyads[0].a == "a"
    assert r.focus == ("b", "t")
    (g,) = r.guarantors
    assert g.actor == "a"
    assert g.effect.mean == pytest.approx(-0.015)


def test_guarantors_most_needed_first() -> None:
    # test_a_defender_the_settlement_rests_on's D (effect +0.125) beside G, who has no
    # salience and so no effect: D first
    s = scenario([("a", 100, 1, 3), ("b", 0, 1, 1), ("g", 50, 0.0, 5), ("d", 50, 1, 2)])
    r = risk(s, draws=3, dyad=("a", "b"))
    assert [g.actor for g in r.guarantors] == ["d", "g"]
    assert [g.effect.mean for g in r.guarantors] == pytest.approx([0.125, 0.0])


def test_messages_and_defaults() -> None:
    import inspect

    params = inspect.signature(risk).parameters
    assert (params["draws"].default, params["seed"].default) == (2000, 0)
    two = scenario([("a", 100, 1, 3), ("b", 0, 1, 1)])
    with pytest.raises(ValueError, match="no actor 'zz'") as info:
        risk(two, dyad=("a", "zz"))
    assert str(info.value) == "no actor 'zz' in hand; the actors are: a, b"
    with pytest.raises(TypeError) as typed:
        risk(two, previous={"name": "x"})  # type: ignore[arg-type]
    assert str(typed.value) == "previous must be a Scenario, not dict"
    with pytest.raises(ValueError, match="needs a settlement") as none:
        risk(load("ec-emissions-1994"), draws=10)
    assert str(none.value).endswith("status_quo (give the issues that were settled one)")
    with pytest.raises(ValueError, match="needs the actual outcomes") as no_actual:
        as_settlement(two, "actual")
    assert str(no_actual.value) == (
        "settlement='actual' needs the actual outcomes: no issue of hand has an actual"
    )


def test_the_guarantors_follow_the_riskiest_dyad_by_its_median() -> None:
    # Two issues on 0..100 settled at 50, two separate quarrels. On x, A at 100 (c 2) against
    # B at 0 (c 1): P_A = 2/3, pressure 0.5 (4/3 - 1) = 1/6, B's resistance 0.5: R = 1/12.
    # On y, C at 100 (c 4, salience s) against D at 0 (c 1, s 1): P_C = 4s / (4s + 1),
    # R = 0.25 s (4s - 1) / (4s + 1): 0.062 at C's coded s = 0.6, below 1/12; s is drawn
    # uniform on [0.6, 1], so its median 0.8 gives 0.105, above. The riskiest dyad at the
    # values (A-B) is not the riskiest by its median (C-D): the guarantors are measured on C-D.
    def stance(p: float, s: Any) -> dict[str, Any]:
        return {"position": p, "salience": s}

    salience = {"value": 0.6, "low": 0.6, "high": 1.0, "dist": "uniform"}
    s = sc.Scenario.model_validate(
        {
            "name": "two-quarrels",
            "issues": [
                {"id": "x", "label": "X", "status_quo": 50},
                {"id": "y", "label": "Y", "status_quo": 50},
            ],
            "actors": [
                {"id": "a", "capability": 2, "stances": {"x": stance(100, 1)}},
                {"id": "b", "capability": 1, "stances": {"x": stance(0, 1)}},
                {"id": "c", "capability": 4, "stances": {"y": stance(100, salience)}},
                {"id": "d", "capability": 1, "stances": {"y": stance(0, 1)}},
            ],
        }
    )
    calls: list[tuple[int, int]] = []
    r = risk(s, previous=s, draws=400, seed=1, progress=lambda d, t: calls.append((d, t)))
    assert r.dyad("a", "b").risk.mean == pytest.approx(1 / 12)
    assert r.dyad("c", "d").risk.median > 1 / 12
    assert (r.dyads[0].a, r.dyads[0].b) == ("c", "d")
    assert r.focus == ("c", "d")
    assert {g.actor for g in r.guarantors} == {"a", "b"}  # no vote on y: no effect
    for g in r.guarantors:
        assert g.effect.median == 0.0
        # 1 - (1 - rho) products with and without the withdrawal: equal up to rounding
        assert g.effect.mean == pytest.approx(0.0, abs=1e-15)
    assert r.dyads[0].shift is not None  # the earlier moment reaches the second run too
    assert r.dyads[0].shift.mean == 0.0  # the same moment: no shift
    # the same draws run twice (first focus A-B, then C-D), each reporting its progress
    assert calls.count((400, 400)) == 2


def test_the_default_draws_and_seed() -> None:
    r = risk(scenario([("a", 100, 1, 3), ("b", 0, 1, 1)]))
    assert (r.requested, r.draws, r.seed) == (2000, 2000, 0)
