"""pytest-benchmark timings of the one-issue models on 10,000 draws (run: make bench)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from statecraft.models import nash_bargaining, weighted_mean, weighted_median

DRAWS, ACTORS = 10_000, 9


@pytest.fixture(scope="module")
def draws() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(2020)
    shape = (DRAWS, ACTORS)
    return rng.uniform(0, 100, shape), rng.uniform(0.1, 10, shape), rng.uniform(0, 1, shape)


def test_compromise_10k(benchmark: Any, draws: tuple[np.ndarray, ...]) -> None:
    x, c, s = draws
    assert benchmark(weighted_mean, x, c, s).shape == (DRAWS,)


def test_median_10k(benchmark: Any, draws: tuple[np.ndarray, ...]) -> None:
    x, c, s = draws
    assert benchmark(weighted_median, x, c * s).shape == (DRAWS,)


def test_nash_10k(benchmark: Any, draws: tuple[np.ndarray, ...]) -> None:
    x, c, s = draws
    assert benchmark(nash_bargaining, x, c, s, 0.0).shape == (DRAWS,)
