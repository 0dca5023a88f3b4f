"""What flips a verdict (``analysis/_flip.py``) by hand, issue 22: a threshold verdict on a
stand-in stochastic model whose forecast is the sum of the saliences plus u, the first
number of its generator (the seed's), so the flip point is worked out exactly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from statecraft.analysis._flip import STEP, Labels, Scores, search_flips
from statecraft.analysis._levers import LeverInput
from statecraft.analysis.kernel import model_generator
from statecraft.arrays import Batch
from statecraft.models import Model
from statecraft.models.base import Output
from tests.test_advice_parts_by_hand import A0_QUIET


class _Dice(Model):
    """Forecast: the saliences' sum on each draw and issue plus u (one number per run)."""

    name = "dice-stand-in"
    title = "dice"
    citation = "none: a test stand-in"
    stochastic = True

    def not_applicable(self, batch: Batch) -> dict[str, str]:
        return {}

    def evaluate(self, batch: Batch, rng: np.random.Generator, *, detail: bool = False) -> Output:
        return Output(forecasts=np.nansum(batch.salience, axis=1) + rng.random())


U0 = float(model_generator(0, 0, _Dice()).random())  # the seed 0's u

# One draw, one issue; a0 salience 0.5, a1 0.25: the forecast 0.75 + u.
BATCH = Batch(
    actor_ids=("a0", "a1"),
    issue_ids=("i0",),
    capability=np.ones((1, 2, 1)),
    position=np.array([[[10.0], [30.0]]]),
    salience=np.array([[[0.5], [0.25]]]),
    power=np.ones((1, 2)),
    present=np.ones((2, 1), dtype=bool),
    status_quo=np.array([[np.nan]]),
    low=np.array([0.0]),
    high=np.array([100.0]),
    actual=np.array([np.nan]),
)
# a0's salience, coded 0.5, range 0.4 to 0.6: one unit of cost is 0.2 of salience.
LEVER = replace(A0_QUIET, low=0.4, high=0.6)


@pytest.mark.parametrize(
    ("cost", "found"),
    [(0.01, True), (1.99, True), (2.01, False)],
    ids=["inside the first step", "inside the last step", "past the reach"],
)
def test_a_threshold_flips_where_the_forecast_crosses_it(cost: float, found: bool) -> None:
    """The verdict: forecast > T, with T = 0.75 + 0.2 cost + u(0) (seed 0, the default):
    raising a0's salience by 0.2 cost (that cost in range units) brings the forecast to T,
    and any more flips it; lowering it never does. Found to 1/4096 of a step (0.02):
    cost 0.01 inside the first step, 1.99 inside the last (the reach is 2), and 2.01 past
    the reach: none found."""
    threshold = 0.75 + 0.2 * cost + U0

    def labels(f: np.ndarray) -> np.ndarray:
        return (f[:, 0, 0] > threshold).astype(int)

    def scores(f: np.ndarray) -> np.ndarray:
        return threshold - f[:, 0, 0]

    singles, _ = search_flips(_Dice(), BATCH, [LEVER], labels, scores)
    if not found:
        assert singles == []
        return
    [(item, value, got, label)] = singles
    assert item is LEVER
    assert label == 1
    # the bisection stops within a 4096th of a step above the exact cost
    assert cost <= got <= cost + STEP / 4096 + 1e-12
    assert value == pytest.approx(0.5 + 0.2 * got, abs=1e-12)


# The pair search, by hand. A deterministic stand-in whose forecast on each issue is the
# one actor's position there; each lever moves one issue's position, coded 50 with range
# 45 to 55 (width 10), so u = (forecast - 50) / 10 is the signed cost of the move on that
# issue: up is +, down is -. Every value below is exact in binary (multiples of 0.25 times
# 10 added to 50), so the verdicts on the pair grid are exact too.


class _Echo(Model):
    """Forecast: the positions' sum on each draw and issue (one actor: its position)."""

    name = "echo-stand-in"
    title = "echo"
    citation = "none: a test stand-in"

    def not_applicable(self, batch: Batch) -> dict[str, str]:
        return {}

    def evaluate(self, batch: Batch, rng: np.random.Generator, *, detail: bool = False) -> Output:
        return Output(forecasts=np.nansum(batch.position, axis=1))


def _echo_batch(n: int) -> Batch:
    """One actor at 50 on n issues, scale 0 to 100."""
    return Batch(
        actor_ids=("a0",),
        issue_ids=tuple(f"i{j}" for j in range(n)),
        capability=np.ones((1, 1, n)),
        position=np.full((1, 1, n), 50.0),
        salience=np.full((1, 1, n), 0.5),
        power=np.ones((1, 1)),
        present=np.ones((1, n), dtype=bool),
        status_quo=np.full((1, n), np.nan),
        low=np.zeros(n),
        high=np.full(n, 100.0),
        actual=np.full(n, np.nan),
    )


def _lever(j: int, top: float = 100.0) -> LeverInput:
    """a0's position on issue j: 50, range 45 to 55, allowed 0 to ``top``."""
    return LeverInput(
        key=f"a0:i{j}:position",
        kind="position",
        actor="a0",
        issue=f"i{j}",
        a=0,
        columns=(j,),
        value=50.0,
        low=45.0,
        high=55.0,
        bounds=(0.0, top),
        ranged=False,
    )


X, Y = _lever(0), _lever(1)


def _u(f: np.ndarray) -> np.ndarray:
    """The signed cost of each issue's move, (V, I)."""
    return (f[:, 0, :] - 50.0) / 10.0


def _closer(closeness: Callable[[np.ndarray], np.ndarray]) -> tuple[Labels, Scores]:
    """Labels and scores of a verdict that changes (label 1) once the closeness is <= 0."""

    def labels(f: np.ndarray) -> np.ndarray:
        return (closeness(_u(f)) <= 0).astype(int)

    def scores(f: np.ndarray) -> np.ndarray:
        return closeness(_u(f))

    return labels, scores


def test_a_tie_between_the_two_directions_reports_the_change_down() -> None:
    """Verdict |u| > c, c = 0.5057: moving X up or down by c changes it, and the two
    searches are the same numbers mirrored (50 +/- 10t, exact mirror images in binary
    around 50), so both end at the same cost h, c <= h <= c + STEP/4096 (c is 0.36 of a
    bisection interval from the nearest midpoint, so no rounding decides a midpoint). On
    the tie the change down is reported: 50 - 10h. One input: no pair."""
    c = 0.5057

    def labels(f: np.ndarray) -> np.ndarray:
        return np.asarray(np.abs(_u(f)[:, 0]) > c, dtype=int)

    def scores(f: np.ndarray) -> np.ndarray:
        return np.asarray(c - np.abs(_u(f)[:, 0]))

    singles, pair = search_flips(_Echo(), _echo_batch(1), [X], labels, scores)
    [(item, value, cost, label)] = singles
    assert item is X
    assert label == 1
    assert c <= cost <= c + STEP / 4096 + 1e-12
    assert value == pytest.approx(50.0 - 10.0 * cost, abs=1e-9)
    assert pair is None


@pytest.mark.parametrize(
    ("up", "down"),
    [(1.5, 1.25), (1.0, 1.0)],
    ids=["up faster at first", "a tie"],
)
def test_a_pair_moves_each_input_its_fastest_way(up: float, down: float) -> None:
    """Closeness D - phi(u_x) - u_y, D = 2.7, on issues X and Y (label 1 at <= 0). X helps
    both ways: up at ``up`` per unit but only up to u_x = 0.25 when ``up`` is 1.5 (then no
    more: 0.375 at most), down at ``down`` per unit; Y helps only up, at 1 per unit.

    Within the reach (2) X alone gains at most 2.5 (down: 1.25 x 2; up only 0.375) or 2
    (the tie), Y alone 2, all under 2.7: no single change, so the grid runs to
    2 x REACH = 4 in steps of 0.25, total cost < 4. X's progress rate each way is the
    best (closeness gained) / cost over its steps: up 1.5 (at t <= 0.25), down 1.25, so
    up (at its last step, t = 2, up is only 0.375 / 2 = 0.1875; gained x cost would give
    up 0.375 x 2 = 0.75, down 2.5 x 2 = 5: either would choose down); or 1 and 1, a tie,
    which goes up (the first direction tried). Y's rate is 1, X's at least 1 and its key
    first: the pair is (X, Y).

    Up 1.5: 1.5 min(t1, 0.25) + t2 >= 2.7 first at t1 = 0.25, t2 = 2.5 (0.375 + 2.5 =
    2.875), cost 2.75; at cost 2.5 the most is 0.375 + 2.25 = 2.625 < 2.7. Tie: |t1| + t2
    >= 2.7 first at cost 2.75 too, (0.25, 2.5) the first such on the grid. Either way X up:
    50 + 2.5 = 52.5, Y 50 + 25 = 75. (Down would report X at 47.5.)"""

    def closeness(u: np.ndarray) -> np.ndarray:
        ux, uy = u[:, 0], u[:, 1]
        if up == 1.5:
            gain_x = np.where(ux >= 0, up * np.minimum(ux, 0.25), -down * ux)
        else:
            gain_x = np.abs(ux)
        return np.asarray(2.7 - gain_x - uy)

    labels, scores = _closer(closeness)
    singles, pair = search_flips(_Echo(), _echo_batch(2), [X, Y], labels, scores)
    assert singles == []
    assert pair == ((X, 52.5), (Y, 75.0), 2.75, 1)


def test_a_pair_is_kept_only_when_cheaper_than_the_best_single_change() -> None:
    """Closeness c - u_x - u_y, c = 0.5057: X alone or Y alone changes the verdict at the
    same cost h, c <= h <= c + STEP/4096 (both searches are the same numbers). The pair
    grid is then h/16 .. h, and a pair must cost less than h: at most 15h/16 < 0.475 < c,
    which never changes it. So no pair (a pair costing h itself, 8h/16 + 8h/16, would)."""
    c = 0.5057
    labels, scores = _closer(lambda u: c - u[:, 0] - u[:, 1])
    singles, pair = search_flips(_Echo(), _echo_batch(2), [X, Y], labels, scores)
    assert [(s[0], s[3]) for s in singles] == [(X, 1), (Y, 1)]
    assert singles[0][2] == singles[1][2]
    assert c <= singles[0][2] <= c + STEP / 4096 + 1e-12
    assert pair is None


def test_inputs_that_change_the_verdict_only_together_stay_within_their_bounds() -> None:
    """Closeness 0.9 - u_x - u_y; X and Y may go no higher than 56 (u = 0.6). Alone
    neither gets past 0.6 < 0.9: no single change, the grid is 0.25 .. 4. Within the
    bounds each is 0.25 or 0.5 (0.75 would be 57.5 > 56); the only pair that changes the
    verdict is (0.5, 0.5): 1.0 >= 0.9, cost 1, values 55 and 55. (With Y allowed past its
    bound, (0.25, 0.75) would come first on the grid at the same cost.)"""
    x, y = _lever(0, top=56.0), _lever(1, top=56.0)
    labels, scores = _closer(lambda u: 0.9 - u[:, 0] - u[:, 1])
    singles, pair = search_flips(_Echo(), _echo_batch(2), [x, y], labels, scores)
    assert singles == []
    assert pair == ((x, 55.0), (y, 55.0), 1.0, 1)


@pytest.mark.parametrize(
    ("c", "expected"),
    [(2.99, ((X, 80.0), (Y, 52.5), 3.25, 1)), (3.8, None)],
    ids=["a pair under twice the reach", "none under twice the reach"],
)
def test_without_a_single_change_pairs_cost_less_than_twice_the_reach(
    c: float,
    expected: tuple | None,  # type: ignore[type-arg]
) -> None:
    """Closeness c - u_x - u_y/16: alone X reaches 2 < c within the reach; no single
    change, so the grid is 0.25 .. 4 for each, total under 2 x REACH = 4; X's rate 1 is
    above Y's 1/16, the pair is (X, Y), both moved up, each by at least one grid step.

    c = 2.99: t1 + t2/16 >= 2.99 first at t1 = 3, t2 = 0.25 (3.015625), cost 3.25, X at
    80, Y at 52.5; at cost 3 the most is 2.75 + 0.25/16 < 2.99 (X alone at 3, cost 3, is
    no pair). c = 3.8: under a total of 4 the most is 3.75 + 0.25/16 = 3.765625 < 3.8: no
    pair (X at 4 and Y at 0.25 would do, at cost 4.25)."""
    labels, scores = _closer(lambda u: c - u[:, 0] - u[:, 1] / 16)
    singles, pair = search_flips(_Echo(), _echo_batch(2), [X, Y], labels, scores)
    assert singles == []
    assert pair == expected


def test_inputs_that_bring_the_verdict_no_closer_alone_are_not_paired() -> None:
    """A verdict that needs both: closeness max(0.9 - u_x, 0.9 - u_y). Moving X up alone
    leaves it at 0.9 (rate exactly 0), down raises it (rate -1); the same for Y. The pair
    search pairs only inputs with a positive rate (or that change the verdict alone):
    none, so no pair is reported, though X and Y both up by 1 (cost 2) would change it."""
    labels, scores = _closer(lambda u: np.maximum(0.9 - u[:, 0], 0.9 - u[:, 1]))
    singles, pair = search_flips(_Echo(), _echo_batch(2), [X, Y], labels, scores)
    assert singles == []
    assert pair is None


def test_an_input_without_a_range_takes_no_place_among_the_paired() -> None:
    """Seven inputs: Z, a0's position on issue 0 with the range 50 to 50 (width 0: no
    move costs anything, so none is searched), and X1 .. X6 on issues 1 .. 6. The
    closeness is unknown (NaN, as for a threshold on an issue without a forecast), so
    every rate is unknown: such inputs are paired after any known to help, in key order,
    up, at most PAIRS_FROM = 6 of them: X1 .. X6 (Z, first by key, is no input).
    The verdict changes only when u5 >= 0.9 and u6 >= 0.9: on the grid 0.25 .. 4 the
    cheapest is X5 and X6 up by 1 each (60 and 60), cost 2. Were Z among the six, X6
    would not be, and no pair would change the verdict."""
    z = replace(_lever(0), low=50.0, high=50.0)
    xs = [_lever(j) for j in range(1, 7)]

    def labels(f: np.ndarray) -> np.ndarray:
        u = _u(f)
        return ((u[:, 5] >= 0.9) & (u[:, 6] >= 0.9)).astype(int)

    def scores(f: np.ndarray) -> np.ndarray:
        return np.full(f.shape[0], np.nan)

    singles, pair = search_flips(_Echo(), _echo_batch(7), [z, *xs], labels, scores)
    assert singles == []
    assert pair == ((xs[4], 60.0), (xs[5], 60.0), 2.0, 1)
