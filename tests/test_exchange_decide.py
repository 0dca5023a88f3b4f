"""The exchange model's ``protocol="decide"`` against decide's own recorded runs of its two
climate cases (tests/data/decide/README.md: the package version and the command), against
a case worked by hand, and against the default protocol.

The recorded files and their inputs ship with the tests: nothing here needs ../shared or
the decide package.
"""

from __future__ import annotations

import json
import os
import tracemalloc
from decimal import ROUND_DOWN, Context, Decimal, localcontext
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from statecraft import forecast, load
from statecraft.arrays import scenario_batch
from statecraft.models import Exchange
from statecraft.models.base import OptionError
from statecraft.models.exchange import ExchangeOptions, ExchangeRound, run_exchange

DATA = Path(__file__).parent / "data" / "decide"
CASES = ("cop21", "copenhagen")
#: decide's runs are recorded to 10 decimals; the issue asks for agreement within 0.5
#: points per issue and round, and the runs agree to the recording's precision.
RECORDED = 1e-9


@cache
def _decide(case: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"{case}.decide.json").read_text())
    return data


@cache
def _ours(
    case: str, rounds: int = 10
) -> tuple[tuple[str, ...], tuple[str, ...], list[ExchangeRound]]:
    scenario = load(DATA / f"{case}.csv")
    b = scenario_batch(scenario)
    made = run_exchange(
        b.position[0],
        b.salience[0],
        b.capability[0],
        b.present,
        rounds=rounds,
        protocol="decide",
        scale=(b.low, b.high),
    )
    names = tuple(a.name or a.id for a in scenario.actors)  # decide's files name actors
    return names, b.issue_ids, made


# mutmut forks each mutant's test run from a process that ran every test once: a cached run
# of the code under test would hand every mutant the unmutated run. The child computes it
# again (the recorded files, _decide, are data and stay cached).
os.register_at_fork(after_in_child=_ours.cache_clear)


@pytest.mark.parametrize("case", CASES)
def test_outcomes_round_by_round_are_decides(case: str) -> None:
    """Every issue's expected outcome at the start of each of the 10 rounds and after its
    exchanges, against decide's recorded run."""
    theirs = _decide(case)["rounds"]
    _, issues, ours = _ours(case)
    assert len(ours) == len(theirs) == 10
    for mine, ref in zip(ours, theirs, strict=True):
        for k, issue in enumerate(issues):
            assert mine.start[k] == pytest.approx(ref["start"][issue], abs=RECORDED)
            assert mine.voting[k] == pytest.approx(ref["voting"][issue], abs=RECORDED)
    # the trajectories move: a reference that stood still would check nothing
    first, last = ours[0].start, ours[-1].voting
    assert np.abs(last - first).max() > 10


@pytest.mark.parametrize("case", CASES)
def test_exchanges_are_decides_in_its_order(case: str) -> None:
    """Each round's exchanges, one by one in the order decide made them: the two actors,
    the issue each gives way on, where each votes after it, and the gain."""
    ref = _decide(case)
    fields = ref["exchange_fields"]
    names, issues, ours = _ours(case)
    made = 0
    for mine, theirs in zip(ours, ref["rounds"], strict=True):
        assert len(mine.exchanges) == len(theirs["exchanges"])
        for m, row in zip(mine.exchanges, theirs["exchanges"], strict=True):
            t = dict(zip(fields, row, strict=True))
            assert (names[m["i"]], issues[m["i_supplies"]]) == (t["i"], t["i_supplies"])
            assert (names[m["j"]], issues[m["j_supplies"]]) == (t["j"], t["j_supplies"])
            assert m["i_moves"] == pytest.approx(t["i_to"] - t["i_from"], abs=RECORDED)
            assert m["j_moves"] == pytest.approx(t["j_to"] - t["j_from"], abs=RECORDED)
            assert m["gain_i"] == pytest.approx(t["gain"], abs=RECORDED)
            made += 1
    assert made == {"cop21": 1309, "copenhagen": 450}[case]


def test_the_step_that_decides_decimal_rounding_decides() -> None:
    """COP21, round 1, the 47th exchange: Japan gives way on `progress`, to India, who gives
    way on `adapt_finance` or on `finance_vol`. Both are capped by Japan's full move on
    progress, and in exact arithmetic both gain the same: Japan's gain per unit of shift on
    progress is s_J,demand x rate - s_J,progress, with the rate (s_J + s_India on progress) /
    (s_J + s_India on the other issue):
        finance_vol:   0.65 x 1.45/1.3 - 0.65 = 0.075
        adapt_finance: 0.75 x 1.45/1.5 - 0.65 = 0.075.
    In decide's 28-digit decimals, 1.45/1.3 rounds down and 1.45/1.5 up, so adapt_finance's
    gain is larger in the last digit, and decide makes it first although the finance_vol
    exchange is listed first (its issue comes first in the file). Broken by the listing
    order, or in floats, this step goes the other way, and the runs part: docs/models/
    exchange.md, "protocol=decide"."""
    half = Fraction(145, 100)
    assert Fraction(65, 100) * half / Fraction(130, 100) - Fraction(65, 100) == Fraction(3, 40)
    assert Fraction(75, 100) * half / Fraction(150, 100) - Fraction(65, 100) == Fraction(3, 40)
    with localcontext(Context(prec=28)):
        vol = Decimal("0.65") * (Decimal("1.45") / Decimal("1.3"))
        adapt = Decimal("0.75") * (Decimal("1.45") / Decimal("1.5"))
    assert adapt > vol
    names, issues, ours = _ours("cop21", rounds=1)  # round 1 alone: a tenth of the time
    step = ours[0].exchanges[46]
    assert names[step["i"]] == "Japan"
    assert issues[step["i_supplies"]] == "progress"
    assert (names[step["j"]], issues[step["j_supplies"]]) == ("India", "adapt_finance")
    nxt = ours[0].exchanges[47]  # the finance_vol one is then no longer made: Japan is at 0
    assert issues[nxt["j_supplies"]] != "finance_vol" or names[nxt["j"]] != "India"
    ref = _decide("cop21")["rounds"][0]["exchanges"][46]
    assert ref[:2] == ["Japan", "progress"]
    assert ref[4:6] == ["India", "adapt_finance"]


def test_two_actors_by_hand_on_a_0_to_10_scale() -> None:
    """A (10, 10) and B (0, 0) on two issues from 0 to 10; A cares about p (0.8, 0.2), B
    about q (0.2, 0.8); B is twice as capable. decide's protocol, on the scale rescaled
    to 0-100: outcomes p = 0.8 x 100 / 1.2 = 66.67, q = 0.2 x 100 / 1.8 = 11.11. A weighs p
    relatively more, so A is I and gives way on q; B moving all the way to 100 on p would
    shift p by 100 x 0.4/1.2 = 33.3, q by as much (the rate (0.8 + 0.2)/(0.2 + 0.8) = 1),
    which needs A to move 33.3 x 1.8/0.2 = 300 > 100: so A moves its whole 100 on q (shift
    11.11), B moves 11.11 x 1.2/0.4 = 33.3 on p. Back on 0-10: votes p = (0.8 x 10 + 0.4 x
    3.33)/1.2 = 7.778, q = 0; A moves -10, B +3.33; the gain is 11.11 x (0.8 - 0.2) = 6.67
    on 0-100, 0.667 on 0-10."""
    x = np.array([[10.0, 10.0], [0.0, 0.0]])
    s = np.array([[0.8, 0.2], [0.2, 0.8]])
    c = np.array([[1.0, 1.0], [2.0, 2.0]])
    every = np.ones((2, 2), dtype=bool)
    scale = (np.zeros(2), np.full(2, 10.0))
    first, second = run_exchange(x, s, c, every, rounds=2, protocol="decide", scale=scale)
    np.testing.assert_allclose(first.start, [8 / 1.2, 2 / 1.8])
    np.testing.assert_allclose(first.voting, [(8 + 0.4 * 10 / 3) / 1.2, 0.0], atol=1e-12)
    (trade,) = first.exchanges
    assert (trade["i"], trade["j"], trade["i_supplies"], trade["j_supplies"]) == (0, 1, 1, 0)
    assert trade["i_moves"] == pytest.approx(-10)
    assert trade["j_moves"] == pytest.approx(10 / 3)
    assert trade["gain_i"] == pytest.approx(100 / 9 * 0.6 / 10)
    # each keeps 0.1 + 0.4 x (1 - 0.2) = 0.42 of its move: A at 10 - 4.2 = 5.8 on q,
    # B at 0.42 x 3.33 = 1.4 on p
    np.testing.assert_allclose(second.start, [(8 + 0.4 * 1.4) / 1.2, 0.2 * 5.8 / 1.8])
    full = run_exchange(x, s, c, every, rounds=2, protocol="decide", scale=scale, adjustment="full")
    np.testing.assert_allclose(full[1].start, full[0].voting, atol=1e-12)


def test_decide_trades_again_where_the_default_does_not() -> None:
    """The default protocol lets each actor's position on an issue take part in one
    exchange a round; decide's lets it trade again in the same direction. On COP21's first
    round that is 38 exchanges against decide's 126 (docs/models/exchange.md)."""
    scenario = load(DATA / "cop21.csv")
    default = forecast(scenario, "exchange").linked["exchange"]
    theirs = forecast(scenario, "exchange", options={"protocol": "decide"}).linked["exchange"]
    assert len(default.rounds[0].exchanges) == 38
    assert len(theirs.rounds[0].exchanges) == len(_decide("cop21")["rounds"][0]["exchanges"])
    supplies = [(t["i"], t["i_supplies"]) for t in theirs.rounds[0].exchanges]
    assert len(set(supplies)) < len(supplies)  # someone gave way twice on the same issue
    once = [(t["i"], t["i_supplies"]) for t in default.rounds[0].exchanges]
    assert len(set(once)) == len(once)


def test_decide_protocol_through_the_model_is_run_exchange() -> None:
    scenario = load(DATA / "copenhagen.csv")
    f = forecast(scenario, "exchange", options={"protocol": "decide", "rounds": 3})
    d = f.linked["exchange"]
    _, issues, ours = _ours("copenhagen")
    assert len(d.rounds) == 3
    for k, issue in enumerate(issues):
        assert f.value(issue, "exchange") == pytest.approx(float(ours[2].voting[k]))


def test_decide_protocol_takes_the_equal_gain_variant_only() -> None:
    message = (
        r"^the exchange model's option protocol=decide reproduces decide's equal-gain model: "
        r"it takes variant=equal-gain \(got variant=random-rate\)$"
    )
    with pytest.raises(OptionError, match=message):
        Exchange(protocol="decide", variant="random-rate")
    with pytest.raises(OptionError, match=message):  # given as an options object
        Exchange(ExchangeOptions(protocol="decide", variant="random-rate"))
    assert Exchange(ExchangeOptions(protocol="decide")).options["protocol"] == "decide"
    x = np.array([[100.0, 100.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match=r"^protocol='decide' is decide's equal-gain model$"):
        run_exchange(x, x / 200 + 0.2, np.ones((2, 2)), x >= 0, protocol="decide", variant="r")


def test_decide_protocol_through_the_model_on_its_own_scales() -> None:
    """The hand case above as a scenario, issue p on 0-10 and q on -10-10, run through the
    model: decide's protocol rescales each issue to 0-100 and back. On 0-100 the case is
    the one by hand (A at 100 on both, B at 0), so the votes are p = 77.78 and q = 0 of the
    way up: 7.778 on p, and -10 + 0 x 20 = -10 on q."""
    from statecraft.io._validate import build_scenario

    data = {
        "name": "two",
        "issues": [
            {"id": "p", "label": "P", "scale": {"low": 0, "high": 10}},
            {"id": "q", "label": "Q", "scale": {"low": -10, "high": 10}},
        ],
        "actors": [
            {
                "id": "A",
                "capability": 1,
                "stances": {
                    "p": {"position": 10, "salience": 0.8},
                    "q": {"position": 10, "salience": 0.2},
                },
            },
            {
                "id": "B",
                "capability": 2,
                "stances": {
                    "p": {"position": 0, "salience": 0.2},
                    "q": {"position": -10, "salience": 0.8},
                },
            },
        ],
    }
    scenario = build_scenario(data, file=None)
    f = forecast(scenario, "exchange", options={"protocol": "decide", "rounds": 1})
    assert f.value("p", "exchange") == pytest.approx((8 + 0.4 * 10 / 3) / 1.2)
    assert f.value("q", "exchange") == pytest.approx(-10)
    (trade,) = f.linked["exchange"].rounds[0].exchanges
    assert trade["i_moves"] == pytest.approx(-20)  # A's whole way down q's 20 points
    assert trade["j_moves"] == pytest.approx(10 / 3)


def test_decide_protocols_memory_estimate_covers_a_traced_run() -> None:
    """The declared memory of one protocol=decide run is five times the default's (decimals
    are Python objects), and covers the traced peak of a whole forecast of Copenhagen
    (11 actors x 7 issues: 0.7 MiB traced against 5 x 0.20 MiB declared, 2026-12-07)."""
    default, decide = Exchange(), Exchange(protocol="decide")
    assert decide.run_memory(11, 7) == 5 * default.run_memory(11, 7)
    scenario = load(DATA / "copenhagen.csv")
    forecast(scenario, decide)  # once untraced: the first run's imports are not the run's
    tracemalloc.start()
    try:
        forecast(scenario, decide)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert default.run_memory(11, 7) < peak <= decide.run_memory(11, 7)


def test_the_hand_cases_shifts_and_both_gains_on_its_own_scale() -> None:
    """The two-actor case by hand above, every field of its exchange record on the 0-10
    scale (each issue's width / 100 = 0.1 per point of decide's 0-100): B's move of 33.33
    on p shifts p by 33.33 x 0.4 / 1.2 = 11.11, A's move of 100 on q shifts q by 100 x 0.2 /
    1.8 = 11.11: 1.111 on 0-10 each. The gain (equal for both, decide's equal-gain model)
    is 11.11 x (0.8 - 0.2) = 6.67 on 0-100: 0.667 on 0-10."""
    x = np.array([[10.0, 10.0], [0.0, 0.0]])
    s = np.array([[0.8, 0.2], [0.2, 0.8]])
    c = np.array([[1.0, 1.0], [2.0, 2.0]])
    scale = (np.zeros(2), np.full(2, 10.0))
    (first,) = run_exchange(x, s, c, x >= 0, rounds=1, protocol="decide", scale=scale)
    (trade,) = first.exchanges
    assert trade["shift_on_i_demand"] == pytest.approx(10 / 9)
    assert trade["shift_on_j_demand"] == pytest.approx(10 / 9)
    assert trade["gain_i"] == pytest.approx(6 / 9)
    assert trade["gain_j"] == pytest.approx(6 / 9)


def test_decide_protocol_ignores_the_callers_decimal_context() -> None:
    """decide computes in the default context (28 digits, half-even): the protocol sets it
    for its run, so a caller's own context (4 digits here, rounding down) changes nothing.
    The hand case above: outcomes 8/1.2 and 2/1.8, votes (8 + 0.4 x 10/3)/1.2 and 0; in 4
    digits 8/1.2 would be 6.666, off by 7e-4."""
    x = np.array([[10.0, 10.0], [0.0, 0.0]])
    s = np.array([[0.8, 0.2], [0.2, 0.8]])
    c = np.array([[1.0, 1.0], [2.0, 2.0]])
    scale = (np.zeros(2), np.full(2, 10.0))
    with localcontext(Context(prec=4, rounding=ROUND_DOWN)):
        (first,) = run_exchange(x, s, c, x >= 0, rounds=1, protocol="decide", scale=scale)
    np.testing.assert_allclose(first.start, [8 / 1.2, 2 / 1.8], rtol=1e-12)
    np.testing.assert_allclose(first.voting, [(8 + 0.4 * 10 / 3) / 1.2, 0.0], atol=1e-12)


def test_actors_without_weight_or_stance_stay_out_of_decides_exchanges() -> None:
    """The hand case on 0-100 (A at 100, 100; B at 0, 0) with three actors who weigh
    nothing: C at (0, 0) with salience 0 on both issues, D at (100, 100) with saliences
    (0.6, 0.4) and capability 0, E absent from both issues. None of them moves an outcome
    (weight c x s = 0) and none trades (decide has no weightless stances: C's ratio of
    saliences would be 0/0, D's move would divide by its weight 0), so the round is the
    hand case's: outcomes p = 80/1.2 = 66.67, q = 20/1.8 = 11.11; A moves -100 on q, B
    +33.33 on p; votes 77.78 and 0; shifts 11.11 each.
    D, a third party present on both issues, has externality 0.6 x (|66.67 - 100| -
    |77.78 - 100|) + 0.4 x (|11.11 - 100| - |0 - 100|) = 0.6 x 11.11 - 0.4 x 11.11 = 20/9
    (the shifts signed by the parties' positions: p up toward A's 100, q down toward B's
    0); C's saliences are 0, E is absent: 0."""
    nan = np.nan
    x = np.array([[100.0, 100.0], [0.0, 0.0], [0.0, 0.0], [100.0, 100.0], [nan, nan]])
    s = np.array([[0.8, 0.2], [0.2, 0.8], [0.0, 0.0], [0.6, 0.4], [nan, nan]])
    c = np.array([[1.0, 1.0], [2.0, 2.0], [1.0, 1.0], [0.0, 0.0], [1.0, 1.0]])
    present = np.array([[True, True]] * 4 + [[False, False]])
    (first,) = run_exchange(x, s, c, present, rounds=1, protocol="decide")
    np.testing.assert_allclose(first.start, [80 / 1.2, 20 / 1.8])
    np.testing.assert_allclose(first.voting, [(80 + 0.4 * 100 / 3) / 1.2, 0.0], atol=1e-12)
    (trade,) = first.exchanges
    assert (trade["i"], trade["j"], trade["i_supplies"], trade["j_supplies"]) == (0, 1, 1, 0)
    assert trade["i_moves"] == pytest.approx(-100)
    assert trade["j_moves"] == pytest.approx(100 / 3)
    assert trade["shift_on_i_demand"] == pytest.approx(100 / 9)
    assert trade["shift_on_j_demand"] == pytest.approx(100 / 9)
    np.testing.assert_allclose(first.externalities, [0, 0, 0, 20 / 9, 0], atol=1e-12)


def test_an_actor_at_the_outcome_counts_on_its_left() -> None:
    """decide puts an actor standing exactly at an issue's outcome on its left (x <= the
    outcome), which decides whom it can trade with. On 0-100, p: C at 50, D at 100, E at 0,
    each with salience 0.5 and capability 1, so p's outcome is 150/3 = 50, C's position;
    q: C at 100 (salience 0.2), D and E at 0 (0.8, 0.5): outcome 20/1.5 = 13.33.
    C is left on p and right on q, D right and left, E left on both: the one pair on
    opposite sides of both outcomes is C and D (C on the right of p would pair with E).
    C weighs p relatively more (0.5/0.2 > 0.5/0.8), so C is I and gives way on q. D moving
    all the way to C's 50 on p shifts p by 50 x 0.5/1.5 = 16.67, q as much (rate (0.5 +
    0.5)/(0.8 + 0.2) = 1), which needs C to move 16.67 x 1.5/0.2 = 125 > 100: C moves its
    whole 100 on q (shift 100 x 0.2/1.5 = 13.33) and D 13.33 x 1.5/0.5 = 40 on p. Votes:
    p = (50 + 60 + 0)/3 = 36.67, q = 0; the gain 13.33 x |0.2 - 0.5| = 4. E, the third
    party, gains 0.5 x (13.33 - 0) on q; on p the shift is signed by C's side of the
    outcome, and C stands at it: 0 (the approximation of `_decide_round`'s docstring)."""
    x = np.array([[50.0, 100.0], [100.0, 0.0], [0.0, 0.0]])
    s = np.array([[0.5, 0.2], [0.5, 0.8], [0.5, 0.5]])
    (first,) = run_exchange(x, s, np.ones((3, 2)), x >= 0, rounds=1, protocol="decide")
    np.testing.assert_allclose(first.start, [50.0, 20 / 1.5])
    np.testing.assert_allclose(first.voting, [110 / 3, 0.0], atol=1e-12)
    (trade,) = first.exchanges
    assert (trade["i"], trade["j"], trade["i_supplies"], trade["j_supplies"]) == (0, 1, 1, 0)
    assert trade["i_moves"] == pytest.approx(-100)
    assert trade["j_moves"] == pytest.approx(-40)
    assert trade["gain_i"] == pytest.approx(4)
    np.testing.assert_allclose(first.externalities, [0, 0, 0.5 * 20 / 1.5], atol=1e-12)


def test_a_capped_exchange_by_hand() -> None:
    """On 0-100: A at (100, 100) with saliences (0.8, 0.4), B at (0, 25) with (0.2, 0.8),
    F at (100, 0) with (0.5, 0.5), capabilities 1. Outcomes p = 130/1.5 = 86.67, q =
    60/1.7 = 35.29. A is right of both, B left of both, F right on p and left on q (no
    partner): one pair, A the I (0.8/0.4 > 0.2/0.8), giving way on q.
    Priced: B all the way to A's 100 on p shifts p by 100 x 0.2/1.5 = 13.33, q by 13.33 /
    1.2 = 11.11 (rate (0.2 + 0.8)/(0.8 + 0.4)), which needs A to move 11.11 x 1.7/0.4 =
    47.22 <= 75. That carries q to (0.4 x 52.78 + 0.8 x 25)/1.7 = 24.18, past B's 25: the
    exchange is cut (decide's cap) to A's move that brings q to 25: (25 x 1.7 - 60)/0.4 =
    -43.75, a shift on q of 43.75 x 0.4/1.7 = 10.29, on p 1.2 x 10.29 = 12.35, B's move
    12.35 x 1.5/0.2 = 92.65. Votes p = 86.67 + 12.35 = 99.02, q = 25. The gain, B's, is
    |12.35 x 0.2 - 10.29 x 0.8| = 5.76. F gains 0.5 x (13.33 - 0.98) + 0.5 x 10.29 on the
    two issues."""
    x = np.array([[100.0, 100.0], [0.0, 25.0], [100.0, 0.0]])
    s = np.array([[0.8, 0.4], [0.2, 0.8], [0.5, 0.5]])
    (first,) = run_exchange(x, s, np.ones((3, 2)), x >= 0, rounds=1, protocol="decide")
    np.testing.assert_allclose(first.start, [130 / 1.5, 60 / 1.7])
    shift_q = 17.5 / 1.7  # 43.75 x 0.4 / 1.7
    shift_p = 1.2 * shift_q
    np.testing.assert_allclose(first.voting, [130 / 1.5 + shift_p, 25.0])
    (trade,) = first.exchanges
    assert (trade["i"], trade["j"], trade["i_supplies"], trade["j_supplies"]) == (0, 1, 1, 0)
    assert trade["i_moves"] == pytest.approx(-43.75)
    assert trade["j_moves"] == pytest.approx(shift_p * 1.5 / 0.2)
    assert trade["shift_on_i_demand"] == pytest.approx(shift_p)
    assert trade["shift_on_j_demand"] == pytest.approx(shift_q)
    assert trade["gain_i"] == pytest.approx(abs(shift_p * 0.2 - shift_q * 0.8))
    f = 0.5 * (100 - 130 / 1.5 - (100 - 130 / 1.5 - shift_p)) + 0.5 * shift_q
    np.testing.assert_allclose(first.externalities, [0, 0, f], atol=1e-12)


def test_an_exchange_capped_below_decides_nil_move_is_none() -> None:
    """The capped case above with B at 50 on q and F at f: q's outcome is (0.4 x 100 + 0.8
    x 50 + 0.5 f)/1.7, which is 50 + d with d = (0.5 f - 5)/1.7. A's priced move carries q
    far below B's 50, so the cap cuts A's move to 1.7 d / 0.4 = 4.25 d (the shift on q is
    4.25 d x 0.4/1.7 = d), and B's to 1.2 d x 1.5/0.2 = 9 d.
    f = 10.2: d = 0.1/1.7, A moves -0.25 and B 0.529: an exchange.
    f = 10.000000000068: d = 2e-11, A's move 8.5e-11 is at most decide's nil 1e-10 while
    B's 1.8e-10 is not: a move of either side that small voids the exchange: none.
    f = 10.0000000000802: d = 4.01e-11/1.7, A's move 2.5 x 4.01e-11 = 1.0025e-10, just
    over the nil on decide's 0-100 scale (the default when no scale is given): an exchange
    (after a cap decide does not test the gain again; it is 1.3e-11 here)."""
    s = np.array([[0.8, 0.4], [0.2, 0.8], [0.5, 0.5]])

    def first_round(f: float) -> ExchangeRound:
        x = np.array([[100.0, 100.0], [0.0, 50.0], [100.0, f]])
        (first,) = run_exchange(x, s, np.ones((3, 2)), x >= 0, rounds=1, protocol="decide")
        return first

    (trade,) = first_round(10.2).exchanges
    d = 0.1 / 1.7
    assert trade["i_moves"] == pytest.approx(-4.25 * d)
    assert trade["j_moves"] == pytest.approx(9 * d)
    tiny = first_round(10.000000000068)
    assert tiny.start[1] == pytest.approx(50 + 2e-11, abs=1e-13)
    assert tiny.exchanges == ()
    np.testing.assert_array_equal(tiny.voting, tiny.start)
    (over,) = first_round(10.0000000000802).exchanges
    assert over["i_moves"] == pytest.approx(-1.0025e-10, rel=1e-9)
    assert over["j_moves"] == pytest.approx(9 * 4.01e-11 / 1.7, rel=1e-9)


def test_a_void_candidate_of_a_larger_gain_does_not_end_the_round() -> None:
    """Two cases of the nil-move test above side by side, on issues of their own (each
    trio present on its two issues only, so no candidate mixes them):
    X (issues 0, 1): F at 10.000000000068, d = 2e-11: void (A's capped move 8.5e-11), its
    gain B's, d x |1.2 x 0.2 - 0.8| = 0.56 d = 1.12e-11.
    Y (issues 2, 3): B with saliences (0.3, 0.5) and F at 10.000000000096: q's outcome
    (0.4 x 100 + 0.5 x 50 + 0.5 f)/1.4 = 50 + d' with d' = (0.5 f - 5)/1.4 = 4.8e-11/1.4;
    the cap leaves A a move of 1.4 d'/0.4 = 1.2e-10 and B, at the rate (0.4 + 0.5)/(0.8 +
    0.3) = 9/11, 9/11 d' x 1.6/0.3 = 1.496e-10 (p's weights total 1.6): valid, with a gain
    d' x |9/11 x 0.3 - 0.5| = 8.73e-12, smaller than X's. Sorted by gain, X comes first and
    is passed over; Y is made."""
    x, s = np.zeros((6, 4)), np.zeros((6, 4))
    present = np.zeros((6, 4), dtype=bool)
    x[0:3, 0:2] = [[100, 100], [0, 50], [100, 10.000000000068]]
    s[0:3, 0:2] = [[0.8, 0.4], [0.2, 0.8], [0.5, 0.5]]
    x[3:6, 2:4] = [[100, 100], [0, 50], [100, 10.000000000096]]
    s[3:6, 2:4] = [[0.8, 0.4], [0.3, 0.5], [0.5, 0.5]]
    present[0:3, 0:2] = present[3:6, 2:4] = True
    (first,) = run_exchange(x, s, np.ones((6, 4)), present, rounds=1, protocol="decide")
    (trade,) = first.exchanges
    assert (trade["i"], trade["j"], trade["i_supplies"], trade["j_supplies"]) == (3, 4, 3, 2)
    d = 4.8e-11 / 1.4
    assert trade["i_moves"] == pytest.approx(-1.2e-10, rel=1e-9)
    assert trade["j_moves"] == pytest.approx(9 / 11 * d * 1.6 / 0.3, rel=1e-9)
    assert trade["gain_i"] == pytest.approx(d * (0.5 - 9 / 11 * 0.3), rel=1e-9)
    assert trade["gain_i"] < 0.56 * 2e-11
