"""Hypothesis properties of the one-issue models: invariances every correct model keeps."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from statecraft.models import condorcet_winner, nash_bargaining, weighted_mean, weighted_median
from statecraft.models.base import weights

N = st.integers(min_value=1, max_value=12)


@st.composite
def issues(draw: st.DrawFn, integer_weights: bool = False) -> tuple[np.ndarray, ...]:
    n = draw(N)
    if integer_weights:
        # on a grid, so that the brute-force vote compares distances exactly
        x = draw(arrays(float, n, elements=st.integers(0, 200).map(lambda k: k / 2)))
    else:
        x = draw(arrays(float, n, elements=st.floats(0, 100, allow_nan=False)))
    if integer_weights:
        c = draw(arrays(float, n, elements=st.integers(1, 9).map(float)))
        s = draw(arrays(float, n, elements=st.integers(0, 4).map(lambda k: k / 4)))
    else:
        c = draw(arrays(float, n, elements=st.floats(0.01, 100)))
        s = draw(arrays(float, n, elements=st.floats(0, 1)))
    assume((c * s).sum() > 1e-6)
    return x, c, s


ALL = [
    lambda x, c, s: weighted_mean(x, c, s),
    lambda x, c, s: weighted_median(x, c * s),
]


@given(issues(), st.data())
def test_order_of_actors_changes_nothing(
    issue: tuple[np.ndarray, ...], data: st.DataObject
) -> None:
    x, c, s = issue
    perm = np.array(data.draw(st.permutations(range(len(x)))))
    for f in ALL:
        assert np.isclose(f(x, c, s), f(x[perm], c[perm], s[perm]), rtol=0, atol=1e-9)
    q = 0.0  # the Nash solution's bisection runs to float precision (nash.ITERATIONS)
    assert np.isclose(
        nash_bargaining(x, c, s, q), nash_bargaining(x[perm], c[perm], s[perm], q), atol=1e-9
    )


@given(issues(integer_weights=True), st.sampled_from([0.5, 3.0, 1000.0]))
def test_scaling_every_capability_changes_nothing(issue: tuple[np.ndarray, ...], k: float) -> None:
    x, c, s = issue
    for f in ALL:
        assert np.isclose(f(x, c, s), f(x, c * k, s), atol=1e-9)
    assert np.isclose(nash_bargaining(x, c, s, 0.0), nash_bargaining(x, c * k, s, 0.0), atol=1e-9)


@given(issues(), st.floats(0, 100))
def test_forecasts_lie_within_the_positions(issue: tuple[np.ndarray, ...], q: float) -> None:
    x, c, s = issue
    active = weights(c, s) > 0  # weighted as the model weighs
    lo, hi = x[active].min(), x[active].max()
    for f in ALL:
        assert lo - 1e-9 <= f(x, c, s) <= hi + 1e-9


@given(issues(), st.floats(0.01, 100), st.booleans())
def test_nash_lies_within_the_positions_when_the_status_quo_is_outside(
    issue: tuple[np.ndarray, ...], d: float, below: bool
) -> None:
    # The status quo at a distance d below (or above) every weighted position: an agreement
    # exists, and the Nash solution lies within the weighted positions (never the status
    # quo, which is outside them: no example escapes through it).
    x, c, s = issue
    active = weights(c, s) > 0
    lo, hi = x[active].min(), x[active].max()
    q = lo - d if below else hi + d
    nb = float(nash_bargaining(x, c, s, q))
    assert lo - 1e-6 <= nb <= hi + 1e-6


@given(issues(), st.data())
def test_nash_is_the_status_quo_when_weighted_actors_stand_on_both_sides(
    issue: tuple[np.ndarray, ...], data: st.DataObject
) -> None:
    # With weighted actors on both sides of the status quo (or one standing on it), no move
    # leaves all of them better off: the solution is the status quo itself, exactly.
    x, c, s = issue
    active = weights(c, s) > 0
    lo, hi = x[active].min(), x[active].max()
    q = data.draw(st.floats(lo, hi))
    nb = float(nash_bargaining(x, c, s, q))
    # Exactly q, but for rounding: with q within an ulp of a position (x = 0 and 1 with
    # q = 3e-293, where 1 - q rounds to 1) the bounds of the agreements open by a rounding
    # error, and the solution lies within that error of q.
    assert abs(nb - q) <= 1e-12 * max(1.0, abs(lo), abs(hi))


@given(issues(), st.floats(0, 100), st.floats(0.01, 100))
def test_salience_zero_actor_does_not_move_forecasts(
    issue: tuple[np.ndarray, ...], x_new: float, c_new: float
) -> None:
    x, c, s = issue
    x2, c2, s2 = np.append(x, x_new), np.append(c, c_new), np.append(s, 0.0)
    assert np.isclose(weighted_mean(x, c, s), weighted_mean(x2, c2, s2), atol=1e-9)
    assert np.isclose(weighted_median(x, c * s), weighted_median(x2, c2 * s2), atol=1e-9)
    assert np.isclose(nash_bargaining(x, c, s, 0.0), nash_bargaining(x2, c2, s2, 0.0), atol=1e-9)


@given(issues(integer_weights=True))
def test_weighted_median_is_the_condorcet_winner(issue: tuple[np.ndarray, ...]) -> None:
    x, c, s = issue
    w = c * s
    median = float(weighted_median(x, w))
    winner = condorcet_winner(x, w)
    if winner is not None:
        assert median == winner
    else:
        # a tie: the median is the midpoint of the positions that beat or tie all others
        def margin(a: float, b: float) -> float:
            return float(np.sum(w * np.sign(np.abs(x - b) - np.abs(x - a))))

        weak = [a for a in np.unique(x) if all(margin(a, b) >= 0 for b in np.unique(x))]
        assert median == (min(weak) + max(weak)) / 2


@given(issues(integer_weights=True))
def test_reversing_the_scale_reflects_the_forecast(issue: tuple[np.ndarray, ...]) -> None:
    x, c, s = issue
    for f in ALL:
        assert np.isclose(f(100 - x, c, s), 100 - f(x, c, s), atol=1e-9)
    assert np.isclose(
        nash_bargaining(100 - x, c, s, 100.0), 100 - nash_bargaining(x, c, s, 0.0), atol=1e-9
    )


@settings(max_examples=50)
@given(issues())
def test_nash_tends_to_the_compromise_as_the_status_quo_recedes(
    issue: tuple[np.ndarray, ...],
) -> None:
    x, c, s = issue
    far = float(nash_bargaining(x, c, s, -1e7))
    # a limit: with the status quo at q the solution is the mean weighted by w_i / (x_i -
    # q)^2, which differs from the compromise by about 2 Var(x) / |q|: at most
    # 2 x 50^2 / 1e7 = 5e-4 for positions on 0-100
    assert np.isclose(far, weighted_mean(x, c, s), atol=1e-3)


@given(issues(), st.floats(0, 100), st.sampled_from(["quadratic", "linear"]))
def test_nash_leaves_no_weighted_actor_worse_off(
    issue: tuple[np.ndarray, ...], q: float, utility: str
) -> None:
    x, c, s = issue
    nb = float(nash_bargaining(x, c, s, q, utility=utility))  # type: ignore[arg-type]
    # weighted as the model weighs: a weight that underflows to 0 (salience 5e-324) has no veto
    active = weights(c, s) > 0
    assert np.all(np.abs(nb - x[active]) <= np.abs(q - x[active]) + 1e-6)
