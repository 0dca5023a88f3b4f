"""How much the batch axis buys: one vectorised call over N draws against N single calls.

Prints, for each one-issue model, the time per draw of both and their ratio, measured in one
run on random issues shaped like ``karabakh-2020`` (9 actors).

    .venv/bin/python benchmarks/batch_vs_loop.py [--draws 10000] [--actors 9]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from statecraft.models import nash_bargaining, weighted_mean, weighted_median

Fn = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]

MODELS: dict[str, Fn] = {
    "compromise": lambda x, c, s: weighted_mean(x, c, s),
    "median": lambda x, c, s: weighted_median(x, c * s),
    "nash": lambda x, c, s: nash_bargaining(x, c, s, 0.0),
}


def _best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--actors", type=int, default=9)
    args = parser.parse_args()
    rng = np.random.default_rng(2020)
    shape = (args.draws, args.actors)
    x = rng.uniform(0, 100, shape)
    c = rng.uniform(0.1, 10, shape)
    s = rng.uniform(0, 1, shape)
    loop_n = min(args.draws, 2_000)
    print(f"{args.draws:,} draws x {args.actors} actors (loop timed on {loop_n:,} draws)")
    print(f"{'model':<12}{'batched us/draw':>18}{'loop us/draw':>16}{'ratio':>10}")
    for name, fn in MODELS.items():
        batched = _best_of(lambda fn=fn: fn(x, c, s)) / args.draws
        looped = _best_of(lambda fn=fn: [fn(x[k], c[k], s[k]) for k in range(loop_n)]) / loop_n
        print(f"{name:<12}{batched * 1e6:>18.3f}{looped * 1e6:>16.1f}{looped / batched:>9.0f}x")


if __name__ == "__main__":
    main()
