"""What flips a verdict (``analysis/_flip.py``) by hand, issue 22: a threshold verdict on a
stand-in stochastic model whose forecast is the sum of the saliences plus u, the first
number of its generator (the seed's), so the flip point is worked out exactly."""

from __future__ import annotations

import numpy as np
import pytest

from statecraft.analysis._flip import STEP, search_flips
from statecraft.analysis._levers import LeverInput
from statecraft.analysis.kernel import model_generator
from statecraft.arrays import Batch
from statecraft.models import Model
from statecraft.models.base import Output


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
LEVER = LeverInput(
    key="a0:i0:salience",
    kind="salience",
    actor="a0",
    issue="i0",
    a=0,
    columns=(0,),
    value=0.5,
    low=0.4,
    high=0.6,
    bounds=(0.0, 1.0),
    ranged=False,
)


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
