"""Stokman's exchange model: an exchange by hand, the greedy order, invariants, the model in
forecasts and on the command line."""

from __future__ import annotations

import copy
import json
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from statecraft import forecast, load
from statecraft.cli import app
from statecraft.io._validate import build_scenario
from statecraft.models import Exchange
from statecraft.models.exchange import _greedy, run_exchange
from tests.conftest import TINY

runner = CliRunner()

# A wants p (100) more than q; B wants q (0) more than p; B is twice as capable.
X = np.array([[100.0, 100.0], [0.0, 0.0]])
S = np.array([[0.8, 0.2], [0.2, 0.8]])
C = np.array([[1.0, 1.0], [2.0, 2.0]])
ALL = np.ones((2, 2), dtype=bool)


def test_a_vanishing_salience_prices_no_exchange() -> None:
    """A salience of 5e-324, the smallest float, made the ratio of an actor's saliences
    overflow (an error under this suite's warnings). The exchange it prices gains less than
    1e-10, so there is none, and the outcome is the weighted mean of the positions:
    p = (1 x 1 x 0 + 1 x 0.25 x 100) / 1.25 = 20, q = 100 (A's weight on it is nil)."""
    x = np.array([[0.0, 0.0], [100.0, 100.0]])
    s = np.array([[1.0, 5e-324], [0.25, 1.0]])
    (only,) = run_exchange(x, s, np.ones((2, 2)), ALL)
    assert only.exchanges == ()
    np.testing.assert_allclose(only.voting, [20.0, 100.0])


def test_one_exchange_by_hand() -> None:
    first = run_exchange(X, S, C, ALL, rounds=1)[0]
    # expected outcomes: p = (0.8 x 100) / (0.8 + 0.4), q = (0.2 x 100) / (0.2 + 1.6)
    np.testing.assert_allclose(first.start, [80 / 1.2, 20 / 1.8])
    (trade,) = first.exchanges
    assert (trade["i"], trade["j"]) == (0, 1)  # A demands p and supplies q
    # equal gain: the rate is (0.8 + 0.2) / (0.2 + 0.8) = 1; the binding bound is A's full
    # move on q, which shifts q by 100 x 0.2 / 1.8
    shift = 100 * 0.2 / 1.8
    assert trade["shift_on_i_demand"] == pytest.approx(shift)
    assert trade["shift_on_j_demand"] == pytest.approx(shift)
    assert trade["i_moves"] == pytest.approx(-100)
    assert trade["j_moves"] == pytest.approx(shift * 1.2 / 0.4)
    assert trade["gain_i"] == pytest.approx((0.8 - 0.2) * shift)
    assert trade["gain_j"] == pytest.approx(trade["gain_i"])
    np.testing.assert_allclose(first.voting, [80 / 1.2 + shift, 20 / 1.8 - shift])


def test_positions_carry_over_as_decide_keeps_them() -> None:
    rounds = run_exchange(X, S, C, ALL, rounds=2)
    # each keeps 0.1 + 0.4 x (1 - salience) of its move: 0.42 here, on both sides
    shift = 100 * 0.2 / 1.8
    b_on_p = 0.42 * shift * 1.2 / 0.4
    a_on_q = 100 - 0.42 * 100
    want_p = (0.8 * 100 + 0.4 * b_on_p) / 1.2
    want_q = (0.2 * a_on_q + 1.6 * 0) / 1.8
    np.testing.assert_allclose(rounds[1].start, [want_p, want_q])
    full = run_exchange(X, S, C, ALL, rounds=2, adjustment="full")
    np.testing.assert_allclose(full[1].start, full[0].voting)


def test_no_exchange_without_opposite_sides() -> None:
    x = np.array([[100.0, 100.0], [0.0, 100.0], [50.0, 0.0]])
    s = np.array([[0.8, 0.2], [0.2, 0.8], [0.5, 0.5]])
    c = np.ones((3, 2))
    x[2] = [0.0, 100.0]  # now nobody is on the other side of both outcomes from A
    rounds = run_exchange(x, s, c, np.ones((3, 2), dtype=bool), rounds=5)
    assert len(rounds) == 1  # nothing to trade, so it stops at once
    assert rounds[0].exchanges == ()
    np.testing.assert_allclose(rounds[0].voting, rounds[0].start)


def test_equal_relative_saliences_give_no_exchange() -> None:
    s = np.array([[0.5, 0.5], [0.3, 0.3]])
    assert run_exchange(X, s, C, ALL, rounds=1)[0].exchanges == ()


def test_random_rate_lies_between_the_break_even_rates() -> None:
    for seed in range(20):
        (trade,) = run_exchange(
            X, S, C, ALL, rounds=1, variant="random-rate", rng=np.random.default_rng(seed)
        )[0].exchanges
        rate = trade["shift_on_j_demand"] / trade["shift_on_i_demand"]
        assert 0.2 / 0.8 <= rate <= 0.8 / 0.2
        assert trade["gain_i"] > 0
        assert trade["gain_j"] > 0
    a = run_exchange(X, S, C, ALL, rounds=3, variant="random-rate", rng=np.random.default_rng(4))
    b = run_exchange(X, S, C, ALL, rounds=3, variant="random-rate", rng=np.random.default_rng(4))
    np.testing.assert_array_equal(a[-1].voting, b[-1].voting)


def _sequential(key: np.ndarray, slots: np.ndarray) -> list[int]:
    order = sorted(range(len(key)), key=lambda k: (-key[k], k))
    used: set[int] = set()
    taken = []
    for k in order:
        if used.isdisjoint(slots[k].tolist()):
            taken.append(k)
            used.update(slots[k].tolist())
    return taken


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 30).flatmap(
        lambda m: st.tuples(
            st.lists(st.integers(0, 5), min_size=m, max_size=m),
            st.lists(
                st.lists(st.integers(0, 9), min_size=4, max_size=4, unique=True),
                min_size=m,
                max_size=m,
            ),
        )
    )
)
def test_rounds_of_locally_best_exchanges_are_the_greedy_order(data: Any) -> None:
    keys, slots = data
    key = np.array(keys, dtype=float)  # ties are frequent: the earlier wins
    slot = np.array(slots)
    assert _greedy(key, slot, 10).tolist() == _sequential(key, slot)


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    n = draw(st.integers(2, 6))
    e = draw(st.integers(2, 4))
    x = np.array(
        draw(
            st.lists(st.lists(st.integers(0, 100), min_size=e, max_size=e), min_size=n, max_size=n)
        ),
        dtype=float,
    )
    s = (
        np.array(
            draw(
                st.lists(
                    st.lists(st.integers(1, 10), min_size=e, max_size=e), min_size=n, max_size=n
                )
            )
        )
        / 10
    )
    c = np.array(
        draw(
            st.lists(st.lists(st.integers(1, 10), min_size=e, max_size=e), min_size=n, max_size=n)
        ),
        dtype=float,
    )
    return x, s, c


@settings(max_examples=60, deadline=None, derandomize=True)
@given(problems(), st.sampled_from(["equal-gain", "random-rate"]))
def test_every_exchange_gains_both_and_stays_in_range(problem: Any, variant: str) -> None:
    x, s, c = problem
    present = np.ones_like(x, dtype=bool)
    rounds = run_exchange(x, s, c, present, rounds=4, variant=variant)
    lo, hi = x.min(axis=0) - 1e-9, x.max(axis=0) + 1e-9
    # the checks below are about trades: an example without one proves nothing
    assume(any(r.exchanges for r in rounds))
    for r in rounds:
        assert ((r.start >= lo) & (r.start <= hi)).all()
        assert ((r.voting >= lo) & (r.voting <= hi)).all()
        seen: set[tuple[int, int]] = set()
        for t in r.exchanges:
            assert t["gain_i"] > 0
            assert t["gain_j"] > 0
            slots = {(t["i"], t["i_supplies"]), (t["i"], t["j_supplies"])}
            slots |= {(t["j"], t["i_supplies"]), (t["j"], t["j_supplies"])}
            assert seen.isdisjoint(slots)  # each actor's position on an issue trades once
            seen |= slots


# --- in forecasts and on the command line ---------------------------------------------------


def test_exchange_in_a_forecast() -> None:
    f = forecast(load("karabakh-2020"), ["compromise", "exchange"])
    d = f.linked["exchange"]
    assert len(d.rounds) == 10
    for issue in f.scenario.issues:
        value = f.value(issue.id, "exchange")
        assert value is not None
        assert value == pytest.approx(float(d.rounds[-1].voting[d.issues.index(issue.id)]))
    trades = d.trades(0)
    assert trades
    assert {t["actor"] for t in trades} <= set(f.scenario.actor_ids)
    data = f.to_dict()["exchange"]
    assert len(data["rounds"]) == 10
    assert data["rounds"][0]["exchanges"][0]["gain"] == pytest.approx(trades[0]["gain"])


def test_actors_sitting_an_issue_out_do_not_trade_on_it() -> None:
    # c sits 'date' out but takes a position on 'tax' and on a third issue, 'port', with
    # saliences the reverse of a's there (c: tax 0.9, port 0.2; a: tax 0.2, port 0.9), so
    # c and a have something to trade. c must trade, and never on 'date'.
    data = copy.deepcopy(TINY)
    data["issues"].append({"id": "port", "label": "Port", "scale": {"low": 0, "high": 10}})
    data["actors"][0]["stances"]["tax"]["salience"] = 0.2
    data["actors"][0]["stances"]["port"] = {"position": 1, "salience": 0.9}
    data["actors"][2]["stances"]["tax"]["salience"] = 0.9
    data["actors"][2]["stances"]["port"] = {"position": 9, "salience": 0.2}
    f = forecast(build_scenario(data, file=None), "exchange")
    ids, issues = f.scenario.actor_ids, f.linked["exchange"].issues
    with_c = []
    for r in f.linked["exchange"].rounds:
        for t in r.exchanges:
            if "c" in (ids[t["i"]], ids[t["j"]]):
                with_c.append((issues[t["i_supplies"]], issues[t["j_supplies"]]))
    assert with_c  # the loop saw c's trades
    assert all("date" not in pair for pair in with_c)
    assert {frozenset(pair) for pair in with_c} == {frozenset({"port", "tax"})}


def test_one_issue_is_nothing_to_trade() -> None:
    f = forecast(load("ec-emissions-1994"), ["compromise", "exchange"])
    assert f.value("emissions", "exchange") is None
    assert f.issues[0].not_applicable["exchange"] == (
        "the exchange model needs two issues or more to trade across"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"variant": "random"}, "option variant must be one of equal-gain, random-rate"),
        ({"rounds": 0}, r"option rounds must be a whole number from 1 to 50 \(got 0\)"),
        ({"rounds": 10**9}, "option rounds must be a whole number from 1 to 50"),
        ({"rounds": 2.0}, "option rounds must be a whole number"),
        ({"adjustment": "half"}, "option adjustment must be one of decide, full"),
        ({"seed": 2}, "unknown option 'seed' for the exchange model; its options are: variant"),
    ],
)
def test_bad_options(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Exchange(**options)


def test_cli_shows_the_trades() -> None:
    result = runner.invoke(app, ["forecast", "karabakh-2020", "-m", "exchange"])
    assert result.exit_code == 0, result.output
    assert "Exchange model: the trades of round 1 of 10" in result.output
    data = json.loads(
        runner.invoke(app, ["forecast", "karabakh-2020", "-m", "exchange", "-f", "json"]).output
    )
    assert data["exchange"]["rounds"][0]["exchanges"]


def test_an_actor_at_the_outcome_counts_below_it_in_any_order() -> None:
    """Issue 22's finding with adjustment=full: an actor exactly at an expected outcome was
    put on one side or the other by the rounding of the outcome's sum, which depends on the
    order of the actors (and on the scale of the capabilities). Here B stands at the outcome
    of p: (0.1 + 0.2 + 0.3) / 3 = 0.2, which floats compute as 0.20000000000000004 in the
    order A, B, C and 0.19999999999999998 in the order C, B, A. B counts as at the outcome,
    so below it, in both: B (below on p and on q) trades with C (above on both), not A with B.

    By hand (weights 0.5 each on p; on q saliences A 0.5, B 0.8, C 0.2, outcome 0.5/1.5 =
    1/3): C weighs p relatively more (0.5/0.2 > 0.5/0.8), so C is I and B is J; the rate is
    (0.5 + 0.5)/(0.2 + 0.8) = 1; the binding bound is B moving all the way to C's 0.3 on p,
    shifting p by 0.1 x 0.5/1.5 = 1/30, and q by as much, which takes C's move 1/30 x 1.5/0.2
    = 0.25 toward B. Votes: p = (0.1 + 0.3 + 0.3)/3 = 0.2333, q = (0.3 + 0.2 x 0.75)/1.5 =
    0.3; each gains (0.5 - 0.2)/30 = 0.01."""
    x = np.array([[0.1, 0.6], [0.2, 0.0], [0.3, 1.0]])
    s = np.array([[0.5, 0.5], [0.5, 0.8], [0.5, 0.2]])
    c = np.ones((3, 2))
    every = np.ones((3, 2), dtype=bool)
    for order in ([0, 1, 2], [2, 1, 0]):
        (only,) = run_exchange(x[order], s[order], c[order], every, rounds=1, adjustment="full")
        (trade,) = only.exchanges
        assert (order[trade["i"]], order[trade["j"]]) == (2, 1)  # C gives way on q to B
        assert trade["j_moves"] == pytest.approx(0.1)
        assert trade["i_moves"] == pytest.approx(-0.25)
        assert trade["gain_i"] == pytest.approx(0.01)
        assert trade["gain_j"] == pytest.approx(0.01)
        np.testing.assert_allclose(only.voting, [0.7 / 3, 0.3])


def test_a_vanishing_salience_prices_no_random_rate_exchange() -> None:
    """Issue 22's finding: in the random-rate variant, I's break-even rate s_Ip / s_Iq
    overflowed when s_Iq is tiny (a RuntimeWarning, an error in this suite, and an infinite
    rate). A (0, 0) cares about p (1) and all but nothing about q (5e-324); B (100, 100)
    the reverse (0.25, 1); C sits p out and holds q at 0 (salience 1), so that B stands
    above q's outcome and A below it on both issues. A weighs p relatively more, so A is I;
    its break-even rate 1 / 5e-324 is beyond the floats, the uniform draw between B's 0.25
    and it has no upper end, and there is no exchange: the outcomes stay the weighted means,
    p = (1 x 0 + 0.25 x 100) / 1.25 = 20, q = (0 + 1 x 100 + 1 x 0) / 2 = 50. At s_Aq =
    1e-300 the rate is finite but so large (up to 1e300) that the exchange gains nothing
    either; at 0.2 they trade, at a rate between the break-even rates 0.25 and 5."""
    x = np.array([[0.0, 0.0], [100.0, 100.0], [0.0, 0.0]])
    present = np.array([[True, True], [True, True], [False, True]])
    c = np.ones((3, 2))
    for tiny in (5e-324, 1e-300):
        s = np.array([[1.0, tiny], [0.25, 1.0], [0.0, 1.0]])
        (only,) = run_exchange(x, s, c, present, variant="random-rate")
        assert only.exchanges == ()
        np.testing.assert_allclose(only.voting, [20.0, 50.0])
    s = np.array([[1.0, 0.2], [0.25, 1.0], [0.0, 1.0]])
    first = run_exchange(x, s, c, present, variant="random-rate", rounds=1)[0]
    (trade,) = first.exchanges
    assert (trade["i"], trade["j"]) == (0, 1)
    rate = trade["shift_on_j_demand"] / trade["shift_on_i_demand"]
    assert 0.25 <= rate <= 1.0 / 0.2  # between B's and A's break-even rates


# A third actor C (100, 0), salience 0.5 on both, capability 1, beside A and B: C stands
# above p's outcome and below q's, so it has no partner, and A and B trade as before.
X3 = np.vstack([X, [100.0, 0.0]])
S3 = np.vstack([S, [0.5, 0.5]])
C3 = np.vstack([C, [1.0, 1.0]])
ALL3 = np.ones((3, 2), dtype=bool)


def test_externalities_of_a_third_actor_by_hand() -> None:
    """Outcomes p = (80 + 0 + 50) / 1.7, q = (20 + 0 + 0) / 2.3. A (I) and B trade at rate
    (0.8 + 0.2)/(0.2 + 0.8) = 1; A's full move on q (bound 2: 100 x 0.2/2.3) and q's outcome
    reaching B's 0 (bound 4: 20/2.3) bind together, so both outcomes shift by 20/2.3 = 8.70:
    p toward A's 100, which C shares, q down to 0, C's position. C gains 0.5 x 8.70 on each
    issue, 20/2.3 in all; the parties' externalities are 0 by definition."""
    (first,) = run_exchange(X3, S3, C3, ALL3, rounds=1)
    np.testing.assert_allclose(first.start, [130 / 1.7, 20 / 2.3])
    (trade,) = first.exchanges
    assert (trade["i"], trade["j"]) == (0, 1)
    assert trade["shift_on_i_demand"] == pytest.approx(20 / 2.3)
    assert trade["i_moves"] == pytest.approx(-100)
    assert trade["j_moves"] == pytest.approx(20 / 2.3 * 1.7 / 0.4)
    np.testing.assert_allclose(first.externalities, [0.0, 0.0, 20 / 2.3], atol=1e-12)
    np.testing.assert_allclose(first.voting, [130 / 1.7 + 20 / 2.3, 0.0], atol=1e-12)


def test_details_by_name_and_scaled() -> None:
    """The details of the three-actor case: trades by name, the JSON form, and the details
    of positions x 2**k (every position-unit field x 2**k, the indices unchanged)."""
    from statecraft.models.exchange import ExchangeDetails

    history = run_exchange(X3, S3, C3, ALL3, rounds=2)
    d = ExchangeDetails(issues=("p", "q"), actors=("A", "B", "C"), rounds=tuple(history))
    (trade,) = d.trades(0)
    assert trade == {
        "actor": "A",
        "gives_way_on": "q",
        "by": pytest.approx(-100),
        "partner": "B",
        "partner_gives_way_on": "p",
        "partner_by": pytest.approx(20 / 2.3 * 1.7 / 0.4),
        "gain": pytest.approx(0.6 * 20 / 2.3),
        "partner_gain": pytest.approx(0.6 * 20 / 2.3),
    }
    assert d.trades() == d.trades(0) != d.trades(1)  # the first round unless told
    data = d.to_dict()["rounds"]
    assert len(data) == 2
    assert data[0]["start"] == {"p": pytest.approx(130 / 1.7), "q": pytest.approx(20 / 2.3)}
    assert data[0]["voting"]["q"] == pytest.approx(0.0, abs=1e-12)
    assert data[0]["externalities"] == {"A": 0.0, "B": 0.0, "C": pytest.approx(20 / 2.3)}
    assert data[1]["exchanges"] == d.trades(1)
    doubled = d.scaled(1)
    for r, r2 in zip(d.rounds, doubled.rounds, strict=True):
        np.testing.assert_array_equal(r2.start, 2 * r.start)
        np.testing.assert_array_equal(r2.voting, 2 * r.voting)
        np.testing.assert_array_equal(r2.externalities, 2 * r.externalities)
        for t, t2 in zip(r.exchanges, r2.exchanges, strict=True):
            assert t2 == {k: (2 * v if isinstance(v, float) else v) for k, v in t.items()}
            assert isinstance(t2["i"], int)


def test_memory_estimate_counts_pairs_of_pairs() -> None:
    # 3 actors, 4 issues: 3 pairs of actors x 6 pairs of issues = 18, at 112 bytes, plus
    # 1024 bytes per actor-issue
    assert Exchange().run_memory(3, 4) == 112 * 18 + 1024 * 12
    assert Exchange().run_memory(2, 1) == 1024 * 2


def _scenario_of(x: np.ndarray, s: np.ndarray, c: np.ndarray) -> Any:
    """Arrays (actors x issues, issues on 0-100) as a scenario, actors A, B, C..."""
    issues = [
        {"id": f"i{k}", "label": f"I{k}", "scale": {"low": 0, "high": 100}}
        for k in range(x.shape[1])
    ]
    actors = [
        {
            "id": "ABCDEFGH"[a],
            "capability": 1,
            "stances": {
                f"i{k}": {
                    "position": float(x[a, k]),
                    "salience": float(s[a, k]),
                    "capability": float(c[a, k]),
                }
                for k in range(x.shape[1])
            },
        }
        for a in range(x.shape[0])
    ]
    return build_scenario({"name": "arrays", "issues": issues, "actors": actors}, file=None)


def test_the_model_passes_its_options_to_the_rounds() -> None:
    """Through the model class, every option reaches run_exchange: the three-actor case by
    hand for 1 round; 2 rounds with decide's carry-over and with the full one differ as
    run_exchange's do; the random rate follows the command's seed."""
    scenario = _scenario_of(X3, S3, C3)
    one = forecast(scenario, "exchange", options={"rounds": 1})
    assert one.value("i0", "exchange") == pytest.approx(130 / 1.7 + 20 / 2.3)
    assert len(one.linked["exchange"].rounds) == 1
    two = _scenario_of(X, S, C)
    for adjustment in ("decide", "full"):
        f = forecast(two, "exchange", options={"rounds": 2, "adjustment": adjustment})
        want = run_exchange(X, S, C, ALL, rounds=2, adjustment=adjustment)[1].start
        np.testing.assert_allclose(f.linked["exchange"].rounds[1].start, want)
    decide = run_exchange(X, S, C, ALL, rounds=2)[1].start
    full = run_exchange(X, S, C, ALL, rounds=2, adjustment="full")[1].start
    assert np.abs(decide - full).max() > 1  # the check above tells the two apart
    rates = set()
    for seed in range(3):
        f = forecast(scenario, "exchange", options={"variant": "random-rate"}, seed=seed)
        t = f.linked["exchange"].rounds[0].exchanges[0]
        rates.add(round(t["shift_on_j_demand"] / t["shift_on_i_demand"], 9))
    assert len(rates) == 3  # each seed draws its own rate


def test_outcomes_divide_by_the_total_weight() -> None:
    """The hand case with every capability x 0.1: the weights now sum to 0.12 on p and 0.18
    on q (below 1), the outcomes are still 80/1.2 and 20/1.8, and the trade is the same. An
    issue nobody weighs (every salience 0) has outcome 0 by convention, without a warning,
    and takes part in no trade."""
    (first,) = run_exchange(X, S, C * 0.1, ALL, rounds=1)
    np.testing.assert_allclose(first.start, [80 / 1.2, 20 / 1.8])
    (trade,) = first.exchanges
    assert trade["i_moves"] == pytest.approx(-100)
    x = np.hstack([X, [[30.0], [70.0]]])
    s = np.hstack([S, [[0.0], [0.0]]])
    (only,) = run_exchange(x, s, np.ones((2, 3)), np.ones((2, 3), dtype=bool), rounds=1)
    assert only.start[2] == 0.0
    assert only.voting[2] == 0.0
    assert [(t["i_supplies"], t["j_supplies"]) for t in only.exchanges] == [(1, 0)]


def test_the_at_outcome_tolerance_is_per_issue_and_moves_with_the_positions() -> None:
    """An actor counts as at an outcome within 1e-9 of the spread of the positions on that
    issue. Issue p on a scale a million million times q's (A at 1e14, B at 0) does not widen
    q's tolerance, nor does q lying 1e12 above p: A and B still trade, A giving way fully
    on q. Moving every position by
    1e11 moves the outcomes by as much and changes no move."""
    x = X.copy()
    x[:, 0] *= 1e12
    (trade,) = run_exchange(x, S, C, ALL, rounds=1)[0].exchanges
    assert trade["i_moves"] == pytest.approx(-100)
    x = X + np.array([0.0, 1e12])  # nor does q lying far above p
    (trade,) = run_exchange(x, S, C, ALL, rounds=1)[0].exchanges
    # positions near 1e12 carry rounding of 1.2e-4 (a unit in the last place there)
    assert trade["i_moves"] == pytest.approx(-100, abs=1e-3)
    (first,) = run_exchange(X + 1e11, S, C, ALL, rounds=1)
    np.testing.assert_allclose(first.start - 1e11, [80 / 1.2, 20 / 1.8], atol=1e-4)
    (trade,) = first.exchanges
    assert trade["i_moves"] == pytest.approx(-100)
    assert trade["j_moves"] == pytest.approx(100 / 3)


def test_a_supplier_without_weight_makes_no_exchange() -> None:
    """A (100, 100) and B (0, 0) stand on opposite sides of both outcomes (C, only on p at
    0 with salience 1, pulls p's outcome to (0.8 x 100)/(0.8 + 1) = 44.4). If B does not
    care about p (salience 0), it would give way on p, but its move there could not shift
    the outcome: no exchange (and no 0/0). Likewise if A does not care about q. The outcomes
    stay the weighted means."""
    x = np.array([[100.0, 100.0], [0.0, 0.0], [0.0, 0.0]])
    c = np.array([[1.0, 1.0], [2.0, 2.0], [1.0, 1.0]])
    present = np.array([[True, True], [True, True], [True, False]])
    for s, want_q in (
        (np.array([[0.8, 0.2], [0.0, 0.8], [1.0, 0.0]]), 20 / 1.8),
        (np.array([[0.8, 0.0], [0.2, 0.8], [1.0, 0.0]]), 0.0),
    ):
        (only,) = run_exchange(x, s, c, present)
        assert only.exchanges == ()
        want_p = 80 / (0.8 + 2 * s[1, 0] + 1)
        np.testing.assert_allclose(only.voting, [want_p, want_q])


def test_random_rates_fill_the_interval_each_drawn_apart() -> None:
    """Over 300 seeds the random rate of the hand case covers (0.25, 4), B's break-even rate
    0.2/0.8 to A's 0.8/0.2: its smallest within 0.05 of 0.25, its largest within 0.05 of 4.
    Two pairs trading side by side (A with B, and C with D, a copy of them on the other
    issues' sides) draw their own rates."""
    rates = []
    for seed in range(300):
        (trade,) = run_exchange(
            X, S, C, ALL, rounds=1, variant="random-rate", rng=np.random.default_rng(seed)
        )[0].exchanges
        rates.append(trade["shift_on_j_demand"] / trade["shift_on_i_demand"])
    assert 0.25 <= min(rates) < 0.3
    assert 3.95 < max(rates) <= 4.0
    x = np.vstack([X, X])
    s = np.vstack([S, S])
    c = np.vstack([C, C])
    (first,) = run_exchange(x, s, c, np.ones((4, 2), dtype=bool), rounds=1, variant="random-rate")
    pairs = {(t["i"], t["j"]): t for t in first.exchanges}
    assert len(pairs) == 2  # each of A, C trades with one of B, D
    drawn = {round(t["shift_on_j_demand"] / t["shift_on_i_demand"], 12) for t in pairs.values()}
    assert len(drawn) == 2


def test_one_issue_through_run_exchange() -> None:
    """run_exchange on one issue (the model refuses it first): no pair of issues, so no
    exchange, and the outcome is the weighted mean (0.8 x 100)/(0.8 + 0.4) = 66.67."""
    (only,) = run_exchange(X[:, :1], S[:, :1], C[:, :1], ALL[:, :1])
    assert only.exchanges == ()
    np.testing.assert_allclose(only.voting, [80 / 1.2])


def test_the_outcome_bounds_bind_alone_by_hand() -> None:
    """Bound 3 (p's outcome may not pass I's position) and bound 4 (q's may not pass J's),
    each the only one binding. Third actors sit the other issue out, so only A and B trade.

    Bound 3: A (70, 100), B (0, 0) as the hand case, C at 100 on p only (salience 0.5): p's
    outcome (56 + 50)/1.7 = 62.35 lies 7.65 below A; the other bounds are 70 x 0.4/1.7 =
    16.5 and 100 x 0.2/1.8 = 11.1 (twice). The rate is 1: both outcomes shift by 13/1.7 and
    p's lands on A's 70; B moves 13/1.7 x 1.7/0.4 = 32.5, A -13/1.7 x 1.8/0.2 = -68.8.

    Bound 4: A (100, 100) with saliences (0.8, 0.4), B (0, 20), D at 0 on q only (0.5): the
    rate is (0.8 + 0.2)/(0.4 + 0.8) = 5/6; q's outcome (40 + 32)/2.5 = 28.8 lies 8.8 above
    B, so p may shift 8.8 / (5/6) = 10.56 (against 33.3, 33.3 and 80 x 0.4/2.5 / (5/6) =
    15.36), q by 8.8, down to B's 20; both gain 0.8 x 10.56 - 0.4 x 8.8 = 4.928."""
    x = np.array([[70.0, 100.0], [0.0, 0.0], [100.0, 0.0]])
    s = np.array([[0.8, 0.2], [0.2, 0.8], [0.5, 0.0]])
    c = np.array([[1.0, 1.0], [2.0, 2.0], [1.0, 1.0]])
    present = np.array([[True, True], [True, True], [True, False]])
    (first,) = run_exchange(x, s, c, present, rounds=1)
    (trade,) = first.exchanges
    assert trade["shift_on_i_demand"] == pytest.approx(13 / 1.7)
    assert trade["j_moves"] == pytest.approx(32.5)
    assert trade["i_moves"] == pytest.approx(-13 / 1.7 * 9)
    np.testing.assert_allclose(first.voting, [70.0, 20 / 1.8 - 13 / 1.7])
    x = np.array([[100.0, 100.0], [0.0, 20.0], [0.0, 0.0]])
    s = np.array([[0.8, 0.4], [0.2, 0.8], [0.0, 0.5]])
    present = np.array([[True, True], [True, True], [False, True]])
    (first,) = run_exchange(x, s, c, present, rounds=1)
    (trade,) = first.exchanges
    assert trade["shift_on_i_demand"] == pytest.approx(10.56)
    assert trade["shift_on_j_demand"] == pytest.approx(8.8)
    assert trade["j_moves"] == pytest.approx(10.56 * 1.2 / 0.4)
    assert trade["i_moves"] == pytest.approx(-8.8 * 2.5 / 0.4)
    assert trade["gain_i"] == pytest.approx(4.928)
    assert trade["gain_j"] == pytest.approx(4.928)
    np.testing.assert_allclose(first.voting, [80 / 1.2 + 10.56, 20.0])
